"""The maintainer's side: a TUF repository of rules releases in a plain folder.

    DIR/metadata/   1.root.json (the initial root users trust), N.root.json, N.targets.json,
                    N.snapshot.json, timestamp.json — consistent snapshots, so a client in
                    the middle of a download never sees two states mixed
    DIR/targets/    each release's files as <sha256>.<name> (rules.toml, sources/…)

Publishing a release checks the rules file (lint, a growing version, horizons that do not
move back), adds it and the documents it cites as targets, and signs targets, snapshot and
timestamp with the keys in KEYDIR (never inside DIR).
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from ..errors import OSReason, shown
from ..i18n import N_, Deferred, gettext
from ..rules.releases import safe_relative
from . import (
    CUSTOM_KEY,
    RULES_TARGET,
    Refused,
    ReleaseUsageError,
    locked,
    stated_horizons,
    version_key,
    write_atomic,
)
from . import keys as keyfiles

ROOT_EXPIRY = timedelta(days=5 * 365)  # root is signed offline, rarely
TARGETS_EXPIRY = timedelta(days=365)  # re-signed by every publish
SNAPSHOT_EXPIRY = timedelta(days=365)
MAX_DOCUMENT = 16 * 1024 * 1024
_VERSIONED = re.compile(r"^(\d+)\.(root|targets|snapshot)\.json$")


class Initialized(NamedTuple):
    metadata: str  # the folder to publish
    root: str  # DIR/metadata/1.root.json, what users pass to `rules trust`
    keys: str
    key_files: list[str]


class Published(NamedTuple):
    release: int
    version: str
    previous: str | None  # the version it follows
    targets: list[str]  # target paths
    expires: datetime  # the new timestamp's expiry


class Refreshed(NamedTuple):
    roles: list[str]  # what was signed again
    expires: datetime


def _serializer():
    from tuf.api.serialization.json import JSONSerializer

    return JSONSerializer(compact=False)


def _paths(folder: str) -> tuple[str, str]:
    return os.path.join(folder, "metadata"), os.path.join(folder, "targets")


def init(folder: str, keys_folder: str | None, root_keys: int, now: datetime) -> Initialized:
    """A new, empty repository in `folder` with fresh keys in `keys_folder`."""
    keys_folder = keys_folder or keyfiles.default_folder(folder)
    try:
        return _init(folder, keys_folder, root_keys, now)
    except OSError as exc:  # a folder that cannot be made (under a file, /proc, read-only)
        raise ReleaseUsageError(
            N_("cannot make the repository '{folder}' with its keys in '{keys}': {reason}"),
            folder=folder, keys=keys_folder, reason=OSReason(exc),
        ) from None  # fmt: skip


def _init(folder: str, keys_folder: str, root_keys: int, now: datetime) -> Initialized:
    from tuf.api.metadata import Metadata, Root, Snapshot, Targets, Timestamp

    if keyfiles.inside(keys_folder, folder):
        raise ReleaseUsageError(
            N_("the key folder '{keys}' is inside the repository '{folder}', which is published; "
               "give --keys a folder outside it"),
            keys=keys_folder, folder=folder,
        )  # fmt: skip
    if root_keys < 1:
        raise ReleaseUsageError(N_("--root-threshold must be 1 or more"))
    metadata, targets = _paths(folder)
    if os.path.isdir(metadata) and os.listdir(metadata):
        raise ReleaseUsageError(
            N_("'{folder}' already holds a repository; publish to it with `linkcheck rules "
               "publish RULES.toml --repo {folder}`"),
            folder=folder,
        )  # fmt: skip
    found = keyfiles.existing(keys_folder)
    if found:
        raise ReleaseUsageError(
            N_("the key folder '{keys}' already holds keys ({names}); keys are never "
               "overwritten: give --keys a new folder"),
            keys=keys_folder, names=", ".join(found),
        )  # fmt: skip
    signers = keyfiles.generate(keys_folder, root_keys)
    root = Root(expires=now + ROOT_EXPIRY, consistent_snapshot=True)
    for role, role_signers in signers.items():
        for signer in role_signers:
            root.add_key(signer.public_key, role)
    root.roles["root"].threshold = root_keys
    os.makedirs(metadata, exist_ok=True)
    os.makedirs(targets, exist_ok=True)
    empty = Targets(expires=now + TARGETS_EXPIRY)
    documents: dict[str, Any] = {"root": Metadata(root), "targets": Metadata(empty)}
    snapshot = Snapshot(expires=now + SNAPSHOT_EXPIRY)
    timestamp = Timestamp(expires=now + SNAPSHOT_EXPIRY)
    documents["snapshot"] = Metadata(snapshot)
    documents["timestamp"] = Metadata(timestamp)
    for role in ("root", "targets", "snapshot", "timestamp"):
        md = documents[role]
        for signer in signers[role]:
            md.sign(signer, append=True)
        if role == "targets":
            _set_meta(snapshot, md)
        if role == "snapshot":
            _set_meta(timestamp, md)
        name = "timestamp.json" if role == "timestamp" else f"1.{role}.json"
        write_atomic(os.path.join(metadata, name), md.to_bytes(_serializer()))
    written = sorted(keyfiles.existing(keys_folder))
    return Initialized(metadata, os.path.join(metadata, "1.root.json"), keys_folder, written)


def _set_meta(parent, md) -> None:
    """Record `md` (targets in snapshot, snapshot in timestamp) with its length and hash."""
    from tuf.api.metadata import MetaFile

    data = md.to_bytes(_serializer())
    meta = MetaFile.from_data(md.signed.version, data, ["sha256"])
    if md.signed.type == "targets":
        parent.meta["targets.json"] = meta
    else:
        parent.snapshot_meta = meta


class _State(NamedTuple):
    """The repository's newest metadata of each role (tuf's Metadata objects)."""

    root: Any
    targets: Any
    snapshot: Any
    timestamp: Any


def _latest(metadata: str, role: str) -> str:
    versions = []
    for name in os.listdir(metadata):
        m = _VERSIONED.match(name)
        if m and m[2] == role:
            versions.append(int(m[1]))
    if not versions:
        raise FileNotFoundError(os.path.join(metadata, f"1.{role}.json"))
    return os.path.join(metadata, f"{max(versions)}.{role}.json")


def _open(folder: str) -> _State:
    from tuf.api.exceptions import RepositoryError
    from tuf.api.metadata import Metadata

    metadata, _ = _paths(folder)
    try:
        paths = [_latest(metadata, role) for role in ("root", "targets", "snapshot")]
        paths.append(os.path.join(metadata, "timestamp.json"))
        return _State(*(Metadata.from_file(p) for p in paths))
    except (OSError, ValueError, RepositoryError) as exc:
        raise ReleaseUsageError(
            N_("'{folder}' is not a rules repository ({reason}); make one with `linkcheck rules "
               "repo init {folder}`"),
            folder=folder, reason=exc,
        ) from None  # fmt: skip


def _signers(state: _State, keys_folder: str, roles: tuple[str, ...]) -> dict[str, list]:
    available = keyfiles.load(keys_folder)
    return {r: keyfiles.for_role(available, state.root.signed, r, keys_folder) for r in roles}


def _sign(md, signers: list, version: int, expires: datetime) -> bytes:
    md.signed.version = version
    md.signed.expires = expires
    md.signatures.clear()
    for signer in signers:
        md.sign(signer, append=True)
    return md.to_bytes(_serializer())


def release_info(targets) -> dict | None:
    """The custom fields of the current release's rules target, or None."""
    found = targets.targets.get(RULES_TARGET)
    custom = found.custom if found is not None else None
    return custom.get(CUSTOM_KEY) if isinstance(custom, dict) else None


def publish(rules_path: str, folder: str, keys_folder: str | None, expires: timedelta,
            now: datetime) -> Published:  # fmt: skip
    """Check `rules_path` and publish it, with the documents it cites, as the newest
    release of the repository in `folder`."""
    keys_folder = keys_folder or keyfiles.default_folder(folder)
    _open(folder)  # a repository (said before the rules file is checked)
    data, version, horizon, documents = _checked(rules_path)
    # the repository read, compared with and written under one lock: six publishes at once
    # each read release 4 and wrote release 5 over each other, all saying so (a trial)
    with _publishing(keys_folder):
        state = _open(folder)
        previous = release_info(state.targets.signed)
        _compare(rules_path, version, horizon, previous)
        signers = _signers(state, keys_folder, ("targets", "snapshot", "timestamp"))
        return _release(folder, state, signers, data, version, horizon, documents, now, expires,
                        previous)  # fmt: skip


def _publishing(keys_folder: str):
    """The lock of the repository whose keys are in `keys_folder`: one publish or refresh
    at a time, from its reading to its last write (another is told one is working)."""
    keyfiles.must_exist(keys_folder)
    return locked(keys_folder, ".publish.lock")


def _checked(rules_path: str):
    """The rules file's bytes, version, horizons and documents, or Refused: lint problems
    (errors and warnings) in the file, no version, a document outside its folder."""
    import tomllib

    from ..lint import lint
    from ..rules import Unreadable, read_rules_file

    try:
        data = read_rules_file(rules_path)
    except Unreadable as exc:
        raise ReleaseUsageError(
            N_("cannot publish '{path}': {reason}"), path=rules_path,
            reason=gettext(exc.template).format(**exc.fields),
        ) from None  # fmt: skip
    problems = [p for p in lint([rules_path]) if p.file == rules_path]
    if problems:
        raise Refused(
            N_("not published: '{path}' has {count} lint problem(s), the first: {problem}; "
               "`linkcheck rules lint {path}` shows them all"),
            path=rules_path, count=len(problems), problem=problems[0],
        )  # fmt: skip
    doc = tomllib.loads(data.decode("utf-8-sig"))  # lint read it: it parses
    version = doc.get("version")
    if not isinstance(version, str) or not version.strip():
        raise Refused(
            N_("not published: '{path}' has no version; a release names one: add "
               'version = "YYYY.MM.DD" at its top'),
            path=rules_path,
        )  # fmt: skip
    # `end`, the first instant past a horizon, is kept: a day's end moves with the zone
    horizon = stated_horizons(rules_path)
    documents = {}
    base = os.path.dirname(os.path.abspath(rules_path))
    tables = doc.get("documents", {})
    for ident, table in tables.items() if isinstance(tables, dict) else ():
        relative = table.get("file") if isinstance(table, dict) else None
        if relative is None:
            continue
        if not safe_relative(relative) or relative == RULES_TARGET:
            raise Refused(
                N_("not published: document '{ident}' file '{file}' must be a path inside the "
                   "rules file's folder (no '..', not {name})"),
                ident=ident, file=shown(str(relative)), name=RULES_TARGET,
            )  # fmt: skip
        try:
            documents[relative] = _read_document(os.path.join(base, relative))
        except OSError as exc:
            raise Refused(
                N_("not published: cannot read document '{ident}' ({file}): {reason}"),
                ident=ident, file=relative, reason=OSReason(exc),
            ) from None  # fmt: skip
    return data, version.strip(), horizon, documents


def _read_document(path: str) -> bytes:
    with open(path, "rb") as f:
        data = f.read(MAX_DOCUMENT + 1)
    if len(data) > MAX_DOCUMENT:
        raise OSError(0, f"larger than {MAX_DOCUMENT >> 20} MiB")
    return data


def _compare(path: str, version: str, horizon: dict, previous: dict | None) -> None:
    """Refused unless the version grows and no platform's horizon moves back."""
    if previous is None:
        return
    before = str(previous.get("version", ""))
    if version_key(version) <= version_key(before):
        raise Refused(
            N_("not published: version '{version}' of '{path}' does not come after the "
               "published '{before}'; give it a later version"),
            version=shown(version), path=path, before=shown(before),
        )  # fmt: skip
    for platform, was in sorted((previous.get("horizon") or {}).items()):
        now = horizon.get(platform)
        if now is None or _moves_back(was, now):
            raise Refused(
                N_("not published: the horizon of {platform} would move back from {before} to "
                   "{after}; a release may only reach further"),
                platform=platform, before=was.get("end", was["through"]),
                after=now.get("end", now["through"]) if now else Deferred(N_("none")),
            )  # fmt: skip


def _moves_back(was: dict, now: dict) -> bool:
    """Whether a platform's horizon `now` ends before `was` (a published release's): by the
    first instants past them where both say it — the same last day in a zone further east
    ends sooner (a trial moved Shanghai's 2024-06-30 to Kiritimati's: 6 hours back, and it
    was published) — else by their last days."""
    try:
        return datetime.fromisoformat(now["end"]) < datetime.fromisoformat(was["end"])
    except (KeyError, TypeError, ValueError):  # a release published before `end` was kept
        return str(now.get("through")) < str(was.get("through"))


def _release(folder, state, signers, data, version, horizon, documents, now, expires, previous):
    """Write the targets, then targets, snapshot and timestamp metadata, the timestamp last
    (what clients read first: the release exists for them once it is written)."""
    from tuf.api.metadata import TargetFile

    metadata, targets_folder = _paths(folder)
    targets_md, snapshot_md, timestamp_md = state.targets, state.snapshot, state.timestamp
    release = int(previous.get("release", 0)) + 1 if previous else 1
    custom = {
        "release": release,
        "version": version,
        "documents": sorted(documents),
        "horizon": horizon,
    }
    files = {RULES_TARGET: data, **documents}
    targets_md.signed.targets.clear()
    for path, content in files.items():
        info = TargetFile.from_data(path, content, ["sha256"])
        if path == RULES_TARGET:
            info.unrecognized_fields["custom"] = {CUSTOM_KEY: custom}
        targets_md.signed.targets[path] = info
        head, _, name = path.rpartition("/")
        where = os.path.join(targets_folder, *head.split("/")) if head else targets_folder
        os.makedirs(where, exist_ok=True)
        write_atomic(os.path.join(where, f"{info.hashes['sha256']}.{name}"), content)
    targets_version = targets_md.signed.version + 1
    blob = _sign(targets_md, signers["targets"], targets_version, now + TARGETS_EXPIRY)
    write_atomic(os.path.join(metadata, f"{targets_version}.targets.json"), blob)
    _set_meta(snapshot_md.signed, targets_md)
    snap_version = snapshot_md.signed.version + 1
    blob = _sign(snapshot_md, signers["snapshot"], snap_version, now + SNAPSHOT_EXPIRY)
    write_atomic(os.path.join(metadata, f"{snap_version}.snapshot.json"), blob)
    _set_meta(timestamp_md.signed, snapshot_md)
    ends = now + expires
    blob = _sign(timestamp_md, signers["timestamp"], timestamp_md.signed.version + 1, ends)
    write_atomic(os.path.join(metadata, "timestamp.json"), blob)
    before = previous.get("version") if previous else None
    return Published(release, version, before, sorted(files), ends)


def refresh(folder: str, keys_folder: str | None, expires: timedelta, now: datetime) -> Refreshed:
    """Sign the timestamp again (and snapshot and targets when they would expire before
    it), so that clients keep verifying the current release."""
    keys_folder = keys_folder or keyfiles.default_folder(folder)
    _open(folder)
    with _publishing(keys_folder):  # read and written under one lock, as publish is
        state = _open(folder)
        ends = now + expires
        metadata, _ = _paths(folder)
        roles = ["timestamp"]
        if state.snapshot.signed.expires <= ends + timedelta(days=30):
            roles.append("snapshot")
        if state.targets.signed.expires <= ends + timedelta(days=30):
            roles.append("targets")
        signers = _signers(state, keys_folder, tuple(roles))
        if "targets" in roles:
            version = state.targets.signed.version + 1
            blob = _sign(state.targets, signers["targets"], version, now + TARGETS_EXPIRY)
            write_atomic(os.path.join(metadata, f"{version}.targets.json"), blob)
            _set_meta(state.snapshot.signed, state.targets)
        if "snapshot" in roles:
            version = state.snapshot.signed.version + 1
            blob = _sign(state.snapshot, signers["snapshot"], version, now + SNAPSHOT_EXPIRY)
            write_atomic(os.path.join(metadata, f"{version}.snapshot.json"), blob)
            _set_meta(state.timestamp.signed, state.snapshot)
        version = state.timestamp.signed.version + 1
        blob = _sign(state.timestamp, signers["timestamp"], version, ends)
        write_atomic(os.path.join(metadata, "timestamp.json"), blob)
    return Refreshed(roles[::-1], ends)
