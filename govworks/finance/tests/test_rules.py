"""The pure decisions of finance: each guard alone with its boundary (以上 includes the number), the advance
offset, the cost line, the execution rate and the months without a wage transfer."""

from __future__ import annotations

import ast
import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from govworks.finance import rules

D = Decimal
PARAMS = rules.PaymentParams(advance_max_ratio=D("0.30"), progress_max_ratio=D("0.97"), large_fund_min_amount=D(300000))
CONTRACT = rules.ContractFacts(
    number="HT-2026-0001",
    amount=D(1000000),
    approved_changes=D(0),
    advance_ratio=D("0.20"),
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
SOURCE = rules.SourceFacts("财政", D(2000000), D(0), D(0))
TODAY = dt.date(2026, 11, 21)
NOT_FROZEN = rules.FreezeFacts(None)


def problems(contract=CONTRACT, source=SOURCE, freeze=NOT_FROZEN, supplier=None, **req):  # type: ignore[no-untyped-def]
    base = {"kind": "progress", "gross_amount": D(0), "advance_offset": D(0), "payee_account_id": 7, "confirmed_value": D(500000)}
    base.update(req)
    return rules.payment_problems(
        contract=contract,
        request=rules.RequestFacts(**base),
        source=source,
        freeze=freeze,
        supplier_problem=supplier,
        params=PARAMS,
        today=TODAY,
    )


def test_rules_module_is_pure() -> None:
    tree = ast.parse((Path(__file__).parent.parent / "rules.py").read_text())
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    assert not {m for m in imported if m.split(".")[0] in {"django", "rest_framework", "govworks"}} - {"govworks.core.rule_seed"}


def test_progress_ratio_boundary_is_inclusive() -> None:
    assert problems(gross_amount=D(400000)) == []
    [msg] = problems(gross_amount=D("400000.01"))
    assert msg.startswith("进度款比例") and "400,000.00 元" in msg


def test_ceiling_includes_approved_changes() -> None:
    c = replace(CONTRACT, approved_changes=D(50000), committed_total=D(1000000), settlement_committed=True)
    assert problems(contract=c, kind="retention_return", gross_amount=D(50000)) != []  # defect period not over
    c2 = replace(c, defect_period_ends=TODAY)
    assert problems(contract=c2, kind="retention_return", gross_amount=D(50000)) == []
    assert "累计付款上限" in problems(contract=c2, kind="retention_return", gross_amount=D("50000.01"))[0]


def test_frozen_until_released_and_account_and_supplier() -> None:
    path = "解除须依次完成“提交赶工计划 → 约谈责任人 → 分管领导或主要领导解除暂停拨款”"
    frozen = rules.FreezeFacts("自 2026-11-01 起暂停拨款", path)
    assert problems(gross_amount=D(1000), freeze=frozen) == [
        f"暂停拨款：项目自 2026-11-01 起暂停拨款，解除暂停拨款后方可办理；{path}"
    ]
    assert problems(gross_amount=D(1000), freeze=NOT_FROZEN) == []
    assert any("收款账户" in m for m in problems(gross_amount=D(1000), payee_account_id=8))
    assert any("收款人限制" in m for m in problems(gross_amount=D(1000), supplier="已列入黑名单"))


def test_large_fund_boundary() -> None:
    assert rules.needs_collective_decision(D(300000), PARAMS)
    assert not rules.needs_collective_decision(D("299999.99"), PARAMS)


@given(st.decimals(min_value=1, max_value=10**7, places=2), st.decimals(min_value=0, max_value=10**6, places=2))
def test_offset_never_exceeds_outstanding_or_the_ratio(gross: Decimal, outstanding: Decimal) -> None:
    due = rules.advance_offset_due(gross=gross, advance_ratio=D("0.2"), outstanding=outstanding, kind="progress")
    assert 0 <= due <= outstanding
    assert due <= rules.cents(gross * D("0.2"))


@given(st.lists(st.decimals(min_value=1, max_value=10**6, places=2), min_size=1, max_size=15))
def test_cumulative_progress_never_passes_the_cap(amounts: list[Decimal]) -> None:
    """Approving requests one by one only when the rules allow: the total never passes 80% of the value."""
    c = CONTRACT
    for a in amounts:
        if not problems(contract=c, gross_amount=a):
            c = replace(c, progress_gross_before=c.progress_gross_before + a, committed_total=c.committed_total + a)
    assert c.progress_gross_before <= D(400000)


def test_months_without_transfer_and_execution_rate() -> None:
    assert rules.months_without_transfer(starts=dt.date(2026, 8, 15), today=TODAY, transferred=[dt.date(2026, 9, 1)]) == [
        dt.date(2026, 8, 1),
        dt.date(2026, 10, 1),
    ]
    # a 15-day cycle makes November's labour cost due on the 16th
    assert rules.months_without_transfer(starts=dt.date(2026, 11, 1), today=TODAY, transferred=[], cycle_days=15) == [
        dt.date(2026, 11, 1)
    ]
    assert rules.execution_rate(D(250), D(1000)) == D("0.25")
    assert rules.execution_rate(D(1), D(0)) is None
    line = rules.CostLine(estimate=D(100), contracted=D(0), changes=D(0), pending_changes=D(0), day_labour=D(5), paid=D(0))
    assert line.forecast == D(105) and line.deviation == D("0.05")
