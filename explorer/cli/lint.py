"""`explorer lint`: import a cURL command line (arguments or stdin) and report the auth linter's findings."""

from __future__ import annotations

import json
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from explorer.cli.common import fail, findings_json, format_finding, write
from explorer.core.curl import CurlError, ImportedCurl, import_curl
from explorer.core.lint import Finding, has_errors
from explorer.core.text import undecodable

USAGE = """usage: explorer lint [--json] [--base-url URL] [--] CURL...

Import a cURL command and report what would go wrong on the real Discourse or Disqus server.
Pass the command as arguments (after --, so its options are not taken as ours) or as one
quoted argument; with no command, it is read from standard input.

options:
  --json          print [{code, severity, message, fix}] (fix is the fix's title or null)
  --base-url URL  resolve an empty or relative URL in the command against URL
  -h, --help      show this help

exit status: 0 no errors, 1 at least one error finding, 2 unreadable command or bad usage"""


@dataclass
class _Options:
    json: bool = False
    base_url: str | None = None
    help: bool = False


def _parse(argv: list[str]) -> tuple[_Options, list[str]] | str:
    """(options, cURL words) or an error message. Parsing stops at `--` or the first word not ours.

    argparse cannot be used here: it would read the cURL command's own -X, -H, -d as our options.
    """
    options = _Options()
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            return options, argv[i + 1 :]
        if arg == "--json":
            options.json = True
        elif arg in ("-h", "--help"):
            options.help = True
        elif arg == "--base-url" or arg.startswith("--base-url="):
            if "=" in arg:
                options.base_url = arg.split("=", 1)[1]
            elif i + 1 < len(argv):
                i += 1
                options.base_url = argv[i]
            else:
                return "--base-url needs a URL"
        else:
            return options, argv[i:]
        i += 1
    return options, []


# The longest command read from standard input.
MAX_COMMAND_BYTES = 16 * 2**20


def _command_text(words: list[str]) -> str | None:
    if len(words) == 1:
        return words[0]  # the whole command as one quoted argument (or just a URL)
    if words:
        return shlex.join(words)  # already split by the shell: quote each word back
    if sys.stdin is None or sys.stdin.isatty():
        return None
    raw = getattr(sys.stdin, "buffer", None)
    # Bounded, so `explorer lint < /dev/zero` stops: one character more than allowed says it is too long.
    if raw is None:  # a text stream without bytes underneath (tests, embedding)
        return sys.stdin.read(MAX_COMMAND_BYTES + 1)
    # Decoded here rather than by the stream, so a stray byte is reported by position, not raised.
    return raw.read(MAX_COMMAND_BYTES + 1).decode("utf-8", errors="surrogateescape")


def main(argv: list[str]) -> int:
    parsed = _parse(argv)
    if isinstance(parsed, str):
        return _usage_error(parsed)
    options, words = parsed
    if options.help:
        write(USAGE)
        return 0
    text = _command_text(words)
    if text is None or not text.strip():
        return _usage_error("no cURL command given")
    if len(text) > MAX_COMMAND_BYTES:
        return fail("lint", [f"the cURL command is longer than {MAX_COMMAND_BYTES // 2**20} MB"])
    problem = undecodable(text)
    if problem is not None:
        return fail("lint", [f"the cURL command is not text: {problem}"])
    try:
        imported = import_curl(text, base_url=options.base_url, base_dir=Path.cwd())
    except CurlError as exc:
        return fail("lint", [str(exc)])
    findings = list(imported.findings)
    if options.json:
        write(json.dumps(findings_json(findings), indent=2, ensure_ascii=False))
    else:
        _print_report(imported, findings)
    return 1 if has_errors(findings) else 0


def _usage_error(problem: str) -> int:
    write(f"{USAGE.splitlines()[0]}\nexplorer lint: error: {problem}", stream=sys.stderr)
    return 2


def _print_report(imported: ImportedCurl, findings: list[Finding]) -> None:
    lines = [f"{imported.request.method} {imported.request.url or '(no URL)'}"]
    if imported.match is not None:
        lines.append(f"method: {imported.match.api.value} {imported.match.method_id}")
    lines += [f"note: {note}" for note in imported.notes]
    lines += [format_finding(f) for f in findings] or ["no findings"]
    write("\n".join(lines))
