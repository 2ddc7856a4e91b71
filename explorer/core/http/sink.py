"""Collect a response body in memory, or in a temporary file once it grows past a cap."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

# The start-up sweep (explorer.core.leftovers) removes files of this pattern that an earlier run left.
BODY_FILE_PREFIX = "explorer-body-"
BODY_FILE_SUFFIX = ".bin"


@dataclass
class BodySink:
    """Collects a response body in memory, moving to a temporary file once it outgrows the cap."""

    cap: int
    temp_dir: Path | None
    chunks: list[bytes] = field(default_factory=list)
    size: int = 0
    path: Path | None = None
    _file: IO[bytes] | None = None

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self._file is None and self.size > self.cap:
            self._spill()
        if self._file is not None:
            self._file.write(chunk)
        else:
            self.chunks.append(chunk)

    def _spill(self) -> None:
        # The process id in the name lets another window's start-up sweep leave this file alone.
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in finish()/discard()
            prefix=f"{BODY_FILE_PREFIX}{os.getpid()}-",
            suffix=BODY_FILE_SUFFIX,
            dir=self.temp_dir,
            delete=False,
        )
        self._file, self.path = handle, Path(handle.name)
        for chunk in self.chunks:
            handle.write(chunk)
        self.chunks.clear()

    def finish(self) -> tuple[bytes, Path | None]:
        if self._file is not None:
            self._file.close()
            return b"", self.path
        return b"".join(self.chunks), None

    def discard(self) -> None:
        if self._file is not None:
            self._file.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)
