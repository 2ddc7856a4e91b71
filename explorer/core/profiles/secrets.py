"""Where secret credentials live: the OS keyring, memory (session only) or an owner-only file."""

from __future__ import annotations

import contextlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from explorer.core import jsonfile
from explorer.core.paths import atomic_write_bytes

if TYPE_CHECKING:  # keyring and its dependencies load when a keyring is first used, not at start-up
    import keyring.backend

SERVICE = "forum-api-explorer"
FILE_SCHEMA_VERSION = 1


class SecretStoreError(Exception):
    """A secret could not be read or written; the message says why and what to do."""


class SecretStore(Protocol):
    """Secrets keyed by (profile id, credential name), e.g. ("3f2c…", "api_key")."""

    kind: str  # "keyring" | "memory" | "file"
    persistent: bool  # False: secrets are forgotten when the app exits

    def get(self, profile_id: str, name: str) -> str | None: ...

    def set(self, profile_id: str, name: str, value: str) -> None: ...

    def delete(self, profile_id: str, name: str) -> None: ...


class MemorySecretStore:
    """Secrets held in this process only: for tests, the sandbox and the "session only" choice."""

    kind = "memory"
    persistent = False

    def __init__(self) -> None:
        self._values: dict[tuple[str, str], str] = {}

    def get(self, profile_id: str, name: str) -> str | None:
        return self._values.get((profile_id, name))

    def set(self, profile_id: str, name: str, value: str) -> None:
        self._values[(profile_id, name)] = value

    def delete(self, profile_id: str, name: str) -> None:
        self._values.pop((profile_id, name), None)

    def __repr__(self) -> str:  # never show the values
        return f"MemorySecretStore({len(self._values)} secrets)"


class KeyringSecretStore:
    """Secrets in the OS keyring (Keychain, Windows Credential Locker, Secret Service, KWallet)."""

    kind = "keyring"
    persistent = True

    def __init__(self, service: str = SERVICE, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self.service = service
        self._backend = backend

    def _keyring(self) -> Any:
        import keyring

        return self._backend if self._backend is not None else keyring.get_keyring()

    @staticmethod
    def _account(profile_id: str, name: str) -> str:
        return f"{profile_id}:{name}"

    def get(self, profile_id: str, name: str) -> str | None:
        import keyring.errors

        try:
            return self._keyring().get_password(self.service, self._account(profile_id, name))
        except keyring.errors.KeyringError as exc:
            raise SecretStoreError(f"The system keyring could not be read ({exc}). Is it locked?") from exc

    def set(self, profile_id: str, name: str, value: str) -> None:
        import keyring.errors

        try:
            self._keyring().set_password(self.service, self._account(profile_id, name), value)
        except keyring.errors.KeyringError as exc:
            raise SecretStoreError(f"The system keyring refused to store {name} ({exc}).") from exc

    def delete(self, profile_id: str, name: str) -> None:
        import keyring.errors

        try:
            self._keyring().delete_password(self.service, self._account(profile_id, name))
        except keyring.errors.PasswordDeleteError:
            pass  # nothing stored under that name: already deleted
        except keyring.errors.KeyringError as exc:
            raise SecretStoreError(f"The system keyring could not delete {name} ({exc}).") from exc


class FileSecretStore:
    """Secrets in a JSON file readable only by its owner (mode 0600), chosen explicitly by the user.

    The file is not encrypted: it is as safe as the user's account. The store refuses a file that
    other users can read, rather than silently keep using it.
    """

    kind = "file"
    persistent = True

    def __init__(self, path: Path) -> None:
        self.path = path

    def _check_permissions(self) -> None:
        info = self.path.stat()
        # A directory (or a device, a FIFO) in the file's place is no secrets file at all: its mode bits
        # would make a misleading "mode 0755" message, and reading it fails anyway.
        if stat.S_ISDIR(info.st_mode):
            raise SecretStoreError(
                f"The secrets file {self.path} is a directory, not a file. Move it away, then try again."
            )
        if not stat.S_ISREG(info.st_mode):
            raise SecretStoreError(
                f"The secrets file {self.path} is not a regular file. Move it away, then try again."
            )
        if os.name == "nt":
            return  # NTFS ACLs, not mode bits, protect the file; the profile folder is per-user already
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077:
            raise SecretStoreError(
                f"The secrets file {self.path} can be read by other users (mode {mode:04o}). "
                f"Run `chmod 600 {self.path}` or delete it, then try again."
            )

    def _load(self) -> dict[str, dict[str, str]]:
        if not self.path.exists():
            return {}
        try:
            self._check_permissions()
            data = jsonfile.loads(self.path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise SecretStoreError(
                f"The secrets file {self.path} cannot be read: {exc.strerror or exc}."
            ) from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            where = f" (line {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
            raise SecretStoreError(f"The secrets file {self.path} is damaged{where}: {exc}.") from exc
        secrets = data.get("secrets") if isinstance(data, dict) else None
        if not isinstance(secrets, dict) or not all(
            isinstance(v, dict) and all(isinstance(s, str) for s in v.values()) for v in secrets.values()
        ):
            raise SecretStoreError(f"The secrets file {self.path} does not have the expected layout.")
        return secrets

    def _save(self, secrets: dict[str, dict[str, str]]) -> None:
        payload = {"schema_version": FILE_SCHEMA_VERSION, "secrets": secrets}
        try:
            if not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, mode=0o700)
            atomic_write_bytes(self.path, json.dumps(payload, indent=2).encode("utf-8"), mode=0o600)
        except OSError as exc:
            raise SecretStoreError(
                f"The secrets file {self.path} cannot be written: {exc.strerror or exc}."
            ) from exc

    def get(self, profile_id: str, name: str) -> str | None:
        return self._load().get(profile_id, {}).get(name)

    def set(self, profile_id: str, name: str, value: str) -> None:
        secrets = self._load()
        secrets.setdefault(profile_id, {})[name] = value
        self._save(secrets)

    def delete(self, profile_id: str, name: str) -> None:
        secrets = self._load()
        if name in secrets.get(profile_id, {}):
            del secrets[profile_id][name]
            if not secrets[profile_id]:
                del secrets[profile_id]
            self._save(secrets)


@dataclass(frozen=True, slots=True)
class SecretBackendStatus:
    """Whether a real OS keyring is usable, in words the UI can show as they are."""

    keyring_available: bool
    backend: str
    message: str
    # What the user may choose when there is no keyring; never a silent plaintext default.
    options: tuple[str, ...] = ()


SESSION_ONLY = "session"
OWNER_ONLY_FILE = "file"
KEYRING = "keyring"
AUTO = "auto"


def _is_placeholder_backend(backend: Any) -> bool:
    # keyring answers with these when nothing real is installed; a chainer with no members is the same.
    from keyring.backends import chainer, fail, null

    if isinstance(backend, fail.Keyring | null.Keyring):
        return True
    if isinstance(backend, chainer.ChainerBackend):
        return not any(not _is_placeholder_backend(b) for b in backend.backends)
    return False


def detect_secret_backend(backend: keyring.backend.KeyringBackend | None = None) -> SecretBackendStatus:
    """Inspect (without touching any stored secret) whether secrets can go to the OS keyring."""
    import keyring

    try:
        current = backend if backend is not None else keyring.get_keyring()
    except Exception as exc:  # a broken keyring configuration must not stop the app
        current, error = None, str(exc)
    else:
        error = ""
    if current is not None and not _is_placeholder_backend(current):
        name = f"{type(current).__module__}.{type(current).__name__}"
        return SecretBackendStatus(True, name, "Secrets are stored in the system keyring.", (KEYRING,))
    detail = f" ({error})" if error else ""
    return SecretBackendStatus(
        keyring_available=False,
        backend="none",
        message=(
            f"No system keyring is available on this computer{detail}. Choose how to keep API keys: "
            "for this session only (you enter them again after a restart), or in a file that only your "
            "user account can read (not encrypted)."
        ),
        options=(SESSION_ONLY, OWNER_ONLY_FILE),
    )


def open_secret_store(
    choice: str, file_path: Path, backend: keyring.backend.KeyringBackend | None = None
) -> SecretStore:
    """The store for `choice` ("auto", "keyring", "session" or "file"); SecretStoreError when unusable.

    "auto" is the keyring when there is one, else the owner-only file if the user chose it on an earlier
    run (it exists), else session-only memory: a new plaintext file is never created without being asked.
    """
    if choice == AUTO:
        if detect_secret_backend(backend).keyring_available:
            choice = KEYRING
        else:
            choice = OWNER_ONLY_FILE if file_path.exists() else SESSION_ONLY
    if choice == KEYRING:
        if not detect_secret_backend(backend).keyring_available:
            raise SecretStoreError(
                "The system keyring is not available; choose session-only or an owner-only file."
            )
        return KeyringSecretStore(backend=backend)
    if choice == SESSION_ONLY:
        return MemorySecretStore()
    if choice == OWNER_ONLY_FILE:
        store = FileSecretStore(file_path)
        with contextlib.suppress(FileNotFoundError):
            store._check_permissions()
        return store
    raise SecretStoreError(f"Unknown secret storage {choice!r} (use auto, keyring, session or file).")
