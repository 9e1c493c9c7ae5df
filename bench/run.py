"""Side-by-side benchmark: linkcheck against its peers, alternating runs in one process.

    pip install '.[bench]'
    python bench/run.py                      # 100,000 and 1,000,000 rows, 5 runs each
    python bench/run.py --rows 100000 --runs 7
    python bench/run.py --columnar-rows 10000000 --link-rows 200000 --spark

Each measurement runs the commands alternately (A B C … A B C …) after one warm-up round,
so a noisy shared machine slows them alike; it reports the median wall time, the median CPU
time (user + system), the peak RSS of each process (ru_maxrss from wait4) and rows/s, and
the ratios the goals are stated in, each with its goal and "met" or "NOT met" at the end.
The peers answer from `linkcheck rules export` (the interval table, written to
bench/out/segments.csv first), and every peer's output is checked against linkcheck's on every
row: the input's columns, then surface, verdict, rule and next_change, and the note (past the
horizon, the peers write only its first words).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

from generate import generate, generate_links  # noqa: E402


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # users' installs have bytecode; so do we
    env.pop("LINKCHECK_RULES", None)
    env["PYTHONPATH"] = str(HERE)
    env["LINKCHECK_SEGMENTS"] = str(OUT / "segments.csv")
    return env


def measure(cmd: list[str]) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (KiB) and CPU seconds (user + system) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=child_env()
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):  # batch exits 1 when some verdict is in --fail-on
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def alternate(commands: dict[str, list[str]], runs: int) -> dict[str, dict[str, float]]:
    """Median wall time, median CPU time and peak RSS per command, runs interleaved, after
    one warm-up; the ratio of each round is kept too (`round_s`), to show the spread."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[int]] = {name: [] for name in commands}
    for round_ in range(runs + 1):
        for name, cmd in commands.items():
            wall, rss, cpu = measure(cmd)
            if round_:  # round 0 is the warm-up
                times[name].append(wall)
                cpus[name].append(cpu)
                peaks[name].append(rss)
    return {
        name: {
            "median_s": statistics.median(times[name]),
            "cpu_s": statistics.median(cpus[name]),
            "peak_rss_mib": max(peaks[name]) / 1024,
            "runs": len(times[name]),
            "round_s": times[name],
        }
        for name in commands
    }


def linkcheck_command() -> list[str]:
    script = Path(sys.executable).with_name("linkcheck")
    return [str(script)] if script.exists() else [sys.executable, "-m", "linkcheck"]


def cold_check(runs: int) -> dict:
    commands = {  # linkcheck first: main() reads the medians in this order
        "linkcheck check": [
            *linkcheck_command(),
            "check",
            "tmall",
            "-s",
            "livestream",
            "--on",
            "2022-11-11",
            "--format",
            "plain",
        ],
        "python -c 'import click'": [sys.executable, "-c", "import click"],
    }
    result = alternate(commands, runs)
    ratio = result["linkcheck check"]["median_s"] / result["python -c 'import click'"]["median_s"]
    return {"results": result, "ratio_to_import_click": ratio, "target": 1.5}


PEERS = {  # name → (script, the module it needs)
    "pandas": ("peer_pandas.py", "pandas"),
    "duckdb-join": ("peer_duckdb.py", "duckdb"),
    "duckdb-case": ("peer_duckdb_case.py", "duckdb"),
    "csvloop": ("peer_csvloop.py", None),
    "csvloop-links": ("peer_csvloop_links.py", None),
}
CASES = {  # the checklist → the commands run on it
    "names": ("linkcheck", "linkcheck-duckdb", "pandas", "duckdb-join", "duckdb-case", "csvloop"),
    "links": ("linkcheck", "csvloop-links", "linkcheck-duckdb"),
}


def checklist(rows: int, case: str = "names") -> Path:
    """The generated checklist of `rows` rows, made again unless the file there has exactly
    that many (a cached file of another size once gave a figure for the wrong size)."""
    src = OUT / f"{'checklist' if case == 'names' else case}-{rows}.csv"
    if src.exists():
        with src.open("rb") as f:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
        if lines == rows + 1:  # the header, then a line a row (no cell holds a line break)
            return src
    (generate if case == "names" else generate_links)(rows, str(src))
    return src


def batch(rows: int, runs: int, only: tuple[str, ...] = (), case: str = "names") -> dict:
    """One checklist of `rows` rows through linkcheck and its peers (CASES[case], or those
    of them in `only`), alternated; the ratios, and the rows where a peer differs."""
    stem = "checklist" if case == "names" else case
    src = checklist(rows, case)
    names = [n for n in CASES[case] if not only or n in only]
    outs = {name: OUT / f"{name}-{stem}-{rows}.csv" for name in names}
    batch_args = ["batch", "--fail-on", "never"]
    commands = {}
    for name in names:
        if name == "linkcheck":
            commands[name] = [*linkcheck_command(), *batch_args, str(src), "-o", str(outs[name])]
        elif name == "linkcheck-duckdb":
            commands[name] = [*linkcheck_command(), *batch_args, str(src), "-o", str(outs[name]),
                              "--engine", "duckdb"]  # fmt: skip
        else:
            commands[name] = [sys.executable, str(HERE / PEERS[name][0]), str(src), str(outs[name])]
    available = {}
    for name, cmd in commands.items():
        module = "duckdb" if name == "linkcheck-duckdb" else PEERS.get(name, ("", None))[1]
        if module and not importable(module):
            print(f"  (skipping {name}: pip install '.[bench]')")
            continue
        available[name] = cmd
    result = alternate(available, runs)
    for entry in result.values():
        entry["rows_per_s"] = rows / entry["median_s"]
    base = "linkcheck" if "linkcheck" in result else "linkcheck-duckdb"
    mismatches = {
        name: agree(outs[base], outs[name])
        for name in result
        if name not in ("linkcheck", "linkcheck-duckdb")
    }
    if "linkcheck-duckdb" in result and "linkcheck" in result:  # the same bytes, not just rows
        same = same_files(outs["linkcheck"], outs["linkcheck-duckdb"])
        mismatches["linkcheck-duckdb (bytes)"] = 0 if same else 1
    ratios = {}
    for ours in ("linkcheck", "linkcheck-duckdb"):
        for name, r in result.items():
            if ours in result and name != ours and not name.startswith("linkcheck"):
                ratios[f"{ours} / {name}"] = result[ours]["median_s"] / r["median_s"]
                ratios[f"{ours} / {name} (cpu)"] = result[ours]["cpu_s"] / r["cpu_s"]
    if "linkcheck" in result and "linkcheck-duckdb" in result:
        ratios["linkcheck / linkcheck-duckdb"] = (
            result["linkcheck"]["median_s"] / result["linkcheck-duckdb"]["median_s"]
        )
    return {
        "rows": rows,
        "case": case,
        "results": result,
        "ratios": ratios,
        "verdict_mismatches": mismatches,
        "outputs": {n: str(p) for n, p in outs.items()},
    }


def same_bytes_as_python(rows: int, duckdb_out: str) -> bool:
    """Whether the DuckDB engine's output of `rows` rows is the Python engine's, byte for
    byte (the Python engine run once, untimed: at 10,000,000 rows it is a long run)."""
    src, out = OUT / f"checklist-{rows}.csv", OUT / f"linkcheck-checklist-{rows}.csv"
    subprocess.run([*linkcheck_command(), "batch", "--fail-on", "never", str(src), "-o", str(out)],
                   check=True, env=child_env(), stderr=subprocess.DEVNULL)  # fmt: skip
    return same_files(out, Path(duckdb_out))


def same_files(one: Path, other: Path) -> bool:
    """Whether two files hold the same bytes, read a block at a time: this process stays
    small — a child's peak RSS (wait4) counts the parent's as it was when the child was
    started (Linux carries it over the fork and exec), so two outputs read whole here made
    every later peer 'peak 338.6 MiB', linkcheck and the csv loop alike."""
    with open(one, "rb") as a, open(other, "rb") as b:
        while True:
            x, y = a.read(1 << 20), b.read(1 << 20)
            if x != y:
                return False
            if not x:
                return True


def importable(module: str) -> bool:
    return subprocess.run([sys.executable, "-c", f"import {module}"],
                          capture_output=True).returncode == 0  # fmt: skip


def agree(ours: Path, theirs: Path) -> int:
    """Rows where a peer's output differs from linkcheck's (same row order, every column;
    a past-horizon note compared by its first words, all a peer writes of it)."""
    bad = 0
    with (
        ours.open(newline="", encoding="utf-8") as a,
        theirs.open(newline="", encoding="utf-8") as b,
    ):
        ra, rb = csv.reader(a), csv.reader(b)
        next(ra), next(rb)
        for x, y in zip(ra, rb, strict=True):
            if x[-1].startswith("beyond the rules' horizon"):
                x = [*x[:-1], x[-1][: len(y[-1])]]
            bad += x != y
    return bad


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def show(b: dict) -> None:
    label = "link-heavy checklist" if b["case"] == "links" else "batch"
    print(f"{label} {b['rows']:,} rows:")
    for name, r in b["results"].items():
        print(
            f"  {name:<16} {r['median_s']:7.2f} s  cpu {r['cpu_s']:6.2f} s  "
            f"{r['rows_per_s']:>11,.0f} rows/s  peak {r['peak_rss_mib']:6.1f} MiB"
        )
    for name, ratio in b["ratios"].items():
        print(f"  {name}: {ratio:.2f}x")
    for name, count in b["verdict_mismatches"].items():
        print(f"  rows where {name} differs from linkcheck: {count}")


def fastest_sql(b: dict) -> tuple[str, float] | None:
    """The fastest hand-written DuckDB query of a run: (name, median seconds)."""
    found = [(r["median_s"], n) for n, r in b["results"].items() if n.startswith("duckdb-")]
    return (min(found)[1], min(found)[0]) if found else None


def goals(report: dict, million: int) -> list[dict]:
    """Every goal of SPEC §10 (turn 3) this run measured: what, measured, goal, met."""
    out = []

    def goal(what: str, value: float, text: str, met: bool, shown: str = "{:.2f}x") -> None:
        out.append({"goal": what, "measured": value, "shown": shown.format(value),
                    "target": text, "met": bool(met)})  # fmt: skip

    if "cold_check" in report:
        r = report["cold_check"]["ratio_to_import_click"]
        goal("cold check / python -c 'import click'", r, "<= 1.5x", r <= 1.5)
    for b in report["batch"]:
        res, rows = b["results"], b["rows"]
        n = f"{rows:,} rows"
        if b["case"] == "links":
            if "linkcheck" in res and "csvloop-links" in res:
                r = b["ratios"]["linkcheck / csvloop-links"]
                goal(f"link-heavy {n}: Python engine / csv loop (urlsplit + suffix)", r,
                     "<= 1.25x", r <= 1.25)  # fmt: skip
                bad = b["verdict_mismatches"]["csvloop-links"]
                goal(f"link-heavy {n}: rows answered differently", bad, "0", bad == 0, "{}")
            continue
        if rows == million and "linkcheck" in res:
            for peer, limit, text in (("pandas", 1.0, "< 1.0x"), ("csvloop", 1.0, "<= 1.0x")):
                if peer in res:
                    r = b["ratios"][f"linkcheck / {peer}"]
                    ok = r < limit if text.startswith("<") and "=" not in text else r <= limit
                    goal(f"{n} CSV→CSV: Python engine / {peer}", r, text, ok)
            peak = res["linkcheck"]["peak_rss_mib"]
            goal(f"{n}: Python engine peak RSS", peak, "< 64 MiB", peak < 64, "{:.1f} MiB")
        if "linkcheck-duckdb" in res and (rows == million or b.get("columnar")):
            fastest = fastest_sql(b)
            if fastest is not None:
                r = res["linkcheck-duckdb"]["median_s"] / fastest[1]
                goal(f"{n}: DuckDB engine / fastest hand-written DuckDB query ({fastest[0]})",
                     r, "<= 1.2x", r <= 1.2)  # fmt: skip
            if "pandas" in res:
                r = b["ratios"]["linkcheck-duckdb / pandas"]
                goal(f"{n}: DuckDB engine / pandas", r, "<= 0.5x", r <= 0.5)
            peak = res["linkcheck-duckdb"]["peak_rss_mib"]
            if b.get("columnar"):
                goal(f"{n}: DuckDB engine peak RSS", peak, "<= 1024 MiB", peak <= 1024,
                     "{:,.0f} MiB")  # fmt: skip
            else:
                goal(f"{n}: DuckDB engine peak RSS (stated)", peak, "stated", True, "{:,.0f} MiB")
            same = b.get("same_bytes")
            if same is None and "linkcheck" in res:
                same = b["verdict_mismatches"]["linkcheck-duckdb (bytes)"] == 0
            if same is not None:
                goal(f"{n}: DuckDB engine output = Python engine output, byte for byte",
                     same, "same bytes", same, "{}")  # fmt: skip
    if "spark" in report and "ratio" in report["spark"]:
        r = report["spark"]["ratio"]
        goal(f"Spark local[2] {report['spark']['rows']:,} rows: check_dataframe / "
             "hand-written range join", r, "<= 1.5x", r <= 1.5)  # fmt: skip
        same = report["spark"]["differences"] == 0
        goal("Spark: rows answered differently", report["spark"]["differences"], "0", same, "{}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="100000,1000000", help="comma-separated sizes")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument(
        "--columnar-rows",
        type=int,
        default=0,
        help="also time this many rows (e.g. 10000000) with the DuckDB engine and peers only, "
        "and check its bytes against one untimed run of the Python engine",
    )
    parser.add_argument(
        "--link-rows",
        type=int,
        default=200_000,
        help="rows of the link-heavy checklist (every row its own product link); 0: none",
    )
    parser.add_argument(
        "--spark", action="store_true", help="also the Spark bench (needs pyspark and Java)"
    )
    parser.add_argument(
        "--crossover",
        default="",
        help="comma-separated row counts: the Python and the DuckDB engine alone at each size, "
        "on both checklists, to find the size from which --engine auto takes DuckDB",
    )
    args = parser.parse_args()
    if args.runs < 5:
        parser.error("--runs must be at least 5")
    OUT.mkdir(exist_ok=True)
    # byte-compiled in a child: this process stays small, and so does the floor that
    # forking it puts under every child's peak RSS
    subprocess.run([sys.executable, "-c", "import compileall, os, linkcheck; "
                    "compileall.compile_dir(os.path.dirname(linkcheck.__file__), quiet=1)"],
                   check=True)  # fmt: skip
    report = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
        "runs": args.runs,
        "load_before": os.getloadavg(),
        "command": " ".join(["python", "bench/run.py", *sys.argv[1:]]),
    }
    print(f"load average before: {' '.join(f'{x:.1f}' for x in report['load_before'])}")
    if not args.skip_cold:
        report["cold_check"] = cold_check(args.runs * 3)
        c = report["cold_check"]
        ours, click = (r["median_s"] * 1e3 for r in c["results"].values())
        print(
            f"cold check: {ours:.1f} ms vs import click {click:.1f} ms "
            f"= {c['ratio_to_import_click']:.2f}x (target <= 1.5x)"
        )
    subprocess.run([*linkcheck_command(), "rules", "export", "-o", str(OUT / "segments.csv")],
                   check=True, env=child_env())  # fmt: skip
    report["batch"] = []
    sizes = [int(r) for r in args.rows.split(",")]
    for rows in sizes:
        b = batch(rows, args.runs)
        report["batch"].append(b)
        show(b)
    if args.link_rows:
        b = batch(args.link_rows, args.runs, only=("linkcheck", "csvloop-links"), case="links")
        report["batch"].append(b)
        show(b)
    if args.columnar_rows:
        only = ("linkcheck-duckdb", "duckdb-join", "duckdb-case")
        b = batch(args.columnar_rows, args.runs, only=only)
        b["columnar"] = True
        out = b["outputs"]["linkcheck-duckdb"]
        b["same_bytes"] = same_bytes_as_python(args.columnar_rows, out)
        report["batch"].append(b)
        show(b)
        print(f"  DuckDB engine output = Python engine output (bytes): {b['same_bytes']}")
    if args.crossover:
        report["crossover"] = crossover(args.crossover, args.runs)
    if args.spark:
        report["spark"] = spark(max(sizes), args.runs)
        print(f"spark: {json.dumps(report['spark'])}")
    report["load_after"] = os.getloadavg()
    million = 1_000_000 if 1_000_000 in sizes else max(sizes)
    report["goals"] = goals(report, million)
    print(f"goals (SPEC §10, turn 3; median wall time ratios, {args.runs} rounds):")
    for g in report["goals"]:
        print(f"  {g['goal']}: {g['shown']} (goal {g['target']}) "
              f"{'met' if g['met'] else 'NOT met'}")  # fmt: skip
    print(f"load average after: {' '.join(f'{x:.1f}' for x in report['load_after'])}")
    (OUT / "results.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"machine: {report['machine']}; results in {OUT / 'results.json'}")
    shutil.rmtree(OUT / "__pycache__", ignore_errors=True)


def crossover(sizes: str, runs: int) -> list[dict]:
    """The Python engine and the DuckDB engine at each size, alternated, on the names and
    the link-heavy checklist: where DuckDB starts to win (run.COLUMNAR_AUTO's figure)."""
    out = []
    print("crossover (python engine / duckdb engine, median wall time):")
    counts = [int(r) for r in sizes.split(",")]
    # the link-heavy checklist at the largest size only: DuckDB's engine reads each distinct
    # link in Python, so --engine auto leaves link checklists to the Python engine
    for case, each in (("names", counts), ("links", counts[-1:])):
        for rows in each:
            b = batch(rows, runs, only=("linkcheck", "linkcheck-duckdb"), case=case)
            stem = "checklist" if case == "names" else case
            size = (OUT / f"{stem}-{rows}.csv").stat().st_size / (1 << 20)
            ratio = b["ratios"]["linkcheck / linkcheck-duckdb"]
            same = b["verdict_mismatches"]["linkcheck-duckdb (bytes)"] == 0
            py, duck = (b["results"][n]["median_s"] for n in ("linkcheck", "linkcheck-duckdb"))
            print(f"  {case:<6} {rows:>10,} rows {size:8.1f} MiB: python {py:6.2f} s, duckdb "
                  f"{duck:6.2f} s, ratio {ratio:.2f}x ({'duckdb' if ratio > 1 else 'python'} "
                  f"faster; same bytes: {same})")  # fmt: skip
            out.append({"case": case, "rows": rows, "mib": size, "python_s": py,
                        "duckdb_s": duck, "ratio": ratio, "same_bytes": same})  # fmt: skip
    return out


def spark(rows: int, runs: int) -> dict:
    """bench/spark_bench.py in a process of its own (skipped without pyspark or Java)."""
    if not importable("pyspark") or shutil.which("java") is None:
        print("  (skipping spark: pip install pyspark, and Java 17)")
        return {"skipped": "no pyspark or no Java"}
    src = checklist(rows)
    done = subprocess.run([sys.executable, str(HERE / "spark_bench.py"), str(src), str(runs)],
                          env=child_env(), capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        print(done.stderr[-2000:])
        raise SystemExit("spark bench failed")
    return json.loads(done.stdout.splitlines()[-1])


if __name__ == "__main__":
    main()
