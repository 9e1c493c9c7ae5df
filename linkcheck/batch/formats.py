"""What a checklist run reads and writes: its formats, the answer appended to a row (the
five appended columns), its error."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from ..errors import LinkcheckError
from ..i18n import N_, Deferred


class Answer(NamedTuple):
    """What is appended to a checklist row for one surface: the five columns `batch` writes,
    in their order. Every cell is text ("" when there is nothing to say)."""

    surface: str
    verdict: str  # allowed | denied | unknown | error
    rule: str  # the deciding rule's id
    next_change: str  # `<ISO instant> <verdict>`
    note: str

    @classmethod
    def error(cls, surface: str, note: str) -> Answer:
        """A row (or one of its surfaces) that cannot be decided, and why."""
        return cls(surface, "error", "", "", note)


APPENDED = Answer._fields


class Format(StrEnum):
    """A checklist's file format (JSON and the terminal table are written, never read)."""

    CSV = "csv"
    TSV = "tsv"
    JSONL = "jsonl"
    JSON = "json"
    XLSX = "xlsx"
    TABLE = "table"

    @property
    def delimiter(self) -> str | None:
        """The cell delimiter of a delimited format, else None."""
        return {"csv": ",", "tsv": "\t"}.get(self.value)


# their headers where people read them (a table, a workbook), translated when written
APPENDED_LABELS = {
    "surface": N_("surface"),
    "verdict": N_("verdict"),
    "rule": N_("rule"),
    "next_change": N_("next_change"),
    "note": N_("note"),
}
APPENDED_SET = frozenset(APPENDED)
INPUT_FORMATS = (Format.CSV, Format.TSV, Format.JSONL, Format.XLSX)
OUTPUT_FORMATS = tuple(Format)
FAIL_ON_WORDS = ("allowed", "denied", "unknown", "error")
EXTENSIONS = {
    ".csv": Format.CSV,
    ".tsv": Format.TSV,
    ".tab": Format.TSV,
    ".jsonl": Format.JSONL,
    ".ndjson": Format.JSONL,
    ".xlsx": Format.XLSX,
    ".xlsm": Format.XLSX,
}

# what a checklist may be written as, by OUT's extension
OUTPUT_EXTENSIONS = {**{k: v for k, v in EXTENSIONS.items() if k != ".xlsm"}, ".json": Format.JSON}
# spreadsheet files linkcheck neither reads nor writes, and what they are
OTHER_SPREADSHEETS = {
    ".xls": Deferred(N_("an old Excel workbook (.xls)")),
    ".xlsb": Deferred(N_("a binary Excel workbook (.xlsb)")),
    ".ods": Deferred(N_("an OpenDocument spreadsheet (.ods)")),
    ".numbers": Deferred(N_("a Numbers document")),
    ".et": Deferred(N_("a WPS spreadsheet (.et)")),
}


def wants_bom(encoding: str) -> bool:
    """Whether CSV written for an input read in `encoding` should start with a BOM: yes for
    what spreadsheet programs saved (GB18030/GBK, a BOM, a workbook), no for plain UTF-8,
    so Chinese Excel opens the result as it opened the input."""
    import codecs

    if encoding == "xlsx":
        return True
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name not in ("utf-8", "ascii")


class InputError(LinkcheckError):
    """The checklist itself cannot be read: exit 2, nothing written."""
