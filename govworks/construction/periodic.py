"""The daily jobs of construction supervision (run by ``manage.py run_periodic``): re-evaluate every
project's light, and escalate overdue rectification notices."""

from __future__ import annotations

import datetime as dt

from govworks.construction.services.inspections import notices_escalate
from govworks.construction.services.lights import lights_evaluate_all
from govworks.core.registry import register_periodic_job


def lights_daily(today: dt.date) -> str:
    return lights_evaluate_all(today)


def rectifications_daily(today: dt.date) -> str:
    return notices_escalate(today)


register_periodic_job("construction.lights_daily", lights_daily)
register_periodic_job("construction.rectifications_escalate", rectifications_daily)
