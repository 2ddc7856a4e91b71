"""Fuzz: the importers turn any JSON, YAML or .bru text into an ImportResult or an ImportFailure."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st

from explorer.core.curl.to_request import bundled_catalogs
from explorer.core.imports import ImportFailure, ImportResult, import_file, import_text
from tests.fuzz.conftest import FUZZ

TEXTS = st.text(max_size=12) | st.sampled_from(
    [
        "{{host}}",
        ":id",
        "{{topic_id}}",
        "https://forum.example.org/t/{{id}}.json",
        "/latest.json",
        "GET",
        "POST",
        "api_key",
        "Api-Key",
        "Api-Username",
        "application/json",
        "bearer",
        "basic",
        "apikey",
        "noauth",
        "inherit",
    ]
)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | TEXTS
ANY_JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=12,
)


def often(right: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """`right` 19 times in 20, any JSON in its place otherwise: well-formed enough to reach deep into the
    importer, damaged enough to hit every check on the way."""
    return st.integers(0, 19).flatmap(lambda n: ANY_JSON if n == 0 else right)


def shaped(
    required: dict[str, st.SearchStrategy[object]] | None = None, **optional: st.SearchStrategy[object]
):
    return often(st.fixed_dictionaries(required or {}, optional=optional))


VERBS = often(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "get", "FETCH", ""]))
URLS = often(
    st.sampled_from(
        [
            "https://forum.example.org/latest.json",
            "{{baseUrl}}/t/:id.json",
            "https://forum.example.org/posts.json?api_key=abc123def456",
            "/categories.json",
            "{{host}}/t/{{topic_id}}/posts.json",
            "http://[::1",
            "not a url",
        ]
    )
    | TEXTS
)
PAIRS = often(st.lists(shaped({"key": TEXTS, "value": TEXTS}, disabled=SCALARS, type=SCALARS), max_size=3))
AUTH = shaped(
    {"type": often(st.sampled_from(["bearer", "basic", "apikey", "noauth", "oauth2"]))},
    bearer=PAIRS,
    basic=PAIRS,
    apikey=PAIRS,
)

# Postman v2.0/v2.1
POSTMAN_URL = often(TEXTS | URLS) | shaped(
    {"raw": URLS}, host=ANY_JSON, path=ANY_JSON, query=PAIRS, variable=PAIRS, protocol=TEXTS
)
POSTMAN_BODY = shaped(
    {"mode": often(st.sampled_from(["raw", "urlencoded", "formdata", "graphql", "file"]))},
    raw=often(st.sampled_from(['{"title": "x", "api_key": "abc123def456"}', "a=1", "{{body}}", "[[["])),
    urlencoded=PAIRS,
    formdata=PAIRS,
    disabled=SCALARS,
    options=ANY_JSON,
)
POSTMAN_REQUEST = shaped({"method": VERBS, "url": POSTMAN_URL}, header=PAIRS, body=POSTMAN_BODY, auth=AUTH)
POSTMAN_ITEMS = st.recursive(
    st.lists(shaped({"name": TEXTS, "request": POSTMAN_REQUEST}, event=ANY_JSON), max_size=3),
    lambda children: st.lists(shaped({"name": TEXTS, "item": children}, auth=AUTH), max_size=3),
    max_leaves=6,
)
POSTMAN = st.fixed_dictionaries(
    {
        "info": shaped(
            {
                "name": TEXTS,
                "schema": often(
                    st.sampled_from(
                        [
                            "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
                            "https://schema.getpostman.com/json/collection/v2.0.0/collection.json",
                            "https://schema.getpostman.com/json/collection/v1.0.0/collection.json",
                        ]
                    )
                ),
            }
        ),
        "item": often(POSTMAN_ITEMS),
    },
    optional={"variable": PAIRS, "auth": AUTH},
)

# Insomnia format 4 and 5
IDS = st.sampled_from(["wrk_1", "fld_1", "fld_2", "req_1", "env_1"])
INSOMNIA_PAIRS = often(st.lists(shaped({"name": TEXTS, "value": TEXTS}, disabled=SCALARS), max_size=3))
INSOMNIA_AUTH = shaped(
    {"type": often(st.sampled_from(["bearer", "basic", "apikey", "none"]))},
    token=TEXTS,
    username=TEXTS,
    password=TEXTS,
    key=TEXTS,
    value=TEXTS,
    disabled=SCALARS,
)
INSOMNIA_BODY = shaped(
    {
        "mimeType": often(
            st.sampled_from(
                ["application/json", "application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]
            )
        )
    },
    text=TEXTS,
    params=INSOMNIA_PAIRS,
)
INSOMNIA_RESOURCE = shaped(
    {
        "_id": IDS,
        "parentId": often(IDS),
        "_type": often(
            st.sampled_from(
                [
                    "workspace",
                    "request",
                    "request",
                    "request_group",
                    "environment",
                    "grpc_request",
                    "websocket_request",
                ]
            )
        ),
    },
    name=TEXTS,
    method=VERBS,
    url=URLS,
    headers=INSOMNIA_PAIRS,
    parameters=INSOMNIA_PAIRS,
    pathParameters=INSOMNIA_PAIRS,
    body=INSOMNIA_BODY,
    authentication=INSOMNIA_AUTH,
    data=ANY_JSON,
    meta=ANY_JSON,
)
INSOMNIA_V4 = st.fixed_dictionaries(
    {
        "_type": st.just("export"),
        "__export_format": often(st.sampled_from([4, 3, 5])),
        "resources": often(st.lists(INSOMNIA_RESOURCE, max_size=6)),
    },
)
INSOMNIA_V5_REQUEST = shaped(
    {"name": TEXTS, "method": VERBS, "url": URLS},
    headers=INSOMNIA_PAIRS,
    parameters=INSOMNIA_PAIRS,
    body=INSOMNIA_BODY,
    authentication=INSOMNIA_AUTH,
    meta=shaped(id=often(st.sampled_from(["req_1", "fld_1", "ws-req_1"]))),
)
INSOMNIA_V5 = st.fixed_dictionaries(
    {
        "type": often(
            st.sampled_from(
                ["collection.insomnia.rest/5.0", "collection.insomnia.rest/4.0", "spec.insomnia.rest/5.0"]
            )
        )
    },
    optional={
        "name": TEXTS,
        "collection": often(
            st.recursive(
                st.lists(INSOMNIA_V5_REQUEST, max_size=3),
                lambda children: st.lists(
                    shaped({"name": TEXTS, "children": children}, authentication=INSOMNIA_AUTH), max_size=2
                ),
                max_leaves=5,
            )
        ),
        "environments": shaped(data=ANY_JSON, subEnvironments=ANY_JSON),
    },
)

# Bruno's JSON export
BRUNO_PAIRS = often(
    st.lists(shaped({"name": TEXTS, "value": TEXTS}, enabled=SCALARS, type=SCALARS), max_size=3)
)
BRUNO_REQUEST = shaped(
    {"method": VERBS, "url": URLS},
    headers=BRUNO_PAIRS,
    params=BRUNO_PAIRS,
    body=shaped(
        {"mode": often(st.sampled_from(["json", "formUrlEncoded", "multipartForm", "text", "none"]))},
        json=TEXTS,
        text=TEXTS,
        formUrlEncoded=BRUNO_PAIRS,
        multipartForm=BRUNO_PAIRS,
    ),
    auth=shaped(
        {"mode": often(st.sampled_from(["bearer", "basic", "inherit", "none"]))},
        bearer=ANY_JSON,
        basic=ANY_JSON,
    ),
    vars=ANY_JSON,
    script=ANY_JSON,
)
BRUNO_ITEMS = st.recursive(
    st.lists(
        shaped(
            {
                "type": often(st.sampled_from(["http-request", "graphql-request"])),
                "name": TEXTS,
                "request": BRUNO_REQUEST,
            },
            seq=SCALARS,
        ),
        max_size=3,
    ),
    lambda children: st.lists(
        shaped({"type": st.just("folder"), "name": TEXTS, "items": children}, root=ANY_JSON), max_size=2
    ),
    max_leaves=5,
)
BRUNO = st.fixed_dictionaries(
    {"name": TEXTS, "version": often(st.sampled_from(["1", "2", 1])), "items": BRUNO_ITEMS},
    optional={"environments": ANY_JSON, "root": ANY_JSON},
)
DOCUMENTS = st.one_of(POSTMAN, INSOMNIA_V4, INSOMNIA_V5, BRUNO, ANY_JSON)

# .bru files: blocks of `key: value` rows, text blocks and lists, with stray lines now and then.
BRU_DICT_BLOCKS = [
    "meta",
    "get",
    "post",
    "put",
    "delete",
    "headers",
    "params:query",
    "params:path",
    "body:form-urlencoded",
    "body:multipart-form",
    "auth:bearer",
    "auth:basic",
    "vars:pre-request",
]
BRU_TEXT_BLOCKS = ["body:json", "body:text", "script:pre-request", "docs", "tests", "body"]
BRU_ROWS = st.one_of(
    st.sampled_from(
        [
            "url: https://forum.example.org/t/{{id}}.json",
            "url: /latest.json",
            "name: Read",
            "seq: 1",
            "body: json",
            "body: formUrlEncoded",
            "auth: bearer",
            "auth: inherit",
            "~Api-Key: abc123def456",
            "Api-Username: system",
            "token: abc123def456",
            "id: 12",
            "username: me",
            "password: secret123456",
            "title: {{title}}",
            "type: http",
        ]
    ),
    st.tuples(st.text(alphabet="abcxyz~-_:", min_size=1, max_size=8), TEXTS).map(
        lambda kv: f"{kv[0]}: {kv[1]}"
    ),
)
BRU_BLOCK = st.one_of(
    st.tuples(st.sampled_from(BRU_DICT_BLOCKS), st.lists(BRU_ROWS, max_size=4)).map(
        lambda b: "\n".join([f"{b[0]} {{", *(f"  {row}" for row in b[1]), "}"])
    ),
    st.tuples(st.sampled_from(BRU_TEXT_BLOCKS), st.lists(TEXTS, max_size=3)).map(
        lambda b: "\n".join([f"{b[0]} {{", *(f"  {line}" for line in b[1]), "}"])
    ),
    st.lists(TEXTS, max_size=3).map(
        lambda items: "\n".join(["vars:secret [", *(f"  {i}" for i in items), "]"])
    ),
    st.sampled_from(["}", "]", "  stray: row", "get {", "meta {"]),
    st.text(max_size=30),
)
BRU_TEXT = st.lists(BRU_BLOCK, max_size=6).map("\n\n".join)


def _checked(result: object) -> None:
    assert isinstance(result, ImportResult)
    assert result.items
    for title, spec in result.items:
        assert isinstance(title, str)
        spec.dumps()  # each request can be written as a request file


def _imported_or_refused(load: Callable[[], ImportResult]) -> ImportResult | None:
    """Run one import: a refusal must say why, a result must hold requests that can be written."""
    try:
        result = load()
    except ImportFailure as exc:
        assert str(exc)
        event("refused with a message")
        return None
    _checked(result)
    event("imported")
    return result


@FUZZ
@given(DOCUMENTS, st.booleans())
def test_any_collection_document(document: object, as_yaml: bool) -> None:
    catalogs = bundled_catalogs()
    text = json.dumps(document, allow_nan=True)
    result = _imported_or_refused(lambda: import_text(text, catalogs, yaml_first=as_yaml))
    if result is not None:
        result.with_all_fixes()


@FUZZ
@given(st.text(max_size=300) | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_any_text(text: str) -> None:
    _imported_or_refused(lambda: import_text(text, bundled_catalogs()))


@FUZZ
@given(BRU_TEXT, st.sampled_from(["request.bru", "collection.yaml", "export.json"]))
def test_any_file(text: str, name: str) -> None:
    with tempfile.TemporaryDirectory() as root:
        path = Path(root) / name
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        _imported_or_refused(lambda: import_file(path, bundled_catalogs()))
