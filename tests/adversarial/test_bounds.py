"""Memory and time have a bound on every reader (issue 22, "Memory and time grow without
bound"): each hostile input of the issue, run under a 512 MiB address-space limit, is refused
with one line naming the input and the bound (exit 2), where it took gigabytes, minutes or
the whole disk before. The bounds are stated in docs/checklists.md.

Files are written as streams (a workbook part chunk by chunk), never held whole; where the
issue's input is larger than needed to pass a bound, the docstring says what it was."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from linkcheck.batch import encodings, headers, readers
from linkcheck.batch import workbook as book_reader

from ..helpers import batch_under_512_mib
from .test_workbooks import HEADER, NS, SHEET, inline, workbook

pytest.importorskip("openpyxl")

MiB = 1 << 20
ROW_REFUSED = (
    "row 2 of the sheet's XML takes more than 16,777,216 bytes or 100,000 XML "
    "elements, the most read of one row; save the sheet as CSV"
)


def refused(done: subprocess.CompletedProcess, path, reason: str) -> None:
    """Exit 2 and one line on stderr: the input and the bound."""
    assert (done.returncode, done.stderr) == (2, f"Error: input '{path}': {reason}\n")


def sheet(*rows) -> list:
    """A sheet's XML as chunks: `rows` are strings or iterators of chunks."""
    return [f"<worksheet {NS}><sheetData>", *rows, "</sheetData></worksheet>"]


def repeated(chunk: bytes, times: int):
    for _ in range(times):
        yield chunk


def flat(*parts):
    for part in parts:
        if isinstance(part, (str, bytes)):
            yield part
        else:
            yield from part


@pytest.mark.subprocess
def test_dev_zero_as_a_workbook_is_refused_at_the_spool_bound():
    """It claims to seek, so zipfile read it to its end: 15.7 GB in 60 s (a MemoryError
    traceback at 512 MiB). Now a device is copied like a pipe, and no further than
    MAX_SPOOL (set to 8 MiB here so that the test writes 8 MiB, not 512)."""
    done = batch_under_512_mib(
        "/dev/zero",
        "--input-format",
        "xlsx",
        prelude="import linkcheck.batch.encodings as e; e.MAX_SPOOL = 8 << 20",
    )
    refused(
        done,
        "/dev/zero",
        "the input stream runs past 8,388,608 bytes, the most copied from a pipe or device "
        "to be read: save it to a file and name the file",
    )


@pytest.mark.subprocess
@pytest.mark.parametrize(
    "fmt, chunk",
    [
        ("xlsx", 'b"PK\\x03\\x04" + b"x" * (1 << 20)'),
        ("jsonl", """b'{"source":"tmall"}\\n' * 50_000"""),
    ],
)
def test_an_endless_pipe_is_not_spooled_without_limit(tmp_path, fmt, chunk):
    """An endless pipe as xlsx or JSON Lines was copied to the temporary folder until the
    disk was full (1.1 GB in 5 s; 60 GB when tried again here)."""
    feeder = subprocess.Popen(
        [sys.executable, "-c", f"import sys\nb = {chunk}\nwhile True: sys.stdout.buffer.write(b)"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        done = batch_under_512_mib(
            "-",
            "--input-format",
            fmt,
            stdin=feeder.stdout,
            prelude="import linkcheck.batch.encodings as e; e.MAX_SPOOL = 8 << 20",
        )
    finally:
        feeder.kill()
        feeder.wait()
        feeder.stdout.close()
    refused(
        done,
        "stdin",
        "the input stream runs past 8,388,608 bytes, the most copied from a pipe or device "
        "to be read: save it to a file and name the file",
    )


def test_a_file_is_read_in_place_and_a_device_copied(tmp_path, monkeypatch):
    monkeypatch.setattr(encodings, "MAX_SPOOL", 1 << 20)
    path = tmp_path / "a.csv"
    path.write_bytes(b"source\ntmall\n")
    with open(path, "rb") as f:
        assert encodings.rereadable(f) is f
    with open("/dev/zero", "rb") as zero:
        assert zero.seekable()  # it claims to, and reads on without end
        with pytest.raises(readers.InputError, match="runs past 1,048,576 bytes"):
            encodings.rereadable(zero)


@pytest.mark.subprocess
def test_a_300_mb_inline_string_is_refused_at_the_row_bound(tmp_path):
    """A 300 MB inline string in a 1.4 MB file took 2.46 GB."""
    text = repeated(b"a" * MiB, 300)
    cell = flat('<row r="2"><c r="A2" t="inlineStr"><is><t>', text, "</t></is></c></row>")
    path = workbook(tmp_path / "inline.xlsx", {SHEET: flat(*sheet(HEADER, cell))})
    assert path.stat().st_size < 2 * MiB
    refused(batch_under_512_mib(str(path)), path, ROW_REFUSED)


@pytest.mark.subprocess
def test_a_60_mb_styles_part_is_refused_by_its_size(tmp_path):
    """A 60 MB styles.xml (parsed whole by openpyxl) took 2.7 GB and 79 s."""
    xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'  # 53 bytes
    start, end = f"<styleSheet {NS}><cellXfs>", "</cellXfs></styleSheet>"
    count, fill = divmod(60 * MiB - len(start) - len(end), len(xf))
    many, rest = divmod(count, 10_000)
    styles = flat(start, repeated(xf * 10_000, many), xf * rest, b" " * fill, end)
    path = workbook(tmp_path / "styles.xlsx", {"xl/styles.xml": styles})
    refused(
        batch_under_512_mib(str(path)),
        path,
        "the workbook part 'xl/styles.xml' unpacks to 62,914,560 bytes, more than the 8 MiB "
        "read from a workbook; save the sheet as CSV",
    )


@pytest.mark.subprocess
def test_a_450_mb_shared_string_that_passes_the_size_estimate_is_refused(tmp_path):
    """One shared string of 450 MB: 900 MB estimated, under the 1 GiB of
    XLSX_SHARED_MEMORY, but 3.7 GB at its peak."""
    text = repeated(b"a" * MiB, 450)
    sst = flat(f'<sst {NS} count="1" uniqueCount="1"><si><t>', text, "</t></si></sst>")
    row = '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    path = workbook(
        tmp_path / "shared.xlsx", {SHEET: flat(*sheet(HEADER, row)), "xl/sharedStrings.xml": sst}
    )
    refused(
        batch_under_512_mib(str(path)),
        path,
        "shared string 1 of the workbook takes more than 16,777,216 bytes or 100,000 XML "
        "elements, the most read of one string; save the sheet as CSV",
    )


@pytest.mark.subprocess
@pytest.mark.parametrize("where", ["sheet", "shared strings"])
def test_5_million_rich_text_runs_are_refused(tmp_path, where):
    """5 million runs in one rich-text cell took 2.35 GB."""
    runs = repeated(b"<r><t>a</t></r>" * 10_000, 500)
    if where == "sheet":
        cell = flat('<row r="2"><c r="A2" t="inlineStr"><is>', runs, "</is></c></row>")
        parts = {SHEET: flat(*sheet(HEADER, cell))}
        reason = ROW_REFUSED
    else:
        sst = flat(f'<sst {NS} count="1" uniqueCount="1"><si>', runs, "</si></sst>")
        row = '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
        parts = {SHEET: flat(*sheet(HEADER, row)), "xl/sharedStrings.xml": sst}
        reason = (
            "shared string 1 of the workbook takes more than 16,777,216 bytes or 100,000 XML "
            "elements, the most read of one string; save the sheet as CSV"
        )
    path = workbook(tmp_path / "runs.xlsx", parts)
    refused(batch_under_512_mib(str(path)), path, reason)


@pytest.mark.subprocess
def test_one_row_of_5_million_cells_is_refused_at_once(tmp_path):
    """One row of 5 million cells took 4.3 GB; with the memory held, openpyxl's scan of a
    sheet without <dimension> still parsed the whole sheet first (50 s)."""
    cells = flat('<row r="2">', repeated(b"<c><v>1</v></c>" * 10_000, 500), "</row>")
    path = workbook(tmp_path / "wide.xlsx", {SHEET: flat(*sheet(HEADER, cells))})
    refused(batch_under_512_mib(str(path)), path, ROW_REFUSED)


@pytest.mark.subprocess
def test_a_csv_record_of_quoted_cells_over_many_lines_is_refused(tmp_path):
    """20 quoted cells of 12 MiB over many lines (each line short, each cell under the
    16 MiB a cell may have) took 1.7 GB; here 20 cells of 2 MiB pass the bound too."""
    path = tmp_path / "record.csv"
    line = b"a" * 1023 + b"\n"
    with open(path, "wb") as f:
        f.write(b"source,date," + b",".join(b"c%d" % i for i in range(20)) + b"\n")
        f.write(b"tmall,2022-11-11")
        for _ in range(20):
            f.write(b',"' + line * 2048 + b'"')
        f.write(b"\n")
    refused(
        batch_under_512_mib(str(path), "-s", "livestream"),
        path,
        "a record runs past 33,554,432 characters over its lines (a quoted cell that does "
        "not end): no checklist row is that long",
    )


@pytest.mark.subprocess
def test_20000_json_lines_each_adding_a_key_are_refused_at_the_column_bound(tmp_path):
    """20,000 keys took 42-60 s and wrote a 402 MB CSV (lines × keys)."""
    path = tmp_path / "keys.jsonl"
    with open(path, "w") as f:
        for i in range(20_000):
            f.write(f'{{"source":"tmall","date":"2022-11-11","k{i}":"v"}}\n')
    refused(
        batch_under_512_mib(str(path), "-s", "livestream", "--format", "csv"),
        path,
        "the objects up to line 1,023 have 1,025 different keys, more than the 1,024 "
        "columns a checklist may have",
    )


@pytest.mark.subprocess
def test_a_header_reaching_column_xfd_is_refused_at_the_column_bound(tmp_path):
    """A header reaching column XFD made an 823 MB CSV from a 254 KB workbook: every row
    written 16,384 cells wide."""
    first = f'<row r="1">{inline("A1", "source")}{inline("B1", "date")}{inline("XFD1", "x")}</row>'
    rows = (
        f'<row r="{r}">{inline(f"A{r}", "tmall")}{inline(f"B{r}", "2022-11-11")}</row>'
        for r in range(2, 50_002)
    )
    path = workbook(tmp_path / "xfd.xlsx", {SHEET: flat(*sheet(first, rows))})
    refused(
        batch_under_512_mib(str(path), "-s", "livestream", "--format", "csv"),
        path,
        "the header has 16,384 columns, more than the 1,024 a checklist may have; remove the "
        "empty or unused columns",
    )


# ------------------------------------------------------------- the bounds, at their edge


def test_a_header_of_1024_columns_is_read_and_1025_refused(run):
    def checklist(width: int) -> str:
        names = ["source", "date", *(f"c{i}" for i in range(width - 2))]
        return ",".join(names) + "\ntmall,2022-11-11\n"

    done = run("batch", "-", "-s", "livestream", "--format", "csv", input=checklist(1024))
    assert done.exit_code == 0, done.stderr
    row = done.stdout.splitlines()[1]
    assert row.startswith("tmall,2022-11-11" + "," * 1022 + ",livestream,allowed,")
    done = run("batch", "-", "-s", "livestream", "--format", "csv", input=checklist(1025))
    assert (done.exit_code, done.stderr) == (
        2,
        "Error: input 'stdin': the header has 1,025 columns, more than the 1,024 a checklist "
        "may have; remove the empty or unused columns\n",
    )


def test_the_output_stays_within_the_stated_factor_of_the_input(run):
    """docs/checklists.md: an output row is its input row, the header's width in
    separators and the answer: at most 1,500 bytes more; so at worst (rows of one
    character, a header of 1,024 columns) 750 times the input, and for a real checklist
    a few times."""
    names = ["source", *(f"c{i}" for i in range(1023))]
    data = ",".join(names) + "\n" + "x\n" * 1000
    done = run("batch", "-", "-s", "livestream", "--format", "csv", "--fail-on", "never",
               input=data)  # fmt: skip
    assert done.exit_code == 0, done.stderr
    rows = done.stdout.encode().splitlines()[1:]
    assert len(rows) == 1000
    assert max(map(len, rows)) <= 2 + 1500
    assert len(done.stdout.encode()) <= 750 * len(data.encode())


def test_a_record_at_the_line_bound_is_read_and_one_past_it_refused(run, monkeypatch):
    monkeypatch.setattr(readers, "MAX_LINE", 1000)
    monkeypatch.setattr(readers, "_BLOCK", 64)
    cell = "a\n" * 240  # 480 characters over 240 lines
    ok = f'source,note\ntmall,"{cell}"\n'
    done = run("batch", "-", "-s", "livestream", "--fail-on", "never", input=ok)
    assert done.exit_code == 0, done.stderr
    long = f'source,note\ntmall,"{cell * 3}"\n'  # 1,440 characters
    done = run("batch", "-", "-s", "livestream", "--format", "csv", input=long)
    assert done.exit_code == 2
    assert done.stderr == (
        "Error: input 'stdin': a record runs past 1,000 characters over its lines (a quoted "
        "cell that does not end): no checklist row is that long\n"
    )


def test_many_records_in_one_block_are_not_added_up(run, monkeypatch):
    # 5,000 short records (60,000 characters) read within a bound of 1,000: only a record's
    # own lines count
    monkeypatch.setattr(readers, "MAX_LINE", 1000)
    monkeypatch.setattr(readers, "_BLOCK", 64)
    data = "source,note\n" + 'tmall,"a\nb"\n' * 5000
    done = run("batch", "-", "-s", "livestream", "--fail-on", "never", input=data)
    assert done.exit_code == 0, done.stderr
    assert done.stdout.count('b",livestream,unknown,') == 5000


@pytest.mark.parametrize("chunk", [1, 7, 1 << 20])
def test_units_are_counted_alike_however_the_xml_is_cut(chunk):
    xml = (
        b'<x:row r="1"><x:c><x:v>1</x:v></x:c></x:row  >'
        b'<row r="2"><c/><c/><c/></row><row r="3">' + b"<c><v>2</v></c>" * 3 + b"</row>"
    )
    seen = []

    class Seen(book_reader.Units):
        def _add(self, data, start, end):
            super()._add(data, start, end)
            seen.append((self.number, self.bytes, self.elements))

    units = Seen(book_reader._ROW_END, "")
    for at in range(0, len(xml), chunk):
        units.feed(xml[at : at + chunk])
    finals = {}
    for number, size, elements in seen:
        finals[number] = (size, elements)
    # row 1: 46 bytes, 3 elements; row 2: 29 bytes, 4; row 3: 62 bytes, 7
    assert units.number == 4
    assert [finals[n] for n in (1, 2, 3)] == [(46, 3), (29, 4), (62, 7)]


def test_a_row_at_the_element_bound_is_read_and_one_more_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(book_reader, "XLSX_UNIT_ELEMENTS", 9)
    # row 2: <row> and 4 cells of 2 elements each = 9
    cells = "".join(f'<c r="{c}2"><v>1</v></c>' for c in "ABCD")
    path = workbook(
        tmp_path / "ok.xlsx", {SHEET: "".join(sheet(HEADER, f'<row r="2">{cells}</row>'))}
    )
    with open(path, "rb") as f:
        _header, rows = book_reader.read_xlsx(f)
        assert [list(r) for r in rows] == [["1", "1", "1", "1"]]
    cells += '<c r="E2"/>'
    path = workbook(
        tmp_path / "no.xlsx", {SHEET: "".join(sheet(HEADER, f'<row r="2">{cells}</row>'))}
    )
    with open(path, "rb") as f, pytest.raises(readers.InputError) as caught:
        _header, rows = book_reader.read_xlsx(f)
        list(rows)
    assert str(caught.value) == (
        "row 2 of the sheet's XML takes more than 16,777,216 bytes or 9 XML elements, "
        "the most read of one row; save the sheet as CSV"
    )


def test_the_bounds_are_the_documented_ones():
    # docs/checklists.md states these numbers; a change here is a change there
    assert (encodings.MAX_SPOOL, encodings.MAX_LINE, headers.MAX_COLUMNS) == (
        512 << 20, 32 << 20, 1024,
    )  # fmt: skip
    assert (
        book_reader.XLSX_PART_LIMIT,
        book_reader.XLSX_UNIT_BYTES,
        book_reader.XLSX_UNIT_ELEMENTS,
        book_reader.XLSX_SHEET_LIMIT,
    ) == (8 << 20, 16 << 20, 100_000, 2 << 30)
    docs = (Path(__file__).parents[2] / "docs" / "checklists.md").read_text(encoding="utf-8")
    for number in ("536,870,912", "33,554,432", "1,024", "8 MiB", "16 MiB", "100,000"):
        assert number in docs
