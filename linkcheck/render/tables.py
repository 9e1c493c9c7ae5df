"""Listings and tables: aligned columns, the batch table, summary and progress, and the
`rules` views."""

from __future__ import annotations

from ..model import VERDICT_OF, Rule
from .check import citation_text, window_text
from .common import COLOUR, VERDICT_STYLE, console, escape_cell


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


def horizon_listing(catalog, platform: str | None = None) -> list[str]:
    """`rules list`: how far the loaded rules reach, a line per platform."""
    lines = []
    for ident in catalog.platforms:
        if platform is not None and ident != platform:
            continue
        h = catalog.horizons.get(ident)
        if h is None:
            lines.append(f"horizon {ident}: none stated (answers never expire)")
        else:
            lines.append(
                f"horizon {ident}: through {h.through} (as of {h.as_of}, {h.file}); "
                "later instants are unknown"
            )
    return lines


def rule_lines(rule: Rule, zone, horizon=None) -> list[str]:
    """`rules show`: one field a line."""
    kind = "inclusive days" if rule.start_text and len(rule.start_text) == 10 else "instants"
    fields = [
        ("platform", rule.platform),
        ("verdict", f"{rule.word} ({rule.outcome})"),
        ("sources", ", ".join(rule.sources_text)),
        ("surfaces", ", ".join(rule.surfaces_text)),
        ("window", f"{window_text(rule)} ({kind}, {getattr(zone, 'key', zone)})"),
        ("note", rule.note or "-"),
        ("citation", citation_text(rule) or "-"),
        ("file", f"{rule.file}, rule #{rule.position}"),
        (
            "horizon",
            f"{rule.platform} rules reach through {horizon.through} (as of {horizon.as_of})"
            if horizon
            else "none stated",
        ),
    ]
    return [rule.id] + [f"  {name:<9} {value}" for name, value in fields]


def print_rules_table(out, rows: list[dict], at) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"rules at {at:%Y-%m-%d %H:%M %z}", header_style="bold")
    for name in ("id", "platform", "verdict", "sources", "surfaces", "window", "in force", "file"):
        table.add_column(name, overflow="fold")
    for r in rows:
        table.add_row(
            escape(r["id"]),
            r["platform"],
            f"[{COLOUR[VERDICT_OF[r['verdict']]]}]{r['verdict']}[/]",
            escape(", ".join(r["sources"])),
            escape(", ".join(r["surfaces"])),
            escape(r["window"]),
            "[bold]yes[/]" if r["in_force"] else "[dim]no[/]",
            escape(r["file"]),
        )
    out.print(table)
