"""The imitation of Disqus API 1.1: every method at /api/{method}/ with the 1.1 envelope."""

from __future__ import annotations

from explorer.sandbox.disqus.app import create_app

__all__ = ["create_app"]
