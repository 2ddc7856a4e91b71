"""Request specifications: JSON round trip, stable order, schema version, and never a secret."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.core.lifecycle import BodySpec, Pair, RequestSpec, SpecError
from explorer.core.prepared import SECRET_PLACEHOLDER

SECRET = "k3y-d0-not-leak-0123456789abcdef"

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
pairs = st.lists(
    st.builds(Pair, st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True), text, st.booleans()), max_size=3
)


def test_catalog_spec_round_trips_with_stable_key_order() -> None:
    spec = RequestSpec(
        api="discourse",
        method_id="createTopicPostPM",
        arguments={"title": "Hello", "raw": "Body text", "tags": ["a", "b"], "archetype": None},
        headers=(Pair("X-Trace", "1"), Pair("X-Off", "2", enabled=False)),
        profile="Production forum",
        fixes=("discourse-query-credentials",),
    )
    data = spec.as_json()
    assert list(data) == [
        "schema_version",
        "api",
        "method",
        "arguments",
        "headers",
        "body",
        "profile",
        "fixes",
    ]
    assert list(data["arguments"]) == sorted(data["arguments"])
    again = RequestSpec.loads(spec.dumps())
    assert again == spec
    assert again.dumps() == spec.dumps()


@given(
    verb=st.sampled_from(["GET", "POST", "DELETE"]),
    url=text,
    params=pairs,
    headers=pairs,
    kind=st.sampled_from(["none", "raw", "form"]),
    body_text=text,
)
def test_free_form_specs_round_trip(
    verb: str, url: str, params: list[Pair], headers: list[Pair], kind: str, body_text: str
) -> None:
    # Names from the regex are never secret names, so nothing is masked and the round trip is exact.
    spec = RequestSpec(
        verb=verb,
        url=url,
        params=tuple(params),
        headers=tuple(headers),
        body=BodySpec(
            kind, body_text if kind == "raw" else "", None, tuple(params) if kind == "form" else ()
        ),
    )
    assert RequestSpec.loads(spec.dumps()) == spec


def test_secrets_never_reach_the_json() -> None:
    spec = RequestSpec(
        verb="POST",
        url="https://forum.example/posts.json",
        params=(Pair("api_key", SECRET),),
        headers=(Pair("Api-Key", SECRET), Pair("Api-Username", "system")),
        body=BodySpec("json", json.dumps({"raw": "hi", "auth": {"api_key": SECRET}})),
    )
    text = spec.dumps()
    assert SECRET not in text
    assert text.count(SECRET_PLACEHOLDER) == 3
    assert "system" in text  # not a secret: kept
    method_spec = RequestSpec(api="disqus", method_id="get_user_name", arguments={"user_api_key": SECRET})
    assert SECRET not in method_spec.dumps()


@pytest.mark.parametrize(
    ("document", "named"),
    [
        ("[]", "JSON object"),
        ('{"schema_version": 99}', "schema_version"),
        ('{"schema_version": 1, "method": "x"}', "api"),
        ('{"schema_version": 1, "verb": "FETCH"}', "verb"),
        ('{"schema_version": 1, "headers": [{"value": "x"}]}', "headers[0]"),
        ('{"schema_version": 1, "body": {"kind": "xml"}}', "body.kind"),
        ('{"schema_version": 1, "arguments": {"a": {"b": 1}}}', "arguments.a"),
        ("{not json", "not JSON"),
    ],
)
def test_bad_documents_name_the_field(document: str, named: str) -> None:
    with pytest.raises(SpecError, match=named.replace("[", r"\[").replace("]", r"\]")):
        RequestSpec.loads(document)


def test_free_form_file_rows_keep_the_full_path(tmp_path) -> None:
    from explorer.core.lifecycle.freeform import encode_body

    upload = tmp_path / "ux-upload.png"
    upload.write_bytes(b"\x89PNG")
    errors: dict[str, str] = {}
    body = encode_body(BodySpec("multipart", "", None, (Pair("file", str(upload), True, True),)), errors)
    assert not errors and body is not None
    assert [(f.filename, f.path) for f in body.files] == [("ux-upload.png", str(upload))]
