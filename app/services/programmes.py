"""Programmes, their partner nations and the organisations that do the work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.database import Database
from app.domain import OrganisationKind
from app.errors import UsageError
from app.models import (
    Action,
    BriefingSnapshot,
    Contract,
    Contribution,
    CostShare,
    CostShareAgreement,
    Decision,
    Expenditure,
    Organisation,
    PartnerNation,
    Programme,
    Risk,
    Workstream,
    WorkstreamParticipant,
)
from app.services import protection, records
from app.services.collation import bytewise
from app.services.records import Draft, Row
from app.services.validation import TEXT_MAX, TITLE_MAX, Checker


@dataclass(frozen=True)
class ProgrammeDraft(Draft):
    code: str
    name: str
    base_currency: str
    start_date: date
    end_date: date | None = None
    description: str = ""
    marking: int = 0


@dataclass(frozen=True)
class PartnerDraft:
    nation: str
    name: str


@dataclass(frozen=True)
class ProgrammeRow(Row):
    id: int
    version: int
    code: str
    name: str
    description: str
    base_currency: str
    start_date: date
    end_date: date | None
    marking: int
    releasable_to: str


@dataclass(frozen=True)
class OrganisationDraft(Draft):
    short_name: str
    name: str
    nation: str
    kind: str
    marking: int = 0
    releasable_to: str | None = None


@dataclass(frozen=True)
class OrganisationRow(Row):
    id: int
    version: int
    programme_id: int
    short_name: str
    name: str
    nation: str
    kind: str
    marking: int
    releasable_to: str


def check_programme(draft: ProgrammeDraft) -> Checker:
    check = Checker()
    check.text("code", draft.code, max_len=40)
    check.text("name", draft.name, max_len=TITLE_MAX)
    check.text("description", draft.description, required=False, max_len=TEXT_MAX)
    check.currency("base_currency", draft.base_currency)
    check.is_date("start_date", draft.start_date)
    check.is_date("end_date", draft.end_date, required=False)
    check.ordered("start_date", draft.start_date, "end_date", draft.end_date)
    return check


def create_programme(
    db: Database, draft: ProgrammeDraft, partners: Sequence[PartnerDraft]
) -> ProgrammeRow:
    check = check_programme(draft)
    if len(partners) < 2:
        check.add("partners", "a joint programme needs at least two partner nations")
    for partner in partners:
        check.nation("partners", partner.nation)
        check.text("partners", partner.name, max_len=TITLE_MAX)
    if len({p.nation for p in partners}) != len(partners):
        check.add("partners", "a nation is listed twice")
    with db.begin() as session:
        records.check_unique(session, check, Programme, "code", draft.code, 0)
        check.whole("marking", draft.marking, 0, len(protection.marking_scale(session)) - 1)
        check.done()
        everyone = protection.releasability(p.nation for p in partners)
        programme = records.create(
            session, Programme, {**draft.columns(), "releasable_to": everyone}
        )
        for position, partner in enumerate(partners):
            records.create(
                session,
                PartnerNation,
                {
                    "programme_id": programme.id,
                    "nation": partner.nation,
                    "name": partner.name,
                    "position": position,
                    "releasable_to": everyone,
                },
            )
        return ProgrammeRow.of(programme)


def update_programme(
    db: Database, programme_id: int, version: int, draft: ProgrammeDraft
) -> ProgrammeRow:
    """Change the programme; its base currency only while it holds no money yet."""
    check = check_programme(draft)
    with db.begin() as session:
        programme = records.for_update(session, Programme, programme_id, version)
        records.check_unique(session, check, Programme, "code", draft.code, programme_id)
        check.whole("marking", draft.marking, 0, len(protection.marking_scale(session)) - 1)
        if check.ok("base_currency") and draft.base_currency != programme.base_currency:
            # Budgets and cost impacts are stored in the base currency, and every other
            # amount is reported converted to it: switching would silently re-mean them.
            held = _money_held(session, programme_id)
            if held:
                check.add(
                    "base_currency",
                    f"stays {programme.base_currency} while the programme holds money "
                    f"({held}): every amount would change meaning",
                )
        check.done()
        records.assign(session, programme, draft.columns())
        return ProgrammeRow.of(programme)


def _money_held(session: Session, programme_id: int) -> str:
    """What money the programme holds, e.g. '2 contracts and 1 workstream budget'."""
    streams = select(Workstream.id).where(Workstream.programme_id == programme_id)
    shares = (
        select(CostShare.id)
        .join(CostShareAgreement, CostShareAgreement.id == CostShare.agreement_id)
        .where(CostShareAgreement.programme_id == programme_id)
    )
    counts = {
        "workstream budget": select(func.count())
        .select_from(Workstream)
        .where(Workstream.programme_id == programme_id, Workstream.budget_minor > 0),
        "contract": select(func.count())
        .select_from(Contract)
        .where(Contract.programme_id == programme_id),
        "contribution": select(func.count())
        .select_from(Contribution)
        .where(Contribution.cost_share_id.in_(shares)),
        "expenditure": select(func.count())
        .select_from(Expenditure)
        .where(Expenditure.workstream_id.in_(streams)),
        "risk cost impact": select(func.count())
        .select_from(Risk)
        .where(Risk.programme_id == programme_id, Risk.cost_impact_minor > 0),
    }
    return records.counted((label, session.scalar(q) or 0) for label, q in counts.items())


# What a programme holds, in the words the refusal to delete it uses.
_HOLDINGS: tuple[records.Referrer, ...] = (
    (Organisation.programme_id, "organisation"),
    (Workstream.programme_id, "workstream"),
    (Contract.programme_id, "contract"),
    (CostShareAgreement.programme_id, "cost-share agreement"),
    (Risk.programme_id, "risk"),
    (Action.programme_id, "action"),
    (Decision.programme_id, "decision"),
    (BriefingSnapshot.programme_id, "briefing snapshot"),
)


def delete_programme(db: Database, programme_id: int, version: int) -> None:
    """Delete an empty programme with its partner nations (e.g. one set up by mistake).

    A programme with any register record is refused: deleting its history with it
    would be irreversible, so the user deletes the records first, knowingly.
    """
    with db.begin() as session:
        programme = records.for_update(session, Programme, programme_id, version)
        records.refuse_if_referenced(
            session, "programme", programme_id, _HOLDINGS, name=f"programme {programme.code}"
        )
        records.remove(
            session,
            session.scalars(
                select(PartnerNation).where(PartnerNation.programme_id == programme_id)
            ),
        )
        records.remove(session, [programme])


def list_programmes(db: Database) -> list[ProgrammeRow]:
    with db.read() as session:
        return [
            ProgrammeRow.of(p)
            for p in session.scalars(select(Programme).order_by(bytewise(Programme.code)))
        ]


def partners(db: Database, programme_id: int) -> list[PartnerDraft]:
    with db.read() as session:
        rows = session.execute(
            select(PartnerNation.nation, PartnerNation.name)
            .where(PartnerNation.programme_id == programme_id)
            .order_by(PartnerNation.position, bytewise(PartnerNation.nation))
        )
        return [PartnerDraft(nation, name) for nation, name in rows]


def rename_partner(db: Database, programme_id: int, nation: str, name: str) -> PartnerDraft:
    """Change how a partner nation is named; the nation itself (its code) never changes.

    Every record's releasability names the nation by code, so a new code would be a
    different partner; the name is only what people read.
    """
    check = Checker()
    check.text("name", name, max_len=TITLE_MAX)
    with db.begin() as session:
        records.programme_of(session, programme_id)
        partner = session.scalar(
            select(PartnerNation).where(
                PartnerNation.programme_id == programme_id, PartnerNation.nation == nation
            )
        )
        if partner is None:
            check.add("nation", f"{nation!r} is not a partner nation of this programme")
        check.done()
        assert partner is not None  # check.done() raised otherwise
        records.assign(session, partner, {"name": name})
        return PartnerDraft(partner.nation, partner.name)


def choose(db: Database, code: str | None) -> ProgrammeRow:
    """The programme a command works on: `code`, or the only one in the database."""
    programmes = list_programmes(db)
    if code is not None:
        for programme in programmes:
            if programme.code == code:
                return programme
        known = ", ".join(p.code for p in programmes) or "none"
        raise UsageError(f"no programme with code {code!r} (programmes: {known})", "--programme")
    if len(programmes) == 1:
        return programmes[0]
    if not programmes:
        raise UsageError("the database holds no programme yet", "--programme")
    codes = ", ".join(p.code for p in programmes)
    raise UsageError(f"the database holds several programmes; choose one of {codes}", "--programme")


# Organisations -------------------------------------------------------------------------


def check_organisation(draft: OrganisationDraft) -> Checker:
    check = Checker()
    check.text("short_name", draft.short_name, max_len=80)
    check.text("name", draft.name, max_len=TITLE_MAX)
    check.nation("nation", draft.nation)
    check.choice("kind", draft.kind, OrganisationKind)
    return check


def _check_organisation_in(
    session: Session, check: Checker, programme_id: int, draft: OrganisationDraft, own_id: int
) -> str:
    if draft.nation not in protection.partner_nations(session, programme_id):
        check.add("nation", f"{draft.nation} is not a partner nation of this programme")
    records.check_unique(
        session,
        check,
        Organisation,
        "short_name",
        draft.short_name,
        own_id,
        programme_id=programme_id,
    )
    return protection.check_protection(
        check, session, programme_id, draft.marking, draft.releasable_to
    )


def add_organisation(db: Database, programme_id: int, draft: OrganisationDraft) -> OrganisationRow:
    check = check_organisation(draft)
    with db.begin() as session:
        records.programme_of(session, programme_id)
        releasable = _check_organisation_in(session, check, programme_id, draft, 0)
        check.done()
        values = {**draft.columns(), "programme_id": programme_id, "releasable_to": releasable}
        return OrganisationRow.of(records.create(session, Organisation, values))


def update_organisation(
    db: Database, organisation_id: int, version: int, draft: OrganisationDraft
) -> OrganisationRow:
    check = check_organisation(draft)
    with db.begin() as session:
        org = records.for_update(session, Organisation, organisation_id, version)
        releasable = _check_organisation_in(session, check, org.programme_id, draft, org.id)
        check.done()
        records.assign(session, org, {**draft.columns(), "releasable_to": releasable})
        return OrganisationRow.of(org)


# What may refer to an organisation, in the words the refusal uses.
_ORGANISATION_REFERRERS: tuple[records.Referrer, ...] = (
    ((Contract.supplier_id, Contract.customer_id), "contract"),
    (Workstream.lead_organisation_id, "workstream"),
    (WorkstreamParticipant.organisation_id, "workstream participation"),
    (CostShare.organisation_id, "cost share"),
)


def delete_organisation(db: Database, organisation_id: int, version: int) -> None:
    """Delete an organisation nothing refers to; otherwise say what does."""
    with db.begin() as session:
        org = records.for_update(session, Organisation, organisation_id, version)
        records.refuse_if_referenced(
            session,
            "organisation",
            organisation_id,
            _ORGANISATION_REFERRERS,
            name=f"organisation {org.short_name}",
        )
        records.remove(session, [org])


def list_organisations(db: Database, programme_id: int) -> list[OrganisationRow]:
    with db.read() as session:
        rows = session.scalars(
            select(Organisation)
            .where(Organisation.programme_id == programme_id)
            .order_by(bytewise(Organisation.nation), bytewise(Organisation.short_name))
        )
        return [OrganisationRow.of(o) for o in rows]
