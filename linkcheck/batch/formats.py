"""What a checklist run reads and writes: its formats, the appended columns, its error."""

from __future__ import annotations

from ..errors import LinkcheckError

APPENDED = ("surface", "verdict", "rule", "next_change", "note")
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

# Header names that mean each column, compared after normalize() (case, width, space, _/-).


class InputError(LinkcheckError):
    """The checklist itself cannot be read: exit 2, nothing written."""
