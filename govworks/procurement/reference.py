"""Reference data of procurement, seeded by migration 0003 and refreshed by ``seed_demo``: the
change-order approval chains (deployment-wide; an agency may override them)."""

from __future__ import annotations

from typing import Any

CHANGE_CHAINS = [
    ("procurement.change", "重大变更审批流", ["department_head", "leader_in_charge", "principal_leader"]),
    ("procurement.change_minor", "变更审批流", ["department_head", "leader_in_charge"]),
]


def seed_change_chains(chain_rule: Any) -> int:
    """Create the missing chains (never overwrites an administrator's change). Returns how many were made."""
    made = 0
    for kind, name, steps in CHANGE_CHAINS:
        if not chain_rule.objects.filter(agency__isnull=True, kind=kind, min_amount=0).exists():
            chain_rule.objects.create(kind=kind, name=name, min_amount=0, steps=steps)
            made += 1
    return made
