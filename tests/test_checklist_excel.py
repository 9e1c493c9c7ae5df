"""The Excel round trip: a BOM when the input came from a spreadsheet program, workbook cells
keeping their types and number formats (read back by independent readers: python-calamine,
and the workbook's own XML), and spreadsheet files that are not read said so."""

from __future__ import annotations

import codecs
import os
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest

from .helpers import assert_clean_error

EXAMPLES = Path(__file__).parent.parent / "examples"
TEXT = "来源,链接地址,直播时间,商品名称\n天猫,,2022-11-11,保温杯\n"


@pytest.mark.parametrize(
    ("encoded", "options", "bom"),
    [
        (TEXT.encode("gb18030"), (), True),
        (codecs.BOM_UTF8 + TEXT.encode(), (), True),
        (TEXT.encode("utf-16"), (), True),
        (TEXT.encode(), (), False),
        (TEXT.encode("gb18030"), ("--no-bom",), False),
        (TEXT.encode(), ("--bom",), True),
        (TEXT.encode(), ("--excel",), True),
    ],
    ids=["gb18030", "utf-8-bom", "utf-16", "utf-8", "gb18030-no-bom", "bom", "excel"],
)
@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_csv_gets_a_bom_when_its_input_came_from_a_spreadsheet(
    run, tmp_path, write, encoded, options, bom, suffix
):
    path = write("in.csv", encoded)
    out = tmp_path / f"out{suffix}"
    result = run("batch", path, "-o", str(out), "-s", "livestream", *options)
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(codecs.BOM_UTF8) is bom
    assert "保温杯" in data.decode("utf-8-sig")


def test_a_workbook_read_gives_csv_a_bom_and_json_never_has_one(run, tmp_path, write):
    out = tmp_path / "out.csv"
    run("batch", str(EXAMPLES / "schedule.xlsx"), "-o", str(out), "--fail-on", "never")
    assert out.read_bytes().startswith(codecs.BOM_UTF8)
    path = write("in.csv", TEXT.encode("gb18030"))
    for fmt in ("jsonl", "json"):
        target = tmp_path / f"out.{fmt}"
        assert run("batch", path, "-o", str(target), "--bom", "-s", "直播").exit_code == 0
        assert target.read_bytes()[:1] in (b"{", b"[")


def _calamine_rows(path) -> list[list]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_index(0).to_python()


def _xml_number_formats(path) -> dict[str, str]:
    """{cell reference: number format} for the first sheet, read from the XML itself."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as archive:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
        sheet_name = next(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        sheet = ElementTree.fromstring(archive.read(sheet_name))
    custom = {
        f.get("numFmtId"): f.get("formatCode") for f in styles.iterfind("m:numFmts/m:numFmt", ns)
    }
    xfs = [xf.get("numFmtId", "0") for xf in styles.iterfind("m:cellXfs/m:xf", ns)]
    found = {}
    for cell in sheet.iterfind(".//m:c", ns):
        ident = xfs[int(cell.get("s", "0"))]
        found[cell.get("r")] = custom.get(
            ident, {"0": "General", "2": "0.00", "14": "mm-dd-yy"}.get(ident)
        )
    return found


def test_a_typed_workbook_comes_back_typed(run, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("python_calamine")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["SKU", "来源", "开播日期", "价格", "标题", "在售"])
    sheet.append([123, "天猫", datetime(2022, 11, 11), 99.9, "=SUM(1,2) 标题", True])
    sheet.append([124, "天猫", datetime(2022, 11, 30, 20, 0), 10, "+86 138 0013 8000", False])
    sheet.append([125, "天猫", datetime(2022, 12, 1), -1.5, "-1+2", None])
    for row in (2, 3, 4):
        sheet[f"A{row}"].number_format = "00000"
        sheet[f"C{row}"].number_format = "yyyy/m/d"
        sheet[f"D{row}"].number_format = "0.00"
        sheet[f"E{row}"].data_type = "s"  # text, as a CSV import or a typed ' leaves it
    src = tmp_path / "in.xlsx"
    book.save(src)
    out = tmp_path / "out.xlsx"
    result = run("batch", str(src), "-o", str(out), "-s", "livestream")
    assert result.exit_code == 0, result.stderr
    rows = _calamine_rows(out)
    assert rows[0] == ["SKU", "来源", "开播日期", "价格", "标题", "在售",
                       "surface", "verdict", "rule", "next_change", "note"]  # fmt: skip
    assert rows[1][:8] == [123, "天猫", date(2022, 11, 11), 99.9, "=SUM(1,2) 标题", True,
                           "livestream", "allowed"]  # fmt: skip
    assert rows[2][:6] == [124, "天猫", datetime(2022, 11, 30, 20, 0), 10, "+86 138 0013 8000",
                           False]  # fmt: skip
    assert rows[3][:6] == [125, "天猫", date(2022, 12, 1), -1.5, "-1+2", ""]
    # no stray apostrophe anywhere, and the number formats of the input kept
    assert not any(isinstance(c, str) and c.startswith("'") for row in rows for c in row)
    formats = _xml_number_formats(out)
    assert [formats[f"A{r}"] for r in (2, 3, 4)] == ["00000"] * 3
    assert formats["C2"] == "yyyy/m/d" and formats["D2"] == "0.00"
    assert formats["B2"] == "General"
    # CSV shows the SKU as the sheet does
    as_csv = run("batch", str(src), "--format", "csv", "-s", "livestream")
    assert as_csv.stdout.splitlines()[1].startswith("00123,天猫,2022-11-11,99.9,")


def test_a_gb18030_checklist_to_a_workbook(run, tmp_path, write):
    pytest.importorskip("openpyxl")
    pytest.importorskip("python_calamine")
    src = write(
        "清单.csv",
        "商品名称,来源,链接地址,直播时间,价格\r\n保温杯,天猫,,2022/11/11,89.9\r\n"
        "连衣裙,,https://item.jd.com/100012043978.html,2022-11-11,259\r\n"
        '"=SUM(1,2) 标题",快手小店,,2022-11-11,9.9\r\n'.encode("gb18030"),
    )
    out = tmp_path / "结果.xlsx"
    result = run("batch", src, "-o", str(out), "-s", "livestream", "--fail-on", "never")
    assert result.exit_code == 0, result.stderr
    assert "url: 链接地址 (column 3)" in result.stderr
    assert "date: 直播时间 (column 4)" in result.stderr
    rows = _calamine_rows(out)
    assert rows[1][:7] == ["保温杯", "天猫", "", "2022/11/11", "89.9", "livestream", "allowed"]
    assert rows[2][6] == "unknown"  # a JD link: self-operated or POP
    assert rows[3][0] == "=SUM(1,2) 标题"  # text, not a formula, no apostrophe
    assert rows[3][6] == "allowed"


def test_a_json_lines_number_is_a_number_in_a_workbook(run, tmp_path, write):
    pytest.importorskip("openpyxl")
    pytest.importorskip("python_calamine")
    src = write(
        "in.jsonl",
        b'{"source": "tmall", "on": "2022-11-11", "price": 99.9, "n": 3, "big": '
        b'12345678901234567890, "id": "00123"}\n',
    )
    out = tmp_path / "out.xlsx"
    assert run("batch", src, "-o", str(out), "-s", "livestream").exit_code == 0
    row = _calamine_rows(out)[1]
    assert row[2:6] == [99.9, 3, "12345678901234567890", "00123"]


@pytest.mark.parametrize("suffix", [".xls", ".ods", ".xlsb", ".numbers", ".et"])
def test_spreadsheets_it_does_not_read_are_refused_saying_so(run, write, suffix):
    path = write(f"清单{suffix}", b"\xd0\xcf\x11\xe0")
    assert_clean_error(run("batch", path), "which linkcheck does not read", "save it as .xlsx")


def test_an_unknown_extension_says_why(run, write):
    path = write("list.txt", TEXT.encode())
    assert_clean_error(run("batch", path), "'.txt' is not one it knows", "--input-format")
    bare = write("list", TEXT.encode())
    assert_clean_error(run("batch", bare), "it has none")


def test_a_pipe_named_without_an_extension_is_read_as_csv_as_stdin_is(run, write, tmp_path):
    """`linkcheck batch /dev/stdin`, `batch <(iconv … list.csv)`: a pipe or a FIFO named by a
    path with no extension is CSV, as stdin is (it asked for --input-format, a trial); a
    regular file without one still says it cannot tell."""
    import os
    import threading

    expected = run("batch", write("list.csv", TEXT.encode()), "--fail-on", "never")
    assert expected.exit_code == 0
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "wb") as f:
            f.write(TEXT.encode())

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    result = run("batch", str(fifo), "--fail-on", "never")
    feeder.join(5)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == expected.stdout
    r, w = os.pipe()
    os.write(w, TEXT.encode())
    os.close(w)
    try:
        result = run("batch", f"/dev/fd/{r}", "--fail-on", "never")
    finally:
        os.close(r)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == expected.stdout
    assert_clean_error(run("batch", write("plain", TEXT.encode())), "it has none")


@pytest.mark.skipif(not os.path.exists("/dev/stdin"), reason="no /dev/stdin")
def test_dev_stdin_redirected_from_a_file_is_read_as_csv(write):
    """`batch /dev/stdin < list.csv`: stdin is then the file itself, a regular file named
    without an extension — it asked for --input-format (a trial)."""
    import subprocess
    import sys

    path = write("list.csv", TEXT.encode())
    with open(path, "rb") as stdin:
        done = subprocess.run([sys.executable, "-m", "linkcheck", "batch", "/dev/stdin",
                               "--fail-on", "never"], stdin=stdin, capture_output=True,
                              timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8").startswith("来源,链接地址,直播时间,商品名称,surface,")


@pytest.mark.parametrize(
    ("out", "options", "fragment"),
    [
        ("out.xls", (), "linkcheck writes .xlsx workbooks, not an old Excel workbook"),
        ("out.xlsm", (), "not macro-enabled ones"),
        ("out.ods", (), "not an OpenDocument spreadsheet"),
        ("out.xlsx", ("--format", "csv"), "--format csv does not match"),
        ("out.csv", ("--format", "jsonl"), "name it .jsonl or leave out --format"),
        ("out.json", ("--format", "jsonl"), "(json)"),
    ],
)
def test_an_output_whose_extension_does_not_match_is_refused(
    run, tmp_path, write, out, options, fragment
):
    path = write("in.csv", TEXT.encode())
    target = tmp_path / out
    assert_clean_error(run("batch", path, "-o", str(target), *options), fragment)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "in.csv"]


def test_an_unknown_output_extension_takes_the_format_asked_for(run, tmp_path, write):
    path = write("in.csv", TEXT.encode())
    target = tmp_path / "out.txt"
    assert run("batch", path, "-o", str(target), "--format", "tsv", "-s", "直播").exit_code == 0
    assert re.match(r"来源\t链接地址", target.read_text(encoding="utf-8"))


def _openpyxl_rows(path) -> list[list]:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(path)  # refuses a workbook whose XML is malformed
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def _both_readers(path) -> tuple[list[list], list[list]]:
    """The first sheet read by openpyxl and by python-calamine (independent readers: one in
    Python, one in Rust), each row padded with None / "" as the reader gives empty cells."""
    pytest.importorskip("python_calamine")
    return _openpyxl_rows(path), _calamine_rows(path)


def _typed_book(tmp_path) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["SKU", "来源", "开播日期", "价格", "标题", "在售"])
    sheet.append([123, "天猫", datetime(2022, 11, 11), 99.9, "=SUM(1,2) 标题", True])
    sheet.append([124, "京东自营", datetime(2022, 12, 1, 20, 0), 10, "+86 138 0013 8000", False])
    for row in (2, 3):
        sheet[f"A{row}"].number_format = "00000"
        sheet[f"E{row}"].data_type = "s"
    path = tmp_path / "in.xlsx"
    book.save(path)
    return path


APPENDED_NAMES = ["surface", "verdict", "rule", "next_change", "note"]
TMALL_RULE = {"live-preview": "kuaishou-2022-tmall-preview"}
JD_SELF_DEC = ["unknown", "kuaishou-2022-after-jd-self-window"]


@pytest.mark.parametrize(
    ("surfaces", "expected_surfaces"),
    [
        ((), ["livestream", "short-video"]),  # the default a user gets: two answers a row
        (("-s", "直播", "-s", "短视频", "-s", "直播预告"),
         ["livestream", "short-video", "live-preview"]),
        (("-s", "livestream"), ["livestream"]),
    ],
    ids=["default-two", "three", "one"],
)  # fmt: skip
def test_a_workbook_with_several_answers_a_row_opens_in_two_readers(
    run, tmp_path, surfaces, expected_surfaces
):
    """Every answer row repeats the input row's cells with their types (a cell object
    written twice once made a workbook that no reader opened)."""
    out = tmp_path / "out.xlsx"
    result = run("batch", str(_typed_book(tmp_path)), "-o", str(out), *surfaces,
                 "--fail-on", "never")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    by_openpyxl, by_calamine = _both_readers(out)
    n = len(expected_surfaces)
    assert len(by_openpyxl) == len(by_calamine) == 1 + 2 * n
    header = ["SKU", "来源", "开播日期", "价格", "标题", "在售", *APPENDED_NAMES]
    assert by_openpyxl[0] == by_calamine[0] == header
    for i, surface in enumerate(expected_surfaces):
        tmall, jd = by_openpyxl[1 + i], by_openpyxl[1 + n + i]
        assert tmall[:7] == [123, "天猫", datetime(2022, 11, 11), 99.9, "=SUM(1,2) 标题",
                             True, surface]  # fmt: skip
        assert [type(c) for c in tmall[:6]] == [int, str, datetime, float, str, bool]
        tmall_answer = [
            "allowed",
            TMALL_RULE.get(surface, "kuaishou-2022-tmall-window"),
            "2023-01-01T00:00:00+08:00 unknown",
        ]
        assert tmall[7:10] == tmall_answer
        assert jd[:7] == [124, "京东自营", datetime(2022, 12, 1, 20, 0), 10,
                          "+86 138 0013 8000", False, surface]  # fmt: skip
        assert jd[7:9] == JD_SELF_DEC
        tmall_c, jd_c = by_calamine[1 + i], by_calamine[1 + n + i]
        assert tmall_c[:10] == [123, "天猫", date(2022, 11, 11), 99.9, "=SUM(1,2) 标题", True,
                                surface, *tmall_answer]  # fmt: skip
        assert jd_c[:9] == [124, "京东自营", datetime(2022, 12, 1, 20, 0), 10,
                            "+86 138 0013 8000", False, surface, *JD_SELF_DEC]  # fmt: skip
    formats = _xml_number_formats(out)
    assert [formats[f"A{r}"] for r in range(2, 2 + 2 * n)] == ["00000"] * (2 * n)


@pytest.mark.parametrize("kind", ["csv-gb18030", "jsonl"])
def test_text_checklists_with_two_answers_a_row_make_a_workbook_that_opens(
    run, tmp_path, write, kind
):
    if kind == "jsonl":
        src = write("in.jsonl",
                    '{"来源": "天猫", "直播时间": "2022-11-11", "价格": 89.9, "标题": "保温杯"}\n'
                    '{"来源": "拼多多", "直播时间": "2022-11-11", "价格": 12, "标题": "=1+1"}\n'
                    .encode())  # fmt: skip
        price = [89.9, 12]
    else:
        src = write("in.csv",
                    "来源,直播时间,价格,标题\r\n天猫,2022-11-11,89.9,保温杯\r\n"
                    "拼多多,2022-11-11,12,=1+1\r\n".encode("gb18030"))  # fmt: skip
        price = ["89.9", "12"]  # CSV cells are text, and stay text
    out = tmp_path / "out.xlsx"
    result = run("batch", src, "-o", str(out), "--fail-on", "never")
    assert result.exit_code == 0, result.stderr
    for rows in _both_readers(out):
        assert [r[:6] for r in rows[1:]] == [
            ["天猫", "2022-11-11", price[0], "保温杯", "livestream", "allowed"],
            ["天猫", "2022-11-11", price[0], "保温杯", "short-video", "allowed"],
            ["拼多多", "2022-11-11", price[1], "=1+1", "livestream", "unknown"],
            ["拼多多", "2022-11-11", price[1], "=1+1", "short-video", "unknown"],
        ]


@pytest.mark.parametrize("rows", [3, 2])
def test_answers_past_a_sheets_last_row_stop_the_run_before_a_workbook_is_made(
    run, tmp_path, write, monkeypatch, rows
):
    """A sheet has 1,048,576 rows (here 5); a row an answer for each of two surfaces past
    them stops the run, saying to write CSV, and -o keeps what it held — a workbook of
    1,119,600 rows was written, which Excel cuts short or will not open (a new user's
    trial). The rows that fit make a workbook."""
    pytest.importorskip("openpyxl")
    from linkcheck.batch import writers

    monkeypatch.setattr(writers, "SHEET_ROWS", 5)
    body = "".join(f"{n},天猫,2022-11-11\n" for n in range(rows))
    src = write("list.csv", "sku,来源,日期\n" + body)
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"kept")
    result = run("batch", src, "-o", str(out), "-s", "livestream,short-video", "--fail-on",
                 "never")  # fmt: skip
    if rows == 2:  # a header and four answers: the sheet full
        assert result.exit_code == 0, result.stderr
        assert len(_calamine_rows(out)) == 5
        return
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "Error: a workbook's sheet holds 5 rows and the answers need more (a row for each "
        "surface asked about); write CSV instead (-o OUT.csv)"
    )
    assert out.read_bytes() == b"kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["list.csv", "out.xlsx"]


def test_a_formula_with_no_value_saved_is_its_text_never_no_cell(run, tmp_path):
    """A workbook written by a program keeps formulas without their values: a date cell
    =DATE(2022,6,1) was read as no date, and the row answered for --on — allowed, where
    that day is denied (a trial). It is an error row saying so; a link in =HYPERLINK(…) is
    read; another cell passes through as its formula's text, never as a live formula."""
    import csv
    import io

    from openpyxl import Workbook, load_workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["商品名称", "来源", "商品链接", "直播时间"])
    sheet.append(["=1+1", "天猫", None, "=DATE(2022,6,1)"])
    sheet.append(["鞋", None, '=HYPERLINK("https://detail.tmall.com/item.htm?id=9","打开")',
                  "2022-11-11"])  # fmt: skip
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    result = run("batch", str(path), "--on", "2022-11-11", "-s", "livestream", "--format",
                 "csv", "--fail-on", "never")  # fmt: skip
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[1][:6] == ["'=1+1", "天猫", "", "'=DATE(2022,6,1)", "livestream", "error"]
    assert rows[1][8].startswith("'=DATE(2022,6,1)' is a formula, not a date")
    assert rows[2][4:7] == ["livestream", "allowed", "kuaishou-2022-tmall-window"]
    out = tmp_path / "out.xlsx"
    assert run("batch", str(path), "--on", "2022-11-11", "-s", "livestream", "-o", str(out),
               "--fail-on", "never").exit_code == 0  # fmt: skip
    written = load_workbook(out)
    cell = written.active["A2"]
    assert cell.data_type == "s" and cell.value == "=1+1"  # text, not a formula
    assert _calamine_rows(out)[1][0] == "=1+1"
