"""Rules releases as a TUF repository (The Update Framework, the `tuf` package): publishing
them (maintainer) and verifying them on arrival (user). Optional: `linkcheck[update]`.

    keys        the maintainer's Ed25519 signing keys: made, written 0600, loaded
    repository  `rules repo init`, `rules publish`, `rules repo refresh`: signed metadata
    client      `rules trust`, `rules update`, `rules rollback`: ngclient's Updater, the
                install into the user data folder (read back by linkcheck.rules.releases)

Every command loads an installed release with linkcheck.rules.releases alone; only these
commands import tuf.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import timedelta

from ..errors import LinkcheckError, shown
from ..i18n import N_, Deferred

# the one target path every release's rules file has (its documents keep their own paths,
# relative to it); a client asks the repository for this name
RULES_TARGET = "rules.toml"
CUSTOM_KEY = "linkcheck"


class Refused(LinkcheckError):
    """The repository or a release failed a check: nothing was changed (exit 1)."""

    exit_code = 1


class ReleaseUsageError(LinkcheckError):
    """A command that cannot run as given (no trusted repository, a missing key …)."""


_EXTRA = N_(
    "rules releases need the update extra: pip install tuf 'securesystemslib[crypto]' "
    "platformdirs (in the linkcheck checkout: pip install '.[update]')"
)


def require_tuf() -> None:
    """ReleaseUsageError naming the extra to install when tuf, its crypto or platformdirs
    is missing."""
    try:
        import cryptography  # noqa: F401 (securesystemslib signs and verifies with it)
        import platformdirs  # noqa: F401
        import tuf.api.metadata  # noqa: F401
    except ImportError:
        raise ReleaseUsageError(_EXTRA) from None


def user_folders() -> tuple[str, str]:
    """linkcheck's user data folder (the TUF metadata, the installed releases) and user
    config folder (the trusted repository), as platformdirs names them for this platform.

    Every command finds an installed release with linkcheck.rules.folders instead (os
    alone: nothing imported on a cold start). Were the two ever to name different folders
    (another platformdirs, another platform), an update would install a release no command
    reads: refused, in one line naming both."""
    try:
        import platformdirs
    except ImportError:
        raise ReleaseUsageError(_EXTRA) from None
    from ..rules import folders

    data = platformdirs.user_data_dir(folders.APP, appauthor=False)
    config = platformdirs.user_config_dir(folders.APP, appauthor=False, roaming=True)
    for kind, found, looked in ((N_("data"), data, folders.data_dir()),
                                (N_("config"), config, folders.config_dir())):  # fmt: skip
        if os.path.normpath(found) != os.path.normpath(looked):
            raise ReleaseUsageError(
                N_("platformdirs names '{found}' as linkcheck's user {kind} folder, but every "
                   "command looks for rules releases in '{looked}'; set XDG_DATA_HOME and "
                   "XDG_CONFIG_HOME to absolute folders to choose one"),
                found=found, kind=Deferred(kind), looked=looked,
            )  # fmt: skip
    return data, config


_PERIOD = re.compile(r"^\s*(\d{1,12})\s*([hdw])\s*$")
# the longest a timestamp's word may last: the snapshot and targets it vouches for are
# signed for a year, and a client stops at the first to expire
MAX_PERIOD = timedelta(days=365)
_UNIT = {"h": "hours", "d": "days", "w": "weeks"}


def parse_period(text: str) -> timedelta:
    """`7d`, `12h`, `2w` as a timedelta; LinkcheckError for anything else."""
    m = _PERIOD.match(text)
    try:
        period = timedelta(**{_UNIT[m[2]]: int(m[1])}) if m else timedelta(0)
    except OverflowError:  # more days than a timedelta holds: longer than a year, too
        period = MAX_PERIOD + timedelta(days=1)
    if m and period <= timedelta(0):  # 0d is a period, one that expires as it is signed
        raise ReleaseUsageError(
            N_("expiry '{text}' would expire as it is signed: give at least 1h"),
            text=shown(text),
        )
    if period <= timedelta(0):
        raise ReleaseUsageError(
            N_("expiry '{text}' is not a period: give hours, days or weeks, e.g. 12h, 7d, 2w"),
            text=shown(text),
        )
    if period > MAX_PERIOD:  # 999999d was "not a period" (a trial)
        raise ReleaseUsageError(
            N_("expiry '{text}' is longer than a year, which a timestamp cannot vouch for "
               "(the metadata under it expire sooner): give 52w or less, and refresh it"),
            text=shown(text),
        )  # fmt: skip
    return period


def version_key(text: str) -> tuple:
    """How release versions compare: runs of digits as numbers, the rest as text
    (2023.6.2 < 2023.06.10 < 2023.10.1)."""
    return tuple(
        (0, int(run), "") if run.isdigit() else (1, 0, run)
        for run in re.findall(r"\d+|\D+", text.strip())
    )


@contextlib.contextmanager
def locked(folder: str, name: str) -> Iterator[None]:
    """One linkcheck at a time in `folder` (a lock file there; no lock where the system
    has none)."""
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    fd = os.open(os.path.join(folder, name), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReleaseUsageError(
                N_("another linkcheck is working in '{folder}'; try again when it is done"),
                folder=folder,
            ) from None
        yield
    finally:
        os.close(fd)


def stated_horizons(rules_path: str) -> dict[str, dict[str, str]]:
    """The horizons the rules file `rules_path` states, by platform, as a release records
    them: the last day (`through`), `as_of`, and `end`, the first instant past the last
    day in the file's zone (the furthest where a platform has several)."""
    from ..rules import read_files

    furthest: dict = {}
    for h in read_files([rules_path]).catalog.stated_horizons:
        known = furthest.get(h.platform)
        if h.file == rules_path and (known is None or h.end > known.end):
            furthest[h.platform] = h
    return {
        platform: {"as_of": h.as_of.isoformat(), "through": h.through.isoformat(),
                   "end": h.end.isoformat()}
        for platform, h in furthest.items()
    }  # fmt: skip


class NotRegular(OSError):
    """A path that is no regular file: a FIFO, a device, a folder (read, it would wait for
    ever or never end)."""


def open_regular(path: str):
    """`path` opened for reading in binary, if it is a regular file; NotRegular if not (a
    FIFO held `rules update` and its lock until killed, silently: a trial), OSError if it
    cannot be opened."""
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegular(0, "not a regular file (a pipe or a device?)", path)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def write_atomic(path: str, data: bytes, mode: int = 0o644) -> None:
    """`path` holds `data` whole or keeps what it had: a temporary file beside it, renamed."""
    folder = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
