"""What every command module shares, apart from the `linkcheck` group itself: the user's
errors, --lang and the language of click's own words, help that fits the terminal, a group
that suggests the closest command, and stdout silenced after its reader went away. The
group (linkcheck.cli) imports the command modules; they import this module, never the
group: no two modules import each other."""

from __future__ import annotations

import contextlib
import os
import sys

import click


class UserError(click.ClickException):
    """A value the user gave cannot be used: one or two lines on stderr, exit 2. Raised as
    `UserError(N_("… '{name}'"), name=…)`, it is said in the user's language."""

    exit_code = 2

    def __init__(self, message: str, **fields) -> None:
        from ..i18n import Message

        # formatted as every message is (i18n._bounded: long fields cut, control
        # characters escaped)
        super().__init__(str(Message(message, **fields)))


class RefusedError(UserError):
    """A check that failed (a refused update or publish): said like a UserError, exit 1."""

    exit_code = 1


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
    """A group whose unknown command is answered with the closest ones, and which, given
    options but no command (`linkcheck --lang zh`), shows its help as it does given
    nothing at all — it said 'Missing command.' alone, the first thing a Chinese user
    types (a trial)."""

    def invoke(self, ctx: click.Context):
        no_args = getattr(click.exceptions, "NoArgsIsHelpError", None)
        # click 8.2 on keeps the command's words apart (protected_args is to go in click 9)
        words = getattr(ctx, "_protected_args", None)
        if no_args is not None and words == [] and not ctx.args and not self.invoke_without_command:
            raise no_args(ctx)
        return super().invoke(ctx)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            ctx.fail(self.unknown_command(name, ctx))
        return super().resolve_command(ctx, args)

    def closest_commands(self, name: str, ctx: click.Context) -> list[str]:
        """The commands near `name`, as names are found everywhere (names.closest): `sur`
        is surfaces first (difflib's own search gave sources alone)."""
        from ..names import closest

        return closest(name, {c: c for c in self.list_commands(ctx)}, n=2)

    def unknown_command(self, name: str, ctx: click.Context) -> str:
        from ..errors import shown
        from ..i18n import gettext as _
        from ..names import did_you_mean

        return _("no command '{name}'{hint}; the commands are {commands}").format(
            name=shown(name),
            hint=did_you_mean(self.closest_commands(name, ctx)),
            commands=", ".join(self.list_commands(ctx)),
        )


def silence_stdout() -> None:
    """Point stdout at /dev/null after its reader went away, so that the final flush at
    exit cannot fail again."""
    if sys.stdout is None:  # closed before the run began: nothing to silence
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())
