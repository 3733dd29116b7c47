"""The rules of the settlement audit (结算审计), pure Python: review deadlines by amount tier, 审减率, the
line differences, the contract ceiling that needs a collective decision and 低价高结.

**Review deadline tiers** (财建〔2004〕369号《建设工程价款结算暂行办法》第十四条): the owner reviews the
contractor's 结算书 within 20 / 30 / 45 / 60 days of its submission, by the submitted amount (送审金额).
Each tier is a half-open interval ``[lower, upper)``: an amount equal to a boundary belongs to the *higher*
tier. So 4,999,999.99 元 is in “500万元以下” (20 days) and exactly 5,000,000.00 元 is in “500万–2000万元”
(30 days); 20,000,000.00 元 is in “2000万–5000万元”; 50,000,000.00 元 is in “5000万元以上”. The days are
rule parameters (``settle.review_days.*``), counted in calendar days from the day of submission.

**审减率** = (送审金额 − 审定金额) ÷ 送审金额, an exact Decimal (negative when the firm approved more than was
submitted); rounded only where shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)
CENT = Decimal("0.01")
WAN = Decimal(10000)


@dataclass(frozen=True)
class ReviewTier:
    """One amount tier of the review deadline: ``[lower, upper)`` in 元 (``upper`` None: no upper bound)."""

    key: str  # the rule parameter holding its days
    name: str  # the rule's Chinese name
    lower: Decimal
    upper: Decimal | None

    def holds(self, amount: Decimal) -> bool:
        return amount >= self.lower and (self.upper is None or amount < self.upper)


REVIEW_TIERS: tuple[ReviewTier, ...] = (
    ReviewTier("settle.review_days.below_5m", "结算审查时限（500万元以下）", ZERO, Decimal(5_000_000)),
    ReviewTier("settle.review_days.below_20m", "结算审查时限（500万–2000万元）", Decimal(5_000_000), Decimal(20_000_000)),
    ReviewTier("settle.review_days.below_50m", "结算审查时限（2000万–5000万元）", Decimal(20_000_000), Decimal(50_000_000)),
    ReviewTier("settle.review_days.from_50m", "结算审查时限（5000万元以上）", Decimal(50_000_000), None),
)

#: shown on the pages: how the tiers are bounded
TIER_NOTE = "审查时限按送审金额分档，各档区间为“含下限、不含上限”：恰为500万元的结算属于500万–2000万元档（30天）"


def review_tier(amount: Decimal) -> ReviewTier:
    """The tier of a submitted amount (``[lower, upper)``: a boundary amount is in the higher tier)."""
    for tier in REVIEW_TIERS:
        if tier.holds(amount):
            return tier
    raise ValueError(f"no tier for {amount}")


def review_due(submitted_on: dt.date, days: int) -> dt.date:
    """The last day of the review: ``days`` calendar days after the day of submission."""
    return submitted_on + dt.timedelta(days=days)


def reduction_rate(submitted: Decimal, approved: Decimal) -> Decimal | None:
    """审减率 = (送审 − 审定) ÷ 送审, exact; None when nothing was submitted."""
    if submitted == ZERO:
        return None
    return (submitted - approved) / submitted


@dataclass(frozen=True)
class Line:
    """One line of the audit result: item, 送审, 审定 and the reason of the difference."""

    name: str
    submitted: Decimal
    approved: Decimal
    reason: str = ""

    @property
    def difference(self) -> Decimal:
        """审增减额 = 审定 − 送审 (negative: reduced)."""
        return self.approved - self.submitted


def yuan(amount: Decimal) -> str:
    return f"{amount:,.2f} 元"


def lines_problem(lines: Sequence[Line], *, submitted_total: Decimal) -> str | None:
    """Why the audit result's lines cannot be recorded: none, a blank item, a negative amount, a difference
    without its reason, or lines whose 送审 do not add up to the settlement's 送审金额. None when they can."""
    if not lines:
        return "审定结果须至少列明一项审定明细"
    for i, line in enumerate(lines, start=1):
        if not line.name.strip():
            return f"第{i}项审定明细缺少项目名称"
        if line.submitted < ZERO or line.approved < ZERO:
            return f"第{i}项“{line.name}”的送审或审定金额不能为负数"
        if line.submitted != line.submitted.quantize(CENT) or line.approved != line.approved.quantize(CENT):
            return f"第{i}项“{line.name}”的金额最多两位小数（到分）"
        if line.difference != ZERO and not line.reason.strip():
            return f"第{i}项“{line.name}”审定与送审相差 {yuan(line.difference)}，须写明审增减原因"
    total = sum((line.submitted for line in lines), ZERO)
    if total != submitted_total:
        return f"审定明细的送审金额合计 {yuan(total)} 与结算书送审金额 {yuan(submitted_total)} 不一致"
    return None


def lines_approved_total(lines: Sequence[Line]) -> Decimal:
    """审定金额: the sum of the lines' approved amounts."""
    return sum((line.approved for line in lines), ZERO)


CEILING_RULE = "结算超合同价款须集体决策"


def over_ceiling_problem(*, approved: Decimal, contract_amount: Decimal, approved_changes: Decimal) -> str | None:
    """A settlement above the contract amount plus the approved change orders needs the collective decision
    (三重一大); the text names the numbers, None when the settlement stays within them (equal is within)."""
    ceiling = contract_amount + approved_changes
    if approved > ceiling:
        return (
            f"{CEILING_RULE}：结算审定金额 {yuan(approved)} 超过合同金额 {yuan(contract_amount)} 与已批准变更 "
            f"{yuan(approved_changes)} 之和 {yuan(ceiling)}，超出 {yuan(approved - ceiling)}"
        )
    return None


LOW_BID_RULE = "低价中标高价结算预警比例"


def low_bid_high_settlement(*, approved: Decimal, winning_bid: Decimal, ratio: Decimal) -> str | None:
    """低价高结: the approved settlement above the winning bid by more than ``ratio`` (strictly: exactly the
    ratio is not a signal). The text names the numbers; None when it is not."""
    if winning_bid <= ZERO:
        return None
    limit = winning_bid * (1 + ratio)
    if approved > limit:
        over = (approved - winning_bid) / winning_bid
        return (
            f"{LOW_BID_RULE} {ratio * 100:.0f}%：结算审定金额 {yuan(approved)} 高出中标价 {yuan(winning_bid)} "
            f"{over * 100:.2f}%（预警线 {yuan(limit)}）"
        )
    return None


def dispute_reason_problem(reason: str, *, min_length: int = 5) -> str | None:
    """A dispute states in writing what the contractor does not accept."""
    text = (reason or "").strip()
    if len(text) < min_length:
        return f"对审定结果有异议须写明理由（不少于 {min_length} 个字，当前 {len(text)} 个字）"
    return None


def percent(rate: Decimal | None) -> str:
    """A fraction shown as a percentage with two decimals (rounded for display only)."""
    return "—" if rate is None else f"{rate * 100:.2f}%"
