"""Who does what in the performance evaluation (绩效评价).

* The project's department (工程管理岗 or 科室负责人 of the project's 责任科室, or the project manager) starts the
  evaluation and does the self-evaluation (单位自评): fills the indicators GovWorks cannot measure, with evidence.
* The review (部门评价) is by 财务 or 内审 of the agency (DOMAIN.md §3: the finance officer keeps the budget
  performance, internal audit checks it) — never by whoever filled or submitted the self-evaluation (职责分离).
* 财务 and 内审 keep the agency's templates (the default one is read-only reference data).
* Reads follow the project: whoever may read the project reads its evaluation; external users read none.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from govworks.org import permissions as org_perms
from govworks.org.roles import Role
from govworks.projects.permissions import projects_visible_to

EVAL_SELF = "closeout.evaluation_self"
EVAL_REVIEW = "closeout.evaluation_review"
EVAL_TEMPLATE = "closeout.evaluation_template"

org_perms.register_role_actions(Role.PROJECT_MANAGER, {EVAL_SELF})
org_perms.register_role_actions(Role.DEPARTMENT_HEAD, {EVAL_SELF})
org_perms.register_role_actions(Role.FINANCE, {EVAL_REVIEW, EVAL_TEMPLATE})
org_perms.register_role_actions(Role.INTERNAL_AUDIT, {EVAL_REVIEW, EVAL_TEMPLATE})
org_perms.ACTION_LABELS.update(
    {
        EVAL_SELF: "绩效自评",
        EVAL_REVIEW: "绩效评价审核（部门评价）",
        EVAL_TEMPLATE: "维护绩效评价指标模板",
    }
)


def may_read_evaluations(user: Any) -> bool:
    return bool(org_perms.business_readable_agency_ids(user)) and not getattr(user, "is_external", False)


def evaluation_projects_visible_to(user: Any) -> QuerySet[Any]:
    if getattr(user, "is_external", False):
        return projects_visible_to(user).none()
    return projects_visible_to(user)


def may_self_evaluate(user: Any, project: Any) -> bool:
    """Holds the action in the project's agency and belongs to the project's department (or manages it)."""
    if not org_perms.can(user, EVAL_SELF, project.agency_id):
        return False
    return bool(user.pk == project.manager_id or getattr(user, "department_id", None) == project.department_id)


def may_review(user: Any, project: Any) -> bool:
    return org_perms.can(user, EVAL_REVIEW, project.agency_id)


def may_manage_templates(user: Any, agency_id: int | None) -> bool:
    return org_perms.can(user, EVAL_TEMPLATE, agency_id)


def access_evaluation_project(user: Any, pk: Any) -> Any:
    try:
        return evaluation_projects_visible_to(user).select_related("agency", "department", "manager").get(pk=pk)
    except (ValueError, TypeError, projects_visible_to(user).model.DoesNotExist):
        raise Http404("记录不存在或您无权查看") from None
