"""`batch --engine duckdb`: the same checklist, answered by DuckDB (an optional extra).

DuckDB reads the CSV/TSV (every column as text), Python decides each *distinct* combination
of the source, url, surface, date and platform cells once (the same Checker as the Python
path), and DuckDB joins the rows to those answers and writes them — formula cells
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

from ..i18n import N_
from .deciding import Checker
from .formats import APPENDED

MEMORY_LIMIT = "1GB"
# what writers.neutralise leaves alone although it starts like a formula: a plain number
# (RE2's digits are ASCII, as the Python test's are: re.ASCII)
_NUMBER = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
_KEYS = ("source", "url", "surface", "date", "platform")


class Unsupported(Exception):
    """The input is not one DuckDB reads exactly as the Python path does (or DuckDB is not
    installed); the message says why, in the user's language when shown."""

    def __init__(self, message: str, **fields) -> None:
        super().__init__(message)
        self.template, self.fields = message, fields

    def __str__(self) -> str:
        from ..i18n import gettext

        text = gettext(self.template)
        return text.format(**self.fields) if self.fields else text


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
            skipped = con.execute(f"SELECT count(*) FROM rows r WHERE {_blank_sql(names)}")
            skipped = skipped.fetchone()[0]
            used = _answers(con, checker, names, folder, skipped)
            on = " AND ".join(f"coalesce(r.{names[i]}, '') = coalesce(a.k{i}, '')" for i in used)
            # blank rows are filtered only when there are some: the test costs a pass
            keep = f" WHERE NOT ({_blank_sql(names)})" if skipped else ""
            joined = f"rows r JOIN answers a ON {on}{keep}"
            # the counts from the distinct keys' own counts: no second pass over the rows
            g_on = " AND ".join(f"g.k{i} = coalesce(a.k{i}, '')" for i in used)
            counts = dict.fromkeys(("allowed", "denied", "unknown", "error"), 0)
            query = f"SELECT a.verdict, sum(g.n) FROM keys g JOIN answers a ON {g_on} GROUP BY 1"
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


def _answers(con, checker: Checker, names: list[str], folder: str, skipped: int) -> list[int]:
    """Decide each distinct combination of the cells that matter; a table `answers` of
    (each key cell k<i>, the surface's position idx, the five answer columns). Returns the
    positions <i> of the key cells."""
    at = [checker.columns.at(k) for k in _KEYS]
    used = sorted({i for i in at if i is not None})
    select = ", ".join(f"coalesce(r.{names[i]}, '') AS k{i}" for i in used)
    con.execute(
        f"CREATE TABLE keys AS SELECT {select}, count(*) AS n FROM rows r "
        + (f"WHERE NOT ({_blank_sql(names)}) " if skipped else "")
        + "GROUP BY ALL"
    )
    path = os.path.join(folder, "answers.csv")
    width = len(names)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow([*(f"k{i}" for i in used), "idx", *APPENDED])
        keys = ", ".join(f"k{i}" for i in used)
        for key in con.execute(f"SELECT {keys} FROM keys").fetchall():
            cells = [""] * width
            for i, value in zip(used, key, strict=True):
                cells[i] = value
            for idx, result in enumerate(checker.decide(cells)):
                writer.writerow([*key, idx, *result])
    keys = [f"{_literal(f'k{i}')}: 'VARCHAR'" for i in used]
    answers = [f"{_literal(n)}: 'VARCHAR'" for n in APPENDED]
    types = "{" + ", ".join([*keys, "'idx': 'INTEGER'", *answers]) + "}"
    con.execute(
        f"CREATE TABLE answers AS SELECT * FROM read_csv({_literal(path)}, header = true, "
        "auto_detect = false, quote = '\"', escape = '\"', delim = ',', "
        f"null_padding = false, columns = {types})"
    )
    return used


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


def _write(con, names, joined: str, raw_cells: bool, delimiter: str, target: str) -> None:
    # one integer sort key: the row, then the surface's position among the row's answers
    span = con.execute("SELECT coalesce(max(idx), 0) + 1 FROM answers").fetchone()[0]
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
    answer = ", ".join(
        _cell(f"coalesce(a.{_quote(c)}, '')", raw_cells or c != "surface") for c in APPENDED
    )
    con.execute(
        f"COPY (SELECT {cells}, {answer} FROM {joined} ORDER BY r.rowid * {span} + a.idx) "
        f"TO {_literal(target)} (FORMAT csv, HEADER false, DELIMITER {_literal(delimiter)}, "
        "QUOTE '\"', ESCAPE '\"', NEW_LINE '\\r\\n')"
    )
