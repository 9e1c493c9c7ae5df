"""Dates against python-dateutil and against the machine: every textual form of a random
instant reads back as that instant; a random date-like text is refused or read as dateutil
reads it when dateutil used every word of it and filled nothing; and neither the machine's
`TZ` nor a cold start changes what is read or loaded."""

from __future__ import annotations

import email.utils
import json
import os
import subprocess
import sys
import warnings
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkcheck.errors import DateError
from linkcheck.when import parse_when

from .helpers import examples

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 4, 17, 30, tzinfo=UTC)
PLATFORM_ZONES = ["Asia/Shanghai", "America/Los_Angeles", "Europe/London", "Pacific/Kiritimati",
                  "Asia/Kathmandu", "America/St_Johns", "UTC"]  # fmt: skip
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip


def _offset(minutes: int, colon: bool) -> str:
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{':' if colon else ''}{mins:02d}"


def _forms(local: datetime, minutes: int) -> list[str]:
    """`local` (wall time at UTC offset `minutes`) in every textual form with a zone: ISO
    extended, basic and week dates, fractions, RFC 2822, English month names."""
    ext, basic = _offset(minutes, True), _offset(minutes, False)
    year, week, day = local.isocalendar()
    month = MONTHS[local.month - 1]
    hour12 = local.hour % 12 or 12
    ampm = "AM" if local.hour < 12 else "PM"
    forms = [
        f"{local:%Y-%m-%dT%H:%M:%S}{ext}",
        f"{local:%Y-%m-%d %H:%M:%S}{basic}",
        f"{local:%Y%m%dT%H%M%S}{basic}",
        f"{local:%Y-%m-%dT%H:%M:%S}.{local.microsecond:06d}{ext}",
        f"{year:04d}-W{week:02d}-{day}T{local:%H:%M:%S}{ext}",
        f"{year:04d}W{week:02d}{day}T{local:%H%M%S}{basic}",
        email.utils.format_datetime(local),  # RFC 2822: Fri, 11 Nov 2022 20:00:00 +0800
        f"{month[:3]} {local.day}, {local.year} {hour12}:{local:%M:%S} {ampm} {basic}",
        f"{local.day} {month} {local.year} {local:%H:%M:%S} {ext}",
        f"{month} {local.day} {local.year} {local:%H:%M:%S} {basic}",
    ]
    if minutes == 0:
        forms += [f"{local:%Y-%m-%dT%H:%M:%S}Z", f"{month[:3]} {local.day} {local.year} "
                  f"{local:%H:%M:%S} UTC", f"{local:%a, %d %b %Y %H:%M:%S} GMT"]  # fmt: skip
    return forms


@settings(max_examples=examples(300), deadline=None)
@given(
    instant=st.datetimes(min_value=datetime(1900, 1, 3), max_value=datetime(2200, 12, 28)),
    minutes=st.integers(-14 * 60, 14 * 60),
    platform=st.sampled_from(PLATFORM_ZONES),
)
def test_every_textual_form_of_an_instant_reads_back_as_that_instant(instant, minutes, platform):
    zone = timezone(timedelta(minutes=minutes))
    local = instant.replace(tzinfo=zone)
    tz = ZoneInfo(platform)
    for text in _forms(local, minutes):
        got = parse_when(text, tz, NOW)
        fraction = f".{local.microsecond:06d}" in text  # the other forms: whole seconds
        expected = local if fraction else local.replace(microsecond=0)
        # compared in UTC: Python never finds an instant in a zone's repeated hour equal to
        # one in another zone (PEP 495)
        assert got.astimezone(UTC) == expected.astimezone(UTC), text
        assert got.tzinfo is tz, text


@settings(max_examples=examples(200), deadline=None)
@given(
    day=st.dates(min_value=datetime(1900, 1, 1).date(), max_value=datetime(2200, 12, 31).date()),
    platform=st.sampled_from(PLATFORM_ZONES),
)
def test_every_textual_form_of_a_day_is_its_midnight_in_the_platform_zone(day, platform):
    tz = ZoneInfo(platform)
    month = MONTHS[day.month - 1]
    year, week, weekday = day.isocalendar()
    expected = datetime(day.year, day.month, day.day, tzinfo=tz)
    for text in [day.isoformat(), f"{day:%Y/%m/%d}", f"{day:%Y%m%d}", f"{month} {day.day}, "
                 f"{day.year}", f"{day.day} {month[:3]} {day.year}", f"{year:04d}-W{week:02d}-"
                 f"{weekday}", f"{day.year}年{day.month}月{day.day}日", f"{day:%a}, {day.day} "
                 f"{month} {day.year}"]:  # fmt: skip
        assert parse_when(text, tz, NOW) == expected, text


# ---------------------------------------------------------------------- against dateutil

_WORDS = ["Nov", "November", "nov", "Feb", "Fri", "Friday", "Mon", "2022", "1999", "11", "29",
          "30", "31", "13", "1", "0", "20", "8", "12", "99", "20:00", "8:05:09", "20:00:00.5",
          "12:30", "am", "PM", "UTC", "GMT", "Z", "EST", "CST", "+0800", "+08:00", "-0530", "+8",
          "UTC+8", "GMT-5", "at", "on", "of", "next", "T", "th", "2022-11-11", "11/10/2022",
          "20221111", "10.11.2022"]  # fmt: skip
_SEPARATORS = [" ", " ", ", ", "/", "-", ".", ":", ""]
# two defaults that differ in every field dateutil may fill
_D1, _D2 = datetime(2000, 1, 1), datetime(1972, 12, 28)


@st.composite
def word_soup(draw) -> str:
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=7))
    text = words[0]
    for word in words[1:]:
        text += draw(st.sampled_from(_SEPARATORS)) + word
    return text


@st.composite
def shaped(draw) -> str:
    """A date in one of the shapes people write, its fields drawn past their ranges, with
    or without a time and a zone, and sometimes a stray word."""
    y = draw(st.sampled_from([1999, 2022, 2024, 22, 2100]))
    m, d = draw(st.integers(0, 13)), draw(st.integers(0, 32))
    mon = draw(st.sampled_from(MONTHS))[: draw(st.sampled_from([3, 9]))]
    wd = draw(st.sampled_from(["Mon", "Fri", "Friday", "Sat"]))
    text = draw(st.sampled_from([f"{mon} {d} {y}", f"{d} {mon} {y}", f"{mon} {d}, {y}",
                                 f"{y}-{m:02d}-{d:02d}", f"{d}/{m}/{y}", f"{m}.{d}.{y}",
                                 f"{wd}, {d} {mon} {y}", f"{y}/{m}/{d}", f"{mon} {d}",
                                 f"{d}-{mon}-{y}", f"{mon} {y}", f"{d} {mon}"]))  # fmt: skip
    h, mi, sec = draw(st.integers(0, 25)), draw(st.integers(0, 61)), draw(st.integers(0, 61))
    text += draw(st.sampled_from(["", f" {h}:{mi:02d}", f" {h}:{mi:02d}:{sec:02d}",
                                  f" {h % 13}{draw(st.sampled_from(['am', 'PM']))}",
                                  f" {h}:{mi:02d}:{sec:02d}.{mi}"]))  # fmt: skip
    text += draw(
        st.sampled_from(
            [
                "",
                "",
                " UTC",
                " GMT",
                "Z",
                " EST",
                " CST",
                " +0800",
                " +08:00",
                " -0530",
                " +8",
                " UTC+8",
                " GMT-5",
                " +2400",
            ]
        )
    )
    if draw(st.booleans()):
        words = text.split(" ")
        words.insert(draw(st.integers(0, len(words))), draw(st.sampled_from(_WORDS)))
        text = " ".join(words)
    return text


date_like = st.one_of(word_soup(), shaped(), shaped())


def dateutil_exact(text: str) -> datetime | None:
    """dateutil.parser.parse's reading of `text` (defaults as shipped) when it used every
    word (nothing but separators skipped) and filled nothing (two defaults agree); None
    when it cannot read it or would guess."""
    from dateutil import parser

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            first = parser.parse(text, default=_D1)
            second = parser.parse(text, default=_D2)
            skipped = parser.parse(text, default=_D1, fuzzy_with_tokens=True)[1]
        except (ValueError, OverflowError):
            return None
    if first != second or any(token.strip(" ,.-/:") for token in skipped):
        return None
    return first


@settings(max_examples=examples(1500), deadline=None)
@given(text=date_like)
def test_a_random_text_is_refused_or_read_as_dateutil_reads_it(text):
    try:
        got = parse_when(text, SH, NOW)
    except DateError as exc:
        assert "\n" not in str(exc)
        return
    expected = dateutil_exact(text)
    if expected is None:
        return  # a form dateutil does not read, or reads only by guessing: linkcheck's own
    if expected.tzinfo is None:
        expected = expected.replace(tzinfo=SH)
    assert got == expected, text


@pytest.mark.parametrize(
    "text",
    ["Nov 11 2022", "Fri, 11 Nov 2022 20:00:00 +0800", "Nov 11, 2022 8:00 PM", "25/10/2022",
     "2022-11-11 20:00", "11 November 2022 20:00", "Nov 11 2022 10:00 UTC", "2022.11.11"],
)  # fmt: skip
def test_accepted_free_forms_are_dateutil_s_exact_readings(text):
    expected = dateutil_exact(text)
    assert expected is not None
    got = parse_when(text, SH, NOW)
    assert got == (expected if expected.tzinfo else expected.replace(tzinfo=SH))


@pytest.mark.parametrize(
    ("text", "misread"),
    [
        ("Dec 31 2022 10:00 UTC+8", datetime(2022, 12, 31, 18, tzinfo=UTC)),  # sign inverted
        ("Dec 31 2022 10:00 GMT+0800", datetime(2022, 12, 31, 18, tzinfo=UTC)),
        ("Oct 2022 20:00", datetime(2022, 10, 1, 20)),  # the day from the default
        ("Nov 11 2022 10:00 +05:60", datetime(2022, 11, 11, 4, tzinfo=UTC)),  # read as +06:00
        ("Mon, 11 Nov 2022", datetime(2022, 11, 11)),  # the weekday ignored
        ("Nov 11 2022 at 8pm", datetime(2022, 11, 11, 20)),  # a word skipped
        ("11/10/2022", datetime(2022, 11, 10)),  # month-first, silently
        ("11 Nov 22", datetime(2022, 11, 11)),  # the century guessed
    ],
)
def test_what_dateutil_alone_misreads_is_refused(text, misread):
    from dateutil import parser

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert parser.parse(text, default=datetime(2026, 10, 1)) == misread
    with pytest.raises(DateError):
        parse_when(text, SH, NOW)


# ---------------------------------------------------------------------- processes

_TEXTS = ["2022-11-11", "Nov 11 2022 10:00 UTC", "Nov 11 2022 10:00 CST", "Nov 11 2022 10:00 GMT",
          "Nov 11 2022 10:00 EST", "Fri, 11 Nov 2022 20:00:00 +0800", "Nov 11", "11/10/2022",
          "2022-11-11 20:00", "20221111T200000+0800", "双11 晚上8点", "+1m", "next friday",
          "下周五", "Nov 11 2022 10:00 PST", "Nov 11 2022 10:00 BST", "11 Nov 22"]  # fmt: skip
_READ = """
import json, sys
from datetime import datetime, UTC
from zoneinfo import ZoneInfo
from linkcheck.errors import DateError
from linkcheck.when import parse_when
out = []
for text in json.loads(sys.argv[1]):
    try:
        out.append(parse_when(text, ZoneInfo("Asia/Shanghai"),
                              datetime(2026, 3, 4, 17, 30, tzinfo=UTC)).isoformat())
    except DateError as exc:
        out.append(str(exc))
print(json.dumps(out))
"""


def _read_in(tz: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LINKCHECK_RULES",)}
    env["TZ"] = tz
    result = subprocess.run([sys.executable, "-c", _READ, json.dumps(_TEXTS)], env=env,
                            capture_output=True, text=True, timeout=120, check=True)  # fmt: skip
    return json.loads(result.stdout)


@pytest.mark.subprocess
@pytest.mark.parametrize("tz", ["Asia/Shanghai", "America/New_York", "Europe/London",
                                "Pacific/Kiritimati", "America/Chicago"])  # fmt: skip
def test_far_away_machine_zones_read_the_same(tz):
    """CST is the machine's own zone name in Shanghai and Chicago, EST in New York, GMT and
    BST in London: dateutil alone would read each as the machine's zone."""
    got = _read_in(tz)
    assert got == _read_in("UTC")
    assert got[1] == "2022-11-11T18:00:00+08:00"  # UTC is UTC everywhere
    assert got[2].startswith("unsure of the time zone")  # CST is never the machine's
    assert got[6] == "2026-11-11T00:00:00+08:00"


@pytest.mark.subprocess
def test_a_cold_check_with_a_fast_date_imports_no_dateutil(tmp_path):
    script = (
        "import sys\n"
        "sys.argv = ['linkcheck', 'check', 'tmall', '--on', sys.argv[1], '--format', 'plain']\n"
        "from linkcheck.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('dateutil', 'rich'))\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "LINKCHECK_RULES"}
    for when, dateutil in [("2022-11-11", False), ("2022/11/11", False), ("20221111", False),
                           ("now", False), ("today", False), ("Nov 11 2022", True)]:  # fmt: skip
        result = subprocess.run([sys.executable, "-c", script, when], env=env, cwd=tmp_path,
                                capture_output=True, text=True, timeout=120)  # fmt: skip
        assert result.stdout.startswith(("allowed\t", "unknown\t")), result.stderr
        loaded = result.stderr.split("LOADED ", 1)[1]
        assert "rich" not in loaded, when
        assert ("dateutil" in loaded) == dateutil, (when, loaded)


@pytest.mark.subprocess
def test_a_cold_check_with_an_iso_date_imports_only_what_it_uses(tmp_path):
    """calendar (with locale) and dataclasses cost a cold `check --on 2022-11-11` a few ms
    and are not needed to read that date, nor is the link parser (its patterns) to read a
    source's name: linkcheck's cold path adds none of them to what click itself loads
    (compared with a process that imports click alone, so a click that loads one of them
    one day does not fail this test)."""
    probe = (
        "import sys\n"
        "if sys.argv[1] == 'check':\n"
        "    sys.argv = ['linkcheck', 'check', 'tmall', '--on', '2022-11-11', '--format',"
        " 'plain']\n"
        "    from linkcheck.cli import main\n"
        "    try:\n        main()\n    except SystemExit:\n        pass\n"
        "else:\n    import click\n"
        "print('LOADED', sorted(sys.modules), file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "LINKCHECK_RULES"}
    loaded = {}
    for what in ("check", "click"):
        result = subprocess.run([sys.executable, "-c", probe, what], env=env, cwd=tmp_path,
                                capture_output=True, text=True, timeout=120)  # fmt: skip
        assert result.returncode == 0, result.stderr
        loaded[what] = set(json.loads(result.stderr.split("LOADED ", 1)[1].replace("'", '"')))
    assert "linkcheck.when" in loaded["check"]  # the date was read in that process
    added = loaded["check"] - loaded["click"]
    assert added & {"calendar", "dataclasses", "locale", "linkcheck.links"} == set()


@settings(max_examples=examples(200))
@given(
    day=st.dates(min_value=datetime(1901, 1, 1).date(), max_value=datetime(2099, 12, 31).date()),
    named=st.integers(0, 6),
    way=st.sampled_from(["{y}年{m}月{d}日星期{w}", "{y}/{m:02d}/{d:02d} 周{w}",
                         "{y}-{m:02d}-{d:02d}（礼拜{w}）"]),
)  # fmt: skip
def test_a_chinese_weekday_after_a_date_is_checked_against_it(day, named, way):
    """Excel's Chinese long date (2022年11月11日星期五): the day it names, when the weekday
    is the date's own; refused when it is not — never the one or the other silently."""
    text = way.format(y=day.year, m=day.month, d=day.day, w="一二三四五六日"[named])
    if named == day.weekday():
        assert parse_when(text, SH).date() == day
    else:
        with pytest.raises(DateError, match="names a"):
            parse_when(text, SH)


@settings(max_examples=examples(200), deadline=None)
@given(
    day=st.dates(min_value=datetime(1000, 1, 1).date(), max_value=datetime(9999, 12, 30).date()),
    form=st.sampled_from(
        [
            "{d:%Y-%m-%d} 24:00",
            "{d:%Y-%m-%d}T24:00",
            "{d:%Y/%m/%d} 24:00",
            "{d:%Y/%m/%d} 24:00:00",
            "{d:%b} {d.day} {d:%Y} 24:00",
            "{d.year}年{d.month}月{d.day}日24点",
            "{d.year}年{d.month}月{d.day}日 24:00",
            "{d:%Y-%m-%d} 24点",
        ]
    ),
    zone=st.sampled_from(["Asia/Shanghai", "America/Los_Angeles", "Pacific/Kiritimati", "UTC"]),
)
def test_24_00_is_the_next_days_first_instant_in_every_form(day, form, zone):
    tz = ZoneInfo(zone)
    text = form.format(d=day)
    at = parse_when(text, tz)
    following = day + timedelta(days=1)
    assert at == datetime(following.year, following.month, following.day, tzinfo=tz), text
