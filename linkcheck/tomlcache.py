"""Parsed rules files kept between runs, so a cold `linkcheck check` skips the TOML parser.

Importing tomllib and parsing the bundled file is about a tenth of a cold check. The parsed
document is stored as JSON under the user's cache folder (not marshal: the cache fuzzer
showed that a marshal entry with a valid checksum can claim a list of two billion items and
make the loader allocate gigabytes; JSON allocates only what it reads, and an entry is at
most 8 MiB),
named by a checksum of the file's bytes and holding those bytes: a file is served from the
cache only when its content is byte-for-byte the same. Set LINKCHECK_CACHE_DIR to choose the
folder, or to an empty string to switch the cache off.

No file another user could write may change an answer: the cache is used only from a folder
owned by this user that no one else may write to (made 0700 when it is created), entries
must be regular files owned by this user, are created with O_EXCL under unpredictable
names, and carry a checksum of their content. Anything in doubt — another owner, loose
permissions, a symlink, a bad checksum, a shape that is not a TOML document — is not used:
the file is parsed again and the entry replaced. The cache never stops the tool.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import zlib
from datetime import date, datetime, time

_FORMAT = 3  # bump when the stored shape changes
_MAGIC = b"linkcheck-rules-cache\n"
_LIMIT = 8 * 1024 * 1024  # an entry is the rules file and its parsed form: a few times it


def cache_dir() -> str | None:
    chosen = os.environ.get("LINKCHECK_CACHE_DIR")
    if chosen is not None:
        return chosen or None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "linkcheck")


def _path(folder: str, data: bytes) -> str:
    python = f"py{sys.version_info[0]}{sys.version_info[1]}"
    return os.path.join(folder, f"rules-{python}-{zlib.crc32(data):08x}-{len(data)}.json")


def _private(st: os.stat_result) -> bool:
    """Owned by this user, and no one else may write to it."""
    return st.st_uid == os.geteuid() and not st.st_mode & 0o022


def _folder() -> str | None:
    """The cache folder if it is safe to use (created private if missing), else None."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        try:
            os.makedirs(folder, mode=0o700)
            st = os.stat(folder)
        except OSError:
            return None
    except OSError:
        return None
    return folder if stat.S_ISDIR(st.st_mode) and _private(st) else None


def load(data: bytes) -> dict | None:
    """The parsed document for exactly these bytes, if a trustworthy entry holds it."""
    folder = _folder()
    if folder is None:
        return None
    path = _path(folder, data)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _private(st) or st.st_size > _LIMIT:
            return None
        with os.fdopen(os.dup(fd), "rb") as f:
            blob = f.read(_LIMIT + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    doc = _unpack(blob, data)
    if doc is None:  # damaged or foreign: never used, and replaced by the next store()
        with contextlib.suppress(OSError):
            os.unlink(path)
    return doc


def _unpack(blob: bytes, data: bytes) -> dict | None:
    head = len(_MAGIC) + 8
    if not blob.startswith(_MAGIC) or len(blob) < head:
        return None
    payload = blob[head:]
    if blob[len(_MAGIC) : head] != f"{zlib.crc32(payload):08x}".encode():
        return None
    import json

    try:
        stored_format, stored_text, frozen = json.loads(payload)
        if stored_format != _FORMAT or stored_text != data.decode("utf-8"):
            return None
        doc = _thaw(frozen)
    except (ValueError, TypeError, KeyError, IndexError, RecursionError):
        return None
    return doc if isinstance(doc, dict) else None


def store(data: bytes, doc: dict) -> None:
    """Keep the parsed document; silently skipped where the cache folder is not safe."""
    folder = _folder()
    if folder is None:
        return
    import json

    try:
        stored = [_FORMAT, data.decode("utf-8"), _freeze(doc)]
        payload = json.dumps(stored, ensure_ascii=False, separators=(",", ":")).encode()
    except (ValueError, RecursionError):  # too deep, or not UTF-8: simply not cached
        return
    blob = _MAGIC + f"{zlib.crc32(payload):08x}".encode() + payload
    if len(blob) > _LIMIT:
        return
    path = _path(folder, data)
    tmp = os.path.join(folder, f".{os.urandom(8).hex()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    try:
        fd = os.open(tmp, flags, 0o600)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


# A TOML document as JSON, unambiguously: tables are objects, and every JSON array is tagged
# by its first item: ["A", items…] a TOML array, ["D", text] a date, ["T", text] a datetime,
# ["H", text] a time of day. Strings, integers, floats and booleans are themselves.
_TAGS = {datetime: "T", date: "D", time: "H"}
_READ = {"T": datetime.fromisoformat, "D": date.fromisoformat, "H": time.fromisoformat}
_SCALAR_TYPES = frozenset((str, int, float, bool))


def _freeze(value):
    if isinstance(value, dict):
        return {k: _freeze(v) for k, v in value.items()}
    if isinstance(value, list):
        return ["A", *(_freeze(v) for v in value)]
    kind = _TAGS.get(type(value))
    if kind is not None:
        return [kind, value.isoformat()]
    return value


def _thaw(value):
    """The stored shape back into a TOML document; TypeError for anything TOML cannot hold.

    json.loads gives exact types, so a type is compared, not tested with isinstance, and a
    string (most of a rules file) is taken as it is without a call: a cold `check` thaws
    every node of the bundled file."""
    kind = type(value)
    if kind is dict:
        return {k: v if type(v) is str else _thaw(v) for k, v in value.items()}
    if kind is list:
        if not value:
            raise TypeError("an untagged array")
        if value[0] == "A":
            return [v if type(v) is str else _thaw(v) for v in value[1:]]
        tag, text = value
        if not isinstance(text, str):
            raise TypeError("a date that is not text")
        return _READ[tag](text)
    if kind in _SCALAR_TYPES:
        return value
    raise TypeError(f"not a TOML value: {kind.__name__}")
