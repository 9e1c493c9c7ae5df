"""Listings and tables: aligned columns, the batch table, summary and progress, and the
`rules` views."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..i18n import N_, escape_controls, language, ngettext
from ..i18n import gettext as _
from .common import VERDICT_STYLE, console, escape_cell

if TYPE_CHECKING:
    from ..batch.formats import Answer


def _cell(value) -> str:
    if isinstance(value, list | tuple):
        from ..words import LIST_SEPARATOR

        return _(LIST_SEPARATOR).join(value) if value else "-"
    return "-" if value in (None, "") else str(value)


def columns_text(rows: list[dict], columns: tuple[str, ...], width: int | None = None) -> list[str]:
    """Aligned columns with a header, fitted to `width` (default: the terminal's): long
    cells wrap, and rows become records when the columns cannot fit side by side."""
    from .fit import listing, terminal_width

    columns = tuple(c for c in columns if any(c in r for r in rows))
    cells = [[_(c).upper() for c in columns]] + [[_cell(r.get(c)) for c in columns] for r in rows]
    return listing(cells, width or terminal_width())


def tab_separated(rows: list[dict], columns: tuple[str, ...]) -> list[str]:
    """A listing for programs: a header, then a row a line, its cells tab-separated, whatever
    the terminal's width (a table when it fitted, records when not, was no shape to parse).
    A cell's control characters (a tab, a line end) are written as escapes (\\t, \\n)."""

    def cell(value) -> str:
        return escape_controls(_cell(value))

    return ["\t".join(c.upper() for c in columns)] + [
        "\t".join(cell(r.get(c)) for c in columns) for r in rows
    ]


# the column names of listings, translated where they are shown (columns_text)
COLUMN_LABELS = (N_("id"), N_("kind"), N_("name"), N_("aliases"), N_("members"), N_("domains"),
                 N_("timezone"), N_("in_force"))  # fmt: skip


def entry_dict(entry, kind: str | None = None) -> dict:
    """A platform, source, group or surface as a listing row and JSON object: id, (kind,)
    name, aliases and whichever of members, domains and timezone it has."""
    row: dict = {"id": entry.id}
    if kind is not None:
        row["kind"] = kind
    row |= {"name": entry.name, "aliases": list(entry.aliases)}
    if entry.name_zh:
        row["name_zh"] = entry.name_zh
    for field in ("members", "domains", "timezone"):
        value = getattr(entry, field, None)
        if value is not None:
            row[field] = list(value) if isinstance(value, tuple) else value
    return row


def batch_table(names: list[str], rows: list[tuple[list[str], Sequence[Answer]]], width: int,
                surfaces: dict[str, str] | None = None, read: Sequence[int] = ()):  # fmt: skip
    """A block of batch rows (each input row's cells with its answers, one per surface) for
    the terminal: a table when its columns fit `width` unbroken, else each input row on one
    line (its cells cut to the width first; the columns `read` first, so that what a cut
    leaves out is never the date that decided) with an answer line under it per surface."""
    from ..batch.writers import people_answer
    from .fit import width_of

    count = len(names)
    rows = [  # the verdict stays the word: the grid and the stack style it by its verdict
        (cells, [people_answer(r, surfaces)._replace(verdict=r.verdict) for r in results])
        for cells, results in rows
    ]
    flat = [[*cells, *result] for cells, results in rows for result in results]
    natural = [max([width_of(names[i])] + [width_of(r[i]) for r in flat]) for i in range(count)]
    if sum(natural) + 3 * count + 1 <= width:
        return _batch_grid(names, flat)
    return _batch_stack(names, rows, width, read)


def _batch_grid(names: list[str], rows: list[list[str]]):
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    verdict_at = len(names) - 4  # surface, verdict, rule, next_change, note
    for name in names:
        table.add_column(name, no_wrap=True)
    from ..words import verdict_word

    for cells in rows:
        cells = list(cells)
        style = VERDICT_STYLE.get(cells[verdict_at], "bold magenta")
        cells[verdict_at] = f"[{style}]{verdict_word(cells[verdict_at])}[/]"
        table.add_row(*(c if i == verdict_at else escape_cell(c) for i, c in enumerate(cells)))
    return table


def _batch_stack(names: list[str], rows, width: int, read: Sequence[int] = ()):
    from rich.console import Group
    from rich.text import Text

    from ..errors import escape_controls
    from .common import VERDICT_MARK
    from .fit import width_of, wrap

    inputs = len(names) - 5

    def cut(text: str) -> str:
        if width_of(text) <= width:
            return text
        while width_of(text) > width - 1:
            text = text[:-1]
        return text + "…"

    from ..words import verdict_word

    def shown(cells: list[str], order) -> list[str]:
        return [escape_controls(c) if c.strip() else "–" for c in (cells[i] for i in order)]

    # the cells in their order where every row then fits; else the columns read first (the
    # same for the header), so that what the line's end cuts off is never what decided
    order: list[int] = list(range(inputs))
    keep = 0
    lined = [" · ".join(_give_way(shown(cells, order), width)) for cells, _ in rows]
    if any(width_of(line) > width for line in lined):
        first = [i for i in read if i < inputs]
        order, keep = first + [i for i in order if i not in first], len(first)
        lined = [" · ".join(_give_way(shown(c, order), width, keep=keep)) for c, _ in rows]
    answer = " ".join(names[inputs : inputs + 3])
    header = " · ".join(names[i] for i in order)
    lines = [Text(cut(header + f"  →  {answer}"), style="bold")]
    for row_line, (_cells, results) in zip(lined, rows, strict=True):
        lines.append(Text(cut(row_line)))
        for surface, verdict, rule, change, note in results:
            shown_surface = surface or "-"
            line = Text(f"  {shown_surface}" + " " * max(1, 14 - width_of(shown_surface)))
            mark = VERDICT_MARK.get(verdict, "!")
            line.append(
                f"{mark} {verdict_word(verdict)}", style=VERDICT_STYLE.get(verdict, "bold magenta")
            )
            if rule and line.cell_len + 2 + width_of(rule) <= width:
                line.append(f"  {rule}")
                rule = ""
            lines.append(line)
            if rule:  # too long for the line: under it, indented as the lines after it
                lines.extend(Text(p) for p in wrap("    " + rule, width, 4))
            then = _("next: {change}").format(change=change) if change else ""
            for extra in (then, escape_controls(note)):
                if extra:
                    lines.extend(Text(p, style="dim") for p in wrap("    " + extra, width, 4))
    return Group(*lines)


def _give_way(cells: list[str], width: int, least: int = 12, keep: int = 0) -> list[str]:
    """A row's cells, shown one after the other in `width` columns: the widest cut in its
    middle (…) until they fit or every cell is `least` wide — the cells after the first
    `keep` (those read) first, then any — so a long link no longer pushes the cells after
    it off the line. An empty cell is shown as – (its place kept, the cells lined up with
    the header's names)."""
    from .fit import width_of

    cells = list(cells)
    # the others first, all of them; then the first `keep` only as far as they alone are
    # too wide (what is still too wide after them is cut off the line's end: the others)
    for start, end in ((keep, len(cells)), (0, keep or len(cells))):
        room = width - (2 if end < len(cells) else 0)  # and the … that ends a cut line
        while True:
            over = sum(map(width_of, cells[:end])) + 3 * (end - 1) - room
            widest = max(range(start, end), key=lambda i: width_of(cells[i]), default=None)
            if over <= 0 or widest is None or width_of(cells[widest]) <= least:
                break
            cells[widest] = _middle_cut(cells[widest], max(least, width_of(cells[widest]) - over))
    return cells


# an escape escape_controls writes (\n, \x1b, \u202e, \\): cut whole or not at all
_ESCAPE = re.compile(r"\\(?:x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8}|.)", re.DOTALL)


def _middle_cut(text: str, width: int) -> str:
    """`text` in at most `width` columns, its middle left out (…): the start and the end of
    a link are what tell it apart. An escaped character is kept or left out whole (a cut
    inside `\n` left a stray `n`: a trial)."""
    from .fit import width_of

    units: list[str] = []
    at = 0
    for m in _ESCAPE.finditer(text):
        units.extend(text[at : m.start()])
        units.append(m[0])
        at = m.end()
    units.extend(text[at:])
    head, tail = "", ""
    left, right = 0, len(units)
    while left < right:
        if width_of(head) <= width_of(tail):
            candidate = head + units[left]
            if width_of(candidate) + width_of(tail) + 1 > width:
                break
            head, left = candidate, left + 1
        else:
            candidate = units[right - 1] + tail
            if width_of(head) + width_of(candidate) + 1 > width:
                break
            tail, right = candidate, right - 1
    return head + "…" + tail


MEANING_WORDS = {
    "source": N_("source"),
    "url": N_("url"),
    "surface": N_("surface"),
    "date": N_("date"),
    "platform": N_("platform"),
}


def batch_dates(serials: bool, years: list[int], year: int | None) -> list[str]:
    """What the date cells held beyond plain dates: Excel serial numbers, dates without a
    year (and the years they were given; `year`: --year, if given)."""
    lines = []
    if serials:
        lines.append(
            _(
                "date: the column holds Excel serial numbers, read as days in the platform's "
                "time zone (44876 is 2022-11-11, 44876.5 its noon)"
            )
        )
    if years:
        shown = ", ".join(str(y) for y in years)
        if year is None:
            lines.append(
                _(
                    "date: dates without a year were read in {years}, the current year; "
                    "each row's note says its date (--year sets another)"
                ).format(years=shown)
            )
        else:
            lines.append(
                _(
                    "date: dates without a year were read in {years} (--year); each row's "
                    "note says its date"
                ).format(years=shown)
            )
    return lines


def batch_swallowed(swallowed: Sequence[tuple[int, int, int]], rows: int) -> list[str]:
    """Rows over several lines whose quoted cells hold lines that read as rows: (first line,
    last line, such lines) for the first few, `rows` in all."""
    lines = [
        ngettext(
            "warning: the row on lines {first} to {last} has a quoted cell holding {count} "
            "line that reads as a row of this file; it was read as part of that cell, not "
            "answered (a stray quote?)",
            "warning: the row on lines {first} to {last} has a quoted cell holding {count} "
            "lines that read as rows of this file; they were read as that one cell, not "
            "answered (a stray quote?)",
            count,
        ).format(first=f"{first:,}", last=f"{last:,}", count=f"{count:,}")
        for first, last, count in swallowed
    ]
    if rows > len(swallowed):
        lines.append(
            _("warning: {count} more rows like it").format(count=f"{rows - len(swallowed):,}")
        )
    return lines


def batch_sheet(sheet) -> list[str]:
    """Which sheet of a workbook of several was read (a headers.SheetChoice, or None):
    `sheet: 清单 (2 of 3)`, and the sheets passed over for naming no source or link column."""
    from ..words import LIST_SEPARATOR

    if sheet is None:
        return []
    if sheet.hidden:
        sheet = sheet._replace(name=_("{name}, a hidden sheet").format(name=sheet.name))
    if sheet.passed:
        return [
            _("sheet: {name} ({position} of {count}; {passed} before it has no source or link "
              "column; --sheet reads another)").format(name=sheet.name, position=sheet.position,
                                          count=len(sheet.titles),
                                          passed=_(LIST_SEPARATOR).join(sheet.passed))
        ]  # fmt: skip
    return [
        _("sheet: {name} ({position} of {count}; --sheet reads another)").format(
            name=sheet.name, position=sheet.position, count=len(sheet.titles)
        )
    ]


MERGED_SHOWN = 6  # merged ranges named; the rest counted


def batch_merged(merged: Sequence[str]) -> list[str]:
    """A workbook's merged ranges below the header (C4:C6), whose every row read the value
    of the range's first cell."""
    if not merged:
        return []
    ranges = ", ".join(merged[:MERGED_SHOWN])
    if len(merged) > MERGED_SHOWN:
        ranges = _("{ranges} and {count} more").format(
            ranges=ranges, count=f"{len(merged) - MERGED_SHOWN:,}"
        )
    line = _("merged cells: each row of {ranges} is read with the range's value, as Excel "
             "shows it")  # fmt: skip
    return [line.format(ranges=ranges)]


def batch_reading(columns, fills: dict[str, tuple], header_row: int = 1,
                  above: Sequence[tuple[int, str]] = (), more: int = 0,
                  names: dict[str, str] | None = None) -> list[str]:  # fmt: skip
    """Where the header is (when not on row 1), what each meaning of a checklist was read
    from, and what fills a missing one:

        header: row 2 (skipped above it: row 1 双11直播选品表)
        date: 直播时间 (column 4)
        surface: none — every row checked for livestream, short-video (the default)

    `fills` maps a missing meaning to (value, where it came from): the instant for date,
    surface ids, a platform id. Columns that look like a meaning (by their header, or by
    their cells) but were not read follow as warnings. `names`: the display names of the
    ids (surfaces and platforms are named by them in Chinese). `above`: the rows skipped
    above the header (number, text), and `more` others not listed."""
    from ..errors import shown
    from .common import surface_label

    names = names or {}

    lines = []
    if header_row != 1:
        if above:
            rows = _("; ").join(
                _("row {number} {text}").format(number=n, text=text) for n, text in above
            )
            if more:
                rows = _("{rows}; and {count} more up to row {last}").format(
                    rows=rows, count=f"{more:,}", last=f"{header_row - 1:,}"
                )
            lines.append(
                _("header: row {number} (skipped above it: {rows})").format(
                    number=header_row, rows=rows
                )
            )
        else:
            lines.append(_("header: row {number}").format(number=header_row))
    for meaning in ("source", "url", "surface", "date", "platform"):
        word = _(MEANING_WORDS[meaning])
        at = columns.at(meaning)
        if at is not None:
            header = shown(columns.header[at], 40)
            if meaning in columns.named:
                named = header if columns.is_nested(at) else at + 1
                lines.append(
                    _("{meaning}: {header} (--{option}-column {named})").format(
                        meaning=word, header=header, option=meaning, named=named
                    )
                )
            elif columns.is_nested(at):
                lines.append(
                    _("{meaning}: {field} (a nested field)").format(meaning=word, field=header)
                )
            else:
                lines.append(
                    _("{meaning}: {header} (column {number})").format(
                        meaning=word, header=header, number=at + 1
                    )
                )
        elif meaning in fills:
            value, origin = fills[meaning]
            lines.append(
                _("{meaning}: none — every row {fill} ({origin})").format(
                    meaning=word,
                    origin=_(origin),
                    fill=_fill_words(meaning, value, lambda i: surface_label(i, names)),
                )
            )
            if origin == "now":  # never a silent "now"
                lines.append(
                    "  "
                    + _("name the column with --{meaning}-column, or give --on").format(
                        meaning=meaning
                    )
                )
        else:
            lines.append(_("{meaning}: none").format(meaning=word))
    held = dict(columns.held)
    for meaning, at in columns.unread:
        used = columns.at(meaning)
        if used is None:
            instead = _("--{meaning}-column reads it").format(meaning=meaning)
        elif columns.is_nested(used):
            instead = _("{meaning}: {field}").format(
                meaning=_(MEANING_WORDS[meaning]), field=shown(columns.header[used], 40)
            )
        else:
            instead = _("{meaning}: column {number}").format(
                meaning=_(MEANING_WORDS[meaning]), number=used + 1
            )
        fields = {
            "number": at + 1,
            "header": shown(columns.header[at], 40),
            "meaning": _(MEANING_WORDS[meaning]),
            "instead": instead,
            "cell": shown(held.get(at, ""), 40),
        }
        if columns.is_nested(at):
            template = HELD_FIELD if at in held else LOOKS_FIELD
        else:
            template = HELD_COLUMN if at in held else LOOKS_COLUMN
        lines.append(_(template).format(**fields))
    return lines


# a column (or a nested field) not read, known by its cells or by its header
HELD_COLUMN = N_(
    "warning: column {number} '{header}' holds {meaning} values such as '{cell}' but is not "
    "read ({instead})"
)
LOOKS_COLUMN = N_(
    "warning: column {number} '{header}' looks like a {meaning} column but is not read ({instead})"
)
HELD_FIELD = N_(
    "warning: field '{header}' holds {meaning} values such as '{cell}' but is not read ({instead})"
)
LOOKS_FIELD = N_(
    "warning: field '{header}' looks like a {meaning} field but is not read ({instead})"
)


def _fill_words(meaning: str, value, label) -> str:
    if meaning == "date":
        from ..when import is_midnight

        shown = f"{value:%Y-%m-%d}" if is_midnight(value) else f"{value:%Y-%m-%d %H:%M %z}"
        if not is_midnight(value):
            shown = shown[:-2] + ":" + shown[-2:]
        return _("checked at {instant}").format(instant=shown)
    if meaning == "surface":
        from ..words import LIST_SEPARATOR

        return _("checked for {surfaces}").format(
            surfaces=_(LIST_SEPARATOR).join(label(s) for s in value)
        )
    return _("on {platform}").format(platform=label(value))


# where a missing column's value came from (batch_reading), said in the user's language
ORIGINS = (N_("now"), N_("--on"), N_("-s"), N_("the default"), N_("--platform"),
           N_("the rules' default"))  # fmt: skip


def batch_summary(counts: dict[str, int]) -> str:
    """`1,980 results: allowed 1,020 · denied 800 · unknown 150 · error 10`."""
    from ..words import verdict_word

    words = ("allowed", "denied", "unknown", "error")
    parts = " · ".join(f"{verdict_word(v)} {counts.get(v, 0):,}" for v in words)
    total = sum(counts.get(v, 0) for v in words)
    line = ngettext("{count} result", "{count} results", total).format(count=f"{total:,}")
    line = _("{results}: {counts}").format(results=line, counts=parts)
    skipped = counts.get("skipped", 0)
    if skipped:
        line += ("" if language() == "zh" else " ") + ngettext(
            "({count} empty row skipped)", "({count} empty rows skipped)", skipped
        ).format(count=f"{skipped:,}")
    return line


class BatchProgress:
    """Rows done, rows per second and elapsed time on a terminal's stderr."""

    def __init__(self, color: str) -> None:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.completed:,} " + _("rows")),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            console=console(color, stderr=True),
            transient=True,
        )
        self._task = self._progress.add_task("batch", total=None, rate="")
        self._progress.start()

    def update(self, rows: int) -> None:
        task = self._progress.tasks[0]
        elapsed = task.elapsed or 0.0
        rate = _("{rate} rows/s").format(rate=f"{rows / elapsed:,.0f}") if elapsed > 0 else ""
        self._progress.update(self._task, completed=rows, rate=rate)

    def stop(self) -> None:
        self._progress.stop()


# ---------------------------------------------------------------------- rules


class TableWriter:
    """A checklist's rows on a terminal (batch_table), printed in blocks so that a long
    input streams: a batch.Writer whose output is a console."""

    BLOCK = 500
    fit = None

    def __init__(self, console, surfaces: dict[str, str] | None = None) -> None:
        self._console = console
        self._surfaces = surfaces  # surface id → Chinese name (batch.writers.surface_names)
        self._names: list[str] = []
        self._read: list[int] = []
        self._rows: list[tuple[list[str], Sequence[Answer]]] = []

    def header(self, names: list[str]) -> None:
        self._names = names

    def reading(self, positions: list[int]) -> None:
        """The input columns read (source, url, surface, date, platform): the stacked view
        shows them first, so that a wide sheet's cut keeps them."""
        self._read = positions

    def write(self, cells: list[str], results: Sequence[Answer]) -> None:
        self._rows.append((list(cells), results))
        if len(self._rows) >= self.BLOCK:
            self._flush()

    def _flush(self) -> None:
        from ..batch.writers import people_header

        if self._rows:
            names = people_header(self._names)
            self._console.print(batch_table(names, self._rows, self._console.width, self._surfaces,
                                            self._read))  # fmt: skip
            self._rows = []

    def close(self) -> None:
        self._flush()
