"""Checklist files → a header and rows of cell texts, one reader per input format behind
the `Reader` protocol: CSV, TSV and JSON Lines here, workbooks in workbook.py. A row the
reader could not read is a `BadRow` carrying the reason."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from typing import BinaryIO, NamedTuple, Protocol

from ..errors import shown
from ..i18n import N_, Note
from .cells import BadRow, JsonRow, RawNumber, cell_text
from .csvshape import LINE_END
from .encodings import MAX_LINE, line_too_long, rereadable, text_stream
from .formats import Format, InputError
from .headers import FOUND, MAX_COLUMNS, Layout, Located, SheetChoice, locate

_MAX_CELL = 16 * 1024 * 1024


def _lines(text) -> Iterator[str]:
    """The lines of a JSON Lines stream, none longer than MAX_LINE (read no further than
    that); a byte-order mark at a line's start is none of it (two files joined with `cat`,
    the second saved with one)."""
    while line := text.readline(MAX_LINE + 1):
        if len(line) > MAX_LINE:
            raise line_too_long(MAX_LINE)
        yield line[1:] if line.startswith("\ufeff") else line


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

    def scan(self, text: str) -> bool:
        """See `text`, a run of whole lines (it starts at a line's start); whether some cell
        of it could start like a formula."""
        found = self._start.match(text) is not None or any(
            p.search(text) is not None for p in self._after
        )
        self.seen = self.seen or found
        return found


class Block:
    """The block of whole lines csv is reading now (the last one _scanned_lines gave out):
    its text, its lines as csv is given them, how many lines came before it, and whether
    the formula scan found something in it. lines.check_lines reads a row's own text here."""

    __slots__ = ("base", "danger", "lines", "text")

    def __init__(self) -> None:
        self.text = ""
        self.lines: list[str] = []
        self.base = 0
        self.danger = False


_BLOCK = 1 << 18  # bytes read at most at a time


def record_too_long(limit: int) -> InputError:
    return InputError(
        N_(
            "a record runs past {limit} characters over its lines (a quoted cell that does "
            "not end): no checklist row is that long"
        ),
        limit=f"{limit:,}",
    )


def _scanned_lines(text, scan: FormulaScan, fed: list[int],
                   block_seen: Block) -> Iterator[list[str]]:  # fmt: skip
    """The text of a TextIOWrapper as blocks of whole lines (each a list of lines, split as
    the file would be), each shown to `scan` and kept in `block_seen` before it is given
    out; `fed` counts the characters given since the reader's last row. Bytes are taken as
    they come (read1: a pipe's rows are answered without waiting for a full block) and
    decoded as the wrapper would. A CR ending a block may be half of a CRLF: it waits for
    the next block, as does a line not ended yet."""

    def give(block: str) -> list[str]:
        fed[0] += len(block)
        if fed[0] > MAX_LINE + _BLOCK:  # a block may start with records before this one
            raise record_too_long(MAX_LINE)
        danger = scan.scan(block)
        lines = io.StringIO(block, newline="").readlines()
        block_seen.base += len(block_seen.lines)
        block_seen.text, block_seen.lines, block_seen.danger = block, lines, danger
        return lines

    read = text.buffer.read1
    decode = codecs.getincrementaldecoder(text.encoding)(text.errors).decode
    pending: list[str] = []
    while True:
        raw = read(_BLOCK)
        data = decode(raw, final=not raw)
        end = max(data.rfind("\n"), data.rfind("\r", 0, len(data) - 1)) + 1
        if end:
            block = "".join(pending) + data[:end] if pending else data[:end]
            pending = []
            yield give(block)
        if end < len(data):
            pending.append(data[end:])
            waiting = sum(map(len, pending))
            if waiting > MAX_LINE:
                raise line_too_long(MAX_LINE)
        if not raw:
            break
    if pending:
        yield give("".join(pending))


class DelimitedRows:
    """The rows of a CSV or TSV, as csv.reader reads them; `formulas` is the FormulaScan of
    the text read so far; `fed` the characters given to the reader since its last row.
    `reader` is the csv reader (its line_num counts the lines read), `block` the block of
    lines it reads now, and `delimiter` the file's (lines.check_lines reads a row's own line
    there)."""

    __slots__ = ("_rows", "block", "delimiter", "fed", "formulas", "reader")

    def __init__(self, rows, formulas: FormulaScan, fed: list[int], reader, block: Block,
                 delimiter: str) -> None:  # fmt: skip
        self._rows = rows
        self.formulas = formulas
        self.fed = fed
        self.reader = reader
        self.block = block
        self.delimiter = delimiter

    def __iter__(self):
        return _counted(self._rows, self.fed, self.reader)


def read_delimited(text, delimiter: str,
                   layout: Layout = FOUND) -> tuple[Located, DelimitedRows]:  # fmt: skip
    """The header row (found as headers.locate says) and the rows after it."""
    csv.field_size_limit(_MAX_CELL)  # a long product link or description is still one cell
    scan = FormulaScan(delimiter)
    fed = [0]
    block = Block()
    lines = chain(chain.from_iterable(_scanned_lines(text, scan, fed, block)), _past_end(fed))
    reader = csv.reader(lines, delimiter=delimiter)
    found = locate(enumerate(_counted(reader, fed, reader), start=1), _same, layout)
    rows = chain(found.after, reader) if found.after else reader
    return found, DelimitedRows(rows, scan, fed, reader, block, delimiter)


# What csv is given after the file's last line. At a record's start (the file's records all
# ended) it is a line break with text after it, which csv refuses: the end of the rows. Inside
# a quoted cell it is more of the cell, and csv asks for a further line: the file ended inside
# the cell, whose quote never closed (csv would give the rest of the file as that one cell).
_PAST_END = "\n-"
_PAST_END_REFUSED = "new-line character seen in unquoted field"  # csv's words for it
_CELL_TOO_LONG = "field larger than field limit"  # csv's words past field_size_limit()


def _past_end(fed: list[int]) -> Iterator[str]:
    """_PAST_END, then, when csv asks for more (its record is open), `fed` emptied: the row
    csv now gives is the unclosed one, and _counted, storing into `fed`, stops at it."""
    fed.append(-1)  # a second item: _PAST_END given
    yield _PAST_END
    fed.clear()


def _counted(rows, fed: list[int], reader) -> Iterator[list[str]]:
    """`rows`, from the csv `reader`, each one setting `fed` back to 0 characters since the
    reader's last row; ends at _PAST_END, and raises unclosed() at a row that never closed.
    No cost a row beyond that store: the store itself finds the unclosed row (IndexError)."""
    row: list[str] = []
    try:
        for row in rows:
            fed[0] = 0
            yield row
    except IndexError:
        if fed:
            raise
        raise unclosed(row, reader.line_num) from None
    except csv.Error as exc:
        if str(exc).startswith(_CELL_TOO_LONG):  # most often a quote that never closes
            raise InputError(
                N_("a cell runs past {limit} characters by line {line}: a quoted cell that "
                   "does not close (a stray quote?), or a cell longer than a checklist's"),
                limit=f"{_MAX_CELL:,}", line=f"{reader.line_num:,}",
            ) from None  # fmt: skip
        if len(fed) < 2 or not str(exc).startswith(_PAST_END_REFUSED):
            raise


def unclosed(row: list[str], line_num: int) -> InputError:
    """The error for `row`, whose last cell is a quoted one the file ended inside (it ends with
    _PAST_END), csv's line count at `line_num` (_PAST_END's line included): it names the line
    the row starts on and the file's last."""
    last = line_num - 1
    cells = [*row[:-1], row[-1][: -len(_PAST_END)]]
    breaks = sum(len(LINE_END.findall(cell)) for cell in cells)
    ended = cells[-1].endswith(("\n", "\r"))  # the file's last line has its line end
    first = last - (breaks - ended)
    if first == last:
        return InputError(
            N_(
                "the last row, on line {line}, opens a quoted cell that never closes: the file "
                "ends inside it. A stray quote? Close it, or take it out"
            ),
            line=first,
        )
    return InputError(
        N_(
            "the row on line {line} opens a quoted cell that never closes: the file ends "
            "inside it (line {end}), and lines {line} to {end} would be read as one row. A "
            "stray quote? Close it, or take it out"
        ),
        line=first,
        end=last,
    )


def _same(cells: list[str]) -> list[str]:
    return cells


def formula_scan(rows) -> FormulaScan | None:
    """The FormulaScan of the text `rows` are read from; None when there is none (workbooks,
    JSON Lines: any cell may start like a formula)."""
    return rows.formulas if type(rows) is DelimitedRows else None


class Table(NamedTuple):
    """A checklist as read: its header, its rows (an iterator: read as they are written) and
    the encoding its text was read in ("xlsx" for a workbook); the sheet's row number of the
    header and the non-empty rows above it (number, text), skipped; for JSON Lines, the
    dotted paths of nested fields (`商品.链接`), whose cells follow the header's in each row
    (readable, never written: the objects are written back as they came); `more`: the
    non-empty rows above the header past those in `above` (counted, not kept)."""

    header: list[str]
    rows: Iterable[list[str]]
    encoding: str
    header_row: int = 1
    above: tuple[tuple[int, str], ...] = ()
    nested: tuple[str, ...] = ()
    more: int = 0
    merged: tuple[str, ...] = ()  # a workbook's merged ranges below the header (C4:C6)
    sheet: SheetChoice | None = None  # the sheet read, of a workbook of several


class Reader(Protocol):
    """Reads one input format from a binary stream; `encoding` is the one the user gave
    (None: detected); `layout` says how to find the header row. Raises InputError when the
    input cannot be read at all."""

    def __call__(self, binary: BinaryIO, encoding: str | None, layout: Layout) -> Table: ...


def _delimited(fmt: Format) -> Reader:
    def read(binary: BinaryIO, encoding: str | None, layout: Layout) -> Table:
        _no_sheets(layout)
        text, chosen = text_stream(binary, encoding)
        found, rows = read_delimited(text, fmt.delimiter or ",", layout)
        return Table(found.row, rows, chosen, found.number, found.above, more=found.more)

    return read


def _no_sheets(layout: Layout) -> None:
    if layout.sheet is not None:
        raise InputError(N_("--sheet is for .xlsx workbooks: this input has no sheets"))


def _json_lines(binary: BinaryIO, encoding: str | None, layout: Layout) -> Table:
    _no_sheets(layout)
    if layout.header_row is not None:
        raise InputError(
            N_("--header-row is for CSV, TSV and .xlsx: JSON Lines has keys, not a header row")
        )
    # two passes: the columns are the keys of every object (and the paths of nested ones)
    binary = rereadable(binary, max_line=MAX_LINE)
    start = binary.tell()
    text, chosen = text_stream(binary, encoding)
    keys, nested = jsonl_keys(text, paths=True)
    binary.seek(start)
    text, chosen = text_stream(binary, chosen)
    header, rows = read_jsonl(text, keys, nested)
    return Table(header, rows, chosen, nested=tuple(nested))


def _workbook(binary: BinaryIO, encoding: str | None, layout: Layout) -> Table:
    from .workbook import read_sheet  # openpyxl only when a workbook is read

    found, rows = read_sheet(binary, layout)
    return Table(found.row, rows, "xlsx", found.number, found.above, more=found.more,
                 merged=found.merged, sheet=found.sheet)  # fmt: skip


READERS: dict[Format, Reader] = {
    Format.CSV: _delimited(Format.CSV),
    Format.TSV: _delimited(Format.TSV),
    Format.JSONL: _json_lines,
    Format.XLSX: _workbook,
}


def read_input(binary: BinaryIO, fmt: str, encoding: str | None,
               layout: Layout = FOUND) -> Table:  # fmt: skip
    """The header, the rows and the encoding read of a checklist in format `fmt`."""
    return READERS[Format(fmt)](binary, encoding, layout)


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


def _json_object(line: str, number: int, decoder: json.JSONDecoder = _JSON) -> dict:
    if _too_deep(line):
        raise InputError(
            N_("line {number} is nested more than {depth} levels deep"),
            number=number,
            depth=MAX_JSON_DEPTH,
        )
    # the line's text goes with the error: its row's note is all that is left of it
    try:
        obj = decoder.decode(line)
    except ValueError as exc:
        raise InputError(
            N_("line {number} is not JSON ({reason}): {text}"),
            number=number,
            reason=getattr(exc, "msg", exc),
            text=shown(line.strip(), JSON_LINE_SHOWN),
        ) from None
    if not isinstance(obj, dict):
        raise InputError(N_("line {number} is not a JSON object: {text}"), number=number,
                         text=shown(line.strip(), JSON_LINE_SHOWN))  # fmt: skip
    return obj


JSON_LINE_SHOWN = 200  # characters of a line that is not a JSON object kept in its note


def _duplicates_kept(twice: list[list[tuple]]) -> json.JSONDecoder:
    """A decoder like _JSON that notes in `twice` the pairs of every object (nested ones
    too) that names a key more than once: a dict keeps the last value only."""

    def pairs(items: list[tuple]) -> dict:
        obj = dict(items)
        if len(obj) != len(items):
            twice.append(items)
        return obj

    return json.JSONDecoder(parse_float=RawNumber, parse_int=RawNumber,
                            parse_constant=_no_constant, object_pairs_hook=pairs)  # fmt: skip


def _named_twice(number: int, twice: list[list[tuple]]) -> str:
    """The note of a line whose objects name a key twice: every value of each such key,
    as JSON, so that none is lost (the row's cell holds the last)."""
    from collections import Counter

    from .cells import dump_json

    parts = []
    for items in twice:
        counts = Counter(key for key, _value in items)
        for key, count in counts.items():
            if count > 1:
                values = ", ".join(dump_json(v) for k, v in items if k == key)
                times = "twice" if count == 2 else f"{count} times"
                parts.append(f"the key {json.dumps(key, ensure_ascii=False)} {times} ({values})")
    return (
        f"line {number} names {'; '.join(parts)}: a JSON object names each key once, so "
        "which value is meant is unknown; not checked"
    )


MAX_NESTED = 1000  # nested fields readable by a dotted path (the first ones seen)


def jsonl_keys(text, *, paths: bool = False):
    """Every key of every object, in the order first seen (lines that are not objects are
    skipped here: the second pass reports them); with `paths`, (keys, {dotted path: its
    keys} of the fields inside nested objects, first seen first: `商品.链接`)."""
    keys: dict[str, None] = {}
    nested: dict[str, tuple[str, ...]] = {}
    seen_any = False
    for number, line in enumerate(_lines(text), start=1):
        if not line.strip():
            continue
        seen_any = True
        try:
            obj = _json_object(line, 0)
        except InputError:
            continue
        if not obj.keys() <= keys.keys():
            keys.update(dict.fromkeys(obj))
            if len(keys) > MAX_COLUMNS:
                raise InputError(
                    N_(
                        "the objects up to line {number} have {count} different keys, more "
                        "than the {limit} columns a checklist may have"
                    ),
                    number=f"{number:,}",
                    count=f"{len(keys):,}",
                    limit=f"{MAX_COLUMNS:,}",
                )
        if paths and len(nested) < MAX_NESTED:
            for key, value in obj.items():
                if type(value) is dict:
                    _paths(value, (key,), nested)
    if not seen_any:
        raise InputError(N_("the file is empty: it needs JSON objects with a source or url key"))
    return (list(keys), nested) if paths else list(keys)


def _paths(obj: dict, prefix: tuple[str, ...], into: dict[str, tuple[str, ...]]) -> None:
    for key, value in obj.items():
        path = (*prefix, key)
        if type(value) is dict:
            _paths(value, path, into)
        elif len(into) < MAX_NESTED:
            into.setdefault(".".join(path), path)


def nested_value(obj: dict, path: tuple[str, ...]):
    """The value at a nested field's keys (None where the path is not there)."""
    value: object = obj
    for key in path:
        if type(value) is not dict:
            return None
        value = value.get(key)
    return value


def read_jsonl(text, header: list[str], nested: Mapping[str, tuple[str, ...]] | None = None
               ) -> tuple[list[str], Iterator[list[str]]]:  # fmt: skip
    """JSON Lines: one object a line; the columns are `header` (every key of the file), then
    the cells of the `nested` fields ({dotted path: its keys})."""
    steps = list((nested or {}).values())

    def rows() -> Iterator[list[str]]:
        twice: list[list[tuple]] = []  # the pairs of each object that names a key twice
        decoder = _duplicates_kept(twice)
        for number, line in enumerate(_lines(text), start=1):
            if not line.strip():  # a blank row, as {} is: skipped, and counted as skipped
                blank = JsonRow([""] * (len(header) + len(steps)))
                blank.obj = {}
                yield blank
                continue
            try:
                obj = _json_object(line, number, decoder)
            except InputError as exc:  # a bad line is an error row, not the end of the run
                twice.clear()
                yield BadRow(Note(exc.message))
                continue
            row = JsonRow(cell_text(obj.get(k)) for k in header)
            if steps:
                row.extend(cell_text(nested_value(obj, path)) for path in steps)
            row.obj = obj
            if twice:
                yield BadRow(_named_twice(number, twice), kept=row)
                twice.clear()
                continue
            yield row

    return header, rows()
