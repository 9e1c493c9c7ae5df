"""One parsed rules document → the catalog: the top level, the vocabulary (platforms,
sources, groups, surfaces) and horizons; each [[rule]] is read by rule.py."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol

from ..errors import TOP_LEVEL
from ..i18n import N_, Deferred, Message
from ..model import Catalog, Document, Group, Horizon, Platform, Source, Surface
from ..names import closest, did_you_mean, normalize
from .rule import read_rule, representable
from .schema import (
    DEFAULT_TIMEZONE,
    DOCUMENT_KEYS,
    ENTRY_KEYS,
    HORIZON_KEYS,
    ID,
    NAMED,
    REQUIRED_DOCUMENT_KEYS,
    SCHEMA,
    TOP_KEYS,
    file_name,
    written,
)

_SHA256 = re.compile(r"[0-9a-fA-F]{64}\Z")
_PUBLISHED = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?\Z")


def _calendar_text(text: str) -> bool:
    """Whether `text` is a year, a year and month, or a date the calendar has (2022,
    2022-10, 2022-10-28; not 2024-13, 2024-02-30)."""
    if not _PUBLISHED.match(text):
        return False
    year, month, day = (int(p) for p in (text + "-01-01").split("-")[:3])
    try:
        date(year or 1, month, day)
    except ValueError:
        return False
    return year > 0


# what an unknown name was meant to be, in a problem's words (translated when shown)
WHAT = {"key": N_("key"), "platform": N_("platform"), "source": N_("source"),
        "surface": N_("surface"), "document": N_("document")}  # fmt: skip


class Collector(Protocol):
    """What a FileReader reads into and reports to (loader.Loader): the catalog of every
    file so far, the problems found, and the load order of rules across files."""

    catalog: Catalog

    def error(self, file: str, where: str, message: str, field: str | None = None,
              **fields) -> None: ...  # fmt: skip
    def warn(self, file: str, where: str, message: str, **fields) -> None: ...
    def next_order(self) -> int: ...


class FileReader:
    """Reads one parsed TOML document into the loader's catalog."""

    def __init__(self, loader: Collector, name: str, doc: dict, folder: str | None = None) -> None:
        self.loader = loader
        self.catalog = loader.catalog
        self.file = name
        self.doc = doc
        self.folder = folder  # where the documents it cites are looked for
        self.tz: tzinfo | None = None
        self.version: str | None = None

    def error(self, where: str, message: str, field: str | None = None, **fields) -> None:
        self.loader.error(self.file, where, message, field, **fields)

    def warn(self, where: str, message: str, **fields) -> None:
        self.loader.warn(self.file, where, message, **fields)

    def unknown(self, where: str, what: str, name: str, choices, field: str | None = None,
                tail: object = "", after: object = "", n: int = 3,
                names: dict | None = None) -> None:  # fmt: skip
        """An unknown name, with the closest of `choices` (a sequence of ids, or a catalog
        index: normalized name → id) suggested: `unknown platform 'kuaishuo' (did you mean
        'kuaishou'?)`; where `names` (a catalog index) has it — a name given for an id,
        京东自营 for jd-self — that id alone."""
        table = choices if isinstance(choices, dict) else {c: c for c in choices}
        exact = names.get(normalize(str(name))) if names else None
        hint = did_you_mean([exact] if exact else closest(str(name), table, n=n))
        self.error(
            where,
            N_("unknown {what} '{name}'{tail}{hint}{after}"),
            field,
            what=Deferred(WHAT[what]),
            name=name,
            tail=tail,
            hint=hint,
            after=after,
        )

    def unknown_keys(self, table: dict, allowed: tuple[str, ...], where: str) -> None:
        for key in table:
            if key not in allowed:
                self.unknown(where, "key", key, allowed, key, n=1)

    def read(self) -> None:
        doc = self.doc
        self.unknown_keys(doc, TOP_KEYS, TOP_LEVEL)
        schema = doc.get("schema")
        if schema is None:
            self.error(TOP_LEVEL, N_("missing 'schema = {schema}'"), schema=SCHEMA)
        elif schema != SCHEMA or isinstance(schema, bool):
            self.error(
                TOP_LEVEL,
                N_("unsupported schema {schema}: this linkcheck reads schema = {schema2}"),
                schema=written(schema),
                schema2=SCHEMA,
            )
        self.version = self.read_version()
        self.tz = self.zone(doc.get("timezone", DEFAULT_TIMEZONE), "timezone")
        for kind in ("platforms", "sources", "groups", "surfaces"):
            self.read_entries(kind)
        default = doc.get("default_platform")
        if default is not None:
            if not isinstance(default, str):
                self.error("default_platform", N_("must be a platform id in quotes"))
            elif default not in self.catalog.platforms:
                self.unknown(
                    "default_platform", "platform", default, self.catalog.index("platform")
                )
            else:
                self.catalog.default_platform = default
        self.read_horizons()
        self.read_documents()
        rules = doc.get("rule", [])
        if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
            self.error("rule", N_("rules must be written as [[rule]] tables"))
            return
        for position, table in enumerate(rules, start=1):
            read_rule(self, table, position)

    def read_version(self) -> str | None:
        """`version = "…"`: free text naming this edition of the file (releases compare
        their own version numbers, not this text)."""
        value = self.doc.get("version")
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip() or not value.isprintable():
            self.error(
                "version",
                N_("'version' must be text in quotes, such as version = \"2022.10.28\""),
                "version",
            )
            return None
        return value

    # ------------------------------------------------------------------ helpers

    def zone(self, name, where: str) -> tzinfo | None:
        from ..errors import DateError
        from ..when import zone

        if not isinstance(name, str):
            self.error(
                where,
                N_('must be an IANA time zone name in quotes, e.g. "Asia/Shanghai"'),
                "timezone",
            )
            return None
        try:
            return zone(name)
        except DateError as exc:  # its words, not a text made now: JSON stays English
            self.error(where, exc.template, "timezone", **exc.fields)
            return None

    def text(self, table: dict, key: str, where: str, default: str = "") -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            self.error(where, N_("'{key}' must be a string"), key, key=key)
            return default
        return value

    def strings(self, table: dict, key: str, where: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(where, N_("'{key}' must be a list of strings"), key, key=key)
            return ()
        return tuple(value)

    def check_id(self, ident: str, where: str) -> bool:
        if not ID.match(ident):
            # an id like it that is one ('Bad Id!' -> 'bad-id'), where there is such a one
            like = re.sub(r"[^a-z0-9.-]+", "-", normalize(ident)).strip("-.")
            if like:
                self.error(
                    where,
                    N_(
                        "id '{ident}' must be lower-case letters, digits and '-' (e.g. "
                        "'{normalize_ident}')"
                    ),
                    ident=ident,
                    normalize_ident=like,
                )
            else:
                self.error(
                    where,
                    N_("id '{ident}' must be lower-case letters, digits and '-' (e.g. 'tmall')"),
                    ident=ident,
                )  # fmt: skip
            return False
        return True

    # ------------------------------------------------------------------ vocabulary

    def read_entries(self, kind: str) -> None:
        """[platforms.ID], [sources.ID], [groups.ID] or [surfaces.ID] tables."""
        tables = self.doc.get(kind, {})
        if not isinstance(tables, dict):
            self.error(kind, N_("'{kind}' must be tables such as [{kind}.some-id]"), kind=kind)
            return
        store = getattr(self.catalog, kind)
        # the names already given (normalized → id), kept up to date here: the catalog's
        # index, made again after each entry, cost a sixth of loading the bundled rules
        index_kind = {"platforms": "platform", "surfaces": "surface"}.get(kind, "source")
        taken = dict(self.catalog.index(index_kind)) if tables else {}
        for ident, table in tables.items():
            where = f"[{kind}.{ident}]"
            if not isinstance(table, dict):
                self.error(where, N_("must be a table"))
                continue
            self.unknown_keys(table, ENTRY_KEYS[kind], where)
            if not self.check_id(ident, where):
                continue
            earlier = getattr(store.get(ident), "file", None)
            if not self.may_replace(table, where, Message(NAMED[kind], id=ident), earlier):
                continue
            entry = self.entry(kind, ident, table, where)
            clashes: dict[str, dict] = {"sources": self.catalog.groups,
                                        "groups": self.catalog.sources}  # fmt: skip
            clash = clashes.get(kind, {})
            if ident in clash:
                other = "group" if kind == "sources" else "source"
                self.error(
                    where,
                    N_("'{ident}' is already a {other} id; ids must differ"),
                    ident=ident,
                    other=other,
                )
                continue
            if ident in store:  # an override: the names it replaces are free again
                for key in [k for k, v in taken.items() if v == ident]:
                    del taken[key]
            self.names_free(index_kind, taken, ident, entry, where)  # kept all the same
            store.pop(ident, None)  # an override takes the new place in load order
            store[ident] = entry
            self.catalog.names_changed()

    def names_free(self, kind: str, taken: dict[str, str], ident: str, entry,
                   where: str) -> None:  # fmt: skip
        """Say each of the entry's id, name and aliases that names another of its `kind` in
        `taken` (a source and a group share theirs), and add the others: one was dropped
        without a word — a team's source aliased 天猫 was never the one `check 天猫` found."""
        said: set[str] = set()  # each name once: the id 'g', the name 'G' and an alias 'g'
        for field, text in (("id", ident), ("name", entry.name),
                            *(("aliases", a) for a in entry.aliases)):  # fmt: skip
            key = normalize(text)
            other = taken.setdefault(key, ident)
            if other != ident and key not in said:
                said.add(key)
                table = "groups" if other in self.catalog.groups else f"{kind}s"
                self.error(
                    where,
                    N_("'{text}' already names {other}; a name or alias names one only"),
                    field,
                    text=text,
                    other=Message(NAMED[table], id=other),
                )  # fmt: skip

    def entry(self, kind: str, ident: str, table: dict, where: str):
        """The Platform, Source, Group or Surface a table defines."""
        name = self.text(table, "name", where, ident)
        name_zh = self.text(table, "name_zh", where)
        aliases = self.strings(table, "aliases", where)
        if kind == "platforms":
            zone_name = table.get("timezone", self.doc.get("timezone", DEFAULT_TIMEZONE))
            if "timezone" in table:  # the file's own is checked (and said wrong) once
                self.zone(zone_name, f"{where} timezone")
            return Platform(ident, name, aliases, str(zone_name), self.file, name_zh)
        if kind == "sources":
            domains = self.domains(table, where)
            return Source(ident, name, aliases, domains, self.file, name_zh)
        if kind == "surfaces":
            return Surface(ident, name, aliases, self.file, name_zh)
        members = self.strings(table, "members", where)
        for member in members:
            if member not in self.catalog.sources:
                self.unknown(
                    where,
                    "source",
                    member,
                    tuple(self.catalog.sources),
                    "members",
                    Deferred(N_(" in members")),
                )
        if not members:
            self.error(where, N_("a group needs 'members', a list of source ids"), "members")
        return Group(ident, name, aliases, members, self.domains(table, where), self.file, name_zh)

    def read_horizons(self) -> None:
        """[horizon.PLATFORM] as_of / through: how far this file's knowledge reaches. The
        platform's horizon is the latest `through` loaded (a later file wins a tie)."""
        tables = self.doc.get("horizon", {})
        if not isinstance(tables, dict):
            self.error("horizon", N_("'horizon' must be tables such as [horizon.kuaishou]"))
            return
        for platform, table in tables.items():
            horizon = self.horizon(platform, table, f"[horizon.{platform}]")
            if horizon is None:
                continue
            self.catalog.stated_horizons.append(horizon)
            known = self.catalog.horizons.get(platform)
            if known is None or known.end <= horizon.end:
                self.catalog.horizons[platform] = horizon

    def horizon(self, platform: str, table, where: str) -> Horizon | None:
        """One [horizon.PLATFORM] table, or None when it cannot be used (reported)."""
        if not isinstance(table, dict):
            self.error(where, N_("must be a table with as_of and through dates"))
            return None
        self.unknown_keys(table, HORIZON_KEYS, where)
        if platform not in self.catalog.platforms:
            self.unknown(where, "platform", platform, self.catalog.index("platform"))
            return None
        days = {}
        for key in HORIZON_KEYS:
            value = table.get(key)
            if type(value) is not date:
                what = "missing" if value is None else f"{written(value)}, not a date"
                self.error(
                    where,
                    N_("'{key}' is {what}: write a date such as 2022-12-31"),
                    key,
                    key=key,
                    what=what,
                )
            else:
                days[key] = value
        if len(days) < len(HORIZON_KEYS) or self.tz is None:
            return None
        through = days["through"]
        end = self.day_start(through, after=True)
        if end is None or not representable(end):
            self.error(
                where,
                N_("'through' {through} is too near the ends of the calendar (years 2 to 9998)"),
                "through",
                through=through,
            )
            return None
        return Horizon(platform, days["as_of"], through, end, self.file)

    def read_documents(self) -> None:
        """[documents.ID]: the texts this file's citations quote (checked by `rules lint`:
        the file's sha256, every quote verbatim)."""
        tables = self.doc.get("documents", {})
        if not isinstance(tables, dict):
            self.error("documents", N_("'documents' must be tables such as [documents.some-id]"))
            return
        for ident, table in tables.items():
            where = f"[documents.{ident}]"
            if not isinstance(table, dict):
                self.error(where, N_("must be a table"))
                continue
            self.unknown_keys(table, DOCUMENT_KEYS, where)
            if not self.check_id(ident, where):
                continue
            earlier = self.catalog.documents.get(ident)
            if not self.may_replace(table, where, Message(NAMED["documents"], id=ident),
                                    earlier and earlier.rules_file):  # fmt: skip
                continue
            document = self.document(ident, table, where)
            if document is not None:
                self.catalog.documents[ident] = document

    def document(self, ident: str, table: dict, where: str) -> Document | None:
        ok = True
        for key in REQUIRED_DOCUMENT_KEYS:
            if key not in table:
                self.error(where, N_("missing '{key}'"), key, key=key)
                ok = False
        file = self.text(table, "file", where)
        digest = self.text(table, "sha256", where)
        if file and (os.path.isabs(file) or file.startswith("~")):
            self.error(
                where,
                N_("'file' {path} must be a path relative to the rules file (e.g. "
                   "sources/article.txt), so that the two travel together"),
                "file",
                path=file,
            )  # fmt: skip
            ok = False
        if "sha256" in table and not _SHA256.match(digest):
            self.error(
                where,
                N_("'sha256' must be 64 hex digits (the sha256 of the document's bytes, e.g. "
                   "from `sha256sum FILE`)"),
                "sha256",
            )  # fmt: skip
            ok = False
        published = table.get("published", "")
        if type(published) is date:
            published = published.isoformat()
        elif not isinstance(published, str) or (published and not _calendar_text(published)):
            self.error(
                where,
                N_("'published' must be a date (2022-10-28) or text such as \"2022-10\" or "
                   "\"2022\""),
                "published",
            )  # fmt: skip
            published = ""
        if not ok:
            return None
        path = os.path.join(self.folder, file) if self.folder is not None else None
        return Document(
            ident,
            file,
            digest.lower(),
            self.text(table, "title", where),
            self.text(table, "publisher", where),
            published,
            self.text(table, "url", where),
            path,
            self.file,
        )

    def day_start(self, day: date, *, after: bool) -> datetime | None:
        """00:00 of `day` (of the day after it, for an inclusive end) in the file's zone;
        None when that lies past the last day a datetime can hold."""
        try:
            if after:
                day += timedelta(days=1)
            return datetime(day.year, day.month, day.day, tzinfo=self.tz)
        except (OverflowError, ValueError):
            return None

    def may_replace(self, table: dict, where: str, what: Message, earlier: str | None,
                    field: str | None = None) -> bool:  # fmt: skip
        """Whether `what` (an entry or a rule) may be defined here: it is new, or an earlier
        definition (from file `earlier`) is replaced with `override = true`. The one place
        the override rule is checked."""
        override = table.get("override", False)
        if not isinstance(override, bool):
            self.error(where, N_("'override' must be true or false"), "override")
            return False
        if earlier is not None and earlier == self.file:  # twice in one file: no override
            self.error(where, N_("{what} is defined earlier in this file; give one of them "
                                 "another id"), field, what=what)  # fmt: skip
            return False
        if earlier is not None and not override:
            message = (
                N_("{what} is already defined in the installed release ({earlier}); add "
                   "'override = true' to replace it, or check a draft of that release with "
                   "--no-release")
                if earlier == getattr(self.loader, "release", None)
                else N_("{what} is already defined in {earlier}; add 'override = true' to "
                        "replace it")
            )  # fmt: skip
            self.error(
                where,
                message,
                field,
                what=what,
                earlier=file_name(earlier),  # the bundled file: 内置 in Chinese
            )
            return False
        if override and earlier is None:
            self.warn(where, N_("'override = true' but no earlier {what} to replace"), what=what)
        return True

    def domains(self, table: dict, where: str) -> tuple[str, ...]:
        out = []
        for domain in self.strings(table, "domains", where):
            d = domain.strip().rstrip(".").lower()
            if (
                not d
                or "/" in d
                or ":" in d
                or "@" in d
                or " " in d
                or not d.isascii()
                or "" in d.split(".")
            ):  # `.cn`, `a..b`: an empty label, no host's
                self.error(
                    where,
                    N_(
                        "link domain '{domain}' must be a host name such as 'tmall.com' "
                        "(ASCII or punycode, no scheme or path)"
                    ),
                    domain=domain,
                )
                continue
            if "." not in d:  # 'cn': every .cn host, a look-alike's too, would be this one
                self.error(
                    where,
                    N_("link domain '{domain}' is a top-level domain: every host under it "
                       "would read as this source; give the site's own, such as 'tmall.com'"),
                    "domains",
                    domain=domain,
                )  # fmt: skip
                continue
            out.append(d)
        return tuple(out)

    # ------------------------------------------------------------------ rules
