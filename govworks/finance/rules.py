"""Pure decisions of finance: the hard guards of a payment request, the advance offset, the cost centre's
forecast and deviation, the execution rate and the months without a wage transfer. No Django, no ORM: the
services read the facts under their row locks and the rule parameters, and pass plain values.

Sources (``docs/reference/domain-rules.md`` §2): 预付款 within the contract's ratio (10%–30%, 财建〔2004〕
369号第十二条) and offset in later progress payments (同条); 进度款 ≤ the contract's ratio of the completed
value confirmed by the supervising engineer, and before settlement never above
``pay.progress_max_ratio`` (97%) so the quality deposit (≤ 3%) stays retained (财建〔2022〕183号); the
deposit returned only after the defect-liability period (建质〔2017〕138号第二条); 结算款 only after the
completion acceptance passed and the settlement amount approved, the final payment capped at 审定金额 less
the quality deposit (ADR 0010); every cap compared exactly, rounded only where shown; 国库集中支付 from the
budget indicator and never beyond it; payments stopped while a project is frozen (红灯暂停拨款) until the
freeze is released by its one path (赶工计划 → 约谈 → 领导解除); never to a blacklisted supplier or to an account
other than the contract's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from govworks.core.rule_seed import rule_name

CENT = Decimal("0.01")
ZERO = Decimal(0)

ADVANCE = "advance"
PROGRESS = "progress"
SETTLEMENT = "settlement"
RETENTION_RETURN = "retention_return"


def yuan(amount: Decimal) -> str:
    return f"{amount:,.2f} 元"


def pct(ratio: Decimal) -> str:
    text = format((ratio * 100).quantize(CENT, rounding=ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") + "%"


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PaymentParams:
    """``pay.advance_max_ratio``, ``pay.progress_max_ratio``, ``tzyd.large_fund_min_amount``."""

    advance_max_ratio: Decimal
    progress_max_ratio: Decimal
    large_fund_min_amount: Decimal

    KEYS = {
        "advance_max_ratio": "pay.advance_max_ratio",
        "progress_max_ratio": "pay.progress_max_ratio",
        "large_fund_min_amount": "tzyd.large_fund_min_amount",
    }


@dataclass(frozen=True)
class SettlementState:
    """What the close-out records say of a contract's settlement: the completion acceptance passed (竣工验收
    合格) and the settlement amount approved by the settlement audit (结算审定金额, None while not approved).
    ``pending`` names what is missing when no module keeps these records yet."""

    acceptance_passed: bool
    approved_amount: Decimal | None
    reference: str = ""
    pending: str = ""

    @property
    def ready(self) -> bool:
        """A settlement payment may be raised: acceptance passed and the settlement amount approved."""
        return self.acceptance_passed and self.approved_amount is not None


#: the answer when no module provides settlement records: no approved settlement
NO_SETTLEMENT = SettlementState(acceptance_passed=False, approved_amount=None, pending="结算审计尚未完成")


def settlement_readiness_problem(state: SettlementState) -> str | None:
    """结算款支付条件: a settlement payment only after the completion acceptance passed and the settlement
    amount was approved (财建〔2004〕369号第十四条、第十九条); the refusal names the rule and what is missing,
    None when both hold."""
    if state.ready:
        return None
    if state.pending:
        missing = state.pending
    else:
        parts = []
        if not state.acceptance_passed:
            parts.append("竣工验收尚未合格")
        if state.approved_amount is None:
            parts.append("结算金额尚未审定")
        missing = "、".join(parts)
    return f"结算款须在竣工验收合格且结算审定后支付（{missing}）"


def settlement_payment_cap(*, approved_amount: Decimal, quality_deposit_ratio: Decimal) -> Decimal:
    """The most that may have been paid on a contract once its settlement payment is made: the approved
    settlement amount (审定金额) less the quality deposit retained on it (建质〔2017〕138号第七条), exact."""
    return approved_amount - approved_amount * quality_deposit_ratio


@dataclass(frozen=True)
class ContractFacts:
    """A contract and what has already been committed (approved or paid) against it, this request excluded."""

    number: str
    amount: Decimal
    approved_changes: Decimal
    advance_ratio: Decimal
    progress_ratio: Decimal
    quality_deposit_ratio: Decimal
    signed: bool
    committed_total: Decimal  # cash of every committed request (net of offsets)
    advance_paid: Decimal  # committed advances
    advance_offset_before: Decimal  # offsets already taken in committed requests
    progress_gross_before: Decimal  # committed progress payments before their offsets
    settlement_committed: bool
    payee_account_id: int | None
    defect_period_ends: dt.date | None  # None while the works are not finished
    settlement: SettlementState = NO_SETTLEMENT  # the approved settlement (close-out), if any

    @property
    def ceiling(self) -> Decimal:
        return self.amount + self.approved_changes

    @property
    def advance_outstanding(self) -> Decimal:
        return max(self.advance_paid - self.advance_offset_before, ZERO)


@dataclass(frozen=True)
class RequestFacts:
    kind: str
    gross_amount: Decimal
    advance_offset: Decimal
    payee_account_id: int | None
    confirmed_value: Decimal | None  # latest completed value confirmed by the supervising engineer
    confirmed_on: dt.date | None = None

    @property
    def net(self) -> Decimal:
        return self.gross_amount - self.advance_offset


@dataclass(frozen=True)
class SourceFacts:
    label: str
    amount: Decimal
    committed: Decimal
    paid: Decimal

    @property
    def balance(self) -> Decimal:
        return self.amount - self.committed - self.paid


@dataclass(frozen=True)
class FreezeFacts:
    """The project's active payment freeze (None: not frozen) and the one path that lifts it, with the
    state of each step (``construction.selectors.freezes.ReleasePath.text``)."""

    description: str | None
    release_path: str = ""


def advance_offset_due(*, gross: Decimal, advance_ratio: Decimal, outstanding: Decimal, kind: str) -> Decimal:
    """How much of the advance this payment must take back: a progress payment offsets the contract's
    advance ratio of its gross amount (预付款按合同约定比例在进度款中扣回) until the advance is recovered; a
    settlement payment offsets whatever is still outstanding; other kinds offset nothing."""
    if outstanding <= 0:
        return ZERO
    if kind == PROGRESS:
        return min(outstanding, cents(gross * advance_ratio))
    if kind == SETTLEMENT:
        return min(outstanding, gross)
    return ZERO


def payment_problems(
    *,
    contract: ContractFacts,
    request: RequestFacts,
    source: SourceFacts,
    freeze: FreezeFacts,
    supplier_problem: str | None,
    params: PaymentParams,
    today: dt.date,
) -> list[str]:
    """Every hard guard the request breaks, each in Chinese naming the rule and the numbers; [] when it
    may proceed. Called at submission and again, under the contract and source locks, at final approval."""
    problems: list[str] = []
    net = request.net
    if not contract.signed:
        problems.append(f"合同{contract.number}尚未签订，不得付款")
    if request.gross_amount <= 0 or net <= 0:
        problems.append(f"付款金额须大于0（本期应付 {yuan(request.gross_amount)}，扣回预付款 {yuan(request.advance_offset)}）")
        return problems

    # cumulative payments ≤ contract amount + approved changes
    after = contract.committed_total + net
    if after > contract.ceiling:
        problems.append(
            f"累计付款上限：累计付款 {yuan(after)}（已批准 {yuan(contract.committed_total)} + 本次 {yuan(net)}）"
            f"将超过合同价款加已批准变更 {yuan(contract.ceiling)}"
            f"（合同 {yuan(contract.amount)}，变更 {yuan(contract.approved_changes)}）"
        )

    if request.kind == ADVANCE:
        limit_ratio = min(contract.advance_ratio, params.advance_max_ratio)
        limit = contract.amount * limit_ratio  # exact: rounded only where shown
        if contract.advance_paid + request.gross_amount > limit:
            no_advance = "（合同约定不支付预付款）" if contract.advance_ratio == 0 else ""
            problems.append(
                f"预付款比例：累计预付款 {yuan(contract.advance_paid + request.gross_amount)} 将超过合同约定的"
                f"{pct(contract.advance_ratio)}（“{rule_name('pay.advance_max_ratio')}”{pct(params.advance_max_ratio)}）即 {yuan(limit)}"
                + no_advance
            )
        if contract.progress_gross_before > 0 or contract.settlement_committed:
            problems.append("预付款须在进度款之前支付：本合同已支付进度款，不能再申请预付款")

    if request.kind in (PROGRESS, SETTLEMENT):
        due = advance_offset_due(
            gross=request.gross_amount,
            advance_ratio=contract.advance_ratio,
            outstanding=contract.advance_outstanding,
            kind=request.kind,
        )
        if request.advance_offset < due:
            problems.append(
                f"预付款抵扣：本期应扣回预付款 {yuan(due)}（未扣回余额 {yuan(contract.advance_outstanding)}，"
                f"按合同预付款比例 {pct(contract.advance_ratio)}），申请只扣回 {yuan(request.advance_offset)}"
            )
        if request.advance_offset > contract.advance_outstanding:
            problems.append(
                f"预付款抵扣：扣回 {yuan(request.advance_offset)} 超过未扣回的预付款 {yuan(contract.advance_outstanding)}"
            )

    if request.kind == PROGRESS:
        if contract.settlement_committed:
            problems.append("结算款已批准，不能再申请进度款")
        if request.confirmed_value is None:
            problems.append("进度款须依据监理工程师确认的已完工程价款：本合同尚无确认记录")
        else:
            ratio = min(contract.progress_ratio, params.progress_max_ratio)
            limit = request.confirmed_value * ratio  # exact: rounded only where shown
            cumulative = contract.progress_gross_before + request.gross_amount
            if cumulative > limit:
                confirmed = f"（{request.confirmed_on:%Y-%m-%d} 确认）" if request.confirmed_on else ""
                problems.append(
                    f"进度款比例：累计进度款 {yuan(cumulative)}（已批准 {yuan(contract.progress_gross_before)} + 本期 "
                    f"{yuan(request.gross_amount)}）将超过已完工程价款 {yuan(request.confirmed_value)}{confirmed}的"
                    f"{pct(ratio)}即 {yuan(limit)}（合同约定 {pct(contract.progress_ratio)}，"
                    f"“{rule_name('pay.progress_max_ratio')}”{pct(params.progress_max_ratio)}）"
                )
        retained_cap = contract.ceiling * params.progress_max_ratio  # exact: rounded only where shown
        if after > retained_cap:
            problems.append(
                f"结算前付款上限：结算前累计付款 {yuan(after)} 将超过合同价款 {yuan(contract.ceiling)} 的 "
                f"“{rule_name('pay.progress_max_ratio')}”{pct(params.progress_max_ratio)}即 {yuan(retained_cap)}（须预留质量保证金）"
            )

    if request.kind == SETTLEMENT:
        not_ready = settlement_readiness_problem(contract.settlement)
        if not_ready:
            problems.append(not_ready)
        else:
            approved = contract.settlement.approved_amount
            assert approved is not None  # ready
            cap = settlement_payment_cap(approved_amount=approved, quality_deposit_ratio=contract.quality_deposit_ratio)
            if after > cap:
                problems.append(
                    f"质量保证金预留：结算后累计付款 {yuan(after)} 将超过 {yuan(cap)}"
                    f"（结算审定金额 {yuan(approved)} 扣留质量保证金 {pct(contract.quality_deposit_ratio)}）"
                )

    if request.kind == RETENTION_RETURN:
        if not contract.settlement_committed:
            problems.append("质量保证金返还须在结算款批准之后")
        if contract.defect_period_ends is None or today < contract.defect_period_ends:
            ends = f"{contract.defect_period_ends:%Y-%m-%d}" if contract.defect_period_ends else "工程未完工"
            problems.append(f"质量保证金返还：缺陷责任期未满（期满日 {ends}，今天 {today:%Y-%m-%d}）")

    if net > source.balance:
        problems.append(
            f"资金来源余额：本次 {yuan(net)} 超过“{source.label}”可用余额 {yuan(source.balance)}"
            f"（指标 {yuan(source.amount)}，已批复待付 {yuan(source.committed)}，已支付 {yuan(source.paid)}）"
        )
    if freeze.description:
        problems.append(f"暂停拨款：项目{freeze.description}，解除暂停拨款后方可办理；{freeze.release_path}")
    if supplier_problem:
        problems.append(f"收款人限制：{supplier_problem}")
    if contract.payee_account_id is None:
        problems.append(f"收款账户：合同{contract.number}未约定收款账户，不能付款")
    elif request.payee_account_id != contract.payee_account_id:
        problems.append(f"收款账户：只能付往合同{contract.number}约定的收款账户")
    return problems


def needs_collective_decision(net: Decimal, params: PaymentParams) -> bool:
    """A payment of at least ``tzyd.large_fund_min_amount`` (以上 includes the number) is 大额资金使用."""
    return net >= params.large_fund_min_amount


@dataclass(frozen=True)
class CostLine:
    estimate: Decimal
    contracted: Decimal
    changes: Decimal
    pending_changes: Decimal
    day_labour: Decimal
    paid: Decimal

    @property
    def forecast(self) -> Decimal:
        """Forecast final cost: contracted + changes (approved and in approval) + day labour; an item not yet
        contracted is forecast at its estimate."""
        base = self.contracted + self.changes + self.pending_changes if self.contracted > 0 else self.estimate
        return base + self.day_labour

    @property
    def remaining(self) -> Decimal:
        """Still to pay on the forecast."""
        return self.forecast - self.paid

    @property
    def deviation(self) -> Decimal | None:
        return deviation_rate(self.forecast, self.estimate)


def deviation_rate(final_cost: Decimal, estimate: Decimal) -> Decimal | None:
    """成本控制偏差率 = (final cost − approved estimate) ÷ approved estimate; None without an estimate."""
    if estimate <= 0:
        return None
    return ((final_cost - estimate) / estimate).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def cost_total(lines: Iterable[CostLine]) -> CostLine:
    rows = list(lines)

    def total(name: str) -> Decimal:
        return sum((getattr(r, name) for r in rows), ZERO)

    # the total's forecast must equal the sum of the lines' forecasts, so it is built from the lines
    forecast = sum((r.forecast for r in rows), ZERO)
    estimate = total("estimate")
    return CostLine(
        estimate=estimate,
        contracted=forecast - total("day_labour"),
        changes=ZERO,
        pending_changes=ZERO,
        day_labour=total("day_labour"),
        paid=total("paid"),
    )


def execution_rate(paid: Decimal, budget: Decimal) -> Decimal | None:
    """预算执行率 = paid ÷ budgeted funds; None without a budget."""
    if budget <= 0:
        return None
    return (paid / budget).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


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


def months_without_transfer(
    *, starts: dt.date, today: dt.date, transferred: Sequence[dt.date], cycle_days: int = 31
) -> list[dt.date]:
    """Every month from the month of ``starts`` whose labour cost is due — ``cycle_days`` after the month
    began (``wage.labour_cost_transfer_cycle_days``, 人工费用拨付周期 ≤ 1 个月) — with no transfer for it
    (``transferred`` holds the first days of months with one)."""
    done = {month_start(m) for m in transferred}
    month = month_start(starts)
    missing: list[dt.date] = []
    while month + dt.timedelta(days=cycle_days) <= today:
        if month not in done:
            missing.append(month)
        month = add_months(month, 1)
    return missing


def monthly_series(months: Sequence[dt.date], amounts: Iterable[tuple[dt.date, Decimal]], *, cumulative: bool) -> list[Decimal]:
    """Amounts dated by month start onto ``months`` (ascending), optionally cumulated; amounts dated before
    the first month count in the first."""
    by_month: dict[dt.date, Decimal] = {}
    first = months[0] if months else None
    for day, value in amounts:
        key = month_start(day)
        if first is not None and key < first:
            key = first
        by_month[key] = by_month.get(key, ZERO) + value
    out: list[Decimal] = []
    running = ZERO
    for m in months:
        v = by_month.get(m, ZERO)
        running += v
        out.append(running if cumulative else v)
    return out
