"""The columnar ceiling: DuckDB reads, decides with a CASE expression and writes, in SQL.

python bench/peer_duckdb.py IN.csv OUT.csv
"""

import sys

import duckdb
from peer_rules import CUTOFF, NO_RULE, OPEN_FROM, OPEN_TO, REOPENS, WINDOW_FROM, at


def case() -> str:
    """One CASE giving verdict|rule|next_change|note, first match wins."""
    union = "('tmall', 'taobao', 'jd-self', 'jd-pop')"
    whens = [
        (f"source = 'kuaishou-shop' AND date >= '{OPEN_FROM}'", "allowed|kuaishou-shop||"),
        (f"date < '{OPEN_FROM}'", f"unknown||{at(OPEN_FROM, 'allowed')}|{NO_RULE}"),
        (
            f"date <= '{OPEN_TO}' AND source IN {union}",
            f"allowed|kuaishou-2018-open|{at(CUTOFF, 'denied')}|",
        ),
        (f"date <= '{OPEN_TO}'", f"allowed|kuaishou-2018-open|{at(CUTOFF, 'unknown')}|"),
        (f"source NOT IN {union}", f"unknown|||{NO_RULE}"),
    ]
    for (source, surface), (verdict, rule, last, closes) in REOPENS.items():
        here = f"source = '{source}' AND surface = '{surface}'"
        whens.append(
            (
                f"{here} AND date < '{WINDOW_FROM}'",
                f"denied|kuaishou-2022-03-cutoff|{at(WINDOW_FROM, verdict)}|",
            )
        )
        if last is None:
            whens.append((here, f"{verdict}|{rule}||"))
        else:
            whens.append(
                (f"{here} AND date <= '{last}'", f"{verdict}|{rule}|{at(closes, 'denied')}|")
            )
    body = "\n".join(f"  WHEN {cond} THEN '{value}'" for cond, value in whens)
    return f"CASE\n{body}\n  ELSE 'denied|kuaishou-2022-03-cutoff||'\nEND"


def main(src: str, dst: str) -> None:
    con = duckdb.connect()
    con.execute(f"""
        COPY (
          SELECT sku, source, surface, date, title, surface AS "surface_1",
                 split_part(d, '|', 1) AS verdict, split_part(d, '|', 2) AS rule,
                 split_part(d, '|', 3) AS next_change, split_part(d, '|', 4) AS note
          FROM (SELECT *, {case()} AS d
                FROM read_csv('{src}', header = true, all_varchar = true))
        ) TO '{dst}' (HEADER, DELIMITER ',')
    """)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
