"""Collection writes interrupted at the worst moment (a request saved, renamed, duplicated or moved, the
variables set, a new collection written) leave every file whole; a copy or a half-copied folder left by a
SIGKILL is never shown as a request, and is removed when the collection is next opened (or, for a new
collection's staging folder, when it is written again)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from explorer.core.collections import folder as folder_module
from explorer.core.collections.folder import Collection, write_new_collection
from explorer.core.lifecycle import RequestSpec
from tests.core.test_hardening_atomic import interrupt, interrupt_at

READ = RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "1"})
LATEST = RequestSpec(verb="GET", url="/latest.json")
CHANGED = RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "2"})


def make_collection(root: Path) -> Collection:
    return write_new_collection(
        root / "c",
        "Atomic",
        {"topic_id": "1"},
        [("Topics/Read", READ), ("Topics/Latest", LATEST), ("Top", LATEST)],
    )


@dataclass(frozen=True)
class Change:
    """One collection write: what it does, and the moments it can be interrupted at."""

    run: Callable[[Path], object]
    moments: tuple[str, ...]


def _new_collection(root: Path) -> None:
    write_new_collection(root / "new", "New", {"a": "b"}, [("One", READ), ("Folder/Two", LATEST)])


FILE_WRITE = ("write", "fsync", "replace")
CHANGES: dict[str, Change] = {
    "save_request": Change(
        lambda r: Collection.open(r / "c").save_request("01 Topics/01 Read", CHANGED), FILE_WRITE
    ),
    "save_new_request": Change(
        lambda r: Collection.open(r / "c").save_request("01 Topics/New", CHANGED), FILE_WRITE
    ),
    "set_variables": Change(lambda r: Collection.open(r / "c").set_variables({"topic_id": "2"}), FILE_WRITE),
    "duplicate": Change(lambda r: Collection.open(r / "c").duplicate("01 Topics/01 Read.json"), FILE_WRITE),
    "duplicate_folder": Change(lambda r: Collection.open(r / "c").duplicate("01 Topics"), ("copy", "rename")),
    "rename": Change(lambda r: Collection.open(r / "c").rename("02 Top.json", "Renamed"), ("rename",)),
    "move": Change(lambda r: Collection.open(r / "c").move("02 Top.json", "01 Topics"), ("rename",)),
    "write_new_collection": Change(_new_collection, (*FILE_WRITE, "rename")),
}


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under `root`, hidden ones included."""
    return {
        str(path.relative_to(root)): None if path.is_dir() else path.read_bytes()
        for path in sorted(root.rglob("*"))
    }


def leftovers(root: Path) -> list[Path]:
    return list(root.rglob(".*.tmp"))


@pytest.mark.parametrize(
    ("change", "moment"), [(name, moment) for name, change in CHANGES.items() for moment in change.moments]
)
def test_an_interrupted_collection_write_changes_nothing(
    change: str, moment: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_collection(tmp_path)
    before = tree(tmp_path)
    items_before = [(i.relative, i.spec, i.error) for i in Collection.open(tmp_path / "c").items()]
    if moment == "copy":
        real_copyfile = shutil.copyfile
        copied: list[str] = []

        def copy_then_stop(src: str, dst: str, **kwargs: object) -> str:
            if copied:
                interrupt()  # the second file of the folder: the first is already in the copy
            copied.append(src)
            return real_copyfile(src, dst, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(shutil, "copyfile", copy_then_stop)
    elif moment == "rename":
        monkeypatch.setattr(folder_module.os, "rename", interrupt)
    else:
        interrupt_at(moment, monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        CHANGES[change].run(tmp_path)
    monkeypatch.undo()
    assert tree(tmp_path) == before  # nothing half-written, no temporary copy or folder left
    assert [(i.relative, i.spec, i.error) for i in Collection.open(tmp_path / "c").items()] == items_before


CHILD = """
import os, shutil, signal, sys
from pathlib import Path
sys.path.insert(0, {repo!r})
from tests.core.test_hardening_collections_atomic import CHANGES

def kill() -> None:
    os.kill(os.getpid(), signal.SIGKILL)  # the copy is on disk, the rename never happens

real_fsync, real_copyfile = os.fsync, shutil.copyfile
def fsync_then_kill(fd):
    real_fsync(fd)
    kill()
def copy_then_kill(src, dst, **kwargs):
    real_copyfile(src, dst, **kwargs)
    kill()

os.fsync = fsync_then_kill
shutil.copyfile = copy_then_kill
CHANGES[{change!r}].run(Path({root!r}))
"""


def _kill_during(change: str, root: Path) -> None:
    repo = str(Path(__file__).resolve().parents[2])
    code = textwrap.dedent(CHILD).format(repo=repo, change=change, root=str(root))
    child = subprocess.run([sys.executable, "-c", code], cwd=repo, timeout=60, capture_output=True)
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()


def _age(paths: list[Path]) -> None:
    old = time.time() - 3600
    for path in paths:
        os.utime(path, (old, old))  # a copy younger than a minute may be another window's save in progress


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
@pytest.mark.parametrize(
    "change", ["save_request", "save_new_request", "set_variables", "duplicate", "duplicate_folder"]
)
def test_a_kill_leaves_a_copy_that_is_never_shown_and_is_removed_at_the_next_open(
    change: str, tmp_path: Path
) -> None:
    make_collection(tmp_path)
    collection = Collection.open(tmp_path / "c")
    items_before = [(i.relative, i.spec, i.error) for i in collection.items()]
    before = {k: v for k, v in tree(tmp_path).items()}
    _kill_during(change, tmp_path)
    copies = leftovers(tmp_path)
    assert copies, "the kill landed after the copy was written"
    # Every file that was there is whole; the copy is hidden: not an item of the collection.
    assert {k: v for k, v in tree(tmp_path).items() if ".tmp" not in k} == before
    assert [(i.relative, i.spec, i.error) for i in collection.items()] == items_before
    Collection.open(tmp_path / "c")
    assert leftovers(tmp_path) == copies  # younger than a minute: perhaps another window's save
    _age(copies)
    reopened = Collection.open(tmp_path / "c")
    assert leftovers(tmp_path) == []
    assert tree(tmp_path) == before
    assert [(i.relative, i.spec, i.error) for i in reopened.items()] == items_before


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_a_kill_while_writing_a_new_collection_leaves_nothing_at_its_place(tmp_path: Path) -> None:
    _kill_during("write_new_collection", tmp_path)
    assert not (tmp_path / "new").exists()
    copies = leftovers(tmp_path)
    assert copies and any(
        copy.parent == tmp_path and copy.is_dir() for copy in copies
    )  # the hidden staging folder
    _age(copies)
    _new_collection(tmp_path)  # the same import again
    assert leftovers(tmp_path) == []
    assert [str(i.relative) for i in Collection.open(tmp_path / "new").requests()] == [
        "01 One.json",
        "02 Folder/01 Two.json",
    ]


def test_the_sweep_touches_only_the_apps_own_temporary_names(tmp_path: Path) -> None:
    collection = make_collection(tmp_path)
    keep = [
        collection.directory / ".git" / ".index.abcdefgh.tmp",  # inside someone else's hidden folder
        collection.directory / "notes.tmp",
        collection.directory / ".hidden.json",
        collection.directory / "01 Topics" / ".x.tmp",  # not the temporary pattern (no random part)
    ]
    for path in keep:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("mine")
    _age(keep)
    Collection.open(collection.directory)
    assert all(path.read_text() == "mine" for path in keep)
