"""Text → an instant in the platform's time zone.

Every form resolves in the zone it is given (the platform's), never the machine's `TZ`.
Every form is read by a strict grammar of its own, so a text is either read exactly or
refused with what would be accepted: no fuzzy parser guesses a missing day from the hour,
drops a zone name it does not know, or reads `UTC+8` the POSIX way (with its sign inverted).
Zones are accepted only as `Z` or `±HH:MM`.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import DateError, shown
from .i18n import N_, Deferred

ACCEPTED = Deferred(
    N_(
        "use 2022-11-11, 2022/11/11, 20221111, '2022-11-11 20:00', 2022-11-11T20:00:00+08:00, "
        "'Nov 11 2022', 2022年11月11日, 11月11日, 双11, 618, today, yesterday, tomorrow, now, "
        "+3d or -2w"
    )
)

_TIME = r"(?:[T ]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,6}))?)?)?"
_OFFSET = r"\s*(?P<z>Z|[+-]\d{2}(?::?\d{2})?)?"
_PATTERNS = {
    "iso": (r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})" + _TIME + _OFFSET, 0),
    "compact": (r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})", 0),
    "chinese": (
        r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?"
        r"(?:\s*(?P<h>\d{1,2})\s*[:点时]\s*(?:(?P<mi>\d{1,2})\s*分?)?)?",
        0,
    ),
    # shopping festivals: 双11 / 双十一 (Nov 11), 双12 (Dec 12), 618 / 6·18 (Jun 18)
    "festival": (
        r"(?:(?P<y>\d{4})\s*年?\s*)?(?:双\s*(?P<n>11|十一|12|十二)|(?P<j>6\s*[·・.]?\s*18))",
        0,
    ),
    "day_month_year": (r"(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})", 0),
    "relative": (r"(?P<sign>[+-])\s*(?P<n>\d{1,6})\s*(?P<unit>d|w|days?|weeks?|天|周)", 0),
    # `Nov 11 2022`, `November 11, 2022 8:00 pm`, `11 Nov 2022 20:00 +08:00`, `Nov 11`
    "month_day": (
        r"(?:(?P<mon>[a-z]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?"
        r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon2>[a-z]+)\.?)"
        r"(?:\s+(?P<y>\d{4}))?"
        r"(?:\s+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>am|pm)?)?"
        r"(?:\s*(?P<z>z|[+-]\d{2}(?::?\d{2})?))?",
        0,
    ),
    # a zone written as a name or as UTC+N: never guessed (EST is ambiguous, and POSIX reads
    # UTC+8 as eight hours *behind* UTC)
    "zone_word": (r"(?:\b(?:utc|gmt)\s*[+-]\s*\d|\d\s*(?:utc|gmt|[a-z]{2,4}t)\s*$)", 0),
}


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
    "tomorrow": 1,
    "明天": 1,
    "明日": 1,
}
_NOW = {"now", "现在", "此刻"}


def clock() -> datetime:
    """Now, in UTC: the one place the time is read (the docs' examples fix it)."""
    return datetime.now(UTC)


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """An IANA zone by name; DateError naming it if there is no such zone."""
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


def parse_when(text: str, tz: tzinfo, now: datetime | None = None) -> datetime:
    """Read `text` as an instant; dates without a time are 00:00 in `tz`.

    `now` (aware) fixes the current instant for relative forms and forms without a year.
    The result is an aware datetime expressed in `tz`.
    """
    raw = text
    if (
        len(text) == 10
        and text[4] == text[7] == "-"
        and (text[:4] + text[5:7] + text[8:]).isascii()
        and (text[:4] + text[5:7] + text[8:]).isdigit()
    ):
        return _build(raw, tz, text[:4], text[5:7], text[8:])  # YYYY-MM-DD, the usual case
    text = unicodedata.normalize("NFKC", text).strip()
    if not text or len(text) > 64:
        raise DateError(N_("invalid date '{date}': {accepted}"), date=_show(raw), accepted=ACCEPTED)
    key = text.casefold()
    current = (now or clock()).astimezone(tz)
    today = current.date()

    if key in _NOW:
        return current
    if key in _WORDS:
        return local_midnight(today + timedelta(days=_WORDS[key]), tz)
    if m := _RE.relative.fullmatch(key):
        n = int(m["n"]) * (7 if m["unit"][0] in "w周" else 1)
        try:
            day = today + timedelta(days=n if m["sign"] == "+" else -n)
        except OverflowError:
            raise DateError(
                N_("date out of range '{date}': {accepted}"), date=_show(raw), accepted=ACCEPTED
            ) from None
        return local_midnight(day, tz)
    if m := _RE.iso.fullmatch(text):
        return _build(raw, tz, m["y"], m["m"], m["d"], m["h"], m["mi"], m["s"], m["f"], m["z"])
    if m := _RE.compact.fullmatch(text):
        return _build(raw, tz, m["y"], m["m"], m["d"])
    if m := _RE.day_month_year.fullmatch(text):
        return _day_month_year(raw, tz, m)
    if m := _RE.festival.fullmatch(text):
        month, day = (6, 18) if m["j"] else (11, 11) if m["n"] in ("11", "十一") else (12, 12)
        return _build(raw, tz, m["y"] or today.year, month, day)
    if m := _RE.chinese.fullmatch(text):
        return _build(raw, tz, m["y"] or today.year, m["m"], m["d"], m["h"], m["mi"])
    if m := _RE.month_day.fullmatch(key.replace(",", " ")):
        return _month_day(raw, tz, today, m)
    if _RE.zone_word.search(key):
        raise DateError(
            N_(
                "unsure of the time zone in '{date}': zone names and UTC+N are not read; "
                "write the offset as +08:00 (or Z for UTC), e.g. 2022-12-31T10:00:00+08:00"
            ),
            date=_show(raw),
        )
    raise DateError(N_("invalid date '{date}': {accepted}"), date=_show(raw), accepted=ACCEPTED)


def _show(text: str) -> str:
    return shown(text, 40)


def _build(raw, tz, y, m, d, h=None, mi=None, s=None, frac=None, offset=None) -> datetime:
    try:
        value = datetime(
            int(y),
            int(m),
            int(d),
            int(h or 0),
            int(mi or 0),
            int(s or 0),
            int((frac or "0").ljust(6, "0")),
        )
    except ValueError as exc:
        raise DateError(
            N_("impossible date '{raw}': {reason}"), raw=_show(raw), reason=exc
        ) from None
    try:
        if offset:
            return value.replace(tzinfo=_offset(raw, offset)).astimezone(tz)
        return value.replace(tzinfo=tz)
    except OverflowError:
        raise DateError(
            N_("date out of range '{date}': {accepted}"), date=_show(raw), accepted=ACCEPTED
        ) from None


def _offset(raw: str, text: str) -> tzinfo:
    if text == "Z":
        return UTC
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise DateError(
            N_("invalid UTC offset in '{raw}': use Z or +HH:MM such as +08:00"), raw=_show(raw)
        )
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if text[0] == "-" else delta)


def _day_month_year(raw: str, tz: tzinfo, m: re.Match) -> datetime:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    readings = []
    for day, month in ((a, b), (b, a)):
        with contextlib.suppress(ValueError):
            readings.append(date(y, month, day))
    readings = sorted(set(readings))
    if not readings:
        raise DateError(
            N_("impossible date '{raw}': neither day/month nor month/day"), raw=_show(raw)
        )
    if len(readings) > 1:
        first, second = readings
        raise DateError(
            N_("ambiguous date '{date}': it could be {first} or {second}; write it as YYYY-MM-DD"),
            date=_show(raw), first=first.isoformat(), second=second.isoformat(),
        )  # fmt: skip
    return local_midnight(readings[0], tz)


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def _month_day(raw: str, tz: tzinfo, today: date, m: re.Match) -> datetime:
    """A month name with a day (and perhaps a year, a time and an offset); nothing else."""
    month = _MONTHS.get(m["mon"] or m["mon2"])
    if month is None:
        raise DateError(N_("invalid date '{date}': {accepted}"), date=_show(raw), accepted=ACCEPTED)
    hour = m["h"]
    if m["ampm"]:
        h = int(hour)
        if not 1 <= h <= 12:
            raise DateError(
                N_("impossible time in '{raw}': {h} {ampm}"),
                raw=_show(raw),
                h=h,
                ampm=m["ampm"],
            )
        hour = (h % 12) + (12 if m["ampm"] == "pm" else 0)
    offset = m["z"].upper() if m["z"] else None
    day = m["d"] or m["d2"]
    return _build(raw, tz, m["y"] or today.year, month, day, hour, m["mi"], m["s"], None, offset)
