"""Request specification files: written atomically by `request --save`, read by `explorer run`."""

from __future__ import annotations

from pathlib import Path

from explorer.core.lifecycle import RequestSpec, SpecError
from explorer.core.paths import atomic_write_bytes


def save_spec(path: Path, spec: RequestSpec) -> str | None:
    """Write `spec` to `path` (secrets as the placeholder; a crash leaves the old file); None or a message."""
    if not path.parent.is_dir():
        # Checked first: the atomic writer would create missing folders, and a typo should not.
        return f"--save {str(path)!r}: no folder {str(path.parent)!r}"
    if path.is_dir():
        return f"--save {str(path)!r}: is a folder"
    try:
        atomic_write_bytes(path, spec.dumps().encode("utf-8"))
    except OSError as exc:
        return f"--save {str(path)!r}: cannot write: {exc.strerror or exc}"
    return None


def read_spec(path: Path) -> RequestSpec | str:
    """The specification in `path`, or a one-line message naming the file and what is wrong with it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return f"{str(path)!r}: no such file"
    except IsADirectoryError:
        return f"{str(path)!r}: is a folder, not a request file"
    except OSError as exc:
        return f"{str(path)!r}: cannot read: {exc.strerror or exc}"
    except UnicodeDecodeError as exc:
        return f"{str(path)!r}: not UTF-8 text (byte {exc.start})"
    try:
        return RequestSpec.loads(text)
    except SpecError as exc:
        # json's messages can span lines; the user gets one.
        return f"{str(path)!r}: {' '.join(str(exc).split())}"
