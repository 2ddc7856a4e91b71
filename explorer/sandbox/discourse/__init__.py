"""The Discourse side of the offline sandbox: a stateful, deterministic imitation of a Discourse forum."""

from __future__ import annotations

from explorer.sandbox.discourse.app import create_app

__all__ = ["create_app"]
