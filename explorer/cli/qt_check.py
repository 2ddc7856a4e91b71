"""`explorer check-display`: before the window opens, check that Qt's platform plugin can load here."""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from explorer.cli.common import write
from explorer.cli.qt_packages import (
    FAMILIES,
    distro_family,
    install_command,
    packages_for,
    parse_os_release,
)

PROG = "explorer check-display"

# Platforms that draw without a display server; the rest need DISPLAY (xcb) or a Wayland socket.
HEADLESS = {"offscreen", "minimal", "minimalegl", "vnc", "eglfs", "linuxfb", "vkkhrdisplay"}
# Qt libraries the window itself loads besides the plugin (QtGui comes in through the plugin).
QT_LIBRARIES = ("libQt6Widgets.so.6", "libQt6Svg.so.6")


class System:
    """What the check asks of the machine; tests replace it with a fake."""

    def ldd(self, path: Path) -> str:
        """`ldd PATH`'s output; raises FileNotFoundError when there is no ldd."""
        done = subprocess.run(["ldd", str(path)], capture_output=True, text=True, timeout=60)
        return done.stdout

    def plugins_dir(self) -> Path | None:
        """PySide6's Qt plugins folder, found without importing PySide6 (which would load QtCore)."""
        spec = importlib.util.find_spec("PySide6")
        if spec is None or not spec.submodule_search_locations:
            return None
        package = Path(next(iter(spec.submodule_search_locations)))
        for candidate in (package / "Qt" / "plugins", package / "plugins"):
            if (candidate / "platforms").is_dir():
                return candidate
        return package / "Qt" / "plugins"  # reported as missing by the caller

    def os_release(self) -> str:
        for path in ("/etc/os-release", "/usr/lib/os-release"):
            try:
                return Path(path).read_text(encoding="utf-8")
            except OSError:
                continue
        return ""

    def euid(self) -> int:
        return os.geteuid()

    def display_answers(self, platform: str, env: Mapping[str, str]) -> bool:
        """Whether the display server `platform` would talk to accepts a connection."""
        address = display_address(platform, env)
        if address is None:
            return True  # headless, or a platform we do not know how to reach: let Qt judge
        family, target = address
        try:
            if isinstance(target, tuple):
                socket.create_connection(target, timeout=5).close()
            else:
                with socket.socket(family, socket.SOCK_STREAM) as probe:
                    probe.settimeout(5)
                    probe.connect(target)
        except OSError:
            return False
        return True

    def has_command(self, name: str) -> bool:
        return shutil.which(name) is not None

    def sudo_without_password(self) -> bool:
        try:
            done = subprocess.run(
                ["sudo", "-n", "true"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30
            )
        except (OSError, subprocess.SubprocessError):
            return False
        return done.returncode == 0

    def run(self, command: Sequence[str]) -> int:
        """Run a command with its output on the terminal, so the person sees apt-get at work."""
        try:
            return subprocess.run(list(command), check=False).returncode
        except OSError as exc:
            write(f"{PROG}: cannot run {command[0]}: {exc}", stream=sys.stderr)
            return 127


# -- reading the machine ----------------------------------------------------------------------------------


def parse_ldd(output: str) -> list[str]:
    """The sonames ldd reports as `not found`, each once, in order."""
    missing: list[str] = []
    for line in output.splitlines():
        match = re.match(r"\s*(\S+)\s+=>\s+not found", line)
        if match and match.group(1) not in missing:
            missing.append(match.group(1))
    return missing


def wanted_platforms(env: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt will try, in its order: QT_QPA_PLATFORM, else the session's."""
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        # "wayland;xcb" is a fallback list; "xcb:option=value" carries plugin options after the colon.
        return [name.split(":", 1)[0].strip() for name in chosen.split(";") if name.strip()]
    if _wayland_session(env):
        return ["wayland", "xcb"]  # X11 through XWayland is Qt's fallback in a Wayland session
    return ["xcb"]


def _wayland_session(env: Mapping[str, str]) -> bool:
    return bool(env.get("WAYLAND_DISPLAY")) or env.get("XDG_SESSION_TYPE", "").lower() == "wayland"


def has_display(platform: str, env: Mapping[str, str]) -> bool:
    if platform in HEADLESS:
        return True
    if platform.startswith("wayland"):
        return _wayland_session(env)
    if platform == "xcb":
        return bool(env.get("DISPLAY"))
    return True  # a plugin we do not know: let Qt judge


def display_address(platform: str, env: Mapping[str, str]) -> tuple[int, str | tuple[str, int]] | None:
    """Where the X server (DISPLAY=[host]:N[.S]) or the Wayland compositor listens; None if not known."""
    if platform == "xcb":
        match = re.fullmatch(r"(?P<host>[^:/]*):(?P<number>\d+)(?:\.\d+)?", env.get("DISPLAY", ""))
        if match is None:
            return None  # e.g. macOS launchd paths: no way to probe, Qt reports any problem
        number = int(match.group("number"))
        if match.group("host") not in ("", "unix"):
            return socket.AF_INET, (match.group("host"), 6000 + number)  # TCP, as `ssh -X` sets up
        # A local server listens on a file under /tmp/.X11-unix and, on Linux, on the abstract socket of the
        # same name; the file when it exists (a container may be given just that folder), else the other.
        path = f"/tmp/.X11-unix/X{number}"
        return socket.AF_UNIX, path if os.path.exists(path) else "\0" + path
    if platform.startswith("wayland"):
        name = env.get("WAYLAND_DISPLAY") or "wayland-0"
        if name.startswith("/"):
            return socket.AF_UNIX, name
        runtime = env.get("XDG_RUNTIME_DIR")
        return (socket.AF_UNIX, os.path.join(runtime, name)) if runtime else None
    return None


def plugin_file(plugins: Path, platform: str) -> Path:
    exact = plugins / "platforms" / f"libq{platform}.so"
    if platform.startswith("wayland") and not exact.exists():
        return plugins / "platforms" / "libqwayland.so"  # Qt 6.7 merged the wayland-* plugins into one
    return exact


# -- the report -------------------------------------------------------------------------------------------


@dataclass
class Findings:
    """Per platform Qt may use: the sonames its plugin (and Qt's own libraries) cannot find."""

    missing: dict[str, list[str]] = field(default_factory=dict)
    absent_plugins: dict[str, Path] = field(default_factory=dict)

    def loadable(self) -> list[str]:
        return [p for p, libs in self.missing.items() if not libs]

    def all_missing(self) -> list[str]:
        seen: list[str] = []
        for libs in self.missing.values():
            seen += [lib for lib in libs if lib not in seen]
        return seen


def find_missing(system: System, plugins: Path, platforms: Sequence[str]) -> Findings:
    findings = Findings()
    qt_lib = plugins.parent / "lib"
    shared = [qt_lib / name for name in QT_LIBRARIES if (qt_lib / name).exists()]
    for platform in platforms:
        plugin = plugin_file(plugins, platform)
        if not plugin.exists():
            findings.absent_plugins[platform] = plugin
            continue
        missing: list[str] = []
        for path in (plugin, *shared):
            missing += [lib for lib in parse_ldd(system.ldd(path)) if lib not in missing]
        findings.missing[platform] = missing
    return findings


def missing_message(
    platforms: Sequence[str], sonames: Sequence[str], release: Mapping[str, str], *, root: bool
) -> str:
    """One message: what is missing, and the one command that installs it on this distribution."""
    which = " and ".join(platforms)
    head = (
        f"{PROG}: the window cannot open: Qt's {which} platform plugin needs system libraries "
        f"this machine lacks: {', '.join(sonames)}."
    )
    family = distro_family(release)
    if family is None:
        name = release.get("PRETTY_NAME") or "this system"
        lines = [f"Install the packages of {name} that provide them. Their names elsewhere:"]
        for other in FAMILIES:
            packages, _ = packages_for(sonames, other)
            label = {"debian": "Debian/Ubuntu", "fedora": "Fedora", "arch": "Arch"}[other]
            lines.append(f"  {label}: {install_command(other, packages, root=root)}")
        return "\n".join([head, *lines])
    packages, unknown = packages_for(sonames, family)
    lines = [head]
    if packages:
        lines.append(f"Install them with:\n  {install_command(family, packages, root=root)}")
    if unknown:
        lines.append(f"Also install whichever package provides {', '.join(unknown)}.")
    return "\n".join(lines)


NO_DISPLAY = (
    f"{PROG}: there is no display to open the window on: neither DISPLAY (X11) nor WAYLAND_DISPLAY "
    "(Wayland) is set, as in an SSH session without -X, a container or CI. Start it from a desktop "
    "session (or `ssh -X`). To run without a screen, set QT_QPA_PLATFORM=offscreen "
    "(e.g. `QT_QPA_PLATFORM=offscreen explorer --screenshot out.png`)."
)


def no_answer_message(platforms: Sequence[str], env: Mapping[str, str]) -> str:
    """Qt would abort with "could not connect to display": say which display, and what to do."""
    shown = []
    for platform in platforms:
        if platform == "xcb":
            shown.append(f"DISPLAY={env.get('DISPLAY', '')} (X11)")
        else:
            shown.append(f"WAYLAND_DISPLAY={env.get('WAYLAND_DISPLAY') or 'wayland-0'} (Wayland)")
    return (
        f"{PROG}: no display server answers at {' or '.join(shown)}: the session may have ended, or the "
        "variable was copied from another one. Start the explorer from the desktop's own terminal, or set "
        "QT_QPA_PLATFORM=offscreen to run it without a screen."
    )


# -- the command ------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Check that Qt's platform plugin (xcb, or wayland in a Wayland session) can load on "
        "this Linux system, and install the missing system libraries on Debian/Ubuntu when running as "
        "root or with password-less sudo. Does nothing on macOS and Windows. Exit status 0 when the "
        "window can open, 1 when it cannot (the message says why and what to install).",
    )
    parser.add_argument(
        "--no-install", action="store_true", help="only report missing libraries, never run apt-get"
    )
    parser.add_argument(
        "--platform",
        metavar="NAME",
        help="check this platform plugin (e.g. xcb) whatever the display: for preparing a machine "
        "that will run the window under Xvfb",
    )
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    system: System | None = None,
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
) -> int:
    options = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    system = system or System()
    env = os.environ if env is None else env
    if not (platform or sys.platform).startswith("linux"):
        return 0  # macOS and Windows wheels carry everything Qt needs

    if options.platform:
        platforms = [options.platform]
    else:
        platforms = [p for p in wanted_platforms(env) if has_display(p, env)]
        if not platforms:
            write(NO_DISPLAY, stream=sys.stderr)
            return 1
        silent = [p for p in platforms if not system.display_answers(p, env)]
        if len(silent) == len(platforms):
            write(no_answer_message(silent, env), stream=sys.stderr)
            return 1
        platforms = [p for p in platforms if p not in silent]

    plugins = system.plugins_dir()
    if plugins is None:
        write(f"{PROG}: PySide6 is not installed in this Python ({sys.executable}).", stream=sys.stderr)
        return 1
    try:
        findings = find_missing(system, plugins, platforms)
    except FileNotFoundError:
        # No ldd (a musl system, say): nothing to learn in advance; Qt itself will report any problem.
        write(f"{PROG}: ldd is not available, so Qt's libraries were not checked.", stream=sys.stderr)
        return 0
    if not findings.missing:
        shown = ", ".join(f"{p} ({path})" for p, path in findings.absent_plugins.items())
        write(f"{PROG}: PySide6 has no Qt platform plugin for {shown}; reinstall PySide6.", stream=sys.stderr)
        return 1

    missing = findings.all_missing()
    release = parse_os_release(system.os_release())
    root = system.euid() == 0
    if missing and not options.no_install and _can_install(system, release, root):
        _install(system, packages_for(missing, "debian")[0], root=root)
        findings = find_missing(system, plugins, list(findings.missing))
        missing = findings.all_missing()

    loadable = findings.loadable()
    if not missing:
        write(f"{PROG}: Qt's {' and '.join(findings.missing)} platform plugin can load.")
        return 0
    broken = [p for p, libs in findings.missing.items() if libs]
    message = missing_message(broken, missing, release, root=root)
    if loadable:
        # Qt falls back to the next platform in its list, so the window still opens; say what is lost.
        write(f"{message}\nUntil then the window uses {loadable[0]}.", stream=sys.stderr)
        return 0
    write(message, stream=sys.stderr)
    return 1


def _can_install(system: System, release: Mapping[str, str], root: bool) -> bool:
    if distro_family(release) != "debian" or not system.has_command("apt-get"):
        return False
    return root or (system.has_command("sudo") and system.sudo_without_password())


def _install(system: System, packages: Sequence[str], *, root: bool) -> None:
    """apt-get install; when that fails (a fresh image has no package lists yet), update once and retry."""
    prefix = [] if root else ["sudo", "-n"]
    apt = [*prefix, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]
    install = [*apt, "install", "-y", "-q", "--no-install-recommends", *packages]
    write(f"{PROG}: installing the libraries Qt needs: {' '.join(install)}", stream=sys.stderr)
    if system.run(install) != 0 and system.run([*apt, "update", "-q"]) == 0:
        system.run(install)


if __name__ == "__main__":
    raise SystemExit(main())
