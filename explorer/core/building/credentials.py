"""Credential values as the builder accepts them: trimmed, non-empty, on one line."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from explorer.core.text import undecodable


class CredentialProblem(ValueError):
    """The credentials cannot be used; the text is the user-facing message."""


def given_credentials(
    credentials: Mapping[str, object] | None, known: Sequence[str], api_label: str
) -> dict[str, str]:
    """The credentials that carry a value, trimmed; CredentialProblem for an unknown name or a bad value.

    Empty values mean "not given" (a profile field left blank). A line break inside a key would end a
    header early or be refused by the HTTP library in the middle of sending, so it is refused here.
    """
    given: dict[str, str] = {}
    for name, value in (credentials or {}).items():
        text = "" if value is None else str(value).strip()
        if not text:
            continue
        if any(ord(ch) < 0x20 or ch == "\x7f" for ch in text):
            raise CredentialProblem(f"{name} contains a line break or another control character")
        stray = undecodable(text)
        if stray is not None:
            raise CredentialProblem(f"{name}: {stray}")
        given[name] = text
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise CredentialProblem(
            f"unknown {api_label} credential {', '.join(unknown)}; expected {', '.join(known)}"
        )
    return given


def non_ascii_header(name: str, value: str) -> str | None:
    """Why a header with text outside ASCII cannot be sent, or None when it can.

    The HTTP library encodes header text as ASCII and would fail in the middle of sending; servers
    read other bytes as Latin-1 at best, so a UTF-8 username would not match its user anyway.
    """
    if not name.isascii():
        return f"invalid header name {name!r}: only ASCII letters, digits and punctuation"
    char = next((c for c in value if not c.isascii()), None)
    if char is None:
        return None
    hint = (
        " (to act as a user, send Api-User-Id with the numeric id)" if name.lower() == "api-username" else ""
    )
    return (
        f"the value of header {name!r} has a character outside ASCII ({char!r}), which cannot be sent{hint}"
    )
