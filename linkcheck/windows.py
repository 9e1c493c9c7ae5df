"""The windows as spans of days: timeline segments for a date range, and the changes coming
up in the next N days. Computed from the engine's compiled timelines, never re-derived."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo

from .engine import RuleSet
from .model import Horizon, Rule
from .timeline import last_day, outcome
from .when import is_midnight, local_midnight


@dataclass(frozen=True)
class Segment:
    """On [start, end) the verdict for (platform, source, surface) is `verdict`, by `rule`."""

    platform: str
    source: str
    surface: str
    start: datetime  # clipped to the range asked for
    end: datetime
    verdict: str
    rule: Rule | None
    true_start: datetime | None = None  # the segment's own bounds (None: unbounded)
    true_end: datetime | None = None
    reason: str = "rule"  # rule | no_rule | beyond_horizon

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        """The last calendar day touched (an end at midnight belongs to the day before)."""
        return last_day(self.end)

    @property
    def whole_days(self) -> bool:
        return is_midnight(self.start) and (is_midnight(self.end) or self.end == CALENDAR_END)


def segments(
    ruleset: RuleSet,
    platform: str,
    sources: list[str],
    surfaces: list[str],
    first: date,
    last: date,
) -> list[Segment]:
    """Segments covering the days first..last (inclusive) in the platform's zone."""
    tz = ruleset.zone(platform)
    lo, hi = local_midnight(first, tz), day_end(last, tz)
    out: list[Segment] = []
    for source in sources:
        for surface in surfaces:
            timeline = ruleset.timeline(platform, source, surface)
            for true_start, true_end, rule, reason in timeline.segments():
                start = lo if true_start is None or true_start < lo else true_start.astimezone(tz)
                end = hi if true_end is None or true_end > hi else true_end.astimezone(tz)
                if start < end:
                    verdict = outcome(rule)
                    out.append(
                        Segment(
                            platform,
                            source,
                            surface,
                            start,
                            end,
                            verdict,
                            rule,
                            true_start and true_start.astimezone(tz),
                            true_end and true_end.astimezone(tz),
                            reason,
                        )
                    )
    return out


# the end of the calendar: no window opens or closes past it (datetime.max, in UTC so that
# every zone can compare with it)
CALENDAR_END = datetime.max.replace(tzinfo=UTC)


def day_end(day: date, tz: tzinfo) -> datetime:
    """The first instant after `day` in `tz`: the next day's midnight, or for the calendar's
    last day (9999-12-31) the calendar's end."""
    if day == date.max:
        return CALENDAR_END
    return local_midnight(day + timedelta(days=1), tz)


def span_days(day: date, span) -> int:
    """Days from `day` to `day + span` (a relativedelta: month ends clamped, so 1 month from
    2022-01-31 is 28 days), and no further than the calendar's last day."""
    try:
        return ((day + span) - day).days
    except (OverflowError, ValueError):
        return (date.max - day).days


def rule_span(ruleset: RuleSet, platform: str) -> tuple[date, date] | None:
    """The first and last day on which any of the platform's rules starts or stops, or its
    horizon falls."""
    tz = ruleset.zone(platform)
    horizon = ruleset.catalog.horizons.get(platform)
    days = sorted(
        bound.astimezone(tz).date()
        for rule in ruleset.rules
        if rule.platform == platform
        for bound in (rule.start, rule.end)
        if bound is not None
    )
    if horizon is not None:
        days = sorted([*days, horizon.end.astimezone(tz).date()])
    return (days[0], days[-1]) if days else None


def default_range(ruleset: RuleSet, platform: str, today: date) -> tuple[date, date]:
    """60 days either side of today while today is within (or near) the rules' span; when
    today is far from every rule, the whole span of the rules and today, with a margin, so
    that today (and the horizon between) is always on the chart."""
    near = (today - timedelta(days=60), today + timedelta(days=60))
    span = rule_span(ruleset, platform)
    if span is None or (span[0] <= near[1] and near[0] <= span[1]):
        return near
    first, last = min(span[0], today), max(span[1], today)
    margin = timedelta(days=max(7, (last - first).days // 40))
    return first - margin, last + margin


@dataclass(frozen=True)
class Upcoming:
    """A change of verdict coming up for (platform, source) on some surfaces."""

    platform: str
    source: str
    surfaces: tuple[str, ...]
    at: datetime  # the first instant of the new verdict
    before: str
    after: str
    rule: Rule | None  # the rule deciding after the change (None: no rule, or the horizon)
    closing: Rule | None  # the rule deciding before it
    reason: str = "rule"  # why the new verdict holds: rule | no_rule | beyond_horizon

    @property
    def kind(self) -> str:
        if self.after == "allowed":
            return "opens"
        if self.before == "allowed":
            return "closes"
        return "changes"

    def last_day(self) -> date:
        """The last day of the old verdict."""
        return last_day(self.at)


def _look_ahead_end(at: datetime, tz: tzinfo, days: int) -> datetime:
    """The end of the day `days` days after `at`'s day, in the platform's zone (at most the
    calendar's end)."""
    try:
        return day_end(at.astimezone(tz).date() + timedelta(days=days), tz)
    except OverflowError:
        return CALENDAR_END


def upcoming(ruleset: RuleSet, platforms: list[str], at: datetime, days: int) -> list[Upcoming]:
    """Verdict changes at or after `at` up to the end of the day `days` days later, soonest
    first; surfaces that change the same way at the same instant are grouped. A change at
    `at` itself is one: `--on 2022-10-28` is that day's first instant, when the windows of
    the 28th open (they were left out, as if already past: a trial)."""
    found: dict[tuple, Upcoming] = {}
    catalog = ruleset.catalog
    for platform in platforms:
        tz: tzinfo = ruleset.zone(platform)
        local = at.astimezone(tz)
        until = _look_ahead_end(at, tz, days)
        for source in catalog.sources:
            for surface in catalog.surfaces:
                timeline = ruleset.timeline(platform, source, surface)
                if not timeline.rules:
                    continue
                index = timeline.segment(local)
                if index and (begun := timeline.next_change(index - 1)) and begun.at == local:
                    index -= 1  # the change at `at` itself
                while (change := timeline.next_change(index)) is not None and change.at < until:
                    new_index = timeline.segment(change.at)
                    event = Upcoming(
                        platform,
                        source,
                        (surface,),
                        change.at.astimezone(tz),
                        timeline.verdicts[index],
                        change.verdict,
                        timeline.rule(new_index),
                        timeline.rule(index),
                        timeline.reason(new_index),
                    )
                    key = (platform, source, event.at, event.before, event.after, event.rule,
                           event.closing, event.reason)  # fmt: skip
                    if key in found:  # another surface changing the same way at once
                        event = replace(found[key], surfaces=(*found[key].surfaces, surface))
                    found[key] = event
                    index = new_index
    return sorted(found.values(), key=lambda e: (e.at, e.platform, e.source))


@dataclass(frozen=True)
class HorizonStatus:
    """Where a platform's horizon lies from a look-ahead range: passed, within or later."""

    platform: str
    horizon: Horizon
    state: str  # passed | within | later


def horizon_status(
    ruleset: RuleSet, platforms: list[str], at: datetime, days: int
) -> list[HorizonStatus]:
    """For each platform with a horizon: has `at` passed it, or does it fall in the next
    `days` days (counted as upcoming() counts them)?"""
    out = []
    for platform in platforms:
        horizon = ruleset.catalog.horizons.get(platform)
        if horizon is None:
            continue
        until = _look_ahead_end(at, ruleset.zone(platform), days)
        if at >= horizon.end:
            state = "passed"
        elif horizon.end <= until:
            state = "within"
        else:
            state = "later"
        out.append(HorizonStatus(platform, horizon, state))
    return out
