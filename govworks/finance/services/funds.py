"""Writes of funds (资金来源 with its budget indicator, 资金到位) — 财务 — and of the cost items of the
approved estimate with the contracts charged to them — 工程管理岗/科室负责人/财务. Each in one transaction
with one audit event in the project's timeline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.finance import permissions as perms
from govworks.finance.models import ContractAllocation, CostItem, FundingSource, FundKind, FundReceipt
from govworks.org import permissions as org_perms
from govworks.org.models import User
from govworks.procurement.models import Contract
from govworks.projects.models import Project


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f} 元"


def funding_source_create(
    *,
    actor: User,
    project: Project,
    kind: str,
    name: str,
    budget_year: int,
    indicator_number: str,
    functional_class: str,
    economic_class: str,
    amount: Decimal,
) -> FundingSource:
    """Register a funding source of ``project`` with its budget indicator. Refused: no 财务 role, an
    unknown kind, a non-positive amount, an indicator number already used on the project."""
    org_perms.require(actor, perms.FUND_MANAGE, project.agency_id)
    if kind not in FundKind.values:
        raise DomainError("finance.source_kind", "请选择资金性质", field="kind")
    if amount is None or amount <= 0:
        raise DomainError("finance.source_amount", "指标金额须大于0", field="amount")
    indicator_number = (indicator_number or "").strip()
    if not indicator_number:
        raise DomainError("finance.source_indicator", "请填写预算指标文号", field="indicator_number")
    with transaction.atomic():
        locked = Project.objects.select_for_update().select_related("agency").get(pk=project.pk)
        if FundingSource.objects.filter(project=locked, indicator_number=indicator_number).exists():
            raise DomainError("finance.source_duplicate", f"预算指标 {indicator_number} 已登记在本项目", field="indicator_number")
        row = FundingSource.objects.create(
            project=locked,
            kind=kind,
            name=(name or "").strip() or FundKind(kind).label,
            budget_year=budget_year,
            indicator_number=indicator_number,
            functional_class=functional_class.strip(),
            economic_class=economic_class.strip(),
            amount=amount,
            created_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="finance.source.create",
            obj=row,
            agency=locked.agency,
            context=locked,
            summary=f"{locked.code} 登记资金来源{row}：{_yuan(amount)}（{budget_year}年度）",
            changes={"amount": {"before": None, "after": amount}},
        )
    return row


def fund_receipt_record(
    *, actor: User, source: FundingSource, received_on: dt.date, amount: Decimal, document_number: str, note: str = ""
) -> FundReceipt:
    """Record funds received (到位) on ``source``. Refused: a future date, a non-positive amount, and
    receipts that would together exceed the source's indicator (the numbers named)."""
    project = Project.objects.select_related("agency").get(pk=source.project_id)
    org_perms.require(actor, perms.FUND_MANAGE, project.agency_id)
    if received_on > timezone.localdate():
        raise DomainError("finance.receipt_future", "到位日期不能晚于今天", field="received_on")
    if amount is None or amount <= 0:
        raise DomainError("finance.receipt_amount", "到位金额须大于0", field="amount")
    if not (document_number or "").strip():
        raise DomainError("finance.receipt_document", "请填写拨款文件或凭证号", field="document_number")
    with transaction.atomic():
        locked = FundingSource.objects.select_for_update().get(pk=source.pk)
        before = Decimal(FundReceipt.objects.filter(source=locked).aggregate(s=Sum("amount"))["s"] or 0)
        if before + amount > locked.amount:
            raise DomainError(
                "finance.receipt_over",
                f"累计到位 {_yuan(before + amount)}（已到位 {_yuan(before)} + 本次 {_yuan(amount)}）将超过指标金额 {_yuan(Decimal(locked.amount))}",
                field="amount",
            )
        row = FundReceipt.objects.create(
            source=locked,
            received_on=received_on,
            amount=amount,
            document_number=document_number.strip(),
            note=note.strip(),
            recorded_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="finance.receipt.record",
            obj=row,
            agency=project.agency,
            context=project,
            summary=f"{project.code} {locked.name}到位 {_yuan(amount)}（{received_on:%Y-%m-%d}，{row.document_number}）",
        )
    return row


def cost_item_create(*, actor: User, project: Project, code: str, name: str, estimate_amount: Decimal) -> CostItem:
    """Add a line of the approved estimate. Refused: the items would together exceed the project's
    approved estimate (when recorded), a duplicate code, a negative amount."""
    org_perms.require(actor, perms.COST_MANAGE, project.agency_id)
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise DomainError("finance.cost_item_name", "请填写科目编码和名称", field="name")
    if estimate_amount is None or estimate_amount < 0:
        raise DomainError("finance.cost_item_amount", "概算金额不能为负", field="estimate_amount")
    with transaction.atomic():
        locked = Project.objects.select_for_update().select_related("agency").get(pk=project.pk)
        if CostItem.objects.filter(project=locked, code=code).exists():
            raise DomainError("finance.cost_item_duplicate", f"科目编码 {code} 已存在", field="code")
        if locked.approved_estimate is not None:
            total = Decimal(CostItem.objects.filter(project=locked).aggregate(s=Sum("estimate_amount"))["s"] or 0)
            if total + estimate_amount > locked.approved_estimate:
                raise DomainError(
                    "finance.cost_item_over_estimate",
                    f"成本科目合计 {_yuan(total + estimate_amount)} 将超过批复概算 {_yuan(Decimal(locked.approved_estimate))}",
                    field="estimate_amount",
                )
        row = CostItem.objects.create(project=locked, code=code, name=name, estimate_amount=estimate_amount, created_by=actor)
        audit_event_record(
            actor=actor,
            action="finance.cost_item.create",
            obj=row,
            agency=locked.agency,
            context=locked,
            summary=f"{locked.code} 成本科目 {row}：概算 {_yuan(estimate_amount)}",
        )
    return row


def contract_allocate(*, actor: User, contract: Contract, cost_item: CostItem) -> ContractAllocation:
    """Charge ``contract`` to ``cost_item`` (same project); moving it to another item is recorded."""
    project = Project.objects.select_related("agency").get(pk=contract.project_id)
    org_perms.require(actor, perms.COST_MANAGE, project.agency_id)
    if cost_item.project_id != project.pk:
        raise DomainError("finance.allocation_project", f"成本科目{cost_item}不属于项目{project.code}", field="cost_item")
    with transaction.atomic():
        row = ContractAllocation.objects.select_for_update().filter(contract=contract).first()
        before = row.cost_item_id if row else None
        if row is None:
            row = ContractAllocation.objects.create(contract=contract, cost_item=cost_item)
        else:
            row.cost_item = cost_item
            row.save(update_fields=["cost_item"])
        audit_event_record(
            actor=actor,
            action="finance.contract.allocate",
            obj=row,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 合同{contract.number}归集到成本科目{cost_item}",
            changes={"cost_item": {"before": before, "after": cost_item.pk}},
        )
    return row
