"""Approval chains: submit an object for approval, decide each step, delegate while away.

职责分离 (separation of duties) across the whole chain: whoever drafted, submitted or approved an earlier
step of an item may not approve a later step of it — in person or through a delegate. A step is decided
by a holder of its role in the request's agency, or by the person a holder has delegated to for the day.
Every refused attempt is an audit event (``SOD_REFUSED_ACTION``) written after the refused transaction
rolled back, so it survives; 纪检监察 sees them on the workbench. Later modules' final steps (付款办结)
use :func:`approval_sod_require` and :func:`approval_sod_refused_record` the same way.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.core.workdays import deadline_from_rule
from govworks.org import permissions as org_perms
from govworks.org.models import Agency, RoleGrant, User
from govworks.org.roles import Role
from govworks.projects import permissions as perms
from govworks.projects.models import ApprovalChainRule, ApprovalRequest, ApprovalStep, Delegation, Project
from govworks.projects.rules import ChainRule, PriorAct, pick_chain, separation_of_duties_problem
from govworks.projects.selectors.approvals import SOD_REFUSED_ACTION, approval_final_prior_acts, approval_prior_acts
from govworks.projects.services.common import content_type_of, money

#: who may start a chain, by the kind's prefix (later modules add theirs)
SUBMIT_ACTION: dict[str, str] = {"project": perms.PROJECT_ADVANCE, "procurement": "procurement.contract_manage"}

KIND_LABELS = {
    "project.initiation": "立项审批",
    "project.feasibility": "可研审批",
    "project.prelim_design": "概算审批",
}


class SeparationOfDutiesError(DomainError):
    """A 职责分离 refusal, carrying what the audit event written after the rollback needs."""

    def __init__(
        self, code: str, message: str, *, obj: models.Model, agency: Agency, project: Any, title: str, step_label: str
    ) -> None:
        super().__init__(code, message)
        self.obj = obj
        self.agency = agency
        self.project = project
        self.title = title
        self.step_label = step_label


def _drafter_id(subject: Any) -> int | None:
    """Who drafted ``subject`` (its ``drafted_by`` or ``created_by``), when the model records it."""
    for attr in ("drafted_by_id", "created_by_id"):
        value = getattr(subject, attr, None)
        if value:
            return int(value)
    return None


def approval_sod_check(
    *, actor: User, request: ApprovalRequest, step_label: str, prior: list[PriorAct], acting_for: User | None = None
) -> None:
    """Raise :class:`SeparationOfDutiesError` when ``actor`` (or the person they act for) drafted,
    submitted or approved an earlier step of ``request``'s item (``prior``). Writes nothing."""
    for_whom = (acting_for.pk, acting_for.display_name) if acting_for is not None and acting_for.pk != actor.pk else None
    problem = separation_of_duties_problem(actor_id=actor.pk, acting_for=for_whom, prior=prior, step_label=step_label)
    if problem is not None:
        raise SeparationOfDutiesError(
            problem[0],
            problem[1],
            obj=request,
            agency=request.agency,
            project=request.project,
            title=request.title,
            step_label=step_label,
        )


def approval_sod_require(*, actor: User, subject: models.Model, kind: str, step_label: str) -> None:
    """The final step after a chain (e.g. 财务办结 of a payment): refused (:class:`SeparationOfDutiesError`)
    to whoever drafted or submitted ``subject`` or approved any step of its approved ``kind`` chain.
    Call it inside the final step's transaction and :func:`approval_sod_refused_record` after it."""
    request, prior = approval_final_prior_acts(subject=subject, kind=kind)
    if request is not None:
        approval_sod_check(actor=actor, request=request, step_label=step_label, prior=prior)


def approval_sod_refused_record(*, actor: User, error: SeparationOfDutiesError) -> None:
    """Keep a refused 职责分离 attempt for 纪检监察 (action ``SOD_REFUSED_ACTION``). Call it *outside* the
    refused transaction, after it rolled back, so the trace survives the refusal."""
    from govworks.projects.signals import sod_refusal_reported

    with transaction.atomic():
        event = audit_event_record(
            actor=actor,
            action=SOD_REFUSED_ACTION,
            obj=error.obj,
            agency=error.agency,
            context=error.project,
            summary=f"职责分离拒绝：{actor.display_name} 试图办理“{error.title}”的{error.step_label}",
            reason=error.message,
        )
        project = error.project if isinstance(error.project, Project) else None
        sod_refusal_reported(event, project)  # to the risk centre, once committed


def approval_chain_for(*, agency: Agency, kind: str, amount: Decimal) -> ChainRule:
    """The chain that applies to ``kind`` at ``amount`` in ``agency`` (its own rules before the deployment's)."""
    rows = ApprovalChainRule.objects.filter(kind=kind).filter(Q(agency__isnull=True) | Q(agency=agency))
    chain = pick_chain([ChainRule(r.name, r.min_amount, tuple(r.steps), r.agency_id is not None) for r in rows], amount)
    if chain is None:
        raise DomainError(
            "approval.no_chain", f"未配置“{KIND_LABELS.get(kind, kind)}”的审批流（金额 {money(amount)}），请系统管理员配置"
        )
    return chain


def approval_submit(
    *, actor: User, agency: Agency, kind: str, subject: models.Model, title: str, amount: Decimal, project: Project | None = None
) -> ApprovalRequest:
    """Start the chain for ``subject``. Refused while another request of the same kind is pending or
    already approved for it, and to anyone who may not move the subject forward."""
    org_perms.require(actor, SUBMIT_ACTION.get(kind.split(".")[0], perms.PROJECT_ADVANCE), agency.pk)
    with transaction.atomic():
        ct = content_type_of(subject)
        open_request = (
            ApprovalRequest.objects.select_for_update()
            .filter(
                subject_type=ct,
                subject_id=subject.pk,
                kind=kind,
                status__in=[ApprovalRequest.Status.PENDING, ApprovalRequest.Status.APPROVED],
            )
            .first()
        )
        if open_request is not None:
            state = "审批中" if open_request.status == ApprovalRequest.Status.PENDING else "已批准"
            raise DomainError("approval.duplicate", f"“{title}”已有{state}的{KIND_LABELS.get(kind, kind)}，不能重复提交")
        chain = approval_chain_for(agency=agency, kind=kind, amount=amount)
        request = ApprovalRequest.objects.create(
            agency=agency,
            project=project,
            kind=kind,
            title=title,
            amount=amount,
            subject_type=ct,
            subject_id=subject.pk,
            chain_name=chain.name,
            submitted_by=actor,
            drafted_by_id=_drafter_id(subject),
        )
        today = timezone.localdate()
        # each step has approval.step_due_days (个工作日) after the previous one: 法定节假日 skipped, 调休上班 counted
        ApprovalStep.objects.bulk_create(
            [
                ApprovalStep(
                    request=request,
                    index=i,
                    role=role,
                    due_on=deadline_from_rule("approval.step_due_days", agency=agency, start=today, times=i + 1),
                )
                for i, role in enumerate(chain.steps)
            ]
        )
        audit_event_record(
            actor=actor,
            action="projects.approval.submit",
            obj=request,
            agency=agency,
            context=project,
            summary=f"提交{KIND_LABELS.get(kind, kind)}：{title}（{chain.name}：{'→'.join(Role(r).label for r in chain.steps)}）",
            changes={"amount": {"before": None, "after": amount}},
        )
    return request


def deciding_capacity(*, user: User, request: ApprovalRequest, step: ApprovalStep, on: dt.date | None = None) -> User | None:
    """Who ``user`` acts for on ``step``: themselves, a delegator, or None when they may not decide it."""
    on = on or timezone.localdate()
    if user.pk == request.submitted_by_id:
        return None
    if RoleGrant.objects.active().filter(user=user, agency_id=request.agency_id, role=step.role).exists():
        return user
    delegation = (
        Delegation.objects.filter(
            delegate=user,
            agency_id=request.agency_id,
            starts_on__lte=on,
            ends_on__gte=on,
            revoked_at__isnull=True,
            delegator__grants__role=step.role,
            delegator__grants__agency_id=request.agency_id,
            delegator__grants__revoked_at__isnull=True,
        )
        .exclude(delegator_id=request.submitted_by_id)
        .select_related("delegator")
        .first()
    )
    return delegation.delegator if delegation else None


def approval_decide(*, actor: User, request: ApprovalRequest, approve: bool, opinion: str) -> ApprovalRequest:
    """Decide the current step. Refuses (职责分离, :class:`SeparationOfDutiesError`, recorded for 纪检监察
    after the rollback) whoever drafted or submitted the item or approved an earlier step of it, in person
    or as someone's delegate; refuses anyone not holding the step's role (or not delegated by a holder),
    and a return without a reason."""
    try:
        return _approval_decide(actor=actor, request=request, approve=approve, opinion=opinion)
    except SeparationOfDutiesError as err:
        approval_sod_refused_record(actor=actor, error=err)
        raise


def _approval_decide(*, actor: User, request: ApprovalRequest, approve: bool, opinion: str) -> ApprovalRequest:
    opinion = opinion.strip()
    if not approve and not opinion:
        raise DomainError("approval.return_reason", "退回须填写理由", field="opinion")
    with transaction.atomic():
        request = ApprovalRequest.objects.select_for_update(of=("self",)).select_related("project", "agency").get(pk=request.pk)
        if request.status != ApprovalRequest.Status.PENDING:
            raise DomainError("approval.not_pending", f"该审批状态为“{request.get_status_display()}”，不能再审批")
        step = ApprovalStep.objects.select_for_update().get(request=request, index=request.current_index)
        step_label = f"第{step.index + 1}环节（{Role(step.role).label}）审批"
        prior = approval_prior_acts(request=request, before_index=step.index)
        approval_sod_check(actor=actor, request=request, step_label=step_label, prior=prior)
        capacity = deciding_capacity(user=actor, request=request, step=step)
        if capacity is None:
            raise PermissionDenied(f"本环节须由“{Role(step.role).label}”审批，您不是该角色，也未受其委托")
        approval_sod_check(actor=actor, request=request, step_label=step_label, prior=prior, acting_for=capacity)
        now = timezone.now()
        step.decided_by = actor
        step.on_behalf_of = capacity if capacity.pk != actor.pk else None
        step.decision = ApprovalStep.Decision.APPROVE if approve else ApprovalStep.Decision.RETURN
        step.opinion = opinion or "同意"
        step.decided_at = now
        step.save()
        last = request.current_index == request.steps.count() - 1
        if not approve:
            request.status = ApprovalRequest.Status.RETURNED
            request.finished_at = now
        elif last:
            request.status = ApprovalRequest.Status.APPROVED
            request.finished_at = now
        else:
            request.current_index += 1
        request.save()
        proxy = f"（代{capacity.display_name}）" if step.on_behalf_of else ""
        verdict = "同意" if approve else "退回"
        audit_event_record(
            actor=actor,
            action=f"projects.approval.{'approve' if approve else 'return'}",
            obj=request,
            agency=request.agency,
            context=request.project,
            summary=f"{Role(step.role).label}{proxy}{verdict}：{request.title}"
            + ("（审批通过）" if request.status == ApprovalRequest.Status.APPROVED else ""),
            reason=step.opinion,
        )
    return request


def delegation_create(*, actor: User, delegate: User, starts_on: dt.date, ends_on: dt.date, reason: str) -> Delegation:
    """``actor`` lets ``delegate`` decide their approval steps from ``starts_on`` to ``ends_on``."""
    if delegate.pk == actor.pk:
        raise DomainError("delegation.self", "不能委托给自己", field="delegate")
    if actor.agency_id is None or delegate.agency_id != actor.agency_id:
        raise DomainError("delegation.agency", "只能委托本单位人员", field="delegate")
    org_perms.require_business_person(delegate, duty="审批受托人", field="delegate")
    if ends_on < starts_on:
        raise DomainError("delegation.dates", "结束日期不能早于开始日期", field="ends_on")
    if starts_on < timezone.localdate():
        raise DomainError("delegation.past", "开始日期不能早于今天", field="starts_on")
    if not reason.strip():
        raise DomainError("delegation.reason", "请填写委托事由（如出差、休假）", field="reason")
    with transaction.atomic():
        delegation = Delegation.objects.create(
            agency_id=actor.agency_id, delegator=actor, delegate=delegate, starts_on=starts_on, ends_on=ends_on, reason=reason
        )
        audit_event_record(
            actor=actor,
            action="projects.delegation.create",
            obj=delegation,
            agency=actor.agency,
            summary=f"{actor.display_name} 委托 {delegate.display_name} 代为审批（{starts_on:%Y-%m-%d} 至 {ends_on:%Y-%m-%d}）",
            reason=reason,
        )
    return delegation


def approved_request_for(subject: Any, kind: str) -> ApprovalRequest | None:
    """The approved request of ``kind`` for ``subject``, if any."""
    return ApprovalRequest.objects.filter(
        subject_type=content_type_of(subject), subject_id=subject.pk, kind=kind, status=ApprovalRequest.Status.APPROVED
    ).first()
