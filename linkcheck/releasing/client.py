"""The user's side: trusting a repository, updating to its newest release through TUF's
client workflow (ngclient's Updater), installing it atomically, and rolling back.

    CONFIG/linkcheck/trusted.json        the repository's URL (or folder)
    CONFIG/linkcheck/trusted-root.json   the root metadata the user chose to trust
    DATA/linkcheck/tuf/<root>/           the Updater's verified metadata (rollback and
                                         freeze protection lives here)
    DATA/linkcheck/release/              the installed releases and their record, read by
                                         linkcheck.rules.releases on every command

Any refusal leaves the installed release and its record as they were.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from datetime import datetime
from typing import Any, NamedTuple

from ..errors import OSReason, shown
from ..i18n import N_, gettext
from ..rules import folders, releases
from ..rules.releases import Record, Release, ReleaseError
from . import (
    CUSTOM_KEY,
    RULES_TARGET,
    NotRegular,
    Refused,
    ReleaseUsageError,
    locked,
    open_regular,
    stated_horizons,
    user_folders,
    write_atomic,
)

TRUSTED = "trusted.json"
TRUSTED_ROOT = "trusted-root.json"
MAX_ROOT = 512 * 1024


class Trust(NamedTuple):
    url: str  # an http(s) URL, or an absolute folder path
    root: bytes  # the initial root metadata, as the user gave it
    repository: str  # sha256 of `root`: names the repository and its metadata folder


class Updated(NamedTuple):
    old: Release | None  # the release in use before
    new: Release  # the release in use now
    outcome: str  # installed | current (already the newest) | reinstalled (was damaged)
    before: Any  # RuleSet before and after: what `rules diff` compares
    after: Any
    expires: datetime | None  # the repository's timestamp expiry


class RolledBack(NamedTuple):
    old: Release | None
    new: Release | None


# ---------------------------------------------------------------------- folders


def private_dir(path: str) -> str:
    """`path` as a folder of this user's alone: made 0700 if missing, tightened if others
    may write to it; refused if it belongs to someone else or is not a folder."""
    os.makedirs(path, mode=0o700, exist_ok=True)
    st = os.lstat(path)
    if not stat.S_ISDIR(st.st_mode):
        raise ReleaseUsageError(N_("'{path}' is not a folder; move it away"), path=path)
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        raise ReleaseUsageError(
            N_("'{path}' belongs to another user; linkcheck keeps its rules only in folders of "
               "yours"),
            path=path,
        )  # fmt: skip
    if stat.S_IMODE(st.st_mode) & 0o077:
        os.chmod(path, 0o700)
    return path


def _metadata_folder(trust: Trust) -> str:
    base = private_dir(user_folders()[0])
    return private_dir(os.path.join(private_dir(os.path.join(base, "tuf")), trust.repository[:16]))


# ---------------------------------------------------------------------- trust


def _normal_url(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url.rstrip("/")
    path = url[len("file://") :] if url.startswith("file://") else url
    path = os.path.abspath(os.path.expanduser(path))
    if not os.path.isdir(os.path.join(path, "metadata")):
        raise ReleaseUsageError(
            N_("'{url}' is neither an http(s) URL nor a folder holding a repository's metadata/; "
               "give the repository's base URL or folder"),
            url=shown(url),
        )  # fmt: skip
    return path


def _check_root(data: bytes, name: str):
    from tuf.api.exceptions import RepositoryError, UnsignedMetadataError
    from tuf.api.metadata import Metadata, Root

    try:
        md = Metadata.from_bytes(data)
        if not isinstance(md.signed, Root):
            raise ValueError(f"{md.signed.type} metadata, not root")
        md.verify_delegate(Root.type, md)
    except UnsignedMetadataError:
        raise ReleaseUsageError(
            N_("'{path}' is not signed by its own root keys; ask the maintainer for the "
               "repository's 1.root.json"),
            path=name,
        ) from None  # fmt: skip
    except (ValueError, KeyError, TypeError, RepositoryError) as exc:
        raise ReleaseUsageError(
            N_("'{path}' is not TUF root metadata ({reason}); give the repository's "
               "metadata/1.root.json"),
            path=name, reason=exc,
        ) from None  # fmt: skip
    return md.signed


def trust(url: str, root_path: str) -> tuple[Trust, Any, Trust | None]:
    """Keep `url` and the root metadata in `root_path` as the repository to update from;
    returns the new trust, its root, and the trust it replaced."""
    try:
        with open_regular(root_path) as f:
            data = f.read(MAX_ROOT + 1)
    except OSError as exc:
        raise ReleaseUsageError(
            N_("cannot read root metadata '{path}': {reason}"),
            path=root_path, reason=OSReason(exc),
        ) from None  # fmt: skip
    root = _check_root(data, root_path)
    before = read_trust()
    new = Trust(_normal_url(url), data, releases.sha256_hex(data))
    folder = private_dir(user_folders()[1])
    write_atomic(os.path.join(folder, TRUSTED_ROOT), data, 0o600)
    record = {"url": new.url, "root_sha256": new.repository}
    write_atomic(os.path.join(folder, TRUSTED), json.dumps(record, indent=2).encode(), 0o600)
    return new, root, before


def read_trust() -> Trust | None:
    """The trusted repository, or None; ReleaseError if its files are not the user's."""
    folder = user_folders()[1]
    try:
        record = releases.read_private(os.path.join(folder, TRUSTED), 64 * 1024, trusted=True)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ReleaseUsageError(
            N_("cannot read '{path}': {reason}"),
            path=os.path.join(folder, TRUSTED), reason=OSReason(exc),
        ) from None  # fmt: skip
    try:
        root = releases.read_private(os.path.join(folder, TRUSTED_ROOT), MAX_ROOT, trusted=True)
        doc = json.loads(record)
        url, digest = doc["url"], doc["root_sha256"]
        if not isinstance(url, str) or digest != releases.sha256_hex(root):
            raise ValueError("mismatch")
    except (OSError, ValueError, KeyError, TypeError):
        raise ReleaseUsageError(
            N_("the trusted repository in '{folder}' is damaged; trust it again with `linkcheck "
               "rules trust URL --root 1.root.json`"),
            folder=folder,
        ) from None  # fmt: skip
    return Trust(url, root, digest)


# ---------------------------------------------------------------------- fetching


def _local_fetcher():
    """Reads a repository from a folder (a copy on a shared drive, a USB stick): a missing
    file is a 404, as a web server would say."""
    from urllib.parse import unquote

    from tuf.api.exceptions import DownloadError, DownloadHTTPError
    from tuf.ngclient import FetcherInterface

    class FolderFetcher(FetcherInterface):
        def _fetch(self, url: str) -> Iterator[bytes]:
            path = unquote(url[len("file://") :])
            try:
                f = open_regular(path)  # closed by the generator
            except FileNotFoundError:
                raise DownloadHTTPError(f"{path} not found", 404) from None
            except NotRegular:  # a FIFO would be read for ever, the release lock held
                raise DownloadError(f"{path} is not a regular file") from None
            return _chunks(f)

    return FolderFetcher()


def _chunks(f) -> Iterator[bytes]:
    with f:
        while chunk := f.read(256 * 1024):
            yield chunk


def _updater(trust: Trust, url: str):
    from tuf.ngclient import Updater

    if url.startswith(("http://", "https://")):
        base, fetcher = url, None
    else:
        base, fetcher = "file://" + url.replace(os.sep, "/"), _local_fetcher()
    return Updater(
        metadata_dir=_metadata_folder(trust),
        metadata_base_url=f"{base}/metadata/",
        target_base_url=f"{base}/targets/",
        fetcher=fetcher,
        bootstrap=trust.root,
    )


@contextlib.contextmanager
def _refusals(url: str) -> Iterator[None]:
    """tuf's and the network's exceptions as one line each, saying what was refused."""
    import urllib3
    from tuf.api import exceptions as tuf

    try:
        yield
    except tuf.ExpiredMetadataError as exc:
        raise Refused(
            N_("update refused: the repository's metadata has expired ({reason}), so it may be "
               "frozen at an old state; its maintainer must sign it again (`linkcheck rules repo "
               "refresh`)"),
            reason=exc,
        ) from None  # fmt: skip
    except tuf.BadVersionNumberError as exc:
        raise Refused(
            N_("update refused: the repository offers metadata older than some already seen "
               "({reason}): a replayed or rolled-back repository"),
            reason=exc,
        ) from None  # fmt: skip
    except tuf.UnsignedMetadataError as exc:
        raise Refused(
            N_("update refused: too few or wrong signatures ({reason}); the metadata was not "
               "signed by the keys the trusted root names"),
            reason=exc,
        ) from None  # fmt: skip
    except tuf.LengthOrHashMismatchError:
        raise Refused(
            N_("update refused: a downloaded metadata file differs from the length or sha256 "
               "the repository signed for it: tampered with, replayed or truncated")
        ) from None  # fmt: skip
    except tuf.DownloadLengthMismatchError as exc:
        # tuf's words ('Downloaded 1601 bytes exceeding the maximum allowed length of 1597')
        # as numbers in the language shown
        sizes = [int(n) for n in re.findall(r"\d+", str(exc))]
        if len(sizes) == 2:
            raise Refused(  # the most expected: the length signed, or a metadata file's
                # limit, which no one signed (it said "where it signed 16,384": a trial)
                N_("update refused: a downloaded file is longer than expected ({got:,} bytes "
                   "or more where at most {signed:,} were expected): tampered with"),
                got=sizes[0], signed=sizes[1],
            ) from None  # fmt: skip
        raise Refused(
            N_("update refused: a downloaded file differs from the length the repository "
               "signed: tampered with or truncated")
        ) from None  # fmt: skip
    except tuf.RepositoryError as exc:
        raise Refused(
            N_("update refused: the repository's metadata does not verify ({reason})"),
            reason=exc,
        ) from None  # fmt: skip
    except (tuf.DownloadError, urllib3.exceptions.HTTPError, OSError) as exc:
        local = None if url.startswith(("http://", "https://")) else url.removeprefix("file://")
        if local is not None and not os.path.isdir(local):  # said as a web server's 404
            raise Refused(
                N_("update refused: the repository folder '{path}' does not exist (moved, or "
                   "a drive not mounted?)"),
                path=local,
            ) from None  # fmt: skip
        raise Refused(
            N_("update refused: the repository '{url}' cannot be reached or stopped sending "
               "({reason})"),
            url=url, reason=_network_reason(exc),
        ) from None  # fmt: skip


def _network_reason(exc: BaseException) -> str:
    """What went wrong on the way, in a few words: the system's reason for a refused or
    broken connection, an HTTP status, or the exception's own words."""
    import http.client

    import urllib3
    from tuf.api import exceptions as tuf

    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo and len(seen) < 12:
        found = todo.pop(0)
        if found is None or found in seen:
            continue
        seen.append(found)
        if isinstance(found, tuf.DownloadHTTPError):
            return f"HTTP {found.status_code}"
        if isinstance(found, (http.client.IncompleteRead, urllib3.exceptions.ProtocolError)):
            return gettext(N_("the connection closed before the file was complete"))
        if isinstance(found, OSError) and found.strerror:
            return str(OSReason(found))
        todo += [found.__cause__, found.__context__, getattr(found, "reason", None)]
    return shown(str(exc) or type(exc).__name__, 120)


# ---------------------------------------------------------------------- update


def _release_of(info, trust: Trust, url: str) -> tuple[Release, list[str]]:
    """The release the rules target's signed custom fields describe (not yet installed)."""
    custom = info.custom.get(CUSTOM_KEY) if isinstance(info.custom, dict) else None
    try:
        if not isinstance(custom, dict):
            raise TypeError("custom")
        number, version = custom["release"], custom["version"]
        documents, horizon = custom.get("documents", []), custom.get("horizon", {})
        if not (isinstance(number, int) and isinstance(version, str)):
            raise TypeError("release")
        if not all(releases.safe_relative(d) and d != RULES_TARGET for d in documents):
            raise ValueError("documents")
        if not isinstance(horizon, dict):
            raise TypeError("horizon")
    except (TypeError, KeyError, ValueError):
        raise Refused(
            N_("update refused: the repository's rules.toml does not describe a linkcheck "
               "release (its custom fields)")
        ) from None  # fmt: skip
    release = Release(number, version, "", RULES_TARGET, info.hashes.get("sha256", ""), {},
                      horizon, trust.repository, url)  # fmt: skip
    return release, list(documents)


def _timestamp_expiry(trust: Trust) -> datetime | None:
    from tuf.api.exceptions import RepositoryError
    from tuf.api.metadata import Metadata

    try:
        with open(os.path.join(_metadata_folder(trust), "timestamp.json"), "rb") as f:
            return Metadata.from_bytes(f.read()).signed.expires
    except (OSError, ValueError, RepositoryError):
        return None


def _current(record: Record | None) -> tuple[Release | None, bool]:
    """The release in use and whether its rules file is as verified."""
    if record is None or record.current is None:
        return None, False
    try:
        found = releases.installed()
    except ReleaseError:
        return record.current, False
    return record.current, found is not None


def _ruleset(release: Release | None, path: str | None = None, data: bytes | None = None):
    """The rules as every command loads them with `release` installed (the bundled rules
    alone when it cannot be loaded any more)."""
    from ..engine import RuleSet
    from ..errors import LinkcheckError
    from ..rules import load_catalog

    if release is not None:
        try:
            if data is None:
                path = release.path
                data = releases.read_private(path, releases.MAX_RULES)
            return RuleSet(load_catalog(release=(path or release.path, data)))
        except (OSError, LinkcheckError):
            pass  # compared as the bundled rules alone
    return RuleSet(load_catalog())


def update(source: str | None, now: datetime) -> Updated:
    """Refresh the trusted repository's metadata, and install its newest release if it is
    not the one in use; Refused (nothing changed) when anything fails to verify."""
    trust = read_trust()
    if trust is None:
        raise ReleaseUsageError(
            N_("no rules repository is trusted yet: run `linkcheck rules trust URL --root "
               "1.root.json` with the URL and root file your maintainer gave you")
        )  # fmt: skip
    url = _normal_url(source) if source else trust.url
    try:
        folder = private_dir(os.path.join(private_dir(user_folders()[0]), folders.RELEASE_FOLDER))
        with locked(folder, ".lock"):
            return _update(trust, url, folder, now)
    except OSError as exc:  # the user's own folders: full, read-only …
        raise ReleaseUsageError(
            N_("cannot write the installed rules release in '{folder}': {reason}"),
            folder=user_folders()[0], reason=OSReason(exc),
        ) from None  # fmt: skip


def _update(trust: Trust, url: str, folder: str, now: datetime) -> Updated:
    try:
        record = releases.read_record()
    except ReleaseError:  # damaged: this update writes a fresh one
        record = None
    with _refusals(url):
        updater = _updater(trust, url)
        updater.refresh()
        info = updater.get_targetinfo(RULES_TARGET)
    if info is None:
        raise Refused(N_("the repository '{url}' has no release yet"), url=url)
    offered, documents = _release_of(info, trust, url)
    current, intact = _current(record)
    # the release in use, when it came from this repository (release numbers compare)
    same = current if current is not None and current.repository == trust.repository else None
    if same is not None and offered.release < same.release:
        raise Refused(
            N_("update refused: the repository offers release {offered}, older than release "
               "{installed} already installed: a replayed or rolled-back repository"),
            offered=offered.release, installed=same.release,
        )  # fmt: skip
    expires = _timestamp_expiry(trust)
    previous = record.previous if record is not None else None
    if same is not None and intact and offered.release == same.release:
        _write_record(Record(same, previous, now, expires), folder)
        ruleset = _ruleset(same)
        return Updated(same, same, "current", ruleset, ruleset, expires)
    new, after = _install(updater, info, offered, documents, folder)
    # kept for rollback: the release in use, or when its file was damaged, the one before
    keep = current if intact else (previous if current is not None else None)
    before = _ruleset(current if intact else None)
    _write_record(Record(new, keep, now, expires), folder)
    _prune(folder, {new.folder, keep.folder if keep else ""})
    again = same is not None and offered.release == same.release
    return Updated(current if intact else None, new, "reinstalled" if again else "installed",
                   before, after, expires)  # fmt: skip


def _install(updater, info, offered: Release, documents: list[str], folder: str):
    """Download the release's files into a private staging folder, check them (TUF checks
    length and hashes; lint checks the rules), and move the folder into place."""
    from tuf.api.exceptions import LengthOrHashMismatchError

    from ..lint import lint

    staging = tempfile.mkdtemp(prefix=".staging-", dir=folder)
    try:
        hashes = {}
        for path in [RULES_TARGET, *documents]:
            with _refusals(offered.url):
                target = info if path == RULES_TARGET else updater.get_targetinfo(path)
            if target is None:
                raise Refused(
                    N_("update refused: release {release} cites '{path}', which the repository "
                       "does not list"),
                    release=offered.release, path=path,
                )  # fmt: skip
            local = os.path.join(staging, *path.split("/"))
            os.makedirs(os.path.dirname(local), mode=0o700, exist_ok=True)
            with _refusals(offered.url):
                try:
                    updater.download_target(target, filepath=local)
                except LengthOrHashMismatchError:
                    raise Refused(
                        N_("update refused: '{path}' of release {release} differs from the length "
                           "or sha256 the repository signed for it: tampered with or truncated"),
                        path=path, release=offered.release,
                    ) from None  # fmt: skip
            os.chmod(local, 0o644)
            hashes[path] = target.hashes.get("sha256", "")
        rules_path = os.path.join(staging, RULES_TARGET)
        errors = [p for p in lint([rules_path]) if p.level == "error"]
        if errors:
            raise Refused(
                N_("update refused: release {release} (version {version}) fails `linkcheck "
                   "rules lint`: {problem}"),
                release=offered.release, version=shown(offered.version),
                problem=f"{RULES_TARGET}: {errors[0].where}: {errors[0].text()}",
            )  # fmt: skip
        with open(rules_path, "rb") as f:
            data = f.read()
        _as_described(rules_path, data, offered)
        name = f"r{offered.release}-{os.urandom(4).hex()}"
        final = os.path.join(folder, name)
        after = _ruleset(offered, os.path.join(final, RULES_TARGET), data)
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    docs = {p: h for p, h in hashes.items() if p != RULES_TARGET}
    new = offered._replace(folder=name, sha256=releases.sha256_hex(data), documents=docs)
    return new, after


def _as_described(rules_path: str, data: bytes, offered: Release) -> None:
    """Refused unless the rules file is the release the signed metadata describes: its own
    version and horizons. (An older file signed as the newest release — a key misused —
    was installed under the newer's version and horizon, which the update and the rollback
    record then stated: a trial.)"""
    import tomllib

    version = tomllib.loads(data.decode("utf-8-sig")).get("version")  # lint read it
    found = version.strip() if isinstance(version, str) else ""
    said = {p: h.get("through") for p, h in offered.horizon.items() if isinstance(h, dict)}
    stated = {p: h["through"] for p, h in stated_horizons(rules_path).items()}
    if found != offered.version or stated != said:
        raise Refused(
            N_("update refused: release {release}'s rules.toml is not the release the "
               "repository signed: version {found} and horizons {stated}, where it signed "
               "version {version} and horizons {said}"),
            release=offered.release, found=shown(found or "-"), version=shown(offered.version),
            stated=_horizons(stated), said=_horizons(said),
        )  # fmt: skip


def _horizons(by_platform: dict) -> str:
    return ", ".join(f"{p} {t}" for p, t in sorted(by_platform.items())) or "-"


def _write_record(record: Record, folder: str) -> None:
    blob = json.dumps(record.as_dict(), indent=2, ensure_ascii=False).encode()
    write_atomic(os.path.join(folder, folders.RECORD), blob, 0o600)


def _prune(folder: str, keep: set[str]) -> None:
    """Remove release folders no record names, and staging left by an interrupted run."""
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if name in keep or not (name.startswith(("r", ".staging-")) and os.path.isdir(path)):
            continue
        shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------------- rollback


def rollback() -> RolledBack:
    """Return to the release in use before the last update (the bundled rules alone when
    there was none); the release left stays kept, so a second rollback undoes the first."""
    folder = private_dir(os.path.join(private_dir(user_folders()[0]), folders.RELEASE_FOLDER))
    with locked(folder, ".lock"):
        record = releases.read_record()
        if record is None or (record.previous is None and record.current is None):
            raise ReleaseUsageError(
                N_("no rules release is installed: nothing to roll back (`linkcheck rules "
                   "update` installs one)")
            )  # fmt: skip
        target = record.previous
        if target is not None:
            path = target.path
            try:
                data = releases.read_private(path, releases.MAX_RULES)
            except OSError as exc:
                raise Refused(
                    N_("rollback refused: the kept release '{path}' cannot be read ({reason})"),
                    path=path, reason=OSReason(exc),
                ) from None  # fmt: skip
            if releases.sha256_hex(data) != target.sha256:
                raise Refused(
                    N_("rollback refused: the kept release '{path}' was changed after it was "
                       "verified (its sha256 differs)"),
                    path=path,
                )  # fmt: skip
        _write_record(Record(target, record.current, record.verified_at, record.expires), folder)
        return RolledBack(record.current, target)
