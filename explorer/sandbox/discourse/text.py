"""Small text helpers: timestamps in Discourse's style, slugs, and a tiny Markdown "cooker"."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

_SLUG_STRIP = re.compile(r"[^a-z0-9]+")


def iso(ts: float) -> str:
    """Unix seconds -> `2026-01-05T10:00:00.000Z` (Discourse's JSON timestamp style)."""
    dt = datetime.fromtimestamp(ts, tz=UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def parse_iso(value: str) -> float | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def slugify(title: str) -> str:
    slug = _SLUG_STRIP.sub("-", title.lower()).strip("-")
    return slug[:80] or "topic"


def cook(raw: str) -> str:
    """Render raw Markdown to HTML, enough for paragraphs, inline code, bold and fenced code blocks.

    The real server runs a full Markdown-it pipeline; the sandbox only needs `cooked` to follow `raw`.
    """
    blocks: list[str] = []
    for chunk in re.split(r"\n\s*\n", raw.strip()):
        if chunk.startswith("```"):
            body = chunk.strip("`").split("\n", 1)[-1]
            blocks.append(f"<pre><code>{html.escape(body)}</code></pre>")
            continue
        text = html.escape(chunk)
        text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
        text = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)
        text = text.replace("\n", "<br>\n")
        blocks.append(f"<p>{text}</p>")
    return "\n".join(blocks)


def excerpt(cooked: str, length: int = 200) -> str:
    plain = re.sub(r"<[^>]+>", "", cooked)
    plain = html.unescape(plain).replace("\n", " ").strip()
    return plain if len(plain) <= length else plain[:length].rstrip() + "&hellip;"
