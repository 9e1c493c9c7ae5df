"""The `rules` views: the list and its table, one rule in full, lint problems, and a diff
of verdicts between two rules files — as JSON documents and as text."""

from __future__ import annotations

from ..model import VERDICT_OF, Rule
from ..timeline import in_force
from ..words import iso
from .check import citation_text, horizon_dict, window_text
from .common import COLOUR, plural


def rule_row(rule: Rule, at) -> dict:
    """`rules list`: one rule, and whether its window holds `at`."""
    return {
        "id": rule.id,
        "platform": rule.platform,
        "verdict": rule.word,
        "sources": list(rule.sources_text),
        "surfaces": list(rule.surfaces_text),
        "start": rule.start_text,
        "end": rule.end_text,
        "window": window_text(rule),
        "in_force": in_force(rule, at),
        "file": rule.file,
        "position": rule.position,
    }


def rules_list_document(rows: list[dict], at, horizons) -> dict:
    return {
        "at": iso(at),
        "rules": rows,
        "horizons": {h.platform: horizon_dict(h) for h in horizons},
    }


def rules_list_plain(rows: list[dict]) -> list[dict]:
    return [{**r, "in_force": "yes" if r["in_force"] else "no"} for r in rows]


RULES_LIST_COLUMNS = ("id", "platform", "verdict", "sources", "surfaces", "window", "in_force",
                      "file")  # fmt: skip


def rule_document(rule: Rule, zone, horizon) -> dict:
    """`rules show --json`."""
    from .check import rule_dict

    return rule_dict(rule) | {
        "horizon": horizon_dict(horizon),
        "platform": rule.platform,
        "sources": list(rule.sources_text),
        "surfaces": list(rule.surfaces_text),
        "position": rule.position,
        "start_instant": iso(rule.start and rule.start.astimezone(zone)),
        "end_instant": iso(rule.end and rule.end.astimezone(zone)),
    }


def lint_document(problems) -> dict:
    errors = sum(p.level == "error" for p in problems)
    return {"errors": errors, "warnings": len(problems) - errors,
            "problems": [p.as_dict() for p in problems]}  # fmt: skip


def lint_lines(problems, paths: list[str]) -> list[str]:
    errors = sum(p.level == "error" for p in problems)
    checked = ", ".join(paths) if paths else "the bundled rules"
    warnings = len(problems) - errors
    verdict = (
        "clean" if not problems else f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    )
    return [f"{p.level}: {p}" for p in problems] + [f"{checked}: {verdict}"]


def diff_document(old: str, new: str, changes, moved, zone_of) -> dict:
    """`rules diff --json`: each change as calendar days of its platform's zone."""
    from ..lint import day_range

    rows = []
    for c in changes:
        zone = zone_of(c.platform)
        first, last = day_range(c, zone)
        rows.append(
            {
                "platform": c.platform,
                "source": c.source,
                "surface": c.surface,
                "from": first,
                "to": last,
                "start": iso(c.start and c.start.astimezone(zone)),
                "end": iso(c.end and c.end.astimezone(zone)),
                "old": {"verdict": c.old, "rule": c.old_rule, "reason": c.old_reason},
                "new": {"verdict": c.new, "rule": c.new_rule, "reason": c.new_reason},
            }
        )
    horizons = [
        {"platform": platform, "old": horizon_dict(was), "new": horizon_dict(now)}
        for platform, was, now in moved
    ]
    return {"old": old, "new": new, "changes": rows, "horizons": horizons}


def diff_lines(doc: dict) -> list[str]:
    """`rules diff` as text: moved horizons, then a line per changed range."""
    if not doc["changes"] and not doc["horizons"]:
        return ["no verdict changes"]
    lines = []
    for m in doc["horizons"]:
        was = m["old"]["through"] if m["old"] else "none"
        now = m["new"]["through"] if m["new"] else "none"
        as_of = f" (as of {m['new']['as_of']})" if m["new"] else ""
        lines.append(f"{m['platform']} · horizon: {was} → {now}{as_of}")
    for r in doc["changes"]:
        lines.append(
            f"{r['platform']} · {r['source']} · {r['surface']} · {r['from']} → {r['to']}: "
            f"{r['old']['verdict']} → {r['new']['verdict']} ({_why(r['old'])} → {_why(r['new'])})"
        )
    return lines


def _why(side: dict) -> str:
    if side["rule"]:
        return side["rule"]
    return "beyond the horizon" if side["reason"] == "beyond_horizon" else "no rule"


def horizon_listing(catalog, platform: str | None = None) -> list[str]:
    """`rules list`: how far the loaded rules reach, a line per platform."""
    lines = []
    for ident in catalog.platforms:
        if platform is not None and ident != platform:
            continue
        h = catalog.horizons.get(ident)
        if h is None:
            lines.append(f"horizon {ident}: none stated (answers never expire)")
        else:
            lines.append(
                f"horizon {ident}: through {h.through} (as of {h.as_of}, {h.file}); "
                "later instants are unknown"
            )
    return lines


def rule_lines(rule: Rule, zone, horizon=None, width: int = 80) -> list[str]:
    """`rules show`: one field a line, wrapped under its value to `width`."""
    from .fit import wrap

    kind = "inclusive days" if rule.start_text and len(rule.start_text) == 10 else "instants"
    fields = [
        ("platform", rule.platform),
        ("verdict", f"{rule.word} ({rule.outcome})"),
        ("sources", ", ".join(rule.sources_text)),
        ("surfaces", ", ".join(rule.surfaces_text)),
        ("window", f"{window_text(rule)} ({kind}, {getattr(zone, 'key', zone)})"),
        ("note", rule.note or "-"),
        ("citation", citation_text(rule) or "-"),
        ("file", f"{rule.file}, rule #{rule.position}"),
        (
            "horizon",
            f"{rule.platform} rules reach through {horizon.through} (as of {horizon.as_of})"
            if horizon
            else "none stated",
        ),
    ]
    lines = [rule.id]
    for name, value in fields:
        lines.extend(wrap(f"  {name:<9} {value}", width, indent=12))
    return lines


WIDE_TABLE = 150  # columns the rules table needs to show ids and sources unbroken


def print_rules_table(out, rows: list[dict], at) -> None:
    from rich.markup import escape
    from rich.table import Table

    title = f"rules at {at:%Y-%m-%d %H:%M %z}"
    if (out.width or 80) < WIDE_TABLE:  # too narrow for eight columns: one record a rule
        from .tables import columns_text

        out.print(title, style="bold", markup=False)
        for line in columns_text(rules_list_plain(rows), RULES_LIST_COLUMNS, out.width):
            out.print(line, markup=False)
        return
    table = Table(title=title, header_style="bold")
    for name in ("id", "platform", "verdict", "sources", "surfaces", "window", "in force", "file"):
        table.add_column(name, overflow="fold", no_wrap=name not in ("sources", "surfaces"))
    for r in rows:
        table.add_row(
            escape(r["id"]),
            r["platform"],
            f"[{COLOUR[VERDICT_OF[r['verdict']]]}]{r['verdict']}[/]",
            escape(", ".join(r["sources"])),
            escape(", ".join(r["surfaces"])),
            escape(r["window"]),
            "[bold]yes[/]" if r["in_force"] else "[dim]no[/]",
            escape(r["file"]),
        )
    out.print(table)
