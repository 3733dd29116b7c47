"""What the final accounts and the asset handover plug into: menus, workbench items with due dates, the gates of
竣工决算 and 资产移交, the facts other areas read, the guard that keeps the responsible people on a project until
its final accounts are approved (财建〔2016〕503号第三条), the project-workspace panel and the demo seeder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govworks.closeout import audit_labels_final  # noqa: F401  (registers the Chinese labels)
from govworks.closeout import permissions_final as perms
from govworks.closeout.models import AssetHandover, FinalAccounts, FinalAccountsExtension
from govworks.closeout.navigation import SECTION
from govworks.closeout.selectors import assets as asset_selectors
from govworks.closeout.selectors import final_accounts as fa_selectors
from govworks.closeout.selectors.facts import register_project_fact
from govworks.closeout.selectors.milestones import completion_date
from govworks.closeout.services import final_accounts as _fa_services  # noqa: F401  (registers the approval kind)
from govworks.core.registry import (
    GateCondition,
    NavItem,
    WorkItem,
    WorkspacePanel,
    register_demo_seeder,
    register_gate_conditions,
    register_nav,
    register_workbench_provider,
    register_workspace_panel,
)
from govworks.org import permissions as org_perms
from govworks.projects.models import ProjectResponsibility, Stage
from govworks.projects.removal_guards import register_removal_guard

register_nav(NavItem(SECTION, _("竣工财务决算"), "closeout:fa_list", "ti-calculator", perms.may_read, 73))
register_nav(NavItem(SECTION, _("资产移交"), "closeout:asset_list", "ti-building-warehouse", perms.may_read, 75))

register_project_fact("final_accounts.final_cost", fa_selectors.approved_final_cost)
register_project_fact("final_accounts.approved_on", fa_selectors.approved_on)
register_project_fact("assets.confirmed_on", asset_selectors.confirmed_on)


# ------------------------------------------------------------------------------------------------ removal guard


def final_accounts_lock(project: Any, person: Any) -> str | None:
    """决算未经审核前，项目负责人、财务主管等一般不得调离 (财建〔2016〕503号第三条): from the completion acceptance until
    the final accounts are approved, nobody responsible for the project may be replaced."""
    if completion_date(project) is None or fa_selectors.approved_on(project) is not None:
        return None
    name = getattr(person, "display_name", str(person))
    return (
        f"竣工财务决算未经批准前，项目负责人、财务主管等不得调离（财建〔2016〕503号第三条）："
        f"{project.code} {project.name}的竣工财务决算尚未批准，{name}不能从本项目撤换"
    )


register_removal_guard(final_accounts_lock)


# ------------------------------------------------------------------------------------------------ gates


def _fa_gate(project: Any) -> list[GateCondition]:
    sheet = fa_selectors.sheet_of(project)
    url = reverse("closeout:fa_detail", args=[project.pk])
    approval = sheet.approval
    detail = sheet.state_label if approval is None else f"{approval.chain_name}：{approval.get_status_display()}"
    surplus_problem = sheet.surplus_problem if sheet.fa is not None else "尚未编制决算"
    return [
        GateCondition("closeout:fa_approved", "竣工财务决算审批通过", sheet.state == "approved", detail, url),
        GateCondition(
            "closeout:fa_surplus",
            "结余资金已全部缴回",
            sheet.fa is not None and surplus_problem is None,
            surplus_problem or f"结余 {fa_selectors.rules.yuan(sheet.surplus)}，已缴回 {fa_selectors.rules.yuan(sheet.returned)}",
            url + "#surplus",
        ),
        GateCondition(
            "closeout:fa_report",
            "决算报告已归档",
            bool(sheet.fa and sheet.fa.report_filed_at),
            "已归档" if sheet.fa and sheet.fa.report_filed_at else "审批通过后生成并归档",
            url,
        ),
    ]


def _asset_gate(project: Any) -> list[GateCondition]:
    handover = asset_selectors.handover_of(project)
    url = reverse("closeout:asset_detail", args=[project.pk])
    ok = handover is not None and handover.status == AssetHandover.Status.CONFIRMED
    if handover is None:
        detail = "尚未编制交付使用资产清单"
    elif ok:
        detail = f"{handover.using_department.name} {handover.confirmed_on:%Y-%m-%d} 确认接收"
    else:
        detail = handover.get_status_display()
    return [
        GateCondition("closeout:assets_confirmed", "使用部门确认接收交付使用资产", ok, detail, url),
        GateCondition(
            "closeout:assets_filed",
            "交付使用资产清单已归档",
            bool(handover and handover.list_filed_at),
            "已归档" if handover and handover.list_filed_at else "确认接收后生成并归档",
            url,
        ),
    ]


register_gate_conditions(Stage.FINAL_ACCOUNTS, _fa_gate)
register_gate_conditions(Stage.ASSET_HANDOVER, _asset_gate)


# ------------------------------------------------------------------------------------------------ workbench


def _fa_items(user: Any) -> list[WorkItem]:
    """Final accounts due or overdue, for the named 责任人 of the 竣工决算 stage (constant queries)."""
    if not org_perms.is_signed_in(user) or getattr(user, "is_external", False):
        return []
    projects = [
        r.project
        for r in ProjectResponsibility.objects.filter(
            responsible=user, stage=Stage.FINAL_ACCOUNTS, project__stage=Stage.FINAL_ACCOUNTS
        ).select_related("project")[:50]
    ]
    if not projects:
        return []
    today = timezone.localdate()
    items = []
    for row in fa_selectors.list_rows(projects):
        if row.state in ("approved", "pending"):
            continue
        late = row.due is not None and row.due < today
        items.append(
            WorkItem(
                title=f"竣工财务决算{'已逾期' if late else '待编报'}：{row.project.code} {row.project.name}",
                url=reverse("closeout:fa_detail", args=[row.project.pk]),
                kind="竣工决算",
                due=row.due,
                detail=f"{row.state_label}；竣工后 3 个月内编报" + (f"，期限 {row.due:%Y-%m-%d}" if row.due else ""),
            )
        )
    return items


def _extension_items(user: Any) -> list[WorkItem]:
    agencies = org_perms.agency_ids_where(user, perms.FA_EXTENSION_DECIDE)
    if not agencies:
        return []
    rows = (
        FinalAccountsExtension.objects.filter(
            status=FinalAccountsExtension.Status.REQUESTED, final_accounts__project__agency_id__in=agencies
        )
        .exclude(requested_by=user)
        .select_related("final_accounts__project")[:30]
    )
    return [
        WorkItem(
            title=f"决算延期申请待审批：{r.final_accounts.project.code} {r.months} 个月",
            url=reverse("closeout:fa_detail", args=[r.final_accounts.project_id]) + "#extensions",
            kind="竣工决算",
            due=timezone.localdate(r.requested_at) + dt.timedelta(days=5),
            detail=r.reason[:60],
        )
        for r in rows
    ]


def _asset_items(user: Any) -> list[WorkItem]:
    """The using department's confirmations waiting, and the lists the 资产移交 责任人 still has to prepare."""
    if not org_perms.is_signed_in(user) or getattr(user, "is_external", False):
        return []
    items = []
    if getattr(user, "department_id", None):
        for h in (
            AssetHandover.objects.filter(status=AssetHandover.Status.SUBMITTED, using_department_id=user.department_id)
            .exclude(drafted_by=user)
            .exclude(submitted_by=user)
            .select_related("project")[:30]
        ):
            items.append(
                WorkItem(
                    title=f"交付使用资产待确认接收：{h.project.code} {h.project.name}",
                    url=reverse("closeout:asset_detail", args=[h.project_id]),
                    kind="资产移交",
                    due=timezone.localdate(h.submitted_at) + dt.timedelta(days=10) if h.submitted_at else None,
                    detail="使用部门核对资产卡片后确认接收",
                )
            )
    for r in (
        ProjectResponsibility.objects.filter(responsible=user, stage=Stage.ASSET_HANDOVER, project__stage=Stage.ASSET_HANDOVER)
        .exclude(project__asset_handover__status=AssetHandover.Status.CONFIRMED)
        .select_related("project")[:30]
    ):
        items.append(
            WorkItem(
                title=f"交付使用资产清单待办理：{r.project.code} {r.project.name}",
                url=reverse("closeout:asset_detail", args=[r.project_id]),
                kind="资产移交",
                due=r.project.stage_entered_on + dt.timedelta(days=r.due_days),
                detail="按批复的决算编制资产卡片，经使用部门确认接收",
            )
        )
    return items


register_workbench_provider(_fa_items)
register_workbench_provider(_extension_items)
register_workbench_provider(_asset_items)


# ------------------------------------------------------------------------------------------------ workspace panel

PANEL_STAGES = {Stage.SETTLEMENT, Stage.FINAL_ACCOUNTS, Stage.ARCHIVING, Stage.ASSET_HANDOVER, Stage.EVALUATION, Stage.CLOSED}


def render_final_panel(request: Any, project: Any) -> str:
    if project.stage not in PANEL_STAGES:
        return ""
    fa = FinalAccounts.objects.filter(project=project).first()
    approval = fa_selectors.latest_approval(fa)
    state = fa_selectors.state_of(fa, approval)
    return render_to_string(
        "closeout/final_accounts/panel.html",
        {
            "project": project,
            "fa": fa,
            "state_label": fa_selectors.STATE_LABELS[state],
            "locked": final_accounts_lock(project, None) is not None,
            "handover": asset_selectors.handover_of(project),
        },
        request=request,
    )


register_workspace_panel(WorkspacePanel(72, "closeout.final_accounts", "竣工决算与资产移交", render_final_panel))


def _seed() -> str:
    from govworks.closeout.demo_final import seed_final_accounts_demo

    return seed_final_accounts_demo()


register_demo_seeder(62, "竣工决算与资产移交", _seed)
