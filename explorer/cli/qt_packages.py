"""Which distribution package provides a shared library Qt needs, and the command that installs it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

# Shared library (soname) -> package providing it on (Debian/Ubuntu, Fedora, Arch). The Debian names were
# checked against the packages' file lists on Debian 12; Ubuntu 24.04's renamed `t64` packages still
# answer to these names. Everything Qt's xcb and wayland plugins, QtGui, QtWidgets and QtSvg link to
# outside the wheel is here, down to libc's neighbours that a minimal container image may lack.
PACKAGES: dict[str, tuple[str, str, str]] = {
    "libxcb.so.1": ("libxcb1", "libxcb", "libxcb"),
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util", "xcb-util"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb", "libxcb"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb", "libxcb"),
    "libxcb-glx.so.0": ("libxcb-glx0", "libxcb", "libxcb"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon", "libxkbcommon"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11"),
    "libX11.so.6": ("libx11-6", "libX11", "libx11"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb", "libx11"),
    "libXau.so.6": ("libxau6", "libXau", "libxau"),
    "libXdmcp.so.6": ("libxdmcp6", "libXdmcp", "libxdmcp"),
    "libGL.so.1": ("libgl1", "mesa-libGL", "libglvnd"),
    "libGLX.so.0": ("libglx0", "mesa-libGL", "libglvnd"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl", "libglvnd"),
    "libGLdispatch.so.0": ("libglvnd0", "libglvnd", "libglvnd"),
    "libEGL.so.1": ("libegl1", "mesa-libEGL", "libglvnd"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype", "freetype2"),
    "libpng16.so.16": ("libpng16-16", "libpng", "libpng"),
    "libexpat.so.1": ("libexpat1", "expat", "expat"),
    "libz.so.1": ("zlib1g", "zlib", "zlib"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs", "dbus"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2", "glib2"),
    "libwayland-client.so.0": ("libwayland-client0", "libwayland-client", "wayland"),
    "libwayland-cursor.so.0": ("libwayland-cursor0", "libwayland-cursor", "wayland"),
    "libwayland-egl.so.1": ("libwayland-egl1", "libwayland-egl", "wayland"),
}

FAMILIES = ("debian", "fedora", "arch")
_FAMILY_IDS = {
    "debian": {"debian", "ubuntu"},
    "fedora": {"fedora", "rhel", "centos"},
    "arch": {"arch", "archlinux"},
}


def parse_os_release(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            values[key] = value.strip().strip("\"'")
    return values


def distro_family(release: Mapping[str, str]) -> str | None:
    """debian, fedora or arch from ID / ID_LIKE (Mint and Pop!_OS say ubuntu, Manjaro says arch)."""
    ids = [release.get("ID", "").lower(), *release.get("ID_LIKE", "").lower().split()]
    for word in ids:
        for family, names in _FAMILY_IDS.items():
            if word in names:
                return family
    return None


def packages_for(sonames: Sequence[str], family: str) -> tuple[list[str], list[str]]:
    """(packages to install, sonames no known package provides) for one distribution family."""
    column = FAMILIES.index(family)
    packages: list[str] = []
    unknown: list[str] = []
    for soname in sonames:
        if soname in PACKAGES:
            name = PACKAGES[soname][column]
            if name not in packages:
                packages.append(name)
        else:
            unknown.append(soname)
    return packages, unknown


def install_command(family: str, packages: Sequence[str], *, root: bool) -> str:
    sudo = "" if root else "sudo "
    if family == "debian":
        return f"{sudo}apt-get install -y {' '.join(packages)}"
    if family == "fedora":
        return f"{sudo}dnf install -y {' '.join(packages)}"
    return f"{sudo}pacman -S --needed {' '.join(packages)}"
