"""--help text in the user's language that fits the terminal. A command's help, an option's
help and a command's short help are messages of the catalog (their English text is the
msgid) and are translated here, when shown; click's own words go through the same catalog
(cli/__init__). click measures a Chinese character as one column, so its help would
overflow by as many columns as it has CJK characters; this formatter wraps with display
widths (linkcheck.render.fit)."""

from __future__ import annotations

import click

from ..i18n import gettext as _
from ..render.fit import width_of, wrap


class FitFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:  # click puts a space after "Usage:", none goes after "用法："
            word = _("Usage:")
            prefix = word if not word.isascii() else word + " "
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        colon = ":" if heading.isascii() else "："  # a Chinese heading takes a Chinese colon
        self.write(f"{'':>{self.current_indent}}{heading}{colon}\n")

    def write_text(self, text: str) -> None:
        indent = self.current_indent
        for line in _paragraphs(_(text), self.width, indent):
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
            lines = wrap(" ".join(translated(second).split()), text_width)
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


def translated(help_text: str) -> str:
    """An option's or a command's help in the current language; click's `  [default: …]`
    after it is translated by click's own words."""
    text, mark, extra = help_text.partition("  [")
    return _(text) + mark + extra
