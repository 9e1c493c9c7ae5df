"""`batch --engine duckdb`: the same checklist, answered by DuckDB (an optional extra).

DuckDB reads the CSV/TSV (every column as text); Python reads each distinct (source, url,
surface, platform) once into a plan and each distinct (date, platform) once into an instant,
and gives each plan's spans of time their answers (intervals.py, the same Checker as the
Python path); DuckDB joins the rows to their plan and instant and, by `lo <= instant < hi`,
to their span, and writes them — formula cells
neutralised in SQL, rows in input order, one row per surface, CRLF — the same bytes as the
Python path. What it cannot read exactly as Python's csv module would (rows of other
lengths, a malformed quote) raises Unsupported before a byte is written, and the caller
falls back to the Python path. DuckDB works within MEMORY_LIMIT and spills to a temporary
folder beside the system's other temporary files.
"""

from __future__ import annotations

import csv
import os
import tempfile

from ..errors import LinkcheckError
from ..i18n import N_
from . import intervals
from .deciding import Checker
from .formats import APPENDED

MEMORY_LIMIT = "1GB"
# what writers.neutralise leaves alone although it starts like a formula: a plain number
# (RE2's digits are ASCII, as the Python test's are: re.ASCII)
_NUMBER = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"


class Unsupported(LinkcheckError):
    """The input is not one DuckDB reads exactly as the Python path does (or DuckDB is not
    installed); the message says why. The caller falls back to the Python engine."""


def available() -> bool:
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return False
    return True


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def check_file(path: str, delimiter: str, header: list[str], checker: Checker, binary,
               out_delimiter: str, raw_cells: bool) -> dict[str, int]:  # fmt: skip
    """Answer the checklist at `path` (its header already read) and write the rows (not the
    header) to `binary`; the count of each verdict, and of empty rows skipped."""
    try:
        import duckdb
    except ImportError:
        raise Unsupported(N_("DuckDB is not installed (pip install duckdb)")) from None
    width = len(header)
    names = [f"c{i}" for i in range(width)]
    with tempfile.TemporaryDirectory(prefix="linkcheck-duckdb-") as folder:
        con = duckdb.connect()
        try:
            con.execute(f"SET memory_limit = {_literal(MEMORY_LIMIT)}")
            con.execute(f"SET temp_directory = {_literal(os.path.join(folder, 'spill'))}")
            con.execute("SET preserve_insertion_order = true")
            _load(con, path, delimiter, names)
            skipped = con.execute(
                f"SELECT count(*) FROM rows r WHERE {_blank_sql(names)}"
            ).fetchone()[0]  # type: ignore[index]
            on = _tables(con, checker, names, folder, skipped)
            # blank rows are filtered only when there are some: the test costs a pass
            keep = f" WHERE NOT ({_blank_sql(names)})" if skipped else ""
            joined = f"rows r {on('r')}{keep}"
            # the counts from the distinct keys' own counts: no second pass over the rows
            counts = dict.fromkeys(("allowed", "denied", "unknown", "error"), 0)
            query = f"SELECT s.verdict, sum(g.n) FROM keys g {on('g')} GROUP BY 1"
            for verdict, count in con.execute(query).fetchall():
                counts[verdict] = int(count)
            counts["skipped"] = skipped
            target = os.path.join(folder, "out.csv")
            _write(con, names, joined, raw_cells, out_delimiter, target)
        finally:
            con.close()
        with open(target, "rb") as f:
            while chunk := f.read(1 << 20):
                binary.write(chunk)
    return counts


def _load(con, path: str, delimiter: str, names: list[str]) -> None:
    import duckdb

    columns = "{" + ", ".join(f"{_literal(n)}: 'VARCHAR'" for n in names) + "}"
    try:
        con.execute(
            "CREATE TABLE rows AS SELECT * FROM read_csv("
            f"{_literal(path)}, header = false, skip = 1, delim = {_literal(delimiter)}, "
            "quote = '\"', escape = '\"', auto_detect = false, strict_mode = true, "
            f"null_padding = false, columns = {columns})"
        )
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        raise Unsupported(N_("DuckDB cannot read it as the Python path does ({reason})"),
                          reason=first[:120]) from None  # fmt: skip


def _blank_sql(names: list[str]) -> str:
    """A row whose every cell is empty or blank (skipped, as the Python path skips it)."""
    return " AND ".join(f"trim(coalesce(r.{n}, '')) = ''" for n in names)


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
    """A small table written by Python's csv and read back by DuckDB (every other column
    text; an empty text comes back as NULL, which the joins and the writer treat as '')."""
    path = os.path.join(folder, f"{name}.csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    spec = ", ".join(f"{_literal(c)}: {_literal(types.get(c, 'VARCHAR'))}" for c in columns)
    con.execute(
        f"CREATE TABLE {name} AS SELECT * FROM read_csv({_literal(path)}, header = true, "
        "auto_detect = false, quote = '\"', escape = '\"', delim = ',', "
        f"null_padding = false, columns = {{{spec}}})"
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


def _write(con, names, joined: str, raw_cells: bool, delimiter: str, target: str) -> None:
    # one integer sort key: the row, then the surface's position among the row's answers
    span = con.execute("SELECT coalesce(max(idx), 0) + 1 FROM spans").fetchone()[0]
    # the test is written only for the columns where some cell starts like a formula (one
    # cheap pass finds them): the usual checklist has none, and its columns go out as read
    risky = [True] * len(names)
    if not raw_cells:
        firsts = ", ".join(f"bool_or({_starts(f'r.{n}')})" for n in names)
        risky = [bool(x) for x in con.execute(f"SELECT {firsts} FROM rows r").fetchone()]
    cells = ", ".join(
        _cell(f"coalesce(r.{n}, '')", raw_cells or not risky[i]) for i, n in enumerate(names)
    )
    # an error row's surface echoes its cell; verdict, rule, next change and note are
    # linkcheck's own words, which never start like a formula
    answer = ", ".join(_cell(_answer(c), raw_cells or c != "surface") for c in APPENDED)
    con.execute(
        f"COPY (SELECT {cells}, {answer} FROM {joined} ORDER BY r.rowid * {span} + s.idx) "
        f"TO {_literal(target)} (FORMAT csv, HEADER false, DELIMITER {_literal(delimiter)}, "
        "QUOTE '\"', ESCAPE '\"', NEW_LINE '\\r\\n')"
    )
