"""Facts about a project that one close-out area keeps and another needs, asked by key.

The performance evaluation fills its indicators from what GovWorks knows (审减率 from the settlement audit, the
final cost from the final accounts, whether acceptance passed…); the close gate asks whether each area's record is
complete. The area that keeps the record registers a provider for its fact from its registering module (listed in
``apps.REGISTERING_MODULES``); readers call :func:`project_fact` and treat None as "not known yet" (the indicator is
then filled by hand with evidence). No area imports another area's models for these.

Known keys (provider → value):

- ``acceptance.passed_on`` (acceptance) → ``datetime.date`` of the 合格 conclusion
- ``acceptance.quality_ok`` (acceptance) → ``bool``: passed on the first acceptance, no open defect
- ``settlement.submitted_total`` / ``settlement.approved_total`` (settlement audit) → ``Decimal`` over the project's contracts
- ``settlement.reduction_rate`` (settlement audit) → ``Decimal`` fraction: (送审 − 审定) ÷ 送审
- ``final_accounts.final_cost`` (final accounts) → ``Decimal`` approved final cost (竣工决算总投资)
- ``final_accounts.approved_on`` (final accounts) → ``datetime.date``
- ``archive.transferred_on`` (archives) → ``datetime.date`` of the 城建档案馆 receipt
- ``assets.confirmed_on`` (asset handover) → ``datetime.date`` the using department confirmed
- ``evaluation.approved_on`` (evaluation) → ``datetime.date``
- ``review.finished_on`` (复盘) → ``datetime.date``
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: ``provider(project)`` → the fact's value, or None when the project has none yet
FactProvider = Callable[[Any], Any]

_providers: dict[str, FactProvider] = {}


def register_project_fact(key: str, provider: FactProvider) -> None:
    """Declare the one provider of fact ``key`` (called once, from the owning area's registering module)."""
    existing = _providers.get(key)
    if existing is not None and existing is not provider:
        raise ValueError(f"fact {key!r} already has a provider: {existing!r}")
    _providers[key] = provider


def unregister_project_fact(key: str) -> None:
    """Remove a provider (tests that plug in a fact of their own take it out again)."""
    _providers.pop(key, None)


def project_fact(key: str, project: Any) -> Any:
    """The value of fact ``key`` for ``project``, or None when no area provides it or the project has none yet."""
    provider = _providers.get(key)
    return provider(project) if provider is not None else None
