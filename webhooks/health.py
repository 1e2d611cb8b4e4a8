"""Is the desk up, and where is everything: a health check and a plain home page."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request, url_for

from sheets_schema.fields import LANGUAGES

from .pages import PAGES
from .texts import LANGUAGE_NAMES

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/")
def home():
    """The public entry: in the visitor's language (?lang=, else the browser's), with the forms.

    Nothing here is for the back office: the spreadsheet's address is not the public's to know.
    """
    wanted = request.args.get("lang")
    language = wanted if wanted in LANGUAGES else (
        request.accept_languages.best_match(LANGUAGES) or current_app.config["LANGUAGE"])
    form_links = [(form.titles[language], url_for("forms.show", language=language, form_id=page_id))
                  for page_id, (_, form) in PAGES.items()]
    return render_template("home.html", lang=language, languages=LANGUAGE_NAMES,
                           form_links=form_links)
