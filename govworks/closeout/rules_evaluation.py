"""The rules of the performance evaluation (项目支出绩效评价, 财预〔2020〕10号), pure Python.

- A template's four first-level indicators (一级指标 决策/过程/产出/效益) carry weights that add up to 100 and whose
  产出 + 效益 share is at least 60 (“原则上产出、效益指标权重合计不低于60%”); the third-level indicators under each
  first-level one add up to its weight.
- An indicator GovWorks can measure is scored linearly from its measured value: at or better than ``full_at`` it
  earns its full points, at or worse than ``zero_at`` none, in between in proportion (rounded to 0.01 分,
  half up). Others are scored by hand between 0 and their points.
- The total score gives the grade: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below (boundaries included in the higher grade:
  90.00 is 优, 89.99 is 良).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)

DECISION, PROCESS, OUTPUT, EFFECT = "decision", "process", "output", "effect"
#: the first-level indicators in the order of 财预〔2020〕10号's framework
DIMENSIONS: tuple[str, ...] = (DECISION, PROCESS, OUTPUT, EFFECT)
DIMENSION_LABELS: dict[str, str] = {DECISION: "决策", PROCESS: "过程", OUTPUT: "产出", EFFECT: "效益"}

EXCELLENT, GOOD, FAIR, POOR = "excellent", "good", "fair", "poor"
GRADE_LABELS: dict[str, str] = {EXCELLENT: "优", GOOD: "良", FAIR: "中", POOR: "差"}

WEIGHT_TOTAL = Decimal(100)
RULE_SOURCE = "财预〔2020〕10号"


@dataclass(frozen=True)
class GradeBounds:
    """The lowest score of 优, 良 and 中 (rule parameters perf.grade_*_min)."""

    excellent_min: Decimal
    good_min: Decimal
    fair_min: Decimal


def grade_of(score: Decimal, bounds: GradeBounds) -> str:
    """The grade of ``score``: a boundary belongs to the higher grade (90.00 is 优 when 优 starts at 90)."""
    if score >= bounds.excellent_min:
        return EXCELLENT
    if score >= bounds.good_min:
        return GOOD
    if score >= bounds.fair_min:
        return FAIR
    return POOR


def grade_label(code: str) -> str:
    return GRADE_LABELS.get(code, "")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def linear_score(value: Decimal, *, points: Decimal, full_at: Decimal, zero_at: Decimal) -> Decimal:
    """Points earned by ``value``: all at or beyond ``full_at`` (on its side), none at or beyond ``zero_at``,
    proportionally between. Works both ways (higher is better when ``full_at > zero_at``)."""
    if full_at == zero_at:
        return points if value == full_at else ZERO
    fraction = (value - zero_at) / (full_at - zero_at)
    fraction = max(ZERO, min(ONE, fraction))
    return cents(points * fraction)


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator ÷ denominator, None when the denominator is not positive (nothing planned: no rate)."""
    if denominator <= 0:
        return None
    return numerator / denominator


def saving_rate(estimate: Decimal, final_cost: Decimal) -> Decimal | None:
    """成本节约率 = (计划成本 − 实际成本) ÷ 计划成本; negative when the final cost overran the estimate."""
    if estimate <= 0:
        return None
    return (estimate - final_cost) / estimate


def points_text(value: Decimal) -> str:
    """分值 as a person writes it: 20, 7.5, 2.25."""
    text = f"{cents(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class IndicatorPoints:
    dimension: str
    name: str
    points: Decimal
    full_at: Decimal | None = None
    zero_at: Decimal | None = None
    automatic: bool = False


def template_problems(
    weights: Mapping[str, Decimal], indicators: Iterable[IndicatorPoints], *, output_effect_min: Decimal
) -> list[str]:
    """Everything wrong with a template, in Chinese with the rule and the numbers ([] when valid)."""
    problems: list[str] = []
    total = sum((Decimal(weights.get(d, ZERO)) for d in DIMENSIONS), ZERO)
    for d in DIMENSIONS:
        if Decimal(weights.get(d, ZERO)) <= 0:
            problems.append(f"一级指标“{DIMENSION_LABELS[d]}”权重须大于0分：现为 {points_text(Decimal(weights.get(d, ZERO)))} 分")
    if total != WEIGHT_TOTAL:
        parts = " + ".join(f"{DIMENSION_LABELS[d]} {points_text(Decimal(weights.get(d, ZERO)))}" for d in DIMENSIONS)
        problems.append(f"一级指标权重合计须为100分（{RULE_SOURCE}）：现为 {parts} = {points_text(total)} 分")
    oe = Decimal(weights.get(OUTPUT, ZERO)) + Decimal(weights.get(EFFECT, ZERO))
    if oe < output_effect_min:
        problems.append(
            f"产出、效益指标权重合计不低于{points_text(output_effect_min)}分（{RULE_SOURCE}）：现为 产出 "
            f"{points_text(Decimal(weights.get(OUTPUT, ZERO)))} + 效益 {points_text(Decimal(weights.get(EFFECT, ZERO)))} = "
            f"{points_text(oe)} 分"
        )
    rows = list(indicators)
    for d in DIMENSIONS:
        mine = [r for r in rows if r.dimension == d]
        sub = sum((r.points for r in mine), ZERO)
        weight = Decimal(weights.get(d, ZERO))
        if not mine:
            problems.append(f"一级指标“{DIMENSION_LABELS[d]}”下没有三级指标")
        elif sub != weight:
            problems.append(
                f"一级指标“{DIMENSION_LABELS[d]}”下三级指标分值合计 {points_text(sub)} 分，与其权重 {points_text(weight)} 分不符"
            )
    for r in rows:
        if r.points <= 0:
            problems.append(f"三级指标“{r.name}”分值须大于0分：现为 {points_text(r.points)} 分")
        if r.automatic and r.full_at is not None and r.zero_at is not None and r.full_at == r.zero_at:
            problems.append(f"三级指标“{r.name}”的满分值与零分值相同，无法按比例计分")
    return problems


def total_score(scores: Iterable[Decimal | None]) -> Decimal:
    return sum((s for s in scores if s is not None), ZERO)


def dimension_scores(rows: Iterable[tuple[str, Decimal, Decimal | None]]) -> dict[str, tuple[Decimal, Decimal]]:
    """(dimension, points, score) rows → {dimension: (points, score)} in framework order."""
    out: dict[str, tuple[Decimal, Decimal]] = dict.fromkeys(DIMENSIONS, (ZERO, ZERO))
    for d, points, score in rows:
        p, s = out.get(d, (ZERO, ZERO))
        out[d] = (p + points, s + (score or ZERO))
    return out
