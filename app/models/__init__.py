"""The ORM: one module per register. Importing this package registers every table."""

from app.models.audit import AuditEntry
from app.models.base import Base, Record
from app.models.contracts import Contract, Deliverable, OffsetDischarge, TotPackage
from app.models.costs import (
    AgreementRate,
    AgreementWorkstream,
    Contribution,
    CostShare,
    CostShareAgreement,
    ExchangeRate,
    Expenditure,
)
from app.models.partners import Organisation
from app.models.programme import PartnerNation, Programme, Setting
from app.models.risks import Action, Decision, Risk, RiskReview
from app.models.snapshots import BriefingSnapshot
from app.models.workstreams import (
    Milestone,
    MilestoneBaseline,
    MilestoneForecast,
    Workstream,
    WorkstreamParticipant,
)

__all__ = [
    "Action",
    "AgreementRate",
    "AgreementWorkstream",
    "AuditEntry",
    "Base",
    "BriefingSnapshot",
    "Contract",
    "Contribution",
    "CostShare",
    "CostShareAgreement",
    "Decision",
    "Deliverable",
    "ExchangeRate",
    "Expenditure",
    "Milestone",
    "MilestoneBaseline",
    "MilestoneForecast",
    "OffsetDischarge",
    "Organisation",
    "PartnerNation",
    "Programme",
    "Record",
    "Risk",
    "RiskReview",
    "Setting",
    "TotPackage",
    "Workstream",
    "WorkstreamParticipant",
]
