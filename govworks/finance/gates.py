"""The 结算审计 stage's exit condition owned by finance (MODULE_OWNED_EXITS): the settlement of the main
construction contract has been approved (竣工验收合格、结算审定) — read from the record the condition names,
through the same hook a settlement payment uses (``selectors.settlements``), never from a payment of a
similar kind. Until the close-out module provides those records the condition stays unmet and says so."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from govworks.core.registry import GateCondition, register_gate_conditions
from govworks.finance import rules
from govworks.finance.selectors.settlements import settlement_state_for
from govworks.procurement.models import Contract
from govworks.projects.models import Stage


def _settlement_gate(project: Any) -> list[GateCondition]:
    """主体施工合同结算已审定: the main construction contract's settlement approved (acceptance passed and
    审定金额 recorded), as its record says."""
    main = (
        Contract.objects.filter(project=project, is_main_construction=True, status=Contract.Status.SIGNED)
        .order_by("signed_on", "id")
        .first()
    )
    if main is None:
        ok, detail = False, "尚未签订主体施工合同"
    else:
        state = settlement_state_for(main)
        problem = rules.settlement_readiness_problem(state)
        ok = problem is None
        if problem is None and state.approved_amount is not None:
            reference = f"（{state.reference}）" if state.reference else ""
            detail = f"合同{main.number}结算审定金额 {rules.yuan(state.approved_amount)}{reference}"
        else:
            detail = f"合同{main.number}：{problem}"
    return [
        GateCondition(
            "finance:settlement_approved",
            "主体施工合同结算已审定（竣工验收合格、结算审计审定金额）",
            ok,
            detail,
            reverse("procurement:contract_list") + f"?project={project.pk}",
        )
    ]


register_gate_conditions(Stage.SETTLEMENT, _settlement_gate)
