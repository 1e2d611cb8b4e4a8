"""Is the desk up, and where is everything: a health check and a plain home page."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, url_for

from sheets_schema.fields import LANGUAGES
from sheets_schema.forms import FORMS

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/")
def home():
    form_links = [
        (language, [(form.titles[language], url_for("forms.show", language=language, form_id=form.id))
                    for form in FORMS.values()])
        for language in LANGUAGES
    ]
    return render_template("home.html", back_office_url=current_app.config["BACK_OFFICE_URL"],
                           form_links=form_links)
