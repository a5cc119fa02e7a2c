"""Cost-share agreements: who funds which workstreams in what proportion, at what rates.

An agreement is edited as a whole (one dialog: the agreement, its shares, workstreams
and fixed rates), so it is one unit here too. Its children are separate rows, kept in
step with the draft in place, so the audit log shows the share that really changed
rather than every share deleted and re-added.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from app.database import Database
from app.errors import ValidationError
from app.models import (
    AgreementRate,
    AgreementWorkstream,
    Contribution,
    CostShare,
    CostShareAgreement,
    Organisation,
    Workstream,
)
from app.services import protection, records
from app.services.agreement_checks import check_agreement
from app.services.agreement_children import children_of, sync_children
from app.services.collation import bytewise
from app.services.records import Draft, Row
from app.services.validation import Checker

# A share's partner as people name it (needs CostShare outer-joined to Organisation).
PARTNER = func.coalesce(CostShare.nation, Organisation.short_name).label("partner")


@dataclass(frozen=True)
class ShareDraft(Draft):
    """A partner's share: exactly one of `nation` and `organisation_id` is given."""

    nation: str | None
    organisation_id: int | None
    share_pct: Decimal


@dataclass(frozen=True)
class FixedRateDraft(Draft):
    from_currency: str
    to_currency: str
    rate: Decimal


@dataclass(frozen=True)
class AgreementDraft(Draft):
    code: str
    title: str
    fx_rule: str
    signed_on: date
    shares: tuple[ShareDraft, ...]
    workstream_ids: tuple[int, ...]
    fixed_rates: tuple[FixedRateDraft, ...] = ()
    marking: int = 0
    releasable_to: str | None = None

    def columns(self) -> dict[str, Any]:
        """The agreement's own columns; shares, workstreams and rates are child rows."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _CHILDREN}


_CHILDREN = frozenset({"shares", "workstream_ids", "fixed_rates"})


@dataclass(frozen=True)
class ShareRow(Row):
    id: int
    version: int
    agreement_id: int
    nation: str | None
    organisation_id: int | None
    share_pct: Decimal
    position: int
    partner: str  # the nation code or the organisation's short name


@dataclass(frozen=True)
class FixedRateRow(Row):
    id: int
    version: int
    agreement_id: int
    from_currency: str
    to_currency: str
    rate: Decimal


@dataclass(frozen=True)
class AgreementRow(Row):
    id: int
    version: int
    programme_id: int
    code: str
    title: str
    fx_rule: str
    signed_on: date
    marking: int
    releasable_to: str
    shares: tuple[ShareRow, ...]
    workstream_ids: tuple[int, ...]
    fixed_rates: tuple[FixedRateRow, ...]

    def draft(self) -> AgreementDraft:
        """The editable part, e.g. to fill the dialog or to change one share."""
        return AgreementDraft(
            code=self.code,
            title=self.title,
            fx_rule=self.fx_rule,
            signed_on=self.signed_on,
            shares=tuple(ShareDraft(s.nation, s.organisation_id, s.share_pct) for s in self.shares),
            workstream_ids=self.workstream_ids,
            fixed_rates=tuple(
                FixedRateDraft(r.from_currency, r.to_currency, r.rate) for r in self.fixed_rates
            ),
            marking=self.marking,
            releasable_to=self.releasable_to,
        )


def _check_agreement_in(
    session: Session, check: Checker, programme_id: int, draft: AgreementDraft, own_id: int
) -> str:
    records.check_unique(
        session, check, CostShareAgreement, "code", draft.code, own_id, programme_id=programme_id
    )
    partners = protection.partner_nations(session, programme_id)
    for share in draft.shares:
        if share.nation is not None and share.organisation_id is None:
            if share.nation not in partners:
                check.add("shares", f"{share.nation} is not a partner nation of this programme")
        elif share.organisation_id is not None and share.nation is None:
            records.check_in_programme(
                session, check, programme_id, "shares", Organisation, share.organisation_id
            )
    for workstream_id in draft.workstream_ids:
        records.check_in_programme(
            session, check, programme_id, "workstream_ids", Workstream, workstream_id
        )
    _check_not_covered(session, check, draft.workstream_ids, own_id)
    return protection.check_protection(
        check, session, programme_id, draft.marking, draft.releasable_to
    )


def _check_not_covered(
    session: Session, check: Checker, workstream_ids: Iterable[int], own_id: int
) -> None:
    """A workstream's cost is shared by one agreement; two would count it twice."""
    covered = session.execute(
        select(Workstream.code, CostShareAgreement.code)
        .join(AgreementWorkstream, AgreementWorkstream.workstream_id == Workstream.id)
        .join(CostShareAgreement, CostShareAgreement.id == AgreementWorkstream.agreement_id)
        .where(Workstream.id.in_(list(workstream_ids)), CostShareAgreement.id != own_id)
        .order_by(bytewise(Workstream.code))
    )
    for workstream, agreement in covered:
        check.add(
            "workstream_ids", f"workstream {workstream} is already covered by agreement {agreement}"
        )


def _check_removed_shares(
    session: Session, check: Checker, agreement_id: int, draft: AgreementDraft
) -> None:
    """A partner who has paid in cannot leave the agreement: the payments would be orphaned."""
    kept = {(s.nation, s.organisation_id) for s in draft.shares}
    paid = session.execute(
        select(CostShare.nation, CostShare.organisation_id, PARTNER, func.count(Contribution.id))
        .join(Contribution, Contribution.cost_share_id == CostShare.id)
        .outerjoin(Organisation, Organisation.id == CostShare.organisation_id)
        .where(CostShare.agreement_id == agreement_id)
        .group_by(CostShare.id, Organisation.id)
        .order_by(CostShare.position, CostShare.id)
    )
    for nation, organisation_id, partner, n in paid:
        if (nation, organisation_id) not in kept:
            check.add("shares", f"{partner} has {n} contribution(s) and cannot be removed")


def create_agreement(db: Database, programme_id: int, draft: AgreementDraft) -> AgreementRow:
    check = check_agreement(draft)
    with db.begin() as session:
        records.programme_of(session, programme_id)
        releasable = _check_agreement_in(session, check, programme_id, draft, 0)
        check.done()
        values = {**draft.columns(), "programme_id": programme_id, "releasable_to": releasable}
        agreement = records.create(session, CostShareAgreement, values)
        sync_children(session, agreement, draft)
        return _rows(session, [agreement])[0]


def update_agreement(
    db: Database, agreement_id: int, version: int, draft: AgreementDraft
) -> AgreementRow:
    """Change an agreement and its children; its version moves when any part changes.

    The version is the agreement's optimistic lock as a whole: a second officer editing
    the shares from the same starting point gets a conflict, not a silent overwrite.
    """
    check = check_agreement(draft)
    with db.begin() as session:
        agreement = records.for_update(session, CostShareAgreement, agreement_id, version)
        releasable = _check_agreement_in(
            session, check, agreement.programme_id, draft, agreement.id
        )
        _check_removed_shares(session, check, agreement.id, draft)
        check.done()
        records.assign(session, agreement, {**draft.columns(), "releasable_to": releasable})
        if sync_children(session, agreement, draft) and agreement.version == version:
            flag_modified(agreement, "code")
            session.flush()
        # Shares, workstreams and rates followed it in sync_children;
        # contributions must not outreach it.
        protection.propagate_protection(session, agreement)
        return _rows(session, [agreement])[0]


def delete_agreement(db: Database, agreement_id: int, version: int) -> None:
    """Delete an agreement with its shares, workstreams and rates, once nobody has paid in."""
    with db.begin() as session:
        agreement = records.for_update(session, CostShareAgreement, agreement_id, version)
        paid = session.scalar(
            select(func.count(Contribution.id))
            .join(CostShare, CostShare.id == Contribution.cost_share_id)
            .where(CostShare.agreement_id == agreement_id)
        )
        if paid:
            raise ValidationError.one(
                "agreement",
                f"agreement {agreement.code} has {paid} contribution(s); delete them first",
            )
        records.remove(session, children_of(session, CostShare, agreement_id))
        records.remove(session, children_of(session, AgreementWorkstream, agreement_id))
        records.remove(session, children_of(session, AgreementRate, agreement_id))
        records.remove(session, [agreement])


def get_agreement(db: Database, agreement_id: int) -> AgreementRow:
    with db.read() as session:
        return _rows(session, [records.get(session, CostShareAgreement, agreement_id)])[0]


def list_agreements(db: Database, programme_id: int) -> list[AgreementRow]:
    with db.read() as session:
        found = session.scalars(
            select(CostShareAgreement)
            .where(CostShareAgreement.programme_id == programme_id)
            .order_by(bytewise(CostShareAgreement.code))
        )
        return _rows(session, list(found))


def _rows(session: Session, agreements: Sequence[CostShareAgreement]) -> list[AgreementRow]:
    """Rows with their children, read in three queries whatever the number of agreements."""
    ids = [a.id for a in agreements]
    shares: dict[int, list[ShareRow]] = {i: [] for i in ids}
    found = session.execute(
        select(
            *(getattr(CostShare, f.name) for f in fields(ShareRow) if f.name != "partner"),
            PARTNER,
        )
        .outerjoin(Organisation, Organisation.id == CostShare.organisation_id)
        .where(CostShare.agreement_id.in_(ids))
        .order_by(CostShare.agreement_id, CostShare.position, CostShare.id)
    )
    for share in found:
        shares[share.agreement_id].append(ShareRow.of(share))
    workstreams: dict[int, list[int]] = {i: [] for i in ids}
    for link in session.scalars(
        select(AgreementWorkstream)
        .where(AgreementWorkstream.agreement_id.in_(ids))
        .order_by(AgreementWorkstream.workstream_id)
    ):
        workstreams[link.agreement_id].append(link.workstream_id)
    rates: dict[int, list[FixedRateRow]] = {i: [] for i in ids}
    for rate in session.scalars(
        select(AgreementRate)
        .where(AgreementRate.agreement_id.in_(ids))
        .order_by(bytewise(AgreementRate.from_currency), bytewise(AgreementRate.to_currency))
    ):
        rates[rate.agreement_id].append(FixedRateRow.of(rate))
    return [
        AgreementRow(
            **{f.name: getattr(a, f.name) for f in fields(AgreementRow) if f.name not in _CHILDREN},
            shares=tuple(shares[a.id]),
            workstream_ids=tuple(workstreams[a.id]),
            fixed_rates=tuple(rates[a.id]),
        )
        for a in agreements
    ]
