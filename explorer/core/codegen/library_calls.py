"""Which calls pydiscourse and the discourse_api gem have a method for, and how a request maps onto one."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote

from explorer.core.codegen.curl_args import FORM_TYPE
from explorer.core.prepared import Body, PreparedRequest

# Headers both clients send themselves (Accept) or from the client's settings (the admin key and user).
_CLIENT_HEADERS = frozenset({"accept", "api-key", "api-username"})


@dataclass(frozen=True)
class LibraryMethod:
    """One client method: its name, the catalog method and path it calls, how arguments are passed.

    `positional`: path parameters (or, with a "?" prefix, query parameters) passed in this order first.
    `query`: "all" (any query parameters as keyword arguments), "none" (the method takes none) or a set of
    the names it keeps (the others are dropped by the client, so a request with them cannot use it).
    `body`: the body names the method sends (an empty set: it sends no body); `renamed` maps a body name to
    the method's own argument name.
    """

    name: str
    path: str
    positional: tuple[str, ...] = ()
    query: str | frozenset[str] = "all"
    body: frozenset[str] = frozenset()
    required_body: frozenset[str] = frozenset()
    renamed: dict[str, str] = field(default_factory=dict)
    verb: str = "GET"


@dataclass(frozen=True)
class Call:
    """A request read as a client method call: the site's address, positional and keyword arguments."""

    method: LibraryMethod
    host: str
    positional: tuple[Any, ...]
    keywords: tuple[tuple[str, Any], ...]
    api_username: str | None


def _get(name: str, path: str, *positional: str, query: str | frozenset[str] = "all") -> LibraryMethod:
    return LibraryMethod(name, path, positional, query)


_POST_FIELDS = frozenset({"title", "raw", "topic_id", "category", "tags"})

# pydiscourse 1.7 (DiscourseClient): methods that return the whole decoded body. GET keyword arguments
# become query parameters; a POST's become form fields.
PYDISCOURSE: dict[str, tuple[LibraryMethod, ...]] = {
    "listLatestTopics": (_get("latest_topics", "/latest.json"),),
    "listTopTopics": (_get("top_topics", "/top.json"),),
    "listNewTopics": (_get("new_topics", "/new.json"),),
    "listHotTopics": (_get("hot_topics", "/hot.json"),),
    "listPosts": (_get("latest_posts", "/posts.json"),),
    "getPost": (_get("post_by_id", "/posts/{id}.json", "id"),),
    "getTopicBySlug": (_get("topic", "/t/{slug}/{id}.json", "slug", "id"),),
    "getSpecificPostsFromTopic": (_get("posts", "/t/{id}/posts.json", "id"),),
    "search": (_get("search", "/search.json", "?q"),),
    "getCategory": (_get("category", "/c/{id}/show.json", "id"),),
    "getSite": (_get("get_site_info", "/site.json", query="none"),),
    "getAbout": (_get("about", "/about.json", query="none"),),
    "listSiteSettings": (_get("get_site_settings", "/admin/site_settings.json", query="none"),),
    "adminListBadges": (_get("badges", "/admin/badges.json"),),
    "listUserBadges": (_get("user_badges", "/user-badges/{username}.json", "username", query="none"),),
    "getUserEmails": (_get("user_emails", "/u/{username}/emails.json", "username", query="none"),),
    "getGroup": (_get("group", "/groups/{name}.json", "name", query="none"),),
    "adminGetUser": (_get("user_all", "/admin/users/{id}.json", "id", query="none"),),
    "adminListUsersFlag": (_get("list_users", "/admin/users/list/{flag}.json", "flag"),),
    "listUserPrivateMessages": (
        _get("private_messages", "/topics/private-messages/{username}.json", "username"),
    ),
    "listUnreadPrivateMessages": (
        _get("private_messages_unread", "/topics/private-messages-unread/{username}.json", "username"),
    ),
    "createTopicPostPM": (
        LibraryMethod(
            "create_post",
            "/posts.json",
            query="none",
            body=_POST_FIELDS
            | {
                "target_recipients",
                "archetype",
                "created_at",
                "reply_to_post_number",
                "embed_url",
                "external_id",
                "auto_track",
            },
            required_body=frozenset({"raw"}),
            renamed={"raw": "content", "category": "category_id"},
            verb="POST",
        ),
    ),
}

# The discourse_api gem (2.x, DiscourseApi::Client): its GET methods pass a params hash as the query; its
# writes keep only the arguments they list (API.params(...).required/optional) and send them as a form.
DISCOURSE_API_GEM: dict[str, tuple[LibraryMethod, ...]] = {
    "listLatestTopics": (_get("latest_topics", "/latest.json"),),
    "listTopTopics": (_get("top_topics", "/top.json"),),
    "listNewTopics": (_get("new_topics", "/new.json"),),
    "getTopic": (_get("topic", "/t/{id}.json", "id"),),
    "listTopicsCreatedBy": (_get("topics_by", "/topics/created-by/{username}.json", "username"),),
    "getPost": (_get("get_post", "/posts/{id}.json", "id", query=frozenset({"version"})),),
    "listCategories": (_get("categories_full", "/categories.json"),),
    "adminListBadges": (_get("badges", "/admin/badges.json", query="none"),),
    "listUserBadges": (_get("user_badges", "/user-badges/{username}.json", "username", query="none"),),
    "getGroup": (_get("group", "/groups/{name}.json", "name", query="none"),),
    "removeTopic": (LibraryMethod("delete_topic", "/t/{id}.json", ("id",), query="none", verb="DELETE"),),
    "createTopicPostPM": (
        LibraryMethod(
            "create_pm",
            "/posts.json",
            query="none",
            body=frozenset({"title", "raw", "target_recipients", "archetype", "category", "created_at"}),
            required_body=frozenset({"title", "raw", "target_recipients", "archetype"}),
            verb="POST",
        ),
        LibraryMethod(
            "create_topic",
            "/posts.json",
            query="none",
            body=frozenset(
                {"title", "raw", "skip_validations", "category", "auto_track", "created_at", "tags"}
                | {"external_id", "visible"}
            ),
            required_body=frozenset({"title", "raw"}),
            verb="POST",
        ),
        LibraryMethod(
            "create_post",
            "/posts.json",
            query="none",
            body=frozenset({"topic_id", "raw", "created_at"}),
            required_body=frozenset({"topic_id", "raw"}),
            verb="POST",
        ),
    ),
}


def find_call(
    request: PreparedRequest, table: dict[str, tuple[LibraryMethod, ...]], client: str
) -> Call | str:
    """The client call that sends `request`, or why there is none (a sentence naming the reason)."""
    if request.api != "discourse" or request.method_id is None:
        return f"{client} has no method for this request (it is not a Discourse catalog method)"
    candidates = table.get(request.method_id, ())
    if not candidates:
        return f"{client} has no method for {request.method_id}"
    extra = [k for k, _ in request.headers if k.lower() not in _CLIENT_HEADERS]
    if extra:
        return f"{client} sends only its own headers (Api-Key, Api-Username), not {', '.join(extra)}"
    if request.header("Api-Key") is None:
        return f"{client} authenticates with an admin API key (Api-Key), and this request has none"
    problems = []
    for method in candidates:
        found = _match(request, method)
        if isinstance(found, Call):
            return found
        problems.append(found)
    return f"{client}'s {' / '.join(m.name for m in candidates)} cannot send this request: {problems[0]}"


def _match(request: PreparedRequest, method: LibraryMethod) -> Call | str:
    if request.method.upper() != method.verb:
        return f"it sends {method.verb}"
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(method.path))
    address = re.fullmatch(f"(?P<host>.*?){pattern}", request.url)
    if address is None:
        return f"it calls {method.path}"
    positional: list[Any] = [unquote(address[name]) for name in method.positional if not name.startswith("?")]
    keywords = _query_keywords(request, method, positional)
    if isinstance(keywords, str):
        return keywords
    body = _body_keywords(request, method)
    if isinstance(body, str):
        return body
    fields = dict(body)
    if method.name == "create_post" and "content" in fields:
        body = [(k, v) for k, v in body if k != "content"]
        positional.insert(0, fields["content"])
    return Call(
        method, address["host"], tuple(positional), tuple(keywords + body), request.header("Api-Username")
    )


def _query_keywords(
    request: PreparedRequest, method: LibraryMethod, positional: list[Any]
) -> list[tuple[str, Any]] | str:
    grouped: dict[str, list[str]] = {}
    for name, value in request.query:
        grouped.setdefault(name, []).append(value)
    for name in method.positional:
        if name.startswith("?"):
            values = grouped.pop(name[1:], None)
            if values is None or len(values) != 1:
                return f"it needs one {name[1:]} parameter"
            positional.append(values[0])
    if grouped and method.query == "none":
        return "it takes no query parameters"
    if isinstance(method.query, frozenset) and set(grouped) - method.query:
        return f"it drops the parameters {', '.join(sorted(set(grouped) - method.query))}"
    return [
        (name, values if len(values) > 1 or name.endswith("[]") else values[0])
        for name, values in grouped.items()
    ]


def _body_keywords(request: PreparedRequest, method: LibraryMethod) -> list[tuple[str, Any]] | str:
    body = request.body
    if body is None:
        return [] if not method.required_body else f"it needs {', '.join(sorted(method.required_body))}"
    if not method.body:
        return "it sends no body"
    items = _body_items(body)
    if items is None:
        return f"it sends a form, not a {body.kind} body"
    names = {k for k, _ in items}
    if names - method.body:
        return f"it drops {', '.join(sorted(names - method.body))}"
    if method.required_body - names:
        return f"it needs {', '.join(sorted(method.required_body - names))}"
    for name, value in items:
        # The clients send a form: a list only as a repeated tags field, nothing nested.
        if isinstance(value, dict) or (isinstance(value, list) and name != "tags"):
            return f"a form cannot carry the nested value of {name}"
    # A form sends true/false as the text Discourse reads (Python's requests would write True/False).
    return [(method.renamed.get(str(k), str(k)), _form_value(v)) for k, v in items]


def _form_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _body_items(body: Body) -> list[tuple[str, Any]] | None:
    """The body's top-level names and values: of a JSON object, a form, or either typed as text (the
    Body tab's text arrives as a raw body with its Content-Type)."""
    if body.kind == "json":
        return list(body.json_value.items()) if isinstance(body.json_value, dict) else None
    if body.kind == "form":
        return list(body.fields)
    if body.kind != "raw":
        return None
    media = body.media_type().split(";")[0].strip().lower()
    if media == "application/json":
        try:
            document = json.loads(body.raw)
        except ValueError:
            return None
        return list(document.items()) if isinstance(document, dict) else None
    if media == FORM_TYPE:
        return parse_qsl(body.raw, keep_blank_values=True)
    return None
