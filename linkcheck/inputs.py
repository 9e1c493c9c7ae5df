"""The files this run reads — rules files, the documents they cite, a checklist — so that
no output replaces one of them (outputs.atomic_file asks here before it writes). A file is
known by its device and inode: another name for it (a hard link, a symbolic link, a
relative path) is the same file."""

from __future__ import annotations

import os
import stat

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


def regular(binary) -> os.stat_result | None:
    """The status of the regular file opened as `binary`; None for a stream of no file, a
    pipe, a FIFO or a device."""
    try:
        st = os.fstat(binary.fileno())
    except (AttributeError, OSError, ValueError):
        return None
    return st if stat.S_ISREG(st.st_mode) else None


def identity(binary) -> tuple | None:
    """What changes when the regular file opened as `binary` is written: its device, inode,
    size and times of change (the last: ctime); None for a stream, a pipe or a device.
    Compared at the end of a read, it says whether the rows read were one file's."""
    st = regular(binary)
    if st is None:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns
