"""Gather an importer's requests into one shape: site variable, path variables, auth, secrets left out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from explorer.core.imports.model import MAX_REQUESTS, ImportedRequest, ImportFailure, ParsedCollection
from explorer.core.imports.secrets import Scrubber, is_secret_word
from explorer.core.imports.urls import dynamic_values, path_variables, site_and_path, split_query
from explorer.core.lifecycle.spec import REFERENCE, VERBS, BodySpec, Pair

# Content types that the body's kind already says; such a Content-Type header is not kept twice.
_KIND_TYPES = {
    "json": "application/json",
    "form": "application/x-www-form-urlencoded",
    "multipart": "multipart/form-data",
}


@dataclass(frozen=True, slots=True)
class Auth:
    """A collection's, folder's or request's auth setting: "apikey" (name, value, in header or query),
    "bearer" (value is the token), "basic" (name is the user, value the password) or "none"."""

    kind: str
    value: str = ""
    name: str = ""
    in_query: bool = False


class Collector:
    """Builds the ImportedRequests of one file in order; `finish` gives the ParsedCollection."""

    def __init__(self, name: str, source: str) -> None:
        self.name = name
        self.source = source
        self.scrubber = Scrubber()
        self.requests: list[ImportedRequest] = []
        self.notes: list[str] = []
        self._sites: Counter[str] = Counter()
        self._dynamic: set[str] = set()
        self._scripts = 0
        self._unsupported_auth: Counter[str] = Counter()

    def add(
        self,
        *,
        folder: Iterable[str],
        name: str,
        verb: str,
        url: str,
        query: Iterable[Pair] | None = None,
        headers: Iterable[Pair] = (),
        body: BodySpec | None = None,
        path_values: Mapping[str, str] | None = None,
        variables: Mapping[str, str] | None = None,
        auth: Auth | None = None,
        has_script: bool = False,
    ) -> None:
        """Add one request; `query` None means "read it from the URL"; `path_values` give `:name` path
        variables their values, `variables` are the request's own."""
        if len(self.requests) >= MAX_REQUESTS:
            raise ImportFailure(
                f"it holds more than {MAX_REQUESTS:,} requests, more than this app imports at once"
            )
        folder = tuple(folder)
        title = name.strip() or f"Request {len(self.requests) + 1}"
        method = verb.strip().upper() or "GET"
        if method not in VERBS:
            self.notes.append(
                f"{'/'.join((*folder, title))}: the verb {method} cannot be sent, so it was left out."
            )
            return
        address, url_query = split_query(url)
        # Read as a shell or Postman would: "[::1]/x" gains http://, so the address is checked both ways.
        problem = _unreadable(address) or _unreadable("http://" + address)
        if problem is not None:
            # Not echoed: the address may carry a key.
            self.notes.append(
                f"{'/'.join((*folder, title))}: the address cannot be read as a URL ({problem}), "
                "so it was left out."
            )
            return
        address, site = site_and_path(address)
        if site is not None:
            self._sites[site] += 1
        address, names = path_variables(address)
        blanks: list[str] = []
        for name_ in names:
            # A path variable with a value is that value; one left empty stays `{{name}}` to be filled in.
            given = (path_values or {}).get(name_, "").strip()
            if given:
                address = address.replace("{{" + name_ + "}}", given)
            else:
                blanks.append(name_)
        own = dict(variables or {})
        pairs = list(url_query if query is None else query)
        header_rows = list(headers)
        body = body if body is not None else BodySpec()
        header_rows, body = _content_type(header_rows, body)
        if auth is not None and auth.kind != "none":
            self._auth(auth, header_rows, pairs)
        scrub = self.scrubber
        request = ImportedRequest(
            folder=folder,
            name=title,
            verb=method,
            url=address,
            query=scrub.pairs(pairs),
            headers=scrub.pairs(header_rows),
            body=scrub.body(body),
            variables={k: scrub.value(k, v) for k, v in own.items()},
            has_script=has_script,
            blanks=tuple(blanks),
        )
        self._scripts += has_script
        texts = [address, *(p.value for p in (*request.query, *request.headers, *request.body.fields))]
        self._dynamic |= dynamic_values([*texts, request.body.text])
        self.requests.append(request)

    def _auth(self, auth: Auth, headers: list[Pair], query: list[Pair]) -> None:
        scrub = self.scrubber
        if auth.kind == "apikey" and auth.name.strip():
            pair = Pair(auth.name.strip(), scrub.credential(auth.value))
            (query if auth.in_query else headers).append(pair)
        elif auth.kind in ("bearer", "basic"):
            scrub.credential(auth.value)
            headers.append(Pair("Authorization", scrub.credential("")))
        else:
            self._unsupported_auth[auth.kind] += 1

    def finish(self, variables: Mapping[str, str]) -> ParsedCollection:
        """The collection, with the site variable taken out of the variables and notes for the summary."""
        kept = dict(variables)
        site: tuple[str, str] | None = None
        if self._sites:
            name = self._sites.most_common(1)[0][0]
            site = (name, kept.pop(name, ""))
        kept = self.scrubber.variables(kept)
        referenced = _references(self.requests)
        for name, value in self.scrubber.empty_variables.items():
            kept.setdefault(name, value)
        # A secret variable nothing refers to any more is not worth a line in the collection file.
        kept = {k: v for k, v in kept.items() if v or k in referenced}
        notes = list(self.notes)
        if self._scripts:
            notes.append(
                f"{self._scripts} request{_s(self._scripts)} had scripts (pre-request or tests), which are "
                "not imported: use captures to chain requests."
            )
        if self._dynamic:
            shown = ", ".join(sorted(self._dynamic)[:5])
            notes.append(
                f"Generated values such as {shown} are left as typed: replace them with values or variables."
            )
        for kind, count in sorted(self._unsupported_auth.items()):
            notes.append(
                f"{count} {kind} auth setting{_s(count)} cannot be imported; the profile's keys are used."
            )
        own = {name for request in self.requests for name in request.variables}
        blanks = {name for request in self.requests for name in request.blanks}
        undefined = sorted(referenced - set(kept) - own - blanks - {site[0] if site else ""})
        return ParsedCollection(
            name=self.name,
            source=self.source,
            variables=kept,
            requests=self.requests,
            site=site,
            secrets=self.scrubber.keys_left_out,
            other_secrets=self.scrubber.others_left_out,
            secret_variables=sorted(k for k, v in kept.items() if not v and is_secret_word(k)),
            undefined=undefined,
            notes=notes,
        )


def _unreadable(address: str) -> str | None:
    """Why urlsplit refuses `address` ("http://[::1": Invalid IPv6 URL), or None; the linter, the matcher
    and the sender could not read it either."""
    try:
        urlsplit(address)
    except ValueError as exc:
        return str(exc)
    return None


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _references(requests: Iterable[ImportedRequest]) -> set[str]:
    found: set[str] = set()
    for r in requests:
        texts = [r.url, r.body.text, *(p.value for p in (*r.query, *r.headers, *r.body.fields))]
        found |= {m.group(1) for text in texts for m in REFERENCE.finditer(text)}
    return found


def _content_type(headers: list[Pair], body: BodySpec) -> tuple[list[Pair], BodySpec]:
    """Move a Content-Type header onto the body it describes (or drop it when the body's kind says it)."""
    typed = next((h for h in headers if h.enabled and h.name.strip().lower() == "content-type"), None)
    if body.kind == "multipart" and not any(f.is_file and f.enabled for f in body.fields):
        # Postman's form-data without files: Discourse (Rails) reads it exactly like a urlencoded form,
        # and a form can be matched to a catalog method.
        body = replace(body, kind="form", content_type=None)
        if typed is not None and typed.value.lower().startswith("multipart/"):
            typed = replace(typed, value="")
    if typed is None or body.kind == "none":
        return headers, body
    rest = [h for h in headers if h is not typed]
    value = typed.value.strip()
    expected = _KIND_TYPES.get(body.kind)
    if not value or (expected and value.lower().split(";")[0].strip() == expected):
        return rest, body
    if body.kind == "multipart":
        return rest, body  # the boundary is chosen when sending
    return rest, replace(body, content_type=body.content_type or value)
