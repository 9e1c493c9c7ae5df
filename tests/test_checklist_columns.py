"""Checklists as merchant-ops files are: which column was read as what (said on stderr),
columns named by option, the header names of real export sheets, empty rows."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from linkcheck.batch import COLUMN_NAMES, Columns, InputError
from linkcheck.batch.columns import MEANINGS

from .helpers import assert_clean_error

EXAMPLES = Path(__file__).parent.parent / "examples"
GB18030 = str(EXAMPLES / "checklist-gb18030.csv")


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_the_gb18030_sample_is_answered_for_its_own_dates_and_says_so(run):
    result = run("batch", GB18030, "--format", "csv", "-s", "livestream")
    lines = result.stderr.splitlines()
    assert "date: 直播时间 (column 4)" in lines
    assert "source: 来源 (column 2)" in lines
    assert "url: 商品链接 (column 3)" in lines
    rows = rows_of(result.stdout)
    by_name = {(r[0], r[3]): r[6:9] for r in rows[1:]}
    # 2022/11/11, 2022年11月20日 and 2022-12-31 are inside the Tmall window
    assert by_name[("保温杯 500ml", "2022/11/11")] == [
        "livestream", "allowed", "kuaishou-2022-tmall-window",
    ]  # fmt: skip
    assert by_name[("蓝牙耳机", "2022年11月20日")][1] == "allowed"
    assert by_name[("运动鞋", "2022-12-31")][1] == "allowed"
    # JD self-operated: 2022-11-30 20:00 is inside its window, 2022-12-01 after it
    assert by_name[("洗衣液 3kg×2", "2022-11-30 20:00")][1] == "allowed"
    assert by_name[("洗衣液 3kg×2", "2022-12-01")][1] == "unknown"
    # the fully empty row is skipped and counted, not two error rows
    assert all(any(r[:6]) for r in rows[1:])
    assert "11 results:" in result.stderr
    assert "error 1 (1 empty row skipped)" in result.stderr  # only the typo 天苗
    assert result.stderr.rstrip().endswith("(1 empty row skipped)")


def test_a_missing_date_says_what_filled_it(run, write):
    path = write("a.csv", "来源\ntmall\n")
    result = run("batch", path, "--format", "csv")
    assert "date: none — every row checked at " in result.stderr
    assert "(now)\n  name the column with --date-column, or give --on" in result.stderr
    assert "surface: none — every row checked for livestream, short-video (the default)" in (
        result.stderr
    )
    assert "platform: none — every row on kuaishou (the rules' default)" in result.stderr
    given = run("batch", path, "--format", "csv", "--on", "2022-11-11", "-s", "直播")
    assert "date: none — every row checked at 2022-11-11 (--on)" in given.stderr
    assert "--date-column, or give --on" not in given.stderr
    assert "surface: none — every row checked for livestream (-s)" in given.stderr
    at_hour = run("batch", path, "--format", "csv", "--on", "2022-11-11 20:30", "-p", "ks")
    assert "every row checked at 2022-11-11 20:30 +08:00 (--on)" in at_hour.stderr
    assert "platform: none — every row on kuaishou (--platform)" in at_hour.stderr


@pytest.mark.parametrize(
    ("meaning", "name"), [(m, n) for m, names in COLUMN_NAMES.items() for n in names]
)
def test_every_documented_header_name_is_read(meaning, name):
    other = "url" if meaning == "source" else "source"
    header = ["备注", name, other]
    columns = Columns.find(header)
    assert columns.at(meaning) == 1
    assert columns.unread == ()


@pytest.mark.parametrize(
    ("header", "meaning"),
    [
        ("直播时间", "date"), ("开播时间", "date"), ("投放时间", "date"), ("Live Date", "date"),
        ("LIVE_DATE", "date"), ("链接地址", "url"), ("宝贝链接", "url"), ("Product URL", "url"),
        ("ＵＲＬ", "url"), ("货源", "source"), ("直播平台", "platform"), ("投放场景", "surface"),
    ],
)  # fmt: skip
def test_the_words_of_export_sheets(header, meaning):
    columns = Columns.find(["来源" if meaning != "source" else "链接", header])
    assert columns.at(meaning) == 1


@pytest.mark.parametrize(
    ("header", "meaning"),
    [
        ("来源*", "source"), ("*来源", "source"), ("来源（必填）", "source"), ("来源 *", "source"),
        ("【必填】商品链接", "url"), ("链接＊", "url"), ("※链接", "url"), ("日期(选填)", "date"),
        ("Source (required)", "source"), ("场景[可选]", "surface"), ("来源（必填）*", "source"),
        ("*【必填】链接*", "url"),
    ],
)  # fmt: skip
def test_a_header_marked_to_be_filled_in_is_read(header, meaning):
    """Templates mark the columns to fill in (来源*, 来源（必填）): such a header is its name
    — the run stopped with 'no source or url column' (a new user's trial)."""
    columns = Columns.find(["sku", header, "来源" if meaning != "source" else "链接"])
    assert columns.at(meaning) == 1


@pytest.mark.parametrize(
    ("header", "meaning"),
    [
        ("来源（例：天猫）", "source"), ("来源【例如：淘宝】", "source"),
        ("来源 (e.g. Tmall)", "source"),
        ("Source (e.g. tmall, jd-self)", "source"), ("source (eg tmall)", "source"),
        ("日期（格式：2022-11-11）", "date"), ("日期(YYYY-MM-DD)", "date"),
        ("直播日期（年/月/日）", "date"), ("date (format: YYYY-MM-DD)", "date"),
        ("链接(如 https://item.jd.com/1.html)", "url"), ("*来源（例：天猫）", "source"),
        ("场景（示例：直播）", "surface"),
        # the choices, and a label's colon (a second trial: 平台（快手/抖音） unread, every row
        # answered for Kuaishou)
        ("平台（快手/抖音）", "platform"), ("挂链位置（直播/短视频/商家页）", "surface"),
        ("商品来源（天猫/京东）", "source"), ("来源（天猫、京东、拼多多）", "source"),
        ("来源：", "source"), ("来源:", "source"), ("来源（必填）：", "source"),
        # a mark and a note in one bracket, and 或 between choices (a third trial)
        ("来源（必填，例：天猫）", "source"), ("日期（必填，格式：YYYY-MM-DD）", "date"),
        ("平台（快手或抖音）", "platform"), ("Source (required, e.g. tmall)", "source"),
    ],
)  # fmt: skip
def test_a_header_with_a_note_of_what_to_write_is_read(header, meaning):
    """Templates show what to write in a column: 来源（例：天猫）, 日期(YYYY-MM-DD) — such a
    header is its name (the run stopped with 'no source or url column')."""
    columns = Columns.find(["sku", header, "来源" if meaning != "source" else "链接"])
    assert columns.at(meaning) == 1


@pytest.mark.parametrize(
    "header", ["商品链接(备用)", "来源(exotic)", "日期（北京时间）", "(例:天猫)"]
)
def test_a_note_that_is_not_an_example_or_form_keeps_the_header_unread(header):
    """A note that says something else — a backup link, a time zone — is not taken off:
    the column is not read as the meaning, but named as one that looks like it."""
    found = Columns.find(["链接", header])
    assert 1 not in [found.at(m) for m in MEANINGS]


def test_a_checklist_whose_header_shows_what_to_write_is_answered(run, write):
    path = write(
        "list.csv",
        "双11 选品表\n商品名称,来源（例：天猫）,日期（格式：2022-11-11）\n保温杯,天猫,2022-11-11\n",
    )
    result = run("batch", path, "-s", "livestream")
    assert result.exit_code == 0, result.stderr
    assert "source: 来源（例：天猫） (column 2)" in result.stderr
    assert "date: 日期（格式：2022-11-11） (column 3)" in result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[1][3:5] == ["livestream", "allowed"]


def test_a_checklist_whose_header_is_marked_is_answered(run, write):
    """The header row is found by such names too (below a title row), and marks alone are
    no name."""
    path = write(
        "list.csv", "双11 选品表\n*商品名称,来源（必填）,日期*,*\n保温杯,天猫,2022-11-11,x\n"
    )
    result = run("batch", path, "-s", "livestream")
    assert result.exit_code == 0, result.stderr
    assert "source: 来源（必填） (column 2)" in result.stderr
    assert "date: 日期* (column 3)" in result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][:4] == ["*商品名称", "来源（必填）", "日期*", "*"]
    assert rows[1][4:6] == ["livestream", "allowed"]
    # a column named as the header reads without its marks (a third trial)
    named = run("batch", path, "-s", "livestream", "--source-column", "来源", "--date-column",
                "日期")  # fmt: skip
    assert named.exit_code == 0, named.stderr
    assert "source: 来源（必填） (--source-column 2)" in named.stderr


def test_a_product_id_is_not_a_link():
    columns = Columns.find(["商品ID", "来源"])
    assert columns.url is None and columns.source == 1
    assert columns.unread == ()


def test_a_header_that_looks_like_a_meaning_but_is_not_read_is_named(run, write):
    path = write("a.csv", "来源,直播时间,结束时间,备用链接\ntmall,2022-11-11,2022-11-12,\n")
    result = run("batch", path, "--format", "csv", "-s", "livestream")
    assert result.exit_code == 0
    # its cells are dates too: said with one of them
    assert (
        "warning: column 3 '结束时间' holds date values such as '2022-11-12' but is not read "
        "(date: column 2)" in result.stderr
    )
    assert (
        "warning: column 4 '备用链接' looks like a url column but is not read "
        "(--url-column reads it)" in result.stderr
    )
    # a second column with the same meaning is not read either, and said so
    same = Columns.find(["来源", "货源"])
    assert same.source == 0 and same.unread == (("source", 1),)


def test_columns_named_by_header_or_position(run, write):
    path = write("a.csv", "店铺,结束时间,直播时间\ntmall,2022-11-11,2022-06-01\n")
    by_name = run("batch", path, "--format", "csv", "-s", "livestream",
                  "--source-column", "店铺", "--date-column", "结束时间")  # fmt: skip
    assert by_name.exit_code == 0, by_name.stderr
    assert rows_of(by_name.stdout)[1][4] == "allowed"
    assert "source: 店铺 (--source-column 1)" in by_name.stderr
    assert "date: 结束时间 (--date-column 2)" in by_name.stderr
    # the column named for date is not also taken by the header names: 直播时间 is unread
    assert "column 3 '直播时间' holds date values such as '2022-06-01' but is not read" in (
        by_name.stderr
    )
    by_position = run("batch", path, "--format", "csv", "-s", "livestream",
                      "--source-column", "1", "--date-column", "3")  # fmt: skip
    assert rows_of(by_position.stdout)[1][4] == "denied"
    assert "date: 直播时间 (--date-column 3)" in by_position.stderr
    # names compare as names do: case, width and separators
    assert Columns.find(["Shop Name", "x"], {"source": "shop_name"}).source == 0


def test_a_named_column_is_not_taken_by_another_meaning():
    columns = Columns.find(["来源", "日期"], {"url": "来源"})
    assert columns.url == 0 and columns.source is None
    assert columns.named == frozenset({"url"})


@pytest.mark.parametrize(
    ("options", "fragments"),
    [
        (("--date-column", "开始"), ("--date-column '开始' is not a column", "1:来源", "2:日期")),
        (("--date-column", "0"), ("position from 1 to 2",)),
        (("--date-column", "3"), ("position from 1 to 2",)),
        (("--source-column", "1", "--url-column", "来源"), ("both name column 1",)),
    ],
)
def test_a_column_option_that_names_nothing_is_a_clean_error(run, write, options, fragments):
    path = write("a.csv", "来源,日期\ntmall,2022-11-11\n")
    assert_clean_error(run("batch", path, *options), *fragments)


def test_no_source_or_url_column_names_the_options():
    with pytest.raises(InputError, match="--source-column/--url-column"):
        Columns.find(["商品名称", "价格"])


EMPTY_ROWS = {
    "csv": "来源,日期\ntmall,2022-11-11\n,\n\n  , \ntmall,2022-11-11\n",
    "tsv": "来源\t日期\ntmall\t2022-11-11\n\t\n\ntmall\t2022-11-11\n",
    "jsonl": '{"来源": "tmall", "日期": "2022-11-11"}\n{}\n{"来源": ""}\n'
    '{"来源": "tmall", "日期": "2022-11-11"}\n',
}


@pytest.mark.parametrize("fmt", sorted(EMPTY_ROWS))
def test_empty_rows_are_skipped_and_counted_in_every_format(run, write, fmt):
    path = write(f"a.{fmt}", EMPTY_ROWS[fmt])
    result = run("batch", path, "-s", "livestream", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2
    skipped = {"csv": 3, "tsv": 2, "jsonl": 2}[fmt]
    assert f"2 results: allowed 2 · denied 0 · unknown 0 · error 0 ({skipped} empty rows" in (
        result.stderr
    )


def test_empty_rows_of_a_workbook_are_skipped_and_counted(run, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["来源", "日期"])
    sheet.append(["tmall", "2022-11-11"])
    sheet.append(["", ""])  # a row element with empty text cells
    sheet.append(["tmall", "2022-11-11"])
    book.save(tmp_path / "a.xlsx")
    result = run("batch", str(tmp_path / "a.xlsx"), "-s", "livestream", "--format", "jsonl")
    assert [json.loads(line)["verdict"] for line in result.stdout.splitlines()] == [
        "allowed", "allowed",
    ]  # fmt: skip
    assert "(1 empty row skipped)" in result.stderr


def test_blank_json_lines_are_skipped_and_counted_as_an_empty_object_is(run, write):
    # a blank line was skipped without a count, where {} and a blank CSV line are counted
    # (a second trial)
    path = write("a.jsonl", '{"来源":"天猫"}\n\n{"来源":"天猫"}\n   \n{}\n')
    result = run("batch", path, "-s", "直播", "--on", "2022-11-11", "--format", "jsonl")
    assert [json.loads(line)["verdict"] for line in result.stdout.splitlines()] == [
        "allowed", "allowed",
    ]  # fmt: skip
    assert result.stderr.rstrip().endswith("(3 empty rows skipped)")


def test_one_result_is_singular(run, write):
    path = write("a.csv", "来源,日期\ntmall,2022-11-11\n")
    result = run("batch", path, "-s", "livestream", "--format", "csv")
    assert "1 result: allowed 1 · denied 0 · unknown 0 · error 0" in result.stderr


def test_the_checklists_page_lists_every_header_name():
    page = Path(__file__).parent.parent / "docs" / "checklists.md"
    for meaning, names in COLUMN_NAMES.items():
        row = next(
            line
            for line in page.read_text(encoding="utf-8").splitlines()
            if line.startswith(f"| {meaning} | ")
        )
        assert row == f"| {meaning} | {', '.join(f'`{n}`' for n in names)} |"
