"""Plain text that fits the terminal: display width (a CJK character takes two columns),
wrapping at spaces or between CJK characters (never inside a word or an id, unless one is
longer than a whole line), and listings that wrap their cells or become records."""

from __future__ import annotations

import re
import shutil
import unicodedata

# words and spaces; a word of CJK text wider than _LONG_CJK columns (a sentence) may break
# between its CJK characters, a shorter one (天猫官方旗舰店, JD自营) is kept whole
_TOKEN = re.compile(r"\S+|\s+")
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
# 避头尾: a line never starts with closing punctuation nor ends with opening punctuation, so
# each stays with the character it belongs to
_CLOSE = "，。、；：？！）」』】〉》〕”’…・"
_OPEN = "（「『【〈《〔“‘"
_PIECE = re.compile(
    f"[{_OPEN}]*(?:[{_CJK}]|[^{_CJK}{_OPEN}{_CLOSE}]+)[{_CLOSE}]*|[{_OPEN}{_CLOSE}]+"
)
# the same rule for the half-width marks that Chinese text meets (in ids, data, quotes)
_CLOSERS = _CLOSE + ",.:;?!)]}"
_OPENERS = _OPEN + "([{"
_LONG_CJK = 20
MIN_WIDTH = 40  # narrower than this, text is wrapped as if 40 columns were there


def terminal_width() -> int:
    """Columns of the terminal (COLUMNS if set), 80 when there is none."""
    return max(MIN_WIDTH, shutil.get_terminal_size((80, 24)).columns)


def width_of(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int, indent: int = 0, first: int | None = None) -> list[str]:
    """`text` as lines of at most `width` columns; lines after the first start with `indent`
    spaces. `first` is the width the first line has (default `width`)."""
    lines: list[str] = []
    line, used = "", 0
    room = width if first is None else first
    for unit in _units(text):
        size = width_of(unit)
        if unit.isspace():
            # kept: the text's own indent, or a space inside a line
            if (line or not lines) and used + size < room:
                line, used = line + unit, used + size
            elif line:  # a space where the line ends: the line breaks here
                lines.append(line.rstrip())
                line, used, room = " " * indent, indent, width
            continue
        if used + size > room and line.strip():
            lines.append(line.rstrip())
            line, used, room = " " * indent, indent, width
        while used + size > room:  # one word longer than a whole line: cut it
            cut = _cut(unit, room - used)
            lines.append(line + unit[:cut])
            unit = unit[cut:]
            size = width_of(unit)
            line, used, room = " " * indent, indent, width
        line, used = line + unit, used + size
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def _units(text: str):
    """The pieces a line may break between: words, spaces, and in a long CJK word each
    character with the punctuation that must stay with it (避头尾: a piece that starts with
    closing punctuation joins the one before it, one that ends with opening punctuation
    the one after it)."""
    held = ""
    for unit in _pieces(text):
        joins = unit[0] in _CLOSERS or (held and held[-1] in _OPENERS)
        if joins and held and not unit.isspace() and not held.isspace():
            held += unit
            continue
        if held:
            yield held
        held = unit
    if held:
        yield held


def _pieces(text: str):
    for token in _TOKEN.findall(text):
        if token.isascii() or token.isspace() or width_of(token) <= _LONG_CJK:
            yield token
        else:
            yield from _PIECE.findall(token)


def _cut(word: str, room: int) -> int:
    """Where a word longer than a line is cut: as many characters as fit in `room`, less
    any that would leave closing punctuation to start the next line or opening punctuation
    to end this one; at least one."""
    used, cut = 0, len(word)
    for i, ch in enumerate(word):
        used += width_of(ch)
        if used > room:
            cut = max(1, i)
            break
    else:
        return cut
    while cut > 1 and (word[cut] in _CLOSERS or word[cut - 1] in _OPENERS):
        cut -= 1
    return cut


def fitted(text: str, indent: int = 0, width: int | None = None) -> str:
    """`text` wrapped to `width` (default: the terminal's) as one string: what a command
    echoes as one logical line."""
    return "\n".join(wrap(text, width or terminal_width(), indent))


def listing(cells: list[list[str]], width: int, gap: int = 2) -> list[str]:
    """Rows of cells (the first row the header) aligned in columns when they fit `width`;
    otherwise each row becomes a record: its first cell, then one `header  value` line for
    each other cell that is not empty, wrapped under its value, records apart by a blank."""
    count = len(cells[0])
    natural = [max(width_of(row[i]) for row in cells) for i in range(count)]
    if sum(natural) + gap * (count - 1) <= width:
        return _aligned(cells, natural, gap)
    return _records(cells, width)


def _aligned(cells: list[list[str]], widths: list[int], gap: int) -> list[str]:
    lines = []
    for row in cells:
        parts = [cell + " " * (w - width_of(cell)) for cell, w in zip(row, widths, strict=True)]
        lines.append((" " * gap).join(parts).rstrip())
    return lines


def _records(cells: list[list[str]], width: int) -> list[str]:
    header, *rows = cells
    names = [h.lower() for h in header]
    label = max(width_of(h) for h in names[1:]) + 4  # "  name  "
    lines: list[str] = []
    for row in rows:
        if lines:
            lines.append("")
        lines.extend(wrap(row[0], width))
        for name, value in zip(names[1:], row[1:], strict=True):
            if value not in ("", "-"):
                head = f"  {name}" + " " * (label - 2 - width_of(name))
                lines.extend(wrap(head + value, width, indent=label))
    return lines
