"""The rows `helpt init` puts in the reference tabs (Tasks, Areas) when they are empty.

Coordinators read the tasks and areas in the spreadsheet, and matching reads
area centroids from the Areas tab; both start from the data in this package.
Once a tab has rows it belongs to the coordinators: init never refills it.
"""

from __future__ import annotations

import functools
from typing import Any

from .answers import bool_text, list_text
from .areas import load_areas, neighbours
from .choices import TRANSPORT_CHOICES
from .fields import Tab
from .tasks import TASKS

NEIGHBOUR_KM = 5.0  # areas whose centres lie this close count as neighbours


def _task_rows(language: str) -> list[dict[str, Any]]:
    return [{
        "code": t.code,
        **{f"label_{lang}": text for lang, text in t.labels.items()},
        **{f"description_{lang}": text for lang, text in t.descriptions.items()},
        "material": t.material[language],
        "profile": t.profile[language],
        # In words of the team's language, as every cell people read (invariant 9).
        "in_person": bool_text(t.in_person, language),
        "requires": list_text(TRANSPORT_CHOICES, t.requires, language),
        "collective": bool_text(t.collective, language),
        **{f"tips_{lang}": text for lang, text in t.tips.items()},
    } for t in TASKS]


@functools.cache  # every init plans it; the data never changes while running
def _area_rows(language: str) -> tuple[dict[str, Any], ...]:
    return tuple({
        "postcode": a.postcode, "name": a.labels[language], "lat": a.lat, "lng": a.lng,
        "province": a.province[language], "region": a.region[language],
        "neighbours": ", ".join(neighbours(a.postcode, NEIGHBOUR_KM)),
    } for a in load_areas())


_SEEDS = {"tasks": _task_rows, "areas": _area_rows}


def reference_rows(tab: Tab, language: str) -> list[dict[str, Any]]:
    """The starting rows of a reference tab, as {column id: value}; none for other tabs."""
    seed = _SEEDS.get(tab.id)
    return [dict(row) for row in seed(language)] if seed else []
