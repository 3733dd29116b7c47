"""Pure procurement decisions (issue 4): methods, splitting, bonds, time limits, evaluation ranking."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govworks.core.errors import DomainError
from govworks.core.rule_parameters import SEED, parse_value
from govworks.procurement.rules_methods import (
    Bid,
    Category,
    Criterion,
    CriterionKind,
    ExceptionKind,
    Ground,
    LegalException,
    Lot,
    LotRef,
    Method,
    MethodDecision,
    ProcurementParams,
    Score,
    bid_bond_problem,
    candidate_publicity_problem,
    contract_signing_problem,
    performance_bond_problem,
    rank_by_comprehensive_score,
    rank_by_lowest_price,
    single_source_addon_problem,
    split_problem,
    tender_period_problem,
)
from govworks.procurement.rules_methods import (
    allowed_methods as decide_methods,
)

D = Decimal
PARAMS = ProcurementParams.from_values({p.key: parse_value(p.value_type, p.value) for p in SEED})
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def budget_lot(category: Category, amount: str, **kwargs: object) -> Lot:
    """A lot of a project fully paid from the budget (in the 16号令 scope when the budget is ≥ 2,000,000)."""
    values: dict[str, object] = {
        "category": category,
        "estimated_amount": D(amount),
        "is_government_procurement": True,
        "state_funds_amount": D("10000000"),
        "total_investment": D("10000000"),
    }
    values.update(kwargs)
    return Lot(**values)  # type: ignore[arg-type]


def allowed_methods(
    lot: Lot, *, combined_total: Decimal | None = None, exception: LegalException | None = None
) -> MethodDecision:
    return decide_methods(lot, params=PARAMS, combined_total=combined_total, exception=exception)


# ------------------------------------------------------------------------------------------ parameters


def test_params_read_every_key_from_the_seed() -> None:
    seeded = {p.key for p in SEED}
    assert set(ProcurementParams.KEYS.values()) <= seeded
    assert PARAMS.mandatory_construction == D("4000000")
    assert PARAMS.state_funds_min_ratio == D("0.10")
    assert PARAMS.bid_bond_max_ratio == D("0.02")
    assert PARAMS.tender_period_min_days == 20


def test_params_refuse_a_missing_key_and_a_percentage_given_as_a_whole_number() -> None:
    values = {p.key: parse_value(p.value_type, p.value) for p in SEED}
    del values["bid.bid_bond_max_ratio"]
    with pytest.raises(ValueError, match=re.escape("bid.bid_bond_max_ratio")):
        ProcurementParams.from_values(values)
    values["bid.bid_bond_max_ratio"] = D("2")
    with pytest.raises(ValueError, match="0 到 1"):
        ProcurementParams.from_values(values)


# ------------------------------------------------------------------------------------------ done-when


def test_works_lot_of_4_2m_cannot_use_competitive_consultation_without_an_approved_exception() -> None:
    lot = budget_lot(Category.WORKS, "4200000", grounds=frozenset({Ground.TECHNICALLY_COMPLEX}))
    decision = allowed_methods(lot)
    assert decision.mandatory_tender
    assert not decision.is_allowed(Method.COMPETITIVE_CONSULTATION)
    reason = decision.reason(Method.COMPETITIVE_CONSULTATION)
    assert reason is not None
    assert "施工单项合同估算价 4,200,000.00 元达到“施工单项合同必须招标金额”4,000,000.00 元，必须公开招标或邀请招标" in reason
    assert "未记录经批准的法定例外" in reason
    assert decision.required == (Method.OPEN_TENDER, Method.INVITED_TENDER)
    assert decision.allowed == (Method.OPEN_TENDER,)


def test_an_approved_legal_exception_allows_consultation_for_the_mandatory_works_lot() -> None:
    lot = budget_lot(Category.WORKS, "4200000")
    exception = LegalException(ExceptionKind.PATENT_PROPRIETARY, "某发改投资〔2026〕12号")
    decision = allowed_methods(lot, exception=exception)
    assert decision.mandatory_tender
    assert decision.exception_applied
    assert decision.is_allowed(Method.COMPETITIVE_CONSULTATION)
    assert decision.is_allowed(Method.COMPETITIVE_NEGOTIATION)
    assert decision.required == ()
    assert any("某发改投资〔2026〕12号" in note for note in decision.notes)
    # the exception lifts the obligation, not the definitions of the methods
    assert not decision.is_allowed(Method.INQUIRY)
    assert not decision.is_allowed(Method.SINGLE_SOURCE)


def test_an_exception_without_approval_reference_or_of_the_wrong_kind_does_not_help() -> None:
    lot = budget_lot(Category.WORKS, "4200000")
    blank = allowed_methods(lot, exception=LegalException(ExceptionKind.PATENT_PROPRIETARY, "  "))
    assert not blank.is_allowed(Method.COMPETITIVE_CONSULTATION)
    assert "未记录批准文号" in (blank.reason(Method.COMPETITIVE_CONSULTATION) or "")
    gp_only = allowed_methods(lot, exception=LegalException(ExceptionKind.GP_NON_OPEN_APPROVAL, "某财采〔2026〕3号"))
    assert not gp_only.is_allowed(Method.COMPETITIVE_CONSULTATION)
    assert "不免除该项义务" in (gp_only.reason(Method.COMPETITIVE_CONSULTATION) or "")


def test_a_tender_law_exemption_does_not_lift_the_gp_open_tender_duty_but_an_emergency_lifts_both() -> None:
    lot = budget_lot(Category.GOODS, "2500000", grounds=frozenset({Ground.SOLE_SUPPLIER, Ground.UNFORESEEN_EMERGENCY}))
    patent = allowed_methods(lot, exception=LegalException(ExceptionKind.PATENT_PROPRIETARY, "某发改〔2026〕8号"))
    assert patent.mandatory_tender and patent.gp_open_tender
    assert patent.allowed == (Method.OPEN_TENDER,)
    assert "“货物服务公开招标数额标准”2,000,000.00 元" in (patent.reason(Method.SINGLE_SOURCE) or "")
    emergency = allowed_methods(lot, exception=LegalException(ExceptionKind.EMERGENCY_RESCUE, "某应急〔2026〕2号"))
    assert emergency.is_allowed(Method.SINGLE_SOURCE)
    assert emergency.required == ()


def test_an_exception_naming_its_methods_allows_only_those() -> None:
    lot = budget_lot(Category.WORKS, "4200000", grounds=frozenset({Ground.SOLE_SUPPLIER}))
    exception = LegalException(ExceptionKind.PATENT_PROPRIETARY, "某发改〔2026〕7号", frozenset({Method.SINGLE_SOURCE}))
    decision = allowed_methods(lot, exception=exception)
    assert decision.is_allowed(Method.SINGLE_SOURCE)
    assert not decision.is_allowed(Method.COMPETITIVE_CONSULTATION)
    assert "未包括竞争性磋商" in (decision.reason(Method.COMPETITIVE_CONSULTATION) or "")


def test_two_lots_of_2_1m_in_one_project_and_category_are_refused_as_a_split_naming_both() -> None:
    lots = [
        LotRef("GW-2026-001-01 一标段", "GW-2026-001", Category.WORKS, D("2100000")),
        LotRef("GW-2026-001-02 二标段", "GW-2026-001", Category.WORKS, D("2100000")),
    ]
    problem = split_problem(lots, params=PARAMS)
    assert problem is not None
    assert "化整为零" in problem
    assert "GW-2026-001-01 一标段（2,100,000.00 元）" in problem
    assert "GW-2026-001-02 二标段（2,100,000.00 元）" in problem
    assert "合计 4,200,000.00 元" in problem
    assert "“施工单项合同必须招标金额”4,000,000.00 元" in problem


def test_no_split_across_projects_categories_non_combinable_lots_or_below_the_threshold() -> None:
    a = LotRef("A", "P1", Category.WORKS, D("2100000"))
    assert split_problem([a, LotRef("B", "P2", Category.WORKS, D("2100000"))], params=PARAMS) is None
    assert split_problem([a, LotRef("B", "P1", Category.GOODS, D("2100000"))], params=PARAMS) is None
    assert split_problem([a, LotRef("B", "P1", Category.WORKS, D("2100000"), combinable=False)], params=PARAMS) is None
    assert split_problem([a, LotRef("B", "P1", Category.WORKS, D("1899999.99"))], params=PARAMS) is None
    assert split_problem([a, LotRef("B", "P1", Category.WORKS, D("1900000"))], params=PARAMS) is not None
    # a lot that is mandatory on its own is not part of the split; the small ones still are
    big = LotRef("BIG", "P1", Category.WORKS, D("5000000"))
    assert split_problem([big, a], params=PARAMS) is None
    services = [LotRef(f"S{i}", "P1", Category.SERVICES, D("500000")) for i in range(2)]
    assert "“勘察设计监理等服务单项合同必须招标金额”1,000,000.00 元" in (split_problem(services, params=PARAMS) or "")


def test_the_combined_total_makes_each_lot_mandatory() -> None:
    lot = budget_lot(Category.WORKS, "2100000")
    decision = allowed_methods(lot, combined_total=D("4200000"))
    assert decision.mandatory_tender
    reason = decision.reason(Method.COMPETITIVE_NEGOTIATION) or ""
    assert "同一项目可合并采购的施工合同估算价合计 4,200,000.00 元达到“施工单项合同必须招标金额”" in reason
    assert not allowed_methods(lot, combined_total=D("3999999.99")).mandatory_tender


# ------------------------------------------------------------------------------------------ boundaries


@pytest.mark.parametrize(
    ("category", "at", "below"),
    [
        (Category.WORKS, "4000000", "3999999.99"),
        (Category.GOODS, "2000000", "1999999.99"),
        (Category.SERVICES, "1000000", "999999.99"),
    ],
)
def test_mandatory_thresholds_include_the_number(category: Category, at: str, below: str) -> None:
    lot = budget_lot(category, at, is_government_procurement=False)
    assert allowed_methods(lot).mandatory_tender
    lot = budget_lot(category, below, is_government_procurement=False)
    assert not allowed_methods(lot).mandatory_tender


def test_state_funds_scope_needs_both_the_amount_and_the_share() -> None:
    def decide(funds: str, investment: str) -> bool:
        lot = budget_lot(
            Category.WORKS,
            "4200000",
            is_government_procurement=False,
            state_funds_amount=D(funds),
            total_investment=D(investment),
        )
        return allowed_methods(lot).mandatory_tender

    assert decide("2000000", "20000000")  # exactly 2,000,000 and exactly 10%
    assert not decide("1999999.99", "19999999.90")  # 10% but below 2,000,000
    assert not decide("2000000", "20000000.01")  # 2,000,000 but just below 10%
    assert not decide("0", "20000000")
    lot = budget_lot(
        Category.WORKS,
        "4200000",
        is_government_procurement=False,
        state_funds_amount=D("1000000"),
        total_investment=D("50000000"),
    )
    decision = allowed_methods(lot)
    assert not decision.mandatory_tender
    assert any(
        "低于“使用预算资金必须招标的资金额”2,000,000.00 元" in n and "“使用预算资金必须招标的资金占比”10%" in n
        for n in decision.notes
    )


def test_another_recorded_scope_basis_puts_the_project_in_scope() -> None:
    lot = budget_lot(
        Category.WORKS, "4000000", state_funds_amount=D(0), total_investment=D(0), other_mandatory_scope="使用国际组织贷款资金"
    )
    assert allowed_methods(lot).mandatory_tender


# ------------------------------------------------------------------------------------------ government procurement


def test_goods_at_the_open_tender_threshold_must_be_openly_tendered() -> None:
    lot = Lot(Category.GOODS, D("2000000"), True, grounds=frozenset({Ground.STANDARD_SPOT_GOODS}))
    decision = allowed_methods(lot)
    assert not decision.mandatory_tender  # no budget funds recorded: outside 16号令
    assert decision.gp_open_tender
    assert decision.required == (Method.OPEN_TENDER,)
    assert decision.allowed == (Method.OPEN_TENDER,)
    assert "达到“货物服务公开招标数额标准”2,000,000.00 元，必须公开招标" in (decision.reason(Method.INQUIRY) or "")
    approved = allowed_methods(lot, exception=LegalException(ExceptionKind.GP_NON_OPEN_APPROVAL, "某财采〔2026〕3号"))
    assert approved.is_allowed(Method.INQUIRY)
    assert not approved.is_allowed(Method.INVITED_TENDER)  # no invited-tender ground recorded


def test_goods_just_below_the_open_tender_threshold_may_use_inquiry_with_its_ground() -> None:
    lot = Lot(Category.GOODS, D("1999999.99"), True)
    decision = allowed_methods(lot)
    assert decision.gp_applies and not decision.gp_open_tender
    assert "询价须记录适用情形之一" in (decision.reason(Method.INQUIRY) or "")
    lot = Lot(Category.GOODS, D("1999999.99"), True, grounds=frozenset({Ground.STANDARD_SPOT_GOODS}))
    assert allowed_methods(lot).is_allowed(Method.INQUIRY)


def test_gp_works_below_the_mandatory_threshold_may_be_negotiated_but_not_inquired() -> None:
    lot = budget_lot(Category.WORKS, "3999999.99")
    decision = allowed_methods(lot)
    assert decision.gp_applies and not decision.mandatory_tender
    assert decision.is_allowed(Method.COMPETITIVE_CONSULTATION)
    assert decision.is_allowed(Method.COMPETITIVE_NEGOTIATION)
    assert "询价仅适用于货物采购" in (decision.reason(Method.INQUIRY) or "")
    assert "不适用于工程" in (decision.reason(Method.FRAMEWORK_AGREEMENT) or "")
    assert "邀请招标须记录适用情形之一" in (decision.reason(Method.INVITED_TENDER) or "")
    assert decision.required == ()


def test_services_consultation_needs_a_ground_under_government_procurement() -> None:
    lot = Lot(Category.SERVICES, D("1500000"), True)
    assert not allowed_methods(lot).is_allowed(Method.COMPETITIVE_CONSULTATION)
    lot = Lot(Category.SERVICES, D("1500000"), True, grounds=frozenset({Ground.GOVERNMENT_PURCHASED_SERVICE}))
    assert allowed_methods(lot).is_allowed(Method.COMPETITIVE_CONSULTATION)


def test_decentralized_limit_includes_the_number() -> None:
    assert allowed_methods(Lot(Category.WORKS, D("1200000"), True)).gp_applies
    below = allowed_methods(Lot(Category.WORKS, D("1199999.99"), True))
    assert not below.gp_applies
    assert below.is_allowed(Method.INVITED_TENDER)  # the agency's own rules: no statutory ground needed
    assert not below.is_allowed(Method.SINGLE_SOURCE)  # a direct award always needs its reason
    assert allowed_methods(Lot(Category.GOODS, D("1000000"), True)).gp_applies
    assert not allowed_methods(Lot(Category.GOODS, D("999999.99"), True)).gp_applies


def test_framework_agreement_needs_repeated_purchases_of_goods_or_services() -> None:
    assert not allowed_methods(Lot(Category.GOODS, D("500000"), True)).is_allowed(Method.FRAMEWORK_AGREEMENT)
    lot = Lot(Category.SERVICES, D("500000"), True, grounds=frozenset({Ground.REPEATED_PURCHASES}))
    assert allowed_methods(lot).is_allowed(Method.FRAMEWORK_AGREEMENT)


# ------------------------------------------------------------------------------------------ single source


def test_single_source_needs_a_recorded_reason_category() -> None:
    lot = Lot(Category.GOODS, D("500000"), True)
    assert "单一来源采购须记录事由类别" in (allowed_methods(lot).reason(Method.SINGLE_SOURCE) or "")
    lot = Lot(Category.GOODS, D("500000"), True, grounds=frozenset({Ground.SOLE_SUPPLIER}))
    assert allowed_methods(lot).is_allowed(Method.SINGLE_SOURCE)


def test_single_source_addon_stays_within_ten_percent_of_the_original_contract() -> None:
    def lot(amount: str, original: str | None, previous: str = "0") -> Lot:
        return Lot(
            Category.GOODS,
            D(amount),
            True,
            grounds=frozenset({Ground.CONSISTENCY_ADDON}),
            original_contract_amount=None if original is None else D(original),
            previous_addons_total=D(previous),
        )

    assert allowed_methods(lot("100000", "1000000")).is_allowed(Method.SINGLE_SOURCE)
    assert "须登记原合同采购金额" in (allowed_methods(lot("100000", None)).reason(Method.SINGLE_SOURCE) or "")
    reason = allowed_methods(lot("60000", "1000000", previous="40000.01")).reason(Method.SINGLE_SOURCE) or ""
    assert "添购资金总额 100,000.01 元超过原合同采购金额 1,000,000.00 元的 10%（“单一来源添购上限（占原合同）”）" in reason
    assert single_source_addon_problem(D("100000"), D("1000000"), params=PARAMS) is None
    assert single_source_addon_problem(D("100000.01"), D("1000000"), params=PARAMS) is not None


# ------------------------------------------------------------------------------------------ bonds, time limits


def test_bid_bond_at_exactly_two_percent_is_allowed_and_above_is_refused() -> None:
    assert bid_bond_problem(D("84000"), D("4200000"), params=PARAMS) is None
    problem = bid_bond_problem(D("84420"), D("4200000"), params=PARAMS)  # 2.01%
    assert problem == ("投标保证金 84,420.00 元超过招标项目估算价 4,200,000.00 元的 2%（“投标保证金上限”），上限为 84,000.00 元")
    assert bid_bond_problem(D("-1"), D("4200000"), params=PARAMS) is not None
    assert bid_bond_problem(D("1"), D("0"), params=PARAMS) is not None


def test_performance_bond_at_exactly_ten_percent_is_allowed_and_above_is_refused() -> None:
    assert performance_bond_problem(D("420000"), D("4200000"), params=PARAMS) is None
    problem = performance_bond_problem(D("420420"), D("4200000"), params=PARAMS)  # 10.01%
    assert problem is not None and "“履约保证金上限”" in problem and "10%" in problem


def test_tender_period_of_20_days_is_enough_and_19_is_not() -> None:
    issued = dt.date(2026, 3, 1)
    assert tender_period_problem(issued, dt.date(2026, 3, 21), params=PARAMS) is None
    problem = tender_period_problem(issued, dt.date(2026, 3, 20), params=PARAMS)
    assert problem == (
        "招标文件 2026-03-01 发出至投标截止 2026-03-20 仅 19 日，少于“招标文件发出至投标截止最短天数”20 日，投标截止最早为 2026-03-21"
    )


def test_candidate_publicity_counts_both_the_first_and_the_last_day() -> None:
    assert candidate_publicity_problem(dt.date(2026, 5, 8), dt.date(2026, 5, 10), params=PARAMS) is None
    problem = candidate_publicity_problem(dt.date(2026, 5, 8), dt.date(2026, 5, 9), params=PARAMS)
    assert problem is not None and "共 2 日" in problem and "“中标候选人公示最短天数”3 日" in problem
    assert candidate_publicity_problem(dt.date(2026, 5, 8), dt.date(2026, 5, 7), params=PARAMS) is not None


def test_contract_must_be_signed_within_30_days_of_the_award_notice() -> None:
    notice = dt.date(2026, 6, 1)
    assert contract_signing_problem(notice, dt.date(2026, 7, 1), params=PARAMS) is None  # day 30
    problem = contract_signing_problem(notice, dt.date(2026, 7, 2), params=PARAMS)
    assert problem is not None and "第 31 日" in problem and "“中标通知书发出后签订合同最长天数”30 日" in problem
    assert "早于中标通知书" in (contract_signing_problem(notice, dt.date(2026, 5, 31), params=PARAMS) or "")


# ------------------------------------------------------------------------------------------ ranking


def test_lowest_price_ranks_by_price_then_earlier_submission_and_excludes_invalid_bids() -> None:
    bids = [
        Bid("丙公司", D("950000"), T0 + dt.timedelta(minutes=1)),
        Bid("甲公司", D("900000"), T0 + dt.timedelta(minutes=5)),
        Bid("乙公司", D("900000"), T0 + dt.timedelta(minutes=2)),
        Bid("丁公司", D("800000"), T0, valid=False, invalid_reason="未按要求提交投标保证金"),
    ]
    result = rank_by_lowest_price(bids)
    assert [(r.rank, r.bidder) for r in result.ranking] == [(1, "乙公司"), (2, "甲公司"), (3, "丙公司")]
    assert result.excluded == (("丁公司", "未按要求提交投标保证金"),)
    with pytest.raises(DomainError):
        rank_by_lowest_price([Bid("甲", D("1"), T0, valid=False)])


CRITERIA = [
    Criterion("price", "价格", D(30), CriterionKind.PRICE),
    Criterion("tech", "技术方案", D(50), CriterionKind.TECHNICAL),
    Criterion("biz", "商务资信", D(20), CriterionKind.COMMERCIAL),
]


def scores_from(table: dict[str, dict[str, list[int]]]) -> list[Score]:
    """{bidder: {criterion: [points of E1, E2, …]}} → stored scores."""
    return [
        Score(f"E{i}", bidder, code, D(p))
        for bidder, per_criterion in table.items()
        for code, points in per_criterion.items()
        for i, p in enumerate(points, start=1)
    ]


def test_comprehensive_score_worked_example() -> None:
    bids = [Bid("A", D("1000000"), T0), Bid("B", D("900000"), T0), Bid("C", D("950000"), T0)]
    scores = scores_from(
        {
            "A": {"tech": [45, 44, 46], "biz": [18, 18, 17]},
            "B": {"tech": [40, 41, 39], "biz": [19, 19, 19]},
            "C": {"tech": [42, 43, 43], "biz": [15, 16, 17]},
        }
    )
    result = rank_by_comprehensive_score(bids, CRITERIA, scores)
    assert result.benchmark_price == D("900000")
    table = [(r.rank, r.bidder, r.price_score, r.technical_score, r.commercial_score, r.total) for r in result.ranking]
    assert table == [
        (1, "A", D("27.00"), D("45.00"), D("17.67"), D("89.67")),
        (2, "B", D("30.00"), D("40.00"), D("19.00"), D("89.00")),
        (3, "C", D("28.42"), D("42.67"), D("16.00"), D("87.09")),
    ]
    c_price = result.ranking[2].breakdown[0]
    assert c_price.detail == "900,000.00 元 ÷ 950,000.00 元 × 30 = 28.42"
    assert "评委打分 E1 42、E2 43、E3 43，平均 42.67" in result.ranking[2].breakdown[1].detail
    assert "评标基准价" in result.formula


def test_comprehensive_ties_go_to_the_technical_score_then_the_lower_price_then_the_earlier_bid() -> None:
    criteria = [
        Criterion("price", "价格", D(40), CriterionKind.PRICE),
        Criterion("tech", "技术", D(40), CriterionKind.TECHNICAL),
        Criterion("biz", "商务", D(20), CriterionKind.COMMERCIAL),
    ]
    # equal totals (80), B has the higher technical score
    bids = [Bid("A", D("100"), T0), Bid("B", D("125"), T0)]
    scores = scores_from({"A": {"tech": [30], "biz": [10]}, "B": {"tech": [38], "biz": [10]}})
    assert [r.bidder for r in rank_by_comprehensive_score(bids, criteria, scores).ranking] == ["B", "A"]
    # equal totals and technical scores: the lower price first
    scores = scores_from({"A": {"tech": [30], "biz": [10]}, "B": {"tech": [30], "biz": [18]}})
    assert [r.bidder for r in rank_by_comprehensive_score(bids, criteria, scores).ranking] == ["A", "B"]
    # everything equal: the earlier submission first
    bids = [Bid("A", D("100"), T0 + dt.timedelta(seconds=1)), Bid("B", D("100"), T0)]
    scores = scores_from({"A": {"tech": [30], "biz": [10]}, "B": {"tech": [30], "biz": [10]}})
    assert [r.bidder for r in rank_by_comprehensive_score(bids, criteria, scores).ranking] == ["B", "A"]


def test_comprehensive_refuses_bad_weights_and_bad_or_missing_scores() -> None:
    bids = [Bid("A", D("100"), T0), Bid("B", D("110"), T0)]
    good = scores_from({"A": {"tech": [40], "biz": [10]}, "B": {"tech": [40], "biz": [10]}})
    wrong_weights = [*CRITERIA[:2], Criterion("biz", "商务资信", D(19), CriterionKind.COMMERCIAL)]
    with pytest.raises(DomainError, match="权重合计为 99，应为 100"):
        rank_by_comprehensive_score(bids, wrong_weights, good)
    no_price = [Criterion("tech", "技术", D(100))]
    with pytest.raises(DomainError, match="有且仅有一个价格因素"):
        rank_by_comprehensive_score(bids, no_price, [])
    with pytest.raises(DomainError, match="超出 0–50 分"):
        rank_by_comprehensive_score(bids, CRITERIA, [*good[1:], Score("E1", "A", "tech", D("50.5"))])
    with pytest.raises(DomainError, match="未对投标人 B 的“商务资信”打分"):
        rank_by_comprehensive_score(bids, CRITERIA, good[:-1])
    with pytest.raises(DomainError, match="重复打分"):
        rank_by_comprehensive_score(bids, CRITERIA, [*good, good[0]])
    with pytest.raises(DomainError, match="价格分由公式计算"):
        rank_by_comprehensive_score(bids, CRITERIA, [*good, Score("E1", "A", "price", D(10))])


# ------------------------------------------------------------------------------------------ property


def _independent_ranking(bids: list[Bid], criteria: list[Criterion], scores: list[Score]) -> list[tuple[str, Fraction]]:
    """A separate, plain re-implementation of the documented formula, exact arithmetic throughout."""

    def half_up_cents(x: Fraction) -> Fraction:
        return Fraction(math.floor(x * 100 + Fraction(1, 2)), 100)

    valid = [b for b in bids if b.valid]
    low = min(Fraction(b.price) for b in valid)
    price_weight = Fraction(next(c.weight for c in criteria if c.kind == CriterionKind.PRICE))
    rows = []
    for b in valid:
        total = half_up_cents(low * price_weight / Fraction(b.price))
        technical = Fraction(0)
        for c in criteria:
            if c.kind == CriterionKind.PRICE:
                continue
            given = [Fraction(s.points) for s in scores if s.bidder == b.bidder and s.criterion == c.code]
            mean = half_up_cents(sum(given, Fraction(0)) / len(given))
            total += mean
            if c.kind == CriterionKind.TECHNICAL:
                technical += mean
        rows.append((-total, -technical, b.price, b.submitted_at, b.bidder, total))
    rows.sort()
    return [(row[4], row[5]) for row in rows]


@st.composite
def evaluations(draw: st.DrawFn) -> tuple[list[Bid], list[Criterion], list[Score]]:
    price_weight = draw(st.integers(10, 70))
    n_other = draw(st.integers(1, 3))
    cuts = sorted(draw(st.lists(st.integers(0, 100 - price_weight), min_size=n_other - 1, max_size=n_other - 1)))
    bounds = [0, *cuts, 100 - price_weight]
    criteria = [Criterion("price", "价格", D(price_weight), CriterionKind.PRICE)]
    for i in range(n_other):
        kind = draw(st.sampled_from([CriterionKind.TECHNICAL, CriterionKind.COMMERCIAL]))
        criteria.append(Criterion(f"c{i}", f"因素{i}", D(bounds[i + 1] - bounds[i]), kind))
    n_bids = draw(st.integers(1, 5))
    bids = [
        Bid(
            f"投标人{i}",
            D(draw(st.integers(1, 5))) * D(draw(st.sampled_from(["100000", "100000.01", "99999.99", "123456.78"]))),
            T0 + dt.timedelta(seconds=draw(st.integers(0, 3))),
            valid=(i == 0 or draw(st.booleans())),
        )
        for i in range(n_bids)
    ]
    evaluators = [f"E{i}" for i in range(draw(st.integers(1, 5)))]
    scores = [
        Score(e, b.bidder, c.code, D(draw(st.integers(0, int(c.weight) * 2))) / 2)
        for e in evaluators
        for b in bids
        if b.valid
        for c in criteria[1:]
    ]
    return bids, criteria, draw(st.permutations(scores))


@settings(max_examples=300, deadline=None)
@given(evaluations())
def test_the_ranking_equals_an_independent_calculation_from_the_stored_scores(
    case: tuple[list[Bid], list[Criterion], list[Score]],
) -> None:
    bids, criteria, scores = case
    result = rank_by_comprehensive_score(bids, criteria, scores)
    expected = _independent_ranking(bids, criteria, scores)
    assert [(r.bidder, Fraction(r.total)) for r in result.ranking] == expected
    assert [r.rank for r in result.ranking] == list(range(1, len(expected) + 1))
    for r in result.ranking:
        assert r.total == sum((c.points for c in r.breakdown), D(0))
    # the input order of bids and scores does not matter
    again = rank_by_comprehensive_score(list(reversed(bids)), list(reversed(criteria)), list(reversed(scores)))
    assert [(r.rank, r.bidder, r.total) for r in again.ranking] == [(r.rank, r.bidder, r.total) for r in result.ranking]
