"""The settlement audit's writes: the register of audit firms, the contractor's 结算书, the draw of the firm,
the firm's result, the contractor's confirmation or dispute, and the approval (with the audit report PDF
filed as the stage's 结算审计报告). Each checks the permission first, the rules at the moment of action,
and writes with its audit event in one transaction; a refusal changes nothing.

The firm is drawn with the expert-draw machinery (``projects.services.expert_draws``): the same candidate
rows, the same conflict rules against the agency, its superiors and every party of the project
(``project_parties``), the same seeded draw — stored with its pool so ``expert_panel_replay`` gives the same
firm again."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import asdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from govworks.closeout import permissions_settlement as perms
from govworks.closeout import rules_settlement as rules
from govworks.closeout.models import AuditFirm, Settlement, SettlementDispute, SettlementDocument, SettlementLine
from govworks.closeout.selectors.milestones import completion_date
from govworks.closeout.selectors.settlement import (
    DRAW_SPECIALITY,
    WORK_OWNERS_KEY,
    approved_changes_of,
    firm_candidate_rows,
    is_construction_contract,
    winning_bid_of,
)
from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.core.numbering import next_document_number
from govworks.core.pdf import html_to_pdf
from govworks.core.rule_parameters import rule_value
from govworks.core.uploads import upload_check
from govworks.org import permissions as org_perms
from govworks.procurement.models import Contract, IntegritySignal
from govworks.procurement.services.integrity import integrity_signal_store
from govworks.projects.models import DocumentType
from govworks.projects.rules import draw_panel, eligible
from govworks.projects.services.decisions import passed_decision_for
from govworks.projects.services.documents import document_upload
from govworks.projects.services.expert_draws import candidates_from_snapshot, project_parties

DOCUMENT_TYPES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".jpg", ".jpeg", ".png")
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
LOW_BID_KEY = "settle.low_bid_high_settlement_ratio"


def _refuse(code: str, message: str, field: str | None = None) -> DomainError:
    return DomainError(f"closeout.{code}", message, field=field)


def _forget_owners() -> None:
    """The workbench's cached "who has an item" changes with every settlement write (after the commit)."""
    transaction.on_commit(lambda: cache.delete(WORK_OWNERS_KEY))
    cache.delete(WORK_OWNERS_KEY)


def _locked(settlement: Settlement) -> Settlement:
    _forget_owners()
    return (
        Settlement.objects.select_for_update(of=("self",))
        .select_related("project", "project__agency", "contract", "firm")
        .get(pk=settlement.pk)
    )


# ------------------------------------------------------------------------------------------ audit firms


def audit_firm_create(
    *,
    actor: Any,
    agency: Any,
    name: str,
    credit_code: str,
    qualification: str,
    qualification_valid_until: dt.date,
    external_org: Any = None,
    conflict_agencies: Sequence[Any] = (),
    conflict_orgs: Sequence[Any] = (),
    note: str = "",
) -> AuditFirm:
    """Put a 造价咨询/审计机构 on ``agency``'s register, with its qualification and the agencies and companies
    it is tied to (excluded from their draws). Refused without the permission, for a qualification already
    expired, or a credit code already on the register."""
    org_perms.require(actor, perms.FIRM_MANAGE, agency.pk)
    code = credit_code.strip().upper()
    if qualification_valid_until < timezone.localdate():
        raise _refuse(
            "firm_qualification_expired",
            f"资质有效期 {qualification_valid_until:%Y-%m-%d} 已过，不能入库",
            "qualification_valid_until",
        )
    if AuditFirm.objects.filter(agency=agency, credit_code=code).exists():
        raise _refuse("firm_duplicate", f"统一社会信用代码 {code} 的机构已在本单位审计机构库中", "credit_code")
    with transaction.atomic():
        firm = AuditFirm.objects.create(
            agency=agency,
            name=name.strip(),
            credit_code=code,
            qualification=qualification.strip(),
            qualification_valid_until=qualification_valid_until,
            external_org=external_org,
            note=note.strip(),
            created_by=actor,
        )
        firm.conflict_agencies.set(conflict_agencies)
        firm.conflict_orgs.set(conflict_orgs)
        audit_event_record(
            actor=actor,
            action="closeout.audit_firm.create",
            obj=firm,
            agency=agency,
            summary=f"审计机构入库：{firm.name}（{firm.qualification}，有效期至 {qualification_valid_until:%Y-%m-%d}）",
        )
    return firm


def audit_firm_set_active(*, actor: Any, firm: AuditFirm, active: bool, reason: str) -> AuditFirm:
    """Take a firm off the register (出库) or put it back, with the reason; its past settlements stay."""
    org_perms.require(actor, perms.FIRM_MANAGE, firm.agency_id)
    if len((reason or "").strip()) < 2:
        raise _refuse("firm_reason", "出库或恢复入库须写明理由", "reason")
    with transaction.atomic():
        firm = AuditFirm.objects.select_for_update().get(pk=firm.pk)
        firm.is_active = active
        firm.save(update_fields=["is_active"])
        audit_event_record(
            actor=actor,
            action="closeout.audit_firm.activate" if active else "closeout.audit_firm.deactivate",
            obj=firm,
            agency=firm.agency,
            summary=f"审计机构{'恢复入库' if active else '出库'}：{firm.name}",
            reason=reason.strip(),
        )
    return firm


# ------------------------------------------------------------------------------------------ submission


def review_days_for(amount: Decimal, agency: Any, on: dt.date) -> tuple[rules.ReviewTier, int]:
    """The tier of ``amount`` and its days (rule parameter in force for ``agency`` on ``on``)."""
    tier = rules.review_tier(amount)
    return tier, int(rule_value(tier.key, agency=agency, on=on))


def settlement_submit(
    *, actor: Any, contract: Contract, amount: Decimal, files: Sequence[UploadedFile], note: str = ""
) -> Settlement:
    """The contractor submits its 结算书 for ``contract`` (送审金额 and the files). Only the contractor of that
    contract (a user of its supplier's company), once the project passed its completion acceptance, once per
    contract; the review deadline runs from today by the amount's tier (``[lower, upper)``)."""
    if not perms.is_contractor_of(actor, contract):
        raise _refuse("not_contractor", f"只有合同{contract.number}的乙方（{contract.supplier.name}）可以提交结算书")
    if contract.status != Contract.Status.SIGNED or not is_construction_contract(contract):
        raise _refuse("not_construction", f"合同{contract.number}不是已签订的施工合同，无须结算审计")
    project = contract.project
    if completion_date(project) is None:
        raise _refuse("not_accepted", "结算书须在竣工验收合格后提交（本项目尚未通过竣工验收）")
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError):
        raise _refuse("amount", "送审金额须为数字", "amount") from None
    if amount <= 0:
        raise _refuse("amount", "送审金额须大于 0", "amount")
    if not files:
        raise _refuse("files", "须上传结算书（至少一个文件）", "files")
    for f in files:
        upload_check(f, field="files", types=DOCUMENT_TYPES, max_bytes=MAX_DOCUMENT_BYTES)
    today = timezone.localdate()
    tier, days = review_days_for(amount, project.agency, today)
    with transaction.atomic():
        Contract.objects.select_for_update().filter(pk=contract.pk).first()
        if Settlement.objects.filter(contract=contract).exists():
            raise _refuse("already_submitted", f"合同{contract.number}的结算书已提交，不能重复送审")
        _forget_owners()
        settlement = Settlement.objects.create(
            project=project,
            contract=contract,
            number=next_document_number(agency=project.agency, key="settlement", year=today.year, word="JS"),
            submitted_amount=amount,
            submitted_on=today,
            due_on=rules.review_due(today, days),
            review_days=days,
            submission_note=note.strip()[:200],
            submitted_by=actor,
        )
        for f in files:
            _store_document(settlement, f, actor)
        audit_event_record(
            actor=actor,
            action="closeout.settlement.submit",
            obj=settlement,
            agency=project.agency,
            context=project,
            summary=(
                f"合同{contract.number}提交结算书 {settlement.number}：送审金额 {rules.yuan(amount)}，"
                f"{tier.name} {days} 天，审查期限 {settlement.due_on:%Y-%m-%d}"
            ),
        )
    return settlement


def _store_document(settlement: Settlement, file: UploadedFile, actor: Any) -> SettlementDocument:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    doc = SettlementDocument(
        settlement=settlement,
        original_name=(file.name or "file")[:200],
        size=file.size or 0,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    doc.file.save(file.name or "file", file, save=False)
    doc.save()
    return doc


# ------------------------------------------------------------------------------------------ the draw


def settlement_firm_draw(*, actor: Any, settlement: Settlement) -> Settlement:
    """Draw the audit firm at random from the register of the project's agency and its superiors (active,
    qualification valid today), leaving out every firm tied to the agency or to a party of the project — the
    expert draw's rules and seeded draw; pool, parties and seed are stored for the replay."""
    project = settlement.project
    org_perms.require(actor, perms.SETTLEMENT_MANAGE, project.agency_id)
    with transaction.atomic():
        settlement = _locked(settlement)
        if settlement.status != Settlement.Status.SUBMITTED or settlement.firm_id is not None:
            raise _refuse("draw_state", f"结算{settlement.number}当前为“{settlement.get_status_display()}”，不能抽取审计机构")
        rows, names = firm_candidate_rows(project, timezone.localdate())
        agency_ids = frozenset({project.agency_id, *project.agency.ancestor_ids()})
        parties = project_parties(project)
        org_ids = frozenset(p.org_id for p in parties if p.org_id is not None)
        ok, excluded = eligible(
            candidates_from_snapshot(rows), speciality=DRAW_SPECIALITY, agency_ids=agency_ids, org_ids=org_ids, parties=parties
        )
        if not ok:
            raise _refuse(
                "draw_pool",
                f"审计机构库中符合回避要求的机构只有 0 家，不足抽取 1 家（在库 {len(rows)} 家，已回避 {len(excluded)} 家）",
            )
        seed = secrets.token_hex(16)
        [firm_id] = draw_panel(ok, size=1, seed=seed)
        settlement.firm_id = firm_id
        settlement.draw_seed = seed
        settlement.draw_pool = {
            "agency_ids": sorted(agency_ids),
            "org_ids": sorted(org_ids),
            "parties": [asdict(p) for p in parties],
            "experts": rows,
        }
        settlement.draw_excluded = excluded
        settlement.drawn_by = actor
        settlement.drawn_at = timezone.now()
        settlement.status = Settlement.Status.REVIEW
        settlement.review_round = 1
        settlement.save()
        audit_event_record(
            actor=actor,
            action="closeout.settlement.draw",
            obj=settlement,
            agency=project.agency,
            context=project,
            summary=(
                f"结算{settlement.number}随机抽取审计机构：{names[firm_id]}（符合条件 {len(ok)} 家，回避 {len(excluded)} 家）"
            ),
            changes={"seed": {"before": None, "after": seed}},
        )
    return settlement


# ------------------------------------------------------------------------------------------ the result


def _may_record_result(actor: Any, settlement: Settlement) -> bool:
    return perms.is_firm_of(actor, settlement) or org_perms.can(actor, perms.SETTLEMENT_MANAGE, settlement.project.agency_id)


def settlement_result_record(
    *, actor: Any, settlement: Settlement, lines: Sequence[rules.Line], report_number: str
) -> Settlement:
    """Record the firm's result: the lines (item, 送审, 审定, reason of each difference) whose 送审 add up to
    the 结算书 and whose 审定 make the 审定金额; the audit report's number. By the drawn firm's people, or by
    the agency's organiser for a firm without an account. A result above the contract amount plus approved
    changes is marked for the collective decision; one far above the winning bid raises 低价高结."""
    if not _may_record_result(actor, settlement):
        raise _refuse("not_firm", "只有抽中的审计机构或本单位结算审计组织人员可以登记审定结果")
    if not (report_number or "").strip():
        raise _refuse("report_number", "须填写审计报告文号", "report_number")
    with transaction.atomic():
        settlement = _locked(settlement)
        if settlement.status != Settlement.Status.REVIEW:
            raise _refuse("result_state", f"结算{settlement.number}当前为“{settlement.get_status_display()}”，不能登记审定结果")
        problem = rules.lines_problem(lines, submitted_total=Decimal(settlement.submitted_amount))
        if problem:
            raise _refuse("lines", problem, "lines")
        approved = rules.lines_approved_total(lines)
        contract = settlement.contract
        over = rules.over_ceiling_problem(
            approved=approved, contract_amount=Decimal(contract.amount), approved_changes=approved_changes_of(contract)
        )
        settlement.lines.all().delete()
        SettlementLine.objects.bulk_create(
            [
                SettlementLine(
                    settlement=settlement,
                    seq=i,
                    name=line.name.strip(),
                    submitted_amount=line.submitted,
                    approved_amount=line.approved,
                    reason=line.reason.strip(),
                )
                for i, line in enumerate(lines, start=1)
            ]
        )
        settlement.approved_amount = approved
        settlement.report_number = report_number.strip()
        settlement.result_by = actor
        settlement.result_at = timezone.now()
        settlement.requires_decision = over is not None
        settlement.status = Settlement.Status.AUDITED
        settlement.save()
        audit_event_record(
            actor=actor,
            action="closeout.settlement.result",
            obj=settlement,
            agency=settlement.project.agency,
            context=settlement.project,
            summary=(
                f"结算{settlement.number}第{settlement.review_round}轮审定：送审 {rules.yuan(Decimal(settlement.submitted_amount))}，"
                f"审定 {rules.yuan(approved)}，审减率 {settlement.reduction_text}（{settlement.report_number}）"
                + (f"；{over}" if over else "")
            ),
        )
        _low_bid_signal(actor, settlement, approved)
    return settlement


def _low_bid_signal(actor: Any, settlement: Settlement, approved: Decimal) -> None:
    """低价高结: the approved amount above the winning bid by more than the rule's ratio → a signal for 纪检监察."""
    contract = settlement.contract
    ratio = Decimal(str(rule_value(LOW_BID_KEY, agency=settlement.project.agency)))
    detail = rules.low_bid_high_settlement(approved=approved, winning_bid=winning_bid_of(contract), ratio=ratio)
    if detail:
        integrity_signal_store(
            actor=actor,
            project=settlement.project,
            kind=IntegritySignal.Kind.HIGH_SETTLEMENT,
            fingerprint=f"settlement:{contract.pk}:{approved}",
            detail=f"合同{contract.number}（{contract.supplier.name}）：{detail}",
            contract_ids=[contract.pk],
        )


# ------------------------------------------------------------------------------------------ the contractor's answer


def settlement_confirm(*, actor: Any, settlement: Settlement) -> Settlement:
    """The contractor accepts the 审定金额 (签字确认)."""
    if not perms.is_contractor_of(actor, settlement.contract):
        raise _refuse("not_contractor", "只有本合同的施工单位可以确认审定结果")
    with transaction.atomic():
        settlement = _locked(settlement)
        if settlement.status != Settlement.Status.AUDITED:
            raise _refuse("confirm_state", f"结算{settlement.number}当前为“{settlement.get_status_display()}”，不能确认")
        settlement.status = Settlement.Status.CONFIRMED
        settlement.confirmed_by = actor
        settlement.confirmed_at = timezone.now()
        settlement.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        audit_event_record(
            actor=actor,
            action="closeout.settlement.confirm",
            obj=settlement,
            agency=settlement.project.agency,
            context=settlement.project,
            summary=f"施工单位确认结算{settlement.number}审定金额 {rules.yuan(Decimal(settlement.approved_amount or 0))}",
        )
    return settlement


def settlement_dispute(*, actor: Any, settlement: Settlement, reason: str) -> Settlement:
    """The contractor disputes the result with its reason: the result as it stood is kept with the dispute and
    the settlement goes back to the firm for a new round of review (the deadline does not move)."""
    if not perms.is_contractor_of(actor, settlement.contract):
        raise _refuse("not_contractor", "只有本合同的施工单位可以对审定结果提出异议")
    problem = rules.dispute_reason_problem(reason)
    if problem:
        raise _refuse("dispute_reason", problem, "reason")
    with transaction.atomic():
        settlement = _locked(settlement)
        if settlement.status != Settlement.Status.AUDITED:
            raise _refuse("dispute_state", f"结算{settlement.number}当前为“{settlement.get_status_display()}”，不能提出异议")
        before = Decimal(settlement.approved_amount or 0)
        SettlementDispute.objects.create(
            settlement=settlement,
            review_round=settlement.review_round,
            reason=reason.strip(),
            approved_amount_before=before,
            lines_before=[
                {"name": ln.name, "submitted": str(ln.submitted_amount), "approved": str(ln.approved_amount), "reason": ln.reason}
                for ln in settlement.lines.all()
            ],
            raised_by=actor,
        )
        settlement.status = Settlement.Status.REVIEW
        settlement.review_round += 1
        settlement.approved_amount = None
        settlement.requires_decision = False
        settlement.save(update_fields=["status", "review_round", "approved_amount", "requires_decision"])
        audit_event_record(
            actor=actor,
            action="closeout.settlement.dispute",
            obj=settlement,
            agency=settlement.project.agency,
            context=settlement.project,
            summary=f"施工单位对结算{settlement.number}审定金额 {rules.yuan(before)} 提出异议，退回审计机构复审",
            reason=reason.strip(),
        )
    return settlement


# ------------------------------------------------------------------------------------------ approval


def settlement_approval_problem(settlement: Settlement) -> str | None:
    """Why the confirmed settlement may not be approved now: above the contract amount plus approved changes
    without a passed collective decision on it (naming the numbers); None when it may."""
    if not settlement.requires_decision:
        return None
    if passed_decision_for(settlement) is not None:
        return None
    contract = settlement.contract
    over = rules.over_ceiling_problem(
        approved=Decimal(settlement.approved_amount or 0),
        contract_amount=Decimal(contract.amount),
        approved_changes=approved_changes_of(contract),
    )
    return f"{over}；须经三重一大会议集体决策通过后方可审批" if over else None


def settlement_approve(*, actor: Any, settlement: Settlement) -> Settlement:
    """Approve the confirmed settlement (科室负责人, never one who drew, recorded or submitted it); a settlement
    above the contract amount plus approved changes only after the collective decision passed. The audit report
    PDF is filed as the stage's 《结算审计报告》 and the contractor's 结算书 as 《竣工结算报告》."""
    project = settlement.project
    org_perms.require(actor, perms.SETTLEMENT_APPROVE, project.agency_id)
    with transaction.atomic():
        settlement = _locked(settlement)
        if settlement.status != Settlement.Status.CONFIRMED:
            raise _refuse("approve_state", f"结算{settlement.number}当前为“{settlement.get_status_display()}”，不能审批")
        if actor.pk in {settlement.drawn_by_id, settlement.result_by_id, settlement.submitted_by_id}:
            raise _refuse("approve_sod", f"职责分离：您抽取、登记或提交过结算{settlement.number}，不能审批")
        problem = settlement_approval_problem(settlement)
        if problem:
            raise _refuse("approve_decision", problem)
        settlement.status = Settlement.Status.APPROVED
        settlement.approved_by = actor
        settlement.approved_at = timezone.now()
        settlement.save(update_fields=["status", "approved_by", "approved_at"])
        audit_event_record(
            actor=actor,
            action="closeout.settlement.approve",
            obj=settlement,
            agency=project.agency,
            context=project,
            summary=(
                f"审批结算{settlement.number}：审定金额 {rules.yuan(Decimal(settlement.approved_amount or 0))}，"
                f"审减率 {settlement.reduction_text}（{settlement.report_number}）"
            ),
        )
        _file_documents(actor, settlement)
    return settlement


def settlement_report_pdf(settlement: Settlement) -> bytes:
    """The 结算审核报告 of a settlement as a PDF (offline rendering)."""
    html = render_to_string(
        "closeout/settlement/report_pdf.html",
        {"s": settlement, "lines": list(settlement.lines.all()), "disputes": list(settlement.disputes.all())},
    )
    return html_to_pdf(html)


def _file_documents(actor: Any, settlement: Settlement) -> None:
    project = settlement.project
    types = {t.code: t for t in DocumentType.objects.filter(code__in=["settlement_report", "settlement_audit_report"])}
    audit_type = types.get("settlement_audit_report")
    if audit_type is not None:
        pdf = SimpleUploadedFile(f"结算审计报告-{settlement.number}.pdf", settlement_report_pdf(settlement), "application/pdf")
        document_upload(actor=actor, project=project, doc_type=audit_type, file=pdf, note=f"合同{settlement.contract.number}")
    report_type = types.get("settlement_report")
    first = settlement.documents.order_by("id").first()
    if report_type is not None and first is not None:
        with first.file.open("rb") as handle:
            data = handle.read()
        upload = SimpleUploadedFile(first.original_name, ContentFile(data).read())
        document_upload(actor=actor, project=project, doc_type=report_type, file=upload, note=f"合同{settlement.contract.number}")
