"""The evaluator against a brute-force reference on random small rule sets.

The reference reads the rules as plain day (or hour) numbers and scans step by step; it
shares nothing with the engine's boundary tables.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

import linkcheck
from linkcheck.rules import Loader

from .helpers import BASE_DAY, SHANGHAI, VOCAB, WORD, examples, rule_specs, toml_rules


def load(text: str) -> linkcheck.RuleSet:
    loader = Loader()
    loader.add_text(VOCAB, "vocab.toml")
    loader.add_text(text, "random.toml")
    assert [p for p in loader.problems if p.level == "error"] == []
    return linkcheck.RuleSet(loader.catalog)


def reference(specs, source, surface, t, *, inclusive_end: bool):
    """Winner at step t: latest start among rules in force, ties to the later one."""
    best = None
    for i, s in enumerate(specs):
        if source not in s["sources"] or (s["surfaces"] != "*" and surface not in s["surfaces"]):
            continue
        after_start = s["start"] is None or s["start"] <= t
        before_end = s["end"] is None or (t <= s["end"] if inclusive_end else t < s["end"])
        if after_start and before_end:
            key = (-1 if s["start"] is None else s["start"], i)
            if best is None or key >= best[0]:
                best = (key, i)
    if best is None:
        return "unknown", None
    return WORD[specs[best[1]]["verdict"]], f"r{best[1]}"


def reference_next(specs, source, surface, t, horizon, *, inclusive_end):
    now = reference(specs, source, surface, t, inclusive_end=inclusive_end)[0]
    for step in range(t + 1, horizon + 3):
        later = reference(specs, source, surface, step, inclusive_end=inclusive_end)[0]
        if later != now:
            return step, later
    return None


@settings(max_examples=examples(300), deadline=None)
@given(
    specs=st.lists(rule_specs(30), max_size=6),
    source=st.sampled_from(["a", "b"]),
    surface=st.sampled_from(["x", "y"]),
    day=st.integers(-3, 34),
    hour=st.integers(0, 23),
)
def test_day_windows_agree_with_reference(specs, source, surface, day, hour):
    rules = load(toml_rules(specs, lambda n: (BASE_DAY + timedelta(days=n)).isoformat()))
    at = datetime.combine(BASE_DAY + timedelta(days=day), datetime.min.time(), SHANGHAI)
    at += timedelta(hours=hour)
    decision = rules.check(source, surface, at)
    verdict, rule = reference(specs, source, surface, day, inclusive_end=True)
    assert decision.verdict == verdict
    assert (decision.rule.id if decision.rule else None) == rule
    expected = reference_next(specs, source, surface, day, 30, inclusive_end=True)
    if expected is None:
        assert decision.next_change is None
    else:
        step, later = expected
        midnight = datetime.combine(BASE_DAY + timedelta(days=step), datetime.min.time(), SHANGHAI)
        assert decision.next_change is not None
        assert decision.next_change.at == midnight
        assert decision.next_change.verdict == later


@settings(max_examples=examples(300), deadline=None)
@given(
    specs=st.lists(rule_specs(48, gap=1), max_size=6),
    source=st.sampled_from(["a", "b"]),
    surface=st.sampled_from(["x", "y"]),
    hour=st.integers(-3, 52),
)
def test_offset_datetime_bounds_agree_with_reference(specs, source, surface, hour):
    """Bounds as UTC instants (ends exclusive), queries in Shanghai: zones combine exactly."""
    origin = datetime(2022, 12, 30, 0, 0, tzinfo=UTC)
    rules = load(toml_rules(specs, lambda n: (origin + timedelta(hours=n)).isoformat()))
    for specs_by_hour in [specs]:
        at = origin + timedelta(hours=hour)
        decision = rules.check(source, surface, at.astimezone(SHANGHAI))
        verdict, rule = reference(specs_by_hour, source, surface, hour, inclusive_end=False)
        assert decision.verdict == verdict
        assert (decision.rule.id if decision.rule else None) == rule
        expected = reference_next(specs, source, surface, hour, 48, inclusive_end=False)
        if expected is None:
            assert decision.next_change is None
        else:
            assert decision.next_change is not None
            assert decision.next_change.at == origin + timedelta(hours=expected[0])
            assert decision.next_change.verdict == expected[1]


@settings(max_examples=examples(200), deadline=None)
@given(
    specs=st.lists(rule_specs(30), max_size=6),
    surface=st.sampled_from(["x", "y"]),
    day=st.integers(-3, 34),
)
def test_several_candidates_agree_or_are_unknown(specs, surface, day):
    """A name standing for both sources: their common verdict, else unknown (ambiguous)."""
    text = toml_rules(specs, lambda n: (BASE_DAY + timedelta(days=n)).isoformat())
    loader = Loader()
    loader.add_text(VOCAB + '[groups.g]\nname = "G"\nmembers = ["a", "b"]\n', "vocab.toml")
    loader.add_text(text, "random.toml")
    rules = linkcheck.RuleSet(loader.catalog)
    at = datetime.combine(BASE_DAY + timedelta(days=day), datetime.min.time(), SHANGHAI)
    decision = rules.check("g", surface, at)

    def combined(step):
        verdicts = {reference(specs, s, surface, step, inclusive_end=True)[0] for s in "ab"}
        return verdicts.pop() if len(verdicts) == 1 else "unknown"

    assert decision.verdict == combined(day)
    assert [c.source for c in decision.candidates] == ["a", "b"]
    if decision.reason == "ambiguous_link":
        assert decision.verdict == "unknown"
    nxt = next(((s, combined(s)) for s in range(day + 1, 33) if combined(s) != combined(day)), None)
    if nxt is None:
        assert decision.next_change is None
    else:
        midnight = datetime.combine(
            BASE_DAY + timedelta(days=nxt[0]), datetime.min.time(), SHANGHAI
        )
        assert (decision.next_change.at, decision.next_change.verdict) == (midnight, nxt[1])
