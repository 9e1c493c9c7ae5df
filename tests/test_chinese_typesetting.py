"""Chinese mode is Chinese all the way (issue 21, item 6): every output meant for a person,
of every command, under --lang zh, holds no English word that is not an id, a name from the
rules files, an option, a file name, a URL or a number; Chinese sentences use full-width
，：？（）; and no wrapped line starts with closing punctuation (避头尾), at any width.

The allow-list is built from what the program and its rules define (ids, aliases, option
names, metavars, command names), never from the outputs scanned."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from linkcheck.render.fit import width_of, wrap

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
BROKEN = Path(__file__).parent / "rules_broken"
CJK = "\u3400-\u9fff\uf900-\ufaff"
# a half-width ,:?() touching a CJK character (or one space from it): a Chinese sentence
# typeset with English punctuation
HALF_WIDTH = re.compile(f"[{CJK}] ?[,:?()]|[,:?()] ?[{CJK}]")
# an ASCII full stop ending a Chinese sentence (click's own: 缺少参数 'SOURCE'.)
FULL_STOP = re.compile(f"(?<=[{CJK}'”）])\\.(?= |$)")
# what no line may start with once wrapped (full-width closers and their half-width twins)
CLOSING = "，。、；：？！）」』】〉》〕”’…,.:;?!)]}"
URL = re.compile(r"(?:https?://|www\.)\S+|\S+\.(?:com|cn|hk)\S*", re.IGNORECASE)
PATH = re.compile(r"\S*(?:/|\\)\S*|\S+\.(?:toml|csv|tsv|xlsx|jsonl|json|txt|ics|md|py)\b")
OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")
CODE = re.compile(r"`[^`]*`")  # a command or a rules file's literal, as typed
INSTANT = re.compile(r"\d{4}-\d\d-\d\dT[\d:.]+(?:[+-]\d\d:\d\d|Z)?|\d{4}-W\d\d-\d")
DIGEST = re.compile(r"\b[0-9a-f]{16,}\b")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_+.'-]*[A-Za-z0-9]|[A-Za-z]")
# words of the trade that Chinese users write in Latin letters too (formats and standards)
TERMS = {
    "csv",
    "tsv",
    "json",
    "jsonl",
    "xlsx",
    "excel",
    "toml",
    "url",
    "sha256",
    "utf-8",
    "bom",
    "iso",
    "ics",
    "id",
    "gb18030",
    "gbk",
    "http",
    "https",
    "ctrl-d",
    "ctrl",
    "linkcheck",
    "pip",
    "install",
    "openpyxl",
}
# the date forms linkcheck reads, quoted as examples of what to type
DATE_WORDS = {"today", "now", "yesterday", "tomorrow", "next", "friday", "fri", "nov", "pm",
              "am"}  # fmt: skip


def _allowed_words() -> set[str]:
    """Ids, names and aliases of the rules files, rule ids, commands, options, metavars and
    choices: words a person types or reads in the rules, not English sentences."""
    import linkcheck
    from linkcheck.cli import COMMANDS, cli
    from linkcheck.rules import schema

    words = TERMS | DATE_WORDS
    words.update(schema.TOP_KEYS + schema.HORIZON_KEYS + schema.RULE_KEYS + schema.CITATION_KEYS
                 + schema.DOCUMENT_KEYS)  # fmt: skip
    words.update(key for keys in schema.ENTRY_KEYS.values() for key in keys)
    rules = linkcheck.load_rules(
        [EXAMPLES / "team-2023.toml", EXAMPLES / "cited" / "team-2023.toml"]
    )
    catalog = rules.catalog
    tables = (catalog.platforms, catalog.sources, catalog.groups, catalog.surfaces)
    for table in tables:
        for ident, entry in table.items():
            for text in (ident, *entry.aliases, entry.name, getattr(entry, "timezone", "")):
                words.update(w.lower() for w in WORD.findall(text))
    for rule in catalog.rules:
        words.add(rule.id.lower())
    for platform in catalog.platforms:
        words.add(f"horizon.{platform}")

    def walk(command: click.Command) -> None:
        words.add(command.name or "")
        for metavar in (command.options_metavar, getattr(command, "subcommand_metavar", "")):
            words.update(w.lower() for w in WORD.findall(metavar or ""))
        for param in command.params:
            words.update(o.lstrip("-").lower() for o in param.opts)
            if isinstance(param.type, click.Choice):
                words.update(str(c).lower() for c in param.type.choices)
            metavar = getattr(param, "metavar", None)
            if metavar:
                words.update(w.lower() for w in WORD.findall(metavar))
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    ctx = click.Context(cli)
    for name in COMMANDS:
        walk(cli.get_command(ctx, name))
    words.update(("file", "when", "days", "n", "source", "surface", "platform", "date"))
    return words


CHECKLIST = (
    "sku,来源,商品链接,日期,直播形式\n"
    "1,tmall,,2022-11-11,直播\n"
    "2,,https://item.jd.com/100012043978.html,2022-11-11,直播\n"
    "3,tmal,,2022-11-11,直播\n"
    "4,jd-self,,2023-03-01,直播\n"
    "5,,,2022-11-11,直播\n"
    "6,tmall,,2022-02-30,直播\n"
    "7,tmall,,2022-13-01,直播\n"
    "8,,https://evil.cn/x,2022-11-11,直播\n"
    "9,tmall,,明年某天,直播\n"
    "10,tmall,,2022-11-11,外星\n"
    "11,tmall,,11月11日,直播\n"
    "12,tmall,,2022-11-31 20:00,直播\n"
    "13,tmall,,2022年2月30日,直播\n"
    "14,tmall,,2022-11-11,直播,多出来的\n"
)
DEFAULTS_CHECKLIST = "sku,来源,日期\n1,tmall,2022-11-11\n2,jd-self,2023-03-01\n3,京东,2022-11-11\n"
# what the checklists hold is the user's, echoed as it was (a typo such as tmal, a unit)
INPUT_CELLS = CHECKLIST + "".join(
    path.read_text(encoding="utf-8")
    for path in (EXAMPLES / "titled-checklist.csv", BROKEN / "bad_values.toml",
                 BROKEN / "never_decides.toml")
)  # fmt: skip
# the wrong values the error cases give, echoed by their errors
TYPOS = ("lsit", "kuaishou-2022-tmall-windw", "many", "fr", "purple")
ALLOWED = _allowed_words() | {w.lower() for w in WORD.findall(INPUT_CELLS)} | set(TYPOS)


def english_words(text: str) -> list[str]:
    """The ASCII words of `text` that are not allowed in a Chinese output."""
    found = []
    for line in text.splitlines():
        for pattern in (CODE, INSTANT, DIGEST):
            line = pattern.sub(" ", line)
        line = URL.sub(" ", line)
        line = PATH.sub(" ", line)
        line = OPTION.sub(" ", line)
        for word in WORD.findall(line):
            bare = word.strip("'.").lower()
            if bare in ALLOWED or re.fullmatch(r"[\d.:+-]*", bare) or len(bare) <= 1:
                continue
            if all(part in ALLOWED for part in re.split(r"[.'-]", bare) if part):
                continue
            found.append(word)
    return found


def _verdict_marks() -> list[str]:
    """`? 未知`, `✔ 可以挂链` …: a verdict's mark and word, not punctuation."""
    from linkcheck import i18n
    from linkcheck.render.common import VERDICT_MARK
    from linkcheck.words import verdict_word

    with i18n.speaking("zh"):
        return [f"{mark} {verdict_word(v)}" for v, mark in VERDICT_MARK.items()]


MARKS = _verdict_marks()


def _unquoted(text: str) -> str:
    """`text` without what it quotes (“…”, nested ones too): a cited sentence is shown as
    the document wrote it, its punctuation included."""
    out, depth = [], 0
    for ch in text:
        if ch == "“":
            depth += 1
        quoted = depth > 0 and ch != "\n"
        if ch == "”" and depth:
            depth -= 1
        out.append("〇" if quoted else ch)  # neither a word nor CJK: a place kept
    return "".join(out)


def _plain(text: str) -> str:
    for mark in MARKS:
        text = text.replace(mark, " ")
    return _unquoted(text)


def _check_chinese(name: str, text: str) -> list[str]:
    faults = [f"{name}: doubled quotes" for _ in re.finditer("““|””", text)]
    text = _plain(text)
    faults += [f"{name}: English word {w!r}" for w in english_words(text)]
    faults += [f"{name}: half-width {m.group()!r}" for m in HALF_WIDTH.finditer(text)]
    faults += [
        f"{name}: ASCII full stop in {line.strip()!r}"
        for line in text.splitlines()
        if re.search(f"[{CJK}]", line) and FULL_STOP.search(line)
    ]
    return faults


def _broken_lines(name: str, text: str) -> list[str]:
    return [
        f"{name}: line starts with {line.strip()[0]!r}: {line!r}"
        for line in _plain(text).splitlines()
        if line.strip() and line.strip()[0] in CLOSING
    ]


@pytest.fixture(scope="module")
def checklist(tmp_path_factory) -> Path:
    return write_checklist(tmp_path_factory.mktemp("清单"))


def write_checklist(folder: Path) -> Path:
    """A checklist with a row for each note a batch answer can carry (and one without a
    surface column beside it: every row is checked for the default surfaces)."""
    (folder / "无挂链位置.csv").write_text(DEFAULTS_CHECKLIST, encoding="utf-8")
    path = folder / "清单.csv"
    path.write_text(CHECKLIST, encoding="utf-8")
    return path


def human_outputs(run, checklist: Path, tmp_path: Path, columns: int) -> dict[str, str]:
    """Every output of every command meant for a person, in Chinese: name → text."""
    env = {"COLUMNS": str(columns)}
    team = str(EXAMPLES / "team-2023.toml")
    cases = {
        "check": ("check", "天猫", "--on", "2022-11-11", "--format", "text"),
        "check link": ("check", "https://item.jd.com/1.html", "--on", "2022-11-11",
                       "--format", "text"),
        "check group": ("check", "京东", "--on", "2022-11-11", "--format", "text"),
        "check horizon": ("check", "jd-self", "--on", "2023-03-01", "--format", "text"),
        "check opens": ("check", "tmall", "--on", "2022-10-20", "--format", "text"),
        "check explain": ("check", "京东联盟", "--on", "2022-11-11", "--format", "text",
                          "--explain"),
        "check explain tmall": ("check", "天猫", "--on", "2022-11-11", "--format", "text",
                                "--explain"),
        "batch table": ("batch", str(checklist), "--format", "table"),
        "batch titled": ("batch", str(EXAMPLES / "titled-checklist.csv"), "--format", "table"),
        "batch default surfaces": ("batch", str(checklist.parent / "无挂链位置.csv"),
                                   "--format", "table"),
        "sources": ("sources",),
        "surfaces": ("surfaces",),
        "platforms": ("platforms",),
        "rules list": ("rules", "list", "--format", "text", "--on", "2022-11-11"),
        "rules show": ("rules", "show", "kuaishou-2022-tmall-window"),
        "rules show cited": ("rules", "show", "kuaishou-2023-tmall-618", "--rules",
                             str(EXAMPLES / "cited" / "team-2023.toml")),
        "rules lint": ("rules", "lint"),
        "rules lint broken": ("rules", "lint", str(BROKEN / "bad_values.toml"),
                              str(BROKEN / "never_decides.toml")),
        "rules diff": ("rules", "diff", str(EXAMPLES / "empty.toml"), team),
        "timeline": ("timeline", "tmall", "--from", "2022-10-01", "--to", "2022-12-31",
                     "--format", "text"),
        "upcoming": ("upcoming", "--on", "2022-11-25", "--days", "7"),
        "upcoming ended": ("upcoming", "--on", "2026-11-29"),
        "error check name": ("check", "天苗"),
        "error check date": ("check", "tmall", "--on", "2022-02-30"),
        "error check date time": ("check", "tmall", "--on", "2022-11-31 20:00"),
        "error check month": ("check", "tmall", "--on", "2022-13-01 20:00"),
        "error check link": ("check", "https://evil.cn/x"),
        "error check argument": ("check",),
        "error batch": ("batch", "/nonexistent/清单.csv"),
        "error timeline": ("timeline", "--from", "2022-12-01", "--to", "2022-11-01"),
        "error upcoming": ("upcoming", "--days", TYPOS[2]),
        "error rules": ("rules", TYPOS[0]),
        "error rules show": ("rules", "show", TYPOS[1]),
        "error sources": ("sources", "--rules", "/nonexistent/team.toml"),
        "error surfaces": ("surfaces", "--lang", TYPOS[3]),
        "error platforms": ("platforms", "--color", TYPOS[4]),
        "error surface": ("check", "tmall", "-s", "直博"),
    }  # fmt: skip
    outputs = {}
    for name, args in cases.items():
        result = run("--lang", "zh", *args, env=env)
        outputs[name] = result.stdout + result.stderr
    # --explain piped: the tab-separated lines are for programs, the rest for people
    piped = run("--lang", "zh", "check", "京东联盟", "--on", "2022-11-11", "--explain", env=env)
    outputs["check explain piped"] = "\n".join(
        line for line in piped.stdout.splitlines() if "\t" not in line
    )
    workbook = tmp_path / f"结果-{columns}.xlsx"
    result = run("--lang", "zh", "batch", str(checklist), "-o", str(workbook), env=env)
    outputs["batch xlsx stderr"] = result.stderr
    openpyxl = pytest.importorskip("openpyxl")
    rows = list(openpyxl.load_workbook(workbook).worksheets[0].iter_rows(values_only=True))
    appended = [[str(c) for c in row[-5:] if c is not None] for row in rows]
    outputs["batch xlsx cells"] = "\n".join("  ".join(cells) for cells in appended)
    return outputs


def test_every_human_output_is_typeset_in_chinese(run, checklist, tmp_path):
    outputs = human_outputs(run, checklist, tmp_path, 250)
    faults = [fault for name, text in outputs.items() for fault in _check_chinese(name, text)]
    assert faults == []


@pytest.mark.parametrize("columns", [30, 40, 60])
def test_no_wrapped_line_starts_with_closing_punctuation(run, checklist, tmp_path, columns):
    outputs = human_outputs(run, checklist, tmp_path, columns)
    faults = [fault for name, text in outputs.items() for fault in _broken_lines(name, text)]
    faults += [f for name, text in outputs.items() for f in _check_chinese(name, text)
               if "half-width" in f]  # fmt: skip
    assert faults == []


def test_the_allow_list_does_not_let_english_sentences_through():
    assert english_words("超出规则的有效范围 beyond the horizon: candidates disagree") == [
        "beyond", "the", "candidates", "disagree"]  # fmt: skip
    assert english_words("按 livestream、short-video 检查(--rules FILE,rules.toml)") == []
    assert english_words("https://item.jd.com/1.html 与 kuaishou-2022-tmall-window") == []
    assert _check_chinese("x", "还剩 51 天,含当天") == ["x: half-width '天,'"]
    assert _broken_lines("x", "第一行\n。第二行\n  )第三行") == [
        "x: line starts with '。': '。第二行'", "x: line starts with ')': '  )第三行'"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("还剩 51 天（含当天），之后未知：规则到此为止", 12,
         ["还剩 51 天", "（含当天），", "之后未知：规", "则到此为止"]),
        ("一二三四五六七八九十。后面", 20, ["一二三四五六七八九", "十。后面"]),
        ("一二三四五六七八九，十后面", 18, ["一二三四五六七八", "九，十后面"]),
        ("kuaishou-2022-tmall-window: allow 2022-10-28 → 2022-12-31:", 40,
         ["kuaishou-2022-tmall-window: allow", "2022-10-28 → 2022-12-31:"]),
        ("一二三四五六七八九十一二三四五六七八九十（含当天）", 40,
         ["一二三四五六七八九十一二三四五六七八九十", "（含当天）"]),
        ("规则“据快手介绍”之后", 10, ["规则“据快", "手介绍”之", "后"]),
        # an id longer than the line is cut, but never before its closing bracket
        ("未知（kuaishou-2022-after-jd-self-window）；请加载更新的规则文件", 30,
         ["未知", "（kuaishou-2022-after-jd-self-", "window）；请加载更新的规则文件"]),
        # a quoted sentence keeps its half-width commas with the character before them
        ("据快手介绍,10月28日至12月31日,短视频、直播间", 12,
         ["据快手介", "绍,10月28日", "至12月31日,", "短视频、直播", "间"]),
    ],
)  # fmt: skip
def test_cjk_lines_never_start_with_closing_nor_end_with_opening_punctuation(text, width, lines):
    got = wrap(text, width)
    assert got == lines
    for line in got:
        assert width_of(line) <= width
        assert line[0] not in CLOSING
        assert line[-1] not in "（「『【〈《〔“‘("


def test_the_catalog_writes_chinese_sentences_with_chinese_punctuation():
    """Every translation that is a Chinese sentence uses ，：？（）, outside its placeholders,
    code (`…`) and links (what a program or a person types stays as typed)."""
    import gettext

    from linkcheck.i18n import DOMAIN

    folder = ROOT / "linkcheck" / "locale"
    catalog = gettext.translation(DOMAIN, folder, languages=["zh_CN"])
    faults = []
    for msgid, text in catalog._catalog.items():
        if not msgid:
            continue
        bare = re.sub(r"\{[^{}]*\}|`[^`]*`|https?://\S+|\n  [^\n]*", " ", text)
        faults += [(text, m.group()) for m in HALF_WIDTH.finditer(bare)]
    assert faults == []
