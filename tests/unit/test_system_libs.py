"""ui.system_libs finds missing xcb libraries without importing Qt."""

from __future__ import annotations

import ctypes.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ui import system_libs


def only_missing(monkeypatch: pytest.MonkeyPatch, *absent: str) -> None:
    """Make ctypes.util.find_library fail for exactly the library names in `absent`."""
    for name in absent:
        assert name in system_libs.LIBRARIES, name

    def find_library(name: str) -> str | None:
        return None if name in absent else f"lib{name}.so.0"

    monkeypatch.setattr(ctypes.util, "find_library", find_library)


def test_missing_libraries_name_their_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    only_missing(monkeypatch, "xcb-keysyms", "xcb-cursor", "xcb-icccm", "xkbcommon-x11")
    packages = system_libs.missing()
    assert packages == ["libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0"]
    assert system_libs.advice(packages) == (
        "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0"
    )


def test_gl_and_fonts_map_to_debian_names(monkeypatch: pytest.MonkeyPatch) -> None:
    only_missing(monkeypatch, "EGL", "GL", "fontconfig", "X11-xcb")
    assert system_libs.advice(system_libs.missing()) == (
        "sudo apt-get install libegl1 libfontconfig1 libgl1 libx11-xcb1"
    )


def test_all_present_gives_no_advice(monkeypatch: pytest.MonkeyPatch) -> None:
    only_missing(monkeypatch)
    assert system_libs.missing() == []
    assert system_libs.advice([]) == ""


def test_advice_names_each_package_once() -> None:
    assert (
        system_libs.advice(["libgl1", "libegl1", "libgl1"]) == "sudo apt-get install libgl1 libegl1"
    )


@pytest.mark.parametrize(
    ("platform", "qpa", "expected"),
    [
        ("linux", None, True),
        ("linux", "xcb", True),
        ("linux", "xcb:nomitshm", True),
        ("linux", "offscreen", False),
        ("linux", "minimal", False),
        ("linux", "wayland;xcb", False),
        ("win32", None, False),
        ("darwin", None, False),
    ],
)
def test_xcb_expected(platform: str, qpa: str | None, expected: bool) -> None:
    environ = {} if qpa is None else {"QT_QPA_PLATFORM": qpa}
    assert system_libs.xcb_expected(environ, platform) is expected


def test_main_prints_the_install_line_and_exits_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    only_missing(monkeypatch, "xcb-icccm", "xcb-keysyms")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert system_libs.main() == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "setu: error: Qt needs system libraries that are missing; "
        "install them with: sudo apt-get install libxcb-icccm4 libxcb-keysyms1\n"
    )


@pytest.mark.parametrize("qpa", ["offscreen", "minimal"])
def test_main_ignores_headless_platforms(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], qpa: str
) -> None:
    only_missing(monkeypatch, "xcb-icccm")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", qpa)
    assert system_libs.main() == 0
    assert capsys.readouterr().err == ""


def test_main_ignores_other_systems(monkeypatch: pytest.MonkeyPatch) -> None:
    only_missing(monkeypatch, "xcb-icccm")
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    assert system_libs.main() == 0


def test_main_passes_when_everything_is_there(monkeypatch: pytest.MonkeyPatch) -> None:
    only_missing(monkeypatch)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert system_libs.main() == 0


def test_module_does_not_import_qt() -> None:
    # It must run exactly when Qt cannot load, so it may not pull Qt in.
    code = "import sys, ui.system_libs; sys.exit('PySide6' in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_ci_installs_every_package_checked() -> None:
    script = Path(__file__).parents[2] / ".ci" / "run"
    words = set(re.findall(r"[a-z0-9][a-z0-9.+-]+", script.read_text(encoding="utf-8")))
    assert set(system_libs.LIBRARIES.values()) <= words
