"""Credential profiles: the profile model, secret stores and the profiles file."""

from __future__ import annotations

from explorer.core.profiles.model import (
    AUTH_KINDS,
    SECRET_CREDENTIALS,
    AuthKind,
    Profile,
    ProfileError,
    ProfileValidationError,
    auth_kind,
    auth_kinds,
    field_names,
    is_secret_credential,
    new_profile_id,
    secret_names,
)
from explorer.core.profiles.sandbox import (
    SANDBOX_DISCOURSE_ID,
    SANDBOX_DISQUS_ID,
    BuiltinProfile,
    SandboxEndpoints,
    install_sandbox_profiles,
    sandbox_profiles,
)
from explorer.core.profiles.secrets import (
    FileSecretStore,
    KeyringSecretStore,
    MemorySecretStore,
    SecretBackendStatus,
    SecretStore,
    SecretStoreError,
    detect_secret_backend,
    open_secret_store,
)
from explorer.core.profiles.store import ProfileStore

__all__ = [
    "AUTH_KINDS",
    "SANDBOX_DISCOURSE_ID",
    "SANDBOX_DISQUS_ID",
    "SECRET_CREDENTIALS",
    "AuthKind",
    "BuiltinProfile",
    "FileSecretStore",
    "KeyringSecretStore",
    "MemorySecretStore",
    "Profile",
    "ProfileError",
    "ProfileStore",
    "ProfileValidationError",
    "SandboxEndpoints",
    "SecretBackendStatus",
    "SecretStore",
    "SecretStoreError",
    "auth_kind",
    "auth_kinds",
    "detect_secret_backend",
    "field_names",
    "install_sandbox_profiles",
    "is_secret_credential",
    "new_profile_id",
    "open_secret_store",
    "sandbox_profiles",
    "secret_names",
]
