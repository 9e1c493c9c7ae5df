"""No input reaches a terminal as an escape sequence: every command, fed a rules file and
arguments full of C0 and C1 controls, OSC and CSI sequences and bidi overrides, writes them
escaped (`\\x1b`, `\\u202e`) on stdout and stderr, in every format for people; machine
formats keep the data as data (JSON escapes it, checklist cells stay byte for byte)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import unicodedata

import pytest

# the payload, as Python text: a window title set (OSC), a colour and a screen clear (CSI),
# the C1 CSI, NEL, a bell, a carriage return, a backspace, a NUL, DEL, and the bidi
# overrides and isolates that reorder what is shown
PAYLOAD = "\x1b]0;PWN\x07\x1b[31m\x1b[2J\x9b31m\x85\r\x08\x00\x7f\u202e\u2066\u200f"
# an argument cannot hold a NUL (the kernel ends a command-line word there)
ARG = PAYLOAD.replace("\x00", "")
# the same in a TOML basic string (a TOML file holds them only as escapes)
TOML_PAYLOAD = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in PAYLOAD)
# how the escaped OSC sequence reads once escaped: what a person sees instead
SHOWN = "\\x1b]0;PWN\\x07"

RULES = f"""
schema = 1
timezone = "Asia/Shanghai"
default_platform = "evilp"

[platforms.evilp]
name = "Plat{TOML_PAYLOAD}"
aliases = ["pa{TOML_PAYLOAD}"]
timezone = "Asia/Shanghai"

[sources.evil]
name = "Src{TOML_PAYLOAD}"
aliases = ["sa{TOML_PAYLOAD}"]
domains = ["evil.example"]

[groups.evil-group]
name = "Group{TOML_PAYLOAD}"
members = ["evil"]

[surfaces.evil-live]
name = "Surf{TOML_PAYLOAD}"
aliases = ["su{TOML_PAYLOAD}"]

[horizon.evilp]
as_of = 2022-10-28
through = 2022-12-31

[[rule]]
id = "evil-rule"
platform = "evilp"
verdict = "allow"
sources = ["evil"]
surfaces = ["evil-live"]
start = 2022-10-28
end = 2022-11-30
note = "Note{TOML_PAYLOAD}"

[rule.citation]
quote = "Quote{TOML_PAYLOAD}"
source = "Doc{TOML_PAYLOAD}"
by = "By{TOML_PAYLOAD}"

[[rule]]
id = "evil-later"
platform = "evilp"
verdict = "unknown"
sources = ["evil"]
surfaces = ["evil-live"]
start = 2022-12-01
note = "Later{TOML_PAYLOAD}"
citation = {{ quote = "Q2{TOML_PAYLOAD}", source = "D2", by = "B2" }}
"""

# a file `rules lint` reports on: an unknown key and a default platform, both hostile
LINTED = f"""
schema = 1
default_platform = "dp{TOML_PAYLOAD}"
"key{TOML_PAYLOAD}" = 1
"""

SGR = re.compile(r"\x1b\[[0-9;]*m")  # what rich itself writes for colour and bold


def unsafe(text: str) -> list[str]:
    """The characters a terminal must not receive, by their Unicode category (a reference
    independent of the code under test): controls but line end and tab, format characters,
    separators other than spaces, surrogates, private and unassigned code points."""
    return [
        ch
        for ch in text
        if ch not in "\n\t"
        and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
    ]


@pytest.fixture
def hostile(tmp_path, monkeypatch):
    """A working folder with the hostile rules file (rules.toml) and a lint target."""
    (tmp_path / "rules.toml").write_text(RULES, encoding="utf-8")
    (tmp_path / "lint.toml").write_text(LINTED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


RULES_ARGS = ("--rules", "rules.toml", "--no-default-rules")


def assert_escaped(result, *, shown: bool = True, colour: bool = False) -> None:
    """Nothing unsafe on stdout or stderr (rich's own colour codes aside when `colour`), no
    traceback, and — when `shown` — the payload was written, escaped."""
    out, err = result.stdout, result.stderr
    assert "Traceback" not in out + err, err
    if colour:
        out, err = SGR.sub("", out), SGR.sub("", err)
    else:
        assert "\x1b" not in out + err
    assert unsafe(out) == [], (out, unsafe(out))
    assert unsafe(err) == [], (err, unsafe(err))
    if shown:  # the payload was written, escaped (a list of names is cut at its `;`)
        assert "\\x1b]0" in out + err, (out, err)


# every view of the rules file's words, with --color never and always
VIEWS = [
    ("check", "evil", "--on", "2022-11-11", "-s", "evil-live"),
    ("check", "evil", "--on", "2022-11-11", "-s", "evil-live", "--explain"),
    ("check", "evil", "--on", "2022-11-11", "-s", "evil-live", "--format", "text"),
    ("check", "evil", "--on", "2022-11-11", "-s", "evil-live", "--format", "text", "--explain"),
    ("check", "evil", "--on", "2022-12-05", "-s", "evil-live", "--format", "text"),
    ("check", "evil", "--on", "2023-03-01", "-s", "evil-live", "--format", "text"),
    ("check", "evil-group", "--on", "2022-11-11", "-s", "all", "--format", "text"),
    ("sources",),
    ("surfaces",),
    ("platforms",),
    ("rules", "show", "evil-rule"),
    ("timeline", "evil", "--from", "2022-10-01", "--to", "2023-02-01", "--format", "text"),
    ("upcoming", "--on", "2022-11-25", "--days", "10"),
    ("upcoming", "--on", "2022-12-25", "--days", "10"),
]


@pytest.mark.parametrize("args", VIEWS, ids=" ".join)
@pytest.mark.parametrize("colour", ["never", "always"])
def test_rules_file_words_reach_the_terminal_escaped(run, hostile, args, colour):
    result = run(*args, *RULES_ARGS, "--color", colour, ok=False)
    assert result.exit_code in (0, 1, 3), (result.exit_code, result.stderr)
    # `check` plain lines, `upcoming` in a window and the timeline's bars show ids only
    shown = args[0] != "check" or "text" in args or "--explain" in args
    if args[0] == "upcoming" and "2022-12-25" in args:
        shown = True  # the horizon line names the platform
    assert_escaped(result, shown=shown, colour=colour == "always")


def test_the_views_really_carry_the_payload(run, hostile):
    """The views above are no empty test: the same commands without the escaping would
    write the raw payload — each names a rules-file text that holds it."""
    texts = {
        "sources": "Src", "surfaces": "Surf", "platforms": "Plat",
        "rules show": "Note", "check --explain": "Quote",
    }  # fmt: skip
    for command, word in texts.items():
        result = run(*command.split(), *(["evil", "--on", "2022-11-11", "-s", "evil-live"]
                                         if command.startswith("check") else
                                         ["evil-rule"] if command == "rules show" else []),
                     *RULES_ARGS, "--color", "never", ok=False)  # fmt: skip
        assert word + PAYLOAD.replace("\x1b]0;PWN\x07", SHOWN)[: len(SHOWN)] in result.stdout, (
            command,
            result.stdout,
        )


# values given on the command line, each echoed in an error (or a warning)
ARGUMENTS = [
    ("check", ARG),
    ("check", "evil", "-s", ARG),
    ("check", "evil", "--on", ARG),
    ("check", "evil", "--as", ARG),
    ("check", "evil", "--platform", ARG),
    ("check", "evil", "--format", ARG),
    ("check", "evil", "--" + ARG),
    ("check", "evil", "extra" + ARG),
    ("check", f"https://{ARG}.example/x"),
    ("timeline", "evil", "--from", ARG),
    ("timeline", "evil", "--format", "json", "-o", f"no-such-dir{ARG}/t.json"),
    ("upcoming", "--on", ARG),
    ("rules", "show", ARG),
    ("rules", "lint", f"missing{ARG}.toml"),
    ("rules", "diff", "rules.toml", f"missing{ARG}.toml"),
    ("rules", "export", "-o", f"no-such-dir{ARG}/x.csv"),
    ("rules", ARG),
    (ARG,),
    ("batch", f"missing{ARG}.csv"),
    ("batch", "list.csv", "-o", f"no-such-dir{ARG}/out.csv"),
    ("batch", "list.csv", "--fail-on", ARG),
    ("batch", "list.csv", "--source-column", ARG),
    ("batch", "list.csv", "--encoding", ARG),
    ("batch", "list.csv", "--on", ARG),
    ("batch", "list.csv", "--input-format", ARG),
    ("batch", f"list{ARG}.xls"),
    ("batch", f"list{ARG}.unknown"),
]


@pytest.mark.parametrize(
    "args", ARGUMENTS, ids=lambda a: " ".join(a).encode("unicode_escape").decode()
)
def test_arguments_are_echoed_escaped(run, hostile, args):
    (hostile / "list.csv").write_text("source\nevil\n", encoding="utf-8")
    rules = () if args[0] == ARG or args[:2] == ("rules", "diff") else RULES_ARGS
    result = run(*args, *rules, "--color", "never", ok=False)
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert_escaped(result)


def test_lint_echoes_unknown_keys_and_default_platform_escaped(run, hostile):
    result = run("rules", "lint", "lint.toml", "--no-default-rules", "--color", "never",
                 ok=False)  # fmt: skip
    assert result.exit_code == 1, result.stderr
    assert_escaped(result)
    assert "key" + SHOWN in result.stdout + result.stderr
    assert "dp" + SHOWN in result.stdout + result.stderr


def test_lint_json_keeps_the_words_as_data(run, hostile):
    result = run("rules", "lint", "lint.toml", "--no-default-rules", "--format", "json",
                 ok=False)  # fmt: skip
    assert unsafe(result.stdout) == []
    problems = json.loads(result.stdout)["problems"]
    assert any(p["field"] == "key" + PAYLOAD for p in problems), problems


@pytest.mark.parametrize(
    "args",
    [("sources", "--json"), ("rules", "show", "evil-rule", "--json"),
     ("check", "evil", "--on", "2022-11-11", "-s", "evil-live", "--json"),
     ("timeline", "evil", "--from", "2022-11-01", "--to", "2022-11-02", "--format", "json"),
     ("upcoming", "--on", "2022-11-25", "--json")],
    ids=" ".join,
)  # fmt: skip
def test_json_escapes_the_payload_and_keeps_it(run, hostile, args):
    """JSON for programs: the payload is escaped in the text (\\u001b, \\u202e) and comes
    back whole when the document is read."""
    result = run(*args, *RULES_ARGS, ok=False)
    assert result.exit_code in (0, 3), result.stderr
    assert unsafe(result.stdout) == [] and "\x1b" not in result.stdout
    assert "\\u001b]0;PWN\\u0007" in result.stdout or args[0] in ("timeline", "upcoming")
    document = json.loads(result.stdout)
    assert any(PAYLOAD in text for text in strings(document)) or args[0] in (
        "timeline",
        "upcoming",
    )


def strings(value):
    """Every string in a JSON document (keys too)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from strings(inner)


def test_json_keeps_a_payload_past_the_basic_plane(run, hostile):
    """A format character outside the BMP (a language tag) is escaped as a UTF-16 pair."""
    tagged = RULES.replace('name = "Src', 'name = "Src\\U000E0001')
    (hostile / "rules.toml").write_text(tagged, encoding="utf-8")
    result = run("sources", "--json", *RULES_ARGS)
    assert "\\udb40\\udc01" in result.stdout
    assert json.loads(result.stdout)[0]["name"].startswith("Src\U000e0001")


def checklist(path, *rows) -> None:
    """A CSV checklist whose cells hold anything (quoted where csv must)."""
    import csv

    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


@pytest.mark.parametrize("colour", ["never", "always"])
def test_checklist_headers_and_cells_in_the_terminal_table(run, hostile, colour):
    """The table a terminal shows: headers and cells escaped; the columns read named."""
    checklist(hostile / "list.csv", ["source", f"title{PAYLOAD}", f"日期{PAYLOAD}"],
              ["evil", f"t{PAYLOAD}", "2022-11-11"])  # fmt: skip
    result = run("batch", "list.csv", "--format", "table", "--on", "2022-11-11", "-s", "evil-live",
                 *RULES_ARGS, "--color", colour, ok=False)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert_escaped(result, colour=colour == "always")
    assert "title" + SHOWN in result.stdout
    assert "t" + SHOWN in result.stdout
    assert "日期" + SHOWN in result.stderr  # a look-alike date header, named unread


def test_no_source_column_names_the_headers_escaped(run, hostile):
    checklist(hostile / "list.csv", [f"x{PAYLOAD}", f"title{PAYLOAD}"], ["evil", "t"])
    result = run("batch", "list.csv", *RULES_ARGS, "--color", "never", ok=False)
    assert result.exit_code == 2
    assert "no source or url column among" in result.stderr
    assert_escaped(result)


def test_checklist_cells_stay_byte_for_byte_in_csv(run, hostile):
    """A CSV output is the user's data: the payload in a cell is written as it came."""
    checklist(hostile / "list.csv", ["source", "title"], ["evil", f"t{PAYLOAD}"])
    result = run("batch", "list.csv", "--format", "csv", "--on", "2022-11-11", "-s", "evil-live",
                 *RULES_ARGS, ok=False)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert f'evil,"t{PAYLOAD}",evil-live,allowed' in result.stdout
    assert unsafe(result.stderr) == []


def test_the_batch_table_and_notes_escape_an_error_row(run, hostile):
    checklist(hostile / "list.csv", ["source"], [f"nosuch{PAYLOAD}"])
    result = run("batch", "list.csv", "--format", "table", "--on", "2022-11-11", "-s", "evil-live",
                 *RULES_ARGS, "--color", "never", ok=False)  # fmt: skip
    assert result.exit_code == 1
    assert_escaped(result)


def test_click_usage_errors_are_escaped(run, hostile):
    result = run("batch", "--" + ARG, ok=False)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: No such option '--")  # click's own words
    assert_escaped(result)


@pytest.mark.subprocess
def test_closed_stdout_check_keeps_its_exit_code_and_batch_stops_quietly(hostile):
    """`check tmall >&-` answers by its exit code; `batch … >&-` stops quietly (exit 1,
    nothing written, nothing said); with -o the run is whole."""
    (hostile / "list.csv").write_text("source\ntmall\n", encoding="utf-8")

    def closed(*args):
        return subprocess.run(
            [sys.executable, "-m", "linkcheck", *args],
            stdin=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=lambda: os.close(1),
            timeout=120,
        )

    answered = closed("check", "tmall", "--on", "2022-11-11")
    assert (answered.returncode, answered.stderr) == (0, "")
    denied = closed("check", "tmall", "--on", "2022-06-01")
    assert (denied.returncode, denied.stderr) == (1, "")
    # a pipe its reader closed (`| head -1`), the answer drawn by rich, which exited 1
    # (denied) itself there
    for when, code in (("2022-11-11", 0), ("2022-06-01", 1)):
        proc = subprocess.Popen(
            [sys.executable, "-m", "linkcheck", "check", "tmall", "--on", when, "--format",
             "text", "--explain"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        proc.stdout.close()  # before it writes a line
        _, err = proc.communicate(timeout=120)
        assert (proc.returncode, err) == (code, b"")
    listed = closed("sources")
    assert (listed.returncode, listed.stderr) == (1, "")
    batch = closed("batch", "list.csv", "--on", "2022-11-11", "-s", "livestream")
    assert (batch.returncode, batch.stderr) == (1, "")
    written = closed("batch", "list.csv", "--on", "2022-11-11", "-s", "livestream",
                     "-o", "out.csv")  # fmt: skip
    assert written.returncode == 0, written.stderr
    assert "Traceback" not in written.stderr
    assert (hostile / "out.csv").read_text(encoding="utf-8").startswith("source,surface")


@pytest.mark.subprocess
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_an_stderr_that_cannot_be_written_leaves_the_exit_code_as_it_was(hostile):
    """`2>/dev/full` (or a pipe closed): the message is lost, the exit code is not — it was
    1, denied, for an unreadable input and for an unknown answer whose notice failed (the
    error about the failed error lost too: a trial)."""
    (hostile / "list.csv").write_text("source\ntmall\n", encoding="utf-8")

    def full(*args):
        with open("/dev/full", "w") as stderr:
            return subprocess.run(
                [sys.executable, "-m", "linkcheck", *args],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr, text=True,
                timeout=120,
            )  # fmt: skip

    assert full("check", "https://evil.cn/x", "-q").returncode == 2  # a link of no source
    assert full("check", "tmall", "--on", "garbage").returncode == 2
    unknown = full("check", "tmall", "--on", "2026-11-11")  # past the rules' horizon
    assert unknown.returncode == 3
    assert unknown.stdout.count("unknown\t") == 2  # the answer, whole, on stdout
    assert full("batch", "nofile.csv").returncode == 2
    assert full("batch", "list.csv", "--on", "2026-11-11").returncode == 1  # unknown rows


def test_the_commands_write_only_through_render():
    """The guard behind every test above: no command writes on its own (click.echo, print,
    sys.stdout.write) — only render.echo and render.console() reach a terminal."""
    from pathlib import Path

    import linkcheck.cli

    writes = re.compile(r"click\.s?echo\(|(?<![\w.])print\(|\.std(?:out|err)\.write\(")
    for path in sorted(Path(linkcheck.cli.__file__).parent.glob("*.py")):
        found = writes.findall(path.read_text(encoding="utf-8"))
        assert found == [], (path.name, found)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("rules", "show", "kuaishou-shop\x1b[2J"),
         "Error: no rule 'kuaishou-shop\\x1b[2J' (did you mean 'kuaishou-shop' or "
         "'kuaishou-2018-open'?); `linkcheck rules list` lists them\n"),
        (("batch", "nofile\x1b[31m.csv"), "Error: input 'nofile\\x1b[31m.csv' not found\n"),
        (("rules", "diff", "a\x1b[31m", "b"),
         "Error: cannot load 'a\\x1b[31m': a\\x1b[31m: rules file not found; give the path of "
         "a .toml rules file\n"),
        (("check", "tmall", "--rules", "r\x1b[31m.toml"),
         "Error: r\\x1b[31m.toml: rules file not found; give the path of a .toml rules file\n"),
    ],
    ids=["rules-show", "batch", "rules-diff", "check-rules"],
)  # fmt: skip
def test_a_colour_sequence_in_an_argument_is_shown_escaped_not_removed(run, tmp_path,
                                                                       monkeypatch, args,
                                                                       expected):  # fmt: skip
    """A CSI sequence alone (no OSC around it) was taken out by the time the message was
    written — 'no rule 'kuaishou-shop' (did you mean 'kuaishou-shop' …)' contradicted
    itself — where it should read as what was typed, escaped (a new user's trial)."""
    monkeypatch.chdir(tmp_path)
    result = run(*args, ok=False)
    assert result.exit_code == 2
    assert result.stderr == expected


@pytest.mark.subprocess
@pytest.mark.skipif(not hasattr(signal, "SIGINT") or sys.platform == "win32", reason="POSIX")
def test_ctrl_c_while_the_cli_is_still_imported_exits_130_without_a_traceback():
    """A Ctrl-C 15-50 ms in, while the command's modules were still imported (before the
    CLI's own handling), printed a KeyboardInterrupt traceback (a trial). The console
    script (linkcheck.console) is quiet from its first line: here the signal comes as
    linkcheck.cli starts to import."""
    program = (
        "import os, signal, sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'linkcheck.cli':\n"
        "            os.kill(os.getpid(), signal.SIGINT)\n"
        "        return None\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "sys.argv = ['linkcheck', 'check', 'tmall', '--on', '2022-11-11']\n"
        "from linkcheck.console import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "")
