"""Who does what in the settlement audit, and who sees which settlement.

* 内审 keeps the agency's register of audit firms (审计机构库).
* 内审, 财务 and 工程管理岗 organise the audit: draw the firm, record the firm's result when the firm has no
  account of its own (the firm's people record it themselves when it has one).
* 科室负责人 approves the settlement (never one they drew, recorded or submitted).
* The contractor (an external user of the contract's supplier) submits its 结算书 and confirms or disputes
  the result — of its own contracts only; the firm's people see the settlements it was drawn for.
* Reads follow the project: whoever may read the project reads its settlements; 三员 read none.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from govworks.org import permissions as org_perms
from govworks.org.roles import Role
from govworks.projects.permissions import projects_visible_to

FIRM_MANAGE = "closeout.audit_firm_manage"
SETTLEMENT_MANAGE = "closeout.settlement_manage"
SETTLEMENT_APPROVE = "closeout.settlement_approve"

org_perms.register_role_actions(Role.INTERNAL_AUDIT, {FIRM_MANAGE, SETTLEMENT_MANAGE})
org_perms.register_role_actions(Role.FINANCE, {SETTLEMENT_MANAGE})
org_perms.register_role_actions(Role.PROJECT_MANAGER, {SETTLEMENT_MANAGE})
org_perms.register_role_actions(Role.DEPARTMENT_HEAD, {SETTLEMENT_APPROVE})
org_perms.ACTION_LABELS.update(
    {
        FIRM_MANAGE: "维护审计机构库",
        SETTLEMENT_MANAGE: "组织结算审计（抽取审计机构、登记审定结果）",
        SETTLEMENT_APPROVE: "审批结算审定结果",
    }
)


def is_external(user: Any) -> bool:
    return bool(getattr(user, "is_external", False) and getattr(user, "external_org_id", None))


def may_read_settlements(user: Any) -> bool:
    """Internal people with a business role, and external users (who see their own company's only)."""
    return is_external(user) or bool(org_perms.business_readable_agency_ids(user))


def settlements_visible_to(user: Any) -> QuerySet[Any]:
    """Internal: the settlements of the projects ``user`` may read. External: those of contracts their company
    holds, and those their company was drawn to audit."""
    from govworks.closeout.models import Settlement

    if not org_perms.is_signed_in(user):
        return Settlement.objects.none()
    if getattr(user, "is_external", False):
        org = getattr(user, "external_org_id", None)
        if org is None:
            return Settlement.objects.none()
        return Settlement.objects.filter(Q(contract__supplier__external_org_id=org) | Q(firm__external_org_id=org))
    return Settlement.objects.filter(project__in=projects_visible_to(user))


def contracts_visible_to(user: Any) -> QuerySet[Any]:
    """The contracts whose settlement page ``user`` may open."""
    from govworks.procurement.models import Contract

    if not org_perms.is_signed_in(user):
        return Contract.objects.none()
    if getattr(user, "is_external", False):
        org = getattr(user, "external_org_id", None)
        if org is None:
            return Contract.objects.none()
        return Contract.objects.filter(Q(supplier__external_org_id=org) | Q(settlement__firm__external_org_id=org))
    return Contract.objects.filter(project__in=projects_visible_to(user))


def access_contract(user: Any, pk: Any) -> Any:
    from govworks.procurement.models import Contract

    try:
        return contracts_visible_to(user).select_related("project", "project__agency", "supplier", "lot").distinct().get(pk=pk)
    except (Contract.DoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或您无权查看") from None


def firms_visible_to(user: Any) -> QuerySet[Any]:
    """The register of the agencies ``user`` reads (internal business people only)."""
    from govworks.closeout.models import AuditFirm

    return AuditFirm.objects.filter(agency_id__in=org_perms.business_readable_agency_ids(user))


def is_contractor_of(user: Any, contract: Any) -> bool:
    return is_external(user) and contract.supplier.external_org_id == user.external_org_id


def is_firm_of(user: Any, settlement: Any) -> bool:
    firm = settlement.firm
    return is_external(user) and firm is not None and firm.external_org_id == user.external_org_id
