"""Writes of payment requests (付款申请): draft, submit, final approval into a treasury instruction,
withdrawal; and the supervising engineer's confirmation of the completed value (已完工程价款).

Every hard guard of ``rules.payment_problems`` is checked at submission and again at final approval,
each time inside one transaction that first locks the contract, then the request, then the funding
source (always in this order), and reads the payment freeze after the locks. A refusal raises
``DomainError("finance.payment_refused", …)`` naming every rule broken with its numbers and changes
nothing; the refused attempt is then recorded for 纪检监察 in a separate transaction (an append-only audit
event, never a change of the request).

Approval: the chain "finance.payment" chosen by the amount (科室负责人→财务→分管领导, and →主要领导 at
``tzyd.large_fund_min_amount`` and above), and a passed collective decision on the request when its amount
reaches that parameter. A payment freeze is lifted only by its one path in construction (赶工计划 → 约谈 →
领导解除), never by a decision on a payment.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from govworks.construction.selectors.freezes import active_payment_freeze, freeze_release_path
from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.core.money import amount_in_words
from govworks.core.numbering import next_document_number
from govworks.core.rule_parameters import rule_value
from govworks.finance import permissions as perms
from govworks.finance import rules
from govworks.finance.models import CompletedValue, FundingSource, PaymentInstruction, PaymentRequest
from govworks.finance.selectors.defect_periods import defect_period_end_for
from govworks.finance.selectors.settlements import settlement_state_for
from govworks.finance.signals import payment_refusal_report
from govworks.org import permissions as org_perms
from govworks.org.models import User
from govworks.procurement.models import ChangeOrder, Contract, PaymentMilestone, SupplierBankAccount
from govworks.procurement.services.suppliers import supplier_award_problem
from govworks.projects.models import Project
from govworks.projects.services.approvals import (
    KIND_LABELS,
    SUBMIT_ACTION,
    SeparationOfDutiesError,
    approval_sod_refused_record,
    approval_sod_require,
    approval_submit,
    approved_request_for,
)
from govworks.projects.services.decisions import check_upload, passed_decision_for

PAYMENT_KIND = "finance.payment"
KIND_LABELS[PAYMENT_KIND] = "付款审批"
SUBMIT_ACTION["finance"] = perms.PAYMENT_REQUEST
REFUSED_ACTION = "finance.payment.refused"
FINALIZE_STEP = "付款办结（开具国库支付指令）"
ATTACHMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx")


def payment_params(agency: object, *, on: dt.date | None = None) -> rules.PaymentParams:
    """The payment rule parameters in force for ``agency``."""
    return rules.PaymentParams(
        **{name: Decimal(str(rule_value(key, agency=agency, on=on))) for name, key in rules.PaymentParams.KEYS.items()}  # type: ignore[arg-type]
    )


def _yuan(amount: Decimal) -> str:
    return rules.yuan(amount)


def defect_period_ends(contract: Contract) -> dt.date | None:
    """End of the defect-liability period: as recorded by the close-out module from the passed completion
    acceptance (``selectors.defect_periods``); for a contract it does not know, the works' completion (the
    contract's end date) plus the contract's months; None while not yet completed."""
    known, end = defect_period_end_for(contract)
    if known:
        return end
    if contract.ends_on > timezone.localdate():
        return None
    return rules.add_months(contract.ends_on, int(contract.defect_period_months))


def contract_facts(contract: Contract, *, exclude_request: int | None = None) -> rules.ContractFacts:
    """What is committed against ``contract`` (approved or paid requests, ``exclude_request`` left out):
    two aggregate queries."""
    committed = PaymentRequest.objects.filter(contract=contract, status__in=PaymentRequest.COMMITTED)
    if exclude_request is not None:
        committed = committed.exclude(pk=exclude_request)
    agg = committed.aggregate(
        total=Sum("amount"),
        advance=Sum("gross_amount", filter=Q(kind=PaymentMilestone.Kind.ADVANCE)),
        offsets=Sum("advance_offset"),
        progress=Sum("gross_amount", filter=Q(kind=PaymentMilestone.Kind.PROGRESS)),
        settlements=Count("pk", filter=Q(kind=PaymentMilestone.Kind.SETTLEMENT)),
    )
    changes = ChangeOrder.objects.filter(contract=contract, status=ChangeOrder.Status.APPROVED).aggregate(s=Sum("amount"))["s"]
    return rules.ContractFacts(
        number=contract.number,
        amount=Decimal(contract.amount),
        approved_changes=Decimal(changes or 0),
        advance_ratio=Decimal(contract.advance_ratio),
        progress_ratio=Decimal(contract.progress_ratio),
        quality_deposit_ratio=Decimal(contract.quality_deposit_ratio),
        signed=contract.status == Contract.Status.SIGNED,
        committed_total=Decimal(agg["total"] or 0),
        advance_paid=Decimal(agg["advance"] or 0),
        advance_offset_before=Decimal(agg["offsets"] or 0),
        progress_gross_before=Decimal(agg["progress"] or 0),
        settlement_committed=bool(agg["settlements"]),
        payee_account_id=contract.payee_account_id,
        defect_period_ends=defect_period_ends(contract),
        settlement=settlement_state_for(contract),
    )


def latest_completed_value(contract: Contract) -> CompletedValue | None:
    return CompletedValue.objects.filter(contract=contract).order_by("-period_end", "-id").first()


def source_facts(source: FundingSource) -> rules.SourceFacts:
    return rules.SourceFacts(
        label=source.name, amount=Decimal(source.amount), committed=Decimal(source.committed), paid=Decimal(source.paid)
    )


def _freeze(project_id: int, request: PaymentRequest | None) -> rules.FreezeFacts:
    freeze = active_payment_freeze(project_id)
    if freeze is None:
        return rules.FreezeFacts(None)
    description = (
        f"自 {timezone.localtime(freeze.frozen_at):%Y-%m-%d} 起暂停拨款（{freeze.get_cause_display()}：{freeze.reason}）"
    )
    return rules.FreezeFacts(description, freeze_release_path(freeze).text)


def _check(
    *,
    contract: Contract,
    request: PaymentRequest,
    source: FundingSource,
    params: rules.PaymentParams,
    confirmed: CompletedValue | None,
) -> None:
    """Raise the refusal naming every broken guard (inside the caller's locked transaction)."""
    problems = rules.payment_problems(
        contract=contract_facts(contract, exclude_request=request.pk),
        request=rules.RequestFacts(
            kind=request.kind,
            gross_amount=Decimal(request.gross_amount),
            advance_offset=Decimal(request.advance_offset),
            payee_account_id=request.payee_account_id,
            confirmed_value=Decimal(confirmed.cumulative_value) if confirmed else None,
            confirmed_on=confirmed.period_end if confirmed else None,
        ),
        source=source_facts(source),
        freeze=_freeze(contract.project_id, request),
        supplier_problem=supplier_award_problem(contract.supplier, on=timezone.localdate()),
        params=params,
        today=timezone.localdate(),
    )
    if problems:
        raise DomainError("finance.payment_refused", f"付款申请{request.number or ''}不能办理：" + "；".join(problems))


def _record_refusal(*, actor: User, request: PaymentRequest | None, project: Project, stage: str, reason: str) -> None:
    """Keep the refused attempt for 纪检监察 (付款超进度、红灯付款 are red flags), outside the refused transaction."""
    with transaction.atomic():
        audit_event_record(
            actor=actor,
            action=REFUSED_ACTION,
            obj=request,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 付款申请{request.number if request else ''}在{stage}时被系统拒绝",
            reason=reason,
        )


def _locked(request: PaymentRequest) -> tuple[Contract, PaymentRequest, FundingSource]:
    """Lock the contract, then the request, then the source (the one order every payment write uses)."""
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("project", "project__agency", "supplier", "payee_account")
        .get(pk=request.contract_id)
    )
    row = PaymentRequest.objects.select_for_update().get(pk=request.pk)
    source = FundingSource.objects.select_for_update().get(pk=row.source_id)
    return contract, row, source


def payment_request_create(
    *,
    actor: User,
    milestone: PaymentMilestone,
    source: FundingSource,
    gross_amount: Decimal,
    purpose: str,
    advance_offset: Decimal | None = None,
    payee_account: SupplierBankAccount | None = None,
    attachment: UploadedFile | None = None,
) -> PaymentRequest:
    """Draft a request against ``milestone`` of a signed contract, paid from ``source`` of the same project.
    ``gross_amount`` is the amount due this time before the advance offset; the offset defaults to what the
    contract requires (``rules.advance_offset_due``) and the payee to the contract's account. A progress
    request is tied to the latest confirmed completed value. A settlement request is refused until the
    contract's settlement is approved (``selectors.settlements``: acceptance passed and 审定金额 recorded).
    The guards run at submission."""
    contract = Contract.objects.select_related("project", "project__agency", "supplier").get(pk=milestone.contract_id)
    project = contract.project
    org_perms.require(actor, perms.PAYMENT_REQUEST, project.agency_id)
    if source.project_id != project.pk:
        raise DomainError("finance.request_source", f"资金来源“{source.name}”不属于项目{project.code}", field="source")
    if not (purpose or "").strip():
        raise DomainError("finance.request_purpose", "请填写付款用途", field="purpose")
    if gross_amount is None or gross_amount <= 0:
        raise DomainError("finance.request_amount", "本期应付金额须大于0", field="gross_amount")
    if attachment is not None:
        check_upload(attachment, field="attachment", types=ATTACHMENT_TYPES)
    if milestone.kind == PaymentMilestone.Kind.SETTLEMENT:
        not_ready = rules.settlement_readiness_problem(settlement_state_for(contract))
        if not_ready:
            raise DomainError("finance.settlement_not_ready", f"合同{contract.number}：{not_ready}", field="milestone")
    with transaction.atomic():
        facts = contract_facts(contract)
        due = rules.advance_offset_due(
            gross=gross_amount, advance_ratio=facts.advance_ratio, outstanding=facts.advance_outstanding, kind=milestone.kind
        )
        offset = due if advance_offset is None else advance_offset
        if offset < 0 or offset >= gross_amount:
            raise DomainError(
                "finance.request_offset",
                f"扣回预付款 {_yuan(offset)} 须不小于0且小于本期应付 {_yuan(gross_amount)}",
                field="advance_offset",
            )
        confirmed = latest_completed_value(contract) if milestone.kind == PaymentMilestone.Kind.PROGRESS else None
        row = PaymentRequest(
            project=project,
            contract=contract,
            milestone=milestone,
            source=source,
            kind=milestone.kind,
            gross_amount=gross_amount,
            advance_offset=offset,
            amount=gross_amount - offset,
            completed_value=confirmed,
            payee_account_id=payee_account.pk if payee_account else contract.payee_account_id,  # type: ignore[misc]
            purpose=purpose.strip(),
            created_by=actor,
        )
        if row.payee_account_id is None:
            raise DomainError(
                "finance.request_account", f"合同{contract.number}未约定收款账户，不能申请付款", field="payee_account"
            )
        row.number = next_document_number(agency=project.agency, key="payment_request", year=timezone.localdate().year, word="FK")
        if attachment is not None:
            row.attachment = attachment
        row.save()
        audit_event_record(
            actor=actor,
            action="finance.payment.create",
            obj=row,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 起草付款申请{row.number}：合同{contract.number} {row.kind_label()} 实付 {_yuan(Decimal(row.amount))}",
            changes={
                "gross_amount": {"before": None, "after": gross_amount},
                "advance_offset": {"before": None, "after": offset},
                "amount": {"before": None, "after": row.amount},
            },
        )
    return row


def payment_request_submit(*, actor: User, request: PaymentRequest) -> PaymentRequest:
    """Submit a drafted request: every hard guard is checked under the locks; then the approval chain
    by amount starts, and a collective decision is required at ``tzyd.large_fund_min_amount`` and above."""
    project = Project.objects.select_related("agency").get(pk=request.project_id)
    org_perms.require(actor, perms.PAYMENT_REQUEST, project.agency_id)
    try:
        with transaction.atomic():
            contract, row, source = _locked(request)
            if row.status != PaymentRequest.Status.DRAFT and not _returned(row):
                raise DomainError("finance.request_state", f"付款申请{row.number}当前为“{row.get_status_display()}”，不能提交")
            params = payment_params(project.agency)
            if row.kind == PaymentMilestone.Kind.PROGRESS:
                confirmed = latest_completed_value(contract)
                row.completed_value = confirmed
            else:
                confirmed = None
            _check(contract=contract, request=row, source=source, params=params, confirmed=confirmed)
            row.requires_decision = rules.needs_collective_decision(Decimal(row.amount), params)
            row.status = PaymentRequest.Status.SUBMITTED
            row.submitted_at = timezone.now()
            row.save(update_fields=["completed_value", "requires_decision", "status", "submitted_at"])
            approval_submit(
                actor=actor,
                agency=project.agency,
                kind=PAYMENT_KIND,
                subject=row,
                title=f"{project.code} 付款申请{row.number}（{row.kind_label()}，{contract.supplier.name}）",
                amount=Decimal(row.amount),
                project=project,
            )
            audit_event_record(
                actor=actor,
                action="finance.payment.submit",
                obj=row,
                agency=project.agency,
                context=project,
                summary=f"{project.code} 提交付款申请{row.number}：实付 {_yuan(Decimal(row.amount))}"
                + ("（须集体决策）" if row.requires_decision else ""),
                changes={"status": {"before": "draft", "after": "submitted"}},
            )
    except DomainError as err:
        if err.code == "finance.payment_refused":
            _record_refusal(actor=actor, request=request, project=project, stage="提交", reason=err.message)
            payment_refusal_report(actor=actor, request=request, project=project, stage="提交")  # 纪检监察's signals
        raise
    return row


def _returned(request: PaymentRequest) -> bool:
    """A submitted request whose approval chain returned it (退回) and has none pending or approved: it may
    be submitted again (the guards run again)."""
    from govworks.projects.models import ApprovalRequest

    if request.status != PaymentRequest.Status.SUBMITTED:
        return False
    latest = (
        ApprovalRequest.objects.filter(
            subject_type__app_label="finance", subject_type__model="paymentrequest", subject_id=request.pk, kind=PAYMENT_KIND
        )
        .order_by("-id")
        .values_list("status", flat=True)
        .first()
    )
    return latest == ApprovalRequest.Status.RETURNED


def payment_request_pending(request: PaymentRequest) -> list[str]:
    """What a submitted request still waits for: its approval chain, and when required, a decision."""
    waiting = []
    if _returned(request):
        return ["审批流程已退回：请修改后重新提交或撤回"]
    if approved_request_for(request, PAYMENT_KIND) is None:
        waiting.append("“付款审批”流程审批通过")
    if request.requires_decision and passed_decision_for(request) is None:
        waiting.append("集体决策（三重一大）通过")
    return waiting


def payment_request_finalize(*, actor: User, request: PaymentRequest) -> PaymentInstruction:
    """Final approval by 财务 once the chain (and, when required, the collective decision) approved: every
    hard guard is checked again under the contract and source locks (so parallel approvals can never
    together pass a cap), the amount is committed on the source and the treasury instruction is issued.
    职责分离: refused to whoever drafted or submitted the request or approved a step of its chain (the
    refused attempt is recorded for 纪检监察 after the rollback)."""
    project = Project.objects.select_related("agency").get(pk=request.project_id)
    org_perms.require(actor, perms.PAYMENT_FINALIZE, project.agency_id)
    try:
        with transaction.atomic():
            contract, row, source = _locked(request)
            if row.status != PaymentRequest.Status.SUBMITTED:
                raise DomainError("finance.request_state", f"付款申请{row.number}当前为“{row.get_status_display()}”，不能办结")
            # 职责分离: not the drafter, the submitter or anyone who approved a step of its chain
            approval_sod_require(actor=actor, subject=row, kind=PAYMENT_KIND, step_label=FINALIZE_STEP)
            waiting = payment_request_pending(row)
            if waiting:
                raise DomainError("finance.request_waiting", f"付款申请{row.number}尚待：" + "、".join(waiting))
            params = payment_params(project.agency)
            confirmed = latest_completed_value(contract) if row.kind == PaymentMilestone.Kind.PROGRESS else None
            _check(contract=contract, request=row, source=source, params=params, confirmed=confirmed)
            amount = Decimal(row.amount)
            row.status = PaymentRequest.Status.APPROVED
            row.approved_at = timezone.now()
            row.completed_value = confirmed
            row.save(update_fields=["status", "approved_at", "completed_value"])
            before = Decimal(source.committed)
            source.committed = before + amount
            source.save(update_fields=["committed"])
            instruction = _issue_instruction(actor=actor, request=row, contract=contract, source=source)
            audit_event_record(
                actor=actor,
                action="finance.payment.approve",
                obj=row,
                agency=project.agency,
                context=project,
                summary=f"{project.code} 付款申请{row.number}审批办结，实付 {_yuan(amount)}，开具国库支付指令{instruction.number}",
                changes={
                    "status": {"before": "submitted", "after": "approved"},
                    f"source:{source.pk}.committed": {"before": before, "after": source.committed},
                },
            )
    except SeparationOfDutiesError as err:
        approval_sod_refused_record(actor=actor, error=err)
        raise
    except DomainError as err:
        if err.code == "finance.payment_refused":
            _record_refusal(actor=actor, request=request, project=project, stage="审批办结", reason=err.message)
            payment_refusal_report(actor=actor, request=request, project=project, stage="审批办结")  # 纪检监察's signals
        raise
    return instruction


def _issue_instruction(*, actor: User, request: PaymentRequest, contract: Contract, source: FundingSource) -> PaymentInstruction:
    project = contract.project
    account = SupplierBankAccount.objects.get(pk=request.payee_account_id)
    amount = Decimal(request.amount)
    instruction = PaymentInstruction.objects.create(
        request=request,
        agency=project.agency,
        number=next_document_number(agency=project.agency, key="payment_instruction", year=timezone.localdate().year, word="ZF"),
        payer_name=project.agency.name,
        indicator_number=source.indicator_number,
        functional_class=source.functional_class,
        economic_class=source.economic_class,
        fund_kind=source.get_kind_display(),
        payee_name=account.account_name,
        payee_bank=account.bank_name,
        payee_account=account.account_number,
        amount=amount,
        amount_words=amount_in_words(amount),
        purpose=f"{project.name}·{contract.number}·{request.kind_label()}：{request.purpose}"[:200],
        issued_by=actor,
    )
    audit_event_record(
        actor=actor,
        action="finance.instruction.issue",
        obj=instruction,
        agency=project.agency,
        context=project,
        summary=f"{project.code} 开具国库支付指令{instruction.number}：{instruction.payee_name} {_yuan(amount)}（{instruction.amount_words}）",
    )
    return instruction


def payment_request_withdraw(*, actor: User, request: PaymentRequest, reason: str) -> PaymentRequest:
    """Withdraw a draft or a request in approval (nothing was committed yet)."""
    project = Project.objects.select_related("agency").get(pk=request.project_id)
    org_perms.require(actor, perms.PAYMENT_REQUEST, project.agency_id)
    if not (reason or "").strip():
        raise DomainError("finance.withdraw_reason", "请填写撤回理由", field="reason")
    with transaction.atomic():
        row = PaymentRequest.objects.select_for_update().get(pk=request.pk)
        if row.status not in (PaymentRequest.Status.DRAFT, PaymentRequest.Status.SUBMITTED):
            raise DomainError("finance.request_state", f"付款申请{row.number}当前为“{row.get_status_display()}”，不能撤回")
        before = row.status
        row.status = PaymentRequest.Status.WITHDRAWN
        row.save(update_fields=["status"])
        audit_event_record(
            actor=actor,
            action="finance.payment.withdraw",
            obj=row,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 撤回付款申请{row.number}",
            reason=reason.strip(),
            changes={"status": {"before": before, "after": "withdrawn"}},
        )
    return row


def completed_value_confirm(
    *, actor: User, contract: Contract, period_end: dt.date, cumulative_value: Decimal, note: str = ""
) -> CompletedValue:
    """The supervising engineer (监理 of a company holding a contract on the project) — or, failing one,
    the owner's representative (工程管理岗) — confirms the cumulative value of work done under
    ``contract`` up to ``period_end``. Refused: anyone else, a value above the contract's ceiling, a value
    below an earlier confirmation (cumulative values never go down), a date in the future."""
    contract = Contract.objects.select_related("project", "project__agency").get(pk=contract.pk)
    project = contract.project
    if perms.supervises(actor, project):
        confirmed_as = CompletedValue.ConfirmedAs.SUPERVISOR
    elif org_perms.can(actor, perms.DAY_LABOUR_CONFIRM, project.agency_id):
        confirmed_as = CompletedValue.ConfirmedAs.OWNER
    else:
        raise PermissionDenied("已完工程价款须由本项目的监理工程师或建设单位代表确认")
    if period_end > timezone.localdate():
        raise DomainError("finance.value_future", "计量截止日期不能晚于今天", field="period_end")
    if cumulative_value is None or cumulative_value < 0:
        raise DomainError("finance.value_amount", "累计已完工程价款不能为负", field="cumulative_value")
    with transaction.atomic():
        locked = Contract.objects.select_for_update(of=("self",)).get(pk=contract.pk)
        ceiling = Decimal(locked.amount) + Decimal(
            ChangeOrder.objects.filter(contract=locked, status=ChangeOrder.Status.APPROVED).aggregate(s=Sum("amount"))["s"] or 0
        )
        if cumulative_value > ceiling:
            raise DomainError(
                "finance.value_ceiling",
                f"累计已完工程价款 {_yuan(cumulative_value)} 超过合同价款加已批准变更 {_yuan(ceiling)}",
                field="cumulative_value",
            )
        last = latest_completed_value(locked)
        if last is not None and (period_end <= last.period_end or cumulative_value < last.cumulative_value):
            raise DomainError(
                "finance.value_order",
                f"上次确认为 {last.period_end:%Y-%m-%d} 累计 {_yuan(Decimal(last.cumulative_value))}："
                "本次计量截止日期须在其后，累计金额不得减少",
                field="cumulative_value",
            )
        row = CompletedValue.objects.create(
            contract=locked,
            period_end=period_end,
            cumulative_value=cumulative_value,
            note=note.strip(),
            confirmed_by=actor,
            confirmed_as=confirmed_as,
        )
        audit_event_record(
            actor=actor,
            action="finance.completed_value.confirm",
            obj=row,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 合同{locked.number} 截至 {period_end:%Y-%m-%d} 累计已完工程价款 {_yuan(cumulative_value)}"
            f"（{row.get_confirmed_as_display()}确认）",
        )
    return row
