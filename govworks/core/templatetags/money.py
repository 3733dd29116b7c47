"""Money in templates: ``{{ amount|yuan }}`` → 1,234,567.80 and ``{{ amount|wan }}`` → 123.46 (万元)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def yuan(value: Any) -> str:
    """Thousands separators and two decimals; empty for no value."""
    amount = _decimal(value)
    return "" if amount is None else f"{amount.quantize(Decimal('0.01'), ROUND_HALF_UP):,.2f}"


@register.filter
def wan(value: Any) -> str:
    """In 万元 with two decimals (rounded half up); empty for no value."""
    amount = _decimal(value)
    return "" if amount is None else f"{(amount / 10000).quantize(Decimal('0.01'), ROUND_HALF_UP):,.2f}"


@register.filter
def percent(value: Any) -> str:
    """A fraction as a percentage (0.1234 → 12.34%), through ``core.money.percent_text``; empty for no value."""
    from govworks.core.money import percent_text

    ratio = _decimal(value)
    return "" if ratio is None else percent_text(ratio)
