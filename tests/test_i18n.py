"""The Chinese interface: the catalog is whole and current, every command speaks Chinese
under --lang zh or a Chinese locale, and nothing a program reads changes with the language."""

from __future__ import annotations

import gettext
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "tools"))

babel = pytest.importorskip("babel")
import i18n_catalog  # noqa: E402

EXAMPLES = ROOT / "examples"
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[sd]|%[sd]")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _po():
    from babel.messages.pofile import read_po

    with i18n_catalog.PO.open("rb") as f:
        return read_po(f, locale="zh_CN")


def _placeholders(text: str) -> list[str]:
    return sorted(re.sub(r"[:!].*", "", p) for p in _PLACEHOLDER.findall(text))


@pytest.mark.reads_source  # the messages of linkcheck's source files
def test_every_message_has_a_chinese_translation_keeping_its_placeholders():
    needed = i18n_catalog.messages()
    catalog = _po()
    translated = {}
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, message.id  # a fuzzy entry is left out of the .mo
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        translated[message.id] = strings[0]
        if isinstance(message.id, tuple):  # Chinese has one form for every count
            for msgid in message.id:
                assert _placeholders(strings[0]) == _placeholders(msgid), message.id
            continue
    missing = [m for m in needed if not translated.get(m)]
    assert missing == [], missing
    for msgid, text in translated.items():
        if isinstance(msgid, str):
            assert _placeholders(text) == _placeholders(msgid), (msgid, text)
            assert msgid.count("\x08") == text.count("\x08"), msgid  # click's no-rewrap marks
    assert not catalog.fuzzy


def test_the_compiled_catalog_is_the_po_file():
    with i18n_catalog.MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for message in _po():
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            assert compiled.ngettext(message.id[0], message.id[1], 2) == message.string[0]
        else:
            assert compiled.gettext(message.id) == message.string, message.id
    assert compiled.info()["plural-forms"] == "nplurals=1; plural=0;"


@pytest.mark.reads_source  # the messages of linkcheck's source files
def test_no_message_in_the_catalog_is_unused():
    needed = set(i18n_catalog.messages())
    ids = {message.id for message in _po() if message.id}
    assert ids - needed == set()
    assert needed - ids == set()


ZH_ENV = {"LANG": "zh_CN.UTF-8", "COLUMNS": "100"}


@pytest.mark.parametrize(
    ("how", "env"),
    [
        ("--lang zh", {"COLUMNS": "100"}),
        ("LANG", ZH_ENV),
        ("LINKCHECK_LANG", {"LINKCHECK_LANG": "zh"}),
    ],
    ids=["option", "locale", "variable"],
)
def test_check_reads_entirely_in_chinese(run, how, env):
    args = ["check", "天猫", "-s", "直播", "--on", "2022-11-11", "--format", "text"]
    if how == "--lang zh":
        args.append("--lang=zh")
    result = run(*args, env=env)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "快手 · 天猫" in text  # names
    assert "✔ 可以挂链" in text and "直播间购物车" in text  # verdict and surface
    assert "至2022-12-31（还剩51天，含当天）" in "".join(text.split())
    assert "之后未知：规则到此为止" in text.replace("\n", "").replace(" ", "")
    assert "据快手介绍" in text  # the citation
    for english in ("allowed", "until", "days", "today included", " on "):
        assert english not in text, english


def test_chinese_locale_help_and_clicks_own_words(run):
    result = run("--lang", "zh", "batch", "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("用法：linkcheck batch")
    assert "逐行检查商品清单" in result.stdout and "选项：" in result.stdout
    assert "显示此帮助并退出。" in result.stdout
    group = run("--help", env=ZH_ENV)
    assert "命令：" in group.stdout and "查看、检查、审阅和发布规则。" in group.stdout
    bad = run("--lang", "zh", "check", "tmall", "--format", "xml")
    assert bad.exit_code == 2
    assert "错误：" in bad.stderr and "运行 'linkcheck check --help' 查看帮助。" in bad.stderr


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (
            ("check", "天苗"),
            ("未知来源 '天苗'（是不是 “天猫”（tmall）？）", "`linkcheck sources` 可列出全部"),
        ),
        (
            ("check", "tmall", "--on", "明年某天"),
            ("无法识别的日期 '明年某天'：", "可用 2022-11-11"),
        ),
        (("check", "https://evil.cn/x"), ("无法识别的商品链接主机 'evil.cn'", "请改为给出来源 id")),
        (("check", "tmall", "--on", "11/10/2022"), ("日期 '11/10/2022' 有歧义",)),
    ],
)
def test_errors_and_hints_in_chinese(run, args, fragments):
    result = run("--lang", "zh", *args)
    assert result.exit_code == 2
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_every_command_speaks_chinese(run, tmp_path):
    cases = {
        "timeline": ("timeline", "tmall", "--from", "2022-10-01", "--to", "2022-12-31",
                     "--format", "text"),
        "upcoming": ("upcoming", "--on", "2022-11-25", "--days", "7"),
        "upcoming-ended": ("upcoming", "--on", "2026-11-29"),
        "sources": ("sources",),
        "surfaces": ("surfaces",),
        "rules list": ("rules", "list", "--format", "text", "--on", "2022-11-11"),
        "rules show": ("rules", "show", "kuaishou-2022-tmall-window"),
        "rules lint": ("rules", "lint"),
        "rules diff": ("rules", "diff", str(EXAMPLES / "empty.toml"),
                       str(EXAMPLES / "team-2023.toml")),
        "explain": ("check", "京东联盟", "--on", "2022-11-11", "--format", "text", "--explain"),
    }  # fmt: skip
    expected = {
        "timeline": "可以挂链",
        "upcoming": "还剩 6 天，含当天",
        "upcoming-ended": "已加载的快手规则止于 2022-12-31",
        "sources": "天猫",
        "surfaces": "直播间购物车",
        "rules list": "的规则",
        "rules show": "原文引用",
        "rules lint": "内置规则：没有问题",
        "rules diff": "有效范围",
        "explain": "胜出：开始时间最晚",
    }
    for name, args in cases.items():
        result = run("--lang", "zh", *args, env={"COLUMNS": "200"})
        assert result.exit_code in (0, 1, 3), (name, result.output)
        assert expected[name] in result.stdout.replace("\n", ""), (name, result.stdout)


def test_batch_speaks_chinese_on_stderr_and_in_the_table(run):
    result = run("--lang", "zh", "batch", str(EXAMPLES / "checklist-gb18030.csv"),
                 "--format", "table", env={"COLUMNS": "100"})  # fmt: skip
    assert "日期：直播时间（第 4 列）" in result.stderr
    assert "挂链位置：无 —— 每一行都按 直播间购物车、短视频购物车 检查（默认）" in result.stderr
    assert "共 22 条结果" in result.stderr and "（跳过 1 个空行）" in result.stderr
    assert "✔ 可以挂链" in result.stdout and "结论" in result.stdout
    assert "直播间购物车" in result.stdout and "livestream" not in result.stdout


def test_a_workbook_written_in_chinese_has_chinese_headers_and_verdicts(run, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "结果.xlsx"
    result = run("--lang", "zh", "batch", str(EXAMPLES / "schedule.xlsx"), "-o", str(out),
                 "-s", "直播")  # fmt: skip
    assert result.exit_code == 1
    rows = list(openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert rows[0][-5:] == ("挂链位置", "结论", "规则", "下次变化", "说明")
    assert rows[1][-4] == "可以挂链"
    assert rows[1][-5] == "直播间购物车"  # the surface by its name in the rules file
    assert rows[1][0] == 123  # the input's own cells as they were


@pytest.mark.parametrize(
    "args",
    [
        ("check", "天猫", "--on", "2022-11-11", "--format", "plain"),
        ("check", "京东联盟", "--on", "2022-11-11", "--format", "plain", "--explain"),
        ("check", "tmall", "--on", "2026-11-11", "--json"),
        ("check", "jd-union", "--on", "2022-11-11", "--json", "--explain"),
        ("timeline", "tmall", "--format", "json", "--from", "2022-10-01", "--to", "2023-01-31"),
        ("timeline", "tmall", "--format", "plain", "--from", "2022-10-01", "--to", "2022-12-31"),
        ("upcoming", "--on", "2022-11-25", "--json"),
        ("rules", "list", "--format", "plain", "--on", "2022-11-11"),
        ("rules", "list", "--json", "--on", "2022-11-11"),
        ("rules", "show", "kuaishou-2022-tmall-window", "--json"),
        ("rules", "lint", "--format", "json"),
        ("sources", "--json"),
        ("batch", str(EXAMPLES / "checklist-gb18030.csv"), "--format", "csv"),
        ("batch", str(EXAMPLES / "checklist-gb18030.csv"), "--format", "jsonl"),
        ("batch", str(EXAMPLES / "products.csv"), "--format", "json"),
        ("batch", str(EXAMPLES / "products.csv"), "--format", "tsv"),
    ],
    ids=lambda a: " ".join(a[:3]).replace(str(EXAMPLES) + "/", ""),
)
def test_machine_output_is_the_same_in_both_languages(run, args):
    english = run(*args, "--lang", "en")
    chinese = run(*args, "--lang", "zh")
    if "--explain" in args and "plain" in args:  # the lines under each answer are for people
        answers = [line for line in english.stdout.splitlines() if "\t" in line]
        assert [line for line in chinese.stdout.splitlines() if "\t" in line] == answers
        assert len(answers) == 2
        assert "candidate jd-self: allowed (kuaishou-2022-jd-self-window)" in english.stdout
        assert "候选 jd-self：可以挂链（kuaishou-2022-jd-self-window）" in chinese.stdout
        return
    assert chinese.stdout_bytes == english.stdout_bytes
    assert chinese.exit_code == english.exit_code
    if args[-1] == "--json" or "json" in args:
        json.loads(english.stdout.splitlines()[0] if "jsonl" in args else english.stdout)


def test_english_stays_english(run):
    result = run("check", "天猫", "-s", "直播", "--on", "2022-11-11", "--format", "text",
                 "--lang", "en")  # fmt: skip
    assert "Tmall on Kuaishou" in result.stdout and "✔ allowed  livestream" in result.stdout
    assert not CJK.search(result.stdout.split("“")[0])  # Chinese only in the quote
    assert run("--lang", "en", "batch", "--help").stdout.startswith("Usage: linkcheck batch")


def test_a_team_file_without_chinese_names_falls_back_to_english(run, tmp_path):
    team = tmp_path / "team.toml"
    team.write_text('schema = 1\n[sources.team-shop]\nname = "Team shop"\n', encoding="utf-8")
    result = run("--lang", "zh", "sources", "--rules", str(team), env={"COLUMNS": "300"})
    assert "Team shop" in result.stdout and "天猫" in result.stdout


def test_calendar_events_in_chinese(run, tmp_path):
    pytest.importorskip("icalendar")
    out = tmp_path / "窗口.ics"
    args = ("timeline", "tmall", "--format", "ics", "--from", "2022-10-01", "--to", "2022-12-31")
    assert run("--lang", "zh", *args, "-o", str(out)).exit_code == 0
    text = out.read_bytes().decode("utf-8")
    assert "SUMMARY:快手可挂天猫链接：直播间购物车" in text
    assert "规则：kuaishou-2022-tmall-window" in text
    english = tmp_path / "windows.ics"
    run("--lang", "en", *args, "-o", str(english))
    assert "SUMMARY:Tmall links allowed on Kuaishou livestream" in english.read_text()


def test_a_rules_note_is_shown_in_chinese_when_the_file_gives_one(run):
    args = ("check", "京东自营", "-s", "直播", "--on", "2022-12-01", "--format", "text")
    chinese = run(*args, "--lang", "zh", env={"COLUMNS": "300"}).stdout
    assert "快手给京东自营链接的截止日之后" in chinese
    english = run(*args, "--lang", "en", env={"COLUMNS": "300"}).stdout
    assert "After Kuaishou's end date for JD self-operated links" in english
    doc = json.loads(run("rules", "show", "kuaishou-2022-after-jd-self-window", "--json").stdout)
    assert doc["note_zh"].startswith("快手给京东自营链接") and doc["note"].startswith("After")


COMMANDS_AND_ERRORS = {
    "check": ("check", "tmall", "--on", "2022-02-30"),
    "batch": ("batch", "/nonexistent/清单.csv"),
    "timeline": ("timeline", "--from", "2022-12-01", "--to", "2022-11-01"),
    "upcoming": ("upcoming", "--days", "many"),
    "rules": ("rules", "lsit"),
    "sources": ("sources", "--rules", "/nonexistent/team.toml"),
    "surfaces": ("surfaces", "--lang", "fr"),
    "platforms": ("platforms", "--color", "purple"),
}


@pytest.mark.parametrize("command", sorted(COMMANDS_AND_ERRORS))
def test_every_command_has_chinese_help_and_a_chinese_error(run, command):
    from linkcheck.cli import COMMANDS

    assert set(COMMANDS_AND_ERRORS) == set(COMMANDS)
    help_text = run("--lang", "zh", command, "--help").stdout
    assert help_text.startswith(f"用法：linkcheck {command}")
    assert "选项：" in help_text and "--lang [zh|en]" in help_text
    first = help_text.split("\n\n")[1].strip()
    assert CJK.search(first), first  # the command's own description is Chinese
    error = run("--lang", "zh", *COMMANDS_AND_ERRORS[command])
    assert error.exit_code == 2, error.output
    assert error.stderr.count("\n") <= 4
    assert "错误：" in error.stderr and CJK.search(error.stderr.split("错误：", 1)[1]), error.stderr


@pytest.mark.parametrize(
    ("args", "env", "wanted", "unwanted"),
    [
        (("--lang", "en", "--help"), {"LANG": "zh_CN.UTF-8"}, "Show this message and exit.",
         "显示此帮助并退出"),
        (("check", "--lang", "en", "--help"), {"LANG": "zh_CN.UTF-8"},
         "Show this message and exit.", "显示"),
        (("check", "--help", "--lang", "zh"), {}, "用法：linkcheck check", "Usage:"),
        (("rules", "lint", "--help", "--lang=zh"), {}, "显示此帮助并退出", "Show this message"),
        (("batch", "--help", "--lang", "zh", "--lang", "en"), {"LANG": "zh_CN.UTF-8"},
         "Usage: linkcheck batch", "用法"),
    ],
    ids=["group-en-under-zh-locale", "command-en-under-zh-locale", "lang-after-help",
         "lang-equals-after-help", "the-last-lang-wins"],
)  # fmt: skip
def test_lang_counts_wherever_it_stands_on_the_line(run, args, env, wanted, unwanted):
    """--help is eager: click reads it first. The language is taken from the whole line
    before click reads anything, so help and click's own words follow --lang."""
    result = run(*args, env=env)
    assert result.exit_code == 0, result.output
    assert wanted in result.stdout
    assert unwanted not in result.stdout


def test_no_click_module_keeps_the_standard_gettext(run):
    """click binds gettext as `_` in each module that has words; every one loaded is
    rebound to linkcheck's catalog (a click release that moves words is caught here)."""
    import gettext
    import sys

    run("--lang", "zh", "check", "--help")
    run("--lang", "zh", "rules", "lint", "--help")
    left = [
        name
        for name, module in sys.modules.items()
        if (name == "click" or name.startswith("click."))
        and module is not None
        and getattr(module, "_", None) is gettext.gettext
    ]
    assert left == []


def test_the_oss_reasons_are_said_in_chinese_by_their_errno(run, tmp_path, write):
    # "无法写入输出 '…'：Not a directory": the OS's words stayed English
    path = write("a.csv", "source,date\ntmall,2022-11-11\n")
    out = str(tmp_path / "a.csv" / "o.csv")  # a file where a folder should be
    zh = run("--lang", "zh", "batch", path, "-o", out)
    assert zh.exit_code == 2
    assert zh.stderr == f"错误：无法写入输出 '{out}'：路径中有一部分不是文件夹\n"
    en = run("batch", path, "-o", out)
    assert en.stderr == f"Error: cannot write output '{out}': Not a directory\n"


def test_an_output_in_a_folder_that_is_not_there_names_the_folder(run, tmp_path, write):
    # "No such file or directory" of -o missing/o.csv, which file? (a new user's trial)
    path = write("a.csv", "source,date\ntmall,2022-11-11\n")
    out = str(tmp_path / "missing" / "o.csv")
    en = run("batch", path, "-o", out)
    assert en.exit_code == 2
    assert en.stderr == (
        f"Error: cannot write output '{out}': its folder '{tmp_path / 'missing'}' does not "
        "exist (make it first)\n"
    )
    zh = run("--lang", "zh", "check", "tmall", "-o", out)
    assert zh.exit_code == 2
    assert (
        zh.stderr
        == f"错误：无法写入输出 '{out}'：文件夹 '{tmp_path / 'missing'}' 不存在（请先创建）\n"
    )


def test_an_os_reason_without_a_translation_is_the_oss_own_words():
    import errno

    from linkcheck.errors import OSReason
    from linkcheck.i18n import speaking

    with speaking("zh"):
        assert str(OSReason(OSError(errno.EACCES, "Permission denied"))) == "没有权限"
        assert str(OSReason(OSError(errno.EBADF, "Bad file descriptor"))) == "Bad file descriptor"
        assert str(OSReason(OSError("no errno at all"))) == "no errno at all"
    with speaking("en"):
        assert str(OSReason(OSError(errno.EACCES, "Zugriff verweigert"))) == "Zugriff verweigert"


def test_english_left_in_chinese_messages_is_gone(run, tmp_path, write):
    """Each was English inside a Chinese message (a new user's trial)."""
    fake = tmp_path / "fake.xlsx"
    fake.write_text("a,b\n", encoding="utf-8")
    nodate = write("nodate.csv", "source,date\ntmall,\n")
    said = {
        "workbook": run("--lang", "zh", "batch", str(fake)).stderr,
        "encoding": run("--lang", "zh", "batch", nodate, "--encoding", "gbk2").stderr,
        "as": run("--lang", "zh", "check", "--as", "tmall", "https://item.jd.com/1.html").stderr,
        "xls": run("--lang", "zh", "batch", nodate, "-o", str(tmp_path / "o.xls")).stderr,
    }
    assert said["workbook"] == (
        f"错误：输入 '{fake}'：不是可读取的 .xlsx 工作簿：它不是 zip 压缩包，而每个 .xlsx 都是"
        "（是改了扩展名的 CSV 或旧版 .xls 文件吗？）\n"
    )  # was (BadZipFile: File is not a zip file)
    assert said["encoding"].startswith(f"错误：输入 '{nodate}'：未知编码 'gbk2'：请使用")
    assert said["as"].startswith("错误：--as tmall 与链接的主机 item.jd.com 不符，它只可能是 "
                                 "jd-self 或 jd-pop\n")  # fmt: skip
    assert said["xls"].startswith(f"错误：无法写入 '{tmp_path / 'o.xls'}'：linkcheck 只写")
    table = run("--lang", "zh", "batch", nodate, "-s", "直播", "--on", "2022-11-11",
                "--format", "table").stdout  # fmt: skip
    assert "此行没有日期：按 2022-11-11 检查（--on 2022-11-11）" in table
    english = run("batch", nodate, "-s", "直播", "--on", "2022-11-11", "--format", "csv").stdout
    assert english.endswith(",the row has no date: checked at 2022-11-11 (--on 2022-11-11)\n")


def test_a_required_option_is_said_in_chinese_in_help(run):
    # click's [required] stayed English in Chinese help (a trial)
    said = run("rules", "publish", "--help", "--lang", "zh").stdout
    assert "[必填]" in said and "[required]" not in said
    assert "[required]" in run("rules", "publish", "--help", "--lang", "en").stdout
