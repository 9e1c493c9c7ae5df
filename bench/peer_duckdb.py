"""The columnar ceiling: DuckDB reads, joins the exported interval table and writes, in SQL.

python bench/peer_duckdb.py IN.csv OUT.csv
"""

import sys

import duckdb
from peer_rules import BEYOND, NO_RULE, PLATFORM, segments_path


def main(src: str, dst: str) -> None:
    con = duckdb.connect()
    con.execute(f"""
        COPY (
          SELECT c.sku, c.source, c.surface, c.date, c.title, c.surface AS "surface_1",
                 s.verdict, coalesce(s.rule, '') AS rule,
                 coalesce(strftime(s.next_change_at + INTERVAL 8 HOUR, '%Y-%m-%dT%H:%M:%S')
                          || '+08:00 ' || s.next_change_verdict, '') AS next_change,
                 CASE s.reason WHEN 'no_rule' THEN '{NO_RULE}'
                               WHEN 'beyond_horizon' THEN '{BEYOND.replace("'", "''")}'
                               ELSE '' END AS note
          FROM (SELECT *, row_number() OVER () AS n,
                       CAST(date AS TIMESTAMP) - INTERVAL 8 HOUR AS at
                FROM read_csv('{src}', header = true, all_varchar = true)) AS c
          JOIN (SELECT * FROM read_csv('{segments_path()}', header = true,
                  types = {{'start': 'TIMESTAMP', 'end': 'TIMESTAMP',
                           'next_change_at': 'TIMESTAMP'}})
                WHERE platform = '{PLATFORM}') AS s
            ON s.source = c.source AND s.surface = c.surface
           AND (s."start" IS NULL OR c.at >= s."start") AND (s."end" IS NULL OR c.at < s."end")
          ORDER BY c.n
        ) TO '{dst}' (HEADER, DELIMITER ',')
    """)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
