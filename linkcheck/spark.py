"""linkcheck on a Spark DataFrame (the optional extra `spark`): the five answer columns added
to every row, by a broadcast join — no Python function runs per row.

    from linkcheck.spark import check_dataframe
    checked = check_dataframe(events, source="来源", url="商品链接", date="直播时间")

Each distinct combination of the cells that decide an answer (source, url, surface, date,
platform) is collected on the driver and answered there once, with the same code as
`linkcheck batch` (names, Chinese aliases, links, several surfaces in a cell, bad dates:
error rows included); the answers, a small table, are broadcast and joined back to the rows.
A row is repeated once per surface it asks about, as in `batch`. What the driver collects
grows with the distinct values, not with the rows: whole-day dates, as checklists and audits
by day have, keep it small (a column of unique timestamps would not: truncate them to days,
or export the rules with `linkcheck rules export` and join on instants yourself)."""

from __future__ import annotations

from .batch import APPENDED, Checker, Columns
from .engine import RuleSet

_MEANINGS = ("source", "url", "surface", "date", "platform")


def check_dataframe(df, rules: RuleSet | None = None, *, source: str | None = None,
                    url: str | None = None, surface: str | None = None,
                    date: str | None = None, platform: str | None = None,
                    surfaces: tuple[str, ...] = (), when: str = "now",
                    default_platform: str | None = None):  # fmt: skip
    """`df` with surface, verdict, rule, next_change and note appended (a column of `df`
    with one of those names is kept as `<name>_input`). Columns are named as for `batch`'s
    --source-column …; a missing date, surface or platform takes `when`, `surfaces` (default:
    livestream and short-video) and `default_platform` (default: the rules')."""
    from pyspark.sql import functions as F

    rules = rules or _bundled()
    named = {"source": source, "url": url, "surface": surface, "date": date,
             "platform": platform}  # fmt: skip
    header = list(df.columns)
    columns = Columns.find(header, {m: c for m, c in named.items() if c})
    platform_id = rules.platform_id(default_platform)
    rules.parse_when(when, platform_id)  # a bad `when` is an error now
    checker = Checker(rules, columns, rules.surface_list(surfaces), when, platform_id)
    used = sorted({columns.at(m) for m in _MEANINGS} - {None})
    keys = [f"_lk{i}" for i in used]
    keyed = df.select(
        "*", *(F.coalesce(F.col(_q(header[i])).cast("string"), F.lit("")).alias(k)
               for i, k in zip(used, keys, strict=True))
    )  # fmt: skip
    answers = []
    for row in keyed.select(*keys).distinct().collect():
        cells = [""] * len(header)
        for i, k in zip(used, keys, strict=True):
            cells[i] = row[k]
        for idx, result in enumerate(checker.decide(cells)):
            answers.append((*(row[k] for k in keys), idx, *result))
    spark = df.sparkSession
    names = [*keys, "_lidx", *(f"_la_{c}" for c in APPENDED)]
    table = spark.createDataFrame(answers, schema=_schema(names))
    joined = keyed.join(F.broadcast(table), on=keys, how="inner")
    kept = [F.col(_q(c)).alias(f"{c}_input" if c in APPENDED else c) for c in header]
    answer = [F.col(f"_la_{c}").alias(c) for c in APPENDED]
    return joined.select(*kept, *answer)


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _schema(names: list[str]):
    from pyspark.sql.types import IntegerType, StringType, StructField, StructType

    return StructType(
        [StructField(n, IntegerType() if n == "_lidx" else StringType(), False) for n in names]
    )


def _bundled() -> RuleSet:
    from . import load_rules

    return load_rules()
