"""The diagnosis shown on screen never repeats a key, even when the server echoes it back."""

from __future__ import annotations

import json

from explorer.core.explain import explain_for_display, explain_result
from explorer.core.http.result import ExecutionResult
from explorer.core.prepared import PreparedRequest

KEY = "Zq8rKEYthatmustneverbeshown0123456789abcdefABCDEF0123456789abcd"


def _disqus_result(status: int, headers: tuple[tuple[str, str], ...], message: str) -> ExecutionResult:
    request = PreparedRequest(
        method="GET",
        url="https://disqus.example/api/get_forum_list",
        query=(("user_api_key", KEY), ("api_version", "1.1")),
        api="disqus",
    )
    body = json.dumps({"succeeded": False, "code": "bad-key", "message": message}).encode()
    return ExecutionResult(
        request=request,
        status=status,
        headers=(("Content-Type", "application/json"), *headers),
        body=body,
        size=len(body),
    )


def _texts(diagnosis) -> str:
    parts = [diagnosis.title, diagnosis.summary, *diagnosis.causes, *diagnosis.fixes]
    parts += [f"{k} {v}" for k, v in diagnosis.details]
    return "\n".join(parts)


def test_an_echoed_key_in_an_error_message_is_hidden() -> None:
    result = _disqus_result(400, (), f"The API key {KEY} is not valid for this forum")
    assert KEY in _texts(explain_result(result))  # the raw diagnosis does quote it
    shown = explain_for_display(result)
    assert KEY not in _texts(shown)
    assert shown.code == explain_result(result).code


def test_a_redirect_location_carrying_the_key_is_hidden() -> None:
    location = f"https://disqus.example/api/get_forum_list/?user_api_key={KEY}&api_version=1.1"
    result = _disqus_result(301, (("Location", location),), "moved")
    shown = explain_for_display(result)
    assert shown.code == "disqus-redirect"
    assert KEY in _texts(explain_result(result))
    assert KEY not in _texts(shown)
    # The rest of the Location stays readable, so the user still sees where the redirect points.
    assert dict(shown.details)["Location"].startswith("https://disqus.example/api/get_forum_list/?")
