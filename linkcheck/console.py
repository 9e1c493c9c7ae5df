"""The console script `linkcheck` (and `python -m linkcheck`): Ctrl-C exits 130 without a
traceback from the first instant — also while the command's modules are still being
imported, before the CLI's own handling is in place (a signal 15–50 ms in printed a
KeyboardInterrupt traceback from an import: a trial). This module imports nothing else
until then."""

from __future__ import annotations

import signal


def main() -> None:
    """Run the CLI (linkcheck.cli.main), Ctrl-C quiet while it is imported."""
    quiet = (
        hasattr(signal, "SIGINT") and signal.getsignal(signal.SIGINT) is signal.default_int_handler
    )
    if quiet:
        signal.signal(signal.SIGINT, _interrupted)
    from .cli import main as run

    if quiet:  # the CLI turns KeyboardInterrupt into exit 130 itself from here
        signal.signal(signal.SIGINT, signal.default_int_handler)
    run()


def _interrupted(signum: int, frame: object) -> None:
    raise SystemExit(130)
