"""`linkcheck check`, `sources`, `surfaces` through the CLI: outputs, exit codes, errors."""

from __future__ import annotations

import ast
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from linkcheck.cli import cli

from .helpers import BUNDLED_FILE, assert_clean_error


def test_done_when_json(run):
    result = run("check", "tmall", "--on", "2022-11-11", "--json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert (doc["platform"], doc["source"], doc["input"]) == ("kuaishou", "tmall", "tmall")
    assert (doc["at"], doc["verdict"]) == ("2022-11-11T00:00:00+08:00", "allowed")
    assert [r["surface"] for r in doc["results"]] == ["livestream", "short-video"]
    first = doc["results"][0]
    assert first["verdict"] == "allowed"
    assert first["reason"] == "rule"
    assert first["rule"]["id"] == "kuaishou-2022-tmall-window"
    assert first["rule"]["verdict"] == "allow"
    assert (first["rule"]["start"], first["rule"]["end"]) == ("2022-10-28", "2022-12-31")
    assert "10月28日至12月31日" in first["rule"]["citation"]["quote"]
    assert first["overridden"] == ["kuaishou-2022-03-cutoff"]
    # the window ends with the rules' horizon: from then on nothing is known
    assert first["next_change"] == {"at": "2023-01-01T00:00:00+08:00", "verdict": "unknown"}
    assert first["horizon"] == {
        "through": "2022-12-31",
        "as_of": "2022-10-28",
        "file": "rules.toml (bundled)",
    }
    assert "last_known" not in first
    assert "candidates" not in first


def test_json_shape_is_the_public_interface(run):
    """Fields may be added, never renamed or dropped: this lists the promised ones."""
    doc = json.loads(run("check", "jd", "--on", "2022-11-11", "--json").stdout)
    assert set(doc) >= {"platform", "source", "input", "at", "verdict", "results"}
    for res in doc["results"]:
        assert set(res) >= {
            "surface",
            "verdict",
            "reason",
            "rule",
            "overridden",
            "next_change",
            "candidates",
        }
        assert all(set(c) >= {"source", "verdict", "rule"} for c in res["candidates"])
    one = json.loads(run("check", "tmall", "--on", "2022-11-11", "--json").stdout)["results"][0]
    assert set(one["rule"]) >= {"id", "verdict", "start", "end", "note", "citation"}
    assert set(one["next_change"]) == {"at", "verdict"}
    assert "candidates" not in one


def test_plain_lines(run):
    result = run("check", "tmall", "-s", "livestream", "--on", "2022-11-11", "--format", "plain")
    assert result.exit_code == 0
    assert result.stdout == (
        "allowed\tkuaishou\ttmall\tlivestream\t2022-11-11T00:00:00+08:00\t"
        "kuaishou-2022-tmall-window\n"
    )


def test_plain_is_the_default_when_piped(run):
    result = run("check", "pdd", "--on", "2022-11-11")
    assert result.exit_code == 3
    assert result.stdout.splitlines() == [
        "unknown\tkuaishou\tpinduoduo\tlivestream\t2022-11-11T00:00:00+08:00\t"
        "kuaishou-2019-pinduoduo-ended",
        "unknown\tkuaishou\tpinduoduo\tshort-video\t2022-11-11T00:00:00+08:00\t"
        "kuaishou-2019-pinduoduo-ended",
    ]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["tmall", "--on", "2022-11-11"], 0),
        (["tmall", "--on", "2023-01-01"], 3),  # past the horizon
        (["tmall", "--on", "2022-10-27"], 1),
        (["taobao", "--on", "2022-11-11"], 3),
        (["tmall", "-s", "livestream", "-s", "merchant-page", "--on", "2022-11-11"], 3),
        (["tmall", "-s", "live-preview", "--on", "2022-11-11"], 0),
        (["tmall", "-s", "all", "--on", "2022-11-11"], 3),  # merchant page: unknown
        (["kuaishou-shop", "-s", "all", "--on", "2022-11-11"], 0),
        (["kuaishou-shop", "-s", "all", "--on", "2023-01-01"], 3),
        (["jd", "--on", "2022-11-11"], 3),  # jd-self allowed, jd-pop unknown
        (["jd", "--on", "2022-06-01"], 1),
        (["tmall"], 3),  # now: beyond the horizon of the 2022 article
    ],
)
def test_exit_codes_and_quiet(run, args, code):
    loud = run("check", *args)
    assert loud.exit_code == code
    quiet = run("check", *args, "-q")
    assert quiet.exit_code == code
    assert quiet.stdout == quiet.stderr == ""


@pytest.mark.parametrize(
    ("source", "surface", "resolved"),
    [
        ("ＴＭＡＬＬ", "LIVESTREAM", "tmall"),
        ("  Tmall ", "直播", "tmall"),
        ("天猫", "直播间购物车", "tmall"),
        ("天猫超市", "live_stream", None),
        ("JD_SELF", "short_video", "jd-self"),
        ("jd self-operated", "短视频", "jd-self"),
        ("京东自营", "ｓｈｏｒｔ－ｖｉｄｅｏ", "jd-self"),
        ("PDD", "livestream", "pinduoduo"),
    ],
)
def test_names_are_normalised(run, source, surface, resolved):
    result = run("check", source, "-s", surface, "--on", "2022-11-11", "--json")
    if resolved is None:  # live_stream is not a surface
        assert_clean_error(result, "unknown surface 'live_stream'", "did you mean 'livestream'")
        return
    assert result.exit_code in (0, 1, 3), result.stderr
    assert json.loads(result.stdout)["source"] == resolved


def test_platform_option_takes_ids_and_aliases(run):
    for name in ("douyin", "抖音", "DY"):
        result = run(
            "check",
            "tmall",
            "-s",
            "livestream",
            "--on",
            "2021-06-01",
            "--platform",
            name,
            "--format",
            "plain",
        )
        assert result.exit_code == 1
        assert result.stdout.startswith("denied\tdouyin\ttmall\tlivestream\t")
        assert "douyin-2020-closed-loop" in result.stdout


def test_group_names_show_candidates(run):
    result = run("check", "京东联盟", "-s", "livestream", "--on", "2022-11-11", "--json")
    assert result.exit_code == 3
    res = json.loads(result.stdout)["results"][0]
    assert json.loads(result.stdout)["source"] == "jd-union"
    assert (res["verdict"], res["reason"], res["rule"]) == ("unknown", "ambiguous_link", None)
    assert res["candidates"] == [
        {"source": "jd-self", "verdict": "allowed", "rule": "kuaishou-2022-jd-self-window"},
        {"source": "jd-pop", "verdict": "unknown", "rule": "kuaishou-2022-jd-pop-disputed"},
    ]
    assert res["next_change"] is None  # jd-self turns unknown too on 2022-12-01


def test_explain_shows_winner_overridden_and_near_misses(run):
    result = run(
        "check", "tmall", "-s", "livestream", "--on", "2022-11-11", "--explain", "--format", "plain"
    )
    assert result.exit_code == 0
    text = result.stdout
    assert "kuaishou-2022-tmall-window: allow 2022-10-28 → 2022-12-31: wins: latest start" in text
    assert "kuaishou-2022-03-cutoff: deny 2022-03-01 → open-ended: overridden" in text
    assert "near miss kuaishou-2018-open: allow 2018-08-01 → 2022-02-28" in text
    assert "“据快手介绍,10月28日至12月31日,短视频、直播间可以在天猫上投放商品链接。” — 快手" in text
    assert "until 2022-12-31 (51 days, today included), then unknown: the rules end there" in text


def test_json_names_the_rules_files_and_who_said_what(run):
    doc = json.loads(run("check", "jd-self", "--on", "2022-03-01", "--json").stdout)
    assert doc["rule_files"] == [BUNDLED_FILE]
    rule = doc["results"][0]["rule"]
    assert rule["id"] == "kuaishou-2022-03-cutoff"
    # the announcement is Kuaishou's; that JD's links went the same day is the author's
    assert [(c["by"], c["inference"]) for c in rule["citations"]] == [
        ("快手", None),
        ("电商头条", "JD's links read as cut on the same date, 2022-03-01"),
    ]
    assert rule["citation"] == rule["citations"][0]
    assert rule["citation"]["document"] == "dsts-2022-10"


def test_explain_says_what_a_rule_infers(run):
    args = ("check", "tmall", "-s", "live-preview", "--on", "2022-11-11", "--explain")
    plain = run(*args, "--format", "plain").stdout.splitlines()
    assert plain[2:4] == [
        "    “同样,快手开通的淘宝、京东外链也都聚焦于直播间的“预告片”功能。” — 电商头条, "
        "sources/000_a698274f1961a54e.txt",
        "    inferred: the dates: Kuaishou's Tmall window, 10-28 to 12-31",
    ]
    text = run(*args, "--format", "text", "--lang", "zh").stdout
    assert "推断：日期采用快手给天猫的窗口：10-28 至 12-31" in text


def test_text_says_what_a_rule_infers_without_explain(run):
    text = run("check", "douyin-shop", "-p", "dy", "-s", "live", "--on", "2022-10-01",
               "--format", "text").stdout  # fmt: skip
    assert "“仅保留抖音商店的外部链接产品。” — 抖音, sources/000_a698274f1961a54e.txt" in text
    assert (
        "inferred: the shop's links allowed from 2020: either side of the cut, the shop's own "
        "links stay" in text
    )


def test_explain_in_json(run):
    result = run("check", "tmall", "-s", "livestream", "--on", "2022-11-11", "--explain", "--json")
    explain = json.loads(result.stdout)["results"][0]["explain"]
    assert [(m["id"], m["won"]) for m in explain["matched"]] == [
        ("kuaishou-2022-tmall-window", True),
        ("kuaishou-2022-03-cutoff", False),
    ]
    assert [m["id"] for m in explain["near_misses"]] == [
        "kuaishou-2018-07-launch-month",
        "kuaishou-2018-open",
        "kuaishou-2022-after-tmall-window",
    ]


def test_text_format_shows_verdict_rule_citation_and_next_change(run):
    result = run(
        "check",
        "tmall",
        "-s",
        "livestream",
        "--on",
        "2022-10-25",
        "--format",
        "text",
        "--color",
        "never",
    )
    assert result.exit_code == 1
    out = " ".join(result.stdout.split())
    assert "Tmall on Kuaishou" in out
    assert "denied" in out and "kuaishou-2022-03-cutoff" in out
    assert "opens 2022-10-28 (in 3 days)" in out
    assert "\x1b[" not in result.stdout


def test_color_always_and_no_color(run):
    args = ("check", "tmall", "--on", "2022-11-11", "--format", "text")
    assert "\x1b[" in run(*args, "--color", "always").stdout
    assert "\x1b[" not in run(*args, env={"NO_COLOR": "1"}).stdout
    # asked for, colour is colour whatever NO_COLOR says: it was bold alone (a trial)
    forced = run(*args, "--color", "always", env={"NO_COLOR": "1"}).stdout
    assert "\x1b[1;32m" in forced and "\x1b[36m" in forced


# ---------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["tmal"], ["unknown source 'tmal'", "did you mean 'tmall'"]),
        (["tmall", "-s", "livestrem"], ["unknown surface 'livestrem'", "'livestream'"]),
        (["tmall", "--platform", "kuaishu"], ["unknown platform 'kuaishu'", "'kuaishou'"]),
        (["tmall", "--on", "2022-02-30"], ["impossible date '2022-02-30'"]),
        (
            ["tmall", "--on", "11/10/2022"],
            ["ambiguous date '11/10/2022'", "2022-10-11", "2022-11-10"],
        ),
        (["tmall", "--on", "someday"], ["invalid date 'someday'", "2022-11-11"]),
        ([""], ["empty source name"]),
        # a link with no host said "unrecognized product link host ''"
        (
            ["."],
            [
                "Error: '.' is neither a source nor a product link: it has no host\n  pass a "
                "source id instead"
            ],
        ),
        (["http://"], ["'http://' is neither a source nor a product link: it has no host"]),
        ([".."], ["'..' is neither a source nor a product link: it has no host"]),
        # a checklist's name, read as a link to the host list.csv
        (
            ["list.csv"],
            [
                "Error: 'list.csv' is a checklist's name, not a source or a product "
                "link\n  to check every row of it: linkcheck batch 'list.csv'\n"
            ],
        ),
        (
            ["--lang", "zh", "选品表.XLSX"],
            ["'选品表.XLSX' 是清单文件名，不是来源或商品链接\n  要逐行检查"],
        ),
        (["--lang", "zh", "./"], ["'./' 既不是来源，也不是商品链接：其中没有主机名"]),
        (["\udcff\udcfe"], ["unknown source '\\udcff\\udcfe'"]),
        (["tmall", "--on", "\udcff"], ["invalid date '\\udcff'"]),
    ],
)
def test_bad_values_are_two_line_errors(run, args, fragments):
    assert_clean_error(run("check", *args), *fragments)


def test_bad_rules_files(run, tmp_path):
    missing = str(tmp_path / "nope.toml")
    assert_clean_error(run("check", "tmall", "--rules", missing), missing, "not found")
    assert_clean_error(run("check", "tmall", "--rules", str(tmp_path)), str(tmp_path), "directory")
    bad = tmp_path / "bad.toml"
    bad.write_text('schema = 1\n[[rule]]\nid = "x\n', encoding="utf-8")
    assert_clean_error(run("check", "tmall", "--rules", str(bad)), str(bad), "line 3, column 8")
    invalid = tmp_path / "invalid.toml"
    invalid.write_text('schema = 1\n[sources.x]\nnam = "X"\n', encoding="utf-8")
    assert_clean_error(
        run("check", "tmall", "--rules", str(invalid)),
        str(invalid),
        "unknown key 'nam'",
        "did you mean 'name'",
    )
    binary = tmp_path / "binary.toml"
    binary.write_bytes(bytes(range(256)))
    assert_clean_error(run("check", "tmall", "--rules", str(binary)), str(binary), "UTF-8")


def test_rules_from_environment_and_no_default_rules(run, tmp_path):
    team = tmp_path / "team.toml"
    team.write_text(
        'schema = 1\n[[rule]]\nid = "team-pdd"\nplatform = "kuaishou"\nverdict = "deny"\n'
        'sources = ["pinduoduo"]\nsurfaces = "*"\nstart = 2022-03-01\n',
        encoding="utf-8",
    )
    env = {"LINKCHECK_RULES": str(team)}
    assert run("check", "pdd", "--on", "2022-11-11", "-q", env=env).exit_code == 1
    assert run("check", "pdd", "--on", "2022-11-11", "-q").exit_code == 3
    # --no-default-rules: the team file alone defines no platform or sources
    result = run("check", "pdd", "--no-default-rules", "--rules", str(team))
    assert_clean_error(result, "unknown platform 'kuaishou'")


def test_sources_and_surfaces_list_ids_aliases_and_domains(run):
    sources = run("sources", ok=True)
    assert sources.exit_code == 0
    assert "tmall" in sources.stdout and "天猫" in sources.stdout and "tmall.com" in sources.stdout
    assert "jd-union" in sources.stdout and "u.jd.com" in sources.stdout
    rows = json.loads(run("sources", "--json").stdout)
    assert {r["id"] for r in rows} >= {
        "tmall",
        "taobao",
        "jd-self",
        "jd-pop",
        "pinduoduo",
        "kuaishou-shop",
        "douyin-shop",
        "taobao-union",
        "jd-union",
    }
    surfaces = json.loads(run("surfaces", "--json").stdout)
    assert [s["id"] for s in surfaces] == [
        "livestream",
        "short-video",
        "merchant-page",
        "live-preview",
    ]
    assert "直播间购物车" in surfaces[0]["aliases"]


def test_shell_completion_offers_sources_and_surfaces(run):
    env = {
        "_LINKCHECK_COMPLETE": "bash_complete",
        "COMP_WORDS": "linkcheck check tm",
        "COMP_CWORD": "2",
    }
    result = run(env=env)
    assert "tmall" in result.stdout
    env["COMP_WORDS"], env["COMP_CWORD"] = "linkcheck check tmall -s sh", "4"
    assert "short-video" in run(env=env).stdout


def test_version_and_help(run):
    assert run("--version").stdout == "linkcheck, version 0.1.0\nbundled rules: version 3\n"
    assert run("--lang", "zh", "--version").stdout == "linkcheck，版本 0.1.0\n内置规则：版本 3\n"
    for command in ("check", "sources", "surfaces", "platforms"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "Example" in result.stdout


# ---------------------------------------------------------------------- time zones


def _cli(*args, tz: str = "UTC", cwd=None) -> subprocess.CompletedProcess:
    """The installed command in a fresh process, run away from the source tree."""
    env = {k: v for k, v in os.environ.items() if k not in ("LINKCHECK_RULES", "NO_COLOR")}
    env["TZ"] = tz
    return subprocess.run(
        [sys.executable, "-m", "linkcheck", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd or tempfile.gettempdir(),
    )


@pytest.mark.subprocess
def test_installed_package_finds_its_rules_from_any_folder(tmp_path):
    result = _cli("check", "tmall", "--on", "2022-11-11", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "kuaishou-2022-tmall-window" in result.stdout


@pytest.mark.subprocess
def test_a_cold_check_loads_no_optional_part(tmp_path):
    """openpyxl is installed with linkcheck (the README's .xlsx example), yet a `check` never
    loads it, nor rich when piped, nor any extra: a cold start pays for what it uses."""
    code = (
        "import sys\n"
        "from linkcheck.cli import main\n"
        "sys.argv = ['linkcheck', 'check', 'tmall', '--on', '2022-11-11', '--format', 'plain']\n"
        "try:\n    main()\n"
        "finally:\n"
        "    print(sorted({m.split('.')[0] for m in sys.modules}), file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("LINKCHECK_RULES", "NO_COLOR")}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60,
        cwd=tmp_path,
    )  # fmt: skip
    assert result.stdout.startswith("allowed\tkuaishou\ttmall\tlivestream"), result.stderr
    loaded = set(ast.literal_eval(result.stderr.strip().splitlines()[-1]))
    assert "click" in loaded and "linkcheck" in loaded  # what was loaded is what is seen
    optional = {"openpyxl", "et_xmlfile", "rich", "dateutil", "duckdb", "icalendar", "pyspark"}
    assert loaded & optional == set()


@pytest.mark.subprocess
def test_bad_input_in_a_real_process_has_no_traceback(tmp_path):
    result = _cli("check", "tmall", "--on", "2022-02-30", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    expected = "Error: --on: impossible date '2022-02-30': 2022-02 has 28 days"
    assert result.stderr.strip() == expected


@pytest.mark.subprocess
@pytest.mark.parametrize("tz", ["America/Los_Angeles", "Pacific/Kiritimati", "UTC"])
def test_answers_do_not_depend_on_the_machine_zone(tz):
    edge = _cli(
        "check",
        "tmall",
        "-s",
        "livestream",
        "--on",
        "2022-12-31T15:59:59Z",
        "--format",
        "plain",
        tz=tz,
    )
    assert edge.returncode == 0
    assert edge.stdout.startswith("allowed\tkuaishou\ttmall\tlivestream\t2022-12-31T23:59:59+08:00")
    after = _cli(
        "check",
        "tmall",
        "-s",
        "livestream",
        "--on",
        "2022-12-31T16:00:00Z",
        "--format",
        "plain",
        tz=tz,
    )
    assert after.returncode == 3  # 2023-01-01 in Shanghai: past the rules' horizon
    assert after.stdout.startswith(
        "unknown\tkuaishou\ttmall\tlivestream\t2023-01-01T00:00:00+08:00"
    )
    assert "know nothing after 2022-12-31" in after.stderr
    cut = _cli("check", "tmall", "-s", "livestream", "--on", "2022-10-27T15:59:59Z", tz=tz)
    assert cut.stdout.startswith("denied\tkuaishou\ttmall\tlivestream\t2022-10-27T23:59:59+08:00")
    day = _cli("check", "jd-self", "--on", "2022-11-30", "--format", "plain", tz=tz)
    assert day.stdout.splitlines()[0].startswith(
        "allowed\tkuaishou\tjd-self\tlivestream\t2022-11-30T00:00:00+08:00"
    )
    today = _cli("check", "tmall", "-s", "livestream", "--on", "today", "--format", "plain", tz=tz)
    assert today.stdout.split("\t")[4].endswith("T00:00:00+08:00")


@settings(max_examples=150, deadline=None)
@given(
    source=st.text(max_size=40) | st.sampled_from(["tmall", "jd", "https://item.jd.com/1.html"]),
    when=st.text(max_size=30) | st.sampled_from(["2022-11-11", "双11", "+3d"]),
    surface=st.text(max_size=15) | st.sampled_from(["livestream", "直播", "all"]),
)
def test_no_input_to_check_produces_a_traceback(source, when, surface):
    runner = CliRunner()
    args = ["check", source, "--on", when, "-s", surface, "--format", "plain"]
    result = runner.invoke(cli, args, prog_name="linkcheck")
    assert result.exit_code in (0, 1, 2, 3), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if result.exit_code == 2:
        assert result.stdout == ""
        assert 1 <= len(result.stderr.strip().splitlines()) <= 4  # click usage errors: 3 lines


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        # a long display name holding the typed text is no near name: "Taobao shops (not
        # Tmall)" holds `tmal`, and taobao and taobao-union were suggested with tmall
        (["tmal"], " (did you mean 'tmall'?)"),
        (["ｔｍａｌ"], " (did you mean 'tmall'?)"),
        # it starts with 淘宝 (taobao) and is one character off 淘宝联盟 (taobao-union)
        (["淘宝联萌"], " (did you mean 'taobao' or 'taobao-union'?)"),
        (["天猫旗舰"], " (did you mean 'tmall'?)"),  # it holds 天猫
        (["--", "-"], ""),  # punctuation, a lone letter: inside too many names to say
        (["("], ""),
        (["a"], ""),
        (["tmall", "-s", "-"], ""),
        (["tmall", "-p", "u"], ""),
        (["tmall", "-p", "ksx"], " (did you mean 'kuaishou'?)"),  # it holds ks
        (["tmall", "-s", "short"], " (did you mean 'short-video'?)"),  # a name cut short
    ],
    ids=["tmal", "full-width", "淘宝联萌", "天猫旗舰", "dash", "parenthesis", "letter",
         "surface-dash", "platform-letter", "platform-ksx", "surface-cut-short"],
)  # fmt: skip
def test_a_hint_names_only_near_names(run, args, hint):
    result = run("check", *args)
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert re.fullmatch(rf"Error: unknown \w+ '[^']*'{re.escape(hint)}; `linkcheck \w+` lists them",
                        first), first  # fmt: skip


@pytest.mark.parametrize("typed", ["京东 自营", "京东　自营", "京东_自营", " 京东-自营 "])
def test_a_space_between_chinese_characters_is_no_part_of_a_name(run, typed):
    result = run("check", typed, "--on", "2022-11-11", "-s", "livestream", "--format", "plain")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split("\t")[2] == "jd-self"


# the rule names.normalize keeps, as a regular expression: a separator is dropped where a
# Chinese character is on either side of it
_BESIDE_HAN = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff])-|-(?=[\u3400-\u9fff\uf900-\ufaff])")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("京东自营天猫aJ-_ 　–—‐\u200b\ufeff\u33ff\u3400"
                                        "\u9fff\ua000\uf8ff\uf900\ufaff\ufb00Ｔ1"),
               max_size=12))  # fmt: skip
def test_a_separator_beside_a_chinese_character_is_dropped_as_the_rule_says(typed):
    import unicodedata

    from linkcheck.names import normalize

    separators = r"[\s_\-‐-―−\u200b-\u200d\u2060\ufeff]+"
    spaced = re.sub(separators, "-", unicodedata.normalize("NFKC", typed).strip().casefold())
    assert normalize(typed) == _BESIDE_HAN.sub("", spaced.strip("-") or spaced)


@pytest.mark.parametrize(
    ("typed", "source"),
    [("JD 自营", "jd-self"), ("jd-自营", "jd-self"), ("ＪＤ 自营", "jd-self"),
     ("京东 POP", "jd-pop"),
     ("JD 第三方", "jd-pop"), ("淘宝 C店", "taobao"), ("京东–自营", "jd-self"),
     ("京东—自营", "jd-self"), ("京东‐自营", "jd-self"), ("_京东_自营_", "jd-self"),
     ("天猫-", "tmall"), ("JD POP", "jd-pop"), ("jd–self", "jd-self"),
     ("京东\u200b自营", "jd-self"), ("\u200b天猫", "tmall")],
)  # fmt: skip
def test_a_space_between_chinese_and_latin_letters_is_no_part_of_a_name(run, typed, source):
    """Chinese typography puts a space between Chinese and Latin letters (`JD 自营`); a dash
    may be any of the dashes (– — ‐), and one left at an end is no part of the name (a new
    user's trial: these were unknown sources)."""
    result = run("check", typed, "--on", "2022-11-11", "-s", "livestream", "--format", "plain")
    assert result.exit_code in (0, 1, 3), result.stderr
    assert result.stdout.split("\t")[2] == source


@pytest.mark.parametrize(
    "typed", ["all", " All ", "_all_", "all-", "ａｌｌ", "全部", "全 部", "_全部_", "*"]
)
def test_every_surface_is_named_as_any_name_is(run, typed):
    """`all` (全部) reads as a surface's name does: `_all_`, full-width `ａｌｌ`, `全 部` are
    every surface (they were unknown surfaces — a new user's trial)."""
    result = run("check", "tmall", "--on", "2022-11-11", "-s", typed, "--format", "plain")
    assert result.exit_code in (0, 1, 3), result.stderr
    assert len(result.stdout.splitlines()) == 4  # every bundled surface


@pytest.mark.parametrize(
    ("typed", "source", "surface"),
    [("天貓", "tmall", "短視頻"), ("淘寶", "taobao", "直播間"), ("京東自營", "jd-self", "直播"),
     ("京東 POP", "jd-pop", "直播間購物車"), ("淘寶聯盟", "taobao-union", "短視頻購物車"),
     ("天貓國際", "tmall", "直播預告"), ("抖音小店", "douyin-shop", "商家詳情頁")],
)  # fmt: skip
def test_traditional_script_names_read_as_their_simplified_forms(run, typed, source, surface):
    """A checklist typed in Hong Kong or Taiwan, or pasted from a traditional-script page:
    天貓 is 天猫 (a new user's trial: unknown sources, 京東 with no suggestion)."""
    simple = run("check", simplified(typed), "-s", simplified(surface), "--on", "2022-11-11",
                 "--format", "plain", ok=False)  # fmt: skip
    result = run("check", typed, "-s", surface, "--on", "2022-11-11", "--format", "plain",
                 ok=False)  # fmt: skip
    assert result.exit_code in (0, 1, 3), result.stderr
    assert result.stdout.split("\t")[2] == source
    assert result.stdout == simple.stdout


def test_a_traditional_script_checklist_is_answered(run, write):
    path = write("tw.csv", "商品名稱,來源,直播日期,平臺\n保溫杯,天貓,2022年11月11日 晚上8點,快手\n"
                 "耳機,京東自營,雙11,快手\n")  # fmt: skip
    result = run("batch", path, "-s", "直播", "--year", "2022")
    assert result.exit_code == 0, result.stderr
    assert "source: 來源 (column 2)" in result.stderr and "date: 直播日期" in result.stderr
    assert "platform: 平臺 (column 4)" in result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert [r[5] for r in rows[1:]] == ["allowed", "allowed"]
    assert rows[1][6] == "kuaishou-2022-tmall-window"
    assert rows[2][6] == "kuaishou-2022-jd-self-window"


def simplified(text: str) -> str:
    from linkcheck.names import simplified

    return simplified(text)


def test_a_jd_link_whose_candidates_agree_by_their_own_rules_names_them(run, write):
    """Both candidates of a JD link unknown, each by its own rule: 'no rule covers this'
    was said, and a checklist's note was empty (a trial)."""
    text = run("check", "https://item.jd.com/1.html", "--on", "2022-12-01", "-s", "直播",
               "--format", "text", ok=False).stdout  # fmt: skip
    said = " ".join(text.split())
    assert "no rule covers this" not in said
    agreed = ("the candidates agree, each by its own rule (jd-self: kuaishou-2022-after-jd-"
              "self-window, jd-pop: kuaishou-2022-jd-pop-disputed)")  # fmt: skip
    assert agreed in said
    path = write("jd.csv", "url,date\nhttps://item.jd.com/1.html,2022-12-01\n")
    rows = list(csv.reader(io.StringIO(run("batch", path, "-s", "直播", ok=False).stdout)))
    assert rows[1][3:5] == ["unknown", ""]
    assert rows[1][6] == (
        "candidates agree, each by its own rule (jd-self kuaishou-2022-after-jd-self-window, "
        "jd-pop kuaishou-2022-jd-pop-disputed)"
    )


def test_the_say_which_source_hint_keeps_the_question_asked(run):
    """The command the hint gave dropped --on: copied, it answered for today, past the
    horizon (a trial). It keeps the instant and the platform, and answers that day."""
    result = run("check", "https://item.jd.com/100012043978.html", "--on", "2022-11-11",
                 "-s", "直播", "--format", "text", ok=False)  # fmt: skip
    said = " ".join(result.stdout.split())
    hint = ("linkcheck check 'https://item.jd.com/100012043978.html' --as jd-self --on "
            "2022-11-11 -p kuaishou")  # fmt: skip
    assert hint in said
    again = run("check", "https://item.jd.com/100012043978.html", "--as", "jd-self", "--on",
                "2022-11-11", "-p", "kuaishou", "-s", "直播", "--format", "plain")  # fmt: skip
    assert again.stdout.startswith("allowed\tkuaishou\tjd-self")
    timed = run("check", "京东", "--on", "2022-11-11 20:00", "-s", "直播", "--format", "text",
                ok=False)  # fmt: skip
    assert "linkcheck check jd-self --on 2022-11-11T20:00:00+08:00 -p kuaishou" in " ".join(
        timed.stdout.split()
    )


def test_explain_names_the_zone_of_a_window_written_in_another(run, tmp_path):
    """A team file in Los Angeles time: its window's days are Los Angeles days, and were
    shown beside a Shanghai answer with no zone, as was the time its answer changes (a
    trial). Both say their zone now; a window in the answer's own zone says none."""
    rules = tmp_path / "la.toml"
    rules.write_text(
        'schema = 1\nversion = "la1"\ntimezone = "America/Los_Angeles"\n\n[[rule]]\n'
        'id = "la-tmall"\nplatform = "kuaishou"\nverdict = "allow"\nsources = ["tmall"]\n'
        'surfaces = ["livestream"]\nstart = 2022-06-01\nend = 2022-06-18\n'
        'citation = { quote = "memo", source = "memo", by = "team" }\n',
        encoding="utf-8",
    )
    result = run("check", "tmall", "-s", "livestream", "--on", "2022-06-10", "--rules",
                 str(rules), "--explain", "--format", "plain")  # fmt: skip
    flat = " ".join(result.stdout.split())
    assert "la-tmall: allow 2022-06-01 → 2022-06-18 (America/Los_Angeles): wins" in flat
    assert "until 2022-06-19 15:00:00+08:00 (10 days, today included), then denied" in flat
    assert "kuaishou-2022-03-cutoff: deny 2022-03-01 → open-ended: overridden" in flat
