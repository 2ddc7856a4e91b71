"""Code export: a prepared request as code that runs when pasted (curl, Python, Ruby, JavaScript)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from explorer.core.codegen.javascript_code import fetch_code
from explorer.core.codegen.python_code import httpx_code, pydiscourse_code
from explorer.core.codegen.ruby_code import ruby_code
from explorer.core.codegen.secrets import EnvVar, Sealed, seal
from explorer.core.codegen.shells import cmd_curl, posix_curl, powershell_curl
from explorer.core.lifecycle.target import Target
from explorer.core.prepared import PreparedRequest


@dataclass(frozen=True)
class Format:
    """One export format: its id (the CLI's --export value), a label for the window, a file name suffix."""

    id: str
    label: str
    suffix: str
    write: Callable[[Sealed], str]


FORMATS: tuple[Format, ...] = (
    Format("curl", "cURL (bash, zsh, sh)", ".sh", posix_curl),
    # For the cmd.exe prompt: a .cmd or .bat file reads % differently (%% for one), so it is saved as text.
    Format("curl-cmd", "cURL (Windows cmd)", ".txt", cmd_curl),
    Format("powershell", "cURL (PowerShell)", ".ps1", powershell_curl),
    Format("python", "Python (httpx)", ".py", httpx_code),
    Format("pydiscourse", "Python (pydiscourse)", ".py", pydiscourse_code),
    Format("ruby", "Ruby (discourse_api gem or net/http)", ".rb", ruby_code),
    Format("javascript", "JavaScript (fetch, Node 18+)", ".mjs", fetch_code),
)
FORMAT_IDS: tuple[str, ...] = tuple(f.id for f in FORMATS)


def format_by_id(fmt: str) -> Format:
    """The format with this id; ValueError naming the known ones otherwise."""
    for found in FORMATS:
        if found.id == fmt:
            return found
    raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMAT_IDS)})")


def export_code(
    request: PreparedRequest, fmt: str, *, include_secrets: bool = False, public_keys: Collection[str] = ()
) -> str:
    """`request` as code in format `fmt` (an id of FORMATS).

    Secrets are written as environment-variable references ($DISCOURSE_API_KEY, os.environ[...], …) so the
    code runs once they are set, unless `include_secrets`. Values in `public_keys` are written in full
    (the sandbox's demo keys: see `public_keys_of`), so a command copied for the sandbox simply runs.
    """
    return format_by_id(fmt).write(seal(request, keep_secrets=include_secrets, public=public_keys))


def public_keys_of(target: Target | None) -> tuple[str, ...]:
    """The target's keys when they are public (the local sandbox's demo keys), else none."""
    if target is None or not target.is_sandbox:
        return ()
    return tuple(target.credentials.values())


def secret_variables(request: PreparedRequest, public_keys: Collection[str] = ()) -> tuple[EnvVar, ...]:
    """The environment variables an export of `request` reads (name and the value to set it to)."""
    return seal(request, keep_secrets=False, public=public_keys).variables


__all__ = [
    "FORMATS",
    "FORMAT_IDS",
    "EnvVar",
    "Format",
    "export_code",
    "format_by_id",
    "public_keys_of",
    "secret_variables",
]
