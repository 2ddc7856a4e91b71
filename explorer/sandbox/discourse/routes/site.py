"""Site-wide endpoints: site.json, basic info, about, search, and calendar events (post-event plugin)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from explorer.sandbox.discourse.render_posts import post_json
from explorer.sandbox.discourse.render_topics import tag_object, topic_item, visible_topics
from explorer.sandbox.discourse.routes.categories import category_json
from explorer.sandbox.discourse.routes.common import guardian
from explorer.sandbox.discourse.routing import Ctx, RouteSpec
from explorer.sandbox.discourse.text import excerpt, iso, parse_iso

SEARCH_PAGE = 50  # posts per page of full-page search

NOTIFICATION_TYPES = [
    "mentioned",
    "replied",
    "quoted",
    "edited",
    "liked",
    "private_message",
    "invited_to_private_message",
    "invitee_accepted",
    "posted",
    "moved_post",
    "linked",
    "granted_badge",
    "invited_to_topic",
    "custom",
    "group_mentioned",
    "group_message_summary",
    "watching_first_post",
    "topic_reminder",
    "liked_consolidated",
    "post_approved",
    "code_review_commit_approved",
    "membership_request_accepted",
    "membership_request_consolidated",
    "bookmark_reminder",
    "reaction",
    "votes_released",
    "event_reminder",
    "event_invitation",
    "chat_mention",
    "chat_message",
    "chat_invitation",
    "chat_group_mention",
    "watching_category_or_tag",
    "linked_consolidated",
]
POST_ACTION_TYPES = [
    (2, "like", "Like", False),
    (3, "off_topic", "Off-Topic", True),
    (4, "inappropriate", "Inappropriate", True),
    (6, "notify_user", "Send a message", True),
    (7, "notify_moderators", "Something Else", True),
    (8, "spam", "Spam", True),
]


def _action_type(type_id: int, key: str, name: str, is_flag: bool) -> dict[str, Any]:
    return {
        "id": type_id,
        "name_key": key,
        "name": name,
        "description": f"{name} this post",
        "short_description": name,
        "is_flag": is_flag,
        "require_message": type_id in (6, 7),
        "enabled": True,
        "applies_to": ["Post", "Chat::Message"],
        "is_used": True,
        "position": type_id,
        "auto_action_type": False,
        "system": True,
    }


def site(ctx: Ctx) -> dict[str, Any]:
    g = guardian(ctx)
    categories = [
        c for c in sorted(ctx.store.categories.values(), key=lambda c: c.position) if g.can_see_category(c)
    ]
    return {
        "default_archetype": "regular",
        "notification_types": {name: index + 1 for index, name in enumerate(NOTIFICATION_TYPES)},
        "post_types": {"regular": 1, "moderator_action": 2, "small_action": 3, "whisper": 4},
        "trust_levels": {"newuser": 0, "basic": 1, "member": 2, "regular": 3, "leader": 4},
        "groups": [
            {
                "id": gr.id,
                "name": gr.name,
                "flair_url": None,
                "flair_bg_color": None,
                "flair_color": None,
                "automatic": gr.automatic,
            }
            for gr in ctx.store.groups.values()
        ],
        "filters": ["latest", "unread", "new", "unseen", "top", "read", "posted", "bookmarks", "hot"],
        "homepage_choices": [],
        "periods": ["all", "yearly", "quarterly", "monthly", "weekly", "daily"],
        "top_menu_items": ["latest", "new", "unread", "hot", "categories"],
        "anonymous_top_menu_items": ["latest", "hot", "categories"],
        "uncategorized_category_id": 1,
        "user_field_max_length": 2048,
        "post_action_types": [_action_type(*t) for t in POST_ACTION_TYPES],
        "topic_flag_types": [_action_type(*t) for t in POST_ACTION_TYPES if t[3]],
        "can_create_tag": g.is_staff,
        "can_tag_topics": ctx.user is not None,
        "can_tag_pms": g.is_staff,
        "tags_filter_regexp": "[\\/\\?#\\[\\]@!\\$&'\\(\\)\\*\\+,;=\\.%\\\\`^\\s|\\{\\}\"<>]+",
        "top_tags": [tag_object(ctx.store, name) for name in list(ctx.store.tags)[:5]],
        "email_configured": True,
        "topic_featured_link_allowed_category_ids": [c.id for c in categories],
        "user_themes": [{"theme_id": 1, "name": "Default", "default": True, "color_scheme_id": None}],
        "user_color_schemes": [],
        "default_light_color_scheme": None,
        "default_dark_color_scheme": None,
        "censored_regexp": [],
        "custom_emoji_translation": {},
        "watched_words_replace": None,
        "watched_words_link": None,
        "categories": [category_json(ctx.store, c, ctx.user, "site") for c in categories],
        "archetypes": [{"id": "regular", "name": "Regular Topic", "options": []}],
        "user_fields": [],
        "auth_providers": [],
        "full_name_required_for_signup": False,
        "full_name_visible_in_signup": True,
    }


def basic_info(ctx: Ctx) -> dict[str, Any]:
    settings = ctx.store.site_settings
    return {
        "logo_url": "/images/sandbox-logo.png",
        "logo_small_url": "/images/sandbox-logo-small.png",
        "apple_touch_icon_url": "/images/sandbox-touch-icon.png",
        "favicon_url": "/images/sandbox-favicon.ico",
        "title": str(settings["title"]),
        "description": str(settings["site_description"]),
        "header_primary_color": "222222",
        "header_background_color": "ffffff",
        "login_required": bool(settings["login_required"]),
        "locale": str(settings["default_locale"]),
        "include_in_discourse_discover": False,
        "mobile_logo_url": "",
    }


def about(ctx: Ctx) -> dict[str, Any]:
    store = ctx.store
    staff = [u for u in store.users.values() if u.staff and u.id > 0]
    return {
        "about": {
            "title": store.site_settings["title"],
            "description": store.site_settings["site_description"],
            "locale": store.site_settings["default_locale"],
            "version": "sandbox",
            "https": False,
            "can_see_about_stats": True,
            "contact_email": store.site_settings["contact_email"],
            "moderators": [
                {"id": u.id, "username": u.username, "name": u.name, "avatar_template": u.avatar_template}
                for u in staff
                if u.moderator and not u.admin
            ],
            "admins": [
                {"id": u.id, "username": u.username, "name": u.name, "avatar_template": u.avatar_template}
                for u in staff
                if u.admin
            ],
            "stats": {
                "topic_count": len(store.topics),
                "post_count": len(store.posts),
                "user_count": len(store.users),
            },
        }
    }


def search(ctx: Ctx) -> dict[str, Any]:
    term = (ctx.str_param("q") or ctx.str_param("term") or "").strip()
    words = [w.lower() for w in term.split() if ":" not in w and not w.startswith("#")]
    topics = {t.id: t for t in visible_topics(ctx.store, ctx.user)}
    posts = [
        p
        for p in ctx.store.posts.values()
        if p.topic_id in topics
        and p.deleted_at is None
        and words
        and all(w in (p.raw + " " + topics[p.topic_id].title).lower() for w in words)
    ]
    # Full-page search answers 50 posts a page (page 1 first) and says when another page has more.
    page = max(ctx.int_param("page", 1) or 1, 1)
    more = len(posts) > page * SEARCH_PAGE or None
    posts = posts[(page - 1) * SEARCH_PAGE : page * SEARCH_PAGE]
    users = [u for u in ctx.store.users.values() if words and any(w in u.username.lower() for w in words)]
    g = guardian(ctx)
    categories = [
        c
        for c in ctx.store.categories.values()
        if g.can_see_category(c) and words and any(w in c.name.lower() for w in words)
    ]
    tags = [name for name in ctx.store.tags if words and any(w in name for w in words)]
    return {
        "posts": [
            {
                **{
                    k: v
                    for k, v in post_json(ctx.store, p, ctx.user, "show").items()
                    if k
                    in (
                        "id",
                        "name",
                        "username",
                        "avatar_template",
                        "created_at",
                        "like_count",
                        "post_number",
                        "topic_id",
                    )
                },
                "like_count": len(p.likes),
                "blurb": excerpt(p.cooked, 120),
            }
            for p in posts
        ],
        # The topics the found posts belong to, as list items (SearchResultSerializer sends them).
        "topics": [
            topic_item(ctx.store, topics[i], ctx.user) for i in dict.fromkeys(p.topic_id for p in posts)
        ],
        "users": [
            {"id": u.id, "username": u.username, "name": u.name, "avatar_template": u.avatar_template}
            for u in users
        ],
        "categories": [{"id": c.id, "name": c.name, "color": c.color, "slug": c.slug} for c in categories],
        "tags": [tag_object(ctx.store, name) for name in tags],
        "groups": [],
        "grouped_search_result": {
            "more_posts": None,
            "more_users": None,
            "more_categories": None,
            "term": term,
            "search_log_id": 1,
            "more_full_page_results": more,
            "can_create_topic": ctx.user is not None,
            "error": None if words or not term else "Your search term is too short.",
            "post_ids": [p.id for p in posts],
            "user_ids": [u.id for u in users],
            "category_ids": [c.id for c in categories],
            "tag_ids": [tag_object(ctx.store, n)["id"] for n in tags],
            "group_ids": [],
        },
    }


def _events(ctx: Ctx) -> list[dict[str, Any]]:
    """Two calendar events attached to announcement topics, so the plugin's endpoints have content."""
    topics = [t for t in visible_topics(ctx.store, ctx.user) if t.category_id == 4][:2]
    result = []
    for index, topic in enumerate(topics):
        first = ctx.store.first_post(topic.id)
        start = (parse_iso(topic.created_at) or 0) + (7 + index * 7) * 86400
        starts, ends = iso(start), iso(start + 3600)
        result.append(
            {
                "id": first.id if first else topic.id,
                "category_id": topic.category_id,
                "name": f"Office hours {index + 1}",
                "starts_at": starts,
                "ends_at": ends,
                "show_local_time": False,
                "timezone": "UTC",
                "post": {
                    "id": first.id if first else 0,
                    "post_number": 1,
                    "url": f"/t/{topic.slug}/{topic.id}/1",
                    "category_slug": "announcements",
                    "topic": {
                        "id": topic.id,
                        "title": topic.title,
                        "tags": list(topic.tags),
                        "tags_descriptions": {},
                        "slug": topic.slug,
                    },
                },
                "occurrences": [{"starts_at": starts, "ends_at": ends}],
                "can_act_on_discourse_post_event": ctx.user is not None,
                "can_update_attendance": ctx.user is not None,
                "is_closed": False,
                "is_expired": False,
                "is_ongoing": False,
                "is_private": False,
                "is_public": True,
                "is_standalone": False,
                "should_display_invitees": True,
                "status": "public",
                "at_capacity": False,
            }
        )
    return result


def events(ctx: Ctx) -> dict[str, Any]:
    return {"events": _events(ctx)}


def events_ics(ctx: Ctx) -> Response:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Sandbox Forum//Events//EN"]
    for event in _events(ctx):
        stamp = event["starts_at"].replace("-", "").replace(":", "").split(".")[0] + "Z"
        end = event["ends_at"].replace("-", "").replace(":", "").split(".")[0] + "Z"
        lines += [
            "BEGIN:VEVENT",
            f"UID:sandbox-event-{event['id']}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{stamp}",
            f"DTEND:{end}",
            f"SUMMARY:{event['name']}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return Response("\r\n".join(lines) + "\r\n", media_type="text/calendar; charset=utf-8")


def routes() -> list[RouteSpec]:
    return [
        RouteSpec("GET", "/site", "site#site", site, cache=True),
        RouteSpec("GET", "/site/basic-info", "site#basic_info", basic_info),
        RouteSpec("GET", "/about", "about#index", about),
        RouteSpec("GET", "/search", "search#show", search),
        RouteSpec("GET", "/search/query", "search#query", search),
        RouteSpec("GET", "/discourse-post-event/events", "discourse_post_event/events#index", events),
        RouteSpec(
            "GET",
            "/discourse-post-event/events",
            "discourse_post_event/events#index",
            events_ics,
            formats=("ics",),
        ),
    ]
