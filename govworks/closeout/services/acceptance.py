"""Writes of the completion acceptance (竣工验收): the contractor's declaration, the organisation with the five
parties, the 档案 pre-acceptance, each party's opinion, the problems (construction's rectification loop), the
conclusion with its record PDF filed as the stage's 竣工验收报告, and the 备案.

Each service checks the caller's right, then the rules at the moment of action (``rules_acceptance``), writes and
records the audit event in one transaction; a refusal changes nothing. A 合格 conclusion starts the
defect-liability period of the main construction contract (``services.defects.defect_period_start``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from govworks.closeout import permissions_acceptance as perms
from govworks.closeout import rules_acceptance as rules
from govworks.closeout.models import Acceptance, AcceptanceParty, AcceptanceProblem, PartyRole
from govworks.closeout.selectors import acceptance as sel
from govworks.construction.models import RectificationNotice
from govworks.construction.selectors.parties import site_parties
from govworks.construction.services.inspections import notice_issue
from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.core.pdf import html_to_pdf
from govworks.core.rule_parameters import rule_value
from govworks.core.rule_seed import rule_name
from govworks.core.uploads import upload_check
from govworks.org.models import User
from govworks.procurement.models import Contract, SupplierCategory
from govworks.projects.models import DocumentType, DocumentVersion, Project, Stage
from govworks.projects.services.documents import document_upload

DECLARATION_TYPES = (".pdf", ".doc", ".docx", ".jpg", ".jpeg", ".png")
FILING_TYPES = (".pdf", ".jpg", ".jpeg", ".png")
MAX_BYTES = 20 * 1024 * 1024
Status = Acceptance.Status


def _latest(project: Project) -> Acceptance | None:
    return Acceptance.objects.filter(project=project).order_by("-round").first()


def _locked(acceptance: Acceptance) -> Acceptance:
    return Acceptance.objects.select_for_update().select_related("project", "project__agency").get(pk=acceptance.pk)


def _require_manage(actor: Any, project: Project) -> None:
    if not perms.may_manage(actor, project):
        raise PermissionDenied("只有项目所属单位的工程管理岗或科室负责人可以组织竣工验收")


def _supervision_refuse(acceptance: Acceptance, acceptance_on: dt.date, *, field: str) -> None:
    days, earliest = sel.supervision_earliest(acceptance)
    refused = rules.supervision_notice_problem(
        acceptance.supervision_notified_on, earliest, acceptance_on, days=days, rule=rule_name(sel.SUPERVISION_NOTICE_KEY)
    )
    if refused:
        raise DomainError("closeout.supervision_notice", refused, field=field)


def _design_contract(project: Project) -> Contract | None:
    return (
        Contract.objects.filter(project=project, status=Contract.Status.SIGNED, supplier__category=SupplierCategory.DESIGN)
        .select_related("supplier")
        .order_by("-signed_on", "-pk")
        .first()
    )


def _parties_create(acceptance: Acceptance) -> None:
    """The five parties: the agency as 建设单位; 施工/监理 from the signed contracts; 勘察/设计 from a signed
    勘察设计 contract where there is one — a party not known from a contract is named at the organisation."""
    project = acceptance.project
    parties = site_parties(project)
    design = _design_contract(project)
    rows = []
    for role in rules.PARTY_ORDER:
        contract: Contract | None = None
        name = ""
        if role == PartyRole.OWNER:
            name = project.agency.name
        elif role == PartyRole.CONTRACTOR:
            contract = parties.contractor
        elif role == PartyRole.SUPERVISOR:
            contract = parties.supervisor
        else:
            contract = design
        if contract is not None:
            name = contract.supplier.name
        rows.append(
            AcceptanceParty(
                acceptance=acceptance,
                role=role,
                name=name[:120],
                contract=contract,
                external_org_id=contract.supplier.external_org_id if contract is not None else None,
            )
        )
    AcceptanceParty.objects.bulk_create(rows)


def acceptance_declare(*, actor: User, project: Project, note: str, file: Any = None) -> Acceptance:
    """施工单位申报竣工 (工程竣工报告): by the contractor of the signed main construction contract, or by 工程管理岗
    on its behalf. Opens a new acceptance round with its five parties; refused while a round is open or after
    one passed, and before the works are finished (the project is still before 施工)."""
    if not perms.may_declare(actor, project):
        raise PermissionDenied("只有本项目主体施工合同的施工单位（或建设单位工程管理岗代为）可以申报竣工")
    if project.stage not in (Stage.CONSTRUCTION, Stage.ACCEPTANCE):
        raise DomainError(
            "closeout.declare_stage", f"项目当前处于“{project.get_stage_display()}”阶段，施工或竣工验收阶段方可申报竣工"
        )
    if len((note or "").strip()) < 4:
        raise DomainError("closeout.declare_note", "请填写竣工报告摘要（完成的工程内容、自检结论）", field="note")
    if file is not None:
        upload_check(file, field="file", types=DECLARATION_TYPES, max_bytes=MAX_BYTES)
    on_behalf = perms.external_org_id(actor) is None
    with transaction.atomic():
        Project.objects.select_for_update(of=("self",)).get(pk=project.pk)
        latest = _latest(project)
        if latest is not None and latest.is_open:
            raise DomainError("closeout.declare_open", f"{latest}尚在办理（{latest.get_status_display()}），不能重复申报")
        if latest is not None and latest.status == Status.PASSED:
            raise DomainError("closeout.declare_passed", f"本项目已于{latest.concluded_on:%Y-%m-%d}竣工验收合格")
        acceptance = Acceptance(
            project=project,
            round=(latest.round + 1) if latest else 1,
            declared_by=actor,
            declared_on=timezone.localdate(),
            declared_on_behalf=on_behalf,
            declaration_note=note.strip(),
        )
        if file is not None:
            acceptance.declaration_file = file
        acceptance.save()
        _parties_create(acceptance)
        audit_event_record(
            actor=actor,
            action="closeout.acceptance.declare",
            obj=acceptance,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 施工单位申报竣工（{acceptance}）" + ("，建设单位代为登记" if on_behalf else ""),
        )
    return acceptance


def acceptance_organise(
    *,
    actor: User,
    acceptance: Acceptance,
    scheduled_on: dt.date,
    location: str,
    party_names: dict[str, str] | None = None,
    archive_pre_required: bool = False,
) -> Acceptance:
    """建设单位组织竣工验收: the date and place, the names of the parties not known from a contract, and whether
    the 城建档案 pre-acceptance is required. Only in the 竣工验收 stage, on a declared round."""
    project = acceptance.project
    _require_manage(actor, project)
    if project.stage != Stage.ACCEPTANCE:
        raise DomainError(
            "closeout.organise_stage",
            f"项目当前处于“{project.get_stage_display()}”阶段，须先办结施工阶段、进入竣工验收阶段再组织验收",
        )
    if len((location or "").strip()) < 2:
        raise DomainError("closeout.organise_location", "请填写验收地点", field="location")
    names = {k: (v or "").strip() for k, v in (party_names or {}).items()}
    with transaction.atomic():
        acceptance = _locked(acceptance)
        if acceptance.status not in (Status.DECLARED, Status.ORGANISED):
            raise DomainError("closeout.organise_state", f"{acceptance}当前为“{acceptance.get_status_display()}”，不能再组织")
        parties = list(acceptance.parties.select_for_update())
        for party in parties:
            given = names.get(party.role, "")
            if given and party.contract_id is None and party.role != PartyRole.OWNER:
                party.name = given[:120]
                party.save(update_fields=["name"])
        missing = [p.get_role_display() for p in parties if not p.name]
        if missing:
            raise DomainError("closeout.organise_party", "请填写" + "、".join(missing) + "的单位名称", field="party_names")
        if acceptance.supervision_notified_on is not None:  # the date may not come earlier than the notice allows
            _supervision_refuse(acceptance, scheduled_on, field="scheduled_on")
        acceptance.status = Status.ORGANISED
        acceptance.organised_by = actor
        acceptance.scheduled_on = scheduled_on
        acceptance.location = location.strip()[:120]
        acceptance.archive_pre_required = archive_pre_required
        acceptance.save(update_fields=["status", "organised_by", "scheduled_on", "location", "archive_pre_required"])
        audit_event_record(
            actor=actor,
            action="closeout.acceptance.organise",
            obj=acceptance,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 组织竣工验收：{scheduled_on:%Y-%m-%d} 于{acceptance.location}，"
            + "、".join(f"{p.get_role_display()}{p.name}" for p in parties)
            + ("；须城建档案预验收" if archive_pre_required else ""),
        )
    return acceptance


def acceptance_supervision_notice_record(
    *, actor: User, acceptance: Acceptance, notified_on: dt.date, body: str, file: Any
) -> Acceptance:
    """登记书面通知质量监督机构 (建质〔2013〕171号第六条（三）): the day the body was notified in writing of the
    acceptance's time, place and group, the body's name and the notice (with its receipt). Refused when the
    acceptance is already scheduled earlier than ``acceptance.supervision_notice_working_days`` (7) working days
    after the notice — reschedule first."""
    project = acceptance.project
    _require_manage(actor, project)
    today = timezone.localdate()
    if notified_on > today:
        raise DomainError("closeout.supervision_date", f"通知日期不能晚于今天（{today:%Y-%m-%d}）", field="notified_on")
    if len((body or "").strip()) < 2:
        raise DomainError("closeout.supervision_body", "请填写负责监督该工程的质量监督机构名称", field="body")
    if file is None:
        raise DomainError("closeout.supervision_file", "请上传验收通知书（含时间、地点、验收组名单）及送达回执", field="file")
    upload_check(file, field="file", types=FILING_TYPES, max_bytes=MAX_BYTES)
    with transaction.atomic():
        acceptance = _locked(acceptance)
        if not acceptance.is_open:
            raise DomainError(
                "closeout.supervision_state", f"{acceptance}当前为“{acceptance.get_status_display()}”，不能再登记验收通知"
            )
        before = acceptance.supervision_notified_on
        acceptance.supervision_notified_on = notified_on
        if acceptance.scheduled_on is not None:
            _supervision_refuse(acceptance, acceptance.scheduled_on, field="notified_on")
        acceptance.supervision_body = body.strip()[:120]
        acceptance.supervision_notice_file = file
        acceptance.supervision_notified_by = actor
        acceptance.save(
            update_fields=["supervision_notified_on", "supervision_body", "supervision_notice_file", "supervision_notified_by"]
        )
        audit_event_record(
            actor=actor,
            action="closeout.acceptance.supervision_notice",
            obj=acceptance,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 书面通知质量监督机构：{notified_on:%Y-%m-%d} {acceptance.supervision_body}",
            changes={"notified_on": {"before": f"{before:%Y-%m-%d}" if before else "", "after": f"{notified_on:%Y-%m-%d}"}},
        )
    return acceptance


def acceptance_archive_pre_record(*, actor: User, acceptance: Acceptance, on: dt.date, reference: str) -> Acceptance:
    """登记城建档案预验收: the day and the number of the 档案认可文件."""
    project = acceptance.project
    _require_manage(actor, project)
    if on > timezone.localdate():
        raise DomainError("closeout.archive_pre_date", "预验收日期不能晚于今天", field="on")
    if len((reference or "").strip()) < 2:
        raise DomainError("closeout.archive_pre_reference", "请填写档案认可文件编号", field="reference")
    with transaction.atomic():
        acceptance = _locked(acceptance)
        if acceptance.status != Status.ORGANISED:
            raise DomainError("closeout.archive_pre_state", f"{acceptance}当前为“{acceptance.get_status_display()}”")
        acceptance.archive_pre_on, acceptance.archive_pre_reference = on, reference.strip()[:60]
        acceptance.save(update_fields=["archive_pre_on", "archive_pre_reference"])
        audit_event_record(
            actor=actor,
            action="closeout.acceptance.archive_pre",
            obj=acceptance,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 城建档案预验收：{on:%Y-%m-%d}，认可文件{acceptance.archive_pre_reference}",
        )
    return acceptance


def acceptance_opinion_record(
    *, actor: User, party: AcceptanceParty, opinion: str, text: str = "", representative: str = ""
) -> AcceptanceParty:
    """A party signs its opinion (同意验收/不同意验收): its own people, or 工程管理岗 entering the signed paper
    record. 不同意 needs the reason. Only while the acceptance is organised."""
    acceptance = party.acceptance
    project = acceptance.project
    if not perms.may_sign_for(actor, party):
        raise PermissionDenied(f"只有{party.get_role_display()}“{party.name}”的人员（或建设单位工程管理岗代为登记）可以签署意见")
    if opinion not in (AcceptanceParty.Opinion.AGREE, AcceptanceParty.Opinion.DISAGREE):
        raise DomainError("closeout.opinion_choice", "请选择同意验收或不同意验收", field="opinion")
    if opinion == AcceptanceParty.Opinion.DISAGREE and len((text or "").strip()) < 4:
        raise DomainError("closeout.opinion_reason", "不同意验收须写明理由", field="text")
    with transaction.atomic():
        acceptance = _locked(acceptance)
        if acceptance.status != Status.ORGANISED:
            raise DomainError("closeout.opinion_state", f"{acceptance}当前为“{acceptance.get_status_display()}”，不能签署意见")
        party = AcceptanceParty.objects.select_for_update().get(pk=party.pk)
        before = party.get_opinion_display()
        party.opinion = opinion
        party.opinion_text = (text or "").strip()
        party.representative = (representative or "").strip()[:60] or getattr(actor, "display_name", "")[:60]
        party.recorded_by = actor
        party.recorded_at = timezone.now()
        party.save(update_fields=["opinion", "opinion_text", "representative", "recorded_by", "recorded_at"])
        audit_event_record(
            actor=actor,
            action="closeout.acceptance.opinion",
            obj=acceptance,
            agency=project.agency,
            context=project,
            summary=f"{project.code} {party}（{party.representative}）签署意见：{party.get_opinion_display()}"
            + (f"，{party.opinion_text[:80]}" if party.opinion_text else ""),
            changes={"opinion": {"before": before, "after": party.get_opinion_display()}},
        )
    return party


def acceptance_problem_raise(
    *,
    actor: User,
    acceptance: Acceptance,
    finding: str,
    requirement: str = "",
    deadline: dt.date | None = None,
    severity: str = RectificationNotice.Severity.GENERAL,
    raised_by_role: str = PartyRole.OWNER,
) -> AcceptanceProblem:
    """A problem found at the acceptance becomes a rectification notice to the contractor (construction's loop:
    reply with evidence, verification); it keeps the conclusion from being 合格 until verified."""
    project = acceptance.project
    _require_manage(actor, project)
    if raised_by_role not in PartyRole.values:
        raise DomainError("closeout.problem_role", "请选择提出问题的参建方", field="raised_by_role")
    with transaction.atomic():
        acceptance = _locked(acceptance)
        if acceptance.status != Status.ORGANISED:
            raise DomainError("closeout.problem_state", f"{acceptance}当前为“{acceptance.get_status_display()}”，不能再登记问题")
        notice = notice_issue(
            actor=actor,
            project=project,
            finding=finding,
            severity=severity,
            deadline=deadline,
            requirement=requirement,
            source=RectificationNotice.Source.ACCEPTANCE,
        )
        problem = AcceptanceProblem.objects.create(acceptance=acceptance, notice=notice, raised_by_role=raised_by_role)
        audit_event_record(
            actor=actor,
            action="closeout.acceptance.problem",
            obj=acceptance,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 竣工验收发现问题（{PartyRole(raised_by_role).label}提出），签发{notice}：{notice.finding[:80]}",
        )
    return problem


def _record_pdf(acceptance: Acceptance, parties: list[AcceptanceParty], problems: list[AcceptanceProblem]) -> bytes:
    html = render_to_string(
        "closeout/acceptance/record_pdf.html",
        {"acceptance": acceptance, "project": acceptance.project, "parties": parties, "problems": problems},
    )
    return html_to_pdf(html)


def acceptance_conclude(*, actor: User, acceptance: Acceptance, passed: bool, note: str) -> Acceptance:
    """验收结论 合格/不合格: every party's opinion signed; 合格 needs all five to agree, every problem verified
    (销项) and the 档案 pre-acceptance where required. The record PDF is filed as the stage's 竣工验收报告; a 合格
    conclusion sets the 备案 deadline (``acceptance.filing_deadline_days``) and starts the defect-liability
    period."""
    from govworks.closeout.services.defects import defect_period_start

    project = acceptance.project
    _require_manage(actor, project)
    if len((note or "").strip()) < 4:
        raise DomainError("closeout.conclude_note", "请填写验收结论意见", field="note")
    today = timezone.localdate()
    with transaction.atomic():
        acceptance = _locked(acceptance)
        if acceptance.status != Status.ORGANISED:
            raise DomainError("closeout.conclude_state", f"{acceptance}当前为“{acceptance.get_status_display()}”，不能登记结论")
        parties = list(acceptance.parties.all())
        problems = list(acceptance.problems.select_related("notice"))
        open_problems = sum(1 for p in problems if p.notice.status != RectificationNotice.Status.CLOSED)
        refused = rules.conclusion_problems(
            rules.ConclusionFacts(
                opinions=[(p.get_role_display(), p.opinion) for p in parties],
                open_problems=open_problems,
                archive_pre_required=acceptance.archive_pre_required,
                archive_pre_done=acceptance.archive_pre_on is not None,
            ),
            passed=passed,
        )
        if refused:
            raise DomainError("closeout.conclude_refused", "；".join(refused), field="passed")
        _supervision_refuse(acceptance, acceptance.scheduled_on or today, field="passed")
        acceptance.status = Status.PASSED if passed else Status.FAILED
        acceptance.conclusion_note = note.strip()
        acceptance.concluded_on = today
        acceptance.concluded_by = actor
        if passed:
            days = int(rule_value("acceptance.filing_deadline_days", agency=project.agency, on=today))
            acceptance.filing_due_on = rules.filing_due_on(today, days)
        pdf = _record_pdf(acceptance, parties, problems)
        doc_type = DocumentType.objects.get(code="acceptance_report")
        upload = SimpleUploadedFile(f"竣工验收记录-{project.code}-第{acceptance.round}轮.pdf", pdf, "application/pdf")
        acceptance.report = document_upload(
            actor=actor, project=project, doc_type=doc_type, file=upload, note=f"竣工验收第{acceptance.round}轮记录"
        )
        acceptance.save(update_fields=["status", "conclusion_note", "concluded_on", "concluded_by", "filing_due_on", "report"])
        audit_event_record(
            actor=actor,
            action="closeout.acceptance.conclude",
            obj=acceptance,
            agency=project.agency,
            context=project,
            summary=f"{project.code} {acceptance}结论：{'合格' if passed else '不合格'}"
            + (f"，{acceptance.filing_due_on:%Y-%m-%d}前备案" if passed and acceptance.filing_due_on else ""),
            reason=note.strip(),
        )
        if passed:
            defect_period_start(actor=actor, acceptance=acceptance)
    return acceptance


def acceptance_filing_record(
    *, actor: User, acceptance: Acceptance, filed_on: dt.date, number: str, authority: str, file: Any
) -> Acceptance:
    """竣工验收备案: the day, the 备案 number, the authority and the stamped 备案表 (filed as the stage's
    竣工验收备案表). A filing after the rule's days is recorded with the days late."""
    project = acceptance.project
    _require_manage(actor, project)
    today = timezone.localdate()
    if len((number or "").strip()) < 2:
        raise DomainError("closeout.filing_number", "请填写备案编号", field="number")
    if len((authority or "").strip()) < 2:
        raise DomainError("closeout.filing_authority", "请填写备案机关", field="authority")
    if filed_on > today:
        raise DomainError("closeout.filing_date", f"备案日期不能晚于今天（{today:%Y-%m-%d}）", field="filed_on")
    if file is None:
        raise DomainError("closeout.filing_file", "请上传加盖备案机关印章的竣工验收备案表", field="file")
    upload_check(file, field="file", types=FILING_TYPES, max_bytes=MAX_BYTES)
    with transaction.atomic():
        acceptance = _locked(acceptance)
        if acceptance.status != Status.PASSED:
            raise DomainError(
                "closeout.filing_state", f"{acceptance}当前为“{acceptance.get_status_display()}”，验收合格后方可备案"
            )
        if acceptance.filed_on is not None:
            raise DomainError("closeout.filing_done", f"已于{acceptance.filed_on:%Y-%m-%d}备案（{acceptance.filing_number}）")
        assert acceptance.concluded_on is not None
        if filed_on < acceptance.concluded_on:
            raise DomainError(
                "closeout.filing_before", f"备案日期不能早于验收合格日期（{acceptance.concluded_on:%Y-%m-%d}）", field="filed_on"
            )
        doc_type = DocumentType.objects.get(code="acceptance_filing")
        version: DocumentVersion = document_upload(
            actor=actor, project=project, doc_type=doc_type, file=file, note=f"备案编号{number.strip()}"
        )
        acceptance.filed_on = filed_on
        acceptance.filing_number = number.strip()[:60]
        acceptance.filing_authority = authority.strip()[:120]
        acceptance.filing = version
        acceptance.filed_by = actor
        acceptance.save(update_fields=["filed_on", "filing_number", "filing_authority", "filing", "filed_by"])
        late = ""
        if acceptance.filing_due_on and filed_on > acceptance.filing_due_on:
            days = int(rule_value("acceptance.filing_deadline_days", agency=project.agency, on=acceptance.concluded_on))
            late = f"（竣工验收备案期限{days}天，逾期{(filed_on - acceptance.filing_due_on).days}天）"
        audit_event_record(
            actor=actor,
            action="closeout.acceptance.file",
            obj=acceptance,
            agency=project.agency,
            context=project,
            summary=f"{project.code} 竣工验收备案：{filed_on:%Y-%m-%d} {acceptance.filing_authority} {acceptance.filing_number}{late}",
        )
    return acceptance
