"""The registers of the programme's work, declared as data (see `spec.py`).

Defaults are what ../shared/DOMAIN.md and the issue promise for a sparse file: a risk
register of just Ref, Title, Likelihood, Impact and Owner imports as open risks raised
today, category unassigned, residual = inherent. Natural keys find the record a row
updates: risk reference, workstream code, milestone title within its workstream,
action title within its risk (or the programme), decision title.
`registers_money.py` declares the contracts and money registers; REGISTERS lists all.
"""

from __future__ import annotations

from typing import Any

from app.domain import (
    ActionStatus,
    DecisionStatus,
    Phase,
    RiskCategory,
    RiskResponse,
    RiskStatus,
    WorkStatus,
    WorkstreamKind,
)
from app.errors import ValidationError
from app.interchange.registers_money import (
    CONTRACTS,
    CONTRIBUTIONS,
    DELIVERABLES,
    EXCHANGE_RATES,
    EXPENDITURES,
    TOT_PACKAGES,
)
from app.interchange.spec import (
    BASE,
    MARKING,
    RELEASABLE,
    Context,
    Field,
    Register,
    T,
    const,
    link,
    parent,
)
from app.services import actions, decisions, milestones, risks, workstreams

RISKS: Register = Register(
    kind="risks",
    sheet="Risks",
    draft=risks.RiskDraft,
    sheet_words=("risk",),
    key=("reference",),
    fields=(
        Field("reference", "Ref", T.TEXT, ("id", "risk id", "risk no", "risk ref", "reference")),
        Field("title", "Title", T.TEXT, ("risk title", "risk", "description", "risk description")),
        Field(
            "category",
            "Category",
            T.CHOICE,
            ("risk category", "type"),
            RiskCategory,
            default=const(RiskCategory.UNASSIGNED.value),
        ),
        Field("owner", "Owner", T.TEXT, ("risk owner",)),
        Field(
            "raised_on",
            "Raised",
            T.DATE,
            ("date raised", "date identified", "identified", "raised on"),
            default=lambda _v, c: c.today,
        ),
        Field("likelihood", "Likelihood", T.RATING, ("probability", "inherent likelihood")),
        Field("impact", "Impact", T.RATING, ("consequence", "severity", "inherent impact")),
        Field(
            "residual_likelihood",
            "Residual likelihood",
            T.RATING,
            ("residual probability", "target likelihood"),
            default=lambda v, _c: v.get("likelihood"),
        ),
        Field(
            "residual_impact",
            "Residual impact",
            T.RATING,
            ("residual consequence", "residual severity", "target impact"),
            default=lambda v, _c: v.get("impact"),
        ),
        Field("cause", "Cause", T.TEXT),
        Field("effect", "Effect", T.TEXT),
        Field("response", "Response", T.CHOICE, ("response strategy", "strategy"), RiskResponse),
        Field(
            "mitigation", "Mitigation", T.TEXT, ("mitigation actions", "treatment", "mitigations")
        ),
        Field("proximity", "Proximity", T.DATE, ("proximity date",)),
        Field("cost_impact_minor", "Cost impact", T.MONEY, ("cost", "financial impact")),
        BASE,
        Field("status", "Status", T.CHOICE, ("risk status",), RiskStatus, default=const("open")),
        link("workstream_id", "Workstream", "workstream", "ws"),
        link("contract_id", "Contract", "contract", "contract number"),
        MARKING,
        RELEASABLE,
    ),
    listing=lambda c: risks.list_risks(c.db, c.programme_id),
    create=lambda c, s, v: risks.new_risk(s, c.programme_id, RISKS.make(v)),
    update=lambda c, r, v: risks.update_risk(c.db, r.id, r.version, RISKS.make(v)),
)

ACTIONS: Register = Register(
    kind="actions",
    sheet="Actions",
    draft=actions.ActionDraft,
    sheet_words=("action",),
    key=("risk_id", "title"),
    fields=(
        Field("title", "Action", T.TEXT, ("title", "description", "action description")),
        Field("owner", "Owner", T.TEXT, ("action owner", "actionee", "responsible")),
        Field("due_on", "Due", T.DATE, ("due date", "due by", "target date")),
        Field("status", "Status", T.CHOICE, (), ActionStatus, default=const("open")),
        Field("done_on", "Done", T.DATE, ("done on", "completed", "date completed")),
        link("risk_id", "Risk", "risk", "risk ref", "risk id", "risk reference"),
        MARKING,
        RELEASABLE,
    ),
    listing=lambda c: actions.list_actions(c.db, c.programme_id),
    create=lambda c, s, v: actions.new_action(s, c.programme_id, ACTIONS.make(v)),
    update=lambda c, r, v: actions.update_action(c.db, r.id, r.version, ACTIONS.make(v)),
)

DECISIONS: Register = Register(
    kind="decisions",
    sheet="Decisions",
    draft=decisions.DecisionDraft,
    sheet_words=("decision",),
    key=("title",),
    fields=(
        Field("title", "Decision", T.TEXT, ("title", "decision required", "description")),
        Field("forum", "Forum", T.TEXT, ("by whom", "decision maker", "authority")),
        Field("needed_by", "Needed by", T.DATE, ("need by", "required by", "due", "due date")),
        Field("status", "Status", T.CHOICE, (), DecisionStatus, default=const("pending")),
        Field("outcome", "Outcome", T.TEXT, ("decision taken",)),
        Field("decided_on", "Decided", T.DATE, ("decided on", "date decided")),
        MARKING,
        RELEASABLE,
    ),
    listing=lambda c: decisions.list_decisions(c.db, c.programme_id),
    create=lambda c, s, v: decisions.new_decision(s, c.programme_id, DECISIONS.make(v)),
    update=lambda c, r, v: decisions.update_decision(c.db, r.id, r.version, DECISIONS.make(v)),
)

WORKSTREAMS: Register = Register(
    kind="workstreams",
    sheet="Workstreams",
    draft=workstreams.WorkstreamDraft,
    sheet_words=("workstream", "ws"),
    key=("code",),
    fields=(
        Field("code", "Code", T.TEXT, ("workstream code", "ws", "id", "ref")),
        Field("title", "Title", T.TEXT, ("workstream", "name", "description")),
        Field("kind", "Kind", T.CHOICE, ("type",), WorkstreamKind),
        Field("phase", "Phase", T.CHOICE, (), Phase),
        Field("status", "Status", T.CHOICE, (), WorkStatus, default=const("not started")),
        link("lead_organisation_id", "Lead", "organisation", "lead organisation", "lead org"),
        Field("trl_now", "TRL now", T.WHOLE, ("trl", "current trl")),
        Field("trl_target", "TRL target", T.WHOLE, ("target trl",)),
        Field("mrl_now", "MRL now", T.WHOLE, ("mrl", "current mrl")),
        Field("mrl_target", "MRL target", T.WHOLE, ("target mrl",)),
        Field("baseline_start", "Baseline start", T.DATE, ("start", "start date")),
        Field("baseline_finish", "Baseline finish", T.DATE, ("finish", "end", "end date")),
        Field("forecast_finish", "Forecast finish", T.DATE, ("forecast",)),
        Field("actual_finish", "Actual finish", T.DATE, ("actual",)),
        Field("budget_minor", "Budget", T.MONEY, ("bac", "budget at completion")),
        BASE,
        MARKING,
        RELEASABLE,
    ),
    listing=lambda c: workstreams.list_workstreams(c.db, c.programme_id),
    create=lambda c, s, v: workstreams.new_workstream(s, c.programme_id, WORKSTREAMS.make(v)),
    update=lambda c, r, v: workstreams.update_workstream(
        c.db, r.id, r.version, WORKSTREAMS.make(v)
    ),
)


def _update_milestone(context: Context, row: Any, values: dict[str, Any]) -> Any:
    """An ordinary edit: a baseline moves only by re-baselining, with its reason on record."""
    if values.get("baseline_date") != row.baseline_date:
        raise ValidationError.one(
            "baseline_date",
            f"differs from the agreed baseline {row.baseline_date}; "
            "a baseline moves only by re-baselining",
        )
    edit = {k: v for k, v in values.items() if k != "baseline_date"}
    draft = milestones.MilestoneEdit(
        **{k: edit[k] for k in milestones.MilestoneEdit.__dataclass_fields__ if k in edit}
    )
    return milestones.update_milestone(context.db, row.id, row.version, draft)


MILESTONES: Register = Register(
    kind="milestones",
    sheet="Milestones",
    draft=milestones.MilestoneDraft,
    sheet_words=("milestone",),
    key=("workstream_id", "title"),
    fields=(
        link("workstream_id", "Workstream", "workstream", "ws", "workstream code", required=True),
        Field("title", "Milestone", T.TEXT, ("title", "name")),
        Field("acceptance_criteria", "Acceptance criteria", T.TEXT, ("criteria",)),
        Field("baseline_date", "Baseline", T.DATE, ("baseline date", "planned", "planned date")),
        Field(
            "forecast_date",
            "Forecast",
            T.DATE,
            ("forecast date",),
            default=lambda v, _c: v.get("baseline_date"),
        ),
        Field("actual_date", "Actual", T.DATE, ("actual date", "achieved")),
        Field("value_weight", "Weight", T.WHOLE, ("value weight",), default=const(1)),
        MARKING,
        RELEASABLE,
    ),
    listing=lambda c: milestones.list_milestones(c.db, c.programme_id),
    create=lambda c, s, v: milestones.new_milestone(
        s, parent(v, "workstream_id", "workstream"), MILESTONES.make(v)
    ),
    update=_update_milestone,
)

# In the order an "all" workbook lists them: each register after those it refers to.
REGISTERS: dict[str, Register] = {
    r.kind: r
    for r in (
        WORKSTREAMS,
        MILESTONES,
        CONTRACTS,
        DELIVERABLES,
        TOT_PACKAGES,
        RISKS,
        ACTIONS,
        DECISIONS,
        CONTRIBUTIONS,
        EXPENDITURES,
        EXCHANGE_RATES,
    )
}
