"""linkcheck on a Spark DataFrame (the optional extra `spark`): the five answer columns added
to every row by a range join against an interval table — no Python function runs per row.

    from linkcheck.spark import check_dataframe
    checked = check_dataframe(events, source="来源", url="商品链接", date="直播时间")

What is read in Python grows with the distinct values, never with the rows, and uses the
same code as `linkcheck batch` (names, Chinese aliases, links, several surfaces in a cell, bad
dates: error rows included); up to DRIVER_LIMIT distinct values, on the driver:

- each distinct combination of the source, url, surface and platform cells is read once
  into a *plan* (the ids it means, or the error answers no date can change); links and names
  meaning the same ids share one plan;
- each distinct (date, platform) cell pair is read once into an instant (UTC microseconds) or
  the error its text makes; a column of Spark TIMESTAMPs needs no reading at all: a timestamp
  is an instant, whatever the session's time zone;
- each plan's spans — the segments of its source's compiled timeline (the rows of
  `linkcheck rules export`, before it merges neighbours decided by the same rule), or for a
  link or a group the spans between every bound of its candidates — become rows
  [start, end) → the answer `batch` writes.

Three small tables, broadcast; each row finds its plan and instant by equality and its answer
by `start <= instant < end`. A row is repeated once per surface it asks about, as in `batch`.

Past DRIVER_LIMIT distinct (source, url, surface, platform) cells — an audit's unique product
links — the workers read them instead (linkcheck must be installed on them): each distinct
value once, with the same Checker shipped to them, and the driver sees only the distinct ids
they mean (as few as the sources and surfaces named) and builds their spans. Every unique
link is still parsed once, by linkcheck's own link reader: that is the price of not being
fooled by a look-alike. The plan table is then joined to the rows, not broadcast; cells wrong
whatever the date carry their error answers from the workers. Past DRIVER_LIMIT distinct
(date, platform) cells the workers read the dates the same way (a TIMESTAMP column needs no
reading at all)."""

from __future__ import annotations

from .batch import APPENDED, Checker, ChecklistOptions, intervals
from .batch.run import checker_for
from .engine import RuleSet

_KEYS = intervals.PLAN_CELLS
# distinct (source, url, surface, platform) cells the driver reads itself; past this (an
# audit's unique product links) the workers read them and the driver the ids they mean
DRIVER_LIMIT = 200_000


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
    from pyspark.sql.types import TimestampType

    rules = rules or _bundled()
    named = {"source": source, "url": url, "surface": surface, "date": date,
             "platform": platform}  # fmt: skip
    header = list(df.columns)
    options = ChecklistOptions(when=when, surfaces=surfaces, platform=default_platform,
                               columns={m: c for m, c in named.items() if c})  # fmt: skip
    checker = checker_for(rules, header, options)  # a bad `when` is an error now
    columns = checker.columns

    # the columns by position (c0, c1 …) while linkcheck's own are added: no name of the
    # DataFrame's, a duplicate or one like linkcheck's (_l…), can be mistaken for another
    safe = [f"c{i}" for i in range(len(header))]

    def text(meaning: str):
        at = columns.at(meaning)
        if at is None:
            return F.lit("")
        return F.coalesce(F.col(safe[at]).cast("string"), F.lit(""))

    date_at = columns.at("date")
    stamped = date_at is not None and isinstance(df.schema[date_at].dataType, TimestampType)
    keyed = df.toDF(*safe).select(
        "*",
        *(text(m).alias(f"_lk_{m}") for m in _KEYS),
        (F.lit("") if stamped else text("date")).alias("_lk_date"),
        (F.expr(f"unix_micros({safe[date_at or 0]})") if stamped else F.lit(None))
        .cast("long").alias("_lk_stamp"),
    )  # fmt: skip
    plan_keys = [f"_lk_{m}" for m in _KEYS]
    spark = df.sparkSession
    distinct = keyed.select(*plan_keys).distinct()
    few = distinct.limit(DRIVER_LIMIT + 1).collect()
    errors = None
    if len(few) <= DRIVER_LIMIT:
        plans, spans = intervals.plans(checker, few)
        plan_table = F.broadcast(
            spark.createDataFrame(plans, ", ".join(f"{k} string" for k in plan_keys) + ", _lp long")
        )
    else:
        plan_table, spans = _plans_on_workers(spark, checker, distinct, plan_keys)
        errors = "_lerr"
    dates = keyed.select("_lk_date", "_lk_platform").distinct()
    few = dates.limit(DRIVER_LIMIT + 1).collect()
    date_schema = "_lk_date string, _lk_platform string, _ld long, _ld_note string"
    if len(few) <= DRIVER_LIMIT:
        date_table = F.broadcast(
            spark.createDataFrame(intervals.instants(checker, few), date_schema)
        )
    else:  # distinct date strings by the hundred million: read where they are
        shipped = spark.sparkContext.broadcast(checker)
        date_table = spark.createDataFrame(
            dates.rdd.mapPartitions(lambda rows: intervals.instants(shipped.value, rows)),
            date_schema,
        )
    span_table = spark.createDataFrame(
        spans,
        "_lp long, _li int, _ls long, _le long, " + ", ".join(f"_la_{c} string" for c in APPENDED),
    )
    planned = keyed.join(plan_table, on=plan_keys)
    rows = (
        (planned if errors is None else planned.where(F.col(errors).isNull()))
        .join(date_table, on=["_lk_date", "_lk_platform"])
        .withColumn("_lt", F.coalesce("_lk_stamp", "_ld"))
    )
    joined = rows.join(
        F.broadcast(span_table),
        (rows["_lp"] == span_table["_lp"])
        & (rows["_lt"] >= span_table["_ls"])
        & (rows["_lt"] < span_table["_le"]),
    )
    kept = [
        F.col(safe[i]).alias(f"{c}_input" if c in APPENDED else c) for i, c in enumerate(header)
    ]
    answer = [F.col(f"_la_{c}").alias(c) for c in APPENDED]
    # the error row of a date that did not read (at ERROR) takes the date's note; a date
    # without a year adds its note to an answer's (as deciding.joined_note)
    # (a TIMESTAMP cell is its own date: the note of an empty date is for a null one only)
    note, date_note = F.col("_la_note"), F.when(F.col("_lk_stamp").isNull(), F.col("_ld_note"))
    answer[-1] = (
        F.when((F.col("_la_verdict") == "error") | date_note.isNull(),
               F.coalesce(note, date_note))
        .when(F.coalesce(note, F.lit("")) == "", date_note)
        .otherwise(F.concat(note, F.lit("; "), date_note))
        .alias("note")
    )  # fmt: skip
    answered = joined.select(*kept, *answer)
    if errors is None:
        return answered
    # cells wrong whatever the date: their answers came from the workers as they are
    wrong = planned.where(F.col(errors).isNotNull()).select(*safe, F.explode(errors).alias("_lx"))
    return answered.unionByName(
        wrong.select(*kept, *(F.col("_lx")[i].alias(c) for i, c in enumerate(APPENDED)))
    )


def _plans_on_workers(spark, checker: Checker, distinct, plan_keys: list[str]):
    """More distinct cells than the driver should read: the workers read them (each distinct
    value once, with the same Checker, shipped to them), the driver only the distinct ids
    they mean — as few as the sources, surfaces and platforms named — and builds their spans.
    Returns (plan table: the cells, their plan number or error answers; span rows)."""
    from pyspark.sql import functions as F

    shipped = spark.sparkContext.broadcast(checker)

    def read(rows):
        mine = shipped.value
        for row in rows:
            ids, wrong = intervals.ids_text(mine, tuple(row))
            yield (*row, ids, wrong)

    cells = ", ".join(f"{k} string" for k in plan_keys)
    # not cached (no data left behind in the caller's session): the workers read the
    # distinct cells again for the join, after the shuffle that made them distinct
    read_df = spark.createDataFrame(
        distinct.rdd.mapPartitions(read), f"{cells}, _lid string, _lerr array<array<string>>"
    )
    texts = [r[0] for r in read_df.where("_lid IS NOT NULL").select("_lid").distinct().collect()]
    spans = [row for n, text in enumerate(texts) for row in intervals.plan_of(checker, n, text)]
    numbers = spark.createDataFrame(list(enumerate(texts)), "_lp long, _lid string")
    plan_table = read_df.join(F.broadcast(numbers), on="_lid", how="left").drop("_lid")
    return plan_table, spans


def _bundled() -> RuleSet:
    from . import load_rules

    return load_rules()
