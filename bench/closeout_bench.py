"""Benchmark of the close-out lists and the archive completeness at 50,000 projects (issue 13).

    python bench/closeout_bench.py [--projects 50000] [--repeat 30] [--reuse]

Builds a fresh database (SQLite under var/bench-closeout.sqlite3, or the PostgreSQL named by DATABASE_URL), loads
the demo data, bulk-inserts ``--projects`` projects over the demo agencies at every stage (``projects_bench``) and
then, straight into the tables (a benchmark fixture, not a business path), the close-out records a project at its
stage would hold: for every project from 竣工验收 on the acceptance (合格, 备案, the notice to the quality
supervision body); from 结算审计 on a signed construction contract and its settlement (approved once past the
stage); from 竣工决算 on the final accounts; in 档案移交 the archivist's verified items (some missing), after it
the transfer; from 资产移交 on the asset handover; from 绩效评价 on the evaluation. Times the close-out list pages
(竣工验收台账, 结算审计, 竣工财务决算, 工程档案 with completeness, 资产移交, 绩效评价) and one project's archive
completeness in-process with Django's test client, signed in as 李明 (市机关事务管理局), and reports p50/p95/max and
the number of SQL queries per page, as Markdown and JSON under bench/results/.
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.projects_bench import bulk_projects, measure, setup  # noqa: E402

AFTER = {
    "acceptance": 0,
    "settlement": 1,
    "final_accounts": 2,
    "archiving": 3,
    "asset_handover": 4,
    "evaluation": 5,
    "closed": 6,
}


def _insert(model: Any, rows: list[Any]) -> None:
    model.objects.bulk_create(rows, batch_size=5000)


def bulk_closeout(seed: int = 13) -> dict[str, int]:
    """Insert the close-out records of every project from 竣工验收 on; returns the counts."""
    from django.db import connection

    from govworks.closeout.models import (
        Acceptance,
        ArchiveCatalogueItem,
        ArchiveItem,
        ArchiveTransfer,
        AssetHandover,
        Evaluation,
        EvaluationTemplate,
        FinalAccounts,
        Settlement,
    )
    from govworks.org.models import Department, User
    from govworks.procurement.models import Contract, ProcurementLot, Supplier
    from govworks.projects.models import Project

    rng = random.Random(seed)
    today = dt.date.today()
    author = User.objects.get(username="liming")
    finance = User.objects.get(username="liujing")
    projects = list(
        Project.objects.filter(stage__in=AFTER, code__contains="-B").values_list("pk", "stage", "agency_id", "estimate_amount")
    )
    rank = {pk: AFTER[stage] for pk, stage, _a, _e in projects}
    _insert(
        Acceptance,
        [
            Acceptance(
                project_id=pk,
                round=1,
                status="passed",
                declared_by=author,
                declared_on=today - dt.timedelta(days=200),
                declaration_note="基准",
                organised_by=author,
                scheduled_on=today - dt.timedelta(days=180),
                location="现场",
                supervision_notified_on=today - dt.timedelta(days=195),
                supervision_body="质量监督站",
                concluded_on=today - dt.timedelta(days=180 - rng.randrange(60)),
                concluded_by=author,
                filing_due_on=today - dt.timedelta(days=150),
                filed_on=today - dt.timedelta(days=160),
                filing_number="基准备案",
                filing_authority="住建局",
                filed_by=author,
            )
            for pk, _s, _a, _e in projects
        ],
    )
    settling = [(pk, agency, estimate) for pk, _s, agency, estimate in projects if rank[pk] >= 1]
    supplier = Supplier.objects.order_by("id").first()
    assert supplier is not None
    lots = ProcurementLot.objects.bulk_create(
        [
            ProcurementLot(project_id=pk, seq=91, name="施工（基准）", category="works", estimated_amount=e, method="open_tender")
            for pk, _a, e in settling
        ],
        batch_size=5000,
    )
    Contract.objects.bulk_create(
        [
            Contract(
                project_id=lot.project_id,
                lot=lot,
                supplier=supplier,
                number=f"HT-C-{i:06d}",
                title="基准施工合同",
                is_main_construction=True,
                amount=Decimal(lot.estimated_amount),
                pricing_type="unit_price",
                starts_on=today - dt.timedelta(days=500),
                ends_on=today - dt.timedelta(days=200),
                award_notice_on=today - dt.timedelta(days=520),
                signed_on=today - dt.timedelta(days=510),
                advance_ratio=Decimal("0.10"),
                progress_ratio=Decimal("0.80"),
                quality_deposit_ratio=Decimal("0.03"),
                defect_period_months=24,
                status="signed",
                created_by=author,
            )
            for i, lot in enumerate(lots)
        ],
        batch_size=5000,
    )
    contract_of = dict(Contract.objects.filter(number__startswith="HT-C-").values_list("project_id", "pk"))
    _insert(
        Settlement,
        [
            Settlement(
                project_id=pk,
                contract_id=contract_of[pk],
                number=f"JS-B-{pk}",
                submitted_amount=Decimal(e),
                submitted_on=today - dt.timedelta(days=120),
                due_on=today - dt.timedelta(days=90),
                review_days=30,
                submitted_by=author,
                status="approved" if rank[pk] >= 2 else rng.choice(["submitted", "review"]),
                approved_amount=(Decimal(e) * Decimal("0.94")).quantize(Decimal("0.01")) if rank[pk] >= 2 else None,
            )
            for pk, _a, e in settling
        ],
    )
    _insert(FinalAccounts, [FinalAccounts(project_id=pk, drafted_by=finance) for pk, _a, _e in settling if rank[pk] >= 2])
    fa_of = dict(FinalAccounts.objects.values_list("project_id", "pk"))
    codes = list(ArchiveCatalogueItem.objects.filter(agency__isnull=True, required=True).values_list("code", flat=True))
    archiving = [pk for pk, _a, _e in settling if rank[pk] == 3]
    _insert(
        ArchiveItem,
        [
            ArchiveItem(project_id=pk, code=code, pages=3, verified=True, verified_by=author, uploaded_by=author)
            for pk in archiving
            for code in codes[: len(codes) - rng.randrange(4)]
        ],
    )
    _insert(
        ArchiveTransfer,
        [
            ArchiveTransfer(
                project_id=pk,
                receiver="城建档案馆",
                transferred_on=today - dt.timedelta(days=60),
                receipt_number=f"HZ-{pk}",
                receipt_file="bench/receipt.pdf",
                items_count=len(codes),
                pages_total=3 * len(codes),
                deadline=today - dt.timedelta(days=30),
                recorded_by=author,
            )
            for pk, _a, _e in settling
            if rank[pk] >= 4
        ],
    )
    department = {d.agency_id: d.pk for d in Department.objects.order_by("-id")}
    _insert(
        AssetHandover,
        [
            AssetHandover(
                project_id=pk,
                final_accounts_id=fa_of[pk],
                using_department_id=department[agency],
                status="confirmed" if rank[pk] >= 5 else "submitted",
                drafted_by=finance,
            )
            for pk, agency, _e in settling
            if rank[pk] >= 4
        ],
    )
    template = EvaluationTemplate.objects.filter(agency__isnull=True).order_by("id").first()
    assert template is not None
    _insert(
        Evaluation,
        [
            Evaluation(
                project_id=pk,
                agency_id=agency,
                template=template,
                status="approved" if rank[pk] == 6 else "submitted",
                score=Decimal("86.50") if rank[pk] == 6 else None,
                grade="good" if rank[pk] == 6 else "",
                approved_on=today - dt.timedelta(days=10) if rank[pk] == 6 else None,
                created_by=author,
            )
            for pk, agency, _e in settling
            if rank[pk] >= 5
        ],
    )
    from govworks.closeout.services.archive_register import register_backfill

    register_backfill()  # the bulk inserts above bypass the services that keep the archive register
    with connection.cursor() as cursor:  # fresh planner statistics after the bulk load (autovacuum would, later)
        cursor.execute("ANALYZE")
    return {
        "projects": Project.objects.count(),
        "closeout_projects": len(projects),
        "acceptances": Acceptance.objects.count(),
        "settlements": Settlement.objects.count(),
        "final_accounts": FinalAccounts.objects.count(),
        "archive_items": ArchiveItem.objects.count(),
        "archive_transfers": ArchiveTransfer.objects.count(),
        "asset_handovers": AssetHandover.objects.count(),
        "evaluations": Evaluation.objects.count(),
    }


def _clear_closeout() -> None:
    """Remove what ``bulk_closeout`` inserted (to rebuild it over the same projects)."""
    from govworks.closeout.models import (
        Acceptance,
        ArchiveItem,
        ArchiveTransfer,
        AssetHandover,
        Evaluation,
        FinalAccounts,
        Settlement,
    )
    from govworks.procurement.models import Contract, ProcurementLot

    bench = {"project__code__contains": "-B"}
    for model in (Evaluation, AssetHandover, ArchiveTransfer, ArchiveItem, FinalAccounts, Settlement, Acceptance):
        model.objects.filter(**bench).delete()
    Contract.objects.filter(number__startswith="HT-C-").delete()
    ProcurementLot.objects.filter(seq=91, **bench).delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="measure the database built by an earlier run again")
    parser.add_argument("--closeout-only", action="store_true", help="keep the projects, rebuild only the close-out records")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.reuse or args.closeout_only:
        import os

        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
        os.environ["DEBUG"] = "false"
        os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
        if "DATABASE_URL" not in os.environ:
            os.environ["SQLITE_PATH"] = str(ROOT / "var" / "bench-closeout.sqlite3")
        django.setup()
        counts: dict[str, int] = {}
        if args.closeout_only:
            _clear_closeout()
            counts = bulk_closeout()
    else:
        setup(ROOT / "var" / "bench-closeout.sqlite3")
        bulk_projects(args.projects)
        counts = bulk_closeout()
    build_s = time.perf_counter() - started

    from django.db import connection
    from django.test import Client

    from govworks.org.models import User
    from govworks.projects.models import Project

    User.objects.update(must_change_password=False)
    client = Client()
    client.force_login(User.objects.get(username="liming"))
    archiving = Project.objects.filter(stage="archiving", code__contains="-B", agency__code="LJJG").order_by("pk").first()
    pages = [
        "/closeout/acceptances/",
        "/closeout/acceptances/?page=100",
        "/closeout/acceptances/?q=外墙修缮",
        "/closeout/settlements/",
        "/closeout/settlements/?page=100",
        "/closeout/final-accounts/",
        "/closeout/final-accounts/?page=100",
        "/closeout/archives/",
        "/closeout/archives/?page=50",
        "/closeout/assets/",
        "/closeout/evaluations/",
        "/closeout/evaluations/?page=20",
    ]
    if archiving is not None:
        pages.append(f"/closeout/archives/{archiving.pk}/")
    rows = [measure(p, args.repeat, client) for p in pages]
    vendor = connection.vendor
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = {
        "benchmark": "closeout",
        "database": vendor,
        "counts": counts,
        "repeat": args.repeat,
        "build_seconds": round(build_s, 1),
        "rows": rows,
    }
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / f"closeout-{vendor}-{stamp}.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))
    described = ", ".join(f"{k} {v:,}" for k, v in counts.items())
    lines = [
        f"### Close-out benchmark — {vendor}, {described or 'reused database'}; {args.repeat} requests per page "
        "(in-process, Django test client, signed in as 李明)",
        "",
        "| page | status | queries | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| `{r['page']}` | {r['status']} | {r['queries']} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} |" for r in rows]
    md = "\n".join(lines) + "\n"
    (results / f"closeout-{vendor}-latest.md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
