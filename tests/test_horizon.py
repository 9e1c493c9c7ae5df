"""The rules' horizon: past the last day a rules file vouches for, every answer is unknown.

SPEC §3 ("The horizon of the bundled rules") and §4 ("Horizon"). Expected values are literal.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

import linkcheck
from linkcheck.rules import Loader

from .helpers import BASE_DAY, SHANGHAI, VOCAB, examples, rule_specs, toml_rules

NOW_NOTE = "note: the loaded rules for kuaishou know nothing after 2022-12-31 (as of 2022-10-28)"


# ---------------------------------------------------------------------- check


def test_check_today_is_unknown_beyond_the_horizon(run):
    result = run("check", "tmall")  # --on defaults to now: late 2026
    assert result.exit_code == 3
    lines = result.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["unknown", "unknown"]
    assert [line.split("\t")[5] for line in lines] == ["-", "-"]
    assert result.stderr.splitlines() == [
        NOW_NOTE + "; last known: livestream allowed (kuaishou-2022-tmall-window), "
        "short-video allowed (kuaishou-2022-tmall-window)",
        "note: load a newer rules file that moves [horizon.kuaishou] (--rules FILE)",
    ]


def test_check_json_beyond_the_horizon(run):
    result = run("check", "tmall", "-s", "livestream", "--on", "2024-06-18", "--json")
    assert result.exit_code == 3
    doc = json.loads(result.stdout)
    assert doc["verdict"] == "unknown"
    (res,) = doc["results"]
    assert (res["verdict"], res["reason"], res["rule"]) == ("unknown", "beyond_horizon", None)
    assert res["horizon"] == {
        "through": "2022-12-31",
        "as_of": "2022-10-28",
        "file": "rules.toml (bundled)",
    }
    assert res["last_known"] == {"verdict": "allowed", "rule": "kuaishou-2022-tmall-window"}
    assert (res["next_change"], res["overridden"]) == (None, [])


def test_check_text_beyond_the_horizon(run):
    result = run(
        "check", "天猫", "-s", "直播", "--on", "双11", "--format", "text", "--color", "never"
    )
    assert result.exit_code == 3
    flat = " ".join(result.stdout.split())
    # 双11 is this year's, in the platform's zone (not the machine's: on 31 December in
    # Los Angeles it is already next year in Shanghai)
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year
    assert f"Tmall on Kuaishou · {year}-11-11 00:00" in flat
    assert "? unknown livestream beyond the rules' horizon" in flat
    assert "know nothing after 2022-12-31 (facts as of 2022-10-28" in flat
    assert "last known, on 2022-12-31: allowed (kuaishou-2022-tmall-window)" in flat
    assert f"to answer for {year}-11-11: load a newer rules file that moves [horizon.kuaishou]" in (
        flat
    )


def test_explain_past_the_tmall_window_cites_the_unclear_future(run):
    result = run("check", "tmall", "--on", "2023-01-05", "--explain", "-s", "livestream")
    assert result.exit_code == 3
    text = result.stdout
    assert "  beyond the rules' horizon: the loaded rules for Kuaishou know nothing after" in text
    assert "  last known, on 2022-12-31: allowed (kuaishou-2022-tmall-window)" in text
    assert (
        "  kuaishou-2022-after-tmall-window: unknown 2023-01-01 → open-ended: wins: latest "
        "start, but the instant lies past the horizon"
    ) in text
    assert "目前还不清楚是否会在截止日期后继续合作" in text
    assert result.stderr == ""  # --explain says it on stdout


def test_explain_of_a_link_of_two_sources_past_the_horizon_names_each_ones_rule(run):
    """A JD link past the horizon: each candidate said "unknown (no rule)" and the last
    known verdict "(no rule)", where each has its own rule; and Chinese named the platform
    by its id (已加载的kuaishou规则: a trial)."""
    args = ("check", "https://item.jd.com/1.html", "--on", "2026-01-01", "-s", "livestream",
            "--explain", "--format", "plain")  # fmt: skip
    flat = " ".join(run(*args).stdout.split())
    assert "candidate jd-self: unknown (beyond the horizon)" in flat
    assert "candidate jd-pop: unknown (beyond the horizon)" in flat
    assert (
        "last known, on 2022-12-31: unknown (jd-self kuaishou-2022-after-jd-self-window, "
        "jd-pop kuaishou-2022-jd-pop-disputed)"
    ) in flat
    chinese = "".join(run("--lang", "zh", *args).stdout.split())
    assert "已加载的快手规则对2022-12-31之后一无所知" in chinese
    assert "候选jd-self：未知（超出规则范围）" in chinese


def test_jd_pop_is_unknown_with_both_parties_words(run):
    result = run("check", "jd-pop", "--on", "2022-11-11", "--json")
    assert result.exit_code == 3
    rule = json.loads(result.stdout)["results"][0]["rule"]
    assert rule["id"] == "kuaishou-2022-jd-pop-disputed"
    assert rule["citation"]["by"] == "京东联盟"
    assert "全面恢复" in rule["citation"]["quote"]
    assert "本次合作的重点是天猫和京东的自营产品" in rule["note"]  # Kuaishou's words
    text = run("check", "jd-pop", "--on", "2022-11-11", "--format", "text", "--color", "never")
    flat = "".join(text.stdout.split())
    assert "全面恢复" in flat and "本次合作的重点是天猫和京东的自营产品" in flat


def test_live_preview_during_the_reopening(run):
    tmall = run("check", "tmall", "-s", "live-preview", "--on", "2022-11-11", "--format", "plain")
    assert tmall.exit_code == 0
    assert tmall.stdout.endswith("\tkuaishou-2022-tmall-preview\n")
    jd = run("check", "jd-self", "-s", "直播预告", "--on", "2022-11-30", "--format", "plain")
    assert jd.stdout.endswith("\tkuaishou-2022-jd-self-preview\n")


def test_the_python_api_carries_the_horizon(bundled):
    d = bundled.check("tmall", "livestream", "2023-01-01")
    assert (d.verdict, d.reason, d.rule) == ("unknown", "beyond_horizon", None)
    assert (d.horizon.platform, d.horizon.through, d.horizon.as_of) == (
        "kuaishou",
        date(2022, 12, 31),
        date(2022, 10, 28),
    )
    assert (d.last_known.verdict, d.last_known.rule.id) == (
        "allowed",
        "kuaishou-2022-tmall-window",
    )
    inside = bundled.check("tmall", "livestream", "2022-12-31")
    assert (inside.verdict, inside.last_known) == ("allowed", None)
    assert inside.horizon.through == date(2022, 12, 31)
    link = bundled.check("https://item.jd.com/1.html", "livestream", "2023-02-01")
    assert (link.verdict, link.reason) == ("unknown", "beyond_horizon")
    assert link.last_known == linkcheck.model.Known("unknown", None)  # jd-self and jd-pop
    # the article describes Douyin's present and nothing ahead: its horizon is its as_of
    assert bundled.horizon("douyin").through == date(2022, 10, 28)
    douyin = bundled.check("tmall", "livestream", "2022-11-11", "douyin")
    assert (douyin.verdict, douyin.reason, douyin.rule) == ("unknown", "beyond_horizon", None)
    assert douyin.last_known.verdict == "denied"
    assert douyin.last_known.rule.id == "douyin-2020-closed-loop"


# ---------------------------------------------------------------------- batch


def test_batch_rows_past_the_horizon_say_why(run):
    result = run("batch", "-", "-s", "livestream", input="source,date\ntmall,2023-06-01\n")
    assert result.exit_code == 1
    row = result.stdout.splitlines()[1]
    assert row == (
        "tmall,2023-06-01,livestream,unknown,,,beyond the rules' horizon: nothing known after "
        "2022-12-31 (as of 2022-10-28); last known: allowed (kuaishou-2022-tmall-window); "
        "load a newer rules file that moves [horizon.kuaishou] (--rules FILE)"
    )


# ---------------------------------------------------------------------- a team file


TEAM = """
schema = 1
timezone = "Asia/Shanghai"

[horizon.kuaishou]
as_of = 2023-05-20
through = 2023-12-31

[[rule]]
id = "team-2023-tmall-618"
platform = "kuaishou"
verdict = "allow"
sources = ["tmall"]
surfaces = ["livestream", "short-video"]
start = 2023-06-01
end = 2023-06-18
citation = { quote = "an announcement", source = "team memo" }
"""


def test_a_team_file_moves_the_horizon_and_adds_a_window(run, tmp_path):
    team = tmp_path / "team.toml"
    team.write_text(TEAM, encoding="utf-8")
    inside = run("check", "tmall", "--rules", str(team), "--on", "2023年618", "--json")
    assert inside.exit_code == 0
    res = json.loads(inside.stdout)["results"][0]
    assert (res["verdict"], res["rule"]["id"]) == ("allowed", "team-2023-tmall-618")
    assert res["horizon"]["through"] == "2023-12-31"
    assert res["next_change"] == {"at": "2023-06-19T00:00:00+08:00", "verdict": "unknown"}
    before = run("check", "tmall", "--rules", str(team), "--on", "2023-05-31", "-s", "livestream")
    assert before.stdout.split("\t")[::5] == ["unknown", "kuaishou-2022-after-tmall-window\n"]
    after = run("check", "tmall", "--rules", str(team), "--on", "2024-01-01", "--json")
    assert json.loads(after.stdout)["results"][0]["reason"] == "beyond_horizon"
    lint = run("rules", "lint", str(team))
    assert lint.exit_code == 0 and lint.stdout.strip().endswith(": clean")


def test_a_file_may_extend_the_horizon_without_rules(tmp_path):
    checked = tmp_path / "checked.toml"
    checked.write_text(
        "schema = 1\n[horizon.douyin]\nas_of = 2025-06-01\nthrough = 2025-06-30\n",
        encoding="utf-8",
    )
    rules = linkcheck.load_rules([checked])
    d = rules.check("tmall", "livestream", "2025-06-30", "douyin")
    assert (d.verdict, d.rule.id) == ("denied", "douyin-2020-closed-loop")
    assert rules.check("tmall", "livestream", "2025-07-01", "douyin").reason == "beyond_horizon"
    # an earlier `through` in a later file does not pull the horizon back
    older = tmp_path / "older.toml"
    older.write_text(
        "schema = 1\n[horizon.douyin]\nas_of = 2022-01-01\nthrough = 2022-06-30\n",
        encoding="utf-8",
    )
    both = linkcheck.load_rules([checked, older])
    assert both.horizon("douyin").through == date(2025, 6, 30)


def test_rules_lint_warns_when_a_file_with_rules_states_no_horizon(run, tmp_path):
    team = tmp_path / "team.toml"
    team.write_text(TEAM.replace("[horizon.kuaishou]", "[horizon.douyin]"), encoding="utf-8")
    result = run("rules", "lint", str(team), env={"COLUMNS": "1000"})  # one line a problem
    assert result.exit_code == 0  # a warning only
    assert result.stdout.splitlines()[0] == (
        f"warning: {team}: top level: rules for 'kuaishou' but no [horizon.kuaishou] (as_of, "
        "through: how far this file's knowledge reaches); the loaded horizon (2022-12-31, "
        "rules.toml (bundled)) applies to its rules"
    )
    assert run("rules", "lint", str(team), "--strict").exit_code == 1


# ---------------------------------------------------------------------- names and dates


def test_names_people_type(bundled):
    for name, source in [
        ("天猫旗舰店", "tmall"),
        ("天猫官方旗舰店", "tmall"),
        ("JD自营", "jd-self"),
        ("京东自营店", "jd-self"),
        ("京东POP店", "jd-pop"),
    ]:
        assert bundled.resolve(name).id == source, name


def test_a_mistyped_name_suggests_the_closest_source_first(run):
    for typed, first in [("JD自营点", "jd-self"), ("天苗", "tmall"), ("京东自营铺", "jd-self")]:
        result = run("check", typed)
        assert result.exit_code == 2
        assert f"(did you mean '{first}'" in result.stderr, result.stderr


def test_618_is_a_date_like_double_11(bundled):
    tz = bundled.zone()
    now = datetime(2022, 5, 1, tzinfo=tz)
    for text in ("618", "6·18", "６１８", "2022年618"):
        assert bundled.parse_when(text, now=now) == datetime(2022, 6, 18, tzinfo=tz), text


# ---------------------------------------------------------------------- property


@settings(max_examples=examples(200), deadline=None)
@given(
    specs=st.lists(rule_specs(30), max_size=6),
    through=st.integers(-2, 32),
    source=st.sampled_from(["a", "b"]),
    surface=st.sampled_from(["x", "y"]),
    day=st.integers(-3, 34),
    hour=st.integers(0, 23),
)
def test_no_instant_past_the_horizon_is_decided(specs, through, source, surface, day, hour):
    text = toml_rules(specs, lambda n: (BASE_DAY + timedelta(days=n)).isoformat())
    horizon = f"[horizon.p]\nas_of = 2021-12-01\nthrough = {BASE_DAY + timedelta(days=through)}\n"
    with_horizon, without = Loader(), Loader()
    for loader, extra in ((with_horizon, horizon), (without, "")):
        loader.add_text(VOCAB, "vocab.toml")
        loader.add_text(text + "\n" + extra, "random.toml")
        assert [p for p in loader.problems if p.level == "error"] == []
    bounded = linkcheck.RuleSet(with_horizon.catalog)
    free = linkcheck.RuleSet(without.catalog)
    at = datetime.combine(BASE_DAY + timedelta(days=day), datetime.min.time(), SHANGHAI)
    at += timedelta(hours=hour)
    d = bounded.check(source, surface, at)
    if day > through:
        assert (d.verdict, d.reason, d.rule, d.next_change) == (
            "unknown",
            "beyond_horizon",
            None,
            None,
        )
        last_instant = datetime.combine(
            BASE_DAY + timedelta(days=through), datetime.max.time(), SHANGHAI
        )
        last = free.check(source, surface, last_instant)
        assert d.last_known.verdict == last.verdict
        assert (d.last_known.rule and d.last_known.rule.id) == (last.rule and last.rule.id)
    else:
        e = free.check(source, surface, at)
        assert (d.verdict, d.reason) == (e.verdict, e.reason)
        assert (d.rule and d.rule.id) == (e.rule and e.rule.id)
        # the next change is the free one, or the horizon itself if that comes first
        end = datetime.combine(
            BASE_DAY + timedelta(days=through + 1), datetime.min.time(), SHANGHAI
        )
        if e.next_change is not None and e.next_change.at < end:
            assert d.next_change == e.next_change
        elif d.verdict != "unknown":
            assert (d.next_change.at, d.next_change.verdict) == (end, "unknown")
        else:
            assert d.next_change is None


def test_the_plain_formats_note_is_in_chinese_under_lang_zh(run):
    """The answer lines are for programs (ids, the same in every language); the note on
    stderr is for people: in Chinese it named kuaishou, livestream and allowed in English
    (a new user's trial). Now as the terminal view names them."""
    # the default surfaces: two answers, both named in the note
    result = run("--lang", "zh", "check", "tmall", "-d", "2023-03-01", "--format", "plain",
                 ok=False)  # fmt: skip
    answers = [line.split("\t")[:4] for line in result.stdout.splitlines()]
    assert answers == [["unknown", "kuaishou", "tmall", "livestream"],
                       ["unknown", "kuaishou", "tmall", "short-video"]]  # fmt: skip
    note = "".join(line.strip() for line in result.stderr.splitlines())  # wrapped or not
    assert note.startswith(
        "注意：已加载的快手规则对 2022-12-31 之后一无所知（截至 2022-10-28）；"
        "最后已知：直播间购物车可以挂链（kuaishou-2022-tmall-window）、"
        "短视频购物车可以挂链（kuaishou-2022-tmall-window）"
    )
    assert re.search("[a-z]+ (allowed|denied|unknown)", note) is None, note
