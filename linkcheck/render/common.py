"""What every rendering shares: the verdict colours and marks, the rich console, JSON text,
day counts said in words, and cells made safe for a terminal."""

from __future__ import annotations

from ..errors import escape_controls

# one colour per verdict; bold where a verdict is the answer itself
COLOUR = {"allowed": "green", "denied": "red", "unknown": "yellow"}
VERDICT_STYLE = {verdict: f"bold {colour}" for verdict, colour in COLOUR.items()}
VERDICT_MARK = {"allowed": "✔", "denied": "✘", "unknown": "?"}
GLYPH = {"allowed": "█", "denied": "░", "unknown": "▒"}  # tell apart without colour too
BEYOND_GLYPH = "·"  # past the horizon: unknown because the rules end


def console(color: str = "auto", stderr: bool = False):
    from rich.console import Console

    force = True if color == "always" else None
    if color == "never":  # no escape code at all: no colour, and no bold or dim either
        return Console(stderr=stderr, color_system=None, highlight=False, soft_wrap=False)
    return Console(stderr=stderr, force_terminal=force, highlight=False, soft_wrap=False)


def to_json(document) -> str:
    import json

    return json.dumps(document, ensure_ascii=False, indent=2)


def plural(count: int, word: str) -> str:
    """`1 result`, `2 results`, `1,980 rows`."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def days_word(days: int) -> str:
    """A day count from today: `today`, `tomorrow`, `in 3 days`."""
    return "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"


def escape_cell(text: str) -> str:
    """A cell for the terminal: markup escaped, control characters shown as escapes."""
    from rich.markup import escape

    return escape(escape_controls(text))
