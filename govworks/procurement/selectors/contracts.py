"""Reads of contracts: the rule parameters of contract terms and changes (one query), the register with
filters, and one contract with its milestones and its changes each carrying the running ceiling and the
cumulative change ratio. Every read costs a constant number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from govworks.core.errors import DomainError
from govworks.core.models import RuleParameter
from govworks.core.rule_parameters import parse_value, rule_parameter_pick
from govworks.procurement.models import ChangeOrder, Contract, PaymentMilestone
from govworks.procurement.rules_contracts import ContractParams
from govworks.projects.permissions import projects_visible_to


def contract_params(agency: Any, *, on: dt.date | None = None) -> ContractParams:
    """The contract rule parameters (and the procurement ones they build on) in force for ``agency`` on
    ``on``, read in one query; a missing key is refused naming it."""
    on = on or timezone.localdate()
    keys = ContractParams.all_keys()
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
    return ContractParams.from_values(values)


def contracts_visible_to(user: Any) -> QuerySet[Contract]:
    return Contract.objects.filter(project__in=projects_visible_to(user))


def contract_list_visible_to(*, user: Any, q: str = "", status: str = "", project: Any = None) -> QuerySet[Contract]:
    qs = contracts_visible_to(user).select_related("project", "supplier", "lot")
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(supplier__name__icontains=q))
    if status in Contract.Status.values:
        qs = qs.filter(status=status)
    if project:
        qs = qs.filter(project_id=project)
    return qs.order_by("-id")


def pct(ratio: Decimal | None) -> str:
    """0.125 → "12.5%"; "—" for no ratio."""
    if ratio is None:
        return "—"
    text = format((Decimal(ratio) * 100).quantize(Decimal("0.01")), "f")
    return text.rstrip("0").rstrip(".") + "%"


@dataclass(frozen=True)
class ChangeLine:
    change: ChangeOrder
    cumulative: Decimal
    ratio: Decimal
    ceiling: Decimal

    @property
    def percent(self) -> str:
        return pct(self.ratio)


@dataclass(frozen=True)
class ContractView:
    contract: Contract
    milestones: list[PaymentMilestone]
    changes: list[ChangeLine]
    ceiling: Decimal

    @property
    def percents(self) -> dict[str, str]:
        c = self.contract
        return {
            "advance": pct(c.advance_ratio),
            "progress": pct(c.progress_ratio),
            "quality_deposit": pct(c.quality_deposit_ratio),
            **{f"m{m.seq}": pct(m.ratio) for m in self.milestones},
        }


def counted(change: ChangeOrder) -> bool:
    """A change counts towards the cumulative ratio unless it was rejected (drafts not yet submitted do not)."""
    return change.status in (ChangeOrder.Status.SUBMITTED, ChangeOrder.Status.APPROVED)


def contract_view(contract: Contract) -> ContractView:
    """Milestones and changes of ``contract`` (two queries): each change with the cumulative changes and
    ratio after it (changes not rejected, in order) and the ceiling after it (approved changes only)."""
    milestones = list(PaymentMilestone.objects.filter(contract=contract).order_by("seq"))
    changes = list(ChangeOrder.objects.filter(contract=contract).order_by("seq"))
    amount = Decimal(contract.amount)
    cumulative = Decimal(0)
    ceiling = amount
    lines = []
    for change in changes:
        if counted(change):
            cumulative += Decimal(change.amount)
        if change.status == ChangeOrder.Status.APPROVED:
            ceiling += Decimal(change.amount)
        lines.append(ChangeLine(change, cumulative, (cumulative / amount).quantize(Decimal("0.0001")), ceiling))
    return ContractView(contract, milestones, lines, ceiling)


def project_contracts(project: Any) -> list[Contract]:
    return list(Contract.objects.filter(project=project).select_related("supplier").order_by("id"))
