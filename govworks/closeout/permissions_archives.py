"""Actions of the archive (档案) and of the review (复盘), which roles hold them, and who sees what.

* The 档案员 of the project's agency keeps its archive: verifies each item, uploads a missing one, records the
  transfer to the 城建档案馆, and keeps the agency's catalogue (its own rows over the deployment's).
* The archive package (ZIP) is exported by the 档案员, the project's managers and the 科室负责人; 纪检监察 and 内审 read
  every archive of their agency (they hold a role there) and may export it too.
* The review report is written by 工程管理岗 (or 科室负责人) and approved by the 科室负责人 — never by its writer; lessons
  are added by the same people. The knowledge base is read by everyone who reads the agency's projects, which takes
  in the agency's subordinates (``business_readable_agency_ids``).
* Reading follows the project: whoever may read the project reads its archive and its review.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from govworks.closeout.models import Lesson, ReviewReport
from govworks.org import permissions as org_perms
from govworks.org.roles import Role
from govworks.projects.models import Project
from govworks.projects.permissions import projects_visible_to

ARCHIVE_MANAGE = "closeout.archive_manage"
ARCHIVE_CATALOGUE_EDIT = "closeout.archive_catalogue_edit"
ARCHIVE_EXPORT = "closeout.archive_export"
REVIEW_WRITE = "closeout.review_write"
REVIEW_APPROVE = "closeout.review_approve"

org_perms.register_role_actions(Role.ARCHIVIST, {ARCHIVE_MANAGE, ARCHIVE_CATALOGUE_EDIT, ARCHIVE_EXPORT})
org_perms.register_role_actions(Role.PROJECT_MANAGER, {ARCHIVE_EXPORT, REVIEW_WRITE})
org_perms.register_role_actions(Role.DEPARTMENT_HEAD, {ARCHIVE_EXPORT, REVIEW_WRITE, REVIEW_APPROVE})
org_perms.register_role_actions(Role.DISCIPLINE, {ARCHIVE_EXPORT})
org_perms.register_role_actions(Role.INTERNAL_AUDIT, {ARCHIVE_EXPORT})
org_perms.ACTION_LABELS.update(
    {
        ARCHIVE_MANAGE: "工程档案核验、补充与移交",
        ARCHIVE_CATALOGUE_EDIT: "维护档案归档目录",
        ARCHIVE_EXPORT: "导出工程档案包",
        REVIEW_WRITE: "撰写项目复盘报告和经验教训",
        REVIEW_APPROVE: "审阅项目复盘报告",
    }
)


def may_read_archives(user: Any) -> bool:
    """Staff with a business role somewhere (the list itself is scoped to readable agencies)."""
    return org_perms.is_signed_in(user) and bool(org_perms.business_readable_agency_ids(user))


def may_edit_catalogue(user: Any) -> bool:
    return org_perms.can_anywhere(user, ARCHIVE_CATALOGUE_EDIT)


def archive_projects_visible_to(user: Any) -> QuerySet[Project]:
    """Projects whose archive the user may read (the projects they may read)."""
    if not org_perms.is_signed_in(user):
        return Project.objects.none()
    return projects_visible_to(user)


def access_archive_project(user: Any, pk: Any) -> Project:
    """The project of an archive page; 404 for missing and for forbidden alike."""
    try:
        return archive_projects_visible_to(user).select_related("agency", "department", "manager").get(pk=pk)
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或您无权查看") from None


def lessons_visible_to(user: Any) -> QuerySet[Lesson]:
    """Lessons of every agency the user reads (their own and its subordinates)."""
    if not org_perms.is_signed_in(user):
        return Lesson.objects.none()
    return Lesson.objects.filter(agency_id__in=org_perms.business_readable_agency_ids(user))


def reviews_visible_to(user: Any) -> QuerySet[ReviewReport]:
    if not org_perms.is_signed_in(user):
        return ReviewReport.objects.none()
    return ReviewReport.objects.filter(project__agency_id__in=org_perms.business_readable_agency_ids(user))
