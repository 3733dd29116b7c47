"""What the supplier register adds to the navigation and to 纪检监察's workbench (我的工作台)."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govworks.core.registry import NavItem, WorkItem, register_nav, register_workbench_provider
from govworks.org import permissions as org_perms
from govworks.procurement import exports  # noqa: F401  (registers the export kind in web and worker processes)
from govworks.procurement import permissions as perms
from govworks.procurement.selectors.contracts import integrity_signal_detail, recent_integrity_signals
from govworks.procurement.selectors.suppliers import award_refusals_for

SECTION = _("招标采购")

register_nav(NavItem(SECTION, _("供应商库"), "procurement:supplier_list", "ti-building-store", perms.may_read_register, 30))
register_nav(NavItem(SECTION, _("合同台账"), "procurement:contract_list", "ti-file-certificate", perms.may_read_contracts, 31))


def _supplier_url(object_id: str) -> str:
    try:
        return reverse("procurement:supplier_detail", args=[int(object_id)])
    except (ValueError, NoReverseMatch):
        return reverse("procurement:supplier_list")


def _award_refusal_items(user: Any) -> list[WorkItem]:
    """Refused award attempts of the last 30 days in the agencies where the user is 纪检监察 (one query)."""
    agencies = org_perms.agency_ids_where(user, perms.AWARD_REFUSALS_VIEW)
    if not agencies:
        return []
    return [
        WorkItem(
            title=f"授标被拒：{e.object_repr}",
            url=_supplier_url(e.object_id),
            kind="纪检监察",
            detail=f"{timezone.localtime(e.occurred_at):%Y-%m-%d} {e.actor_name or '系统'}：{e.reason[:120]}",
        )
        for e in award_refusals_for(agency_ids=agencies)
    ]


register_workbench_provider(_award_refusal_items)


def _integrity_signal_items(user: Any) -> list[WorkItem]:
    """Integrity signals found in the last 30 days in the agencies where the user is 纪检监察 (two queries)."""
    agencies = org_perms.agency_ids_where(user, perms.AWARD_REFUSALS_VIEW)
    if not agencies:
        return []
    items = []
    for signal in recent_integrity_signals(agency_ids=agencies):
        contracts = list(signal.contracts.all())
        url = (
            reverse("procurement:contract_detail", args=[contracts[0].pk])
            if contracts
            else reverse("projects:project_detail", args=[signal.project_id])
        )
        items.append(
            WorkItem(
                title=f"{signal.get_kind_display()}：{signal.project.code} {signal.project.name}",
                url=url,
                kind="纪检监察",
                detail=f"{timezone.localtime(signal.detected_at):%Y-%m-%d} {integrity_signal_detail(signal)[:160]}",
            )
        )
    return items


register_workbench_provider(_integrity_signal_items)
