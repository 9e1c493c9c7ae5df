"""Before and after a change: the same commands from two checkouts, alternated command by
command (bench/run.py's alternate()), medians; and whether their batch outputs are the same.

    git worktree add ../linkcheck-before <commit>   # or: git archive <commit> | tar -x -C DIR
    python bench/before_after.py ../linkcheck-before 200000
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import OUT, alternate, generate  # noqa: E402


def runner(checkout: Path) -> str:
    return (
        f"import sys; sys.path.insert(0, {str(checkout)!r}); sys.argv[0] = 'linkcheck'; "
        "from linkcheck.cli import main; main()"
    )


def main() -> None:
    old, new = Path(sys.argv[1]).resolve(), HERE.parent
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    OUT.mkdir(exist_ok=True)
    src = OUT / f"checklist-{rows}.csv"
    if not src.exists():
        generate(rows, str(src))
    py = sys.executable
    check = ["check", "tmall", "-s", "livestream", "--on", "2022-11-11", "--format", "plain"]
    cold = alternate(
        {
            "before: check": [py, "-c", runner(old), *check],
            "after: check": [py, "-c", runner(new), *check],
            "import click": [py, "-c", "import click"],
        },
        21,
    )
    outs = {side: OUT / f"{side}-{rows}.csv" for side in ("before", "after")}
    batch = alternate(
        {
            f"{side}: batch": [py, "-c", runner(path), "batch", str(src), "-o", str(outs[side]),
                               "--fail-on", "never"]
            for side, path in (("before", old), ("after", new))
        },
        5,
    )  # fmt: skip
    same = outs["before"].read_bytes() == outs["after"].read_bytes()
    print(json.dumps({"cold": cold, "batch": batch, "same_output": same}, indent=1))


if __name__ == "__main__":
    main()
