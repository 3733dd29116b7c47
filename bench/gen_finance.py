"""The finance step of ``bench/generate.py``: for every generated project two funding sources (财政拨款,
专项资金) and a cost item from its estimate, every contract allocated to it, and ``w.scale.payments``
paid payment requests over the signed contracts within the last year, with the monthly totals per
source (``SourceMonth``) and the sources' paid totals the treasury confirmation keeps. Straight into the
tables (a benchmark fixture, not a business path)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any


def gen_finance(w: Any) -> None:
    from bench.generate import Progress, insert
    from govworks.finance.models import ContractAllocation, CostItem, FundingSource, PaymentRequest, SourceMonth
    from govworks.procurement.models import Contract, PaymentMilestone
    from govworks.projects.models import Project

    if not w.projects:
        return
    year = w.today.year
    ids = [p for p, _a, _m in w.projects]
    estimate = dict(Project.objects.filter(pk__in=ids).values_list("pk", "estimate_amount"))
    author = {p: m for p, _a, m in w.projects}
    insert(
        FundingSource,
        (
            FundingSource(
                project_id=p,
                kind=kind,
                name=name,
                budget_year=year,
                indicator_number=f"{w.tag}{kind[:2].upper()}-{year}-{p}",
                functional_class="2010350",
                economic_class="31001",
                amount=Decimal(estimate[p]) * 2 + 10_000_000,
                created_by_id=author[p],
            )
            for p in ids
            for kind, name in (("fiscal", "财政拨款"), ("special", "专项资金"))
        ),
        len(ids) * 2,
        "资金来源",
    )
    sources: dict[int, list[int]] = defaultdict(list)
    for pk, project in FundingSource.objects.filter(project_id__in=ids).order_by("id").values_list("pk", "project_id"):
        sources[project].append(pk)
    insert(
        CostItem,
        (
            CostItem(project_id=p, code=f"{w.tag}1", name="建筑安装工程费", estimate_amount=estimate[p], created_by_id=author[p])
            for p in ids
        ),
        len(ids),
        "成本科目",
    )
    item = dict(CostItem.objects.filter(project_id__in=ids, code=f"{w.tag}1").values_list("project_id", "pk"))
    contract_ids = [c for c, _p, _a in w.contracts]
    insert(
        ContractAllocation,
        (ContractAllocation(contract_id=c, cost_item_id=item[p]) for c, p, _a in w.contracts),
        len(w.contracts),
        "合同归集",
    )
    signed = list(
        Contract.objects.filter(pk__in=contract_ids, status="signed")
        .order_by("id")
        .values_list("pk", "project_id", "payee_account_id")
    )
    progress = dict(
        PaymentMilestone.objects.filter(contract_id__in=contract_ids, kind="progress").values_list("contract_id", "pk")
    )
    if not signed:
        return
    n = w.scale.payments
    paid: dict[int, Decimal] = defaultdict(Decimal)
    months: dict[tuple[int, dt.date], Decimal] = defaultdict(Decimal)

    def rows() -> Any:
        for i in range(n):
            contract, project, payee = signed[i % len(signed)]
            source = sources[project][i % 2]
            amount = Decimal(w.rng.randrange(1_000, 200_000))
            day = w.today - dt.timedelta(days=w.rng.randrange(365))
            paid[source] += amount
            months[(source, day.replace(day=1))] += amount
            yield PaymentRequest(
                project_id=project,
                contract_id=contract,
                milestone_id=progress.get(contract),
                source_id=source,
                number=f"FK-{w.tag}{i:07d}",
                kind="progress",
                gross_amount=amount,
                advance_offset=0,
                amount=amount,
                payee_account_id=payee,
                purpose="进度款",
                status="paid",
                created_by_id=author[project],
                paid_on=day,
            )

    insert(PaymentRequest, rows(), n, "付款")
    bar = Progress("资金汇总", len(paid))
    for pk, value in paid.items():
        FundingSource.objects.filter(pk=pk).update(paid=value)
        bar.advance()
    bar.close()
    SourceMonth.objects.bulk_create([SourceMonth(source_id=s, month=m, paid=v) for (s, m), v in months.items()], batch_size=5000)
    w.extra_counts = {**getattr(w, "extra_counts", {}), "payments": PaymentRequest.objects.count()}
