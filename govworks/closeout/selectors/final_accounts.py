"""Reads of the final accounts (竣工财务决算): its state, deadline, cost sheet, funds and checklist.

The sheet reads a constant number of queries however many cost lines, sources or documents a project has."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum
from django.utils import timezone

from govworks.closeout import rules_final_accounts as rules
from govworks.closeout.models import (
    FinalAccounts,
    FinalAccountsDocument,
    FinalAccountsExtension,
    FinalCostLine,
    SurplusReturn,
)
from govworks.closeout.selectors.milestones import completion_date
from govworks.core.errors import DomainError
from govworks.core.models import RuleParameter
from govworks.core.rule_parameters import parse_value, rule_parameter_pick, rule_value
from govworks.finance.models import FundingSource, PaymentRequest
from govworks.finance.selectors.dashboard import source_rows
from govworks.finance.selectors.settlements import settlement_state_for
from govworks.procurement.models import Contract
from govworks.projects.models import ApprovalRequest, Stage

APPROVAL_KIND = "final_accounts.approval"
ZERO = Decimal(0)

#: stages where a project has (or should have) its final accounts under way
FA_STAGES: tuple[str, ...] = (Stage.FINAL_ACCOUNTS, Stage.ARCHIVING, Stage.ASSET_HANDOVER, Stage.EVALUATION, Stage.CLOSED)

STATE_LABELS = {
    "none": "未开始",
    "draft": "编制中",
    "pending": "审批中",
    "returned": "已退回",
    "approved": "已批准",
}


def final_accounts_of(project: Any) -> FinalAccounts | None:
    return FinalAccounts.objects.filter(project=project).select_related("drafted_by").first()


def latest_approval(fa: FinalAccounts | None) -> ApprovalRequest | None:
    if fa is None:
        return None
    return (
        ApprovalRequest.objects.filter(
            subject_type=ContentType.objects.get_for_model(FinalAccounts), subject_id=fa.pk, kind=APPROVAL_KIND
        )
        .order_by("-submitted_at", "-id")
        .first()
    )


def state_of(fa: FinalAccounts | None, approval: ApprovalRequest | None) -> str:
    if fa is None:
        return "none"
    if approval is None:
        return "draft"
    states: dict[str, str] = {
        ApprovalRequest.Status.PENDING: "pending",
        ApprovalRequest.Status.APPROVED: "approved",
        ApprovalRequest.Status.RETURNED: "returned",
    }
    return states[approval.status]


def editable(state: str) -> bool:
    """Cost lines, documents and surplus returns may change while drafting or after a return."""
    return state in ("draft", "returned")


def approved_on(project: Any) -> dt.date | None:
    """The day the final accounts' approval chain finished with 同意 (fact ``final_accounts.approved_on``)."""
    finished = (
        ApprovalRequest.objects.filter(
            subject_type=ContentType.objects.get_for_model(FinalAccounts),
            subject_id__in=FinalAccounts.objects.filter(project=project).values("pk"),
            kind=APPROVAL_KIND,
            status=ApprovalRequest.Status.APPROVED,
        )
        .values_list("finished_at", flat=True)
        .first()
    )
    return timezone.localdate(finished) if finished else None


def approved_final_cost(project: Any) -> Decimal | None:
    """The final cost as approved (fact ``final_accounts.final_cost``), None until approved."""
    if approved_on(project) is None:
        return None
    value = FinalAccounts.objects.filter(project=project).values_list("final_cost", flat=True).first()
    return Decimal(value) if value is not None else None


@dataclass(frozen=True)
class Deadline:
    completion: dt.date | None
    due: dt.date | None
    base_months: int
    extension_months: int
    extension_limit: int
    large: bool
    large_min: Decimal

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and today > self.due

    @property
    def size_label(self) -> str:
        return "大型项目" if self.large else "中小型项目"


def deadline_of(project: Any, fa: FinalAccounts | None) -> Deadline:
    """The 编报期限: completion + 3 months + granted extensions (rules_final_accounts)."""
    agency = project.agency
    completion = completion_date(project)
    base = int(rule_value("final_accounts.deadline_months", agency=agency, on=completion))
    large_min = Decimal(rule_value("final_accounts.large_project_min_amount", agency=agency, on=completion))
    small = int(rule_value("final_accounts.extension_small_months", agency=agency, on=completion))
    large = int(rule_value("final_accounts.extension_large_months", agency=agency, on=completion))
    amount = project.controlling_amount
    granted = fa.extension_months if fa is not None else 0
    due = rules.final_accounts_due(completion, deadline_months=base, extension_months=granted) if completion else None
    return Deadline(
        completion=completion,
        due=due,
        base_months=base,
        extension_months=granted,
        extension_limit=rules.extension_limit(amount, large_min=large_min, small_months=small, large_months=large),
        large=rules.is_large_project(amount, large_min),
        large_min=large_min,
    )


@dataclass(frozen=True)
class ContractCost:
    contract: Contract
    amount: Decimal
    basis: str


def contract_costs(project: Any) -> list[ContractCost]:
    """Each signed contract at its approved settlement (审定金额, from the settlement provider) or, where none is
    approved, at what has been paid on it. Used by the service that (re)builds the contract lines."""
    contracts = list(Contract.objects.filter(project=project, status=Contract.Status.SIGNED).order_by("signed_on", "id"))
    paid = {
        r["contract_id"]: Decimal(r["s"] or 0)
        for r in PaymentRequest.objects.filter(project=project, status=PaymentRequest.Status.PAID)
        .values("contract_id")
        .annotate(s=Sum("amount"))
    }
    out = []
    for c in contracts:
        state = settlement_state_for(c)
        if state.approved_amount is not None:
            ref = f"（{state.reference}）" if state.reference else ""
            out.append(ContractCost(c, Decimal(state.approved_amount), f"结算审定金额{ref}"))
        else:
            out.append(ContractCost(c, paid.get(c.pk, ZERO), "已支付金额（结算尚未审定）"))
    return out


@dataclass(frozen=True)
class FundRow:
    source: FundingSource
    received: Decimal
    returned: Decimal


@dataclass
class ChecklistRow:
    code: str
    name: str
    document: FinalAccountsDocument | None

    @property
    def item(self) -> rules.ChecklistItem:
        d = self.document
        return rules.ChecklistItem(self.code, self.name, bool(d and d.file), d.missing_reason if d else "")


@dataclass
class Sheet:
    """Everything the final-accounts page shows."""

    project: Any
    fa: FinalAccounts | None
    approval: ApprovalRequest | None
    state: str
    deadline: Deadline
    lines: list[FinalCostLine] = field(default_factory=list)
    funds: list[FundRow] = field(default_factory=list)
    checklist: list[ChecklistRow] = field(default_factory=list)
    extensions: list[FinalAccountsExtension] = field(default_factory=list)
    returns: list[SurplusReturn] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def contract_cost(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.kind == FinalCostLine.Kind.CONTRACT), ZERO)

    @property
    def other_cost(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.kind == FinalCostLine.Kind.OTHER), ZERO)

    @property
    def final_cost(self) -> Decimal:
        if self.fa is not None and not editable(self.state) and self.fa.final_cost is not None:
            return Decimal(self.fa.final_cost)
        return self.contract_cost + self.other_cost

    @property
    def estimate(self) -> Decimal | None:
        return self.project.approved_estimate

    @property
    def budget(self) -> Decimal:
        """预算: the funding sources' indicators (预算指标), or the project's recorded budget where none is registered."""
        total = sum((Decimal(f.source.amount) for f in self.funds), ZERO)
        return total if self.funds else Decimal(self.project.budget_amount or 0)

    @property
    def execution_rate(self) -> Decimal | None:
        return rules.execution_rate(self.final_cost, self.estimate)

    @property
    def execution_rate_text(self) -> str:
        rate = self.execution_rate
        return "—" if rate is None else rules.pct(rate)

    @property
    def budget_rate_text(self) -> str:
        return rules.pct(self.final_cost / self.budget) if self.budget else "—"

    @property
    def over_estimate(self) -> Decimal:
        return rules.over_estimate(self.final_cost, self.estimate)

    @property
    def received(self) -> Decimal:
        return sum((f.received for f in self.funds), ZERO)

    @property
    def surplus(self) -> Decimal:
        return rules.surplus(self.received, self.final_cost)

    @property
    def returned(self) -> Decimal:
        return sum((Decimal(r.amount) for r in self.returns), ZERO)

    @property
    def surplus_problem(self) -> str | None:
        return rules.surplus_return_problem(returned=self.returned, surplus_total=self.surplus)

    @property
    def missing_documents(self) -> list[str]:
        return rules.checklist_missing(r.item for r in self.checklist)

    @property
    def pending_extension(self) -> FinalAccountsExtension | None:
        return next((e for e in self.extensions if e.status == FinalAccountsExtension.Status.REQUESTED), None)

    def submit_problems(self) -> list[str]:
        """What keeps the final accounts from being submitted for approval (empty when it may go)."""
        problems = []
        if not self.lines:
            problems.append("尚无决算费用明细")
        if self.missing_documents:
            problems.append("报送资料未齐（未上传也未说明缺失原因）：" + "、".join(self.missing_documents))
        return problems


def sheet_of(project: Any, *, fa: FinalAccounts | None = None, today: dt.date | None = None) -> Sheet:
    fa = fa if fa is not None else final_accounts_of(project)
    approval = latest_approval(fa)
    state = state_of(fa, approval)
    sheet = Sheet(project=project, fa=fa, approval=approval, state=state, deadline=deadline_of(project, fa))
    sources = FundingSource.objects.filter(project=project)
    returns: list[SurplusReturn] = []
    if fa is not None:
        sheet.lines = list(FinalCostLine.objects.filter(final_accounts=fa).select_related("contract").order_by("kind", "id"))
        documents = {d.code: d for d in FinalAccountsDocument.objects.filter(final_accounts=fa)}
        sheet.checklist = [ChecklistRow(code, name, documents.get(code)) for code, name in rules.DOCUMENT_CHECKLIST]
        sheet.extensions = list(
            FinalAccountsExtension.objects.filter(final_accounts=fa).select_related("requested_by", "decided_by")
        )
        returns = list(SurplusReturn.objects.filter(final_accounts=fa).select_related("source"))
        sheet.returns = returns
    returned_by_source: dict[int, Decimal] = {}
    for r in returns:
        returned_by_source[r.source_id] = returned_by_source.get(r.source_id, ZERO) + Decimal(r.amount)
    sheet.funds = [FundRow(s, received, returned_by_source.get(s.pk, ZERO)) for s, received in source_rows(sources)]
    return sheet


@dataclass(frozen=True)
class ListRow:
    project: Any
    fa: FinalAccounts | None
    state: str
    due: dt.date | None

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def list_rows(projects: list[Any]) -> list[ListRow]:
    """The register: state and due date for a page of projects (four queries whatever the page holds)."""
    from govworks.closeout.selectors.milestones import AFTER_ACCEPTANCE
    from govworks.projects.models import StageTransition

    ids = [p.pk for p in projects]
    fas = {f.project_id: f for f in FinalAccounts.objects.filter(project_id__in=ids)}
    ct = ContentType.objects.get_for_model(FinalAccounts)
    approvals: dict[int, ApprovalRequest] = {}
    for a in ApprovalRequest.objects.filter(
        subject_type=ct, subject_id__in=[f.pk for f in fas.values()], kind=APPROVAL_KIND
    ).order_by("submitted_at", "id"):
        approvals[a.subject_id] = a  # the latest wins
    completions: dict[int, dt.date] = {}
    for pid, at in (
        StageTransition.objects.filter(project_id__in=ids, to_stage__in=AFTER_ACCEPTANCE)
        .order_by("-at")
        .values_list("project_id", "at")
    ):
        completions[pid] = timezone.localdate(at)  # the earliest wins (ordered newest first)
    from govworks.org.models import Agency

    # the agency's own 编报期限 (a parameter an agency may set): the rows in force read once, picked per agency
    agencies = Agency.objects.in_bulk({p.agency_id for p in projects})
    today = timezone.localdate()
    in_force = list(
        RuleParameter.objects.filter(key="final_accounts.deadline_months", effective_from__lte=today).exclude(
            effective_to__lt=today
        )
    )
    months = {}
    for aid, agency in agencies.items():
        row = rule_parameter_pick(in_force, agency)
        if row is None:
            raise DomainError("rule_parameter.missing", "未配置规则参数“竣工财务决算编报期限”，请系统管理员设置后再操作")
        months[aid] = int(parse_value(row.value_type, row.value))
    rows = []
    for p in projects:
        base = months[p.agency_id]
        fa = fas.get(p.pk)
        state = state_of(fa, approvals.get(fa.pk) if fa else None)
        completion = completions.get(p.pk)
        due = (
            rules.final_accounts_due(completion, deadline_months=base, extension_months=fa.extension_months if fa else 0)
            if completion
            else None
        )
        rows.append(ListRow(p, fa, state, due))
    return rows
