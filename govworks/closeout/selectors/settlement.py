"""Reads of the settlement audit: the register across the projects a user may see, one contract's settlement,
the firms a draw may pick from, the facts other areas ask for, and what finance needs (the settlement state
of a contract, for the 结算款 and the 结算审计 gate)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from govworks.closeout import permissions_settlement as perms
from govworks.closeout import rules_settlement as rules
from govworks.closeout.models import AuditFirm, Settlement
from govworks.closeout.selectors.milestones import completion_date
from govworks.finance.rules import SettlementState
from govworks.procurement.models import Award, ChangeOrder, Contract, LotCategory

#: the one "speciality" of the audit-firm pool, so the expert draw's rules apply unchanged
DRAW_SPECIALITY = "settlement_audit"

#: the cache key of "who has an open settlement item" (the workbench), cleared by every settlement write
WORK_OWNERS_KEY = "closeout.settlement.work_owners"

STATUS_FILTERS = [(s.value, s.label) for s in Settlement.Status]


def construction_contracts_q() -> Q:
    """施工合同: the main construction contract, and any contract of a 工程 lot."""
    return Q(is_main_construction=True) | Q(lot__category=LotCategory.WORKS)


def is_construction_contract(contract: Contract) -> bool:
    return bool(contract.is_main_construction or contract.lot.category == LotCategory.WORKS)


def construction_contracts(project: Any) -> QuerySet[Contract]:
    """The project's signed construction contracts (each needs an approved settlement)."""
    return (
        Contract.objects.filter(construction_contracts_q(), project=project, status=Contract.Status.SIGNED)
        .select_related("supplier")
        .order_by("signed_on", "id")
    )


def approved_changes_of(contract: Contract) -> Decimal:
    """The sum of the contract's approved change orders (may be negative)."""
    total = ChangeOrder.objects.filter(contract=contract, status=ChangeOrder.Status.APPROVED).aggregate(t=Sum("amount"))["t"]
    return Decimal(total or 0)


def winning_bid_of(contract: Contract) -> Decimal:
    """The winning bid of the contract's lot (中标价); the contract amount stands in for a contract awarded without
    a tender of record (its signed price is the price it was won at)."""
    amount = (
        Award.objects.filter(tender__lot_id=contract.lot_id, notice_issued_on__isnull=False)
        .values_list("bid__amount", flat=True)
        .first()
    )
    return Decimal(amount if amount is not None else contract.amount)


def firm_candidate_rows(project: Any, on: dt.date) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """The pool of a draw as the expert draw's candidate rows: the active firms, qualification valid on ``on``,
    of the project's agency and its superiors — the firm itself is the "employer" the conflicts match on."""
    agency_ids = [project.agency_id, *project.agency.ancestor_ids()]
    firms = list(
        AuditFirm.objects.filter(agency_id__in=agency_ids, is_active=True, qualification_valid_until__gte=on)
        .prefetch_related("conflict_agencies", "conflict_orgs")
        .order_by("pk")
    )
    rows = [
        {
            "id": f.pk,
            "speciality": DRAW_SPECIALITY,
            "employer_agency": None,
            "employer_org": f.external_org_id,
            "employer_name": f.name,
            "employer_credit_code": f.credit_code,
            "conflict_agencies": sorted(a.pk for a in f.conflict_agencies.all()),
            "conflict_orgs": sorted(o.pk for o in f.conflict_orgs.all()),
        }
        for f in firms
    ]
    return rows, {f.pk: f.name for f in firms}


def draw_replay(settlement: Settlement) -> int | None:
    """Re-run the stored draw (same seed, pool, parties): the firm it gives."""
    from govworks.projects.services.expert_draws import expert_panel_replay

    if not settlement.draw_seed:
        return None
    [firm_id] = expert_panel_replay(
        pool_snapshot=settlement.draw_pool, speciality=DRAW_SPECIALITY, panel_size=1, seed=settlement.draw_seed
    )
    return firm_id


def draw_exclusions(settlement: Settlement) -> list[tuple[str, str]]:
    """(firm, why left out) of the stored draw."""
    from govworks.projects.services.expert_draws import expert_panel_exclusions

    reasons = expert_panel_exclusions(pool_snapshot=settlement.draw_pool, speciality=DRAW_SPECIALITY)
    names = {row["id"]: row.get("employer_name", "") for row in settlement.draw_pool.get("experts", [])}
    return [(names.get(i, str(i)), reason) for i, reason in sorted(reasons.items()) if reason]


# ------------------------------------------------------------------------------------------ the register


def settlements_for(user: Any, *, status: str = "", overdue: bool = False, today: dt.date | None = None) -> QuerySet[Settlement]:
    """The register: the settlements ``user`` may see, newest first, optionally of one status or overdue."""
    today = today or timezone.localdate()
    qs = perms.settlements_visible_to(user).select_related("project", "contract", "contract__supplier", "firm")
    if status in Settlement.Status.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.exclude(status=Settlement.Status.APPROVED).filter(due_on__lt=today)
    return qs.order_by("due_on", "id")


def firms_for(user: Any) -> QuerySet[AuditFirm]:
    return (
        perms.firms_visible_to(user)
        .select_related("agency", "external_org")
        .prefetch_related("conflict_agencies", "conflict_orgs")
    )


def settlement_of(contract: Contract) -> Settlement | None:
    return (
        Settlement.objects.filter(contract=contract)
        .select_related("firm", "submitted_by", "drawn_by", "result_by", "confirmed_by", "approved_by")
        .first()
    )


# ------------------------------------------------------------------------------------------ for finance and facts


def settlement_state(contract: Any) -> SettlementState | None:
    """finance's hook: for a contract with a settlement on record, whether the acceptance passed and, once
    approved, the 审定金额 (with the audit report's number). None for a contract without one (finance then
    answers "结算审计尚未完成", and another provider may answer)."""
    row = Settlement.objects.filter(contract_id=contract.pk).values_list("status", "approved_amount", "report_number").first()
    if row is None:
        return None
    passed = completion_date(contract.project) is not None
    status, amount, reference = row
    if status != Settlement.Status.APPROVED:
        return SettlementState(acceptance_passed=passed, approved_amount=None)
    return SettlementState(acceptance_passed=passed, approved_amount=Decimal(amount or 0), reference=reference)


def _approved_totals(project: Any) -> tuple[Decimal, Decimal] | None:
    """(送审, 审定) over the project's construction contracts once every one has an approved settlement."""
    contracts = list(construction_contracts(project).values_list("pk", flat=True))
    if not contracts:
        return None
    rows = list(
        Settlement.objects.filter(contract_id__in=contracts, status=Settlement.Status.APPROVED).values_list(
            "submitted_amount", "approved_amount"
        )
    )
    if len(rows) != len(contracts):
        return None
    return sum((Decimal(s) for s, _ in rows), Decimal(0)), sum((Decimal(a or 0) for _, a in rows), Decimal(0))


def submitted_total(project: Any) -> Decimal | None:
    """送审金额 over the project's submitted settlements (None when none was submitted)."""
    total = Settlement.objects.filter(project=project).aggregate(t=Sum("submitted_amount"))["t"]
    return None if total is None else Decimal(total)


def approved_total(project: Any) -> Decimal | None:
    """审定金额 over the project's construction contracts, once every one is approved."""
    totals = _approved_totals(project)
    return None if totals is None else totals[1]


def reduction_rate(project: Any) -> Decimal | None:
    """审减率 over the project, exact, once every construction contract's settlement is approved."""
    totals = _approved_totals(project)
    return None if totals is None else rules.reduction_rate(*totals)


def gate_details(project: Any) -> tuple[bool, str]:
    """Whether every signed construction contract of ``project`` has its settlement approved, and what is missing."""
    contracts = list(construction_contracts(project))
    if not contracts:
        return False, "尚未签订施工合同"
    by_contract = {s.contract_id: s for s in Settlement.objects.filter(contract__in=contracts)}
    missing = []
    for c in contracts:
        s = by_contract.get(c.pk)
        if s is None:
            missing.append(f"合同{c.number}尚未提交结算书")
        elif s.status != Settlement.Status.APPROVED:
            missing.append(f"合同{c.number}结算{s.get_status_display()}")
    return not missing, "；".join(missing)
