"""The 结算审计 stage's exit condition owned by finance (MODULE_OWNED_EXITS): the settlement payment of the
main construction contract has been approved (结算款核定) — the settlement audit itself belongs to the
later close-out module, which will add its own condition."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from govworks.core.registry import GateCondition, register_gate_conditions
from govworks.finance.models import PaymentRequest
from govworks.procurement.models import PaymentMilestone
from govworks.projects.models import Stage


def _settlement_gate(project: Any) -> list[GateCondition]:
    row = (
        PaymentRequest.objects.filter(
            project=project,
            contract__is_main_construction=True,
            kind=PaymentMilestone.Kind.SETTLEMENT,
            status__in=PaymentRequest.COMMITTED,
        )
        .order_by("approved_at")
        .first()
    )
    return [
        GateCondition(
            "finance:settlement_approved",
            "主体施工合同结算款已核定（结算付款申请审批办结）",
            row is not None,
            f"付款申请{row.number}（{row.amount:,.2f} 元）已批准" if row else "尚未办结主体施工合同的结算款",
            reverse("finance:request_list") + f"?project={project.pk}&kind=settlement",
        )
    ]


register_gate_conditions(Stage.SETTLEMENT, _settlement_gate)
