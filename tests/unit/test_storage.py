"""Network shares are recognised from the mount table, and the user is warned."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import storage
from app.cli import main

MOUNTS = """\
/dev/vda1 / ext4 rw,relatime 0 0
server:/exports/office /mnt/office nfs4 rw,relatime 0 0
//fileserver/programme\\040office /mnt/programme\\040office cifs rw 0 0
/dev/vdb1 /mnt/office/local ext4 rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/home/officer/setu.db", "ext4"),
        ("/mnt/office/setu.db", "nfs4"),
        ("/mnt/programme office/jp.db", "cifs"),
        ("/mnt/office/local/setu.db", "ext4"),  # a local disk mounted inside the share
        ("/mnt/officeX/setu.db", "ext4"),  # a name that merely starts like a mount point
    ],
)
def test_filesystem_of_a_path(path: str, kind: str) -> None:
    assert storage.linux_filesystem(Path(path), MOUNTS) == kind


def test_cli_warns_about_a_share_and_still_works(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(storage, "network_share", lambda _path: "a network share (nfs4)")
    assert main(["check", "--db", str(db_path)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("setu: warning: the database is on a network share (nfs4)")
    assert "PostgreSQL" in err


def test_local_disk_gives_no_warning(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--db", str(db_path)]) == 0
    assert capsys.readouterr().err == ""
