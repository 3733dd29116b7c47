"""Benchmark of the fund dashboard (资金数据中心), the cost centre and the payment register at 200,000
payments (issue 6).

    python bench/finance_bench.py [--payments 200000] [--repeat 30]

Builds a fresh database (SQLite under var/bench-finance.sqlite3, or the PostgreSQL named by DATABASE_URL),
loads the demo data, then bulk-inserts (a benchmark fixture, no service calls) one signed contract, a cost
item and two funding sources for every demo project without them, and ``--payments`` paid payment
requests spread over the year and over those contracts — a tenth of them on the demo contract's project,
so its cost centre aggregates 20,000 payments — with the monthly projection (``SourceMonth``) the
treasury confirmation keeps. Times the pages in-process with Django's test client and reports
p50/p95/max and the number of SQL queries per page, as Markdown and JSON under bench/results/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.projects_bench import measure, setup  # noqa: E402

DEMO_PROJECT = "档案库房消防系统改造"


def bulk_finance(n: int, seed: int = 17) -> int:
    """Insert the fixture; returns the demo project's id."""
    from govworks.finance.models import ContractAllocation, CostItem, FundingSource, PaymentRequest, SourceMonth
    from govworks.org.models import User
    from govworks.procurement.models import Contract, PaymentMilestone, ProcurementLot, Supplier, SupplierBankAccount
    from govworks.projects.models import Project

    rng = random.Random(seed)
    author = User.objects.get(username="liujing")
    year = dt.date.today().year
    today = dt.date.today()
    supplier = Supplier.objects.filter(bank_accounts__isnull=False).order_by("id").first()
    assert supplier is not None
    account = SupplierBankAccount.objects.filter(supplier=supplier).first()
    projects = list(Project.objects.all())
    demo = next(p for p in projects if p.name == DEMO_PROJECT)
    have_contract = set(Contract.objects.filter(status="signed").values_list("project_id", flat=True))
    lots = ProcurementLot.objects.bulk_create(
        [
            ProcurementLot(
                project=p,
                seq=90,
                name=f"{p.name}（基准）",
                category="works",
                estimated_amount=p.estimate_amount,
                method="open_tender",
            )
            for p in projects
            if p.pk not in have_contract
        ]
    )
    Contract.objects.bulk_create(
        [
            Contract(
                project_id=lot.project_id,
                lot=lot,
                supplier=supplier,
                payee_account=account,
                number=f"HT-F-{i:05d}",
                title="基准施工合同",
                is_main_construction=True,
                amount=Decimal(50_000_000),
                pricing_type="unit_price",
                starts_on=dt.date(year, 1, 1),
                ends_on=dt.date(year + 1, 12, 31),
                award_notice_on=dt.date(year, 1, 1),
                signed_on=dt.date(year, 1, 5),
                advance_ratio=Decimal("0.10"),
                progress_ratio=Decimal("0.80"),
                quality_deposit_ratio=Decimal("0.03"),
                defect_period_months=24,
                status="signed",
                created_by=author,
            )
            for i, lot in enumerate(lots)
        ]
    )
    contracts = list(Contract.objects.filter(status="signed").order_by("id"))
    PaymentMilestone.objects.bulk_create(
        [PaymentMilestone(contract=c, seq=90, kind="progress", ratio=Decimal("0.80"), condition="基准") for c in contracts]
    )
    milestone = {m.contract_id: m.pk for m in PaymentMilestone.objects.filter(seq=90)}
    have_items = set(CostItem.objects.values_list("project_id", flat=True))
    CostItem.objects.bulk_create(
        [
            CostItem(project=p, code="B1", name="建筑安装工程费（基准）", estimate_amount=p.estimate_amount, created_by=author)
            for p in projects
            if p.pk not in have_items
        ]
    )
    item = {c.project_id: c.pk for c in CostItem.objects.order_by("code")}
    allocated = set(ContractAllocation.objects.values_list("contract_id", flat=True))
    ContractAllocation.objects.bulk_create(
        [ContractAllocation(contract=c, cost_item_id=item[c.project_id]) for c in contracts if c.pk not in allocated]
    )
    FundingSource.objects.bulk_create(
        [
            FundingSource(
                project=p,
                kind=kind,
                name=f"{name}（基准）",
                budget_year=year,
                indicator_number=f"基准-{p.pk}-{kind}",
                functional_class="2010350",
                economic_class="31001",
                amount=Decimal(2_000_000_000),
                created_by=author,
            )
            for p in projects
            for kind, name in (("fiscal", "财政拨款"), ("special", "专项资金"))
        ]
    )
    sources: dict[int, list[int]] = defaultdict(list)
    for s in FundingSource.objects.filter(indicator_number__startswith="基准-"):
        sources[s.project_id].append(s.pk)
    by_project: dict[int, list[Contract]] = defaultdict(list)
    for c in contracts:
        by_project[c.project_id].append(c)
    others = [c for c in contracts if c.project_id != demo.pk]
    demo_contracts = by_project[demo.pk]
    paid: dict[int, Decimal] = defaultdict(Decimal)
    months: dict[tuple[int, dt.date], Decimal] = defaultdict(Decimal)
    days = (today - dt.date(year, 1, 1)).days or 1
    batch: list[PaymentRequest] = []
    for i in range(n):
        c = demo_contracts[i % len(demo_contracts)] if i % 10 == 0 else others[i % len(others)]
        source = sources[c.project_id][i % 2]
        amount = Decimal(rng.randrange(1_000, 50_000))
        day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(days))
        paid[source] += amount
        months[(source, day.replace(day=1))] += amount
        batch.append(
            PaymentRequest(
                project_id=c.project_id,
                contract_id=c.pk,
                milestone_id=milestone.get(c.pk) or c.milestones.filter(kind="progress").values_list("pk", flat=True).first(),
                source_id=source,
                number=f"FK-B-{i:06d}",
                kind="progress",
                gross_amount=amount,
                advance_offset=0,
                amount=amount,
                payee_account_id=c.payee_account_id or account.pk,  # type: ignore[union-attr]
                purpose="基准进度款",
                status="paid",
                created_by=author,
                paid_on=day,
            )
        )
        if len(batch) == 5000:
            PaymentRequest.objects.bulk_create(batch)
            batch = []
    PaymentRequest.objects.bulk_create(batch)
    for pk, value in paid.items():
        FundingSource.objects.filter(pk=pk).update(paid=value)
    SourceMonth.objects.bulk_create([SourceMonth(source_id=s, month=m, paid=v) for (s, m), v in months.items()])
    from django.db import connection

    with connection.cursor() as cursor:  # fresh planner statistics after the bulk load (autovacuum would, later)
        cursor.execute("ANALYZE")
    return demo.pk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--payments", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="measure the database built by an earlier run again")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.reuse:
        import os

        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
        os.environ["DEBUG"] = "false"
        os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
        if "DATABASE_URL" not in os.environ:
            os.environ["SQLITE_PATH"] = str(ROOT / "var" / "bench-finance.sqlite3")
        django.setup()
        from govworks.projects.models import Project

        demo = Project.objects.get(name=DEMO_PROJECT).pk
    else:
        setup(ROOT / "var" / "bench-finance.sqlite3")
        demo = bulk_finance(args.payments)
    build_s = time.perf_counter() - started

    from django.db import connection
    from django.test import Client

    from govworks.finance.models import PaymentRequest
    from govworks.org.models import User

    User.objects.update(must_change_password=False)
    client = Client()
    client.force_login(User.objects.get(username="liujing"))
    total = PaymentRequest.objects.count()
    demo_payments = PaymentRequest.objects.filter(project_id=demo).count()
    pages = [
        "/finance/",
        f"/finance/?project={demo}",
        f"/finance/projects/{demo}/costs/",
        f"/finance/projects/{demo}/",
        "/finance/requests/",
        "/finance/requests/?status=paid&page=100",
    ]
    rows = [measure(p, args.repeat, client) for p in pages]
    vendor = connection.vendor
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = {
        "benchmark": "finance",
        "database": vendor,
        "payments": total,
        "demo_project_payments": demo_payments,
        "repeat": args.repeat,
        "build_seconds": round(build_s, 1),
        "rows": rows,
    }
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / f"finance-{vendor}-{stamp}.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))
    lines = [
        f"### Finance benchmark — {vendor}, {total:,} payments ({demo_payments:,} on the demo project), "
        f"{args.repeat} requests per page (in-process, Django test client)",
        "",
        "| page | status | queries | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| `{r['page']}` | {r['status']} | {r['queries']} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} |" for r in rows]
    md = "\n".join(lines) + "\n"
    (results / f"finance-{vendor}-latest.md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
