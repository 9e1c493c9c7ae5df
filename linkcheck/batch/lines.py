"""CSV or TSV in, the same format out: a row's own line, its answer appended.

csv.writer writes a row's cells back as the line they were read from whenever that line is
*canonical*: every cell bare (no quote, delimiter or line break in it) or quoted because it
must be (it holds the delimiter or a quote, each quote doubled), one line end. Most checklists
are written that way (by csv modules, Excel, WPS, pandas). For such a row the Python engine
writes the line's own text and the answer's cells, which is the very text csv.writer would
have written, byte for byte — without taking the cells apart and putting them together
again, which is most of what writing a row costs. Whether a line is canonical is decided a
block of lines at a time, by one regular expression over the block's text; a row that is not
on one canonical line, that is an error row, or that holds a cell to neutralise, is written by
the writer as always. The output is the same bytes either way: only the speed differs
(tests/adversarial/test_lines.py holds the two against each other).
"""

from __future__ import annotations

import re
from functools import cache

from .deciding import Checker, irregular, written
from .readers import Block, DelimitedRows
from .writers import _DANGER, FORMULA_STARTS, DelimitedWriter

PENDING = 256  # rows' text gathered before it is written (one write, one encode)


@cache
def _cell(delimiter: str) -> str:
    """A cell bare or quoted because it must be: the text csv.writer writes for the cell
    csv.reader reads from it."""
    d = re.escape(delimiter)
    bare = f'[^"{d}\\r\\n]*+'
    # quoted, with a delimiter or a doubled quote in it, and nothing after the closing quote
    quoted = f'"[^"{d}\\r\\n]*+(?:""|{d})[^"\\r\\n]*+(?:""[^"\\r\\n]*+)*+"'
    return f"(?:{quoted}|{bare})"


@cache
def _canonical(delimiter: str, end: str) -> re.Pattern[str]:
    """Lines, each ending with `end`, each cell of them canonical (_cell)."""
    cell, d = _cell(delimiter), re.escape(delimiter)
    return re.compile(f"(?:{cell}(?:{d}{cell})*+{re.escape(end)})*+")


@cache
def _canonical_line(delimiter: str) -> re.Pattern[str]:
    """One line, ended by LF or CRLF, each cell of it canonical; group 1 is its end."""
    cell, d = _cell(delimiter), re.escape(delimiter)
    return re.compile(f"{cell}(?:{d}{cell})*+(\r?\n)")


def canonical_re2(delimiter: str, width: int, guard: bool, bare: int) -> str:
    """One line of `width` cells, each canonical (_cell) and its first `bare` cells bare,
    with — if `guard` — no cell starting like a formula (FORMULA_STARTS, a plain number too),
    as an RE2 expression (DuckDB's regexp_full_match): the lines the DuckDB engine writes as
    they are, as check_lines writes them (held against _cell in
    tests/adversarial/test_lines.py)."""
    return _written_as_is(delimiter, width, guard, bare, lambda c: f"\\x{{{ord(c):x}}}")


@cache
def canonical_line(delimiter: str, width: int, guard: bool, bare: int) -> re.Pattern[str]:
    """canonical_re2's line in Python's re (a line without its end)."""
    return re.compile(_written_as_is(delimiter, width, guard, bare, lambda c: f"\\U{ord(c):08x}"))


def _written_as_is(delimiter: str, width: int, guard: bool, bare: int, code) -> str:
    """canonical_re2's expression, each character named by `code(c)`."""
    d = code(delimiter)
    starts = "".join(map(code, FORMULA_STARTS)) if guard else ""
    plain = f'[^"{d}\\r\\n]'
    first = f'[^"{d}\\r\\n{starts}]'
    bare_cell = f"(?:{first}{plain}*)?"
    inside = '(?:[^"\\r\\n]|"")'
    # quoted because it must be: a doubled quote or the delimiter in it; its first character
    # is one of them, or any other a bare cell may start with
    lead = f'""{inside}*'
    if not (guard and delimiter in FORMULA_STARTS):  # a tab starts a formula
        lead += f"|{d}{inside}*"
    quoted = f'"(?:{lead}|{first}{plain}*(?:""|{d}){inside}*)"'
    cell = f"(?:{quoted}|{bare_cell})"
    return d.join(bare_cell if i < bare else cell for i in range(width))


def canonical_end(block: str, delimiter: str) -> int:
    """The length of the line end every line of `block` (whole lines) ends with, when every
    line is canonical; 0 when some line is not (or the lines end differently)."""
    end = "\r\n" if block.endswith("\r\n") else "\n"
    if not block.endswith(end):
        return 0
    return len(end) if _canonical(delimiter, end).fullmatch(block) is not None else 0


def line_end(line: str, delimiter: str) -> int:
    """The length of the line end of `line` (one line, with its end) when it is canonical,
    else 0."""
    found = _canonical_line(delimiter).fullmatch(line)
    return 0 if found is None else len(found[1])


def lines_of(rows, writer) -> tuple[DelimitedRows, DelimitedWriter] | None:
    """The rows and the writer, when check_lines can write them: a CSV or TSV read by
    readers.read_delimited, written by a DelimitedWriter with the same delimiter."""
    if (
        type(rows) is DelimitedRows
        and type(writer) is DelimitedWriter
        and rows.delimiter == writer.delimiter
    ):
        return rows, writer
    return None


def check_lines(checker: Checker, header: list[str], rows, source: DelimitedRows,
                writer: DelimitedWriter, *, tick=None,
                every: int = 2000) -> dict[str, int]:  # fmt: skip
    """deciding.check_rows for a CSV or TSV written in its own format: the same answers,
    counts and bytes. `rows` are `source`'s rows (perhaps with wrappers that read no row
    ahead of the one they give); a row is written from its own line when it is the one
    line csv read since the row before (rows given back after the header search come while
    csv's line count stands still, and are written by the writer)."""
    width = len(header)
    decide = checker.decide
    reader = source.reader
    block: Block = source.block
    delimiter = writer.delimiter
    guard = writer.guard
    answer_text = writer.answer_text
    emit = writer.emit
    write = writer.write
    counts = dict.fromkeys(("allowed", "denied", "unknown", "error", "skipped"), 0)
    pending: list[str] = []
    gather = pending.append
    lines: list[str] | None = None  # the block the last row came from
    whole = base = 0
    danger = False
    prev = reader.line_num
    try:
        for done, cells in enumerate(rows, start=1):
            line = reader.line_num
            if line > prev + 1:  # a row over several lines (never one on the fast path):
                # all its cells, those past the header's too, as check_rows shows them
                checker.over_lines(cells, prev + 1, line, delimiter)
            if len(cells) == width:
                results = decide(cells)
                if line == prev + 1 and results[0].verdict != "error":
                    if block.lines is not lines:  # a new block: is every line canonical?
                        lines, base = block.lines, block.base
                        whole = canonical_end(block.text, delimiter)
                        danger = guard and block.danger
                    own = lines[line - 1 - base]
                    cut = whole or line_end(own, delimiter)  # else: line by line
                    if cut and not (
                        danger and _DANGER.search("\x1f" + "\x1f".join(cells)) is not None
                    ):
                        own = own[:-cut]
                        for result in results:
                            gather(own + answer_text(result))
                            counts[result.verdict] += 1
                        if len(pending) >= PENDING:
                            text = "".join(pending)
                            pending.clear()
                            emit(text)
                        prev = line
                        if tick is not None and done % every == 0:
                            tick(done)
                        continue
                if results[0].verdict == "error" and not any(c.strip() for c in cells):
                    counts["skipped"] += 1
                    prev = line
                    continue
            else:
                got = irregular(cells, width, decide)
                if got is None:
                    counts["skipped"] += 1
                    prev = line
                    continue
                cells, results = got
            prev = line
            if pending:
                text = "".join(pending)
                pending.clear()
                emit(text)
            results = written(write, cells, results)
            for result in results:
                counts[result.verdict] += 1
            if tick is not None and done % every == 0:
                tick(done)
    finally:  # the rows answered so far, also when reading stops with an error (as
        # check_rows has written them by then)
        if pending:
            text = "".join(pending)
            pending.clear()
            emit(text)
    return counts
