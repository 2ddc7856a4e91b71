"""Fuzz: the importers turn any JSON, YAML or .bru text into an ImportResult or an ImportFailure."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st

from explorer.core.curl.to_request import bundled_catalogs
from explorer.core.imports import ImportFailure, ImportResult, import_file, import_text
from tests.fuzz.conftest import FUZZ

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "{{host}}",
            ":id",
            "https://forum.example.org/t/{{id}}.json",
            "GET",
            "raw",
            "file",
            "formdata",
            "urlencoded",
            "application/json",
            "bearer",
            "basic",
            "apikey",
        ]
    )
)
ANY_JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=12,
)


def shaped(**fields: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """An object with some of `fields` (each drawn from its strategy), or now and then any JSON instead."""
    return st.fixed_dictionaries({}, optional=fields) | ANY_JSON


PAIRS = st.lists(shaped(key=SCALARS, name=SCALARS, value=SCALARS, disabled=SCALARS, type=SCALARS), max_size=3)
AUTH = shaped(type=SCALARS, bearer=st.lists(shaped(key=SCALARS, value=SCALARS), max_size=2), token=SCALARS)
POSTMAN_URL = SCALARS | shaped(
    raw=SCALARS, host=ANY_JSON, path=ANY_JSON, query=PAIRS, variable=PAIRS, protocol=SCALARS
)
POSTMAN_BODY = shaped(
    mode=SCALARS, raw=SCALARS, urlencoded=PAIRS, formdata=PAIRS, disabled=SCALARS, options=ANY_JSON
)
POSTMAN_REQUEST = SCALARS | shaped(
    method=SCALARS, url=POSTMAN_URL, header=PAIRS, body=POSTMAN_BODY, auth=AUTH
)
POSTMAN_ITEMS = st.recursive(
    st.lists(shaped(name=SCALARS, request=POSTMAN_REQUEST, event=ANY_JSON), max_size=3),
    lambda children: st.lists(shaped(name=SCALARS, item=children, auth=AUTH), max_size=3),
    max_leaves=6,
)
POSTMAN = st.fixed_dictionaries(
    {
        "info": shaped(
            name=SCALARS,
            schema=st.sampled_from(
                [
                    "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
                    "https://schema.getpostman.com/json/collection/v2.0.0/collection.json",
                ]
            )
            | SCALARS,
        ),
        "item": POSTMAN_ITEMS | ANY_JSON,
    },
    optional={"variable": PAIRS, "auth": AUTH},
)
INSOMNIA_RESOURCE = shaped(
    _id=SCALARS | st.sampled_from(["wrk_1", "fld_1", "req_1"]),
    parentId=SCALARS | st.sampled_from(["wrk_1", "fld_1"]),
    _type=st.sampled_from(["workspace", "request", "request_group", "environment", "grpc_request"]) | SCALARS,
    name=SCALARS,
    method=SCALARS,
    url=SCALARS,
    headers=PAIRS,
    parameters=PAIRS,
    pathParameters=PAIRS,
    body=shaped(mimeType=SCALARS, text=SCALARS, params=PAIRS),
    authentication=AUTH,
    data=ANY_JSON,
    meta=ANY_JSON,
)
INSOMNIA_V4 = st.fixed_dictionaries(
    {"_type": st.just("export"), "resources": st.lists(INSOMNIA_RESOURCE, max_size=5) | ANY_JSON},
    optional={"__export_format": st.sampled_from([3, 4, 5]) | SCALARS},
)
INSOMNIA_V5 = st.fixed_dictionaries(
    {"type": st.sampled_from(["collection.insomnia.rest/5.0", "spec.insomnia.rest/5.0"]) | SCALARS},
    optional={
        "name": SCALARS,
        "collection": st.recursive(
            st.lists(
                shaped(name=SCALARS, method=SCALARS, url=SCALARS, headers=PAIRS, meta=ANY_JSON), max_size=3
            ),
            lambda children: st.lists(
                shaped(name=SCALARS, children=children, authentication=AUTH), max_size=2
            ),
            max_leaves=5,
        )
        | ANY_JSON,
        "environments": shaped(data=ANY_JSON, subEnvironments=ANY_JSON),
    },
)
BRUNO_ITEM = shaped(
    type=st.sampled_from(["http-request", "http", "folder", "graphql"]) | SCALARS,
    name=SCALARS,
    seq=SCALARS,
    request=shaped(
        method=SCALARS,
        url=SCALARS,
        headers=PAIRS,
        params=PAIRS,
        body=ANY_JSON,
        auth=ANY_JSON,
        script=ANY_JSON,
    ),
    items=ANY_JSON,
)
BRUNO = st.fixed_dictionaries(
    {"name": SCALARS, "version": SCALARS, "items": st.lists(BRUNO_ITEM, max_size=4)},
    optional={"environments": ANY_JSON},
)
DOCUMENTS = st.one_of(POSTMAN, INSOMNIA_V4, INSOMNIA_V5, BRUNO, ANY_JSON)

BRU_BLOCKS = [
    "meta",
    "get",
    "post",
    "put",
    "delete",
    "headers",
    "params:query",
    "params:path",
    "body:json",
    "body:form-urlencoded",
    "body:multipart-form",
    "body:text",
    "auth:bearer",
    "auth:basic",
    "vars:pre-request",
    "script:pre-request",
    "docs",
    "tests",
    "body:graphql:vars",
]
BRU_LINES = st.one_of(
    st.sampled_from(BRU_BLOCKS).map(lambda name: f"{name} {{"),
    st.sampled_from(
        [
            "}",
            "]",
            "  url: https://forum.example.org/t/{{id}}.json",
            "  name: x",
            "  seq: 1",
            "  ~Api-Key: abc",
            "  Api-Username: system",
            "  token: abc",
            "  {",
            '  "a": 1',
            "vars:secret [",
            "  api_key",
            "  ~",
            "  :",
            "body {",
            "",
        ]
    ),
    st.text(max_size=30),
)


def _checked(result: object) -> None:
    assert isinstance(result, ImportResult)
    assert result.items
    for title, spec in result.items:
        assert isinstance(title, str)
        spec.dumps()  # each request can be written as a request file


@FUZZ
@given(DOCUMENTS, st.booleans())
def test_any_collection_document(document: object, as_yaml: bool) -> None:
    catalogs = bundled_catalogs()
    text = json.dumps(document, allow_nan=True)
    try:
        result = import_text(text, catalogs, yaml_first=as_yaml)
    except ImportFailure as exc:
        assert str(exc)
        event("refused with a message")
    else:
        _checked(result)
        event("imported")
        result.with_all_fixes()


@FUZZ
@given(st.text(max_size=300) | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_any_text(text: str) -> None:
    try:
        result = import_text(text, bundled_catalogs())
    except ImportFailure as exc:
        assert str(exc)
        event("refused with a message")
    else:
        _checked(result)
        event("imported")


@FUZZ
@given(st.lists(BRU_LINES, max_size=15), st.sampled_from(["request.bru", "collection.yaml", "export.json"]))
def test_any_file(lines: list[str], name: str) -> None:
    with tempfile.TemporaryDirectory() as root:
        path = Path(root) / name
        path.write_text("\n".join(lines), encoding="utf-8")
        try:
            result = import_file(path, bundled_catalogs())
        except ImportFailure as exc:
            assert str(exc)
            event("refused with a message")
        else:
            _checked(result)
            event("imported")
