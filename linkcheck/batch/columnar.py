"""`batch --engine duckdb`: the same checklist, answered by DuckDB (an optional extra).

DuckDB reads the CSV/TSV (every column as text); Python reads each distinct (source, url,
surface, platform) once into a plan and each distinct (date, platform) once into an instant,
and gives each plan's spans of time their answers (intervals.py, the same Checker as the
Python path); DuckDB joins the rows to their plan and instant and, by `lo <= instant < hi`,
to their span, and writes them — formula cells
neutralised in SQL, rows in input order, one row per surface, CRLF — the same bytes as the
Python path.

It takes only what it reads exactly as Python's csv module does: refusal() says why not
before anything is read (stdin, a pipe or a device, another encoding or format), and
check_file() reads the file's bytes once more, beside DuckDB, for the plain shape
(csvshape.py: what both readers read alike); a file that leaves it, a DuckDB error, or a
count of records that differs raises Unsupported before a byte is written, and the caller
falls back to the Python path. DuckDB works within MEMORY_LIMIT and spills to a temporary
folder beside the system's other temporary files.
"""

from __future__ import annotations

import base64
import codecs
import contextlib
import csv
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator

from ..errors import LinkcheckError
from ..i18n import N_
from . import csvshape, intervals
from .deciding import Checker
from .formats import APPENDED

MEMORY_LIMIT = "1GB"
# bytes of a line DuckDB reads (its default): more than the longest plain record
MAX_LINE = 2 << 20
# what writers.neutralise leaves alone although it starts like a formula: a plain number
# (RE2's digits are ASCII, as the Python test's are: re.ASCII)
_NUMBER = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
# what str.strip() strips: a row of only these is blank (skipped) on the Python path
_WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())


class Unsupported(LinkcheckError):
    """The input is not one DuckDB reads exactly as the Python path does (or DuckDB is not
    installed); the message says why. The caller falls back to the Python engine."""


def available() -> bool:
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return False
    return True


def refusal(source, path: str | None, delimiter: str | None, out_delimiter: str | None,
            encoding: str) -> Unsupported | None:  # fmt: skip
    """Why the DuckDB engine cannot take the input `source` (opened from `path`; None for a
    stream given, such as stdin) with those cell delimiters (None: not CSV or TSV), or None.
    Cheap: nothing of the file is read. What it holds is checked as DuckDB reads it
    (check_file)."""
    if path is None:
        return Unsupported(N_("stdin is read by the Python engine"))
    if delimiter is None or out_delimiter is None:
        return Unsupported(N_("it reads and writes CSV and TSV only"))
    if _codec(encoding) != "utf-8":
        return Unsupported(N_("the input is not plain UTF-8 ({encoding})"), encoding=encoding)
    if _location(source, path) is None:
        return Unsupported(_NOT_A_FILE)
    if not available():
        return Unsupported(N_("DuckDB is not installed (pip install duckdb)"))
    return None


_NOT_A_FILE = N_("the input is a pipe, a FIFO or a device, not a file that DuckDB could read "
                 "again from its start")  # fmt: skip


def _codec(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


def _location(source, path: str) -> str | None:
    """A name by which DuckDB opens the very regular file `source` is, from its start: the
    descriptor's own (Linux), else the resolved path — or None (a pipe, a FIFO, a device, a
    file replaced since, a name DuckDB would read as a pattern)."""
    try:
        opened = os.fstat(source.fileno())
    except (AttributeError, OSError, ValueError):
        return None
    if not stat.S_ISREG(opened.st_mode):
        return None
    for name in (f"/proc/self/fd/{source.fileno()}", os.path.realpath(path)):
        if any(c in name for c in "*?[{"):  # DuckDB would expand it as a glob
            continue
        with contextlib.suppress(OSError):
            if os.path.samestat(opened, os.stat(name)):
                return name
    return None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def check_file(source, path: str, delimiter: str, header: list[str], checker: Checker,
               binary, out_delimiter: str, raw_cells: bool) -> dict[str, int]:  # fmt: skip
    """Answer the checklist `source` (opened from `path`, its header already read) and write
    the rows (not the header) to `binary`; the count of each verdict, and of blank rows
    skipped. Unsupported, before a byte is written, when DuckDB cannot read it exactly."""
    try:
        import duckdb
    except ImportError:
        raise Unsupported(N_("DuckDB is not installed (pip install duckdb)")) from None
    location = _location(source, path)
    if location is None:  # refusal() said it was one; it has been replaced since
        raise Unsupported(_NOT_A_FILE)
    names = [f"c{i}" for i in range(len(header))]
    with tempfile.TemporaryDirectory(prefix="linkcheck-duckdb-") as folder:
        target = os.path.join(folder, "out.csv")
        con = duckdb.connect()
        try:
            shape = _Scan(location, delimiter, len(header), con)
            try:
                with _signals_interrupt(con) as caught:
                    try:
                        counts, rows = _checked(
                            con, location, delimiter, names, checker, folder, raw_cells,
                            out_delimiter, target,
                        )  # fmt: skip
                    except duckdb.Error as exc:
                        if caught:
                            raise
                        shape.result()  # a file that is not plain says so, not DuckDB
                        first = str(exc).splitlines()[0]
                        raise Unsupported(
                            N_("DuckDB cannot read it as the Python path does ({reason})"),
                            reason=first[:120],
                        ) from None
                    records = shape.result().records
            finally:
                shape.close()
        finally:
            con.close()
        if rows != records:  # never a shorter output
            raise Unsupported(N_("DuckDB read {rows} rows where the file has {records}"),
                              rows=f"{rows:,}", records=f"{records:,}")  # fmt: skip
        with open(target, "rb") as f:
            while chunk := f.read(1 << 20):
                binary.write(chunk)
    return counts


def _checked(con, location, delimiter, names, checker, folder, raw_cells, out_delimiter,
             target) -> tuple[dict[str, int], int]:  # fmt: skip
    """Read, join and write to `target`; the counts, and the rows read (answered or
    skipped) after the header."""
    con.execute(f"SET memory_limit = {_literal(MEMORY_LIMIT)}")
    con.execute(f"SET temp_directory = {_literal(os.path.join(folder, 'spill'))}")
    con.execute("SET preserve_insertion_order = true")
    _load(con, location, delimiter, names)
    # two cheap passes (faster than one: WHERE stops at a row's first cell that is not
    # blank): the blank rows, and the columns where some cell starts like a formula (the
    # usual checklist has none, and its columns go out as read)
    skipped = con.execute(f"SELECT count(*) FROM rows r WHERE {_blank_sql(names)}")
    skipped = skipped.fetchone()[0]
    risky = [True] * len(names)
    if not raw_cells:
        firsts = ", ".join(f"bool_or({_starts(f'r.{n}')})" for n in names)
        risky = [bool(x) for x in con.execute(f"SELECT {firsts} FROM rows r").fetchone()]
    on = _tables(con, checker, names, folder, skipped)
    # blank rows are filtered only when there are some: the test costs a pass
    keep = f" WHERE NOT ({_blank_sql(names)})" if skipped else ""
    joined = f"rows r {on('r')}{keep}"
    # the counts from the distinct keys' own counts: no second pass over the rows; each
    # row has one answer of index 0 (its first surface), so those count the rows answered
    counts = dict.fromkeys(("allowed", "denied", "unknown", "error"), 0)
    answered = 0
    query = (
        f"SELECT s.verdict, sum(g.n), coalesce(sum(g.n) FILTER (WHERE s.idx = 0), 0) "
        f"FROM keys g {on('g')} GROUP BY 1"
    )
    for verdict, count, first in con.execute(query).fetchall():
        counts[verdict] = int(count)
        answered += int(first)
    counts["skipped"] = skipped
    _write(con, names, joined, raw_cells, risky, out_delimiter, target)
    return counts, answered + skipped


class _Scan:
    """csvshape.scan of the file in a thread, beside DuckDB's work (Python's regular
    expressions and DuckDB's threads share the cores); a file found not plain interrupts
    DuckDB's query, which then stops early."""

    def __init__(self, location: str, delimiter: str, width: int, con) -> None:
        self._stop = threading.Event()
        self._found: object = None
        try:
            self._file = open(location, "rb", buffering=0)  # noqa: SIM115 (closed by close())
        except OSError as exc:
            raise Unsupported(N_("the input could not be read again ({reason})"),
                              reason=exc.strerror or exc) from None  # fmt: skip
        self._thread = threading.Thread(
            target=self._run, args=(delimiter, width, con), name="linkcheck-csvshape",
            daemon=True,
        )  # fmt: skip
        self._thread.start()

    def _run(self, delimiter: str, width: int, con) -> None:
        try:
            self._found = csvshape.scan(self._file.read, delimiter, width, self._stop.is_set)
        except BaseException as exc:  # given to the main thread by result()
            self._found = exc
            if isinstance(exc, csvshape.NotPlain) and not self._stop.is_set():
                with contextlib.suppress(Exception):
                    con.interrupt()

    def result(self) -> csvshape.Shape:
        """The file's Shape; Unsupported if it is not plain."""
        self._thread.join()
        found = self._found
        if isinstance(found, csvshape.NotPlain):
            raise Unsupported(found.template, **found.fields)
        if isinstance(found, OSError):
            raise Unsupported(N_("the input could not be read again ({reason})"),
                              reason=found.strerror or found)  # fmt: skip
        if isinstance(found, BaseException):
            raise found
        assert isinstance(found, csvshape.Shape)
        return found

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._file.close()


class _Signalled(BaseException):
    """A signal came while DuckDB worked: raised in the handler to stop what runs."""


_SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))


@contextlib.contextmanager
def _signals_interrupt(con) -> Iterator[list[int]]:
    """Ctrl-C, SIGTERM or SIGHUP while DuckDB works interrupts its query (DuckDB would turn
    the signal's exception into its own RuntimeError) and, once it has stopped, goes to the
    handler that was there before: KeyboardInterrupt (exit 130), the CLI's exit 143/129 with
    the old output kept. Yields the signals caught. An ignored signal stays ignored."""
    caught: list[int] = []

    def handler(signum: int, frame: object) -> None:
        caught.append(signum)
        with contextlib.suppress(Exception):
            con.interrupt()
        raise _Signalled

    previous = {}
    with contextlib.suppress(ValueError):  # not the main thread: signals are not ours
        for signum in _SIGNALS:
            if signal.getsignal(signum) not in (signal.SIG_IGN, None):
                previous[signum] = signal.signal(signum, handler)
    try:
        yield caught
    except _Signalled:
        pass  # raised again below, as the signal's own
    finally:
        for signum, before in previous.items():
            signal.signal(signum, before)
        if caught:
            _deliver(caught[0], previous[caught[0]])


def _deliver(signum: int, handler) -> None:
    """Signal `signum` as if it came now, to `handler` (the one before DuckDB's work)."""
    if callable(handler):
        signal.raise_signal(signum)  # the handler runs here (Ctrl-C: KeyboardInterrupt)
    # the default action would end the process: end it as that would, cleaning up on the way
    raise SystemExit(128 + signum)


def _load(con, location: str, delimiter: str, names: list[str]) -> None:
    """The file's records as the table rows, header first (deleted: its row id stays 0)."""
    columns = "{" + ", ".join(f"{_literal(n)}: 'VARCHAR'" for n in names) + "}"
    # no skip (it counts lines, not records), no comments, no decompression by extension
    con.execute(
        "CREATE TABLE rows AS SELECT * FROM read_csv("
        f"{_literal(location)}, header = false, delim = {_literal(delimiter)}, "
        "quote = '\"', escape = '\"', auto_detect = false, strict_mode = true, "
        f"null_padding = false, comment = '', compression = 'none', "
        f"max_line_size = {MAX_LINE}, columns = {columns})"
    )
    con.execute("DELETE FROM rows WHERE rowid = 0")


def _blank_sql(names: list[str]) -> str:
    """A row whose every cell is empty or blank (skipped, as the Python path skips it): a
    cell is, if empty, or if it starts with whitespace (an integer test that rules out most
    cells; CASE, not AND, so that only those are trimmed) and is nothing else."""
    first = ", ".join(str(ord(c)) for c in _WHITESPACE)
    return " AND ".join(
        f"CASE WHEN unicode(r.{n}) IN ({first}) THEN trim(r.{n}, {_literal(_WHITESPACE)}) = '' "
        f"ELSE coalesce(r.{n}, '') = '' END"
        for n in names
    )


def _tables(con, checker: Checker, names: list[str], folder: str, skipped: int):
    """Read each distinct combination of the cells that matter once (intervals.py: plans,
    instants and spans, the same code as the Python path), load the three tables, and return
    on(alias): the joins that give a row of table `alias` (rows, or keys) its answers —
    its plan and instant by equality, its spans by `lo <= instant < hi`."""
    at = {m: checker.columns.at(m) for m in (*intervals.PLAN_CELLS, "date")}
    used = sorted({i for i in at.values() if i is not None})
    select = ", ".join(f"coalesce(r.{names[i]}, '') AS {names[i]}" for i in used)
    con.execute(
        f"CREATE TABLE keys AS SELECT {select}, count(*) AS n FROM rows r "
        + (f"WHERE NOT ({_blank_sql(names)}) " if skipped else "")
        + "GROUP BY ALL"
    )

    def cell(alias: str, meaning: str) -> str:  # a cell of a row or key, '' if no column
        i = at[meaning]
        return "''" if i is None else f"coalesce({alias}.{names[i]}, '')"

    plan_cells = ", ".join(cell("g", m) for m in intervals.PLAN_CELLS)
    plans, spans = intervals.plans(
        checker, con.execute(f"SELECT DISTINCT {plan_cells} FROM keys g").fetchall()
    )
    date_cells = f"{cell('g', 'date')}, {cell('g', 'platform')}"
    instants = intervals.instants(
        checker, con.execute(f"SELECT DISTINCT {date_cells} FROM keys g").fetchall()
    )
    keys = [f"k_{m}" for m in intervals.PLAN_CELLS]
    _table(con, folder, "plans", [*keys, "plan"], plans, {"plan": "BIGINT"})
    _table(con, folder, "instants", ["k_date", "k_platform", "at", "date_note"], instants,
           {"at": "BIGINT"})  # fmt: skip
    _table(con, folder, "spans", ["plan", "idx", "lo", "hi", *APPENDED], spans,
           {"plan": "BIGINT", "idx": "INTEGER", "lo": "BIGINT", "hi": "BIGINT"})  # fmt: skip

    def on(alias: str) -> str:
        by_plan = " AND ".join(
            f"{cell(alias, m)} = coalesce(p.{k}, '')"
            for m, k in zip(intervals.PLAN_CELLS, keys, strict=True)
        )
        by_date = (
            f"{cell(alias, 'date')} = coalesce(d.k_date, '') "
            f"AND {cell(alias, 'platform')} = coalesce(d.k_platform, '')"
        )
        return (
            f"JOIN plans p ON {by_plan} JOIN instants d ON {by_date} "
            "JOIN spans s ON s.plan = p.plan AND d.at >= s.lo AND d.at < s.hi"
        )

    return on


def _table(con, folder: str, name: str, columns: list[str], rows, types: dict) -> None:
    """A small table written by Python and read back by DuckDB: the numbers as they are,
    every other column text, in base64 (a cell's CR, quotes or anything else cannot change
    how it reads back); an empty text comes back as NULL, which the joins and the writer
    treat as ''."""
    path = os.path.join(folder, f"{name}.csv")
    text = [i for i, c in enumerate(columns) if c not in types]
    with open(path, "w", newline="", encoding="ascii") as f:
        writer = csv.writer(f, lineterminator="\n")
        for row in rows:
            row = list(row)
            for i in text:
                if row[i]:
                    row[i] = base64.b64encode(row[i].encode("utf-8")).decode("ascii")
            writer.writerow(row)
    spec = ", ".join(f"{_literal(c)}: {_literal(types.get(c, 'VARCHAR'))}" for c in columns)
    select = ", ".join(
        _quote(c) if c in types else f"decode(from_base64({_quote(c)})) AS {_quote(c)}"
        for c in columns
    )
    con.execute(
        f"CREATE TABLE {name} AS SELECT {select} FROM read_csv({_literal(path)}, "
        "header = false, auto_detect = false, quote = '\"', escape = '\"', delim = ',', "
        f"null_padding = false, comment = '', columns = {{{spec}}})"
    )


def _starts(expr: str) -> str:
    """SQL: the cell starts like a formula (the first test of writers.neutralise)."""
    return f"left({expr}, 1) IN ('=', '+', '-', '@', chr(9), chr(13))"


def _cell(expr: str, raw_cells: bool) -> str:
    """A cell as the Python path writes it: formula-like text neutralised with a leading ',
    an empty cell as NULL (DuckDB writes an empty string as "", Python's csv as nothing)."""
    if raw_cells:
        return f"nullif({expr}, '')"
    starts = _starts(expr)
    number = f"regexp_matches({expr}, {_literal(_NUMBER)})"
    quote = _literal("'")
    return f"nullif(CASE WHEN {starts} AND NOT {number} THEN {quote} || {expr} ELSE {expr} END, '')"


def _answer(column: str) -> str:
    """SQL: an appended column of a row's span; a date that did not read has its note, and a
    date without a year adds its own to an answer's (as deciding.joined_note)."""
    if column == "note":
        return (
            "CASE WHEN s.verdict = 'error' OR d.date_note IS NULL "
            "THEN coalesce(s.note, d.date_note, '') "
            "WHEN coalesce(s.note, '') = '' THEN d.date_note "
            "ELSE s.note || '; ' || d.date_note END"
        )
    return f"coalesce(s.{_quote(column)}, '')"


def _write(con, names, joined: str, raw_cells: bool, risky: list[bool], delimiter: str,
           target: str) -> None:  # fmt: skip
    """The rows and their answers, CSV as Python's csv module writes it; the formula test is
    written only for the `risky` columns (where some cell starts like a formula)."""
    # one integer sort key: the row, then the surface's position among the row's answers
    span = con.execute("SELECT coalesce(max(idx), 0) + 1 FROM spans").fetchone()[0]
    cells = ", ".join(
        _cell(f"coalesce(r.{n}, '')", raw_cells or not risky[i]) for i, n in enumerate(names)
    )
    # an error row's surface echoes its cell; verdict, rule, next change and note are
    # linkcheck's own words, which never start like a formula
    answer = ", ".join(_cell(_answer(c), raw_cells or c != "surface") for c in APPENDED)
    con.execute(
        f"COPY (SELECT {cells}, {answer} FROM {joined} ORDER BY r.rowid * {span} + s.idx) "
        f"TO {_literal(target)} (FORMAT csv, HEADER false, DELIMITER {_literal(delimiter)}, "
        "QUOTE '\"', ESCAPE '\"', NEW_LINE '\\r\\n', COMMENT '')"  # else it quotes a #
    )
