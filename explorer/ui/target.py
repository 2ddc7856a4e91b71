"""Where requests go and with which credentials: the active profile, reduced to what the builder needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explorer.core.catalog.model import Api


@dataclass(frozen=True)
class Target:
    """The active profile for one API; `credentials` hold secrets, so never display them unmasked."""

    profile_id: str
    profile_name: str
    api: Api
    base_url: str
    auth_kind: str = "none"
    credentials: Mapping[str, str] = field(default_factory=dict)
    is_sandbox: bool = False
    # Non-secret profile fields that are also method arguments (Disqus forum_id): prefilled in forms.
    defaults: Mapping[str, str] = field(default_factory=dict)
