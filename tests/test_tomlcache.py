"""The parsed-rules cache: same answers with it, never stale, harmless when broken."""

from __future__ import annotations

import os

import linkcheck
from linkcheck import tomlcache
from linkcheck.rules import Loader, bundled_rules


def _catalog_rules(monkeypatch, folder):
    monkeypatch.setenv("LINKCHECK_CACHE_DIR", str(folder))
    loader = Loader()
    loader.add_bundled()
    assert loader.problems == []
    return loader.catalog.rules


def test_a_cached_parse_gives_the_same_rules(tmp_path, monkeypatch):
    cold = _catalog_rules(monkeypatch, tmp_path)
    cached_files = list(tmp_path.iterdir())
    assert len(cached_files) == 1
    warm = _catalog_rules(monkeypatch, tmp_path)
    assert warm == cold  # every field, the instants of every window included
    assert tomlcache.load(bundled_rules()) is not None


def test_a_cached_file_is_not_parsed_again(tmp_path, monkeypatch):
    cold = _catalog_rules(monkeypatch, tmp_path)

    def no_parse(text):
        raise AssertionError("parsed although the cache holds this file")

    monkeypatch.setattr("tomllib.loads", no_parse)
    assert _catalog_rules(monkeypatch, tmp_path) == cold


def test_changed_bytes_are_never_served_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LINKCHECK_CACHE_DIR", str(tmp_path))
    team = tmp_path / "team.toml"
    text = (
        "schema = 1\n[horizon.kuaishou]\nas_of = 2023-01-01\nthrough = 2023-12-31\n"
        '[[rule]]\nid = "t"\nplatform = "kuaishou"\nverdict = "deny"\n'
        'sources = ["pinduoduo"]\nsurfaces = "*"\nstart = 2023-01-01\n'
    )
    team.write_text(text, encoding="utf-8")
    assert linkcheck.load_rules([team]).check("pdd", "livestream", "2023-01-01").verdict == "denied"
    team.write_text(text.replace('"deny"', '"allow"'), encoding="utf-8")
    assert (
        linkcheck.load_rules([team]).check("pdd", "livestream", "2023-01-01").verdict == "allowed"
    )


def test_a_corrupt_cache_file_is_ignored(tmp_path, monkeypatch):
    _catalog_rules(monkeypatch, tmp_path)
    (cache_file,) = tmp_path.iterdir()
    cache_file.write_bytes(b"\x00garbage")
    assert tomlcache.load(bundled_rules()) is None
    assert linkcheck.load_rules().check("tmall", "livestream", "2022-11-11").verdict == "allowed"


def test_the_cache_can_be_switched_off_or_unwritable(tmp_path, monkeypatch):
    monkeypatch.setenv("LINKCHECK_CACHE_DIR", "")
    assert tomlcache.cache_dir() is None
    assert linkcheck.load_rules().check("tmall", "livestream", "2022-11-11").verdict == "allowed"
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    monkeypatch.setenv("LINKCHECK_CACHE_DIR", str(blocked / "sub"))
    assert linkcheck.load_rules().check("tmall", "livestream", "2022-11-11").verdict == "allowed"
    assert os.listdir(tmp_path) == ["file-not-folder"]
