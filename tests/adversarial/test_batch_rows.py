"""Checklist rows that lost cells or moved columns (issue: Hardening)."""

from __future__ import annotations

import csv
import io
import json


def test_an_over_long_csv_row_keeps_its_extra_cells_and_the_columns_in_place(run):
    data = "source,column_3,date\ntmall,x,2022-11-11,EXTRA1,EXTRA2\n"
    result = run("batch", "-", "-s", "livestream", input=data)
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    header = ["source", "column_3", "date", "surface", "verdict", "rule", "next_change", "note"]
    assert rows[0] == header
    assert rows[1][:5] == ["tmall", "x", "2022-11-11", "", "error"]
    assert len(rows[1]) == len(header)  # the verdict stays under `verdict`
    assert (
        rows[1][7] == 'the row has 5 cells but the header has 3; extra cells: ["EXTRA1", "EXTRA2"]'
    )


def test_blank_cells_past_the_header_are_nothing_and_the_row_is_answered(run, tmp_path):
    """`天猫,2022-11-11,,,` under a 2-column header (a spreadsheet's cells typed in and
    cleared, or holding a space): the row is answered, written as wide as its header — it
    was an error row, 'extra cells: ["", ""]' (a new user's trial). Something past the
    header is still an error, and a workbook row keeps its typed cells either way."""
    data = "来源,日期\n天猫,2022-11-11,,, \t\n京东自营,2022-11-11,,x\n"
    result = run("batch", "-", "-s", "livestream", input=data, ok=False)
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert rows[1][:4] == ["天猫", "2022-11-11", "livestream", "allowed"]
    assert len(rows[1]) == len(rows[0])
    assert rows[2][:4] == ["京东自营", "2022-11-11", "", "error"]
    assert rows[2][-1] == 'the row has 4 cells but the header has 2; extra cells: ["", "x"]'
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["来源", "日期", "数量"])
    sheet.append(["天猫", "2022-11-11", 7, None, " "])
    sheet.append(["天猫", "2022-11-11", 8, "备注"])
    book.save(tmp_path / "in.xlsx")
    out = tmp_path / "out.xlsx"
    done = run("batch", str(tmp_path / "in.xlsx"), "-s", "livestream", "-o", str(out), ok=False)
    assert done.exit_code == 1, done.stderr  # the second row: an error
    got = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert got[1][:5] == ("天猫", "2022-11-11", 7, "livestream", "allowed")
    assert got[2][:5] == ("天猫", "2022-11-11", 8, None, "error")  # 8 a number still


def test_an_over_long_row_in_json_does_not_overwrite_a_real_column(run):
    data = "source,column_3,date\ntmall,real,2022-11-11,EXTRA\n"
    result = run("batch", "-", "--format", "jsonl", input=data)
    (obj,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert obj["column_3"] == "real"
    assert obj["verdict"] == "error"
    assert '["EXTRA"]' in obj["note"]


def test_xlsx_output_marks_cells_a_workbook_cannot_hold(run, tmp_path):
    import openpyxl

    out = tmp_path / "out.xlsx"
    long_cell = "长" * 40000
    data = (
        f"source,date,title\ntmall,2022-11-11,{long_cell}\n"
        "tmall,2022-11-11,a\x01b\ntmall,2022-11-11,ok\n"
    )
    result = run("batch", "-", "-s", "livestream", "-o", str(out), input=data)
    assert result.exit_code == 1, result.stderr
    rows = list(openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert rows[1][2] == "长" * 32767 and rows[1][4] == "error"
    assert "column 3 has 40,000 characters, more than the 32,767" in rows[1][7]
    assert rows[2][2] == "a\\x01b" and rows[2][4] == "error"
    assert "control characters" in rows[2][7]
    assert rows[3][4] == "allowed"
    assert "3 results: allowed 1 · denied 0 · unknown 0 · error 2" in result.stderr


import pytest  # noqa: E402

from ..helpers import assert_clean_error  # noqa: E402


@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex", "zlib", "punycode", "idna"])
def test_only_text_encodings_are_accepted(run, encoding):
    result = run("batch", "-", "--encoding", encoding, input="source\ntmall\n")
    assert_clean_error(result, f"'{encoding}' is no file encoding", "use utf-8")


def test_utf16_without_a_bom_needs_its_byte_order(run):
    data = "source,date\ntmall,2022-11-11\n".encode("utf-16-le")
    result = run("batch", "-", "--encoding", "utf-16", input=data)
    assert_clean_error(result, "no utf-16 byte-order mark", "--encoding utf-16-le")
    ok = run("batch", "-", "--encoding", "utf-16-le", "-s", "livestream", input=data)
    assert ",allowed," in ok.stdout


def test_ports_above_65535_are_refused(run):
    result = run("check", "https://detail.tmall.com:65536/item.htm", "--on", "2022-11-11")
    assert_clean_error(result, "invalid port '65536'")
    ok = run("check", "https://detail.tmall.com:65535/item.htm", "--on", "2022-11-11")
    assert ok.exit_code == 0


def _stream_rows_under_a_limit(rows: int, cell: int, limit_mib: int):
    """Run `batch` on `rows` rows whose source cells are `cell` characters, all different,
    fed through a pipe (so the test itself holds one row at a time)."""
    import subprocess
    import sys

    code = (
        "import resource, sys;"
        f"resource.setrlimit(resource.RLIMIT_AS, ({limit_mib} << 20, {limit_mib} << 20));"
        "from linkcheck.cli import main;"
        "sys.argv = ['linkcheck', 'batch', '-', '--fail-on', 'never', '-s', 'livestream'];"
        "main()"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        proc.stdin.write(b"source,date\n")
        for i in range(rows):
            proc.stdin.write(b"%d" % i + b"x" * cell + b",2022-11-11\n")
        proc.stdin.close()
    except BrokenPipeError:
        pass
    stderr = proc.stderr.read().decode()
    return proc.wait(timeout=120), stderr


@pytest.mark.subprocess
def test_memory_stays_flat_with_huge_distinct_cells():
    """100 rows of 1 MB source cells, each different, in 100 MiB: the caches must not keep
    them (they used to keep 4,096 keys of any size: 3 GB for 1,000 such rows)."""
    code, stderr = _stream_rows_under_a_limit(100, 1 << 20, 100)
    assert code == 0, stderr
    assert "100 results: allowed 0 · denied 0 · unknown 0 · error 100" in stderr


def test_long_cells_are_never_cache_keys(bundled):
    from linkcheck.batch import Checker, Columns

    checker = Checker(bundled, Columns.find(["source", "date"]), ("livestream",), "now", None)
    for i in range(50):
        assert checker.decide([f"{i}" + "y" * 10_000, "2022-11-11"])[0][1] == "error"
        assert checker.decide(["tmall", f"2022-11-11{' ' * 10_000}{i}"])[0][1] == "error"
    caches = [checker._names, checker._instants, checker._hosts, checker._plans]
    keys = [key for cache in caches for key in cache]
    assert keys and max(map(str, keys), key=len).__len__() < 5000
    assert checker.decide(["tmall", "2022-11-11"])[0][1] == "allowed"  # short ones still are


def test_full_width_formula_signs_are_text_and_left_alone(run):
    """＝ ＋ － ＠ (U+FF1D, U+FF0B, U+FF0D, U+FF20) start no formula in Excel, WPS,
    LibreOffice or Google Sheets: a formula begins with the ASCII sign. Chinese text starts
    with them often (＋86 phone numbers, －50% 折扣), so they are kept as typed."""
    titles = ["＝SUM(1;2)", "＋86 138 0000 0000", "－50% 折扣", "＠主播"]
    data = "source,date,title\n" + "".join(f"tmall,2022-11-11,{t}\n" for t in titles)
    result = run("batch", "-", "-s", "livestream", input=data)
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert [r[2] for r in rows[1:]] == titles
    ascii_rows = run("batch", "-", "-s", "livestream", input="source,title\ntmall,=SUM(1)\n")
    assert "'=SUM(1)" in ascii_rows.stdout  # the ASCII sign still is neutralised


def test_formula_cells_are_caught_in_any_block_and_nothing_else_changes(run, tmp_path):
    """Rows are written in blocks scanned at once: a formula cell deep in a long file is
    neutralised, its neighbours (a negative number, text with `,=` inside) are not."""
    lines = ["source,date,title"]
    for i in range(5000):
        title = {10: "-12.5", 3000: "=HYPERLINK(1)", 3001: '"a,=b"', 4999: "+86"}.get(i, "t")
        lines.append(f"tmall,2022-11-11,{title}")
    path = tmp_path / "long.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("batch", str(path), "-s", "livestream", "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    titles = [r[2] for r in rows[1:]]
    assert titles[3000] == "'=HYPERLINK(1)"
    assert titles[10] == "-12.5" and titles[3001] == "a,=b" and titles[4999] == "+86"
    assert titles.count("t") == 4996 and len(rows) == 5001
    raw = run("batch", str(path), "-s", "livestream", "--format", "csv", "--raw-cells")
    assert list(csv.reader(io.StringIO(raw.stdout, newline="")))[3001][2] == "=HYPERLINK(1)"


@pytest.mark.subprocess
@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl"])
def test_an_endless_line_is_refused_not_read_into_memory(tmp_path, fmt):
    """/dev/zero never ends a line: it was read on until the machine ran out of memory (6 GB
    in 6 seconds). Now a line stops being read at 32 MiB, under a 512 MiB limit."""
    import subprocess
    import sys

    out = tmp_path / "out.csv"
    out.write_text("precious\n")
    code = (
        "import resource, sys;"
        "resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20));"
        "from linkcheck.cli import main; main()"
    )
    args = ["batch", "/dev/zero", "--input-format", fmt, "--on", "2022-11-11", "-o", str(out)]
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "a line runs past 33,554,432 characters without a line end" in proc.stderr
    assert "Traceback" not in proc.stderr and out.read_text() == "precious\n"


@pytest.mark.subprocess
def test_an_endless_line_on_stdin_is_not_copied_to_disk_for_ever(tmp_path):
    """JSON Lines from a pipe is copied to be read twice; a line that never ends stops the
    copy (it filled the temporary folder)."""
    import subprocess
    import sys

    code = "from linkcheck.cli import main; main()"
    args = ["batch", "-", "--input-format", "jsonl", "--on", "2022-11-11"]
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    written = 0
    try:
        for _ in range(300):  # 300 MiB, more than the 128 MiB the copy may take
            proc.stdin.write(b"\0" * (1 << 20))
            written += 1
        proc.stdin.close()
    except BrokenPipeError:
        pass
    err = proc.stderr.read().decode()
    assert written < 200  # the copy stopped: the rest was never read
    assert proc.wait(timeout=60) == 2, err
    assert "a line runs past 33,554,432 characters without a line end" in err


@pytest.mark.parametrize("fmt, ending", [("csv", ""), ("csv", "\r"), ("jsonl", "")])
def test_a_line_longer_than_the_limit_is_refused_and_one_as_long_is_read(
    run, tmp_path, monkeypatch, fmt, ending
):
    from linkcheck.batch import readers

    monkeypatch.setattr(readers, "MAX_LINE", 2000)
    monkeypatch.setattr(readers, "_BLOCK", 100)  # the line arrives in many reads
    head = "source,title\n" if fmt == "csv" else ""
    row = "tmall," if fmt == "csv" else '{"source": "tmall", "title": "'
    tail = "\n" if fmt == "csv" else '"}\n'
    fits = row + "x" * (2000 - len(row) - len(tail)) + tail
    path = tmp_path / f"long.{fmt}"
    path.write_text(head + fits + fits, encoding="utf-8", newline="")
    ok = run("batch", str(path), "--on", "2022-11-11", "-s", "livestream", "--format", "csv")
    assert ok.exit_code == 0 and ok.stdout.count("allowed") == 2, ok.stderr
    path.write_text(head + fits + row + "x" * 2001 + ending, encoding="utf-8", newline="")
    out = tmp_path / "out.csv"
    result = run("batch", str(path), "--on", "2022-11-11", "-o", str(out))
    assert_clean_error(result, "a line runs past 2,000 characters without a line end")
    assert not out.exists()  # the rows before it are not left half written
