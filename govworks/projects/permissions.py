"""Actions of the project lifecycle, which roles hold them, and what each user may see.

Projects of an agency are visible to everyone who may read the agency (its staff with a role and its
superiors), and to external users assigned to them (later modules add assignments). Writes need the
action in the project's own agency.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from govworks.org import permissions as org_perms
from govworks.org.roles import Role
from govworks.projects.models import (
    AnnualPlan,
    ApprovalRequest,
    ExpertReview,
    JointReview,
    Meeting,
    Project,
)

PLAN_EDIT = "projects.plan_edit"
PLAN_RETURN = "projects.plan_return"  # superior agency's reviewers return a filed plan
PROJECT_CREATE = "projects.project_create"
PROJECT_ADVANCE = "projects.project_advance"
DOCUMENT_UPLOAD = "projects.document_upload"
MEETING_MANAGE = "projects.meeting_manage"
REVIEW_ORGANIZE = "projects.review_organize"
RESPONSIBILITY_ASSIGN = "projects.responsibility_assign"
EXPERT_POOL_MANAGE = "projects.expert_pool_manage"
SOD_ALERTS_VIEW = "projects.sod_alerts_view"  # 纪检监察: refused 职责分离 attempts (self-approval) are red flags

_manager_actions = {PLAN_EDIT, PROJECT_CREATE, PROJECT_ADVANCE, DOCUMENT_UPLOAD, REVIEW_ORGANIZE, MEETING_MANAGE}
org_perms.register_role_actions(Role.PROJECT_MANAGER, _manager_actions)
org_perms.register_role_actions(Role.LIAISON, {DOCUMENT_UPLOAD})
org_perms.register_role_actions(Role.DEPARTMENT_HEAD, _manager_actions | {RESPONSIBILITY_ASSIGN, PLAN_RETURN, EXPERT_POOL_MANAGE})
org_perms.register_role_actions(Role.LEADER_IN_CHARGE, {MEETING_MANAGE, PLAN_RETURN, RESPONSIBILITY_ASSIGN})
org_perms.register_role_actions(Role.PRINCIPAL_LEADER, {MEETING_MANAGE, PLAN_RETURN})
org_perms.register_role_actions(Role.ARCHIVIST, {DOCUMENT_UPLOAD})
org_perms.register_role_actions(Role.DISCIPLINE, {SOD_ALERTS_VIEW})
org_perms.ACTION_LABELS.update(
    {
        PLAN_EDIT: "编制年度计划",
        PLAN_RETURN: "退回下级单位计划",
        PROJECT_CREATE: "新建项目",
        PROJECT_ADVANCE: "推进项目阶段",
        DOCUMENT_UPLOAD: "上传项目文件",
        MEETING_MANAGE: "组织决策会议",
        REVIEW_ORGANIZE: "组织专家论证和联审",
        RESPONSIBILITY_ASSIGN: "调整项目责任分工",
        EXPERT_POOL_MANAGE: "管理专家库",
        SOD_ALERTS_VIEW: "查看违反职责分离的审批尝试",
    }
)


def projects_visible_to(user: Any) -> QuerySet[Project]:
    return Project.objects.filter(agency_id__in=org_perms.business_readable_agency_ids(user))


def plans_visible_to(user: Any) -> QuerySet[AnnualPlan]:
    """An agency's own plans in any state; a subordinate's only once filed (or returned after filing)."""
    from django.db.models import Q

    if not org_perms.is_signed_in(user):
        return AnnualPlan.objects.none()
    own = {aid for aid in org_perms.business_readable_agency_ids(user) if aid in _agencies_with_any_role(user)}
    readable = org_perms.business_readable_agency_ids(user)
    return AnnualPlan.objects.filter(
        Q(agency_id__in=own)
        | Q(
            agency_id__in=readable, status__in=[AnnualPlan.Status.FILED, AnnualPlan.Status.RETURNED, AnnualPlan.Status.SUPERSEDED]
        )
    )


def _agencies_with_any_role(user: Any) -> set[int]:
    return {aid for aid in org_perms.business_readable_agency_ids(user) if org_perms.roles_in(user, aid)}


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    """Meetings of readable agencies, and any meeting the user sits on."""
    from django.db.models import Q

    if not org_perms.is_signed_in(user):
        return Meeting.objects.none()
    return Meeting.objects.filter(
        Q(agency_id__in=org_perms.business_readable_agency_ids(user)) | Q(members__user=user)
    ).distinct()


def approvals_visible_to(user: Any) -> QuerySet[ApprovalRequest]:
    """Approvals of readable agencies, and those of agencies where someone has delegated to the user today."""
    from django.db.models import Q
    from django.utils import timezone

    from govworks.projects.models import Delegation

    if not org_perms.is_signed_in(user):
        return ApprovalRequest.objects.none()
    today = timezone.localdate()
    delegated = Delegation.objects.filter(
        delegate=user, starts_on__lte=today, ends_on__gte=today, revoked_at__isnull=True
    ).values("agency_id")
    return ApprovalRequest.objects.filter(
        Q(agency_id__in=org_perms.business_readable_agency_ids(user)) | Q(agency_id__in=delegated)
    )


def _get_or_404(queryset: QuerySet[Any], pk: Any) -> Any:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或您无权查看") from None


def access_project(user: Any, pk: Any) -> Project:
    return _get_or_404(projects_visible_to(user).select_related("agency", "department", "manager", "plan_item"), pk)


def access_plan(user: Any, pk: Any) -> AnnualPlan:
    return _get_or_404(plans_visible_to(user).select_related("agency", "agency__parent", "drafted_by"), pk)


def access_meeting(user: Any, pk: Any) -> Meeting:
    return _get_or_404(meetings_visible_to(user).select_related("agency", "chair", "organizer"), pk)


def access_approval(user: Any, pk: Any) -> ApprovalRequest:
    return _get_or_404(approvals_visible_to(user).select_related("agency", "project", "submitted_by"), pk)


def access_expert_review(user: Any, pk: Any) -> ExpertReview:
    return _get_or_404(
        ExpertReview.objects.filter(project__in=projects_visible_to(user)).select_related("project", "drawn_by"), pk
    )


def access_joint_review(user: Any, pk: Any) -> JointReview:
    return _get_or_404(
        JointReview.objects.filter(project__in=projects_visible_to(user)).select_related("project", "requested_by"), pk
    )
