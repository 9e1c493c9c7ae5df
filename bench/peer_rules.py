"""The bundled rules for the peers, as `linkcheck rules export` writes them (run.py exports
them to bench/out/segments.csv and passes the path in LINKCHECK_SEGMENTS).

Each peer answers a (source, surface, day) row by finding the span of the exported interval
table that holds the day's first instant in Shanghai — the join docs/scaling.md shows — and
writes the same five columns as linkcheck (surface, verdict, rule, next_change, note). run.py
checks that every peer agrees with linkcheck on every row.
"""

from __future__ import annotations

import csv
import os
import tomllib
from bisect import bisect_right
from datetime import datetime, timedelta

PLATFORM = "kuaishou"
OFFSET = timedelta(hours=8)  # Asia/Shanghai has had no daylight saving since 1991
NO_RULE = "no rule covers this"
BEYOND = "beyond the rules' horizon"


def segments_path() -> str:
    return os.environ.get("LINKCHECK_SEGMENTS", "bench/out/segments.csv")


def domains() -> dict[str, list[str]]:
    """Each source's own link domains, from the bundled rules file (groups left out: the
    link-heavy checklist links only to sources with domains of their own)."""
    rules = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "rules.toml")
    with open(rules, "rb") as f:
        return {k: v.get("domains", []) for k, v in tomllib.load(f)["sources"].items()}


def load(path: str | None = None) -> list[dict[str, str]]:
    """The exported rows of the bundled Kuaishou rules."""
    with open(path or segments_path(), newline="", encoding="utf-8") as f:
        return [row for row in csv.DictReader(f) if row["platform"] == PLATFORM]


def day_start(day: str) -> str:
    """A day's first instant in Shanghai as the export writes instants (UTC, with Z)."""
    return (datetime.fromisoformat(day) - OFFSET).isoformat() + "Z"


def local(instant: str) -> str:
    """An exported UTC instant as linkcheck writes it: in Shanghai time, +08:00."""
    return (datetime.fromisoformat(instant[:-1]) + OFFSET).isoformat() + "+08:00"


def note(reason: str) -> str:
    return NO_RULE if reason == "no_rule" else BEYOND if reason == "beyond_horizon" else ""


def answer(row: dict[str, str]) -> tuple[str, str, str, str]:
    change = row["next_change_at"]
    next_change = f"{local(change)} {row['next_change_verdict']}" if change else ""
    return row["verdict"], row["rule"], next_change, note(row["reason"])


class Table:
    """(source, surface) → the spans' starts and answers, for a bisect."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.spans: dict[tuple[str, str], tuple[list[str], list]] = {}
        for row in rows:
            starts, answers = self.spans.setdefault((row["source"], row["surface"]), ([], []))
            starts.append(row["start"])
            answers.append(answer(row))

    def decide(self, source: str, surface: str, day: str) -> tuple[str, str, str, str]:
        starts, answers = self.spans[(source, surface)]
        # the first span starts at "" (the beginning of time), which sorts first
        return answers[bisect_right(starts, day_start(day)) - 1]
