"""Rows → answers: the Checker that decides a row with bounded caches, and check_rows.
Nothing here reads or writes a file."""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable
from datetime import datetime
from operator import itemgetter

from ..engine import RuleSet
from ..errors import LinkcheckError, shown
from ..i18n import N_, Message, Note, Whole, english, joined_notes
from ..links import classify_host, link_host, shared_link
from ..model import Resolved
from ..names import looks_like_link
from ..timeline import from_micros, micros
from ..when import CELLS, DateStyle, read_when
from ..words import change_cell, decision_note, empty_date_note, reading_note, relative_note
from .cells import BadRow
from .columns import Columns
from .formats import Answer

# ---------------------------------------------------------------------- deciding

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)\Z")  # a quantity or a price, not a date


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


_JOINED = re.compile(r"[,，、；;|]")  # what joins a second link to the first (links._SECOND_BARE)
_PLAIN_LINK = re.compile(r"((?i:https?)://[^/?#\s]*)(?:[/?#]\S*)?")


def link_prefix(url: str) -> str | None:
    """The scheme and authority of `url` (`https://detail.tmall.com`) when they alone decide
    what links.link_host reads from it, else None: a plain http(s) link with no space and
    nothing unprintable anywhere in it, no second `://` (a second link, or a redirect's
    target: links.link_host decides), whose authority ends at the first / ? or #. For
    such a link link_host(url) is link_host(its prefix) — every check it makes on the rest
    of the text (printable, one link, not share text) passes for the rest — so a host
    decided once answers every link that starts the same way; anything else is read whole,
    every time, as links.link_host reads it."""
    found = _PLAIN_LINK.fullmatch(url)
    if found is None or not url.isprintable() or url.count("://") > 1 or _JOINED.search(url):
        return None  # a second link, perhaps (links.link_host decides, every time)
    return found[1]


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
        # without its last traceback: each raise would add frames to the one object, which
        # grew by two frames a row (500,000 rows with one unknown source: 1.8 GB, 49 s)
        raise found.with_traceback(None)
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
        dates: DateStyle = CELLS,
        now: datetime | None = None,
    ) -> None:
        self.ruleset = ruleset
        self.now = now  # relative and yearless dates are read against it (None: the clock)
        self.columns = columns
        self.default_surfaces = surfaces
        self.default_when = when
        self.default_platform = platform
        self.dates = dates  # how the date cells are read (--date-format, --year)
        # rows over several lines whose cells hold lines that read as rows (csvshape.
        # rows_within): the first SWALLOWED_SHOWN as (first line, last line, such lines),
        # and how many rows in all. Kept by forget(): only the Python engine's reading of
        # rows notes them, and it reads no row twice
        self.swallowed: list[tuple[int, int, int]] = []
        self.swallowed_rows = 0
        self.forget()
        # where the cells are; a missing column reads the empty cell decide() appends
        at = [columns.source, columns.url, columns.surface, columns.date, columns.platform]
        self._key = itemgetter(*(columns.width if i is None else i for i in at))
        # the fast path's key: the cells present among source, url, surface and platform
        # (a link's key is what decides its host: its scheme and authority, see link_prefix,
        # put in the cell decide() appends)
        self._url_at = columns.url
        url_key = None if columns.url is None else columns.width
        present = (columns.source, url_key, columns.surface, columns.platform)
        self._plan_key = itemgetter(*(i for i in present if i is not None))
        self._date_at = columns.date

    SWALLOWED_SHOWN = 3

    def over_lines(self, cells: list[str], first: int, last: int, delimiter: str) -> None:
        """The row `cells` was read from lines `first` to `last` of a CSV or TSV: noted when
        its cells hold lines that read as rows (a stray quote took them in)."""
        from .csvshape import rows_within

        found = rows_within(cells, delimiter, self.columns.width)
        if found:
            self.swallowed_rows += 1
            if len(self.swallowed) < self.SWALLOWED_SHOWN:
                self.swallowed.append((first, last, found))

    def forget(self) -> None:
        """Nothing read yet, nothing to report: every cache empty (a run the DuckDB engine
        began and the Python engine answers reads every cell again, and reports what it
        read — DuckDB's pass had filled the caches, and the dates' notices were lost)."""
        # what the date cells held beyond plain dates, for the run's report: Excel serial
        # numbers, and the years given to dates written without one
        self.serials = False
        self.assumed_years: set[int] = set()
        self._names = _Bounded(self.PART_CACHE)  # (kind, text) → id(s) or error
        # (text, platform) → (datetime, micros), and a note when the reader supplied the year
        self._instants = _Bounded(self.PART_CACHE)
        self._hosts = _Bounded(self.PART_CACHE)
        # the fast path of decide(): for (source, surface, platform) cells already known to
        # be valid, a plan per surface (timeline bounds and answers by segment), and the
        # instants of the date cells seen, per platform
        self._plans = _Bounded(self.PART_CACHE)
        # the error answers of (source, url, surface, platform) cells that are wrong
        # whatever the date (an unknown source): their notes are built once, not a row
        self._wrong = _Bounded(self.PART_CACHE)
        self._known_instants: dict[str, _Bounded] = {}
        # (platform, source id, surface) → (timelines, {segment: answer}); as small as the
        # rules: one answer per segment of each timeline that some row touched
        self._segments: dict[tuple, tuple] = {}

    def decide(self, cells: list[str]) -> list[Answer]:
        """The answer for each surface the row asks about.

        `cells` must have exactly one cell per header column.
        """
        # the usual row: its cells seen before, two lookups and a bisect a surface
        if self._url_at is None:
            plan_key = self._plan_key(cells)
        else:  # a link: the host is what repeats
            url = cells[self._url_at]
            cells.append(link_prefix(url) or url)
            plan_key = self._plan_key(cells)
            cells.pop()
        plan = self._plans.get(plan_key)
        if plan is not None:
            instant = plan[0].get(cells[self._date_at] if self._date_at is not None else "")
            if instant is not None:
                at_us = instant[1]
                steps = plan[1]
                if len(steps) == 1:  # one surface: the answers are kept as 1-tuples
                    bounds, answers, args = steps[0]
                    if bounds is not None:
                        # Timeline.index, inlined: the hot path of a million-row checklist
                        found = answers.get(bisect_right(bounds, at_us))
                        if found is not None:
                            return found
                out = []
                for bounds, answers, args in steps:
                    found = answers.get(bisect_right(bounds, at_us)) if bounds else None
                    out.append(found[0] if found else self._answer(*args, instant))  # type: ignore[call-arg]
                return out
        cells.append("")  # the cell of every missing column
        source, url, surface_text, when_text, platform_text = self._key(cells)
        cells.pop()
        return self._decide(plan_key, source, url, surface_text, when_text, platform_text)

    def _decide(
        self, plan_key, source, url, surface_text, when_text, platform_text
    ) -> list[Answer]:
        """The slow path: read each cell, report what is wrong, remember what is valid."""
        cells = (source, url, surface_text, platform_text)
        read = self._wrong.get(cells)
        if read is None:
            read = self.read(source, url, surface_text, platform_text)
            if isinstance(read, list):  # wrong whatever the date: the same answers each row
                self._wrong.put(cells, read)
        if isinstance(read, list):
            self._glance(when_text, platform_text)
            return read
        platform, resolved, surfaces = read
        try:
            instant = self.instant(when_text, platform)
        except LinkcheckError as exc:
            return [Answer.error(s, error_note(exc)) for s in surfaces]
        answers = [self._answer(platform, resolved, s, instant) for s in surfaces]
        if len(instant) > 2:  # the reader gave the date a year: the row says which date
            return [a._replace(note=joined_note(a.note, instant[2])) for a in answers]
        if not url or link_prefix(url):  # remember the valid cells for the fast path
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

    def read(self, source: str, url: str, surface_text: str, platform_text: str):
        """A row's cells other than its date → (platform id, Resolved, surface ids), or, if
        one of them is wrong, the row's error answers (which no date can change)."""
        try:
            surfaces = self._name("surfaces", surface_text)
        except LinkcheckError as exc:  # the surface cell as it is: no id to name
            return [Answer.error(surface_text.strip(), error_note(exc))]
        try:
            platform = self.platform(platform_text)
        except LinkcheckError as exc:  # an answer a surface, as for a source no rule knows
            return [Answer.error(s, error_note(exc)) for s in surfaces]
        try:
            resolved = self._resolve(source.strip(), url.strip())
        except LinkcheckError as exc:
            return [Answer.error(s, error_note(exc)) for s in surfaces]
        return platform, resolved, surfaces

    def platform(self, text: str) -> str:
        """A platform cell (empty: the default) → its id; raises LinkcheckError."""
        return self._name("platform", text.strip() or self.default_platform)

    def instant(self, when_text: str, platform: str) -> tuple:
        """A date cell → (instant in the platform's zone, micros()), and a third item, the
        note a row's answers take, when the cell has no year; an empty cell is the default
        (--on). Raises LinkcheckError for a date that cannot be read."""
        if not when_text.strip():
            read = self._instant(self.default_when, platform, DateStyle(year=self.dates.year))
            if self._date_at is None:  # no date column: the run's report says what was used
                return read
            # a date column with this row's cell empty: the row says which date it was given
            note = empty_date_note(read[0], self.default_when)
            return read[0], read[1], joined_note(read[2], note) if len(read) > 2 else note
        return self._instant(when_text, platform, self.dates)

    def spans(self, platform: str, resolved: Resolved, surface: str):
        """(start, end, answer) for each span of time over which the answer for these ids
        is one: start and end in micros() (None: open), end exclusive; for several candidates
        the spans between every bound of any of them. What an interval join needs."""
        timelines = [self.ruleset.timeline(platform, c, surface) for c in resolved.candidates]
        bounds = sorted({b for t in timelines for b in t.bounds})
        tz = self.ruleset.zone(platform)
        out = []
        for lo, hi in zip([None, *bounds], [*bounds, None], strict=True):
            inside = lo if lo is not None else (hi - 1 if hi is not None else 0)
            at = from_micros(inside, tz)
            out.append((lo, hi, self._answer(platform, resolved, surface, (at, inside))))
        return out

    def _name(self, kind: str, text: str | None):
        """A platform name → id, or a surface cell → surface ids."""
        if kind == "platform":
            return _remember(self._names, (kind, text), lambda: self.ruleset.platform_id(text))
        return _remember(self._names, (kind, text), lambda: self._surfaces(text or ""))

    def _surfaces(self, text: str) -> tuple[str, ...]:
        # an empty cell is the default surfaces; otherwise the grammar of -s
        return self.ruleset.surface_list((text,) if text.strip() else (), self.default_surfaces)

    def _instant(self, text: str, platform: str, style: DateStyle):
        def read():
            reading = read_when(text, self.ruleset.zone(platform), self.now, style)
            at = reading.at
            self.serials = self.serials or reading.serial
            if reading.relative and style.cells:  # 今晚8点, today: the day it was read on
                return at, micros(at), relative_note(at)
            if reading.year is None or not style.cells:
                return at, micros(at)
            self.assumed_years.add(reading.year)
            return at, micros(at), reading_note(at, style.year)

        return _remember(self._instants, (text, platform, style.cells), read)

    def _glance(self, when_text: str, platform_text: str) -> None:
        """Read the date of a row whose other cells are wrong, for the run's report only
        (the DuckDB engine reads every distinct date, whatever the row's other cells)."""
        try:
            self.instant(when_text, self.platform(platform_text))
        except LinkcheckError:
            return  # the row is an error row already: its date's error adds nothing

    def _resolve(self, source: str, url: str) -> Resolved:
        if not source and not url:
            raise LinkcheckError(N_("missing source: the row has neither a source nor a url"))
        if not url:
            return self._source(source)
        link = self._classify(url)
        if not source:
            return link
        # a source next to a link must agree with it
        said = f"source '{shown(source)}'"
        return self.ruleset.narrow(link._replace(input=url), self._source(source), said)

    def _source(self, text: str) -> Resolved:
        return _remember(self._names, ("source", text), lambda: self.ruleset.resolve(text))

    def _classify(self, url: str) -> Resolved:
        host = link_host(url)
        return _remember(self._hosts, host, lambda: classify_host(host, self.ruleset.catalog))

    def _answer(self, platform, resolved, surface, instant) -> Answer:
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
            segment = timelines[0].index(at_us)
        else:
            segment = tuple(t.index(at_us) for t in timelines)
        found = answers.get(segment)
        if found is None:  # kept as a 1-tuple: a one-surface row returns it as it is
            found = answers[segment] = (self._describe(platform, resolved, surface, instant[0]),)
        return found[0]

    def reads_as(self, text: str) -> str | None:
        """What a cell would mean in a column of its own — a product link, a surface, a
        platform or a source name, or a date — or None: how a column that was not read is
        known to be one linkcheck could have used (Columns.with_samples)."""
        if text[:1] in "{[":  # a nested object's JSON text: its fields are read one by one
            return None
        if looks_like_link(text):  # any http(s) link, or one to a source's domain
            try:
                if shared_link(text).lower().startswith(("http://", "https://")):
                    link_host(text)
                else:
                    self._classify(text)
            except LinkcheckError:
                return None
            return "url"
        reads = (
            ("surface", lambda: self.ruleset.surface_list((text,))),
            ("platform", lambda: self.ruleset.platform_id(text)),
            ("source", lambda: self.ruleset.resolve_source(text)),
        )
        for meaning, read in reads:
            try:
                read()
                return meaning
            except LinkcheckError:
                continue
        if any(ch.isdigit() for ch in text) and not _NUMBER.match(text):
            try:
                self.ruleset.parse_when(text, self.default_platform)
                return "date"
            except LinkcheckError:
                return None
        return None

    def _describe(self, platform, resolved, surface, at) -> Answer:
        d = self.ruleset.decide(platform, resolved, surface, at)
        return Answer(surface, d.verdict, d.rule.id if d.rule else "", change_cell(d),
                      decision_note(d))  # fmt: skip


def _blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def joined_note(note: str, date_note: str) -> str:
    """A row's note and what its date cell said (the year it was given): the DuckDB engine
    and linkcheck.spark join them the same way."""
    return joined_notes(note, date_note)


def error_note(exc: Exception) -> str:
    """An error as a checklist's note: English whatever the interface's language (the
    appended columns of CSV and JSON outputs never change with it), a Note that the outputs
    people read show in theirs."""
    if isinstance(exc, LinkcheckError):
        return Note(exc.message)
    with english():
        return str(exc).splitlines()[0]


def irregular(cells: list[str], width: int, decide) -> tuple[list[str], list[Answer]] | None:
    """A row that has not one cell per column of the header: the cells written and their
    answers, or None for a fully empty row (skipped). A row the reader could not read, or
    one longer than the header with something past it, is an error row; a shorter one is
    padded and decided, and blank cells past the header are dropped."""
    if isinstance(cells, BadRow):
        return (cells.kept if cells.kept is not None else [""] * width,
                [Answer.error("", cells.reason)])  # fmt: skip
    if len(cells) > width:  # the extra cells' values go into the note, where no
        # column can shadow them, and the appended columns stay under their names
        if _blank(cells):  # `,,,` under a 3-column header: empty, however many commas
            return None
        count, extra = len(cells), cells[width:]
        del cells[width:]  # in place: a workbook row keeps its typed cells and its links
        if not any(c.strip() for c in extra):  # `天猫,2022-11-11,,,` past a 2-column header
            return cells, decide(cells)  # (a spreadsheet's empty or spaced cells): nothing
        note = Note(
            Message(
                N_("the row has {count} cells but the header has {width}; extra cells: "
                   "{extra}"),
                count=count, width=width, extra=Whole(json.dumps(extra, ensure_ascii=False)),
            )
        )  # fmt: skip
        return cells, [Answer.error("", note)]
    if _blank(cells):  # a fully empty row is skipped (and counted) in every format
        return None
    cells = cells + [""] * (width - len(cells))
    return cells, decide(cells)


def written(write, cells: list[str], results: list[Answer]) -> list[Answer]:
    """Give the writer a row; the answers it was written with (an error row when its cells
    hold a lone surrogate a text output cannot hold: nothing of the row was written, as a
    text stream encodes a whole line before writing it)."""
    try:
        write(cells, results)
    except UnicodeEncodeError:
        from .writers import surrogates_shown

        fitted = surrogates_shown(cells)
        if fitted is None:
            raise
        cells, results = fitted[0], [Answer.error("", fitted[1])]
        write(cells, results)
    return results


def spanned(rows, source, checker: Checker):
    """`rows`, read from the readers.DelimitedRows `source`, each one csv read over several
    lines shown to checker.over_lines (rows given again, while csv's line count stands
    still, are not: they were shown when read)."""
    reader = source.reader
    prev = reader.line_num
    for row in rows:
        line = reader.line_num
        if line > prev + 1:
            checker.over_lines(row, prev + 1, line, source.delimiter)
        prev = line
        yield row


def check_rows(checker: Checker, header: list[str], rows: Iterable[list[str]], writer,
               *, tick=None, every: int = 2000, source=None) -> dict[str, int]:  # fmt: skip
    """Decide every row and give the writer each input row's cells with its answers (one
    per surface); returns the count of each verdict.

    Short rows are padded to the header; a fully empty row is skipped and counted as
    "skipped" (in every format: a blank CSV line, `,,,`, an empty sheet row, `{}`); a row
    longer than the header, or one the reader could not read, becomes an error row. A
    writer that cannot hold every cell has a `fit` (see writers.Writer): a row it cannot
    hold becomes an error row saying why.
    `tick(rows_done)` is called every `every` rows (progress displays). `source`: the
    readers.DelimitedRows the rows are read from, if they are (a row over several lines is
    shown to checker.over_lines).
    """
    width = len(header)
    decide = checker.decide
    write = writer.write
    fit = writer.fit
    counts = dict.fromkeys(("allowed", "denied", "unknown", "error", "skipped"), 0)
    if source is not None:
        rows = spanned(rows, source, checker)
    for done, cells in enumerate(rows, start=1):
        if len(cells) == width:
            results = decide(cells)
            if results[0].verdict == "error" and _blank(cells):
                counts["skipped"] += 1
                continue
        else:
            got = irregular(cells, width, decide)
            if got is None:
                counts["skipped"] += 1
                continue
            cells, results = got
        if fit is not None and (fitted := fit(cells)) is not None:
            cells, results = fitted[0], [Answer.error("", fitted[1])]
        results = written(write, cells, results)
        for result in results:
            counts[result.verdict] += 1
        if tick is not None and done % every == 0:
            tick(done)
    return counts
