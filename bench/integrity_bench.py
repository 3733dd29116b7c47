"""Benchmark of the risk centre (风险预警中心, issue 14) at province scale.

    DATABASE_URL=postgres://…/gw_alertbench python bench/integrity_bench.py [--alerts 300000] [--repeat 30] [--reuse]

Runs against a database the province-scale generator filled (``bench/generate.py --scale province``: the agency
tree of a 省局, 23 cities and their counties, 50,000 projects) — DATABASE_URL, else var/bench-province.sqlite3.
Unless ``--reuse``, it deletes the alerts an earlier run inserted and bulk-inserts ``--alerts`` RiskAlert rows
straight into the tables (a benchmark fixture, not a business path: ``alert_store`` is exercised by the tests)
over the last two years — every registered signal kind with its severity, every status, spread over every agency
and its projects — with a RiskAlertPerson row for every person an alert names (1–3 people of the agency; a share
of them name the benchmark readers, so the ``NOT EXISTS`` that hides them does work).

Readers (benchmark accounts, created once):

* ``bench_alert_province`` — 纪检监察 in every agency of the tree (the heaviest reader: every alert in scope;
  the scope of ``alerts_visible_to`` is the agencies where the person holds the role, so a provincial
  纪检监察 who supervises the tree holds it in each);
* ``bench_alert_city`` — 纪检监察 in one city and its counties.

Times, in-process with Django's test client (whole middleware stack, no network), the list page (default, by
kind, by severity, by date range, by project text, a deep page), the detail page, and directly the trend-chart
data (``alert_trend``) and the workbench provider (``alert_work_items``): p50/p95/max and SQL queries per call.
Then EXPLAIN (ANALYZE, BUFFERS) of the list's statements for the province reader (PostgreSQL only). Markdown and
JSON under bench/results/ (integrity-<db>-latest.md).
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FINGERPRINT_PREFIX = "bench:"
PROVINCE_READER = "bench_alert_province"
CITY_READER = "bench_alert_city"


def setup(scale: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    if "DATABASE_URL" not in os.environ:
        os.environ["SQLITE_PATH"] = str(ROOT / "var" / f"bench-{scale}.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # the integrity tables, when the data set predates them


def readers() -> tuple[Any, Any, list[int]]:
    """The two benchmark readers (created on the first run) and the city reader's agencies."""
    from django.contrib.auth.hashers import make_password

    from govworks.org.models import Agency, RoleGrant, User

    root = Agency.objects.filter(level="province").order_by("id").first() or Agency.objects.order_by("id").first()
    assert root is not None
    city = Agency.objects.filter(level="city", parent=root).order_by("id").first() or root
    city_ids = list(Agency.objects.filter(path__startswith=city.path).values_list("pk", flat=True))
    all_ids = list(Agency.objects.values_list("pk", flat=True))
    password = make_password("Bench@2026")
    made = []
    for username, agency, scope in ((PROVINCE_READER, root, all_ids), (CITY_READER, city, city_ids)):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"full_name": f"基准纪检{agency.short_name}", "agency": agency, "password": password},
        )
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        if created:
            RoleGrant.objects.bulk_create([RoleGrant(user=user, agency_id=a, role="discipline") for a in scope])
        made.append(user)
    return made[0], made[1], city_ids


def bulk_alerts(n: int, reader_ids: list[int], seed: int = 14) -> dict[str, int]:
    """Insert ``n`` alerts (and the people they name) over two years; returns the counts."""
    from django.db import connection
    from django.utils import timezone

    from govworks.core.risk import signal_kinds
    from govworks.integrity.models import RiskAlert, RiskAlertPerson
    from govworks.org.models import User
    from govworks.projects.models import Project

    rng = random.Random(seed)
    RiskAlert.objects.filter(fingerprint__startswith=FINGERPRINT_PREFIX).delete()
    kinds = signal_kinds()
    assert kinds, "no signal kind registered"
    projects: dict[int, list[tuple[int, str, str]]] = {}
    for pk, agency_id, code, name in Project.objects.values_list("pk", "agency_id", "code", "name").iterator(chunk_size=10000):
        projects.setdefault(agency_id, []).append((pk, code, name))
    people: dict[int, list[int]] = {}
    for pk, agency_id in User.objects.exclude(agency__isnull=True).values_list("pk", "agency_id"):
        people.setdefault(agency_id, []).append(pk)
    agencies = sorted(projects)
    now = timezone.now()
    statuses = ["new"] * 60 + ["read"] * 30 + ["excluded"] * 8 + ["case"] * 2
    handled = ["new"] * 1 + ["read"] * 60 + ["excluded"] * 34 + ["case"] * 5
    made = 0
    batch = 5000
    while made < n:
        rows, named = [], []
        for i in range(made, min(n, made + batch)):
            kind = kinds[i % len(kinds)]
            agency = rng.choice(agencies)
            pk, code, name = rng.choice(projects[agency])
            detected = now - dt.timedelta(seconds=rng.randrange(0, 730 * 86400))
            # handled within weeks: new alerts are mostly recent, a few old ones are still unread
            status = rng.choice(statuses) if now - detected < dt.timedelta(days=30) else rng.choice(handled)
            bare = kind.module == "org"  # the pledge kind names a person, not a project
            involved = rng.sample(people.get(agency, []), k=min(len(people.get(agency, [])), rng.randint(1, 3)))
            if rng.random() < 0.01:
                involved.append(rng.choice(reader_ids))
            rows.append(
                RiskAlert(
                    kind=kind.key,
                    severity=kind.severity,
                    fingerprint=f"{FINGERPRINT_PREFIX}{i}",
                    agency_id=agency,
                    project_id=None if bare else pk,
                    title=f"{kind.label}：{name}",
                    facts=[["项目", f"{code} {name}"], ["金额", f"{rng.randrange(10_000, 9_000_000):,}.00 元"]],
                    rule_key=kind.rule_key,
                    object_url="" if bare else f"/projects/{pk}/",
                    object_label=f"{detected.year}年度廉政承诺书" if bare else f"付款申请 FK-{i:06d}（{code} {name}）",
                    involved_user_ids=involved,
                    occurred_on=(detected - dt.timedelta(days=rng.randrange(0, 10))).date(),
                    detected_at=detected,
                    status=status,
                    status_reason="基准：经核实无异常" if status == "excluded" else "",
                    status_at=detected + dt.timedelta(days=2) if status != "new" else None,
                )
            )
            named.append(involved)
        created = RiskAlert.objects.bulk_create(rows, batch_size=batch)
        RiskAlertPerson.objects.bulk_create(
            [RiskAlertPerson(alert_id=a.pk, user_id=u) for a, ids in zip(created, named, strict=True) for u in set(ids)],
            batch_size=batch,
        )
        made += len(rows)
        print(f"  alerts {made:,}/{n:,}", file=sys.stderr)
    if connection.vendor == "postgresql":  # what autovacuum does after a bulk insert (visibility map, statistics)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE integrity_riskalert")
            cursor.execute("VACUUM ANALYZE integrity_riskalertperson")
    return {"alerts": RiskAlert.objects.count(), "alert_people": RiskAlertPerson.objects.count()}


def timed(label: str, repeat: int, call: Callable[[], Any]) -> dict[str, Any]:
    """p50/p95/max of ``call`` over ``repeat`` runs after 3 warm-ups, and the SQL queries of the last run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries, status = [], 0, 0
    for i in range(repeat + 3):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            result = call()
            elapsed = (time.perf_counter() - t0) * 1000
        if i >= 3:
            timings.append(elapsed)
            queries = len(ctx.captured_queries)
            status = getattr(result, "status_code", 200)
    timings.sort()
    return {
        "page": label,
        "status": status,
        "queries": queries,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
        "max_ms": round(timings[-1], 1),
    }


def explain(user: Any, filters: Any) -> list[dict[str, Any]]:
    """EXPLAIN (ANALYZE, BUFFERS) of the list page's statements for ``user`` (PostgreSQL)."""
    from django.db import connection

    from govworks.integrity import permissions_alerts as perms
    from govworks.integrity.models import RiskAlert
    from govworks.integrity.selectors import alerts as selectors

    qs = selectors.alerts_for(user, filters)
    since = dt.datetime.now(dt.UTC) - dt.timedelta(weeks=selectors.TREND_WEEKS)
    from django.db.models import Count
    from django.db.models.functions import TruncDate

    statements = {
        "count (bounded at 10,001, as RegisterPaginator)": qs.order_by().values("pk")[:10001],
        "page 1 (25 rows)": qs[:25],
        "trend (26 weeks by day and severity)": qs.filter(detected_at__gte=since)
        .annotate(day=TruncDate("detected_at"))
        .values("day", "severity")
        .annotate(n=Count("id"))
        .order_by(),
        "new count (workbench)": perms.alerts_visible_to(user).filter(status=RiskAlert.Status.NEW),
    }
    out = []
    for label, q in statements.items():
        sql, params = q.query.sql_with_params()
        if label.startswith(("count", "new count")):
            sql = f"SELECT COUNT(*) FROM ({sql}) AS sub"  # noqa: S608  (SQL the ORM built)
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = [r[0] for r in cursor.fetchall()]
        total = next((line for line in reversed(plan) if line.startswith("Execution Time")), "")
        out.append({"statement": label, "execution": total, "plan": plan})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="province")
    parser.add_argument("--alerts", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="measure the alerts an earlier run inserted again")
    args = parser.parse_args()
    setup(args.scale)
    province, city, city_ids = readers()
    started = time.perf_counter()
    if args.reuse:
        from govworks.integrity.models import RiskAlert, RiskAlertPerson

        counts = {"alerts": RiskAlert.objects.count(), "alert_people": RiskAlertPerson.objects.count()}
    else:
        counts = bulk_alerts(args.alerts, [province.pk, city.pk])
    build_s = time.perf_counter() - started

    from django.db import connection
    from django.test import Client

    from govworks.core.risk import signal_kinds
    from govworks.integrity import permissions_alerts as perms
    from govworks.integrity.registrations_alerts import alert_work_items
    from govworks.integrity.selectors import alerts as selectors

    today = dt.date.today()
    kind = signal_kinds()[0].key
    quarter = f"date_from={(today - dt.timedelta(days=90)).isoformat()}&date_to={today.isoformat()}"
    lists = [
        "/integrity/alerts/",
        f"/integrity/alerts/?kind={kind}",
        "/integrity/alerts/?severity=high",
        "/integrity/alerts/?status=new",
        f"/integrity/alerts/?{quarter}",
        "/integrity/alerts/?project=外墙",
        "/integrity/alerts/?project=G04999",
        "/integrity/alerts/?page=200",
    ]
    results: dict[str, list[dict[str, Any]]] = {}
    plans: dict[str, list[dict[str, Any]]] = {}
    for label, user in (("province", province), ("city", city)):
        client = Client()
        client.force_login(user)
        detail = perms.alerts_visible_to(user).order_by("-detected_at").values_list("pk", flat=True)[100]
        rows = [timed(p, args.repeat, lambda p=p, c=client: c.get(p)) for p in [*lists, f"/integrity/alerts/{detail}/"]]
        none = selectors.alert_filters_from({})
        rows.append(timed("alert_trend() — chart data", args.repeat, lambda u=user, f=none: selectors.alert_trend(u, f)))
        rows.append(timed("alert_work_items() — workbench", args.repeat, lambda u=user: alert_work_items(u)))
        results[label] = rows
        if connection.vendor == "postgresql":
            plans[label] = explain(user, none)

    vendor = connection.vendor
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = {
        "benchmark": "integrity",
        "database": vendor,
        "counts": counts,
        "city_agencies": len(city_ids),
        "repeat": args.repeat,
        "build_seconds": round(build_s, 1),
        "load_average": os.getloadavg(),
        "rows": results,
        "explain": plans,
    }
    res = ROOT / "bench" / "results"
    res.mkdir(parents=True, exist_ok=True)
    (res / f"integrity-{vendor}-{stamp}.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))
    lines = [
        f"### Risk-centre benchmark — {vendor}, {counts['alerts']:,} alerts, {counts['alert_people']:,} named people; "
        f"{args.repeat} requests per page (in-process, Django test client); load average "
        f"{', '.join(f'{x:.1f}' for x in out['load_average'])}",
    ]
    for label, rows in results.items():
        who = "province reader (纪检监察 in every agency)" if label == "province" else f"city reader ({len(city_ids)} agencies)"
        lines += ["", f"{who}:", "", "| page / call | status | queries | p50 ms | p95 ms | max ms |", "|---|---|---|---|---|---|"]
        lines += [
            f"| `{r['page']}` | {r['status']} | {r['queries']} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} |" for r in rows
        ]
    for label, stmts in plans.items():
        lines += ["", f"EXPLAIN ANALYZE, {label} reader, no filter:", ""]
        lines += [f"- {s['statement']}: {s['execution']}" for s in stmts]
    md = "\n".join(lines) + "\n"
    (res / f"integrity-{vendor}-latest.md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
