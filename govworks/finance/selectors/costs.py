"""The project cost centre (项目成本中心): per cost item and in total — estimate, contracted, approved
changes, forecast final cost, paid, remaining and the cost deviation rate — and the chart of estimate vs
contracted vs paid by month. Eight queries however many items, contracts, payments or day-labour rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from govworks.finance import rules
from govworks.finance.models import ContractAllocation, CostItem, DayLabour, PaymentRequest, SourceMonth
from govworks.procurement.models import ChangeOrder, Contract

UNALLOCATED = "未归集"


@dataclass
class CostRow:
    item: CostItem | None
    label: str
    line: rules.CostLine

    @property
    def deviation_text(self) -> str:
        d = self.line.deviation
        return "—" if d is None else rules.pct(d)


@dataclass
class CostCentre:
    project: Any
    rows: list[CostRow]
    total: rules.CostLine
    baseline: Decimal  # the approved estimate (or the items' total when none is recorded)
    deviation: Decimal | None
    chart: dict[str, Any]

    @property
    def deviation_text(self) -> str:
        return "—" if self.deviation is None else rules.pct(self.deviation)


def _by(rows: Any, key: str) -> dict[Any, Decimal]:
    return {r[key]: Decimal(r["s"] or 0) for r in rows}


def cost_centre(project: Any, *, today: dt.date | None = None) -> CostCentre:
    today = today or timezone.localdate()
    items = list(CostItem.objects.filter(project=project).order_by("code"))
    item_key = "contract__cost_allocation__cost_item_id"
    contracted = _by(
        Contract.objects.filter(project=project, status=Contract.Status.SIGNED)
        .values("cost_allocation__cost_item_id")
        .annotate(s=Sum("amount"))
        .values("cost_allocation__cost_item_id", "s"),
        "cost_allocation__cost_item_id",
    )
    changes: dict[Any, Decimal] = {}
    pending: dict[Any, Decimal] = {}
    for r in (
        ChangeOrder.objects.filter(
            contract__project=project, status__in=[ChangeOrder.Status.APPROVED, ChangeOrder.Status.SUBMITTED]
        )
        .values(item_key, "status")
        .annotate(s=Sum("amount"))
    ):
        target = changes if r["status"] == ChangeOrder.Status.APPROVED else pending
        target[r[item_key]] = target.get(r[item_key], Decimal(0)) + Decimal(r["s"] or 0)
    # paid per contract through the (project, status, paid_on) index, then onto the items
    item_of = dict(ContractAllocation.objects.filter(contract__project=project).values_list("contract_id", "cost_item_id"))
    paid: dict[Any, Decimal] = {}
    for contract_id, amount in (
        PaymentRequest.objects.filter(project=project, status=PaymentRequest.Status.PAID)
        .values("contract_id")
        .annotate(s=Sum("amount"))
        .values_list("contract_id", "s")
    ):
        key = item_of.get(contract_id)
        paid[key] = paid.get(key, Decimal(0)) + Decimal(amount or 0)
    labour = _by(
        DayLabour.objects.filter(project=project, status=DayLabour.Status.CONFIRMED)
        .values("cost_item_id")
        .annotate(s=Sum("amount")),
        "cost_item_id",
    )

    def line(key: Any, estimate: Decimal) -> rules.CostLine:
        return rules.CostLine(
            estimate=estimate,
            contracted=contracted.get(key, Decimal(0)),
            changes=changes.get(key, Decimal(0)),
            pending_changes=pending.get(key, Decimal(0)),
            day_labour=labour.get(key, Decimal(0)),
            paid=paid.get(key, Decimal(0)),
        )

    rows = [CostRow(item, str(item), line(item.pk, Decimal(item.estimate_amount))) for item in items]
    loose = line(None, Decimal(0))
    if any((loose.contracted, loose.changes, loose.pending_changes, loose.day_labour, loose.paid)):
        rows.append(CostRow(None, f"（{UNALLOCATED}合同及点工）", loose))
    total = rules.cost_total(r.line for r in rows)
    baseline = Decimal(project.approved_estimate) if project.approved_estimate is not None else total.estimate
    return CostCentre(
        project=project,
        rows=rows,
        total=total,
        baseline=baseline,
        deviation=rules.deviation_rate(total.forecast, baseline),
        chart=_chart(project, baseline, today),
    )


def _chart(project: Any, baseline: Decimal, today: dt.date) -> dict[str, Any]:
    """Cumulative contracted (by signing month) and paid
    (by treasury payment month) against the estimate, from the first signing to this month."""
    signed: list[Any] = list(
        Contract.objects.filter(project=project, status=Contract.Status.SIGNED, signed_on__isnull=False)
        .values("signed_on")
        .annotate(s=Sum("amount"))
        .values_list("signed_on", "s")
    )
    paid: list[Any] = list(  # the monthly projection the treasury confirmations keep
        SourceMonth.objects.filter(source__project=project).values("month").annotate(s=Sum("paid")).values_list("month", "s")
    )
    dates = [d for d, _ in signed] + [d for d, _ in paid]
    first = rules.month_start(min(dates)) if dates else rules.month_start(today)
    months: list[dt.date] = []
    m = first
    while m <= rules.month_start(today) and len(months) < 120:
        months.append(m)
        m = rules.add_months(m, 1)
    contracted = rules.monthly_series(months, [(d, Decimal(s)) for d, s in signed], cumulative=True)
    paid_series = rules.monthly_series(months, [(d, Decimal(s)) for d, s in paid], cumulative=True)
    wan = Decimal(10000)

    def w(values: list[Decimal]) -> list[float]:
        return [float((v / wan).quantize(Decimal("0.01"))) for v in values]

    return {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "legend": {"data": ["批复概算", "累计合同额", "累计支付"], "top": 0},
        "grid": {"left": 60, "right": 20, "top": 30, "bottom": 30},
        "xAxis": {"type": "category", "data": [f"{x:%Y-%m}" for x in months]},
        "yAxis": {"type": "value", "name": "万元"},
        "series": [
            {
                "name": "批复概算",
                "type": "line",
                "data": w([baseline] * len(months)),
                "lineStyle": {"type": "dashed"},
                "symbol": "none",
            },
            {"name": "累计合同额", "type": "line", "step": "end", "data": w(contracted)},
            {"name": "累计支付", "type": "bar", "data": w(paid_series), "barMaxWidth": 24},
        ],
    }


def unallocated_contracts(project: Any) -> list[Contract]:
    return list(Contract.objects.filter(project=project, cost_allocation__isnull=True).order_by("id"))


def allocation_items(project: Any) -> list[ContractAllocation]:
    return list(ContractAllocation.objects.filter(cost_item__project=project).select_related("contract", "cost_item"))
