"""`linkcheck rules list|show|lint|diff`: reading, checking and reviewing rules files."""

from __future__ import annotations

import os

import click

from .. import render
from ..engine import RuleSet
from ..errors import LinkcheckError, UnknownNameError
from ..i18n import N_, english
from ..lint import diff, horizon_changes, lint
from ..names import closest, did_you_mean, normalize
from ..rules import load_catalog, rules_env_paths
from .base import SuggestingGroup, UserError, lang_option, silence_stdout
from .options import (
    Env,
    Output,
    common_options,
    output_options,
    read_date,
    surface_option,
    when_option,
)


@click.group(cls=SuggestingGroup, short_help="Read, check, review and release the rules.")
@lang_option
def rules() -> None:
    """Read, check and review the loaded rules; publish and install verified releases.

    \b
    Examples:
      linkcheck rules list --on 2022-11-11
      linkcheck rules show kuaishou-2022-tmall-window
      linkcheck rules lint team.toml
      linkcheck rules diff team.toml team-new.toml
      linkcheck rules update
    """


@rules.command("list", short_help="Every loaded rule, and which are in force at WHEN.")
@when_option("Mark the rules in force at this date or time.")
@common_options
@output_options("text", "plain", "json", piped="plain")
def list_rules(when, output: Output, env: Env):
    """Every loaded rule: id, platform, verdict, sources, surfaces, window, file, and whether
    its window holds WHEN (default now; the winner among them is what `check` answers;
    unknown past the rules' horizon, where they vouch for nothing).

    \b
    Example:
      linkcheck rules list --on 2022-11-11 --platform douyin
    """
    ruleset, release = env.load()
    platform = ruleset.platform_id(env.platform) if env.platform else None
    at = read_date(ruleset, when, platform)
    rows = [
        render.rule_row(r, at, ruleset.horizon(r.platform))
        for r in ruleset.rules
        if platform in (None, r.platform)
    ]
    horizons = [h for p, h in ruleset.catalog.horizons.items() if platform in (None, p)]
    files = env.rule_files(ruleset, release)
    fmt = output.format
    if fmt == "json":
        render.echo(render.to_json(render.rules_list_document(rows, at, horizons, files)))
        return
    if fmt == "plain":
        with english():  # plain is read by programs: never translated
            lines = render.tab_separated(render.rules_list_plain(rows), render.RULES_LIST_COLUMNS)
            # a line each, never wrapped (a sha256 cut in two is no hash to compare)
            lines += [*render.rule_files_lines(files),
                      *render.horizon_listing(ruleset.catalog, platform)]  # fmt: skip
        for line in lines:
            render.echo(line)
        return
    render.print_rules_table(render.console(env.colour()), rows, at)
    for line in [
        *render.rule_files_lines(files),
        *render.horizon_listing(ruleset.catalog, platform),
    ]:
        render.echo(render.fitted(line, indent=2))


@rules.command("show", short_help="One rule in full: window, note, citation, file.")
@click.argument("rule_id", metavar="ID")
@common_options
@output_options("text", "json")
def show_rule(rule_id, output: Output, env: Env):
    """One rule in full: scope, window, note, citation, and where it was loaded from.

    \b
    Example:
      linkcheck rules show kuaishou-2022-tmall-window
    """
    ruleset, release = env.load()
    by_id = {r.id: r for r in ruleset.rules}
    rule = by_id.get(rule_id.strip())
    if rule is None:  # as names are read: any case, full-width, _ for -, when one rule fits
        loose = [r for i, r in by_id.items() if normalize(i) == normalize(rule_id)]
        rule = loose[0] if len(loose) == 1 else None
    if rule is None:
        hint = did_you_mean(closest(rule_id, {i: i for i in by_id}))
        raise UnknownNameError(
            N_("no rule '{rule_id}'{hint}; `linkcheck rules list` lists them"),
            rule_id=rule_id,
            hint=hint,
        )
    zone = ruleset.zone(rule.platform)
    horizon = ruleset.catalog.horizons.get(rule.platform)
    files = env.rule_files(ruleset, release)
    if output.format == "json":
        render.echo(render.to_json(render.rule_document(rule, zone, horizon, files)))
        return
    own = next((f for f in files if f["file"] == rule.file), None)
    for line in render.rule_lines(rule, zone, horizon, render.terminal_width(), own):
        render.echo(line)


@rules.command("lint", short_help="Check rules files and report every problem at once.")
@click.argument("files", nargs=-1, metavar="[FILE]...", type=click.Path())
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@common_options
@output_options("text", "json")
def lint_rules(files, strict, output: Output, env: Env):
    """Check rules files and report every problem at once.

    FILEs are checked on top of the bundled rules (unless --no-default-rules) and any
    --rules files, as rules diff loads them — not the installed release, which may be an
    earlier version of a FILE; with no FILE, the loaded set (bundled, the installed release,
    --rules, $LINKCHECK_RULES) is checked. Errors: unknown keys, missing fields, bad
    verdicts, end before start, unknown ids, duplicate ids, invalid time zones, TOML syntax.
    Warnings: equal starts over an overlapping scope with different verdicts, rules that
    can never decide anything, no citation.

    \b
    Exit codes: 0 clean (or warnings only), 1 errors (or warnings with --strict),
    2 a FILE that does not exist.

    \b
    Example:
      linkcheck rules lint team.toml --format json
    """
    if files:  # on --rules (a team file a draft builds on), each file once
        given = {os.path.realpath(f) for f in files if os.path.exists(f)}
        base = [p for p in env.rules_files if os.path.realpath(p) not in given]
        paths = [*base, *files]
    else:
        paths = list(env.rules_files) or rules_env_paths()
    for path in (*files, *env.rules_files):  # --rules files are linted too: said alike
        if not os.path.exists(path):
            raise UserError(
                N_("rules file '{path}' not found; give the path of a .toml rules file"), path=path
            )
        if os.path.isdir(path):
            raise UserError(N_("rules file '{path}' is a directory; give a .toml file"), path=path)
        if not os.path.isfile(path):  # a FIFO, a device: no file to lint, as a folder is none
            raise UserError(N_("rules file '{path}' is not a regular file (a pipe or a "
                               "device?); give a .toml file"), path=path)  # fmt: skip
    found = None if files else env.release()  # FILEs are checked on the bundled rules alone
    release = None if found is None else (found.path, found.data)
    problems = lint(paths, defaults=not env.no_default_rules, release=release)
    doc = render.lint_document(problems)
    try:
        if output.format == "json":
            render.echo(render.to_json(doc))
        else:
            for line in render.lint_lines(problems, paths):
                render.echo(render.fitted(line, indent=2))
    except BrokenPipeError:  # `lint … | head -1`, >&-: the exit code is the answer all the same
        silence_stdout()
    raise click.exceptions.Exit(1 if doc["errors"] or (strict and doc["warnings"]) else 0)


@rules.command("diff", short_help="Which verdicts change between two rules files.")
@click.argument("old", metavar="OLD", type=click.Path())
@click.argument("new", metavar="NEW", type=click.Path())
@common_options
@output_options("text", "json")
def diff_rules(old, new, output: Output, env: Env):
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
            raise UserError(N_("cannot load '{path}': {reason}"), path=path, reason=exc) from None
        sides.append(RuleSet(catalog))
    before, after = sides

    def zone_of(platform: str):
        return (after if platform in after.catalog.platforms else before).zone(platform)

    doc = render.diff_document(old, new, diff(before, after), horizon_changes(before, after),
                               zone_of)  # fmt: skip
    try:
        if output.format == "json":
            render.echo(render.to_json(doc))
        else:
            for line in render.diff_lines(doc):
                render.echo(render.fitted(line, indent=2))
    except BrokenPipeError:  # `diff … | head -1`, >&-: the exit code is the answer all the same
        silence_stdout()
    raise click.exceptions.Exit(1 if doc["changes"] or doc["horizons"] else 0)


@rules.command(
    "export", short_help="The loaded rules as an interval table (CSV, JSON Lines, SQL, Parquet)."
)
@click.argument("names", nargs=-1, metavar="[SOURCE]...")
@surface_option("Keep these surfaces (default: every one).")
@common_options
@output_options("csv", "jsonl", "sql", "parquet")
def export_rules(names, surfaces, output: Output, env: Env):
    """The loaded rules as an interval table, to take the rules to the data.

    One row per span of time for every platform × source × surface: platform, source,
    surface, start, end (UTC instants; the end is exclusive; empty for open), verdict, rule,
    next_change_at, next_change_verdict, reason. Every span is there, unknown ones and
    those past the rules' horizon included, so an interval join answers what `check`
    answers for that source. --format sql writes a CREATE TABLE and INSERT script with the
    join as a comment; SOURCEs (a group stands for its members), -s and --platform keep
    only those.

    \b
    Examples:
      linkcheck rules export -o segments.csv
      linkcheck rules export --format sql | duckdb segments.db
      linkcheck rules export --format parquet -o segments.parquet
    """
    from .. import export
    from ..render import export as formats

    output = _export_format(output)
    ruleset = env.ruleset()
    platform = ruleset.platform_id(env.platform) if env.platform else None
    keep = None
    if names:
        keep = {c for name in names for c in ruleset.resolve_source(name).candidates}
    surface_ids = set(ruleset.surface_list(surfaces)) if surfaces else None
    spans = export.spans(ruleset, platform, keep, surface_ids)
    if output.format == "parquet":
        data = _parquet_bytes(spans, formats, output.path)
    else:
        text = {"csv": formats.export_csv, "jsonl": formats.export_jsonl,
                "sql": formats.export_sql}[output.format](spans)  # fmt: skip
        data = text.encode("utf-8")
    output.write_bytes(data)


# the format an -o file's extension names
_EXPORT_EXTENSIONS = {".csv": "csv", ".jsonl": "jsonl", ".sql": "sql", ".parquet": "parquet"}


def _export_format(output: Output) -> Output:
    """The format `-o`'s extension names, unless --format chose another: refused then, as
    batch refuses it (`-o segments.parquet` wrote CSV into it)."""
    if output.path is None:
        return output
    named = _EXPORT_EXTENSIONS.get(os.path.splitext(output.path)[1].lower())
    if named is None or named == output.format:
        return output
    if output.given:
        raise UserError(
            N_("-o '{path}' names {named}, but --format is {chosen}; make them agree"),
            path=output.path, named=named, chosen=output.format,
        )  # fmt: skip
    return output._replace(format=named)


def _parquet_bytes(spans, formats, out) -> bytes:
    import tempfile

    from ..errors import missing_extra

    if out is None:
        raise UserError(N_("parquet output needs a file: add -o OUT.parquet"))
    try:
        import duckdb  # noqa: F401 (the optional extra)
    except ImportError:
        raise UserError(missing_extra("parquet export", "duckdb", "duckdb")) from None
    with tempfile.TemporaryDirectory(prefix="linkcheck-") as folder:
        path = os.path.join(folder, "segments.parquet")
        formats.export_parquet(spans, path)
        with open(path, "rb") as f:
            return f.read()


def _add_release_commands() -> None:
    """`rules repo`, `publish`, `trust`, `update`, `rollback` (cli/releases.py)."""
    from .releases import COMMANDS

    for command in COMMANDS:
        rules.add_command(command)


_add_release_commands()
