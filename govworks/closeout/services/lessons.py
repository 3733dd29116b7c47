"""Writes of the review (复盘): the project manager's review report, its submission and the department head's
approval (never the writer's own), and the lessons that go into the knowledge base."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from govworks.closeout import permissions_archives as perms
from govworks.closeout.models import Lesson, LessonCategory, ReviewReport
from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.org import permissions as org_perms
from govworks.org.models import User
from govworks.projects.models import Project, Stage

#: from 竣工验收 on a project can be reviewed (the report is finished at 绩效评价 at the latest)
REVIEW_STAGES = (
    Stage.ACCEPTANCE,
    Stage.SETTLEMENT,
    Stage.FINAL_ACCOUNTS,
    Stage.ARCHIVING,
    Stage.ASSET_HANDOVER,
    Stage.EVALUATION,
    Stage.CLOSED,
)
MIN_TEXT = 10


def _text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if len(value) < MIN_TEXT:
        raise DomainError("review.text", f"请写明{label}（不少于{MIN_TEXT}个字）", field=field)
    return value


def review_report_save(
    *, actor: User, project: Project, went_well: str, went_badly: str, root_causes: str, improvements: str = ""
) -> ReviewReport:
    """Write or revise the project's review report (a draft until submitted). Refused before 竣工验收, once
    submitted or approved, and for a section shorter than 10 characters."""
    org_perms.require(actor, perms.REVIEW_WRITE, project.agency_id)
    went_well = _text(went_well, "went_well", "做得好的方面")
    went_badly = _text(went_badly, "went_badly", "做得不好的方面")
    root_causes = _text(root_causes, "root_causes", "根本原因")
    if project.stage not in REVIEW_STAGES:
        raise DomainError("review.stage", f"项目处于“{project.get_stage_display()}”阶段，竣工验收后才能复盘")
    with transaction.atomic():
        report = ReviewReport.objects.select_for_update().filter(project=project).first()
        created = report is None
        if report is None:
            report = ReviewReport(project=project, written_by=actor)
        elif report.status != ReviewReport.Status.DRAFT:
            raise DomainError("review.locked", f"复盘报告{report.get_status_display()}，不能再修改")
        report.went_well, report.went_badly, report.root_causes = went_well, went_badly, root_causes
        report.improvements = (improvements or "").strip()
        report.save()
        audit_event_record(
            actor=actor,
            action="closeout.review.save",
            obj=report,
            agency=project.agency,
            context=project,
            summary=f"{'撰写' if created else '修改'} {project.code} 复盘报告",
        )
    return report


def review_report_submit(*, actor: User, report: ReviewReport) -> ReviewReport:
    """Submit the draft to the department head. Refused when not a draft or without at least one lesson."""
    project = report.project
    org_perms.require(actor, perms.REVIEW_WRITE, project.agency_id)
    with transaction.atomic():
        report = ReviewReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ReviewReport.Status.DRAFT:
            raise DomainError("review.state", f"复盘报告{report.get_status_display()}，不能重复提交")
        if not Lesson.objects.filter(project=project).exists():
            raise DomainError("review.no_lesson", "请至少记录一条经验教训后再提交复盘报告")
        report.status, report.submitted_at = ReviewReport.Status.SUBMITTED, timezone.now()
        report.save(update_fields=["status", "submitted_at"])
        audit_event_record(
            actor=actor,
            action="closeout.review.submit",
            obj=report,
            agency=project.agency,
            context=project,
            summary=f"提交 {project.code} 复盘报告，待科室负责人审阅",
        )
    return report


def review_report_approve(*, actor: User, report: ReviewReport, comment: str = "", approve: bool = True) -> ReviewReport:
    """The department head approves the submitted report (the review is then finished) or returns it to draft with
    a comment. Refused for the report's own writer (职责分离) and for a report not submitted."""
    project = report.project
    org_perms.require(actor, perms.REVIEW_APPROVE, project.agency_id)
    with transaction.atomic():
        report = ReviewReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ReviewReport.Status.SUBMITTED:
            raise DomainError("review.state", f"复盘报告{report.get_status_display()}，不在待审阅状态")
        if report.written_by_id == actor.pk:
            raise DomainError("review.self", "职责分离：复盘报告的撰写人不能审阅自己的报告")
        comment = (comment or "").strip()
        if not approve and len(comment) < 4:
            raise DomainError("review.comment", "退回时请写明意见", field="comment")
        if approve:
            report.status, report.approved_by, report.approved_on = ReviewReport.Status.APPROVED, actor, timezone.localdate()
        else:
            report.status, report.submitted_at = ReviewReport.Status.DRAFT, None
        report.approval_comment = comment[:300]
        report.save()
        audit_event_record(
            actor=actor,
            action="closeout.review.approve" if approve else "closeout.review.return",
            obj=report,
            agency=project.agency,
            context=project,
            summary=f"{'审阅通过' if approve else '退回'} {project.code} 复盘报告" + (f"：{comment}" if comment else ""),
        )
    return report


def lesson_add(*, actor: User, project: Project, stage: str, category: str, title: str, content: str, advice: str = "") -> Lesson:
    """Add a lesson of ``project`` to the knowledge base, tagged with the stage it arose in and its category.
    Refused for an unknown stage or category, a title under 4 characters, a text under 10, and on a project whose
    review report is already approved."""
    org_perms.require(actor, perms.REVIEW_WRITE, project.agency_id)
    if stage not in Stage.values or stage in (Stage.SUSPENDED,):
        raise DomainError("lesson.stage", "请选择经验教训产生的阶段", field="stage")
    if category not in LessonCategory.values:
        raise DomainError("lesson.category", "请选择类别", field="category")
    title = (title or "").strip()
    if len(title) < 4:
        raise DomainError("lesson.title", "标题不少于4个字", field="title")
    content = _text(content, "content", "经验教训的内容")
    if project.stage not in REVIEW_STAGES:
        raise DomainError("review.stage", f"项目处于“{project.get_stage_display()}”阶段，竣工验收后才能复盘")
    with transaction.atomic():
        if ReviewReport.objects.filter(project=project, status=ReviewReport.Status.APPROVED).exists():
            raise DomainError("lesson.locked", "复盘报告已审阅，不能再增加经验教训")
        lesson = Lesson.objects.create(
            project=project,
            agency=project.agency,
            project_type=project.project_type,
            stage=stage,
            category=category,
            title=title[:120],
            content=content,
            advice=(advice or "").strip(),
            author=actor,
        )
        audit_event_record(
            actor=actor,
            action="closeout.lesson.add",
            obj=lesson,
            agency=project.agency,
            context=project,
            summary=f"记录经验教训（{LessonCategory(category).label}·{Stage(stage).label}）：{title}",
        )
    return lesson
