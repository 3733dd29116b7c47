"""Finding and storing the integrity signals of a project's procurement (see ``rules_integrity``), and the
store other procurement services use for the signals they raise themselves (a lot kept out of the
splitting check). A contract above its lot's estimate by more than ``contract.lot_estimate_overrun_ratio``
is a signal too.

``integrity_signals_scan`` is called by the services whose writes can create a signal (a bid recorded, a
contract drafted, a change approved) and daily by the periodic job; each signal is stored once (by its
fingerprint) with an audit event, so 纪检监察 sees when it first appeared."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from govworks.core.audit import audit_event_record
from govworks.core.registry import register_periodic_job
from govworks.core.rule_parameters import rule_value
from govworks.procurement.models import Award, Bid, ChangeOrder, Contract, IntegritySignal, SupplierBankAccount, Tender
from govworks.procurement.rules_contracts import lot_estimate_overrun
from govworks.procurement.rules_integrity import (
    BidderFacts,
    ContractFacts,
    contracts_below_threshold_clusters,
    overrun_over_winning_bid,
    shared_bidder_traits,
)
from govworks.procurement.rules_methods import Category
from govworks.procurement.selectors.lots import procurement_params
from govworks.procurement.signals import integrity_signal_report_on_commit
from govworks.projects.models import Project

OVERRUN_KEY = "change.reapproval_cumulative_ratio"
LOT_OVERRUN_KEY = "contract.lot_estimate_overrun_ratio"


def _found(project: Project) -> list[tuple[str, str, str, int | None, list[int]]]:
    """(kind, fingerprint, detail, tender id, contract ids) of every signal the project shows now."""
    found: list[tuple[str, str, str, int | None, list[int]]] = []
    bids = list(Bid.objects.filter(tender__lot__project=project).select_related("supplier").order_by("tender_id", "id"))
    # bank accounts are matched on their keyed digest (HMAC-SM3) and shown masked: the number stays encrypted
    accounts: dict[int, list[tuple[str, str]]] = {}
    for account in SupplierBankAccount.objects.filter(supplier__in={b.supplier_id for b in bids}).only(
        "supplier_id", "account_number", "account_digest"
    ):
        accounts.setdefault(account.supplier_id, []).append((account.account_digest, account.account_masked))
    by_tender: dict[int, list[BidderFacts]] = {}
    for bid in bids:
        s = bid.supplier
        by_tender.setdefault(bid.tender_id, []).append(
            BidderFacts(s.name, s.phone, s.address, s.legal_representative, bank_account_keys=tuple(accounts.get(s.pk, ())))
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
        lot_id: (tender_id, Decimal(amount or 0))
        for lot_id, tender_id, amount in Award.objects.filter(
            tender__lot__in={c.lot_id for c in contracts}, notice_issued_on__isnull=False, bid__amount__isnull=False
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

    lot_ratio = Decimal(str(rule_value(LOT_OVERRUN_KEY, agency=project.agency)))
    for contract in contracts:
        over_lot = lot_estimate_overrun(
            contract_amount=Decimal(contract.amount), lot_estimate=Decimal(contract.lot.estimated_amount), max_ratio=lot_ratio
        )
        if over_lot:
            found.append(
                (
                    IntegritySignal.Kind.OVER_LOT_ESTIMATE,
                    f"lot-estimate:{contract.pk}:{contract.amount}",
                    f"合同{contract.number}（{contract.supplier.name}）：{over_lot}",
                    None,
                    [contract.pk],
                )
            )

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


#: signals whose fingerprint names a group whose facts grow (a cluster gains contracts): stored once, updated
UPDATABLE = frozenset({IntegritySignal.Kind.BELOW_THRESHOLD_CLUSTER, IntegritySignal.Kind.SPLIT_CHECK_SKIPPED})


def _trail_detail(kind: str, detail: str, tender_id: int | None) -> str:
    """What the project's timeline may say of a new signal: a signal among the bidders of a tender whose
    opening time has not come names no bidder there (招标投标法第二十二条); the signal itself keeps the names
    and the tender page shows them after the opening."""
    if tender_id is not None and Tender.objects.filter(pk=tender_id, opening_at__gt=timezone.now()).exists():
        return f"{IntegritySignal.Kind(kind).label}（涉及尚未开标的投标人，名称开标后在招标页显示）"
    return detail


def _legacy(kind: str, fingerprint: str) -> str | None:
    """The prefix an older fingerprint of the same group started with (clusters used to be keyed by their
    contract numbers too, so each contract joining made a new signal)."""
    return f"{fingerprint}:" if kind == IntegritySignal.Kind.BELOW_THRESHOLD_CLUSTER else None


def integrity_signal_store(
    *,
    actor: Any | None,
    project: Project,
    kind: str,
    fingerprint: str,
    detail: str,
    tender_id: int | None = None,
    contract_ids: list[int] | tuple[int, ...] = (),
) -> tuple[IntegritySignal | None, bool]:
    """Store the signal ``(kind, fingerprint)`` of ``project`` once, with an audit event in the project's
    timeline. A signal of a growing group (``UPDATABLE``) that is stored already has its facts — detail and
    contracts — updated in place (with an audit event naming the change) instead of being stored again;
    any other signal already stored is left as it is. Returns (the signal, whether it was new); (None,
    False) when a parallel scan stored it meanwhile. Runs inside the caller's transaction if there is one."""
    fingerprint = fingerprint[:200]
    existing = IntegritySignal.objects.filter(project=project, kind=kind, fingerprint=fingerprint).first()
    legacy = _legacy(kind, fingerprint)
    if existing is None and legacy is not None:
        existing = (
            IntegritySignal.objects.filter(project=project, kind=kind, fingerprint__startswith=legacy).order_by("id").first()
        )
    if existing is not None:
        if kind not in UPDATABLE:
            return existing, False
        before_ids = sorted(existing.contracts.values_list("pk", flat=True))
        if existing.detail == detail and existing.fingerprint == fingerprint and before_ids == sorted(contract_ids):
            return existing, False
        with transaction.atomic():
            before = existing.detail
            existing.detail, existing.fingerprint = detail, fingerprint
            existing.save(update_fields=["detail", "fingerprint"])
            existing.contracts.set(contract_ids)
            audit_event_record(
                actor=actor,
                action="procurement.integrity_signal.update",
                obj=existing,
                agency=project.agency,
                context=project,
                summary=f"{project.code} 廉政风险信号更新：{detail}",
                changes={
                    "detail": {"before": before, "after": detail},
                    "contracts": {"before": before_ids, "after": sorted(contract_ids)},
                },
            )
        return existing, False
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
                summary=f"{project.code} 廉政风险信号：{_trail_detail(kind, detail, tender_id)}",
            )
            integrity_signal_report_on_commit(signal.pk)  # to the risk centre, once stored
    except IntegrityError:  # stored meanwhile by a parallel scan
        return None, False
    return signal, True


def integrity_signals_scan(project: Project, *, actor: Any | None = None) -> list[IntegritySignal]:
    """Look at ``project``'s bidders and contracts now and store each signal not stored before (with an
    audit event in the project's timeline); a group's signal already stored has its facts updated instead
    (化整为零: one signal per project, supplier and category, whichever contracts join it). Returns the new
    signals; never refuses anything."""
    project = Project.objects.select_related("agency").get(pk=project.pk)
    new: list[IntegritySignal] = []
    for kind, fingerprint, detail, tender_id, contract_ids in _found(project):
        signal, created = integrity_signal_store(
            actor=actor,
            project=project,
            kind=kind,
            fingerprint=fingerprint,
            detail=detail,
            tender_id=tender_id,
            contract_ids=contract_ids,
        )
        if created and signal is not None:
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
