"""Patrols and the rectification loop (闭环监督): a patrol's failed checklist items become rectification
notices with severity, deadline and responsible party; the contractor replies with evidence; the
inspector verifies — pass closes it, fail reopens it with a new deadline; a notice
``rectification.escalate_after_overdue_days`` past its deadline escalates to the leader in charge (daily
job), a 重大隐患 at once, and may come with a stop-work order (工程暂停令). Every step is on the timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from govworks.construction import permissions as perms
from govworks.construction import reference, rules
from govworks.construction.models import (
    Inspection,
    InspectionKind,
    ProjectSite,
    RectificationNotice,
    RectificationStep,
)
from govworks.construction.selectors.parties import site_parties
from govworks.construction.services.lights import responsible_leader, site_locked
from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.core.numbering import next_document_number
from govworks.core.rule_parameters import rule_value
from govworks.core.uploads import upload_check
from govworks.org import permissions as org_perms
from govworks.org.models import ExternalOrganization, User
from govworks.projects.models import Project, Stage
from govworks.projects.permissions import PROJECT_ADVANCE

Severity = RectificationNotice.Severity
Status = RectificationNotice.Status


def default_deadline(project: Project, on: dt.date) -> dt.date:
    return on + dt.timedelta(days=int(rule_value("rectification.default_deadline_days", agency=project.agency, on=on)))


def _inspector(actor: Any, project: Project) -> ProjectSite | None:
    site = ProjectSite.objects.filter(project=project).first()
    if not perms.may_verify_notice(actor, project):
        raise PermissionDenied("只有项目所属单位的工程管理岗、科室负责人或本项目监理单位可以巡查和签发整改通知")
    return site


def _issue(
    *,
    actor: User,
    project: Project,
    site: ProjectSite | None,
    finding: str,
    severity: str,
    deadline: dt.date,
    requirement: str = "",
    inspection: Inspection | None = None,
    responsible_org: ExternalOrganization | None = None,
    responsible_party: str = "",
    stop_work: bool = False,
    source: str = RectificationNotice.Source.SITE,
) -> RectificationNotice:
    today = timezone.localdate()
    org = responsible_org or site_parties(project).contractor_org
    party = responsible_party.strip() or (org.name if org is not None else "")
    if not party:
        raise DomainError("construction.notice_party", "请填写整改责任方（或先登记施工单位）", field="responsible_party")
    if deadline < today:
        raise DomainError("construction.notice_deadline", f"整改期限不能早于今天（{today:%Y-%m-%d}）", field="deadline")
    number = next_document_number(agency=project.agency, key="construction.notice", year=today.year, word="ZG")
    notice = RectificationNotice.objects.create(
        project=project,
        inspection=inspection,
        number=number,
        finding=finding.strip(),
        requirement=requirement.strip(),
        severity=severity,
        responsible_org=org,
        responsible_party=party[:120],
        deadline=deadline,
        issued_by=actor,
        issued_on=today,
        stop_work=stop_work and severity == Severity.MAJOR,
        source=source,
    )
    audit_event_record(
        actor=actor,
        action="construction.notice.issue",
        obj=notice,
        agency=project.agency,
        context=project,
        summary=f"{project.code} 签发{notice}（{notice.get_severity_display()}）：{notice.finding[:80]}，{deadline:%Y-%m-%d}前整改，责任方{party}",
    )
    if severity == Severity.MAJOR:
        _escalate(notice, site, today, reason="重大隐患立即升级")
    return notice


def notice_issue(
    *,
    actor: User,
    project: Project,
    finding: str,
    severity: str = Severity.GENERAL,
    deadline: dt.date | None = None,
    requirement: str = "",
    responsible_org: ExternalOrganization | None = None,
    responsible_party: str = "",
    stop_work: bool = False,
    source: str = RectificationNotice.Source.SITE,
) -> RectificationNotice:
    """签发整改通知单 outside a patrol. The deadline defaults to rectification.default_deadline_days; a
    重大隐患 escalates to the leader at once and, with ``stop_work``, suspends the project (工程暂停令).
    ``source`` marks a problem found at the completion acceptance or in the defect-liability period (close-out
    keeps its link to the notice; the loop is this one)."""
    site = _inspector(actor, project)
    if len(finding.strip()) < 4:
        raise DomainError("construction.notice_finding", "请描述发现的问题", field="finding")
    if severity not in Severity.values:
        raise DomainError("construction.notice_severity", "请选择严重程度", field="severity")
    if stop_work and severity != Severity.MAJOR:
        raise DomainError("construction.notice_stop", "只有重大隐患可以下达工程暂停令", field="stop_work")
    if stop_work and not org_perms.can(actor, PROJECT_ADVANCE, project.agency_id):
        raise DomainError("construction.notice_stop_right", "工程暂停令须由建设单位工程管理岗或科室负责人下达", field="stop_work")
    with transaction.atomic():
        site_locked(project)
        notice = _issue(
            actor=actor,
            project=project,
            site=site,
            finding=finding,
            severity=severity,
            deadline=deadline or default_deadline(project, timezone.localdate()),
            requirement=requirement,
            responsible_org=responsible_org,
            responsible_party=responsible_party,
            stop_work=stop_work,
            source=source,
        )
        if notice.stop_work:
            _stop_work(actor, project, notice)
    return notice


def _stop_work(actor: User, project: Project, notice: RectificationNotice) -> None:
    from govworks.projects.services.projects import project_suspend

    if project.stage == Stage.CONSTRUCTION:
        project_suspend(actor=actor, project=project, reason=f"工程暂停令：{notice}（重大隐患）{notice.finding[:100]}")


def inspection_record(
    *,
    actor: User,
    project: Project,
    kind: str,
    inspected_on: dt.date,
    results: Sequence[Mapping[str, Any]],
    summary: str = "",
    severities: Mapping[str, str] | None = None,
) -> Inspection:
    """Record a patrol against the checklist of the project's type: each ``{"item", "ok", "note"}``; each
    failed item becomes a notice (severity from ``severities[item]``, default 一般) with the default deadline."""
    site = _inspector(actor, project)
    if kind not in InspectionKind.values:
        raise DomainError("construction.inspection_kind", "请选择巡查类别", field="kind")
    if inspected_on > timezone.localdate():
        raise DomainError("construction.inspection_date", "检查日期不能晚于今天", field="inspected_on")
    allowed = set(reference.checklist(project.project_type, kind))
    clean = []
    for r in results:
        item = str(r.get("item", ""))
        if item not in allowed:
            raise DomainError("construction.inspection_item", f"“{item}”不在本类项目的检查表中", field="results")
        ok = bool(r.get("ok"))
        note = str(r.get("note", "")).strip()
        if not ok and len(note) < 2:
            raise DomainError("construction.inspection_note", f"不合格项“{item}”须写明问题", field="results")
        clean.append({"item": item, "ok": ok, "note": note})
    if not clean:
        raise DomainError("construction.inspection_empty", "请至少填写一项检查结果", field="results")
    severities = severities or {}
    with transaction.atomic():
        site_locked(project)
        inspection = Inspection.objects.create(
            project=project, kind=kind, inspected_on=inspected_on, inspector=actor, results=clean, summary=summary.strip()
        )
        audit_event_record(
            actor=actor,
            action="construction.inspection.record",
            obj=inspection,
            agency=project.agency,
            context=project,
            summary=f"{project.code} {inspection}：{len(clean)}项，不合格{len(inspection.failed_items)}项",
        )
        for r in inspection.failed_items:
            _issue(
                actor=actor,
                project=project,
                site=site,
                finding=f"{r['item']}：{r['note']}",
                severity=severities.get(r["item"], Severity.GENERAL),
                deadline=default_deadline(project, timezone.localdate()),
                inspection=inspection,
            )
    return inspection


def _step(notice: RectificationNotice, kind: str, text: str, actor: Any, **extra: Any) -> RectificationStep:
    return RectificationStep.objects.create(notice=notice, kind=kind, text=text, actor=actor, **extra)


def _escalate(notice: RectificationNotice, site: ProjectSite | None, today: dt.date, *, reason: str) -> None:
    leader = responsible_leader(notice.project, site)
    notice.escalated_to, notice.escalated_on = leader, today
    notice.save(update_fields=["escalated_to", "escalated_on"])
    _step(notice, RectificationStep.Kind.ESCALATE, f"{reason}，升级至{leader.display_name}", None)
    audit_event_record(
        actor=None,
        action="construction.notice.escalate",
        obj=notice,
        agency=notice.project.agency,
        context=notice.project,
        summary=f"{notice.project.code} {notice} {reason}，升级至{leader.display_name}督办",
    )


def _locked_notice(notice: RectificationNotice) -> RectificationNotice:
    locked = RectificationNotice.objects.select_for_update().select_related("project", "project__agency").get(pk=notice.pk)
    return locked


EVIDENCE_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".webp", ".doc", ".docx", ".xls", ".xlsx")
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def notice_reply(*, actor: User, notice: RectificationNotice, text: str, evidence: Any = None) -> RectificationNotice:
    """The responsible party replies (整改回复) with what was done and evidence; the notice awaits verification."""
    if not perms.may_reply_notice(actor, notice):
        raise PermissionDenied("只有整改责任单位（或工程管理岗代为）可以回复整改通知")
    if len(text.strip()) < 4:
        raise DomainError("construction.reply_text", "请填写整改情况", field="text")
    if evidence is not None:
        upload_check(evidence, field="evidence", types=EVIDENCE_TYPES, max_bytes=EVIDENCE_MAX_BYTES)
    with transaction.atomic():
        notice = _locked_notice(notice)
        if notice.status != Status.OPEN:
            raise DomainError("construction.reply_state", f"{notice}当前为“{notice.get_status_display()}”，不能回复")
        step = RectificationStep(notice=notice, kind=RectificationStep.Kind.REPLY, text=text.strip(), actor=actor)
        if evidence is not None:
            step.evidence.save(getattr(evidence, "name", "evidence")[-80:], evidence, save=False)
        step.save()
        notice.status = Status.REPLIED
        notice.save(update_fields=["status"])
        audit_event_record(
            actor=actor,
            action="construction.notice.reply",
            obj=notice,
            agency=notice.project.agency,
            context=notice.project,
            summary=f"{notice.project.code} {notice} 整改回复{'（附佐证）' if evidence is not None else ''}：{text.strip()[:80]}",
        )
    return notice


def notice_verify(
    *, actor: User, notice: RectificationNotice, passed: bool, opinion: str, new_deadline: dt.date | None = None
) -> RectificationNotice:
    """复查: pass closes (销项) the notice; fail reopens it with a new deadline (default: the parameter's days)."""
    project = notice.project
    _inspector(actor, project)
    if len(opinion.strip()) < 2:
        raise DomainError("construction.verify_opinion", "请填写复查意见", field="opinion")
    today = timezone.localdate()
    if not passed and new_deadline is not None and new_deadline <= today:
        raise DomainError("construction.verify_deadline", f"新整改期限须晚于今天（{today:%Y-%m-%d}）", field="new_deadline")
    with transaction.atomic():
        notice = _locked_notice(notice)
        if notice.status != Status.REPLIED:
            raise DomainError("construction.verify_state", f"{notice}当前为“{notice.get_status_display()}”，须先有整改回复")
        if (
            notice.steps.filter(kind=RectificationStep.Kind.REPLY).order_by("-id").values_list("actor_id", flat=True).first()
            == actor.pk
        ):
            raise DomainError("construction.verify_self", "不能复查本人回复的整改")
        if passed:
            notice.status, notice.closed_on = Status.CLOSED, today
            notice.save(update_fields=["status", "closed_on"])
            _step(notice, RectificationStep.Kind.PASS, opinion.strip(), actor)
            summary = f"{project.code} {notice} 复查合格，销项"
        else:
            deadline = new_deadline or default_deadline(project, today)
            notice.status, notice.deadline = Status.OPEN, deadline
            notice.reopen_count += 1
            notice.save(update_fields=["status", "deadline", "reopen_count"])
            _step(notice, RectificationStep.Kind.FAIL, opinion.strip(), actor, new_deadline=deadline)
            summary = f"{project.code} {notice} 复查不合格，重新整改，期限{deadline:%Y-%m-%d}"
        audit_event_record(
            actor=actor,
            action="construction.notice.verify",
            obj=notice,
            agency=project.agency,
            context=project,
            summary=summary,
            reason=opinion.strip(),
        )
    return notice


def notices_escalate(today: dt.date) -> str:
    """Daily: open notices ``rectification.escalate_after_overdue_days`` past their deadline escalate to
    the leader (once per deadline: a reopened notice that runs over again escalates again)."""
    candidates = (
        RectificationNotice.objects.filter(status=Status.OPEN, deadline__lt=today)
        .select_related("project", "project__agency")
        .order_by("pk")
    )
    escalated = 0
    days_by_agency: dict[int, int] = {}
    for notice in candidates:
        if notice.escalated_on is not None and notice.escalated_on >= notice.deadline:
            continue
        agency = notice.project.agency
        if agency.pk not in days_by_agency:
            days_by_agency[agency.pk] = int(rule_value("rectification.escalate_after_overdue_days", agency=agency, on=today))
        if not rules.rectification_should_escalate(
            deadline=notice.deadline, today=today, escalate_after_days=days_by_agency[agency.pk], severity_major=False
        ):
            continue
        with transaction.atomic():
            locked = _locked_notice(notice)
            if locked.status != Status.OPEN:
                continue
            site = ProjectSite.objects.filter(project_id=locked.project_id).first()
            _escalate(locked, site, today, reason=f"逾期{(today - locked.deadline).days}天未整改")
        escalated += 1
    return f"整改通知逾期升级 {escalated} 份"
