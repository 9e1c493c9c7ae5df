"""Turning decisions into text: JSON documents, tab-separated plain lines, and rich text.

The only module that imports rich, and only inside the functions that draw with it, so a
plain or JSON answer never pays for it.
"""

from __future__ import annotations

from datetime import timedelta

from .errors import escape_controls, shown
from .model import Decision, Rule
from .words import iso, newer_rules_hint

VERDICT_STYLE = {"allowed": "bold green", "denied": "bold red", "unknown": "bold yellow"}
VERDICT_MARK = {"allowed": "✔", "denied": "✘", "unknown": "?"}
GLYPH = {"allowed": "█", "denied": "░", "unknown": "▒"}  # tell apart without colour too
BEYOND_GLYPH = "·"  # past the horizon: unknown because the rules end


# ---------------------------------------------------------------------- JSON shapes


def rule_dict(rule: Rule | None) -> dict | None:
    if rule is None:
        return None
    return {
        "id": rule.id,
        "verdict": rule.verdict,
        "start": rule.start_text,
        "end": rule.end_text,
        "note": rule.note,
        "citation": rule.citation.as_dict() if rule.citation else None,
        "file": rule.file,
    }


def decision_dict(d: Decision, explain: dict | None = None) -> dict:
    out = {
        "surface": d.surface,
        "verdict": d.verdict,
        "reason": d.reason,
        "rule": rule_dict(d.rule),
        "overridden": [r.id for r in d.overridden],
        "next_change": (
            {"at": iso(d.next_change.at), "verdict": d.next_change.verdict}
            if d.next_change
            else None
        ),
    }
    out["horizon"] = horizon_dict(d.horizon)
    if d.last_known is not None:
        out["last_known"] = {
            "verdict": d.last_known.verdict,
            "rule": d.last_known.rule.id if d.last_known.rule else None,
        }
    if d.candidates:
        out["candidates"] = [
            {"source": c.source, "verdict": c.verdict, "rule": c.rule.id if c.rule else None}
            for c in d.candidates
        ]
    if explain is not None:
        out["explain"] = explain
    return out


def horizon_dict(horizon) -> dict | None:
    if horizon is None:
        return None
    return {
        "through": horizon.through.isoformat(),
        "as_of": horizon.as_of.isoformat(),
        "file": horizon.file,
    }


def explain_dict(explanations: list[tuple[str, list[Rule], list[Rule]]]) -> dict:
    """[(source, rules in force winner first, near misses)] → JSON."""
    matched, near = [], []
    for source, live, misses in explanations:
        for i, rule in enumerate(live):
            matched.append(
                {
                    "source": source,
                    "id": rule.id,
                    "verdict": rule.verdict,
                    "start": rule.start_text,
                    "end": rule.end_text,
                    "won": i == 0,
                }
            )
        for rule in misses:
            near.append(
                {
                    "source": source,
                    "id": rule.id,
                    "verdict": rule.verdict,
                    "start": rule.start_text,
                    "end": rule.end_text,
                }
            )
    return {"matched": matched, "near_misses": near}


def check_document(
    typed: str, decisions: list[Decision], overall: str, explains: list | None = None
) -> dict:
    first = decisions[0]
    return {
        "platform": first.platform,
        "source": first.source,
        "input": typed,
        "at": iso(first.at),
        "verdict": overall,
        "results": [
            decision_dict(d, explain_dict(explains[i]) if explains else None)
            for i, d in enumerate(decisions)
        ],
    }


def to_json(document) -> str:
    import json

    return json.dumps(document, ensure_ascii=False, indent=2)


# ---------------------------------------------------------------------- words


def window_text(rule: Rule) -> str:
    start = rule.start_text or "always"
    end = rule.end_text or "open-ended"
    return f"{start} → {end}"


def change_phrase(d: Decision) -> str:
    """When the answer changes next, counted in calendar days of the query's zone.

    "until 2022-12-31 (51 days, today included), then denied" / "opens 2022-10-28 (in 3 days)".
    """
    change = d.next_change
    if change is None:
        if d.horizon is not None and d.reason != "beyond_horizon":
            return f"no change ahead up to the rules' horizon ({d.horizon.through})"
        return "no change ahead in the loaded rules"
    tz = d.at.tzinfo
    at = change.at.astimezone(tz)
    query_day = d.at.date()
    midnight = at.hour == at.minute == at.second == at.microsecond == 0
    if d.verdict == "allowed":
        last = (at - timedelta(microseconds=1)).date() if midnight else at.date()
        days = (last - query_day).days + 1
        shown = last.isoformat() if midnight else at.strftime("%Y-%m-%d %H:%M:%S")
        count = "today only" if days == 1 else f"{days} days, today included"
        return f"until {shown} ({count}), then {change.verdict}{_rules_end(d)}"
    shown = at.date().isoformat() if midnight else at.strftime("%Y-%m-%d %H:%M:%S")
    days = (at.date() - query_day).days
    when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
    if change.verdict == "allowed":
        return f"opens {shown} ({when})"
    return f"{change.verdict} from {shown} ({when}){_rules_end(d)}"


def _rules_end(d: Decision) -> str:
    """Said of a change that is the horizon itself: why the answer turns unknown there."""
    change, horizon = d.next_change, d.horizon
    if change is not None and horizon is not None and change.at == horizon.end:
        return ": the rules end there"
    return ""


def horizon_lines(d: Decision, platform_name: str = "") -> list[str]:
    """Past the horizon: what the rules know, the last known verdict, what to do."""
    horizon = d.horizon
    if d.reason != "beyond_horizon" or horizon is None:
        return []
    who = platform_name or d.platform
    lines = [
        f"beyond the rules' horizon: the loaded rules for {who} know nothing after "
        f"{horizon.through} (facts as of {horizon.as_of})"
    ]
    known = d.last_known
    if known is not None:
        rule = known.rule.id if known.rule else "no rule"
        lines.append(f"last known, on {horizon.through}: {known.verdict} ({rule})")
    lines.append(f"to answer for {d.at.date()}: {newer_rules_hint(d.platform)}")
    return lines


def citation_text(rule: Rule) -> str:
    if rule.citation is None:
        return ""
    by = f"{rule.citation.by}, " if rule.citation.by else ""
    return f"“{rule.citation.quote}” — {by}{rule.citation.source}"


# ---------------------------------------------------------------------- plain


def plain_lines(
    decisions: list[Decision], explains: list | None = None, typed: str = ""
) -> list[str]:
    """One tab-separated line per surface: verdict platform source surface instant rule."""
    lines = []
    for i, d in enumerate(decisions):
        rule = d.rule.id if d.rule else "-"
        lines.append("\t".join((d.verdict, d.platform, d.source, d.surface, iso(d.at), rule)))
        if explains:
            lines.extend("  " + line for line in explain_lines(d, explains[i], typed))
    return lines


def ambiguity_hint(d: Decision, typed: str) -> str:
    """How to say which candidate is meant: --as for a link, the id itself for a name."""
    from .links import looks_like_link

    first = d.candidates[0].source
    if looks_like_link(typed):
        return f"say which source it is: linkcheck check '{shown(typed)}' --as {first}"
    return f"pass the exact source, e.g. linkcheck check {first}"


def horizon_note(decisions: list[Decision]) -> list[str]:
    """Two lines for stderr beside plain output: the rules end before the instant asked."""
    beyond = [d for d in decisions if d.reason == "beyond_horizon" and d.horizon is not None]
    if not beyond:
        return []
    first = beyond[0]
    known = ", ".join(
        f"{d.surface} {d.last_known.verdict}"
        + (f" ({d.last_known.rule.id})" if d.last_known.rule else "")
        for d in beyond
        if d.last_known is not None
    )
    return [
        f"note: the loaded rules for {first.platform} know nothing after "
        f"{first.horizon.through} (as of {first.horizon.as_of}); last known: {known}",
        f"note: {newer_rules_hint(first.platform)}",
    ]


def explain_lines(d: Decision, explanations, typed: str = "", summary: bool = True) -> list[str]:
    """Why: the candidates, every rule in force and near misses, and the next change.
    `summary=False` leaves out what the terminal view has already said above them."""
    lines = []
    for c in d.candidates:
        rule = c.rule.id if c.rule else "no rule"
        lines.append(f"candidate {c.source}: {c.verdict} ({rule})")
    if summary and d.reason == "ambiguous_link":
        lines.append("the candidates disagree; " + ambiguity_hint(d, typed))
    beyond = d.reason == "beyond_horizon"
    if summary:
        lines.extend(horizon_lines(d))
    for source, live, near in explanations:
        label = f"[{source}] " if len(explanations) > 1 else ""
        if not live:
            lines.append(f"{label}no rule in force: unknown")
        for i, rule in enumerate(live):
            if i == 0:
                why = (
                    "the only rule in force"
                    if len(live) == 1
                    else "wins: latest start"
                    + (" (tie: loaded later)" if rule.start == live[1].start else "")
                )
                if beyond:
                    why += ", but the instant lies past the horizon"
                lines.append(f"{label}{rule.id}: {rule.verdict} {window_text(rule)}: {why}")
                if rule.citation is not None:
                    lines.append(f"{label}  {citation_text(rule)}")
                if rule.note:
                    lines.append(f"{label}  note: {rule.note}")
            else:
                lines.append(f"{label}{rule.id}: {rule.verdict} {window_text(rule)}: overridden")
        for rule in near:
            lines.append(
                f"{label}near miss {rule.id}: {rule.verdict} {window_text(rule)}: "
                "not in force at this time"
            )
    lines.append(change_phrase(d))
    return lines


# ---------------------------------------------------------------------- rich text


def console(color: str = "auto", stderr: bool = False):
    from rich.console import Console

    force = True if color == "always" else None
    return Console(
        stderr=stderr,
        force_terminal=force,
        no_color=(color == "never") or None,
        highlight=False,
        soft_wrap=False,
    )


def print_check_text(
    out,
    decisions: list[Decision],
    names: dict[str, str],
    typed: str,
    explains: list | None = None,
) -> None:
    """The terminal view of `linkcheck check`: a heading, then one block per surface."""
    from rich.markup import escape
    from rich.table import Table

    first = decisions[0]
    zone = getattr(first.at.tzinfo, "key", None) or first.at.strftime("%z")
    heading = (
        f"[bold]{escape(names.get(first.source, first.source))}[/] on "
        f"[bold]{escape(names.get(first.platform, first.platform))}[/] · "
        f"{first.at:%Y-%m-%d %H:%M} ({escape(zone)}, {first.at.isoformat()[-6:]})"
    )
    out.print(heading)
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for i, d in enumerate(decisions):
        style = VERDICT_STYLE[d.verdict]
        verdict = f"[{style}]{VERDICT_MARK[d.verdict]} {d.verdict}[/]"
        if d.rule:
            detail = f"[cyan]{escape(d.rule.id)}[/] · {escape(change_phrase(d))}"
            cited = citation_text(d.rule)
            if cited:
                detail += f"\n[dim]{escape(cited)}[/]"
            if d.verdict == "unknown" and d.rule.note and not explains:
                detail += f"\n[dim]{escape(d.rule.note)}[/]"
        elif d.reason == "ambiguous_link":
            parts = ", ".join(f"{c.source}: {c.verdict}" for c in d.candidates)
            detail = (
                f"the candidates disagree ({escape(parts)}) · {escape(change_phrase(d))}\n"
                f"[dim]{escape(ambiguity_hint(d, typed))}[/]"
            )
        elif d.reason == "beyond_horizon":
            first_line, *rest = horizon_lines(d, names.get(d.platform, d.platform))
            detail = escape(first_line) + "".join(f"\n[dim]{escape(x)}[/]" for x in rest)
        else:
            detail = f"no rule covers this · {escape(change_phrase(d))}"
        table.add_row(verdict, escape(d.surface), detail)
        if explains:
            for line in explain_lines(d, explains[i], typed, summary=False)[:-1]:
                table.add_row("", "", f"[dim]{escape(line)}[/]")
    out.print(table)


# ---------------------------------------------------------------------- listings


def _cell(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(value) if value else "-"
    return "-" if value in (None, "") else str(value)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def columns_text(rows: list[dict], columns: tuple[str, ...]) -> list[str]:
    """Aligned columns with a header; the last column is not padded."""
    columns = tuple(c for c in columns if any(c in r for r in rows))
    cells = [[c.upper() for c in columns]] + [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(columns) - 1)]
    lines = []
    for row in cells:
        padded = [cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=False)]
        lines.append("  ".join([*padded, row[-1]]).rstrip())
    return lines


def batch_table(names: list[str], rows: list[list[str]]):
    """A block of batch output rows as a rich Table, the verdict coloured."""
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    verdict_at = len(names) - 4  # surface, verdict, rule, next_change, note
    for i, name in enumerate(names):
        table.add_column(name, overflow="fold", no_wrap=verdict_at - 1 <= i <= verdict_at + 1)
    for row in rows:
        cells = [*row, *([""] * (len(names) - len(row)))][: len(names)]
        style = VERDICT_STYLE.get(cells[verdict_at], "bold magenta")
        cells[verdict_at] = f"[{style}]{cells[verdict_at]}[/]"
        table.add_row(*(c if i == verdict_at else _escape(c) for i, c in enumerate(cells)))
    return table


def _escape(text: str) -> str:
    """A cell for the terminal: markup escaped, control characters shown as escapes."""
    from rich.markup import escape

    return escape(escape_controls(text))


def batch_summary(counts: dict[str, int]) -> str:
    """`1,980 results: allowed 1,020 · denied 800 · unknown 150 · error 10`."""
    words = ("allowed", "denied", "unknown", "error")
    parts = " · ".join(f"{v} {counts.get(v, 0):,}" for v in words)
    return f"{sum(counts.values()):,} results: {parts}"


class BatchProgress:
    """Rows done, rows per second and elapsed time on a terminal's stderr."""

    def __init__(self, color: str) -> None:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.completed:,} rows"),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            console=console(color, stderr=True),
            transient=True,
        )
        self._task = self._progress.add_task("batch", total=None, rate="")
        self._progress.start()

    def update(self, rows: int) -> None:
        task = self._progress.tasks[0]
        elapsed = task.elapsed or 0.0
        rate = f"{rows / elapsed:,.0f} rows/s" if elapsed > 0 else ""
        self._progress.update(self._task, completed=rows, rate=rate)

    def stop(self) -> None:
        self._progress.stop()


# ---------------------------------------------------------------------- rules


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


def rule_lines(rule: Rule, zone, horizon=None) -> list[str]:
    """`rules show`: one field a line."""
    kind = "inclusive days" if rule.start_text and len(rule.start_text) == 10 else "instants"
    fields = [
        ("platform", rule.platform),
        ("verdict", f"{rule.verdict} ({rule.outcome})"),
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
    return [rule.id] + [f"  {name:<9} {value}" for name, value in fields]


def print_rules_table(out, rows: list[dict], at) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"rules at {at:%Y-%m-%d %H:%M %z}", header_style="bold")
    for name in ("id", "platform", "verdict", "sources", "surfaces", "window", "in force", "file"):
        table.add_column(name, overflow="fold")
    styles = {"allow": "green", "deny": "red", "unknown": "yellow"}
    for r in rows:
        table.add_row(
            escape(r["id"]),
            r["platform"],
            f"[{styles[r['verdict']]}]{r['verdict']}[/]",
            escape(", ".join(r["sources"])),
            escape(", ".join(r["surfaces"])),
            escape(r["window"]),
            "[bold]yes[/]" if r["in_force"] else "[dim]no[/]",
            escape(r["file"]),
        )
    out.print(table)


# ---------------------------------------------------------------------- timeline, upcoming


def segment_dict(seg) -> dict:
    return {
        "platform": seg.platform,
        "source": seg.source,
        "surface": seg.surface,
        "start": seg.first_day.isoformat() if seg.whole_days else iso(seg.start),
        "end": seg.last_day.isoformat() if seg.whole_days else iso(seg.end),
        "verdict": seg.verdict,
        "rule": seg.rule.id if seg.rule else None,
        "reason": seg.reason,
    }


def segment_lines(segments) -> list[str]:
    """Plain timeline: one tab-separated line a segment, ends inclusive."""
    lines = []
    for seg in segments:
        d = segment_dict(seg)
        lines.append(
            "\t".join(
                (d["source"], d["surface"], d["start"], d["end"], d["verdict"], d["rule"] or "-")
            )
        )
    return lines


def print_timeline(out, segments, first, last, today, names: dict[str, str], horizon=None) -> None:
    """A chart: a row per source × surface, one character per slice of the range; the days
    past the horizon (the last day the rules vouch for) are drawn apart and the horizon is
    marked above the bars."""
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    span = (last - first).days + 1
    width = max(20, min(90, (out.width or 100) - 36))
    per_cell = span / width
    rows: dict[tuple[str, str], list] = {}
    for seg in segments:
        rows.setdefault((seg.source, seg.surface), []).append(seg)
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    marks = [" "] * width
    for day, label in ((horizon and horizon.through, "┊rules end"), (today, "▼ today")):
        if day is None or not first <= day < last:  # a horizon on the last day: no mark
            continue
        at = int((day - first).days / per_cell)
        if at + len(label) > width:  # near the right edge: the label ends at the mark
            label = label[1:] + label[0]
            at = max(0, at - len(label) + 1)
        marks[at : at + len(label)] = label
    table.add_row("", "", Text("".join(marks[:width]).rstrip(), style="bold"))
    colours = {"allowed": "green", "denied": "red", "unknown": "yellow"}
    for (source, surface), segs in rows.items():
        bar = Text()
        for i in range(width):
            day = first.toordinal() + int(i * per_cell)
            seg = next(
                (s for s in segs if s.first_day.toordinal() <= day <= s.last_day.toordinal()), None
            )
            if seg is not None and seg.reason == "beyond_horizon":
                bar.append(BEYOND_GLYPH, style="dim")
                continue
            verdict = seg.verdict if seg else "unknown"
            bar.append(GLYPH[verdict], style=colours[verdict])
        table.add_row(escape(names.get(source, source)), escape(surface), bar)
    axis = f"{first.isoformat()}{' ' * max(1, width - 20)}{last.isoformat()}"
    table.add_row("", "", Text(axis, style="dim"))
    out.print(table)
    legend = [
        (GLYPH["allowed"], "green"),
        " allowed  ",
        (GLYPH["denied"], "red"),
        " denied  ",
        (GLYPH["unknown"], "yellow"),
        " unknown  ",
    ]
    if horizon is not None and horizon.through < last:
        legend += [(BEYOND_GLYPH, "dim"), f" unknown: after {horizon.through}, the rules end  "]
    legend.append(f"({span} days, {per_cell:.1f} per column)")
    out.print(Text.assemble(*legend))


def timeline_note(horizon, last) -> list[str]:
    """For stderr beside plain or JSON segments that reach past the horizon."""
    if horizon is None or horizon.through >= last:
        return []
    return [
        f"note: the loaded rules for {horizon.platform} end on {horizon.through} (as of "
        f"{horizon.as_of}): later days are unknown; {newer_rules_hint(horizon.platform)}"
    ]


def upcoming_dict(event, at) -> dict:
    tz = event.at.tzinfo
    today = at.astimezone(tz).date()
    change_day = event.at.date()
    last_day = event.last_day()
    return {
        "platform": event.platform,
        "source": event.source,
        "surfaces": list(event.surfaces),
        "kind": event.kind,
        "at": iso(event.at),
        "from": event.before,
        "to": event.after,
        "last_day": last_day.isoformat(),
        "days_left": (last_day - today).days + 1,
        "days_until": (change_day - today).days,
        "rule": event.rule.id if event.rule else None,
        "closing_rule": event.closing.id if event.closing else None,
        "reason": event.reason,
    }


def horizon_status_dict(status) -> dict:
    return {"platform": status.platform, "state": status.state} | horizon_dict(status.horizon)


def horizon_status_line(status, at, days: int, names: dict[str, str]) -> str:
    """upcoming: where the rules end, said instead of a silent "nothing changes"."""
    who = names.get(status.platform, status.platform)
    horizon = status.horizon
    if status.state == "passed":
        end = at.date() + timedelta(days=days)
        return (
            f"ended   {horizon.through}  the loaded rules for {who} end on {horizon.through} "
            f"(as of {horizon.as_of}): nothing is known about {at.date()} → {end}; "
            f"{newer_rules_hint(status.platform)}"
        )
    return (
        f"ends    {horizon.through}  the loaded rules for {who} end: every answer after "
        f"{horizon.through} is unknown; {newer_rules_hint(status.platform)}"
    )


def upcoming_line(row: dict, names: dict[str, str]) -> str:
    source, platform = row["source"], row["platform"]
    who = f"{names.get(source, source)} on {names.get(platform, platform)}"
    surfaces = ", ".join(row["surfaces"])
    day = row["at"][:10]
    ends = ": the rules end there" if row.get("reason") == "beyond_horizon" else ""
    if row["kind"] == "closes":
        left = row["days_left"]
        count = "last day today" if left == 1 else f"{left} days left, today included"
        return (
            f"closes  {row['last_day']}  {who} · {surfaces}: last allowed day ({count}), "
            f"then {row['to']}{ends} [{row['closing_rule']}]"
        )
    until = row["days_until"]
    when = "today" if until == 0 else "tomorrow" if until == 1 else f"in {until} days"
    if row["kind"] == "opens":
        return f"opens   {day}  {who} · {surfaces}: allowed from {day} ({when}) [{row['rule']}]"
    return (
        f"changes {day}  {who} · {surfaces}: {row['from']} → {row['to']} ({when}){ends} "
        f"[{row['rule'] or row['closing_rule'] or 'no rule'}]"
    )
