"""Secrets in exported code: environment variables by default, in full only when asked or public."""

from __future__ import annotations

import pytest

from explorer.core.catalog.model import Api
from explorer.core.codegen import (
    FORMAT_IDS,
    FORMATS,
    export_code,
    format_by_id,
    public_keys_of,
    secret_variables,
)
from explorer.core.lifecycle import Target
from explorer.core.prepared import SECRET_PLACEHOLDER, Body, FilePart, PreparedRequest

ADMIN_KEY = "adm1n" + "a" * 59
USER_KEY = "u5er" + "b" * 60
BEARER = "Bearer t0ken" + "c" * 30
COOKIE = "_t=c00kie" + "d" * 30
DISQUS_SECRET = "s3cret" + "e" * 40
DISQUS_TOKEN = "t0k3n" + "f" * 40
FORUM_KEY = "f0rum" + "g" * 40
SECRETS = (ADMIN_KEY, USER_KEY, BEARER, COOKIE, DISQUS_SECRET, DISQUS_TOKEN, FORUM_KEY)


def _everywhere() -> list[PreparedRequest]:
    """Requests with secrets in every place one can travel: headers, query, JSON (nested), form,
    multipart fields and a form-like raw body."""
    return [
        PreparedRequest(
            "POST",
            "https://forum.example.com/posts.json",
            query=(("api_key", ADMIN_KEY),),
            headers=(
                ("Api-Key", ADMIN_KEY),
                ("User-Api-Key", USER_KEY),
                ("Authorization", BEARER),
                ("Cookie", COOKIE),
            ),
            body=Body(
                "json",
                json_value={"raw": "x", "auth": {"api_key": ADMIN_KEY}, "list": [{"api_key": ADMIN_KEY}]},
            ),
            api="discourse",
            method_id="createTopicPostPM",
        ),
        PreparedRequest(
            "POST",
            "https://disqus.com/api/create_post/",
            body=Body(
                "form",
                fields=(
                    ("forum_api_key", FORUM_KEY),
                    ("api_secret", DISQUS_SECRET),
                    ("access_token", DISQUS_TOKEN),
                ),
            ),
            api="disqus",
        ),
        PreparedRequest(
            "POST",
            "https://forum.example.com/uploads.json",
            headers=(("Api-Key", ADMIN_KEY),),
            body=Body(
                "multipart",
                fields=(("api_key", ADMIN_KEY),),
                files=(FilePart("file", "a.png", b"x", "image/png", path="/tmp/a.png"),),
            ),
            api="discourse",
        ),
        PreparedRequest(
            "POST",
            "https://forum.example.com/raw",
            body=Body("raw", raw=f"a=1&api_key={ADMIN_KEY}&b=2", content_type="application/x-custom-form"),
        ),
        # JSON typed in the Body tab arrives as text: its secrets are found all the same.
        PreparedRequest(
            "PUT",
            "https://disqus.com/api/update_thread/",
            body=Body(
                "raw",
                raw=f'{{"thread": 1,\n  "auth": {{"access_token": "{DISQUS_TOKEN}"}}, '
                f'"api_secret": "{DISQUS_SECRET}"}}',
                content_type="application/json",
            ),
            api="disqus",
        ),
    ]


@pytest.mark.parametrize("fmt", FORMAT_IDS)
def test_no_known_secret_in_any_export_unless_asked(fmt: str) -> None:
    for request in _everywhere():
        code = export_code(request, fmt)
        leaked = [s[:8] for s in SECRETS if s in code]
        assert leaked == [], f"{fmt} wrote {leaked}"
        assert SECRET_PLACEHOLDER not in code  # a placeholder breaks the command; a variable makes it work
        for variable in secret_variables(request):
            assert variable.name in code, (fmt, variable.name)
        revealed = export_code(request, fmt, include_secrets=True)
        wanted = {v.value for v in secret_variables(request)}
        assert all(value in revealed for value in wanted), fmt


def test_variable_names_follow_the_api_and_the_key() -> None:
    names = {v.name: v.value for r in _everywhere() for v in secret_variables(r)}
    assert names["DISCOURSE_API_KEY"] == ADMIN_KEY
    assert names["DISCOURSE_USER_API_KEY"] == USER_KEY
    assert names["DISCOURSE_AUTHORIZATION"] == BEARER
    assert names["DISCOURSE_COOKIE"] == COOKIE
    assert names["DISQUS_FORUM_API_KEY"] == FORUM_KEY
    assert names["DISQUS_API_SECRET"] == DISQUS_SECRET
    assert names["DISQUS_ACCESS_TOKEN"] == DISQUS_TOKEN


def test_one_value_is_one_variable_and_a_second_value_gets_its_own() -> None:
    request = PreparedRequest(
        "GET",
        "https://forum.example.com/x.json",
        query=(("api_key", ADMIN_KEY), ("api_key", USER_KEY)),
        headers=(("Api-Key", ADMIN_KEY),),
        api="discourse",
    )
    assert [v.name for v in secret_variables(request)] == ["DISCOURSE_API_KEY", "DISCOURSE_API_KEY_2"]


def test_a_free_form_request_guesses_the_api_from_names_and_host() -> None:
    disqus = PreparedRequest("GET", "https://disqus.com/api/x/", query=(("api_key", "k" * 20),))
    assert [v.name for v in secret_variables(disqus)] == ["DISQUS_API_KEY"]
    discourse = PreparedRequest("GET", "https://forum.example.com/x.json", headers=(("Api-Key", "k" * 20),))
    assert [v.name for v in secret_variables(discourse)] == ["DISCOURSE_API_KEY"]


def test_each_language_reads_the_variable_its_own_way() -> None:
    request = _everywhere()[0]
    reads = {
        "curl": '"$DISCOURSE_API_KEY"',
        "curl-cmd": "%DISCOURSE_API_KEY%",
        "powershell": "$env:DISCOURSE_API_KEY",
        "python": 'os.environ["DISCOURSE_API_KEY"]',
        "ruby": 'ENV.fetch("DISCOURSE_API_KEY")',
        "javascript": "process.env.DISCOURSE_API_KEY",
    }
    for fmt, read in reads.items():
        assert read in export_code(request, fmt), fmt


def test_the_sandboxs_own_keys_are_written_in_full_and_no_others() -> None:
    request = _everywhere()[0]
    sandbox = Target(Api.DISCOURSE, "http://127.0.0.1:9", {"api_key": ADMIN_KEY}, is_sandbox=True)
    assert public_keys_of(sandbox) == (ADMIN_KEY,)
    code = export_code(request, "curl", public_keys=public_keys_of(sandbox))
    assert ADMIN_KEY in code and USER_KEY not in code and "$DISCOURSE_USER_API_KEY" in code
    site = Target(Api.DISCOURSE, "https://forum.example.com", {"api_key": ADMIN_KEY})
    assert public_keys_of(site) == () and public_keys_of(None) == ()


def test_a_variable_never_shows_its_value_in_a_repr() -> None:
    (variable, *_) = secret_variables(_everywhere()[0])
    assert ADMIN_KEY not in repr(variable)


def test_formats_are_the_contracts_ids() -> None:
    assert FORMAT_IDS == ("curl", "curl-cmd", "powershell", "python", "pydiscourse", "ruby", "javascript")
    assert all(format_by_id(f.id) is f for f in FORMATS)
    with pytest.raises(ValueError, match="unknown export format 'go'"):
        export_code(_everywhere()[0], "go")
