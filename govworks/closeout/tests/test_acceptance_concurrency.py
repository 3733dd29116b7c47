"""Races on PostgreSQL: two clerks raising the quality deposit's return at the same moment raise one payment
request (the period row is locked; the second sees it already requested); two conclusions of the same round
record one (the acceptance row is locked)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from govworks.closeout.models import Acceptance, DefectPeriod
from govworks.closeout.services import acceptance as s
from govworks.closeout.services import defects as d
from govworks.closeout.tests import acceptance_fixtures as fx
from govworks.closeout.tests.acceptance_fixtures import all_agree, days, organised, passed
from govworks.core.errors import DomainError

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
acc, cw, lifecycle, make_project = fx.acc, fx.cw, fx.lifecycle, fx.make_project  # the fixtures


def race(calls: list[Callable[[], Any]]) -> list[BaseException]:
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            call()
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_two_deposit_returns_racing_raise_one_payment_request(acc: Any) -> None:
    from govworks.finance.models import PaymentRequest
    from govworks.finance.services.funds import funding_source_create
    from govworks.procurement.models import PaymentMilestone

    passed(acc)
    source = funding_source_create(
        actor=acc.finance, project=acc.project, kind="fiscal", name="一般公共预算", budget_year=2026,
        indicator_number="临财建〔2026〕2号", functional_class="2013650", economic_class="30905", amount=Decimal("500000"),
    )  # fmt: skip
    PaymentMilestone.objects.create(
        contract=acc.main, seq=9, kind="retention_return", ratio=Decimal("0.03"), condition="缺陷责任期满"
    )
    DefectPeriod.objects.update(ends_on=days(0))  # test setup: the period ran out
    period = DefectPeriod.objects.select_related("project", "contract").get()
    d.deposit_return_prepare(actor=acc.pm, period=period, deductions=[])
    errors = race([lambda: d.deposit_return_request(actor=acc.pm, period=period, source=source)] * 2)
    assert len(errors) == 1 and isinstance(errors[0], DomainError) and errors[0].code == "closeout.deposit_not_prepared"
    assert PaymentRequest.objects.filter(kind="retention_return").count() == 1


def test_two_conclusions_racing_record_one(acc: Any) -> None:
    a = organised(acc)
    all_agree(acc, a)
    errors = race(
        [
            lambda: s.acceptance_conclude(actor=acc.pm, acceptance=a, passed=True, note="同意验收合格"),
            lambda: s.acceptance_conclude(actor=acc.head, acceptance=a, passed=True, note="同意验收合格"),
        ]
    )
    assert len(errors) == 1 and isinstance(errors[0], DomainError) and errors[0].code == "closeout.conclude_state"
    assert Acceptance.objects.get().status == "passed" and DefectPeriod.objects.count() == 1
