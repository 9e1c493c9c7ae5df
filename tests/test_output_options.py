"""One set of output options for every command that prints data (as sqlite-utils'
output_options): --format, --json as its alias where JSON is a format, and -o/--output
FILE written atomically — the same file that stdout would have shown, kept whatever the
exit code the answer has, and the old file left as it was when the command fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent.parent / "examples"
TEAM = str(EXAMPLES / "team-2023.toml")

# command line → the formats it offers (the first is the default on a terminal)
COMMANDS = {
    "check": (("check", "tmall", "--on", "2022-11-11"), ("text", "plain", "json")),
    "rules list": (("rules", "list", "--on", "2022-11-11"), ("text", "plain", "json")),
    "rules show": (("rules", "show", "kuaishou-2022-tmall-window"), ("text", "json")),
    "rules lint": (("rules", "lint"), ("text", "json")),
    "rules diff": (("rules", "diff", TEAM, str(EXAMPLES / "empty.toml")), ("text", "json")),
    "timeline": (("timeline", "tmall", "--from", "2022-10-01", "--to", "2022-12-31"),
                 ("text", "plain", "json", "ics")),
    "upcoming": (("upcoming", "--on", "2022-11-25", "--days", "7"), ("text", "json")),
    "sources": (("sources",), ("text", "json")),
    "surfaces": (("surfaces",), ("text", "json")),
    "platforms": (("platforms",), ("text", "json")),
    "rules export": (("rules", "export"), ("csv", "jsonl", "sql", "parquet")),
}  # fmt: skip


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_takes_format_and_output(run, tmp_path, name):
    args, formats = COMMANDS[name]
    help_text = run(*args[:2] if args[0] == "rules" else args[:1], "--help").stdout
    assert "--format" in help_text and "-o, --output FILE" in help_text
    assert ("--json" in help_text) == ("json" in formats)
    for fmt in formats:
        if fmt in ("ics", "parquet"):  # optional extras, bytes: tested below
            continue
        shown = run(*args, "--format", fmt)
        out = tmp_path / f"{name}.{fmt}"
        written = run(*args, "--format", fmt, "-o", str(out))
        assert written.exit_code == shown.exit_code, (fmt, written.output)
        assert written.stdout == ""
        assert out.read_text(encoding="utf-8") == shown.stdout
        assert shown.stdout.strip(), fmt


@pytest.mark.parametrize("name", [n for n, (_, f) in COMMANDS.items() if "json" in f])
def test_json_is_the_same_as_format_json(run, name):
    args, _ = COMMANDS[name]
    alias, spelled = run(*args, "--json"), run(*args, "--format", "json")
    assert alias.stdout == spelled.stdout and alias.exit_code == spelled.exit_code
    json.loads(alias.stdout)


@pytest.mark.parametrize(
    ("name", "piped"),
    [("check", "plain"), ("rules list", "plain"), ("timeline", "plain"), ("rules show", "text"),
     ("upcoming", "text"), ("sources", "text"), ("rules export", "csv")],
)  # fmt: skip
def test_one_rule_for_the_default_format(run, monkeypatch, name, piped):
    """The first format on a terminal, the command's piped format otherwise (as before)."""
    args, formats = COMMANDS[name]
    assert run(*args).stdout == run(*args, "--format", piped).stdout
    monkeypatch.setattr("linkcheck.cli.options.Env.is_terminal", lambda self: True)
    monkeypatch.setenv("NO_COLOR", "1")
    on_terminal = run(*args)
    assert on_terminal.stdout == run(*args, "--format", formats[0]).stdout


def test_an_answer_with_its_exit_code_is_written_whole(run, tmp_path):
    """`check` answers with its exit code (3: unknown): the file is the answer all the same."""
    out = tmp_path / "answer.json"
    out.write_text("old")
    result = run("check", "京东第三方", "--on", "2022-11-11", "--json", "-o", str(out))
    assert result.exit_code == 3
    assert json.loads(out.read_text())["verdict"] == "unknown"


def test_a_failed_command_leaves_the_old_file_and_no_temporary_one(run, tmp_path):
    out = tmp_path / "answer.txt"
    out.write_text("precious\n")
    result = run("check", "天苗", "-o", str(out))
    assert result.exit_code == 2 and "unknown source" in result.stderr
    assert out.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answer.txt"]


def test_a_directory_as_output_is_refused(run, tmp_path):
    result = run("sources", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "is a directory; give a file name" in result.stderr


def test_bytes_formats_go_to_the_file(run, tmp_path):
    pytest.importorskip("icalendar")
    out = tmp_path / "windows.ics"
    args, _ = COMMANDS["timeline"]
    assert run(*args, "--format", "ics", "-o", str(out)).exit_code == 0
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_json_keys_of_repeated_and_appended_headers_are_each_their_own(run, write):
    # as docs/checklists.md says (a trial found the docs named appended names only)
    path = write("dup.csv", "来源,备注,备注,verdict,verdict_input\n天猫,a,b,c,d\n")
    result = run("batch", path, "--format", "jsonl", "-s", "直播", "--on", "2022-11-11")
    row = json.loads(result.stdout.splitlines()[0])
    assert list(row)[:5] == ["来源", "备注", "备注_input", "verdict_input", "verdict_input_input"]
    assert [row["备注"], row["备注_input"], row["verdict_input"], row["verdict_input_input"]] == [
        "a", "b", "c", "d",
    ]  # fmt: skip
    assert row["verdict"] == "allowed"


@pytest.mark.parametrize(
    "args",
    [("check", "tmall", "--on", "2022-11-11", "--format", "plain"), ("rules", "export"),
     ("batch", "-", "-s", "直播", "--on", "2022-11-11", "--format", "csv")],
)  # fmt: skip
def test_output_dash_is_stdout_not_a_file_named_dash(run, tmp_path, monkeypatch, args):
    # -o - made a file named '-' (a trial), where batch's FILE - is stdin
    monkeypatch.chdir(tmp_path)
    result = run(*args, "-o", "-", input="来源\n天猫\n", ok=False)
    assert result.exit_code in (0, 1), result.stderr
    assert result.stdout.strip() and not (tmp_path / "-").exists()
