"""What the lifecycle adds to the navigation and to each person's workbench (我的工作台)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govworks.core.registry import NavItem, WorkItem, register_nav, register_workbench_provider
from govworks.org import permissions as org_perms
from govworks.org.models import Position
from govworks.projects import permissions as perms
from govworks.projects.models import (
    AgendaItem,
    AnnualPlan,
    JointReviewSeat,
    Meeting,
    ProjectResponsibility,
    Stage,
)
from govworks.projects.selectors.approvals import approval_todo_for, deciding_scope, sod_refusals_for

SECTION = _("项目管理")


def _internal(user: Any) -> bool:
    return bool(org_perms.business_readable_agency_ids(user))


for _item in [
    NavItem(SECTION, _("项目库"), "projects:project_list", "ti-briefcase", _internal, 20),
    NavItem(SECTION, _("年度工程建设计划"), "projects:plan_list", "ti-briefcase", _internal, 21),
    NavItem(SECTION, _("决策会议（三重一大）"), "projects:meeting_list", "ti-briefcase", _internal, 22),
    NavItem(SECTION, _("我的审批"), "projects:approval_inbox", "ti-briefcase", _internal, 23),
    NavItem(SECTION, _("审批委托"), "projects:delegation_list", "ti-briefcase", _internal, 24),
    NavItem(SECTION, _("专家库"), "projects:expert_list", "ti-briefcase", _internal, 25),
]:
    register_nav(_item)


def _approval_items(user: Any) -> list[WorkItem]:
    """Current approval steps the user may decide, as holder of the role or as delegate: the inbox's
    own query (``selectors.approvals.approval_todo_for``)."""
    requests = approval_todo_for(user=user, scope=deciding_scope(user=user))[:50]
    return [
        WorkItem(
            title=f"审批：{r.title}",
            url=reverse("projects:approval_detail", args=[r.pk]),
            kind="审批",
            due=r.current_due,  # type: ignore[attr-defined]
            detail=r.chain_name,
        )
        for r in requests
    ]


def _stage_items(user: Any) -> list[WorkItem]:
    """Projects whose current stage the user is responsible for (one query); what each gate still lacks is
    fetched by the page after it loaded (``condition_url``: ``views.projects.project_gate_missing``)."""
    rows = (
        ProjectResponsibility.objects.filter(responsible=user, stage=F("project__stage"))
        .exclude(project__stage=Stage.CLOSED)
        .select_related("project")
        .order_by("project__stage_entered_on")[:50]
    )
    return [
        WorkItem(
            title=f"推进{r.project.code}“{r.project.name}”（{Stage(r.stage).label}）",
            url=reverse("projects:project_detail", args=[r.project_id]) + "#gate",
            kind="项目",
            due=r.project.stage_entered_on + dt.timedelta(days=r.due_days) if r.due_days else None,
            detail="本阶段责任人",
            condition_url=reverse("projects:project_gate_missing", args=[r.project_id]),
            stage=Stage(r.stage).label,
        )
        for r in rows
    ]


def _meeting_items(user: Any) -> list[WorkItem]:
    """Agenda items waiting for the chair's conclusion, and joint-review opinions the user owes (one query each)."""
    items = AgendaItem.objects.filter(
        meeting__chair=user, meeting__status=Meeting.Status.HELD, status=AgendaItem.Status.PENDING
    ).select_related("meeting")[:20]
    out = [
        WorkItem(
            title=f"主持人结论：{i.title}",
            url=reverse("projects:meeting_detail", args=[i.meeting_id]),
            kind="三重一大",
            due=i.meeting.held_on,
        )
        for i in items
    ]
    seats = JointReviewSeat.objects.filter(reviewer=user, opinion="", review__status="open").select_related("review__project")[
        :20
    ]
    out += [
        WorkItem(
            title=f"联审意见：{s.review.subject}（{s.unit}）",
            url=reverse("projects:joint_review_detail", args=[s.review_id]),
            kind="联审",
            due=s.review.due_on,
        )
        for s in seats
    ]
    return out


def _plan_items(user: Any) -> list[WorkItem]:
    """Plans the user drafted that came back from the superior agency (one query)."""
    plans = AnnualPlan.objects.filter(drafted_by=user, status=AnnualPlan.Status.RETURNED)[:10]
    return [
        WorkItem(
            title=f"计划被退回：{p}", url=reverse("projects:plan_detail", args=[p.pk]), kind="计划", detail=p.return_comment[:80]
        )
        for p in plans
    ]


def _filed_plan_items(user: Any) -> list[WorkItem]:
    """Plans subordinates filed in the last 30 days, for those who may return them (one query)."""
    agencies = org_perms.agency_ids_where(user, perms.PLAN_RETURN)
    if not agencies:
        return []
    since = timezone.now() - dt.timedelta(days=30)
    plans = (
        AnnualPlan.objects.filter(agency__parent_id__in=agencies, status=AnnualPlan.Status.FILED, filed_at__gte=since)
        .select_related("agency")
        .order_by("-filed_at")[:10]
    )
    return [
        WorkItem(
            title=f"审阅下级单位备案计划：{p}",
            url=reverse("projects:plan_detail", args=[p.pk]),
            kind="备案",
            detail=f"{p.agency.name} {p.filed_at:%Y-%m-%d} 报备；如有问题可退回",
        )
        for p in plans
    ]


def _subordinate_overdue(user: Any) -> list[WorkItem]:
    """Overdue stages of the people whose posts report to the user's post (two queries)."""
    subordinate_ids = list(
        Position.objects.filter(superior__holder=user, holder__isnull=False).values_list("holder_id", flat=True)
    )
    if not subordinate_ids:
        return []
    today = timezone.localdate()
    rows = (
        ProjectResponsibility.objects.filter(responsible_id__in=subordinate_ids, stage=F("project__stage"))
        .exclude(project__stage=Stage.CLOSED)
        .select_related("project", "responsible")
    )
    out = []
    for r in rows:
        due = r.project.stage_entered_on + dt.timedelta(days=r.due_days)
        if r.due_days and due < today:
            out.append(
                WorkItem(
                    title=f"下属逾期：{r.responsible.display_name} 负责的{r.project.code}（{Stage(r.stage).label}）",
                    url=reverse("projects:project_detail", args=[r.project_id]),
                    kind="督办",
                    due=due,
                    detail=f"已逾期 {(today - due).days} 天",
                )
            )
    return out[:30]


def _sod_refusal_items(user: Any) -> list[WorkItem]:
    """Refused 职责分离 attempts (approving what one drafted, submitted or approved earlier) of the last 30
    days in the agencies where the user is 纪检监察: a red flag (one query)."""
    agencies = org_perms.agency_ids_where(user, perms.SOD_ALERTS_VIEW)
    if not agencies:
        return []
    items = []
    for e in sod_refusals_for(agency_ids=agencies):
        if e.object_type == "projects.approvalrequest" and e.object_id.isdigit():
            url = reverse("projects:approval_detail", args=[int(e.object_id)])
        elif e.context_type == "projects.project" and e.context_id.isdigit():
            url = reverse("projects:project_detail", args=[int(e.context_id)])
        else:
            url = reverse("projects:approval_inbox")
        items.append(
            WorkItem(
                title=f"违反职责分离的审批尝试：{e.object_repr}",
                url=url,
                kind="纪检监察",
                detail=f"{timezone.localtime(e.occurred_at):%Y-%m-%d} {e.actor_name or '系统'}：{e.reason[:160]}",
            )
        )
    return items


for _provider in (
    _approval_items,
    _stage_items,
    _meeting_items,
    _plan_items,
    _filed_plan_items,
    _subordinate_overdue,
    _sod_refusal_items,
):
    register_workbench_provider(_provider)

__all__ = ["perms"]
