"""The whole spreadsheet contract as plain data, for `helpt schema --json`.

One JSON document says everything a coordinator, a form builder or the Apps
Script needs: tabs and columns with their owners and labels, the forms and
their questions, the tasks, the choice lists and the areas.
"""

from __future__ import annotations

from typing import Any

from .areas import LEUVEN_POSTCODES, Area, area, load_areas, neighbours
from .choices import AVAILABILITY_CHOICES, CHANNEL_CHOICES, LANGUAGE_CHOICES, TRANSPORT_CHOICES
from .fields import LANGUAGES, Choice, Column, Form, Question, Tab
from .forms import FORM_PRIVACY_NOTICE, FORMS, PARTNER_SHARING_NOTICE
from .tabs import TABS
from .tasks import TASKS, Task


def _choices(choices: tuple[Choice, ...]) -> list[dict[str, Any]]:
    return [{"code": c.code, "labels": dict(c.labels)} for c in choices]


def _column(column: Column) -> dict[str, Any]:
    return {
        "id": column.id,
        "owner": column.owner,
        "type": column.type,
        "labels": dict(column.labels),
        "help": dict(column.help),
        "choices": _choices(column.choices),
        "personal": column.personal,
        "required": column.required,
        "default": column.default,
    }


def _tab(tab: Tab) -> dict[str, Any]:
    return {
        "id": tab.id,
        "kind": tab.kind,
        "titles": dict(tab.titles),
        "key": tab.key,
        "form": tab.form,
        "language": tab.language,
        "columns": [_column(c) for c in tab.columns],
    }


def _question(question: Question) -> dict[str, Any]:
    return {
        "field_id": question.field_id,
        "type": question.type,
        "labels": dict(question.labels),
        "help": dict(question.help),
        "required": question.required,
        "choices": _choices(question.choices),
        "personal": question.personal,
        "max_length": question.max_length,
    }


def _form(form: Form) -> dict[str, Any]:
    return {
        "id": form.id,
        "titles": dict(form.titles),
        "intro": dict(form.intro),
        "questions": [_question(q) for q in form.questions],
    }


def _task(task: Task) -> dict[str, Any]:
    return {
        "code": task.code,
        "labels": dict(task.labels),
        "descriptions": dict(task.descriptions),
        "material": dict(task.material),
        "profile": dict(task.profile),
        "in_person": task.in_person,
        "requires": list(task.requires),
        "collective": task.collective,
    }


def _area(item: Area) -> dict[str, Any]:
    return {
        "postcode": item.postcode,
        "name": item.name,
        "labels": dict(item.labels),
        "lat": item.lat,
        "lng": item.lng,
        "province": item.province,
        "places": list(item.places),
        "neighbours": list(neighbours(item.postcode)),
    }


def contract() -> dict[str, Any]:
    """The contract as JSON-serialisable data (dicts, lists, strings, numbers, bools, None)."""
    areas = load_areas()
    return {
        "languages": list(LANGUAGES),
        "tabs": [_tab(t) for t in TABS],
        "forms": [_form(f) for f in FORMS.values()],
        "notices": {
            "privacy": dict(FORM_PRIVACY_NOTICE),
            "partner_sharing": dict(PARTNER_SHARING_NOTICE),
        },
        "choices": {
            "languages": _choices(LANGUAGE_CHOICES),
            "transport": _choices(TRANSPORT_CHOICES),
            "availability": _choices(AVAILABILITY_CHOICES),
            "channel": _choices(CHANNEL_CHOICES),
        },
        "tasks": [_task(t) for t in TASKS],
        # All ~1,160 postcodes would drown the document; they are in the Areas tab.
        "areas": {
            "count": len(areas),
            "provinces": sorted({a.province for a in areas}),
            "leuven": [_area(area(p)) for p in LEUVEN_POSTCODES],
        },
    }
