"""The 施工监管 panel of the project workspace: the light with its reason, the numbers, an active freeze with its release path,
open notices and actions, and links to the supervision tabs. A fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from govworks.construction.selectors import supervision as sel
from govworks.construction.selectors.freezes import active_release_path
from govworks.core.registry import WorkspacePanel, register_workspace_panel
from govworks.projects.models import Stage

PANEL_ORDER = 50
SHOWN_FROM = (Stage.CONTRACT, Stage.CONSTRUCTION, Stage.SUSPENDED, Stage.ACCEPTANCE)


def render_supervision_panel(request: Any, project: Any) -> str:
    if project.stage not in SHOWN_FROM:
        return render_to_string("construction/partials/panel_idle.html", {"project": project}, request=request)
    return render_to_string(
        "construction/partials/panel.html",
        {
            "project": project,
            "site": sel.project_site(project),
            "freeze_path": active_release_path(project.pk),
            "counts": sel.open_counts(project),
        },
        request=request,
    )


register_workspace_panel(WorkspacePanel(PANEL_ORDER, "construction.supervision", "施工监管", render_supervision_panel))
