"""Hypothesis fuzzers over the parsers: nothing but the project's own errors comes out, and
no cache changes an answer (issue: Hardening).

The long runs are atheris (fuzz/, see CONTRIBUTING.md); these keep the
same properties in every CI run, in seconds.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import linkcheck
from linkcheck import batch
from linkcheck.batch import workbook as workbook_reader
from linkcheck.errors import LinkcheckError

BUNDLED = (Path(__file__).parent.parent.parent / "rules.toml").read_text(encoding="utf-8")
LINES = BUNDLED.splitlines()
FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# values a rules file might hold where another was expected
VALUES = st.sampled_from(
    [
        "[]", "{}", '""', "0", "-1", "1e400", "9999-12-31", "0001-01-01", "2022-02-30",
        "2022-11-11T00:00:00+14:00", "true", '"allow"', '"unknown"', '"Asia/Nowhere"',
        '"*"', '["livestream", 3]', '{ a = { b = 1 } }', '"\\u0000"', '"a\\nb"',
    ]
)  # fmt: skip


@st.composite
def rules_files(draw) -> str:
    """The bundled file with a few lines dropped, doubled or given another value."""
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "double", "value", "text"]))
        if action == "drop":
            del lines[i]
        elif action == "double":
            lines.insert(i, lines[i])
        elif action == "value" and "=" in lines[i]:
            lines[i] = lines[i].split("=", 1)[0] + "= " + draw(VALUES)
        elif action == "text":
            lines[i] = draw(st.text(max_size=30))
    return "\n".join(lines) + "\n"


def _outcome(path: Path):
    """What loading the file gives: its problems, or every segment of every timeline."""
    try:
        rules = linkcheck.load_rules([path], defaults=False)
    except LinkcheckError as exc:
        return ("refused", str(exc))
    catalog = rules.catalog
    segments = []
    for platform in sorted(catalog.platforms):
        for source in sorted(catalog.sources):
            for surface in sorted(catalog.surfaces):
                timeline = rules.timeline(platform, source, surface)
                segments.append(
                    [
                        (start, end, rule.id if rule else None, reason)
                        for start, end, rule, reason in timeline.segments()
                    ]
                )
    return ("loaded", segments, sorted(catalog.horizons.items(), key=str))


@FAST
@given(text=rules_files())
def test_a_rules_file_loads_the_same_with_the_cache_on_or_off(text, tmp_path, monkeypatch):
    path = tmp_path / "team.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("LINKCHECK_CACHE_DIR", "")
    off = _outcome(path)
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700, exist_ok=True)
    monkeypatch.setenv("LINKCHECK_CACHE_DIR", str(cache))
    stored = _outcome(path)  # parsed, and stored
    served = _outcome(path)  # from the cache
    assert off == stored == served


@FAST
@given(data=st.binary(max_size=300))
def test_any_bytes_as_a_rules_file_are_rules_or_problems(data, tmp_path, monkeypatch):
    path = tmp_path / "team.toml"
    path.write_bytes(data)
    monkeypatch.setenv("LINKCHECK_CACHE_DIR", "")
    off = _outcome(path)
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700, exist_ok=True)
    monkeypatch.setenv("LINKCHECK_CACHE_DIR", str(cache))
    assert _outcome(path) == off == _outcome(path)


# ---------------------------------------------------------------------- checklists

CELLS = st.one_of(
    st.sampled_from(
        [
            "tmall", "天猫", "jd-self", "京东自营", "pdd", "taobao", "淘宝", "nope", "",
            "https://detail.tmall.com/item.htm?id=1", "https://item.jd.com/1.html",
            "http://evil-tmall.com/x", "2022-11-11", "双11", "2023-01-01 00:00", "Nov 11",
            "livestream", "直播、短视频", "all", "kuaishou", "douyin", "=1+1", "\x1b[31m",
        ]
    ),
    st.text(max_size=12),
)  # fmt: skip
HEADER = st.lists(
    st.sampled_from(["source", "url", "surface", "date", "platform", "来源", "链接", "title"]),
    min_size=1,
    max_size=5,
)


def _answers(header, rows, ruleset, *, shared: bool):
    """Each row's answer, with one Checker for all rows (caches on) or a new one for
    each row (caches off)."""
    try:
        columns = batch.Columns.find(header)
    except LinkcheckError as exc:
        return str(exc)

    def checker():
        return batch.Checker(ruleset, columns, ("livestream",), "2022-11-11", None)

    one = checker()
    out = []
    for row in rows:
        cells = (row + [""] * len(header))[: len(header)]
        # decide() returns a sequence of answers (a tuple when served from the fast path)
        out.append([list(a) for a in (one if shared else checker()).decide(list(cells))])
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=HEADER, rows=st.lists(st.lists(CELLS, max_size=6), max_size=8))
def test_batch_answers_the_same_with_its_caches_on_or_off(bundled, header, rows):
    # the same rows twice: the second time every cell is served from a cache
    assert _answers(header, rows * 2, bundled, shared=True) == _answers(
        header, rows * 2, bundled, shared=False
    )


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl"])
@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=400))
def test_any_bytes_are_rows_or_an_input_error(fmt, data):
    try:
        _header, rows, _ = batch.read_input(io.BytesIO(data), fmt, None)[:3]
        for row in rows:
            assert all(type(cell) is str for cell in row)
    except (LinkcheckError, UnicodeDecodeError):
        pass  # both are reported as exit 2 by the command


@st.composite
def jsonl_texts(draw) -> str:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=8),
    )
    values = st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
        ),
        max_leaves=6,
    )
    import json

    objects = draw(st.lists(st.dictionaries(st.text(max_size=6), values, max_size=4), max_size=5))
    return "".join(json.dumps(o, ensure_ascii=draw(st.booleans())) + "\n" for o in objects)


@settings(max_examples=80, deadline=None)
@given(text=jsonl_texts())
def test_every_json_key_and_value_comes_back(text):
    import json

    objects = [json.loads(line) for line in text.split("\n") if line]  # not splitlines():
    # U+2028 and U+0085 are left raw by json.dumps and are not line ends in a JSON Lines file
    if not objects:
        with pytest.raises(batch.InputError, match="the file is empty"):
            batch.read_input(io.BytesIO(text.encode()), "jsonl", None)
        return
    header, rows, _ = batch.read_input(io.BytesIO(text.encode()), "jsonl", None)[:3]
    keys = list(dict.fromkeys(k for o in objects for k in o))
    assert header == keys
    for obj, row in zip(objects, rows, strict=True):
        assert json.loads(batch.dump_json(row.obj)) == obj  # values round-trip exactly


@settings(max_examples=15, deadline=None)
@given(
    cells=st.lists(
        st.one_of(
            st.text(max_size=20),
            st.integers(-(10**9), 10**9),
            st.decimals(-(10**6), 10**6, places=3).map(float),  # openpyxl keeps these exactly
        ),
        min_size=1,
        max_size=6,
    )
)
def test_a_workbook_gives_back_its_cells(cells, tmp_path_factory):
    """A row under a two-column header: its two cells in place, later non-empty cells kept
    as extra cells (the row then becomes an error row saying so)."""
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # what openpyxl can write: no XML-illegal characters, and no CR (it writes one raw, and
    # XML reads it back as LF; linkcheck's own xlsx output marks such rows instead)
    cells = [
        ILLEGAL_CHARACTERS_RE.sub("", c).replace("\r", "") if isinstance(c, str) else c
        for c in cells
    ]
    # openpyxl writes a text starting with "=" as a formula, which has no value to read back
    cells = [c.lstrip("=") if isinstance(c, str) else c for c in cells]
    book = openpyxl.Workbook()
    book.active.append(["source", "title"])
    book.active.append(cells)
    path = tmp_path_factory.mktemp("xlsx") / "w.xlsx"
    book.save(path)
    with open(path, "rb") as f:
        header, rows = workbook_reader.read_xlsx(f)
        got = list(rows)
    assert header == ["source", "title"]
    text = [batch.cell_text(c) for c in cells]
    expected = [*text, "", ""][:2] + [t for t in text[2:] if t]
    if any(expected):
        assert got == [expected]
    else:  # a row element with no text is read as an empty row (batch skips and counts it)
        assert got in ([], [expected])
