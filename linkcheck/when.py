"""Text → an instant in the platform's time zone, read exactly or refused (docs/dates.md).

The fastest forms (`2022-11-11`, `2022/11/11`, `20221111`, `now`, `today`) are read here
without importing anything; Chinese forms (`2022年11月11日`, `双11`, `晚上8点`, `下周五`) by
linkcheck's own grammar; every other form by python-dateutil — ISO 8601 through `isoparse`,
free-form English and RFC 2822 through `parser.parse` (never fuzzy), relative forms through
`relativedelta` — inside a guard that refuses what dateutil would otherwise guess: a word it
would skip, a year, month or day it would fill from its default, a zone it cannot place
exactly (`EST`, `UTC+8`, `+8`), a numeric date that reads both day-first and month-first.
Every form resolves in the zone it is given (the platform's), never the machine's `TZ`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import DateError, shown
from .i18n import N_, Deferred
from .names import simplified, trimmed

ACCEPTED = Deferred(
    N_(
        "use 2022-11-11, '2022-11-11 20:00', 2022-11-11T20:00:00+08:00, 'Nov 11 2022 8:00 PM', "
        "'Fri, 11 Nov 2022 20:00:00 +0800', 2022-W45-5, 2022年11月11日, '11月11日 晚上8点', "
        "双11, today, now, +3d, -2w, +1m, 'next friday' or 下周五 (docs/dates.md lists them all)"
    )
)
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
            N_("Saturday"), N_("Sunday"))  # fmt: skip

_UNIT = r"(?:days?|weeks?|months?|years?|个月|[dwmy天周月年])"
# a Chinese time of day: 20:00, 20点, 8点半, 晚上8点30分, 晚8点, 晚上八点
# 24:00 (24:00:00) as a time of day: not 24:00:01, nor an offset (+24:00, or -24:00 after
# a space)
_DAY_END = r"(?<![\d+:])(?<!\s-)24:00(?::00)?(?![\d:.])"  # not 00:24:00's minutes
_CN_TIME = (
    r"(?:\s*(?P<part>凌晨|早上|上午|中午|下午|晚上|早|晚)?\s*(?P<h>\d{1,2}|[零一二两三四五六七八九十]{1,3})\s*"
    r"(?:[:点时]\s*(?:整|(?P<half>半)|(?P<mi>\d{1,2})\s*分?"
    r"(?:\s*(?::\s*(?P<sec>\d{1,2})|(?P<secs>\d{1,2})\s*秒))?)?))?"
)
_PATTERNS = {
    # ISO 8601 with a whole day (the rest is isoparse's to read): 2022-11-11, 20221111,
    # 2022-W45-5, 2022W455, then T or a space and a time with its offset
    "iso": (
        r"(?P<y>\d{4})(?:-(?P<m>\d{2})-(?P<d>\d{2})|(?P<cm>\d{2})(?P<cd>\d{2})"
        r"|-?W(?P<w>\d{2})-?(?P<wd>\d))(?:(?P<sep>[Tt ])\S+)?",
        0,
    ),
    "chinese": (
        r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?" + _CN_TIME,
        0,
    ),
    # a date written with - / or . and a Chinese time of day, as people and Chinese Excel
    # write them: 2022-11-11 晚上8点, 2022/11/11 下午8:00, 2022.11.11 20时 (20:00 alone is
    # ISO's, or dateutil's)
    "numeric_cn": (
        r"(?:(?P<y>\d{4})\s*(?P<s>[-/.])\s*)?(?P<m>\d{1,2})\s*(?(s)(?P=s)|[-/.])\s*"
        r"(?P<d>\d{1,2})(?=.*(?:凌晨|早|上午|中午|下午|晚|点|时))" + _CN_TIME,
        0,
    ),
    # shopping festivals: 双11 / 双十一 (Nov 11), 双12 (Dec 12), 618 / 6·18 (Jun 18)
    "festival": (
        r"(?:(?P<y>\d{4})\s*年?\s*)?(?:双\s*(?P<n>11|十一|12|十二)|(?P<j>6\s*[·・.]?\s*18))"
        + _CN_TIME,
        0,
    ),
    # a date (or today, when there is none) and steps: +3d, -2w, +1m, 2022-01-31 +1m
    "relative": (rf"(?P<base>.*?)\s*(?P<steps>(?:[+-]\s*\d{{1,6}}\s*{_UNIT}\s*)+)", 0),
    "step": (rf"(?P<sign>[+-])\s*(?P<n>\d{{1,6}})\s*(?P<unit>{_UNIT})", 0),
    # a weekday of the week before, this or the next, and a time of day (下周五 20:00)
    "weekday": (r"(?P<way>next|last)\s+(?P<day>[a-z]+)\.?" + _CN_TIME, 0),
    "cn_week": (
        r"(?P<way>上|下|本|这)个?(?:周|星期|礼拜)(?P<day>[一二三四五六日天])" + _CN_TIME,
        0,
    ),
    # a named day and a time of day: 今天晚上8点, 明天 20:00, tomorrow 20:00 (今晚8点 is
    # 今天晚上8点: _contracted)
    "day_time": (
        r"(?P<word>今天|今日|明天|明日|后天|昨天|昨日|前天|today|tomorrow|yesterday)" + _CN_TIME,
        0,
    ),
    # a named day and a part of it, but no hour: 今天晚上 (refused, saying so)
    "day_part": (
        r"(?:今天|今日|明天|明日|后天|昨天|昨日|前天)\s*(?:凌晨|早上|上午|中午|下午|晚上)",
        0,
    ),
    # a Chinese date or a festival and a part of the day, but no hour: 11月11日 晚上, 双11晚上
    "date_part": (
        r"(?:(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]?|\d{4}\s*([-/.])\s*\d{1,2}\s*\1\s*"
        r"\d{1,2}|(?:\d{4}\s*年?\s*)?"
        r"(?:双\s*(?:11|十一|12|十二)|6\s*[·・.]?\s*18))\s*(?:凌晨|早上|上午|中午|下午|晚上|早|晚)",
        0,
    ),
    # a date followed by its Chinese weekday, as Excel's Chinese long date writes it:
    # 2022年11月11日星期五, 2022/11/11 周五, 2022-11-11（周五）
    "cn_weekday_tail": (r"[\s,，]*[(（]?(?:星期|周|礼拜)(?P<day>[一二三四五六日天])[)）]?", 0),
    # an Excel serial date in a checklist cell: days since 1899-12-30, and a fraction of one
    "serial": (r"(?P<days>\d{5})(?:\.(?P<frac>\d+))?", 0),
    "ordinal": (r"(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE),
    # a time of day (20:00; 8:05:09 is one): not an offset (+08:00, or -05:00 after a space)
    "clock": (r"(?<![\d+])(?<!\s-)\d{1,2}:\d\d", 0),
    # a time of day that is the end of the day: 24:00, 24:00:00 (not 24:00:01, nor an offset)
    "day_end": (_DAY_END, 0),
    # 24:00 or 24点 in a text that was read (24点30 is refused): the written day's end
    "names_day_end": (_DAY_END + r"|(?<![\d十])(?:24|二十四)\s*[点时]", 0),
    "sign": (r"[+-]\s*\d", 0),
    # a month and day with a dot, as Chinese shops write festivals (11.11, 12.12): a decimal
    # number to dateutil
    "month_dot_day": (r"\d{1,2}\.\d{1,2}(?=\s|\Z)", 0),
    "year_first": (r"\d{4}(?!\d)|\d{8}", 0),
}
_UNITS = {"d": "days", "天": "days", "w": "weeks", "周": "weeks", "m": "months", "月": "months",
          "个": "months", "y": "years", "年": "years"}  # fmt: skip
# a Chinese part of the day → {hours it may be followed by: hours added}
_PARTS = {
    "凌晨": {h: 0 for h in range(0, 7)},
    "早上": {h: 0 for h in range(4, 12)},
    "上午": {h: 0 for h in range(0, 12)},
    "中午": {11: 0, 12: 0, 1: 12, 2: 12},
    "下午": {**{h: 12 for h in range(1, 12)}, **{h: 0 for h in range(13, 24)}},
    "晚上": {**{h: 12 for h in range(5, 12)}, **{h: 0 for h in range(17, 24)}},
}
_PARTS["早"], _PARTS["晚"] = _PARTS["早上"], _PARTS["晚上"]  # 早8点, 晚8点
_CN_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"两": 2}
SERIALS = (20000, 80000)  # the plain numbers of a date column read as Excel serial dates
_EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 0 (Excel's 1900 leap-year bug included)
# two defaults that differ in every field dateutil may fill, both leap years (Feb 29 reads)
_DEFAULTS = (datetime(2000, 1, 1), datetime(1972, 12, 28))


class _Lazy:
    """Patterns compiled on first use: a cold `check --on 2022-11-11` compiles none."""

    def __getattr__(self, name: str) -> re.Pattern:
        compiled = re.compile(*_PATTERNS[name])
        setattr(self, name, compiled)
        return compiled


_RE = _Lazy()
_WORDS = {
    "today": 0,
    "今天": 0,
    "今日": 0,
    "yesterday": -1,
    "昨天": -1,
    "昨日": -1,
    "前天": -2,
    "tomorrow": 1,
    "明天": 1,
    "明日": 1,
    "后天": 2,
}
_NOW = {"now", "现在", "此刻"}
# a day and a part of it said in one: 今晚 is 今天晚上
_CONTRACTED = {"今晚": "今天晚上", "明晚": "明天晚上", "昨晚": "昨天晚上", "今早": "今天早上",
               "明早": "明天早上", "今夜": "今天晚上", "明夜": "明天晚上"}  # fmt: skip
_DAY_STARTS = (*_WORDS, *_CONTRACTED)


class DateStyle(NamedTuple):
    """How dates are read beyond the forms every reader accepts: a checklist's date column
    (`cells`: Excel serial numbers are days), in one day-first or month-first order, or in
    one strptime `format`; `year` is the year of a date written without one (None: the
    current year in the platform's zone). A NamedTuple, not a dataclass: a cold `check`
    imports neither dataclasses nor calendar (tests/test_when_properties.py)."""

    order: str | None = None  # None (an ambiguous date is refused), dayfirst, monthfirst
    format: str | None = None
    year: int | None = None
    cells: bool = False


PLAIN = DateStyle()
CELLS = DateStyle(cells=True)
_DIRECTIVES = set("dmbBYHIMSfpz%")


def date_style(text: str | None, year: int | None = None, cells: bool = True) -> DateStyle:
    """The style `--date-format TEXT --year YEAR` asks for; DateError for a TEXT that is
    neither dayfirst, monthfirst nor a strptime format naming a day and a month."""
    if text is None or text.strip().lower() in ("dayfirst", "monthfirst"):
        order = text.strip().lower() if text else None
        return DateStyle(order=order, year=year, cells=cells)
    used = set(re.findall(r"%(.)", text))
    if (
        not used <= _DIRECTIVES
        or "d" not in used
        or not used & set("mbB")
        or ("I" in used) != ("p" in used)
    ):
        raise DateError(
            N_(
                "'{format}': use dayfirst, monthfirst or a strptime format "
                "with %d, a month (%m, %b or %B) and %Y or no year, such as %d/%m/%Y %H:%M"
            ),
            format=shown(text, 40),
        )
    return DateStyle(format=text, year=year, cells=cells)


class Reading(NamedTuple):
    """An instant read from a text, and what the reader supplied that the text did not."""

    at: datetime
    year: int | None = None  # the year given to a date written without one
    serial: bool = False  # the text was an Excel serial number
    relative: bool = False  # read against now: now, today, 今晚8点, +3d, next friday, 下周五


def clock() -> datetime:
    """Now, in UTC: the one place the time is read (the docs' examples fix it)."""
    return datetime.now(UTC)


# files of a system's zone folder that are no zone of their own: the machine's setting
# (localtime, posixrules: /etc/localtime on most systems), a zone of no place (Factory),
# copies of every zone under other rules (right/: with leap seconds, another clock)
_MACHINE_ZONES = ("localtime", "posixrules", "Factory")
_OTHER_CLOCKS = ("right/", "posix/")


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """An IANA zone by name; DateError naming it if there is no such zone (nor a file of the
    zone folder that is none: `localtime` read each machine's own setting, and one signed
    release answered differently on two machines — a trial)."""
    if name in _MACHINE_ZONES or name.startswith(_OTHER_CLOCKS):
        raise DateError(
            N_("'{name}' is a file of this machine's zone folder, not an IANA time zone "
               "(its answers would differ from machine to machine): use an IANA name such as "
               "Asia/Shanghai or UTC"),
            name=shown(name),
        )  # fmt: skip
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise DateError(
            N_("unknown time zone '{name}': use an IANA name such as Asia/Shanghai or UTC"),
            name=shown(name),
        ) from exc


def local_midnight(day: date, tz: tzinfo) -> datetime:
    """00:00 of `day` in `tz`, as an aware datetime."""
    return datetime(day.year, day.month, day.day, tzinfo=tz)


def is_midnight(at: datetime) -> bool:
    """Whether an instant is the first of a day in its own zone (a whole-day bound)."""
    return at.hour == at.minute == at.second == at.microsecond == 0


def parse_when(text: str, tz: tzinfo, now: datetime | None = None, *,
               year: int | None = None) -> datetime:  # fmt: skip
    """Read `text` as an instant; dates without a time are 00:00 in `tz`.

    `now` (aware) fixes the current instant for relative forms and forms without a year;
    `year` is the year of a form written without one (default: the current year in `tz`).
    The result is an aware datetime expressed in `tz`.
    """
    if not isinstance(text, str):  # None: 'object of type NoneType has no len()'
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if not isinstance(tz, tzinfo):  # None gave a naive datetime, where the result is aware
        raise TypeError(f"tz must be a tzinfo (ZoneInfo('Asia/Shanghai')), not "
                        f"{type(tz).__name__}")  # fmt: skip
    if now is not None and not isinstance(now, datetime):  # a date: no attribute 'tzinfo'
        raise TypeError(f"now must be a datetime, not {type(now).__name__}")
    check_year(year)
    return read_when(text, tz, now, DateStyle(year=year)).at


def check_year(year) -> None:
    """A year given for dates written without one: None, or a whole number of four digits
    (as --year takes; 0 read as no year, True as the year 1, 22 as the year 22)."""
    if year is None:
        return
    if not isinstance(year, int) or isinstance(year, bool):
        raise TypeError(f"year must be an int, not {type(year).__name__}")
    if not 1000 <= year <= 9999:
        raise ValueError(f"year must be from 1000 to 9999, not {year}")


def read_when(text: str, tz: tzinfo, now: datetime | None = None,
              style: DateStyle = PLAIN) -> Reading:  # fmt: skip
    """`text` as a Reading in `style` (see parse_when); DateError if it cannot be read."""
    if now is not None and now.tzinfo is None:  # a naive `now` is the zone's, as `text` is:
        now = now.replace(tzinfo=tz)  # never the machine's (astimezone would take it so)
    raw = digits = text
    if style.format is None and len(text) in (8, 10):  # YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD
        if text[4:5] == text[7:8] and text[4:5] in ("-", "/"):
            digits = text[:4] + text[5:7] + text[8:]
        if len(digits) == 8 and digits.isascii() and digits.isdigit():
            return Reading(_build(raw, tz, digits[:4], digits[4:6], digits[6:]))
    text = _normal(raw)
    if "周" in text or "星期" in text or "礼拜" in text:  # (no pattern compiled for the rest)
        tail = _RE.cn_weekday_tail.search(text)
        if tail and any(c.isdigit() for c in text[: tail.start()]):
            # after the date, or between it and its time (2022-11-11 星期五 晚上8点)
            rest = (text[: tail.start()] + " " + text[tail.end() :]).strip()
            return _weekday_checked(raw, read_when(rest, tz, now, style), tail, rest)
    if style.cells and text.startswith("="):  # a workbook's formula with no value saved
        raise DateError(
            N_("'{date}' is a formula, not a date: a workbook written by a program keeps no "
               "value for it; open and save it in Excel or WPS, or write the date"),
            date=_show(raw),
        )  # fmt: skip
    if style.cells and (m := _RE.serial.fullmatch(text)) and _is_serial(text):
        return _serial(m, tz)
    if text.isascii() and text.isdigit() and len(text) >= 7 and len(text) not in (8, 12, 14):
        # (YYYYMMDD, and with HHMM or HHMMSS, are read)
        # a Unix time (1668124800), an ordinal day (2022334): "impossible", dateutil's
        # reading of them as a year, said there was no such day (a trial)
        raise DateError(
            N_("invalid date '{date}': a number of {count} digits is no date it reads (nor a "
               "Unix time); write the day as 2022-11-11"),
            date=_show(raw), count=len(text),
        )  # fmt: skip
    if style.format is not None:
        return _strptime(raw, text, tz, now, style.format, style.year)
    key = text.casefold()
    current = (now or clock()).astimezone(tz)
    today = current.date()

    if key in _NOW:
        return Reading(current, relative=True)
    if key in _WORDS:
        return Reading(local_midnight(today + timedelta(days=_WORDS[key]), tz), relative=True)
    if key.startswith(_DAY_STARTS):  # 今晚8点, 明天 20:00: that day, at that time
        said = _CONTRACTED[key[:2]] + key[2:] if key[:2] in _CONTRACTED else key
        if (m := _RE.day_time.fullmatch(said)) and m["h"] is not None:
            on = today + timedelta(days=_WORDS[m["word"]])
            return _chinese(raw, tz, m, on.year, on.month, on.day, on.year)._replace(relative=True)
        if _RE.day_part.fullmatch(said):  # 今晚, 明天下午: a part of the day, but which hour?
            raise _no_hour(raw, text)
    if m := _RE.relative.fullmatch(key):
        return _relative(raw, m, tz, now, today, style)
    if m := _RE.weekday.fullmatch(key):
        on = _next_weekday(raw, m, tz, today)
        return _chinese(raw, tz, m, on.year, on.month, on.day, on.year)._replace(relative=True)
    if m := _RE.cn_week.fullmatch(text):
        on = _chinese_week(m, tz, today)
        return _chinese(raw, tz, m, on.year, on.month, on.day, on.year)._replace(relative=True)
    year = style.year or today.year
    if m := _RE.festival.fullmatch(text):
        month, day = (6, 18) if m["j"] else (11, 11) if m["n"] in ("11", "十一") else (12, 12)
        return _chinese(raw, tz, m, m["y"], month, day, year)
    if m := _RE.chinese.fullmatch(text) or _RE.numeric_cn.fullmatch(text):
        return _chinese(raw, tz, m, m["y"], m["m"], m["d"], year)
    if not text.isascii() and _RE.date_part.fullmatch(text):
        raise _no_hour(raw, text)
    if m := _RE.iso.fullmatch(text):
        if m["sep"] == " ":  # 2022-11-11 20:00-22:00 is a range, not an offset of -22:00
            _one_time(raw, text)
        if m["sep"] and text[m.end("sep") :].startswith("-"):  # 1999-01-01 -05:30, T-05:30
            raise DateError(
                N_("invalid date '{date}': a '-' right after the day may be an offset or "
                   "a time (dateutil reads -05:30 as 05:30); write both: "
                   "2022-11-11 00:00 -05:30"),
                date=_show(raw),
            )  # fmt: skip
        found = _iso(raw, text, tz, m)
        if found is not None:
            return found
        if m["sep"]:  # what isoparse does not read (a one-digit hour, +8, +24:00) is free-form
            text = text[: m.start("sep")] + " " + text[m.end("sep") :]
    if text[:1].isdigit() and (m := _RE.serial.fullmatch(text)) and _is_serial(text):
        shown_day = _serial(m, tz).at.date().isoformat()  # --on 44876: a cell's number, copied
        raise DateError(N_("invalid date '{date}': an Excel serial number is read as a date "
                           "in a checklist's cells only; write the day, such as {day}"),
                        date=_show(raw), day=shown_day)  # fmt: skip
    return _free_form(raw, text, tz, year, style)


def _normal(raw: str) -> str:
    """NFKC (full-width digits and letters as ASCII), stripped; at most 64 characters."""
    text = simplified(trimmed(unicodedata.normalize("NFKC", raw)))
    if not text or len(text) > 64:
        raise DateError(N_("invalid date '{date}': {accepted}"), date=_show(raw), accepted=ACCEPTED)
    return text


# an hour each part of the day takes, for the example of what to add (凌晨8点 is none)
_EXAMPLE_HOUR = {"凌晨": 2, "早上": 8, "上午": 10, "中午": 12, "下午": 3, "晚上": 8, "早": 8,
                 "晚": 8}  # fmt: skip


def _no_hour(raw: str, text: str) -> DateError:
    """A day and a part of it with no hour (今晚, 双11晚上): refused, with the hour to add."""
    hour = next((h for part, h in _EXAMPLE_HOUR.items() if text.endswith(part)), 8)
    return DateError(N_("'{date}' says no hour: say which, as in {example}"),
                     date=_show(raw), example=f"{text}{hour}点")  # fmt: skip


def _hours(part: str) -> str:
    """The hours a part of the day takes, as runs: 5–11, 17–23."""
    runs: list[list[int]] = []
    for hour in sorted(_PARTS[part]):
        if runs and hour == runs[-1][-1] + 1:
            runs[-1].append(hour)
        else:
            runs.append([hour])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _show(text: str) -> str:
    return shown(text, 40)


def _month_days(y: int, m: int) -> int:
    """The number of days of month m (1-12) of year y, as the Gregorian calendar counts."""
    if m == 2:
        return 29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def _calendar_problem(raw: str, y: int, m: int, d: int) -> DateError | None:
    """Why y-m-d is not in the calendar, as the error that says it; None if it is (the year
    has four digits at most wherever it comes from)."""
    if y == 0:
        return DateError(N_("impossible date '{raw}': there is no year {year}"),
                         raw=_show(raw), year=y)  # fmt: skip
    if not 1 <= m <= 12:
        return DateError(N_("impossible date '{raw}': there is no month {month}"),
                         raw=_show(raw), month=m)  # fmt: skip
    days = _month_days(y, m)
    if not 1 <= d <= days:
        return DateError(N_("impossible date '{raw}': {month} has {days} days"),
                         raw=_show(raw), month=f"{y:04d}-{m:02d}", days=days)  # fmt: skip
    return None


def _build(raw: str, tz: tzinfo, y, m, d, h=0, mi=0, s=0) -> datetime:
    """y-m-d h:mi:s in `tz`, from the digits of linkcheck's own forms."""
    y, m, d, h, mi, s = int(y), int(m), int(d), int(h), int(mi), int(s)
    problem = _calendar_problem(raw, y, m, d)
    if problem is not None:
        raise problem
    if h == 24 and mi == s == 0:  # 11月11日24点: the day's end, the next day's 00:00 (as ISO's)
        return _day_end(raw, datetime(y, m, d, tzinfo=tz))
    if h > 23 or mi > 59 or s > 59:
        time = f"{h:02d}:{mi:02d}" + (f":{s:02d}" if s else "")
        raise DateError(N_("impossible date '{raw}': there is no time {time}"),
                        raw=_show(raw), time=time)  # fmt: skip
    return datetime(y, m, d, h, mi, s, tzinfo=tz)


def _day_end(raw: str, day: datetime) -> datetime:
    """24:00 of `day` (its 00:00): the next day's 00:00, on the wall clock."""
    try:
        return day + timedelta(days=1)
    except OverflowError:
        raise _out_of_range(raw) from None


def _out_of_range(raw: str) -> DateError:
    return DateError(
        N_("date out of range '{date}': {accepted}"), date=_show(raw), accepted=ACCEPTED
    )


def _placed(raw: str, value: datetime, tz: tzinfo) -> datetime:
    """A datetime read from a text in `tz`: naive is wall time there, aware is converted."""
    if value.tzinfo is None:
        return value.replace(tzinfo=tz)
    try:
        return value.astimezone(tz)
    except OverflowError:
        raise _out_of_range(raw) from None


def shown_at(value: datetime) -> str:
    """A reading as the messages show it: the day, and the time when it has one."""
    if is_midnight(value):
        return value.date().isoformat()
    return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")


# ---------------------------------------------------------------------- linkcheck's own


def _chinese(raw: str, tz: tzinfo, m: re.Match, y, month, day, year: int) -> Reading:
    """A Chinese date (its year, or `year` when it has none) and its time of day."""
    hour = 0
    if m["h"] is not None:
        hour = _cn_hour(raw, m["h"])
        if m["part"] is not None:
            added = _PARTS[m["part"]].get(hour)
            if added is None:
                raise DateError(N_("impossible time in '{raw}': {ampm} has no hour {h} (it "
                                   "has {hours})"),
                                raw=_show(raw), h=hour, ampm=m["part"],
                                hours=_hours(m["part"]))  # fmt: skip
            hour += added
    minute = 30 if m["half"] else m["mi"] or 0
    at = _build(raw, tz, y or year, month, day, hour, minute, m["sec"] or m["secs"] or 0)
    return Reading(at, None if y else year)


def _weekday_checked(raw: str, reading: Reading, tail: re.Match, rest: str) -> Reading:
    """A date and the weekday written after it, which must be the date's own (`rest`: the
    text without the weekday, read as `reading`)."""
    named = min("一二三四五六日天".index(tail["day"]), 6)
    written = reading.at
    if is_midnight(written) and _RE.names_day_end.search(rest):  # 周五 24:00: Friday's end
        written -= timedelta(days=1)
    if written.weekday() != named:
        raise DateError(
            N_("'{date}' names a {named}, but {day} is a {weekday}"),
            date=_show(raw),
            named=Deferred(WEEKDAYS[named]),
            day=written.date().isoformat(),
            weekday=Deferred(WEEKDAYS[written.weekday()]),
        )
    return reading


def _cn_hour(raw: str, text: str) -> int:
    """An hour in digits or in Chinese numerals: 8, 八, 两, 十, 十二, 二十, 二十三."""
    if text.isdigit():
        return int(text)
    tens, ten, units = text.partition("十")
    if not ten:  # one numeral: 八, 两
        value = _CN_DIGITS.get(text) if len(text) == 1 else None
    elif len(tens) > 1 or len(units) > 1 or {tens, units} & {"零", "两", "十"}:
        value = None
    else:
        value = (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    if value is None:
        raise DateError(N_("invalid date '{date}': {accepted}"), date=_show(raw), accepted=ACCEPTED)
    return value


def _is_serial(text: str) -> bool:
    from decimal import Decimal

    return SERIALS[0] <= Decimal(text) <= SERIALS[1]


def _serial(m: re.Match, tz: tzinfo) -> Reading:
    """An Excel serial date: whole days since 1899-12-30, and a fraction of a day (to the
    nearest second) — wall time in `tz`, as the sheet's author saw it."""
    seconds = 0
    if m["frac"]:
        seconds = round(int(m["frac"]) * 86400 / 10 ** len(m["frac"]))
    local = _EXCEL_EPOCH + timedelta(days=int(m["days"]), seconds=seconds)
    return Reading(local.replace(tzinfo=tz), serial=True)


def _chinese_week(m: re.Match, tz: tzinfo, today: date) -> datetime:
    """上周五 / 本周五 / 下周五: that day of last, this or next week (weeks start on Monday)."""
    from dateutil.relativedelta import MO, relativedelta

    weeks = {"上": -1, "下": 1}.get(m["way"], 0)
    monday = today + relativedelta(weeks=weeks, weekday=MO(-1))
    return local_midnight(
        monday + relativedelta(days=min("一二三四五六日天".index(m["day"]), 6)), tz
    )


# ---------------------------------------------------------------------- dateutil


def _next_weekday(raw: str, m: re.Match, tz: tzinfo, today: date) -> datetime:
    """next friday: the first Friday after today; last friday: the last one before it."""
    from dateutil.parser import parserinfo
    from dateutil.relativedelta import relativedelta, weekday

    day = parserinfo().weekday(m["day"])
    if day is None:
        raise DateError(N_("invalid date '{date}': {accepted}"), date=_show(raw), accepted=ACCEPTED)
    step = 1 if m["way"] == "next" else -1
    return local_midnight(today + relativedelta(days=step, weekday=weekday(day, step)), tz)


def _relative(raw: str, m: re.Match, tz: tzinfo, now, today: date,
              style: DateStyle) -> Reading:  # fmt: skip
    """Steps of days, weeks, months or years from a date (today when none is written), each
    in turn, by relativedelta: a month's end is clamped (2022-01-31 +1m is 2022-02-28)."""
    from dateutil.relativedelta import relativedelta

    base = m["base"]
    if base and not base.strip("+- "):  # `++1d`: the text named, not its '+' (a trial)
        raise DateError(N_("invalid date '{date}': {accepted}"), date=_show(raw),
                        accepted=ACCEPTED)  # fmt: skip
    start = (
        read_when(base, tz, now, style)
        if base
        else Reading(local_midnight(today, tz), relative=True)
    )
    local = start.at.replace(tzinfo=None)
    try:
        for step in _RE.step.finditer(m["steps"]):
            n = int(step["n"]) * (1 if step["sign"] == "+" else -1)
            local += relativedelta(**{_UNITS[step["unit"][0]]: n})
    except (OverflowError, ValueError):
        raise _out_of_range(raw) from None
    return start._replace(at=local.replace(tzinfo=tz))


def _iso(raw: str, text: str, tz: tzinfo, m: re.Match) -> Reading | None:
    """An ISO 8601 date and time by isoparse; None when isoparse does not read it (the
    free-form reader then reads it or says why not)."""
    from dateutil.parser import isoparse

    if m["w"] is not None:  # isoparse carries week 53 of a 52-week year into the next
        try:
            date.fromisocalendar(int(m["y"]), int(m["w"]), int(m["wd"]))
        except ValueError:
            raise DateError(
                N_("impossible date '{raw}': {year} has no week {week} day {day}"),
                raw=_show(raw), year=m["y"], week=m["w"], day=m["wd"],
            ) from None  # fmt: skip
    else:
        month, day = m["m"] or m["cm"], m["d"] or m["cd"]
        problem = _calendar_problem(raw, int(m["y"]), int(month), int(day))
        if problem is not None:
            raise problem
    try:
        value = isoparse(text)
    except (ValueError, OverflowError):
        return None
    return Reading(_placed(raw, value, tz))


@lru_cache(maxsize=1)
def _dateutil():
    """dateutil's parser, and the parserinfo of the guard (imported on first use)."""
    from dateutil import parser

    class Strict(parser.parserinfo):
        """What dateutil met while reading: zone names, weekday names, two-digit years;
        and only separators skipped (a word it would skip — at, on, of — is refused)."""

        JUMP = (" ", ",", ".", "-", "/")

        def __init__(self) -> None:
            super().__init__()
            self.zone_names: set[str] = set()
            self.weekdays: set[int] = set()
            self.short_year = False

        def tzoffset(self, name):
            self.zone_names.add(name)
            return super().tzoffset(name)

        def weekday(self, name):
            found = super().weekday(name)
            if found is not None:
                self.weekdays.add(found)
            return found

        def convertyear(self, year, century_specified=False):
            if year < 100 and not century_specified:
                self.short_year = True
            return super().convertyear(year, century_specified)

    return parser, Strict


def _zone_error(raw: str) -> DateError:
    return DateError(
        N_(
            "unsure of the time zone in '{date}': zone names such as EST or CST and UTC+N "
            "are not read; write the offset as +08:00 or +0800 (Z or UTC for UTC)"
        ),
        date=_show(raw),
    )


def _offset_error(raw: str) -> DateError:
    return DateError(
        N_("invalid UTC offset in '{raw}': write it as +08:00 or +0800 (Z or UTC for UTC)"),
        raw=_show(raw),
    )


def _zone(raw: str, text: str, names: set[str], offset: int | None) -> tzinfo | None:
    """The zone dateutil found, if it places the instant exactly: UTC by name (UTC, GMT, Z),
    or an offset written ±HHMM or ±HH:MM (+8 and 20:00-22 are not offsets). `names` are
    the zone names it met: any other name is a guess (EST is three zones; CST is China's or
    America's), and a sign after a UTC name is either read POSIX-style, inverted (UTC+8 as 8
    hours behind), or dropped (UTC +0800 as UTC)."""
    if names - {"UTC", "GMT", "Z", "z"} or any(
        re.search(r"[+-]\s*\d", text[text.rfind(n) :]) for n in names
    ):
        raise _zone_error(raw)
    if offset is None:
        return None
    if names:
        return UTC
    # the sign is the one dateutil read; the digits must be written in full
    hours, minutes = divmod(abs(offset) // 60, 60)
    written = rf"[+-]{hours:02d}:?{minutes:02d}(?!\d)"
    if hours > 23 or not re.search(written, text):
        raise _offset_error(raw)
    return timezone(timedelta(seconds=offset))


def _parse(raw: str, text: str, default: datetime, dayfirst: bool):
    """dateutil.parser.parse, never fuzzy, with the guard's parserinfo: (datetime, info)."""
    parser, Strict = _dateutil()
    info = Strict()

    def zone_of(_name, offset):  # dateutil's name is in info.zone_names, if it met one
        return _zone(raw, text, info.zone_names, offset)

    try:
        value = parser.parser(info).parse(text, default=default, dayfirst=dayfirst,
                                          tzinfos=zone_of)  # fmt: skip
    except ArithmeticError:  # OverflowError, or a time's digits past decimal's precision
        raise _out_of_range(raw) from None  # ('0:' and 32 digits: DivisionImpossible)
    except ValueError as exc:
        if isinstance(exc.__cause__, ValueError):  # it read the fields: the calendar has none
            raise DateError(N_("impossible date '{raw}': no such day or time in the calendar"),
                            raw=_show(raw)) from None  # fmt: skip
        raise DateError(
            N_("invalid date '{date}': {accepted}"), date=_show(raw), accepted=ACCEPTED
        ) from None
    return value, info


def _one_time(raw: str, text: str) -> None:
    """dateutil keeps the last of two times or two offsets: 20:00-22:00 is a range (which
    it reads as 20:00 at UTC-22:00), and 10:00 +0800 -0500 is read as -05:00."""
    clocks = list(_RE.clock.finditer(text))
    if len(clocks) > 1:
        raise DateError(
            N_("invalid date '{date}': it holds more than one time of day"), date=_show(raw)
        )
    if clocks and len(_RE.sign.findall(text, clocks[0].end())) > 1:
        raise _offset_error(raw)


def _free_form(raw: str, text: str, tz: tzinfo, year: int, style: DateStyle) -> Reading:
    """A free-form date by dateutil, read against two defaults: a field that differs
    between them was filled by dateutil, not read — a missing month or day is refused, a
    missing year is `year`. Without an order, a numeric date is read month-first and
    day-first too: two readings are refused, with both shown."""
    # dateutil reads a year-first date (2022/10/11, 20221011) day-first as year-day-month,
    # a form nobody writes: a year first is always year-month-day
    if text[:1] in ("-", "+", "−") and text[1:].lstrip()[:1].isdigit():  # not a step (+3d):
        # dateutil would drop the sign and read -2022-11-11 as 2022-11-11
        raise DateError(N_("invalid date '{date}': {accepted}"), date=_show(raw), accepted=ACCEPTED)
    if _RE.month_dot_day.match(text):  # 11.11, 12.12 20:00: as 11-11 is read
        text = text.replace(".", "-", 1)
    year_first = _RE.year_first.match(text) is not None
    dayfirst = style.order == "dayfirst" and not year_first
    # an ordinal's suffix (11th) goes with its number; dateutil would skip it anywhere
    text = _RE.ordinal.sub("", text)
    _one_time(raw, text)
    # 24:00 (24:00:00) is the day's end, the next day's 00:00, as ISO's is: dateutil refuses it
    end = _RE.day_end.search(text)
    if end is not None:
        text = text[: end.start()] + "00:00" + text[end.end() :]
    value, info = _parse(raw, text, _DEFAULTS[0], dayfirst)
    other = _parse(raw, text, _DEFAULTS[1], dayfirst)[0]
    if value.month != other.month:
        raise DateError(N_("incomplete date '{date}': it names no month"), date=_show(raw))
    if value.day != other.day:
        raise DateError(
            N_("incomplete date '{date}': it names no day of the month"), date=_show(raw)
        )
    if info.short_year:
        raise DateError(
            N_("two-digit year in '{date}': write the year in full, such as 2022"),
            date=_show(raw),
        )
    assumed = None
    if value.year != other.year:
        assumed = year
        problem = _calendar_problem(raw, year, value.month, value.day)
        if problem is not None:
            raise problem
        value = value.replace(year=year)
    if style.order is None and not year_first:
        # read day-first too (a d/m/y that reads month-first reads day-first: dateutil swaps
        # a day over 12 itself)
        swapped = _parse(raw, text, datetime(value.year, 1, 1), True)[0]
        if swapped != value:
            first, second = sorted((shown_at(value), shown_at(swapped)))
            hint = (
                N_("ambiguous date '{date}': it could be {first} or {second}; write it as "
                   "YYYY-MM-DD, or read the column with --date-format dayfirst or monthfirst")
                if style.cells
                else N_("ambiguous date '{date}': it could be {first} or {second}; write it "
                        "as YYYY-MM-DD")
            )  # fmt: skip
            raise DateError(hint, date=_show(raw), first=first, second=second)
    if info.weekdays and info.weekdays != {value.weekday()}:
        raise DateError(
            N_("'{date}' names a {named}, but {day} is a {weekday}"),
            date=_show(raw),
            named=Deferred(WEEKDAYS[min(info.weekdays)]),
            day=value.date().isoformat(),
            weekday=Deferred(WEEKDAYS[value.weekday()]),
        )
    if end is not None:
        value = _day_end(raw, value)
    return Reading(_placed(raw, value, tz), assumed)


def _strptime(raw: str, text: str, tz: tzinfo, now, form: str, year: int | None) -> Reading:
    """A cell in the column's own strptime format `form` (`--date-format`); a format without
    a year takes `year` or the current year."""
    fmt = form
    assumed = None
    if "%Y" not in fmt:
        assumed = year or (now or clock()).astimezone(tz).year
        text, fmt = f"{text}\n{assumed:04d}", f"{fmt}\n%Y"
    try:
        value = datetime.strptime(text, fmt)
    except ValueError:
        raise DateError(
            N_("date '{date}' does not match --date-format '{format}'"),
            date=_show(raw),
            format=shown(form, 40),
        ) from None
    return Reading(_placed(raw, value, tz), assumed)
