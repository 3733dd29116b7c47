"""Settlement money only after settlement (issue 11 item 3): a 结算款 needs the completion acceptance passed
and the settlement amount approved — records the close-out module will keep and answer for through
``selectors.settlements``; until then the kind is refused at drafting and at submission with the rule
named. The final payment is capped at 审定金额 less the quality deposit, and the 结算审计 gate reads the
approved settlement, never a payment of a similar kind."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govworks.finance import rules
from govworks.finance.gates import _settlement_gate
from govworks.finance.models import PaymentRequest
from govworks.finance.services import payments
from govworks.finance.tests.conftest import milestone
from govworks.finance.tests.test_payments import draft, refused, state
from govworks.procurement.models import PaymentMilestone

D = Decimal
RULE = "结算款须在竣工验收合格且结算审定后支付"


def test_settlement_rules_are_pure_decisions() -> None:
    # given no provider's answer, then the rule names what is missing
    assert rules.settlement_readiness_problem(rules.NO_SETTLEMENT) == f"{RULE}（结算审计尚未完成）"
    not_accepted = rules.SettlementState(acceptance_passed=False, approved_amount=D(900000))
    assert rules.settlement_readiness_problem(not_accepted) == f"{RULE}（竣工验收尚未合格）"
    not_audited = rules.SettlementState(acceptance_passed=True, approved_amount=None)
    assert rules.settlement_readiness_problem(not_audited) == f"{RULE}（结算金额尚未审定）"
    assert rules.settlement_readiness_problem(rules.SettlementState(True, D(900000))) is None
    # the final-payment cap: 审定金额 less the quality deposit, exact (no rounding before the comparison)
    assert rules.settlement_payment_cap(approved_amount=D(900000), quality_deposit_ratio=D("0.03")) == D(873000)
    assert rules.settlement_payment_cap(approved_amount=D("100000.01"), quality_deposit_ratio=D("0.03")) == D("97000.0097")


def test_settlement_kind_is_refused_at_drafting_without_an_approved_settlement(fin: Any) -> None:
    # given a signed contract in 合同 stage and no close-out records (no provider registered)
    # when the clerk drafts a settlement payment, then it is refused naming the rule, and nothing changes
    err = refused(lambda: draft(fin, "settlement", "500000"), "finance.settlement_not_ready", f"{RULE}（结算审计尚未完成）")
    assert err.field == "milestone"
    assert PaymentRequest.objects.count() == 0


def test_settlement_kind_is_refused_at_submission_when_the_settlement_is_not_ready(fin: Any, settled: Any) -> None:
    # given a settlement drafted while the settlement was approved, then the acceptance found not passed
    settled(fin.contract, "1000000")
    request = draft(fin, "settlement", "500000")
    settled(fin.contract, "1000000", acceptance_passed=False)
    # when it is submitted, then it is refused naming the rule, and nothing changes
    refused(
        lambda: payments.payment_request_submit(actor=fin.pm, request=request),
        "finance.payment_refused",
        f"{RULE}（竣工验收尚未合格）",
    )
    assert PaymentRequest.objects.get().status == PaymentRequest.Status.DRAFT


def test_final_payment_is_capped_at_the_approved_amount_less_the_deposit(fin: Any, settled: Any) -> None:
    # given the settlement approved at 900,000.00 on a 1,000,000.00 contract with a 3% deposit
    settled(fin.contract, "900000")
    over = draft(fin, "settlement", "873000.01")
    # when 873,000.01 is submitted, then it is refused naming the approved amount and the cap
    refused(
        lambda: payments.payment_request_submit(actor=fin.pm, request=over),
        "finance.payment_refused",
        "质量保证金预留：结算后累计付款 873,000.01 元 将超过 873,000.00 元",
        "（结算审定金额 900,000.00 元 扣留质量保证金 3%）",
    )
    # and exactly the cap passes
    ok = payments.payment_request_submit(actor=fin.pm, request=draft(fin, "settlement", "873000"))
    assert ok.status == PaymentRequest.Status.SUBMITTED


def test_settlement_gate_reads_the_approved_settlement_not_a_settlement_payment(fin: Any, settled: Any) -> None:
    # given an approved settlement payment row as the old code let one be raised in 施工 (data only)
    PaymentRequest.objects.create(
        project=fin.project,
        contract=fin.contract,
        milestone=milestone(fin.contract, "settlement"),
        source=fin.source,
        kind=PaymentMilestone.Kind.SETTLEMENT,
        number="FK-2026-9999",
        gross_amount=D(500000),
        advance_offset=D(0),
        amount=D(500000),
        payee_account_id=fin.contract.payee_account_id,
        purpose="结算款",
        created_by=fin.pm,
        status=PaymentRequest.Status.APPROVED,
        approved_at=timezone.now(),
    )
    # then the gate stays closed: it names the settlement it waits for
    [condition] = _settlement_gate(fin.project)
    assert condition.ok is False
    assert condition.detail == f"合同{fin.contract.number}：{RULE}（结算审计尚未完成）"
    # when the settlement is approved, then the gate opens naming the approved amount and its reference
    settled(fin.contract, "960000")
    [condition] = _settlement_gate(fin.project)
    assert condition.ok is True
    assert condition.detail == f"合同{fin.contract.number}结算审定金额 960,000.00 元（临审结〔2026〕3号）"


def test_the_request_page_refuses_a_settlement_with_the_rule_and_changes_nothing(client: Client, fin: Any) -> None:
    # given the clerk on the payment request page
    client.force_login(fin.pm)
    url = reverse("finance:request_create", args=[fin.project.pk])
    before = state()
    # when a settlement payment is drafted there, then the form shows the rule and nothing is written
    response = client.post(
        url,
        {
            "milestone": milestone(fin.contract, "settlement").pk,
            "source": fin.source.pk,
            "gross_amount": "500000",
            "purpose": "结算款",
        },
    )
    assert response.status_code == 400
    assert f"{RULE}（结算审计尚未完成）" in response.content.decode()
    assert state() == before
