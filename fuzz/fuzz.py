"""Coverage-guided fuzzing of every parser with atheris (development only).

    pip install atheris
    python fuzz/fuzz.py TARGET [libFuzzer options]      e.g. -max_total_time=600
    TARGET: links | dates | rules | cache | checklist | workbook | duckdb

Each target feeds arbitrary bytes to one parser and fails (a crash report and the input
that caused it, saved by libFuzzer as crash-*) on any exception other than the project's
own errors, and on any answer that differs between two ways of getting it (cache on and
off, the link's host and the classification, the Python and the DuckDB engine). A finding
becomes a regression test in tests/adversarial/.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import atheris

with atheris.instrument_imports():
    import linkcheck
    from linkcheck import batch, tomlcache
    from linkcheck.batch import (  # columnar and csvshape loaded here: instrumented
        ChecklistOptions,
        columnar,  # noqa: F401
        csvshape,  # noqa: F401
        run_checklist,
    )
    from linkcheck.batch.workbook import read_xlsx
    from linkcheck.errors import LinkcheckError
    from linkcheck.links import classify_host, link_host
    from linkcheck.when import parse_when

os.environ["LINKCHECK_CACHE_DIR"] = ""  # targets that want the cache set it themselves
RULES = linkcheck.load_rules()
NOW = datetime(2022, 11, 11, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SHANGHAI = ZoneInfo("Asia/Shanghai")
WORK = tempfile.mkdtemp(prefix="linkcheck-fuzz-")
CACHE = os.path.join(WORK, "cache")
os.makedirs(CACHE, mode=0o700)


def _text(data: bytes) -> str:
    return atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))


def links(data: bytes) -> None:
    text = _text(data)
    try:
        resolved = RULES.classify(text)
    except LinkcheckError:
        return
    host = link_host(text)  # a link that classified has a host, and the host says the same
    assert classify_host(host, RULES.catalog).candidates == resolved.candidates
    # no look-alike: the host is a declared domain or ends with "." and one
    assert any(host == d or host.endswith("." + d) for d in DOMAINS), host


DOMAINS = [
    d
    for entry in [*RULES.catalog.sources.values(), *RULES.catalog.groups.values()]
    for d in entry.domains
]


def dates(data: bytes) -> None:
    text = _text(data)
    try:
        at = parse_when(text, SHANGHAI, NOW)
    except LinkcheckError:
        return
    assert at.tzinfo is not None
    assert parse_when(text, SHANGHAI, NOW) == at  # the same text, the same instant


def _load(path: str):
    try:
        rules = linkcheck.load_rules([path], defaults=False)
    except LinkcheckError as exc:
        return str(exc)
    out = []
    for platform in sorted(rules.catalog.platforms):
        for source in sorted(rules.catalog.sources):
            for surface in sorted(rules.catalog.surfaces):
                timeline = rules.timeline(platform, source, surface)
                out.append(
                    [(s, e, r.id if r else None, why) for s, e, r, why in timeline.segments()]
                )
    return out


def rules(data: bytes) -> None:
    path = os.path.join(WORK, "team.toml")
    with open(path, "wb") as f:
        f.write(data)
    os.environ["LINKCHECK_CACHE_DIR"] = ""
    off = _load(path)
    os.environ["LINKCHECK_CACHE_DIR"] = CACHE
    try:
        assert _load(path) == off == _load(path)  # stored, then served from the cache
    finally:
        os.environ["LINKCHECK_CACHE_DIR"] = ""


BUNDLED = (Path(__file__).parent.parent / "rules.toml").read_bytes()


def cache(data: bytes) -> None:
    """Any bytes planted as the cache entry of the bundled rules: never an exception, and
    never a document other than the one the file parses to."""
    doc = tomlcache._unpack(data, BUNDLED)
    assert doc is None or isinstance(doc, dict)


def checklist(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    fmt = fdp.PickValueInList(["csv", "tsv", "jsonl"])
    body = fdp.ConsumeBytes(len(data))
    try:
        header, rows, _ = batch.read_input(io.BytesIO(body), fmt, None)[:3]
        columns = batch.Columns.find(header)
        checker = batch.Checker(RULES, columns, ("livestream",), "2022-11-11", None)
        seen = {}
        scan = batch.formula_scan(rows)
        for row in rows:
            if scan is not None and any(c[:1] and c[0] in "=+-@\t\r" for c in row):
                assert scan.seen, row  # no formula cell is given out before the scan saw it
            if isinstance(row, batch.BadRow) or len(row) != len(header):
                continue
            got = [list(a) for a in checker.decide(list(row))]
            fresh = batch.Checker(RULES, columns, ("livestream",), "2022-11-11", None)
            assert got == [list(a) for a in fresh.decide(list(row))]  # caches change nothing
            seen[tuple(row)] = got
    except (LinkcheckError, UnicodeDecodeError, csv.Error):
        return


def _answers(path: str, engine: str, options: list[str]):
    """What run_checklist gives for the file with this engine: (the bytes written, the
    counts, the notices), or the error it raised (as text)."""
    out = io.BytesIO()
    notices: list[str] = []
    settings = ChecklistOptions(when="2022-11-11", engine=engine, raw_cells="raw" in options,
                                surfaces=("all",) if "all" in options else ())  # fmt: skip
    try:
        summary = run_checklist(path, out, options=settings, rules=RULES,
                                notice=lambda m: notices.append(str(m)))  # fmt: skip
    except LinkcheckError as exc:
        return f"{type(exc).__name__}: {exc}"
    return out.getvalue(), summary.counts, notices


def duckdb(data: bytes) -> None:
    """Any bytes as a CSV or TSV checklist: the DuckDB engine writes the Python engine's
    bytes and counts, or says it left the file to the Python engine (and then the same)."""
    fdp = atheris.FuzzedDataProvider(data)
    suffix = fdp.PickValueInList([".csv", ".tsv"])
    options = [o for o in ("raw", "all") if fdp.ConsumeBool()]
    path = os.path.join(WORK, "checklist" + suffix)
    with open(path, "wb") as f:
        f.write(fdp.ConsumeBytes(len(data)))
    python = _answers(path, "python", options)
    duck = _answers(path, "duckdb", options)
    if isinstance(python, str):  # the input itself refused: the same error, whichever engine
        assert duck == python, (duck, python)
        return
    assert not python[2], python[2]
    assert duck[:2] == python[:2], (duck, python)
    assert len(duck[2]) <= 1 and all("checked by the Python engine" in n for n in duck[2])


def workbook(data: bytes) -> None:
    """Any bytes as an .xlsx checklist: read as the reader gives rows (every cell a text),
    then through run_checklist into CSV, JSON Lines or a workbook, as `batch` runs it —
    refused with the project's own error, or answered; never another exception."""
    fdp = atheris.FuzzedDataProvider(data)
    out_format = fdp.PickValueInList(["csv", "jsonl", "xlsx"])
    body = fdp.ConsumeBytes(len(data))
    try:
        _header, rows = read_xlsx(io.BytesIO(body))
        for row in rows:
            assert all(type(c) is str for c in row)
    except LinkcheckError:
        pass
    path = os.path.join(WORK, "checklist.xlsx")
    with open(path, "wb") as f:
        f.write(body)
    settings = ChecklistOptions(when="2022-11-11", surfaces=("livestream",),
                                output_format=out_format)  # fmt: skip
    try:
        run_checklist(path, io.BytesIO(), options=settings, rules=RULES)
    except LinkcheckError:
        return


TARGETS = {f.__name__: f for f in (links, dates, rules, cache, checklist, workbook, duckdb)}


def seeds(name: str) -> list[bytes]:
    """Valid inputs to start from: random bytes alone rarely get past a zip header or a
    cache entry's checksum."""
    if name == "links":
        return [
            b"https://detail.tmall.com/item.htm?id=1",
            b"https://item.jd.com/1.html",
            b"//m.tb.cn/h.x?tk=1",
            b"https://mobile.yangkeduo.com/goods.html?goods_id=1",
        ]
    if name == "dates":
        return [
            b"2022-11-11",
            b"Nov 11 2022 8:00 pm +08:00",
            "2022年双11 20点".encode(),
            b"2022-11-11T23:59:59.5Z",
            b"+3d",
        ]
    if name == "rules":
        return [BUNDLED]
    if name == "cache":
        import json
        import tomllib
        import zlib

        doc = tomlcache._freeze(tomllib.loads(BUNDLED.decode("utf-8")))
        stored = [tomlcache._FORMAT, BUNDLED.decode("utf-8"), doc]
        payload = json.dumps(stored, ensure_ascii=False).encode()
        return [tomlcache._MAGIC + f"{zlib.crc32(payload):08x}".encode() + payload]
    if name == "duckdb":
        return [
            "source,date,surface,title\ntmall,2022-11-11,直播,\"a, \"\"b\"\"\"\n".encode(),
            b'\x00source\turl\r\n"jd-self"\thttps://item.jd.com/1.html#x\r\n =1\t\r\n',
            (Path(__file__).parent.parent / "examples" / "products.csv").read_bytes(),
        ]  # fmt: skip
    if name == "checklist":
        return [
            "csv\nsource,url,date,surface\n天猫,,2022-11-11,直播\n".encode()[4:],
            b'{"source": "tmall", "date": "2022-11-11", "n": 1.0}\n',
        ]
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["双11直播选品表"])
    book.active.append(["source", "date", "url", "price"])
    book.active.append(["tmall", "2022-11-11", "点此打开", 12.5])
    book.active["C3"].hyperlink = "https://detail.tmall.com/item.htm?id=1"
    buffer = io.BytesIO()
    book.save(buffer)
    # the output format is the last byte (FuzzedDataProvider takes numbers from the end)
    return [buffer.getvalue() + bytes([i]) for i in range(3)]  # fmt: skip


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: python fuzz/fuzz.py {{{'|'.join(TARGETS)}}} [libFuzzer options]")
    name = sys.argv.pop(1)
    if not any(not arg.startswith("-") for arg in sys.argv[1:]):  # no corpus given: seed one
        corpus = tempfile.mkdtemp(prefix=f"linkcheck-fuzz-{name}-")
        for i, seed in enumerate(seeds(name)):
            with open(os.path.join(corpus, f"seed{i}"), "wb") as f:
                f.write(seed)
        sys.argv.append(corpus)
    atheris.Setup(sys.argv, TARGETS[name])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
