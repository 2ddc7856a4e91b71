"""Addresses in imported files: the variable that stands for the site, path variables, query strings."""

from __future__ import annotations

import re
from urllib.parse import unquote_plus, urlsplit

from explorer.core.lifecycle.spec import Pair

# A URL that starts with one variable: `{{baseUrl}}/t/1.json`, or `https://{{host}}/t/1.json`.
_LEADING = re.compile(
    r"^(?P<scheme>https?://)?\{\{\s*(?P<name>[A-Za-z_$][\w.\-$]*)\s*\}\}(?P<rest>.*)$", re.S
)
# Postman and Bruno path variables: `/t/:topic_id/posts.json`.
_PATH_VARIABLE = re.compile(r"(?<=/):(?P<name>[A-Za-z_][A-Za-z0-9_]*)")
# Insomnia writes environment references as `{{ _.name }}` (and older files as `{{ name }}`).
_INSOMNIA_REFERENCE = re.compile(r"\{\{\s*_\.(?P<name>[A-Za-z_][\w.\-]*)\s*\}\}")
# Postman's generated values ({{$guid}}, {{$timestamp}}) and Insomnia's template tags ({% uuid %}).
DYNAMIC = re.compile(r"\{\{\s*\$\w+\s*\}\}|\{%.*?%\}", re.S)


def insomnia_references(text: str) -> str:
    """Insomnia's `{{ _.name }}` as our `{{name}}`."""
    return _INSOMNIA_REFERENCE.sub(lambda m: "{{" + m["name"] + "}}", text)


def split_query(url: str) -> tuple[str, list[Pair]]:
    """(the URL without query or fragment, its query as pairs); `{{references}}` are kept as they are."""
    text = url.strip()
    text, _, _ = text.partition("#")
    address, _, query = text.partition("?")
    pairs = []
    for part in query.split("&") if query else []:
        if not part:
            continue
        name, _, value = part.partition("=")
        pairs.append(Pair(unquote_plus(name), unquote_plus(value)))
    return address, pairs


def site_and_path(address: str) -> tuple[str, str | None]:
    """(the address, the variable that stands for the site or None).

    `{{baseUrl}}/t/1.json` is the path `/t/1.json` on the profile's site, and the variable is named so the
    summary can say what became of it; an address without such a variable is kept absolute.
    """
    match = _LEADING.match(address)
    if match is not None and (not match["rest"] or match["rest"][0] in "/?"):
        rest = match["rest"]
        return ("/" + rest.lstrip("/")) if rest else "/", match["name"]
    if address.startswith("/"):
        return address, None
    if not urlsplit(address).scheme and address:
        # Postman sends an address typed without a scheme over plain http, and so does this import.
        return "http://" + address, None
    return address, None


def path_variables(address: str) -> tuple[str, list[str]]:
    """The address with `:name` path variables written `{{name}}`, and their names in order."""
    names: list[str] = []

    def swap(match: re.Match[str]) -> str:
        names.append(match["name"])
        return "{{" + match["name"] + "}}"

    parts = urlsplit(address)
    if parts.scheme and parts.netloc:
        head = f"{parts.scheme}://{parts.netloc}"
        return head + _PATH_VARIABLE.sub(swap, address[len(head) :]), names
    return _PATH_VARIABLE.sub(swap, address), names


def dynamic_values(texts: list[str]) -> set[str]:
    """Generated values (Postman `{{$guid}}`, Insomnia `{% uuid %}`) that no variable can give."""
    return {m.group(0) for text in texts for m in DYNAMIC.finditer(text)}
