"""Show a PreparedRequest as a POSIX-shell curl command, secrets masked unless asked."""

from __future__ import annotations

import shlex
from urllib.parse import urlencode

from explorer.core.codegen.curl_args import curl_groups
from explorer.core.prepared import SECRET_PLACEHOLDER, PreparedRequest, is_secret_name


def to_curl(
    request: PreparedRequest,
    *,
    reveal_secrets: bool = False,
    follow_redirects: bool = False,
    insecure: bool = False,
    http10: bool = False,
    multiline: bool = True,
    placeholder: str = SECRET_PLACEHOLDER,
) -> str:
    """The curl command for `request`, for display (the CLI's --dry-run); code to paste and run comes from
    explorer.core.codegen, which writes secrets as environment variables instead.

    Secret headers and parameters (see `is_secret_name`) show `placeholder` unless `reveal_secrets`.
    Multipart files appear as `-F name=@/full/path` when the part knows where it was read from, else as
    `-F name=@filename` (the command then expects the file beside it).
    Importing the result with `import_curl` gives back the same method, URL, query, headers and body.
    """
    shown = request if reveal_secrets else request.masked(placeholder)
    groups = curl_groups(
        shown,
        display_url(shown, placeholder),
        follow_redirects=follow_redirects,
        insecure=insecure,
        http10=http10,
    )
    # Every word quoted the same way: options and plain words come out of shlex.quote unchanged.
    return _join([[shlex.quote(word) for word in group] for group in groups], multiline)


def display_url(request: PreparedRequest, placeholder: str = SECRET_PLACEHOLDER) -> str:
    """The full URL; a masked value stays a readable placeholder instead of being percent-encoded."""
    if not request.query:
        return request.url
    pairs = [
        urlencode([(k, v)]) if v != placeholder or not is_secret_name(k) else f"{urlencode([(k, '')])}{v}"
        for k, v in request.query
    ]
    return f"{request.url}{'&' if '?' in request.url else '?'}{'&'.join(pairs)}"


def _join(groups: list[list[str]], multiline: bool) -> str:
    """One option (with its value) per line, joined by backslash-newlines, or all on one line."""
    return (" \\\n  " if multiline else " ").join(" ".join(group) for group in groups)
