"""The Auth tab: which profile a request uses and exactly what it will send for authentication (masked)."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QTextBrowser, QWidget

from explorer.core.building.discourse_auth import CREDENTIAL_HEADER_NAMES
from explorer.core.catalog.model import Method
from explorer.core.lifecycle.target import Target
from explorer.core.prepared import SECRET_PLACEHOLDER, PreparedRequest, is_secret_name

# Matched case-insensitively: HTTP header names are.
_CREDENTIAL_HEADERS = frozenset(name.lower() for name in CREDENTIAL_HEADER_NAMES)


def auth_summary_html(
    target: Target | None,
    method: Method | None,
    request: PreparedRequest | None,
    sources: tuple[tuple[str, str], ...] = (),
) -> str:
    esc = html.escape
    if target is None:
        return "<p>No profile is active. Choose or create one with the profile switcher in the toolbar.</p>"
    parts = [
        f"<h3>{esc(target.profile_name)}</h3>",
        f"<p>Base URL: <code>{esc(target.base_url)}</code><br>Auth kind: {esc(target.auth_kind)}</p>",
    ]
    if target.is_sandbox:
        parts.append(
            "<p>This is the built-in offline sandbox with its public demo keys — nothing leaves your "
            "computer.</p>"
        )
    if request is None:
        parts.append(_planned_credentials(target, method))
        return "".join(parts)
    masked = request.masked()
    sent = [(k, v) for k, v in masked.headers if k.lower() in _CREDENTIAL_HEADERS or is_secret_name(k)]
    sent_q = [(k, v) for k, v in masked.query if is_secret_name(k) or k.startswith("api_")]
    sent_b = []
    if masked.body is not None:
        sent_b = [(k, v) for k, v in masked.body.fields if is_secret_name(k)]
    rows = [f"<li>header <code>{esc(k)}: {esc(v)}</code></li>" for k, v in sent]
    rows += [f"<li>query <code>{esc(k)}={esc(v)}</code></li>" for k, v in sent_q]
    rows += [f"<li>form field <code>{esc(k)}={esc(v)}</code></li>" for k, v in sent_b]
    if rows:
        parts.append("<p>This request will send:</p><ul>" + "".join(rows) + "</ul>")
    if sources:
        # Which credentials the profile supplies and which the request (a typed header, an import) sets.
        origin = "".join(f"<li><code>{esc(name)}</code> from {esc(source)}</li>" for name, source in sources)
        parts.append(f"<p>Where each credential comes from:</p><ul>{origin}</ul>")
    else:
        parts.append("<p>This request sends no credentials (anonymous).</p>")
    if method is not None and method.auth in ("user", "admin", "forum", "partner") and not rows:
        parts.append(
            f"<p><b>{esc(method.id)}</b> needs credentials ({esc(method.auth)}); "
            "the server will refuse it without them.</p>"
        )
    parts.append("<p style='color:gray'>Secret values are masked; manage them in Profiles… (toolbar).</p>")
    return "".join(parts)


def _planned_credentials(target: Target, method: Method | None) -> str:
    """What the profile will add once the arguments are complete (the request cannot be built yet)."""
    esc = html.escape
    creds = {k: v for k, v in target.credentials.items() if v}
    if not creds:
        return "<p>This profile sends no credentials (anonymous).</p>"
    if target.api.value == "discourse":
        from explorer.core.building.discourse_auth import CredentialProblem, credential_headers

        try:
            headers = credential_headers(creds)
        except CredentialProblem as exc:
            return f"<p><b>The profile's credentials cannot be used:</b> {esc(str(exc))}</p>"
        rows = "".join(
            f"<li>header <code>{esc(k)}: {esc(SECRET_PLACEHOLDER if is_secret_name(k) else v)}</code></li>"
            for k, v in headers
        )
        return f"<p>Once the arguments are complete, this request will send:</p><ul>{rows}</ul>"
    where = "query parameters" if method is None or method.verb == "GET" else "form fields"
    names = ", ".join(f"<code>{esc(k)}</code>" for k in creds)
    return f"<p>Once the arguments are complete, the keys this method takes go as {where}: {names}.</p>"


class AuthView(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def show_summary(
        self,
        target: Target | None,
        method: Method | None,
        request: PreparedRequest | None,
        sources: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.setHtml(auth_summary_html(target, method, request, sources))
