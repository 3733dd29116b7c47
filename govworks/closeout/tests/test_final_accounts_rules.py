"""The final-accounts and asset rules at their exact boundaries (pure Python, no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from govworks.closeout import rules_final_accounts as rules

D = Decimal
LARGE = D("50000000")


def test_deadline_counts_calendar_months_and_clamps_to_month_end() -> None:
    assert rules.final_accounts_due(dt.date(2026, 1, 15), deadline_months=3) == dt.date(2026, 4, 15)
    assert rules.final_accounts_due(dt.date(2026, 1, 31), deadline_months=3) == dt.date(2026, 4, 30)
    assert rules.final_accounts_due(dt.date(2025, 11, 30), deadline_months=3) == dt.date(2026, 2, 28)
    assert rules.final_accounts_due(dt.date(2026, 10, 31), deadline_months=3, extension_months=2) == dt.date(2027, 3, 31)


def test_large_project_boundary_belongs_to_large() -> None:
    assert rules.is_large_project(LARGE, LARGE)
    assert not rules.is_large_project(LARGE - D("0.01"), LARGE)
    assert rules.extension_limit(LARGE, large_min=LARGE, small_months=2, large_months=6) == 6
    assert rules.extension_limit(LARGE - D("0.01"), large_min=LARGE, small_months=2, large_months=6) == 2


def test_extension_limit_at_exact_months() -> None:
    small = {"amount": D("1200000"), "large_min": LARGE, "small_months": 2, "large_months": 6}
    assert rules.extension_problem(requested=2, granted_before=0, **small) is None
    assert rules.extension_problem(requested=1, granted_before=1, **small) is None
    problem = rules.extension_problem(requested=1, granted_before=2, **small)
    assert problem is not None
    assert "决算延长上限（中小型项目）2个月" in problem and "合计 3 个月" in problem and "1,200,000.00 元" in problem
    large = {**small, "amount": LARGE}
    assert rules.extension_problem(requested=6, granted_before=0, **large) is None
    problem = rules.extension_problem(requested=7, granted_before=0, **large)
    assert problem is not None and "决算延长上限（大型项目）6个月" in problem
    assert rules.extension_problem(requested=0, granted_before=0, **small) == "延期月数须为正整数"


def test_execution_rate_is_exact_and_over_estimate_flagged() -> None:
    assert rules.execution_rate(D("1000000"), D("1200000")) == D("1000000") / D("1200000")
    assert rules.execution_rate(D("1"), None) is None
    assert rules.pct(rules.execution_rate(D("1000000"), D("1200000")) or D(0)) == "83.33%"
    assert rules.over_estimate(D("1200000.00"), D("1200000")) == 0
    assert rules.over_estimate(D("1200000.01"), D("1200000")) == D("0.01")


def test_surplus_and_its_return_to_the_cent() -> None:
    assert rules.surplus(D("1100000"), D("1000000")) == D("100000")
    assert rules.surplus(D("900000"), D("1000000")) == 0
    assert rules.surplus_return_problem(returned=D("100000"), surplus_total=D("100000")) is None
    problem = rules.surplus_return_problem(returned=D("99999.99"), surplus_total=D("100000"))
    assert problem is not None and "相差 0.01 元" in problem


def test_split_must_add_up_to_the_cent() -> None:
    assert rules.split_problem(original=D("100"), parts=[D("60"), D("40")]) is None
    problem = rules.split_problem(original=D("100"), parts=[D("60"), D("39.99")])
    assert problem is not None and "相差 0.01 元" in problem and "99.99 元" in problem
    assert rules.split_problem(original=D("100"), parts=[D("100")]) == "拆分至少须分为两张资产卡片"
    assert rules.split_problem(original=D("100"), parts=[D("100"), D("0")]) == "拆分后每张卡片的价值须大于0"


def test_reconciliation_names_the_difference_of_one_cent() -> None:
    ok = rules.reconciliation_problems(final_cost=D("1000.00"), lines=[("A", D("600"), D("600")), ("B", D("400"), D("400"))])
    assert ok == []
    off = rules.reconciliation_problems(final_cost=D("1000.00"), lines=[("A", D("600"), D("600")), ("B", D("400"), D("399.99"))])
    assert off[0] == "资产价值与竣工决算核对：决算总投资 1,000.00 元，资产卡片合计 999.99 元，相差 0.01 元"
    assert off[1] == "B：决算金额 400.00 元，资产卡片合计 399.99 元，相差 0.01 元"


def test_checklist_names_what_is_neither_uploaded_nor_explained() -> None:
    items = [
        rules.ChecklistItem("a", "立项批复", True, ""),
        rules.ChecklistItem("b", "概算调整批复", False, "无概算调整"),
        rules.ChecklistItem("c", "审计意见", False, ""),
    ]
    assert rules.checklist_missing(items) == ["审计意见"]
