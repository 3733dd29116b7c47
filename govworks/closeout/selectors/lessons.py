"""Reads of the review (复盘) and the lessons knowledge base: search by text, category and project type over what the
user may read; the lessons of projects of the same kind for an initiation page; reports awaiting the head."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from govworks.closeout.models import Lesson, ReviewReport
from govworks.closeout.permissions_archives import lessons_visible_to, reviews_visible_to
from govworks.projects.models import Project


def lesson_search(*, user: Any, q: str = "", category: str = "", project_type: str = "", stage: str = "") -> QuerySet[Lesson]:
    """Lessons ``user`` may read, newest first, filtered by words in the title, text or advice, a category, the
    project type and the stage; the project and agency come along (no query per row)."""
    qs = lessons_visible_to(user)
    for word in (q or "").split()[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(content__icontains=word) | Q(advice__icontains=word))
    if category:
        qs = qs.filter(category=category)
    if project_type:
        qs = qs.filter(project_type=project_type)
    if stage:
        qs = qs.filter(stage=stage)
    return qs.select_related("project", "agency", "author").order_by("-created_at", "-id")


def lessons_for_similar(*, user: Any, project: Project, limit: int = 5) -> list[Lesson]:
    """Lessons of other projects of the same type that ``user`` may read (for the initiation page). One query."""
    return list(
        lessons_visible_to(user)
        .filter(project_type=project.project_type)
        .exclude(project=project)
        .select_related("project", "agency")
        .order_by("-created_at", "-id")[:limit]
    )


def review_of(project: Project) -> ReviewReport | None:
    return ReviewReport.objects.filter(project=project).select_related("written_by", "approved_by").first()


def lessons_of(project: Project) -> list[Lesson]:
    return list(Lesson.objects.filter(project=project).select_related("author").order_by("stage", "id"))


def reviews_awaiting(*, user: Any, agency_ids: set[int]) -> list[ReviewReport]:
    """Submitted reports of ``agency_ids`` written by someone else (the head's workbench). One query."""
    return list(
        reviews_visible_to(user)
        .filter(project__agency_id__in=agency_ids, status=ReviewReport.Status.SUBMITTED)
        .exclude(written_by=user)
        .select_related("project")[:100]
    )


def reviews_to_write(*, user: Any, agency_ids: set[int]) -> list[Project]:
    """Projects in 绩效评价 the user manages whose review is not yet submitted (the manager's workbench). One query."""
    return list(
        Project.objects.filter(agency_id__in=agency_ids, manager=user, stage="evaluation")
        .exclude(review_report__status__in=[ReviewReport.Status.SUBMITTED, ReviewReport.Status.APPROVED])
        .order_by("id")[:100]
    )


def review_finished_on(project: Project) -> dt.date | None:
    """The fact ``review.finished_on``: the day the department head approved the review report, or None."""
    return (
        ReviewReport.objects.filter(project=project, status=ReviewReport.Status.APPROVED)
        .values_list("approved_on", flat=True)
        .first()
    )
