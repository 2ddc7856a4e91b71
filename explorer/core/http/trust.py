"""A profile's "trust this certificate": one more trusted certificate for one site, never verification off."""

from __future__ import annotations

import ssl
from functools import cache
from urllib.parse import urlsplit

_PEM_START = "-----BEGIN CERTIFICATE-----"


def certificate_problem(pem: object) -> str | None:
    """Why `pem` cannot be trusted (not text, not one PEM certificate), or None."""
    if not isinstance(pem, str) or _PEM_START not in pem:
        return "expected the certificate as PEM text (-----BEGIN CERTIFICATE----- …)"
    try:
        context_for(pem)
    except (ssl.SSLError, ValueError) as exc:
        return f"the certificate cannot be read ({exc})"
    return None


@cache
def context_for(pem: str) -> ssl.SSLContext:
    """The system's authorities, plus `pem`; host names are still checked.

    The certificate is trusted on its own (a partial chain), so a server certificate issued by a private
    authority can be trusted without that authority's.
    """
    context = ssl.create_default_context()
    context.load_verify_locations(cadata=pem)
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    return context


def origin_key(url: object) -> str:
    """`https://host:port` as the key of a site's trusted certificate."""
    parsed = urlsplit(str(url))
    scheme = parsed.scheme.lower()
    port = parsed.port or {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{(parsed.hostname or '').lower()}:{port}"
