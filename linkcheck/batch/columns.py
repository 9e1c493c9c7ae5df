"""Which column of a checklist means what: found by header name, or named by the user
(`--date-column 直播时间`, `--url-column 3`), with the headers that look like a meaning but
were not read named, so that nothing is ignored silently."""

from __future__ import annotations

from dataclasses import dataclass, field

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
        "推广形式",
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
    "surface": ("场景",),
    "platform": ("平台", "platform"),
}


@dataclass(frozen=True)
class Columns:
    """Where each known column is in the header (None: absent), how each was found, and
    the headers that look like a meaning but were not read."""

    source: int | None
    url: int | None
    surface: int | None
    date: int | None
    platform: int | None
    width: int = 0  # the header's length
    header: tuple[str, ...] = ()
    named: frozenset[str] = frozenset()  # meanings the user named with --<meaning>-column
    unread: tuple[tuple[str, int], ...] = field(default=())  # (meaning, column) look-alikes

    @classmethod
    def find(cls, header: list[str], chosen: dict[str, str] | None = None) -> Columns:
        """The columns of `header`; `chosen` maps a meaning to the header text or 1-based
        position the user named for it."""
        found = {m: _named(header, m, text) for m, text in (chosen or {}).items() if text}
        _refuse_shared(header, found)
        wanted = {normalize(n): key for key, names in COLUMN_NAMES.items() for n in names}
        taken = set(found.values())
        for i, name in enumerate(header):
            key = wanted.get(normalize(name.lstrip("\ufeff")))
            if key and key not in found and i not in taken:
                found[key] = i
                taken.add(i)
        unread = tuple(
            (meaning, i)
            for i, name in enumerate(header)
            if i not in taken and (meaning := _looks_like(name))
        )
        columns = cls(
            **{m: found.get(m) for m in MEANINGS},
            width=len(header),
            header=tuple(header),
            named=frozenset(m for m in found if chosen and chosen.get(m)),
            unread=unread,
        )
        if columns.source is None and columns.url is None:
            shown = ", ".join(header[:8]) or "(none)"
            raise InputError(
                N_(
                    "no source or url column among: {text}\n  name one 'source' (来源) or "
                    "'url' (链接, 商品链接), or choose it with --source-column/--url-column"
                ),
                text=shown,
            )
        return columns

    def at(self, meaning: str) -> int | None:
        return getattr(self, meaning)


def _named(header: list[str], meaning: str, text: str) -> int:
    """The column a --<meaning>-column names: its header text (exactly, then compared as
    names are), else its 1-based position."""
    if text in header:
        return header.index(text)
    key = normalize(text)
    matches = [i for i, name in enumerate(header) if normalize(name) == key]
    if matches:
        return matches[0]
    if text.strip().isdigit() and text.strip().isascii():
        position = int(text)
        if 1 <= position <= len(header):
            return position - 1
    shown = ", ".join(f"{i}:{name}" for i, name in enumerate(header[:12], start=1))
    more = " …" if len(header) > 12 else ""
    raise InputError(
        N_(
            "--{meaning}-column '{text}' is not a column of the input; give a "
            "header or a position from 1 to {count} ({columns}{more})"
        ),
        meaning=meaning,
        text=text,
        count=len(header),
        columns=shown,
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
                header=header[i],
            )
        seen[i] = meaning


def _looks_like(name: str) -> str | None:
    key = normalize(name)
    for meaning, fragments in LOOKALIKES.items():
        if any(f in key for f in fragments):
            return meaning
    return None
