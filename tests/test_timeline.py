"""A compiled timeline's segments, literally: adjacent segments with the same rule merge,
the horizon splits them, and what is known just before it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from linkcheck.model import Known
from linkcheck.rules import Loader

from .helpers import VOCAB, rule_table

SH = ZoneInfo("Asia/Shanghai")


def day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def ruleset(rules: str, horizon: str = ""):
    import linkcheck

    loader = Loader()
    loader.add_text(VOCAB + horizon + rules, "t.toml")
    assert [p for p in loader.problems if p.level == "error"] == []
    return linkcheck.RuleSet(loader.catalog)


RULES = rule_table("later-allow", "allow", ["a"], start="2022-01-01") + rule_table(
    "earlier-deny", "deny", ["a"], start="2021-01-01", end="2022-05-31"
)


def _segments(timeline):
    return [(s, e, r.id if r else None, why) for s, e, r, why in timeline.segments()]


def test_a_rule_ending_under_the_winner_does_not_split_its_segment():
    # bounds: 2021-01-01, 2022-01-01, 2022-06-01; the last two segments are both the
    # later rule's, so they are one
    timeline = ruleset(RULES).timeline("p", "a", "x")
    assert _segments(timeline) == [
        (None, day("2021-01-01"), None, "no_rule"),
        (day("2021-01-01"), day("2022-01-01"), "earlier-deny", "rule"),
        (day("2022-01-01"), None, "later-allow", "rule"),
    ]


def test_the_horizon_splits_a_rules_segment():
    horizon = "[horizon.p]\nas_of = 2022-02-01\nthrough = 2022-03-31\n"
    timeline = ruleset(RULES, horizon).timeline("p", "a", "x")
    assert _segments(timeline) == [
        (None, day("2021-01-01"), None, "no_rule"),
        (day("2021-01-01"), day("2022-01-01"), "earlier-deny", "rule"),
        (day("2022-01-01"), day("2022-04-01"), "later-allow", "rule"),
        (day("2022-04-01"), None, None, "beyond_horizon"),
    ]
    assert timeline.last_known() == Known("allowed", timeline.rules[0])


def test_a_horizon_before_every_rule_knows_nothing():
    horizon = "[horizon.p]\nas_of = 2020-01-01\nthrough = 2020-06-30\n"
    timeline = ruleset(RULES, horizon).timeline("p", "a", "x")
    assert timeline.last_known() == Known("unknown", None)
    assert _segments(timeline) == [
        (None, day("2020-07-01"), None, "no_rule"),
        (day("2020-07-01"), None, None, "beyond_horizon"),
    ]


def test_no_horizon_no_last_known():
    assert ruleset(RULES).timeline("p", "a", "x").last_known() is None


def test_rules_in_force_are_listed_by_precedence_not_by_name():
    # ids chosen so that their alphabetical order is the opposite of their precedence
    rules = RULES.replace("later-allow", "a-later").replace("earlier-deny", "z-earlier")
    timeline = ruleset(rules).timeline("p", "a", "x")
    assert [r.id for r in timeline.in_force(day("2022-03-01"))] == ["a-later", "z-earlier"]
    assert [r.id for r in timeline.in_force(day("2021-06-01"))] == ["z-earlier"]
    assert timeline.in_force(None) == []  # before every bound: only rules with no start


def test_rules_with_no_start_are_in_force_before_every_bound():
    rules = RULES.replace("start = 2021-01-01\n", "")
    timeline = ruleset(rules).timeline("p", "a", "x")
    assert [r.id for r in timeline.in_force(None)] == ["earlier-deny"]


def test_micros_are_exact_far_from_1970():
    from datetime import timedelta

    from linkcheck.timeline import micros

    far = datetime(9000, 1, 1, tzinfo=SH)
    assert micros(far + timedelta(microseconds=1)) - micros(far) == 1
    assert isinstance(micros(far), int)
