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
