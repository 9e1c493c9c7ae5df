"""`linkcheck timeline` (chart, plain, JSON, iCalendar) and `linkcheck upcoming`."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from .helpers import assert_clean_error

SH = ZoneInfo("Asia/Shanghai")
SURFACES = ["livestream", "short-video", "merchant-page", "live-preview"]


@pytest.mark.parametrize("platform", ["kuaishou", "douyin"])
def test_every_day_is_covered_by_one_segment_with_the_evaluators_verdict(run, bundled, platform):
    result = run(
        "timeline",
        "-s",
        "all",
        "--from",
        "2018-06-01",
        "--to",
        "2023-02-28",
        "--platform",
        platform,
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    segments = json.loads(result.stdout)
    by_row: dict[tuple[str, str], list[dict]] = {}
    for seg in segments:
        assert seg["platform"] == platform
        by_row.setdefault((seg["source"], seg["surface"]), []).append(seg)
    assert len(by_row) == len(bundled.catalog.sources) * len(SURFACES)
    first, last = date(2018, 6, 1), date(2023, 2, 28)
    for (source, surface), segs in by_row.items():
        day = first
        for seg in segs:  # in order, back to back, no gap, no overlap
            assert seg["start"] == day.isoformat()
            end = date.fromisoformat(seg["end"])
            while day <= end:
                d = bundled.check(
                    source,
                    surface,
                    datetime(day.year, day.month, day.day, tzinfo=SH),
                    platform=platform,
                )
                assert (d.verdict, d.rule.id if d.rule else None) == (seg["verdict"], seg["rule"])
                day += timedelta(days=1)
        assert day == last + timedelta(days=1)


def test_plain_timeline(run):
    result = run("timeline", "jd-self", "--from", "2022-10-01", "--to", "2022-12-31")
    assert result.stdout.splitlines() == [
        "jd-self\tlivestream\t2022-10-01\t2022-10-27\tdenied\tkuaishou-2022-03-cutoff",
        "jd-self\tlivestream\t2022-10-28\t2022-11-30\tallowed\tkuaishou-2022-jd-self-window",
        "jd-self\tlivestream\t2022-12-01\t2022-12-31\tunknown\tkuaishou-2022-after-jd-self-window",
        "jd-self\tshort-video\t2022-10-01\t2022-10-27\tdenied\tkuaishou-2022-03-cutoff",
        "jd-self\tshort-video\t2022-10-28\t2022-11-30\tallowed\tkuaishou-2022-jd-self-window",
        "jd-self\tshort-video\t2022-12-01\t2022-12-31\tunknown\tkuaishou-2022-after-jd-self-window",
    ]
    assert result.stderr == ""  # the range ends on the horizon: nothing past it


def test_timeline_past_the_horizon(run):
    args = ("timeline", "kuaishou-shop", "-s", "livestream", "--from", "2022-12-30")
    result = run(*args, "--to", "2023-01-31")
    assert result.stdout.splitlines() == [
        "kuaishou-shop\tlivestream\t2022-12-30\t2022-12-31\tallowed\tkuaishou-shop",
        "kuaishou-shop\tlivestream\t2023-01-01\t2023-01-31\tunknown\t-",
    ]
    assert result.stderr.splitlines() == [
        "note: the loaded rules for Kuaishou end on 2022-12-31 (as of 2022-10-28): later days "
        "are unknown; load a newer rules file that moves [horizon.kuaishou] (--rules FILE)"
    ]
    doc = json.loads(run(*args, "--format", "json").stdout)
    assert [(s["verdict"], s["reason"]) for s in doc] == [
        ("allowed", "rule"),
        ("unknown", "beyond_horizon"),
    ]


def test_text_chart_marks_the_horizon_and_today(run):
    result = run(
        "timeline", "tmall", "--format", "text", "--color", "never", env={"COLUMNS": "120"}
    )
    title, *lines = result.stdout.splitlines()
    assert title == "Kuaishou"  # whose rules they are: a Douyin chart looked the same
    assert "┊rules end" in lines[0] and "today▼" in lines[0]  # today: near the right edge
    assert lines[0].index("┊rules end") < lines[0].index("today▼")
    assert lines[1].rstrip().endswith("·")  # today lies past the horizon
    assert "· unknown: after 2022-12-31, the rules end" in result.stdout


def test_groups_and_links_stand_for_their_members(run):
    result = run(
        "timeline",
        "https://item.jd.com/1.html",
        "-s",
        "livestream",
        "--from",
        "2022-11-01",
        "--to",
        "2022-11-02",
    )
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == ["jd-self", "jd-pop"]


def test_text_chart_has_rows_axis_legend_and_today(run):
    result = run(
        "timeline",
        "tmall",
        "--from",
        "2022-10-01",
        "--to",
        "2022-12-31",
        "--format",
        "text",
        "--color",
        "never",
        env={"COLUMNS": "120"},
    )
    lines = result.stdout.splitlines()
    rows = [line for line in lines if line.startswith("Tmall")]
    assert len(rows) == 2
    bar = rows[0].split()[-1]
    assert bar[0] == "░" and bar[-1] == "█"  # denied in early October, allowed in December
    assert "2022-10-01" in result.stdout and "2022-12-31" in result.stdout
    assert "allowed" in lines[-1] and "denied" in lines[-1] and "unknown" in lines[-1]
    today = run(
        "timeline",
        "tmall",
        "--from",
        "-10d",
        "--to",
        "+10d",
        "--format",
        "text",
        "--color",
        "never",
    )
    assert "▼ today" in today.stdout


def test_default_range_spans_the_rules_when_today_is_far(run):
    rows = json.loads(run("timeline", "tmall", "-s", "livestream", "--format", "json").stdout)
    # today (2026 or later) is far from every bundled bound: the span of the rules is shown
    assert rows[0]["start"] < "2018-07-01" and rows[-1]["end"] > "2023-01-01"


def test_timeline_errors(run):
    assert_clean_error(
        run("timeline", "--from", "2022-12-01", "--to", "2022-11-01"),
        "--to 2022-11-01 is before --from 2022-12-01",
    )
    assert_clean_error(run("timeline", "tmal"), "unknown source 'tmal'")
    assert_clean_error(run("timeline", "--from", "2022-02-30"), "impossible date '2022-02-30'")


def _events(data: bytes):
    icalendar = pytest.importorskip("icalendar")
    cal = icalendar.Calendar.from_ical(data)
    return [
        {
            "uid": str(e["uid"]),
            "summary": str(e["summary"]),
            "start": e.decoded("dtstart"),
            "end": e.decoded("dtend"),
            "description": str(e["description"]),
        }
        for e in cal.walk("VEVENT")
    ]


def test_ics_parses_back_with_the_same_windows(run, tmp_path):
    out = tmp_path / "windows.ics"
    result = run(
        "timeline",
        "tmall",
        "jd-self",
        "--from",
        "2022-01-01",
        "--to",
        "2023-03-31",
        "--format",
        "ics",
        "-o",
        str(out),
    )
    assert result.exit_code == 0
    events = _events(out.read_bytes())
    windows = sorted((e["summary"], e["start"], e["end"]) for e in events)
    assert windows == [
        (
            "JD self-operated links allowed on Kuaishou livestream, short-video",
            date(2018, 8, 1),
            date(2022, 3, 1),
        ),
        (
            "JD self-operated links allowed on Kuaishou livestream, short-video",
            date(2022, 10, 28),
            date(2022, 12, 1),
        ),  # DTEND is the day after the last day
        (
            "Tmall links allowed on Kuaishou livestream, short-video",
            date(2018, 8, 1),
            date(2022, 3, 1),
        ),
        (
            "Tmall links allowed on Kuaishou livestream, short-video",
            date(2022, 10, 28),
            date(2023, 1, 1),
        ),
    ]
    tmall = next(e for e in events if e["start"] == date(2022, 10, 28) and "Tmall" in e["summary"])
    assert "10月28日至12月31日" in tmall["description"]
    assert "kuaishou-2022-tmall-window" in tmall["description"]
    assert "horizon" not in tmall["description"]  # the window's own end, not the horizon's
    early = next(e for e in events if e["start"] == date(2018, 8, 1) and "Tmall" in e["summary"])
    # the 2018 era rests on the author's narration, and says what it reads into it
    assert early["description"].splitlines()[1:5] == [
        "“那时,快手商店基本上可以支持任何电商平台的跳转链接。” — 电商头条, "
        "sources/000_a698274f1961a54e.txt",
        "inferred: 那时 read as from the month after the launch (2018-08) on, for livestreams "
        "and short videos",
        "“今年3月,快手和淘宝刚刚“分手”。” — 电商头条, sources/000_a698274f1961a54e.txt",
        "inferred: the links read as lasting until this split, the 2022-03-01 cut-off",
    ]


def test_ics_open_windows_end_at_the_horizon(run):
    (event,) = _events(
        run(
            "timeline",
            "kuaishou-shop",
            "-s",
            "livestream",
            "--from",
            "2022-01-01",
            "--to",
            "2023-06-30",
            "--format",
            "ics",
        ).stdout_bytes
    )
    assert (event["start"], event["end"]) == (date(2018, 8, 1), date(2023, 1, 1))
    assert "Ends at the rules' horizon" in event["description"]
    assert "through 2022-12-31 (facts as of 2022-10-28)" in event["description"]


def test_timeline_output_file_errors(run, tmp_path):
    (tmp_path / "sub").mkdir()
    assert_clean_error(run("timeline", "-o", str(tmp_path / "sub")), "is a directory")
    assert_clean_error(run("timeline", "-o", str(tmp_path / "x" / "t.txt")), "cannot write output")
    assert [p.name for p in tmp_path.iterdir()] == ["sub"]
    out = tmp_path / "t.txt"
    assert (
        run(
            "timeline", "tmall", "--from", "2022-11-01", "--to", "2022-11-02", "-o", str(out)
        ).exit_code
        == 0
    )
    assert out.read_text().startswith("tmall\tlivestream\t2022-11-01\t2022-11-02\tallowed")


def test_ics_uids_are_stable_across_ranges(run):
    wide = _events(
        run(
            "timeline", "tmall", "--from", "2018-01-01", "--to", "2023-12-31", "--format", "ics"
        ).stdout_bytes
    )
    narrow = _events(
        run(
            "timeline", "tmall", "--from", "2022-11-01", "--to", "2022-11-30", "--format", "ics"
        ).stdout_bytes
    )
    assert len(narrow) == 1
    assert narrow[0]["uid"] in {e["uid"] for e in wide}
    assert len({e["uid"] for e in wide}) == len(wide)


def test_ics_timed_events_for_datetime_bounds(run, tmp_path):
    team = tmp_path / "team.toml"
    team.write_text(
        "schema = 1\n[horizon.kuaishou]\nas_of = 2023-06-01\nthrough = 2023-06-30\n"
        '[[rule]]\nid = "flash"\nplatform = "kuaishou"\nverdict = "allow"\n'
        'sources = ["pinduoduo"]\nsurfaces = ["livestream"]\n'
        "start = 2023-06-18T20:00:00\nend = 2023-06-18T23:00:00\n"
        'citation = { quote = "q", source = "memo" }\n',
        encoding="utf-8",
    )
    data = run(
        "timeline",
        "pdd",
        "-s",
        "livestream",
        "--rules",
        str(team),
        "--from",
        "2023-06-01",
        "--to",
        "2023-06-30",
        "--format",
        "ics",
    ).stdout_bytes
    (event,) = _events(data)
    assert event["start"] == datetime(2023, 6, 18, 20, tzinfo=SH)
    assert event["end"] == datetime(2023, 6, 18, 23, tzinfo=SH)


def test_ics_without_the_extra_names_it(run, monkeypatch):
    monkeypatch.setitem(sys.modules, "icalendar", None)
    result = run("timeline", "--format", "ics")
    assert_clean_error(result, "needs icalendar, an optional extra: pip install icalendar")
    assert "pip install '.[ics]'" in result.stderr
    assert "linkcheck[" not in result.stderr  # `linkcheck` on the index is another project


# ---------------------------------------------------------------------- upcoming


def test_upcoming_reports_the_jd_window_closing(run):
    result = run("upcoming", "--on", "2022-11-25", "--days", "7")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    # the article says nothing of Douyin after 2022-10-28: its rules have ended by then
    assert lines[0] == (
        "ended   2022-10-28  the loaded rules for Douyin end on 2022-10-28 (as of 2022-10-28): "
        "nothing is known about 2022-11-25 → 2022-12-02; load a newer rules file that moves "
        "[horizon.douyin] (--rules FILE)"
    )
    assert lines[1] == (
        "closes  2022-11-30  JD self-operated on Kuaishou · livestream, short-video: last allowed "
        "day (6 days left, today included), then unknown [kuaishou-2022-jd-self-window]"
    )
    assert "live-preview" in lines[2]
    assert len(lines) == 3
    doc = json.loads(
        run("upcoming", "--on", "2022-11-25", "--days", "7", "-p", "ks", "--json").stdout
    )
    first = doc["changes"][0]
    assert (first["source"], first["kind"], first["last_day"], first["days_left"]) == (
        "jd-self",
        "closes",
        "2022-11-30",
        6,
    )
    assert first["at"] == "2022-12-01T00:00:00+08:00"
    assert doc["horizons"] == []


def test_upcoming_past_the_horizon_says_the_rules_end(run):
    result = run("upcoming", "--platform", "kuaishou")  # today: years past 2022
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "ended   2022-12-31  the loaded rules for Kuaishou end on 2022-12-31 (as of 2022-10-28): "
        "nothing is known about "
    )
    assert "no window opens or closes" not in result.stdout
    doc = json.loads(run("upcoming", "--json", "--platform", "kuaishou").stdout)
    assert doc["changes"] == []
    assert doc["horizons"] == [
        {
            "platform": "kuaishou",
            "state": "passed",
            "through": "2022-12-31",
            "as_of": "2022-10-28",
            "file": "rules.toml (bundled)",
        }
    ]


def test_upcoming_before_the_horizon_says_where_the_rules_end(run):
    lines = run("upcoming", "--on", "2022-12-30", "--days", "3", "-p", "kuaishou").stdout
    lines = lines.splitlines()
    assert lines[-1] == (
        "ends    2022-12-31  the loaded rules for Kuaishou end: every answer after 2022-12-31 "
        "is unknown; load a newer rules file that moves [horizon.kuaishou] (--rules FILE)"
    )
    assert (
        "closes  2022-12-31  Tmall on Kuaishou · livestream, short-video: last allowed day "
        "(2 days left, today included), then unknown: the rules end there "
        "[kuaishou-2022-tmall-window]"
    ) in lines


def test_upcoming_is_soonest_first_where_the_rules_end_too(run):
    """Where a platform's rules end sits among the changes, by day: Douyin's rules end on
    2022-10-28, before its answers turn unknown on 10-29 (the line came after every change,
    a new user's trial)."""
    lines = [line for line in run("upcoming", "--on", "2022-10-25", "--days", "7").stdout
             .splitlines() if not line.startswith(" ")]  # fmt: skip
    days = [line.split()[1] for line in lines]
    assert days == sorted(days), lines
    ends = next(i for i, line in enumerate(lines) if line.startswith("ends    2022-10-28"))
    assert lines[ends - 1].startswith("closes  2022-10-28  Douyin shop on Douyin")
    assert all(line.startswith("changes 2022-10-29") for line in lines[ends + 1 :])
    assert len(lines) > ends + 1


def test_upcoming_bad_values(run):
    assert_clean_error(run("upcoming", "--on", "someday"), "invalid date 'someday'")
    assert_clean_error(run("upcoming", "--platform", "kwaishou"), "unknown platform 'kwaishou'")
    result = run("upcoming", "--days", "-1")
    assert result.exit_code == 2 and "--days" in result.stderr


def test_upcoming_window_edges(run):
    # the change at 2022-12-01 00:00 is 5 days after 2022-11-26: in with --days 5, out with 4
    args = ("upcoming", "--on", "2022-11-26", "-p", "kuaishou", "--days")
    five = json.loads(run(*args, "5", "--json").stdout)
    four = json.loads(run(*args, "4", "--json").stdout)
    assert {c["source"] for c in five["changes"]} == {"jd-self"}
    assert four["changes"] == []
    assert "no window opens or closes" in run(*args, "4").stdout


EDGES = [("2022-10-27", 0, False), ("2022-10-27", 1, True), ("2022-10-28", 0, True),
         ("2022-10-28", 1, True), ("2022-10-28T00:00:01+08:00", 5, False),
         ("2022-10-29", 3, False)]  # fmt: skip


@pytest.mark.parametrize(("on", "days", "listed"), EDGES)
def test_upcoming_lists_a_window_opening_on_the_day_it_looks_from(run, on, days, listed):
    """`upcoming --on 2022-10-28 --days 1` said no window opens or closes, on the day the
    Tmall and JD windows open (its first instant was counted as past: a trial). The day
    before, of and after the opening; a second into the day, it has opened."""
    doc = json.loads(run("upcoming", "--on", on, "-p", "ks", "--days", str(days), "--json").stdout)
    tmall = [c for c in doc["changes"] if c["source"] == "tmall" and c["kind"] == "opens"]
    assert bool(tmall) is listed, doc["changes"]
    if listed:
        assert tmall[0]["days_until"] == (1 if on == "2022-10-27" else 0)
    text = run("upcoming", "--on", "2022-10-28", "-p", "ks", "--days", "0").stdout
    assert "opens   2022-10-28  Tmall on Kuaishou" in text and "(today)" in text


def test_upcoming_opens_soonest_first_and_platform_filter(run):
    doc = json.loads(run("upcoming", "--on", "2022-10-20", "--days", "10", "--json").stdout)
    kinds = [(c["source"], c["kind"], c["days_until"]) for c in doc["changes"]]
    assert ("tmall", "opens", 8) in kinds and ("taobao", "changes", 8) in kinds
    douyin = json.loads(
        run(
            "upcoming", "--on", "2020-12-25", "--days", "14", "--platform", "douyin", "--json"
        ).stdout
    )
    assert {(c["source"], c["from"], c["to"]) for c in douyin["changes"]} == {
        (s, "unknown", "denied") for s in ("tmall", "taobao", "jd-self", "jd-pop", "pinduoduo")
    }


# Literal expectations beside the consistency tests above (which compare two paths over the
# same compiled timeline and so cannot see a compile bug): the spans, typed from the article.
ARTICLE_SPANS = {
    ("tmall", "livestream"): [
        ("2018-01-01", "2018-06-30", "unknown", "-"),
        ("2018-07-01", "2018-07-31", "unknown", "kuaishou-2018-07-launch-month"),
        ("2018-08-01", "2022-02-28", "allowed", "kuaishou-2018-open"),
        ("2022-03-01", "2022-10-27", "denied", "kuaishou-2022-03-cutoff"),
        ("2022-10-28", "2022-12-31", "allowed", "kuaishou-2022-tmall-window"),
        ("2023-01-01", "2023-01-10", "unknown", "-"),
    ],
    ("jd-self", "live-preview"): [
        ("2018-01-01", "2018-06-30", "unknown", "-"),
        ("2018-07-01", "2018-07-31", "unknown", "kuaishou-2018-07-launch-month"),
        ("2018-08-01", "2022-02-28", "unknown", "-"),  # the 2018 era: livestream, short video
        ("2022-03-01", "2022-10-27", "denied", "kuaishou-2022-03-cutoff"),
        ("2022-10-28", "2022-11-30", "allowed", "kuaishou-2022-jd-self-preview"),
        ("2022-12-01", "2022-12-31", "unknown", "kuaishou-2022-after-jd-self-window"),
        ("2023-01-01", "2023-01-10", "unknown", "-"),
    ],
}


@pytest.mark.parametrize("source, surface", list(ARTICLE_SPANS), ids="/".join)
def test_timeline_spans_are_the_articles(run, source, surface):
    result = run("timeline", source, "-s", surface, "--from", "2018-01-01", "--to",
                 "2023-01-10", "--format", "plain")  # fmt: skip
    got = [tuple(line.split("\t")[2:]) for line in result.stdout.splitlines()]
    assert got == ARTICLE_SPANS[(source, surface)]


def test_upcoming_says_the_time_of_a_change_in_the_course_of_a_day(run, tmp_path):
    """A window from 20:00 to 04:30 the next morning (in Shanghai): the day alone said
    'allowed from 2024-06-18' and 'last allowed day' of 06-19, wrong by hours (a trial);
    a file in Los Angeles whose window starts on a day starts at 15:00 in Shanghai."""
    team = tmp_path / "dt.toml"
    team.write_text(
        'schema = 1\ntimezone = "Asia/Shanghai"\n[horizon.kuaishou]\nas_of = 2024-06-01\n'
        'through = 2024-12-31\n[[rule]]\nid = "dt"\nplatform = "kuaishou"\n'
        'verdict = "allow"\nsources = ["jd-self"]\nsurfaces = ["livestream"]\n'
        "start = 2024-06-18T20:00:00\nend = 2024-06-18T12:30:00-08:00\n"
        'citation = { quote = "q", source = "m" }\n',
        encoding="utf-8",
    )
    lines = run("upcoming", "--on", "2024-06-15", "-p", "ks", "--rules", str(team)).stdout
    lines = " ".join(lines.split())
    assert ("opens 2024-06-18 JD self-operated on Kuaishou · livestream: allowed from "
            "2024-06-18 20:00 (in 3 days) [dt]") in lines  # fmt: skip
    closes = ("closes 2024-06-19 JD self-operated on Kuaishou · livestream: allowed until "
              "2024-06-19 04:30 (5 days left, today included), then unknown [dt]")  # fmt: skip
    assert closes in lines
    la = tmp_path / "la.toml"
    la.write_text(
        team.read_text(encoding="utf-8")
        .replace("Asia/Shanghai", "America/Los_Angeles")
        .replace(
            "start = 2024-06-18T20:00:00\nend = 2024-06-18T12:30:00-08:00", "start = 2024-07-01"
        ),
        encoding="utf-8",
    )
    lines = run("upcoming", "--on", "2024-06-28", "-p", "ks", "--rules", str(la)).stdout
    assert "allowed from 2024-07-01 15:00 (in 3 days)" in " ".join(lines.split())
    # a whole day's change says the day alone, as before
    whole = run("upcoming", "--on", "2022-11-25", "--days", "7", "-p", "ks").stdout
    assert "last allowed day (6 days left, today included)" in " ".join(whole.split())


def test_ics_timed_events_carry_the_vtimezone_they_name(run, tmp_path):
    """A window that opens at 15:00 in Shanghai (a Los Angeles file's day) is a timed event
    with TZID=Asia/Shanghai: RFC 5545 wants its VTIMEZONE in the file, and there was none
    (a trial). Every TZID named has one, and the times read back exactly."""
    import re

    icalendar = pytest.importorskip("icalendar")
    la = tmp_path / "la.toml"
    la.write_text(
        'schema = 1\ntimezone = "America/Los_Angeles"\n[horizon.kuaishou]\nas_of = 2024-06-01\n'
        'through = 2024-12-31\n[[rule]]\nid = "la"\nplatform = "kuaishou"\nverdict = "allow"\n'
        'sources = ["jd-self"]\nsurfaces = ["livestream"]\nstart = 2024-07-01\nend = 2024-07-05\n'
        'citation = { quote = "q", source = "m" }\n',
        encoding="utf-8",
    )
    result = run("timeline", "jd-self", "-s", "live", "--rules", str(la), "--format", "ics",
                 "--from", "2024-06-01", "--to", "2024-08-01")  # fmt: skip
    text = result.stdout
    named = set(re.findall(r";TZID=([^:;]+)", text))
    assert named == {"Asia/Shanghai"}
    calendar = icalendar.Calendar.from_ical(text)
    assert {tz["TZID"] for tz in calendar.walk("VTIMEZONE")} == named
    (event,) = calendar.walk("VEVENT")
    shanghai = ZoneInfo("Asia/Shanghai")
    assert event.decoded("dtstart") == datetime(2024, 7, 1, 15, tzinfo=shanghai)
    assert event.decoded("dtend") == datetime(2024, 7, 6, 15, tzinfo=shanghai)


@pytest.mark.parametrize("columns", ["60", "70", "80", "120"])
def test_the_charts_tmall_window_shows_at_every_width(run, columns):
    """A column showed its first day alone: at 80 columns the Tmall window (65 of a
    column's 72 days) was not drawn at all (a trial). A column shows what most of its days
    are: the window, two months of a long range, is a run of allowed cells before the
    denied ones — at every width."""
    result = run("timeline", "tmall", "-s", "直播", "--format", "text", "--color", "never",
                 env={"COLUMNS": columns})  # fmt: skip
    bar = next(line for line in result.stdout.splitlines() if "Tmall" in line)
    cells = bar.split()[-1].rstrip("·┊")
    assert cells.endswith("█"), bar  # the 2022 window, the last before the horizon
    assert "░" in cells  # the cut-off before it


def test_upcoming_help_says_its_platform_default_is_every_platform(run):
    """upcoming looks at every platform unless -p names one; its -p help said the default
    was kuaishou, as check's does (a trial)."""
    upcoming = " ".join(run("upcoming", "--help").stdout.split())
    assert "-p, --platform P Only this platform (id or alias); default: every platform." in (
        upcoming
    )
    check = " ".join(run("check", "--help").stdout.split())
    assert "--platform P Platform id or alias (default: the rules' default, kuaishou)." in check
