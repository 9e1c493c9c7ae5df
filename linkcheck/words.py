"""The plain words of an answer, shared by every output (no rich, no click): the terminal
and `--explain` (render), plain lines, and the `note` and `next_change` cells of a checklist.
"""

from __future__ import annotations

import os
from datetime import datetime

from .i18n import N_, Deferred, Message, Note
from .i18n import gettext as _
from .model import Decision
from .when import shown_at

# what a checklist's date cell without a year was read as (the note of its row's answers)
YEAR_NOTES = (
    N_("the date has no year: read as {date}, in the current year (--year sets another)"),
    N_("the date has no year: read as {date} (--year {year})"),
)

RELATIVE_NOTE = N_("the date is said from today: read as {date}")

EMPTY_DATE_NOTES = (
    N_("the row has no date: checked now, as the run (--on sets a date)"),
    N_("the row has no date: checked at {date} (--on {when})"),
)


# how a list reads in a sentence (、 in Chinese)
LIST_SEPARATOR = N_(", ")


class Listed:
    """Items of a sentence (Messages or text) joined as a list reads in the language where
    it is shown: `jd-self allowed, jd-pop unknown` / `jd-self 可以挂链、jd-pop 未知`."""

    __slots__ = ("items",)

    def __init__(self, items) -> None:
        self.items = tuple(items)

    def __str__(self) -> str:
        return _(LIST_SEPARATOR).join(str(item) for item in self.items)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def people_change(cell: str) -> str:
    """A next_change cell as people read it: its verdict in the current language."""
    at, _space, verdict = cell.rpartition(" ")
    return f"{at} {verdict_word(verdict)}" if at else cell


def iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def rule_word_label(word: str) -> str:
    """A rules file's word (allow, deny, unknown) as people read it: the word itself in
    English, the verdict it gives in Chinese."""
    from .i18n import language
    from .model import VERDICT_OF

    return word if language() == "en" else verdict_word(VERDICT_OF[word])


def verdict_word(verdict: str) -> str:
    """A verdict as people read it: the word itself in English, 可以 / 不可以 / 未知 in
    Chinese. Machine-readable outputs use the verdict itself, never this."""
    words = {"allowed": _("allowed"), "denied": _("denied"), "unknown": _("unknown"),
             "error": _("error")}  # fmt: skip
    return words.get(verdict, verdict)


def newer_rules_hint(platform: str, horizon=None) -> Message:
    """What to do past the horizon, said the same way by every command and output (a
    Message: in the reader's language where it is shown, English in a checklist's note).
    Where the horizon is an installed release's, a newer release is what to get."""
    if horizon is not None and _from_a_release(horizon.file):
        return Message(
            N_("get a newer release with `linkcheck rules update`, or load a newer rules file "
               "that moves [horizon.{platform}] (--rules FILE)"),
            platform=platform,
        )  # fmt: skip
    return Message(
        N_("load a newer rules file that moves [horizon.{platform}] (--rules FILE)"),
        platform=platform,
    )


def _from_a_release(file: str) -> bool:
    """Whether a rules file is an installed release's (under the release folder)."""
    if not file or not os.path.isabs(file):
        return False
    from .rules.folders import release_dir

    folder = os.path.realpath(release_dir())
    return os.path.realpath(file).startswith(folder + os.sep)


def change_cell(d: Decision) -> str:
    """`2023-01-01T00:00:00+08:00 unknown`: the next change in one cell ("" if none)."""
    change = d.next_change
    return "" if change is None else f"{iso(change.at)} {change.verdict}"


def decision_note(d: Decision) -> str:
    """Why an answer is not simply its rule's, in one line ("" when it is): a Note."""
    if d.reason == "ambiguous_link":
        parts = Listed(
            Message(N_("{source} {verdict}"), source=c.source, verdict=Deferred(c.verdict))
            for c in d.candidates
        )
        return Note(
            Message(N_("candidates disagree ({parts}); name the exact source"), parts=parts)
        )
    if d.reason == "no_rule":
        return Note(Message(N_("no rule covers this")))
    if d.reason == "rule" and d.rule is None and d.candidates:  # agreed, by rules of their own
        parts = Listed(
            Message(N_("{source} {rule}"), source=c.source, rule=c.rule.id if c.rule else "-")
            for c in d.candidates
        )
        return Note(Message(N_("candidates agree, each by its own rule ({parts})"), parts=parts))
    if d.reason == "beyond_horizon" and d.horizon is not None:
        known = d.last_known
        last: Message = Deferred("unknown" if known is None else known.verdict)
        if known and known.rule:
            last = Message(N_("{verdict} ({rule})"), verdict=last, rule=known.rule.id)
        return Note(
            Message(
                N_(
                    "beyond the rules' horizon: nothing known after {through} (as of "
                    "{as_of}); last known: {last}; {hint}"
                ),
                through=d.horizon.through,
                as_of=d.horizon.as_of,
                last=last,
                hint=newer_rules_hint(d.platform, d.horizon),
            )
        )
    return ""


def empty_date_note(at: datetime, when: str) -> str:
    """The note of an empty cell in a date column, read as the run's date `when` (--on): a
    Note, as reading_note's (the table and a workbook said it in English under --lang zh)."""
    template = EMPTY_DATE_NOTES[0] if when.strip().lower() == "now" else EMPTY_DATE_NOTES[1]
    return Note(Message(template, date=shown_at(at), when=when))


def relative_note(at: datetime) -> str:
    """The note of a date cell read against now (今晚8点, today, +3d, next friday): the
    instant it was read as, which another day's run reads otherwise."""
    return Note(Message(RELATIVE_NOTE, date=shown_at(at)))


def reading_note(at: datetime, year: int | None) -> str:
    """The note of a date cell read without a year as `at` (`year`: --year, if given): a
    Note (English in the appended columns, the reader's language where people read it)."""
    template = YEAR_NOTES[0] if year is None else YEAR_NOTES[1]
    return Note(Message(template, date=shown_at(at), year=year))
