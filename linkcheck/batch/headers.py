"""Where a checklist's header is. Ops sheets start with a merged title (双11直播选品表) and
put the header on row 2 or 3: the header is the first of the first HEADER_SEARCH rows that
names a source or link column (or a column the user named by its header), the rows above
it are skipped and said; `--header-row N` sets it. Rows keep the sheet's own numbers."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, TypeVar

from ..errors import shown
from ..i18n import N_
from ..names import normalize
from .columns import header_key
from .formats import InputError

HEADER_SEARCH = 10  # rows (not counting empty ones) in which the header is looked for
ABOVE_SHOWN = 60  # characters of a skipped row said on stderr
# columns a checklist may have (header cells, counting empty ones between and at the end;
# JSON Lines: different keys). Each row is written as wide as its header, so this bounds
# what an output row adds to its input row: a header reaching column XFD (16,384) made an
# 823 MB CSV from a 254 KB workbook, and 20,000 keys a 402 MB one, in work of lines × keys
MAX_COLUMNS = 1024


def too_wide(count: int) -> InputError:
    return InputError(
        N_(
            "the header has {count} columns, more than the {limit} a checklist may have; "
            "remove the empty or unused columns"
        ),
        count=f"{count:,}",
        limit=f"{MAX_COLUMNS:,}",
    )


T = TypeVar("T")


@dataclass(frozen=True)
class Layout:
    """How the header is found: `header_row` (the sheet's 1-based row number) when the user
    gave it, else found; `chosen` the columns the user named ({meaning: header text or
    position}): a row holding one of those header texts is the header."""

    header_row: int | None = None
    chosen: Mapping[str, str] = field(default_factory=dict)
    sheet: str | None = None  # a workbook's sheet, by name or 1-based position; None: found


class SheetChoice(NamedTuple):
    """The sheet of a workbook of several that was read: its name, its position (1-based)
    among the workbook's sheets (`titles`), the visible sheets before it passed over for
    naming no source or link column, and whether --sheet named it."""

    name: str
    position: int
    titles: tuple[str, ...]
    passed: tuple[str, ...] = ()
    named: bool = False
    hidden: bool = False  # a hidden (or very hidden) sheet, which --sheet named


FOUND = Layout()  # the header found, no column named


@dataclass(frozen=True)
class Located(Generic[T]):
    """The header row found: its number, the non-empty rows above it (number, their text;
    the first HEADER_SEARCH of them, and how many `more` there were), and the rows read after
    it while looking (given back before the rest); a workbook's `merged` ranges below it,
    whose rows read the value Excel shows there."""

    row: T
    number: int
    above: tuple[tuple[int, str], ...]
    after: list[T]
    more: int = 0
    merged: tuple[str, ...] = ()  # a workbook's merged ranges below it (C4:C6), filled
    sheet: SheetChoice | None = None  # the sheet read, of a workbook of several


@functools.cache
def _header_words() -> dict[str, str]:
    from .columns import COLUMN_NAMES

    return {normalize(n): meaning for meaning, names in COLUMN_NAMES.items() for n in names}


def _filled(texts: list[str]) -> list[str]:
    return [t for t in texts if t.strip()]


def _names(texts: list[str], chosen: Mapping[str, str], meanings) -> bool:
    """Whether a row names a column: a header word of one of `meanings`, or a header text the
    user named a column by."""
    words = _header_words()
    named = {normalize(t) for t in chosen.values() if t and not t.strip().isdigit()}
    for text in texts:
        key = header_key(text)
        if key and (words.get(key) in meanings or key in named):
            return True
    return False


def names_a_key_column(texts: list[str], layout: Layout) -> bool:
    """Whether a row names a source or link column (or a column the user named by its
    header): what makes it a checklist's header."""
    return _names(texts, layout.chosen, ("source", "url"))


def row_text(texts: list[str]) -> str:
    """A skipped row as it is said: its filled cells, cut."""
    return shown(" ".join(t.strip() for t in _filled(texts)), ABOVE_SHOWN)


def locate(numbered: Iterator[tuple[int, T]], texts: Callable[[T], list[str]],
           layout: Layout) -> Located[T]:  # fmt: skip
    """The header among `numbered` rows ((sheet row number, row), in order; `texts(row)`
    its cell texts). Reads no further than the header, except when no row of the first
    HEADER_SEARCH names a column: then the header is the first of them that names a column
    of any other meaning, else the first with two or more filled cells (a title has one),
    else the first filled one, and the rows read after it are given back in `after`.
    Raises InputError when there is no header to find."""
    seen: list[tuple[int, T, list[str]]] = []
    if layout.header_row is not None:
        wanted = layout.header_row
        last = more = 0
        for number, row in numbered:
            cells = texts(row)
            if number == wanted:
                if not _filled(cells):
                    raise InputError(N_("--header-row {number}: row {number} is empty"),
                                     number=wanted)  # fmt: skip
                return Located(row, number, _above(seen), [], more)
            if number > wanted:  # a workbook leaves empty rows out
                raise InputError(N_("--header-row {number}: row {number} is empty"),
                                 number=wanted)  # fmt: skip
            if _filled(cells):  # said on stderr, the first HEADER_SEARCH; the rest counted
                if len(seen) < HEADER_SEARCH:
                    seen.append((number, row, cells))
                else:
                    more += 1
            last = number
        raise InputError(
            N_("--header-row {number}: the input has {count} rows"),
            number=wanted,
            count=last,
        )
    filled = 0
    for number, row in numbered:
        cells = texts(row)
        if not _filled(cells):
            seen.append((number, row, cells))
            continue
        if _names(cells, layout.chosen, ("source", "url")):
            return Located(row, number, _above(seen), [])
        seen.append((number, row, cells))
        filled += 1
        if filled == HEADER_SEARCH:
            break
    candidates = [i for i, (_n, _r, cells) in enumerate(seen) if _filled(cells)]
    if not candidates:
        raise InputError(N_("the file is empty: it needs a header row with a source or url column"))
    tiers = (
        lambda cells: _names(cells, {}, ("surface", "date", "platform")),
        lambda cells: len(_filled(cells)) >= 2,
        lambda cells: True,
    )
    at = next(i for tier in tiers for i in candidates if tier(seen[i][2]))
    number, row, _cells = seen[at]
    return Located(row, number, _above(seen[:at]), [r for _n, r, _c in seen[at + 1 :]])


def _above(seen) -> tuple[tuple[int, str], ...]:
    return tuple((number, row_text(cells)) for number, _row, cells in seen if _filled(cells))
