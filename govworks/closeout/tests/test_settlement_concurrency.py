"""On PostgreSQL, with threads: two settlement payments finalized at once never exceed 审定金额 less the quality
deposit (finance's cap, from the state the settlement audit provides), and two people approving the same
settlement at once approve it once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from govworks.closeout.models import Settlement
from govworks.closeout.services import settlement as services
from govworks.closeout.tests.test_settlement import st, through_result  # noqa: F401
from govworks.core.audit import AuditEvent
from govworks.core.errors import DomainError
from govworks.finance.tests.conftest import _forget_workbench_cache, fin, fw, pass_decision  # noqa: F401
from govworks.projects.tests.conftest import lifecycle, make_project  # noqa: F401

D = Decimal


@pytest.fixture
def st_tx(transactional_db: Any, request: Any) -> Any:
    return request.getfixturevalue("st")


def race(calls: list[Callable[[], Any]]) -> tuple[list[Any], list[str], list[BaseException]]:
    barrier = threading.Barrier(len(calls))
    won: list[Any] = []
    lost: list[str] = []
    errors: list[BaseException] = []

    def work(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            won.append(call())
        except DomainError as err:
            lost.append(err.message)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return won, lost, errors


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_parallel_settlement_payments_never_exceed_the_cap(st_tx: Any) -> None:
    from govworks.finance.models import PaymentRequest
    from govworks.finance.services import payments
    from govworks.finance.tests.test_payments import approve_chain, draft

    w = st_tx
    s = services.settlement_confirm(actor=w.contractor, settlement=through_result(w, "900000"))
    services.settlement_approve(actor=w.head, settlement=s)
    # the cap: 900,000.00 − 3 % deposit = 873,000.00; each request alone fits, both together do not
    requests = [payments.payment_request_submit(actor=w.pm, request=draft(w, "settlement", "500000")) for _ in range(2)]
    for r in requests:
        approve_chain(w, r)
        if r.requires_decision:
            pass_decision(w, r)
    won, lost, errors = race([lambda r=r: payments.payment_request_finalize(actor=w.finance, request=r) for r in requests])
    assert errors == []
    assert len(won) == 1 and len(lost) == 1
    approved = PaymentRequest.objects.filter(status=PaymentRequest.Status.APPROVED)
    assert sum(r.amount for r in approved) == D(500000)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_parallel_approvals_approve_once(st_tx: Any) -> None:
    from govworks.org.tests.factories import RoleGrantFactory, UserFactory

    w = st_tx
    head2 = UserFactory(username="head2", full_name="钱科长", agency=w.city)
    RoleGrantFactory(user=head2, agency=w.city, role="department_head")
    s = services.settlement_confirm(actor=w.contractor, settlement=through_result(w, "900000"))
    won, lost, errors = race(
        [
            lambda: services.settlement_approve(actor=w.head, settlement=s),
            lambda: services.settlement_approve(actor=head2, settlement=s),
        ]
    )
    assert errors == []
    assert len(won) == 1 and len(lost) == 1 and "不能审批" in lost[0]
    assert Settlement.objects.get().status == Settlement.Status.APPROVED
    assert AuditEvent.objects.filter(action="closeout.settlement.approve").count() == 1
