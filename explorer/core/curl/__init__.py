"""cURL import (command line → request, matched to a catalog method and linted) and export."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from explorer.core.curl.match import MethodMatch, match_request
from explorer.core.curl.to_request import ImportedCurl, bundled_catalogs, import_curl
from explorer.core.curl.tokens import CurlError

if TYPE_CHECKING:
    from explorer.core.curl.export import display_url, to_curl

__all__ = [
    "CurlError",
    "ImportedCurl",
    "MethodMatch",
    "bundled_catalogs",
    "display_url",
    "import_curl",
    "match_request",
    "to_curl",
]


def __getattr__(name: str) -> Any:
    # Export (and the code generators behind it) loads on first use: the window's start-up reads this
    # package for the importer only.
    if name in ("display_url", "to_curl"):
        from explorer.core.curl import export

        return getattr(export, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
