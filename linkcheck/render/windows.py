"""`timeline` and `upcoming`: segments as JSON and plain lines, the chart, and the lines
that say what changes next and where the rules end."""

from __future__ import annotations

from datetime import timedelta

from ..i18n import N_, ngettext
from ..i18n import gettext as _
from ..words import LIST_SEPARATOR, iso, newer_rules_hint, verdict_word
from .check import horizon_dict
from .common import BEYOND_GLYPH, COLOUR, GLYPH, days_word, surface_label


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


def _cells(label: str) -> list[str]:
    """A label as terminal cells: a wide (CJK) character takes two, the second empty."""
    from .fit import width_of

    return [piece for ch in label for piece in ((ch, "") if width_of(ch) == 2 else (ch,))]


def print_timeline(out, segments, first, last, today, names: dict[str, str], horizon=None) -> None:
    """A chart: a row per source × surface, one character per slice of the range; the days
    past the horizon (the last day the rules vouch for) are drawn apart and the horizon is
    marked above the bars."""
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    from .fit import width_of

    span = (last - first).days + 1
    platforms = list(dict.fromkeys(seg.platform for seg in segments))
    if platforms:  # whose rules these are: a Douyin chart looked like Kuaishou's (a trial)
        out.print(Text(_(LIST_SEPARATOR).join(names.get(p, p) for p in platforms), style="bold"))
    rows: dict[tuple[str, str], list] = {}
    for seg in segments:
        rows.setdefault((seg.source, seg.surface), []).append(seg)
    # the bar takes what the names leave, at least 20 columns: then the names are cut
    name_width = max((width_of(names.get(s, s)) for s, _ in rows), default=0)
    surface_width = max((width_of(surface_label(x, names)) for _, x in rows), default=0)
    room = (out.width or 100) - surface_width - 2
    # too narrow for names beside bars: each row's names on a line of their own, its bar under
    stacked = room - 8 < 20
    name_width = max(8, min(name_width, room - 20))
    width = max(20, min(90, room - name_width)) if not stacked else max(20, (out.width or 100))
    per_cell = span / width
    table = Table.grid(padding=(0, 1))
    if not stacked:
        table.add_column(no_wrap=True, max_width=name_width, overflow="ellipsis")
        table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)

    def add_row(name: str, surface: str, bar) -> None:
        if not stacked:
            table.add_row(name, surface, bar)
            return
        if name or surface:
            table.add_row(f"{name} {surface}")
        table.add_row(bar)

    marks = [" "] * width
    taken: list[tuple[int, int]] = []  # where labels were put: a later one that would
    # overlap one is shown as its mark alone
    for day, label in ((horizon and horizon.through, "┊" + _("rules end")),
                       (today, "▼ " + _("today"))):  # fmt: skip
        if day is None or not first <= day < last:  # a horizon on the last day: no mark
            continue
        at = int((day - first).days / per_cell)
        mark = label[0]
        cells = _cells(label)
        if at + len(cells) > width:  # near the right edge: the label ends at the mark
            cells = [*_cells(label[1:]), label[0]]
            at = max(0, at - len(cells) + 1)
        if any(at < end and start < at + len(cells) for start, end in taken):
            at, cells = int((day - first).days / per_cell), [mark]
        marks[at : at + len(cells)] = cells
        taken.append((at, at + len(cells)))
    if taken:  # a row of marks only when there is something to mark
        add_row("", "", Text("".join(marks[:width]).rstrip(), style="bold"))
    start = first.toordinal()
    # the days [low, high) each column stands for
    columns = [
        (start + int(i * per_cell), max(start + int(i * per_cell) + 1,
                                        start + int((i + 1) * per_cell)))
        for i in range(width)
    ]  # fmt: skip

    def overlap(seg, low: int, high: int) -> int:
        return min(high, seg.last_day.toordinal() + 1) - max(low, seg.first_day.toordinal())

    for (source, surface), segs in rows.items():
        # every span shows in a column of its own — the one holding most of it — unless a
        # longer share of that column is another's; every other column shows what most of
        # its days are (a column's first day alone hid a window over 65 of its 72 days,
        # and what most days are alone hides one cut in two by a column's edge: a trial)
        claimed: dict[int, tuple[int, object]] = {}
        for seg in segs:
            best = max(range(width), key=lambda i: overlap(seg, *columns[i]))
            share = overlap(seg, *columns[best])
            if share > 0 and (best not in claimed or share > claimed[best][0]):
                claimed[best] = (share, seg)
        bar = Text()
        for i in range(width):
            if i in claimed:
                seg = claimed[i][1]
            else:
                seg = max((s for s in segs if overlap(s, *columns[i]) > 0),
                          key=lambda s: overlap(s, *columns[i]), default=None)  # fmt: skip
            if seg is not None and seg.reason == "beyond_horizon":
                bar.append(BEYOND_GLYPH, style="dim")
                continue
            verdict = seg.verdict if seg else "unknown"
            bar.append(GLYPH[verdict], style=COLOUR[verdict])
        add_row(escape(names.get(source, source)), escape(surface_label(surface, names)), bar)
    axis = f"{first.isoformat()}{' ' * max(1, width - 20)}{last.isoformat()}"
    add_row("", "", Text(axis, style="dim"))
    out.print(table)
    legend = [
        (GLYPH["allowed"], "green"),
        f" {verdict_word('allowed')}  ",
        (GLYPH["denied"], "red"),
        f" {verdict_word('denied')}  ",
        (GLYPH["unknown"], "yellow"),
        f" {verdict_word('unknown')}  ",
    ]
    if horizon is not None and horizon.through < last:
        after = _(" unknown: after {day}, the rules end  ").format(day=horizon.through)
        legend += [(BEYOND_GLYPH, "dim"), after]
    legend.append(
        ngettext(
            "({count} day, {per:.1f} per column)", "({count} days, {per:.1f} per column)", span
        ).format(count=f"{span:,}", per=per_cell)
    )
    out.print(Text.assemble(*legend))  # type: ignore[arg-type]


def timeline_note(horizon, last, names: dict[str, str] | None = None) -> list[str]:
    """For stderr beside plain or JSON segments that reach past the horizon (the platform
    by its display name in `names`, as upcoming says it)."""
    if horizon is None or horizon.through >= last:
        return []
    return [
        _(
            "note: the loaded rules for {platform} end on {through} (as of {as_of}): later "
            "days are unknown; {hint}"
        ).format(
            platform=(names or {}).get(horizon.platform, horizon.platform),
            through=horizon.through,
            as_of=horizon.as_of,
            hint=newer_rules_hint(horizon.platform, horizon),
        )
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
    return {"platform": status.platform, "state": status.state} | (
        horizon_dict(status.horizon) or {}
    )


def _kind(word: str) -> str:
    """An event's kind as the first column of an `upcoming` line, 8 columns wide."""
    from .fit import width_of

    label = _(word)
    return label + " " * max(1, 8 - width_of(label))


def horizon_status_line(status, at, days: int, names: dict[str, str]) -> str:
    """upcoming: where the rules end, said instead of a silent "nothing changes"."""
    who = names.get(status.platform, status.platform)
    horizon = status.horizon
    hint = newer_rules_hint(status.platform, status.horizon)
    if status.state == "passed":
        end = at.date() + timedelta(days=days)
        return f"{_kind('ended')}{horizon.through}  " + _(
            "the loaded rules for {platform} end on {through} (as of {as_of}): nothing is "
            "known about {first} → {last}; {hint}"
        ).format(platform=who, through=horizon.through, as_of=horizon.as_of,
                 first=at.date(), last=end, hint=hint)  # fmt: skip
    return f"{_kind('ends')}{horizon.through}  " + _(
        "the loaded rules for {platform} end: every answer after {through} is unknown; {hint}"
    ).format(platform=who, through=horizon.through, hint=hint)


def upcoming_lines(events, rows: list[dict], ends, at, days: int,
                   names: dict[str, str]) -> list[str]:  # fmt: skip
    """`upcoming`'s lines, soonest first: the changes (`events`, as `rows`) and where a
    platform's rules end (`ends`) among them by day — the day shown second, so a window's
    last day comes before the next one's first; rules that have ended come first."""
    keyed = [
        ((e.at, row["last_day"] if e.kind == "closes" else e.at.date().isoformat()),
         upcoming_line(row, names))
        for e, row in zip(events, rows, strict=True)
    ] + [
        ((at if h.state == "passed" else h.horizon.end, str(h.horizon.through)),
         horizon_status_line(h, at, days, names))
        for h in ends
    ]  # fmt: skip
    keyed.sort(key=lambda pair: pair[0])
    return [line for _key, line in keyed]


def upcoming_line(row: dict, names: dict[str, str]) -> str:
    source, platform = row["source"], row["platform"]
    who = _("{source} on {platform}").format(
        source=names.get(source, source), platform=names.get(platform, platform)
    )
    surfaces = _(LIST_SEPARATOR).join(surface_label(s, names) for s in row["surfaces"])
    day = row["at"][:10]
    # a change in the course of a day (a window from 20:00, one that ends at 04:30) says
    # its time: the day alone would say the whole day
    clock = _clock(row["at"])
    ends = _(": the rules end there") if row.get("reason") == "beyond_horizon" else ""
    if row["kind"] == "closes":
        left = row["days_left"]
        count = (
            _("last day today")
            if left == 1
            else _("{days} days left, today included").format(days=left)
        )
        if clock:
            return f"{_kind('closes')}{day}  " + _(
                "{who} · {surfaces}: allowed until {time} ({count}), then {verdict}{ends} "
                "[{rule}]"
            ).format(who=who, surfaces=surfaces, time=f"{day} {clock}", count=count,
                     verdict=verdict_word(row["to"]), ends=ends,
                     rule=row["closing_rule"])  # fmt: skip
        return f"{_kind('closes')}{row['last_day']}  " + _(
            "{who} · {surfaces}: last allowed day ({count}), then {verdict}{ends} [{rule}]"
        ).format(who=who, surfaces=surfaces, count=count, verdict=verdict_word(row["to"]),
                 ends=ends, rule=row["closing_rule"])  # fmt: skip
    until = row["days_until"]
    when = days_word(until)
    shown = f"{day} {clock}" if clock else day
    if row["kind"] == "opens":
        return f"{_kind('opens')}{day}  " + _(
            "{who} · {surfaces}: allowed from {day} ({when}) [{rule}]"
        ).format(who=who, surfaces=surfaces, day=shown, when=when, rule=row["rule"])
    rule = row["rule"] or row["closing_rule"] or _("no rule")
    if clock:
        return f"{_kind('changes')}{day}  " + _(
            "{who} · {surfaces}: {before} → {after} from {time} ({when}){ends} [{rule}]"
        ).format(who=who, surfaces=surfaces, before=verdict_word(row["from"]),
                 after=verdict_word(row["to"]), time=shown, when=when, ends=ends,
                 rule=rule)  # fmt: skip
    return f"{_kind('changes')}{day}  " + _(
        "{who} · {surfaces}: {before} → {after} ({when}){ends} [{rule}]"
    ).format(who=who, surfaces=surfaces, before=verdict_word(row["from"]),
             after=verdict_word(row["to"]), when=when, ends=ends, rule=rule)  # fmt: skip


def _clock(instant: str) -> str:
    """The time of day of an ISO instant (2024-06-18T20:00:00+08:00 → 20:00), or "" at
    midnight."""
    time = instant[11:].split("+")[0].split("-")[0].rstrip("Z")
    if time.strip("0:.") == "":
        return ""
    return time[:5] if time[5:].strip("0:.") == "" else time


# the kinds of `upcoming` lines, translated where they are shown (_kind)
KINDS = (N_("ended"), N_("ends"), N_("closes"), N_("opens"), N_("changes"))
