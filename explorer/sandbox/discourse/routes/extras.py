"""Smaller areas: invites, badge grants, bookmarks and polls."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from explorer.sandbox.discourse import errors
from explorer.sandbox.discourse.model import Invite, UserBadge
from explorer.sandbox.discourse.routes.admin import BADGE_TYPES, badge_json
from explorer.sandbox.discourse.routes.common import SUCCESS, as_int, by_id, find_post, find_topic, find_user
from explorer.sandbox.discourse.routing import Ctx, RouteSpec
from explorer.sandbox.discourse.text import iso, parse_iso

VOTERS_PAGE, VOTERS_MAX = 25, 50  # voters of an option per page: the default and the most
INVITE_DAYS = 30


def invite_json(ctx: Ctx, invite: Invite) -> dict[str, Any]:
    topic = ctx.store.topics.get(invite.topic_id or 0)
    return {
        "id": invite.id,
        "invite_key": invite.invite_key,
        "link": f"/invites/{invite.invite_key}",
        "description": None,
        "email": invite.email or "",
        "domain": None,
        "emailed": bool(invite.email),
        "can_delete_invite": True,
        "custom_message": invite.custom_message,
        "created_at": invite.created_at,
        "updated_at": invite.created_at,
        "expires_at": invite.expires_at,
        "expired": (parse_iso(invite.expires_at) or 0) < ctx.store.clock(),
        "grants_admin": False,
        "grants_moderator": False,
        "topics": [{"id": topic.id, "title": topic.title, "slug": topic.slug}] if topic else [],
        "groups": [
            {"id": g, "name": ctx.store.groups[g].name} for g in invite.group_ids if g in ctx.store.groups
        ],
    }


def _new_invite(ctx: Ctx, email: str | None) -> Invite:
    user = ctx.require_user()
    if user.trust_level < 2 and not user.staff:
        raise errors.invalid_access()
    if email is not None and "@" not in email:
        raise errors.unprocessable("Email is invalid")
    if email and any(i.email == email for i in ctx.store.invites.values()):
        raise errors.unprocessable(f"An invite to {email} already exists.")
    group_ids = [as_int(g, "group_ids") for g in ctx.list_param("group_ids")]
    group_ids += [g.id for n in ctx.list_param("group_names") if (g := ctx.store.group_by_name(n))]
    topic_id = ctx.int_param("topic_id")
    if topic_id is not None:
        find_topic(ctx, topic_id)
    now = ctx.store.clock()
    invite = Invite(
        id=ctx.store.next_id("invite", ctx.store.invites),
        invite_key=secrets.token_hex(5),
        email=email,
        invited_by_id=user.id,
        created_at=iso(now),
        expires_at=ctx.str_param("expires_at") or iso(now + INVITE_DAYS * 86400),
        max_redemptions_allowed=ctx.int_param("max_redemptions_allowed", 1) or 1,
        custom_message=ctx.str_param("custom_message"),
        topic_id=topic_id,
        group_ids=group_ids,
    )
    ctx.store.invites[invite.id] = invite
    return invite


def create_invite(ctx: Ctx) -> dict[str, Any]:
    return invite_json(ctx, _new_invite(ctx, ctx.str_param("email")))


def create_many(ctx: Ctx) -> dict[str, Any]:
    emails = ctx.list_param("email")
    if not emails:
        raise errors.missing_param("email")
    if len(emails) > 50:
        raise errors.unprocessable("You can invite at most 50 people at once.")
    made, failed = [], []
    for email in emails:
        try:
            made.append(invite_json(ctx, _new_invite(ctx, email)))
        except errors.ApiError as exc:
            failed.append({"email": email, "error_message": exc.body.get("errors", ["failed"])[0]})
    return {
        "num_successfully_created_invitations": len(made),
        "num_failed_invitations": len(failed),
        "failed_invitations": failed,
        "successful_invitations": made,
    }


def _find_invite(ctx: Ctx, raw: object) -> Invite:
    return by_id(ctx.store.invites, as_int(raw))


def retrieve_invite(ctx: Ctx) -> dict[str, Any]:
    email = ctx.required("email")
    invite = next((i for i in ctx.store.invites.values() if i.email == email), None)
    if invite is None:
        raise errors.not_found()
    return invite_json(ctx, invite)


def update_invite(ctx: Ctx) -> dict[str, Any]:
    invite = _find_invite(ctx, ctx.path["id"])
    for name in ("custom_message", "expires_at", "email"):
        value = ctx.str_param(name)
        if value is not None:
            setattr(invite, name, value)
    return invite_json(ctx, invite)


def destroy_invite(ctx: Ctx) -> dict[str, str]:
    invite = _find_invite(ctx, ctx.required("id"))
    del ctx.store.invites[invite.id]
    return SUCCESS


def reinvite(ctx: Ctx) -> dict[str, str]:
    email = ctx.required("email")
    if not any(i.email == email for i in ctx.store.invites.values()):
        raise errors.not_found()
    return SUCCESS


def grant_badge(ctx: Ctx) -> dict[str, Any]:
    user = find_user(ctx, ctx.required("username"))
    badge = ctx.store.badges.get(as_int(ctx.required("badge_id"), "badge_id"))
    if badge is None:
        raise errors.not_found()
    if not badge.multiple_grant and any(
        b.user_id == user.id and b.badge_id == badge.id for b in ctx.store.user_badges
    ):
        raise errors.unprocessable("User already has this badge.")
    grant = UserBadge(
        ctx.store.next_id("user_badge", ctx.store.user_badges),
        badge.id,
        user.id,
        ctx.store.now(),
        ctx.require_user().id,
    )
    ctx.store.user_badges.append(grant)
    return {
        "badges": [badge_json(ctx, badge)],
        "badge_types": BADGE_TYPES,
        "user_badge": {
            "id": grant.id,
            "granted_at": grant.granted_at,
            "badge_id": badge.id,
            "user_id": user.id,
            "granted_by_id": grant.granted_by_id,
        },
    }


def create_bookmark(ctx: Ctx) -> dict[str, Any]:
    user = ctx.require_user()
    kind = ctx.required("bookmarkable_type")
    target = ctx.required("bookmarkable_id")
    post = find_post(ctx, target) if kind == "Post" else None
    if kind == "Topic":
        topic = find_topic(ctx, target)
        post = ctx.store.first_post(topic.id)
    if post is None:
        raise errors.invalid_params("bookmarkable_type")
    if user.id in post.bookmarked_by:
        raise errors.unprocessable("You have already bookmarked this post")
    post.bookmarked_by.add(user.id)
    bookmark_id = ctx.store.next_id("bookmark", ctx.store.bookmarks)
    ctx.store.bookmarks[bookmark_id] = (user.id, post.id)
    return {"success": "OK", "id": bookmark_id}


def delete_bookmark(ctx: Ctx) -> dict[str, Any]:
    user = ctx.require_user()
    entry = ctx.store.bookmarks.get(as_int(ctx.path["id"]))
    if entry is None or entry[0] != user.id:
        raise errors.not_found()
    post = ctx.store.posts.get(entry[1])
    if post is not None:
        post.bookmarked_by.discard(user.id)
    del ctx.store.bookmarks[as_int(ctx.path["id"])]
    return {"success": "OK", "topic_bookmarked": False}


def _option_id(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - the poll plugin names options by MD5 digest


def _poll(ctx: Ctx) -> tuple[dict[str, Any], int]:
    post = find_post(ctx, ctx.required("post_id"))
    name = ctx.required("poll_name")
    if post.id == 1 and (1, "poll") not in ctx.store.polls:
        # Every sandbox has one poll, on the first post, so the poll endpoints can be tried.
        ctx.store.polls[(1, "poll")] = {
            "status": "open",
            "votes": {},
            "options": {_option_id(t): t for t in ("Yes", "No", "Maybe")},
        }
    poll = ctx.store.polls.get((post.id, name))
    if poll is None:
        raise errors.ApiError(422, {"errors": ["No poll with this name was found."]})
    return poll, post.user_id


def _poll_json(name: str, poll: dict[str, Any]) -> dict[str, Any]:
    votes: dict[int, list[str]] = poll["votes"]
    return {
        "name": name,
        "type": "regular",
        "status": poll["status"],
        "public": True,
        "voters": len(votes),
        "options": [
            {"id": oid, "html": text, "votes": sum(1 for v in votes.values() if oid in v)}
            for oid, text in poll["options"].items()
        ],
    }


def vote(ctx: Ctx) -> dict[str, Any]:
    user = ctx.require_user()
    poll, _ = _poll(ctx)
    if poll["status"] == "closed":
        raise errors.ApiError(422, {"errors": ["The poll is closed."]})
    options = ctx.list_param("options")
    if not options or any(o not in poll["options"] for o in options):
        raise errors.ApiError(422, {"errors": ["At least one of the options you chose is not valid."]})
    poll["votes"][user.id] = options
    return {"poll": _poll_json(ctx.required("poll_name"), poll), "vote": options}


def remove_vote(ctx: Ctx) -> dict[str, Any]:
    user = ctx.require_user()
    poll, _ = _poll(ctx)
    poll["votes"].pop(user.id, None)
    return {"poll": _poll_json(ctx.required("poll_name"), poll)}


def toggle_status(ctx: Ctx) -> dict[str, Any]:
    user = ctx.require_user()
    poll, owner = _poll(ctx)
    status = ctx.required("status")
    if status not in ("open", "closed"):
        raise errors.invalid_params("status")
    if user.id != owner and not user.staff:
        raise errors.invalid_access()
    poll["status"] = status
    return {"poll": _poll_json(ctx.required("poll_name"), poll)}


def voters(ctx: Ctx) -> dict[str, Any]:
    poll, _ = _poll(ctx)
    # The poll plugin pages each option's voters: page from 1, limit 25 by default and 50 at most.
    limit = min(max(ctx.int_param("limit", VOTERS_PAGE) or VOTERS_PAGE, 0), VOTERS_MAX)
    first = (max(ctx.int_param("page", 1) or 1, 1) - 1) * limit
    wanted = ctx.str_param("option_id")
    options = [o for o in poll["options"] if not wanted or o == wanted]
    result: dict[str, list[dict[str, Any]]] = {oid: [] for oid in options}
    for user_id, chosen in poll["votes"].items():
        user = ctx.store.users.get(user_id)
        for oid in chosen:
            if user is not None and oid in result:
                result[oid].append(
                    {
                        "id": user.id,
                        "username": user.username,
                        "name": user.name,
                        "avatar_template": user.avatar_template,
                    }
                )
    return {"voters": {oid: users[first : first + limit] for oid, users in result.items()}}


def routes() -> list[RouteSpec]:
    login = "login"
    return [
        RouteSpec("POST", "/invites", "invites#create", create_invite, access=login),
        RouteSpec("POST", "/invites/create-multiple", "invites#create_multiple", create_many, access=login),
        RouteSpec("GET", "/invites/retrieve", "invites#retrieve", retrieve_invite, access=login),
        RouteSpec("POST", "/invites/reinvite", "invites#resend_invite", reinvite, access=login),
        RouteSpec("PUT", "/invites/{id}", "invites#update", update_invite, access=login),
        RouteSpec("DELETE", "/invites", "invites#destroy", destroy_invite, access=login),
        RouteSpec("POST", "/user_badges", "user_badges#create", grant_badge, access="staff_action"),
        RouteSpec("POST", "/bookmarks", "bookmarks#create", create_bookmark, access=login),
        RouteSpec("DELETE", "/bookmarks/{id}", "bookmarks#destroy", delete_bookmark, access=login),
        RouteSpec("PUT", "/polls/vote", "polls#vote", vote, access=login),
        RouteSpec("DELETE", "/polls/vote", "polls#remove_vote", remove_vote, access=login),
        RouteSpec("PUT", "/polls/toggle_status", "polls#toggle_status", toggle_status, access=login),
        RouteSpec("GET", "/polls/voters", "polls#voters", voters),
    ]
