"""Writes of the defect-liability period (缺陷责任期) and the deposits.

The period of the main construction contract starts on the 合格 conclusion and runs the contract's months
(``qdep.defect_period_max_months`` at most; ``qdep.defect_period_default_months`` when the contract names none).
Defects reported during it go to the contractor as rectification notices (construction's loop). At its end the
quality deposit is returned less the cost of defects the contractor did not repair — each deduction with its
reason and amount — as a payment request of the 质保金返还 kind through finance's own service and guards. The wage
deposit (工资保证金) is returned after the contractor's pledge of no arrears was published for the rule's days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from govworks.closeout import permissions_acceptance as perms
from govworks.closeout import rules_acceptance as rules
from govworks.closeout.models import (
    Acceptance,
    DefectPeriod,
    DefectReport,
    DepositDeduction,
    DepositReturn,
    WageDepositReturn,
)
from govworks.construction.models import RectificationNotice
from govworks.construction.selectors.parties import site_parties
from govworks.construction.services.inspections import notice_issue
from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.core.money import yuan_text
from govworks.core.rule_parameters import rule_value
from govworks.finance.models import FundingSource, PaymentRequest, WageDeposit
from govworks.finance.selectors.settlements import settlement_state_for
from govworks.finance.services.payments import payment_request_create
from govworks.org.models import User
from govworks.procurement.models import ChangeOrder, Contract, PaymentMilestone


def _require_manage(actor: Any, project: Any) -> None:
    if not perms.may_manage(actor, project):
        raise PermissionDenied("只有项目所属单位的工程管理岗或科室负责人可以管理缺陷责任期")


def defect_period_start(*, actor: User, acceptance: Acceptance) -> DefectPeriod | None:
    """Start the period of the project's main construction contract on the 合格 conclusion (called by
    ``acceptance_conclude`` inside its transaction). None when the project has no signed main contract."""
    project = acceptance.project
    contract = site_parties(project).contractor
    if contract is None or acceptance.concluded_on is None:
        return None
    if DefectPeriod.objects.filter(contract=contract).exists():
        return None
    on = acceptance.concluded_on
    maximum = int(rule_value("qdep.defect_period_max_months", agency=project.agency, on=on))
    months = int(contract.defect_period_months or rule_value("qdep.defect_period_default_months", agency=project.agency, on=on))
    problem = rules.defect_months_problem(months, maximum=maximum)
    if problem:
        raise DomainError("closeout.defect_months", f"合同{contract.number}：{problem}")
    period = DefectPeriod.objects.create(
        project=project,
        contract=contract,
        acceptance=acceptance,
        starts_on=on,
        months=months,
        ends_on=rules.add_months(on, months),
    )
    audit_event_record(
        actor=actor,
        action="closeout.defect_period.start",
        obj=period,
        agency=project.agency,
        context=project,
        summary=f"{project.code} 合同{contract.number}缺陷责任期起算：{period.starts_on:%Y-%m-%d}起{months}个月，{period.ends_on:%Y-%m-%d}期满",
    )
    return period


def defect_report(
    *,
    actor: User,
    period: DefectPeriod,
    finding: str,
    location: str = "",
    deadline: dt.date | None = None,
    severity: str = RectificationNotice.Severity.GENERAL,
) -> DefectReport:
    """报修: a defect found during the period goes to the contractor as a rectification notice with a deadline."""
    project = period.project
    _require_manage(actor, project)
    today = timezone.localdate()
    if today > period.ends_on:
        raise DomainError("closeout.defect_after", f"缺陷责任期已于{period.ends_on:%Y-%m-%d}期满，不能再报修")
    with transaction.atomic():
        period = DefectPeriod.objects.select_for_update().get(pk=period.pk)
        if period.status != DefectPeriod.Status.RUNNING:
            raise DomainError("closeout.defect_state", f"质量保证金已核定返还（{period.get_status_display()}），不能再报修")
        notice = notice_issue(
            actor=actor,
            project=project,
            finding=finding,
            severity=severity,
            deadline=deadline,
            requirement="缺陷责任期内施工单位负责维修并承担费用（建质〔2017〕138号第九条）",
            responsible_org=period.contract.supplier.external_org,
            responsible_party=period.contract.supplier.name,
            source=RectificationNotice.Source.DEFECT,
        )
        report = DefectReport.objects.create(period=period, notice=notice, location=(location or "").strip()[:120])
        audit_event_record(
            actor=actor,
            action="closeout.defect.report",
            obj=period,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 缺陷报修{notice}：{notice.finding[:80]}，{notice.deadline:%Y-%m-%d}前修复",
        )
    return report


def deposit_base(contract: Contract) -> tuple[Decimal, str]:
    """The quality deposit held on ``contract`` and how it was computed: the approved settlement amount (结算审定
    金额) times the contract's ratio once approved, else the contract amount with approved changes."""
    ratio = Decimal(contract.quality_deposit_ratio)
    state = settlement_state_for(contract)
    if state.approved_amount is not None:
        base, what = Decimal(state.approved_amount), "结算审定金额"
    else:
        changes = ChangeOrder.objects.filter(contract=contract, status=ChangeOrder.Status.APPROVED).aggregate(s=Sum("amount"))[
            "s"
        ]
        base, what = Decimal(contract.amount) + Decimal(changes or 0), "合同价款（含已批准变更）"
    deposit = (base * ratio).quantize(Decimal("0.01"))
    return deposit, f"{what} {yuan_text(base)} × 质量保证金比例 {ratio * 100:.2f}%"


@dataclass(frozen=True)
class Deduction:
    reason: str
    amount: Decimal
    defect: DefectReport | None = None


def deposit_return_prepare(*, actor: User, period: DefectPeriod, deductions: Sequence[Deduction]) -> DepositReturn:
    """核定质量保证金返还 at the end of the period: every defect still not verified (销项) needs a deduction for the
    cost of its repair, each deduction a reason and a positive amount, their total no more than the deposit. May be
    done again until the payment request is raised."""
    project = period.project
    _require_manage(actor, project)
    today = timezone.localdate()
    if today < period.ends_on:
        raise DomainError(
            "closeout.deposit_early",
            f"缺陷责任期未满（期满日 {period.ends_on:%Y-%m-%d}，今天 {today:%Y-%m-%d}），不能核定保证金返还",
        )
    for d in deductions:
        if len(d.reason.strip()) < 2:
            raise DomainError("closeout.deduction_reason", "每项扣除须写明理由", field="deductions")
        if d.amount is None or d.amount <= 0:
            raise DomainError("closeout.deduction_amount", f"扣除金额须大于0：{d.reason}", field="deductions")
        if d.defect is not None and d.defect.period_id != period.pk:
            raise DomainError("closeout.deduction_defect", "扣除所列缺陷不属于本缺陷责任期", field="deductions")
    with transaction.atomic():
        period = DefectPeriod.objects.select_for_update().select_related("contract").get(pk=period.pk)
        if period.status == DefectPeriod.Status.RETURN_REQUESTED:
            raise DomainError("closeout.deposit_requested", "质量保证金返还已申请付款，不能再核定")
        open_defects = list(
            DefectReport.objects.filter(period=period)
            .exclude(notice__status=RectificationNotice.Status.CLOSED)
            .select_related("notice")
        )
        covered = {d.defect.pk for d in deductions if d.defect is not None}
        uncovered = [r.notice.number for r in open_defects if r.pk not in covered]
        if uncovered:
            raise DomainError(
                "closeout.deposit_uncovered",
                "缺陷责任期内未修复的缺陷须由保证金扣除维修费用（建质〔2017〕138号第九条）："
                + "、".join(uncovered)
                + "尚未列明扣除",
                field="deductions",
            )
        deposit, basis = deposit_base(period.contract)
        total, back = rules.deposit_return_amount(deposit, [d.amount for d in deductions])
        if back < 0:
            raise DomainError(
                "closeout.deposit_exceeded",
                f"扣除合计 {yuan_text(total)} 超过质量保证金 {yuan_text(deposit)}（{basis}）",
                field="deductions",
            )
        row, _ = DepositReturn.objects.update_or_create(
            period=period,
            defaults={
                "deposit_amount": deposit,
                "deductions_total": total,
                "return_amount": back,
                "basis": basis[:200],
                "prepared_by": actor,
                "prepared_on": today,
            },
        )
        row.deductions.all().delete()
        DepositDeduction.objects.bulk_create(
            [
                DepositDeduction(deposit_return=row, defect=d.defect, reason=d.reason.strip()[:200], amount=d.amount)
                for d in deductions
            ]
        )
        period.status = DefectPeriod.Status.RETURN_PREPARED
        period.save(update_fields=["status"])
        audit_event_record(
            actor=actor,
            action="closeout.deposit.prepare",
            obj=period,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 核定质量保证金返还：保证金 {yuan_text(deposit)}，扣除 {yuan_text(total)}"
            f"（{len(deductions)}项），应返还 {yuan_text(back)}",
            changes={"return_amount": {"before": None, "after": back}},
        )
    return row


def deposit_return_request(*, actor: User, period: DefectPeriod, source: FundingSource) -> DepositReturn:
    """Raise the deposit's payment request (质保金返还) against the contract's return milestone through finance's
    ``payment_request_create``: its permission, its guards at submission (settlement paid, period ended, funds,
    freeze, payee) apply unchanged."""
    project = period.project
    _require_manage(actor, project)
    with transaction.atomic():
        period = DefectPeriod.objects.select_for_update().select_related("contract").get(pk=period.pk)
        row = DepositReturn.objects.filter(period=period).first()
        if row is None or period.status != DefectPeriod.Status.RETURN_PREPARED:
            raise DomainError("closeout.deposit_not_prepared", "请先核定质量保证金返还金额")
        if row.return_amount <= 0:
            raise DomainError("closeout.deposit_nothing", f"质量保证金已全部扣除（{yuan_text(row.deductions_total)}），无需返还")
        milestone = PaymentMilestone.objects.filter(contract=period.contract, kind=PaymentMilestone.Kind.RETENTION_RETURN).first()
        if milestone is None:
            raise DomainError(
                "closeout.deposit_milestone", f"合同{period.contract.number}未约定质保金返还付款节点", field="source"
            )
        request: PaymentRequest = payment_request_create(
            actor=actor,
            milestone=milestone,
            source=source,
            gross_amount=row.return_amount,
            advance_offset=Decimal("0"),
            purpose=f"返还质量保证金（缺陷责任期{period.ends_on:%Y-%m-%d}期满，扣除{yuan_text(row.deductions_total)}）",
        )
        row.payment_request = request
        row.save(update_fields=["payment_request"])
        period.status = DefectPeriod.Status.RETURN_REQUESTED
        period.save(update_fields=["status"])
        audit_event_record(
            actor=actor,
            action="closeout.deposit.request",
            obj=period,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 质量保证金返还申请付款{request.number}：{yuan_text(row.return_amount)}",
        )
    return row


def wage_deposit_return_start(
    *, actor: User, period: DefectPeriod, deposit: WageDeposit, pledge_note: str, publicity_from: dt.date
) -> WageDepositReturn:
    """Start the wage deposit's return: the contractor's pledge of no wage arrears, published from ``publicity_from``
    for ``wage.deposit_return_publicity_days``. Only for the contract's own deposit, once the works passed acceptance."""
    project = period.project
    _require_manage(actor, project)
    if deposit.contract_id != period.contract_id:
        raise DomainError("closeout.wage_contract", "该工资保证金不属于本项目的施工合同", field="deposit")
    if len((pledge_note or "").strip()) < 4:
        raise DomainError("closeout.wage_pledge", "请填写施工单位无拖欠农民工工资的承诺及公示方式", field="pledge_note")
    if publicity_from < period.starts_on or publicity_from > timezone.localdate():
        raise DomainError(
            "closeout.wage_publicity_date",
            f"公示开始日期须在竣工验收合格（{period.starts_on:%Y-%m-%d}）之后且不晚于今天",
            field="publicity_from",
        )
    days = int(rule_value("wage.deposit_return_publicity_days", agency=project.agency, on=publicity_from))
    with transaction.atomic():
        if WageDepositReturn.objects.filter(deposit=deposit).exists():
            raise DomainError("closeout.wage_started", "该工资保证金已登记返还公示", field="deposit")
        row = WageDepositReturn.objects.create(
            deposit=deposit,
            period=period,
            publicity_from=publicity_from,
            publicity_days=days,
            pledge_note=pledge_note.strip()[:200],
            started_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="closeout.wage_deposit.publicise",
            obj=row,
            agency=project.agency,
            context=project,
            summary=f"{project.code} {deposit}返还公示：{publicity_from:%Y-%m-%d}起{days}天，"
            f"{rules.publicity_ends_on(publicity_from, days):%Y-%m-%d}后可返还",
        )
    return row


def wage_deposit_return_record(*, actor: User, row: WageDepositReturn, returned_on: dt.date, reference: str) -> WageDepositReturn:
    """Record the wage deposit's return (the bank's release), refused before the publicity period ended."""
    project = row.period.project
    _require_manage(actor, project)
    ends = rules.publicity_ends_on(row.publicity_from, row.publicity_days)
    if returned_on < ends:
        raise DomainError(
            "closeout.wage_publicity",
            f"工资保证金返还前公示期{row.publicity_days}天：{row.publicity_from:%Y-%m-%d}起公示，{ends:%Y-%m-%d}起方可返还",
            field="returned_on",
        )
    if returned_on > timezone.localdate():
        raise DomainError("closeout.wage_return_date", "返还日期不能晚于今天", field="returned_on")
    if len((reference or "").strip()) < 2:
        raise DomainError("closeout.wage_reference", "请填写银行返还凭证或保函解除文件编号", field="reference")
    with transaction.atomic():
        row = WageDepositReturn.objects.select_for_update().select_related("deposit").get(pk=row.pk)
        if row.returned_on is not None:
            raise DomainError("closeout.wage_returned", f"已于{row.returned_on:%Y-%m-%d}返还")
        row.returned_on, row.return_reference, row.returned_by = returned_on, reference.strip()[:60], actor
        row.save(update_fields=["returned_on", "return_reference", "returned_by"])
        audit_event_record(
            actor=actor,
            action="closeout.wage_deposit.return",
            obj=row,
            agency=project.agency,
            context=project,
            summary=f"{project.code} {row.deposit}已返还：{returned_on:%Y-%m-%d}，凭证{row.return_reference}",
        )
    return row
