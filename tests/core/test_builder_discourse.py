"""The request builder for Discourse methods: URLs, escaping, Rails arrays, bodies, credentials, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.builder import BuildResult, FieldError, build_request
from explorer.core.catalog.model import Api, Method, Param

BASE = "https://forum.example.com"
ADMIN = {"api_key": "k" * 64, "api_username": "system"}

LATEST = Method(
    api=Api.DISCOURSE,
    id="listLatestTopics",
    verb="GET",
    path="/latest.json",
    group="topics",
    summary="",
    params=(
        Param("order", "query", enum=("default", "created", "activity")),
        Param("ascending", "query", type="boolean"),
        Param("page", "query", type="integer", minimum=0),
    ),
)
TOPIC_POSTS = Method(
    api=Api.DISCOURSE,
    id="getSpecificPostsFromTopic",
    verb="GET",
    path="/t/{id}/posts.json",
    group="topics",
    summary="",
    params=(
        Param("id", "path", required=True),
        Param("post_ids[]", "query", type="integer", array=True, required=True),
    ),
)
USER_BY_NAME = Method(
    api=Api.DISCOURSE,
    id="getUser",
    verb="GET",
    path="/u/{username}.json",
    group="users",
    summary="",
    params=(Param("username", "path", required=True),),
)
CREATE_TOPIC = Method(
    api=Api.DISCOURSE,
    id="createTopicPostPM",
    verb="POST",
    path="/posts.json",
    group="posts",
    summary="",
    params=(
        Param("title", "body"),
        Param("raw", "body", required=True),
        Param("category", "body", type="integer"),
        Param("target_recipients", "body", array=True),
        Param("created_at", "body", format="date-time"),
        Param("archetype", "body", enum=("regular", "private_message")),
    ),
)
CREATE_USER = Method(
    api=Api.DISCOURSE,
    id="createUser",
    verb="POST",
    path="/users.json",
    group="users",
    summary="",
    params=(
        Param("username", "body", required=True),
        Param("active", "body", type="boolean"),
        Param("user_fields", "body", type="object"),
    ),
)
UPLOAD = Method(
    api=Api.DISCOURSE,
    id="createUpload",
    verb="POST",
    path="/uploads.json",
    group="uploads",
    summary="",
    body_encoding="multipart",
    params=(
        Param("type", "body", required=True, enum=("avatar", "composer")),
        Param("synchronous", "body", type="boolean"),
        Param("file", "body", type="file", format="binary"),
    ),
)
REMOVE_MEMBERS = Method(
    api=Api.DISCOURSE,
    id="removeGroupMembers",
    verb="DELETE",
    path="/groups/{id}/members.json",
    group="groups",
    summary="",
    params=(Param("id", "path", type="integer", required=True), Param("usernames", "body")),
)


def _method(*params: Param, verb: str = "GET", path: str = "/x.json") -> Method:
    """A one-off Discourse method with just the parameters a test is about."""
    return Method(api=Api.DISCOURSE, id="m", verb=verb, path=path, group="g", summary="", params=params)


def ok(result: BuildResult):
    assert result.errors == ()
    assert result.ok and result.request is not None
    return result.request


def errors_of(result: BuildResult) -> dict[str, str]:
    assert result.request is None and not result.ok
    return {e.field: e.message for e in result.errors}


def test_simple_get_with_query_and_headers():
    req = ok(
        build_request(
            LATEST, {"order": "created", "ascending": "true", "page": "2"}, base_url=BASE, credentials=ADMIN
        )
    )
    assert req.method == "GET"
    assert req.url == "https://forum.example.com/latest.json"
    assert req.query == (("order", "created"), ("ascending", "true"), ("page", "2"))
    assert req.headers == (("Accept", "application/json"), ("Api-Key", "k" * 64), ("Api-Username", "system"))
    assert req.body is None
    assert (req.api, req.method_id) == ("discourse", "listLatestTopics")


def test_unset_values_are_left_out():
    req = ok(build_request(LATEST, {"order": "", "page": None}, base_url=BASE))
    assert req.query == ()
    assert req.full_url() == "https://forum.example.com/latest.json"


@pytest.mark.parametrize(
    "base", ["https://example.com/forum", "https://example.com/forum/", " https://example.com/forum// "]
)
def test_subfolder_site(base):
    req = ok(build_request(LATEST, {}, base_url=base))
    assert req.url == "https://example.com/forum/latest.json"


def test_base_url_with_port_and_plain_http():
    req = ok(build_request(LATEST, {}, base_url="http://127.0.0.1:4200/"))
    assert req.url == "http://127.0.0.1:4200/latest.json"


@pytest.mark.parametrize(
    "base",
    [
        "",
        "forum.example.com",
        "ftp://forum.example.com",
        "https://",
        "https:///path",
        "https://x.com/?a=1",
        "http://host:notaport",
        "http://[::1",
        "https://forum.example.com/a b",
        "https://forum.example.com/a\nb",
        "https://user:secret@forum.example.com",
    ],
)
def test_bad_base_url(base):
    errs = errors_of(build_request(LATEST, {}, base_url=base))
    assert list(errs) == ["base_url"]


def test_path_parameters_are_fully_escaped():
    req = ok(build_request(USER_BY_NAME, {"username": "a/b c?d#e%"}, base_url=BASE))
    assert req.url == "https://forum.example.com/u/a%2Fb%20c%3Fd%23e%25.json"


def test_unicode_path_parameter():
    req = ok(build_request(USER_BY_NAME, {"username": "jörg"}, base_url=BASE))
    assert req.url == "https://forum.example.com/u/j%C3%B6rg.json"


def test_empty_path_parameter_is_an_error():
    assert errors_of(build_request(USER_BY_NAME, {"username": ""}, base_url=BASE)) == {
        "username": "path parameter is empty; a value is required"
    }
    assert "username" in errors_of(build_request(USER_BY_NAME, {}, base_url=BASE))


def test_rails_array_syntax_does_not_double_brackets():
    req = ok(build_request(TOPIC_POSTS, {"id": "7", "post_ids[]": "1,2,3"}, base_url=BASE))
    assert req.url == "https://forum.example.com/t/7/posts.json"
    assert req.query == (("post_ids[]", "1"), ("post_ids[]", "2"), ("post_ids[]", "3"))
    assert req.full_url().endswith("?post_ids%5B%5D=1&post_ids%5B%5D=2&post_ids%5B%5D=3")


def test_rails_array_syntax_adds_brackets_to_plain_names():
    method = _method(Param("tags", "query", array=True))
    req = ok(build_request(method, {"tags": ["a b", "c"]}, base_url=BASE))
    assert req.query == (("tags[]", "a b"), ("tags[]", "c"))


def test_json_body_is_the_default():
    values = {
        "title": "Hello",
        "raw": "Body text",
        "category": "4",
        "target_recipients": "alice,bob",
        "created_at": "2024-05-01T10:00:00Z",
    }
    req = ok(build_request(CREATE_TOPIC, values, base_url=BASE, credentials=ADMIN))
    assert req.method == "POST"
    assert req.query == ()
    assert req.body.kind == "json"
    assert req.body.media_type() == "application/json"
    assert req.body.json_value == {
        "title": "Hello",
        "raw": "Body text",
        "category": 4,
        "target_recipients": ["alice", "bob"],
        "created_at": "2024-05-01T10:00:00Z",
    }
    assert json.loads(req.body.text())["category"] == 4


def test_form_body_on_request():
    req = ok(
        build_request(
            CREATE_TOPIC,
            {"raw": "x", "target_recipients": ["a", "b"], "category": 3},
            base_url=BASE,
            body_encoding="form",
        )
    )
    assert req.body.kind == "form"
    assert req.body.fields == (
        ("raw", "x"),
        ("category", "3"),
        ("target_recipients[]", "a"),
        ("target_recipients[]", "b"),
    )
    assert req.body.media_type() == "application/x-www-form-urlencoded"


def test_form_body_nests_objects_and_writes_booleans_as_words():
    req = ok(
        build_request(
            CREATE_USER,
            {"username": "u", "active": "yes", "user_fields": '{"1": true, "2": "x"}'},
            base_url=BASE,
            body_encoding="form",
        )
    )
    assert req.body.fields == (
        ("username", "u"),
        ("active", "true"),
        ("user_fields[1]", "true"),
        ("user_fields[2]", "x"),
    )


def test_json_body_keeps_objects_and_booleans_typed():
    req = ok(
        build_request(
            CREATE_USER, {"username": "u", "active": "0", "user_fields": {"1": True}}, base_url=BASE
        )
    )
    assert req.body.json_value == {"username": "u", "active": False, "user_fields": {"1": True}}


def test_multipart_body_on_request_without_files():
    req = ok(build_request(CREATE_USER, {"username": "u"}, base_url=BASE, body_encoding="multipart"))
    assert req.body.kind == "multipart" and req.body.fields == (("username", "u"),) and req.body.files == ()


def test_multipart_automatic_with_a_file(tmp_path: Path):
    image = tmp_path / "avatar one.png"
    image.write_bytes(b"\x89PNG\r\n")
    req = ok(
        build_request(
            UPLOAD,
            {"type": "avatar", "synchronous": True, "file": str(image)},
            base_url=BASE,
            credentials=ADMIN,
        )
    )
    assert req.body.kind == "multipart"
    assert req.body.fields == (("type", "avatar"), ("synchronous", "true"))
    (part,) = req.body.files
    assert (part.name, part.filename, part.data, part.content_type) == (
        "file",
        "avatar one.png",
        b"\x89PNG\r\n",
        "image/png",
    )


def test_multipart_file_from_memory():
    req = ok(build_request(UPLOAD, {"type": "composer", "file": ("a.txt", b"hello")}, base_url=BASE))
    assert req.body.files[0].data == b"hello"


def test_file_cannot_go_in_json():
    errs = errors_of(
        build_request(
            UPLOAD, {"type": "composer", "file": ("a.txt", b"x")}, base_url=BASE, body_encoding="json"
        )
    )
    assert errs == {"body_encoding": "files can only be sent as multipart, not json"}


def test_catalog_multipart_default_without_a_file_sends_json():
    req = ok(build_request(UPLOAD, {"type": "composer"}, base_url=BASE))
    assert req.body.kind == "json"


def test_unknown_body_encoding():
    errs = errors_of(build_request(CREATE_USER, {"username": "u"}, base_url=BASE, body_encoding="xml"))
    assert errs == {"body_encoding": "must be one of json, form, multipart"}


def test_missing_upload_file(tmp_path: Path):
    errs = errors_of(
        build_request(UPLOAD, {"type": "composer", "file": str(tmp_path / "gone.png")}, base_url=BASE)
    )
    assert errs["file"].startswith("no such file")


def test_body_on_delete():
    req = ok(
        build_request(REMOVE_MEMBERS, {"id": 5, "usernames": "alice,bob"}, base_url=BASE, credentials=ADMIN)
    )
    assert req.method == "DELETE"
    assert req.url == "https://forum.example.com/groups/5/members.json"
    assert req.body.kind == "json" and req.body.json_value == {"usernames": "alice,bob"}


def test_body_on_get_where_the_catalog_puts_it():
    method = _method(Param("q", "body"))
    assert ok(build_request(method, {"q": "v"}, base_url=BASE)).body.json_value == {"q": "v"}
    assert ok(build_request(method, {}, base_url=BASE)).body is None


def test_several_errors_reported_at_once():
    values = {"raw": "", "category": "1.5", "archetype": "banner", "created_at": "tomorrow", "colour": "red"}
    errs = errors_of(build_request(CREATE_TOPIC, values, base_url="nope", credentials={"api_username": "x"}))
    assert set(errs) == {"base_url", "raw", "category", "archetype", "created_at", "colour", "auth"}
    assert errs["raw"] == "required"
    assert errs["category"] == "expected a whole number, got '1.5'"
    assert errs["archetype"] == "'banner' is not allowed; choose from regular, private_message"
    assert errs["colour"] == "unknown argument for createTopicPostPM"
    assert "ISO 8601" in errs["created_at"]


def test_field_error_is_plain_data():
    assert FieldError("a", "b") == FieldError("a", "b")


@pytest.mark.parametrize(
    ("credentials", "expected"),
    [
        ({"api_key": "K", "api_username": "system"}, [("Api-Key", "K"), ("Api-Username", "system")]),
        ({"api_key": "K", "api_user_id": "1"}, [("Api-Key", "K"), ("Api-User-Id", "1")]),
        (
            {"api_key": "K", "api_user_external_id": "ext-9"},
            [("Api-Key", "K"), ("Api-User-External-Id", "ext-9")],
        ),
        ({"api_key": "K"}, [("Api-Key", "K")]),
        (
            {"user_api_key": "U", "user_api_client_id": "cid"},
            [("User-Api-Key", "U"), ("User-Api-Client-Id", "cid")],
        ),
        ({"user_api_key": "U"}, [("User-Api-Key", "U")]),
        ({"api_key": "", "api_username": None}, []),
        (None, []),
    ],
)
def test_credential_headers(credentials, expected):
    req = ok(build_request(LATEST, {"page": 1}, base_url=BASE, credentials=credentials))
    assert list(req.headers[1:]) == expected
    # Never in the query string or the body.
    assert req.query == (("page", "1"),)
    assert "K" not in req.full_url() and "U" not in req.full_url().split("?")[0].split("/")[-1]


@pytest.mark.parametrize(
    ("credentials", "fragment"),
    [
        ({"api_key": "K", "api_username": "a", "api_user_id": "1"}, "only one of"),
        ({"api_key": "K", "user_api_key": "U"}, "choose one kind"),
        ({"api_username": "a"}, "needs api_key"),
        ({"user_api_client_id": "c"}, "needs user_api_key"),
        ({"Api-Key": "K"}, "unknown Discourse credential Api-Key"),
        ({"api_key": "K\r\nX-Injected: 1", "api_username": "a"}, "api_key contains a line break"),
        ({"api_key": "K", "api_username": "a\x00"}, "api_username contains a line break"),
    ],
)
def test_bad_credential_combinations(credentials, fragment):
    errs = errors_of(build_request(LATEST, {}, base_url=BASE, credentials=credentials))
    assert list(errs) == ["auth"] and fragment in errs["auth"]


def test_credentials_stay_out_of_the_body():
    req = ok(
        build_request(CREATE_USER, {"username": "u"}, base_url=BASE, credentials=ADMIN, body_encoding="form")
    )
    assert all(name not in ("api_key", "api_username") for name, _ in req.body.fields)


def test_masked_hides_the_key():
    req = ok(build_request(LATEST, {}, base_url=BASE, credentials=ADMIN))
    assert req.masked().header("Api-Key") == "<redacted>"
    assert req.masked().header("Api-Username") == "system"


def test_extra_headers_are_appended():
    req = ok(
        build_request(
            LATEST,
            {},
            base_url=BASE,
            credentials=ADMIN,
            extra_headers=[("X-Trace", "1"), ("Discourse-Present", "true")],
        )
    )
    assert req.headers[-2:] == (("X-Trace", "1"), ("Discourse-Present", "true"))


@pytest.mark.parametrize("header", [("", "v"), ("Bad Name", "v"), ("X-A", "line\nbreak")])
def test_bad_extra_headers(header):
    assert list(errors_of(build_request(LATEST, {}, base_url=BASE, extra_headers=[header]))) == ["headers"]


def test_raw_body_replaces_generated_body():
    req = ok(build_request(CREATE_TOPIC, {"raw": "ignored"}, base_url=BASE, raw_body='{"raw": "mine"}'))
    assert req.body.kind == "raw" and req.body.raw == '{"raw": "mine"}'
    assert req.body.media_type() == "application/json"


def test_raw_body_skips_required_body_fields_and_keeps_the_content_type():
    req = ok(
        build_request(CREATE_TOPIC, {}, base_url=BASE, raw_body="raw=hi", raw_content_type="text/x-custom")
    )
    assert req.body.media_type() == "text/x-custom"
    assert ok(build_request(CREATE_TOPIC, {}, base_url=BASE, raw_body="raw=hi")).body.media_type() == (
        "application/x-www-form-urlencoded"
    )
    assert (
        ok(build_request(CREATE_TOPIC, {}, base_url=BASE, raw_body="plain")).body.media_type() == "text/plain"
    )


def test_same_name_in_two_places_can_be_addressed_by_location():
    method = _method(
        Param("id", "path", required=True),
        Param("id", "body", type="integer"),
        verb="PUT",
        path="/t/{id}.json",
    )
    req = ok(build_request(method, {"id": "5", "body:id": "9"}, base_url=BASE))
    assert req.url.endswith("/t/5.json") and req.body.json_value == {"id": 9}
    req = ok(build_request(method, {"id": "5"}, base_url=BASE))
    assert req.body.json_value == {"id": 5}


def _site_setting_method(*, name_location: str = "path") -> Method:
    if "name_from" not in Param.__slots__:
        pytest.skip("the catalog model has no name_from field yet")
    path = "/admin/site_settings/{name}" if name_location == "path" else "/admin/site_settings"
    return Method(
        api=Api.DISCOURSE,
        id="updateSiteSetting",
        verb="PUT",
        path=path,
        group="admin",
        summary="",
        # The renamed parameter deliberately comes first: placement must not depend on catalog order.
        params=(
            Param("setting_value", "body", required=True, name_from="name"),
            Param("name", name_location),
        ),
    )


def test_parameter_named_by_another_parameters_value():
    method = _site_setting_method()
    req = ok(build_request(method, {"name": "title", "setting_value": "My forum"}, base_url=BASE))
    assert req.url == "https://forum.example.com/admin/site_settings/title"
    assert req.body.json_value == {"title": "My forum"}
    form = ok(
        build_request(method, {"name": "title", "setting_value": "x y"}, base_url=BASE, body_encoding="form")
    )
    assert form.body.fields == (("title", "x y"),)


def test_parameter_named_by_a_missing_value():
    errs = errors_of(build_request(_site_setting_method(), {"setting_value": "x"}, base_url=BASE))
    assert errs == {"name": "path parameter is empty; a value is required"}
    optional_source = _site_setting_method(name_location="query")
    errs = errors_of(build_request(optional_source, {"setting_value": "x"}, base_url=BASE))
    assert errs == {"setting_value": "needs name, whose value names this field on the wire"}


def test_array_of_files_repeats_the_rails_name(tmp_path: Path):
    method = _method(Param("files", "body", type="file", array=True), verb="POST")
    first, second = tmp_path / "1.txt", tmp_path / "2.txt"
    first.write_text("one")
    second.write_text("two")
    req = ok(build_request(method, {"files": [str(first), str(second)]}, base_url=BASE))
    assert [(f.name, f.filename, f.data) for f in req.body.files] == [
        ("files[]", "1.txt", b"one"),
        ("files[]", "2.txt", b"two"),
    ]


# Bytes that were not UTF-8 (a shell argument, a pipe) arrive as lone surrogates: named, never raised later.
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"values": {"title": "caf\udce9", "raw": "x"}}, "title"),
        ({"values": {"raw": "x", "target_recipients": ["ok", "b\udcff"]}}, "target_recipients"),
        ({"values": {"raw": "x"}, "base_url": "https://forum.example.com/caf\udce9"}, "base_url"),
        ({"values": {"raw": "x"}, "credentials": {"api_key": "k\udcff", "api_username": "u"}}, "auth"),
        ({"values": {"raw": "x"}, "extra_headers": [("X-Note", "caf\udce9")]}, "headers"),
        ({"values": {}, "raw_body": '{"raw": "caf\udce9"}'}, "body"),
    ],
)
def test_text_that_is_not_utf8_is_a_field_error(kwargs: dict, field: str) -> None:
    options = {"base_url": BASE, **kwargs}
    errs = errors_of(build_request(CREATE_TOPIC, options.pop("values"), **options))
    assert field in errs and "not UTF-8 text" in errs[field], errs
