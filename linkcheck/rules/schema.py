"""The rules file format, schema 1: its keys, and what an id may be."""

from __future__ import annotations

import re

from ..i18n import N_, Deferred

SCHEMA = 1
DEFAULT_TIMEZONE = "Asia/Shanghai"
BUNDLED_NAME = "rules.toml (bundled)"
_BUNDLED_SAID = Deferred(N_("rules.toml (bundled)"))


# an entry, document or rule as a message names it (in the reader's language: 来源 'tmall')
NAMED = {
    "platforms": N_("platform '{id}'"),
    "sources": N_("source '{id}'"),
    "groups": N_("group '{id}'"),
    "surfaces": N_("surface '{id}'"),
    "documents": N_("document '{id}'"),
    "rules": N_("rule '{id}'"),
}


def written(value) -> str:
    """A TOML value as a rules file writes it, for a message: 2024-01-01T10:00:00, "text",
    true, 3 — never Python's repr (datetime.datetime(2024, 1, 1, 10, 0))."""
    import json
    from datetime import date, time

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(written(v) for v in value[:5]) + (", …]" if len(value) > 5 else "]")
    if isinstance(value, dict):
        return "{…}"
    return str(value)


def file_name(name: str):
    """A rules file's name as a message says it: the bundled file's in the reader's
    language (rules.toml（内置）), any other as it is (JSON keeps BUNDLED_NAME)."""
    return _BUNDLED_SAID if name == BUNDLED_NAME else name


TOP_KEYS = (
    "schema",
    "version",
    "timezone",
    "default_platform",
    "platforms",
    "sources",
    "groups",
    "surfaces",
    "horizon",
    "documents",
    "rule",
)
HORIZON_KEYS = ("as_of", "through")
ENTRY_KEYS = {
    "platforms": ("name", "name_zh", "aliases", "timezone", "override"),
    "sources": ("name", "name_zh", "aliases", "domains", "override"),
    "groups": ("name", "name_zh", "aliases", "members", "domains", "override"),
    "surfaces": ("name", "name_zh", "aliases", "override"),
}
RULE_KEYS = (
    "id",
    "platform",
    "verdict",
    "sources",
    "surfaces",
    "start",
    "end",
    "note",
    "note_zh",
    "citation",
    "override",
)
REQUIRED_RULE_KEYS = ("id", "platform", "verdict", "sources", "surfaces")
CITATION_KEYS = ("quote", "document", "by", "inference", "inference_zh", "source", "url")
# [documents.ID]: a text the rules cite, shipped beside the rules file and pinned by its hash
DOCUMENT_KEYS = ("title", "publisher", "published", "file", "sha256", "url", "override")
REQUIRED_DOCUMENT_KEYS = ("file", "sha256")
ID = re.compile(r"[a-z0-9][a-z0-9.-]*\Z")
