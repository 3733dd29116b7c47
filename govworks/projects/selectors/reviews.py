"""Reads of 专家论证 and 联审: the expert pool, what a review page shows, and who may open a joint review.

Every read starts from what the user may see; every page costs a fixed number of queries, however many
experts, opinions or seats there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from govworks.org import permissions as org_perms
from govworks.org.models import User
from govworks.projects import permissions as perms
from govworks.projects.models import Expert, ExpertOpinion, ExpertReview, JointReview, JointReviewSeat, Speciality
from govworks.projects.services.expert_draws import expert_panel_exclusions
from govworks.projects.services.reviews import expert_review_replay

# ------------------------------------------------------------------------------------------ expert pool


def expert_pool_visible_to(user: Any) -> QuerySet[Expert]:
    """The pool is shared by the deployment: every internal user with a role somewhere sees it; nobody else."""
    if not org_perms.business_readable_agency_ids(user) or getattr(user, "is_external", False):
        return Expert.objects.none()
    return Expert.objects.all()


def expert_list_visible_to(*, user: Any, speciality: str = "", text: str = "") -> QuerySet[Expert]:
    """The expert pool with the ties that exclude each expert, filtered by speciality and name/employer."""
    qs = (
        expert_pool_visible_to(user)
        .select_related("employer_agency", "employer_org")
        .prefetch_related("conflict_agencies", "conflict_orgs")
    )
    if speciality in Speciality.values:
        qs = qs.filter(speciality=speciality)
    if text:
        qs = qs.filter(Q(name__contains=text) | Q(employer__contains=text) | Q(title__contains=text))
    return qs.order_by("-is_active", "speciality", "id")


# ------------------------------------------------------------------------------------------ expert review


@dataclass
class PanelMember:
    expert_id: int
    expert: Expert | None
    opinion: ExpertOpinion | None


@dataclass
class ExcludedExpert:
    expert_id: int
    expert: Expert | None
    reason: str


@dataclass
class ExpertReviewPage:
    review: ExpertReview
    pool_size: int
    eligible_count: int
    panel: list[PanelMember]
    excluded: list[ExcludedExpert]
    replayed: list[int]
    average: Decimal | None

    @property
    def replay_matches(self) -> bool:
        return self.replayed == list(self.review.panel)

    @property
    def missing(self) -> list[PanelMember]:
        return [m for m in self.panel if m.opinion is None]

    @property
    def given_count(self) -> int:
        return sum(1 for m in self.panel if m.opinion is not None)

    @property
    def opinions_complete(self) -> bool:
        return not self.missing


@dataclass
class DrawRecord:
    """One draw of a review's panel, as shown side by side with the others."""

    review: ExpertReview
    members: list[Expert | None]
    is_current: bool


def expert_review_page(*, review: ExpertReview) -> ExpertReviewPage:
    """The stored draw, re-run from its seed and snapshot, with the reason each excluded expert was left
    out (computed afresh from the snapshot by ``rules.conflict_reason``) and the opinions (two queries)."""
    snap = review.pool_snapshot or {}
    reasons = expert_panel_exclusions(pool_snapshot=snap, speciality=review.speciality)
    excluded_ids = list(review.excluded_snapshot or [])
    wanted = set(review.panel) | set(excluded_ids)
    experts = {e.pk: e for e in Expert.objects.filter(pk__in=wanted).select_related("employer_agency", "employer_org")}
    opinions = {o.expert_id: o for o in ExpertOpinion.objects.filter(review=review).select_related("recorded_by")}
    scores = [o.score for o in opinions.values()]
    average = (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.1"), ROUND_HALF_UP) if scores else None
    return ExpertReviewPage(
        review=review,
        pool_size=len(snap.get("experts", [])),
        eligible_count=sum(1 for r in reasons.values() if r is None),
        panel=[PanelMember(i, experts.get(i), opinions.get(i)) for i in review.panel],
        excluded=[ExcludedExpert(i, experts.get(i), reasons.get(i) or "（快照中未见回避事由）") for i in excluded_ids],
        replayed=expert_review_replay(review),
        average=average,
    )


def expert_review_draw_history(*, review: ExpertReview) -> list[DrawRecord]:
    """Every draw of the same review, first to last (the first draw and each re-draw with its reason),
    whichever of them ``review`` is; empty when it was never re-drawn. Two queries however long the chain."""
    chain = list(
        ExpertReview.objects.filter(project_id=review.project_id, subject=review.subject, stage=review.stage)
        .select_related("drawn_by")
        .order_by("drawn_at", "pk")
    )
    by_replaced = {r.replaces_id: r for r in chain if r.replaces_id}
    by_id = {r.pk: r for r in chain}
    first = by_id.get(review.pk, review)
    while first.replaces_id and first.replaces_id in by_id:
        first = by_id[first.replaces_id]
    rows: list[ExpertReview] = [first]
    while rows[-1].pk in by_replaced:
        rows.append(by_replaced[rows[-1].pk])
    if len(rows) == 1:
        return []
    ids = {i for r in rows for i in r.panel}
    experts = {e.pk: e for e in Expert.objects.filter(pk__in=ids)}
    return [DrawRecord(r, [experts.get(i) for i in r.panel], r.status != ExpertReview.Status.SUPERSEDED) for r in rows]


def panel_expert(*, review: ExpertReview, expert_id: int) -> Expert | None:
    """The expert ``expert_id`` if they sit on the review's panel, else None."""
    if expert_id not in review.panel:
        return None
    return Expert.objects.filter(pk=expert_id).first()


# ------------------------------------------------------------------------------------------ joint review


def _get_or_404(queryset: QuerySet[Any], pk: Any) -> Any:
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或您无权查看") from None


def joint_review_access(*, user: Any, pk: Any) -> JointReview:
    """A joint review the user may open: one of a visible project, or one where the user holds a seat
    (a 财政/审计 reviewer need not see the agency's other projects). 404 for missing and forbidden alike."""
    try:
        return perms.access_joint_review(user, pk)
    except Http404:
        if not org_perms.is_signed_in(user):
            raise
        return _get_or_404(
            JointReview.objects.filter(seats__reviewer=user).select_related("project", "requested_by").distinct(), pk
        )


def joint_seat_access(*, user: Any, pk: Any) -> JointReviewSeat:
    """A seat of a joint review the user may open (see :func:`joint_review_access`)."""
    if not org_perms.is_signed_in(user):
        raise Http404("记录不存在或您无权查看")
    visible = Q(review__project__in=perms.projects_visible_to(user)) | Q(reviewer=user)
    return _get_or_404(JointReviewSeat.objects.filter(visible).select_related("review__project", "reviewer"), pk)


def joint_review_seats(*, review: JointReview) -> list[JointReviewSeat]:
    """The seats in the order they were asked, each with its reviewer (one query)."""
    return list(JointReviewSeat.objects.filter(review=review).select_related("reviewer", "reviewer__agency").order_by("id"))


def joint_reviewer_choices(*, user: User) -> QuerySet[User]:
    """Who may be named 经办人 of a seat: active internal users the organiser can see, not the organiser."""
    return (
        org_perms.business_people(org_perms.users_visible_to(user))
        .filter(is_active=True, external_org__isnull=True)
        .exclude(pk=user.pk)
        .select_related("agency")
        .order_by("agency__path", "full_name", "username")
    )
