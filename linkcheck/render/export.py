"""`rules export`: the interval table (linkcheck.export) as CSV, JSON Lines, a portable SQL
script, or Parquet (through DuckDB, an optional extra). Every format holds the same rows; the
words are machine words, never translated."""

from __future__ import annotations

import csv
import io
import json

from ..export import COLUMNS, Span, instant_text

TABLE = "linkcheck_segments"


def _cells(span: Span) -> list[str]:
    return [
        span.platform, span.source, span.surface, instant_text(span.start),
        instant_text(span.end), span.verdict, span.rule or "",
        instant_text(span.next_change_at), span.next_change_verdict or "", span.reason,
    ]  # fmt: skip


def export_csv(spans: list[Span]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(_cells(s) for s in spans)
    return out.getvalue()


def export_jsonl(spans: list[Span]) -> str:
    lines = []
    for span in spans:
        row = dict(zip(COLUMNS, _cells(span), strict=True))
        lines.append(json.dumps({k: (v or None) for k, v in row.items()}, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


def _sql_text(value: str) -> str:
    return "NULL" if value == "" else "'" + value.replace("'", "''") + "'"


def _sql_instant(value: str) -> str:
    # a UTC instant as a plain TIMESTAMP literal: portable across DuckDB, Spark SQL, SQLite
    # (as text), PostgreSQL; the table's instants are all UTC
    return "NULL" if value == "" else f"TIMESTAMP '{value[:-1].replace('T', ' ')}'"


INSTANTS = frozenset({"start", "end", "next_change_at"})  # the columns holding UTC instants
COLUMN_TYPES = ", ".join(f'"{c}" TIMESTAMP' if c in INSTANTS else f'"{c}" VARCHAR' for c in COLUMNS)


def export_sql(spans: list[Span]) -> str:
    """CREATE TABLE + INSERT for the interval table, and the join that answers `check`."""
    lines = [
        "-- linkcheck rules export: the loaded rules as an interval table. Instants are UTC",
        "-- wall times in TIMESTAMP columns (portable): join events as UTC wall times, or run",
        "-- the session in UTC (DuckDB: SET TimeZone = 'UTC'; PostgreSQL, Spark: SET TIME ZONE",
        "-- 'UTC'), else an engine reads them in its session's zone and every edge moves.",
        '-- a row covers "start" <= t < "end" (NULL: open). An event at UTC instant event_at on',
        "-- (platform, source, surface) has the verdict of the one row whose span holds it:",
        "--",
        "--   SELECT e.*, s.verdict, s.rule, s.next_change_at, s.next_change_verdict",
        f"--   FROM events AS e JOIN {TABLE} AS s",
        "--     ON s.platform = e.platform AND s.source = e.source AND s.surface = e.surface",
        '--    AND (s."start" IS NULL OR e.event_at >= s."start")',
        '--    AND (s."end" IS NULL OR e.event_at < s."end");',
        f"CREATE TABLE {TABLE} ({COLUMN_TYPES});",
    ]
    for span in spans:
        cells = _cells(span)
        values = [
            _sql_instant(v) if c in INSTANTS else _sql_text(v)
            for c, v in zip(COLUMNS, cells, strict=True)
        ]
        lines.append(f"INSERT INTO {TABLE} VALUES ({', '.join(values)});")
    return "\n".join(lines) + "\n"


def export_parquet(spans: list[Span], path: str) -> None:
    """A Parquet file of the table, written by DuckDB: instants as TIMESTAMPTZ, which Parquet
    marks adjusted to UTC — an instant to DuckDB, Spark and pandas in any session zone (a
    plain TIMESTAMP was a wall time, read in the session's zone: every edge moved by it)."""
    import duckdb  # the optional extra; the CLI says how to install it

    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        types = ", ".join(
            f'"{c}" TIMESTAMPTZ' if c in INSTANTS else f'"{c}" VARCHAR' for c in COLUMNS
        )
        con.execute(f"CREATE TABLE {TABLE} ({types})")
        rows = [
            [
                (v[:-1] + "+00:00" if c in INSTANTS and v else v) or None
                for c, v in zip(COLUMNS, _cells(s), strict=True)
            ]
            for s in spans
        ]
        if rows:
            marks = ", ".join("?" * len(COLUMNS))
            con.executemany(f"INSERT INTO {TABLE} VALUES ({marks})", rows)
        con.execute(f"COPY {TABLE} TO '{path.replace(chr(39), chr(39) * 2)}' (FORMAT PARQUET)")
    finally:
        con.close()
