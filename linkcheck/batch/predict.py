"""The answers of a checklist known before it is read, where its cells that decide can only
be names and days: what lets the DuckDB engine answer in the pass that writes (columnar.py).

A checklist whose source, surface and platform cells are names the rules define (an id, a
name or an alias as the rules write it, or in lower or upper case) and whose date cells are
days written YYYY-MM-DD or YYYY/MM/DD — what a checklist exported from a shop's system
holds — has answers that depend on those names' ids and on the day alone. So the answers
are known before a row is read: for each combination of names, the Checker's own read()
gives the ids; for each set of ids, the days at which its answers change are the first
days on or after each bound of its timelines; and the answers between two such days are
the Checker's own decide() of the first (and of the last, which must agree). No answer is
written here: a row outside what is known (another spelling, another form of date, an
empty cell) makes the engine answer the file the way that reads every distinct cell.

Nothing here reads a file or knows DuckDB: it says what a row's cells mean (set_of, for
the lines a file starts with), and columnar.py turns the tables into SQL.
"""

from __future__ import annotations

import itertools
import math
import re
from bisect import bisect_right
from datetime import date, timedelta
from typing import Any

from ..errors import LinkcheckError
from ..timeline import from_micros
from .deciding import Checker
from .writers import neutralise

# the days a date cell may name here, and the forms (what when.read_when reads first, as
# digits alone): a day outside is answered the other way
FIRST_DAY, LAST_DAY = date(1000, 1, 1), date(9999, 12, 31)
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}/[0-9]{2}/[0-9]{2}")
# combinations of names at most (each is read by the Checker, and a list of this many
# numbers is a literal of the engine's query)
MAX_KEYS = 20_000
# distinct answers at most (each answer's cells are a literal of the query)
MAX_ANSWERS = 1024
_KINDS = ("source", "surface", "platform")


class Prediction:
    """The answers of every row whose cells are known names and days.

    - kinds: (cell position, its names) for the source, surface and platform columns
      present, and classes: for each, every name's class — names a column's others read
      alike with are one class (an id and its aliases, most often); counts: how many
      classes each column has.
    - days: the days at which some answer changes (FIRST_DAY left out), in order; a day's
      step is how many of them it is on or after.
    - table: for each combination of classes (the first column's most significant) and
      step, the number of the row's answers' set, or -1 where the Checker reads an error.
    - answers: each answer's cells → its number; sets: each set of answers, by number;
      verdicts: each answer's verdict, by number."""

    def __init__(self, kinds: list[tuple[int, list[str]]], classes: list[list[int]],
                 date_at: int | None) -> None:  # fmt: skip
        self.kinds = kinds
        self.classes = classes
        self.counts = [max(found) + 1 for found in classes]
        self.date_at = date_at
        self.days: list[date] = []
        self.table: list[int] = []
        self.answers: dict[tuple, int] = {}
        self.sets: list[tuple[int, ...]] = []
        self.verdicts: list[str] = []
        self._positions = [{name: i for i, name in enumerate(names)} for _, names in kinds]

    def set_of(self, cells: list[str]) -> int | None:
        """The number of the row's answers' set (its cells, as a line's split gives them),
        or None where the row is not one known."""
        key = 0
        columns = zip(self.kinds, self._positions, self.classes, self.counts, strict=True)
        for (at, _), positions, classes, count in columns:
            found = positions.get(cells[at]) if at < len(cells) else None
            if found is None:
                return None
            key = key * count + classes[found]
        step = 0
        if self.date_at is not None:
            day = read_day(cells[self.date_at]) if self.date_at < len(cells) else None
            if day is None:
                return None
            step = bisect_right(self.days, day)
        found = self.table[key * (len(self.days) + 1) + step]
        return None if found < 0 else found


def read_day(text: str) -> date | None:
    """A date cell as a day known here, or None."""
    if not DAY.fullmatch(text):
        return None
    try:
        day = date(int(text[:4]), int(text[5:7]), int(text[8:]))
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def answer_cells(answer, raw_cells: bool) -> tuple:
    """An answer's cells as the Python writer writes them (an error's neutralised, unless
    the run writes cells raw)."""
    from .intervals import plain

    cells = plain(answer)
    if answer.verdict == "error" and not raw_cells:
        cells = tuple(c and neutralise(c) for c in cells)
    return cells


def predict(checker: Checker, width: int, raw_cells: bool) -> Prediction | None:
    """The Prediction of a checklist of `width` columns read by `checker`, or None where
    its answers cannot be known before it is read (a url column, a date format given, more
    combinations of classes than MAX_KEYS, answers that change within a step)."""
    columns = checker.columns
    if columns.url is not None or columns.source is None or checker.dates.format is not None:
        return None
    kinds: list[tuple[int, list[str]]] = []
    meanings: list[str] = []
    classes: list[list[int]] = []
    firsts: list[list[str]] = []  # each class's first name
    for meaning in _KINDS:
        at = columns.at(meaning)
        if at is None:
            continue
        names: list[str] = []
        found: list[int] = []
        readings: dict = {}
        first: list[str] = []
        for name in _names(checker, meaning):
            reading = _reading(checker, meaning, name)
            if reading is None:
                continue
            if reading not in readings:
                readings[reading] = len(first)
                first.append(name)
            names.append(name)
            found.append(readings[reading])
        if not names:
            return None
        kinds.append((at, names))
        meanings.append(meaning)
        classes.append(found)
        firsts.append(first)
    if math.prod(len(f) for f in firsts) > MAX_KEYS:
        return None
    prediction = Prediction(kinds, classes, columns.date)
    # each combination of classes: the ids its first names mean, as the Checker reads them
    # (None: an error) — which must be what each of them means alone
    combined: list[tuple | None] = []
    reads: dict[tuple, tuple] = {}
    for chosen in itertools.product(*firsts):
        cells = dict(zip(meanings, chosen, strict=True))
        read = checker.read(cells.get("source", ""), "", cells.get("surface", ""),
                            cells.get("platform", ""))  # fmt: skip
        if isinstance(read, list):
            combined.append(None)
            continue
        alone = [_reading(checker, m, n) for m, n in zip(meanings, chosen, strict=True)]
        if alone != [_part(read, m) for m in meanings]:  # not read a cell at a time
            return None
        platform, resolved, surfaces = read
        key = (platform, resolved.id, resolved.candidates, surfaces)
        reads.setdefault(key, (chosen, platform, resolved, surfaces))
        combined.append(key)
    steps: dict[tuple, list[tuple[date, int]]] = {}
    sets: dict[tuple[int, ...], int] = {}
    row = [""] * width
    for key, (chosen, platform, resolved, surfaces) in reads.items():
        for (at, _), name in zip(kinds, chosen, strict=True):
            row[at] = name
        found_steps = _steps(checker, row, columns.date, platform, resolved, surfaces,
                             prediction, sets, raw_cells)  # fmt: skip
        if found_steps is None or len(prediction.answers) > MAX_ANSWERS:
            return None
        steps[key] = found_steps
    prediction.days = sorted({day for found in steps.values() for day, _ in found[1:]})
    for ids in combined:
        for step in range(len(prediction.days) + 1):
            if ids is None:
                prediction.table.append(-1)
                continue
            day = prediction.days[step - 1] if step else FIRST_DAY
            prediction.table.append(next(n for first, n in reversed(steps[ids]) if first <= day))
    prediction.sets = list(sets)
    prediction.verdicts = [cells[1] for cells in prediction.answers]
    return prediction


def _reading(checker: Checker, meaning: str, name: str):
    """What the Checker reads a name as in a column of this meaning (the other cells a
    source's id, the default surfaces and platform): a source's (id, candidates), a
    surface cell's ids, a platform's id; None where it reads an error."""
    if not name.isprintable():
        return None
    cells = {"source": next(iter(checker.ruleset.catalog.sources), ""), "surface": "",
             "platform": "", meaning: name}  # fmt: skip
    read = checker.read(cells["source"], "", cells["surface"], cells["platform"])
    return None if isinstance(read, list) else _part(read, meaning)


def _part(read: tuple, meaning: str):
    """The part of what Checker.read gives that a cell of this meaning decides."""
    platform, resolved, surfaces = read
    if meaning == "source":
        return resolved.id, resolved.candidates
    return surfaces if meaning == "surface" else platform


def _names(checker: Checker, meaning: str) -> list[str]:
    """Every name the rules give entries of this kind, as written and in lower and upper
    case (and the empty cell, the default, for a surface or platform)."""
    catalog = checker.ruleset.catalog
    tables: dict[str, list[Any]] = {
        "source": [*catalog.sources.values(), *catalog.groups.values()],
        "surface": list(catalog.surfaces.values()),
        "platform": list(catalog.platforms.values()),
    }
    entries = tables[meaning]
    found: dict[str, None] = {} if meaning == "source" else {"": None}
    for entry in entries:
        for name in (entry.id, entry.name, entry.name_zh, *entry.aliases):
            if name:
                found.update(dict.fromkeys((name, name.lower(), name.upper())))
    return list(found)


def _steps(checker: Checker, row: list[str], date_at: int | None, platform: str, resolved,
           surfaces: tuple[str, ...], prediction: Prediction, sets: dict,
           raw_cells: bool) -> list[tuple[date, int]] | None:  # fmt: skip
    """The steps of the ids a row's names mean (`row`: their cells), or None where a day's
    answers are not its step's."""

    def answered(day: date | None) -> int | None:
        if date_at is not None:
            row[date_at] = "" if day is None else day.isoformat()
        try:
            answers = checker.decide(list(row))
        except LinkcheckError:
            return None
        cells = tuple(
            prediction.answers.setdefault(answer_cells(a, raw_cells), len(prediction.answers))
            for a in answers
        )
        return sets.setdefault(cells, len(sets))

    if date_at is None:
        only = answered(None)
        return None if only is None else [(FIRST_DAY, only)]
    days = _first_days(checker, platform, resolved, surfaces)
    if days is None:
        return None
    steps: list[tuple[date, int]] = []
    for first, after in zip(days, [*days[1:], None], strict=True):
        number = answered(first)
        last = LAST_DAY if after is None else after - timedelta(days=1)
        if number is None or answered(last) != number:  # not one answer over the step
            return None
        if not steps or steps[-1][1] != number:
            steps.append((first, number))
    return steps


def _first_days(checker: Checker, platform: str, resolved,
                surfaces: tuple[str, ...]) -> list[date] | None:  # fmt: skip
    """FIRST_DAY and the first day on or after each bound of the timelines the ids' answers
    come from (a day's instant is the Checker's reading of it), in order; None where a
    day's reading is not its own instant (a note, an error)."""
    zone = checker.ruleset.zone(platform)

    def instant(day: date) -> int | None:
        try:
            read = checker.instant(day.isoformat(), platform)
        except LinkcheckError:
            return None
        return read[1] if len(read) == 2 else None

    low, high = instant(FIRST_DAY), instant(LAST_DAY)
    if low is None or high is None:
        return None
    bounds = sorted({
        lo for surface in surfaces for lo, _, _ in checker.spans(platform, resolved, surface)
        if lo is not None and low < lo <= high
    })  # fmt: skip
    days = [FIRST_DAY]
    for bound in bounds:
        day = from_micros(bound, zone).date()  # the day of the bound: its first one, or before
        while True:
            at, before = instant(day), instant(day - timedelta(days=1))
            if at is None or before is None or before >= at:  # not one day after another
                return None
            if before >= bound:
                day -= timedelta(days=1)
            elif at < bound:
                day += timedelta(days=1)
            else:
                break
        if day > days[-1]:
            days.append(day)
    return days
