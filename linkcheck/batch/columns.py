"""Which column of a checklist means what: found by header name, or named by the user
(`--date-column 直播时间`, `--url-column 3`), with the headers that look like a meaning but
were not read named, so that nothing is ignored silently."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..errors import shown
from ..i18n import N_
from ..names import normalize
from .formats import InputError

MEANINGS = ("source", "url", "surface", "date", "platform")

# Header names that mean each column, compared after normalize() (case, width, space, _/-):
# the words of Kuaishou, Douyin and Taobao export sheets and of hand-made checklists.
# A product id (商品ID, item_id) is not a link and is not read as one.
COLUMN_NAMES = {
    "source": (
        "source", "source-id", "origin", "shop-source",
        "来源", "货源", "商品来源", "来源平台", "电商平台", "货源平台", "商品平台", "店铺来源",
        "带货来源",
    ),
    "url": (
        "url", "link", "product-url", "product-link", "item-url", "item-link", "goods-url",
        "链接", "商品链接", "推广链接", "网址", "链接地址", "商品地址", "商品网址", "宝贝链接",
        "商品url", "带货链接", "挂车链接", "购物车链接", "小黄车链接", "商品链接地址",
    ),
    "surface": (
        "surface", "scene", "placement",
        "场景", "投放场景", "投放位置", "挂链位置", "位置", "带货方式", "推广方式", "带货形式",
        "推广形式", "直播形式", "投放形式", "形式", "挂链形式", "挂链场景",
    ),
    "date": (
        "date", "on", "when", "datetime", "live-date", "live-time", "stream-date",
        "publish-date", "post-date",
        "日期", "时间", "投放日期", "直播日期", "开播日期", "发布日期", "直播时间", "开播时间",
        "投放时间", "发布时间", "推广日期", "推广时间", "带货日期", "带货时间", "排期",
        "直播排期", "排期日期",
    ),
    "platform": (
        "platform", "平台", "投放平台", "直播平台", "带货平台", "发布平台",
    ),
}  # fmt: skip

# Fragments of a header that suggest a meaning: a header holding one that is not read is
# named in a warning (`结束时间`, `Live Date 2`, `商品链接(备用)`).
LOOKALIKES = {
    "date": ("日期", "时间", "date", "time", "排期"),
    "url": ("链接", "网址", "url", "link"),
    "source": ("来源", "货源"),
    "surface": ("场景", "形式", "渠道", "位置", "挂链", "scene", "placement", "channel"),
    "platform": ("平台", "platform"),
}
SAMPLE_ROWS = 50  # rows whose cells say what an unread column holds (Columns.with_samples)
SAMPLE_CELL = 2048  # characters of a sampled cell kept (a longer one is no name or link)


@dataclass(frozen=True)
class Columns:
    """Where each known column is in the header (None: absent), how each was found, and
    the columns that look like a meaning but were not read.

    `header` holds the input's columns, then (JSON Lines) the dotted paths of its nested
    fields, the last `nested` of them: a meaning may be read from one of those too."""

    source: int | None
    url: int | None
    surface: int | None
    date: int | None
    platform: int | None
    width: int = 0  # the header's length, nested fields included
    header: tuple[str, ...] = ()
    named: frozenset[str] = frozenset()  # meanings the user named with --<meaning>-column
    unread: tuple[tuple[str, int], ...] = field(default=())  # (meaning, column) look-alikes
    nested: int = 0  # how many of the header's names are nested fields (at its end)
    # (column, a cell) of the unread columns whose cells, not only their header, say what
    # they hold (with_samples)
    held: tuple[tuple[int, str], ...] = ()

    @classmethod
    def find(cls, header: list[str], chosen: dict[str, str] | None = None, *,
             nested: tuple[str, ...] = (), row: int | None = None) -> Columns:  # fmt: skip
        """The columns of `header`; `chosen` maps a meaning to the header text or 1-based
        position the user named for it; `nested`: the dotted paths of nested fields (JSON
        Lines), found by the same names as columns (their last key), after the columns;
        `row`: the sheet's row number of the header (said when none is found)."""
        names = [*header, *nested]
        found = {
            m: _named(names, m, text, len(header)) for m, text in (chosen or {}).items() if text
        }
        _refuse_shared(names, found)
        wanted = {normalize(n): key for key, names in COLUMN_NAMES.items() for n in names}
        taken = set(found.values())
        for i, name in enumerate(names):
            key = wanted.get(_name_key(name, i >= len(header)))
            if key and key not in found and i not in taken:
                found[key] = i
                taken.add(i)
        unread = tuple(
            (meaning, i)
            for i, name in enumerate(names)
            if i not in taken and (meaning := _looks_like(name))
        )
        columns = cls(
            found.get("source"),
            found.get("url"),
            found.get("surface"),
            found.get("date"),
            found.get("platform"),
            width=len(names),
            header=tuple(names),
            named=frozenset(m for m in found if chosen and chosen.get(m)),
            unread=unread,
            nested=len(nested),
        )
        if columns.source is None and columns.url is None:
            listed = ", ".join(shown(name, 40) for name in header[:8]) or "(none)"
            listed += " …" if len(header) > 8 else ""
            if row is None:
                raise InputError(
                    N_(
                        "no source or url column among: {text}\n  name one 'source' (来源) or "
                        "'url' (链接, 商品链接), or choose it with --source-column/--url-column"
                    ),
                    text=listed,
                )
            raise InputError(
                N_(
                    "no source or url column among: {text} (the header, row {row})\n  name one "
                    "'source' (来源) or 'url' (链接, 商品链接), choose it with "
                    "--source-column/--url-column, or give the header's row with --header-row"
                ),
                text=listed,
                row=row,
            )
        return columns

    def at(self, meaning: str) -> int | None:
        return getattr(self, meaning)

    def is_nested(self, at: int) -> bool:
        """Whether position `at` is a nested field (JSON Lines), not a column."""
        return at >= self.width - self.nested

    def with_samples(self, samples: list[list[str]], reads_as) -> Columns:
        """These columns, with every column not read whose sampled cells all read as one
        meaning (`reads_as(text)` → a meaning or None: a surface name, a product link …)
        named among the unread, with one of its cells: a column linkcheck could have used,
        whatever its header says."""
        taken = {i for i in (self.at(m) for m in MEANINGS) if i is not None}
        header_says = dict((i, m) for m, i in self.unread)
        unread: dict[int, str] = {}
        held = []
        for i in range(self.width):
            if i in taken:
                continue
            cells = [row[i].strip() for row in samples if i < len(row) and row[i].strip()]
            meaning = _one_meaning(dict.fromkeys(cells), reads_as)
            if meaning is not None:
                unread[i] = meaning
                held.append((i, cells[0]))
            elif i in header_says:
                unread[i] = header_says[i]
        return replace(
            self, unread=tuple((m, i) for i, m in sorted(unread.items())), held=tuple(held)
        )


def _one_meaning(cells, reads_as) -> str | None:
    """The meaning every cell reads as, or None (no cells, one that reads as none, two that
    read as two): the cells after the first that does not are not read (a title column's
    first cell: one reading, not fifty)."""
    meaning = None
    for cell in cells:
        found = reads_as(cell)
        if found is None or meaning not in (None, found):
            return None
        meaning = found
    return meaning


def _name_key(name: str, nested: bool) -> str:
    """A header name as it is compared with the known names: a nested field by its last key
    (`商品.链接` is a link)."""
    key = header_key(name)
    return key.rsplit(".", 1)[-1] if nested else key


# the marks a template puts on a header to say its column must or may be filled in: 来源*,
# *来源, ※链接, 来源（必填）, 【必填】商品链接, 日期(选填) (after normalize: NFKC, case folded)
_MARK = r"(?:[*※]+|[(\[【<](?:必填|选填|必须|可选|required|optional)[)\]】>])"
# 来源（例：天猫）, Source (e.g. tmall), 日期（格式：2022-11-11）, 日期(YYYY-MM-DD),
# 平台（快手/抖音）: a note at the end that shows what to write — an example, the form, or the
# choices (never another meaning: 链接(备用)) — and a label's colon (来源：)
_NOTE = (
    r"[(\[【<](?:(?:必填|选填|必须|可选|required|optional)[,;、]-?)?"  # 来源（必填，例：天猫）
    r"(?:(?:例|如|示例|举例|比如|格式|(?:e\.?g\.?|example|format|ex)(?![a-z])"
    r"|yyyy|yy|年)[^)\]】>]*|[^)\]】>/、|或]+(?:(?:[/、|]|或)[^)\]】>/、|或]+)+)[)\]】>]"
)
_MARKS = re.compile(rf"^{_MARK}-?|-?{_MARK}$|-?{_NOTE}$|:$")


def header_key(name: str) -> str:
    """A header cell as it is compared with the known names: normalized, without a
    byte-order mark, the marks of a field to fill in or a note showing what to write in it
    (a header of marks alone is itself)."""
    key = normalize(name.lstrip("\ufeff"))
    bare = key
    while bare and (bare[0] in "*※([【<" or bare[-1] in "*※)]】>:"):  # 来源（必填）*: each mark
        fewer = _MARKS.sub("", bare).strip("-")
        if fewer == bare:
            break
        bare = fewer
    return bare or key


def _named(header: list[str], meaning: str, text: str, columns: int | None = None) -> int:
    """The column a --<meaning>-column names: its header text or a nested field's dotted
    path (exactly, then compared as names are), else its 1-based position among the first
    `columns` (the columns, not the nested fields)."""
    if columns is None:
        columns = len(header)
    if text in header:
        return header.index(text)
    key = normalize(text)
    matches = [i for i, name in enumerate(header) if normalize(name) == key]
    if not matches:  # --source-column 来源 for a header 来源* (a template's mark)
        key = header_key(text)
        matches = [i for i, name in enumerate(header) if header_key(name) == key]
    if matches:
        return matches[0]
    if text.strip().isdigit() and text.strip().isascii():
        position = int(text)
        if 1 <= position <= columns:
            return position - 1
    listed = ", ".join(
        f"{i}:{shown(name, 40)}" for i, name in enumerate(header[: min(columns, 12)], start=1)
    )
    more = " …" if columns > 12 else ""
    header = header[:columns]
    raise InputError(
        N_(
            "--{meaning}-column '{text}' is not a column of the input; give a "
            "header or a position from 1 to {count} ({columns}{more})"
        ),
        meaning=meaning,
        text=shown(text),
        count=len(header),
        columns=listed,
        more=more,
    )


def _refuse_shared(header: list[str], found: dict[str, int]) -> None:
    seen: dict[int, str] = {}
    for meaning, i in found.items():
        if i in seen:
            raise InputError(
                N_(
                    "--{meaning}-column and --{other}-column both name column {number} "
                    "('{header}'); each meaning needs its own column"
                ),
                meaning=meaning,
                other=seen[i],
                number=i + 1,
                header=shown(header[i]),
            )
        seen[i] = meaning


def _looks_like(name: str) -> str | None:
    key = normalize(name)
    for meaning, fragments in LOOKALIKES.items():
        if any(f in key for f in fragments):
            return meaning
    return None
