"""Offline sandbox: a local ASGI server imitating a Discourse forum and the Disqus 1.1 API."""

from __future__ import annotations
