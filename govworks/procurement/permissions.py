"""Actions of the supplier register, which roles hold them, and who sees what.

* The register is shared by every agency of the deployment: every internal user holding a business
  role somewhere reads every supplier; external users and the three administrators read none.
* 工程管理岗 and 科室负责人 of any agency register suppliers. A supplier record (its details, contacts,
  bank accounts, qualifications) is then kept by the people of the agency that registered it: nobody
  edits what another agency registered. A wrong record elsewhere is reported to that agency.
* 履约评价 is given by 工程管理岗 or 科室负责人 in the name of their own agency, for that agency's project.
* Grey and black listings are recorded, with a deciding document, by 科室负责人 or 纪检监察 in the name
  of their agency, and lifted (again with a reason and document) only by the same roles of the agency
  that recorded them. Listings bind every agency.
* 纪检监察 sees refused award attempts of their agency on the workbench.
* Tenders (招标) are kept by 工程管理岗 and 科室负责人 of the project's agency; whoever may read the
  project reads the tender, but no one (administrators included) reads a bid amount before opening.
* Contracts and their change orders are kept by 工程管理岗 and 科室负责人 of the project's agency;
  whoever may read the project reads its contracts.
* A project's procurement plan (标段, 采购方式, 法定例外) is kept by 工程管理岗 and 科室负责人 of the
  project's agency; whoever may read the project reads its plan.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from govworks.org import permissions as org_perms
from govworks.org.roles import Role
from govworks.procurement.models import Contract, LegalException, ProcurementLot, Supplier, SupplierListing, Tender
from govworks.projects.permissions import projects_visible_to

SUPPLIER_REGISTER = "procurement.supplier_register"
SUPPLIER_EVALUATE = "procurement.supplier_evaluate"
SUPPLIER_LISTING = "procurement.supplier_listing"
AWARD_REFUSALS_VIEW = "procurement.award_refusals_view"
LOT_MANAGE = "procurement.lot_manage"
CONTRACT_MANAGE = "procurement.contract_manage"
TENDER_MANAGE = "procurement.tender_manage"

org_perms.register_role_actions(
    Role.PROJECT_MANAGER, {SUPPLIER_REGISTER, SUPPLIER_EVALUATE, LOT_MANAGE, CONTRACT_MANAGE, TENDER_MANAGE}
)
org_perms.register_role_actions(
    Role.DEPARTMENT_HEAD, {SUPPLIER_REGISTER, SUPPLIER_EVALUATE, SUPPLIER_LISTING, LOT_MANAGE, CONTRACT_MANAGE, TENDER_MANAGE}
)
org_perms.register_role_actions(Role.DISCIPLINE, {SUPPLIER_LISTING, AWARD_REFUSALS_VIEW})
org_perms.ACTION_LABELS.update(
    {
        SUPPLIER_REGISTER: "登记和维护供应商",
        SUPPLIER_EVALUATE: "供应商履约评价",
        SUPPLIER_LISTING: "供应商列入或移出灰黑名单",
        AWARD_REFUSALS_VIEW: "查看被拒绝的授标",
        LOT_MANAGE: "编制采购计划（标段、采购方式、法定例外）",
        CONTRACT_MANAGE: "登记、签订合同及办理变更/签证",
        TENDER_MANAGE: "登记招标、投标、开标、评标和定标",
    }
)


def may_read_register(user: Any) -> bool:
    """Internal users with a business role somewhere read the shared register."""
    return bool(org_perms.business_readable_agency_ids(user)) and not getattr(user, "is_external", False)


def suppliers_visible_to(user: Any) -> QuerySet[Supplier]:
    return Supplier.objects.all() if may_read_register(user) else Supplier.objects.none()


def may_edit_supplier(user: Any, supplier: Supplier) -> bool:
    return org_perms.can(user, SUPPLIER_REGISTER, supplier.registered_by_id)


acting_agency_id = org_perms.acting_agency_id


def _get_or_404(queryset: QuerySet[Any], pk: Any) -> Any:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或您无权查看") from None


def access_supplier(user: Any, pk: Any) -> Supplier:
    return _get_or_404(suppliers_visible_to(user).select_related("registered_by", "external_org"), pk)


def access_listing(user: Any, pk: Any) -> SupplierListing:
    qs = SupplierListing.objects.filter(supplier__in=suppliers_visible_to(user))
    return _get_or_404(qs.select_related("supplier", "decided_by"), pk)


def may_manage_lots(user: Any, project: Any) -> bool:
    """工程管理岗/科室负责人 of the project's agency keep its procurement plan."""
    return org_perms.can(user, LOT_MANAGE, project.agency_id)


def access_lot(user: Any, pk: Any) -> ProcurementLot:
    qs = ProcurementLot.objects.filter(project__in=projects_visible_to(user))
    return _get_or_404(qs.select_related("project", "project__agency", "legal_exception"), pk)


def access_legal_exception(user: Any, pk: Any) -> LegalException:
    qs = LegalException.objects.filter(project__in=projects_visible_to(user))
    return _get_or_404(qs.select_related("project", "recorded_by"), pk)


def may_manage_contracts(user: Any, project: Any) -> bool:
    return org_perms.can(user, CONTRACT_MANAGE, project.agency_id)


def access_contract(user: Any, pk: Any) -> Contract:
    qs = Contract.objects.filter(project__in=projects_visible_to(user))
    return _get_or_404(qs.select_related("project", "project__agency", "supplier", "lot", "payee_account"), pk)


def may_read_contracts(user: Any) -> bool:
    """Internal users with a business role somewhere see the register (filtered to the projects they read)."""
    return may_read_register(user)


def may_manage_tenders(user: Any, project: Any) -> bool:
    return org_perms.can(user, TENDER_MANAGE, project.agency_id)


def access_tender(user: Any, pk: Any) -> Tender:
    qs = Tender.objects.filter(lot__project__in=projects_visible_to(user))
    return _get_or_404(qs.select_related("lot", "lot__project", "lot__project__agency"), pk)
