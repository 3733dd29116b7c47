"""audit_verify cost (issue 20 item 6): wall time and this process's CPU time of reading the chain's rows
and of the whole keyed verify, on the database of DATABASE_URL (e.g. the one bench/generate.py filled).

    DATABASE_URL=... python bench/verify_bench.py [--repeat 2]

Run it from two checkouts (``cd <checkout> && python <this file>``) to compare code on the same rows;
the CPU time of this process (user + system) is steadier than wall time on a shared machine, but does
not include PostgreSQL's own work.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))


def clocked(fn: object) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()  # type: ignore[operator]
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "false"
    import django

    django.setup()
    from django.db import connection

    from govworks.core import audit

    for i in range(args.repeat):
        load = os.getloadavg()[0]
        wall_r, cpu_r, n = clocked(lambda: sum(1 for _ in audit._events_in_order(5000, 0)))
        wall_v, cpu_v, result = clocked(lambda: audit.audit_chain_verify())
        print(
            f"{connection.vendor} run {i + 1} (load {load:.1f}): {n:,} events — rows only {wall_r:.1f} s wall / {cpu_r:.1f} s CPU; "
            f"verify {wall_v:.1f} s wall / {cpu_v:.1f} s CPU ({'OK' if result.ok else result.problem})",  # type: ignore[attr-defined]
            flush=True,
        )


if __name__ == "__main__":
    main()
