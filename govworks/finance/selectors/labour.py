"""Reads of day labour (monthly summary per project, team and trade) and of the wage accounts (transfers
by month, deposits, open alerts). Constant queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth

from govworks.finance.models import DayLabour, WageAccount, WageAlert, WageDeposit, WageTransfer


def day_labour_for(project: Any) -> QuerySet[DayLabour]:
    return (
        DayLabour.objects.filter(project=project)
        .select_related("recorded_by", "confirmed_by", "cost_item")
        .order_by("-work_date", "-id")
    )


@dataclass
class LabourSummaryRow:
    month: dt.date
    team: str
    trade: str
    records: int
    people: int
    workdays: Decimal
    amount: Decimal


def day_labour_monthly(project: Any) -> list[LabourSummaryRow]:
    """Confirmed day labour per month, team and trade (one grouped query)."""
    rows = (
        DayLabour.objects.filter(project=project, status=DayLabour.Status.CONFIRMED)
        .annotate(m=TruncMonth("work_date"))
        .values("m", "team", "trade")
        .annotate(n=Count("pk"), p=Sum("people"), w=Sum("workdays"), a=Sum("amount"))
        .order_by("-m", "team", "trade")
    )
    out = []
    for r in rows:
        m = r["m"]
        month = m.date() if isinstance(m, dt.datetime) else m
        out.append(
            LabourSummaryRow(month, r["team"], r["trade"], r["n"], r["p"] or 0, Decimal(r["w"] or 0), Decimal(r["a"] or 0))
        )
    return out


@dataclass
class WageView:
    account: WageAccount
    transfers: list[WageTransfer]
    alerts: list[WageAlert]
    deposits: list[WageDeposit]


def wage_accounts_for(project: Any) -> list[WageView]:
    """Every wage account of the project's contracts with transfers, open alerts and deposits (four queries)."""
    accounts = list(WageAccount.objects.filter(contract__project=project).select_related("contract").order_by("id"))
    ids = [a.pk for a in accounts]
    transfers: dict[int, list[WageTransfer]] = {}
    for t in WageTransfer.objects.filter(account_id__in=ids).order_by("-month"):
        transfers.setdefault(t.account_id, []).append(t)
    alerts: dict[int, list[WageAlert]] = {}
    for a in WageAlert.objects.filter(account_id__in=ids, resolved_at__isnull=True).order_by("month"):
        alerts.setdefault(a.account_id, []).append(a)
    deposits: dict[int, list[WageDeposit]] = {}
    for d in WageDeposit.objects.filter(contract__project=project).order_by("deposited_on"):
        deposits.setdefault(d.contract_id, []).append(d)
    return [WageView(a, transfers.get(a.pk, []), alerts.get(a.pk, []), deposits.get(a.contract_id, [])) for a in accounts]


def open_wage_alerts(*, agency_ids: set[int] | None = None, manager: Any = None) -> list[WageAlert]:
    """Open alerts of the agencies (纪检监察) or of the projects ``manager`` runs (one query)."""
    qs = WageAlert.objects.filter(resolved_at__isnull=True).select_related("project", "account", "account__contract")
    if manager is not None:
        qs = qs.filter(project__manager=manager)
    elif agency_ids is not None:
        qs = qs.filter(project__agency_id__in=agency_ids)
    return list(qs.order_by("month")[:50])
