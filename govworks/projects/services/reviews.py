"""专家论证 with a reproducible, conflict-free random draw, and 联审 by several departments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.core.rule_seed import rule_name
from govworks.org import permissions as org_perms
from govworks.org.models import User
from govworks.projects import permissions as perms
from govworks.projects.models import Expert, ExpertOpinion, ExpertReview, JointReview, JointReviewSeat, Project, Speciality
from govworks.projects.rules import joint_review_summary, redraw_reason_problem
from govworks.projects.services.common import param
from govworks.projects.services.expert_draws import (
    PanelDraw,
    expert_panel_draw,
    expert_panel_replay,
    speciality_label,
)


def _draw_audit(actor: User, review: ExpertReview, drawn: PanelDraw, *, action: str, verb: str, reason: str = "") -> None:
    audit_event_record(
        actor=actor,
        action=action,
        obj=review,
        agency=review.project.agency,
        context=review.project,
        summary=(
            f"{verb}{speciality_label(review.speciality)}专家 {review.panel_size} 名：{drawn.panel_names()}"
            f"（候选 {drawn.eligible_count} 名，回避 {len(drawn.excluded)} 名）"
        ),
        changes={"seed": {"before": None, "after": drawn.seed}, "panel": {"before": None, "after": drawn.panel}},
        reason=reason,
    )


def expert_review_draw(
    *, actor: User, project: Project, stage: str, subject: str, speciality: str, panel_size: int
) -> ExpertReview:
    """Draw a panel at random from the pool of ``speciality`` with :func:`expert_draws.expert_panel_draw`,
    excluding experts of the project's agency (and its superiors), of companies tied to it, and every
    employee of a party of the project. The seed, the pool snapshot and the result are stored, so anyone
    can re-run the draw and get the same panel (:func:`expert_review_replay`)."""
    org_perms.require(actor, perms.REVIEW_ORGANIZE, project.agency_id)
    if speciality not in Speciality.values:
        raise DomainError("expert.speciality", "请选择专业", field="speciality")
    minimum = int(param("expert_review.panel_min_size", project.agency))
    if panel_size < minimum:
        raise DomainError(
            "expert.panel_size",
            f"专家论证不少于 {minimum} 人（“{rule_name('expert_review.panel_min_size')}”），填写的是 {panel_size} 人",
            field="panel_size",
        )
    with transaction.atomic():
        drawn = expert_panel_draw(
            project=project,
            speciality=speciality,
            panel_size=panel_size,
            refusal_code="expert.pool_too_small",
            pool_label=f"“{Speciality(speciality).label}”专业",
        )
        review = ExpertReview.objects.create(
            project=project,
            stage=stage,
            subject=subject,
            speciality=speciality,
            panel_size=panel_size,
            seed=drawn.seed,
            pool_snapshot=drawn.pool_snapshot,
            excluded_snapshot=drawn.excluded,
            panel=drawn.panel,
            drawn_by=actor,
        )
        _draw_audit(actor, review, drawn, action="projects.expert_review.draw", verb="随机抽取")
    return review


def expert_review_redraw(*, actor: User, review: ExpertReview, reason: str) -> ExpertReview:
    """Draw the panel of ``review`` again, for a written reason (an expert cannot attend, a tie came to
    light). The first draw is kept, marked 已重新抽取, and linked from the new one; both are shown side
    by side. Refused without a reason, once an opinion is recorded, or after the conclusion."""
    _organizer(actor, review)
    problem = redraw_reason_problem(reason)
    if problem:
        raise DomainError("expert.redraw_reason", problem, field="reason")
    with transaction.atomic():
        old = ExpertReview.objects.select_for_update(of=("self",)).select_related("project__agency").get(pk=review.pk)
        if old.status != ExpertReview.Status.DRAWN:
            raise DomainError("expert.redraw_status", f"本次论证{old.get_status_display()}，不能重新抽取")
        given = ExpertOpinion.objects.filter(review=old).count()
        if given:
            raise DomainError("expert.redraw_opinions", f"已录入 {given} 名专家的论证意见，不能再重新抽取")
        drawn = expert_panel_draw(
            project=old.project,
            speciality=old.speciality,
            panel_size=old.panel_size,
            refusal_code="expert.pool_too_small",
            pool_label=f"“{speciality_label(old.speciality)}”专业",
        )
        old.status = ExpertReview.Status.SUPERSEDED
        old.save(update_fields=["status"])
        new = ExpertReview.objects.create(
            project=old.project,
            stage=old.stage,
            subject=old.subject,
            speciality=old.speciality,
            panel_size=old.panel_size,
            seed=drawn.seed,
            pool_snapshot=drawn.pool_snapshot,
            excluded_snapshot=drawn.excluded,
            panel=drawn.panel,
            drawn_by=actor,
            replaces=old,
            redraw_reason=reason.strip(),
        )
        _draw_audit(actor, new, drawn, action="projects.expert_review.redraw", verb="重新抽取", reason=reason.strip())
    return new


def expert_review_replay(review: ExpertReview) -> list[int]:
    """Re-run the stored draw: the same seed and snapshot give the same panel."""
    return expert_panel_replay(
        pool_snapshot=review.pool_snapshot, speciality=review.speciality, panel_size=review.panel_size, seed=review.seed
    )


def _organizer(actor: User, review: ExpertReview | JointReview) -> None:
    org_perms.require(actor, perms.REVIEW_ORGANIZE, review.project.agency_id)


def expert_opinion_record(*, actor: User, review: ExpertReview, expert: Expert, score: int, opinion: str) -> ExpertOpinion:
    """The written opinion and score (0–100) of a panel member, entered by the organizer."""
    _organizer(actor, review)
    if expert.pk not in review.panel:
        raise DomainError("expert.not_on_panel", f"{expert.name} 不是本次论证抽中的专家", field="expert")
    if not 0 <= score <= 100:
        raise DomainError("expert.score", f"评分须在 0 到 100 之间（填写的是 {score}）", field="score")
    if not opinion.strip():
        raise DomainError("expert.opinion", "请填写专家书面意见", field="opinion")
    with transaction.atomic():
        review = ExpertReview.objects.select_for_update().get(pk=review.pk)
        if review.status != ExpertReview.Status.DRAWN:
            raise DomainError("expert.concluded", "论证已出结论，不能再录入意见")
        if ExpertOpinion.objects.filter(review=review, expert=expert).exists():
            raise DomainError("expert.duplicate", f"{expert.name} 的意见已录入", field="expert")
        row = ExpertOpinion.objects.create(review=review, expert=expert, score=score, opinion=opinion, recorded_by=actor)
        audit_event_record(
            actor=actor,
            action="projects.expert_review.opinion",
            obj=review,
            agency=review.project.agency,
            context=review.project,
            summary=f"录入专家 {expert.name} 论证意见（{score} 分）",
            reason=opinion[:500],
        )
    return row


def expert_review_conclude(*, actor: User, review: ExpertReview, conclusion: str, note: str) -> ExpertReview:
    """通过 / 修改后通过 / 不通过, once every panel member's opinion is in."""
    _organizer(actor, review)
    if conclusion not in ExpertReview.Conclusion.values:
        raise DomainError("expert.conclusion", "请选择论证结论", field="conclusion")
    with transaction.atomic():
        review = ExpertReview.objects.select_for_update(of=("self",)).select_related("project").get(pk=review.pk)
        if review.status != ExpertReview.Status.DRAWN:
            raise DomainError("expert.concluded", "论证已出结论")
        given = set(review.opinions.values_list("expert_id", flat=True))
        missing = [i for i in review.panel if i not in given]
        if missing:
            names = "、".join(Expert.objects.filter(pk__in=missing).values_list("name", flat=True))
            raise DomainError("expert.opinions_missing", f"还有 {len(missing)} 名专家的意见未录入：{names}")
        review.status = ExpertReview.Status.CONCLUDED
        review.conclusion = conclusion
        review.conclusion_note = note
        review.concluded_at = timezone.now()
        review.save()
        audit_event_record(
            actor=actor,
            action="projects.expert_review.conclude",
            obj=review,
            agency=review.project.agency,
            context=review.project,
            summary=f"专家论证“{review.subject}”结论：{review.get_conclusion_display()}",
            reason=note,
        )
    return review


def joint_review_request(
    *, actor: User, project: Project, stage: str, subject: str, due_on: dt.date, seats: Sequence[tuple[str, User]]
) -> JointReview:
    """Ask several departments for their opinions in parallel; each answers on its own."""
    org_perms.require(actor, perms.REVIEW_ORGANIZE, project.agency_id)
    if len(seats) < 2:
        raise DomainError("joint.seats", "联审至少需要两个部门", field="seats")
    units = [u.strip() for u, _ in seats]
    if len(set(units)) != len(units) or not all(units):
        raise DomainError("joint.units", "联审部门名称不能为空或重复", field="seats")
    if due_on < timezone.localdate():
        raise DomainError("joint.due", "反馈期限不能早于今天", field="due_on")
    if any(reviewer.pk == actor.pk for _, reviewer in seats):
        raise DomainError("joint.self", "组织人不能同时作为联审部门经办人", field="seats")
    for _, reviewer in seats:
        org_perms.require_business_person(reviewer, duty="联审部门经办人", field="seats")
    with transaction.atomic():
        review = JointReview.objects.create(project=project, stage=stage, subject=subject, requested_by=actor, due_on=due_on)
        JointReviewSeat.objects.bulk_create([JointReviewSeat(review=review, unit=u.strip(), reviewer=r) for u, r in seats])
        audit_event_record(
            actor=actor,
            action="projects.joint_review.request",
            obj=review,
            agency=project.agency,
            context=project,
            summary=f"发起联审“{subject}”：{'、'.join(units)}，{due_on:%Y-%m-%d} 前反馈",
        )
    return review


def joint_review_opinion(*, actor: User, seat: JointReviewSeat, opinion: str, comment: str) -> JointReviewSeat:
    """The assigned reviewer gives their department's opinion (kept exactly as given)."""
    if actor.pk != seat.reviewer_id:
        raise PermissionDenied("只有该部门的联审经办人可以填写意见")
    if opinion not in JointReviewSeat.Opinion.values:
        raise DomainError("joint.opinion", "请选择意见", field="opinion")
    if opinion != JointReviewSeat.Opinion.AGREE and not comment.strip():
        raise DomainError("joint.comment", "有条件同意或不同意须写明条件或理由", field="comment")
    with transaction.atomic():
        seat = JointReviewSeat.objects.select_for_update(of=("self",)).select_related("review__project__agency").get(pk=seat.pk)
        if seat.review.status != JointReview.Status.OPEN:
            raise DomainError("joint.closed", "联审已形成结论，不能再填写意见")
        if seat.opinion:
            raise DomainError("joint.duplicate", "本部门意见已提交，不能修改")
        seat.opinion, seat.comment, seat.given_at = opinion, comment, timezone.now()
        seat.save()
        audit_event_record(
            actor=actor,
            action="projects.joint_review.opinion",
            obj=seat.review,
            agency=seat.review.project.agency,
            context=seat.review.project,
            summary=f"联审意见：{seat.unit} {seat.get_opinion_display()}",
            reason=comment,
        )
    return seat


def joint_review_conclude(*, actor: User, review: JointReview) -> JointReview:
    """One conclusion from all opinions; dissent is named in it, not averaged away."""
    _organizer(actor, review)
    with transaction.atomic():
        review = JointReview.objects.select_for_update(of=("self",)).select_related("project__agency").get(pk=review.pk)
        if review.status != JointReview.Status.OPEN:
            raise DomainError("joint.closed", "联审已形成结论")
        seats = list(review.seats.all())
        waiting = [s.unit for s in seats if not s.opinion]
        if waiting:
            raise DomainError("joint.waiting", f"还有部门未反馈意见：{'、'.join(waiting)}")
        conclusion, text = joint_review_summary([(s.unit, s.opinion, s.comment) for s in seats])
        review.status, review.conclusion, review.consolidated, review.concluded_at = (
            JointReview.Status.CONCLUDED,
            conclusion,
            text,
            timezone.now(),
        )
        review.save()
        audit_event_record(
            actor=actor,
            action="projects.joint_review.conclude",
            obj=review,
            agency=review.project.agency,
            context=review.project,
            summary=f"联审“{review.subject}”综合结论：{review.get_conclusion_display()}",
            reason=text,
        )
    return review


def expert_create(*, actor: User, **fields: Any) -> Expert:
    """Add an expert to the pool (科室负责人 of any agency; the pool is shared by the deployment)."""
    if not org_perms.can_anywhere(actor, perms.EXPERT_POOL_MANAGE):
        raise PermissionDenied("您没有管理专家库的权限")
    conflicts_a = fields.pop("conflict_agencies", [])
    conflicts_o = fields.pop("conflict_orgs", [])
    with transaction.atomic():
        expert = Expert(**fields)
        expert.full_clean()
        expert.save()
        expert.conflict_agencies.set(conflicts_a)
        expert.conflict_orgs.set(conflicts_o)
        audit_event_record(
            actor=actor, action="projects.expert.create", obj=expert, agency=actor.agency, summary=f"专家入库：{expert}"
        )
    return expert
