"""Surplus returns count toward a cap (结余资金): four simultaneous returns of 40,000 元 against a surplus of 100,000 元 —
exactly two win, the others are refused naming the numbers (PostgreSQL row locks on the final accounts)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from govworks.closeout.models import SurplusReturn
from govworks.closeout.services import final_accounts as services
from govworks.closeout.tests import final_fixtures as ff
from govworks.closeout.tests.final_fixtures import approved_final_accounts
from govworks.core.errors import DomainError

# the shared fixtures, bound here so pytest finds them
lifecycle, make_project, fw, fin, settled, fa_world = ff.lifecycle, ff.make_project, ff.fw, ff.fin, ff.settled, ff.fa_world


@pytest.fixture
def fa_tx(transactional_db: Any, request: Any) -> Any:
    return request.getfixturevalue("fa_world")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_surplus_returns_never_exceed_the_surplus(fa_tx: Any) -> None:
    w = fa_tx
    fa = approved_final_accounts(w)  # received 1,100,000 − final cost 1,000,000 = surplus 100,000
    barrier = threading.Barrier(4)
    won: list[int] = []
    lost: list[str] = []
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait()
            row = services.surplus_return_record(
                actor=w.finance,
                fa=fa,
                source=w.source,
                amount=Decimal("40000"),
                returned_on=dt.date.today(),
                document_number=f"缴库-{n}",
            )
            won.append(row.pk)
        except DomainError as err:
            lost.append(err.message)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(won) == 2 and len(lost) == 2
    assert all("结余 100,000.00 元" in m for m in lost)
    assert sum(r.amount for r in SurplusReturn.objects.all()) == Decimal("80000")
