"""Reads of the 三重一大 decision meetings: the register, one meeting with its agenda, opinions and
tallies, and the subjects a meeting may decide. Every read starts from ``meetings_visible_to``; every
page costs a fixed number of queries whatever the meeting holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from govworks.core.registry import (
    DecisionSubjectFacts,
    DecisionSubjectKind,
    decision_subject_kind,
    decision_subject_kind_of,
    decision_subject_kinds,
)
from govworks.projects import permissions as perms
from govworks.projects.models import AgendaItem, Meeting, MeetingMember, Opinion
from govworks.projects.rules import quorum_met


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
    kind_label: str
    subject_url: str
    facts: list[tuple[str, str]]
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
        kind = decision_subject_kind(item.subject_kind) or (
            decision_subject_kind_of(type(subject)._meta.concrete_model) if subject is not None else None
        )
        views.append(
            ItemView(
                item=item,
                subject=subject,
                kind_label=kind.label if kind else "",
                subject_url=item.subject_url or (kind.facts(subject).url if kind and subject is not None else ""),
                facts=[(str(label), str(value)) for label, value in item.subject_facts or []],
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
    value: str  # "<kind key>:<id>", e.g. "contract:12"
    label: str
    amount: Decimal | None
    obj: Any
    kind: DecisionSubjectKind
    facts: DecisionSubjectFacts


@dataclass(frozen=True)
class SubjectGroup:
    kind: DecisionSubjectKind
    choices: list[SubjectChoice]


def _choice_label(facts: DecisionSubjectFacts) -> str:
    amount = f"（{facts.amount:,.2f} 元）" if facts.amount is not None else ""
    return f"{facts.title}{amount}"


def agenda_subject_groups(*, meeting: Meeting, user: Any) -> list[SubjectGroup]:
    """What ``user`` may put on the agenda of ``meeting``, grouped by registered kind (plans, projects at
    立项, contracts before signing, change orders, large payments, …): the meeting agency's objects the
    user may see that await a decision, leaving out those already on an agenda (pending, or passed unless
    the kind is decided again). One query for what is taken, one or two per kind."""
    kinds = decision_subject_kinds()
    types = {kind.key: ContentType.objects.get_for_model(kind.model) for kind in kinds}
    redecidable = {types[k.key].pk for k in kinds if k.redecidable}
    taken: dict[int, set[int]] = {}
    for ct_id, obj_id, status in AgendaItem.objects.filter(
        meeting__agency_id=meeting.agency_id,
        subject_type__in=list(types.values()),
        status__in=[AgendaItem.Status.PENDING, AgendaItem.Status.PASSED],
    ).values_list("subject_type_id", "subject_id", "status"):
        if ct_id in redecidable and status != AgendaItem.Status.PENDING:
            continue  # a plan returned after a decision comes back to the meeting
        taken.setdefault(ct_id, set()).add(obj_id)
    groups = []
    for kind in kinds:
        skip = taken.get(types[kind.key].pk, set())
        choices = []
        for obj in kind.candidates(user, meeting.agency):
            if obj.pk in skip:
                continue
            facts = kind.facts(obj)
            choices.append(SubjectChoice(f"{kind.key}:{obj.pk}", _choice_label(facts), facts.amount, obj, kind, facts))
        groups.append(SubjectGroup(kind, choices))
    return groups


def agenda_subject_choices(*, meeting: Meeting, user: Any) -> list[SubjectChoice]:
    """Every choice of ``agenda_subject_groups``, kind by kind."""
    return [c for group in agenda_subject_groups(meeting=meeting, user=user) for c in group.choices]


def decision_subject_get(*, user: Any, kind_key: str, pk: Any) -> Any:
    """The object of registered kind ``kind_key`` with ``pk`` that ``user`` may see (404 for an unknown
    kind, a missing object and a forbidden one alike)."""
    kind = decision_subject_kind(kind_key)
    if kind is None:
        raise Http404("记录不存在或您无权查看")
    try:
        return kind.queryset().filter(pk__in=kind.visible_to(user).values("pk")).get(pk=pk)
    except (kind.model.DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]
        raise Http404("记录不存在或您无权查看") from None
