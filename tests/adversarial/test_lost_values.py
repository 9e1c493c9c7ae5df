"""Tracebacks and lost values (issue 22): each input that gave a traceback or dropped a
value without a word, with the exact outcome it has now."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from ..helpers import assert_clean_error

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
        "Error: input 'bad.xlsx': the first sheet is malformed after row 3 (ValueError: "
        "invalid literal for int() with base 10: 'abc')\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx"]  # no output
