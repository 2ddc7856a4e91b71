"""Save the sandbox's data (both APIs) to a file and load it back, for `explorer sandbox --state FILE`."""

from __future__ import annotations

import dataclasses
import io
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp

from explorer.sandbox.app import PrefixRouter
from explorer.sandbox.discourse import model as discourse_model
from explorer.sandbox.disqus import records as disqus_records
from explorer.sandbox.faults import FaultMiddleware
from explorer.sandbox.limits import BodyLimitMiddleware

FORMAT = "forum-api-explorer-sandbox-state"
VERSION = 1
# Attributes that belong to the running process, not to the data.
_PROCESS_ONLY = frozenset({"clock"})
# The loader builds only these: the sandbox's own records and a few standard value types. A state file
# is data, so one that names anything else (os.system, say) is refused rather than run.
_SAFE_MODULES = ("explorer.sandbox.",)
_SAFE_NAMES = {
    ("datetime", "datetime"),
    ("datetime", "date"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("builtins", "bytearray"),
    ("collections", "OrderedDict"),
    ("collections", "defaultdict"),
    ("copyreg", "_reconstructor"),
    ("builtins", "object"),
}


class StateFileError(Exception):
    """The state file cannot be read or written; the message names the file and the reason."""


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _SAFE_NAMES:
            return super().find_class(module, name)
        if module.startswith(_SAFE_MODULES):
            found = super().find_class(module, name)
            # Only record classes: a function of ours (save_state, say) could still be made to run.
            if isinstance(found, type):
                return found
        raise StateFileError(f"it refers to {module}.{name}, which is not sandbox data")


def sandbox_states(app: ASGIApp) -> tuple[Any, Any]:
    """The Discourse store and the Disqus state inside the composed sandbox application."""
    router = app
    while isinstance(router, FaultMiddleware | BodyLimitMiddleware):
        router = router.app
    if not isinstance(router, PrefixRouter):
        raise StateFileError("this application is not the composed sandbox")
    discourse = getattr(getattr(router.root, "state", None), "discourse_store", None)
    disqus = getattr(getattr(router.prefixed, "state", None), "disqus_state", None)
    return discourse, disqus


def record_fields() -> dict[str, list[str]]:
    """Each record class's field names, in order, keyed by the class's dotted name."""
    # Slotted dataclasses are pickled as a list of values by position: a file saved before a field was added
    # or moved would load into the wrong fields unless the loader compares these names first.
    found: dict[str, list[str]] = {}
    for module in (discourse_model, disqus_records):
        for value in vars(module).values():
            if not isinstance(value, type) or value.__module__ != module.__name__:
                continue  # imported names and module-level values
            if dataclasses.is_dataclass(value):
                found[f"{module.__name__}.{value.__qualname__}"] = [f.name for f in dataclasses.fields(value)]
    return found


def _data_of(state: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(state).items() if k not in _PROCESS_ONLY}


def save_state(app: ASGIApp, path: Path, seed: int) -> None:
    """Write both APIs' data to `path` atomically (a temporary file renamed over it)."""
    discourse, disqus = sandbox_states(app)
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "seed": seed,
        "discourse": None if discourse is None else _data_of(discourse),
        "disqus": None if disqus is None else _data_of(disqus),
        "records": record_fields(),
    }
    path = Path(path)
    try:
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        fd, temp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent or ".")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
        raise StateFileError(f"cannot save the sandbox state to {path}: {exc}") from None


def load_state(app: ASGIApp, path: Path) -> int:
    """Replace the freshly seeded data with what `path` holds; returns the seed the file was made with.

    Call it before the server answers its first request (rendered pages may be cached per data version).
    """
    path = Path(path)
    try:
        payload = _SafeUnpickler(io.BytesIO(path.read_bytes())).load()
    except StateFileError as exc:
        raise StateFileError(f"cannot load the sandbox state from {path}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - a damaged pickle can fail in almost any way; all mean "bad file"
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a sandbox state file"
        raise StateFileError(f"cannot load the sandbox state from {path}: {reason}") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise StateFileError(f"cannot load the sandbox state from {path}: not a sandbox state file")
    if payload.get("version") != VERSION:
        raise StateFileError(
            f"cannot load the sandbox state from {path}: written in format version {payload.get('version')}, "
            f"this version reads {VERSION}"
        )
    saved_fields = payload.get("records", {})  # absent in files from before it was recorded
    current_fields = record_fields()
    if not isinstance(saved_fields, dict) or any(
        current_fields.get(name) != fields for name, fields in saved_fields.items()
    ):
        raise StateFileError(
            f"cannot load the sandbox state from {path}: it was saved by a version whose records have other "
            "fields; start without --state, or give another file"
        )
    seed = payload.get("seed")
    if not isinstance(seed, int):
        raise StateFileError(f"cannot load the sandbox state from {path}: it does not say its seed")
    discourse, disqus = sandbox_states(app)
    # Check both parts before changing either, so a bad file leaves the fresh data whole.
    updates = [
        (target, _checked(path, name, target, payload.get(name)))
        for name, target in (("discourse", discourse), ("disqus", disqus))
        if target is not None
    ]
    for target, values in updates:
        vars(target).update(values)
    if discourse is not None:
        discourse.changed()  # a new data version, so nothing rendered before the load is reused
    return seed


def _checked(path: Path, name: str, target: Any, saved: object) -> dict[str, Any]:
    """`saved` when it has exactly the attributes of `target`, each of the same type; else StateFileError."""
    current = _data_of(target)
    if not isinstance(saved, dict) or set(saved) != set(current):
        raise StateFileError(
            f"cannot load the sandbox state from {path}: its {name} data does not have the fields "
            "this version keeps (written by another version?)"
        )
    for key, value in saved.items():
        if type(value) is not type(current[key]):
            raise StateFileError(
                f"cannot load the sandbox state from {path}: {name} field {key!r} holds "
                f"{type(value).__name__}, expected {type(current[key]).__name__}"
            )
    return saved
