"""`batch --engine duckdb`: the same bytes as the Python engine — over the golden table, the
examples, and a generated differential with links, Chinese aliases, several surfaces per
cell, bad dates, formula cells, blank rows and awkward quoting — and a one-line fallback
for what it does not read."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytest.importorskip("duckdb")

from .helpers import differential, examples

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


def _falls_back(run, path: str, why: str, *options: str) -> None:
    """The DuckDB engine declines `path` with the one-line notice `why`, and the Python
    engine's bytes are written."""
    python = run("batch", path, "--fail-on", "never", *options)
    duckdb = run("batch", path, "--fail-on", "never", "--engine", "duckdb", *options)
    assert duckdb.stderr.startswith(f"engine duckdb: {why}; checked by the Python engine\n")
    assert duckdb.stdout_bytes == python.stdout_bytes


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


# issue 22: each shape below lost rows or changed answers on the DuckDB engine; now DuckDB
# writes the Python engine's bytes, or says in one line why it did not read the file and the
# Python engine does (rows as --on 2022-11-11 -s livestream answer them)
ANSWERED = "livestream,allowed,kuaishou-2022-tmall-window,2023-01-01T00:00:00+08:00 unknown,"
UNKNOWN = "livestream,error,,,unknown source {name}; `linkcheck sources` lists them"
FALLBACK = "engine duckdb: {why}; checked by the Python engine"
STRAY_QUOTE = FALLBACK.format(
    why="line 2 has a quote that neither opens nor closes a cell (a stray quote, or a space "
    "beside a quoted cell)"
)
DUCKDB_ERROR = re.compile(
    r"engine duckdb: DuckDB cannot read it as the Python path does \(.+\); checked by the "
    r"Python engine"
)
SHAPES = {
    "a header cell with a quoted LF in a CRLF file": (
        b'"a\nb",source\r\nx,tmall\r\n',
        f'"a\nb",source,surface,verdict,rule,next_change,note\r\nx,tmall,{ANSWERED}\r\n',
        DUCKDB_ERROR,
    ),
    "a header cell with a quoted LF in an LF file": (
        b'"a\nb",source\nx,tmall\n',
        f'"a\nb",source,surface,verdict,rule,next_change,note\r\nx,tmall,{ANSWERED}\r\n',
        None,
    ),
    "spaces around a quoted cell": (
        b'source\r\n "tmall" \r\n',
        'source,surface,verdict,rule,next_change,note\r\n" ""tmall"" ",livestream,error,,,'
        '"unknown source \'""tmall""\' (did you mean \'tmall\'?); `linkcheck sources` lists them"'
        "\r\n",
        STRAY_QUOTE,
    ),
    "a space before a quoted cell": (
        b'source,x\r\ntmall, "a"\r\n',
        f'source,x,surface,verdict,rule,next_change,note\r\ntmall," ""a""",{ANSWERED}\r\n',
        STRAY_QUOTE,
    ),
    "a cell starting with a quoted CR": (  # two columns: in one, its line '=x' is a row
        b'source,n\n"\r=x",1\n',
        'source,n,surface,verdict,rule,next_change,note\r\n"\'\r=x",1,'
        + UNKNOWN.format(name="'=x'")
        + "\r\n",
        None,
    ),
    "a CR inside source and date cells": (
        b'source,date\n"a\rb",2022-11-11\ntmall,"\r2022-11-11"\ntmall,"2022-11-11\r"\n',
        "source,date,surface,verdict,rule,next_change,note\r\n"
        '"a\rb",2022-11-11,' + UNKNOWN.format(name="'a\\rb'") + "\r\n"
        f'tmall,"\'\r2022-11-11",{ANSWERED}\r\n'
        f'tmall,"2022-11-11\r",{ANSWERED}\r\n',
        None,
    ),
    "rows of whitespace cells": (
        "source,x\ntmall,1\n\t,\n\x0b,\x1c\n\u3000,\xa0\n".encode(),
        f"source,x,surface,verdict,rule,next_change,note\r\ntmall,1,{ANSWERED}\r\n",
        None,
    ),
    "a whitespace line and an empty line": (
        b"source,x\ntmall,1\n\x0b\n\n",
        f"source,x,surface,verdict,rule,next_change,note\r\ntmall,1,{ANSWERED}\r\n",
        FALLBACK.format(
            why="line 3 has another number of cells than the header (line 1: 2, this line: 1)"
        ),
    ),
    "empty lines": (
        b"source\ntmall\n\n\n",
        f"source,surface,verdict,rule,next_change,note\r\ntmall,{ANSWERED}\r\n",
        FALLBACK.format(why="line 3 is empty"),
    ),
    "empty lines among two columns": (
        b"source,x\ntmall,1\n\ntmall,2\n\n",
        f"source,x,surface,verdict,rule,next_change,note\r\ntmall,1,{ANSWERED}\r\n"
        f"tmall,2,{ANSWERED}\r\n",
        None,
    ),
    "empty CRLF lines among two columns": (
        b"source,x\r\n\r\ntmall,1\r\n\r\n\r\ntmall,2",
        f"source,x,surface,verdict,rule,next_change,note\r\ntmall,1,{ANSWERED}\r\n"
        f"tmall,2,{ANSWERED}\r\n",
        None,
    ),
    "a # in cells": (
        b"source,url\ntmall,https://detail.tmall.com/item.htm?id=1#sku\n#x,\n",
        "source,url,surface,verdict,rule,next_change,note\r\n"
        f"tmall,https://detail.tmall.com/item.htm?id=1#sku,{ANSWERED}\r\n"
        "#x,," + UNKNOWN.format(name="'#x'") + "\r\n",
        None,
    ),
    "a ragged row": (
        "来源,日期\ntmall,2022-11-11,extra\n".encode(),
        "来源,日期,surface,verdict,rule,next_change,note\r\n"
        'tmall,2022-11-11,,error,,,"the row has 3 cells but the header has 2; extra cells: '
        '[""extra""]"\r\n',
        FALLBACK.format(
            why="line 2 has another number of cells than the header (line 1: 2, this line: 3)"
        ),
    ),
    "a record past 1 MiB": (
        b"source,title\ntmall," + b"x" * (1 << 20) + b"\n",
        f"source,title,surface,verdict,rule,next_change,note\r\ntmall,{'x' * (1 << 20)},"
        f"{ANSWERED}\r\n",
        FALLBACK.format(why="line 2 is longer than 1,048,576 bytes"),
    ),
}


@pytest.mark.parametrize(("data", "expected", "notice"), SHAPES.values(), ids=list(SHAPES))
def test_every_shape_gives_the_python_engines_bytes(run, tmp_path, data, expected, notice):
    path = tmp_path / "shape.csv"
    path.write_bytes(data)
    options = ("--on", "2022-11-11", "-s", "livestream", "--fail-on", "never")
    python = run("batch", str(path), *options, ok=True)
    duckdb = run("batch", str(path), *options, "--engine", "duckdb", ok=True)
    assert python.stdout_bytes == expected.encode()
    assert duckdb.stdout_bytes == expected.encode()
    assert duckdb.exit_code == python.exit_code == 0
    lines = duckdb.stderr.splitlines()
    if notice is None:  # DuckDB read it
        assert duckdb.stderr == python.stderr
    else:  # one line first, then the Python engine's report
        assert "\n".join(lines[1:]) + "\n" == python.stderr
        if isinstance(notice, str):
            assert lines[0] == notice
        else:
            assert notice.fullmatch(lines[0]), lines[0]


def test_other_inputs_fall_back_saying_why(run, tmp_path):
    gb = tmp_path / "gb.csv"
    gb.write_bytes("来源,日期\n天猫,2022-11-11\n".encode("gb18030"))
    result = run("batch", str(gb), "--engine", "duckdb")
    assert "engine duckdb: the input is not plain UTF-8 (gb18030)" in result.stderr
    assert result.exit_code == 0 and "allowed" in result.stdout
    stdin = run("batch", "-", "--engine", "duckdb", input="source,date\ntmall,2022-11-11\n")
    assert "engine duckdb: stdin cannot be read twice; checked by the Python engine" in stdin.stderr
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text('{"source": "tmall", "date": "2022-11-11"}\n', encoding="utf-8")
    assert (
        "engine duckdb: it reads CSV and TSV only;"
        in run("batch", str(jsonl), "--engine", "duckdb").stderr
    )
    plain = _write(tmp_path, "plain.csv", [["source", "date"], ["tmall", "2022-11-11"]])
    for out in (["--format", "table"], ["-o", str(tmp_path / "o.jsonl")]):
        wrote = run("batch", plain, "--engine", "duckdb", *out)
        assert "engine duckdb: it writes CSV and TSV only; checked by the Python engine" in (
            wrote.stderr
        )
    # auto takes the Python engine for a small file, and says so in one line
    small = _write(tmp_path, "small.csv", [["source", "date"], ["tmall", "2022-11-11"]])
    said = [line for line in run("batch", small, "--engine", "auto").stderr.splitlines()
            if "engine" in line]  # fmt: skip
    assert said == ["engine auto: python (a 0.0 KiB file; DuckDB is faster from 64.0 MiB)"]


def test_auto_says_which_engine_and_why_in_one_line(run, tmp_path, monkeypatch):
    from linkcheck.batch import run as batch_run

    monkeypatch.setattr(batch_run, "COLUMNAR_AUTO", 2048)  # the rule, with a smaller limit
    rows = [["sku", "source", "date"]] + [[f"{i:05d}", "tmall", "2022-11-11"] for i in range(200)]
    big = _write(tmp_path, "big.csv", rows)  # 4.7 KiB
    small = _write(tmp_path, "small.csv", rows[:20])
    gb = tmp_path / "gb.csv"
    gb.write_bytes("来源,日期\n天猫,2022-11-11\n".encode("gb18030") * 300)

    def engine_lines(*args: str, **kwargs) -> list[str]:
        result = run("batch", *args, "--engine", "auto", "--fail-on", "never", **kwargs)
        assert result.exit_code == 0, result.stderr
        return [line for line in result.stderr.splitlines() if "engine" in line]

    assert engine_lines(big) == [
        "engine auto: duckdb (a 4.7 KiB CSV file; DuckDB is faster from 2.0 KiB)"
    ]
    assert engine_lines(small) == [
        "engine auto: python (a 0.5 KiB file; DuckDB is faster from 2.0 KiB)"
    ]
    assert engine_lines(str(gb)) == [
        "engine auto: python (not duckdb: the input is not plain UTF-8 (gb18030))"
    ]
    assert engine_lines("-", input=Path(big).read_text(encoding="utf-8")) == [
        "engine auto: python (not duckdb: stdin cannot be read twice)"
    ]
    links = [["sku", "url"]] + [[f"{i}", f"https://detail.tmall.com/item.htm?id={i}"]
                                for i in range(100)]  # fmt: skip
    assert engine_lines(_write(tmp_path, "links.csv", links)) == [
        "engine auto: python (a checklist of product links: the Python engine reads them faster)"
    ]
    assert engine_lines(big, "--lang", "zh") == [
        "--engine auto：选用 duckdb 引擎（4.7 KiB 的 CSV 文件；从 2.0 KiB 起 DuckDB 更快）"
    ]
    # the same bytes whichever engine answered
    python = run("batch", big, "--fail-on", "never")
    assert run("batch", big, "--fail-on", "never", "--engine", "auto").stdout == python.stdout


def test_auto_takes_duckdb_sooner_for_a_checklist_it_foresees(run, tmp_path, monkeypatch):
    """Names and days (the answers foreseen, docs/scaling.md): DuckDB from FORESEEN_AUTO;
    another checklist of that size (a date written in Chinese) keeps COLUMNAR_AUTO."""
    from linkcheck.batch import run as batch_run

    monkeypatch.setattr(batch_run, "COLUMNAR_AUTO", 1 << 20)  # the rules, with smaller limits
    monkeypatch.setattr(batch_run, "FORESEEN_AUTO", 2048)
    rows = [["sku", "source", "date"]] + [[f"{i:05d}", "tmall", "2022-11-11"] for i in range(200)]
    known = _write(tmp_path, "known.csv", rows)  # 4.7 KiB
    written_in_chinese = [[*r[:2], "2022年11月11日"] for r in rows[1:]]
    other = _write(tmp_path, "other.csv", [rows[0], *written_in_chinese])
    other_size = f"{os.path.getsize(other) / 1024:,.1f} KiB"

    def engine_lines(*args: str) -> list[str]:
        result = run("batch", *args, "--engine", "auto", "--fail-on", "never")
        assert result.exit_code == 0, result.stderr
        return [line for line in result.stderr.splitlines() if "engine" in line]

    assert engine_lines(known) == [
        "engine auto: duckdb (a 4.7 KiB CSV file of names and days, whose answers it foresees; "
        "DuckDB is faster from 2.0 KiB)"
    ]
    assert engine_lines(other) == [
        f"engine auto: python (a {other_size} file; DuckDB is faster from 1.0 MiB)"
    ]
    assert engine_lines(known, "--lang", "zh") == [
        "--engine auto：选用 duckdb 引擎（4.7 KiB 的 CSV 文件，都是名称和日期，答案可预先知道；"
        "从 2.0 KiB 起 DuckDB 更快）"
    ]
    python = run("batch", known, "--fail-on", "never")
    assert run("batch", known, "--fail-on", "never", "--engine", "auto").stdout == python.stdout


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


def _env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LINKCHECK_RULES", "NO_COLOR")}
    env["PYTHONUNBUFFERED"] = "1"
    env["TMPDIR"] = str(tmp_path)  # DuckDB's temporary folder, seen by the test
    return env


def _linkcheck(*args: str) -> list[str]:
    return [sys.executable, "-m", "linkcheck", "batch", *args, "-s", "livestream"]


# past the 64 KiB read to detect the encoding: those bytes were not given to DuckDB again
PAIRS = b"tmall,2022-11-11\r\njd-self,2022-11-12\r\n"
TWENTY_THOUSAND = b"source,date\r\n" + PAIRS * 10_000
TWENTY_THOUSAND_ANSWERS = (
    "source,date,surface,verdict,rule,next_change,note\r\n"
    + (
        f"tmall,2022-11-11,{ANSWERED}\r\n"
        "jd-self,2022-11-12,livestream,allowed,kuaishou-2022-jd-self-window,"
        "2022-12-01T00:00:00+08:00 unknown,\r\n"
    )
    * 10_000
).encode()
NOT_A_FILE = FALLBACK.format(
    why="the input is a pipe, a FIFO or a device, not a file that DuckDB could read again "
    "from its start"
)


def _feed_fifo(path: Path, data: bytes) -> threading.Thread:
    def write() -> None:
        with open(path, "wb") as f:
            f.write(data)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    return writer


@pytest.mark.subprocess
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("how", ["fifo", "/dev/stdin from a pipe", "process substitution"])
def test_a_pipe_is_read_whole_by_the_python_engine(tmp_path, how):
    regular = tmp_path / "list.csv"
    regular.write_bytes(TWENTY_THOUSAND)
    if how == "fifo":
        fifo = tmp_path / "fifo.csv"
        os.mkfifo(fifo)
        writer = _feed_fifo(fifo, TWENTY_THOUSAND)
        args, stdin = _linkcheck(str(fifo), "--engine", "duckdb"), None
    elif how == "process substitution":
        if shutil.which("bash") is None:
            pytest.skip("needs bash")
        line = shlex.join(_linkcheck("PLACE", "--input-format", "csv", "--engine", "duckdb"))
        args = ["bash", "-c", line.replace("PLACE", f"<(cat {shlex.quote(str(regular))})")]
        stdin = None
    else:
        args = _linkcheck("/dev/stdin", "--input-format", "csv", "--engine", "duckdb")
        stdin = TWENTY_THOUSAND
    done = subprocess.run(args, input=stdin, capture_output=True, env=_env(tmp_path), timeout=120)
    if how == "fifo":
        writer.join(timeout=60)
    err = done.stderr.decode()
    assert done.returncode == 0, err
    assert err.splitlines()[0] == NOT_A_FILE
    assert err.splitlines()[-1] == "20,000 results: allowed 20,000 · denied 0 · unknown 0 · error 0"
    assert done.stdout == TWENTY_THOUSAND_ANSWERS


@pytest.mark.subprocess
def test_dev_stdin_from_a_regular_file_is_read_by_duckdb_from_its_start(tmp_path):
    regular = tmp_path / "list.csv"
    regular.write_bytes(TWENTY_THOUSAND)
    with regular.open("rb") as stdin:
        done = subprocess.run(
            _linkcheck("/dev/stdin", "--input-format", "csv", "--engine", "duckdb"),
            stdin=stdin, capture_output=True, env=_env(tmp_path), timeout=120,
        )  # fmt: skip
    err = done.stderr.decode()
    assert done.returncode == 0, err
    assert "engine duckdb" not in err
    assert err.splitlines()[-1] == "20,000 results: allowed 20,000 · denied 0 · unknown 0 · error 0"
    assert done.stdout == TWENTY_THOUSAND_ANSWERS


def _writing(tmp_path) -> bool:
    """Whether DuckDB writes its answers (the last query): to a file of its own, or to -o's
    temporary file after the header (a file of lines written as they are)."""
    if list(tmp_path.glob("linkcheck-duckdb-*/out.csv")):
        return True
    for temporary in tmp_path.glob(".out.csv.*.tmp"):
        with contextlib.suppress(FileNotFoundError):
            if temporary.stat().st_size > 100:  # more than the header
                return True
    return False


def _stopped_while_duckdb_writes(proc, tmp_path) -> bool:
    """Wait until DuckDB writes its answers (the last query), then stop the process (SIGSTOP);
    True if it is then stopped before replacing -o (its temporary file is still there)."""
    while not _writing(tmp_path):
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.005)
    proc.send_signal(signal.SIGSTOP)
    if proc.poll() is None and list(tmp_path.glob(".out.csv.*.tmp")):
        return True
    proc.send_signal(signal.SIGCONT)
    proc.wait(timeout=120)
    return False


@pytest.mark.subprocess
@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs SIGSTOP")
@pytest.mark.parametrize(
    ("signum", "code"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143), (getattr(signal, "SIGHUP", 1), 129)],
    ids=["INT", "TERM", "HUP"],
)
def test_a_signal_during_the_duckdb_query_ends_the_run_cleanly(tmp_path, signum, code):
    """The signal comes while the process is stopped in DuckDB's work, before it could have
    written -o: whatever DuckDB is doing then, the run ends with the signal's exit code,
    the old output kept and no temporary file or folder left."""
    source = tmp_path / "big.csv"
    source.write_bytes(b"source,date\r\n" + PAIRS * 150_000)
    out = tmp_path / "out.csv"
    for _attempt in range(5):  # a run that finished before it was stopped is run again
        out.write_text("precious\n")
        proc = subprocess.Popen(
            _linkcheck(str(source), "-o", str(out), "--engine", "duckdb"),
            stderr=subprocess.PIPE, env=_env(tmp_path),
        )  # fmt: skip
        if _stopped_while_duckdb_writes(proc, tmp_path):
            break
        proc.stderr.close()
    else:
        pytest.fail("every run finished before it could be stopped")
    proc.send_signal(signum)
    proc.send_signal(signal.SIGCONT)  # the signal is delivered as it goes on
    assert proc.wait(timeout=120) == code
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert "Traceback" not in err and "Error" not in err, err
    assert out.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv", "out.csv"]


def test_utf_8_sig_named_for_a_file_without_the_mark_is_read_by_duckdb(run, tmp_path):
    """--encoding utf-8-sig for a file that has no byte-order mark is UTF-8 (as Python's codec
    reads it): DuckDB answers it; the fallback said 'it starts with a byte-order mark' of a
    file that does not (a new user's trial)."""
    path = tmp_path / "plain.csv"
    path.write_bytes(b"sku,source\n1,tmall\n")
    options = ("--on", "2022-11-11", "-s", "livestream", "--encoding", "utf-8-sig")
    python = run("batch", str(path), *options)
    duckdb = run("batch", str(path), *options, "--engine", "duckdb")
    assert "engine duckdb" not in duckdb.stderr, duckdb.stderr
    assert duckdb.stdout_bytes == python.stdout_bytes
    assert duckdb.stderr == python.stderr


def test_a_byte_order_mark_read_as_utf_8_stays_in_the_header(run, tmp_path):
    """--encoding utf-8 keeps the mark in the first header cell, as Python's codec reads it;
    DuckDB, which drops it, writes the rows only: the same bytes, whichever way it takes."""
    path = tmp_path / "bom.csv"
    options = ("--on", "2022-11-11", "-s", "livestream", "--encoding", "utf-8")
    expected = f"\ufeffsku,source,surface,verdict,rule,next_change,note\r\n1,tmall,{ANSWERED}\r\n"
    for line in (b"1,tmall\n", b'"1",tmall\n'):  # a line as it is; cells taken apart
        path.write_bytes(b"\xef\xbb\xbfsku,source\n" + line)
        python = run("batch", str(path), *options, ok=True)
        duckdb = run("batch", str(path), *options, "--engine", "duckdb", ok=True)
        assert python.stdout_bytes == duckdb.stdout_bytes == expected.encode()
        # said so, not 'DuckDB wrote 1 rows where 2 were due' (a third trial)
        assert duckdb.stderr.splitlines()[0] == FALLBACK.format(
            why="read as utf-8, its byte-order mark is a character of its first cell, which "
            "DuckDB drops (utf-8-sig drops it too)"
        )


@pytest.mark.parametrize("eol", ["\r\n", "\n"])
@pytest.mark.parametrize("quoted", [False, True], ids=["as-it-is", "cells"])
def test_excels_csv_utf_8_is_answered_by_duckdb(run, tmp_path, eol, quoted):
    """Excel's "CSV UTF-8" starts with a byte-order mark, which the Python engine's
    utf-8-sig and DuckDB's reader both drop: DuckDB answers it (it went to the Python engine,
    saying 'it starts with a byte-order mark'), with the Python engine's bytes — its lines
    written as they are, or its cells taken apart (a quoted title with a line break)."""
    title = '"连衣裙, ""爆款""\n直播"' if quoted else "连衣裙"
    rows = [f"sku,source,date,title{eol}"] + [
        f"{n},{s},2022-{m:02}-11,{title}{eol}"
        for n in range(60) for s, m in (("天猫", n % 12 + 1), ("jd-self", 11))
    ]  # fmt: skip
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "".join(rows).encode())
    for out in ((), ("-o", str(tmp_path / "o.csv"))):
        python = run("batch", str(path), "--fail-on", "never", *out)
        got = (tmp_path / "o.csv").read_bytes() if out else python.stdout_bytes
        duckdb = run("batch", str(path), "--fail-on", "never", "--engine", "duckdb", *out)
        assert "engine duckdb" not in duckdb.stderr, duckdb.stderr
        assert duckdb.stderr == python.stderr
        assert ((tmp_path / "o.csv").read_bytes() if out else duckdb.stdout_bytes) == got
        assert got.startswith(b"\xef\xbb\xbfsku,source,date,title,surface,verdict")
        assert got.count(b"\xef\xbb\xbf") == 1


def test_duckdb_reads_the_file_named_not_a_pattern_nor_an_archive(run, tmp_path):
    """A name DuckDB would expand as a glob, or decompress by its extension, is the file."""
    (tmp_path / "list[1]x.csv").write_bytes(b"source\njd-self\n")  # what the glob matches
    named = tmp_path / "list[1]*.csv.gz"
    named.write_bytes(b"source\ntmall\n")
    options = ("--on", "2022-11-11", "-s", "livestream", "--input-format", "csv")
    duckdb = run("batch", str(named), *options, "--engine", "duckdb", ok=True)
    assert duckdb.stdout_bytes == (
        f"source,surface,verdict,rule,next_change,note\r\ntmall,{ANSWERED}\r\n".encode()
    )
    if os.path.exists("/proc/self/fd"):  # read through the descriptor: no notice
        assert "engine duckdb" not in duckdb.stderr


# The DuckDB engine answers each distinct combination of the cells that decide once, and
# finds a row's answers by a cast of its cells, joined by a separator, to an ENUM of those
# combinations; the header is read as the first record and left out by its combination's
# code. Each case below is a path of that plan, answered by DuckDB (no fallback) with the
# Python engine's bytes and report.
PLANS = {
    "a row with the header's own cells": [
        ["source", "date", "sku"],
        ["tmall", "2022-11-11", "a"],
        ["source", "date", "b"],
        ["source", "date", "c"],
    ],
    "only the header's cells": [["source", "date"], ["source", "date"]],
    "cells holding the separators": [
        ["source", "date", "sku"],
        ["tmall\x1f", "2022-11-11\x1e", "a"],
        ["tmall", "\x1f2022-11-11", "b"],
        ["tmall\x1f\x1e\x1d\x1c", "2022-11-11", "c"],
        ["tmall", "2022-11-11", "d"],
    ],
    "blank rows beside rows with only other cells": [
        ["sku", "source", "date"],
        ["a", "", ""],
        ["", " ", "\u3000"],
        ["", "", ""],
        ["b", "tmall", "2022-11-11"],
        [" ", "", ""],
    ],
    "no date column, several surfaces a row": [
        ["source", "surface"],
        ["tmall", "livestream, short-video"],
        ["jd-self", ""],
        ["nowhere", "short-video"],
    ],
    "only the header": [["source", "date"]],
    "formula cells in the cells that decide and in the others": [
        ["sku", "source", "date"],
        ["=1+1", "tmall", "2022-11-11"],
        ["a", "=tmall", "-2022"],
        ["+86", "@x", "2022-11-11"],
    ],
}


@pytest.mark.parametrize("rows", PLANS.values(), ids=list(PLANS))
@pytest.mark.parametrize("options", [(), ("--raw-cells",), ("-s", "all")], ids=str)
def test_each_path_of_the_plan_is_answered_by_duckdb_alike(run, tmp_path, rows, options):
    path = _write(tmp_path, "plan.csv", rows)
    python, duckdb = _both(run, path, "--on", "2022-11-11", *options)
    assert duckdb.stdout_bytes == python.stdout_bytes
    assert duckdb.stderr == python.stderr
    assert duckdb.exit_code == python.exit_code


def test_cells_holding_every_separator_go_to_the_python_engine(run, tmp_path):
    """The cells of a combination are joined by a character none of them holds; a file whose
    cells hold all of them is answered by the Python engine, saying why."""
    from linkcheck.batch.columnar import _SEPARATORS

    rows = [["source", "date"], [f"tmall{_SEPARATORS}", "2022-11-11"], ["tmall", "2022-11-11"]]
    path = _write(tmp_path, "all.csv", rows)
    _falls_back(run, path, "its cells hold every character the engine could join them with")


def test_a_row_repeating_the_header_is_answered_and_the_header_is_not(run, tmp_path):
    path = _write(tmp_path, "h.csv", PLANS["a row with the header's own cells"])
    out = run("batch", path, "-s", "livestream", "--fail-on", "never", "--engine", "duckdb").stdout
    lines = out.splitlines()
    assert lines[0].startswith("source,date,sku,surface,verdict")
    assert [line.split(",")[2] for line in lines[1:]] == ["a", "b", "c"]


def test_more_distinct_answers_than_it_looks_up_go_to_the_python_engine(run, tmp_path, monkeypatch):
    """Each bad date cell's note is an answer of its own: past MAX_ANSWERS the rows go to the
    Python engine, saying why (20,000 such answers took DuckDB 767 MB and 3.7x the time)."""
    from linkcheck.batch import columnar

    monkeypatch.setattr(columnar, "MAX_ANSWERS", 8)
    rows = [["sku", "来源", "日期"]] + [[str(i), "tmall", f"2022-13-{i}"] for i in range(12)]
    path = _write(tmp_path, "bad.csv", rows)
    _falls_back(run, path, "the rows have more than 8 different answers (an error note quoting "
                "its cell is one each)")  # fmt: skip
    # it stops deciding at the limit: nine answers numbered, not the 24 there are
    numbered = []
    real = columnar._Plan._number
    monkeypatch.setattr(columnar._Plan, "_number",
                        lambda self, *a: numbered.append(1) or real(self, *a))  # fmt: skip
    run("batch", path, "--fail-on", "never", "--engine", "duckdb")
    assert len(numbered) <= 10
    monkeypatch.setattr(columnar, "MAX_ANSWERS", 24)  # at the limit: DuckDB's own
    _both(run, path)


def test_more_combinations_than_it_decides_go_to_the_python_engine(run, tmp_path, monkeypatch):
    """A date with its own time on each row makes each row a combination of its own, each
    decided and held in Python: past MAX_COMBINATIONS the rows go to the Python engine,
    saying why (1,500,000 such rows held 1.9 GB)."""
    from linkcheck.batch import columnar

    monkeypatch.setattr(columnar, "MAX_COMBINATIONS", 5)
    rows = [["来源", "日期"]] + [["tmall", f"2022-11-11 10:00:0{i}"] for i in range(6)]
    path = _write(tmp_path, "times.csv", rows)
    cells: list[int] = []
    checked = columnar._checked
    monkeypatch.setattr(columnar, "_checked", lambda *a: cells.append(1) or checked(*a))
    _falls_back(run, path, "the rows have more than 5 different combinations of the cells that "
                "decide (a date with its own time on each row, say)")  # fmt: skip
    assert cells == []  # the lines' grouping said so: no pass more to group the cells
    quoted = tmp_path / "quoted.csv"  # as QUOTE_ALL writes it: no line as it stands
    with quoted.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, quoting=csv.QUOTE_ALL).writerows(rows)
    _falls_back(run, str(quoted), "the rows have more than 5 different combinations of the cells "
                "that decide (a date with its own time on each row, say)")  # fmt: skip
    assert cells  # a file not of lines written as they are: the cells' grouping says so
    monkeypatch.setattr(columnar, "MAX_COMBINATIONS", 7)  # 6 and the header: DuckDB's own
    _both(run, path)


def test_a_wide_file_with_a_blank_row_is_answered_by_duckdb(run, tmp_path):
    """One regular expression over the row's cells tells a blank row (a test a cell, 400
    columns wide, ran DuckDB out of memory)."""
    width = 400
    rows = [["来源", "日期", *(f"c{i}" for i in range(width - 2))],
            ["tmall", "2022-11-11", *(["x"] * (width - 2))], [""] * width,
            ["", "", *([" \u3000"] * (width - 2))]]  # fmt: skip
    python, duckdb = _both(run, _write(tmp_path, "wide.csv", rows))
    assert duckdb.stdout_bytes == python.stdout_bytes
    assert "(2 empty rows skipped)" in duckdb.stderr


def _numbered(tmp_path, rows: int) -> str:
    """A checklist DuckDB reads with several threads (past its 8 MB buffers): the row
    number first, a formula-like cell in a column of the cells that decide and in another,
    and rows with the header's cells (the header is then left out as the first record)."""
    path = tmp_path / "numbered.csv"
    title = '保温杯 20件装, "爆款" 直播专享 ' * 3
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["n", "source", "date", "title"])
        for i in range(rows):
            source = ("tmall", "jd-self", "=taobao", "pinduoduo")[i % 4]
            date = f"2022-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
            if i % 50_000 == 5:  # the header's cells: the header is told by its place
                source, date = "source", "date"
            out.writerow([i, source, date, f"=HYPERLINK({i})" if i % 1000 == 7 else title])
    return str(path)


def test_a_file_read_by_several_threads_comes_out_in_its_order(run, tmp_path):
    """DuckDB's COPY kept the rows' order only in a plan without a join: an IN list of the
    characters a formula starts with became one, and a file with a formula-like cell came
    out shuffled past its first buffer (the small files of the other tests are read by one
    thread, in order). Every row here is where the input has it, with each answer."""
    rows = 160_000
    path = _numbered(tmp_path, rows)
    assert os.path.getsize(path) > 2 * (8 << 20)  # buffers enough for both threads
    duckdb = run("batch", path, "-s", "all", "--fail-on", "never", "--engine", "duckdb",
                 "--on", "2022-11-11")  # fmt: skip
    assert "engine duckdb:" not in duckdb.stderr, duckdb.stderr
    numbers = [line.split(",", 1)[0] for line in duckdb.stdout.splitlines()[1:]]
    surfaces = 4  # -s all: a row a surface, in the row's place
    assert numbers == [str(i) for i in range(rows) for _ in range(surfaces)]
    lines = duckdb.stdout.splitlines()
    assert lines[1 + 7 * surfaces].startswith("7,pinduoduo,2022-08-08,'=HYPERLINK(7),")
    assert lines[1 + 2 * surfaces].startswith("2,'=taobao,")


def test_a_plan_that_would_not_keep_the_order_goes_to_the_python_engine(run, tmp_path,
                                                                         monkeypatch):  # fmt: skip
    """The order is asked of DuckDB's plan before a byte is written: a plan whose write is
    not DuckDB's order-keeping one (here: the IN list that made a join) is refused, and the
    Python engine answers, saying why."""
    from linkcheck.batch import columnar

    monkeypatch.setattr(
        columnar, "_starts", lambda e: f"left({e}, 1) IN ('=', '+', '-', '@', chr(9), chr(13))"
    )
    rows = [["source", "date", "title"], ["tmall", "2022-11-11", "=1+1"], ["=x", "", "t"]]
    _falls_back(
        run, _write(tmp_path, "in.csv", rows), "DuckDB would not write the rows in their order"
    )


@pytest.mark.parametrize("plain", [True, False], ids=["plain", "not-plain"])
def test_without_a_child_process_the_shape_is_checked_in_the_run(run, tmp_path, monkeypatch,
                                                                  plain):  # fmt: skip
    """The plain-shape scan runs in a child Python beside DuckDB; where none can be started
    (no executable to run, as in a program that embeds Python) the run scans the file
    itself after DuckDB's passes: the same bytes, the same refusal of a file not plain."""
    monkeypatch.setattr(sys, "executable", "")
    # a quoted line break: DuckDB's line proof (_flat) cannot say it is plain, the scan must
    rows = [["source", "date"], ["tmall", "2022-11-11"], ["jd-\nself", "2022-11-30"]]
    path = _write(tmp_path, "s.csv", rows)
    if not plain:
        Path(path).write_bytes(Path(path).read_bytes() + b'"tmall" ,2022-11-11\r\n')
    python = run("batch", path, "--fail-on", "never")
    duckdb = run("batch", path, "--fail-on", "never", "--engine", "duckdb")
    assert duckdb.stdout_bytes == python.stdout_bytes
    if plain:
        assert "engine duckdb:" not in duckdb.stderr
    else:
        assert duckdb.stderr.startswith(
            "engine duckdb: line 5 has a quote that neither opens nor closes a cell"
        ), duckdb.stderr


@pytest.mark.parametrize("sendfile", ["kernel", "refused", "absent"])
def test_an_output_file_gets_the_header_then_duckdbs_rows(run, tmp_path, monkeypatch, sendfile):
    """DuckDB's rows go to -o after the header by the kernel (sendfile) where it can, else a
    block at a time: the same file either way, as the Python engine writes it."""
    import errno

    from linkcheck.batch import columnar

    calls = []
    if sendfile == "kernel" and hasattr(os, "sendfile"):
        real = os.sendfile
        monkeypatch.setattr(columnar.os, "sendfile", lambda *a: calls.append(a) or real(*a))
    elif sendfile == "refused":

        def refuse(*args):
            raise OSError(errno.EINVAL, "not here")

        monkeypatch.setattr(columnar.os, "sendfile", refuse)
    elif sendfile == "absent":
        monkeypatch.delattr(columnar.os, "sendfile", raising=False)
    path = _write(tmp_path, "mixed.csv", differential(3000, 7))
    python, duckdb = tmp_path / "python.csv", tmp_path / "duckdb.csv"
    run("batch", path, "--fail-on", "never", "-o", str(python))
    done = run("batch", path, "--fail-on", "never", "--engine", "duckdb", "-o", str(duckdb))
    assert "engine duckdb:" not in done.stderr, done.stderr
    assert duckdb.read_bytes() == python.read_bytes()
    assert bool(calls) == (sendfile == "kernel" and hasattr(os, "sendfile"))


def test_a_fallback_reports_only_what_the_python_engine_read(run, tmp_path):
    """DuckDB reads every distinct date before a row with a cell too many sends the file to
    the Python engine; the report says only what the Python engine found (a yearless date
    on an error row is no row's note)."""
    path = tmp_path / "f.csv"
    path.write_bytes(b"source,date\ntmall,2022-11-11\njd-self,11\xe6\x9c\x8811\xe6\x97\xa5,\n")
    python = run("batch", str(path), "--fail-on", "never")
    duckdb = run("batch", str(path), "--fail-on", "never", "--engine", "duckdb")
    assert duckdb.stdout_bytes == python.stdout_bytes
    assert duckdb.stderr.split("\n", 1)[1] == python.stderr


# ------------------------------------------------- DuckDB's proof of the plain shape (_flat)


def _flat(data: bytes, width: int, delimiter: str = ","):
    import tempfile

    import duckdb

    from linkcheck.batch import columnar

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "f.csv")
        Path(path).write_bytes(data)
        con = duckdb.connect()
        try:
            return columnar._flat(con, path, delimiter, width, [])
        finally:
            con.close()


def _reference():
    from .test_csvshape import CSVISH, plain, plain_files

    return CSVISH, plain, plain_files


CSVISH, plain, plain_files = _reference()
PROOF = settings(
    max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROOF
@given(plain_files())
@example(file=(b",\r\n,\r\n,\r\n,\xb8\xad\r\n,\r\n", 2))  # not UTF-8: DuckDB declines it
def test_duckdbs_proof_is_the_reference_for_files_without_a_quoted_break(file):
    """What DuckDB's line reading proves plain is plain by the byte-by-byte reference (empty
    lines after the header aside, in files of two columns or more), with the same records
    and line end; and every file the reference finds so with no line break in a cell (and at
    least one line end, in UTF-8) is proven so: the fast path is the usual one."""
    data, width = file
    expected = _plain_but_empty_lines(data, width)
    got = _flat(data, width)
    if got is not None:
        assert got == expected, (data, got)
    if expected is not None and not expected.quoted_breaks and expected.eol and _utf8(data):
        assert got == expected, (data, got)  # (DuckDB reads UTF-8 only, as the engine does)


def _plain_but_empty_lines(data: bytes, width: int):
    """The reference's Shape of `data` read as the line proof reads it: empty lines after
    the first (not in a file of one column) are records that are empty."""
    from linkcheck.batch.csvshape import MAX_RECORD, Shape

    eol = b"\r\n" if b"\r" in data else b"\n"
    cleaned = data
    if width > 1 and not data.startswith((b"\n", b"\r")):
        while eol + eol in cleaned:
            cleaned = cleaned.replace(eol + eol, eol)
    found = plain(cleaned, b",", width, MAX_RECORD)
    empty = (len(data) - len(cleaned)) // len(eol)
    if found is None or not empty:
        return found
    return Shape(found.eol, found.records + empty, found.quoted_breaks, empty)


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@PROOF
@given(CSVISH, st.integers(1, 3), st.sampled_from([",", "\t"]))
def test_duckdbs_proof_never_passes_a_file_the_reference_refuses(data, width, delimiter):
    from linkcheck.batch.csvshape import MAX_RECORD

    got = _flat(data, width, delimiter)
    if got is not None and not got.empty:
        assert got == plain(data, delimiter.encode(), width, MAX_RECORD), (data, got)
    elif got is not None and delimiter == ",":  # empty lines: the reference without them
        assert got == _plain_but_empty_lines(data, width), (data, got)


@pytest.mark.parametrize(
    "data",
    [
        b'a,b\n"x\ny",z\n',  # a quoted line break: each half an unclosed quote
        b'a,b\n"x" ,y\n',  # a space beside a quoted cell (DuckDB's reader trims it)
        b"a\nx\n\nz\n",  # an empty line in a file of one column (a cell to DuckDB)
        b"\na,b\nx,y\n",  # an empty line before the header
        b"a,b\r\nx,y\nz,w\r\n",  # CRLF, then LF
        b"a,b\nx,y,\n",  # a cell too many
        b"a,b\nx\x01,y\n",  # the line reader's own delimiter
        b"a,b",  # the header alone, no line end
    ],
    ids=lambda data: repr(data)[2:-1],
)
def test_duckdbs_proof_leaves_to_the_scan_what_it_cannot_prove(data):
    assert _flat(data, 2) is None


def test_a_plain_file_needs_no_scan(run, tmp_path, monkeypatch):
    """A plain file with no quoted line break is proven so by DuckDB's own line reading: no
    scan is started (no child process, no second reading in Python)."""
    from linkcheck.batch import columnar

    def no_scan(*args):
        raise AssertionError("the scan was started")

    monkeypatch.setattr(columnar, "_Scan", no_scan)
    rows = [[re.sub("[\r\n]", " ", c) for c in row] for row in differential(2000, 3)]
    path = _write(tmp_path, "mixed.csv", rows)
    python, duckdb = _both(run, path)
    assert duckdb.stdout_bytes == python.stdout_bytes


def test_line_ends_are_counted_across_reads(monkeypatch):
    """A CR LF pair split between two reads is one pair."""
    from linkcheck.batch import csvshape

    monkeypatch.setattr(csvshape, "BLOCK", 2)  # a buffer of 8 bytes
    data = b"ab\r\ncd\r\ne\r\n\n"
    pieces = iter([data[:3], data[3:9], data[9:], b""])

    def readinto(buffer: bytearray) -> int:
        piece = next(pieces)
        buffer[: len(piece)] = piece
        return len(piece)

    ends = csvshape.ends(readinto)
    assert ends == csvshape.Ends(len(data), 4, 3, False, 10, ord("a"))


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.subprocess
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
@pytest.mark.parametrize("after", [1.0, 0.0], ids=["while-it-scans", "before-it-starts"])
def test_the_scan_child_ends_with_a_parent_killed_outright(tmp_path, after):
    """The shape scan's child Python ends when its parent does, even one killed outright
    (`kill -9`: no clean-up runs) — it went on reading the file for up to a minute. The
    parent here starts the child as the engine does, says its pid, and ends `after` seconds
    later: while the child scans (the system's parent-death signal), or before the child
    could ask for that signal (it sees it has another parent, and stops)."""
    source = tmp_path / "breaks.csv"
    source.write_bytes(b"source,date,title\r\n" + b'tmall,2022-11-11,"a\nb"\r\n' * 1_000_000)
    parent = (
        "import os, subprocess, sys, time\n"
        "from linkcheck.batch import columnar\n"
        "p = subprocess.Popen([sys.executable, '-I', '-S', '-c', columnar._CHILD, sys.argv[1],"
        " sys.argv[2], ',', '3', str(os.getpid())], stdin=subprocess.DEVNULL,"
        " stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)\n"
        "print(p.pid, flush=True)\n"
        "time.sleep(float(sys.argv[3]))\n"
        "os._exit(0)\n"
    )
    done = subprocess.run([sys.executable, "-c", parent, str(ROOT), str(source), str(after)],
                          capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    child = int(done.stdout)
    try:
        deadline = time.monotonic() + 2  # its scan alone takes several seconds more
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(child)
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)


def test_a_duckdb_error_before_the_file_is_read_goes_to_the_python_engine(run, tmp_path,
                                                                          monkeypatch):  # fmt: skip
    """A setting DuckDB refuses (here a memory limit it cannot read) is a DuckDB error like
    any other: the Python engine answers, saying why — no traceback."""
    from linkcheck.batch import columnar

    monkeypatch.setattr(columnar, "MEMORY_LIMIT", "lots")
    path = _write(tmp_path, "a.csv", [["source", "date"], ["tmall", "2022-11-11"]])
    python = run("batch", path, "--fail-on", "never")
    duckdb = run("batch", path, "--fail-on", "never", "--engine", "duckdb")
    assert duckdb.stdout_bytes == python.stdout_bytes
    assert duckdb.stderr.startswith("engine duckdb: DuckDB cannot read it as the Python path "
                                    "does ("), duckdb.stderr  # fmt: skip
    assert "Traceback" not in duckdb.stderr


def test_line_ends_that_cannot_be_counted_leave_the_proof_to_the_scan(monkeypatch):
    """The line ends are counted by reading the file again (in a child process, else here);
    where that read fails, nothing is proven (the scan decides, or the run falls back):
    never a Shape without the counts."""
    from linkcheck.batch import columnar, csvshape

    def unreadable(read):
        raise OSError("gone")

    assert _flat(b"a,b\nx,y\n", 2) == csvshape.Shape(b"\n", 1, False)
    monkeypatch.setattr(csvshape, "ends", unreadable)
    monkeypatch.setattr(columnar, "_child", lambda *args: None)  # no child: counted here
    assert _flat(b"a,b\nx,y\n", 2) is None
    silent = [sys.executable, "-c", "pass"]  # a child that says nothing: counted here too
    monkeypatch.setattr(columnar, "_child",
                        lambda *args: subprocess.Popen(silent, stdout=subprocess.PIPE))  # fmt: skip
    assert _flat(b"a,b\nx,y\n", 2) is None


@given(st.text(alphabet=st.sampled_from("=+-@\t\r\n 0123456789.eE'\"a天\u0301\u200d😀"), max_size=6)
       | st.text(max_size=4))  # fmt: skip
@settings(max_examples=examples(300))
@example("=\u0301")  # a combining mark after the '=': its first code point is still '='
@example("\U0001f600=")  # a first character of four bytes
@example("-12.5")  # a number: left alone
def test_duckdb_neutralises_a_cell_as_the_writer_does(text):
    """pass 2's test of a cell (columnar._cell: its first code point, then the number) is
    writers.neutralise, whatever the cell."""
    import duckdb

    from linkcheck.batch import columnar
    from linkcheck.batch.writers import neutralise

    with duckdb.connect() as con:  # not the module's own: other tests use that one
        got = con.execute(f"SELECT {columnar._cell('$1', False)}", [text or None]).fetchall()
    assert got == [(neutralise(text) if text else None,)]


def test_a_full_temporary_folder_is_said_to_be_one(run, tmp_path, monkeypatch):
    """DuckDB's write failing in its temporary folder (a full disk: the error DuckDB gives,
    its JSON and all) is said as that, with the folder and what to do, in one line — it was
    'cannot read it as the Python path does', cut inside the JSON at 120 characters."""
    import duckdb

    from linkcheck.batch import columnar

    def full(*args):
        target = args[-1]  # the write of any path: cells, lines as they are, or foreseen
        raise duckdb.IOException(
            "IO Error: Async write failed for range [offset=0, size=15524547]: "
            '{"exception_type":"IO","exception_message":"Could not write file \\"'
            + target.replace("\\", "\\\\")
            + '\\": No space left on device","errno":"28"}'
        )

    monkeypatch.setattr(columnar, "_checked", full)
    monkeypatch.setattr(columnar, "_checked_lines", full)
    monkeypatch.setattr(columnar, "_predicted", full)
    rows = [["source", "date"], ["tmall", "2022-11-11"]]
    path = _write(tmp_path, "a.csv", rows)
    python = run("batch", path, "--fail-on", "never")
    english = run("batch", path, "--engine", "duckdb", "--fail-on", "never")
    chinese = run("--lang", "zh", "batch", path, "--engine", "duckdb", "--fail-on", "never")
    assert english.stdout_bytes == python.stdout_bytes
    written = (
        r"Could not write file \"[^\"\n]*/linkcheck-duckdb-[^/\"]+/out\.csv\": "
        r"No space left on device"
    )
    assert re.fullmatch(
        rf"engine duckdb: DuckDB could not write its temporary files \({written}; TMPDIR can "
        r"name a folder with more room\); checked by the Python engine",
        english.stderr.splitlines()[0],
    ), english.stderr
    assert re.fullmatch(
        rf"[^\n]*DuckDB 无法写入临时文件（{written}；可用 TMPDIR 指定空间更大的文件夹）[^\n]*",
        chinese.stderr.splitlines()[0],
    ), chinese.stderr


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ('IO Error: failed: {"exception_type":"IO","exception_message":"Could not write \\"x\\""}',
         'Could not write "x"'),
        ("CSV Error on Line: 2\nmore", "CSV Error on Line: 2"),
        ("IO Error: {not json", "IO Error: {not json"),
        ("x" * 300, "x" * 157 + "..."),
        ("bad \x1b[2J cell", "bad \\x1b[2J cell"),
        ("", "Error"),
    ],
    ids=["wrapped-json", "first-line", "broken-json", "long", "control-characters", "empty"],
)  # fmt: skip
def test_duckdbs_error_is_one_line_of_what_it_says(message, reason):
    import duckdb

    from linkcheck.batch import columnar

    assert columnar._reason(duckdb.Error(message)) == reason


@pytest.mark.parametrize(
    "data",
    [
        b'source,date\ntmall,11\xe6\x9c\x8811\xe6\x97\xa5\n"tmall" ,44876\n',  # a stray quote
        b'source,date,t\ntmall,44876,"a\nb"\n\ntmall,11\xe6\x9c\x8811\xe6\x97\xa5,x\n',  # a
        # quoted line break, then an empty line: found by the scan, after DuckDB's passes
    ],
    ids=["stray-quote", "quoted-break-and-empty-line"],
)
def test_a_late_fallback_reports_what_the_python_engine_read(run, tmp_path, data):
    """DuckDB's passes read every distinct date before the shape sends the file to the
    Python engine, whose decide() then found each date in its caches and noted nothing: the
    run said nothing of the Excel serial or of the year given to 11月11日 (a new user's
    trial). The Python engine reads afresh (Checker.forget): the report is its own."""
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    python = run("batch", str(path), "--fail-on", "never", "--on", "2022-11-11")
    duckdb = run("batch", str(path), "--fail-on", "never", "--on", "2022-11-11", "--engine",
                 "duckdb")  # fmt: skip
    assert duckdb.stdout_bytes == python.stdout_bytes
    assert duckdb.stderr.startswith("engine duckdb: "), duckdb.stderr
    assert duckdb.stderr.split("\n", 1)[1] == python.stderr
    assert "Excel serial" in python.stderr and "without a year" in python.stderr


def _lines_spy(monkeypatch) -> list[int]:
    """The rows each run wrote from the file's own lines (columnar._write_lines), a number a
    run that took that path."""
    from linkcheck.batch import columnar

    took: list[int] = []
    write = columnar._write_lines

    def spy(*args):
        took.append(write(*args))
        return took[-1]

    monkeypatch.setattr(columnar, "_write_lines", spy)
    return took


TITLED = [["sku", "source", "surface", "date", "title"]] + [
    [f"SKU{i:04d}", ["tmall", "jd-self", "taobao", "foo", "天猫"][i % 5],
     ["livestream", "short-video", "直播"][i % 3], f"2022-{10 + i % 3}-{1 + i % 28:02d}",
     f'保温杯 {i}件装, "爆款" 直播专享' if i % 2 else f"连衣裙 {i}"]
    for i in range(300)
]  # fmt: skip


def _among(rows: list[list[str]], at: int, *more: list[str]) -> list[list[str]]:
    """`rows` with `more` after the first `at`."""
    return [*rows[:at], *more, *rows[at:]]


@pytest.mark.parametrize(
    ("rows", "options", "delimiter"),
    [
        (TITLED, (), ","),
        (TITLED, ("--on", "2022-11-11"), "\t"),
        ([[r[1], r[3], r[0]] for r in TITLED], ("-s", "all"), ","),  # a row an answer a surface
        (_among(TITLED, 1, *[["=1", "tmall", "livestream", "2022-11-11", "-x"]] * 3),
         ("--raw-cells",), ","),
        # blank rows (skipped), empty lines, a row that repeats the header's cells that decide
        (_among([*TITLED, ["x", "source", "surface", "date", ""]], 50,
                [""] * 5, [" ", "", "\u3000", "", ""], []), (), ","),
    ],
    ids=["titles", "tsv", "surfaces", "raw-cells", "blank-rows"],
)  # fmt: skip
def test_lines_as_csv_writes_them_are_written_as_they_are(run, tmp_path, monkeypatch, rows,
                                                           options, delimiter):  # fmt: skip
    """A checklist whose every line is as csv.writer writes it — the cells that decide bare,
    no formula start (or --raw-cells) — is answered a line at a time: DuckDB reads its lines
    and writes each with its answers' cells appended, as the Python engine writes it
    (lines.check_lines), byte for byte, counts and report too."""
    took = _lines_spy(monkeypatch)
    path = _write(tmp_path, "a.tsv" if delimiter == "\t" else "a.csv", rows, delimiter)
    python, duckdb = _both(run, path, *options)
    assert took and took[0] > 0
    assert duckdb.stdout_bytes == python.stdout_bytes
    assert duckdb.stderr == python.stderr
    assert duckdb.exit_code == python.exit_code


@pytest.mark.parametrize(
    ("rows", "options", "delimiter"),
    [
        (TITLED, ("--format", "tsv"), ","),  # another format out: cells, put together again
        (_among(TITLED, 9, ["1", "tmall", "livestream", "2022-11-11", "=HYPERLINK(1)"]), (), ","),
        (_among(TITLED, 9, ["1", "tmall", "livestream", "2022-11-11", "-5"]), (), ","),
        ([[r[4], r[1], r[3]] for r in TITLED], (), ","),  # a quoted cell before the source
        (_among(TITLED, 1, [" ", "", "", "", " \t"]), (), "\t"),  # a quoted blank cell
        # past the block at_start looks at: DuckDB's test of each line finds it
        ([*TITLED, *TITLED[1:] * 5, ["1", '"tmall"', "livestream", "2022-11-11", ""]], (), ","),
    ],
    ids=["to-tsv", "formula", "number", "title-first", "tsv-quoted-blank", "late"],
)
def test_lines_not_as_csv_writes_them_are_taken_apart(run, tmp_path, monkeypatch, rows, options,
                                                       delimiter):  # fmt: skip
    """What a line as it stands cannot say — another format out, a cell to neutralise (or a
    number that only looks like one), a quoted cell before a cell that decides (a split at
    the delimiters would miss it), a quoted TSV cell in a blank row — goes to the cells' way,
    the same bytes still."""
    took = _lines_spy(monkeypatch)
    path = _write(tmp_path, "a.tsv" if delimiter == "\t" else "a.csv", rows, delimiter)
    python, duckdb = _both(run, path, *options)
    assert took == []
    assert duckdb.stdout_bytes == python.stdout_bytes
    assert duckdb.stderr == python.stderr


@pytest.mark.parametrize(
    ("more", "why"),
    [
        ([["1", "tmall"]], "line 1802 has another number of cells than the header (line 1: 5, "
                           "this line: 2)"),  # short of the cells that decide: none to group by
        ([[], ["x"]], "line 1802 is empty"),  # no cell that decides, as an empty line has none
    ],
    ids=["short", "one-cell"],
)  # fmt: skip
def test_a_late_line_short_of_the_cells_that_decide_is_not_grouped(run, tmp_path, monkeypatch,
                                                                   more, why):  # fmt: skip
    """Past the block at_start looks at, a line short of the cells that decide has none to
    be grouped by (DuckDB's split gives NULL): the file is not one of lines to write as
    they are, and is not plain — the Python engine answers it, saying why (a short line
    was grouped with NULL cells, and its answer's Python failed)."""
    took = _lines_spy(monkeypatch)
    path = _write(tmp_path, "a.csv", [*TITLED, *TITLED[1:] * 5, *more])
    _falls_back(run, path, why)
    assert took == []


def test_a_header_not_as_csv_writes_it_is_tested_by_duckdb_too(run, tmp_path, monkeypatch):
    """The write of lines skips the first line (the header, which the writer writes from its
    cells): DuckDB tests that line on its own, so a header quoted as QUOTE_ALL writes it
    sends the file the cells' way even where the look at the file's start is not made (a
    header longer than the block it reads)."""
    from linkcheck.batch import columnar

    took = _lines_spy(monkeypatch)
    monkeypatch.setattr(columnar._Lines, "at_start", lambda self, location: True)
    path = tmp_path / "a.csv"
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL).writerow(TITLED[0])
    csv.writer(out).writerows(TITLED[1:])
    path.write_text(out.getvalue(), encoding="utf-8")
    python, duckdb = _both(run, str(path))
    assert took == []
    assert duckdb.stdout_bytes == python.stdout_bytes
    assert duckdb.stderr == python.stderr


def test_a_file_whose_start_is_not_as_csv_writes_it_is_not_grouped_by_lines(tmp_path):
    """The look at a file's first 64 KiB: lines there that the engine could not write as they
    are (a quoted source, a formula cell) spare DuckDB's grouping of the lines; a file whose
    start is all such lines is grouped (its later lines are DuckDB's to test)."""
    from linkcheck.batch import columnar

    ask = columnar._Lines(",", 5, [1, 2, 3], True)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([*TITLED[:4], ["a", "b", "c", "d", '"e, f"']])
    good = out.getvalue()
    for name, text, fits in [
        ("good.csv", good, True),
        ("quoted.csv", good + 'x,"tmall",livestream,2022-11-11,t\n', False),
        ("formula.csv", good + "x,tmall,livestream,2022-11-11,=1\n", False),
        ("late.csv", good * 2000 + "x,tmall,livestream,2022-11-11,=1\n", True),
        ("cut.csv", good + "x,tmall,livestream,2022-11-11,=1", False),
        ("crlf.csv", good.replace("\n", "\r\n"), True),
    ]:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert ask.at_start(str(path)) is fits, name


def test_answer_cells_that_would_end_a_line_send_the_file_the_cells_way(run, tmp_path,
                                                                       monkeypatch):  # fmt: skip
    """An answer whose cells, written after a line, would hold a line end or the engine's own
    separator is never appended to a line as it is: the file goes the cells' way, the same
    bytes (no answer holds one today: a guard, tested by making one)."""
    from linkcheck.batch import columnar

    took = _lines_spy(monkeypatch)
    appended = columnar._appended
    monkeypatch.setattr(columnar, "_appended", lambda cells, d: appended(cells, d) + "\n")
    path = _write(tmp_path, "a.csv", TITLED)
    python, duckdb = _both(run, path)
    assert took == []
    assert duckdb.stdout_bytes == python.stdout_bytes
    assert duckdb.stderr == python.stderr


# ------------------------------------------- the output file written by DuckDB itself (_Own)


@pytest.mark.parametrize(
    ("rows", "options"),
    [(TITLED, ()), (TITLED, ("--bom",)), (TITLED, ("-s", "all")),
     ([["sku", "source", "surface", "date", '标题, "名称" '], *TITLED[1:]], ()),
     ([[r[0], r[1], r[3], r[4]] for r in TITLED], ())],  # no surface column: two answers a row
    ids=["csv", "bom", "surfaces", "quoted-header", "default-surfaces"],
)  # fmt: skip
def test_lines_written_as_they_are_go_straight_into_the_output_file(run, tmp_path, monkeypatch,
                                                                   rows, options):  # fmt: skip
    """With -o, DuckDB writes the lines into the output's own temporary file after its
    header (the header as the name of the one column it writes): no copy of a file of its
    own after the header. The same bytes as the Python engine's -o, a byte-order mark too."""
    from linkcheck.batch import columnar

    took = _lines_spy(monkeypatch)
    appended: list[str] = []
    append = columnar._append
    monkeypatch.setattr(columnar, "_append", lambda *a: appended.append(a[0]) or append(*a))
    path = _write(tmp_path, "a.csv", rows)
    python_out, duckdb_out = tmp_path / "python.csv", tmp_path / "duckdb.csv"
    python = run("batch", path, "-o", str(python_out), "--fail-on", "never", *options)
    duckdb = run("batch", path, "-o", str(duckdb_out), "--fail-on", "never", "--engine",
                 "duckdb", *options)  # fmt: skip
    assert "engine duckdb" not in duckdb.stderr, duckdb.stderr
    assert took and appended == []
    assert duckdb_out.read_bytes() == python_out.read_bytes()
    assert duckdb.stderr == python.stderr and duckdb.exit_code == python.exit_code
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "duckdb.csv", "python.csv"]


def test_a_late_line_to_take_apart_leaves_the_output_file_its_header(run, tmp_path, monkeypatch):
    """A line DuckDB's write finds is not one to write as it is, after it wrote lines into the
    output file: the file is its header alone again, and the cells' way writes the rows
    after it — the Python engine's bytes."""
    from linkcheck.batch import columnar

    restored: list[int] = []
    restore = columnar._Own.restore
    monkeypatch.setattr(columnar._Own, "restore", lambda self: restored.append(1) or restore(self))
    rows = [*TITLED, *TITLED[1:] * 5, ["1", '"tmall"', "livestream", "2022-11-11", ""]]
    path = _write(tmp_path, "a.csv", rows)
    python_out, duckdb_out = tmp_path / "python.csv", tmp_path / "duckdb.csv"
    run("batch", path, "-o", str(python_out), "--fail-on", "never")
    duckdb = run("batch", path, "-o", str(duckdb_out), "--fail-on", "never", "--engine",
                 "duckdb")  # fmt: skip
    assert "engine duckdb" not in duckdb.stderr, duckdb.stderr
    assert restored
    assert duckdb_out.read_bytes() == python_out.read_bytes()


def test_a_header_duckdb_wrote_otherwise_is_the_python_engines_to_write(run, tmp_path,
                                                                        monkeypatch):  # fmt: skip
    """Where the header in the file is not the one written before DuckDB's write (it never
    is: a guard, tested by saying so), the file is its header alone again and the Python
    engine writes every row, saying why — no row of DuckDB's left after them."""
    from linkcheck.batch import columnar

    def otherwise(self, binary):
        with open(self.location, "ab") as f:  # and more than the rows, to be left behind
            f.write(b"not a row\r\n" * 1000)
        raise columnar.Unsupported("DuckDB wrote the header otherwise")

    monkeypatch.setattr(columnar._Own, "written", otherwise)
    path = _write(tmp_path, "a.csv", TITLED)
    python_out, duckdb_out = tmp_path / "python.csv", tmp_path / "duckdb.csv"
    run("batch", path, "-o", str(python_out), "--fail-on", "never")
    duckdb = run("batch", path, "-o", str(duckdb_out), "--fail-on", "never", "--engine",
                 "duckdb")  # fmt: skip
    assert duckdb.stderr.startswith("engine duckdb: DuckDB wrote the header otherwise; checked "
                                    "by the Python engine\n"), duckdb.stderr  # fmt: skip
    assert duckdb_out.read_bytes() == python_out.read_bytes()


def test_the_output_file_duckdb_may_write_whole(tmp_path):
    """_Own: a regular file holding one line as CSV ends it, which DuckDB can open by name;
    restore() leaves the header alone, whatever was written after it. Not a file with more
    than its header, nor a header DuckDB could not name a column by."""
    from linkcheck.batch import columnar

    def own(head: bytes):
        f = (tmp_path / f"f{len(list(tmp_path.iterdir()))}").open("wb")
        f.write(head)
        return f, columnar._Own.of(f)

    f, found = own(b'\xef\xbb\xbfsku,"a, b",verdict\r\n')
    assert found is not None and found.header == '\ufeffsku,"a, b",verdict'
    with open(found.location, "r+b") as other:  # another description, as DuckDB's
        other.write(b"sku,rows that DuckDB wrote and more\r\n" * 3)
    found.restore()
    f.write(b"1,tmall\r\n")
    f.close()
    assert Path(f.name).read_bytes() == b'\xef\xbb\xbfsku,"a, b",verdict\r\n1,tmall\r\n'
    for head in [b"sku\n", b"sku\r\nmore\r\n", b"a\x00b\r\n", b"a\x01b\r\n", b"\xff\r\n", b""]:
        f, found = own(head)
        assert found is None, head
        f.close()
    f = (tmp_path / "past.csv").open("w+b")  # bytes past the place it writes at
    f.write(b"sku\r\nmore")
    f.seek(5)
    assert columnar._Own.of(f) is None
    f.close()
    assert columnar._Own.of(io.BytesIO(b"sku\r\n")) is None  # stdout in a test: no file
    read, write = os.pipe()
    with os.fdopen(write, "wb") as pipe:
        assert columnar._Own.of(pipe) is None
    os.close(read)


def test_an_output_duckdb_cannot_write_is_the_python_engines_to_write(run, tmp_path,
                                                                      monkeypatch):  # fmt: skip
    """DuckDB's error writing the output file itself (a full disk beside it, say) names the
    output, not the input: the Python engine writes the rows, the notice saying so — an
    input at /proc/self/fd/31 is not the output at …/3."""
    from linkcheck.batch import columnar

    of = columnar._Own.of

    def elsewhere(binary):
        own = of(binary)
        assert own is not None
        own.location += "999"  # a descriptor not open: DuckDB cannot open it
        return own

    monkeypatch.setattr(columnar._Own, "of", staticmethod(elsewhere))
    path = _write(tmp_path, "a.csv", TITLED)
    python_out, duckdb_out = tmp_path / "python.csv", tmp_path / "duckdb.csv"
    run("batch", path, "-o", str(python_out), "--fail-on", "never")
    duckdb = run("batch", path, "-o", str(duckdb_out), "--fail-on", "never", "--engine",
                 "duckdb")  # fmt: skip
    chinese = run("--lang", "zh", "batch", path, "-o", str(tmp_path / "zh.csv"), "--fail-on",
                  "never", "--engine", "duckdb")  # fmt: skip
    assert re.match(
        r"engine duckdb: DuckDB could not write the output \([^\n]*/proc/self/fd/"
        r"\d+999[^\n]*\); checked by the Python engine\n",
        duckdb.stderr,
    ), duckdb.stderr
    assert "DuckDB 无法写入输出文件" in chinese.stderr.splitlines()[0], chinese.stderr
    assert duckdb_out.read_bytes() == python_out.read_bytes()


def test_an_error_naming_another_descriptor_is_not_the_outputs():
    from linkcheck.batch import columnar

    own = columnar._Own(3, "/proc/self/fd/3", b"h\r\n", "h")
    assert own.named(OSError('Cannot open file "/proc/self/fd/3": denied'))
    assert own.named(OSError('Could not write file \\"/proc/self/fd/3\\"'))
    assert not own.named(OSError('Cannot open file "/proc/self/fd/31": denied'))


@pytest.mark.parametrize(
    "data",
    [b"a,b\r\nx,y\r\n", b"\xef\xbb\xbfa,b\nx,y", b"a,b\r\nx\ry\n", b""],
    ids=["crlf", "bom-lf-no-end", "lone-cr", "empty"],
)
def test_the_line_ends_are_counted_in_a_child_as_here(tmp_path, data):
    """The line ends the DuckDB engine's proof needs are counted by a child process (a
    thread of this one held the GIL DuckDB's client thread takes, and slowed the write):
    what it says is what csvshape.ends counts here — the child's own work, not this
    process's count after a child that failed."""
    from linkcheck.batch import columnar, csvshape

    path = tmp_path / "lines.csv"
    path.write_bytes(data)
    child = columnar._child(str(path))
    assert child is not None
    out, _ = child.communicate()
    assert child.returncode == 0
    with open(path, "rb", buffering=0) as f:
        here = csvshape.ends(f.readinto)
    said = json.loads(out)["ends"]
    assert said == [here.size, here.lf, here.crlf, here.bom, here.last, here.first]
    counted = columnar._LineEnds(str(path))
    assert counted.result() == here
