"""Who may use a local Sheets server, and which server owns a data folder.

- One owner per data folder: the server holds an exclusive lock on the data
  folder itself for its life and leaves its address in `local-sheets.json`.
  Two servers on one folder would each keep their own copy in memory and
  overwrite each other's rows, losing acknowledged submissions, so a second
  one is refused, and helpt's commands find the running one and use it over
  HTTP. The lock is on the folder, not on a file in it, so deleting any file
  there cannot make room for a second server. The kernel drops the lock when
  the server dies, so a stale address file is ignored.
- A bearer token per data folder, in `local-sheets.token` (owner-only), that
  every API, fault and admin request must present. With the loopback-only
  `Host` check, a web page open in a coordinator's browser can neither read
  nor change the spreadsheet (cross-site posts, DNS rebinding).
- The view (every name and phone number, and the editor) opens only in a
  browser that came through a one-time link, as Jupyter's server does it:
  helpt asks the server for a link (`POST /_local/view-link`, with the
  token) and prints it; opening it sets a cookie derived from the token and
  spends the link. Other users of the machine have neither.
"""

from __future__ import annotations

import fcntl
import hmac
import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

ADDRESS_FILE = "local-sheets.json"
TOKEN_FILE = "local-sheets.token"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")


class FolderTaken(Exception):
    """Another local Sheets server already owns this data folder."""

    def __init__(self, data_dir: Path, url: str) -> None:
        super().__init__(f"a local Sheets server already runs on {data_dir} at {url or 'an unknown address'}")
        self.url = url


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def read_token(data_dir: Path) -> str | None:
    """The token kept in `data_dir`, if any (clients read it; only a server makes one)."""
    path = Path(data_dir) / TOKEN_FILE
    try:
        return path.read_text().strip() or None
    except OSError:
        return None


def folder_token(data_dir: Path, wanted: str | None = None) -> str:
    """The data folder's token: `wanted` if given (and kept), else the one kept there, else a new one."""
    path = Path(data_dir) / TOKEN_FILE
    if wanted:
        _write_private(path, wanted)
        return wanted
    kept = read_token(data_dir)
    if kept:
        return kept
    token = secrets.token_hex(32)  # hex: never starts with "-", which a command line would take for an option
    _write_private(path, token)
    return token


@dataclass
class Ownership:
    """The data folder's lock, held by its server; released on `release()` or when the process dies."""

    data_dir: Path
    _fd: int
    _stop: threading.Event = field(default_factory=threading.Event)

    def announce(self, url: str) -> None:
        """Leave the address for helpt's commands, and put it back whenever someone deletes it."""
        text = json.dumps({"url": url, "pid": os.getpid()})
        _write_private(self.data_dir / ADDRESS_FILE, text)
        threading.Thread(target=self._keep_announced, args=(text,), name="local-sheets-address",
                         daemon=True).start()

    def _keep_announced(self, text: str) -> None:
        path = self.data_dir / ADDRESS_FILE
        while not self._stop.wait(1.0):
            try:
                if path.read_text() == text:
                    continue
            except OSError:
                pass
            _write_private(path, text)

    def release(self) -> None:
        self._stop.set()
        try:
            (self.data_dir / ADDRESS_FILE).unlink(missing_ok=True)
        finally:
            os.close(self._fd)


def _folder_fd(data_dir: Path) -> int:
    return os.open(data_dir, os.O_RDONLY | os.O_DIRECTORY)


def take_folder(data_dir: Path) -> Ownership:
    """Become the data folder's one server, or raise FolderTaken naming the running one."""
    data_dir = Path(data_dir)
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = _folder_fd(data_dir)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise FolderTaken(data_dir, running_url(data_dir) or "") from None
    return Ownership(data_dir, fd)


def running_url(data_dir: Path) -> str | None:
    """The address of the server that owns `data_dir` now, or None when none does."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return None
    fd = _folder_fd(data_dir)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # held: a server runs; its address file says where
        try:
            return json.loads((data_dir / ADDRESS_FILE).read_text())["url"]
        except (OSError, ValueError, KeyError):
            return None
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)  # nobody holds it: any address file is stale
        return None
    finally:
        os.close(fd)


def host_allowed(host: str) -> bool:
    """Only loopback names: a page that got a foreign name to resolve to 127.0.0.1 sends that name."""
    name = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
    return name.lower() in LOOPBACK_HOSTS


def token_matches(header: str | None, token: str) -> bool:
    given = (header or "").removeprefix("Bearer ").strip()
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())


class ViewLinks:
    """One-time sign-in links to the view; the cookie they set is derived from the folder's token."""

    KEEP = 100  # unused links remembered; older ones stop working

    def __init__(self, token: str) -> None:
        self._token = token
        self._unused: list[str] = []
        self._lock = threading.Lock()
        self.cookie_name = "helpt_view_" + _derive(token, "view cookie name")[:10]

    def issue(self) -> str:
        link = secrets.token_urlsafe(24)
        with self._lock:
            self._unused = [*self._unused[-(self.KEEP - 1):], link]
        return link

    def spend(self, link: str) -> bool:
        with self._lock:
            for kept in self._unused:
                if hmac.compare_digest(kept.encode(), link.encode()):
                    self._unused.remove(kept)
                    return True
        return False

    def cookie(self) -> str:
        return _derive(self._token, "view session")

    def signed_in(self, cookie: str | None, authorization: str | None) -> bool:
        if cookie and hmac.compare_digest(cookie.encode(), self.cookie().encode()):
            return True
        return token_matches(authorization, self._token)  # scripts and tests: the API's own token


def _derive(token: str, purpose: str) -> str:
    return hmac.new(token.encode(), purpose.encode(), "sha256").hexdigest()
