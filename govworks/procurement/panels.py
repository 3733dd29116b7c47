"""The 采购计划 panel of the project workspace: the project's lots with category, estimated amount, the
methods the rule parameters allow (and those an obligation requires), the chosen method, and the buttons
of those who keep the plan. Two queries however many lots (lots with their exceptions, then the
parameters), plus the permission lookup."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from govworks.core.registry import WorkspacePanel, register_workspace_panel
from govworks.procurement import permissions as perms
from govworks.procurement.selectors.contracts import project_contracts
from govworks.procurement.selectors.lots import procurement_plan
from govworks.procurement.selectors.tenders import project_tenders, tender_lots_without_tender
from govworks.projects.models import Stage

PANEL_ORDER = 40


def render_lots_panel(request: Any, project: Any) -> str:
    plan = procurement_plan(project)
    return render_to_string(
        "procurement/lots/panel.html",
        {
            "project": project,
            "plan": plan,
            "can_manage": perms.may_manage_lots(request.user, project),
            "before_initiation": project.stage in (Stage.PLANNED, Stage.INITIATION),
        },
        request=request,
    )


register_workspace_panel(WorkspacePanel(PANEL_ORDER, "procurement.lots", "采购计划", render_lots_panel))


def render_contracts_panel(request: Any, project: Any) -> str:
    return render_to_string(
        "procurement/contracts/panel.html",
        {
            "project": project,
            "contracts": project_contracts(project),
            "can_manage": perms.may_manage_contracts(request.user, project),
        },
        request=request,
    )


register_workspace_panel(WorkspacePanel(PANEL_ORDER + 1, "procurement.contracts", "合同", render_contracts_panel))


def render_tenders_panel(request: Any, project: Any) -> str:
    """The project's tenders (no bid amount here: the tender page shows them after opening)."""
    return render_to_string(
        "procurement/tenders/panel.html",
        {
            "project": project,
            "tenders": project_tenders(project),
            "open_lots": tender_lots_without_tender(project),
            "can_manage": perms.may_manage_tenders(request.user, project),
        },
        request=request,
    )


register_workspace_panel(WorkspacePanel(PANEL_ORDER, "procurement.tenders", "招标", render_tenders_panel))
