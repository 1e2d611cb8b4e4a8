"""Field masks as Google reads them: `a.b,c(d,e/f)`, `*` for everything.

A mask becomes a tree of names, an empty tree meaning "the whole field".
`select` keeps what a mask names (the `fields` parameter of a read), `assign`
copies what it names from a request into a resource, clearing what the request
leaves out (the `fields` of an update request).
"""

from __future__ import annotations

import copy
from typing import Any

from .errors import bad_request

Tree = dict[str, "Tree"]
EVERYTHING: Tree = {"*": {}}


def parse(fields: str | None) -> Tree:
    """'sheets(properties.title,data.rowData)' -> {'sheets': {'properties': {'title': {}}, 'data': {...}}}."""
    text = (fields or "").replace("/", ".").replace(" ", "")
    tree: Tree = {}
    position = _parse_list(text, 0, tree)
    if position != len(text):
        raise bad_request(f"Invalid field selection {fields[:80]}")
    return tree


def _parse_list(text: str, i: int, into: Tree) -> int:
    while i < len(text) and text[i] != ")":
        i = _parse_path(text, i, into)
        if i < len(text) and text[i] == ",":
            i += 1
    return i


def _parse_path(text: str, i: int, into: Tree) -> int:
    start = i
    while i < len(text) and text[i] not in ".,()":
        i += 1
    name = text[start:i]
    if not name:
        raise bad_request(f"Invalid field selection {text[:80]}")
    node = into.setdefault(name, {})
    if i < len(text) and text[i] == ".":
        return _parse_path(text, i + 1, node)
    if i < len(text) and text[i] == "(":
        i = _parse_list(text, i + 1, node)
        if i >= len(text) or text[i] != ")":
            raise bad_request(f"Invalid field selection {text[:80]}")
        return i + 1
    return i


def select(resource: Any, tree: Tree) -> Any:
    """The parts of a resource a mask names; lists are masked item by item."""
    if not tree or "*" in tree:
        return copy.deepcopy(resource)
    if isinstance(resource, list):
        return [select(item, tree) for item in resource]
    if not isinstance(resource, dict):
        return copy.deepcopy(resource)
    out: dict[str, Any] = {}
    for key, sub in tree.items():
        if key in resource:
            out[key] = select(resource[key], sub)
    return out


def assign(target: dict[str, Any], source: dict[str, Any], tree: Tree) -> None:
    """Set the named fields of target from source; a named field absent from source is cleared."""
    keys = list(source) if "*" in tree else list(tree)
    for key in keys:
        sub = tree.get(key, {})
        value = source.get(key) if isinstance(source, dict) else None
        # A mask going deeper than this field: assign part by part (clearing parts absent from source).
        if sub and (isinstance(value, dict) or value is None and isinstance(target.get(key), dict)):
            inner = target.setdefault(key, {})
            if not isinstance(inner, dict):
                inner = target[key] = {}
            assign(inner, value or {}, sub)
            if not inner:
                target.pop(key, None)
        elif value is None:
            target.pop(key, None)
        else:
            target[key] = copy.deepcopy(value)


def names(tree: Tree, path: str) -> bool:
    """Whether a mask reaches the dotted path (or a part of it)."""
    node = tree
    for key in path.split("."):
        if not node or "*" in node:
            return True
        if key not in node:
            return False
        node = node[key]
    return True
