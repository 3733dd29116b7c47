"""Benchmark of the project register and workspace at 10,000 projects (issue 3).

    python bench/projects_bench.py [--projects 10000] [--repeat 30]

Builds a fresh database (SQLite under var/bench-projects.sqlite3, or the PostgreSQL named by
DATABASE_URL), loads the demo organisation, bulk-inserts the projects with their responsibilities and
stage history, then times the pages in-process with Django's test client (the whole middleware stack,
no network) and reports p50/p95/max and the number of SQL queries per page, as Markdown and JSON
under bench/results/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(db_path: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    if "DATABASE_URL" not in os.environ:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        os.environ["SQLITE_PATH"] = str(db_path)
    import django

    django.setup()
    from django.core.management import call_command

    if "DATABASE_URL" in os.environ:
        call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def bulk_projects(n: int, seed: int = 7) -> None:
    """Insert ``n`` projects straight into the tables (a benchmark fixture, not a business path)."""
    from govworks.org.models import Agency, Department, User
    from govworks.projects.models import Project, ProjectResponsibility, ProjectType, Stage, StageTransition
    from govworks.projects.models.projects import FundingSource

    rng = random.Random(seed)
    agencies = list(Agency.objects.all())
    managers = {a.pk: list(User.objects.filter(agency=a, grants__role="project_manager")) for a in agencies}
    departments = {a.pk: list(Department.objects.filter(agency=a)) for a in agencies}
    stages = list(Stage.values)
    words = [
        "空调节能改造",
        "屋面防水修缮",
        "综合布线升级",
        "消防系统改造",
        "电梯更新",
        "外墙修缮",
        "配电增容",
        "雨污分流",
        "食堂改造",
        "充电桩建设",
    ]
    year = dt.date.today().year
    projects = []
    for i in range(n):
        agency = agencies[i % len(agencies)]
        start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 330))
        projects.append(
            Project(
                agency=agency,
                code=f"GW-{year}-B{i:05d}",
                name=f"{agency.short_name}{rng.choice(words)}{i}",
                project_type=rng.choice(ProjectType.values),
                location="临江市",
                estimate_amount=Decimal(rng.randrange(50_000, 20_000_000)),
                funding_source=rng.choice(FundingSource.values),
                planned_start=start,
                planned_end=start + dt.timedelta(days=rng.randrange(30, 400)),
                department=rng.choice(departments[agency.pk]),
                manager=rng.choice(managers[agency.pk] or [User.objects.filter(agency=agency).first()]),
                stage=rng.choice(stages),
                stage_entered_on=start,
                created_by=User.objects.get(username="liming"),
            )
        )
    Project.objects.bulk_create(projects, batch_size=2000)
    created = list(Project.objects.filter(code__contains="-B").only("id", "manager_id", "stage", "created_by_id"))
    ProjectResponsibility.objects.bulk_create(
        [
            ProjectResponsibility(project_id=p.pk, stage=s, responsible_id=p.manager_id, due_days=30)
            for p in created
            for s in (Stage.INITIATION, p.stage)
            if s != Stage.INITIATION or p.stage != Stage.INITIATION
        ],
        batch_size=5000,
    )
    StageTransition.objects.bulk_create(
        [
            StageTransition(project_id=p.pk, from_stage=Stage.PLANNED, to_stage=p.stage, actor_id=p.created_by_id, note="bench")
            for p in created
        ],
        batch_size=5000,
    )


def measure(path: str, repeat: int, client: object) -> dict[str, float | int | str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    queries = 0
    status = 0
    for i in range(repeat + 3):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(path)  # type: ignore[attr-defined]
            elapsed = (time.perf_counter() - start) * 1000
        status = response.status_code
        if i >= 3:  # warm-up
            timings.append(elapsed)
            queries = len(ctx.captured_queries)
    timings.sort()
    return {
        "page": path,
        "status": status,
        "queries": queries,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
        "max_ms": round(timings[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    started = time.perf_counter()
    setup(ROOT / "var" / "bench-projects.sqlite3")
    bulk_projects(args.projects)
    build_s = time.perf_counter() - started

    from django.db import connection
    from django.test import Client

    from govworks.org.models import User
    from govworks.projects.models import Project

    User.objects.update(must_change_password=False)
    client = Client()
    client.force_login(User.objects.get(username="liming"))
    total = Project.objects.count()
    sample = list(Project.objects.filter(code__contains="-B").order_by("?").values_list("pk", flat=True)[:5])
    demo = Project.objects.filter(name="市民中心C座空调系统节能改造").values_list("pk", flat=True).first()
    pages = [
        "/projects/",
        "/projects/?stage=construction",
        "/projects/?q=节能",
        "/projects/?project_type=repair&outside_plan=on",
        "/projects/?page=50",
        *(f"/projects/{pk}/" for pk in [demo, *sample] if pk),
    ]
    rows = [measure(p, args.repeat, client) for p in pages]
    vendor = connection.vendor
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = {
        "benchmark": "projects",
        "database": vendor,
        "projects": total,
        "repeat": args.repeat,
        "build_seconds": round(build_s, 1),
        "rows": rows,
    }
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / f"projects-{vendor}-{stamp}.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))
    lines = [
        f"# Projects benchmark — {vendor}, {total:,} projects, {args.repeat} requests per page (in-process, Django test client)",
        "",
        "| page | status | queries | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| `{r['page']}` | {r['status']} | {r['queries']} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} |" for r in rows]
    md = "\n".join(lines) + "\n"
    (results / f"projects-{vendor}-latest.md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
