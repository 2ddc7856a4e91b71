"""Keys a server echoed back in a response body: masked in every view until the user asks to see them."""

from __future__ import annotations

import contextlib
import mmap
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus

from PySide6.QtWidgets import QCheckBox, QWidget

from explorer.core.http.masking import request_secrets, scrub
from explorer.core.http.sink import BODY_FILE_PREFIX, BODY_FILE_SUFFIX
from explorer.core.prepared import SECRET_PLACEHOLDER

if TYPE_CHECKING:
    from explorer.core.http.result import ExecutionResult

_PLACEHOLDER = SECRET_PLACEHOLDER.encode("ascii")
_COPY_CHUNK = 4 * 2**20


def secret_forms(secrets: Iterable[str]) -> list[bytes]:
    """Each secret as it may appear in a body: as typed, percent-encoded (a URL) or form-encoded."""
    forms: dict[bytes, None] = {}
    for secret in secrets:
        for form in (secret, quote(secret, safe=""), quote_plus(secret, safe="")):
            forms[form.encode("utf-8")] = None
    return sorted(forms, key=len, reverse=True)


def mask_bytes(data: bytes, forms: list[bytes]) -> bytes:
    for form in forms:
        data = data.replace(form, _PLACEHOLDER)
    return data


def _file_holds(path: Path, forms: list[bytes]) -> bool:
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return False
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            return any(mapped.find(form) >= 0 for form in forms)


def mask_file(path: Path, forms: list[bytes]) -> Path:
    """A masked copy of a streamed body, beside it and named like it (so the start-up sweep knows it).

    Read in chunks with an overlap of the longest secret, so a key that straddles two chunks is found.
    """
    overlap = max(map(len, forms)) - 1
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below
        prefix=f"{BODY_FILE_PREFIX}{os.getpid()}-", suffix=BODY_FILE_SUFFIX, dir=path.parent, delete=False
    )
    with handle as out, path.open("rb") as source:
        carry = b""
        while chunk := source.read(_COPY_CHUNK):
            data = mask_bytes(carry + chunk, forms)
            # Keep the tail back: it may be the start of a key the next chunk completes.
            cut = max(0, len(data) - overlap)
            out.write(data[:cut])
            carry = data[cut:]
        out.write(mask_bytes(carry, forms))
    return Path(handle.name)


class EchoedSecrets:
    """What the response pane shows of a body: with the request's keys masked, unless `Show secrets` is on.

    The checkbox appears only when the body holds one of the keys the request sent; it applies to the
    response shown and is off again for the next one.
    """

    def __init__(self, parent: QWidget, redisplay: Callable[[], None]) -> None:
        self.checkbox = QCheckBox("Show secrets", parent)
        self.checkbox.setToolTip(
            "The server sent back a key of this request; it is masked in the Body and Raw tabs. Tick to "
            "show it as it came (copying or saving the body then includes it)."
        )
        self.checkbox.hide()
        self.checkbox.toggled.connect(lambda _on: redisplay())
        self._result: ExecutionResult | None = None
        self._forms: list[bytes] = []
        self._found = False
        self._copy: Path | None = None

    @property
    def revealed(self) -> bool:
        return self.checkbox.isChecked()

    def _examine(self, result: ExecutionResult) -> None:
        if result is self._result:
            return
        self.discard_copy()
        self._result = result
        self._forms = secret_forms(request_secrets(result.request))
        self._found = False
        if self._forms and result.status is not None:
            if result.body_path is not None:
                self._found = _file_holds(result.body_path, self._forms)
            else:
                self._found = any(form in result.body for form in self._forms)
        self.checkbox.blockSignals(True)
        self.checkbox.setChecked(False)
        self.checkbox.blockSignals(False)
        self.checkbox.setVisible(self._found)

    def body(self, result: ExecutionResult) -> bytes | Path:
        """The body to show: the result's own bytes or file, or a masked copy."""
        self._examine(result)
        original: bytes | Path = result.body_path if result.body_path is not None else result.body
        if not self._found or self.revealed:
            return original
        if isinstance(original, Path):
            if self._copy is None:
                self._copy = mask_file(original, self._forms)
            return self._copy
        return mask_bytes(original, self._forms)

    def text(self, result: ExecutionResult, text: str) -> str:
        """`text` (decoded from the body) with the keys masked unless revealed."""
        self._examine(result)
        if self.revealed or not self._found:
            return text
        return scrub(text, request_secrets(result.request))

    def discard_copy(self) -> None:
        copy, self._copy = self._copy, None
        if copy is not None:
            # Still memory-mapped on Windows: the next start's sweep removes it then.
            with contextlib.suppress(OSError):
                copy.unlink(missing_ok=True)
