"""Reading rule parameters (DOMAIN.md §5) for an agency on a date, and the seed of every default.

Later modules call :func:`rule_value` at the moment of action and pass the value into their pure
``rules.py`` functions. Editing goes through ``govworks.org.services.rule_parameter_set`` (it needs the
role checks of the organisation module).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

from django.utils import timezone

from govworks.core.errors import DomainError
from govworks.core.models import RuleParameter
from govworks.core.rule_seed import SEED as SEED
from govworks.core.rule_seed import SeedParameter as SeedParameter
from govworks.core.rule_seed import rule_name


class AgencyLike(Protocol):
    """What the parameter lookup needs of an agency (``org.Agency`` provides it)."""

    pk: Any
    region_code: str

    def ancestor_ids(self) -> list[int]: ...


def parse_value(value_type: str, raw: str) -> Decimal | int | bool | str:
    """Typed value of a stored parameter. Percentages come back as fractions: "10" → Decimal("0.10")."""
    if value_type == RuleParameter.ValueType.AMOUNT:
        return Decimal(raw)
    if value_type == RuleParameter.ValueType.PERCENT:
        return Decimal(raw) / Decimal(100)
    if value_type == RuleParameter.ValueType.INTEGER:
        return int(raw)
    if value_type == RuleParameter.ValueType.BOOLEAN:
        return raw == "true"
    return raw


def _rank(param: RuleParameter, agency: AgencyLike | None) -> int | None:
    """Lower is more specific; None when the row does not apply to this agency."""
    if param.scope == RuleParameter.Scope.AGENCY:
        if agency is None:
            return None
        if param.agency_id == agency.pk:
            return 0
        ancestors = agency.ancestor_ids()  # nearest superior first
        if param.agency_id in ancestors:
            return 1 + ancestors.index(param.agency_id)
        return None
    if param.scope == RuleParameter.Scope.REGION:
        if agency is None or not agency.region_code or not param.region_code:
            return None
        return 1000 - len(param.region_code.rstrip("0")) if agency.region_code.startswith(param.region_code.rstrip("0")) else None
    return 10_000


def rule_parameter_pick(rows: Iterable[RuleParameter], agency: AgencyLike | None) -> RuleParameter | None:
    """The most specific of ``rows`` (all of one key, all in force on the date) for ``agency``."""
    best: tuple[int, int, RuleParameter] | None = None
    for row in rows:
        rank = _rank(row, agency)
        if rank is None:
            continue
        candidate = (rank, -row.effective_from.toordinal(), row)
        if best is None or candidate[:2] < best[:2]:
            best = candidate
    return best[2] if best else None


def rule_parameter_effective(key: str, *, agency: AgencyLike | None = None, on: dt.date | None = None) -> RuleParameter:
    """The row in force for ``key`` at ``agency`` on ``on`` (default today). One query.

    Raises DomainError(code="rule_parameter.missing") when no row applies: a threshold must never be
    silently assumed.
    """
    on = on or timezone.localdate()
    rows = RuleParameter.objects.filter(key=key, effective_from__lte=on).exclude(effective_to__lt=on)
    best = rule_parameter_pick(rows, agency)
    if best is None:
        raise DomainError(
            "rule_parameter.missing", f"未配置规则参数“{rule_name(key)}”（{on:%Y-%m-%d}），请系统管理员设置后再操作"
        )
    return best


def rule_value(key: str, *, agency: AgencyLike | None = None, on: dt.date | None = None) -> Any:
    """The typed value of ``key`` for ``agency`` on ``on``; see :func:`parse_value` for the types."""
    row = rule_parameter_effective(key, agency=agency, on=on)
    return parse_value(row.value_type, row.value)


#: Values read for the page chrome of every request (the idle timeout), shared between requests of this
#: process: keyed by the caller's stamp of the rule-parameter table (see ``govworks.org.permissions.
#: access_stamps``: it changes with any row written in any process), the date and the agency's place.
_MEMO: dict[tuple[Any, ...], Any] = {}
_MEMO_MAX = 4096
_MISSING = object()


def rule_value_memo(key: str, *, agency: Any, stamp: Any) -> Any:
    """:func:`rule_value` for today, remembered in this process while ``stamp`` (a fingerprint of every rule
    parameter row, read with the signed-in user) stays the same. Without a stamp it reads the table.
    For the chrome of every request only; a service checking a rule at the moment of action reads
    :func:`rule_value`."""
    if stamp is None:
        return rule_value(key, agency=agency)
    today = timezone.localdate()
    memo_key = (
        key,
        stamp,
        today,
        getattr(agency, "pk", None),
        getattr(agency, "path", None),
        getattr(agency, "region_code", None),
    )
    found = _MEMO.get(memo_key, _MISSING)
    if found is _MISSING:
        try:
            found = rule_value(key, agency=agency, on=today)
        except DomainError as error:
            found = error
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.clear()
        _MEMO[memo_key] = found
    if isinstance(found, DomainError):
        raise found
    return found


def rule_parameters_changed() -> None:
    """Forget the values remembered in this process (called by ``rule_parameter_set``; other processes see
    the change through the stamp)."""
    _MEMO.clear()


def rule_parameters_seed() -> int:
    """Create the deployment-wide default of every parameter that has none yet. Returns how many were made."""
    existing = set(RuleParameter.objects.filter(scope=RuleParameter.Scope.DEPLOYMENT).values_list("key", flat=True))
    new_rows = [
        RuleParameter(
            key=p.key,
            name=p.name,
            category=p.category,
            value=p.value,
            value_type=p.value_type,
            unit=p.unit,
            scope=RuleParameter.Scope.DEPLOYMENT,
            source=p.source,
            status=p.status,
        )
        for p in SEED
        if p.key not in existing
    ]
    RuleParameter.objects.bulk_create(new_rows)
    return len(new_rows)
