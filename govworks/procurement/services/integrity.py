"""Finding and storing the integrity signals of a project's procurement (see ``rules_integrity``).

``integrity_signals_scan`` is called by the services whose writes can create a signal (a bid recorded, a
contract drafted, a change approved) and daily by the periodic job; each signal is stored once (by its
fingerprint) with an audit event, so 纪检监察 sees when it first appeared."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from govworks.core.audit import audit_event_record
from govworks.core.registry import register_periodic_job
from govworks.core.rule_parameters import rule_value
from govworks.procurement.models import Award, Bid, ChangeOrder, Contract, IntegritySignal, SupplierBankAccount
from govworks.procurement.rules_integrity import (
    BidderFacts,
    ContractFacts,
    contracts_below_threshold_clusters,
    overrun_over_winning_bid,
    shared_bidder_traits,
)
from govworks.procurement.rules_methods import Category
from govworks.procurement.selectors.lots import procurement_params
from govworks.projects.models import Project

OVERRUN_KEY = "change.reapproval_cumulative_ratio"


def _found(project: Project) -> list[tuple[str, str, str, int | None, list[int]]]:
    """(kind, fingerprint, detail, tender id, contract ids) of every signal the project shows now."""
    found: list[tuple[str, str, str, int | None, list[int]]] = []
    bids = list(Bid.objects.filter(tender__lot__project=project).select_related("supplier").order_by("tender_id", "id"))
    accounts: dict[int, list[str]] = {}
    for supplier_id, number in SupplierBankAccount.objects.filter(supplier__in={b.supplier_id for b in bids}).values_list(
        "supplier_id", "account_number"
    ):
        accounts.setdefault(supplier_id, []).append(number)
    by_tender: dict[int, list[BidderFacts]] = {}
    for bid in bids:
        s = bid.supplier
        by_tender.setdefault(bid.tender_id, []).append(
            BidderFacts(s.name, s.phone, s.address, s.legal_representative, tuple(accounts.get(s.pk, ())))
        )
    for tender_id, bidders in by_tender.items():
        for trait in shared_bidder_traits(bidders):
            found.append(
                (IntegritySignal.Kind.SHARED_BIDDER_TRAIT, f"{tender_id}:{trait.fingerprint}", trait.describe(), tender_id, [])
            )

    contracts = list(Contract.objects.filter(project=project).select_related("lot", "supplier").order_by("id"))
    if not contracts:
        return found
    approved: dict[int, Decimal] = {}
    for contract_id, amount in ChangeOrder.objects.filter(contract__in=contracts, status=ChangeOrder.Status.APPROVED).values_list(
        "contract_id", "amount"
    ):
        approved[contract_id] = approved.get(contract_id, Decimal(0)) + Decimal(amount)
    winning = {
        lot_id: (tender_id, Decimal(amount))
        for lot_id, tender_id, amount in Award.objects.filter(
            tender__lot__in={c.lot_id for c in contracts}, notice_issued_on__isnull=False
        ).values_list("tender__lot_id", "tender_id", "bid__amount")
    }
    max_ratio = Decimal(str(rule_value(OVERRUN_KEY, agency=project.agency)))
    for contract in contracts:
        if contract.lot_id not in winning:
            continue
        tender_id, bid_amount = winning[contract.lot_id]
        ceiling = Decimal(contract.amount) + approved.get(contract.pk, Decimal(0))
        detail = overrun_over_winning_bid(
            winning_bid=bid_amount,
            payable=ceiling,
            what=f"合同{contract.number}支付上限（含已批准变更）",
            ratio_key=OVERRUN_KEY,
            max_ratio=max_ratio,
        )
        if detail:
            found.append((IntegritySignal.Kind.OVER_WINNING_BID, f"{contract.pk}:{ceiling}", detail, tender_id, [contract.pk]))

    params = procurement_params(project.agency)
    facts = [
        ContractFacts(c.number, project.code, c.supplier.name, Category(c.lot.category), Decimal(c.amount)) for c in contracts
    ]
    by_number = {c.number: c.pk for c in contracts}
    for cluster in contracts_below_threshold_clusters(facts, params=params):
        found.append(
            (
                IntegritySignal.Kind.BELOW_THRESHOLD_CLUSTER,
                cluster.fingerprint,
                cluster.describe(),
                None,
                [by_number[ref] for ref in cluster.refs],
            )
        )
    return found


def integrity_signals_scan(project: Project, *, actor: Any | None = None) -> list[IntegritySignal]:
    """Look at ``project``'s bidders and contracts now and store each signal not stored before (with an
    audit event in the project's timeline). Returns the new signals; never refuses anything."""
    project = Project.objects.select_related("agency").get(pk=project.pk)
    known = set(IntegritySignal.objects.filter(project=project).values_list("kind", "fingerprint"))
    new: list[IntegritySignal] = []
    for kind, fingerprint, detail, tender_id, contract_ids in _found(project):
        fingerprint = fingerprint[:200]
        if (kind, fingerprint) in known:
            continue
        try:
            with transaction.atomic():
                signal = IntegritySignal.objects.create(
                    kind=kind, fingerprint=fingerprint, agency=project.agency, project=project, tender_id=tender_id, detail=detail
                )
                if contract_ids:
                    signal.contracts.set(contract_ids)
                audit_event_record(
                    actor=actor,
                    action="procurement.integrity_signal",
                    obj=signal,
                    agency=project.agency,
                    context=project,
                    summary=f"{project.code} 廉政风险信号：{detail}",
                )
        except IntegrityError:  # stored meanwhile by a parallel scan
            continue
        known.add((kind, fingerprint))
        new.append(signal)
    return new


def integrity_scan_daily(today: dt.date) -> str:
    """Periodic job: scan every project that has bids or contracts."""
    ids = set(Bid.objects.values_list("tender__lot__project_id", flat=True).distinct())
    ids |= set(Contract.objects.values_list("project_id", flat=True).distinct())
    created = 0
    for project in Project.objects.filter(pk__in=ids).order_by("id"):
        created += len(integrity_signals_scan(project))
    return f"扫描 {len(ids)} 个项目，新发现 {created} 条廉政风险信号"


register_periodic_job("procurement.integrity_scan", integrity_scan_daily)
