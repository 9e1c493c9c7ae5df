"""TOML rules files → a Catalog: strict schema 1, layering, per-file time zones.

The loader collects every problem it finds (so `rules lint` can show them all) instead of
stopping at the first; `load_catalog` raises RulesError when any of them is an error.
Knows nothing of queries.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo

from . import tomlcache
from .errors import Problem, RulesError
from .model import (
    VERDICT_OF,
    Catalog,
    Citation,
    Group,
    Horizon,
    Platform,
    Rule,
    Source,
    Surface,
)
from .names import closest, did_you_mean, normalize

SCHEMA = 1
DEFAULT_TIMEZONE = "Asia/Shanghai"
BUNDLED_NAME = "rules.toml (bundled)"

TOP_KEYS = (
    "schema",
    "timezone",
    "default_platform",
    "platforms",
    "sources",
    "groups",
    "surfaces",
    "horizon",
    "rule",
)
HORIZON_KEYS = ("as_of", "through")
ENTRY_KEYS = {
    "platforms": ("name", "aliases", "timezone", "override"),
    "sources": ("name", "aliases", "domains", "override"),
    "groups": ("name", "aliases", "members", "domains", "override"),
    "surfaces": ("name", "aliases", "override"),
}
RULE_KEYS = (
    "id",
    "platform",
    "verdict",
    "sources",
    "surfaces",
    "start",
    "end",
    "note",
    "citation",
    "override",
)
REQUIRED_RULE_KEYS = ("id", "platform", "verdict", "sources", "surfaces")
CITATION_KEYS = ("quote", "source", "by", "url")
_ID = re.compile(r"[a-z0-9][a-z0-9.-]*\Z")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def bundled_rules() -> bytes:
    """The content of the bundled rules.toml.

    A regular install ships it inside the package, beside this module — where
    importlib.resources would find it; an editable install or a source checkout keeps it at
    the repository root. Both are tried with plain file reads first, because importing
    importlib.resources (pathlib, zipfile, tempfile …) costs a cold `linkcheck check` about
    a quarter of its time; importlib.resources reads it when the package is not a plain
    folder (a zip, another loader).
    """
    here = os.path.dirname(os.path.abspath(__file__))
    for path in (
        os.path.join(here, "rules.toml"),
        os.path.join(os.path.dirname(here), "rules.toml"),
    ):
        try:
            with open(path, "rb") as f:
                return f.read()
        except OSError:
            continue
    from importlib.resources import files

    return (files("linkcheck") / "rules.toml").read_bytes()


MAX_FILE = 4 * 1024 * 1024  # a rules file is text written by people: kilobytes
MAX_DEPTH = 32  # tables, arrays and dotted keys; the schema needs four


class Unreadable(Exception):
    """A rules file that cannot be read; the message says why and what would do."""


def read_rules_file(path: str) -> bytes:
    """A rules file's bytes: a regular file, at most MAX_FILE bytes. A FIFO, a device
    (/dev/zero) or a huge file is refused instead of read for ever."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise Unreadable("rules file not found; give the path of a .toml rules file") from None
    except OSError as exc:
        raise Unreadable(f"cannot read rules file: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise Unreadable("is a directory, not a rules file; give a .toml file")
        if not stat.S_ISREG(mode):
            raise Unreadable("not a regular file (a pipe or a device?); give a .toml file")
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(MAX_FILE + 1)
    except OSError as exc:
        raise Unreadable(f"cannot read rules file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE:
        raise Unreadable(f"larger than {MAX_FILE >> 20} MiB; is it a rules file?")
    return data


_STRING_OR_COMMENT = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*',
    re.DOTALL,
)


def too_deep(text: str) -> str:
    """Where a TOML text nests deeper than MAX_DEPTH (arrays, inline tables, dotted keys),
    or "" — checked before tomllib, whose recursion and memory grow with the depth."""
    bare = _STRING_OR_COMMENT.sub("0", text)
    depth = 0
    for number, line in enumerate(bare.splitlines(), start=1):
        for ch in line:
            if ch in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return f"line {number}"
            elif ch in "]}":
                depth = max(0, depth - 1)
        key = line.split("=", 1)[0] if "=" in line else line
        if key.count(".") >= MAX_DEPTH:
            return f"line {number}"
    return ""


def _representable(at: datetime) -> bool:
    """Whether the instant, shown in any zone, is a date Python can hold (not year 0 or
    10000 once an offset is applied)."""
    from datetime import UTC

    try:
        utc = at.astimezone(UTC)
        utc - timedelta(days=2)
        utc + timedelta(days=2)
    except (OverflowError, ValueError):
        return False
    return True


def rules_env_paths() -> list[str]:
    """Paths in LINKCHECK_RULES (os.pathsep-separated), empty entries ignored."""
    return [p for p in os.environ.get("LINKCHECK_RULES", "").split(os.pathsep) if p.strip()]


def load_catalog(paths: Iterable[str | os.PathLike] = (), *, defaults: bool = True) -> Catalog:
    """Load the bundled rules (unless `defaults` is false), then each path in order."""
    loader = Loader()
    if defaults:
        loader.add_bundled()
    for path in paths:
        loader.add_path(path)
    errors = [p for p in loader.problems if p.level == "error"]
    if errors:
        raise RulesError(errors)
    return loader.catalog


class Loader:
    """Reads rules files one after another into one Catalog, recording problems."""

    def __init__(self) -> None:
        self.catalog = Catalog()
        self.problems: list[Problem] = []
        self._order = 0

    # ------------------------------------------------------------------ reading files

    def add_bundled(self) -> None:
        try:
            text = bundled_rules()
        except OSError as exc:  # a broken installation, not a user error, but say so plainly
            self._error(BUNDLED_NAME, "", f"cannot read the bundled rules: {exc.strerror or exc}")
            return
        self.add_text(text, BUNDLED_NAME)

    def add_path(self, path: str | os.PathLike) -> None:
        name = os.fspath(path)
        try:
            data = read_rules_file(name)
        except Unreadable as exc:
            self._error(name, "", str(exc))
            return
        self.add_text(data, name)

    def add_text(self, data: bytes | str, name: str) -> None:
        """Parse one file's content and merge it into the catalog."""
        raw = data if isinstance(data, bytes) else None
        if isinstance(data, bytes):
            try:
                data = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                self._error(
                    name,
                    "",
                    f"not UTF-8 text (bad byte at offset {exc.start}); "
                    "save the rules file as UTF-8",
                )
                return
        doc = tomlcache.load(raw) if raw is not None else None
        if doc is None:
            import tomllib  # only when the cache does not have this exact file

            deep = too_deep(data)
            if deep:
                self._error(name, deep, f"nested deeper than {MAX_DEPTH} levels; flatten it")
                return

            try:
                doc = tomllib.loads(data)
            except tomllib.TOMLDecodeError as exc:
                message = str(exc)
                m = _TOML_POSITION.search(message)
                where = f"line {m[1]}, column {m[2]}" if m else ""
                self._error(name, where, f"invalid TOML: {_TOML_POSITION.sub('', message)}")
                return
            if raw is not None:
                tomlcache.store(raw, doc)
        self.catalog.files.append(name)
        _FileReader(self, name, doc).read()

    # ------------------------------------------------------------------ recording

    def _error(self, file: str, where: str, message: str, field: str | None = None) -> None:
        self.problems.append(Problem(file, where, message, "error", field))

    def _warn(self, file: str, where: str, message: str, field: str | None = None) -> None:
        self.problems.append(Problem(file, where, message, "warning", field))

    def next_order(self) -> int:
        self._order += 1
        return self._order


class _FileReader:
    """Reads one parsed TOML document into the loader's catalog."""

    def __init__(self, loader: Loader, name: str, doc: dict) -> None:
        self.loader = loader
        self.catalog = loader.catalog
        self.file = name
        self.doc = doc
        self.tz: tzinfo | None = None

    def error(self, where: str, message: str, field: str | None = None) -> None:
        self.loader._error(self.file, where, message, field)

    def warn(self, where: str, message: str, field: str | None = None) -> None:
        self.loader._warn(self.file, where, message, field)

    def unknown_keys(self, table: dict, allowed: tuple[str, ...], where: str) -> None:
        for key in table:
            if key not in allowed:
                hint = did_you_mean(closest(key, {k: k for k in allowed}, n=1))
                self.error(where, f"unknown key '{key}'{hint}", key)

    def read(self) -> None:
        doc = self.doc
        self.unknown_keys(doc, TOP_KEYS, "top level")
        schema = doc.get("schema")
        if schema is None:
            self.error("top level", f"missing 'schema = {SCHEMA}'")
        elif schema != SCHEMA or isinstance(schema, bool):
            self.error(
                "top level",
                f"unsupported schema {schema!r}: this linkcheck reads schema = {SCHEMA}",
            )
        self.tz = self.zone(doc.get("timezone", DEFAULT_TIMEZONE), "timezone")
        for kind in ("platforms", "sources", "groups", "surfaces"):
            self.read_entries(kind)
        default = doc.get("default_platform")
        if default is not None:
            if not isinstance(default, str):
                self.error("default_platform", "must be a platform id in quotes")
            elif default not in self.catalog.platforms:
                hint = did_you_mean(closest(default, self.catalog.index("platform")))
                self.error("default_platform", f"unknown platform '{default}'{hint}")
            else:
                self.catalog.default_platform = default
        self.read_horizons()
        rules = doc.get("rule", [])
        if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
            self.error("rule", "rules must be written as [[rule]] tables")
            return
        for position, table in enumerate(rules, start=1):
            self.read_rule(table, position)

    # ------------------------------------------------------------------ helpers

    def zone(self, name, where: str) -> tzinfo | None:
        from .errors import DateError
        from .when import zone

        if not isinstance(name, str):
            self.error(
                where, 'must be an IANA time zone name in quotes, e.g. "Asia/Shanghai"', "timezone"
            )
            return None
        try:
            return zone(name)
        except DateError as exc:
            self.error(where, str(exc), "timezone")
            return None

    def text(self, table: dict, key: str, where: str, default: str = "") -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            self.error(where, f"'{key}' must be a string", key)
            return default
        return value

    def strings(self, table: dict, key: str, where: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(where, f"'{key}' must be a list of strings", key)
            return ()
        return tuple(value)

    def check_id(self, ident: str, where: str) -> bool:
        if not _ID.match(ident):
            self.error(
                where,
                f"id '{ident}' must be lower-case letters, digits and '-' "
                f"(e.g. '{normalize(ident)}')",
            )
            return False
        return True

    # ------------------------------------------------------------------ vocabulary

    def read_entries(self, kind: str) -> None:
        tables = self.doc.get(kind, {})
        if not isinstance(tables, dict):
            self.error(kind, f"'{kind}' must be tables such as [{kind}.some-id]")
            return
        store = getattr(self.catalog, kind)
        for ident, table in tables.items():
            where = f"[{kind}.{ident}]"
            if not isinstance(table, dict):
                self.error(where, "must be a table")
                continue
            self.unknown_keys(table, ENTRY_KEYS[kind], where)
            if not self.check_id(ident, where):
                continue
            if not self.may_define(store, ident, table, where):
                continue
            name = self.text(table, "name", where, ident)
            aliases = self.strings(table, "aliases", where)
            if kind == "platforms":
                zone_name = table.get("timezone", self.doc.get("timezone", DEFAULT_TIMEZONE))
                self.zone(zone_name, f"{where} timezone")
                entry = Platform(ident, name, aliases, str(zone_name), self.file)
            elif kind == "sources":
                domains = self.domains(table, where)
                entry = Source(ident, name, aliases, domains, self.file)
            elif kind == "groups":
                members = self.strings(table, "members", where)
                for member in members:
                    if member not in self.catalog.sources:
                        hint = did_you_mean(closest(member, {s: s for s in self.catalog.sources}))
                        self.error(where, f"unknown source '{member}' in members{hint}", "members")
                if not members:
                    self.error(where, "a group needs 'members', a list of source ids", "members")
                entry = Group(ident, name, aliases, members, self.domains(table, where), self.file)
            else:
                entry = Surface(ident, name, aliases, self.file)
            clash = {"sources": self.catalog.groups, "groups": self.catalog.sources}.get(kind, {})
            if ident in clash:
                other = "group" if kind == "sources" else "source"
                self.error(where, f"'{ident}' is already a {other} id; ids must differ")
                continue
            store.pop(ident, None)  # an override takes the new place in load order
            store[ident] = entry
            self.catalog.names_changed()

    def read_horizons(self) -> None:
        """[horizon.PLATFORM] as_of / through: how far this file's knowledge reaches. The
        platform's horizon is the latest `through` loaded (a later file wins a tie)."""
        tables = self.doc.get("horizon", {})
        if not isinstance(tables, dict):
            self.error("horizon", "'horizon' must be tables such as [horizon.kuaishou]")
            return
        for platform, table in tables.items():
            where = f"[horizon.{platform}]"
            if not isinstance(table, dict):
                self.error(where, "must be a table with as_of and through dates")
                continue
            self.unknown_keys(table, HORIZON_KEYS, where)
            if platform not in self.catalog.platforms:
                hint = did_you_mean(closest(platform, self.catalog.index("platform")))
                self.error(where, f"unknown platform '{platform}'{hint}")
                continue
            days = {}
            for key in HORIZON_KEYS:
                value = table.get(key)
                if type(value) is not date:
                    what = "missing" if value is None else f"{value!r}, not a date"
                    self.error(where, f"'{key}' is {what}: write a date such as 2022-12-31", key)
                else:
                    days[key] = value
            if len(days) < len(HORIZON_KEYS) or self.tz is None:
                continue
            through = days["through"]
            end = self.day_start(through, after=True)
            if end is None or not _representable(end):
                self.error(
                    where,
                    f"'through' {through} is too near the ends of the calendar (years 2 to 9998)",
                    "through",
                )
                continue
            horizon = Horizon(platform, days["as_of"], through, end, self.file)
            self.catalog.stated_horizons.append(horizon)
            known = self.catalog.horizons.get(platform)
            if known is None or known.end <= end:
                self.catalog.horizons[platform] = horizon

    def day_start(self, day: date, after: bool = False) -> datetime | None:
        """00:00 of `day` (of the day after it, for an inclusive end) in the file's zone;
        None when that lies past the last day a datetime can hold."""
        try:
            if after:
                day += timedelta(days=1)
            return datetime(day.year, day.month, day.day, tzinfo=self.tz)
        except (OverflowError, ValueError):
            return None

    def may_define(self, store: dict, ident: str, table: dict, where: str) -> bool:
        override = table.get("override", False)
        if not isinstance(override, bool):
            self.error(where, "'override' must be true or false", "override")
            return False
        if ident in store and not override:
            first = getattr(store[ident], "file", "")
            self.error(
                where,
                f"'{ident}' is already defined in {first}; add 'override = true' to replace it",
            )
            return False
        if override and ident not in store:
            self.warn(where, f"'override = true' but no earlier '{ident}' to replace")
        return True

    def domains(self, table: dict, where: str) -> tuple[str, ...]:
        out = []
        for domain in self.strings(table, "domains", where):
            d = domain.strip().rstrip(".").lower()
            if not d or "/" in d or ":" in d or "@" in d or " " in d or not d.isascii():
                self.error(
                    where,
                    f"link domain '{domain}' must be a host name such as "
                    "'tmall.com' (ASCII or punycode, no scheme or path)",
                )
                continue
            out.append(d)
        return tuple(out)

    # ------------------------------------------------------------------ rules

    def read_rule(self, table: dict, position: int) -> None:
        ident = table.get("id")
        label = f"'{ident}'" if isinstance(ident, str) else "(no id)"
        where = f"[[rule]] #{position} {label}"
        self.unknown_keys(table, RULE_KEYS, where)
        ok = True
        for key in REQUIRED_RULE_KEYS:
            if key not in table:
                self.error(where, f"missing '{key}'", key)
                ok = False
        if not ok:
            return
        if not isinstance(ident, str) or not self.check_id(ident, where):
            if not isinstance(ident, str):
                self.error(where, "'id' must be a string", "id")
            return
        catalog = self.catalog
        existing = next((r for r in catalog.rules if r.id == ident), None)
        override = table.get("override", False)
        if not isinstance(override, bool):
            self.error(where, "'override' must be true or false", "override")
            return
        if existing is not None and not override:
            self.error(
                where,
                f"duplicate rule id '{ident}' (first defined in {existing.file}); "
                "add 'override = true' to replace it",
                "id",
            )
            return
        if override and existing is None:
            self.warn(where, f"'override = true' but no earlier rule '{ident}' to replace")

        platform = table["platform"]
        if not isinstance(platform, str) or platform not in catalog.platforms:
            platform = platform if isinstance(platform, str) else repr(platform)
            hint = did_you_mean(closest(str(platform), catalog.index("platform")))
            self.error(where, f"unknown platform '{platform}'{hint}", "platform")
            ok = False
        verdict = table["verdict"]
        if not isinstance(verdict, str) or verdict not in VERDICT_OF:
            shown = verdict if isinstance(verdict, str) else repr(verdict)
            hint = did_you_mean(closest(str(shown), {v: v for v in VERDICT_OF}, n=1))
            self.error(where, f"verdict '{shown}' must be allow, deny or unknown{hint}", "verdict")
            ok = False
        sources_text = self.strings(table, "sources", where)
        sources: set[str] = set()
        for name in sources_text:
            if name in catalog.sources:
                sources.add(name)
            elif name in catalog.groups:
                sources.update(catalog.groups[name].members)
            else:
                choices = {s: s for s in (*catalog.sources, *catalog.groups)}
                hint = did_you_mean(closest(name, choices))
                self.error(where, f"unknown source '{name}'{hint}", "sources")
                ok = False
        if not sources_text:
            self.error(where, "'sources' must name at least one source or group", "sources")
            ok = False
        raw_surfaces = table["surfaces"]
        surfaces_text = self.strings(table, "surfaces", where)
        surfaces: frozenset[str] | None = frozenset()
        if raw_surfaces == "*" or surfaces_text == ("*",):
            surfaces = None
        else:
            for name in surfaces_text:
                if name not in catalog.surfaces:
                    hint = did_you_mean(closest(name, {s: s for s in catalog.surfaces}))
                    self.error(
                        where, f"unknown surface '{name}'{hint}; use ids or \"*\"", "surfaces"
                    )
                    ok = False
            if not surfaces_text:
                self.error(
                    where, "'surfaces' must list surface ids, or be \"*\" for all", "surfaces"
                )
                ok = False
            surfaces = frozenset(surfaces_text)
        start, start_text = self.bound(table, "start", where)
        end, end_text = self.bound(table, "end", where)
        if start is False or end is False:
            ok = False
        elif start is not None and end is not None and end <= start:
            relation = "is before" if end < start else "is not after"
            self.error(where, f"end {end_text} {relation} start {start_text}", "end")
            ok = False
        note = self.text(table, "note", where)
        citation = self.citation(table, where)
        if not ok:
            return
        if existing is not None:
            catalog.rules.remove(existing)
        catalog.rules.append(
            Rule(
                id=ident,
                platform=platform,
                word=verdict,
                sources=frozenset(sources),
                surfaces=surfaces,
                start=start,
                end=end,
                start_text=start_text,
                end_text=end_text,
                note=note,
                citation=citation,
                file=self.file,
                position=position,
                order=self.loader.next_order(),
                sources_text=sources_text,
                surfaces_text=surfaces_text,
            )
        )

    def bound(self, table: dict, key: str, where: str):
        """A window bound → (first instant, text as written). The one place where a date
        end becomes the first instant of the following day (ends are inclusive days)."""
        value = table.get(key)
        if value is None:
            return None, None
        if self.tz is None:  # the file's zone is invalid: already reported
            return False, None
        if isinstance(value, datetime | date):
            if isinstance(value, datetime):
                at = value if value.tzinfo else value.replace(tzinfo=self.tz)
            else:
                at = self.day_start(value, after=(key == "end"))
            if at is not None and _representable(at):
                return at, value.isoformat()
            kind = f"{value.isoformat()}, too near the ends of the calendar (years 2 to 9998)"
        else:
            kind = "a time of day without a date" if isinstance(value, time) else repr(value)
        self.error(
            where,
            f"'{key}' is {kind}: use a date (2022-10-28), a local datetime "
            "(2022-10-28T20:00:00) or an offset datetime (2022-10-28T20:00:00+08:00)",
            key,
        )
        return False, None

    def citation(self, table: dict, where: str) -> Citation | None:
        value = table.get("citation")
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error(
                where, '\'citation\' must be a table: { quote = "…", source = "…" }', "citation"
            )
            return None
        self.unknown_keys(value, CITATION_KEYS, f"{where} citation")
        quote = self.text(value, "quote", f"{where} citation")
        source = self.text(value, "source", f"{where} citation")
        if not quote:
            self.error(f"{where} citation", "missing 'quote'", "citation.quote")
        by = self.text(value, "by", f"{where} citation") or None
        url = self.text(value, "url", f"{where} citation") or None
        return Citation(quote, source, by, url)
