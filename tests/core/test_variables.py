"""`{{name}}` variables: scope order, filling every field, unknown names as field errors, spec round trips."""

from __future__ import annotations

import json

import pytest

from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api
from explorer.core.collections.variables import VariableScopes, names_in, resolve_spec
from explorer.core.lifecycle import BodySpec, Capture, Pair, RequestSpec, SpecError, Target, prepare
from explorer.core.prepared import SECRET_PLACEHOLDER

CATALOGS = load_bundled_catalogs()
BASE = "https://forum.example"
TARGET = Target(Api.DISCOURSE, BASE, {"api_key": "k-admin", "api_username": "system"}, profile_name="Forum")


def test_lookup_takes_the_first_scope_that_has_the_name() -> None:
    scopes = VariableScopes(
        request={"a": "request"},
        collection={"a": "collection", "b": "collection"},
        profile={"a": "profile", "b": "profile", "c": "profile"},
        captures={"a": "capture", "b": "capture", "c": "capture", "d": "capture"},
    )
    assert [scopes.lookup(n) for n in "abcd"] == ["request", "collection", "profile", "capture"]
    assert scopes.lookup("e") is None and scopes.source("c") == "profile"
    assert scopes.names() == {"a", "b", "c", "d"}


def test_every_field_is_filled_in() -> None:
    spec = RequestSpec(
        verb="POST",
        url="{{base}}/t/{{ topic_id }}.json",
        params=(Pair("page", "{{page}}"), Pair("off", "{{nowhere}}", enabled=False)),
        headers=(Pair("X-Trace", "run-{{run}}"),),
        body=BodySpec("form", fields=(Pair("raw", "Reply to {{topic_id}}"),)),
    )
    scopes = VariableScopes(collection={"base": BASE, "page": "2", "run": "7"}, captures={"topic_id": "42"})
    resolution = resolve_spec(spec, scopes)
    assert resolution.ok, resolution.errors
    out = resolution.spec
    assert out.url == f"{BASE}/t/42.json"
    assert out.params == (Pair("page", "2"), Pair("off", "{{nowhere}}", enabled=False))
    assert out.headers == (Pair("X-Trace", "run-7"),)
    assert out.body.fields == (Pair("raw", "Reply to 42"),)
    assert resolution.used == {
        "base": "collection",
        "page": "collection",
        "run": "collection",
        "topic_id": "captures",
    }
    # A switched-off row is not sent, so its unknown variable is not asked for.
    assert names_in(spec) == {"base", "topic_id", "page", "run"}


def test_arguments_and_their_list_items_are_filled_in_and_other_values_kept() -> None:
    spec = RequestSpec(
        api="discourse",
        method_id="createTopicPostPM",
        arguments={"title": "{{title}}", "target_recipients": ["{{who}}", "bob"], "topic_id": 5, "x": None},
    )
    out = resolve_spec(spec, VariableScopes(profile={"title": "Hello", "who": "alice"})).spec
    assert out.arguments == {
        "title": "Hello",
        "target_recipients": ["alice", "bob"],
        "topic_id": 5,
        "x": None,
    }


def test_a_reference_inside_a_json_string_is_escaped_and_outside_goes_in_as_typed() -> None:
    spec = RequestSpec(
        verb="POST",
        url="/posts.json",
        body=BodySpec("json", '{"raw": "said \\"{{quote}}\\"", "topic_id": {{topic_id}}, "tags": {{tags}}}'),
    )
    scopes = VariableScopes(captures={"quote": 'a "b" \\ c', "topic_id": "42", "tags": '["x"]'})
    body = json.loads(resolve_spec(spec, scopes).spec.body.text)
    assert body == {"raw": 'said "a "b" \\ c"', "topic_id": 42, "tags": ["x"]}


def test_raw_body_text_is_filled_in() -> None:
    spec = RequestSpec(verb="POST", url="/x", body=BodySpec("raw", "id={{id}}&x=1", "text/plain"))
    assert resolve_spec(spec, VariableScopes(request={"id": "9"})).spec.body.text == "id=9&x=1"


def test_the_specs_own_variables_come_before_every_scope() -> None:
    spec = RequestSpec(url="/t/{{id}}.json", variables={"id": "1"})
    out = resolve_spec(spec, VariableScopes(request={"id": "2"}, collection={"id": "3"})).spec
    assert out.url == "/t/1.json"


def test_unknown_variables_are_errors_of_the_field_that_holds_them() -> None:
    spec = RequestSpec(
        api="discourse",
        method_id="getTopic",
        arguments={"id": "{{topic_id}}"},
        headers=(Pair("X-A", "{{a}}"),),
        params=(Pair("{{p}}", "1"),),
        body=BodySpec("json", '{"x": "{{b}}"}'),
    )
    errors = resolve_spec(spec, VariableScopes()).errors
    assert errors == {
        "id": "unknown variable {{topic_id}}",
        "headers": "unknown variable {{a}}",
        "params": "unknown variable {{p}}",
        "body": "unknown variable {{b}}",
    }


def test_prepare_fills_in_variables_and_keeps_the_spec_as_written() -> None:
    spec = RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "{{topic_id}}"})
    prepared = prepare(spec, CATALOGS, TARGET, variables=VariableScopes(captures={"topic_id": "12"}))
    assert prepared.ok and prepared.request is not None
    assert prepared.request.url == f"{BASE}/t/12.json"
    assert prepared.spec == spec  # saved back as written, with its reference


def test_prepare_refuses_an_unknown_variable_and_builds_nothing() -> None:
    spec = RequestSpec(verb="GET", url="/t/{{topic_id}}.json")
    prepared = prepare(spec, CATALOGS, TARGET)
    assert prepared.request is None and not prepared.ok
    assert prepared.errors == {"url": "unknown variable {{topic_id}}"}


def test_a_secret_from_a_variable_is_sent_but_never_written() -> None:
    key = "s3cr3t-" + "K" * 20
    spec = RequestSpec(verb="GET", url="/latest.json", headers=(Pair("Api-Key", "{{key}}"),))
    prepared = prepare(spec, CATALOGS, TARGET, variables=VariableScopes(captures={"key": key}))
    assert prepared.request is not None and ("Api-Key", key) in prepared.request.headers
    # The reference is written (it is no secret); a value typed in its place is masked as before.
    assert "{{key}}" in spec.dumps() and key not in spec.dumps()
    typed = RequestSpec(verb="GET", url="/x", headers=(Pair("Api-Key", key),), variables={"api_key": key})
    assert key not in typed.dumps() and SECRET_PLACEHOLDER in typed.dumps()


def test_variables_and_captures_round_trip_after_fixes_and_only_when_present() -> None:
    plain = RequestSpec(verb="GET", url="/latest.json")
    assert "variables" not in plain.as_json() and "captures" not in plain.as_json()
    spec = RequestSpec(
        verb="POST",
        url="/posts.json",
        fixes=("x",),
        variables={"b": "2", "a": "1"},
        captures=(Capture("topic_id", "$.topic_id"), Capture("post", "$.post_stream.posts[0].id")),
    )
    data = spec.as_json()
    assert list(data)[-3:] == ["fixes", "variables", "captures"]
    assert list(data["variables"]) == ["a", "b"]
    assert RequestSpec.loads(spec.dumps()) == spec


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("variables", ["a"], "variables: expected an object"),
        ("variables", {"a": 1}, "variables: expected an object"),
        ("variables", {"a b": "1"}, "is not a variable name"),
        ("captures", {"a": "$.x"}, "captures: expected a list"),
        ("captures", [{"name": "a"}], "captures[0]: expected an object"),
        ("captures", [{"name": "a", "path": "topic_id"}], "captures[0].path: expected a JSON path"),
        ("captures", [{"name": "{{a}}", "path": "$.a"}], "captures[0].name"),
    ],
)
def test_bad_variables_or_captures_name_the_field(field: str, value: object, message: str) -> None:
    data = {**RequestSpec(url="/x").as_json(), field: value}
    with pytest.raises(SpecError, match=message.replace("[", r"\[").replace("]", r"\]")):
        RequestSpec.from_json(data)


def test_json_body_text_with_references_is_masked_member_by_member() -> None:
    key = "s3cr3t-" + "J" * 20
    text = '{"api_key": "' + key + '", "topic_id": {{topic_id}}, "Api-Username": "{{user}}", "x": '
    for body in (text, text + "1}"):  # halfway typed, and complete but not JSON until filled in
        assert key not in RequestSpec(verb="POST", url="/x", body=BodySpec("json", body)).dumps()
    written = RequestSpec(verb="POST", url="/x", body=BodySpec("json", text + "1}")).as_json()["body"]["text"]
    assert (
        written == '{"api_key": "<redacted>", "topic_id": {{topic_id}}, "Api-Username": "{{user}}", "x": 1}'
    )
    kept = RequestSpec(verb="POST", url="/x", body=BodySpec("json", '{"Api-Key": "{{k}}"}')).as_json()
    assert kept["body"]["text"] == '{"Api-Key": "{{k}}"}'


def test_a_list_argument_holding_numbers_is_filled_around_them() -> None:
    # Lists built in code (the journeys, the pager) may hold whole numbers beside references.
    ids: list = [119, "{{p}}"]
    spec = RequestSpec(api="discourse", method_id="getSpecificPostsFromTopic", arguments={"post_ids": ids})
    resolution = resolve_spec(spec, VariableScopes(collection={"p": "120"}))
    assert resolution.errors == {}
    assert resolution.spec.arguments["post_ids"] == [119, "120"]
    assert names_in(spec) == {"p"}
