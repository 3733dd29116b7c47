"""The end of a contract's defect-liability period (缺陷责任期), asked of whichever module keeps it.

The period runs from the completion acceptance (竣工验收合格之日) for the contract's months (建质〔2017〕138号
第二条). The close-out module records the acceptance and the period and registers a provider from its
``AppConfig.ready`` (``register_defect_period_provider``); finance asks through :func:`defect_period_end_for`.
A provider answers ``(True, end)`` for a contract it knows (``end`` None while the period has not started) and
None for one it does not; with no answer, finance falls back to the contract's end date plus its months
(``services.payments.defect_period_ends``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

#: ``provider(contract)`` → ``(known, end)`` or None when it knows nothing of the contract
DefectPeriodProvider = Callable[[Any], "tuple[bool, dt.date | None] | None"]

_providers: list[DefectPeriodProvider] = []


def register_defect_period_provider(provider: DefectPeriodProvider) -> None:
    """Let a later module (close-out) answer for the defect-liability period of contracts (registered once)."""
    if provider not in _providers:
        _providers.append(provider)


def unregister_defect_period_provider(provider: DefectPeriodProvider) -> None:
    """Remove a provider (tests that plug in a period of their own take it out again)."""
    if provider in _providers:
        _providers.remove(provider)


def defect_period_end_for(contract: Any) -> tuple[bool, dt.date | None]:
    """``(True, end)`` from the first provider that knows ``contract``; ``(False, None)`` when none does."""
    for provider in _providers:
        answer = provider(contract)
        if answer is not None:
            return answer
    return False, None
