"""Writes of contracts (合同) and change orders (变更/签证). 工程管理岗/科室负责人 of the project's agency
only. Every write runs in one transaction with one audit event in the project's timeline; every refusal
raises before anything is written and names the rule parameter and its number.

* A contract is made from a lot whose method is chosen (allowed direct procurement; the award path will
  add its award) with a supplier that may be awarded: a blacklisted supplier or one whose qualification
  has expired is refused and the refused attempt recorded for 纪检监察 (outside the refused transaction).
* The lot's method binds the contract: an amount the method does not allow is refused naming the method
  and its limit (``rules_methods.contract_method_problem``); an amount above the lot's estimate by more
  than ``contract.lot_estimate_overrun_ratio`` is signed only after the 重大变更审批 approved it and is an
  integrity signal for 纪检监察 (ADR 0010).
* Its terms are checked with ``rules_contracts.contract_terms_problems`` when made and again when signed;
  signing a contract of at least ``tzyd.large_fund_min_amount`` needs a passed collective decision on it.
* Signing the main construction contract satisfies the 合同 stage's gate condition.
* A change order, once submitted, goes to the approval chain "procurement.change" (科室负责人→分管领导→
  主要领导) and needs a passed collective decision when the cumulative changes exceed
  ``change.reapproval_cumulative_ratio`` of the contract or the project's cost exceeds its approved
  estimate; otherwise to "procurement.change_minor" (科室负责人→分管领导). A single-source lot's
  additions together are limited by ``single_source.addon_max_ratio``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from govworks.core.audit import audit_event_record, diff
from govworks.core.audited import snapshot
from govworks.core.errors import DomainError
from govworks.core.numbering import next_document_number
from govworks.core.registry import GateCondition, register_gate_conditions
from govworks.core.rule_seed import rule_name
from govworks.org import permissions as org_perms
from govworks.org.models import User
from govworks.procurement import permissions as perms
from govworks.procurement.models import (
    ChangeCategory,
    ChangeOrder,
    Contract,
    PaymentMilestone,
    PricingType,
    ProcurementLot,
    Responsibility,
    Supplier,
    SupplierBankAccount,
)
from govworks.procurement.rules_contracts import (
    ContractParams,
    ContractTerms,
    MilestoneTerm,
    change_review,
    contract_terms_problems,
    lot_estimate_overrun,
    milestone_problems,
)
from govworks.procurement.rules_methods import Method, contract_method_problem, single_source_addon_problem
from govworks.procurement.selectors.contracts import OVERRUN_APPROVAL_KIND, contract_params, defect_period_default_months
from govworks.procurement.selectors.lots import combined_total, exception_facts, lot_facts
from govworks.procurement.services.integrity import integrity_signals_scan
from govworks.procurement.services.suppliers import supplier_award_problem, supplier_award_refused_record
from govworks.procurement.signals import contract_over_method_report
from govworks.projects.models import ApprovalRequest, Project, Stage
from govworks.projects.services.approvals import KIND_LABELS, approval_submit, approved_request_for
from govworks.projects.services.decisions import check_upload, passed_decision_for

CHANGE_KIND = "procurement.change"
CHANGE_MINOR_KIND = "procurement.change_minor"
KIND_LABELS.update({CHANGE_KIND: "重大变更审批", CHANGE_MINOR_KIND: "变更审批"})

CONTRACT_FIELDS = (
    "title",
    "is_main_construction",
    "amount",
    "pricing_type",
    "starts_on",
    "ends_on",
    "award_notice_on",
    "performance_bond",
    "advance_ratio",
    "progress_ratio",
    "quality_deposit_ratio",
    "defect_period_months",
)
CHANGE_FIELDS = ("category", "reason", "responsibility", "amount", "supervisor_opinion", "designer_opinion")
EVIDENCE_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx")


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f} 元"


def _require(actor: User, project: Project) -> None:
    org_perms.require(actor, perms.CONTRACT_MANAGE, project.agency_id)


def _terms(contract: Contract, *, signed_on: dt.date | None = None) -> ContractTerms:
    return ContractTerms(
        amount=Decimal(contract.amount),
        advance_ratio=Decimal(contract.advance_ratio),
        progress_ratio=Decimal(contract.progress_ratio),
        quality_deposit_ratio=Decimal(contract.quality_deposit_ratio),
        defect_period_months=int(contract.defect_period_months),
        performance_bond=Decimal(contract.performance_bond or 0),
        award_notice_on=contract.award_notice_on,
        signed_on=signed_on,
    )


def _check_terms(contract: Contract, params: ContractParams, *, signed_on: dt.date | None = None) -> None:
    problems = contract_terms_problems(_terms(contract, signed_on=signed_on), params)
    if problems:
        raise DomainError("procurement.contract_terms", "合同条款不符合规定：" + "；".join(problems))


OVERRUN_KIND = OVERRUN_APPROVAL_KIND  # = CHANGE_KIND: a contract above its lot's estimate goes the 重大变更 path


def _check_method(contract: Contract, lot: ProcurementLot, project: Project, params: ContractParams) -> None:
    """The procurement method binds the contract: refuse an amount the lot's method does not allow
    (``rules_methods.contract_method_problem``), naming the method and its limit."""
    lots = list(ProcurementLot.objects.filter(project=project).select_related("legal_exception"))
    problem = contract_method_problem(
        lot_facts(lot, project),
        method=Method(lot.method),
        contract_amount=Decimal(contract.amount),
        params=params.procurement,
        combined_total=combined_total(lot, lots),
        exception=exception_facts(lot.legal_exception),
    )
    if problem:
        raise DomainError("procurement.contract_over_method", f"{lot}：{problem}", field="amount")


def contract_overrun(contract: Contract, params: ContractParams) -> str | None:
    """Why ``contract`` exceeds its lot's estimate by more than ``contract.lot_estimate_overrun_ratio``
    (None when it does not)."""
    return lot_estimate_overrun(
        contract_amount=Decimal(contract.amount),
        lot_estimate=Decimal(contract.lot.estimated_amount),
        max_ratio=params.lot_estimate_overrun_ratio,
    )


def contract_sign_pending(contract: Contract) -> list[str]:
    """What signing ``contract`` still waits for beyond its terms: the higher approval when it exceeds its
    lot's estimate by more than the rule allows, and a passed collective decision at
    ``tzyd.large_fund_min_amount`` and above. [] when nothing."""
    params = contract_params(contract.project.agency)
    waiting: list[str] = []
    overrun = contract_overrun(contract, params)
    if overrun and approved_request_for(contract, OVERRUN_KIND) is None:
        waiting.append(f"{overrun}，须经“重大变更审批”（科室负责人→分管领导→主要领导）批准")
    if Decimal(contract.amount) >= params.large_fund_min_amount and passed_decision_for(contract) is None:
        waiting.append(
            f"合同金额 {_yuan(Decimal(contract.amount))} 达到三重一大大额资金起点 {_yuan(params.large_fund_min_amount)}，"
            "须经集体决策通过"
        )
    return waiting


def contract_overrun_submit(*, actor: User, contract: Contract) -> ApprovalRequest:
    """Send a draft contract that exceeds its lot's estimate by more than ``contract.lot_estimate_overrun_ratio``
    to the higher approval chain (重大变更审批: 科室负责人→分管领导→主要领导). Refused: no role, a signed
    contract, a contract within the ratio, one already in (or through) that approval."""
    _require(actor, contract.project)
    with transaction.atomic():
        row = (
            Contract.objects.select_for_update(of=("self",))
            .select_related("project__agency", "lot", "supplier")
            .get(pk=contract.pk)
        )
        project = row.project
        if row.status != Contract.Status.DRAFT:
            raise DomainError("procurement.contract_state", f"合同{row}已签订")
        overrun = contract_overrun(row, contract_params(project.agency))
        if overrun is None:
            raise DomainError("procurement.contract_no_overrun", f"合同{row}未超出标段估算的报批比例，无需报批")
        request = approval_submit(
            actor=actor,
            agency=project.agency,
            kind=OVERRUN_KIND,
            subject=row,
            title=f"{project.code} 合同{row.number}金额超出标段估算报批（{row.supplier.name}）",
            amount=Decimal(row.amount) - Decimal(row.lot.estimated_amount),
            project=project,
        )
        audit_event_record(
            actor=actor,
            action="procurement.contract.overrun_submit",
            obj=row,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 合同{row}超出标段估算，提交重大变更审批",
            reason=overrun,
        )
    return request


def contract_create(
    *,
    actor: User,
    lot: ProcurementLot,
    supplier: Supplier,
    title: str,
    amount: Decimal,
    pricing_type: str,
    starts_on: dt.date,
    ends_on: dt.date,
    advance_ratio: Decimal,
    progress_ratio: Decimal,
    quality_deposit_ratio: Decimal,
    defect_period_months: int | None = None,
    performance_bond: Decimal = Decimal(0),
    award_notice_on: dt.date | None = None,
    is_main_construction: bool = False,
    award_reference: str = "",
    milestones: Sequence[dict[str, Any]] = (),
    payee_account: SupplierBankAccount | None = None,
) -> Contract:
    """Draft a contract for ``lot`` (its method chosen) with ``supplier``, numbered HT-year-nnnn in the
    project's agency. ``award_notice_on`` defaults to the day the lot's method was decided. ``milestones``:
    dicts of kind, ratio or amount, condition. ``payee_account`` (the only account finance may pay) defaults
    to the supplier's default bank account and must be one of the supplier's. ``defect_period_months``
    defaults to the rule parameter ``qdep.defect_period_default_months``; an ``advance_ratio`` of 0 means no
    advance. Refused: no role, a lot without a method, a supplier that
    may not be awarded (the refusal recorded), terms outside the rules, dates in the wrong order."""
    project = lot.project
    _require(actor, project)
    if defect_period_months is None:
        defect_period_months = defect_period_default_months(project.agency)
    if not lot.method:
        raise DomainError("procurement.contract_lot_method", f"{lot}尚未确定采购方式，不能订立合同", field="lot")
    if award_notice_on is None:
        if lot.method_decided_at is None:
            raise DomainError("procurement.contract_award_date", "请填写中标通知/采购确定日期", field="award_notice_on")
        award_notice_on = timezone.localtime(lot.method_decided_at).date()
    if not (title or "").strip():
        raise DomainError("procurement.contract_title", "请填写合同名称", field="title")
    if pricing_type not in PricingType.values:
        raise DomainError("procurement.contract_pricing", "请选择计价方式（总价或单价）", field="pricing_type")
    if ends_on < starts_on:
        raise DomainError("procurement.contract_dates", "合同结束日期不能早于开始日期", field="ends_on")
    if payee_account is None:
        payee_account = supplier.bank_accounts.order_by("-is_default", "id").first()
    elif payee_account.supplier_id != supplier.pk:
        raise DomainError(
            "procurement.contract_payee_account", f"收款账户 {payee_account} 不属于{supplier.name}", field="payee_account"
        )
    problem = supplier_award_problem(supplier, on=timezone.localdate())
    if problem:
        supplier_award_refused_record(actor=actor, supplier=supplier, project=project, reason=problem)
        raise DomainError("procurement.award_refused", problem, field="supplier")
    try:
        with transaction.atomic():
            locked = Project.objects.select_for_update().select_related("agency").get(pk=project.pk)
            contract = Contract(
                project=locked,
                lot=lot,
                supplier=supplier,
                payee_account=payee_account,
                award_reference=award_reference,
                title=title.strip(),
                is_main_construction=is_main_construction,
                amount=amount,
                pricing_type=pricing_type,
                starts_on=starts_on,
                ends_on=ends_on,
                award_notice_on=award_notice_on,
                performance_bond=performance_bond,
                advance_ratio=advance_ratio,
                progress_ratio=progress_ratio,
                quality_deposit_ratio=quality_deposit_ratio,
                defect_period_months=defect_period_months,
                created_by=actor,
            )
            params = contract_params(locked.agency)
            _check_terms(contract, params)
            _check_method(contract, lot, locked, params)
            contract.number = next_document_number(
                agency=locked.agency, key="contract", year=timezone.localdate().year, word="HT"
            )
            contract.full_clean()
            contract.save()
            PaymentMilestone.objects.bulk_create(_milestone_rows(contract, milestones))
            audit_event_record(
                actor=actor,
                action="procurement.contract.create",
                obj=contract,
                agency=locked.agency,
                context=locked,
                summary=f"{locked.code} 起草合同{contract}（{supplier.name}，{_yuan(Decimal(contract.amount))}）",
                changes=diff({}, snapshot(contract, CONTRACT_FIELDS)),
            )
    except DomainError as err:
        if err.code == "procurement.contract_over_method":  # the refused attempt, for 纪检监察 (after the rollback)
            contract_over_method_report(actor=actor, lot=lot, supplier=supplier, amount=Decimal(amount), problem=err.message)
        raise
    integrity_signals_scan(locked, actor=actor)
    return contract


def _milestone_rows(contract: Contract, milestones: Sequence[dict[str, Any]]) -> list[PaymentMilestone]:
    """The milestones as rows of ``contract``, refused (DomainError naming each problem) when they do not
    agree with the contract's terms (``rules_contracts.milestone_problems``)."""
    drafted = [
        MilestoneTerm(
            kind=str(m.get("kind", "")),
            ratio=None if m.get("ratio") is None else Decimal(m["ratio"]),
            amount=None if m.get("amount") is None else Decimal(m["amount"]),
            condition=str(m.get("condition", "")),
        )
        for m in milestones
    ]
    problems = milestone_problems(drafted, _terms(contract))
    if problems:
        raise DomainError("procurement.milestones", "付款节点不符合合同条款：" + "；".join(problems), field="milestones")
    return [
        PaymentMilestone(contract=contract, seq=i, kind=m.kind, ratio=m.ratio, amount=m.amount, condition=m.condition.strip())
        for i, m in enumerate(drafted, start=1)
    ]


def contract_milestones_replace(
    *, actor: User, contract: Contract, milestones: Sequence[dict[str, Any]]
) -> list[PaymentMilestone]:
    """Replace the payment milestones of a contract that is still a draft (after signing they are what
    was signed). Each milestone: kind, ratio or amount, condition; checked against the contract's terms.
    Refused with every problem named; a refusal changes nothing."""
    _require(actor, contract.project)
    with transaction.atomic():
        row = Contract.objects.select_for_update(of=("self",)).select_related("project__agency").get(pk=contract.pk)
        if row.status != Contract.Status.DRAFT:
            raise DomainError("procurement.contract_state", f"合同{row}已签订，付款节点不能再修改（请办理变更/签证）")
        before = [f"{m.seq}.{m.get_kind_display()} {m.ratio_text} {m.amount or ''} {m.condition}" for m in row.milestones.all()]
        rows = _milestone_rows(row, milestones)
        PaymentMilestone.objects.filter(contract=row).delete()
        PaymentMilestone.objects.bulk_create(rows)
        after = [f"{m.seq}.{m.get_kind_display()} {m.ratio_text} {m.amount or ''} {m.condition}" for m in rows]
        audit_event_record(
            actor=actor,
            action="procurement.contract.milestones",
            obj=row,
            agency=row.project.agency,
            context=row.project,
            summary=f"{row.project.code} 修改合同{row}的付款节点（{len(rows)} 个）",
            changes={"milestones": {"before": before, "after": after}},
        )
    return rows


def contract_sign(*, actor: User, contract: Contract, signed_on: dt.date) -> Contract:
    """Sign ``contract`` on ``signed_on``: the terms are checked again (signing within
    ``bid.contract_sign_max_days`` of the award included); a contract of at least
    ``tzyd.large_fund_min_amount`` needs a passed collective decision on it."""
    _require(actor, contract.project)
    if signed_on > timezone.localdate():
        raise DomainError("procurement.contract_sign_future", "签订日期不能晚于今天", field="signed_on")
    with transaction.atomic():
        row = (
            Contract.objects.select_for_update(of=("self",))
            .select_related("project", "project__agency", "lot")
            .get(pk=contract.pk)
        )
        if row.status != Contract.Status.DRAFT:
            raise DomainError("procurement.contract_state", f"合同{row}已签订")
        params = contract_params(row.project.agency)
        _check_terms(row, params, signed_on=signed_on)
        lot = ProcurementLot.objects.select_related("legal_exception").get(pk=row.lot_id)
        _check_method(row, lot, row.project, params)
        overrun = contract_overrun(row, params)
        if overrun and approved_request_for(row, OVERRUN_KIND) is None:
            raise DomainError(
                "procurement.contract_overrun",
                f"{overrun}，须经“重大变更审批”（科室负责人→分管领导→主要领导）批准后方可签订",
            )
        if Decimal(row.amount) >= params.large_fund_min_amount and passed_decision_for(row) is None:
            raise DomainError(
                "procurement.contract_decision",
                f"合同金额 {_yuan(Decimal(row.amount))} 达到“{rule_name('tzyd.large_fund_min_amount')}”{_yuan(params.large_fund_min_amount)}，"
                "须经集体决策通过后方可签订",
            )
        row.status, row.signed_on = Contract.Status.SIGNED, signed_on
        row.save(update_fields=["status", "signed_on"])
        audit_event_record(
            actor=actor,
            action="procurement.contract.sign",
            obj=row,
            agency=row.project.agency,
            context=row.project,
            summary=f"{row.project.code} 签订合同{row}（{signed_on:%Y-%m-%d}）",
            changes={"status": {"before": "draft", "after": "signed"}},
        )
    return row


def _contract_gate(project: Any) -> list[GateCondition]:
    main = (
        Contract.objects.filter(project=project, is_main_construction=True, status=Contract.Status.SIGNED)
        .order_by("signed_on")
        .first()
    )
    return [
        GateCondition(
            "contract:main_signed",
            "主体施工合同已签订",
            main is not None,
            f"已签订{main}（{main.signed_on:%Y-%m-%d}）" if main is not None and main.signed_on else "尚未签订主体施工合同",
            reverse("procurement:contract_list") + f"?project={project.pk}",
        )
    ]


register_gate_conditions(Stage.CONTRACT, _contract_gate)


def _project_total(project: Project) -> Decimal:
    """Every contract of the project with its changes not rejected (submitted or approved)."""
    contracts = Contract.objects.filter(project=project).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    changes = ChangeOrder.objects.filter(
        contract__project=project, status__in=[ChangeOrder.Status.SUBMITTED, ChangeOrder.Status.APPROVED]
    ).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    return Decimal(contracts) + Decimal(changes)


def change_create(
    *,
    actor: User,
    contract: Contract,
    category: str,
    reason: str,
    responsibility: str,
    amount: Decimal,
    supervisor_opinion: str = "",
    designer_opinion: str = "",
    evidence: UploadedFile | None = None,
) -> ChangeOrder:
    """Draft a change order of a signed contract with its reason, category, responsibility, amount (may
    be negative), evidence and the opinions of the supervising engineer and the designer."""
    _require(actor, contract.project)
    if category not in ChangeCategory.values:
        raise DomainError("procurement.change_category", "请选择变更类别", field="category")
    if responsibility not in Responsibility.values:
        raise DomainError("procurement.change_responsibility", "请选择责任归属", field="responsibility")
    if not (reason or "").strip():
        raise DomainError("procurement.change_reason", "请填写变更原因", field="reason")
    if evidence is not None:
        check_upload(evidence, field="evidence", types=EVIDENCE_TYPES)
    with transaction.atomic():
        row = Contract.objects.select_for_update().select_related("project", "project__agency").get(pk=contract.pk)
        if row.status != Contract.Status.SIGNED:
            raise DomainError("procurement.change_unsigned", f"合同{row}尚未签订，不能办理变更")
        last = ChangeOrder.objects.filter(contract=row).order_by("-seq").values_list("seq", flat=True).first() or 0
        change = ChangeOrder(
            contract=row,
            seq=last + 1,
            category=category,
            reason=reason.strip(),
            responsibility=responsibility,
            amount=amount,
            supervisor_opinion=supervisor_opinion,
            designer_opinion=designer_opinion,
            created_by=actor,
        )
        if evidence is not None:
            change.evidence = evidence
        change.save()
        audit_event_record(
            actor=actor,
            action="procurement.change.create",
            obj=change,
            agency=row.project.agency,
            context=row.project,
            summary=f"{row.project.code} 合同{row}登记{change}（{_yuan(Decimal(change.amount))}）",
            changes=diff({}, snapshot(change, CHANGE_FIELDS)),
        )
    return change


def change_submit(*, actor: User, change: ChangeOrder) -> ChangeOrder:
    """Submit a drafted change: its cumulative ratio is computed and kept; a single-source lot's additions
    are checked against ``single_source.addon_max_ratio``; the approval chain is started (the higher one
    when the cumulative changes exceed ``change.reapproval_cumulative_ratio`` or the approved estimate)."""
    contract = change.contract
    _require(actor, contract.project)
    with transaction.atomic():
        project = Project.objects.select_for_update().select_related("agency").get(pk=contract.project_id)
        row = ChangeOrder.objects.select_for_update().select_related("contract", "contract__lot").get(pk=change.pk)
        if row.status != ChangeOrder.Status.DRAFT:
            raise DomainError("procurement.change_state", f"{row}当前为“{row.get_status_display()}”，不能提交")
        params = contract_params(project.agency)
        others = list(
            ChangeOrder.objects.filter(
                contract=row.contract, status__in=[ChangeOrder.Status.SUBMITTED, ChangeOrder.Status.APPROVED]
            ).values_list("amount", flat=True)
        )
        before = sum((Decimal(x) for x in others), Decimal(0))
        amount = Decimal(row.amount)
        original = Decimal(row.contract.amount)
        if row.contract.lot.method == Method.SINGLE_SOURCE and amount > 0:
            addons = sum((Decimal(x) for x in others if x > 0), Decimal(0)) + amount
            problem = single_source_addon_problem(addons, original, params=params.procurement)
            if problem:
                raise DomainError("procurement.single_source_addon", problem)
        review = change_review(
            before,
            amount,
            original,
            Decimal(project.approved_estimate) if project.approved_estimate is not None else None,
            _project_total(project) + amount,
            params,
        )
        row.cumulative_ratio_after = review.ratio_after
        row.requires_higher_approval = review.requires_higher_approval
        row.status = ChangeOrder.Status.SUBMITTED
        row.save(update_fields=["cumulative_ratio_after", "requires_higher_approval", "status"])
        kind = CHANGE_KIND if review.requires_higher_approval else CHANGE_MINOR_KIND
        approval_submit(
            actor=actor,
            agency=project.agency,
            kind=kind,
            subject=row,
            title=f"{project.code} 合同{row.contract.number} {row}",
            amount=abs(amount),
            project=project,
        )
        audit_event_record(
            actor=actor,
            action="procurement.change.submit",
            obj=row,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 提交合同{row.contract.number} {row}，累计变更比例 {review.ratio_after * 100:.2f}%",
            reason="；".join(review.reasons),
        )
    return row


def change_pending(change: ChangeOrder) -> list[str]:
    """What a submitted change still waits for: its approval, and when required, a passed decision."""
    kind = CHANGE_KIND if change.requires_higher_approval else CHANGE_MINOR_KIND
    waiting = []
    approved = ApprovalRequest.objects.filter(
        subject_type__model="changeorder",
        subject_type__app_label="procurement",
        subject_id=change.pk,
        kind=kind,
        status=ApprovalRequest.Status.APPROVED,
    ).exists()
    if not approved:
        waiting.append("“重大变更审批”（科室负责人→分管领导→主要领导）" if change.requires_higher_approval else "“变更审批”")
    if change.requires_higher_approval and passed_decision_for(change) is None:
        waiting.append("集体决策（三重一大）通过")
    return waiting


def change_approve_finalize(*, actor: User, change: ChangeOrder) -> ChangeOrder:
    """Mark a submitted change approved once its approval chain approved it and, when required, a
    collective decision passed; the contract's ceiling then includes it. Refused naming what is missing."""
    _require(actor, change.contract.project)
    with transaction.atomic():
        row = ChangeOrder.objects.select_for_update().select_related("contract", "contract__project__agency").get(pk=change.pk)
        if row.status != ChangeOrder.Status.SUBMITTED:
            raise DomainError("procurement.change_state", f"{row}当前为“{row.get_status_display()}”，不能办结")
        waiting = change_pending(row)
        if waiting:
            raise DomainError("procurement.change_waiting", f"{row}尚待：" + "、".join(waiting))
        row.status = ChangeOrder.Status.APPROVED
        row.save(update_fields=["status"])
        project = row.contract.project
        audit_event_record(
            actor=actor,
            action="procurement.change.approve",
            obj=row,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 合同{row.contract.number} {row}批准，调整合同支付上限 {_yuan(Decimal(row.amount))}",
            changes={"status": {"before": "submitted", "after": "approved"}},
        )
    integrity_signals_scan(project, actor=actor)
    return row
