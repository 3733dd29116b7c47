"""Reads of tenders. Every read of a bid amount goes through :func:`bid_amount`, which returns None
before the tender's opening time for everybody (administrators included): the pages, the panel and the
evaluation all use it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from govworks.core.rule_parameters import rule_value
from govworks.procurement.models import Award, Bid, EvaluationPanel, EvaluationScore, IntegritySignal, ProcurementLot, Tender
from govworks.procurement.rules_methods import Method
from govworks.projects.models import Expert
from govworks.projects.services.expert_draws import expert_panel_replay

#: the methods that go through a tender record (the others are bought directly)
TENDER_METHODS = frozenset({Method.OPEN_TENDER.value, Method.INVITED_TENDER.value})


def is_sealed(tender: Tender, *, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) < tender.opening_at


def bid_amount(bid: Bid, *, tender: Tender | None = None, now: dt.datetime | None = None) -> Decimal | None:
    """The bid amount, or None while the tender is sealed (before ``opening_at``)."""
    tender = tender or bid.tender
    if is_sealed(tender, now=now):
        return None
    return bid.amount


@dataclass(frozen=True)
class BidRow:
    pk: int
    supplier: str
    submitted_at: dt.datetime
    amount: Decimal | None  # None = 密封
    bond_amount: Decimal
    valid: bool
    invalid_reason: str


def bid_rows(tender: Tender, *, now: dt.datetime | None = None) -> list[BidRow]:
    """The bids of ``tender`` with amounts hidden while sealed (one query)."""
    bids = Bid.objects.filter(tender=tender).select_related("supplier").order_by("submitted_at", "pk")
    return [
        BidRow(
            b.pk, b.supplier.name, b.submitted_at, bid_amount(b, tender=tender, now=now), b.bond_amount, b.valid, b.invalid_reason
        )
        for b in bids
    ]


def project_tenders(project: Any) -> list[Tender]:
    return list(Tender.objects.filter(lot__project=project).select_related("lot").order_by("lot__seq"))


def tender_lots_without_tender(project: Any) -> list[ProcurementLot]:
    return list(ProcurementLot.objects.filter(project=project, method__in=TENDER_METHODS, tender__isnull=True).order_by("seq"))


def tender_scores(tender: Tender) -> list[EvaluationScore]:
    return list(EvaluationScore.objects.filter(tender=tender).select_related("evaluator", "bid__supplier"))


def tender_award(tender: Tender) -> Award | None:
    return Award.objects.filter(tender=tender).select_related("bid__supplier").first()


@dataclass(frozen=True)
class AwardNotice:
    """What the 中标通知书 states: the winner, the price, the ranking it came from and the signing deadline."""

    supplier: str
    credit_code: str
    amount: Decimal
    sign_by: dt.date
    sign_max_days: int
    ranking: list[dict[str, Any]]


def award_notice_facts(tender: Tender, award: Award) -> AwardNotice:
    """The facts of an issued award notice; the signing deadline is ``bid.contract_sign_max_days`` after the
    notice (16号令/招标投标法 第四十六条). Only after opening, so the amount is readable."""
    amount = bid_amount(award.bid, tender=tender)
    if amount is None or award.notice_issued_on is None:
        raise ValueError("中标通知书尚未发出")
    days = int(rule_value("bid.contract_sign_max_days", agency=tender.lot.project.agency, on=award.notice_issued_on))
    return AwardNotice(
        supplier=award.bid.supplier.name,
        credit_code=award.bid.supplier.credit_code,
        amount=Decimal(amount),
        sign_by=award.notice_issued_on + dt.timedelta(days=days),
        sign_max_days=days,
        ranking=list(tender.ranking or []),
    )


def tender_integrity_signals(tender: Tender) -> list[IntegritySignal]:
    """The integrity signals found among the tender's bidders (one query)."""
    return list(IntegritySignal.objects.filter(tender=tender).order_by("-detected_at", "-id"))


@dataclass
class PanelRow:
    """One draw of a tender's 评标委员会 with its experts (in drawn order) and the replay check."""

    panel: EvaluationPanel
    experts: list[Expert]
    replay_ok: bool


def tender_panels(tender: Tender) -> list[PanelRow]:
    """Every draw of the tender's 评标委员会, first to last — the current one last, earlier ones (each
    re-draw names its reason) kept beside it. Two queries however many draws."""
    panels = list(EvaluationPanel.objects.filter(tender=tender).select_related("drawn_by").order_by("drawn_at", "id"))
    experts = {e.pk: e for e in Expert.objects.filter(pk__in={i for p in panels for i in p.panel})}
    return [
        PanelRow(
            p,
            [experts[i] for i in p.panel if i in experts],
            expert_panel_replay(pool_snapshot=p.pool_snapshot, speciality=p.speciality, panel_size=p.panel_size, seed=p.seed)
            == p.panel,
        )
        for p in panels
    ]


def current_panel(tender: Tender) -> EvaluationPanel | None:
    """The draw of the 评标委员会 that scores are recorded against, or None before the first draw."""
    return EvaluationPanel.objects.filter(tender=tender, is_current=True).first()
