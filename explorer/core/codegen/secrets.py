"""Secrets in exported code: each becomes a named environment variable, marked in the request's strings."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote_plus, urlsplit

from explorer.core.prepared import Body, PreparedRequest, is_secret_name

# Private-use characters around a variable's index: they never occur in real requests, survive json.dumps
# (ensure_ascii=False), and let every writer find the reference wherever the secret was (URL, header, body).
_OPEN, _CLOSE = "\ue000", "\ue001"
_MARK = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
# The same marker as one captured group, so re.split keeps each marker as a piece of its own.
_MARK_PIECE = re.compile(f"({_OPEN}\\d+{_CLOSE})")

# Names a secret travels under, normalised as is_secret_name does, and the variable's name after the prefix.
_SUFFIXES = {
    "api-key": "API_KEY",
    "user-api-key": "USER_API_KEY",
    "authorization": "AUTHORIZATION",
    "cookie": "COOKIE",
    "forum-api-key": "FORUM_API_KEY",
    "partner-api-key": "PARTNER_API_KEY",
    "access-token": "ACCESS_TOKEN",
    "api-secret": "API_SECRET",
}
# Only Disqus has these: a free-form request carrying one is a Disqus request whatever its host.
_DISQUS_ONLY = frozenset({"forum-api-key", "partner-api-key", "access-token", "api-secret"})


@dataclass(frozen=True)
class EnvVar:
    """An environment variable the exported code reads; `value` is the secret it replaces (never written)."""

    name: str
    value: str

    def __repr__(self) -> str:  # a traceback or a test failure must not show the secret
        return f"EnvVar({self.name!r})"


@dataclass(frozen=True)
class Sealed:
    """A request whose secret values are replaced by markers, and the variables the markers stand for."""

    request: PreparedRequest
    variables: tuple[EnvVar, ...] = ()

    def parts(self, text: str) -> list[str | EnvVar]:
        """`text` split into literal pieces and variables, in order; empty pieces left out."""
        pieces: list[str | EnvVar] = []
        position = 0
        for match in _MARK.finditer(text):
            if match.start() > position:
                pieces.append(text[position : match.start()])
            pieces.append(self.variables[int(match[1])])
            position = match.end()
        if position < len(text):
            pieces.append(text[position:])
        return pieces

    def variable(self, text: str) -> EnvVar | None:
        """The variable when `text` is exactly one marker (the whole value is the secret), else None."""
        match = _MARK.fullmatch(text)
        return self.variables[int(match[1])] if match else None


def seal(request: PreparedRequest, *, keep_secrets: bool, public: Collection[str] = ()) -> Sealed:
    """Mark every secret of `request` (query, headers, JSON at any depth, form and multipart fields, a
    form-like raw body) as an environment variable; `keep_secrets` leaves them written in full, and so are
    the values in `public` (keys anyone may know: the sandbox's demo keys)."""
    if keep_secrets:
        return Sealed(request)
    sealer = _Sealer(_prefix(request), frozenset(public))
    body = request.body
    if body is not None:
        body = sealer.body(body)
    sealed = replace(
        request,
        query=sealer.pairs(request.query),
        headers=sealer.pairs(request.headers),
        body=body,
    )
    return Sealed(sealed, tuple(sealer.variables))


def encode_pairs(pairs: Sequence[tuple[str, str]]) -> str:
    """`urlencode(pairs)`, except that markers stay as they are (the variable's value is written raw: keys
    are URL-safe)."""
    return "&".join(f"{quote_plus(name)}={_encode_value(value)}" for name, value in pairs)


def full_url(request: PreparedRequest) -> str:
    """The URL with its query string, markers kept."""
    if not request.query:
        return request.url
    return f"{request.url}{'&' if '?' in request.url else '?'}{encode_pairs(request.query)}"


def _encode_value(value: str) -> str:
    # re.split puts the markers at the odd indices, the literal text between them at the even ones.
    return "".join(
        piece if index % 2 else quote_plus(piece) for index, piece in enumerate(_MARK_PIECE.split(value))
    )


def _prefix(request: PreparedRequest) -> str:
    """DISCOURSE or DISQUS: the API the keys belong to (guessed from the names and host when not known)."""
    if request.api:
        return request.api.upper()
    names = [k for k, _ in request.query] + [k for k, _ in request.headers]
    if request.body is not None and request.body.kind in ("form", "multipart"):
        names += [k for k, _ in request.body.fields]
    if any(_normal(n) in _DISQUS_ONLY for n in names) or "disqus" in (urlsplit(request.url).hostname or ""):
        return "DISQUS"
    return "DISCOURSE"


def _normal(name: str) -> str:
    norm = name.strip().lower().replace("_", "-")
    return norm[:-2] if norm.endswith("[]") else norm


class _Sealer:
    """Hands out one variable per (name, value); a second value under the same name gets a numbered name."""

    def __init__(self, prefix: str, public: frozenset[str]) -> None:
        self.prefix = prefix
        self.public = public
        self.variables: list[EnvVar] = []
        self._index: dict[tuple[str, str], int] = {}

    def marker(self, name: str, value: str) -> str:
        if value in self.public:
            return value
        suffix = _SUFFIXES.get(_normal(name)) or re.sub(r"\W+", "_", _normal(name)).upper()
        base = f"{self.prefix}_{suffix}"
        key = (base, value)
        if key not in self._index:
            taken = sum(1 for v in self.variables if v.name == base or v.name.startswith(base + "_"))
            self._index[key] = len(self.variables)
            self.variables.append(EnvVar(base if not taken else f"{base}_{taken + 1}", value))
        return f"{_OPEN}{self._index[key]}{_CLOSE}"

    def pairs(self, pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        return tuple((k, self.marker(k, v) if is_secret_name(k) and v else v) for k, v in pairs)

    def body(self, body: Body) -> Body:
        if body.kind == "json":
            return replace(body, json_value=self._json(body.json_value))
        if body.kind in ("form", "multipart"):
            return replace(body, fields=self.pairs(body.fields))
        document = _json_document(body.raw)
        if document is not None:
            return replace(body, raw=self._raw_json(body.raw, document))
        if body.raw and "=" in body.raw:
            return replace(body, raw=_FORM_PAIR.sub(self._raw_pair, body.raw))
        return body

    def _raw_json(self, text: str, document: Any) -> str:
        """JSON text as typed (its spacing kept, so the same bytes are sent), each secret string replaced."""
        for name, value in _secret_strings(document):
            for quoted in {json.dumps(value), json.dumps(value, ensure_ascii=False)}:
                text = text.replace(quoted, f'"{self.marker(name, value)}"')
        return text

    def _json(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                # A number under a secret name is a secret too; its variable is read as text.
                k: self.marker(str(k), str(v))
                if is_secret_name(str(k)) and isinstance(v, str | int | float) and v not in ("", True, False)
                else self._json(v)
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self._json(v) for v in value]
        return value

    def _raw_pair(self, match: re.Match[str]) -> str:
        if not match["value"] or not is_secret_name(match["name"]):
            return match[0]
        return f"{match['lead']}{match['name']}={self.marker(match['name'], match['value'])}"


def _json_document(text: str) -> Any:
    """The parsed object or array when `text` is JSON (a body typed in the Body tab arrives as text)."""
    if not text.lstrip().startswith(("{", "[")):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _secret_strings(value: Any) -> list[tuple[str, str]]:
    """(name, value) of every non-empty string under a secret name, at any depth."""
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if is_secret_name(str(key)) and isinstance(item, str) and item:
                found.append((str(key), item))
            else:
                found += _secret_strings(item)
    elif isinstance(value, list):
        for item in value:
            found += _secret_strings(item)
    return found


# A `name=value` pair of a form-encoded text (a raw body with a custom Content-Type).
_FORM_PAIR = re.compile(r"(?P<lead>^|&)(?P<name>[^=&]+)=(?P<value>[^&]*)")
