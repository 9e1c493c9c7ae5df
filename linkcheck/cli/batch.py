"""`linkcheck batch`: a whole checklist (CSV, TSV, JSON Lines, .xlsx) answered row by row."""

from __future__ import annotations

import functools
import re
import sys

import click

from .. import batch as core
from .. import render
from ..errors import shown
from ..i18n import N_, language, speaking
from ..i18n import gettext as _
from ..outputs import stdout_bytes, streamed
from .options import (
    Env,
    Whole,
    common_options,
    read_date,
    surface_option,
    when_option,
    year_option,
)


def _fail_on(text: str) -> set[str]:
    # a Chinese keyboard's comma and enumeration comma too, as -s takes them
    words = {w.strip().lower() for w in re.split(r"[,，、]", text) if w.strip()}
    # the verdicts as the Chinese output labels them (不可挂链, 未知, 出错), whatever the language
    with speaking("zh"):
        labels = {_(word): word for word in core.FAIL_ON_WORDS}
    words = {labels.get(word, word) for word in words}
    if words == {"never"}:
        return set()
    bad = words - set(core.FAIL_ON_WORDS)
    if bad or not words:
        zh = language() == "zh"  # the labels it takes too, where they are the output's
        listed = ", ".join(f"{w} ({_(w)})" if zh else w for w in core.FAIL_ON_WORDS)
        raise click.BadParameter(
            _("'{text}': use a comma-separated list of {words}, or never").format(
                text=shown(text), words=listed
            ),
            param_hint="--fail-on",
        )
    return words


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
@click.argument("input_path", metavar="[FILE|-]", required=False, type=click.Path(allow_dash=True))
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
    type=click.Choice([f.value for f in core.OUTPUT_FORMATS]),
    help="Output format. Default: OUT's extension, else the input's own; table on a terminal.",
)
@click.option(
    "--input-format",
    type=click.Choice([f.value for f in core.INPUT_FORMATS]),
    help="Force the input format (default: by extension; stdin: csv).",
)
@when_option("Date for rows without a date.")
@click.option(
    "--date-format",
    metavar="STYLE",
    help="How the date column is written when its dates could be read two ways: "
    "dayfirst (11/10/2022 is 11 October), monthfirst (10 November), or a strptime format "
    "such as '%d/%m/%Y %H:%M'.",
)
@year_option
@surface_option("Surfaces for rows without a surface (default: livestream and short-video).")
@click.option(
    "--fail-on",
    metavar="VERDICTS",
    default="denied,unknown,error",
    show_default=True,
    help="Exit 1 if any result has one of these verdicts; `never` to always exit 0.",
)
@click.option(
    "--encoding",
    metavar="CODEC",
    help="Input encoding (default: detected: UTF-8, UTF-8 BOM, GB18030).",
)
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
    "the same bytes; auto: duckdb for such files of 64 MiB or more without a link column, "
    "when it is installed (says which on stderr).",
)
@click.option(
    "--manifest",
    "manifest_path",
    metavar="FILE.json",
    type=click.Path(dir_okay=False),
    help="Also write the run's audit record here: linkcheck's version, the rules files, the "
    "input and output by sha256, the options and the counts (docs/rules.md).",
)
@click.option(
    "--verify-manifest",
    metavar="FILE.json",
    type=click.Path(dir_okay=False),
    help="Run the checklist a manifest records again with the rules files it names (found by "
    "sha256 among those loaded: add --rules) and compare the output byte for byte: exit 0 "
    "reproduced, 1 not (naming the first differing row).",
)
@click.option(
    "--header-row",
    type=Whole(1),
    metavar="N",
    help="The header is on row N (as the sheet numbers rows). Default: the first of the "
    "first 10 rows that names a source or link column; title rows above it are skipped.",
)
@click.option(
    "--sheet",
    metavar="NAME|N",
    help="The workbook's sheet to read (.xlsx), by name or 1-based position. Default: the "
    "first visible sheet whose header names a source or link column.",
)
@column_options
@common_options
def batch(
    input_path, out, fmt, input_format, when, date_format, year, surfaces, fail_on, encoding,
    bom, excel, raw_cells, engine, manifest_path, verify_manifest, header_row, sheet,
    chosen: dict[str, str], env: Env,
):  # fmt: skip
    """Check every row of a checklist; each row is written back with its answer.

    Columns are found by header name, in English or Chinese (docs/checklists.md
    lists every name), or named with --source-column, --date-column … (a header
    or a 1-based position):

    \b
      source    来源, 货源, source
      url       链接, 商品链接, 链接地址, url
      surface   场景, 投放位置, surface (optional)
      date      日期, 直播时间, 开播时间, date (optional)
      platform  平台, platform (optional)

    FILE `-`, or none, is standard input (CSV unless --input-format says
    otherwise), as is a pipe named without an extension (/dev/stdin, <(…));
    with none and nothing piped in, batch says so instead of waiting.
    stderr says which column was read as what, and what filled a missing one.
    A date cell is read as --on reads it (docs/dates.md), and also as an Excel
    serial number (44876 is 2022-11-11); a date without a year takes --year
    (default: the current year) and its row's note says which date it was.
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
    if verify_manifest:
        _verify(verify_manifest, input_path, out, env)
    out = None if out == "-" else out  # -o - is stdout, as FILE - is stdin
    failing = _fail_on(fail_on)
    if input_path in (None, "-") and env.reads_a_terminal():
        if input_path is None:  # nothing given, and nothing piped in: nothing to wait for
            raise core.InputError(
                N_(
                    "no checklist given: name a file (linkcheck batch 清单.xlsx) or pipe one in "
                    "(… | linkcheck batch -)"
                )
            )
        render.echo(_("reading a checklist (CSV) from the terminal; end it with Ctrl-D"), err=True)
    if input_path in (None, "-") and sys.stdin is None:  # `<&-`: there is nothing to read
        raise core.InputError(N_("stdin is closed: give a checklist file, or pipe one in"))
    source = sys.stdin.buffer if input_path in (None, "-") else input_path
    if fmt is None and out is None and env.is_terminal():
        fmt = "table"
    if fmt == "xlsx" and (out is None or streamed(out)):  # a pipe got an empty file
        raise core.InputError(N_("xlsx output needs a file: add -o OUT.xlsx"))
    to_terminal = fmt == "table" and out is None
    options = core.ChecklistOptions(
        input_format=input_format, output_format=None if to_terminal else fmt, when=when,
        surfaces=surfaces, platform=env.platform, columns=chosen, encoding=encoding,
        bom=True if excel else bom, raw_cells=raw_cells, engine=engine,
        date_format=date_format, year=year, header_row=header_row, sheet=sheet,
    )  # fmt: skip
    ruleset = env.ruleset()
    # a bad --on or --date-format is an error naming the option, before any row is read
    read_date(ruleset, when, ruleset.platform_id(env.platform), year=year)
    _date_style(date_format, year)
    if to_terminal:
        from ..batch.writers import surface_names

        sink = render.TableWriter(render.console(env.colour()), surface_names(ruleset))
    else:
        sink = out if out is not None else stdout_bytes()
    recorder = None
    if manifest_path:
        recorder, source, sink, options = _recording(manifest_path, source, sink, options)
    progress = _progress(out, env)
    try:
        summary = core.run_checklist(source, sink, options=options, rules=ruleset,
                                     progress=progress.tick, notice=_notice)  # fmt: skip
    finally:
        progress.stop()
    if recorder is not None:
        argv = click.get_current_context().find_root().meta.get("linkcheck.argv", [])
        recorder.finish(sink, summary=summary, options=options, rules=ruleset, arguments=argv,
                        language=language())  # fmt: skip
    fills = summary.fills
    origins = {
        "date": ("--on" if fills["date"].given else "now"),
        "surface": ("-s" if fills["surface"].given else "the default"),
        "platform": ("--platform" if fills["platform"].given else "the rules' default"),
    }
    shown = {m: (f.value, origins[m]) for m, f in fills.items()}
    # what was read as what
    lines = render.batch_reading(summary.columns, shown, summary.header_row, summary.above,
                                 summary.more_above,
                                 names=ruleset.catalog.display_names())  # fmt: skip
    lines += render.batch_dates(summary.serials, summary.years, year)
    lines += render.batch_swallowed(summary.swallowed, summary.swallowed_rows)
    lines += render.batch_merged(summary.merged)
    lines = render.batch_sheet(summary.sheet) + lines
    for line in lines:
        render.echo(render.fitted(line, indent=2), err=True)
    render.echo(render.batch_summary(summary.counts), err=True)
    raise click.exceptions.Exit(1 if summary.any_of(failing) else 0)


def _date_style(text: str | None, year: int | None) -> None:
    """A bad --date-format is a usage error naming the option."""
    from ..errors import LinkcheckError
    from ..when import date_style

    try:
        date_style(text, year)
    except LinkcheckError as exc:
        raise click.BadParameter(str(exc), param_hint="'--date-format'") from None


def _recording(path: str, source, sink, options):
    """The run recorded in a manifest: now pinned, stdin and stdout counted as they pass."""
    import dataclasses

    from .. import manifest

    if not isinstance(sink, str) and hasattr(sink, "header"):  # the terminal table
        raise core.InputError(
            N_("--manifest records an output file: add -o OUT, or --format csv|tsv|jsonl|json")
        )
    recorder = manifest.Recorder(path, source, sink)
    options = dataclasses.replace(options, now=recorder.now)
    return recorder, recorder.source(), recorder.sink(), options


# what --verify-manifest takes from the manifest, never from the command line
_RECORDED = ("fmt", "input_format", "when", "date_format", "year", "surfaces", "encoding", "bom",
             "excel", "raw_cells", "engine", "manifest_path", "platform", "fail_on", "header_row",
             "sheet",
             *(f"{m}_column" for m in core.MEANINGS))  # fmt: skip


def _verify(path: str, input_path: str, out, env: Env) -> None:
    """--verify-manifest: the recorded run again; exits 0 reproduced, 1 not."""
    from click.core import ParameterSource

    from .. import manifest

    ctx = click.get_current_context()
    given = [
        p.opts[0]
        for p in ctx.command.params
        if p.name in _RECORDED and ctx.get_parameter_source(p.name) is ParameterSource.COMMANDLINE
    ]
    if given:
        raise core.InputError(
            N_("--verify-manifest runs the manifest's own options; leave out {options}"),
            options=", ".join(given),
        )
    source = None if input_path == "-" else input_path
    result = manifest.verify(path, env.ruleset().catalog, source=source, output=out)
    for line in result.lines:
        render.echo(render.fitted(str(line), indent=2))
    raise click.exceptions.Exit(result.code)


def _notice(message) -> None:
    render.echo(str(message), err=True)


class _progress:
    """Rows done on a terminal's stderr, shown once the input proves long enough to need
    it (never when the rows themselves go to that terminal)."""

    def __init__(self, out, env: Env) -> None:
        wanted = (
            sys.stderr is not None
            and sys.stderr.isatty()
            and (out is not None or not env.is_terminal())
        )
        self._colour = env.colour()
        self._shown: render.BatchProgress | None = None
        self.tick = self._tick if wanted else None

    def _tick(self, done: int) -> None:
        self._shown = self._shown or render.BatchProgress(self._colour)
        self._shown.update(done)

    def stop(self) -> None:
        if self._shown is not None:
            self._shown.stop()
