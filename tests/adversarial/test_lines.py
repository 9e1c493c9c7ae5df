"""lines.check_lines (CSV or TSV written in its own format: a canonical row's own line and
its answer's cells) held against deciding.check_rows (every cell through csv.writer): the
same bytes and the same counts, for random checklists — cells full of delimiters, quotes,
line breaks and formula starts, quoted as csv writes them or not, every line end — read in
blocks cut anywhere, with the formula guard on and off, and with the first rows read ahead
(the sampling before an engine is chosen)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkcheck.batch import lines, readers, run
from linkcheck.batch.run import ChecklistOptions, run_checklist
from linkcheck.batch.writers import FORMULA_STARTS, DelimitedWriter

from ..helpers import examples

NOW = datetime(2022, 11, 1, 12, tzinfo=ZoneInfo("Asia/Shanghai"))
PIECES = ["tmall", "taobao", "jd", "pdd", "livestream", "short_video", "2022-11-11",
          "2023-06-18", "11/11", "a", "保温杯", " ", ",", "\t", '"', '""', "\n", "\r", "\r\n",
          "=1+1", "-", "+86", "@x", "'", "https://detail.tmall.com/item.htm?id=1",
          "http://evil.com/tmall.com"]  # fmt: skip
CELLS = st.lists(st.sampled_from(PIECES), max_size=4).map("".join)
HEADERS = [["sku", "source", "date"], ["source", "surface", "date", "title"], ["link", "date"]]


MEANT = {  # what a column's cells mostly hold (rows must be answered for their lines to be
    # written as they are: an error row always goes through the writer)
    "source": ["tmall", "taobao", "jd", "pdd", "保温杯"],
    "surface": ["livestream", "short_video", "直播", ""],
    "date": ["2022-11-11", "2023-06-18", "11/11", ""],
    "link": ["https://detail.tmall.com/item.htm?id=1", "https://item.jd.com/2.html"],
}


@st.composite
def checklists(draw, delimiter: str) -> str:
    """A checklist's text: a header, then rows written by csv (canonical), or with every
    cell quoted, or with no quoting at all (csv reads such text its own way), with the line
    end drawn per line; most rows have one cell per column, and meaningful ones."""
    header = draw(st.sampled_from(HEADERS))
    lines = [delimiter.join(header) + "\n"]
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.integers(0, 4)):
            cells = [
                draw(
                    CELLS
                    if name not in MEANT or not draw(st.integers(0, 5))
                    else st.sampled_from(MEANT[name])
                )
                for name in header
            ]
        else:
            cells = draw(st.lists(CELLS, min_size=0, max_size=len(header) + 1))
        style = draw(st.sampled_from(["csv", "csv", "csv", "quoted", "bare"]))
        end = draw(st.sampled_from(["\n", "\r\n", "\n", "\r", ""]))
        if style == "csv":
            out = io.StringIO()
            csv.writer(out, delimiter=delimiter, lineterminator=end or "\n").writerow(cells)
            lines.append(out.getvalue())
        elif style == "quoted":
            lines.append(delimiter.join('"' + c.replace('"', '""') + '"' for c in cells) + end)
        else:
            lines.append(delimiter.join(cells) + end)
    return "".join(lines)


def _run(data: bytes, fmt: str, *, lines: bool, raw: bool, engine: str, block: int):
    sink = io.BytesIO()
    options = ChecklistOptions(input_format=fmt, output_format=fmt, raw_cells=raw,
                               engine=engine, now=NOW, when="2022-11-11")  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(readers, "_BLOCK", block)
        if not lines:
            patch.setattr(run, "lines_of", lambda rows, writer: None)
        try:
            summary = run_checklist(io.BytesIO(data), sink, options=options)
        except Exception as exc:  # the same refusal either way (csv.Error → InputError)
            return type(exc).__name__, str(exc), sink.getvalue()
    return summary.counts, sink.getvalue()


@pytest.mark.parametrize("fmt, delimiter", [("csv", ","), ("tsv", "\t")])
@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), block=st.sampled_from([1, 3, 7, 64, 1 << 18]), raw=st.booleans(),
       engine=st.sampled_from(["python", "auto"]),
       encoding=st.sampled_from(["utf-8", "gb18030"]))  # fmt: skip
def test_own_lines_are_the_bytes_csv_writer_writes(fmt, delimiter, data, block, raw, engine,
                                                   encoding):  # fmt: skip
    text = data.draw(checklists(delimiter))
    raw_bytes = text.encode(encoding)
    fast = _run(raw_bytes, fmt, lines=True, raw=raw, engine=engine, block=block)
    slow = _run(raw_bytes, fmt, lines=False, raw=raw, engine=engine, block=block)
    assert fast == slow


def test_a_canonical_checklist_is_written_from_its_own_lines(monkeypatch):
    """The fast path is taken (else the test above would hold trivially): no row of a
    checklist written as csv writes, with no formula start, goes through the writer; a row
    that needs the writer (a formula cell, an over-quoted cell, a row longer than the
    header) still does, and the bytes are csv.writer's."""
    calls = []
    write = DelimitedWriter.write
    monkeypatch.setattr(DelimitedWriter, "write",
                        lambda self, cells, results: (calls.append(list(cells)),
                                                      write(self, cells, results)))  # fmt: skip
    rows = [f'{i},tmall,2022-11-{1 + i % 30:02d},"保温杯, ""直播"" {i}"' for i in range(3000)]
    special = ["1,tmall,2022-11-11,=1+1", '"2",tmall,2022-11-11,x', "3,tmall,2022-11-11,x,y"]
    text = "sku,source,date,title\n" + "\n".join(rows[:1500] + special + rows[1500:]) + "\n"
    sink = io.BytesIO()
    summary = run_checklist(io.BytesIO(text.encode()), sink,
                            options=ChecklistOptions(input_format="csv", now=NOW,
                                                     surfaces=("livestream",)))  # fmt: skip
    assert [c[0] for c in calls] == ["1", "2", "3"]
    assert summary.counts == {"allowed": 3002, "denied": 0, "unknown": 0, "error": 1,
                              "skipped": 0}  # fmt: skip
    out = sink.getvalue().decode().split("\r\n")
    answer = "livestream,allowed,kuaishou-2022-tmall-window,2023-01-01T00:00:00+08:00 unknown,"
    assert out[0] == "sku,source,date,title,surface,verdict,rule,next_change,note"
    assert out[1] == '0,tmall,2022-11-01,"保温杯, ""直播"" 0",' + answer
    assert out[1501:1505] == [
        "1,tmall,2022-11-11,'=1+1," + answer,
        "2,tmall,2022-11-11,x," + answer,
        '3,tmall,2022-11-11,x,,error,,,"the row has 5 cells but the header has 4; extra cells: '
        '[""y""]"',
        '1500,tmall,2022-11-01,"保温杯, ""直播"" 1500",' + answer,
    ]
    assert out[3003:] == ['2999,tmall,2022-11-30,"保温杯, ""直播"" 2999",' + answer, ""]


LINE_PIECES = ["a", "中", " ", ",", "\t", '"', '""', "=", "+", "-", "@", "5", "'", "\x0b"]


def _written_as_it_is(line: str, delimiter: str, width: int, guard: bool, bare: int) -> bool:
    """Python's own word on a line (no line end): one record of `width` cells, every cell as
    csv.writer writes it (lines._cell), the first `bare` not quoted, and — if `guard` — none
    that writers.neutralise would look at (check_lines writes such a line through the
    writer)."""
    if lines.line_end(line + "\n", delimiter) == 0:
        return False
    (cells,) = list(csv.reader([line], delimiter=delimiter))
    if len(cells) != width:
        return False
    if any(raw.startswith('"') for raw in line.split(delimiter)[:bare]):
        return False
    return not (guard and any(c[:1] and c[0] in FORMULA_STARTS for c in cells))


@pytest.mark.parametrize("delimiter", [",", "\t"])
@settings(max_examples=examples(60), deadline=None)
@given(
    found=st.lists(
        st.one_of(
            st.lists(st.sampled_from(LINE_PIECES), min_size=1, max_size=12).map("".join),
            st.lists(st.lists(st.sampled_from(LINE_PIECES), max_size=4).map("".join),
                     min_size=1, max_size=4).map(lambda cells: cells),
        ),
        min_size=1, max_size=40,
    ),
    width=st.integers(1, 4), guard=st.booleans(), bare=st.integers(0, 4),
)  # fmt: skip
def test_the_duckdb_line_pattern_is_pythons_canonical_line(delimiter, found, width, guard, bare):
    """lines.canonical_re2 in DuckDB's RE2 says of a line what Python says of it: written by
    csv.writer as it stands, `width` cells, the first `bare` bare, no formula start if
    `guard` — the DuckDB engine writes a line as it is only where check_lines would."""
    duckdb = pytest.importorskip("duckdb")
    texts = []
    for item in found:  # a line as typed, or cells as csv.writer writes them
        if isinstance(item, list):
            out = io.StringIO()
            csv.writer(out, delimiter=delimiter, lineterminator="\n").writerow(item)
            item = out.getvalue()[:-1]
        if item and "\n" not in item and "\r" not in item:
            texts.append(item)
    if not texts:
        return
    bare = min(bare, width)
    pattern = lines.canonical_re2(delimiter, width, guard, bare)
    said = (
        duckdb.connect()
        .execute(
            "SELECT regexp_full_match(x, $2) FROM (SELECT unnest($1) AS x, "
            "generate_subscripts($1, 1) AS i) ORDER BY i",
            [texts, pattern],
        )
        .fetchall()
    )
    expected = [_written_as_it_is(t, delimiter, width, guard, bare) for t in texts]
    assert [s for (s,) in said] == expected
    # the same expression in Python's re (the DuckDB engine's look at a file's start)
    python = lines.canonical_line(delimiter, width, guard, bare)
    assert [python.fullmatch(t) is not None for t in texts] == expected
