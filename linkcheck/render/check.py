"""`linkcheck check`: the JSON document, plain lines, `--explain` and the terminal view."""

from __future__ import annotations

from typing import Any

from ..errors import shown
from ..i18n import gettext as _
from ..i18n import language
from ..model import Citation, Decision, Explanation, Rule
from ..timeline import last_day
from ..when import is_midnight
from ..words import LIST_SEPARATOR, iso, newer_rules_hint, rule_word_label, verdict_word
from .common import VERDICT_MARK, VERDICT_STYLE, days_word, surface_label


def rule_dict(rule: Rule | None) -> dict | None:
    if rule is None:
        return None
    return {
        "id": rule.id,
        "verdict": rule.word,
        "start": rule.start_text,
        "end": rule.end_text,
        "note": rule.note,
        "note_zh": rule.note_zh or None,
        "citation": rule.citation.as_dict() if rule.citation else None,
        "citations": [c.as_dict() for c in rule.citations()],
        "file": rule.file,
    }


def decision_dict(d: Decision, explain: dict | None = None) -> dict:
    out: dict[str, Any] = {
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


def rule_files_list(catalog) -> list[dict]:
    """The rules files that answered, in load order: name, declared version, sha256 of the
    bytes read, and the horizon each states (`rule_files` in JSON documents)."""
    return catalog.describe_files()


def explain_dict(explanations: list[Explanation]) -> dict:
    """Each candidate's rules in force (the winner first) and near misses → JSON."""

    def entry(source: str, rule: Rule) -> dict:
        return {"source": source, "id": rule.id, "verdict": rule.word,
                "start": rule.start_text, "end": rule.end_text}  # fmt: skip

    matched = [
        entry(e.source, rule) | {"won": i == 0}
        for e in explanations
        for i, rule in enumerate(e.live)
    ]
    near = [entry(e.source, rule) for e in explanations for rule in e.near]
    return {"matched": matched, "near_misses": near}


def check_document(
    typed: str,
    decisions: list[Decision],
    overall: str,
    explains: list | None = None,
    rule_files: list[dict] | None = None,
) -> dict:
    first = decisions[0]
    doc = {
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
    if rule_files is not None:
        doc["rule_files"] = rule_files
    return doc


def window_text(rule: Rule, zone=None) -> str:
    """The rule's window as its file writes it — with the file's zone where it is not
    `zone`, the answer's (a Los Angeles team file's days beside a Shanghai answer said no
    zone: a trial)."""
    start = rule.start_text or _("always")
    end = rule.end_text or _("open-ended")
    written = next((b.tzinfo for b in (rule.start, rule.end) if b is not None), None)
    key = getattr(written, "key", None)
    if zone is not None and key and key != getattr(zone, "key", None):
        return f"{start} → {end} ({key})"
    return f"{start} → {end}"


def change_phrase(d: Decision) -> str:
    """When the answer changes next, counted in calendar days of the query's zone.

    "until 2022-12-31 (51 days, today included), then denied" / "opens 2022-10-28 (in 3 days)".
    """
    change = d.next_change
    if change is None:
        if d.horizon is not None and d.reason != "beyond_horizon":
            return _("no change ahead up to the rules' horizon ({day})").format(
                day=d.horizon.through
            )
        return _("no change ahead in the loaded rules")
    tz = d.at.tzinfo
    at = change.at.astimezone(tz)
    query_day = d.at.date()
    midnight = is_midnight(at)
    then = verdict_word(change.verdict)
    if d.verdict == "allowed":
        last = last_day(at)
        days = (last - query_day).days + 1
        shown = last.isoformat() if midnight else at.isoformat(sep=" ")
        count = _("today only") if days == 1 else _("{days} days, today included").format(days=days)
        return _("until {day} ({count}), then {verdict}").format(
            day=shown, count=count, verdict=then
        ) + _rules_end(d)
    shown = at.date().isoformat() if midnight else at.isoformat(sep=" ")
    days = (at.date() - query_day).days
    when = days_word(days)
    if change.verdict == "allowed":
        return _("opens {day} ({when})").format(day=shown, when=when)
    return _("{verdict} from {day} ({when})").format(
        verdict=then, day=shown, when=when
    ) + _rules_end(d)


def _rules_end(d: Decision) -> str:
    """Said of a change that is the horizon itself: why the answer turns unknown there."""
    change, horizon = d.next_change, d.horizon
    if change is not None and horizon is not None and change.at == horizon.end:
        return _(": the rules end there")
    return ""


def horizon_lines(d: Decision, platform_name: str = "") -> list[str]:
    """Past the horizon: what the rules know, the last known verdict, what to do."""
    horizon = d.horizon
    if d.reason != "beyond_horizon" or horizon is None:
        return []
    who = platform_name or d.platform
    lines = [
        _(
            "beyond the rules' horizon: the loaded rules for {platform} know nothing after "
            "{through} (facts as of {as_of})"
        ).format(platform=who, through=horizon.through, as_of=horizon.as_of)
    ]
    known = d.last_known
    if known is not None:
        rule = known.rule.id if known.rule else _("no rule")
        if known.rule is None and d.candidates:  # each candidate by its own rule, or none
            rule = _(LIST_SEPARATOR).join(
                f"{c.source} {c.last_known.rule.id}"
                if c.last_known is not None and c.last_known.rule is not None
                else f"{c.source} " + _("no rule")
                for c in d.candidates
            )
        lines.append(
            _("last known, on {day}: {verdict} ({rule})").format(
                day=horizon.through, verdict=verdict_word(known.verdict), rule=rule
            )
        )
    lines.append(
        _("to answer for {day}: {hint}").format(
            day=d.at.date(), hint=newer_rules_hint(d.platform, d.horizon)
        )
    )
    return lines


def citation_text(rule: Rule) -> str:
    """The rule's first citation on one line: “quote” — who said it, where."""
    return citation_line(rule.citation) if rule.citation is not None else ""


# a quote that brings its own quotation marks is shown in them, not in a second pair
_QUOTED = (("“", "”"), ("「", "」"), ("『", "』"), ('"', '"'))


def citation_line(citation: Citation) -> str:
    quote = citation.quote
    if not any(quote.startswith(a) and quote.endswith(b) and len(quote) > 1 for a, b in _QUOTED):
        quote = f"“{quote}”"
    if citation.by:
        return _("{quote} — {by}, {source}").format(
            quote=quote, by=citation.by, source=citation.source
        )
    return f"{quote} — {citation.source}"


def citation_lines(rule: Rule) -> list[str]:
    """Every sentence the rule cites, each followed by what the rule infers from it."""
    lines = []
    for citation in rule.citations():
        lines.append(citation_line(citation))
        inference = citation.inference_for(language())
        if inference:
            lines.append(_("inferred: {inference}").format(inference=inference))
    return lines


# ---------------------------------------------------------------------- plain


def plain_lines(
    decisions: list[Decision], explains: list | None = None, typed: str = "",
    names: dict[str, str] | None = None,
) -> list[str]:  # fmt: skip
    """One tab-separated line per surface: verdict platform source surface instant rule
    (ids); under each, with `explains`, the explanation for people (`names`: how the
    platforms are named in their language)."""
    lines = []
    for i, d in enumerate(decisions):
        rule = d.rule.id if d.rule else "-"
        lines.append(
            "\t".join((d.verdict, d.platform, d.source, d.surface, d.at.isoformat(), rule))
        )
        if explains:
            lines.extend("  " + line for line in explain_lines(d, explains[i], typed, names=names))
    return lines


def ambiguity_hint(d: Decision, typed: str) -> str:
    """How to say which candidate is meant: --as for a link, the id itself for a name."""
    first = d.candidates[0].source
    # the question asked, kept: the command alone answered for today (a trial)
    at = d.at.date().isoformat() if is_midnight(d.at) else d.at.isoformat()
    asked = f" --on {at} -p {d.platform}"
    if d.kind == "link":
        return (
            _("say which source it is: linkcheck check '{link}' --as {source}").format(
                link=shown(typed), source=first
            )
            + asked
        )
    return _("pass the exact source, e.g. linkcheck check {source}").format(source=first) + asked


def horizon_note(decisions: list[Decision], names: dict[str, str]) -> list[str]:
    """Two lines for stderr beside plain output, for people (the answer lines are for
    programs): the rules end before the instant asked. `names`: the display names of the
    ids — in Chinese the platform and surfaces are named by them, and the verdicts are
    words (快手, 直播 可以), as in the terminal view."""
    beyond = [d for d in decisions if d.reason == "beyond_horizon" and d.horizon is not None]
    if not beyond:
        return []
    first = beyond[0]
    horizon = first.horizon
    assert horizon is not None
    known = _(LIST_SEPARATOR).join(
        _("{surface} {verdict}").format(
            surface=surface_label(d.surface, names), verdict=verdict_word(d.last_known.verdict)
        )
        + (_(" ({rule})").format(rule=d.last_known.rule.id) if d.last_known.rule else "")
        for d in beyond
        if d.last_known is not None
    )
    return [
        _(
            "note: the loaded rules for {platform} know nothing after {through} (as of "
            "{as_of}); last known: {known}"
        ).format(
            platform=surface_label(first.platform, names),
            through=horizon.through,
            as_of=horizon.as_of,
            known=known,
        ),
        _("note: {hint}").format(hint=newer_rules_hint(first.platform, first.horizon)),
    ]


def explain_lines(d: Decision, explanations, typed: str = "", summary: bool = True,
                  names: dict[str, str] | None = None) -> list[str]:  # fmt: skip
    """Why: the candidates, every rule in force and near misses, and the next change.
    `summary=False` leaves out what the terminal view has already said above them."""
    lines = []
    for c in d.candidates:
        # past the horizon no rule decides: said so, not "no rule" (a candidate's rules
        # are listed below, and its last known one in the horizon's lines: a trial)
        rule = c.rule.id if c.rule else (
            _("beyond the horizon") if c.reason == "beyond_horizon" else _("no rule")
        )  # fmt: skip
        lines.append(
            _("candidate {source}: {verdict} ({rule})").format(
                source=c.source, verdict=verdict_word(c.verdict), rule=rule
            )
        )
    if summary and d.reason == "ambiguous_link":
        lines.append(_("the candidates disagree; ") + ambiguity_hint(d, typed))
    beyond = d.reason == "beyond_horizon"
    zone = d.at.tzinfo  # the answer's: a window written in another zone says its own
    if summary:
        lines.extend(horizon_lines(d, (names or {}).get(d.platform, "")))
    for source, live, near in explanations:  # Explanation(source, live, near)
        label = f"[{source}] " if len(explanations) > 1 else ""
        if not live:
            lines.append(label + _("no rule in force: unknown"))
        for i, rule in enumerate(live):
            if i == 0:
                why = (
                    _("the only rule in force")
                    if len(live) == 1
                    else _("wins: latest start")
                    + (_(" (tie: loaded later)") if rule.start == live[1].start else "")
                )
                if beyond:
                    why += _(", but the instant lies past the horizon")
                lines.append(label + _("{rule}: {word} {window}: {why}").format(
                    rule=rule.id, word=rule_word_label(rule.word), window=window_text(rule, zone),
                    why=why))  # fmt: skip
                lines.extend(f"{label}  {line}" for line in citation_lines(rule))
                if rule.note:
                    note = rule.note_for(language())
                    lines.append(label + "  " + _("note: {note}").format(note=note))
            else:
                lines.append(label + _("{rule}: {word} {window}: {why}").format(
                    rule=rule.id, word=rule_word_label(rule.word), window=window_text(rule, zone),
                    why=_("overridden")))  # fmt: skip
        for rule in near:
            lines.append(
                label
                + _("near miss {rule}: {word} {window}: not in force at this time").format(
                    rule=rule.id,
                    word=rule_word_label(rule.word),
                    window=window_text(rule, zone),
                )
            )
    lines.append(change_phrase(d))
    return lines


def print_check_text(
    out,
    decisions: list[Decision],
    names: dict[str, str],
    typed: str,
    explains: list | None = None,
) -> None:
    """The terminal view of `linkcheck check`: a heading, then one block per surface."""
    from rich.markup import escape

    first = decisions[0]
    zone = getattr(first.at.tzinfo, "key", None) or first.at.strftime("%z")
    heading = (
        _("{source} on {platform}").format(
            source=f"[bold]{escape(names.get(first.source, first.source))}[/]",
            platform=f"[bold]{escape(names.get(first.platform, first.platform))}[/]",
        )
        + f" · {first.at:%Y-%m-%d %H:%M} ({escape(zone)}, {first.at.isoformat()[-6:]})"
    )
    out.print(heading)
    rows: list[tuple[str, str, list[tuple[str, str]]]] = []  # verdict, surface, detail lines
    hinted: set[str] = set()
    for i, d in enumerate(decisions):
        style = VERDICT_STYLE[d.verdict]
        verdict = f"{VERDICT_MARK[d.verdict]} {verdict_word(d.verdict)}"
        detail: list[tuple[str, str]] = []  # (text, style) a line, wrapped below
        if d.rule:
            detail.append((f"{d.rule.id} · {change_phrase(d)}", ""))
            if not explains:  # the explanation below shows the citations
                detail += [(line, "dim") for line in citation_lines(d.rule)]
            if d.verdict == "unknown" and d.rule.note and not explains:
                detail.append((d.rule.note_for(language()), "dim"))
        elif d.reason == "ambiguous_link":
            parts = _(LIST_SEPARATOR).join(
                _("{source}: {verdict}").format(
                    source=surface_label(c.source, names), verdict=verdict_word(c.verdict)
                )
                for c in d.candidates
            )
            said = _("the candidates disagree ({candidates})").format(candidates=parts)
            detail.append((f"{said} · {change_phrase(d)}", ""))
            hint = ambiguity_hint(d, typed)
            if hint not in hinted:  # the same advice once, not once per surface
                hinted.add(hint)
                detail.append((hint, "dim"))
        elif d.reason == "beyond_horizon":
            first_line, *rest = horizon_lines(d, names.get(d.platform, d.platform))
            detail += [(first_line, ""), *((x, "dim") for x in rest)]
        elif d.candidates:  # they agree, each by its own rule (no one rule decides)
            parts = _(LIST_SEPARATOR).join(
                _("{source}: {rule}").format(source=surface_label(c.source, names),
                                             rule=c.rule.id if c.rule else "-")
                for c in d.candidates
            )  # fmt: skip
            said = _("the candidates agree, each by its own rule ({candidates})").format(
                candidates=parts
            )
            detail.append((f"{said} · {change_phrase(d)}", ""))
        else:
            detail.append((_("no rule covers this") + f" · {change_phrase(d)}", ""))
        rows.append((f"[{style}]{escape(verdict)}[/]", surface_label(d.surface, names), detail))
        if explains:
            lines = explain_lines(d, explains[i], typed, summary=False)[:-1]
            rows.append(("", "", [(line, "dim") for line in lines]))
    _print_check_rows(out, rows, decisions)


def _print_check_rows(out, rows, decisions: list[Decision]) -> None:
    """The rows of the terminal view as a grid whose last column is wrapped here, not by
    rich: CJK text then breaks by its own rule (no line starts with closing punctuation)."""
    from rich.markup import escape
    from rich.table import Table

    from .fit import width_of, wrap

    first_width = max(width_of(f"{VERDICT_MARK[d.verdict]} {verdict_word(d.verdict)}")
                      for d in decisions)  # fmt: skip
    second_width = max(width_of(surface) for _verdict, surface, _detail in rows)
    width = out.width or 80
    room = width - first_width - second_width - 4
    stacked = room < 20  # too narrow for three columns: the detail goes under its answer
    if stacked:
        room = max(20, width - 2)
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, overflow="fold")
    rule_ids = {d.rule.id for d in decisions if d.rule}
    for verdict, surface, detail in rows:
        shown = []
        for text, style in detail:
            indent = len(text) - len(text.lstrip(" "))
            for n, line in enumerate(wrap(text, room, indent=indent + 2 * bool(indent))):
                head = line.split(" ", 1)[0]
                if n == 0 and not style and head in rule_ids:  # the deciding rule's id
                    shown.append(f"[cyan]{escape(head)}[/]{escape(line[len(head) :])}")
                else:
                    shown.append(f"[{style}]{escape(line)}[/]" if style else escape(line))
        if stacked:
            if verdict:
                out.print(f"{verdict}  {escape(surface)}")
            for line in shown:
                out.print("  " + line)
            continue
        table.add_row(verdict, escape(surface), "\n".join(shown))
    if not stacked:
        out.print(table)
