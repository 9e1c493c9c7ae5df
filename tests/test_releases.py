"""Rules releases through a real TUF repository: made and published with the commands,
served by http.server on 127.0.0.1, trusted, updated, rolled back — and every attack of
SPEC §12 refused with the installed release and every answer unchanged."""

from __future__ import annotations

import http.server
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import pytest

from tests.helpers import assert_clean_error

pytest.importorskip("tuf")

TEAM = """schema = 1
timezone = "Asia/Shanghai"
version = "{version}"

[horizon.kuaishou]
as_of = {as_of}
through = {through}

[[rule]]
id = "{rule}"
platform = "kuaishou"
verdict = "{verdict}"
sources = ["tmall"]
surfaces = ["livestream", "short-video"]
start = {start}
end = 2023-06-30
citation = {{ quote = "Team memo", source = "memo", by = "team" }}
"""


def team(version="2023.02.20", verdict="allow", start="2023-03-01", through="2023-12-31",
         rule="team-2023-tmall", as_of="2023-02-20") -> str:  # fmt: skip
    return TEAM.format(version=version, verdict=verdict, start=start, through=through,
                       rule=rule, as_of=as_of)  # fmt: skip


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the repository; a path in `cut` is sent half, then the connection closes
    (a server stopped mid-download)."""

    cut: ClassVar[set[str]] = set()

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        name = self.path.rsplit("/", 1)[-1]
        if not any(name.endswith(c) for c in self.cut):
            return super().do_GET()
        data = Path(self.translate_path(self.path)).read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        self.close_connection = True
        return None


class Served:
    """A repository folder served on 127.0.0.1 in a thread."""

    def __init__(self, folder: Path) -> None:
        handler = type("H", (Handler,), {"cut": set()})
        self.handler = handler

        def make(*args, **kwargs):
            return handler(*args, directory=str(folder), **kwargs)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.thread.is_alive():
            self.server.shutdown()
            self.server.server_close()
            self.thread.join()


@pytest.fixture
def place(tmp_path, monkeypatch):
    """A maintainer's folder and an empty user: XDG folders of this test alone."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def ok(result, code: int = 0):
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def repo(place, run):
    """A repository with release 1 published, served; the user trusts it."""
    ok(run("rules", "repo", "init", "repo"))
    (place / "team.toml").write_text(team(), encoding="utf-8")
    ok(run("rules", "publish", "team.toml", "--repo", "repo"))
    served = Served(place / "repo")
    ok(run("rules", "trust", served.url, "--root", "repo/metadata/1.root.json"))
    yield served
    served.stop()


def answer(run, *extra) -> str:
    result = run("check", "tmall", "--on", "2023-06-01", "-s", "livestream", "--format", "plain",
                 *extra)  # fmt: skip
    assert result.exit_code in (0, 1, 3), result.stderr
    return result.stdout


def state(place: Path) -> dict[str, bytes]:
    """Every file the installed release is made of, with its bytes."""
    folder = place / "data" / "linkcheck" / "release"
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".lock"}  # fmt: skip


ALLOWED = "allowed\tkuaishou\ttmall\tlivestream\t2023-06-01T00:00:00+08:00\tteam-2023-tmall\n"
DENIED = "denied\tkuaishou\ttmall\tlivestream\t2023-06-01T00:00:00+08:00\tteam-2023-tmall-off\n"
BUNDLED = "unknown\tkuaishou\ttmall\tlivestream\t2023-06-01T00:00:00+08:00\t-\n"


# ---------------------------------------------------------------------- the happy path


def test_update_installs_the_release_and_rollback_returns_the_old_answer(repo, run, place):
    assert answer(run) == BUNDLED
    out = ok(run("rules", "update"))
    beyond = "unknown → allowed (beyond the horizon → {})"
    assert out.splitlines() == [
        f"rules release: the bundled rules alone → 2023.02.20 (release 1), installed from "
        f"{repo.url}",
        "kuaishou · horizon: 2022-12-31 → 2023-12-31 (as of 2023-02-20)",
        "  kuaishou · tmall · livestream · 2023-03-01 → 2023-06-30: "
        + beyond.format("team-2023-tmall"),
        "  kuaishou · tmall · short-video · 2023-03-01 → 2023-06-30: "
        + beyond.format("team-2023-tmall"),
        *(f"  kuaishou · kuaishou-shop · {surface} · 2023-01-01 → 2023-12-31: "
          + beyond.format("kuaishou-shop")
          for surface in ("livestream", "short-video", "merchant-page", "live-preview")),
    ]  # fmt: skip
    assert answer(run) == ALLOWED
    assert answer(run, "--no-release") == BUNDLED

    (place / "team.toml").write_text(
        team("2023.05.01", "deny", "2023-05-01", rule="team-2023-tmall-off", as_of="2023-05-01")
    )  # fmt: skip
    ok(run("rules", "publish", "team.toml", "--repo", "repo"))
    out = ok(run("rules", "update"))
    was = "allowed → {} (team-2023-tmall → {})"
    assert out.splitlines() == [
        f"rules release: 2023.02.20 (release 1) → 2023.05.01 (release 2), installed from "
        f"{repo.url}",
        "kuaishou · horizon: 2023-12-31 → 2023-12-31 (as of 2023-05-01)",
        *(line
          for surface in ("livestream", "short-video")
          for line in (
              f"  kuaishou · tmall · {surface} · 2023-03-01 → 2023-04-30: "
              + was.format("unknown", "kuaishou-2022-after-tmall-window"),
              f"  kuaishou · tmall · {surface} · 2023-05-01 → 2023-06-30: "
              + was.format("denied", "team-2023-tmall-off"))),
    ]  # fmt: skip
    assert answer(run) == DENIED

    assert ok(run("rules", "rollback")) == (
        "rules release: 2023.05.01 (release 2) → 2023.02.20 (release 1); `linkcheck rules "
        "rollback` again returns to 2023.05.01 (release 2)\n"
    )
    assert answer(run) == ALLOWED
    ok(run("rules", "rollback"))
    assert answer(run) == DENIED
    # only the two releases a record names are kept
    folder = place / "data/linkcheck/release"
    record = json.loads((folder / "installed.json").read_text())
    kept = sorted(p.name for p in folder.iterdir() if p.name.startswith("r"))
    assert kept == sorted(record[k]["folder"] for k in ("current", "previous"))


def test_update_says_when_the_release_is_already_the_newest(repo, run):
    ok(run("rules", "update"))
    out = ok(run("rules", "update"))
    assert out.startswith(f"2023.02.20 (release 1) is the newest release of {repo.url}; ")


def test_rollback_after_the_first_update_returns_to_the_bundled_rules(repo, run):
    ok(run("rules", "update"))
    assert "→ the bundled rules alone" in ok(run("rules", "rollback"))
    assert answer(run) == BUNDLED


def test_rollback_with_nothing_installed_says_so(place, run):
    assert_clean_error(run("rules", "rollback"), "no rules release is installed")


def test_a_repository_folder_that_is_gone_is_said_to_be_gone(place, run):
    """A trusted folder moved or a drive not mounted said 'cannot be reached or stopped
    sending (HTTP 404)', as of a web server (a trial)."""
    ok(run("rules", "repo", "init", "repo"))
    (place / "team.toml").write_text(team(), encoding="utf-8")
    ok(run("rules", "publish", "team.toml", "--repo", "repo"))
    ok(run("rules", "trust", "repo", "--root", "repo/metadata/1.root.json"))
    shutil.move(place / "repo", place / "moved")
    assert_clean_error(run("rules", "update"), "update refused: the repository folder",
                       "does not exist (moved, or a drive not mounted?)", code=1)  # fmt: skip
    ok(run("rules", "update", "--from", "moved"))


def test_a_repository_in_a_folder_updates_too(place, run):
    ok(run("rules", "repo", "init", "repo"))
    (place / "team.toml").write_text(team(), encoding="utf-8")
    ok(run("rules", "publish", "team.toml", "--repo", "repo"))
    ok(run("rules", "trust", "repo", "--root", "repo/metadata/1.root.json"))
    shutil.copytree(place / "repo", place / "usb")
    ok(run("rules", "update", "--from", "usb"))
    assert answer(run) == ALLOWED


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_where_a_release_file_goes_is_refused_not_read_for_ever(place, run):
    """`rules trust DIR --root fifo.json` and `rules update --from DIR` whose timestamp.json
    is a FIFO waited for ever, silently, the second holding the release lock (a trial)."""
    ok(run("rules", "repo", "init", "repo"))
    (place / "team.toml").write_text(team(), encoding="utf-8")
    ok(run("rules", "publish", "team.toml", "--repo", "repo"))
    os.mkfifo(place / "fifo.json")
    assert_clean_error(run("rules", "trust", "repo", "--root", "fifo.json"),
                       "cannot read root metadata 'fifo.json': not a regular file")  # fmt: skip
    ok(run("rules", "trust", "repo", "--root", "repo/metadata/1.root.json"))
    shutil.copytree(place / "repo", place / "usb")
    (place / "usb" / "metadata" / "timestamp.json").unlink()
    os.mkfifo(place / "usb" / "metadata" / "timestamp.json")
    assert_clean_error(run("rules", "update", "--from", "usb"), "not a regular file", code=1)
    assert answer(run) == BUNDLED


def test_an_output_never_replaces_the_installed_release(repo, run, place):
    """`rules list -o …/release/<r>/rules.toml` made the installed release a TSV list, and
    every command then refused it; `-o …/installed.json` lost the rollback record (a
    trial). Both are files the run reads: refused as a --rules input is, nothing changed."""
    ok(run("rules", "update"))
    before = state(place)
    folder = place / "data" / "linkcheck" / "release"
    rules = next(folder.glob("*/rules.toml"))
    for target in (rules, folder / "installed.json"):
        assert_clean_error(run("rules", "list", "-o", str(target)), "which this run reads")
        assert_clean_error(run("check", "tmall", "--on", "2023-06-01", "-o", str(target)),
                           "which this run reads")  # fmt: skip
    assert state(place) == before
    assert answer(run) == ALLOWED


ROOT = Path(__file__).parent.parent


def test_a_release_brings_the_documents_it_cites(place, run):
    """examples/cited/team-2023.toml cites a note by its sha256: published with it, installed
    beside it (rules lint checks the quote against it), and a changed byte is refused."""
    shutil.copytree(ROOT / "examples" / "cited", place / "cited")
    ok(run("rules", "repo", "init", "repo"))
    out = ok(run("rules", "publish", "cited/team-2023.toml", "--repo", "repo"))
    assert out.startswith("published cited/team-2023.toml as release 1 (version 2023.05.20): "
                          "notes/2023-05-20.txt, rules.toml\n")  # fmt: skip
    ok(run("rules", "trust", "repo", "--root", "repo/metadata/1.root.json"))
    ok(run("rules", "update"))
    installed = _installed(place)
    note = (place / "cited" / "notes" / "2023-05-20.txt").read_bytes()
    assert (installed.parent / "notes" / "2023-05-20.txt").read_bytes() == note
    result = run("check", "tmall", "--on", "2023-06-10", "-s", "livestream", "--format", "plain")
    assert result.stdout.endswith("\tteam-2023-tmall-618\n")
    ok(run("rules", "lint"))  # the installed release with its documents: no problem

    (place / "cited" / "team-2023.toml").write_text(
        (place / "cited" / "team-2023.toml").read_text().replace("2023.05.20", "2023.05.21", 1)
    )  # fmt: skip
    ok(run("rules", "publish", "cited/team-2023.toml", "--repo", "repo"))
    served = sorted((place / "repo" / "targets" / "notes").iterdir())
    for path in served:
        path.write_bytes(path.read_bytes().replace("6月".encode(), "7月".encode(), 1))
    before = state(place)
    assert_clean_error(run("rules", "update"), "'notes/2023-05-20.txt' of release 2 differs",
                       code=1)  # fmt: skip
    assert state(place) == before


def test_load_order_bundled_then_release_then_rules_files(repo, run, place):
    ok(run("rules", "update"))
    one_off = place / "oneoff.toml"
    one_off.write_text(team("x", "deny", "2023-05-15", rule="one-off"), encoding="utf-8")
    assert answer(run, "--rules", str(one_off)).startswith("denied\t")
    assert "one-off" in answer(run, "--rules", str(one_off))
    assert answer(run) == ALLOWED  # the release over the bundled rules


def test_past_an_installed_releases_horizon_the_hint_is_rules_update(repo, run, place):
    """The hint said to load a newer rules file (--rules FILE) even where the horizon is
    the installed release's, which `rules update` moves (a trial)."""
    ok(run("rules", "update"))
    past = run("check", "tmall", "-s", "直播", "--on", "2024-06-01", "--format", "text",
               ok=False)  # fmt: skip
    assert "get a newer release with `linkcheck rules update`" in " ".join(past.stdout.split())
    bundled = run("check", "tmall", "-s", "直播", "--on", "2024-06-01", "--no-release",
                  "--format", "text", ok=False)  # fmt: skip
    assert "rules update" not in bundled.stdout + bundled.stderr


def test_a_draft_of_the_installed_release_says_to_leave_the_release_out(repo, run, place):
    """A draft with the release's own ids, given with --rules while that release is
    installed: the advice named only 'override = true', not --no-release (a trial)."""
    ok(run("rules", "update"))
    draft = place / "draft.toml"
    draft.write_text(team("2023.03", "deny", "2023-05-15"), encoding="utf-8")
    result = run("check", "tmall", "--on", "2023-06-01", "--rules", str(draft))
    assert_clean_error(result, "is already defined in the installed release (", "--no-release")
    alone = run("check", "tmall", "--on", "2023-06-01", "--no-release", "--rules", str(draft),
                "--format", "plain")  # fmt: skip
    assert alone.stdout.startswith("denied\t"), alone.stderr


# ---------------------------------------------------------------------- refusals


def attack(run, place, *, message: str, setup=None, code: int = 1) -> None:
    """Install release 1, publish release 2, break something, update: refused in one line,
    with the installed release and the answer as they were."""
    ok(run("rules", "update"))
    (place / "team.toml").write_text(
        team("2023.05.01", "deny", "2023-05-01", rule="team-2023-tmall-off", as_of="2023-05-01")
    )  # fmt: skip
    ok(run("rules", "publish", "team.toml", "--repo", "repo"))
    if setup is not None:
        setup()
    before, said = state(place), answer(run)
    result = run("rules", "update")
    assert_clean_error(result, message, code=code)
    assert state(place) == before
    assert answer(run) == said == ALLOWED


CHANGED = "'rules.toml' of release 2 differs from the length or sha256 the repository signed"


def _targets(place: Path) -> list[Path]:
    return sorted((place / "repo" / "targets").glob("*.rules.toml"), key=os.path.getmtime)


def test_refused_one_byte_of_a_target_changed(repo, run, place):
    def flip():
        newest = _targets(place)[-1]
        data = bytearray(newest.read_bytes())
        data[10] ^= 1
        newest.write_bytes(bytes(data))

    attack(run, place, message=CHANGED, setup=flip)


def test_refused_a_target_cut_short(repo, run, place):
    def cut():
        newest = _targets(place)[-1]
        newest.write_bytes(newest.read_bytes()[:-20])

    attack(run, place, message=CHANGED, setup=cut)


def test_refused_a_target_made_longer(repo, run, place):
    # tuf's English words were the reason, inside a Chinese message too (a trial)
    def grow():
        newest = _targets(place)[-1]
        newest.write_bytes(newest.read_bytes() + b"# more\n")

    attack(run, place, setup=grow, message="a downloaded file is longer than expected (")
    result = run("rules", "update", "--lang", "zh")
    assert "Downloaded" not in result.stderr and "bytes exceeding" not in result.stderr


def test_refused_the_server_stopped_mid_download(repo, run, place):
    attack(run, place, message="stopped sending (the connection closed before the file was",
           setup=lambda: repo.handler.cut.add(".rules.toml"))  # fmt: skip


def test_refused_an_unreachable_repository(repo, run, place):
    attack(run, place, message="cannot be reached or stopped sending (Connection refused)",
           setup=repo.stop)  # fmt: skip


def _resign(place: Path, role: str, *, expires=None, key=None, version_step=1) -> None:
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    from securesystemslib.signer import CryptoSigner
    from tuf.api.metadata import Metadata

    path = place / "repo" / "metadata" / f"{role}.json"
    md = Metadata.from_file(str(path))
    md.signed.version += version_step
    if expires is not None:
        md.signed.expires = expires
    if key is None:
        pem = (place / "repo-keys" / f"{role}.pem").read_bytes()
        key = CryptoSigner(load_pem_private_key(pem, None))
    md.signatures.clear()
    md.sign(key, append=True)
    md.to_file(str(path))


def test_refused_an_expired_timestamp(repo, run, place):
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    attack(run, place, message="metadata has expired",
           setup=lambda: _resign(place, "timestamp", expires=past))  # fmt: skip


def test_refused_a_timestamp_signed_with_a_wrong_key(repo, run, place):
    from securesystemslib.signer import CryptoSigner

    wrong = CryptoSigner.generate_ed25519()
    attack(run, place, message="too few or wrong signatures",
           setup=lambda: _resign(place, "timestamp", key=wrong))  # fmt: skip


def test_refused_an_older_timestamp_replayed(repo, run, place):
    old = (place / "repo" / "metadata" / "timestamp.json").read_bytes()
    ok(run("rules", "update"))
    (place / "team.toml").write_text(
        team("2023.05.01", "deny", "2023-05-01", rule="team-2023-tmall-off", as_of="2023-05-01")
    )  # fmt: skip
    ok(run("rules", "publish", "team.toml", "--repo", "repo"))
    ok(run("rules", "update"))
    before, said = state(place), answer(run)
    assert said == DENIED
    (place / "repo" / "metadata" / "timestamp.json").write_bytes(old)  # release 1's timestamp
    assert_clean_error(run("rules", "update"), "older than some already seen", code=1)
    assert state(place) == before
    assert answer(run) == said


def test_refused_an_older_release_even_when_the_tuf_metadata_was_lost(repo, run, place):
    """A whole old copy of the repository served to a client whose TUF metadata is gone:
    TUF has nothing to compare with, the installed release's number still refuses it."""
    shutil.copytree(place / "repo", place / "old-repo")
    ok(run("rules", "update"))
    (place / "team.toml").write_text(
        team("2023.05.01", "deny", "2023-05-01", rule="team-2023-tmall-off", as_of="2023-05-01")
    )  # fmt: skip
    ok(run("rules", "publish", "team.toml", "--repo", "repo"))
    ok(run("rules", "update"))
    before, said = state(place), answer(run)
    shutil.rmtree(place / "repo")
    shutil.copytree(place / "old-repo", place / "repo")
    shutil.rmtree(place / "data" / "linkcheck" / "tuf")
    result = run("rules", "update")
    assert_clean_error(result, "offers release 1, older than release 2 already installed", code=1)
    assert state(place) == before
    assert answer(run) == said == DENIED


def test_refused_an_older_snapshot_replayed(repo, run, place):
    def replay():
        metadata = place / "repo" / "metadata"
        (metadata / "3.snapshot.json").write_bytes((metadata / "2.snapshot.json").read_bytes())

    attack(run, place, message="metadata file differs from the length or sha256 the repository "
           "signed for it: tampered with, replayed", setup=replay)  # fmt: skip


def test_refused_too_few_root_signatures(place, run):
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    from securesystemslib.signer import CryptoSigner
    from tuf.api.metadata import Metadata

    ok(run("rules", "repo", "init", "repo", "--root-threshold", "2"))
    (place / "team.toml").write_text(team(), encoding="utf-8")
    ok(run("rules", "publish", "team.toml", "--repo", "repo"))
    served = Served(place / "repo")
    try:
        ok(run("rules", "trust", served.url, "--root", "repo/metadata/1.root.json"))
        ok(run("rules", "update"))
        before, said = state(place), answer(run)
        # a new root (one more key for targets) signed by one of the two root keys
        root = Metadata.from_file(str(place / "repo/metadata/1.root.json"))
        root.signed.version = 2
        root.signed.add_key(CryptoSigner.generate_ed25519().public_key, "targets")
        pem = (place / "repo-keys" / "root-1.pem").read_bytes()
        root.signatures.clear()
        root.sign(CryptoSigner(load_pem_private_key(pem, None)), append=True)
        root.to_file(str(place / "repo/metadata/2.root.json"))
        assert_clean_error(run("rules", "update"), "too few or wrong signatures", code=1)
        assert state(place) == before
        assert answer(run) == said == ALLOWED
    finally:
        served.stop()


def test_refused_a_release_that_fails_lint(repo, run, place):
    def broken_release():
        from linkcheck.releasing import repository

        folder = str(place / "repo")
        state_ = repository._open(folder)
        signers = repository._signers(state_, str(place / "repo-keys"),
                                      ("targets", "snapshot", "timestamp"))  # fmt: skip
        data = team("2023.06.01", "forbid").encode()  # not a verdict
        previous = repository.release_info(state_.targets.signed)
        repository._release(folder, state_, signers, data, "2023.06.01", {}, {},
                            datetime.now(UTC), timedelta(days=7), previous)  # fmt: skip

    attack(run, place, message="fails `linkcheck rules lint`", setup=broken_release)


@pytest.mark.parametrize(
    ("file_version", "file_through"),
    [("2023.02.20", "2023-12-31"),  # the release already installed, signed as a newer one
     ("2023.09.01", "2023-12-31")],  # its own version, the horizon not the one signed
    ids=["an older file", "another horizon"],
)  # fmt: skip
def test_refused_a_rules_file_that_is_not_the_release_signed(repo, run, place, file_version,
                                                             file_through):  # fmt: skip
    """Signed with the targets key (misused, or a hand-made publish): release 2's metadata
    says version 2023.09.01, horizon 2024-06-30, over a rules file that says otherwise. It
    was installed, and the update and the rollback record stated the signed version while
    the answers came from the file (a trial)."""

    def mislabelled():
        from linkcheck.releasing import repository

        folder = str(place / "repo")
        state_ = repository._open(folder)
        signers = repository._signers(state_, str(place / "repo-keys"),
                                      ("targets", "snapshot", "timestamp"))  # fmt: skip
        data = team(file_version, through=file_through).encode()
        horizon = {"kuaishou": {"as_of": "2023-02-20", "through": "2024-06-30"}}
        previous = repository.release_info(state_.targets.signed)
        repository._release(folder, state_, signers, data, "2023.09.01", horizon, {},
                            datetime.now(UTC), timedelta(days=7), previous)  # fmt: skip

    attack(run, place, message="is not the release the repository signed", setup=mislabelled)


def test_refused_a_release_signed_by_the_online_keys_alone(repo, run, place):
    """The attack the online keys allow: whoever holds the snapshot and timestamp keys (a
    server's) publishes rules of their own, its targets metadata signed with a key of their
    own — refused, the targets key did not sign it."""
    from securesystemslib.signer import CryptoSigner

    def forged_release():
        from linkcheck.releasing import repository

        folder = str(place / "repo")
        state_ = repository._open(folder)
        signers = repository._signers(state_, str(place / "repo-keys"),
                                      ("targets", "snapshot", "timestamp"))  # fmt: skip
        signers["targets"] = [CryptoSigner.generate_ed25519()]
        data = team("2023.06.01", "allow", rule="forged").encode()
        previous = repository.release_info(state_.targets.signed)
        repository._release(folder, state_, signers, data, "2023.06.01", {}, {},
                            datetime.now(UTC), timedelta(days=7), previous)  # fmt: skip

    attack(run, place, message="too few or wrong signatures", setup=forged_release)


def test_the_release_commands_speak_chinese(repo, run, place):
    """Issue 23: everything works in Chinese — an update, its refusal with nothing changed,
    a rollback, a publish refusal."""
    zh = ("--lang", "zh")
    out = ok(run("rules", "update", *zh))
    assert (
        out.splitlines()[0] == f"规则发布版：仅内置规则 → 2023.02.20（第 1 版），从 {repo.url} 安装"
    )
    assert ok(run("rules", "update", *zh)).startswith(
        f"2023.02.20（第 1 版） 就是 {repo.url} 的最新发布版；刚刚验证过，有效期到 "
    )
    (place / "team.toml").write_text(
        team("2023.05.01", "deny", "2023-05-01", rule="team-2023-tmall-off", as_of="2023-05-01")
    )  # fmt: skip
    ok(run("rules", "publish", "team.toml", "--repo", "repo"))
    newest = _targets(place)[-1]
    newest.write_bytes(newest.read_bytes().replace(b"deny", b"DENY"))  # as long as it was
    before = state(place)
    refused = run("rules", "update", *zh)
    assert_clean_error(refused, code=1)
    assert refused.stderr == (
        "错误：拒绝更新：第 2 版的 'rules.toml' 与仓库签名的长度或 sha256 不符：被篡改或不完整\n"
    )
    assert state(place) == before
    assert answer(run) == ALLOWED
    assert ok(run("rules", "rollback", *zh)) == (
        "规则发布版：2023.02.20（第 1 版） → 仅内置规则；再运行一次 `linkcheck rules rollback` "
        "可回到 2023.02.20（第 1 版）\n"
    )
    assert answer(run) == BUNDLED
    again = run("rules", "publish", "team.toml", "--repo", "repo", *zh)
    assert_clean_error(again, code=1)
    assert again.stderr == (
        "错误：未发布：'team.toml' 的版本 '2023.05.01' 不晚于已发布的 '2023.05.01'；请给它一个"
        "更晚的版本号\n"
    )


# ---------------------------------------------------------------------- publish refusals


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (team("2023.02.20"), "does not come after the published '2023.02.20'"),
        (team("2023.1.5"), "does not come after the published '2023.02.20'"),
        (team("2023.03.01", through="2023-11-30"), "horizon of kuaishou would move back"),
        # the same last day in a zone further east ends 6 hours sooner: it was published (a
        # trial), and Shanghai's evening of the 31st went from allowed to unknown
        (team("2023.03.01").replace('"Asia/Shanghai"', '"Pacific/Kiritimati"'),
         "horizon of kuaishou would move back from 2024-01-01T00:00:00+08:00 to "
         "2024-01-01T00:00:00+14:00"),
        (team("2023.03.01").replace('version = "2023.03.01"\n', ""), "has no version"),
        (team("2023.03.01", verdict="forbid"), "lint problem"),
        (team("2023.03.01").replace(", by = \"team\"", "").replace("citation = ", "#"),
         "lint problem"),  # a warning (no citation) refuses too
    ],
    ids=["same version", "older version", "horizon back", "horizon back by its zone",
         "no version", "lint error", "lint warning"],
)  # fmt: skip
def test_publish_refuses_and_writes_nothing(place, run, text, message):
    ok(run("rules", "repo", "init", "repo"))
    (place / "team.toml").write_text(team(), encoding="utf-8")
    ok(run("rules", "publish", "team.toml", "--repo", "repo"))
    listing = sorted(str(p) for p in (place / "repo").rglob("*"))
    (place / "team.toml").write_text(text, encoding="utf-8")
    assert_clean_error(run("rules", "publish", "team.toml", "--repo", "repo"), message, code=1)
    assert sorted(str(p) for p in (place / "repo").rglob("*")) == listing


def test_publish_names_a_missing_file_and_a_missing_repository(place, run):
    ok(run("rules", "repo", "init", "repo"))
    assert_clean_error(run("rules", "publish", "nothing.toml", "--repo", "repo"),
                       "cannot publish 'nothing.toml': rules file not found")  # fmt: skip
    (place / "team.toml").write_text(team(), encoding="utf-8")
    assert_clean_error(run("rules", "publish", "team.toml", "--repo", "elsewhere"),
                       "'elsewhere' is not a rules repository")  # fmt: skip


def test_a_horizon_whose_zone_reaches_further_publishes(place, run):
    """The same last day in a zone further west ends later: a release may reach further."""
    ok(run("rules", "repo", "init", "repo"))
    (place / "team.toml").write_text(team(), encoding="utf-8")
    ok(run("rules", "publish", "team.toml", "--repo", "repo"))
    west = team("2023.03.01").replace('"Asia/Shanghai"', '"America/Los_Angeles"')
    (place / "team.toml").write_text(west, encoding="utf-8")
    assert ok(run("rules", "publish", "team.toml", "--repo", "repo")).startswith(
        "published team.toml as release 2"
    )


def test_a_later_version_publishes(place, run):
    ok(run("rules", "repo", "init", "repo"))
    (place / "team.toml").write_text(team("2023.9.1"), encoding="utf-8")
    ok(run("rules", "publish", "team.toml", "--repo", "repo"))
    (place / "team.toml").write_text(team("2023.10.1"), encoding="utf-8")
    out = ok(run("rules", "publish", "team.toml", "--repo", "repo", "--expires", "2w"))
    assert out.startswith(
        "published team.toml as release 2 (version 2023.10.1, after 2023.9.1): rules.toml\n"
    )


def test_a_publish_reads_the_repository_under_its_lock(place, run, monkeypatch):
    """Six publishes at once each read release 4 and wrote release 5 over each other, all
    saying so (a trial): the repository was read before the lock was taken. Here another
    publish completes while this one checks its rules file — this one then comes after it
    (release 3, after 2023.10.1), and one that finds the lock held writes nothing."""
    from datetime import UTC, datetime, timedelta

    from linkcheck.releasing import locked, repository

    ok(run("rules", "repo", "init", "repo"))
    (place / "v1.toml").write_text(team("2023.9.1"), encoding="utf-8")
    ok(run("rules", "publish", "v1.toml", "--repo", "repo"))
    (place / "v2.toml").write_text(team("2023.10.1"), encoding="utf-8")
    (place / "v3.toml").write_text(team("2023.12.1"), encoding="utf-8")
    real = repository._checked
    others: list[str] = []

    def checked(path):
        found = real(path)
        if not others:  # another maintainer's publish, while this one checks its file
            others.append(path)
            now = datetime.now(UTC)
            repository.publish("v2.toml", "repo", None, timedelta(days=7), now)
        return found

    monkeypatch.setattr(repository, "_checked", checked)
    out = ok(run("rules", "publish", "v3.toml", "--repo", "repo"))
    assert out.startswith("published v3.toml as release 3 (version 2023.12.1, after 2023.10.1)")
    published = {p: p.read_bytes() for p in sorted((place / "repo").rglob("*")) if p.is_file()}
    (place / "v4.toml").write_text(team("2024.1.1"), encoding="utf-8")
    with locked(str(place / "repo-keys"), ".publish.lock"):
        assert_clean_error(run("rules", "publish", "v4.toml", "--repo", "repo"),
                           "another linkcheck is working")  # fmt: skip
        assert_clean_error(run("rules", "repo", "refresh", "repo"),
                           "another linkcheck is working")  # fmt: skip
    assert {p: p.read_bytes() for p in sorted((place / "repo").rglob("*"))
            if p.is_file()} == published  # fmt: skip


def test_init_writes_private_keys_outside_the_repository(place, run):
    out = ok(run("rules", "repo", "init", "repo"))
    assert "keep the root key offline" in out
    keys = place / "repo-keys"
    assert sorted(p.name for p in keys.iterdir()) == [
        "root.pem", "snapshot.pem", "targets.pem", "timestamp.pem"
    ]  # fmt: skip
    assert {oct(p.stat().st_mode & 0o777) for p in keys.iterdir()} == {"0o600"}
    assert oct(keys.stat().st_mode & 0o777) == "0o700"
    assert sorted(p.name for p in (place / "repo" / "metadata").iterdir()) == [
        "1.root.json", "1.snapshot.json", "1.targets.json", "timestamp.json"
    ]  # fmt: skip
    assert_clean_error(run("rules", "repo", "init", "repo"), "already holds a repository")
    assert_clean_error(run("rules", "repo", "init", "other", "--keys", "other/keys"),
                       "is inside the repository")  # fmt: skip
    assert_clean_error(run("rules", "repo", "init", "other", "--keys", "repo-keys"),
                       "keys are never overwritten")  # fmt: skip
    (place / "afile").write_text("", encoding="utf-8")  # a folder under a file: a traceback
    assert_clean_error(run("rules", "repo", "init", "r9", "--keys", "afile/k"),
                       "cannot make the repository 'r9' with its keys in 'afile/k'")  # fmt: skip
    assert_clean_error(run("rules", "repo", "init", "afile/r"),
                       "cannot make the repository 'afile/r'")  # fmt: skip


def test_refresh_keeps_updates_verifying(repo, run, place):
    ok(run("rules", "update"))
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    _resign(place, "timestamp", expires=past)
    assert_clean_error(run("rules", "update"), "metadata has expired", code=1)
    assert ok(run("rules", "repo", "refresh", "repo")).startswith("signed again: timestamp;")
    assert "is the newest release" in ok(run("rules", "update"))


# ---------------------------------------------------------------------- the installed file


def _installed(place: Path) -> Path:
    record = json.loads((place / "data/linkcheck/release/installed.json").read_text())
    return place / "data/linkcheck/release" / record["current"]["folder"] / "rules.toml"


def test_an_installed_release_edited_by_hand_is_refused(repo, run, place):
    ok(run("rules", "update"))
    path = _installed(place)
    path.write_text(path.read_text().replace('"allow"', '"deny"'))
    refused = run("check", "tmall", "--on", "2023-06-01")
    assert_clean_error(refused, f"the installed rules release '{path}' was changed after it")
    assert answer(run, "--no-release") == BUNDLED
    assert "installed again" in ok(run("rules", "update"))
    assert answer(run) == ALLOWED


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
@pytest.mark.parametrize("which", ["data", "release", "record", "rules"])
def test_an_installed_release_others_may_write_is_refused(repo, run, place, which):
    ok(run("rules", "update"))
    target = {
        "data": place / "data/linkcheck",
        "release": place / "data/linkcheck/release",
        "record": place / "data/linkcheck/release/installed.json",
        "rules": _installed(place),
    }[which]
    target.chmod(target.stat().st_mode | 0o022)
    assert_clean_error(run("check", "tmall", "--on", "2023-06-01"), "is not safe",
                       "others may write to it")  # fmt: skip
    assert answer(run, "--no-release") == BUNDLED


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
@pytest.mark.parametrize("name", ["trusted.json", "trusted-root.json"])
def test_a_trusted_repository_file_others_may_write_says_how_to_trust_again(repo, run, place,
                                                                           name):  # fmt: skip
    """The trusted repository's files, writable by others: `rules update` said the
    installed release is not used, 'or pass --no-release' — which update with --no-release
    refused the same way (a trial). It names the trusted repository and its way back."""
    target = place / "config" / "linkcheck" / name
    target.chmod(target.stat().st_mode | 0o002)
    refused = run("rules", "update")
    assert_clean_error(refused, "the trusted repository is not used", "is not safe",
                       "(chmod go-w), or trust the repository again with `linkcheck rules "
                       "trust URL --root 1.root.json`", code=refused.exit_code)  # fmt: skip
    assert "--no-release" not in refused.stderr
    target.chmod(target.stat().st_mode & ~0o022)
    ok(run("rules", "update"))


def test_a_damaged_record_is_refused_and_update_repairs_it(repo, run, place):
    ok(run("rules", "update"))
    (place / "data/linkcheck/release/installed.json").write_text("{")
    assert_clean_error(run("check", "tmall"), "is damaged")
    ok(run("rules", "update"))
    assert answer(run) == ALLOWED


def test_staleness_line_on_a_terminal_only(repo, run, place, monkeypatch):
    ok(run("rules", "update"))
    record = json.loads((place / "data/linkcheck/release/installed.json").read_text())
    verified = datetime.fromisoformat(record["verified_at"].replace("Z", "+00:00"))
    monkeypatch.setattr("linkcheck.when.clock", lambda: verified + timedelta(days=400))
    text = run("check", "tmall", "--on", "2023-06-01", "--format", "text")
    assert text.stderr == "rules last verified 400 days ago: run `linkcheck rules update`\n"
    plain = run("check", "tmall", "--on", "2023-06-01", "--format", "plain")
    assert plain.stderr == ""
    monkeypatch.setattr("linkcheck.when.clock", lambda: verified + timedelta(days=1))
    assert run("check", "tmall", "--on", "2023-06-01", "--format", "text").stderr == ""
    # a word that lapsed the day it was given: not "verified 0 days ago" (a trial)
    path = place / "data/linkcheck/release/installed.json"
    record["expires"] = (verified + timedelta(hours=1)).isoformat()
    path.write_text(json.dumps(record), encoding="utf-8")
    monkeypatch.setattr("linkcheck.when.clock", lambda: verified + timedelta(hours=2))
    text = run("check", "tmall", "--on", "2023-06-01", "--format", "text")
    assert text.stderr == (
        "rules verified today, and the repository's word on them has lapsed since: run "
        "`linkcheck rules update`\n"
    )


def test_json_names_the_release_and_when_the_repository_vouched_for_it(repo, run, place,
                                                                       monkeypatch):  # fmt: skip
    ok(run("rules", "update"))
    record = json.loads((place / "data/linkcheck/release/installed.json").read_text())
    verified = datetime.fromisoformat(record["verified_at"].replace("Z", "+00:00"))
    expected = {
        "file": str(_installed(place)),
        "version": "2023.02.20",
        "sha256": record["current"]["sha256"],
        "horizon": {"kuaishou": {"as_of": "2023-02-20", "through": "2023-12-31"}},
        "verified_at": record["verified_at"],
        "expired": False,
    }
    for args in (["check", "tmall", "--on", "2023-06-01", "--json"], ["rules", "list", "--json"],
                 ["rules", "show", "team-2023-tmall", "--json"]):  # fmt: skip
        files = json.loads(ok(run(*args)))["rule_files"]
        assert [f["file"] for f in files] == ["rules.toml (bundled)", expected["file"]]
        assert files[1] == expected
        assert "verified_at" not in files[0]
    monkeypatch.setattr("linkcheck.when.clock", lambda: verified + timedelta(days=400))
    files = json.loads(run("check", "tmall", "--on", "2023-06-01", "--json").stdout)["rule_files"]
    assert files[1] == {**expected, "expired": True}


def test_update_without_a_trusted_repository(place, run):
    assert_clean_error(run("rules", "update"), "no rules repository is trusted yet")


def test_trust_refuses_what_is_not_a_root(place, run):
    (place / "root.json").write_text("{}")
    assert_clean_error(run("rules", "trust", "http://127.0.0.1:1", "--root", "root.json"),
                       "is not TUF root metadata")  # fmt: skip


def test_without_the_extra_the_commands_name_it(place, run, monkeypatch):
    monkeypatch.setitem(sys.modules, "tuf", None)
    monkeypatch.setitem(sys.modules, "tuf.api", None)
    monkeypatch.setitem(sys.modules, "tuf.api.metadata", None)
    for args in (["rules", "update"], ["rules", "repo", "init", "r"],
                 ["rules", "trust", "u", "--root", "x"]):  # fmt: skip
        result = run(*args)
        assert_clean_error(result, "pip install '.[update]'")
        assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.subprocess
def test_a_cold_check_reads_the_release_without_tuf(repo, run, place):
    ok(run("rules", "update"))
    probe = (
        "import sys\n"
        "from linkcheck.cli import main\n"
        "sys.argv = ['linkcheck', 'check', 'tmall', '--on', '2023-06-01', '-s', 'livestream']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = {'tuf', 'securesystemslib', 'cryptography', 'urllib3', 'platformdirs',"
        " 'hashlib', 'linkcheck.releasing'}\n"
        "print(sorted(m for m in sys.modules if m in heavy or m.split('.')[0] in heavy),"
        " file=sys.stderr)\n"
    )
    env = {**os.environ, "XDG_DATA_HOME": str(place / "data")}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.stdout == ALLOWED
    assert done.stderr == "[]\n"


# ---------------------------------------------------------------------- the user folders


def _user_folders_agree(monkeypatch, env: dict[str, str | None]) -> tuple[str, str]:
    import platformdirs

    from linkcheck.releasing import user_folders
    from linkcheck.rules import folders

    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    data = platformdirs.user_data_dir("linkcheck", appauthor=False)
    config = platformdirs.user_config_dir("linkcheck", appauthor=False, roaming=True)
    assert (folders.data_dir(), folders.config_dir()) == (data, config)
    assert user_folders() == (data, config)
    return data, config


def test_the_cold_lookup_finds_the_folders_platformdirs_names(monkeypatch, tmp_path):
    """Every command looks for an installed release with os alone (rules/folders.py: no
    import on a cold start); the release commands ask platformdirs. On this platform the
    two name the same folders, whatever XDG_* and HOME say, so they cannot drift apart."""
    home, data, config = str(tmp_path / "home"), str(tmp_path / "d"), str(tmp_path / "c")
    assert _user_folders_agree(monkeypatch, {"HOME": home, "XDG_DATA_HOME": data,
                                             "XDG_CONFIG_HOME": config}) == (
        os.path.join(data, "linkcheck"), os.path.join(config, "linkcheck"))  # fmt: skip
    unset = {"HOME": home, "XDG_DATA_HOME": None, "XDG_CONFIG_HOME": None}
    if sys.platform.startswith("linux"):
        assert _user_folders_agree(monkeypatch, unset) == (
            os.path.join(home, ".local", "share", "linkcheck"),
            os.path.join(home, ".config", "linkcheck"),
        )
        # a relative XDG folder is ignored (the XDG spec), by both
        relative = {"HOME": home, "XDG_DATA_HOME": "d", "XDG_CONFIG_HOME": "c"}
        assert _user_folders_agree(monkeypatch, relative) == _user_folders_agree(monkeypatch, unset)
        # a relative HOME counts as unset: the account's home (as os.path.expanduser finds it
        # when HOME is not set)
        import pwd

        account = pwd.getpwuid(os.getuid()).pw_dir
        assert _user_folders_agree(monkeypatch, {**unset, "HOME": "relative/home"}) == (
            os.path.join(account, ".local", "share", "linkcheck"),
            os.path.join(account, ".config", "linkcheck"),
        )
    else:
        _user_folders_agree(monkeypatch, unset)


def test_the_cold_lookup_finds_platformdirs_folders_on_macos(monkeypatch, tmp_path):
    from platformdirs.macos import MacOS

    from linkcheck.rules import folders

    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setenv("HOME", str(tmp_path))
    for xdg in (None, str(tmp_path / "xdg")):
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
            if xdg is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, xdg)
        mac = MacOS("linkcheck", appauthor=False)
        assert (folders.data_dir(), folders.config_dir()) == (mac.user_data_dir,
                                                              mac.user_config_dir)  # fmt: skip
    assert folders.data_dir() == os.path.join(str(tmp_path / "xdg"), "linkcheck")


def test_on_windows_the_folders_are_the_app_data_ones_whatever_xdg_says(monkeypatch):
    """platformdirs' Windows folders are the known folders (LOCALAPPDATA for data, APPDATA,
    roaming, for the configuration) and read no XDG variable."""
    from linkcheck.rules import folders

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", "C:/Users/u/AppData/Local")
    monkeypatch.setenv("APPDATA", "C:/Users/u/AppData/Roaming")
    monkeypatch.setenv("XDG_DATA_HOME", "/xdg/data")
    monkeypatch.setenv("XDG_CONFIG_HOME", "/xdg/config")
    assert folders.data_dir() == os.path.join("C:/Users/u/AppData/Local", "linkcheck")
    assert folders.config_dir() == os.path.join("C:/Users/u/AppData/Roaming", "linkcheck")


def test_update_refuses_when_platformdirs_names_another_folder(repo, run, place, monkeypatch):
    """Were a platformdirs release to name another folder, `update` would install a
    release no command reads: refused in one line, nothing written."""
    import platformdirs

    ok(run("rules", "update"))
    before, said = state(place), answer(run)
    elsewhere = str(place / "elsewhere")
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: elsewhere)
    for args in (["rules", "update"], ["rules", "rollback"]):
        result = run(*args)
        assert_clean_error(result, f"platformdirs names '{elsewhere}' as linkcheck's user data "
                           "folder, but every command looks for rules releases in '"
                           f"{place / 'data' / 'linkcheck'}'")  # fmt: skip
        assert len(result.stderr.strip().splitlines()) == 1
    assert not os.path.exists(elsewhere)
    assert state(place) == before
    assert answer(run) == said == ALLOWED


# ---------------------------------------------------------------------- the documented flow


def _documented_steps() -> list[tuple[str, str]]:
    """docs/releases.md's team flow: each ```sh command with the ```text output after it."""
    page = (ROOT / "docs" / "releases.md").read_text(encoding="utf-8").split("## 中文说明")[0]
    return [(command.strip(), output)
            for command, output in re.findall(r"```sh\n(linkcheck [^\n]*)\n```\n\n```text\n"
                                              r"(.*?)```", page, re.S)]  # fmt: skip


def test_the_documented_flow_from_nothing_to_a_verified_update(run, tmp_path, monkeypatch):
    """A maintainer and a user on another machine (folders of their own) run the commands of
    docs/releases.md as written — its release file, its URL on whatever port is free — and
    see the output the page shows (times of day aside; `...` ends a shortened output)."""
    steps = _documented_steps()
    assert [command.split(" --")[0] for command, _ in steps] == [
        "linkcheck rules repo init team-rules",
        "linkcheck rules publish team.toml",
        "linkcheck rules repo refresh team-rules",
        "linkcheck rules trust 'http://127.0.0.1:8000'",
        "linkcheck rules update",
        "linkcheck check tmall",
        "linkcheck rules rollback",
    ]
    page = (ROOT / "docs" / "releases.md").read_text(encoding="utf-8")
    release = re.search(r"```toml\n(.*?)```", page, re.S)[1]
    monkeypatch.setenv("COLUMNS", "100")  # the width the page was written at
    maintainer, user = tmp_path / "maintainer", tmp_path / "user"
    maintainer.mkdir()
    user.mkdir()
    # the user's own folders (the maintainer's commands keep everything in the repository
    # and keys folders); the user's machine holds nothing but the root file it is handed
    monkeypatch.setenv("XDG_DATA_HOME", str(user / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(user / "config"))
    (maintainer / "team.toml").write_text(release, encoding="utf-8")
    served = None
    try:
        for command, shown in steps:
            if command.startswith("linkcheck rules trust"):  # step 4: serve it, hand over
                served = Served(maintainer / "team-rules")
                shutil.copy(maintainer / "team-rules/metadata/1.root.json", user / "1.root.json")
            if command.startswith("linkcheck rules rollback"):  # after a second release
                monkeypatch.chdir(maintainer)
                (maintainer / "team.toml").write_text(release.replace("2023.02.20", "2023.05.20"),
                                                      encoding="utf-8")  # fmt: skip
                ok(run("rules", "publish", "team.toml", "--repo", "team-rules"))
                monkeypatch.chdir(user)
                ok(run("rules", "update"))
            url = served.url if served else "http://127.0.0.1:8000"
            monkeypatch.chdir(user if served else maintainer)
            args = shlex.split(command.replace("http://127.0.0.1:8000", url))[1:]
            said = ok(run(*args))
            expected = shown.replace("http://127.0.0.1:8000", url)
            when = r"\d{4}-\d\d-\d\d \d\d:\d\d UTC"
            said, expected = re.sub(when, "<time>", said), re.sub(when, "<time>", expected)
            if expected.endswith("  ...\n"):
                assert said.startswith(expected[: -len("  ...\n")]), (command, said)
            else:
                assert said == expected, command
    finally:
        if served is not None:
            served.stop()


@pytest.mark.parametrize(
    ("threshold", "english", "chinese"),
    [("1", "keep the root key offline, it is", "请离线保存根密钥"),
     ("3", "keep the root keys offline, apart, they are", "请离线保存根密钥")],
)  # fmt: skip
def test_init_says_how_to_keep_the_root_keys(place, run, threshold, english, chinese):
    said = ok(run("rules", "repo", "init", "a", "--root-threshold", threshold))
    assert english in said
    said = ok(run("--lang", "zh", "rules", "repo", "init", "b", "--root-threshold", threshold))
    assert chinese in said and "keep" not in said


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("0d", "would expire as it is signed: give at least 1h"), ("0h", "at least 1h"),
     ("7", "is not a period: give hours, days or weeks"), ("1m", "is not a period"),
     # too long, said so: it was "not a period" (a trial)
     ("999999d", "is longer than a year"), ("100000w", "is longer than a year"),
     ("53w", "is longer than a year"), ("999999999999d", "is longer than a year")],
)  # fmt: skip
def test_an_expiry_of_nothing_says_so(text, fragment):
    # '0d' was 'not a period: give hours, days or weeks' — it is written in days (a trial)
    from linkcheck.errors import LinkcheckError
    from linkcheck.releasing import parse_period

    with pytest.raises(LinkcheckError, match=fragment):
        parse_period(text)
    assert parse_period("52w") == timedelta(weeks=52)
