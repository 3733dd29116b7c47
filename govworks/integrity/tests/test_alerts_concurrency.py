"""On PostgreSQL, with threads: the same finding reported at once by several workers (the moment of action and
the daily job racing) is stored once — the unique constraint decides, the losers read the winner's row."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from govworks.core.models import AuditEvent
from govworks.integrity.models import RiskAlert, RiskAlertPerson
from govworks.integrity.services.alerts import alert_store
from govworks.integrity.tests.alert_fixtures import finding

WORKERS = 6


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_reports_of_one_finding_store_one_alert(world: Any) -> None:
    barrier = threading.Barrier(WORKERS)
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []
    same = finding(world.city, 1, involved_user_ids=(world.pm.pk,))

    def work() -> None:
        try:
            barrier.wait()
            alert, created = alert_store(same)
            results.append((alert.pk, created))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert RiskAlert.objects.count() == 1 and RiskAlertPerson.objects.count() == 1
    (pk,) = {pk for pk, _ in results}
    assert pk == RiskAlert.objects.get().pk
    assert sum(created for _, created in results) == 1
    assert AuditEvent.objects.filter(action="integrity.alert.create").count() == 1


@pytest.mark.django_db
def test_a_store_that_loses_the_race_reads_the_winner(world: Any, monkeypatch: Any) -> None:
    """The loser's path, on any database: the pre-check saw nothing, the insert hits the constraint."""
    winner, created = alert_store(finding(world.city, 1))
    assert created
    real_filter = RiskAlert.objects.filter
    calls = {"n": 0}

    def blind_first_check(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        return RiskAlert.objects.none() if calls["n"] == 1 else real_filter(*args, **kwargs)

    monkeypatch.setattr(RiskAlert.objects, "filter", blind_first_check)
    again, created = alert_store(finding(world.city, 1))
    assert (again.pk, created) == (winner.pk, False) and RiskAlert.objects.count() == 1
