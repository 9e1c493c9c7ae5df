"""TOML rules files → a Catalog: strict schema 1, layering, per-file time zones, horizons.

    schema     the format's keys and what an id may be
    files      a file's bytes, safely (bundled, a path, LINKCHECK_RULES); the depth check
    loader     files one after another into one Catalog, every problem collected
    document   one parsed document: top level, vocabulary, horizons, cited documents
    rule       one [[rule]] table

Knows nothing of queries.
"""

from __future__ import annotations

from .files import (
    MAX_DEPTH,
    MAX_FILE,
    Unreadable,
    bundled_folder,
    bundled_rules,
    read_rules_file,
    rules_env_paths,
    too_deep,
)
from .loader import Loader, load_catalog, read_files
from .schema import BUNDLED_NAME, DEFAULT_TIMEZONE, SCHEMA

__all__ = [
    "BUNDLED_NAME", "DEFAULT_TIMEZONE", "MAX_DEPTH", "MAX_FILE", "SCHEMA", "Loader",
    "Unreadable", "bundled_folder", "bundled_rules", "load_catalog", "read_files",
    "read_rules_file", "rules_env_paths", "too_deep",
]  # fmt: skip
