"""The evaluator: which rule decides, what the verdict is, and when it next changes.

Among the rules covering (platform, source, surface) and in force at an instant, the one
with the latest start wins; on equal starts the one loaded later wins. For each covered
triple the rules are compiled once into a boundary table: the sorted instants at which any
rule starts or stops, and the winner on each segment between them, searched with bisect.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import NamedTuple

from .errors import LinkError, shown
from .model import Catalog, Change, Decision, Explanation, Horizon, Known, Resolved, Rule
from .when import parse_when, zone

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_NEVER = -(2**63)  # sorts before every instant: the start of a rule with no start


def micros(at: datetime) -> int:
    """An aware instant as whole microseconds since the epoch (exact, zone-independent)."""
    return (at - _EPOCH) // _US


def in_force(rule: Rule, at: datetime) -> bool:
    """Whether `at` lies in the rule's window [start, end), compared as exact instants."""
    t = micros(at)
    return (rule.start is None or micros(rule.start) <= t) and (
        rule.end is None or t < micros(rule.end)
    )


def _outcome(rule: Rule | None) -> str:
    return "unknown" if rule is None else rule.outcome


def _precedence(rule: Rule) -> tuple[int, int]:
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
            "unknown" if i >= self.beyond else _outcome(w) for i, w in enumerate(self.winners)
        ]

    def in_force(self, at: datetime | None) -> list[Rule]:
        """Rules in force at `at` (None: before every bound), highest precedence first."""
        if at is None:
            live = [r for r in self.rules if r.start is None]
        else:
            live = [r for r in self.rules if in_force(r, at)]
        return sorted(live, key=_precedence, reverse=True)

    def segment(self, at: datetime) -> int:
        return bisect_right(self.bounds, micros(at))

    def reason(self, index: int) -> str:
        if index >= self.beyond:
            return "beyond_horizon"
        return "no_rule" if self.winners[index] is None else "rule"

    def rule(self, index: int) -> Rule | None:
        """The rule that decides segment `index` (None past the horizon or with no rule)."""
        return None if index >= self.beyond else self.winners[index]

    def last_known(self) -> Known | None:
        """The verdict of the last segment before the horizon (None: no horizon)."""
        if self.horizon is None:
            return None
        if self.beyond == 0:
            return Known("unknown", None)
        return Known(self.verdicts[self.beyond - 1], self.winners[self.beyond - 1])

    def next_change(self, index: int) -> Change | None:
        verdicts = self.verdicts
        current = verdicts[index]
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


def _winners(rules: list[Rule], bounds: list[int]) -> list[Rule | None]:
    """The winner of each segment between sorted `bounds`, in O((n + b) log n): a sweep that
    keeps the rules in force in a heap ordered by precedence, dropping ended ones lazily."""
    import heapq

    live: list[tuple[int, int, Rule]] = []  # highest precedence first; (start, order) unique

    def enter(rule: Rule) -> None:
        start, order = _precedence(rule)
        heapq.heappush(live, (-start, -order, rule))

    for rule in rules:
        if rule.start is None:
            enter(rule)
    starts = sorted((r for r in rules if r.start is not None), key=lambda r: micros(r.start))
    winners: list[Rule | None] = []
    next_start = 0
    for index in range(len(bounds) + 1):
        # segment `index` starts at bounds[index - 1] (or at the beginning of time)
        if index:
            at = bounds[index - 1]
            while next_start < len(starts) and micros(starts[next_start].start) <= at:
                enter(starts[next_start])
                next_start += 1
            while live and live[0][2].end is not None and micros(live[0][2].end) <= at:
                heapq.heappop(live)
        winners.append(live[0][2] if live else None)
    return winners


class RuleSet:
    """The loaded rules, ready to answer questions."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._timelines: dict[tuple[str, str, str], Timeline] = {}
        self._by_platform: dict[str, list[Rule]] = {}

    # ------------------------------------------------------------------ vocabulary

    @property
    def rules(self) -> list[Rule]:
        return self.catalog.rules

    def platform_id(self, name: str | None = None) -> str:
        return self.catalog.platform_id(name)

    def zone(self, platform: str | None = None) -> tzinfo:
        """The time zone whose days a platform's queries are counted in."""
        return zone(self.catalog.platforms[self.platform_id(platform)].timezone)

    def resolve_source(self, name: str) -> Resolved:
        return self.catalog.resolve_source(name)

    def classify(self, url: str) -> Resolved:
        """The candidate sources a product link proves (LinkError if it proves none)."""
        from .links import classify

        return classify(url, self.catalog)

    def resolve(self, text: str, exact: str | None = None) -> Resolved:
        """SOURCE as typed (a name, a group or a product link) → candidates.

        `exact` states the source outright (`--as`); it must be one the input allows.
        """
        from .links import looks_like_link

        resolved = self.classify(text) if looks_like_link(text) else self.resolve_source(text)
        if exact is None:
            return resolved
        return self.narrow(resolved, self.resolve_source(exact), f"--as {shown(exact)}")

    @staticmethod
    def narrow(resolved: Resolved, stated: Resolved, said: str) -> Resolved:
        """`resolved` (a link, a group) said to be the source `stated` (`--as`, or a batch
        row's source next to its url; `said` names that input): it must be among the
        candidates. The one place a stated source is checked against a link."""
        if not set(stated.candidates) <= set(resolved.candidates):
            what = (
                f"the link's host {resolved.host}"
                if resolved.host
                else f"'{shown(resolved.input)}'"
            )
            raise LinkError(
                f"{said} does not match {what}, which can only be "
                f"{' or '.join(resolved.candidates)}"
            )
        return Resolved(resolved.input, stated.id, stated.candidates, resolved.kind, resolved.host)

    def surface_id(self, name: str) -> str:
        return self.catalog.surface_id(name)

    def surface_list(self, texts, default: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """Surface ids named in `texts` (see Catalog.surface_list); none: `default`, or
        livestream and short-video."""
        if default is None:
            return self.catalog.surface_list(texts)
        return self.catalog.surface_list(texts, default)

    def parse_when(self, text: str, platform: str | None = None, now: datetime | None = None):
        """Read a date/time as typed, in the platform's zone."""
        return parse_when(text, self.zone(platform), now)

    def instant(self, when, platform: str | None = None) -> datetime:
        """str, date, naive or aware datetime, or None (now) → aware datetime in the zone."""
        tz = self.zone(platform)
        if when is None:
            return datetime.now(tz)
        if isinstance(when, str):
            return parse_when(when, tz)
        if isinstance(when, datetime):
            return when.astimezone(tz) if when.tzinfo else when.replace(tzinfo=tz)
        if isinstance(when, date):
            return datetime(when.year, when.month, when.day, tzinfo=tz)
        raise TypeError(f"when must be a str, date or datetime, not {type(when).__name__}")

    # ------------------------------------------------------------------ questions

    def timeline(self, platform: str, source: str, surface: str) -> Timeline:
        """The compiled rules for ids (platform, source, surface)."""
        key = (platform, source, surface)
        found = self._timelines.get(key)
        if found is None:
            covering = [r for r in self._rules_of(platform) if r.covers(platform, source, surface)]
            horizon = self.catalog.horizons.get(platform)
            found = self._timelines[key] = Timeline(covering, horizon)
        return found

    def _rules_of(self, platform: str) -> list[Rule]:
        found = self._by_platform.get(platform)
        if found is None:
            found = self._by_platform[platform] = [
                r for r in self.catalog.rules if r.platform == platform
            ]
        return found

    def horizon(self, platform: str | None = None) -> Horizon | None:
        """How far the loaded rules reach for a platform (None: no file states it)."""
        return self.catalog.horizons.get(self.platform_id(platform))

    def check(self, source, surface: str, when=None, platform: str | None = None) -> Decision:
        """May SOURCE be linked from SURFACE on PLATFORM at WHEN?

        `source` is a name (id, alias or group), a product link, or a Resolved; names are
        matched loosely.
        """
        platform_id = self.platform_id(platform)
        resolved = source if isinstance(source, Resolved) else self.resolve(source)
        return self.decide(
            platform_id, resolved, self.surface_id(surface), self.instant(when, platform_id)
        )

    def decide(self, platform: str, resolved: Resolved, surface: str, at: datetime) -> Decision:
        """The decision for ids already resolved; `at` must be aware."""
        if len(resolved.candidates) == 1:
            one = self._decide_one(platform, resolved.candidates[0], surface, at, resolved.id)
            return one._replace(kind=resolved.kind)
        parts = tuple(self._decide_one(platform, s, surface, at, s) for s in resolved.candidates)
        verdict, reason, rule = _merge(parts)
        return Decision(
            platform,
            resolved.id,
            surface,
            at,
            verdict,
            reason,
            rule,
            overridden=parts[0].overridden if rule is not None else (),
            next_change=self._merged_change(platform, resolved.candidates, surface, at, verdict),
            candidates=parts,
            horizon=parts[0].horizon,
            last_known=_merge_known([p.last_known for p in parts]),
            kind=resolved.kind,
        )

    def _decide_one(self, platform, source, surface, at, label) -> Decision:
        timeline = self.timeline(platform, source, surface)
        index = timeline.segment(at)
        rule = timeline.rule(index)
        reason = timeline.reason(index)
        beyond = reason == "beyond_horizon"
        overridden = () if beyond else tuple(r for r in timeline.in_force(at) if r is not rule)
        return Decision(
            platform,
            label,
            surface,
            at,
            timeline.verdicts[index],
            reason,
            rule,
            overridden,
            _shown_in(timeline.next_change(index), at.tzinfo),
            horizon=timeline.horizon,
            last_known=timeline.last_known() if beyond else None,
        )

    def _merged_change(self, platform, sources, surface, at, verdict) -> Change | None:
        """First later instant where the candidates' combined verdict differs."""
        timelines = [self.timeline(platform, s, surface) for s in sources]
        now = micros(at)
        later = {t: i for tl in timelines for t, i in zip(tl.bounds, tl.instants, strict=True)}
        for edge in sorted(t for t in later if t > now):
            merged = _merge([_view(tl, edge) for tl in timelines])[0]
            if merged != verdict:
                return Change(later[edge].astimezone(at.tzinfo), merged)
        return None

    def explain(self, platform: str, resolved: Resolved, surface: str, at: datetime):
        """For each candidate, the rules in force at `at` (winner first) and near misses."""
        out = []
        for source in resolved.candidates:
            timeline = self.timeline(platform, source, surface)
            live = timeline.in_force(at)
            near = sorted((r for r in timeline.rules if r not in live), key=_precedence)
            out.append(Explanation(source, tuple(live), tuple(near)))
        return out


class _View(NamedTuple):
    """A candidate's answer on one segment, as _merge reads it."""

    verdict: str
    reason: str
    rule: Rule | None


def _view(timeline: Timeline, at_micros: int) -> _View:
    index = bisect_right(timeline.bounds, at_micros)
    return _View(timeline.verdicts[index], timeline.reason(index), timeline.rule(index))


def _merge_known(parts: list[Known | None]) -> Known | None:
    """Several candidates' last known verdicts → one: theirs if they agree, else unknown."""
    if parts[0] is None:
        return None
    if len({p.verdict for p in parts}) > 1:
        return Known("unknown", None)
    rule = parts[0].rule
    return Known(parts[0].verdict, rule if all(p.rule is rule for p in parts) else None)


def _shown_in(change: Change | None, tz) -> Change | None:
    """A change expressed in the query's zone (a bound may be written in another)."""
    return None if change is None else Change(change.at.astimezone(tz), change.verdict)


def _merge(parts) -> tuple[str, str, Rule | None]:
    """Several candidates' decisions → (verdict, reason, rule) for the whole."""
    verdicts = {p.verdict for p in parts}
    if len(verdicts) > 1:
        return "unknown", "ambiguous_link", None
    first = parts[0]
    if all(p.rule is first.rule for p in parts):
        return first.verdict, first.reason, first.rule
    return first.verdict, "rule", None
