"""Whether a CSV or TSV file has the plain shape that DuckDB's reader and Python's csv module
read alike, checked by regular expressions a block at a time (the DuckDB engine's guard).

The plain shape is a regular language (after a UTF-8 byte-order mark, which both readers
drop — Excel's "CSV UTF-8" starts with one): every record ends as the first
does, all LF or all CRLF (the last may end the file instead); every record has the header's
number of cells; a cell is either bare — no quote, delimiter, CR or LF in it — or quoted
from its first byte to a closing quote that a delimiter or the record's end follows, quotes
inside doubled; no empty line; no record longer than MAX_RECORD bytes. Inside it a record's
cells are what any CSV reader must read; outside it the two readers differ (DuckDB trims
spaces around a quoted cell, drops empty lines, reads lone CRs and mixed line ends its own
way). The differential fuzzer (tests/adversarial/test_engine_fuzz.py) holds the engines to
that. Bytes are not decoded here: DuckDB refuses what is not UTF-8, as Python's decoder does.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..i18n import N_

# bytes of a record without its line end, at most; DuckDB reads lines up to its max_line_size
# (2 MiB), and Python's csv cells up to 16 MiB
MAX_RECORD = 1 << 20
BLOCK = MAX_RECORD  # bytes matched at a time (no more than MAX_RECORD)
_BOM = b"\xef\xbb\xbf"


LINE_END = re.compile("\r\n?|\n")  # a line end as csv and the readers split lines
_BYTES_LINE_END = re.compile(b"\r\n?|\n")


def rows_within(cells: list[str], delimiter: str, width: int) -> int:
    """How many lines inside `cells` — after a line break in a cell — read as rows of a file
    `width` cells wide: not empty, and holding a delimiter (any line, in a file of one
    column): a row may leave its last cells out, as csv lets it (`3,jd-self` in a file of
    four columns, whose date is optional). A quote that opened a cell and a stray one
    further down take the rows between them into that cell (csv reads them so, as a
    spreadsheet does); a cell's own text seldom has such lines. Both engines ask it of every
    row over several lines: the Python engine says so on stderr, and the DuckDB engine
    leaves such a file to it."""
    need = _row_delimiters(width)
    found = 0
    for cell in cells:
        if "\n" in cell or "\r" in cell:
            found += sum(
                1 for line in LINE_END.split(cell)[1:] if line and line.count(delimiter) >= need
            )
    return found


def _row_delimiters(width: int) -> int:
    """The delimiters a line needs to read as a row of `width` cells (rows_within)."""
    return 0 if width == 1 else 1


def _may_hold_rows(record: bytes, delimiter: bytes, width: int) -> bool:
    """Whether a record's bytes may hold lines that rows_within counts: some line after its
    first, not empty, with as many delimiters — a cell's line is part of such a line, so a
    record that has none needs no reading (most records over several lines: an address)."""
    need = _row_delimiters(width)
    return any(line.count(delimiter) >= need for line in _BYTES_LINE_END.split(record)[1:] if line)


class NotPlain(Exception):
    """The file leaves the plain shape: a message template and its fields."""

    def __init__(self, template: str, **fields) -> None:
        super().__init__(template)
        self.template, self.fields = template, fields


@dataclass(frozen=True)
class Shape:
    eol: bytes  # b"\n" or b"\r\n" (b"" for a file that is only its header)
    records: int  # records after the header
    quoted_breaks: bool  # some quoted cell holds a CR or LF
    empty: int = 0  # of the records, empty lines (flat(): DuckDB skips them, Python too)


@dataclass(frozen=True)
class Ends:
    """A file's bytes as line ends see them (counted by ends())."""

    size: int
    lf: int  # LF bytes
    crlf: int  # CR LF pairs (a CR apart from one is a byte flat() finds no place for)
    bom: bool  # it starts with a UTF-8 byte-order mark (3 bytes no line holds)
    last: int  # its last byte (-1: none)
    first: int  # its first byte after the mark if any (-1: none)


@dataclass(frozen=True)
class _Grammar:
    records: re.Pattern  # the run of whole records from a position (possibly none)
    record: re.Pattern  # one whole record
    last: re.Pattern  # a record that ends the file without a line end


@functools.lru_cache(maxsize=64)
def _grammar(delimiter: str, width: int | None, eol: bytes, breaks: bool) -> _Grammar:
    """The plain shape's records of `width` cells (None: any number) ending with `eol`;
    quoted cells hold CR and LF only if `breaks`. Possessive: linear, no backtracking."""
    d = re.escape(delimiter.encode())
    inside = b'[^"]' if breaks else b'[^"\\r\\n]'
    quoted = b'"' + inside + b'*+(?:""' + inside + b'*+)*+"'
    bare = b'[^"' + d + b"\\r\\n]++"
    cell = b"(?:" + bare + b"|" + quoted + b"|)"
    if width is None:
        row = cell + b"(?:" + d + cell + b")*+"
    elif width == 1:  # a lone cell is never empty: an empty line is no record
        row = b"(?:" + bare + b"|" + quoted + b")"
    else:
        row = cell + b"(?:" + d + cell + b"){" + str(width - 1).encode() + b"}"
    end = re.escape(eol)
    return _Grammar(
        re.compile(b"(?:" + row + end + b")*+"), re.compile(row + end), re.compile(row + rb"\Z")
    )


def record_pattern(delimiter: str, width: int) -> str:
    """The plain shape's record of `width` cells with no line break in a quoted cell, its
    line end left off, as an RE2 expression (DuckDB's regexp_full_match): _grammar's flat
    record in RE2's words."""
    d = f"\\x{{{ord(delimiter):x}}}"
    bare = f'[^"{d}\\r\\n]+'
    quoted = '"(?:[^"\\r\\n]|"")*"'
    if width == 1:  # a lone cell is never empty: an empty line is no record
        return f"(?:{bare}|{quoted})"
    cell = f"(?:{bare}|{quoted}|)"
    return f"{cell}(?:{d}{cell}){{{width - 1}}}"


def ends(readinto: Callable[[bytearray], int]) -> Ends:
    """Count the line ends of the file `readinto(buffer)` reads, from its start (byte
    counts: a file's worth in tens of milliseconds; one buffer, read into again and again —
    a new block a read cost a third of the time in the memory it took)."""
    size = lf = crlf = 0
    head = b""
    last = -1
    buffer = bytearray(BLOCK * 4)
    while n := readinto(buffer):
        chunk = buffer if n == len(buffer) else buffer[:n]
        if len(head) < 4:
            head += chunk[: 4 - len(head)]
        crlf += chunk.count(b"\r\n") + (last == 13 and chunk[0] == 10)
        size, lf = size + n, lf + chunk.count(b"\n")
        last = chunk[-1]
    bom = head.startswith(_BOM)
    start = head[3:] if bom else head
    return Ends(size, lf, crlf, bom, last, start[0] if start else -1)


def flat(ends: Ends, lines: int, size: int, longest: int, unmatched: int, empty: int,
         width: int) -> Shape | None:  # fmt: skip
    """The Shape of a file with no line break in a cell, from what a line reader read of it:
    `lines` lines split at its line ends, `size` bytes in all without them, the longest
    `longest` bytes, `empty` of them empty and `unmatched` others not a record of
    record_pattern() of `width` cells. The Shape where that proves the file plain but for
    its empty lines, else None (scan() then decides). The proof: each line is a plain
    record or empty, so holds no CR or LF; its bytes and its line ends are all the file's
    bytes; every line end is the first's; there is one a line (the last may end the file
    instead). An empty line after the first is a record to Python's csv module (a blank
    row, skipped) and none to DuckDB's reader; the first must be the header, and a file of
    one column reads an empty line as a cell."""
    if unmatched or longest > MAX_RECORD or not ends.lf:
        return None
    if empty and (width == 1 or ends.first in (10, 13)):
        return None
    if ends.crlf == 0:
        eol = b"\n"
    elif ends.crlf == ends.lf:
        eol = b"\r\n"
    else:
        return None
    # the lines' bytes, their LFs and the CRs before them — and a byte-order mark, which the
    # reader drops as the Python engine's utf-8-sig does — are every byte of the file: a CR
    # of no pair (a line holds none) would be one more, so there is none (nor a mark a line
    # kept)
    mark = len(_BOM) if ends.bom else 0
    if size + ends.crlf + ends.lf + mark != ends.size or lines != ends.lf + (ends.last != 10):
        return None
    return Shape(eol, lines - 1, False, empty)


class _Stream:
    """A file's bytes from `base` on, read as far as asked; what is behind `base` is gone.
    A position moves on without a copy: the bytes behind it are dropped only when more are
    read (a copy per block read, not per record: a file of short records with line breaks
    in their cells once copied a block a record)."""

    def __init__(self, read: Callable[[int], bytes]) -> None:
        self._read = read
        self.base = 0
        self.buf = b""
        self.eof = False

    def view(self, pos: int, size: int) -> tuple[bytes, int, int, bool]:
        """(buf, at, n, whole): buf[at : at + n] are the bytes pos … pos + size, or up to the
        end of the file (then whole is True). `pos` never goes back."""
        at = pos - self.base
        while len(self.buf) - at < size and not self.eof:
            chunk = self._read(max(BLOCK, size - (len(self.buf) - at)))
            if chunk:
                self.buf = self.buf[at:] + chunk
                self.base, at = pos, 0
            else:
                self.eof = True
        n = min(len(self.buf) - at, size)
        return self.buf, at, n, self.eof and at + n == len(self.buf)

    def count(self, sub: bytes, pos: int, size: int) -> int:
        """How many times `sub` is in the bytes pos … pos + size (already read)."""
        at = pos - self.base
        return self.buf.count(sub, at, at + size)


def scan(read: Callable[[int], bytes], delimiter: str, width: int,
         stop: Callable[[], bool] = bool) -> Shape:  # fmt: skip
    """The Shape of the file `read(size)` gives, from its start; NotPlain says where it
    leaves the plain shape. `stop()` is asked between blocks: True ends the scan (NotPlain,
    which the caller then ignores)."""
    stream = _Stream(read)
    buf, at, n, _ = stream.view(0, 3)
    # a byte-order mark (Excel's "CSV UTF-8") is no part of the first record: the Python
    # engine reads the file as utf-8-sig, DuckDB drops it itself
    first = 3 if buf.startswith(_BOM, at, at + n) else 0
    # the first record's line end is every record's
    ends = (
        e
        for e in (b"\r\n", b"\n")
        if _end(stream, first, _grammar(delimiter, width, e, True).record, e)
    )
    eol = next(ends, b"")
    if not eol:
        if _last(stream, first, _grammar(delimiter, width, b"\n", True).last):  # header alone
            return Shape(
                b"", 0, not _last(stream, first, _grammar(delimiter, width, b"\n", False).last)
            )
        raise _diagnosis(stream, first, 0, delimiter, width, b"\n")
    flat = _grammar(delimiter, width, eol, False)
    broken = _grammar(delimiter, width, eol, True)
    pos, lines = first, 0
    count = -1  # the header is a record too
    breaks = False
    while stream.view(pos, 1)[2]:  # a byte is left
        if stop():
            raise NotPlain("stopped")  # never shown
        if end := _end(stream, pos, flat.records, eol):  # no break inside: a line a record
            ended = stream.count(eol, pos, end)
            count, lines = count + ended, lines + ended
        elif end := _end(stream, pos, broken.record, eol) or _last(stream, pos, broken.last):
            count += 1
            own = not (_end(stream, pos, flat.record, eol) or _last(stream, pos, flat.last))
            if own and pos > first:  # a row (not the header) over several lines
                buf, at, _, _ = stream.view(pos, end)
                record = buf[at : at + end]
                if _may_hold_rows(record, delimiter.encode(), width) and rows_within(
                    next(csv.reader([record.decode("utf-8", "replace")], delimiter=delimiter)),
                    delimiter,
                    width,
                ):
                    raise NotPlain(
                        N_("line {line} has a quoted cell holding lines that read as rows (a "
                           "stray quote?)"), line=lines + 1,
                    )  # fmt: skip
            lines += stream.count(b"\n", pos, end)
            breaks = breaks or own
        else:
            raise _diagnosis(stream, pos, lines, delimiter, width, eol)
        pos += end
    return Shape(eol, count, breaks)


def _end(stream: _Stream, pos: int, pattern: re.Pattern, eol: bytes) -> int:
    """How many bytes `pattern` (whole records ending with `eol`) matches at `pos` (0:
    none), looked for in a block, then in as much as the longest record allowed."""
    for window in (BLOCK, MAX_RECORD + len(eol)):
        buf, at, n, whole = stream.view(pos, window)
        found = pattern.match(buf, at, at + n)
        if (found is not None and found.end() > at) or whole:
            break
    return 0 if found is None else found.end() - at


def _last(stream: _Stream, pos: int, pattern: re.Pattern) -> int:
    """How many bytes `pattern` (a record that ends the file) matches at `pos`; 0: none."""
    buf, at, n, whole = stream.view(pos, MAX_RECORD + 1)
    found = pattern.match(buf, at, at + n) if whole and n <= MAX_RECORD else None
    return 0 if found is None else found.end() - at


@functools.lru_cache(maxsize=8)
def _open_cell(delimiter: str) -> re.Pattern:
    """Whole cells, each followed by the delimiter, then a quoted cell still open where the
    bytes end (line breaks in it or not)."""
    d = re.escape(delimiter.encode())
    cell = b'(?:[^"' + d + b'\r\n]++|"(?:[^"]|"")*+"|)'
    return re.compile(b"(?:" + cell + d + rb')*"(?:[^"]|"")*+\Z')


def _diagnosis(stream: _Stream, pos: int, lines: int, delimiter: str, width: int,
               eol: bytes) -> NotPlain:  # fmt: skip
    """Why the record at `pos` is not plain, naming its line (1-based, as an editor counts)."""
    line = lines + 1
    buf, at, n, whole = stream.view(pos, MAX_RECORD + 1)
    newline = buf.find(b"\n", at, at + n)
    if newline < 0 and not whole:
        return NotPlain(N_("line {line} is longer than {limit} bytes"),
                        line=line, limit=f"{MAX_RECORD:,}")  # fmt: skip
    text = buf[at : newline + 1 if newline >= 0 else at + n]
    if text in (b"\n", b"\r\n"):
        return NotPlain(N_("line {line} is empty"), line=line)
    # a plain record but for its line end (x,"y" CR LF in a file of LF: its quote is not the
    # problem, though the grammar of LF records stops at it)
    ends_otherwise = N_("line {line} ends otherwise than line 1 (a lone CR, or LF and CRLF "
                        "mixed)")  # fmt: skip
    for other in (b"\r\n", b"\n", b"\r"):
        if other != eol and _end(stream, pos, _grammar(delimiter, width, other, False).record,
                                 other):  # fmt: skip
            if not lines:  # line 1 (a classic Mac file, all CR)
                return NotPlain(N_("line 1 ends with a lone CR, not LF or CRLF"))
            return NotPlain(ends_otherwise, line=line)
    ragged = _grammar(delimiter, None, eol, True)
    size = _end(stream, pos, ragged.record, eol) or _last(stream, pos, ragged.last)
    if size:
        buf, at, _, _ = stream.view(pos, size)
        record = buf[at : at + size].decode("utf-8", "replace")
        cells = len(next(csv.reader([record], delimiter=delimiter)))
        return NotPlain(
            N_("line {line} has another number of cells than the header (line 1: {width}, "
               "this line: {cells})"), line=line, cells=cells, width=width,
        )  # fmt: skip
    if _open_cell(delimiter).match(buf, at, at + n):
        if whole:  # the Python engine refuses the file, naming the line too
            return NotPlain(N_("line {line} opens a quoted cell that never closes"), line=line)
        return NotPlain(N_("line {line} opens a quoted cell that does not close within {limit} "
                           "bytes"), line=line, limit=f"{MAX_RECORD:,}")  # fmt: skip
    if b'"' in text:
        return NotPlain(
            N_("line {line} has a quote that neither opens nor closes a cell "
               "(a stray quote, or a space beside a quoted cell)"), line=line,
        )  # fmt: skip
    if b"\r" in text.rstrip(b"\r\n") or text.endswith(b"\r\n" if eol == b"\n" else b"\n"):
        return NotPlain(ends_otherwise, line=line)
    return NotPlain(N_("line {line} is not a record DuckDB reads as Python's csv module does"),
                    line=line)  # fmt: skip
