"""Turn (method, argument values, base URL, credentials) into a PreparedRequest or per-field errors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from explorer.core.catalog.model import Method
from explorer.core.prepared import PreparedRequest


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one argument; `field` is the parameter name (or "base_url", "auth")."""

    field: str
    message: str


@dataclass(frozen=True, slots=True)
class BuildResult:
    request: PreparedRequest | None
    errors: tuple[FieldError, ...] = ()

    @property
    def ok(self) -> bool:
        return self.request is not None and not self.errors


def build_request(
    method: Method,
    values: Mapping[str, Any],
    *,
    base_url: str,
    credentials: Mapping[str, str] | None = None,
) -> BuildResult:
    """Validate `values` against `method` and prepare the request; nothing is prepared on errors.

    `credentials` uses the APIs' own names: Discourse `api_key`, `api_username`, `api_user_id`,
    `api_user_external_id`, `user_api_key`, `user_api_client_id`; Disqus `user_api_key`,
    `forum_api_key`, `partner_api_key`.
    """
    raise NotImplementedError
