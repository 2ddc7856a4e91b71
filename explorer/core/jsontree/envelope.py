"""The Disqus 1.1 envelope `{"succeeded", "code", "message"}`, recognised so viewers can show its payload."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import simdjson

ENVELOPE_KEYS = frozenset({"succeeded", "code", "message"})
PAYLOAD_KEY = "message"


@dataclass(frozen=True)
class Envelope:
    """What the envelope says about the call; `payload` is `message` (any JSON value)."""

    succeeded: bool | None
    code: str
    payload: Any

    @property
    def ok(self) -> bool:
        # Some 1.1 clients accepted an empty code on success; "ok" is what the server sent.
        return self.succeeded is True and self.code in ("ok", "")

    def badge_text(self) -> str:
        """`code ok · succeeded true`, as the envelope spells them."""
        succeeded = {True: "true", False: "false"}.get(self.succeeded, "absent")  # type: ignore[arg-type]
        return f"code {self.code or '(empty)'} · succeeded {succeeded}"


def disqus_envelope(root: Any) -> Envelope | None:
    """The envelope when `root` is one: an object with exactly `succeeded`, `code` and `message`.

    Exactly those keys, so a Discourse answer that happens to carry a `message` is never taken for one.
    """
    if not isinstance(root, dict | simdjson.Object) or len(root) != len(ENVELOPE_KEYS):
        return None
    if set(root.keys()) != ENVELOPE_KEYS:
        return None
    succeeded = root["succeeded"]
    code = root["code"]
    if not isinstance(succeeded, bool) or not isinstance(code, str | int):
        return None
    return Envelope(succeeded, str(code), root[PAYLOAD_KEY])
