"""`linkcheck batch`: formats, encodings, columns, error rows, exit codes, safety, streaming."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys

import pytest

import linkcheck

from .helpers import ROOT, assert_clean_error

HEADER = "sku,来源,商品链接,日期,title\n"
ROWS = (
    '1,tmall,,2022-11-11,"A, ""quoted"" 标题"\n'
    "2,,https://item.jd.com/100012043978.html,2022-11-11,jd link\n"
    "3,tmal,,2022-11-11,typo\n"
    "4,jd-self,,2022-06-01,closed\n"
)
APPENDED = ["surface", "verdict", "rule", "next_change", "note"]


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_to_csv_with_chinese_headers_and_pass_through(run, write):
    path = write("list.csv", HEADER + ROWS)
    result = run("batch", path, "-s", "livestream")
    assert result.exit_code == 1  # a denied and an error row
    rows = csv_rows(result.stdout)
    assert rows[0] == ["sku", "来源", "商品链接", "日期", "title", *APPENDED]
    assert rows[1] == [
        "1",
        "tmall",
        "",
        "2022-11-11",
        'A, "quoted" 标题',
        "livestream",
        "allowed",
        "kuaishou-2022-tmall-window",
        "2023-01-01T00:00:00+08:00 unknown",
        "",
    ]
    # jd-pop is disputed (unknown) and jd-self allowed: unknown, and still unknown once the
    # jd-self window ends, so no change ahead
    assert rows[2][5:9] == ["livestream", "unknown", "", ""]
    assert "jd-self allowed, jd-pop unknown" in rows[2][9]
    assert rows[3][5:8] == ["livestream", "error", ""]
    assert "unknown source 'tmal'" in rows[3][9] and "did you mean 'tmall'" in rows[3][9]
    assert rows[4][5:8] == ["livestream", "denied", "kuaishou-2022-03-cutoff"]
    assert "4 results: allowed 1 · denied 1 · unknown 1 · error 1" in result.stderr


def test_each_row_is_written_once_per_surface_in_order(run, write):
    path = write("list.csv", "source,surface\ntmall,\njd-self,直播、短视频、商家详情页\n")
    rows = csv_rows(run("batch", path, "--on", "2022-11-11").stdout)
    assert [(r[0], r[2], r[3]) for r in rows[1:]] == [
        ("tmall", "livestream", "allowed"),
        ("tmall", "short-video", "allowed"),
        ("jd-self", "livestream", "allowed"),
        ("jd-self", "short-video", "allowed"),
        ("jd-self", "merchant-page", "unknown"),
    ]


def test_columns_already_named_like_the_appended_ones(run, write):
    path = write("x.csv", "source,verdict,note\ntmall,mine,keep me\n")
    rows = csv_rows(run("batch", path, "--on", "2022-11-11", "-s", "livestream").stdout)
    assert rows[0] == ["source", "verdict", "note", *APPENDED]
    assert rows[1][:3] == ["tmall", "mine", "keep me"]
    assert rows[1][4] == "allowed"
    doc = json.loads(
        run("batch", path, "--on", "2022-11-11", "-s", "livestream", "--format", "json").stdout
    )
    assert doc == [
        {
            "source": "tmall",
            "verdict_input": "mine",
            "note_input": "keep me",
            "surface": "livestream",
            "verdict": "allowed",
            "rule": "kuaishou-2022-tmall-window",
            "next_change": "2023-01-01T00:00:00+08:00 unknown",
            "note": "",
        }
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_input_encodings_are_detected(run, write, encoding):
    path = write("list.csv", HEADER + ROWS, encoding)
    out = run("batch", path, "-s", "livestream").stdout
    # the output keeps the input's way: a BOM for what a spreadsheet program saved
    assert out.startswith("\ufeff") is (encoding != "utf-8")
    rows = csv_rows(out.lstrip("\ufeff"))
    assert rows[0][:2] == ["sku", "来源"]
    assert rows[1][4] == 'A, "quoted" 标题'


def test_encoding_can_be_forced_and_a_wrong_one_is_an_error(run, write):
    path = write("list.csv", HEADER + ROWS, "gb18030")
    assert csv_rows(run("batch", path, "--encoding", "gb18030").stdout)[0][1] == "来源"
    assert_clean_error(run("batch", path, "--encoding", "utf-8"), "not valid utf-8", "--encoding")
    assert_clean_error(run("batch", path, "--encoding", "klingon"), "unknown encoding 'klingon'")


@pytest.mark.parametrize("encoding", [None, "gbk", "cp936", "gb18030", "gb2312"])
def test_windows_gbk_reads_its_euro_sign(run, write, encoding):
    """Chinese Excel saves a CSV in Windows' code page 936, which writes € as the byte 0x80
    that GBK and GB18030 lack: such a file was 'cannot tell the text encoding', and with
    --encoding gbk 'not valid gbk text (byte 0x80)' (a new user's trial). Another byte that
    is not GBK is still named."""
    data = "来源,日期,商品名称\r\n天猫,2022-11-11,欧洲进口".encode("gbk") + b"\x809.9\r\n"
    path = write("list.csv", data)
    options = ("--encoding", encoding) if encoding else ()
    result = run("batch", path, "-s", "livestream", *options)
    assert result.exit_code == 0, result.stderr
    assert csv_rows(result.stdout)[1][:4] == ["天猫", "2022-11-11", "欧洲进口€9.9", "livestream"]
    broken = write("broken.csv", data.replace(b"\x80", b"\xff"))
    assert_clean_error(run("batch", broken, "-s", "livestream", "--encoding", "gbk"),
                       "broken.csv' is not valid gbk text (byte 0xff on line 2)")  # fmt: skip
    # detected, the byte and its line are named too (a third trial: 'cannot tell' alone)
    assert_clean_error(run("batch", broken, "-s", "livestream"),
                       "cannot tell the text encoding: not UTF-8, nor GB18030 (byte 0xff on "
                       "line 2); pass --encoding")  # fmt: skip


def test_utf8_with_one_stray_byte_is_named_as_broken_utf8_not_read_as_gb18030(run, write):
    """Found by the engine fuzzer: a space inside 天猫's UTF-8 bytes made the sample invalid
    UTF-8, so the file was read as GB18030 — 天猫 came out as 澶╃尗 in every row up to the
    broken byte, then the run stopped there."""
    broken = "天猫".encode()[:2] + b" " + "天猫".encode()[2:]
    data = b"source,name\r\n" + "tmall,天猫天猫天猫天猫天猫\r\n".encode() + b"tmall," + broken
    path = write("list.csv", data + b"\r\n")
    result = run("batch", path, "-s", "livestream", "--on", "2022-11-11")
    assert_clean_error(result, "list.csv' is not valid utf-8 text (byte 0xe5 on line 3)",
                       "--encoding")  # fmt: skip
    assert "澶" not in result.stdout


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_byte_not_of_the_encoding_far_into_a_file_is_named_with_its_line(run, write, engine):
    """A cell pasted from a GBK file into a UTF-8 one past the start the encoding is told
    from: the error names the line to look at (it named the byte alone: a trial); from
    a pipe, the byte alone."""
    data = b"source,date\r\n" + b"tmall,2022-11-11\r\n" * 70_000
    data += "天猫".encode("gbk") + b",2022-11-11\r\n"
    path = write("list.csv", data)
    result = run("batch", path, "-o", path + ".out", "--engine", engine)
    assert_clean_error(result, "list.csv' is not valid utf-8 text (byte 0xcc on line 70,002); "
                               "pass --encoding (utf-8, gb18030 …)")  # fmt: skip
    # Excel's "CSV UTF-8" (a byte-order mark): utf-8 to the user, not Python's utf-8-sig
    marked = write("marked.csv", b"\xef\xbb\xbf" + data)
    said = "marked.csv' is not valid utf-8 text (byte 0xcc on line 70,002)"
    assert_clean_error(run("batch", marked, "-o", path + ".out"), said)
    # a pipe, read once, is not read again to find the line: the byte alone
    from linkcheck.batch.run import _bad_line

    class Pipe(io.BytesIO):
        def seekable(self) -> bool:
            return False

    assert _bad_line(Pipe(data), "utf-8") is None
    assert _bad_line(io.BytesIO(data), "utf-8") == 70_002


@pytest.mark.parametrize(
    "text",
    ["来源,日期\n天猫,2022-11-11\n", "来源,商品\n" + "京东自营,保温杯 500ml 双层真空\n" * 50],
    ids=["short", "long"],
)
def test_gb18030_text_is_still_read_as_gb18030(run, write, text):
    path = write("list.csv", text, "gb18030")
    with open(path, "rb") as f:
        assert linkcheck.batch.detect_encoding(f.read()) == "gb18030"
    result = run("batch", path, "-s", "livestream", "--on", "2022-11-11")
    assert csv_rows(result.stdout.lstrip("\ufeff"))[1][:2] == text.splitlines()[1].split(",")


def test_excel_flag_writes_a_bom(run, tmp_path, write):
    path = write("list.csv", HEADER + ROWS)
    out = tmp_path / "out.csv"
    assert run("batch", path, "-o", str(out), "--excel").exit_code == 1
    assert out.read_bytes().startswith(b"\xef\xbb\xbfsku,")
    plain = tmp_path / "plain.csv"
    run("batch", path, "-o", str(plain))
    assert plain.read_bytes().startswith(b"sku,")


def test_tsv_in_and_out(run, write):
    path = write("list.tsv", "source\tdate\ttitle\ntmall\t2022-11-11\ta,b\n")
    result = run("batch", path, "-s", "livestream")
    assert result.stdout.splitlines() == [
        "source\tdate\ttitle\t" + "\t".join(APPENDED),
        "tmall\t2022-11-11\ta,b\tlivestream\tallowed\tkuaishou-2022-tmall-window\t"
        "2023-01-01T00:00:00+08:00 unknown\t",
    ]


def test_jsonl_in_and_out_and_json_array(run, write):
    lines = [
        {"sku": 1, "source": "tmall", "date": "2022-11-11"},
        {"sku": 2, "url": "https://detail.tmall.com/item.htm?id=1", "date": "2022-10-27"},
        {"sku": 3, "source": "pdd", "date": "2022-11-11", "extra": "kept"},
    ]
    path = write("list.jsonl", "\n".join(json.dumps(x) for x in lines) + "\nnot json\n")
    result = run("batch", path, "-s", "livestream", "--fail-on", "never")
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    # every key of every object is read: the second object's url, the third's extra
    assert [o["verdict"] for o in out] == ["allowed", "denied", "unknown", "error"]
    assert out[0] == {**lines[0], "surface": "livestream", "verdict": "allowed",
                      "rule": "kuaishou-2022-tmall-window",
                      "next_change": "2023-01-01T00:00:00+08:00 unknown", "note": ""}  # fmt: skip
    assert out[2]["extra"] == "kept"
    assert "line 4 is not JSON" in out[3]["note"]
    array = json.loads(run("batch", path, "-s", "livestream", "--format", "json").stdout)
    assert [o["verdict"] for o in array] == ["allowed", "denied", "unknown", "error"]
    assert array[:3] == out[:3]
    table = csv_rows(run("batch", path, "-s", "livestream", "--format", "csv").stdout)
    assert table[0] == ["sku", "source", "date", "url", "extra", *APPENDED]


def test_stdin_is_csv(run):
    result = run("batch", "-", "--on", "2022-11-11", "-s", "livestream", input="source\n天猫\n")
    assert csv_rows(result.stdout)[1][:3] == ["天猫", "livestream", "allowed"]
    assert result.exit_code == 0


def test_xlsx_in_and_out(run, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from datetime import datetime

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["SKU", "来源", "日期", "价格"])
    sheet.append([101, "天猫", datetime(2022, 11, 11), 19.9])
    sheet.append([102, "京东自营", datetime(2022, 12, 1, 10, 30), 5.0])
    sheet.append([103, '=HYPERLINK("http://evil")', "2022-11-11", None])
    sheet["B4"].data_type = "s"  # text that looks like a formula, as a CSV import would leave it
    src = tmp_path / "list.xlsx"
    book.save(src)
    out = tmp_path / "checked.xlsx"
    result = run("batch", str(src), "-o", str(out), "-s", "livestream")
    assert result.exit_code == 1
    sheet = openpyxl.load_workbook(out).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("SKU", "来源", "日期", "价格", *APPENDED)
    # numbers stay numbers and dates stay dates
    assert rows[1][:7] == (
        101,
        "天猫",
        datetime(2022, 11, 11),
        19.9,
        "livestream",
        "allowed",
        "kuaishou-2022-tmall-window",
    )
    assert rows[2][2] == datetime(2022, 12, 1, 10, 30)
    assert rows[2][5] == "unknown"  # after Kuaishou's end date for JD self-operated: unclear
    # a text that looks like a formula is written as text (it never runs): no '
    assert rows[3][1] == '=HYPERLINK("http://evil")'
    assert sheet["B4"].data_type == "s"
    assert rows[3][3] is None  # an empty cell stays empty
    as_csv = run("batch", str(src), "-s", "livestream", "--fail-on", "never")
    assert csv_rows(as_csv.stdout)[1][5] == "allowed"


def test_xlsx_from_stdin(run, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["来源", "日期"])
    book.active.append(["tmall", "2022-11-11"])
    data = io.BytesIO()
    book.save(data)
    result = run("batch", "-", "--input-format", "xlsx", "-s", "livestream", input=data.getvalue())
    assert csv_rows(result.stdout)[1][2:4] == ["livestream", "allowed"]


def test_xlsx_without_openpyxl_names_it(run, tmp_path, write, monkeypatch):
    """openpyxl is a dependency (the README's first command installs it); an installation
    without it says what to install."""
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    path = write("list.xlsx", b"PK\x03\x04")
    assert_clean_error(
        run("batch", path), "reading .xlsx needs openpyxl, which is installed with linkcheck",
        "pip install openpyxl",
    )  # fmt: skip
    csv_path = write("list.csv", HEADER + ROWS)
    assert_clean_error(
        run("batch", csv_path, "-o", str(tmp_path / "o.xlsx")), "pip install openpyxl"
    )


def test_formula_cells_are_neutralised_unless_raw(run, write):
    data = "source,title,phone,price\ntmall,=1+2,+86 10 1234,-12.5\ntmall,@SUM(A1),+86,+3\n"
    path = write("f.csv", data)
    rows = csv_rows(run("batch", path, "--on", "2022-11-11", "-s", "livestream").stdout)
    assert rows[1][1:4] == ["'=1+2", "'+86 10 1234", "-12.5"]
    assert rows[2][1:4] == ["'@SUM(A1)", "+86", "+3"]
    raw = csv_rows(
        run("batch", path, "--on", "2022-11-11", "-s", "livestream", "--raw-cells").stdout
    )
    assert raw[1][1] == "=1+2"
    tabs = write("t.csv", 'source,title\ntmall,"\tx"\ntmall,"\ry"\n')
    rows = csv_rows(run("batch", tabs, "--on", "2022-11-11", "-s", "livestream").stdout)
    assert [r[1] for r in rows[1:]] == ["'\tx", "'\ry"]


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [
        (None, 1),
        ("denied,unknown,error", 1),
        ("denied", 0),
        ("unknown", 1),
        ("error", 0),
        ("allowed", 1),
        ("never", 0),
        ("DENIED, unknown", 1),
    ],
)
def test_fail_on(run, write, fail_on, code):
    path = write("l.csv", "source\ntmall\npdd\n")
    args = ["batch", path, "--on", "2022-11-11", "-s", "livestream"]
    if fail_on is not None:
        args += ["--fail-on", fail_on]
    assert run(*args).exit_code == code


def test_fail_on_rejects_unknown_words(run, write):
    path = write("l.csv", "source\ntmall\n")
    result = run("batch", path, "--fail-on", "denid")
    assert result.exit_code == 2
    assert "denid" in result.stderr and "never" in result.stderr


def test_only_allowed_exits_zero(run, write):
    path = write("l.csv", "source\ntmall\nkuaishou-shop\n")
    assert run("batch", path, "--on", "2022-11-11").exit_code == 0


@pytest.mark.parametrize(
    ("name", "data", "fragments"),
    [
        ("empty.csv", "", ["empty"]),
        ("nocols.csv", "sku,title\n1,x\n", ["no source or url column", "sku, title"]),
        ("bad.xlsx", "not a workbook", ["not a readable .xlsx"]),
        ("list.dat", "source\ntmall\n", ["cannot tell the format", "--input-format"]),
        ("binary.csv", bytes(range(256)) * 4, []),
    ],
)
def test_unreadable_inputs_exit_2(run, write, name, data, fragments):
    pytest.importorskip("openpyxl")
    path = write(name, data)
    assert_clean_error(run("batch", path), path if name != "binary.csv" else "", *fragments)


def test_a_cell_longer_than_the_csv_default_limit(run, write):
    link = "https://detail.tmall.com/item.htm?id=1&x=" + "a" * 300_000
    path = write("long.csv", f"url,date\n{link},2022-11-11\n")
    rows = csv_rows(run("batch", path, "-s", "livestream").stdout)
    assert rows[1][0] == link
    assert rows[1][3] == "allowed"


def test_header_without_rows_is_zero_results(run, write):
    path = write("h.csv", "source,date\n")
    result = run("batch", path)
    assert result.exit_code == 0
    assert result.stdout_bytes == ("source,date," + ",".join(APPENDED) + "\r\n").encode()
    assert "0 results" in result.stderr


def test_missing_input_directory_and_bad_options(run, tmp_path, write):
    assert_clean_error(run("batch", str(tmp_path / "nope.csv")), "nope.csv", "not found")
    assert_clean_error(run("batch", str(tmp_path) + "/"), "is a directory")
    path = write("l.csv", "source\ntmall\n")
    assert_clean_error(run("batch", path, "--on", "2022-02-30"), "impossible date '2022-02-30'")
    assert_clean_error(run("batch", path, "-s", "livestrem"), "unknown surface 'livestrem'")
    assert_clean_error(run("batch", path, "--format", "xlsx"), "-o OUT.xlsx")


def test_output_may_not_be_the_input(run, tmp_path, write):
    path = write("l.csv", "source\ntmall\n")
    assert_clean_error(run("batch", path, "-o", path), "is the input file")
    assert (tmp_path / "l.csv").read_text() == "source\ntmall\n"


def test_a_failed_run_leaves_out_untouched(run, tmp_path, write):
    out = tmp_path / "out.csv"
    out.write_text("precious\n")
    # valid UTF-8 in the first 64 KiB, then a byte that is not: fails mid-stream
    data = ("source,title\n" + "tmall,ok\n" * 10000).encode() + b"tmall,\xff\xfe\n"
    path = write("l.csv", data)
    result = run("batch", path, "-o", str(out))
    assert_clean_error(result, "not valid utf-8")
    assert out.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["l.csv", "out.csv"]


def test_output_that_is_a_directory_or_unwritable(run, tmp_path, write):
    path = write("l.csv", "source\ntmall\n")
    (tmp_path / "sub").mkdir()
    assert_clean_error(run("batch", path, "-o", str(tmp_path / "sub")), "is a directory")
    assert_clean_error(run("batch", path, "-o", str(tmp_path) + "/"), "is a directory")
    missing = str(tmp_path / "no" / "such" / "out.csv")
    assert_clean_error(run("batch", path, "-o", missing), "cannot write output", missing)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["l.csv", "sub"]
    assert list((tmp_path / "sub").iterdir()) == []


def test_a_successful_run_replaces_out(run, tmp_path, write):
    out = tmp_path / "out.csv"
    out.write_text("old\n")
    os.chmod(out, 0o640)
    path = write("l.csv", "source\ntmall\n")
    assert run("batch", path, "-o", str(out), "--on", "2022-11-11").exit_code == 0
    assert out.read_text().startswith("source,surface,verdict")
    assert os.stat(out).st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["l.csv", "out.csv"]


def test_table_format(run, write):
    path = write("l.csv", "source\ntmall\n")
    result = run(
        "batch",
        path,
        "--on",
        "2022-11-11",
        "--format",
        "table",
        "--color",
        "never",
        env={"COLUMNS": "160"},
    )
    assert result.exit_code == 0
    assert "kuaishou-2022-tmall-window" in result.stdout and "allowed" in result.stdout


# ---------------------------------------------------------------------- real processes


def _env():
    env = {k: v for k, v in os.environ.items() if k not in ("LINKCHECK_RULES", "NO_COLOR")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


@pytest.mark.subprocess
def test_closed_pipe_exits_quietly(tmp_path, write):
    path = write("big.csv", "source,title\n" + "tmall,标题\n" * 200_000)
    proc = subprocess.Popen(
        f"{sys.executable} -m linkcheck batch {path} --on 2022-11-11 | head -1",
        shell=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
        cwd=tmp_path,
    )
    out, err = proc.communicate(timeout=120)
    assert out.decode() == "source,title,surface,verdict,rule,next_change,note\r\n"
    assert b"Traceback" not in err
    assert b"Error" not in err


# ---------------------------------------------------------------------- differential


def test_batch_agrees_with_single_decisions_on_random_rows(run, write):
    rng = random.Random(20221111)
    rules = linkcheck.load_rules()
    sources = [
        "tmall",
        "taobao",
        "jd-self",
        "jd-pop",
        "pinduoduo",
        "kuaishou-shop",
        "天猫",
        "京东自营",
        "jd",
        "taobao-union",
        "tmal",
        "",
        "https://item.jd.com/1.html",
        "https://detail.tmall.com/x",
        "https://m.tb.cn/h.x",
    ]
    surfaces = ["livestream", "short-video", "merchant-page", "live-preview", "直播", ""]
    platforms = ["", "kuaishou", "douyin", "抖音"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "source", "surface", "date", "platform"])
    expected = []
    for i in range(5000):
        src, surf, plat = rng.choice(sources), rng.choice(surfaces), rng.choice(platforms)
        day = f"{rng.randint(2018, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if rng.random() < 0.01:
            day = "2022-02-30"
        writer.writerow([i, src, surf, day, plat])
        for s in [surf] if surf else ["livestream", "short-video"]:
            try:
                d = rules.check(src, s, day, platform=plat or None)
            except linkcheck.LinkcheckError:
                expected.append((str(i), "error", ""))
                continue
            expected.append((str(i), d.verdict, d.rule.id if d.rule else ""))
    path = write("random.csv", buffer.getvalue())
    result = run("batch", path, "--fail-on", "never")
    assert result.exit_code == 0
    got = [(r[0], r[6], r[7]) for r in csv_rows(result.stdout)[1:]]
    assert got == expected


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (
            (ROOT / "examples" / "schedule.xlsx").read_bytes(),
            "is a zip file, as an .xlsx workbook is",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "is an old Office file (an .xls"),
    ],
    ids=["xlsx", "xls"],
)
def test_a_workbook_named_csv_is_said_to_be_one(run, write, data, said):
    """A new user's finding: an .xlsx renamed .csv (or sent as 清单.csv) said "cannot tell the
    text encoding", which sends one looking for an encoding."""
    assert_clean_error(run("batch", write("清单.csv", data)), "清单.csv", said)
    assert_clean_error(run("batch", "-", input=data), "'stdin'", said)
    if said.startswith("is a zip"):
        fixed = run("batch", write("清单.csv", data), "--input-format", "xlsx", "-s", "直播")
        assert fixed.exit_code in (0, 1) and "保温杯" in fixed.stdout


def test_fail_on_takes_a_chinese_keyboards_commas(run, write):
    path = write("list.csv", "source,date\ntmall,2026-11-11\n")  # unknown: past the horizon
    for spelled in ("unknown，error", "unknown、error", "unknown,error"):
        assert run("batch", path, "-s", "livestream", "--fail-on", spelled).exit_code == 1
    assert run("batch", path, "-s", "livestream", "--fail-on", "denied，error").exit_code == 0


def test_the_did_you_mean_search_runs_only_for_a_hint_that_is_shown(run, write, monkeypatch):
    """Each sampled cell of a column not read (a SKU, a title) is asked whether it names a
    source: an unknown name, whose nearest names were searched for every time (a third of a
    small checklist's run). The search now runs when the hint is shown: once here, for the
    row whose source is mistyped, and its note still says it."""
    from linkcheck import model

    searched = []
    closest = model.closest
    monkeypatch.setattr(
        model, "closest", lambda name, *a, **k: (searched.append(name), closest(name, *a, **k))[1]
    )
    rows = "".join(f"SKU{i},tmall,2022-11-11,标题 {i}\n" for i in range(20))
    path = write("a.csv", "sku,source,date,title\n" + rows + "SKU9,tmal,2022-11-11,x\n")
    result = run("batch", path, "--format", "csv", "-s", "livestream")
    assert "did you mean 'tmall'" in csv_rows(result.stdout)[-1][-1]
    assert searched == ["tmal"]


@pytest.mark.parametrize(
    ("words", "code"),
    [("不可挂链", 1), ("未知、出错", 0), ("可以挂链", 0), ("denied，未知", 1), ("出错", 0)],
)
def test_fail_on_takes_the_chinese_labels_of_the_verdicts(run, write, words, code):
    # what the Chinese output calls them (a second trial: --fail-on 不可挂链 was refused)
    path = write("f.csv", "来源,日期\n天猫,2022-10-27\n")  # denied: the cutoff
    assert run("batch", path, "-s", "直播", "--fail-on", words).exit_code == code


def test_a_row_on_an_unknown_platform_is_an_error_for_each_surface_it_asks(run, write):
    # its surface cell was '-' (the formula guard made it '-) and the second surface lost
    # (a trial); a surface no rules file names keeps its cell as typed
    path = write(
        "l.csv", "来源,平台,日期,场景\r\n天猫,小红书,2024-06-01,\r\n天猫,快手,2022-11-11,飞行\r\n"
    )
    result = run("batch", path, "--fail-on", "never")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert [(r[4], r[5]) for r in rows[1:]] == [
        ("livestream", "error"), ("short-video", "error"), ("飞行", "error"),
    ]  # fmt: skip
    assert "unknown platform '小红书'" in rows[1][8] and "'飞行'" in rows[3][8]


def test_a_bad_fail_on_in_chinese_lists_the_labels_it_takes(run, write):
    path = write("f.csv", "来源,日期\n天猫,2022-10-27\n")
    result = run("batch", path, "-s", "直播", "--fail-on", "拒绝", "--lang", "zh")
    assert result.exit_code == 2
    assert "denied (不可挂链)" in result.stderr and "unknown (未知)" in result.stderr


@pytest.mark.parametrize("mode", ["ab", "r+b"], ids=[">>", "1<>"])
@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_standard_output_that_is_the_input_file_is_refused(tmp_path, mode, engine):
    """`linkcheck batch list.csv >> list.csv` (or `1<> list.csv`): standard output is the
    input file itself, and the rows written would be read again without end — a trial's
    file reached 31 GB. Refused as -o of the input is, before a row is read; the file is
    left as it was."""
    if engine == "duckdb":
        pytest.importorskip("duckdb")
    path = tmp_path / "list.csv"
    text = "source,date\n" + "tmall,2022-11-11\n" * 50
    path.write_text(text)
    code = _AS_LINKCHECK
    with open(path, mode) as out:
        done = subprocess.run(
            [sys.executable, "-c", code, "batch", str(path), "--engine", engine],
            stdout=out, stderr=subprocess.PIPE, text=True, timeout=60, cwd=ROOT,
        )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        f"Error: the output is the input file '{path}' (standard output appended to it?); "
        "write the results elsewhere\n"
    )
    assert path.read_text() == text


def test_standard_output_to_another_file_is_written(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("source,date\ntmall,2022-11-11\n")
    out = tmp_path / "out.csv"
    out.write_text("kept\n")
    code = _AS_LINKCHECK
    with open(out, "ab") as f:
        done = subprocess.run([sys.executable, "-c", code, "batch", str(path)], stdout=f,
                              stderr=subprocess.PIPE, text=True, timeout=60, cwd=ROOT)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert out.read_text().startswith("kept\nsource,date,surface,verdict")


_AS_LINKCHECK = (
    "from linkcheck.cli import main; import sys; sys.argv = ['linkcheck', *sys.argv[1:]]; main()"
)
