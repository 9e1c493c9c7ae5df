"""Dates on the command line and in checklists: options named in their errors, `--year`,
`--date-format`, Excel serial numbers and dates without a year in a date column (said on
stderr, each row's date in its note), both engines alike, and the ends of the calendar in
`upcoming` and `timeline`."""

from __future__ import annotations

import csv
import io
import json

import pytest

from .helpers import assert_clean_error

ACCEPTED = (
    "use 2022-11-11, '2022-11-11 20:00', 2022-11-11T20:00:00+08:00, 'Nov 11 2022 8:00 PM', "
    "'Fri, 11 Nov 2022 20:00:00 +0800', 2022-W45-5, 2022年11月11日, '11月11日 晚上8点', 双11, "
    "today, now, +3d, -2w, +1m, 'next friday' or 下周五 (docs/dates.md lists them all)"
)
SERIALS = (
    "date: the column holds Excel serial numbers, read as days in the platform's time zone "
    "(44876 is 2022-11-11, 44876.5 its noon)"
)
TMALL = "kuaishou-2022-tmall-window,2023-01-01T00:00:00+08:00 unknown"
CUTOFF = "kuaishou-2022-03-cutoff,2022-10-28T00:00:00+08:00 allowed"


def _rows(result) -> list[list[str]]:
    return list(csv.reader(io.StringIO(result.stdout, newline="")))


# ---------------------------------------------------------------------- options


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "tmall", "--on", "soon"], f"Error: --on: invalid date 'soon': {ACCEPTED}"),
        (["check", "tmall", "--on", "2022-02-30"],
         "Error: --on: impossible date '2022-02-30': 2022-02 has 28 days"),
        (["check", "tmall", "--on", "11/10/2022"], "Error: --on: ambiguous date '11/10/2022': "
         "it could be 2022-10-11 or 2022-11-10; write it as YYYY-MM-DD"),
        (["timeline", "--from", "Oct 2022"],
         "Error: --from: incomplete date 'Oct 2022': it names no day of the month"),
        (["timeline", "--from", "2022-10-01", "--to", "EST"],
         f"Error: --to: invalid date 'EST': {ACCEPTED}"),
        (["upcoming", "--on", "Dec 31 2022 10:00 UTC+8"], "Error: --on: unsure of the time zone "
         "in 'Dec 31 2022 10:00 UTC+8': zone names such as EST or CST and UTC+N are not read; "
         "write the offset as +08:00 or +0800 (Z or UTC for UTC)"),
        (["rules", "list", "--on", "11 Nov 22"],
         "Error: --on: two-digit year in '11 Nov 22': write the year in full, such as 2022"),
        (["batch", "-", "--on", "Mon, 11 Nov 2022"],
         "Error: --on: 'Mon, 11 Nov 2022' names a Monday, but 2022-11-11 is a Friday"),
    ],
)  # fmt: skip
def test_a_bad_date_option_is_one_line_naming_the_option(run, args, message):
    result = run(*args, input="source\ntmall\n")
    assert_clean_error(result)
    assert result.stderr.strip() == message


def test_a_bad_date_option_is_said_in_chinese(run):
    result = run("check", "tmall", "--on", "2022-02-30", "--lang", "zh")
    assert_clean_error(result)
    assert result.stderr.strip() == "错误：--on：不存在的日期 '2022-02-30'：2022-02 只有 28 天"


@pytest.mark.parametrize(
    ("when", "year", "day"),
    [("11月11日", "2022", "2022-11-11T00:00:00+08:00"),
     ("Nov 11 20:00", "2022", "2022-11-11T20:00:00+08:00"),
     ("双11", "2021", "2021-11-11T00:00:00+08:00"),
     ("2022-06-18", "2021", "2022-06-18T00:00:00+08:00")],  # a year written wins
)  # fmt: skip
def test_check_year_sets_the_year_of_a_date_without_one(run, when, year, day):
    result = run("check", "tmall", "-s", "livestream", "--on", when, "--year", year,
                 "--format", "plain", ok=False)  # fmt: skip
    assert result.stdout.split("\t")[4] == day


@pytest.mark.parametrize("number", ["1668124800", "2022334", "1668124800123"])
def test_a_long_number_is_no_date_and_is_said_so(run, number):
    """A Unix time or an ordinal day was 'impossible … no such day in the calendar' —
    dateutil read it as a year (a trial): it is a number of that many digits, no date."""
    result = run("check", "tmall", "--on", number)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: --on: invalid date '{number}': a number of {len(number)} digits is no date it "
        "reads (nor a Unix time); write the day as 2022-11-11\n"
    )


def test_check_says_the_year_it_gave_a_date_without_one(run):
    """`check 京东自营 --on 双11` (the help's own example) answered unknown, for this year's
    Double 11, past the rules' horizon, without a word of the year (a trial): a note on
    stderr says the day it was read as, and how to read another. --year given, none; a
    --year the date does not need is said to be unused; -q says nothing."""
    import json

    from linkcheck.when import clock, zone

    this_year = clock().astimezone(zone("Asia/Shanghai")).year
    assumed = run("check", "京东自营", "--on", "双11", "--format", "plain")
    assert assumed.stdout.split("\t")[4] == f"{this_year}-11-11T00:00:00+08:00"
    assert (
        f"note: --on '双11' has no year: read as {this_year}-11-11, the current year in "
        "Asia/Shanghai (--year YYYY reads another)\n" in assumed.stderr
    )
    given = run("check", "京东自营", "--on", "双11", "--year", "2022", "--format", "plain")
    assert (given.exit_code, given.stderr) == (0, "")
    unused = run("check", "tmall", "--on", "2022-11-11", "--year", "2021", "--json")
    assert json.loads(unused.stdout)["verdict"] == "allowed"  # stdout is the answer alone
    assert unused.stderr == "note: --year 2021 is not used: --on '2022-11-11' needs none\n"
    assert run("check", "tmall", "--on", "today", "--year", "2022", "-q").stderr == ""
    chinese = run("--lang", "zh", "check", "tmall", "--on", "11月11日", "--format", "plain")
    assert f"注意：--on '11月11日' 没写年份：按 Asia/Shanghai 的今年读作 {this_year}-11-11" in (
        chinese.stderr
    )


@pytest.mark.parametrize("year", ["10000", "22", "0", "999"])
def test_a_year_out_of_range_is_a_usage_error(run, year):
    # --year 22 was the year 22 (0022-11-11, at Shanghai's local mean time +08:05:43)
    result = run("check", "tmall", "--on", "双11", "--year", year)
    assert result.exit_code == 2
    assert "'--year'" in result.stderr and "from 1000 to 9999" in result.stderr


# ---------------------------------------------------------------------- a checklist's dates


def test_serial_numbers_in_a_date_column_are_their_days_and_said_so(run, write):
    path = write("dates.csv", "source,date\ntmall,44876\ntmall,44862.99999\ntmall,44861.5\n")
    result = run("batch", path, "-s", "livestream", "--fail-on", "never")
    assert _rows(result)[1:] == [
        ["tmall", "44876", "livestream", "allowed", *TMALL.split(","), ""],
        ["tmall", "44862.99999", "livestream", "allowed", *TMALL.split(","), ""],  # 10-28 23:59:59
        ["tmall", "44861.5", "livestream", "denied", *CUTOFF.split(","), ""],  # 10-27 noon
    ]
    assert SERIALS in " ".join(result.stderr.split())
    plain = run("batch", write("plain.csv", "source,date\ntmall,2022-11-11\n"))
    assert "serial" not in plain.stderr


def test_serial_numbers_in_json_lines_and_workbooks(run, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    lines = tmp_path / "dates.jsonl"
    lines.write_text('{"source": "tmall", "date": 44876}\n{"source": "tmall", "date": 44876.5}\n')
    result = run("batch", str(lines), "-s", "livestream", "--format", "csv")
    assert [row[3:5] for row in _rows(result)[1:]] == [
        ["allowed", "kuaishou-2022-tmall-window"]
    ] * 2
    book = openpyxl.Workbook()
    book.active.append(["source", "date"])
    book.active.append(["tmall", 44876])  # a number, no date format: Excel's serial
    book.active.append(["tmall", 44861.5])
    book.save(tmp_path / "dates.xlsx")
    result = run("batch", str(tmp_path / "dates.xlsx"), "-s", "livestream", "--format", "csv")
    assert [row[2:4] for row in _rows(result)[1:]] == [
        ["livestream", "allowed"],
        ["livestream", "denied"],
    ]
    assert SERIALS in " ".join(result.stderr.split())


def test_a_date_without_a_year_shows_its_date_in_the_note(run, write):
    data = "source,date\ntmall,11月11日 20:00\ntmall,Nov 11\ntmall,双11\ntmall,2022-11-11\n"
    path = write("dates.csv", data)
    result = run("batch", path, "-s", "livestream", "--year", "2022")
    assert _rows(result)[1:] == [
        ["tmall", "11月11日 20:00", "livestream", "allowed", *TMALL.split(","),
         "the date has no year: read as 2022-11-11 20:00 (--year 2022)"],
        ["tmall", "Nov 11", "livestream", "allowed", *TMALL.split(","),
         "the date has no year: read as 2022-11-11 (--year 2022)"],
        ["tmall", "双11", "livestream", "allowed", *TMALL.split(","),
         "the date has no year: read as 2022-11-11 (--year 2022)"],
        ["tmall", "2022-11-11", "livestream", "allowed", *TMALL.split(","), ""],
    ]  # fmt: skip
    assert (
        "date: dates without a year were read in 2022 (--year); each row's note says its date"
        in " ".join(result.stderr.split())
    )


def test_without_year_the_current_year_is_said_and_joins_the_answer_note(run, write):
    path = write("dates.csv", "source,date\ntmall,11月11日\n")
    result = run("batch", path, "-s", "livestream", "--fail-on", "never")
    row = _rows(result)[1]
    assert row[3] == "unknown"  # 2026-11-11 (the test run's year or later): past the horizon
    year = row[6].split("read as ")[1][:4]
    assert int(year) >= 2026
    assert row[6].startswith("beyond the rules' horizon: nothing known after 2022-12-31")
    assert row[6].endswith(
        f"; the date has no year: read as {year}-11-11, in the current year (--year sets another)"
    )
    assert (
        f"date: dates without a year were read in {year}, the current year; each row's note "
        "says its date (--year sets another)" in " ".join(result.stderr.split())
    )


@pytest.mark.parametrize(
    ("option", "verdicts"),
    [
        ("dayfirst", ["denied", "allowed", "allowed"]),  # 2022-10-11, 2022-12-11, 2022-11-11
        ("monthfirst", ["allowed", "allowed", "allowed"]),  # 2022-11-10, 2022-11-12, …
        ("%d/%m/%Y %H:%M", ["error", "error", "allowed"]),
        ("%m/%d/%Y", ["allowed", "allowed", "error"]),
    ],
)
def test_date_format_reads_a_column_of_one_style(run, write, option, verdicts):
    path = write(
        "dates.csv", "source,date\ntmall,11/10/2022\ntmall,11/12/2022\ntmall,11/11/2022 20:00\n"
    )
    result = run("batch", path, "-s", "livestream", "--date-format", option, "--fail-on", "never")
    assert [row[3] for row in _rows(result)[1:]] == verdicts
    for row in _rows(result)[1:]:
        if row[3] == "error":
            assert row[6] == f"date '{row[1]}' does not match --date-format '{option}'"


def test_an_ambiguous_cell_is_an_error_row_saying_how_to_read_the_column(run, write):
    path = write("dates.csv", "source,date\ntmall,11/10/2022\ntmall,2022-11-11\n")
    result = run("batch", path, "-s", "livestream")
    assert result.exit_code == 1
    assert _rows(result)[1] == [
        "tmall", "11/10/2022", "livestream", "error", "", "",
        "ambiguous date '11/10/2022': it could be 2022-10-11 or 2022-11-10; write it as "
        "YYYY-MM-DD, or read the column with --date-format dayfirst or monthfirst",
    ]  # fmt: skip
    assert _rows(result)[2][3] == "allowed"  # the run went on


@pytest.mark.parametrize(
    "cell, note",
    [
        ("Oct 2022 20:00", "incomplete date 'Oct 2022 20:00': it names no day of the month"),
        ("2022-02-30", "impossible date '2022-02-30': 2022-02 has 28 days"),
        ("Nov 11 2022 10:00 EST", "unsure of the time zone in 'Nov 11 2022 10:00 EST': zone "
         "names such as EST or CST and UTC+N are not read; write the offset as +08:00 or +0800 "
         "(Z or UTC for UTC)"),
        ("Nov 11 2022 10:00 +8", "invalid UTC offset in 'Nov 11 2022 10:00 +8': write it as "
         "+08:00 or +0800 (Z or UTC for UTC)"),
        ("11 Nov 22", "two-digit year in '11 Nov 22': write the year in full, such as 2022"),
        ("Nov 11 2022 at 8pm", f"invalid date 'Nov 11 2022 at 8pm': {ACCEPTED}"),
    ],
)  # fmt: skip
def test_a_refused_cell_is_an_error_row_in_english_whatever_the_language(run, write, cell,
                                                                         note):  # fmt: skip
    path = write("dates.csv", f'source,date\ntmall,"{cell}"\ntmall,2022-11-11\n')
    for language in ("en", "zh"):
        result = run("batch", path, "-s", "livestream", "--lang", language, "--format", "csv")
        rows = _rows(result)
        assert rows[1] == ["tmall", cell, "livestream", "error", "", "", note]
        assert rows[2][3] == "allowed"


@pytest.mark.parametrize(
    "when",
    ["2022-11-11", "2022/10/27", "20221231", "2022-12-31T15:59:59Z", "2022-12-31T16:00:00Z",
     "Fri, 11 Nov 2022 20:00:00 +0800", "Nov 11, 2022 8:00 PM", "11 November 2022 20:00",
     "20221027T235959+0800", "2022-W43-5", "2022-W43-5T00:00:00.5", "2022年10月28日",
     "2022-10-28 00:00 -0800", "Oct 27 2022 16:00:00 UTC", "25/10/2022", "2022.10.28"],
)  # fmt: skip
def test_a_date_cell_is_answered_as_on_answers_it(run, write, when):
    check = run("check", "tmall", "-s", "livestream", "--on", when, "--format", "plain",
                ok=False)  # fmt: skip
    verdict, *_, rule = check.stdout.strip().split("\t")
    path = write("dates.csv", f'source,date\ntmall,"{when}"\n')
    row = _rows(run("batch", path, "-s", "livestream", "--fail-on", "never"))[1]
    assert row[3:5] == [verdict, "" if rule == "-" else rule]


def test_a_bad_date_format_is_a_usage_error_naming_the_option(run, write):
    result = run("batch", write("dates.csv", "source,date\ntmall,1\n"), "--date-format", "%d")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        "Invalid value for '--date-format': '%d': use dayfirst, monthfirst or a strptime format "
        "with %d, a month (%m, %b or %B) and %Y or no year, such as %d/%m/%Y %H:%M" in result.stderr
    )


def test_the_date_option_of_empty_cells_takes_the_year_and_says_so(run, write):
    path = write("dates.csv", "source,date\ntmall,\ntmall,44876\n")
    result = run("batch", path, "-s", "livestream", "--on", "双11", "--year", "2022")
    assert [row[3] + row[6] for row in _rows(result)[1:]] == [
        "allowedthe row has no date: checked at 2022-11-11 (--on 双11)",
        "allowed",
    ]
    assert "without a year" not in result.stderr


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_an_empty_date_cell_says_which_date_it_was_checked_at(run, write, engine):
    """A new user's finding: a row whose date cell is empty was answered for --on (or now)
    with nothing in its note, as if the row had said that date."""
    if engine == "duckdb":
        pytest.importorskip("duckdb")
    path = write("dates.csv", "source,date\ntmall,2022-11-11\ntmall,\n")
    on = run("batch", path, "-s", "livestream", "--on", "2022-11-11", "--engine", engine)
    assert [row[6] for row in _rows(on)[1:]] == [
        "",
        "the row has no date: checked at 2022-11-11 (--on 2022-11-11)",
    ]
    now = run("batch", path, "-s", "livestream", "--engine", engine)
    assert _rows(now)[2][6].endswith(
        "the row has no date: checked now, as the run (--on sets a date)"
    )


def test_the_columns_style_is_not_the_option_s(run, write):
    """--date-format reads the column; --on is read as every option is."""
    path = write("dates.csv", "source,date\ntmall,\ntmall,11/10/2022\n")
    result = run("batch", path, "-s", "livestream", "--on", "2022-11-11", "--date-format",
                 "%d/%m/%Y")  # fmt: skip
    assert [row[3] for row in _rows(result)[1:]] == ["allowed", "denied"]


# ---------------------------------------------------------------------- both engines


def test_both_engines_read_dates_alike(run, tmp_path):
    pytest.importorskip("duckdb")
    cells = [
        "44876",
        "44876.5",
        "44861.25",
        "11月11日 20:00",
        "Nov 11",
        "双11",
        "11/10/2022",
        "10/11/2022 20:30",
        "Oct 2022",
        "2022-02-30",
        "Fri, 11 Nov 2022 20:00:00 +0800",
        "",
        "2022-11-11",
        "+1m",
        "19999",
        "11 Nov 22",
        "Nov 11 2022 10:00 EST",
    ]
    rows = [["sku", "来源", "直播时间", "平台"]]
    for i in range(400):
        rows.append([str(i), ["tmall", "天猫", "jd-self", "天苗"][i % 4], cells[i % len(cells)],
                     ["", "douyin", "微博"][i % 3]])  # fmt: skip
    path = tmp_path / "dates.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    for options in ([], ["--year", "2022"], ["--date-format", "dayfirst", "--year", "2021"],
                    ["--date-format", "%d/%m/%Y %H:%M"]):  # fmt: skip
        python = run("batch", str(path), "--fail-on", "never", "--format", "csv", *options)
        duckdb = run("batch", str(path), "--fail-on", "never", "--format", "csv", "--engine",
                     "duckdb", *options)  # fmt: skip
        assert "engine duckdb:" not in duckdb.stderr, duckdb.stderr
        assert duckdb.stdout_bytes == python.stdout_bytes, options
        assert duckdb.stderr == python.stderr, options
        if "2021" in options:
            assert "the date has no year: read as 2021-11-11 20:00 (--year 2021)" in python.stdout


def test_a_serial_in_a_row_whose_source_is_wrong_is_said_by_both_engines(run, write):
    pytest.importorskip("duckdb")
    path = write("dates.csv", "source,date\n天苗,44876\ntmall,2022-11-11\n")
    python = run("batch", path, "--format", "csv")
    duckdb = run("batch", path, "--format", "csv", "--engine", "duckdb")
    assert python.stderr == duckdb.stderr
    assert SERIALS in " ".join(python.stderr.split())


# ---------------------------------------------------------------------- upcoming, timeline


def test_upcoming_days_takes_calendar_months(run):
    result = run("upcoming", "--on", "2022-01-31", "--days", "1m", "--json")
    assert json.loads(result.stdout)["days"] == 28  # to 2022-02-28, the month's end
    leap = run("upcoming", "--on", "2024-01-31", "--days", "1m", "--json")
    assert json.loads(leap.stdout)["days"] == 29
    assert json.loads(run("upcoming", "--on", "2022-10-01", "--days", "2w", "--json").stdout)[
        "days"] == 14  # fmt: skip
    year = run("upcoming", "--on", "2022-03-01", "--days", "1y", "--json")
    assert json.loads(year.stdout)["days"] == 365
    assert json.loads(run("upcoming", "--days", "7d", "--json").stdout)["days"] == 7


def test_upcoming_one_month_from_october_is_31_days(run):
    month = json.loads(run("upcoming", "--on", "2022-10-01", "--days", "1m", "--json").stdout)
    days = json.loads(run("upcoming", "--on", "2022-10-01", "--days", "31", "--json").stdout)
    assert month == days
    assert month["days"] == 31
    assert "2022-10-28T00:00:00+08:00" in {c["at"] for c in month["changes"]}


@pytest.mark.parametrize(
    ("days", "message"),
    [("x", "'x': use a number of days, or a span such as 2w, 1m or 1y"),
     ("1.5", "'1.5': use a number of days, or a span such as 2w, 1m or 1y"),
     ("-1", "'-1': use a number of days, or a span such as 2w, 1m or 1y"),
     ("10000", "'10000': use a number of days, or a span such as 2w, 1m or 1y"),
     ("", "'': use a number of days, or a span such as 2w, 1m or 1y")],
)  # fmt: skip
def test_upcoming_days_refuses_what_is_not_a_span(run, days, message):
    result = run("upcoming", "--days", days)
    assert result.exit_code == 2
    assert f"Invalid value for '--days': {message}" in result.stderr


def test_upcoming_looks_at_most_ten_years_ahead(run):
    assert run("upcoming", "--on", "2022-01-01", "--days", "3660").exit_code == 0
    result = run("upcoming", "--on", "2022-01-01", "--days", "11y")
    assert_clean_error(result)
    assert result.stderr.strip() == (
        "Error: --days: 4018 days is more than 3660; look at most ten years ahead"
    )


def test_the_calendar_s_last_day_is_a_clean_answer(run):
    result = run("upcoming", "--on", "9999-12-31", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["days"], doc["changes"]) == (0, [])
    assert [h["state"] for h in doc["horizons"]] == ["passed", "passed"]
    assert run("upcoming", "--on", "9999-12-20", "--days", "1y").exit_code == 0
    text = run("upcoming", "--on", "9999-12-31")
    assert text.exit_code == 0 and "Traceback" not in text.output
    chart = run("timeline", "tmall", "-s", "livestream", "--from", "9999-12-30", "--to",
                "9999-12-31", "--format", "json")  # fmt: skip
    assert chart.exit_code == 0, chart.output
    segment = json.loads(chart.stdout)[0]
    assert (segment["start"], segment["end"], segment["verdict"]) == (
        "9999-12-30",
        "9999-12-31",
        "unknown",
    )
    assert run("timeline", "--from", "9999-12-01", "--to", "9999-12-31").exit_code == 0


def test_timeline_from_the_calendar_s_last_day_alone_is_a_clean_error(run):
    result = run("timeline", "--from", "9999-12-31")
    assert_clean_error(result)
    assert result.stderr.startswith("Error: --to ")
    assert "is before --from 9999-12-31" in result.stderr


def test_timeline_takes_calendar_months(run):
    result = run("timeline", "tmall", "-s", "livestream", "--from", "2022-10-31 -1m", "--to",
                 "2022-10-31 +1m", "--format", "json")  # fmt: skip
    segments = json.loads(result.stdout)
    assert (segments[0]["start"], segments[-1]["end"]) == ("2022-09-30", "2022-11-30")


@pytest.mark.parametrize(("typed", "plain"), [("３", "3"), ("２ｗ", "2w"), ("１Ｍ", "1m")])
def test_upcoming_days_in_full_width_are_read(run, typed, plain):
    """A Chinese input method types ３ and ２ｗ: the span they say (as --year and
    --header-row read full-width digits)."""
    got = run("upcoming", "--on", "2022-10-01", "--days", typed, "--json")
    assert got.exit_code == 0, got.stderr
    assert got.stdout == run("upcoming", "--on", "2022-10-01", "--days", plain, "--json").stdout
    assert json.loads(got.stdout)["days"] > 0


@pytest.mark.parametrize("end", ["2022-11-30 24:00", "2022/11/30 24:00", "2022年11月30日24点"])
def test_24_00_on_a_windows_last_day_is_past_the_window(run, write, end):
    # JD self-operated's window ends 2022-11-30 inclusive: 23:59 is inside, 24:00 is the
    # next day's first instant — outside, as 2022-12-01 is, in a check and in a checklist
    def answer(when: str) -> list[str]:
        result = run("check", "jd-self", "-s", "livestream", "--on", when, "--format", "plain",
                     ok=False)  # fmt: skip
        return result.stdout.splitlines()[0].split("\t")

    inside, past, after = answer("2022-11-30 23:59"), answer(end), answer("2022-12-01")
    assert inside[0] == "allowed" and past[0] == after[0] == "unknown"
    assert past[4] == after[4] == "2022-12-01T00:00:00+08:00" and past[5] == after[5]
    path = write("edge.csv", f"source,date\njd-self,2022-11-30 23:59\njd-self,{end}\n")
    rows = _rows(run("batch", path, "-s", "livestream", "--fail-on", "never"))
    assert [r[3] for r in rows[1:]] == ["allowed", "unknown"]
