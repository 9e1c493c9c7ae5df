"""Every command has --help with an example, and the README shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkcheck.cli import COMMANDS
from linkcheck.cli.rules import rules as rules_group

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
ALL = [[name] for name in COMMANDS] + [["rules", sub] for sub in rules_group.commands]


@pytest.mark.parametrize("command", ALL, ids=[" ".join(c) for c in ALL])
def test_every_command_has_help_with_an_example(run, command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    for option in ("--rules", "--no-default-rules", "--platform", "--color"):
        assert option in result.stdout or command == ["rules"]


@pytest.mark.parametrize("command", ALL, ids=[" ".join(c) for c in ALL])
def test_every_command_is_in_the_readme(command):
    assert "linkcheck " + " ".join(command) in README


def test_readme_opens_with_the_two_commands():
    block = README.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    assert block == [
        "pip install . && linkcheck check tmall --on 2022-11-11",
        "pip install '.[test]' && python -m pytest -n 2",
    ]
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().endswith("pip install '.[test]' && python -m pytest -n 2")


def test_the_readme_python_example_runs_and_says_what_it_returns():
    code = README.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(code, namespace)  # the example as a user would paste it
    d, link, jd = namespace["d"], namespace["link"], namespace["jd"]
    assert (d.verdict, d.rule.id) == ("allowed", "kuaishou-2022-tmall-window")
    assert [r.id for r in d.overridden] == ["kuaishou-2022-03-cutoff"]
    assert (d.next_change.at.isoformat(), d.next_change.verdict) == (
        "2023-01-01T00:00:00+08:00",
        "unknown",
    )
    late = namespace["late"]
    assert (late.verdict, late.reason) == ("unknown", "beyond_horizon")
    assert link.candidates == ("jd-self", "jd-pop")
    assert (jd.verdict, jd.reason) == ("unknown", "ambiguous_link")
    for line in code.splitlines():  # every "# value" comment that is a literal holds
        if "  # " in line and not line.startswith(("rules =", "link =", "jd =", "late =")):
            expr, comment = line.split("  # ", 1)
            literal = comment.split(":", 1)[0] if comment.startswith("(") else comment
            if literal.startswith(("'", "(", "[")):
                assert repr(eval(expr, namespace)) == literal, line
