"""Saves interrupted at the worst moment (settings, profiles with their owner-only secrets file, drafts) leave
the previous file whole; a copy left by a SIGKILL is removed by the start-up sweep. The history's own crash
test (tests/core/test_history_crash.py) kills its writer twenty times mid-transaction."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from explorer.core import paths as paths_module
from explorer.core.drafts import Drafts, DraftTab, load_drafts, save_drafts
from explorer.core.leftovers import sweep_leftovers
from explorer.core.lifecycle import RequestSpec
from explorer.core.paths import AppPaths
from explorer.core.profiles import FileSecretStore, Profile, ProfileStore
from explorer.core.settings import Settings, load_settings, save_settings

KEY_OLD = "01d" * 21 + "a"
KEY_NEW = "9e7" * 21 + "b"


def _store(paths: AppPaths) -> ProfileStore:
    return ProfileStore(paths, FileSecretStore(paths.fallback_secrets_file))


def _profile(name: str) -> Profile:
    return Profile(name=name, api="discourse", base_url="https://forum.example.org", auth_kind="api_key",
                   fields={"api_username": "system"})  # fmt: skip


def _drafts(title: str) -> Drafts:
    spec = RequestSpec(api="discourse", method_id="getTopic", arguments={"id": title})
    return Drafts(tabs=(DraftTab(spec=spec),))


SAVES: dict[str, tuple[Callable[[AppPaths, str], None], Callable[[AppPaths], str]]] = {
    "settings": (
        lambda p, v: save_settings(p, Settings(theme=v)),
        lambda p: load_settings(p)[0].theme,
    ),
    "profiles": (
        lambda p, v: _store(p).save(_profile(v), {"api_key": KEY_NEW if v == "dark" else KEY_OLD}),
        lambda p: ",".join(sorted(x.name for x in _store(p).list())),
    ),
    "drafts": (
        lambda p, v: save_drafts(p.drafts_file, _drafts(v)),
        lambda p: str(load_drafts(p.drafts_file).tabs[0].spec.arguments["id"]),  # type: ignore[union-attr]
    ),
}


def _temporary_copies(root: Path) -> list[Path]:
    return list(root.rglob(".*.tmp"))


def interrupt(*args: object, **kwargs: object) -> None:
    raise KeyboardInterrupt  # Ctrl+C, or any exception, at that moment of the save


def interrupt_at(moment: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make atomic_write_bytes raise KeyboardInterrupt at `moment`: "write" (half of the data written to
    the temporary copy), "fsync" (written, not yet flushed to disk) or "replace" (before the rename)."""
    if moment == "replace":
        monkeypatch.setattr(paths_module.os, "replace", interrupt)
    elif moment == "fsync":
        monkeypatch.setattr(paths_module.os, "fsync", interrupt)
    else:
        real_fdopen = os.fdopen

        class HalfWritten:
            """The file object of the temporary copy, interrupted half-way through writing."""

            def __init__(self, fd: int, mode: str) -> None:
                self.handle = real_fdopen(fd, mode)

            def __enter__(self) -> HalfWritten:
                return self

            def __exit__(self, *exc: object) -> None:
                self.handle.close()

            def fileno(self) -> int:
                return self.handle.fileno()

            def write(self, data: bytes) -> None:
                self.handle.write(data[: len(data) // 2])
                interrupt()

        monkeypatch.setattr(paths_module.os, "fdopen", HalfWritten)


@pytest.mark.parametrize("kind", sorted(SAVES))
@pytest.mark.parametrize("moment", ["write", "fsync", "replace"])
def test_an_interrupted_save_keeps_the_old_file(
    kind: str, moment: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = AppPaths.under(tmp_path)
    save, read = SAVES[kind]
    save(paths, "light")
    before = read(paths)
    interrupt_at(moment, monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        save(paths, "dark")
    monkeypatch.undo()
    assert read(paths) == before
    assert _temporary_copies(tmp_path) == []
    if kind == "profiles":
        assert KEY_NEW not in paths.fallback_secrets_file.read_text()


CHILD = """
import os, signal, sys
sys.path.insert(0, {repo!r})
from explorer.core import paths as paths_module
from tests.core.test_hardening_atomic import SAVES
from explorer.core.paths import AppPaths

real_fsync = os.fsync
def killed(fd):
    real_fsync(fd)
    os.kill(os.getpid(), signal.SIGKILL)  # the new content is on disk, the rename never happens

paths_module.os.fsync = killed
SAVES[{kind!r}][0](AppPaths.under(__import__("pathlib").Path({root!r})), "dark")
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
@pytest.mark.parametrize("kind", sorted(SAVES))
def test_a_kill_during_a_save_keeps_the_old_file_and_the_sweep_removes_the_copy(
    kind: str, tmp_path: Path
) -> None:
    paths = AppPaths.under(tmp_path)
    save, read = SAVES[kind]
    save(paths, "light")
    before = read(paths)
    repo = str(Path(__file__).resolve().parents[2])
    code = textwrap.dedent(CHILD).format(repo=repo, kind=kind, root=str(tmp_path))
    child = subprocess.run([sys.executable, "-c", code], cwd=repo, timeout=60, capture_output=True)
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    assert read(paths) == before
    copies = _temporary_copies(tmp_path)
    assert copies, "the kill landed after the copy was written"
    old = time.time() - 3600
    for copy in copies:
        os.utime(copy, (old, old))  # the sweep leaves copies younger than a minute (another window's save)
    sweep_leftovers(paths)
    assert _temporary_copies(tmp_path) == []
