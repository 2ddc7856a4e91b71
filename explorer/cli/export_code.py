"""`explorer request ... --export FORMAT`: print the prepared request as code instead of sending it."""

from __future__ import annotations

import sys

from explorer.cli.common import format_finding, write
from explorer.core.codegen import FORMAT_IDS, export_code, public_keys_of, secret_variables
from explorer.core.lifecycle import Preparation, Target
from explorer.core.lint import has_errors

HELP = (
    "print the request as code instead of sending it: "
    + ", ".join(FORMAT_IDS)
    + "; keys become environment variables (DISCOURSE_API_KEY, DISQUS_USER_API_KEY, …) unless --show-secrets"
)


def print_export(preparation: Preparation, fmt: str, target: Target | None, *, include_secrets: bool) -> int:
    """Print the findings (standard error) and the code (standard output); 1 when the linter found errors."""
    request = preparation.request
    assert request is not None, "print_export() takes a preparation without errors"
    findings = list(preparation.findings)
    for finding in findings:
        write(format_finding(finding), stream=sys.stderr)
    public = public_keys_of(target)
    write(export_code(request, fmt, include_secrets=include_secrets, public_keys=public).rstrip("\n"))
    if not include_secrets:
        names = [variable.name for variable in secret_variables(request, public)]
        if names:
            write(f"note: set {', '.join(names)} before running it", stream=sys.stderr)
    return 1 if has_errors(findings) else 0
