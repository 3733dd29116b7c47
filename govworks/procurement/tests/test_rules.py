"""Pure rules of the supplier register: listing periods (both ends included), award refusals, the credit
score's formula, bounds and monotonicity."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from govworks.procurement import rules
from govworks.procurement.rules import EvaluationFacts, ListingFacts, QualificationFacts

ON = dt.date(2026, 6, 30)


def listing(
    kind: str = "black",
    starts: dt.date = dt.date(2026, 3, 1),
    ends: dt.date | None = dt.date(2026, 3, 31),
    lifted: dt.date | None = None,
) -> ListingFacts:
    return ListingFacts(
        kind=kind,
        starts_on=starts,
        ends_on=ends,
        lifted_on=lifted,
        reason="违法分包",
        deciding_authority="临江市住房和城乡建设局",
        deciding_document="临建罚〔2026〕17号",
    )


def qual(
    expires: dt.date, kind: str = "建筑工程施工总承包", category: str = "general_contracting", number: str = "D1"
) -> QualificationFacts:
    return QualificationFacts(kind=kind, grade="二级", certificate_number=number, expires_on=expires, category=category)


def test_listing_in_force_includes_both_ends() -> None:
    x = listing()
    assert not rules.listing_in_force(x, dt.date(2026, 2, 28))
    assert rules.listing_in_force(x, dt.date(2026, 3, 1))
    assert rules.listing_in_force(x, dt.date(2026, 3, 31))
    assert not rules.listing_in_force(x, dt.date(2026, 4, 1))


def test_open_ended_listing_and_lifting() -> None:
    x = listing(ends=None, lifted=dt.date(2026, 5, 10))
    assert rules.listing_in_force(x, dt.date(2026, 5, 9))
    assert not rules.listing_in_force(x, dt.date(2026, 5, 10))


def test_status_worst_wins() -> None:
    grey = listing("grey", ends=None)
    black = listing("black")
    assert rules.listing_status_on([grey, black], dt.date(2026, 3, 15)) == "black"
    assert rules.listing_status_on([grey, black], dt.date(2026, 4, 1)) == "grey"
    assert rules.listing_status_on([], dt.date(2026, 4, 1)) == "normal"


def test_award_refused_while_black_names_authority_document_period() -> None:
    problem = rules.award_problem(listings=[listing()], qualifications=[], on=dt.date(2026, 3, 31))
    assert (
        problem
        == "该供应商已被临江市住房和城乡建设局以《临建罚〔2026〕17号》列入黑名单（2026-03-01 至 2026-03-31），不得授予合同"
    )
    assert rules.award_problem(listings=[listing()], qualifications=[], on=dt.date(2026, 4, 1)) is None
    assert rules.award_problem(listings=[listing()], qualifications=[], on=dt.date(2026, 2, 28)) is None


def test_grey_listing_does_not_refuse_award() -> None:
    assert rules.award_problem(listings=[listing("grey", ends=None)], qualifications=[], on=ON) is None


def test_qualification_valid_on_expiry_day_expired_the_day_after() -> None:
    q = qual(dt.date(2026, 6, 30))
    assert rules.award_problem(listings=[], qualifications=[q], on=dt.date(2026, 6, 30)) is None
    assert rules.award_problem(listings=[], qualifications=[q], on=dt.date(2026, 7, 1)) == (
        "该供应商的资质“建筑工程施工总承包二级”（证书编号 D1）已于 2026-06-30 到期，须更新资质后方可授予合同"
    )


def test_renewed_certificate_replaces_expired_and_category_filters() -> None:
    old = qual(dt.date(2025, 1, 1), number="D1")
    new = qual(dt.date(2030, 1, 1), number="D2")
    assert rules.award_problem(listings=[], qualifications=[old, new], on=ON) is None
    fire = qual(dt.date(2025, 1, 1), kind="消防设施工程专业承包", category="fire", number="F1")
    assert rules.award_problem(listings=[], qualifications=[new, fire], on=ON, category="general_contracting") is None
    assert "消防设施工程专业承包" in (rules.award_problem(listings=[], qualifications=[new, fire], on=ON) or "")


def test_qualification_state_boundaries() -> None:
    assert rules.qualification_state(ON, ON) == "expiring"
    assert rules.qualification_state(ON + dt.timedelta(days=30), ON) == "expiring"
    assert rules.qualification_state(ON + dt.timedelta(days=31), ON) == "valid"
    assert rules.qualification_state(ON - dt.timedelta(days=1), ON) == "expired"


def test_credit_score_formula_exact() -> None:
    evaluations = [
        EvaluationFacts(ON - dt.timedelta(days=10), 90),  # weight 1.0
        EvaluationFacts(ON - dt.timedelta(days=365), 60),  # second year: 0.6
        EvaluationFacts(ON - dt.timedelta(days=800), 50),  # third year: 0.3
        EvaluationFacts(ON - dt.timedelta(days=1095), 0),  # older than three years: ignored
    ]
    # (90 + 36 + 15) / 1.9 = 74.21 -> 74
    assert rules.credit_score(evaluations=evaluations, listings=[], on=ON) == 74
    assert rules.credit_score(evaluations=[], listings=[], on=ON) == 80
    grey = listing("grey", starts=ON, ends=ON)
    assert rules.credit_score(evaluations=evaluations, listings=[grey], on=ON) == 54
    past = listing("grey", starts=ON - dt.timedelta(days=100), ends=ON - dt.timedelta(days=1))
    assert rules.credit_score(evaluations=evaluations, listings=[past], on=ON) == 69
    assert rules.credit_score(evaluations=evaluations, listings=[listing("black", starts=ON, ends=None)], on=ON) == 0


def test_listing_problem() -> None:
    assert rules.listing_problem(kind="black", starts_on=ON, ends_on=ON, deciding_document="文号", reason="事由") is None
    assert rules.listing_problem(kind="black", starts_on=ON, ends_on=None, deciding_document=" ", reason="事由") == (
        "deciding_document",
        "列入灰名单、黑名单须有决定文书（文号）",
    )
    assert rules.listing_problem(
        kind="grey", starts_on=ON, ends_on=ON - dt.timedelta(days=1), deciding_document="x", reason="y"
    ) == (
        "ends_on",
        "截止日期 2026-06-29 早于起始日期 2026-06-30",
    )


evaluation_st = st.builds(
    EvaluationFacts,
    evaluated_on=st.dates(min_value=dt.date(2021, 1, 1), max_value=dt.date(2027, 12, 31)),
    score=st.integers(min_value=0, max_value=100),
)
listing_st = st.builds(
    ListingFacts,
    kind=st.sampled_from(["grey", "black"]),
    starts_on=st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2027, 12, 31)),
    ends_on=st.none() | st.dates(min_value=dt.date(2027, 12, 31), max_value=dt.date(2029, 1, 1)),
    lifted_on=st.none() | st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2029, 1, 1)),
)
on_st = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2028, 12, 31))


@given(evaluations=st.lists(evaluation_st, max_size=12), listings=st.lists(listing_st, max_size=4), on=on_st)
def test_credit_score_within_bounds(evaluations: list[EvaluationFacts], listings: list[ListingFacts], on: dt.date) -> None:
    assert 0 <= rules.credit_score(evaluations=evaluations, listings=listings, on=on) <= 100


@given(
    evaluations=st.lists(evaluation_st, min_size=1, max_size=12),
    listings=st.lists(listing_st, max_size=3),
    on=on_st,
    index=st.integers(min_value=0, max_value=11),
    raise_by=st.integers(min_value=0, max_value=100),
)
def test_raising_a_score_never_lowers_the_credit_score(
    evaluations: list[EvaluationFacts], listings: list[ListingFacts], on: dt.date, index: int, raise_by: int
) -> None:
    i = index % len(evaluations)
    better = list(evaluations)
    better[i] = EvaluationFacts(evaluations[i].evaluated_on, min(100, evaluations[i].score + raise_by))
    before = rules.credit_score(evaluations=evaluations, listings=listings, on=on)
    assert rules.credit_score(evaluations=better, listings=listings, on=on) >= before


@given(
    evaluations=st.lists(evaluation_st, max_size=12),
    listings=st.lists(listing_st, max_size=3),
    extra=listing_st,
    on=on_st,
)
def test_adding_a_listing_never_raises_the_credit_score(
    evaluations: list[EvaluationFacts], listings: list[ListingFacts], extra: ListingFacts, on: dt.date
) -> None:
    before = rules.credit_score(evaluations=evaluations, listings=listings, on=on)
    assert rules.credit_score(evaluations=evaluations, listings=[*listings, extra], on=on) <= before
