"""`linkcheck timeline` and `linkcheck upcoming`: the windows as a picture and as reminders."""

from __future__ import annotations

import click

from .. import render
from ..i18n import N_, ngettext
from ..windows import default_range, horizon_status, segments, upcoming
from . import UserError
from .options import (
    Env,
    Output,
    common_options,
    complete,
    output_options,
    surface_option,
    when_option,
)


@click.command(short_help="The windows per source × surface on a date axis.")
@click.argument(
    "sources", nargs=-1, metavar="[SOURCE]...", shell_complete=lambda c, p, i: complete("source", i)
)
@surface_option()
@click.option("--from", "first", metavar="D", help="First day shown (any --on form).")
@click.option("--to", "last", metavar="D", help="Last day shown, included.")
@common_options
@output_options("text", "plain", "json", "ics", piped="plain")
def timeline(sources, surfaces, first, last, output: Output, env: Env):
    """The windows per source × surface on a date axis.

    SOURCEs default to every source; groups (jd-union) and links stand for their members.
    The default range is 60 days either side of today while today is near the rules;
    when today is far from every rule start and end, it is the whole span of the rules
    (with a margin). Colours: green allowed, red denied, yellow unknown; ▼ marks today.

    --format ics writes an iCalendar file of the allowed windows (needs the `ics`
    extra): all-day events for whole-day windows, timed events otherwise, with stable
    UIDs so a re-import updates events instead of duplicating them.

    \b
    Examples:
      linkcheck timeline tmall jd-self --from 2022-10-01 --to 2022-12-31
      linkcheck timeline -s all --format json
      linkcheck timeline --format ics -o linkcheck.ics
    """
    ruleset = env.ruleset()
    platform = ruleset.platform_id(env.platform)
    catalog = ruleset.catalog
    ids: list[str] = []
    for name in sources or list(catalog.sources):
        for source in ruleset.resolve(name).candidates:
            if source not in ids:
                ids.append(source)
    surface_list = list(ruleset.surface_list(surfaces))
    today = ruleset.parse_when("today", platform).date()
    lo, hi = default_range(ruleset, platform, today)
    if first:
        lo = ruleset.parse_when(first, platform).date()
    if last:
        hi = ruleset.parse_when(last, platform).date()
    if hi < lo:
        raise UserError(N_("--to {hi} is before --from {lo}"), hi=hi, lo=lo)
    if (hi - lo).days > 36600:
        raise UserError(
            N_("range {lo} → {hi} is over 100 years; narrow it with --from/--to"), lo=lo, hi=hi
        )
    found = segments(ruleset, platform, ids, surface_list, lo, hi)
    horizon = ruleset.horizon(platform)
    fmt = output.format
    if fmt in ("plain", "json"):
        for line in render.timeline_note(horizon, hi):
            click.echo(render.fitted(line, indent=6), err=True)
    if fmt == "ics":
        from ..render.ics import calendar_bytes

        output.write_bytes(calendar_bytes(found, catalog.display_names(), horizon))
        return
    if fmt == "json":
        rows = [render.segment_dict(s) for s in found]
        output.write_bytes((render.to_json(rows) + "\n").encode())
        return
    if fmt == "plain":
        output.write_bytes("".join(line + "\n" for line in render.segment_lines(found)).encode())
        return
    render.print_timeline(
        render.console(env.colour()), found, lo, hi, today, catalog.display_names(), horizon
    )


@click.command("upcoming", short_help="Windows that open or close in the next N days.")
@click.option(
    "--days",
    type=click.IntRange(0, 3660),
    default=14,
    show_default=True,
    help="How far ahead to look, in days.",
)
@when_option("Look ahead from this date or time instead of now.")
@common_options
@output_options("text", "json")
def upcoming_command(days, when, output: Output, env: Env):
    """Windows that open or close within the next N days, soonest first.

    All platforms unless --platform is given. Days are counted in the platform's
    calendar: "6 days left" includes today and the last day.

    \b
    Examples:
      linkcheck upcoming
      linkcheck upcoming --on 2022-11-25 --days 7 --json
    """
    ruleset = env.ruleset()
    platforms = (
        [ruleset.platform_id(env.platform)] if env.platform else list(ruleset.catalog.platforms)
    )
    at = ruleset.parse_when(when, platforms[0] if len(platforms) == 1 else None)
    events = upcoming(ruleset, platforms, at, days)
    rows = [render.upcoming_dict(e, at) for e in events]
    ends = [h for h in horizon_status(ruleset, platforms, at, days) if h.state != "later"]
    if output.format == "json":
        doc = {"at": render.iso(at), "days": days, "changes": rows}
        doc["horizons"] = [render.horizon_status_dict(h) for h in ends]
        click.echo(render.to_json(doc))
        return
    names = ruleset.catalog.display_names()
    for row in rows:
        click.echo(render.fitted(render.upcoming_line(row, names), indent=20))
    for status in ends:
        click.echo(render.fitted(render.horizon_status_line(status, at, days, names), indent=20))
    if not rows and not ends:
        click.echo(
            ngettext(
                "no window opens or closes in the {count} day from {day}",
                "no window opens or closes in the {count} days from {day}",
                days,
            ).format(count=days, day=at.date())
        )
