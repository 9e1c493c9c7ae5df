"""The bundled timeline against a table written by hand from the article (tests/golden/)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden" / "bundled.csv"


def _rows():
    with GOLDEN.open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines))


ROWS = _rows()


def test_golden_table_is_substantial():
    assert len(ROWS) >= 80


@pytest.mark.parametrize(
    "row", ROWS, ids=[f"{r['platform']}-{r['source']}-{r['surface']}-{r['date']}" for r in ROWS]
)
def test_bundled_rules_match_the_article(bundled, row):
    d = bundled.check(row["source"], row["surface"], row["date"], platform=row["platform"])
    assert d.verdict == row["verdict"]
    assert (d.rule.id if d.rule else "") == row["rule"]
    change = f"{d.next_change.at.isoformat()} {d.next_change.verdict}" if d.next_change else ""
    assert change == row["next_change"]


@pytest.mark.parametrize(
    ("when", "verdict"),
    [
        ("2022-10-27T15:59:59Z", "denied"),
        ("2022-10-27T16:00:00Z", "allowed"),  # 2022-10-28 00:00 in Shanghai
        ("2022-12-31T15:59:59Z", "allowed"),
        ("2022-12-31T16:00:00Z", "denied"),  # 2023-01-01 00:00 in Shanghai
        ("2022-12-31T23:59:59.999999+08:00", "allowed"),
        ("2022-12-31T08:00:00-08:00", "denied"),  # 2023-01-01 00:00 in Shanghai
        ("2022-12-31 23:59", "allowed"),
    ],
)
def test_instants_near_the_tmall_window_edges(bundled, when, verdict):
    assert bundled.check("tmall", "livestream", when).verdict == verdict


def test_every_bundled_rule_quotes_the_article_verbatim(bundled):
    article = (Path(__file__).parent.parent / "sources" / "000_a698274f1961a54e.txt").read_text(
        encoding="utf-8"
    )
    assert bundled.rules
    for rule in bundled.rules:
        assert rule.citation is not None, rule.id
        assert rule.citation.source == "000_a698274f1961a54e.txt"
        assert rule.citation.quote in article, rule.id
