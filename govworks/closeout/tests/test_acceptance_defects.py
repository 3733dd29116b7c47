"""The defect-liability period: defects through the rectification loop, the quality deposit's return less
deductions as a finance payment request, the wage deposit's return after its publicity."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from govworks.closeout.models import DefectPeriod, DefectReport, DepositReturn, WageDepositReturn
from govworks.closeout.services import defects as d
from govworks.closeout.tests import acceptance_fixtures as fx
from govworks.closeout.tests.acceptance_fixtures import days, passed
from govworks.construction.services.inspections import notice_reply, notice_verify
from govworks.core.audit import AuditEvent
from govworks.core.errors import DomainError

pytestmark = pytest.mark.django_db
acc, cw, lifecycle, make_project = fx.acc, fx.cw, fx.lifecycle, fx.make_project  # the fixtures


def snapshot() -> Any:
    return (
        list(DefectPeriod.objects.values()),
        list(DefectReport.objects.values()),
        list(DepositReturn.objects.values()),
        list(WageDepositReturn.objects.values()),
        AuditEvent.objects.count(),
    )


def refused(call: Any, code: str | None = None, text: str = "") -> None:
    before = snapshot()
    with pytest.raises((DomainError, PermissionDenied)) as err:
        call()
    if code is not None:
        assert isinstance(err.value, DomainError) and err.value.code == code, err.value
    if text:
        assert text in str(getattr(err.value, "message", err.value))
    assert snapshot() == before


@pytest.fixture
def period(acc: Any) -> DefectPeriod:
    passed(acc)
    return DefectPeriod.objects.select_related("project", "contract").get(contract=acc.main)


def _end_period(period: DefectPeriod) -> DefectPeriod:
    """Test setup: the period ran out today (instead of waiting twelve months)."""
    DefectPeriod.objects.filter(pk=period.pk).update(ends_on=days(0))
    return DefectPeriod.objects.select_related("project", "contract").get(pk=period.pk)


def test_a_defect_goes_to_the_contractor_and_is_verified(acc: Any, period: DefectPeriod) -> None:
    report = d.defect_report(actor=acc.pm, period=period, finding="三楼卫生间渗漏", location="三楼卫生间", deadline=days(10))
    notice = report.notice
    assert notice.source == "defect" and notice.responsible_org == acc.contractor_org and notice.deadline == days(10)
    refused(lambda: d.defect_report(actor=acc.contractor, period=period, finding="外墙渗水现象"))
    notice = notice_reply(actor=acc.contractor, notice=notice, text="已重做防水层并闭水试验")
    notice = notice_verify(actor=acc.pm, notice=notice, passed=True, opinion="修复合格")
    assert notice.status == "closed"


def test_the_deposit_return_needs_the_period_ended_and_deductions_for_unrepaired_defects(acc: Any, period: DefectPeriod) -> None:
    report = d.defect_report(actor=acc.pm, period=period, finding="屋面排水沟堵塞返水", deadline=days(5))
    refused(
        lambda: d.deposit_return_prepare(actor=acc.pm, period=period, deductions=[]), "closeout.deposit_early", "缺陷责任期未满"
    )
    period = _end_period(period)
    refused(
        lambda: d.deposit_return_prepare(actor=acc.pm, period=period, deductions=[]),
        "closeout.deposit_uncovered",
        report.notice.number,
    )
    refused(
        lambda: d.deposit_return_prepare(
            actor=acc.pm, period=period, deductions=[d.Deduction("委托第三方疏通", Decimal("9000"), report)]
        ),
        "closeout.deposit_exceeded",
        "8,400.00 元",
    )  # 280,000 × 3% = 8,400
    refused(lambda: d.deposit_return_prepare(actor=acc.contractor, period=period, deductions=[]))
    row = d.deposit_return_prepare(
        actor=acc.pm, period=period, deductions=[d.Deduction("委托第三方疏通排水沟", Decimal("1200.50"), report)]
    )
    assert (row.deposit_amount, row.deductions_total, row.return_amount) == (
        Decimal("8400.00"),
        Decimal("1200.50"),
        Decimal("7199.50"),
    )
    assert row.deductions.get().defect == report


def test_the_return_is_a_finance_payment_request_of_the_return_kind(acc: Any, period: DefectPeriod) -> None:
    from govworks.finance.models import PaymentRequest
    from govworks.finance.services.funds import funding_source_create
    from govworks.procurement.models import PaymentMilestone

    source = funding_source_create(
        actor=acc.finance, project=acc.project, kind="fiscal", name="一般公共预算", budget_year=2026,
        indicator_number="临财建〔2026〕1号", functional_class="2013650", economic_class="30905", amount=Decimal("500000"),
    )  # fmt: skip
    period = _end_period(period)
    d.deposit_return_prepare(actor=acc.pm, period=period, deductions=[])
    refused(lambda: d.deposit_return_request(actor=acc.pm, period=period, source=source), "closeout.deposit_milestone")
    PaymentMilestone.objects.create(
        contract=acc.main, seq=9, kind="retention_return", ratio=Decimal("0.03"), condition="缺陷责任期满"
    )
    row = d.deposit_return_request(actor=acc.pm, period=period, source=source)
    request = PaymentRequest.objects.get(pk=row.payment_request_id)
    assert request.kind == "retention_return" and request.amount == Decimal("8400.00") and request.status == "draft"
    assert DefectPeriod.objects.get(pk=period.pk).status == "requested"
    refused(lambda: d.deposit_return_request(actor=acc.pm, period=period, source=source), "closeout.deposit_not_prepared")


def test_the_wage_deposit_is_returned_after_its_publicity(acc: Any, period: DefectPeriod) -> None:
    from govworks.finance.services.labour import wage_deposit_record

    deposit = wage_deposit_record(
        actor=acc.pm, contract=acc.main, form="guarantee", amount=Decimal("5600"), deposited_on=days(-200),
        bank_name="中国建设银行临江支行", reference="BH-2026-01",
    )  # fmt: skip
    refused(
        lambda: d.wage_deposit_return_start(
            actor=acc.pm, period=period, deposit=deposit, pledge_note="无", publicity_from=days(0)
        ),
        "closeout.wage_pledge",
    )
    row = d.wage_deposit_return_start(
        actor=acc.pm, period=period, deposit=deposit, pledge_note="施工单位承诺无拖欠，已在项目部公示", publicity_from=days(0)
    )
    assert row.publicity_days == 30
    refused(
        lambda: d.wage_deposit_return_record(actor=acc.pm, row=row, returned_on=days(0), reference="JC-1"),
        "closeout.wage_publicity",
        "公示期30天",
    )
    WageDepositReturn.objects.filter(pk=row.pk).update(publicity_from=days(-30))  # test setup: the publicity ran
    row.refresh_from_db()
    row = d.wage_deposit_return_record(actor=acc.pm, row=row, returned_on=days(0), reference="保函解除〔2026〕1号")
    assert row.returned_on == days(0)
