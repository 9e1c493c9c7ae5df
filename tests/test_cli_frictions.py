"""Small frictions a new user meets: a mistyped command, a source typed as a command, shell
completion of names and paths."""

from __future__ import annotations

import pytest


def complete(run, words: str, shell: str = "bash"):
    env = {
        "_LINKCHECK_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    result = run(env=env)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("chek",), "no command 'chek' (did you mean 'check'?)"),
        (("bacth",), "(did you mean 'batch'?)"),
        (("rules", "lsit"), "no command 'lsit' (did you mean 'list' or 'lint'?)"),
        (("zzz",), "no command 'zzz'; the commands are check, batch, timeline"),
    ],
)
def test_a_mistyped_command_is_answered_with_the_closest(run, args, fragment):
    result = run(*args)
    assert result.exit_code == 2
    assert fragment in result.stderr
    assert "Traceback" not in result.output


def test_a_source_typed_as_a_command_is_shown_how_to_check_it(run):
    result = run("天猫")
    assert result.exit_code == 2
    assert "to check a source: linkcheck check '天猫'" in result.stderr


def test_a_typed_source_is_suggested_before_a_group(run):
    for typed in ("JD 自营x", "jd自营店x", "京东自营旗舰"):
        result = run("check", typed, "--on", "2022-11-11")
        assert "(did you mean 'jd-self'" in result.stderr, (typed, result.stderr)


def test_bash_completion_quotes_an_alias_with_a_space(run):
    items = complete(run, "linkcheck check jd")
    assert "plain,jd-self" in items
    assert "plain,'jd self'" in items and "plain,'JD self-operated'" in items
    assert "plain,JD自营" in items  # nothing to quote
    # zsh quotes what it inserts itself
    zsh = complete(run, "linkcheck check jd", shell="zsh")
    assert "jd self" in zsh


@pytest.mark.parametrize(
    "words",
    [
        "linkcheck batch ex",
        "linkcheck batch list.csv -o ou",
        "linkcheck check tmall --rules te",
        "linkcheck rules lint te",
        "linkcheck rules diff a.toml b",
        "linkcheck timeline -o ca",
    ],
)
def test_file_arguments_complete_as_paths(run, words):
    items = complete(run, words)
    assert items == [f"file,{words.split()[-1]}"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("check", "--bogus"),
         "Error: No such option '--bogus'.\nTry 'linkcheck check --help' for help.\n"),
        (("check",), "Error: Missing argument 'SOURCE'.\nTry 'linkcheck check --help' for help.\n"),
        (("check", "tmall", "--on"), "Error: Option '--on' requires an argument.\n"),
        (("rules", "lsit"), "Error: no command 'lsit' (did you mean 'list' or 'lint'?); the "
         "commands are diff, export, lint, list, publish, repo, rollback, show, trust, "
         "update\nTry 'linkcheck rules --help' for help.\n"),
        (("天猫",), "Error: no command '天猫'; the commands are check, batch, timeline, upcoming, "
         "rules, sources, surfaces, platforms\n  to check a source: linkcheck check '天猫'\n"),
        (("--lang", "zh", "check", "--bogus"),
         "错误：没有选项 '--bogus'。\n运行 'linkcheck check --help' 查看帮助。\n"),
        # click's did-you-mean for an option, in Chinese too (it was left in English)
        (("check", "tmall", "--form", "x"),
         "Error: No such option '--form'. (Did you mean one of: '--format', '--platform'?)\n"
         "Try 'linkcheck check --help' for help.\n"),
        # only the near ones: click's own search offered --platform for --formt, --encoding
        # for --engin, and --color for --form
        (("check", "tmall", "--formt", "x"),
         "Error: No such option '--formt'. Did you mean '--format'?\n"
         "Try 'linkcheck check --help' for help.\n"),
        (("batch", "x.csv", "--engin", "duckdb"),
         "Error: No such option '--engin'. Did you mean '--engine'?\n"
         "Try 'linkcheck batch --help' for help.\n"),
        (("sur",), "Error: no command 'sur' (did you mean 'surfaces' or 'sources'?); the "
         "commands are check, batch, timeline, upcoming, rules, sources, surfaces, "
         "platforms\nTry 'linkcheck --help' for help.\n"),
        (("--lang", "zh", "check", "tmall", "--platfom", "ks"),
         "错误：没有选项 '--platfom'。是不是 '--platform'？\n"
         "运行 'linkcheck check --help' 查看帮助。\n"),
        (("--lang", "zh", "check", "tmall", "--form", "x"),
         "错误：没有选项 '--form'。（是不是其中之一：'--format', '--platform'？）\n"
         "运行 'linkcheck check --help' 查看帮助。\n"),
        # a number: in words, not click's "integer range" and "1<=x<=9999" (no Chinese)
        (("check", "tmall", "--year", "0"),
         "Error: Invalid value for '--year': '0' is not a whole number from 1000 to 9999\n"
         "Try 'linkcheck check --help' for help.\n"),
        (("check", "tmall", "--year", "٢٠٢٢"),  # other scripts' digits: as --days reads them
         "Error: Invalid value for '--year': '٢٠٢٢' is not a whole number from 1000 to 9999\n"
         "Try 'linkcheck check --help' for help.\n"),
        (("batch", "-", "--header-row", "abc"),
         "Error: Invalid value for '--header-row': 'abc' is not a whole number of 1 or more\n"
         "Try 'linkcheck batch --help' for help.\n"),
        (("--lang", "zh", "check", "tmall", "--year", "10000"),
         "错误：'--year' 的值无效：'10000' 不是 1000 到 9999 之间的整数\n"
         "运行 'linkcheck check --help' 查看帮助。\n"),
        (("--lang", "zh", "batch", "-", "--header-row", "-1"),
         "错误：'--header-row' 的值无效：'-1' 不是 1 或以上的整数\n"
         "运行 'linkcheck batch --help' 查看帮助。\n"),
        (("rules", "repo", "init", "r", "--root-threshold", "1\x1b[2J"),
         "Error: Invalid value for '--root-threshold': '1\\x1b[2J' is not a whole number from "
         "1 to 9\nTry 'linkcheck rules repo init --help' for help.\n"),
        # another tool's word for an option: not near it in letters (click's sift dropped it)
        (("check", "tmall", "--date", "2022-11-11"),
         "Error: No such option '--date'. Did you mean '--on'?\n"
         "Try 'linkcheck check --help' for help.\n"),
        (("batch", "x.csv", "--json"),  # it offered --on
         "Error: No such option '--json'. Did you mean '--format'?\n"
         "Try 'linkcheck batch --help' for help.\n"),
        (("--lang", "zh", "batch", "x.csv", "--when", "今晚8点"),
         "错误：没有选项 '--when'。是不是 '--on'？\n运行 'linkcheck batch --help' 查看帮助。\n"),
    ],
    ids=["unknown-option", "missing-argument", "option-without-value", "mistyped-command",
         "source-as-command", "chinese", "near-options",
         "near-option-only",
         "near-option-not-encoding", "near-command-by-its-start", "chinese-near-option",
         "chinese-near-options", "year-out-of-range", "year-in-arabic-indic-digits",
         "header-row-not-a-number",
         "chinese-year", "chinese-header-row", "escaped-number", "date-for-on",
         "json-for-format", "chinese-when-for-on"],
)  # fmt: skip
def test_a_usage_error_is_two_lines_at_most(run, args, expected):
    """SPEC §8: one or two lines — what is wrong, then where the help is; not click's usage
    line and blank line before them."""
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr == expected
    assert result.stdout == ""


def test_a_number_typed_in_full_width_digits_is_read(run, write):
    """A Chinese input method types ３ for 3: the header row it names is used."""
    path = write("a.csv", "清单\n来源,日期\ntmall,2022-11-11\n")
    result = run("batch", path, "--header-row", "２", "--format", "csv", "-s", "直播")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == "header: row 2 (skipped above it: row 1 清单)"


@pytest.mark.parametrize(
    ("args", "usage"),
    [((), "Usage: linkcheck [OPTIONS] COMMAND"),
     (("rules",), "Usage: linkcheck rules [OPTIONS] COMMAND"),
     (("rules", "repo"), "Usage: linkcheck rules repo [OPTIONS] COMMAND"),
     (("--lang", "zh", "rules"), "用法：linkcheck rules [OPTIONS] COMMAND"),
     (("--lang", "zh"), "用法：linkcheck [OPTIONS] COMMAND"),  # 'Missing command.' alone
     (("rules", "--lang", "en"), "Usage: linkcheck rules [OPTIONS] COMMAND")],
    ids=["linkcheck", "rules", "rules-repo", "chinese-rules", "chinese-linkcheck",
         "rules-with-an-option"],
)  # fmt: skip
def test_a_command_group_given_no_command_shows_its_help_not_an_error(run, args, usage):
    """`linkcheck` alone, `linkcheck rules` alone: the help and its commands, as click says it
    (exit 2, on stderr) — it was 'Error: Usage: …', as if the user had typed something wrong."""
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(usage)
    assert "Error" not in result.stderr and "错误" not in result.stderr
    assert "Commands:" in result.stderr or "命令：" in result.stderr
