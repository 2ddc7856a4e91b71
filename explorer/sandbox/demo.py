"""The sandbox's fixed demo credentials, shared by the server, the CLI and the window."""

from __future__ import annotations

from dataclasses import dataclass

# Keys are fixed strings so tutorials, screenshots and tests can name them; they only open the sandbox.
DISCOURSE_ADMIN_KEY = "d0c5a11a" + "0" * 56  # all-users admin key: needs Api-Username
DISCOURSE_SINGLE_USER_KEY = "d0c5519e" + "1" * 56  # bound to the moderator
DISCOURSE_READ_ONLY_KEY = "d0c5ead0" + "2" * 56  # all-users, read-only scope
DISCOURSE_GRANULAR_KEY = "d0c5917a" + "3" * 56  # all-users, a few granular scopes
DISCOURSE_USER_API_KEY = "d0c5a5e7" + "4" * 56  # User API key of the regular user
DISCOURSE_USER_API_CLIENT_ID = "forum-api-explorer-sandbox"

# The sandbox sends no e-mail; the token such a mail would carry (a backup download link, a password reset) is
# this fixed value, the one the catalog's examples use.
DISCOURSE_EMAILED_TOKEN = "0123456789abcdef"

ADMIN_USERNAME = "system"
MODERATOR_USERNAME = "mod_maria"
REGULAR_USERNAME = "alice"

DISQUS_USER_API_KEY = "D15u5e7" + "A" * 57
DISQUS_FORUM_ID = "1001"
DISQUS_FORUM_SHORTNAME = "sandbox-forum"
DISQUS_FORUM_API_KEY = "D15f0a1" + "B" * 57
DISQUS_PARTNER_API_KEY = "D15ba7e" + "C" * 57

# Path prefix under which the Disqus side is served; Discourse owns the root.
DISQUS_PREFIX = "/disqus"


@dataclass(frozen=True)
class DemoCredentials:
    """What `explorer sandbox --ready-json` prints and what sandbox profiles are made from."""

    url: str

    @property
    def discourse_base_url(self) -> str:
        return self.url

    @property
    def disqus_base_url(self) -> str:
        return self.url + DISQUS_PREFIX

    # The demo keys as attributes, so the window and the command line can hand this object to the core's
    # sandbox profiles (which know these names, not this module).
    @property
    def admin_username(self) -> str:
        return ADMIN_USERNAME

    @property
    def discourse_admin_key(self) -> str:
        return DISCOURSE_ADMIN_KEY

    @property
    def disqus_forum_id(self) -> str:
        return DISQUS_FORUM_ID

    @property
    def disqus_user_api_key(self) -> str:
        return DISQUS_USER_API_KEY

    @property
    def disqus_forum_api_key(self) -> str:
        return DISQUS_FORUM_API_KEY

    @property
    def disqus_partner_api_key(self) -> str:
        return DISQUS_PARTNER_API_KEY

    def as_json(self) -> dict[str, object]:
        return {"url": self.url, "discourse": self.discourse_json(), "disqus": self.disqus_json()}

    def discourse_json(self) -> dict[str, str]:
        """The Discourse keys and usernames, as printed under "discourse"."""
        return {
            "admin_key": DISCOURSE_ADMIN_KEY,
            "admin_username": ADMIN_USERNAME,
            "single_user_key": DISCOURSE_SINGLE_USER_KEY,
            "single_user_username": MODERATOR_USERNAME,
            "read_only_key": DISCOURSE_READ_ONLY_KEY,
            "granular_key": DISCOURSE_GRANULAR_KEY,
            "user_api_key": DISCOURSE_USER_API_KEY,
            "user_api_client_id": DISCOURSE_USER_API_CLIENT_ID,
            "moderator_username": MODERATOR_USERNAME,
            "regular_username": REGULAR_USERNAME,
        }

    def disqus_json(self) -> dict[str, str]:
        """The Disqus base URL, forum and keys, as printed under "disqus"."""
        return {
            "base_url": self.disqus_base_url,
            "user_api_key": DISQUS_USER_API_KEY,
            "forum_id": DISQUS_FORUM_ID,
            "forum_shortname": DISQUS_FORUM_SHORTNAME,
            "forum_api_key": DISQUS_FORUM_API_KEY,
            "partner_api_key": DISQUS_PARTNER_API_KEY,
        }
