"""run_checklist: the checklist entry point a Python user calls ("check this file into that
one"), the same that `batch` calls: paths and streams in and out, the summary it returns,
and its errors (raised, never printed)."""

from __future__ import annotations

import csv
import io

import pytest

from linkcheck.batch import (
    Answer,
    ChecklistOptions,
    Format,
    InputError,
    Summary,
    run_checklist,
)

CHECKLIST = "商品,来源,直播时间\r\n保温杯,天猫,2022-11-11\r\n耳机,京东自营,2022-12-01\r\n\r\n"


def test_a_file_into_another_file(tmp_path, bundled):
    source = tmp_path / "清单.csv"
    source.write_bytes(CHECKLIST.encode("gb18030"))
    sink = tmp_path / "结果.csv"
    summary = run_checklist(source, sink, options=ChecklistOptions(surfaces=("直播",)),
                            rules=bundled)  # fmt: skip
    assert isinstance(summary, Summary)
    assert summary.counts == {"allowed": 1, "denied": 0, "unknown": 1, "error": 0, "skipped": 1}
    assert summary.results == 2
    assert summary.any_of({"unknown"}) and not summary.any_of({"denied", "error"})
    assert (summary.input_format, summary.output_format) == (Format.CSV, Format.CSV)
    assert summary.encoding == "gb18030" and summary.engine == "python"
    assert (summary.columns.source, summary.columns.date, summary.columns.url) == (1, 2, None)
    assert summary.fills["surface"].value == ("livestream",) and summary.fills["surface"].given
    assert not summary.fills["platform"].given
    data = sink.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # read from a spreadsheet's encoding: a BOM
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["商品", "来源", "直播时间", "surface", "verdict", "rule", "next_change", "note"],
        ["保温杯", "天猫", "2022-11-11", "livestream", "allowed", "kuaishou-2022-tmall-window",
         "2023-01-01T00:00:00+08:00 unknown", ""],
        ["耳机", "京东自营", "2022-12-01", "livestream", "unknown",
         "kuaishou-2022-after-jd-self-window", "", ""],
    ]  # fmt: skip


def test_streams_in_and_out_with_the_default_two_surfaces(bundled):
    out = io.BytesIO()
    summary = run_checklist(io.BytesIO(b"source\ntmall\n"), out,
                            options=ChecklistOptions(when="2022-11-11"), rules=bundled)  # fmt: skip
    assert summary.counts["allowed"] == 2
    lines = out.getvalue().decode().splitlines()
    assert [line.split(",")[1:3] for line in lines[1:]] == [
        ["livestream", "allowed"], ["short-video", "allowed"],
    ]  # fmt: skip
    assert summary.fills["date"].given and str(summary.fills["date"].value).startswith("2022-11-11")


def test_the_output_format_follows_the_sink_s_extension(tmp_path, bundled):
    sink = tmp_path / "out.jsonl"
    run_checklist(io.BytesIO(b"source,on\ntmall,2022-11-11\n"), sink,
                  options=ChecklistOptions(surfaces=("livestream",)), rules=bundled)  # fmt: skip
    assert sink.read_text().startswith('{"source": "tmall", "on": "2022-11-11", "surface"')


class Collect:
    """A Writer of one's own: the rows and answers as run_checklist gives them."""

    fit = None

    def __init__(self) -> None:
        self.names: list[str] = []
        self.rows: list[tuple[list[str], list[Answer]]] = []
        self.closed = False

    def header(self, names):
        self.names = names

    def write(self, cells, results):
        self.rows.append((list(cells), list(results)))

    def close(self):
        self.closed = True


def test_a_writer_of_one_s_own_gets_typed_answers(bundled):
    sink = Collect()
    summary = run_checklist(io.BytesIO(b"source,on\n" + "拼多多".encode() + b",2022-11-11\n"),
                            sink, rules=bundled)  # fmt: skip
    assert sink.closed and summary.output_format is Format.TABLE
    assert sink.names[-5:] == ["surface", "verdict", "rule", "next_change", "note"]
    ((cells, answers),) = sink.rows
    assert cells == ["拼多多", "2022-11-11"]
    assert [a.surface for a in answers] == ["livestream", "short-video"]
    assert {a.verdict for a in answers} == {"unknown"}
    assert answers[0].rule == "kuaishou-2019-pinduoduo-ended"


def test_errors_are_raised_naming_the_input(tmp_path, bundled):
    with pytest.raises(InputError, match=r"input '.*nope\.csv' not found"):
        run_checklist(tmp_path / "nope.csv", io.BytesIO(), rules=bundled)
    source = tmp_path / "a.csv"
    source.write_text("name\nx\n")
    with pytest.raises(InputError, match="no source or url column among: name"):
        run_checklist(source, io.BytesIO(), rules=bundled)
    with pytest.raises(InputError, match="is the input file"):
        run_checklist(source, source, rules=bundled)
    assert source.read_text() == "name\nx\n"


def test_a_failed_run_leaves_the_sink_file_as_it_was(tmp_path, bundled):
    sink = tmp_path / "out.csv"
    sink.write_text("precious\n")
    source = tmp_path / "bad.csv"
    # a byte that is not UTF-8 past the sample the encoding is told from: found part way
    source.write_bytes(b"source\n" + b"tmall\n" * 20_000 + b"\xff\xfe\n")
    with pytest.raises(InputError, match="is not valid utf-8 text"):
        run_checklist(source, sink, rules=bundled)
    assert sink.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "out.csv"]
