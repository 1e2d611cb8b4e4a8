"""The building blocks of the spreadsheet contract: languages, choices, columns, tabs.

Everything else in `sheets_schema` is data made of these. A column is declared
once with a stable id; its header in the sheet may be any of its labels (or the
id itself), so coordinators can rename a header into another language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

LANGUAGES: tuple[str, ...] = ("nl", "en", "fr")

Owner = Literal["system", "coordinator"]
SYSTEM: Owner = "system"
COORDINATOR: Owner = "coordinator"

# Value types a column can hold. "list" cells hold codes joined by ", ".
ColumnType = Literal[
    "id", "text", "longtext", "email", "phone", "postcode", "number",
    "bool", "choice", "list", "date", "datetime",
]

Labels = dict[str, str]  # language -> text, one entry per language in LANGUAGES


def nl_en_fr(nl: str, en: str, fr: str) -> Labels:
    """A label of the contract in its three languages: the one shape every tab, column, choice, task
    and question is written in (headers are recognised in any of them, so they stay data, not gettext)."""
    return {"nl": nl, "en": en, "fr": fr}


@dataclass(frozen=True)
class Choice:
    """One allowed value: a stable code and how it reads in each language."""

    code: str
    labels: Labels


@dataclass(frozen=True)
class Column:
    """One column of one tab, declared once."""

    id: str
    owner: Owner
    type: ColumnType
    labels: Labels
    help: Labels
    choices: tuple[Choice, ...] = ()
    personal: bool = False  # personal data: minimised in partner extracts, destroyed by purge
    required: bool = True  # the header must exist in the sheet, or jobs stop with a clear error
    default: str = ""  # written once when helpt creates a row (coordinator columns only)
    pattern: str = ""  # list columns of ids: what one item looks like (a regular expression), checked as typed

    def headers(self) -> set[str]:
        """Every header text under which this column is recognised."""
        return {self.id, *self.labels.values()}


TabKind = Literal["intake", "master", "reference", "report"]
ChartKind = Literal["LINE", "COLUMN"]


@dataclass(frozen=True)
class Chart:
    """A chart that lives in the coordinators' own spreadsheet, drawn from columns of its tab.

    `domain` is the column along the bottom axis, `series` the columns drawn;
    the ranges are whole columns, so the chart follows the rows a sync writes.
    """

    id: str
    titles: Labels
    kind: ChartKind
    domain: str
    series: tuple[str, ...]


@dataclass(frozen=True)
class Tab:
    """One tab of the spreadsheet. `id` is stable; the title follows the team's language."""

    id: str
    kind: TabKind
    titles: Labels
    columns: tuple[Column, ...]
    key: str | None = None  # the column holding the row's stable id, if rows have one
    form: str | None = None  # intake tabs: "request" or "offer"
    language: str | None = None  # intake tabs: the language of their form
    charts: tuple[Chart, ...] = ()  # report tabs: charts over their columns, made by `helpt init`

    def column(self, column_id: str) -> Column:
        try:
            return self._by_id[column_id]
        except KeyError:
            raise KeyError(f"tab {self.id!r} has no column {column_id!r}") from None

    @cached_property
    def _by_id(self) -> dict[str, Column]:
        """The columns by id, the first of two with one id: a sync asks `column` for every row it reads."""
        by_id: dict[str, Column] = {}
        for column in self.columns:
            by_id.setdefault(column.id, column)
        return by_id

    def title(self, language: str) -> str:
        return self.titles[language]

    def names(self) -> set[str]:
        """Every title under which this tab is recognised."""
        return {self.id, *self.titles.values()}


@dataclass(frozen=True)
class Question:
    """One question of a public form, answering one canonical field."""

    field_id: str
    type: ColumnType
    labels: Labels
    help: Labels
    required: bool = False
    choices: tuple[Choice, ...] = ()
    personal: bool = False
    max_length: int = 500


@dataclass(frozen=True)
class Form:
    """A public form (request or offer); one definition serves every language."""

    id: str
    titles: Labels
    intro: Labels
    questions: tuple[Question, ...] = field(default_factory=tuple)

    def question(self, field_id: str) -> Question:
        for question in self.questions:
            if question.field_id == field_id:
                return question
        raise KeyError(f"form {self.id!r} has no question {field_id!r}")
