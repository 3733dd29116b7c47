"""Rules of the final accounts (竣工财务决算) and the asset handover (资产移交), pure Python.

Sources (shared/docs/reference/domain-rules.md §2.4):

- 编报期限: 项目竣工后 3 个月内 (``final_accounts.deadline_months``, 财建〔2016〕503号第二条), counted from the
  completion date (竣工验收合格之日) by calendar months, the same day of the month (clamped to the month's last
  day): completion 2026-01-31 + 3 months → due 2026-04-30. The last day is still in time.
- 延期: 特殊情况确需延长的，中小型项目不得超过 2 个月，大型项目不得超过 6 个月 (``final_accounts.extension_small_months``
  / ``extension_large_months``). The extensions granted to one project add up; their sum may not exceed the limit.
- 大型 vs 中小型: 503号 does not give a number. GovWorks calls a project 大型 when its approved estimate (批复概算,
  else the estimate) is at least ``final_accounts.large_project_min_amount`` (default 50,000,000 元, the 5000万元
  大中型 line of the 基本建设 classification), i.e. ``[lower, upper)``: 49,999,999.99 元 is 中小型, 50,000,000.00
  元 is 大型. An agency may set its own line.
- 概算执行率 = 决算总投资 ÷ 批复概算, exact (Decimal, rounded only for display); above 100% is 超概算.
- 结余资金 = 资金到位 − 决算总投资 (never negative); the returns recorded must add up to it exactly (政府投资条例第二十五条).
- 资产价值核对: the asset cards add up to the approved final cost exactly, and each cost line's cards to the line's
  amount; 0.01 元 of difference is refused with the numbers.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
CENT = Decimal("0.01")

#: 报送资料 of the final accounts (503号第十条 / S34): code, name
DOCUMENT_CHECKLIST: tuple[tuple[str, str], ...] = (
    ("initiation", "项目立项批复文件"),
    ("feasibility", "可行性研究报告批复文件"),
    ("prelim_design", "初步设计及概算批复文件"),
    ("estimate_adjustment", "概算调整批复文件"),
    ("investment_plans", "历年投资计划及预算下达文件"),
    ("audit_opinions", "审计、检查意见或报告"),
    ("settlement_reports", "工程结算审核报告"),
    ("other", "其他有关资料"),
)
DOCUMENT_NAMES = dict(DOCUMENT_CHECKLIST)

#: 工程建设其他费用 categories (建设单位管理费 … ), entered with evidence
OTHER_COST_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("management", "建设单位管理费"),
    ("survey_design", "勘察设计费"),
    ("supervision", "工程监理费"),
    ("cost_consulting", "造价咨询及审计费"),
    ("tender_agency", "招标代理费"),
    ("land", "土地及拆迁补偿费"),
    ("other", "其他费用"),
)


def yuan(amount: Decimal) -> str:
    return f"{amount:,.2f} 元"


def pct(ratio: Decimal) -> str:
    text = format((ratio * 100).quantize(CENT, rounding=ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") + "%"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the last day of the target month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_large_project(amount: Decimal, large_min: Decimal) -> bool:
    """大型 when ``amount`` (批复概算) ≥ ``large_min``; the boundary belongs to 大型."""
    return amount >= large_min


def extension_limit(amount: Decimal, *, large_min: Decimal, small_months: int, large_months: int) -> int:
    return large_months if is_large_project(amount, large_min) else small_months


def final_accounts_due(completion: dt.date, *, deadline_months: int, extension_months: int = 0) -> dt.date:
    """The last day to finish the final accounts: completion + deadline + granted extensions."""
    return add_months(completion, deadline_months + extension_months)


def extension_problem(
    *, requested: int, granted_before: int, amount: Decimal, large_min: Decimal, small_months: int, large_months: int
) -> str | None:
    """None when ``requested`` more months keep the project within its extension limit, else the refusal."""
    if requested < 1:
        return "延期月数须为正整数"
    large = is_large_project(amount, large_min)
    limit = large_months if large else small_months
    if granted_before + requested > limit:
        kind = "大型项目" if large else "中小型项目"
        return (
            f"决算延长上限（{kind}）{limit}个月（财建〔2016〕503号第二条；批复概算 {yuan(amount)}，"
            f"{'≥' if large else '<'} 大型项目起点 {yuan(large_min)}）：已批准延期 {granted_before} 个月，"
            f"本次申请 {requested} 个月，合计 {granted_before + requested} 个月"
        )
    return None


def execution_rate(final_cost: Decimal, estimate: Decimal | None) -> Decimal | None:
    """概算执行率 = final cost ÷ approved estimate, exact; None when no estimate is recorded."""
    if not estimate:
        return None
    return final_cost / estimate


def over_estimate(final_cost: Decimal, estimate: Decimal | None) -> Decimal:
    """超概算金额 (0 when within the estimate)."""
    if estimate is None:
        return ZERO
    return max(final_cost - estimate, ZERO)


def surplus(received: Decimal, final_cost: Decimal) -> Decimal:
    """结余资金 to return: funds received beyond the final cost (never negative)."""
    return max(received - final_cost, ZERO)


def surplus_return_problem(*, returned: Decimal, surplus_total: Decimal) -> str | None:
    if returned != surplus_total:
        return f"结余资金缴回：结余 {yuan(surplus_total)}，已登记缴回 {yuan(returned)}，相差 {yuan(surplus_total - returned)}"
    return None


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    name: str
    uploaded: bool
    missing_reason: str

    @property
    def done(self) -> bool:
        return self.uploaded or bool(self.missing_reason)


def checklist_missing(items: Iterable[ChecklistItem]) -> list[str]:
    """Names of the 报送资料 neither uploaded nor named missing with a reason."""
    return [i.name for i in items if not i.done]


def split_problem(*, original: Decimal, parts: Iterable[Decimal]) -> str | None:
    """Splitting a card: the parts must be positive and add up to the original value exactly."""
    values = list(parts)
    if len(values) < 2:
        return "拆分至少须分为两张资产卡片"
    if any(v <= 0 for v in values):
        return "拆分后每张卡片的价值须大于0"
    total = sum(values, ZERO)
    if total != original:
        return f"资产价值核对：原卡片价值 {yuan(original)}，拆分后合计 {yuan(total)}，相差 {yuan(original - total)}"
    return None


def reconciliation_problems(*, final_cost: Decimal, lines: Iterable[tuple[str, Decimal, Decimal]]) -> list[str]:
    """资产价值与决算核对: ``lines`` are (label, line amount, cards total); every line and the total must agree to the cent."""
    problems = []
    cards_total = ZERO
    for label, amount, cards in lines:
        cards_total += cards
        if amount != cards:
            problems.append(f"{label}：决算金额 {yuan(amount)}，资产卡片合计 {yuan(cards)}，相差 {yuan(amount - cards)}")
    if cards_total != final_cost:
        problems.insert(
            0,
            f"资产价值与竣工决算核对：决算总投资 {yuan(final_cost)}，资产卡片合计 {yuan(cards_total)}，"
            f"相差 {yuan(final_cost - cards_total)}",
        )
    return problems
