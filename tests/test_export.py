"""`rules export`: the interval table answers what `check` answers — at every span's edges
and middle, for the bundled rules and random ones, through the exported SQL in DuckDB on the
golden table, and in every format alike."""

from __future__ import annotations

import csv
import io
import itertools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import linkcheck
from linkcheck.export import COLUMNS, spans

from .helpers import assert_clean_error, random_ruleset, rule_specs

GOLDEN = Path(__file__).parent / "golden" / "bundled.csv"
TICK = timedelta(microseconds=1)


def _probes(span) -> list[datetime]:
    """The first and last instants of a span and its middle (a day in for open ends)."""
    if span.start is None and span.end is None:
        return [datetime(2022, 1, 1, tzinfo=UTC)]
    start = span.start or (span.end - timedelta(days=400))
    end = span.end or (span.start + timedelta(days=400))
    return [start, start + (end - start) / 2, end - TICK]


def _agrees(ruleset, span) -> None:
    for at in _probes(span):
        d = ruleset.check(span.source, span.surface, at, platform=span.platform)
        assert d.verdict == span.verdict, (span, at)
        assert (d.rule.id if d.rule else None) == span.rule, (span, at)
        change = d.next_change
        assert (change.at if change else None) == span.next_change_at, (span, at)
        assert (change.verdict if change else None) == span.next_change_verdict, (span, at)
        assert d.reason == span.reason, (span, at)


def _tiles(rows) -> None:
    """The spans of each (platform, source, surface) cover all of time, once."""
    by_key: dict[tuple, list] = {}
    for row in rows:
        by_key.setdefault((row.platform, row.source, row.surface), []).append(row)
    for group in by_key.values():
        assert group[0].start is None and group[-1].end is None
        for before, after in itertools.pairwise(group):
            assert before.end == after.start and before.start != before.end


def test_the_bundled_table_answers_what_check_answers(bundled):
    rows = spans(bundled)
    _tiles(rows)
    catalog = bundled.catalog
    assert {(r.platform, r.source, r.surface) for r in rows} == {
        (p, s, f) for p in catalog.platforms for s in catalog.sources for f in catalog.surfaces
    }
    for span in rows:
        _agrees(bundled, span)
    # the past-horizon spans are there, as unknown with no rule
    beyond = [r for r in rows if r.reason == "beyond_horizon"]
    assert beyond and all(r.verdict == "unknown" and r.rule is None for r in beyond)


@settings(max_examples=60, deadline=None)
@given(specs=st.lists(rule_specs(30), max_size=6), horizon=st.none() | st.integers(0, 40))
def test_random_rules_export_what_check_answers(specs, horizon):
    ruleset = random_ruleset(specs, horizon)
    rows = spans(ruleset)
    _tiles(rows)
    for span in rows:
        _agrees(ruleset, span)


def _golden_rows():
    with GOLDEN.open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def test_the_exported_sql_joined_in_duckdb_answers_the_golden_table(run):
    duckdb = pytest.importorskip("duckdb")
    sql = run("rules", "export", "--format", "sql").stdout
    con = duckdb.connect()
    con.execute(sql)
    golden = _golden_rows()
    con.execute("CREATE TABLE events (n INTEGER, platform VARCHAR, source VARCHAR, "
                "surface VARCHAR, event_at TIMESTAMP)")  # fmt: skip
    events = []
    for n, row in enumerate(golden):
        local = datetime.fromisoformat(row["date"]).replace(
            tzinfo=linkcheck.when.zone("Asia/Shanghai")
        )
        at = local.astimezone(UTC).replace(tzinfo=None)
        events.append((n, row["platform"], row["source"], row["surface"], at))
    con.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?)", events)
    joined = con.execute(
        "SELECT e.n, s.verdict, s.rule, s.reason, count(*) OVER (PARTITION BY e.n) "
        "FROM events e JOIN linkcheck_segments s ON s.platform = e.platform "
        "AND s.source = e.source AND s.surface = e.surface "
        'AND (s."start" IS NULL OR e.event_at >= s."start") '
        'AND (s."end" IS NULL OR e.event_at < s."end") '
        "ORDER BY e.n"
    ).fetchall()
    assert len(joined) == len(golden)  # one span holds each event
    for (_n, verdict, rule, reason, matches), row in zip(joined, golden, strict=True):
        assert matches == 1
        assert (verdict, rule or "", reason) == (row["verdict"], row["rule"], row["reason"]), row


def test_every_format_holds_the_same_rows(run, tmp_path):
    as_csv = list(csv.DictReader(io.StringIO(run("rules", "export").stdout, newline="")))
    as_jsonl = [
        json.loads(line) for line in run("rules", "export", "--format", "jsonl").stdout.splitlines()
    ]
    assert [list(r) for r in as_csv[:1]] == [list(COLUMNS)]
    assert [{k: v or None for k, v in r.items()} for r in as_csv] == as_jsonl
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "segments.parquet"
    assert run("rules", "export", "--format", "parquet", "-o", str(out)).exit_code == 0
    rows = duckdb.sql(f"SELECT * FROM '{out}'").fetchall()
    assert len(rows) == len(as_csv)
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert first["start"] == datetime(2018, 6, 30, 16, 0, tzinfo=UTC)  # an instant
    assert first["rule"] == as_csv[1]["rule"]


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "America/Los_Angeles", "UTC"])
def test_the_parquet_export_holds_instants_whatever_the_sessions_zone(run, tmp_path, zone):
    """Its instants were plain TIMESTAMPs (UTC wall times): a session in Shanghai read them
    in Shanghai, and every window edge moved 8 hours (a trial: 257 of 9,256 events wrong).
    An event the instant before Tmall's window opens is denied in every session zone."""
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "segments.parquet"
    assert run("rules", "export", "--format", "parquet", "-o", str(out)).exit_code == 0
    con = duckdb.connect()
    con.execute(f"SET TimeZone = '{zone}'")
    verdicts = [
        con.execute(
            f"SELECT verdict FROM '{out}' WHERE platform = 'kuaishou' AND source = 'tmall' "
            "AND surface = 'livestream' AND (start IS NULL OR $1 >= start) "
            'AND ("end" IS NULL OR $1 < "end")',
            [datetime(2022, 10, 27, 15, 59, 59, tzinfo=UTC) + timedelta(seconds=s)],
        ).fetchall()
        for s in (0, 1)
    ]
    assert verdicts == [[("denied",)], [("allowed",)]]  # 10-27 23:59:59 and 10-28 00:00


def test_export_options_and_errors(run, tmp_path):
    douyin = run("rules", "export", "--platform", "抖音").stdout.splitlines()
    assert len(douyin) > 1 and all(line.startswith("douyin,") for line in douyin[1:])
    assert_clean_error(run("rules", "export", "--format", "parquet"), "needs a file")
    out = tmp_path / "t.csv"
    assert run("rules", "export", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("platform,source,surface,start,end,")
    # machine words: the same bytes in every language
    assert (
        run("rules", "export", "--lang", "zh").stdout_bytes == run("rules", "export").stdout_bytes
    )


def test_sources_and_surfaces_keep_only_those(run):
    rows = list(
        csv.DictReader(io.StringIO(run("rules", "export", "jd-union", "-s", "直播").stdout))
    )
    assert {(r["source"], r["surface"]) for r in rows} == {
        ("jd-self", "livestream"), ("jd-pop", "livestream"),
    }  # fmt: skip
    assert_clean_error(run("rules", "export", "天苗"), "unknown source '天苗'")


def test_the_output_files_extension_names_the_export_format(run, tmp_path):
    # -o segments.parquet wrote CSV into it, and --format parquet -o x.csv Parquet (a trial)
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "segments.parquet"
    assert run("rules", "export", "-o", str(out)).exit_code == 0
    assert duckdb.sql(f"SELECT count(*) FROM '{out}'").fetchall()[0][0] > 100
    lines = tmp_path / "segments.jsonl"
    assert run("rules", "export", "-o", str(lines)).exit_code == 0
    assert json.loads(lines.read_text(encoding="utf-8").splitlines()[0])["platform"]
    clash = run("rules", "export", "--format", "parquet", "-o", str(tmp_path / "x.csv"))
    assert_clean_error(clash, "-o '", "names csv, but --format is parquet")
    assert not (tmp_path / "x.csv").exists()
