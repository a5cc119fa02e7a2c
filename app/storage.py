"""Where a database file lives: SQLite's locking is unreliable on network shares.

SMB and NFS shares can lose locks or report them wrongly, so two officers writing one
SQLite file there can corrupt it. Setu still opens such a file, but says so and points
to the setup meant for a shared office database: a PostgreSQL server.
"""

from __future__ import annotations

import sys
from pathlib import Path, PureWindowsPath

NETWORK_FILESYSTEMS = frozenset(
    {"cifs", "smb3", "smbfs", "nfs", "nfs4", "afs", "ncpfs", "9p", "fuse.sshfs", "davfs"}
)
ADVICE = (
    "SQLite's locking is unreliable on network shares; for several users, run Setu "
    'against a PostgreSQL server (README: "Running Setu for a whole office")'
)


def _unescape(field: str) -> str:
    """/proc/mounts writes spaces and tabs in paths as octal escapes (\\040)."""
    return field.encode().decode("unicode_escape")


def linux_filesystem(path: Path, mounts: str) -> str | None:
    """The filesystem type of the mount holding `path`, from /proc/mounts' text."""
    best, kind = "", None
    target = str(path)
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = _unescape(fields[1])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


def _windows_remote(path: Path) -> str | None:
    drive = PureWindowsPath(path).drive
    if drive.startswith("\\\\"):
        return "a network share"
    import ctypes

    drive_remote = 4
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    return "a network drive" if kernel32.GetDriveTypeW(drive + "\\") == drive_remote else None


def network_share(path: Path) -> str | None:
    """A phrase naming the network share `path` is on, or None for a local disk."""
    resolved = path.resolve()
    if sys.platform == "win32":
        return _windows_remote(resolved)
    mounts = Path("/proc/mounts")
    if not mounts.exists():
        return None
    kind = linux_filesystem(resolved, mounts.read_text(errors="replace"))
    return f"a network share ({kind})" if kind in NETWORK_FILESYSTEMS else None


def warning(path: Path) -> str | None:
    where = network_share(path)
    return None if where is None else f"the database is on {where}: {ADVICE}"
