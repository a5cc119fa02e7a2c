"""Briefing snapshots: what each pack showed, so the next pack can say what changed.

A snapshot keeps, per audience, the comparable state of the registers the pack reports
on (every visible risk, milestone, contribution and decision, not just the top rows), as
canonical JSON with its SHA-256. "Changes since the previous pack" is a diff of two.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import money
from app.audit_chain import canonical_json, utc_now
from app.database import Database
from app.domain import DecisionStatus, RiskStatus
from app.errors import UsageError
from app.models import (
    BriefingSnapshot,
    Contribution,
    CostShare,
    Decision,
    Milestone,
    Organisation,
    Workstream,
)
from app.reporting.briefing import Changes, RiskLine
from app.reporting.collect_lines import visible
from app.services.analytics_scope import Scope

LATEST, NONE = "latest", "none"


@dataclass(frozen=True)
class Stored:
    id: int
    created_at: str
    status_date: date
    content: dict[str, Any]


def content(session: Session, scope: Scope, risks: Sequence[RiskLine]) -> dict[str, Any]:
    """The comparable state of what the pack reports on, for the next pack's diff:
    `risks` are every visible risk (the lines before the annex is capped)."""
    milestones = {
        f"{m_id:09d}": {
            "label": f"{code} {title}",
            "forecast": forecast.isoformat(),
            "actual": actual.isoformat() if actual is not None and actual <= scope.as_of else None,
        }
        for m_id, code, title, forecast, actual in session.execute(
            visible(scope, Milestone).with_only_columns(
                Milestone.id,
                Workstream.code,
                Milestone.title,
                Milestone.forecast_date,
                Milestone.actual_date,
            )
        )
    }
    partner = func.coalesce(CostShare.nation, Organisation.short_name)
    contributions = {
        f"{c_id:09d}": f"{on.isoformat()} {who}: {money.display(amount, currency)}"
        for c_id, on, who, amount, currency in session.execute(
            visible(scope, Contribution)
            .with_only_columns(
                Contribution.id,
                Contribution.contributed_on,
                partner,
                Contribution.amount_minor,
                Contribution.currency,
            )
            .outerjoin(Organisation, Organisation.id == CostShare.organisation_id)
            .where(Contribution.contributed_on <= scope.as_of)
        )
    }
    decisions = {
        f"{d_id:09d}": {"title": title, "status": status}
        for d_id, title, status in session.execute(
            visible(scope, Decision).with_only_columns(Decision.id, Decision.title, Decision.status)
        )
    }
    return {
        "risks": {
            r.reference: {"title": r.title, "score": r.score, "status": r.status} for r in risks
        },
        "milestones": milestones,
        "contributions": contributions,
        "decisions": decisions,
    }


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
