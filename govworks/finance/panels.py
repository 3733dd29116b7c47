"""The 资金 panel of the project workspace: the project's funds (budget, paid, committed, execution
rate), its cost deviation rate, an active payment freeze with its release path, open wage alerts and the latest payment requests.
A constant number of queries."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from govworks.construction.selectors.freezes import active_release_path
from govworks.core.registry import ObjectPanel, WorkspacePanel, register_object_panel, register_workspace_panel
from govworks.finance import permissions as perms
from govworks.finance.models import FundingSource, PaymentRequest, WageAlert
from govworks.finance.selectors.costs import cost_centre
from govworks.finance.selectors.dashboard import SUMS, Totals
from govworks.finance.selectors.payments import contract_payment_summary

PANEL_ORDER = 60


def render_finance_panel(request: Any, project: Any) -> str:
    agg = FundingSource.objects.filter(project=project).aggregate(**SUMS)
    totals = Totals(agg["budget"] or 0, 0, agg["committed"] or 0, agg["paid"] or 0)  # type: ignore[arg-type]
    return render_to_string(
        "finance/panel.html",
        {
            "project": project,
            "totals": totals,
            "centre": cost_centre(project),
            "freeze_path": active_release_path(project.pk),
            "alerts": WageAlert.objects.filter(project=project, resolved_at__isnull=True).count(),
            "requests": list(PaymentRequest.objects.filter(project=project).select_related("contract").order_by("-id")[:8]),
        },
        request=request,
    )


register_workspace_panel(WorkspacePanel(PANEL_ORDER, "finance.funds", "资金", render_finance_panel))


def render_contract_payments(request: Any, contract: Any) -> str:
    """The 付款 section of a contract page: paid to date, approved and in approval, and every payment request of
    the contract with its status (two queries); nothing for people who do not read finance."""
    if not perms.may_read_finance(request.user):
        return ""
    return render_to_string("finance/contract_panel.html", {"summary": contract_payment_summary(contract)}, request=request)


register_object_panel(ObjectPanel("procurement.contract", 10, "finance.contract_payments", "付款情况", render_contract_payments))
