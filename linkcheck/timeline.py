"""A timeline: the rules covering one (platform, source, surface), compiled once into a
boundary table — the sorted instants at which any rule starts or stops, and the winner on
each segment between them — searched with bisect.

Among the rules in force at an instant, the one with the latest start wins; on equal starts
the one loaded later wins.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, date, datetime, timedelta

from .model import Change, Horizon, Known, Rule

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_NEVER = -(2**63)  # sorts before every instant: the start of a rule with no start


def micros(at: datetime) -> int:
    """An aware instant as whole microseconds since the epoch (exact, zone-independent)."""
    return (at - _EPOCH) // _US


def from_micros(us: int, tz) -> datetime:
    """micros() back to an aware instant, shown in `tz`."""
    return (_EPOCH + timedelta(microseconds=us)).astimezone(tz)


def last_day(end: datetime) -> date:
    """The last calendar day before an exclusive end, in the end's own zone: the day before
    when the end is a midnight (a whole-day window's end), else the end's own day. The one
    place where an exclusive end becomes an inclusive last day."""
    return (end - timedelta(microseconds=1)).date()


def in_force(rule: Rule, at: datetime) -> bool:
    """Whether `at` lies in the rule's window [start, end), compared as exact instants."""
    t = micros(at)
    return (rule.start is None or micros(rule.start) <= t) and (
        rule.end is None or t < micros(rule.end)
    )


def outcome(rule: Rule | None) -> str:
    """The verdict a winning rule gives; with no rule, unknown."""
    return "unknown" if rule is None else rule.outcome


def precedence(rule: Rule) -> tuple[int, int]:
    return (_NEVER if rule.start is None else micros(rule.start), rule.order)


class Timeline:
    """The rules covering one (platform, source, surface), compiled to segments.

    Segment i runs from `instants[i-1]` (or the beginning of time) up to `instants[i]`
    (exclusive, or forever). `winners[i]` is the rule that wins it (None: no rule), whatever
    the horizon; segments from index `beyond` on lie past the platform's horizon, where the
    answer is `unknown` whoever wins.
    """

    __slots__ = ("beyond", "bounds", "horizon", "instants", "rules", "verdicts", "winners")

    def __init__(self, rules: list[Rule], horizon: Horizon | None = None) -> None:
        self.rules = rules
        self.horizon = horizon
        edges = [b for r in rules for b in (r.start, r.end) if b is not None]
        if horizon is not None:
            edges.append(horizon.end)
        by_micros = {micros(b): b for b in edges}
        self.bounds: list[int] = sorted(by_micros)  # exact instants, whatever their zones
        self.instants: list[datetime] = [by_micros[t] for t in self.bounds]
        self.winners: list[Rule | None] = _winners(rules, self.bounds)
        self.beyond = (
            len(self.winners) if horizon is None else bisect_right(self.bounds, micros(horizon.end))
        )
        self.verdicts: list[str] = [
            "unknown" if i >= self.beyond else outcome(w) for i, w in enumerate(self.winners)
        ]

    def in_force(self, at: datetime | None) -> list[Rule]:
        """Rules in force at `at` (None: before every bound), highest precedence first."""
        if at is None:
            live = [r for r in self.rules if r.start is None]
        else:
            _aware(at)
            live = [r for r in self.rules if in_force(r, at)]
        return sorted(live, key=precedence, reverse=True)

    def segment(self, at: datetime) -> int:
        """The index of the segment holding `at` (an aware datetime)."""
        return bisect_right(self.bounds, micros(_aware(at)))

    def index(self, at_micros: int) -> int:
        """The index of the segment holding an instant given in microseconds (micros())."""
        if not isinstance(at_micros, int) or isinstance(at_micros, bool):  # '<' not supported
            raise TypeError(f"at_micros must be an int, not {type(at_micros).__name__}")
        return bisect_right(self.bounds, at_micros)

    def _segment(self, index: int) -> int:
        """`index`, a segment's; else a TypeError or an IndexError saying which there are
        (rule(-1) was the last segment's, past the horizon; next_change(999) Python's own
        'list index out of range')."""
        if not isinstance(index, int) or isinstance(index, bool):
            raise TypeError(f"index must be an int (segment() or index() gives one), not "
                            f"{type(index).__name__}")  # fmt: skip
        if not 0 <= index <= len(self.bounds):
            raise IndexError(f"no segment {index}: this timeline's are 0 to {len(self.bounds)}")
        return index

    def reason(self, index: int) -> str:
        """`rule`, `no_rule` or `beyond_horizon` for segment `index`."""
        if self._segment(index) >= self.beyond:
            return "beyond_horizon"
        return "no_rule" if self.winners[index] is None else "rule"

    def rule(self, index: int) -> Rule | None:
        """The rule that decides segment `index` (None past the horizon or with no rule)."""
        return None if self._segment(index) >= self.beyond else self.winners[index]

    def last_known(self) -> Known | None:
        """The verdict of the last segment before the horizon (None: no horizon)."""
        if self.horizon is None:
            return None
        # the horizon's end is itself a bound, so at least one segment lies before it
        return Known(self.verdicts[self.beyond - 1], self.winners[self.beyond - 1])

    def next_change(self, index: int) -> Change | None:
        """The first later segment whose verdict differs from segment `index`'s."""
        verdicts = self.verdicts
        current = verdicts[self._segment(index)]
        for j in range(index + 1, len(verdicts)):
            if verdicts[j] != current:
                return Change(self.instants[j - 1], verdicts[j])
        return None

    def segments(self) -> list[tuple[datetime | None, datetime | None, Rule | None, str]]:
        """(start, end, deciding rule, reason) for every segment, adjacent segments with the
        same rule and reason merged."""
        out: list[tuple[datetime | None, datetime | None, Rule | None, str]] = []
        starts: list[datetime | None] = [None, *self.instants]
        ends: list[datetime | None] = [*self.instants, None]
        for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
            rule, reason = self.rule(i), self.reason(i)
            if out and out[-1][2] is rule and out[-1][3] == reason:
                out[-1] = (out[-1][0], end, rule, reason)
            else:
                out.append((start, end, rule, reason))
        return out


def _aware(at):
    """`at`, an aware datetime; else a TypeError naming it (naive: Python's own 'can't
    subtract offset-naive and offset-aware datetimes')."""
    if not isinstance(at, datetime) or at.tzinfo is None:
        raise TypeError(f"at must be a datetime with its zone, not {at!r}")
    return at


def _winners(rules: list[Rule], bounds: list[int]) -> list[Rule | None]:
    """The winner of each segment between sorted `bounds`, in O((n + b) log n): a sweep that
    keeps the rules in force in a heap ordered by precedence, dropping ended ones lazily."""
    import heapq

    live: list[tuple[int, int, Rule]] = []  # highest precedence first; (start, order) unique

    def enter(rule: Rule) -> None:
        start, order = precedence(rule)
        heapq.heappush(live, (-start, -order, rule))

    for rule in rules:
        if rule.start is None:
            enter(rule)
    starts = [r for r in rules if r.start is not None]
    starts.sort(key=lambda r: micros(r.start))  # type: ignore[arg-type]
    winners: list[Rule | None] = []
    next_start = 0
    for index in range(len(bounds) + 1):
        # segment `index` starts at bounds[index - 1] (or at the beginning of time)
        if index:
            at = bounds[index - 1]
            while next_start < len(starts) and micros(starts[next_start].start) <= at:  # type: ignore[arg-type]
                enter(starts[next_start])
                next_start += 1
            while live and live[0][2].end is not None and micros(live[0][2].end) <= at:
                heapq.heappop(live)
        winners.append(live[0][2] if live else None)
    return winners
