"""Property tests over what reads a checklist's shape: any header with any column options is
columns or an input error, a typed workbook comes back with its values, a number format
shows a number as the sheet does."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkcheck.batch import COLUMN_NAMES, MEANINGS, Columns, InputError
from linkcheck.batch.workbook import display_text

NAMES = [n for names in COLUMN_NAMES.values() for n in names]
HEADER = st.lists(
    st.one_of(st.sampled_from(NAMES), st.text(max_size=12), st.sampled_from(["", "1", " 2 "])),
    max_size=12,
)
CHOSEN = st.dictionaries(
    st.sampled_from(MEANINGS), st.one_of(st.text(max_size=8), st.integers(-2, 14).map(str))
)


@given(header=HEADER, chosen=CHOSEN)
def test_any_header_is_columns_or_an_input_error(header, chosen):
    try:
        columns = Columns.find(header, chosen)
    except InputError as exc:
        assert str(exc)
        return
    places = [columns.at(m) for m in MEANINGS if columns.at(m) is not None]
    assert len(places) == len(set(places))  # no column means two things
    assert all(0 <= p < len(header) for p in places)
    assert columns.source is not None or columns.url is not None
    for meaning, text in chosen.items():
        if text:
            assert meaning in columns.named
    assert not {at for _, at in columns.unread} & set(places)  # unread means not read


@given(number=st.integers(0, 10**12), width=st.integers(1, 15))
def test_a_zero_padded_format_shows_the_number_as_the_sheet_does(number, width):
    text = display_text(number, "0" * width)
    assert int(text) == number and len(text) == max(width, len(str(number)))
    assert display_text(float(number), "0" * width) == text
    assert display_text(number, "General") == str(number)


CELL = st.one_of(
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32).filter(lambda f: abs(f) < 1e9),
    st.booleans(),
    st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2099, 12, 31)).map(
        lambda d: d.replace(microsecond=0)
    ),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20),
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(cells=st.lists(CELL, min_size=1, max_size=4),
       surfaces=st.sampled_from([("livestream",), ("livestream", "short-video"),
                                 ("livestream", "short-video", "live-preview")]))  # fmt: skip
def test_typed_workbook_cells_come_back_typed(cells, surfaces, bundled):
    """Read back by two readers, every answer row (one per surface) keeps every cell."""
    openpyxl = pytest.importorskip("openpyxl")
    calamine = pytest.importorskip("python_calamine")
    from linkcheck.batch import Checker, check_rows, open_writer, read_input

    cells = [c.lstrip("=") if isinstance(c, str) else c for c in cells]  # no formulas
    book = openpyxl.Workbook()
    book.active.append(["source", *[f"c{i}" for i in range(len(cells))]])
    book.active.append(["tmall", *cells])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    header, rows, _ = read_input(data, "xlsx", None)[:3]
    checker = Checker(bundled, Columns.find(header), surfaces, "2022-11-11", None)
    out = io.BytesIO()
    with open_writer("xlsx", out) as writer:
        writer.header([*header, "surface", "verdict", "rule", "next_change", "note"])
        check_rows(checker, header, rows, writer)
        writer.close()
    back = calamine.CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue()))
    got = back.get_sheet_by_index(0).to_python()
    again = [list(r) for r in openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
             .iter_rows(values_only=True)]  # fmt: skip
    assert len(got) == len(again) == 1 + len(surfaces)
    for i, surface in enumerate(surfaces, start=1):
        assert got[i][len(header) : len(header) + 2] == [surface, "allowed"]
        assert again[i][len(header) : len(header) + 2] == [surface, "allowed"]
        for want, have, also in zip(cells, got[i][1 : 1 + len(cells)],
                                    again[i][1 : 1 + len(cells)], strict=True):  # fmt: skip
            if isinstance(want, str):
                assert have == want.replace("\r", "\n") or have == want
                assert (also or "") in (want, want.replace("\r", "\n"))
            elif isinstance(want, bool):
                assert have is want and also is want
            elif isinstance(want, datetime):
                assert have in (want, want.date()) and also == want
            else:
                assert have == pytest.approx(want) and also == pytest.approx(want)
