"""Tracebacks and lost values (issue 22): each input that gave a traceback or dropped a
value without a word, with the exact outcome it has now."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from ..helpers import assert_clean_error, open_record

BIG = "9" * 5000  # past Python's 4,300-digit limit for int()


def test_a_rules_file_integer_of_5000_digits_is_a_clean_error(run, tmp_path):
    path = tmp_path / "big.toml"
    path.write_text(f"schema = 1\n\n[horizon.kuaishou]\nas_of = 2022-10-28\nposition = {BIG}\n")
    result = run("check", "tmall", "--rules", str(path), ok=False)
    assert_clean_error(result)
    assert result.stderr == (
        f"Error: {path}: line 5: invalid TOML: an integer of more than 4,300 digits; no rules "
        "file value needs one\n"
    )
    linted = run("rules", "lint", str(path), ok=False)
    assert linted.exit_code == 1
    assert linted.stdout.splitlines()[0] == (
        f"error: {path}: line 5: invalid TOML: an integer of more than 4,300 digits; no rules "
        "file value needs one"
    )


def test_a_4300_digit_integer_is_shown_cut_in_a_message(run, tmp_path):
    """Under the limit the integer reads, and the message that quotes it shows its head."""
    path = tmp_path / "schema.toml"
    path.write_text("schema = " + "9" * 4300 + "\n")
    result = run("rules", "lint", str(path), ok=False)
    assert result.exit_code == 1
    error = result.stdout.split("\n" + str(path) + ":")[0]
    assert "unsupported schema" in error and "this\n  linkcheck reads schema = 1" in error
    assert 200 < error.count("9") < 240  # the field cut to 240 characters (i18n.FIELD_LIMIT)


SURROGATE_ROWS = (
    '{"source": "tmall", "title": "a\\ud800b", "date": "2022-11-11"}\n'
    '{"source": "tmall", "title": "ok", "date": "2022-11-11"}\n'
)
SURROGATE_NOTE = (
    "column 2 holds a lone surrogate (a JSON \\ud800 … \\udfff escape that is no character), "
    "which UTF-8 text and workbooks cannot hold (shown escaped here); not checked: write jsonl "
    "or json to keep this row whole"
)


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_a_lone_surrogate_survives_in_json(run, fmt):
    result = run("batch", "-", "--input-format", "jsonl", "--format", fmt, "-s", "livestream",
                 input=SURROGATE_ROWS)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert '"title": "a\\ud800b"' in result.stdout
    objects = (
        json.loads(result.stdout)
        if fmt == "json"
        else [json.loads(line) for line in result.stdout.splitlines()]
    )
    assert [o["title"] for o in objects] == ["a\ud800b", "ok"]
    assert [o["verdict"] for o in objects] == ["allowed", "allowed"]


@pytest.mark.parametrize("fmt, delimiter", [("csv", ","), ("tsv", "\t")])
def test_a_lone_surrogate_in_csv_is_an_error_row_saying_why(run, fmt, delimiter):
    result = run("batch", "-", "--input-format", "jsonl", "--format", fmt, "-s", "livestream",
                 input=SURROGATE_ROWS, ok=False)  # fmt: skip
    assert result.exit_code == 1, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout, newline=""), delimiter=delimiter))
    assert rows[1] == ["tmall", "a\\ud800b", "2022-11-11", "", "error", "", "", SURROGATE_NOTE]
    assert rows[2][:5] == ["tmall", "ok", "2022-11-11", "livestream", "allowed"]
    assert "results: allowed 1 · denied 0 · unknown 0 · error 1" in result.stderr


def test_a_lone_surrogate_in_a_workbook_is_an_error_row_saying_why(run, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "out.xlsx"
    result = run("batch", "-", "--input-format", "jsonl", "-o", str(out), "-s", "livestream",
                 input=SURROGATE_ROWS, ok=False)  # fmt: skip
    assert result.exit_code == 1, result.stderr
    rows = list(openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert rows[1][:5] == ("tmall", "a\\ud800b", "2022-11-11", None, "error")
    assert rows[1][7] == SURROGATE_NOTE
    assert rows[2][4] == "allowed"


def test_a_lone_surrogate_on_the_terminal_table_is_shown_escaped(run):
    result = run("batch", "-", "--input-format", "jsonl", "--format", "table", "-s", "livestream",
                 "--color", "never", input=SURROGATE_ROWS)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "a\\ud800b" in result.stdout


DUPLICATED = (
    '{"source": "tmall", "source": "jd-self", "date": "2022-11-11"}\n'
    '{"source": "tmall", "x": {"a": 1, "a": [2], "a": "three"}}\n'
    '{"source": "tmall", "date": "2022-11-11"}\n'
)


def test_duplicate_keys_are_an_error_row_quoting_every_value(run):
    """SPEC §7b: nothing lost — the note quotes each value of the key named twice; the
    object is written back (a JSON object holds the last value)."""
    result = run("batch", "-", "--input-format", "jsonl", "-s", "livestream",
                 input=DUPLICATED, ok=False)  # fmt: skip
    assert result.exit_code == 1
    first, second, third = (json.loads(line) for line in result.stdout.splitlines())
    assert first == {
        "source": "jd-self", "date": "2022-11-11", "surface": "", "verdict": "error",
        "rule": "", "next_change": "",
        "note": 'line 1 names the key "source" twice ("tmall", "jd-self"): a JSON object names '
        "each key once, so which value is meant is unknown; not checked",
    }  # fmt: skip
    assert second["note"] == (
        'line 2 names the key "a" 3 times (1, [2], "three"): a JSON object names each key '
        "once, so which value is meant is unknown; not checked"
    )
    assert third["verdict"] == "allowed"


def test_duplicate_keys_in_csv_output(run):
    result = run("batch", "-", "--input-format", "jsonl", "--format", "csv", "-s", "livestream",
                 input=DUPLICATED, ok=False)  # fmt: skip
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert rows[1][:5] == ["jd-self", "2022-11-11", "", "", "error"]
    assert rows[1][-1].startswith('line 1 names the key "source" twice ("tmall", "jd-self")')


@pytest.mark.parametrize("line", [",,,", ",,,,,,", " , ,\t,", '"","",""'])
def test_a_row_of_empty_cells_longer_than_the_header_is_skipped(run, line):
    """README: a fully empty row (a blank line, `,,,`, …) is skipped and counted."""
    data = f"a,b,source\n{line}\n,,tmall\n"
    result = run("batch", "-", "-s", "livestream", "--on", "2022-11-11", input=data)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        ",,tmall,livestream,allowed,kuaishou-2022-tmall-window,2023-01-01T00:00:00+08:00 unknown,"
    ]
    assert result.stderr.splitlines()[-1] == (
        "1 result: allowed 1 · denied 0 · unknown 0 · error 0 (1 empty row skipped)"
    )


LONG = "k" * 100_000


@pytest.mark.parametrize(
    "args, data, fragment",
    [
        (("batch", "-", "--input-format", "jsonl"), json.dumps({LONG: 1}) + "\n",
         "no source or url column among: kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk..."),
        (("batch", "-", "--source-column", LONG), "a,b\n1,2\n", "--source-column 'kkkk"),
        (("batch", "-", "--fail-on", LONG), "source\ntmall\n", "--fail-on"),
        (("batch", "-", "--source-column", "1", "--url-column", "1"), f"{LONG},b\n1,2\n",
         "both name column 1 ('kkkk"),
        (("check", LONG), None, "unknown source 'kkkk"),
        (("check", "tmall", "--on", LONG), None, "kkkk"),
    ],
    ids=["jsonl key", "--source-column", "--fail-on", "shared column", "source", "--on"],
)  # fmt: skip
def test_error_messages_are_cut(run, args, data, fragment):
    """A 100,000-character value never makes a 100 KB line: at most a few hundred."""
    result = run(*args, input=data, ok=False)
    assert result.exit_code == 2
    assert fragment in result.stderr
    assert max(len(line) for line in result.stderr.splitlines()) < 400, result.stderr


@pytest.mark.parametrize(
    "args",
    [("batch", "-", "-o", ""), ("timeline", "--format", "json", "-o", ""),
     ("rules", "export", "-o", "")],
    ids=["batch", "timeline", "rules export"],
)  # fmt: skip
def test_an_empty_output_name_is_refused(run, args):
    result = run(*args, input="source\ntmall\n", ok=False)
    assert_clean_error(
        result,
        "output '' is an empty file name; give a file name, or leave out -o for stdout",
    )


def _linkcheck(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "linkcheck", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


@pytest.mark.subprocess
def test_a_full_disk_under_a_workbook_says_one_line(tmp_path):
    """`-o /dev/full` with xlsx: the error, and no "Exception ignored … Traceback" after it
    (openpyxl's archive, left open, wrote again when it was collected)."""
    (tmp_path / "list.csv").write_text("source\ntmall\n")
    done = _linkcheck("batch", "list.csv", "-o", "/dev/full", "--format", "xlsx", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == "Error: cannot write output '/dev/full': No space left on device\n"


@pytest.mark.subprocess
def test_a_workbook_malformed_part_way_into_a_workbook_says_one_line(tmp_path):
    """The rows written so far go to openpyxl's own temporary file: it is ended and removed
    with the run, not collected later into a closed file."""
    openpyxl = pytest.importorskip("openpyxl")
    import zipfile

    book = openpyxl.Workbook()
    for row in (["source", "date"], ["tmall", "2022-11-11"], ["tmall", "2022-11-11"]):
        book.active.append(row)
    plain = io.BytesIO()
    book.save(plain)
    path = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(plain) as original, zipfile.ZipFile(path, "w") as out:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b'<row r="9"><c r="A9" t="n"><v>abc</v>'
                                    b"</c></row></sheetData>")  # fmt: skip
            out.writestr(info, data)
    done = _linkcheck("batch", "bad.xlsx", "-o", "out.xlsx", "-s", "livestream", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == (
        "Error: input 'bad.xlsx': the sheet is malformed after row 3 (its content is "
        "not as a workbook's: invalid literal for int() with base 10: 'abc')\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx"]  # no output
    # a sheet cut short: said in words, not as Python's 'ParseError' (a new user's trial)
    with zipfile.ZipFile(plain) as original, zipfile.ZipFile(path, "w") as out:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: data.index(b"</sheetData>") - 20]
            out.writestr(info, data)
    done = _linkcheck("batch", "bad.xlsx", "-o", "out.xlsx", "-s", "livestream", cwd=tmp_path)
    assert done.returncode == 2
    assert "(its XML is broken: " in done.stderr, done.stderr
    assert "Error" not in done.stderr.split(":", 1)[1], done.stderr  # no ParseError, no …Error


# A quote that opens a cell and never closes made csv read the rest of the file as that one
# cell: 99,950 rows of 100,000 were gone, the summary counted the 50 before it, exit 0
# (a quoted cell over 32 MiB was refused; one under it was not).
NEVER_CLOSES = (
    "Error: input '{name}': the row on line 51 opens a quoted cell that never closes: the "
    "file ends inside it (line 301), and lines 51 to 301 would be read as one row. A stray "
    "quote? Close it, or take it out\n"
)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_quote_that_never_closes_refuses_the_file_naming_its_line(run, tmp_path, engine):
    if engine == "duckdb":
        pytest.importorskip("duckdb")
    rows = ["source,date,title"] + [f"tmall,2022-11-{i % 28 + 1:02d},t{i}" for i in range(300)]
    rows[50] = 'tmall,2022-11-11,"title'  # in a column linkcheck does not read
    path = tmp_path / "checklist.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "checked.csv"
    out.write_text("yesterday's answers\n")
    done = run("batch", str(path), "-o", str(out), "--engine", engine)
    assert done.exit_code == 2
    error = NEVER_CLOSES.format(name=path)
    if engine == "duckdb":  # it says why it did not read the file, then the error
        assert done.stderr == (
            "engine duckdb: line 51 opens a quoted cell that never closes; checked by the "
            "Python engine\n" + error
        )
    else:
        assert done.stderr == error
    assert out.read_text() == "yesterday's answers\n"  # nothing written over
    zh = run("--lang", "zh", "batch", str(path), "-o", str(out), "--engine", "python")
    assert zh.stderr == (
        f"错误：输入 '{path}'：第 51 行的带引号单元格一直没有闭合：文件在这个单元格里结束（第 301 "
        "行），第 51 到 301 行会被读成同一行。是多余的引号吗？请补上引号，或删掉它\n"
    )


@pytest.mark.parametrize(
    ("data", "line", "last"),
    [
        ('source,date\ntmall,"2022-11-11\n', 2, 2),  # the last line, its line end in the cell
        ('source,date\ntmall,"2022-11-11', 2, 2),  # no line end at all
        ('source,date\r\ntmall,"2022\r\n11-11\r\ntmall,x\r\n', 2, 4),  # CRLF
        ('source\tdate\ntmall\t"a""\nb\n', 2, 3),  # TSV; a doubled quote is no close
        ('source,date\ntmall,"a\nb",c,"\nd\n', 2, 4),  # a closed cell, then an open one
        ('source,date\ntmall,2022-11-11\ntmall,"a\r\rb', 3, 5),  # lone CRs end lines too
        ('"source,date\ntmall,2022-11-11\n', 1, 2),  # the header row itself
        ('双11选品表\n\nsource,date\n"tmall\n', 4, 4),  # within the header search
    ],
)
def test_the_row_that_opens_the_quote_is_named(run, tmp_path, data, line, last):
    fmt = ["--input-format", "tsv"] if "\t" in data else []
    out = tmp_path / "out.csv"
    done = run("batch", "-", *fmt, "-o", str(out), input=data.encode())
    if line == last:
        why = f"the last row, on line {line}, opens a quoted cell that never closes: the file "
        why += "ends inside it."
    else:
        why = f"the row on line {line} opens a quoted cell that never closes: the file ends "
        why += f"inside it (line {last}), and lines {line} to {last} would be read as one row."
    assert_clean_error(done, "Error: input 'stdin': " + why)
    assert not out.exists()
    assert open_record(data, "\t" if fmt else ",") == (line, last)  # the reference agrees


@pytest.mark.parametrize(
    "data",
    [
        'source,title\ntmall,"a\nb"',  # closed on the last line, no line end
        'source,title\ntmall,""',
        'source,title\ntmall,"a""b"\n',
        'source,title\ntmall,x"y\n',  # a quote inside a bare cell is a character
        'source,title\ntmall,"a"b"c\n',  # text after a closing quote joins the cell
        "source,title\ntmall,t\n\n\n",
    ],
)
def test_every_closed_last_row_is_answered(run, data):
    done = run("batch", "-", "-s", "livestream", "--on", "2022-11-11", input=data)
    assert done.exit_code == 0, done.stderr
    assert done.stdout.count(",livestream,allowed,") == 1
    assert open_record(data, ",") is None


# A quote that opened a cell and a stray one further down took the rows between them into
# that cell: 20 rows were gone without a word (exit 0, the counts short by 40).
def _pair(tmp_path, text_first='"限时 t50', text_last='t70"', fmt="csv", at=50):
    d = "," if fmt == "csv" else "\t"
    rows = [d.join(["source", "date", "title"])]
    rows += [d.join(["tmall", f"2022-11-{i % 28 + 1:02d}", f"t{i}"]) for i in range(1, 301)]
    rows[at] = d.join(["tmall", "2022-11-11", text_first])  # line 51
    rows[at + 20] = d.join(["tmall", "2022-11-11", text_last])  # line 71
    path = tmp_path / f"pair.{fmt}"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


TAKEN_IN = (
    "warning: the row on lines 51 to 71 has a quoted cell holding 20 lines that read as rows "
    "of this file; they were read as that one cell, not answered (a stray quote?)"
)


@pytest.mark.parametrize("at", [50, 80], ids=["in-the-rows-read-first", "after-them"])
@pytest.mark.parametrize("engine", ["auto", "python", "duckdb"])
def test_rows_taken_into_a_quoted_cell_are_warned_of_by_every_engine(run, tmp_path, engine, at):
    if engine == "duckdb":
        pytest.importorskip("duckdb")
    path = _pair(tmp_path, at=at)
    out = tmp_path / "out.csv"
    done = run("batch", str(path), "-o", str(out), "--engine", engine, "--on", "2022-11-11")
    assert done.exit_code == 0, done.stderr
    lines = done.stderr.replace("\n  ", " ").splitlines()
    # once: past the 50 rows read before an engine is chosen it was said twice (a user's trial)
    taken = TAKEN_IN.replace("51 to 71", f"{at + 1} to {at + 21}")
    assert lines.count(taken) == 1, done.stderr
    assert lines[-1] == "560 results: allowed 560 · denied 0 · unknown 0 · error 0"
    if engine == "duckdb":
        assert lines[0] == (
            f"engine duckdb: line {at + 1} has a quoted cell holding lines that read as rows (a "
            "stray quote?); checked by the Python engine"
        )
    python = run("batch", str(path), "--engine", "python", "--on", "2022-11-11")
    assert out.read_text(encoding="utf-8") == python.stdout  # the same bytes


@pytest.mark.parametrize("output", ["out.jsonl", "out.xlsx", "out.tsv"])
def test_every_output_and_tsv_input_warn_of_them(run, tmp_path, output):
    for fmt in ("csv", "tsv"):
        path = _pair(tmp_path, fmt=fmt)
        done = run("batch", str(path), "-o", str(tmp_path / output), "--on", "2022-11-11")
        assert TAKEN_IN in done.stderr.replace("\n  ", " "), done.stderr
    zh = run("--lang", "zh", "batch", str(path), "-o", str(tmp_path / output))
    assert "警告：第 51 到 71 行是同一行，其中带引号的单元格里有 20 行读起来像是这个文件的行" in (
        zh.stderr.replace("\n  ", "")
    )


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_an_extra_cell_taking_in_a_row_is_warned_of_in_every_output(run, tmp_path, engine):
    """A row longer than the header whose extra cell holds a line that reads as a row: the
    warning came with TSV out and not with CSV out (the row's own line path showed the cells
    cut to the header's width), and so the DuckDB engine's fallback (which read it ahead)
    said more than the Python engine (a new user's trial)."""
    if engine == "duckdb":
        pytest.importorskip("duckdb")
    path = tmp_path / "extra.csv"
    path.write_text('来源,日期\ntmall,2022-11-11,"a\n,"\ntmall,2022-11-12\n', encoding="utf-8")
    said = {}
    for fmt in ("csv", "tsv"):
        done = run("batch", str(path), "--format", fmt, "--on", "2022-11-11", "--fail-on",
                   "never", "--engine", engine)  # fmt: skip
        said[fmt] = [line for line in done.stderr.replace("\n  ", " ").splitlines()
                     if line.startswith("warning:")]  # fmt: skip
    assert (
        said["csv"]
        == said["tsv"]
        == [
            "warning: the row on lines 2 to 3 has a quoted cell holding 1 line that reads as a row "
            "of this file; it was read as part of that cell, not answered (a stray quote?)"
        ]
    )


def test_a_cell_of_several_lines_of_its_own_is_no_warning(run, tmp_path):
    # an address or a description over lines: its lines hold fewer delimiters than a row
    path = _pair(tmp_path, '"浙江省, 杭州市\n余杭区\n\n文一西路 969 号"', "t70")
    done = run("batch", str(path), "-o", str(tmp_path / "o.csv"), "--engine", "auto")
    assert done.exit_code == 0 and "warning" not in done.stderr, done.stderr


def test_past_three_such_rows_the_rest_are_counted(run):
    rows = ["source,title"] + ['tmall,"a\ntmall,b"'] * 5 + ["tmall,c"]
    done = run("batch", "-", "-o", "/dev/null", input="\n".join(rows) + "\n")
    lines = done.stderr.replace("\n  ", " ").splitlines()
    taken = [line for line in lines if line.startswith("warning:")]
    assert taken == [
        *(f"warning: the row on lines {n} to {n + 1} has a quoted cell holding 1 line that "
          "reads as a row of this file; it was read as part of that cell, not answered (a "
          "stray quote?)" for n in (2, 4, 6)),
        "warning: 2 more rows like it",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("cells", "width", "found"),
    [
        (["a", "b\nc,d"], 2, 1),
        (["a", "b\nc"], 2, 0),  # no delimiter: not a row of two cells
        (["a\r\nx,y,z", "b\rc,d,e\n"], 3, 2),  # every line end; an empty line is none
        (["1", "a\n3,tmall,2022-11-11\n4,pdd"], 4, 2),  # rows short of their last cells
        (["1", "a\n3,jd-self\n4,taobao\n5,pdd"], 4, 3),
        (["1", "a\nx,y\nz"], 3, 1),
        (["1", "浙江省, 杭州市\n余杭区\n\n文一西路 969 号"], 3, 0),  # an address: no row
        (["a\nb"], 1, 1),  # one column: any line is a row
        (["a\n\n"], 1, 0),
        (["plain", "cells"], 2, 0),
    ],
)
def test_rows_within(cells, width, found):
    from linkcheck.batch.csvshape import rows_within

    assert rows_within(cells, ",", width) == found


def test_two_links_joined_in_one_cell_are_an_error_row_after_the_first_alone(run):
    # the Tmall link alone was answered for the cell, the JD or Pinduoduo one ignored: and a
    # cell that starts as a link already answered took that answer from the cache
    data = (
        "sku,链接\n"
        "1,https://detail.tmall.com/item.htm?id=1\n"
        "2,https://detail.tmall.com/item.htm?id=1、https://mobile.yangkeduo.com/goods.html?goods_id=1\n"
        '3,"https://detail.tmall.com/item.htm?id=1,https://item.jd.com/2.html"\n'
        "4,https://detail.tmall.com/item.htm?id=1、item.jd.com/2.html\n"  # the second bare
    )
    done = run("batch", "-", "-s", "livestream", "--on", "2022-11-11", "--format", "csv",
               input=data)  # fmt: skip
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert [r[3] for r in rows[1:]] == ["allowed", "error", "error", "error"]
    assert rows[2][-1].startswith("'https://detail.tmall.com/item.htm?id=1、https://mobile.y")
    assert all("holds 2 links" in row[-1] for row in rows[2:])


def test_a_cell_past_the_cell_bound_is_said_to_be_one_not_in_csvs_words(run, monkeypatch):
    # a stray quote early in a big file: "is not readable CSV: field larger than field limit
    # (16777216)", in English in Chinese too, naming no line
    from linkcheck.batch import readers

    monkeypatch.setattr(readers, "_MAX_CELL", 100)
    data = 'source,note\ntmall,"oops\n' + "tmall,x\n" * 40
    done = run("batch", "-", "-o", "/dev/null", input=data)
    assert done.exit_code == 2
    assert done.stderr == (
        "Error: input 'stdin': a cell runs past 100 characters by line 14: a quoted cell that "
        "does not close (a stray quote?), or a cell longer than a checklist's\n"
    )
    zh = run("--lang", "zh", "batch", "-", "-o", "/dev/null", input=data)
    assert "读到第 14 行时，一个单元格已超过 100 个字符：可能是带引号的单元格没有闭合" in zh.stderr


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_date_said_from_today_notes_the_date_it_was_read_as(tmp_path, engine):
    """今晚8点, today, +3d, next friday in a checklist were answered for a day no output
    named: a run on another day answered otherwise without a word (a new user's trial)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from linkcheck.batch.run import ChecklistOptions, run_checklist

    if engine == "duckdb":
        pytest.importorskip("duckdb")
    now = datetime(2022, 11, 10, 23, 30, tzinfo=ZoneInfo("UTC"))  # Nov 11 in Shanghai
    path = tmp_path / "rel.csv"
    path.write_text("source,date\ntmall,今晚8点\ntmall,today\ntmall,+3d\ntmall,下周五\n"
                    "tmall,2022-11-11\ntmall,2022-01-31 +1m\n", encoding="utf-8")  # fmt: skip
    out = tmp_path / "out.csv"
    run_checklist(path, out, options=ChecklistOptions(now=now, surfaces=("livestream",),
                                                      engine=engine))  # fmt: skip
    notes = [row[-1] for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8")))][1:]
    said = "the date is said from today: read as "
    assert notes == [
        said + "2022-11-11 20:00",
        said + "2022-11-11",
        said + "2022-11-14",
        said + "2022-11-18",
        "",  # a date of its own, or a step from one: no note
        "",
    ]


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_an_input_changed_while_it_is_read_is_refused_and_no_output_kept(
    run, tmp_path, monkeypatch, kind
):
    """A CSV truncated while it was read gave its half row as two error rows, and a JSON
    Lines file rewritten between its two reads an output of its header alone — each with
    exit 0 (a trial). Here a line is appended while the rows are answered: exit 2, saying
    so, and -o keeps nothing; the same file left alone is answered."""
    from linkcheck.batch import run as batch_run

    path = tmp_path / f"list.{kind}"
    if kind == "csv":
        path.write_text("source,date\n" + "tmall,2022-11-11\n" * 50, encoding="utf-8")
        line = "jd-self,2022-11-11\n"
    else:
        path.write_text('{"source": "tmall", "date": "2022-11-11"}\n' * 50, encoding="utf-8")
        line = '{"source": "jd-self", "date": "2022-11-11"}\n'
    out = tmp_path / "out.csv"
    assert run("batch", str(path), "-o", str(out), "--fail-on", "never").exit_code == 0
    out.unlink()
    names = ("check_lines", "check_rows")
    real = {name: getattr(batch_run, name) for name in names}

    def appending(name):
        def answer(*args, **kwargs):
            with open(path, "a", encoding="utf-8") as f:
                f.write(line)
            return real[name](*args, **kwargs)

        return answer

    for name in names:
        monkeypatch.setattr(batch_run, name, appending(name))
    result = run("batch", str(path), "-o", str(out), "--fail-on", "never")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        f"input '{path}': it changed while it was read: its rows are not one file's; run "
        "again once it is no longer being written\n"
    )
    assert not out.exists()
