"""Briefing snapshots: what each pack showed, so the next pack can say what changed.

A snapshot keeps, per audience, the comparable state of the registers the pack reports
on (every visible risk, milestone, contribution and decision, not just the top rows), as
canonical JSON with its SHA-256. "Changes since the previous pack" is a diff of two.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit_chain import canonical_json, utc_now
from app.database import Database
from app.domain import DecisionStatus, RiskStatus
from app.errors import UsageError
from app.models import BriefingSnapshot
from app.reporting.briefing import Changes

LATEST, NONE = "latest", "none"


@dataclass(frozen=True)
class Stored:
    id: int
    created_at: str
    status_date: date
    content: dict[str, Any]


def previous(session: Session, programme_id: int, audience: str, since: str) -> Stored | None:
    """The snapshot to compare with: the latest for this audience, a chosen one, or none."""
    if since == NONE:
        return None
    query = select(BriefingSnapshot).where(BriefingSnapshot.programme_id == programme_id)
    if since == LATEST:
        query = query.where(BriefingSnapshot.audience == audience).order_by(
            BriefingSnapshot.id.desc()
        )
    elif since.isdigit():
        query = query.where(BriefingSnapshot.id == int(since))
    else:
        raise UsageError(f"{since!r} is not latest, none or a snapshot number", "--since")
    found = session.scalars(query.limit(1)).first()
    if found is None:
        if since == LATEST:
            return None
        raise UsageError(f"there is no snapshot {since} of this programme", "--since")
    if found.audience != audience:
        raise UsageError(
            f"snapshot {found.id} was made for audience {found.audience}, not {audience}",
            "--since",
        )
    return Stored(
        found.id, found.created_at, date.fromisoformat(found.status_date), json.loads(found.data)
    )


def store(
    db: Database,
    programme_id: int,
    audience: str,
    marking: int,
    status_date: date,
    content: dict[str, Any],
) -> int:
    data = canonical_json(content)
    with db.begin() as session:
        snapshot = BriefingSnapshot(
            programme_id=programme_id,
            audience=audience,
            marking=marking,
            created_at=utc_now(),
            created_by=db.user,
            status_date=status_date.isoformat(),
            data=data,
            hash=hashlib.sha256(data.encode()).hexdigest(),
        )
        session.add(snapshot)
        session.flush()
        return snapshot.id


def discard(db: Database, snapshot_id: int) -> None:
    """Forget a snapshot whose pack was never written (cancelled or failed)."""
    with db.begin() as session:
        found = session.get(BriefingSnapshot, snapshot_id)
        if found is not None:
            session.delete(found)


def diff(before: Stored, now: dict[str, Any]) -> Changes:
    old_risks, new_risks = before.content["risks"], now["risks"]
    open_ = RiskStatus.OPEN.value
    old_ms, new_ms = before.content["milestones"], now["milestones"]
    old_dec, new_dec = before.content["decisions"], now["decisions"]
    taken = DecisionStatus.TAKEN.value
    return Changes(
        since_snapshot=before.id,
        since_date=before.status_date,
        new_risks=tuple(
            f"{ref} {r['title']}" for ref, r in sorted(new_risks.items()) if ref not in old_risks
        ),
        closed_risks=tuple(
            f"{ref} {r['title']}"
            for ref, r in sorted(old_risks.items())
            if r["status"] == open_ and (ref not in new_risks or new_risks[ref]["status"] != open_)
        ),
        rescored_risks=tuple(
            (ref, old_risks[ref]["score"], r["score"])
            for ref, r in sorted(new_risks.items())
            if ref in old_risks and old_risks[ref]["score"] != r["score"]
        ),
        slipped_milestones=tuple(
            (
                m["label"],
                date.fromisoformat(old_ms[key]["forecast"]),
                date.fromisoformat(m["forecast"]),
            )
            for key, m in sorted(new_ms.items(), key=lambda item: (item[1]["label"], item[0]))
            if key in old_ms and m["actual"] is None and m["forecast"] > old_ms[key]["forecast"]
        ),
        new_contributions=tuple(
            line
            for key, line in sorted(now["contributions"].items())
            if key not in before.content["contributions"]
        ),
        decisions_taken=tuple(
            d["title"]
            for key, d in sorted(new_dec.items())
            if d["status"] == taken and old_dec.get(key, {}).get("status") != taken
        ),
    )
