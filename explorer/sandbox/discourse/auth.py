"""Who is calling: header credentials (and on a few routes parameters), resolved like Discourse does."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from explorer.sandbox.discourse import errors
from explorer.sandbox.discourse.model import ApiKeyRecord, User
from explorer.sandbox.discourse.store import Store

# Granular admin-key scopes -> the controller#action names they open (app/models/api_key_scope.rb).
SCOPE_ACTIONS: dict[str, frozenset[str]] = {
    "topics:write": frozenset({"posts#create"}),
    "topics:update": frozenset({"topics#update", "topics#status"}),
    "topics:delete": frozenset({"topics#destroy"}),
    "topics:recover": frozenset({"topics#recover"}),
    "topics:read": frozenset({"topics#show", "topics#feed", "topics#posts", "topics#show_by_external_id"}),
    "topics:read_lists": frozenset(
        {
            "list#category_feed",
            "list#category_default",
            "list#latest_feed",
            "list#category_latest",
            "list#category_unread",
            "list#category_new",
            "list#category_top",
            "list#latest",
            "list#unread",
            "list#new",
            "list#top",
        }
    ),
    "topics:status": frozenset({"topics#status"}),
    "topics:change_owner": frozenset({"topics#change_post_owners"}),
    "posts:edit": frozenset({"posts#update"}),
    "posts:delete": frozenset({"posts#destroy"}),
    "posts:recover": frozenset({"posts#recover"}),
    "posts:list": frozenset({"posts#latest"}),
    "tags:list": frozenset({"tags#index"}),
    "tag_groups:list": frozenset({"tag_groups#index"}),
    "tag_groups:show": frozenset({"tag_groups#show"}),
    "tag_groups:create": frozenset({"tag_groups#create"}),
    "tag_groups:update": frozenset({"tag_groups#update"}),
    "categories:list": frozenset({"categories#index"}),
    "categories:show": frozenset({"categories#show"}),
    "uploads:create": frozenset(
        {
            "uploads#create",
            "uploads#generate_presigned_put",
            "uploads#complete_external_upload",
            "uploads#create_multipart",
            "uploads#batch_presign_multipart_parts",
            "uploads#abort_multipart",
            "uploads#complete_multipart",
        }
    ),
    "users:bookmarks": frozenset({"users#bookmarks"}),
    "users:sync_sso": frozenset({"admin/users#sync_sso"}),
    "users:show": frozenset({"users#show"}),
    "users:check_emails": frozenset({"users#check_emails"}),
    "users:create": frozenset({"users#create"}),
    "users:update": frozenset(
        {
            "users#update",
            "users#badge_title",
            "users#pick_avatar",
            "users#select_avatar",
            "users#feature_topic",
            "users#clear_featured_topic",
        }
    ),
    "users:log_out": frozenset({"admin/users#log_out"}),
    "users:anonymize": frozenset({"admin/users#anonymize"}),
    "users:suspend": frozenset({"admin/users#suspend"}),
    "users:delete": frozenset({"admin/users#destroy"}),
    "users:list": frozenset({"admin/users#index"}),
    "email:receive_emails": frozenset({"admin/email#handle_mail", "admin/email#smtp_should_reject"}),
    "invites:create": frozenset({"invites#create"}),
    "badges:list": frozenset({"badges#index", "admin/badges#index"}),
    "badges:create": frozenset({"admin/badges#create"}),
    "badges:show": frozenset({"badges#show"}),
    "badges:update": frozenset({"admin/badges#update"}),
    "badges:delete": frozenset({"admin/badges#destroy"}),
    "badges:list_user_badges": frozenset({"user_badges#username"}),
    "badges:assign_badge_to_user": frozenset({"user_badges#create"}),
    "badges:revoke_badge_from_user": frozenset({"user_badges#destroy"}),
    "groups:manage_groups": frozenset({"groups#members", "groups#add_members", "groups#remove_member"}),
    "groups:administer_groups": frozenset(
        {
            "admin/groups#create",
            "admin/groups#destroy",
            "groups#show",
            "groups#update",
            "groups#index",
        }
    ),
    "search:show": frozenset({"search#show"}),
    "search:query": frozenset({"search#query"}),
}

# User API key scopes -> actions they open; "read" and "write" are by verb (user_api_key_scope.rb).
USER_SCOPE_ACTIONS: dict[str, frozenset[str]] = {
    "notifications": frozenset({"notifications#index", "notifications#totals", "notifications#mark_read"}),
    "session_info": frozenset({"session#current", "users#topic_tracking_state"}),
    "bookmarks_calendar": frozenset({"users#bookmarks"}),
    "user_status": frozenset({"user_status#get", "user_status#set", "user_status#clear"}),
}


@dataclass(frozen=True, slots=True)
class Identity:
    """The caller after authentication; `via` is "anonymous", "api_key" or "user_api_key"."""

    user: User | None
    via: str = "anonymous"
    api_key: ApiKeyRecord | None = None
    key_id: str = ""  # which User API key, for its own rate limits

    @property
    def logged_in(self) -> bool:
        return self.user is not None


ANONYMOUS = Identity(None)


def _header(
    headers: Mapping[str, str], params: Mapping[str, Any] | None, header: str, param: str
) -> str | None:
    value = headers.get(header)
    if value is None and params is not None:
        raw = params.get(param)
        value = raw if isinstance(raw, str) else None
    return value or None


def resolve(
    store: Store, headers: Mapping[str, str], verb: str, action: str, params: Mapping[str, Any] | None
) -> Identity:
    """Authenticate a request; raises the 403 the real server gives. `params` only on allow-listed routes."""
    api_key = _header(headers, params, "api-key", "api_key")
    if api_key is not None:
        return _admin_key(store, api_key, headers, params, verb, action)
    user_api_key = _header(headers, params, "user-api-key", "user_api_key")
    if user_api_key is not None:
        return _user_key(store, user_api_key, verb, action)
    return ANONYMOUS


def _admin_key(
    store: Store,
    key: str,
    headers: Mapping[str, str],
    params: Mapping[str, Any] | None,
    verb: str,
    action: str,
) -> Identity:
    record = next((k for k in store.api_keys.values() if k.key == key and k.revoked_at is None), None)
    if record is None or not _key_permits(record, verb, action):
        raise errors.invalid_credentials()
    username = _header(headers, params, "api-username", "api_username")
    user_id = _header(headers, params, "api-user-id", "api_user_id")
    external_id = _header(headers, params, "api-user-external-id", "api_user_external_id")
    user: User | None
    if record.user_id is not None:
        # A single-user key acts as its owner; a different Api-Username is a failed look-up, not a switch.
        user = store.users.get(record.user_id)
        if user is not None and username is not None and username.lower() != user.username.lower():
            user = None
    elif username is not None:
        user = store.user_by_name(username)
    elif user_id is not None:
        user = store.users.get(int(user_id)) if re.fullmatch(r"-?[0-9]+", user_id) else None
    elif external_id is not None:
        user = store.user_by_external_id(external_id)
    else:
        user = None
    if user is None or user.suspended or not user.active:
        raise errors.invalid_credentials()
    return Identity(user, "api_key", record)


def _key_permits(record: ApiKeyRecord, verb: str, action: str) -> bool:
    if action == "session#scopes":
        return True  # always allowed for any API key
    if record.scope_mode == "global":
        return True
    if record.scope_mode == "read_only":
        return verb in ("GET", "HEAD")
    return any(action in SCOPE_ACTIONS.get(scope, frozenset()) for scope in record.scopes)


def _user_key(store: Store, key: str, verb: str, action: str) -> Identity:
    entry = store.user_api_keys.get(key)
    if entry is None or entry.revoked:
        raise errors.invalid_access()
    user = store.users.get(entry.user_id)
    if user is None or user.suspended or not user.active:
        raise errors.invalid_access()
    if not user_scopes_permit(entry.scopes, verb, action):
        raise errors.invalid_access()
    return Identity(user, "user_api_key", key_id=hashlib.sha256(key.encode()).hexdigest())


def user_scopes_permit(scopes: tuple[str, ...], verb: str, action: str) -> bool:
    if "write" in scopes:
        return True
    if "read" in scopes and verb in ("GET", "HEAD"):
        return True
    return any(action in USER_SCOPE_ACTIONS.get(scope, frozenset()) for scope in scopes)
