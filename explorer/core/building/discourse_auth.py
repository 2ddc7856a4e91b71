"""Discourse credentials as request headers: an admin API key with the acting user, or a User API key.

Since April 2020 Discourse reads credentials from headers only (apart from a few feed routes), so the
builder never puts them in the query string or the body.
"""

from __future__ import annotations

from collections.abc import Mapping

from explorer.core.building.credentials import CredentialProblem, given_credentials

# Credential name (as in profiles and `--auth`) -> header name, in the order they are sent.
ADMIN_KEY_HEADERS = {"api_key": "Api-Key"}
# Discourse picks the acting user from the first of these it finds; the builder sends only one of them.
ACTING_USER_HEADERS = {
    "api_username": "Api-Username",
    "api_user_id": "Api-User-Id",
    "api_user_external_id": "Api-User-External-Id",
}
USER_API_HEADERS = {"user_api_key": "User-Api-Key", "user_api_client_id": "User-Api-Client-Id"}
CREDENTIAL_NAMES = tuple([*ADMIN_KEY_HEADERS, *ACTING_USER_HEADERS, *USER_API_HEADERS])
# Every credential header as Discourse spells it; the linter and the redirect guard read this list too.
CREDENTIAL_HEADER_NAMES = tuple(
    [*ADMIN_KEY_HEADERS.values(), *ACTING_USER_HEADERS.values(), *USER_API_HEADERS.values()]
)


def _non_ascii(name: str, value: str) -> str:
    """Why a credential with a character outside ASCII cannot go in its header, and what to give instead.

    HTTP header values are bytes: the HTTP library refuses anything outside ASCII, and Discourse (Rack)
    reads them as Latin-1/binary at best, so a UTF-8 username would never match the user anyway.
    """
    offset, char = next((i, c) for i, c in enumerate(value) if not c.isascii())
    if name in ("api_username", "api_user_external_id"):
        return (
            f"{name} {value!r} has a character outside ASCII ({char!r}), which an HTTP header cannot "
            "carry for Discourse; give api_user_id (the user's numeric id, sent as Api-User-Id) instead"
        )
    return (
        f"{name} has a character outside ASCII ({char!r} at position {offset + 1}); Discourse keys are "
        "plain ASCII, so check that it was copied whole"
    )


def credential_headers(credentials: Mapping[str, str] | None) -> list[tuple[str, str]]:
    """Headers for `credentials` (empty values are ignored); raises CredentialProblem on a bad combination."""
    given = given_credentials(credentials, CREDENTIAL_NAMES, "Discourse")
    acting = [name for name in ACTING_USER_HEADERS if name in given]
    if len(acting) > 1:
        raise CredentialProblem(
            f"give only one of {', '.join(ACTING_USER_HEADERS)} (got {', '.join(acting)}): "
            "Discourse would silently use the first and ignore the others"
        )
    admin = "api_key" in given or bool(acting)
    user_api = any(name in given for name in USER_API_HEADERS)
    if admin and user_api:
        raise CredentialProblem(
            "mixes an admin API key (api_key, api_username) with a User API key (user_api_key); "
            "choose one kind"
        )
    if acting and "api_key" not in given:
        raise CredentialProblem(
            f"{acting[0]} needs api_key: the acting user is only read with an admin API key"
        )
    if "user_api_client_id" in given and "user_api_key" not in given:
        raise CredentialProblem("user_api_client_id needs user_api_key")
    for name, value in given.items():
        if not value.isascii():
            raise CredentialProblem(_non_ascii(name, value))
    headers: list[tuple[str, str]] = []
    for table in (ADMIN_KEY_HEADERS, ACTING_USER_HEADERS, USER_API_HEADERS):
        headers += [(header, given[name]) for name, header in table.items() if name in given]
    return headers
