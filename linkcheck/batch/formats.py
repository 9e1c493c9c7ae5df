"""What a checklist run reads and writes: its formats, the appended columns, its error."""

from __future__ import annotations

from ..errors import LinkcheckError
from ..i18n import N_, Deferred

APPENDED = ("surface", "verdict", "rule", "next_change", "note")
# their headers where people read them (a table, a workbook), translated when written
APPENDED_LABELS = {
    "surface": N_("surface"),
    "verdict": N_("verdict"),
    "rule": N_("rule"),
    "next_change": N_("next_change"),
    "note": N_("note"),
}
APPENDED_SET = frozenset(APPENDED)
INPUT_FORMATS = ("csv", "tsv", "jsonl", "xlsx")
OUTPUT_FORMATS = ("csv", "tsv", "jsonl", "json", "xlsx", "table")
FAIL_ON_WORDS = ("allowed", "denied", "unknown", "error")
EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}

# what a checklist may be written as, by OUT's extension
OUTPUT_EXTENSIONS = {**{k: v for k, v in EXTENSIONS.items() if k != ".xlsm"}, ".json": "json"}
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
