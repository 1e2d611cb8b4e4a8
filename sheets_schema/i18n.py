"""The words people read, in their language: gettext catalogues that translators edit, numbers as Belgians write them.

Every sentence helpt writes for a person (pages, messages, Log rows,
reasons, summaries) is an English message looked up in the catalogue of the
reader's language: `sheets_schema/locale/<nl|en|fr>/LC_MESSAGES/messages.po`,
one file per language, edited by translators (Weblate, Poedit, any editor),
compiled to `.mo` by `make translations`. Placeholders are named
(`{n} rows`), so a translation may put them in its own order.

Jobs know the reader's language as data (the team's, a submission's), so
they call `translate(language, message)`; the web pages use Flask-Babel's
`_()` over the same catalogues. Labels of the contract itself (tabs, columns,
choices, tasks, questions) stay declarative data in the schema, in all three
languages at once, because headers are matched in any of them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

CATALOGUES = Path(__file__).parent / "locale"
DOMAIN = "messages"
# The locale each language's numbers, decimals and dates are written in.
LOCALES = {"nl": "nl_BE", "en": "en", "fr": "fr_BE"}


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined; it is translated where it is used."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message with a plural form, for `translate_n` where it is used."""
    return singular, plural


@lru_cache(maxsize=None)
def catalogue(language: str) -> NullTranslations:
    return Translations.load(str(CATALOGUES), [language], DOMAIN)


def translate(language: str, message: str, **values: object) -> str:
    """`message` in `language`, its {placeholders} filled in."""
    text = catalogue(language).gettext(message)
    return text.format(**values) if values else text


def translate_n(language: str, singular: str, plural: str, n: int, **values: object) -> str:
    """The form for `n` ("1 row", "2 rows"; Dutch and French have their own rules); {n} is `n` written out."""
    text = catalogue(language).ngettext(singular, plural, n)
    return text.format(n=number(language, n), **values)


# Babel parses the locale and the pattern at every call (50 µs); a sync writes tens of thousands of
# distances and counts, most of them the same few values, so each is formatted once per process.
@lru_cache(maxsize=65536, typed=True)
def number(language: str, n: float) -> str:
    """A whole number as the reader writes it: 1.575 (nl), 1 575 (fr), 1,575 (en)."""
    return format_decimal(n, locale=LOCALES[language])


@lru_cache(maxsize=65536, typed=True)
def decimal(language: str, x: float, digits: int = 1) -> str:
    """A decimal with `digits` places: 25,8 (nl, fr), 25.8 (en)."""
    return format_decimal(x, format="#,##0." + "0" * digits, locale=LOCALES[language])


class Phrases(dict[str, str]):
    """A table of English messages by key (marked with N_ where it is written); `in_(language)` gives
    them translated, unformatted, for code that fills in the placeholders itself."""

    def in_(self, language: str) -> dict[str, str]:
        cached = self.__dict__.setdefault("_translated", {})
        if language not in cached:
            cached[language] = {key: translate(language, message) for key, message in self.items()}
        return cached[language]
