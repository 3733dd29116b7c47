"""The rules of the completion acceptance and the defect-liability period, pure Python (no Django).

* 竣工验收条件 (建设工程质量管理条例第十六条; 建质〔2013〕171号): the acceptance is organised by the 建设单位 with
  the 勘察、设计、施工、监理 units; every problem found must be rectified and verified (责令整改问题全部整改完毕)
  before the conclusion 合格; a party that does not agree keeps the conclusion from being 合格.
* 竣工验收备案 (《房屋建筑和市政基础设施工程竣工验收备案管理办法》第四条): within
  ``acceptance.filing_deadline_days`` (15) days of the 合格 conclusion, the day itself not counted.
* 缺陷责任期 (建质〔2017〕138号第二条): from the 合格 conclusion, the contract's months (default
  ``qdep.defect_period_default_months`` 12, at most ``qdep.defect_period_max_months`` 24); the quality deposit
  is returned at its end less the cost of defects the contractor did not repair (第九条).
* 工资保证金返还 (《工资保证金管理暂行办法》): after the works are finished, the contractor's pledge of no wage
  arrears is published for ``wage.deposit_return_publicity_days`` (30) days, then the deposit may be returned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

#: the five parties, in the order of the acceptance record
PARTY_ORDER: tuple[str, ...] = ("owner", "survey", "design", "contractor", "supervisor")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clipped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def filing_due_on(concluded_on: dt.date, days: int) -> dt.date:
    """The last day of the 备案 period: ``days`` days after the 合格 conclusion."""
    return concluded_on + dt.timedelta(days=days)


def filing_overdue(due_on: dt.date | None, filed_on: dt.date | None, today: dt.date) -> bool:
    return due_on is not None and filed_on is None and today > due_on


@dataclass(frozen=True)
class ConclusionFacts:
    opinions: Sequence[tuple[str, str]]  # (party label, opinion code: "" pending / agree / disagree)
    open_problems: int
    archive_pre_required: bool
    archive_pre_done: bool


def conclusion_problems(facts: ConclusionFacts, *, passed: bool) -> list[str]:
    """Why the conclusion may not be recorded as asked, each naming the rule; [] when it may.

    A 不合格 conclusion needs every party's opinion recorded; 合格 also needs every party to agree, every problem
    verified and, where required, the archive pre-acceptance."""
    problems = []
    pending = [label for label, opinion in facts.opinions if not opinion]
    if pending:
        problems.append("验收组各方意见须全部签署：尚缺" + "、".join(pending))
    if passed:
        against = [label for label, opinion in facts.opinions if opinion == "disagree"]
        if against:
            problems.append("竣工验收合格须五方一致同意：" + "、".join(against) + "不同意验收")
        if facts.open_problems:
            problems.append(
                f"责令整改的问题须全部整改完毕并复查合格（建设工程质量管理条例第十六条）：尚有{facts.open_problems}项未销项"
            )
        if facts.archive_pre_required and not facts.archive_pre_done:
            problems.append("列入城建档案接收范围的工程，须先取得城建档案预验收认可文件")
    return problems


def supervision_notice_problem(
    notified_on: dt.date | None, earliest: dt.date | None, acceptance_on: dt.date, *, days: int, rule: str
) -> str | None:
    """Why the acceptance may not take place on ``acceptance_on``; None when it may (建质〔2013〕171号第六条（三）).

    ``earliest`` is the ``days``-th working day after the notice (computed by the caller from the working-day
    calendar); the acceptance may be held on that day or later, never earlier, and never without the notice.
    ``rule`` is the rule parameter's Chinese name (``rule_seed.rule_name``), which the refusal names."""
    if notified_on is None or earliest is None:
        return f"{rule}（验收{days}个工作日前）：尚未登记对质量监督机构的书面通知"
    if acceptance_on < earliest:
        return (
            f"{rule}（验收{days}个工作日前）：已于{notified_on:%Y-%m-%d}通知，"
            f"验收日期不得早于{earliest:%Y-%m-%d}，所定{acceptance_on:%Y-%m-%d}过早"
        )
    return None


def defect_months_problem(months: int, *, maximum: int) -> str | None:
    if months < 1:
        return "缺陷责任期须至少1个月"
    if months > maximum:
        return f"缺陷责任期（最长）{maximum}个月：合同约定{months}个月超过上限"
    return None


def deposit_return_amount(deposit: Decimal, deductions: Iterable[Decimal]) -> tuple[Decimal, Decimal]:
    """(deductions total, amount to return), exact; the deductions may not exceed the deposit."""
    total = sum(deductions, Decimal("0"))
    return total, deposit - total


def publicity_ends_on(start: dt.date, days: int) -> dt.date:
    """The first day the wage deposit may be returned: ``days`` full days after the publicity started."""
    return start + dt.timedelta(days=days)
