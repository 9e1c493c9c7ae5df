"""Every command has --help with an example, and the README shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkcheck.cli import COMMANDS

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
ALL = [[name] for name in COMMANDS] + [["rules", sub] for sub in ("list", "show", "lint", "diff")]


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
        "pip install '.[test]' && python -m pytest",
    ]
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install '.[test]' && python -m pytest" in ci
