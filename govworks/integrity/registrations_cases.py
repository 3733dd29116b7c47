"""Case handling's registrations: the manual source (直接立案), the menu entry, the workbench (案件待办) and the Chinese
names of its audit actions."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govworks.core.audit_labels import register_audit_actions
from govworks.core.registry import NavItem, WorkItem, register_nav, register_workbench_provider
from govworks.integrity import demo_cases  # noqa: F401  (registers the demo seeder)
from govworks.integrity import permissions_cases as perms
from govworks.integrity.case_sources import CaseSource, register_case_source
from govworks.integrity.models import ManualCaseSource
from govworks.integrity.navigation import SECTION
from govworks.integrity.selectors import cases as sel

MANUAL = "manual"


def _manual_source(user: Any, source_id: int) -> CaseSource:
    """A 直接立案 lead, readable by 纪检监察 of its agency."""
    row = ManualCaseSource.objects.filter(pk=source_id, agency_id__in=perms.case_agency_ids(user)).first()
    if row is None:
        raise Http404("来源不存在或您无权查看")
    return CaseSource(
        kind=MANUAL, source_id=row.pk, agency_id=row.agency_id, title=row.title, summary=row.summary, url="",
        project_id=row.project_id,
    )  # fmt: skip


register_case_source(MANUAL, "直接立案", _manual_source)

register_nav(NavItem(SECTION, _("案件办理"), "integrity:case_list", "ti-folder-search", perms.may_use_cases, 20))


def _case_items(user: Any) -> list[WorkItem]:
    """案件待办: 整改 overdue or due soon, cases assigned not yet investigated, cases without a handler."""
    rectifications, waiting, unassigned = sel.handler_todo(user)
    items = [
        WorkItem(
            f"案件 {r.case.number} 整改验证",
            reverse("integrity:case_detail", args=[r.case_id]),
            "案件待办",
            r.deadline,
            "整改期限已过，待验证" if r.deadline < timezone.localdate() else "整改期限将至",
            escalate=False,  # confidential to the case's handlers: never shown to the handler's leaders
        )
        for r in rectifications
    ]
    items += [
        WorkItem(
            f"案件 {c.number} 待调查",
            reverse("integrity:case_detail", args=[c.pk]),
            "案件待办",
            None,
            "已指定您承办，尚未开始调查",
            escalate=False,
        )
        for c in waiting
    ]
    items += [
        WorkItem(
            f"案件 {c.number} 待指定承办人",
            reverse("integrity:case_assign", args=[c.pk]),
            "案件待办",
            None,
            "已立案，尚未指定承办人",
            escalate=False,
        )
        for c in unassigned
    ]
    return items


register_workbench_provider(_case_items)

register_audit_actions(
    {
        "integrity.case_source.manual": "登记直接立案线索",
        "integrity.case.open": "案件立案",
        "integrity.case.assign": "案件指定承办人",
        "integrity.case.note": "案件调查记录",
        "integrity.case.evidence": "案件证据材料",
        "integrity.case.party": "案件涉及人员",
        "integrity.case.interview": "案件约谈记录",
        "integrity.case.rectify": "案件提出整改",
        "integrity.case.verify": "案件整改验证",
        "integrity.case.conclude": "案件结论",
        "integrity.case.close": "案件办结",
    }
)
