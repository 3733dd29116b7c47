"""Reads of a project's procurement plan: the rule parameters the method decisions need (one query), the
facts of a lot for ``rules_methods``, and the plan with each lot's allowed and required methods.

A plan costs the same number of queries however many lots it has: one for the lots (with their
exceptions), one for the parameters; every decision is then computed in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from govworks.core.errors import DomainError
from govworks.core.models import RuleParameter
from govworks.core.rule_parameters import parse_value, rule_parameter_pick
from govworks.procurement.models import LegalException, ProcurementLot
from govworks.procurement.rules_methods import (
    METHOD_LABELS,
    Category,
    ExceptionKind,
    Ground,
    Lot,
    LotRef,
    Method,
    MethodDecision,
    ProcurementParams,
    allowed_methods,
    split_problem,
)
from govworks.procurement.rules_methods import LegalException as ExceptionFacts

STATE_FUNDED = frozenset({"fiscal", "special"})


def procurement_params(agency: Any, *, on: dt.date | None = None) -> ProcurementParams:
    """The procurement rule parameters in force for ``agency`` on ``on`` (default today), each picked as
    :func:`govworks.core.rule_parameters.rule_value` picks it, read in one query. A missing key is refused
    with DomainError("rule_parameter.missing") naming it: a threshold is never assumed."""
    on = on or timezone.localdate()
    keys = list(ProcurementParams.KEYS.values())
    rows = RuleParameter.objects.filter(key__in=keys, effective_from__lte=on).exclude(effective_to__lt=on)
    by_key: dict[str, list[RuleParameter]] = {}
    for row in rows:
        by_key.setdefault(row.key, []).append(row)
    values: dict[str, object] = {}
    for key in keys:
        best = rule_parameter_pick(by_key.get(key, []), agency)
        if best is None:
            raise DomainError("rule_parameter.missing", f"未配置规则参数 {key}（{on:%Y-%m-%d}），请系统管理员设置后再操作")
        values[key] = parse_value(best.value_type, best.value)
    return ProcurementParams.from_values(values)


def lot_ref(lot: ProcurementLot, project: Any) -> LotRef:
    return LotRef(
        ref=str(lot),
        project=project.code,
        category=Category(lot.category),
        estimated_amount=Decimal(lot.estimated_amount),
        combinable=lot.combinable,
    )


def lot_facts(lot: ProcurementLot, project: Any, *, ground: str | None = None) -> Lot:
    """The facts of ``lot`` for :func:`allowed_methods`: the project's 预算资金 is its controlling amount when
    it is funded by 财政拨款 or 专项资金, its 总投资 the controlling amount; ``ground`` (default: the one
    recorded on the lot) is the recorded reason category."""
    chosen = lot.ground if ground is None else ground
    controlling = project.controlling_amount
    return Lot(
        category=Category(lot.category),
        estimated_amount=Decimal(lot.estimated_amount),
        is_government_procurement=lot.is_government_procurement,
        state_funds_amount=controlling if project.funding_source in STATE_FUNDED else Decimal(0),
        total_investment=controlling,
        grounds=frozenset({Ground(chosen)}) if chosen else frozenset(),
    )


def exception_facts(exception: LegalException | None) -> ExceptionFacts | None:
    if exception is None:
        return None
    return ExceptionFacts(kind=ExceptionKind(exception.kind), approval_ref=exception.approval_reference)


def combined_total(lot: ProcurementLot, lots: Iterable[ProcurementLot]) -> Decimal | None:
    """Total of the combinable lots of ``lot``'s category in ``lots`` (``lot`` included); None when ``lot``
    itself is not combinable (it is then assessed on its own amount)."""
    if not lot.combinable:
        return None
    members = [x for x in lots if x.category == lot.category and x.combinable and x.pk != lot.pk]
    return Decimal(lot.estimated_amount) + sum((Decimal(x.estimated_amount) for x in members), Decimal(0))


def lot_decision(
    lot: ProcurementLot,
    lots: Sequence[ProcurementLot],
    project: Any,
    params: ProcurementParams,
    *,
    ground: str | None = None,
    exception: LegalException | None = None,
    use_recorded_exception: bool = True,
) -> MethodDecision:
    """What :func:`allowed_methods` decides for ``lot`` among the project's ``lots``."""
    if use_recorded_exception and exception is None:
        exception = lot.legal_exception
    return allowed_methods(
        lot_facts(lot, project, ground=ground),
        params=params,
        combined_total=combined_total(lot, lots),
        exception=exception_facts(exception),
    )


@dataclass
class LotRow:
    lot: ProcurementLot
    decision: MethodDecision | None

    @property
    def allowed_labels(self) -> list[str]:
        return [METHOD_LABELS[m] for m in self.decision.allowed] if self.decision else []

    @property
    def required_labels(self) -> list[str]:
        return [METHOD_LABELS[m] for m in self.decision.required] if self.decision else []

    @property
    def method_label(self) -> str:
        return METHOD_LABELS[Method(self.lot.method)] if self.lot.method else ""


@dataclass
class ProcurementPlan:
    rows: list[LotRow]
    split: str | None
    problem: str | None  # why decisions could not be computed (a missing rule parameter)
    total: Decimal


def project_lots(project: Any) -> list[ProcurementLot]:
    """The project's lots in order, with their recorded exceptions (one query)."""
    return list(ProcurementLot.objects.filter(project=project).select_related("legal_exception").order_by("seq"))


def procurement_plan(project: Any) -> ProcurementPlan:
    """The project's lots with each one's decision, and the splitting problem if any. Two queries."""
    lots = project_lots(project)
    total = sum((Decimal(x.estimated_amount) for x in lots), Decimal(0))
    if not lots:
        return ProcurementPlan(rows=[], split=None, problem=None, total=total)
    try:
        params = procurement_params(project.agency)
    except DomainError as err:
        return ProcurementPlan(rows=[LotRow(x, None) for x in lots], split=None, problem=err.message, total=total)
    rows = [LotRow(x, lot_decision(x, lots, project, params)) for x in lots]
    split = split_problem([lot_ref(x, project) for x in lots], params=params)
    return ProcurementPlan(rows=rows, split=split, problem=None, total=total)


def project_exceptions(project: Any) -> list[LegalException]:
    return list(LegalException.objects.filter(project=project).order_by("-approved_on", "-id"))
