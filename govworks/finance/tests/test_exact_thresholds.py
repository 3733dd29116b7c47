"""No rounding before a threshold (issue 11 item 6): every ratio that decides something is compared exactly;
rounding is only for what is shown. For random amounts each decision equals the exact comparison (done
here with ``Fraction``), and the case from acceptance testing — a cumulative change of 10.00002 % — needs
the higher approval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from hypothesis import example, given
from hypothesis import strategies as st

from govworks.construction import rules as construction_rules
from govworks.finance import rules as finance_rules
from govworks.procurement.rules_contracts import ContractParams, change_review
from govworks.procurement.rules_methods import ProcurementParams

D = Decimal
amounts = st.decimals(min_value=D("0.01"), max_value=D("99999999.99"), places=2)
changes = st.decimals(min_value=D("-9999999.99"), max_value=D("99999999.99"), places=2)
ratios = st.decimals(min_value=D("0.0001"), max_value=D("0.5"), places=6)


TEN = D("0.10")


def _params(reapproval: Decimal = TEN) -> ContractParams:
    procurement = ProcurementParams(
        mandatory_construction=D(4000000),
        mandatory_goods=D(2000000),
        mandatory_services=D(1000000),
        state_funds_min=D(2000000),
        state_funds_min_ratio=D("0.10"),
        gp_limit_goods_services=D(1000000),
        gp_limit_works=D(1200000),
        gp_open_goods_services=D(2000000),
        tender_period_min_days=20,
        candidate_publicity_min_days=3,
        contract_sign_max_days=30,
        bid_bond_max_ratio=D("0.02"),
        performance_bond_max_ratio=D("0.10"),
        single_source_addon_max_ratio=D("0.10"),
    )
    return ContractParams(
        advance_min_ratio=D("0.10"),
        advance_max_ratio=D("0.30"),
        progress_min_ratio=D("0.80"),
        progress_max_ratio=D("0.97"),
        qdep_max_ratio=D("0.03"),
        defect_period_max_months=24,
        reapproval_cumulative_ratio=reapproval,
        estimate_overrun_ratio=D("0.10"),
        large_fund_min_amount=D(300000),
        procurement=procurement,
    )


def test_a_cumulative_change_of_ten_point_00002_percent_needs_the_higher_approval() -> None:
    # given a 1,000,000.00 contract and changes of 100,000.20 in all (10.00002 %)
    review = change_review(D(0), D("100000.20"), D(1000000), None, D("1100000.20"), _params())
    # then it is above 10 % (rounded to four decimals it would read 10.00 % and pass)
    assert review.requires_higher_approval is True
    assert review.ratio_after == D("0.1000")  # kept and shown rounded
    assert "的 10.00002%，超过" in review.reasons[0]
    # and exactly 10 % still does not
    assert change_review(D(0), D(100000), D(1000000), None, D(1100000), _params()).requires_higher_approval is False


@given(amount=amounts, before=changes, change=changes, ratio=ratios)
@example(amount=D(1000000), before=D(0), change=D("100000.20"), ratio=D("0.10"))  # 10.00002 %
def test_change_review_decision_equals_the_exact_comparison(
    amount: Decimal, before: Decimal, change: Decimal, ratio: Decimal
) -> None:
    review = change_review(before, change, amount, None, D(0), _params(ratio))
    assert review.requires_higher_approval == (Fraction(before + change) / Fraction(amount) > Fraction(ratio))


CONTRACT = finance_rules.ContractFacts(
    number="HT-2026-0001",
    amount=D(100000000),
    approved_changes=D(0),
    advance_ratio=D("0.30"),
    progress_ratio=D("0.80"),
    quality_deposit_ratio=D("0.03"),
    signed=True,
    committed_total=D(0),
    advance_paid=D(0),
    advance_offset_before=D(0),
    progress_gross_before=D(0),
    settlement_committed=False,
    payee_account_id=7,
    defect_period_ends=None,
)
PAY = finance_rules.PaymentParams(advance_max_ratio=D("0.30"), progress_max_ratio=D("0.97"), large_fund_min_amount=D(300000))


def _progress_problems(confirmed: Decimal, gross: Decimal) -> list[str]:
    return finance_rules.payment_problems(
        contract=CONTRACT,
        request=finance_rules.RequestFacts("progress", gross, D(0), 7, confirmed),
        source=finance_rules.SourceFacts("财政", D(10**9), D(0), D(0)),
        freeze=finance_rules.FreezeFacts(None),
        supplier_problem=None,
        params=PAY,
        today=dt.date(2026, 12, 7),
    )


def test_progress_cap_is_not_rounded_up_before_the_comparison() -> None:
    # given a confirmed value of 500,000.01: 80 % is 400,000.008, so 400,000.01 is above it
    assert any(p.startswith("进度款比例") for p in _progress_problems(D("500000.01"), D("400000.01")))
    assert _progress_problems(D("500000.01"), D("400000.00")) == []


@given(confirmed=st.decimals(min_value=D(1), max_value=D("9999999.99"), places=2), share=st.fractions(0, 1))
@example(confirmed=D("500000.01"), share=Fraction(40000001, 50000001))  # 400,000.01 against 400,000.008
def test_progress_decision_equals_the_exact_comparison(confirmed: Decimal, share: Fraction) -> None:
    gross = D(round(Fraction(confirmed) * share * 100)) / 100  # any cent amount up to the confirmed value
    if gross <= 0:
        return
    refused = any(p.startswith("进度款比例") for p in _progress_problems(confirmed, gross))
    assert refused == (Fraction(gross) > Fraction(confirmed) * Fraction(D("0.80")))


LIGHT = construction_rules.LightParams(yellow_lag_points=D(10), red_lag_points=D(30), yellow_overdue_days=1, red_overdue_days=15)
DAY = dt.date(2026, 12, 7)


def test_light_compares_the_exact_lag() -> None:
    # given three finished-by-plan tasks confirmed at 100, 100 and 70.01: actual 90.0033…, lag 9.9966… points
    tasks = [
        construction_rules.TaskFacts(DAY - dt.timedelta(days=30), DAY - dt.timedelta(days=1), D(1), progress)
        for progress in (D(100), D(100), D("70.01"))
    ]
    planned, actual, _, decision = construction_rules.light_for_tasks(LIGHT, tasks, DAY)
    # then it is green, although the rounded figures shown (100.00 − 90.00) make 10 points
    assert (planned, actual) == (D("100.00"), D("90.00"))
    assert decision.light == construction_rules.GREEN


@given(progress=st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=6))
@example(progress=[D(100), D(100), D("70.01")])  # lag 9.9966… shown as 10.00
def test_light_decision_equals_the_exact_comparison(progress: list[Decimal]) -> None:
    tasks = [construction_rules.TaskFacts(DAY - dt.timedelta(days=30), DAY - dt.timedelta(days=1), D(1), p) for p in progress]
    lag = 100 - sum((Fraction(p) for p in progress), Fraction(0)) / len(progress)
    expected = construction_rules.RED if lag >= 30 else construction_rules.YELLOW if lag >= 10 else construction_rules.GREEN
    assert construction_rules.light_for_tasks(LIGHT, tasks, DAY)[3].light == expected
