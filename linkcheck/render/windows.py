"""`timeline` and `upcoming`: segments as JSON and plain lines, the chart, and the lines
that say what changes next and where the rules end."""

from __future__ import annotations

from datetime import timedelta

from ..words import iso, newer_rules_hint
from .check import horizon_dict
from .common import BEYOND_GLYPH, COLOUR, GLYPH, days_word, plural


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

    from .fit import width_of

    span = (last - first).days + 1
    rows: dict[tuple[str, str], list] = {}
    for seg in segments:
        rows.setdefault((seg.source, seg.surface), []).append(seg)
    # the bar takes what the names leave, at least 20 columns: then the names are cut
    name_width = max((width_of(names.get(s, s)) for s, _ in rows), default=0)
    surface_width = max((len(surface) for _, surface in rows), default=0)
    room = (out.width or 100) - surface_width - 2
    name_width = max(8, min(name_width, room - 20))
    width = max(20, min(90, room - name_width))
    per_cell = span / width
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, max_width=name_width, overflow="ellipsis")
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    marks = [" "] * width
    taken: list[tuple[int, int]] = []  # where labels were put: a later one that would
    # overlap one is shown as its mark alone
    for day, label in ((horizon and horizon.through, "┊rules end"), (today, "▼ today")):
        if day is None or not first <= day < last:  # a horizon on the last day: no mark
            continue
        at = int((day - first).days / per_cell)
        mark = label[0]
        if at + len(label) > width:  # near the right edge: the label ends at the mark
            label = label[1:] + label[0]
            at = max(0, at - len(label) + 1)
        if any(at < end and start < at + len(label) for start, end in taken):
            at, label = int((day - first).days / per_cell), mark
        marks[at : at + len(label)] = label
        taken.append((at, at + len(label)))
    if taken:  # a row of marks only when there is something to mark
        table.add_row("", "", Text("".join(marks[:width]).rstrip(), style="bold"))
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
            bar.append(GLYPH[verdict], style=COLOUR[verdict])
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
    legend.append(f"({plural(span, 'day')}, {per_cell:.1f} per column)")
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
    when = days_word(until)
    if row["kind"] == "opens":
        return f"opens   {day}  {who} · {surfaces}: allowed from {day} ({when}) [{row['rule']}]"
    return (
        f"changes {day}  {who} · {surfaces}: {row['from']} → {row['to']} ({when}){ends} "
        f"[{row['rule'] or row['closing_rule'] or 'no rule'}]"
    )
