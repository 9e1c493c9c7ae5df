"""`linkcheck rules repo init|refresh`, `rules publish` (maintainer) and `rules trust`,
`rules update`, `rules rollback` (user): rules releases as a TUF repository. tuf is imported
inside the commands only (linkcheck.releasing), never when another command runs."""

from __future__ import annotations

import click

from .. import render
from ..i18n import gettext as _
from ..i18n import ngettext
from .base import SuggestingGroup, lang_option
from .options import Env, Whole, common_options

MAX_CHANGES = 20  # `rules update` shows this many changed ranges, then a count


def _now():
    from ..when import clock

    return clock()


def _moment(moment) -> str:
    from datetime import UTC

    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _named(release) -> str:
    """`2023.06.01 (release 3)`, or the bundled rules alone."""
    if release is None:
        return _("the bundled rules alone")
    return _("{version} (release {release})").format(
        version=release.version, release=release.release
    )


def _tuf():
    from ..releasing import require_tuf

    require_tuf()


expires_option = click.option(
    "--expires",
    default="7d",
    show_default=True,
    metavar="PERIOD",
    help="How long the new timestamp is valid (12h, 7d, 2w); users' updates stop verifying "
    "after it until it is signed again.",
)
keys_option = click.option(
    "--keys",
    "keys_folder",
    metavar="KEYDIR",
    type=click.Path(file_okay=False),
    help="The signing keys' folder (default: DIR-keys, beside DIR).",
)


@click.group(cls=SuggestingGroup, short_help="Make or maintain a rules repository (maintainer).")
@lang_option
def repo() -> None:
    """Make or maintain a TUF repository of rules releases (maintainer).

    \b
    Examples:
      linkcheck rules repo init team-rules
      linkcheck rules repo refresh team-rules --expires 7d
    """


@repo.command("init", short_help="A new rules repository with fresh signing keys.")
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False))
@keys_option
@click.option(
    "--root-threshold",
    type=Whole(1, 9),
    default=1,
    show_default=True,
    help="Root keys to make, all needed to sign a new root.",
)
@common_options
def repo_init(folder, keys_folder, root_threshold, env: Env):
    """A new, empty rules repository in DIR, with fresh Ed25519 keys for its four TUF roles
    (root, targets, snapshot, timestamp) in KEYDIR, outside DIR. Publish DIR/metadata/ and
    DIR/targets/ on any static web server or shared folder; give users
    DIR/metadata/1.root.json.

    \b
    Example:
      linkcheck rules repo init team-rules --keys ~/secure/team-rules-keys
    """
    _tuf()
    from ..releasing import repository

    made = repository.init(folder, keys_folder, root_threshold, _now())
    render.echo(
        _("made a rules repository in {folder}: publish its metadata/ and targets/ folders on "
          "a static web server or a shared folder").format(folder=folder)
    )  # fmt: skip
    render.echo(
        ngettext(
            "signing keys ({names}) written to {keys}, readable by you alone: keep the root "
            "key offline, it is needed only to change keys",
            "signing keys ({names}) written to {keys}, readable by you alone: keep the root "
            "keys offline, apart, they are needed only to change keys",
            root_threshold,
        ).format(names=", ".join(made.key_files), keys=made.keys)
    )  # fmt: skip
    render.echo(
        _("users trust it once with: linkcheck rules trust URL --root {root}").format(
            root=made.root
        )
    )


@repo.command("refresh", short_help="Sign the timestamp again, so updates keep verifying.")
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False))
@keys_option
@expires_option
@common_options
def repo_refresh(folder, keys_folder, expires, env: Env):
    """Sign the repository's timestamp again (and its snapshot and targets when they would
    expire first), so users keep verifying the current release. Run it more often than
    --expires, e.g. daily from cron.

    \b
    Example:
      linkcheck rules repo refresh team-rules --expires 7d
    """
    _tuf()
    from ..releasing import parse_period, repository

    done = repository.refresh(folder, keys_folder, parse_period(expires), _now())
    render.echo(
        _("signed again: {roles}; valid until {expires}").format(
            roles=", ".join(done.roles), expires=_moment(done.expires)
        )
    )


@click.command("publish", short_help="Publish a rules file as the newest release (maintainer).")
@click.argument("rules_file", metavar="RULES.toml", type=click.Path(dir_okay=False))
@click.option(
    "--repo",
    "folder",
    required=True,
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="The repository made by `linkcheck rules repo init`.",
)
@keys_option
@expires_option
@common_options
def publish(rules_file, folder, keys_folder, expires, env: Env):
    """Publish RULES.toml, with the documents it cites, as the newest release of the
    repository in DIR, signed with the keys in KEYDIR.

    Refused (exit 1, nothing written): any `rules lint` problem in the file, warnings
    included; no `version`, or one that does not come after the published one; a
    platform's horizon that would move back.

    \b
    Example:
      linkcheck rules publish team.toml --repo team-rules
    """
    _tuf()
    from ..releasing import parse_period, repository

    period = parse_period(expires)
    done = repository.publish(rules_file, folder, keys_folder, period, _now())
    if done.previous is None:
        line = _("published {file} as release {release} (version {version}): {targets}")
    else:
        line = _(
            "published {file} as release {release} (version {version}, after {previous}): {targets}"
        )
    render.echo(
        line.format(file=rules_file, release=done.release, version=done.version,
                    previous=done.previous, targets=", ".join(done.targets))
    )  # fmt: skip
    render.echo(
        _("its timestamp is valid until {expires}: sign it again before then with "
          "`linkcheck rules repo refresh {folder}`").format(
            expires=_moment(done.expires), folder=folder)
    )  # fmt: skip


@click.command("trust", short_help="Trust a rules repository (once per repository).")
@click.argument("url", metavar="URL")
@click.option(
    "--root",
    "root_file",
    required=True,
    metavar="1.root.json",
    type=click.Path(dir_okay=False),
    help="The repository's initial root metadata, as its maintainer gave it to you.",
)
@common_options
def trust(url, root_file, env: Env):
    """Trust the rules repository at URL (its base: metadata at URL/metadata/, targets at
    URL/targets/; a folder path works too), verified from the root metadata in
    1.root.json. Stored in the user config folder; `linkcheck rules update` then installs
    its newest release.

    \b
    Example:
      linkcheck rules trust https://rules.example.com/team --root 1.root.json
    """
    _tuf()
    from ..releasing import client

    new, root, before = client.trust(url, root_file)
    render.echo(
        _("trusting {url} (root version {version}: a new root needs {threshold} of its {keys} "
          "root keys)").format(
            url=new.url, version=root.version, keys=len(root.roles["root"].keyids),
            threshold=root.roles["root"].threshold)
    )  # fmt: skip
    if before is not None and before.url != new.url:
        render.echo(_("(instead of {url})").format(url=before.url))
    render.echo(_("run `linkcheck rules update` to install its newest release"))


@click.command("update", short_help="Install the trusted repository's newest rules release.")
@click.option(
    "--from",
    "source",
    metavar="URL|DIR",
    help="Download from this copy of the repository (a mirror, a folder) instead of the "
    "trusted URL; it is verified against the same root.",
)
@common_options
def update(source, env: Env):
    """Verify the trusted repository (TUF: root rotation, timestamp, snapshot, targets) and
    install its newest release in the user data folder, keeping the one in use for
    `linkcheck rules rollback`. Says the versions (old → new), the horizon change and what
    changes, as `linkcheck rules diff` would.

    Refused, with nothing changed (exit 1): an unreachable repository, expired metadata
    (a frozen repository), metadata older than already seen (a replay), too few or wrong
    signatures, a file whose length or hash differs from the signed one, a release that
    fails `linkcheck rules lint`.

    \b
    Examples:
      linkcheck rules update
      linkcheck rules update --from /mnt/usb/team-rules
    """
    _tuf()
    from ..releasing import client

    done = client.update(source, _now())
    where = source or done.new.url
    if done.outcome == "current":
        render.echo(
            _("{release} is the newest release of {url}; verified now, valid until "
              "{expires}").format(
                release=_named(done.new), url=where,
                expires=_moment(done.expires) if done.expires else "-")
        )  # fmt: skip
        return
    if done.outcome == "reinstalled":
        line = _("rules release {new} installed again from {url}: the installed copy had changed")
    else:
        line = _("rules release: {old} → {new}, installed from {url}")
    render.echo(line.format(old=_named(done.old), new=_named(done.new), url=where))
    for text in _changes(done):
        render.echo(text)


def _changes(done) -> list[str]:
    """The horizon moves and changed ranges between the rules before and after."""
    from ..lint import diff, horizon_changes

    before, after = done.before, done.after

    def zone_of(platform: str):
        return (after if platform in after.catalog.platforms else before).zone(platform)

    doc = render.diff_document(_named(done.old), _named(done.new), diff(before, after),
                               horizon_changes(before, after), zone_of)  # fmt: skip
    lines = render.diff_lines(doc)
    if not doc["changes"] and not doc["horizons"]:
        return lines  # no verdict changes
    moved = len(doc["horizons"])
    shown_lines = [render.fitted(line, indent=4) for line in lines[:moved]]
    ranges = lines[moved:]
    for line in ranges[:MAX_CHANGES]:
        shown_lines.append(render.fitted("  " + line, indent=4))
    if len(ranges) > MAX_CHANGES:
        shown_lines.append(
            "  " + _("… and {count} more changed ranges").format(count=len(ranges) - MAX_CHANGES)
        )
    return shown_lines


@click.command("rollback", short_help="Return to the rules release in use before the update.")
@common_options
def rollback(env: Env):
    """Return to the rules release in use before the last `linkcheck rules update` (the
    bundled rules alone if there was none). The release left is kept: a second rollback
    returns to it.

    \b
    Example:
      linkcheck rules rollback
    """
    from ..releasing import client

    done = client.rollback()
    render.echo(
        _("rules release: {old} → {new}; `linkcheck rules rollback` again returns to "
          "{old}").format(old=_named(done.old), new=_named(done.new))
    )  # fmt: skip


COMMANDS = (repo, publish, trust, update, rollback)
