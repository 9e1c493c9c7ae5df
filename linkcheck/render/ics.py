"""The allowed windows as an iCalendar (RFC 5545) file, made with the `icalendar` package
(the optional extra `linkcheck[ics]`), imported only here."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import timedelta

from ..errors import LinkcheckError, missing_extra
from ..i18n import gettext as _
from ..i18n import language
from ..when import clock
from ..windows import Segment
from ..words import newer_rules_hint
from .check import citation_lines


def allowed_windows(segments: list[Segment]) -> list[tuple[Segment, list[str]]]:
    """Allowed segments, each with its own bounds where they are finite (clipped to the
    range asked for where they are not), surfaces sharing a rule and window merged."""
    merged: dict[tuple, tuple[Segment, list[str]]] = {}
    for seg in segments:
        if seg.verdict != "allowed":
            continue
        seg = replace(seg, start=seg.true_start or seg.start, end=seg.true_end or seg.end)
        key = (seg.platform, seg.source, seg.rule and seg.rule.id, seg.start, seg.end)
        if key in merged:
            merged[key][1].append(seg.surface)
        else:
            merged[key] = (seg, [seg.surface])
    return sorted(merged.values(), key=lambda item: (item[0].start, item[0].source))


def calendar_bytes(segments: list[Segment], names: dict[str, str], horizon=None) -> bytes:
    """An iCalendar file: all-day events for whole-day windows, timed events otherwise.

    UIDs depend on platform, source, rule and the window's own start only, so
    re-importing an updated export (an end moved, another range) updates the event
    instead of adding a second one.
    """
    try:
        from icalendar import Calendar, Event
    except ImportError:
        raise LinkcheckError(missing_extra("calendar export", "ics", "icalendar")) from None
    stamp = clock()
    cal = Calendar()
    cal.add("prodid", "-//linkcheck//allowed link windows//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("linkcheck: allowed link windows"))
    for seg, surfaces in allowed_windows(segments):
        event = Event()
        rule_id = seg.rule.id if seg.rule else "no-rule"
        opened = seg.true_start.isoformat() if seg.true_start else "always"
        key = f"{seg.platform}|{seg.source}|{rule_id}|{opened}"
        event.add("uid", hashlib.sha1(key.encode()).hexdigest()[:20] + "@linkcheck")
        summary = _("{source} links allowed on {platform} {surfaces}").format(
            source=names.get(seg.source, seg.source),
            platform=names.get(seg.platform, seg.platform),
            surfaces=", ".join(names.get(s, s) if language() == "zh" else s for s in surfaces),
        )
        event.add("summary", summary)
        if seg.whole_days:
            event.add("dtstart", seg.first_day)
            event.add("dtend", seg.last_day + timedelta(days=1))  # DTEND is exclusive
        else:
            event.add("dtstart", seg.start)
            event.add("dtend", seg.end)
        lines = []
        if seg.rule is not None:
            lines.append(
                _("Rule: {rule} ({start} → {end})").format(
                    rule=seg.rule.id,
                    start=seg.rule.start_text or "…",
                    end=seg.rule.end_text or _("open-ended"),
                )
            )
            lines.extend(citation_lines(seg.rule))  # each quote, who said it, what is inferred
            if seg.rule.note:
                lines.append(seg.rule.note_for(language()))
        open_ended = seg.rule is not None and (
            seg.rule.end is None or seg.true_end is None or seg.rule.end > seg.true_end
        )
        if horizon is not None and seg.true_end == horizon.end and open_ended:
            lines.append(
                _(
                    "Ends at the rules' horizon: the loaded rules vouch only through {through} "
                    "(facts as of {as_of}); the rule itself is open-ended. To see later days, "
                    "{hint}."
                ).format(
                    through=horizon.through,
                    as_of=horizon.as_of,
                    hint=newer_rules_hint(horizon.platform, horizon),
                )
            )
        event.add("description", "\n".join(lines))
        event.add("categories", [seg.platform, seg.source, *surfaces])
        event.add("dtstamp", stamp)
        cal.add_component(event)
    # RFC 5545 wants a VTIMEZONE for each TZID a timed event names (DTSTART;TZID=Asia/
    # Shanghai): a strict client reads the times wrong, or refuses the file, without one
    cal.add_missing_timezones()
    return cal.to_ical()
