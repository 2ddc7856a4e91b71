"""Journey: a Disqus 1.1 integrator: slash, api_version and key fixes, filter/exclude with AND, moderation."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from journeys_kit import DISQUS_KEYS, apply_fix, body_json, build, codes, finding, method, send

from explorer.cli import lint as lint_cli
from explorer.core.builder import build_request
from explorer.core.curl import import_curl
from explorer.core.explain import explain_result
from explorer.core.lint import lint_request
from explorer.core.lint.access import set_param
from explorer.core.paths import AppPaths
from explorer.core.profiles import MemorySecretStore, ProfileStore, install_sandbox_profiles
from explorer.sandbox import demo
from explorer.sandbox.demo import DemoCredentials

THREAD = "2001"  # the catalog examples' thread, which the sandbox seeds


def _message(result: Any) -> Any:
    envelope = body_json(result)
    assert list(envelope) == ["succeeded", "code", "message"]
    assert envelope["succeeded"] is True and envelope["code"] == "ok", envelope
    return envelope["message"]


def _thread_posts(base: str, **values: Any) -> list[dict]:
    request = build(
        "disqus", "get_thread_posts", {"thread_id": THREAD, **values}, base_url=base, credentials=DISQUS_KEYS
    )
    return _message(send(request))


def test_an_old_create_post_call_is_repaired_step_by_step(journey_sandbox: DemoCredentials) -> None:
    base = journey_sandbox.disqus_base_url
    # A 2010 script: no trailing slash, no api_version, and the user key where the forum key is needed.
    imported = import_curl(
        f"curl {base}/api/create_post -d thread_id={THREAD} -d 'message=Great article, thanks!' "
        "-d 'author_name=Old Script' -d author_email=old@example.com "
        f"-d user_api_key={demo.DISQUS_USER_API_KEY}"
    )
    request, findings = imported.request, list(imported.findings)
    assert codes(findings)[0] == "disqus-wrong-key"  # errors first
    assert {"disqus-missing-api-version", "disqus-missing-trailing-slash", "disqus-legacy-api"} <= set(
        codes(findings)
    )
    assert "forum_api_key" in finding(findings, "disqus-wrong-key").message
    assert "without its body" in finding(findings, "disqus-missing-trailing-slash").message

    # 1. As pasted: the POST without the slash is refused, and Explain says why.
    first = send(request)
    assert first.status == 400 and body_json(first)["succeeded"] is False
    assert "slash" in explain_result(first, "disqus").summary

    # 2. Add the slash: the body arrives, and the server asks for the key the linter named.
    request = apply_fix(request, findings, "disqus-missing-trailing-slash")
    assert request.url.endswith("/api/create_post/")
    second = send(request)
    assert body_json(second)["succeeded"] is False
    assert "forum_api_key" in body_json(second)["message"]

    # 3. Add api_version=1.1 (create_post needs the forum key in both versions).
    request = apply_fix(request, lint_request(request), "disqus-missing-api-version")
    assert ("api_version", "1.1") in (request.body.fields if request.body else ())
    third = send(request)
    assert body_json(third)["succeeded"] is False and "forum_api_key" in body_json(third)["message"]
    assert explain_result(third, "disqus").severity == "error"

    # 4. The forum key (get_forum_api_key gives it to the forum's owner) completes the call.
    request = set_param(request, "forum_api_key", demo.DISQUS_FORUM_API_KEY, in_body=True)
    assert "disqus-wrong-key" not in codes(lint_request(request))
    posted = _message(send(request))
    assert posted["thread"] == THREAD and posted["message"] == "Great article, thanks!"
    assert posted["id"] in [p["id"] for p in _thread_posts(base)]


def test_missing_api_version_is_answered_as_1_0_and_the_fix_switches_to_1_1(
    reading_sandbox: DemoCredentials,
) -> None:
    # In 1.1 a user key may read a thread's posts; in 1.0 (the default without api_version) only a forum key.
    base = reading_sandbox.disqus_base_url
    imported = import_curl(
        f"curl '{base}/api/get_thread_posts/?thread_id={THREAD}&user_api_key={demo.DISQUS_USER_API_KEY}'"
    )
    warning = finding(imported.findings, "disqus-missing-api-version")
    assert "1.0" in warning.message
    as_1_0 = send(imported.request)
    envelope = body_json(as_1_0)
    assert envelope["succeeded"] is False
    assert "1.0" in envelope["message"] and "api_version" in envelope["message"]
    assert explain_result(as_1_0, "disqus").severity == "error"

    fixed = apply_fix(imported.request, imported.findings, "disqus-missing-api-version")
    posts = _message(send(fixed))
    assert posts and all(p["thread"] == THREAD for p in posts)


def test_lint_cli_on_a_get_without_slash_and_version(
    reading_sandbox: DemoCredentials, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{reading_sandbox.disqus_base_url}/api/get_forum_list?user_api_key={demo.DISQUS_USER_API_KEY}"
    assert lint_cli.main(["--json", "--", f"curl '{url}'"]) == 0  # warnings only
    printed = {f["code"]: f for f in json.loads(capsys.readouterr().out)}
    assert printed["disqus-missing-trailing-slash"]["fix"] == "Add the trailing slash"
    assert printed["disqus-missing-api-version"]["fix"] == "Add api_version=1.1"
    assert printed["disqus-keys-in-url"]["severity"] == "info"
    assert printed["disqus-legacy-api"]["severity"] == "info"


def test_a_get_without_slash_is_redirected_and_the_fixes_make_it_work(
    reading_sandbox: DemoCredentials,
) -> None:
    base = reading_sandbox.disqus_base_url
    imported = import_curl(f"curl '{base}/api/get_forum_list?user_api_key={demo.DISQUS_USER_API_KEY}'")
    redirected = send(imported.request)
    assert redirected.status == 301
    assert (redirected.header("Location") or "").split("?")[0].endswith("/api/get_forum_list/")
    diagnosis = explain_result(redirected, "disqus")
    assert diagnosis.code == "disqus-redirect" and "slash" in diagnosis.title.lower()

    fixed = apply_fix(imported.request, imported.findings, "disqus-missing-trailing-slash")
    fixed = apply_fix(fixed, lint_request(fixed), "disqus-missing-api-version")
    assert ("api_version", "1.1") in fixed.query
    forums = _message(send(fixed))
    assert demo.DISQUS_FORUM_ID in [f["id"] for f in forums]


def test_the_redirect_location_is_masked_like_the_rest(reading_sandbox: DemoCredentials) -> None:
    base = reading_sandbox.disqus_base_url
    imported = import_curl(f"curl '{base}/api/get_forum_list?user_api_key={demo.DISQUS_USER_API_KEY}'")
    redirected = send(imported.request)
    assert redirected.status == 301
    shown = redirected.masked()
    assert demo.DISQUS_USER_API_KEY not in repr(shown.headers)
    assert "user_api_key=" in (shown.header("Location") or "")  # still a usable URL, key replaced


def test_the_builder_adds_slash_version_and_key_places_itself(reading_sandbox: DemoCredentials) -> None:
    base = reading_sandbox.disqus_base_url
    get = build("disqus", "get_thread_posts", {"thread_id": THREAD}, base_url=base, credentials=DISQUS_KEYS)
    assert get.url.endswith("/api/get_thread_posts/") and ("api_version", "1.1") in get.query
    assert "user_api_key" in dict(get.query)
    assert [f.code for f in lint_request(get) if f.severity.value != "info"] == []

    post = build(
        "disqus",
        "moderate_post",
        {"post_id": "50001", "action": "approve"},
        base_url=base,
        credentials=DISQUS_KEYS,
    )
    assert post.body is not None and ("api_version", "1.1") in post.body.fields
    assert not any(k.endswith("_api_key") for k, _ in post.query)  # keys stay out of a POST's URL


def test_filter_values_combine_with_and_and_moderation_changes_later_reads(
    journey_sandbox: DemoCredentials,
) -> None:
    base = journey_sandbox.disqus_base_url
    description = method("disqus", "get_thread_posts").param("filter")
    assert description is not None and description.multi_enum and "AND" in description.description

    spam = _message(
        send(
            build(
                "disqus",
                "create_post",
                {
                    "thread_id": THREAD,
                    "message": "Buy cheap watches",
                    "author_name": "Spammer",
                    "author_email": "spam@example.com",
                    "state": "spam",
                },
                base_url=base,
                credentials=DISQUS_KEYS,
            )
        )
    )
    new = {p["id"] for p in _thread_posts(base, filter=["new"], limit=100)}
    is_spam = {p["id"] for p in _thread_posts(base, filter=["spam"], limit=100)}
    both_request = build(
        "disqus",
        "get_thread_posts",
        {"thread_id": THREAD, "filter": ["new", "spam"], "limit": 100},
        base_url=base,
        credentials=DISQUS_KEYS,
    )
    assert ("filter", "new,spam") in both_request.query  # checkboxes become one comma-joined argument
    both = {p["id"] for p in _message(send(both_request))}
    assert spam["id"] in both
    assert both == new & is_spam  # AND, not OR
    assert spam["id"] not in {p["id"] for p in _thread_posts(base, exclude=["spam"], limit=100)}

    counts_before = _message(
        send(build("disqus", "get_num_posts", {"thread_ids": THREAD}, base_url=base, credentials=DISQUS_KEYS))
    )[THREAD]
    approved = _message(
        send(
            build(
                "disqus",
                "moderate_post",
                {"post_id": spam["id"], "action": "approve"},
                base_url=base,
                credentials=DISQUS_KEYS,
            )
        )
    )
    assert approved["status"] == "approved"
    assert spam["id"] not in {p["id"] for p in _thread_posts(base, filter=["spam"], limit=100)}
    assert spam["id"] not in {
        p["id"] for p in _thread_posts(base, filter=["new"], limit=100)
    }  # moderated now
    counts_after = _message(
        send(build("disqus", "get_num_posts", {"thread_ids": THREAD}, base_url=base, credentials=DISQUS_KEYS))
    )[THREAD]
    assert counts_after[0] == counts_before[0] + 1  # one more visible comment
    assert counts_after[1] == counts_before[1]


def test_bad_date_format_is_caught_before_sending(reading_sandbox: DemoCredentials) -> None:
    result = build_request(
        method("disqus", "get_updated_threads"),
        {"forum_id": demo.DISQUS_FORUM_ID, "since": "2009-03-30 15:41:00"},
        base_url=reading_sandbox.disqus_base_url,
        credentials=DISQUS_KEYS,
    )
    assert result.request is None
    assert [e.field for e in result.errors] == ["since"]
    assert "YYYY-MM-DDTHH:MM" in result.errors[0].message

    fixed = build(
        "disqus",
        "get_updated_threads",
        {"forum_id": demo.DISQUS_FORUM_ID, "since": "2009-03-30T15:41"},
        base_url=reading_sandbox.disqus_base_url,
        credentials=DISQUS_KEYS,
    )
    assert isinstance(_message(send(fixed)), list)


def test_unknown_url_gives_a_null_message_that_explain_describes(reading_sandbox: DemoCredentials) -> None:
    request = build(
        "disqus",
        "get_thread_by_url",
        {"url": "https://blog.example.com/never-commented"},
        base_url=reading_sandbox.disqus_base_url,
        credentials=DISQUS_KEYS,
    )
    result = send(request)
    assert _message(result) is None
    assert "null" in explain_result(result, "disqus").summary


def test_wrong_key_gets_an_error_envelope_and_explain_points_at_the_keys(
    reading_sandbox: DemoCredentials,
) -> None:
    bad = {"user_api_key": "X" * 64}
    result = send(
        build("disqus", "get_forum_list", base_url=reading_sandbox.disqus_base_url, credentials=bad)
    )
    envelope = body_json(result)
    assert result.status == 400 and envelope["succeeded"] is False
    diagnosis = explain_result(result, "disqus")
    assert diagnosis.severity == "error"
    assert any("key" in fix.lower() for fix in diagnosis.fixes)
    good = send(
        replace(
            result.request,
            query=tuple(
                (k, demo.DISQUS_USER_API_KEY if k == "user_api_key" else v) for k, v in result.request.query
            ),
        )
    )
    assert _message(good)


def test_disqus_profile_fills_forum_id(reading_sandbox: DemoCredentials, tmp_path: Path) -> None:
    store = ProfileStore(AppPaths.under(tmp_path), MemorySecretStore())
    _, disqus = install_sandbox_profiles(store, reading_sandbox)
    request = build(
        "disqus", "get_thread_list", {}, base_url=disqus.base_url, credentials=store.credentials(disqus)
    )
    assert ("forum_id", demo.DISQUS_FORUM_ID) in request.query
    threads = _message(send(request))
    assert THREAD in [t["id"] for t in threads]


def test_the_seed_documents_example_runs_against_the_sandbox(
    shared_dir: Path, reading_sandbox: DemoCredentials
) -> None:
    seed = (shared_dir / "seeds" / "disqus-api-1.1-seed.txt").read_text(encoding="utf-8")
    start = seed.index("$ curl -0 -L")
    command = seed[start + 2 : seed.index('api_version=1.1"', start) + len('api_version=1.1"')]
    imported = import_curl(command)
    assert imported.match is not None and imported.match.method_id == "get_forum_list"
    assert imported.follow_redirects  # -L: curl follows the slash redirect itself

    # Pointed at the sandbox with the demo key, the command works as written: the 301 is followed.
    request = replace(
        imported.request,
        url=imported.request.url.replace("http://disqus.com", reading_sandbox.disqus_base_url),
        query=tuple(
            (k, demo.DISQUS_USER_API_KEY if k == "user_api_key" else v) for k, v in imported.request.query
        ),
    )
    followed = send(request, follow_redirects=imported.follow_redirects)
    assert [code for code, _ in followed.redirects] == [301]
    assert demo.DISQUS_FORUM_ID in [f["id"] for f in _message(followed)]

    # With the linter's slash fix there is no detour at all.
    direct = send(apply_fix(request, lint_request(request), "disqus-missing-trailing-slash"))
    assert direct.redirects == () and _message(direct) == _message(followed)


def test_a_post_method_called_with_get_is_refused_with_the_right_verb(
    reading_sandbox: DemoCredentials,
) -> None:
    # Old clients disagree on verbs; the catalog says which one each 1.1 method takes.
    assert method("disqus", "get_user_name").verb == "POST"
    base = reading_sandbox.disqus_base_url
    imported = import_curl(
        f"curl '{base}/api/get_user_name/?user_api_key={demo.DISQUS_USER_API_KEY}&api_version=1.1'"
    )
    assert imported.request.method == "GET"
    refused = send(imported.request)
    assert refused.status == 405 and "POST" in (refused.header("Allow") or "")
    envelope = body_json(refused)
    assert envelope["succeeded"] is False and "POST" in envelope["message"]

    built = build("disqus", "get_user_name", base_url=base, credentials=DISQUS_KEYS)
    assert built.method == "POST"
    assert isinstance(_message(send(built)), str)
