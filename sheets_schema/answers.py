"""Reading answers the way people and Google Forms give them, and writing them the way Google Forms does.

Shared by intake (webhooks) and the merge (sync): a question is found by its
field id or its title in the form's language; a choice by its code or its label
in any language; ticked boxes come as labels joined by ", " (Google Forms).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

import phonenumbers

from .fields import Choice, Form, Question

# Google Forms writes ticked boxes as their labels joined by ", " (labels never hold a comma).
LIST_SEPARATOR = ", "

YES: dict[str, str] = {"nl": "Ja", "en": "Yes", "fr": "Oui"}
NO: dict[str, str] = {"nl": "Nee", "en": "No", "fr": "Non"}
_YES_WORDS = {"true", "1", "on", "x", *(w.casefold() for w in YES.values())}
_NO_WORDS = {"false", "0", "off", "", *(w.casefold() for w in NO.values())}

# Invisible characters that reorder text (the "Trojan Source" family): they make
# a cell read differently from what it holds, so they are dropped. So are U+FFFE and
# U+FFFF, which no text means and no xlsx file can hold.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufffe\uffff"))
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def find_question(form: Form, language: str, key: str) -> Question | None:
    """The question answered under `key`: its field id, or its title in `language`."""
    wanted = _key(key)
    for question in form.questions:
        if wanted == question.field_id or wanted == _key(question.labels[language]):
            return question
    return None


def choice_code(choices: Iterable[Choice], text: str) -> str | None:
    """The code of the choice named by `text`: its code or its label in any language."""
    tables = _tables(choices)
    if isinstance(text, str) and text in tables.codes:
        return tables.codes[text]
    return _remember(tables.codes, text, tables.words.get(_key(text)))


# Cells as written, read before, per choice list: a sync reads the same few spellings 100,000 times.
# Bounded, for a column where people type freely.
_SEEN = 4096
T = TypeVar("T")


def _remember(read: dict[str, T], text: str, value: T) -> T:
    """`value`, kept as what `text` reads as while there is room. The look-up stays with each caller:
    it is the hot path, and a helper taking a closure made the overview of 83,000 rows 0.25 -> 0.34 s."""
    if isinstance(text, str) and len(read) < _SEEN:
        read[text] = value
    return value


@dataclass
class _Tables:
    choices: object  # the very list these are for
    words: dict[str, str]  # see choice_words
    codes: dict[str, str | None] = field(default_factory=dict)  # cell -> choice_code
    cells: dict[str, tuple[str, ...]] = field(default_factory=dict)  # cell -> cell_codes


_TABLES: dict[int, _Tables] = {}


def _tables(choices: Iterable[Choice]) -> _Tables:
    """Built once per choice list (the contract's are constants)."""
    cached = _TABLES.get(id(choices))
    if cached is not None and cached.choices is choices:  # the very list, not another one at its old address
        return cached
    words: dict[str, str] = {}
    for choice in choices:
        words.setdefault(choice.code.casefold(), choice.code)
        for label in choice.labels.values():
            words.setdefault(_key(label), choice.code)
    tables = _Tables(choices, words)
    if isinstance(choices, tuple):
        _TABLES[id(choices)] = tables
    return tables


def choice_words(choices: Iterable[Choice]) -> dict[str, str]:
    """Every way a choice may be written, folded (its code, its label in each language) -> its code.

    The one reader of choices.
    """
    return _tables(choices).words


def cell_codes(choices: tuple[Choice, ...], text: str) -> list[str]:
    """The codes in a list cell, whether it holds labels in any language or codes; unknown items left out."""
    tables = _tables(choices)
    if isinstance(text, str) and text in tables.cells:
        return list(tables.cells[text])
    words = tables.words
    return list(_remember(tables.cells, text, tuple(dict.fromkeys(
        code for item in split_list(text) if (code := words.get(_key(item)))))))


def split_list(text: str) -> list[str]:
    """The items of a list cell or a Google Forms checkbox answer."""
    return [item.strip() for item in text.split(",") if item.strip()]


def list_text(choices: Iterable[Choice], codes: Iterable[str], language: str) -> str:
    """Codes as a Google Form's response sheet shows them: labels in `language`, joined."""
    labels = {choice.code: choice.labels[language] for choice in choices}
    return LIST_SEPARATOR.join(labels[code] for code in codes)


def parse_bool(text: str, question_labels: Iterable[str] = ()) -> bool | None:
    """Yes/no in any language; a ticked single Google Forms checkbox sends its own label."""
    wanted = _key(text)
    if wanted in _YES_WORDS or wanted in {_key(label) for label in question_labels}:
        return True
    if wanted in _NO_WORDS:
        return False
    return None


def bool_text(value: bool, language: str) -> str:
    return YES[language] if value else NO[language]


@lru_cache(maxsize=200_000)  # a sync parses the same numbers again every few minutes
def read_phone(text: str) -> tuple[str, str, str] | None:
    """(E.164, "mobile" or "fixed", as people read it) for a valid number, Belgian unless it says
    otherwise; else None. One parse for all three: parsing is most of what a sync spends on phones.

    Intake refuses what this rejects, and the sync keys people on what it returns,
    so both must read a number the same way.
    """
    try:
        number = phonenumbers.parse(text, "BE")
    except phonenumbers.NumberParseException:
        return None
    kind = phonenumbers.number_type(number)  # UNKNOWN exactly when is_valid_number() is False, at half the cost
    if kind == phonenumbers.PhoneNumberType.UNKNOWN:
        return None
    mobile = kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    national = phonenumbers.region_code_for_number(number) == "BE"
    shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL if national
                                       else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return (phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), "mobile" if mobile else "fixed",
            shown)


def parse_phone(text: str) -> tuple[str, str] | None:
    """(E.164, "mobile" or "fixed") for a valid number, Belgian unless it says otherwise; else None."""
    read = read_phone(text)
    return read[:2] if read else None


def phone_text(text: str) -> str:
    """A phone number as people read and dial it: Belgian ones in the national format (016 22 33 44,
    0470 12 34 56), others in the international one; text that is no valid number stays as it is."""
    read = read_phone(text)
    return read[2] if read else text


def phone_e164(text: str) -> str | None:
    """A valid phone number in E.164 (+3216...), or None. Belgian unless it says otherwise."""
    parsed = parse_phone(text)
    return parsed[0] if parsed else None


def has_control_characters(text: str) -> bool:
    """True for characters no form field can hold (NUL, ESC, ...); tabs and newlines are fine."""
    return any(unicodedata.category(ch) in {"Cc", "Cs"} and ch not in _ALLOWED_CONTROLS for ch in text)


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Text as it should sit in a cell: no reordering characters, tidy whitespace, trimmed."""
    text = unicodedata.normalize("NFC", text.translate(_BIDI_CONTROLS)).replace("\r\n", "\n").replace("\r", "\n")
    if multiline:
        return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
    return " ".join(text.split())


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def looks_like_email(text: str) -> bool:
    """Deliberately loose: one @, a dot in the domain. The only real check is sending a mail."""
    return bool(_EMAIL.match(text))
