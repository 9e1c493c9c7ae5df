"""Every text output fits the terminal (80 and 100 columns here), words unbroken, and
`--color never` / NO_COLOR print no escape code at all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkcheck.render.fit import listing, width_of, wrap

EXAMPLES = Path(__file__).parent.parent / "examples"
ESCAPE = re.compile(r"\x1b\[[0-9;]*m")

TEXT_COMMANDS = [
    ("check", "tmall", "--on", "2022-11-11", "--format", "text"),
    ("check", "tmall", "--on", "2022-11-11", "--format", "text", "--explain"),
    ("check", "https://item.jd.com/100012043978.html", "--on", "2022-11-11", "--format", "text",
     "--explain"),
    ("check", "tmall", "--on", "2026-11-29", "--format", "text"),
    ("check", "京东联盟", "--on", "2022-11-11", "--format", "plain", "--explain"),
    ("timeline", "--format", "text"),
    ("timeline", "tmall", "jd-self", "--format", "text", "--from", "2022-10-01", "--to",
     "2022-12-31"),
    ("upcoming", "--on", "2022-10-20"),
    ("upcoming", "--on", "2022-12-20"),
    ("sources",),
    ("surfaces",),
    ("platforms",),
    ("rules", "list", "--format", "text"),
    ("rules", "list", "--format", "plain"),
    ("rules", "show", "kuaishou-2022-jd-pop-disputed"),
    ("rules", "lint"),
    ("batch", str(EXAMPLES / "checklist-gb18030.csv"), "--format", "table"),
    ("batch", str(EXAMPLES / "checklist-gb18030.csv"), "--format", "table", "--on",
     "2022-11-11", "--date-column", "2"),
    ("--help",),
    ("batch", "--help"),
    ("check", "--help"),
    ("timeline", "--help"),
]  # fmt: skip


def _too_wide(text: str, width: int) -> list[str]:
    return [line for line in ESCAPE.sub("", text).splitlines() if width_of(line) > width]


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("command", TEXT_COMMANDS, ids=[" ".join(c[:3]) for c in TEXT_COMMANDS])
def test_every_text_output_fits_the_terminal(run, command, width):
    colour = () if command == ("--help",) else ("--color", "always")
    result = run(*command, *colour, env={"COLUMNS": str(width)})
    assert result.exit_code in (0, 1, 3), result.output
    assert (
        "\x1b[" in result.stdout
        or command[-1] == "--help"
        or "plain" in command
        or (command[0] in ("sources", "surfaces", "platforms", "upcoming", "rules"))
    )
    if command[:2] != ("rules", "list") or "plain" not in command:  # a rule a line: TSV
        assert _too_wide(result.stdout, width) == []
    assert _too_wide(result.stderr, width) == []


@pytest.mark.parametrize("columns", ["0", "000", "", "1", "2"])
@pytest.mark.parametrize("command", TEXT_COMMANDS, ids=[" ".join(c[:3]) for c in TEXT_COMMANDS])
def test_a_width_of_none_or_next_to_none_is_a_width_text_can_take(run, command, columns):
    """COLUMNS=0 is no width: the output is what it is with COLUMNS unset (80 columns here,
    no terminal) — rich drew nothing at width 0 (check --format text, timeline) or its
    listing's footer alone (rules list), with exit 0 (a new user's trial). Narrower than 40
    columns, text is laid out for 40 — at 1 or 2, a batch table never ended."""
    given = run(*command, env={"COLUMNS": columns})
    unset = run(*command, env={"COLUMNS": "80" if columns in ("0", "000", "") else "40"})
    assert (given.exit_code, given.stdout, given.stderr) == (
        unset.exit_code, unset.stdout, unset.stderr
    )  # fmt: skip
    assert given.stdout.strip()


@pytest.mark.parametrize("how", ["--color never", "NO_COLOR"])
@pytest.mark.parametrize("command", TEXT_COMMANDS, ids=[" ".join(c[:3]) for c in TEXT_COMMANDS])
def test_no_escape_code_without_colour(run, command, how):
    options = ("--color", "never") if how == "--color never" and command != ("--help",) else ()
    env = {"COLUMNS": "80"} | ({"NO_COLOR": "1"} if how == "NO_COLOR" else {})
    result = run(*command, *options, env=env)
    assert "\x1b" not in result.stdout + result.stderr


def test_the_batch_table_cuts_the_input_first_and_keeps_every_answer(run):
    result = run("batch", str(EXAMPLES / "checklist-gb18030.csv"), "--format", "table",
                 "-s", "livestream", "--color", "never", env={"COLUMNS": "80"})  # fmt: skip
    lines = result.stdout.splitlines()
    # the link gives way in its middle: the cells after it stay in view, and an empty cell
    # keeps its place (–), so each is under its name (the date was cut off, and cells moved)
    long_link = next(line for line in lines if "detail.tm" in line)
    assert width_of(long_link) <= 80
    assert long_link.startswith("蓝牙耳机 · – · https://detail.tm")
    assert long_link.endswith("…98765&spm=a1z10.1 · 2022年11月20日 · 小王 · 199")
    assert "保温杯 500ml · 天猫 · – · 2022/11/11 · 小王 · 89.9" in lines
    assert "  livestream    ✔ allowed  kuaishou-2022-tmall-window" in lines
    assert "    next: 2023-01-01T00:00:00+08:00 unknown" in lines
    assert any(line.startswith("    candidates disagree (jd-self allowed") for line in lines)
    # a wide terminal gets a table with the columns unbroken
    wide = run("batch", str(EXAMPLES / "checklist-gb18030.csv"), "--format", "table",
               "-s", "livestream", "--color", "never", env={"COLUMNS": "400"})  # fmt: skip
    assert "kuaishou-2022-after-jd-self-window" in wide.stdout
    assert "┃ 商品名称" in wide.stdout


def test_sources_become_a_narrow_list(run):
    result = run("sources", env={"COLUMNS": "80"})
    lines = result.stdout.splitlines()
    assert lines[:2] == ["tmall", "  name     Tmall"]
    assert "  domains  tmall.com, tmall.hk" in lines
    # aliases wrap under their column, each alias whole
    aliases = [line for line in lines[2:5] if line.startswith(("  aliases", "           "))]
    assert len(aliases) == 2
    wide = run("sources", env={"COLUMNS": "400"})
    assert wide.stdout.startswith("ID ")


def test_explain_says_how_to_name_the_source_once(run):
    result = run("check", "jd-union", "--on", "2022-11-11", "--format", "text", "--explain",
                 "--color", "never")  # fmt: skip
    assert result.stdout.count("pass the exact source") == 1


def test_the_timeline_default_range_includes_today(run):
    result = run("timeline", "--format", "text", "--color", "never", env={"COLUMNS": "80"})
    assert "today▼" in result.stdout or "▼ today" in result.stdout


WORDS = st.text(st.sampled_from("ab-天猫京东 ,、·"), max_size=200)


@given(text=WORDS, width=st.integers(10, 120), indent=st.integers(0, 8))
def test_wrapped_lines_fit_and_keep_every_character(text, width, indent):
    lines = wrap(text, width, indent)
    assert all(width_of(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(line.startswith(" " * indent) for line in lines[1:] if line.strip())


@given(st.lists(st.text(st.sampled_from("abc-"), min_size=1, max_size=12), max_size=30),
       st.integers(20, 100))  # fmt: skip
def test_a_word_that_fits_a_line_is_never_broken(words, width):
    lines = wrap(" ".join(words), width)
    assert sorted(" ".join(lines).split()) == sorted(words)


def test_short_cjk_names_stay_whole_and_long_sentences_break():
    assert wrap("天猫, 天猫官方旗舰店, 天猫专营店", 16) == [
        "天猫,",
        "天猫官方旗舰店,",
        "天猫专营店",
    ]
    sentence = "据快手介绍十月二十八日至十二月三十一日短视频直播间可以在天猫上投放商品链接"
    lines = wrap(sentence, 30)
    assert len(lines) > 1 and all(width_of(line) <= 30 for line in lines)


def test_a_listing_is_a_table_when_it_fits_and_records_when_not():
    cells = [["ID", "NAME"], ["tmall", "Tmall"], ["jd-self", "JD self-operated"]]
    assert listing(cells, 80) == ["ID       NAME", "tmall    Tmall", "jd-self  JD self-operated"]
    assert listing(cells, 24) == [
        "tmall", "  name  Tmall", "", "jd-self", "  name  JD self-operated",
    ]  # fmt: skip


@given(
    st.lists(st.text(st.sampled_from("ab天猫-/?=.1"), min_size=1, max_size=60), min_size=1,
             max_size=6),
    st.integers(20, 120),
)  # fmt: skip
def test_a_stacked_rows_cells_give_way_widest_first_and_keep_their_places(cells, width):
    """Every cell kept in its place; the row fits the width unless every cell is already
    down to the least width; a cell cut keeps its start and its end (a link's id)."""
    from linkcheck.render.tables import _give_way

    shown = _give_way(cells, width)
    assert len(shown) == len(cells)
    total = sum(map(width_of, shown)) + 3 * (len(shown) - 1)
    assert total <= width or max(map(width_of, shown)) <= 12
    for cut, whole in zip(shown, cells, strict=True):
        if cut != whole:
            head, tail = cut.split("…")
            assert whole.startswith(head) and whole.endswith(tail) and width_of(cut) <= width


def test_a_wide_sheets_rows_show_the_cells_read_first_and_keep_them(run, write):
    """Fifteen columns not read between the source and the date: each row line put the
    date past the terminal's edge, cut off (a trial). Where the rows do not fit, the
    columns read come first — the header in the same order — and the end cut off is the
    others'; where they fit, the cells keep the sheet's order."""
    header = ["来源", *(f"列{i}" for i in range(1, 16)), "直播时间"]
    rows = [["天猫", *["xxx"] * 15, "2022-11-11 20:00"], ["京东自营", *[""] * 15, "2022-11-11"]]
    path = write("wide.csv", "\n".join(",".join(r) for r in [header, *rows]) + "\n")
    for columns in ("40", "80"):
        result = run("batch", path, "--format", "table", "-s", "livestream", "--color", "never",
                     env={"COLUMNS": columns})  # fmt: skip
        lines = result.stdout.splitlines()
        assert lines[0].startswith("来源 · 直播时间 · 列1 · ")
        assert lines[1].startswith("天猫 · 2022-11-11 20:00 · xxx · ")
        assert any(line.startswith("京东自营 · 2022-11-11 · – · ") for line in lines)
        assert all(width_of(line) <= int(columns) for line in lines)
    wide = run("batch", path, "--format", "table", "-s", "livestream", "--color", "never",
               env={"COLUMNS": "200"})  # fmt: skip
    assert wide.stdout.splitlines()[1].startswith("天猫 · xxx · xxx · ")  # the sheet's order
    short = write("short.csv", "来源,备注,直播时间\n天猫,x,2022-11-11\n")
    kept = run("batch", short, "--format", "table", "-s", "livestream", "--color", "never",
               env={"COLUMNS": "30"})  # fmt: skip
    assert kept.stdout.splitlines()[1] == "天猫 · x · 2022-11-11"


def test_at_forty_columns_the_rule_goes_under_its_answer_indented(run, write):
    """The rule id did not fit after the verdict and wrapped to column 0, under the row's
    own cells (a trial): it goes on a line of its own, indented as the next-change line."""
    path = write("small.csv", "来源,商品链接,直播时间\n天猫,,2022-11-11\n")
    for lang, answer in (("en", "  livestream    ✔ allowed"), ("zh", "  直播间购物车  ✔ 可以挂链")):
        result = run("--lang", lang, "batch", path, "-s", "直播", "--format", "table",
                     "--color", "never", env={"COLUMNS": "40"})  # fmt: skip
        lines = result.stdout.splitlines()
        assert lines[2:4] == [answer, "    kuaishou-2022-tmall-window"], lines
        assert all(width_of(line) <= 40 for line in lines)
    wide = run("batch", path, "-s", "直播", "--format", "table", "--color", "never",
               env={"COLUMNS": "80"})  # fmt: skip
    assert "  livestream    ✔ allowed  kuaishou-2022-tmall-window" in wide.stdout.splitlines()


@pytest.mark.parametrize("columns", ["40", "53", "54", "80"])
def test_upcoming_never_cuts_a_rule_id_in_two(run, columns):
    """At 40 columns the hanging indent under the day left 20 for `[kuaishou-2022-jd-pop-
    disputed]`, which was cut in two (a trial): where an id does not fit there, the lines
    under the first are indented a little, and every id is whole on one line."""
    result = run("upcoming", "--on", "2022-10-20", "--days", "75", "-p", "ks",
                 env={"COLUMNS": columns})  # fmt: skip
    lines = result.stdout.splitlines()
    assert all(line.count("[") == line.count("]") for line in lines), lines
    assert all(len(line) <= int(columns) for line in lines), lines
    assert "[kuaishou-2022-jd-pop-disputed]" in result.stdout


def test_a_cell_cut_in_its_middle_keeps_each_escape_whole():
    """A share text on two lines, escaped as `…\\n…`, was cut between its backslash and
    its n, leaving a stray n in the table (a trial): an escape is kept or left out whole."""
    import re

    from linkcheck.render.tables import _middle_cut

    text = "【淘宝】https://m.tb.cn/h.abc?tk=x" + "\\n" + "「杯」\\x1b点击\\u202e链接直接打开"
    escapes = [(m.start(), m.end()) for m in re.finditer(r"\\(?:x..|u....|n)", text)]

    def inside(at: int) -> bool:
        return any(start < at < end for start, end in escapes)

    for width in range(3, 60):
        head, tail = _middle_cut(text, width).split("…")
        assert text.startswith(head) and text.endswith(tail)
        assert not inside(len(head)) and not inside(len(text) - len(tail)), (width, head, tail)
