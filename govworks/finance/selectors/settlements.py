"""The settlement facts of a contract (结算审定), asked of whichever module keeps them.

A settlement payment (结算款) and the 结算审计 stage gate need two records that belong to the close-out
module — the completion acceptance passed (竣工验收合格) and the settlement amount approved by the
settlement audit (结算审定金额). Finance never reads those tables itself: the close-out module registers a
provider from its ``AppConfig.ready`` (``register_settlement_provider``), and finance asks through
:func:`settlement_state_for`. With no provider registered — today, before the close-out module exists —
the answer is ``rules.NO_SETTLEMENT``: no approved settlement, so the settlement kind is refused with the
rule named and the gate stays closed. Nothing in finance changes when the provider arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from govworks.finance import rules

#: ``provider(contract)`` returns the contract's settlement state, or None when it knows nothing of it
SettlementProvider = Callable[[Any], "rules.SettlementState | None"]

_providers: list[SettlementProvider] = []


def register_settlement_provider(provider: SettlementProvider) -> None:
    """Let a later module (close-out) answer for the settlement of contracts; registered once, from its
    ``AppConfig.ready``. The first provider with an answer for a contract is used."""
    if provider not in _providers:
        _providers.append(provider)


def unregister_settlement_provider(provider: SettlementProvider) -> None:
    """Remove a provider (tests that plug in a settlement of their own take it out again)."""
    if provider in _providers:
        _providers.remove(provider)


def settlement_state_for(contract: Any) -> rules.SettlementState:
    """The settlement state of ``contract``: acceptance passed and the approved settlement amount, from the
    first registered provider that knows the contract; ``rules.NO_SETTLEMENT`` when none does."""
    for provider in _providers:
        state = provider(contract)
        if state is not None:
            return state
    return rules.NO_SETTLEMENT
