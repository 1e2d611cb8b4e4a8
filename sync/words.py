"""Codes in words, inside the sentences helpt writes for coordinators (invariant 9).

The sheet's list columns hold labels as the dropdowns show them; a sentence
("no volunteer for dog walking", "both ask for groceries") takes them in the
team's language, lower-cased where a sentence wants it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sheets_schema.choices import LANGUAGE_CHOICES
from sheets_schema.tasks import TASK_CHOICES


def in_sentence(label: str) -> str:
    """"Boodschappen doen" -> "boodschappen doen"; an acronym keeps its capitals."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def task_text(codes: Iterable[str], language: str, joiner: str = ", ") -> str:
    labels = {c.code: in_sentence(c.labels[language]) for c in TASK_CHOICES}
    return joiner.join(labels.get(code, code) for code in codes)


def language_text(codes: Iterable[str], language: str, joiner: str = ", ") -> str:
    """Language names as the team writes them: capitalised in Dutch and English, not in French."""
    labels = {c.code: c.labels[language] for c in LANGUAGE_CHOICES}
    names = [labels.get(code, code) for code in codes]
    return joiner.join(in_sentence(n) if language == "fr" else n for n in names)
