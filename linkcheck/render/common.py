"""What every rendering shares: the verdict colours and marks, the rich console, JSON text,
day counts said in words, and the one way text reaches a terminal (echo, the console):
escaped, whatever it came from — a rules file, an argument, a checklist."""

from __future__ import annotations

import contextlib
import errno
import os
import sys

from ..errors import escape_controls
from ..i18n import gettext as _

# one colour per verdict; bold where a verdict is the answer itself
COLOUR = {"allowed": "green", "denied": "red", "unknown": "yellow"}
VERDICT_STYLE = {verdict: f"bold {colour}" for verdict, colour in COLOUR.items()}
VERDICT_MARK = {"allowed": "✔", "denied": "✘", "unknown": "?"}
GLYPH = {"allowed": "█", "denied": "░", "unknown": "▒"}  # tell apart without colour too
BEYOND_GLYPH = "·"  # past the horizon: unknown because the rules end


def _unsafe(ch: str) -> bool:
    """A character a terminal must not receive as it is: a control (C0 but line end and
    tab, DEL, C1), a format character (bidi overrides and isolates, zero-width ones), a line
    or paragraph separator, a lone surrogate, a private or unassigned code point. Spaces of
    every width (the ideographic space of Chinese text) are shown as they are."""
    if ch.isprintable() or ch in "\n\t":
        return False
    import unicodedata

    return unicodedata.category(ch) != "Zs"


def terminal_text(text: str) -> str:
    """`text` as it may reach a terminal: every unsafe character (see _unsafe) shown as its
    escape (`\\x1b`, `\\u202e`), so no escape sequence or bidi override from an input acts
    on the terminal. Everything the CLI writes for a person passes here (echo, the console)."""
    if text.isprintable() or text.replace("\n", "").replace("\t", "").isprintable():
        return text
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if _unsafe(ch) else ch for ch in text
    )


def echo(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Write `text` for a person on stdout (stderr with `err`), escaped by terminal_text:
    the one place the commands' words are written. A stdout closed before the run began
    (`linkcheck … >&-`) is a closed pipe (BrokenPipeError); a closed stderr hears nothing,
    nor one that cannot be written (`2>/dev/full`, a pipe closed): there is nowhere left to
    say it, and the exit code says the rest (it was 1, denied, for an unreadable input:
    the error about the error was lost too, a trial)."""
    import click

    if (sys.stderr if err else sys.stdout) is None:
        if err:
            return
        # no errno: click's own EPIPE handling (which wraps the missing stdout) stays out
        raise BrokenPipeError("stdout is closed")
    if not err:
        click.echo(terminal_text(text), err=err, nl=nl)
        return
    with contextlib.suppress(OSError):
        click.echo(terminal_text(text), err=True, nl=nl)


_SAFE_CONSOLE = None


def _safe_console_class():
    """rich's Console, with every text it is given escaped by terminal_text: a str as it
    comes in (before markup and layout), and any other text (a Text, a table's cells) as
    segments, just before they are written."""
    global _SAFE_CONSOLE
    if _SAFE_CONSOLE is None:
        from rich.console import Console
        from rich.segment import Segment

        class SafeConsole(Console):
            def on_broken_pipe(self) -> None:
                # rich exits 1 here; the command's own handling keeps its exit code
                # (`check … --format text | head -1` said 1, denied, of an allowed answer)
                self.quiet = True
                raise BrokenPipeError(errno.EPIPE, "the output was closed")

            def render_str(self, text: str, **kwargs):
                return super().render_str(terminal_text(text), **kwargs)

            def render(self, renderable, options=None):
                for segment in super().render(renderable, options):
                    text = segment.text
                    if segment.control or text.isprintable() or text == "\n":
                        yield segment
                    else:
                        yield Segment(terminal_text(text), segment.style, segment.control)

        _SAFE_CONSOLE = SafeConsole
    return _SAFE_CONSOLE


def console(color: str = "auto", stderr: bool = False):
    """The console a view is drawn on: rich, with every text escaped (terminal_text)."""
    Console = _safe_console_class()
    force = True if color == "always" else None
    # rich takes COLUMNS as it is: at 0 it drew nothing, and at 1 or 2 a batch table never
    # ended (a loop); the width the rest of the output takes instead (COLUMNS, at least 40)
    from .fit import terminal_width

    width = terminal_width() if os.environ.get("COLUMNS", "").isdigit() else None
    shared = {"stderr": stderr, "highlight": False, "soft_wrap": False, "width": width}
    if color == "never":  # no escape code at all: no colour, and no bold or dim either
        return Console(color_system=None, **shared)
    if color == "always":  # asked for: colour, whatever NO_COLOR says (rich kept bold alone)
        return Console(force_terminal=True, no_color=False, **shared)
    return Console(force_terminal=force, **shared)


def to_json(document) -> str:
    """A JSON document as text, Chinese as it is; the characters a terminal must not
    receive (see _unsafe) are written as JSON escapes (`\\u001b`, `\\u202e`, a lone
    surrogate `\\ud800`), which read back as the same value."""
    import json

    text = json.dumps(document, ensure_ascii=False, indent=2)
    if text.replace("\n", "").isprintable():
        return text
    return "".join(_json_escape(ch) if ch != "\n" and _unsafe(ch) else ch for ch in text)


def _json_escape(ch: str) -> str:
    point = ord(ch)
    if point > 0xFFFF:  # a UTF-16 pair, as JSON spells a code point past the BMP
        point -= 0x10000
        return f"\\u{0xD800 + (point >> 10):04x}\\u{0xDC00 + (point & 0x3FF):04x}"
    return f"\\u{point:04x}"


def days_word(days: int) -> str:
    """A day count from today: `today`, `tomorrow`, `in 3 days`."""
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    return _("in {days} days").format(days=days)


def surface_label(surface: str, names: dict[str, str]) -> str:
    """A surface (or a platform) in a view for people: its id in English (what -s and
    --platform take), its Chinese name in Chinese."""
    from ..i18n import language

    return names.get(surface, surface) if language() == "zh" else surface


def escape_cell(text: str) -> str:
    """A cell for the terminal: markup escaped, control characters shown as escapes."""
    from rich.markup import escape

    return escape(escape_controls(text))
