"""Real servers for the tests: Debian's PostgreSQL and nginx, started in temporary folders on loopback.

`make test` installs them when missing (scripts/install-test-tools). As root
(CI), PostgreSQL runs as the `postgres` user that Debian's package creates,
because its server refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_bin() -> Path:
    """The newest installed PostgreSQL server's programs (Debian keeps them out of PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    assert on_path, "PostgreSQL's server is not installed: run `make test`, which installs it"
    return Path(on_path).parent


@contextmanager
def postgres() -> Iterator[str]:
    """A throw-away PostgreSQL server on a free loopback port; yields the URL of its `postgres` database."""
    bin_dir = _postgres_bin()
    home = Path(tempfile.mkdtemp(prefix="helpt-pg-"))  # under /tmp, where the postgres user can reach it
    as_user: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(home, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    data = home / "data"
    try:
        subprocess.run([*as_user, bin_dir / "initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-sync",
                        "-E", "UTF8"], check=True, capture_output=True)
        # pg_ctl -w returns once the server accepts connections.
        subprocess.run([*as_user, bin_dir / "pg_ctl", "-D", data, "-l", home / "server.log", "-w", "-t", "60",
                        "-o", f"-p {port} -k {home} -c listen_addresses=127.0.0.1", "start"],
                       check=True, capture_output=True)
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run([*as_user, bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "stop"],
                           capture_output=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    assert found, "nginx is not installed: run `make test`, which installs it"
    return found


_NGINX_CONF = """
worker_processes 1;
pid {home}/nginx.pid;
error_log {home}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {home}/body;
    proxy_temp_path {home}/proxy;
    fastcgi_temp_path {home}/fastcgi;
    uwsgi_temp_path {home}/uwsgi;
    scgi_temp_path {home}/scgi;
    client_body_buffer_size 128k;
    client_max_body_size 1m;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_set_header Host $host;
            # What a platform's router does: append the address the request came from.
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""


@contextmanager
def nginx(upstream: int) -> Iterator[int]:
    """nginx in front of 127.0.0.1:`upstream`, as a platform's router would be; yields its port."""
    home = Path(tempfile.mkdtemp(prefix="helpt-nginx-"))
    os.chmod(home, 0o755)  # its worker processes run as an unprivileged user when started by root
    port = free_port()
    (home / "nginx.conf").write_text(_NGINX_CONF.format(home=home, port=port, upstream=upstream))
    process = subprocess.Popen([nginx_binary(), "-p", str(home), "-c", str(home / "nginx.conf"),
                                "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        # nginx listens before it forks its worker; a refused connection means it failed.
        wait_for_port(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30.0) -> None:
    """Until something accepts connections on `port`, or `process` died (then fail, with its error)."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.stderr.read() if process.stderr else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)  # polling a port that is coming up, not standing in for an event
    raise AssertionError(f"nothing listens on port {port} after {seconds} s")


@contextmanager
def serving(app) -> Iterator[str]:
    """A WSGI app (the desk) served on a free loopback port in a thread; yields its address."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def view_link(url: str, token: str, path: str = "/") -> str:
    """A one-time link that signs a browser in to the local server's view, opening `path`."""
    import requests

    reply = requests.post(f"{url}/_local/view-link", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    reply.raise_for_status()
    return f"{url}{path}{'&' if '?' in path else '?'}{reply.json()['path'].split('?', 1)[1]}"


class Mailbox:
    """What a loopback SMTP server received: each message parsed as a mail program would."""

    def __init__(self) -> None:
        self.messages: list = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        from email import message_from_bytes, policy

        with self.arrived:
            self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
            self.arrived.notify_all()
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


@contextmanager
def smtp_server() -> Iterator[tuple[int, Mailbox]]:
    """aiosmtpd on a free loopback port; yields its port and what it received."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()  # returns once the server answers
    try:
        yield controller.port, mailbox
    finally:
        controller.stop()
