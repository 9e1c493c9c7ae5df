"""How user-typed names compare: case, width, spaces, `_`/`-` and traditional or simplified
script do not matter."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# spaces, `_`, `-`, the dashes NFKC leaves as they are (‐ ‑ ‒ – — ― −), and the characters
# of no width a copy from a web page brings along (zero-width space, joiners, word joiner,
# BOM)
_SEPARATORS = re.compile(r"[\s_\-\u2010-\u2015\u2212\u200b-\u200d\u2060\ufeff]+")


def _han(char: str) -> bool:
    """A Chinese character (CJK Unified Ideographs and Extension A, Compatibility
    Ideographs)."""
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


# Traditional Chinese characters of the names, headers and dates linkcheck reads, as their
# simplified forms (天貓 is 天猫, 京東自營 京东自营, 來源 来源, 短視頻 短视频, 晚上8點 晚上8点): a
# checklist typed in Hong Kong or Taiwan, or pasted from a traditional-script page, reads as
# one in simplified script. Only characters with one simplified form are here.
_TRADITIONAL = str.maketrans(
    "專東賣發臺國場媽寶帶廣開掛時來貓電網聯艦營視詳貝貨購車裡裏鋪舖鏈間際頁預頻黃點號兩禮週雙個後這淩選單",
    "专东卖发台国场妈宝带广开挂时来猫电网联舰营视详贝货购车里里铺铺链间际页预频黄点号两礼周双个后这凌选单",
)


# characters of no width a copy from a web page or a chat brings along at a text's ends:
# zero-width space, non-joiner and joiner, word joiner, BOM (str.strip() keeps them)
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def trimmed(text: str) -> str:
    """`text` without spaces or characters of no width at its ends."""
    return text.strip().strip(INVISIBLE).strip()


def simplified(text: str) -> str:
    """`text` with the traditional characters of _TRADITIONAL in their simplified forms."""
    return text.translate(_TRADITIONAL)


def normalize(name: str) -> str:
    """`ＴＭＡＬＬ`, ` Tmall `, `jd_self`, `JD self` and `_jd–self_` compare as `tmall`,
    `jd-self`; `京东 自营` and `JD 自营` as `京东自营`, `jd自营`: a separator beside a Chinese
    character, where Chinese writes none (a space between Chinese and Latin letters is
    typography), is dropped. (Not a regular expression with those ranges: compiling one was a
    twentieth of a cold `check`.)"""
    text = simplified(unicodedata.normalize("NFKC", name).strip().casefold())
    text = _SEPARATORS.sub("-", text)
    text = text.strip("-") or text  # `_天猫_` is `天猫`; `-` alone a name still, not an empty one
    if "-" not in text or text == "-":
        return text
    parts = text.split("-")  # no two separators are adjacent, nor one at an end
    out = [parts[0]]
    for part in parts[1:]:
        if _han(out[-1][-1]) or _han(part[0]):
            out[-1] += part
        else:
            out.append(part)
    return "-".join(out)


def looks_like_link(text: str) -> bool:
    """Whether SOURCE is meant as a link rather than a name: names have no . / : \\ or @,
    nor a Taobao share code's ￥ (the link parser says what that is). (Here, not in
    links.py: a cold `check` of a name need not import the link parser.)"""
    return any(ch in text for ch in "./:\\@￥")


LONGEST_NAME = 64  # no id or alias is longer; a longer input gets no "did you mean" search


def closest(
    name: str, choices: dict[str, str], n: int = 3, later: frozenset[str] = frozenset()
) -> list[str]:
    """Ids whose id or alias is close to `name`, closest first; `choices` maps normalized
    alias → id. Ids in `later` (groups, when a single source is more likely meant) rank
    after others that are as close."""
    import difflib  # only on the error path

    key = normalize(name)
    if len(key) > LONGEST_NAME or not any(ch.isalnum() for ch in key):  # `-`, `(`: no hint
        return []
    cutoff = 0.5 if len(key) <= 3 else 0.6  # `天苗` is one character off `天猫`: half of it
    best: dict[str, tuple[float, float]] = {}  # id → its score, and its closest spelling
    matcher = difflib.SequenceMatcher(b=key, autojunk=False)
    for alias, ident in choices.items():
        matcher.set_seq1(alias)
        ratio = matcher.ratio() if matcher.quick_ratio() >= cutoff else 0.0
        score = ratio
        # one inside the other, as close as the shorter is long: at the start, as a name is
        # cut short or added to (`sur` → surfaces, `jd` → jd-self, `天猫旗舰` → tmall, `ksx` →
        # kuaishou's ks); further in, less so — a long name is not close for holding the
        # key (Taobao shops (not Tmall) holds `tmal`); a lone letter is in too many to say
        if min(len(alias), len(key)) >= 2 and (alias in key or key in alias):
            base = 0.6 if alias.startswith(key) or key.startswith(alias) else 0.45
            score = max(score, base + 0.4 * min(len(alias), len(key)) / max(len(alias), len(key)))
        if _swapped(alias, key):  # two letters typed the other way round: `lsit` is list
            score = max(score, 0.9)
        if ident in later:
            score -= 0.05
        score = round(score, 9)  # 0.75 - 0.05 and 0.7 are as close: a tie, told by ratio
        if score >= cutoff and (score, ratio) > best.get(ident, (0.0, 0.0)):
            best[ident] = (score, ratio)
    # the closest first; as close, the nearer spelling
    ranked = sorted(best, key=lambda ident: (-best[ident][0], -best[ident][1]))
    return ranked[:n]


def _swapped(a: str, b: str) -> bool:
    """Whether `b` is `a` with two neighbouring characters the other way round."""
    if len(a) != len(b) or a == b:
        return False
    at = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return len(at) == 2 and at[1] == at[0] + 1 and a[at[0]] == b[at[1]] and a[at[1]] == b[at[0]]


class did_you_mean:  # used like the function it was: f"…{did_you_mean(ids)}"
    """` (did you mean 'tmall'?)`, said in the language of whoever shows it: an error is
    raised once and may be shown to a person (Chinese) and written to a checklist's note
    (English)."""

    __slots__ = ("_find", "_ids", "named")

    def __init__(self, ids: list[str] | Callable[[], list[str]], named=None) -> None:
        # the ids, or what finds them (closest(), with its arguments): then the search runs
        # when the hint is first shown, and not for an error a caller only tests for (a
        # checklist's sampled cells are each asked whether they name a source)
        self._find: Callable[[], list[str]] | None = ids if callable(ids) else None
        self._ids: list[str] | None = None if callable(ids) else ids
        self.named = named  # language → {id: display name}, asked when shown in Chinese

    @property
    def ids(self) -> list[str]:
        if self._ids is None:
            assert self._find is not None
            self._ids, self._find = self._find(), None
        return self._ids

    def __str__(self) -> str:
        if not self.ids:
            return ""
        from .i18n import gettext as _
        from .i18n import language

        named: dict[str, str] = {}
        if self.named is not None and language() == "zh":
            named = self.named("zh")
        shown = [
            _("'{id}' ({name})").format(id=i, name=named[i])
            if named.get(i, i) != i else f"'{i}'"
            for i in self.ids
        ]  # fmt: skip
        names = _(" or ").join(shown)
        return _(" (did you mean {names}?)").format(names=names)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __bool__(self) -> bool:
        return bool(self.ids)
