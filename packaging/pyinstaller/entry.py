"""Entry point of the PyInstaller bundle: `explorer` as installed, plus `--self-test` for smoke tests."""

from __future__ import annotations

import multiprocessing
import sys


def run() -> int:
    # First, before anything else: in a frozen bundle a spawned worker (the response viewer's jq filter)
    # starts this same executable, and freeze_support() turns that start into the worker instead of a
    # second window.
    multiprocessing.freeze_support()
    from explorer.__main__ import main

    args = sys.argv[1:]
    if args[:1] == ["--self-test"]:
        # The conventional smoke-test flag of a bundle; the same check as `explorer selftest`.
        return main(["selftest", *args[1:]])
    return main(args)


if __name__ == "__main__":
    raise SystemExit(run())
