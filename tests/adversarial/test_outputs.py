"""Where `-o` writes, and what an interrupted run leaves behind (issue: Hardening)."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time

import pytest

from ..helpers import assert_clean_error, rule_table

CHECKLIST = "source\ntmall\n"


def test_a_fifo_is_written_through_not_replaced(run, tmp_path):
    fifo = tmp_path / "results.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run("batch", "-", "-o", str(fifo), "--on", "2022-11-11", input=CHECKLIST)
    reader.join(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert received[0].startswith(b"source,surface,verdict,rule,next_change,note\r\ntmall,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.fifo"]


def test_dev_null_stays_a_device(run):
    result = run("batch", "-", "-o", os.devnull, "--on", "2022-11-11", input=CHECKLIST)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_a_symbolic_link_keeps_pointing_at_its_file(run, tmp_path):
    (tmp_path / "real.csv").write_text("old\n")
    (tmp_path / "latest.csv").symlink_to("real.csv")
    result = run("batch", "-", "-o", str(tmp_path / "latest.csv"), "--on", "2022-11-11",
                 input=CHECKLIST)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "latest.csv").is_symlink()
    assert (tmp_path / "real.csv").read_text().startswith("source,surface,verdict")


def test_a_socket_is_refused(run, tmp_path):
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        result = run("batch", "-", "-o", str(path), input=CHECKLIST)
    assert_clean_error(result, f"output '{path}' is not a file, a pipe or a terminal")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LINKCHECK_RULES", "NO_COLOR")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


@pytest.mark.subprocess
@pytest.mark.parametrize(
    "signum, code",
    [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)],
    ids=["INT", "TERM", "HUP"],
)
def test_a_signal_leaves_the_output_as_it_was_and_no_temporary_file(tmp_path, signum, code):
    out = tmp_path / "out.csv"
    out.write_text("precious\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "linkcheck", "batch", "-", "-o", str(out), "--on", "2022-11-11"],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
        cwd=tmp_path,
    )
    # more than the 64 KiB read to detect the encoding; stdin then stays open until the
    # process has ended, so the run cannot finish before the signal comes: it answers these
    # rows and waits for more
    proc.stdin.write(b"source\n" + b"tmall\n" * 20_000)
    proc.stdin.flush()
    # answers in the temporary file: the run is past installing its signal handlers
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".tmp") and p.stat().st_size for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline, "no answers were written to a temporary file"
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.02)
    proc.send_signal(signum)
    try:
        assert proc.wait(timeout=60) == code, proc.stderr.read()
    finally:
        proc.stdin.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert b"Traceback" not in err
    assert out.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


@pytest.mark.subprocess
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ["batch", "-", "--on", "2022-11-11"],
        ["check", "tmall", "--on", "2022-11-11"],
        ["check", "tmall", "--on", "2022-11-11", "--format", "json"],
        ["timeline", "tmall"],
        ["sources"],
    ],
    ids=" ".join,
)
def test_a_full_disk_is_a_clean_exit_2(args):
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "linkcheck", *args],
            input=CHECKLIST.encode(),
            stdout=full,
            stderr=subprocess.PIPE,
            env=_env(),
            timeout=60,
        )
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert "Error: cannot write the output: No space left on device" in err
    assert "Traceback" not in err


@pytest.mark.subprocess
@pytest.mark.parametrize("args", [["check", "tmall", "--on", "2022-11-11"], ["sources"]],
                         ids=" ".join)  # fmt: skip
def test_a_stdout_opened_for_reading_is_a_clean_exit_2(tmp_path, args):
    """`linkcheck check … 1<file`: stdout takes no write (EBADF) — one line and exit 2, as a
    full disk gives; it was a traceback (a new user's trial)."""
    given = tmp_path / "ro.txt"
    given.write_text("mine\n")
    with given.open("rb") as read_only:
        done = subprocess.run([sys.executable, "-m", "linkcheck", *args], stdout=read_only,
                              stderr=subprocess.PIPE, env=_env(), timeout=60)  # fmt: skip
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert err.strip() == "Error: cannot write the output: Bad file descriptor", err
    assert given.read_text() == "mine\n"


def test_a_full_disk_under_o_keeps_the_old_file(tmp_path, monkeypatch, run):
    """ENOSPC part way through: the old OUT stays, no temporary file is left."""
    out = tmp_path / "out.csv"
    out.write_text("precious\n")
    import io

    class Full(io.BufferedWriter):
        def write(self, data):
            raise OSError(28, "No space left on device")

    from linkcheck import outputs as output

    def fdopen(fd, mode):
        return Full(io.FileIO(fd, "wb"))

    monkeypatch.setattr(output.os, "fdopen", fdopen)
    result = run("batch", "-", "-o", str(out), "--on", "2022-11-11", input=CHECKLIST)
    assert_clean_error(result, f"cannot write output '{out}': No space left on device")
    assert out.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


_SIGNAL_WHILE_MAKING = """
import os, sys, tempfile
from linkcheck import outputs

made = tempfile.mkstemp

def mkstemp_then_signal(*args, **kwargs):
    found = made(*args, **kwargs)
    os.kill(os.getpid(), int(sys.argv[2]))
    return found

outputs.tempfile.mkstemp = mkstemp_then_signal
with outputs.atomic_file(sys.argv[1]) as handle:
    handle.write(b"half")
"""


@pytest.mark.subprocess
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_just_as_the_temporary_file_is_made_leaves_nothing(tmp_path, signum):
    """The signal arrives between the temporary file's creation and the code that would
    remove it (what a loaded machine did to the HUP test): it is held back until that code
    runs, so the run ends with the signal's code and no file is left behind. In a process
    of its own: signals are handled in a main thread, which a test worker may not be."""
    out = tmp_path / "out.csv"
    out.write_text("precious\n")
    proc = subprocess.run(
        [sys.executable, "-c", _SIGNAL_WHILE_MAKING, str(out), str(int(signum))],
        capture_output=True, env=_env(), cwd=tmp_path, timeout=60,
    )  # fmt: skip
    # SIGINT ends Python with KeyboardInterrupt: the process exits by the signal itself
    assert proc.returncode in (128 + signum, -signum), proc.stderr
    assert out.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


TEAM = """\
schema = 1
timezone = "Asia/Shanghai"

[horizon.kuaishou]
as_of = 2023-05-20
through = 2023-12-31
"""

# every command that takes -o, with its rules file named as the output (found by a new user:
# each replaced the team's rules file with its output and exited 0 or 1)
WRITES_ITS_RULES = [
    ("check", "tmall", "--on", "2022-11-11", "--rules", "{rules}", "-o", "{out}"),
    ("batch", "{checklist}", "--on", "2022-11-11", "--rules", "{rules}", "-o", "{out}"),
    ("batch", "{checklist}", "--on", "2022-11-11", "--rules", "{rules}", "-o", "{other}",
     "--manifest", "{out}"),
    ("rules", "lint", "{rules}", "-o", "{out}"),
    ("rules", "diff", "{rules}", "{rules}", "-o", "{out}"),
    ("rules", "export", "--rules", "{rules}", "-o", "{out}"),
    ("rules", "list", "--rules", "{rules}", "-o", "{out}"),
    ("timeline", "tmall", "--rules", "{rules}", "-o", "{out}"),
    ("upcoming", "--rules", "{rules}", "-o", "{out}"),
]  # fmt: skip


@pytest.mark.parametrize("args", WRITES_ITS_RULES, ids=lambda a: " ".join(a[:2]))
@pytest.mark.parametrize("name", ["same", "hard-link", "symlink", "relative"])
def test_no_output_replaces_a_rules_file_the_run_reads(run, tmp_path, monkeypatch, args, name):
    rules = tmp_path / "team.toml"
    rules.write_text(TEAM, encoding="utf-8")
    out = {"same": rules, "hard-link": tmp_path / "link.toml",
           "symlink": tmp_path / "sym.toml", "relative": "team.toml"}[name]  # fmt: skip
    if name == "hard-link":
        os.link(rules, out)
    elif name == "symlink":
        os.symlink(rules, out)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.csv").write_text(CHECKLIST, encoding="utf-8")
    fields = {"rules": str(rules), "out": str(out), "checklist": "in.csv", "other": "res.csv"}
    result = run(*(word.format(**fields) for word in args))
    assert_clean_error(result, f"output '{out}' is '", "which this run reads", code=2)
    assert rules.read_text(encoding="utf-8") == TEAM
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_the_bundled_rules_file_is_known_as_read(run):
    """A checkout's rules.toml (an editable install reads it) is never an output either; the
    check runs on what was recorded, not by writing to the real file."""
    from linkcheck import inputs
    from linkcheck.rules.files import bundled_folder

    assert run("check", "tmall", "--on", "2022-11-11").exit_code == 0
    bundled = os.path.join(bundled_folder(), "rules.toml")
    assert inputs.read_as(bundled) == bundled
    inputs.forget()
    assert inputs.read_as(bundled) is None


def test_an_output_may_replace_what_an_earlier_run_read(run, tmp_path):
    rules = tmp_path / "team.toml"
    rules.write_text(TEAM, encoding="utf-8")
    assert run("rules", "lint", str(rules)).exit_code == 0
    # the next run (the same process: a test, an embedder) reads nothing yet
    assert run("rules", "export", "-o", str(rules)).exit_code == 0
    assert rules.read_text(encoding="utf-8").startswith("platform,source,surface,")


@pytest.mark.subprocess
@pytest.mark.skipif(not os.path.exists("/dev/fd/1"), reason="needs /dev/stdout and /dev/fd")
@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize(
    ("shell", "kept"),
    [("echo before; {} -o /dev/stdout", "before\n"),  # a file the shell opened for the group
     ("echo before > {out}; {} -o /dev/stdout >> {out}", "before\n"),  # appended
     ("{} -o /dev/fd/3 3>> {out}", "kept\n"),  # another descriptor, appended
     ("{} -o /proc/thread-self/fd/3 3>> {out}", "kept\n"),
     ("{} -o {link} >> {out}", "kept\n")],  # a symbolic link to /dev/stdout
    ids=["group", "append", "fd3", "thread-self", "link"],
)  # fmt: skip
def test_a_descriptor_named_as_the_output_is_written_where_it_stands(tmp_path, engine, shell,
                                                                     kept):  # fmt: skip
    """-o /dev/stdout (or /dev/fd/3) writes through the descriptor as the shell opened it: a
    file the shell appends to keeps what it held, as it would without -o. It was a file
    replaced whole by a temporary one (a new user's trial: `{ echo hello; linkcheck … -o
    /dev/stdout; } > f` lost the `hello`)."""
    if engine == "duckdb":
        pytest.importorskip("duckdb")
    checklist = tmp_path / "list.csv"
    checklist.write_text("sku,source,surface,date\n1,tmall,livestream,2022-11-11\n")
    out = tmp_path / "out.csv"
    out.write_text("kept\n")
    link = tmp_path / "to-stdout"
    link.symlink_to("/dev/stdout")
    command = " ".join([sys.executable, "-m", "linkcheck", "batch", str(checklist), "--engine",
                        engine])  # fmt: skip
    script = shell.format(command, out=out, link=link)
    if not script.endswith(str(out)):
        script = f"{{ {script}; }} > {out}"
    done = subprocess.run(["sh", "-c", script], env=_env(), capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert text.startswith(kept), text
    assert text[len(kept) :].startswith("sku,source,surface,date,surface,verdict"), text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["list.csv", "out.csv", "to-stdout"]


@pytest.mark.subprocess
@pytest.mark.skipif(not os.path.exists("/dev/fd/0"), reason="needs /dev/stdin")
def test_stdin_named_as_the_output_is_not_written_over(tmp_path):
    """-o /dev/stdin, stdin read from a file: that descriptor is open for reading only, so
    the run stops with one line (it replaced the file stdin was read from — a new user's
    trial — and wrote into its own stdin when that was a pipe)."""
    checklist = tmp_path / "list.csv"
    checklist.write_text("sku,source,surface,date\n1,tmall,livestream,2022-11-11\n")
    given = tmp_path / "in.txt"
    given.write_text("mine\n")
    inode = given.stat().st_ino
    with given.open("rb") as stdin:
        done = subprocess.run([sys.executable, "-m", "linkcheck", "batch", str(checklist), "-o",
                               "/dev/stdin"], stdin=stdin, env=_env(), capture_output=True,
                              text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        "Error: cannot write output '/dev/stdin': Bad file descriptor"
    ), done.stderr
    assert given.read_text() == "mine\n" and given.stat().st_ino == inode


@pytest.mark.subprocess
@pytest.mark.skipif(not os.path.exists("/dev/fd/1"), reason="needs /dev/stdout")
def test_a_workbook_goes_to_a_file_not_a_pipe(tmp_path):
    """A workbook is a zip archive its writer seeks back in: to a pipe (-o /dev/stdout piped
    on, or a FIFO) it was an empty output and exit 0 (a new user's trial); now the error
    given without -o. stdout sent to a file takes the workbook."""
    pytest.importorskip("openpyxl")
    import openpyxl

    checklist = tmp_path / "list.csv"
    checklist.write_text("sku,source,surface,date\n1,tmall,livestream,2022-11-11\n")
    command = f"{sys.executable} -m linkcheck batch {checklist} --format xlsx -o /dev/stdout"
    piped = subprocess.run(["sh", "-c", f"{command} | cat > {tmp_path / 'piped.xlsx'}"],
                           env=_env(), capture_output=True, text=True, timeout=60)  # fmt: skip
    assert "Error: xlsx output needs a file: add -o OUT.xlsx" in piped.stderr, piped.stderr
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    to_fifo = subprocess.run([sys.executable, "-m", "linkcheck", "batch", str(checklist),
                              "--format", "xlsx", "-o", str(fifo)], env=_env(),
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    assert to_fifo.returncode == 2
    assert to_fifo.stderr.strip() == "Error: xlsx output needs a file: add -o OUT.xlsx"
    book = tmp_path / "book.xlsx"
    to_file = subprocess.run(["sh", "-c", f"{command} > {book}"], env=_env(),
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    assert to_file.returncode == 0, to_file.stderr
    assert openpyxl.load_workbook(book).active.max_row == 2


@pytest.mark.subprocess
@pytest.mark.skipif(not os.path.exists("/dev/fd/1"), reason="needs /dev/stdout and /dev/fd")
@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize("out", [(), ("-o", "/dev/stdout"), ("-o", "/dev/fd/1")],
                         ids=["stdout", "dev-stdout", "fd-1"])  # fmt: skip
def test_a_reader_gone_away_stops_the_run_quietly_whichever_way_stdout_is_named(
    tmp_path, engine, out
):
    """`linkcheck batch … -o /dev/stdout | head -1` stops as `linkcheck batch … | head -1`
    does: quietly, exit 1. It said 'Error: cannot write output '/dev/stdout': Broken pipe'
    with exit 2 (the run had failed, to a script)."""
    if engine == "duckdb":
        pytest.importorskip("duckdb")
    checklist = tmp_path / "list.csv"
    rows = "".join(f"{n},tmall,livestream,2022-11-11\n" for n in range(20_000))
    checklist.write_text("sku,source,surface,date\n" + rows)
    read, write = os.pipe()
    os.close(read)  # the reader gone before a byte is written
    try:
        done = subprocess.run([sys.executable, "-m", "linkcheck", "batch", str(checklist),
                               "--engine", engine, *out], stdin=subprocess.DEVNULL,
                              stdout=write, stderr=subprocess.PIPE, env=_env(), text=True,
                              timeout=120)  # fmt: skip
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (1, "")


@pytest.mark.subprocess
@pytest.mark.parametrize("closed", ["before", "reader-gone"])
def test_rules_lint_and_diff_keep_their_answer_when_stdout_closes(tmp_path, closed):
    """A script asks `rules lint` (0 clean, 1 errors) and `rules diff` (0 nothing changes, 1
    something does) by exit code, as it asks `check`: a closed stdout (>&-, or | head -0
    under pipefail) made every one of them 1 — 'errors' of a clean file, 'changes' of the
    same rules (a new user's trial)."""
    horizon = "schema = 1\n[horizon.kuaishou]\nas_of = 2023-01-01\nthrough = 2023-12-31\n"
    clean = horizon + rule_table("team-pdd", "deny", ["pinduoduo"], platform="kuaishou",
                                 start="2023-01-01")  # fmt: skip
    (tmp_path / "a.toml").write_text(clean)
    (tmp_path / "b.toml").write_text(clean)
    (tmp_path / "c.toml").write_text(clean.replace('"deny"', '"allow"'))
    (tmp_path / "bad.toml").write_text(clean + "\nnonsense = 1\n")

    def code(*args: str) -> int:
        command = [sys.executable, "-m", "linkcheck", "rules", *args]
        if closed == "before":
            done = subprocess.run(command, cwd=tmp_path, env=_env(), stdin=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, preexec_fn=lambda: os.close(1),
                                  timeout=60)  # fmt: skip
            return done.returncode
        read, write = os.pipe()
        os.close(read)
        try:
            return subprocess.run(command, cwd=tmp_path, env=_env(), stdin=subprocess.DEVNULL,
                                  stdout=write, stderr=subprocess.DEVNULL,
                                  timeout=60).returncode  # fmt: skip
        finally:
            os.close(write)

    assert code("lint", "a.toml") == 0
    assert code("lint", "bad.toml") == 1
    assert code("diff", "a.toml", "b.toml") == 0
    assert code("diff", "a.toml", "c.toml") == 1
    assert code("diff", "a.toml", "c.toml", "--json") == 1
