"""The engine differential fuzzer (issue 22): random checklists — quotes, spaces around
quotes, CR/LF/CRLF anywhere, `#`, BOMs, NULs, whitespace rows, ragged rows, long cells,
odd headers — through both engines. The DuckDB engine writes the Python engine's bytes and
says the same on stderr, or first says in one line that the Python engine checked the file
(then the bytes are the same too): never a shorter output, never a traceback.

Seconds in CI. A long run (the README's development section):

    LINKCHECK_FUZZ_EXAMPLES=2000 python -m pytest tests/adversarial/test_engine_fuzz.py \\
        -n 0 -p no:randomly --hypothesis-show-statistics

The statistics say how many files DuckDB answered and how many it left to Python.
"""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

pytest.importorskip("duckdb")

from linkcheck.batch import columnar

from ..helpers import examples

EXAMPLES = int(os.environ.get("LINKCHECK_FUZZ_EXAMPLES") or examples(40))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)  # fmt: skip
NOTICE = re.compile(r"engine duckdb: [^\n]+; checked by the Python engine\n")

HEADERS = ["source", "url", "date", "surface", "platform", "来源", "链接", "日期", "场景", "平台",
           "sku", "title", "", "a\nb", 'say "hi"', " source ", "#", "=x", "source"]  # fmt: skip
CELLS = [
    "tmall", "jd-self", "天猫", "京东自营", " tmall ", "TMALL", "foo", "", " ", "\t", "\x0b",
    "\x1c", "\u3000", "\xa0", "\x85", "=1+1", "-12.5", "+86", "@x", "-x", "=\u0301",
    "https://detail.tmall.com/item.htm?id=1#sku", "http://a#b", "#", "a,b", 'say "hi"',
    '"', '""', "a\nb", "a\r\nb", "\r=x", "a\rb", "\x00", "2022-11-11", "2022/11/11",
    "20221111", "2022-02-30", "11/10/2022", "2022\r-11-11", "2022-11-11 20:00", "双11",
    "livestream", "short-video", "直播", "all", "livestream,short-video", "bad", "kuaishou",
    "douyin", "\ufeff", "😀", "e\u0301",
]  # fmt: skip
# pieces a mutation drops in anywhere
PIECES = [b" ", b'"', b'""', b",", b"\t", b"\n", b"\r", b"\r\n", b"\n\n", b"\xef\xbb\xbf",
          b"\x00", b"#", b" \t", b"\x0b", b"\xe4\xb8", b"\xff", b"\xed\xa0\x80"]  # fmt: skip


def _encode(cell: str, delimiter: str, style: str, draw, alone: bool) -> str:
    """A cell as a spreadsheet program writes it (an empty cell alone on its line quoted,
    as Python's csv writes it, or it would be an empty line)."""
    must = any(c in cell for c in ('"', delimiter, "\r", "\n")) or (alone and not cell)
    if must or style == "all" or (style == "some" and draw(st.booleans())):
        return '"' + cell.replace('"', '""') + '"'
    return cell


@st.composite
def checklists(draw, mangle: bool = True) -> tuple[bytes, str]:
    """(the file's bytes, its extension): a checklist as a spreadsheet program writes one,
    then — if `mangle` — changed the way hand edits and odd exports change them."""
    delimiter = draw(st.sampled_from([",", "\t"]))
    width = draw(st.integers(1, 5))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width))
    if draw(st.integers(0, 9)):  # most files have a column linkcheck reads
        header[draw(st.integers(0, width - 1))] = draw(st.sampled_from(["source", "url", "来源"]))
    cell = st.one_of(
        st.sampled_from(CELLS),
        st.text(st.sampled_from(list('ab ,"\t\r\n#=\x00中')), max_size=8),
        st.sampled_from(["x" * 5000, "天猫" * 3000]),  # long cells
    )
    rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width), max_size=8))
    style = draw(st.sampled_from(["minimal", "all", "some"]))
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    records = [delimiter.join(_encode(c, delimiter, style, draw, width == 1) for c in row)
               for row in [header, *rows]]  # fmt: skip
    data = (eol.join(records) + draw(st.sampled_from([eol, ""]))).encode()
    if not draw(st.integers(0, 3)):  # Excel's "CSV UTF-8": a byte-order mark first
        data = b"\xef\xbb\xbf" + data
    if mangle:
        for _ in range(draw(st.integers(0, 3))):
            kind = draw(st.sampled_from(["piece", "space-quotes", "blank", "ragged"]))
            lines = data.split(b"\n")
            at = draw(st.integers(0, len(lines) - 1))
            if kind == "piece":
                spot = draw(st.integers(0, len(data)))
                data = data[:spot] + draw(st.sampled_from(PIECES)) + data[spot:]
                continue
            if kind == "space-quotes":
                lines[at] = lines[at].replace(b'"', draw(st.sampled_from([b' "', b'" ', b' " '])))
            elif kind == "blank":
                lines.insert(at, draw(st.sampled_from([b"", b"\r", b" ", b"\t,", b"\x0b", b",,"])))
            else:
                lines[at] = lines[at] + draw(st.sampled_from([b",x", b"\tx", b""]))
            data = b"\n".join(lines)
    return data, ".tsv" if delimiter == "\t" else ".csv"


OPTIONS = st.tuples(
    st.lists(
        st.sampled_from(
            [
                ("--raw-cells",),
                ("-s", "all"),
                ("-s", "livestream"),
                ("--format", "tsv"),
                ("--format", "csv"),
                ("--bom",),
            ]
        ),
        max_size=2,
        unique=True,
    ),
    st.booleans(),  # -o: a file of each engine's own (drawn apart: as a choice, seldom drawn)
).map(lambda drawn: [word for option in drawn[0] for word in option] + ["-o"] * drawn[1])


class _Ran:
    """A run's result, its output read from the -o file it wrote (none if it wrote none)."""

    def __init__(self, result, out) -> None:
        self.stderr, self.exit_code, self.exception = (
            result.stderr, result.exit_code, result.exception
        )  # fmt: skip
        self.stdout_bytes = result.stdout_bytes
        if out is not None:
            self.stdout_bytes += out.read_bytes() if out.exists() else b""


def _both(run, tmp_path, data: bytes, suffix: str, options: list[str]):
    """Both engines over `data`; `-o` among the options: each writes a file of its own (the
    DuckDB engine may write the lines into it itself)."""
    path = tmp_path / f"checklist{suffix}"
    path.write_bytes(data)
    outs = dict.fromkeys(("python", "duckdb"))
    if "-o" in options:
        options = [o for o in options if o != "-o"]
        outs = {name: tmp_path / f"{name}.out" for name in outs}
        for out in outs.values():
            out.unlink(missing_ok=True)
    common = ("--on", "2022-11-11", "--fail-on", "never", *options)

    def to(name: str) -> tuple[str, ...]:
        return ("-o", str(outs[name])) if outs[name] else ()

    python = _Ran(run("batch", str(path), *common, *to("python")), outs["python"])
    took: list[int] = []
    write = columnar._write_lines
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(columnar, "_write_lines", lambda *args: took.append(0) or write(*args))
        # DuckDB's own test of each line, not the look at the file's start that spares it
        patch.setattr(columnar._Lines, "at_start", lambda self, location: True)
        duckdb = _Ran(run("batch", str(path), *common, "--engine", "duckdb", *to("duckdb")),
                      outs["duckdb"])  # fmt: skip
    if outs["duckdb"]:
        event("written to -o")
    if took:
        event("DuckDB wrote the lines as they are" + (" into -o" if outs["duckdb"] else ""))
    for result in (python, duckdb):
        assert "Traceback" not in result.stderr, result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception
        )
    return python, duckdb


def assert_same_answers(python, duckdb) -> bool:
    """The same bytes, exit code and report; True if DuckDB answered (no notice)."""
    assert duckdb.stdout_bytes == python.stdout_bytes
    assert duckdb.exit_code == python.exit_code
    notice = NOTICE.match(duckdb.stderr)
    if notice is None:
        assert duckdb.stderr == python.stderr
        return True
    assert duckdb.stderr[notice.end() :] == python.stderr
    return False


@SETTINGS
@given(file=checklists(), options=OPTIONS)
def test_both_engines_write_the_same_bytes(run, tmp_path, file, options):
    python, duckdb = _both(run, tmp_path, *file, options)
    if python.exit_code == 2:  # not read (no source column, not text, broken part way …)
        event("input refused by both")
        notice = NOTICE.match(duckdb.stderr)  # DuckDB may have tried, and left it to Python
        assert duckdb.stderr[notice.end() if notice else 0 :] == python.stderr
        assert duckdb.stdout_bytes == python.stdout_bytes
        return
    answered = assert_same_answers(python, duckdb)
    event("DuckDB answered" if answered else "left to the Python engine")


@SETTINGS
@given(file=checklists(mangle=False), options=OPTIONS)
def test_a_plain_file_is_answered_by_duckdb(run, tmp_path, file, options):
    """What a spreadsheet program writes, DuckDB reads — unless a quoted cell holds a line
    break, which DuckDB may refuse (never misread), or lines that read as rows (a stray
    quote's doing, which the Python engine warns of); the Python engine then answers."""
    data, suffix = file
    python, duckdb = _both(run, tmp_path, data, suffix, options)
    if python.exit_code == 2:
        event("input refused by both")
        return
    answered = assert_same_answers(python, duckdb)
    event("DuckDB answered" if answered else "left to the Python engine")
    if answered and data.startswith(b"\xef\xbb\xbf"):
        event("DuckDB answered a file with a byte-order mark")
    if not answered:
        first = duckdb.stderr.splitlines()[0]
        assert first.startswith("engine duckdb: DuckDB cannot read it as the Python ") or (
            first.endswith("has a quoted cell holding lines that read as rows (a stray quote?); "
                           "checked by the Python engine")
        ), duckdb.stderr  # fmt: skip
        assert _quoted_break(data), data


def _quoted_break(data: bytes) -> bool:
    """Whether some quoted cell holds a CR or LF."""
    inside = False
    for byte in data:
        if byte == 0x22:
            inside = not inside
        elif inside and byte in (0x0A, 0x0D):
            return True
    return False


def test_a_file_that_breaks_within_the_first_rows_writes_what_python_writes(run, tmp_path):
    """Found by a 10-minute run: UTF-8 that breaks (a stray byte) past the 64 KiB the encoding
    is told from but within the 50 rows read before DuckDB runs. The Python engine writes
    the rows before the break and stops there (exit 2); the DuckDB engine stopped while it
    read those 50 rows, before writing one."""
    rows = "".join(f"tmall,{n} {'x' * 20000}\r\n" for n in range(4))  # 80 KB, ASCII
    data = ("source,name\r\n" + rows).encode() + b"jd-self," + b"x" * 30000 + b"\xe7\r\n"
    python, duckdb = _both(run, tmp_path, data, ".csv", ["-s", "livestream", "--format", "csv"])
    assert python.exit_code == duckdb.exit_code == 2
    assert python.stderr.endswith("is not valid utf-8 text (byte 0xe7 on line 6); pass --encoding "
                                  "(utf-8, gb18030 …)\n")  # fmt: skip
    assert duckdb.stderr.endswith(python.stderr)
    assert duckdb.stdout_bytes == python.stdout_bytes
    assert python.stdout_bytes.count(b"\r\n") > 2  # the header and rows before the break
