"""The web side of helpt: a Flask app built by `create_app`, one blueprint per concern."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The web app. Settings: defaults, then the environment, then `config` (tests, `helpt serve`)."""
    from . import health

    app = Flask(__name__)
    app.config.from_mapping(
        LANGUAGE="nl",
        BACK_OFFICE_URL="",  # where coordinators find the spreadsheet; shown on the home page
    )
    app.config.from_mapping({
        key.removeprefix("HELPT_"): value for key, value in os.environ.items()
        if key in {"HELPT_LANGUAGE", "HELPT_BACK_OFFICE_URL"}
    })
    if config:
        app.config.from_mapping(config)
    app.register_blueprint(health.bp)
    return app
