"""Checklists: rows in → one decision row per (row, surface) out, streaming.

Readers take binary streams and yield a header and rows of strings; `Checker` decides a row;
writers take a binary stream and write rows. Nothing here opens a file or knows the CLI.
Memory stays flat: rows are read, decided and written one at a time, and every cache is
bounded.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from .engine import RuleSet, micros
from .errors import LinkcheckError
from .links import classify_host, link_host
from .model import Resolved
from .names import normalize
from .render import iso

APPENDED = ("surface", "verdict", "rule", "next_change", "note")
INPUT_FORMATS = ("csv", "tsv", "jsonl", "xlsx")
OUTPUT_FORMATS = ("csv", "tsv", "jsonl", "json", "xlsx", "table")
FAIL_ON_WORDS = ("allowed", "denied", "unknown", "error")
EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}

# Header names that mean each column, compared after normalize() (case, width, space, _/-).
COLUMN_NAMES = {
    "source": ("source", "source-id", "来源", "货源", "商品来源", "来源平台", "电商平台"),
    "url": ("url", "link", "product-url", "product-link", "链接", "商品链接", "推广链接", "网址"),
    "surface": ("surface", "场景", "投放场景", "投放位置", "挂链位置", "位置"),
    "date": ("date", "on", "when", "日期", "时间", "投放日期", "直播日期", "开播日期", "发布日期"),
    "platform": ("platform", "平台", "投放平台", "直播平台"),
}
_SURFACE_SPLIT = re.compile(r"[,，、;；|/]")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\Z")
_CACHE_LIMIT = 50_000


class InputError(LinkcheckError):
    """The checklist itself cannot be read: exit 2, nothing written."""


# ---------------------------------------------------------------------- encodings


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 as Chinese Excel saves it."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(sample, final=False)
        return "gb18030"
    except UnicodeDecodeError:
        raise InputError(
            "cannot tell the text encoding (not UTF-8 or GB18030); pass --encoding"
        ) from None


class _Prefixed(io.RawIOBase):
    """A stream that replays bytes already read (the encoding sample) before the rest."""

    def __init__(self, head: bytes, rest) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def text_stream(binary, encoding: str | None) -> tuple[io.TextIOWrapper, str]:
    """Wrap a binary stream as text, detecting the encoding from its first 64 KiB."""
    head = binary.read(65536)
    chosen = encoding or detect_encoding(head)
    try:
        codecs.lookup(chosen)
    except LookupError:
        raise InputError(f"unknown encoding '{chosen}': use utf-8, utf-8-sig or gb18030") from None
    raw = io.BufferedReader(_Prefixed(head, binary), buffer_size=262144)
    return io.TextIOWrapper(raw, encoding=chosen, newline=""), chosen


# ---------------------------------------------------------------------- readers


def read_delimited(text, delimiter: str) -> tuple[list[str], Iterator[list[str]]]:
    reader = csv.reader(text, delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        raise InputError("the file is empty: it needs a header row with a source or url column")
    return header, reader


def read_jsonl(text) -> tuple[list[str], Iterator[list[str]]]:
    """JSON Lines: one object a line; the first object's keys are the columns."""
    lines = (line for line in text if line.strip())
    first_line = next(lines, None)
    if first_line is None:
        raise InputError("the file is empty: it needs JSON objects with a source or url key")
    first = _json_object(first_line, 1)
    header = list(first)

    def rows() -> Iterator[list[str]]:
        yield [_cell(first[k]) for k in header]
        for number, line in enumerate(lines, start=2):
            try:
                obj = _json_object(line, number)
            except InputError as exc:  # a bad line is an error row, not the end of the run
                yield _BadRow(str(exc))
                continue
            yield [_cell(obj.get(k)) for k in header]

    return header, rows()


class _BadRow(list):
    """A row that could not be read; carries the reason to the error row."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


def _json_object(line: str, number: int) -> dict:
    try:
        obj = json.loads(line)
    except ValueError as exc:
        raise InputError(f"line {number} is not JSON ({exc.msg})") from None
    if not isinstance(obj, dict):
        raise InputError(f"line {number} is not a JSON object")
    return obj


def read_xlsx(binary) -> tuple[list[str], Iterator[list[str]]]:
    """The first sheet of an .xlsx workbook (openpyxl, read-only: rows stream)."""
    try:
        from openpyxl import load_workbook
    except ImportError:
        raise InputError(
            "reading .xlsx needs the optional extra: pip install 'linkcheck[xlsx]'"
        ) from None
    if not binary.seekable():
        binary = io.BytesIO(binary.read())
    from zipfile import BadZipFile

    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(binary, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise InputError(f"not a readable .xlsx workbook ({type(exc).__name__})") from None
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header_row = next(values, None)
    if header_row is None:
        raise InputError("the first sheet is empty: it needs a header row")
    header = [_cell(v) for v in header_row]
    while header and header[-1] == "":
        header.pop()

    def rows() -> Iterator[list[str]]:
        for row in values:
            cells = [_cell(v) for v in row]
            while len(cells) > len(header) and cells[-1] == "":
                cells.pop()
            if any(cells):
                yield cells

    return header, rows()


def _cell(value) -> str:
    """A spreadsheet or JSON value as the text a person would read in the cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# ---------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Columns:
    """Where each known column is in the header (None: absent)."""

    source: int | None
    url: int | None
    surface: int | None
    date: int | None
    platform: int | None

    @classmethod
    def find(cls, header: list[str]) -> Columns:
        wanted = {normalize(n): key for key, names in COLUMN_NAMES.items() for n in names}
        found: dict[str, int] = {}
        for i, name in enumerate(header):
            key = wanted.get(normalize(name.lstrip("\ufeff")))
            if key and key not in found:
                found[key] = i
        columns = cls(**{k: found.get(k) for k in COLUMN_NAMES})
        if columns.source is None and columns.url is None:
            shown = ", ".join(header[:8]) or "(none)"
            raise InputError(
                f"no source or url column among: {shown}\n  name one 'source' (来源) or "
                "'url' (链接, 商品链接); see `linkcheck batch --help`"
            )
        return columns


# ---------------------------------------------------------------------- deciding


class Checker:
    """Decides rows. Caches are bounded so memory stays flat on any number of rows."""

    def __init__(
        self,
        ruleset: RuleSet,
        columns: Columns | None,
        surfaces: tuple[str, ...],
        when: str,
        platform: str | None,
    ) -> None:
        self.ruleset = ruleset
        self.columns = columns
        self.default_surfaces = surfaces
        self.default_when = when
        self.default_platform = platform
        self._rows: dict[tuple, list[tuple[str, str, str, str, str]]] = {}
        self._decisions: dict[tuple, tuple[str, str, str, str, str]] = {}
        self._hosts: dict[str, Resolved | LinkcheckError] = {}

    def decide(self, cells: list[str]) -> list[tuple[str, str, str, str, str]]:
        """(surface, verdict, rule, next_change, note) for each surface the row asks about."""
        c = self.columns
        n = len(cells)
        source = cells[c.source].strip() if c.source is not None and c.source < n else ""
        url = cells[c.url].strip() if c.url is not None and c.url < n else ""
        surface = cells[c.surface] if c.surface is not None and c.surface < n else ""
        when = cells[c.date] if c.date is not None and c.date < n else ""
        platform = cells[c.platform] if c.platform is not None and c.platform < n else ""
        key = (source, url if url else None, surface, when, platform)
        found = self._rows.get(key)
        if found is None:
            found = self._decide(source, url, surface, when, platform)
            if len(self._rows) >= _CACHE_LIMIT:
                self._rows.clear()
            self._rows[key] = found
        return found

    def _decide(self, source, url, surface_text, when_text, platform_text):
        rs = self.ruleset
        surfaces_note = surface_text.strip() or "-"
        try:
            platform = rs.platform_id(platform_text.strip() or self.default_platform)
            surfaces = self._surfaces(surface_text)
        except LinkcheckError as exc:
            return [(surfaces_note, "error", "", "", _first_line(exc))]
        try:
            resolved = self._resolve(source, url)
            at = rs.parse_when(when_text.strip() or self.default_when, platform)
        except LinkcheckError as exc:
            return [(s, "error", "", "", _first_line(exc)) for s in surfaces]
        return [self._decision(platform, resolved, s, at) for s in surfaces]

    def _surfaces(self, text: str) -> list[str]:
        names = [n for n in _SURFACE_SPLIT.split(text) if n.strip()] or self.default_surfaces
        out: list[str] = []
        for name in names:
            ident = self.ruleset.surface_id(name)
            if ident not in out:
                out.append(ident)
        return out

    def _resolve(self, source: str, url: str) -> Resolved:
        rs = self.ruleset
        if not source and not url:
            raise LinkcheckError("missing source: the row has neither a source nor a url")
        if not url:
            return rs.resolve(source)
        link = self._classify(url)
        if not source:
            return link
        stated = rs.resolve_source(source)  # a source next to a link must agree with it
        if not set(stated.candidates) <= set(link.candidates):
            raise LinkcheckError(
                f"source '{source}' does not match the url's host {link.host}, which can only "
                f"be {' or '.join(link.candidates)}"
            )
        return Resolved(url, stated.id, stated.candidates, "link", link.host)

    def _classify(self, url: str) -> Resolved:
        host = link_host(url)
        found = self._hosts.get(host)
        if found is None:
            try:
                found = classify_host(host, self.ruleset.catalog)
            except LinkcheckError as exc:
                found = exc
            if len(self._hosts) >= _CACHE_LIMIT:
                self._hosts.clear()
            self._hosts[host] = found
        if isinstance(found, LinkcheckError):
            raise found
        return Resolved(url, found.id, found.candidates, "link", host)

    def _decision(self, platform, resolved, surface, at):
        key = (platform, resolved.id, resolved.candidates, surface, micros(at))
        found = self._decisions.get(key)
        if found is None:
            d = self.ruleset.decide(platform, resolved, surface, at)
            change = f"{iso(d.next_change.at)} {d.next_change.verdict}" if d.next_change else ""
            if d.reason == "ambiguous_link":
                parts = ", ".join(f"{c.source} {c.verdict}" for c in d.candidates)
                note = f"candidates disagree ({parts}); name the exact source"
            elif d.reason == "no_rule":
                note = "no rule covers this"
            else:
                note = ""
            found = (surface, d.verdict, d.rule.id if d.rule else "", change, note)
            if len(self._decisions) >= _CACHE_LIMIT:
                self._decisions.clear()
            self._decisions[key] = found
        return found


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0]


def decide_rows(
    checker: Checker, header: list[str], rows: Iterable[list[str]]
) -> Iterator[list[str]]:
    """Each input row's cells (padded to the header) plus the five appended columns."""
    width = len(header)
    for cells in rows:
        if isinstance(cells, _BadRow):
            yield [""] * width + ["", "error", "", "", cells.reason]
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        if len(cells) > width:
            note = f"the row has {len(cells)} cells but the header has {width}"
            yield [*cells, "", "error", "", "", note]
            continue
        for result in checker.decide(cells):
            yield [*cells, *result]


# ---------------------------------------------------------------------- writers


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading ' (numbers are left alone)."""
    if cell and cell[0] in "=+-@\t\r" and not _PLAIN_NUMBER.match(cell):
        return "'" + cell
    return cell


def output_names(header: list[str]) -> list[str]:
    """Column names for keyed outputs (JSON): an input column that shares a name with an
    appended one keeps its value under `<name>_input`."""
    taken = set(APPENDED)
    names = []
    for name in header:
        new = name
        while new in taken:
            new = f"{new}_input"
        taken.add(new)
        names.append(new)
    return [*names, *APPENDED]


class DelimitedWriter:
    def __init__(self, text, delimiter: str, raw_cells: bool) -> None:
        # CRLF as RFC 4180 says: with "\n" alone, csv would leave a cell holding "\r" unquoted
        self._writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
        self._raw = raw_cells

    def header(self, names: list[str]) -> None:
        self.write(names)

    def write(self, row: list[str]) -> None:
        self._writer.writerow(row if self._raw else [neutralise(c) for c in row])

    def close(self) -> None:
        pass


class JsonLinesWriter:
    def __init__(self, text, array: bool = False) -> None:
        self._text = text
        self._array = array
        self._names: list[str] = []
        self._count = 0

    def header(self, names: list[str]) -> None:
        self._names = output_names(names[: -len(APPENDED)])
        if self._array:
            self._text.write("[")

    def write(self, row: list[str]) -> None:
        names = self._names
        if len(row) > len(names):  # a long row: its extra cells go under numbered keys
            base = names[: -len(APPENDED)]
            extra = [f"column_{i + 1}" for i in range(len(base), len(row) - len(APPENDED))]
            names = [*base, *extra, *APPENDED]
        line = json.dumps(dict(zip(names, row, strict=False)), ensure_ascii=False)
        if self._array:
            self._text.write(("\n" if self._count == 0 else ",\n") + line)
        else:
            self._text.write(line + "\n")
        self._count += 1

    def close(self) -> None:
        if self._array:
            self._text.write("\n]\n" if self._count else "]\n")


class XlsxWriter:
    """openpyxl's write-only workbook: rows go to disk as they come."""

    def __init__(self, binary, raw_cells: bool) -> None:
        try:
            from openpyxl import Workbook
        except ImportError:
            raise InputError(
                "writing .xlsx needs the optional extra: pip install 'linkcheck[xlsx]'"
            ) from None
        self._binary = binary
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet("linkcheck")
        self._raw = raw_cells

    def header(self, names: list[str]) -> None:
        self._sheet.append(list(names))

    def write(self, row: list[str]) -> None:
        self._sheet.append([self._value(c) for c in row])

    def _value(self, cell: str):
        from openpyxl.cell import WriteOnlyCell

        if not self._raw:
            cell = neutralise(cell)
        if cell.startswith("="):  # kept on purpose (--raw-cells): openpyxl writes a formula
            return cell
        written = WriteOnlyCell(self._sheet, value=cell)
        written.data_type = "s"  # text stays text: never a formula, never a number guess
        return written

    def close(self) -> None:
        self._book.save(self._binary)


class TableWriter:
    """A rich table on a terminal, printed in blocks so long inputs still stream."""

    BLOCK = 500

    def __init__(self, console) -> None:
        self._console = console
        self._names: list[str] = []
        self._rows: list[list[str]] = []

    def header(self, names: list[str]) -> None:
        self._names = names

    def write(self, row: list[str]) -> None:
        self._rows.append(row)
        if len(self._rows) >= self.BLOCK:
            self._flush()

    def _flush(self) -> None:
        from .render import batch_table

        if self._rows:
            self._console.print(batch_table(self._names, self._rows))
            self._rows = []

    def close(self) -> None:
        self._flush()
