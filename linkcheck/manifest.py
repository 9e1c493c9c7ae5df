"""The audit trail of a checked checklist. `batch --manifest FILE.json` records what a review
needs to reproduce the run years later (linkcheck's version, the rules files by sha256, the
instant read as now, the input and output by sha256, the options, the counts, the times);
`batch --verify-manifest FILE.json` runs it again with the rules files it names and says
whether the output is the same, byte for byte, or where it first differs.

A recorded run reads one pinned instant as now (the default date, relative and yearless date
cells, a workbook's stamp), so the same input and rules give the same bytes again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

from . import __version__
from .errors import LinkcheckError, Message, OSReason
from .i18n import N_
from .rules.schema import file_name
from .words import Listed

FORMAT = 1  # the manifest's own shape; bumped when a field changes meaning
MAX_MANIFEST = 16 * 1024 * 1024
_CHUNK = 1 << 20


class ManifestError(LinkcheckError):
    """A manifest that cannot be read, or a file it names that is not there: exit 2."""


# ---------------------------------------------------------------------- hashing


def file_digest(path: str) -> tuple[str, int]:
    """(sha256 hex, size in bytes) of a file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class _Counted(io.RawIOBase):
    """A stream's bytes counted and hashed as they pass (stdin read, stdout written)."""

    def __init__(self, stream: BinaryIO, *, reading: bool) -> None:
        self._stream = stream
        self._reading = reading
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return self._reading

    def writable(self) -> bool:
        return not self._reading

    def readinto(self, buffer) -> int:
        data = self._stream.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.digest.update(data)
        self.size += n
        return n

    def write(self, data) -> int:
        self._stream.write(data)
        self.digest.update(data)
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        if not self._reading:
            self._stream.flush()

    def close(self) -> None:  # the stream is its owner's (stdin, stdout): never closed here
        if not self.closed:
            with contextlib.suppress(ValueError):
                self.flush()
        super().close()


# ---------------------------------------------------------------------- recording


def _utc(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _relative(path: str, manifest: str) -> str:
    """`path` as seen from the manifest's folder (what verify looks for first)."""
    folder = os.path.dirname(os.path.abspath(manifest))
    return os.path.relpath(os.path.abspath(path), folder)


class Recorder:
    """One recorded `batch` run: pins now, counts stdin and stdout as they pass, and writes
    the manifest once the output is complete."""

    def __init__(self, manifest: str, source, sink, *, now: datetime | None = None) -> None:
        from .when import clock

        folder = os.path.dirname(os.path.abspath(manifest))
        if os.path.isdir(manifest) or not os.path.isdir(folder):
            raise ManifestError(
                N_("cannot write the manifest '{path}': give a file name in a folder that "
                   "exists"),
                path=manifest,
            )  # fmt: skip
        self.path = manifest
        self.started = now or clock()
        self._source = source
        self._sink = sink
        self._stdin: _Counted | None = None
        self._stdout: _Counted | None = None
        for other in (source, sink):
            if isinstance(other, str) and _same_file(other, manifest):
                raise ManifestError(
                    N_("the manifest '{path}' would overwrite the checklist's input or output; "
                       "give it a name of its own"),
                    path=manifest,
                )  # fmt: skip
            # a pipe or a device given by name cannot be read again to take its sha256
            if isinstance(other, str) and os.path.exists(other) and not os.path.isfile(other):
                raise ManifestError(
                    N_("--manifest records files by their sha256, and '{path}' is not a regular "
                       "file; use a file, or - for stdin and stdout"),
                    path=other,
                )  # fmt: skip

    @property
    def now(self) -> datetime:
        return self.started

    def source(self) -> BinaryIO | str:
        """The source to run: a path as it is, a stream counted as it is read."""
        if isinstance(self._source, str):
            return self._source
        self._stdin = _Counted(self._source, reading=True)
        return io.BufferedReader(self._stdin, _CHUNK)

    def sink(self):
        """The sink to run into: a path as it is, stdout counted as it is written."""
        if isinstance(self._sink, str):
            return self._sink
        self._stdout = _Counted(self._sink, reading=False)
        return io.BufferedWriter(self._stdout, _CHUNK)

    def finish(self, sink, *, summary, options, rules, arguments: Sequence[str], language: str,
               finished: datetime | None = None) -> dict:  # fmt: skip
        """Write the manifest of the finished run; returns what was written."""
        from .outputs import atomic_file
        from .when import clock

        if not isinstance(sink, str):
            sink.flush()
        finished = finished or clock()
        doc = {
            "manifest": FORMAT,
            "linkcheck": __version__,
            "started": _utc(self.started),
            "finished": _utc(finished),
            "arguments": list(arguments),
            "language": language,
            "rule_files": rules.catalog.describe_files(),
            "defaults": _defaults(summary),
            "input": self._input(summary),
            "output": self._output(summary),
            "options": _options_dict(options),
            "engine": summary.engine,
            "counts": dict(summary.counts),
            "results": summary.results,
        }
        text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        with atomic_file(self.path) as f:
            f.write(text.encode("utf-8"))
        return doc

    def _described(self, counted: _Counted | None, name) -> dict:
        """A stream counted as it passed (stdin, stdout), or the file `name`, by sha256."""
        if counted is not None:
            return {"name": "-", "path": None, "sha256": counted.digest.hexdigest(),
                    "bytes": counted.size}  # fmt: skip
        sha256, size = file_digest(name)
        return {"name": name, "path": _relative(name, self.path), "sha256": sha256,
                "bytes": size}  # fmt: skip

    def _input(self, summary) -> dict:
        described = self._described(self._stdin, self._source)
        columns = summary.columns
        mapping = {}
        for meaning in ("source", "url", "surface", "date", "platform"):
            at = getattr(columns, meaning)
            mapping[meaning] = None if at is None else {
                "column": at + 1,
                "header": columns.header[at] if at < len(columns.header) else "",
                "named": meaning in columns.named,
            }  # fmt: skip
        return described | {
            "encoding": summary.encoding,
            "format": str(summary.input_format),
            "columns": mapping,
        }

    def _output(self, summary) -> dict:
        return self._described(self._stdout, self._sink) | {"format": str(summary.output_format)}


def _defaults(summary) -> dict:
    fills = summary.fills
    return {
        "date": fills["date"].value.isoformat(),  # the instant rows without a date were read at
        "date_given": fills["date"].given,
        "surfaces": list(fills["surface"].value),
        "platform": fills["platform"].value,
    }


def _options_dict(options) -> dict:
    out = {}
    for field in dataclasses.fields(options):
        value = getattr(options, field.name)
        if field.name == "now":
            continue  # the manifest's `started`
        if isinstance(value, tuple):
            value = list(value)
        elif field.name == "columns":
            value = dict(value)
        out[field.name] = value
    return out


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


# ---------------------------------------------------------------------- verifying


@dataclass
class Verification:
    """The outcome of a re-run: `code` 0 reproduced, 1 not; `lines` say what was found."""

    code: int
    lines: list[Message]


def read_manifest(path: str) -> dict:
    """A manifest's content; ManifestError when it is not one linkcheck wrote."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_MANIFEST + 1)
    except FileNotFoundError:
        raise ManifestError(N_("manifest '{path}' not found"), path=path) from None
    except OSError as exc:
        raise ManifestError(
            N_("cannot read manifest '{path}': {reason}"), path=path, reason=OSReason(exc)
        ) from None
    try:
        doc = json.loads(data.decode("utf-8")) if len(data) <= MAX_MANIFEST else None
    except (UnicodeDecodeError, ValueError, RecursionError):
        doc = None
    if not isinstance(doc, dict) or doc.get("manifest") != FORMAT or not _complete(doc):
        raise ManifestError(
            N_("'{path}' is not a manifest written by `linkcheck batch --manifest` "
               "(format {format})"),
            path=path,
            format=FORMAT,
        )  # fmt: skip
    return doc


def _complete(doc: dict) -> bool:
    shapes = {"rule_files": list, "input": dict, "output": dict, "options": dict,
              "started": str, "language": str}  # fmt: skip
    if not all(isinstance(doc.get(k), t) for k, t in shapes.items()):
        return False
    files = doc["rule_files"]
    return all(isinstance(f, dict) and isinstance(f.get("sha256"), str) for f in files) and all(
        isinstance(doc[side].get("sha256"), str) for side in ("input", "output")
    )


def verify(manifest: str, loaded, *, source: str | None = None, output: str | None = None,
           progress=None) -> Verification:  # fmt: skip
    """Run the checklist of `manifest` again with the rules files it names, found by sha256
    among `loaded` (a Catalog: the files the command line loaded), and compare the output.

    `source` and `output` name the input and the recorded output when they are not where
    the manifest says (beside it, or as it was named). Raises ManifestError when the
    manifest, the input or a needed file cannot be read."""
    doc = read_manifest(manifest)
    rules, missing = _rules(doc, loaded)
    if missing:
        return Verification(1, missing)
    source = source or _located(doc["input"], manifest, "input")
    sha256, _size = _digest_or_fail(source, "input")
    if sha256 != doc["input"]["sha256"]:
        return Verification(1, [Message(
            N_("input '{path}' is not the checklist the manifest names: its sha256 is {actual}, "
               "the manifest's {expected}"),
            path=source, actual=sha256, expected=doc["input"]["sha256"],
        )])  # fmt: skip
    rerun = _rerun(doc, rules, source, progress, manifest)
    try:
        return _compare(doc, manifest, rerun, output, source)
    finally:
        rerun.close()


def _rules(doc: dict, loaded):
    """The RuleSet of the manifest's rules files, in its order, from the loaded files with
    the same sha256; else the lines that say which are missing."""
    from .engine import RuleSet
    from .rules import Loader

    by_hash = {f.sha256: f for f in loaded.rule_files}
    loader = Loader()
    missing = []
    for entry in doc["rule_files"]:
        found = by_hash.get(entry["sha256"])
        if found is None:
            version = entry.get("version")
            template = (
                N_("rules file '{file}' (version {version}, sha256 {sha256}) is not among the "
                   "loaded rules files ({loaded}); pass it with --rules")
                if version else
                N_("rules file '{file}' (no version stated, sha256 {sha256}) is not among the "
                   "loaded rules files ({loaded}); pass it with --rules")
            )  # fmt: skip
            missing.append(Message(
                template, file=entry.get("file"), version=version, sha256=entry["sha256"],
                loaded=", ".join(f.name for f in loaded.rule_files) or "-",
            ))  # fmt: skip
            continue
        loader.add_text(found.data, found.name, found.folder)
    if missing:
        return None, missing
    errors = [p for p in loader.problems if p.level == "error"]
    if errors:
        from .errors import RulesError

        raise RulesError(errors)
    return RuleSet(loader.catalog), []


def _located(side: dict, manifest: str, what: str) -> str:
    """Where the manifest's input or output is: beside the manifest as recorded, else the
    name it was given (from the current folder)."""
    path = side.get("path")
    if isinstance(path, str):
        beside = os.path.join(os.path.dirname(os.path.abspath(manifest)), path)
        if os.path.exists(beside):
            return _readable(beside)
    name = side.get("name")
    if not isinstance(name, str) or name == "-":
        if what == "input":
            raise ManifestError(
                N_("the manifest's input came from stdin: give the checklist as FILE "
                   "(its sha256 is {sha256})"),
                sha256=side["sha256"],
            )  # fmt: skip
        return ""
    return name


def _readable(path: str) -> str:
    """A path as short as it can be shown: relative to the current folder when inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def _digest_or_fail(path: str, what: str) -> tuple[str, int]:
    try:
        return file_digest(path)
    except FileNotFoundError:
        raise ManifestError(N_("{what} '{path}' not found"), what=Message(what),
                            path=path) from None  # fmt: skip
    except OSError as exc:
        raise ManifestError(N_("cannot read {what} '{path}': {reason}"), what=Message(what),
                            path=path, reason=OSReason(exc)) from None  # fmt: skip


# the words a message above names a file with (translated where the message is shown)
WHAT = (N_("input"), N_("output"))


# the JSON types each recorded option may have (None: null)
OPTION_TYPES: dict[str, tuple] = {
    "input_format": (str, None), "output_format": (str, None), "when": (str,),
    "surfaces": (tuple,), "platform": (str, None), "columns": (dict,), "encoding": (str, None),
    "bom": (bool, None), "raw_cells": (bool,), "engine": (str,), "date_format": (str, None),
    "year": (int, None), "header_row": (int, None), "sheet": (str, None),
}  # fmt: skip


def _recorded_as(key: str, value) -> bool:
    """Whether a recorded option has a type the option takes (a bool is no year)."""
    kinds = OPTION_TYPES.get(key, ())
    if value is None:
        return None in kinds
    if isinstance(value, bool) and bool not in kinds:
        return False
    if not any(k is not None and isinstance(value, k) for k in kinds):
        return False
    if key == "surfaces":
        return all(isinstance(s, str) for s in value)
    if key == "columns":
        return all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    return True


def _edited(path: str, reason: str) -> ManifestError:
    return ManifestError(
        N_("manifest '{path}' records options no run of linkcheck could have had ({reason}); "
           "it was edited or broken"),
        path=path, reason=reason,
    )  # fmt: skip


def _rerun(doc: dict, rules, source: str, progress, path: str) -> BinaryIO:
    """The output of the run again, in a temporary file (rewound)."""
    import tempfile

    from .batch import ChecklistOptions, run_checklist
    from .i18n import speaking

    recorded = doc["options"]
    fields = {f.name for f in dataclasses.fields(ChecklistOptions)} - {"now"}
    given = {k: v for k, v in recorded.items() if k in fields}
    for key in ("surfaces",):
        if isinstance(given.get(key), list):
            given[key] = tuple(given[key])
    # the formats read and written then, whatever the names of the files now
    given["input_format"] = doc["input"].get("format") or given.get("input_format")
    given["output_format"] = doc["output"].get("format") or given.get("output_format")
    # a manifest edited by hand (or broken) is refused in words, never run into a traceback
    wrong = next((k for k, v in given.items() if not _recorded_as(k, v)), None)
    if wrong is not None:
        raise _edited(path, f"{wrong}: {json.dumps(given[wrong], ensure_ascii=False)[:60]}")
    try:
        started = datetime.fromisoformat(doc["started"].replace("Z", "+00:00"))
        options = ChecklistOptions(**given, now=started)
    except (ValueError, TypeError) as exc:
        raise _edited(path, str(exc)) from None
    out = tempfile.TemporaryFile(prefix="linkcheck-verify-")  # noqa: SIM115 (returned open)
    try:
        with speaking(doc["language"]):
            run_checklist(source, out, options=options, rules=rules, progress=progress)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def _compare(doc: dict, manifest: str, rerun: BinaryIO, output: str | None,
             source: str) -> Verification:  # fmt: skip
    expected = doc["output"]["sha256"]
    digest = hashlib.sha256()
    while chunk := rerun.read(_CHUNK):
        digest.update(chunk)
    got = digest.hexdigest()
    rerun.seek(0)
    kept = output or _located(doc["output"], manifest, "output")
    kept_sha = file_digest(kept)[0] if kept and os.path.isfile(kept) else None
    fmt = doc["output"].get("format", "csv")
    if got == expected:
        if kept_sha is None:
            return Verification(0, [Message(
                N_("reproduced: the re-run writes the output the manifest records (sha256 "
                   "{sha256}); the output file itself was not found to compare"),
                sha256=got,
            )])  # fmt: skip
        if kept_sha == expected:
            return Verification(0, [Message(
                N_("reproduced: '{output}' is what linkcheck writes from '{input}' with the "
                   "rules files the manifest names ({files}); sha256 {sha256}"),
                output=kept, input=source,
                files=Listed(file_name(str(f.get("file"))) for f in doc["rule_files"])
                if doc["rule_files"] else "-",  # the bundled file: 内置 in Chinese
                sha256=got,
            )])  # fmt: skip
        return Verification(1, [Message(
            N_("output '{output}' is not the output the manifest records (sha256 {actual}, the "
               "manifest's {expected}), which the re-run reproduces; {difference}"),
            output=kept, actual=kept_sha, expected=expected,
            difference=first_difference(kept, rerun, fmt),
        )])  # fmt: skip
    if kept_sha == expected:
        return Verification(1, [Message(
            N_("not reproduced: the re-run's output differs from '{output}' (sha256 {actual}, "
               "the manifest's {expected}); {difference}"),
            output=kept, actual=got, expected=expected,
            difference=first_difference(kept, rerun, fmt),
        )])  # fmt: skip
    return Verification(1, [Message(
        N_("not reproduced: the re-run's output has sha256 {actual}, the manifest's {expected}; "
           "keep the recorded output beside the manifest (or name it with -o) to see the first "
           "differing row"),
        actual=got, expected=expected,
    )])  # fmt: skip


# ---------------------------------------------------------------------- where outputs differ


def first_difference(recorded_path: str, rerun: BinaryIO, fmt: str) -> Message:
    """Where two outputs of one format first differ: the output row (the header is row 0)
    and line, with the recorded row and the re-run's."""
    with open(recorded_path, "rb") as f:
        recorded = f.read()
    again = rerun.read()
    rerun.seek(0)
    if fmt == "xlsx":
        found = _workbook_difference(recorded, again)
    elif fmt in ("csv", "tsv"):
        found = _delimited_difference(recorded, again, "," if fmt == "csv" else "\t")
    else:
        found = _line_difference(recorded, again)
    if found is None:
        offset = next(
            (i for i, (a, b) in enumerate(zip(recorded, again, strict=False)) if a != b),
            min(len(recorded), len(again)),
        )
        return Message(
            N_("every row reads the same, the bytes differ from byte {offset} (a BOM, line "
               "endings or quoting)"),
            offset=offset,
        )  # fmt: skip
    row, line, was, now, header = found
    if isinstance(was, list) and isinstance(now, list) and len(was) == len(now):
        at = next(i for i, (a, b) in enumerate(zip(was, now, strict=True)) if a != b)
        name = header[at] if header and at < len(header) else str(at + 1)
        return Message(
            N_("first differing row: {row} (line {line}), column '{column}': {recorded} in the "
               "recorded output, {rerun} in the re-run"),
            row=row, line=line, column=name, recorded=_shown_row(was[at]),
            rerun=_shown_row(now[at]),
        )  # fmt: skip
    return Message(
        N_("first differing row: {row} (line {line}): {recorded} in the recorded output, "
           "{rerun} in the re-run"),
        row=row, line=line, recorded=_shown_row(was), rerun=_shown_row(now),
    )  # fmt: skip


def _shown_row(row) -> str:
    from .errors import shown

    if row is None:
        from .i18n import gettext

        return gettext(N_("(no row)"))
    if isinstance(row, str):
        return "'" + shown(row, 120) + "'"
    return shown(json.dumps(row, ensure_ascii=False), 120)


def _text(data: bytes) -> str:
    return data.decode("utf-8-sig", errors="replace")


def _delimited_difference(a: bytes, b: bytes, delimiter: str):
    import csv

    left = csv.reader(io.StringIO(_text(a), newline=""), delimiter=delimiter)
    right = csv.reader(io.StringIO(_text(b), newline=""), delimiter=delimiter)
    row, header = 0, None
    while True:
        was = next(left, None)
        now = next(right, None)
        if was is None and now is None:
            return None
        if was != now:
            line = left.line_num if was is not None else right.line_num
            return row, line, was, now, header
        header = header if header is not None else was
        row += 1


def _line_difference(a: bytes, b: bytes):
    left, right = _text(a).splitlines(), _text(b).splitlines()
    for i in range(max(len(left), len(right))):
        was = left[i] if i < len(left) else None
        now = right[i] if i < len(right) else None
        if was != now:
            return i + 1, i + 1, was, now, None  # JSON Lines: no header, a row a line
    return None


def _workbook_difference(a: bytes, b: bytes):
    from openpyxl import load_workbook

    def rows(data: bytes) -> Iterator[tuple]:
        book = load_workbook(io.BytesIO(data), read_only=True)
        yield from book.worksheets[0].iter_rows(values_only=True)

    def cells(r):
        return None if r is None else [("" if c is None else str(c)) for c in r]

    left, right = rows(a), rows(b)
    row, header = 0, None
    while True:
        was = next(left, None)
        now = next(right, None)
        if was is None and now is None:
            return None
        if was != now:
            return row, row + 1, cells(was), cells(now), header
        header = header if header is not None else cells(was)
        row += 1
