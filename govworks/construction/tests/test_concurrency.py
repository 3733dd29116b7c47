"""Races on PostgreSQL: two confirmations that each push the project into red at the same moment
freeze payments once (the site row is locked for every evaluation; one active freeze per project)."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from govworks.construction.models import Interview, PaymentFreeze
from govworks.construction.services import schedule
from govworks.construction.tests.conftest import days

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_confirmations_racing_into_red_freeze_once(cw: Any, site_project: Any) -> None:
    reports = []
    for code in ("A", "B"):
        task = schedule.task_create(
            actor=cw.pm, project=site_project, code=code, name=f"工作{code}", planned_start=days(-10), planned_end=days(-1)
        )
        reports.append(schedule.progress_report(actor=cw.contractor, task=task, as_of=days(0), percent=Decimal(10)))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def confirm(report: Any) -> None:
        try:
            barrier.wait()
            schedule.progress_confirm(actor=cw.supervisor, report=report, opinion="属实")
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(r,)) for r in reports]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert PaymentFreeze.objects.filter(project=site_project).count() == 1
    assert Interview.objects.filter(project=site_project).count() == 1
