"""Promises of the evaluator that the bundled rules alone cannot show: a platform in another
time zone, naive and date inputs, platforms without a default, the reasons, `--as` on a link.
(Found as mutants that survived the whole suite; issue: Hardening.)"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import linkcheck
from linkcheck.errors import UnknownNameError

from .helpers import rule_table

LA = ZoneInfo("America/Los_Angeles")
SH = ZoneInfo("Asia/Shanghai")

TWO_ZONES = """
schema = 1
timezone = "America/Los_Angeles"

[platforms.west]
name = "West"
timezone = "America/Los_Angeles"

[platforms.east]
name = "East"
timezone = "Asia/Shanghai"

[sources.shop]
name = "Shop"
domains = ["shop.example"]

[sources.mall]
name = "Mall"
domains = ["mall.example"]

[surfaces.live]
name = "Live"

[[rule]]
id = "west-jan"
platform = "west"
verdict = "allow"
sources = ["shop", "mall"]
surfaces = "*"
start = 2023-01-01
end = 2023-01-31
citation = { quote = "q", source = "memo" }

[[rule]]
id = "east-jan"
platform = "east"
verdict = "deny"
sources = ["shop"]
surfaces = "*"
start = 2023-01-01
end = 2023-01-31
citation = { quote = "q", source = "memo" }
"""


@pytest.fixture(scope="module")
def zones(tmp_path_factory) -> linkcheck.RuleSet:
    path = tmp_path_factory.mktemp("zones") / "zones.toml"
    path.write_text(TWO_ZONES, encoding="utf-8")
    return linkcheck.load_rules([path], defaults=False)


def test_each_platform_counts_days_in_its_own_zone(zones):
    assert zones.zone("west") == LA
    assert zones.zone("east") == SH
    assert zones.instant("2023-01-01", "west") == datetime(2023, 1, 1, tzinfo=LA)
    assert zones.instant("2023-01-01", "east") == datetime(2023, 1, 1, tzinfo=SH)
    # the window's end is the last instant of 2023-01-31 in Los Angeles
    west = zones.check("shop", "live", "2023-01-31 23:59:59", platform="west")
    assert (west.verdict, west.reason, west.rule.id) == ("allowed", "rule", "west-jan")
    after = zones.check("shop", "live", "2023-02-01", platform="west")
    assert (after.verdict, after.reason, after.rule) == ("unknown", "no_rule", None)
    assert west.next_change.at == datetime(2023, 2, 1, tzinfo=LA)
    assert west.next_change.at.utcoffset() == timedelta(hours=-8)


@pytest.mark.parametrize(
    "when, verdict",
    [
        (datetime(2023, 1, 31, 23, 59), "allowed"),  # naive: read in the platform's zone
        (datetime(2023, 2, 1, 0, 0), "unknown"),
        (datetime(2023, 2, 1, 10, 0, tzinfo=SH), "allowed"),  # = 2023-01-31 18:00 in LA
        (datetime(2023, 2, 1, 7, 59, 59, tzinfo=UTC), "allowed"),  # 00:00 in LA: 08:00 UTC
        (datetime(2023, 2, 1, 8, 0, tzinfo=UTC), "unknown"),
        (date(2023, 1, 31), "allowed"),  # a date is its first instant in the platform's zone
        (date(2023, 2, 1), "unknown"),
        (date(2022, 12, 31), "unknown"),
        (date(2023, 1, 1), "allowed"),
    ],
)
def test_naive_datetimes_and_dates_are_read_in_the_platforms_zone(zones, when, verdict):
    assert zones.check("shop", "live", when, platform="west").verdict == verdict


def test_a_files_dates_are_days_in_the_files_zone_not_the_platforms(tmp_path):
    """SPEC: a TOML date is a whole day in the file's `timezone`; the platform's zone only
    decides where a query's days begin. A Shanghai file's window ends at Shanghai midnight,
    which is 08:00 the same morning in Los Angeles."""
    path = tmp_path / "shanghai.toml"
    path.write_text(TWO_ZONES.replace('timezone = "America/Los_Angeles"\n\n[platforms.west]',
                                      'timezone = "Asia/Shanghai"\n\n[platforms.west]'),
                    encoding="utf-8")  # fmt: skip
    rules = linkcheck.load_rules([path], defaults=False)
    assert rules.check("shop", "live", "2023-01-31 07:59", "west").verdict == "allowed"
    assert rules.check("shop", "live", "2023-01-31 08:00", "west").verdict == "unknown"
    end = rules.check("shop", "live", "2023-01-31 07:59", "west").next_change.at
    assert end == datetime(2023, 2, 1, tzinfo=SH)
    assert end.tzinfo == LA


def test_decision_time_is_shown_in_the_platforms_zone(zones):
    d = zones.check("shop", "live", datetime(2023, 1, 15, 12, tzinfo=UTC), "west")
    assert d.at.tzinfo == LA
    assert d.at == datetime(2023, 1, 15, 4, tzinfo=LA)


def test_no_default_platform_among_several_is_an_error_naming_them(zones):
    with pytest.raises(UnknownNameError, match=r"no default platform .* \(west, east\)"):
        zones.platform_id(None)
    with pytest.raises(UnknownNameError):
        zones.check("shop", "live", "2023-01-05")


def test_a_single_platform_is_the_default(tmp_path):
    east = '[platforms.east]\nname = "East"\ntimezone = "Asia/Shanghai"\n'
    single = TWO_ZONES.split("[[rule]]")[0].replace(east, "")
    assert "east" not in single
    path = tmp_path / "one.toml"
    path.write_text(single, encoding="utf-8")
    rules = linkcheck.load_rules([path], defaults=False)
    assert rules.platform_id(None) == "west"
    assert rules.zone() == LA


def test_a_wrong_when_type_is_a_type_error(zones):
    with pytest.raises(TypeError, match="when must be a str, date or datetime, not int"):
        zones.instant(20230101, "west")


def test_the_reasons(zones, bundled):
    assert zones.check("shop", "live", "2023-01-05", "east").reason == "rule"
    assert zones.check("mall", "live", "2023-01-05", "east").reason == "no_rule"
    assert bundled.check("tmall", "livestream", "2023-01-05").reason == "beyond_horizon"
    jd = bundled.check("https://item.jd.com/1.html", "livestream", "2022-11-11")
    assert (jd.verdict, jd.reason, jd.rule) == ("unknown", "ambiguous_link", None)


def test_as_may_name_the_links_only_candidate(run):
    url = "https://detail.tmall.com/item.htm?id=1"
    result = run("check", url, "--as", "tmall", "-s", "livestream", "--on", "2022-11-11",
                 "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert '"source": "tmall"' in result.stdout
    wrong = run("check", url, "--as", "taobao", "--on", "2022-11-11")
    assert wrong.exit_code == 2
    assert "--as taobao does not match the link's host detail.tmall.com" in wrong.stderr
    batch = run("batch", "-", "--on", "2022-11-11", "-s", "livestream", "--format", "csv",
                "--fail-on", "never", input=f"source,url\ntaobao,{url}\ntmall,{url}\n")  # fmt: skip
    lines = batch.stdout.splitlines()
    assert "source 'taobao' does not match the link's host detail.tmall.com, which can only be " \
        "tmall" in lines[1]  # fmt: skip
    assert ",allowed," in lines[2]


def test_a_stated_source_narrows_a_group_or_a_link_exactly(bundled):
    from linkcheck.errors import LinkError
    from linkcheck.model import Resolved

    assert bundled.resolve("taobao-union", "tmall") == Resolved(
        "taobao-union", "tmall", ("tmall",), "group", None
    )
    url = "https://item.jd.com/1.html"
    assert bundled.resolve(url, "jd-self") == Resolved(
        url, "jd-self", ("jd-self",), "link", "item.jd.com"
    )
    with pytest.raises(LinkError) as info:
        bundled.resolve("taobao-union", "jd-self")
    assert str(info.value) == (
        "--as jd-self does not match 'taobao-union', which can only be tmall or taobao"
    )


def test_the_merged_next_change_is_in_the_platforms_zone(bundled):
    d = bundled.check("https://item.jd.com/1.html", "livestream", "2022-02-01")
    assert (d.verdict, d.reason) == ("allowed", "rule")  # both candidates allowed
    assert d.next_change.verdict == "denied"
    assert d.next_change.at == datetime(2022, 3, 1, tzinfo=SH)
    assert d.next_change.at.tzinfo == SH


NEAR = (
    'schema = 1\ntimezone = "Asia/Shanghai"\n[platforms.p]\nname = "P"\n[sources.s]\nname = "S"\n'
    '[surfaces.v]\nname = "V"\n'
    + rule_table("a-last", "allow", ["s"], start="2023-01-01")
    + rule_table("m-middle", "deny", ["s"], start="2022-06-01", end="2022-06-30")
    + rule_table("z-first", "unknown", ["s"], start="2021-01-01", end="2021-02-01")
)


def test_near_misses_are_listed_by_precedence_not_by_name(tmp_path):
    path = tmp_path / "near.toml"
    path.write_text(NEAR, encoding="utf-8")
    rules = linkcheck.load_rules([path], defaults=False)
    resolved = rules.resolve("s")
    (explanation,) = rules.explain("p", resolved, "v", datetime(2021, 6, 1, tzinfo=SH))
    assert explanation.source == "s"
    assert explanation.live == ()
    assert [r.id for r in explanation.near] == ["z-first", "m-middle", "a-last"]


def test_the_platform_given_decides_the_zone(zones):
    assert zones.parse_when("2023-01-01", "west") == datetime(2023, 1, 1, tzinfo=LA)
    assert zones.instant(None, "west").tzinfo == LA  # now, in the platform's zone
    assert zones.instant(None, "east").tzinfo == SH


def test_check_takes_a_source_already_resolved(bundled):
    from linkcheck.model import Resolved

    resolved = Resolved("天猫", "tmall", ("tmall",), "source", None)
    assert bundled.check(resolved, "livestream", "2022-11-11").verdict == "allowed"


GROUPED = """
schema = 1
timezone = "Asia/Shanghai"
[platforms.p]
name = "P"
[sources.s1]
name = "S1"
[sources.s2]
name = "S2"
[sources.s3]
name = "S3"
[groups.both]
name = "Both"
members = ["s1", "s2"]
[groups.mixed]
name = "Mixed"
members = ["s1", "s3"]
[surfaces.v]
name = "V"
[horizon.p]
as_of = 2022-01-01
through = 2022-12-31
[[rule]]
id = "shared"
platform = "p"
verdict = "allow"
sources = ["s1", "s2"]
surfaces = "*"
start = 2022-01-01
citation = { quote = "q", source = "m" }
[[rule]]
id = "own"
platform = "p"
verdict = "allow"
sources = ["s3"]
surfaces = "*"
start = 2022-01-01
citation = { quote = "q", source = "m" }
[[rule]]
id = "old"
platform = "p"
verdict = "deny"
sources = ["s1", "s2"]
surfaces = "*"
start = 2021-01-01
citation = { quote = "q", source = "m" }
[[rule]]
id = "only-s2"
platform = "p"
verdict = "unknown"
sources = ["s2"]
surfaces = "*"
start = 2021-06-01
citation = { quote = "q", source = "m" }
"""


def test_candidates_merged_before_and_past_the_horizon(tmp_path):
    from linkcheck.model import Known

    path = tmp_path / "grouped.toml"
    path.write_text(GROUPED, encoding="utf-8")
    rules = linkcheck.load_rules([path], defaults=False)
    both = rules.check("both", "v", "2022-06-01")
    assert (both.verdict, both.reason, both.rule.id) == ("allowed", "rule", "shared")
    # what the shared rule overrides, as the first candidate sees it; each candidate's own
    # list is in `candidates`
    assert [r.id for r in both.overridden] == ["old"]
    assert [[r.id for r in c.overridden] for c in both.candidates] == [["old"], ["only-s2", "old"]]
    assert both.kind == "group"
    mixed = rules.check("mixed", "v", "2022-06-01")  # agree on the verdict, not the rule
    assert (mixed.verdict, mixed.reason, mixed.rule) == ("allowed", "rule", None)
    assert mixed.overridden == ()  # no shared rule: nothing it overrides
    late = rules.check("both", "v", "2023-02-01")
    assert (late.verdict, late.reason) == ("unknown", "beyond_horizon")
    assert late.last_known == Known("allowed", rules.rules[0])
    assert rules.check("mixed", "v", "2023-02-01").last_known == Known("allowed", None)
    assert rules.check("s1", "v", "2021-06-01").last_known is None  # before the horizon


def test_candidates_that_disagree_before_the_horizon_last_knew_nothing(bundled):
    from linkcheck.model import Known

    late = bundled.check("taobao-union", "livestream", "2023-02-01")
    assert [c.last_known.verdict for c in late.candidates] == ["allowed", "unknown"]
    assert late.last_known == Known("unknown", None)


@pytest.mark.parametrize(
    "source, kind",
    [("tmall", "source"), ("taobao-union", "group"),
     ("https://detail.tmall.com/item.htm?id=1", "link"), ("https://item.jd.com/1.html", "link")],
)  # fmt: skip
def test_a_decision_says_how_its_source_was_named(bundled, source, kind):
    assert bundled.check(source, "livestream", "2022-11-11").kind == kind


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda r: r.check(None, "livestream", "2022-11-11"), "source must be a str, not NoneType"),
        (lambda r: r.check(b"tmall", "livestream"), "source must be a str, not bytes"),
        (lambda r: r.check(1, "livestream"), "source must be a str, not int"),
        (lambda r: r.check("tmall", None, "2022-11-11"), "surface must be a str, not NoneType"),
        (lambda r: r.check("tmall", "livestream", None, 1), "platform must be a str, not int"),
        (lambda r: r.classify(None), "url must be a str, not NoneType"),
        (lambda r: r.resolve_source(None), "source must be a str, not NoneType"),
        (lambda r: r.parse_when(None), "text must be a str, not NoneType"),
    ],
)  # fmt: skip
def test_a_wrong_argument_type_is_a_type_error_naming_it(bundled, call, message):
    """None, bytes or a number where a name is asked for reached the name matching: 'argument
    of type NoneType is not iterable' from inside the library (a new user's trial)."""
    with pytest.raises(TypeError) as info:
        call(bundled)
    assert str(info.value) == message


def test_one_string_where_a_list_is_taken_is_one_item(bundled):
    """load_rules("team.toml") read each character as a path (23 'not found' problems), and
    surface_list("直播") each character as a surface (a new user's trial)."""
    team = linkcheck.load_rules("examples/team-2023.toml")
    assert len(team.rules) > len(bundled.rules)
    assert bundled.surface_list("直播") == ("livestream",)
    from linkcheck.batch.run import ChecklistOptions

    assert ChecklistOptions(surfaces="直播").surfaces == ("直播",)
    with pytest.raises(ValueError, match="engine must be one of python, duckdb, auto, not 'spark'"):
        ChecklistOptions(engine="spark")
    with pytest.raises(ValueError, match="output_format must be one of csv, tsv"):
        ChecklistOptions(output_format="xml")


@pytest.mark.parametrize("machine", ["UTC", "America/Los_Angeles", "Pacific/Kiritimati"])
def test_a_naive_now_is_the_platforms_zone_never_the_machines(bundled, monkeypatch, machine):
    """parse_when("today", now=naive) was the machine's: 2022-01-01 at UTC, 2022-01-02 in Los
    Angeles (a new user's trial)."""
    import time

    monkeypatch.setenv("TZ", machine)
    time.tzset()
    try:
        got = bundled.parse_when("today", now=datetime(2022, 1, 1, 10))
        assert got == datetime(2022, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
        assert bundled.parse_when("+1d", now=datetime(2022, 1, 1, 23, 30)).date() == date(
            2022, 1, 2
        )
    finally:
        monkeypatch.undo()
        time.tzset()


def test_decide_takes_ids_and_an_aware_instant_or_says_what_it_was_given(bundled):
    """decide() answered what it was not asked: the platform '快手' (a name, not the id)
    unknown for Tmall in its window, the surface '直播' likewise (a new user's trial)."""
    at = datetime(2022, 11, 11, tzinfo=ZoneInfo("Asia/Shanghai"))
    tmall = bundled.resolve("tmall")
    assert bundled.decide("kuaishou", tmall, "livestream", at).verdict == "allowed"
    with pytest.raises(UnknownNameError, match="unknown platform 'nowhere'"):
        bundled.decide("nowhere", tmall, "livestream", at)
    with pytest.raises(UnknownNameError, match="'快手' is a platform's name, not its id"):
        bundled.decide("快手", tmall, "livestream", at)
    with pytest.raises(UnknownNameError, match="'直播' is a surface's name, not its id"):
        bundled.decide("kuaishou", tmall, "直播", at)
    from linkcheck.errors import DateError

    with pytest.raises(DateError, match="must be a datetime with its zone"):
        bundled.decide("kuaishou", tmall, "livestream", datetime(2022, 11, 11))


@pytest.mark.parametrize(
    ("year", "error"), [(0, ValueError), (22, ValueError), (10000, ValueError), (True, TypeError),
                        ("2022", TypeError), (2022.0, TypeError)],
)  # fmt: skip
def test_a_year_given_to_the_library_is_four_digits_as_year_takes(bundled, year, error):
    """year=0 was read as no year (the note said '--year 0'), True as the year 1 and 22 as
    the year 22 (a trial); the CLI's --year takes 1000 to 9999."""
    from linkcheck.batch import ChecklistOptions

    with pytest.raises(error, match="year must be"):
        bundled.parse_when("11月11日", year=year)
    with pytest.raises(error, match="year must be"):
        ChecklistOptions(year=year)
    assert bundled.parse_when("11月11日", year=2022).year == 2022


def test_checklist_options_refuse_a_column_of_no_meaning(tmp_path):
    """columns={'dat': …} was ignored: every row answered at now (a trial); a position may
    be a number."""
    from linkcheck.batch import ChecklistOptions

    with pytest.raises(ValueError, match="'dat' is no meaning; use source, url, surface, date"):
        ChecklistOptions(columns={"dat": "日期"})
    with pytest.raises(TypeError, match=r"columns\['date'\] must be a header or a position"):
        ChecklistOptions(columns={"date": 4.5})
    assert ChecklistOptions(columns={"date": 4}).columns == {"date": "4"}
    with pytest.raises(ValueError, match="input_format must be one of"):
        ChecklistOptions(input_format="xml")


def test_decide_refuses_a_surface_id_no_file_defines_but_the_defaults(bundled, tmp_path):
    """'livestrem' was answered denied by the rule for every surface, where livestream is
    allowed (a trial); the default surfaces are answered even by a vocabulary of its own."""
    import linkcheck
    from linkcheck.errors import UnknownNameError

    at = datetime(2022, 11, 11, tzinfo=ZoneInfo("Asia/Shanghai"))
    with pytest.raises(UnknownNameError, match=r"unknown surface 'livestrem' .*'livestream'"):
        bundled.decide("kuaishou", bundled.resolve("tmall"), "livestrem", at)
    assert bundled.decide("kuaishou", bundled.resolve("tmall"), "livestream", at).verdict == (
        "allowed"
    )
    own = tmp_path / "own.toml"
    own.write_text('schema = 1\n[platforms.p]\nname = "P"\n[sources.a]\nname = "A"\n'
                   '[surfaces.page]\nname = "Page"\n', encoding="utf-8")  # fmt: skip
    rules = linkcheck.load_rules([str(own)], defaults=False)
    assert rules.decide("p", rules.resolve("a"), "livestream", at).verdict == "unknown"


@pytest.mark.parametrize(
    ("call", "message"),
    [(lambda r: r.platform_id(b"ks"), "platform must be a str, not bytes"),
     (lambda r: r.platform_id(1), "platform must be a str, not int"),
     (lambda r: r.surface_list([b"x"]), "must be a str, not bytes"),
     (lambda r: r.parse_when(None), "text must be a str, not NoneType"),
     (lambda r: r.parse_when("today", now=date(2022, 11, 11)), "now must be a datetime, not date"),
     (lambda r: r.parse_when("tomorrow", now="2022-11-11"), "now must be a datetime, not str"),
     (lambda r: r.narrow("tmall", r.resolve("tmall"), "--as"),
      r"resolved must be a Resolved \(RuleSet.resolve\(name\)\), not str"),
     (lambda r: r.narrow(r.resolve("tmall"), "tmall", "--as"), "stated must be a Resolved"),
     (lambda r: r.timeline("kuaishou", "tmall", "livestream").segment(datetime(2022, 11, 11)),
      "at must be a datetime with its zone, not datetime.datetime"),
     (lambda r: r.timeline("kuaishou", "tmall", "livestream").segment("2022-11-11"),
      "at must be a datetime with its zone, not '2022-11-11'"),
     (lambda r: r.timeline("kuaishou", "tmall", "livestream").in_force(datetime(2022, 11, 11)),
      "at must be a datetime with its zone"),
     (lambda r: r.decide("kuaishou", "tmall", "livestream", datetime(2022, 11, 11, tzinfo=UTC)),
      r"resolved must be a Resolved \(RuleSet.resolve\(name\)\), not str"),
     (lambda r: r.explain("kuaishou", "tmall", "livestream", datetime(2022, 11, 11, tzinfo=UTC)),
      "resolved must be a Resolved"),
     (lambda r: r.timeline(None, "tmall", "livestream"), "platform must be a str, not NoneType"),
     (lambda r: r.timeline("kuaishou", "tmall", "livestream").index("1"),
      "at_micros must be an int, not str"),
     (lambda r: r.timeline("kuaishou", "tmall", "livestream").reason("1"),
      "index must be an int"),
     (lambda r: r.timeline("kuaishou", "tmall", "livestream").next_change(1.0),
      "index must be an int"),
     (lambda r: r.resolve("item.jd.com/1.html", exact=r.resolve_source("jd-self")),
      "exact must be a str, not Resolved"),
     (lambda r: linkcheck.load_rules(None), "paths must be a path or paths"),
     (lambda r: linkcheck.load_rules(b"team.toml"), "paths must be a path or paths"),
     (lambda r: linkcheck.load_rules(defaults="no"), "defaults must be True or False, not 'no'")],
)  # fmt: skip
def test_a_wrong_type_is_a_type_error_naming_the_argument(bundled, call, message):
    # 'normalize() argument 2 must be str', 'object of type int has no len()' (a trial)
    with pytest.raises(TypeError, match=message):
        call(bundled)


def test_a_segment_index_outside_the_timeline_is_an_index_error(bundled):
    """rule(-1) was the last segment's rule (past the horizon, a rule the timeline never
    gives there), next_change(999) Python's 'list index out of range' (a trial)."""
    timeline = bundled.timeline("kuaishou", "tmall", "livestream")
    last = len(timeline.bounds)
    assert timeline.rule(last) is None and timeline.reason(last) == "beyond_horizon"
    for call in (timeline.rule, timeline.reason, timeline.next_change):
        for index in (-1, last + 1, 999):
            with pytest.raises(IndexError, match=f"no segment {index}: this timeline's are 0 to "):
                call(index)


@pytest.mark.parametrize(
    ("ids", "message"),
    [(("快手", "tmall", "livestream"), "'快手' is a platform's name, not its id"),
     (("kuaishou", "天猫", "livestream"), "'天猫' is a source's name, not its id"),
     (("kuaishou", "tmal", "livestream"), "unknown source 'tmal' \\(did you mean 'tmall'\\?\\)"),
     (("kuaishou", "jd-union", "livestream"), r"'jd-union' is a group \(jd-self, jd-pop\)"),
     (("kuaishou", "tmall", "直播"), "'直播' is a surface's name, not its id"),
     (("kuaishou", "tmall", "nosuch"), "unknown surface 'nosuch'")],
)  # fmt: skip
def test_a_timeline_is_asked_for_by_ids_the_rules_define(bundled, ids, message):
    """A name, a group or a misspelt id gave a timeline of no rules — unknown, without a
    word (a trial): an UnknownNameError, as decide() gives; a default surface no file
    defines is one still."""
    from linkcheck.errors import UnknownNameError

    with pytest.raises(UnknownNameError, match=message):
        bundled.timeline(*ids)
    assert bundled.timeline("kuaishou", "tmall", "livestream").rules


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"options": None}, "options must be a ChecklistOptions, not NoneType"),
     ({"rules": "team.toml"}, "rules must be a RuleSet, not str")],
)  # fmt: skip
def test_run_checklist_names_a_wrong_argument(kwargs, message):
    import io

    from linkcheck.batch import run_checklist

    with pytest.raises(TypeError, match=message):
        run_checklist(io.BytesIO(b"source\ntmall\n"), io.BytesIO(), **kwargs)
    with pytest.raises(TypeError, match="sink must be a path, a binary stream or a Writer"):
        run_checklist(io.BytesIO(b"source\ntmall\n"), None)


def test_decide_answers_in_the_platforms_zone_and_an_instant_past_the_calendar_is_a_date_error(
    bundled,
):
    # Decision.at kept the caller's zone (Kiritimati), and datetime.max in UTC, past
    # 9999-12-31 in Shanghai, was an OverflowError (a trial)
    from linkcheck.errors import DateError

    far = datetime(2022, 10, 27, 2, tzinfo=ZoneInfo("Pacific/Kiritimati"))
    decided = bundled.decide("kuaishou", bundled.resolve("tmall"), "livestream", far)
    assert decided.at == far and decided.at.utcoffset() == timedelta(hours=8)
    assert decided.verdict == "denied"  # 2022-10-26 20:00 in Shanghai: before the window
    with pytest.raises(DateError, match="date out of range"):
        bundled.check("tmall", "livestream", datetime.max.replace(tzinfo=UTC))


def test_explain_refuses_a_naive_instant_as_decide_does(bundled):
    # it was Python's own "can't subtract offset-naive and offset-aware datetimes" (a trial)
    from linkcheck.errors import DateError

    with pytest.raises(DateError, match="must be a datetime with its zone"):
        bundled.explain("kuaishou", bundled.resolve("tmall"), "livestream", datetime(2022, 11, 11))


def test_parse_when_needs_a_zone_to_give_an_aware_instant():
    # parse_when(text, None) gave a naive datetime, where its result is aware (a trial)
    from linkcheck.when import parse_when

    with pytest.raises(TypeError, match="tz must be a tzinfo"):
        parse_when("2022-11-11", None)
