"""The vocabulary and the rules as plain immutable values, plus name lookup.

The values are NamedTuples rather than frozen dataclasses: they are as immutable, and
defining them costs a tenth of the import time, which a cold `linkcheck check` pays.

Window semantics are stated once, here: a rule is in force on [start, end) where both are
absolute instants (None = unbounded). The loader turns a TOML date `end` into the first
instant of the following day, so a date end is the last day, inclusive.
"""

# No `from __future__ import annotations` here: NamedTuple would compile every string
# annotation at import (a cold start pays ~1.5 ms for it); these annotations are cheap
# objects as they are.
import re
from collections.abc import Iterable
from datetime import date, datetime
from functools import partial
from typing import Any, NamedTuple

from .errors import UnknownNameError, shown
from .i18n import N_, Deferred
from .i18n import normalize as language_of
from .names import LONGEST_NAME, closest, did_you_mean, normalize

# The word in a rules file → the verdict a query answers.
VERDICT_OF = {"allow": "allowed", "deny": "denied", "unknown": "unknown"}
VERDICTS = ("allowed", "denied", "unknown")
# the surfaces a question is about when it names none
DEFAULT_SURFACES = ("livestream", "short-video")
_SURFACE_SPLIT = re.compile(r"[,，、;；|/+＋&＆]")  # 直播+短视频 is two surfaces too


# the kinds of names, as an error says them (translated when the error is shown)
KIND_WORDS = {"platform": N_("platform"), "source": N_("source"), "surface": N_("surface")}


class Citation(NamedTuple):
    """A sentence a rule rests on: the quote, where it is (a declared document, or a file
    name in older rules files), who said it, and what the rule reads into it beyond its
    words (`inference`), if anything."""

    quote: str
    source: str  # the document's file (as the rules file names it), or `source = "…"`
    by: str | None = None  # who said it: a platform, another party, or the author
    url: str | None = None
    document: str | None = None  # the id of a [documents.ID] entry
    inference: str | None = None  # what the rule reads into the quote beyond its words
    inference_zh: str | None = None  # the same in Chinese, when the rules file gives it

    def inference_for(self, language: str) -> str | None:
        """The inference in `language` (zh: inference_zh when there is one)."""
        return (self.inference_zh or self.inference) if language == "zh" else self.inference

    def as_dict(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {
            "quote": self.quote,
            "source": self.source,
            "document": self.document,
            "by": self.by,
            "inference": self.inference,
            "inference_zh": self.inference_zh,
        }
        if self.url:
            out["url"] = self.url
        return out


class Document(NamedTuple):
    """A text that rules cite ([documents.ID]): a file shipped beside the rules file, pinned
    by the sha256 of its bytes, so that `rules lint` can check every quote against it."""

    id: str
    file: str  # as the rules file writes it: relative to the rules file's folder
    sha256: str
    title: str = ""
    publisher: str = ""
    published: str = ""  # as precise as known: 2022, 2022-10, 2022-10-28
    url: str = ""
    path: str | None = None  # the file on disk; None when the rules came without a folder
    rules_file: str = ""  # the rules file that declares it

    @property
    def label(self) -> str:
        """How a citation names it for people: the title, else the id."""
        return self.title or self.id


class RulesFile(NamedTuple):
    """One loaded rules file: its name, declared `version`, and its bytes (for its hash)."""

    name: str
    version: str | None
    data: bytes
    folder: str | None = None  # where its documents are looked for

    @property
    def sha256(self) -> str:
        import hashlib  # only when a hash is shown: a cold plain `check` never needs it

        return hashlib.sha256(self.data).hexdigest()


class Platform(NamedTuple):
    """A platform whose livestreams and short videos carry product links (快手, 抖音); its
    `timezone` decides where its days begin."""

    id: str
    name: str
    aliases: tuple[str, ...]
    timezone: str
    file: str = ""
    name_zh: str = ""  # the Chinese name, when the rules file gives one


class Source(NamedTuple):
    """Where a product is sold (天猫, 京东自营 …); links on its `domains` prove it."""

    id: str
    name: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    file: str = ""
    name_zh: str = ""  # the Chinese name, when the rules file gives one


class Group(NamedTuple):
    """A name for "any of these sources" (淘宝联盟 = Tmall or Taobao): a link on one of its
    `domains` may be any of its `members`, so each is checked."""

    id: str
    name: str
    aliases: tuple[str, ...]
    members: tuple[str, ...]
    domains: tuple[str, ...]
    file: str = ""
    name_zh: str = ""  # the Chinese name, when the rules file gives one


class Surface(NamedTuple):
    """Where on a platform a link is placed (直播间购物车, 短视频购物车 …)."""

    id: str
    name: str
    aliases: tuple[str, ...]
    file: str = ""
    name_zh: str = ""  # the Chinese name, when the rules file gives one


class Rule(NamedTuple):
    id: str
    platform: str
    word: str  # the rules file's word: allow | deny | unknown (not a verdict: see outcome)
    sources: frozenset[str]  # source ids, groups expanded
    surfaces: frozenset[str] | None  # None = every surface ("*")
    start: datetime | None  # first instant in force; None = since always
    end: datetime | None  # first instant no longer in force; None = open-ended
    start_text: str | None  # the bounds as written in the file, for output
    end_text: str | None
    note: str
    citation: Citation | None
    file: str
    position: int  # 1-based index among the file's [[rule]] entries
    order: int  # load order across all files; a later rule wins a tie on start
    sources_text: tuple[str, ...] = ()  # as written (groups not expanded)
    surfaces_text: tuple[str, ...] = ()
    note_zh: str = ""  # the note in Chinese, when the rules file gives one
    also_cited: tuple[Citation, ...] = ()  # further sentences, after `citation`

    def citations(self) -> tuple[Citation, ...]:
        """Every sentence the rule cites, the first (`citation`) first."""
        if self.citation is None:
            return self.also_cited
        return (self.citation, *self.also_cited)

    def note_for(self, language: str) -> str:
        """The note in `language` (any Chinese tag — zh, zh-CN, zh_CN.UTF-8 — picks note_zh
        when there is one; else the note)."""
        return (self.note_zh or self.note) if language_of(language) == "zh" else self.note

    @property
    def outcome(self) -> str:
        """The verdict this rule gives: allowed, denied or unknown."""
        return VERDICT_OF[self.word]

    def covers(self, platform: str, source: str, surface: str) -> bool:
        return (
            self.platform == platform
            and source in self.sources
            and (self.surfaces is None or surface in self.surfaces)
        )


class Horizon(NamedTuple):
    """How far a platform's loaded rules reach: `through` is the last day they vouch for
    (whole, in the zone of the file that states it); `end` is the first instant past it."""

    platform: str
    as_of: date  # when the facts were gathered
    through: date
    end: datetime
    file: str = ""


class Known(NamedTuple):
    """The last verdict the rules give before the horizon, and the rule behind it."""

    verdict: str
    rule: Rule | None


class Change(NamedTuple):
    """The first later instant at which the verdict differs, and the verdict from then."""

    at: datetime
    verdict: str


class Explanation(NamedTuple):
    """Why a candidate's answer is what it is: the rules in force (the winner first) and
    the rules for its scope that are not in force then (near misses)."""

    source: str
    live: tuple[Rule, ...]
    near: tuple[Rule, ...]


class Decision(NamedTuple):
    """The answer for one (platform, source, surface, instant)."""

    platform: str
    source: str  # a source id, a group id, or candidate ids joined with "|"
    surface: str
    at: datetime
    verdict: str  # allowed | denied | unknown
    reason: str  # rule | no_rule | ambiguous_link | beyond_horizon
    rule: Rule | None
    overridden: tuple[Rule, ...] = ()
    next_change: Change | None = None
    candidates: tuple["Decision", ...] = ()
    horizon: Horizon | None = None  # the platform's horizon, when the rules state one
    last_known: Known | None = None  # past the horizon: the verdict just before it
    kind: str = "source"  # how the source was named: source | group | link (Resolved.kind)


class Resolved(NamedTuple):
    """What a typed SOURCE stands for: one source id, or several candidates."""

    input: str
    id: str  # source id, group id, or ids joined with "|"
    candidates: tuple[str, ...]
    kind: str = "source"  # source | group | link
    host: str | None = None  # for a link: the host that decided


class Catalog:
    """Everything the loaded rules files define, in load order."""

    def __init__(self) -> None:
        self.platforms: dict[str, Platform] = {}
        self.sources: dict[str, Source] = {}
        self.groups: dict[str, Group] = {}
        self.surfaces: dict[str, Surface] = {}
        self.rules: list[Rule] = []
        self.rule_by_id: dict[str, Rule] = {}  # the rules above, by id (ids are unique)
        # the file of every [[rule]] id read, a rule left out for its errors too: a second
        # rule of that id is said to be one (not hidden by the first one's errors)
        self.rule_ids_read: dict[str, str] = {}
        self.default_platform: str | None = None
        self.horizons: dict[str, Horizon] = {}  # platform → the latest `through` loaded
        self.stated_horizons: list[Horizon] = []  # every [horizon.*] table, in load order
        self.files: list[str] = []
        self.rule_files: list[RulesFile] = []  # the files read, in load order
        self.documents: dict[str, Document] = {}
        self._index: dict[str, dict[str, str]] = {}

    def describe_files(self) -> list[dict]:
        """The rules files read, in load order, as JSON names them (`rule_files`): name,
        declared version, sha256 of the bytes read, and the horizons each states."""
        stated: dict[str, dict] = {}
        for h in self.stated_horizons:
            stated.setdefault(h.file, {})[h.platform] = {
                "as_of": h.as_of.isoformat(),
                "through": h.through.isoformat(),
            }
        return [
            {"file": f.name, "version": f.version, "sha256": f.sha256,
             "horizon": stated.get(f.name, {})}
            for f in self.rule_files
        ]  # fmt: skip

    def names_changed(self) -> None:
        """Forget the name indexes: an entry was added or replaced."""
        self._index.clear()

    def display_names(self, language: str | None = None) -> dict[str, str]:
        """id → the name people read, for sources, groups, platforms and surfaces, in
        `language` (default: the current one); an entry without a Chinese name keeps its
        English one."""
        if language is None:
            from .i18n import language as current

            language = current()
        chinese = language == "zh"
        return {
            ident: (entry.name_zh or entry.name) if chinese else entry.name
            for table in (self.sources, self.groups, self.platforms, self.surfaces)
            for ident, entry in table.items()
        }

    def index(self, kind: str) -> dict[str, str]:
        """normalized id or alias → id, for platforms, sources (with groups) or surfaces."""
        cached = self._index.get(kind)
        if cached is not None:
            return cached
        table: dict[str, str] = {}
        lists: dict[str, list[Any]] = {
            "platform": list(self.platforms.values()),
            "source": [*self.sources.values(), *self.groups.values()],
            "surface": list(self.surfaces.values()),
        }
        entries = lists[kind]
        for entry in entries:  # ids first so an alias never shadows an id
            table[normalize(entry.id)] = entry.id
        for entry in entries:
            for alias in (entry.name, *entry.aliases):
                table.setdefault(normalize(alias), entry.id)
        self._index[kind] = table
        return table

    def _lookup(self, kind: str, name: str, listing: str) -> str:
        if not isinstance(name, str):  # b"ks", 1: a TypeError naming the argument
            raise TypeError(f"{kind} must be a str, not {type(name).__name__}")
        table = self.index(kind)
        if len(name) > 16 * LONGEST_NAME and len(name.strip()) > 16 * LONGEST_NAME:
            raise UnknownNameError(  # not worth normalizing: no name is nearly that long
                N_(
                    "unknown {kind} '{name}' ({length:,} characters; no name is longer than "
                    "{longest}); `linkcheck {listing}` lists them"
                ),
                kind=Deferred(KIND_WORDS[kind]), name=shown(name), length=len(name.strip()),
                longest=LONGEST_NAME, listing=listing,
            )  # fmt: skip
        key = normalize(name)
        if not key:
            raise UnknownNameError(
                N_("empty {kind} name: give an id or alias; `linkcheck {listing}` lists them"),
                kind=Deferred(KIND_WORDS[kind]), listing=listing,
            )  # fmt: skip
        found = table.get(key)
        if found is None:
            later = frozenset(self.groups) if kind == "source" else frozenset()
            hint = did_you_mean(partial(closest, name, table, later=later), self.display_names)
            raise UnknownNameError(
                N_("unknown {kind} '{name}'{hint}; `linkcheck {listing}` lists them"),
                kind=Deferred(KIND_WORDS[kind]), name=shown(name), hint=hint, listing=listing,
            )  # fmt: skip
        return found

    def platform_id(self, name: str | None) -> str:
        if name is None:
            if self.default_platform is None:
                if len(self.platforms) == 1:
                    return next(iter(self.platforms))
                raise UnknownNameError(
                    N_("no default platform in the loaded rules; pass --platform ({platforms})"),
                    platforms=", ".join(self.platforms) or "none defined",
                )
            return self.default_platform
        return self._lookup("platform", name, "platforms")

    def surface_id(self, name: str) -> str:
        return self._lookup("surface", name, "surfaces")

    def surface_list(
        self, texts: Iterable[str], default: tuple[str, ...] = DEFAULT_SURFACES
    ) -> tuple[str, ...]:
        """Surface ids named in `texts`, in the order given, without repeats: the one grammar
        of `-s` (check, timeline, batch) and a batch cell. Each text may list several, split by
        , ， 、 ; ； | / + or & (`直播、短视频`); `all` or `*` is every surface. No texts at all
        means `default`; texts that name nothing (`-s ""`) are an error."""
        texts = list(texts)
        if not texts:
            return default
        for text in texts:
            if not isinstance(text, str):  # b"x": a TypeError naming what it was given
                raise TypeError(f"surface must be a str, not {type(text).__name__}")
        ids: list[str] = []
        for name in (n.strip() for text in texts for n in _SURFACE_SPLIT.split(text)):
            if not name:
                continue
            every = name == "*" or normalize(name) in ("all", "全部")  # as a name is read
            found = self.surfaces if every else [self.surface_id(name)]
            ids.extend(i for i in found if i not in ids)
        if not ids:
            raise UnknownNameError(
                N_(
                    "empty surface: give a surface name or `all` (or leave it out for "
                    "{default}); `linkcheck surfaces` lists them"
                ),
                default=", ".join(default),
            )
        return tuple(ids)

    def resolve_source(self, name: str) -> Resolved:
        ident = self._lookup("source", name, "sources")
        group = self.groups.get(ident)
        if group is not None:
            return Resolved(name, ident, group.members, "group")
        return Resolved(name, ident, (ident,), "source")
