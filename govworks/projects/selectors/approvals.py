"""Reads of the approval chains: the inbox (待我审批 / 我提交的 / 我已办), one request with its chain, and
delegations. Every read starts from ``approvals_visible_to``; every page costs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from govworks.core.models import AuditEvent
from govworks.org import permissions as org_perms
from govworks.org.models import User
from govworks.org.roles import Role
from govworks.projects import permissions as perms
from govworks.projects.models import ApprovalRequest, ApprovalStep, Delegation
from govworks.projects.rules import PriorAct, separation_of_duties_problem

#: the audit action of a refused 职责分离 attempt (written by ``services.approvals``)
SOD_REFUSED_ACTION = "projects.approval.sod_refused"

TABS = ("todo", "mine", "done")


@dataclass(frozen=True)
class DecidingScope:
    """What ``user`` may decide today: (agency, role) pairs they hold, and those delegated to them
    (agency, role, delegator id, delegator name) — a delegation never covers the delegator's own items."""

    held: frozenset[tuple[int, str]]
    delegated: tuple[tuple[int, str, int, str], ...]

    def on_behalf_of(self, request: ApprovalRequest, role: str) -> str | None:
        """The delegator's name when ``user`` decides ``role`` of ``request`` only by delegation."""
        if (request.agency_id, role) in self.held:
            return None
        for agency_id, delegated_role, delegator_id, name in self.delegated:
            if agency_id == request.agency_id and delegated_role == role and delegator_id != request.submitted_by_id:
                return name
        return None


def deciding_scope(*, user: Any, on: dt.date | None = None) -> DecidingScope:
    """One query beyond the user's cached grants (the same rule as ``services.approvals.deciding_capacity``)."""
    on = on or timezone.localdate()
    held = frozenset(
        (aid, role) for aid in org_perms.business_readable_agency_ids(user) for role in org_perms.roles_in(user, aid)
    )
    delegated = tuple(
        (agency_id, role, delegator_id, full_name or username)
        for agency_id, role, delegator_id, full_name, username in Delegation.objects.filter(
            delegate=user,
            starts_on__lte=on,
            ends_on__gte=on,
            revoked_at__isnull=True,
            delegator__grants__revoked_at__isnull=True,
            delegator__grants__agency_id=F("agency_id"),
        )
        .values_list("agency_id", "delegator__grants__role", "delegator_id", "delegator__full_name", "delegator__username")
        .distinct()
    )
    return DecidingScope(held=held, delegated=delegated)


def approval_prior_acts(*, request: ApprovalRequest, before_index: int | None = None) -> list[PriorAct]:
    """Everyone who already had a part in ``request``'s item: its drafter (when the subject records one),
    its submitter, and whoever approved a step before ``before_index`` (every approved step when None) —
    in person or through a delegate (both are named). One query."""
    acts: list[PriorAct] = []
    if request.drafted_by_id is not None:
        acts.append(PriorAct(request.drafted_by_id, "drafted", "起草了本事项"))
    acts.append(PriorAct(request.submitted_by_id, "submitted", "提交了本事项"))
    steps = ApprovalStep.objects.filter(request_id=request.pk, decision=ApprovalStep.Decision.APPROVE)
    if before_index is not None:
        steps = steps.filter(index__lt=before_index)
    for index, role, decided_by_id, on_behalf_of_id in steps.order_by("index").values_list(
        "index", "role", "decided_by_id", "on_behalf_of_id"
    ):
        label = f"审批了本事项第{index + 1}环节（{Role(role).label if role in Role.values else role}）"
        if decided_by_id is not None:
            acts.append(PriorAct(decided_by_id, "approved", label))
        if on_behalf_of_id is not None:
            acts.append(PriorAct(on_behalf_of_id, "approved", label + "（委托他人代签）"))
    return acts


def approval_final_prior_acts(*, subject: Any, kind: str) -> tuple[ApprovalRequest | None, list[PriorAct]]:
    """For a final step after a chain (e.g. 付款办结): ``subject``'s approved ``kind`` request and everyone
    who had a part in it — its drafter (also from the subject's ``drafted_by``/``created_by``), its
    submitter, every approver of its steps. (None, []) while no chain approved it. Two queries."""
    from django.contrib.contenttypes.models import ContentType

    request = ApprovalRequest.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
        subject_id=subject.pk,
        kind=kind,
        status=ApprovalRequest.Status.APPROVED,
    ).first()
    if request is None:
        return None, []
    prior = approval_prior_acts(request=request)
    drafter = getattr(subject, "drafted_by_id", None) or getattr(subject, "created_by_id", None)
    if drafter and request.drafted_by_id is None:
        prior.append(PriorAct(int(drafter), "drafted", "起草了本事项"))
    return request, prior


def approval_final_sod_notice(*, user: Any, subject: Any, kind: str, step_label: str) -> str | None:
    """The 职责分离 refusal ``user`` would get on the final step after ``subject``'s chain (shown on the
    page instead of the button), or None."""
    request, prior = approval_final_prior_acts(subject=subject, kind=kind)
    if request is None:
        return None
    problem = separation_of_duties_problem(actor_id=user.pk, acting_for=None, prior=prior, step_label=step_label)
    return problem[1] if problem else None


def approval_sod_notice(*, user: Any, request: ApprovalRequest, acting_for: Any | None = None) -> str | None:
    """The 职责分离 refusal ``user`` would get on ``request``'s current step (shown on the page instead of
    the decide form), or None. One query."""
    if request.status != ApprovalRequest.Status.PENDING:
        return None
    prior = approval_prior_acts(request=request, before_index=request.current_index)
    for_whom = (acting_for.pk, acting_for.display_name) if acting_for is not None and acting_for.pk != user.pk else None
    problem = separation_of_duties_problem(actor_id=user.pk, acting_for=for_whom, prior=prior, step_label="本环节审批")
    return problem[1] if problem else None


def sod_refusals_for(*, agency_ids: Iterable[int], days: int = 30, limit: int = 20) -> QuerySet[AuditEvent]:
    """Refused 职责分离 attempts (self-approval and the like) in ``agency_ids`` in the last ``days`` days,
    newest first: a red flag for 纪检监察."""
    since = timezone.now() - dt.timedelta(days=days)
    return AuditEvent.objects.filter(action=SOD_REFUSED_ACTION, agency_id__in=list(agency_ids), occurred_at__gte=since).order_by(
        "-occurred_at"
    )[:limit]


def _with_current_step(qs: QuerySet[ApprovalRequest]) -> QuerySet[ApprovalRequest]:
    current = ApprovalStep.objects.filter(request=OuterRef("pk"), index=OuterRef("current_index"))
    return qs.annotate(
        current_role=Subquery(current.values("role")[:1]),
        current_due=Subquery(current.values("due_on")[:1]),
    )


def approval_todo_for(*, user: Any, scope: DecidingScope) -> QuerySet[ApprovalRequest]:
    """Pending requests whose current step ``user`` may decide, as holder of its role or as delegate;
    never what the user submitted. Oldest deadline first."""
    approved = ApprovalStep.objects.filter(request=OuterRef("pk"), decision=ApprovalStep.Decision.APPROVE)

    def had_a_part(user_id: Any) -> Q:
        """职责分离: drafted, submitted or approved an earlier step (in person or by a delegate)."""
        return (
            Q(submitted_by_id=user_id)
            | Q(drafted_by_id=user_id)
            | Q(Exists(approved.filter(Q(decided_by_id=user_id) | Q(on_behalf_of_id=user_id))))
        )

    condition = Q(pk__in=[])
    for agency_id, role in scope.held:
        condition |= Q(agency_id=agency_id, current_role=role)
    for agency_id, role, delegator_id, _name in scope.delegated:
        condition |= Q(agency_id=agency_id, current_role=role) & ~had_a_part(delegator_id)
    return (
        _with_current_step(perms.approvals_visible_to(user).filter(status=ApprovalRequest.Status.PENDING))
        .filter(condition)
        .exclude(had_a_part(user.pk))
        .select_related("agency", "submitted_by", "project")
        .order_by(F("current_due").asc(nulls_last=True), "submitted_at", "id")
    )


def approval_submitted_by(*, user: Any) -> QuerySet[ApprovalRequest]:
    return (
        _with_current_step(perms.approvals_visible_to(user).filter(submitted_by=user))
        .select_related("agency", "submitted_by", "project")
        .order_by("-submitted_at", "-id")
    )


def approval_decided_by(*, user: Any) -> QuerySet[ApprovalRequest]:
    """Requests with a step the user decided (in person or on someone's behalf), latest decision first."""
    mine = ApprovalStep.objects.filter(request=OuterRef("pk"), decided_by=user).order_by("-decided_at")
    return (
        _with_current_step(perms.approvals_visible_to(user).filter(steps__decided_by=user))
        .annotate(
            my_decided_at=Max("steps__decided_at", filter=Q(steps__decided_by=user)),
            my_decision=Subquery(mine.values("decision")[:1]),
        )
        .select_related("agency", "submitted_by", "project")
        .order_by("-my_decided_at", "-id")
    )


def approval_steps(*, request: ApprovalRequest) -> list[ApprovalStep]:
    return list(ApprovalStep.objects.filter(request=request).select_related("decided_by", "on_behalf_of").order_by("index"))


def delegations_of(*, user: User) -> tuple[list[Delegation], list[Delegation]]:
    """(given by the user, received by the user), newest first."""
    rows = list(
        Delegation.objects.filter(Q(delegator=user) | Q(delegate=user))
        .select_related("delegator", "delegate", "agency")
        .order_by("-starts_on", "-id")
    )
    return [d for d in rows if d.delegator_id == user.pk], [d for d in rows if d.delegate_id == user.pk]


def delegation_state(delegation: Delegation, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    if delegation.revoked_at:
        return "revoked"
    if today < delegation.starts_on:
        return "future"
    if today > delegation.ends_on:
        return "ended"
    return "active"
