"""The loaded rules as an interval table: for every platform × source × surface, each span of
time with its verdict, deciding rule and next change — so that an interval join, anywhere
(DuckDB, Spark, a warehouse), answers exactly what `check` answers for one source.

A row covers [start, end): instants in UTC, `None` for the open beginning or end of time.
Every span is there, `unknown` ones and those past the horizon included, so the spans of a
(platform, source, surface) tile all of time. Groups and links are not rows: they stand for
their member sources, each of which has its own rows (`check` merges them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

from .engine import RuleSet

COLUMNS = ("platform", "source", "surface", "start", "end", "verdict", "rule",
           "next_change_at", "next_change_verdict", "reason")  # fmt: skip


class Span(NamedTuple):
    platform: str
    source: str
    surface: str
    start: datetime | None  # UTC, inclusive; None: since always
    end: datetime | None  # UTC, exclusive; None: for ever
    verdict: str
    rule: str | None  # the deciding rule's id (None: no rule, or past the horizon)
    next_change_at: datetime | None  # UTC: when the verdict next differs
    next_change_verdict: str | None
    reason: str  # rule | no_rule | beyond_horizon


def spans(ruleset: RuleSet, platform: str | None = None, sources=None, surfaces=None) -> list[Span]:
    """Every span of the loaded rules — of one platform, some source ids, some surface ids,
    if given — in a stable order: platform, source and surface as the rules list them,
    then time."""
    catalog = ruleset.catalog
    platforms = [platform] if platform is not None else list(catalog.platforms)
    out: list[Span] = []
    for p in platforms:
        for source in catalog.sources:
            if sources is not None and source not in sources:
                continue
            for surface in catalog.surfaces:
                if surfaces is None or surface in surfaces:
                    out.extend(_spans_of(ruleset, p, source, surface))
    return out


def _utc(at: datetime | None) -> datetime | None:
    return None if at is None else at.astimezone(UTC)


def _spans_of(ruleset: RuleSet, platform: str, source: str, surface: str) -> list[Span]:
    timeline = ruleset.timeline(platform, source, surface)
    starts: list[datetime | None] = [None, *timeline.instants]
    ends: list[datetime | None] = [*timeline.instants, None]
    rows: list[Span] = []
    for i in range(len(starts)):
        rule = timeline.rule(i)
        reason = timeline.reason(i)
        verdict = timeline.verdicts[i]
        change = timeline.next_change(i)
        if rows and rows[-1].reason == reason and rows[-1].rule == (rule.id if rule else None):
            # the same rule and reason as the span before: one span (its next change is this
            # segment's, which is the same: the verdict does not change in between)
            rows[-1] = rows[-1]._replace(end=_utc(ends[i]))
            continue
        rows.append(
            Span(
                platform, source, surface, _utc(starts[i]), _utc(ends[i]), verdict,
                rule.id if rule else None,
                _utc(change.at) if change else None, change.verdict if change else None,
                reason,
            )
        )  # fmt: skip
    return rows


def instant_text(at: datetime | None) -> str:
    """A UTC instant as ISO 8601 with Z (`2022-10-27T16:00:00Z`); "" for open."""
    if at is None:
        return ""
    text = at.astimezone(UTC).replace(tzinfo=None).isoformat()
    return text + "Z"
