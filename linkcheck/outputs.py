"""Writing an output so that nothing the user had is lost: a file is written as a temporary
file beside it, renamed over it only when everything was written; without a file name, the
output is stdout. Every command that writes a file goes through here."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import stat
import sys
import tempfile
import weakref
from collections.abc import Iterator
from typing import BinaryIO

from .errors import LinkcheckError, OSReason
from .i18n import N_
from .inputs import read_as


class OutputError(LinkcheckError):
    """The output cannot be written where it was asked for: exit 2, nothing replaced."""


def _mode_for(path: str) -> int:
    """An existing file keeps its permissions; a new one gets the usual ones (umask)."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_file(path: str) -> Iterator:
    """A binary file that replaces `path` when the block ends well; on an error, Ctrl-C,
    SIGTERM or SIGHUP the temporary file is removed and `path` stays as it was.

    A pipe, a FIFO or a character device (`/dev/null`) is written through, never replaced
    by a file; so is a descriptor this process has open (`/dev/stdout`, `/dev/fd/3`), in the
    mode it was opened in — a shell's `>>` appends, and what the shell wrote before stays
    (it was a file replaced: `{ echo hi; linkcheck … -o /dev/stdout; } > f` lost the `hi`).
    A symbolic link to a file has its target replaced."""
    if not path:  # `-o ''`: a name left empty by mistake (an unset variable), not stdout
        raise OutputError(
            N_("output '' is an empty file name; give a file name, or leave out -o for stdout")
        )
    if path.endswith(("/", os.sep)) or os.path.isdir(path):
        raise OutputError(N_("output '{path}' is a directory; give a file name"), path=path)
    descriptor = _descriptor(path)
    if descriptor is not None:
        with _write_through(path, descriptor) as handle:
            yield handle
        return
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
            raise OutputError(
                N_("output '{path}' is not a file, a pipe or a terminal; give a file name"),
                path=path,
            )
        with _write_through(path) as handle:
            yield handle
        return
    _not_read(path)
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    # the signals end the run as an exception, and are held back while the temporary file
    # is made: one arriving between its creation and the `try` that removes it would leave
    # it behind (seen under load with SIGHUP)
    with _ended_by_signals():
        held = _hold_signals()
        try:
            fd, tmp = tempfile.mkstemp(
                dir=folder, prefix=f".{os.path.basename(target)}.", suffix=".tmp"
            )
        except OSError as exc:
            _release_signals(held)
            if exc.errno == errno.ENOENT and not os.path.isdir(folder):
                raise OutputError(
                    N_("cannot write output '{path}': its folder '{folder}' does not exist "
                       "(make it first)"),
                    path=path,
                    folder=os.path.dirname(path.rstrip(os.sep)),
                ) from None  # fmt: skip
            raise OutputError(
                N_("cannot write output '{path}': {reason}"), path=path, reason=OSReason(exc)
            ) from None
        handle = None
        try:
            _release_signals(held)  # a signal held back is handled here, inside the `try`
            handle = os.fdopen(fd, "wb")
            os.chmod(tmp, _mode_for(target))
            _OWN.add(handle)
            yield handle
            handle.close()
            _not_read(path)  # a rules file read since the output was opened (check -o)
            os.replace(tmp, target)
        except OSError as exc:
            _discard(handle, fd, tmp)
            raise OutputError(
                N_("cannot write output '{path}': {reason}"), path=path, reason=OSReason(exc)
            ) from None
        except BaseException:
            _discard(handle, fd, tmp)
            raise


def _not_read(path: str) -> None:
    """Refuse to replace a file this run reads (its rules, a document they cite)."""
    read = read_as(path)
    if read is not None:
        raise OutputError(
            N_("output '{path}' is '{read}', which this run reads; write the output elsewhere"),
            path=path,
            read=read,
        )


_HELD = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def _hold_signals():
    """Hold back Ctrl-C, SIGTERM and SIGHUP (delivered when released); None where the
    platform cannot (then nothing is held)."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)


def _release_signals(held) -> None:
    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


# the temporary files atomic_file made, while they are open
_OWN: weakref.WeakSet = weakref.WeakSet()


def own(handle) -> bool:
    """Whether `handle` is a temporary file atomic_file made (a file of the run's own, which
    it may write again from its start), not a file, pipe or descriptor written through."""
    return handle in _OWN


# a descriptor named as a file: /dev/stdin, /dev/stdout, /dev/stderr, /dev/fd/N,
# /proc/self/fd/N (thread-self, or this process's own number)
_DESCRIPTOR = re.compile(
    r"/dev/std(in|out|err)|/dev/fd/([0-9]+)|/proc/(self|thread-self|[0-9]+)/fd/([0-9]+)"
)
_LINKS = 16  # symbolic links followed to find one (a loop ends there)


def _descriptor(path: str) -> int | None:
    """The descriptor of this process that `path` names, itself or through symbolic links
    (`out -> /dev/stdout`), where it is open; else None."""
    name = os.path.normpath(os.path.abspath(path))
    for _ in range(_LINKS):
        found = _DESCRIPTOR.fullmatch(name)
        if found is not None:
            std, fd, pid, proc_fd = found.groups()
            if pid not in (None, "self", "thread-self") and int(pid) != os.getpid():
                return None  # another process's: its file, replaced as a link's target is
            descriptor = {"in": 0, "out": 1, "err": 2}[std] if std else int(fd or proc_fd)
            try:
                os.fstat(descriptor)
            except (OSError, OverflowError):
                return None
            return descriptor
        try:
            target = os.readlink(name)
        except OSError:  # not a link (or gone): a file's own name
            return None
        name = os.path.normpath(os.path.join(os.path.dirname(name), target))
    return None


def streamed(path: str) -> bool:
    """Whether `path` is written as a stream — a pipe, a FIFO, a socket, or a descriptor of
    this process that cannot seek (stdout to a pipe or a terminal) — where a format that
    seeks back (a workbook's zip archive) cannot go."""
    descriptor = _descriptor(path)
    try:
        if descriptor is not None:
            os.lseek(descriptor, 0, os.SEEK_CUR)
            return False
        mode = os.stat(path).st_mode
    except OSError as exc:
        return descriptor is not None and exc.errno == errno.ESPIPE
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


@contextlib.contextmanager
def _write_through(path: str, descriptor: int | None = None) -> Iterator:
    """The file, pipe or device at `path` written as it is (the `descriptor` of this
    process it names, where it names one: a copy of it, so that its mode and place hold)."""
    try:
        if descriptor is not None:
            if descriptor in (1, 2):  # what Python holds for it goes first
                with contextlib.suppress(AttributeError, ValueError, OSError):
                    (sys.stdout if descriptor == 1 else sys.stderr).flush()
            handle = os.fdopen(os.dup(descriptor), "wb")
        else:
            handle = open(path, "wb")  # noqa: SIM115 (closed below, errors reported as ours)
    except OSError as exc:
        raise OutputError(
            N_("cannot write output '{path}': {reason}"), path=path, reason=OSReason(exc)
        ) from None
    try:
        yield handle
        handle.close()
    except BrokenPipeError:  # its reader gone away (`-o /dev/stdout | head -1`): as stdout's
        raise
    except OSError as exc:
        raise OutputError(
            N_("cannot write output '{path}': {reason}"), path=path, reason=OSReason(exc)
        ) from None
    finally:
        with contextlib.suppress(OSError):
            handle.close()


@contextlib.contextmanager
def _ended_by_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP end the process as an exception would (exit 128 + the signal),
    so the temporary file is removed on the way out, as on Ctrl-C."""

    def end(signum, frame):
        raise SystemExit(128 + signum)

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    try:
        previous = [(s, signal.signal(s, end)) for s in wanted]
    except ValueError:  # not the main thread: signals cannot be caught here
        previous = []
    try:
        yield
    finally:
        for signum, handler in previous:
            signal.signal(signum, handler)


def _discard(handle, fd: int, tmp: str) -> None:
    with contextlib.suppress(OSError):
        if handle is not None:
            handle.close()
        else:
            os.close(fd)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)


def stdout_bytes() -> BinaryIO:
    """stdout's binary stream. A stdout closed before the run began (`linkcheck … >&-`)
    is a reader gone away, as a closed pipe is: BrokenPipeError, and the CLI stops
    quietly."""
    if sys.stdout is None:
        # no errno: click's own EPIPE handling (which wraps the missing stdout) stays out
        raise BrokenPipeError("stdout is closed")
    return sys.stdout.buffer


@contextlib.contextmanager
def output_stream(path: str | None) -> Iterator[BinaryIO]:
    """Where an output goes: stdout's bytes (left open) when `path` is None, else an
    atomic_file(path)."""
    if path is None:
        yield stdout_bytes()
        return
    with atomic_file(path) as handle:
        yield handle


def write_output(path: str | None, data: bytes) -> None:
    """`data` to stdout, or atomically to the file `path`."""
    with output_stream(path) as handle:
        handle.write(data)
