"""The Chinese catalog's messages: what the code marks (`_()`, `N_()`, `ngettext()`),
every command's and option's help as click shows it, and the words of click itself that
linkcheck translates. `python tools/i18n_catalog.py` rewrites linkcheck.pot, merges it into
zh_CN/LC_MESSAGES/linkcheck.po (keeping every translation; new messages come untranslated,
which the tests refuse) and compiles linkcheck.mo; tests/test_i18n.py checks all three."""

from __future__ import annotations

import inspect
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "linkcheck" / "locale"
POT = LOCALE / "linkcheck.pot"
PO = LOCALE / "zh_CN" / "LC_MESSAGES" / "linkcheck.po"
MO = LOCALE / "zh_CN" / "LC_MESSAGES" / "linkcheck.mo"
STABLE_DATE = datetime(2022, 10, 28, tzinfo=UTC)

# click's own words that linkcheck users meet (msgids exactly as click 8 writes them)
CLICK_MESSAGES = (
    "Usage:",
    "Options",
    "Commands",
    "Error: {message}",
    "Try '{command} {option}' for help.",
    "Show this message and exit.",
    "Show the version and exit.",
    "No such option: {name}",
    "No such option {name!r}.",
    "Did you mean {possibility}?",  # after it, for a mistyped option (an ngettext pair)
    "(Did you mean one of: {possibilities}?)",
    "Missing argument",
    "Missing command.",
    "Missing option",
    "Missing parameter",
    "Missing argument '{param_name}'.",
    "Missing option '{param_name}'.",
    "Invalid value: {message}",
    "Invalid value for {param_hint}: {message}",
    "{value!r} is not one of {choices}.",
    "{value!r} is not {choice}.",
    "{value!r} is not a valid {number_type}.",
    "{name} {filename!r} does not exist.",
    "Option {name!r} requires an argument.",
    "Option {name!r} requires {nargs} arguments.",
    "Got unexpected extra argument ({args})",
    "Got unexpected extra arguments ({args})",
    "default: {default}",
    "required",  # an option's [required] in help
    "Aborted!",
    "{value!r} is not a valid integer.",
    "integer",
)


def source_messages() -> dict[str | tuple[str, str], list[str]]:
    """msgid → places, for the literals the code marks (a plural is (singular, plural))."""
    from babel.messages.extract import extract_from_dir

    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT / "linkcheck"), method_map=[("**.py", "python")]
    ):
        if isinstance(message, tuple):
            message = tuple(m for m in message if m)
            message = message[0] if len(message) == 1 else message
        if message:
            found.setdefault(message, []).append(f"linkcheck/{filename}:{lineno}")
    return found


def help_messages() -> dict[str, list[str]]:
    """msgid → places, for every help text click shows (as click cleans it)."""
    import click

    sys.path.insert(0, str(ROOT))
    from linkcheck.cli import COMMANDS, cli

    found: dict[str, list[str]] = {}

    def add(text: str | None, where: str) -> None:
        if text:
            found.setdefault(inspect.cleandoc(text).partition("\f")[0], []).append(where)

    def walk(command: click.Command, path: str) -> None:
        add(command.help, f"help of {path}")
        add(command.short_help, f"short help of {path}")
        for param in command.params:
            add(getattr(param, "help", None), f"{path} {param.opts[0]}")
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(cli, "linkcheck")
    ctx = click.Context(cli)
    for name in COMMANDS:
        walk(cli.get_command(ctx, name), f"linkcheck {name}")
    return found


def messages() -> dict[str, list[str]]:
    """Every msgid the catalog must hold, with where it comes from."""
    found = source_messages()
    for text, places in help_messages().items():
        found.setdefault(text, []).extend(places)
    for text in CLICK_MESSAGES:
        found.setdefault(text, []).append("click")
    return found


def update() -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po, write_po

    PO.parent.mkdir(parents=True, exist_ok=True)
    # a fixed date: the catalog files change only when a message does (a new date on every
    # run made every branch's catalog conflict with every other's)
    template = Catalog(project="linkcheck", charset="utf-8", creation_date=STABLE_DATE)
    for text, places in sorted(messages().items(), key=lambda item: str(item[0])):
        template.add(text, locations=[(p, None) for p in places[:3]])
    with POT.open("wb") as f:
        write_po(f, template, omit_header=True, sort_output=True, no_location=True)
    if PO.exists():
        with PO.open("rb") as f:
            catalog = read_po(f, locale="zh_CN")
    else:
        catalog = Catalog(locale="zh_CN", project="linkcheck", charset="utf-8")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.creation_date = STABLE_DATE
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as f:
        write_po(f, catalog, omit_header=False, sort_output=True, no_location=True,
                 ignore_obsolete=True)  # fmt: skip
    with MO.open("wb") as f:
        write_mo(f, catalog, use_fuzzy=False)


if __name__ == "__main__":
    update()
    print(f"{len(messages())} messages; wrote {POT.relative_to(ROOT)}, {PO.relative_to(ROOT)}, "
          f"{MO.relative_to(ROOT)}")  # fmt: skip
