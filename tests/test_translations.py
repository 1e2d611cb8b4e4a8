"""The catalogues: every message the code and the templates use, translated in nl, fr and en, none fuzzy,
the same placeholders in every language, compiled; plurals and numbers as each language writes them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from babel.support import Translations

from sheets_schema.i18n import CATALOGUES, decimal, number, translate_n
from sync.job import SyncResult, TabChanges
from sync.logbook import say

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"translate": (2,), "translate_n": (2, 3), "N_": None, "NP_": (1, 2), "_": None, "gettext": None,
            "ngettext": (1, 2)}
LANGUAGES = ("nl", "fr", "en")
PLACEHOLDER = re.compile(r"\{(\w*)[^}]*\}")


def _used() -> set[object]:
    found = set()
    for directory in ("sheets_schema", "sync", "webhooks", "helpt", "desk_db", "local_sheets"):
        method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
        for _, _, message, _, _ in extract_from_dir(ROOT / directory, method_map, keywords=KEYWORDS):
            found.add(message)
    return found


def _catalogue(language: str):
    with open(CATALOGUES / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def used() -> set[object]:
    return _used()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_in_the_catalogue_translated_and_not_fuzzy(language, used):
    catalogue = _catalogue(language)
    held = {message.id for message in catalogue if message.id}
    assert used - held == set(), "run `make translations`: messages missing from the catalogue"
    assert held - used == set(), "run `make translations`: messages no longer used"
    for message in catalogue:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated in {language}: {message.id!r}"


@pytest.mark.parametrize("language", ("nl", "fr"))
def test_a_translation_has_the_placeholders_of_its_message(language):
    for message in _catalogue(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = {name for text in ids for name in PLACEHOLDER.findall(text)}
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == wanted, (language, message.id, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_says_what_the_po_file_says(language):
    compiled = Translations.load(str(CATALOGUES), [language])
    for message in _catalogue(language):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            assert compiled.ngettext(*message.id[:2], 1) == message.string[0], "run `make translations`"
        else:
            assert compiled.gettext(message.id) == message.string, "run `make translations`"


def test_plurals_and_numbers_read_as_each_language_writes_them():
    assert [translate_n("nl", "{n} row", "{n} rows", n) for n in (1, 2)] == ["1 rij", "2 rijen"]
    assert [translate_n("fr", "{n} row", "{n} rows", n) for n in (0, 1, 2)] == ["0 ligne", "1 ligne", "2 lignes"]
    assert say("nl", "merged", n=1) == "1 rij samengevoegd na nazicht"
    assert (number("nl", 1575), number("fr", 1575), number("en", 1575)) == ("1.575", "1\u202f575", "1,575")
    assert (decimal("nl", 25.8), decimal("en", 25.8)) == ("25,8", "25.8")


def test_the_dutch_sync_summary_writes_numbers_the_dutch_way():
    result = SyncResult(dry_run=False, language="nl", submissions=1575, new_submissions=1, seconds=25.8,
                        api_calls=7, tabs={"volunteers": TabChanges("Vrijwilligers", added=1, changed=0)},
                        joined_existing=0, flagged=1)
    summary = result.summary()
    assert summary.startswith("Gesynchroniseerd in 25,8 s. 1.575 inzendingen gelezen (1 nieuw)")
    assert "1 mogelijke dubbel om na te kijken" in summary and "7 oproepen naar de Sheets-API" in summary
