"""A checklist's answers as three small tables an interval join reads (linkcheck.spark): the
distinct cells are read once, here, by the Checker — the same code as the Python path — and
the rows are joined to them wherever they are.

- plans: each distinct (source, url, surface, platform) cells → a plan number. Cells meaning
  the same ids (an alias and an id, two links to one shop) share a plan.
- instants: each distinct (date, platform) cells → an instant in micros() (UTC microseconds)
  and the note a date without a year adds to its row's (else empty), or ERROR and the note
  of the date that does not read.
- spans: (plan, idx, start, end, surface, verdict, rule, next_change, note) — for each
  surface (idx: its position in the row's answers) the spans of time over which the answer is
  one, start inclusive, end exclusive. A row's answers are the spans of its plan holding its
  instant. A date that does not read is at ERROR, where each plan has an error row per
  surface whose note is empty (None): the join takes the date's note. A plan that is wrong
  whatever the date (an unknown source, a surface or platform that does not read) has its
  error answers from ERROR on, its own notes. A row whose answer is not an error and whose
  date has a note gets both, as deciding.joined_note joins them.
"""

from __future__ import annotations

import json

from ..errors import LinkcheckError
from ..model import Resolved
from .deciding import Checker, error_note

PLAN_CELLS = ("source", "url", "surface", "platform")  # the cells a plan is read from
# instants are whole microseconds since the epoch, far inside a signed 64-bit integer
ERROR = -(2**63)
FIRST, LAST = ERROR + 1, 2**63 - 1  # the open beginning and end of time


def plans(checker: Checker, keys) -> tuple[list[tuple], list[tuple]]:
    """Distinct (source, url, surface, platform) cells → ([(*cells, plan)], [span rows])."""
    out: list[tuple] = []
    spans: list[tuple] = []
    numbers: dict[tuple, int] = {}
    for key in keys:
        cells = tuple(key)
        read = checker.read(*cells)
        if isinstance(read, list):  # wrong whatever the date: its answers at every instant
            number = numbers[(cells,)] = len(numbers)
            spans.extend(
                (number, idx, ERROR, LAST, *plain(answer)) for idx, answer in enumerate(read)
            )
        else:
            platform, resolved, surfaces = read
            ids = (platform, resolved.id, resolved.candidates, surfaces)
            known = numbers.get(ids)
            if known is None:
                number = numbers[ids] = len(numbers)
                spans.extend(spans_of(checker, number, platform, resolved, surfaces))
            else:
                number = known
        out.append((*cells, number))
    return out, spans


def spans_of(checker: Checker, number: int, platform: str, resolved: Resolved,
             surfaces: tuple[str, ...]) -> list[tuple]:  # fmt: skip
    """The span rows of plan `number`: the ids a row's cells mean."""
    out = []
    for idx, surface in enumerate(surfaces):
        # the error row a date that does not read gets (its note: the date's)
        out.append((number, idx, ERROR, FIRST, surface, "error", "", "", None))
        for lo, hi, answer in checker.spans(platform, resolved, surface):
            start = FIRST if lo is None else lo
            out.append((number, idx, start, LAST if hi is None else hi, *plain(answer)))
    return out


def ids_text(checker: Checker, cells) -> tuple[str | None, list | None]:
    """(source, url, surface, platform) cells → (the ids they mean as a JSON text, None), or
    (None, the error answers no date can change): what a worker tells the driver, which
    gives each distinct ids text a plan (plan_of)."""
    read = checker.read(*cells)
    if isinstance(read, list):  # plain lists: Spark takes a named tuple for a struct
        return None, [list(plain(answer)) for answer in read]
    platform, resolved, surfaces = read
    return json.dumps([platform, resolved.id, resolved.candidates, surfaces]), None


def plan_of(checker: Checker, number: int, text: str) -> list[tuple]:
    """The span rows of plan `number` for an ids text from ids_text."""
    platform, source_id, candidates, surfaces = json.loads(text)
    resolved = Resolved("", source_id, tuple(candidates))  # answers depend on the ids only
    return spans_of(checker, number, platform, resolved, tuple(surfaces))


def instants(checker: Checker, keys) -> list[tuple]:
    """Distinct (date, platform) cells → [(date, platform, micros or ERROR, note)]: the
    note of a date without a year, or the error note of one that does not read."""
    out: list[tuple] = []
    for date_text, platform_text in keys:
        try:
            platform = checker.platform(platform_text)
            read = checker.instant(date_text, platform)
            note = str(read[2]) if len(read) > 2 else None
            out.append((date_text, platform_text, read[1], note))
        except LinkcheckError as exc:  # a wrong platform is the plan's error: any value here
            out.append((date_text, platform_text, ERROR, str(error_note(exc))))
    return out


def plain(answer) -> tuple:
    """An answer as the engines' tables hold it: plain text (a Note's English, without the
    messages it keeps for the outputs people read, which DuckDB and Spark never write)."""
    return tuple(cell if type(cell) is str or cell is None else str(cell) for cell in answer)
