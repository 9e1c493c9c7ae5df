"""Where linkcheck keeps the user's rules releases, found with `os` alone: every command
asks whether a release is installed (one lstat), so this module stays tiny and the reading
of a release (rules/releases.py) is imported only when there is one.

The folders are platformdirs' own (`user_data_dir` and `user_config_dir` of "linkcheck",
no app author, the config roaming on Windows), which the release commands ask
(linkcheck.releasing.user_folders; tests/test_releases.py holds the two equal)."""

from __future__ import annotations

import os
import sys

APP = "linkcheck"
RELEASE_FOLDER = "release"
RECORD = "installed.json"


def _base(variable: str, unix: str, mac: str, windows: str) -> str:
    if sys.platform == "win32":  # the known folders; Windows reads no XDG variable
        return os.environ.get(windows) or os.path.expanduser(r"~\AppData\Local")
    chosen = os.environ.get(variable, "")
    if os.path.isabs(chosen):  # the XDG spec: a relative path is ignored
        return chosen
    return _home(mac if sys.platform == "darwin" else unix)


def _home(path: str) -> str:
    """`~/…` in the user's home; a relative HOME counts as unset (the account's home)."""
    expanded = os.path.expanduser(path)
    if os.path.isabs(expanded):
        return expanded
    import pwd

    return pwd.getpwuid(os.getuid()).pw_dir.rstrip("/") + path[1:]


def data_dir() -> str:
    """linkcheck's folder in the user data folder (releases and the TUF metadata)."""
    base = _base("XDG_DATA_HOME", "~/.local/share", "~/Library/Application Support",
                 "LOCALAPPDATA")  # fmt: skip
    return os.path.join(base, APP)


def config_dir() -> str:
    """linkcheck's folder in the user config folder (the trusted repository)."""
    base = _base("XDG_CONFIG_HOME", "~/.config", "~/Library/Application Support", "APPDATA")
    return os.path.join(base, APP)


def release_dir() -> str:
    return os.path.join(data_dir(), RELEASE_FOLDER)


def record_path() -> str:
    return os.path.join(release_dir(), RECORD)
