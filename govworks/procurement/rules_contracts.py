"""Rules of contracts and change orders (合同、变更/签证). No Django, no ORM: the caller reads the rule
parameters (one query, ``selectors.contracts.contract_params``) and passes plain values.

Sources (``docs/reference/domain-rules.md`` §2.1, §2.2, §6): 预付款 10%–30% of the contract amount
(财建〔2004〕369号第十二条), 进度款 within [pay.progress_min_ratio, pay.progress_max_ratio] of the work done,
质量保证金 ≤ 3% of the settlement (建质〔2017〕138号第七条) with a 缺陷责任期 of at most 24 months
(第二条), 履约保证金 ≤ 10% and signing within 30 days of the award (via ``rules_methods``).

Change orders: a change whose cumulative changes (this one included, algebraic sum of every change not
rejected) exceed ``change.reapproval_cumulative_ratio`` of the original contract — "超过原合同价 10%",
strictly above: exactly 10% does not — or that takes the project's cost above its approved estimate,
needs the higher approval chain and a passed collective decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import ClassVar

from govworks.core.rule_seed import rule_name
from govworks.procurement.rules_methods import ProcurementParams, _pct, _yuan, contract_signing_problem, performance_bond_problem


@dataclass(frozen=True)
class ContractParams:
    """The parameters of contract terms and changes; ratios are fractions (3% is ``Decimal("0.03")``)."""

    advance_min_ratio: Decimal
    advance_max_ratio: Decimal
    progress_min_ratio: Decimal
    progress_max_ratio: Decimal
    qdep_max_ratio: Decimal
    defect_period_max_months: int
    reapproval_cumulative_ratio: Decimal
    estimate_overrun_ratio: Decimal
    large_fund_min_amount: Decimal
    procurement: ProcurementParams
    lot_estimate_overrun_ratio: Decimal = Decimal("0.10")

    KEYS: ClassVar[dict[str, str]] = {
        "advance_min_ratio": "pay.advance_min_ratio",
        "advance_max_ratio": "pay.advance_max_ratio",
        "progress_min_ratio": "pay.progress_min_ratio",
        "progress_max_ratio": "pay.progress_max_ratio",
        "qdep_max_ratio": "qdep.max_ratio",
        "defect_period_max_months": "qdep.defect_period_max_months",
        "reapproval_cumulative_ratio": "change.reapproval_cumulative_ratio",
        "estimate_overrun_ratio": "change.estimate_overrun_ratio",
        "large_fund_min_amount": "tzyd.large_fund_min_amount",
        "lot_estimate_overrun_ratio": "contract.lot_estimate_overrun_ratio",
    }

    @classmethod
    def all_keys(cls) -> list[str]:
        return [*cls.KEYS.values(), *ProcurementParams.KEYS.values()]

    @classmethod
    def from_values(cls, values: Mapping[str, object]) -> ContractParams:
        """Build from ``{key: typed value}`` as ``rule_value`` returns them; a missing key or a ratio
        outside 0..1 is refused with ValueError naming the key."""
        missing = [key for key in cls.KEYS.values() if key not in values]
        if missing:
            raise ValueError("缺少规则参数：" + "、".join(missing))
        kwargs: dict[str, object] = {}
        for name, key in cls.KEYS.items():
            raw = values[key]
            if name == "defect_period_max_months":
                kwargs[name] = int(str(raw))
            elif name == "large_fund_min_amount":
                kwargs[name] = Decimal(str(raw))
            else:
                ratio = Decimal(str(raw))
                if not 0 <= ratio <= 1:
                    raise ValueError(f"规则参数 {key} 应为 0 到 1 之间的小数比例，实为 {raw}")
                kwargs[name] = ratio
        kwargs["procurement"] = ProcurementParams.from_values(values)
        return cls(**kwargs)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ContractTerms:
    amount: Decimal
    advance_ratio: Decimal
    progress_ratio: Decimal
    quality_deposit_ratio: Decimal
    defect_period_months: int
    performance_bond: Decimal
    award_notice_on: dt.date
    signed_on: dt.date | None = None


def _range_problem(label: str, value: Decimal, lo_key: str, lo: Decimal, hi_key: str, hi: Decimal) -> str | None:
    if value < lo:
        return f"{label} {_pct(value)} 低于“{rule_name(lo_key)}”{_pct(lo)}（允许 {_pct(lo)}–{_pct(hi)}，含本数）"
    if value > hi:
        return f"{label} {_pct(value)} 超过“{rule_name(hi_key)}”{_pct(hi)}（允许 {_pct(lo)}–{_pct(hi)}，含本数）"
    return None


def contract_terms_problems(terms: ContractTerms, params: ContractParams) -> list[str]:
    """Every term outside the rules, in Chinese, each naming the rule parameter and its number; [] when
    the terms are allowed. Bounds are inclusive (30% advance and 3% deposit are allowed); an advance of 0
    means no advance and is allowed (the 10%–30% range binds only an advance that is paid)."""
    keys = ContractParams.KEYS
    problems: list[str | None] = []
    if terms.amount <= 0:
        problems.append(f"合同金额须大于0，填写的是 {terms.amount}")
    if terms.advance_ratio != 0:  # 0: the contract pays no advance (不支付预付款), which the rules allow
        advance = _range_problem(
            "预付款比例",
            terms.advance_ratio,
            keys["advance_min_ratio"],
            params.advance_min_ratio,
            keys["advance_max_ratio"],
            params.advance_max_ratio,
        )
        problems.append(f"{advance}；不支付预付款的填 0" if advance else None)
    problems.append(
        _range_problem(
            "进度款支付比例",
            terms.progress_ratio,
            keys["progress_min_ratio"],
            params.progress_min_ratio,
            keys["progress_max_ratio"],
            params.progress_max_ratio,
        )
    )
    if terms.quality_deposit_ratio < 0:
        problems.append(f"质量保证金比例不能为负数：{_pct(terms.quality_deposit_ratio)}")
    elif terms.quality_deposit_ratio > params.qdep_max_ratio:
        problems.append(
            f"质量保证金比例 {_pct(terms.quality_deposit_ratio)} 超过“{rule_name(keys['qdep_max_ratio'])}”{_pct(params.qdep_max_ratio)}"
        )
    if terms.defect_period_months > params.defect_period_max_months:
        problems.append(
            f"缺陷责任期 {terms.defect_period_months} 个月超过“{rule_name(keys['defect_period_max_months'])}”"
            f"{params.defect_period_max_months} 个月"
        )
    if terms.performance_bond < 0:
        problems.append("履约保证金不能为负数")
    elif terms.amount > 0:
        problems.append(performance_bond_problem(terms.performance_bond, terms.amount, params=params.procurement))
    if terms.signed_on is not None:
        problems.append(contract_signing_problem(terms.award_notice_on, terms.signed_on, params=params.procurement))
    return [p for p in problems if p]


@dataclass(frozen=True)
class ChangeReview:
    cumulative_after: Decimal
    ratio_after: Decimal
    requires_higher_approval: bool
    reasons: tuple[str, ...]


def change_review(
    cumulative_before: Decimal,
    change: Decimal,
    contract_amount: Decimal,
    approved_estimate: Decimal | None,
    project_total_after: Decimal,
    params: ContractParams,
) -> ChangeReview:
    """The cumulative change ratio after ``change`` and whether it needs the higher approval and a
    collective decision: cumulative ratio strictly above ``change.reapproval_cumulative_ratio`` (10% itself
    does not), or ``project_total_after`` (contracts with their changes) above the approved estimate."""
    key = ContractParams.KEYS["reapproval_cumulative_ratio"]
    cumulative = cumulative_before + change
    # the decision compares exact amounts (no division, no rounding: 10.00002% is above 10%); the ratio is
    # rounded to four decimals only to be kept and shown
    ratio = (cumulative / contract_amount).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    reasons: list[str] = []
    if cumulative > params.reapproval_cumulative_ratio * contract_amount:
        reasons.append(
            f"累计变更 {_yuan(cumulative)} 占合同价 {_yuan(contract_amount)} 的 {_pct_exact(cumulative, contract_amount)}，"
            f"超过“{rule_name(key)}”{_pct(params.reapproval_cumulative_ratio)}"
        )
    if approved_estimate is not None and project_total_after > approved_estimate:
        over = project_total_after - approved_estimate
        text = f"变更后项目合同总额 {_yuan(project_total_after)} 超过批复概算 {_yuan(approved_estimate)}（超出 {_yuan(over)}）"
        if over > approved_estimate * params.estimate_overrun_ratio:
            text += f"，超出比例超过“{rule_name(ContractParams.KEYS['estimate_overrun_ratio'])}”{_pct(params.estimate_overrun_ratio)}，须重新报批概算"
        reasons.append(text)
    return ChangeReview(cumulative, ratio, bool(reasons), tuple(reasons))


def _pct_exact(part: Decimal, whole: Decimal) -> str:
    """``part`` as a percentage of ``whole`` for display only: two decimals, or more when two would show a
    whole number the exact ratio is not (10.00002%, never "10%" for a ratio just above a 10% bound)."""
    exact = part / whole * 100
    places = 2
    shown = exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    while shown != exact and shown == shown.to_integral_value() and places < 8:
        places += 1
        shown = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(shown, "f").rstrip("0").rstrip(".")
    return text + "%"


def lot_estimate_overrun(*, contract_amount: Decimal, lot_estimate: Decimal, max_ratio: Decimal) -> str | None:
    """合同金额超出标段估算: when ``contract_amount`` exceeds the lot's estimate by more than ``max_ratio``
    (``contract.lot_estimate_overrun_ratio``, strictly above, compared exactly), the sentence naming the
    amounts, the excess and the rule; None otherwise. Such a contract needs the higher (重大变更) approval
    before it is signed and is shown to 纪检监察."""
    if lot_estimate <= 0 or contract_amount - lot_estimate <= lot_estimate * max_ratio:
        return None
    over = contract_amount - lot_estimate
    return (
        f"合同金额 {_yuan(contract_amount)}超出标段估算 {_yuan(lot_estimate)}，超出 {_yuan(over)}"
        f"（{_pct_exact(over, lot_estimate)}），超过合同金额超出标段估算需报批比例 {_pct(max_ratio)}"
    )


def contract_ceiling(amount: Decimal, approved_changes: Iterable[Decimal]) -> Decimal:
    """The ceiling finance pays against: the contract amount adjusted by every approved change."""
    return amount + sum(approved_changes, Decimal(0))


@dataclass(frozen=True)
class MilestoneTerm:
    """One payment milestone as drafted: its kind (advance, progress, settlement, retention_return), a
    ratio of the contract amount or a fixed amount (a settlement may have neither: it is what the
    settlement audit decides), and its payment condition."""

    kind: str
    ratio: Decimal | None
    amount: Decimal | None
    condition: str


MILESTONE_LABELS = {"advance": "预付款", "progress": "进度款", "settlement": "结算款", "retention_return": "质保金返还"}


def milestone_problems(milestones: Iterable[MilestoneTerm], terms: ContractTerms) -> list[str]:
    """What is wrong with a contract's payment milestones against its own terms, each naming the
    milestone and the numbers; [] when they agree:

    * every milestone has a known kind and a payment condition, a ratio in (0, 100%] or an amount > 0
      (not both; only a settlement may have neither);
    * the advance milestones together equal the contract's advance ratio (an advance paid in tranches
      adds up to what the contract says);
    * no progress milestone pays a larger share than the contract's progress ratio;
    * the quality-deposit return equals the contract's quality-deposit ratio;
    * at most one settlement and one deposit return.
    """
    rows = list(milestones)
    problems: list[str] = []
    amount = terms.amount
    advance_share = Decimal(0)
    counts: dict[str, int] = {}
    for seq, m in enumerate(rows, start=1):
        label = f"第{seq}个付款节点（{MILESTONE_LABELS.get(m.kind, m.kind)}）"
        if m.kind not in MILESTONE_LABELS:
            problems.append(f"第{seq}个付款节点的类型“{m.kind}”无效")
            continue
        counts[m.kind] = counts.get(m.kind, 0) + 1
        if not m.condition.strip():
            problems.append(f"{label}须写明支付条件")
        if m.ratio is not None and m.amount is not None:
            problems.append(f"{label}比例和金额只能填写一项")
            continue
        if m.ratio is None and m.amount is None:
            if m.kind != "settlement":
                problems.append(f"{label}须填写比例或金额")
            continue
        if m.ratio is not None and not (Decimal(0) < m.ratio <= 1):
            problems.append(f"{label}比例 {_pct(m.ratio)} 须大于0且不超过100%")
            continue
        if m.amount is not None and m.amount <= 0:
            problems.append(f"{label}金额须大于0")
            continue
        share = m.ratio if m.ratio is not None else (m.amount / amount if amount > 0 else Decimal(0))  # type: ignore[operator]
        if m.kind == "advance":
            advance_share += share
        elif m.kind == "progress" and share > terms.progress_ratio:
            problems.append(f"{label}比例 {_pct(share)} 超过合同约定的进度款支付比例 {_pct(terms.progress_ratio)}")
        elif m.kind == "retention_return" and share.quantize(Decimal("0.0001")) != terms.quality_deposit_ratio.quantize(
            Decimal("0.0001")
        ):
            problems.append(f"{label}比例 {_pct(share)} 与合同约定的质量保证金比例 {_pct(terms.quality_deposit_ratio)} 不一致")
    if counts.get("advance") and advance_share.quantize(Decimal("0.0001")) != terms.advance_ratio.quantize(Decimal("0.0001")):
        problems.append(f"预付款节点合计 {_pct(advance_share)} 与合同约定的预付款比例 {_pct(terms.advance_ratio)} 不一致")
    for kind in ("settlement", "retention_return"):
        if counts.get(kind, 0) > 1:
            problems.append(f"{MILESTONE_LABELS[kind]}节点只能有一个，现有 {counts[kind]} 个")
    return problems
