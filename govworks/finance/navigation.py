"""What finance adds to the navigation and to the workbench (我的工作台): payment requests waiting for the
final approval (财务), and open wage alerts (the project manager of the project and 纪检监察)."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from govworks.core.registry import NavItem, WorkItem, register_nav, register_periodic_job, register_workbench_provider
from govworks.finance import exports  # noqa: F401  (registers the export kind in web and worker processes)
from govworks.finance import permissions as perms
from govworks.finance.models import DayLabour, PaymentRequest, WageAlert
from govworks.finance.selectors.labour import open_wage_alerts
from govworks.finance.services.labour import ALERT_KEY, LABOUR_KEY, wage_alerts_raise
from govworks.org import permissions as org_perms

SECTION = _("资金管理")

register_nav(NavItem(SECTION, _("资金数据中心"), "finance:dashboard", "ti-chart-pie", perms.may_read_finance, 50))
register_nav(NavItem(SECTION, _("付款申请"), "finance:request_list", "ti-cash", perms.may_read_finance, 51))
register_nav(NavItem(SECTION, _("国库支付指令"), "finance:instruction_list", "ti-building-bank", perms.may_read_finance, 52))


#: "who has something waiting" is cached (cleared by the writing services; at most 5 minutes stale), so
#: the home page asks the database for these items only when the user does have one
WAGE_ALERT_OWNERS = ALERT_KEY
LABOUR_PENDING_AGENCIES = LABOUR_KEY
CACHE_SECONDS = 300


def _wage_alert_owners() -> tuple[set[int], set[int]]:
    """(project manager ids, agency ids) with an open wage alert."""
    found = cache.get(WAGE_ALERT_OWNERS)
    if found is None:
        rows = list(
            WageAlert.objects.filter(resolved_at__isnull=True).values_list("project__manager_id", "project__agency_id").distinct()
        )
        found = ({m for m, _ in rows if m}, {a for _, a in rows})
        cache.set(WAGE_ALERT_OWNERS, found, CACHE_SECONDS)
    return found  # type: ignore[no-any-return]


def _labour_pending_agencies() -> set[int]:
    found = cache.get(LABOUR_PENDING_AGENCIES)
    if found is None:
        found = set(
            DayLabour.objects.filter(status=DayLabour.Status.RECORDED).values_list("project__agency_id", flat=True).distinct()
        )
        cache.set(LABOUR_PENDING_AGENCIES, found, CACHE_SECONDS)
    return found  # type: ignore[no-any-return]


def _finalize_items(user: Any) -> list[WorkItem]:
    """Submitted requests (in approval or waiting for the final approval) in the agencies where the user is 财务 (one query)."""
    agencies = org_perms.agency_ids_where(user, perms.PAYMENT_FINALIZE)
    if not agencies:
        return []
    rows = (
        PaymentRequest.objects.filter(project__agency_id__in=agencies, status=PaymentRequest.Status.SUBMITTED)
        .exclude(created_by=user)
        .select_related("project")
        .order_by("submitted_at")[:30]
    )
    return [
        WorkItem(
            title=f"付款申请待办结：{r.number}",
            url=reverse("finance:request_detail", args=[r.pk]),
            kind="财务",
            detail=f"{r.project.code} {r.project.name} · 实付 {r.amount:,.2f} 元",
        )
        for r in rows
    ]


def _wage_alert_items(user: Any) -> list[WorkItem]:
    """Open wage alerts: for 纪检监察 of the agency, and for the manager of the project (one query each)."""
    managers, alert_agencies = _wage_alert_owners()
    agencies = set(org_perms.agency_ids_where(user, perms.WAGE_ALERT_VIEW)) & alert_agencies
    if agencies:
        alerts = open_wage_alerts(agency_ids=agencies)
    elif getattr(user, "pk", None) in managers:
        alerts = open_wage_alerts(manager=user)
    else:
        alerts = []
    return [
        WorkItem(
            title=f"欠薪预警：{a.project.name} {a.month:%Y年%m月}未拨付人工费用",
            url=reverse("finance:project", args=[a.project_id]) + "#wages",
            kind="农民工工资",
            due=a.raised_on,
            detail=f"合同{a.account.contract.number}，专用账户 {a.account}",
        )
        for a in alerts
    ]


def _labour_items(user: Any) -> list[WorkItem]:
    """Day labour waiting for confirmation: on the projects the user supervises (监理), or in the agencies
    where they are the owner's representative — never their own records (one query)."""
    from govworks.procurement.models import Contract

    qs = DayLabour.objects.filter(status=DayLabour.Status.RECORDED)
    if getattr(user, "is_external", False) and getattr(user, "external_org_id", None):
        qs = qs.filter(
            project_id__in=Contract.objects.filter(supplier__external_org_id=user.external_org_id).values("project_id")
        )
        url_name = "finance:supervision"
    else:
        agencies = set(org_perms.agency_ids_where(user, perms.DAY_LABOUR_CONFIRM)) & _labour_pending_agencies()
        if not agencies:
            return []
        qs = qs.filter(project__agency_id__in=agencies).exclude(recorded_by=user)
        url_name = "finance:project"
    rows = qs.select_related("project").order_by("work_date")[:30]
    return [
        WorkItem(
            title=f"点工待确认：{r.project.name} {r.work_date:%m-%d} {r.team}·{r.trade}",
            url=reverse(url_name, args=[r.project_id]),
            kind="点工",
            detail=f"{r.people}人 {r.workdays}工日 {r.amount:,.2f} 元：{r.content}",
        )
        for r in rows
    ]


register_workbench_provider(_finalize_items)
register_workbench_provider(_labour_items)
register_workbench_provider(_wage_alert_items)
register_periodic_job("finance.wage_alerts", wage_alerts_raise)
