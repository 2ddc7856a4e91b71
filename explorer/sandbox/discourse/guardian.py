"""Who may see and change what (a small cut of Discourse's Guardian)."""

from __future__ import annotations

from explorer.sandbox.discourse.model import Category, Post, Topic, User
from explorer.sandbox.discourse.store import Store


class Guardian:
    def __init__(self, store: Store, user: User | None) -> None:
        self.store = store
        self.user = user

    @property
    def is_staff(self) -> bool:
        return self.user is not None and self.user.staff

    @property
    def is_admin(self) -> bool:
        return self.user is not None and self.user.admin

    def can_see_category(self, category: Category | None) -> bool:
        if category is None:
            return True
        if not category.read_restricted:
            return True
        if self.user is None:
            return False
        if self.user.staff:
            return True
        groups = {self.store.groups[g].name for g in self.store.group_ids_of(self.user.id)}
        return bool(groups & set(category.permissions))

    def can_see_topic(self, topic: Topic) -> bool:
        if topic.deleted_at is not None and not self.is_staff:
            return False
        if topic.is_pm:
            if self.user is None:
                return False
            if self.user.admin or self.user.id in topic.allowed_user_ids:
                return True
            # A message sent to (or shared with) a group is open to that group's members.
            groups = (self.store.groups.get(g) for g in topic.allowed_group_ids)
            return any(g is not None and self.user.id in g.member_ids for g in groups)
        return self.can_see_category(self.store.categories.get(topic.category_id or 0))

    def can_see_post(self, post: Post) -> bool:
        topic = self.store.topics.get(post.topic_id)
        if topic is None or not self.can_see_topic(topic):
            return False
        return post.deleted_at is None or self.is_staff

    def can_create_topic(self, category: Category | None = None) -> bool:
        if self.user is None:
            return False
        return self.can_see_category(category)

    def can_edit_post(self, post: Post) -> bool:
        if self.user is None:
            return False
        if self.user.staff:
            return True
        return post.user_id == self.user.id and not post.locked and self.user.trust_level >= 0

    def can_delete_post(self, post: Post) -> bool:
        if self.user is None:
            return False
        return self.user.staff or (post.user_id == self.user.id and post.post_number != 1)

    def can_delete_topic(self, topic: Topic) -> bool:
        if self.user is None:
            return False
        return self.user.staff or topic.user_id == self.user.id

    def can_edit_topic(self, topic: Topic) -> bool:
        if self.user is None:
            return False
        return self.user.staff or self.user.trust_level >= 3 or topic.user_id == self.user.id
