"""The outcome of an import: specifications in run order, lint counts, a summary, and Fix all."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from explorer.core.catalog.model import Api, Catalog
from explorer.core.collections.naming import MAX_NAME_CHARS, safe_name
from explorer.core.imports.convert import Wire, findings, to_spec, to_wire, with_fixes
from explorer.core.imports.model import ImportedRequest, ParsedCollection, safe_segment
from explorer.core.imports.secrets import is_credential
from explorer.core.lifecycle.spec import RequestSpec
from explorer.core.lint import Finding
from explorer.core.prepared import SECRET_PLACEHOLDER

# Short phrases for the summary ("N of M requests …"); other codes use the first sentence of the finding.
_PHRASES = {
    "discourse-header-name": "spell a credential header with underscores, which proxies drop",
    "discourse-missing-username": "send Api-Key without Api-Username (Discourse needs both)",
    "insecure-transport": "go over plain http://, so keys would travel unencrypted",
    "discourse-query-auth-allowed": "pass credentials as parameters on a feed route that still accepts them",
}


@dataclass(frozen=True)
class ImportResult:
    """An imported collection ready to be written.

    `items` are ("Folder/Sub/Request title", specification) pairs in run order; `findings` counts, per
    lint code, the requests that have it, and `item_findings` gives each item's codes (same order as
    `items`); `summary` is plain sentences for the window and the CLI; `fixable` is how many requests
    Fix all (`with_all_fixes`) would change.
    """

    name: str
    variables: dict[str, str]
    items: list[tuple[str, RequestSpec]]
    summary: list[str]
    findings: dict[str, int]
    source: str = ""
    fixable: int = 0
    secrets_left_out: int = 0  # keys and other secret values found in the file and not written
    matched: int = 0
    item_findings: list[tuple[str, ...]] = field(default_factory=list)
    _parsed: ParsedCollection | None = field(default=None, repr=False, compare=False)
    _catalogs: Mapping[Api, Catalog] = field(default_factory=dict, repr=False, compare=False)

    def with_all_fixes(self) -> ImportResult:
        """Every request with every available fix applied (credentials moved to headers, and so on)."""
        if self._parsed is None or not self.fixable:
            return self
        applied: Counter[str] = Counter()
        titles: dict[str, str] = {}
        fixed: list[ImportedRequest] = []
        for item in self._parsed.requests:
            before = {f.code: f.fix.title for f in findings(to_wire(item), self._catalogs) if f.fix}
            repaired, codes = with_fixes(item, self._catalogs)
            fixed.append(repaired)
            applied.update(set(codes))
            titles.update({code: before.get(code, code) for code in codes})
        parsed = replace(self._parsed, requests=fixed)
        done = ", ".join(f"{titles[code].lower()} ({count})" for code, count in applied.most_common())
        return build_result(parsed, self._catalogs, fixed_note=f"Fixed: {done}." if done else None)


def build_result(
    parsed: ParsedCollection, catalogs: Mapping[Api, Catalog], *, fixed_note: str | None = None
) -> ImportResult:
    """Match, lint and summarise the requests an importer read."""
    items: list[tuple[str, RequestSpec]] = []
    counts: Counter[str] = Counter()
    examples: dict[str, Finding] = {}
    in_query: Counter[str] = Counter()
    in_body: Counter[str] = Counter()
    places: dict[str, set[str]] = {"query": set(), "body": set()}
    fixable = matched = 0
    taken: set[str] = set()
    per_item: list[tuple[str, ...]] = []
    for item in parsed.requests:
        spec = to_spec(item, catalogs)
        matched += spec.method_id is not None
        items.append((_unique_path(item, taken), spec))
        wire = to_wire(item)
        found = findings(wire, catalogs)
        codes = {f.code for f in found}
        per_item.append(tuple(dict.fromkeys(f.code for f in found)))
        counts.update(codes)
        for finding in found:
            examples.setdefault(finding.code, finding)
        fixable += any(f.fix is not None for f in found)
        if "discourse-query-auth" in codes:
            _credential_places(wire, in_query, in_body, places)
    result = ImportResult(
        name=parsed.name,
        variables=dict(parsed.variables),
        items=items,
        summary=[],
        findings=dict(sorted(counts.items())),
        source=parsed.source,
        fixable=fixable,
        secrets_left_out=parsed.secrets + parsed.other_secrets,
        matched=matched,
        item_findings=per_item,
        _parsed=parsed,
        _catalogs=catalogs,
    )
    lines = _summary(result, parsed, examples, in_query, in_body, places)
    if fixed_note:
        lines.insert(1, fixed_note)
    return replace(result, summary=lines)


def _credential_places(
    wire: Wire, in_query: Counter[str], in_body: Counter[str], places: dict[str, set[str]]
) -> None:
    request = wire.request
    query = [name for name, _ in request.query if is_credential(name)]
    body = request.body
    fields = (
        [name for name, _ in body.fields] if body is not None and body.kind in ("form", "multipart") else []
    )
    if body is not None and body.kind == "json" and isinstance(body.json_value, dict):
        fields = [str(k) for k in body.json_value]
    in_body_names = [name for name in fields if is_credential(name)]
    if query:
        in_query["requests"] += 1
        places["query"].update(query)
    if in_body_names:
        in_body["requests"] += 1
        places["body"].update(in_body_names)


def _unique_path(item: ImportedRequest, taken: set[str]) -> str:
    """ "Folder/Sub/Title" as the file names will read, with "(2)" added when the same folder already has
    that title; compared as the collection writes names (unsafe characters replaced, case ignored), so two
    titles that differ only there stay apart."""
    folder = [safe_name(safe_segment(part, "Folder"), "Folder") for part in item.folder]
    # Cut short enough that a "(12)" still fits inside the longest name a collection writes.
    title = safe_name(safe_segment(item.name, "Request"))[: MAX_NAME_CHARS - 6].rstrip(" .") or "Request"
    path = str(PurePosixPath(*folder, title))
    number = 2
    while path.casefold() in taken:
        path = str(PurePosixPath(*folder, f"{title} ({number})"))
        number += 1
    taken.add(path.casefold())
    return path


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _names(names: set[str]) -> str:
    ordered = sorted(names, key=lambda n: (n.lower() != "api_key", n.lower()))
    return " and ".join([", ".join(ordered[:-1]), ordered[-1]] if len(ordered) > 1 else ordered)


def _summary(
    result: ImportResult,
    parsed: ParsedCollection,
    examples: Mapping[str, Finding],
    in_query: Counter[str],
    in_body: Counter[str],
    places: Mapping[str, set[str]],
) -> list[str]:
    total = len(result.items)
    folders = {item.folder for item in parsed.requests if item.folder}
    lines = [
        f"{_plural(total, 'request')} imported from {parsed.source} “{parsed.name}”"
        + (f" in {_plural(len(folders), 'folder')}." if folders else ".")
    ]
    if parsed.site is not None:
        name, value = parsed.site
        given = f" (the file set it to {value})" if value else ""
        lines.append(
            f"{{{{{name}}}}} is the profile's site{given}: requests go to the site of the profile you use."
            if name
            else f"Addresses under {value} go to the site of the profile you use."
        )
    if total:
        lines.append(
            f"{result.matched} of {total} match a catalog method and open as its form; "
            "the others are free-form requests."
        )
    if in_query["requests"]:
        lines.append(
            f"{in_query['requests']} of {total} requests pass {_names(places['query'])} in the query string, "
            "where Discourse ignores credentials."
        )
    if in_body["requests"]:
        lines.append(
            f"{in_body['requests']} of {total} requests pass {_names(places['body'])} in the body, "
            "where Discourse ignores credentials."
        )
    for code, count in sorted(result.findings.items()):
        if code == "discourse-query-auth":
            continue
        phrase = _PHRASES.get(code) or _first_sentence(examples[code].message)
        lines.append(f"{count} of {total} requests: {phrase} ({code}).")
    carrying = sum(_carries_credentials(item) for item in parsed.requests)
    if carrying:
        lines.append(
            f"{carrying} of {total} requests carry credentials: they are sent with the profile's "
            "(shown as <redacted>), never the file's."
        )
    if result.fixable:
        lines.append(f"Fix all repairs {_plural(result.fixable, 'request')}.")
    if parsed.secrets:
        were = "key was" if parsed.secrets == 1 else "keys were"
        lines.append(f"{parsed.secrets} {were} left out; set them in your profile.")
    if parsed.other_secrets:
        names = ", ".join("{{" + name + "}}" for name in parsed.secret_variables)
        were = "value was" if parsed.other_secrets == 1 else "values were"
        fill = f": fill in {names} before sending." if names else "."
        lines.append(f"{parsed.other_secrets} other secret {were} left out (passwords and the like){fill}")
    blank = [item for item in parsed.requests if item.blanks]
    if blank:
        names = ", ".join(sorted({name for item in blank for name in item.blanks})[:8])
        leave = "leaves" if len(blank) == 1 else "leave"
        lines.append(
            f"{_plural(len(blank), 'request')} {leave} path parameters empty ({names}): "
            "fill them in before sending."
        )
    if parsed.undefined:
        shown = ", ".join("{{" + name + "}}" for name in parsed.undefined[:8])
        more = f" and {len(parsed.undefined) - 8} more" if len(parsed.undefined) > 8 else ""
        lines.append(
            f"No value in the file for {shown}{more}: set them in the collection's or the profile's "
            "variables before sending."
        )
    lines += parsed.notes
    return lines


def _carries_credentials(item: ImportedRequest) -> bool:
    rows = (*item.query, *item.headers, *item.body.fields)
    return any(row.value == SECRET_PLACEHOLDER for row in rows) or SECRET_PLACEHOLDER in item.body.text


def _first_sentence(message: str) -> str:
    sentence = message.split(". ")[0].rstrip(".")
    return sentence if len(sentence) <= 120 else sentence[:117] + "…"
