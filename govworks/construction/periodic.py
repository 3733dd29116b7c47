"""The daily jobs of construction supervision (run by ``manage.py run_periodic``): re-evaluate every
project's light, escalate overdue rectification notices, and purge photos left in the daily report's
pending area."""

from __future__ import annotations

import datetime as dt

from govworks.construction.services.inspections import notices_escalate
from govworks.construction.services.lights import lights_evaluate_all
from govworks.construction.services.site_reports import staged_photos_purge
from govworks.core.registry import register_periodic_job


def lights_daily(today: dt.date) -> str:
    return lights_evaluate_all(today)


def rectifications_daily(today: dt.date) -> str:
    return notices_escalate(today)


def staged_photos_daily(today: dt.date) -> str:
    return f"清理未提交的现场照片 {staged_photos_purge(today=today)} 张"


register_periodic_job("construction.lights_daily", lights_daily)
register_periodic_job("construction.staged_photos_purge", staged_photos_daily)
register_periodic_job("construction.rectifications_escalate", rectifications_daily)
