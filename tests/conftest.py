from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

import linkcheck
from linkcheck.cli import cli


def _temporary(prefix: str) -> str:
    """A temporary folder for this test process, removed when it ends (each run left three
    a process behind)."""
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


# the parsed-rules cache of every test run (and of the processes tests start) stays here
os.environ["LINKCHECK_CACHE_DIR"] = _temporary("linkcheck-test-cache-")
# no test (nor a process a test starts) sees the machine's installed rules release or trusted
# repository: the user folders are empty temporary ones unless a test sets its own
os.environ["XDG_DATA_HOME"] = _temporary("linkcheck-test-data-")
os.environ["XDG_CONFIG_HOME"] = _temporary("linkcheck-test-config-")
# text is fitted to the terminal: tests see one wide terminal, whatever runs them (the tests
# of fitting set COLUMNS themselves)
os.environ["COLUMNS"] = "250"
# the words are English unless a test asks for Chinese, whatever the machine's locale
for _name in ("LINKCHECK_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"

# no property test depends on speed: hypothesis' per-example deadline (200 ms) and its
# too-slow check failed tests on a busy machine (a label-boundary test took 684 ms once)
settings.register_profile("linkcheck", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("linkcheck")


@pytest.fixture(scope="session")
def bundled() -> linkcheck.RuleSet:
    return linkcheck.load_rules()


@pytest.fixture
def run(monkeypatch):
    """Invoke the CLI in-process; returns the click Result (stdout and stderr apart)."""
    monkeypatch.delenv("LINKCHECK_RULES", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)

    def invoke(*args, ok: bool = True, input=None, env=None):
        runner = CliRunner()
        return runner.invoke(
            cli, list(args), input=input, env=env, catch_exceptions=not ok, prog_name="linkcheck"
        )

    return invoke


@pytest.fixture
def write(tmp_path):
    """A file in the test's temporary folder, its path returned as a command line takes it:
    `write("list.csv", "source\ntmall\n")` (text as UTF-8, or `encoding="gb18030"`) or
    `write("book.xlsx", data)` (bytes as they are); a name with folders makes them."""

    def write_file(name: str, data: str | bytes, encoding: str = "utf-8") -> str:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
        return str(path)

    return write_file


def pytest_make_parametrize_id(config, val, argname):
    """Test ids keep Chinese as it is (see pyproject), but control characters and lone
    surrogates are escaped: an id must be printable, and writable as UTF-8."""
    if isinstance(val, str) and not val.isprintable():
        return val.encode("unicode_escape").decode("ascii")
    return None
