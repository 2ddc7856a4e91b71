"""Admin customization: colour schemes (list, create) and site texts (show, override)."""

from __future__ import annotations

import re
from typing import Any

from explorer.sandbox.discourse import errors
from explorer.sandbox.discourse.routing import Ctx, RouteSpec

# The base "Light" palette: the colours a fresh install starts from (name -> hex, advanced?).
BASE_COLORS: dict[str, tuple[str, bool]] = {
    "primary": ("222222", False),
    "secondary": ("ffffff", False),
    "tertiary": ("0088cc", False),
    "quaternary": ("e45735", False),
    "header_background": ("ffffff", False),
    "header_primary": ("333333", False),
    "highlight": ("ffff4d", False),
    "selected": ("d1f0ff", True),
    "hover": ("f2f2f2", True),
    "danger": ("c80001", False),
    "success": ("009900", False),
    "love": ("fa6c8d", False),
}
# A few translation keys admins commonly override, with their English defaults.
SITE_TEXTS: dict[str, str] = {
    "js.topic.create": "New Topic",
    "js.composer.reply": "Reply",
    "js.login.title": "Log in",
    "js.signup.title": "Sign Up",
    "js.search.title": "Search",
    "js.topics.none.latest": "There are no latest topics.",
    "system_messages.welcome_user.subject_template": "Welcome to %{site_name}!",
    "system_messages.welcome_user.text_body_template": (
        "Thanks for joining %{site_name}, and welcome!\n\n%{new_user_tips}"
    ),
}
HEX = re.compile(r"[0-9a-fA-F]{3}|[0-9a-fA-F]{6}")


def _color(name: str, hex_value: str) -> dict[str, Any]:
    default, advanced = BASE_COLORS.get(name, (hex_value, True))
    return {"name": name, "hex": hex_value, "default_hex": default, "is_advanced": advanced}


def _base_scheme() -> dict[str, Any]:
    # Base schemes are built in code, not stored, so their id is null.
    return {
        "id": None,
        "name": "Light",
        "is_base": True,
        "base_scheme_id": "Light",
        "theme_id": None,
        "theme_name": None,
        "user_selectable": False,
        "colors": [_color(name, hex_value) for name, (hex_value, _) in BASE_COLORS.items()],
    }


def list_color_schemes(ctx: Ctx) -> list[dict[str, Any]]:
    return [_base_scheme(), *ctx.store.color_schemes.values()]


def create_color_scheme(ctx: Ctx) -> dict[str, Any]:
    fields = ctx.fields("color_scheme")
    name = str(fields.get("name") or "").strip()
    if not name:
        raise errors.unprocessable("Name can't be blank")
    colors = {name: hex_value for name, (hex_value, _) in BASE_COLORS.items()}
    given = fields.get("colors")
    for item in given if isinstance(given, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise errors.invalid_params("colors")
        hex_value = str(item.get("hex") or "")
        if not HEX.fullmatch(hex_value):
            raise errors.unprocessable(f"Hex is invalid for {item['name']}")
        colors[item["name"]] = hex_value.lower()
    scheme_id = ctx.store.next_id("color_scheme", ctx.store.color_schemes)
    scheme: dict[str, Any] = {
        "id": scheme_id,
        "name": name,
        "is_base": False,
        "base_scheme_id": str(fields.get("base_scheme_id") or "Light"),
        "theme_id": None,
        "theme_name": None,
        "user_selectable": bool(fields.get("user_selectable", False)),
        "colors": [_color(n, h) for n, h in colors.items()],
    }
    ctx.store.color_schemes[scheme_id] = scheme
    ctx.store.changed()
    return scheme


def _site_text(ctx: Ctx, key: str) -> dict[str, Any]:
    value = ctx.store.site_text_overrides.get(key, SITE_TEXTS[key])
    names = re.findall(r"%\{(\w+)\}", SITE_TEXTS[key])
    return {
        "site_text": {
            "id": key,
            "value": value,
            "status": "up_to_date",
            "old_default": None,
            "new_default": None,
            "interpolation_keys": names,
            "has_interpolation_keys": bool(names),
            "overridden": key in ctx.store.site_text_overrides,
            "can_revert": key in ctx.store.site_text_overrides,
        }
    }


def _known_key(ctx: Ctx) -> str:
    key = ctx.path["id"]
    if key not in SITE_TEXTS:
        raise errors.not_found()
    return key


def show_site_text(ctx: Ctx) -> dict[str, Any]:
    return _site_text(ctx, _known_key(ctx))


def update_site_text(ctx: Ctx) -> dict[str, Any]:
    key = _known_key(ctx)
    fields = ctx.params.get("site_text")
    value = fields.get("value") if isinstance(fields, dict) else ctx.params.get("value")
    if not isinstance(value, str):
        raise errors.missing_param("site_text")
    ctx.store.site_text_overrides[key] = value
    return _site_text(ctx, key)


def routes() -> list[RouteSpec]:
    a = "admin"
    return [
        RouteSpec("GET", "/admin/color_schemes", "admin/color_schemes#index", list_color_schemes, access=a),
        RouteSpec(
            "POST", "/admin/color_schemes", "admin/color_schemes#create", create_color_scheme, access=a
        ),
        RouteSpec(
            "GET", "/admin/customize/site_texts/{id}", "admin/site_texts#show", show_site_text, access=a
        ),
        RouteSpec(
            "PUT", "/admin/customize/site_texts/{id}", "admin/site_texts#update", update_site_text, access=a
        ),
    ]
