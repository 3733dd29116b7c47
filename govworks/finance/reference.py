"""Reference data of finance, seeded by migration 0002 and refreshed by the demo seeder: the approval
chains of payment requests by amount (deployment-wide; an agency may override them). The threshold of the
larger chain is the default of ``tzyd.large_fund_min_amount`` (300,000 元)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

PAYMENT_CHAINS = [
    ("finance.payment", "付款审批流", Decimal(0), ["department_head", "finance", "leader_in_charge"]),
    (
        "finance.payment",
        "大额付款审批流",
        Decimal(300000),
        ["department_head", "finance", "leader_in_charge", "principal_leader"],
    ),
]


def seed_payment_chains(chain_rule: Any) -> int:
    """Create the missing chains (never overwrites an administrator's change). Returns how many were made."""
    made = 0
    for kind, name, min_amount, steps in PAYMENT_CHAINS:
        if not chain_rule.objects.filter(agency__isnull=True, kind=kind, min_amount=min_amount).exists():
            chain_rule.objects.create(kind=kind, name=name, min_amount=min_amount, steps=steps)
            made += 1
    return made
