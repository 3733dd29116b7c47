"""The fund dashboard (资金数据中心): per agency, project and source — budget, received, committed, paid and
the execution rate (预算执行率 = paid ÷ budget) — with the monthly payments of the budget year. Every read
starts from the projects the user may see; the months come from the ``SourceMonth`` projection, so the
cost is a constant number of queries however many payments there are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from govworks.finance import rules
from govworks.finance.models import FundingSource, FundKind, FundReceipt, PaymentRequest, SourceMonth
from govworks.org.models import Agency
from govworks.projects.permissions import projects_visible_to

ZERO = Decimal(0)


@dataclass
class Totals:
    budget: Decimal = ZERO
    received: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def rate(self) -> Decimal | None:
        return rules.execution_rate(self.paid, self.budget)

    @property
    def rate_text(self) -> str:
        r = self.rate
        return "—" if r is None else rules.pct(r)

    @property
    def received_rate_text(self) -> str:
        r = rules.execution_rate(self.received, self.budget)
        return "—" if r is None else rules.pct(r)

    @property
    def available(self) -> Decimal:
        return self.budget - self.committed - self.paid


@dataclass
class GroupRow:
    key: Any
    label: str
    sublabel: str
    sources: int
    totals: Totals


@dataclass
class Dashboard:
    year: int
    totals: Totals
    agencies: list[GroupRow]
    kinds: list[GroupRow]
    months: list[tuple[dt.date, Decimal, Decimal]]  # month, paid, cumulative rate
    chart: dict[str, Any]


def sources_visible_to(user: Any) -> QuerySet[FundingSource]:
    return FundingSource.objects.filter(project__in=projects_visible_to(user))


def scoped_sources(*, user: Any, year: int, agency: int | None = None, project: int | None = None) -> QuerySet[FundingSource]:
    qs = sources_visible_to(user).filter(budget_year=year)
    if agency:
        qs = qs.filter(project__agency_id=agency)
    if project:
        qs = qs.filter(project_id=project)
    return qs


def _totals(row: Any, received: Decimal) -> Totals:
    return Totals(Decimal(row["budget"] or 0), received, Decimal(row["committed"] or 0), Decimal(row["paid"] or 0))


SUMS = {"budget": Sum("amount"), "committed": Sum("committed"), "paid": Sum("paid"), "n": Count("pk")}


def _summed(rows: list[Any], received: Decimal) -> Totals:
    """The totals of several grouped rows (budget, committed, paid summed) with ``received``."""
    return Totals(
        sum((Decimal(r["budget"] or 0) for r in rows), ZERO),
        received,
        sum((Decimal(r["committed"] or 0) for r in rows), ZERO),
        sum((Decimal(r["paid"] or 0) for r in rows), ZERO),
    )


def fund_dashboard(
    *, user: Any, year: int | None = None, agency: int | None = None, project: int | None = None, source: int | None = None
) -> Dashboard:
    """Four queries whatever the number of sources: the sources and the receipts each grouped once by
    agency and kind (totals, the agency rows and the kind rows are summed from those groups in Python),
    the names of those agencies, and the paid months. ``source`` narrows the figures and charts to one funding source (drill-down
    from a project)."""
    year = year or timezone.localdate().year
    qs = scoped_sources(user=user, year=year, agency=agency, project=project)
    if source:
        qs = qs.filter(pk=source)
    received: dict[tuple[int, str], Decimal] = {
        (r["source__project__agency_id"], r["source__kind"]): Decimal(r["s"] or 0)
        for r in FundReceipt.objects.filter(source__in=qs.values("pk"))
        .values("source__project__agency_id", "source__kind")
        .annotate(s=Sum("amount"))
    }
    # grouped by ids only (a hash aggregate; ordering by the agency name would sort every source row), the
    # few agency names read afterwards
    groups = list(qs.values("project__agency_id", "kind").annotate(**SUMS).order_by())
    totals = _summed(groups, sum(received.values(), ZERO))
    by_agency: dict[int, list[Any]] = {}
    by_kind: dict[str, list[Any]] = {}
    for g in groups:
        by_agency.setdefault(g["project__agency_id"], []).append(g)
        by_kind.setdefault(g["kind"], []).append(g)
    names = dict(Agency.objects.filter(pk__in=list(by_agency)).values_list("pk", "name"))
    by_agency = dict(sorted(by_agency.items(), key=lambda item: (names.get(item[0], ""), item[0])))
    agencies = [
        GroupRow(
            agency_id,
            names[agency_id],
            "",
            sum(g["n"] for g in rows),
            _summed(rows, sum((v for (a, _k), v in received.items() if a == agency_id), ZERO)),
        )
        for agency_id, rows in by_agency.items()
    ]
    kind_labels = dict(FundKind.choices)
    kinds = [
        GroupRow(
            kind,
            str(kind_labels.get(kind, kind)),
            "",
            sum(g["n"] for g in rows),
            _summed(rows, sum((v for (_a, k), v in received.items() if k == kind), ZERO)),
        )
        for kind, rows in sorted(by_kind.items())
    ]
    by_month = {
        r["month"]: Decimal(r["s"] or 0)
        for r in SourceMonth.objects.filter(source__in=qs.values("pk"), month__year=year).values("month").annotate(s=Sum("paid"))
    }
    months: list[tuple[dt.date, Decimal, Decimal]] = []
    running = ZERO
    for m in range(1, 13):
        day = dt.date(year, m, 1)
        paid = by_month.get(day, ZERO)
        running += paid
        rate = rules.execution_rate(running, totals.budget) or ZERO
        months.append((day, paid, rate))
    return Dashboard(year=year, totals=totals, agencies=agencies, kinds=kinds, months=months, chart=_chart(months, kinds))


def _chart(months: list[tuple[dt.date, Decimal, Decimal]], kinds: list[GroupRow]) -> dict[str, Any]:
    wan = Decimal(10000)
    this_month = timezone.localdate().replace(day=1)
    return {
        "monthly": {
            "animation": False,
            "tooltip": {"trigger": "axis"},
            "legend": {"data": ["当月支付（万元）", "累计预算执行率（%）"], "top": 0},
            "grid": {"left": 60, "right": 60, "top": 30, "bottom": 30},
            "xAxis": {"type": "category", "data": [f"{m.month}月" for m, _, _ in months]},
            "yAxis": [{"type": "value", "name": "万元"}, {"type": "value", "name": "%", "max": 100}],
            "series": [
                {
                    "name": "当月支付（万元）",
                    "type": "bar",
                    "data": [float((p / wan).quantize(Decimal("0.01"))) for _, p, _ in months],
                    "barMaxWidth": 28,
                },
                {
                    "name": "累计预算执行率（%）",
                    "type": "line",
                    "yAxisIndex": 1,
                    "showSymbol": False,
                    "data": [float((r * 100).quantize(Decimal("0.01"))) if m <= this_month else None for m, _, r in months],
                },
            ],
        },
        "kinds": {
            "animation": False,
            "tooltip": {"trigger": "axis"},
            "legend": {"data": ["预算", "到位", "已支付"], "top": 0},
            "grid": {"left": 60, "right": 20, "top": 30, "bottom": 30},
            "xAxis": {"type": "category", "data": [k.label for k in kinds]},
            "yAxis": {"type": "value", "name": "万元"},
            "series": [
                {
                    "name": name,
                    "type": "bar",
                    "data": [float((getattr(k.totals, attr) / wan).quantize(Decimal("0.01"))) for k in kinds],
                }
                for name, attr in (("预算", "budget"), ("到位", "received"), ("已支付", "paid"))
            ],
        },
    }


class ProjectFundRows:
    """Per project for ``Paginator``: the count, then one page of grouped sources plus its receipts."""

    def __init__(self, qs: QuerySet[FundingSource]) -> None:
        self.grouped = (
            qs.values("project_id", "project__code", "project__name", "project__agency__short_name")
            .annotate(**SUMS)
            .order_by("project__code")
        )
        self.qs = qs

    def count(self) -> int:
        return self.qs.values("project_id").distinct().count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, k: slice) -> list[GroupRow]:
        rows = list(self.grouped[k])
        ids = [r["project_id"] for r in rows]
        received = {
            r["source__project_id"]: Decimal(r["s"] or 0)
            for r in FundReceipt.objects.filter(source__in=self.qs.filter(project_id__in=ids).values("pk"))
            .values("source__project_id")
            .annotate(s=Sum("amount"))
        }
        return [
            GroupRow(
                r["project_id"],
                f"{r['project__code']} {r['project__name']}",
                r["project__agency__short_name"] or "",
                cast(Any, r)["n"],
                _totals(r, received.get(r["project_id"], ZERO)),
            )
            for r in rows
        ]


def source_rows(qs: QuerySet[FundingSource]) -> list[tuple[FundingSource, Decimal]]:
    """The sources of one project with what was received on each (two queries)."""
    sources = list(qs.select_related("project").order_by("id"))
    received = {
        r["source_id"]: Decimal(r["s"] or 0)
        for r in FundReceipt.objects.filter(source__in=[s.pk for s in sources]).values("source_id").annotate(s=Sum("amount"))
    }
    return [(s, received.get(s.pk, ZERO)) for s in sources]


def paid_requests(
    *, user: Any, year: int, agency: int | None = None, project: int | None = None, source: int | None = None
) -> QuerySet[PaymentRequest]:
    """Drill-down: the paid requests of the scope in the budget year (paged by the caller). The sources are
    read first (a short list), so the payments are found by the (project, status, paid_on) index."""
    source_ids = list(scoped_sources(user=user, year=year, agency=agency, project=project).values_list("pk", flat=True))
    if source:
        source_ids = [s for s in source_ids if s == source]
    qs = PaymentRequest.objects.filter(status=PaymentRequest.Status.PAID)
    if (
        project
        and not source
        and set(source_ids) == set(FundingSource.objects.filter(project_id=project).values_list("pk", flat=True))
    ):
        qs = qs.filter(project_id=project)  # every source of the project is in scope: the index alone answers
    else:
        qs = qs.filter(source_id__in=source_ids)
        if project:
            qs = qs.filter(project_id=project)
    return qs.select_related("project", "contract", "contract__supplier", "source").order_by("-paid_on", "-id")
