"""Find the catalog method a request calls, from its verb and URL path (Discourse subfolders included)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from explorer.core.catalog.model import Api, Catalog, Method

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True, slots=True)
class MethodMatch:
    """A catalog method that fits a request, with the path parameter values read from its URL.

    `prefix` is the part of the path before the method's own path: a Discourse site served from a
    subfolder (`/forum`), or the sandbox's `/disqus`.
    """

    api: Api
    method_id: str
    method: Method
    path_params: dict[str, str] = field(default_factory=dict)
    prefix: str = ""


def _template_regex(template: str) -> re.Pattern[str]:
    """`/t/{id}.json` → a pattern matching any path that *ends* with it, capturing the prefix and values."""
    parts: list[str] = []
    last = 0
    for m in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[last : m.start()]))
        parts.append(f"(?P<p{len(parts)}>[^/]+?)")
        last = m.end()
    parts.append(re.escape(template[last:]))
    return re.compile(r"(?P<prefix>(?:/[^/]+)*?)" + "".join(parts))


def _literal_length(template: str) -> int:
    return len(_PLACEHOLDER.sub("", template))


def _match_path(method: Method, path: str) -> MethodMatch | None:
    template = method.path
    if method.api is Api.DISQUS:
        # Disqus is matched by `/api/<name>` with or without the trailing slash the server insists on.
        template = template.rstrip("/")
        path = path.rstrip("/")
    found = _template_regex(template).fullmatch(path)
    if found is None:
        return None
    names = _PLACEHOLDER.findall(template)
    values = [unquote(v) for k, v in found.groupdict().items() if k != "prefix"]
    return MethodMatch(method.api, method.id, method, dict(zip(names, values, strict=True)), found["prefix"])


def match_request(verb: str, url: str, catalogs: Mapping[Api, Catalog]) -> MethodMatch | None:
    """The best catalog method for `verb` and `url`, or None.

    A path matches when it ends with the method's template; the best match has the shortest prefix
    (an exact path beats a subfolder reading), then the most literal characters (so `/t/{id}/posts.json`
    beats `/posts.json` for `/t/5/posts.json`, and a literal segment beats a placeholder).
    A Discourse path without an extension also tries `.json`, since Discourse answers JSON for either.
    """
    path = urlsplit(url).path or "/"
    verb = verb.upper()
    candidates: list[tuple[int, int, MethodMatch]] = []
    for catalog in catalogs.values():
        for method in catalog.methods:
            if method.verb != verb:
                continue
            paths = [path]
            if method.api is Api.DISCOURSE and "." not in path.rsplit("/", 1)[-1]:
                paths.append(path + ".json")
            for candidate in paths:
                match = _match_path(method, candidate)
                if match is not None:
                    candidates.append((len(match.prefix), -_literal_length(method.path), match))
                    break
    if not candidates:
        return None
    candidates.sort(key=lambda c: (c[0], c[1]))
    return candidates[0][2]
