"""csvshape: which CSV files have the plain shape (the DuckDB engine's guard) — literal cases,
and random files against a small reference that reads a file byte by byte."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkcheck.batch import csvshape
from linkcheck.batch.csvshape import NotPlain, Shape, scan
from linkcheck.i18n import english


def _scan(data: bytes, width: int, delimiter: str = ",") -> Shape | str:
    try:
        return scan(io.BytesIO(data).read, delimiter, width)
    except NotPlain as exc:
        with english():
            return exc.template.format(**exc.fields)


CASES = [
    (b"a,b\nx,y\n", 2, Shape(b"\n", 1, False)),
    (b"a,b\r\nx,y\r\nz,w", 2, Shape(b"\r\n", 2, False)),
    (b"a,b", 2, Shape(b"", 0, False)),
    (b'"a\nb",c', 2, Shape(b"", 0, True)),
    (b"a,b\n", 2, Shape(b"\n", 0, False)),
    (b'a,b\n"x,""y""",\n,""\n', 2, Shape(b"\n", 2, False)),
    (b'a,b\n"x\r\ny",z\n', 2, Shape(b"\n", 1, True)),
    (b'"a\nb",source\r\nx,tmall\r\n', 2, Shape(b"\r\n", 1, True)),
    (b"a\tb\nx\t\"y\"\n", 2, Shape(b"\n", 1, False)),
    (b"a\n\xe5\xa4\xa9\xe7\x8c\xab #x \x00\n", 1, Shape(b"\n", 1, False)),
    (b"\xef\xbb\xbfa,b\n", 2, Shape(b"\n", 0, False)),  # Excel's "CSV UTF-8"
    (b"\xef\xbb\xbfa,b\r\n\"x\ny\",z\r\n", 2, Shape(b"\r\n", 1, True)),
    (b"\xef\xbb\xbf\xef\xbb\xbfa,b\n", 2, Shape(b"\n", 0, False)),  # a second: a cell's
    (b"\xef\xbb\xbfa,b\rx,y\r", 2, "line 1 ends with a lone CR, not LF or CRLF"),
    (b'\xef\xbb\xbf"a\nb",c\nx,"y\n', 2, "line 3 opens a quoted cell that never closes"),
    (b"source\r\n \"tmall\" \r\n", 1, "line 2 has a quote that neither opens nor closes a "
     "cell (a stray quote, or a space beside a quoted cell)"),
    (b'a,b\n"x"y,z\n', 2, "line 2 has a quote that neither opens nor closes a cell (a "
     "stray quote, or a space beside a quoted cell)"),
    (b'a,b\nx,"y\n', 2, "line 2 opens a quoted cell that never closes"),
    (b'a,b\nx,"y\nz,w\n', 2, "line 2 opens a quoted cell that never closes"),
    (b'a,b\nx,"y""\n', 2, "line 2 opens a quoted cell that never closes"),
    (b'a,b\nx,"y\nz,"w', 2, "line 2 has a quote that neither opens nor closes a cell (a "
     "stray quote, or a space beside a quoted cell)"),  # csv reads it as closed: y\nz,w
    (b"a,b\nx,y\n\n", 2, "line 3 is empty"),
    (b"a\nx\n\ny\n", 1, "line 3 is empty"),
    (b"a,b\nx,y,z\n", 2, "line 2 has another number of cells than the header (line 1: 2, "
     "this line: 3)"),
    (b'a,b\n"p\nq",r\n\x0b\n', 2, "line 4 has another number of cells than the header "
     "(line 1: 2, this line: 1)"),
    (b"a,b\r\nx,y\nz,w\r\n", 2, "line 2 ends otherwise than line 1 (a lone CR, or LF and "
     "CRLF mixed)"),
    (b"a,b\nx,\ry\n", 2, "line 2 ends otherwise than line 1 (a lone CR, or LF and CRLF "
     "mixed)"),
    (b"", 1, "line 1 is not a record DuckDB reads as Python's csv module does"),
    (b'a,b\nx,"y"\r\nz,w\n', 2, "line 2 ends otherwise than line 1 (a lone CR, or LF and "
     "CRLF mixed)"),
    (b'a,b\r\nx,"y"\nz,w\r\n', 2, "line 2 ends otherwise than line 1 (a lone CR, or LF "
     "and CRLF mixed)"),
    (b'a,"b"\nx,"y"\rz,w\n', 2, "line 2 ends otherwise than line 1 (a lone CR, or LF and "
     "CRLF mixed)"),
    (b"sku,source\r1,tmall\r2,jd-self\r", 2, "line 1 ends with a lone CR, not LF or CRLF"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "width", "expected"), CASES, ids=[repr(c[0])[2:-1][:50] for c in CASES]
)
def test_plain_or_why_not(data, width, expected):
    assert _scan(data, width, "\t" if b"\t" in data else ",") == expected


def test_a_record_longer_than_the_limit_is_not_plain(monkeypatch):
    monkeypatch.setattr(csvshape, "MAX_RECORD", 64)
    monkeypatch.setattr(csvshape, "BLOCK", 16)
    fits = b"a,b\n" + b"x," + b"y" * 62 + b"\n"
    assert _scan(fits, 2) == Shape(b"\n", 1, False)
    assert _scan(fits[:-1], 2) == Shape(b"\n", 1, False)
    assert _scan(fits.replace(b"x,", b"xx,"), 2) == ("line 2 is longer than 64 bytes")
    assert _scan(fits.replace(b"x,", b"xx,")[:-1], 2) == ("line 2 is longer than 64 bytes")
    # a quoted cell of many short lines, past the limit: not a stray quote
    long_cell = b'a,b\nx,"' + b"y\n" * 40 + b'"\n'
    assert _scan(long_cell, 2) == "line 2 opens a quoted cell that does not close within 64 bytes"
    assert _scan(b'a,b\nx,"' + b"y\n" * 20 + b'"\n', 2) == Shape(b"\n", 1, True)  # within it
    assert _scan(b'a,b,c\n"p",' + long_cell[6:].replace(b'"\n', b'",z\n'), 3) == (
        "line 2 opens a quoted cell that does not close within 64 bytes"
    )
    # a stray quote, then more than the limit: still a stray quote
    assert _scan(b'a,b\nx"y,z\n' + b"p,q\n" * 30, 2).startswith("line 2 has a quote that")


# --------------------------------------------------------------------- the reference


def plain(data: bytes, delimiter: bytes, width: int, limit: int) -> Shape | None:
    """The plain shape, read byte by byte: the Shape, or None."""
    # a byte-order mark is no record's (the Python engine reads the file as utf-8-sig)
    i, n = (3 if data.startswith(b"\xef\xbb\xbf") else 0), len(data)
    eol, count, breaks = None, -1, False
    while i < n or count < 0:
        start, cells, empty = i, 0, True
        values = []
        while True:  # a cell, then a delimiter or the record's end
            if data[i : i + 1] == b'"':
                j = i + 1
                while True:
                    k = data.find(b'"', j)
                    if k < 0:
                        return None
                    if data[k + 1 : k + 2] != b'"':
                        break
                    j = k + 2
                breaks = breaks or b"\r" in data[i:k] or b"\n" in data[i:k]
                values.append(data[i + 1 : k].replace(b'""', b'"'))
                i, empty = k + 1, False
            else:
                while i < n and data[i : i + 1] not in (b'"', delimiter, b"\r", b"\n"):
                    i, empty = i + 1, False
                if data[i : i + 1] == b'"':
                    return None
            cells += 1
            if data[i : i + 1] != delimiter:
                break
            i += 1
        if cells != width or (width == 1 and empty) or i - start > limit:
            return None
        # a row's quoted cell holding lines with a row's delimiters: a stray quote's doing
        inner = [line for value in values for line in re.split(rb"\r\n|\r|\n", value)[1:]]
        need = 0 if width == 1 else 1  # a row may leave its last cells out
        if count >= 0 and any(line and line.count(delimiter) >= need for line in inner):
            return None
        end = b"" if i == n else b"\r\n" if data.startswith(b"\r\n", i) else data[i : i + 1]
        if end not in (b"", b"\n", b"\r\n") or (eol is not None and end not in (eol, b"")):
            return None
        eol = end if eol is None else eol
        count += 1
        i += len(end)
    return Shape(eol or b"", count, breaks)


CSVISH = st.lists(
    st.sampled_from([b"a", b"b", b" ", b'"', b'""', b",", b"\t", b"\n", b"\r", b"\r\n",
                     b"\xe5\xa4\xa9", b"\x00", b"#", b"\xef\xbb\xbf"]),
    max_size=60,
).map(b"".join)  # fmt: skip


@st.composite
def plain_files(draw) -> tuple[bytes, int]:
    """A file written in the plain shape (bare or quoted cells, LF or CRLF), or mangled."""
    width = draw(st.integers(1, 4))
    eol = draw(st.sampled_from([b"\n", b"\r\n"]))
    cell = st.lists(st.sampled_from([b"a", b" ", b'"', b",", b"\n", b"\r", b"\xe4\xb8\xad"]),
                    max_size=6).map(b"".join)  # fmt: skip
    records = []
    for _ in range(draw(st.integers(1, 6))):
        cells = []
        for _ in range(width):
            text = draw(cell)
            must = any(c in text for c in (b'"', b",", b"\n", b"\r")) or (width == 1 and not text)
            if must or draw(st.booleans()):
                text = b'"' + text.replace(b'"', b'""') + b'"'
            cells.append(text)
        records.append(b",".join(cells))
    data = eol.join(records) + draw(st.sampled_from([eol, b""]))
    if draw(st.booleans()):  # a few bytes changed
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(CSVISH) + data[at + draw(st.integers(0, 2)) :]
    return data, width


FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(plain_files(), st.integers(8, 40))
def test_the_scan_is_the_reference_whatever_the_block(file, block):
    data, width = file
    limit = 48
    expected = plain(data, b",", width, limit)
    original = csvshape.MAX_RECORD, csvshape.BLOCK
    csvshape.MAX_RECORD, csvshape.BLOCK = limit, min(block, limit)
    try:
        got = _scan(data, width)
    finally:
        csvshape.MAX_RECORD, csvshape.BLOCK = original
    assert (got if isinstance(got, Shape) else None) == expected, (data, got)


@FAST
@given(CSVISH, st.integers(1, 3))
def test_random_bytes_are_plain_only_as_the_reference_says(data, width):
    expected = plain(data, b",", width, csvshape.MAX_RECORD)
    got = _scan(data, width)
    assert (got if isinstance(got, Shape) else None) == expected, (data, got)


# ------------------------------------- the proof from a line reader's counts (csvshape.flat)

_LF = csvshape.Ends(8, 2, 0, False, 10, ord("a"))  # a,b\nx,y\n
_CRLF = csvshape.Ends(10, 2, 2, False, 10, ord("a"))  # a,b\r\nx,y\r\n
FLAT = {
    "LF": (_LF, 2, 6, 3, 0, Shape(b"\n", 1, False)),
    "CRLF": (_CRLF, 2, 6, 3, 0, Shape(b"\r\n", 1, False)),
    "no line end at the end": (
        csvshape.Ends(7, 1, 0, False, ord("y"), ord("a")), 2, 6, 3, 0, Shape(b"\n", 1, False)
    ),
    # BOM a,b LF x,y LF: the reader drops the mark as utf-8-sig does
    "a byte-order mark": (
        csvshape.Ends(11, 2, 0, True, 10, ord("a")), 2, 6, 3, 0, Shape(b"\n", 1, False)
    ),
    "a byte-order mark a line kept": (
        csvshape.Ends(11, 2, 0, True, 10, ord("a")), 2, 9, 3, 0, None
    ),
    "a line not a record": (_LF, 2, 6, 3, 1, None),
    "a line too long": (_LF, 2, 6, csvshape.MAX_RECORD + 1, 0, None),
    "no line end at all": (csvshape.Ends(3, 0, 0, False, ord("b"), ord("a")), 1, 3, 3, 0, None),
    "LF and CRLF mixed": (csvshape.Ends(9, 2, 1, False, 10, ord("a")), 2, 6, 3, 0, None),
    "a lone CR": (csvshape.Ends(10, 2, 1, False, 10, ord("a")), 2, 6, 3, 0, None),
    "bytes the lines lack": (csvshape.Ends(9, 2, 0, False, 10, ord("a")), 2, 6, 3, 0, None),
    "a line end the lines lack": (csvshape.Ends(9, 3, 0, False, 10, ord("a")), 2, 6, 3, 0, None),
    "a line more than line ends": (_LF, 3, 6, 3, 0, None),
}  # fmt: skip
# a,b LF LF x,y LF: an empty line after the header (none to DuckDB, a skipped row to Python)
_EMPTY = csvshape.Ends(9, 3, 0, False, 10, ord("a"))
EMPTY = {
    "after the header": (_EMPTY, 3, 6, 3, 0, 1, 2, Shape(b"\n", 2, False, 1)),
    "in a file of one column": (_EMPTY, 3, 6, 3, 0, 1, 1, None),
    "before the header": (csvshape.Ends(9, 3, 0, False, 10, 10), 3, 6, 3, 0, 1, 2, None),
}  # fmt: skip


@pytest.mark.parametrize(("ends", "lines", "size", "longest", "unmatched", "empty", "width",
                          "expected"), EMPTY.values(), ids=list(EMPTY))  # fmt: skip
def test_empty_lines_are_proven_only_after_the_header_and_among_columns(
    ends, lines, size, longest, unmatched, empty, width, expected
):
    assert csvshape.flat(ends, lines, size, longest, unmatched, empty, width) == expected


@pytest.mark.parametrize(("ends", "lines", "size", "longest", "unmatched", "expected"),
                         FLAT.values(), ids=list(FLAT))  # fmt: skip
def test_a_line_readers_counts_prove_the_plain_shape_or_not(ends, lines, size, longest,
                                                            unmatched, expected):  # fmt: skip
    assert csvshape.flat(ends, lines, size, longest, unmatched, 0, 2) == expected


def test_the_record_pattern_is_the_flat_grammar():
    """record_pattern() is _grammar's flat record in RE2's words: on the same texts, the
    same answer (Python's re reads this RE2 subset alike)."""
    import re

    texts = ["a,b", '"a,""b""",', ",", "a", "", '"a"b,c', '"a" ,b', "a,b,c", '"x\ny",z',
             '"",""', '"', 'a"b,c', "天猫,\x00"]  # fmt: skip
    for width in (1, 2, 3):
        ours = re.compile(csvshape.record_pattern(",", width).replace("\\x{2c}", ","))
        grammar = csvshape._grammar(",", width, b"\n", False).record
        for text in texts:
            expected = grammar.fullmatch(text.encode() + b"\n") is not None
            assert (ours.fullmatch(text) is not None) == expected, (width, text)


@given(st.binary(max_size=64).map(lambda b: b.replace(b"\x00", b"\r")), st.integers(1, 5))
def test_line_ends_are_counted_however_the_reads_fall(data, step):
    """ends() over reads of any length (a read may return fewer bytes than the buffer holds,
    and a CR LF pair may fall across two): the file's size, LFs and CR LF pairs."""
    at = 0

    def readinto(buffer: bytearray) -> int:
        nonlocal at
        piece = data[at : at + min(step, len(buffer))]
        buffer[: len(piece)] = piece
        at += len(piece)
        return len(piece)

    got = csvshape.ends(readinto)
    assert (got.size, got.lf, got.crlf) == (len(data), data.count(b"\n"), data.count(b"\r\n"))
    assert got.bom == data.startswith(b"\xef\xbb\xbf")
    start = data[3:] if got.bom else data  # the first byte after a byte-order mark
    assert (got.last, got.first) == (data[-1] if data else -1, start[0] if start else -1)
