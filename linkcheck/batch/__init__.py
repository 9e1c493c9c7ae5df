"""Checklists: rows in → one decision row per (row, surface) out, streaming.

    formats     the formats, the appended columns, InputError
    encodings   bytes → text (detected or given encodings), streams read twice
    readers     CSV, TSV, JSON Lines → header and rows of cell texts (read_input)
    workbook    .xlsx → header and rows, bounded before anything is read
    columns     which column means what (Columns), found or named
    deciding    rows → answers (Checker, check_rows)
    intervals   distinct cells → plans, instants and spans: the tables an interval join
                answers rows with (columnar, linkcheck.spark)
    columnar    the DuckDB engine (an optional extra)
    writers     answers → CSV/TSV, JSON Lines/JSON, .xlsx, a terminal table (Writer)

Nothing here opens a file or knows the CLI. Memory stays flat: rows are read, decided and
written one at a time, and every cache is bounded.
"""

from __future__ import annotations

from .columns import COLUMN_NAMES, MEANINGS, Columns
from .deciding import Checker, check_rows
from .encodings import detect_encoding, rereadable, text_stream
from .formats import (
    APPENDED,
    EXTENSIONS,
    FAIL_ON_WORDS,
    INPUT_FORMATS,
    OTHER_SPREADSHEETS,
    OUTPUT_EXTENSIONS,
    OUTPUT_FORMATS,
    InputError,
    wants_bom,
)
from .readers import (
    BadRow,
    JsonRow,
    RawNumber,
    cell_text,
    dump_json,
    formula_scan,
    read_input,
)
from .writers import (
    DelimitedWriter,
    JsonLinesWriter,
    TableWriter,
    Writer,
    XlsxWriter,
    neutralise,
    open_writer,
    output_names,
    xlsx_fit,
)

__all__ = [
    "APPENDED", "COLUMN_NAMES", "EXTENSIONS", "FAIL_ON_WORDS", "INPUT_FORMATS", "MEANINGS",
    "OTHER_SPREADSHEETS", "OUTPUT_EXTENSIONS", "OUTPUT_FORMATS", "BadRow", "Checker",
    "Columns", "DelimitedWriter", "InputError",
    "JsonLinesWriter", "JsonRow", "RawNumber", "TableWriter", "Writer", "XlsxWriter",
    "cell_text", "check_rows", "detect_encoding", "dump_json", "formula_scan", "neutralise",
    "open_writer", "output_names", "read_input", "rereadable", "text_stream", "wants_bom",
    "xlsx_fit",
]  # fmt: skip
