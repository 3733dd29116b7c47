"""Actions of the final accounts and the asset handover, which roles hold them, and who sees what.

* 财务 prepares the final accounts (竣工财务决算: cost lines, other costs with evidence, 报送资料, 结余资金缴回,
  延期申请, 提交审批, 归档决算报告) and the 交付使用资产清单; 工程管理岗 helps with the asset cards.
* 分管领导 / 主要领导 decide the extension requests (never their own).
* The approval chain ``final_accounts.approval`` (内审 → 分管领导 → 主要领导) decides the final accounts; nobody
  approves a step of what they drafted or submitted (职责分离).
* The using department (使用部门) confirms the handover: a business person of that department, not whoever
  prepared or submitted the list.
* Reads follow the project: whoever may read the project reads its final accounts and asset cards.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from govworks.org import permissions as org_perms
from govworks.org.roles import Role
from govworks.projects import permissions as project_perms
from govworks.projects.permissions import projects_visible_to

FA_PREPARE = "closeout.final_accounts_prepare"
FA_EXTENSION_DECIDE = "closeout.final_accounts_extension_decide"
ASSET_PREPARE = "closeout.asset_prepare"

org_perms.register_role_actions(Role.FINANCE, {FA_PREPARE, ASSET_PREPARE})
org_perms.register_role_actions(Role.PROJECT_MANAGER, {ASSET_PREPARE})
org_perms.register_role_actions(Role.LEADER_IN_CHARGE, {FA_EXTENSION_DECIDE})
org_perms.register_role_actions(Role.PRINCIPAL_LEADER, {FA_EXTENSION_DECIDE})
# 财务 is the 责任人 of 竣工决算 and 资产移交 (projects.reference.RESPONSIBILITY): they upload those stages' documents
org_perms.register_role_actions(Role.FINANCE, {project_perms.DOCUMENT_UPLOAD})
org_perms.ACTION_LABELS.update(
    {
        FA_PREPARE: "编制竣工财务决算",
        FA_EXTENSION_DECIDE: "审批决算延期申请",
        ASSET_PREPARE: "编制交付使用资产清单",
    }
)


def may_read(user: Any) -> bool:
    """Internal users with a business role somewhere see the close-out pages (filtered to their projects)."""
    return bool(org_perms.business_readable_agency_ids(user)) and not getattr(user, "is_external", False)


def may(user: Any, action: str, project: Any) -> bool:
    return org_perms.can(user, action, project.agency_id)


def access_closeout_project(user: Any, pk: Any) -> Any:
    """The project ``pk`` for its final-accounts / asset pages: 404 when the caller may not read it."""
    if getattr(user, "is_external", False):
        raise Http404("记录不存在或您无权查看")
    return project_perms.access_project(user, pk)


def _get_or_404(queryset: QuerySet[Any], pk: Any) -> Any:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或您无权查看") from None


def access_extension(user: Any, pk: Any) -> Any:
    from govworks.closeout.models import FinalAccountsExtension

    qs = FinalAccountsExtension.objects.filter(final_accounts__project__in=projects_visible_to(user)).select_related(
        "final_accounts", "final_accounts__project", "final_accounts__project__agency"
    )
    return _get_or_404(qs, pk)


def access_asset_card(user: Any, pk: Any) -> Any:
    from govworks.closeout.models import AssetCard

    if getattr(user, "is_external", False):
        raise Http404("记录不存在或您无权查看")
    qs = AssetCard.objects.filter(handover__project__in=projects_visible_to(user)).select_related(
        "handover", "handover__project", "handover__project__agency", "line", "custodian_department"
    )
    return _get_or_404(qs, pk)


def asset_cards_visible_to(user: Any) -> QuerySet[Any]:
    from govworks.closeout.models import AssetCard

    if getattr(user, "is_external", False):
        return AssetCard.objects.none()
    return AssetCard.objects.filter(handover__project__in=projects_visible_to(user))
