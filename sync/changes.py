"""What a later submission changed on a person's or a need's row, in one line a coordinator reads.

"28/11 EN-formulier: toestemming om te delen met partners ingetrokken; beschikbaarheid toegevoegd
(Weekdagen voormiddag)". It goes in the row's `last_change` column when new submissions join an
existing row, so a merge is never silent; the values themselves are in the row already.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sheets_schema.answers import cell_codes, list_text, parse_bool
from sheets_schema.fields import Tab
from sheets_schema.i18n import N_, Phrases

from .normalise import Submission

PHRASES = Phrases({
    "form": N_("{lang} form"), "added": N_("{what} added ({values})"), "changed": N_("{what} changed"),
    "given": N_("consent to share with partners given"),
    "withdrawn": N_("consent to share with partners withdrawn"), "nothing": N_("nothing new"),
})
LISTS = ("tasks", "languages", "availability", "transport")
DETAILS = ("phone", "email", "street", "postcode")


def change_line(tab: Tab, before: Mapping[str, str], after: Mapping[str, str], joined: Sequence[Submission],
                language: str) -> str:
    """What the `joined` submissions changed from `before` (the row as read) to `after` (as it will be)."""
    say = PHRASES.in_(language)
    newest = max(joined, key=lambda s: (s.submitted_at or datetime.min, s.submission_id))
    where = say["form"].format(lang=(newest.form_language or "?").upper())
    when = newest.submitted_at.strftime("%d/%m") if newest.submitted_at else ""
    parts = []
    consent = (parse_bool(before.get("consent_partners", "")), parse_bool(after.get("consent_partners", "")))
    if "consent_partners" in after and consent[0] is True and consent[1] is not True:
        parts.append(say["withdrawn"])
    elif "consent_partners" in after and consent[0] is not True and consent[1] is True:
        parts.append(say["given"])
    for column_id in LISTS:
        if column_id not in after:
            continue
        choices = tab.column(column_id).choices
        had = cell_codes(choices, before.get(column_id, ""))
        added = [c for c in cell_codes(choices, after[column_id]) if c not in had]
        if added:
            parts.append(say["added"].format(what=tab.column(column_id).labels[language].lower(),
                                             values=list_text(choices, added, language)))
    for column_id in DETAILS:
        if after.get(column_id, "") != before.get(column_id, "") and after.get(column_id):
            parts.append(say["changed"].format(what=tab.column(column_id).labels[language].lower()))
    return f"{when} {where}: " + ("; ".join(parts) or say["nothing"])
