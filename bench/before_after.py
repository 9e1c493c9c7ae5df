"""Before and after a change: the same commands from two checkouts, alternated command by
command (bench/run.py's alternate()), medians; and whether their batch outputs are the same.

    git worktree add ../linkcheck-before <commit>   # or: git archive <commit> | tar -x -C DIR
    python bench/before_after.py ../linkcheck-before 200000
    python bench/before_after.py ../linkcheck-before 1000000 --engine duckdb --case --runs 11

--engine duckdb times `batch --engine duckdb` on both sides; --case also runs the hand-written
DuckDB CASE query (peer_duckdb_case.py) in the same rounds, and gives each side's ratio to it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import OUT, alternate, checklist, child_env  # noqa: E402


def runner(checkout: Path) -> str:
    return (
        f"import sys; sys.path.insert(0, {str(checkout)!r}); sys.argv[0] = 'linkcheck'; "
        "from linkcheck.cli import main; main()"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="the checkout to compare with")
    parser.add_argument("rows", type=int, nargs="?", default=200_000)
    parser.add_argument("--engine", choices=("python", "duckdb"), default="python")
    parser.add_argument("--case", action="store_true", help="also the hand-written CASE query")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    old, new = args.before.resolve(), HERE.parent
    OUT.mkdir(exist_ok=True)
    src = checklist(args.rows)
    py = sys.executable
    cold = None
    if args.engine == "python":
        check = ["check", "tmall", "-s", "livestream", "--on", "2022-11-11", "--format", "plain"]
        cold = alternate(
            {
                "before: check": [py, "-c", runner(old), *check],
                "after: check": [py, "-c", runner(new), *check],
                "import click": [py, "-c", "import click"],
            },
            21,
        )
    outs = {side: OUT / f"{side}-{args.rows}.csv" for side in ("before", "after")}
    engine = ["--engine", args.engine]
    commands = {
        f"{side}: batch": [py, "-c", runner(path), "batch", str(src), "-o", str(outs[side]),
                           "--fail-on", "never", *engine]
        for side, path in (("before", old), ("after", new))
    }  # fmt: skip
    if args.case:  # it reads the exported rules table (LINKCHECK_SEGMENTS)
        subprocess.run([py, "-c", runner(new), "rules", "export", "-o", str(OUT / "segments.csv")],
                       check=True, env=child_env(), stdout=subprocess.DEVNULL)  # fmt: skip
        case_out = OUT / f"case-{args.rows}.csv"
        commands["CASE query"] = [py, str(HERE / "peer_duckdb_case.py"), str(src), str(case_out)]
    batch = alternate(commands, args.runs)
    same = outs["before"].read_bytes() == outs["after"].read_bytes()
    ratios = {}
    if args.case:
        for side in ("before", "after"):
            ratios[f"{side} / CASE query"] = statistics.median(
                a / b
                for a, b in zip(batch[f"{side}: batch"]["round_s"], batch["CASE query"]["round_s"],
                                strict=True)
            )  # fmt: skip
            ratios[f"{side} / CASE query (medians)"] = (
                batch[f"{side}: batch"]["median_s"] / batch["CASE query"]["median_s"]
            )
    print(json.dumps({"cold": cold, "batch": batch, "ratios": ratios, "same_output": same},
                     indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
