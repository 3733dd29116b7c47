"""The pure rules of the performance evaluation at their exact boundaries (财预〔2020〕10号)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govworks.closeout import rules_evaluation as rules
from govworks.closeout.reference_evaluation import DEFAULT_INDICATORS, default_weights

D = Decimal
BOUNDS = rules.GradeBounds(D(90), D(80), D(60))


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("100", "excellent"),
        ("90.00", "excellent"),
        ("89.99", "good"),
        ("80.00", "good"),
        ("79.99", "fair"),
        ("60.00", "fair"),
        ("59.99", "poor"),
        ("0", "poor"),
    ],
)
def test_grade_boundaries_belong_to_the_higher_grade(score: str, grade: str) -> None:
    assert rules.grade_of(D(score), BOUNDS) == grade


def test_grade_labels_are_chinese() -> None:
    assert [rules.grade_label(g) for g in ("excellent", "good", "fair", "poor")] == ["优", "良", "中", "差"]


def _rows(weights: dict[str, Decimal]) -> list[rules.IndicatorPoints]:
    return [rules.IndicatorPoints(d, f"{d}指标", w) for d, w in weights.items()]


def test_default_template_is_valid_and_has_the_suggested_weights() -> None:
    weights = default_weights()
    assert weights == {"decision": D(20), "process": D(20), "output": D(30), "effect": D(30)}
    rows = [rules.IndicatorPoints(d, n, p, f, z, bool(a)) for d, _l2, n, p, _m, a, f, z in DEFAULT_INDICATORS]
    assert rules.template_problems(weights, rows, output_effect_min=D(60)) == []


def test_weights_must_add_up_to_100_exactly() -> None:
    ok = {"decision": D(20), "process": D(20), "output": D(30), "effect": D(30)}
    assert rules.template_problems(ok, _rows(ok), output_effect_min=D(60)) == []
    off = {"decision": D(20), "process": D("20.01"), "output": D(30), "effect": D(30)}
    problems = rules.template_problems(off, _rows(off), output_effect_min=D(60))
    assert problems == [
        "一级指标权重合计须为100分（财预〔2020〕10号）：现为 决策 20 + 过程 20.01 + 产出 30 + 效益 30 = 100.01 分"
    ]


def test_output_and_effect_at_60_pass_and_below_refused_with_the_numbers() -> None:
    at = {"decision": D(20), "process": D(20), "output": D(30), "effect": D(30)}
    assert rules.template_problems(at, _rows(at), output_effect_min=D(60)) == []
    below = {"decision": D(20), "process": D("20.01"), "output": D("29.99"), "effect": D(30)}
    problems = rules.template_problems(below, _rows(below), output_effect_min=D(60))
    assert problems == ["产出、效益指标权重合计不低于60分（财预〔2020〕10号）：现为 产出 29.99 + 效益 30 = 59.99 分"]


def test_indicator_points_must_match_their_dimension_weight() -> None:
    weights = {"decision": D(20), "process": D(20), "output": D(30), "effect": D(30)}
    rows = _rows(weights)
    rows[0] = rules.IndicatorPoints("decision", "立项依据充分性", D(18))
    problems = rules.template_problems(weights, rows, output_effect_min=D(60))
    assert problems == ["一级指标“决策”下三级指标分值合计 18 分，与其权重 20 分不符"]


@pytest.mark.parametrize(
    ("value", "full", "zero", "expected"),
    [
        ("1", "1", "0", "5.00"),  # 到位率 100%
        ("1.2", "1", "0", "5.00"),  # above: capped
        ("0.9", "1", "0", "4.50"),
        ("0", "1", "0", "0.00"),
        ("0", "0", "90", "5.00"),  # on time
        ("45", "0", "90", "2.50"),  # late half of the zero point
        ("90", "0", "90", "0.00"),
        ("0.05", "0.05", "0.15", "5.00"),  # 审减率 at the full mark
        ("0.10", "0.05", "0.15", "2.50"),
        ("0.15", "0.05", "0.15", "0.00"),
        ("-0.05", "0", "-0.10", "2.50"),  # overran the estimate by 5%
        ("0.333333", "1", "0", "1.67"),  # rounded half up to the cent
    ],
)
def test_linear_score(value: str, full: str, zero: str, expected: str) -> None:
    assert rules.linear_score(D(value), points=D(5), full_at=D(full), zero_at=D(zero)) == D(expected)


def test_saving_rate_and_ratio() -> None:
    assert rules.saving_rate(D(2000000), D(1900000)) == D("0.05")
    assert rules.saving_rate(D(2000000), D(2100000)) == D("-0.05")
    assert rules.saving_rate(D(0), D(1)) is None
    assert rules.ratio(D(1), D(0)) is None
