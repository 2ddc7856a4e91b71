"""A private Xvfb for the real-window tests, which skip, saying why, without Xvfb or Qt's xcb libraries."""

from __future__ import annotations

import os
import selectors
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from explorer.cli import qt_check

XVFB_START_TIMEOUT_S = 30.0
SCREEN = "1600x1000x24"  # room for the window at its default size, so nothing is clipped


@dataclass(frozen=True)
class XDisplay:
    number: int
    env: dict[str, str]  # for a child process: this display, the xcb platform, no Wayland


def _xcb_problem() -> str | None:
    """Why Qt's xcb plugin cannot load here (the missing libraries and their packages), or None."""
    system = qt_check.System()
    plugins = system.plugins_dir()
    if plugins is None:
        return "PySide6 is not installed"
    try:
        findings = qt_check.find_missing(system, plugins, ["xcb"])
    except FileNotFoundError:
        return None  # no ldd to ask: let the window try
    if "xcb" not in findings.missing:
        return f"PySide6 has no xcb platform plugin ({findings.absent_plugins.get('xcb')})"
    missing = findings.missing["xcb"]
    if not missing:
        return None
    packages, _ = qt_check.packages_for(missing, "debian")
    return (
        f"Qt's xcb libraries are missing: {', '.join(missing)} "
        f"(Debian/Ubuntu: apt-get install {' '.join(packages)}; "
        "`explorer check-display --platform xcb` installs them as root)"
    )


def _read_display_number(read_fd: int, server: subprocess.Popen[bytes], log: Path) -> int:
    """Xvfb writes its display number to -displayfd once it accepts clients: wait for that line."""
    data = b""
    with selectors.DefaultSelector() as selector:
        selector.register(read_fd, selectors.EVENT_READ)
        while not data.endswith(b"\n"):
            if not selector.select(XVFB_START_TIMEOUT_S):
                raise RuntimeError(f"Xvfb gave no display number in {XVFB_START_TIMEOUT_S} s")
            chunk = os.read(read_fd, 64)
            if not chunk:  # Xvfb exited before it was ready
                server.wait(timeout=10)
                raise RuntimeError(
                    f"Xvfb exited with {server.returncode}: {log.read_text(errors='replace')[-2000:]}"
                )
            data += chunk
    return int(data.strip())


def _die_with_us() -> list[str]:
    """A prefix that ends Xvfb when this process dies, even by SIGKILL (a worker ended by a timeout)."""
    setpriv = shutil.which("setpriv")  # util-linux: sets PR_SET_PDEATHSIG, which survives the exec
    return [setpriv, "--pdeathsig", "TERM", "--"] if setpriv else []


@pytest.fixture(scope="module")
def xvfb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[XDisplay]:
    if not sys.platform.startswith("linux"):
        pytest.skip("real-window tests run on Linux under Xvfb")
    binary = shutil.which("Xvfb")
    if binary is None:
        pytest.skip(
            "Xvfb is not installed (Debian/Ubuntu: apt-get install xvfb; .ci/run installs it as root)"
        )
    problem = _xcb_problem()
    if problem:
        pytest.skip(problem)

    folder = tmp_path_factory.mktemp("xvfb")
    log = folder / "xvfb.log"
    read_fd, write_fd = os.pipe()
    with log.open("wb") as log_file:
        # No display number given: with -displayfd, Xvfb picks a free one itself and reports it.
        server = subprocess.Popen(
            [
                *_die_with_us(),
                binary,
                "-displayfd",
                str(write_fd),
                "-nolisten",
                "tcp",
                "-screen",
                "0",
                SCREEN,
            ],
            pass_fds=(write_fd,),
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    os.close(write_fd)
    try:
        number = _read_display_number(read_fd, server, log)
    except RuntimeError as exc:
        server.kill()
        server.wait(timeout=10)
        pytest.fail(str(exc))
    finally:
        os.close(read_fd)

    runtime = folder / "runtime"
    runtime.mkdir(mode=0o700)
    env = {
        key: value
        for key, value in os.environ.items()
        # The suite's offscreen platform and quiet qpa logging must not leak into the real window.
        if key not in {"WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "QT_LOGGING_RULES", "XDG_SESSION_TYPE"}
    }
    env.update(DISPLAY=f":{number}", QT_QPA_PLATFORM="xcb", XDG_RUNTIME_DIR=str(runtime))
    try:
        yield XDisplay(number, env)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
