"""User JSON: public profile, admin detail, admin list rows, group memberships."""

from __future__ import annotations

from typing import Any

from explorer.sandbox.discourse.guardian import Guardian
from explorer.sandbox.discourse.model import Group, User
from explorer.sandbox.discourse.store import Store
from explorer.sandbox.discourse.text import cook, excerpt, parse_iso

# Preferences every profile carries; values are a fresh account's defaults.
USER_OPTION_DEFAULTS: dict[str, Any] = {
    "mailing_list_mode": False,
    "mailing_list_mode_frequency": 1,
    "email_digests": True,
    "email_level": 1,
    "email_messages_level": 0,
    "external_links_in_new_tab": False,
    "color_scheme_id": None,
    "dark_scheme_id": None,
    "dynamic_favicon": False,
    "enable_quoting": True,
    "enable_smart_lists": True,
    "enable_markdown_monospace_font": False,
    "digest_after_minutes": 10080,
    "automatically_unpin_topics": True,
    "auto_track_topics_after_msecs": 240000,
    "notification_level_when_replying": 2,
    "new_topic_duration_minutes": 2880,
    "email_previous_replies": 2,
    "email_in_reply_to": False,
    "like_notification_frequency": 1,
    "notify_on_linked_posts": True,
    "push_notification_level": "always",
    "enable_upcoming_change_available_notifications": False,
    "include_tl0_in_digests": False,
    "theme_ids": [1],
    "theme_key_seq": 0,
    "allow_private_messages": True,
    "enable_allowed_pm_users": False,
    "homepage_id": None,
    "hide_profile_and_presence": False,
    "hide_profile": False,
    "hide_presence": False,
    "text_size": "normal",
    "text_size_seq": 0,
    "title_count_mode": "notifications",
    "timezone": "UTC",
    "skip_new_user_tips": False,
    "topics_unread_when_closed": True,
    "interface_color_mode": 1,
    "automatically_translate": False,
    "understood_languages": ["en"],
    "show_original_content": True,
    "send_shortcut": "mod_enter",
}
_EMPTY_LISTS = (
    "muted_category_ids",
    "regular_category_ids",
    "watched_tags",
    "watching_first_post_tags",
    "tracked_tags",
    "muted_tags",
    "tracked_category_ids",
    "watched_category_ids",
    "watched_first_post_category_ids",
    "muted_usernames",
    "ignored_usernames",
    "allowed_pm_usernames",
    "user_auth_tokens",
    "featured_user_badge_ids",
)


def basic_group(group: Group, *, flair_url: str | None, can_admin: bool) -> dict[str, Any]:
    """The fields every group shape shares (profiles, group lists, a group's page)."""
    cooked = cook(group.bio_raw) if group.bio_raw else None
    return {
        "id": group.id,
        "automatic": group.automatic,
        "name": group.name,
        "user_count": len(group.member_ids),
        "mentionable_level": group.mentionable_level,
        "messageable_level": group.messageable_level,
        "visibility_level": group.visibility_level,
        "primary_group": group.primary_group,
        "title": group.title,
        "grant_trust_level": None,
        "incoming_email": None,
        "has_messages": False,
        "flair_url": flair_url,
        "flair_bg_color": None,
        "flair_color": None,
        "bio_raw": group.bio_raw or None,
        "bio_cooked": cooked,
        "bio_excerpt": excerpt(cooked) if cooked else None,
        "public_admission": group.public_admission,
        "public_exit": group.public_exit,
        "allow_membership_requests": group.allow_membership_requests,
        "full_name": group.full_name,
        "default_notification_level": 3,
        "membership_request_template": None,
        "members_visibility_level": 0,
        "can_see_members": True,
        "can_admin_group": can_admin,
        "publish_read_state": False,
    }


def group_row(store: Store, group: Group, *, with_flair_id: bool = False) -> dict[str, Any]:
    """The group shape embedded in user profiles."""
    row = basic_group(group, flair_url=None, can_admin=False)
    row["display_name"] = group.full_name or group.name
    if with_flair_id:
        row["flair_group_id"] = None
    return row


def _counts(store: Store, user: User) -> tuple[int, int, str | None]:
    posts = [p for p in store.posts.values() if p.user_id == user.id and p.deleted_at is None]
    topics = [
        t for t in store.topics.values() if t.user_id == user.id and t.deleted_at is None and not t.is_pm
    ]
    return len(posts), len(topics), max((p.created_at for p in posts), default=None)


def user_profile(store: Store, user: User, viewer: User | None) -> dict[str, Any]:
    """`GET /u/{username}.json`."""
    g = Guardian(store, viewer)
    post_count, topic_count, last_posted = _counts(store, user)
    own = viewer is not None and viewer.id == user.id
    can_edit = own or g.is_staff
    featured = next(
        (t for t in store.topics.values() if t.user_id == user.id and not t.is_pm and t.deleted_at is None),
        None,
    )
    groups = [store.groups[i] for i in store.group_ids_of(user.id)]
    badges = [b for b in store.user_badges if b.user_id == user.id]
    data: dict[str, Any] = {
        "id": user.id,
        "username": user.username,
        "name": user.name,
        "avatar_template": user.avatar_template,
        "last_posted_at": last_posted,
        "last_seen_at": user.last_seen_at,
        "created_at": user.created_at,
        "ignored": False,
        "muted": False,
        "can_ignore_user": viewer is not None and not own,
        "can_mute_user": viewer is not None and not own,
        "can_send_private_messages": viewer is not None,
        "can_send_private_message_to_user": viewer is not None and not own,
        "trust_level": user.trust_level,
        "moderator": user.moderator,
        "admin": user.admin,
        "title": user.title,
        "badge_count": len(badges),
        "custom_fields": {},
        "time_read": user.time_read,
        "recent_time_read": user.time_read // 10,
        "primary_group_id": None,
        "primary_group_name": None,
        "flair_group_id": None,
        "flair_name": None,
        "flair_url": None,
        "flair_bg_color": None,
        "flair_color": None,
        "featured_topic": {
            "id": featured.id,
            "title": featured.title,
            "fancy_title": featured.title,
            "slug": featured.slug,
            "posts_count": len(store.live_posts(featured.id)),
        }
        if featured
        else {"id": 0, "title": "", "fancy_title": "", "slug": "", "posts_count": 0},
        "staged": False,
        "can_edit": can_edit,
        "can_edit_username": can_edit,
        "can_edit_email": can_edit,
        "can_edit_name": can_edit,
        "uploaded_avatar_id": user.uploaded_avatar_id,
        "has_title_badges": False,
        "pending_count": 0,
        "profile_view_count": user.days_visited * 3,
        "second_factor_enabled": False,
        "can_upload_profile_header": can_edit,
        "can_upload_user_card_background": can_edit,
        "post_count": post_count,
        "topic_count": topic_count,
        "can_be_deleted": g.is_admin and post_count == 0,
        "can_delete_all_posts": g.is_admin,
        "locale": None,
        "system_avatar_upload_id": None,
        "system_avatar_template": user.avatar_template,
        "mailing_list_posts_per_day": 0,
        "can_change_bio": can_edit,
        "can_change_location": can_edit,
        "can_change_website": can_edit,
        "can_change_tracking_preferences": can_edit,
        "user_api_keys": None,
        "user_notification_schedule": {
            "enabled": False,
            **{
                f"day_{d}_{edge}_time": 480 if edge == "start" else 1020
                for d in range(7)
                for edge in ("start", "end")
            },
        },
        "use_logo_small_as_avatar": False,
        "invited_by": None,
        "groups": [group_row(store, gr) for gr in groups],
        "group_users": [
            {"group_id": gr.id, "user_id": user.id, "notification_level": 3, "owner": user.id in gr.owner_ids}
            for gr in groups
        ],
        "user_option": {"user_id": user.id, **USER_OPTION_DEFAULTS},
    }
    for name in _EMPTY_LISTS:
        data[name] = []
    data["featured_user_badge_ids"] = [b.badge_id for b in badges][:3]
    return {"user_badges": [], "user": data}


def _age(store: Store, stamp: str | None) -> float | None:
    when = parse_iso(stamp) if stamp else None
    return round(store.clock() - when, 3) if when is not None else None


def admin_row(store: Store, user: User) -> dict[str, Any]:
    """One row of `/admin/users/list/{flag}.json`."""
    post_count, _, _ = _counts(store, user)
    row: dict[str, Any] = {
        "id": user.id,
        "username": user.username,
        "name": user.name,
        "avatar_template": user.avatar_template,
        "email": user.email,
        "secondary_emails": [],
        "active": user.active,
        "admin": user.admin,
        "moderator": user.moderator,
        "last_seen_at": user.last_seen_at,
        "last_emailed_at": None,
        "created_at": user.created_at,
        "last_seen_age": _age(store, user.last_seen_at),
        "last_emailed_age": None,
        "created_at_age": _age(store, user.created_at),
        "trust_level": user.trust_level,
        "manual_locked_trust_level": None,
        "title": user.title,
        "time_read": user.time_read,
        "staged": False,
        "days_visited": user.days_visited,
        "posts_read_count": user.days_visited * 7,
        "topics_entered": user.days_visited * 2,
        "post_count": post_count,
    }
    if user.suspended:
        # AdminUserListSerializer adds these only for a suspended user.
        row["suspended_at"] = user.created_at
        row["suspended_till"] = user.suspended_till
    return row


def admin_detail(store: Store, user: User, viewer: User) -> dict[str, Any]:
    """`GET /admin/users/{id}.json`."""
    post_count, topic_count, _ = _counts(store, user)
    row = admin_row(store, user)
    del row["email"], row["secondary_emails"]
    # The spec's closed admin detail has no suspension dates (they are in the capture of an older server).
    row.pop("suspended_at", None)
    row.pop("suspended_till", None)
    system = store.users.get(-1)
    likes_received = sum(len(p.likes) for p in store.posts.values() if p.user_id == user.id)
    likes_given = sum(1 for p in store.posts.values() if user.id in p.likes)
    row.update(
        {
            "badge_count": sum(1 for b in store.user_badges if b.user_id == user.id),
            "like_count": likes_received,
            "like_given_count": likes_given,
            "topic_count": topic_count,
            "post_count": post_count,
            "flags_given_count": 0,
            "flags_received_count": 0,
            "private_topics_count": sum(
                1 for t in store.topics.values() if t.is_pm and user.id in t.allowed_user_ids
            ),
            "can_send_activation_email": not user.active,
            "can_activate": not user.active,
            "can_deactivate": user.active and user.id > 0,
            "ip_address": "127.0.0.1",
            "registration_ip_address": "127.0.0.1",
            "can_grant_admin": not user.admin,
            "can_revoke_admin": user.admin and user.id != viewer.id,
            "can_grant_moderation": not user.moderator,
            "can_revoke_moderation": user.moderator,
            "can_impersonate": not user.admin,
            "like_count_given": likes_given,
            "can_be_deleted": post_count == 0 and user.id > 0,
            "can_delete_all_posts": user.id > 0,
            "api_key_count": sum(1 for k in store.api_keys.values() if k.user_id == user.id),
            "single_sign_on_record": None,
            "approved_by": {
                "id": system.id,
                "username": system.username,
                "name": system.name,
                "avatar_template": system.avatar_template,
            }
            if system
            else None,
            "primary_group_id": None,
            "suspended_by": None,
            "silenced_by": None,
            "penalty_counts": {"silenced": 0, "suspended": 0},
            "next_penalty": "2027-01-01T00:00:00.000Z",
            "groups": [
                group_row(store, store.groups[i], with_flair_id=True) for i in store.group_ids_of(user.id)
            ],
            "external_ids": {"oidc": user.external_id} if user.external_id else {},
            "full_suspend_reason": user.suspend_reason,
            "silence_reason": None,
            "bounce_score": 0,
            "reset_bounce_score_after": None,
            "can_view_action_logs": True,
            "can_disable_second_factor": False,
            "can_delete_sso_record": False,
            "can_be_anonymized": user.id > 0 and not user.admin,
            "can_be_merged": user.id > 0,
            "include_ip": True,
            "warnings_received_count": 0,
            "can_change_trust_level": True,
        }
    )
    row.pop("like_count_given")
    return row
