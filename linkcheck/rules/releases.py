"""The installed rules release, as every command loads it: a plain file in a known folder,
found and checked with `os` alone (a cold `linkcheck check` never imports tuf for it).

`linkcheck rules update` (linkcheck.releasing, with tuf) verifies a release against its
repository and installs it under the user data folder; this module only reads what it left:

    DATA/linkcheck/release/installed.json     the record: current and previous release,
                                              each file's sha256, when it was verified
    DATA/linkcheck/release/r3-…/rules.toml    a release: its rules file and the documents
    DATA/linkcheck/release/r3-…/sources/…     it cites, as the repository published them

DATA is $XDG_DATA_HOME if it is an absolute path, else ~/.local/share (macOS: ~/Library/
Application Support; Windows: %LOCALAPPDATA%). No file another user could write may change
an answer: the folders and files must belong to this user and be writable by no one else,
and the rules file must still have the sha256 recorded when it was verified; anything else
is refused with one line (ReleaseError) instead of answering from it.
"""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from typing import NamedTuple

from ..errors import LinkcheckError, OSReason
from ..i18n import N_
from ..inputs import remember
from .folders import data_dir, record_path, release_dir

RECORD_FORMAT = 1
MAX_RECORD = 1024 * 1024  # a record is a few hundred bytes
MAX_RULES = 4 * 1024 * 1024  # as rules/files.py: MAX_FILE


class ReleaseError(LinkcheckError):
    """The installed release cannot be used as it is: unsafe, damaged or changed by hand."""


def _sha256():
    """A sha256 object without importing hashlib (OpenSSL costs a cold check ~5 ms); the
    same digest from Python's own implementation."""
    for name in ("_sha2", "_sha256"):  # Python 3.12+, 3.11
        try:
            return __import__(name).sha256()
        except ImportError:
            continue
    from hashlib import sha256  # a build without them

    return sha256()


def sha256_hex(data: bytes) -> str:
    digest = _sha256()
    digest.update(data)
    return digest.hexdigest()


_NOT_MINE = N_("it belongs to another user")


def private_problem(st: os.stat_result) -> str:
    """Why a file or folder with this status is not private to this user, or ""."""
    if not hasattr(os, "geteuid"):  # Windows: the user's profile folder is private already
        return ""
    if st.st_uid != os.geteuid():
        return _NOT_MINE
    if st.st_mode & 0o022:
        return N_("others may write to it (mode {mode:o})")
    return ""


class Release(NamedTuple):
    """One installed release, as the record names it."""

    release: int  # the repository's release number (grows with every publish)
    version: str  # the rules file's `version`
    folder: str  # the release's folder name under release_dir()
    rules: str  # the rules file's name in that folder
    sha256: str  # of the rules file, as verified on arrival
    documents: dict[str, str]  # path in the folder → sha256, as verified on arrival
    horizon: dict[str, dict[str, str]]  # platform → {"as_of", "through"}
    repository: str  # the trusted root it was verified against (sha256 of the initial root)
    url: str  # where it came from

    @property
    def path(self) -> str:
        return os.path.join(release_dir(), self.folder, self.rules)

    def as_dict(self) -> dict:
        return self._asdict()


class Record(NamedTuple):
    """What `rules update` last left: the release in use, the one before, and when the
    repository last vouched for them."""

    current: Release | None
    previous: Release | None
    verified_at: datetime | None  # the last successful refresh of the repository
    expires: datetime | None  # when the timestamp metadata of that refresh expires

    def as_dict(self) -> dict:
        return {
            "format": RECORD_FORMAT,
            "current": self.current and self.current.as_dict(),
            "previous": self.previous and self.previous.as_dict(),
            "verified_at": _iso(self.verified_at),
            "expires": _iso(self.expires),
        }


class Installed(NamedTuple):
    """The release every command loads after the bundled rules: its checked bytes."""

    release: Release
    path: str
    data: bytes
    verified_at: datetime | None
    expires: datetime | None

    def vouched(self, now: datetime) -> dict:
        """For the release's `rule_files` entry: when the repository last vouched for it,
        and whether that has expired."""
        expired = self.expires is not None and now >= self.expires
        return {"verified_at": _iso(self.verified_at), "expired": expired}

    def stale_days(self, now: datetime) -> int | None:
        """Days since the repository last vouched for it, once that vouching has expired
        (the timestamp metadata's expiry), else None."""
        if self.expires is None or now < self.expires:
            return None
        since = self.verified_at or self.expires
        return max(0, (now - since).days)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _moment(value) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("not a date")
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("no offset")
    return moment


def _safe_name(name) -> bool:
    return isinstance(name, str) and name not in ("", ".", "..") and not set(name) & {"/", "\\"}


def safe_relative(path) -> bool:
    """A relative path that stays inside its folder: no absolute path, no `..`, no
    backslash, no empty or `.` part."""
    if not isinstance(path, str) or not path or path.startswith("/") or "\\" in path:
        return False
    return all(_safe_name(part) for part in path.split("/")) and ":" not in path


def _release(value) -> Release | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != set(Release._fields):
        raise ValueError("not a release")
    release = Release(**value)
    if not (isinstance(release.release, int) and not isinstance(release.release, bool)):
        raise ValueError("release")
    if not _safe_name(release.folder) or not _safe_name(release.rules):
        raise ValueError("names")
    for text in (release.version, release.sha256, release.repository, release.url):
        if not isinstance(text, str):
            raise ValueError("text")
    if not isinstance(release.documents, dict) or not all(
        safe_relative(p) and isinstance(h, str) for p, h in release.documents.items()
    ):
        raise ValueError("documents")
    if not isinstance(release.horizon, dict):
        raise ValueError("horizon")
    return release


def parse_record(blob: bytes) -> Record:
    """The record's bytes as a Record; ValueError (or TypeError) when they are not one."""
    import json

    doc = json.loads(blob)
    if not isinstance(doc, dict) or doc.get("format") != RECORD_FORMAT:
        raise ValueError("format")
    return Record(
        _release(doc.get("current")),
        _release(doc.get("previous")),
        _moment(doc.get("verified_at")),
        _moment(doc.get("expires")),
    )


def _check_folder(path: str) -> None:
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    problem = N_("it is not a folder") if not stat.S_ISDIR(st.st_mode) else private_problem(st)
    if problem:
        _unsafe(path, problem, st)


def _unreadable(path: str, exc: OSError) -> ReleaseError:
    return ReleaseError(
        N_("cannot read the installed rules release in '{path}': {reason}; pass --no-release "
           "to answer without it"),
        path=path, reason=OSReason(exc),
    )  # fmt: skip


def _unsafe(path: str, problem: str, st: os.stat_result, trusted: bool = False) -> None:
    """ReleaseError: the file `path` is not safe to use (`problem`). What makes it safe
    again says what is wrong — another user's file is no chmod's to fix — and what to do
    instead names the trusted repository's way for its files (--no-release does not stop
    `rules update` reading them: a trial)."""
    from ..i18n import gettext

    fix = "chown" if problem == _NOT_MINE else "chmod go-w"
    said = gettext(problem).format(mode=st.st_mode & 0o777)
    if trusted:
        raise ReleaseError(
            N_("the trusted repository is not used: '{path}' is not safe ({problem}); make it "
               "yours alone ({fix}), or trust the repository again with `linkcheck rules "
               "trust URL --root 1.root.json`"),
            path=path, problem=said, fix=fix,
        )  # fmt: skip
    raise ReleaseError(
        N_("the installed rules release is not used: '{path}' is not safe ({problem}); make it "
           "yours alone ({fix}) or pass --no-release"),
        path=path, problem=said, fix=fix,
    )  # fmt: skip


def read_private(path: str, limit: int, trusted: bool = False) -> bytes:
    """A regular file's bytes, if it is this user's alone (no symbolic link followed);
    ReleaseError otherwise (`trusted`: a file of the trusted repository's, not of the
    installed release). OSError (FileNotFoundError) when it cannot be opened."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            _unsafe(path, N_("it is not a regular file"), st, trusted)
        problem = private_problem(st)
        if problem:
            _unsafe(path, problem, st, trusted)
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(limit + 1)
        # a run's -o may not replace it (`rules list -o …/release/…/rules.toml` made the
        # installed release a TSV list, refused from then on: a trial)
        remember(st, path)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise ReleaseError(
            N_("the installed rules release file '{path}' is larger than {size} MiB; run "
               "`linkcheck rules update` to install it again, or pass --no-release"),
            path=path, size=limit >> 20,
        )  # fmt: skip
    return data


def read_record() -> Record | None:
    """The record `rules update` left, checked; None when there is none."""
    path = record_path()
    try:
        blob = read_private(path, MAX_RECORD)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _unreadable(path, exc) from None
    for folder in (data_dir(), release_dir()):  # a folder others may write is no safer
        _check_folder(folder)
    try:
        return parse_record(blob)
    except (ValueError, TypeError, KeyError, RecursionError):
        raise ReleaseError(
            N_("the installed rules release record '{path}' is damaged; run `linkcheck rules "
               "update` to install the release again, or pass --no-release"),
            path=path,
        ) from None  # fmt: skip


def installed() -> Installed | None:
    """The installed release's rules file, checked (private, the sha256 verified on
    arrival); None when no release is installed. ReleaseError when it cannot be trusted."""
    record = read_record()
    if record is None or record.current is None:
        return None
    release = record.current
    _check_folder(os.path.join(release_dir(), release.folder))
    path = release.path
    try:
        data = read_private(path, MAX_RULES)
    except OSError as exc:
        raise ReleaseError(
            N_("cannot read the installed rules release '{path}': {reason}; run `linkcheck rules "
               "update` to install it again, or pass --no-release"),
            path=path, reason=OSReason(exc),
        ) from None  # fmt: skip
    if sha256_hex(data) != release.sha256:
        raise ReleaseError(
            N_("the installed rules release '{path}' was changed after it was verified (its "
               "sha256 differs); run `linkcheck rules update` to install it again, or pass "
               "--no-release"),
            path=path,
        )  # fmt: skip
    return Installed(release, path, data, record.verified_at, record.expires)
