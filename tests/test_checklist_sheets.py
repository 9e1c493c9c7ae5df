"""Checklists as ops staff make them, each file made here: a GB18030 CSV with a title row, an
.xlsx with a merged title row and cells whose hyperlink is the product link, share text as
the apps copy it, JSON Lines with nested objects, surface columns under the headers people
give them — and every column that could have been read but was not, said on stderr."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .helpers import assert_clean_error, examples

TITLED = (
    "双11直播选品表,,,,\n"
    "商品,来源,商品链接,直播时间,直播形式\n"
    "保温杯,天猫,,2022-11-11,直播\n"
    "耳机,京东自营,,2022-11-11 20:00,直播预告\n"
    "运动鞋,天猫,,2022-12-01,短视频\n"
)


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


# ---------------------------------------------------------------------- the header row


def test_a_gb18030_csv_with_a_title_row_is_read_from_its_header(run, write):
    path = write("选品.csv", TITLED.encode("gb18030"))
    result = run("batch", path, "--format", "csv", ok=True)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[:6] == [
        "header: row 2 (skipped above it: row 1 双11直播选品表)",
        "source: 来源 (column 2)",
        "url: 商品链接 (column 3)",
        "surface: 直播形式 (column 5)",
        "date: 直播时间 (column 4)",
        "platform: none — every row on kuaishou (the rules' default)",
    ]
    rows = rows_of(result.stdout.removeprefix("\ufeff"))  # GB18030 in: a BOM for Excel
    # one answer a row: its own surface (直播预告 is the livestream preview), not the default two
    assert [r[:1] + r[5:8] for r in rows] == [
        ["商品", "surface", "verdict", "rule"],
        ["保温杯", "livestream", "allowed", "kuaishou-2022-tmall-window"],
        ["耳机", "live-preview", "allowed", "kuaishou-2022-jd-self-preview"],
        ["运动鞋", "short-video", "allowed", "kuaishou-2022-tmall-window"],
    ]
    assert "3 results: allowed 3 · denied 0 · unknown 0 · error 0" in result.stderr


def test_the_column_option_an_error_suggests_works_on_a_titled_sheet(run, write):
    """Headers linkcheck does not know: the error names the header row it read and the
    options; the --source-column it suggests works by header and by the sheet's position."""
    text = "双11直播选品表,,\n品名,店铺,开播\n保温杯,天猫,2022-11-11\n"
    path = write("a.csv", text.encode("gb18030"))
    assert_clean_error(
        run("batch", path, "--format", "csv"),
        "no source or url column among: 品名, 店铺, 开播 (the header, row 2)",
        "--source-column/--url-column",
        "--header-row",
    )
    for named in ("店铺", "2"):
        result = run("batch", path, "--format", "csv", "--source-column", named, "-s", "直播",
                      "--date-column", "3", ok=True)  # fmt: skip
        assert result.exit_code == 0, result.stderr
        assert rows_of(result.stdout)[1] == [
            "保温杯", "天猫", "2022-11-11", "livestream", "allowed",
            "kuaishou-2022-tmall-window", "2023-01-01T00:00:00+08:00 unknown", "",
        ]  # fmt: skip
        assert f"source: 店铺 (--source-column {2})" in result.stderr
        assert "header: row 2 (skipped above it: row 1 双11直播选品表)" in result.stderr


def test_header_row_sets_the_header(run, write):
    # row 2 names a source column, but the header the user means is row 3
    text = "清单,,\n来源,填平台名,\n来源,日期,备注\ntmall,2022-11-11,x\n"
    path = write("a.csv", text)
    found = run("batch", path, "--format", "csv", "-s", "直播")
    assert rows_of(found.stdout)[0] == ["来源", "填平台名", "", *APPENDED]
    given = run("batch", path, "--format", "csv", "-s", "直播", "--header-row", "3", ok=True)
    assert given.exit_code == 0, given.stderr
    assert rows_of(given.stdout) == [
        ["来源", "日期", "备注", *APPENDED],
        ["tmall", "2022-11-11", "x", "livestream", "allowed", "kuaishou-2022-tmall-window",
         "2023-01-01T00:00:00+08:00 unknown", ""],
    ]  # fmt: skip
    assert "header: row 3 (skipped above it: row 1 清单; row 2 来源 填平台名)" in given.stderr


def test_a_header_row_far_down_counts_the_rows_above_it_not_listed(run, write):
    # rows 11 to 14 were skipped without a word: only the first 10 rows above were kept
    text = "".join(f"note {n}\n" for n in range(1, 15)) + "\n来源,日期\ntmall,2022-11-11\n"
    path = write("far.csv", text)
    done = run("batch", path, "--header-row", "16", "-s", "直播", "-o", "/dev/null", ok=True)
    assert done.exit_code == 0, done.stderr
    listed = "; ".join(f"row {n} note {n}" for n in range(1, 11))
    header = done.stderr.split("\nsource:")[0].replace("\n  ", " ")  # as the terminal wraps it
    assert header == f"header: row 16 (skipped above it: {listed}; and 4 more up to row 15)"
    zh = run("--lang", "zh", "batch", path, "--header-row", "16", "-s", "直播", "-o", "/dev/null")
    assert "；以及直到第 15 行的另外 4 行）" in zh.stderr.replace("\n  ", "")
    eleven = "".join(f"note {n}\n" for n in range(1, 11)) + "来源,日期\ntmall,2022-11-11\n"
    done = run("batch", write("ten.csv", eleven), "--header-row", "11", "-s", "直播",
               "-o", "/dev/null")  # fmt: skip
    assert "row 10 note 10)" in done.stderr.replace("\n  ", " ")  # all listed: no count
    assert "more up to" not in done.stderr


APPENDED = ["surface", "verdict", "rule", "next_change", "note"]


@pytest.mark.parametrize(
    ("name", "data", "options", "fragments"),
    [
        ("a.csv", "来源\ntmall\n", ("--header-row", "5"),
         ("--header-row 5: the input has 2 rows",)),
        ("a.csv", "x\n\n来源\n", ("--header-row", "2"), ("--header-row 2: row 2 is empty",)),
        ("a.jsonl", '{"来源": "tmall"}\n', ("--header-row", "1"),
         ("--header-row is for CSV, TSV and .xlsx",)),
    ],
)  # fmt: skip
def test_a_header_row_that_is_not_there_is_a_clean_error(run, write, name, data, options,
                                                        fragments):  # fmt: skip
    assert_clean_error(run("batch", write(name, data), *options), *fragments)


def test_header_row_counts_from_1(run, write):
    result = run("batch", write("a.csv", "来源\ntmall\n"), "--header-row", "0")
    assert result.exit_code == 2 and "Invalid value for '--header-row'" in result.stderr


def test_blank_rows_above_the_header_are_not_titles(run, write):
    path = write("a.csv", "\n,,\n来源,日期\ntmall,2022-11-11\n")
    result = run("batch", path, "--format", "csv", "-s", "直播")
    assert result.stderr.splitlines()[0] == "header: row 3"
    assert rows_of(result.stdout)[1][3] == "allowed"


def test_without_a_known_header_the_title_is_still_passed_over(run, write):
    """No row names a column (the columns are given by position): the header is the first
    row with more than one filled cell, not the one-cell title above it."""
    path = write("a.csv", "选品表,,\n品名,店铺,开播\n杯,天猫,2022-11-11\n")
    result = run("batch", path, "--format", "csv", "--source-column", "2", "--date-column", "3",
                 "-s", "直播")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert rows_of(result.stdout)[0][:3] == ["品名", "店铺", "开播"]
    assert "header: row 2 (skipped above it: row 1 选品表)" in result.stderr


def test_the_duckdb_engine_leaves_a_titled_sheet_to_the_python_engine(run, write):
    pytest.importorskip("duckdb")
    path = write("a.csv", TITLED)
    python = run("batch", path, "--format", "csv")
    duck = run("batch", path, "--format", "csv", "--engine", "duckdb")
    assert duck.stdout == python.stdout
    assert "engine duckdb: the header is not on the first row; checked by the Python engine" in (
        duck.stderr
    )


# ---------------------------------------------------------------------- workbooks


def _titled_workbook(path) -> None:
    """A sheet as ops staff make it: a merged title row, the header on row 2, product links
    as hyperlinks behind 点此打开, a link as text, a number and a date cell."""
    from datetime import datetime

    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "双11直播选品表"
    sheet.merge_cells("A1:E1")
    sheet.append(["商品", "商品链接", "直播时间", "库存", "形式"])
    sheet.append(["保温杯", "点此打开", datetime(2022, 11, 11, 20, 0), 120, ""])
    sheet["B3"].hyperlink = "https://detail.tmall.com/item.htm?id=1"
    sheet.append(["耳机", "", "2022-11-11", 5, "直播"])
    sheet["B4"].hyperlink = "https://item.jd.com/100012043978.html"
    sheet.append(["运动鞋", "https://detail.tmall.com/item.htm?id=3", "2022-11-11", 0, "短视频"])
    sheet["A5"].hyperlink = "https://example.com/鞋"  # a hyperlink on another column: kept
    book.save(path)


def test_a_workbook_with_a_title_row_and_hyperlinked_cells(run, tmp_path):
    pytest.importorskip("openpyxl")
    source = tmp_path / "选品.xlsx"
    _titled_workbook(source)
    result = run("batch", str(source), "--format", "csv", ok=True)
    assert result.exit_code == 1, result.stderr  # one answer is unknown
    assert result.stderr.splitlines()[:3] == [
        "header: row 2 (skipped above it: row 1 双11直播选品表)",
        "source: none",
        "url: 商品链接 (column 2)",
    ]
    rows = rows_of(result.stdout.lstrip("\ufeff"))
    # the hyperlink is the link that is checked, and what text outputs hold
    assert [r[:2] + r[5:7] for r in rows[1:]] == [
        ["保温杯", "https://detail.tmall.com/item.htm?id=1", "livestream", "allowed"],
        ["保温杯", "https://detail.tmall.com/item.htm?id=1", "short-video", "allowed"],
        ["耳机", "https://item.jd.com/100012043978.html", "livestream", "unknown"],
        ["运动鞋", "https://detail.tmall.com/item.htm?id=3", "short-video", "allowed"],
    ]


def test_a_workbook_output_keeps_the_hyperlinks_and_every_cell(run, tmp_path):
    """Two answers for the first row (no surface cell): each answer row has its own cells,
    hyperlinks included; read back by openpyxl and python-calamine."""
    openpyxl = pytest.importorskip("openpyxl")
    calamine = pytest.importorskip("python_calamine")
    source, out = tmp_path / "in.xlsx", tmp_path / "out.xlsx"
    _titled_workbook(source)
    result = run("batch", str(source), "-o", str(out), ok=True)
    assert result.exit_code == 1, result.stderr  # one answer is unknown
    sheet = openpyxl.load_workbook(out).active
    got = [
        [(c.value, c.hyperlink.target if c.hyperlink else None) for c in row[:4]]
        for row in sheet.iter_rows()
    ]
    tmall = "https://detail.tmall.com/item.htm?id=1"
    from datetime import datetime

    at = datetime(2022, 11, 11, 20, 0)
    assert got == [
        [("商品", None), ("商品链接", None), ("直播时间", None), ("库存", None)],
        [("保温杯", None), ("点此打开", tmall), (at, None), (120, None)],
        [("保温杯", None), ("点此打开", tmall), (at, None), (120, None)],
        [("耳机", None), ("https://item.jd.com/100012043978.html",
                         "https://item.jd.com/100012043978.html"), ("2022-11-11", None), (5, None)],
        [("运动鞋", "https://example.com/鞋"), ("https://detail.tmall.com/item.htm?id=3", None),
         ("2022-11-11", None), (0, None)],
    ]  # fmt: skip
    book = calamine.CalamineWorkbook.from_path(str(out))
    rows = book.get_sheet_by_index(0).to_python()
    assert [r[:4] for r in rows] == [[v for v, _link in row] for row in got]
    assert [r[6] for r in rows[1:]] == ["allowed", "allowed", "unknown", "allowed"]


def test_a_link_as_text_wins_over_its_hyperlink(run, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["链接", "日期"])
    sheet.append(["https://mobile.yangkeduo.com/goods.html?id=1", "2022-11-11"])
    sheet["A2"].hyperlink = "https://detail.tmall.com/item.htm?id=1"
    book.save(tmp_path / "a.xlsx")
    result = run("batch", str(tmp_path / "a.xlsx"), "--format", "csv", "-s", "直播")
    row = rows_of(result.stdout.lstrip("\ufeff"))[1]
    assert row[0] == "https://mobile.yangkeduo.com/goods.html?id=1"
    # Pinduoduo's link, as the cell shows, not Tmall's
    assert row[3:5] == ["unknown", "kuaishou-2019-pinduoduo-ended"]


# ---------------------------------------------------------------------- share text

SHARE = (
    "【淘宝】https://m.tb.cn/h.5Zx3kQ?tk=Ab12CD 「保温杯 500ml」点击链接直接打开 或者 "
    "淘宝搜索直接打开"
)


def test_share_text_is_read_as_its_link_in_check(run):
    result = run("check", SHARE, "--on", "2022-11-11", "-s", "直播", "--format", "json")
    answer = json.loads(result.stdout)
    assert answer["input"] == SHARE
    assert answer["source"] == "taobao-union"
    assert [c["source"] for c in answer["results"][0]["candidates"]] == ["tmall", "taobao"]
    jd = run("check", "京东 https://item.jd.com/100012043978.html 复制打开", "--on",
             "2022-11-11", "--as", "jd-self", "-s", "直播")  # fmt: skip
    assert jd.exit_code == 0, jd.stderr
    assert jd.stdout.startswith("allowed\tkuaishou\tjd-self\tlivestream")


def test_share_text_with_two_links_is_an_error_naming_both(run):
    text = "https://detail.tmall.com/item.htm?id=1 或 https://item.jd.com/1.html"
    assert_clean_error(
        run("check", text),
        "holds 2 links (https://detail.tmall.com/item.htm?id=1, https://item.jd.com/1.html)",
    )


def test_share_text_in_a_checklist(run, write):
    text = (
        f"来源,商品链接,日期\n,{SHARE},2022-11-11\n天猫,{SHARE},2022-11-11\n"
        ",https://a.tmall.com/1 https://b.jd.com/2,2022-11-11\n"
    )
    result = run("batch", write("a.csv", text), "--format", "csv", "-s", "直播")
    rows = rows_of(result.stdout)
    assert [r[1] for r in rows[1:]] == [SHARE, SHARE, "https://a.tmall.com/1 https://b.jd.com/2"]
    assert [r[4] for r in rows[1:]] == ["unknown", "allowed", "error"]
    assert "candidates disagree (tmall allowed, taobao unknown)" in rows[1][7]
    assert rows[3][7].startswith(
        "'https://a.tmall.com/1 https://b.jd.com/2' holds 2 links (https://a.tmall.com/1, "
        "https://b.jd.com/2)"
    )


# ---------------------------------------------------------------------- nested JSON Lines

NESTED = [
    '{"sku": 1, "商品": {"名称": "保温杯", "链接": "https://detail.tmall.com/item.htm?id=1", '
    '"价格": 59.90}, "直播时间": "2022-11-11"}',
    '{"sku": 2, "商品": {"名称": "耳机", "链接": "https://item.jd.com/1.html", "规格": {"色": '
    '"黑"}}, "直播时间": "2022-11-11", "备注": null}',
    '{"sku": 3, "商品": {"名称": "杯", "备用链接": "https://detail.tmall.com/item.htm?id=9"}, '
    '"直播时间": "2022-11-11"}',
]


def test_a_nested_link_is_found_by_its_name_and_objects_come_back_as_they_were(run, write):
    path = write("a.jsonl", "\n".join(NESTED) + "\n")
    result = run("batch", path, "-s", "直播", ok=True)
    assert result.exit_code == 1  # row 3 has no link: an error row
    assert "url: 商品.链接 (a nested field)" in result.stderr
    assert (
        "warning: field '商品.备用链接' holds url values such as "
        "'https://detail.tmall.com/item.htm?id=9' but is not read (url: 商品.链接)"
    ) in result.stderr.replace("\n  ", " ")
    lines = result.stdout.splitlines()
    # every object as it came (59.90 stays 59.90, null stays null), the answer keys added
    assert lines[0] == (
        '{"sku": 1, "商品": {"名称": "保温杯", "链接": "https://detail.tmall.com/item.htm?id=1", '
        '"价格": 59.90}, "直播时间": "2022-11-11", "surface": "livestream", "verdict": '
        '"allowed", "rule": "kuaishou-2022-tmall-window", "next_change": '
        '"2023-01-01T00:00:00+08:00 unknown", "note": ""}'
    )
    assert lines[1].startswith(NESTED[1][:-1] + ', "surface": "livestream", "verdict": "unknown"')
    assert json.loads(lines[2])["note"] == "missing source: the row has neither a source nor a url"


def test_a_nested_field_named_by_its_dotted_path(run, write):
    path = write("a.jsonl", "\n".join(NESTED) + "\n")
    result = run("batch", path, "-s", "直播", "--format", "csv", "--url-column", "商品.备用链接")
    assert "url: 商品.备用链接 (--url-column 商品.备用链接)" in result.stderr
    rows = rows_of(result.stdout)
    # tabular output: one column per key, a nested object as its JSON text (never flattened)
    assert rows[0] == ["sku", "商品", "直播时间", "备注", *APPENDED]
    assert rows[3][:2] == [
        "3",
        '{"名称": "杯", "备用链接": "https://detail.tmall.com/item.htm?id=9"}',
    ]
    assert [r[5] for r in rows[1:]] == ["error", "error", "allowed"]
    # a position counts the columns, not the nested fields
    assert_clean_error(
        run("batch", path, "--url-column", "5"), "give a header or a position from 1 to 4"
    )


def test_a_top_level_link_comes_first_and_keys_may_hold_dots(run, write):
    text = (
        '{"链接": "https://detail.tmall.com/1", "店": {"链接": "https://item.jd.com/1.html"},'
        ' "日期": "2022-11-11"}\n'
    )
    result = run("batch", write("a.jsonl", text), "-s", "直播", "--format", "csv")
    assert "url: 链接 (column 1)" in result.stderr
    assert "warning: field '店.链接' holds url values" in result.stderr
    assert rows_of(result.stdout)[1][4] == "allowed"
    dotted = '{"v1.2": {"商品": {"链接": "https://detail.tmall.com/1"}}, "日期": "2022-11-11"}\n'
    result = run("batch", write("b.jsonl", dotted), "-s", "直播", "--format", "csv")
    assert "url: v1.2.商品.链接 (a nested field)" in result.stderr
    assert rows_of(result.stdout)[1][3] == "allowed"


# ---------------------------------------------------------------------- columns not read


def test_every_column_that_could_have_been_read_is_named(run, write):
    """A column is named when its header looks like a meaning (渠道, 挂链位置 taken by
    another) or when its cells are what a meaning reads (surface names, links, dates,
    platforms), whatever its header."""
    text = (
        "来源,日期,挂链位置,投放渠道,类型,地址,平台名,场次\n"
        "tmall,2022-11-11,直播,直播,短视频,https://detail.tmall.com/1,快手,2022-11-12\n"
        "jd-self,2022-11-11,短视频,短视频,直播预告,,抖音,2022-11-13\n"
    )
    result = run("batch", write("a.csv", text), "--format", "csv")
    warnings = [line for line in result.stderr.replace("\n  ", " ").splitlines()
                if line.startswith("warning")]  # fmt: skip
    assert warnings == [
        "warning: column 4 '投放渠道' holds surface values such as '直播' but is not read "
        "(surface: column 3)",
        "warning: column 5 '类型' holds surface values such as '短视频' but is not read "
        "(surface: column 3)",
        "warning: column 6 '地址' holds url values such as 'https://detail.tmall.com/1' but is "
        "not read (--url-column reads it)",
        "warning: column 7 '平台名' holds platform values such as '快手' but is not read "
        "(--platform-column reads it)",
        "warning: column 8 '场次' holds date values such as '2022-11-12' but is not read "
        "(date: column 2)",
    ]


@pytest.mark.parametrize("header", ["直播形式", "投放形式", "挂链位置", "形式"])
def test_surface_headers_are_read_and_their_cells_mean_surfaces(run, write, header):
    text = f"来源,{header},日期\ntmall,直播预告,2022-11-11\ntmall,直播、短视频,2022-11-11\n"
    result = run("batch", write("a.csv", text), "--format", "csv")
    assert f"surface: {header} (column 2)" in result.stderr
    assert [r[3] for r in rows_of(result.stdout)[1:]] == [
        "live-preview", "livestream", "short-video",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("header", "meaning"), [("渠道", "surface"), ("投放渠道", "surface"), ("展示位置", "surface"),
                            ("挂链方式说明", "surface"), ("直播平台2", "platform")],
)  # fmt: skip
def test_surface_look_alike_headers_are_named(run, write, header, meaning):
    text = f"来源,{header}\ntmall,\n"
    result = run("batch", write("a.csv", text), "--format", "csv", "--on", "2022-11-11")
    assert f"warning: column 2 '{header}' looks like a {meaning} column but is not read" in (
        result.stderr
    )


# ---------------------------------------------------------------------- standard input


def test_batch_with_nothing_given_on_a_terminal_says_so_instead_of_waiting(run, monkeypatch):
    monkeypatch.setattr("linkcheck.cli.options.Env.reads_a_terminal", lambda self: True)
    assert_clean_error(
        run("batch"), "no checklist given: name a file (linkcheck batch 清单.xlsx) or pipe one in"
    )
    zh = run("batch", "--lang", "zh")
    assert zh.exit_code == 2 and "没有给出清单" in zh.stderr


def test_batch_dash_on_a_terminal_says_what_it_waits_for(run, monkeypatch):
    monkeypatch.setattr("linkcheck.cli.options.Env.reads_a_terminal", lambda self: True)
    result = run("batch", "-", "-s", "直播", "--on", "2022-11-11", "--format", "csv",
                 input="来源\ntmall\n")  # fmt: skip
    assert result.stderr.splitlines()[0] == (
        "reading a checklist (CSV) from the terminal; end it with Ctrl-D"
    )
    assert rows_of(result.stdout)[1][:3] == ["tmall", "livestream", "allowed"]


def test_piped_input_needs_no_dash(run):
    result = run("batch", "-s", "直播", "--on", "2022-11-11", input="来源\ntmall\n")
    assert result.exit_code == 0, result.stderr
    assert "from the terminal" not in result.stderr
    assert rows_of(result.stdout)[1][:3] == ["tmall", "livestream", "allowed"]


def _merged_workbook(path) -> None:
    """A day's products under one merged platform cell and one merged date cell, as ops
    sheets group them (a new user's trial: the rows under the first read no platform and no
    date, and were answered for Kuaishou on --on's date, allowed, without a word)."""
    from datetime import datetime

    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["双11直播选品表"])
    sheet.merge_cells("A1:E1")  # the title: above the header, never spread
    sheet.append(["平台", "商品", "来源", "直播日期", "备注"])
    sheet.append(["抖音", "杯子", "天猫", datetime(2022, 10, 28), "同款"])
    sheet.append([None, "鞋", "天猫", None, None])
    sheet.append([None, "耳机", "京东自营", None, "x"])
    sheet.append(["快手", "包", "天猫", datetime(2022, 10, 27), None])
    sheet.append([None, "帽", "天猫", None, None])
    sheet.append(["快手", "伞", "天猫", datetime(2022, 11, 11), None])
    for ref in ("A3:A5", "D3:D5", "E3:E4", "A6:A7", "D6:D7", "B8:C8"):
        sheet.merge_cells(ref)
    for row in range(3, 9):
        sheet.cell(row, 4).number_format = "yyyy-mm-dd"
    sheet["C3"].hyperlink = "https://example.com/a"  # a sheet with hyperlinks: one pass
    book.save(path)


def test_merged_cells_below_the_header_are_read_in_every_row_they_cover(run, tmp_path):
    source = tmp_path / "分组.xlsx"
    _merged_workbook(source)
    result = run("batch", str(source), "--fail-on", "never")  # the default: two answers a row
    assert result.exit_code == 0, result.stderr
    assert ("merged cells: each row of A3:A5, D3:D5, E3:E4, A6:A7, D6:D7, B8:C8 is read with "
            "the range's value, as Excel shows it") in " ".join(result.stderr.split())  # fmt: skip
    rows = rows_of(result.stdout.lstrip("\ufeff"))
    assert [r[:5] for r in rows[1::2]] == [
        ["抖音", "杯子", "天猫", "2022-10-28", "同款"],
        ["抖音", "鞋", "天猫", "2022-10-28", "同款"],
        ["抖音", "耳机", "京东自营", "2022-10-28", "x"],
        ["快手", "包", "天猫", "2022-10-27", ""],
        ["快手", "帽", "天猫", "2022-10-27", ""],
        ["快手", "伞", "", "2022-11-11", ""],  # B8:C8: a wide cell, its value in B alone
    ]
    assert [r[6] for r in rows[1:11:2]] == ["denied"] * 5  # Douyin's closed loop; 10-27 cut
    assert rows[3][7] == rows[5][7] == "douyin-2020-closed-loop"
    assert rows[9][7] == "kuaishou-2022-03-cutoff"
    assert rows[11][6] == "error"  # no source: C8, under B8's merge, shows nothing
    said = run("batch", str(source), "--fail-on", "never", "--lang", "zh").stderr
    assert (
        "合并单元格：以下区域覆盖的每一行都按合并后的值读取，与Excel显示的一致：A3:A5"
        in "".join(said.split())
    )


def test_merged_cells_come_back_typed_in_a_workbook_two_readers_read(run, tmp_path):
    source, out = tmp_path / "分组.xlsx", tmp_path / "结果.xlsx"
    _merged_workbook(source)
    result = run("batch", str(source), "-o", str(out), "-s", "直播", "--fail-on", "never")
    assert result.exit_code == 0, result.stderr
    by_openpyxl, by_calamine = _both_readers(out)
    for rows in (by_openpyxl, by_calamine):
        assert [r[0] for r in rows[1:6]] == ["抖音", "抖音", "抖音", "快手", "快手"]
        dates = [r[3] for r in rows[1:4]]  # dates still (calamine: a date, openpyxl: datetime)
        assert all(not isinstance(d, str) for d in dates)
        assert [d.isoformat()[:10] for d in dates] == ["2022-10-28"] * 3
        assert [r[6] for r in rows[1:6]] == ["denied"] * 5


def _both_readers(path):
    from .test_checklist_excel import _both_readers as both

    return both(path)


def test_a_workbook_without_merged_cells_says_nothing_of_them(run, tmp_path):
    source = tmp_path / "选品.xlsx"
    _titled_workbook(source)  # only the title is merged, above the header
    result = run("batch", str(source), "--format", "csv", ok=True)
    assert "merged" not in result.stderr


def test_merged_ranges_that_overlap_are_a_clean_error(run, tmp_path):
    """Excel never writes overlapping merges; a file that has them (written by hand, or
    hostile: ranges stacked on one cell) stops, rather than spreading each over each row."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["来源", "日期"])
    sheet.append(["天猫", "2022-11-11"])
    sheet.append([None, None])
    for ref in ("A2:A3", "A2:B2", "A2:A2", "B2:B3", "A2:B3"):
        sheet.merge_cells(ref)
    path = tmp_path / "overlap.xlsx"
    book.save(path)
    out = tmp_path / "out.csv"
    result = run("batch", str(path), "-s", "直播", "-o", str(out))
    assert_clean_error(result)
    assert "the sheet's merged ranges A2:B2 and A2:A3 overlap" in result.stderr
    assert not out.exists()


def test_many_merged_ranges_are_named_six_and_counted():
    from linkcheck.render import batch_merged

    refs = [f"A{3 * i}:A{3 * i + 1}" for i in range(1, 10)]
    assert batch_merged(refs) == [
        "merged cells: each row of A3:A4, A6:A7, A9:A10, A12:A13, A15:A16, A18:A19 and 3 more "
        "is read with the range's value, as Excel shows it"
    ]
    assert batch_merged([]) == []


@settings(max_examples=examples(60), deadline=None)
@given(data=st.data())
def test_merged_ranges_read_as_the_first_cells_value_in_every_cell(data, tmp_path_factory):
    """Any set of ranges that do not overlap, below the header, over any cells: the first
    column of a range reads its first cell's text in every row, its other columns nothing;
    every other cell reads its own (a brute-force reference over the grid)."""
    openpyxl = pytest.importorskip("openpyxl")
    from linkcheck.batch.workbook import read_sheet

    width, height = data.draw(st.integers(2, 5)), data.draw(st.integers(1, 8))
    grid = [[data.draw(st.sampled_from(["", "天猫", "x", "7"])) for _ in range(width)]
            for _ in range(height)]  # fmt: skip
    taken: set[tuple[int, int]] = set()
    ranges = []
    for _ in range(data.draw(st.integers(0, 4))):
        r1, c1 = data.draw(st.integers(0, height - 1)), data.draw(st.integers(0, width - 1))
        r2 = data.draw(st.integers(r1, height - 1))
        c2 = data.draw(st.integers(c1, width - 1))
        cells = {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        if len(cells) > 1 and not cells & taken:
            taken |= cells
            ranges.append((r1, r2, c1, c2))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["来源", *(f"h{i}" for i in range(1, width)), "id"])
    for i, row in enumerate(grid):  # the id, never merged, keeps every row in the sheet
        sheet.append([*(v or None for v in row), f"r{i}"])
    for r1, r2, c1, c2 in ranges:  # openpyxl clears every cell of a range but its first
        sheet.merge_cells(start_row=r1 + 2, end_row=r2 + 2, start_column=c1 + 1,
                          end_column=c2 + 1)  # fmt: skip
    expected = [row[:] for row in grid]
    for r1, r2, c1, c2 in ranges:  # the first column shows the value, the others nothing
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                expected[r][c] = grid[r1][c1] if c == c1 else ""
    path = tmp_path_factory.mktemp("merged") / "m.xlsx"
    book.save(path)
    with open(path, "rb") as f:
        _found, rows = read_sheet(f)
        got = [list(row) for row in rows]
    assert got == [[*row, f"r{i}"] for i, row in enumerate(expected)]


def _template_workbook(path, *, hidden_first: bool = False) -> None:
    """A template as ops staff get it: its instructions first, then the checklist, then
    another month's; or a hidden sheet with a header before the visible one."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    first = book.active
    if hidden_first:
        first.title = "旧表"
        first.append(["来源", "日期"])
        first.append(["淘宝", "2022-11-11"])
        first.sheet_state = "hidden"
    else:
        first.title = "填写说明"
        first.append(["请在“清单”页填写：来源写天猫、京东自营……"])
        first.append(["日期写 2022-11-11"])
    sheet = book.create_sheet("清单")
    sheet.append(["商品", "来源", "日期"])
    sheet.append(["杯子", "天猫", "2022-11-11"])
    december = book.create_sheet("12月")
    december.append(["商品", "来源", "日期"])
    december.append(["鞋", "京东自营", "2022-12-01"])
    book.save(path)


def test_a_workbook_is_read_from_its_first_sheet_with_a_checklist_header(run, tmp_path):
    """The instructions sheet first stopped the run ('no source or url column among: 请在
    “清单”页填写…'), with no way to choose another sheet (a trial)."""
    path = tmp_path / "模板.xlsx"
    _template_workbook(path)
    result = run("batch", str(path), "--format", "csv", "--fail-on", "never")  # the default
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        "sheet: 清单 (2 of 3; 填写说明 before it has no source or link column; --sheet reads "
        "another)"
    )
    rows = rows_of(result.stdout.lstrip("\ufeff"))
    assert [r[:5] for r in rows[1:]] == [["杯子", "天猫", "2022-11-11", "livestream", "allowed"],
                                         ["杯子", "天猫", "2022-11-11", "short-video",
                                          "allowed"]]  # fmt: skip


@pytest.mark.parametrize("named", ["12月", "3", "１２月", " 12月 "])
def test_sheet_names_a_sheet_by_name_or_position(run, tmp_path, named):
    path = tmp_path / "模板.xlsx"
    _template_workbook(path)
    result = run("batch", str(path), "--sheet", named, "-s", "直播", "--format", "csv",
                 "--fail-on", "never")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == "sheet: 12月 (3 of 3; --sheet reads another)"
    assert rows_of(result.stdout.lstrip("\ufeff"))[1][:2] == ["鞋", "京东自营"]


def test_a_hidden_sheet_is_passed_over_unless_named(run, tmp_path):
    path = tmp_path / "hidden.xlsx"
    _template_workbook(path, hidden_first=True)
    found = run("batch", str(path), "-s", "直播", "--format", "csv", "--fail-on", "never")
    assert rows_of(found.stdout.lstrip("\ufeff"))[1][1] == "天猫"
    named = run("batch", str(path), "--sheet", "旧表", "-s", "直播", "--format", "csv",
                "--fail-on", "never")  # fmt: skip
    assert rows_of(named.stdout.lstrip("\ufeff"))[1][0] == "淘宝"


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [("模板.xlsx", ("--sheet", "13月"), "--sheet '13月' is not a sheet of the workbook; give a "
      "name or a position from 1 to 3 (1:填写说明, 2:清单, 3:12月)"),
     ("模板.xlsx", ("--sheet", "4"), "--sheet '4' is not a sheet of the workbook"),
     ("list.csv", ("--sheet", "1"), "--sheet is for .xlsx workbooks: this input has no sheets"),
     ("none.xlsx", (), "no sheet of the workbook (1:说明, 2:数据) has a source or url column in "
      "its header")],
)  # fmt: skip
def test_a_sheet_that_is_not_there_is_a_clean_error(run, tmp_path, name, options, message):
    openpyxl = pytest.importorskip("openpyxl")
    _template_workbook(tmp_path / "模板.xlsx")
    (tmp_path / "list.csv").write_text("来源\n天猫\n", encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["没有表头"])
    book.create_sheet("数据").append(["商品", "价格"])
    book.save(tmp_path / "none.xlsx")
    result = run("batch", str(tmp_path / name), *options, "-s", "直播")
    assert_clean_error(result, message)


def test_a_workbook_of_one_sheet_says_nothing_of_sheets(run, tmp_path):
    source = tmp_path / "选品.xlsx"
    _titled_workbook(source)
    assert "sheet:" not in run("batch", str(source), "--format", "csv", ok=True).stderr


def test_a_recorded_run_of_a_named_sheet_is_reproduced(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _template_workbook(tmp_path / "模板.xlsx")
    made = run("batch", "模板.xlsx", "--sheet", "12月", "-o", "out.csv", "--manifest", "m.json",
               "--fail-on", "never")  # fmt: skip
    assert made.exit_code == 0, made.stderr
    assert (
        json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["options"]["sheet"] == "12月"
    )
    again = run("batch", "--verify-manifest", "m.json")
    assert again.exit_code == 0, again.stdout + again.stderr


def _sheet_with_merge_xml(path, rows: list[list], merges: str, links: dict | None = None):
    """A workbook whose first sheet's <mergeCells> is written as given (what openpyxl will
    not write: overlaps, a range twice, a reversed or broken reference)."""
    import zipfile

    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    for ref, target in (links or {}).items():
        book.active[ref].hyperlink = target
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace("</sheetData>", f"</sheetData><mergeCells>{merges}</mergeCells>", 1)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


ROWS = [["平台", "来源", "日期"], *[["快手", "天猫", "2022-11-11"]] * 5]


@pytest.mark.parametrize(
    ("merges", "message"),
    [('<mergeCell ref="A2:A4"/><mergeCell ref="A3:B5"/>',
      "the sheet's merged ranges A2:A4 and A3:B5 overlap"),
     ('<mergeCell ref="A2:A3"/><mergeCell ref="A2:A3"/>', "merged ranges A2:A3 and A2:A3 overlap"),
     ('<mergeCell ref="A4:A2"/>', "the sheet's merged range 'A4:A2' is not a range of its cells"),
     ('<mergeCell ref="hello"/>', "merged range 'hello' is not a range"),
     ('<mergeCell ref="A0:A3"/>', "merged range 'A0:A3' is not a range")],
)  # fmt: skip
def test_merged_ranges_excel_never_writes_stop_before_any_row(run, tmp_path, merges, message):
    """Overlaps changed answers (a row's source became the platform), and a bad reference
    was openpyxl's words after every row was written (a trial): both stop the run first."""
    path = tmp_path / "bad.xlsx"
    _sheet_with_merge_xml(path, ROWS, merges)
    result = run("batch", str(path), "-s", "直播", "--format", "csv", "--lang", "en")
    assert_clean_error(result, message)


def test_a_merge_past_the_last_row_invents_no_row(run, tmp_path):
    # openpyxl (and Excel, for styled merges) writes the empty rows a merge covers: rows
    # holding only what a merge spreads were error rows ('missing source')
    rows = [["平台", "来源", "日期"], ["快手", "天猫", "2022-11-11"], [None, "天猫", None]]
    path = tmp_path / "past.xlsx"
    _sheet_with_merge_xml(path, rows, '<mergeCell ref="C2:C6"/>')
    result = run("batch", str(path), "-s", "直播", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert [r[:5] for r in rows_of(result.stdout.lstrip("\ufeff"))[1:]] == [
        ["快手", "天猫", "2022-11-11", "livestream", "allowed"],
        ["", "天猫", "2022-11-11", "livestream", "allowed"],
    ]


def test_a_merged_cell_shows_its_first_cells_value_and_link_in_every_row(run, tmp_path):
    """A value hidden under a merge is not read (Excel shows the first cell's, empty here),
    and the first cell's hyperlink is every row's (row 3 read '点此打开' as no link)."""
    rows = [["平台", "来源", "商品链接", "日期"], [None, "", "点此打开", "2022-11-11"],
            ["抖音", "", None, "2022-11-11"]]  # fmt: skip
    path = tmp_path / "links.xlsx"
    _sheet_with_merge_xml(path, rows, '<mergeCell ref="A2:A3"/><mergeCell ref="C2:C3"/>',
                          links={"C2": "https://detail.tmall.com/item.htm?id=9"})  # fmt: skip
    result = run("batch", str(path), "-s", "直播", "--format", "csv")
    got = rows_of(result.stdout.lstrip("\ufeff"))[1:]
    assert [r[0] for r in got] == ["", ""]  # Kuaishou, the default: not the hidden 抖音
    assert [r[2] for r in got] == ["https://detail.tmall.com/item.htm?id=9"] * 2
    assert [r[5] for r in got] == ["allowed", "allowed"]


def test_a_hidden_checklist_sheet_is_named_not_read_unasked(run, tmp_path):
    """Only a hidden sheet had the checklist: the error said no sheet had one (a trial)."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["只有说明"])
    data = book.create_sheet("数据")
    data.append(["来源", "日期"])
    data.append(["天猫", "2022-11-11"])
    data.sheet_state = "hidden"
    path = tmp_path / "s4.xlsx"
    book.save(path)
    assert_clean_error(run("batch", str(path), "-s", "直播"),
                       "the hidden sheet '数据' has one: read it with --sheet '数据'")  # fmt: skip
    named = run("batch", str(path), "-s", "直播", "--sheet", "数据", "--format", "csv")
    assert named.exit_code == 0, named.stderr
    assert named.stderr.splitlines()[0] == (
        "sheet: 数据, a hidden sheet (2 of 2; --sheet reads another)"
    )


def test_more_merged_ranges_than_the_limit_stop_before_any_row(run, tmp_path, monkeypatch):
    from linkcheck.batch import workbook as book_reader

    monkeypatch.setattr(book_reader, "MERGE_LIMIT", 2)
    path = tmp_path / "many.xlsx"
    merges = "".join(f'<mergeCell ref="A{r}:A{r + 1}"/>' for r in (2, 4, 6))
    _sheet_with_merge_xml(path, ROWS + [["快手", "天猫", "2022-11-11"]] * 2, merges)
    result = run("batch", str(path), "-s", "直播", "--format", "csv")
    assert_clean_error(result, "the sheet has more than 2 merged ranges; save it as CSV")


def test_a_merged_cells_part_that_never_ends_is_malformed(run, tmp_path, monkeypatch):
    """A <mergeCells> whose item never ends (a cut or hostile sheet: megabytes with no '>')
    is held no further than the bound on one part, and said to be malformed before any row
    is written."""
    from linkcheck.batch import workbook as book_reader

    monkeypatch.setattr(book_reader, "XLSX_PART_LIMIT", 16 << 10)  # the theme is 10 KiB
    path = tmp_path / "open.xlsx"
    _sheet_with_merge_xml(path, ROWS, '<mergeCell ref="' + "A" * (3 << 20))
    result = run("batch", str(path), "-s", "直播", "--format", "csv")
    assert_clean_error(result, "the sheet's merged cells are malformed")
