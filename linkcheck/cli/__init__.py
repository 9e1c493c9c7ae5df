"""The `linkcheck` command: a thin layer that parses, calls the core, renders, exits.

Errors from the core (LinkcheckError) become a short message and exit code 2 here, in one
place; Ctrl-C exits 130 and a closed stdout pipe exits quietly.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import sys

import click

from .. import __version__, render
from ..errors import LinkcheckError


class UserError(click.ClickException):
    """A value the user gave cannot be used: one or two lines on stderr, exit 2. Raised as
    `UserError(N_("… '{name}'"), name=…)`, it is said in the user's language."""

    exit_code = 2

    def __init__(self, message: str, **fields) -> None:
        from ..i18n import gettext

        text = gettext(message)
        super().__init__(text.format(**fields) if fields else text)


class RefusedError(UserError):
    """A check that failed (a refused update or publish): said like a UserError, exit 1."""

    exit_code = 1


# command name → (module in linkcheck.cli, attribute): imported only when that command runs,
# so `linkcheck check` never pays for batch, rules or timeline code.
COMMANDS = {
    "check": ("check", "check"),
    "batch": ("batch", "batch"),
    "timeline": ("windows", "timeline"),
    "upcoming": ("windows", "upcoming_command"),
    "rules": ("rules", "rules"),
    "sources": ("vocab", "sources"),
    "surfaces": ("vocab", "surfaces"),
    "platforms": ("vocab", "platforms"),
}


def _translate_click() -> None:
    """click's own words (Usage, Options, its errors) through linkcheck's catalog: click
    marks them with gettext, bound as `_` (and `ngettext`) in each of its modules when it
    was imported. Every click module loaded so far is rebound, whatever its name (a click
    release that moves its words to another module is covered; tests/test_i18n.py checks
    that no click module is left with the standard gettext)."""
    import gettext

    from .. import i18n

    for name, module in list(sys.modules.items()):
        if module is None or not (name == "click" or name.startswith("click.")):
            continue
        if getattr(module, "_", None) in (gettext.gettext, None) and hasattr(module, "_"):
            setattr(module, "_", i18n.gettext)  # noqa: B010 (a module's name bound by click)
        if getattr(module, "ngettext", None) is gettext.ngettext:
            setattr(module, "ngettext", i18n.ngettext)  # noqa: B010


def language_in(args: list[str]) -> str | None:
    """The language a command line asks for with --lang, wherever it stands on the line
    (`linkcheck check --help --lang zh`): it must be known before click reads anything, or
    what click reads first (--help is eager) comes in the language of the moment. The last
    --lang wins, as for any option; after `--` nothing is an option."""
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        else:
            continue
        if value in ("zh", "en"):  # anything else is click's to refuse
            found = value
    return found


def _choose_language(ctx: click.Context, param, value: str | None) -> None:
    if value is not None:
        from .. import i18n

        i18n.choose(value)


def lang_option(command):
    """--lang zh|en: the language of the words for people (machine output never changes)."""
    return click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        expose_value=False,
        is_eager=True,
        callback=_choose_language,
        help="Language of messages and help: zh (中文) or en. "
        "Default: LINKCHECK_LANG, else the locale (LANG).",
    )(command)


class FitContext(click.Context):
    """Help that fits the terminal (cli/help.py, imported only when help is shown)."""

    def make_formatter(self) -> click.HelpFormatter:
        from .help import FitFormatter

        return FitFormatter(width=self.terminal_width, max_width=self.max_content_width)


def fit_help(command: click.Command) -> click.Command:
    """Give `command` (and a group's subcommands) help that fits the terminal, and a help
    option whose words are in the language of each run."""
    command.context_class = FitContext
    if not getattr(command, "_linkcheck_help", False):
        command._linkcheck_help = True  # type: ignore[attr-defined]
        command.get_help_option = _help_option_of(command)  # type: ignore[method-assign]
    for sub in getattr(command, "commands", {}).values():
        fit_help(sub)
    return command


def _help_option_of(command: click.Command):
    """click makes a command's --help option once and keeps it, with its help text in the
    language of the first run that showed it: the text is put in this run's language."""
    made = command.get_help_option

    def get_help_option(ctx: click.Context):
        option = made(ctx)
        if option is not None:
            from ..i18n import gettext

            option.help = gettext("Show this message and exit.")
        return option

    return get_help_option


class SuggestingGroup(click.Group):
    """A group whose unknown command is answered with the closest ones."""

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            ctx.fail(self.unknown_command(name, ctx))
        return super().resolve_command(ctx, args)

    def closest_commands(self, name: str, ctx: click.Context) -> list[str]:
        import difflib

        return difflib.get_close_matches(name.lower(), self.list_commands(ctx), n=2, cutoff=0.6)

    def unknown_command(self, name: str, ctx: click.Context) -> str:
        from ..errors import shown
        from ..i18n import gettext as _
        from ..names import did_you_mean

        return _("no command '{name}'{hint}; the commands are {commands}").format(
            name=shown(name),
            hint=did_you_mean(self.closest_commands(name, ctx)),
            commands=", ".join(self.list_commands(ctx)),
        )


class LinkcheckGroup(SuggestingGroup):
    context_class = FitContext  # the group's own --help fits the terminal too

    def make_context(self, info_name, args, parent=None, **extra):
        from .. import i18n
        from ..inputs import forget

        # each run starts from the environment's language, or the one its line asks for
        i18n.choose(language_in(args))
        forget()  # and with no file read yet (an output may replace what an earlier run read)
        _translate_click()  # click modules imported since the last run too
        argv = list(args)
        ctx = super().make_context(info_name, args, parent=parent, **extra)
        ctx.meta["linkcheck.argv"] = argv  # the command line as given (a manifest records it)
        return ctx

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True,
             **extra):  # fmt: skip
        """click's main, with click's own messages (a usage error, a bad option value, and
        every LinkcheckError made a UserError) written by render.echo: escaped like every
        other text, however the value they quote was typed."""
        from .. import i18n

        main = super().main
        try:
            if not standalone_mode:
                return main(args, prog_name, complete_var, standalone_mode=False, **extra)
            try:
                code = main(args, prog_name, complete_var, standalone_mode=False, **extra)
            except click.ClickException as exc:
                said = io.StringIO()
                if isinstance(exc, click.MissingParameter) and i18n.language() == "zh":
                    _chinese_full_stop(exc)
                exc.show(file=said)
                render.echo(said.getvalue(), err=True, nl=False)
                code = exc.exit_code
            except click.Abort:
                render.echo(i18n.gettext("Aborted!"), err=True)
                code = 1
            sys.exit(code if isinstance(code, int) else 0)
        finally:  # --lang is for this run only (the process may go on: a test, an embedder)
            i18n.choose(None)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        from importlib import import_module

        return fit_help(getattr(import_module(f"{__name__}.{entry[0]}"), entry[1]))

    def unknown_command(self, name: str, ctx: click.Context) -> str:
        """A source typed where a command goes (`linkcheck 天猫`) is shown the way to check it."""
        message = super().unknown_command(name, ctx)
        if self.closest_commands(name, ctx):  # a mistyped command, not a source
            return message
        from ..errors import shown
        from .options import Env

        try:
            Env((), False, None, "auto").ruleset().resolve_source(name)
        except LinkcheckError:
            return message
        from ..i18n import gettext as _

        return (
            message
            + "\n  "
            + _("to check a source: linkcheck check '{name}'").format(name=shown(name))
        )

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LinkcheckError as exc:
            # exit 2, or 1 for a check that failed (a refused update or publish)
            raise (RefusedError if exc.exit_code == 1 else UserError)(str(exc)) from None
        except KeyboardInterrupt:
            render.echo("", err=True)
            raise click.exceptions.Exit(130) from None


def _chinese_full_stop(exc: click.MissingParameter) -> None:
    """click ends "Missing argument 'SOURCE'." with a full stop of its own, outside the
    catalog: in Chinese it is 。 (缺少参数 'SOURCE'。)."""
    message = re.sub(r"(?<=['\"”])\.(?= |$)", "。", exc.format_message(), count=1)
    exc.format_message = lambda: message  # type: ignore[method-assign]


def _show_version(ctx: click.Context, param, value: bool) -> None:
    """--version: linkcheck's version, and the version of the rules it ships with."""
    if not value or ctx.resilient_parsing:
        return
    from ..i18n import gettext as _
    from ..rules import Loader

    render.echo(_("{prog}, version {version}").format(prog="linkcheck", version=__version__))
    loader = Loader()
    loader.add_bundled()
    bundled = loader.catalog.rule_files[0] if loader.catalog.rule_files else None
    if bundled is None or bundled.version is None:
        render.echo(_("bundled rules: no version stated"))
    else:
        render.echo(_("bundled rules: version {version}").format(version=bundled.version))
    ctx.exit()


@click.group(cls=LinkcheckGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
@lang_option
def cli() -> None:
    """May a product from SOURCE be linked from a livestream or a short video on PLATFORM
    on a given date? Answers from date windows kept as data in rules.toml.

    \b
    Examples:
      linkcheck check tmall --on 2022-11-11
      linkcheck check 京东自营 -s 直播 --on 双11 --explain
      linkcheck sources
    """


def silence_stdout() -> None:
    """Point stdout at /dev/null after its reader went away, so that the final flush at
    exit cannot fail again."""
    if sys.stdout is None:  # closed before the run began: nothing to silence
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())


# a write to stdout that failed because the output cannot take it (a full disk, a quota, an
# I/O error): the answer never arrived, so the run fails like an unusable input does
_UNWRITABLE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def main() -> None:
    """Console-script entry point."""
    try:
        try:
            cli.main(prog_name="linkcheck")
        finally:  # what is still buffered is written now, where its failure is caught
            if sys.stdout is not None:
                sys.stdout.flush()
    except BrokenPipeError:
        # stdout closed early (`linkcheck ... | head -1`): stop quietly, no traceback
        silence_stdout()
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as exc:
        if exc.errno not in _UNWRITABLE:
            raise
        silence_stdout()
        from ..i18n import gettext as _

        render.echo(_("Error: cannot write the output: {reason}").format(reason=exc.strerror),
                   err=True)  # fmt: skip
        sys.exit(2)


# after the decorators above: click's words are translated when shown, never baked in at
# import in the language of the moment (the --version help is read when help is formatted)
_translate_click()
fit_help(cli)
