"""`linkcheck timeline` and `linkcheck upcoming`: the windows as a picture and as reminders."""

from __future__ import annotations

from typing import ClassVar

import click

from .. import render
from ..i18n import N_, ngettext
from ..i18n import gettext as _
from ..windows import default_range, horizon_status, segments, span_days, upcoming
from .base import UserError
from .options import (
    Env,
    Output,
    common_options,
    complete,
    output_options,
    read_date,
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
        lo = read_date(ruleset, first, platform, "--from").date()
    if last:
        hi = read_date(ruleset, last, platform, "--to").date()
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
        for line in render.timeline_note(horizon, hi, ruleset.catalog.display_names()):
            render.echo(render.fitted(line, indent=6), err=True)
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


class Span(click.ParamType):
    """--days: a number of days, or a span of days, weeks, months or years (14, 2w, 1m, 1y),
    as a relativedelta (months and years are calendar months and years)."""

    name = "span"
    UNITS: ClassVar[dict[str, str]] = {"d": "days", "w": "weeks", "m": "months", "y": "years"}

    def convert(self, value, param, ctx):
        if not isinstance(value, str):
            return value
        import unicodedata

        # full-width, as a Chinese input method types it (２ｗ): read as 2w
        text = unicodedata.normalize("NFKC", value).strip().lower()
        number, unit = (text[:-1], text[-1]) if text[-1:] in self.UNITS else (text, "d")
        if not (number.isascii() and number.isdigit() and len(number) <= 4):
            self.fail(
                _("'{text}': use a number of days, or a span such as 2w, 1m or 1y").format(
                    text=value
                ),
                param,
                ctx,
            )
        from dateutil.relativedelta import relativedelta

        return relativedelta(**{self.UNITS[unit]: int(number)})


MAX_DAYS = 3660  # how far upcoming looks at most (ten years)


@click.command("upcoming", short_help="Windows that open or close in the next N days.")
@click.option(
    "--days",
    "span",
    type=Span(),
    default="14",
    show_default=True,
    help="How far ahead to look: days (14), or weeks, months or years (2w, 1m, 1y), up to "
    "ten years; months and years are calendar ones.",
)
@when_option("Look ahead from this date or time instead of now.")
@common_options(platform_help="Only this platform (id or alias); default: every platform.")
@output_options("text", "json")
def upcoming_command(span, when, output: Output, env: Env):
    """Windows that open or close within the next N days, soonest first.

    All platforms unless --platform is given. Days are counted in the platform's
    calendar: "6 days left" includes today and the last day.

    \b
    Examples:
      linkcheck upcoming
      linkcheck upcoming --on 2022-11-25 --days 7 --json
      linkcheck upcoming --on 2022-10-01 --days 1m
    """
    ruleset = env.ruleset()
    platforms = (
        [ruleset.platform_id(env.platform)] if env.platform else list(ruleset.catalog.platforms)
    )
    at = read_date(ruleset, when, platforms[0] if len(platforms) == 1 else None)
    days = span_days(at.date(), span)
    if days > MAX_DAYS:
        raise UserError(
            N_("--days: {days} days is more than {limit}; look at most ten years ahead"),
            days=days,
            limit=MAX_DAYS,
        )
    events = upcoming(ruleset, platforms, at, days)
    rows = [render.upcoming_dict(e, at) for e in events]
    ends = [h for h in horizon_status(ruleset, platforms, at, days) if h.state != "later"]
    if output.format == "json":
        doc = {"at": render.iso(at), "days": days, "changes": rows}
        doc["horizons"] = [render.horizon_status_dict(h) for h in ends]
        render.echo(render.to_json(doc))
        return
    names = ruleset.catalog.display_names()
    # under the day where a rule id fits there (`[kuaishou-2022-jd-pop-disputed]`: 33
    # columns); on a narrow terminal a little in, not cut in two (at 40 it was: a trial)
    indent = 20 if render.terminal_width() >= 20 + 34 else 4
    for line in render.upcoming_lines(events, rows, ends, at, days, names):
        render.echo(render.fitted(line, indent=indent))
    if not rows and not ends:
        render.echo(
            ngettext(
                "no window opens or closes in the {count} day from {day}",
                "no window opens or closes in the {count} days from {day}",
                days,
            ).format(count=days, day=at.date())
        )
