"""The procurement module's 三重一大 subjects (registered from ``ProcurementConfig.ready``), the objects
``services.contracts`` demands a passed collective decision on:

* ``contract`` — a draft contract whose amount reaches ``tzyd.large_fund_min_amount`` (before signing);
* ``change`` — a submitted change order that needs the higher approval (cumulative changes above
  ``change.reapproval_cumulative_ratio`` of the contract, or the project's cost above its approved estimate).

Each kind gives the meeting its candidates (from the visible projects, one query), why an object does not
await a decision, and the facts shown on the agenda (amount, ratio, supplier, project)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from govworks.core.money import percent_text, yuan_text
from govworks.core.registry import DecisionFact, DecisionSubjectFacts, DecisionSubjectKind, register_decision_subject
from govworks.procurement.models import ChangeOrder, Contract
from govworks.procurement.selectors.contracts import contract_params
from govworks.projects.models import AgendaItem
from govworks.projects.permissions import projects_visible_to

THRESHOLD_NAME = "三重一大大额资金起点"
CHANGE_RATIO_NAME = "累计变更需重新审批比例"


# ---------------------------------------------------------------------------------------- contracts


def _contracts(qs: QuerySet[Contract]) -> QuerySet[Contract]:
    return qs.select_related("project", "project__agency", "supplier", "lot")


def contracts_visible_to(user: Any) -> QuerySet[Contract]:
    """Contracts of the projects ``user`` may see."""
    return Contract.objects.filter(project__in=projects_visible_to(user))


def contract_candidates(user: Any, agency: Any) -> QuerySet[Contract]:
    """The agency's draft contracts ``user`` may see whose amount reaches ``tzyd.large_fund_min_amount``."""
    threshold = contract_params(agency).large_fund_min_amount
    qs = contracts_visible_to(user).filter(project__agency_id=agency.pk, status=Contract.Status.DRAFT, amount__gte=threshold)
    return _contracts(qs).order_by("project__code", "number")


def contract_problem(contract: Contract) -> str:
    """A contract awaits the decision while a draft whose amount reaches the agency's threshold."""
    if contract.status != Contract.Status.DRAFT:
        return f"合同{contract}已签订，不再需要签订前的集体决策"
    threshold = contract_params(contract.project.agency).large_fund_min_amount
    amount = Decimal(contract.amount)
    if amount < threshold:
        return f"合同金额 {yuan_text(amount)} 未达到{THRESHOLD_NAME} {yuan_text(threshold)}，无须集体决策"
    return ""


def contract_facts(contract: Contract) -> DecisionSubjectFacts:
    """合同、项目、供应商、合同金额、采购方式."""
    lot = contract.lot
    return DecisionSubjectFacts(
        title=f"合同{contract.number}《{contract.title}》签订",
        amount=Decimal(contract.amount),
        facts=(
            DecisionFact("合同", f"{contract.number}《{contract.title}》"),
            DecisionFact("项目", f"{contract.project.code} {contract.project.name}"),
            DecisionFact("供应商", contract.supplier.name),
            DecisionFact("合同金额", yuan_text(Decimal(contract.amount))),
            DecisionFact("采购方式", lot.get_method_display() if lot.method else "—"),
        ),
        url=reverse("procurement:contract_detail", args=[contract.pk]),
    )


CONTRACT = DecisionSubjectKind(
    key="contract",
    label="合同签订",
    model=Contract,
    category=AgendaItem.Category.LARGE_FUND,
    candidates=contract_candidates,
    problem=contract_problem,
    facts=contract_facts,
    queryset=lambda: _contracts(Contract.objects.all()),
    visible_to=contracts_visible_to,
    agency_id=lambda contract: int(contract.project.agency_id),
    project=lambda contract: contract.project,
    order=30,
)


# ---------------------------------------------------------------------------------------- change orders


def _changes(qs: QuerySet[ChangeOrder]) -> QuerySet[ChangeOrder]:
    return qs.select_related("contract", "contract__project", "contract__project__agency", "contract__supplier")


def changes_visible_to(user: Any) -> QuerySet[ChangeOrder]:
    """Change orders of the projects ``user`` may see."""
    return ChangeOrder.objects.filter(contract__project__in=projects_visible_to(user))


def change_candidates(user: Any, agency: Any) -> QuerySet[ChangeOrder]:
    """The agency's submitted change orders ``user`` may see that need the higher approval and decision."""
    qs = changes_visible_to(user).filter(
        contract__project__agency_id=agency.pk, status=ChangeOrder.Status.SUBMITTED, requires_higher_approval=True
    )
    return _changes(qs).order_by("contract__project__code", "contract__number", "seq")


def change_problem(change: ChangeOrder) -> str:
    """A change awaits the decision once submitted, when it was found to need the higher approval."""
    if change.status != ChangeOrder.Status.SUBMITTED:
        return f"合同{change.contract.number} {change}当前为“{change.get_status_display()}”；变更提交审批后方可列入议题"
    if not change.requires_higher_approval:
        limit = contract_params(change.contract.project.agency).reapproval_cumulative_ratio
        return (
            f"合同{change.contract.number} {change}累计变更比例 {percent_text(Decimal(change.cumulative_ratio_after))} "
            f"未超过{CHANGE_RATIO_NAME} {percent_text(limit)}，且未超出批复概算，无须集体决策"
        )
    return ""


def change_facts(change: ChangeOrder) -> DecisionSubjectFacts:
    """合同、项目、供应商、变更金额、累计变更比例（含本次）、类别与原因."""
    contract = change.contract
    return DecisionSubjectFacts(
        title=f"合同{contract.number}{change}",
        amount=Decimal(change.amount),
        facts=(
            DecisionFact("合同", f"{contract.number}《{contract.title}》，合同金额 {yuan_text(Decimal(contract.amount))}"),
            DecisionFact("项目", f"{contract.project.code} {contract.project.name}"),
            DecisionFact("供应商", contract.supplier.name),
            DecisionFact("变更金额", yuan_text(Decimal(change.amount))),
            DecisionFact("累计变更比例（含本次）", percent_text(Decimal(change.cumulative_ratio_after))),
            DecisionFact("变更原因", f"{change.get_category_display()}：{change.reason}"),
        ),
        url=reverse("procurement:contract_detail", args=[contract.pk]),
    )


CHANGE = DecisionSubjectKind(
    key="change",
    label="重大变更",
    model=ChangeOrder,
    category=AgendaItem.Category.LARGE_FUND,
    candidates=change_candidates,
    problem=change_problem,
    facts=change_facts,
    queryset=lambda: _changes(ChangeOrder.objects.all()),
    visible_to=changes_visible_to,
    agency_id=lambda change: int(change.contract.project.agency_id),
    project=lambda change: change.contract.project,
    order=40,
)


def register() -> None:
    """Called from ``ProcurementConfig.ready``."""
    register_decision_subject(CONTRACT)
    register_decision_subject(CHANGE)
