"""cURL import (command line → request, matched to a catalog method and linted) and export."""

from __future__ import annotations

from explorer.core.curl.export import display_url, to_curl
from explorer.core.curl.match import MethodMatch, match_request
from explorer.core.curl.to_request import ImportedCurl, bundled_catalogs, import_curl
from explorer.core.curl.tokens import CurlError

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
