"""Sandbox settings: seed, rate limit and the fault-rehearsal switches (all faults off by default)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FaultSettings:
    """Failure modes a user can switch on to rehearse how their integration copes."""

    latency_ms: int = 0  # added before every response
    error_rate: float = 0.0  # share of requests answered 500 (Disqus with X-Sentry-ID)
    rate_limit_storm: bool = False  # every request answered 429
    slow_body_ms: int = 0  # the body trickles out over this long
    truncated_body: bool = False  # the connection closes halfway through the body
    html_error_page: bool = False  # a proxy's HTML error page in front of every answer

    @property
    def any(self) -> bool:
        return bool(
            self.latency_ms
            or self.error_rate
            or self.rate_limit_storm
            or self.slow_body_ms
            or self.truncated_body
            or self.html_error_page
        )


@dataclass(frozen=True)
class SandboxConfig:
    """How one sandbox instance behaves."""

    seed: int = 1
    admin_rate_limit_per_minute: int = 60
    # Request bodies above this are refused with 413, as nginx in front of a Discourse install does (10 MB).
    max_body_bytes: int = 10 * 1024 * 1024
    faults: FaultSettings = FaultSettings()
