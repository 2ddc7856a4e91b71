"""In-memory records of the sandbox forum: users, categories, topics, posts and smaller things."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class User:
    id: int
    username: str
    name: str
    email: str
    trust_level: int
    created_at: str
    admin: bool = False
    moderator: bool = False
    active: bool = True
    suspended_till: str | None = None
    suspend_reason: str | None = None
    silenced_till: str | None = None
    title: str | None = None
    bio_raw: str = ""
    location: str = ""
    website: str = ""
    last_seen_at: str | None = None
    external_id: str | None = None
    days_visited: int = 0
    time_read: int = 0
    likes_given: int = 0
    likes_received: int = 0
    avatar_color: str = "8e7dd6"
    uploaded_avatar_id: int | None = None

    @property
    def staff(self) -> bool:
        return self.admin or self.moderator

    @property
    def suspended(self) -> bool:
        return self.suspended_till is not None

    @property
    def avatar_template(self) -> str:
        if self.uploaded_avatar_id is not None:
            # Discourse names the host here; the sandbox answers on many ports, so it writes "sandbox".
            return f"/user_avatar/sandbox/{self.username.lower()}/{{size}}/{self.uploaded_avatar_id}_2.png"
        return f"/letter_avatar_proxy/v4/letter/{self.username[0]}/{self.avatar_color}/{{size}}.png"


@dataclass(slots=True)
class Category:
    id: int
    name: str
    slug: str
    color: str
    text_color: str
    description: str
    position: int
    read_restricted: bool = False
    parent_category_id: int | None = None
    # Group name -> permission type (1 full, 2 create/reply, 3 see).
    permissions: dict[str, int] = field(default_factory=lambda: {"everyone": 1})
    topic_id: int | None = None  # the "About the X category" topic


@dataclass(slots=True)
class Topic:
    id: int
    title: str
    slug: str
    category_id: int | None
    user_id: int
    created_at: str
    archetype: str = "regular"  # or "private_message"
    tags: list[str] = field(default_factory=list)
    views: int = 0
    closed: bool = False
    archived: bool = False
    visible: bool = True
    pinned: bool = False
    pinned_globally: bool = False
    deleted_at: str | None = None
    deleted_by_id: int | None = None
    bumped_at: str = ""
    external_id: str | None = None
    allowed_user_ids: list[int] = field(default_factory=list)  # private messages only
    allowed_group_ids: list[int] = field(default_factory=list)
    bookmarked_by: set[int] = field(default_factory=set)
    notification_levels: dict[int, int] = field(default_factory=dict)
    timer: dict[str, Any] | None = None

    @property
    def is_pm(self) -> bool:
        return self.archetype == "private_message"


@dataclass(slots=True)
class Post:
    id: int
    topic_id: int
    post_number: int
    user_id: int
    raw: str
    cooked: str
    created_at: str
    updated_at: str
    reply_to_post_number: int | None = None
    version: int = 1
    post_type: int = 1
    deleted_at: str | None = None
    locked: bool = False
    wiki: bool = False
    reads: int = 1
    edit_reason: str | None = None
    likes: set[int] = field(default_factory=set)
    bookmarked_by: set[int] = field(default_factory=set)


@dataclass(slots=True)
class Group:
    id: int
    name: str
    full_name: str | None
    automatic: bool
    member_ids: list[int] = field(default_factory=list)
    owner_ids: list[int] = field(default_factory=list)
    bio_raw: str = ""
    visibility_level: int = 0
    mentionable_level: int = 0
    messageable_level: int = 0
    public_admission: bool = False
    public_exit: bool = False
    allow_membership_requests: bool = False
    title: str | None = None
    flair_icon: str | None = None
    primary_group: bool = False
    grant_trust_level: int | None = None


@dataclass(slots=True)
class Tag:
    name: str
    description: str | None = None


@dataclass(slots=True)
class TagGroup:
    id: int
    name: str
    tag_names: list[str]
    parent_tag_name: list[str] = field(default_factory=list)
    one_per_topic: bool = False
    permissions: dict[str, int] = field(default_factory=lambda: {"everyone": 1})


@dataclass(slots=True)
class Badge:
    id: int
    name: str
    description: str
    badge_type_id: int  # 1 gold, 2 silver, 3 bronze
    badge_grouping_id: int = 1
    icon: str = "certificate"
    enabled: bool = True
    allow_title: bool = False
    multiple_grant: bool = False
    listable: bool = True
    system: bool = True
    long_description: str = ""


@dataclass(slots=True)
class UserBadge:
    id: int
    badge_id: int
    user_id: int
    granted_at: str
    granted_by_id: int = -1


@dataclass(slots=True)
class Notification:
    id: int
    user_id: int
    notification_type: int
    created_at: str
    topic_id: int | None = None
    post_number: int | None = None
    read: bool = False
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Upload:
    id: int
    user_id: int
    original_filename: str
    content: bytes
    extension: str
    width: int | None = None
    height: int | None = None
    sha1: str = ""


@dataclass(slots=True)
class Invite:
    id: int
    invite_key: str
    email: str | None
    invited_by_id: int
    created_at: str
    expires_at: str
    max_redemptions_allowed: int = 1
    redemption_count: int = 0
    custom_message: str | None = None
    topic_id: int | None = None
    group_ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class ApiKeyRecord:
    id: int
    key: str
    description: str
    user_id: int | None  # None = all users
    scope_mode: str  # "global" | "read_only" | "granular"
    scopes: tuple[str, ...] = ()
    created_at: str = ""
    revoked_at: str | None = None


@dataclass(slots=True)
class UserApiKeyRecord:
    key: str
    user_id: int
    scopes: tuple[str, ...]
    client_id: str
    application_name: str = "Forum API Explorer"
    revoked: bool = False
