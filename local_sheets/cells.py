"""Cell values as stored and as rendered.

A stored cell is None (empty), a str, an int/float, a bool, {"f": "=..."} for a
formula, or {"v": number, "d": "display text"} for a number entered with a
display form (thousands separators), {"v": serial, "d": "2020-01-01", "date": True}
for a date.

Formulas are not a spreadsheet engine: FORMATTED_VALUE/UNFORMATTED_VALUE of a
formula made only of numbers and + - * / ( ) is its arithmetic result; any other
formula renders as its own text.
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
import re
from typing import Any

from .limits import check_cell_text

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_EPOCH = dt.date(1899, 12, 30)
_ARITH = re.compile(r"^[\d\s.+\-*/()eE]+$")
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


class CellValueError(ValueError):
    """A value that is not a JSON scalar (the API refuses lists and objects)."""


def from_input(value: Any, user_entered: bool) -> Any:
    """One value of a write request -> stored cell."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if not isinstance(value, str):
        raise CellValueError(value)
    if value == "":
        return None
    check_cell_text(value)
    if not user_entered:
        return value
    return _parse_user_entered(value)


def _parse_user_entered(text: str) -> Any:
    if text.startswith("'"):
        return text[1:] or None
    if text.startswith("=") and len(text) > 1:
        return {"f": text}
    if text.upper() in ("TRUE", "FALSE"):
        return text.upper() == "TRUE"
    stripped = text.strip()
    if _NUMBER.match(stripped):
        return _number(float(stripped))
    if _GROUPED.match(stripped):
        return {"v": _number(float(stripped.replace(",", ""))), "d": stripped}
    date = _DATE.match(stripped)
    if date:
        try:
            day = dt.date(int(date.group(1)), int(date.group(2)), int(date.group(3)))
        except ValueError:
            return text
        return {"v": (day - _EPOCH).days, "d": stripped, "date": True}
    return text


def _number(x: float) -> int | float:
    return int(x) if x.is_integer() and abs(x) < 1e15 else x


def format_number(x: int | float) -> str:
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        x = int(x)
    return str(x) if isinstance(x, int) else repr(x)


def evaluate(formula: str) -> Any:
    """The value of a purely arithmetic formula, else None."""
    body = formula[1:]
    if not _ARITH.match(body):
        return None
    try:
        return _number(float(_eval(ast.parse(body.strip(), mode="eval").body)))
    except (SyntaxError, ZeroDivisionError, ValueError, TypeError, KeyError):
        return None


def _eval(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.BinOp):
        return _OPS[type(node.op)](_eval(node.left), _eval(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _eval(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    raise ValueError(node)


def render(cell: Any, option: str, dates: str = "SERIAL_NUMBER") -> Any:
    """Stored cell -> API value for valueRenderOption and dateTimeRenderOption.

    As Google documents, dateTimeRenderOption only matters when the value is not
    formatted: then FORMATTED_STRING shows a date as its text, SERIAL_NUMBER as a number.
    """
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    formatted = option not in ("UNFORMATTED_VALUE", "FORMULA")
    if isinstance(cell, bool):
        return ("TRUE" if cell else "FALSE") if formatted else cell
    if isinstance(cell, (int, float)):
        return format_number(cell) if formatted else cell
    if "f" in cell:
        if option == "FORMULA":
            return cell["f"]
        value = evaluate(cell["f"])
        if value is None:
            return cell["f"]
        return format_number(value) if formatted else value
    if formatted or (cell.get("date") and dates == "FORMATTED_STRING"):
        return cell["d"]
    return cell["v"]


def display(cell: Any) -> str:
    """What a person sees in the cell (HTML view, CSV)."""
    return render(cell, "FORMATTED_VALUE")


def plain(cell: Any) -> Any:
    """A typed value for xlsx export: numbers stay numbers, formulas stay text."""
    if isinstance(cell, dict):
        return cell.get("f") or cell.get("v")
    return cell
