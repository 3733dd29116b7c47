"""Writes of case handling (案件办理). Every step is refused with a Chinese message naming the rule, changes nothing
when refused, and leaves an audit event whose summary names the case and the step only — never the content
(notes, evidence, what was said, the conclusion): the audit log is read by people who may not read the case."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.core.numbering import next_document_number
from govworks.core.rule_parameters import rule_value
from govworks.core.rule_seed import rule_name
from govworks.core.uploads import upload_check
from govworks.core.workdays import add_working_days
from govworks.integrity import permissions_cases as perms
from govworks.integrity.case_sources import CaseSource, case_source_label, case_source_opened
from govworks.integrity.models import (
    Case,
    CaseEvidence,
    CaseInterview,
    CaseNote,
    CaseOutcome,
    CaseParty,
    CaseRectification,
    CaseStatus,
    ManualCaseSource,
)
from govworks.org import permissions as org_perms
from govworks.org.models import Agency, User

EVIDENCE_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".ofd", ".zip")
EVIDENCE_MAX_BYTES = 50 * 1024 * 1024
#: statuses in which the handlers work on the case
WORKING = (CaseStatus.INVESTIGATING, CaseStatus.INTERVIEW, CaseStatus.RECTIFICATION)
MIN_TEXT = 5


def _text(value: str, *, field: str, label: str, minimum: int = MIN_TEXT) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        raise DomainError(f"case.{field}", f"请填写{label}（至少 {minimum} 个字）", field=field)
    return value


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("agency").get(pk=case.pk)


def _require_handler(actor: User, case: Case, what: str) -> None:
    if actor.pk not in perms.handler_ids(case):
        raise PermissionDenied(f"只有本案承办人可以{what}")


def _require_handler_or_assigner(actor: User, case: Case, what: str) -> None:
    """Handlers and the 纪检 person who assigned them — unless the case has since named the assigner (回避)."""
    if actor.pk not in perms.handler_ids(case) and actor.pk != case.assigned_by_id:
        raise PermissionDenied(f"只有本案承办人或指定承办人的纪检监察负责人可以{what}")
    if perms.is_involved(actor.pk, case):
        raise PermissionDenied(f"您是本案涉及人员，须回避，不能{what}")


def _require_working(case: Case, what: str) -> None:
    if case.status == CaseStatus.FILED:
        raise DomainError("case.not_investigating", f"案件尚未开始调查：请先记录调查情况，再{what}")
    if case.status not in WORKING:
        raise DomainError("case.finished", f"案件已{case.get_status_display()}，不能再{what}")


def _audit(actor: User, case: Case, action: str, step: str, changes: dict[str, Any] | None = None) -> None:
    """Summary “案件 N <step>” only: no content of the case in the audit log."""
    audit_event_record(
        actor=actor, action=f"integrity.case.{action}", obj=case, agency=case.agency, summary=f"案件 {case.number} {step}",
        changes=changes,
    )  # fmt: skip


# ---------------------------------------------------------------------------------------- sources


def manual_source_create(*, actor: User, agency: Agency, title: str, summary: str, project: Any = None) -> ManualCaseSource:
    """直接立案: write down a lead that has no alert or complaint behind it (纪检监察 of ``agency``)."""
    org_perms.require(actor, perms.CASE_MANAGE, agency.pk)
    title = _text(title, field="title", label="线索标题", minimum=4)[:120]
    summary = _text(summary, field="summary", label="线索摘要", minimum=10)
    if project is not None and project.agency_id != agency.pk:
        raise DomainError("case.project_agency", "所选项目不属于该单位", field="project")
    with transaction.atomic():
        row = ManualCaseSource.objects.create(agency=agency, project=project, title=title, summary=summary, created_by=actor)
        audit_event_record(
            actor=actor, action="integrity.case_source.manual", obj=row, agency=agency, summary=f"登记直接立案线索 {row.pk}",
        )  # fmt: skip
    return row


# ---------------------------------------------------------------------------------------- open & assign


def case_open(*, actor: User, source: CaseSource, title: str, summary: str) -> Case:
    """立案 from ``source`` (as resolved for ``actor``). Refused for someone without 纪检监察 in the source's agency,
    for a person the source names, without title or summary, or while an earlier case of the same source is open."""
    org_perms.require(actor, perms.CASE_MANAGE, source.agency_id)
    if actor.pk in source.involved_user_ids:
        raise PermissionDenied("您是该线索涉及的人员，不能立案办理（回避）")
    title = _text(title, field="title", label="案件标题", minimum=4)[:120]
    summary = _text(summary, field="summary", label="案情摘要", minimum=10)
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=source.agency_id)
        earlier = Case.objects.filter(source_kind=source.kind, source_id=source.source_id).exclude(status=CaseStatus.CLOSED)
        found = earlier.first()
        if found is not None:
            raise DomainError(
                "case.duplicate", f"该{case_source_label(source.kind)}已立案（案件 {found.number}），办结前不能重复立案"
            )
        number = next_document_number(agency=agency, key="integrity.case", year=timezone.localdate().year, word="AJ")
        case = Case.objects.create(
            number=number, agency=agency, project_id=source.project_id, source_kind=source.kind,
            source_id=source.source_id, source_url=source.url[:300], source_title=source.title[:200], title=title,
            summary=summary, opened_by=actor,
        )  # fmt: skip
        involved = set(source.involved_user_ids)
        CaseParty.objects.bulk_create([CaseParty(case=case, user_id=uid, from_source=True) for uid in sorted(involved)])
        _audit(
            actor,
            case,
            "open",
            f"立案（来源：{case_source_label(source.kind)}）",
            {"parties": {"before": 0, "after": len(involved)}},
        )
        case_source_opened(actor, source, case)
    return case


def case_assign(*, actor: User, case: Case, handlers: Iterable[User]) -> Case:
    """指定承办人 (replaces the set). Refused for someone without 纪检监察 in the case's agency or named by it, after
    the conclusion, without a handler, or for a handler who does not hold 纪检监察 in the case's agency, is one of
    the three administrators or is named by the case."""
    people = list({h.pk: h for h in handlers}.values())
    with transaction.atomic():
        case = _locked(case)
        if not perms.may_assign(actor, case):
            raise PermissionDenied("只有本单位纪检监察人员（非本案涉及人员）可以指定承办人")
        if case.status in (CaseStatus.CONCLUDED, CaseStatus.CLOSED):
            raise DomainError("case.finished", f"案件已{case.get_status_display()}，不能再调整承办人")
        if not people:
            raise DomainError("case.handlers", "请至少指定一名承办人", field="handlers")
        involved = set(case.parties.values_list("user_id", flat=True))
        for person in people:
            org_perms.require_business_person(person, duty="案件承办人", field="handlers")
            if person.pk in involved:
                raise DomainError(
                    "case.handler_involved", f"{person.display_name} 是本案涉及人员，须回避，不能承办", field="handlers"
                )
            if not org_perms.can(person, perms.CASE_MANAGE, case.agency_id):
                raise DomainError(
                    "case.handler_role", f"{person.display_name} 不是{case.agency.short_name or case.agency.name}的纪检监察人员，不能承办",
                    field="handlers",
                )  # fmt: skip
        before = sorted(perms.handler_ids(case))
        case.handlers.set(people)
        case.assigned_by, case.assigned_at = actor, timezone.now()
        case.save(update_fields=["assigned_by", "assigned_at"])
        after = sorted(p.pk for p in people)
        _audit(actor, case, "assign", f"指定承办人（{len(people)} 名）", {"handlers": {"before": before, "after": after}})
    return case


# ---------------------------------------------------------------------------------------- investigation


def case_note_add(*, actor: User, case: Case, text: str) -> CaseNote:
    """调查记录. The first one starts the investigation (立案 → 调查)."""
    text = _text(text, field="text", label="调查记录", minimum=10)
    with transaction.atomic():
        case = _locked(case)
        _require_handler(actor, case, "记录调查情况")
        if case.status not in (CaseStatus.FILED, *WORKING):
            raise DomainError("case.finished", f"案件已{case.get_status_display()}，不能再记录调查情况")
        note = CaseNote.objects.create(case=case, text=text, author=actor)
        before = case.status
        if case.status == CaseStatus.FILED:
            case.status, case.investigating_since = CaseStatus.INVESTIGATING, timezone.now()
            case.save(update_fields=["status", "investigating_since"])
        _audit(
            actor,
            case,
            "note",
            "调查记录新增",
            {"status": {"before": before, "after": case.status}} if before != case.status else None,
        )
    return note


def case_evidence_add(*, actor: User, case: Case, file: UploadedFile, description: str) -> CaseEvidence:
    """证据材料 (content-checked like every upload). Refused outside the investigation."""
    description = _text(description, field="description", label="证据说明", minimum=2)[:200]
    upload_check(file, field="file", types=EVIDENCE_TYPES, max_bytes=EVIDENCE_MAX_BYTES)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    with transaction.atomic():
        case = _locked(case)
        _require_handler(actor, case, "上传证据材料")
        _require_working(case, "上传证据材料")
        name = file.name or "file"
        row = CaseEvidence(case=case, original_name=name[:200], sha256=digest.hexdigest(),
                           description=description, uploaded_by=actor)  # fmt: skip
        # the stored name tells nothing (a file name such as “某某受贿证据.pdf” is itself confidential)
        row.file.save(secrets.token_hex(8) + os.path.splitext(name)[1].lower(), file, save=False)
        row.save()
        _audit(actor, case, "evidence", "证据材料新增", {"sha256": {"before": None, "after": row.sha256}})
    return row


def case_party_add(*, actor: User, case: Case, person: User, reason: str) -> CaseParty:
    """A handler adds a person the case names (with a reason). Refused for a handler of the case (reassign first)
    or someone already named."""
    reason = _text(reason, field="reason", label="添加理由")[:200]
    with transaction.atomic():
        case = _locked(case)
        _require_handler(actor, case, "添加涉及人员")
        if case.status == CaseStatus.CLOSED:
            raise DomainError("case.finished", "案件已办结，不能再添加涉及人员")
        if person.pk in perms.handler_ids(case):
            raise DomainError(
                "case.party_handler", f"{person.display_name} 是本案承办人：请先由纪检监察负责人调整承办人", field="person"
            )
        if perms.is_involved(person.pk, case):
            raise DomainError("case.party_duplicate", f"{person.display_name} 已在涉及人员中", field="person")
        party = CaseParty.objects.create(case=case, user=person, reason=reason, added_by=actor)
        _audit(actor, case, "party", "涉及人员新增")
    return party


def case_interview_record(
    *,
    actor: User,
    case: Case,
    held_on: dt.date,
    place: str,
    interviewees: str,
    interviewers: str,
    minutes: str,
    commitments: str = "",
    held_time: dt.time | None = None,
) -> CaseInterview:
    """约谈记录 (attendees, time, place, what was said, commitments). Refused for a date in the future."""
    if held_on is None or held_on > timezone.localdate():
        raise DomainError("case.interview_date", "约谈日期不能晚于今天", field="held_on")
    place = _text(place, field="place", label="约谈地点", minimum=2)
    interviewees = _text(interviewees, field="interviewees", label="被约谈人", minimum=2)
    interviewers = _text(interviewers, field="interviewers", label="约谈人", minimum=2)
    minutes = _text(minutes, field="minutes", label="约谈记录", minimum=10)
    with transaction.atomic():
        case = _locked(case)
        _require_handler(actor, case, "记录约谈")
        _require_working(case, "记录约谈")
        row = CaseInterview.objects.create(
            case=case, held_on=held_on, held_time=held_time, place=place, interviewees=interviewees,
            interviewers=interviewers, minutes=minutes, commitments=(commitments or "").strip(), recorded_by=actor,
        )  # fmt: skip
        before = case.status
        if case.status == CaseStatus.INVESTIGATING:
            case.status = CaseStatus.INTERVIEW
            case.save(update_fields=["status"])
        _audit(
            actor,
            case,
            "interview",
            "约谈记录新增",
            {"status": {"before": before, "after": case.status}} if before != case.status else None,
        )
    return row


def rectification_default_deadline(case: Case) -> dt.date:
    days = int(rule_value("case.rectification_working_days", agency=case.agency))
    return add_working_days(timezone.localdate(), days)


def case_rectification_demand(*, actor: User, case: Case, demand: str, deadline: dt.date) -> CaseRectification:
    """整改 demanded with a deadline: after today and within the rule's longest term (working days)."""
    demand = _text(demand, field="demand", label="整改要求", minimum=10)
    today = timezone.localdate()
    if deadline is None or deadline <= today:
        raise DomainError("case.deadline_past", "整改期限须晚于今天", field="deadline")
    with transaction.atomic():
        case = _locked(case)
        _require_handler(actor, case, "提出整改要求")
        _require_working(case, "提出整改要求")
        key = "case.rectification_max_working_days"
        longest = int(rule_value(key, agency=case.agency))
        if deadline > add_working_days(today, longest):
            raise DomainError(
                "case.deadline_far", f"整改期限不能超过 {longest} 个工作日（规则“{rule_name(key)}”）", field="deadline"
            )
        row = CaseRectification.objects.create(case=case, demand=demand, deadline=deadline, demanded_by=actor)
        before = case.status
        case.status = CaseStatus.RECTIFICATION
        case.save(update_fields=["status"])
        _audit(
            actor,
            case,
            "rectify",
            "提出整改要求",
            {"deadline": {"before": None, "after": deadline}, "status": {"before": before, "after": case.status}},
        )
    return row


def case_rectification_verify(
    *, actor: User, rectification: CaseRectification, passed: bool, verification: str
) -> CaseRectification:
    """整改验证 by a handler — or the person who assigned them — other than the one who demanded it (职责分离)."""
    verification = _text(verification, field="verification", label="验证意见", minimum=5)
    with transaction.atomic():
        case = _locked(rectification.case)
        row = CaseRectification.objects.select_for_update().get(pk=rectification.pk)
        _require_handler_or_assigner(actor, case, "验证整改")
        if row.demanded_by_id == actor.pk:
            raise DomainError("case.verify_self", "整改要求由您提出：须由另一名承办人或纪检监察负责人验证（职责分离）")
        if row.status != CaseRectification.Status.PENDING:
            raise DomainError("case.verified", f"该整改已{row.get_status_display()}，不能重复验证")
        if case.status not in WORKING:
            raise DomainError("case.finished", f"案件已{case.get_status_display()}，不能再验证整改")
        row.status = CaseRectification.Status.PASSED if passed else CaseRectification.Status.FAILED
        row.verification, row.verified_by, row.verified_at = verification, actor, timezone.now()
        row.save(update_fields=["status", "verification", "verified_by", "verified_at"])
        _audit(actor, case, "verify", "整改验证", {"rectification": {"before": "pending", "after": row.status}})
    return row


def case_conclude(*, actor: User, case: Case, outcome: str, conclusion: str) -> Case:
    """结论: 无问题 / 提醒谈话 / 诫勉 / 移送 with its reasons. Refused without an investigation note, while a 整改 waits
    for its verification, or without the text."""
    if outcome not in CaseOutcome.values:
        raise DomainError("case.outcome", "请选择结论（无问题、提醒谈话、诫勉或移送）", field="outcome")
    conclusion = _text(conclusion, field="conclusion", label="结论意见", minimum=10)
    with transaction.atomic():
        case = _locked(case)
        _require_handler(actor, case, "作出结论")
        _require_working(case, "作出结论")
        if not case.notes.exists():
            raise DomainError("case.no_notes", "尚无调查记录，不能作出结论")
        pending = case.rectifications.filter(status=CaseRectification.Status.PENDING).count()
        if pending:
            raise DomainError("case.rectification_pending", f"尚有 {pending} 项整改未验证，不能作出结论")
        before = case.status
        case.status, case.outcome, case.conclusion = CaseStatus.CONCLUDED, outcome, conclusion
        case.concluded_by, case.concluded_at = actor, timezone.now()
        case.save(update_fields=["status", "outcome", "conclusion", "concluded_by", "concluded_at"])
        _audit(actor, case, "conclude", "作出结论", {"status": {"before": before, "after": case.status}})
    return case


def case_close(*, actor: User, case: Case) -> Case:
    """办结 after the conclusion, by a handler or the person who assigned them."""
    with transaction.atomic():
        case = _locked(case)
        _require_handler_or_assigner(actor, case, "办结")
        if case.status != CaseStatus.CONCLUDED:
            raise DomainError("case.not_concluded", f"案件处于“{case.get_status_display()}”：作出结论后才能办结")
        case.status, case.closed_by, case.closed_at = CaseStatus.CLOSED, actor, timezone.now()
        case.save(update_fields=["status", "closed_by", "closed_at"])
        _audit(actor, case, "close", "办结", {"status": {"before": CaseStatus.CONCLUDED, "after": CaseStatus.CLOSED}})
    return case
