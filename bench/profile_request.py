"""Profile one signed-in request in-process (issue 20 item 1): middleware, session, authentication,
context processors and the view, through Django's test client on the benchmark database.

    DATABASE_URL=... python bench/profile_request.py [--path /healthz] [--as county_pm] [-n 500] [--profile]

Prints the queries of one request, then the mean and p50/p95 of ``-n`` requests (after 20 warm-up
requests), and with ``--profile`` the 25 functions with the most cumulative time. Run it from another
checkout (``cd /tmp/before && python /path/to/bench/profile_request.py``) to compare the code before a
change on the same data.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--path", default="/healthz")
    parser.add_argument("--as", dest="persona", default="county_pm")
    parser.add_argument("-n", type=int, default=500)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--scale", default="city")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from run import personas  # bench/run.py

    user = personas()[args.persona]
    client = Client()
    client.force_login(user)
    for _ in range(3):
        client.get(args.path)
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(args.path).status_code
    print(f"{args.path} as {args.persona}: {status}, {len(ctx.captured_queries)} queries")
    for q in ctx.captured_queries:
        print(f"  {q['time']}s  {q['sql'][:160]}")
    for _ in range(20):
        client.get(args.path)
    times = []
    cpu_started = time.process_time()
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    for _ in range(args.n):
        started = time.perf_counter()
        client.get(args.path)
        times.append((time.perf_counter() - started) * 1000)
    if profiler:
        profiler.disable()
    cpu_ms = (time.process_time() - cpu_started) * 1000 / args.n
    times.sort()
    print(
        f"{args.n} requests: mean {statistics.mean(times):.3f} ms, p50 {times[len(times) // 2]:.3f} ms, "
        f"p95 {times[int(len(times) * 0.95)]:.3f} ms, this process's CPU {cpu_ms:.3f} ms per request, "
        f"load {os.getloadavg()[0]:.2f}"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
