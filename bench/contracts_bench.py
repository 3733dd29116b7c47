"""Benchmark of the contract register and a contract page at 50,000 contracts (issue 4).

    python bench/contracts_bench.py [--contracts 50000] [--repeat 30]

Builds a fresh database (SQLite under var/bench-contracts.sqlite3, or the PostgreSQL named by
DATABASE_URL), loads the demo data, bulk-inserts the contracts (spread over the demo agencies'
projects, their lots and the supplier register; a benchmark fixture, no service calls) with their
payment milestones and a change order for every fifth contract, then times the pages in-process with
Django's test client and reports p50/p95/max and the number of SQL queries per page, as Markdown and
JSON under bench/results/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.projects_bench import measure, setup  # noqa: E402


def bulk_contracts(n: int, seed: int = 11) -> None:
    """Insert ``n`` signed or draft contracts straight into the tables, with four milestones each and a
    change order on every fifth one."""
    from govworks.org.models import User
    from govworks.procurement.models import ChangeOrder, Contract, PaymentMilestone, ProcurementLot, Supplier
    from govworks.projects.models import Project

    rng = random.Random(seed)
    # the demo has lots in one agency only: give every other demo project one lot so the contracts spread
    # over all agencies (what their users see differs)
    with_lots = set(ProcurementLot.objects.values_list("project_id", flat=True))
    ProcurementLot.objects.bulk_create(
        [
            ProcurementLot(
                project=p, seq=1, name=f"{p.name}施工", category="works", estimated_amount=p.estimate_amount, method="open_tender"
            )
            for p in Project.objects.exclude(pk__in=with_lots)
        ]
    )
    lots = list(ProcurementLot.objects.select_related("project"))
    suppliers = list(Supplier.objects.values_list("pk", flat=True))
    author = User.objects.get(username="liming")
    words = ["施工合同", "监理合同", "设备采购合同", "设计合同", "造价咨询合同", "维保服务合同", "改造工程合同"]
    year = dt.date.today().year
    contracts = []
    for i in range(n):
        lot = lots[i % len(lots)]
        start = dt.date(year - 1, 1, 1) + dt.timedelta(days=rng.randrange(0, 600))
        signed = rng.random() < 0.7
        contracts.append(
            Contract(
                project_id=lot.project_id,
                lot=lot,
                supplier_id=rng.choice(suppliers),
                number=f"HT-B{i:06d}",
                title=f"{lot.project.name}{rng.choice(words)}{i}",
                is_main_construction=rng.random() < 0.3,
                amount=Decimal(rng.randrange(20_000, 30_000_000)),
                pricing_type=rng.choice(["lump_sum", "unit_price"]),
                starts_on=start,
                ends_on=start + dt.timedelta(days=rng.randrange(60, 720)),
                award_notice_on=start - dt.timedelta(days=20),
                signed_on=start - dt.timedelta(days=5) if signed else None,
                advance_ratio=Decimal("0.2000"),
                progress_ratio=Decimal("0.8000"),
                quality_deposit_ratio=Decimal("0.0300"),
                defect_period_months=24,
                status="signed" if signed else "draft",
                created_by=author,
            )
        )
    Contract.objects.bulk_create(contracts, batch_size=2000)
    created = list(Contract.objects.filter(number__startswith="HT-B").values_list("pk", "amount"))
    kinds = [
        ("advance", Decimal("0.2")),
        ("progress", Decimal("0.8")),
        ("settlement", None),
        ("retention_return", Decimal("0.03")),
    ]
    PaymentMilestone.objects.bulk_create(
        [
            PaymentMilestone(contract_id=pk, seq=seq, kind=kind, ratio=ratio, condition="按合同约定")
            for pk, _ in created
            for seq, (kind, ratio) in enumerate(kinds, start=1)
        ],
        batch_size=5000,
    )
    ChangeOrder.objects.bulk_create(
        [
            ChangeOrder(
                contract_id=pk,
                seq=1,
                category="design",
                reason="现场条件变化",
                responsibility="owner",
                amount=(amount * Decimal("0.05")).quantize(Decimal("0.01")),
                status="approved",
                cumulative_ratio_after=Decimal("0.05"),
                created_by=author,
            )
            for pk, amount in created[::5]
        ],
        batch_size=5000,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contracts", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    started = time.perf_counter()
    setup(ROOT / "var" / "bench-contracts.sqlite3")
    bulk_contracts(args.contracts)
    build_s = time.perf_counter() - started

    from django.db import connection
    from django.test import Client

    from govworks.org.models import User
    from govworks.procurement.models import Contract

    User.objects.update(must_change_password=False)
    client = Client()
    client.force_login(User.objects.get(username="liming"))
    total = Contract.objects.count()
    sample = list(Contract.objects.filter(number__startswith="HT-B").order_by("?").values_list("pk", flat=True)[:3])
    demo = Contract.objects.exclude(number__startswith="HT-B").order_by("id").values_list("pk", flat=True).first()
    pages = [
        "/procurement/contracts/",
        "/procurement/contracts/?status=signed",
        "/procurement/contracts/?q=监理",
        "/procurement/contracts/?page=200",
        *(f"/procurement/contracts/{pk}/" for pk in [demo, *sample] if pk),
    ]
    rows = [measure(p, args.repeat, client) for p in pages]
    vendor = connection.vendor
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = {
        "benchmark": "contracts",
        "database": vendor,
        "contracts": total,
        "repeat": args.repeat,
        "build_seconds": round(build_s, 1),
        "rows": rows,
    }
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / f"contracts-{vendor}-{stamp}.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))
    lines = [
        f"### Contracts benchmark — {vendor}, {total:,} contracts, {args.repeat} requests per page (in-process, Django test client)",
        "",
        "| page | status | queries | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| `{r['page']}` | {r['status']} | {r['queries']} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} |" for r in rows]
    md = "\n".join(lines) + "\n"
    (results / f"contracts-{vendor}-latest.md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
