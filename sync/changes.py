"""What a later submission changed on a person's or a need's row, in one line a coordinator reads.

"28/11 EN-formulier: toestemming om te delen met partners ingetrokken; beschikbaarheid toegevoegd
(Weekdagen voormiddag)". It goes in the row's `last_change` column when new submissions join an
existing row, or when a coordinator's "same person" merges rows, so a merge is never silent; the
values themselves are in the row already.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from sheets_schema.answers import cell_codes, list_text, parse_bool
from sheets_schema.fields import Tab
from sheets_schema.i18n import N_, NP_, Phrases, translate_n

from .normalise import Submission

PHRASES = Phrases({
    "form": N_("{lang} form"), "added": N_("{what} added ({values})"), "changed": N_("{what} changed"),
    "given": N_("consent to share with partners given"),
    "withdrawn": N_("consent to share with partners withdrawn"), "nothing": N_("nothing new"),
    "merged": N_("merged with {rows} (same person)"),
})
PHONES_ADDED = NP_("{n} other phone number kept", "{n} other phone numbers kept")
LISTS = ("tasks", "languages", "availability", "transport")
DETAILS = ("phone", "email", "street", "postcode")


def change_line(tab: Tab, before: Mapping[str, str], after: Mapping[str, str], joined: Sequence[Submission],
                language: str, merged: Sequence[str] = (), today: date | None = None) -> str:
    """What the `joined` submissions changed from `before` (the row as read) to `after` (as it will be).

    `merged` names the rows a coordinator confirmed as the same person, merged in `today`.
    """
    say = PHRASES.in_(language)
    if merged:
        when = today.strftime("%d/%m") if today else ""
        where = say["merged"].format(rows=", ".join(merged))
    else:
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
    had = set(_numbers(before.get("phone", ""), before.get("other_phones", "")))
    added = [n for n in _numbers(after.get("phone", ""), after.get("other_phones", "")) if n not in had]
    if added and had:
        # The numbers are in the row; this line (which no erasure looks into) names none.
        parts.append(translate_n(language, *PHONES_ADDED, len(added)))
    return f"{when} {where}: " + ("; ".join(parts) or say["nothing"])


def _numbers(*cells: str) -> list[str]:
    return [number.strip() for cell in cells for number in cell.split(",") if number.strip()]
