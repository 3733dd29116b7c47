"""Reads of the asset handover (资产移交): the cards with their reconciliation against the approved final cost.

A constant number of queries however many cards or cost lines the project has."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from govworks.closeout import rules_final_accounts as rules
from govworks.closeout.models import AssetCard, AssetHandover, FinalAccounts, FinalCostLine
from govworks.closeout.selectors import final_accounts as fa_selectors

ZERO = Decimal(0)


@dataclass
class HandoverView:
    project: Any
    fa: FinalAccounts | None
    approved_on: dt.date | None
    handover: AssetHandover | None
    lines: list[FinalCostLine] = field(default_factory=list)
    cards: list[AssetCard] = field(default_factory=list)

    @property
    def final_cost(self) -> Decimal | None:
        if self.fa is None or self.approved_on is None or self.fa.final_cost is None:
            return None
        return Decimal(self.fa.final_cost)

    @property
    def cards_total(self) -> Decimal:
        return sum((Decimal(c.value) for c in self.cards), ZERO)

    def line_rows(self) -> list[tuple[FinalCostLine, Decimal, list[AssetCard]]]:
        by_line: dict[int, list[AssetCard]] = {}
        for c in self.cards:
            by_line.setdefault(c.line_id, []).append(c)
        return [
            (line, sum((Decimal(c.value) for c in by_line.get(line.pk, [])), ZERO), by_line.get(line.pk, []))
            for line in self.lines
        ]

    @property
    def problems(self) -> list[str]:
        if self.final_cost is None:
            return ["竣工财务决算尚未批准"]
        return rules.reconciliation_problems(
            final_cost=self.final_cost, lines=[(line.label, Decimal(line.amount), total) for line, total, _ in self.line_rows()]
        )


def handover_of(project: Any) -> AssetHandover | None:
    return (
        AssetHandover.objects.filter(project=project)
        .select_related("using_department", "drafted_by", "submitted_by", "confirmed_by")
        .first()
    )


def handover_view(project: Any) -> HandoverView:
    fa = FinalAccounts.objects.filter(project=project).first()
    view = HandoverView(
        project=project, fa=fa, approved_on=fa_selectors.approved_on(project) if fa else None, handover=handover_of(project)
    )
    if fa is not None:
        view.lines = list(FinalCostLine.objects.filter(final_accounts=fa).order_by("kind", "id"))
    if view.handover is not None:
        view.cards = list(
            AssetCard.objects.filter(handover=view.handover).select_related("custodian_department", "line").order_by("seq")
        )
    return view


def confirmed_on(project: Any) -> dt.date | None:
    """Fact ``assets.confirmed_on``: the day the using department confirmed the handover."""
    return (
        AssetHandover.objects.filter(project=project, status=AssetHandover.Status.CONFIRMED)
        .values_list("confirmed_on", flat=True)
        .first()
    )
