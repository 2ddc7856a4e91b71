"""Read `explorer request`'s words: name=value arguments, --auth credentials, -H headers and -d data."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

from explorer.core.building.discourse_auth import CREDENTIAL_NAMES
from explorer.core.building.disqus_wire import KEY_NAMES
from explorer.core.catalog.model import Api
from explorer.core.lifecycle.spec import ArgumentValue
from explorer.core.prepared import Body

# Credential names `--auth` accepts, per API: the names the builder takes (the APIs' own names).
AUTH_NAMES: dict[Api, tuple[str, ...]] = {Api.DISCOURSE: CREDENTIAL_NAMES, Api.DISQUS: KEY_NAMES}
# Before the API of a free-form request is known, a word after --auth is a credential if any API takes it.
ANY_AUTH_NAME: tuple[str, ...] = tuple(dict.fromkeys(n for names in AUTH_NAMES.values() for n in names))

# `a=1&b=2`: what -d reads as a form body (curl's own default encoding).
_FORM_TEXT = re.compile(r"[^=&\s]+=[^&]*(?:&[^=&\s]+=[^&]*)*")


@dataclass
class Inputs:
    """Arguments and credentials read from the command line, and every problem found on the way."""

    # name=value words in the order given (a name may repeat: an array, or a repeated query parameter).
    pairs: list[tuple[str, str]] = field(default_factory=list)
    auth: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # Names that followed --auth but are not credentials: read as arguments, and said so if unknown.
    after_auth: set[str] = field(default_factory=set)

    @property
    def values(self) -> dict[str, ArgumentValue]:
        """The pairs as method arguments: a repeated name becomes a list."""
        out: dict[str, ArgumentValue] = {}
        for name, value in self.pairs:
            previous = out.get(name)
            if name not in out:
                out[name] = value
            elif isinstance(previous, list):
                out[name] = [*previous, value]
            else:
                out[name] = [str(previous), value]
        return out


def pair(text: str) -> tuple[str, str] | None:
    name, eq, value = text.partition("=")
    return (name.strip(), value) if eq and name.strip() else None


def read_inputs(auth_names: tuple[str, ...], raw_values: list[str], raw_auth: list[list[str]]) -> Inputs:
    """Split the words into arguments and credentials; `auth_names` are the credential names allowed."""
    inputs = Inputs()
    # argparse gives every word after --auth to --auth; a name=value that is not a credential name is a
    # method argument that happened to follow it.
    auth_words: list[str] = []
    for word in (word for group in raw_auth for word in group):
        found = pair(word)
        if found is not None and found[0] not in auth_names:
            inputs.after_auth.add(found[0])
            raw_values = [*raw_values, word]
        else:
            auth_words.append(word)
    for word in raw_values:
        found = pair(word)
        if found is None:
            inputs.errors.append(f"{word!r}: expected name=value")
        else:
            inputs.pairs.append(found)
    for word in auth_words:
        found = pair(word)
        if found is None and word.strip() in auth_names:
            inputs.errors.append(f"--auth {word!r}: expected NAME=VALUE")
        elif found is None:
            # Not echoed: any other word without `=` after --auth may well be a key pasted on its own.
            inputs.errors.append(
                f"--auth: expected NAME=VALUE, got a word without '=' ({len(word)} characters, "
                "not shown in case it is a key)"
            )
        else:
            inputs.auth[found[0]] = found[1]
    return inputs


def field_error(name: str, message: str, inputs: Inputs, api: Api | None) -> str:
    """One `field: message` line; an unknown argument that followed --auth says it is no credential."""
    if api is not None and name in inputs.after_auth and message.startswith("unknown argument"):
        message += f" (given after --auth, but not a credential: {', '.join(AUTH_NAMES[api])})"
    return f"{name}: {message}"


def foreign_credentials(api: Api, inputs: Inputs) -> list[str]:
    """Errors for --auth names that `api` does not take (a free-form request learns its API late)."""
    allowed = AUTH_NAMES[api]
    return [
        f"--auth {name}: not a {api.value} credential (use {', '.join(allowed)})"
        for name in inputs.auth
        if name not in allowed
    ]


def read_headers(raw: list[str], errors: list[str]) -> list[tuple[str, str]]:
    """`-H 'Name: value'` words as pairs, in order; line breaks and bad names are checked when prepared."""
    headers: list[tuple[str, str]] = []
    for text in raw:
        name, colon, value = text.partition(":")
        if not colon or not name.strip():
            # Not echoed: `Api-Key abc` with the colon forgotten is a key.
            errors.append(
                f"-H: expected 'Name: value', got a header without a name and ':' ({len(text)} characters, "
                "not shown in case it is a key)"
            )
        else:
            headers.append((name.strip(), value.strip()))
    return headers


def read_data(text: str | None, content_type: str | None, errors: list[str]) -> Body | None:
    """The body `-d` describes: JSON text → a JSON body, `a=1&b=2` → a form, anything else as it is.

    `@FILE` reads the file (UTF-8). `content_type` (from -H) is kept as the body's type; a JSON type, or a
    text that starts like JSON, must be valid JSON.
    """
    if text is None:
        return None
    if text.startswith("@"):
        path = Path(text[1:]).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            errors.append(f"-d: cannot read {str(path)!r}: {exc.strerror or exc}")
            return None
        except UnicodeDecodeError as exc:
            errors.append(f"-d: {str(path)!r} is not UTF-8 text (byte {exc.start})")
            return None
    stripped = text.strip()
    says_json = content_type is not None and "json" in content_type.lower()
    if says_json or stripped.startswith(("{", "[")):
        try:
            value = json.loads(stripped)
        except json.JSONDecodeError as exc:
            errors.append(f"-d: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")
            return None
        return Body(kind="json", json_value=value, content_type=content_type)
    if _FORM_TEXT.fullmatch(stripped):
        fields = tuple(parse_qsl(stripped, keep_blank_values=True))
        return Body(kind="form", fields=fields, content_type=content_type)
    return Body(kind="raw", raw=text, content_type=content_type)
