"""`rules list`, `rules show`, `rules lint`, `rules diff`."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import linkcheck
from linkcheck.lint import diff, lint
from linkcheck.rules import Loader

from .helpers import (
    BASE_DAY,
    BUNDLED_FILE,
    BUNDLED_SHA256,
    SHANGHAI,
    TEAM,
    VOCAB,
    assert_clean_error,
    examples,
    random_ruleset,
    rule_specs,
    rule_table,
    toml_rules,
)

BROKEN = Path(__file__).parent / "rules_broken"
FILES = sorted(BROKEN.glob("*.toml"))


def expectations(path: Path) -> list[tuple[str, str, str, str]]:
    """`# expect: level | where | field | message fragment` lines at the top of a file; a
    fragment written `= message` is the whole message."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            level, where, field, fragment = (p.strip() for p in line[9:].split("|", 3))
            out.append((level, where, field, fragment))
    return out


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_broken_files_report_exactly_the_expected_problems(path):
    problems = lint([str(path)])
    expected = expectations(path)
    assert len(problems) == len(expected), [str(p) for p in problems]
    for level, where, field, fragment in expected:
        matching = [
            p
            for p in problems
            if p.level == level
            and p.where == where
            and (p.field or "") == field
            and (p.message == fragment[2:] if fragment.startswith("= ") else fragment in p.message)
            and p.file == str(path)
        ]
        assert len(matching) == 1, (level, where, field, fragment, [str(p) for p in problems])


def test_bundled_rules_lint_clean(run):
    assert lint() == []
    result = run("rules", "lint")
    assert result.exit_code == 0
    assert result.stdout.strip() == "the bundled rules: clean"


@pytest.mark.parametrize(
    ("name", "args", "code"),
    [
        ("unknown_keys.toml", [], 1),
        ("equal_start_conflict.toml", [], 0),
        ("equal_start_conflict.toml", ["--strict"], 1),
        ("clean_team.toml", ["--strict"], 0),
        ("syntax.toml", [], 1),
    ],
)
def test_lint_exit_codes(run, name, args, code):
    result = run("rules", "lint", str(BROKEN / name), *args)
    assert result.exit_code == code, result.output


def test_lint_reports_every_file_and_json(run):
    files = [str(BROKEN / "unknown_keys.toml"), str(BROKEN / "never_decides.toml")]
    result = run("rules", "lint", *files, "--format", "json")
    doc = json.loads(result.stdout)
    assert (doc["errors"], doc["warnings"]) == (5, 2)
    first = doc["problems"][0]
    assert set(first) == {"file", "where", "field", "level", "message"}
    assert {p["file"] for p in doc["problems"]} == set(files)
    text = run("rules", "lint", *files)
    assert text.exit_code == 1
    assert "error: " + files[0] + ": [[rule]] #1 'team-a': unknown key 'ends'" in text.stdout
    assert text.stdout.rstrip().endswith("5 errors, 2 warnings")
    one = run("rules", "lint", str(BROKEN / "rule_fields.toml"), env={"COLUMNS": "1000"})
    assert one.stdout.rstrip().endswith(": 7 errors, 1 warning"), one.stdout


def test_lint_missing_file_is_exit_2(run, tmp_path):
    assert_clean_error(run("rules", "lint", str(tmp_path / "nope.toml")), "nope.toml", "not found")
    assert_clean_error(run("rules", "lint", str(tmp_path)), "is a directory")


def test_lint_without_default_rules_stands_alone(run):
    result = run("rules", "lint", str(BROKEN / "clean_team.toml"), "--no-default-rules")
    assert result.exit_code == 1
    assert "unknown platform 'kuaishou'" in result.stdout


# ---------------------------------------------------------------------- list / show


@pytest.mark.parametrize(
    ("on", "expected"),
    [("2022-12-31", (True, True)), ("2023-01-01", (None, None)), ("2026-12-03", (None, None))],
)
def test_past_the_horizon_no_rule_is_said_to_be_in_force(run, on, expected):
    """A new user's finding: with no --on (2026), `rules list` said the 2022 cut-off and the
    shop rule were in force — while `check` says the rules know nothing of 2026."""
    rules = json.loads(run("rules", "list", "--on", on, "--json").stdout)["rules"]
    by_id = {r["id"]: r["in_force"] for r in rules}
    assert (by_id["kuaishou-2022-03-cutoff"], by_id["kuaishou-shop"]) == expected
    assert by_id["kuaishou-2018-open"] is False  # a window that has ended stays "no"
    plain = run("rules", "list", "--on", on).stdout
    shop = next(line for line in plain.splitlines() if line.startswith("kuaishou-shop\t"))
    assert shop.split("\t")[-2] == {True: "yes", None: "unknown"}[expected[1]]


def test_list_plain_marks_rules_in_force(run):
    result = run("rules", "list", "--on", "2022-11-11")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "ID",
        "PLATFORM",
        "VERDICT",
        "SOURCES",
        "SURFACES",
        "WINDOW",
        "IN_FORCE",
        "FILE",
    ]
    by_id = {line.split()[0]: line for line in lines[1:]}
    assert len(by_id) == 18 + 2  # and the rules file and horizon lines after the table
    assert "\t2022-10-28 → 2022-12-31\tyes\t" in by_id["kuaishou-2022-tmall-window"]
    assert "\t2018-08-01 → 2022-02-28\tno\t" in by_id["kuaishou-2018-open"]
    assert lines[-3] == (
        f"rules file rules.toml (bundled): version 3, sha256 {BUNDLED_SHA256}; horizons: "
        "kuaishou through 2022-12-31 (as of 2022-10-28), douyin through 2022-10-28 (as of "
        "2022-10-28)"
    )
    assert lines[-2:] == [
        "horizon kuaishou: through 2022-12-31 (as of 2022-10-28, rules.toml (bundled)); "
        "later instants are unknown",
        "horizon douyin: through 2022-10-28 (as of 2022-10-28, rules.toml (bundled)); "
        "later instants are unknown",
    ]


@pytest.mark.parametrize("columns", ["40", "80", "250"])
def test_list_plain_is_a_line_a_rule_whatever_the_width(run, columns):
    """Piped, `rules list` is read by programs: a header and a rule a line, eight
    tab-separated fields, at any width — at 80 columns (a pipe's) it was a record of eight
    lines a rule, at 250 a space-aligned table (a new user's trial)."""
    lines = run("rules", "list", "--on", "2022-11-11", env={"COLUMNS": columns}).stdout
    lines = lines.splitlines()
    assert lines[0] == "ID\tPLATFORM\tVERDICT\tSOURCES\tSURFACES\tWINDOW\tIN_FORCE\tFILE"
    rules = [line.split("\t") for line in lines[1:19]]
    assert all(len(r) == 8 for r in rules), rules
    assert rules[0][0] == "kuaishou-2018-07-launch-month"
    assert "\t" not in lines[19]  # the rules files and horizons, after the rules
    # a line each, never wrapped: a sha256 cut in two is no hash to compare (a third trial)
    assert lines[19] == (
        f"rules file rules.toml (bundled): version 3, sha256 {BUNDLED_SHA256}; horizons: "
        "kuaishou through 2022-12-31 (as of 2022-10-28), douyin through 2022-10-28 (as of "
        "2022-10-28)"
    )
    assert len(lines) == 22


def test_list_json_and_platform_filter(run):
    doc = json.loads(run("rules", "list", "--on", "2023-01-01", "--json").stdout)
    assert doc["at"] == "2023-01-01T00:00:00+08:00"
    rule = next(r for r in doc["rules"] if r["id"] == "kuaishou-2022-tmall-window")
    assert rule == {
        "id": "kuaishou-2022-tmall-window",
        "platform": "kuaishou",
        "verdict": "allow",
        "sources": ["tmall"],
        "surfaces": ["livestream", "short-video"],
        "start": "2022-10-28",
        "end": "2022-12-31",
        "window": "2022-10-28 → 2022-12-31",
        "in_force": False,
        "file": "rules.toml (bundled)",
        "position": 7,
    }
    assert doc["horizons"]["kuaishou"] == {
        "through": "2022-12-31",
        "as_of": "2022-10-28",
        "file": "rules.toml (bundled)",
    }
    douyin = json.loads(run("rules", "list", "--platform", "抖音", "--json").stdout)["rules"]
    assert {r["platform"] for r in douyin} == {"douyin"}


def test_list_text_table(run):
    result = run(
        "rules",
        "list",
        "--on",
        "2022-11-11",
        "--format",
        "text",
        "--color",
        "never",
        env={"COLUMNS": "200"},
    )
    assert "kuaishou-2022-tmall-window" in result.stdout and "yes" in result.stdout


def test_show_text_and_json(run):
    result = run("rules", "show", "kuaishou-2022-jd-self-window")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "kuaishou-2022-jd-self-window",
        "  platform   kuaishou",
        "  verdict    allow (allowed)",
        "  sources    jd-self",
        "  surfaces   livestream, short-video",
        "  window     2022-10-28 → 2022-11-30 (inclusive days, Asia/Shanghai)",
        "  note       Kuaishou's own statement names JD self-operated products, 10-28 to 11-30, "
        "right after the Tmall window for short videos and livestreams.",
        "  citation   “10月28日至11月30日,可上线京东自营商品链接。” — 快手, "
        "sources/000_a698274f1961a54e.txt",
        "             inferred: the surfaces: the sentence before it names short videos and "
        "livestreams",
        "  file       rules.toml (bundled), rule #9",
        "  horizon    kuaishou rules reach through 2022-12-31 (as of 2022-10-28)",
        f"  rules file version 3, sha256 {BUNDLED_SHA256}; horizons: kuaishou through "
        "2022-12-31 (as of 2022-10-28), douyin through 2022-10-28 (as of 2022-10-28)",
    ]
    doc = json.loads(run("rules", "show", "kuaishou-2022-jd-self-window", "--json").stdout)
    assert doc["end_instant"] == "2022-12-01T00:00:00+08:00"
    assert doc["citation"] == {
        "quote": "10月28日至11月30日,可上线京东自营商品链接。",
        "source": "sources/000_a698274f1961a54e.txt",
        "document": "dsts-2022-10",
        "by": "快手",
        "inference": "the surfaces: the sentence before it names short videos and livestreams",
        "inference_zh": "挂链位置取自前一句：短视频、直播间",
    }
    assert doc["citations"] == [doc["citation"]]
    assert doc["horizon"]["through"] == "2022-12-31"
    assert doc["rule_files"] == [BUNDLED_FILE]


def test_show_names_the_zone_the_rules_days_are_in(run, write):
    """A team file in UTC: its rule's days are UTC days (check reads them so: 08:00 to
    08:00 in Shanghai), and show says UTC — it said the platform's Asia/Shanghai."""
    horizon = "[horizon.kuaishou]\nas_of = 2023-01-01\nthrough = 2023-12-31\n"
    team = write("utc.toml", 'schema = 1\ntimezone = "UTC"\n' + horizon + rule_table(
        "utc-day", "allow", ["tmall"], platform="kuaishou", start="2023-03-01",
        end="2023-03-01"))  # fmt: skip
    shown = run("rules", "show", "utc-day", "--rules", team).stdout
    assert "  window     2023-03-01 → 2023-03-01 (inclusive days, UTC)" in shown.splitlines()
    first = run("check", "tmall", "--on", "2023-03-01T08:00:00+08:00", "-s", "livestream",
                "--rules", team, "--format", "plain", ok=False)  # fmt: skip
    before = run("check", "tmall", "--on", "2023-03-01T07:59:59+08:00", "-s", "livestream",
                 "--rules", team, "--format", "plain", ok=False)  # fmt: skip
    assert first.stdout.split("\t")[0] == "allowed"
    assert before.stdout.split("\t")[0] != "allowed"


def test_show_in_chinese_says_what_is_inferred(run):
    result = run("rules", "show", "kuaishou-2022-03-cutoff", "--lang", "zh")
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  原文引用"))
    assert lines[start : start + 4] == [
        "  原文引用  “今年2月,快手商发布公告:2022年3月1日起,快手商不再发布淘宝联盟商品链接” —— "
        "快手，sources/000_a698274f1961a54e.txt",
        "            “当然,京东联盟在快手商上的产品链接也未能“免疫”。” —— 电商头条，"
        "sources/000_a698274f1961a54e.txt",
        "            推断：理解为京东联盟的链接在同一天（2022-03-01）被切断",
        "  文件      rules.toml（内置），第 6 条规则",
    ]
    assert f"  规则文件  版本 3，sha256 {BUNDLED_SHA256}；有效范围：kuaishou 至 2022-12-31" in (
        result.stdout
    )


def test_list_json_names_the_rules_files(run, write):
    team = write("team.toml", TEAM.replace("schema = 1", 'schema = 1\nversion = "2023.02"'))
    doc = json.loads(run("rules", "list", "--json", "--rules", team).stdout)
    assert doc["rule_files"] == [
        BUNDLED_FILE,
        {
            "file": team,
            "version": "2023.02",
            "sha256": hashlib.sha256(Path(team).read_bytes()).hexdigest(),
            "horizon": {"kuaishou": {"as_of": "2023-02-20", "through": "2023-12-31"}},
        },
    ]


def test_list_bad_date(run):
    assert_clean_error(run("rules", "list", "--on", "2022-13-01"), "impossible date '2022-13-01'")


@pytest.mark.parametrize(
    "typed",
    [
        "KUAISHOU-2022-TMALL-WINDOW",
        "ｋｕａｉｓｈｏｕ-２０２２-tmall-window",
        "kuaishou_2022_tmall_window",
    ],
)
def test_show_reads_an_id_as_names_are_read(run, typed):
    # a rule id in capitals or full-width (a Chinese input method) was 'no rule'
    exact = run("rules", "show", "kuaishou-2022-tmall-window", "--format", "json")
    done = run("rules", "show", typed, "--format", "json")
    assert done.exit_code == 0, done.stderr
    assert done.stdout == exact.stdout


def test_show_unknown_id(run):
    assert_clean_error(
        run("rules", "show", "kuaishou-tmall-window"),
        "no rule 'kuaishou-tmall-window'",
        "did you mean 'kuaishou-2022-tmall-window'",
    )


# ---------------------------------------------------------------------- diff


def test_diff_of_a_team_change(run, tmp_path, write):
    old = write("old.toml", "schema = 1\n")
    new = write("new.toml", TEAM)  # tmall on livestream, 2023-03-01 to 03-31
    result = run("rules", "diff", old, new)
    assert result.exit_code == 1
    # the team file moves the horizon a year on: its window, and the Kuaishou shop's
    # open-ended rule, now answer where nothing was known
    shop = (
        "kuaishou · kuaishou-shop · {} · 2023-01-01 → 2023-12-31: unknown → allowed "
        "(beyond the horizon → kuaishou-shop)"
    )
    assert result.stdout.splitlines() == [
        "kuaishou · horizon: 2022-12-31 → 2023-12-31 (as of 2023-02-20)",
        "kuaishou · tmall · livestream · 2023-03-01 → 2023-03-31: unknown → allowed "
        "(beyond the horizon → team-2023-tmall-spring)",
        *(shop.format(s) for s in ("livestream", "short-video", "merchant-page", "live-preview")),
    ]
    doc = json.loads(run("rules", "diff", old, new, "--json").stdout)
    assert doc["horizons"] == [
        {
            "platform": "kuaishou",
            "old": {
                "through": "2022-12-31",
                "as_of": "2022-10-28",
                "file": "rules.toml (bundled)",
                "end": "2023-01-01T00:00:00+08:00",
            },
            "new": {
                "through": "2023-12-31",
                "as_of": "2023-02-20",
                "file": new,
                "end": "2024-01-01T00:00:00+08:00",
            },
        }
    ]
    assert doc["changes"][:1] == [
        {
            "platform": "kuaishou",
            "source": "tmall",
            "surface": "livestream",
            "from": "2023-03-01",
            "to": "2023-03-31",
            "start": "2023-03-01T00:00:00+08:00",
            "end": "2023-04-01T00:00:00+08:00",
            "old": {"verdict": "unknown", "rule": None, "reason": "beyond_horizon"},
            "new": {"verdict": "allowed", "rule": "team-2023-tmall-spring", "reason": "rule"},
        }
    ]
    missing = str(tmp_path / "nope.toml")
    assert_clean_error(run("rules", "diff", old, missing), "cannot load", missing, "not found")
    same = run("rules", "diff", old, old)
    assert (same.exit_code, same.stdout) == (0, "no verdict changes\n")


def test_diff_of_whole_files(run, write):
    bundled = (Path(__file__).parent.parent / "rules.toml").read_text(encoding="utf-8")
    old = write("rules.toml", bundled)
    new = write(
        "proposed.toml",
        bundled.replace("end = 2022-11-30", "end = 2022-12-15", 1).replace(
            "start = 2022-12-01", "start = 2022-12-16"
        ),
    )
    result = run("rules", "diff", old, new, "--no-default-rules")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "kuaishou · jd-self · livestream · 2022-12-01 → 2022-12-15: unknown → allowed "
        "(kuaishou-2022-after-jd-self-window → kuaishou-2022-jd-self-window)",
        "kuaishou · jd-self · short-video · 2022-12-01 → 2022-12-15: unknown → allowed "
        "(kuaishou-2022-after-jd-self-window → kuaishou-2022-jd-self-window)",
        # the preview window was not lengthened: the March cut-off decides those days now
        "kuaishou · jd-self · live-preview · 2022-12-01 → 2022-12-15: unknown → denied "
        "(kuaishou-2022-after-jd-self-window → kuaishou-2022-03-cutoff)",
    ]
    assert_clean_error(run("rules", "diff", old, new), "cannot load", "already defined")


def _ruleset(text: str) -> linkcheck.RuleSet:
    loader = Loader()
    loader.add_text(VOCAB, "vocab.toml")
    loader.add_text(text, "rules.toml")
    return linkcheck.RuleSet(loader.catalog)


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(rule_specs(30), max_size=5), st.lists(rule_specs(30), max_size=5))
def test_diff_agrees_with_day_by_day_evaluation(old_specs, new_specs):
    day_text = lambda n: (BASE_DAY + timedelta(days=n)).isoformat()  # noqa: E731
    old, new = _ruleset(toml_rules(old_specs, day_text)), _ruleset(toml_rules(new_specs, day_text))
    changes = diff(old, new)
    for source in "ab":
        for surface in "xy":
            for n in range(-3, 35):
                at = datetime.combine(BASE_DAY + timedelta(days=n), datetime.min.time(), SHANGHAI)
                was = old.check(source, surface, at).verdict
                now = new.check(source, surface, at).verdict
                covering = [
                    c
                    for c in changes
                    if (c.source, c.surface) == (source, surface)
                    and (c.start is None or c.start <= at)
                    and (c.end is None or at < c.end)
                ]
                if was == now:
                    assert covering == []
                else:
                    assert [(c.old, c.new) for c in covering] == [(was, now)]


def test_a_rule_already_bundled_names_the_bundled_file_in_chinese(run, tmp_path):
    """The bundled file is 内置 in Chinese, as elsewhere: 'already defined in rules.toml
    (bundled)' kept the English (a new user's trial)."""
    path = tmp_path / "dup.toml"
    path.write_text('schema = 1\n[[rule]]\nid = "kuaishou-shop"\nplatform = "kuaishou"\n'
                    'verdict = "deny"\nsources = ["tmall"]\nsurfaces = "*"\n',
                    encoding="utf-8")  # fmt: skip
    zh = run("--lang", "zh", "rules", "lint", str(path), ok=False)
    said = "".join(line.strip() for line in (zh.stdout + zh.stderr).splitlines())
    assert "已在rules.toml（内置） 中定义" in said.replace("已在 ", "已在"), said
    en = run("rules", "lint", str(path), ok=False)
    assert "already defined in rules.toml (bundled)" in " ".join((en.stdout + en.stderr).split())
    # what is already defined, and where a problem is outside any table, in Chinese too:
    # "rule 'kuaishou-shop'" and "top level" were English
    assert "规则'kuaishou-shop' 已在" in said.replace("规则 ", "规则"), said
    more = 'schema = 1\nbogus = 1\n[sources.tmall]\nname = "T"\n'
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("schema = 1\n", more), encoding="utf-8")
    zh = run("--lang", "zh", "rules", "lint", str(path), ok=False)
    said = "".join(line.strip() for line in (zh.stdout + zh.stderr).splitlines())
    assert "：文件顶层：未知键 'bogus'" in said, said
    assert "：[sources.tmall]：来源 'tmall' 已在" in said, said
    en = run("rules", "lint", str(path), ok=False)
    said = " ".join((en.stdout + en.stderr).split())
    assert ": top level: unknown key 'bogus'" in said, said
    assert "source 'tmall' is already defined in rules.toml (bundled)" in said, said


def _review_by_brute_force(catalog) -> list[tuple]:
    """The review's tie and never-decides warnings as (rule id, field, earlier id or the
    sorted ids beating it), by their definitions: every pair of rules compared, every
    segment's rules in force listed (what lint did before it grouped ties by start)."""
    from linkcheck.engine import RuleSet
    from linkcheck.lint import _overlap, _surfaces
    from linkcheck.timeline import micros

    out = []
    rules = catalog.rules
    for i, later in enumerate(rules):
        ties = [
            e for e in rules[:i]
            if e.platform == later.platform and e.word != later.word
            and (e.start is None) == (later.start is None)
            and (e.start is None or micros(e.start) == micros(later.start))
            and e.sources & later.sources
            and _surfaces(e, catalog) & _surfaces(later, catalog) and _overlap(e, later)
        ]  # fmt: skip
        if ties:
            out.append((later.id, "tie", ties[0].id, len(ties) - 1))
    ruleset = RuleSet(catalog)
    for rule in rules:
        beaten, decides = set(), False
        for source in sorted(rule.sources):
            for surface in sorted(_surfaces(rule, catalog)):
                timeline = ruleset.timeline(rule.platform, source, surface)
                if any(w is rule for w in timeline.winners):
                    decides = True
                    break
                starts = [None, *timeline.instants]
                beaten |= {
                    w.id for s, w in zip(starts, timeline.winners, strict=True)
                    if w is not None and rule in timeline.in_force(s)
                }  # fmt: skip
            if decides:
                break
        if not decides:
            out.append((rule.id, "never", tuple(sorted(beaten))))
    return sorted(out)


@settings(max_examples=examples(150), deadline=None)
@given(specs=st.lists(rule_specs(12), max_size=9))
def test_review_warns_as_its_brute_force_definition_does(specs):
    """Ties grouped by start and the segments a rule's window spans found by search (a file
    of 400 rules took lint 20 s, 4x per doubling) warn of exactly what comparing every pair
    and listing every segment's rules does."""
    from linkcheck.lint import review

    catalog = random_ruleset(specs, None).catalog
    got = []
    for problem in review(catalog):
        rule_id = problem.where.split("'")[1] if "'" in problem.where else problem.where
        if problem.field == "start" and problem.template.startswith("same start"):
            f = problem.said.fields
            got.append((rule_id, "tie", f["earlier_id"], f["count"]))
        elif problem.template.startswith("never decides"):
            others = problem.said.fields["others"]
            ids = () if others == "other rules" else tuple(sorted(x.strip("'") for x in
                                                                  others.split(", ")))  # fmt: skip
            got.append((rule_id, "never", ids))
    assert sorted(got) == _review_by_brute_force(catalog)


def test_lint_checks_files_on_the_rules_files_given_with_rules(run, tmp_path):
    """A file that builds on a team file (its platform) lints clean on top of it, as
    `check --rules` loads them; --rules was taken and ignored (a trial). The same file
    given twice is read once."""
    team = tmp_path / "team.toml"
    team.write_text('schema = 1\n[platforms.channels]\nname = "Channels"\n'
                    "[horizon.channels]\nas_of = 2025-01-01\nthrough = 2025-12-31\n",
                    encoding="utf-8")  # fmt: skip
    addon = tmp_path / "addon.toml"
    addon.write_text("schema = 1\n" + rule_table("channels-jd", "allow", ["jd-self"],
                                                 platform="channels", start="2025-01-01"),
                     encoding="utf-8")  # fmt: skip
    alone = run("rules", "lint", str(addon))
    assert alone.exit_code == 1 and "unknown platform 'channels'" in alone.stdout
    on_team = run("rules", "lint", "--rules", str(team), str(addon))
    assert on_team.exit_code == 0, on_team.stdout
    twice = run("rules", "lint", "--rules", str(team), str(team), str(addon))
    assert twice.exit_code == 0 and "duplicate" not in twice.stdout
    checked = run("check", "jd-self", "-p", "channels", "--on", "2025-03-01", "--rules",
                  str(team), "--rules", str(addon), "--format", "plain")  # fmt: skip
    assert checked.stdout.startswith("allowed\tchannels\tjd-self")


def test_lint_of_a_fifo_exits_2_as_a_folder_does(run, tmp_path):
    """A FIFO was linted as '1 error', exit 1, where a folder is exit 2 (a trial); neither
    is opened (a FIFO would wait for a writer)."""
    import os

    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    assert_clean_error(run("rules", "lint", str(fifo)), "is not a regular file")
    assert_clean_error(run("rules", "lint", str(tmp_path)), "is a directory")
    # given with --rules, alike (it was '1 error', exit 1: a third trial)
    assert_clean_error(run("rules", "lint", "--rules", str(fifo)), "is not a regular file")


def test_diff_says_a_horizon_moved_by_its_files_zone_alone(run, tmp_path):
    """The same 'through' day in a Los Angeles file ends 16 hours later in Shanghai: diff
    listed the verdicts it changed but no horizon line (a trial)."""
    team, la = tmp_path / "team.toml", tmp_path / "la.toml"
    horizon = "[horizon.kuaishou]\nas_of = 2024-01-01\nthrough = 2024-12-31\n"
    team.write_text("schema = 1\n" + horizon, encoding="utf-8")
    la.write_text('schema = 1\ntimezone = "America/Los_Angeles"\n' + horizon, encoding="utf-8")
    result = run("rules", "diff", str(team), str(la))
    assert result.exit_code == 1
    assert " ".join(result.stdout.split()).startswith(
        "kuaishou · horizon: 2025-01-01T00:00:00+08:00 → 2025-01-01T16:00:00+08:00 (as of "
        "2024-01-01)"
    )
    same = run("rules", "diff", str(team), str(team))
    assert same.exit_code == 0 and "horizon" not in same.stdout


def test_lint_json_is_english_whatever_the_language_a_zone_error_too(run, write):
    """`--format json` is for programs: every message English with --lang zh — the
    unknown time zone's was Chinese among English ones (a trial); the text output is
    Chinese."""
    path = write("zone.toml", 'schema = 1\ntimezone = "Asia/Shangai"\n[platforms.p]\n'
                               'name = "P"\n')  # fmt: skip
    result = run("--lang", "zh", "rules", "lint", path, "--format", "json")
    messages = [p["message"] for p in json.loads(result.stdout)["problems"]]
    assert messages == [
        "unknown time zone 'Asia/Shangai': use an IANA name such as Asia/Shanghai or UTC"
    ]
    assert "未知时区 'Asia/Shangai'" in run("--lang", "zh", "rules", "lint", path).stdout
