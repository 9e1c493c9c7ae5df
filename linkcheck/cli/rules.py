"""`linkcheck rules list|show|lint|diff`: reading, checking and reviewing rules files."""

from __future__ import annotations

import os

import click

from .. import render
from ..engine import RuleSet, in_force
from ..errors import LinkcheckError, UnknownNameError
from ..lint import day_range, diff, horizon_changes, lint
from ..names import closest, did_you_mean
from ..rules import load_catalog, rules_env_paths
from . import UserError
from .options import Env, common_options, format_options, when_option


@click.group()
def rules() -> None:
    """Read, check and review the loaded rules.

    \b
    Examples:
      linkcheck rules list --on 2022-11-11
      linkcheck rules show kuaishou-2022-tmall-window
      linkcheck rules lint team.toml
      linkcheck rules diff team.toml team-new.toml
    """


def _rule_row(rule, at) -> dict:
    return {
        "id": rule.id,
        "platform": rule.platform,
        "verdict": rule.word,
        "sources": list(rule.sources_text),
        "surfaces": list(rule.surfaces_text),
        "start": rule.start_text,
        "end": rule.end_text,
        "window": render.window_text(rule),
        "in_force": in_force(rule, at),
        "file": rule.file,
        "position": rule.position,
    }


@rules.command("list")
@when_option("Mark the rules in force at this date or time.")
@format_options
@common_options
def list_rules(when, fmt, as_json, env: Env):
    """Every loaded rule: id, platform, verdict, sources, surfaces, window, file, and whether
    its window holds WHEN (default now; the winner among them is what `check` answers).

    \b
    Example:
      linkcheck rules list --on 2022-11-11 --platform douyin
    """
    ruleset = env.ruleset()
    platform = ruleset.platform_id(env.platform) if env.platform else None
    at = ruleset.parse_when(when, platform)
    rows = [_rule_row(r, at) for r in ruleset.rules if platform is None or r.platform == platform]
    horizons = [h for p, h in ruleset.catalog.horizons.items() if platform is None or p == platform]
    fmt = env.output_format(fmt, as_json)
    if fmt == "json":
        doc = {"at": render.iso(at), "rules": rows}
        doc["horizons"] = {h.platform: render.horizon_dict(h) for h in horizons}
        click.echo(render.to_json(doc))
        return
    if fmt == "plain":
        shown = [{**r, "in_force": "yes" if r["in_force"] else "no"} for r in rows]
        columns = ("id", "platform", "verdict", "sources", "surfaces", "window", "in_force", "file")
        for line in render.columns_text(shown, columns):
            click.echo(line)
    else:
        render.print_rules_table(render.console(env.colour()), rows, at)
    for line in render.horizon_listing(ruleset.catalog, platform):
        click.echo(line)


@rules.command("show")
@click.argument("rule_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the rule as JSON.")
@common_options
def show_rule(rule_id, as_json, env: Env):
    """One rule in full: scope, window, note, citation, and where it was loaded from.

    \b
    Example:
      linkcheck rules show kuaishou-2022-tmall-window
    """
    ruleset = env.ruleset()
    by_id = {r.id: r for r in ruleset.rules}
    rule = by_id.get(rule_id.strip())
    if rule is None:
        hint = did_you_mean(closest(rule_id, {i: i for i in by_id}))
        raise UnknownNameError(f"no rule '{rule_id}'{hint}; `linkcheck rules list` lists them")
    zone = ruleset.zone(rule.platform)
    horizon = ruleset.catalog.horizons.get(rule.platform)
    if as_json:
        doc = render.rule_dict(rule) | {
            "horizon": render.horizon_dict(horizon),
            "platform": rule.platform,
            "sources": list(rule.sources_text),
            "surfaces": list(rule.surfaces_text),
            "position": rule.position,
            "start_instant": render.iso(rule.start and rule.start.astimezone(zone)),
            "end_instant": render.iso(rule.end and rule.end.astimezone(zone)),
        }
        click.echo(render.to_json(doc))
        return
    for line in render.rule_lines(rule, zone, horizon):
        click.echo(line)


@rules.command("lint")
@click.argument("files", nargs=-1, metavar="[FILE]...")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@common_options
def lint_rules(files, strict, fmt, env: Env):
    """Check rules files and report every problem at once.

    FILEs are checked on top of the bundled rules (unless --no-default-rules); with no
    FILE, the loaded set (bundled, --rules, $LINKCHECK_RULES) is checked. Errors:
    unknown keys, missing fields, bad verdicts, end before start, unknown ids, duplicate
    ids, invalid time zones, TOML syntax. Warnings: equal starts over an overlapping
    scope with different verdicts, rules that can never decide anything, no citation.

    \b
    Exit codes: 0 clean (or warnings only), 1 errors (or warnings with --strict),
    2 a FILE that does not exist.

    \b
    Example:
      linkcheck rules lint team.toml --format json
    """
    paths = list(files) or list(env.rules_files) or rules_env_paths()
    for path in files:
        if not os.path.exists(path):
            raise UserError(f"rules file '{path}' not found; give the path of a .toml rules file")
        if os.path.isdir(path):
            raise UserError(f"rules file '{path}' is a directory; give a .toml file")
    problems = lint(paths, defaults=not env.no_default_rules)
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    if fmt == "json":
        doc = {"errors": errors, "warnings": warnings, "problems": [p.as_dict() for p in problems]}
        click.echo(render.to_json(doc))
    else:
        for p in problems:
            click.echo(f"{p.level}: {p}")
        checked = ", ".join(paths) if paths else "the bundled rules"
        verdict = "clean" if not problems else f"{errors} error(s), {warnings} warning(s)"
        click.echo(f"{checked}: {verdict}")
    raise click.exceptions.Exit(1 if errors or (strict and warnings) else 0)


@rules.command("diff")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@common_options
def diff_rules(old, new, as_json, env: Env):
    """Which verdicts change between two rules files, as date ranges.

    Each side is OLD or NEW loaded on top of the bundled rules and any --rules files;
    compare two whole rules files (e.g. two versions of rules.toml) with
    --no-default-rules. Ranges are calendar days in the platform's zone, both ends
    included; … means unbounded.

    \b
    Exit codes: 0 nothing changes, 1 something changes, 2 a file cannot be loaded.

    \b
    Example:
      linkcheck rules diff team.toml team-new.toml
      linkcheck rules diff rules.toml proposed.toml --no-default-rules
    """
    sides = []
    for path in (old, new):
        try:
            catalog = load_catalog([*env.rules_files, path], defaults=not env.no_default_rules)
        except LinkcheckError as exc:
            raise UserError(f"cannot load '{path}': {exc}") from None
        sides.append(RuleSet(catalog))
    before, after = sides
    changes = diff(before, after)
    moved = [
        {
            "platform": platform,
            "old": render.horizon_dict(old_h),
            "new": render.horizon_dict(new_h),
        }
        for platform, old_h, new_h in horizon_changes(before, after)
    ]
    rows = []
    for c in changes:
        zone = (after if c.platform in after.catalog.platforms else before).zone(c.platform)
        first, last = day_range(c, zone)
        rows.append(
            {
                "platform": c.platform,
                "source": c.source,
                "surface": c.surface,
                "from": first,
                "to": last,
                "start": render.iso(c.start and c.start.astimezone(zone)),
                "end": render.iso(c.end and c.end.astimezone(zone)),
                "old": {"verdict": c.old, "rule": c.old_rule, "reason": c.old_reason},
                "new": {"verdict": c.new, "rule": c.new_rule, "reason": c.new_reason},
            }
        )
    if as_json:
        doc = {"old": old, "new": new, "changes": rows, "horizons": moved}
        click.echo(render.to_json(doc))
    elif not rows and not moved:
        click.echo("no verdict changes")
    else:
        for m in moved:
            was = m["old"]["through"] if m["old"] else "none"
            now = m["new"]["through"] if m["new"] else "none"
            as_of = f" (as of {m['new']['as_of']})" if m["new"] else ""
            click.echo(f"{m['platform']} · horizon: {was} → {now}{as_of}")
        for r in rows:
            rule_change = f"{_why(r['old'])} → {_why(r['new'])}"
            click.echo(
                f"{r['platform']} · {r['source']} · {r['surface']} · {r['from']} → {r['to']}: "
                f"{r['old']['verdict']} → {r['new']['verdict']} ({rule_change})"
            )
    raise click.exceptions.Exit(1 if rows or moved else 0)


def _why(side: dict) -> str:
    if side["rule"]:
        return side["rule"]
    return "beyond the horizon" if side["reason"] == "beyond_horizon" else "no rule"
