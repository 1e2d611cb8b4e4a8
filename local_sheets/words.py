"""The view's and the row editor's words, in the language of the spreadsheet's locale.

Google Sheets speaks its user's language; the local view speaks the team's,
read from the spreadsheet's locale (`helpt init` sets nl_BE, fr_BE or en_GB).
The texts are English messages in helpt's catalogues (sheets_schema/locale),
where translators edit them with the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sheets_schema.fields import LANGUAGES
from sheets_schema.i18n import N_, NP_, translate, translate_n

WORDS: dict[str, str] = {
    "intro": N_("This is the local spreadsheet, the offline stand-in for Google Sheets. To change a row, choose "
                "its number: coordinator columns can be edited there. Shaded column letters mark protected "
                "columns: helpt writes them at every sync, so they stay read-only here. A header's help shows "
                "when you point at it, and in a row's form."),
    "download": N_("Download xlsx"), "csv": N_("CSV of this tab"), "no_tabs": N_("This spreadsheet has no tabs."),
    "empty": N_("The tab {title} is empty."), "tabs": N_("Tabs"), "hidden": N_("(hidden)"),
    "protected": N_("(protected)"), "edit_row": N_("Edit row {n}"), "add_row": N_("Add a row"),
    "more_rows": N_("Showing the first {shown} rows; {hidden} more rows are not shown. Download the xlsx to see "
                    "them all."),
    "helpt_column": N_("helpt writes this column at every sync, so a change here would be overwritten."),
    "protected_by": N_("Protected: {description}"), "owner": N_("Protected by the spreadsheet's owner."),
    "row_of": N_("Row {n} of {title}"), "new_row": N_("A new row in {title}"), "back": N_("Back to the tab"),
    "save": N_("Save"), "saving": N_("Saving…"), "offline": N_("Not saved: the local server did not answer. Try "
                                                              "again."),
    "read_only": N_("Written by helpt (read-only)"),
    "read_only_why": N_("helpt writes these columns at every sync, so they cannot be changed here."),
    "picker": N_("Suggestions in this row: tick to add"),
    "not_found": N_("No such row to edit."), "not_saved": N_("Not saved"),
    "refused": N_("Refused: this form did not come from this server's own page."),
    "no_tab": N_("Not saved: that tab no longer exists or cannot be edited here."),
    "no_row_number": N_("Not saved: the form has no row number."),
    "row_gone": N_("Not saved: this row is no longer in the tab (it was removed, or its id changed). Reload the "
                   "tab to find it."),
    "not_a_choice": N_("Not saved: “{value}” is not one of the choices of {column} ({choices})."),
    "not_the_shape": N_("Not saved: “{value}” does not fit {column}. {help}"),
    "too_long": N_("Not saved: {column} holds more than {n} characters, the most one cell can hold."),
    "conflict": N_("Not saved: someone changed this row while you were editing ({changes}). The form now shows "
                   "their values beside yours; save again to keep yours."),
    "now_is": N_("{column} is now “{value}”"),
    "needs_key": N_("Not saved: a new row needs its {column} first."),
    "key_taken": N_("Not saved: a row with {column} “{value}” already exists."),
    "no_room": N_("Not saved: the tab has no empty row left; add rows to it first."),
}
SAVED = NP_("Saved: {n} change.", "Saved: {n} changes.")
ROWS = NP_("{title}: {n} row, {columns} columns", "{title}: {n} rows, {columns} columns")


def language_of(properties: Mapping[str, Any]) -> str:
    """The language of a spreadsheet's locale ("nl_BE" -> "nl"); English when helpt has no catalogue for it."""
    language = str(properties.get("locale", "")).split("_")[0].lower()
    return language if language in LANGUAGES else "en"


def say(language: str, key: str, **values: object) -> str:
    return translate(language, WORDS[key], **values)


def say_n(language: str, message: tuple[str, str], n: int, **values: object) -> str:
    return translate_n(language, *message, n, **values)
