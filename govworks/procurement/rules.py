"""Pure decisions of the supplier register: listing status on a date, what blocks an award, the credit
score. No ORM, no request: facts in, decision out.

Periods include both ends (“以上/以下 include the number”): a listing from 3月1日 to 3月31日 is in force
on 3月1日 and on 3月31日 and no longer on 4月1日; a qualification valid until 6月30日 still counts on
6月30日 and is expired from 7月1日. A listing lifted early stops counting on the day it was lifted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

GREY = "grey"
BLACK = "black"
KIND_LABELS = {GREY: "灰名单", BLACK: "黑名单"}

#: credit score parameters (see :func:`credit_score`)
SCORE_WINDOW_DAYS = 3 * 365
SCORE_WEIGHTS = ((365, Decimal("1.0")), (2 * 365, Decimal("0.6")), (3 * 365, Decimal("0.3")))
SCORE_NEUTRAL = Decimal(80)
GREY_PENALTY = Decimal(20)
PAST_LISTING_PENALTY = Decimal(5)
PAST_LISTING_PENALTY_CAP = Decimal(15)
EXPIRING_SOON_DAYS = 30


@dataclass(frozen=True)
class ListingFacts:
    kind: str
    starts_on: dt.date
    ends_on: dt.date | None
    lifted_on: dt.date | None
    reason: str = ""
    deciding_authority: str = ""
    deciding_document: str = ""


@dataclass(frozen=True)
class QualificationFacts:
    kind: str
    grade: str
    certificate_number: str
    expires_on: dt.date
    category: str = ""


@dataclass(frozen=True)
class EvaluationFacts:
    evaluated_on: dt.date
    score: int


def listing_in_force(listing: ListingFacts, on: dt.date) -> bool:
    """Is ``listing`` in force on ``on``? From ``starts_on`` to ``ends_on`` inclusive, until lifted."""
    if on < listing.starts_on:
        return False
    if listing.ends_on is not None and on > listing.ends_on:
        return False
    return listing.lifted_on is None or on < listing.lifted_on


def listing_status_on(listings: Sequence[ListingFacts], on: dt.date) -> str:
    """“black”, “grey” or “normal” on ``on``: the worst listing in force wins."""
    kinds = {item.kind for item in listings if listing_in_force(item, on)}
    if BLACK in kinds:
        return BLACK
    if GREY in kinds:
        return GREY
    return "normal"


def period_text(starts_on: dt.date, ends_on: dt.date | None) -> str:
    """“2026-03-01 至 2027-02-28” or “2026-03-01 起长期”."""
    return f"{starts_on.isoformat()} 至 {ends_on.isoformat()}" if ends_on else f"{starts_on.isoformat()} 起长期"


def expired_qualifications(
    qualifications: Sequence[QualificationFacts], on: dt.date, category: str | None = None
) -> list[QualificationFacts]:
    """The qualification kinds (of ``category`` when given) whose every certificate expired before ``on``:
    a renewed certificate of the same kind replaces the expired one. One certificate per kind, the latest."""
    by_kind: dict[str, QualificationFacts] = {}
    for q in qualifications:
        if category and q.category != category:
            continue
        current = by_kind.get(q.kind)
        if current is None or q.expires_on > current.expires_on:
            by_kind[q.kind] = q
    return sorted((q for q in by_kind.values() if q.expires_on < on), key=lambda q: (q.expires_on, q.kind))


def award_problem(
    *,
    listings: Sequence[ListingFacts],
    qualifications: Sequence[QualificationFacts],
    on: dt.date,
    category: str | None = None,
) -> str | None:
    """Why a contract may not be awarded to the supplier on ``on``, in Chinese; None when it may.

    Refused: a black listing in force (naming the deciding authority, document and period) or an expired
    qualification (of ``category`` when given) not replaced by a valid one. A grey listing does not by
    itself refuse an award: it lowers the credit score and is shown to the evaluators.
    """
    for item in sorted(listings, key=lambda i: i.starts_on):
        if item.kind == BLACK and listing_in_force(item, on):
            authority = f"{item.deciding_authority}" if item.deciding_authority else ""
            return (
                f"该供应商已被{authority}以《{item.deciding_document}》列入黑名单"
                f"（{period_text(item.starts_on, item.ends_on)}），不得授予合同"
            )
    expired = expired_qualifications(qualifications, on, category)
    if expired:
        q = expired[0]
        return (
            f"该供应商的资质“{q.kind}{q.grade}”（证书编号 {q.certificate_number}）已于 {q.expires_on.isoformat()} 到期，"
            "须更新资质后方可授予合同"
        )
    return None


def evaluation_weight(age_days: int) -> Decimal:
    """1.0 within a year, 0.6 in the second year, 0.3 in the third, 0 afterwards (or in the future)."""
    if age_days < 0:
        return Decimal(0)
    for limit, weight in SCORE_WEIGHTS:
        if age_days < limit:
            return weight
    return Decimal(0)


def credit_score(*, evaluations: Sequence[EvaluationFacts], listings: Sequence[ListingFacts], on: dt.date) -> int:
    """The supplier's credit score (信用分) on ``on``, an integer from 0 to 100.

    * base = Σ wᵢ·scoreᵢ / Σ wᵢ over the evaluations of the last three years, with the weight wᵢ = 1.0
      for an evaluation less than a year old, 0.6 for one to two years, 0.3 for two to three years;
      80 (neutral) when there is none;
    * minus 20 while a grey listing is in force;
    * minus 5 for each listing of the last three years no longer in force (at most 15);
    * 0 while a black listing is in force;
    * rounded half up and kept within 0–100.

    Raising any evaluation's score never lowers the result; adding a listing never raises it.
    """
    status = listing_status_on(listings, on)
    if status == BLACK:
        return 0
    weighted = Decimal(0)
    total_weight = Decimal(0)
    for e in evaluations:
        w = evaluation_weight((on - e.evaluated_on).days)
        weighted += w * Decimal(e.score)
        total_weight += w
    base = weighted / total_weight if total_weight else SCORE_NEUTRAL
    if status == GREY:
        base -= GREY_PENALTY
    past = sum(
        1
        for item in listings
        if not listing_in_force(item, on) and item.starts_on <= on and (on - item.starts_on).days < SCORE_WINDOW_DAYS
    )
    base -= min(PAST_LISTING_PENALTY * past, PAST_LISTING_PENALTY_CAP)
    value = int(base.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return max(0, min(100, value))


def qualification_state(expires_on: dt.date, on: dt.date) -> str:
    """“expired”, “expiring” (within 30 days, both ends included) or “valid”."""
    if expires_on < on:
        return "expired"
    if (expires_on - on).days <= EXPIRING_SOON_DAYS:
        return "expiring"
    return "valid"


def listing_problem(
    *, kind: str, starts_on: dt.date, ends_on: dt.date | None, deciding_document: str, reason: str
) -> tuple[str, str] | None:
    """Why a listing may not be recorded as given, as (field, Chinese message); None when it may.
    A one-day period (``ends_on == starts_on``) is allowed: both ends are included."""
    if kind not in KIND_LABELS:
        return "kind", "请选择灰名单或黑名单"
    if not deciding_document.strip():
        return "deciding_document", "列入灰名单、黑名单须有决定文书（文号）"
    if not reason.strip():
        return "reason", "请填写列入事由"
    if ends_on is not None and ends_on < starts_on:
        return "ends_on", f"截止日期 {ends_on.isoformat()} 早于起始日期 {starts_on.isoformat()}"
    return None
