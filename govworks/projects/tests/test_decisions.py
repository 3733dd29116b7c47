"""三重一大 collective decisions: govworks/projects/services/decisions.py and the meeting pages
(govworks/projects/views/meetings.py).

* Quorum from the rule parameter tzyd.quorum_ratio (三分之二): 3 of 5 present cannot pass, 4 of 6 can.
* The chair concludes last, and a pass needs more than half of those voting (recusals do not vote);
  absent members cannot vote, an opinion is recorded once, a concluded item is frozen.
* A passed plan item makes the plan 已集体决策通过; a project at or above tzyd.large_fund_min_amount
  cannot leave 立项 without a linked, passed decision.
* Every refusal changes nothing and says which rule and which number.
* Role matrix for the meeting page, the opinion and the conclusion; query counts constant as rows grow.

The meetings belong to ``world.sub`` (后勤中心): ``world.pm`` of the city (its superior) reads them but
cannot act on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from govworks.core.errors import DomainError
from govworks.core.testing.role_matrix import assert_role_matrix, call_as
from govworks.org.tests.factories import DepartmentFactory, RoleGrantFactory, UserFactory
from govworks.org.tests.test_services import db_state
from govworks.projects.models import (
    AgendaItem,
    AnnualPlan,
    ApprovalRequest,
    ApprovalStep,
    Delegation,
    Meeting,
    MeetingMember,
    Opinion,
    Project,
)
from govworks.projects.services import decisions as services
from govworks.projects.services.plans import PlanItemData, annual_plan_create, annual_plan_submit, plan_item_add
from govworks.projects.services.projects import gate_conditions, project_advance, project_create_outside_plan

AGREE, DISAGREE, ABSTAIN, RECUSED = (c.value for c in Opinion.Choice)


# ------------------------------------------------------------------------------------------ helpers


def state() -> dict[str, Any]:
    """Everything the organisation and the lifecycle write, with the audit trail and uploaded files."""
    return {
        **db_state(),
        "meetings": list(Meeting.objects.order_by("pk").values_list()),
        "members": list(MeetingMember.objects.order_by("pk").values_list()),
        "agenda": list(AgendaItem.objects.order_by("pk").values_list()),
        "opinions": list(Opinion.objects.order_by("pk").values_list()),
        "plans": list(AnnualPlan.objects.order_by("pk").values_list("pk", "status", "decided_at")),
        "projects": list(Project.objects.order_by("pk").values_list("pk", "stage")),
        "approvals": list(ApprovalRequest.objects.order_by("pk").values_list()),
        "steps": list(ApprovalStep.objects.order_by("pk").values_list()),
        "delegations": list(Delegation.objects.order_by("pk").values_list()),
    }


def refused(call: Any, exc: type[Exception] = DomainError, *, code: str | None = None, contains: tuple[str, ...] = ()) -> Any:
    """Run ``call``, expect ``exc``; nothing at all changed; the message names what it must."""
    before = state()
    with pytest.raises(exc) as info:
        call()
    assert state() == before, "a refused call changed data"
    if code is not None:
        assert info.value.code == code  # type: ignore[attr-defined]
    for text in contains:
        assert text in str(info.value), f"{text!r} not in {str(info.value)!r}"
    return info.value


def person(username: str, name: str, agency: Any, role: str | None = None) -> Any:
    user = UserFactory(username=username, full_name=name, agency=agency)
    if role:
        RoleGrantFactory(user=user, agency=agency, role=role)
    return user


@dataclass
class Board:
    """The leadership of 后勤中心: a chair and up to seven more members, the recorder is ``world.sub_pm``."""

    world: Any
    chair: Any
    others: list[Any]
    department: Any

    @property
    def recorder(self) -> Any:
        return self.world.sub_pm

    def meeting(self, size: int, present: int | None = None, *, title: str = "党组会议") -> Meeting:
        """A meeting of ``size`` members (chair included); with ``present``, attendance of the chair and
        the first ``present - 1`` other members."""
        members = self.others[: size - 1]
        meeting = services.meeting_create(
            actor=self.recorder,
            agency=self.world.sub,
            kind=Meeting.Kind.PARTY_GROUP,
            title=title,
            held_on=timezone.localdate(),
            chair=self.chair,
            members=members,
        )
        if present is not None:
            attending = [self.chair.pk, *[m.pk for m in members[: present - 1]]]
            services.meeting_record_attendance(actor=self.recorder, meeting=meeting, present=attending)
        return meeting

    def project(self, amount: str = "800000", name: str = "后勤中心食堂改造", *, advance: bool = True) -> Project:
        today = timezone.localdate()
        project = project_create_outside_plan(
            actor=self.recorder,
            agency=self.world.sub,
            manager=self.recorder,
            department=self.department,
            reason="食堂设施老化存在安全隐患，需计划外立项改造",
            name=name,
            project_type="repair",
            location="后勤中心食堂",
            estimate_amount=Decimal(amount),
            funding_source="fiscal",
            planned_start=today,
            planned_end=today + dt.timedelta(days=180),
        )
        if advance:
            project = project_advance(actor=self.recorder, project=project)
        return project

    def plan(self) -> AnnualPlan:
        today = timezone.localdate()
        plan = annual_plan_create(
            actor=self.recorder, agency=self.world.sub, year=today.year, title=f"{today.year}年度工程建设计划"
        )
        plan_item_add(
            actor=self.recorder,
            plan=plan,
            data=PlanItemData(
                name="办公楼屋面防水",
                project_type="repair",
                location="后勤中心办公楼",
                estimated_amount=Decimal("450000"),
                funding_source="fiscal",
                planned_start=today,
                planned_end=today + dt.timedelta(days=90),
                department=self.department,
                responsible=self.recorder,
                expected_outcome="消除渗漏",
            ),
        )
        return annual_plan_submit(actor=self.recorder, plan=plan)

    def item(self, meeting: Meeting, subject: Any = None, *, amount: Decimal | None = Decimal("800000")) -> AgendaItem:
        subject = subject or self.project()
        return services.agenda_item_add(
            actor=self.recorder,
            meeting=meeting,
            subject=subject,
            category=AgendaItem.Category.MAJOR_PROJECT,
            title=f"审议{subject}",
            amount=amount,
        )

    def vote(self, item: AgendaItem, *choices: str) -> None:
        """Opinions of the present non-chair members, in order."""
        present = [
            m.user
            for m in MeetingMember.objects.filter(meeting=item.meeting, present=True).select_related("user").order_by("id")
            if m.user_id != self.chair.pk
        ]
        assert len(choices) <= len(present)
        for member, choice in zip(present, choices, strict=False):
            services.opinion_record(
                actor=self.recorder, item=item, member=member, choice=choice, comment=f"{member.full_name}意见"
            )


@pytest.fixture
def board(world: Any) -> Board:
    chair = person("sub_leader", "后勤中心主任", world.sub, "leader_in_charge")
    others = [person(f"sub_m{i}", f"班子成员{i}", world.sub, "leader_in_charge") for i in range(1, 8)]
    return Board(world=world, chair=chair, others=others, department=DepartmentFactory(agency=world.sub, name="后勤基建科"))


def text(response: Any) -> str:
    return response.content.decode()


# ------------------------------------------------------------------------------------------ meetings


def test_meeting_takes_quorum_ratio_from_rule_parameter(board):
    meeting = board.meeting(5)
    assert meeting.quorum_ratio == Decimal("0.6667")  # tzyd.quorum_ratio = 66.67%
    assert meeting.members.count() == 5
    assert meeting.organizer_id == board.recorder.pk


def test_meeting_create_refusals_change_nothing(board, world):
    refused(
        lambda: services.meeting_create(
            actor=board.recorder,
            agency=world.sub,
            kind="party_group",
            title="会",
            held_on=timezone.localdate(),
            chair=board.chair,
            members=[board.others[0]],
        ),
        code="meeting.members",
        contains=("不少于3人", "当前2人"),
    )
    refused(
        lambda: services.meeting_create(
            actor=board.recorder,
            agency=world.sub,
            kind="party_group",
            title="会",
            held_on=timezone.localdate(),
            chair=board.chair,
            members=[board.others[0], world.other_pm],
        ),
        code="meeting.members",
        contains=("须为本单位人员", "邻市工程管理岗"),
    )
    refused(
        lambda: services.meeting_create(
            actor=world.pm,
            agency=world.sub,
            kind="party_group",
            title="会",
            held_on=timezone.localdate(),
            chair=board.chair,
            members=board.others[:3],
        ),
        PermissionDenied,
        contains=("组织决策会议",),
    )


def test_three_of_five_present_cannot_pass(board):
    meeting = board.meeting(5, present=3)
    item = board.item(meeting)
    board.vote(item, AGREE, AGREE)
    refused(
        lambda: services.agenda_conclude(actor=board.chair, item=item, passed=True, conclusion="同意"),
        code="agenda.cannot_pass",
        contains=("到会 3 人", "应到 5 人", "67%"),
    )
    # no decision at all without the quorum, not even a rejection
    refused(
        lambda: services.agenda_conclude(actor=board.chair, item=item, passed=False, conclusion="不同意"),
        code="agenda.cannot_pass",
    )


def test_four_of_six_present_can_pass(board):
    meeting = board.meeting(6, present=4)
    item = board.item(meeting)
    board.vote(item, AGREE, AGREE, DISAGREE)
    item = services.agenda_conclude(actor=board.chair, item=item, passed=True, conclusion="同意实施")
    assert item.status == AgendaItem.Status.PASSED
    assert item.chair_conclusion == "同意实施"
    assert item.concluded_at is not None
    assert services.passed_decision_for(item.subject) == item


def test_attendance_needs_the_chair_and_shows_the_quorum(board):
    meeting = board.meeting(5)
    refused(
        lambda: services.meeting_record_attendance(actor=board.recorder, meeting=meeting, present=[board.others[0].pk]),
        code="meeting.chair_absent",
    )
    refused(
        lambda: services.meeting_record_attendance(actor=board.others[0], meeting=meeting, present=[board.chair.pk]),
        PermissionDenied,
        contains=("会议记录人或主持人",),
    )
    assert services.quorum_reached(expected=5, present=3, ratio=meeting.quorum_ratio) is False
    assert services.quorum_reached(expected=5, present=4, ratio=meeting.quorum_ratio) is True
    assert services.quorum_reached(expected=6, present=4, ratio=meeting.quorum_ratio) is True
    assert services.quorum_reached(expected=9, present=6, ratio=meeting.quorum_ratio) is True
    assert services.quorum_reached(expected=9, present=5, ratio=meeting.quorum_ratio) is False


def test_chair_concludes_last(board):
    meeting = board.meeting(5, present=5)
    item = board.item(meeting)
    board.vote(item, AGREE, AGREE, AGREE)  # 班子成员4 has not spoken
    refused(
        lambda: services.agenda_conclude(actor=board.chair, item=item, passed=True, conclusion="同意"),
        code="agenda.opinions_missing",
        contains=("班子成员4", "最后表态"),
    )
    # the chair does not vote as a member, whoever records it
    refused(
        lambda: services.opinion_record(actor=board.recorder, item=item, member=board.chair, choice=AGREE),
        code="opinion.chair",
    )
    refused(lambda: services.opinion_record(actor=board.chair, item=item, member=board.chair, choice=AGREE), code="opinion.chair")
    # only the chair concludes
    services.opinion_record(actor=board.others[3], item=item, member=board.others[3], choice=AGREE)  # in person
    refused(
        lambda: services.agenda_conclude(actor=board.recorder, item=item, passed=True, conclusion="同意"),
        PermissionDenied,
        contains=("主持人",),
    )
    assert (
        services.agenda_conclude(actor=board.chair, item=item, passed=True, conclusion="同意").status == AgendaItem.Status.PASSED
    )


def test_chair_cannot_pass_without_a_majority_of_voters(board):
    meeting = board.meeting(5, present=5)
    item = board.item(meeting)
    board.vote(item, AGREE, DISAGREE, DISAGREE, ABSTAIN)
    refused(
        lambda: services.agenda_conclude(actor=board.chair, item=item, passed=True, conclusion="同意"),
        code="agenda.cannot_pass",
        contains=("同意 2 人", "参与表决的 5 人", "半数"),
    )
    # the chair may still conclude that it does not pass
    item = services.agenda_conclude(actor=board.chair, item=item, passed=False, conclusion="暂缓实施，补充论证后再议")
    assert item.status == AgendaItem.Status.REJECTED


def test_half_is_not_a_majority(board):
    meeting = board.meeting(4, present=4)
    item = board.item(meeting)
    board.vote(item, AGREE, DISAGREE, DISAGREE)  # with the chair: 2 of 4
    refused(
        lambda: services.agenda_conclude(actor=board.chair, item=item, passed=True, conclusion="同意"),
        code="agenda.cannot_pass",
        contains=("同意 2 人", "参与表决的 4 人"),
    )


def test_recused_members_do_not_vote(board):
    meeting = board.meeting(5, present=5)
    item = board.item(meeting)
    board.vote(item, AGREE, DISAGREE, RECUSED, RECUSED)  # voting: 5 - 2 = 3; agreeing with the chair: 2
    item = services.agenda_conclude(actor=board.chair, item=item, passed=True, conclusion="同意；两名成员回避")
    assert item.status == AgendaItem.Status.PASSED
    assert item.opinions.filter(choice=RECUSED).count() == 2


def test_absent_members_cannot_vote(board):
    meeting = board.meeting(5, present=4)
    item = board.item(meeting)
    absent = board.others[3]
    refused(
        lambda: services.opinion_record(actor=board.recorder, item=item, member=absent, choice=AGREE),
        code="opinion.absent",
        contains=(absent.full_name, "未出席"),
    )
    refused(
        lambda: services.opinion_record(actor=board.recorder, item=item, member=board.others[6], choice=AGREE),
        code="opinion.not_member",
    )


def test_an_opinion_is_recorded_once(board):
    meeting = board.meeting(5, present=5)
    item = board.item(meeting)
    board.vote(item, AGREE)
    refused(
        lambda: services.opinion_record(actor=board.recorder, item=item, member=board.others[0], choice=DISAGREE),
        code="opinion.duplicate",
        contains=(board.others[0].full_name,),
    )
    refused(
        lambda: services.opinion_record(actor=board.recorder, item=item, member=board.others[1], choice="maybe"),
        code="opinion.choice",
    )


def test_only_the_recorder_or_the_member_records_an_opinion(board, world):
    meeting = board.meeting(5, present=5)
    item = board.item(meeting)
    for actor in (board.others[1], world.pm, board.chair):
        refused(
            lambda actor=actor: services.opinion_record(actor=actor, item=item, member=board.others[0], choice=AGREE),
            PermissionDenied,
            contains=("会议记录人或成员本人",),
        )


def test_concluded_items_are_frozen(board):
    meeting = board.meeting(4, present=3)
    item = board.item(meeting)
    board.vote(item, AGREE, AGREE)
    services.agenda_conclude(actor=board.chair, item=item, passed=True, conclusion="同意")
    refused(
        lambda: services.opinion_record(actor=board.recorder, item=item, member=board.others[0], choice=DISAGREE),
        code="opinion.concluded",
    )
    refused(
        lambda: services.agenda_conclude(actor=board.chair, item=item, passed=False, conclusion="改为不同意"),
        code="agenda.concluded",
    )
    # nor can the attendance the decision rested on be changed afterwards
    refused(
        lambda: services.meeting_record_attendance(
            actor=board.recorder, meeting=meeting, present=[board.chair.pk, *[m.pk for m in board.others[:3]]]
        ),
        code="meeting.voting_started",
    )


def test_conclusion_needs_a_text(board):
    meeting = board.meeting(3, present=3)
    item = board.item(meeting)
    board.vote(item, AGREE, AGREE)
    refused(
        lambda: services.agenda_conclude(actor=board.chair, item=item, passed=True, conclusion="  "), code="agenda.conclusion"
    )


def test_passed_plan_item_makes_the_plan_decided(board):
    plan = board.plan()
    assert plan.status == AnnualPlan.Status.SUBMITTED
    meeting = board.meeting(3, present=3)
    item = board.item(meeting, plan, amount=Decimal("450000"))
    board.vote(item, AGREE, AGREE)
    services.agenda_conclude(actor=board.chair, item=item, passed=True, conclusion="同意年度计划，按程序报备")
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.DECIDED
    assert plan.decided_at is not None


def test_rejected_plan_goes_back_to_draft(board):
    plan = board.plan()
    meeting = board.meeting(3, present=3)
    item = board.item(meeting, plan, amount=Decimal("450000"))
    board.vote(item, DISAGREE, DISAGREE)
    services.agenda_conclude(actor=board.chair, item=item, passed=False, conclusion="计划项目排序须调整")
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.DRAFT


def test_agenda_refusals(board, world):
    meeting = board.meeting(3)
    project = board.project()
    board.item(meeting, project)
    refused(lambda: board.item(meeting, project), code="agenda.duplicate")
    today = timezone.localdate()
    draft = annual_plan_create(actor=board.recorder, agency=world.sub, year=today.year + 1, title="下年度计划")
    refused(lambda: board.item(meeting, draft), code="agenda.plan_state", contains=("起草中",))
    city_dept = world.construction
    city_project = project_create_outside_plan(
        actor=world.pm,
        agency=world.city,
        manager=world.pm,
        department=city_dept,
        reason="市局机关应急维修计划外立项",
        name="市局机房改造",
        project_type="it",
        location="市局",
        estimate_amount=Decimal("100000"),
        funding_source="fiscal",
        planned_start=today,
        planned_end=today + dt.timedelta(days=30),
    )
    refused(lambda: board.item(meeting, city_project), code="agenda.agency")
    refused(
        lambda: services.agenda_item_add(
            actor=world.pm, meeting=meeting, subject=project, category="major_project", title="x", amount=None
        ),
        PermissionDenied,
    )


@pytest.mark.parametrize(("amount", "needs"), [("299999.99", False), ("300000", True), ("800000", True)])
def test_project_at_or_above_the_large_fund_amount_needs_a_passed_decision(board, amount, needs):
    project = board.project(amount)
    conditions = {c.code: c for c in gate_conditions(project)}
    assert ("tzyd" in conditions) is needs  # tzyd.large_fund_min_amount = 300,000: "以上" includes the number
    if not needs:
        return
    assert conditions["tzyd"].ok is False
    assert "“三重一大大额资金起点”" in conditions["tzyd"].label
    meeting = board.meeting(3, present=3)
    item = board.item(meeting, project)
    board.vote(item, AGREE, AGREE)
    services.agenda_conclude(actor=board.chair, item=item, passed=True, conclusion="同意立项")
    assert {c.code: c for c in gate_conditions(project)}["tzyd"].ok is True


def test_a_rejected_decision_does_not_open_the_gate(board):
    project = board.project()
    meeting = board.meeting(3, present=3)
    item = board.item(meeting, project)
    board.vote(item, DISAGREE, DISAGREE)
    services.agenda_conclude(actor=board.chair, item=item, passed=False, conclusion="不同意")
    assert {c.code: c for c in gate_conditions(project)}["tzyd"].ok is False
    # and the project can be put to a later meeting again
    again = board.item(board.meeting(3, present=3, title="复议"), project)
    assert again.status == AgendaItem.Status.PENDING


def test_minutes_upload_closes_the_meeting(board):
    meeting = board.meeting(3, present=3)
    refused(
        lambda: services.meeting_minutes_upload(actor=board.recorder, meeting=meeting, file=SimpleUploadedFile("x.exe", b"MZ")),
        code="file.type",
    )
    meeting = services.meeting_minutes_upload(
        actor=board.recorder, meeting=meeting, file=SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes")
    )
    assert meeting.status == Meeting.Status.CLOSED
    project = board.project()
    refused(lambda: board.item(meeting, project), code="meeting.closed")


# ------------------------------------------------------------------------------------------ pages


def detail_url(meeting: Meeting) -> str:
    return reverse("projects:meeting_detail", args=[meeting.pk])


def sub_actors(world: Any, with_role: Any) -> dict[str, Any]:
    return world.actors(with_role=with_role, superior=world.pm, other=world.other_pm)


def test_meeting_detail_role_matrix(client, world, board):
    meeting = board.meeting(3, present=3)
    board.item(meeting)
    assert_role_matrix(
        client,
        "get",
        detail_url(meeting),
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "with_role": 200, "superior": 200, "external": 404},
        actors=sub_actors(world, board.recorder),
        snapshot=state,
    )


def test_opinion_record_role_matrix(client, world, board):
    meeting = board.meeting(4, present=4)
    item = board.item(meeting)
    url = reverse("projects:opinion_record", args=[item.pk])
    actors = {**sub_actors(world, board.recorder), "chair": board.chair, "other_member": board.others[1]}
    assert_role_matrix(
        client,
        "post",
        url,
        data={"member": board.others[0].pk, "choice": AGREE, "comment": "同意"},
        expected={
            "anonymous": 302,
            "other_agency": 404,
            "no_role": 404,
            "external": 404,
            "superior": 403,
            "chair": 403,
            "other_member": 403,
            "with_role": 302,
        },
        actors=actors,
        snapshot=state,
    )
    opinion = Opinion.objects.get(item=item)
    assert (opinion.member_id, opinion.choice, opinion.recorded_by_id) == (board.others[0].pk, AGREE, board.recorder.pk)


def test_agenda_conclude_role_matrix(client, world, board):
    meeting = board.meeting(3, present=3)
    item = board.item(meeting)
    board.vote(item, AGREE, AGREE)
    url = reverse("projects:agenda_conclude", args=[item.pk])
    actors = {**sub_actors(world, board.chair), "recorder": board.recorder, "member": board.others[0]}
    assert_role_matrix(
        client,
        "post",
        url,
        data={"verdict": "pass", "conclusion": "同意实施"},
        expected={
            "anonymous": 302,
            "other_agency": 404,
            "no_role": 404,
            "external": 404,
            "superior": 403,
            "recorder": 403,
            "member": 403,
            "with_role": 302,
        },
        actors=actors,
        snapshot=state,
    )
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.PASSED


def test_refusal_page_says_why(client, world, board):
    meeting = board.meeting(3, present=3)
    item = board.item(meeting)
    response = call_as(
        client,
        world.pm,
        "post",
        reverse("projects:opinion_record", args=[item.pk]),
        {"member": board.others[0].pk, "choice": AGREE},
    )
    assert response.status_code == 403
    assert "只有会议记录人或成员本人可以记录表态" in text(response)


def test_meeting_list_access(client, world, board):
    board.meeting(3, title="后勤中心第一次班子会")
    url = reverse("projects:meeting_list")
    responses = assert_role_matrix(
        client,
        "get",
        url,
        expected={"anonymous": 302, "other_agency": 200, "no_role": 403, "with_role": 200, "superior": 200, "external": 403},
        actors=sub_actors(world, board.recorder),
        snapshot=state,
    )
    assert "后勤中心第一次班子会" in text(responses["with_role"])
    assert "后勤中心第一次班子会" in text(responses["superior"])
    assert "后勤中心第一次班子会" not in text(responses["other_agency"])
    assert "暂无决策会议" in text(responses["other_agency"])


def test_whole_meeting_through_the_pages(client, world, board):
    project = board.project()
    client.force_login(board.recorder)
    # schedule
    response = client.get(reverse("projects:meeting_create"))
    assert response.status_code == 200
    members = [board.chair.pk, *[m.pk for m in board.others[:5]]]
    response = client.post(
        reverse("projects:meeting_create"),
        {
            "kind": "party_group",
            "title": "2026年第5次党组会议",
            "held_on": timezone.localdate().isoformat(),
            "chair": board.chair.pk,
            "members": members,
        },
    )
    assert response.status_code == 302, text(response)
    meeting = Meeting.objects.get(title="2026年第5次党组会议")
    assert meeting.members.count() == 6
    # attendance: 4 of 6 (三分之二)
    attending = [board.chair.pk, *[m.pk for m in board.others[:3]]]
    response = client.post(
        reverse("projects:meeting_attendance", args=[meeting.pk]),
        {"present": attending, f"reason_{board.others[3].pk}": "出差", f"reason_{board.others[4].pk}": "病假"},
    )
    assert response.status_code == 302, text(response)
    assert MeetingMember.objects.get(meeting=meeting, user=board.others[3]).absence_reason == "出差"
    # the agenda: the project is offered, with its amount as the default
    response = client.get(reverse("projects:agenda_add", args=[meeting.pk]))
    assert f"project:{project.pk}" in text(response)
    response = client.post(
        reverse("projects:agenda_add", args=[meeting.pk]), {"subject": f"project:{project.pk}", "category": "major_project"}
    )
    assert response.status_code == 302, text(response)
    item = AgendaItem.objects.get(meeting=meeting)
    assert (item.subject, item.amount, item.title) == (project, Decimal("800000.00"), f"审议{project}")
    # the page: quorum line, subject link, opinion form only for present members yet to speak
    page = text(client.get(detail_url(meeting)))
    assert "应到 6 人，实到 4 人，比例 66.7%（法定 66.67%）" in page
    assert "达到法定人数" in page
    assert reverse("projects:project_detail", args=[project.pk]) in page
    assert 'data-testid="opinion-form"' in page
    assert f'value="{board.others[3].pk}"' not in page  # absent
    assert 'data-testid="conclude-form"' not in page  # not the chair
    for member in board.others[:3]:
        response = client.post(
            reverse("projects:opinion_record", args=[item.pk]), {"member": member.pk, "choice": AGREE, "comment": "同意"}
        )
        assert response.status_code == 302, text(response)
    # the chair sees the conclusion form once everyone present has spoken
    client.force_login(board.chair)
    page = text(client.get(detail_url(meeting)))
    assert 'data-testid="conclude-form"' in page
    assert 'data-testid="opinion-form"' not in page
    response = client.post(reverse("projects:agenda_conclude", args=[item.pk]), {"verdict": "pass", "conclusion": "同意立项"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.PASSED
    page = text(client.get(detail_url(meeting)))
    assert "同意 <strong>4</strong>" in page  # three members and the chair
    assert "（含主持人最后表态）" in page
    assert 'data-testid="conclude-form"' not in page
    # minutes
    client.force_login(board.recorder)
    response = client.post(
        reverse("projects:meeting_minutes", args=[meeting.pk]), {"minutes": SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes")}
    )
    assert response.status_code == 302, text(response)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED


def test_chair_refused_without_quorum_sees_the_numbers(client, world, board):
    meeting = board.meeting(5, present=3)
    item = board.item(meeting)
    board.vote(item, AGREE, AGREE)
    client.force_login(board.chair)
    page = text(client.get(detail_url(meeting)))
    assert "未达到法定人数" in page
    before = state()
    response = client.post(reverse("projects:agenda_conclude", args=[item.pk]), {"verdict": "pass", "conclusion": "同意"})
    assert response.status_code == 400
    assert "到会 3 人，未达到应到 5 人的 67%" in text(response)
    assert state() == before


def test_opinion_refusal_is_shown_on_the_page(client, world, board):
    meeting = board.meeting(5, present=4)
    item = board.item(meeting)
    client.force_login(board.recorder)
    before = state()
    response = client.post(reverse("projects:opinion_record", args=[item.pk]), {"member": board.others[3].pk, "choice": AGREE})
    assert response.status_code == 400
    assert "未出席会议，不能表态" in text(response)
    response = client.post(reverse("projects:opinion_record", args=[item.pk]), {"member": board.others[0].pk})
    assert response.status_code == 400
    assert state() == before


def test_pages_that_change_a_meeting_are_for_its_recorder_and_chair(client, world, board):
    meeting = board.meeting(3)
    for name in ("meeting_attendance", "agenda_add", "meeting_minutes"):
        url = reverse(f"projects:{name}", args=[meeting.pk])
        assert_role_matrix(
            client,
            "get",
            url,
            expected={
                "anonymous": 302,
                "other_agency": 404,
                "no_role": 404,
                "superior": 403,
                "member": 403,
                "external": 404,
                "with_role": 200,
            },
            actors={**sub_actors(world, board.recorder), "member": board.others[0]},
            snapshot=state,
        )


def test_meeting_create_page_access(client, world, board):
    url = reverse("projects:meeting_create")
    assert_role_matrix(
        client,
        "get",
        url,
        expected={"anonymous": 302, "no_role": 403, "external": 403, "with_role": 200, "finance": 403},
        actors={**sub_actors(world, board.recorder), "finance": person("sub_fin", "后勤财务", world.sub, "finance")},
    )
    client.force_login(board.recorder)
    before = state()
    response = client.post(
        url,
        {
            "kind": "party_group",
            "title": "会",
            "held_on": timezone.localdate().isoformat(),
            "chair": board.chair.pk,
            "members": [board.others[0].pk],
        },
    )
    assert response.status_code == 400
    assert "集体决策会议应到成员不少于3人（当前2人）" in text(response)
    assert state() == before


def test_minutes_download_is_access_checked(client, world, board):
    meeting = board.meeting(3, present=3)
    url = reverse("projects:meeting_minutes_download", args=[meeting.pk])
    client.force_login(board.recorder)
    assert client.get(url).status_code == 404  # none yet
    services.meeting_minutes_upload(
        actor=board.recorder, meeting=meeting, file=SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes")
    )
    responses = assert_role_matrix(
        client,
        "get",
        url,
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "with_role": 200, "superior": 200, "external": 404},
        actors=sub_actors(world, board.recorder),
    )
    assert b"".join(responses["superior"].streaming_content) == b"%PDF-1.4 minutes"


def test_plan_subjects_are_offered_and_linked(client, world, board):
    plan = board.plan()
    meeting = board.meeting(3, present=3)
    client.force_login(board.recorder)
    response = client.get(reverse("projects:agenda_add", args=[meeting.pk]))
    assert f"plan:{plan.pk}" in text(response)
    assert "450,000.00" in text(response)
    response = client.post(
        reverse("projects:agenda_add", args=[meeting.pk]),
        {"subject": f"plan:{plan.pk}", "category": "major_decision", "title": "审议年度计划"},
    )
    assert response.status_code == 302, text(response)
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.amount == Decimal("450000.00")
    # once on the agenda it is not offered again
    assert f"plan:{plan.pk}" not in text(client.get(reverse("projects:agenda_add", args=[meeting.pk])))
    page = text(client.get(detail_url(meeting)))
    assert reverse("projects:plan_detail", args=[plan.pk]) in page


# ------------------------------------------------------------------------------------------ query counts


def _grow_meetings(board: Board, n: int) -> None:
    for i in range(n):
        board.meeting(3, present=3, title=f"增加的会议{i:02d}")


def _grow_agenda(board: Board, meeting: Meeting, start: int, n: int) -> None:
    for i in range(start, start + n):
        item = board.item(meeting, board.project(name=f"项目{i:02d}"))  # at 立项: only then does it await a decision
        board.vote(item, AGREE, DISAGREE)


def test_meeting_list_query_count_is_constant(client, board, count_queries):
    _grow_meetings(board, 1)
    client.force_login(board.recorder)
    url = reverse("projects:meeting_list")
    assert client.get(url).status_code == 200
    small = count_queries(lambda: client.get(url))
    _grow_meetings(board, 20)
    response = client.get(url)
    assert "增加的会议19" in text(response)
    large = count_queries(lambda: client.get(url))
    assert large == small, f"{small} queries with 1 meeting, {large} with 21"
    assert small <= 20, f"{small} queries"


def test_meeting_detail_query_count_is_constant(client, board, count_queries):
    meeting = board.meeting(4, present=4)
    _grow_agenda(board, meeting, 0, 1)
    client.force_login(board.recorder)
    url = detail_url(meeting)
    assert client.get(url).status_code == 200
    small = count_queries(lambda: client.get(url))
    _grow_agenda(board, meeting, 1, 20)
    response = client.get(url)
    assert "项目20" in text(response)
    large = count_queries(lambda: client.get(url))
    assert large == small, f"{small} queries with 1 item, {large} with 21"
    assert small <= 20, f"{small} queries"
    client.force_login(board.chair)
    client.get(url)  # the first request of a session builds its cached scope (grants, visible agencies)
    assert count_queries(lambda: client.get(url)) <= small + 2


# ------------------------------------------------------------------------------------------ subjects (registry)


def test_project_is_offered_only_at_initiation_and_at_or_above_the_large_fund_amount(client, board):
    """Given projects at 立项 of 800,000 and 299,999.99 元 and one of 800,000 元 still in 计划, when the
    recorder opens the agenda page, then only the first is offered, with its facts; the others are refused
    by the service naming the rule and the numbers, and nothing changes."""
    big = board.project("800000", name="食堂改造")
    small = board.project("299999.99", name="门卫室维修")
    planned = board.project("800000", name="车库改造", advance=False)
    meeting = board.meeting(3, present=3)
    choices = [c.value for c in meeting_choices(meeting, board.recorder)]
    assert choices == [f"project:{big.pk}"]
    client.force_login(board.recorder)
    page = text(client.get(reverse("projects:agenda_add", args=[meeting.pk])))
    assert '<optgroup label="项目立项">' in page
    for fact in ("估算金额", "800,000.00 元", "立项", board.recorder.display_name):
        assert fact in page
    assert f"project:{small.pk}" not in page and f"project:{planned.pk}" not in page
    refused(
        lambda: board.item(meeting, small, amount=None),
        code="agenda.not_awaiting",
        contains=(f"项目{small.code}金额 299,999.99 元 未达到三重一大大额资金起点 300,000.00 元，无须集体决策",),
    )
    refused(
        lambda: board.item(meeting, planned),
        code="agenda.not_awaiting",
        contains=(f"项目{planned.code}当前处于“计划”阶段；三重一大集体决策在立项阶段作出",),
    )
    item = board.item(meeting, big, amount=None)
    assert (item.subject_kind, item.amount, item.subject_facts[2]) == (
        "project",
        Decimal("800000.00"),
        ["估算金额", "800,000.00 元"],
    )
    detail = text(client.get(detail_url(meeting)))
    assert 'data-testid="subject-kind">项目立项<' in detail and 'data-testid="subject-facts"' in detail


def meeting_choices(meeting: Meeting, user: Any) -> list[Any]:
    from govworks.projects.selectors.meetings import agenda_subject_choices

    return agenda_subject_choices(meeting=meeting, user=user)


def test_a_model_is_registered_as_one_kind_only():
    from govworks.core.registry import DecisionSubjectKind, register_decision_subject

    with pytest.raises(ValueError, match="already registered as decision subject 'project'"):
        register_decision_subject(
            DecisionSubjectKind(
                key="project_again",
                label="项目",
                model=Project,
                category="major_project",
                candidates=lambda user, agency: [],
                problem=lambda obj: "",
                facts=lambda obj: None,  # type: ignore[arg-type,return-value]
                queryset=Project.objects.all,
                visible_to=lambda user: Project.objects.none(),
                agency_id=lambda obj: obj.agency_id,
            )
        )
