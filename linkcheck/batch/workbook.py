"""Workbooks (.xlsx) → a header and rows of cell texts, refusing what would exhaust memory
or time before it is read."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator
from itertools import chain

from ..errors import missing_dependency, shown
from ..i18n import N_, Deferred, Message
from .cells import cell_text
from .encodings import rereadable
from .formats import InputError
from .headers import (
    FOUND,
    HEADER_SEARCH,
    Layout,
    Located,
    SheetChoice,
    locate,
    names_a_key_column,
)
from .writers import SHEET_ROWS

# bytes a workbook part may unpack to: a sheet is streamed, row by row, so only its size
# (time) is bounded; the shared strings are all held in memory at once, so what they would
# cost is estimated first (XLSX_SHARED_MEMORY);
XLSX_SHEET_LIMIT = 2 << 30
# every other part is parsed whole: 8 MiB holds the 64,000 cell formats Excel allows (a
# styles.xml of 8 MiB takes openpyxl about 150 MB and 17 s; one of 60 MB took 2.7 GB)
XLSX_PART_LIMIT = 8 << 20
XLSX_SHARED_MEMORY = 1 << 30
# one sheet row, or one shared string, is built whole in memory before it is read: bytes
# of XML and XML elements (cells, values, rich-text runs) it may take. A row of 16,384
# cells (column XFD, Excel's last) of inline strings is 49,152 elements; a cell holds at
# most 32,767 characters (128 KiB of UTF-8)
XLSX_UNIT_BYTES = 16 << 20
XLSX_UNIT_ELEMENTS = 100_000
# bytes of memory one shared string costs openpyxl at its peak, beyond its text (measured:
# ~100 for a million one-letter strings; rounded up)
_SHARED_STRING_COST = 128


def _check_workbook_sizes(binary) -> None:
    from zipfile import BadZipFile, ZipFile

    try:
        with ZipFile(binary) as archive:
            for part in archive.infolist():
                name = part.filename.lower()
                if not name.endswith((".xml", ".rels")):
                    continue  # pictures and the like are never read
                shared = name.endswith("sharedstrings.xml")
                sheet = shared or name.startswith("xl/worksheets/")
                limit = XLSX_SHEET_LIMIT if sheet else XLSX_PART_LIMIT
                if part.file_size > limit:
                    raise InputError(
                        N_(
                            "the workbook part '{part}' unpacks to {size:,} "
                            "bytes, more than the {limit:,} MiB read from a workbook; save "
                            "the sheet as CSV"
                        ),
                        part=shown(part.filename),
                        size=part.file_size,
                        limit=limit >> 20,
                    )
                if shared:
                    _check_shared_strings(archive, part)
    except (BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
        # NotImplementedError: a zip feature Python does not read (a version, a compression);
        # RuntimeError: a part marked encrypted
        if type(exc) is BadZipFile and str(exc) == "File is not a zip file":  # said in words
            raise InputError(
                N_("not a readable .xlsx workbook: it is no zip archive, as every .xlsx is (a "
                   "CSV or an old .xls file renamed?)")
            ) from None  # fmt: skip
        raise InputError(N_("not a readable .xlsx workbook ({reason})"), reason=_why(exc)) from None
    binary.seek(0)


def _check_shared_strings(archive, part) -> None:
    """Refuse shared strings that would take more memory than XLSX_SHARED_MEMORY: one pass
    over the part counting its strings, in 1 MiB chunks (none if its size alone is too much)."""
    import zlib

    strings = 0
    if 2 * part.file_size > XLSX_SHARED_MEMORY:
        return _refuse_shared_strings(2 * part.file_size, None)
    tail = b""  # a tag cut by a chunk boundary is counted in the next
    units = Units(
        _STRING_END,
        N_(
            "shared string {number} of the workbook takes more than {bytes} bytes or "
            "{elements} XML elements, the most read of one string; save the sheet as CSV"
        ),
    )
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(1 << 20):
                if not strings and (said := _UNIQUE.search(chunk, 0, 4096)):
                    # the count the file states: 30 million strings took 21 s to count
                    # before they were refused (a trial)
                    stated = int(said[1])
                    if 2 * part.file_size + _SHARED_STRING_COST * stated > XLSX_SHARED_MEMORY:
                        _refuse_shared_strings(
                            2 * part.file_size + _SHARED_STRING_COST * stated, stated
                        )
                units.feed(chunk)
                chunk = tail + chunk
                strings += chunk.count(b"<si") + chunk.count(b":si")
                tail = chunk[-2:]
    except zlib.error as exc:
        raise InputError(N_("not a readable .xlsx workbook (zlib: {reason})"), reason=exc) from None
    cost = 2 * part.file_size + _SHARED_STRING_COST * strings
    if cost > XLSX_SHARED_MEMORY:
        _refuse_shared_strings(cost, strings)


_ROW_END = re.compile(rb"</(?:[A-Za-z_][\w.-]{0,31}:)?row\s*>")
_UNIQUE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]{0,31}:)?sst\b[^>]*?\buniqueCount=[\"']([0-9]{1,15})[\"']"
)
_STRING_END = re.compile(rb"</(?:[A-Za-z_][\w.-]{0,31}:)?si\s*>")


class Units:
    """Counts, over an XML part fed a chunk at a time, the bytes and elements (start tags)
    of each unit ending at `end` (a sheet row, a shared string) and refuses one past
    XLSX_UNIT_BYTES or XLSX_UNIT_ELEMENTS: what a parser would build whole in memory is
    refused before the parser is given it. Text between units counts toward the next."""

    __slots__ = ("_end", "_message", "_tail", "bytes", "elements", "number")

    def __init__(self, end: re.Pattern, message: str) -> None:
        self._end = end
        self._message = message  # N_(…) with {number}, {bytes} and {elements}
        self._tail = b""  # an end tag cut by the chunk's end is found in the next
        self.bytes = self.elements = 0
        self.number = 1  # the unit being read, counted from 1

    def feed(self, chunk: bytes) -> None:
        tail = self._tail
        if tail[-1:] == b"<" and chunk[:1] == b"/":
            self.elements -= 1  # an end tag cut after its "<", counted as a start
        start = 0
        for match in self._end.finditer(tail + chunk):
            end = match.end() - len(tail)
            if end <= 0:
                continue  # seen with the chunk before
            self._add(chunk, start, end)
            self.bytes = self.elements = 0
            self.number += 1
            start = end
        self._add(chunk, start, len(chunk))
        self._tail = (tail + chunk)[-40:]

    def _add(self, chunk: bytes, start: int, end: int) -> None:
        self.bytes += end - start
        self.elements += chunk.count(b"<", start, end) - chunk.count(b"</", start, end)
        if self.bytes > XLSX_UNIT_BYTES or self.elements > XLSX_UNIT_ELEMENTS:
            raise InputError(
                self._message,
                number=f"{self.number:,}",
                bytes=f"{XLSX_UNIT_BYTES:,}",
                elements=f"{XLSX_UNIT_ELEMENTS:,}",
            )


class _BoundedSource:
    """A sheet's XML as the parser reads it, each row refused past the Units bounds before
    the parser is given its bytes."""

    def __init__(self, source) -> None:
        self._source = source
        self._units = Units(
            _ROW_END,
            N_(
                "row {number} of the sheet's XML takes more than {bytes} bytes or "
                "{elements} XML elements, the most read of one row; save the sheet as CSV"
            ),
        )

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self._units.feed(data)
        return data

    def close(self) -> None:
        self._source.close()


def _refuse_shared_strings(cost: int, strings: int | None) -> None:
    count = "" if strings is None else f"{strings:,} "
    raise InputError(
        N_(
            "the workbook's {count}shared strings would take about {cost:,} "
            "MiB of memory to read, more than {limit:,} MiB; "
            "save the sheet as CSV"
        ),
        count=count,
        cost=cost >> 20,
        limit=XLSX_SHARED_MEMORY >> 20,
    )


_LOADING = threading.Lock()


@contextlib.contextmanager
def _sizes_not_scanned():
    """openpyxl's read-only loading without its scan of every sheet for a <dimension>: a
    sheet that has none was parsed whole, unbounded (one row of 5 million cells: 50 s), for
    a size never used here (only the cells in the file are read). Restored after."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    with _LOADING:
        saved = ReadOnlyWorksheet.__dict__["_get_size"]
        ReadOnlyWorksheet._get_size = _no_size
        try:
            yield
        finally:
            ReadOnlyWorksheet._get_size = saved


def _no_size(sheet) -> None:
    return None


# what went wrong inside a workbook, in words rather than Python's exception names
# ('ParseError: unclosed token' was said of a cut sheet)
_WHAT = {
    "ParseError": N_("its XML is broken"),
    "ExpatError": N_("its XML is broken"),
    "BadZipFile": N_("its zip archive is broken"),
    "EOFError": N_("it is cut short"),
    "KeyError": N_("a part it names is missing"),
    "NotImplementedError": N_("it uses a zip feature that is not read"),
    "RuntimeError": N_("a part of it is encrypted"),
}


def _why(exc: Exception) -> Message:
    """Why a workbook cannot be read, in words, with the reader's own detail."""
    what = Deferred(_WHAT.get(type(exc).__name__, N_("its content is not as a workbook's")))
    detail = shown(str(exc), 60)
    if not detail:
        return Message(N_("{what}"), what=what)
    return Message(N_("{what}: {detail}"), what=what, detail=detail)


# what openpyxl raises on a malformed workbook (bad XML, a bad cell reference, number or
# date, a missing part); each becomes a one-line InputError
def _malformed():
    from xml.etree.ElementTree import ParseError
    from zipfile import BadZipFile
    from zlib import error as ZlibError

    from openpyxl.utils.exceptions import InvalidFileException

    return (
        BadZipFile, InvalidFileException, ParseError, ZlibError, KeyError, ValueError,
        TypeError, IndexError, AttributeError, OverflowError, EOFError, OSError,
        NotImplementedError, RuntimeError,
    )  # fmt: skip


class SheetRow(list):
    """A workbook row: its cell texts, the cells that were not text as
    {column: (value, number format)}, which a workbook output writes back as they were, and
    the cells' hyperlinks {column: target} (`links`); `shown` keeps the text of a cell read
    as its hyperlink ({column: text}) for the workbook output."""

    __slots__ = ("links", "shown", "typed")

    def __init__(self, cells) -> None:
        super().__init__(cells)
        self.typed: dict[int, tuple] = {}
        self.links: dict[int, str] | None = None
        self.shown: dict[int, str] | None = None


class _NumberFormats:
    """A cell's number format from its style id (`General` when it names none we know)."""

    def __init__(self, book) -> None:
        from openpyxl.styles.numbers import BUILTIN_FORMATS

        self._builtin = BUILTIN_FORMATS
        self._styles = book._cell_styles
        self._custom = book._number_formats
        self._known: dict = {}

    def of(self, style_id) -> str:
        found = self._known.get(style_id)
        if found is None:
            found = self._known[style_id] = self._lookup(style_id)
        return found

    def _lookup(self, style_id) -> str:
        try:
            ident = self._styles[int(style_id)].numFmtId
            if ident < 164:
                return self._builtin.get(ident, "General")
            return str(self._custom[ident - 164])
        except (IndexError, ValueError, TypeError):
            return "General"


_ZERO_PADDED = re.compile(r"0+\Z")


def display_text(value, number_format: str) -> str:
    """A number as a person reads it in the sheet where that is exact: a zero-padded whole
    number (`00123` for 123 under the format `00000`); otherwise the value's own text."""
    if (
        _ZERO_PADDED.match(number_format)
        and type(value) in (int, float)
        and value >= 0
        and float(value).is_integer()
    ):
        return str(int(value)).zfill(len(number_format))
    return cell_text(value)


def read_xlsx(binary) -> tuple[list[str], Iterator[list[str]]]:
    """The header and rows of the sheet of an .xlsx workbook (see read_sheet)."""
    found, rows = read_sheet(binary)
    return found.row, rows


def read_sheet(binary, layout: Layout = FOUND) -> tuple[Located, Iterator[list[str]]]:
    """The first sheet of an .xlsx workbook, streamed row by row: its header row (found as
    headers.locate says, rows numbered as the sheet numbers them) and the rows after it.

    Only the cells in the file are read: the sheet's claimed dimension and missing rows
    are ignored (openpyxl would pad every row to the claimed width), and cells beyond the
    header's width are kept as extra cells (an error row says so). Cells' hyperlinks (to
    http, https or any other external target) are in each row's `links`."""
    try:
        from openpyxl import load_workbook
    except ImportError:
        raise InputError(missing_dependency("reading .xlsx", "openpyxl")) from None
    binary = rereadable(binary)
    _check_workbook_sizes(binary)
    malformed = _malformed()
    try:
        with _sizes_not_scanned():
            book = load_workbook(binary, read_only=True, data_only=True)
        if not book.worksheets:
            raise InputError(N_("the workbook has no worksheet"))
        sheet, choice = _choose(book, layout)
        links, merges = _after_rows(book._archive, sheet._worksheet_path)
        merges.check()  # before a row is written
        source, parser = _parser(book, sheet)
    except malformed as exc:
        raise InputError(N_("not a readable .xlsx workbook ({reason})"), reason=_why(exc)) from None

    def parsed() -> Iterator[tuple[int, list[dict]]]:
        number = 0
        try:
            for number, row in parser.parse():
                yield number, row
        except malformed as exc:
            raise InputError(
                N_("the sheet is malformed after row {number} ({reason})"),
                number=number,
                reason=_why(exc),
            ) from None
        finally:
            source.close()

    cells_of = parsed()
    try:
        found = locate(((n, (n, row)) for n, row in cells_of), _texts, layout)
    except InputError as exc:
        if exc.template.startswith("the file is empty"):
            raise InputError(N_("the sheet is empty: it needs a header row")) from None
        raise
    header = _texts(found.row)
    width = len(header)

    formats = _NumberFormats(book)
    # merged ranges below the header: each row of one reads, in the range's first column,
    # the value Excel shows there (its first cell's); the other columns of a range wider than
    # one show nothing (a source cell widened over an empty link cell is no link)
    below = sorted(
        (r for r in merges.ranges if r[0] > found.number and r[2] < width),
        key=lambda r: (r[0], r[2]),
    )
    starting: dict[int, list[tuple[int, int, int, int]]] = {}
    for merged in below:
        starting.setdefault(merged[0], []).append(merged)
    # (last row, first column, last column, text, typed value, hyperlink) of each range over
    # the row being read
    active: list[tuple[int, int, int, str, tuple | None, str | None]] = []

    def spread(number: int, cells: SheetRow) -> None:
        """Give the cells of row `number` that merged ranges cover what Excel shows there:
        the range's first cell's text, type (a merged date stays a date) and hyperlink in
        its first column, nothing in the others. A row that holds nothing of its own (a
        range running past the last row) stays blank: no row is invented."""
        nonlocal active
        active = [a for a in active if a[0] >= number]
        links = cells.links or {}
        for _first, last, col1, col2 in starting.get(number, ()):
            active.append((last, col1, min(col2, width - 1), cells[col1],
                           cells.typed.get(col1), links.get(col1)))  # fmt: skip
        covered = {c for _l, col1, col2, *_ in active for c in range(col1, col2 + 1)}
        if not any(cell for i, cell in enumerate(cells) if i not in covered):
            return
        for _last, col1, col2, text, typed, link in active:
            for col in range(col1, col2 + 1):
                cells[col] = text if col == col1 else ""
                cells.typed.pop(col, None)
                links.pop(col, None)
            if typed is not None:
                cells.typed[col1] = typed
            if link is not None:
                links[col1] = link
        cells.links = links or None

    def rows() -> Iterator[list[str]]:
        for number, row in chain(found.after, cells_of):
            cells = SheetRow([""] * width)
            extra = []
            for cell in row:
                value = cell["value"]
                if value is None:
                    continue
                at = cell["column"] - 1
                if type(value) is str:
                    text = value
                else:  # a number, date or boolean: kept with its number format
                    shape = formats.of(cell.get("style_id", 0))
                    text = display_text(value, shape)
                    if at < width:
                        cells.typed[at] = (value, shape)
                if at < width:
                    cells[at] = text
                elif text:
                    extra.append(text)
            if links:
                cells.links = links.row(number, width)
            if starting or active:
                spread(number, cells)
            if extra:
                longer = SheetRow(cells + extra)
                longer.typed, longer.links = cells.typed, cells.links
                cells = longer
            yield cells

    merged_refs = tuple(_range_ref(r) for r in below)
    located = Located(header, found.number, found.above, [], found.more, merged_refs, choice)
    return located, rows()


def _parser(book, sheet):
    """A sheet's bounded source and the parser that reads its rows, as openpyxl does — but
    a formula with no value saved (a workbook written by a script: openpyxl, pandas) is its
    formula's text, not an empty cell: a date cell `=DATE(2022,6,1)` was read as no date and
    the row answered for --on, allowed where it is denied (a trial). As text it is answered
    as one (an error row naming it) and passes through as written."""
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and not element.findtext(VALUE_TAG, None):
                formula = element.find(FORMULA_TAG)
                if formula is not None and formula.text:
                    cell["value"], cell["data_type"] = "=" + formula.text, "s"
            return cell

    source = _BoundedSource(sheet._get_source())
    parser = Parser(
        source,
        sheet._shared_strings,
        data_only=True,
        epoch=book.epoch,
        date_formats=book._date_formats,
        timedelta_formats=book._timedelta_formats,
    )
    return source, parser


def _choose(book, layout: Layout):
    """The sheet to read, and what to say of it (None: the workbook's only sheet): the one
    --sheet names (by name or position), else the first visible sheet whose header names a
    source or link column — a template's instructions (填写说明) are often the first —
    else the first visible one (its header is then said to name none)."""
    sheets = book.worksheets
    titles = [ws.title for ws in sheets]
    seen = [getattr(ws, "sheet_state", "visible") == "visible" for ws in sheets]
    if layout.sheet is not None:
        at = _named_sheet(titles, layout.sheet)
        return sheets[at], SheetChoice(titles[at], at + 1, tuple(titles), named=True,
                                       hidden=not seen[at])  # fmt: skip
    if len(sheets) == 1:
        return sheets[0], None
    visible = [i for i in range(len(sheets)) if seen[i]] or list(range(len(sheets)))
    for k, i in enumerate(visible):
        if _has_header(book, sheets[i], layout):
            passed = tuple(titles[j] for j in visible[:k])
            return sheets[i], SheetChoice(titles[i], i + 1, tuple(titles), passed)
    for i in range(len(sheets)):  # a hidden sheet with a checklist: said, never read unasked
        if i not in visible and _has_header(book, sheets[i], layout):
            raise InputError(
                N_("no visible sheet of the workbook has a source or url column in its "
                   "header; the hidden sheet '{name}' has one: read it with --sheet '{name}'"),
                name=shown(titles[i], 40),
            )  # fmt: skip
    first = visible[0]
    return sheets[first], SheetChoice(titles[first], first + 1, tuple(titles))


def _has_header(book, sheet, layout: Layout) -> bool:
    """Whether the sheet's header row (--header-row's, else one of its first HEADER_SEARCH
    filled rows) names a source or link column; a sheet that cannot be read has none."""
    source, parser = _parser(book, sheet)
    filled = 0
    try:
        for number, row in parser.parse():
            texts = _texts((number, row))
            if layout.header_row is not None:
                if number >= layout.header_row:
                    return number == layout.header_row and names_a_key_column(texts, layout)
                continue
            if not any(t.strip() for t in texts):
                continue
            if names_a_key_column(texts, layout):
                return True
            filled += 1
            if filled == HEADER_SEARCH:
                return False
    except (InputError, *_malformed()):
        return False
    finally:
        source.close()
    return False


def _named_sheet(titles: list[str], text: str) -> int:
    """The index of the sheet --sheet names: by its name (exactly, then as names compare),
    else by its 1-based position."""
    from ..names import normalize

    if text in titles:
        return titles.index(text)
    key = normalize(text)
    for i, title in enumerate(titles):
        if normalize(title) == key:
            return i
    digits = text.strip()
    if digits.isascii() and digits.isdigit() and 1 <= int(digits) <= len(titles):
        return int(digits) - 1
    raise InputError(
        N_("--sheet '{text}' is not a sheet of the workbook; give a name or a position from 1 "
           "to {count} ({sheets})"),
        text=shown(text),
        count=len(titles),
        sheets=sheet_list(titles),
    )  # fmt: skip


def sheet_list(titles) -> str:
    """A workbook's sheets as messages list them: 1:填写说明, 2:清单 (the first 12)."""
    listed = ", ".join(f"{i}:{shown(t, 40)}" for i, t in enumerate(titles[:12], start=1))
    return listed + (" …" if len(titles) > 12 else "")


def _range_ref(merged: tuple[int, int, int, int]) -> str:
    """(4, 6, 2, 2) → C4:C6 (columns 0-based, as Merges keeps them)."""
    from openpyxl.utils import get_column_letter

    first, last, col1, col2 = merged
    return f"{get_column_letter(col1 + 1)}{first}:{get_column_letter(col2 + 1)}{last}"


def hyperlinked(rows, at: int) -> Iterator[list[str]]:
    """Workbook rows whose cell at `at` (the url column) is read as its hyperlink when its
    text is not a link (点此打开, or empty): the row's `shown` keeps the text, which a
    workbook output writes back with the hyperlink."""
    for row in rows:
        links = getattr(row, "links", None)
        if links and at in links and at < len(row) and not _is_link(row[at]):
            row.shown = {at: row[at]}
            row[at] = links[at]
        yield row


def _is_link(text: str) -> bool:
    from ..errors import LinkcheckError
    from ..links import link_host

    try:
        link_host(text)
    except LinkcheckError:
        return False
    return True


def _texts(item) -> list[str]:
    """A parsed sheet row's cell texts, column 1 first (an empty text where no cell is)."""
    _number, row = item
    filled = {c["column"]: cell_text(c["value"]) for c in row if c["value"] is not None}
    filled = {k: v for k, v in filled.items() if v != ""}
    return [filled.get(i, "") for i in range(1, max(filled) + 1)] if filled else []


# ---------------------------------------------------------------------- hyperlinks

HYPERLINK_LIMIT = 1_000_000  # hyperlinked cells read from one sheet (memory: ~200 B each)
_HYPERLINKS_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?hyperlinks[\s>/]")
_HYPERLINK = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?hyperlink\s([^>]*)>")
_HYPERLINKS_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?hyperlinks\s*>")
_ATTRIBUTE = re.compile(rb"""([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REFERENCE = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]{1,7})\Z")


class Hyperlinks:
    """A sheet's hyperlinks to external targets, by row: {row: {column (0-based): target}}
    for single cells, and the ranges (first row, last row, first column, last column,
    target) a hyperlink covers."""

    __slots__ = ("cells", "count", "ranges")

    def __init__(self) -> None:
        self.cells: dict[int, dict[int, str]] = {}
        self.ranges: list[tuple[int, int, int, int, str]] = []
        self.count = 0

    def __bool__(self) -> bool:
        return bool(self.cells or self.ranges)

    def add(self, ref: str, target: str) -> None:
        corners = [_cell_at(part) for part in ref.split(":", 1)]
        if any(c is None for c in corners):
            return  # not a cell reference: nothing to attach it to
        (row1, col1), (row2, col2) = corners[0], corners[-1]  # type: ignore[misc]
        size = (abs(row2 - row1) + 1) * (abs(col2 - col1) + 1)
        self.count += size
        if self.count > HYPERLINK_LIMIT:
            raise InputError(
                N_(
                    "the sheet has more than {limit:,} hyperlinked cells; save it as CSV "
                    "with the links as text"
                ),
                limit=HYPERLINK_LIMIT,
            )
        if size == 1:
            self.cells.setdefault(row1, {})[col1] = target
        else:
            self.ranges.append((min(row1, row2), max(row1, row2), min(col1, col2),
                                max(col1, col2), target))  # fmt: skip

    def row(self, number: int, width: int) -> dict[int, str] | None:
        """The hyperlinks of sheet row `number` within its first `width` columns."""
        found = self.cells.get(number)
        found = {c: t for c, t in found.items() if c < width} if found else {}
        for first, last, col1, col2, target in self.ranges:
            if first <= number <= last:
                for col in range(col1, min(col2, width - 1) + 1):
                    found.setdefault(col, target)
        return found or None


def _cell_at(ref: str) -> tuple[int, int] | None:
    """`C3` → (3, 2): the row number and the 0-based column."""
    m = _REFERENCE.match(ref.strip().upper())
    if m is None:
        return None
    col = 0
    for ch in m[1]:
        col = col * 26 + ord(ch) - 64
    return int(m[2]), col - 1


MERGE_LIMIT = 100_000  # merged ranges read from one sheet (Excel's own files hold far fewer)
SHEET_COLUMNS = 16_384  # a sheet's columns, as Excel has them (A to XFD)
_MERGES_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCells[\s>/]")
_MERGE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s([^>]*)>")
_MERGES_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?mergeCells\s*>")


class Merges:
    """A sheet's merged ranges (first row, last row, first column, last column; columns
    0-based): Excel shows the first cell's value over the whole range, and keeps it in that
    cell alone."""

    __slots__ = ("ranges",)

    def __init__(self) -> None:
        self.ranges: list[tuple[int, int, int, int]] = []

    def add(self, ref: str) -> None:
        """Add the range `ref` (A2:A4); one that is not a range of the sheet's cells, first
        corner first, is refused now — openpyxl would refuse it after the last row, its own
        words the reason, the rows written already."""
        corners = [_cell_at(part) for part in ref.split(":", 1)]
        if len(corners) == 1:
            corners *= 2  # one cell: a range of one, nothing to fill
        if any(c is None or not 1 <= c[0] <= SHEET_ROWS or c[1] >= SHEET_COLUMNS
               for c in corners):  # fmt: skip
            raise _bad_range(ref)
        (row1, col1), (row2, col2) = corners  # type: ignore[misc]
        if row1 > row2 or col1 > col2:
            raise _bad_range(ref)
        if (row1, col1) == (row2, col2):
            return
        if len(self.ranges) >= MERGE_LIMIT:
            raise InputError(
                N_("the sheet has more than {limit:,} merged ranges; save it as CSV"),
                limit=MERGE_LIMIT,
            )
        self.ranges.append((row1, row2, col1, col2))

    def check(self) -> None:
        """Refuse ranges that share a cell (Excel never writes them; one given twice is
        two), naming the first two found — before any row is read."""
        active: list[tuple[int, int, int, int]] = []
        for merged in sorted(self.ranges):
            row1, _row2, col1, col2 = merged
            active = [a for a in active if a[1] >= row1]
            for other in active:
                if other[2] <= col2 and col1 <= other[3]:
                    raise InputError(
                        N_("the sheet's merged ranges {first} and {second} overlap; Excel "
                           "never saves that: merge them again"),
                        first=_range_ref(other), second=_range_ref(merged),
                    )  # fmt: skip
            active.append(merged)


def _bad_range(ref: str) -> InputError:
    return InputError(
        N_("the sheet's merged range '{ref}' is not a range of its cells (such as A2:A4)"),
        ref=shown(ref, 40),
    )


class _Section:
    """A part of a sheet after its rows (<hyperlinks>, <mergeCells>), found by one pass over
    the sheet's bytes and read item by item (`take(attributes)`) without holding the sheet."""

    def __init__(self, word: bytes, start: re.Pattern, item: re.Pattern, end: re.Pattern,
                 take, malformed: str) -> None:  # fmt: skip
        self.word, self.start, self.item, self.end, self.take = word, start, item, end, take
        self.malformed = malformed
        self.inside = self.done = False
        self.pending = b""

    def feed(self, chunk: bytes) -> None:
        data = self.pending + chunk
        if not self.inside:
            # (a word search first: the pattern tried at every '<' of the rows is slow)
            found = self.start.search(data) if self.word in data else None
            if found is None:
                self.pending = data[-64:]  # a start tag cut by the chunk's end
                return
            self.inside, data = True, data[found.start() :]
        end = self.end.search(data)
        stop = end.start() if end else max(data.rfind(b">") + 1, 0)
        for match in self.item.finditer(data, 0, stop):
            self.take({
                k.decode("utf-8", "replace").rsplit(":", 1)[-1]: (a or b)
                for k, a, b in _ATTRIBUTE.findall(match[1])
            })  # fmt: skip
        if end is not None:
            self.done = True
            return
        self.pending = data[stop:]
        if len(self.pending) > XLSX_PART_LIMIT:
            raise InputError(self.malformed)


def _after_rows(archive, sheet_path: str) -> tuple[Hyperlinks, Merges]:
    """The external hyperlinks and the merged ranges of the sheet at `sheet_path`, from one
    pass over its bytes, in chunks (hyperlinks only where the sheet's relationships list
    one)."""
    from xml.sax.saxutils import unescape

    from openpyxl.packaging.relationship import get_dependents, get_rels_path

    links, merges = Hyperlinks(), Merges()
    rels_path = get_rels_path(sheet_path)
    targets = {}
    if rels_path in archive.namelist():
        targets = {
            r.Id: r.Target
            for r in get_dependents(archive, rels_path)
            if (r.Type or "").endswith("/hyperlink") and r.Id and r.Target
        }
    entities = {"&quot;": '"', "&apos;": "'"}

    def link(attributes: dict[str, bytes]) -> None:
        ref, ident = attributes.get("ref"), attributes.get("id")
        if ref and ident:
            target = targets.get(unescape(ident.decode("utf-8", "replace"), entities))
            if target:
                links.add(ref.decode("ascii", "replace"), target)

    def merge(attributes: dict[str, bytes]) -> None:
        if ref := attributes.get("ref"):
            merges.add(ref.decode("ascii", "replace"))

    merged = N_("the sheet's merged cells are malformed")
    sections = [_Section(b"mergeCells", _MERGES_START, _MERGE, _MERGES_END, merge, merged)]
    if targets:
        linked = N_("the sheet's hyperlinks are malformed")
        sections.append(
            _Section(b"hyperlinks", _HYPERLINKS_START, _HYPERLINK, _HYPERLINKS_END, link, linked)
        )
    with archive.open(sheet_path) as stream:
        while chunk := stream.read(1 << 20):
            for section in sections:
                if not section.done:
                    section.feed(chunk)
            if all(section.done for section in sections):
                break
    return links, merges
