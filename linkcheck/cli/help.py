"""--help text that fits the terminal: click measures a Chinese character as one column,
so its help would overflow by as many columns as it has CJK characters; this formatter
wraps with display widths (linkcheck.render.fit)."""

from __future__ import annotations

import click

from ..render.fit import width_of, wrap


class FitFormatter(click.HelpFormatter):
    def write_text(self, text: str) -> None:
        indent = self.current_indent
        for line in _paragraphs(text, self.width, indent):
            self.write(f"{line}\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((width_of(first) for first, _ in rows), default=0), col_max)
        first_col += col_spacing
        indent = self.current_indent
        for first, second in rows:
            head = " " * indent + first
            if not second:
                self.write(head + "\n")
                continue
            if width_of(first) <= first_col - col_spacing:
                head += " " * (first_col - width_of(first))
            else:
                self.write(head + "\n")
                head = " " * (first_col + indent)
            text_width = max(self.width - first_col - indent, 10)
            lines = wrap(" ".join(second.split()), text_width)
            self.write(head + lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (first_col + indent) + line + "\n")


def _paragraphs(text: str, width: int, indent: int) -> list[str]:
    """click's paragraphs: apart by a blank line; one starting with \\b is kept as written."""
    lines: list[str] = []
    for block in text.split("\n\n"):
        rows = block.splitlines()
        if not rows:
            continue
        if lines:
            lines.append("")
        if rows[0].strip() == "\b":
            lines.extend(" " * indent + row for row in rows[1:])
            continue
        own = len(rows[0]) - len(rows[0].lstrip())
        joined = " ".join(row.strip() for row in rows)
        lead = " " * (indent + own)
        lines.extend(wrap(lead + joined, width, indent + own))
    return lines
