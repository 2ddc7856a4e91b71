"""Admin-only endpoints: backups, badges, API keys, site settings, dashboard, email logs, mail receiver."""

from __future__ import annotations

import html
import secrets
from typing import Any

from starlette.responses import Response

from explorer.sandbox.demo import DISCOURSE_EMAILED_TOKEN
from explorer.sandbox.discourse import errors
from explorer.sandbox.discourse.model import ApiKeyRecord, Badge
from explorer.sandbox.discourse.render_topics import basic_user
from explorer.sandbox.discourse.routes.common import SUCCESS, as_int, by_id
from explorer.sandbox.discourse.routing import Ctx, RouteSpec

KEYS_PAGE = 50  # api keys per page, the most a limit may ask for
BACKUP_TOKEN_REFUSED = "Sorry, this backup download link has already been used or has expired."
ENUM_SETTINGS = {
    "default_locale": [
        {"name": "English (US)", "value": "en"},
        {"name": "Deutsch", "value": "de"},
        {"name": "Français", "value": "fr"},
    ],
    "default_trust_level": [{"name": str(level), "value": level} for level in range(5)],
}
LIST_CHOICES = {"allow_user_api_key_scopes": ["read", "write", "message_bus", "push", "notifications"]}
BADGE_TYPES = [
    {"id": 1, "name": "Gold", "sort_order": 9},
    {"id": 2, "name": "Silver", "sort_order": 8},
    {"id": 3, "name": "Bronze", "sort_order": 7},
]


def badge_json(ctx: Ctx, badge: Badge, *, list_shape: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": badge.id,
        "name": badge.name,
        "description": badge.description,
        "grant_count": sum(1 for g in ctx.store.user_badges if g.badge_id == badge.id),
        "allow_title": badge.allow_title,
        "multiple_grant": badge.multiple_grant,
        "icon": badge.icon,
        "image_url": None,
        "image_upload_id": None,
        "listable": badge.listable,
        "enabled": badge.enabled,
        "badge_grouping_id": badge.badge_grouping_id,
        "system": badge.system,
        "long_description": badge.long_description,
        "slug": badge.name.lower().replace(" ", "-"),
        "manually_grantable": not badge.system,
        "query": None,
        "trigger": None,
        "target_posts": False,
        "auto_revoke": True,
        "show_posts": False,
        "badge_type_id": badge.badge_type_id,
        "show_in_post_header": False,
    }
    if list_shape:
        data["i18n_name"] = None
    return data


def list_backups(ctx: Ctx) -> list[dict[str, Any]]:
    return list(ctx.store.backups)


def create_backup(ctx: Ctx) -> dict[str, str]:
    stamp = ctx.store.now().replace(":", "").replace("-", "").replace("T", "-")[:15]
    ctx.store.backups.append(
        {
            "filename": f"sandbox-{stamp}-v20251201000000.tar.gz",
            "size": 5_400_000,
            "last_modified": ctx.store.now(),
        }
    )
    ctx.store.changed()
    return SUCCESS


def _backup(ctx: Ctx) -> dict[str, Any]:
    name = ctx.path["filename"]
    found = next((b for b in ctx.store.backups if b["filename"] == name), None)
    if found is None:
        raise errors.not_found()
    return found


def email_backup_link(ctx: Ctx) -> None:
    _backup(ctx)
    # The mailed link carries a token for this admin (EmailBackupToken); the sandbox's is a fixed value.
    ctx.store.backup_tokens[ctx.require_user().id] = DISCOURSE_EMAILED_TOKEN
    return None


def download_backup(ctx: Ctx) -> Response:
    backup = _backup(ctx)
    token = ctx.required("token")
    if ctx.store.backup_tokens.get(ctx.require_user().id) != token:
        # backups#show renders an HTML page with 422 when the token is not the one mailed to this admin.
        page = f"<html><body><p>{html.escape(BACKUP_TOKEN_REFUSED)}</p></body></html>"
        return Response(page, status_code=422, media_type=errors.HTML_TYPE)
    return Response(
        b"sandbox backup archive (placeholder bytes)\n",
        media_type="application/gzip",
        headers={"Content-Disposition": f'attachment; filename="{backup["filename"]}"'},
    )


def restore_backup(ctx: Ctx) -> dict[str, str]:
    _backup(ctx)
    return SUCCESS


def list_badges(ctx: Ctx) -> dict[str, Any]:
    badges = sorted(ctx.store.badges.values(), key=lambda b: b.id)
    return {
        "badges": [badge_json(ctx, b, list_shape=True) for b in badges],
        "badge_types": BADGE_TYPES,
        "badge_groupings": [
            {"id": 1, "name": "Getting Started", "description": None, "position": 10, "system": True},
            {"id": 4, "name": "Trust Level", "description": None, "position": 13, "system": True},
        ],
        "admin_badges": {
            "protected_system_fields": [
                "name",
                "badge_type_id",
                "multiple_grant",
                "target_posts",
                "show_posts",
                "query",
                "trigger",
                "auto_revoke",
                "listable",
            ],
            "triggers": {
                "user_change": 8,
                "none": 0,
                "post_revision": 2,
                "trust_level_change": 4,
                "post_action": 1,
            },
            "badge_ids": [b.id for b in badges],
            "badge_grouping_ids": [1, 4],
            "badge_type_ids": [1, 2, 3],
        },
    }


def _badge_fields(ctx: Ctx, badge: Badge) -> None:
    for name in ("description", "icon", "long_description"):
        value = ctx.str_param(name)
        if value is not None:
            setattr(badge, name, value)
    for name in ("allow_title", "multiple_grant", "listable", "enabled"):
        if name in ctx.params:
            setattr(badge, name, ctx.bool_param(name))


def create_badge(ctx: Ctx) -> dict[str, Any]:
    name = ctx.required("name")
    badge_type = as_int(ctx.required("badge_type_id"), "badge_type_id")
    if any(b.name.lower() == name.lower() for b in ctx.store.badges.values()):
        raise errors.unprocessable("Name has already been taken")
    if badge_type not in (1, 2, 3):
        raise errors.unprocessable("Badge type must exist")
    badge = Badge(ctx.store.next_id("badge", ctx.store.badges), name, "", badge_type, system=False)
    _badge_fields(ctx, badge)
    ctx.store.badges[badge.id] = badge
    ctx.store.changed()
    return {"badge_types": BADGE_TYPES, "badge": badge_json(ctx, badge)}


def _find_badge(ctx: Ctx) -> Badge:
    return by_id(ctx.store.badges, as_int(ctx.path["id"]))


def update_badge(ctx: Ctx) -> dict[str, Any]:
    badge = _find_badge(ctx)
    if "name" in ctx.params and not badge.system:
        badge.name = ctx.required("name")
    _badge_fields(ctx, badge)
    ctx.store.changed()
    return {"badge_types": BADGE_TYPES, "badge": badge_json(ctx, badge)}


def delete_badge(ctx: Ctx) -> None:
    badge = _find_badge(ctx)
    if badge.system:
        raise errors.invalid_access()
    del ctx.store.badges[badge.id]
    ctx.store.changed()
    return None


def _key_json(ctx: Ctx, record: ApiKeyRecord, *, reveal: bool = False) -> dict[str, Any]:
    user = ctx.store.users.get(record.user_id) if record.user_id is not None else None
    data: dict[str, Any] = {
        "id": record.id,
        "truncated_key": record.key[:4],
        "description": record.description,
        "created_at": record.created_at,
        "last_used_at": None,
        "revoked_at": record.revoked_at,
        "updated_at": record.created_at,
        "scope_mode": record.scope_mode,
        "user": basic_user(user) if user else None,
        "scopes": [{"resource": s.split(":")[0], "action": s.split(":")[1], "key": s} for s in record.scopes],
    }
    if reveal:
        data["key"] = record.key
    return data


def list_keys(ctx: Ctx) -> dict[str, Any]:
    # api_keys#index pages with offset and limit (1 to 50, 50 when absent).
    offset = max(ctx.int_param("offset", 0) or 0, 0)
    limit = min(max(ctx.int_param("limit", KEYS_PAGE) or KEYS_PAGE, 1), KEYS_PAGE)
    keys = list(ctx.store.api_keys.values())[offset : offset + limit]
    return {"keys": [_key_json(ctx, k) for k in keys]}


def create_key(ctx: Ctx) -> dict[str, Any]:
    fields = ctx.fields("key")
    description = str(fields.get("description") or "").strip()
    if not description:
        raise errors.unprocessable("Description can't be blank")
    user_id = None
    if fields.get("username"):
        user = ctx.store.user_by_name(str(fields["username"]))
        if user is None:
            raise errors.unprocessable("User must exist")
        user_id = user.id
    mode = str(fields.get("scope_mode") or "global")
    if mode not in ("global", "read_only", "granular"):
        raise errors.invalid_params("scope_mode")
    record = ApiKeyRecord(
        ctx.store.next_id("api_key", ctx.store.api_keys),
        secrets.token_hex(32),
        description,
        user_id,
        mode,
        created_at=ctx.store.now(),
    )
    ctx.store.api_keys[record.id] = record
    return {"key": _key_json(ctx, record, reveal=True)}


def _find_key(ctx: Ctx) -> ApiKeyRecord:
    return by_id(ctx.store.api_keys, as_int(ctx.path["id"]))


def revoke_key(ctx: Ctx) -> dict[str, Any]:
    record = _find_key(ctx)
    record.revoked_at = ctx.store.now()
    return {"api_key": _key_json(ctx, record)}


def undo_revoke_key(ctx: Ctx) -> dict[str, Any]:
    record = _find_key(ctx)
    record.revoked_at = None
    return {"api_key": _key_json(ctx, record)}


def delete_key(ctx: Ctx) -> dict[str, str]:
    record = _find_key(ctx)
    del ctx.store.api_keys[record.id]
    return SUCCESS


def _setting_json(name: str, value: object) -> dict[str, Any]:
    kind = "bool" if isinstance(value, bool) else "integer" if isinstance(value, int) else "string"
    data: dict[str, Any] = {
        "setting": name,
        "value": str(value).lower() if isinstance(value, bool) else str(value),
        "default": str(value),
        "type": kind,
        "category": "required",
        "description": name.replace("_", " "),
        "preview": None,
        "secret": False,
        "placeholder": None,
        "mandatory_values": None,
        "requires_confirmation": None,
    }
    # Enum settings list their values, list settings their choices, as SiteSetting.all_settings does.
    if name in ENUM_SETTINGS:
        data.update(type="enum", valid_values=ENUM_SETTINGS[name], translate_names=False)
    if name in LIST_CHOICES:
        data.update(type="list", list_type="compact", choices=LIST_CHOICES[name])
    return data


def site_settings(ctx: Ctx) -> dict[str, Any]:
    return {
        "site_settings": [_setting_json(k, v) for k, v in ctx.store.site_settings.items()],
        "diags": {"last_message_processed": None},
    }


def update_setting(ctx: Ctx) -> None:
    name = ctx.path["name"]
    if name not in ctx.store.site_settings:
        raise errors.not_found()
    value = ctx.params.get(name, ctx.params.get("value"))
    if value is None:
        raise errors.missing_param(name)
    ctx.store.site_settings[name] = value
    return None


def dashboard(ctx: Ctx) -> dict[str, Any]:
    store = ctx.store
    totals = {
        "users": len(store.users),
        "topics": len(store.topics),
        "posts": len(store.posts),
        "likes": sum(len(p.likes) for p in store.posts.values()),
    }
    return {
        "global_reports": [{"type": k, "title": k.title(), "total": v} for k, v in totals.items()],
        "version_check": {"installed_version": "sandbox", "latest_version": "sandbox"},
        "updated_at": store.now(),
    }


def email_settings(ctx: Ctx) -> dict[str, Any]:
    return {"delivery_method": "test", "settings": [{"name": "address", "value": "localhost"}]}


def email_logs(ctx: Ctx) -> list[dict[str, Any]]:
    if ctx.path["filter"] not in ("sent", "skipped", "bounced", "received", "rejected"):
        raise errors.not_found()
    return []


def handle_mail(ctx: Ctx) -> Response:
    if not ctx.str_param("email") and not ctx.str_param("email_encoded"):
        raise errors.missing_param("email")
    return Response("email has been received and is queued for processing", media_type="text/plain")


def routes() -> list[RouteSpec]:
    a = "admin"
    return [
        RouteSpec("GET", "/admin/backups", "admin/backups#index", list_backups, access=a),
        RouteSpec("POST", "/admin/backups", "admin/backups#create", create_backup, access=a),
        RouteSpec(
            "POST", "/admin/backups/{filename}/restore", "admin/backups#restore", restore_backup, access=a
        ),
        RouteSpec("PUT", "/admin/backups/{filename}", "admin/backups#email", email_backup_link, access=a),
        RouteSpec(
            "GET",
            "/admin/backups/{filename}",
            "admin/backups#show",
            download_backup,
            access=a,
            formats=("json", "gz"),
        ),
        RouteSpec("GET", "/admin/badges", "admin/badges#index", list_badges, access=a),
        RouteSpec("POST", "/admin/badges", "admin/badges#create", create_badge, access=a),
        RouteSpec("PUT", "/admin/badges/{id}", "admin/badges#update", update_badge, access=a),
        RouteSpec("DELETE", "/admin/badges/{id}", "admin/badges#destroy", delete_badge, access=a),
        RouteSpec("GET", "/admin/api/keys", "admin/api#index", list_keys, access=a),
        RouteSpec("POST", "/admin/api/keys", "admin/api#create_key", create_key, access=a),
        RouteSpec("POST", "/admin/api/keys/{id}/revoke", "admin/api#revoke_key", revoke_key, access=a),
        RouteSpec(
            "POST", "/admin/api/keys/{id}/undo-revoke", "admin/api#undo_revoke_key", undo_revoke_key, access=a
        ),
        RouteSpec("DELETE", "/admin/api/keys/{id}", "admin/api#destroy", delete_key, access=a),
        RouteSpec("GET", "/admin/site_settings", "admin/site_settings#index", site_settings, access=a),
        RouteSpec(
            "PUT", "/admin/site_settings/{name}", "admin/site_settings#update", update_setting, access=a
        ),
        RouteSpec("GET", "/admin/dashboard", "admin/dashboard#index", dashboard, access=a),
        RouteSpec("GET", "/admin/email", "admin/email#index", email_settings, access=a),
        RouteSpec(
            "POST",
            "/admin/email/handle_mail",
            "admin/email#handle_mail",
            handle_mail,
            access=a,
            param_auth=True,
        ),
        RouteSpec("GET", "/admin/email/{filter}", "admin/email#filter", email_logs, access=a),
    ]
