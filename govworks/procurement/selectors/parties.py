"""Who the companies of a project are, as procurement knows them: the supplier of every contract and
every bidder of its tenders (with or without an external-organisation account). The expert draw
(:mod:`govworks.projects.services.expert_draws`) leaves their employees out."""

from __future__ import annotations

from govworks.procurement.models import Bid, Contract, Supplier
from govworks.projects.models import Project
from govworks.projects.rules import Party


def project_parties_in_procurement(project: Project) -> list[Party]:
    """The contract suppliers (role 合同相对人) and the bidders (role 投标人) of ``project`` (two queries)."""
    parties = [
        Party("合同相对人", name, code, org_id)
        for name, code, org_id in Contract.objects.filter(project=project)
        .values_list("supplier__name", "supplier__credit_code", "supplier__external_org_id")
        .order_by("supplier__name")
        .distinct()
    ]
    parties += [
        Party("投标人", name, code, org_id)
        for name, code, org_id in Bid.objects.filter(tender__lot__project=project)
        .values_list("supplier__name", "supplier__credit_code", "supplier__external_org_id")
        .order_by("supplier__name")
        .distinct()
    ]
    return parties


def supplier_register_as_employers() -> list[tuple[str, str]]:
    """(name, 统一社会信用代码) of every supplier of the shared register, for the expert form's 工作单位 picker."""
    return list(Supplier.objects.order_by("name", "id").values_list("name", "credit_code"))
