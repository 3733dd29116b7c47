"""The 结算审计 stage's exit condition owned by finance (MODULE_OWNED_EXITS): the settlement of every signed
construction contract (the main construction contract and any contract of a 工程 lot) has been approved
(竣工验收合格、结算审定) — read from the record the condition names, through the same hook a settlement
payment uses (``selectors.settlements``; the close-out settlement audit provides it), never from a payment of
a similar kind. Until a provider answers for a contract the condition stays unmet and says so."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse

from govworks.core.registry import GateCondition, register_gate_conditions
from govworks.finance import rules
from govworks.finance.selectors.settlements import settlement_state_for
from govworks.procurement.models import Contract, LotCategory
from govworks.projects.models import Stage


def _settlement_gate(project: Any) -> list[GateCondition]:
    """施工合同结算已审定: each signed construction contract's settlement approved (acceptance passed and
    审定金额 recorded), as its record says; one condition naming every contract."""
    contracts = list(
        Contract.objects.filter(
            Q(is_main_construction=True) | Q(lot__category=LotCategory.WORKS), project=project, status=Contract.Status.SIGNED
        )
        .select_related("project", "lot")
        .order_by("-is_main_construction", "signed_on", "id")
    )
    if not contracts:
        ok, detail = False, "尚未签订主体施工合同"
    else:
        details = []
        ok = True
        for contract in contracts:
            state = settlement_state_for(contract)
            problem = rules.settlement_readiness_problem(state)
            if problem is None and state.approved_amount is not None:
                reference = f"（{state.reference}）" if state.reference else ""
                details.append(f"合同{contract.number}结算审定金额 {rules.yuan(state.approved_amount)}{reference}")
            else:
                ok = False
                details.append(f"合同{contract.number}：{problem}")
        detail = "；".join(details)
    return [
        GateCondition(
            "finance:settlement_approved",
            "施工合同结算均已审定（竣工验收合格、结算审计审定金额）",
            ok,
            detail,
            reverse("closeout:settlement_list") + f"?project={project.pk}",
        )
    ]


register_gate_conditions(Stage.SETTLEMENT, _settlement_gate)
