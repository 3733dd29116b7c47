"""manage.py run_periodic — run every registered daily job once per day (safe to trigger often).

Production: call it from cron or a systemd timer every hour; ``./run`` starts it with ``--loop``.
"""

from __future__ import annotations

import time
import traceback
from typing import Any

from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.utils import timezone

from govworks.core.models import PeriodicJobRun
from govworks.core.registry import registry


def run_due_jobs(*, force: bool = False) -> list[str]:
    """Run each registered job that has not run today. Returns one line per job run."""
    today = timezone.localdate()
    lines: list[str] = []
    for name, job in sorted(registry.periodic.items()):
        if force:
            PeriodicJobRun.objects.filter(name=name, run_on=today).delete()
        try:
            with transaction.atomic():
                run = PeriodicJobRun.objects.create(name=name, run_on=today, started_at=timezone.now())
        except IntegrityError:
            continue  # already ran (or is running) today
        try:
            summary = job(today)
            ok = True
        except Exception:
            summary = traceback.format_exc(limit=5)
            ok = False
        PeriodicJobRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), ok=ok, summary=summary[:4000])
        lines.append(f"{name}: {'OK' if ok else 'FAILED'} {summary.splitlines()[0] if summary else ''}")
    return lines


class Command(BaseCommand):
    help = "运行所有已登记的每日定时任务（当天已运行的跳过）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--loop", action="store_true", help="常驻运行，每隔 --every 秒检查一次")
        parser.add_argument("--every", type=int, default=300, help="常驻模式的检查间隔（秒）")
        parser.add_argument("--force", action="store_true", help="今天已运行的任务也重新运行")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            for line in run_due_jobs(force=options["force"]):
                self.stdout.write(line)
            if not options["loop"]:
                return
            time.sleep(max(5, options["every"]))
