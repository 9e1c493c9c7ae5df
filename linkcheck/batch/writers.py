"""Answers → files: CSV/TSV, JSON Lines/JSON and .xlsx, behind the `Writer` protocol (the
terminal table is render's, behind the same protocol). Formula neutralising and what a
workbook cannot hold belong to the writers that need them."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import BinaryIO, Protocol, cast

from ..errors import missing_dependency
from ..i18n import N_
from ..outputs import OutputError
from .cells import JsonRow, RawNumber, dump_json
from .formats import APPENDED, APPENDED_LABELS, APPENDED_SET, Answer, Format, InputError

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\Z", re.ASCII)


class Writer(Protocol):
    """What check_rows writes to. `header` once (the input's names and APPENDED), `write`
    once per input row with its answers (one per surface), `close` at the end. `fit` is
    None, or for formats that cannot hold every cell, fit(cells) → None or (cells as they
    can be written, why): check_rows then makes that row an error row saying why. A writer
    with a `reading(positions)` method hears, after the header, which input columns were
    read (the terminal's table shows them first)."""

    fit: Callable[[list[str]], tuple[list[str], str] | None] | None

    def header(self, names: list[str]) -> None: ...
    def write(self, cells: list[str], results: Sequence[Answer]) -> None: ...
    def close(self) -> None: ...


_DANGER = re.compile("\x1f[=+\\-@\t\r]")  # a literal prefix: the scan is a fast memchr


FORMULA_STARTS = "=+-@\t\r"  # a cell starting with one may run as a formula


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading ' (numbers are left alone)."""
    if cell and cell[0] in FORMULA_STARTS and not _PLAIN_NUMBER.match(cell):
        return "'" + cell
    return cell


def output_names(header: list[str]) -> list[str]:
    """Column names for keyed outputs (JSON), each its own: an input column that shares a
    name with an appended one, or with a column before it, keeps its value under
    `<name>_input` (`_input` again while that is taken)."""
    taken = set(APPENDED)
    names = []
    for name in header:
        new = name
        while new in taken:
            new = f"{new}_input"
        taken.add(new)
        names.append(new)
    return [*names, *APPENDED]


class _Unscanned:
    seen = True  # no scan of the input: any cell may start like a formula


class DelimitedWriter:
    """CSV or TSV. A cell a spreadsheet would run as a formula is neutralised, unless
    `raw_cells`: an input row's cells are searched once — not even that while `formulas`
    (the input's readers.FormulaScan, if it has one) has seen no text that could start such
    a cell — and an error row is always neutralised (its surface and note may echo input
    cells, stripped; answers are always safe)."""

    fit = None
    ANSWERS = 4096  # answers whose text is kept (answer_text)

    def __init__(self, text, delimiter: str, raw_cells: bool, formulas=None) -> None:
        # CRLF as RFC 4180 says: with "\n" alone, csv would leave a cell holding "\r" unquoted
        self._writerow = csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerow
        self._guard = not raw_cells
        self._formulas = formulas or _Unscanned
        self._text = text
        self.delimiter = delimiter
        self.guard = self._guard  # whether cells that start like a formula are neutralised
        self.emit = text.write  # text that is already this format's (lines.check_lines)
        self._answers: dict[Answer, str] = {}

    def answer_text(self, answer: Answer) -> str:
        """The end of a row that needs no neutralising, from its answer on: the delimiter,
        the answer's cells as `write` writes them, and the line end."""
        found = self._answers.get(answer)
        if found is None:
            if len(self._answers) >= self.ANSWERS:
                self._answers.clear()
            out = io.StringIO()
            csv.writer(out, delimiter=self.delimiter, lineterminator="\r\n").writerow(answer)
            found = self._answers[answer] = self.delimiter + out.getvalue()
        return found

    def flush(self) -> None:
        """Everything written so far, out of the text buffer (before bytes written
        directly to the stream: the DuckDB engine's rows)."""
        self._text.flush()

    def header(self, names: list[str]) -> None:
        self._writerow([neutralise(c) for c in names] if self._guard else names)

    def write(self, cells: list[str], results: Sequence[Answer]) -> None:
        writerow = self._writerow
        if self._guard and (
            results[0].verdict == "error"
            or (self._formulas.seen and _DANGER.search("\x1f" + "\x1f".join(cells)) is not None)
        ):
            for result in results:
                writerow([neutralise(c) for c in (*cells, *result)])
        else:
            for result in results:
                writerow((*cells, *result))

    def close(self) -> None:
        pass


class JsonLinesWriter:
    """JSON Lines, or one JSON array. An object read from JSON Lines is written whole."""

    fit = None

    def __init__(self, text, array: bool = False) -> None:
        self._text = text
        self._array = array
        self._names: list[str] = []
        self._count = 0

    def header(self, names: list[str]) -> None:
        self._names = output_names(names[: -len(APPENDED)])
        if self._array:
            self._text.write("[")

    def write(self, cells: list[str], results: Sequence[Answer]) -> None:
        if type(cells) is JsonRow:
            for result in results:
                self._object(cells.obj, result)
            return
        for result in results:
            row = dict(zip(self._names, (*cells, *result), strict=True))
            self._line(json.dumps(row, ensure_ascii=False))

    def _object(self, obj: dict, result: Answer) -> None:
        """An object read from JSON Lines, every key and value as it was, and the answer (an
        input key that is also an appended name keeps its value under `<name>_input`)."""
        if not APPENDED_SET.isdisjoint(obj):
            obj = dict(zip(output_names(list(obj))[: len(obj)], obj.values(), strict=True))
        self._line(dump_json(obj | result._asdict()))

    def _line(self, line: str) -> None:
        text = (("\n" if self._count == 0 else ",\n") + line) if self._array else line + "\n"
        try:
            self._text.write(text)
        except UnicodeEncodeError:  # a lone surrogate (JSON's "\ud800"), which UTF-8 cannot
            # hold: written as the JSON escape it came as (nothing was written: a text
            # stream encodes the whole text before it writes any of it)
            self._text.write(_SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", text))
        self._count += 1

    def close(self) -> None:
        if self._array:
            self._text.write("\n]\n" if self._count else "]\n")


XLSX_CELL_LIMIT = 32767  # characters in one spreadsheet cell
# characters XML cannot hold, and CR, which a workbook gives back as LF
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
# a lone surrogate (only JSON can spell one: "\ud800"): no UTF-8 text or XML holds it
_SURROGATE = re.compile("[\ud800-\udfff]")


def surrogates_shown(cells: list[str]) -> tuple[list[str], str] | None:
    """Cells holding a lone surrogate, made writable as text — the surrogate shown as its
    JSON escape — with the reason; None if none holds one."""
    at = [i for i, cell in enumerate(cells) if _SURROGATE.search(cell)]
    if not at:
        return None
    fitted = [_SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", c) for c in cells]
    columns = ", ".join(str(i + 1) for i in at)
    return fitted, (
        f"column {columns} holds a lone surrogate (a JSON \\ud800 … \\udfff escape that is no "
        "character), which UTF-8 text and workbooks cannot hold (shown escaped here); not "
        "checked: write jsonl or json to keep this row whole"
    )


def xlsx_fit(cells: list[str]) -> tuple[list[str], str] | None:
    """Cells a workbook cannot hold whole (too long, control characters XML forbids, or a
    CR, which comes back as LF), made
    writable — cut, or the characters shown escaped — with the reason; None if all fit."""
    reasons = []
    surrogates = surrogates_shown(cells)
    if surrogates is not None:
        cells = surrogates[0]
        reasons.append(surrogates[1].split("; not checked")[0])
    fitted = list(cells)
    for i, cell in enumerate(cells):
        if _XML_ILLEGAL.search(cell):
            cell = _XML_ILLEGAL.sub(lambda m: m[0].encode("unicode_escape").decode(), cell)
            reasons.append(
                f"column {i + 1} has control characters or a carriage return, which a "
                "workbook cannot keep (shown escaped here)"
            )
        if len(cell) > XLSX_CELL_LIMIT:
            reasons.append(
                f"column {i + 1} has {len(cell):,} characters, more than the {XLSX_CELL_LIMIT:,} "
                "a spreadsheet cell holds (cut here)"
            )
            cell = cell[:XLSX_CELL_LIMIT]
        fitted[i] = cell
    if not reasons:
        return None
    keep = "jsonl or json" if surrogates is not None else "csv or jsonl"
    return fitted, "; ".join(reasons) + f"; not checked: write {keep} to keep this row whole"


SHEET_ROWS = 1_048_576  # the rows of a sheet in Excel (and of an .xlsx: XFD1048576)


class XlsxWriter:
    """openpyxl's write-only workbook: rows go to disk as they come.

    Cells keep their types: text is written as text (a text cell never runs, so `=SUM(1,2)
    标题` needs no `'`), and the numbers, dates and booleans of a workbook row are written
    back as they were, with their number formats (`00123` stays a number shown as 00123);
    JSON numbers become numbers when a spreadsheet holds them exactly. With `raw_cells`, a
    text starting with `=` is written as a formula."""

    fit = staticmethod(xlsx_fit)

    def __init__(self, binary, raw_cells: bool, stamp: datetime | None = None,
                 surfaces: dict[str, str] | None = None) -> None:  # fmt: skip
        try:
            from openpyxl import Workbook
            from openpyxl.cell import WriteOnlyCell
        except ImportError:
            raise InputError(missing_dependency("writing .xlsx", "openpyxl")) from None
        self._cell = WriteOnlyCell
        self._binary = binary
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet("linkcheck")
        self._raw = raw_cells
        self._stamp = stamp
        self._surfaces = surfaces  # surface id → its Chinese name (people_answer)
        self._names: list[str] = []
        self._room = SHEET_ROWS  # rows the sheet has left

    def header(self, names: list[str]) -> None:
        self._names = names[: -len(APPENDED)]
        self._append([self._value(c) for c in people_header(names)])

    def _append(self, row: list) -> None:
        """A row onto the sheet, or, past the rows a sheet has, the run stops: Excel would cut
        the sheet short or not open the workbook (a row a surface makes more rows than the
        input has)."""
        if not self._room:
            raise OutputError(
                N_("a workbook's sheet holds {limit} rows and the answers need more (a row "
                   "for each surface asked about); write CSV instead (-o OUT.csv)"),
                limit=f"{SHEET_ROWS:,}",
            )  # fmt: skip
        self._room -= 1
        self._sheet.append(row)

    def write(self, cells: list[str], results: Sequence[Answer]) -> None:
        # openpyxl's write-only cells are written where they are appended: a row written once
        # per surface needs its own cells each time (shared ones came out as text cells
        # typed as numbers on every row after the first, a workbook nobody could open)
        typed = getattr(cells, "typed", None)
        numbers = {}
        if not typed and type(cells) is JsonRow:
            for at, name in enumerate(self._names):
                number = _json_number(cells.obj.get(name))
                if number is not None:
                    numbers[at] = number
        links = getattr(cells, "links", None)
        for result in results:
            values = [self._value(c) for c in cells]
            if typed:
                for at, (value, number_format) in typed.items():
                    values[at] = self._typed(value, number_format)
            for at, number in numbers.items():
                values[at] = number
            if links:
                self._link(values, cells, links)
            shown = people_answer(result, self._surfaces)
            self._append([*values, *(self._value(c) for c in shown)])

    def _value(self, cell: str):
        if not cell:
            return None  # an empty cell, not an empty text
        if self._raw and cell.startswith("="):  # asked for: openpyxl writes a formula
            return cell
        written = self._cell(self._sheet, value=cell)
        written.data_type = "s"  # text stays text: never a formula, never a number guess
        return written

    def _link(self, values: list, cells, links: dict[int, str]) -> None:
        """The input's hyperlinks kept: a cell read as its hyperlink shows its own text
        again (`shown`), with the link."""
        shown = cells.shown or {}
        for at, target in links.items():
            if at >= len(values):
                continue
            cell = values[at]
            if at in shown or cell is None or not hasattr(cell, "hyperlink"):
                cell = self._value(shown.get(at, cells[at]) or target)
                values[at] = cell
            if hasattr(cell, "hyperlink"):  # not a formula written raw
                cell.hyperlink = target

    def _typed(self, value, number_format: str):
        written = self._cell(self._sheet, value=value)
        if number_format != "General":
            written.number_format = number_format
        return written

    def close(self) -> None:
        if self._stamp is None:
            self._book.save(_QuietAfterFailure(self._binary))
            return
        import tempfile

        # openpyxl dates the workbook (docProps/core.xml) and every zip entry with the time it
        # saves: written once more with one stamp, the same rows are the same bytes
        at = self._stamp.astimezone(UTC).replace(tzinfo=None, microsecond=0)
        self._book.properties.created = at
        with tempfile.TemporaryFile(prefix="linkcheck-") as saved:
            self._book.save(_QuietAfterFailure(saved))
            saved.seek(0)
            restamp_zip(saved, cast(BinaryIO, _QuietAfterFailure(self._binary)), at)

    def discard(self) -> None:
        """The run failed before close: the sheet's rows, which openpyxl writes to a
        temporary file of its own, are ended and that file removed now — left to the
        collector, they are written into a file already closed ("Exception ignored …
        Traceback" after the error was said)."""
        sheet = self._sheet
        rows, writer = sheet._rows, sheet._writer
        if rows is not None:
            rows.close()
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError, ValueError):  # already removed by a save
                writer.cleanup()


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def restamp_zip(source: BinaryIO, target: BinaryIO, at: datetime) -> None:
    """Copy the zip archive `source` to `target` with every entry dated `at` (naive UTC),
    and a workbook's `modified` property too."""
    import shutil
    import zipfile

    stamp = at.timetuple()[:6]
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for entry in old.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = entry.compress_type
            info.external_attr = 0o600 << 16
            if entry.filename == "docProps/core.xml":
                data = _MODIFIED.sub(
                    rb"\g<1>" + at.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>",
                    old.read(entry),
                )
                new.writestr(info, data)
                continue
            with old.open(entry) as src, new.open(info, "w") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)


class _QuietAfterFailure:
    """The stream a workbook is saved to, quiet after its first failure: openpyxl leaves its
    zip archive open when a write fails (a full disk), and the archive writes again when it
    is collected, into a stream closed by then — an "Exception ignored" traceback after the
    error was said. The first failure is raised; after it nothing is written, and the
    position moves as if it were (the archive's last record is computed from it)."""

    def __init__(self, binary: BinaryIO) -> None:
        self._binary = binary
        self._failed = False
        self._at = 0

    def _do(self, name: str, *args):
        try:
            return getattr(self._binary, name)(*args)
        except OSError:
            self._failed = True
            raise

    def write(self, data) -> int:
        if not self._failed:
            self._do("write", data)
        self._at += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        if not self._failed:
            self._at = self._do("seek", offset, whence)
        elif whence == 0:
            self._at = offset
        return self._at

    def tell(self) -> int:
        if not self._failed:
            self._at = self._do("tell")
        return self._at

    def flush(self) -> None:
        if not self._failed:
            self._do("flush")

    def seekable(self) -> bool:
        return self._binary.seekable()

    def writable(self) -> bool:
        return True


def people_header(names: list[str]) -> list[str]:
    """A header as people read it (a table, a workbook): the appended columns' names in the
    current language, the input's own as they were."""
    from ..i18n import gettext, language

    if language() == "en":
        return names
    cut = len(names) - len(APPENDED)
    return [*names[:cut], *(gettext(APPENDED_LABELS[n]) for n in names[cut:])]


def people_answer(result: Answer, surfaces: dict[str, str] | None = None) -> Answer:
    """The appended cells as people read them in a workbook or the terminal table (the
    current language): the surface's Chinese name (`surfaces`: id → name, from the rules),
    the verdict, the next change's verdict and the note; the English ones elsewhere."""
    from ..i18n import language, people_note
    from ..words import people_change

    surface = result.surface
    if surfaces and language() == "zh":  # a cell that names no surface stays as it was
        surface = surfaces.get(surface, surface)
    return result._replace(surface=surface, verdict=people_verdict(result.verdict),
                           next_change=people_change(result.next_change),
                           note=people_note(result.note))  # fmt: skip


def surface_names(rules) -> dict[str, str]:
    """Surface id → its Chinese name, for the outputs people read (people_answer)."""
    return {ident: s.name_zh for ident, s in rules.catalog.surfaces.items() if s.name_zh}


def people_verdict(verdict: str) -> str:
    """A verdict as people read it in a table or a workbook (the current language)."""
    from ..words import verdict_word

    return verdict_word(verdict)


def _json_number(value):
    """A JSON number as a spreadsheet number when one holds it exactly (at most 15
    significant digits, finite), else None: the cell stays the text it was written as."""
    if not isinstance(value, RawNumber):
        return None
    text = str.__str__(value)
    digits = text.split("e")[0].split("E")[0].lstrip("-").replace(".", "").lstrip("0")
    if len(digits) > 15:
        return None
    number = float(text)
    if number != number or number in (float("inf"), float("-inf")):
        return None
    if number.is_integer() and "." not in text and "e" not in text.lower():
        return int(text)
    return number


@contextlib.contextmanager
def _text(binary: BinaryIO, bom: bool) -> Iterator[io.TextIOWrapper]:
    """UTF-8 text over the owner's binary stream (with a BOM when `bom`). On leaving,
    whatever happened, text is flushed and the stream is left open for its owner."""
    text = io.TextIOWrapper(binary, encoding="utf-8-sig" if bom else "utf-8", newline="")
    try:
        yield text
        text.flush()
    finally:  # never close the owner's stream (stdout, or the temporary file)
        with contextlib.suppress(ValueError, BrokenPipeError):
            text.flush()
        with contextlib.suppress(ValueError):
            text.detach()


@contextlib.contextmanager
def open_writer(fmt: str, binary: BinaryIO, *, raw_cells: bool = False, bom: bool = False,
                formulas=None, stamp: datetime | None = None,
                surfaces: dict[str, str] | None = None) -> Iterator[Writer]:  # fmt: skip
    """The writer for an output format over a binary stream. Text formats are UTF-8; CSV
    and TSV start with a BOM when `bom` (JSON never does). Call the writer's `close` to
    finish the format (a JSON array's `]`, a workbook's save) before leaving; the stream is
    left open for its owner. `formulas`: the input's FormulaScan, if it has one (see
    DelimitedWriter). `stamp`: the instant a workbook is dated with, every time it is written
    (so the same rows give the same bytes); None: openpyxl's clock. `surfaces`: the Chinese
    names a workbook shows its surfaces by (surface_names). The terminal table is
    render's (render.TableWriter)."""
    fmt = Format(fmt)
    if fmt is Format.XLSX:
        workbook = XlsxWriter(binary, raw_cells, stamp, surfaces)
        try:
            yield workbook  # type: ignore[misc]
        except BaseException:
            workbook.discard()
            raise
    elif fmt is Format.TABLE:
        raise ValueError("the table is written by render.TableWriter, to a console")
    elif fmt.delimiter is not None:
        with _text(binary, bom) as text:
            yield DelimitedWriter(text, fmt.delimiter, raw_cells, formulas)  # type: ignore[misc]
    else:
        with _text(binary, False) as text:
            yield JsonLinesWriter(text, array=fmt is Format.JSON)  # type: ignore[misc]
