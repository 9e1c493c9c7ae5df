"""The maintainer's signing keys: Ed25519, one file per key (PEM, PKCS#8), written 0600 in
a folder of their own outside the published repository."""

from __future__ import annotations

import os
import stat

from ..i18n import N_
from . import ReleaseUsageError

ROLES = ("root", "targets", "snapshot", "timestamp")
SUFFIX = ".pem"


def default_folder(repository: str) -> str:
    """DIR-keys, beside DIR (as DIR was written: relative stays relative)."""
    return os.path.normpath(repository).rstrip(os.sep) + "-keys"


def inside(path: str, folder: str) -> bool:
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def file_name(role: str, number: int, count: int) -> str:
    """root.pem, or root-1.pem … root-N.pem for several root keys."""
    return f"{role}{SUFFIX}" if count == 1 else f"{role}-{number}{SUFFIX}"


def generate(folder: str, root_keys: int) -> dict[str, list]:
    """Fresh Ed25519 signers for every role (`root_keys` of them for root), each written to
    `folder` (made 0700) as a 0600 file that did not exist before."""
    from securesystemslib.signer import CryptoSigner

    _private_folder(folder)
    signers: dict[str, list] = {}
    for role in ROLES:
        count = root_keys if role == "root" else 1
        signers[role] = []
        for number in range(1, count + 1):
            signer = CryptoSigner.generate_ed25519()
            _write_new(os.path.join(folder, file_name(role, number, count)), signer.private_bytes)
            signers[role].append(signer)
    return signers


def existing(folder: str) -> list[str]:
    """The key files already in `folder` (none is ever overwritten)."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    return sorted(n for n in names if n.endswith(SUFFIX))


def _private_folder(folder: str) -> None:
    os.makedirs(folder, mode=0o700, exist_ok=True)
    st = os.stat(folder)
    if stat.S_IMODE(st.st_mode) & 0o077:
        os.chmod(folder, 0o700)


def _write_new(path: str, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(path, 0o600)  # whatever the umask


def must_exist(folder: str) -> None:
    """ReleaseUsageError unless the key folder `folder` is there."""
    if not os.path.isdir(folder):
        raise ReleaseUsageError(
            N_("no key folder '{folder}': give the one `linkcheck rules repo init` wrote with "
               "--keys"),
            folder=folder,
        )  # fmt: skip


def load(folder: str) -> dict[str, object]:
    """keyid → signer for every key file in `folder`."""
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    from securesystemslib.signer import CryptoSigner

    must_exist(folder)
    signers: dict[str, object] = {}
    for name in existing(folder):
        path = os.path.join(folder, name)
        try:
            with open(path, "rb") as f:
                private = load_pem_private_key(f.read(), None)
            signer = CryptoSigner(private)
        except (OSError, ValueError, TypeError) as exc:
            raise ReleaseUsageError(
                N_("cannot read the key '{path}': {reason}"), path=path, reason=exc
            ) from None
        signers[signer.public_key.keyid] = signer
    return signers


def for_role(signers: dict[str, object], root, role: str, folder: str) -> list:
    """The signers in `signers` that `root` names for `role`, at least its threshold."""
    wanted = root.roles[role]
    found = [signers[k] for k in wanted.keyids if k in signers]
    if len(found) < wanted.threshold:
        raise ReleaseUsageError(
            N_("the key folder '{folder}' holds {found} of the {threshold} {role} keys this "
               "repository needs; give its key folder with --keys"),
            folder=folder, found=len(found), threshold=wanted.threshold, role=role,
        )  # fmt: skip
    return found[: wanted.threshold]
