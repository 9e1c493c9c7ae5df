"""Spark, local[2]: linkcheck.spark.check_dataframe beside a hand-written Spark SQL range join
on the exported interval table, over the same checklist, alternated in one session.

python bench/spark_bench.py IN.csv RUNS        # run.py --spark runs it; prints one JSON line

The checklist is read once as text and cached; each run answers every row and writes it to
Spark's `noop` sink (every row computed, nothing stored). The hand-written join: each row's
day as its first instant in Shanghai, `start <= instant < end` against the exported rows of
the bundled rules, the segments broadcast. The two are compared on every row (sku, surface,
verdict, rule).
"""

from __future__ import annotations

import json
import statistics
import sys
import time

from peer_rules import BEYOND, NO_RULE, PLATFORM, segments_path


def main(src: str, runs: int) -> None:
    from pyspark.sql import SparkSession

    from linkcheck.spark import check_dataframe

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("linkcheck-bench")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    rows = spark.read.csv(src, header=True, inferSchema=False).cache()
    count = rows.count()
    rows.createOrReplaceTempView("checklist")
    spark.read.csv(segments_path(), header=True, inferSchema=False).where(
        f"platform = '{PLATFORM}'"
    ).createOrReplaceTempView("segments")
    beyond = BEYOND.replace("'", "\\'")
    hand = spark.sql(f"""
        SELECT /*+ BROADCAST(s) */ c.sku, c.source, c.surface, c.date, c.title,
               c.surface AS surface_1, s.verdict, coalesce(s.rule, '') AS rule,
               coalesce(date_format(from_utc_timestamp(to_timestamp(s.next_change_at),
                                    'Asia/Shanghai'), "yyyy-MM-dd'T'HH:mm:ss")
                        || '+08:00 ' || s.next_change_verdict, '') AS next_change,
               CASE s.reason WHEN 'no_rule' THEN '{NO_RULE}'
                             WHEN 'beyond_horizon' THEN '{beyond}' ELSE '' END AS note
        FROM (SELECT *, to_utc_timestamp(to_timestamp(date), 'Asia/Shanghai') AS at
              FROM checklist) c
        JOIN segments s
          ON s.source = c.source AND s.surface = c.surface
         AND (s.start IS NULL OR c.at >= to_timestamp(s.start))
         AND (s.`end` IS NULL OR c.at < to_timestamp(s.`end`))
    """)
    ours = check_dataframe(rows, source="source", surface="surface", date="date")
    frames = {"linkcheck.spark": ours, "spark-sql": hand}
    times: dict[str, list[float]] = {name: [] for name in frames}
    for round_ in range(runs + 1):
        for name, frame in frames.items():
            start = time.perf_counter()
            frame.write.format("noop").mode("overwrite").save()
            if round_:  # round 0 is the warm-up
                times[name].append(time.perf_counter() - start)
    keys = ("sku", "surface", "verdict", "rule")
    a = ours.select(*keys)
    b = hand.select("sku", "surface_1", "verdict", "rule").toDF(*keys)
    differences = a.exceptAll(b).count() + b.exceptAll(a).count()
    medians = {name: statistics.median(t) for name, t in times.items()}
    print(json.dumps({
        "rows": count,
        "median_s": medians,
        "ratio": medians["linkcheck.spark"] / medians["spark-sql"],
        "differences": differences,
        "runs": runs,
    }))  # fmt: skip
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
