"""The Disqus side's in-memory records (forums, categories, threads, authors, posts) and their wire shapes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Post statuses accepted by create_post's `state` and reported in a post's `status`.
STATUSES = ("approved", "unapproved", "spam", "killed")
# Values accepted by filter/exclude: "new" means not yet moderated; the rest match the status.
FILTER_VALUES = ("new", "approved", "unapproved", "spam", "killed")

THREAD_DATE = "%Y-%m-%dT%H:%M"  # threads and posts, on input and output (UTC, minutes only)


def thread_date(moment: datetime) -> str:
    return moment.strftime(THREAD_DATE)


def forum_date(moment: datetime) -> str:
    # Python's str(datetime): the fraction is left out when microseconds are zero, as in the captures.
    return str(moment)


def email_hash(email: str) -> str:
    return hashlib.md5(email.strip().lower().encode("utf-8")).hexdigest()


@dataclass
class Forum:
    id: str
    shortname: str
    name: str
    description: str
    created_at: datetime
    api_key: str
    moderated_by_demo_user: bool

    def shape(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "shortname": self.shortname,
            "name": self.name,
            "description": self.description,
            "created_at": forum_date(self.created_at),
        }


@dataclass
class Category:
    id: str
    forum_id: str
    title: str
    is_default: bool

    def shape(self) -> dict[str, Any]:
        # Field names as the 1.1 documentation words them; no captured category exists (reconstruction).
        return {
            "category_id": self.id,
            "title": self.title,
            "forum_id": self.forum_id,
            "is_default": self.is_default,
        }


@dataclass
class Thread:
    id: str
    forum_id: str
    category_id: str
    slug: str
    title: str
    url: str
    identifiers: list[str]
    created_at: datetime
    allow_comments: bool = True
    hidden: bool = False

    def shape(self, api_version: str = "1.1") -> dict[str, Any]:
        identifier: Any = list(self.identifiers)
        if api_version == "1.0":
            # 1.0 replies carried one identifier string (or null) rather than a list.
            identifier = self.identifiers[0] if self.identifiers else None
        return {
            "id": self.id,
            "forum": self.forum_id,
            "slug": self.slug,
            "title": self.title,
            "created_at": thread_date(self.created_at),
            "allow_comments": self.allow_comments,
            "url": self.url,
            "identifier": identifier,
            "hidden": self.hidden,
            "category": self.category_id,
        }


@dataclass(frozen=True)
class Author:
    id: int
    username: str
    display_name: str
    url: str
    email: str
    has_avatar: bool

    def shape(self, owner_view: bool) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "url": self.url,
            "email_hash": email_hash(self.email),
            "has_avatar": self.has_avatar,
        }
        if owner_view:
            data["email"] = self.email
        return data


@dataclass
class Post:
    id: str
    forum_id: str
    thread_id: str
    message: str
    created_at: datetime
    status: str = "approved"
    has_been_moderated: bool = False
    parent_post: str | None = None
    author: Author | None = None  # None: an anonymous comment described by the anon_* fields
    anon_name: str = ""
    anon_email: str = ""
    anon_url: str = ""
    ip_address: str = ""
    points: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def shown(self) -> bool:
        return self.status == "approved"

    def matches(self, value: str) -> bool:
        """Whether this post has the filter/exclude property `value`."""
        if value == "new":
            return not self.has_been_moderated
        return self.status == value

    def _author_fields(self, owner_view: bool) -> dict[str, Any]:
        if self.author is not None:
            return {"is_anonymous": False, "author": self.author.shape(owner_view)}
        anonymous = {"name": self.anon_name, "url": self.anon_url, "email_hash": email_hash(self.anon_email)}
        if owner_view:
            anonymous["email"] = self.anon_email
        return {"is_anonymous": True, "anonymous_author": anonymous}

    def flat_shape(self) -> dict[str, Any]:
        """The post as get_thread_posts, create_post and moderate_post return it: ids for forum and thread."""
        return {
            "id": self.id,
            "forum": self.forum_id,
            "thread": self.thread_id,
            "created_at": thread_date(self.created_at),
            "message": self.message,
            "parent_post": self.parent_post,
            "shown": self.shown,
            "status": self.status,
            **self._author_fields(owner_view=False),
        }

    def full_shape(self, thread: Thread, forum: Forum) -> dict[str, Any]:
        """The post as get_forum_posts returns it to the forum's owner: thread and forum embedded."""
        return {
            "id": self.id,
            "forum": forum.shape(),
            "thread": thread.shape(),
            "created_at": thread_date(self.created_at),
            "message": self.message,
            "parent_post": self.parent_post,
            "status": self.status,
            "has_been_moderated": self.has_been_moderated,
            "points": self.points,
            "ip_address": self.ip_address,
            **self._author_fields(owner_view=True),
        }
