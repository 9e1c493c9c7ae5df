"""The language of the words meant for people: English or Chinese (zh-CN), through gettext.

The language is the one chosen (`--lang`), else LINKCHECK_LANG, else the locale (LC_ALL,
LC_MESSAGES, LANG: `zh…` is Chinese), else English. Messages are marked `_("…")` where they
are written and translated when shown; the Chinese catalog (locale/zh_CN/LC_MESSAGES/
linkcheck.mo, compiled from the .po beside it) is read the first time a Chinese text is
shown, so an English or machine-readable answer never pays for it. Machine-readable words —
verdicts, ids, JSON keys, the appended batch columns — are never passed through here.
"""

from __future__ import annotations

import contextlib
import os

LANGUAGES = ("en", "zh")
DOMAIN = "linkcheck"
_chosen: str | None = None
_forced: str | None = None
_catalogs: dict[str, object] = {}


def choose(language: str | None) -> None:
    """Use `language` (en or zh) from now on; None goes back to the environment's."""
    global _chosen
    _chosen = None if language is None else normalize(language)


@contextlib.contextmanager
def english():
    """English inside: for words that are read by programs too (plain output lines)."""
    with speaking("en"):
        yield


@contextlib.contextmanager
def speaking(language: str):
    """`language` (en or zh) inside, whatever was chosen: a recorded run re-run in the
    language it was made in (a workbook's headers and verdict labels follow it)."""
    global _forced
    before, _forced = _forced, normalize(language)
    try:
        yield
    finally:
        _forced = before


def normalize(language: str) -> str:
    return "zh" if language.strip().lower().startswith("zh") else "en"


def language() -> str:
    """en or zh: chosen, else LINKCHECK_LANG, else the locale's messages language."""
    if _forced is not None:
        return _forced
    if _chosen is not None:
        return _chosen
    env = os.environ
    wanted = env.get("LINKCHECK_LANG") or env.get("LC_ALL") or env.get("LC_MESSAGES")
    wanted = wanted or env.get("LANG") or ""
    return normalize(wanted) if wanted not in ("", "C", "POSIX") else "en"


def _catalog():
    found = _catalogs.get("zh")
    if found is None:
        import gettext
        from pathlib import Path

        folder = Path(__file__).parent / "locale"
        found = _catalogs["zh"] = gettext.translation(
            DOMAIN, folder, languages=["zh_CN"], fallback=True
        )
    return found


def gettext(message: str) -> str:
    """`message` in the current language."""
    if not message or language() == "en":
        return message
    return _catalog().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    if language() == "en":
        return singular if count == 1 else plural
    catalog = _catalog()
    text = catalog.ngettext(singular, plural, count)
    if text in (singular, plural):  # no plural entry (click's Choice asks for one
        # of two sentences the catalog has on their own): the form's own entry
        return catalog.gettext(singular if count == 1 else plural)
    return text


_ = gettext


def N_(message: str) -> str:
    """Marks a message for translation where it is defined; translate it when shown."""
    return message


class Message:
    """A text for people: a catalog entry (marked with N_) and the fields it is formatted
    with, put in the current language each time it is shown (str(), or formatted into
    another message). Every error, problem and notice of linkcheck is one, so the same
    error reads in Chinese on a terminal and in English in a checklist's note column."""

    __slots__ = ("fields", "template")

    def __init__(self, template: str, **fields) -> None:
        self.template = template
        self.fields = fields

    def __str__(self) -> str:
        text = gettext(self.template) if self.template else ""
        if not self.fields:
            return text
        return text.format(**{name: _bounded(value) for name, value in self.fields.items()})

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"Message({self.template!r}, **{self.fields!r})"

    def english(self) -> str:
        """The message in English, whatever the interface's language (for machine outputs:
        a checklist's note, JSON)."""
        with english():
            return str(self)


FIELD_LIMIT = 240  # characters of one text field a message shows, however long it was


def _bounded(value):
    """A message's field as it is shown: a text longer than FIELD_LIMIT cut (a 100,000-
    character header must not make a 100 KB line), its control characters escaped (a path
    or an id given with ESC [2J in it was shown with the sequence taken out: "no rule 'x'
    (did you mean 'x'?)"); the places that quote what the user gave cut it shorter still,
    with errors.shown()."""
    if type(value) is int and value.bit_length() > 3 * FIELD_LIMIT:  # a number of a rules
        value = str(value)  # file (under 4,300 digits) is a text of digits as long
    if type(value) is str:
        if len(value) > FIELD_LIMIT:
            value = value[: FIELD_LIMIT - 3] + "..."
        value = escape_controls(value)
    return value


def escape_controls(text: str) -> str:
    """Control and other unprintable characters as escapes (`\x1b`, `\r`): a terminal
    never receives an escape sequence from an input."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )


# a message without fields, translated where it is formatted into another (an error's field)
Deferred = Message


# how the parts of a note are joined (；in Chinese)
NOTE_SEPARATOR = N_("; ")


class Whole(str):
    """A message field shown whole, however long: the values a note keeps (a row's extra
    cells), which a message would otherwise cut (i18n.FIELD_LIMIT)."""


class Note(str):
    """A checklist answer's note. Its text is English — the appended columns of CSV, TSV
    and JSON outputs never change with the language — and it keeps the messages it was made
    from, so that the outputs people read (the table, a workbook) say it in their language
    (people_note)."""

    said: tuple

    def __new__(cls, *said) -> Note:
        with english():
            text = gettext(NOTE_SEPARATOR).join(_first_line(part) for part in said)
        note = super().__new__(cls, text)
        note.said = said
        return note

    def people(self) -> str:
        return gettext(NOTE_SEPARATOR).join(_first_line(part) for part in self.said)


def _first_line(part) -> str:
    text = str(part)
    return text.splitlines()[0] if text else text


def people_note(note: str) -> str:
    """A note as people read it, in the current language (a plain text as it is)."""
    return note.people() if isinstance(note, Note) else note


def joined_notes(note: str, other: str) -> str:
    """Two notes of one answer as one (either may be empty); the parts of each kept."""
    if not note:
        return other
    if not other:
        return note
    said = (*getattr(note, "said", (note,)), *getattr(other, "said", (other,)))
    return Note(*said)
