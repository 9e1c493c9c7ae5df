"""Reading dates and times: every form of SPEC §5, in the platform's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkcheck.errors import DateError
from linkcheck.when import parse_when, zone

SH = ZoneInfo("Asia/Shanghai")
# 2026-03-05 01:30 in Shanghai is still 2026-03-04 in UTC and in Los Angeles
NOW = datetime(2026, 3, 4, 17, 30, tzinfo=UTC)


def sh(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-11-11", sh(2022, 11, 11)),
        ("2022/11/11", sh(2022, 11, 11)),
        ("2022.11.11", sh(2022, 11, 11)),
        ("20221111", sh(2022, 11, 11)),
        ("2022-11-11 20:00", sh(2022, 11, 11, 20)),
        ("2022-11-11T20:00:00", sh(2022, 11, 11, 20)),
        ("2022-11-11T20:00:00+08:00", sh(2022, 11, 11, 20)),
        ("2022-11-11T12:00:00Z", sh(2022, 11, 11, 20)),
        ("2022-11-11T04:00:00-08:00", sh(2022, 11, 11, 20)),
        ("2022-12-31T15:59:59Z", sh(2022, 12, 31, 23, 59, 59)),
        ("2022-12-31T16:00:00Z", sh(2023, 1, 1)),
        ("Nov 11 2022", sh(2022, 11, 11)),
        ("11 Nov 2022", sh(2022, 11, 11)),
        ("November 11, 2022", sh(2022, 11, 11)),
        ("2022年11月11日", sh(2022, 11, 11)),
        ("2022年11月11号", sh(2022, 11, 11)),
        ("11月11日", sh(2026, 11, 11)),  # the current year in Shanghai
        ("双11", sh(2026, 11, 11)),
        ("双十一", sh(2026, 11, 11)),
        ("2022双11", sh(2022, 11, 11)),
        ("双12", sh(2026, 12, 12)),
        ("２０２２－１１－１１", sh(2022, 11, 11)),  # full-width digits
        ("  2022-11-11  ", sh(2022, 11, 11)),
        ("today", sh(2026, 3, 5)),  # Shanghai's day, not UTC's
        ("TODAY", sh(2026, 3, 5)),
        ("今天", sh(2026, 3, 5)),
        ("yesterday", sh(2026, 3, 4)),
        ("tomorrow", sh(2026, 3, 6)),
        ("+3d", sh(2026, 3, 8)),
        ("-2w", sh(2026, 2, 19)),
        ("+1 days", sh(2026, 3, 6)),
        ("now", sh(2026, 3, 5, 1, 30)),
        ("25/10/2022", sh(2022, 10, 25)),  # only one reading is a real date
        ("11/11/2022", sh(2022, 11, 11)),  # both readings are the same day
    ],
)
def test_accepted_forms(text, expected):
    got = parse_when(text, SH, NOW)
    assert got == expected
    assert got.utcoffset() == expected.utcoffset()
    assert got.tzinfo is SH


def test_current_year_comes_from_the_platform_zone():
    # 2026-12-31 20:00 UTC is already 2027-01-01 in Shanghai
    late = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)
    assert parse_when("双11", SH, late) == sh(2027, 11, 11)
    assert parse_when("today", SH, late) == sh(2027, 1, 1)


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("11/10/2022", ["ambiguous", "11/10/2022", "2022-10-11", "2022-11-10"]),
        ("10.11.2022", ["ambiguous", "10.11.2022", "2022-10-11", "2022-11-10"]),
        ("2022-02-30", ["impossible", "2022-02-30"]),
        ("20220230", ["impossible", "20220230"]),
        ("2022年2月30日", ["impossible", "2022年2月30日"]),
        ("2022-11-11 25:00", ["impossible", "2022-11-11 25:00"]),
        ("31/02/2022", ["impossible", "31/02/2022"]),
        ("Feb 30 2022", ["date", "Feb 30 2022"]),
        ("soon", ["invalid date", "soon", "2022-11-11"]),
        ("", ["invalid date"]),
        ("2022-11-11T20:00+99:00", ["offset", "2022-11-11T20:00+99:00"]),
        ("+999999w", ["out of range", "+999999w"]),
        ("\x00\x01", ["invalid date", "\\x00"]),
        ("Nov", ["invalid date", "Nov"]),
        ("Nov 2022", ["invalid date", "Nov 2022"]),
    ],
)
def test_rejected_forms_name_the_input(text, fragments):
    with pytest.raises(DateError) as info:
        parse_when(text, SH, NOW)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message


@given(st.text(max_size=30))
def test_any_text_is_an_instant_or_a_date_error(text):
    try:
        got = parse_when(text, SH, NOW)
    except DateError as exc:
        assert str(exc)
    else:
        assert got.tzinfo is SH


def test_unknown_zone_is_a_date_error():
    with pytest.raises(DateError, match="Mars/Olympus"):
        zone("Mars/Olympus")


def test_patterns_are_compiled_once_on_first_use():
    from linkcheck.when import _PATTERNS, _Lazy

    lazy = _Lazy()
    assert "iso" not in vars(lazy)
    pattern = lazy.iso
    assert pattern.pattern == _PATTERNS["iso"][0]
    assert vars(lazy)["iso"] is pattern  # kept: the next use does not compile again
    assert lazy.iso is pattern
    assert lazy.iso.fullmatch("2022-11-11T10:00:00+08:00")["z"] == "+08:00"
    with pytest.raises(KeyError):
        lazy.no_such_pattern  # noqa: B018


def test_the_usual_date_compiles_no_pattern(monkeypatch):
    """`2022-11-11` takes the fast path (a cold `check --on 2022-11-11` compiles no regular
    expression); anything else that looks like it but is not plain ASCII YYYY-MM-DD does
    not."""
    from linkcheck import when

    class NoPatterns:
        def __getattr__(self, name):
            raise AssertionError(f"pattern {name} used")

    monkeypatch.setattr(when, "_RE", NoPatterns())
    assert parse_when("2022-11-11", SH) == datetime(2022, 11, 11, tzinfo=SH)
    assert parse_when("1999-01-31", SH) == datetime(1999, 1, 31, tzinfo=SH)
    # every character but the dashes must be an ASCII digit (١ is an Arabic-Indic one)
    odd = ("2022-x1-11", "2022-11-x1", "2022-١1-11", "2022-11-١1", "２０２２-11-11")
    for text in ("2022/11/11", "2022-11-1x", "20221-1-11", "2022-11-11 ", "2022_11_11", *odd):
        with pytest.raises(AssertionError, match="pattern"):
            parse_when(text, SH, NOW)
