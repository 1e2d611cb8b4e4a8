"""The whole spreadsheet contract as plain data, for `helpt schema --json`.

One JSON document says everything a coordinator, a form builder or the Apps
Script needs: tabs and columns with their owners and labels, the forms and
their questions, the tasks, the choice lists and the areas.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from .areas import LEUVEN_POSTCODES, area, load_areas, neighbours
from .choices import AVAILABILITY_CHOICES, CHANNEL_CHOICES, LANGUAGE_CHOICES, TRANSPORT_CHOICES
from .fields import LANGUAGES, Choice
from .forms import FORM_PRIVACY_NOTICE, FORMS, PARTNER_SHARING_NOTICE
from .tabs import TABS
from .tasks import TASKS


def _plain(value: Any) -> Any:
    """A dataclass tree as JSON types: tuples become lists, as json.dumps would make them."""
    return json.loads(json.dumps(asdict(value)))


def _choices(choices: tuple[Choice, ...]) -> list[dict[str, Any]]:
    return [_plain(c) for c in choices]


def contract() -> dict[str, Any]:
    """The contract as JSON-serialisable data (dicts, lists, strings, numbers, bools, None)."""
    areas = load_areas()
    return {
        "languages": list(LANGUAGES),
        "tabs": [_plain(t) for t in TABS],
        "forms": [_plain(f) for f in FORMS.values()],
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
        "tasks": [_plain(t) for t in TASKS],
        # All ~1,160 postcodes would drown the document; they are in the Areas tab.
        "areas": {
            "count": len(areas),
            "provinces": sorted({a.province["nl"] for a in areas}),
            "leuven": [{**_plain(area(p)), "neighbours": list(neighbours(p))} for p in LEUVEN_POSTCODES],
        },
    }
