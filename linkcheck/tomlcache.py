"""Parsed rules files kept between runs, so a cold `linkcheck check` skips the TOML parser.

Importing tomllib and parsing the bundled file is about a tenth of a cold check. The parsed
document is stored with marshal (built in, no import cost) under the user's cache folder,
named by a checksum of the file's bytes and holding those bytes: a file is served from the
cache only when its content is byte-for-byte the same. Set LINKCHECK_CACHE_DIR to choose the
folder, or to an empty string to switch the cache off. A cache that cannot be read or
written is simply not used.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import zlib
from datetime import date, datetime, time

_FORMAT = 1  # bump when the stored shape changes


def cache_dir() -> str | None:
    chosen = os.environ.get("LINKCHECK_CACHE_DIR")
    if chosen is not None:
        return chosen or None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "linkcheck")


def _path(folder: str, data: bytes) -> str:
    python = f"py{sys.version_info[0]}{sys.version_info[1]}"  # marshal's format is per version
    return os.path.join(folder, f"rules-{python}-{zlib.crc32(data):08x}-{len(data)}.marshal")


def load(data: bytes) -> dict | None:
    """The parsed document for exactly these bytes, if cached."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(_path(folder, data), "rb") as f:
            stored_format, stored_bytes, doc = marshal.load(f)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if stored_format != _FORMAT or stored_bytes != data:
        return None
    return _thaw(doc)


def store(data: bytes, doc: dict) -> None:
    """Keep the parsed document; silently skipped where the cache folder is not writable."""
    folder = cache_dir()
    if folder is None:
        return
    path = _path(folder, data)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(folder, exist_ok=True)
        with open(tmp, "wb") as f:
            marshal.dump((_FORMAT, data, _freeze(doc)), f)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):  # the temporary file may never have been made
            os.unlink(tmp)


# TOML's date and time values as marshal-able tagged tuples, and back
_TAGS = {datetime: "datetime", date: "date", time: "time"}
_READ = {"datetime": datetime.fromisoformat, "date": date.fromisoformat, "time": time.fromisoformat}
_TAG = "\x00toml-"


def _freeze(value):
    if isinstance(value, dict):
        return {k: _freeze(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_freeze(v) for v in value]
    kind = _TAGS.get(type(value))
    if kind is not None:
        return (_TAG + kind, value.isoformat())
    return value


def _thaw(value):
    if isinstance(value, dict):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_thaw(v) for v in value]
    if isinstance(value, tuple):
        return _READ[value[0][len(_TAG) :]](value[1])
    return value
