"""Which key each Disqus method needs, and the checks that turn keys into forums."""

from __future__ import annotations

from dataclasses import dataclass

from explorer.sandbox.demo import DISQUS_PARTNER_API_KEY
from explorer.sandbox.disqus.envelope import BAD_KEY, Args, DisqusError
from explorer.sandbox.disqus.records import Forum, Thread
from explorer.sandbox.disqus.state import DisqusState


@dataclass
class Call:
    """One method call: the state it reads or changes, its arguments and the API version it runs as."""

    state: DisqusState
    args: Args
    api_version: str  # "1.1", or "1.0" when api_version was missing (the documented default)

    # -- keys --------------------------------------------------------------------------------------------

    def user_key(self) -> str:
        key = self.args.require("user_api_key")
        if key not in self.state.user_keys:
            # Wording of the one real error reply we know of.
            raise DisqusError(f"user_api_key {key} could not be converted to UserKey object")
        return key

    def forum_key(self) -> Forum:
        key = self.args.require("forum_api_key")
        forum = self.state.forum_by_key(key)
        if forum is None:
            raise DisqusError(f"forum_api_key {key} could not be converted to ForumKey object")
        return forum

    def partner_key(self) -> bool:
        key = self.args.get("partner_api_key")
        if key is None:
            return False
        if key != DISQUS_PARTNER_API_KEY:
            raise DisqusError(f"partner_api_key {key} could not be converted to PartnerKey object")
        return True

    def moderated_forum(self, forum_id: str) -> Forum:
        """A forum the caller may read: named by id with the user key, or identified by the forum key."""
        if self.args.get("forum_api_key") is not None:
            keyed = self.forum_key()
            if keyed.id != forum_id:
                raise DisqusError(
                    f"forum_api_key belongs to forum {keyed.id}, not to forum_id {forum_id}", BAD_KEY
                )
            return keyed
        user = self.user_key()
        forum = self.state.forums.get(forum_id)
        if forum is None:
            raise DisqusError(f"forum_id {forum_id} could not be converted to Forum object")
        if forum not in self.state.forums_of_user(user):
            raise DisqusError(
                f"the user {self.state.user_keys[user]} does not own or moderate forum {forum_id}", BAD_KEY
            )
        return forum

    def read_forum(self, *, legacy_needs_forum_key: bool) -> Forum:
        """The forum for a forum-scoped read: forum_api_key alone, or user_api_key plus forum_id."""
        if self.args.get("forum_api_key") is not None:
            if self.args.get("forum_id") is None:
                return self.forum_key()
        else:
            self._legacy_check(legacy_needs_forum_key)
        return self.moderated_forum(self.args.require("forum_id", " (or send the forum's forum_api_key)"))

    def readable_thread(self, *, legacy_needs_forum_key: bool) -> Thread:
        thread_id = self.args.require("thread_id")
        thread = self.state.threads.get(thread_id)
        if thread is None:
            raise DisqusError(f"thread_id {thread_id} could not be converted to Thread object")
        if self.args.get("forum_api_key") is not None:
            forum = self.forum_key()
            if forum.id != thread.forum_id:
                raise DisqusError(f"thread {thread_id} is not in the forum of this forum_api_key", BAD_KEY)
            return thread
        self._legacy_check(legacy_needs_forum_key)
        self.moderated_forum(thread.forum_id)
        return thread

    def readable_forum_ids(self, *, legacy_needs_forum_key: bool) -> set[str]:
        if self.args.get("forum_api_key") is not None:
            return {self.forum_key().id}
        self._legacy_check(legacy_needs_forum_key)
        return {f.id for f in self.state.forums_of_user(self.user_key())}

    def owned_thread(self, forum: Forum, thread_id: str) -> Thread:
        thread = self.state.threads.get(thread_id)
        if thread is None:
            raise DisqusError(f"thread_id {thread_id} could not be converted to Thread object")
        if thread.forum_id != forum.id:
            raise DisqusError(f"thread {thread_id} is not in the forum of this forum_api_key", BAD_KEY)
        return thread

    def _legacy_check(self, needs_forum_key: bool) -> None:
        if needs_forum_key and self.api_version == "1.0":
            raise DisqusError(
                "Missing required argument: forum_api_key. The request was handled as API 1.0 (api_version "
                "was missing or 1.0; 1.0 is the documented default), where thread and post methods need the "
                "forum key. "
                "Send api_version=1.1 to use user_api_key with forum_id or thread_id."
            )
