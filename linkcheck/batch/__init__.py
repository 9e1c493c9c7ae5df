"""Checklists: rows in → one answer per (row, surface) out, streaming. The entry point is
run_checklist(source, sink, options=ChecklistOptions(...)) → Summary.

    formats     Format, the Answer appended to a row (APPENDED columns), InputError
    cells       a cell's text, JSON numbers as written, JSON Lines rows, unreadable rows
    encodings   bytes → text (detected or given encodings), streams read twice
    readers     the Reader protocol and its registry: CSV, TSV, JSON Lines → a Table
    workbook    .xlsx → a Table, bounded before anything is read
    columns     which column means what (Columns), found or named
    deciding    rows → answers (Checker, check_rows)
    writers     the Writer protocol: answers → CSV/TSV, JSON Lines/JSON, .xlsx
    intervals   distinct cells → plans, instants and spans: the tables an interval join
                answers rows with (columnar, linkcheck.spark)
    columnar    the DuckDB engine (an optional extra)
    run         run_checklist: read → decide → write, either engine, one call

Nothing here knows the CLI or draws on a terminal (the table is render's, a Writer too).
Memory stays flat: rows are read, decided and written one at a time, and every cache is
bounded.
"""

from __future__ import annotations

from .cells import BadRow, JsonRow, RawNumber, cell_text, dump_json
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
    Answer,
    Format,
    InputError,
    wants_bom,
)
from .readers import READERS, Reader, Table, formula_scan, read_input
from .run import ChecklistOptions, Fill, Summary, run_checklist
from .writers import (
    DelimitedWriter,
    JsonLinesWriter,
    Writer,
    XlsxWriter,
    neutralise,
    open_writer,
    output_names,
    xlsx_fit,
)

__all__ = [
    "APPENDED", "COLUMN_NAMES", "EXTENSIONS", "FAIL_ON_WORDS", "INPUT_FORMATS", "MEANINGS",
    "OTHER_SPREADSHEETS", "OUTPUT_EXTENSIONS", "OUTPUT_FORMATS", "READERS", "Answer", "BadRow",
    "Checker", "ChecklistOptions", "Columns", "DelimitedWriter", "Fill", "Format", "InputError",
    "JsonLinesWriter", "JsonRow", "RawNumber", "Reader", "Summary", "Table", "Writer",
    "XlsxWriter", "cell_text", "check_rows", "detect_encoding", "dump_json", "formula_scan",
    "neutralise", "open_writer", "output_names", "read_input", "rereadable", "run_checklist",
    "text_stream", "wants_bom", "xlsx_fit",
]  # fmt: skip
