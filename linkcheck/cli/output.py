"""Writing an output file so that nothing the user had is lost: a temporary file beside it,
renamed over it only when everything was written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator

from . import UserError


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
    """A binary file that replaces `path` when the block ends well; on an error or Ctrl-C
    the temporary file is removed and `path` stays as it was."""
    if path.endswith(("/", os.sep)) or os.path.isdir(path):
        raise UserError(f"output '{path}' is a directory; give a file name")
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    except OSError as exc:
        raise UserError(f"cannot write output '{path}': {exc.strerror or exc}") from None
    handle = os.fdopen(fd, "wb")
    try:
        os.chmod(tmp, _mode_for(path))
        yield handle
        handle.close()
        os.replace(tmp, path)
    except OSError as exc:
        _discard(handle, tmp)
        raise UserError(f"cannot write output '{path}': {exc.strerror or exc}") from None
    except BaseException:
        _discard(handle, tmp)
        raise


def _discard(handle, tmp: str) -> None:
    handle.close()
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
