"""Fixed content the seed draws from: people, categories, tags, words for topics and posts, site settings."""

from __future__ import annotations

from typing import Any

BASE_TIME = 1767607200.0  # 2026-01-05T10:00:00Z: seed timestamps are fixed so answers are reproducible
DAY = 86400.0

# Scopes of the demo granular key: enough to read lists and topics and to post, nothing administrative.
GRANULAR_SCOPES = (
    "topics:read",
    "topics:read_lists",
    "topics:write",
    "posts:edit",
    "categories:list",
    "categories:show",
    "users:show",
    "tags:list",
)

# Site settings the sandbox lists and lets admins change.
SITE_DEFAULTS: dict[str, Any] = {
    "title": "Sandbox Forum",
    "site_description": "An offline forum for learning the Discourse API",
    "contact_email": "staff@sandbox.invalid",
    "min_post_length": 20,
    "min_topic_title_length": 15,
    "max_admin_api_reqs_per_minute": 60,
    "allow_user_api_key_scopes": "read|write|session_info|notifications",
    "tagging_enabled": True,
    "enable_discourse_connect": True,
    "discourse_connect_secret": "example-connect-secret",  # the secret the catalog's syncSso example uses
    "default_locale": "en",
    "login_required": False,
    "default_trust_level": 0,
}

# (username, name, trust level, admin, moderator)
USERS = [
    ("system", "system", 4, True, True),
    ("ada_admin", "Ada Admin", 4, True, False),  # the human admin who set the forum up (id 1, as usual)
    ("mod_maria", "Maria Moderator", 3, False, True),
    ("alice", "Alice Archer", 1, False, False),
    ("bob", "Bob Builder", 0, False, False),
    ("carol", "Carol Coder", 2, False, False),
    ("dave", "Dave Dev", 3, False, False),
    ("erin", "Erin Ops", 2, False, False),
    ("frank", "Frank Flagged", 1, False, False),  # suspended in the seed
    ("grace", "Grace Hopper-Fan", 1, False, False),
    ("heidi", "Heidi Helper", 4, False, False),
    ("ivan", "Ivan Newcomer", 0, False, False),
    ("judy", "Judy Integrator", 2, False, False),
]

# (id, name, color, description, restricted)
CATEGORIES = [
    (1, "Uncategorized", "0088CC", "Topics that need no category.", False),
    (2, "General", "25AAE2", "Anything about the forum and its API.", False),
    (3, "Support", "F7941D", "Ask for help with API calls, keys and errors.", False),
    (4, "Announcements", "ED207B", "News from the sandbox team.", False),
    (5, "Integrations", "3AB54A", "Bots, webhooks, SSO and plugins built on the API.", False),
    (6, "Staff Lounge", "652D90", "Private to staff.", True),
    (7, "Playground", "92278F", "An empty category to rename, reorder or delete while learning.", False),
]

TAGS = {
    "api": "Questions about the REST API",
    "auth": "API keys, User API keys, headers",
    "rate-limits": "429s and how to back off",
    "webhooks": "Webhook payloads and signatures",
    "sso": "DiscourseConnect",
    "python": None,
    "ruby": None,
    "bug": "Something is broken",
    "feature": "Something is missing",
    "howto": None,
}

SUBJECTS = [
    "API keys",
    "the latest topics list",
    "rate limits",
    "webhooks",
    "User API keys",
    "uploads",
    "private messages",
    "group membership",
    "badges",
    "the search endpoint",
    "category permissions",
    "pagination",
    "tag groups",
    "DiscourseConnect",
    "invites",
    "backups",
    "notifications",
    "the directory",
]
TEMPLATES = [
    "How do I use {s} from a script?",
    "Trouble with {s} after upgrading",
    "Best practice for {s}",
    "Why does {s} answer 403?",
    "Example code for {s}",
    "{s}: what changed this year",
]
SENTENCES = [
    "I am calling the endpoint with curl and the headers look right.",
    "The response body has an `errors` array I did not expect.",
    "Remember that the key goes in the **Api-Key** header, never in the query string.",
    "Our bot posts a summary every morning.",
    "Pagination works with the `page` parameter, starting at zero.",
    "The admin key needs an Api-Username header as well.",
    "Thanks, that fixed it!",
    "Could you share the exact request you sent?",
    "A 429 means you should wait for the Retry-After seconds.",
    "We moved the integration to a granular key with only the scopes it needs.",
    "The JSON has more fields than the documentation lists.",
    "I checked the X-Discourse-Route header to find the controller action.",
]
