"""The fastest hand-written DuckDB query: one `COPY (SELECT …, CASE … END) TO`, no join.

python bench/peer_duckdb_case.py IN.csv OUT.csv

What a user who knows the rules would type: for each (source, surface), the dates at which
the answer changes, as ISO date literals compared with the date column's own text (a day's
first instant in Shanghai is inside a span when the day is on or after the first day the
span covers whole: the bounds are whole Shanghai days). The CASE picks the span's number;
the four answer columns are that number's item in a list of literals. The literals are
written from the exported interval table (the bundled rules, not a restatement of them),
and DuckDB reads, decides and writes in one pass, in input order.
"""

import sys
from datetime import datetime, timedelta

import duckdb
from peer_rules import OFFSET, answer, load


def first_day(instant: str) -> str:
    """The first Shanghai day whose first instant is at or after an exported UTC instant."""
    at = datetime.fromisoformat(instant[:-1]) + OFFSET
    day = at.date() if at.time() == datetime.min.time() else at.date() + timedelta(days=1)
    return day.isoformat()


def text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def query(src: str, dst: str) -> str:
    spans: dict[tuple[str, str], list[tuple[str, int]]] = {}
    answers: list[tuple[str, str, str, str]] = []
    for row in load():
        answers.append(answer(row))
        spans.setdefault((row["source"], row["surface"]), []).append(
            (row["start"] and first_day(row["start"]), len(answers))
        )
    whens = []
    for (source, surface), steps in spans.items():
        inner = " ".join(
            f"WHEN date >= {text(start)} THEN {k}" for start, k in reversed(steps) if start
        )
        first = steps[0][1]
        whens.append(
            f"WHEN source = {text(source)} AND surface = {text(surface)} "
            f"THEN CASE {inner} ELSE {first} END"
        )
    lists = ["[" + ", ".join(text(a[i]) for a in answers) + "]" for i in range(4)]
    return f"""
        COPY (
          SELECT sku, source, surface, date, title, surface AS "surface_1",
                 {lists[0]}[k] AS verdict, {lists[1]}[k] AS rule,
                 {lists[2]}[k] AS next_change, {lists[3]}[k] AS note
          FROM (SELECT *, CASE {" ".join(whens)} END AS k
                FROM read_csv({text(src)}, header = true, all_varchar = true))
        ) TO {text(dst)} (HEADER, DELIMITER ',')
    """


def main(src: str, dst: str) -> None:
    duckdb.connect().execute(query(src, dst))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
