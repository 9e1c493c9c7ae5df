"""The documentation's console examples are real: each `$ linkcheck …` (and `$ cat FILE`) in
a ```console block of the README, of every docs/*.md page, of CONTRIBUTING.md and of
bench/README.md is run against the CLI in a folder holding examples/ (one folder per page),
at a fixed now (2026-11-29 15:27 in Shanghai) and 80 columns, and its output must be what
the page shows. A block after `<!-- terminal -->` is run as on a terminal."""

from __future__ import annotations

import re
import shlex
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PAGES = [
    "README.md",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md")),
    "CONTRIBUTING.md",
    "bench/README.md",
]
NOW = datetime(2026, 11, 29, 7, 27, tzinfo=UTC)
_BLOCK = re.compile(r"(?:<!-- (?P<marks>[a-z ]+) -->\n)?```console\n(?P<body>.*?)```", re.S)


def read(page: str) -> str:
    return (ROOT / page).read_text(encoding="utf-8")


def examples(page: str) -> list[tuple[str, str, str, bool]]:
    """(id, command, expected output, on a terminal) for every `$` line of every block."""
    text = read(page)
    found = []
    for match in _BLOCK.finditer(text):
        terminal = "terminal" in (match["marks"] or "")
        line = text[: match.start()].count("\n") + 1
        for chunk in re.split(r"^\$ ", match["body"], flags=re.M)[1:]:
            command, _, expected = chunk.partition("\n")
            found.append((f"{page} line {line}: {command[:60]}", command, expected, terminal))
    return found


EXAMPLES = {page: examples(page) for page in PAGES}
RUN = [page for page in PAGES if EXAMPLES[page]]


def test_the_docs_have_examples_to_run():
    assert len(EXAMPLES["README.md"]) >= 6
    assert sum(len(found) for found in EXAMPLES.values()) >= 25
    for page in ("docs/checking.md", "docs/checklists.md", "docs/rules-files.md"):
        assert len(EXAMPLES[page]) >= 3, page
    for found in EXAMPLES.values():
        assert all(c.startswith(("linkcheck ", "cat ")) for _, c, _, _ in found)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("linkcheck.when.clock", lambda: NOW)
    monkeypatch.setattr("linkcheck.engine.clock", lambda: NOW)
    return tmp_path


def _output(run, command: str, terminal: bool, monkeypatch) -> str:
    words = shlex.split(command)
    if words[0] == "cat":
        return Path(words[1]).read_text(encoding="utf-8").replace("\r\n", "\n")
    if terminal:
        monkeypatch.setattr("linkcheck.cli.options.Env.is_terminal", lambda self: True)
    result = run(*words[1:], env={"COLUMNS": "80"})
    assert "Traceback" not in result.output
    return result.stdout + result.stderr


@pytest.mark.parametrize("page", RUN)
def test_every_console_example_shows_the_real_output(run, folder, monkeypatch, page):
    """One test per page, its blocks in order: a later command may read what an earlier one
    of the same page wrote (`cat checked.csv`)."""
    for name, command, expected, terminal in EXAMPLES[page]:
        with monkeypatch.context() as patch:
            got = _output(run, command, terminal, patch)
        shown = [line.rstrip() for line in got.replace("\r\n", "\n").splitlines()]
        assert shown == expected.splitlines(), (name, "\n".join(shown))


def test_the_rules_file_example_is_the_shipped_one():
    page = read("docs/rules-files.md")
    block = re.search(r"```toml\n(schema = 1\ntimezone = .*?)```", page, re.S)
    assert block[1] == (ROOT / "examples" / "team-2023.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES)
def test_links_in_examples_are_quoted(page):
    """In a shell, `&` or `?` in an unquoted link ends the command or globs."""
    for line in read(page).splitlines():
        if "linkcheck " in line and "://" in line and not line.startswith("link ="):
            assert re.search(r"'[a-z]+://", line) or "`" in line, line
