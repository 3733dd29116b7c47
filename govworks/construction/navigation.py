"""What construction supervision adds to the navigation and to each person's workbench (我的工作台):
interviews for the leader, recovery plans awaiting release, freezes waiting for a recovery plan,
rectification notices to act on, meeting action items, progress to confirm and missing daily reports."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govworks.construction import permissions as perms
from govworks.construction.selectors import supervision as sel
from govworks.core.registry import (
    SEVERITY_BLOCKING,
    SEVERITY_HIGH,
    NavItem,
    WorkItem,
    register_nav,
    register_workbench_provider,
)
from govworks.core.rule_parameters import rule_value
from govworks.core.rule_seed import rule_name
from govworks.org import permissions as org_perms

SECTION = _("施工监管")

register_nav(NavItem(SECTION, _("红黄绿灯总览"), "construction:portfolio", "ti-traffic-lights", perms.may_read_portfolio, 40))


def tab_url(project_id: int, tab: str) -> str:
    return reverse("construction:project_tab", args=[project_id, tab])


def work_items(user: Any) -> list[WorkItem]:
    """All of the user's construction items, a fixed number of queries."""
    if not org_perms.is_signed_in(user):
        return []
    today = timezone.localdate()
    items: list[WorkItem] = []
    for i in sel.open_interviews_for(user):
        items.append(
            WorkItem(
                f"红灯约谈：{i.project}",
                tab_url(i.project_id, "light"),
                "约谈",
                i.due_on,
                i.reason[:120],
                severity=SEVERITY_HIGH,
                condition="约谈记录（约谈日期、被约谈人、约谈纪要）",
                stage=i.project.get_stage_display(),
            )
        )
    release_agencies = org_perms.agency_ids_where(user, perms.FREEZE_RELEASE)
    if release_agencies:
        for p in sel.plans_awaiting_release(release_agencies):
            items.append(
                WorkItem(f"赶工计划待审定、解除暂停拨款：{p.project}", tab_url(p.project_id, "light"), "暂停拨款", None,
                         f"已提交赶工计划（{p.target_on:%Y-%m-%d}前追回进度）并已约谈，待领导解除",
                         severity=SEVERITY_HIGH, condition="领导审定赶工计划并解除暂停拨款", stage=p.project.get_stage_display())
            )  # fmt: skip
    for f in sel.freezes_without_plan(user, org_perms.agency_ids_where(user, perms.RED_ALERT)):
        items.append(
            WorkItem(
                f"红灯暂停拨款，请提交赶工计划：{f.project}",
                tab_url(f.project_id, "light"),
                "暂停拨款",
                timezone.localtime(f.frozen_at).date(),  # dated: money has stopped since this day
                f.reason[:120],
                severity=SEVERITY_BLOCKING,
                condition="赶工计划（提交并约谈、经领导审定后方可解除暂停拨款）",
                stage=f.project.get_stage_display(),
            )
        )
    for n in sel.notices_for(user):
        if n.escalated_to_id == user.pk and n.status == n.Status.OPEN:
            kind, title = "整改督办", f"整改逾期升级：{n}（{n.project}）"
        elif n.status == n.Status.REPLIED:
            kind, title = "整改复查", f"整改待复查：{n}（{n.project}）"
        else:
            kind, title = "整改", f"待整改：{n}（{n.project}）"
        condition = "整改复查结论" if n.status == n.Status.REPLIED else "整改回复（附整改后照片）"
        items.append(
            WorkItem(
                title,
                reverse("construction:notice_detail", args=[n.pk]),
                kind,
                n.deadline,
                n.finding[:120],
                severity=SEVERITY_HIGH if kind == "整改督办" else 1,
                condition=condition,
                stage=n.project.get_stage_display(),
            )
        )
    for a in sel.actions_for(user):
        items.append(WorkItem(f"会议督办：{a.text}", tab_url(a.project_id, "meetings"), "督办事项", a.due_on, str(a.project)))
    for r in sel.reports_to_confirm(user, org_perms.agency_ids_where(user, perms.PROGRESS_CONFIRM)):
        items.append(
            WorkItem(f"进度待确认：{r.task}（{r.percent}%）", tab_url(r.project_id, "progress"), "进度确认", None, str(r.project))
        )
    if not getattr(user, "is_external", False):
        alert_days = int(rule_value("daily_report.missing_alert_days", agency=getattr(user, "agency", None), on=today))
        for project, days in sel.missing_daily_reports(user, alert_days, today):
            items.append(
                WorkItem(f"现场日报缺报{days}天：{project}", tab_url(project.pk, "daily"), "现场日报", today,
                         f"超过{alert_days}天未报（“{rule_name('daily_report.missing_alert_days')}”）")
            )  # fmt: skip
    return items


register_workbench_provider(work_items)
