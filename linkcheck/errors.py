"""The errors the core raises. Each message names the bad input and what would be accepted;
the CLI turns any LinkcheckError into a one- or two-line message and exit code 2."""

from __future__ import annotations

import errno

from .i18n import N_, Message, escape_controls, people_note

# the OS's reasons a reader meets most, in the catalog by their errno (English shows the
# OS's own words: these msgids are glibc's)
_ERRNO_SAID = {
    getattr(errno, name, -1): said
    for name, said in (
        ("ENOENT", N_("No such file or directory")),
        ("EACCES", N_("Permission denied")),
        ("EPERM", N_("Operation not permitted")),
        ("ENOSPC", N_("No space left on device")),
        ("EDQUOT", N_("Disk quota exceeded")),
        ("EISDIR", N_("Is a directory")),
        ("ENOTDIR", N_("Not a directory")),
        ("EROFS", N_("Read-only file system")),
        ("ENAMETOOLONG", N_("File name too long")),
        ("ELOOP", N_("Too many levels of symbolic links")),
        ("EIO", N_("Input/output error")),
    )
}


class OSReason:
    """Why the OS refused, as a message field: its own words (strerror), in Chinese by the
    errno where the catalog has it (a path's 'No such file or directory' was English in a
    Chinese message)."""

    __slots__ = ("exc",)

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def __str__(self) -> str:
        from .i18n import gettext, language

        said = getattr(self.exc, "strerror", None) or str(self.exc)
        template = _ERRNO_SAID.get(getattr(self.exc, "errno", None) or 0)
        if template is None or language() == "en":
            return said
        return gettext(template)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def missing_extra(what: str, extra: str, package: str) -> str:
    """What to install for an optional part: the library itself (the name `linkcheck` on
    the public package index is another project), or the extra from a checkout."""
    from .i18n import gettext as _

    return _(
        "{what} needs {package}, an optional extra: pip install {package}\n"
        "  (or, in the linkcheck checkout: pip install '.[{extra}]')"
    ).format(what=_(what), package=package, extra=extra)


def missing_dependency(what: str, package: str) -> str:
    """What to install when a package linkcheck depends on is missing (an installation
    made without its dependencies, or one removed since): openpyxl for workbooks."""
    from .i18n import gettext as _

    return _(
        "{what} needs {package}, which is installed with linkcheck but is missing here: "
        "pip install {package}"
    ).format(what=_(what), package=package)


# the parts missing_extra() and missing_dependency() name, translated where they say them
EXTRA_PARTS = (N_("calendar export"), N_("reading .xlsx"), N_("writing .xlsx"),
               N_("parquet export"))  # fmt: skip


def shown(text: str, limit: int = 80) -> str:
    """User input as it may be echoed in a message: control characters escaped, and long
    text cut to `limit` (only the head is looked at, however long the input)."""
    text = str(text)
    head = escape_controls(text[: limit + 1])
    return head if len(head) <= limit and len(text) <= limit else head[: limit - 3] + "..."


class LinkcheckError(Exception):
    """Something the user gave (a name, a date, a link, a rules file) cannot be used.

    Raised as `LinkcheckError(N_("unknown {kind} '{name}'"), kind=…, name=…)`, the message
    is a catalog entry put in the current language when it is shown (str()), so the same
    error reads in Chinese on a terminal and in English in a checklist's note column."""

    exit_code = 2

    def __init__(self, message: str | Message = "", **fields) -> None:
        super().__init__(message)
        self.message = message if isinstance(message, Message) else Message(message, **fields)

    @property
    def template(self) -> str:
        return self.message.template

    @property
    def fields(self) -> dict:
        return self.message.fields

    def __str__(self) -> str:
        return str(self.message)


class UnknownNameError(LinkcheckError):
    """A platform, source or surface name that the loaded rules do not define."""


class DateError(LinkcheckError):
    """A date or time that cannot be read, is impossible, or is ambiguous."""


class LinkError(LinkcheckError):
    """A product link whose host is not a known source's link domain, or that is refused."""


TOP_LEVEL = N_("top level")  # a Problem's place outside any table


class Problem:
    """One finding about a rules file: where it is and what is wrong."""

    __slots__ = ("field", "file", "level", "said", "where")

    def __init__(self, file: str, where: str, message: str, level: str = "error",
                 field: str | None = None, fields: dict | None = None) -> None:  # fmt: skip
        self.file = file
        self.where = where  # "top level", "[sources.tmall]", "[[rule]] #3 'id'" …
        self.said = Message(message, **(fields or {}))
        self.level = level  # error | warning
        self.field = field  # the key at fault, when there is one

    @property
    def template(self) -> str:
        return self.said.template

    @property
    def fields(self) -> dict:
        return self.said.fields

    @property
    def message(self) -> str:
        """In English, as JSON and tests read it (str() is in the user's language)."""
        return self.said.english()

    def text(self) -> str:
        return str(self.said)

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "where": self.where,
            "field": self.field,
            "level": self.level,
            "message": self.message,
        }

    def __str__(self) -> str:
        from .i18n import gettext as _

        file = escape_controls(self.file)  # a path given with ESC [31m in it, say
        if self.where:
            where = _(TOP_LEVEL) if self.where == TOP_LEVEL else people_note(self.where)
            return _("{file}: {where}: {problem}").format(
                file=file, where=escape_controls(where), problem=self.text()
            )
        return _("{file}: {problem}").format(file=file, problem=self.text())

    def __repr__(self) -> str:
        return f"Problem({self.level}: {self})"


class RulesError(LinkcheckError):
    """A rules file that cannot be read or does not follow the schema."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:2])
        more = len(problems) - 2
        if more > 0:
            shown += f" (and {more} more; run `linkcheck rules lint` to see all)"
        super().__init__(shown)
