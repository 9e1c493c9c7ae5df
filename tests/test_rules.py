"""Loading rules files: strict schema, layering, time zones, and every error message."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import linkcheck
from linkcheck.errors import RulesError
from linkcheck.rules import Loader, bundled_rules

from .helpers import TEAM

SH = ZoneInfo("Asia/Shanghai")


def problems(text: str, name: str = "f.toml", defaults: bool = True) -> list[str]:
    loader = Loader()
    if defaults:
        loader.add_bundled()
    loader.add_text(text, name)
    return [str(p) for p in loader.problems]


def test_bundled_rules_are_found_and_clean():
    assert bundled_rules().startswith(b"# Bundled linkcheck rules")
    assert problems("schema = 1\n") == []


def test_a_team_file_adds_a_window(write):
    rules = linkcheck.load_rules([write("team.toml", TEAM)])
    d = rules.check("tmall", "livestream", "2023-03-31")
    assert (d.verdict, d.rule.id) == ("allowed", "team-2023-tmall-spring")
    assert (d.horizon.through, d.horizon.as_of) == (date(2023, 12, 31), date(2023, 2, 20))
    after = rules.check("tmall", "livestream", "2023-04-01")
    assert (after.verdict, after.rule.id) == ("unknown", "kuaishou-2022-after-tmall-window")
    assert rules.check("tmall", "short-video", "2023-03-15").verdict == "unknown"
    # the team file moved the horizon: the Kuaishou shop's open-ended rule answers in 2023 …
    shop = rules.check("kuaishou-shop", "livestream", "2023-12-31")
    assert (shop.verdict, shop.reason) == ("allowed", "rule")
    # … and after the new horizon every answer is beyond it again
    late = rules.check("kuaishou-shop", "livestream", "2024-01-01")
    assert (late.verdict, late.reason, late.rule) == ("unknown", "beyond_horizon", None)
    assert (late.last_known.verdict, late.last_known.rule.id) == ("allowed", "kuaishou-shop")
    assert rules.check("tmall", "livestream", "2024-01-01").reason == "beyond_horizon"
    # Douyin's horizon is the bundled one still
    assert rules.check("douyin-shop", "livestream", "2023-03-01", "douyin").reason == (
        "beyond_horizon"
    )


def test_unknown_key_names_file_table_key_and_suggestion():
    found = problems(TEAM.replace("end =", "ends ="), "team.toml")
    assert found == [
        "team.toml: [[rule]] #1 'team-2023-tmall-spring': unknown key 'ends' (did you mean 'end'?)"
    ]


def test_unknown_keys_everywhere():
    text = 'schema = 1\ntimezon = "UTC"\n[sources.x]\nname = "X"\nalias = ["x"]\n'
    found = problems(text)
    assert "f.toml: top level: unknown key 'timezon' (did you mean 'timezone'?)" in found
    assert "f.toml: [sources.x]: unknown key 'alias' (did you mean 'aliases'?)" in found


def test_toml_syntax_error_has_line_and_column():
    found = problems('schema = 1\n[[rule]]\nid = "x\n')
    assert len(found) == 1
    assert found[0].startswith("f.toml: line 3, column 8: invalid TOML")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ('verdict = "allow"', 'verdict = "alow"'),
            "verdict 'alow' must be allow, deny or unknown (did you mean 'allow'?)",
        ),
        (  # a verdict written in Chinese had no hint at all
            ('verdict = "allow"', 'verdict = "可以"'),
            "verdict '可以' must be allow, deny or unknown (did you mean 'allow'?)",
        ),
        (
            ('verdict = "allow"', 'verdict = "禁止"'),
            "verdict '禁止' must be allow, deny or unknown (did you mean 'deny'?)",
        ),
        (
            ('verdict = "allow"', 'verdict = "待定"'),
            "verdict '待定' must be allow, deny or unknown (did you mean 'unknown'?)",
        ),
        (
            ('verdict = "allow"', 'verdict = "denied"'),
            "verdict 'denied' must be allow, deny or unknown (did you mean 'deny'?)",
        ),
        (
            ('sources = ["tmall"]', 'sources = ["tmal"]'),
            "unknown source 'tmal' (did you mean 'tmall'?)",
        ),
        (
            ('surfaces = ["livestream"]', 'surfaces = ["livestrem"]'),
            "unknown surface 'livestrem' (did you mean 'livestream'?)",
        ),
        (
            ('platform = "kuaishou"', 'platform = "kuaishu"'),
            "unknown platform 'kuaishu' (did you mean 'kuaishou'?)",
        ),
        (("end = 2023-03-31", "end = 2023-02-01"), "end 2023-02-01 is before start 2023-03-01"),
        (('id = "team-2023-tmall-spring"\n', ""), "missing 'id'"),
        (("start = 2023-03-01", "start = 10:00:00"), "'start' is a time of day without a date"),
        (
            ('timezone = "Asia/Shanghai"', 'timezone = "Asia/Shanghia"'),
            "unknown time zone 'Asia/Shanghia'",
        ),
        # the machine's own setting (/etc/localtime): one signed release answered otherwise
        # on another machine (a trial); a copy of every zone on a clock with leap seconds
        *(
            (
                ('timezone = "Asia/Shanghai"', f'timezone = "{name}"'),
                f"'{name}' is a file of this machine's zone folder, not an IANA time zone",
            )
            for name in ("localtime", "posixrules", "Factory", "right/Asia/Shanghai")
        ),
        (("schema = 1", "schema = 2"), "unsupported schema 2"),
        (("schema = 1", ""), "missing 'schema = 1'"),
        (
            ('id = "team-2023-tmall-spring"', 'id = "kuaishou-shop"'),
            "rule 'kuaishou-shop' is already defined in rules.toml (bundled); add 'override = "
            "true' to replace it",
        ),
    ],
)
def test_invalid_rules_are_reported(edit, message):
    old, new = edit
    text = TEAM.replace(old, new)
    assert text != TEAM
    found = problems(text)
    assert any(message in p for p in found), found
    assert all(p.startswith("f.toml: ") for p in found)


def test_all_problems_are_collected_not_only_the_first():
    text = TEAM.replace('verdict = "allow"', 'verdict = "alow"').replace("end =", "ends =")
    assert len(problems(text)) == 2


ZONELESS = """schema = 1
timezone = "Asia/Shangai"
[platforms.p]
name = "P"
[sources.a]
name = "A"
[surfaces.x]
name = "X"
""" + "".join(
    f'[[rule]]\nid = "r{n}"\nplatform = "p"\nverdict = "allow"\nsources = ["a"]\n'
    f'surfaces = ["x"]\n{window}\n'
    for n, window in enumerate([
        "start = 2022-05-01\nend = 2022-04-01",  # before
        "start = 2022-05-01\nend = 2022-05-01",  # one whole day: fine
        "start = 2022-05-01T20:00:00\nend = 2022-05-01T20:00:00",  # not after
        "start = 2022-05-02\nend = 2022-05-01T23:00:00",  # a date's first instant, after
        "start = 2022-05-01T20:00:00+08:00\nend = 2022-05-01T13:00:00Z",  # after, in UTC
        "start = 2022-05-01T20:00:00+08:00\nend = 2022-05-01T05:00:00",  # needs the zone
        'start = "yesterday"',
    ])
)  # fmt: skip


def test_a_wrong_time_zone_hides_no_other_problem_and_is_said_once():
    """The file's zone misspelt: said once (not again for each platform that takes it),
    and every window that is wrong without a zone said too — it hid them (a trial)."""
    found = problems(ZONELESS, defaults=False)
    assert [p for p in found if "unknown time zone" in p] == [
        "f.toml: timezone: unknown time zone 'Asia/Shangai': use an IANA name such as "
        "Asia/Shanghai or UTC"
    ]
    assert "f.toml: [[rule]] #1 'r0': end 2022-04-01 is before start 2022-05-01" in found
    assert (
        "f.toml: [[rule]] #3 'r2': end 2022-05-01T20:00:00 is not after start 2022-05-01T20:00:00"
    ) in found
    assert "f.toml: [[rule]] #4 'r3': end 2022-05-01T23:00:00 is before start 2022-05-02" in found
    assert any("[[rule]] #7 'r6': 'start' is \"yesterday\"" in p for p in found), found
    assert not any(f"'r{n}'" in p for p in found for n in (1, 4, 5)), found
    assert len(found) == 5, found


def test_override_replaces_a_bundled_rule(write):
    text = TEAM.replace(
        'id = "team-2023-tmall-spring"', 'id = "kuaishou-2022-tmall-window"\noverride = true'
    )
    rules = linkcheck.load_rules([write("o.toml", text)])
    assert rules.check("tmall", "livestream", "2022-11-11").verdict == "denied"
    assert rules.check("tmall", "livestream", "2023-03-02").rule.id == "kuaishou-2022-tmall-window"
    assert [r.id for r in rules.rules].count("kuaishou-2022-tmall-window") == 1


def test_redefining_a_source_needs_override():
    found = problems('schema = 1\n[sources.tmall]\nname = "T"\n')
    assert found == [
        "f.toml: [sources.tmall]: source 'tmall' is already defined in rules.toml (bundled); "
        "add 'override = true' to replace it"
    ]
    assert problems('schema = 1\n[sources.tmall]\nname = "T"\noverride = true\n') == []


def test_a_file_in_another_zone_combines_exactly(write):
    utc_file = TEAM.replace('timezone = "Asia/Shanghai"', 'timezone = "UTC"')
    rules = linkcheck.load_rules([write("utc.toml", utc_file)])
    # 2023-03-01 in UTC begins at 08:00 in Shanghai
    assert (
        rules.check("tmall", "livestream", datetime(2023, 3, 1, 7, 59, tzinfo=SH)).verdict
        == "unknown"
    )
    assert (
        rules.check("tmall", "livestream", datetime(2023, 3, 1, 8, 0, tzinfo=SH)).verdict
        == "allowed"
    )
    # the inclusive end day 2023-03-31 (UTC) lasts until 2023-04-01 08:00 in Shanghai,
    # and the next change is shown in the platform's zone, not the file's
    change = rules.check("tmall", "livestream", "2023-03-15").next_change
    assert (change.at.isoformat(), change.verdict) == ("2023-04-01T08:00:00+08:00", "unknown")
    assert (
        rules.check("tmall", "livestream", datetime(2023, 4, 1, 7, 59, tzinfo=SH)).verdict
        == "allowed"
    )
    assert (
        rules.check("tmall", "livestream", datetime(2023, 4, 1, 8, 0, tzinfo=SH)).verdict
        == "unknown"
    )


def test_equal_starts_go_to_the_later_loaded_rule(write):
    deny = TEAM.replace('verdict = "allow"', 'verdict = "deny"').replace("team-2023", "later-2023")
    rules = linkcheck.load_rules([write("a.toml", TEAM), write("b.toml", deny)])
    d = rules.check("tmall", "livestream", "2023-03-15")
    assert (d.verdict, d.rule.id) == ("denied", "later-2023-tmall-spring")
    assert [r.id for r in d.overridden] == [
        "team-2023-tmall-spring",
        "kuaishou-2022-after-tmall-window",
        "kuaishou-2022-03-cutoff",
    ]


def test_without_default_rules_a_file_stands_alone(write):
    text = """
schema = 1
default_platform = "shop"
[platforms.shop]
name = "Shop"
[sources.own]
name = "Own"
[surfaces.page]
name = "Page"
[[rule]]
id = "own"
platform = "shop"
verdict = "deny"
sources = ["own"]
surfaces = "*"
"""
    rules = linkcheck.load_rules([write("solo.toml", text)], defaults=False)
    assert rules.check("own", "page", "2022-01-01").verdict == "denied"
    assert list(rules.catalog.sources) == ["own"]


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda p, write: str(p / "missing.toml"), "rules file not found"),
        (lambda p, write: str(p), "is a directory"),
        (lambda p, write: write("bin.toml", b"schema = 1\n\xff\xfe\x00"), "not UTF-8"),
        (lambda p, write: write("empty.toml", b""), "missing 'schema = 1'"),
    ],
)
def test_unreadable_files_raise_rules_error(tmp_path, write, make, fragment):
    path = make(tmp_path, write)
    with pytest.raises(RulesError) as info:
        linkcheck.load_rules([path])
    assert fragment in str(info.value)
    assert path in str(info.value)


# ---------------------------------------------------------------------- reading the file


def _problem_of(path) -> str:
    loader = Loader()
    loader.add_path(path)
    (problem,) = loader.problems
    return str(problem)


def test_unreadable_rules_files_say_why(tmp_path):
    import os

    from linkcheck.rules import MAX_FILE

    missing = tmp_path / "missing.toml"
    assert _problem_of(missing) == (
        f"{missing}: rules file not found; give the path of a .toml rules file"
    )
    assert _problem_of(tmp_path) == (
        f"{tmp_path}: is a directory, not a rules file; give a .toml file"
    )
    fifo = tmp_path / "rules.fifo"
    os.mkfifo(fifo)
    assert _problem_of(fifo) == (
        f"{fifo}: not a regular file (a pipe or a device?); give a .toml file"
    )
    assert _problem_of("/dev/zero") == (
        "/dev/zero: not a regular file (a pipe or a device?); give a .toml file"
    )
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"#" * (MAX_FILE + 1))
    assert _problem_of(huge) == f"{huge}: larger than 4 MiB; is it a rules file?"


def test_a_rules_file_of_exactly_the_limit_is_read(tmp_path):
    from linkcheck.rules import MAX_FILE, read_rules_file

    body = b"schema = 1\n#" + b"x" * (MAX_FILE - 13) + b"\n"
    assert len(body) == MAX_FILE
    path = tmp_path / "big.toml"
    path.write_bytes(body)
    assert read_rules_file(str(path)) == body
    loader = Loader()
    loader.add_path(path)
    assert loader.problems == []


def test_the_bundled_rules_are_found_beside_the_module_first(tmp_path, monkeypatch):
    from linkcheck.rules import files

    package = tmp_path / "site" / "linkcheck"
    package.mkdir(parents=True)
    (package / "rules.toml").write_bytes(b"# inside the package\n")
    (tmp_path / "site" / "rules.toml").write_bytes(b"# a checkout's root\n")
    monkeypatch.setattr(files, "__file__", str(package / "rules" / "files.py"))
    assert bundled_rules() == b"# inside the package\n"
    (package / "rules.toml").unlink()
    assert bundled_rules() == b"# a checkout's root\n"


def test_the_bundled_rules_come_from_package_resources_last(tmp_path, monkeypatch):
    import importlib.resources

    from linkcheck.rules import files

    seen = []

    class Resource:
        def __init__(self, name):
            self.name = name

        def __truediv__(self, other):
            seen.append((self.name, other))
            return self

        def read_bytes(self):
            return b"# from a zip\n"

    monkeypatch.setattr(files, "__file__", str(tmp_path / "nowhere" / "rules" / "files.py"))
    monkeypatch.setattr(importlib.resources, "files", Resource)
    assert bundled_rules() == b"# from a zip\n"
    assert seen == [("linkcheck", "rules.toml")]


def test_an_unreadable_bundled_file_is_said_plainly(monkeypatch):
    from linkcheck.rules import loader

    def broken():
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(loader, "bundled_rules", broken)
    loader = Loader()
    loader.add_bundled()
    assert [str(p) for p in loader.problems] == [
        "rules.toml (bundled): cannot read the bundled rules: Permission denied"
    ]


def test_rules_env_paths_split_on_the_path_separator(monkeypatch):
    import os

    from linkcheck.rules import rules_env_paths

    monkeypatch.setenv("LINKCHECK_RULES", os.pathsep.join(["a b.toml", "", " ", "c.toml"]))
    assert rules_env_paths() == ["a b.toml", "c.toml"]


@pytest.mark.parametrize(
    "data, where, message",
    [
        (b"schema = 1\n\xff\n", "", "not UTF-8 text (bad byte at offset 11); save the rules file "
         "as UTF-8"),
        (("a = " + "[" * 40 + "]" * 40 + "\n").encode(), "line 1",
         "nested deeper than 32 levels; flatten it"),
        (b"schema = 1\nx = \n", "line 2, column 5",
         'invalid TOML: not a TOML value (a text needs quotes: "…")'),
        ("schema = 1\nx = \n", "line 2, column 5",
         'invalid TOML: not a TOML value (a text needs quotes: "…")'),  # text too
    ],
    ids=["not-utf8", "too-deep", "bad-toml", "bad-toml-text"],
)  # fmt: skip
def test_unparsable_files_say_where_and_why(data, where, message):
    loader = Loader()
    loader.add_text(data, "f.toml")
    assert [(p.file, p.where, p.message, p.level) for p in loader.problems] == [
        ("f.toml", where, message, "error")
    ]
    assert loader.catalog.files == []


# ---------------------------------------------------------------------- exact problems


def _all(text: str, defaults: bool = True) -> list:
    loader = Loader()
    if defaults:
        loader.add_bundled()
    loader.add_text(text, "f.toml")
    return [p for p in loader.problems if p.file == "f.toml"]


def test_override_with_nothing_to_replace_is_a_warning():
    found = _all('schema = 1\n[sources.brand-new]\nname = "N"\noverride = true\n')
    assert [(p.level, p.where, p.message) for p in found] == [
        ("warning", "[sources.brand-new]",
         "'override = true' but no earlier source 'brand-new' to replace"),
    ]  # fmt: skip


def test_suggestions_are_ids_and_at_most_three():
    text = (
        "schema = 1\n"
        + "".join(f'[sources.shop-{c}]\nname = "{c}"\n' for c in "abcd")
        + '[groups.g]\nname = "G"\nmembers = ["shop-x"]\n'
    )
    (problem,) = _all(text, defaults=False)
    assert problem.message == (
        "unknown source 'shop-x' in members (did you mean 'shop-a' or 'shop-b' or 'shop-c'?)"
    )
    (platform,) = _all('schema = 1\ndefault_platform = "ksx"\n')
    assert platform.message == "unknown platform 'ksx' (did you mean 'kuaishou'?)"  # an id,
    # though the close name is the alias 'ks'


def test_a_horizon_that_is_not_a_table_says_so():
    (problem,) = _all("schema = 1\n[horizon]\nkuaishou = 5\n")
    assert (problem.where, problem.message) == (
        "[horizon.kuaishou]",
        "must be a table with as_of and through dates",
    )


@pytest.mark.parametrize(
    "domain", ["shop.example/x", "shop.example:80", "a@shop.example", "shop example", "天猫.com",
               ".", "  "],
)  # fmt: skip
def test_link_domains_must_be_host_names(domain):
    text = f'schema = 1\n[sources.s]\nname = "S"\ndomains = ["{domain}"]\n'
    (problem,) = _all(text, defaults=False)
    assert (problem.where, problem.message) == (
        "[sources.s]",
        f"link domain '{domain}' must be a host name such as 'tmall.com' (ASCII or punycode, "
        "no scheme or path)",
    )


def test_link_domains_are_read_as_hosts(tmp_path):
    import linkcheck

    path = tmp_path / "d.toml"
    path.write_text('schema = 1\n[sources.s]\nname = "S"\ndomains = ["Shop.Example.", "shop.X"]\n')
    rules = linkcheck.load_rules([path])
    assert rules.catalog.sources["s"].domains == ("shop.example", "shop.x")
    assert rules.classify("https://www.shop.example/1").candidates == ("s",)
    assert rules.classify("https://shop.x/1").candidates == ("s",)


def test_a_file_problem_has_no_place_inside_the_file(tmp_path):
    loader = Loader()
    loader.add_path(tmp_path / "missing.toml")
    assert loader.problems[0].where == ""
    assert loader.problems[0].as_dict()["where"] == ""


def test_a_path_the_system_refuses_says_why(tmp_path):
    loader = Loader()
    loader.add_path(tmp_path / ("x" * 300 + ".toml"))
    (problem,) = loader.problems
    assert problem.message == "cannot read rules file: File name too long"


def test_a_read_error_says_why(tmp_path, monkeypatch):
    from linkcheck.rules import files

    path = tmp_path / "r.toml"
    path.write_text("schema = 1\n")

    def broken(fd, mode):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(files.os, "fdopen", broken)
    loader = Loader()
    loader.add_path(path)
    assert [p.message for p in loader.problems] == ["cannot read rules file: Input/output error"]


def test_the_calendar_edge_does_not_depend_on_the_machine_zone(monkeypatch):
    import time

    text = (
        'schema = 1\ntimezone = "UTC"\n[platforms.p]\nname = "P"\n[sources.s]\nname = "S"\n'
        '[surfaces.v]\nname = "V"\n[[rule]]\nid = "r"\nplatform = "p"\nverdict = "allow"\n'
        'sources = ["s"]\nsurfaces = "*"\nend = 9999-12-29\n'
        'citation = { quote = "q", source = "m" }\n'
    )
    monkeypatch.setenv("TZ", "Etc/GMT+12")  # twelve hours behind UTC
    time.tzset()
    try:
        problems = [p.message for p in _all(text, defaults=False)]
    finally:
        monkeypatch.undo()
        time.tzset()
    assert problems == [
        "'end' is 9999-12-29, too near the ends of the calendar (years 2 to 9998): use a date "
        "(2022-10-28), a local datetime (2022-10-28T20:00:00) or an offset datetime "
        "(2022-10-28T20:00:00+08:00)"
    ]


def test_a_rule_with_a_problem_is_not_added_and_a_star_list_is_every_surface():
    path = Path(__file__).parent / "rules_broken" / "rule_fields.toml"
    text = path.read_text(encoding="utf-8").replace('"tmall", "tmal"', '"tmall"')
    loader = Loader()
    loader.add_bundled()
    loader.add_text(text, "f.toml")
    ids = {r.id for r in loader.catalog.rules}
    assert {"team-s", "team-v"}.isdisjoint(ids)  # a citation's own problem keeps the rule
    star = next(r for r in loader.catalog.rules if r.id == "team-star")
    assert star.surfaces is None and star.surfaces_text == ("*",)


def test_a_name_written_for_an_id_is_matched_to_its_id(write):
    """天猫, 京东自营 and 直播 in a rule are names, not ids: each error names the one id the
    name is of (天猫 had no suggestion at all, and 京东自营 three: a trial)."""
    text = TEAM.replace('sources = ["tmall"]', 'sources = ["天猫", "京东自营", "TMALL"]').replace(
        'surfaces = ["livestream"]', 'surfaces = ["直播"]'
    )
    found = problems(text)
    assert any("unknown source '天猫' (did you mean 'tmall'?)" in p for p in found), found
    assert any("unknown source '京东自营' (did you mean 'jd-self'?)" in p for p in found)
    assert any("unknown source 'TMALL' (did you mean 'tmall'?)" in p for p in found)
    assert any("unknown surface '直播' (did you mean 'livestream'?); use ids" in p for p in found)
