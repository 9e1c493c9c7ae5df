"""What several test modules share: the error assertion, a team rules file, and the
generators of random rules files for the property tests."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import random
import signal
from datetime import date, timedelta, timezone
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
# the costly property tests draw examples(n) examples: n times LINKCHECK_EXAMPLES (0.5 unless
# set — the suite stays well under a minute; LINKCHECK_EXAMPLES=10 for a long run), at least 10
EXAMPLES = float(os.environ.get("LINKCHECK_EXAMPLES", "0.5"))


def examples(n: int) -> int:
    """How many examples a costly property test written for `n` draws in this run."""
    return max(10, round(n * EXAMPLES))


# the bundled rules file as a JSON `rule_files` entry names it (its hash: of the file's bytes,
# by hashlib, not by linkcheck)
BUNDLED_SHA256 = hashlib.sha256((ROOT / "rules.toml").read_bytes()).hexdigest()
BUNDLED_FILE = {
    "file": "rules.toml (bundled)",
    "version": "3",
    "sha256": BUNDLED_SHA256,
    "horizon": {
        "kuaishou": {"as_of": "2022-10-28", "through": "2022-12-31"},
        "douyin": {"as_of": "2022-10-28", "through": "2022-10-28"},
    },
}


def rule_table(ident: str, verdict: str, sources: list[str], *, platform: str = "p",
               start: str | None = None, end: str | None = None) -> str:  # fmt: skip
    """One [[rule]] table for every surface, with a citation: the shape most tests need."""
    import json

    window = (f"start = {start}\n" if start else "") + (f"end = {end}\n" if end else "")
    return (
        f'\n[[rule]]\nid = "{ident}"\nplatform = "{platform}"\nverdict = "{verdict}"\n'
        f'sources = {json.dumps(sources)}\nsurfaces = "*"\n{window}'
        'citation = { quote = "q", source = "m" }\n'
    )


@contextlib.contextmanager
def hang_guard(seconds: int = 60):
    """Stops a test that hangs (SIGALRM raises in the main thread): a guard against a hang,
    never a measure of speed — the seconds are far above any honest run."""

    def ring(signum, frame):
        raise TimeoutError(f"still running after {seconds} s: it hangs")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def assert_verdicts(rules, source: str, expected: dict[str, str], *,
                    surface: str = "livestream", platform: str | None = None) -> None:  # fmt: skip
    """`source` on `surface` has each expected verdict at each instant ({"2022-10-28":
    "allowed", …}; any --on form), as holidays' assertHoliday states a calendar: every
    instant is checked and the ones that differ are shown together."""
    got = {when: rules.check(source, surface, when, platform=platform).verdict for when in expected}
    assert got == expected, {w: (got[w], expected[w]) for w in expected if got[w] != expected[w]}


def assert_clean_error(result, *fragments: str, code: int = 2) -> None:
    """An error: the exit code, a short message naming the input, no traceback."""
    assert result.exit_code == code, (result.exit_code, result.output, result.stderr)
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert 1 <= len(lines) <= 2, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)


TEAM = """
schema = 1
timezone = "Asia/Shanghai"

[horizon.kuaishou]
as_of = 2023-02-20
through = 2023-12-31

[[rule]]
id = "team-2023-tmall-spring"
platform = "kuaishou"
verdict = "allow"
sources = ["tmall"]
surfaces = ["livestream"]
start = 2023-03-01
end = 2023-03-31
citation = { quote = "test", source = "team memo" }
"""


BASE_DAY = date(2022, 1, 1)
SHANGHAI = timezone(timedelta(hours=8))
WORD = {"allow": "allowed", "deny": "denied", "unknown": "unknown"}

VOCAB = """
schema = 1
timezone = "Asia/Shanghai"
default_platform = "p"
[platforms.p]
name = "P"
[sources.a]
name = "A"
[sources.b]
name = "B"
[surfaces.x]
name = "X"
[surfaces.y]
name = "Y"
"""


@st.composite
def rule_specs(draw, horizon: int, gap: int = 0):
    """gap: the least end - start (0 for inclusive day ends, 1 for exclusive instants)."""
    start = draw(st.none() | st.integers(0, horizon))
    end = draw(st.none() | st.integers((start or 0) + gap, horizon + gap))
    return {
        "verdict": draw(st.sampled_from(["allow", "deny", "unknown"])),
        "sources": draw(st.sets(st.sampled_from(["a", "b"]), min_size=1)),
        "surfaces": draw(st.sampled_from(["*", ("x",), ("y",), ("x", "y")])),
        "start": start,
        "end": end,
    }


def toml_rules(specs, bound) -> str:
    out = []
    for i, s in enumerate(specs):
        surfaces = '"*"' if s["surfaces"] == "*" else str(list(s["surfaces"])).replace("'", '"')
        lines = [
            "[[rule]]",
            f'id = "r{i}"',
            'platform = "p"',
            f'verdict = "{s["verdict"]}"',
            f"sources = {sorted(s['sources'])!r}".replace("'", '"'),
            f"surfaces = {surfaces}",
        ]
        if s["start"] is not None:
            lines.append(f"start = {bound(s['start'])}")
        if s["end"] is not None:
            lines.append(f"end = {bound(s['end'])}")
        out.append("\n".join(lines))
    return 'schema = 1\ntimezone = "Asia/Shanghai"\n\n' + "\n\n".join(out)


def random_ruleset(specs, horizon: int | None, extra: str = ""):
    """The RuleSet of VOCAB (+ `extra` tables) with rule_specs windows counted in days from
    BASE_DAY and, if given, a horizon `horizon` days after it; asserts it loads cleanly."""
    from linkcheck import RuleSet
    from linkcheck.rules import Loader

    text = VOCAB + extra + toml_rules(specs, lambda n: (BASE_DAY + timedelta(days=n)).isoformat())
    text = text.replace('schema = 1\ntimezone = "Asia/Shanghai"\n\n', "", 1)
    if horizon is not None:
        day = (BASE_DAY + timedelta(days=horizon)).isoformat()
        text += f"\n[horizon.p]\nas_of = {BASE_DAY.isoformat()}\nthrough = {day}\n"
    loader = Loader()
    loader.add_text(text, "random.toml")
    assert [p for p in loader.problems if p.level == "error"] == [], loader.problems
    return RuleSet(loader.catalog)


# a generated checklist drawn from every awkward value (the DuckDB and Spark differentials)
SOURCES = ["tmall", "天猫", "TMALL", "淘宝", "jd-self", "京东自营", "jd-pop", "pdd", "快手小店",
           "天猫旗舰店", "天苗", "", "jd-union"]  # fmt: skip
LINKS = ["", "", "https://detail.tmall.com/item.htm?id=1&spm=x", "item.jd.com/100012043978.html",
         "https://m.tb.cn/h.abc", "https://evil.cn/?u=detail.tmall.com", "ftp://x"]  # fmt: skip
SURFACES = ["", "livestream", "直播", "短视频", "直播、短视频", "all", "商家详情页", "nope"]
DATES = ["2022-11-11", "2022/11/30", "2022-12-01", "2022年11月20日", "双11", "2018-07-15",
         "2023-02-01", "2022-02-30", "", "2022-10-28 00:00", "2022-12-31T15:59:59Z"]  # fmt: skip
TITLES = ["保温杯", '"爆款", 直播专享', "=SUM(1,2)", "-12.5", "+86 138", "@x", "\tindent",
          "line\nbreak", "cr\rhere", " spaced ", "", "a;b|c"]  # fmt: skip
PLATFORMS = ["", "快手", "kuaishou", "douyin", "微博"]


def differential(rows: int, seed: int, mixed: float = 1.0) -> list[list[str]]:
    """`rows` checklist rows; a share `mixed` of them drawn from every awkward value, the
    rest plain (a source id, a surface, a date, a title)."""
    rng = random.Random(seed)
    out = [["sku", "来源", "商品链接", "场景", "直播时间", "平台", "title"]]
    for i in range(rows):
        if rng.random() < 0.02:
            out.append(["", "", "", "", "", "", ""])  # a blank row: skipped and counted
            continue
        if rng.random() >= mixed:
            plain = [rng.choice(["tmall", "jd-self", "taobao"]), "", rng.choice(["", "直播"]),
                     rng.choice(DATES[:3]), "", "t"]  # fmt: skip
            out.append([f"{i:05d}", *plain])
            continue
        out.append([
            f"{i:05d}", rng.choice(SOURCES), rng.choice(LINKS), rng.choice(SURFACES),
            rng.choice(DATES), rng.choice(PLATFORMS), rng.choice(TITLES),
        ])  # fmt: skip
    return out


def batch_under_512_mib(*args: str, stdin=None, prelude: str = "", timeout: float = 120):
    """`linkcheck batch ARGS` in another process whose address space is limited to 512 MiB
    (and whose files to 3 GiB: a run that would fill the disk stops instead). `prelude` is
    Python run first (a bound set lower, so that a test need not write gigabytes); `stdin`:
    a file object or None (nothing)."""
    import subprocess
    import sys

    code = (
        "import resource, sys;"
        "resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20));"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (3 << 30, 3 << 30));"
        f"{prelude + ';' if prelude else ''}"
        "from linkcheck.cli import main; sys.argv = ['linkcheck', 'batch', *sys.argv[1:]]; main()"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        stdin=stdin if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def open_record(text: str, delimiter: str) -> tuple[int, int] | None:
    """Where `text` ends inside a quoted cell, as csv reads it (quotes doubled inside, text
    after a closing quote kept, a quote inside a bare cell a character): (the line its record
    starts on, the last line), 1-based; None when every record closes. A reference for the
    readers, written from csv's states, not from linkcheck's."""
    lines = io.StringIO(text, newline="").readlines()
    state, start = "record", 0
    for number, line in enumerate(lines, start=1):
        if state == "record":
            state, start = "field", number
        for c in line:
            if state == "field":
                state = "quoted" if c == '"' else "end" if c in "\r\n" else (
                    "field" if c == delimiter else "bare"
                )  # fmt: skip
            elif state == "bare":
                state = "field" if c == delimiter else "end" if c in "\r\n" else "bare"
            elif state == "quoted":
                state = "closed" if c == '"' else "quoted"
            elif state == "closed":  # after a quote inside a quoted cell
                state = ("quoted" if c == '"' else "field" if c == delimiter
                         else "end" if c in "\r\n" else "bare")  # fmt: skip
        if state != "quoted":  # a line's end ends its record unless a quoted cell is open
            state = "record"
    return (start, len(lines)) if state == "quoted" else None
