"""The `rules` views: the list and its table, one rule in full, lint problems, and a diff
of verdicts between two rules files — as JSON documents and as text."""

from __future__ import annotations

from ..i18n import N_, english, language, ngettext
from ..i18n import gettext as _
from ..model import VERDICT_OF, Horizon, Rule
from ..rules.schema import file_name
from ..timeline import in_force
from ..words import LIST_SEPARATOR, iso, rule_word_label, verdict_word
from .check import horizon_dict, window_text
from .common import COLOUR


def rule_row(rule: Rule, at, horizon: Horizon | None = None) -> dict:
    """`rules list`: one rule, and whether its window holds `at` — None (unknown) when it
    would but `at` is past the platform's `horizon`, where the rules vouch for nothing (a
    JSON object: its words are English in every language)."""
    holds: bool | None = in_force(rule, at)
    if holds and horizon is not None and at >= horizon.end:
        holds = None
    with english():
        window = window_text(rule)
    return {
        "id": rule.id,
        "platform": rule.platform,
        "verdict": rule.word,
        "sources": list(rule.sources_text),
        "surfaces": list(rule.surfaces_text),
        "start": rule.start_text,
        "end": rule.end_text,
        "window": window,
        "in_force": holds,
        "file": rule.file,
        "position": rule.position,
    }


def rules_list_document(rows: list[dict], at, horizons, rule_files: list[dict]) -> dict:
    return {
        "at": iso(at),
        "rules": rows,
        "horizons": {h.platform: horizon_dict(h) for h in horizons},
        "rule_files": rule_files,
    }


def rule_file_summary(f: dict) -> str:
    """One rules file in words: its version, sha256 and the horizons it states."""
    if f["version"] is None:
        text = _("no version stated, sha256 {sha256}").format(sha256=f["sha256"])
    else:
        text = _("version {version}, sha256 {sha256}").format(
            version=f["version"], sha256=f["sha256"]
        )
    horizons = _(LIST_SEPARATOR).join(
        _("{platform} through {through} (as of {as_of})").format(
            platform=platform, through=h["through"], as_of=h["as_of"]
        )
        for platform, h in f["horizon"].items()
    )
    if horizons:
        return text + _("; horizons: {horizons}").format(horizons=horizons)
    return text + _("; no horizon stated")


def rule_files_lines(rule_files: list[dict]) -> list[str]:
    """`rules list`: a line per loaded rules file, in load order."""
    return [
        _("rules file {file}: {summary}").format(
            file=file_name(f["file"]), summary=rule_file_summary(f)
        )
        for f in rule_files
    ]


def rules_list_plain(rows: list[dict]) -> list[dict]:
    words = {True: "yes", False: "no", None: "unknown"}
    return [{**r, "in_force": words[r["in_force"]]} for r in rows]


def rules_list_people(rows: list[dict]) -> list[dict]:
    """The rules list's rows as people read them: verdicts, yes and no in their language."""
    join = _(LIST_SEPARATOR).join
    return [
        r | {"verdict": word_label(r["verdict"]),
             "in_force": {True: _("yes"), False: _("no"), None: _("unknown")}[r["in_force"]],
             "sources": join(r["sources"]), "surfaces": join(r["surfaces"]),
             "file": str(file_name(r["file"]))}
        for r in rows
    ]  # fmt: skip


word_label = rule_word_label


RULES_LIST_COLUMNS = ("id", "platform", "verdict", "sources", "surfaces", "window", "in_force",
                      "file")  # fmt: skip


def rule_document(rule: Rule, zone, horizon, rule_files: list[dict]) -> dict:
    """`rules show --json`."""
    from .check import rule_dict

    return (rule_dict(rule) or {}) | {
        "rule_files": rule_files,
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


LEVELS = {"error": N_("error: {problem}"), "warning": N_("warning: {problem}")}


def lint_lines(problems, paths: list[str]) -> list[str]:
    errors = sum(p.level == "error" for p in problems)
    checked = _(LIST_SEPARATOR).join(paths) if paths else _("the bundled rules")
    warnings = len(problems) - errors
    verdict = (
        _("clean")
        if not problems
        else _("{errors}, {warnings}").format(
            errors=ngettext("{count} error", "{count} errors", errors).format(count=errors),
            warnings=ngettext("{count} warning", "{count} warnings", warnings).format(
                count=warnings
            ),
        )
    )
    return [_(LEVELS[p.level]).format(problem=p) for p in problems] + [
        _("{checked}: {verdict}").format(checked=checked, verdict=verdict)
    ]


def diff_document(old: str, new: str, changes, moved, zone_of) -> dict:
    """`rules diff --json`: each change as calendar days of its platform's zone."""
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
        {"platform": platform, "old": _ending(horizon_dict(was), was, zone_of(platform)),
         "new": _ending(horizon_dict(now), now, zone_of(platform))}
        for platform, was, now in moved
    ]  # fmt: skip
    return {"old": old, "new": new, "changes": rows, "horizons": horizons}


def _ending(shown: dict | None, horizon, zone) -> dict | None:
    """A horizon as diff shows it: its days, and the instant it ends in the platform's zone
    (the same day in another file's zone ends at another instant)."""
    if shown is None:
        return None
    return {**shown, "end": iso(horizon.end.astimezone(zone))}


def diff_lines(doc: dict) -> list[str]:
    """`rules diff` as text: moved horizons, then a line per changed range."""
    from .check import verdict_word

    if not doc["changes"] and not doc["horizons"]:
        return [_("no verdict changes")]
    lines = []
    for m in doc["horizons"]:
        was = m["old"]["through"] if m["old"] else _("none")
        now = m["new"]["through"] if m["new"] else _("none")
        if was == now and m["old"]["end"] != m["new"]["end"]:  # the same day, another zone:
            was, now = m["old"]["end"], m["new"]["end"]  # say the instants
        as_of = _(" (as of {day})").format(day=m["new"]["as_of"]) if m["new"] else ""
        lines.append(
            _("{platform} · horizon: {was} → {now}{as_of}").format(
                platform=m["platform"], was=was, now=now, as_of=as_of
            )
        )
    for r in doc["changes"]:
        lines.append(
            _("{platform} · {source} · {surface} · {first} → {last}: {old} → {new} "
              "({old_why} → {new_why})").format(
                platform=r["platform"], source=r["source"], surface=r["surface"],
                first=r["from"], last=r["to"], old=verdict_word(r["old"]["verdict"]),
                new=verdict_word(r["new"]["verdict"]), old_why=_why(r["old"]),
                new_why=_why(r["new"]),
            )
        )  # fmt: skip
    return lines


def _why(side: dict) -> str:
    if side["rule"]:
        return side["rule"]
    return _("beyond the horizon") if side["reason"] == "beyond_horizon" else _("no rule")


def horizon_listing(catalog, platform: str | None = None) -> list[str]:
    """`rules list`: how far the loaded rules reach, a line per platform."""
    lines = []
    for ident in catalog.platforms:
        if platform is not None and ident != platform:
            continue
        h = catalog.horizons.get(ident)
        if h is None:
            lines.append(_("horizon {platform}: none stated (answers never expire)").format(
                platform=ident))  # fmt: skip
        else:
            lines.append(
                _(
                    "horizon {platform}: through {through} (as of {as_of}, {file}); later "
                    "instants are unknown"
                ).format(platform=ident, through=h.through, as_of=h.as_of, file=file_name(h.file))
            )
    return lines


def _written_zone(rule: Rule, zone) -> str:
    """The zone the rule's bounds are written in — its file's `timezone`, which its dates
    and local datetimes carry (a team file in UTC: UTC days) — else the platform's `zone`."""
    for bound in (rule.start, rule.end):
        key = getattr(bound and bound.tzinfo, "key", None)
        if key:
            return key
    return getattr(zone, "key", zone)


def rule_lines(rule: Rule, zone, horizon=None, width: int = 80, rule_file=None) -> list[str]:
    """`rules show`: one field a line (a citation's inference, and further citations, on
    lines of their own under it), wrapped under its value to `width`. `rule_file` is the
    rule's file as rule_files_list gives it."""
    from .check import citation_lines
    from .fit import width_of, wrap

    days = rule.start_text and len(rule.start_text) == 10
    kind = _("inclusive days") if days else _("instants")
    fields = [
        (_("platform"), rule.platform),
        (
            _("verdict"),
            _("{word} ({verdict})").format(word=rule.word, verdict=verdict_word(rule.outcome)),
        ),
        (_("sources"), _(LIST_SEPARATOR).join(rule.sources_text)),
        (_("surfaces"), _(LIST_SEPARATOR).join(rule.surfaces_text)),
        (
            _("window"),
            _("{window} ({kind}, {zone})").format(
                window=window_text(rule), kind=kind, zone=_written_zone(rule, zone)
            ),
        ),
        (_("note"), rule.note_for(language()) or "-"),
        *(
            (_("citation") if i == 0 else "", line)
            for i, line in enumerate(citation_lines(rule) or ["-"])
        ),
        (
            _("file"),
            _("{file}, rule #{position}").format(file=file_name(rule.file), position=rule.position),
        ),
        (
            _("horizon"),
            _("{platform} rules reach through {through} (as of {as_of})").format(
                platform=rule.platform, through=horizon.through, as_of=horizon.as_of
            )
            if horizon
            else _("none stated"),
        ),
    ]
    if rule_file is not None:
        fields.append((_("rules file"), rule_file_summary(rule_file)))
    label = max(9, *(width_of(name) for name, _value in fields))
    lines = [rule.id]
    for name, value in fields:
        head = f"  {name}" + " " * (label - width_of(name)) + " "
        lines.extend(wrap(head + value, width, indent=label + 3))
    return lines


# the rules table's and records' column names, translated where they are shown
RULE_COLUMNS = (N_("platform"), N_("verdict"), N_("sources"), N_("surfaces"), N_("window"),
                N_("in force"), N_("file"))  # fmt: skip
WIDE_TABLE = 150  # columns the rules table needs to show ids and sources unbroken


def print_rules_table(out, rows: list[dict], at) -> None:
    from rich.markup import escape
    from rich.table import Table

    title = _("rules at {instant}").format(instant=f"{at:%Y-%m-%d %H:%M %z}")
    if (out.width or 80) < WIDE_TABLE:  # too narrow for eight columns: one record a rule
        from .tables import columns_text

        out.print(title, style="bold", markup=False)
        shown = [
            r | {"window": f"{r['start'] or _('always')} → {r['end'] or _('open-ended')}"}
            for r in rules_list_people(rows)
        ]
        for line in columns_text(shown, RULES_LIST_COLUMNS, out.width):
            out.print(line, markup=False)
        return
    table = Table(title=title, header_style="bold")
    for name in ("id", "platform", "verdict", "sources", "surfaces", "window", "in force", "file"):
        table.add_column(_(name), overflow="fold", no_wrap=name not in ("sources", "surfaces"))
    held = {True: f"[bold]{_('yes')}[/]", False: f"[dim]{_('no')}[/]",
            None: f"[yellow]{_('unknown')}[/]"}  # fmt: skip
    for r in rows:
        table.add_row(
            escape(r["id"]),
            r["platform"],
            f"[{COLOUR[VERDICT_OF[r['verdict']]]}]{escape(word_label(r['verdict']))}[/]",
            escape(_(LIST_SEPARATOR).join(r["sources"])),
            escape(_(LIST_SEPARATOR).join(r["surfaces"])),
            escape(f"{r['start'] or _('always')} → {r['end'] or _('open-ended')}"),
            held[r["in_force"]],
            escape(str(file_name(r["file"]))),
        )
    out.print(table)


def day_range(change, zone) -> tuple[str, str]:
    """A changed range as the platform's calendar: whole days show as dates, the end as
    the last day included."""
    return _bound_text(change.start, zone, False), _bound_text(change.end, zone, True)


def _bound_text(at, zone, is_end: bool) -> str:
    from ..timeline import last_day
    from ..when import is_midnight

    if at is None:
        return "…"
    local = at.astimezone(zone)
    if is_midnight(local):
        return (last_day(local) if is_end else local.date()).isoformat()
    return local.isoformat()
