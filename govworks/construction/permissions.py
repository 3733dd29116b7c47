"""Actions of construction supervision, which roles hold them, and who sees what.

* A project's site is kept (schedule, inspections, notices, meetings, incidents, recovery plan) by
  工程管理岗 and 科室负责人 of the project's agency.
* The site's 施工单位 and 监理单位 are the suppliers of the project's signed main construction contract
  and signed supervision contract (``selectors.parties``), acting through their linked external
  organisations; a company that is not that party is refused, naming the contract and its supplier.
* Progress is reported by the contractor or by the agency's 项目联络员 / 工程管理岗, and confirmed by
  the supervising engineer or, on a project without a supervision contract, by the 科室负责人 — never
  by the person who reported it.
* The day's site report is written by every party on site — the 项目联络员 (or 工程管理岗), the
  contractor's and the supervising engineer's people — each appending its own entry; the 监理日志 is
  the supervising engineer's.
* The contractor answers rectification notices addressed to it (or 工程管理岗 on its behalf).
* Interviews are held, and payment freezes released, by 分管领导 and 主要领导 of the project's agency.
* Whoever may read the project reads its supervision; the site's contractor and supervisor read the
  projects they are assigned to, and nothing else.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from govworks.construction.models import RectificationNotice
from govworks.construction.selectors.parties import CONTRACTOR, SUPERVISOR, projects_of_party, site_parties
from govworks.core.errors import DomainError
from govworks.org import permissions as org_perms
from govworks.org.roles import Role
from govworks.projects.models import Project
from govworks.projects.permissions import projects_visible_to

SITE_MANAGE = "construction.site_manage"
PROGRESS_REPORT = "construction.progress_report"
PROGRESS_CONFIRM = "construction.progress_confirm"
DAILY_REPORT = "construction.daily_report"
FREEZE_RELEASE = "construction.freeze_release"
RED_ALERT = "construction.red_alert"  # told of every red light of the agency (the project's owners)

org_perms.register_role_actions(Role.PROJECT_MANAGER, {SITE_MANAGE, PROGRESS_REPORT, DAILY_REPORT})
org_perms.register_role_actions(Role.DEPARTMENT_HEAD, {SITE_MANAGE, PROGRESS_CONFIRM, RED_ALERT})
org_perms.register_role_actions(Role.LIAISON, {PROGRESS_REPORT, DAILY_REPORT})
org_perms.register_role_actions(Role.LEADER_IN_CHARGE, {FREEZE_RELEASE})
org_perms.register_role_actions(Role.PRINCIPAL_LEADER, {FREEZE_RELEASE})
org_perms.ACTION_LABELS.update(
    {
        SITE_MANAGE: "施工现场监管（进度计划、巡查整改、例会、事故）",
        PROGRESS_REPORT: "填报形象进度",
        PROGRESS_CONFIRM: "确认形象进度（无监理单位时）",
        DAILY_REPORT: "填报现场日报",
        FREEZE_RELEASE: "约谈及解除暂停拨款",
        RED_ALERT: "接收本单位项目红灯预警",
    }
)


def _external_org_id(user: Any) -> int | None:
    return getattr(user, "external_org_id", None) if org_perms.is_signed_in(user) else None


def construction_projects_visible_to(user: Any) -> QuerySet[Project]:
    """Projects whose supervision ``user`` may read: the agency's readers, or the contractor's and the
    supervisor's people of the project's signed contracts."""
    org_id = _external_org_id(user)
    if org_id is not None:
        return projects_of_party(org_id)
    return projects_visible_to(user)


def _get_or_404(queryset: QuerySet[Any], pk: Any) -> Any:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或您无权查看") from None


def access_project(user: Any, pk: Any) -> Project:
    qs = construction_projects_visible_to(user).select_related("agency", "department", "manager")
    return _get_or_404(qs, pk)


def access_notice(user: Any, pk: Any) -> RectificationNotice:
    qs = RectificationNotice.objects.filter(project__in=construction_projects_visible_to(user))
    return _get_or_404(qs.select_related("project", "project__agency", "responsible_org", "escalated_to", "issued_by"), pk)


def is_contractor(user: Any, project: Project) -> bool:
    """The user works for the supplier of the project's signed main construction contract."""
    org_id = _external_org_id(user)
    return org_id is not None and site_parties(project).contractor_org_id == org_id


def is_supervisor(user: Any, project: Project) -> bool:
    """The user works for the supplier of the project's signed supervision contract."""
    org_id = _external_org_id(user)
    return org_id is not None and site_parties(project).supervisor_org_id == org_id


def may_manage(user: Any, project: Project) -> bool:
    return org_perms.can(user, SITE_MANAGE, project.agency_id)


def may_report_progress(user: Any, project: Project) -> bool:
    return is_contractor(user, project) or org_perms.can(user, PROGRESS_REPORT, project.agency_id)


def may_confirm_progress(user: Any, project: Project) -> bool:
    if site_parties(project).supervisor is not None:
        return is_supervisor(user, project)
    return org_perms.can(user, PROGRESS_CONFIRM, project.agency_id)


def may_file_daily_report(user: Any, project: Project) -> bool:
    """The day's report is written by every party on site: the agency's liaison or 工程管理岗, the
    contractor's and the supervisor's people."""
    return is_contractor(user, project) or is_supervisor(user, project) or org_perms.can(user, DAILY_REPORT, project.agency_id)


def may_keep_diary(user: Any, project: Project) -> bool:
    return is_supervisor(user, project) or may_manage(user, project)


class ContractPartyRefused(DomainError, PermissionDenied):
    """A report by a company that is not the project's party of the signed contract: a domain refusal
    (stable code, message naming the contract and its supplier) that is also a permission denial."""


def party_refusal(user: Any, project: Project, *, roles: tuple[str, ...]) -> str | None:
    """For a person of an external company that is not the project's party in any of ``roles`` (施工单位,
    监理单位): the refusal naming the contract, its supplier and the company. None for everyone else."""
    org_id = _external_org_id(user)
    if org_id is None:
        return None
    parties = site_parties(project)
    ids = {CONTRACTOR: parties.contractor_org_id, SUPERVISOR: parties.supervisor_org_id}
    if any(ids[r] == org_id for r in roles):
        return None
    org = getattr(user, "external_org", None)
    return "；".join(parties.refusal(role=r, org=org) for r in roles)


def may_reply_notice(user: Any, notice: RectificationNotice) -> bool:
    org_id = _external_org_id(user)
    if org_id is not None:
        return notice.responsible_org_id == org_id
    return may_manage(user, notice.project)


def may_verify_notice(user: Any, project: Project) -> bool:
    """The inspector's side: the agency's site keepers or the supervisor."""
    return may_manage(user, project) or is_supervisor(user, project)


def may_release(user: Any, project: Project) -> bool:
    return org_perms.can(user, FREEZE_RELEASE, project.agency_id)


def may_read_portfolio(user: Any) -> bool:
    """Internal business readers see their agencies' projects; a contractor's or supervisor's people see
    the projects their company is assigned to (construction_projects_visible_to narrows the list)."""
    if _external_org_id(user) is not None:
        return True
    return bool(org_perms.business_readable_agency_ids(user))
