"""The files this run reads — rules files, the documents they cite, a checklist — so that
no output replaces one of them (outputs.atomic_file asks here before it writes). A file is
known by its device and inode: another name for it (a hard link, a symbolic link, a
relative path) is the same file."""

from __future__ import annotations

import os

_read: dict[tuple[int, int], str] = {}


def remember(st: os.stat_result, path: str) -> None:
    """The file `path`, whose fstat is `st`, was read by this run."""
    _read.setdefault((st.st_dev, st.st_ino), path)


def read_as(path: str) -> str | None:
    """The name this run read the file `path` by, if it read it."""
    if not _read:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return _read.get((st.st_dev, st.st_ino))


def forget() -> None:
    """A new run (the CLI's each invocation, in a process that may make several)."""
    _read.clear()
