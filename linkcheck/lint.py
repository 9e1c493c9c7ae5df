"""Reviewing rules files: every problem at once (`rules lint`), and what a change would change
(`rules diff`). Schema problems come from the loader; the checks here need the whole set."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from .engine import RuleSet
from .errors import TOP_LEVEL, Problem
from .i18n import N_
from .model import Catalog, Horizon, Rule
from .names import looks_like_link
from .rules import read_files
from .rules.schema import file_name
from .timeline import Timeline, micros


def lint(paths: Iterable[str | os.PathLike] = (), *, defaults: bool = True,
         release: tuple[str, bytes] | None = None) -> list[Problem]:  # fmt: skip
    """Every problem in the bundled rules (unless `defaults` is false), the installed
    release (its name and bytes, when given) and `paths`."""
    from .rules.evidence import check_evidence

    loader = read_files(paths, defaults=defaults, release=release)
    return [*loader.problems, *check_evidence(loader.catalog), *review(loader.catalog)]


def _where(rule: Rule) -> str:
    return f"[[rule]] #{rule.position} '{rule.id}'"


def _surfaces(rule: Rule, catalog: Catalog) -> frozenset[str]:
    return frozenset(catalog.surfaces) if rule.surfaces is None else rule.surfaces


def _overlap(a: Rule, b: Rule) -> bool:
    """Whether two windows share an instant (bounds are [start, end))."""
    a_start = None if a.start is None else micros(a.start)
    b_start = None if b.start is None else micros(b.start)
    a_end = None if a.end is None else micros(a.end)
    b_end = None if b.end is None else micros(b.end)
    starts_before_b_ends = b_end is None or a_start is None or a_start < b_end
    b_starts_before_a_ends = a_end is None or b_start is None or b_start < a_end
    return starts_before_b_ends and b_starts_before_a_ends


def review(catalog: Catalog) -> list[Problem]:
    """Warnings that need the whole loaded set: ties decided by load order, rules that can
    never decide anything, rules without a citation."""
    found: list[Problem] = []
    rules = catalog.rules
    # only rules of one platform with the same start can tie: each is compared with those
    # loaded before it in its group, not with every rule (a file of 400 rules took 20 s)
    same_start: dict[tuple[str, int | None], list[Rule]] = {}
    for later in rules:
        key = (later.platform, None if later.start is None else micros(later.start))
        group = same_start.setdefault(key, [])
        ties = [
            earlier
            for earlier in group
            if earlier.word != later.word
            and earlier.sources & later.sources
            and _surfaces(earlier, catalog) & _surfaces(later, catalog)
            and _overlap(earlier, later)
        ]
        if ties:  # one warning a rule, naming the first it ties with (not one a pair)
            earlier = ties[0]
            fields = {
                "earlier_id": earlier.id,
                "earlier_file": file_name(earlier.file),
                "earlier_word": earlier.word,
                "later_word": later.word,
                "count": len(ties) - 1,
            }
            message = (
                N_("same start as '{earlier_id}' ({earlier_file}) over an overlapping scope with "
                   "a different verdict ({earlier_word} vs {later_word}): the answer depends on "
                   "load order; give one of them a later start")
                if len(ties) == 1
                else N_("same start as '{earlier_id}' ({earlier_file}) and {count} more rules "
                        "over an overlapping scope with a different verdict ({earlier_word} vs "
                        "{later_word}): the answer depends on load order; give one of them a "
                        "later start")
            )  # fmt: skip
            found.append(Problem(later.file, _where(later), message, "warning", "start", fields))
        group.append(later)
    found.extend(_missing_horizons(catalog))
    found.extend(_link_like_names(catalog))
    ruleset = RuleSet(catalog)
    won: dict[tuple[str, str, str], set[int]] = {}  # a timeline's winners (id()), made once
    for rule in rules:
        horizon = catalog.horizons.get(rule.platform)
        if (horizon is not None and rule.word != "unknown" and rule.start is not None
                and rule.start >= horizon.end):  # fmt: skip
            # past the horizon every answer is unknown: a file whose horizon ended before its
            # one rule, an allow, began was "clean" under --strict, and published (a trial);
            # an unknown rule there says what the horizon says
            found.append(
                Problem(
                    rule.file,
                    _where(rule),
                    N_("never decides anything: it starts after the horizon of {platform} "
                       "(through {through}), past which every answer is unknown; move "
                       "[horizon.{platform}] 'through' on, or the rule's start back"),
                    "warning",
                    "start",
                    fields={"platform": rule.platform, "through": horizon.through.isoformat()},
                )
            )  # fmt: skip
            continue
        beaten_by: set[str] = set()
        decides = False
        for source in sorted(rule.sources):
            for surface in sorted(_surfaces(rule, catalog)):
                timeline = ruleset.timeline(rule.platform, source, surface)
                scope = (rule.platform, source, surface)
                if scope not in won:
                    won[scope] = {id(w) for w in timeline.winners if w is not None}
                if id(rule) in won[scope]:
                    decides = True
                    break
                beaten_by.update(_winners_over(timeline, rule))
            if decides:
                break
        if not decides:
            others = ", ".join(f"'{r}'" for r in sorted(beaten_by)) or "other rules"
            found.append(
                Problem(
                    rule.file,
                    _where(rule),
                    N_(
                        "never decides anything: covered over its whole scope and window "
                        "by {others} (same start, loaded later)"
                    ),
                    "warning",
                    "start",
                    fields={"others": others},
                )
            )
        if rule.citation is None:
            found.append(
                Problem(
                    rule.file,
                    _where(rule),
                    N_(
                        "no citation: quote the announcement it comes from (citation = { "
                        'quote = "…", document = "…", by = "…" })'
                    ),
                    "warning",
                    "citation",
                )
            )
    return found


def _link_like_names(catalog: Catalog) -> list[Problem]:
    """A source's or a group's name that holds a character of links (. / : \\ @ ￥): a
    SOURCE or a cell holding it is read as a product link, never as that name — an alias
    'back\\slash' passed lint and was refused in every checklist (a trial)."""
    found = []
    for table, entries in (("sources", catalog.sources), ("groups", catalog.groups)):
        for entry in entries.values():
            for field, text in (("id", entry.id), ("name", entry.name),
                                ("name_zh", entry.name_zh),
                                *(("aliases", a) for a in entry.aliases)):  # fmt: skip
                if text and looks_like_link(text):
                    char = next(c for c in text if looks_like_link(c))
                    found.append(Problem(
                        entry.file, f"[{table}.{entry.id}]",
                        N_("'{text}' holds '{char}', as links do: a SOURCE or a cell holding it "
                           "is read as a product link, never as this name; leave it out"),
                        "warning", field, {"text": text, "char": char},
                    ))  # fmt: skip
    return found


def _missing_horizons(catalog: Catalog) -> list[Problem]:
    """A file with rules for a platform should say how far its knowledge of it reaches."""
    stated = {(h.file, h.platform) for h in catalog.stated_horizons}
    found = []
    for file in catalog.files:
        platforms = dict.fromkeys(r.platform for r in catalog.rules if r.file == file)
        for platform in platforms:
            if (file, platform) in stated:
                continue
            loaded = catalog.horizons.get(platform)
            if loaded:
                message = N_(
                    "rules for '{platform}' but no [horizon.{platform}] (as_of, through: how "
                    "far this file's knowledge reaches); the loaded horizon ({through}, "
                    "{file}) applies to its rules"
                )
                fields = {
                    "platform": platform,
                    "through": loaded.through,
                    "file": file_name(loaded.file),
                }
            else:
                message = N_(
                    "rules for '{platform}' but no [horizon.{platform}] (as_of, through: how "
                    "far this file's knowledge reaches); its answers never expire"
                )
                fields = {"platform": platform}
            found.append(Problem(file, TOP_LEVEL, message, "warning", "horizon", fields))
    return found


def _winners_over(timeline: Timeline, rule: Rule) -> set[str]:
    """Ids of the rules that win the segments where `rule` is in force: those from the
    segment its start opens to the one its end opens (its bounds are the timeline's)."""
    first = 0 if rule.start is None else timeline.segment(rule.start)
    last = len(timeline.winners) if rule.end is None else timeline.segment(rule.end)
    return {winner.id for winner in timeline.winners[first:last] if winner is not None}


# ---------------------------------------------------------------------- diff


@dataclass(frozen=True)
class VerdictChange:
    """On [start, end) the verdict for (platform, source, surface) goes from old to new."""

    platform: str
    source: str
    surface: str
    start: datetime | None
    end: datetime | None
    old: str
    new: str
    old_rule: str | None
    new_rule: str | None
    old_reason: str = "rule"  # rule | no_rule | beyond_horizon
    new_reason: str = "rule"


def diff(old: RuleSet, new: RuleSet) -> list[VerdictChange]:
    """Every (platform, source, surface, time range) whose verdict differs between two sets."""
    changes: list[VerdictChange] = []
    platforms = _union(old.catalog.platforms, new.catalog.platforms)
    sources = _union(old.catalog.sources, new.catalog.sources)
    surfaces = _union(old.catalog.surfaces, new.catalog.surfaces)
    for platform in platforms:
        for source in sources:
            for surface in surfaces:
                changes.extend(_diff_one(old, new, platform, source, surface))
    return changes


def horizon_changes(old: RuleSet, new: RuleSet) -> list[tuple[str, Horizon | None, Horizon | None]]:
    """(platform, old horizon, new horizon) for each platform whose horizon moved."""
    out = []
    for platform in _union(old.catalog.platforms, new.catalog.platforms):
        before, after = old.catalog.horizons.get(platform), new.catalog.horizons.get(platform)
        # the same day in another zone is another end (a file in Los Angeles): a move too
        if _horizon_key(before) != _horizon_key(after):
            out.append((platform, before, after))
    return out


def _horizon_key(horizon: Horizon | None) -> tuple | None:
    return horizon and (horizon.through, horizon.as_of, micros(horizon.end))


def _timeline(ruleset: RuleSet, platform: str, source: str, surface: str) -> Timeline:
    """The ids' timeline, or one of no rules where this file does not define them (the
    other file of a diff may)."""
    if ruleset.defines(platform, source, surface):
        return ruleset.timeline(platform, source, surface)
    return Timeline([], ruleset.catalog.horizons.get(platform))


def _union(a: dict, b: dict) -> list[str]:
    return [*a, *(k for k in b if k not in a)]


def _diff_one(old: RuleSet, new: RuleSet, platform: str, source: str, surface: str):
    before, after = (_timeline(r, platform, source, surface) for r in (old, new))
    if not before.rules and not after.rules:
        return []
    points = sorted(set(before.instants) | set(after.instants))
    starts: list[datetime | None] = [None, *points]
    ends: list[datetime | None] = [*points, None]
    out: list[VerdictChange] = []
    for start, end in zip(starts, ends, strict=True):
        was, now = _answer(before, start), _answer(after, start)
        if was[0] == now[0]:
            continue
        last = out[-1] if out else None
        if last and last.end == start and (last.old, last.new) == (was[0], now[0]):
            out[-1] = replace(last, end=end)
        else:
            out.append(
                VerdictChange(
                    platform,
                    source,
                    surface,
                    start,
                    end,
                    old=was[0],
                    new=now[0],
                    old_rule=was[1],
                    new_rule=now[1],
                    old_reason=was[2],
                    new_reason=now[2],
                )
            )
    return out


def _answer(timeline: Timeline, at: datetime | None) -> tuple[str, str | None, str]:
    """(verdict, deciding rule id, reason) of the segment starting at `at`."""
    index = 0 if at is None else timeline.segment(at)
    rule = timeline.rule(index)
    return timeline.verdicts[index], rule and rule.id, timeline.reason(index)
