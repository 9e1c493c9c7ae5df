"""No content of the parsed-rules cache can change an answer or stop the tool (issue: Hardening)."""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path

import pytest

import linkcheck
from linkcheck import tomlcache
from linkcheck.rules import bundled_rules

ANSWER = ("tmall", "livestream", "2022-12-25")  # allowed, by kuaishou-2022-tmall-window


def _entry(folder) -> str:
    return tomlcache._path(str(folder), bundled_rules())


def _seal(payload: bytes) -> bytes:
    """An entry with a good checksum around any payload."""
    return tomlcache._MAGIC + f"{zlib.crc32(payload):08x}".encode() + payload


def _blob(doc) -> bytes:
    stored = [tomlcache._FORMAT, bundled_rules().decode("utf-8"), tomlcache._freeze(doc)]
    return _seal(json.dumps(stored, ensure_ascii=False).encode())


def _planted_doc() -> dict:
    """The bundled document with the Tmall window turned into a denial."""
    import tomllib

    doc = tomllib.loads(bundled_rules().decode("utf-8"))
    for rule in doc["rule"]:
        if rule["id"] == "kuaishou-2022-tmall-window":
            rule["verdict"] = "deny"
    return doc


@pytest.fixture
def private(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("LINKCHECK_CACHE_DIR", str(folder))
    return folder


def test_a_shared_folder_is_never_used(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    monkeypatch.setenv("LINKCHECK_CACHE_DIR", str(shared))
    with open(_entry(shared), "wb") as f:
        f.write(_blob(_planted_doc()))  # a well-formed entry someone else planted
    assert linkcheck.load_rules().check(*ANSWER).verdict == "allowed"
    assert os.listdir(shared) == [os.path.basename(_entry(shared))]  # nothing written there


def test_a_folder_writable_by_the_group_is_never_used(tmp_path, monkeypatch):
    folder = tmp_path / "group"
    folder.mkdir()
    os.chmod(folder, 0o770)
    monkeypatch.setenv("LINKCHECK_CACHE_DIR", str(folder))
    linkcheck.load_rules()
    assert os.listdir(folder) == []


def test_a_missing_folder_is_made_private(tmp_path, monkeypatch):
    folder = tmp_path / "new" / "cache"
    monkeypatch.setenv("LINKCHECK_CACHE_DIR", str(folder))
    linkcheck.load_rules()
    assert os.stat(folder).st_mode & 0o777 == 0o700
    (entry,) = os.listdir(folder)
    assert os.stat(folder / entry).st_mode & 0o777 == 0o600


def test_a_flipped_byte_is_detected_and_the_entry_replaced(private):
    linkcheck.load_rules()  # stores the entry
    path = _entry(private)
    blob = bytearray(Path(path).read_bytes())
    blob[len(blob) // 2] ^= 0x01
    Path(path).write_bytes(bytes(blob))
    assert linkcheck.load_rules().check(*ANSWER).verdict == "allowed"
    assert Path(path).read_bytes() != bytes(blob)  # replaced by a good one
    assert tomlcache.load(bundled_rules()) is not None


@pytest.mark.parametrize(
    "blob",
    [
        b"",
        b"garbage",
        tomlcache._MAGIC + b"00000000",
        b'[3, "x", {}]',  # another file's entry
        b"\x00" * 4096,
    ],
    ids=["empty", "garbage", "magic-only", "other-file", "zeros"],
)
def test_damaged_entries_are_not_used(private, blob):
    Path(_entry(private)).write_bytes(blob)
    assert linkcheck.load_rules().check(*ANSWER).verdict == "allowed"


@pytest.mark.parametrize(
    "frozen",
    [
        {"schema": ["D", 5]},  # a date that is not text
        {"schema": ["nope", "x"]},  # an unknown tag
        {"schema": []},  # an untagged array
        {"schema": None},  # not a TOML value
        ["A", "not a table"],
    ],
    ids=["date-not-text", "unknown-tag", "untagged", "null", "not-a-table"],
)
def test_crafted_entries_with_a_good_checksum_are_not_used(private, frozen):
    stored = [tomlcache._FORMAT, bundled_rules().decode("utf-8"), frozen]
    Path(_entry(private)).write_bytes(_seal(json.dumps(stored).encode()))
    assert linkcheck.load_rules().check(*ANSWER).verdict == "allowed"


def test_a_symlinked_entry_is_not_followed(private, tmp_path):
    target = tmp_path / "elsewhere.bin"
    target.write_bytes(_blob(_planted_doc()))
    os.symlink(target, _entry(private))
    assert linkcheck.load_rules().check(*ANSWER).verdict == "allowed"


def test_temporary_names_are_unpredictable_and_exclusive(private, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    for pid in (os.getpid(), os.getpid() + 1):  # the old predictable names
        os.symlink(victim, f"{_entry(private)}.{pid}.tmp")
    linkcheck.load_rules()
    assert victim.read_text() == "keep me"
    assert tomlcache.load(bundled_rules()) is not None


def test_cache_on_and_off_agree(private, monkeypatch):
    on = linkcheck.load_rules()
    on_again = linkcheck.load_rules()  # served from the cache
    monkeypatch.setenv("LINKCHECK_CACHE_DIR", "")
    off = linkcheck.load_rules()
    assert on.rules == on_again.rules == off.rules
    assert on.catalog.horizons == on_again.catalog.horizons == off.catalog.horizons


def test_an_entry_cannot_make_the_loader_allocate_without_bound(private):
    """Found by the cache fuzzer: with marshal, an entry with a good checksum could claim a
    list of two billion items (8 bytes each, allocated before a single item is read). The
    entry is JSON now: what it allocates is bounded by what it holds (at most 8 MiB)."""
    bomb = b"[" + (0x7FFFFFFF).to_bytes(4, "little") + b"N"
    Path(_entry(private)).write_bytes(_seal(bomb))
    assert linkcheck.load_rules().check(*ANSWER).verdict == "allowed"


def test_a_real_entry_round_trips_every_toml_type(private):
    import tomllib
    from datetime import date, datetime, time, timedelta, timezone

    doc = {
        "s": "天猫", "i": -7, "f": -0.0, "inf": float("inf"), "b": True,
        "d": date(2022, 11, 11), "t": time(20, 0, 0, 500000),
        "dt": datetime(2022, 11, 11, 20, tzinfo=timezone(timedelta(hours=8))),
        "naive": datetime(2022, 11, 11, 20), "a": [[1, 2], ["A"], []], "tbl": {"A": ["D"]},
    }  # fmt: skip
    data = b"x = 1\n"
    tomlcache.store(data, doc)
    assert tomlcache.load(data) == doc
    assert tomllib.loads("x = 1") == {"x": 1}
