"""The web side of helpt: a Flask app built by `create_app`, one blueprint per concern.

`health` (home page, /healthz), `forms` (the public forms), `intake` (the API).
gunicorn runs `"webhooks:create_app()"`; `helpt serve` passes its settings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from sheets_schema.logs import configure_logging
from sheets_schema.settings import Settings, load_settings


def web_config(settings: Settings) -> dict[str, Any]:
    """The Flask config of the desk's settings: the web app's view of the one settings reader."""
    return {
        "LANGUAGE": settings.language,
        "AGENT_PASSCODE": settings.agent_passcode,  # the call centre's shared passcode; empty: no agent door
        "AGENT_SESSION_HOURS": settings.agent_session_hours,  # a shift: then the agent signs in again
        "DESK_PHONE": settings.desk_phone,  # shown on every public page when set
        "DESK_EMAIL": settings.desk_email,
        "DATA_DIR": str(settings.data_dir),
        "DATABASE_URL": settings.database_url,  # the journal's database; empty: SQLite in DATA_DIR
        "TRUSTED_PROXIES": settings.trusted_proxies,  # proxies in front whose X-Forwarded-For is believed
        "WEBHOOK_SECRET": settings.webhook_secret,  # no default on purpose: without it the API refuses
        "FORM_RATE_LIMIT": settings.form_rate_limit,  # posts per minute per client address
        "API_RATE_LIMIT": settings.api_rate_limit,  # unsigned or wrongly signed API posts per minute
        "SMTP_URL": settings.smtp_url,  # empty: mail lands in the local mailbox, shown at /outbox
        "TWILIO_AUTH_TOKEN": settings.twilio_auth_token,  # checks replies by SMS; empty: no SMS door
        "PUBLIC_URL": settings.link_base,  # the address Twilio posts to, as it signs it
    }


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """The web app, on the desk's settings: `helpt serve` hands them over; under gunicorn they are
    read here, by the same function as every command's (so a bad value is refused the same way);
    a mapping (tests) overrides single Flask config values on top of them."""
    from flask_babel import Babel
    from werkzeug.middleware.proxy_fix import ProxyFix

    from desk_db import open_database
    from desk_db.handovers import Handovers
    from desk_db.journal import Journal
    from desk_db.limits import Limits
    from desk_db.sessions import Sessions
    from sheets_schema.i18n import CATALOGUES

    from . import agents, answers, card, forms, health, intake, outbox, sms
    from .agents import AgentSessionCookie

    settings = config if isinstance(config, Settings) else load_settings()
    if config is None:  # gunicorn builds the app: this is an entry point of its own
        configure_logging(settings.log_level, settings.log_format)
    app = Flask(__name__)
    app.config.from_mapping(web_config(settings), MAX_CONTENT_LENGTH=64 * 1024)  # a submission is < 10 KiB
    if config and not isinstance(config, Settings):
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
    app.extensions["helpt.handovers"] = Handovers(database)  # volunteers' answers, the outbox
    app.context_processor(lambda: {"desk_phone": app.config["DESK_PHONE"], "desk_email": app.config["DESK_EMAIL"]})
    # The pages' words come from the same catalogues as every message helpt writes, in the page's language.
    Babel(app, locale_selector=_page_language, default_translation_directories=str(CATALOGUES))
    app.after_request(_page_headers)
    app.register_error_handler(HTTPException, _http_error)
    app.register_blueprint(health.bp)
    app.register_blueprint(forms.bp)
    app.register_blueprint(intake.bp)
    app.register_blueprint(agents.bp)
    app.register_blueprint(card.bp)
    app.register_blueprint(answers.bp)
    app.register_blueprint(outbox.bp)
    app.register_blueprint(sms.bp)
    return app


# No page of the desk runs a script, loads anything from elsewhere, or may be framed (clickjacking).
PAGE_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
               "frame-ancestors 'none'; base-uri 'none'")


def _page_language() -> str:
    """A page's language is in its address (/nl/request); the home page takes the visitor's."""
    from sheets_schema.fields import LANGUAGES

    wanted = (request.view_args or {}).get("language") or request.args.get("lang")
    if wanted in LANGUAGES:
        return wanted
    return request.accept_languages.best_match(LANGUAGES) or current_app.config["LANGUAGE"]


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
    from sheets_schema.problems import Problem

    from .intake import client_language, problems_response

    if error.code == 413:
        return problems_response([Problem("", "body-too-large", {"max": request.max_content_length})],
                                 client_language(), 413)
    return jsonify(errors=[{"field": "", "code": f"http-{error.code}", "message": error.description}]), error.code
