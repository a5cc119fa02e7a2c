"""Which system libraries Qt's xcb (X11) platform plugin needs and cannot find.

The PySide6 wheels bundle Qt itself but not the X11/xcb libraries of the desktop, and
without them Qt aborts with "could not load the Qt platform plugin" and a core dump.
This module looks the libraries up without importing Qt, so `make run` and
`ui.application` can print the one `apt-get` line that fixes it instead.

    python -m ui.system_libs    # exit 3 and the advice on stderr when something is missing
"""

from __future__ import annotations

import ctypes.util
import os
import sys
from collections.abc import Iterable, Mapping

# Library name as ctypes.util.find_library takes it -> Debian package that ships it.
# These are the libraries libqxcb.so / libQt6XcbQpa.so.6 link against directly.
LIBRARIES: dict[str, str] = {
    "xcb": "libxcb1",
    "X11-xcb": "libx11-xcb1",
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-image": "libxcb-image0",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-randr": "libxcb-randr0",
    "xcb-render": "libxcb-render0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-shape": "libxcb-shape0",
    "xcb-shm": "libxcb-shm0",
    "xcb-sync": "libxcb-sync1",
    "xcb-util": "libxcb-util1",
    "xcb-xfixes": "libxcb-xfixes0",
    "xcb-xkb": "libxcb-xkb1",
    "xkbcommon": "libxkbcommon0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "EGL": "libegl1",
    "GL": "libgl1",
    "fontconfig": "libfontconfig1",
    "freetype": "libfreetype6",
}

# Platforms that never load the xcb plugin (QT_QPA_PLATFORM, before any ";fallback").
_NOT_XCB = frozenset(
    {"offscreen", "minimal", "minimalegl", "wayland", "wayland-egl", "eglfs", "linuxfb", "vnc"}
)

EXIT_MISSING = 3  # as for an unusable database (CLI.md): nothing ran, nothing changed


def missing() -> list[str]:
    """Debian packages (sorted, no repeats) whose libraries the xcb plugin cannot load."""
    packages = {
        package
        for library, package in LIBRARIES.items()
        if ctypes.util.find_library(library) is None
    }
    return sorted(packages)


def advice(packages: Iterable[str]) -> str:
    """The one command line that installs `packages`; empty when there is nothing to do."""
    names = list(dict.fromkeys(packages))
    return f"sudo apt-get install {' '.join(names)}" if names else ""


def xcb_expected(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """True when Qt is about to use its xcb plugin: Linux, and no other platform chosen."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return False
    # "xcb:option=value" passes options; "wayland;xcb" lists fallbacks, the first wins.
    chosen = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    return chosen not in _NOT_XCB


def message(packages: Iterable[str]) -> str:
    return (
        "setu: error: Qt needs system libraries that are missing; "
        f"install them with: {advice(packages)}"
    )


def main() -> int:
    if not xcb_expected():
        return 0
    packages = missing()
    if not packages:
        return 0
    print(message(packages), file=sys.stderr)
    return EXIT_MISSING


if __name__ == "__main__":
    sys.exit(main())
