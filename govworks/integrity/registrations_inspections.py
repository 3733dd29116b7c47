"""What 双随机一公开 adds to GovWorks: the menu entry, the workbench items of the drawn inspectors (results
due, overdue shown as such), the audit labels and the demo seeder."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from govworks.core.registry import NavItem, WorkItem, register_nav, register_workbench_provider
from govworks.integrity import (
    audit_labels_inspections,  # noqa: F401  (registers the labels)
    demo_inspections,  # noqa: F401  (registers the demo seeder)
)
from govworks.integrity import permissions_inspections as perms
from govworks.integrity.navigation import SECTION
from govworks.integrity.selectors import inspections as selectors
from govworks.integrity.services.inspections import result_due_on

register_nav(NavItem(SECTION, _("双随机抽查"), "integrity:inspection_list", "ti-arrows-shuffle", perms.may_open_inspections, 30))


def _results_due(user: Any) -> list[WorkItem]:
    """Objects the user was drawn to check whose result is not entered yet (constant queries)."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_external", False):
        return []
    items = []
    due_by_plan: dict[int, Any] = {}
    for draw, _key, label in selectors.results_due_for(user):
        if draw.plan_id not in due_by_plan:
            due_by_plan[draw.plan_id] = result_due_on(draw.plan)
        items.append(
            WorkItem(
                title=f"双随机抽查结果待录入：{label}",
                url=reverse("integrity:inspection_plan", args=[draw.plan_id]),
                kind="双随机抽查",
                due=due_by_plan[draw.plan_id],
                detail=f"“{draw.plan.title}”检查期 {draw.plan.period_start:%Y-%m-%d} 至 {draw.plan.period_end:%Y-%m-%d}；录入后自动公示",
            )
        )
    return items


register_workbench_provider(_results_due)
