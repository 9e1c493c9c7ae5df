"""Getting a rules file's bytes safely: the bundled file, a path (regular files of bounded
size only), LINKCHECK_RULES, and the nesting check made before the TOML parser runs."""

from __future__ import annotations

import os
import re
import stat

from ..errors import LinkcheckError, OSReason
from ..i18n import N_
from ..inputs import remember


def bundled_rules() -> bytes:
    """The content of the bundled rules.toml.

    A regular install ships it inside the package, beside this module — where
    importlib.resources would find it; an editable install or a source checkout keeps it at
    the repository root. Both are tried with plain file reads first, because importing
    importlib.resources (pathlib, zipfile, tempfile …) costs a cold `linkcheck check` about
    a quarter of its time; importlib.resources reads it when the package is not a plain
    folder (a zip, another loader).
    """
    for path in _bundled_paths():
        try:
            with open(path, "rb") as f:
                remember(os.fstat(f.fileno()), path)  # a checkout's rules.toml: never an output
                return f.read()
        except OSError:
            continue
    from importlib.resources import files

    return (files("linkcheck") / "rules.toml").read_bytes()


def _bundled_paths() -> tuple[str, str]:
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the package
    return os.path.join(here, "rules.toml"), os.path.join(os.path.dirname(here), "rules.toml")


def bundled_folder() -> str | None:
    """The folder the bundled rules.toml is read from, where the documents it cites
    (sources/) are shipped beside it; None when the package is not a plain folder."""
    for path in _bundled_paths():
        if os.path.isfile(path):
            return os.path.dirname(path)
    return None


MAX_FILE = 4 * 1024 * 1024  # a rules file is text written by people: kilobytes
MAX_DEPTH = 32  # tables, arrays and dotted keys; the schema needs four


class Unreadable(LinkcheckError):
    """A rules file that cannot be read; the message says why and what would do."""


def read_rules_file(path: str) -> bytes:
    """A rules file's bytes: a regular file, at most MAX_FILE bytes. A FIFO, a device
    (/dev/zero) or a huge file is refused instead of read for ever."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise Unreadable(N_("rules file not found; give the path of a .toml rules file")) from None
    except OSError as exc:
        raise Unreadable(N_("cannot read rules file: {reason}"), reason=OSReason(exc)) from None
    try:
        st = os.fstat(fd)
        mode = st.st_mode
        if stat.S_ISDIR(mode):
            raise Unreadable(N_("is a directory, not a rules file; give a .toml file"))
        if not stat.S_ISREG(mode):
            raise Unreadable(N_("not a regular file (a pipe or a device?); give a .toml file"))
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(MAX_FILE + 1)
        remember(st, path)
    except OSError as exc:
        raise Unreadable(N_("cannot read rules file: {reason}"), reason=OSReason(exc)) from None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE:
        raise Unreadable(N_("larger than {size} MiB; is it a rules file?"), size=MAX_FILE >> 20)
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
        # every key on the line (an inline table's too: `a = {b.c.d = 1}`), or a table
        # header; a value's dots (1.5) may be counted too, which only errs towards refusing
        keys = line.split("=")[:-1] or [line]
        if max(depth + key.count(".") for key in keys) >= MAX_DEPTH:
            return f"line {number}"
    return ""


def rules_env_paths() -> list[str]:
    """Paths in LINKCHECK_RULES (os.pathsep-separated), empty entries ignored."""
    return [p for p in os.environ.get("LINKCHECK_RULES", "").split(os.pathsep) if p.strip()]
