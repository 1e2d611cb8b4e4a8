"""The web side of helpt: a Flask app built by `create_app`, one blueprint per concern.

`health` (home page, /healthz), `forms` (the public forms), `intake` (the API).
gunicorn runs `"webhooks:create_app()"`; `helpt serve` passes its settings.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

# The environment variables the app reads when gunicorn builds it without a config
# (the same names helpt.config lists), and how to read each.
_ENVIRONMENT: dict[str, tuple[str, type]] = {
    "HELPT_LANGUAGE": ("LANGUAGE", str),
    "HELPT_AGENT_PASSCODE": ("AGENT_PASSCODE", str),
    "HELPT_AGENT_SESSION_HOURS": ("AGENT_SESSION_HOURS", float),
    "HELPT_DESK_PHONE": ("DESK_PHONE", str),
    "HELPT_DESK_EMAIL": ("DESK_EMAIL", str),
    "HELPT_DATA_DIR": ("DATA_DIR", str),
    "DATABASE_URL": ("DATABASE_URL", str),
    "HELPT_TRUSTED_PROXIES": ("TRUSTED_PROXIES", int),
    "HELPT_WEBHOOK_SECRET": ("WEBHOOK_SECRET", str),
    "HELPT_FORM_RATE_LIMIT": ("FORM_RATE_LIMIT", int),
    "HELPT_API_RATE_LIMIT": ("API_RATE_LIMIT", int),
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The web app. Settings: defaults, then the environment, then `config` (tests, `helpt serve`)."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    from desk_db import open_database
    from desk_db.journal import Journal

    from . import agents, forms, health, intake
    from desk_db.limits import Limits
    from desk_db.sessions import Sessions

    from .agents import AgentSessionCookie

    app = Flask(__name__)
    app.config.from_mapping(
        LANGUAGE="nl",
        AGENT_PASSCODE="",  # the call centre's shared passcode; empty: no agent door
        AGENT_SESSION_HOURS=12.0,  # a shift: then the agent signs in again
        DESK_PHONE="",  # the desk's phone number and e-mail, shown on every public page when set
        DESK_EMAIL="",
        DATA_DIR="helpt-data",
        DATABASE_URL="",  # the journal's database; empty: SQLite in DATA_DIR
        TRUSTED_PROXIES=0,  # proxies in front of the app whose X-Forwarded-For is believed
        WEBHOOK_SECRET="",  # no default on purpose: without it the intake API refuses to work
        FORM_RATE_LIMIT=10,  # posts per minute per client address on the public forms
        API_RATE_LIMIT=60,  # unsigned or wrongly signed API posts per minute per client address
        MAX_CONTENT_LENGTH=64 * 1024,  # the longest valid submission is under 10 KiB
    )
    app.config.from_mapping({
        name: kind(os.environ[key]) for key, (name, kind) in _ENVIRONMENT.items()
        if os.environ.get(key, "").strip()
    })
    if config:
        app.config.from_mapping(config)
    if app.config["TRUSTED_PROXIES"] > 0:
        # The platform's router (and nginx) append the client's address; trust exactly that many hops.
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    database = open_database(app.config["DATABASE_URL"], Path(app.config["DATA_DIR"]))
    app.extensions["helpt.journal"] = Journal(database)  # creates its table once, up front
    if app.config["AGENT_PASSCODE"]:
        # Flask signs the agents' session cookie; every worker and instance derives the same key
        # from the secrets they share, and a new passcode signs everyone out.
        material = f"helpt agent sessions|{app.config['AGENT_PASSCODE']}|{app.config['WEBHOOK_SECRET']}"
        app.secret_key = hashlib.sha256(material.encode()).hexdigest()
    # Lax: an agent following a link from a mail arrives signed in; Secure whenever the request came by HTTPS.
    app.config.update(SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_HTTPONLY=True)
    app.session_interface = AgentSessionCookie()
    app.extensions["helpt.limits"] = Limits(database)  # shared by every worker and instance
    app.extensions["helpt.sessions"] = Sessions(database, app.config["AGENT_SESSION_HOURS"])
    app.context_processor(lambda: {"desk_phone": app.config["DESK_PHONE"], "desk_email": app.config["DESK_EMAIL"]})
    app.after_request(_page_headers)
    app.register_error_handler(HTTPException, _http_error)
    app.register_blueprint(health.bp)
    app.register_blueprint(forms.bp)
    app.register_blueprint(intake.bp)
    app.register_blueprint(agents.bp)
    return app


# No page of the desk runs a script, loads anything from elsewhere, or may be framed (clickjacking).
PAGE_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
               "frame-ancestors 'none'; base-uri 'none'")


def _page_headers(response):
    response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _http_error(error: HTTPException):
    """The API answers errors in JSON (405, 413 on a chunked body, ...); pages keep Flask's HTML."""
    if not request.path.startswith("/api/"):
        return error
    from .intake import client_language, problems_response
    from sheets_schema.problems import Problem

    if error.code == 413:
        return problems_response([Problem("", "body-too-large", {"max": request.max_content_length})],
                                 client_language(), 413)
    return jsonify(errors=[{"field": "", "code": f"http-{error.code}", "message": error.description}]), error.code
