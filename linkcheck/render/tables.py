"""Listings and tables: aligned columns, the batch table, summary and progress, and the
`rules` views."""

from __future__ import annotations

from .common import VERDICT_STYLE, console, escape_cell


def _cell(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(value) if value else "-"
    return "-" if value in (None, "") else str(value)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def columns_text(rows: list[dict], columns: tuple[str, ...]) -> list[str]:
    """Aligned columns with a header; the last column is not padded."""
    columns = tuple(c for c in columns if any(c in r for r in rows))
    cells = [[c.upper() for c in columns]] + [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(columns) - 1)]
    lines = []
    for row in cells:
        padded = [cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=False)]
        lines.append("  ".join([*padded, row[-1]]).rstrip())
    return lines


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


def batch_table(names: list[str], rows: list[list[str]]):
    """A block of batch output rows as a rich Table, the verdict coloured."""
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    verdict_at = len(names) - 4  # surface, verdict, rule, next_change, note
    for i, name in enumerate(names):
        table.add_column(name, overflow="fold", no_wrap=verdict_at - 1 <= i <= verdict_at + 1)
    for row in rows:
        cells = [*row, *([""] * (len(names) - len(row)))][: len(names)]
        style = VERDICT_STYLE.get(cells[verdict_at], "bold magenta")
        cells[verdict_at] = f"[{style}]{cells[verdict_at]}[/]"
        table.add_row(*(c if i == verdict_at else escape_cell(c) for i, c in enumerate(cells)))
    return table


def batch_summary(counts: dict[str, int]) -> str:
    """`1,980 results: allowed 1,020 · denied 800 · unknown 150 · error 10`."""
    words = ("allowed", "denied", "unknown", "error")
    parts = " · ".join(f"{v} {counts.get(v, 0):,}" for v in words)
    return f"{sum(counts.values()):,} results: {parts}"


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
