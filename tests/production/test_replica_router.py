"""The read-replica router (govworks.core.db.routers) with a second database alias.

In the test settings ``replica`` is a test mirror of ``default`` (``TEST: {"MIRROR": "default"}``): the same
database through its own connection, so the tests can see which connection ran each query.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from govworks.core.db.routers import ReplicaRouter, read_alias, replica_reads, use_primary, use_replica

BOTH = ["default", "replica"]


def session_row(key: str) -> Any:
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    return Session.objects.create(session_key=key, session_data="x", expire_date=timezone.now() + timedelta(days=1))


def queries_on(alias: str) -> CaptureQueriesContext:
    return CaptureQueriesContext(connections[alias])


def test_the_test_settings_have_a_replica_alias() -> None:
    from django.conf import settings

    assert settings.DATABASES["replica"]["TEST"]["MIRROR"] == "default"
    assert "govworks.core.db.routers.ReplicaRouter" in settings.DATABASE_ROUTERS


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_reads_go_to_the_replica_only_when_asked() -> None:
    from django.contrib.sessions.models import Session

    session_row("k1")
    with queries_on("replica") as on_replica, queries_on("default") as on_default:
        assert Session.objects.get(session_key="k1")._state.db == "default"
    assert len(on_default) == 1 and len(on_replica) == 0

    with use_replica(), queries_on("replica") as on_replica, queries_on("default") as on_default:
        assert read_alias() == "replica"
        row = Session.objects.get(session_key="k1")
        assert row._state.db == "replica"
        assert Session.objects.filter(session_key__startswith="k").count() == 1
        with use_primary():
            assert Session.objects.get(session_key="k1")._state.db == "default"
    assert len(on_replica) == 2 and len(on_default) == 1
    assert read_alias() == "default"


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_writes_always_go_to_the_primary_and_a_transaction_reads_its_own_writes() -> None:
    from django.contrib.sessions.models import Session

    with use_replica():
        with queries_on("replica") as on_replica:
            session_row("k2")
            with transaction.atomic():
                Session.objects.filter(session_key="k2").update(session_data="y")
                # inside a transaction on default the replica could not see the change yet: read the primary
                assert read_alias() == "default"
                assert Session.objects.get(session_key="k2").session_data == "y"
        assert len(on_replica) == 0
        assert Session.objects.get(session_key="k2")._state.db == "replica"


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_view_decorator_routes_a_report_view_to_the_replica(rf: Any) -> None:
    from django.contrib.sessions.models import Session
    from django.http import HttpRequest, HttpResponse

    session_row("k3")

    @replica_reads
    def report(request: HttpRequest) -> HttpResponse:
        return HttpResponse(str(Session.objects.count()))

    with queries_on("replica") as on_replica:
        assert report(rf.get("/report/")).content == b"1"
    assert len(on_replica) == 1
    assert read_alias() == "default"  # the decorator leaves nothing behind


def test_replica_is_never_migrated_and_never_written() -> None:
    router = ReplicaRouter()
    assert router.allow_migrate("replica", "projects") is False
    assert router.allow_migrate("default", "projects") is None
    assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) is None  # not asked: Django's default (the primary)


def test_without_a_replica_alias_asking_for_it_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from govworks.core.db import routers

    monkeypatch.setattr(routers, "replica_configured", lambda: False)  # as on a single machine: no "replica"
    with use_replica():
        assert ReplicaRouter().db_for_read(None) is None
        assert read_alias() == "default"
