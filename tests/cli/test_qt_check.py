"""`explorer check-display`: missing Qt libraries named, installed or explained; no display said plainly."""

from __future__ import annotations

import shutil
import socket
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from explorer.__main__ import main as explorer_main
from explorer.cli import qt_check, qt_packages
from explorer.cli.qt_check import System

DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nID=debian\n'
UBUNTU = 'PRETTY_NAME="Ubuntu 24.04 LTS"\nID=ubuntu\nID_LIKE=debian\n'
MINT = 'NAME="Linux Mint"\nID=linuxmint\nID_LIKE="ubuntu debian"\n'
FEDORA = 'NAME="Fedora Linux"\nID=fedora\nVERSION_ID=40\n'
ARCH = 'NAME="Arch Linux"\nID=arch\n'
MANJARO = 'NAME="Manjaro Linux"\nID=manjaro\nID_LIKE=arch\n'
ALPINE = 'NAME="Alpine Linux"\nID=alpine\nPRETTY_NAME="Alpine Linux v3.20"\n'

X11 = {"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}


def ldd_output(missing: Sequence[str]) -> str:
    """What ldd prints for libqxcb.so: resolved libraries, and `not found` for the missing ones."""
    lines = [
        "\tlinux-vdso.so.1 (0x00007ffd6a9f2000)",
        "\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x7f1)",
        "\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f7961144000)",
    ]
    lines += [f"\t{name} => not found" for name in missing]
    lines.append("\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f796081e000)")
    return "\n".join(lines) + "\n"


class FakeSystem(System):
    """A machine with chosen missing libraries, os-release, euid and sudo; records the commands run."""

    def __init__(
        self,
        tmp_path: Path,
        *,
        missing: Sequence[str] = (),
        wayland_missing: Sequence[str] = (),
        os_release: str = DEBIAN,
        euid: int = 1000,
        sudo: bool = False,
        commands: Sequence[str] = ("apt-get", "sudo"),
        install_works: bool = True,
        silent: Sequence[str] = (),
    ) -> None:
        self.plugins = tmp_path / "PySide6" / "Qt" / "plugins"
        (self.plugins / "platforms").mkdir(parents=True)
        for name in ("libqxcb.so", "libqwayland.so", "libqoffscreen.so"):
            (self.plugins / "platforms" / name).write_bytes(b"\x7fELF")
        lib = self.plugins.parent / "lib"
        lib.mkdir()
        (lib / "libQt6Widgets.so.6").write_bytes(b"\x7fELF")
        self.missing = list(missing)
        self.wayland_missing = list(wayland_missing)
        self.release = os_release
        self.uid = euid
        self.sudo = sudo
        self.commands = set(commands)
        self.install_works = install_works
        self.silent = set(silent)  # platforms whose display server does not answer
        self.ran: list[list[str]] = []
        self.ldd_calls: list[Path] = []

    def ldd(self, path: Path) -> str:
        self.ldd_calls.append(path)
        if path.name == "libqwayland.so":
            return ldd_output(self.wayland_missing)
        if path.name == "libqxcb.so":
            return ldd_output(self.missing)
        return ldd_output([])

    def plugins_dir(self) -> Path | None:
        return self.plugins

    def display_answers(self, platform: str, env: Mapping[str, str]) -> bool:
        return platform not in self.silent

    def os_release(self) -> str:
        return self.release

    def euid(self) -> int:
        return self.uid

    def has_command(self, name: str) -> bool:
        return name in self.commands

    def sudo_without_password(self) -> bool:
        return self.sudo

    def run(self, command: Sequence[str]) -> int:
        self.ran.append(list(command))
        if "install" in command and self.install_works:
            self.missing = []
            self.wayland_missing = []
            return 0
        return 0 if "update" in command else 100


@pytest.fixture
def run_check(capsys: pytest.CaptureFixture[str]):
    def run(
        system: FakeSystem, env: dict[str, str], *args: str, platform: str = "linux"
    ) -> tuple[int, str, str]:
        code = qt_check.main(list(args), system=system, env=env, platform=platform)
        out, err = capsys.readouterr()
        return code, out, err

    return run


# -- reading ldd and os-release ---------------------------------------------------------------------------


def test_parse_ldd_lists_each_missing_soname_once() -> None:
    text = ldd_output(["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]) + "\tlibxcb-icccm.so.4 => not found\n"
    assert qt_check.parse_ldd(text) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert qt_check.parse_ldd(ldd_output([])) == []


@pytest.mark.parametrize(
    ("text", "family"),
    [
        (DEBIAN, "debian"),
        (UBUNTU, "debian"),
        (MINT, "debian"),
        (FEDORA, "fedora"),
        ('ID="rhel"\nID_LIKE="fedora"\n', "fedora"),
        (ARCH, "arch"),
        (MANJARO, "arch"),
        (ALPINE, None),
        ("", None),
    ],
)
def test_distro_family_from_id_and_id_like(text: str, family: str | None) -> None:
    assert qt_check.distro_family(qt_check.parse_os_release(text)) == family


def test_the_libraries_qt_asks_for_map_to_packages_on_all_three_families() -> None:
    sonames = [
        "libxcb-cursor.so.0",
        "libxcb-icccm.so.4",
        "libxcb-keysyms.so.1",
        "libxkbcommon-x11.so.0",
        "libxcb-render-util.so.0",
        "libxcb-image.so.0",
        "libxcb-shape.so.0",
        "libEGL.so.1",
        "libGL.so.1",
        "libfontconfig.so.1",
        "libdbus-1.so.3",
        "libX11-xcb.so.1",
    ]
    debian, unknown = qt_check.packages_for(sonames, "debian")
    assert unknown == []
    assert debian == [
        "libxcb-cursor0",
        "libxcb-icccm4",
        "libxcb-keysyms1",
        "libxkbcommon-x11-0",
        "libxcb-render-util0",
        "libxcb-image0",
        "libxcb-shape0",
        "libegl1",
        "libgl1",
        "libfontconfig1",
        "libdbus-1-3",
        "libx11-xcb1",
    ]
    fedora, _ = qt_check.packages_for(sonames[:5], "fedora")
    assert fedora == [
        "xcb-util-cursor",
        "xcb-util-wm",
        "xcb-util-keysyms",
        "libxkbcommon-x11",
        "xcb-util-renderutil",
    ]
    arch, _ = qt_check.packages_for(sonames[:5], "arch")
    assert arch == [
        "xcb-util-cursor",
        "xcb-util-wm",
        "xcb-util-keysyms",
        "libxkbcommon-x11",
        "xcb-util-renderutil",
    ]
    # Several libxcb extensions come from one package on Fedora and Arch: named once.
    assert qt_check.packages_for(["libxcb-randr.so.0", "libxcb-xkb.so.1"], "arch") == (["libxcb"], [])


def test_every_package_row_names_all_three_families() -> None:
    for soname, names in qt_packages.PACKAGES.items():
        assert soname.startswith("lib") and ".so." in soname
        assert len(names) == 3 and all(names), soname


# -- which platform, which display ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "platforms"),
    [
        ({"DISPLAY": ":0"}, ["xcb"]),
        ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, ["wayland", "xcb"]),
        ({"XDG_SESSION_TYPE": "wayland"}, ["wayland", "xcb"]),
        ({"QT_QPA_PLATFORM": "offscreen"}, ["offscreen"]),
        ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":0"}, ["wayland", "xcb"]),
        ({"QT_QPA_PLATFORM": "xcb:nograb", "DISPLAY": ":0"}, ["xcb"]),
    ],
)
def test_wanted_platforms_follow_qt_qpa_platform_then_the_session(env: dict, platforms: list[str]) -> None:
    assert qt_check.wanted_platforms(env) == platforms


# -- the command ------------------------------------------------------------------------------------------


def test_all_libraries_present_is_a_quiet_success(tmp_path: Path, run_check) -> None:
    system = FakeSystem(tmp_path)
    code, out, err = run_check(system, X11)
    assert code == 0 and err == ""
    assert "xcb platform plugin can load" in out
    # The plugin and the Qt library the window loads were both looked at.
    assert [p.name for p in system.ldd_calls] == ["libqxcb.so", "libQt6Widgets.so.6"]
    assert system.ran == []


def test_missing_libraries_as_a_user_without_sudo_name_packages_and_the_one_command(
    tmp_path: Path, run_check
) -> None:
    system = FakeSystem(tmp_path, missing=["libxcb-cursor.so.0", "libxcb-icccm.so.4"], euid=1000, sudo=False)
    code, out, err = run_check(system, X11)
    assert code == 1 and out == ""
    assert "libxcb-cursor.so.0, libxcb-icccm.so.4" in err
    assert "  sudo apt-get install -y libxcb-cursor0 libxcb-icccm4" in err
    # One message: what is missing, then the one command; nothing else.
    assert err.startswith("explorer check-display: the window cannot open:")
    assert [line for line in err.splitlines() if line.startswith("  ")] == [
        "  sudo apt-get install -y libxcb-cursor0 libxcb-icccm4"
    ]
    assert system.ran == []  # nothing was attempted


def test_missing_libraries_as_root_on_debian_are_installed_with_apt_get(tmp_path: Path, run_check) -> None:
    system = FakeSystem(tmp_path, missing=["libxcb-icccm.so.4", "libxcb-keysyms.so.1"], euid=0)
    code, out, err = run_check(system, X11)
    assert code == 0, err
    assert system.ran == [
        [
            "env",
            "DEBIAN_FRONTEND=noninteractive",
            "apt-get",
            "install",
            "-y",
            "-q",
            "--no-install-recommends",
            "libxcb-icccm4",
            "libxcb-keysyms1",
        ]
    ]
    assert "installing" in err and "can load" in out


def test_password_less_sudo_installs_through_sudo(tmp_path: Path, run_check) -> None:
    system = FakeSystem(tmp_path, missing=["libxcb-keysyms.so.1"], os_release=UBUNTU, euid=1000, sudo=True)
    code, _, _ = run_check(system, X11)
    assert code == 0
    assert system.ran[0][:3] == ["sudo", "-n", "env"] and system.ran[0][-1] == "libxcb-keysyms1"


def test_a_failed_install_updates_the_package_lists_once_and_retries(tmp_path: Path, run_check) -> None:
    system = FakeSystem(tmp_path, missing=["libxcb-keysyms.so.1"], euid=0, install_works=False)
    code, _, err = run_check(system, X11)
    assert [cmd[3] for cmd in system.ran] == ["install", "update", "install"]
    # Still missing afterwards: the same one message, with the command to try by hand.
    assert code == 1
    assert "  apt-get install -y libxcb-keysyms1" in err


def test_no_install_only_reports(tmp_path: Path, run_check) -> None:
    system = FakeSystem(tmp_path, missing=["libxcb-keysyms.so.1"], euid=0)
    code, _, err = run_check(system, X11, "--no-install")
    assert code == 1 and system.ran == []
    assert "  apt-get install -y libxcb-keysyms1" in err  # root: no sudo in the command


@pytest.mark.parametrize(
    ("release", "command"),
    [
        (FEDORA, "sudo dnf install -y xcb-util-cursor xcb-util-keysyms"),
        (ARCH, "sudo pacman -S --needed xcb-util-cursor xcb-util-keysyms"),
        (MANJARO, "sudo pacman -S --needed xcb-util-cursor xcb-util-keysyms"),
    ],
)
def test_fedora_and_arch_get_their_own_command_and_no_install_attempt(
    tmp_path: Path, run_check, release: str, command: str
) -> None:
    system = FakeSystem(
        tmp_path,
        missing=["libxcb-cursor.so.0", "libxcb-keysyms.so.1"],
        os_release=release,
        euid=1000,
        sudo=True,
    )
    code, _, err = run_check(system, X11)
    assert code == 1 and system.ran == []
    assert f"  {command}\n" in err + "\n"


def test_an_unknown_distribution_gets_the_names_for_each_family(tmp_path: Path, run_check) -> None:
    system = FakeSystem(tmp_path, missing=["libxcb-icccm.so.4"], os_release=ALPINE, euid=0)
    code, _, err = run_check(system, X11)
    assert code == 1 and system.ran == []
    assert "Alpine Linux v3.20" in err
    assert "apt-get install -y libxcb-icccm4" in err
    assert "dnf install -y xcb-util-wm" in err
    assert "pacman -S --needed xcb-util-wm" in err


def test_a_library_without_a_known_package_is_still_named(tmp_path: Path, run_check) -> None:
    system = FakeSystem(tmp_path, missing=["libxcb-keysyms.so.1", "libfancy.so.3"], euid=1000)
    code, _, err = run_check(system, X11)
    assert code == 1
    assert "sudo apt-get install -y libxcb-keysyms1\n" in err
    assert "whichever package provides libfancy.so.3" in err


def test_no_display_at_all_is_said_plainly_with_the_offscreen_hint(tmp_path: Path, run_check) -> None:
    system = FakeSystem(tmp_path, missing=["libxcb-keysyms.so.1"], euid=0)
    code, out, err = run_check(system, {})
    assert code == 1 and out == ""
    assert "no display" in err and "DISPLAY" in err and "WAYLAND_DISPLAY" in err
    assert "QT_QPA_PLATFORM=offscreen" in err
    assert system.ran == [] and system.ldd_calls == []  # nothing installed for a window that cannot open


def test_offscreen_needs_no_display(tmp_path: Path, run_check) -> None:
    system = FakeSystem(tmp_path, missing=["libxcb-keysyms.so.1"])
    code, out, _ = run_check(system, {"QT_QPA_PLATFORM": "offscreen"})
    assert code == 0 and "offscreen platform plugin can load" in out
    assert [p.name for p in system.ldd_calls][0] == "libqoffscreen.so"


def test_wayland_session_checks_the_wayland_plugin_and_falls_back_to_xcb(tmp_path: Path, run_check) -> None:
    env = {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}
    system = FakeSystem(tmp_path, wayland_missing=["libwayland-cursor.so.0"], euid=1000)
    code, _, err = run_check(system, env)
    # X11 through XWayland still works, so the window opens; the message says what Wayland lacks.
    assert code == 0
    assert "wayland platform plugin" in err and "sudo apt-get install -y libwayland-cursor0" in err
    assert "the window uses xcb" in err
    assert {p.name for p in system.ldd_calls} >= {"libqwayland.so", "libqxcb.so"}


def test_wayland_only_session_with_missing_libraries_fails(tmp_path: Path, run_check) -> None:
    system = FakeSystem(tmp_path, wayland_missing=["libwayland-egl.so.1"], os_release=ARCH)
    code, _, err = run_check(system, {"WAYLAND_DISPLAY": "wayland-1"})
    assert code == 1 and "sudo pacman -S --needed wayland" in err


def test_platform_option_checks_xcb_without_a_display(tmp_path: Path, run_check) -> None:
    system = FakeSystem(tmp_path, missing=["libxcb-icccm.so.4"], euid=0)
    code, out, _ = run_check(system, {}, "--platform", "xcb")
    assert code == 0 and "xcb platform plugin can load" in out
    assert system.ran and system.ran[0][-1] == "libxcb-icccm4"


def test_a_display_nobody_answers_is_named_instead_of_a_qt_abort(tmp_path: Path, run_check) -> None:
    system = FakeSystem(tmp_path, missing=["libxcb-keysyms.so.1"], euid=0, silent=["xcb"])
    code, out, err = run_check(system, {"DISPLAY": ":7"})
    assert code == 1 and out == ""
    assert "no display server answers at DISPLAY=:7 (X11)" in err and "QT_QPA_PLATFORM=offscreen" in err
    assert system.ran == [] and system.ldd_calls == []


def test_a_silent_wayland_socket_leaves_x11(tmp_path: Path, run_check) -> None:
    env = {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}
    system = FakeSystem(tmp_path, wayland_missing=["libwayland-cursor.so.0"], silent=["wayland"])
    code, out, err = run_check(system, env)
    assert (code, err) == (0, "")
    assert "xcb platform plugin can load" in out
    assert {p.name for p in system.ldd_calls} == {"libqxcb.so", "libQt6Widgets.so.6"}


@pytest.mark.parametrize(
    ("platform", "env", "address"),
    [
        ("xcb", {"DISPLAY": "localhost:10.0"}, (socket.AF_INET, ("localhost", 6010))),
        ("xcb", {"DISPLAY": "/private/tmp/com.apple.launchd.x/org.xquartz:0"}, None),
        ("xcb", {"DISPLAY": ""}, None),
        (
            "wayland",
            {"WAYLAND_DISPLAY": "wayland-1", "XDG_RUNTIME_DIR": "/run/user/1000"},
            (socket.AF_UNIX, "/run/user/1000/wayland-1"),
        ),
        ("wayland", {"WAYLAND_DISPLAY": "/tmp/w.sock"}, (socket.AF_UNIX, "/tmp/w.sock")),
        ("offscreen", {}, None),
    ],
)
def test_display_address(platform: str, env: dict[str, str], address: object) -> None:
    assert qt_check.display_address(platform, env) == address


@pytest.mark.parametrize("display", [":5", "unix:5", ":5.0"])
def test_a_local_x_display_is_its_socket_under_tmp_x11_unix(display: str) -> None:
    family, target = qt_check.display_address("xcb", {"DISPLAY": display})
    assert family == socket.AF_UNIX
    assert target in ("/tmp/.X11-unix/X5", "\0/tmp/.X11-unix/X5")


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs unix sockets")
def test_the_real_probe_connects_to_a_listening_socket_and_not_to_a_silent_one(tmp_path: Path) -> None:
    system = System()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(tmp_path / "wayland-test"))
        server.listen(1)
        env = {"WAYLAND_DISPLAY": "wayland-test", "XDG_RUNTIME_DIR": str(tmp_path)}
        assert system.display_answers("wayland", env) is True
    assert (
        system.display_answers("wayland", {"WAYLAND_DISPLAY": "gone", "XDG_RUNTIME_DIR": str(tmp_path)})
        is False
    )
    # No X server on display 987 (the probe uses the same socket name libxcb would).
    assert system.display_answers("xcb", {"DISPLAY": ":987"}) is False


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_macos_and_windows_do_nothing(tmp_path: Path, run_check, platform: str) -> None:
    system = FakeSystem(tmp_path, missing=["libxcb-icccm.so.4"])
    assert run_check(system, {}, platform=platform) == (0, "", "")
    assert system.ldd_calls == []


def test_a_missing_platform_plugin_is_reported(tmp_path: Path, run_check) -> None:
    system = FakeSystem(tmp_path)
    (system.plugins / "platforms" / "libqxcb.so").unlink()
    code, _, err = run_check(system, X11)
    assert code == 1 and "no Qt platform plugin for xcb" in err


def test_the_real_system_class_reads_euid_and_os_release(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(qt_check.os, "geteuid", lambda: 0)
    system = System()
    assert system.euid() == 0
    if Path("/etc/os-release").is_file():
        assert "ID=" in system.os_release()


# -- on this machine --------------------------------------------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldd and libqxcb.so exist only on Linux")
@pytest.mark.skipif(shutil.which("ldd") is None, reason="ldd is not installed")
def test_real_ldd_on_the_installed_xcb_plugin(capsys: pytest.CaptureFixture[str]) -> None:
    system = System()
    plugins = system.plugins_dir()
    assert plugins is not None and (plugins / "platforms" / "libqxcb.so").is_file()
    output = system.ldd(plugins / "platforms" / "libqxcb.so")
    # ldd really resolved the plugin's Qt dependency inside the wheel.
    assert "libQt6XcbQpa.so.6 =>" in output and "libQt6Core.so.6 =>" in output
    missing = qt_check.find_missing(system, plugins, ["xcb"]).missing["xcb"]
    qt_libraries = [plugins.parent / "lib" / name for name in qt_check.QT_LIBRARIES]
    assert all(path.is_file() for path in qt_libraries)
    everything = output + "".join(system.ldd(path) for path in qt_libraries)
    assert set(missing) == set(qt_check.parse_ldd(everything))
    # Every library this machine lacks has a Debian package name (the family CI and this checkout use).
    assert qt_check.packages_for(missing, "debian")[1] == []
    # The command agrees with what ldd found, without installing anything.
    code = qt_check.main(["--no-install", "--platform", "xcb"])
    _, err = capsys.readouterr()
    assert code == (1 if missing else 0)
    for soname in missing:
        assert soname in err


def test_explorer_check_display_is_a_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    code = explorer_main(["check-display", "--platform", "offscreen", "--no-install"])
    out, _ = capsys.readouterr()
    if sys.platform.startswith("linux"):
        # The offscreen plugin the test suite itself runs on loads here, so this must pass.
        assert (code, out.strip()) == (0, "explorer check-display: Qt's offscreen platform plugin can load.")
    else:
        assert (code, out) == (0, "")


# The libraries Qt 6's xcb plugin, QtGui and QtWidgets link to directly (readelf -d on the wheel's files).
XCB_SONAMES = [
    "libxcb.so.1",
    "libxcb-cursor.so.0",
    "libxcb-icccm.so.4",
    "libxcb-keysyms.so.1",
    "libxcb-image.so.0",
    "libxcb-render-util.so.0",
    "libxcb-util.so.1",
    "libxcb-randr.so.0",
    "libxcb-render.so.0",
    "libxcb-shape.so.0",
    "libxcb-shm.so.0",
    "libxcb-sync.so.1",
    "libxcb-xfixes.so.0",
    "libxcb-xkb.so.1",
    "libxkbcommon.so.0",
    "libxkbcommon-x11.so.0",
    "libX11.so.6",
    "libX11-xcb.so.1",
    "libGL.so.1",
    "libEGL.so.1",
    "libfontconfig.so.1",
    "libfreetype.so.6",
    "libglib-2.0.so.0",
    "libdbus-1.so.3",
]


@pytest.mark.parametrize(
    ("label", "family"), [("Debian / Ubuntu", "debian"), ("Fedora", "fedora"), ("Arch", "arch")]
)
def test_the_readme_lists_the_same_packages_as_the_check(label: str, family: str) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith(f"| {label} | `sudo "))
    command = row.split("`")[1]
    prefix = qt_check.install_command(family, [], root=False)  # e.g. "sudo apt-get install -y "
    assert command.startswith(prefix)
    listed = command.removeprefix(prefix).split()
    wanted, _ = qt_check.packages_for(XCB_SONAMES, family)
    # Each package once, all of them known to the check, and every library of the plugin covered.
    assert len(listed) == len(set(listed))
    assert sorted(set(listed) - {"python3-venv"}) == sorted(wanted)
    assert "| macOS, Windows | nothing |" in readme
