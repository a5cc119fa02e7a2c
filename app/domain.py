"""The programme office's vocabulary and fixed rules (../shared/DOMAIN.md).

Kept apart from the ORM and the services so that validators, analytics, the pack and
the GUI's pick-lists all read the same words from one place.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class WorkstreamKind(StrEnum):
    JOINT_RND = "joint R&D"
    CO_PRODUCTION = "co-production"
    INDIGENISATION = "indigenisation"
    TECHNOLOGY_TRANSFER = "technology transfer"
    TRIALS = "trials and certification"
    EXPORT_SUPPORT = "export support"
    SUSTAINMENT = "sustainment"


class Phase(StrEnum):
    CONCEPT = "concept"
    DESIGN = "design"
    DEVELOPMENT = "development"
    PROTOTYPE = "prototype"
    TRIALS = "trials"
    PRODUCTION = "production"
    IN_SERVICE = "in service"


class WorkStatus(StrEnum):
    NOT_STARTED = "not started"
    ACTIVE = "active"
    ON_HOLD = "on hold"
    COMPLETE = "complete"
    CANCELLED = "cancelled"


class OrganisationKind(StrEnum):
    GOVERNMENT_LAB = "government R&D laboratory"
    STATE_ENTERPRISE = "state enterprise"
    DPSU = "defence public sector undertaking"
    PRIVATE_INDUSTRY = "private industry"
    MINISTRY = "ministry"


class ContractKind(StrEnum):
    CO_PRODUCTION = "co-production"
    LICENSED_PRODUCTION = "licensed production"
    TECHNOLOGY_TRANSFER = "technology transfer"
    RND_SERVICES = "R&D services"
    SPARES_SUPPORT = "spares and support"


class ContractStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    IN_PROGRESS = "in progress"
    COMPLETE = "complete"
    TERMINATED = "terminated"


class TotKind(StrEnum):
    DOCUMENTATION = "documentation"
    TOOLING = "tooling"
    PROCESS = "process know-how"
    TRAINING = "training"
    SOFTWARE = "software"
    TEST_EQUIPMENT = "test equipment"


class TotState(StrEnum):
    PLANNED = "planned"
    IN_TRANSFER = "in transfer"
    TRANSFERRED = "transferred"
    ABSORBED = "absorbed"


class FxRule(StrEnum):
    FIXED = "fixed"
    SPOT = "spot"


class ContributionKind(StrEnum):
    CASH = "cash"
    IN_KIND = "in kind"


class ExpenditureCategory(StrEnum):
    LABOUR = "labour"
    MATERIAL = "material"
    FACILITIES = "facilities"
    SUBCONTRACT = "subcontract"
    TRAVEL = "travel"
    OTHER = "other"


class RiskCategory(StrEnum):
    TECHNICAL = "technical"
    SCHEDULE = "schedule"
    COST = "cost"
    SUPPLY_CHAIN = "supply chain"
    SANCTIONS = "sanctions and export control"
    CURRENCY = "currency"
    INDUSTRIAL_CAPACITY = "industrial capacity"
    ABSORPTION = "technology absorption"
    SECURITY = "security"
    POLITICAL = "political"
    UNASSIGNED = "unassigned"


class RiskResponse(StrEnum):
    AVOID = "avoid"
    MITIGATE = "mitigate"
    TRANSFER = "transfer"
    ACCEPT = "accept"


class RiskStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    REALISED = "realised"


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in progress"
    DONE = "done"
    CANCELLED = "cancelled"


class DecisionStatus(StrEnum):
    PENDING = "pending"
    TAKEN = "taken"
    DEFERRED = "deferred"


class Rating(StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


LIKELIHOOD_WORDS = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
IMPACT_WORDS = {1: "Minimal", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Severe"}
# The probability used for expected monetary value at each likelihood level.
LIKELIHOOD_PROBABILITY = {
    1: Decimal("0.05"),
    2: Decimal("0.20"),
    3: Decimal("0.40"),
    4: Decimal("0.60"),
    5: Decimal("0.85"),
}

_L, _M, _H = Rating.LOW, Rating.MEDIUM, Rating.HIGH
# Row = likelihood 1..5 (index 0 = likelihood 1), column = impact 1..5.
_MATRIX = (
    (_L, _L, _L, _L, _M),
    (_L, _L, _L, _M, _M),
    (_L, _L, _M, _M, _H),
    (_L, _M, _M, _H, _H),
    (_L, _M, _H, _H, _H),
)


def rating(likelihood: int, impact: int) -> Rating:
    """The 5x5 matrix's rating for a likelihood and impact, each 1-5."""
    return _MATRIX[likelihood - 1][impact - 1]


DEFAULT_MARKINGS = ("UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP SECRET")

# India's DAP 2020 minimum indigenous content per procurement category, in percent.
DEFAULT_PROCUREMENT_MINIMUMS = {
    "Buy (Indian-IDDM)": Decimal("50"),
    "Buy (Indian)": Decimal("50"),
    "Buy (Indian) not indigenously designed": Decimal("60"),
    "Buy & Make (Indian)": Decimal("50"),
    "Buy (Global - Manufacture in India)": Decimal("50"),
    "Buy (Global)": Decimal("30"),
}
