"""Workbooks (.xlsx) → a header and rows of cell texts, refusing what would exhaust memory
or time before it is read."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import missing_dependency, shown
from ..i18n import N_
from .cells import cell_text
from .encodings import rereadable
from .formats import InputError

# size (time); every other XML part is parsed whole, so it must be small; the shared strings
# are all held in memory at once, so what they would cost is estimated first.
XLSX_SHEET_LIMIT = 2 << 30
XLSX_PART_LIMIT = 64 << 20
XLSX_SHARED_MEMORY = 1 << 30
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
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(1 << 20):
                chunk = tail + chunk
                strings += chunk.count(b"<si") + chunk.count(b":si")
                tail = chunk[-2:]
    except zlib.error as exc:
        raise InputError(N_("not a readable .xlsx workbook (zlib: {reason})"), reason=exc) from None
    cost = 2 * part.file_size + _SHARED_STRING_COST * strings
    if cost > XLSX_SHARED_MEMORY:
        _refuse_shared_strings(cost, strings)


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


def _why(exc: Exception) -> str:
    return f"{type(exc).__name__}: {shown(str(exc), 60)}" if str(exc) else type(exc).__name__


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
    """A workbook row: its cell texts, and the cells that were not text as
    {column: (value, number format)}, which a workbook output writes back as they were."""

    __slots__ = ("typed",)

    def __init__(self, cells) -> None:
        super().__init__(cells)
        self.typed: dict[int, tuple] = {}


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
    """The first sheet of an .xlsx workbook, streamed row by row.

    Only the cells in the file are read: the sheet's claimed dimension and missing rows
    are ignored (openpyxl would pad every row to the claimed width), and cells beyond the
    header's width are kept as extra cells (an error row says so)."""
    try:
        from openpyxl import load_workbook
        from openpyxl.worksheet._reader import WorkSheetParser
    except ImportError:
        raise InputError(missing_dependency("reading .xlsx", "openpyxl")) from None
    binary = rereadable(binary)
    _check_workbook_sizes(binary)
    malformed = _malformed()
    try:
        book = load_workbook(binary, read_only=True, data_only=True)
        if not book.worksheets:
            raise InputError(N_("the workbook has no worksheet"))
        sheet = book.worksheets[0]
        source = sheet._get_source()  # the sheet's XML, parsed below as openpyxl does
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
    except malformed as exc:
        raise InputError(N_("not a readable .xlsx workbook ({reason})"), reason=_why(exc)) from None

    def parsed() -> Iterator[list[dict]]:
        number = 0
        try:
            for number, row in parser.parse():  # noqa: B007 (the row number is in messages)
                yield row
        except malformed as exc:
            raise InputError(
                N_("the first sheet is malformed after row {number} ({reason})"),
                number=number,
                reason=_why(exc),
            ) from None
        finally:
            source.close()

    cells_of = parsed()
    header: list[str] = []
    for row in cells_of:
        filled = {c["column"]: cell_text(c["value"]) for c in row if c["value"] is not None}
        filled = {k: v for k, v in filled.items() if v != ""}
        if filled:
            header = [filled.get(i, "") for i in range(1, max(filled) + 1)]
            break
    if not header:
        raise InputError(N_("the first sheet is empty: it needs a header row"))
    width = len(header)

    formats = _NumberFormats(book)

    def rows() -> Iterator[list[str]]:
        for row in cells_of:
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
            yield SheetRow(cells + extra) if extra else cells

    return header, rows()
