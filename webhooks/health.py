"""Is the desk up, and where is everything: a health check and a plain home page."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/")
def home():
    return render_template("home.html", back_office_url=current_app.config["BACK_OFFICE_URL"])
