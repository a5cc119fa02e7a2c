"""The fictional demo programme's names and texts. Every name here is invented.

Kept apart from app.demo (which builds records from these) so the words can be read,
and corrected by someone who knows the field, without reading any code.
"""

from __future__ import annotations

from app.domain import FxRule, Phase, RiskCategory, WorkstreamKind
from app.domain import OrganisationKind as Org

# (title, kind, phase, lead organisation index, TRL now/target, MRL now/target,
#  start month offset from programme start, length in months, budget in crore rupees)
WorkstreamSpec = tuple[
    str, WorkstreamKind, Phase, int, tuple[int, int], tuple[int, int], int, int, int
]
# (title, kind, supplier index, customer index, currency, value in millions, IC target %,
#  IC achieved %, procurement category)
ContractSpec = tuple[str, str, int, int, str, int, str, str, str | None]

PROGRAMME = {
    "code": "JP-KSHITIJ",
    "name": "Kshitij Joint Surveillance Radar Programme",
    "description": (
        "Joint development and co-production of a ground-based surveillance radar by India "
        "and Russia: joint R&D of the antenna and signal processing, co-production of "
        "transmit/receive modules in India, transfer of technology, and support for "
        "future exports. (Fictional demonstration data.)"
    ),
}
PARTNERS = (("IND", "Republic of India"), ("RUS", "Russian Federation"))

# (short name in Latin script, name as the organisation writes it, nation, kind)
ORGANISATIONS = (
    ("Tarang RL", "तरंग रडार प्रयोगशाला", "IND", Org.GOVERNMENT_LAB),
    ("Vindhya Electronics", "विंध्य इलेक्ट्रॉनिक्स लिमिटेड", "IND", Org.DPSU),
    ("Sahyadri Aero", "सह्याद्रि एयरोस्ट्रक्चर्स प्राइवेट लिमिटेड", "IND", Org.PRIVATE_INDUSTRY),
    ("JPD India", "संयुक्त कार्यक्रम निदेशालय", "IND", Org.MINISTRY),
    ("Severny Luch", "НПО «Северный луч»", "RUS", Org.STATE_ENTERPRISE),
    ("Ural Optics", "АО «Уральские оптические системы»", "RUS", Org.STATE_ENTERPRISE),
    ("Volga Composites", "ООО «Волжские композиты»", "RUS", Org.PRIVATE_INDUSTRY),
    ("FAJP Russia", "Федеральное агентство совместных программ", "RUS", Org.MINISTRY),
)

WORKSTREAMS: tuple[WorkstreamSpec, ...] = (
    (
        "Antenna array joint design",
        WorkstreamKind.JOINT_RND,
        Phase.DEVELOPMENT,
        0,
        (5, 7),
        (4, 8),
        0,
        42,
        420,
    ),
    (
        "Signal processing software",
        WorkstreamKind.JOINT_RND,
        Phase.PROTOTYPE,
        4,
        (6, 8),
        (5, 8),
        2,
        36,
        310,
    ),
    (
        "T/R module co-production",
        WorkstreamKind.CO_PRODUCTION,
        Phase.PRODUCTION,
        1,
        (7, 9),
        (6, 9),
        8,
        48,
        960,
    ),
    (
        "Radome and structures indigenisation",
        WorkstreamKind.INDIGENISATION,
        Phase.DESIGN,
        2,
        (4, 7),
        (3, 8),
        6,
        40,
        180,
    ),
    (
        "T/R module process transfer",
        WorkstreamKind.TECHNOLOGY_TRANSFER,
        Phase.DEVELOPMENT,
        4,
        (6, 8),
        (5, 9),
        4,
        36,
        240,
    ),
    (
        "Trials and certification",
        WorkstreamKind.TRIALS,
        Phase.TRIALS,
        3,
        (6, 8),
        (6, 8),
        14,
        30,
        150,
    ),
    ("Export support", WorkstreamKind.EXPORT_SUPPORT, Phase.CONCEPT, 7, (7, 9), (7, 9), 18, 30, 40),
    (
        "In-service support and spares",
        WorkstreamKind.SUSTAINMENT,
        Phase.CONCEPT,
        1,
        (8, 9),
        (7, 9),
        20,
        48,
        120,
    ),
    (
        "Secure data link integration",
        WorkstreamKind.JOINT_RND,
        Phase.DESIGN,
        5,
        (4, 7),
        (3, 7),
        10,
        36,
        90,
    ),
)

MILESTONES = (
    "Requirements baseline agreed",
    "Preliminary design review",
    "Critical design review",
    "First article inspection",
    "Qualification complete",
)

CONTRACTS: tuple[ContractSpec, ...] = (
    (
        "T/R module licensed production",
        "licensed production",
        4,
        1,
        "USD",
        410,
        "60",
        "48.5",
        "Buy & Make (Indian)",
    ),
    ("Antenna array development services", "R&D services", 4, 0, "RUB", 2600, "0", "0", None),
    ("Radome manufacture", "co-production", 2, 1, "INR", 5200, "70", "72.25", "Buy (Indian-IDDM)"),
    (
        "Process know-how transfer",
        "technology transfer",
        5,
        1,
        "USD",
        95,
        "30",
        "34",
        "Buy (Global - Manufacture in India)",
    ),
    (
        "Composite panels supply",
        "co-production",
        6,
        2,
        "RUB",
        1800,
        "50",
        "41",
        "Buy (Global - Manufacture in India)",
    ),
    (
        "Spares and field support",
        "spares and support",
        1,
        3,
        "INR",
        3100,
        "60",
        "63",
        "Buy (Indian)",
    ),
)
# Which workstream (index into WORKSTREAMS) each contract serves.
CONTRACT_WORKSTREAM = (2, 0, 3, 4, 3, 7)
# (code, title, shares, workstreams covered (indexes), FX rule): development and
# production are split differently, so they are separate agreements.
AGREEMENTS = (
    (
        "CSA-DEV",
        "Joint development cost share",
        (("IND", "50"), ("RUS", "50")),
        (0, 1, 5),
        FxRule.SPOT,
    ),
    (
        "CSA-PROD",
        "Co-production industrialisation cost share",
        (("IND", "66.6667"), ("RUS", "33.3333")),
        (2, 3, 4),
        FxRule.FIXED,
    ),
)
DELIVERABLES = ("Transmit/receive modules", "Antenna panels", "Test sets", "Spares kits")
TOT_PACKAGES = (
    ("Module assembly process sheets", "documentation"),
    ("Hybrid bonding tooling", "tooling"),
    ("RF test procedures and know-how", "process know-how"),
    ("Technician training course", "training"),
    ("Built-in test software", "software"),
    ("Automated test equipment", "test equipment"),
)

# (title, cause, category)
RISKS = (
    ("T/R module yield below plan", "New hybrid bonding line", RiskCategory.TECHNICAL),
    ("Export licence for RF components delayed", "Licensing review", RiskCategory.SANCTIONS),
    ("Rouble–rupee settlement disruption", "Payment channel changes", RiskCategory.CURRENCY),
    ("Radome supplier capacity", "Single qualified supplier", RiskCategory.SUPPLY_CHAIN),
    ("Trials range availability", "Range shared with other users", RiskCategory.SCHEDULE),
    ("Cost growth in GaN wafers", "Global demand", RiskCategory.COST),
    ("Slow absorption of bonding know-how", "Few trained technicians", RiskCategory.ABSORPTION),
    ("Secure data exchange accreditation", "Partner systems differ", RiskCategory.SECURITY),
    ("Change of programme priorities", "Budget review", RiskCategory.POLITICAL),
    ("Test equipment factory loading", "Competing orders", RiskCategory.INDUSTRIAL_CAPACITY),
    ("Signal processing software integration", "Two code bases", RiskCategory.TECHNICAL),
    ("Documentation translation backlog", "Russian-English-Hindi volume", RiskCategory.SCHEDULE),
)
OWNERS = (
    "Cdr. R. Menon",
    "Dr. S. Kulkarni (डॉ. एस. कुलकर्णी)",
    "A. Volkova (А. Волкова)",
    "Col. P. Rathore",
    "I. Sokolov (И. Соколов)",
    "Ms. N. Bhat",
)
FORUMS = ("Joint Working Group", "Programme Steering Committee", "Joint Finance Committee")
DECISIONS = (
    "Approve second source for radome resin",
    "Agree revised trials schedule",
    "Release contingency for GaN price rise",
    "Approve export marketing plan for third countries",
    "Agree RUB/INR settlement mechanism for 2026",
    "Accept T/R module yield recovery plan",
    "Approve extension of technician training",
    "Decide on joint certification authority",
)
ACTIONS = (
    "Qualify alternative resin supplier",
    "Submit licence application evidence",
    "Update cost model with wafer prices",
    "Book trials range slots",
    "Train second shift of technicians",
    "Draft data exchange security plan",
)
