"""A checklist's cells as linkcheck holds them, whatever file they came from: the text a
person reads in a cell (cell_text), JSON numbers kept as written, a JSON Lines row with its
object, and a row that could not be read. Readers and writers both use them."""

from __future__ import annotations

import json
from datetime import date, datetime

from ..when import is_midnight


class RawNumber(str):
    """A JSON number kept as the text it was written as: `1.0` stays `1.0`, `-0.0` stays
    `-0.0`, and `1e400` or a 5,000-digit integer is not turned into inf or refused."""

    __slots__ = ()


class JsonRow(list):
    """A JSON Lines row: its cells under the header's keys, and the object itself, which
    JSON outputs pass through whole."""

    __slots__ = ("obj",)
    obj: dict


def dump_json(value) -> str:
    """JSON text of a value read by this module: numbers exactly as they were written."""
    if type(value) is dict and all(type(v) is str for v in value.values()):
        return json.dumps(value, ensure_ascii=False)
    return _dump(value)


def _dump(value) -> str:
    if isinstance(value, RawNumber):
        return str.__str__(value)
    if isinstance(value, dict):
        inner = ", ".join(
            f"{json.dumps(k, ensure_ascii=False)}: {_dump(v)}" for k, v in value.items()
        )
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_dump(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


class BadRow(list):
    """A row that could not be read, or not checked; carries the reason to the error row,
    and the row as read when there is one (`kept`: a JSON object naming a key twice is
    written back whole, its values all quoted in the note)."""

    reason: str
    kept: list[str] | None

    def __init__(self, reason: str, kept: list[str] | None = None) -> None:
        super().__init__()
        self.reason = reason
        self.kept = kept


def cell_text(value) -> str:
    """A spreadsheet or JSON value as the text a person would read in the cell."""
    if value is None:
        return ""
    if type(value) is str:
        return value
    if isinstance(value, str):  # a RawNumber: the number as written
        return str.__str__(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if is_midnight(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict | list):
        return dump_json(value)
    return str(value)
