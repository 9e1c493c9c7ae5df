"""`linkcheck sources`, `surfaces`, `platforms`: the names the loaded rules know."""

from __future__ import annotations

import click

from .. import render
from ..i18n import language
from .options import Env, Output, common_options, output_options


def _listing_command(short_help: str):
    """A listing command: the output options (text or json) and the common options."""

    def make(function):
        function = common_options(output_options("text", "json")(function))
        return click.command(short_help=short_help)(function)

    return make


def _listing(rows: list[dict], columns: tuple[str, ...], as_json: bool) -> None:
    if as_json:
        render.echo(render.to_json(rows))
        return
    if language() == "zh":  # the names people read, in their language
        rows = [row | {"name": row.get("name_zh") or row["name"]} for row in rows]
    for line in render.columns_text(rows, columns):
        render.echo(line)


@_listing_command("List source ids, names, aliases and link domains.")
def sources(output: Output, env: Env):
    """List source ids, names, aliases and link domains (groups last).

    \b
    Example:
      linkcheck sources
    """
    as_json = output.format == "json"
    catalog = env.ruleset().catalog
    rows = [render.entry_dict(s, "source") for s in catalog.sources.values()]
    rows += [render.entry_dict(g, "group") for g in catalog.groups.values()]
    _listing(rows, ("id", "name", "aliases", "members", "domains"), as_json)


@_listing_command("List surface ids, names and aliases.")
def surfaces(output: Output, env: Env):
    """List surface ids, names and aliases.

    \b
    Example:
      linkcheck surfaces
    """
    as_json = output.format == "json"
    catalog = env.ruleset().catalog
    rows = [render.entry_dict(s) for s in catalog.surfaces.values()]
    _listing(rows, ("id", "name", "aliases"), as_json)


@_listing_command("List platform ids, names, aliases and time zones.")
def platforms(output: Output, env: Env):
    """List platform ids, names, aliases and time zones.

    In the plain listing, * marks the default platform.

    \b
    Example:
      linkcheck platforms
    """
    as_json = output.format == "json"
    catalog = env.ruleset().catalog
    rows = []
    for p in catalog.platforms.values():
        default = p.id == catalog.default_platform
        row = render.entry_dict(p) | {"default": default}
        if default and not as_json:
            row["id"] += "*"
        rows.append(row)
    _listing(rows, ("id", "name", "timezone", "aliases"), as_json)
