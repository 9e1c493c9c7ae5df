"""The public API is typed (py.typed ships in the wheel) and the package type-checks: mypy,
pinned in the test extra, with the configuration in pyproject.toml, over linkcheck/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def test_the_package_says_it_is_typed():
    assert (ROOT / "linkcheck" / "py.typed").is_file()


@pytest.mark.subprocess
def test_linkcheck_type_checks(tmp_path):
    pytest.importorskip("mypy")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy-cache"),
         "--no-error-summary"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
