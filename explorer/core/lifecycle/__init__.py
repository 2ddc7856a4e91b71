"""The request lifecycle shared by the window and the CLI: specification → preparation → send → exchange."""

from __future__ import annotations

from explorer.core.lifecycle.executors import new_executor
from explorer.core.lifecycle.matching import spec_for_request, spec_for_url
from explorer.core.lifecycle.prepare import Preparation, apply_fixes, find_method, prepare
from explorer.core.lifecycle.send import Exchange, SendObserver, has_failed, send_prepared, send_sync
from explorer.core.lifecycle.spec import BodySpec, Capture, Pair, RequestSpec, SpecError
from explorer.core.lifecycle.target import Target, target_for_profile, target_from_store

__all__ = [
    "BodySpec",
    "Capture",
    "Exchange",
    "Pair",
    "Preparation",
    "RequestSpec",
    "SendObserver",
    "SpecError",
    "Target",
    "apply_fixes",
    "find_method",
    "has_failed",
    "new_executor",
    "prepare",
    "send_prepared",
    "send_sync",
    "spec_for_request",
    "spec_for_url",
    "target_for_profile",
    "target_from_store",
]
