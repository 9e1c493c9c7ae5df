"""The evidence behind rules files: [documents.ID], citations with `by` and `inference`, and
what `rules lint` checks of them (linkcheck/rules/evidence.py)."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from linkcheck.lint import lint

from .helpers import ROOT, assert_clean_error

ARTICLE = ROOT / "sources" / "000_a698274f1961a54e.txt"
ARTICLE_SHA256 = hashlib.sha256(ARTICLE.read_bytes()).hexdigest()

INFERENCE = "the end: the second line"
MEMO = "快手：自2023年3月1日起，直播间可以挂天猫商品链接。\n至3月31日止。\n"


def team_file(tmp_path, *, sha256=None, quote="自2023年3月1日起，直播间可以挂天猫商品链接。",
              by='by = "快手", ', extra="", memo=MEMO) -> str:  # fmt: skip
    """A team rules file citing a memo shipped beside it in docs/."""
    (tmp_path / "docs").mkdir(exist_ok=True)
    memo_path = tmp_path / "docs" / "memo.txt"
    memo_path.write_text(memo, encoding="utf-8")
    digest = sha256 or hashlib.sha256(memo_path.read_bytes()).hexdigest()
    path = tmp_path / "team.toml"
    path.write_text(
        f"""schema = 1
version = "2023.02.20"

[horizon.kuaishou]
as_of = 2023-02-20
through = 2023-12-31

[documents.memo-2023-02]
title = "Kuaishou memo"
publisher = "Kuaishou"
published = 2023-02-20
file = "docs/memo.txt"
sha256 = "{digest}"

[[rule]]
id = "team-2023-tmall-spring"
platform = "kuaishou"
verdict = "allow"
sources = ["tmall"]
surfaces = ["livestream"]
start = 2023-03-01
end = 2023-03-31
citation = {{ quote = "{quote}", document = "memo-2023-02", {by}inference = "{INFERENCE}" }}
{extra}""",
        encoding="utf-8",
    )
    return str(path)


def messages(problems) -> list[tuple[str, str, str, str]]:
    return [(p.level, p.where, p.field, p.message) for p in problems]


def test_a_file_with_documents_that_holds_passes_lint(run, tmp_path):
    path = team_file(tmp_path)
    assert lint([path]) == []
    result = run("rules", "lint", path)
    assert result.exit_code == 0
    assert result.stdout == f"{path}: clean\n"


def test_the_bundled_file_passes_lint_with_no_warning(run):
    result = run("rules", "lint", "--strict")
    assert (result.exit_code, result.stdout) == (0, "the bundled rules: clean\n")


def test_a_wrong_hash_is_an_error_naming_both_hashes(run, tmp_path):
    wrong = "0" * 64
    path = team_file(tmp_path, sha256=wrong)
    actual = hashlib.sha256(MEMO.encode()).hexdigest()
    assert messages(lint([path])) == [
        (
            "error",
            "[documents.memo-2023-02]",
            "sha256",
            f"document file 'docs/memo.txt' has sha256 {actual}, not the {wrong} declared: the "
            "document changed since the rules were written, or the hash is wrong",
        )
    ]
    result = run("rules", "lint", path, "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["errors"] == 1


def test_a_document_changed_after_the_rules_were_written_fails_lint(tmp_path):
    path = team_file(tmp_path)
    (tmp_path / "docs" / "memo.txt").write_text(MEMO + "补充。\n", encoding="utf-8")
    assert [p.field for p in lint([path])] == ["sha256"]


def test_a_quote_not_in_the_document_is_an_error(tmp_path):
    path = team_file(tmp_path, quote="自2023年3月1日起，直播间可以挂淘宝商品链接。")
    assert messages(lint([path])) == [
        (
            "error",
            "[[rule]] #1 'team-2023-tmall-spring' citation",
            "citation.quote",
            "quote not found in document 'memo-2023-02' (docs/memo.txt), whitespace aside: "
            "“自2023年3月1日起，直播间可以挂淘宝商品链接。”; quote the document's words exactly",
        )
    ]


def test_a_quote_is_verbatim_whitespace_aside(tmp_path):
    # the document breaks the sentence over two lines; the quote is written on one
    memo = "快手：自2023年3月1日起，直播间\n  可以挂天猫商品链接。\n至3月31日止。\n"
    assert lint([team_file(tmp_path, memo=memo)]) == []
    # but a character more is not whitespace
    quote = "自2023年3月1日起，直播间也可以挂天猫商品链接。"
    assert [p.field for p in lint([team_file(tmp_path, memo=memo, quote=quote)])] == [
        "citation.quote"
    ]


def test_a_citation_without_by_is_an_error(tmp_path):
    assert messages(lint([team_file(tmp_path, by="")])) == [
        (
            "error",
            "[[rule]] #1 'team-2023-tmall-spring' citation",
            "citation.by",
            'the citation does not say who said it: add by = "…" (the platform, another '
            "party, or the document's author)",
        )
    ]


def test_a_rule_without_citation_is_a_warning(tmp_path):
    extra = """
[[rule]]
id = "team-2023-jd"
platform = "kuaishou"
verdict = "deny"
sources = ["jd-self"]
surfaces = ["livestream"]
start = 2023-03-01
"""
    assert [(p.level, p.where, p.field) for p in lint([team_file(tmp_path, extra=extra)])] == [
        ("warning", "[[rule]] #2 'team-2023-jd'", "citation")
    ]


def test_several_citations_are_each_checked(tmp_path):
    extra = """
[[rule]]
id = "team-2023-jd"
platform = "kuaishou"
verdict = "unknown"
sources = ["jd-self"]
surfaces = ["livestream"]
start = 2023-03-01
citation = [
    { quote = "至3月31日止。", document = "memo-2023-02", by = "快手" },
    { quote = "京东", document = "memo-2023-02" },
]
"""
    assert [(p.where, p.field) for p in lint([team_file(tmp_path, extra=extra)])] == [
        ("[[rule]] #2 'team-2023-jd' citation #2", "citation.by"),
        ("[[rule]] #2 'team-2023-jd' citation #2", "citation.quote"),
    ]


def test_a_missing_document_file_is_an_error_and_lint_goes_on(tmp_path):
    path = team_file(tmp_path)
    (tmp_path / "docs" / "memo.txt").unlink()
    assert messages(lint([path])) == [
        (
            "error",
            "[documents.memo-2023-02]",
            "file",
            "document file 'docs/memo.txt' not found; ship it beside the rules file (the path "
            "is relative to the rules file)",
        )
    ]


def test_a_document_that_is_a_directory_or_not_utf8(tmp_path):
    path = team_file(tmp_path)
    memo = tmp_path / "docs" / "memo.txt"
    memo.unlink()
    memo.mkdir()
    assert [p.message for p in lint([path])] == [
        "document file 'docs/memo.txt' is not a regular file"
    ]
    shutil.rmtree(memo)
    data = b"\xff\xfe not utf-8"
    memo.write_bytes(data)
    path = team_file(tmp_path, sha256=hashlib.sha256(data).hexdigest())
    memo.write_bytes(data)  # team_file wrote the memo again
    assert [p.message for p in lint([path])] == [
        "document file 'docs/memo.txt' is not UTF-8 text (bad byte at offset 0); quotes cannot "
        "be checked against it"
    ]


@pytest.mark.parametrize(
    ("table", "field", "fragment"),
    [
        ('file = "docs/memo.txt"', "sha256", "missing 'sha256'"),
        ('sha256 = "' + "a" * 64 + '"', "file", "missing 'file'"),
        ('file = "/etc/passwd"\nsha256 = "' + "a" * 64 + '"', "file", "relative to the rules"),
        ('file = "x.txt"\nsha256 = "abc"', "sha256", "64 hex digits"),
        ('file = "x.txt"\nsha256 = "' + "a" * 64 + '"\npublished = "Oct 2022"', "published",
         "'published' must be a date"),
        # a month or a day the calendar has not (a trial: both linted clean)
        ('file = "x.txt"\nsha256 = "' + "a" * 64 + '"\npublished = "2024-13"', "published",
         "'published' must be a date"),
        ('file = "x.txt"\nsha256 = "' + "a" * 64 + '"\npublished = "2023-02-29"', "published",
         "'published' must be a date"),
        ('file = "x.txt"\nsha256 = "' + "a" * 64 + '"\nauthor = "x"', "author", "unknown key"),
    ],
)  # fmt: skip
def test_document_tables_are_checked_at_load(run, tmp_path, table, field, fragment):
    path = tmp_path / "bad.toml"
    path.write_text(f"schema = 1\n[documents.memo]\n{table}\n", encoding="utf-8")
    (problem,) = [p for p in lint([str(path)]) if p.field == field]
    assert (problem.level, problem.where) == ("error", "[documents.memo]")
    assert fragment in problem.message
    assert_clean_error(run("check", "tmall", "--rules", str(path)), fragment)


def test_a_citation_naming_an_unknown_document_is_an_error(tmp_path):
    path = team_file(tmp_path)
    text = (tmp_path / "team.toml").read_text(encoding="utf-8")
    (tmp_path / "team.toml").write_text(
        text.replace('document = "memo-2023-02"', 'document = "memo-2023"'), encoding="utf-8"
    )
    problems = lint([path])
    assert [(p.level, p.field) for p in problems[:1]] == [("error", "citation.document")]
    assert "unknown document 'memo-2023' (did you mean 'memo-2023-02'?)" in problems[0].message


def test_document_and_source_together_are_an_error(tmp_path):
    path = team_file(tmp_path, by='by = "快手", source = "memo.txt", ')
    assert [(p.level, p.field) for p in lint([path])][:1] == [("error", "citation.source")]


def test_the_old_source_form_keeps_working(run, tmp_path):
    from .helpers import TEAM

    old = tmp_path / "old.toml"
    old.write_text(TEAM, encoding="utf-8")  # citation = { quote = "test", source = "team memo" }
    assert lint([str(old)]) == []  # no documents: nothing to read, `by` not required
    doc = json.loads(run("check", "tmall", "--rules", str(old), "--on", "2023-03-01",
                         "-s", "livestream", "--json").stdout)  # fmt: skip
    assert doc["results"][0]["rule"]["citation"] == {
        "quote": "test", "source": "team memo", "document": None, "by": None,
        "inference": None, "inference_zh": None,
    }  # fmt: skip
    # in a file that declares documents, an old-style citation must still say who said it
    extra = """
[[rule]]
id = "team-2023-jd"
platform = "kuaishou"
verdict = "deny"
sources = ["jd-self"]
surfaces = ["livestream"]
start = 2023-03-01
citation = { quote = "q", source = "a memo" }
"""
    assert [(p.where, p.field) for p in lint([team_file(tmp_path, extra=extra)])] == [
        ("[[rule]] #2 'team-2023-jd' citation", "citation.by")
    ]


def test_a_version_must_be_text(run, tmp_path):
    path = tmp_path / "v.toml"
    path.write_text("schema = 1\nversion = 3\n", encoding="utf-8")
    assert_clean_error(
        run("check", "tmall", "--rules", str(path)),
        "'version' must be text in quotes, such as version = \"2022.10.28\"",
    )


def test_the_bundled_document_is_declared_with_its_hash(bundled):
    (document,) = bundled.catalog.documents.values()
    assert document.id == "dsts-2022-10"
    assert (document.file, document.sha256) == ("sources/000_a698274f1961a54e.txt", ARTICLE_SHA256)
    assert (document.title, document.publisher, document.published) == (
        "快手重新开启联盟之路", "电商头条", "2022-10",
    )  # fmt: skip


@pytest.mark.parametrize("tag", ["zh", "zh-CN", "zh_CN.UTF-8", "ZH", " zh-Hans "])
def test_a_rules_chinese_note_is_given_for_any_chinese_language_tag(tag):
    from linkcheck import load_rules

    rule = next(r for r in load_rules().rules if r.note_zh)
    assert rule.note_for(tag) == rule.note_zh
    assert rule.note_for("en-US") == rule.note_for("en") == rule.note
