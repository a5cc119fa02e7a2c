"""Making a briefing pack: collect, record the snapshot, render; all or nothing.

Headless and Qt-free (the GUI runs `build_pack` in a worker thread): `progress(done,
total)` reports as the PDF is built and `cancel` stops it, leaving neither a file nor a
snapshot behind.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from threading import Event

from app.database import Database
from app.errors import UsageError
from app.reporting import snapshots
from app.reporting.collect import BriefRequest, collect
from app.services import settings

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PackResult:
    path: Path
    pages: int
    snapshot_id: int | None
    marking: str


def build_pack(
    db: Database,
    request: BriefRequest,
    out: Path,
    *,
    keep_snapshot: bool = True,
    progress: Progress | None = None,
    cancel: Event | None = None,
) -> PackResult:
    if out.suffix.lower() != ".pdf":
        raise UsageError("the pack is a PDF: give a file name ending in .pdf", "--out")
    if not out.parent.is_dir():
        raise UsageError("the folder for the pack does not exist", str(out))
    from app.reporting.pdf import render  # ReportLab loads only when a pack is made

    with _without_cycle_collection():
        data, content = collect(db, request)
        snapshot_id = None
        if keep_snapshot:
            with db.read() as session:
                level = settings.value(session, "marking_scale").index(data.marking)
            snapshot_id = snapshots.store(
                db, _programme_id(db, data.code), data.audience, level, data.status_date, content
            )
            data = replace(data, snapshot_id=snapshot_id)
        try:
            pages = render(data, out, progress=progress, cancel=cancel)
        except BaseException:
            if snapshot_id is not None:
                snapshots.discard(db, snapshot_id)
            raise
    return PackResult(out, pages, snapshot_id, data.marking)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """A pack allocates a few hundred thousand short-lived objects (rows, lines,
    paragraphs, page streams), and every full collection they trigger walks every object
    in the process: 8 % of a large pack's time. Reference counting still frees them;
    the few cycles wait until the pack is made (the peak memory is the same)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _programme_id(db: Database, code: str) -> int:
    from app.services import programmes

    return programmes.choose(db, code).id
