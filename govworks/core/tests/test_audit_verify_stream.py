"""audit_verify reads the chain with one raw, streamed statement (issue 20 item 6): the rows it hashes must be
exactly what the model fields would give — time, changes (JSON), address — on SQLite and PostgreSQL, across
chunk boundaries, and the verify keeps its verdicts."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from govworks.core.audit import _VERIFY_FIELDS, _events_in_order, audit_chain_verify, audit_event_record, canonical_time
from govworks.core.models import AuditEvent
from govworks.core.request_context import RequestInfo, reset_request_info, set_request_info
from govworks.core.tests.test_audit import tamper
from govworks.org.tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _events(n: int = 7) -> None:
    agency = AgencyFactory()
    actor = UserFactory(agency=agency)
    addresses = ["10.1.2.3", "2001:db8::1", None]
    for i in range(n):
        token = set_request_info(RequestInfo(request_id=f"r{i}", ip=addresses[i % 3]))
        try:
            audit_event_record(
                actor=actor if i % 2 else None,
                action="core.test.event",
                obj=agency,
                agency=agency if i % 2 else None,
                summary=f"第{i}条：含中文与“引号”",
                changes={"金额": {"before": str(Decimal("1.10")), "after": [1, 2.5, None, True]}, "n": i, "s": "文"},
            )
        finally:
            reset_request_info(token)


def test_the_raw_rows_are_what_the_model_fields_give():
    """Given events with IPv4, IPv6 and no address, nested Chinese changes, with and without actor, when the
    chain is read in chunks of 2 (so several fetches), then every row equals the ORM's values for it (the time in its canonical text)."""
    _events()
    at = _VERIFY_FIELDS.index("occurred_at")
    expected = [
        (*row[:at], canonical_time(row[at]), *row[at + 1 :])
        for row in AuditEvent.objects.order_by("seq").values_list(*_VERIFY_FIELDS)
    ]
    got = list(_events_in_order(2, 0))
    assert got == expected
    assert len(got) >= 7
    later = list(_events_in_order(3, expected[2][0]))
    assert later == expected[3:]


def test_the_streamed_verify_keeps_its_verdicts():
    """Given an intact chain, audit_verify says OK with the count; given one event's summary altered behind the
    application's back, it names that event."""
    _events(5)
    result = audit_chain_verify(chunk_size=2)
    assert result.ok and result.checked == AuditEvent.objects.count()
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "OK" in out.getvalue()
    victim = AuditEvent.objects.order_by("seq")[2]
    tamper("UPDATE core_auditevent SET summary = %s WHERE seq = %s", ["改过", victim.seq])
    with pytest.raises(CommandError, match=f"第一条出错的事件序号 {victim.seq}"):
        call_command("audit_verify", stdout=StringIO())
