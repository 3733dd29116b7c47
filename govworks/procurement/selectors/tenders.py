"""Reads of tenders. Every read of a bid amount goes through :func:`bid_amount`, which returns None
before the tender's opening time for everybody (administrators included): the pages, the panel and the
evaluation all use it. Before the opening the amount is not even in the database in plain (``Bid.sealed_amount``
holds it SM4-encrypted); the opening service writes it out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from govworks.core.rule_parameters import rule_value
from govworks.procurement.models import (
    Award,
    Bid,
    EvaluationPanel,
    EvaluationScore,
    IntegritySignal,
    ProcurementLot,
    Tender,
    bid_amount_unseal,
)
from govworks.procurement.rules_methods import Method
from govworks.projects.models import Expert
from govworks.projects.services.expert_draws import expert_panel_replay

#: the methods that go through a tender record (the others are bought directly)
TENDER_METHODS = frozenset({Method.OPEN_TENDER.value, Method.INVITED_TENDER.value})


def is_sealed(tender: Tender, *, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) < tender.opening_at


def bid_amount(bid: Bid, *, tender: Tender | None = None, now: dt.datetime | None = None) -> Decimal | None:
    """The bid amount, or None while the tender is sealed (before ``opening_at``). After the opening time and
    before the opening is recorded the amount is still only ciphertext: it is decrypted here, in memory."""
    tender = tender or bid.tender
    if is_sealed(tender, now=now):
        return None
    if bid.amount is not None:
        return bid.amount
    return bid_amount_unseal(bid)


@dataclass(frozen=True)
class BidRow:
    pk: int
    supplier: str  # "投标人①" while the name is sealed
    submitted_at: dt.datetime
    amount: Decimal | None  # None = 密封
    bond_amount: Decimal
    valid: bool
    invalid_reason: str
    name_sealed: bool = False


def sealed_bidder_label(index: int) -> str:
    """The stand-in for a bidder's name before opening: 投标人① … 投标人⑳, then 投标人21 and on."""
    return f"投标人{chr(0x2460 + index - 1)}" if 1 <= index <= 20 else f"投标人{index}"


def bid_rows(tender: Tender, *, viewer: Any = None, now: dt.datetime | None = None) -> list[BidRow]:
    """The bids of ``tender`` (one query). Before the opening time amounts are hidden from everybody, and
    bidder names (招标投标法第二十二条: 招标人不得向他人透露已获取招标文件的潜在投标人的名称) from everybody
    except the person who recorded receipt of that bid (``Bid.recorded_by``); the others see 投标人①②… in
    the order of submission. Without a ``viewer`` every name is sealed."""
    bids = Bid.objects.filter(tender=tender).select_related("supplier").order_by("submitted_at", "pk")
    sealed = is_sealed(tender, now=now)
    viewer_id = getattr(viewer, "pk", None)
    rows = []
    for index, b in enumerate(bids, start=1):
        hide = sealed and (viewer_id is None or b.recorded_by_id != viewer_id)
        rows.append(
            BidRow(
                b.pk,
                sealed_bidder_label(index) if hide else b.supplier.name,
                b.submitted_at,
                bid_amount(b, tender=tender, now=now),
                b.bond_amount,
                b.valid,
                b.invalid_reason,
                hide,
            )
        )
    return rows


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
