"""batch.intervals: the plans, instants and spans linkcheck.spark joins
rows to. Each plan's spans tile time for each surface, and every span answers what the
Python path answers at its first and last microsecond."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from linkcheck.batch import Checker, Columns, intervals

from .helpers import random_ruleset, rule_specs

HEADER = ["source", "url", "surface", "date", "platform"]
KEYS = [("tmall", "", "", ""), ("天猫", "", "直播、短视频", ""), ("", "item.jd.com/1.html", "", ""),
        ("jd-union", "", "livestream", "douyin"), ("nope", "", "", ""), ("tmall", "", "nope", ""),
        ("tmall", "", "", "微博")]  # fmt: skip


def _checker(bundled):
    return Checker(bundled, Columns.find(HEADER), bundled.surface_list(()), "2022-11-11", None)


def _iso(us: int) -> str:
    at = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)
    return at.isoformat().replace("+00:00", "Z")


def test_cells_meaning_the_same_share_a_plan(bundled):
    plans, _ = intervals.plans(_checker(bundled), KEYS)
    number = {p[:4]: p[4] for p in plans}
    assert number[KEYS[0]] == number[KEYS[1]]  # an id and a Chinese alias, the same surfaces
    assert len(set(number.values())) == len(KEYS) - 1


def test_spans_tile_time_and_answer_what_batch_answers(bundled):
    checker = _checker(bundled)
    plans, spans = intervals.plans(checker, KEYS)
    for *cells, number in plans:
        mine = [s for s in spans if s[0] == number]
        expected = checker.decide([cells[0], cells[1], cells[2], "2022-11-11", cells[3]])
        for idx in {s[1] for s in mine}:
            rows = sorted((s for s in mine if s[1] == idx), key=lambda s: s[2])
            if rows[0][3] == intervals.LAST:  # wrong whatever the date
                assert len(rows) == 1 and tuple(rows[0][4:]) == expected[idx]
                continue
            error, *timed = rows
            assert error[2:4] == (intervals.ERROR, intervals.FIRST) and error[5] == "error"
            assert error[8] is None  # the date's note fills it
            assert timed[0][2] == intervals.FIRST and timed[-1][3] == intervals.LAST
            assert all(a[3] == b[2] for a, b in pairwise(timed))
            for s in timed:
                for us in {s[2], s[3] - 1} - {intervals.FIRST, intervals.LAST - 1}:
                    row = [cells[0], cells[1], cells[2], _iso(us), cells[3]]
                    assert checker.decide(row)[idx] == tuple(s[4:]), (cells, _iso(us))


def test_instants_read_each_date_once_in_the_platform_s_zone(bundled):
    dates = [("2022-11-11", ""), ("2022-11-11", "douyin"), ("2022-02-30", ""), ("", ""),
             ("2022-11-11", "微博")]  # fmt: skip
    got = intervals.instants(_checker(bundled), dates)
    shanghai = int(datetime(2022, 11, 10, 16, tzinfo=UTC).timestamp()) * 10**6
    assert got[0] == ("2022-11-11", "", shanghai, None) and got[1][2] == shanghai
    assert got[2][2] == intervals.ERROR and "2022-02-30" in got[2][3]
    assert got[3][2] == shanghai  # an empty date is the default (here 2022-11-11)
    assert got[4][2] == intervals.ERROR  # the plan says why: the platform's error


@settings(max_examples=50, deadline=None)
@given(specs=st.lists(rule_specs(30), max_size=6), horizon=st.none() | st.integers(0, 40))
def test_random_rules_spans_answer_what_batch_answers(specs, horizon):
    """Random windows, a group of two sources (spans between every bound of both), both
    surfaces in one cell, a horizon: every span, at both edges, answers as batch does."""
    ruleset = random_ruleset(specs, horizon, '[groups.ab]\nname = "AB"\nmembers = ["a", "b"]\n')
    checker = Checker(ruleset, Columns.find(HEADER), ruleset.surface_list(()), "2022-01-01", None)
    keys = [("a", "", "x", ""), ("ab", "", "x、y", ""), ("b", "", "", "")]
    plans, spans = intervals.plans(checker, keys)
    for *cells, number in plans:
        for s in spans:
            if s[0] != number or s[2] == intervals.ERROR:
                continue
            for us in {s[2], s[3] - 1} - {intervals.FIRST, intervals.LAST - 1}:
                row = [cells[0], cells[1], cells[2], _iso(us), cells[3]]
                assert checker.decide(row)[s[1]] == tuple(s[4:]), (cells, _iso(us))


def test_a_remembered_error_raised_again_and_again_stays_the_same_size(bundled):
    """An unknown source on every row: the Checker remembers the error and raises it each
    time — without the frames of the raises before (they piled up on the one exception
    object: 500,000 such rows took 1.8 GB and 49 s)."""
    import traceback

    from linkcheck.batch.deciding import _Bounded, _remember
    from linkcheck.errors import LinkcheckError

    def unknown():
        raise LinkcheckError("unknown source 'x'")

    cache, depths = _Bounded(8), []
    for _ in range(50):
        try:
            _remember(cache, "x", unknown)
        except LinkcheckError as exc:
            depths.append(len(traceback.extract_tb(exc.__traceback__)))
    assert depths == [depths[0]] * 50
    checker = _checker(bundled)
    answers = [checker.decide(["tmallx", "", "livestream", "2022-11-11", ""]) for _ in range(3)]
    assert answers[0] == answers[2] and answers[0][0].verdict == "error"


def test_cells_wrong_whatever_the_date_are_read_once(bundled, monkeypatch):
    """An unknown source (or surface, or platform) on every row: its error answers are built
    once and given again — building each row's notes made 200,000 such rows take 9 s where
    a known source took 1 s. Every date is still read (the run's report counts them), and a
    fresh Checker answers each row alike."""
    reads = []
    real = Checker.read
    monkeypatch.setattr(
        Checker, "read", lambda self, *cells: reads.append(cells) or real(self, *cells)
    )
    checker = _checker(bundled)
    rows = [[source, "", surface, f"2022-{m:02d}-{d:02d}", platform]
            for source, surface, platform in (("shopee", "", ""), ("tmall", "nope", ""),
                                              ("tmall", "", "微博"))
            for m in range(1, 13) for d in (1, 15, 28)]  # fmt: skip
    answers = [checker.decide(list(row)) for row in rows]
    assert len(reads) == 3  # once for each wrong combination of cells, not once a row
    assert all(a[0].verdict == "error" for a in answers)
    assert answers == [_checker(bundled).decide(list(row)) for row in rows]
    assert checker.assumed_years == set() and len(checker._instants) > 12  # dates read
