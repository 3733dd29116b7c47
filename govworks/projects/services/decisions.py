"""三重一大: leadership meetings decide agenda items collectively; the chair concludes last.

Also the higher review (政府常务会议/人大) of large projects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone

from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.core.registry import DecisionSubjectKind, decision_subject_kind_of
from govworks.core.uploads import upload_check
from govworks.org import permissions as org_perms
from govworks.org.models import Agency, User
from govworks.projects import permissions as perms
from govworks.projects.models import AgendaItem, HigherReview, Meeting, MeetingMember, Opinion, Project
from govworks.projects.rules import Tally, decision_problem, quorum_met
from govworks.projects.services.common import content_type_of, param

ALLOWED_FILE_TYPES = (".pdf", ".doc", ".docx", ".jpg", ".jpeg", ".png")
MAX_FILE_BYTES = 20 * 1024 * 1024


def check_upload(
    file: UploadedFile, *, field: str, types: Sequence[str] = ALLOWED_FILE_TYPES, max_bytes: int = MAX_FILE_BYTES
) -> None:
    """Refuse a file whose extension is not in ``types``, larger than ``max_bytes``, or whose content is not what
    its extension claims (the shared check ``core.uploads.upload_check``)."""
    upload_check(file, field=field, types=types, max_bytes=max_bytes)


quorum_reached = quorum_met  # the name the meeting pages and tests use


def _kind_of(subject: Any) -> DecisionSubjectKind | None:
    """The registered decision kind of ``subject`` (of its concrete model), None when there is none."""
    return decision_subject_kind_of(subject._meta.concrete_model or type(subject))


def _context_of(subject: Any) -> Project | None:
    """The project whose timeline records a decision on ``subject`` (as its registered kind says)."""
    if subject is None:
        return None
    kind = _kind_of(subject)
    if kind is not None:
        project = kind.project(subject)
        return project if isinstance(project, Project) else None
    return subject if isinstance(subject, Project) else getattr(subject, "project", None)


def meeting_create(
    *, actor: User, agency: Agency, kind: str, title: str, held_on: dt.date, chair: User, members: Sequence[User]
) -> Meeting:
    """Schedule a leadership meeting. The chair is always a member; members are staff of the agency."""
    org_perms.require(actor, perms.MEETING_MANAGE, agency.pk)
    people = {m.pk: m for m in [*members, chair]}
    strangers = [m.display_name for m in people.values() if m.agency_id != agency.pk]
    if strangers:
        raise DomainError("meeting.members", f"会议成员须为本单位人员：{'、'.join(strangers)}", field="members")
    if len(people) < 3:
        raise DomainError("meeting.members", f"集体决策会议应到成员不少于3人（当前{len(people)}人）", field="members")
    org_perms.require_business_person(chair, duty="会议主持人", field="chair")
    for member in members:
        org_perms.require_business_person(member, duty="会议成员", field="members")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            agency=agency,
            kind=kind,
            title=title,
            held_on=held_on,
            chair=chair,
            organizer=actor,
            quorum_ratio=param("tzyd.quorum_ratio", agency),
        )
        MeetingMember.objects.bulk_create([MeetingMember(meeting=meeting, user=m) for m in people.values()])
        audit_event_record(
            actor=actor,
            action="projects.meeting.create",
            obj=meeting,
            agency=agency,
            summary=f"安排{meeting.get_kind_display()}“{title}”（{held_on:%Y-%m-%d}，主持人 {chair.display_name}，应到 {len(people)} 人）",
        )
    return meeting


def _require_organizer(actor: User, meeting: Meeting) -> None:
    if actor.pk not in (meeting.organizer_id, meeting.chair_id):
        raise PermissionDenied("只有会议记录人或主持人可以办理")


def meeting_record_attendance(
    *, actor: User, meeting: Meeting, present: Sequence[int], absence_reasons: dict[int, str] | None = None
) -> Meeting:
    """Record who attended; the quorum is checked when items are concluded (and shown now)."""
    _require_organizer(actor, meeting)
    absence_reasons = absence_reasons or {}
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == Meeting.Status.CLOSED:
            raise DomainError("meeting.closed", "会议已结束，不能修改出席情况")
        if meeting.chair_id not in present:
            raise DomainError("meeting.chair_absent", "主持人须出席会议", field="present")
        if (
            AgendaItem.objects.filter(meeting=meeting)
            .filter(models.Q(opinions__isnull=False) | ~models.Q(status=AgendaItem.Status.PENDING))
            .exists()
        ):
            raise DomainError("meeting.voting_started", "已有议题开始表态或作出结论，不能再修改出席情况")
        members = list(meeting.members.all())
        for m in members:
            m.present = m.user_id in present
            m.absence_reason = "" if m.present else absence_reasons.get(m.user_id, "")
        MeetingMember.objects.bulk_update(members, ["present", "absence_reason"])
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status", "updated_at"])
        count = sum(1 for m in members if m.present)
        met = quorum_reached(expected=len(members), present=count, ratio=meeting.quorum_ratio)
        audit_event_record(
            actor=actor,
            action="projects.meeting.attendance",
            obj=meeting,
            agency=meeting.agency,
            summary=f"{meeting.title}：应到 {len(members)} 人，实到 {count} 人，{'达到' if met else '未达到'}法定人数",
        )
    return meeting


def agenda_item_add(
    *,
    actor: User,
    meeting: Meeting,
    subject: models.Model,
    category: str = "",
    title: str = "",
    amount: Decimal | None = None,
) -> AgendaItem:
    """Put ``subject`` on the agenda of ``meeting``: any object of a kind registered with
    ``core.registry.register_decision_subject`` (annual plan, project at 立项, contract before signing,
    change order needing the higher approval, large payment request, and whatever a later module adds).

    Refused (nothing written) when the actor is not the recorder or chair, the meeting is closed, the kind is
    not registered, the object belongs to another agency or is not visible to the actor, the object does not
    await a decision (its kind says why, naming the rule and the numbers), or it already has a pending
    decision (or a passed one, unless its kind is decided again after being returned). ``category``,
    ``title`` and ``amount`` default to the kind's category, "审议…" and the object's amount. The item keeps
    the object's facts as the meeting saw them."""
    _require_organizer(actor, meeting)
    kind = _kind_of(subject)
    if kind is None:
        raise DomainError("agenda.kind", f"“{subject}”不属于须集体决策的事项类型", field="subject")
    if kind.agency_id(subject) != meeting.agency_id:
        raise DomainError("agenda.agency", "议题须为本单位事项", field="subject")
    if not kind.visible_to(actor).filter(pk=subject.pk).exists():
        raise PermissionDenied("您无权查看该事项")
    category = category or kind.category
    if category not in AgendaItem.Category.values:
        raise DomainError(
            "agenda.category", "三重一大类别只能是重大决策、重要干部任免、重大项目安排或大额度资金使用", field="category"
        )
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == Meeting.Status.CLOSED:
            raise DomainError("meeting.closed", "会议已结束，不能再增加议题")
        # the subject's row serialises two meetings taking it up at once; the caller's copy may be stale
        kind.model.objects.select_for_update().filter(pk=subject.pk).exists()  # type: ignore[attr-defined]
        subject = kind.queryset().get(pk=subject.pk)
        problem = kind.problem(subject)
        if problem:
            raise DomainError(kind.problem_code, problem, field="subject")
        ct = content_type_of(subject)
        blocking = [AgendaItem.Status.PENDING] if kind.redecidable else [AgendaItem.Status.PENDING, AgendaItem.Status.PASSED]
        if AgendaItem.objects.filter(subject_type=ct, subject_id=subject.pk, status__in=blocking).exists():
            raise DomainError("agenda.duplicate", f"“{subject}”已有待决或已通过的集体决策议题")
        facts = kind.facts(subject)
        amount = facts.amount if amount is None else amount
        title = title.strip() or f"审议{facts.title}"
        seq = (meeting.agenda.aggregate(m=models.Max("seq"))["m"] or 0) + 1
        item = AgendaItem.objects.create(
            meeting=meeting,
            seq=seq,
            title=title,
            category=category,
            amount=amount,
            subject_type=ct,
            subject_id=subject.pk,
            subject_kind=kind.key,
            subject_facts=[[f.label, f.value] for f in facts.facts],
            subject_url=facts.url,
        )
        audit_event_record(
            actor=actor,
            action="projects.agenda.add",
            obj=item,
            agency=meeting.agency,
            context=kind.project(subject),
            summary=f"{meeting.title} 议题{seq}：{title}（{item.get_category_display()}，{kind.label}"
            + (f"，{amount:,.2f} 元" if amount is not None else "")
            + "）",
        )
    return item


def opinion_record(*, actor: User, item: AgendaItem, member: User, choice: str, comment: str = "") -> Opinion:
    """Record a member's opinion (同意/不同意/弃权/回避), by the recorder or the member in person.
    The chair does not vote here: the chair concludes, last."""
    meeting = item.meeting
    if actor.pk not in (meeting.organizer_id, member.pk):
        raise PermissionDenied("只有会议记录人或成员本人可以记录表态")
    if member.pk == meeting.chair_id:
        raise DomainError("opinion.chair", "主持人最后作结论性表态，不在此记录", field="member")
    if choice not in Opinion.Choice.values:
        raise DomainError("opinion.choice", "表态只能是同意、不同意、弃权或回避", field="choice")
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=item.pk)
        if item.status != AgendaItem.Status.PENDING:
            raise DomainError("opinion.concluded", "该议题已有结论，不能再记录表态")
        seat = MeetingMember.objects.filter(meeting=item.meeting, user=member).first()
        if seat is None:
            raise DomainError("opinion.not_member", f"{member.display_name} 不是本次会议成员", field="member")
        if not seat.present:
            raise DomainError("opinion.absent", f"{member.display_name} 未出席会议，不能表态", field="member")
        if Opinion.objects.filter(item=item, member=member).exists():
            raise DomainError("opinion.duplicate", f"{member.display_name} 已表态", field="member")
        opinion = Opinion.objects.create(item=item, member=member, choice=choice, comment=comment, recorded_by=actor)
        audit_event_record(
            actor=actor,
            action="projects.agenda.opinion",
            obj=item,
            agency=item.meeting.agency,
            context=_context_of(item.subject),
            summary=f"议题“{item.title}”：{member.display_name} {opinion.get_choice_display()}",
            reason=comment,
        )
    return opinion


def agenda_conclude(*, actor: User, item: AgendaItem, passed: bool, conclusion: str) -> AgendaItem:
    """The chair's conclusion, after every present member has spoken. A pass needs the quorum and a
    majority of those voting; a passed annual plan becomes 已集体决策通过."""
    if not conclusion.strip():
        raise DomainError("agenda.conclusion", "请填写主持人结论性意见", field="conclusion")
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting", "meeting__agency").get(pk=item.pk)
        meeting = item.meeting
        if actor.pk != meeting.chair_id:
            raise PermissionDenied("议题结论由会议主持人最后表态作出")
        if item.status != AgendaItem.Status.PENDING:
            raise DomainError("agenda.concluded", "该议题已有结论")
        members = list(meeting.members.all())
        present = [m for m in members if m.present]
        opinions = {o.member_id: o.choice for o in item.opinions.all()}
        silent = [m for m in present if m.user_id != meeting.chair_id and m.user_id not in opinions]
        if silent:
            names = "、".join(User.objects.get(pk=m.user_id).display_name for m in silent)
            raise DomainError("agenda.opinions_missing", f"还有出席成员未表态：{names}。主持人须在其他成员表态后最后表态")
        # the chair's "pass" counts as agreement (末位表态), a "fail" as disagreement
        choices = [*opinions.values(), Opinion.Choice.AGREE if passed else Opinion.Choice.DISAGREE]
        tally = Tally(
            expected=len(members),
            present=len(present),
            agree=choices.count(Opinion.Choice.AGREE),
            disagree=choices.count(Opinion.Choice.DISAGREE),
            abstain=choices.count(Opinion.Choice.ABSTAIN),
            recused=choices.count(Opinion.Choice.RECUSED),
        )
        problem = decision_problem(tally, ratio=meeting.quorum_ratio, chair_says_pass=passed)
        if problem:
            raise DomainError("agenda.cannot_pass", problem)
        item.status = AgendaItem.Status.PASSED if passed else AgendaItem.Status.REJECTED
        item.chair_conclusion = conclusion
        item.concluded_at = timezone.now()
        item.save()
        subject = item.subject
        audit_event_record(
            actor=actor,
            action=f"projects.agenda.{'pass' if passed else 'reject'}",
            obj=item,
            agency=meeting.agency,
            context=_context_of(subject),
            summary=f"集体决策“{item.title}”：{item.get_status_display()}（同意 {tally.agree}、不同意 {tally.disagree}、弃权 {tally.abstain}、回避 {tally.recused}，实到 {tally.present}/{tally.expected}）",
            reason=conclusion,
        )
        kind = _kind_of(subject) if subject is not None else None
        if kind is not None and kind.on_decision is not None:
            kind.on_decision(subject, item)  # e.g. a passed annual plan becomes 已集体决策通过
    return item


def meeting_minutes_upload(*, actor: User, meeting: Meeting, file: UploadedFile) -> Meeting:
    _require_organizer(actor, meeting)
    check_upload(file, field="minutes")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        meeting.minutes.save(file.name or "minutes.pdf", file, save=False)
        meeting.status = Meeting.Status.CLOSED
        meeting.save()
        audit_event_record(
            actor=actor,
            action="projects.meeting.minutes",
            obj=meeting,
            agency=meeting.agency,
            summary=f"上传会议纪要：{meeting.title}",
        )
    return meeting


def passed_decision_for(subject: models.Model) -> AgendaItem | None:
    """The latest passed decision (a returned plan is decided again)."""
    return (
        AgendaItem.objects.filter(subject_type=content_type_of(subject), subject_id=subject.pk, status=AgendaItem.Status.PASSED)
        .select_related("meeting")
        .order_by("-concluded_at", "-id")
        .first()
    )


def higher_review_record(
    *, actor: User, project: Project, body: str, meeting_date: dt.date, document_number: str, conclusion: str, file: UploadedFile
) -> HigherReview:
    """Record the 政府常务会议/人大 review of ``project`` with its minutes or approval document."""
    org_perms.require(actor, perms.PROJECT_ADVANCE, project.agency_id)
    check_upload(file, field="file")
    if meeting_date > timezone.localdate():
        raise DomainError("higher_review.future", "会议日期不能晚于今天", field="meeting_date")
    with transaction.atomic():
        review = HigherReview(
            project=project,
            body=body,
            meeting_date=meeting_date,
            document_number=document_number.strip(),
            conclusion=conclusion,
            recorded_by=actor,
        )
        review.file.save(file.name or "review.pdf", file, save=False)
        review.full_clean()
        review.save()
        audit_event_record(
            actor=actor,
            action="projects.higher_review.record",
            obj=review,
            agency=project.agency,
            context=project,
            summary=f"登记{review.get_body_display()}审议：{document_number}，结论：{review.get_conclusion_display()}",
        )
    return review
