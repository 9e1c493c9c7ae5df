"""linkcheck.spark: a local Spark session (local[2]) answers the golden table and a
generated differential exactly as `batch` does."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:  # pragma: no cover - CI checks java before the tests
    pytest.skip("Spark needs Java", allow_module_level=True)

from linkcheck.spark import check_dataframe  # noqa: E402

from .test_engine_duckdb import _differential  # noqa: E402

GOLDEN = Path(__file__).parent / "golden" / "bundled.csv"


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("linkcheck-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
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


def test_a_differential_with_batch(spark, bundled, run, tmp_path):
    rows = _differential(3000, 11)
    path = tmp_path / "mixed.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    batch = run("batch", str(path), "--format", "csv", "--raw-cells", "--fail-on", "never",
                "--on", "2022-11-11")  # fmt: skip
    header, *data = rows
    data = [r for r in data if any(c.strip() for c in r)]  # batch skips blank rows
    df = spark.createDataFrame(data, ", ".join(f"`{h}` string" for h in header))
    got = check_dataframe(df, bundled, when="2022-11-11").collect()
    as_tuples = sorted(tuple("" if v is None else v for v in r) for r in got)
    written = sorted(tuple(r) for r in csv.reader(io.StringIO(batch.stdout, newline="")))
    written.remove(tuple([*header, "surface", "verdict", "rule", "next_change", "note"]))
    assert as_tuples == written
    assert len(written) > 3000  # one row per surface asked about
