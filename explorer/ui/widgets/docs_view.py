"""The Docs tab: what a method does, its parameters, an example, what the response holds, and caveats."""

from __future__ import annotations

import html
import json
import re

from PySide6.QtWidgets import QTextBrowser, QWidget

from explorer.core.catalog.model import Method
from explorer.ui import theme

# Inline Markdown, as the catalogs write it. Code spans are cut out first, so nothing inside them is
# formatted; emphasis uses stars only, since underscores are everywhere in parameter names.
_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*]+?)(?<=\S)\*(?![*\w])")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s\"]+)\)")


def markdown_inline(text: str) -> str:
    """Rich text for a catalog text: `code`, **bold**, *italic*, [links](https://…); the rest escaped."""
    pieces = _CODE.split(text)  # even indexes: prose, odd: code spans
    out: list[str] = []
    for index, piece in enumerate(pieces):
        escaped = html.escape(piece, quote=False)
        if index % 2:
            out.append(f"<code>{escaped}</code>")
            continue
        escaped = _LINK.sub(r'<a href="\2">\1</a>', escaped)
        escaped = _BOLD.sub(r"<b>\1</b>", escaped)
        escaped = _ITALIC.sub(r"<i>\1</i>", escaped)
        out.append(escaped.replace("\n", "<br>"))
    return "".join(out)


def method_docs_html(method: Method) -> str:
    """Rich-text documentation for one method, written from the catalog."""
    esc = html.escape
    parts = [
        f"<h2 style='margin-bottom:2px'>{esc(method.summary or method.id)}</h2>",
        f"<p><span style='background:{theme.verb_colour(method.verb)}; color:white; font-weight:600'>"
        f"&nbsp;{esc(method.verb)}&nbsp;</span>&nbsp;<code>{esc(method.path)}</code>"
        f"&nbsp;&nbsp;<span style='color:gray'>{esc(method.key)}</span></p>",
    ]
    if not method.documented:
        parts.append(
            "<p><b>Undocumented.</b> This endpoint is not in the official reference; it is used by the "
            "official client libraries and may change without notice.</p>"
        )
    if method.description:
        parts.append(f"<p>{markdown_inline(method.description)}</p>")
    parts.append(f"<p><b>Authentication:</b> {esc(_auth_text(method))}</p>")
    if method.params:
        rows = "".join(
            "<tr>"
            f"<td><code>{esc(p.name)}</code>{' <b>*</b>' if p.required else ''}</td>"
            f"<td>{esc(p.location)}</td>"
            f"<td>{esc(_type_text(p))}</td>"
            f"<td>{markdown_inline(p.description)}{_extra(p)}</td>"
            "</tr>"
            for p in method.params
        )
        parts.append(
            "<h3>Parameters</h3>"
            "<table cellspacing='0' cellpadding='4' border='1' style='border-color:#999999'>"
            "<tr><th align='left'>Name</th><th align='left'>In</th><th align='left'>Type</th>"
            f"<th align='left'>Description</th></tr>{rows}</table>"
            "<p style='color:gray'>* required</p>"
        )
    if method.example:
        sample = json.dumps(method.example, indent=2, ensure_ascii=False)
        parts.append(f"<h3>Example</h3><pre>{esc(sample)}</pre>")
    if method.response:
        parts.append(f"<h3>Response</h3><p>{markdown_inline(method.response)}</p>")
    notes = list(method.notes) + list(method.corrections)
    if notes:
        parts.append(
            "<h3>Notes</h3><ul>" + "".join(f"<li>{markdown_inline(n)}</li>" for n in notes) + "</ul>"
        )
    return "".join(parts)


def _auth_text(method: Method) -> str:
    return {
        "none": "none needed.",
        "optional": "optional; anonymous callers see the public view.",
        "user": "a user's credentials (an API key acting as a user, or a User API key).",
        "admin": "an admin API key acting as an admin; anyone else gets 404.",
        "forum": "the forum key (forum_api_key).",
        "partner": "a partner key (partner_api_key).",
    }.get(method.auth, method.auth)


def _type_text(param) -> str:  # noqa: ANN001 - catalog Param
    text = param.type
    if param.format:
        text += f" ({param.format})"
    if param.array or param.name.endswith("[]"):
        text = f"list of {text}"
    if param.enum:
        text += " — " + (" + ".join if param.multi_enum else " | ".join)(param.enum)
    return text


def _extra(param) -> str:  # noqa: ANN001 - catalog Param
    bits = []
    if param.default is not None:
        bits.append(f"Default: {param.default}.")
    if param.minimum is not None or param.maximum is not None:
        bits.append(
            f"Range: {param.minimum if param.minimum is not None else '…'}–"
            f"{param.maximum if param.maximum is not None else '…'}."
        )
    if param.correction:
        bits.append(f"Note: {param.correction}")
    return (" <i>" + markdown_inline(" ".join(bits)) + "</i>") if bits else ""


class DocsView(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(True)

    def set_method(self, method: Method | None) -> None:
        self.setHtml(method_docs_html(method) if method else "")
