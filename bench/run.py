"""Side-by-side benchmark: linkcheck against its peers, alternating runs in one process.

    pip install '.[bench]'
    python bench/run.py                      # 100,000 and 1,000,000 rows, 5 runs each
    python bench/run.py --rows 100000 --runs 7

Each measurement runs the commands alternately (A B C … A B C …) after one warm-up round,
so a noisy shared machine slows them alike; it reports the median wall time, the peak RSS
of each process (ru_maxrss from wait4) and rows/s, and the ratios the targets are stated in.
The peers answer from `linkcheck rules export` (the interval table, written to
bench/out/segments.csv first), and every peer's output is checked against linkcheck's on every
row: the input's columns, then surface, verdict, rule and next_change, and the note (past the
horizon, the peers write only its first words).
"""

from __future__ import annotations

import argparse
import compileall
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

from generate import generate  # noqa: E402


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # users' installs have bytecode; so do we
    env.pop("LINKCHECK_RULES", None)
    env["PYTHONPATH"] = str(HERE)
    env["LINKCHECK_SEGMENTS"] = str(OUT / "segments.csv")
    return env


def measure(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=child_env()
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):  # batch exits 1 when some verdict is in --fail-on
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return wall, usage.ru_maxrss


def alternate(commands: dict[str, list[str]], runs: int) -> dict[str, dict[str, float]]:
    """Median wall time and peak RSS per command, runs interleaved, after one warm-up."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[int]] = {name: [] for name in commands}
    for round_ in range(runs + 1):
        for name, cmd in commands.items():
            wall, rss = measure(cmd)
            if round_:  # round 0 is the warm-up
                times[name].append(wall)
                peaks[name].append(rss)
    return {
        name: {
            "median_s": statistics.median(times[name]),
            "peak_rss_mib": max(peaks[name]) / 1024,
            "runs": len(times[name]),
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


def batch(rows: int, runs: int, only: tuple[str, ...] = ()) -> dict:
    src = OUT / f"checklist-{rows}.csv"
    if not src.exists():
        generate(rows, str(src))
    names = ("linkcheck", "linkcheck-duckdb", "pandas", "duckdb", "csvloop")
    outs = {name: OUT / f"{name}-{rows}.csv" for name in names}
    commands = {
        "linkcheck": [
            *linkcheck_command(),
            "batch",
            str(src),
            "-o",
            str(outs["linkcheck"]),
            "--fail-on",
            "never",
        ],
        "linkcheck-duckdb": [
            *linkcheck_command(),
            "batch",
            str(src),
            "-o",
            str(outs["linkcheck-duckdb"]),
            "--fail-on",
            "never",
            "--engine",
            "duckdb",
        ],
        "pandas": [sys.executable, str(HERE / "peer_pandas.py"), str(src), str(outs["pandas"])],
        "duckdb": [sys.executable, str(HERE / "peer_duckdb.py"), str(src), str(outs["duckdb"])],
        "csvloop": [sys.executable, str(HERE / "peer_csvloop.py"), str(src), str(outs["csvloop"])],
    }
    if only:
        commands = {name: cmd for name, cmd in commands.items() if name in only}
    available = {}
    for name, cmd in commands.items():
        module = {"pandas": "pandas", "duckdb": "duckdb", "linkcheck-duckdb": "duckdb"}.get(name)
        if (
            module
            and subprocess.run(
                [sys.executable, "-c", f"import {module}"], capture_output=True
            ).returncode
            != 0
        ):
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
        same = outs["linkcheck"].read_bytes() == outs["linkcheck-duckdb"].read_bytes()
        mismatches["linkcheck-duckdb (bytes)"] = 0 if same else 1
    ratios = {
        f"linkcheck / {name}": result["linkcheck"]["median_s"] / r["median_s"]
        for name, r in result.items()
        if name != "linkcheck" and "linkcheck" in result
    }
    if "linkcheck-duckdb" in result:
        for name in ("pandas", "duckdb"):
            if name in result:
                ratio = result["linkcheck-duckdb"]["median_s"] / result[name]["median_s"]
                ratios[f"linkcheck-duckdb / {name}"] = ratio
    return {"rows": rows, "results": result, "ratios": ratios, "verdict_mismatches": mismatches}


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="100000,1000000", help="comma-separated sizes")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument(
        "--columnar-rows",
        type=int,
        default=0,
        help="also time this many rows (e.g. 10000000) with the DuckDB engine and peer only",
    )
    args = parser.parse_args()
    if args.runs < 5:
        parser.error("--runs must be at least 5")
    OUT.mkdir(exist_ok=True)
    import linkcheck

    compileall.compile_dir(os.path.dirname(linkcheck.__file__), quiet=1)
    report = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "runs": args.runs}
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
    for rows in (int(r) for r in args.rows.split(",")):
        b = batch(rows, args.runs)
        report["batch"].append(b)
        print(f"batch {rows:,} rows:")
        for name, r in b["results"].items():
            print(
                f"  {name:<10} {r['median_s']:7.2f} s  {r['rows_per_s']:>11,.0f} rows/s  "
                f"peak {r['peak_rss_mib']:6.1f} MiB"
            )
        for name, ratio in b["ratios"].items():
            print(f"  {name}: {ratio:.2f}x")
        for name, count in b["verdict_mismatches"].items():
            print(f"  rows where {name} differs from linkcheck: {count}")
    if args.columnar_rows:
        b = batch(args.columnar_rows, args.runs, only=("linkcheck-duckdb", "duckdb"))
        report["batch"].append(b)
        print(f"batch {args.columnar_rows:,} rows (columnar only):")
        for name, r in b["results"].items():
            print(f"  {name:<16} {r['median_s']:7.2f} s  peak {r['peak_rss_mib']:6.1f} MiB")
        for name, ratio in b["ratios"].items():
            print(f"  {name}: {ratio:.2f}x")
        for name, count in b["verdict_mismatches"].items():
            print(f"  rows where {name} differs from linkcheck-duckdb: {count}")
    (OUT / "results.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"machine: {report['machine']}; results in {OUT / 'results.json'}")
    shutil.rmtree(OUT / "__pycache__", ignore_errors=True)


if __name__ == "__main__":
    main()
