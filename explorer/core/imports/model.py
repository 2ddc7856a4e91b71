"""What every importer produces before matching and linting: requests as the file described them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from explorer.core.lifecycle.spec import BodySpec, Pair

# Files larger than this are refused before they are read: collections are text, and a bigger file is
# almost certainly the wrong one (an export with recorded responses, a binary picked by mistake).
MAX_FILE_BYTES = 50 * 1024 * 1024
# More requests than any hand-kept collection has: past it the file is refused rather than half-imported
# (a YAML file whose aliases repeat one folder inside itself can describe millions).
MAX_REQUESTS = 10_000


class ImportFailure(Exception):
    """A file that cannot be imported; the message names the file's problem (and where, when known)."""


@dataclass(frozen=True, slots=True)
class ImportedRequest:
    """One request as the imported file described it, secrets already left out.

    `url` is a path on the profile's site ("/t/{{topic_id}}.json") when the file used a variable or
    the collection's site for the host, otherwise an absolute URL; it carries no query (that is
    `query`). `variables` are this request's own values (path variables such as Postman's `:id`).
    """

    folder: tuple[str, ...]
    name: str
    verb: str
    url: str
    query: tuple[Pair, ...] = ()
    headers: tuple[Pair, ...] = ()
    body: BodySpec = field(default_factory=BodySpec)
    variables: Mapping[str, str] = field(default_factory=dict)
    has_script: bool = False
    blanks: tuple[str, ...] = ()  # path variables the file left empty, kept as `{{name}}` in `url`


@dataclass
class ParsedCollection:
    """An importer's output: the collection's name and variables, its requests in run order, and notes.

    `site` is the variable (or address) that stood for the site, with the value the file gave it;
    `secrets` counts the distinct keys that were left out (the profile provides them) and `other_secrets`
    the other secret values (passwords), which became `secret_variables` with empty values; `undefined`
    are variables the requests use that the file gives no value (set by its scripts, or in an environment
    that was not exported); `notes` are plain sentences for the summary (what was not imported and why).
    """

    name: str
    source: str
    variables: dict[str, str] = field(default_factory=dict)
    requests: list[ImportedRequest] = field(default_factory=list)
    site: tuple[str, str] | None = None
    secrets: int = 0
    other_secrets: int = 0
    secret_variables: list[str] = field(default_factory=list)
    undefined: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def safe_segment(name: str, fallback: str) -> str:
    """A folder or request name usable as one path segment, readable as a title.

    Names are often paths ("/users/<username>/preferences/email"): the leading slash goes, slashes become
    " › ", and a `<name>` or `:name` placeholder reads `{name}` (Windows refuses `<`, `>` and `:` in
    file names, which would otherwise turn them into dashes). The collection's own rules
    (naming.safe_name) then replace what is still unsafe and cap the length.
    """
    text = "".join(" " if ord(c) < 32 else c for c in name)
    text = _ANGLE_PLACEHOLDER.sub(r"{\1}", text)
    parts = [_COLON_PLACEHOLDER.sub(r"{\1}", part.strip()) for part in re.split(r"[/\\]", text)]
    text = " › ".join(part for part in parts if part).strip(". ")
    return " ".join(text.split()) or fallback


# `<username>` and a whole `:username` segment, as names written like paths hold their parameters.
_ANGLE_PLACEHOLDER = re.compile(r"<\s*([A-Za-z_][\w\-]*)\s*>")
_COLON_PLACEHOLDER = re.compile(r"^:([A-Za-z_]\w*)$")
