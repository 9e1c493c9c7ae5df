"""Checklist files → a header and rows of cell texts, one reader per input format behind
the `Reader` protocol: CSV, TSV and JSON Lines here, workbooks in workbook.py. A row the
reader could not read is a `BadRow` carrying the reason."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import BinaryIO, NamedTuple, Protocol

from ..i18n import N_
from .cells import BadRow, JsonRow, RawNumber, cell_text
from .encodings import MAX_LINE, line_too_long, rereadable, text_stream
from .formats import Format, InputError

_MAX_CELL = 16 * 1024 * 1024


def _lines(text) -> Iterator[str]:
    """The lines of a text stream, none longer than MAX_LINE (read no further than that)."""
    while line := text.readline(MAX_LINE + 1):
        if len(line) > MAX_LINE:
            raise line_too_long(MAX_LINE)
        yield line


class FormulaScan:
    """Whether the text read so far could hold a cell that starts like a formula (= + - @,
    a TAB or a CR), so that a writer neutralising such cells need not look at every row's
    cells while none can.

    The text is scanned a block of whole lines at a time, before csv reads those lines:
    by the time a row is written, the scan has seen its text. `seen` turns True — for good —
    where a delimiter, a line end or the start of the text is followed by such a character,
    by an opening quote and such a character (a TAB starts a TSV cell, and a CR any cell,
    only quoted), or by an empty quoted text and such a character (csv reads `""=1` as
    `=1`). Conservative: a line break inside a quoted cell followed by `-` sets it too; it
    never misses a cell that starts like a formula (tests/adversarial/test_formula_scan.py
    attacks that with random text cut at random places)."""

    __slots__ = ("_after", "_start", "seen")

    def __init__(self, delimiter: str) -> None:
        self.seen = False
        danger = "=+\\-@" + ("" if delimiter == "\t" else "\t")
        # csv reads text after a closing quote into the cell: `""=1` is the cell `=1`
        first = f'(?:[{danger}]|"[=+\\-@\t\r]|""[{danger}])'
        self._start = re.compile(first)
        # one search a prefix: a literal first character is what makes sre fast
        self._after = [re.compile(re.escape(p) + first) for p in (delimiter, "\n", "\r")]

    def scan(self, text: str) -> None:
        """See `text`, a run of whole lines (it starts at a line's start)."""
        if not self.seen and (
            self._start.match(text) is not None
            or any(p.search(text) is not None for p in self._after)
        ):
            self.seen = True


_BLOCK = 1 << 18  # bytes read at most at a time


def _scanned_lines(text, scan: FormulaScan) -> Iterator[io.StringIO]:
    """The text of a TextIOWrapper as blocks of whole lines (each a StringIO, iterated line
    by line as the file would be), each shown to `scan` before it is given out. Bytes are
    taken as they come (read1: a pipe's rows are answered without waiting for a full block)
    and decoded as the wrapper would. A CR ending a block may be half of a CRLF: it waits
    for the next block, as does a line not ended yet."""
    read = text.buffer.read1
    decode = codecs.getincrementaldecoder(text.encoding)().decode
    pending: list[str] = []
    while True:
        raw = read(_BLOCK)
        data = decode(raw, final=not raw)
        end = max(data.rfind("\n"), data.rfind("\r", 0, len(data) - 1)) + 1
        if end:
            block = "".join(pending) + data[:end] if pending else data[:end]
            pending = []
            scan.scan(block)
            yield io.StringIO(block, newline="")
        if end < len(data):
            pending.append(data[end:])
            waiting = sum(map(len, pending))
            if waiting > MAX_LINE:
                raise line_too_long(MAX_LINE)
        if not raw:
            break
    if pending:
        block = "".join(pending)
        scan.scan(block)
        yield io.StringIO(block, newline="")


class DelimitedRows:
    """The rows of a CSV or TSV: iterating gives csv.reader itself (nothing added per row),
    and `formulas` is the FormulaScan of the text read so far."""

    __slots__ = ("_reader", "formulas")

    def __init__(self, reader, formulas: FormulaScan) -> None:
        self._reader = reader
        self.formulas = formulas

    def __iter__(self):
        return self._reader


def read_delimited(text, delimiter: str) -> tuple[list[str], DelimitedRows]:
    csv.field_size_limit(_MAX_CELL)  # a long product link or description is still one cell
    scan = FormulaScan(delimiter)
    reader = csv.reader(chain.from_iterable(_scanned_lines(text, scan)), delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        raise InputError(N_("the file is empty: it needs a header row with a source or url column"))
    return header, DelimitedRows(reader, scan)


def formula_scan(rows) -> FormulaScan | None:
    """The FormulaScan of the text `rows` are read from; None when there is none (workbooks,
    JSON Lines: any cell may start like a formula)."""
    return rows.formulas if type(rows) is DelimitedRows else None


class Table(NamedTuple):
    """A checklist as read: its header, its rows (an iterator: read as they are written) and
    the encoding its text was read in ("xlsx" for a workbook)."""

    header: list[str]
    rows: Iterable[list[str]]
    encoding: str


class Reader(Protocol):
    """Reads one input format from a binary stream; `encoding` is the one the user gave
    (None: detected). Raises InputError when the input cannot be read at all."""

    def __call__(self, binary: BinaryIO, encoding: str | None) -> Table: ...


def _delimited(fmt: Format) -> Reader:
    def read(binary: BinaryIO, encoding: str | None) -> Table:
        text, chosen = text_stream(binary, encoding)
        header, rows = read_delimited(text, fmt.delimiter or ",")
        return Table(header, rows, chosen)

    return read


def _json_lines(binary: BinaryIO, encoding: str | None) -> Table:
    # two passes: the columns are the keys of every object
    binary = rereadable(binary, max_line=MAX_LINE)
    start = binary.tell()
    text, chosen = text_stream(binary, encoding)
    keys = jsonl_keys(text)
    binary.seek(start)
    text, chosen = text_stream(binary, chosen)
    header, rows = read_jsonl(text, keys)
    return Table(header, rows, chosen)


def _workbook(binary: BinaryIO, encoding: str | None) -> Table:
    from .workbook import read_xlsx  # openpyxl only when a workbook is read

    header, rows = read_xlsx(binary)
    return Table(header, rows, "xlsx")


READERS: dict[Format, Reader] = {
    Format.CSV: _delimited(Format.CSV),
    Format.TSV: _delimited(Format.TSV),
    Format.JSONL: _json_lines,
    Format.XLSX: _workbook,
}


def read_input(binary: BinaryIO, fmt: str, encoding: str | None) -> Table:
    """The header, the rows and the encoding read of a checklist in format `fmt`."""
    return READERS[Format(fmt)](binary, encoding)


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON value")


_JSON = json.JSONDecoder(parse_float=RawNumber, parse_int=RawNumber, parse_constant=_no_constant)
MAX_JSON_DEPTH = 64  # nesting a checklist line may have (the reader and writer stay shallow)
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def _too_deep(line: str) -> bool:
    if line.count("[") + line.count("{") <= MAX_JSON_DEPTH:
        return False
    depth = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub("", line)):
        depth += 1 if match[0] in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            return True
    return False


def _json_object(line: str, number: int) -> dict:
    if _too_deep(line):
        raise InputError(
            N_("line {number} is nested more than {depth} levels deep"),
            number=number,
            depth=MAX_JSON_DEPTH,
        )
    try:
        obj = _JSON.decode(line)
    except ValueError as exc:
        raise InputError(
            N_("line {number} is not JSON ({reason})"),
            number=number,
            reason=getattr(exc, "msg", exc),
        ) from None
    if not isinstance(obj, dict):
        raise InputError(N_("line {number} is not a JSON object"), number=number)
    return obj


def jsonl_keys(text) -> list[str]:
    """Every key of every object, in the order first seen (lines that are not objects are
    skipped here: the second pass reports them)."""
    keys: dict[str, None] = {}
    seen_any = False
    for line in _lines(text):
        if not line.strip():
            continue
        seen_any = True
        try:
            obj = _json_object(line, 0)
        except InputError:
            continue
        if not obj.keys() <= keys.keys():
            keys.update(dict.fromkeys(obj))
    if not seen_any:
        raise InputError(N_("the file is empty: it needs JSON objects with a source or url key"))
    return list(keys)


def read_jsonl(text, header: list[str]) -> tuple[list[str], Iterator[list[str]]]:
    """JSON Lines: one object a line; the columns are `header` (every key of the file)."""

    def rows() -> Iterator[list[str]]:
        for number, line in enumerate(_lines(text), start=1):
            if not line.strip():
                continue
            try:
                obj = _json_object(line, number)
            except InputError as exc:  # a bad line is an error row, not the end of the run
                yield BadRow(str(exc))
                continue
            row = JsonRow(cell_text(obj.get(k)) for k in header)
            row.obj = obj
            yield row

    return header, rows()
