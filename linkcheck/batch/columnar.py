"""`batch --engine duckdb`: the same checklist, answered by DuckDB (an optional extra).

Two passes over the file, no cell held in memory. Pass 1: DuckDB reads the CSV/TSV (every
column as text) and groups the rows by the cells that decide (source, url, surface, date,
platform); Python answers each distinct combination once with the Checker's own decide()
(the Python path's code) and numbers the distinct sets of answers. Pass 2: DuckDB reads the
file again and writes each row with its answers — found by casting the row's cells, joined by
a separator no cell holds, to an ENUM of the combinations ordered by their set (a hash
lookup in the row's own place: no join, no sort), the set from the code by a search over
where each set starts — one row per surface, formula cells neutralised in SQL, CRLF: the
same bytes as the Python path, in input order (DuckDB's plan for the write is asked first:
only its order-keeping batch copy is run).

Most checklists are written line by line as csv.writer writes them; where every line of a
file is — its cells that decide bare, no cell to neutralise, the same format out — neither
pass takes a row apart: pass 1 is the line reading that counts the shape, grouping the lines
by the cells a split at the delimiters finds, and pass 2 reads the lines again, tests each,
and writes each as it is, its answers' cells appended (lines.check_lines writes such a line
so). A line that is not stops pass 2; the file then takes the way of cells.

Where such a file's cells that decide are names and days a Prediction knows (predict.py: its
answers known before the file is read), nothing is grouped by cells or decided per
combination either (_predicted): pass 1 numbers each line by its answers' set, which SQL
finds from the names' classes and the day's step (_named, _known_set), and tests it, into a
table in the file's order (a few bytes a line); pass 2 reads the lines again beside the
table's rows (a POSITIONAL JOIN) and writes each with its answers' cells, nothing looked up
or tested again. A line it does not know, or not to write as it is, is counted apart in
pass 1 (the lines are then grouped as above); a line that is not the one pass 1 read in its
place stops pass 2.

It takes only what it reads exactly as Python's csv module does: refusal() says why not
before anything is read (stdin, a pipe or a device, another encoding or format), and
check_file() makes sure the file has the plain shape (csvshape.py: what both readers read
alike). First DuckDB reads it as lines and matches each with the plain record's regular
expression while Python counts its line ends (_flat, csvshape.flat: the usual file is
proven so in a fraction of a pass); a file that this does not prove — a quoted line break,
or not plain — is scanned byte by byte beside DuckDB's work, in a child process. A file
that leaves the plain shape, a DuckDB error, or a count of records that differs raises
Unsupported before a byte is written, and the caller falls back to the Python path.
DuckDB works within MEMORY_LIMIT and spills to a temporary folder beside the system's
other temporary files.
"""

from __future__ import annotations

import base64
import codecs
import contextlib
import csv
import errno
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from typing import NamedTuple

from ..errors import LinkcheckError, OSReason, shown
from ..i18n import N_
from ..inputs import identity as _identity
from ..inputs import regular as _regular
from . import csvshape, intervals
from .deciding import Checker
from .formats import APPENDED
from .lines import canonical_line, canonical_re2
from .predict import FIRST_DAY, Prediction, answer_cells, predict
from .writers import FORMULA_STARTS, neutralise

MEMORY_LIMIT = "1GB"
# distinct answers a run looks up at most (the bundled rules' checklists have tens; a
# checklist of distinct bad dates or unknown links has one a row: 20,000 took 767 MB)
MAX_ANSWERS = 1024
# distinct combinations of the cells that decide it answers at most, each in Python (a
# checklist of 1,500,000 rows each with its own time of day held 1.9 GB, and took 1.6x the
# Python engine's time; the bench's 10,000,000 rows have 42,360)
MAX_COMBINATIONS = 200_000
# bytes of a line DuckDB reads (its default): more than the longest plain record
MAX_LINE = 2 << 20
# what writers.neutralise leaves alone although it starts like a formula: a plain number
# (RE2's digits are ASCII, as the Python test's are: re.ASCII)
_NUMBER = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
# what str.strip() strips: a row of only these is blank (skipped) on the Python path
_WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())


class Unsupported(LinkcheckError):
    """The input is not one DuckDB reads exactly as the Python path does (or DuckDB is not
    installed); the message says why. The caller falls back to the Python engine."""


class Changed(Unsupported):
    """The input file changed while DuckDB read it: no engine can answer it as one file."""


def available() -> bool:
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return False
    return True


def refusal(source, path: str | None, delimiter: str | None, out_delimiter: str | None,
            encoding: str) -> Unsupported | None:  # fmt: skip
    """Why the DuckDB engine cannot take the input `source` (opened from `path`; None for a
    stream given, such as stdin) with those cell delimiters (None: not CSV or TSV), or None.
    Cheap: nothing of the file is read. What it holds is checked as DuckDB reads it
    (check_file)."""
    if path is None:
        return Unsupported(N_("stdin cannot be read twice"))
    if delimiter is None:
        return Unsupported(N_("it reads CSV and TSV only"))
    if out_delimiter is None:
        return Unsupported(N_("it writes CSV and TSV only"))
    # a byte-order mark (Excel's "CSV UTF-8") DuckDB drops as utf-8-sig does
    codec = _codec(encoding)
    if codec == "utf-8" and _marked(source):  # --encoding utf-8 keeps it as a character
        return Unsupported(N_("read as utf-8, its byte-order mark is a character of its first "
                              "cell, which DuckDB drops (utf-8-sig drops it too)"))  # fmt: skip
    if codec not in ("utf-8", "utf-8-sig"):
        return Unsupported(N_("the input is not plain UTF-8 ({encoding})"), encoding=encoding)
    if _location(source, path) is None:
        return Unsupported(_NOT_A_FILE)
    if not available():
        return Unsupported(N_("DuckDB is not installed (pip install duckdb)"))
    return None


def foreseen(source, path: str, delimiter: str | None, out_delimiter: str | None,
             header: list[str], checker: Checker, raw_cells: bool) -> bool:  # fmt: skip
    """Whether the file `source` (opened from `path`, which refusal() took) starts as a
    checklist whose answers check_file foresees: every line of its first block written as
    it is and its rows' names and days known (--engine auto takes DuckDB for it sooner).
    Cheap: the first block is read, the Prediction made."""
    used = _used(checker)
    location = _location(source, path)
    if delimiter is None or out_delimiter != delimiter or not used or location is None:
        return False
    ask = _Lines(delimiter, len(header), used, not raw_cells)
    return ask.at_start(location) and ask.foreseen(location, checker, raw_cells) is not None


def _marked(source) -> bool:
    """Whether the file `source` starts with a UTF-8 byte-order mark (False where it cannot
    be told: the reading after says what it is)."""
    try:
        return os.pread(source.fileno(), 3, 0) == b"\xef\xbb\xbf"
    except (AttributeError, OSError, ValueError):
        return False


_NOT_A_FILE = N_("the input is a pipe, a FIFO or a device, not a file that DuckDB could read "
                 "again from its start")  # fmt: skip


def _codec(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


def _location(source, path: str | None) -> str | None:
    """A name by which DuckDB opens the very regular file `source` is, from its start: the
    descriptor's own (Linux), else the resolved `path` (if given) — or None (a pipe, a FIFO,
    a device, a file replaced since, a name DuckDB would read as a pattern)."""
    opened = _regular(source)
    if opened is None:
        return None
    for name in (f"{_PROC_FD}{source.fileno()}", *([os.path.realpath(path)] if path else [])):
        if any(c in name for c in "*?[{"):  # DuckDB would expand it as a glob
            continue
        with contextlib.suppress(OSError):
            if os.path.samestat(opened, os.stat(name)):
                return name
    return None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def check_file(source, path: str, delimiter: str, header: list[str], checker: Checker,
               binary, out_delimiter: str, raw_cells: bool,
               whole: bool = False) -> dict[str, int]:  # fmt: skip
    """Answer the checklist `source` (opened from `path`, its header already read) and write
    the rows (not the header) to `binary`; the count of each verdict, and of blank rows
    skipped. Unsupported, with nothing written, when DuckDB cannot read it exactly. `whole`:
    `binary` is this run's own file, holding only the header written to it, which DuckDB may
    write again whole (_Own)."""
    try:
        import duckdb
    except ImportError:
        raise Unsupported(N_("DuckDB is not installed (pip install duckdb)")) from None
    location = _location(source, path)
    if location is None:  # refusal() said it was one; it has been replaced since
        raise Unsupported(_NOT_A_FILE)
    own = _Own.of(binary) if whole else None
    before = _settled(source)
    with tempfile.TemporaryDirectory(prefix="linkcheck-duckdb-") as folder:
        target = os.path.join(folder, "out.csv")
        con = duckdb.connect()
        shape: _Known | _Scan | None = None
        done = False
        try:
            try:
                with _signals_interrupt(con) as caught:
                    try:
                        spill = os.path.join(folder, "spill")
                        con.execute(f"SET memory_limit = {_literal(MEMORY_LIMIT)}")
                        con.execute(f"SET temp_directory = {_literal(spill)}")
                        con.execute("SET preserve_insertion_order = true")
                        used = _used(checker)
                        ask = (
                            _Lines(delimiter, len(header), used, not raw_cells)
                            if out_delimiter == delimiter and used else None
                        )  # fmt: skip
                        if ask is not None and not ask.at_start(location):
                            ask = None
                        known = got = None
                        if ask is not None:
                            prediction = ask.foreseen(location, checker, raw_cells)
                            if prediction is not None:
                                known, got = _predicted(con, location, ask, prediction, header,
                                                        caught, own or target)  # fmt: skip
                        if got is None:
                            if ask is not None:
                                ask.groups = None  # the predicted pass's, not the cells'
                            known = _flat(con, location, delimiter, len(header), caught, ask)
                        if known and ask is not None and got is None:
                            if ask.groups is not None:
                                got = _checked_lines(con, location, ask, header, checker,
                                                     raw_cells, own or target)  # fmt: skip
                            if got is None:  # the Shape held only if every line was one
                                known = _flat(con, location, delimiter, len(header), caught)
                        shape = _Known(known) if known else _Scan(
                            location, delimiter, len(header), con
                        )  # fmt: skip
                        counts, rows = got or _checked(
                            con, location, delimiter, header, checker, raw_cells,
                            out_delimiter, target,
                        )  # fmt: skip
                    except duckdb.Error as exc:
                        if caught:
                            raise
                        _unchanged(source, before)  # a file changed: said so, not DuckDB's
                        if shape is not None:
                            shape.result()  # a file that is not plain says so, not DuckDB
                        reason = _reason(exc)
                        if isinstance(exc, duckdb.IOException) and own and own.named(exc):
                            raise Unsupported(  # a full disk beside the output, most likely
                                N_("DuckDB could not write the output ({reason})"),
                                reason=reason,
                            ) from None  # fmt: skip
                        if isinstance(exc, duckdb.IOException) and folder in str(exc):
                            raise Unsupported(  # a full disk, most likely: say where
                                N_("DuckDB could not write its temporary files ({reason}; "
                                   "TMPDIR can name a folder with more room)"),
                                reason=reason,
                            ) from None  # fmt: skip
                        raise Unsupported(
                            N_("DuckDB cannot read it as the Python path does ({reason})"),
                            reason=reason,
                        ) from None
                    known_shape = shape.result()
                    # empty lines: none of DuckDB's records; the Python path skips each
                    records = known_shape.records - known_shape.empty
                    counts["skipped"] += known_shape.empty
            finally:
                if shape is not None:
                    shape.close()
            _unchanged(source, before)  # the passes read one file, not two
            if rows != records:  # never a shorter output
                raise Unsupported(N_("DuckDB read {rows} rows where the file has {records}"),
                                  rows=f"{rows:,}", records=f"{records:,}")  # fmt: skip
            if own is not None and got is not None:  # DuckDB wrote the output file itself
                own.written(binary)
            else:
                _append(target, binary)
            done = True
        finally:
            con.close()
            if own is not None and not done:
                own.restore()  # the header alone again, for the Python engine's rows
    return counts


# how long ago a file changed may it change again unseen: Linux stamps a file's change with
# a coarse clock (a few milliseconds a tick), so a second change in the tick of the first
# leaves the stamp as it was
_SETTLE_NS = 20_000_000


def _settled(source) -> tuple | None:
    """The file's identity, once it has not changed for _SETTLE_NS; Unsupported where it is
    still being written (the two passes would read two files)."""
    found = _identity(source)
    for _ in range(2):
        if found is None or not 0 <= time.time_ns() - found[4] < _SETTLE_NS:
            return found
        time.sleep(_SETTLE_NS / 1e9)
        found = _identity(source)
    raise Unsupported(N_("the input is being written (DuckDB reads it twice)"))


def _unchanged(source, before: tuple | None) -> None:
    """Unsupported where the file `source` is not as it was (`before`): DuckDB's passes
    read it twice, and a change between them answers one file and counts another."""
    if _identity(source) != before:
        raise Changed(N_("the input changed while DuckDB read it"))


def _reason(exc: Exception) -> str:
    """DuckDB's error in one line: the message it wraps as JSON where it wraps one (an IO
    error: 'Async write failed …: {"exception_message": "Could not write file …"}'), as
    user text is shown (control characters escaped, cut past 160 characters)."""
    lines = str(exc).splitlines()
    text = lines[0] if lines else type(exc).__name__
    if (at := text.find("{")) >= 0:
        with contextlib.suppress(ValueError, LookupError, TypeError):
            inner = json.loads(text[at:])["exception_message"]
            if isinstance(inner, str) and inner.strip():
                text = inner.strip().splitlines()[0]
    return shown(text, 160)


def _append(path: str, binary) -> None:
    """Write the file at `path` to the end of `binary`: by the kernel where it can
    (sendfile: no copy through Python), else a block at a time."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        out = None
        with contextlib.suppress(AttributeError, ValueError, OSError):  # io.BytesIO, …
            out = binary.fileno()
        sent = 0
        if out is not None:
            binary.flush()
            sent = _sendfile(out, f.fileno(), size)
        if sent and binary.seekable():  # its position, as the buffered file knows it
            binary.seek(0, os.SEEK_END)
        f.seek(sent)
        while chunk := f.read(1 << 20):
            binary.write(chunk)


def _sendfile(out: int, source: int, size: int) -> int:
    """Bytes of `source` sent to `out` by os.sendfile: all `size`, or 0 where it cannot
    send any (not Linux, an output it cannot send to); an error past the first byte (a
    full disk) is the write's own."""
    if not hasattr(os, "sendfile"):
        return 0
    sent = 0
    while sent < size:
        try:
            n = os.sendfile(out, source, sent, size - sent)
        except OSError as exc:
            if sent or exc.errno not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
                raise
            return 0
        if n == 0:
            break
        sent += n
    return sent


def _checked(con, location, delimiter, header, checker, raw_cells, out_delimiter,
             target) -> tuple[dict[str, int], int]:  # fmt: skip
    """Read, answer and write to `target`; the counts, and the rows read (answered or
    skipped) after the header."""
    names = [f"c{i}" for i in range(len(header))]
    rows = _rows(location, delimiter, names)
    used = _used(checker)
    # pass 1: each distinct combination of the cells that decide, and its rows
    cells = "".join(f"coalesce(r.{names[i]}, ''), " for i in used)
    groups = con.execute(
        f"SELECT {cells}count(*) FROM {rows} r" + (" GROUP BY ALL" if used else "")
    ).fetchmany(MAX_COMBINATIONS + 1)
    if len(groups) > MAX_COMBINATIONS:  # each is decided in Python and held: memory, time
        raise _too_many()
    width = len(used)
    # the columns whose cells are neutralised where they start like a formula: every other
    # column (a test in pass 2 costs less than finding in pass 1 which hold one), and those
    # of the combinations where the writer's own neutralise() changes one of their values
    risky = [not raw_cells and i not in used for i in range(len(names))]
    if not raw_cells:
        for group in groups:
            for i, value in zip(used, group, strict=False):
                risky[i] = risky[i] or neutralise(value) != value
    blank, blanks = _blank_rows(con, rows, names, used, groups)
    combinations = {tuple(g[:width]): [g[width], blanks.get(tuple(g[:width]), 0)] for g in groups}
    # the header is the first record read: its combination's rows are one fewer
    first = tuple(header[i] for i in used)
    if first in combinations:
        combinations[first][0] -= 1
        if not "".join(header).strip() and combinations[first][1]:  # it was counted blank
            combinations[first][1] -= 1
    plan = _Plan(checker, len(names), used, combinations, raw_cells, first)
    # pass 2: each row's answers found from its cells by a cast to an ENUM of the distinct
    # combinations (a hash lookup, in the row's own place: no join, no sort)
    written = _write(con, plan, names, rows, blank, risky, out_delimiter, target)
    if written != plan.due:
        raise Unsupported(N_("DuckDB wrote {rows} rows where {due} were due"),
                          rows=f"{written:,}", due=f"{plan.due:,}")  # fmt: skip
    return {**plan.counts, "skipped": plan.skipped}, plan.answered + plan.skipped


def _too_many() -> Unsupported:
    return Unsupported(
        N_("the rows have more than {limit} different combinations of the cells that decide "
           "(a date with its own time on each row, say)"),
        limit=f"{MAX_COMBINATIONS:,}",
    )  # fmt: skip


def _used(checker: Checker) -> list[int]:
    """The columns whose cells decide a row's answers (source, url, surface, platform, date),
    in order."""
    at = (checker.columns.at(m) for m in (*intervals.PLAN_CELLS, "date"))
    return sorted({i for i in at if i is not None})


def _blank_rows(con, rows: str, names: list[str], used: list[int], groups) -> tuple[str, dict]:
    """SQL: a row is blank (skipped, as the Python path skips it), and the blank rows of
    each combination that has some. Only a combination whose cells are all blank can hold
    one: only its rows are tested, whole (a test of every cell costs a pass)."""
    width = len(used)
    empty = [g[:width] for g in groups if g[width] and not "".join(g[:width]).strip()]
    if not empty:
        return "false", {}
    match = " OR ".join(
        " AND ".join(
            f"coalesce(r.{names[i]}, '') = {_text(v, '')}"
            for i, v in zip(used, values, strict=True)
        )
        or "true"
        for values in empty
    )
    blank = f"({match}) AND {_blank_sql(names)}"
    group = " GROUP BY ALL" if used else ""
    cells = "".join(f"coalesce(r.{names[i]}, ''), " for i in used)
    found = con.execute(f"SELECT {cells}count(*) FROM {rows} r WHERE {blank}{group}").fetchall()
    return blank, {tuple(g[:width]): g[width] for g in found}


def _rows(location: str, delimiter: str, names: list[str]) -> str:
    """SQL: the file's records, the header first, each cell as text (NULL if empty, "" too)."""
    columns = "{" + ", ".join(f"{_literal(n)}: 'VARCHAR'" for n in names) + "}"
    # the header is read as a record too (header = true skips a line, not a record, where
    # a quoted line break is in it); no comments, no decompression by extension
    return (
        f"read_csv({_literal(location)}, header = false, delim = {_literal(delimiter)}, "
        "quote = '\"', escape = '\"', auto_detect = false, strict_mode = true, "
        "null_padding = false, allow_quoted_nulls = true, comment = '', compression = 'none', "
        f"max_line_size = {MAX_LINE}, columns = {columns})"
    )


# the characters that may join the cells of a combination into one text: the first that
# no cell of the combinations holds (else the DuckDB engine declines the file)
_SEPARATORS = "\x1f\x1e\x1d\x1c" + "".join(map(chr, range(0xE000, 0xE010)))


class _Plan:
    """The distinct combinations of the cells that decide (source, url, surface, date,
    platform; `groups`: their cells, rows and blank rows), each answered once by the
    Checker (the Python path's own decide()), and what the write needs: the combinations as
    texts in the order of their answers' sets, where each set starts, and the sets."""

    def __init__(self, checker: Checker, row_width: int, used: list[int], groups: dict,
                 raw_cells: bool, header: tuple) -> None:  # fmt: skip
        self.used = used
        self.counts = dict.fromkeys(("allowed", "denied", "unknown", "error"), 0)
        self.answered = self.skipped = self.due = 0
        self.answers: dict[tuple, int] = {}  # an answer's cells → its number
        sets: dict[tuple[int, ...], int] = {}  # a row's answers (numbers) → the set's number
        keyed: list[tuple[int, tuple]] = []
        # the numbers of the answers decide() returned, by the list it returns again for
        # the cells it has seen (kept, so that an id is not another list's)
        seen: dict[int, tuple[list, tuple[int, ...]]] = {}
        for values, (n, blanks) in groups.items():
            self.skipped += blanks
            kept = n - blanks
            numbers: tuple[int, ...] = ()
            if kept:  # a group of blank rows only is never decided (nor written)
                row = [""] * row_width
                for i, value in zip(used, values, strict=True):
                    row[i] = value
                answers = checker.decide(row)
                known = seen.get(id(answers))
                if known is not None and known[0] is answers:  # its fast path's own list
                    numbers = known[1]
                else:
                    numbers = tuple(self._number(a, raw_cells) for a in answers)
                    seen[id(answers)] = (answers, numbers)
                    if len(self.answers) > MAX_ANSWERS:  # each a literal of the query: stop
                        raise Unsupported(
                            N_("the rows have more than {limit} different answers (an error "
                               "note quoting its cell is one each)"),
                            limit=f"{MAX_ANSWERS:,}",
                        )  # fmt: skip
                for answer in answers:
                    self.counts[answer.verdict] += kept
                self.answered += kept
                self.due += kept * len(answers)
            keyed.append((sets.setdefault(numbers, len(sets)), values))
        self.sets = list(sets)
        keyed.sort(key=lambda k: k[0])
        held = "".join(v for _, values in keyed for v in values)
        self.separator = next((c for c in _SEPARATORS if c not in held), "")
        if not self.separator:
            raise Unsupported(N_("its cells hold every character the engine could join "
                                 "them with"))  # fmt: skip
        self.keys = [self.separator.join(values) for _, values in keyed]
        # where each set's keys start, in the order of the keys
        self.starts = [i for i, (s, _) in enumerate(keyed) if i == 0 or keyed[i - 1][0] != s]
        self.numbers = [keyed[i][0] for i in self.starts]
        # the header's code (-1 if DuckDB read it otherwise: then it is written, and the
        # count of records read makes the run fall back), and whether a row shares it
        self.header = next((i for i, (_, v) in enumerate(keyed) if v == header), -1)
        self.header_shared = header in groups and bool(groups[header][0])

    def _number(self, answer, raw_cells: bool) -> int:
        return self.answers.setdefault(answer_cells(answer, raw_cells), len(self.answers))


def _code(con, plan: _Plan, cells: list[str]) -> str:
    """SQL: the code of a row's combination, from `cells` (SQL: the row's cells in the
    columns plan.used): its cells joined as _Plan.keys joins them, cast to an ENUM of the
    keys (made here)."""
    if not plan.used:  # (the header alone is a combination: there are keys)
        return "0"
    con.execute("DROP TYPE IF EXISTS combination")  # a write of lines stopped: made again
    con.execute("CREATE TYPE combination AS ENUM (SELECT unnest($1))", [plan.keys])
    made = con.execute("SELECT enum_range(NULL::combination)").fetchone()[0]
    if made != plan.keys:  # the codes _set_number searches are the keys' positions
        raise Unsupported(N_("DuckDB made its ENUM in another order"))
    return f"enum_code(CAST({_key(plan, cells)} AS combination))"


def _key(plan: _Plan, cells: list[str]) -> str:
    """SQL: a row's combination of cells as a text, as _Plan.keys writes them."""
    if len(cells) == 1:
        return f"coalesce({cells[0]}, '')"
    return "concat(" + f", {_literal(plan.separator)}, ".join(cells) + ")"  # NULL as ''


def _set_number(plan: _Plan, code: str) -> str:
    """SQL: the number of the answers' set of the combination whose ENUM code is `code`: a
    search (nested CASE) over where each set's codes start."""

    def search(lo: int, hi: int) -> str:
        if hi - lo == 1:
            return str(plan.numbers[lo])
        mid = (lo + hi) // 2
        return (f"CASE WHEN {code} < {plan.starts[mid]} THEN {search(lo, mid)} "
                f"ELSE {search(mid, hi)} END")  # fmt: skip

    return search(0, len(plan.starts)) if plan.starts else "0"


def _text(value: str | None, empty: str | None = None) -> str:
    """SQL: a text (NULL if empty, unless `empty` is given): a literal, or decoded from
    base64 when it holds what a literal should not (an input cell an error echoes)."""
    if not value:
        return "CAST(NULL AS VARCHAR)" if empty is None else _literal(empty)
    if value.isprintable():
        return _literal(value)
    return f"decode(from_base64({_literal(base64.b64encode(value.encode()).decode())}))"


def _write(con, plan: _Plan, names: list[str], rows: str, blank: str, risky: list[bool],
           delimiter: str, target: str) -> int:  # fmt: skip
    """Write the rows (the `risky` columns' cells neutralised) and their answers to
    `target`, as Python's csv module writes them; the rows written."""
    code = _code(con, plan, [f"r.{names[i]}" for i in plan.used])
    # each step its own subquery: an expression a column names is computed once a row
    conditions = [f"NOT ({blank})"] if plan.skipped else []
    # the header (the first record) is not written: its combination's code is left out, or,
    # when a row shares it, the first record (row_number() OVER (): in order, streamed)
    skip = ""
    if plan.header_shared:
        rows = f"(SELECT *, row_number() OVER () AS _r FROM {rows})"
        conditions.append("_r > 1")
    else:
        skip = f" WHERE _c <> {plan.header}"
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    coded = f"SELECT *, {code} AS _c FROM {rows} r{where}"
    numbered = f"SELECT *, {_set_number(plan, '_c')} AS _s FROM ({coded}){skip}"
    cells = ", ".join(f"{_cell(n, not risky[i])} AS {n}" for i, n in enumerate(names))
    inner = _each_answer(plan, cells, numbered)
    answers = list(plan.answers)
    columns = ", ".join(
        "[" + ", ".join(_text(a[j]) for a in answers) + f"][a] AS {_quote(c)}"
        for j, c in enumerate(APPENDED)
    )
    out = ", ".join(names)
    copy = (
        f"COPY (SELECT {out}, {columns} FROM ({inner})) "
        f"TO {_literal(target)} (FORMAT csv, HEADER false, DELIMITER {_literal(delimiter)}, "
        "QUOTE '\"', ESCAPE '\"', NEW_LINE '\\r\\n', COMMENT '')"  # else it quotes a #
    )
    _in_order(con, copy)
    return con.execute(copy).fetchone()[0]


def _each_answer(plan: _Plan | _Sets, cells: str, numbered: str) -> str:
    """SQL: `cells` (SQL: a row's columns) of the rows of `numbered` (whose _s is the number
    of their answers' set) with `a`, an answer's number (from 1): a row an answer."""
    if all(len(s) == 1 for s in plan.sets if s):  # one answer a row: the set's own
        per_set = [s[0] if s else 0 for s in plan.sets]
        pick = "[" + ", ".join(str(k + 1) for k in per_set) + "][_s + 1]"
        return f"SELECT {cells}, {pick} AS a FROM ({numbered})"
    # a row a surface, in the order of the row's answers
    lists = ", ".join("[" + ", ".join(str(k + 1) for k in s) + "]" for s in plan.sets)
    return f"SELECT {cells}, unnest([{lists}][_s + 1]) AS a FROM ({numbered})"


def _in_order(con, statement: str, *kinds: str) -> None:
    """Unsupported unless DuckDB plans `statement` as one of `kinds` (default: its
    order-keeping write, a batch copy: each thread's rows written in the order they were
    read). preserve_insertion_order alone does not hold where the plan has a join — an IN
    list of five texts became one, and a million-row file came out shuffled — so the plan
    itself is asked."""
    kinds = kinds or ("BATCH_COPY_TO_FILE",)
    if con.execute("SELECT current_setting('threads')").fetchone()[0] == 1:
        # one thread reads and writes the rows one after another, in order, whatever the
        # plan: DuckDB plans no batch insert or copy for one (a machine of one core)
        kinds += tuple(k.removeprefix("BATCH_") for k in kinds)
    plan = con.execute("EXPLAIN (FORMAT json) " + statement).fetchall()
    with contextlib.suppress(ValueError, LookupError, TypeError, AttributeError):
        if json.loads(plan[0][1])[0]["name"] in kinds:
            return
    raise Unsupported(N_("DuckDB would not write the rows in their order"))


def _flat(con, location: str, delimiter: str, width: int, caught: list[int],
          ask: _Lines | None = None):  # fmt: skip
    """The file's Shape where DuckDB's own reading proves it plain with no line break in a
    cell (csvshape.flat: each line a plain record by a regular expression, its line ends
    counted here meanwhile): a pass over the file's lines, in DuckDB's threads. None where
    it does not (a quoted line break, a file that is not plain): the scan then decides.

    With `ask`, the pass groups the lines by their cells that decide instead of matching
    each: the Shape it gives holds only if every line is one the engine may write as it is
    (_Lines), which the write tests of each line after the first (_write_lines) and this of
    the first; ask.groups are then the groups — (cells…, lines) — unless there are too many.
    Where a line is not, or the write is not made, the caller proves the Shape again
    without `ask`. (The test of each line costs a fifth of a pass: made in the write, it is
    made once.)"""
    import duckdb

    counting = _LineEnds(location)
    pattern = _literal(csvshape.record_pattern(delimiter, width))
    reader = _lines(location)
    shape_sql = (
        "count(*), coalesce(sum(strlen(line)), 0), coalesce(max(strlen(line)), 0), "
        "{unmatched}, count(*) FILTER (WHERE line IS NULL)"
    )
    if ask is None:
        unmatched = f"count(*) FILTER (WHERE NOT regexp_full_match(line, {pattern}))"
        query = f"SELECT {shape_sql.format(unmatched=unmatched)} FROM {reader}"
    else:  # no line matched: each is one to write as it is, or the Shape is proven again
        split = f"SELECT line, string_split(line, {_literal(delimiter)}) AS s FROM {reader}"
        cells = ", ".join(f"s[{i + 1}] AS k{n}" for n, i in enumerate(ask.used))
        keys = ", ".join(f"k{i}" for i in range(len(ask.used)))
        query = (
            f"SELECT GROUPING(k0), {keys}, {shape_sql.format(unmatched='0')} "
            f"FROM (SELECT line, {cells} FROM ({split})) "
            f"GROUP BY GROUPING SETS (({keys}), ()) ORDER BY 1 DESC"
        )
    try:
        read = con.execute(query).fetchmany(MAX_COMBINATIONS + 2)
    except duckdb.Error:
        counting.close()
        if caught:
            raise
        return None
    except BaseException:  # Ctrl-C: the count is not wanted
        counting.close()
        raise
    ends = counting.result()
    if not read or ends is None:
        return None
    if ask is None:
        lines, size, longest, unmatched, empty = read[0]
        return csvshape.flat(ends, lines, size, longest, unmatched, empty, width)
    total, groups = read[0], read[1:]
    lines, size, longest, unmatched, empty = total[-5:]
    shape = csvshape.flat(ends, lines, size, longest, unmatched, empty, width)
    if shape is None:
        return None
    if len(groups) > MAX_COMBINATIONS:
        raise _too_many()  # the cells' way would group them again, to say so
    first = con.execute(  # the first line (the header): the write skips it
        f"SELECT line IS NULL OR regexp_full_match(line, {_literal(ask.pattern)}) "
        f"FROM {reader} LIMIT 1"
    ).fetchone()  # fmt: skip
    if first and first[0]:
        # an empty line (NULL) has no cells: counted apart, as the Shape's empty ones; a
        # line short of a cell that decides has none there (NULL) either, and is not one
        # to write as it is (the write's test of each line finds it)
        many = len(total) - 6
        ask.groups = [g[1:] for g in groups if None not in g[1 : 1 + many]]
    return shape


class _LineEnds:
    """csvshape.ends of the file at `location`, counted beside DuckDB's work from the moment
    it is made: in a child process (in a thread of this one it held the GIL that DuckDB's
    client thread takes between its tasks, and slowed a one-thread write by a fifth), or, where
    none can be started or it fails, in a thread."""

    def __init__(self, location: str) -> None:
        self._location = location
        self._found: list[csvshape.Ends] = []
        self._thread: threading.Thread | None = None
        self._proc = _child(location)
        if self._proc is None:
            self._thread = threading.Thread(target=self._count, name="linkcheck-line-ends",
                                            daemon=True)  # fmt: skip
            self._thread.start()

    def _count(self) -> None:
        with contextlib.suppress(OSError), open(self._location, "rb", buffering=0) as f:
            self._found.append(csvshape.ends(f.readinto))

    def result(self) -> csvshape.Ends | None:
        """The counts, once made; None where the file could not be read."""
        if self._proc is not None:
            out, _ = self._proc.communicate()
            self._proc = None
            with contextlib.suppress(ValueError, LookupError, TypeError):
                size, lf, crlf, bom, last, first = json.loads(out or b"null")["ends"]
                self._found.append(csvshape.Ends(int(size), int(lf), int(crlf), bool(bom),
                                                 int(last), int(first)))  # fmt: skip
            if not self._found:  # a child that failed: counted here
                self._count()
        if self._thread is not None:
            self._thread.join()
        return self._found[0] if self._found else None

    def close(self) -> None:
        """Stop a count whose result is not wanted (the run ends early)."""
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.communicate()
            self._proc = None
        if self._thread is not None:
            self._thread.join()


def _lines(location: str, skip: int = 0) -> str:
    """SQL: the file's lines after the first `skip`, each one text (NULL if empty): a
    delimiter no plain file holds (one that does is an error), no quote."""
    return (
        f"read_csv({_literal(location)}, header = false, columns = {{'line': 'VARCHAR'}}, "
        "delim = '\x01', quote = '', escape = '', auto_detect = false, strict_mode = true, "
        "null_padding = false, comment = '', compression = 'none', "
        f"max_line_size = {MAX_LINE}, skip = {skip})"
    )


class _Lines:
    """What makes a line one the DuckDB engine writes as it is, its answers' cells appended
    (as lines.check_lines writes it): CSV or TSV out as in, `width` cells each as csv.writer
    writes them, the cells that decide (`used`) bare — so that splitting the line at its
    delimiters finds them — and, if `guard`, no cell that starts like a formula."""

    def __init__(self, delimiter: str, width: int, used: list[int], guard: bool) -> None:
        self.delimiter, self.used = delimiter, used
        self._form = (delimiter, width, guard, max(used) + 1)
        self.pattern = canonical_re2(*self._form)
        self.groups: list[tuple] | None = None  # _flat's, where every line is one
        self._head: tuple[str, list[str]] | None = None  # (location, its lines)
        spaces = _WHITESPACE + ("" if delimiter in _WHITESPACE else delimiter)
        # a line of blank cells (no quote: a quoted CSV cell holds a delimiter or a quote)
        self.blank = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in spaces) + "]*"

    def at_start(self, location: str) -> bool:
        """Whether the whole lines of the file's first block are all such lines (or it
        cannot be read: DuckDB's reading says): a file whose are not — quoted cells that
        decide, a formula column — is most likely not such a file, and need not pay for its
        lines to be grouped (a third of a pass)."""
        found = self.head(location)
        if found is None:
            return True
        fits = canonical_line(*self._form)
        return all(fits.fullmatch(line) for line in found if line)

    def head(self, location: str) -> list[str] | None:
        """The whole lines of the file's first block (None if it cannot be read)."""
        if self._head is None or self._head[0] != location:
            try:
                with open(location, "rb", buffering=0) as f:
                    head = f.read(_START)
                    whole = len(head) < _START
            except OSError:
                return None
            text = head.decode("utf-8-sig", "ignore")  # a byte-order mark is no line's
            found = csvshape.LINE_END.split(text)
            if not whole or not found[-1]:
                found.pop()  # cut off, or the empty text after the last line end
            self._head = (location, found)
        return self._head[1]

    def foreseen(self, location: str, checker: Checker, raw_cells: bool) -> Prediction | None:
        """The Prediction of the file's rows, where the lines after the first of its first
        block are all rows whose answers it knows — a file most likely all of them (else
        the way that groups its lines is taken, without a pass spent to find it is not);
        None otherwise."""
        found = self.head(location)
        if not found:
            return None
        prediction = predict(checker, self._form[1], raw_cells)
        if prediction is None:
            return None
        rows = [line.split(self.delimiter) for line in found[1:] if line]
        known = all(prediction.set_of(cells) is not None for cells in rows)
        return prediction if known else None


_START = 1 << 16  # bytes of a file Lines.at_start looks at


def _predicted(con, location: str, ask: _Lines, prediction: Prediction, header: list[str],
               caught: list[int], target: str | _Own):  # fmt: skip
    """_checked_lines for a file whose rows' answers `prediction` knows before it is read,
    in two passes and no combination of cells grouped, fetched or decided. Pass 1
    (_numbered) numbers each line by its answers' set into a table, in the file's order;
    pass 2 reads the lines again and writes each with its answers' cells, the table's row
    beside it (a POSITIONAL JOIN: no line taken apart, looked up or tested again). (Shape or
    None, (the counts, the rows read) or None): None where a line is not one it knows, or
    not one to write as it is — the caller then takes the way that groups the lines (a line
    not known costs a pass; the first block's rows are known, Lines.foreseen)."""
    import duckdb

    if not _name_types(con, prediction):
        return None, None
    try:
        found = _numbered(con, location, ask, prediction)
        if found is None:
            return None, None
        rows, lines, size, longest, empty = found
        if -1 in rows or -2 in rows:
            return None, None  # a line not known, or not one to write as it is
        counts = dict.fromkeys(("allowed", "denied", "unknown", "error"), 0)
        due = 0
        for n, many in rows.items():
            for answer in prediction.sets[n]:
                counts[prediction.verdicts[answer]] += many
            due += many * len(prediction.sets[n])
        ends = [_appended(cells, ask.delimiter) for cells in prediction.answers]
        if any(c in end for end in ends for c in "\x01\r\n"):  # not a line's end: cells
            return None, None
        # the sets no row has left out: most often each set a row has is one answer, picked
        occurring = _Sets([one if n in rows else () for n, one in enumerate(prediction.sets)])
        counting = _LineEnds(location)  # beside the write, which uses one core
        try:
            written = _positional_write(con, location, ask, occurring, ends, target)
        except duckdb.InvalidInputException as exc:
            counting.close()
            if _MISALIGNED not in str(exc):
                raise
            if isinstance(target, _Own):
                target.restore()
            return None, None  # the file changed since pass 1, most likely
        except BaseException:  # Ctrl-C, an error: the count is not wanted
            counting.close()
            raise
        found_ends = counting.result()
        shape = None if found_ends is None else csvshape.flat(
            found_ends, lines, size, longest, 0, empty, len(header)
        )  # fmt: skip
        if shape is None:  # the lines are not the file's records: the write is not its answer
            if isinstance(target, _Own):
                target.restore()
            return None, None
        if written != due:
            raise Unsupported(N_("DuckDB wrote {rows} rows where {due} were due"),
                              rows=f"{written:,}", due=f"{due:,}")  # fmt: skip
        return shape, ({**counts, "skipped": 0}, sum(rows.values()))
    finally:  # a connection DuckDB gave up on keeps its error, not this one's
        with contextlib.suppress(duckdb.Error):
            con.execute(f"DROP TABLE IF EXISTS {_NUMBERED}")


# the table pass 1 of the foreseen way numbers the lines into (_numbered):
# s, the number of a line's answers' set (-1: a line not known, -2: not one to write as it
# is, NULL: an empty line), n, its length in bytes, and h, DuckDB's hash of it
_NUMBERED = "linkcheck_lines"


def _numbered(con, location: str, ask: _Lines, prediction: Prediction):
    """Pass 1 of the foreseen way: the table _NUMBERED, a row a line, in the file's order
    (DuckDB's plan is asked: its order-keeping batch insert) — each line's set found in SQL
    from its names' classes and its day's step (_named, _known_set), and tested as one to
    write as it is (_Lines: the test made once, in the pass of both cores). ({set: lines
    after the first}, and the lines, bytes, longest and empty lines of the file as _flat
    counts them for csvshape.flat), or None where the first line (the header) is empty or
    not one to write as it is."""
    fits = f"regexp_full_match(line, {_literal(ask.pattern)})"
    split = (f"SELECT line, string_split(line, {_literal(ask.delimiter)}) AS s "
             f"FROM {_lines(location)}")  # fmt: skip
    known = _known_set(prediction, _named(prediction, split), "-1")
    create = (
        f"CREATE TEMP TABLE {_NUMBERED} AS SELECT CASE WHEN {fits} THEN _s "
        f"WHEN line IS NOT NULL THEN -2 END::INTEGER AS s, strlen(line)::INTEGER AS n, "
        f"hash(line) AS h FROM ({known})"
    )
    _in_order(con, create, "BATCH_CREATE_TABLE_AS")
    con.execute(create)
    head = con.execute(f"SELECT s, n FROM {_NUMBERED} LIMIT 1").fetchone()
    if head is None or head[1] is None or head[0] == -2:
        return None
    found = con.execute(
        f"SELECT GROUPING(s), s, count(*), coalesce(sum(n), 0), coalesce(max(n), 0), "
        f"count(*) FILTER (WHERE n IS NULL) FROM {_NUMBERED} GROUP BY GROUPING SETS ((s), ()) "
        "ORDER BY 1 DESC"
    ).fetchall()  # fmt: skip
    _, _, lines, size, longest, empty = found[0]
    rows = {s: many for _, s, many, *_ in found[1:] if s is not None}
    rows[head[0]] -= 1  # the header is no row
    if not rows[head[0]]:
        del rows[head[0]]
    return rows, lines, size, longest, empty


def _positional_write(con, location: str, ask: _Lines, occurring: _Sets, ends: list[str],
                      target: str | _Own) -> int:  # fmt: skip
    """Pass 2 of the foreseen way: each line after the first that is not empty, with its
    answers' cells (`ends`, by the answer's number) appended, written to `target` (as
    _write_lines writes) — its set the one pass 1 numbered it with, _NUMBERED's row in the
    line's place; the lines written. A line whose hash is not its row's (the file changed
    since pass 1, where that was not seen) stops the write. One thread reads the POSITIONAL
    JOIN and writes: the rows in the order read."""
    numbered = (
        f"SELECT CASE WHEN hash(line) = h THEN line ELSE error({_literal(_MISALIGNED)}) END "
        f"AS line, s AS _s FROM {_lines(location, 1)} POSITIONAL JOIN "
        f"(SELECT s, h FROM {_NUMBERED} OFFSET 1) WHERE line IS NOT NULL"
    )
    import duckdb

    con.execute("SET threads = 1")
    try:
        # one thread: _in_order takes its plan, a copy that is not a batch one
        return _copy_lines(con, _each_answer(occurring, "line", numbered), ends, ask.delimiter,
                           target)  # fmt: skip
    finally:  # a connection DuckDB gave up on keeps its error, not this one's
        with contextlib.suppress(duckdb.Error):
            con.execute("RESET threads")


# the error a line that is not the one pass 1 read in its place stops the write with
_MISALIGNED = "linkcheck: a line pass 1 did not read in its place"


class _Sets(NamedTuple):
    """Sets of answers (each a tuple of the answers' numbers), for _each_answer."""

    sets: list[tuple[int, ...]]


def _name_types(con, prediction: Prediction) -> bool:
    """Make an ENUM of each column's names (linkcheck_names0 …), a name's code its position
    in prediction.kinds; False where DuckDB made one otherwise."""
    for n, (_, names) in enumerate(prediction.kinds):
        con.execute(f"DROP TYPE IF EXISTS linkcheck_names{n}")
        con.execute(f"CREATE TYPE linkcheck_names{n} AS ENUM (SELECT unnest($1))", [names])
        if con.execute(f"SELECT enum_range(NULL::linkcheck_names{n})").fetchone()[0] != names:
            return False
    return True


def _named(prediction: Prediction, split: str) -> str:
    """SQL: the lines of `split` (each with its cells `s`) with _k, the combination of
    their names' classes (NULL: a cell no name), and their date cell, _x, and _y, that
    written with dashes."""
    key = ""
    for n, ((at, _), classes, count) in enumerate(zip(prediction.kinds, prediction.classes,
                                                      prediction.counts, strict=True)):  # fmt: skip
        code = f"CAST(enum_code(TRY_CAST(s[{at + 1}] AS linkcheck_names{n})) AS INTEGER)"
        found = "[" + ", ".join(map(str, classes)) + f"][{code} + 1]"
        key = f"({key}) * {count} + {found}" if key else found
    day = "NULL AS _x, NULL AS _y"
    if prediction.date_at is not None:
        cell = f"s[{prediction.date_at + 1}]"
        # a copy of the text only where it has a slash (4% of pass 1 less)
        day = f"{cell} AS _x, CASE WHEN contains({cell}, '/') THEN replace({cell}, '/', '-') "
        day += f"ELSE {cell} END AS _y"
    return f"SELECT line, {key} AS _k, {day} FROM ({split})"


def _known_set(prediction: Prediction, named: str, otherwise: str) -> str:
    """SQL: the lines of `named` (_named) with _s, the number of a line's answers' set from
    its _k, _x and _y, or `otherwise` (SQL) for a line not known (the line NULL: NULL): the
    table's item at the classes' combination and the day's step — the step by comparing the
    day's text (YYYY-MM-DD) with the days at which an answer changes, where the day is one
    (_x's separators alike, _y its own text as a DATE, in FIRST_DAY…LAST_DAY: what read_day
    reads)."""
    table = "[" + ", ".join(map(str, prediction.table)) + "]"
    steps = len(prediction.days) + 1
    if prediction.date_at is None:
        found = f"{table}[_k + 1]"
    else:
        # DuckDB writes a DATE back as YYYY-MM-DD for the years 1000 to 9999 only (a fifth
        # digit, ' (BC)' after it): ten characters that are that text are a day read_day reads
        day = (
            f"strlen(_y) = 10 AND _x[5] = _x[8] AND _y >= {_literal(FIRST_DAY.isoformat())} "
            "AND CAST(try_cast(_y AS DATE) AS VARCHAR) = _y"
        )
        ladder = " ".join(
            f"WHEN _y >= {_literal(d.isoformat())} THEN {len(prediction.days) - i}"
            for i, d in enumerate(reversed(prediction.days))
        )
        step = f"CASE WHEN {day} THEN CASE {ladder} ELSE 0 END END" if ladder else (
            f"CASE WHEN {day} THEN 0 END"
        )  # fmt: skip
        found = f"{table}[_k * {steps} + {step} + 1]"
    known = f"SELECT line, {found} AS _s FROM ({named})"
    return (f"SELECT line, CASE WHEN _s >= 0 THEN _s WHEN line IS NOT NULL THEN {otherwise} "
            f"END AS _s FROM ({known})")  # fmt: skip


def _checked_lines(con, location: str, ask: _Lines, header: list[str], checker: Checker,
                   raw_cells: bool, target: str | _Own):  # fmt: skip
    """_checked for a file whose every line the engine may write as it is (_flat's groups):
    read, answered and written a line at a time, no cell taken apart or put together again
    (pass 2 reads lines and writes them, with their answers' cells appended). The counts and
    the rows read, or None where a line must be taken apart after all: a TSV line of blank
    cells, one quoted (before anything is made), or a line not as csv.writer writes it (the
    write stops there)."""
    width = len(ask.used)
    assert ask.groups is not None
    combinations = {tuple(g[:width]): [g[width], 0] for g in ask.groups}
    first = tuple(header[i] for i in ask.used)
    if first in combinations:  # the header is the first line, read as one
        combinations[first][0] -= 1
    # blank lines (skipped, as the Python path skips them) are among the lines whose cells
    # that decide are all blank
    empty = [k for k, (n, _) in combinations.items() if n and not "".join(k).strip()]
    if empty:
        match = " OR ".join(
            "(" + " AND ".join(f"s[{i + 1}] = {_text(v, '')}" for i, v in zip(ask.used, k,
                                                                           strict=True)) + ")"
            for k in empty
        )  # fmt: skip
        keys = ", ".join(f"s[{i + 1}]" for i in ask.used)
        found = con.execute(
            f"SELECT {keys}, count(*) FILTER (WHERE regexp_full_match(line, "
            f"{_literal(ask.blank)})), count(*) FILTER (WHERE contains(line, '\"')) "
            f"FROM (SELECT line, string_split(line, {_literal(ask.delimiter)}) AS s "
            f"FROM {_lines(location, 1)}) WHERE {match} GROUP BY ALL"
        ).fetchall()
        for g in found:
            if g[width + 1] and ask.delimiter in _WHITESPACE:  # a quoted cell may be blank
                return None
            combinations[tuple(g[:width])][1] = g[width]
    plan = _Plan(checker, len(header), ask.used, combinations, raw_cells, first)
    ends = [_appended(cells, ask.delimiter) for cells in plan.answers]
    if any(c in end for end in ends for c in "\x01\r\n"):  # not a line's end: cells, then
        return None
    import duckdb

    try:
        written = _write_lines(con, plan, _coded(con, plan, plan.used), bool(plan.skipped),
                               location, ask, ends, target)  # fmt: skip
    except duckdb.InvalidInputException as exc:
        if _UNFIT not in str(exc):
            raise
        if isinstance(target, _Own):
            target.restore()
        return None  # a line to take apart: the cells' way writes the rows again
    if written != plan.due:
        raise Unsupported(N_("DuckDB wrote {rows} rows where {due} were due"),
                          rows=f"{written:,}", due=f"{plan.due:,}")  # fmt: skip
    return {**plan.counts, "skipped": plan.skipped}, plan.answered + plan.skipped


# the error a line not to write as it is stops the write with (_write_lines)
_UNFIT = "linkcheck: a line to take apart, of length "


def _appended(cells: tuple, delimiter: str) -> str:
    """What follows a line's own text for an answer of these cells (its end left off), as
    DelimitedWriter.answer_text writes it."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerow(cells)
    return delimiter + out.getvalue()[:-1]


def _write_lines(con, plan: _Plan | _Sets, numbered_of, blank: bool, location: str,
                 ask: _Lines, ends: list[str], target: str | _Own) -> int:  # fmt: skip
    """Write each line after the header (not the empty ones, nor, where `blank`, the blank
    ones) and its answers' cells (`ends`, by the answer's number) to `target`, a line an
    answer — to the output file itself after its header, where it is one (_Own); the lines
    written. `numbered_of(split, conditions)`: SQL, the lines of `split` (each with its
    cells `s`) that meet `conditions`, each with _s, the number of its answers' set in
    `plan.sets`."""
    # each line tested (_flat's Shape holds only if every one is such a line): one that is
    # not stops the write (an error of its own, its text not a constant DuckDB could fold)
    fits = f"line IS NULL OR regexp_full_match(line, {_literal(ask.pattern)})"
    tested = f"CASE WHEN {fits} THEN line ELSE {_unfit()} END"
    split = (f"SELECT {tested} AS line, string_split(line, {_literal(ask.delimiter)}) AS s "
             f"FROM {_lines(location, 1)}")  # fmt: skip
    conditions = "line IS NOT NULL"
    if blank:
        conditions += f" AND NOT regexp_full_match(line, {_literal(ask.blank)})"
    inner = _each_answer(plan, "line", numbered_of(split, conditions))
    return _copy_lines(con, inner, ends, ask.delimiter, target)


def _copy_lines(con, inner: str, ends: list[str], delimiter: str, target: str | _Own) -> int:
    """Write each row of `inner` (SQL: a line, and `a`, its answer's number from 1), the
    line and the answer's cells (`ends`, each starting with the `delimiter`), to `target` —
    to the output file itself after its header, where it is one (_Own) — in order
    (_in_order); the lines written. The line and its answer's cells
    after the delimiter are two columns DuckDB writes as they are, the delimiter between
    them (a tenth of the write less than one text joined from them first)."""
    if isinstance(target, _Own):  # its header is the columns' names, joined
        path, header, title = target.location, "true", target.header
        names = _names(title, delimiter)
    else:
        path, header, title, names = target, "false", "line", ("line", "rest")
    if names is not None:
        rests = "[" + ", ".join(_text(e[len(delimiter) :]) for e in ends) + "]"
        columns = f"line AS {_quote(names[0])}, {rests}[a] AS {_quote(names[1])}"
    else:  # a header that is no two names DuckDB writes as they are: one column
        appended = "[" + ", ".join(_text(e) for e in ends) + "]"
        columns, delimiter = f"line || {appended}[a] AS {_quote(title)}", "\x01"
    copy = (
        f"COPY (SELECT {columns} FROM ({inner})) TO {_literal(path)} "
        f"(FORMAT csv, HEADER {header}, DELIMITER {_literal(delimiter)}, QUOTE '', "
        "ESCAPE '', NEW_LINE '\\r\\n', COMMENT '', USE_TMP_FILE false)"
    )
    _in_order(con, copy)
    return con.execute(copy).fetchone()[0]


def _names(header: str, delimiter: str) -> tuple[str, str] | None:
    """Two column names DuckDB writes as the text `header` (joined by the `delimiter`):
    neither empty, nor one DuckDB takes for the other (it renames a second 'a' or 'A' to
    'a_1'); None where there are none."""
    at = header.find(delimiter)
    while at >= 0:
        one, two = header[:at], header[at + len(delimiter) :]
        if one and two and one.casefold() != two.casefold():
            return one, two
        at = header.find(delimiter, at + 1)
    return None


def _unfit() -> str:
    """SQL: the error that stops the write at a line not to write as it is."""
    return f"error({_literal(_UNFIT)} || strlen(line))"


def _coded(con, plan: _Plan, used: list[int]):
    """numbered_of for _write_lines: a line's set found by the ENUM code of its cells."""

    def numbered_of(split: str, conditions: str) -> str:
        code = _code(con, plan, [f"s[{i + 1}]" for i in used])
        coded = f"SELECT line, {code} AS _c FROM ({split}) WHERE {conditions}"
        return f"SELECT line, {_set_number(plan, '_c')} AS _s FROM ({coded})"

    return numbered_of


class _Own:
    """The output file of this run's own (a temporary file renamed over the output at the
    end), holding only its header: DuckDB writes it whole — the header as the name of the
    one column it writes, then the lines — rather than to a file of its own that is then
    copied after the header (a fifth of the run at ten million rows). Anything that stops
    the write leaves the header alone again (restore)."""

    def __init__(self, fd: int, location: str, head: bytes, header: str) -> None:
        self.fd, self.location, self.head, self.header = fd, location, head, header

    @classmethod
    def of(cls, binary) -> _Own | None:
        """The file `binary` writes to, where DuckDB can write it whole: a regular file it
        can open by name (the descriptor's, on Linux), holding one line as CSV ends it, a
        header DuckDB writes as it is. None otherwise."""
        try:
            binary.flush()
            size = binary.tell()
        except (AttributeError, OSError, ValueError):
            return None
        location = _location(binary, None)  # the descriptor's own name: no other is known
        if location is None or size > MAX_LINE:
            return None
        try:
            head = _start(location, size + 1)  # and nothing after the header
            header = head[:-2].decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        if (
            len(head) != size
            or not head.endswith(b"\r\n")
            or any(c in header for c in "\r\n\x00\x01")
        ):
            return None
        return cls(binary.fileno(), location, head, header)

    def named(self, exc: Exception) -> bool:
        """Whether DuckDB's error `exc` names this file (not /proc/self/fd/31 for …/3)."""
        return re.search(re.escape(self.location) + "(?![0-9])", str(exc)) is not None

    def written(self, binary) -> None:
        """After DuckDB's write: `binary` goes on from the end of the file. Unsupported (the
        header restored) if the header is not as it was."""
        if _start(self.location, len(self.head)) != self.head:
            raise Unsupported(N_("DuckDB wrote the header otherwise"))
        binary.seek(0, os.SEEK_END)

    def restore(self) -> None:
        """The file as it was before DuckDB's write: its header alone."""
        os.ftruncate(self.fd, len(self.head))
        os.pwrite(self.fd, self.head, 0)


def _start(location: str, size: int) -> bytes:
    """The first `size` bytes of the file at `location` (read apart: the file's own
    descriptor may be open for writing only)."""
    with open(location, "rb") as f:
        return f.read(size)


class _Known:
    """A Shape proven before DuckDB's work (_flat), as _Scan gives one."""

    def __init__(self, shape: csvshape.Shape) -> None:
        self._shape = shape

    def result(self) -> csvshape.Shape:
        return self._shape

    def close(self) -> None:
        pass


class _Scan:
    """csvshape.scan of the file beside DuckDB's work, in a child process (its regular
    expressions on a core of their own: in a thread of this process they held the GIL that
    the answers' Python needs, and slowed it threefold); a file found not plain interrupts
    DuckDB's query, which then stops early. Where no child can be started (no Python
    executable to run, a frozen program) or it fails, result() scans the file itself."""

    def __init__(self, location: str, delimiter: str, width: int, con) -> None:
        self._args = (location, delimiter, width)
        self._found: object = None
        self._proc: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None
        self._proc = _child(location, delimiter, str(width))
        if self._proc is None:
            return
        self._thread = threading.Thread(
            target=self._wait, args=(con,), name="linkcheck-csvshape", daemon=True
        )
        self._thread.start()

    def _wait(self, con) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        with contextlib.suppress(ValueError, OSError):  # a child that failed: scanned here
            found = json.loads(self._proc.stdout.read() or b"null")
            if isinstance(found, dict) and "shape" in found:
                eol, records, breaks = found["shape"]
                self._found = csvshape.Shape(bytes.fromhex(eol), int(records), bool(breaks))
            elif isinstance(found, dict) and "not_plain" in found:
                template, fields = found["not_plain"]
                self._found = csvshape.NotPlain(str(template), **fields)
                with contextlib.suppress(Exception):
                    con.interrupt()
        self._proc.wait()

    def result(self) -> csvshape.Shape:
        """The file's Shape; Unsupported if it is not plain."""
        if self._thread is not None:
            self._thread.join()
        found = self._found
        if found is None:  # no child, or it said nothing it should: scan here
            try:
                with open(self._args[0], "rb", buffering=0) as f:
                    found = csvshape.scan(f.read, *self._args[1:])
            except csvshape.NotPlain as exc:
                found = exc
            except OSError as exc:
                raise Unsupported(N_("the input could not be read again ({reason})"),
                                  reason=OSReason(exc)) from None  # fmt: skip
            self._found = found
        if isinstance(found, csvshape.NotPlain):
            raise Unsupported(found.template, **found.fields)
        assert isinstance(found, csvshape.Shape)
        return found

    def close(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()  # the run ends early: its answer is not needed
        if self._thread is not None:
            self._thread.join()
        if self._proc is not None:
            self._proc.wait()
            if self._proc.stdout is not None:
                self._proc.stdout.close()


_PROC_FD = "/proc/self/fd/"


def _child(location: str, *args: str) -> subprocess.Popen | None:
    """A child process that reads the file at `location` (_CHILD: with a delimiter and a
    width, csvshape.scan; with none, csvshape.ends) and writes what it found as JSON on its
    stdout; None where none can be started (no Python executable to run, a frozen
    program)."""
    if not sys.executable or getattr(sys, "frozen", False):
        return None
    # the same open file in the child, read from its start (a new description)
    fds = (int(location.rsplit("/", 1)[1]),) if location.startswith(_PROC_FD) else ()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    try:  # -I -S: nothing of the environment, the working folder or site-packages
        return subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _CHILD, root, str(os.getpid()), location, *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            pass_fds=fds,
        )  # fmt: skip
    except OSError:
        return None


# the child: csvshape.scan or csvshape.ends of the file, its answer as JSON on stdout
# (Ctrl-C is the parent's to handle: it ends the child; a parent killed outright takes the
# child with it, where the system can say so)
_CHILD = """
import contextlib, ctypes, json, os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_IGN)
root, parent, location, *shape = sys.argv[1:]
with contextlib.suppress(AttributeError, OSError):  # Linux: it ends when the parent does
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
if os.getppid() != int(parent):  # the parent ended before that was said
    sys.exit(0)
sys.path.insert(0, root)
import types  # the packages without their __init__ modules, which import all of linkcheck
for name in ("linkcheck", "linkcheck.batch"):
    package = types.ModuleType(name)
    package.__path__ = [os.path.join(root, *name.split("."))]
    sys.modules[name] = package
from linkcheck.batch import csvshape
if not shape:
    with open(location, "rb", buffering=0) as f:
        found = csvshape.ends(f.readinto)
    out = {"ends": [found.size, found.lf, found.crlf, found.bom, found.last, found.first]}
else:
    delimiter, width = shape
    try:
        with open(location, "rb", buffering=0) as f:
            found = csvshape.scan(f.read, delimiter, int(width))
    except csvshape.NotPlain as exc:
        out = {"not_plain": [exc.template, exc.fields]}
    else:
        out = {"shape": [found.eol.hex(), found.records, found.quoted_breaks]}
sys.stdout.write(json.dumps(out, default=str))
"""


class _Signalled(BaseException):
    """A signal came while DuckDB worked: raised in the handler to stop what runs."""


_SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))


@contextlib.contextmanager
def _signals_interrupt(con) -> Iterator[list[int]]:
    """Ctrl-C, SIGTERM or SIGHUP while DuckDB works interrupts its query (DuckDB would turn
    the signal's exception into its own RuntimeError) and, once it has stopped, goes to the
    handler that was there before: KeyboardInterrupt (exit 130), the CLI's exit 143/129 with
    the old output kept. Yields the signals caught. An ignored signal stays ignored."""
    caught: list[int] = []

    def handler(signum: int, frame: object) -> None:
        caught.append(signum)
        with contextlib.suppress(Exception):
            con.interrupt()
        raise _Signalled

    previous = {}
    with contextlib.suppress(ValueError):  # not the main thread: signals are not ours
        for signum in _SIGNALS:
            if signal.getsignal(signum) not in (signal.SIG_IGN, None):
                previous[signum] = signal.signal(signum, handler)
    try:
        yield caught
    except _Signalled:
        pass  # raised again below, as the signal's own
    finally:
        for signum, before in previous.items():
            signal.signal(signum, before)
        if caught:
            _deliver(caught[0], previous[caught[0]])


def _deliver(signum: int, handler) -> None:
    """Signal `signum` as if it came now, to `handler` (the one before DuckDB's work)."""
    if callable(handler):
        signal.raise_signal(signum)  # the handler runs here (Ctrl-C: KeyboardInterrupt)
    # the default action would end the process: end it as that would, cleaning up on the way
    raise SystemExit(128 + signum)


def _blank_sql(names: list[str]) -> str:
    """A row whose every cell is empty or blank (skipped, as the Python path skips it): its
    cells together are whitespace only, as str.strip() strips it — one regular expression
    over them all (a test a cell built a tree of expressions as wide as the file: 400
    columns ran DuckDB out of its memory)."""
    spaces = "".join(f"\\x{{{ord(c):x}}}" for c in _WHITESPACE)
    cells = ", ".join(f"r.{n}" for n in names)
    return f"regexp_full_match(concat({cells}), {_literal('[' + spaces + ']*')})"


def _starts(expr: str) -> str:
    """SQL: the cell starts like a formula (the first test of writers.neutralise): its first
    code point (ord) is one of them, NULL for an empty cell. Not an IN list: DuckDB makes one
    a hash join, after which its COPY no longer keeps the rows' order (_in_order); nor a
    regular expression, which cost a sixth of pass 2 at a million rows."""
    return "(" + " OR ".join(f"ord({expr}) = {ord(c)}" for c in FORMULA_STARTS) + ")"


def _cell(expr: str, raw_cells: bool) -> str:
    """A cell as the Python path writes it: formula-like text neutralised with a leading '.
    (An empty cell is read as NULL, quoted or not — allow_quoted_nulls — and written as
    nothing, as Python's csv module writes it; an empty string DuckDB would write as "".)"""
    if raw_cells:
        return expr
    starts = _starts(expr)
    number = f"regexp_matches({expr}, {_literal(_NUMBER)})"
    quote = _literal("'")
    return f"CASE WHEN {starts} AND NOT {number} THEN {quote} || {expr} ELSE {expr} END"
