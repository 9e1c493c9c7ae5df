"""What the rules loader keeps, exactly: a rule with any bad part is left out, bounds and
citations are read as written, names and zones default as documented, overrides replace in
load order. (The exact words of each problem are in rules_broken/*.toml.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from linkcheck.rules import Loader, load_catalog, read_files
from linkcheck.rules import loader as loader_module

from .helpers import rule_table

HORIZON = "schema = 1\n[horizon.kuaishou]\nas_of = 2023-01-01\nthrough = 2023-06-30\n"


def loaded(*texts: str) -> Loader:
    loader = Loader()
    loader.add_bundled()
    for i, text in enumerate(texts):
        loader.add_text(text, f"team{i}.toml")
    return loader


def rule_ids(loader: Loader) -> set[str]:
    return {r.id for r in loader.catalog.rules}


@pytest.mark.parametrize(
    "line",
    ['sources = ["tmall", "tmal"]', 'surfaces = ["livestream", "nope"]'],
    ids=["a bad source", "a bad surface"],
)
def test_a_rule_with_one_bad_name_among_good_ones_is_left_out(line):
    table = rule_table("team-x", "deny", ["tmall"], platform="kuaishou", start="2023-01-01")
    table = (
        table.replace('sources = ["tmall"]', line)
        if "sources" in line
        else table.replace('surfaces = "*"', line)
    )
    loader = loaded(HORIZON + table)
    assert "team-x" not in rule_ids(loader)
    assert len([p for p in loader.problems if p.level == "error"]) == 1


def test_an_offset_datetime_bound_keeps_its_offset():
    table = rule_table("team-x", "deny", ["tmall"], platform="kuaishou",
                       start="2023-01-01T20:00:00+00:00", end="2023-01-02T10:00:00")  # fmt: skip
    rule = next(r for r in loaded(HORIZON + table).catalog.rules if r.id == "team-x")
    assert rule.start == datetime(2023, 1, 1, 20, tzinfo=UTC)
    assert rule.start.astimezone(ZoneInfo("Asia/Shanghai")).hour == 4
    # a local datetime is read in the file's zone
    assert rule.end == datetime(2023, 1, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert rule.end - rule.start == timedelta(hours=6)


def test_a_citation_keeps_every_field():
    table = rule_table("team-x", "deny", ["tmall"], platform="kuaishou", start="2023-01-01")
    table = table.replace(
        'citation = { quote = "q", source = "m" }',
        'citation = { quote = "原文", source = "memo", by = "快手", url = "https://x.example", '
        'inference = "read as in force" }',
    )
    rule = next(r for r in loaded(HORIZON + table).catalog.rules if r.id == "team-x")
    assert tuple(rule.citation) == (
        "原文", "memo", "快手", "https://x.example", None, "read as in force", None
    )  # fmt: skip
    assert rule.citations() == (rule.citation,)


def test_an_entry_without_a_name_is_named_by_its_id_and_a_platform_takes_the_file_zone():
    loader = loaded(
        'schema = 1\ntimezone = "Europe/Paris"\n[sources.team-shop]\n'
        "[platforms.team-live]\n[surfaces.team-card]\n"
    )
    assert [p for p in loader.problems if p.level == "error"] == []
    catalog = loader.catalog
    assert catalog.sources["team-shop"].name == "team-shop"
    assert catalog.surfaces["team-card"].name == "team-card"
    assert catalog.platforms["team-live"].timezone == "Europe/Paris"
    assert catalog.platforms["team-live"].file == "team0.toml"
    assert catalog.surfaces["team-card"].file == "team0.toml"


def test_an_override_takes_the_new_place_in_load_order():
    loader = loaded('schema = 1\n[sources.tmall]\nname = "Tmall (team)"\noverride = true\n')
    sources = list(loader.catalog.sources)
    assert sources[-1] == "tmall" and loader.catalog.sources["tmall"].name == "Tmall (team)"
    groups = loaded(
        'schema = 1\n[groups.jd-union]\nmembers = ["jd-self"]\noverride = true\n'
    ).catalog.groups  # fmt: skip
    assert list(groups)[-1] == "jd-union" and groups["jd-union"].file == "team0.toml"


@pytest.mark.parametrize("override", ['override = "yes"', ""], ids=["not a bool", "missing"])
def test_a_rule_that_may_not_replace_leaves_the_earlier_one(override):
    table = rule_table("kuaishou-shop", "deny", ["kuaishou-shop"], platform="kuaishou")
    loader = loaded(HORIZON + table.replace('surfaces = "*"', f'surfaces = "*"\n{override}'))
    rule = next(r for r in loader.catalog.rules if r.id == "kuaishou-shop")
    assert rule.word == "allow" and rule.file == "rules.toml (bundled)"


def test_an_entry_that_may_not_replace_leaves_the_earlier_one():
    loader = loaded('schema = 1\n[sources.tmall]\nname = "Tmall (team)"\noverride = "yes"\n')
    assert loader.catalog.sources["tmall"].name == "Tmall"


def test_equal_horizons_the_later_file_wins():
    later = "schema = 1\n[horizon.kuaishou]\nas_of = 2022-11-01\nthrough = 2022-12-31\n"
    horizon = loaded(later).catalog.horizons["kuaishou"]
    assert str(horizon.as_of) == "2022-11-01" and horizon.file == "team0.toml"


def test_the_bundled_rules_are_read_unless_asked_not_to():
    assert "kuaishou-shop" in {r.id for r in load_catalog().rules}
    assert "kuaishou-shop" in rule_ids(read_files())
    assert read_files(defaults=False).catalog.rules == []


def test_bundled_rules_that_cannot_be_read_are_one_problem(monkeypatch):
    def broken():
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(loader_module, "bundled_rules", broken)
    loader = Loader()
    loader.add_bundled()
    [problem] = loader.problems
    assert (problem.file, problem.where, problem.level, problem.field) == (
        "rules.toml (bundled)", "", "error", None,
    )  # fmt: skip
    assert problem.message == "cannot read the bundled rules: Permission denied"


def test_two_bad_domains_are_both_reported_and_a_good_one_kept():
    loader = loaded('schema = 1\n[sources.team-shop]\ndomains = ["a/b", "c d", "Shop.Example."]\n')
    assert len(loader.problems) == 2
    assert loader.catalog.sources["team-shop"].domains == ("shop.example",)
