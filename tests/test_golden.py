"""The bundled timeline against a table written by hand from the article (tests/golden/)."""

from __future__ import annotations

import csv
import functools
from pathlib import Path

import pytest

import linkcheck

from .helpers import assert_verdicts

GOLDEN = Path(__file__).parent / "golden" / "bundled.csv"


def _rows():
    with GOLDEN.open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines))


ROWS = _rows()


ARTICLE = (Path(__file__).parent.parent / "sources" / "000_a698274f1961a54e.txt").read_text(
    encoding="utf-8"
)
# Every bound of SPEC §3 v3 (a span's first day; 2019-05-16 is the day the cooperation
# sentence decides) and the day after the horizon, per platform.
BOUNDS = {
    "kuaishou": [
        *("2018-07-01", "2018-08-01", "2019-05-16", "2019-05-17", "2022-03-01", "2022-10-28"),
        *("2022-12-01", "2023-01-01"),
    ],
    "douyin": ["2020-01-01", "2021-01-01", "2022-10-29"],
}
SURFACES = ("livestream", "short-video", "merchant-page", "live-preview")


def test_golden_table_is_substantial():
    assert len(ROWS) >= 400


def test_golden_table_covers_every_bound_on_every_surface():
    from datetime import date, timedelta

    seen = {(r["platform"], r["surface"], r["date"]) for r in ROWS}
    for platform, bounds in BOUNDS.items():
        for bound in bounds:
            day = date.fromisoformat(bound)
            for surface in SURFACES:
                for d in (day - timedelta(days=1), day, day + timedelta(days=1)):
                    assert (platform, surface, d.isoformat()) in seen, (platform, surface, d)


def test_every_basis_is_a_sentence_of_the_article():
    for row in ROWS:
        if row["reason"] == "no_rule":
            assert row["basis"] == "", row  # the article says nothing of it
            assert row["reading"] == "the article says nothing of it", row
        else:
            assert row["basis"], row
            assert row["basis"] in ARTICLE, row["basis"]  # verbatim, whitespace and all
            assert row["reading"], row


def test_the_readings_are_stated_or_say_what_is_inferred():
    readings = {r["reading"] for r in ROWS}
    assert "stated" in readings
    inferred = {r["rule"] for r in ROWS if r["reading"].startswith("inferred: ")}
    # the 2018 span, JD's cut-off date, the preview windows, Douyin's 2021 start, the shops
    assert inferred == {
        "kuaishou-2018-open", "kuaishou-2018-open-pinduoduo", "kuaishou-2022-03-cutoff",
        "kuaishou-2022-tmall-preview", "kuaishou-2022-jd-self-preview", "douyin-2020-closed-loop",
        "kuaishou-shop", "douyin-shop",
    }  # fmt: skip


def test_the_2018_era_is_livestream_and_short_video_only():
    spans = {
        (r["platform"], r["source"], r["surface"]): r["reason"]
        for r in ROWS
        if r["date"] == "2019-01-01" or r["date"] == "2018-08-02"
    }
    for source in ("tmall", "taobao", "jd-self", "jd-pop", "pinduoduo"):
        assert spans["kuaishou", source, "livestream"] == "rule"
        assert spans["kuaishou", source, "merchant-page"] == "no_rule"
        assert spans["kuaishou", source, "live-preview"] == "no_rule"


def test_douyin_on_double_11_2022_is_past_the_articles_horizon():
    rows = [r for r in ROWS if r["platform"] == "douyin" and r["date"] == "2022-11-11"]
    assert len(rows) == 28
    assert {(r["verdict"], r["reason"]) for r in rows} == {("unknown", "beyond_horizon")}


def _answer_files() -> dict[str, tuple[tuple[str, ...], list[dict]]]:
    """Every answer table in tests/golden/ (links.csv aside) → (the rules files it is for,
    on top of the bundled ones: its `# rules:` line; its rows). A rules file gets its own
    answers by adding a table: the test below reads them all."""
    tables = {}
    for path in sorted(GOLDEN.parent.glob("*.csv")):
        if path.name == "links.csv":
            continue
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        named = [line for line in lines if line.startswith("# rules:")]
        files = tuple(named[0].removeprefix("# rules:").split()) if named else ()
        rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
        tables[path.name] = (files, rows)
    return tables


ANSWER_FILES = _answer_files()
ROOT = Path(__file__).parent.parent


@functools.cache
def _rules_for(table: str):
    files = ANSWER_FILES[table][0]
    return linkcheck.load_rules([ROOT / f for f in files])


def test_every_rules_file_with_a_table_is_read():
    assert set(ANSWER_FILES) >= {"bundled.csv", "team-2023.csv"}
    assert ANSWER_FILES["team-2023.csv"][0] == ("examples/team-2023.toml",)
    assert all(len(rows) >= 20 for _, rows in ANSWER_FILES.values())


@pytest.mark.parametrize(
    ("table", "row"),
    [(t, r) for t, (_, rows) in ANSWER_FILES.items() for r in rows],
    ids=[f"{t}:{r['platform']}-{r['source']}-{r['surface']}-{r['date']}"
         for t, (_, rows) in ANSWER_FILES.items() for r in rows],
)  # fmt: skip
def test_the_rules_answer_what_their_table_says(table, row):
    """The answers written by hand (never by linkcheck) for each rules file: verdict, reason,
    deciding rule and next change, day by day around every bound."""
    d = _rules_for(table).check(row["source"], row["surface"], row["date"],
                                platform=row["platform"])  # fmt: skip
    assert d.verdict == row["verdict"]
    assert d.reason == row["reason"]
    assert (d.rule.id if d.rule else "") == row["rule"]
    change = f"{d.next_change.at.isoformat()} {d.next_change.verdict}" if d.next_change else ""
    assert change == row["next_change"]


def test_a_team_window_in_plain_dates(bundled):
    team = _rules_for("team-2023.csv")
    assert_verdicts(team, "tmall", {"2023-05-31": "unknown", "2023-06-01": "allowed",
                                    "2023-06-18": "allowed", "2023-06-19": "unknown"})  # fmt: skip
    assert_verdicts(bundled, "tmall", {"2023-06-01": "unknown"})  # the article alone
    assert_verdicts(team, "tmall", {"2023-06-01": "unknown"}, surface="live-preview")


@pytest.mark.parametrize(
    ("when", "verdict"),
    [
        ("2022-10-27T15:59:59Z", "denied"),
        ("2022-10-27T16:00:00Z", "allowed"),  # 2022-10-28 00:00 in Shanghai
        ("2022-12-31T15:59:59Z", "allowed"),
        ("2022-12-31T16:00:00Z", "unknown"),  # 2023-01-01 00:00 in Shanghai: past the horizon
        ("2022-12-31T23:59:59.999999+08:00", "allowed"),
        ("2022-12-31T08:00:00-08:00", "unknown"),  # 2023-01-01 00:00 in Shanghai
        ("2022-12-31 23:59", "allowed"),
    ],
)
def test_instants_near_the_tmall_window_edges(bundled, when, verdict):
    assert_verdicts(bundled, "tmall", {when: verdict})


def test_every_bundled_rule_quotes_the_article_verbatim(bundled):
    article = ARTICLE
    assert bundled.rules
    for rule in bundled.rules:
        assert rule.citations(), rule.id
        for citation in rule.citations():
            assert citation.document == "dsts-2022-10"
            assert citation.source == "sources/000_a698274f1961a54e.txt"
            assert citation.quote in article, rule.id
            assert citation.by in ("快手", "抖音", "京东联盟", "淘宝公众号", "电商头条"), rule.id
