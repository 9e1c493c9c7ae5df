"""The `linkcheck` command: a thin layer that parses, calls the core, renders, exits.

Errors from the core (LinkcheckError) become a short message and exit code 2 here, in one
place; Ctrl-C exits 130 and a closed stdout pipe exits quietly.
"""

from __future__ import annotations

import errno
import io
import re
import sys

import click

from .. import __version__, render
from ..errors import LinkcheckError, OSReason
from .base import (
    FitContext,
    RefusedError,
    SuggestingGroup,
    UserError,
    _translate_click,
    fit_help,
    lang_option,
    language_in,
    silence_stdout,
)

__all__ = ["COMMANDS", "RefusedError", "UserError", "cli", "main", "silence_stdout"]


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


# what click raises for a group given no command (its help, exit 2): click's own words,
# not an error's (click 8.2 on; before it, the help was printed and the run ended)
_NO_ARGS = getattr(click.exceptions, "NoArgsIsHelpError", ())


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
                if isinstance(exc, _NO_ARGS):  # `linkcheck`, `linkcheck rules`: the help
                    exc.show(file=said)
                elif isinstance(exc, click.UsageError):
                    said.write(_usage_error(exc))
                else:
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


def _usage_error(exc: click.UsageError) -> str:
    """A usage error in two lines (SPEC §8: one or two lines): what is wrong, then where the
    help is — click's words, without the usage line and the blank line it puts first. A
    message of two lines already (a source typed where a command goes) has no hint."""
    from ..i18n import gettext as _

    if isinstance(exc, click.NoSuchOption) and exc.ctx is not None:
        near = _near_options(exc.option_name, exc.ctx.command)
        exc = click.NoSuchOption(exc.option_name, ctx=exc.ctx)
        # as found here: click would sift them again by their letters (--date is not --on)
        exc.possibilities = near or None  # type: ignore[misc]
    message = exc.format_message()
    # click puts a space between its sentences ("No such option '--form'. Did you mean …"):
    # after a full-width stop (Chinese) none belongs
    message = message.replace("。 ", "。")
    text = _("Error: {message}").format(message=message) + "\n"
    ctx = exc.ctx
    if ctx is not None and ctx.command.get_help_option(ctx) is not None and "\n" not in text[:-1]:
        option = max(ctx.command.get_help_option_names(ctx), key=len)
        text += _("Try '{command} {option}' for help.").format(
            command=ctx.command_path, option=option
        ) + "\n"  # fmt: skip
    return text


# what people type for an option that linkcheck names otherwise, from other tools or plain
# speech (--date for the day asked about, which is --on): not near it in letters
_OTHER_WORDS = {"date": "--on", "when": "--on", "day": "--on", "at": "--on", "time": "--on",
                "json": "--format", "out": "--output"}  # fmt: skip


def _near_options(name: str, command: click.Command) -> list[str]:
    """The long options of `command` near the mistyped `name`, as names are found everywhere
    (names.closest, without the dashes every option shares), and of those only the ones
    about as near as the nearest: click's own search offered --platform for --formt and
    --encoding for --engin."""
    from difflib import SequenceMatcher

    from ..names import closest

    typed = name.lstrip("-").casefold()
    options = [o for p in command.params for o in (*p.opts, *p.secondary_opts) if o[:2] == "--"]
    meant = _OTHER_WORDS.get(typed)
    if meant in options:  # another tool's word for one of ours
        return [meant]
    near = closest(typed, {o[2:]: o for o in options}, n=3)
    ratios = [SequenceMatcher(None, typed, o[2:]).ratio() for o in near]
    return [o for o, ratio in zip(near, ratios, strict=True) if ratio >= max(ratios) - 0.15]


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
      linkcheck check 京东自营 -s 直播 --on 2022年双11 --explain
      linkcheck sources
    """


# a write to stdout that failed because the output cannot take it (a full disk, a quota, an
# I/O error, a stdout opened for reading: `1<file`): the answer never arrived, so the run
# fails like an unusable input does
_UNWRITABLE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF}


def main() -> None:
    """Console-script entry point."""
    done: int | str | None = None  # the exit code the command ended with, if it ended
    try:
        try:
            cli.main(prog_name="linkcheck")
        except SystemExit as exc:
            done = exc.code
            raise
        finally:  # what is still buffered is written now, where its failure is caught
            if sys.stdout is not None:
                sys.stdout.flush()
    except BrokenPipeError:
        # stdout closed early (`linkcheck ... | head -1`): stop quietly, no traceback; a
        # command that had ended keeps its code (`check … | head -1` said 1, denied, of an
        # allowed answer whose last lines found the pipe closed)
        silence_stdout()
        sys.exit(1 if done is None else done)
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as exc:
        if exc.errno not in _UNWRITABLE:
            raise
        silence_stdout()
        from ..i18n import gettext as _

        render.echo(_("Error: cannot write the output: {reason}").format(reason=OSReason(exc)),
                   err=True)  # fmt: skip
        sys.exit(2)


# after the decorators above: click's words are translated when shown, never baked in at
# import in the language of the moment (the --version help is read when help is formatted)
_translate_click()
fit_help(cli)
