"""Writes of the final accounts (竣工财务决算). Each service checks the permission, then the rule at the moment
of action, writes and records the audit event in one transaction; a refusal (DomainError) changes nothing.

The approval runs through the projects' approval chain (kind ``final_accounts.approval``, 内审 → 分管领导 →
主要领导; 职责分离 enforced there: the drafter and the submitter approve no step)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone

from govworks.closeout import permissions_final as perms
from govworks.closeout import rules_final_accounts as rules
from govworks.closeout.models import (
    FinalAccounts,
    FinalAccountsDocument,
    FinalAccountsExtension,
    FinalCostLine,
    SurplusReturn,
)
from govworks.closeout.reports_final import final_accounts_report_pdf
from govworks.closeout.selectors import final_accounts as selectors
from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.core.rule_parameters import rule_value
from govworks.core.uploads import upload_check
from govworks.finance.models import FundingSource
from govworks.org import permissions as org_perms
from govworks.org.models import User
from govworks.projects.models import DocumentType, Project, Stage
from govworks.projects.services import approvals as approval_services
from govworks.projects.services.documents import document_upload

APPROVAL_KIND = selectors.APPROVAL_KIND
approval_services.KIND_LABELS[APPROVAL_KIND] = "竣工决算审批"
approval_services.SUBMIT_ACTION["final_accounts"] = perms.FA_PREPARE

#: where the final accounts may be opened: in 竣工决算, or later for a project brought in past it (历史项目录入) whose
#: final accounts are still to be recorded (before 绩效评价)
OPEN_STAGES = (Stage.FINAL_ACCOUNTS, Stage.ARCHIVING, Stage.ASSET_HANDOVER)
EVIDENCE_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".xlsx", ".docx")
MAX_BYTES = 30 * 1024 * 1024


def _yuan(amount: Decimal) -> str:
    return rules.yuan(amount)


def _locked_fa(fa: FinalAccounts) -> FinalAccounts:
    return FinalAccounts.objects.select_for_update(of=("self",)).select_related("project", "project__agency").get(pk=fa.pk)


def _require_editable(fa: FinalAccounts) -> None:
    state = selectors.state_of(fa, selectors.latest_approval(fa))
    if not selectors.editable(state):
        raise DomainError("final_accounts.locked", f"竣工财务决算{selectors.STATE_LABELS[state]}，不能再修改（退回后方可修改）")


def _contract_lines(fa: FinalAccounts, actor: User) -> list[FinalCostLine]:
    return [
        FinalCostLine(
            final_accounts=fa,
            kind=FinalCostLine.Kind.CONTRACT,
            contract=c.contract,
            label=f"{c.contract.number} {c.contract.title}",
            amount=c.amount,
            basis=c.basis,
            entered_by=actor,
        )
        for c in selectors.contract_costs(fa.project)
    ]


def final_accounts_start(*, actor: User, project: Project) -> FinalAccounts:
    """Open the final accounts of ``project`` (in 竣工决算) and build its contract lines from the records: each
    signed contract at its approved settlement amount, or at what was paid where no settlement is approved."""
    org_perms.require(actor, perms.FA_PREPARE, project.agency_id)
    with transaction.atomic():
        project = Project.objects.select_for_update(of=("self",)).select_related("agency").get(pk=project.pk)
        if project.stage not in OPEN_STAGES:
            raise DomainError("final_accounts.stage", f"项目处于“{project.get_stage_display()}”阶段，竣工决算阶段方可编制决算")
        if FinalAccounts.objects.filter(project=project).exists():
            raise DomainError("final_accounts.exists", "该项目已有竣工财务决算")
        fa = FinalAccounts.objects.create(project=project, drafted_by=actor)
        lines = FinalCostLine.objects.bulk_create(_contract_lines(fa, actor))
        total = sum((line.amount for line in lines), Decimal(0))
        audit_event_record(
            actor=actor,
            action="closeout.final_accounts.start",
            obj=fa,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 开始编制竣工财务决算：{len(lines)} 份合同，合同费用 {_yuan(total)}",
        )
    return fa


def final_accounts_refresh(*, actor: User, fa: FinalAccounts) -> FinalAccounts:
    """Rebuild the contract lines from the current records (a settlement approved since, a payment made since)."""
    org_perms.require(actor, perms.FA_PREPARE, fa.project.agency_id)
    with transaction.atomic():
        fa = _locked_fa(fa)
        _require_editable(fa)
        before = sum(
            (
                Decimal(a)
                for a in FinalCostLine.objects.filter(final_accounts=fa, kind="contract").values_list("amount", flat=True)
            ),
            Decimal(0),
        )
        FinalCostLine.objects.filter(final_accounts=fa, kind=FinalCostLine.Kind.CONTRACT).delete()
        lines = FinalCostLine.objects.bulk_create(_contract_lines(fa, actor))
        after = sum((line.amount for line in lines), Decimal(0))
        audit_event_record(
            actor=actor,
            action="closeout.final_accounts.refresh",
            obj=fa,
            agency=fa.project.agency,
            context=fa.project,
            summary=f"{fa.project.code} 按结算审定和支付记录重算合同费用：{_yuan(before)} → {_yuan(after)}",
            changes={"contract_cost": {"before": before, "after": after}},
        )
    return fa


def other_cost_add(
    *, actor: User, fa: FinalAccounts, category: str, label: str, amount: Decimal, basis: str, evidence: UploadedFile | None
) -> FinalCostLine:
    """Enter one 工程建设其他费用 line with its evidence (invoice, contract or approval)."""
    org_perms.require(actor, perms.FA_PREPARE, fa.project.agency_id)
    if category not in dict(rules.OTHER_COST_CATEGORIES):
        raise DomainError("final_accounts.category", "请选择费用类别", field="category")
    if not label.strip():
        raise DomainError("final_accounts.label", "请填写费用名称", field="label")
    if amount <= 0:
        raise DomainError("final_accounts.amount", f"费用金额须大于0（当前 {_yuan(amount)}）", field="amount")
    if evidence is None:
        raise DomainError("final_accounts.evidence", "工程建设其他费用须附凭证（发票、合同或批复）", field="evidence")
    upload_check(evidence, field="evidence", types=EVIDENCE_TYPES, max_bytes=MAX_BYTES)
    if not basis.strip():
        raise DomainError("final_accounts.basis", "请填写计价依据（合同号、发票号或批复文号）", field="basis")
    with transaction.atomic():
        fa = _locked_fa(fa)
        _require_editable(fa)
        line = FinalCostLine.objects.create(
            final_accounts=fa,
            kind=FinalCostLine.Kind.OTHER,
            category=category,
            label=label.strip(),
            amount=amount,
            basis=basis.strip(),
            evidence=evidence,
            entered_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="closeout.final_accounts.other_cost",
            obj=line,
            agency=fa.project.agency,
            context=fa.project,
            summary=f"{fa.project.code} 登记工程建设其他费用：{line.get_category_display()}·{line.label} {_yuan(amount)}",
        )
    return line


def other_cost_remove(*, actor: User, line: FinalCostLine) -> None:
    """Remove an other-cost line entered by mistake (while the final accounts may still change)."""
    fa = line.final_accounts
    org_perms.require(actor, perms.FA_PREPARE, fa.project.agency_id)
    if line.kind != FinalCostLine.Kind.OTHER:
        raise DomainError("final_accounts.contract_line", "合同费用按结算审定和支付记录生成，不能删除（可“重算合同费用”）")
    with transaction.atomic():
        fa = _locked_fa(fa)
        _require_editable(fa)
        audit_event_record(
            actor=actor,
            action="closeout.final_accounts.other_cost_remove",
            obj=fa,
            agency=fa.project.agency,
            context=fa.project,
            summary=f"{fa.project.code} 删除工程建设其他费用：{line.label} {_yuan(line.amount)}",
        )
        line.delete()


def document_record(
    *, actor: User, fa: FinalAccounts, code: str, file: UploadedFile | None = None, missing_reason: str = ""
) -> FinalAccountsDocument:
    """Tick one 报送资料 item: upload it, or name it missing with the reason (e.g. 本项目无概算调整)."""
    org_perms.require(actor, perms.FA_PREPARE, fa.project.agency_id)
    if code not in rules.DOCUMENT_NAMES:
        raise DomainError("final_accounts.document", "未知的报送资料", field="code")
    missing_reason = missing_reason.strip()
    if file is None and not missing_reason:
        raise DomainError("final_accounts.document_empty", "请上传文件，或说明缺失原因", field="file")
    if file is not None:
        upload_check(file, field="file", types=EVIDENCE_TYPES, max_bytes=MAX_BYTES)
    with transaction.atomic():
        fa = _locked_fa(fa)
        _require_editable(fa)
        doc = FinalAccountsDocument.objects.filter(final_accounts=fa, code=code).first() or FinalAccountsDocument(
            final_accounts=fa, code=code
        )
        doc.recorded_by = actor
        if file is not None:
            doc.file = file
            doc.missing_reason = ""
        else:
            doc.file = ""
            doc.missing_reason = missing_reason
        doc.save()
        what = "上传" if file is not None else f"说明缺失（{missing_reason}）"
        audit_event_record(
            actor=actor,
            action="closeout.final_accounts.document",
            obj=doc,
            agency=fa.project.agency,
            context=fa.project,
            summary=f"{fa.project.code} 决算报送资料《{rules.DOCUMENT_NAMES[code]}》：{what}",
        )
    return doc


def surplus_return_record(
    *, actor: User, fa: FinalAccounts, source: FundingSource, amount: Decimal, returned_on: dt.date, document_number: str
) -> SurplusReturn:
    """Record 结余资金缴回 to ``source``: refused beyond the surplus (资金到位 − 决算总投资) not yet returned."""
    org_perms.require(actor, perms.FA_PREPARE, fa.project.agency_id)
    if source.project_id != fa.project_id:
        raise DomainError("final_accounts.source", "资金来源不属于本项目", field="source")
    if amount <= 0:
        raise DomainError("final_accounts.surplus_amount", "缴回金额须大于0", field="amount")
    if not document_number.strip():
        raise DomainError("final_accounts.surplus_doc", "请填写缴款凭证号", field="document_number")
    if returned_on > timezone.localdate():
        raise DomainError("final_accounts.surplus_date", "缴回日期不能晚于今天", field="returned_on")
    with transaction.atomic():
        fa = _locked_fa(fa)
        sheet = selectors.sheet_of(fa.project, fa=fa)
        remaining = sheet.surplus - sheet.returned
        if amount > remaining:
            raise DomainError(
                "final_accounts.surplus_over",
                f"结余资金缴回：资金到位 {_yuan(sheet.received)} − 决算总投资 {_yuan(sheet.final_cost)} = 结余 {_yuan(sheet.surplus)}，"
                f"已缴回 {_yuan(sheet.returned)}，尚可缴回 {_yuan(remaining)}，本次 {_yuan(amount)} 超出 {_yuan(amount - remaining)}",
                field="amount",
            )
        row = SurplusReturn.objects.create(
            final_accounts=fa,
            source=source,
            amount=amount,
            returned_on=returned_on,
            document_number=document_number.strip(),
            recorded_by=actor,
        )
        audit_event_record(
            actor=actor,
            action="closeout.final_accounts.surplus_return",
            obj=row,
            agency=fa.project.agency,
            context=fa.project,
            summary=f"{fa.project.code} 结余资金缴回 {_yuan(amount)}（{source.name}，凭证 {row.document_number}）",
        )
    return row


def _extension_numbers(fa: FinalAccounts) -> tuple[Decimal, Decimal, int, int]:
    agency = fa.project.agency
    return (
        fa.project.controlling_amount,
        Decimal(rule_value("final_accounts.large_project_min_amount", agency=agency)),
        int(rule_value("final_accounts.extension_small_months", agency=agency)),
        int(rule_value("final_accounts.extension_large_months", agency=agency)),
    )


def extension_request(*, actor: User, fa: FinalAccounts, months: int, reason: str) -> FinalAccountsExtension:
    """延期申请: refused when the months granted so far plus ``months`` exceed the limit of the project's size
    (中小型 2 个月，大型 6 个月), while another request waits, or once the final accounts are submitted."""
    org_perms.require(actor, perms.FA_PREPARE, fa.project.agency_id)
    if not reason.strip():
        raise DomainError("final_accounts.extension_reason", "请填写延期理由（特殊情况）", field="reason")
    with transaction.atomic():
        fa = _locked_fa(fa)
        _require_editable(fa)
        if FinalAccountsExtension.objects.filter(final_accounts=fa, status=FinalAccountsExtension.Status.REQUESTED).exists():
            raise DomainError("final_accounts.extension_pending", "已有待审批的延期申请", field="months")
        amount, large_min, small, large = _extension_numbers(fa)
        problem = rules.extension_problem(
            requested=months,
            granted_before=fa.extension_months,
            amount=amount,
            large_min=large_min,
            small_months=small,
            large_months=large,
        )
        if problem:
            raise DomainError("final_accounts.extension_limit", problem, field="months")
        row = FinalAccountsExtension.objects.create(final_accounts=fa, months=months, reason=reason.strip(), requested_by=actor)
        audit_event_record(
            actor=actor,
            action="closeout.final_accounts.extension_request",
            obj=row,
            agency=fa.project.agency,
            context=fa.project,
            summary=f"{fa.project.code} 申请竣工决算延期 {months} 个月",
            reason=row.reason,
        )
    return row


def extension_decide(*, actor: User, extension: FinalAccountsExtension, grant: bool, opinion: str) -> FinalAccountsExtension:
    """A leader grants or refuses an extension request (not their own); a grant is re-checked against the limit."""
    fa = extension.final_accounts
    org_perms.require(actor, perms.FA_EXTENSION_DECIDE, fa.project.agency_id)
    opinion = opinion.strip()
    if not grant and not opinion:
        raise DomainError("final_accounts.extension_opinion", "不批准须填写理由", field="opinion")
    with transaction.atomic():
        fa = _locked_fa(fa)
        row = FinalAccountsExtension.objects.select_for_update().get(pk=extension.pk)
        if row.status != FinalAccountsExtension.Status.REQUESTED:
            raise DomainError("final_accounts.extension_decided", f"该延期申请{row.get_status_display()}，不能再审批")
        if row.requested_by_id == actor.pk:
            raise DomainError("final_accounts.extension_sod", "职责分离：不能审批本人提出的延期申请")
        if grant:
            amount, large_min, small, large = _extension_numbers(fa)
            problem = rules.extension_problem(
                requested=row.months,
                granted_before=fa.extension_months,
                amount=amount,
                large_min=large_min,
                small_months=small,
                large_months=large,
            )
            if problem:
                raise DomainError("final_accounts.extension_limit", problem)
            fa.extension_months += row.months
            fa.save(update_fields=["extension_months"])
        row.status = FinalAccountsExtension.Status.GRANTED if grant else FinalAccountsExtension.Status.REFUSED
        row.decided_by, row.decided_at, row.opinion = actor, timezone.now(), opinion or "同意"
        row.save()
        audit_event_record(
            actor=actor,
            action=f"closeout.final_accounts.extension_{'grant' if grant else 'refuse'}",
            obj=row,
            agency=fa.project.agency,
            context=fa.project,
            summary=f"{fa.project.code} 竣工决算延期 {row.months} 个月：{'批准' if grant else '不批准'}",
            reason=row.opinion,
        )
    return row


def final_accounts_submit(*, actor: User, fa: FinalAccounts) -> Any:
    """Freeze the figures and start the approval chain; refused while a line or a 报送资料 item is missing.
    The title carries 超概算 when the final cost exceeds the approved estimate."""
    org_perms.require(actor, perms.FA_PREPARE, fa.project.agency_id)
    with transaction.atomic():
        fa = _locked_fa(fa)
        _require_editable(fa)
        sheet = selectors.sheet_of(fa.project, fa=fa)
        problems = sheet.submit_problems()
        if problems:
            raise DomainError("final_accounts.incomplete", "竣工财务决算尚不能提交：" + "；".join(problems))
        fa.contract_cost, fa.other_cost, fa.final_cost = sheet.contract_cost, sheet.other_cost, sheet.final_cost
        fa.estimate, fa.budget, fa.received = sheet.estimate, sheet.budget, sheet.received
        fa.submitted_at = timezone.now()
        fa.save()
        project = fa.project
        over = f"（超概算 {_yuan(sheet.over_estimate)}）" if sheet.over_estimate > 0 else ""
        request = approval_services.approval_submit(
            actor=actor,
            agency=project.agency,
            kind=APPROVAL_KIND,
            subject=fa,
            title=f"{project.code} {project.name} 竣工财务决算 {_yuan(sheet.final_cost)}{over}",
            amount=sheet.final_cost,
            project=project,
        )
        audit_event_record(
            actor=actor,
            action="closeout.final_accounts.submit",
            obj=fa,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 提交竣工财务决算：决算总投资 {_yuan(sheet.final_cost)}，概算执行率 {sheet.execution_rate_text}{over}",
        )
    return request


def final_accounts_report_file(*, actor: User, fa: FinalAccounts) -> FinalAccounts:
    """File the approved final accounts as the stage's documents: the report PDF as 《竣工财务决算报告》 and the
    approval record as 《决算批复》 (new versions of the project documents; earlier versions stay)."""
    org_perms.require(actor, perms.FA_PREPARE, fa.project.agency_id)
    with transaction.atomic():
        fa = _locked_fa(fa)
        sheet = selectors.sheet_of(fa.project, fa=fa)
        if sheet.state != "approved":
            raise DomainError("final_accounts.not_approved", f"竣工财务决算{sheet.state_label}，审批通过后方可归档决算报告")
        project = fa.project
        types = {t.code: t for t in DocumentType.objects.filter(code__in=["final_accounts_report", "final_accounts_approval"])}
        report = final_accounts_report_pdf(sheet)
        for code, suffix in (("final_accounts_report", "竣工财务决算报告"), ("final_accounts_approval", "决算审批单")):
            if code in types:
                document_upload(
                    actor=actor,
                    project=project,
                    doc_type=types[code],
                    file=SimpleUploadedFile(f"{project.code}-{suffix}.pdf", report, content_type="application/pdf"),
                    note="系统生成（竣工财务决算审批通过）",
                )
        fa.report_filed_at = timezone.now()
        fa.save(update_fields=["report_filed_at"])
        audit_event_record(
            actor=actor,
            action="closeout.final_accounts.file_report",
            obj=fa,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 竣工财务决算报告归档（决算总投资 {_yuan(sheet.final_cost)}）",
        )
    return fa
