"""Hostile and malformed .xlsx checklists, and cells a workbook cannot keep (issue: Hardening).

Each workbook here is a real one written by openpyxl with one part replaced, so the only
thing wrong with it is the thing under test.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from linkcheck import batch
from linkcheck.batch import workbook as book_reader

from ..helpers import assert_clean_error, batch_under_512_mib

openpyxl = pytest.importorskip("openpyxl")

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET = "xl/worksheets/sheet1.xml"


def sheet_xml(rows: str, dimension: str = "A1:B2") -> str:
    return (
        f'<worksheet {NS}><dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER = f'<row r="1">{inline("A1", "source")}{inline("B1", "date")}</row>'


def tmall_row(r: int) -> str:
    return f'<row r="{r}">{inline(f"A{r}", "tmall")}{inline(f"B{r}", "2022-11-11")}</row>'


def workbook(path: Path, replace: dict) -> Path:
    """A workbook openpyxl wrote, with the parts in `replace` swapped (or added); a part
    may be given as a list or an iterator of chunks (written as they come)."""
    plain = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(["source", "date"])
    book.save(plain)
    if "xl/sharedStrings.xml" in replace:  # openpyxl writes inline strings: declare the part
        replace = {**replace, **_declare_shared_strings(plain)}
    archives = (
        zipfile.ZipFile(plain),
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1),
    )
    with archives[0] as original, archives[1] as out:
        for info in original.infolist():
            if info.filename not in replace:
                out.writestr(info, original.read(info))
        for name, data in replace.items():
            with out.open(name, "w", force_zip64=True) as part:
                for chunk in [data] if isinstance(data, (str, bytes)) else data:
                    part.write(chunk.encode() if isinstance(chunk, str) else chunk)
    return path


def _declare_shared_strings(plain: io.BytesIO) -> dict[str, str]:
    with zipfile.ZipFile(plain) as original:
        rels = original.read("xl/_rels/workbook.xml.rels").decode()
        types = original.read("[Content_Types].xml").decode()
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    rel = f'<Relationship Type="{kind}" Target="sharedStrings.xml" Id="rId99" />'
    content = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{content}" />'
    return {
        "xl/_rels/workbook.xml.rels": rels.replace("</Relationships>", rel + "</Relationships>"),
        "[Content_Types].xml": types.replace("</Types>", override + "</Types>"),
    }


def rows_of(path: Path) -> list[list[str]]:
    with open(path, "rb") as f:
        header, rows = book_reader.read_xlsx(f)
        return [header, *rows]


def test_a_claimed_dimension_does_not_pad_the_rows(tmp_path):
    # the dimension says 16,384 columns by 20,000 rows; only two rows of two cells exist
    path = workbook(tmp_path / "dim.xlsx", {SHEET: sheet_xml(HEADER + tmall_row(2), "A1:XFD20000")})
    assert rows_of(path) == [["source", "date"], ["tmall", "2022-11-11"]]


def test_a_far_row_number_is_not_reached_by_counting(tmp_path):
    path = workbook(tmp_path / "far.xlsx", {SHEET: sheet_xml(HEADER + tmall_row(999_999_999))})
    assert rows_of(path) == [["source", "date"], ["tmall", "2022-11-11"]]


def test_a_cell_far_beyond_the_header_is_kept_as_an_extra_cell(run, tmp_path):
    cells = inline("A2", "tmall") + inline("B2", "2022-11-11") + inline("XFD2", "far")
    row = f'<row r="2">{cells}</row>'
    path = workbook(tmp_path / "wide.xlsx", {SHEET: sheet_xml(HEADER + row + tmall_row(3))})
    assert rows_of(path)[1] == ["tmall", "2022-11-11", "far"]
    result = run("batch", str(path), "-s", "livestream", "--format", "csv", "--fail-on", "never")
    lines = result.stdout.splitlines()
    assert lines[1].startswith("tmall,2022-11-11,,error,")
    assert 'extra cells: [""far""]' in lines[1]
    assert ",allowed," in lines[2]


@pytest.mark.parametrize(
    "row, fragment",
    [
        ('<row r="2"><c r="2A" t="inlineStr"><is><t>x</t></is></c></row>', "malformed"),
        ('<row r="2"><c r="A2" t="n"><v>not a number</v></c></row>', "malformed"),
        ('<row r="2"><c r="A2" t="d"><v>2022-13-45</v></c></row>', "malformed"),
        ('<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c>', "malformed"),  # bad XML
    ],
)
def test_a_malformed_sheet_is_a_clean_exit_2_and_leaves_no_file(run, tmp_path, row, fragment):
    path = workbook(tmp_path / "bad.xlsx", {SHEET: sheet_xml(HEADER + row)})
    out = tmp_path / "out.csv"
    result = run("batch", str(path), "-o", str(out))
    assert_clean_error(result, f"input '{path}'", fragment)
    assert list(tmp_path.iterdir()) == [path]  # no output, no temporary file


def test_a_malformed_workbook_part_is_a_clean_exit_2(run, tmp_path):
    path = workbook(tmp_path / "bad.xlsx", {"xl/workbook.xml": "<workbook"})
    assert_clean_error(run("batch", str(path)), f"input '{path}'", "not a readable .xlsx")


def test_not_a_zip_is_a_clean_exit_2(run, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("source\ntmall\n")
    assert_clean_error(run("batch", str(path)), "not a readable .xlsx workbook")


def test_a_huge_part_that_is_parsed_whole_is_refused(run, tmp_path, monkeypatch):
    monkeypatch.setattr(book_reader, "XLSX_PART_LIMIT", 1 << 20)
    styles = '<styleSheet xmlns="x">' + " " * (2 << 20) + "</styleSheet>"
    path = workbook(tmp_path / "styles.xlsx", {"xl/styles.xml": styles})
    assert_clean_error(
        run("batch", str(path)), "'xl/styles.xml' unpacks to 2,097,", "save the sheet as CSV"
    )


def _shared_strings_bomb(path: Path, strings: int, size: int) -> Path:
    """A small file whose shared strings unpack to `strings` texts of `size` bytes each."""
    start = f'<sst {NS} count="{strings}" uniqueCount="{strings}">'
    one = [b"<si><t>", b"a" * size, b"</t></si>"]
    return workbook(path, {"xl/sharedStrings.xml": [start, *one * strings, "</sst>"]})


@pytest.mark.subprocess
def test_a_shared_strings_bomb_is_refused_before_it_is_read(tmp_path):
    """Under a 512 MiB address-space limit the bomb must be refused, not read until memory
    runs out: 900 texts of 1 MiB (openpyxl would hold 900 MiB), from a file of 4 MiB."""
    path = _shared_strings_bomb(tmp_path / "bomb.xlsx", 900, 1 << 20)
    assert path.stat().st_size < 5 << 20
    done = batch_under_512_mib(str(path))
    assert done.returncode == 2, done.stderr
    assert "shared strings would take about 1,800 MiB of memory" in done.stderr
    assert "save the sheet as CSV" in done.stderr
    assert "Traceback" not in done.stderr


def test_many_small_shared_strings_are_counted(tmp_path, monkeypatch):
    monkeypatch.setattr(book_reader, "XLSX_SHARED_MEMORY", 10 << 20)  # ~80,000 strings
    path = _shared_strings_bomb(tmp_path / "many.xlsx", 100_000, 1)
    with pytest.raises(batch.InputError, match="100,000 shared strings would take about"):
        rows_of(path)


def test_shared_strings_the_workbook_says_are_too_many_are_refused_before_they_are_counted(
    tmp_path, monkeypatch
):
    """30 million shared strings took 21 s to count before they were refused, though the
    file says how many in its first tag (a trial): that count refuses them at once. One
    that says fewer than it holds is still counted, and refused by its count."""
    counted: list[int] = []
    real = book_reader.Units.feed
    monkeypatch.setattr(book_reader.Units, "feed",
                        lambda self, chunk: counted.append(1) or real(self, chunk))  # fmt: skip
    start = f'<sst {NS} count="30000000" uniqueCount="30000000">'
    path = workbook(tmp_path / "says.xlsx",
                    {"xl/sharedStrings.xml": [start, "<si><t>a</t></si>", "</sst>"]})  # fmt: skip
    with pytest.raises(batch.InputError, match="30,000,000 shared strings would take about"):
        rows_of(path)
    assert counted == []  # refused before the first chunk was counted
    monkeypatch.setattr(book_reader, "XLSX_SHARED_MEMORY", 10 << 20)
    lying = f'<sst {NS} count="1" uniqueCount="1">'
    path = workbook(tmp_path / "lies.xlsx",
                    {"xl/sharedStrings.xml": [lying, *[b"<si><t>a</t></si>"] * 100_000,
                                              "</sst>"]})  # fmt: skip
    with pytest.raises(batch.InputError, match="100,000 shared strings would take about"):
        rows_of(path)


def test_real_shared_strings_are_read(tmp_path):
    sst = (
        f'<sst {NS} count="2" uniqueCount="2"><si><t>天猫</t></si><si><t>2022-11-11</t></si></sst>'
    )
    row = '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c></row>'
    path = workbook(
        tmp_path / "shared.xlsx", {SHEET: sheet_xml(HEADER + row), "xl/sharedStrings.xml": sst}
    )
    assert rows_of(path)[1:] == [["天猫", "2022-11-11"]]


def test_a_carriage_return_cannot_reach_a_workbook_quietly(run, tmp_path):
    out = tmp_path / "out.xlsx"
    data = 'source,date,title\ntmall,2022-11-11,"line one\r\nline two"\n'
    result = run("batch", "-", "-s", "livestream", "-o", str(out), input=data)
    assert result.exit_code == 1
    rows = list(openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert rows[1][2] == "line one\\r\nline two"
    assert rows[1][4] == "error"
    assert "column 3 has control characters or a carriage return" in rows[1][7]


def test_xlsx_from_stdin_is_spooled_not_held(run, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["source", "date"])
    book.active.append(["tmall", "2022-11-11"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = run(
        "batch", "-", "--input-format", "xlsx", "-s", "livestream", "--format", "csv",
        input=buffer.getvalue(),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert ",allowed," in result.stdout.splitlines()[1]


def _central_entries(path: Path, patch) -> Path:
    """A plain workbook with `patch(data, offset)` applied at each central-directory entry."""
    plain = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(["source", "date"])
    book.save(plain)
    data = bytearray(plain.getvalue())
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) != -1:
        patch(data, at)
        at += 4
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    "patch, fragment",
    [
        # version needed to extract: 7.5, which Python's zipfile does not read
        (lambda d, at: d.__setitem__(slice(at + 6, at + 8), (75).to_bytes(2, "little")),
         "zip file version 7.5"),
        # general purpose flag: encrypted ("password required")
        (lambda d, at: d.__setitem__(at + 8, d[at + 8] | 0x01), "encrypted"),
    ],
    ids=["zip-version-7.5", "encrypted"],
)  # fmt: skip
def test_a_zip_feature_python_cannot_read_is_a_clean_exit_2(run, tmp_path, patch, fragment):
    """Found by the workbook fuzzer: zipfile raised NotImplementedError and RuntimeError,
    tracebacks."""
    path = _central_entries(tmp_path / "odd.xlsx", patch)
    assert_clean_error(
        run("batch", str(path)), f"input '{path}'", "not a readable .xlsx workbook", fragment
    )


@pytest.mark.parametrize(
    ("exc", "said"),
    [
        (KeyError("xl/sharedStrings.xml"), "a part it names is missing: 'xl/sharedStrings.xml'"),
        (EOFError(), "it is cut short"),
        (zipfile.BadZipFile("Bad CRC-32"), "its zip archive is broken: Bad CRC-32"),
        (ValueError("x\x1b[31m"), "its content is not as a workbook's: x\\x1b[31m"),
    ],
)  # fmt: skip
def test_why_a_workbook_cannot_be_read_is_said_in_words(exc, said):
    """Python's exception names (ParseError, BadZipFile) were the reason shown; a reason
    without a detail is its words alone, and a detail's control characters are escaped."""
    assert str(book_reader._why(exc)) == said
