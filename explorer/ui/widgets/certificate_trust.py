"""The profile dialog's "Trust this certificate": fetch the site's certificate, show its fingerprint."""

from __future__ import annotations

import asyncio
import hashlib
import ssl
from collections.abc import Callable
from urllib.parse import urlsplit

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

FETCH_TIMEOUT_S = 10.0


def fingerprint(pem: str) -> str:
    """The SHA-256 fingerprint as browsers show it (AB:CD:…)."""
    digest = hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def fetch_certificate(base_url: str) -> str:
    """The certificate the site presents now (not verified: that is what the user is asked to judge).

    OSError or ValueError, with a message, when the URL is not https or the site cannot be reached.
    """
    parts = urlsplit(base_url.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError("only an https:// base URL has a certificate to trust")
    return ssl.get_server_certificate((parts.hostname, parts.port or 443), timeout=FETCH_TIMEOUT_S)


class CertificateTrust(QWidget):
    """Off by default. *Fetch certificate* reads what the site presents; ticking the box trusts exactly that
    certificate for this profile's site (saved with the profile; the system's authorities still apply)."""

    def __init__(self, base_url: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._base_url = base_url
        self._pem: str | None = None
        self.checkbox = QCheckBox("Trust this certificate")
        self.checkbox.setToolTip(
            "For a site with a self-signed or private certificate: only the certificate shown is trusted, "
            "only for this profile's site. Compare the fingerprint with the one the site's owner gives you."
        )
        self.checkbox.setEnabled(False)
        self.fetch_button = QPushButton("Fetch certificate")
        self.fetch_button.clicked.connect(self._start_fetch)
        self.details = QLabel("No certificate trusted beyond the system's.")
        self.details.setWordWrap(True)
        self.details.setEnabled(False)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.checkbox)
        row.addWidget(self.fetch_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.details)
        self._task: asyncio.Task[None] | None = None

    def set_pem(self, pem: str | None) -> None:
        """Show a profile's trusted certificate (None: none)."""
        self._pem = pem
        self.checkbox.setEnabled(pem is not None)
        self.checkbox.setChecked(pem is not None)
        self._describe()

    def pem(self) -> str | None:
        """The certificate to save with the profile: only when the box is ticked."""
        return self._pem if self.checkbox.isChecked() else None

    def _describe(self, problem: str | None = None) -> None:
        if problem is not None:
            self.details.setText(problem)
        elif self._pem is None:
            self.details.setText("No certificate trusted beyond the system's.")
        else:
            self.details.setText(f"SHA-256 {fingerprint(self._pem)}")

    def _start_fetch(self) -> None:
        self._task = asyncio.get_event_loop().create_task(self.fetch())

    async def fetch(self) -> None:
        """Read the site's certificate on a worker thread (the window stays usable) and offer it."""
        self.fetch_button.setEnabled(False)
        self.details.setText("Fetching the certificate…")
        try:
            pem = await asyncio.to_thread(fetch_certificate, self._base_url())
        except (OSError, ValueError) as exc:
            self._describe(f"Could not fetch the certificate: {exc}")
            return
        finally:
            self.fetch_button.setEnabled(True)
        self._pem = pem
        self.checkbox.setEnabled(True)
        self.checkbox.setChecked(False)  # trusting it is the user's explicit choice, after reading this
        self._describe()
