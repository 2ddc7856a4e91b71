"""Imports: Postman, Bruno and Insomnia collections and pasted cURL become collections of saved requests."""

from __future__ import annotations

from explorer.core.imports.model import MAX_FILE_BYTES, ImportFailure
from explorer.core.imports.reader import FORMATS, import_curl_text, import_file, import_text
from explorer.core.imports.result import ImportResult
from explorer.core.imports.writing import write_import

__all__ = [
    "FORMATS",
    "MAX_FILE_BYTES",
    "ImportFailure",
    "ImportResult",
    "import_curl_text",
    "import_file",
    "import_text",
    "write_import",
]
