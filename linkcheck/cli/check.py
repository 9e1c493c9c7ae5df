"""`linkcheck check`: the central question, for one source and one or more surfaces."""

from __future__ import annotations

import sys

import click

from .. import render
from ..model import Decision
from .base import silence_stdout
from .options import (
    Env,
    Output,
    common_options,
    complete,
    name_option,
    output_options,
    read_date,
    surface_option,
    when_option,
    year_note,
    year_option,
)  # fmt: skip

EXIT_CODE = {"allowed": 0, "denied": 1, "unknown": 3}


def overall_verdict(decisions: list[Decision]) -> str:
    """denied if any is denied, else unknown if any is unknown, else allowed."""
    verdicts = {d.verdict for d in decisions}
    for verdict in ("denied", "unknown"):
        if verdict in verdicts:
            return verdict
    return "allowed"


@click.command(short_help="May SOURCE be linked on the platform at WHEN?")
@click.argument("source", shell_complete=lambda c, p, i: complete("source", i))
@surface_option()
@when_option(
    "Date or time: 2022-11-11, '2022-11-11 20:00', 2022-11-11T12:00:00Z, "
    "2022年11月11日, 双11, today, +3d … (docs/dates.md lists every form)"
)
@year_option
@click.option("-q", "--quiet", is_flag=True, help="Print nothing; the exit code is the answer.")
@click.option(
    "--explain",
    is_flag=True,
    help="Show every rule that matched, why the winner won, and near misses.",
)
@name_option(
    "--as", "exact", kind="source", metavar="SOURCE",
    help="The exact source behind a link that could be several (e.g. a JD link: --as jd-self).",
)  # fmt: skip
@common_options
@output_options("text", "plain", "json", piped="plain")
def check(source, surfaces, when, year, quiet, exact, explain, output: Output, env: Env):
    """May SOURCE be linked on the platform at WHEN? One answer per surface.

    SOURCE is a source id or alias (tmall, 天猫, jd-self, 京东自营 …), a group
    (taobao-union, jd-union), whose members are each checked, or a product link
    (https://detail.tmall.com/item.htm?id=…), whose host names the source. When a
    link could be several sources (a JD item: self-operated or third-party), each is
    checked; if they disagree the verdict is unknown: say which with --as.

    \b
    Exit codes: 0 every surface allowed, 1 any denied,
    3 none denied but some unknown, 2 bad input (name, date, rules file).

    \b
    Examples:
      linkcheck check tmall --on 2022-11-11
      linkcheck check 天猫 -s 直播 --on 2022年双11 --json
      linkcheck check jd-self -s livestream -d 2022-12-01 -q; echo $?
      linkcheck check https://item.jd.com/100012043978.html --as jd-self
    """
    ruleset, release = env.load()
    platform = ruleset.platform_id(env.platform)
    resolved = _resolved(ruleset, source, exact)
    surface_list = ruleset.surface_list(surfaces)
    at = read_date(ruleset, when, platform, year=year)
    decisions = [ruleset.decide(platform, resolved, s, at) for s in surface_list]
    verdict = overall_verdict(decisions)
    code = EXIT_CODE[verdict]
    if quiet:
        raise click.exceptions.Exit(code)
    if (said := year_note(ruleset, when, platform, year=year)) is not None:
        render.echo(said, err=True)
    explains = None
    if explain:
        explains = [ruleset.explain(platform, resolved, d.surface, at) for d in decisions]
    fmt = output.format
    try:
        _print(fmt, decisions, verdict, explains, source, explain, ruleset, release, env)
        if fmt == "text" and release is not None:
            _staleness(release)
    except BrokenPipeError:  # `check … | true`: the answer is the exit code all the same
        silence_stdout()
    raise click.exceptions.Exit(code)


_CHECKLISTS = (".csv", ".tsv", ".txt", ".jsonl", ".xlsx", ".xls", ".xlsm", ".et", ".ods")


def _resolved(ruleset, source: str, exact: str | None):
    """SOURCE resolved; a checklist's file name given to check (`check list.csv`, read as a
    link to the host list.csv) is said to be one, with the command that reads it."""
    from ..errors import LinkError

    try:
        return ruleset.resolve(source, exact)
    except LinkError:
        name = source.strip()
        if "://" in name or not name.lower().endswith(_CHECKLISTS):
            raise
        from ..errors import shown
        from ..i18n import N_
        from .base import UserError

        raise UserError(
            N_("'{name}' is a checklist's name, not a source or a product link\n"
               "  to check every row of it: linkcheck batch '{name}'"), name=shown(name),
        ) from None  # fmt: skip


def _staleness(release) -> None:
    """On a terminal, one line when the repository's word on the installed release has
    expired (machine outputs say it in JSON only)."""
    from ..i18n import gettext as _
    from ..i18n import ngettext
    from ..when import clock

    days = release.stale_days(clock())
    if days == 0:  # verified today, and its word has lapsed since ("0 days ago": a trial)
        line = _(
            "rules verified today, and the repository's word on them has lapsed since: "
            "run `linkcheck rules update`"
        )
        render.echo(render.fitted(line, indent=2), err=True)
    elif days is not None:
        line = ngettext(
            "rules last verified {days} day ago: run `linkcheck rules update`",
            "rules last verified {days} days ago: run `linkcheck rules update`",
            days,
        ).format(days=days)
        render.echo(render.fitted(line, indent=2), err=True)


def _print(fmt, decisions, verdict, explains, source, explain, ruleset, release,
           env: Env) -> None:  # fmt: skip
    if fmt == "json":
        files = env.rule_files(ruleset, release)
        doc = render.check_document(source, decisions, verdict, explains, files)
        render.echo(render.to_json(doc))
    elif fmt == "plain":
        # the tab-separated answer lines are read by programs (ids and verdicts, the same in
        # every language); the --explain lines under them are for people, in their language
        names = ruleset.catalog.display_names()
        lines = render.plain_lines(decisions, explains, source, names)
        for line in lines:
            # an answer stays one tab-separated line; an explanation under it is wrapped
            render.echo(render.fitted(line, indent=4) if line.startswith(" ") else line)
        if not explain:  # the explanation says it on stdout
            for line in render.horizon_note(decisions, names):
                render.echo(render.fitted(line, indent=6), err=True)
    else:
        names = ruleset.catalog.display_names()
        render.print_check_text(render.console(env.colour()), decisions, names, source, explains)
    if sys.stdout is not None:  # a closed pipe shows here, inside the command, not at exit
        sys.stdout.flush()
