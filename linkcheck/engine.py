"""The evaluator: which rule decides, what the verdict is, and when it next changes —
for one source or for several candidates (a group, a link), over timelines (timeline.py)
compiled once per (platform, source, surface).
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from .errors import DateError, LinkError, UnknownNameError, shown
from .i18n import N_, Deferred
from .model import (
    DEFAULT_SURFACES,
    KIND_WORDS,
    Catalog,
    Change,
    Decision,
    Explanation,
    Horizon,
    Known,
    Resolved,
    Rule,
)
from .names import looks_like_link
from .timeline import Timeline, micros, precedence
from .when import clock, parse_when, zone


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
        return self.catalog.resolve_source(_text(name, "source"))

    def classify(self, url: str) -> Resolved:
        """The candidate sources a product link proves (LinkError if it proves none)."""
        from .links import classify

        return classify(_text(url, "url"), self.catalog)

    def resolve(self, text: str, exact: str | None = None) -> Resolved:
        """SOURCE as typed (a name, a group or a product link) → candidates.

        `exact` states the source outright (`--as`); it must be one the input allows.
        """
        _text(text, "source")
        if exact is not None:
            _text(exact, "exact")  # a Resolved: it named 'source', the other argument
        resolved = self.classify(text) if looks_like_link(text) else self.resolve_source(text)
        if exact is None:
            return resolved
        return self.narrow(resolved, self.resolve_source(exact), f"--as {shown(exact)}")

    @staticmethod
    def narrow(resolved: Resolved, stated: Resolved, said: str) -> Resolved:
        """`resolved` (a link, a group) said to be the source `stated` (`--as`, or a batch
        row's source next to its url; `said` names that input): it must be among the
        candidates. The one place a stated source is checked against a link."""
        _resolved(resolved, "resolved")
        _resolved(stated, "stated")
        if not set(stated.candidates) <= set(resolved.candidates):
            from .i18n import Message
            from .words import Listed

            what = (
                Message(N_("the link's host {host}"), host=resolved.host)
                if resolved.host
                else f"'{shown(resolved.input)}'"
            )
            raise LinkError(
                N_("{said} does not match {what}, which can only be {candidates}"),
                said=said,
                what=what,
                candidates=Message(N_("{one} or {other}"), one=Listed(resolved.candidates[:-1]),
                                   other=resolved.candidates[-1])
                if len(resolved.candidates) > 1
                else resolved.candidates[0],
            )  # fmt: skip
        return Resolved(resolved.input, stated.id, stated.candidates, resolved.kind, resolved.host)

    def surface_id(self, name: str) -> str:
        return self.catalog.surface_id(_text(name, "surface"))

    def surface_list(self, texts, default: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """Surface ids named in `texts` (see Catalog.surface_list; one str is one text, not
        its characters); none: `default`, or livestream and short-video."""
        if isinstance(texts, str):
            texts = (texts,)
        if default is None:
            return self.catalog.surface_list(texts)
        return self.catalog.surface_list(texts, default)

    def parse_when(self, text: str, platform: str | None = None, now: datetime | None = None,
                   *, year: int | None = None) -> datetime:  # fmt: skip
        """Read a date/time as typed, in the platform's zone (`year`: the year of a date
        written without one; default: the current year there)."""
        return parse_when(_text(text, "text"), self.zone(platform), now, year=year)

    def instant(self, when, platform: str | None = None) -> datetime:
        """str, date, naive or aware datetime, or None (now) → aware datetime in the zone."""
        tz = self.zone(platform)
        if when is None:
            return clock().astimezone(tz)
        if isinstance(when, str):
            return parse_when(when, tz)
        if isinstance(when, datetime):
            return _in_zone(when, tz) if when.tzinfo else when.replace(tzinfo=tz)
        if isinstance(when, date):
            return datetime(when.year, when.month, when.day, tzinfo=tz)
        raise TypeError(f"when must be a str, date or datetime, not {type(when).__name__}")

    # ------------------------------------------------------------------ questions

    def timeline(self, platform: str, source: str, surface: str) -> Timeline:
        """The compiled rules for ids (platform, source, surface). Ids the loaded rules do
        not define — a name (快手), a group, a misspelt id — are an UnknownNameError, as in
        decide() (they gave a timeline of no rules: unknown, without a word): a surface
        the files do not define may be a default one."""
        key = (platform, source, surface)
        found = self._timelines.get(key)
        if found is None:
            self._ids(platform, source, surface)
            covering = [r for r in self._rules_of(platform) if r.covers(platform, source, surface)]
            horizon = self.catalog.horizons.get(platform)
            found = self._timelines[key] = Timeline(covering, horizon)
        return found

    def defines(self, platform: str, source: str, surface: str) -> bool:
        """Whether the loaded rules define these ids (a surface: or it is a default one)."""
        catalog = self.catalog
        return (platform in catalog.platforms and source in catalog.sources
                and (surface in catalog.surfaces or surface in DEFAULT_SURFACES))  # fmt: skip

    def _ids(self, platform: str, source: str, surface: str) -> None:
        """An UnknownNameError unless the loaded rules define these ids, saying what a
        text given is (a name, a group, nothing the rules know)."""
        if self.defines(platform, source, surface):
            return
        catalog = self.catalog
        for kind, text, table in (("platform", platform, catalog.platforms),
                                  ("source", source, catalog.sources),
                                  ("surface", surface, catalog.surfaces)):  # fmt: skip
            if text in table or (kind == "surface" and text in DEFAULT_SURFACES):
                continue
            if kind == "source" and text in catalog.groups:
                raise UnknownNameError(
                    N_("'{name}' is a group ({members}); a timeline is one source's"),
                    name=text, members=", ".join(catalog.groups[text].members),
                )  # fmt: skip
            lookup = {"platform": catalog.platform_id, "source": catalog.resolve_source,
                      "surface": catalog.surface_id}[kind]  # fmt: skip
            lookup(_text(text, kind))  # says what there is
            raise UnknownNameError(N_("'{name}' is a {kind}'s name, not its id; give the id"),
                                   name=text, kind=Deferred(KIND_WORDS[kind]))  # fmt: skip

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
        if platform is not None:
            _text(platform, "platform")
        platform_id = self.platform_id(platform)
        resolved = source if isinstance(source, Resolved) else self.resolve(source)
        return self.decide(
            platform_id, resolved, self.surface_id(surface), self.instant(when, platform_id)
        )

    def decide(self, platform: str, resolved: Resolved, surface: str, at: datetime) -> Decision:
        """The decision for ids already resolved; `at` must be aware. For several candidates:
        their merged verdict, the rule when they share one (and what it overrides for the
        first candidate; each candidate's own decision is in `candidates`). A platform the
        rules do not define, or a name given for an id, is an UnknownNameError (the name
        快手 was answered unknown for Tmall in its window), and an `at` without a zone a
        DateError. A surface id no file defines is an UnknownNameError too ('livestrem' was
        answered by the rule for every surface), but for the default surfaces (livestream,
        short-video), which a checklist asks about whether or not the loaded files define
        them (a team's own vocabulary)."""
        catalog = self.catalog
        _resolved(resolved, "resolved")
        if platform not in catalog.platforms:
            catalog.platform_id(_text(platform, "platform"))  # says what there is
            raise UnknownNameError(N_("'{name}' is a platform's name, not its id; give "
                                      "the id"), name=platform)  # fmt: skip
        if surface not in catalog.surfaces and surface not in DEFAULT_SURFACES:
            catalog.surface_id(_text(surface, "surface"))  # says what there is
            raise UnknownNameError(N_("'{name}' is a surface's name, not its id; give "
                                      "the id"), name=surface)  # fmt: skip
        _aware(at)
        at = _in_zone(at, self.zone(platform))  # Decision.at is in the platform's zone
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
            verdicts = {tl.verdicts[tl.index(edge)] for tl in timelines}
            merged = verdicts.pop() if len(verdicts) == 1 else "unknown"  # as _merge says
            if merged != verdict:
                return Change(later[edge].astimezone(at.tzinfo), merged)
        return None

    def explain(self, platform: str, resolved: Resolved, surface: str, at: datetime):
        """For each candidate, the rules in force at `at` (winner first) and near misses."""
        _aware(at)  # a naive one was Python's own 'can't subtract offset-naive' TypeError
        _resolved(resolved, "resolved")
        out = []
        for source in resolved.candidates:
            timeline = self.timeline(platform, source, surface)
            live = timeline.in_force(at)
            near = sorted((r for r in timeline.rules if r not in live), key=precedence)
            out.append(Explanation(source, tuple(live), tuple(near)))
        return out


def _merge_known(parts: list[Known | None]) -> Known | None:
    """Several candidates' last known verdicts → one: theirs if they agree, else unknown."""
    known = [p for p in parts if p is not None]
    if len(known) < len(parts) or not known:  # a candidate with no last verdict: none
        return None
    if len({p.verdict for p in known}) > 1:
        return Known("unknown", None)
    rule = known[0].rule
    return Known(known[0].verdict, rule if all(p.rule is rule for p in known) else None)


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


def _text(value, what: str) -> str:
    """`value`, a str; else a TypeError naming the argument (None or bytes reached the
    name matching as 'argument of type NoneType is not iterable')."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    return value


def _resolved(value, name: str) -> None:
    """A TypeError unless `value` is a Resolved (a name: 'str' has no attribute
    'candidates', deep inside)."""
    if not isinstance(value, Resolved):
        raise TypeError(f"{name} must be a Resolved (RuleSet.resolve(name)), not "
                        f"{type(value).__name__}")  # fmt: skip


def _aware(at) -> None:
    """A DateError unless `at` is a datetime with its zone (what decide and explain take)."""
    if not isinstance(at, datetime) or at.tzinfo is None:
        raise DateError(N_("the instant to decide at must be a datetime with its zone, "
                           "not {what}"), what=repr(at))  # fmt: skip


def _in_zone(at: datetime, tz) -> datetime:
    """The same instant in `tz`; one the calendar has not there (datetime.max in UTC, past
    9999-12-31 in Shanghai) is a DateError, not an OverflowError."""
    try:
        return at.astimezone(tz)
    except (OverflowError, ValueError):
        raise DateError(N_("date out of range: {what}"), what=at.isoformat()) from None
