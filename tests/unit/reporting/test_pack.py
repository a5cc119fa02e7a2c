"""`build_pack` leaves the process as it found it: the cycle collector it pauses while a
pack is made runs again afterwards, whether the pack was made, cancelled or refused."""

from __future__ import annotations

import gc
import threading
from datetime import date
from pathlib import Path

import pytest

from app.config import resolve
from app.database import Mode, open_database
from app.demo import build
from app.errors import ValidationError
from app.reporting.collect import BriefRequest
from app.reporting.pack import build_pack
from app.reporting.pdf import Cancelled

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pack") / "demo.db"
    with open_database(resolve(str(path)), Mode.CREATE) as db:
        build(db, today=TODAY)
    return path


def test_the_cycle_collector_runs_again_after_a_pack(demo: Path, tmp_path: Path) -> None:
    cancelled = threading.Event()
    cancelled.set()
    with open_database(resolve(str(demo))) as db:
        result = build_pack(db, BriefRequest(as_of=TODAY), tmp_path / "pack.pdf")
        assert result.pages > 2 and result.snapshot_id is not None and gc.isenabled()
        with pytest.raises(Cancelled):
            build_pack(db, BriefRequest(as_of=TODAY), tmp_path / "no.pdf", cancel=cancelled)
        assert gc.isenabled()
        with pytest.raises(ValidationError):
            build_pack(db, BriefRequest(as_of=TODAY, marking="COSMIC"), tmp_path / "no.pdf")
        assert gc.isenabled()
        gc.disable()
        try:
            build_pack(db, BriefRequest(as_of=TODAY), tmp_path / "again.pdf", keep_snapshot=False)
            assert not gc.isenabled()  # left off, as the caller had it
        finally:
            gc.enable()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again.pdf", "pack.pdf"]
