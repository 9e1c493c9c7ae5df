"""Reading rules files one after another into one Catalog, collecting every problem (so
`rules lint` can show them all); `load_catalog` raises RulesError when any is an error."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable

from .. import tomlcache
from ..errors import OSReason, Problem, RulesError
from ..i18n import N_, Deferred, Message, Note
from ..model import Catalog, RulesFile
from .document import FileReader
from .files import (
    MAX_DEPTH,
    Unreadable,
    bundled_folder,
    bundled_rules,
    read_rules_file,
    too_deep,
)
from .schema import BUNDLED_NAME


def _long_integer_at(data: str) -> str:
    """Where the first run of digits too long for int() is: `line N` ("" if none is found:
    the limit was met some other way)."""
    found = re.search(f"[0-9_]{{{sys.get_int_max_str_digits() + 1},}}", data)
    return f"line {data.count(chr(10), 0, found.start()) + 1}" if found else ""


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
# what tomllib says (Python's own words, never shown) → what linkcheck says in its place
_TOML_REASONS = (
    ("Invalid date or datetime", N_("not a date or time the calendar has (2022-02-30, 25:00 …)")),
    ("Invalid value", N_("not a TOML value (a text needs quotes: \"…\")")),
    ("Invalid statement", N_("neither `key = value` nor a [table] header")),
    ("Expected newline or end of document after a statement",
     N_("more after a value on the same line (one `key = value` a line)")),
    ("Expected '=' after a key in a key/value pair", N_("a key without `=` and a value")),
    ("Unterminated string", N_("a text without its closing quote")),
    ("Unclosed array", N_("a list without its closing `]`")),
    ("Unclosed inline table", N_("an inline table without its closing `}`")),
    ("Cannot declare", N_("a table declared twice")),
    ("Cannot overwrite a value", N_("a key given a value twice")),
    ("Cannot mutate immutable namespace", N_("a key given a value twice")),
    ("Cannot redefine namespace", N_("a table declared twice")),
    ("Duplicate inline table key", N_("a key given twice in an inline table")),
    ("Expected ']'", N_("a table header without its closing `]`")),
    ("Expected ']]'", N_("an array of tables header without its closing `]]`")),
    ("Illegal character", N_("a character TOML does not allow there")),
    ("Found invalid character", N_("a character TOML does not allow there")),
    ("Invalid initial character for a key part", N_("a key that starts with a character keys "
                                                    "cannot start with")),
    ("Unescaped", N_("a backslash that escapes nothing (write \\\\ for one)")),
    ("Invalid hex value", N_("an escape with a bad hex value")),
    ("Escaped character is not a Unicode scalar value", N_("an escape with a bad hex value")),
)  # fmt: skip


def toml_reason(message: str) -> str:
    """The catalog message that says what tomllib's `message` says."""
    for start, said in _TOML_REASONS:
        if message.startswith(start):
            return said
    return N_("not valid TOML here")


def read_files(paths: Iterable[str | os.PathLike] = (), *, defaults: bool = True,
               release: tuple[str, bytes] | None = None) -> Loader:  # fmt: skip
    """A Loader that has read the bundled rules (unless `defaults` is false), then the
    installed release (its name and checked bytes, rules/releases.py), then each path in
    order; its problems are all there, errors or not."""
    loader = Loader()
    if defaults:
        loader.add_bundled()
    if release is not None:
        loader.release = release[0]
        loader.add_text(release[1], release[0], os.path.dirname(release[0]))
    for path in paths:
        loader.add_path(path)
    return loader


def load_catalog(paths: Iterable[str | os.PathLike] = (), *, defaults: bool = True,
                 release: tuple[str, bytes] | None = None) -> Catalog:  # fmt: skip
    """Load the bundled rules (unless `defaults` is false), the installed release (if
    given), then each path in order."""
    loader = read_files(paths, defaults=defaults, release=release)
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
        self.release: str | None = None  # the installed release's file, when it was read

    # ------------------------------------------------------------------ reading files

    def add_bundled(self) -> None:
        try:
            text = bundled_rules()
        except OSError as exc:  # a broken installation, not a user error, but say so plainly
            self.error(
                BUNDLED_NAME,
                "",
                N_("cannot read the bundled rules: {reason}"),
                reason=OSReason(exc),
            )
            return
        self.add_text(text, BUNDLED_NAME, bundled_folder())

    def add_path(self, path: str | os.PathLike) -> None:
        name = os.fspath(path)
        try:
            data = read_rules_file(name)
        except Unreadable as exc:
            self.error(name, "", exc.template, **exc.fields)
            return
        self.add_text(data, name, os.path.dirname(os.path.abspath(name)))

    def add_text(self, data: bytes | str, name: str, folder: str | None = None) -> None:
        """Parse one file's content and merge it into the catalog; `folder` is where the
        documents it cites are (None: text that came from no folder)."""
        raw = data if isinstance(data, bytes) else None
        if isinstance(data, bytes):
            try:
                data = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                self.error(
                    name,
                    "",
                    N_(
                        "not UTF-8 text (bad byte at offset {offset}); save the rules file as UTF-8"
                    ),
                    offset=exc.start,
                )
                return
        doc = tomlcache.load(raw) if raw is not None else None
        if doc is None:
            import tomllib  # only when the cache does not have this exact file

            deep = too_deep(data)
            if deep:
                self.error(name, deep, N_("nested deeper than {depth} levels; flatten it"),
                           depth=MAX_DEPTH)  # fmt: skip
                return

            try:
                doc = tomllib.loads(data)
            except tomllib.TOMLDecodeError as exc:
                message = str(exc)
                m = _TOML_POSITION.search(message)
                where = ""
                if m:  # English in JSON, the reader's language where a person reads it
                    where = Note(Message(N_("line {line}, column {column}"), line=int(m[1]),
                                         column=int(m[2])))  # fmt: skip
                reason = Deferred(toml_reason(_TOML_POSITION.sub("", message)))
                self.error(name, where, N_("invalid TOML: {reason}"), reason=reason)
                return
            except ValueError:  # int() past Python's digit limit, which tomllib does not catch
                self.error(name, _long_integer_at(data),
                           N_("invalid TOML: an integer of more than {digits:,} digits; no "
                              "rules file value needs one"),
                           digits=sys.get_int_max_str_digits())  # fmt: skip
                return
            if raw is not None:
                tomlcache.store(raw, doc)
        self.catalog.files.append(name)
        reader = FileReader(self, name, doc, folder)
        reader.read()
        content = raw if raw is not None else data.encode("utf-8", "surrogatepass")
        self.catalog.rule_files.append(RulesFile(name, reader.version, content, folder))

    # ------------------------------------------------------------------ recording

    def error(self, file: str, where: str, message: str, field: str | None = None,
              **fields) -> None:  # fmt: skip
        self.problems.append(Problem(file, where, message, "error", field, fields))

    def warn(self, file: str, where: str, message: str, **fields) -> None:
        self.problems.append(Problem(file, where, message, "warning", None, fields))

    def next_order(self) -> int:
        self._order += 1
        return self._order
