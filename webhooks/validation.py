"""From a submission as sent to the row its intake tab gets: pure functions, problems returned, never raised.

Every problem is found at once, so a person fixes the form in one go. Values are
normalised just enough to be written as Google Forms would write them: labels
in the form's language, yes/no words, phone numbers in E.164.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sheets_schema.answers import (
    bool_text,
    choice_code,
    clean_text,
    find_question,
    has_control_characters,
    list_text,
    looks_like_email,
    parse_bool,
    phone_e164,
    split_list,
)
from sheets_schema.choices import CHANNEL_CHOICES, codes
from sheets_schema.fields import LANGUAGES, Form, Question
from sheets_schema.forms import FORMS
from sheets_schema.problems import Problem

SUBMISSION_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")
_POSTCODE = re.compile(r"[1-9][0-9]{3}")
_NUMBER = re.compile(r"[0-9]{1,9}")
_MAX_CHOICE_TEXT = 200  # no label is this long; longer text is not a choice


@dataclass(frozen=True)
class Submission:
    """A valid submission: which form, in which language, and its row's values by field id."""

    form: str
    language: str
    channel: str
    submission_id: str | None
    values: dict[str, str]
    entered_by: str = ""  # the call-centre agent who typed it in, when one did

    @property
    def tab_id(self) -> str:
        return f"intake_{self.form}_{self.language}"


def _text(question: Question, raw: Any) -> tuple[str, str | None]:
    """One line or paragraph of text; a list holding one string is how Google sends it."""
    if isinstance(raw, list) and len(raw) == 1:
        raw = raw[0]
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        return "", "wrong-type"
    text = str(raw)
    if has_control_characters(text):
        return "", "invalid-characters"
    text = clean_text(text, multiline=question.type == "longtext")
    if len(text) > question.max_length:
        return "", "too-long"
    return text, None


def _typed(question: Question, text: str) -> tuple[str, str | None]:
    if not text:
        return "", None
    if question.type == "phone":
        phone = phone_e164(text)
        return (phone, None) if phone else ("", "invalid-phone")
    if question.type == "email":
        return (text, None) if looks_like_email(text) else ("", "invalid-email")
    if question.type == "postcode":
        return (text, None) if _POSTCODE.fullmatch(text) else ("", "invalid-postcode")
    if question.type == "number":
        return (str(int(text)), None) if _NUMBER.fullmatch(text) and int(text) > 0 else ("", "invalid-number")
    return text, None


def _choices(question: Question, raw: Any, language: str) -> tuple[str, list[Problem]]:
    items = split_list(raw) if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        return "", [Problem(question.field_id, "wrong-type", {"expected": "list"})]
    if len(items) > len(question.choices):
        return "", [Problem(question.field_id, "too-many-values", {"max": len(question.choices)})]
    found: list[str] = []
    problems = []
    for item in items:
        code = None if len(item) > _MAX_CHOICE_TEXT or has_control_characters(item) else choice_code(
            question.choices, item)
        if code is None:
            slug = "unknown-task" if question.field_id == "tasks" else "unknown-choice"
            problems.append(Problem(question.field_id, slug, {"value": clean_text(item)[:60]}))
        elif code not in found:
            found.append(code)
    return list_text(question.choices, found, language), problems


def _yes_no(question: Question, raw: Any, language: str) -> tuple[str, list[Problem]]:
    if isinstance(raw, list) and len(raw) <= 1:  # a Google Forms checkbox: [] or [its label]
        raw = raw[0] if raw else False
    if isinstance(raw, str) and len(raw) <= _MAX_CHOICE_TEXT:
        raw = parse_bool(raw, question.labels.values())
    if not isinstance(raw, bool):
        return "", [Problem(question.field_id, "invalid-boolean")]
    return bool_text(raw, language), []


def _answer(question: Question, raw: Any, language: str) -> tuple[str, list[Problem]]:
    if question.type == "list":
        return _choices(question, raw, language)
    if question.type == "bool":
        return _yes_no(question, raw, language)
    text, slug = _text(question, raw)
    if slug is None:
        text, slug = _typed(question, text)
    if slug is None:
        return text, []
    params: dict[str, object] = {"max": question.max_length} if slug == "too-long" else {}
    if slug == "wrong-type":
        params = {"expected": "text"}
    if slug == "invalid-number":
        params = {"max": 10 ** question.max_length - 1}
    return "", [Problem(question.field_id, slug, params)]


def read_answers(form: Form, language: str, answers: Mapping[str, Any]) -> tuple[dict[str, str], list[Problem]]:
    """The row values of a form's answers (keyed by field id or question title), and every problem."""
    values = {question.field_id: "" for question in form.questions}
    problems: list[Problem] = []
    answered: set[str] = set()
    for key, raw in answers.items():
        question = find_question(form, language, str(key))
        if question is None:
            problems.append(Problem("", "unknown-field", {"value": clean_text(str(key))[:60]}))
            continue
        if question.field_id in answered:
            problems.append(Problem(question.field_id, "duplicate-answer"))
            continue
        answered.add(question.field_id)
        if raw is None:
            continue
        values[question.field_id], found = _answer(question, raw, language)
        problems += found
    wrong = {p.field for p in problems}
    for question in form.questions:
        if question.required and question.type != "bool" and not values[question.field_id] \
                and question.field_id not in wrong:
            problems.append(Problem(question.field_id, "required"))
    if "consent_privacy" not in wrong and values.get("consent_privacy") != bool_text(True, language):
        problems.append(Problem("consent_privacy", "consent-required"))
    if not values["phone"] and not values["email"] and not {"phone", "email"} & wrong:
        problems.append(Problem("phone", "contact-required"))
    if values.get("needed_count") and not values.get("organisation"):
        problems.append(Problem("organisation", "organisation-required"))
    return values, problems


def read_submission(envelope: Any, default_language: str) -> tuple[Submission | None, list[Problem], str]:
    """A Submission, or the problems; and the language to explain them in."""
    if not isinstance(envelope, Mapping):
        return None, [Problem("", "not-an-object")], default_language
    if not isinstance(envelope.get("answers"), Mapping):
        language = envelope.get("lang")
        return None, [Problem("answers", "not-an-object")], language if language in LANGUAGES else default_language
    problems = []
    form_id, language = envelope.get("form"), envelope.get("lang")
    channel, submission_id = envelope.get("channel", "website"), envelope.get("submission_id")
    known_language = language in LANGUAGES
    if not known_language:
        problems.append(Problem("lang", "unknown-language", {"value": str(language)[:20]}))
        language = default_language
    known_form = isinstance(form_id, str) and form_id in FORMS
    if not known_form:
        problems.append(Problem("form", "unknown-form", {"value": str(form_id)[:20]}))
    if channel not in codes(CHANNEL_CHOICES):
        problems.append(Problem("channel", "unknown-channel", {"value": str(channel)[:20]}))
    if submission_id is not None and not (isinstance(submission_id, str) and SUBMISSION_ID.fullmatch(submission_id)):
        problems.append(Problem("submission_id", "invalid-submission-id"))
    if not (known_language and known_form):
        return None, problems, language  # answers cannot be read without their form and language
    values, answer_problems = read_answers(FORMS[form_id], language, envelope["answers"])
    problems += answer_problems
    if problems:
        return None, problems, language
    return Submission(form_id, language, channel, submission_id, values), [], language
