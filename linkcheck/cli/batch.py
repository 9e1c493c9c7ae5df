"""`linkcheck batch`: a whole checklist (CSV, TSV, JSON Lines, .xlsx) answered row by row."""

from __future__ import annotations

import contextlib
import csv
import functools
import os
import sys
from pathlib import Path

import click

from .. import batch as core
from .. import render
from ..errors import LinkcheckError
from ..i18n import N_
from ..i18n import gettext as _
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
            _("'{text}': use a comma-separated list of {words}, or never").format(
                text=text, words=", ".join(core.FAIL_ON_WORDS)
            ),
            param_hint="--fail-on",
        )
    return words


def _format_of(path: str, option: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in core.EXTENSIONS:
        return core.EXTENSIONS[suffix]
    if suffix in core.OTHER_SPREADSHEETS:
        raise core.InputError(
            N_(
                "input '{path}' is {kind}, which linkcheck "
                "does not read;\n  save it as .xlsx or CSV (File → Save As in Excel "
                "or WPS)"
            ),
            path=path,
            kind=core.OTHER_SPREADSHEETS[suffix],
        )
    why = _("'{suffix}' is not one it knows").format(suffix=suffix) if suffix else _("it has none")
    raise core.InputError(
        N_("cannot tell the format of '{path}' from its extension ({why}); use {option} {formats}"),
        path=path,
        why=why,
        option=option,
        formats="|".join(core.INPUT_FORMATS),
    )


@contextlib.contextmanager
def _opened(path: str):
    """The input as a binary stream (stdin for `-`, left open), closed after the run."""
    if path == "-":
        yield sys.stdin.buffer
        return
    try:
        source = open(path, "rb")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        raise core.InputError(N_("input '{path}' not found"), path=path) from None
    except IsADirectoryError:
        raise core.InputError(
            N_("input '{path}' is a directory; give a checklist file"), path=path
        ) from None
    except OSError as exc:
        raise core.InputError(
            N_("cannot read input '{path}': {reason}"), path=path, reason=exc.strerror or exc
        ) from None
    with source:
        yield source


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def column_options(command):
    """--source-column, --url-column, … : each meaning's column named by header or position,
    passed to the command as `chosen` {meaning: text}."""
    for meaning in reversed(core.MEANINGS):
        command = click.option(
            f"--{meaning}-column",
            f"{meaning}_column",
            metavar="COL",
            help=f"The {meaning} column: its header or 1-based position.",
        )(command)

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        chosen = {m: kwargs.pop(f"{m}_column") for m in core.MEANINGS}
        return command(*args, chosen={m: t for m, t in chosen.items() if t}, **kwargs)

    return wrapper


@click.command(short_help="Answer every row of a checklist (CSV, TSV, JSONL, .xlsx).")
@click.argument(
    "input_path", metavar="[FILE|-]", default="-", required=False, type=click.Path(allow_dash=True)
)
@click.option(
    "-o",
    "--output",
    "out",
    metavar="OUT",
    type=click.Path(),
    help="Write here (atomically) instead of stdout.",
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
    "--bom/--no-bom",
    default=None,
    help="Start CSV/TSV output with a UTF-8 BOM, as spreadsheet programs need for Chinese. "
    "Default: a BOM when the input was GB18030/GBK, had a BOM, or was a workbook.",
)
@click.option("--excel", is_flag=True, hidden=True, help="Same as --bom.")
@click.option("--raw-cells", is_flag=True, help="Do not neutralise cells that look like formulas.")
@click.option(
    "--engine",
    type=click.Choice(["python", "duckdb", "auto"]),
    default="python",
    show_default=True,
    help="duckdb: DuckDB reads, joins and writes a UTF-8 CSV/TSV file (the duckdb extra), "
    "the same bytes; auto: duckdb for files over 8 MiB when it is installed.",
)
@column_options
@common_options
def batch(
    input_path, out, fmt, input_format, when, surfaces, fail_on, encoding, bom, excel,
    raw_cells, engine, chosen: dict[str, str], env: Env,
):  # fmt: skip
    """Check every row of a checklist; each row is written back with its answer.

    Columns are found by header name, in English or Chinese (the README lists
    every name), or named with --source-column, --date-column … (a header or a
    1-based position):

    \b
      source    来源, 货源, source
      url       链接, 商品链接, 链接地址, url
      surface   场景, 投放位置, surface (optional)
      date      日期, 直播时间, 开播时间, date (optional)
      platform  平台, platform (optional)

    stderr says which column was read as what, and what filled a missing one.
    Every other column passes through untouched. Appended: surface, verdict,
    rule, next_change, note. A row with several surfaces (or none, with the
    default two) is written once per surface. A row that cannot be decided gets
    verdict `error` and the reason in `note`; a fully empty row is skipped.

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
    shown = "stdin" if input_path == "-" else input_path
    with _opened(input_path) as source:
        in_format = input_format or (
            "csv" if input_path == "-" else _format_of(input_path, "--input-format")
        )
        fmt = _output_format(fmt, out, in_format, input_path, env)
        ruleset = env.ruleset()
        platform = ruleset.platform_id(env.platform)
        at = ruleset.parse_when(when, platform)  # a bad --on is an error now, not on every row
        default_surfaces = ruleset.surface_list(surfaces)
        try:
            header, rows, encoding = core.read_input(source, in_format, encoding)
            columns = core.Columns.find(header, chosen)
        except LinkcheckError as exc:
            raise core.InputError(N_("input '{text}': {reason}"), text=shown, reason=exc) from None
        except UnicodeDecodeError as exc:
            raise core.InputError(_decode_message(shown, exc)) from None
        fills = {
            "date": (at, "now" if when.strip().lower() == "now" else "--on"),
            "surface": (default_surfaces, "-s" if surfaces else "the default"),
            "platform": (platform, _platform_origin(env)),
        }
        checker = core.Checker(ruleset, columns, default_surfaces, when, platform)
        # OUT is replaced only when every row was written
        with atomic_file(out) if out else contextlib.nullcontext(sys.stdout.buffer) as binary:
            console = render.console(env.colour()) if fmt == "table" else None
            if bom is None:
                bom = excel or core.wants_bom(encoding)
            options = {"raw_cells": raw_cells, "bom": bom, "console": console,
                       "formulas": core.formula_scan(rows)}  # fmt: skip
            progress = _progress(out, env)
            try:
                with core.open_writer(fmt, binary, **options) as writer:
                    writer.header([*header, *core.APPENDED])
                    counts = _columnar(engine, input_path, in_format, fmt, encoding, header,
                                       checker, writer, binary, raw_cells)  # fmt: skip
                    if counts is None:
                        counts = core.check_rows(
                            checker, header, rows, writer, tick=progress.tick,
                            every=PROGRESS_EVERY,
                        )  # fmt: skip
                    writer.close()
            except UnicodeDecodeError as exc:
                raise core.InputError(_decode_message(shown, exc, encoding)) from None
            except csv.Error as exc:
                raise core.InputError(
                    N_("input '{text}' is not readable CSV: {reason}"), text=shown, reason=exc
                ) from None
            except core.InputError as exc:  # a workbook found malformed part way
                raise core.InputError(
                    N_("input '{text}': {reason}"), text=shown, reason=exc
                ) from None
            finally:
                progress.stop()
    for line in render.batch_reading(columns, fills):  # what was read as what, then counts
        click.echo(render.fitted(line, indent=2), err=True)
    click.echo(render.batch_summary(counts), err=True)
    raise click.exceptions.Exit(1 if any(counts.get(v) for v in failing) else 0)


COLUMNAR_AUTO = 8 << 20  # bytes of input from which --engine auto takes DuckDB


def _columnar(engine, input_path, in_format, fmt, encoding, header, checker, writer, binary,
              raw_cells):  # fmt: skip
    """The DuckDB engine's counts, or None when the Python path is to check the file (the
    engine was not asked for, or cannot do this input: said in one line on stderr)."""
    from ..batch import columnar

    if engine == "python":
        return None
    why = None
    if input_path == "-":
        why = _("stdin is read by the Python engine")
    elif in_format not in ("csv", "tsv") or fmt not in ("csv", "tsv"):
        why = _("it reads and writes CSV and TSV only")
    elif encoding != "utf-8":
        why = _("the input is not plain UTF-8 ({encoding})").format(encoding=encoding)
    elif not columnar.available():
        why = _("DuckDB is not installed (pip install duckdb)")
    if engine == "auto":
        if why is not None or os.path.getsize(input_path) < COLUMNAR_AUTO:
            return None
    elif why is not None:
        click.echo(_("engine duckdb: {why}; checked by the Python engine").format(why=why),
                   err=True)  # fmt: skip
        return None
    writer.flush()  # the header, before DuckDB's rows
    delimiter = "\t" if in_format == "tsv" else ","
    try:
        return columnar.check_file(input_path, delimiter, header, checker, binary,
                                   "\t" if fmt == "tsv" else ",", raw_cells)  # fmt: skip
    except columnar.Unsupported as exc:
        click.echo(_("engine duckdb: {why}; checked by the Python engine").format(why=exc),
                   err=True)  # fmt: skip
        return None


def _platform_origin(env: Env) -> str:
    return "--platform" if env.platform else "the rules' default"


def _output_format(fmt, out, in_format: str, input_path: str, env: Env) -> str:
    """--format, else OUT's extension, else a table on a terminal, else the input's own."""
    if out is not None and input_path != "-" and _same_file(out, input_path):
        raise core.InputError(
            N_("output '{out}' is the input file; write the results elsewhere"), out=out
        )
    suffix = Path(out).suffix.lower() if out is not None else ""
    if suffix in core.OTHER_SPREADSHEETS or suffix == ".xlsm":
        raise core.InputError(
            N_("cannot write '{out}': linkcheck writes .xlsx workbooks, not {kind}; name it .xlsx"),
            out=out,
            kind=core.OTHER_SPREADSHEETS.get(suffix) or _("macro-enabled ones (.xlsm)"),
        )
    named = core.OUTPUT_EXTENSIONS.get(suffix)
    if fmt is not None and named is not None and named != fmt:
        raise core.InputError(
            N_(
                "--format {fmt} does not match the extension of '{out}' ({named}); "
                "name it {suffix} or leave out --format"
            ),
            fmt=fmt,
            out=out,
            named=named,
            suffix=fmt_suffix(fmt),
        )
    if fmt is None:
        if out is not None:
            fmt = named or in_format
        elif env.is_terminal():
            fmt = "table"
        else:
            fmt = "csv" if in_format == "xlsx" else in_format
    if fmt == "xlsx" and out is None:
        raise core.InputError(N_("xlsx output needs a file: add -o OUT.xlsx"))
    if fmt == "table" and out is not None:
        raise core.InputError(
            N_("table output is for the terminal; use csv, tsv, jsonl, json or xlsx with -o")
        )
    return fmt


def fmt_suffix(fmt: str) -> str:
    return next(k for k, v in core.OUTPUT_EXTENSIONS.items() if v == fmt) if fmt != "table" else ""


class _progress:
    """Rows done on a terminal's stderr, shown once the input proves long enough to need
    it (never when the rows themselves go to that terminal)."""

    def __init__(self, out, env: Env) -> None:
        wanted = sys.stderr.isatty() and (out is not None or not env.is_terminal())
        self._colour = env.colour()
        self._shown = None
        self.tick = self._tick if wanted else None

    def _tick(self, done: int) -> None:
        self._shown = self._shown or render.BatchProgress(self._colour)
        self._shown.update(done)

    def stop(self) -> None:
        if self._shown is not None:
            self._shown.stop()


def _decode_message(shown: str, exc: UnicodeDecodeError, encoding: str = "") -> str:
    used = encoding or exc.encoding
    return _(
        "input '{path}' is not valid {encoding} text (byte 0x{byte:02x}); "
        "pass --encoding (utf-8, gb18030 …)"
    ).format(path=shown, encoding=used, byte=exc.object[exc.start])
