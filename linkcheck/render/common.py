"""What every rendering shares: the verdict colours and marks, the rich console, JSON text,
day counts said in words, and cells made safe for a terminal."""

from __future__ import annotations

from ..errors import escape_controls
from ..i18n import gettext as _

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


def days_word(days: int) -> str:
    """A day count from today: `today`, `tomorrow`, `in 3 days`."""
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    return _("in {days} days").format(days=days)


def surface_label(surface: str, names: dict[str, str]) -> str:
    """A surface in a view for people: its id in English (what -s takes), its Chinese name
    in Chinese."""
    from ..i18n import language

    return names.get(surface, surface) if language() == "zh" else surface


def escape_cell(text: str) -> str:
    """A cell for the terminal: markup escaped, control characters shown as escapes."""
    from rich.markup import escape

    return escape(escape_controls(text))
