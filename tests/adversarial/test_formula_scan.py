"""The formula scan of delimited input (readers.FormulaScan): the text is read in blocks of
whole lines and scanned before csv reads them, so that the writer searches a row's cells
for formula starts only once some text could hold one. Two promises, attacked with random
text cut at random block sizes: the rows read are exactly what csv.reader reads from the
file, and no row with a cell starting like a formula is given out before the scan says so."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkcheck.batch import formula_scan, read_input, readers

from ..helpers import open_record

DANGER = "=+-@\t\r"
# the characters that matter to csv and to the scan, and a few that do not
ALPHABET = st.sampled_from([",", "\t", '"', "\n", "\r", "\r\n", " ", "a", "1", "-", "=", "+",
                            "@", "'", "保", "\x85", "\u2028", "\x0b"])  # fmt: skip
TEXTS = st.lists(ALPHABET, max_size=60).map("".join)


def _expected(text: str, delimiter: str):
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), None
    except csv.Error as exc:
        return None, str(exc)


def _read(data: bytes, fmt: str, encoding: str | None = None):
    """Every row as read_input gives it, and whether the scan had seen a formula start when
    the row was given out."""
    header, rows, _ = read_input(io.BytesIO(data), fmt, encoding)[:3]
    scan = formula_scan(rows)
    out = [(header, scan.seen)]
    for row in rows:
        out.append((row, scan.seen))
    return out


@pytest.mark.parametrize("fmt, delimiter", [("csv", ","), ("tsv", "\t")])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, block=st.integers(1, 9), encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_rows_are_csv_readers_and_no_formula_passes_unseen(fmt, delimiter, text, block, encoding):
    text = "source\n" + text  # a header that names a column: the header is row 1
    data = text.encode(encoding)
    expected, error = _expected(text, delimiter)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(readers, "_BLOCK", block)  # blocks cut anywhere, in a character too
        if error is not None:
            with pytest.raises(csv.Error):
                _read(data, fmt, encoding)
            return
        if (opened := open_record(text, delimiter)) is not None:  # csv reads on to the end
            with pytest.raises(readers.InputError) as refused:
                _read(data, fmt, encoding)
            first, last = opened
            assert str(refused.value).startswith(
                f"the row on line {first} opens a quoted cell that never closes: the file ends "
                f"inside it (line {last})"
                if first != last
                else f"the last row, on line {first}, opens a quoted cell that never closes"
            )
            return
        got = _read(data, fmt, encoding)
    assert [row for row, _ in got] == expected
    for row, seen in got[1:]:
        if any(cell[:1] in DANGER and cell[:1] for cell in row):
            assert seen, (text, row)


def test_a_plain_checklist_is_never_searched_row_by_row(tmp_path):
    lines = ["sku,source,date,title"] + [
        f'{i:05d},tmall,2022-11-{1 + i % 30:02d},"保温杯, 直播专享 {i}"' for i in range(30000)
    ]
    data = ("\r\n".join(lines) + "\r\n").encode()
    rows = _read(data, "csv")
    assert len(rows) == 30001 and not any(seen for _, seen in rows)


@pytest.mark.parametrize(
    "cell", ["=1+1", "-x", "+86", "@SUM(1)", '"\tindent"', '"\rcr"', '"=in quotes"']
)
@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_a_formula_start_anywhere_is_seen_before_its_row(cell, ending, monkeypatch):
    monkeypatch.setattr(readers, "_BLOCK", 7)  # blocks cut inside rows and line ends
    lines = ["a,b"] + ["x,y"] * 20 + [f"x,{cell}", f"{cell},y"] + ["x,y"] * 5
    got = _read(ending.join(lines).encode() + ending.encode(), "csv")
    dangerous = [seen for row, seen in got if any(c[:1] in DANGER and c for c in row)]
    assert dangerous == [True, True]
    # nothing before their block set it (a block is at most 7 bytes and a line not ended)
    assert not any(seen for _, seen in got[:16])


def test_a_tab_is_a_tsv_delimiter_not_a_formula_start():
    got = _read(b"a\tb\tc\nx\t\ty\n\tq\tr\n", "tsv")
    assert [row for row, _ in got] == [["a", "b", "c"], ["x", "", "y"], ["", "q", "r"]]
    assert not any(seen for _, seen in got)


def test_a_pipe_s_rows_are_read_as_they_come():
    """read1: a block is what has come, not a full megabyte — once the 64 KiB the encoding
    is told from have come (or the input ended), rows are answered as they arrive."""
    first = b"source,date\n" + b"tmall,2022-11-11\n" * 5000  # more than 64 KiB

    class Trickle(io.RawIOBase):
        def __init__(self):
            self.parts = [first, b"jd-self,2022-11-12\n"]

        def readable(self):
            return True

        def readinto(self, buffer):
            if not self.parts:
                raise AssertionError("read past what a reader needed")
            part = self.parts.pop(0)
            buffer[: len(part)] = part
            return len(part)

    stream = io.BufferedReader(Trickle(), buffer_size=1 << 20)
    header, rows, _ = read_input(stream, "csv", None)[:3]
    rows = iter(rows)
    assert header == ["source", "date"]
    assert [next(rows) for _ in range(5001)][-2:] == [
        ["tmall", "2022-11-11"],
        ["jd-self", "2022-11-12"],
    ]
