"""`batch --engine duckdb`: the same bytes as the Python engine — over the golden table, the
examples, and a generated differential with links, Chinese aliases, several surfaces per
cell, bad dates, formula cells, blank rows and awkward quoting — and a one-line fallback
for what it does not read."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

pytest.importorskip("duckdb")

from .helpers import differential

ROOT = Path(__file__).parent.parent
GOLDEN = ROOT / "tests" / "golden" / "bundled.csv"


def _write(tmp_path, name: str, rows: list[list[str]], delimiter: str = ",") -> str:
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return str(path)


def _both(run, path: str, *options: str):
    python = run("batch", path, "--fail-on", "never", *options)
    duckdb = run("batch", path, "--fail-on", "never", "--engine", "duckdb", *options)
    assert "engine duckdb:" not in duckdb.stderr, duckdb.stderr  # no fallback
    return python, duckdb


@pytest.mark.parametrize(
    "options",
    [
        ("--format", "csv"),
        ("--format", "tsv"),
        ("--format", "csv", "--raw-cells"),
        ("--format", "csv", "--bom", "-s", "all", "--on", "2022-11-11"),
    ],
    ids=["csv", "to-tsv", "raw-cells", "bom-all-surfaces"],
)
def test_a_generated_differential_is_byte_identical(run, tmp_path, options):
    path = _write(tmp_path, "mixed.csv", differential(4000, 20221111))
    python, duckdb = _both(run, path, *options)
    assert duckdb.stdout_bytes == python.stdout_bytes
    assert duckdb.stderr == python.stderr  # the same reading report and counts
    assert duckdb.exit_code == python.exit_code
    assert "(" in python.stderr and "empty rows skipped" in python.stderr


def test_a_100000_row_differential_is_byte_identical(run, tmp_path):
    path = _write(tmp_path, "big.csv", differential(100_000, 1111, mixed=0.1))
    python, duckdb = _both(run, path, "--format", "csv", "--on", "2022-11-11")
    assert duckdb.stdout_bytes == python.stdout_bytes
    assert duckdb.stderr == python.stderr


def test_a_tsv_input_is_byte_identical(run, tmp_path):
    path = _write(tmp_path, "mixed.tsv", differential(1500, 7), delimiter="\t")
    python, duckdb = _both(run, path)
    assert duckdb.stdout_bytes == python.stdout_bytes


def test_the_golden_table_through_the_duckdb_engine(run, tmp_path):
    with GOLDEN.open(encoding="utf-8") as f:
        golden = list(csv.DictReader(line for line in f if not line.startswith("#")))
    rows = [["platform", "source", "surface", "date"]]
    rows += [[g["platform"], g["source"], g["surface"], g["date"]] for g in golden]
    path = _write(tmp_path, "golden.csv", rows)
    python, duckdb = _both(run, path, "--format", "csv")
    assert duckdb.stdout_bytes == python.stdout_bytes
    answers = list(csv.DictReader(io.StringIO(duckdb.stdout, newline="")))
    assert [(a["verdict"], a["rule"]) for a in answers] == [
        (g["verdict"], g["rule"]) for g in golden
    ]


def test_the_examples_through_the_duckdb_engine(run):
    python, duckdb = _both(run, str(ROOT / "examples" / "products.csv"), "-s", "livestream")
    assert duckdb.stdout_bytes == python.stdout_bytes


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ("来源,日期\ntmall,2022-11-11,extra\n", "DuckDB cannot read it as the Python path does"),
        ('来源,日期\n"tmall,2022-11-11\n', "DuckDB cannot read it as the Python path does"),
    ],
    ids=["ragged-row", "open-quote"],
)
def test_what_duckdb_does_not_read_exactly_falls_back(run, tmp_path, data, fragment):
    path = tmp_path / "odd.csv"
    path.write_text(data, encoding="utf-8")
    python = run("batch", str(path), "--fail-on", "never")
    duckdb = run("batch", str(path), "--fail-on", "never", "--engine", "duckdb")
    assert fragment in duckdb.stderr and "checked by the Python engine" in duckdb.stderr
    assert duckdb.stdout_bytes == python.stdout_bytes


def test_other_inputs_fall_back_saying_why(run, tmp_path):
    gb = tmp_path / "gb.csv"
    gb.write_bytes("来源,日期\n天猫,2022-11-11\n".encode("gb18030"))
    result = run("batch", str(gb), "--engine", "duckdb")
    assert "engine duckdb: the input is not plain UTF-8 (gb18030)" in result.stderr
    assert result.exit_code == 0 and "allowed" in result.stdout
    stdin = run("batch", "-", "--engine", "duckdb", input="source,date\ntmall,2022-11-11\n")
    assert "engine duckdb: stdin is read by the Python engine" in stdin.stderr
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text('{"source": "tmall", "date": "2022-11-11"}\n', encoding="utf-8")
    assert (
        "reads and writes CSV and TSV only" in run("batch", str(jsonl), "--engine", "duckdb").stderr
    )
    # auto takes the Python engine for a small file, silently
    small = _write(tmp_path, "small.csv", [["source", "date"], ["tmall", "2022-11-11"]])
    assert "engine" not in run("batch", small, "--engine", "auto").stderr


def test_without_duckdb_installed_the_python_engine_answers_saying_so(run, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "duckdb", None)  # `import duckdb` fails
    path = _write(tmp_path, "a.csv", [["source", "date"], ["tmall", "2022-11-11"]])
    result = run("batch", path, "--engine", "duckdb", "-s", "livestream")
    assert "engine duckdb: DuckDB is not installed (pip install duckdb)" in result.stderr
    assert result.exit_code == 0 and "allowed" in result.stdout
    export = run("rules", "export", "--format", "parquet", "-o", str(tmp_path / "s.parquet"))
    assert export.exit_code == 2
    assert "parquet export needs duckdb, an optional extra: pip install duckdb" in export.stderr
    assert not (tmp_path / "s.parquet").exists()
