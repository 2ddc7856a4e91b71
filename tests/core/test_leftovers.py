"""The start-up sweep: body files and temporary copies left by an earlier run, and nothing else."""

from __future__ import annotations

import os
import time
from pathlib import Path

from explorer.core.http.sink import BodySink
from explorer.core.leftovers import is_leftover_name, sweep_leftovers
from explorer.core.paths import AppPaths, atomic_write_bytes


def _old(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    an_hour_ago = time.time() - 3600
    os.utime(path, (an_hour_ago, an_hour_ago))
    return path


def test_old_body_files_and_temporary_copies_are_removed(tmp_path: Path) -> None:
    paths = AppPaths.under(tmp_path)
    leftovers = [
        _old(paths.cache / "explorer-body-k3j_x9a2.bin"),
        _old(paths.config / ".secrets.json.a1b2c3d4.tmp", b'{"secrets": {"p": {"api_key": "k"}}}'),
        _old(paths.config / ".profiles.json.zz_09xyw.tmp"),
        _old(paths.data / ".drafts.json.abcdefgh.tmp"),
        _old(paths.data / ".custom-methods.json.12345678.tmp"),
    ]
    kept = [
        _old(paths.config / "secrets.json"),
        _old(paths.config / "notes.tmp"),  # not our pattern
        _old(paths.config / ".profiles.json.short.tmp"),  # not mkstemp's eight characters
        _old(paths.cache / "explorer-body-1.txt"),
        _old(paths.config / "explorer-body-1.bin"),  # body files live in the cache only
        _old(paths.data / "history.sqlite3"),
    ]
    assert sorted(sweep_leftovers(paths)) == sorted(leftovers)
    assert not any(p.exists() for p in leftovers)
    assert all(p.exists() for p in kept)


def test_files_of_this_run_are_kept(tmp_path: Path) -> None:
    paths = AppPaths.under(tmp_path)
    sink = BodySink(cap=1, temp_dir=paths.cache)
    paths.cache.mkdir(parents=True)
    sink.add(b"a streamed body above the cap")
    body, path = sink.finish()
    assert path is not None and is_leftover_name(path.name)
    copy = paths.config / ".settings.json.abcdefgh.tmp"
    copy.parent.mkdir(parents=True)
    copy.write_bytes(b"{}")  # a save in progress
    assert sweep_leftovers(paths) == []
    assert path.exists() and copy.exists()


def test_atomic_write_temporary_names_follow_the_swept_pattern(tmp_path: Path, monkeypatch) -> None:
    seen: list[str] = []
    real_replace = os.replace

    def spy(src: str | Path, dst: str | Path) -> None:
        seen.append(Path(src).name)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    atomic_write_bytes(tmp_path / "secrets.json", b"{}", mode=0o600)
    assert seen and is_leftover_name(seen[0])


def test_missing_directories_are_not_an_error(tmp_path: Path) -> None:
    assert sweep_leftovers(AppPaths.under(tmp_path / "nowhere")) == []


def test_a_body_file_of_a_running_window_is_kept(tmp_path: Path) -> None:
    import subprocess
    import sys

    paths = AppPaths.under(tmp_path)
    alive = _old(paths.cache / f"explorer-body-{os.getppid()}-abcdefgh.bin")  # pytest's parent runs
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    dead = _old(paths.cache / f"explorer-body-{gone.pid}-abcdefgh.bin")
    assert sweep_leftovers(paths) == [dead]
    assert alive.exists()


def test_a_temporary_copy_is_kept_while_a_save_may_still_be_writing_it(tmp_path: Path) -> None:
    paths = AppPaths.under(tmp_path)
    copy = paths.config / ".profiles.json.abcdefgh.tmp"
    copy.parent.mkdir(parents=True)
    copy.write_bytes(b"{}")
    half_a_minute_ago = time.time() - 30
    os.utime(copy, (half_a_minute_ago, half_a_minute_ago))
    assert sweep_leftovers(paths, older_than=time.time()) == []
    assert copy.exists()
