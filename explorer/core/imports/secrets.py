"""Leave secrets out of an import: credentials come from the profile, other secrets become empty variables."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace

from explorer.core.building.discourse_auth import CREDENTIAL_HEADER_NAMES, CREDENTIAL_NAMES
from explorer.core.building.disqus_wire import KEY_NAMES
from explorer.core.lifecycle.spec import REFERENCE, BodySpec, Pair
from explorer.core.prepared import SECRET_PLACEHOLDER, is_secret_name

# Names (compared with '_' read as '-', any case) whose value is a credential the profile provides.
_CREDENTIALS = frozenset(
    n.lower().replace("_", "-") for n in (*CREDENTIAL_NAMES, *CREDENTIAL_HEADER_NAMES, *KEY_NAMES)
)
# Parts of a name that say its value is a secret of another kind (a password in a sign-up body).
_SECRET_WORDS = ("password", "passwd", "secret", "token", "api-key", "apikey", "private-key")
# A JSON member whose value is a string: "name": "value" (the text may hold {{references}}).
_JSON_MEMBER = re.compile(r'"(?P<key>[^"\\]{1,100})"(?P<sep>\s*:\s*)"(?P<value>(?:[^"\\]|\\.)*)"')


def _norm(name: str) -> str:
    return name.strip().lower().replace("_", "-").removesuffix("[]")


def is_credential(name: str) -> bool:
    """True for names the profile fills in (Api-Key, api_username, Authorization, Disqus keys)."""
    return _norm(name) in _CREDENTIALS or is_secret_name(name)


def is_secret_word(name: str) -> bool:
    """True for names whose values are secrets but no profile credential (password, client_secret)."""
    norm = _norm(name)
    return any(word in norm for word in _SECRET_WORDS)


def is_reference(value: str) -> bool:
    """True when the value is nothing but one `{{name}}` reference (no secret is written there)."""
    return REFERENCE.fullmatch(value.strip()) is not None


def variable_name(name: str) -> str:
    """A variable name made from a field name: letters, digits and underscores."""
    text = re.sub(r"[^A-Za-z0-9_]+", "_", name.strip()).strip("_") or "secret"
    return text if not text[0].isdigit() else "_" + text


class Scrubber:
    """Replaces secret values while an importer reads a file, and remembers what it left out.

    A credential slot gets the placeholder, which means "the profile's" when the request is sent; any
    other secret becomes a `{{name}}` reference to a collection variable with an empty value.
    """

    def __init__(self) -> None:
        self._keys: set[str] = set()
        self._others: set[str] = set()
        self.empty_variables: dict[str, str] = {}
        self.credentials_seen = False

    @property
    def keys_left_out(self) -> int:
        """How many distinct credential values (keys, tokens) were found and not kept."""
        return len(self._keys)

    @property
    def others_left_out(self) -> int:
        """How many distinct other secret values (passwords) were found and not kept."""
        return len(self._others - self._keys)

    def _forget(self, value: str, found: set[str]) -> None:
        if value.strip() and not is_reference(value) and value != SECRET_PLACEHOLDER:
            found.add(value)

    def credential(self, value: str, *, secret: bool = True) -> str:
        """The placeholder for a credential's value; a literal secret value is counted as left out."""
        self.credentials_seen = True
        if secret:
            self._forget(value, self._keys)
        return SECRET_PLACEHOLDER

    def value(self, name: str, value: str) -> str:
        """What to keep of `value` for the field, header or parameter `name`."""
        if value == SECRET_PLACEHOLDER:
            return value  # already left out (an auth setting's key)
        if is_credential(name):
            # A username is no secret, but it comes with the key: both are the profile's.
            return self.credential(value, secret=is_secret_name(name) or is_secret_word(name))
        if is_secret_word(name) and value.strip() and not is_reference(value):
            self._forget(value, self._others)
            variable = variable_name(name)
            self.empty_variables.setdefault(variable, "")
            return "{{" + variable + "}}"
        return value

    def pairs(self, pairs: Iterable[Pair]) -> tuple[Pair, ...]:
        return tuple(p if p.is_file else replace(p, value=self.value(p.name, p.value)) for p in pairs)

    def json_text(self, text: str) -> str:
        """JSON (or JSON with unquoted references) with the string values of secret members replaced."""

        def member(match: re.Match[str]) -> str:
            key, value = match["key"], match["value"]
            kept = self.value(key, value)
            return match.group(0) if kept == value else f'"{key}"{match["sep"]}"{kept}"'

        return _JSON_MEMBER.sub(member, text)

    def body(self, body: BodySpec) -> BodySpec:
        if body.kind == "json":
            return replace(body, text=self.json_text(body.text))
        if body.kind in ("form", "multipart"):
            return replace(body, fields=self.pairs(body.fields))
        return body

    def variables(self, values: Mapping[str, str]) -> dict[str, str]:
        """Collection or environment variables without secrets: a credential's is dropped (the profile has
        it), another secret's is kept with an empty value."""
        kept: dict[str, str] = {}
        for name, value in values.items():
            if is_credential(name):
                self.credential(value, secret=is_secret_name(name) or is_secret_word(name))
            elif is_secret_word(name):
                self._forget(value, self._others)
                kept[name] = ""
            else:
                kept[name] = value
        return kept
