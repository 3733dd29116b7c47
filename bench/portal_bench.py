"""Benchmark of 阳光公示 (issue 14 item 5): the cached public pages against a bare view.

    DATABASE_URL=postgres://…/gw_bench python bench/generate.py --scale province   # once
    DATABASE_URL=postgres://…/gw_bench python bench/portal_bench.py [--seconds 3] [--rounds 3]

Runs against the database the province-scale generator filled (DATABASE_URL; else the SQLite file
var/bench-<scale>.sqlite3 it writes). The generator's projects come in as "历史数据导入" without a 立项审批,
so nothing of them is public: a benchmark fixture (bulk insert, no service) adds an approved 立项审批 for every
project that has none — then every one of the 50,000 projects, its signed contracts and its records are
published, the heaviest case for the portal. Then, in-process with Django's test client (the whole middleware
stack, no network), anonymous:

* each /gongshi/ page once uncached (time and SQL queries of a miss),
* for ``--rounds`` interleaved rounds, as many requests as fit in ``--seconds`` to a cached page and to a bare
  view (``/bench-bare/``: a fixed 2-byte response behind the same middleware) — requests per second and this
  process's CPU per request; the target is cached ≥ 50 % of the bare view's throughput.

Markdown and JSON under bench/results/ (portal-<db>-latest.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(scale: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    if "DATABASE_URL" not in os.environ:
        os.environ["SQLITE_PATH"] = str(ROOT / "var" / f"bench-{scale}.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # the portal's table, when the data set predates it


def publish_everything() -> int:
    """Approve the 立项 of every project without one (a benchmark fixture); returns how many were added."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from govworks.org.models import User
    from govworks.projects.models import ApprovalRequest, Project

    ct = ContentType.objects.get_for_model(Project)
    author = User.objects.get(username="liming")
    approved = ApprovalRequest.objects.filter(
        kind="project.initiation", status="approved", subject_type=ct, subject_id=OuterRef("pk")
    )
    todo = Project.objects.filter(~Exists(approved)).values_list("pk", "agency_id", "estimate_amount", "name")
    now = timezone.now()
    rows = [
        ApprovalRequest(
            agency_id=agency, project_id=pk, kind="project.initiation", title=f"{name}立项", amount=amount,
            subject_type=ct, subject_id=pk, chain_name="基准数据", submitted_by=author, status="approved",
            finished_at=now,
        )
        for pk, agency, amount, name in todo.iterator(chunk_size=5000)
    ]  # fmt: skip
    ApprovalRequest.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def add_bare_view() -> None:
    from django.http import HttpResponse
    from django.urls import clear_url_caches, path

    import config.urls

    def bare(request: object) -> HttpResponse:
        return HttpResponse(b"ok", content_type="text/plain")

    config.urls.urlpatterns.append(path("bench-bare/", bare))
    clear_url_caches()


def miss(client: object, path: str) -> dict[str, object]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries, status = [], 0, 0
    for _ in range(3):
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(path)  # type: ignore[attr-defined]
            timings.append((time.perf_counter() - t0) * 1000)
        queries, status = len(ctx.captured_queries), response.status_code
    return {"page": path, "status": status, "queries": queries, "miss_ms": round(statistics.median(timings), 1)}


def throughput(client: object, path: str, seconds: float) -> tuple[float, float]:
    """(requests per second, CPU ms per request) of ``path`` for ``seconds``."""
    client.get(path)  # type: ignore[attr-defined]  # warm (and fill the cache)
    n = 0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    while time.perf_counter() - wall0 < seconds:
        response = client.get(path)  # type: ignore[attr-defined]
        assert response.status_code == 200, (path, response.status_code)
        n += 1
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return n / wall, cpu / n * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="province")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    setup(args.scale)
    added = publish_everything()
    add_bare_view()

    from django.db import connection
    from django.test import Client

    from govworks.org.models import Agency
    from govworks.procurement.models import Contract
    from govworks.projects.models import Project

    client = Client()
    project = Project.objects.order_by("-id").values_list("pk", flat=True).first()
    agency = Agency.objects.order_by("id").values_list("pk", flat=True).first()
    pages = [
        "/gongshi/",
        "/gongshi/list/project/",
        f"/gongshi/list/project/?agency={agency}&year={dt.date.today().year}",
        "/gongshi/list/contract/",
        "/gongshi/list/change/",
        "/gongshi/list/construction/",
        "/gongshi/list/settlement/",
        "/gongshi/search/?q=改造",
        "/gongshi/feed/",
        f"/gongshi/projects/{project}/",
    ]
    misses = [miss(client, p) for p in pages]

    rounds: list[dict[str, float]] = []
    for _ in range(args.rounds):  # interleaved, so load on the shared machine hits both alike
        bare_rps, bare_cpu = throughput(client, "/bench-bare/", args.seconds)
        row: dict[str, float] = {"bare_rps": bare_rps, "bare_cpu_ms": bare_cpu}
        for p in ("/gongshi/", "/gongshi/list/project/", f"/gongshi/projects/{project}/"):
            rps, cpu = throughput(client, p, args.seconds)
            row[f"{p}|rps"], row[f"{p}|cpu_ms"] = rps, cpu
        rounds.append(row)

    def med(key: str) -> float:
        return round(statistics.median(r[key] for r in rounds), 2)

    cached = []
    for p in ("/gongshi/", "/gongshi/list/project/", f"/gongshi/projects/{project}/"):
        cached.append(
            {
                "page": p,
                "rps": med(f"{p}|rps"),
                "cpu_ms": med(f"{p}|cpu_ms"),
                "share_of_bare_rps": round(med(f"{p}|rps") / med("bare_rps") * 100, 1),
                "share_of_bare_cpu": round(med("bare_cpu_ms") / med(f"{p}|cpu_ms") * 100, 1),
            }
        )
    vendor = connection.vendor
    out = {
        "benchmark": "portal",
        "database": vendor,
        "projects": Project.objects.count(),
        "contracts_signed": Contract.objects.filter(status="signed").count(),
        "initiations_added_by_fixture": added,
        "seconds_per_measure": args.seconds,
        "rounds": args.rounds,
        "load_average": os.getloadavg(),
        "bare": {"rps": med("bare_rps"), "cpu_ms": med("bare_cpu_ms")},
        "cached": cached,
        "misses": misses,
        "raw_rounds": rounds,
    }
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    (results / f"portal-{vendor}-{stamp}.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))
    lines = [
        f"### Portal benchmark — {vendor}, {out['projects']:,} projects, {out['contracts_signed']:,} signed contracts, "
        f"load average {', '.join(f'{x:.1f}' for x in out['load_average'])} (in-process, Django test client, anonymous)",
        "",
        f"Bare view (`/bench-bare/`, fixed 2-byte response, same middleware): **{out['bare']['rps']} req/s**, "
        f"{out['bare']['cpu_ms']} ms CPU per request (median of {args.rounds} rounds × {args.seconds:g} s).",
        "",
        "| cached page | req/s | CPU ms/req | % of bare req/s | % of bare (CPU) |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| `{r['page']}` | {r['rps']} | {r['cpu_ms']} | {r['share_of_bare_rps']} % | {r['share_of_bare_cpu']} % |"
        for r in cached
    ]
    lines += ["", "| page, uncached (a miss) | status | queries | ms |", "|---|---|---|---|"]
    lines += [f"| `{m['page']}` | {m['status']} | {m['queries']} | {m['miss_ms']} |" for m in misses]
    md = "\n".join(lines) + "\n"
    (results / f"portal-{vendor}-latest.md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
