"""The audit trail: `batch --manifest` records a checked checklist, `batch --verify-manifest`
runs it again and compares the output byte for byte (linkcheck/manifest.py)."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from .helpers import BUNDLED_FILE, TEAM, assert_clean_error

CHECKLIST = (
    "sku,来源,商品链接,日期,title\n"
    '1,tmall,,2022-11-11,"A, ""quoted"" 标题"\n'
    "2,,https://item.jd.com/100012043978.html,,jd link\n"
    "3,tmal,,2022-11-11,typo\n"
    "4,jd-self,,11月11日,no year\n"
    "5,tmall,,+3d,relative\n"
)
RECORDED_AT = datetime(2022, 11, 20, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


def sha256(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture
def recorded(run, tmp_path, monkeypatch):
    """A checklist checked with a team rules file and its manifest, at a fixed now (the row
    without a date, the yearless and the relative date cells are read against it)."""
    monkeypatch.chdir(tmp_path)
    Path("list.csv").write_text(CHECKLIST, encoding="utf-8")
    Path("team.toml").write_text(TEAM.replace("schema = 1", 'schema = 1\nversion = "2023.02"'),
                                 encoding="utf-8")  # fmt: skip
    Path("audit").mkdir()
    monkeypatch.setattr("linkcheck.when.clock", lambda: RECORDED_AT)
    result = run("batch", "list.csv", "-o", "checked.csv", "--rules", "team.toml",
                 "--manifest", "audit/run.json", "--fail-on", "never")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    monkeypatch.setattr("linkcheck.when.clock", lambda: datetime(2031, 5, 1, tzinfo=UTC))
    return tmp_path


def flat(text: str) -> str:
    """Output as one line: long lines are wrapped to the terminal."""
    return " ".join(text.split())


def verify(run, *args):
    return run("batch", "--verify-manifest", "audit/run.json", "--rules", "team.toml", *args)


def test_the_manifest_records_what_a_review_needs(recorded):
    doc = json.loads(Path("audit/run.json").read_text(encoding="utf-8"))
    assert doc["manifest"] == 1
    assert doc["linkcheck"] == "0.1.0"
    assert (doc["started"], doc["finished"]) == ("2022-11-20T04:00:00Z", "2022-11-20T04:00:00Z")
    assert doc["arguments"] == [
        "batch", "list.csv", "-o", "checked.csv", "--rules", "team.toml", "--manifest",
        "audit/run.json", "--fail-on", "never",
    ]  # fmt: skip
    assert doc["language"] == "en"
    assert doc["rule_files"] == [
        BUNDLED_FILE,
        {
            "file": "team.toml",
            "version": "2023.02",
            "sha256": sha256("team.toml"),
            "horizon": {"kuaishou": {"as_of": "2023-02-20", "through": "2023-12-31"}},
        },
    ]
    # rows without a date were read at the recorded now, in the platform's zone
    assert doc["defaults"] == {
        "date": "2022-11-20T12:00:00+08:00",
        "date_given": False,
        "surfaces": ["livestream", "short-video"],
        "platform": "kuaishou",
    }
    assert doc["input"] == {
        "name": "list.csv",
        "path": "../list.csv",
        "sha256": sha256("list.csv"),
        "bytes": len(CHECKLIST.encode("utf-8")),
        "encoding": "utf-8",
        "format": "csv",
        "columns": {
            "source": {"column": 2, "header": "来源", "named": False},
            "url": {"column": 3, "header": "商品链接", "named": False},
            "surface": None,
            "date": {"column": 4, "header": "日期", "named": False},
            "platform": None,
        },
    }
    assert doc["output"] == {
        "name": "checked.csv",
        "path": "../checked.csv",
        "sha256": sha256("checked.csv"),
        "bytes": Path("checked.csv").stat().st_size,
        "format": "csv",
    }
    assert doc["counts"] == {"allowed": 6, "denied": 0, "unknown": 2, "error": 2, "skipped": 0}
    assert (doc["results"], doc["engine"]) == (10, "python")
    assert doc["options"]["when"] == "now"
    # the yearless and relative cells were read against the recorded now (2022-11-20)
    rows = [r for r in csv.reader(io.StringIO(Path("checked.csv").read_text("utf-8")))]
    assert [(r[0], r[4], r[6], r[7]) for r in rows if r[0] in ("4", "5")] == [
        ("4", "no year", "allowed", "kuaishou-2022-jd-self-window"),
        ("4", "no year", "allowed", "kuaishou-2022-jd-self-window"),
        ("5", "relative", "allowed", "kuaishou-2022-tmall-window"),
        ("5", "relative", "allowed", "kuaishou-2022-tmall-window"),
    ]


def test_a_manifest_verifies_years_later(run, recorded):
    # the clock has moved to 2031: "now", 11月11日 and +3d are still read as they were
    result = verify(run)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == (
        "reproduced: 'checked.csv' is what linkcheck writes from 'list.csv' with the rules "
        "files the manifest names (rules.toml (bundled), team.toml); sha256 "
        f"{sha256('checked.csv')}\n"
    )


def test_a_changed_input_fails_verification(run, recorded):
    Path("list.csv").write_text(CHECKLIST.replace("1,tmall", "1,taobao"), encoding="utf-8")
    result = verify(run)
    assert result.exit_code == 1
    assert result.stdout == (
        f"input 'list.csv' is not the checklist the manifest names: its sha256 is "
        f"{sha256('list.csv')}, the manifest's "
        f"{hashlib.sha256(CHECKLIST.encode()).hexdigest()}\n"
    )


def test_a_changed_output_byte_fails_verification_naming_the_row(run, recorded):
    recorded_sha = sha256("checked.csv")
    data = Path("checked.csv").read_bytes()
    lines = data.split(b"\n")
    assert lines[3].startswith(b"2,,https://item.jd.com/") and b",unknown," in lines[3]
    lines[3] = lines[3].replace(b",unknown,", b",unknowm,")  # one byte
    Path("checked.csv").write_bytes(b"\n".join(lines))
    result = verify(run)
    assert result.exit_code == 1
    assert flat(result.stdout) == (
        f"output 'checked.csv' is not the output the manifest records (sha256 "
        f"{sha256('checked.csv')}, the manifest's {recorded_sha}), which the re-run "
        "reproduces; first differing row: 3 (line 4), column 'verdict': 'unknowm' in the "
        "recorded output, 'unknown' in the re-run"
    )


def test_a_different_rules_file_fails_verification(run, recorded):
    team_sha = sha256("team.toml")
    Path("team2.toml").write_text(TEAM.replace("2023-12-31", "2024-06-30"), encoding="utf-8")
    result = run("batch", "--verify-manifest", "audit/run.json", "--rules", "team2.toml")
    assert result.exit_code == 1
    assert result.stdout == (
        f"rules file 'team.toml' (version 2023.02, sha256 {team_sha}) is not among the loaded "
        "rules files (rules.toml (bundled), team2.toml); pass it with --rules\n"
    )
    # and the file itself, changed, is another file
    Path("team.toml").write_text(TEAM.replace("2023-12-31", "2024-06-30"), encoding="utf-8")
    changed = verify(run)
    assert changed.exit_code == 1
    assert f"rules file 'team.toml' (version 2023.02, sha256 {team_sha})" in changed.stdout


def test_a_run_that_does_not_reproduce_names_the_first_differing_row(run, recorded):
    # what another linkcheck would do: answer the recorded rows otherwise
    doc = json.loads(Path("audit/run.json").read_text(encoding="utf-8"))
    doc["options"]["surfaces"] = ["livestream"]
    Path("audit/run.json").write_text(json.dumps(doc), encoding="utf-8")
    result = verify(run)
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "not reproduced: the re-run's output differs from 'checked.csv' (sha256 "
    )
    assert flat(result.stdout).endswith(
        "first differing row: 2 (line 3), column 'sku': '1' in the recorded output, '2' in the "
        "re-run"
    )


def test_the_recorded_output_may_be_named(run, recorded):
    Path("saved").mkdir()
    Path("checked.csv").rename("saved/checked.csv")
    missing = verify(run)
    assert missing.exit_code == 0
    assert "the output file itself was not found to compare" in missing.stdout
    named = verify(run, "-o", "saved/checked.csv")
    assert named.exit_code == 0
    assert named.stdout.startswith("reproduced: 'saved/checked.csv' is what linkcheck writes")


def test_a_workbook_reproduces_byte_for_byte_in_its_language(run, tmp_path, monkeypatch):
    pytest.importorskip("openpyxl")
    monkeypatch.chdir(tmp_path)
    workbook = Path(__file__).parent.parent / "examples" / "schedule.xlsx"
    Path("schedule.xlsx").write_bytes(workbook.read_bytes())
    monkeypatch.setattr("linkcheck.when.clock", lambda: RECORDED_AT)
    made = run("batch", "schedule.xlsx", "-o", "out.xlsx", "--manifest", "m.json", "--lang", "zh")
    assert made.exit_code == 1  # an unknown row: --fail-on's default
    monkeypatch.setattr("linkcheck.when.clock", lambda: datetime(2031, 5, 1, tzinfo=UTC))
    result = run("batch", "--verify-manifest", "m.json")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("reproduced: 'out.xlsx'")
    # a workbook dated with the recorded now, which openpyxl and calamine open
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook("out.xlsx")
    assert book.properties.created == book.properties.modified == datetime(2022, 11, 20, 4, 0)
    assert book.active["H1"].value == "结论"  # the language it was made in
    calamine = pytest.importorskip("python_calamine")
    sheet = calamine.CalamineWorkbook.from_path("out.xlsx").get_sheet_by_index(0).to_python()
    assert len(sheet) == 1 + 10 and sheet[1][7] == "可以挂链"  # 5 rows, 2 surfaces each


def test_stdin_and_stdout_are_recorded_by_their_bytes(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("batch", "-", "--on", "2022-11-11", "--manifest", "m.json", input=CHECKLIST)
    doc = json.loads(Path("m.json").read_text(encoding="utf-8"))
    assert (doc["input"]["name"], doc["input"]["path"]) == ("-", None)
    assert doc["input"]["sha256"] == hashlib.sha256(CHECKLIST.encode()).hexdigest()
    assert doc["output"]["name"] == "-"
    assert doc["output"]["sha256"] == hashlib.sha256(result.stdout_bytes).hexdigest()
    assert doc["output"]["bytes"] == len(result.stdout_bytes)
    assert_clean_error(
        run("batch", "--verify-manifest", "m.json"),
        "the manifest's input came from stdin: give the checklist as FILE",
    )
    Path("list.csv").write_text(CHECKLIST, encoding="utf-8")
    Path("out.csv").write_bytes(result.stdout_bytes)
    verified = run("batch", "list.csv", "-o", "out.csv", "--verify-manifest", "m.json")
    assert verified.exit_code == 0, verified.stdout


def test_verification_in_chinese(run, recorded):
    Path("list.csv").write_text(CHECKLIST + "6,tmall,,,\n", encoding="utf-8")
    result = verify(run, "--lang", "zh")
    assert result.exit_code == 1
    assert result.stdout.startswith("输入 'list.csv' 不是审计记录所记的那份清单：它的 sha256 是 ")


def test_manifest_errors_are_clean_and_leave_nothing_behind(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("list.csv").write_text(CHECKLIST, encoding="utf-8")
    assert_clean_error(
        run("batch", "list.csv", "-o", "out.csv", "--manifest", "nowhere/m.json"),
        "cannot write the manifest 'nowhere/m.json'",
    )
    assert not Path("out.csv").exists()  # refused before the run
    assert_clean_error(
        run("batch", "list.csv", "-o", "out.csv", "--manifest", "out.csv"),
        "would overwrite the checklist's input or output",
    )
    assert_clean_error(
        run("batch", "list.csv", "-o", "/dev/null", "--manifest", "m.json"),
        "'/dev/null' is not a regular file",
    )
    assert not Path("m.json").exists()
    Path("bad.json").write_text('{"manifest": 7}', encoding="utf-8")
    assert_clean_error(
        run("batch", "--verify-manifest", "bad.json"),
        "'bad.json' is not a manifest written by `linkcheck batch --manifest`",
    )
    assert_clean_error(run("batch", "--verify-manifest", "none.json"), "manifest 'none.json' not")
    assert_clean_error(
        run("batch", "--verify-manifest", "bad.json", "--on", "2022-11-11", "-s", "直播"),
        "--verify-manifest runs the manifest's own options; leave out -d, -s",
    )


def test_a_reproduced_run_names_its_rules_files_in_chinese(recorded, run):
    # 'rules.toml (bundled)' was English inside the Chinese line (a third trial)
    result = verify(run, "--lang", "zh")
    assert result.exit_code == 0, result.stdout + result.stderr
    said = "".join(result.stdout.split())
    assert "（rules.toml（内置）、team.toml）" in said and "bundled" not in said


@pytest.mark.parametrize(
    ("edit", "reason"),
    [(lambda d: d["options"].update(engine="spark"), "engine must be one of"),
     (lambda d: d["options"].update(when=5), "when: 5"),
     (lambda d: d["options"].update(year=True), "year: true"),
     (lambda d: d["options"].update(columns={"date": 4}), "columns:"),
     (lambda d: d.update(started="garbage"), "garbage")],
)  # fmt: skip
def test_a_manifest_edited_into_options_no_run_had_is_refused_in_words(recorded, run, edit,
                                                                      reason):  # fmt: skip
    """A hand-edited manifest was a traceback, exit 1 — the code of 'not reproduced' (a
    trial); it is refused, exit 2, naming the manifest."""
    path = Path("audit/run.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = verify(run)
    assert_clean_error(result, "manifest 'audit/run.json' records options no run of linkcheck "
                       "could have had", reason)  # fmt: skip


def test_every_option_has_its_recorded_type():
    from linkcheck.batch import ChecklistOptions
    from linkcheck.manifest import OPTION_TYPES

    fields = {f.name for f in dataclasses.fields(ChecklistOptions)} - {"now"}
    assert set(OPTION_TYPES) == fields
