"""The evidence behind the rules, checked (`rules lint`): each declared document is the file
its sha256 says, each quote is in its document's text, and each citation says who spoke.

Loading never reads documents (a cold `check` must not pay for it); lint does.
"""

from __future__ import annotations

import os
import re
import stat

from ..errors import OSReason, Problem, shown
from ..i18n import N_
from ..inputs import remember
from ..model import Catalog, Citation, Document, Rule

MAX_DOCUMENT = 32 * 1024 * 1024  # an article, a notice, a memo: text, not a data dump
_SPACE = re.compile(r"\s+")


def without_space(text: str) -> str:
    """`text` with every whitespace character removed: a quote is verbatim "whitespace
    aside" (an article's line breaks and the spaces of machine-translated punctuation)."""
    return _SPACE.sub("", text)


class DocumentUnreadable(Exception):
    """A document file that cannot be read; `template` (a catalog entry naming '{file}')
    and `fields` say why."""

    def __init__(self, template: str, **fields) -> None:
        super().__init__(template)
        self.template = template
        self.fields = fields


def read_document(path: str) -> bytes:
    """A document's bytes: a regular file of at most MAX_DOCUMENT bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise DocumentUnreadable(
            N_("document file '{file}' not found; ship it beside the rules file (the path is "
               "relative to the rules file)")
        ) from None  # fmt: skip
    except OSError as exc:
        raise DocumentUnreadable(
            N_("document file '{file}' cannot be read: {reason}"), reason=OSReason(exc)
        ) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise DocumentUnreadable(N_("document file '{file}' is not a regular file"))
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(MAX_DOCUMENT + 1)
        remember(st, path)
    except OSError as exc:
        raise DocumentUnreadable(
            N_("document file '{file}' cannot be read: {reason}"), reason=OSReason(exc)
        ) from None
    finally:
        os.close(fd)
    if len(data) > MAX_DOCUMENT:
        raise DocumentUnreadable(
            N_("document file '{file}' is larger than {size} MiB; is it a document?"),
            size=MAX_DOCUMENT >> 20,
        )
    return data


def check_evidence(catalog: Catalog) -> list[Problem]:
    """Problems with the documents the loaded files declare and the citations that name
    them: a wrong hash, a quote not in its document, a citation without `by`."""
    found: list[Problem] = []
    texts: dict[str, str | None] = {}  # document id → its text without whitespace
    for document in catalog.documents.values():
        texts[document.id] = _document_text(document, found)
    declaring = {d.rules_file for d in catalog.documents.values()}
    for rule in catalog.rules:
        cited = rule.citations()
        for number, citation in enumerate(cited, start=1):
            place = f"[[rule]] #{rule.position} '{rule.id}' citation" + (
                f" #{number}" if len(cited) > 1 else ""
            )
            if citation.document is None:
                if rule.file in declaring and not citation.by:
                    found.append(_no_by(rule, place))
                continue
            if not citation.by:
                found.append(_no_by(rule, place))
            text = texts.get(citation.document)
            if text is not None and without_space(citation.quote) not in text:
                found.append(_not_quoted(rule, place, citation, catalog.documents))
    return found


def _document_text(document: Document, found: list[Problem]) -> str | None:
    """The document's text without whitespace, or None (a problem recorded) when it cannot
    be read; a hash that differs is recorded too, and the quotes are still checked."""
    import hashlib

    where = f"[documents.{document.id}]"
    if document.path is None:
        found.append(
            Problem(
                document.rules_file, where,
                N_("cannot check '{file}': these rules were not read from a folder, so the "
                   "document cannot be found; lint the rules file by its path"),
                "error", "file", {"file": document.file},
            )
        )  # fmt: skip
        return None
    try:
        data = read_document(document.path)
    except DocumentUnreadable as exc:
        fields = {"file": document.file, **exc.fields}
        found.append(Problem(document.rules_file, where, exc.template, "error", "file", fields))
        return None
    actual = hashlib.sha256(data).hexdigest()
    if actual != document.sha256:
        found.append(
            Problem(
                document.rules_file, where,
                N_("document file '{file}' has sha256 {actual}, not the {declared} declared: "
                   "the document changed since the rules were written, or the hash is wrong"),
                "error", "sha256",
                {"file": document.file, "actual": actual, "declared": document.sha256},
            )
        )  # fmt: skip
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        found.append(
            Problem(
                document.rules_file, where,
                N_("document file '{file}' is not UTF-8 text (bad byte at offset {offset}); "
                   "quotes cannot be checked against it"),
                "error", "file", {"file": document.file, "offset": exc.start},
            )
        )  # fmt: skip
        return None
    return without_space(text)


def _no_by(rule: Rule, place: str) -> Problem:
    return Problem(
        rule.file, place,
        N_("the citation does not say who said it: add by = \"…\" (the platform, another "
           "party, or the document's author)"),
        "error", "citation.by",
    )  # fmt: skip


def _not_quoted(rule: Rule, place: str, citation: Citation, documents) -> Problem:
    document = documents[citation.document]
    return Problem(
        rule.file, place,
        N_("quote not found in document '{document}' ({file}), whitespace aside: “{quote}”; "
           "quote the document's words exactly"),
        "error", "citation.quote",
        {"document": document.id, "file": document.file, "quote": shown(citation.quote, 60)},
    )  # fmt: skip
