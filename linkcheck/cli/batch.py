"""`linkcheck batch`: a whole checklist (CSV, TSV, JSON Lines, .xlsx) answered row by row."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from .. import batch as core
from .. import render
from ..errors import LinkcheckError
from .options import Env, common_options, surface_option, when_option
from .output import atomic_file

PROGRESS_EVERY = 2000


def _fail_on(text: str) -> set[str]:
    words = {w.strip().lower() for w in text.split(",") if w.strip()}
    if words == {"never"}:
        return set()
    bad = words - set(core.FAIL_ON_WORDS)
    if bad or not words:
        raise click.BadParameter(
            f"'{text}': use a comma-separated list of {', '.join(core.FAIL_ON_WORDS)}, or never",
            param_hint="--fail-on",
        )
    return words


def _format_of(path: str, option: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in core.EXTENSIONS:
        return core.EXTENSIONS[suffix]
    raise core.InputError(
        f"cannot tell the format of '{path}' from its extension; "
        f"use {option} {'|'.join(core.INPUT_FORMATS)}"
    )


def _open_input(path: str):
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise core.InputError(f"input '{path}' not found") from None
    except IsADirectoryError:
        raise core.InputError(f"input '{path}' is a directory; give a checklist file") from None
    except OSError as exc:
        raise core.InputError(f"cannot read input '{path}': {exc.strerror or exc}") from None


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


@click.command(short_help="Answer every row of a checklist (CSV, TSV, JSONL, .xlsx).")
@click.argument("input_path", metavar="[FILE|-]", default="-", required=False)
@click.option(
    "-o", "--output", "out", metavar="OUT", help="Write here (atomically) instead of stdout."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(core.OUTPUT_FORMATS),
    help="Output format. Default: OUT's extension, else the input's own; table on a terminal.",
)
@click.option(
    "--input-format",
    type=click.Choice(core.INPUT_FORMATS),
    help="Force the input format (default: by extension; stdin: csv).",
)
@when_option("Date for rows without a date.")
@surface_option("Surfaces for rows without a surface (default: livestream and short-video).")
@click.option(
    "--fail-on",
    default="denied,unknown,error",
    show_default=True,
    help="Exit 1 if any result has one of these verdicts; `never` to always exit 0.",
)
@click.option("--encoding", help="Input encoding (default: detected: UTF-8, UTF-8 BOM, GB18030).")
@click.option(
    "--excel", is_flag=True, help="Write CSV/TSV with a UTF-8 BOM for spreadsheet programs."
)
@click.option("--raw-cells", is_flag=True, help="Do not neutralise cells that look like formulas.")
@common_options
def batch(input_path, fail_on, env: Env, **options):
    """Check every row of a checklist; each row is written back with its answer.

    Columns are found by header name (case-insensitive, English or Chinese):
    source (来源, 货源) and/or url (链接, 商品链接), and optionally surface (场景,
    投放位置), date (日期, 时间, on) and platform (平台). Every other column passes
    through untouched. Appended: surface, verdict, rule, next_change, note. A row
    with several surfaces (or none, with the default two) is written once per surface.
    A row that cannot be decided gets verdict `error` and the reason in `note`.

    \b
    Exit codes: 0 no result in --fail-on, 1 some result in --fail-on,
    2 the input or rules cannot be read (or no source/url column).

    \b
    Examples:
      linkcheck batch products.csv -o checked.csv --on 2022-11-11
      linkcheck batch 商品清单.xlsx -o 结果.xlsx -s 直播
      cat products.jsonl | linkcheck batch - --input-format jsonl --format jsonl
    """
    failing = _fail_on(fail_on)
    source = _open_input(input_path)
    try:
        counts = _batch(source, input_path, env=env, **options)
    finally:
        if source is not sys.stdin.buffer:
            source.close()
    click.echo(render.batch_summary(counts), err=True)
    code = 1 if any(counts.get(v) for v in failing) else 0
    raise click.exceptions.Exit(code)


def _batch(
    source, input_path, *, out, fmt, input_format, when, surfaces, encoding, excel, raw_cells, env
) -> dict[str, int]:
    """Work out formats and defaults, then run; returns the count of each verdict."""
    in_format = input_format or (
        "csv" if input_path == "-" else _format_of(input_path, "--input-format")
    )
    if out is not None and input_path != "-" and _same_file(out, input_path):
        raise core.InputError(f"output '{out}' is the input file; write the results elsewhere")
    if fmt is None:
        if out is not None:
            suffix = Path(out).suffix.lower()
            fmt = "json" if suffix == ".json" else core.EXTENSIONS.get(suffix, in_format)
        elif env.is_terminal():
            fmt = "table"
        else:
            fmt = "csv" if in_format == "xlsx" else in_format
    if fmt == "xlsx" and out is None:
        raise core.InputError("xlsx output needs a file: add -o OUT.xlsx")
    if fmt == "table" and out is not None:
        raise core.InputError(
            "table output is for the terminal; use csv, tsv, jsonl, json or xlsx with -o"
        )

    ruleset = env.ruleset()
    platform = ruleset.platform_id(env.platform)
    ruleset.parse_when(when, platform)  # a bad --on is an error now, not on every row
    default_surfaces = ruleset.surface_list(surfaces)

    shown = "stdin" if input_path == "-" else input_path
    job = Job(shown, in_format, encoding, out, fmt, excel, raw_cells, env)

    def checker(columns: core.Columns) -> core.Checker:
        return core.Checker(ruleset, columns, default_surfaces, when, platform)

    return _run(job, source, checker)


@dataclass(frozen=True)
class Job:
    """What the command line asked of one batch run."""

    shown: str  # the input as named in messages
    in_format: str
    encoding: str | None
    out: str | None
    fmt: str
    excel: bool
    raw_cells: bool
    env: Env


def _run(job: Job, source, make_checker) -> dict[str, int]:
    """Read, decide and write every row; OUT is replaced only when all went well."""
    shown, in_format, encoding, out = job.shown, job.in_format, job.encoding, job.out
    try:
        header, rows, chosen = core.read_input(source, in_format, encoding)
        columns = core.Columns.find(header)
    except LinkcheckError as exc:
        raise core.InputError(f"input '{shown}': {exc}") from None
    except UnicodeDecodeError as exc:
        raise core.InputError(_decode_message(shown, exc)) from None
    checker = make_checker(columns)

    if out is None:
        return _write(job, sys.stdout.buffer, checker, header, rows, chosen)
    with atomic_file(out) as binary:
        return _write(job, binary, checker, header, rows, chosen)


def _write(job: Job, binary, checker, header, rows, encoding) -> dict[str, int]:
    """Write every answered row to `binary` in the job's format."""
    fmt = job.fmt
    text_out = None
    if fmt == "xlsx":
        writer = core.XlsxWriter(binary, job.raw_cells)
    elif fmt == "table":
        writer = core.TableWriter(render.console(job.env.colour()))
    else:
        text_out = io.TextIOWrapper(
            binary, encoding="utf-8-sig" if job.excel else "utf-8", newline=""
        )
        if fmt in ("csv", "tsv"):
            writer = core.DelimitedWriter(text_out, "\t" if fmt == "tsv" else ",", job.raw_cells)
        else:
            writer = core.JsonLinesWriter(text_out, array=(fmt == "json"))
    try:
        counts = _stream(writer, checker, header, rows, job.shown, encoding, job.env, job.out)
        writer.close()
        return counts
    finally:
        if text_out is not None:  # flush, and leave stdout (or the file) open for its owner
            with contextlib.suppress(ValueError, BrokenPipeError):
                text_out.flush()
            with contextlib.suppress(ValueError):
                text_out.detach()


def _stream(writer, checker, header, rows, shown, encoding, env, out) -> dict[str, int]:
    show_progress = sys.stderr.isatty() and (out is not None or not env.is_terminal())
    progress = None

    def tick(done: int) -> None:  # shown once the input proves long enough to need it
        nonlocal progress
        progress = progress or render.BatchProgress(env.colour())
        progress.update(done)

    writer.header([*header, *core.APPENDED])
    try:
        return core.check_rows(
            checker,
            header,
            rows,
            writer,
            tick=tick if show_progress else None,
            every=PROGRESS_EVERY,
        )
    except UnicodeDecodeError as exc:
        raise core.InputError(_decode_message(shown, exc, encoding)) from None
    except csv.Error as exc:
        raise core.InputError(f"input '{shown}' is not readable CSV: {exc}") from None
    except core.InputError as exc:  # a workbook found malformed part way
        raise core.InputError(f"input '{shown}': {exc}") from None
    finally:
        if progress is not None:
            progress.stop()


def _decode_message(shown: str, exc: UnicodeDecodeError, encoding: str = "") -> str:
    used = encoding or exc.encoding
    return (
        f"input '{shown}' is not valid {used} text (byte 0x{exc.object[exc.start]:02x}); "
        "pass --encoding (utf-8, gb18030 …)"
    )
