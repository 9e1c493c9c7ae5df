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
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter

from .engine import RuleSet, micros
from .errors import LinkcheckError, shown
from .links import classify_host, link_host
from .model import Resolved
from .names import normalize
from .render import iso, newer_rules_hint

APPENDED = ("surface", "verdict", "rule", "next_change", "note")
_APPENDED_SET = frozenset(APPENDED)
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
_MAX_CELL = 16 * 1024 * 1024
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\Z")


class InputError(LinkcheckError):
    """The checklist itself cannot be read: exit 2, nothing written."""


# ---------------------------------------------------------------------- encodings


_NOT_FILE_ENCODINGS = {"punycode", "idna", "raw-unicode-escape", "unicode-escape", "undefined"}


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
        info = codecs.lookup(chosen)
    except LookupError:
        info = None
    # only text encodings: rot13, base64, zlib … are codecs too, but not ways to save a file;
    # utf-16 needs its BOM to say which byte order, and punycode is for host names
    if info is None or not info._is_text_encoding or info.name in _NOT_FILE_ENCODINGS:
        name = shown(chosen)
        what = f"unknown encoding '{name}'" if info is None else f"'{name}' is no file encoding"
        raise InputError(f"{what}: use utf-8, utf-8-sig, gb18030, gbk or utf-16")
    boms = {
        "utf-16": (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE),
        "utf-32": (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE),
    }
    if info.name in boms and not head.startswith(boms[info.name]):
        raise InputError(
            f"the input has no {info.name} byte-order mark, so its byte order is unknown: "
            f"pass --encoding {info.name}-le or {info.name}-be"
        )
    raw = io.BufferedReader(_Prefixed(head, binary), buffer_size=262144)
    return io.TextIOWrapper(raw, encoding=chosen, newline=""), chosen


# ---------------------------------------------------------------------- readers


def read_delimited(text, delimiter: str) -> tuple[list[str], Iterator[list[str]]]:
    csv.field_size_limit(_MAX_CELL)  # a long product link or description is still one cell
    reader = csv.reader(text, delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        raise InputError("the file is empty: it needs a header row with a source or url column")
    return header, reader


def read_input(binary, fmt: str, encoding: str | None) -> tuple[list[str], Iterator, str]:
    """The header, the rows and the encoding read ("xlsx" for a workbook) of a checklist."""
    if fmt == "xlsx":
        header, rows = read_xlsx(binary)
        return header, rows, "xlsx"
    if fmt == "jsonl":  # two passes: the columns are the keys of every object
        binary = rereadable(binary)
        start = binary.tell()
        text, chosen = text_stream(binary, encoding)
        keys = jsonl_keys(text)
        binary.seek(start)
        text, chosen = text_stream(binary, chosen)
        header, rows = read_jsonl(text, keys)
        return header, rows, chosen
    text, chosen = text_stream(binary, encoding)
    header, rows = read_delimited(text, "\t" if fmt == "tsv" else ",")
    return header, rows, chosen


def rereadable(binary):
    """The stream itself if it can be read again from here, else a copy of it (kept in
    memory up to 16 MiB, then in a temporary file)."""
    try:
        if binary.seekable():
            binary.tell()
            return binary
    except OSError:
        pass
    import shutil
    import tempfile

    copy = tempfile.SpooledTemporaryFile(max_size=16 << 20)  # noqa: SIM115 (returned open)
    shutil.copyfileobj(binary, copy, 1 << 20)
    copy.seek(0)
    return copy


class RawNumber(str):
    """A JSON number kept as the text it was written as: `1.0` stays `1.0`, `-0.0` stays
    `-0.0`, and `1e400` or a 5,000-digit integer is not turned into inf or refused."""

    __slots__ = ()


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON value")


_JSON = json.JSONDecoder(parse_float=RawNumber, parse_int=RawNumber, parse_constant=_no_constant)
MAX_JSON_DEPTH = 64  # nesting a checklist line may have (the reader and writer stay shallow)
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def _too_deep(line: str) -> bool:
    if line.count("[") + line.count("{") <= MAX_JSON_DEPTH:
        return False
    depth = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub("", line)):
        depth += 1 if match[0] in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            return True
    return False


def _json_object(line: str, number: int) -> dict:
    if _too_deep(line):
        raise InputError(f"line {number} is nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        obj = _JSON.decode(line)
    except ValueError as exc:
        raise InputError(f"line {number} is not JSON ({getattr(exc, 'msg', exc)})") from None
    if not isinstance(obj, dict):
        raise InputError(f"line {number} is not a JSON object")
    return obj


def jsonl_keys(text) -> list[str]:
    """Every key of every object, in the order first seen (lines that are not objects are
    skipped here: the second pass reports them)."""
    keys: dict[str, None] = {}
    seen_any = False
    for line in text:
        if not line.strip():
            continue
        seen_any = True
        try:
            obj = _json_object(line, 0)
        except InputError:
            continue
        if not obj.keys() <= keys.keys():
            keys.update(dict.fromkeys(obj))
    if not seen_any:
        raise InputError("the file is empty: it needs JSON objects with a source or url key")
    return list(keys)


class _JsonRow(list):
    """A JSON Lines row: its cells under the header's keys, and the object itself, which
    JSON outputs pass through whole."""

    __slots__ = ("obj",)


def read_jsonl(text, header: list[str]) -> tuple[list[str], Iterator[list[str]]]:
    """JSON Lines: one object a line; the columns are `header` (every key of the file)."""

    def rows() -> Iterator[list[str]]:
        for number, line in enumerate(text, start=1):
            if not line.strip():
                continue
            try:
                obj = _json_object(line, number)
            except InputError as exc:  # a bad line is an error row, not the end of the run
                yield _BadRow(str(exc))
                continue
            row = _JsonRow(_cell(obj.get(k)) for k in header)
            row.obj = obj
            yield row

    return header, rows()


def dump_json(value) -> str:
    """JSON text of a value read by this module: numbers exactly as they were written."""
    if type(value) is dict and all(type(v) is str for v in value.values()):
        return json.dumps(value, ensure_ascii=False)
    return _dump(value)


def _dump(value) -> str:
    if isinstance(value, RawNumber):
        return str.__str__(value)
    if isinstance(value, dict):
        inner = ", ".join(
            f"{json.dumps(k, ensure_ascii=False)}: {_dump(v)}" for k, v in value.items()
        )
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_dump(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


class _BadRow(list):
    """A row that could not be read; carries the reason to the error row."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


# What a workbook may unpack to before it is read. Its parts are zip members, and a small
# file can claim gigabytes (a "zip bomb"). Sheets are streamed, so they are only bounded in
# size (time); every other XML part is parsed whole, so it must be small; the shared strings
# are all held in memory at once, so what they would cost is estimated first.
XLSX_SHEET_LIMIT = 2 << 30
XLSX_PART_LIMIT = 64 << 20
XLSX_SHARED_MEMORY = 1 << 30
# bytes of memory one shared string costs openpyxl at its peak, beyond its text (measured:
# ~100 for a million one-letter strings; rounded up)
_SHARED_STRING_COST = 128


def _check_workbook_sizes(binary) -> None:
    from zipfile import BadZipFile, ZipFile

    try:
        with ZipFile(binary) as archive:
            for part in archive.infolist():
                name = part.filename.lower()
                if not name.endswith((".xml", ".rels")):
                    continue  # pictures and the like are never read
                shared = name.endswith("sharedstrings.xml")
                sheet = shared or name.startswith("xl/worksheets/")
                limit = XLSX_SHEET_LIMIT if sheet else XLSX_PART_LIMIT
                if part.file_size > limit:
                    raise InputError(
                        f"the workbook part '{shown(part.filename)}' unpacks to "
                        f"{part.file_size:,} bytes, more than the {limit >> 20:,} MiB read from "
                        "a workbook; save the sheet as CSV"
                    )
                if shared:
                    _check_shared_strings(archive, part)
    except (BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"not a readable .xlsx workbook ({_why(exc)})") from None
    binary.seek(0)


def _check_shared_strings(archive, part) -> None:
    """Refuse shared strings that would take more memory than XLSX_SHARED_MEMORY: one pass
    over the part counting its strings, in 1 MiB chunks (none if its size alone is too much)."""
    import zlib

    strings = 0
    if 2 * part.file_size > XLSX_SHARED_MEMORY:
        return _refuse_shared_strings(2 * part.file_size, None)
    tail = b""  # a tag cut by a chunk boundary is counted in the next
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(1 << 20):
                chunk = tail + chunk
                strings += chunk.count(b"<si") + chunk.count(b":si")
                tail = chunk[-2:]
    except zlib.error as exc:
        raise InputError(f"not a readable .xlsx workbook (zlib: {exc})") from None
    cost = 2 * part.file_size + _SHARED_STRING_COST * strings
    if cost > XLSX_SHARED_MEMORY:
        _refuse_shared_strings(cost, strings)


def _refuse_shared_strings(cost: int, strings: int | None) -> None:
    count = "" if strings is None else f"{strings:,} "
    raise InputError(
        f"the workbook's {count}shared strings would take about {cost >> 20:,} MiB of memory "
        f"to read, more than {XLSX_SHARED_MEMORY >> 20:,} MiB; save the sheet as CSV"
    )


def _why(exc: Exception) -> str:
    return f"{type(exc).__name__}: {shown(str(exc), 60)}" if str(exc) else type(exc).__name__


# what openpyxl raises on a malformed workbook (bad XML, a bad cell reference, number or
# date, a missing part); each becomes a one-line InputError
def _malformed():
    from xml.etree.ElementTree import ParseError
    from zipfile import BadZipFile
    from zlib import error as ZlibError

    from openpyxl.utils.exceptions import InvalidFileException

    return (
        BadZipFile, InvalidFileException, ParseError, ZlibError, KeyError, ValueError,
        TypeError, IndexError, AttributeError, OverflowError, EOFError, OSError,
    )  # fmt: skip


def read_xlsx(binary) -> tuple[list[str], Iterator[list[str]]]:
    """The first sheet of an .xlsx workbook, streamed row by row.

    Only the cells in the file are read: the sheet's claimed dimension and missing rows
    are ignored (openpyxl would pad every row to the claimed width), and cells beyond the
    header's width are kept as extra cells (an error row says so)."""
    try:
        from openpyxl import load_workbook
        from openpyxl.worksheet._reader import WorkSheetParser
    except ImportError:
        raise InputError(
            "reading .xlsx needs the optional extra: pip install 'linkcheck[xlsx]'"
        ) from None
    binary = rereadable(binary)
    _check_workbook_sizes(binary)
    malformed = _malformed()
    try:
        book = load_workbook(binary, read_only=True, data_only=True)
        if not book.worksheets:
            raise InputError("the workbook has no worksheet")
        sheet = book.worksheets[0]
        source = sheet._get_source()  # the sheet's XML, parsed below as openpyxl does
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
    except malformed as exc:
        raise InputError(f"not a readable .xlsx workbook ({_why(exc)})") from None

    def parsed() -> Iterator[list[dict]]:
        number = 0
        try:
            for number, row in parser.parse():  # noqa: B007 (the row number is in messages)
                yield row
        except malformed as exc:
            raise InputError(
                f"the first sheet is malformed after row {number} ({_why(exc)})"
            ) from None
        finally:
            source.close()

    cells_of = parsed()
    header: list[str] = []
    for row in cells_of:
        filled = {c["column"]: _cell(c["value"]) for c in row if c["value"] is not None}
        filled = {k: v for k, v in filled.items() if v != ""}
        if filled:
            header = [filled.get(i, "") for i in range(1, max(filled) + 1)]
            break
    if not header:
        raise InputError("the first sheet is empty: it needs a header row")
    width = len(header)

    def rows() -> Iterator[list[str]]:
        for row in cells_of:
            cells = [""] * width
            extra = []
            for cell in row:
                value = cell["value"]
                if value is None:
                    continue
                text = _cell(value)
                if cell["column"] <= width:
                    cells[cell["column"] - 1] = text
                elif text:
                    extra.append(text)
            if extra:
                yield cells + extra
            elif any(cells):
                yield cells

    return header, rows()


def _cell(value) -> str:
    """A spreadsheet or JSON value as the text a person would read in the cell."""
    if value is None:
        return ""
    if type(value) is str:
        return value
    if isinstance(value, str):  # a RawNumber: the number as written
        return str.__str__(value)
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
        return dump_json(value)
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
    width: int = 0  # the header's length

    @classmethod
    def find(cls, header: list[str]) -> Columns:
        wanted = {normalize(n): key for key, names in COLUMN_NAMES.items() for n in names}
        found: dict[str, int] = {}
        for i, name in enumerate(header):
            key = wanted.get(normalize(name.lstrip("\ufeff")))
            if key and key not in found:
                found[key] = i
        columns = cls(**{k: found.get(k) for k in COLUMN_NAMES}, width=len(header))
        if columns.source is None and columns.url is None:
            shown = ", ".join(header[:8]) or "(none)"
            raise InputError(
                f"no source or url column among: {shown}\n  name one 'source' (来源) or "
                "'url' (链接, 商品链接); see `linkcheck batch --help`"
            )
        return columns


# ---------------------------------------------------------------------- deciding


class _Bounded(dict):
    """A dict that forgets everything when it reaches its size: flat memory, no LRU cost.

    Keys holding more than KEY_TEXT characters of text are not kept (their value is still
    returned): no cell longer than a product link can be is worth remembering, and the
    cache's memory is bounded by its size times KEY_TEXT, whatever the cells hold."""

    __slots__ = ("limit",)
    KEY_TEXT = 4096

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def put(self, key, value):
        if _text_size(key) > self.KEY_TEXT:
            return value
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


def _text_size(key) -> int:
    if isinstance(key, str):
        return len(key)
    return sum(len(part) for part in key if isinstance(part, str)) if type(key) is tuple else 0


def _remember(cache: _Bounded, key, compute):
    """compute() once per key; a LinkcheckError is remembered too, and raised each time."""
    found = cache.get(key)
    if found is None:
        try:
            found = compute()
        except LinkcheckError as exc:
            found = exc
        cache.put(key, found)
    if isinstance(found, LinkcheckError):
        raise found
    return found


class Checker:
    """Decides rows. Every cache is bounded, so memory stays flat on any number of rows.

    A row's answer depends on its source, url, surface, date and platform cells only. Each
    cell's meaning is cached on its own (a name → ids, a date → instant, a host →
    candidates), and answers are cached per timeline segment: within a segment the verdict,
    rule and next change are the same, so one bisect finds the answer. A row whose cells
    were all seen before costs two lookups and a bisect per surface.
    """

    PART_CACHE = 4096

    def __init__(
        self,
        ruleset: RuleSet,
        columns: Columns,
        surfaces: tuple[str, ...],
        when: str,
        platform: str | None,
    ) -> None:
        self.ruleset = ruleset
        self.default_surfaces = surfaces
        self.default_when = when
        self.default_platform = platform
        self._names = _Bounded(self.PART_CACHE)  # (kind, text) → id(s) or error
        self._instants = _Bounded(self.PART_CACHE)  # (text, platform) → (datetime, micros)
        self._hosts = _Bounded(self.PART_CACHE)
        # the fast path of decide(): for (source, surface, platform) cells already known to
        # be valid, a plan per surface (timeline bounds and answers by segment), and the
        # instants of the date cells seen, per platform
        self._plans = _Bounded(self.PART_CACHE)
        self._known_instants: dict[str, _Bounded] = {}
        # (platform, source id, surface) → (timelines, {segment: answer}); as small as the
        # rules: one answer per segment of each timeline that some row touched
        self._segments: dict[tuple, tuple] = {}
        # where the cells are; a missing column reads the empty cell decide() appends
        at = [columns.source, columns.url, columns.surface, columns.date, columns.platform]
        self._key = itemgetter(*(columns.width if i is None else i for i in at))
        # the fast path's key: the cells present among source, url, surface and platform
        present = (columns.source, columns.url, columns.surface, columns.platform)
        self._plan_key = itemgetter(*(i for i in present if i is not None))
        self._date_at = columns.date

    def decide(self, cells: list[str]) -> list[list[str]]:
        """[surface, verdict, rule, next_change, note] for each surface the row asks about.

        `cells` must have exactly one cell per header column.
        """
        # the usual row: its cells seen before, two lookups and a bisect a surface
        plan_key = self._plan_key(cells)
        plan = self._plans.get(plan_key)
        if plan is not None:
            instant = plan[0].get(cells[self._date_at] if self._date_at is not None else "")
            if instant is not None:
                at_us = instant[1]
                steps = plan[1]
                if len(steps) == 1:  # one surface: the answers are kept as 1-tuples
                    bounds, answers, args = steps[0]
                    if bounds is not None:
                        found = answers.get(bisect_right(bounds, at_us))
                        if found is not None:
                            return found
                out = []
                for bounds, answers, args in steps:
                    found = answers.get(bisect_right(bounds, at_us)) if bounds else None
                    out.append(found[0] if found else self._answer(*args, instant))
                return out
        cells.append("")  # the cell of every missing column
        source, url, surface_text, when_text, platform_text = self._key(cells)
        cells.pop()
        return self._decide(plan_key, source, url, surface_text, when_text, platform_text)

    def _decide(
        self, plan_key, source, url, surface_text, when_text, platform_text
    ) -> list[list[str]]:
        """The slow path: read each cell, report what is wrong, remember what is valid."""
        try:
            platform = self._name("platform", platform_text.strip() or self.default_platform)
            surfaces = self._name("surfaces", surface_text)
        except LinkcheckError as exc:
            return [[surface_text.strip() or "-", "error", "", "", _first_line(exc)]]
        try:
            resolved = self._resolve(source.strip(), url.strip())
            instant = self._instant(when_text.strip() or self.default_when, platform)
        except LinkcheckError as exc:
            return [[s, "error", "", "", _first_line(exc)] for s in surfaces]
        answers = [self._answer(platform, resolved, s, instant) for s in surfaces]
        if not url:  # remember the valid cells for the fast path
            instants = self._known_instants.get(platform)
            if instants is None:
                instants = self._known_instants[platform] = _Bounded(self.PART_CACHE)
            instants.put(when_text, instant)
            steps = []
            for surface in surfaces:
                timelines, by_segment = self._segments[(platform, resolved.id, surface)]
                bounds = timelines[0].bounds if len(timelines) == 1 else None
                steps.append((bounds, by_segment, (platform, resolved, surface)))
            self._plans.put(plan_key, (instants, steps))
        return answers

    def _name(self, kind: str, text: str | None):
        """A platform name → id, or a surface cell → surface ids."""
        if kind == "platform":
            return _remember(self._names, (kind, text), lambda: self.ruleset.platform_id(text))
        return _remember(self._names, (kind, text), lambda: self._surfaces(text))

    def _surfaces(self, text: str) -> tuple[str, ...]:
        names = [n for n in _SURFACE_SPLIT.split(text) if n.strip()] or self.default_surfaces
        out: list[str] = []
        for name in names:
            ident = self.ruleset.surface_id(name)
            if ident not in out:
                out.append(ident)
        return tuple(out)

    def _instant(self, text: str, platform: str):
        def read():
            at = self.ruleset.parse_when(text, platform)
            return at, micros(at)

        return _remember(self._instants, (text, platform), read)

    def _resolve(self, source: str, url: str) -> Resolved:
        if not source and not url:
            raise LinkcheckError("missing source: the row has neither a source nor a url")
        if not url:
            return self._source(source)
        link = self._classify(url)
        if not source:
            return link
        stated = self._source(source)  # a source next to a link must agree with it
        if not set(stated.candidates) <= set(link.candidates):
            raise LinkcheckError(
                f"source '{source}' does not match the url's host {link.host}, which can only "
                f"be {' or '.join(link.candidates)}"
            )
        return Resolved(url, stated.id, stated.candidates, "link", link.host)

    def _source(self, text: str) -> Resolved:
        return _remember(self._names, ("source", text), lambda: self.ruleset.resolve(text))

    def _classify(self, url: str) -> Resolved:
        host = link_host(url)
        return _remember(self._hosts, host, lambda: classify_host(host, self.ruleset.catalog))

    def _answer(self, platform, resolved, surface, instant) -> list[str]:
        """The answer for one surface, cached per timeline segment."""
        key = (platform, resolved.id, surface)  # the id fixes the candidates
        table = self._segments.get(key)
        if table is None:
            timelines = tuple(
                self.ruleset.timeline(platform, c, surface) for c in resolved.candidates
            )
            table = self._segments[key] = (timelines, {})
        timelines, answers = table
        at_us = instant[1]
        if len(timelines) == 1:
            segment = bisect_right(timelines[0].bounds, at_us)
        else:
            segment = tuple(bisect_right(t.bounds, at_us) for t in timelines)
        found = answers.get(segment)
        if found is None:  # kept as a 1-tuple: a one-surface row returns it as it is
            found = answers[segment] = (self._describe(platform, resolved, surface, instant[0]),)
        return found[0]

    def _describe(self, platform, resolved, surface, at) -> list[str]:
        d = self.ruleset.decide(platform, resolved, surface, at)
        change = f"{iso(d.next_change.at)} {d.next_change.verdict}" if d.next_change else ""
        if d.reason == "ambiguous_link":
            parts = ", ".join(f"{c.source} {c.verdict}" for c in d.candidates)
            note = f"candidates disagree ({parts}); name the exact source"
        elif d.reason == "no_rule":
            note = "no rule covers this"
        elif d.reason == "beyond_horizon":
            known = d.last_known
            last = f"{known.verdict}" + (f" ({known.rule.id})" if known and known.rule else "")
            note = (
                f"beyond the rules' horizon: nothing known after {d.horizon.through} "
                f"(as of {d.horizon.as_of}); last known: {last}; " + newer_rules_hint(d.platform)
            )
        else:
            note = ""
        return [surface, d.verdict, d.rule.id if d.rule else "", change, note]


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0]


def check_rows(
    checker: Checker,
    header: list[str],
    rows: Iterable[list[str]],
    write,
    *,
    neutralise_cells: bool = False,
    fit=None,
    write_object=None,
    tick=None,
    every: int = 2000,
) -> dict[str, int]:
    """Decide every row and `write` each input row's cells plus the five appended columns,
    once per surface; returns the count of each verdict.

    Short rows are padded to the header; a row longer than the header, or one the reader
    could not read, becomes an error row. `neutralise_cells` guards CSV/TSV output against
    formula cells; `fit(cells)` (for formats that cannot hold every cell) returns None or
    (cells as they can be written, why): that row becomes an error row saying so.
    `write_object(obj, result)`, when given, writes a JSON Lines row: the object read,
    whole, with the appended values. `tick(rows_done)` is called every `every` rows
    (progress displays).
    """
    width = len(header)
    decide = checker.decide
    search = _DANGER.search
    join = "\x1f".join
    counts = dict.fromkeys(("allowed", "denied", "unknown", "error"), 0)
    for done, cells in enumerate(rows, start=1):
        if len(cells) == width:
            results = decide(cells)
        elif isinstance(cells, _BadRow):
            cells, results = [""] * width, [["", "error", "", "", cells.reason]]
        elif len(cells) > width:  # the extra cells' values go into the note, where no
            # column can shadow them, and the appended columns stay under their names
            extra = json.dumps(cells[width:], ensure_ascii=False)
            note = (
                f"the row has {len(cells)} cells but the header has {width}; extra cells: {extra}"
            )
            cells, results = cells[:width], [["", "error", "", "", note]]
        else:
            cells = cells + [""] * (width - len(cells))
            results = decide(cells)
        if write_object is not None and type(cells) is _JsonRow:
            for result in results:
                write_object(cells.obj, result)
                counts[result[1]] += 1
            continue
        if fit is not None and (fitted := fit(cells)) is not None:
            cells, results = fitted[0], [["", "error", "", "", fitted[1]]]
        # one scan per input row: appended cells are safe, but an error row echoes input
        risky = neutralise_cells and (
            search("\x1f" + join(cells)) is not None or results[0][1] == "error"
        )
        for result in results:
            row = cells + result
            write([neutralise(c) for c in row] if risky else row)
            counts[result[1]] += 1
        if tick is not None and done % every == 0:
            tick(done)
    return counts


# ---------------------------------------------------------------------- writers


_DANGER = re.compile("\x1f[=+\\-@\t\r]")  # a literal prefix: the scan is a fast memchr


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
    """CSV or TSV; formula cells are neutralised by check_rows (the header here)."""

    def __init__(self, text, delimiter: str, raw_cells: bool) -> None:
        # CRLF as RFC 4180 says: with "\n" alone, csv would leave a cell holding "\r" unquoted
        self._writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
        self._raw = raw_cells
        self.write = self._writer.writerow

    def header(self, names: list[str]) -> None:
        self.write(names if self._raw else [neutralise(c) for c in names])

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
        self._line(json.dumps(dict(zip(self._names, row, strict=True)), ensure_ascii=False))

    def write_object(self, obj: dict, result: list[str]) -> None:
        """An object read from JSON Lines, every key and value as it was, and the answer (an
        input key that is also an appended name keeps its value under `<name>_input`)."""
        if not _APPENDED_SET.isdisjoint(obj):
            obj = dict(zip(output_names(list(obj))[: len(obj)], obj.values(), strict=True))
        self._line(dump_json(obj | dict(zip(APPENDED, result, strict=True))))

    def _line(self, line: str) -> None:
        if self._array:
            self._text.write(("\n" if self._count == 0 else ",\n") + line)
        else:
            self._text.write(line + "\n")
        self._count += 1

    def close(self) -> None:
        if self._array:
            self._text.write("\n]\n" if self._count else "]\n")


XLSX_CELL_LIMIT = 32767  # characters in one spreadsheet cell
# characters XML cannot hold, and CR, which a workbook gives back as LF
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b-\x1f]")


def xlsx_fit(cells: list[str]) -> tuple[list[str], str] | None:
    """Cells a workbook cannot hold whole (too long, control characters XML forbids, or a
    CR, which comes back as LF), made
    writable — cut, or the characters shown escaped — with the reason; None if all fit."""
    reasons = []
    fitted = list(cells)
    for i, cell in enumerate(cells):
        if _XML_ILLEGAL.search(cell):
            cell = _XML_ILLEGAL.sub(lambda m: m[0].encode("unicode_escape").decode(), cell)
            reasons.append(
                f"column {i + 1} has control characters or a carriage return, which a "
                "workbook cannot keep (shown escaped here)"
            )
        if len(cell) > XLSX_CELL_LIMIT:
            reasons.append(
                f"column {i + 1} has {len(cell):,} characters, more than the {XLSX_CELL_LIMIT:,} "
                "a spreadsheet cell holds (cut here)"
            )
            cell = cell[:XLSX_CELL_LIMIT]
        fitted[i] = cell
    if not reasons:
        return None
    return fitted, "; ".join(reasons) + "; not checked: write csv or jsonl to keep this row whole"


class XlsxWriter:
    """openpyxl's write-only workbook: rows go to disk as they come."""

    def __init__(self, binary, raw_cells: bool) -> None:
        try:
            from openpyxl import Workbook
            from openpyxl.cell import WriteOnlyCell
        except ImportError:
            raise InputError(
                "writing .xlsx needs the optional extra: pip install 'linkcheck[xlsx]'"
            ) from None
        self._cell = WriteOnlyCell
        self._binary = binary
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet("linkcheck")
        self._raw = raw_cells

    def header(self, names: list[str]) -> None:
        self.write(names)

    def write(self, row: list[str]) -> None:
        self._sheet.append([self._value(c) for c in row])

    def _value(self, cell: str):
        if not self._raw:
            cell = neutralise(cell)
        if cell.startswith("="):  # kept on purpose (--raw-cells): openpyxl writes a formula
            return cell
        written = self._cell(self._sheet, value=cell)
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
