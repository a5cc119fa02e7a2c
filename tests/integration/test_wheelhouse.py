"""Installing without internet: `make wheelhouse`, then an offline install into a fresh venv.

This is what an office with no internet does (README, "Installing without internet"):
the wheelhouse must hold a wheel of Setu and of every dependency for this Python, and
Setu's wheel everything Setu reads at run time (migrations, fonts, icons), which an
editable install never shows. The install is offline: no index, and none of this
machine's pip settings (they name other places to find wheels).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "ui", "db", "resources")


def offline() -> dict[str, str]:
    """The environment without any pip settings: only --find-links can supply wheels."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


def sh(*argv: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{argv}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def extras() -> list[str]:
    """The extras the wheelhouse carries (the Makefile's default) that pyproject defines."""
    defined = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [e for e in ("postgres", "encrypted") if e in defined.get("optional-dependencies", {})]


def build_wheelhouse(dest: Path) -> None:
    """`make wheelhouse` with this interpreter; its one pip command where make is missing."""
    python = Path(sys.executable)
    if shutil.which("make") and (python.parent / "python").is_file():
        sh("make", "wheelhouse", f"WHEELHOUSE={dest}", f"BIN={python.parent}", cwd=ROOT)
    else:  # Windows, without make
        wanted = f".[{','.join(extras())}]" if extras() else "."
        sh(python, "-m", "pip", "wheel", "--wheel-dir", dest, wanted, cwd=ROOT)


def shipped_files() -> list[str]:
    """Every file of the packages in this checkout, as a path relative to site-packages."""
    return sorted(
        path.relative_to(ROOT).as_posix()
        for package in PACKAGES
        for path in (ROOT / package).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )


def test_offline_install_from_the_wheelhouse_works(tmp_path: Path) -> None:
    wheelhouse = tmp_path / "wheelhouse"
    build_wheelhouse(wheelhouse)
    files = sorted(p.name for p in wheelhouse.iterdir())
    assert all(name.endswith(".whl") for name in files), files  # nothing left to build
    assert any(name.startswith("setu-") for name in files), files

    venv = tmp_path / "venv"
    sh(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / "python"
    env = offline()
    wanted = f"setu[{','.join(extras())}]" if extras() else "setu"
    install = ("install", "--no-index", "--find-links", wheelhouse, wanted)
    sh(python, "-m", "pip", *install, cwd=tmp_path, env=env)

    # The installed copy, not this checkout, and all of the package's files in it.
    where = "import app, pathlib; print(pathlib.Path(app.__file__).parent)"
    found = sh(python, "-c", where, cwd=tmp_path, env=env)
    site = Path(found.strip()).parent
    assert venv.resolve() in site.resolve().parents, site
    missing = [name for name in shipped_files() if not (site / name).is_file()]
    assert missing == [], "files of the checkout missing from the installed wheel"

    setu = scripts / "setu"
    sh(setu, "demo", "--db", "x.db", cwd=tmp_path, env=env)  # needs db/migrations
    assert "no problems found" in sh(setu, "check", "--db", "x.db", cwd=tmp_path, env=env)
    sh(setu, "brief", "--db", "x.db", "--out", "pack.pdf", cwd=tmp_path, env=env)  # fonts
    assert (tmp_path / "pack.pdf").stat().st_size > 0
    gui = (
        "from PySide6.QtWidgets import QApplication\n"
        "application = QApplication([])\n"
        "from ui import main_window, style\n"
        "assert not style.icon('setu').isNull()\n"
    )
    sh(python, "-c", gui, cwd=tmp_path, env={**env, "QT_QPA_PLATFORM": "offscreen"})
    if "postgres" in extras():
        sh(python, "-c", "import psycopg", cwd=tmp_path, env=env)
    if "encrypted" in extras():
        sh(
            python,
            "-c",
            "from app import encryption; assert encryption.available()",
            cwd=tmp_path,
            env=env,
        )
