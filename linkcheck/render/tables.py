"""Listings and tables: aligned columns, the batch table, summary and progress, and the
`rules` views."""

from __future__ import annotations

from .common import VERDICT_STYLE, console, escape_cell, plural


def _cell(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(value) if value else "-"
    return "-" if value in (None, "") else str(value)


def columns_text(rows: list[dict], columns: tuple[str, ...], width: int | None = None) -> list[str]:
    """Aligned columns with a header, fitted to `width` (default: the terminal's): long
    cells wrap, and rows become records when the columns cannot fit side by side."""
    from .fit import listing, terminal_width

    columns = tuple(c for c in columns if any(c in r for r in rows))
    cells = [[c.upper() for c in columns]] + [[_cell(r.get(c)) for c in columns] for r in rows]
    return listing(cells, width or terminal_width())


def entry_dict(entry, kind: str | None = None) -> dict:
    """A platform, source, group or surface as a listing row and JSON object: id, (kind,)
    name, aliases and whichever of members, domains and timezone it has."""
    row: dict = {"id": entry.id}
    if kind is not None:
        row["kind"] = kind
    row |= {"name": entry.name, "aliases": list(entry.aliases)}
    for field in ("members", "domains", "timezone"):
        value = getattr(entry, field, None)
        if value is not None:
            row[field] = list(value) if isinstance(value, tuple) else value
    return row


def batch_table(names: list[str], rows: list[tuple[list[str], list[list[str]]]], width: int):
    """A block of batch rows (each input row's cells with its answers, one per surface) for
    the terminal: a table when its columns fit `width` unbroken, else each input row on one
    line (its cells cut to the width first) with an answer line under it per surface."""
    from .fit import width_of

    count = len(names)
    flat = [cells + result for cells, results in rows for result in results]
    natural = [max([width_of(names[i])] + [width_of(r[i]) for r in flat]) for i in range(count)]
    if sum(natural) + 3 * count + 1 <= width:
        return _batch_grid(names, flat)
    return _batch_stack(names, rows, width)


def _batch_grid(names: list[str], rows: list[list[str]]):
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    verdict_at = len(names) - 4  # surface, verdict, rule, next_change, note
    for name in names:
        table.add_column(name, no_wrap=True)
    for cells in rows:
        cells = list(cells)
        style = VERDICT_STYLE.get(cells[verdict_at], "bold magenta")
        cells[verdict_at] = f"[{style}]{cells[verdict_at]}[/]"
        table.add_row(*(c if i == verdict_at else escape_cell(c) for i, c in enumerate(cells)))
    return table


def _batch_stack(names: list[str], rows, width: int):
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

    lines = [Text(cut(" · ".join(names[:inputs]) + "  →  surface verdict rule"), style="bold")]
    for cells, results in rows:
        shown = " · ".join(escape_controls(c) for c in cells if c.strip()) or "(empty)"
        lines.append(Text(cut(shown)))
        for surface, verdict, rule, change, note in results:
            line = Text(f"  {surface or '-':<13} ")
            mark = VERDICT_MARK.get(verdict, "!")
            line.append(f"{mark} {verdict}", style=VERDICT_STYLE.get(verdict, "bold magenta"))
            line.append(f"  {rule}" if rule else "")
            lines.append(line)
            for extra in (f"next: {change}" if change else "", escape_controls(note)):
                if extra:
                    lines.extend(Text(p, style="dim") for p in wrap("    " + extra, width, 4))
    return Group(*lines)


def batch_reading(columns, fills: dict[str, tuple]) -> list[str]:
    """What each meaning of a checklist was read from, and what fills a missing one:

        date: 直播时间 (column 4)
        surface: none — every row checked for livestream, short-video (the default)
          name a column with --surface-column

    `fills` maps a missing meaning to (value, where it came from): the instant for date,
    surface ids, a platform id. Headers that look like a meaning but were not read follow
    as warnings."""
    from ..errors import shown

    lines = []
    for meaning in ("source", "url", "surface", "date", "platform"):
        at = columns.at(meaning)
        if at is not None:
            how = f"--{meaning}-column" if meaning in columns.named else "column"
            lines.append(f"{meaning}: {shown(columns.header[at], 40)} ({how} {at + 1})")
        elif meaning in fills:
            value, origin = fills[meaning]
            lines.append(f"{meaning}: none — every row {_fill_words(meaning, value)} ({origin})")
            if origin == "now":  # never a silent "now"
                lines.append(f"  name the column with --{meaning}-column, or give --on")
        else:
            lines.append(f"{meaning}: none")
    for meaning, at in columns.unread:
        used = columns.at(meaning)
        instead = (
            f"{meaning}: column {used + 1}" if used is not None else f"--{meaning}-column reads it"
        )
        lines.append(
            f"warning: column {at + 1} '{shown(columns.header[at], 40)}' looks like a "
            f"{meaning} column but is not read ({instead})"
        )
    return lines


def _fill_words(meaning: str, value) -> str:
    if meaning == "date":
        from ..when import is_midnight

        shown = f"{value:%Y-%m-%d}" if is_midnight(value) else f"{value:%Y-%m-%d %H:%M %z}"
        if not is_midnight(value):
            shown = shown[:-2] + ":" + shown[-2:]
        return f"checked at {shown}"
    if meaning == "surface":
        return "checked for " + ", ".join(value)
    return f"on {value}"


def batch_summary(counts: dict[str, int]) -> str:
    """`1,980 results: allowed 1,020 · denied 800 · unknown 150 · error 10`."""
    words = ("allowed", "denied", "unknown", "error")
    parts = " · ".join(f"{v} {counts.get(v, 0):,}" for v in words)
    total = sum(counts.get(v, 0) for v in words)
    line = f"{plural(total, 'result')}: {parts}"
    skipped = counts.get("skipped", 0)
    if skipped:
        line += f" ({plural(skipped, 'empty row')} skipped)"
    return line


class BatchProgress:
    """Rows done, rows per second and elapsed time on a terminal's stderr."""

    def __init__(self, color: str) -> None:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.completed:,} rows"),
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
        rate = f"{rows / elapsed:,.0f} rows/s" if elapsed > 0 else ""
        self._progress.update(self._task, completed=rows, rate=rate)

    def stop(self) -> None:
        self._progress.stop()


# ---------------------------------------------------------------------- rules
