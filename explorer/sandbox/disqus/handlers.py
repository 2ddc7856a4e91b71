"""The 14 Disqus 1.1 methods: each takes a Call and returns the envelope's `message`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from explorer.sandbox.disqus.access import Call
from explorer.sandbox.disqus.envelope import Args, DisqusError
from explorer.sandbox.disqus.records import FILTER_VALUES, STATUSES, Post
from explorer.sandbox.disqus.state import slugify

DEFAULT_LIMIT = 25  # documented default
MAX_LIMIT = 100  # no documented maximum; larger asks get 100 (real clients asked for 100, one for more)
MODERATION_ACTIONS = ("spam", "approve", "kill")


def _page(items: list[Any], args: Args) -> list[Any]:
    limit = args.clamped("limit", DEFAULT_LIMIT, minimum=1, maximum=MAX_LIMIT)
    start = args.integer("start", 0, minimum=0)
    return items[start : start + limit]


def _filtered(posts: list[Post], args: Args) -> list[Post]:
    """filter keeps posts having *every* listed property; exclude drops posts having every listed one."""
    wanted = args.choices("filter", FILTER_VALUES)
    unwanted = args.choices("exclude", FILTER_VALUES)
    return [
        p
        for p in posts
        if all(p.matches(v) for v in wanted) and not (unwanted and all(p.matches(v) for v in unwanted))
    ]


def get_user_name(call: Call) -> Any:
    return call.state.user_keys[call.user_key()]


def get_forum_list(call: Call) -> Any:
    return [forum.shape() for forum in call.state.forums_of_user(call.user_key())]


def get_forum_api_key(call: Call) -> Any:
    call.user_key()  # the user key is checked before the forum is looked up
    return call.moderated_forum(call.args.require("forum_id")).api_key


def get_forum_posts(call: Call) -> Any:
    forum = call.read_forum(legacy_needs_forum_key=False)
    category = call.args.get("category_id")
    posts = _filtered(call.state.posts_of_forum(forum.id, category), call.args)
    order = call.args.get("order") or "desc"
    if order not in ("asc", "desc"):
        raise DisqusError(f"order must be asc or desc, got {order!r}")
    if order == "asc":
        posts.reverse()
    return [p.full_shape(call.state.threads[p.thread_id], forum) for p in _page(posts, call.args)]


def get_num_posts(call: Call) -> Any:
    raw = call.args.require("thread_ids")
    readable = call.readable_forum_ids(legacy_needs_forum_key=True)
    counts: dict[str, list[int]] = {}
    for thread_id in (t.strip() for t in raw.split(",") if t.strip()):
        thread = call.state.threads.get(thread_id)
        # Unknown threads, and threads of forums the key cannot read, are left out of the answer.
        if thread is not None and thread.forum_id in readable:
            counts[thread_id] = call.state.counts(thread_id)
    return counts


def get_categories_list(call: Call) -> Any:
    forum = call.read_forum(legacy_needs_forum_key=False)
    return [category.shape() for category in call.state.categories_of(forum.id)]


def get_thread_list(call: Call) -> Any:
    forum = call.read_forum(legacy_needs_forum_key=True)
    threads = call.state.threads_of(forum.id, call.args.get("category_id"))
    return [t.shape(call.api_version) for t in _page(threads, call.args)]


def get_updated_threads(call: Call) -> Any:
    forum = call.read_forum(legacy_needs_forum_key=False)
    since = call.args.date("since", required=True)
    assert since is not None
    return [t.shape() for t in call.state.updated_threads(forum.id, since)]


def get_thread_posts(call: Call) -> Any:
    thread = call.readable_thread(legacy_needs_forum_key=True)
    posts = _filtered(call.state.posts_of_thread(thread.id), call.args)
    return [p.flat_shape() for p in _page(posts, call.args)]


def thread_by_identifier(call: Call) -> Any:
    forum = call.forum_key()
    identifier = call.args.require("identifier")
    title = call.args.get("title")
    thread = call.state.thread_by_identifier(forum.id, identifier)
    if thread is not None:
        return {"thread": thread.shape(call.api_version), "created": False}
    if title is None:
        raise DisqusError(
            f"No thread has the identifier {identifier!r} yet, so one would be created, which needs a title"
        )
    category_id = call.args.get("category_id")
    if category_id is not None and call.state.categories.get(category_id, None) is None:
        raise DisqusError(f"category_id {category_id} could not be converted to Category object")
    if category_id is not None and call.state.categories[category_id].forum_id != forum.id:
        raise DisqusError(f"category {category_id} is not in forum {forum.id}")
    thread = call.state.add_thread(forum, title, identifier=identifier, category_id=category_id)
    return {"thread": thread.shape(call.api_version), "created": True}


def get_thread_by_url(call: Call) -> Any:
    url = call.args.require("url")
    if call.partner_key() and call.args.get("forum_api_key") is None:
        forum_ids = set(call.state.forums)
    else:
        forum_ids = {call.forum_key().id}
    thread = call.state.thread_by_url(url, forum_ids)
    return None if thread is None else thread.shape(call.api_version)


def update_thread(call: Call) -> Any:
    forum = call.forum_key()
    thread = call.owned_thread(forum, call.args.require("thread_id"))
    slug = call.args.get("slug")
    if slug is not None and slugify(slug) != slug:
        raise DisqusError(f"slug {slug!r} must be underscore-separated lowercase letters and digits")
    allow = call.args.boolean("allow_comments")
    # Validate everything before changing anything, so a bad argument leaves the thread untouched.
    thread.title = call.args.get("title") or thread.title
    thread.slug = slug or thread.slug
    thread.url = call.args.get("url") or thread.url
    if allow is not None:
        thread.allow_comments = allow
    return {}


def create_post(call: Call) -> Any:
    forum = call.forum_key()
    call.partner_key()
    thread = call.owned_thread(forum, call.args.require("thread_id"))
    message = call.args.require("message")
    name = call.args.require("author_name")
    email = call.args.require("author_email")
    if "@" not in email:
        raise DisqusError(f"author_email {email} is not an email address")
    state = call.args.get("state") or "approved"
    if state not in STATUSES:
        raise DisqusError(f"state {state!r} must be one of: {', '.join(STATUSES)}")
    created_at = call.args.date("created_at")
    parent = call.args.get("parent_post")
    if parent is not None:
        parent_post = call.state.posts.get(parent)
        if parent_post is None or parent_post.thread_id != thread.id:
            raise DisqusError(f"parent_post {parent} is not a post of thread {thread.id}")
    if not thread.allow_comments:
        raise DisqusError(f"thread {thread.id} does not allow comments (allow_comments is false)")
    post = call.state.add_post(
        thread, message, created_at=created_at, status=state, ip_address=call.args.get("ip_address") or ""
    )
    post.parent_post = parent
    post.anon_name, post.anon_email, post.anon_url = name, email, call.args.get("author_url") or ""
    return post.flat_shape()


def moderate_post(call: Call) -> Any:
    call.user_key()
    post_id = call.args.require("post_id")
    action = call.args.require("action")
    if action not in MODERATION_ACTIONS:
        raise DisqusError(f"action {action!r} must be one of: {', '.join(MODERATION_ACTIONS)}")
    post = call.state.posts.get(post_id)
    if post is None:
        raise DisqusError(f"post_id {post_id} could not be converted to Post object")
    call.moderated_forum(post.forum_id)
    return call.state.moderate(post, action).flat_shape()


Handler = Callable[[Call], Any]

# method -> (HTTP verb, handler, new in 1.1). Verbs as every 1.1 client agrees.
METHODS: dict[str, tuple[str, Handler, bool]] = {
    "get_user_name": ("POST", get_user_name, True),
    "get_forum_list": ("GET", get_forum_list, False),
    "get_forum_api_key": ("GET", get_forum_api_key, False),
    "get_forum_posts": ("GET", get_forum_posts, True),
    "get_num_posts": ("GET", get_num_posts, False),
    "get_categories_list": ("GET", get_categories_list, True),
    "get_thread_list": ("GET", get_thread_list, False),
    "get_updated_threads": ("GET", get_updated_threads, True),
    "get_thread_posts": ("GET", get_thread_posts, False),
    "thread_by_identifier": ("POST", thread_by_identifier, False),
    "get_thread_by_url": ("GET", get_thread_by_url, False),
    "update_thread": ("POST", update_thread, False),
    "create_post": ("POST", create_post, False),
    "moderate_post": ("POST", moderate_post, True),
}
