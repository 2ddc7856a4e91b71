"""Shared test configuration: offscreen Qt, the ../shared reference folder, temporary app paths."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # imported inside the fixtures, so collecting tests that need no sandbox stays quick
    from explorer.sandbox.demo import DemoCredentials

# Set before any QApplication exists, so GUI tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared reference folder; tests using it skip when it is not beside the checkout."""
    if not (SHARED_DIR / "reference").is_dir():
        pytest.skip(f"reference material not found at {SHARED_DIR} (../shared is absent)")
    return SHARED_DIR


@pytest.fixture
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary EXPLORER_HOME so no test touches the user's real config."""
    home = tmp_path / "home"
    monkeypatch.setenv("EXPLORER_HOME", str(home))
    return home


# ---------------------------------------------------------------------------------------------------------
# Sandbox fixtures: a real uvicorn server on an ephemeral loopback port.
# `sandbox_server` is shared by the whole session (read-only use); `fresh_sandbox` is private to one test
# (use it when the test changes state).
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[DemoCredentials]:
    from explorer.sandbox.server import SandboxServer

    server = SandboxServer(host="127.0.0.1", port=0)
    credentials = server.start()
    try:
        yield credentials
    finally:
        server.stop()


@pytest.fixture
def fresh_sandbox() -> Iterator[DemoCredentials]:
    from explorer.sandbox.server import SandboxServer

    with SandboxServer(host="127.0.0.1", port=0) as server:
        yield server.credentials
