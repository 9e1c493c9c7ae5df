"""linkcheck.spark: a local Spark session (local[2]) answers the golden table and a
generated differential exactly as `batch` does."""

from __future__ import annotations

import csv
import io
import shutil
import sys
from pathlib import Path

import pytest

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:  # pragma: no cover - CI checks java before the tests
    pytest.skip("Spark needs Java", allow_module_level=True)

from linkcheck.spark import check_dataframe  # noqa: E402

from .helpers import differential  # noqa: E402

GOLDEN = Path(__file__).parent / "golden" / "bundled.csv"
# Spark's workers are other processes importing linkcheck (a mutant does not reach them, and
# a mutation run's trampolines would fail there): left out of mutation runs
pytestmark = pytest.mark.subprocess


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("linkcheck-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.pyspark.python", sys.executable)  # workers import this linkcheck
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .getOrCreate()
    )
    yield session
    session.stop()


def _golden():
    with GOLDEN.open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def test_the_golden_table(spark, bundled):
    golden = _golden()
    rows = [(n, g["platform"], g["source"], g["surface"], g["date"]) for n, g in enumerate(golden)]
    df = spark.createDataFrame(
        rows, "n int, platform string, source string, surface string, date string"
    )
    got = sorted(check_dataframe(df, bundled).collect(), key=lambda r: r["n"])
    assert len(got) == len(golden)
    for row, g in zip(got, golden, strict=True):
        assert (row["verdict"], row["rule"]) == (g["verdict"], g["rule"]), g
        assert row["next_change"] == g["next_change"], g


def _batch(run, path, *options: str) -> list[tuple]:
    out = run("batch", str(path), "--format", "csv", "--raw-cells", "--fail-on", "never",
              *options)  # fmt: skip
    header, *rows = csv.reader(io.StringIO(out.stdout, newline=""))
    assert header[-5:] == ["surface", "verdict", "rule", "next_change", "note"]
    return sorted(tuple(r) for r in rows)


def _rows(df) -> list[tuple]:
    return sorted(tuple("" if v is None else v for v in r) for r in df.collect())


def test_a_100000_row_differential_with_batch(spark, bundled, run, tmp_path):
    """Links, Chinese aliases, several surfaces a cell, bad dates and platforms, formula
    cells (a tenth of the rows drawn from every awkward value): the same rows as `batch`."""
    rows = differential(100_000, 11, mixed=0.1)
    path = tmp_path / "mixed.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    header, *data = rows
    written = _batch(run, path, "--on", "2022-11-11")
    data = [r for r in data if any(c.strip() for c in r)]  # batch skips blank rows
    df = spark.createDataFrame(data, ", ".join(f"`{h}` string" for h in header))
    checked = check_dataframe(df, bundled, when="2022-11-11")
    assert _rows(checked) == written
    assert len(written) > 140_000  # one row per surface asked about
    assert {"error", "allowed", "denied", "unknown"} <= {r[-4] for r in written}


def test_no_python_runs_per_row_and_the_tables_are_broadcast(spark, bundled):
    df = spark.createDataFrame([("天猫", "2022-11-11")], "source string, date string")
    plan = check_dataframe(df, bundled)._jdf.queryExecution().executedPlan().toString()
    assert plan.count("BroadcastHashJoin") == 3, plan
    assert "EvalPython" not in plan and "PythonUDF" not in plan, plan


def test_a_timestamp_column_is_the_instant_it_holds_whatever_the_session_zone(
    spark, bundled, run, tmp_path
):
    """A TIMESTAMP is an instant: read in no zone, it falls on the platform's day as an
    ISO instant with Z does in `batch` — with the session in Los Angeles too."""
    from datetime import UTC, datetime, timedelta

    days = [(2022, 10, 27), (2022, 11, 30), (2022, 12, 31), (2022, 2, 28)]  # 16:00Z: midnight
    edges = [datetime(*day, 16, tzinfo=UTC) for day in days]
    instants = [e + d for e in edges for d in (-timedelta(microseconds=1), timedelta(0))]
    rows = [(f"{i:02d}", s, at) for i, at in enumerate(instants) for s in ("tmall", "jd-self")]
    rows.append(("99", "tmall", None))  # no date: `when`
    path = tmp_path / "stamps.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(
            [["n", "source", "date"],
             *((n, s, "" if at is None else at.isoformat().replace("+00:00", "Z"))
               for n, s, at in rows)]
        )  # fmt: skip
    written = _batch(run, path, "--on", "2022-11-11")
    previous = spark.conf.get("spark.sql.session.timeZone")
    spark.conf.set("spark.sql.session.timeZone", "America/Los_Angeles")
    try:
        df = spark.createDataFrame(rows, "n string, source string, date timestamp")
        got = check_dataframe(df, bundled, when="2022-11-11").drop("date")
        assert _rows(got) == [(r[0], r[1], *r[3:]) for r in written]
    finally:
        spark.conf.set("spark.sql.session.timeZone", previous)
    verdicts = {(r[0], r[1], r[4]) for r in written if r[3] == "livestream"}
    # the last microsecond of a window and the first after it, in Shanghai's days
    assert {("00", "tmall", "denied"), ("01", "tmall", "allowed"), ("02", "jd-self", "allowed"),
            ("03", "jd-self", "unknown"), ("04", "tmall", "allowed"),
            ("05", "tmall", "unknown")} <= verdicts  # fmt: skip


def test_column_names_like_linkcheck_s_own_or_twice_the_same_are_kept(spark, bundled):
    df = spark.createDataFrame(
        [("tmall", "2022-11-11", "a", "b", "c", "d")],
        "source string, `直播 时间` string, _lk_source string, _lp string, note string, "
        "`a``b` string",
    )
    row = check_dataframe(df, bundled, date="直播 时间", surfaces=("livestream",)).collect()
    assert len(row) == 1
    got = row[0].asDict()
    assert (got["verdict"], got["_lk_source"], got["_lp"], got["note_input"], got["a`b"]) == (
        "allowed",
        "a",
        "b",
        "c",
        "d",
    )


def test_past_the_driver_limit_the_workers_read_the_cells(spark, bundled, run, tmp_path,
                                                          monkeypatch):  # fmt: skip
    """An audit's unique product links: past DRIVER_LIMIT distinct cells the workers read
    them and the driver only the ids they mean, and past it distinct dates are read on the
    workers too — the same rows as `batch`, error rows (each its own note quoting its link or
    date) included."""
    import linkcheck.spark

    monkeypatch.setattr(linkcheck.spark, "DRIVER_LIMIT", 20)
    calls = []
    on_workers = linkcheck.spark._plans_on_workers
    monkeypatch.setattr(linkcheck.spark, "_plans_on_workers",
                        lambda *a: calls.append(1) or on_workers(*a))  # fmt: skip
    rows = differential(3000, 5)
    header, *data = rows
    for i, row in enumerate(data[:400]):  # unique links, some not product links at all
        row[2] = f"https://detail.tmall.com/item.htm?id={i}" if i % 3 else f"https://x{i}.cn/"
    path = tmp_path / "links.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *data])
    written = _batch(run, path, "--on", "2022-11-11")
    data = [r for r in data if any(c.strip() for c in r)]
    assert len({(r[4], r[5]) for r in data}) > 20  # the dates are read on the workers too
    df = spark.createDataFrame(data, ", ".join(f"`{h}` string" for h in header))
    checked = check_dataframe(df, bundled, when="2022-11-11")
    assert _rows(checked) == written and calls == [1]
    assert sum(r[-1].startswith("unrecognized product link host") for r in written) > 100


def test_a_wrong_column_or_date_is_an_error_naming_it_before_any_job(spark, bundled):
    from linkcheck.errors import LinkcheckError

    df = spark.createDataFrame([("tmall", "2022-11-11")], "`来源` string, date string")
    with pytest.raises(LinkcheckError, match="'nope' is not a column"):
        check_dataframe(df, bundled, source="nope")
    with pytest.raises(LinkcheckError, match="no source or url column among: date"):
        check_dataframe(df.drop("来源"), bundled)
    with pytest.raises(LinkcheckError, match="impossible date '2022-02-30'"):
        check_dataframe(df, bundled, when="2022-02-30")
