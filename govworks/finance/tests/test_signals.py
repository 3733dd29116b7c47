"""Risk signals of finance (issue 14 item 1): 付款超进度, 冻结期间申请付款被拒, 红灯期间付款 — each raised by its
situation and not by the one just below it (to the fen, to the day), read from the kind's daily scan or, at the
moment of action, from a sink registered in the real registry; a refused payment changes nothing but the
finding; every scan in a constant number of queries (3 contracts vs 30)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from govworks.construction.models import PaymentFreeze
from govworks.core import risk
from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent
from govworks.core.risk import Finding, signal_kind
from govworks.finance import signals
from govworks.finance.models import CompletedValue, PaymentRequest
from govworks.finance.services import payments, treasury
from govworks.finance.tests.test_payments import approve_chain, confirm_value, draft, paid_through, state
from govworks.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported() -> Iterator[list[Finding]]:
    """The findings reported at the moment of action, caught by a sink in the real registry (removed after)."""
    found: list[Finding] = []
    sink = found.append
    risk.register_signal_sink(sink)
    yield found
    risk.unregister_signal_sink(sink)


def scan(key: str, today: dt.date | None = None) -> list[Finding]:
    kind = signal_kind(key)
    assert kind is not None and kind.scan is not None
    return list(kind.scan(today or timezone.localdate()))


def submit(fin: Any, kind: str, gross: str) -> PaymentRequest:
    return payments.payment_request_submit(actor=fin.pm, request=draft(fin, kind, gross))


def refused_with_only_the_trace(call: Any) -> DomainError:
    """The call is refused; nothing changes but the refusal's audit event and the finding (in the sink, and stored
    as a risk alert by the integrity module, with its own audit event)."""
    traces = [payments.REFUSED_ACTION, "integrity.alert.create"]
    before = state()
    events = AuditEvent.objects.exclude(action__in=traces).count()
    with pytest.raises(DomainError) as info:
        call()
    assert info.value.code == "finance.payment_refused"
    assert state() == before
    assert AuditEvent.objects.exclude(action__in=traces).count() == events
    return info.value


def test_the_three_kinds_are_registered_with_chinese_labels() -> None:
    labels = {k.key: k.label for k in risk.signal_kinds()}
    assert labels[signals.AHEAD_OF_PROGRESS] == "付款超进度"
    assert labels[signals.FREEZE_REFUSED] == "冻结期间申请付款被拒"
    assert labels[signals.PAID_DURING_FREEZE] == "红灯期间付款"
    assert signal_kind(signals.AHEAD_OF_PROGRESS).rule_key == "pay.progress_max_ratio"  # type: ignore[union-attr]
    assert signal_kind(signals.FREEZE_REFUSED).scan is None  # type: ignore[union-attr]  (at the moment of refusal only)


# ------------------------------------------------------------------------------------------ 付款超进度


def test_progress_paid_and_requested_equal_to_the_limit_is_no_signal_one_fen_above_is(fin: Any) -> None:
    """Confirmed 100,000 元 at 80% → limit 80,000.00 元. Paid 79,999.99 + in approval 0.01 = the limit: nothing;
    another 0.01 in approval (each request passed its own guard): 付款超进度 by 0.01 元."""
    confirm_value(fin, "100000")
    paid_through(fin, "progress", "79999.99")
    submit(fin, "progress", "0.01")
    assert scan(signals.AHEAD_OF_PROGRESS) == []

    submit(fin, "progress", "0.01")
    (found,) = scan(signals.AHEAD_OF_PROGRESS)
    facts = dict(found.facts)
    assert facts["已批准/已支付进度款"] == "79,999.99 元" and facts["审批中进度款"] == "0.02 元"
    assert facts["累计进度款"] == "80,000.01 元" and facts["进度款上限"] == "80,000.00 元" and facts["超出"] == "0.01 元"
    assert facts["支付比例"] == "80%（合同约定 80%，“结算前进度款支付比例上限”97%）"
    assert facts["已完工程价款（监理确认）"].startswith("100,000.00 元（")
    assert found.fingerprint == f"contract:{fin.contract.pk}:progress:80000.01:100000.00"
    assert found.project_id == fin.project.pk and found.agency_id == fin.project.agency_id
    assert found.involved_user_ids == (fin.pm.pk,)  # the drafter, who is also the project's manager
    assert found.object_url == f"/finance/projects/{fin.project.pk}/"


def test_a_larger_confirmation_clears_it(fin: Any) -> None:
    confirm_value(fin, "100000", days_ago=3)
    submit(fin, "progress", "80000")
    submit(fin, "progress", "0.01")
    assert len(scan(signals.AHEAD_OF_PROGRESS)) == 1
    confirm_value(fin, "100000.02", days_ago=1)  # 80% of it: 80,000.016 ≥ 80,000.01
    assert scan(signals.AHEAD_OF_PROGRESS) == []


def test_a_progress_request_refused_above_the_limit_is_reported_at_the_moment_and_changes_nothing(
    fin: Any, reported: list[Finding]
) -> None:
    confirm_value(fin, "100000")
    request = draft(fin, "progress", "80000.01")
    refused_with_only_the_trace(lambda: payments.payment_request_submit(actor=fin.pm, request=request))
    (found,) = reported
    assert found.kind == signals.AHEAD_OF_PROGRESS
    assert found.fingerprint == f"request:{request.pk}:refused:80000.01:100000.00"
    facts = dict(found.facts)
    assert facts["本期申请进度款"] == "80,000.01 元" and facts["超出"] == "0.01 元" and "提交时被系统拒绝" in facts["付款申请"]
    assert found.object_url == f"/finance/requests/{request.pk}/"
    assert AuditEvent.objects.filter(action=payments.REFUSED_ACTION).count() == 1

    reported.clear()
    payments.payment_request_submit(actor=fin.pm, request=draft(fin, "progress", "80000"))  # at the limit: passes
    assert reported == []


def test_a_request_refused_for_another_rule_is_no_progress_signal(fin: Any, reported: list[Finding]) -> None:
    """An advance above the contract's 20% is refused, but it is no 付款超进度 and no freeze."""
    request = draft(fin, "advance", "200000.01")
    refused_with_only_the_trace(lambda: payments.payment_request_submit(actor=fin.pm, request=request))
    assert reported == []


# ------------------------------------------------------------------------------------------ 冻结期间申请付款被拒


def freeze(fin: Any, *, at: dt.datetime | None = None, cause: str = "red_light") -> PaymentFreeze:
    return PaymentFreeze.objects.create(
        project=fin.project, cause=cause, reason="进度滞后32个百分点", frozen_at=at or timezone.now()
    )


def test_a_payment_submitted_while_frozen_is_refused_reported_and_changes_nothing(fin: Any, reported: list[Finding]) -> None:
    request = draft(fin, "advance", "100000")
    held = freeze(fin)
    refused_with_only_the_trace(lambda: payments.payment_request_submit(actor=fin.pm, request=request))
    (found,) = reported
    assert found.kind == signals.FREEZE_REFUSED
    assert found.fingerprint == f"request:{request.pk}:freeze:{held.pk}:提交"
    facts = dict(found.facts)
    assert facts["本次实付"] == "100,000.00 元" and facts["款项类型"] == "预付款" and facts["办理环节"] == "提交（李明）"
    assert facts["暂停拨款"].endswith("（进度红灯）") and facts["冻结原因"] == "进度滞后32个百分点"
    assert set(found.involved_user_ids) == {fin.pm.pk}
    assert PaymentRequest.objects.get(pk=request.pk).status == PaymentRequest.Status.DRAFT

    # the situation just below: the same request once the freeze is released passes, nothing reported
    reported.clear()
    PaymentFreeze.objects.filter(pk=held.pk).update(released_at=timezone.now())
    payments.payment_request_submit(actor=fin.pm, request=request)
    assert reported == []


def test_a_final_approval_refused_for_a_freeze_names_the_approver(fin: Any, reported: list[Finding]) -> None:
    request = submit(fin, "advance", "100000")
    approve_chain(fin, request)
    held = freeze(fin, cause="major_hazard")
    refused_with_only_the_trace(lambda: payments.payment_request_finalize(actor=fin.finance, request=request))
    (found,) = reported
    assert found.fingerprint == f"request:{request.pk}:freeze:{held.pk}:审批办结"
    assert set(found.involved_user_ids) == {fin.pm.pk, fin.finance.pk}
    assert dict(found.facts)["暂停拨款"].endswith("（重大事故隐患）")


# ------------------------------------------------------------------------------------------ 红灯期间付款


def local(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def paid_on(fin: Any, day: dt.date) -> PaymentRequest:
    request = paid_through(fin, "advance", "100000")
    treasury.instruction_confirm(
        actor=fin.finance, instruction=request.instruction, paid=True, voucher_number="GK2026-0001", paid_on=day
    )
    request.refresh_from_db()
    return request


def test_paid_on_the_day_after_the_freeze_began_is_a_signal_paid_on_that_day_is_not(fin: Any) -> None:
    today = timezone.localdate()
    day = today - dt.timedelta(days=3)
    request = paid_on(fin, day)
    held = freeze(fin, at=local(day, 8))  # frozen the same day: the payment may have come first
    assert scan(signals.PAID_DURING_FREEZE) == []

    PaymentFreeze.objects.filter(pk=held.pk).update(frozen_at=local(day - dt.timedelta(days=1), 23))
    (found,) = scan(signals.PAID_DURING_FREEZE)
    assert found.fingerprint == f"request:{request.pk}:freeze:{held.pk}"
    facts = dict(found.facts)
    assert facts["实付金额"] == "100,000.00 元" and facts["国库支付日期"] == f"{day:%Y-%m-%d}"
    assert facts["暂停拨款"].endswith("尚未解除")
    assert set(found.involved_user_ids) == {fin.pm.pk, fin.finance.pk}  # drafter and manager; who issued the instruction
    assert found.occurred_on == day

    # released on the day it was paid: not during the freeze; released the day after: during it
    PaymentFreeze.objects.filter(pk=held.pk).update(released_at=local(day, 9))
    assert scan(signals.PAID_DURING_FREEZE) == []
    PaymentFreeze.objects.filter(pk=held.pk).update(released_at=local(day + dt.timedelta(days=1), 9))
    assert len(scan(signals.PAID_DURING_FREEZE)) == 1


# ------------------------------------------------------------------------------------------ constant queries


def clone(obj: Any, **changes: Any) -> Any:
    new = copy.copy(obj)
    new.pk = None
    new.id = None
    new._state = copy.copy(obj._state)
    new._state.adding = True
    for name, value in changes.items():
        setattr(new, name, value)
    new.save()
    return new


def grow(fin: Any, n: int) -> None:
    """``n`` more projects like ``fin.project``, each with a copy of its contract, confirmations, payment
    requests and freezes."""
    project = Project.objects.get(pk=fin.project.pk)
    contract = type(fin.contract).objects.get(pk=fin.contract.pk)
    values = list(CompletedValue.objects.filter(contract=contract))
    requests = list(PaymentRequest.objects.filter(contract=contract))
    freezes = list(PaymentFreeze.objects.filter(project=project))
    for i in range(n):
        p = clone(project, code=f"{project.code}-{i}-{n}")
        c = clone(contract, project=p)
        for v in values:
            clone(v, contract=c)
        for r in requests:
            clone(r, project=p, contract=c, completed_value=None)
        for f in freezes:
            clone(f, project=p)


@pytest.mark.parametrize("key", [signals.AHEAD_OF_PROGRESS, signals.PAID_DURING_FREEZE])
def test_each_scan_keeps_a_constant_number_of_queries_3_vs_30_contracts(
    key: str, fin: Any, django_assert_max_num_queries: Any
) -> None:
    today = timezone.localdate()
    if key == signals.AHEAD_OF_PROGRESS:
        confirm_value(fin, "100000")
        submit(fin, "progress", "80000")
        submit(fin, "progress", "0.01")
    else:
        paid_on(fin, today - dt.timedelta(days=2))
        freeze(fin, at=local(today - dt.timedelta(days=5)))
    grow(fin, 2)
    with django_assert_max_num_queries(5):
        assert len(scan(key, today)) == 3
    grow(fin, 27)
    with django_assert_max_num_queries(5):
        assert len(scan(key, today)) == 30
