"""run_checklist: a whole checklist answered, from a file or stream into another — the one
entry point behind `linkcheck batch`, for the Python and the DuckDB engine alike.

    from linkcheck.batch import ChecklistOptions, run_checklist
    summary = run_checklist("清单.xlsx", "结果.xlsx", options=ChecklistOptions(when="2022-11-11"))
    summary.counts["denied"]
"""

from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from ..errors import LinkcheckError, Message, OSReason
from ..i18n import N_
from ..inputs import identity, regular
from ..when import DateStyle, check_year, date_style
from .cells import BadRow, JsonRow
from .columns import MEANINGS, SAMPLE_CELL, SAMPLE_ROWS, Columns
from .deciding import Checker, check_rows, spanned
from .formats import (
    APPENDED,
    EXTENSIONS,
    INPUT_FORMATS,
    OTHER_SPREADSHEETS,
    OUTPUT_EXTENSIONS,
    Format,
    InputError,
    wants_bom,
)
from .headers import MAX_COLUMNS, Layout, SheetChoice, too_wide
from .lines import check_lines, lines_of
from .readers import DelimitedRows, Table, formula_scan, read_input
from .writers import DelimitedWriter, Writer, open_writer, surface_names

if TYPE_CHECKING:
    from ..engine import RuleSet

PROGRESS_EVERY = 2000  # rows between two calls of `progress`
COLUMNAR_AUTO = 64 << 20  # bytes of input from which engine "auto" takes DuckDB (measured)
# … and from which it takes DuckDB for a checklist whose start it foresees (names and days:
# columnar.foreseen; measured 1.63x the Python engine at 17.4 MiB, 1.13x at 8.7 MiB)
FORESEEN_AUTO = 16 << 20
ENGINES = ("python", "duckdb", "auto")
_FORMATS = tuple(f.value for f in Format)


@dataclass(frozen=True)
class ChecklistOptions:
    """How a checklist is read and answered; every field has the default `batch` has.

    `when`, `surfaces` and `platform` answer rows without a date, surface or platform
    cell; `date_format` reads the date column in one style (dayfirst, monthfirst or a
    strptime format) and `year` is the year of a date written without one (docs/dates.md);
    `columns` names a meaning's column by header or 1-based position
    ({"date": "直播时间", "url": "3"}); `bom` None: a BOM when the input came from a
    spreadsheet program; `engine`: python, duckdb (the duckdb extra) or auto;
    `header_row`: where the header is (1-based, as the sheet numbers rows), else the first
    of the first rows that names a source or link column (headers.py); `sheet`: a
    workbook's sheet by name or 1-based position, else the first visible one whose header
    names a source or link column."""

    input_format: str | None = None  # None: by the source's extension (a stream: csv)
    output_format: str | None = None  # None: by the sink's extension, else the input's own
    when: str = "now"
    surfaces: tuple[str, ...] = ()
    platform: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    encoding: str | None = None
    bom: bool | None = None
    raw_cells: bool = False
    engine: str = "python"
    date_format: str | None = None
    year: int | None = None
    # the current instant the run reads `when`, relative and yearless dates against, and
    # stamps a workbook with (None: the clock); a recorded run sets it to be reproducible
    now: datetime | None = None
    header_row: int | None = None  # the sheet's row number of the header; None: found
    sheet: str | None = None  # a workbook's sheet, by name or 1-based position; None: found

    def __post_init__(self) -> None:
        # what a program passes is checked as `batch` checks what is typed: an engine
        # it would not run (spark ran the Python engine without a word), one surface as a
        # string (read a character a surface), a naive `now` (the platform's zone's)
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {self.engine!r}")
        if isinstance(self.surfaces, str):
            object.__setattr__(self, "surfaces", (self.surfaces,))
        for name in ("input_format", "output_format"):  # 'xml' ran into a bare ValueError
            value = getattr(self, name)
            if value is not None and value not in _FORMATS:
                raise ValueError(f"{name} must be one of {', '.join(_FORMATS)}, not {value!r}")
        check_year(self.year)
        # a key no meaning has ('dat') was read as no column at all, and every row answered
        # at now; a position given as a number is a position
        columns = {}
        for meaning, named in dict(self.columns).items():
            if meaning not in MEANINGS:
                raise ValueError(f"columns: {meaning!r} is no meaning; use {', '.join(MEANINGS)}")
            if isinstance(named, int) and not isinstance(named, bool):
                named = str(named)
            if not isinstance(named, str):
                raise TypeError(f"columns[{meaning!r}] must be a header or a position, "
                                f"not {type(named).__name__}")  # fmt: skip
            columns[meaning] = named
        object.__setattr__(self, "columns", columns)


@dataclass(frozen=True)
class Fill:
    """What answers rows that have no column for a meaning: the value, and whether the
    options gave it (else it is the default: now, the default surfaces, the rules'
    default platform)."""

    value: datetime | tuple[str, ...] | str
    given: bool


@dataclass
class Summary:
    """What a run did: the count of each verdict (and of empty rows skipped), which column
    was read as what, what filled a missing one, and how it was read and written."""

    counts: dict[str, int]
    columns: Columns
    fills: dict[str, Fill]
    encoding: str  # the input's text encoding ("xlsx" for a workbook)
    input_format: Format
    output_format: Format
    engine: str  # python | duckdb: the one that answered
    serials: bool = False  # the date column held Excel serial numbers
    years: tuple[int, ...] = ()  # the years given to dates written without one
    header_row: int = 1  # the sheet's row number of the header
    above: tuple[tuple[int, str], ...] = ()  # the rows above it, skipped: (number, text)
    more_above: int = 0  # and how many more there were, not listed in `above`
    # rows over several lines whose cells hold lines that read as rows (a stray quote): the
    # first few as (first line, last line, such lines), and how many in all
    swallowed: tuple[tuple[int, int, int], ...] = ()
    swallowed_rows: int = 0
    merged: tuple[str, ...] = ()  # a workbook's merged ranges below the header, filled
    sheet: SheetChoice | None = None  # the sheet read, of a workbook of several

    @property
    def results(self) -> int:
        return sum(n for verdict, n in self.counts.items() if verdict != "skipped")

    def any_of(self, verdicts) -> bool:
        """Whether some result has one of `verdicts` (what --fail-on asks)."""
        return any(self.counts.get(v) for v in verdicts)


Source = str | os.PathLike | BinaryIO
Sink = str | os.PathLike | BinaryIO | Writer


def run_checklist(source: Source, sink: Sink, *, options: ChecklistOptions = ChecklistOptions(),
                  rules: RuleSet | None = None, progress: Callable[[int], None] | None = None,
                  notice: Callable[[Message], None] | None = None) -> Summary:  # fmt: skip
    """Answer every row of the checklist `source` (a path, or a binary stream) into `sink`
    (a path, written atomically; a binary stream; or a Writer, such as the terminal table).

    `rules`: the RuleSet to answer from (default: the bundled rules). `progress(rows_done)`
    is called every PROGRESS_EVERY rows; `notice(message)` hears what the caller should
    tell the user before the summary (an engine that could not take the input).
    Raises InputError (or another LinkcheckError) when the input, the options or the output
    cannot be used; a row that cannot be answered is an error row, never an exception."""
    if not isinstance(options, ChecklistOptions):  # None: an AttributeError deep inside
        raise TypeError(f"options must be a ChecklistOptions, not {type(options).__name__}")
    if rules is None:
        from .. import load_rules

        rules = load_rules()
    from ..engine import RuleSet

    if not isinstance(rules, RuleSet):
        raise TypeError(f"rules must be a RuleSet, not {type(rules).__name__}")
    if sink is None:  # a bare AssertionError inside
        raise TypeError("sink must be a path, a binary stream or a Writer, not None")
    shown = _shown(source)
    with _opened(source) as binary:
        before = identity(binary)  # a file written while it is read: refused at the end
        in_format = Format(options.input_format or _format_of(source, "--input-format", binary))
        out_format = _output_format(options.output_format, sink, in_format, source)
        _not_the_input(sink, binary, shown)
        given = defaults(rules, options)  # a bad date or name fails now, not on every row
        dates = _dates(options)
        layout = Layout(options.header_row, dict(options.columns), options.sheet)
        try:
            table = read_input(binary, in_format, options.encoding, layout)
            header, rows, encoding = table.header, table.rows, table.encoding
            if len(header) > MAX_COLUMNS:
                raise too_wide(len(header))
            row = None if in_format is Format.JSONL else table.header_row  # no rows in JSON
            try:
                columns = Columns.find(header, dict(options.columns), nested=table.nested,
                                       row=row)  # fmt: skip
            except InputError:
                if table.sheet is None or table.sheet.named:
                    raise
                raise _no_sheet_names_one(table.sheet) from None
        except LinkcheckError as exc:
            raise InputError(N_("input '{text}': {reason}"), text=shown, reason=exc) from None
        except UnicodeDecodeError as exc:
            raise decode_error(shown, exc, "", _bad_line(binary, exc.encoding)) from None
        checker = Checker(rules, columns, given.surfaces, options.when, given.platform, dates,
                          options.now)  # fmt: skip
        bom = options.bom if options.bom is not None else wants_bom(encoding)
        formulas = formula_scan(rows)
        read_rows = rows  # before the wrappers below (lines.check_lines reads its lines)
        if in_format is Format.XLSX and columns.url is not None:
            from .workbook import hyperlinked

            rows = hyperlinked(rows, columns.url)
        samples: list[list[str]] = []
        with _sink(sink) as (output, writer):
            engine = "python"
            try:
                with contextlib.ExitStack() as stack:
                    if writer is None:
                        assert output is not None  # a path or a stream when not a writer
                        writer = stack.enter_context(
                            open_writer(
                                out_format,
                                output,
                                raw_cells=options.raw_cells,
                                bom=bom,
                                formulas=formulas,
                                stamp=options.now,
                                surfaces=surface_names(rules),
                            )
                        )
                    writer.header([*header, *APPENDED])
                    reading = getattr(writer, "reading", None)
                    if callable(reading):  # the columns read, for a writer that shows them
                        at = (columns.at(m) for m in MEANINGS)
                        reading(sorted({i for i in at if i is not None and i < len(header)}))
                    # DuckDB may answer without a row passing here: then the first ones are
                    # read now, so that both engines say the same of the columns not read
                    rows = _sampled(rows, samples, now=options.engine != "python",
                                    checker=checker, source=read_rows)  # fmt: skip
                    counts = _columnar(options, source, binary, in_format, out_format,
                                       encoding, table, checker, writer, output,
                                       notice)  # fmt: skip
                    if counts is None:
                        readable = [*header, *table.nested]
                        into = _Cut(writer, len(header)) if table.nested else writer
                        if (fast := lines_of(read_rows, into)) is not None:
                            counts = check_lines(checker, readable, rows, *fast, tick=progress,
                                                 every=PROGRESS_EVERY)  # fmt: skip
                        else:
                            delimited = read_rows if type(read_rows) is DelimitedRows else None
                            counts = check_rows(checker, readable, rows, into, tick=progress,
                                                every=PROGRESS_EVERY,
                                                source=delimited)  # fmt: skip
                    else:
                        engine = "duckdb"
                    _unchanged(binary, before)  # before the output is kept
                    writer.close()
            except UnicodeDecodeError as exc:
                raise decode_error(shown, exc, encoding, _bad_line(binary, encoding)) from None
            except csv.Error as exc:
                raise InputError(
                    N_("input '{text}' is not readable CSV: {reason}"), text=shown, reason=exc
                ) from None
            except InputError as exc:  # a workbook found malformed part way
                raise InputError(N_("input '{text}': {reason}"), text=shown, reason=exc) from None
    columns = columns.with_samples(samples, checker.reads_as)
    return Summary(counts, columns, given.fills(options), encoding, in_format, out_format, engine,
                   checker.serials, tuple(sorted(checker.assumed_years)), table.header_row,
                   table.above, table.more, tuple(checker.swallowed),
                   checker.swallowed_rows, table.merged, table.sheet)  # fmt: skip


def _no_sheet_names_one(sheet: SheetChoice) -> InputError:
    """No visible sheet of a workbook of several has a header naming a source or link."""
    from .workbook import sheet_list

    return InputError(
        N_("no sheet of the workbook ({sheets}) has a source or url column in its header\n"
           "  name one 'source' (来源) or 'url' (链接, 商品链接), or choose the sheet with "
           "--sheet and the column with --source-column/--url-column"),
        sheets=sheet_list(sheet.titles),
    )  # fmt: skip


def _sampled(rows, into: list[list[str]], *, now: bool = False, checker: Checker | None = None,
             source=None):  # fmt: skip
    """`rows`, the first SAMPLE_ROWS of them kept in `into` (what the cells of the columns
    not read hold: Columns.with_samples) as they pass, or all at once `now`; the rest pass
    untouched. Rows read at once come again while csv's line count stands still: those
    over several lines of the readers.DelimitedRows `source` are shown to
    `checker.over_lines` here, as the engines are shown the others."""
    rest = iter(rows)
    # the rows read at once pass checker.over_lines here; the rest, later, where they are
    # answered (a run past them all here too warned twice of a row after the first 50)
    ahead = rest
    if now and checker is not None and type(source) is DelimitedRows:
        ahead = spanned(rest, source, checker)

    def keep(row) -> None:
        if type(row) is not BadRow:  # a cell longer than a link can be says nothing
            into.append([c if len(c) <= SAMPLE_CELL else "" for c in row])

    if now:
        first: list = []
        try:
            first.extend(islice(ahead, SAMPLE_ROWS))
        except (UnicodeDecodeError, csv.Error, InputError) as exc:
            # the input breaks within the sample: the rows before the break pass first, and
            # the error is raised where the rows reach it, as the Python engine reads them
            # (found by the engine fuzzer: DuckDB's run wrote none of them)
            for row in first:
                keep(row)
            return chain(first, _raising(exc))
        for row in first:
            keep(row)
        return chain(first, rest)

    def passing():
        for row in islice(rest, SAMPLE_ROWS):
            keep(row)
            yield row

    return chain(passing(), rest)


def _raising(exc: BaseException):
    raise exc
    yield  # a generator: raises when iterated


class _Cut:
    """A writer given rows whose cells end with nested fields' (JSON Lines: read, never
    written as cells): it writes the columns' cells only."""

    def __init__(self, writer: Writer, width: int) -> None:
        self._writer = writer
        self._width = width
        self.fit = None if writer.fit is None else self._fit

    def _fit(self, cells):
        fit = self._writer.fit
        return None if fit is None else fit(cells[: self._width])

    def write(self, cells, results) -> None:
        if type(cells) is JsonRow:
            cut = JsonRow(cells[: self._width])
            cut.obj = cells.obj
            self._writer.write(cut, results)
        else:  # an error row of the reader's
            self._writer.write(cells[: self._width], results)

    def header(self, names) -> None:
        self._writer.header(names)

    def close(self) -> None:
        self._writer.close()


class Defaults(NamedTuple):
    """What answers a row without a date, surface or platform cell."""

    at: datetime
    surfaces: tuple[str, ...]
    platform: str

    def fills(self, options: ChecklistOptions) -> dict[str, Fill]:
        return {
            "date": Fill(self.at, options.when.strip().lower() != "now"),
            "surface": Fill(self.surfaces, bool(options.surfaces)),
            "platform": Fill(self.platform, options.platform is not None),
        }


def defaults(rules: RuleSet, options: ChecklistOptions) -> Defaults:
    """The defaults the options give (raises LinkcheckError for a date or name that does
    not read: before any row is read)."""
    platform = rules.platform_id(options.platform)
    at = rules.parse_when(options.when, platform, options.now, year=options.year)
    return Defaults(at, rules.surface_list(options.surfaces), platform)


def checker_for(rules: RuleSet, header: list[str], options: ChecklistOptions) -> Checker:
    """The Checker of a checklist whose header is `header` (the DataFrame entry's set-up;
    run_checklist does the same with the header it reads)."""
    given = defaults(rules, options)
    columns = Columns.find(header, dict(options.columns))
    return Checker(rules, columns, given.surfaces, options.when, given.platform, _dates(options),
                   options.now)  # fmt: skip


def _dates(options: ChecklistOptions) -> DateStyle:
    """How the date cells are read (raises DateError for a --date-format that is none)."""
    return date_style(options.date_format, options.year)


def _shown(source: Source) -> str:
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) and not name.startswith("<") else "stdin"


def _path(thing) -> str | None:
    return os.fspath(thing) if isinstance(thing, str | os.PathLike) else None


def _unchanged(binary: BinaryIO, before: tuple | None) -> None:
    """InputError if the input file changed while it was read: truncated, appended to or
    replaced in place, its rows are not one file's (a truncated CSV gave a half row as two
    error rows, a JSON Lines file rewritten between its two reads an output of its header
    alone, each with exit 0: a trial). The output is then not kept (-o). The caller's
    message names the input."""
    if before is not None and identity(binary) != before:
        raise InputError(_CHANGED)


_CHANGED = N_("it changed while it was read: its rows are not one file's; run again once it "
              "is no longer being written")  # fmt: skip


def _regular(binary: BinaryIO) -> bool:
    """Whether the opened input is a regular file (not a pipe, a FIFO or a device); True
    where that cannot be told."""
    import stat

    try:
        return stat.S_ISREG(os.fstat(binary.fileno()).st_mode)
    except (AttributeError, OSError, ValueError):
        return True


def _format_of(source: Source, option: str, binary: BinaryIO | None = None) -> Format:
    """The input format by the source's extension; CSV for a stream, and for a pipe or a
    device named without one (`/dev/stdin`, the shell's `<(iconv … list.csv)`), as for stdin
    (`binary`: the source opened)."""
    path = _path(source)
    if path is None:
        return Format.CSV
    suffix = Path(path).suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    # a pipe, a FIFO, or stdin by its name even redirected from a file (`< list.csv`)
    stdin = path == "/dev/stdin" or path.startswith(("/dev/fd/", "/proc/self/fd/"))
    if not suffix and (stdin or (binary is not None and not _regular(binary))):
        return Format.CSV
    if suffix in OTHER_SPREADSHEETS:
        raise InputError(
            N_(
                "input '{path}' is {kind}, which linkcheck "
                "does not read;\n  save it as .xlsx or CSV (File → Save As in Excel "
                "or WPS)"
            ),
            path=path,
            kind=OTHER_SPREADSHEETS[suffix],
        )
    why = (
        Message(N_("'{suffix}' is not one it knows"), suffix=suffix)
        if suffix
        else Message(N_("it has none"))
    )
    raise InputError(
        N_("cannot tell the format of '{path}' from its extension ({why}); use {option} {formats}"),
        path=path,
        why=why,
        option=option,
        formats="|".join(INPUT_FORMATS),
    )


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def _not_the_input(sink: Sink, binary: BinaryIO, shown: str) -> None:
    """InputError where the output stream is the input file itself — standard output
    appended to it (`linkcheck batch list.csv >> list.csv`): the rows written would be read
    again, without end (a trial's file reached 31 GB)."""
    inp = regular(binary)
    try:
        out = os.fstat(sink.fileno())  # type: ignore[union-attr]
    except (AttributeError, OSError, ValueError):
        return  # a path (compared by name), or a stream of no file
    if inp is not None and os.path.samestat(out, inp):
        raise InputError(
            N_("the output is the input file '{text}' (standard output appended to it?); "
               "write the results elsewhere"),
            text=shown,
        )  # fmt: skip


def _output_format(fmt: str | None, sink: Sink, in_format: Format, source: Source) -> Format:
    """The output format asked for, else the sink's extension, else the input's own (a
    workbook read into a stream: CSV). A sink path that is the input is refused."""
    out = _path(sink)
    if out is None:
        if fmt is not None:
            return Format(fmt)
        if _is_writer(sink):  # the writer decides what it writes
            return Format.TABLE
        return Format.CSV if in_format is Format.XLSX else in_format
    inp = _path(source)
    if inp is not None and _same_file(out, inp):
        raise InputError(
            N_("output '{out}' is the input file; write the results elsewhere"), out=out
        )
    suffix = Path(out).suffix.lower()
    if suffix in OTHER_SPREADSHEETS or suffix == ".xlsm":
        raise InputError(
            N_("cannot write '{out}': linkcheck writes .xlsx workbooks, not {kind}; name it .xlsx"),
            out=out,
            kind=OTHER_SPREADSHEETS.get(suffix) or Message(N_("macro-enabled ones (.xlsm)")),
        )
    named = OUTPUT_EXTENSIONS.get(suffix)
    if fmt is not None and named is not None and named != fmt:
        raise InputError(
            N_(
                "--format {fmt} does not match the extension of '{out}' ({named}); "
                "name it {suffix} or leave out --format"
            ),
            fmt=fmt,
            out=out,
            named=named,
            suffix=suffix_of(Format(fmt)),
        )
    if fmt == Format.TABLE:
        raise InputError(
            N_("table output is for the terminal; use csv, tsv, jsonl, json or xlsx with -o")
        )
    return Format(fmt or named or in_format)


def suffix_of(fmt: Format) -> str:
    """The usual file extension of an output format ("" for the table)."""
    return next((k for k, v in OUTPUT_EXTENSIONS.items() if v == fmt), "")


@contextlib.contextmanager
def _opened(source: Source) -> Iterator[BinaryIO]:
    """The input as a binary stream (a stream given is left open), closed after the run."""
    path = _path(source)
    if path is None:
        yield source  # type: ignore[misc]
        return
    try:
        binary = open(path, "rb")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        raise InputError(N_("input '{path}' not found"), path=path) from None
    except IsADirectoryError:
        raise InputError(
            N_("input '{path}' is a directory; give a checklist file"), path=path
        ) from None
    except OSError as exc:
        raise InputError(
            N_("cannot read input '{path}': {reason}"), path=path, reason=OSReason(exc)
        ) from None
    with binary:
        yield binary


@contextlib.contextmanager
def _sink(sink: Sink) -> Iterator[tuple[BinaryIO | None, Writer | None]]:
    """(binary stream, None) for a path (written atomically: replaced only when every row
    was written) or a stream; (None, the writer) for a Writer."""
    from ..outputs import atomic_file

    path = _path(sink)
    if path is not None:
        with atomic_file(path) as binary:
            yield binary, None
    elif _is_writer(sink):
        yield None, sink  # type: ignore[misc]
    else:
        yield sink, None  # type: ignore[misc]


def _is_writer(sink: Sink) -> bool:
    return all(hasattr(sink, name) for name in ("header", "write", "close", "fit"))


def decode_error(shown: str, exc: UnicodeDecodeError, encoding: str = "",
                 line: int | None = None) -> InputError:  # fmt: skip
    encoding = encoding or exc.encoding
    if encoding.replace("_", "-").lower() == "utf-8-sig":  # Python's name: UTF-8 with a BOM
        encoding = "utf-8"
    if line is not None:  # found part way: the line holding the byte (the rows before it
        return InputError(  # were read as the encoding the start of the file showed)
            N_(
                "input '{path}' is not valid {encoding} text (byte 0x{byte:02x} on line "
                "{line}); pass --encoding (utf-8, gb18030 …)"
            ),
            path=shown,
            encoding=encoding,
            byte=exc.object[exc.start],
            line=f"{line:,}",
        )
    return InputError(
        N_(
            "input '{path}' is not valid {encoding} text (byte 0x{byte:02x}); "
            "pass --encoding (utf-8, gb18030 …)"
        ),
        path=shown,
        encoding=encoding,
        byte=exc.object[exc.start],
    )


def _bad_line(binary: BinaryIO, encoding: str) -> int | None:
    """The line of the first byte of the file `binary` that is not `encoding` text, read
    again from its start; None where it cannot be (a stream read once, another error)."""
    import codecs

    try:
        if not binary.seekable():
            return None
        binary.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
    except (OSError, ValueError, LookupError, AttributeError):
        return None
    lines = 1
    while True:
        try:
            chunk = binary.read(1 << 20)
        except (OSError, ValueError):
            return None
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:  # its object: what the decoder held, then `chunk`
            return lines + exc.object[: exc.start].count(b"\n")
        if not chunk:
            return None
        lines += chunk.count(b"\n")


def _columnar(options: ChecklistOptions, source: Source, binary: BinaryIO, in_format: Format,
              out_format: Format, encoding: str, table: Table, checker: Checker,
              writer: Writer, output: BinaryIO | None,
              notice) -> dict[str, int] | None:  # fmt: skip
    """The DuckDB engine's counts, or None when the Python engine is to answer the rows (the
    engine was not asked for, or cannot take this input: `notice` hears why). `binary` is
    the input as opened; columnar decides whether DuckDB can read it."""
    if options.engine == "python":
        return None
    from . import columnar

    path = _path(source)
    why = columnar.refusal(binary, path, in_format.delimiter, out_format.delimiter, encoding)
    if why is None and output is None:  # a Writer of the caller's: the rows go through it
        why = columnar.Unsupported(
            N_("it writes CSV and TSV files, not through a writer of the caller's")
        )
    if why is None and table.header_row != 1:  # DuckDB would read the title as the header
        why = columnar.Unsupported(N_("the header is not on the first row"))
    auto = options.engine == "auto"
    if auto:  # the measured rule (docs/scaling.md): a file DuckDB can take, COLUMNAR_AUTO or more
        if why is not None:
            _chosen(notice, Message(_AUTO_REFUSED, why=why.message))
            return None
        if checker.columns.url is not None:  # DuckDB's engine reads each distinct link in
            # Python, and in a link-heavy checklist every link is distinct
            _chosen(notice, Message(_AUTO_LINKS))
            return None
        assert path is not None  # refusal() refuses a stream
        size = os.path.getsize(path)
        limit = COLUMNAR_AUTO
        if FORESEEN_AUTO <= size < COLUMNAR_AUTO and columnar.foreseen(
            binary, path, in_format.delimiter, out_format.delimiter, table.header, checker,
            options.raw_cells,
        ):  # fmt: skip
            limit = FORESEEN_AUTO
        if size < limit:
            _chosen(notice, Message(_AUTO_SMALL, size=_mib(size), limit=_mib(COLUMNAR_AUTO)))
            return None
    if why is None:
        from ..outputs import own

        # past refusal(): a file in, a delimited format out, written by our own writer
        assert path is not None and output is not None and isinstance(writer, DelimitedWriter)
        assert in_format.delimiter is not None and out_format.delimiter is not None
        writer.flush()  # the header, before DuckDB's rows
        try:
            counts = columnar.check_file(binary, path, in_format.delimiter, table.header,
                                         checker, output, out_format.delimiter,
                                         options.raw_cells,
                                         whole=own(output))  # fmt: skip
        except columnar.Changed:  # the Python engine would read it all only to say so
            raise InputError(_CHANGED) from None
        except columnar.Unsupported as exc:
            why = exc
            # the Python engine reads every cell again, and the run reports what it read
            checker.forget()
        else:
            if auto:
                said = _AUTO_DUCKDB if limit == COLUMNAR_AUTO else _AUTO_FORESEEN
                _chosen(notice, Message(said, size=_mib(size), limit=_mib(limit),
                                        format=in_format.value.upper()))  # fmt: skip
            return counts
    if auto:
        _chosen(notice, Message(_AUTO_REFUSED, why=why.message))
    else:
        _fallback(notice, why.message)
    return None


# what --engine auto chose, and why (one line on stderr)
_AUTO_DUCKDB = N_("engine auto: duckdb (a {size} {format} file; DuckDB is faster from {limit})")
_AUTO_FORESEEN = N_("engine auto: duckdb (a {size} {format} file of names and days, whose "
                    "answers it foresees; DuckDB is faster from {limit})")  # fmt: skip
_AUTO_SMALL = N_("engine auto: python (a {size} file; DuckDB is faster from {limit})")
_AUTO_REFUSED = N_("engine auto: python (not duckdb: {why})")
_AUTO_LINKS = N_("engine auto: python (a checklist of product links: the Python engine reads "
                 "them faster)")  # fmt: skip


def _mib(size: int) -> str:
    return f"{size / (1 << 20):,.1f} MiB" if size >= 1 << 20 else f"{size / 1024:,.1f} KiB"


def _chosen(notice, message: Message) -> None:
    """What --engine auto chose and why: one line."""
    if notice is not None:
        notice(message)


def _fallback(notice, why: Message) -> None:
    if notice is not None:
        notice(Message(N_("engine duckdb: {why}; checked by the Python engine"), why=why))


__all__ = ["MEANINGS", "ChecklistOptions", "Fill", "Summary", "run_checklist"]
