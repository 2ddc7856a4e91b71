"""The transport rule shared by both APIs: credentials must not travel over plain HTTP to another host."""

from __future__ import annotations

from urllib.parse import urlsplit

from explorer.core.lint.access import is_loopback, params, url_host, with_scheme
from explorer.core.lint.model import Finding, Fix, Severity
from explorer.core.prepared import PreparedRequest, is_secret_name


def secret_names(request: PreparedRequest) -> list[str]:
    """Names of the headers and parameters that carry a non-empty secret."""
    names = [k for k, v in request.headers if v and is_secret_name(k)]
    names += [p.name for p in params(request) if p.value and is_secret_name(p.name)]
    return list(dict.fromkeys(names))


def _to_https(request: PreparedRequest) -> PreparedRequest:
    return with_scheme(request, "https")


def check(request: PreparedRequest) -> list[Finding]:
    if urlsplit(request.url).scheme.lower() != "http":
        return []
    host = url_host(request)
    if not host or is_loopback(host):
        return []
    secrets = secret_names(request)
    if not secrets:
        return []
    return [
        Finding(
            code="insecure-transport",
            severity=Severity.WARNING,
            message=(
                f"{', '.join(secrets)} would travel unencrypted over http:// to {host}: anyone on the "
                "network path (public Wi-Fi, a proxy, the hosting provider) can read and reuse the key. "
                "Use https://; only this machine (localhost, 127.0.0.1) is safe over plain HTTP."
            ),
            fix=Fix("Switch to https://", _to_https),
            subject=secrets[0],
        )
    ]
