"""Reading dates and times: every form of SPEC §5 (docs/dates.md), in the platform's zone —
read exactly by linkcheck's own grammar or by python-dateutil inside its guard, or refused
with one line that names the text and says why."""

from __future__ import annotations

import ast
import re
import sys
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from linkcheck.errors import DateError
from linkcheck.i18n import english
from linkcheck.when import (
    CELLS,
    PLAIN,
    DateStyle,
    Reading,
    date_style,
    parse_when,
    read_when,
    shown_at,
    zone,
)

ROOT = Path(__file__).resolve().parent.parent
SH = ZoneInfo("Asia/Shanghai")
# 2026-03-05 01:30 in Shanghai (a Thursday) is still 2026-03-04 in UTC and in Los Angeles
NOW = datetime(2026, 3, 4, 17, 30, tzinfo=UTC)
ACCEPTED = (
    "use 2022-11-11, '2022-11-11 20:00', 2022-11-11T20:00:00+08:00, 'Nov 11 2022 8:00 PM', "
    "'Fri, 11 Nov 2022 20:00:00 +0800', 2022-W45-5, 2022年11月11日, '11月11日 晚上8点', 双11, "
    "today, now, +3d, -2w, +1m, 'next friday' or 下周五 (docs/dates.md lists them all)"
)
ZONE = (
    "zone names such as EST or CST and UTC+N are not read; write the offset as +08:00 or "
    "+0800 (Z or UTC for UTC)"
)
OFFSET = "write it as +08:00 or +0800 (Z or UTC for UTC)"


def zone_refusal(text: str) -> str:
    return f"unsure of the time zone in '{text}': {ZONE}"


def offset_refusal(text: str) -> str:
    return f"invalid UTC offset in '{text}': {OFFSET}"


def no_such_day(text: str) -> str:
    return f"impossible date '{text}': no such day or time in the calendar"


def sh(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def refusal(text: str, style: DateStyle = PLAIN, now: datetime = NOW) -> str:
    with pytest.raises(DateError) as info:
        read_when(text, SH, now, style)
    return str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the fast forms
        ("2022-11-11", sh(2022, 11, 11)),
        ("2022/11/11", sh(2022, 11, 11)),
        ("20221111", sh(2022, 11, 11)),
        ("now", sh(2026, 3, 5, 1, 30)),
        ("today", sh(2026, 3, 5)),  # Shanghai's day, not UTC's
        ("TODAY", sh(2026, 3, 5)),
        ("今天", sh(2026, 3, 5)),
        ("yesterday", sh(2026, 3, 4)),
        ("tomorrow", sh(2026, 3, 6)),
        ("前天", sh(2026, 3, 3)),
        ("后天", sh(2026, 3, 7)),
        # a named day and a time of day, as a livestream's hour is said (Shanghai's day)
        ("今晚8点", sh(2026, 3, 5, 20)),
        ("今天 晚上8点", sh(2026, 3, 5, 20)),
        ("今天20:00", sh(2026, 3, 5, 20)),
        ("明天 20:00", sh(2026, 3, 6, 20)),
        ("明晚八点半", sh(2026, 3, 6, 20, 30)),
        ("明早9点", sh(2026, 3, 6, 9)),
        ("昨晚11点", sh(2026, 3, 4, 23)),
        ("后天下午3点", sh(2026, 3, 7, 15)),
        ("今夜 10点", sh(2026, 3, 5, 22)),
        ("Tomorrow 20:00", sh(2026, 3, 6, 20)),
        ("today 0:00", sh(2026, 3, 5)),
        ("今晚8点 +1d", sh(2026, 3, 6, 20)),  # a step from it, as from any date
        # seconds, and a weekday with a time (a second trial: each refused)
        ("明天 20:00:00", sh(2026, 3, 6, 20)),
        ("11月11日 20:00:00", sh(2026, 11, 11, 20)),
        ("2022年11月11日 20:00:00", sh(2022, 11, 11, 20)),
        ("2022/11/11 下午8:00:00", sh(2022, 11, 11, 20)),
        ("2022/11/11 下午 8:00:00", sh(2022, 11, 11, 20)),
        ("2022年11月11日20点30分15秒", sh(2022, 11, 11, 20, 30, 15)),
        ("2022年11月11日 24:00:00", sh(2022, 11, 12)),
        ("下周五 20:00", sh(2026, 3, 13, 20)),
        ("下周五 晚上8点", sh(2026, 3, 13, 20)),
        ("下个星期三 上午10点半", sh(2026, 3, 11, 10, 30)),
        ("这周五 20:00:30", sh(2026, 3, 6, 20, 0, 30)),
        ("next friday 20:00", sh(2026, 3, 6, 20)),
        ("last fri 8:30", sh(2026, 2, 27, 8, 30)),
        # 整: on the hour (a third trial: refused)
        ("2022年11月11日 20点整", sh(2022, 11, 11, 20)),
        ("11月11日 晚上8点整", sh(2026, 11, 11, 20)),
        ("2022年11月11日24点整", sh(2022, 11, 12)),
        # a zero-width space or a BOM copied at an end (a second trial: invalid date)
        ("\u200b2022-11-11", sh(2022, 11, 11)),
        ("2022-11-11\u200b", sh(2022, 11, 11)),
        ("\ufeff双11 晚上8点", sh(2026, 11, 11, 20)),
        # ISO 8601, by isoparse
        ("2022-11-11 20:00", sh(2022, 11, 11, 20)),
        ("2022-11-11T20:00:00", sh(2022, 11, 11, 20)),
        ("2022-11-11t20:00", sh(2022, 11, 11, 20)),
        ("2022-11-11T20", sh(2022, 11, 11, 20)),
        ("2022-11-11T20:00:00+08:00", sh(2022, 11, 11, 20)),
        ("2022-11-11T20:00+0800", sh(2022, 11, 11, 20)),
        ("2022-11-11T20:00+08", sh(2022, 11, 11, 20)),
        ("2022-11-11T12:00:00Z", sh(2022, 11, 11, 20)),
        ("2022-11-11T04:00:00-08:00", sh(2022, 11, 11, 20)),
        ("2022-12-31T15:59:59Z", sh(2022, 12, 31, 23, 59, 59)),
        ("2022-12-31T16:00:00Z", sh(2023, 1, 1)),
        ("20221111T200000+0800", sh(2022, 11, 11, 20)),
        ("20221111T2000", sh(2022, 11, 11, 20)),
        ("2022-11-11T20:00:00.25", sh(2022, 11, 11, 20, 0, 0, 250000)),
        ("2022-11-11T20:00:00.123456789Z", sh(2022, 11, 12, 4, 0, 0, 123456)),
        ("2022-W45-5", sh(2022, 11, 11)),  # the Friday of ISO week 45
        ("2022W455", sh(2022, 11, 11)),
        ("2020-W53-7", sh(2021, 1, 3)),  # 2020 has 53 ISO weeks
        ("2022-W01-1", sh(2022, 1, 3)),
        ("2022-11-11T24:00", sh(2022, 11, 12)),  # ISO's end of the day
        # 24:00 is the day's end, the next day's 00:00, in every form that has a time
        ("2022-11-11 24:00", sh(2022, 11, 12)),
        ("2022/11/11 24:00", sh(2022, 11, 12)),
        ("2022/11/11 24:00:00", sh(2022, 11, 12)),
        ("Nov 30 2022 24:00", sh(2022, 12, 1)),
        ("2022/12/31 24:00 +0800", sh(2023, 1, 1)),
        ("2022/12/31 24:00 Z", sh(2023, 1, 1, 8)),
        ("2022年11月11日 24:00", sh(2022, 11, 12)),
        ("2022年11月11日24点", sh(2022, 11, 12)),
        ("2022年12月31日 二十四点", sh(2023, 1, 1)),
        ("2022-11-11 24点", sh(2022, 11, 12)),
        ("2022/11/11 周五 24:00", sh(2022, 11, 12)),  # Friday's end
        ("2022年11月11日 星期五 24点", sh(2022, 11, 12)),
        ("明天 24:00", sh(2026, 3, 7)),
        # the minutes and seconds of a time are no 24:00 (a property test found 00:24:00 read
        # as the day's end)
        ("Sat, 01 Jan 2000 00:24:00 +0000", sh(2000, 1, 1, 8, 24)),
        ("Jan 1, 2000 12:24:00 AM +0000", sh(2000, 1, 1, 8, 24)),
        ("2022/11/11 20:24:00", sh(2022, 11, 11, 20, 24)),
        ("2022年11月11日 20:24:00", sh(2022, 11, 11, 20, 24)),
        # what isoparse does not read goes to parser.parse
        ("2022-11-11 8:00", sh(2022, 11, 11, 8)),
        ("2022-11-11T8:00", sh(2022, 11, 11, 8)),
        ("2022-11-11 20:00 +08:00", sh(2022, 11, 11, 20)),
        ("2022-11-11 20:00 -0330", sh(2022, 11, 12, 7, 30)),
        # free-form English and RFC 2822, by parser.parse
        ("Fri, 11 Nov 2022 20:00:00 +0800", sh(2022, 11, 11, 20)),
        ("Fri, 11 Nov 2022 12:00:00 GMT", sh(2022, 11, 11, 20)),
        ("Fri, 11 Nov 2022 20:00:00 +0800 (CST)", sh(2022, 11, 11, 20)),  # a comment
        ("Fri Nov 11 12:00:00 UTC 2022", sh(2022, 11, 11, 20)),  # date(1)
        ("Nov 11, 2022 8:00 PM", sh(2022, 11, 11, 20)),
        ("Nov 11 2022 8pm", sh(2022, 11, 11, 20)),
        ("11 November 2022 20:00", sh(2022, 11, 11, 20)),
        ("Nov 11 2022", sh(2022, 11, 11)),
        ("11 Nov 2022", sh(2022, 11, 11)),
        ("November 11, 2022", sh(2022, 11, 11)),
        ("Nov 11th 2022", sh(2022, 11, 11)),
        ("11-Nov-2022", sh(2022, 11, 11)),
        ("Friday, November 11, 2022", sh(2022, 11, 11)),
        ("Nov 11 2022 10:00Z", sh(2022, 11, 11, 18)),
        ("Nov 11 2022 10:00 UTC", sh(2022, 11, 11, 18)),
        ("Nov 11 2022 10:00 +05:30", sh(2022, 11, 11, 12, 30)),
        ("2022-11-11T10:00-08:30", sh(2022, 11, 12, 2, 30)),
        ("2022.11.11", sh(2022, 11, 11)),
        ("2022.10.11", sh(2022, 10, 11)),  # a year first is year-month-day
        ("2022/10/11 20:00", sh(2022, 10, 11, 20)),
        ("20221011 2000", sh(2022, 10, 11, 20)),
        ("2022-11-11T08:00-10:00", sh(2022, 11, 12, 2)),  # the T form: an offset
        ("2022-11-11 20:00:00 -05:00", sh(2022, 11, 12, 9)),
        ("Nov 1st 2022", sh(2022, 11, 1)),
        ("Nov 2nd 2022", sh(2022, 11, 2)),
        ("Nov 3RD 2022", sh(2022, 11, 3)),
        ("2022.11.11 20:00", sh(2022, 11, 11, 20)),
        ("25/10/2022", sh(2022, 10, 25)),  # only one reading is a real date
        ("10/25/2022", sh(2022, 10, 25)),
        ("11/11/2022", sh(2022, 11, 11)),  # both readings are the same day
        ("11.11.2022 20:00", sh(2022, 11, 11, 20)),
        ("202211112000", sh(2022, 11, 11, 20)),
        # Chinese, linkcheck's own grammar
        ("2022年11月11日", sh(2022, 11, 11)),
        ("2022年11月11号", sh(2022, 11, 11)),
        ("2022年11月11日 20:30", sh(2022, 11, 11, 20, 30)),
        ("2022年11月11日20点30分", sh(2022, 11, 11, 20, 30)),
        ("2022年11月11日 晚上8点", sh(2022, 11, 11, 20)),
        ("2022年11月11日 下午3点半", sh(2022, 11, 11, 15, 30)),
        ("2022年11月11日 上午10点", sh(2022, 11, 11, 10)),
        ("2022年11月11日 凌晨0点", sh(2022, 11, 11, 0)),
        ("2022年11月11日 中午12点", sh(2022, 11, 11, 12)),
        ("2022年11月11日 中午1点", sh(2022, 11, 11, 13)),
        ("2022年11月11日 下午15点", sh(2022, 11, 11, 15)),
        # as ops staff type them (a new user's trial): 晚/早 for 晚上/早上, hours in Chinese
        # numerals, and the weekday Excel's Chinese long date writes after the day
        ("11月11日 晚8点", sh(2026, 11, 11, 20)),
        ("2022年11月11日 早8点", sh(2022, 11, 11, 8)),
        ("2022年11月11日 晚上八点", sh(2022, 11, 11, 20)),
        ("2022年11月11日 晚上十点半", sh(2022, 11, 11, 22, 30)),
        ("2022年11月11日 二十点", sh(2022, 11, 11, 20)),
        ("2022年11月11日 十二点", sh(2022, 11, 11, 12)),
        ("2022年11月11日 两点", sh(2022, 11, 11, 2)),
        ("2022年11月11日 零点", sh(2022, 11, 11, 0)),
        # a date with - / or . and a Chinese time of day, and a month and day with a dot
        # (a new user's trial: these were refused)
        ("2022-11-11 晚上8点", sh(2022, 11, 11, 20)),
        ("2022/11/11 晚上8点", sh(2022, 11, 11, 20)),
        ("2022-11-11 20点", sh(2022, 11, 11, 20)),
        ("2022/11/11 20时", sh(2022, 11, 11, 20)),
        ("2022/11/11 下午8:00", sh(2022, 11, 11, 20)),
        ("2022.11.11 下午3点半", sh(2022, 11, 11, 15, 30)),
        ("2022-11-11 早8点", sh(2022, 11, 11, 8)),
        ("11.11", sh(2026, 11, 11)),
        ("12.12", sh(2026, 12, 12)),
        ("11.11 晚上8点", sh(2026, 11, 11, 20)),  # (a third trial: these were refused)
        ("12.12晚8点", sh(2026, 12, 12, 20)),
        ("11/11 下午3点", sh(2026, 11, 11, 15)),
        ("12.12 20:00", sh(2026, 12, 12, 20)),
        ("2022年11月11日星期五", sh(2022, 11, 11)),
        ("2022/11/11 周五", sh(2022, 11, 11)),
        ("2022-11-11（周五）", sh(2022, 11, 11)),
        ("2022-11-11 (礼拜五)", sh(2022, 11, 11)),
        ("2022/11/13 周天", sh(2022, 11, 13)),  # 天 as 日: Sunday
        # the weekday between the date and its time (a third trial: refused)
        ("2022-11-11 星期五 晚上8点", sh(2022, 11, 11, 20)),
        ("2022年11月11日星期五 20:00", sh(2022, 11, 11, 20)),
        ("2022-11-11 (周五) 20:00", sh(2022, 11, 11, 20)),
        ("11月11日", sh(2026, 11, 11)),  # the current year in Shanghai
        ("双11", sh(2026, 11, 11)),
        ("双十一", sh(2026, 11, 11)),
        ("2022双11", sh(2022, 11, 11)),
        ("2022年双11 晚上8点", sh(2022, 11, 11, 20)),
        ("双12", sh(2026, 12, 12)),
        ("双十二", sh(2026, 12, 12)),
        ("618", sh(2026, 6, 18)),
        ("6·18", sh(2026, 6, 18)),
        ("２０２２－１１－１１", sh(2022, 11, 11)),  # full-width digits
        ("  2022-11-11  ", sh(2022, 11, 11)),
        # relative, by relativedelta (today is Thursday 2026-03-05 in Shanghai)
        ("+3d", sh(2026, 3, 8)),
        ("-2w", sh(2026, 2, 19)),
        ("+1 days", sh(2026, 3, 6)),
        ("+ 2 weeks", sh(2026, 3, 19)),
        ("+1m", sh(2026, 4, 5)),
        ("-1 month", sh(2026, 2, 5)),
        ("+1y", sh(2027, 3, 5)),
        ("+2 years", sh(2028, 3, 5)),
        ("+3天", sh(2026, 3, 8)),
        ("+1周", sh(2026, 3, 12)),
        ("+1个月", sh(2026, 4, 5)),
        ("+1月", sh(2026, 4, 5)),
        ("+1年", sh(2027, 3, 5)),
        ("2022-01-31 +1m", sh(2022, 2, 28)),  # a month's end is clamped
        ("2024-01-31 +1m", sh(2024, 2, 29)),
        ("2022-01-31 +1m -1d", sh(2022, 2, 27)),  # steps in the order written
        ("2022-01-31 -1d +1m", sh(2022, 2, 28)),
        ("2022-11-11 20:00 +1d", sh(2022, 11, 12, 20)),  # the time is kept
        ("now +1d", sh(2026, 3, 6, 1, 30)),
        ("next friday", sh(2026, 3, 6)),
        ("next thursday", sh(2026, 3, 12)),  # after today, never today
        ("next Fri.", sh(2026, 3, 6)),
        ("last friday", sh(2026, 2, 27)),
        ("last thursday", sh(2026, 2, 26)),
        ("下周五", sh(2026, 3, 13)),  # the Friday of next week (weeks start on Monday)
        ("下周一", sh(2026, 3, 9)),
        ("下周日", sh(2026, 3, 15)),
        ("下周天", sh(2026, 3, 15)),
        ("下个星期三", sh(2026, 3, 11)),
        ("下礼拜五", sh(2026, 3, 13)),
        ("本周一", sh(2026, 3, 2)),
        ("这周五", sh(2026, 3, 6)),
        ("上周五", sh(2026, 2, 27)),
        ("上星期日", sh(2026, 3, 1)),
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
    assert parse_when("Nov 11", SH, late) == sh(2027, 11, 11)
    assert parse_when("today", SH, late) == sh(2027, 1, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11月11日 20:00", Reading(sh(2022, 11, 11, 20), 2022)),
        ("双11", Reading(sh(2022, 11, 11), 2022)),
        ("Nov 11", Reading(sh(2022, 11, 11), 2022)),
        ("11 Nov 20:00", Reading(sh(2022, 11, 11, 20), 2022)),
        ("Feb 29", Reading(sh(2020, 2, 29), 2020)),  # in a leap year
        ("2022年11月11日", Reading(sh(2022, 11, 11))),  # a year written: none supplied
        ("Nov 11 2021", Reading(sh(2021, 11, 11))),
    ],
)
def test_a_date_without_a_year_says_which_year_it_was_given(text, expected):
    year = expected.at.year
    assert read_when(text, SH, NOW, DateStyle(year=year)) == expected
    assert parse_when(text, SH, NOW, year=year) == expected.at


def test_a_date_without_a_year_takes_the_current_year_unless_told():
    assert read_when("Nov 11", SH, NOW) == Reading(sh(2026, 11, 11), 2026)
    assert read_when("11月11日", SH, NOW) == Reading(sh(2026, 11, 11), 2026)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # the calendar
        ("2022-02-30", "impossible date '2022-02-30': 2022-02 has 28 days"),
        ("20220230", "impossible date '20220230': 2022-02 has 28 days"),
        ("2022/02/30", "impossible date '2022/02/30': 2022-02 has 28 days"),
        ("2024-02-30", "impossible date '2024-02-30': 2024-02 has 29 days"),
        ("2022-04-31", "impossible date '2022-04-31': 2022-04 has 30 days"),
        ("2022-11-00", "impossible date '2022-11-00': 2022-11 has 30 days"),
        ("2022-13-01", "impossible date '2022-13-01': there is no month 13"),
        ("2022-00-01", "impossible date '2022-00-01': there is no month 0"),
        ("0000-01-01", "impossible date '0000-01-01': there is no year 0"),
        ("2022-02-30T10:00", "impossible date '2022-02-30T10:00': 2022-02 has 28 days"),
        ("20220230T1000", "impossible date '20220230T1000': 2022-02 has 28 days"),
        ("2022年2月30日", "impossible date '2022年2月30日': 2022-02 has 28 days"),
        ("2022年11月11日 24:30", "impossible date '2022年11月11日 24:30': there is no time "
         "24:30"),
        ("2022年11月11日 20:00:60", "impossible date '2022年11月11日 20:00:60': there is no "
         "time 20:00:60"),
        ("下周五 25:00", "impossible date '下周五 25:00': there is no time 25:00"),
        ("下周五 晚上13点", "impossible time in '下周五 晚上13点': 晚上 has no hour 13 (it has "
         "5–11, 17–23)"),
        ("2022/11/11 24:00:01", no_such_day("2022/11/11 24:00:01")),
        ("2022/11/11 24:30", no_such_day("2022/11/11 24:30")),
        ("2022/11/11 周六 24:00", "'2022/11/11 周六 24:00' names a Saturday, but 2022-11-11 "
         "is a Friday"),
        ("9999/12/31 24:00", f"date out of range '9999/12/31 24:00': {ACCEPTED}"),
        ("2022年11月11日 20:60", "impossible date '2022年11月11日 20:60': there is no time "
         "20:60"),
        ("2022-11-11 25:00", no_such_day("2022-11-11 25:00")),
        ("31/02/2022", no_such_day("31/02/2022")),
        ("Feb 30 2022", no_such_day("Feb 30 2022")),
        ("2022/13/05 10:00", no_such_day("2022/13/05 10:00")),
        ("Feb 29", "impossible date 'Feb 29': 2026-02 has 28 days"),  # not in 2026
        ("2022-W53-1", "impossible date '2022-W53-1': 2022 has no week 53 day 1"),
        ("2022W531", "impossible date '2022W531': 2022 has no week 53 day 1"),
        ("2022-W45-8", "impossible date '2022-W45-8': 2022 has no week 45 day 8"),
        ("2022-W00-1", "impossible date '2022-W00-1': 2022 has no week 00 day 1"),
        ("11月11日 晚上13点", "impossible time in '11月11日 晚上13点': 晚上"
         " has no hour 13 (it has 5–11, 17–23)"),
        ("11月11日 晚上12点", "impossible time in '11月11日 晚上12点': 晚上"
         " has no hour 12 (it has 5–11, 17–23)"),
        ("11月11日 下午12点", "impossible time in '11月11日 下午12点': 下午"
         " has no hour 12 (it has 1–11, 13–23)"),
        ("11月11日 凌晨7点", "impossible time in '11月11日 凌晨7点': 凌晨"
         " has no hour 7 (it has 0–6)"),
        ("11月11日 中午3点", "impossible time in '11月11日 中午3点': 中午"
         " has no hour 3 (it has 1–2, 11–12)"),
        ("2022年11月11日星期四", "'2022年11月11日星期四' names a Thursday, but 2022-11-11 "
         "is a Friday"),
        ("11月11日周五", "'11月11日周五' names a Friday, but 2026-11-11 is a Wednesday"),
        ("2022-11-11（周四）20:00",
         "'2022-11-11（周四）20:00' names a Thursday, but 2022-11-11 is a Friday"),
        ("11月11日 晚上两点", "impossible time in '11月11日 晚上两点': 晚上"
         " has no hour 2 (it has 5–11, 17–23)"),
        ("11月11日 二十四点半", "impossible date '11月11日 二十四点半': there is no time 24:30"),
        ("11月11日 十十点", f"invalid date '11月11日 十十点': {ACCEPTED}"),
        # an offset or a time? dateutil reads 05:30 (the property test found it)
        ("1999-01-01 -0530", "invalid date '1999-01-01 -0530': a '-' right after the day may "
         "be an offset or a time (dateutil reads -05:30 as 05:30); write both: "
         "2022-11-11 00:00 -05:30"),
        ("2022-11-11T-05:30", "invalid date '2022-11-11T-05:30': a '-' right after the day "
         "may be an offset or a time (dateutil reads -05:30 as 05:30); write both: "
         "2022-11-11 00:00 -05:30"),  # isoparse read midnight at -05:30 after a T too
        ("20221111t-0530", "invalid date '20221111t-0530': a '-' right after the day may be "
         "an offset or a time (dateutil reads -05:30 as 05:30); write both: "
         "2022-11-11 00:00 -05:30"),
        ("11月11日 两十点", f"invalid date '11月11日 两十点': {ACCEPTED}"),
        # a sign before a date is no step (+3d): dateutil would drop it and read the date
        ("-2022-11-11", f"invalid date '-2022-11-11': {ACCEPTED}"),
        ("- 2022-11-11", f"invalid date '- 2022-11-11': {ACCEPTED}"),
        ("+2022-11-11", f"invalid date '+2022-11-11': {ACCEPTED}"),
        # numerals that are no hour (mutation testing showed each was untested)
        ("11月11日 二二十点", f"invalid date '11月11日 二二十点': {ACCEPTED}"),
        ("11月11日 十二二点", f"invalid date '11月11日 十二二点': {ACCEPTED}"),
        ("11月11日 零十点", f"invalid date '11月11日 零十点': {ACCEPTED}"),
        ("11月11日 十零点", f"invalid date '11月11日 十零点': {ACCEPTED}"),
        # day-first or month-first: both readings shown
        ("11/10/2022", "ambiguous date '11/10/2022': it could be 2022-10-11 or 2022-11-10; "
         "write it as YYYY-MM-DD"),
        ("10.11.2022", "ambiguous date '10.11.2022': it could be 2022-10-11 or 2022-11-10; "
         "write it as YYYY-MM-DD"),
        ("10-11-2022 20:30", "ambiguous date '10-11-2022 20:30': it could be 2022-10-11 20:30 "
         "or 2022-11-10 20:30; write it as YYYY-MM-DD"),
        ("11/10 20:30:15", "ambiguous date '11/10 20:30:15': it could be 2026-10-11 20:30:15 "
         "or 2026-11-10 20:30:15; write it as YYYY-MM-DD"),
        # what dateutil would fill from its default
        ("Oct 2022 20:00", "incomplete date 'Oct 2022 20:00': it names no day of the month"),
        ("Nov 2022", "incomplete date 'Nov 2022': it names no day of the month"),
        ("Nov", "incomplete date 'Nov': it names no day of the month"),
        ("2022-11", "incomplete date '2022-11': it names no day of the month"),
        ("2022", "incomplete date '2022': it names no month"),
        ("20:00", "incomplete date '20:00': it names no month"),
        ("Friday", "incomplete date 'Friday': it names no month"),
        ("11 Nov 22", "two-digit year in '11 Nov 22': write the year in full, such as 2022"),
        ("11/11/22", "two-digit year in '11/11/22': write the year in full, such as 2022"),
        ("221111", "two-digit year in '221111': write the year in full, such as 2022"),
        ("Mon, 11 Nov 2022", "'Mon, 11 Nov 2022' names a Monday, but 2022-11-11 is a Friday"),
        ("Sat Nov 11 2022", "'Sat Nov 11 2022' names a Saturday, but 2022-11-11 is a Friday"),
        # zones it cannot place exactly
        ("Dec 31 2022 20:00 EST", zone_refusal("Dec 31 2022 20:00 EST")),
        ("2022-12-31 10:00 CST", zone_refusal("2022-12-31 10:00 CST")),
        ("Nov 11 2022 10:00 PST", zone_refusal("Nov 11 2022 10:00 PST")),
        ("Nov 11 2022 10:00 BRST", zone_refusal("Nov 11 2022 10:00 BRST")),
        ("Dec 31 2022 10:00 UTC+8", zone_refusal("Dec 31 2022 10:00 UTC+8")),
        ("Nov 11 2022 10:00 GMT-5", zone_refusal("Nov 11 2022 10:00 GMT-5")),
        ("Nov 11 2022 10:00 GMT+99", zone_refusal("Nov 11 2022 10:00 GMT+99")),
        ("Nov 11 2022 10:00 GMT+0800", zone_refusal("Nov 11 2022 10:00 GMT+0800")),
        ("Nov 11 2022 10:00 UTC +0800", zone_refusal("Nov 11 2022 10:00 UTC +0800")),
        ("Nov 11 2022 10:00 CST+8", zone_refusal("Nov 11 2022 10:00 CST+8")),
        ("2022-11-11 10:00 +8", offset_refusal("2022-11-11 10:00 +8")),
        ("2022-11-11T10:00+8", offset_refusal("2022-11-11T10:00+8")),
        ("2022-11-11 10:00 -5", offset_refusal("2022-11-11 10:00 -5")),
        ("2022-11-11 10:00 +0", offset_refusal("2022-11-11 10:00 +0")),
        ("2022-11-11T10:00+24:00", offset_refusal("2022-11-11T10:00+24:00")),
        ("2022-11-11T10:00+99:00", offset_refusal("2022-11-11T10:00+99:00")),
        ("2022-11-11T10:00+05:60", offset_refusal("2022-11-11T10:00+05:60")),
        # words dateutil would skip, and what no reader reads
        ("Nov 11 2022 10:00 +08", offset_refusal("Nov 11 2022 10:00 +08")),
        ("Nov 11 2022 10:00 +0800 -0500", "invalid UTC offset in 'Nov 11 2022 10:00 +0800 "
         f"-0500': {OFFSET}"),
        ("Nov 11 2022 20:00-22", offset_refusal("Nov 11 2022 20:00-22")),
        # a range is two times, not a time and an offset
        ("Nov 11 2022 20:00-22:00", "invalid date 'Nov 11 2022 20:00-22:00': it holds more "
         "than one time of day"),
        ("2022-11-11 08:00-10:00", "invalid date '2022-11-11 08:00-10:00': it holds more than "
         "one time of day"),
        ("11/10/2022 20:00 - 22:00", "invalid date '11/10/2022 20:00 - 22:00': it holds more "
         "than one time of day"),
        ("Nov 11 2022 at 8pm", f"invalid date 'Nov 11 2022 at 8pm': {ACCEPTED}"),
        ("th Nov 11 2022", f"invalid date 'th Nov 11 2022': {ACCEPTED}"),
        ("Nov 11 th 2022", f"invalid date 'Nov 11 th 2022': {ACCEPTED}"),
        ("Nov 11 2022 on 20:00", f"invalid date 'Nov 11 2022 on 20:00': {ACCEPTED}"),
        ("11 of Nov 2022", f"invalid date '11 of Nov 2022': {ACCEPTED}"),
        ("Nov 11 2022 T 10:00", f"invalid date 'Nov 11 2022 T 10:00': {ACCEPTED}"),
        ("Nov 11 2022 13:00 pm", f"invalid date 'Nov 11 2022 13:00 pm': {ACCEPTED}"),
        ("2022-11-11_20:00", f"invalid date '2022-11-11_20:00': {ACCEPTED}"),
        ("soon", f"invalid date 'soon': {ACCEPTED}"),
        ("", f"invalid date '': {ACCEPTED}"),
        ("   ", f"invalid date '   ': {ACCEPTED}"),
        ("next someday", f"invalid date 'next someday': {ACCEPTED}"),
        ("晚上13点", f"invalid date '晚上13点': {ACCEPTED}"),
        ("今晚", "'今晚' says no hour: say which, as in 今晚8点"),  # tonight, but when?
        ("明天 晚上", "'明天 晚上' says no hour: say which, as in 明天 晚上8点"),
        ("今天下午", "'今天下午' says no hour: say which, as in 今天下午3点"),
        ("11月11日 晚上", "'11月11日 晚上' says no hour: say which, as in 11月11日 晚上8点"),
        ("双11晚上", "'双11晚上' says no hour: say which, as in 双11晚上8点"),
        ("2022-11-11 下午", "'2022-11-11 下午' says no hour: say which, as in 2022-11-11 下午3点"),
        ("2022/11/11 晚上13点", "impossible time in '2022/11/11 晚上13点': 晚上"
         " has no hour 13 (it has 5–11, 17–23)"),
        ("2022-11/11 20点", f"invalid date '2022-11/11 20点': {ACCEPTED}"),
        ("2022年6·18下午", "'2022年6·18下午' says no hour: say which, as in 2022年6·18下午3点"),
        ("今天晚上3点", "impossible time in '今天晚上3点': 晚上"
         " has no hour 3 (it has 5–11, 17–23)"),
        ("明天 24:30", "impossible date '明天 24:30': there is no time 24:30"),
        ("\x00\x01", f"invalid date '\\x00\\x01': {ACCEPTED}"),
        ("x" * 50, f"invalid date '{'x' * 37}...': {ACCEPTED}"),  # cut at 40
        # beyond the calendar
        ("+999999w", f"date out of range '+999999w': {ACCEPTED}"),
        ("+9000y", f"date out of range '+9000y': {ACCEPTED}"),
        ("9999-12-31 +1d", f"date out of range '9999-12-31 +1d': {ACCEPTED}"),
        # atheris: a time's digits past decimal's precision made dateutil raise
        # decimal.InvalidOperation, a traceback
        ("0:" + "1" * 30 + "66", f"date out of range '0:{'1' * 30}66': {ACCEPTED}"),
        ("9999-12-31T23:00-10:00", f"date out of range '9999-12-31T23:00-10:00': {ACCEPTED}"),
        ("Dec 31 9999 23:00 -1000", f"date out of range 'Dec 31 9999 23:00 -1000': {ACCEPTED}"),
        ("0001-01-01T00:00+08:00", f"date out of range '0001-01-01T00:00+08:00': {ACCEPTED}"),
        ("++1d", f"invalid date '++1d': {ACCEPTED}"),  # it named the '+' alone (a trial)
        ("+ -1d", f"invalid date '+ -1d': {ACCEPTED}"),
        ("99999999999999999999", "invalid date '99999999999999999999': a number of 20 digits is "
         "no date it reads (nor a Unix time); write the day as 2022-11-11"),
    ],
)  # fmt: skip
def test_refused_forms_say_why_in_one_line_naming_the_text(text, message):
    got = refusal(text)
    assert got == message
    assert "\n" not in got


@pytest.mark.parametrize(
    "text",
    ["2022-02-30", "Feb 30 2022", "2022-11-11 25:00", "2022-13-01 10:00", "31/02/2022",
     "2022-02-30T10:00", "Nov 31", "2022-11-11T10:00:61", "44876", "Nov 11 2022 10:00 +0860"],
)  # fmt: skip
def test_no_python_exception_text_reaches_a_user(text):
    for language in ("en", "zh"):
        from linkcheck import i18n

        i18n.choose(language)
        try:
            message = refusal(text)
        finally:
            i18n.choose(None)
        for python in ("out of range for month", "must be in", "ValueError", "Unknown string"):
            assert python not in message


def test_refusals_are_said_in_chinese():
    from linkcheck import i18n

    i18n.choose("zh")
    try:
        assert refusal("11/10/2022") == (
            "日期 '11/10/2022' 有歧义：可能是 2022-10-11，也可能是 2022-11-10；请写成 YYYY-MM-DD"
        )
        assert refusal("11月11日 晚上13点") == (
            "'11月11日 晚上13点' 中的时间不存在：晚上没有 13 点（只有 5–11, 17–23 点）"
        )
        assert refusal("soon").startswith("无法识别的日期 'soon'：可用 2022-11-11、")
        assert refusal("+9000y").startswith("日期超出范围 '+9000y'：可用 2022-11-11、")
        assert refusal("2022-02-30") == "不存在的日期 '2022-02-30'：2022-02 只有 28 天"
        assert refusal("Oct 2022 20:00") == "日期 'Oct 2022 20:00' 不完整：没写是几号"
        assert refusal("Mon, 11 Nov 2022") == (
            "'Mon, 11 Nov 2022' 写的是星期一，但 2022-11-11 是星期五"
        )
        assert refusal("Nov 11 2022 10:00 EST") == (
            "无法确定 'Nov 11 2022 10:00 EST' 的时区：不识别 EST、CST 这类时区名称和 UTC+N "
            "写法；请把时差写成 +08:00 或 +0800（UTC 写 Z 或 UTC）"
        )
    finally:
        i18n.choose(None)


# ASCII : ; , ? ( ) where a Chinese sentence needs its full-width ：；，？（）: after or before
# a Chinese character, or after a quoted text or a field ('{date}': …)
_HALF_WIDTH = re.compile(r"[\u4e00-\u9fff'}][:;,?(]|[:;,?)][\u4e00-\u9fff]")


def _messages(path: str) -> list[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return [node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("N_", "_")
            and node.args and isinstance(node.args[0], ast.Constant)]  # fmt: skip


@pytest.mark.reads_source  # the messages of the source files
@pytest.mark.parametrize("path", ["linkcheck/when.py", "linkcheck/cli/windows.py"])
def test_date_messages_in_chinese_have_full_width_punctuation(path):
    from linkcheck import i18n

    messages = _messages(path)
    assert len(messages) >= 3
    i18n.choose("zh")
    try:
        chinese = {message: i18n.gettext(message) for message in messages}
    finally:
        i18n.choose(None)
    assert [m for m, zh in chinese.items() if zh == m and re.search(r"[a-z]{3}", m)] == []
    assert {m: zh for m, zh in chinese.items() if _HALF_WIDTH.search(zh)} == {}


def test_a_date_may_be_64_characters_and_no_more():
    longest = "November" + " " * 49 + "11 2022"
    assert len(longest) == 64
    assert parse_when(longest, SH) == sh(2022, 11, 11)
    assert refusal("November" + " " * 50 + "11 2022").startswith(
        "invalid date 'November" + " " * 29 + "...': use 2022-11-11"
    )


# ---------------------------------------------------------------------- a checklist's cells


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("44876", sh(2022, 11, 11)),  # Excel's serial number of Double 11 2022
        ("44876.5", sh(2022, 11, 11, 12)),
        ("44876.75", sh(2022, 11, 11, 18)),
        ("44876.333333", sh(2022, 11, 11, 8)),  # to the nearest second
        ("44876.0000057", sh(2022, 11, 11, 0, 0, 0)),  # 0.49 s
        ("44876.0000058", sh(2022, 11, 11, 0, 0, 1)),  # 0.50 s
        ("20000", sh(1954, 10, 3)),  # the smallest serial read
        ("80000", sh(2119, 1, 11)),  # the largest
        ("60", None),
        ("19999", None),
        ("80000.5", None),
        ("80001", None),
        ("123456", None),
        ("４４８７６", sh(2022, 11, 11)),  # full-width digits
    ],
)
def test_an_excel_serial_number_in_a_cell_is_its_day(text, expected):
    if expected is None:
        assert refusal(text, CELLS).startswith(("impossible date", "incomplete date", "two-digit"))
        return
    assert read_when(text, SH, NOW, CELLS) == Reading(expected, serial=True)


def test_a_serial_number_is_a_date_only_in_a_cell():
    # outside a cell it is said to be one, with the day it would be (a second trial: 'no
    # such day or time in the calendar')
    assert refusal("44876") == (
        "invalid date '44876': an Excel serial number is read as a date in a checklist's "
        "cells only; write the day, such as 2022-11-11"
    )
    assert "no such day" in refusal("99999")  # not a serial date: as before


@pytest.mark.parametrize(
    ("option", "text", "expected"),
    [
        ("dayfirst", "11/10/2022", sh(2022, 10, 11)),
        ("DayFirst", "11/10/2022 20:30", sh(2022, 10, 11, 20, 30)),
        ("dayfirst", "10.11.2022", sh(2022, 11, 10)),
        ("dayfirst", "25/10/2022", sh(2022, 10, 25)),
        ("dayfirst", "2022-11-11", sh(2022, 11, 11)),  # unambiguous forms as always
        ("dayfirst", "2022/10/11 20:00", sh(2022, 10, 11, 20)),  # a year first: y-m-d
        ("dayfirst", "20221011 2000", sh(2022, 10, 11, 20)),
        ("dayfirst", "Nov 11 2022", sh(2022, 11, 11)),
        ("monthfirst", "11/10/2022", sh(2022, 11, 10)),
        ("monthfirst", "10.11.2022", sh(2022, 10, 11)),
        ("monthfirst", "10/25/2022", sh(2022, 10, 25)),
        (" monthfirst ", "2022-11-11", sh(2022, 11, 11)),
        ("%d/%m/%Y", "11/10/2022", sh(2022, 10, 11)),
        ("%d/%m/%Y %H:%M", "11/10/2022 20:30", sh(2022, 10, 11, 20, 30)),
        ("%m/%d/%Y %I:%M %p", "11/10/2022 08:30 PM", sh(2022, 11, 10, 20, 30)),
        ("%d %b %Y", "11 Nov 2022", sh(2022, 11, 11)),
        ("%d %B %Y %H:%M:%S.%f", "11 November 2022 20:00:00.5", sh(2022, 11, 11, 20, 0, 0, 500000)),
        ("%d/%m/%Y %H:%M %z", "11/11/2022 12:00 +0000", sh(2022, 11, 11, 20)),
        ("%Y%m%d", "20221111", sh(2022, 11, 11)),
        ("%d.%m.", "11.11.", sh(2026, 11, 11)),  # no year: the current one
        ("%d%%%m", "11%11", sh(2026, 11, 11)),
    ],
)  # fmt: skip
def test_a_column_read_in_one_style(option, text, expected):
    style = date_style(option)
    assert style.cells
    assert read_when(text, SH, NOW, style).at == expected


def test_a_format_without_a_year_says_which_year_it_gave():
    style = date_style("%d/%m", 2024)
    assert read_when("29/02", SH, NOW, style) == Reading(sh(2024, 2, 29), 2024)
    assert read_when("11/11", SH, NOW, date_style("%d/%m")) == Reading(sh(2026, 11, 11), 2026)
    assert read_when("11/11/2022", SH, NOW, date_style("%d/%m/%Y", 2024)).year is None


def test_in_a_column_style_serial_numbers_are_still_days():
    assert read_when("44876", SH, NOW, date_style("%d/%m/%Y")).at == sh(2022, 11, 11)
    assert read_when("44876", SH, NOW, date_style("dayfirst")).at == sh(2022, 11, 11)
    assert read_when("44876", SH, NOW, date_style(None)).at == sh(2022, 11, 11)


@pytest.mark.parametrize(
    ("option", "text", "message"),
    [
        ("%d/%m/%Y", "2022-11-11", "date '2022-11-11' does not match --date-format '%d/%m/%Y'"),
        ("%d/%m/%Y", "31/02/2022", "date '31/02/2022' does not match --date-format '%d/%m/%Y'"),
        ("%d/%m", "29/02", "date '29/02' does not match --date-format '%d/%m'"),  # 2026
        ("%d/%m/%Y", "today", "date 'today' does not match --date-format '%d/%m/%Y'"),
        ("dayfirst", "Oct 2022 20:00",
         "incomplete date 'Oct 2022 20:00': it names no day of the month"),
        ("monthfirst", "Nov 11 2022 EST", f"invalid date 'Nov 11 2022 EST': {ACCEPTED}"),
    ],
)  # fmt: skip
def test_a_cell_not_in_the_column_style_is_refused_saying_so(option, text, message):
    assert refusal(text, date_style(option)) == message


def test_an_ambiguous_cell_says_how_to_read_the_column():
    assert refusal("11/10/2022", CELLS) == (
        "ambiguous date '11/10/2022': it could be 2022-10-11 or 2022-11-10; write it as "
        "YYYY-MM-DD, or read the column with --date-format dayfirst or monthfirst"
    )


@pytest.mark.parametrize(
    "option",
    ["%d", "%m/%Y", "%b %Y", "", "yearfirst", "%d/%m/%y", "%d/%m/%Y %I:%M", "%d/%m/%Y %p",
     "%d/%m/%Y %Q", "%j/%Y", "%a %d/%m/%Y", "%B %Y"],
)  # fmt: skip
def test_a_date_format_must_name_a_day_and_a_month(option):
    with pytest.raises(DateError) as info:
        date_style(option)
    assert str(info.value) == (
        f"'{option}': use dayfirst, monthfirst or a strptime format with %d, a month (%m, %b "
        "or %B) and %Y or no year, such as %d/%m/%Y %H:%M"
    )


def test_date_styles():
    assert date_style(None) == DateStyle(cells=True)
    assert date_style(None, 2022, cells=False) == DateStyle(year=2022)
    assert date_style("dayfirst") == DateStyle(order="dayfirst", cells=True)
    assert date_style("MONTHFIRST", 2021) == DateStyle(order="monthfirst", year=2021, cells=True)
    assert date_style("%d/%b", 2020) == DateStyle(format="%d/%b", year=2020, cells=True)
    assert date_style("%d/%B/%Y").format == "%d/%B/%Y"
    assert DateStyle() == PLAIN and DateStyle(cells=True) == CELLS


# ---------------------------------------------------------------------- zones


@pytest.mark.parametrize(
    "machine", [("CST", "CST"), ("UTC", "UTC"), ("EST", "EDT"), ("GMT", "BST")]
)
def test_the_machine_zone_names_change_nothing(monkeypatch, machine):
    """dateutil reads a zone name that the machine's zone bears as the machine's zone (CST in
    Shanghai, GMT in London): linkcheck never lets it."""
    monkeypatch.setattr(time, "tzname", machine)
    assert refusal("Nov 11 2022 10:00 CST").startswith("unsure of the time zone")
    assert refusal("Nov 11 2022 10:00 EST").startswith("unsure of the time zone")
    assert parse_when("Nov 11 2022 10:00 UTC", SH) == sh(2022, 11, 11, 18)
    assert parse_when("Nov 11 2022 10:00 GMT", SH) == sh(2022, 11, 11, 18)
    assert parse_when("Nov 11 2022 10:00", SH) == sh(2022, 11, 11, 10)


@pytest.mark.parametrize(
    "name", ["America/Los_Angeles", "Pacific/Kiritimati", "UTC", "Asia/Kathmandu"]
)
def test_every_form_resolves_in_the_zone_it_is_given(name):
    tz = ZoneInfo(name)
    assert parse_when("Nov 11 2022", tz) == datetime(2022, 11, 11, tzinfo=tz)
    assert parse_when("2022-W45-5T20:00", tz) == datetime(2022, 11, 11, 20, tzinfo=tz)
    assert parse_when("2022-11-11T12:00:00Z", tz) == datetime(2022, 11, 11, 12, tzinfo=UTC)
    assert parse_when("今天", tz, NOW).date() == NOW.astimezone(tz).date()


def test_an_offset_is_kept_exactly():
    got = parse_when("Nov 11 2022 10:00 -0930", SH)
    assert got == datetime(2022, 11, 11, 10, tzinfo=timezone(-timedelta(hours=9, minutes=30)))


# ---------------------------------------------------------------------- what is loaded


def test_the_fast_forms_use_no_pattern_and_no_dateutil(monkeypatch):
    """A cold `check --on 2022-11-11` compiles no regular expression and imports no
    dateutil; anything else that looks like it but is not plain ASCII does not take that
    path."""
    from linkcheck import when

    class NoPatterns:
        def __getattr__(self, name):
            raise AssertionError(f"pattern {name} used")

    monkeypatch.setattr(when, "_RE", NoPatterns())
    for module in [m for m in sys.modules if m == "dateutil" or m.startswith("dateutil.")]:
        monkeypatch.setitem(sys.modules, module, None)  # `import dateutil…` fails
    monkeypatch.setitem(sys.modules, "dateutil", None)
    when._dateutil.cache_clear()
    try:
        for text, expected in [("2022-11-11", sh(2022, 11, 11)), ("1999-01-31", sh(1999, 1, 31)),
                               ("2022/11/11", sh(2022, 11, 11)), ("20221111", sh(2022, 11, 11)),
                               ("now", sh(2026, 3, 5, 1, 30)), ("today", sh(2026, 3, 5)),
                               ("tomorrow", sh(2026, 3, 6))]:  # fmt: skip
            assert parse_when(text, SH, NOW) == expected
        assert refusal("2022-02-30") == "impossible date '2022-02-30': 2022-02 has 28 days"
        # every character but the separators must be an ASCII digit (١ is an Arabic-Indic one)
        odd = ["2022-x1-11", "2022-11-x1", "2022-١1-11", "2022-11-١1", "２０２２-11-11", "2022111١"]
        for text in ["2022-11-1x", "20221-1-11", "2022-11-11 ", "2022_11_11", "2022-11/11",
                     "2022/11-11", *odd]:  # fmt: skip
            with pytest.raises(AssertionError, match="pattern"):
                parse_when(text, SH, NOW)
        for text in ["202211111", "2022111"]:  # numbers no date is written as: refused
            assert refusal(text).endswith("digits is no date it reads (nor a Unix time); "
                                          "write the day as 2022-11-11")  # fmt: skip
    finally:
        when._dateutil.cache_clear()


def test_patterns_are_compiled_once_on_first_use():
    from linkcheck.when import _PATTERNS, _Lazy

    lazy = _Lazy()
    assert "iso" not in vars(lazy)
    pattern = lazy.iso
    assert pattern.pattern == _PATTERNS["iso"][0]
    assert vars(lazy)["iso"] is pattern  # kept: the next use does not compile again
    assert lazy.iso is pattern
    assert lazy.iso.fullmatch("2022-11-11T10:00:00+08:00")["sep"] == "T"
    with pytest.raises(KeyError):
        lazy.no_such_pattern  # noqa: B018


def test_shown_at():
    assert shown_at(sh(2022, 11, 11)) == "2022-11-11"
    assert shown_at(sh(2022, 11, 11, 20)) == "2022-11-11 20:00"
    assert shown_at(sh(2022, 11, 11, 0, 1)) == "2022-11-11 00:01"
    assert shown_at(sh(2022, 11, 11, 20, 0, 5)) == "2022-11-11 20:00:05"
    assert shown_at(sh(2022, 11, 11, 0, 0, 0, 1)) == "2022-11-11 00:00"


def test_unknown_zone_is_a_date_error():
    with pytest.raises(DateError, match="Mars/Olympus"):
        zone("Mars/Olympus")


def test_messages_are_english_under_english():
    with english():
        assert refusal("soon").startswith("invalid date 'soon'")


# ---------------------------------------------------------------------- edges (mutation tests)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0001-01-02", datetime(1, 1, 2, tzinfo=SH)),  # the calendar's first year
        ("2022年11月11日 23:59", sh(2022, 11, 11, 23, 59)),  # the last minute of a day
        ("Nov 11 2022 10:00 +2300", sh(2022, 11, 10, 19)),  # the largest offset
        ("Nov 11 2022 10:00 -23:59", sh(2022, 11, 12, 17, 59)),
    ],
)
def test_the_edges_of_the_calendar_and_the_clock(text, expected):
    assert parse_when(text, SH, NOW) == expected


@pytest.mark.parametrize(
    ("text", "days"),
    [("1900-02-29", 28), ("2100-02-29", 28), ("2023-02-29", 28), ("2022-06-31", 30),
     ("2022-09-31", 30), ("2022-11-31", 30), ("9999-12-32", 31), ("2022-07-32", 31)],
)  # fmt: skip
def test_the_days_of_each_month_as_the_gregorian_calendar_counts_them(text, days):
    """Leap years by the century rule (1900 and 2100 are not, 2000 and 2400 are); the
    30-day months; the fast form is read by linkcheck's own count, not by calendar."""
    assert refusal(text) == f"impossible date '{text}': {text[:7]} has {days} days"
    assert parse_when(text[:8] + f"{days:02d}", SH) == sh(int(text[:4]), int(text[5:7]), days)
    for leap in ("2000-02-29", "2400-02-29", "2024-02-29", "1600-02-29"):
        assert parse_when(leap, SH).day == 29


def test_a_festival_s_impossible_time_names_the_text():
    assert (
        refusal("双11 晚上13点") == "impossible time in '双11 晚上13点': 晚上"
        " has no hour 13 (it has 5–11, 17–23)"
    )


def test_the_clock_is_utc():
    from linkcheck.when import clock

    assert clock().tzinfo is UTC


def test_a_relative_step_from_a_cell_reads_its_base_in_the_cell_s_style():
    assert read_when("11月11日 +1d", SH, NOW, DateStyle(year=2022)) == Reading(
        sh(2022, 11, 12), 2022
    )
    assert read_when("44876 +1d", SH, NOW, CELLS) == Reading(sh(2022, 11, 12), serial=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nov 11 2022 10:00z", sh(2022, 11, 11, 18)),  # dateutil's lowercase UTC
        ("Nov 11 2022 10:00 -0000", sh(2022, 11, 11, 18)),
        ("Nov 11 2022 10:00 +00:00", sh(2022, 11, 11, 18)),
        ("Nov 11 2022 10:00 -0800", sh(2022, 11, 12, 2)),
    ],
)
def test_utc_and_offsets_in_free_form(text, expected):
    assert parse_when(text, SH, NOW) == expected


def test_a_format_without_a_year_takes_the_platform_zone_s_current_year():
    late = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)  # 2027 in Shanghai
    assert read_when("11/11", SH, late, date_style("%d/%m")).at == sh(2027, 11, 11)
    far = datetime(2030, 6, 1, tzinfo=UTC)
    assert read_when("11/11", SH, far, date_style("%d/%m")).at == sh(2030, 11, 11)


def test_a_format_with_every_directive_is_a_style():
    form = "%d %m %b %B %Y %H %I %M %S %f %p %z %%"
    assert date_style(form) == DateStyle(format=form, cells=True)


def test_long_formats_are_cut_in_messages():
    form = "%d/%m/%Y " + "x" * 45
    assert refusal("11/11/2022", date_style(form)) == (
        f"date '11/11/2022' does not match --date-format '{form[:37]}...'"
    )
    bad = "%Q" + "y" * 45
    with pytest.raises(DateError) as info:
        date_style(bad)
    assert str(info.value).startswith(f"'{bad[:37]}...': use dayfirst")


def test_a_formatted_cell_beyond_the_calendar_is_out_of_range():
    style = date_style("%d/%m/%Y %H:%M %z")
    assert refusal("31/12/9999 23:00 -1000", style) == (
        f"date out of range '31/12/9999 23:00 -1000': {ACCEPTED}"
    )


# ---------------------------------------------------------------------- docs/dates.md


def _table_examples(heading: str, column: int) -> list[tuple[str, list[str]]]:
    """(first cell, the `code` examples of `column`) of each row of the table under
    `heading` in docs/dates.md; an example with … is a part of one and is left out."""
    text = (ROOT / "docs" / "dates.md").read_text(encoding="utf-8")
    table = text.split(f"\n{heading}\n", 1)[1].split("\n#", 1)[0]
    rows = [line.split(" | ") for line in table.splitlines() if line.startswith("| ")][1:]
    return [(row[0].strip("| "), [e for e in re.findall(r"`([^`]+)`", row[column])
                                  if "…" not in e]) for row in rows]  # fmt: skip


@pytest.mark.parametrize("heading", ["## Accepted forms", "### 可用的写法"])
def test_every_example_of_the_accepted_forms_table_is_read(heading):
    """The table (English, and the Chinese section's own) is what the reader does."""
    rows = _table_examples(heading, 1)
    assert len(rows) == 13
    for form, examples in rows:
        assert examples, form
        cells = "Excel" in form
        for example in examples:
            reading = read_when(example, SH, NOW, CELLS if cells else PLAIN)
            assert reading.at.tzinfo is SH, example
            if cells:  # a serial number is a date in a checklist cell only
                with pytest.raises(DateError):
                    read_when(example, SH, NOW, PLAIN)


@pytest.mark.parametrize("heading", ["## Refused, with the reason", "### 会被拒绝的写法"])
def test_every_example_of_the_refused_table_is_refused(heading):
    rows = _table_examples(heading, 0)
    examples = [e for first, _ in rows for e in re.findall(r"`([^`]+)`", first) if "…" not in e]
    assert len(examples) == 18
    for example in examples:
        refusal(example)  # raises DateError, or the test fails
