"""Reads of the 三重一大 decision meetings: the register, one meeting with its agenda, opinions and
tallies, and the subjects a meeting may decide. Every read starts from ``meetings_visible_to``; every
page costs a fixed number of queries whatever the meeting holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from govworks.projects import permissions as perms
from govworks.projects.models import AgendaItem, AnnualPlan, Meeting, MeetingMember, Opinion, Project, Stage
from govworks.projects.rules import quorum_met

#: where the subject of an agenda item is shown (later modules' subjects are listed without a link)
SUBJECT_URLS: dict[type, str] = {AnnualPlan: "projects:plan_detail", Project: "projects:project_detail"}


@dataclass(frozen=True)
class MeetingFilter:
    agency_id: int | None = None
    kind: str = ""
    status: str = ""
    text: str = ""


def meeting_list_visible_to(*, user: Any, filters: MeetingFilter) -> QuerySet[Meeting]:
    """The meeting register, newest first, with attendance and agenda counts (one query per page)."""
    qs = perms.meetings_visible_to(user).select_related("agency", "chair")
    if filters.agency_id:
        qs = qs.filter(agency_id=filters.agency_id)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.text:
        qs = qs.filter(title__contains=filters.text)
    return qs.annotate(
        expected=Count("members", distinct=True),
        attended=Count("members", filter=Q(members__present=True), distinct=True),
        item_count=Count("agenda", distinct=True),
        pending_count=Count("agenda", filter=Q(agenda__status=AgendaItem.Status.PENDING), distinct=True),
    ).order_by("-held_on", "-id")


@dataclass(frozen=True)
class TallyView:
    agree: int
    disagree: int
    abstain: int
    recused: int
    chair_counted: bool


@dataclass
class ItemView:
    item: AgendaItem
    subject: Any
    subject_url_name: str | None
    opinions: list[Opinion]
    tally: TallyView
    waiting: list[MeetingMember] = field(default_factory=list)  # present non-chair members yet to speak

    @property
    def all_spoken(self) -> bool:
        return not self.waiting


@dataclass
class MeetingView:
    meeting: Meeting
    members: list[MeetingMember]
    expected: int
    present: int
    quorum_ok: bool
    items: list[ItemView]

    @property
    def ratio(self) -> Decimal:
        return Decimal(self.present) / Decimal(self.expected) if self.expected else Decimal(0)

    @property
    def ratio_text(self) -> str:
        return f"{self.ratio:.1%}"

    @property
    def quorum_text(self) -> str:
        return f"{Decimal(self.meeting.quorum_ratio):.2%}"

    @property
    def attendance_recorded(self) -> bool:
        return self.meeting.status != Meeting.Status.PLANNED


def _tally(item: AgendaItem, opinions: list[Opinion]) -> TallyView:
    choices = [o.choice for o in opinions]
    chair = 1 if item.status != AgendaItem.Status.PENDING else 0  # the chair's conclusion counts as their vote
    passed = item.status == AgendaItem.Status.PASSED
    return TallyView(
        agree=choices.count(Opinion.Choice.AGREE) + (chair if passed else 0),
        disagree=choices.count(Opinion.Choice.DISAGREE) + (0 if passed else chair),
        abstain=choices.count(Opinion.Choice.ABSTAIN),
        recused=choices.count(Opinion.Choice.RECUSED),
        chair_counted=bool(chair),
    )


def meeting_view(*, meeting: Meeting) -> MeetingView:
    """Everything the meeting page shows, in a fixed number of queries (members, agenda with opinions,
    and one query per kind of subject)."""
    members = list(MeetingMember.objects.filter(meeting=meeting).select_related("user").order_by("id"))
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .prefetch_related(
            Prefetch("opinions", queryset=Opinion.objects.select_related("member", "recorded_by").order_by("id")),
            "subject",
        )
        .order_by("seq")
    )
    present = [m for m in members if m.present]
    views = []
    for item in items:
        opinions = list(item.opinions.all())
        spoken = {o.member_id for o in opinions}
        subject = item.subject
        views.append(
            ItemView(
                item=item,
                subject=subject,
                subject_url_name=SUBJECT_URLS.get(type(subject)) if subject is not None else None,
                opinions=opinions,
                tally=_tally(item, opinions),
                waiting=[m for m in present if m.user_id != meeting.chair_id and m.user_id not in spoken],
            )
        )
    return MeetingView(
        meeting=meeting,
        members=members,
        expected=len(members),
        present=len(present),
        quorum_ok=quorum_met(expected=len(members), present=len(present), ratio=meeting.quorum_ratio),
        items=views,
    )


def access_agenda_item(*, user: Any, pk: Any) -> AgendaItem:
    """An agenda item of a meeting ``user`` may see (404 for missing and forbidden alike)."""
    try:
        return AgendaItem.objects.select_related("meeting", "meeting__agency").get(
            pk=pk, meeting__in=perms.meetings_visible_to(user)
        )
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise Http404("记录不存在或您无权查看") from None


@dataclass(frozen=True)
class SubjectChoice:
    value: str  # "plan:<id>" / "project:<id>"
    label: str
    amount: Decimal
    obj: Any


def agenda_subject_choices(*, meeting: Meeting) -> list[SubjectChoice]:
    """What the meeting may put on its agenda: the agency's plans submitted for decision and its projects
    at 立项, leaving out those already on an agenda (pending, or passed for a project). Three queries."""
    taken: dict[int, set[int]] = {}
    plan_ct, project_ct = ContentType.objects.get_for_model(AnnualPlan), ContentType.objects.get_for_model(Project)
    for ct_id, obj_id, status in AgendaItem.objects.filter(
        subject_type__in=[plan_ct, project_ct], status__in=[AgendaItem.Status.PENDING, AgendaItem.Status.PASSED]
    ).values_list("subject_type_id", "subject_id", "status"):
        if ct_id == plan_ct.pk and status != AgendaItem.Status.PENDING:
            continue  # a plan returned after a decision comes back to the meeting
        taken.setdefault(ct_id, set()).add(obj_id)
    plans = (
        AnnualPlan.objects.filter(agency_id=meeting.agency_id, status=AnnualPlan.Status.SUBMITTED)
        .exclude(pk__in=taken.get(plan_ct.pk, set()))
        .annotate(total=Sum("items__estimated_amount"))
        .order_by("-year", "-revision")
    )
    projects = (
        Project.objects.filter(agency_id=meeting.agency_id, stage=Stage.INITIATION)
        .exclude(pk__in=taken.get(project_ct.pk, set()))
        .order_by("code")
    )
    out = [
        SubjectChoice(f"plan:{p.pk}", f"年度计划：{p}（估算合计 {p.total or 0:,.2f} 元）", Decimal(p.total or 0), p)
        for p in plans
    ]
    out += [
        SubjectChoice(f"project:{p.pk}", f"项目：{p.code} {p.name}（{p.controlling_amount:,.2f} 元）", p.controlling_amount, p)
        for p in projects
    ]
    return out
