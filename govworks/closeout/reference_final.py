"""Reference data of the final accounts, seeded by the closeout migration and refreshed by the demo seeder: the
approval chain of 竣工财务决算 (deployment-wide; an agency may override it). 内审 reviews the figures, the 分管领导
and the 主要领导 approve; the drafter (财务) and the submitter approve no step (职责分离)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

FINAL_ACCOUNTS_CHAINS = [
    ("final_accounts.approval", "竣工决算审批流", Decimal(0), ["internal_audit", "leader_in_charge", "principal_leader"]),
]


def seed_final_accounts_chains(chain_rule: Any) -> int:
    """Create the missing chains (never overwrites an administrator's change). Returns how many were made."""
    made = 0
    for kind, name, min_amount, steps in FINAL_ACCOUNTS_CHAINS:
        if not chain_rule.objects.filter(agency__isnull=True, kind=kind, min_amount=min_amount).exists():
            chain_rule.objects.create(kind=kind, name=name, min_amount=min_amount, steps=steps)
            made += 1
    return made
