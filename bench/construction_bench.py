"""Benchmark of the daily traffic-light evaluation at 50,000 projects under construction (issue 5).

    python bench/construction_bench.py [--projects 50000] [--tasks 5]

Builds a fresh database (SQLite under var/bench-construction.sqlite3, or the PostgreSQL named by
DATABASE_URL), loads the demo organisation, then bulk-inserts the projects in 施工 with their sites,
schedules (``--tasks`` tasks each, weighted, confirmed progress spread so that about a fifth are behind),
the freezes of those that were red yesterday and some incidents — the state after yesterday's run. It
then times ``manage.py run_periodic``'s job ``construction.lights_daily`` for today (every project
re-evaluated: numbers refreshed in bulk, changes written to the history and the timeline, new reds
frozen with an interview) and the portfolio page, and writes Markdown and JSON under bench/results/.
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

from bench.projects_bench import measure, setup  # noqa: E402


def bulk_construction(n: int, tasks_per_project: int, seed: int = 11, cold: bool = False) -> dict[str, int]:
    """Insert ``n`` projects in 施工 with sites, tasks, yesterday's lights and freezes (a benchmark
    fixture straight into the tables, not a business path)."""
    from django.utils import timezone

    from govworks.construction import rules
    from govworks.construction.models import PaymentFreeze, ProjectSite, SafetyIncident, ScheduleTask
    from govworks.construction.services.lights import light_params
    from govworks.org.models import Agency, Department, User
    from govworks.projects.models import Project, ProjectType, Stage
    from govworks.projects.models.projects import FundingSource

    rng = random.Random(seed)
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    agencies = list(Agency.objects.all())
    managers = {
        a.pk: list(User.objects.filter(agency=a, grants__role="project_manager")) or list(User.objects.filter(agency=a)[:1])
        for a in agencies
    }
    departments = {a.pk: list(Department.objects.filter(agency=a)) for a in agencies}
    creator = User.objects.get(username="liming")
    params = {a.pk: light_params(a, yesterday) for a in agencies}
    made = 0
    chunk = 5000
    counts = {"green": 0, "yellow": 0, "red": 0, "tasks": 0}
    for base in range(0, n, chunk):
        size = min(chunk, n - base)
        projects = []
        for i in range(base, base + size):
            agency = agencies[i % len(agencies)]
            start = yesterday - dt.timedelta(days=rng.randrange(1, 150))
            projects.append(
                Project(
                    agency=agency,
                    code=f"GW-{today.year}-C{i:06d}",
                    name=f"{agency.short_name}在建工程{i}",
                    project_type=rng.choice(ProjectType.values),
                    location="临江市",
                    estimate_amount=Decimal(rng.randrange(100_000, 9_000_000)),
                    funding_source=rng.choice(FundingSource.values),
                    planned_start=start,
                    planned_end=start + dt.timedelta(days=200),
                    department=rng.choice(departments[agency.pk]),
                    manager=rng.choice(managers[agency.pk]),
                    stage=Stage.CONSTRUCTION,
                    stage_entered_on=start,
                    created_by=creator,
                )
            )
        created = Project.objects.bulk_create(projects, batch_size=2000)
        if created[0].pk is None:  # backends without RETURNING
            created = list(Project.objects.filter(code__in=[p.code for p in projects]).order_by("pk"))
        tasks, sites, freezes, incidents = [], [], [], []
        for p in created:
            facts = []
            begin = p.planned_start
            behind = rng.choice([1.0, 1.0, 1.0, 0.95, 0.9, 0.8, 0.75, 0.6, 1.05])
            for k in range(tasks_per_project):
                length = rng.randrange(10, 45)
                end = begin + dt.timedelta(days=length)
                weight = Decimal(rng.randrange(5, 40))
                plan = rules.task_planned_percent(rules.TaskFacts(begin, end, weight, Decimal(0)), yesterday)
                progress = min(Decimal(100), (plan * Decimal(str(behind))).quantize(Decimal("0.01")))
                milestone = k == tasks_per_project - 1
                facts.append(rules.TaskFacts(begin, end, weight, progress, milestone))
                tasks.append(
                    ScheduleTask(
                        project_id=p.pk,
                        code=f"T{k + 1}",
                        name=f"工作{k + 1}",
                        planned_start=begin,
                        planned_end=end,
                        baseline_start=begin,
                        baseline_end=end,
                        weight=weight,
                        progress=progress,
                        is_milestone=milestone,
                        sort_order=k + 1,
                    )
                )
                begin = end + dt.timedelta(days=1)
            major = rng.random() < 0.002
            planned, actual, _overdue, decision = rules.light_for_tasks(
                params[p.agency_id], facts, yesterday, major_incident=major
            )
            counts[decision.light] += 1
            sites.append(
                ProjectSite(
                    project_id=p.pk,
                    latitude=Decimal("30.25") + Decimal(rng.randrange(-500, 500)) / 10000,
                    longitude=Decimal("120.17") + Decimal(rng.randrange(-500, 500)) / 10000,
                    light=decision.light,
                    light_since=yesterday,
                    light_reason=decision.reason_text[:300],
                    planned_progress=planned,
                    actual_progress=actual,
                    evaluated_on=yesterday,
                )
            )
            if cold:  # never evaluated: the first run after go-live
                site = sites[-1]
                site.light, site.light_since, site.light_reason, site.evaluated_on = "green", None, "", None
                site.planned_progress = site.actual_progress = Decimal(0)
            elif decision.light == "red":
                freezes.append(
                    PaymentFreeze(
                        project_id=p.pk,
                        cause="major_incident" if major else "red_light",
                        reason=decision.reason_text,
                        frozen_at=timezone.now(),
                    )
                )
            if major:
                incidents.append(
                    SafetyIncident(
                        project_id=p.pk,
                        occurred_on=yesterday,
                        severity="larger",
                        injuries=3,
                        description="基准测试",
                        cause="基准测试",
                        measures="基准测试",
                        reported_by=creator,
                    )
                )
        ScheduleTask.objects.bulk_create(tasks, batch_size=5000)
        ProjectSite.objects.bulk_create(sites, batch_size=5000)
        PaymentFreeze.objects.bulk_create(freezes, batch_size=5000)
        SafetyIncident.objects.bulk_create(incidents, batch_size=5000)
        counts["tasks"] += len(tasks)
        made += size
        print(f"  {made:,} projects", file=sys.stderr)
    return counts


def gen_construction(w: Any) -> None:
    """The construction step of ``bench/generate.py`` (a World of projects): for every generated project in
    施工 — a site (its contractor and supervisor are the parties of the generated contracts), a five-task schedule with confirmed
    progress and a pending report, yesterday's light, daily reports (``w.scale.daily_reports`` in all, no
    photos), a rectification notice and a site meeting with an action item. Straight into the tables."""
    from govworks.construction import rules
    from govworks.construction.models import (
        ActionItem,
        DailyReport,
        DailyReportEntry,
        ProgressReport,
        ProjectSite,
        RectificationNotice,
        ScheduleTask,
        SiteMeeting,
    )
    from govworks.construction.services.lights import light_params
    from govworks.org.models import Agency
    from govworks.projects.models import Project, Stage

    ids = [p for p, _agency, _manager in w.projects]
    projects = list(Project.objects.filter(pk__in=ids, stage=Stage.CONSTRUCTION).values_list("pk", "agency_id", "manager_id"))
    if not projects:
        return
    yesterday = w.today - dt.timedelta(days=1)
    params = {a.pk: light_params(a, yesterday) for a in Agency.objects.filter(pk__in={a for _p, a, _m in projects})}
    tasks, sites = [], []
    for pid, agency_id, _manager in projects:
        begin = yesterday - dt.timedelta(days=w.rng.randrange(5, 120))
        facts = []
        for k in range(5):
            end = begin + dt.timedelta(days=w.rng.randrange(10, 40))
            weight = Decimal(w.rng.randrange(5, 40))
            plan = rules.task_planned_percent(rules.TaskFacts(begin, end, weight, Decimal(0)), yesterday)
            progress = min(Decimal(100), (plan * Decimal(str(w.rng.choice([1.0, 0.9, 0.7, 0.5])))).quantize(Decimal("0.01")))
            facts.append(rules.TaskFacts(begin, end, weight, progress, k == 4))
            tasks.append(
                ScheduleTask(
                    project_id=pid,
                    code=f"T{k + 1}",
                    name=f"工作{k + 1}",
                    planned_start=begin,
                    planned_end=end,
                    baseline_start=begin,
                    baseline_end=end,
                    weight=weight,
                    progress=progress,
                    is_milestone=k == 4,
                    sort_order=k + 1,
                )
            )
            begin = end + dt.timedelta(days=1)
        planned, actual, _overdue, decision = rules.light_for_tasks(params[agency_id], facts, yesterday)
        sites.append(
            ProjectSite(
                project_id=pid,
                light=decision.light,
                light_since=yesterday,
                light_reason=decision.reason_text[:300],
                planned_progress=planned,
                actual_progress=actual,
                evaluated_on=yesterday,
            )
        )
    ProjectSite.objects.bulk_create(sites, batch_size=5000, ignore_conflicts=True)
    ScheduleTask.objects.bulk_create(tasks, batch_size=5000)
    first_task = dict(
        ScheduleTask.objects.filter(project_id__in=[p for p, _a, _m in projects], code="T1").values_list("project_id", "pk")
    )
    per_project = max(1, w.scale.daily_reports // len(projects))
    reports, progress, notices, meetings = [], [], [], []
    for n, (pid, _agency, manager) in enumerate(projects):
        reports += [DailyReport(project_id=pid, report_date=yesterday - dt.timedelta(days=d)) for d in range(per_project)]
        progress.append(
            ProgressReport(task_id=first_task[pid], project_id=pid, as_of=yesterday, percent=Decimal(100), reported_by_id=manager)
        )
        notices.append(
            RectificationNotice(
                project_id=pid,
                number=f"ZG-{w.tag}-{n:06d}",
                finding="临边防护缺失",
                responsible_party="施工单位",
                deadline=w.today + dt.timedelta(days=w.rng.randrange(-10, 7)),
                issued_by_id=manager,
                issued_on=yesterday,
            )
        )
        meetings.append(
            SiteMeeting(
                project_id=pid,
                kind="regular",
                held_on=yesterday,
                agenda="进度",
                attendees="各方",
                minutes="纪要",
                recorded_by_id=manager,
            )
        )
    DailyReport.objects.bulk_create(reports, batch_size=5000, ignore_conflicts=True)
    author = {pid: manager for pid, _agency, manager in projects}
    fresh = list(DailyReport.objects.filter(project_id__in=list(author), entries__isnull=True).values_list("pk", "project_id"))
    batch: list[Any] = []
    for report_id, pid in fresh:
        batch.append(
            DailyReportEntry(
                report_id=report_id,
                party="owner",
                weather="sunny",
                manpower={"普工": 8},
                work_done="按计划施工",
                author_id=author[pid],
            )
        )
        if len(batch) >= 5000:
            DailyReportEntry.objects.bulk_create(batch)
            batch = []
    DailyReportEntry.objects.bulk_create(batch)
    ProgressReport.objects.bulk_create(progress, batch_size=5000)
    RectificationNotice.objects.bulk_create(notices, batch_size=5000)
    made = SiteMeeting.objects.bulk_create(meetings, batch_size=5000)
    if made and made[0].pk is None:
        made = list(SiteMeeting.objects.filter(project_id__in=[p for p, _a, _m in projects], held_on=yesterday).order_by("pk"))
    ActionItem.objects.bulk_create(
        [
            ActionItem(meeting_id=m.pk, project_id=m.project_id, text="落实整改", owner_id=m.recorded_by_id, due_on=w.today)
            for m in made
        ],
        batch_size=5000,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=50_000)
    parser.add_argument("--tasks", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--cold", action="store_true", help="sites never evaluated: time the first run after go-live")
    args = parser.parse_args()
    started = time.perf_counter()
    setup(ROOT / "var" / "bench-construction.sqlite3")
    yesterday_counts = bulk_construction(args.projects, args.tasks, cold=args.cold)
    build_s = time.perf_counter() - started

    from django.db import connection as conn

    with conn.cursor() as cursor:  # fresh statistics after the bulk load, as autovacuum/ANALYZE keeps them in production
        cursor.execute("ANALYZE")

    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from govworks.construction.models import LightEvaluation, PaymentFreeze
    from govworks.construction.periodic import lights_daily
    from govworks.core.models import AuditEvent
    from govworks.org.models import User
    from govworks.projects.models import Project, Stage

    total = Project.objects.filter(stage=Stage.CONSTRUCTION).count()
    history_before, audit_before, freezes_before = (
        LightEvaluation.objects.count(),
        AuditEvent.objects.count(),
        PaymentFreeze.objects.count(),
    )
    executed = [0]

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        t0 = time.perf_counter()
        summary = lights_daily(timezone.localdate())
        daily_s = time.perf_counter() - t0
    queries = executed[0]
    changed = LightEvaluation.objects.count() - history_before
    new_freezes = PaymentFreeze.objects.count() - freezes_before
    audit = AuditEvent.objects.count() - audit_before

    User.objects.update(must_change_password=False)
    client = Client()
    client.force_login(User.objects.get(username="liming"))
    sample = Project.objects.filter(code__contains="-C").order_by("pk").values_list("pk", flat=True).first()
    pages = ["/construction/", "/construction/?light=red", "/construction/?q=在建工程4999", "/construction/?page=100"]
    pages += [f"/construction/projects/{sample}/{tab}/" for tab in ("schedule", "progress", "light")]
    rows = [measure(p, args.repeat, client) for p in pages]

    vendor = connection.vendor
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = {
        "benchmark": "construction",
        "database": vendor,
        "projects_in_construction": total,
        "tasks": yesterday_counts["tasks"],
        "yesterday": {k: yesterday_counts[k] for k in ("green", "yellow", "red")},
        "build_seconds": round(build_s, 1),
        "daily_evaluation_seconds": round(daily_s, 2),
        "daily_evaluation_queries": queries,
        "daily_summary": summary,
        "light_changes": changed,
        "new_freezes": new_freezes,
        "audit_events": audit,
        "pages": rows,
    }
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    kind = "construction-cold" if args.cold else "construction"
    out["cold"] = args.cold
    (results / f"{kind}-{vendor}-{stamp}.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))
    lines = [
        f"# Construction benchmark{' (cold: first run, no site evaluated before)' if args.cold else ''} — {vendor}, {total:,} projects in 施工, {yesterday_counts['tasks']:,} tasks",
        "",
        f"Daily light evaluation (`construction.lights_daily`): **{daily_s:.1f} s**, {queries:,} SQL queries — {summary}.",
        f"{changed:,} lights changed since yesterday (history rows and timeline events: {audit:,} audit events), {new_freezes:,} new payment freezes.",
        f"{'Lights as computed for yesterday (not stored: cold run)' if args.cold else 'Yesterday' + chr(39) + 's state'}: green {yesterday_counts['green']:,}, yellow {yesterday_counts['yellow']:,}, red {yesterday_counts['red']:,}. Build: {build_s:.0f} s.",
        "",
        f"Pages ({args.repeat} requests each, in-process Django test client, signed in as 李明):",
        "",
        "| page | status | queries | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| `{r['page']}` | {r['status']} | {r['queries']} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} |" for r in rows]
    md = "\n".join(lines) + "\n"
    (results / f"{kind}-{vendor}-latest.md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
