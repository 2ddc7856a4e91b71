"""Subcommands of the `explorer` command line; each module exposes `main(argv) -> exit code`."""
