"""Hide secrets in what a server sent back: URLs in headers, cookies, and keys the server echoed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

from explorer.core.prepared import SECRET_PLACEHOLDER, PreparedRequest, is_secret_name

# Headers whose whole value is a URL: masked like `final_url` and `redirects`, so they read the same.
_URL_HEADERS = frozenset({"location", "content-location"})
# A `name=value` pair inside a query string embedded in some other header (Link, Refresh, …).
_QUERY_PAIR = re.compile(r"(?P<lead>[?&;])(?P<name>[^=&#\s;,<>\"']+)=(?P<value>[^&#\s;,<>\"']*)")
# Shorter values (user names, ids like "1") would mask ordinary words; real keys are far longer.
_MIN_ECHO_LENGTH = 8
# What an API key looks like: a long run of letters and digits with both in it (Discourse keys are 64 hex
# digits, User API keys 32, Disqus keys 64 letters and digits). Slugs and method names are broken up by
# '-', '_' or '/', or have no digits, so they stay readable. Every pattern here starts only where its
# first run of characters starts (a look-behind), so each run is scanned once: linear in the text's
# length (a lookahead at every position of a 100 KB word used to take a minute).
_ALNUM_RUN = re.compile(r"[A-Za-z0-9]{24,}")
_HAS_DIGIT = re.compile(r"[0-9]")
_HAS_LETTER = re.compile(r"[A-Za-z]")
# `scheme://user:password@host`: the password part of a URL's user info.
_USERINFO = re.compile(
    r"(?<![A-Za-z0-9+.-])(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^/@\s:]*):(?P<password>[^/@\s]+)@"
)
# A secret header written out: `Api-Key: value` (up to the end of the text or a quote).
_SECRET_HEADER = re.compile(
    r"(?<![A-Za-z0-9_-])(?P<name>[A-Za-z][A-Za-z0-9_-]*)(?P<sep>[ \t]*:\s*)(?P<value>[^'\"\n]+)"
)
# `Api-Key SECRET` typed without its colon: a secret header name, then the value after a space.
_SECRET_NAME_SPACE = re.compile(
    r"(?<![A-Za-z0-9_-])(?P<name>[A-Za-z][A-Za-z0-9_-]*)(?P<sep>[ \t]+)(?P<value>[^\s'\"]+)"
)


def mask_url(url: str, placeholder: str = SECRET_PLACEHOLDER) -> str:
    """`url` with the values of secret query parameters (Disqus keys on a GET) replaced."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if not any(is_secret_name(k) for k, _ in pairs):
        return url
    masked = [(k, placeholder if is_secret_name(k) and v else v) for k, v in pairs]
    return urlunsplit(parts._replace(query=urlencode(masked)))


def _mask_embedded_queries(value: str, placeholder: str) -> str:
    def one(match: re.Match[str]) -> str:
        if not match["value"] or not is_secret_name(match["name"]):
            return match[0]
        return f"{match['lead']}{match['name']}={quote(placeholder, safe='')}"

    return _QUERY_PAIR.sub(one, value)


def _mask_cookie(value: str, placeholder: str) -> str:
    # `name=value; Path=/; HttpOnly`: the name and attributes help debugging, the value is a session.
    pair, sep, attributes = value.partition(";")
    name, eq, _ = pair.partition("=")
    return f"{name}{eq}{placeholder}{sep}{attributes}" if eq else value


def request_secrets(request: PreparedRequest) -> list[str]:
    """The secret values a request carries (headers, query, body fields), longest first."""
    pairs = [*request.headers, *request.query]
    body = request.body
    if body is not None:
        pairs += list(body.fields)
        if body.kind == "json":
            pairs += _json_pairs(body.json_value)
        elif body.kind == "raw" and "=" in body.raw:
            pairs += parse_qsl(body.raw, keep_blank_values=True)
    found = {v for k, v in pairs if is_secret_name(k) and len(v) >= _MIN_ECHO_LENGTH}
    for value in list(found):
        # `Authorization: Bearer TOKEN` / `Basic B64`: the token alone may be echoed too.
        scheme, _, token = value.partition(" ")
        if token and scheme.isalpha() and len(token) >= _MIN_ECHO_LENGTH:
            found.add(token)
    return sorted(found, key=len, reverse=True)


def _json_pairs(value: object) -> list[tuple[str, str]]:
    """(key, text value) of every object member at any depth: `{"auth": {"api_key": …}}` is a key too."""
    found: list[tuple[str, str]] = []
    stack = [value]
    while stack:  # iterative: a deeply nested body must not exhaust the recursion limit
        item = stack.pop()
        if isinstance(item, dict):
            for k, v in item.items():
                if isinstance(v, str):
                    found.append((str(k), v))
                else:
                    stack.append(v)
        elif isinstance(item, list):
            stack.extend(item)
    return found


def scrub(text: str, secrets: Iterable[str], placeholder: str = SECRET_PLACEHOLDER) -> str:
    """`text` with every occurrence of a secret (as is, or percent-encoded as in a URL) replaced."""
    for secret in secrets:
        for form in dict.fromkeys((secret, quote(secret, safe=""), quote_plus(secret, safe=""))):
            text = text.replace(form, placeholder)
    return text


def mask_header(
    name: str, value: str, secrets: Iterable[str] = (), placeholder: str = SECRET_PLACEHOLDER
) -> str:
    """A response header's value safe to show: secret headers, URL keys, cookies and echoed keys hidden."""
    lowered = name.strip().lower()
    if not value:
        return value
    if is_secret_name(name):
        return placeholder
    if lowered in _URL_HEADERS:
        value = mask_url(value, placeholder)
    elif lowered == "set-cookie":
        value = _mask_cookie(value, placeholder)
    else:
        value = _mask_embedded_queries(value, placeholder)
    return scrub(value, secrets, placeholder)


def mask_text(text: str, placeholder: str = SECRET_PLACEHOLDER) -> str:
    """Free text that may quote what the user typed (an error about a URL, a header, a stray word),
    with anything that looks secret hidden: secret query pairs, URL passwords, `Api-Key: …` headers and
    key-like tokens. For messages, where a readable hint beats an exact copy."""
    text = _mask_embedded_queries(text, placeholder)
    text = _FORM_START.sub(lambda m: _mask_pair(m, placeholder), text)
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{placeholder}@", text)
    text = _SECRET_HEADER.sub(
        lambda m: f"{m['name']}{m['sep']}{placeholder}" if is_secret_name(m["name"]) else m[0], text
    )
    text = _SECRET_NAME_SPACE.sub(
        lambda m: f"{m['name']}{m['sep']}{placeholder}" if is_secret_name(m["name"]) else m[0], text
    )
    return _ALNUM_RUN.sub(lambda m: placeholder if _keylike(m[0]) else m[0], text)


def _keylike(run: str) -> bool:
    return _HAS_DIGIT.search(run) is not None and _HAS_LETTER.search(run) is not None


# A `name=value` pair at the start of the text or after a space (a form body or a word quoted alone).
_FORM_START = re.compile(r"(?P<lead>^|(?<=[\s'\"]))(?P<name>[^=&#\s;,<>\"']+)=(?P<value>[^&#\s;,<>\"']*)")


def _mask_pair(match: re.Match[str], placeholder: str) -> str:
    if not match["value"] or not is_secret_name(match["name"]):
        return match[0]
    return f"{match['lead']}{match['name']}={placeholder}"
