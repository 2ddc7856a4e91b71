"""A credential profile: which API, where, and how to authenticate (its secrets live elsewhere)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from explorer.core.building.encoding import base_url_problem
from explorer.core.catalog.model import Api


class ProfileError(Exception):
    """A profile, or the profiles file, cannot be used; the message says what and where."""


class ProfileValidationError(ProfileError):
    """One or more fields of a profile are invalid; `errors` holds (field, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors))


@dataclass(frozen=True, slots=True)
class AuthKind:
    """One way of authenticating, with the credential names it uses (the APIs' own names)."""

    name: str
    label: str
    fields: tuple[str, ...] = ()  # stored in the profiles file
    secrets: tuple[str, ...] = ()  # stored only in a SecretStore


AUTH_KINDS: dict[Api, tuple[AuthKind, ...]] = {
    Api.DISCOURSE: (
        AuthKind("none", "No authentication (anonymous)"),
        AuthKind(
            "api_key",
            "Admin API key (Api-Key + Api-Username / Api-User-Id / Api-User-External-Id)",
            fields=("api_username", "api_user_id", "api_user_external_id"),
            secrets=("api_key",),
        ),
        AuthKind(
            "user_api_key",
            "User API key (User-Api-Key + User-Api-Client-Id)",
            fields=("user_api_client_id",),
            secrets=("user_api_key",),
        ),
    ),
    Api.DISQUS: (
        AuthKind("none", "No keys"),
        AuthKind(
            "keys",
            "API 1.1 keys (user, forum, partner)",
            fields=("forum_id",),
            secrets=("user_api_key", "forum_api_key", "partner_api_key"),
        ),
    ),
}

# Every credential name that is a secret, whatever the API: never written to the profiles file.
SECRET_CREDENTIALS = frozenset(s for kinds in AUTH_KINDS.values() for kind in kinds for s in kind.secrets)

MAX_TIMEOUT_S = 3600.0
# Verbs that change something on the server: production profiles confirm them, read-only ones refuse them.
WRITE_VERBS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The default band colour of a production profile, and the shape of any colour a profile names.
PRODUCTION_COLOUR = "#c0392b"
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def is_write(verb: str) -> bool:
    return verb.upper() in WRITE_VERBS


def auth_kinds(api: Api) -> tuple[AuthKind, ...]:
    return AUTH_KINDS[api]


def auth_kind(api: Api, name: str) -> AuthKind:
    """The AuthKind called `name` for `api`; ProfileValidationError names the valid ones otherwise."""
    for kind in AUTH_KINDS[api]:
        if kind.name == name:
            return kind
    valid = ", ".join(k.name for k in AUTH_KINDS[api])
    raise ProfileValidationError(
        [("auth_kind", f"unknown auth kind {name!r} for {api.value} (use one of: {valid})")]
    )


def secret_names(api: Api, kind: str) -> tuple[str, ...]:
    """The secret credential names used by `kind` (e.g. ("api_key",) for Discourse "api_key")."""
    return auth_kind(api, kind).secrets


def field_names(api: Api, kind: str) -> tuple[str, ...]:
    """The non-secret credential names used by `kind`."""
    return auth_kind(api, kind).fields


def is_secret_credential(name: str) -> bool:
    return name in SECRET_CREDENTIALS


def new_profile_id() -> str:
    return uuid.uuid4().hex


def check_base_url(url: str) -> str | None:
    """Why `url` cannot be a profile's base URL, or None when it is fine (the builder's own rule)."""
    return base_url_problem(url)


def normalize_base_url(url: str) -> str:
    """Trim whitespace and trailing slashes: paths are appended to it, subfolder installs included."""
    return url.strip().rstrip("/")


@dataclass(frozen=True)
class Profile:
    """A named way of talking to one site; secret credentials are kept in a SecretStore, keyed by `id`.

    `fields` holds the non-secret credential values of `auth_kind` (e.g. api_username); `timeout_s`
    of None means "use the app's default". Construction validates and raises ProfileValidationError.
    """

    name: str
    api: Api
    base_url: str
    auth_kind: str = "none"
    fields: Mapping[str, str] = field(default_factory=dict)
    id: str = field(default_factory=new_profile_id)
    sandbox: bool = False
    timeout_s: float | None = None
    # A production site: every write asks first, naming the site, and `colour` marks its window and tabs.
    production: bool = False
    # Refuse every write (POST, PUT, PATCH, DELETE) before anything is sent.
    read_only: bool = False
    colour: str | None = None
    # Values for `{{name}}` in requests sent through this profile (a site's own topic or category ids), so
    # switching from the sandbox to a real forum switches them; never a secret.
    variables: Mapping[str, str] = field(default_factory=dict)
    # "Trust this certificate": the PEM text of the one certificate (self-signed, or from a private CA) to
    # accept for this site besides the system's authorities. None, the default, trusts only those.
    trusted_certificate: str | None = None

    def __post_init__(self) -> None:
        errors: list[tuple[str, str]] = []
        name = self.name.strip() if isinstance(self.name, str) else ""
        if not name:
            errors.append(("name", "the profile name is empty"))
        try:
            api = Api(self.api)
        except ValueError:
            errors.append(
                ("api", f"unknown API {self.api!r} (use one of: {', '.join(a.value for a in Api)})")
            )
            api = None
        problem = (
            check_base_url(self.base_url) if isinstance(self.base_url, str) else "the base URL is missing"
        )
        if problem:
            errors.append(("base_url", problem))
        kind = None
        if api is not None:
            try:
                kind = auth_kind(api, self.auth_kind)
            except ProfileValidationError as exc:
                errors.extend(exc.errors)
        clean_fields: dict[str, str] = {}
        for key, value in dict(self.fields).items():
            if is_secret_credential(key):
                errors.append(
                    (key, f"{key} is a secret and is never stored in the profile; pass it as a secret")
                )
            elif kind is not None and key not in kind.fields:
                allowed = ", ".join(kind.fields) or "none"
                errors.append((key, f"{key} is not used by auth kind {kind.name!r} (its fields: {allowed})"))
            elif not isinstance(value, str):
                errors.append((key, f"{key} must be text, not {type(value).__name__}"))
            elif value.strip():
                clean_fields[key] = value.strip()
        if self.timeout_s is not None and (
            isinstance(self.timeout_s, bool)
            or not isinstance(self.timeout_s, int | float)
            or not 0 < self.timeout_s <= MAX_TIMEOUT_S
        ):
            errors.append(("timeout_s", f"the timeout must be between 0 and {MAX_TIMEOUT_S:g} seconds"))
        if not isinstance(self.id, str) or not self.id.strip():
            errors.append(("id", "the profile id is empty"))
        if self.sandbox and (self.production or self.read_only):
            errors.append(("production", "the sandbox profiles are neither production nor read-only"))
        if self.colour is not None and not _COLOUR.fullmatch(str(self.colour)):
            errors.append(("colour", f"expected a colour like #c0392b, found {self.colour!r}"))
        variables = _checked_variables(self.variables, errors)
        if self.trusted_certificate is not None:
            from explorer.core.http.trust import certificate_problem

            problem = certificate_problem(self.trusted_certificate)
            if problem is not None:
                errors.append(("trusted_certificate", problem))
        if errors:
            raise ProfileValidationError(errors)
        object.__setattr__(self, "variables", variables)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "api", api)
        object.__setattr__(self, "base_url", normalize_base_url(self.base_url))
        object.__setattr__(self, "fields", clean_fields)

    @property
    def kind(self) -> AuthKind:
        return auth_kind(self.api, self.auth_kind)

    @property
    def secret_names(self) -> tuple[str, ...]:
        return self.kind.secrets

    def to_json(self) -> dict[str, Any]:
        """The profile as stored on disk: never any secret."""
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "api": self.api.value,
            "base_url": self.base_url,
            "auth_kind": self.auth_kind,
            "fields": dict(sorted(self.fields.items())),
        }
        if self.timeout_s is not None:
            data["timeout_s"] = self.timeout_s
        for flag in ("production", "read_only"):
            if getattr(self, flag):
                data[flag] = True
        if self.colour:
            data["colour"] = self.colour
        if self.variables:
            data["variables"] = dict(sorted(self.variables.items()))
        if self.trusted_certificate is not None:
            data["trusted_certificate"] = self.trusted_certificate
        return data

    def refuses(self, verb: str) -> bool:
        """True when this profile is read-only and `verb` would change something on the site."""
        return self.read_only and is_write(verb)

    def confirms(self, verb: str) -> bool:
        """True when a `verb` request through this profile must be confirmed first (production writes)."""
        return self.production and is_write(verb)

    @classmethod
    def from_json(cls, data: Any) -> Profile:
        """Rebuild a stored profile; ProfileValidationError names the offending key."""
        if not isinstance(data, dict):
            raise ProfileValidationError([("profile", f"expected an object, found {type(data).__name__}")])
        missing = [key for key in ("id", "name", "api", "base_url") if key not in data]
        if missing:
            raise ProfileValidationError([(key, "missing") for key in missing])
        fields = data.get("fields", {})
        if not isinstance(fields, dict):
            raise ProfileValidationError([("fields", "expected an object of name/value pairs")])
        variables = data.get("variables", {})
        if not isinstance(variables, dict):
            raise ProfileValidationError([("variables", "expected an object of name/value pairs")])
        return cls(
            id=data["id"],
            name=data["name"],
            api=data["api"],
            base_url=data["base_url"],
            auth_kind=data.get("auth_kind", "none"),
            fields=fields,
            timeout_s=data.get("timeout_s"),
            production=data.get("production") is True,
            read_only=data.get("read_only") is True,
            colour=data.get("colour"),
            variables=variables,
            trusted_certificate=data.get("trusted_certificate"),
        )


def _checked_variables(variables: object, errors: list[tuple[str, str]]) -> dict[str, str]:
    """The profile's variables as a plain dict; a bad or secret-looking name is an error of "variables"."""
    # Imported here: the lifecycle package imports this module.
    from explorer.core.lifecycle.spec import VARIABLE_NAME
    from explorer.core.prepared import is_secret_name

    if not isinstance(variables, Mapping):
        errors.append(("variables", "expected name/value pairs"))
        return {}
    clean: dict[str, str] = {}
    for name, value in variables.items():
        if not isinstance(name, str) or not VARIABLE_NAME.fullmatch(name):
            errors.append(("variables", f"{name!r} is not a variable name (letters, digits, _ . -)"))
        elif is_secret_name(name) or is_secret_credential(name):
            errors.append(
                (
                    "variables",
                    f"{name} looks like a secret; keys go in the profile's credentials, not its variables",
                )
            )
        elif not isinstance(value, str):
            errors.append(("variables", f"{name} must be text, not {type(value).__name__}"))
        else:
            clean[name] = value
    return clean
