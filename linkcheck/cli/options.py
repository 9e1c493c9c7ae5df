"""Options every command accepts, and loading the rules they name."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

import click

from ..engine import RuleSet
from ..i18n import N_
from ..rules import load_catalog, rules_env_paths
from .base import lang_option

if TYPE_CHECKING:
    from ..rules.releases import Installed


class Env(NamedTuple):
    """What the common options say: which rules, which platform, whether to colour."""

    rules_files: tuple[str, ...]
    no_default_rules: bool
    platform: str | None
    color: str
    no_release: bool = False

    def release(self) -> Installed | None:
        """The installed rules release (checked), unless --no-release."""
        if self.no_release:
            return None
        from ..rules.folders import record_path

        if not os.path.lexists(record_path()):  # none installed: one lstat, nothing imported
            return None
        from ..rules.releases import installed

        return installed()

    def load(self) -> tuple[RuleSet, Installed | None]:
        """The rules in their order: bundled, the installed release, then --rules (or
        $LINKCHECK_RULES); and the release that was loaded."""
        paths = self.rules_files or tuple(rules_env_paths())
        found = self.release()
        release = None if found is None else (found.path, found.data)
        catalog = load_catalog(paths, defaults=not self.no_default_rules, release=release)
        return RuleSet(catalog), found

    def ruleset(self) -> RuleSet:
        return self.load()[0]

    def rule_files(self, ruleset: RuleSet, release: Installed | None) -> list[dict]:
        """The JSON `rule_files` list; the installed release's entry also says when the
        repository last vouched for it and whether that has expired."""
        from .. import render

        files = render.rule_files_list(ruleset.catalog)
        if release is not None:
            from ..when import clock

            for entry in files:
                if entry["file"] == release.path:
                    entry.update(release.vouched(clock()))
        return files

    def colour(self) -> str:
        """auto | always | never, with NO_COLOR honoured unless colour is forced."""
        if self.color == "auto" and os.environ.get("NO_COLOR"):
            return "never"
        return self.color

    def is_terminal(self) -> bool:
        return sys.stdout is not None and sys.stdout.isatty()

    def reads_a_terminal(self) -> bool:
        """Whether standard input is a terminal (a person would have to type the input)."""
        return sys.stdin is not None and sys.stdin.isatty()


def name_option(*decls: str, kind: str, metavar: str, help: str):
    """An option naming a platform, source or surface, completed from the rules' names."""
    return click.option(
        *decls, metavar=metavar, help=help, shell_complete=lambda c, p, i: complete(kind, i)
    )


PLATFORM_HELP = "Platform id or alias (default: the rules' default, kuaishou)."


def common_options(command=None, *, platform_help: str = PLATFORM_HELP):
    """--rules, --no-default-rules, --no-release, --platform, --color: accepted after every
    command name (`@common_options`, or `@common_options(platform_help=…)` for a command
    whose --platform means otherwise)."""
    if command is None:
        return functools.partial(common_options, platform_help=platform_help)

    @click.option(
        "--rules",
        "rules_files",
        multiple=True,
        metavar="FILE",
        type=click.Path(),
        help="Load this rules file after the bundled one and the installed release "
        "(repeatable). Without it, files in $LINKCHECK_RULES are loaded.",
    )
    @click.option("--no-default-rules", is_flag=True, help="Do not load the bundled rules.")
    @click.option(
        "--no-release",
        is_flag=True,
        help="Do not load the rules release installed by `linkcheck rules update`.",
    )
    @name_option("--platform", "-p", kind="platform", metavar="P", help=platform_help)
    @lang_option
    @click.option(
        "--color",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        help="Colour in terminal output (NO_COLOR is honoured).",
    )
    @functools.wraps(command)
    def wrapper(*args, rules_files, no_default_rules, no_release, platform, color, **kwargs):
        env = Env(tuple(rules_files), no_default_rules, platform, color, no_release)
        return command(*args, env=env, **kwargs)

    return wrapper


SURFACES_HELP = "Surface id or alias; repeatable or comma-separated; `all` for every one. "


def surface_option(help_text: str = SURFACES_HELP + "Default: livestream and short-video."):
    """-s/--surface, repeatable, completing surface names."""
    return click.option(
        "-s", "--surface", "surfaces", multiple=True, metavar="S", help=help_text,
        shell_complete=lambda c, p, i: complete("surface", i),
    )  # fmt: skip


def when_option(help_text: str):
    """-d/--on WHEN, default now."""
    return click.option(
        "-d", "--on", "when", default="now", metavar="WHEN", show_default=True, help=help_text
    )


class Whole(click.ParamType):
    """A whole number from `low` to `high` (None: no bound above), refused in words a user
    reads (click's IntRange says "integer range" and "1<=x<=9999", and has no Chinese for
    them); full-width digits, as a Chinese input method types them, are read too — as
    Span (--days) reads them: NFKC, then ASCII digits (not other scripts' digits)."""

    name = "number"

    def __init__(self, low: int, high: int | None = None) -> None:
        self.low, self.high = low, high

    def convert(self, value, param, ctx):
        if isinstance(value, int) and not isinstance(value, bool):
            number: int | None = value
        else:
            import unicodedata

            text = unicodedata.normalize("NFKC", str(value)).strip()
            number = int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None
        if number is not None and number >= self.low and (self.high is None or number <= self.high):
            return number
        from ..errors import shown
        from ..i18n import gettext as _

        if self.high is None:
            message = _("'{text}' is not a whole number of {low} or more")
        else:
            message = _("'{text}' is not a whole number from {low} to {high}")
        self.fail(message.format(text=shown(str(value)), low=self.low, high=self.high), param, ctx)


def year_option(command):
    """--year YYYY: the year of a date written without one (11月11日, Nov 11, 双11)."""
    return click.option(
        "--year",
        type=Whole(1000, 9999),  # four digits: --year 22 is no guess at a century (nor 0022)
        metavar="YYYY",
        help="The year of a date written without one (11月11日, Nov 11, 双11). "
        "Default: the current year in the platform's zone.",
    )(command)


def read_date(ruleset: RuleSet, text: str, platform: str | None, option: str = "--on", *,
              year: int | None = None) -> datetime:  # fmt: skip
    """An option's date or time in the platform's zone; a UserError naming the option if it
    cannot be read."""
    from ..errors import DateError
    from .base import UserError

    try:
        return ruleset.parse_when(text, platform, year=year)
    except DateError as exc:
        raise UserError(N_("{option}: {reason}"), option=option, reason=exc) from None


def year_note(ruleset: RuleSet, text: str, platform: str | None, option: str = "--on", *,
              year: int | None = None) -> str | None:  # fmt: skip
    """What a person should hear of the year of an option's date, read_date having read it:
    the year it was given where the text has none and --year did not give it (`--on 双11`
    read as this year's, which the rules may not reach: it said unknown without a word, a
    trial), or --year given and not used (the text has its own, or is read against now).
    None otherwise."""
    from ..errors import shown
    from ..i18n import gettext as _
    from ..when import DateStyle, read_when

    reading = read_when(text, ruleset.zone(platform), None, DateStyle(year=year))
    if year is None and reading.year is not None:
        return _("note: {option} '{text}' has no year: read as {day}, the current year in {zone} "
                 "(--year YYYY reads another)").format(
            option=option, text=shown(text), day=reading.at.date().isoformat(),
            zone=ruleset.zone(platform),
        )  # fmt: skip
    if year is not None and reading.year is None:
        return _("note: --year {year} is not used: {option} '{text}' needs none").format(
            year=year, option=option, text=shown(text)
        )
    return None


class Output(NamedTuple):
    """What output_options decided: the format to print, and the file it goes to (None:
    stdout). While the command runs, stdout *is* that file (written atomically)."""

    format: str
    path: str | None
    given: bool = False  # --format (or --json) chose the format

    def write_bytes(self, data: bytes) -> None:
        """Bytes (a calendar, a Parquet table) where the output goes."""
        from ..outputs import stdout_bytes

        binary = stdout_bytes()  # a stdout closed before the run: a closed pipe
        sys.stdout.flush()
        binary.write(data)


def output_options(*formats: str, piped: str | None = None):
    """--format F, --json (when json is one of `formats`) and -o/--output FILE: every
    command that prints data takes them, with one rule for the default — the first format
    on a terminal, `piped` (default: the first) when stdout is a pipe or a file — and one
    way of writing a file (atomically: replaced only when the command finished, whatever
    its exit code). The command gets `output` (an Output) instead. Put it below
    @common_options."""
    piped = piped or formats[0]

    def decorate(command):
        @functools.wraps(command)
        def wrapper(*args, fmt, out, env: Env, as_json: bool = False, **kwargs):
            out = None if out == "-" else out  # -o - is stdout, as FILE - is stdin
            chosen = "json" if as_json else fmt
            if chosen is None:
                chosen = formats[0] if out is None and env.is_terminal() else piped
            with written_to(out):
                output = Output(chosen, out, fmt is not None or as_json)
                return command(*args, output=output, env=env, **kwargs)

        wrapper = click.option(
            "-o", "--output", "out", metavar="FILE", type=click.Path(),
            help="Write to FILE (replaced only when complete) instead of stdout.",
        )(wrapper)  # fmt: skip
        if "json" in formats:
            wrapper = click.option(
                "--json", "as_json", is_flag=True, help="Same as --format json."
            )(wrapper)
        default = (
            f"Default: {formats[0]} on a terminal, {piped} otherwise."
            if piped != formats[0]
            else f"Default: {formats[0]}."
        )
        return click.option(
            "--format", "fmt", type=click.Choice(formats), help=f"Output format. {default}"
        )(wrapper)

    return decorate


@contextlib.contextmanager
def written_to(path: str | None):
    """stdout is the file `path` inside (a temporary file renamed over it at the end): the
    command prints as it always does. A command that ends with an exit code (click's Exit,
    as `check` answers) has finished its output: the file is kept."""
    if path is None:
        yield
        return
    import io

    from ..outputs import atomic_file

    ended = None
    with atomic_file(path) as binary:
        text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        try:
            with contextlib.redirect_stdout(text):
                try:
                    yield
                except click.exceptions.Exit as exit:
                    ended = exit
            text.flush()
        finally:
            with contextlib.suppress(ValueError):
                text.detach()
    if ended is not None:
        raise ended


def complete(kind: str, incomplete: str) -> list[str]:
    """Shell completion: ids and aliases of the bundled (and $LINKCHECK_RULES) vocabulary."""
    from ..errors import LinkcheckError
    from ..names import normalize

    try:
        catalog = Env((), False, None, "auto").ruleset().catalog
    except LinkcheckError:
        return []
    kinds: dict[str, list[Any]] = {
        "platform": list(catalog.platforms.values()),
        "source": [*catalog.sources.values(), *catalog.groups.values()],
        "surface": list(catalog.surfaces.values()),
    }
    entries = kinds[kind]
    prefix = normalize(incomplete.strip("'\"")) if incomplete else ""
    words = []
    for entry in entries:
        for word in (entry.id, *entry.aliases):
            if not prefix or normalize(word).startswith(prefix):
                words.append(word)
    if os.environ.get("_LINKCHECK_COMPLETE", "").startswith("bash"):
        # bash inserts a completion as it is: an alias with a space must come quoted
        # (zsh and fish quote what they insert themselves)
        import re
        import shlex

        special = re.compile(r"[\s'\"\\$`!&|;<>()*?\[\]#~{}]")
        words = [shlex.quote(w) if special.search(w) else w for w in words]
    return words
