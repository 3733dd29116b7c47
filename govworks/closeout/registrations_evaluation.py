"""What the performance evaluation and the close add to the rest of GovWorks: the menu entries, the workbench
items (self-evaluation due, review waiting, project ready to close), the gate of the last stage before 关闭, the
close-out summary panel of the project workspace, the fact ``evaluation.approved_on``, the audit labels and the
demo seeder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from govworks.closeout import (
    audit_labels_evaluation,  # noqa: F401  (registers the labels)
    demo_evaluation,  # noqa: F401  (registers the demo seeder)
)
from govworks.closeout import permissions_evaluation as perms
from govworks.closeout.models import Evaluation
from govworks.closeout.navigation import SECTION
from govworks.closeout.selectors import evaluation as selectors
from govworks.closeout.selectors.facts import register_project_fact
from govworks.core.registry import (
    NavItem,
    WorkItem,
    WorkspacePanel,
    register_gate_conditions,
    register_nav,
    register_workbench_provider,
    register_workspace_panel,
)
from govworks.org import permissions as org_perms
from govworks.projects import permissions as project_perms
from govworks.projects.models import Project, ProjectResponsibility, Stage

#: days the review (部门评价) has after the self-evaluation is submitted (D: this deployment's default)
REVIEW_DAYS = 15
PANEL_ORDER = 90
#: the stages whose workspace shows the close-out summary
CLOSEOUT_STAGES = (
    Stage.ACCEPTANCE,
    Stage.SETTLEMENT,
    Stage.FINAL_ACCOUNTS,
    Stage.ARCHIVING,
    Stage.ASSET_HANDOVER,
    Stage.EVALUATION,
    Stage.CLOSED,
)


def _may_manage_templates_anywhere(user: Any) -> bool:
    return org_perms.can_anywhere(user, perms.EVAL_TEMPLATE)


register_nav(NavItem(SECTION, _("绩效评价"), "closeout:evaluation_list", "ti-chart-bar", perms.may_read_evaluations, 86))
register_nav(
    NavItem(
        SECTION, _("绩效评价指标模板"), "closeout:evaluation_templates", "ti-list-details", _may_manage_templates_anywhere, 87
    )
)


def _self_items(user: Any) -> list[WorkItem]:
    """Projects in 绩效评价 of the user's department whose self-evaluation is not submitted (one query)."""
    agencies = org_perms.agency_ids_where(user, perms.EVAL_SELF)
    if not agencies:
        return []
    department = getattr(user, "department_id", None)
    due_days = ProjectResponsibility.objects.filter(project=OuterRef("pk"), stage=Stage.EVALUATION).values("due_days")[:1]
    from django.db.models import Q

    rows = (
        Project.objects.filter(agency_id__in=agencies, stage=Stage.EVALUATION)
        .filter(Q(manager=user) | Q(department_id=department))
        .exclude(performance_evaluation__status__in=[Evaluation.Status.SUBMITTED, Evaluation.Status.APPROVED])
        .annotate(due_days=Subquery(due_days))
        .order_by("stage_entered_on", "id")[:30]
    )
    return [
        WorkItem(
            title=f"绩效自评：{p.code} {p.name}",
            url=reverse("closeout:evaluation_project", args=[p.pk]),
            kind="绩效评价",
            due=p.stage_entered_on + dt.timedelta(days=p.due_days or 30),
            detail="单位自评：系统取数指标已自动填写，其余指标须评分并上传佐证",
        )
        for p in rows
    ]


def _review_items(user: Any) -> list[WorkItem]:
    """Submitted evaluations waiting for 财务/内审's review, not those the user submitted (one query)."""
    agencies = org_perms.agency_ids_where(user, perms.EVAL_REVIEW)
    if not agencies:
        return []
    return [
        WorkItem(
            title=f"绩效评价待审核：{e.project.code} {e.project.name}",
            url=reverse("closeout:evaluation_project", args=[e.project_id]),
            kind="绩效评价",
            due=(e.submitted_at.date() if e.submitted_at else dt.date.today()) + dt.timedelta(days=REVIEW_DAYS),
            detail=f"自评 {e.score} 分",
        )
        for e in selectors.review_todo(user, agencies)
    ]


def _close_items(user: Any) -> list[WorkItem]:
    """Projects the user manages in 绩效评价 whose evaluation is approved: check the close-out records and close
    (one query)."""
    if not org_perms.can_anywhere(user, project_perms.PROJECT_ADVANCE):
        return []
    rows = (
        Evaluation.objects.filter(project__manager=user, project__stage=Stage.EVALUATION, status=Evaluation.Status.APPROVED)
        .select_related("project")
        .order_by("approved_on")[:30]
    )
    return [
        WorkItem(
            title=f"项目关闭：{e.project.code} {e.project.name}",
            url=reverse("closeout:close_project", args=[e.project_id]),
            kind="项目关闭",
            due=(e.approved_on or dt.date.today()) + dt.timedelta(days=REVIEW_DAYS),
            detail="绩效评价已评定：核对收尾记录后关闭项目",
        )
        for e in rows
    ]


def render_closeout_panel(request: Any, project: Any) -> str:
    if project.stage not in CLOSEOUT_STAGES:
        return (
            '<div class="card-body py-2 small text-secondary">项目进入竣工验收后，这里汇总收尾记录、关键数字和阶段时间线。</div>'
        )

    return render_to_string(
        "closeout/evaluation/panel.html", {"s": selectors.closeout_summary(project), "project": project}, request=request
    )


register_workbench_provider(_self_items)
register_workbench_provider(_review_items)
register_workbench_provider(_close_items)
register_gate_conditions(Stage.EVALUATION, selectors.close_conditions)
register_workspace_panel(WorkspacePanel(PANEL_ORDER, "closeout.summary", "竣工收尾总览", render_closeout_panel))
register_project_fact("evaluation.approved_on", selectors.approved_on)
