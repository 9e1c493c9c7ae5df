"""The DuckDB engine's foreseen answers (batch/predict.py): a checklist whose cells that
decide are names the rules define and days written YYYY-MM-DD or YYYY/MM/DD is answered in
the pass that writes it. What the Prediction says of a row is what the Checker decides of
it, its SQL reads every cell as the Python does, and the bytes are the Python engine's —
including where a row after the first block is not one it knows, and where the file
changes between its two passes."""

from __future__ import annotations

import csv
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

pytest.importorskip("duckdb")

from linkcheck import RuleSet
from linkcheck.batch import Checker, Columns, columnar, predict
from linkcheck.rules import Loader
from linkcheck.when import date_style

from .helpers import VOCAB, examples, rule_specs, toml_rules

HEADERS = {
    "source-surface-date": ["sku", "source", "surface", "date", "title"],
    "source-date": ["source", "date"],  # two answers a row: the default surfaces
    "platform": ["source", "surface", "date", "platform"],
    "no-date": ["source", "surface"],
}
# cells no Prediction knows: other spellings, other forms of date, impossible days
STRANGERS = ["", " tmall", "tmall ", "TMall", "nope", "天猫 ", "all", "livestream+short-video"]
ODD_DAYS = [
    "0999-12-31", "1000-01-01", "9999-12-31", "2023-02-29", "2024-02-29", "2022-11-1",
    "2022/11-11", "2022.11.11", "２０２２-11-11", " 2022-11-11", "20221111", "2022-13-01",
    "2022-00-10", "2022-11-00", "2100-02-29", "2000-02-29", "+022-11-11", "2022-11-11 ",
    "2022-11-11 (BC)", "2022/11/11 (BC)", "0001-01-01 (BC)", "10001-01-01", "20221-01-01",
    "10001/01/01", "2022-11-11T00:00", "2022-W45-5", "2022-315",
]  # fmt: skip


def _checker(bundled, header: list[str], everything: bool = False) -> Checker:
    surfaces = bundled.surface_list(("all",)) if everything else bundled.surface_list(())
    return Checker(bundled, Columns.find(header), surfaces, "2022-11-11", None)


def _foreseen(bundled, header: list[str], raw: bool = False, everything: bool = False):
    found = predict.predict(_checker(bundled, header, everything), len(header), raw)
    assert found is not None
    return found


def _days(prediction) -> list[str]:
    """Days on, before and after each day an answer changes, as both forms write them."""
    out = []
    for day in prediction.days:
        for near in (day - timedelta(days=1), day, day + timedelta(days=1)):
            out += [near.isoformat(), near.isoformat().replace("-", "/")]
    return out


def _row(draw, prediction, header: list[str]) -> list[str]:
    names = {at: n for at, n in prediction.kinds}
    row = []
    for at in range(len(header)):
        if at in names:
            row.append(draw(st.sampled_from(names[at]) | st.sampled_from(STRANGERS)))
        elif at == prediction.date_at:
            any_day = st.dates(date(1000, 1, 1), date(9999, 12, 31)).map(date.isoformat)
            row.append(draw(
                any_day
                | any_day.map(lambda d: d.replace("-", "/"))
                | st.sampled_from(_days(prediction) or ["2022-11-11"])
                | st.sampled_from(ODD_DAYS)
                | st.text(st.sampled_from("0123456789-/"), min_size=8, max_size=11)
            ))  # fmt: skip
        else:
            row.append(draw(st.sampled_from(["SKU1", "x", "商品 1件装"])))
    return row


@pytest.mark.parametrize("header", HEADERS.values(), ids=list(HEADERS))
@pytest.mark.parametrize("raw", [False, True], ids=["neutralised", "raw-cells"])
def test_what_it_foresees_is_what_the_checker_decides(bundled, header, raw):
    """Each row the Prediction knows has the answers the Checker (a fresh one) decides for
    it, as the writer writes them; a row it does not know has a cell that is no name of its
    column, or a date cell that is no day YYYY-MM-DD or YYYY/MM/DD from 1000 to 9999."""
    prediction = _foreseen(bundled, header, raw)
    checker = _checker(bundled, header)
    cells_of = {number: cells for cells, number in prediction.answers.items()}
    names = {at: set(n) for at, n in prediction.kinds}

    @settings(max_examples=examples(300))
    @given(st.composite(lambda draw: _row(draw, prediction, header))())
    def check(row):
        found = prediction.set_of(row)
        if found is None:
            assert any(row[at] not in n for at, n in names.items()) or (
                prediction.date_at is not None and predict.read_day(row[prediction.date_at]) is None
            )
            return
        decided = [predict.answer_cells(a, raw) for a in checker.decide(list(row))]
        assert [cells_of[n] for n in prediction.sets[found]] == decided

    check()


def test_every_day_that_changes_an_answer_is_foreseen_on_both_sides(bundled):
    """The day before, the day of and the day after each bound of the bundled Kuaishou and
    Douyin timelines, for every source and surface: the Checker's answers."""
    header = ["source", "surface", "date", "platform"]
    prediction = _foreseen(bundled, header)
    checker = _checker(bundled, header)
    cells_of = {number: cells for cells, number in prediction.answers.items()}
    assert date(2022, 10, 28) in prediction.days and date(2022, 3, 1) in prediction.days
    for source in bundled.catalog.sources:
        for surface in bundled.catalog.surfaces:
            for platform in bundled.catalog.platforms:
                for day in _days(prediction):
                    row = [source, surface, day, platform]
                    found = prediction.set_of(row)
                    assert found is not None, row
                    decided = [predict.answer_cells(a, False) for a in checker.decide(list(row))]
                    assert [cells_of[n] for n in prediction.sets[found]] == decided, row


def test_nothing_is_foreseen_it_cannot_know(bundled):
    """A url column (every link its own), a date format given, no source column: None."""
    for header in (["url", "date"], ["source", "url", "date"], ["url", "surface"]):
        assert predict.predict(_checker(bundled, header), len(header), False) is None
    style = date_style("%d.%m.%Y")
    checker = Checker(bundled, Columns.find(["source", "date"]), bundled.surface_list(()),
                      "2022-11-11", None, dates=style)  # fmt: skip
    assert predict.predict(checker, 2, False) is None


SQL_BATCH = 40


@pytest.mark.parametrize("header", HEADERS.values(), ids=list(HEADERS))
def test_the_sql_reads_each_line_as_the_prediction_does(bundled, header):
    """DuckDB's reading of a line (its names' classes, its day: the text cast to a DATE and
    back, the separators alike, from 1000 on) gives the set Prediction.set_of gives, or -1
    where that gives None — lines of too few cells too."""
    import duckdb

    prediction = _foreseen(bundled, header)
    con = duckdb.connect()
    assert columnar._name_types(con, prediction)
    split = "SELECT line, string_split(line, ',') AS s FROM (SELECT unnest($1) AS line)"
    named = columnar._named(prediction, split)
    query = columnar._known_set(prediction, named, "-1")

    @settings(max_examples=examples(60))
    @given(st.lists(st.composite(lambda draw: _row(draw, prediction, header))(),
                    min_size=1, max_size=SQL_BATCH))  # fmt: skip
    @example([["tmall"]])  # too few cells
    def check(batch):
        lines = [",".join(row) for row in batch]
        got = dict(con.execute(f"SELECT line, _s FROM ({query})", [lines]).fetchall())
        for line in lines:
            expected = prediction.set_of(line.split(","))
            assert got[line] == (-1 if expected is None else expected), line

    check()


def _write(path, header: list[str], rows: list[list[str]], delimiter: str = ",") -> str:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return str(path)


def _known_rows(bundled, header: list[str], n: int, seed: int) -> list[list[str]]:
    """Rows of known names (any spelling the Prediction knows) and days in both forms."""
    prediction = _foreseen(bundled, header)
    rng = random.Random(seed)
    names = {at: n for at, n in prediction.kinds}
    days = _days(prediction)
    out = []
    for i in range(n):
        row = []
        for at in range(len(header)):
            if at in names:
                row.append(rng.choice(names[at]))
            elif at == prediction.date_at:
                day = date(2018, 1, 1) + timedelta(days=rng.randrange(2200))
                text = rng.choice([day.isoformat(), day.isoformat().replace("-", "/"),
                                   rng.choice(days)])  # fmt: skip
                row.append(text)
            elif at > max(names) and i % 3:  # a quoted cell after those that decide
                row.append(f'SKU{i} "爆款", 直播专享')
            else:
                row.append(f"SKU{i}")
        out.append(row)
    return out


def _spied(monkeypatch, name: str) -> list:
    """The calls of columnar's function `name`, each a 1 in the list returned."""
    calls: list[int] = []
    real = getattr(columnar, name)
    monkeypatch.setattr(columnar, name, lambda *a: calls.append(1) or real(*a))
    return calls


def _both(run, path: str, *options: str):
    """The Python engine's run, and the DuckDB engine's."""
    python = run("batch", path, "--fail-on", "never", *options)
    return python, run("batch", path, "--fail-on", "never", "--engine", "duckdb", *options)


@pytest.fixture
def foreseen_only(monkeypatch):
    """The other ways of the DuckDB engine fail the test if taken."""

    def other_way(*args, **kwargs):
        raise AssertionError("not answered as foreseen")

    monkeypatch.setattr(columnar, "_checked_lines", other_way)
    monkeypatch.setattr(columnar, "_checked", other_way)


@pytest.mark.parametrize("header", HEADERS.values(), ids=list(HEADERS))
@pytest.mark.parametrize(
    "options",
    [(), ("--raw-cells",), ("-s", "all")],
    ids=["csv", "raw-cells", "all-surfaces"],
)
def test_a_foreseen_checklist_is_the_python_engines_bytes(run, tmp_path, bundled, foreseen_only,
                                                          header, options):  # fmt: skip
    path = _write(tmp_path / "known.csv", header, _known_rows(bundled, header, 3000, 11))
    python, duckdb = _both(run, path, *options)
    assert duckdb.stdout_bytes == python.stdout_bytes
    assert duckdb.stderr == python.stderr
    assert duckdb.exit_code == python.exit_code


def test_a_foreseen_tsv_is_the_python_engines_bytes(run, tmp_path, bundled, foreseen_only):
    header = HEADERS["source-surface-date"]
    path = _write(tmp_path / "known.tsv", header, _known_rows(bundled, header, 2000, 5), "\t")
    python, duckdb = _both(run, path)
    assert duckdb.stdout_bytes == python.stdout_bytes and duckdb.stderr == python.stderr


@pytest.mark.parametrize("stranger", ["TMall", "2022.11.11", "2023-02-29", ""], ids=repr)
def test_a_row_it_does_not_know_after_the_first_block_is_answered_the_other_way(
    run, tmp_path, bundled, monkeypatch, stranger
):
    """The first 64 KiB are rows it knows, a later one is not: pass 1 finds it, nothing is
    written from the foreseen answers, and the lines are grouped as before — the Python
    engine's bytes."""
    header = HEADERS["source-surface-date"]
    rows = _known_rows(bundled, header, 4000, 7)
    rows[3500][3 if "-" in stranger or "." in stranger else 1] = stranger
    path = _write(tmp_path / "late.csv", header, rows)
    grouped = _spied(monkeypatch, "_checked_lines")
    python, duckdb = _both(run, path)
    assert duckdb.stdout_bytes == python.stdout_bytes
    assert duckdb.stderr == python.stderr
    assert grouped  # the other way answered it


def _changing(monkeypatch, path: str, old: bytes, new: bytes) -> None:
    """After pass 1 of the foreseen way, the last `old` in the file becomes `new` in place
    (the same length)."""
    real = columnar._numbered

    def then_changed(*args, **kwargs):
        found = real(*args, **kwargs)
        with open(path, "rb") as f:
            at = f.read().rindex(old)
        with open(path, "r+b") as f:
            f.seek(at)
            f.write(new)
        return found

    monkeypatch.setattr(columnar, "_numbered", then_changed)


@pytest.mark.parametrize(
    ("old", "new"),
    [(b"\ntmall,", b"\nTMaLL,"),  # a name it does not know
     (b",2019-05-05,", b",2022-11-11,"),  # a set pass 1 counted (only the count would be wrong)
     (b",2019-05-05,", b",2099-05-05,")],  # a set no row had: beyond the horizon
    ids=["unknown-name", "counted-set", "set-not-counted"],
)  # fmt: skip
def test_a_file_changed_between_the_passes_is_refused_and_nothing_is_kept(
    run, tmp_path, bundled, monkeypatch, old, new
):
    """A row changed in place after pass 1 counted the rows: the engine says the input
    changed (it once wrote a row no pass had counted with another row's answer, and counted
    the file as it was: a trial), and the run, whose first rows were read before the
    change, is refused as any input changed while it is read — -o keeps nothing; the file
    as it is now is answered by the next run. At once: the Python engine is not sent to read
    it all only to say so (a trial: 6.3 s where the run takes 1.5 s)."""
    header = ["source", "surface", "date", "platform", "sku"]
    rows = [["tmall", "live", "2022-11-11", "快手", f"s{i}"] for i in range(3000)]
    rows[2000][0], rows[2500][2] = "tmall", "2019-05-05"
    path = _write(tmp_path / "moving.csv", header, rows)
    out = tmp_path / "out.csv"
    _changing(monkeypatch, path, old, new)
    from linkcheck.batch import run as running

    python_rows: list[str] = []  # the Python engine's reading of the rows, if it is made
    for name in ("check_rows", "check_lines"):
        monkeypatch.setattr(running, name, lambda *a, _n=name, **k: python_rows.append(_n))
    duckdb = run("batch", path, "--fail-on", "never", "--engine", "duckdb", "-o", str(out))
    monkeypatch.undo()
    with open(path, "rb") as f:
        assert new in f.read()
    assert duckdb.exit_code == 2
    assert not python_rows
    assert duckdb.stderr == (
        f"Error: input '{path}': it changed while it was read: its rows are not one file's; "
        "run again once it is no longer being written\n"
    )
    assert not out.exists()
    again = run("batch", path, "--fail-on", "never", "--engine", "duckdb")
    assert again.exit_code == 0
    assert again.stdout_bytes == run("batch", path, "--fail-on", "never").stdout_bytes


def test_a_set_pass_1_did_not_count_is_not_written(run, tmp_path, bundled, monkeypatch):
    """Were the change not seen (a file system that keeps no time of change), a row whose
    answers pass 1 did not count stops the write: it is not written with another set's."""
    header = ["source", "surface", "date", "platform", "sku"]
    rows = [["tmall", "live", "2022-11-11", "快手", f"s{i}"] for i in range(3000)]
    rows[2500][2] = "2019-05-05"
    path = _write(tmp_path / "moving.csv", header, rows)
    _changing(monkeypatch, path, b",2019-05-05,", b",2099-05-05,")
    monkeypatch.setattr(columnar, "_unchanged", lambda *a: None)
    grouped = _spied(monkeypatch, "_checked_lines")
    duckdb = run("batch", path, "--fail-on", "never", "--engine", "duckdb")
    monkeypatch.undo()
    python = run("batch", path, "--fail-on", "never")
    assert grouped  # the foreseen write stopped; the lines were grouped and answered again
    assert duckdb.stdout_bytes == python.stdout_bytes


ZONES = ["Asia/Shanghai", "America/Santiago", "Pacific/Kiritimati", "Pacific/Pago_Pago",
         "Europe/London"]  # fmt: skip
START = datetime(2022, 9, 1, tzinfo=UTC)  # Santiago's clocks skipped its midnight on 11 September


@settings(max_examples=examples(60))
@given(
    specs=st.lists(rule_specs(24 * 40, gap=1), max_size=5),
    zone=st.sampled_from(ZONES),
)
def test_random_rules_in_any_zone_are_foreseen_as_the_checker_decides(specs, zone):
    """Windows whose bounds fall at any hour, in zones far from Shanghai (one whose clocks
    skip a midnight), a group of two sources, a horizon: the day before, of and after every
    bound, for every name, is answered as the Checker answers it."""
    bound = lambda n: (START + timedelta(hours=n)).isoformat()  # noqa: E731
    text = VOCAB.replace('"Asia/Shanghai"', f'"{zone}"') + (
        '[groups.ab]\nname = "AB"\nmembers = ["a", "b"]\n'
        "[horizon.p]\nas_of = 2022-09-01\nthrough = 2022-10-01\n"
    )
    loader = Loader()
    loader.add_text(text + toml_rules(specs, bound).split("\n\n", 1)[-1], "random.toml")
    assert [p for p in loader.problems if p.level == "error"] == [], loader.problems
    ruleset = RuleSet(loader.catalog)
    header = ["source", "surface", "date"]
    prediction = predict.predict(_checker(ruleset, header), len(header), False)
    assert prediction is not None
    checker = _checker(ruleset, header)
    cells_of = {number: cells for cells, number in prediction.answers.items()}
    days = {START.date() + timedelta(days=n) for n in range(-1, 45)} | set(prediction.days)
    for source in prediction.kinds[0][1]:
        for surface in ("", "x", "Y", "X、y"):
            for day in sorted(days):
                row = [source, surface, day.isoformat()]
                found = prediction.set_of(row)
                decided = [predict.answer_cells(a, False) for a in checker.decide(list(row))]
                if surface == "X、y":  # two surfaces in a cell: no name it knows
                    assert found is None
                    continue
                assert found is not None, row
                assert [cells_of[n] for n in prediction.sets[found]] == decided, row


def test_a_file_whose_lines_are_not_proven_records_is_not_written_as_foreseen(
    run, tmp_path, bundled, monkeypatch
):
    """Every line known and written as it is, but one longer than a record the line proof
    takes (MAX_RECORD): the Shape is not proven, what the foreseen write wrote is not the
    answer, and the file is answered the other way — the Python engine's bytes."""
    header = HEADERS["source-surface-date"]
    rows = _known_rows(bundled, header, 3000, 9)
    rows[2500][4] = "长" * 400_000  # 1.2 MB in UTF-8
    path = _write(tmp_path / "long.csv", header, rows)
    writes = _spied(monkeypatch, "_positional_write")
    python, duckdb = _both(run, path)
    assert duckdb.stdout_bytes == python.stdout_bytes
    assert duckdb.stderr.endswith(python.stderr)
    assert len(writes) >= 1  # the foreseen write was made, and not taken


def test_a_file_still_being_written_goes_to_the_python_engine(run, tmp_path, bundled,
                                                               monkeypatch):  # fmt: skip
    """A file whose time of change is always now (a writer still at it): waited for twice,
    then the Python engine answers it, saying why — two passes would read two files."""
    import time

    header = HEADERS["source-date"]
    path = _write(tmp_path / "busy.csv", header, _known_rows(bundled, header, 50, 1))
    real = columnar._identity
    monkeypatch.setattr(columnar, "_identity", lambda s: (*real(s)[:4], time.time_ns()))
    python, duckdb = _both(run, path)
    assert duckdb.stdout_bytes == python.stdout_bytes
    assert duckdb.stderr == (
        "engine duckdb: the input is being written (DuckDB reads it twice); checked by the "
        "Python engine\n" + python.stderr
    )


@pytest.mark.parametrize(
    ("names", "header", "delimiter"),
    [("split", "source-surface-date", ","), ("one-column", "source-surface-date", ","),
     ("split", "source-date", ","),  # no surface column: two answers a row, two lines each
     ("split", "source-surface-date", "\t"), ("one-column", "source-date", "\t")],
)  # fmt: skip
def test_a_foreseen_checklist_written_to_a_file_is_the_python_engines_bytes(
    run, tmp_path, bundled, foreseen_only, monkeypatch, names, header, delimiter
):
    """-o: DuckDB writes the output file whole, its header the names of the two columns it
    writes (the line, and its answer's cells after the delimiter) — or, where the header
    has no two such names, of one column, each line and its answer's cells joined first."""
    if names == "one-column":
        monkeypatch.setattr(columnar, "_names", lambda header, delimiter: None)
    columns = HEADERS[header]
    ext = "csv" if delimiter == "," else "tsv"
    path = _write(tmp_path / f"known.{ext}", columns, _known_rows(bundled, columns, 3000, 3),
                  delimiter)  # fmt: skip
    outs, said = {}, {}
    for engine in ("python", "duckdb"):
        outs[engine] = tmp_path / f"{engine}.{ext}"
        got = run("batch", path, "--fail-on", "never", "--engine", engine, "-o",
                  str(outs[engine]))  # fmt: skip
        assert got.exit_code == 0, got.stderr
        said[engine] = got.stderr
    assert said["duckdb"] == said["python"]  # answered by DuckDB: no word of the other engine
    assert outs["duckdb"].read_bytes() == outs["python"].read_bytes()


@pytest.mark.parametrize(
    ("header", "expected"),
    [("sku,source,verdict", ("sku", "source,verdict")),
     (",a,b", (",a", "b")),  # no empty name
     ("A,a", None),  # DuckDB would rename a second a to a_1
     ("x,x", None), ("x,X", None), (",", None), ("x", None), ("", None),
     ("a\tb", None)],  # another delimiter
)  # fmt: skip
def test_the_two_names_duckdb_writes_as_the_header(header, expected):
    assert columnar._names(header, ",") == expected
    if expected is not None:
        assert ",".join(expected) == header


def test_pass_1_numbers_the_lines_in_a_table_only_in_their_order(tmp_path):
    """The table pass 1 numbers the lines into is made only by DuckDB's order-keeping batch
    insert (the write pairs each line with the row in its place)."""
    import duckdb

    path = tmp_path / "lines.csv"
    path.write_text("".join(f"{i}\n" for i in range(100000)))
    con = duckdb.connect(config={"threads": 2})  # one would keep the order in any plan
    create = f"CREATE TEMP TABLE t AS SELECT line FROM {columnar._lines(str(path))}"
    con.execute("SET preserve_insertion_order = true")
    columnar._in_order(con, create, "BATCH_CREATE_TABLE_AS")
    con.execute("SET preserve_insertion_order = false")
    with pytest.raises(columnar.Unsupported):
        columnar._in_order(con, create, "BATCH_CREATE_TABLE_AS")


@pytest.mark.parametrize(
    "first",
    ['"sku","source","surface","date","title"\r\n',  # quoted as no csv.writer quotes it
     "sku,source,surface,date,=title\r\n",  # a cell that starts like a formula
     "\r\n"],  # no header: an empty first line
    ids=["quoted", "formula", "empty"],
)  # fmt: skip
def test_a_first_line_not_written_as_it_is_is_not_answered_as_foreseen(
    run, tmp_path, bundled, monkeypatch, first
):
    """Pass 1 numbers the first line (the header) with the rest, and tests it alike: a
    header not to write as it is, or none, is not answered as foreseen (the other ways
    answer it) — the Python engine's bytes."""
    header = HEADERS["source-surface-date"]
    body = _write(tmp_path / "body.csv", header, _known_rows(bundled, header, 3000, 2))
    path = tmp_path / "head.csv"
    with open(body, "rb") as f:
        path.write_bytes(first.encode() + f.read().split(b"\r\n", 1)[1])
    writes = _spied(monkeypatch, "_positional_write")
    python, duckdb = _both(run, str(path))
    assert duckdb.stdout_bytes == python.stdout_bytes
    assert duckdb.exit_code == python.exit_code
    assert not writes


def test_a_foreseen_checklist_with_empty_lines_is_the_python_engines_bytes(
    run, tmp_path, bundled, foreseen_only
):
    """Empty lines after the header: skipped as the Python engine skips them (its count of
    skipped rows too), each still a row of pass 1's table, so that the lines after it are
    paired with their own."""
    header = HEADERS["source-surface-date"]
    body = _write(tmp_path / "body.csv", header, _known_rows(bundled, header, 3000, 4))
    path = tmp_path / "gaps.csv"
    with open(body, "rb") as f:
        lines = f.read().split(b"\r\n")
    for at in (1, 2, 1500, 2999):
        lines[at] = b""
    path.write_bytes(b"\r\n".join(lines))
    python, duckdb = _both(run, str(path))
    assert duckdb.stdout_bytes == python.stdout_bytes
    assert duckdb.stderr == python.stderr
    assert "(4 empty rows skipped)" in python.stderr


@pytest.mark.parametrize("foreseen", [True, False], ids=["foreseen", "grouped"])
def test_duckdb_of_one_thread_answers_as_of_two(run, tmp_path, bundled, monkeypatch, foreseen):
    """A machine of one core: DuckDB plans no order-keeping batch insert or copy for one
    thread, and every file went to the Python engine ('DuckDB would not write the rows in
    their order', a trial). One thread reads and writes the rows in their order whatever
    the plan: DuckDB answers, the Python engine's bytes."""
    import duckdb

    real = duckdb.connect
    monkeypatch.setattr(duckdb, "connect", lambda *a, **k: real(*a, config={"threads": 1}))
    header = HEADERS["source-surface-date"]
    rows = _known_rows(bundled, header, 3000, 6)
    if not foreseen:
        rows[2000][1] = "TMall"  # not a spelling the Prediction knows: the lines are grouped
    path = _write(tmp_path / "one.csv", header, rows)
    python, duckdb_run = _both(run, path)
    assert duckdb_run.stderr == python.stderr  # no word of the other engine
    assert duckdb_run.stdout_bytes == python.stdout_bytes
