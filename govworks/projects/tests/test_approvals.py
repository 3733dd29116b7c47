"""Approval chains: govworks/projects/services/approvals.py and the pages of
govworks/projects/views/approvals.py.

* The chain is picked by kind and amount ("以上" includes the number); an agency's own rule overrides
  the deployment's.
* Nobody approves what they submitted (approval.own_submission); someone without the step's role is
  refused (PermissionDenied naming the role); a return needs a reason; the last approval approves.
* A delegation lets the delegate decide on the delegator's behalf (recorded), only within its dates,
  and never on what the delegator submitted.
* Every refusal changes nothing. Role matrix for the request page and the decision; query counts constant.

The requests belong to ``world.sub`` (后勤中心), submitted by ``world.sub_pm``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from govworks.core.errors import DomainError
from govworks.core.testing.role_matrix import assert_role_matrix, call_as
from govworks.core.workdays import add_working_days
from govworks.org.tests.factories import DepartmentFactory
from govworks.projects.models import ApprovalChainRule, ApprovalRequest, ApprovalStep, Delegation, Project
from govworks.projects.services import approvals as services
from govworks.projects.services.projects import project_create_outside_plan
from govworks.projects.tests.test_decisions import person, refused, state, text

KIND = "project.initiation"


@dataclass
class Office:
    """后勤中心's approvers: 科室负责人, 分管领导, 主要领导, and a deputy who takes over while someone is away."""

    world: Any
    head: Any
    leader: Any
    principal: Any
    deputy: Any
    department: Any

    @property
    def submitter(self) -> Any:
        return self.world.sub_pm

    def project(self, amount: str = "800000", name: str = "后勤中心食堂改造") -> Project:
        today = timezone.localdate()
        return project_create_outside_plan(
            actor=self.submitter,
            agency=self.world.sub,
            manager=self.submitter,
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

    def submit(self, amount: str = "800000", *, actor: Any = None, subject: Any = None, kind: str = KIND) -> ApprovalRequest:
        subject = subject or self.project(amount)
        project = subject if isinstance(subject, Project) else None
        return services.approval_submit(
            actor=actor or self.submitter,
            agency=self.world.sub,
            kind=kind,
            subject=subject,
            title=f"{subject} 立项审批",
            amount=Decimal(amount),
            project=project,
        )


@pytest.fixture
def office(world: Any) -> Office:
    return Office(
        world=world,
        head=person("sub_head", "后勤基建科科长", world.sub, "department_head"),
        leader=person("sub_leader", "后勤中心分管副主任", world.sub, "leader_in_charge"),
        principal=person("sub_principal", "后勤中心主任", world.sub, "principal_leader"),
        deputy=person("sub_deputy", "后勤中心副主任", world.sub, "project_manager"),
        department=DepartmentFactory(agency=world.sub, name="后勤基建科"),
    )


def decide(office_actor: Any, request: ApprovalRequest, approve: bool = True, opinion: str = "") -> ApprovalRequest:
    return services.approval_decide(actor=office_actor, request=request, approve=approve, opinion=opinion)


SOD = "projects.approval.sod_refused"


def business_state() -> dict[str, Any]:
    """state() without the 职责分离 refusal records, which a refused attempt rightly adds (asserted apart)."""
    snapshot = state()
    snapshot["audit"] = [row for row in snapshot["audit"] if row[1] != SOD]
    return snapshot


def sod_refused(call: Any, *, actor: Any, code: str, contains: tuple[str, ...] = ()) -> Any:
    """Run ``call``: refused with ``code`` naming 职责分离; nothing else changed; exactly one refusal
    event recorded for 纪检监察, by ``actor``, that survived the refused transaction."""
    from govworks.core.models import AuditEvent

    before, events = business_state(), AuditEvent.objects.filter(action=SOD).count()
    with pytest.raises(DomainError) as info:
        call()
    assert business_state() == before, "a refused call changed data"
    assert info.value.code == code, info.value.message
    assert info.value.message.startswith("职责分离："), info.value.message
    for part in contains:
        assert part in info.value.message, info.value.message
    assert AuditEvent.objects.filter(action=SOD).count() == events + 1
    event = AuditEvent.objects.filter(action=SOD).order_by("-seq").first()
    assert event is not None and event.actor_id == actor.pk and event.reason == info.value.message  # said in Chinese, no code
    return info.value


# ------------------------------------------------------------------------------------------ chains


@pytest.mark.parametrize(
    ("amount", "steps"),
    [
        ("0", ["department_head", "leader_in_charge"]),
        ("499999.99", ["department_head", "leader_in_charge"]),
        ("500000", ["department_head", "leader_in_charge", "principal_leader"]),  # "50万元以上" includes 500,000
        ("500000.01", ["department_head", "leader_in_charge", "principal_leader"]),
    ],
)
def test_chain_is_picked_by_amount(world, amount, steps):
    chain = services.approval_chain_for(agency=world.sub, kind=KIND, amount=Decimal(amount))
    assert list(chain.steps) == steps


def test_agency_rule_overrides_the_deployment(world, office):
    ApprovalChainRule.objects.create(
        agency=world.sub, kind=KIND, name="后勤中心立项审批", min_amount=0, steps=["leader_in_charge"]
    )
    assert services.approval_chain_for(agency=world.sub, kind=KIND, amount=Decimal("800000")).steps == ("leader_in_charge",)
    assert len(services.approval_chain_for(agency=world.city, kind=KIND, amount=Decimal("800000")).steps) == 3
    request = office.submit("800000")
    assert request.chain_name == "后勤中心立项审批"
    assert list(request.steps.values_list("role", flat=True)) == ["leader_in_charge"]


def test_unconfigured_kind_is_refused(world, office):
    project = office.project()
    refused(lambda: office.submit(subject=project, kind="unknown.kind"), code="approval.no_chain", contains=("unknown.kind",))


def test_submit_creates_the_steps_with_due_dates(office):
    request = office.submit("800000")
    steps = list(request.steps.order_by("index"))
    assert [s.role for s in steps] == ["department_head", "leader_in_charge", "principal_leader"]
    today = timezone.localdate()
    # approval.step_due_days: 3 个工作日 per step, by the working-day calendar (issue 11 item 11)
    assert [s.due_on for s in steps] == [add_working_days(today, 3 * (i + 1)) for i in range(3)]
    assert request.status == ApprovalRequest.Status.PENDING
    refused(lambda: office.submit(subject=request.subject), code="approval.duplicate")


def test_due_dates_count_working_days_across_the_national_day_week(office, monkeypatch):
    """Submitted on Tuesday 2026-09-29 with three steps of 3 个工作日 each: 9-30 is the 1st working day,
    10-1..10-7 are off (国庆节), 10-8 and 10-9 complete the first step; the 调休 Saturday 10-10 counts."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2026, 9, 29))
    request = office.submit("800000")
    assert list(request.steps.order_by("index").values_list("due_on", flat=True)) == [
        dt.date(2026, 10, 9),
        dt.date(2026, 10, 13),  # 10-10 (调休上班), 10-12, 10-13
        dt.date(2026, 10, 16),
    ]


# ------------------------------------------------------------------------------------------ deciding


def test_the_whole_chain_approves(office):
    request = office.submit("800000")
    request = decide(office.head, request, opinion="同意，请分管领导审批")
    assert (request.status, request.current_index) == (ApprovalRequest.Status.PENDING, 1)
    request = decide(office.leader, request)
    assert request.current_index == 2
    request = decide(office.principal, request, opinion="同意立项")
    assert request.status == ApprovalRequest.Status.APPROVED
    assert request.finished_at is not None
    steps = list(request.steps.order_by("index"))
    assert [(s.decided_by_id, s.decision, s.opinion) for s in steps] == [
        (office.head.pk, "approve", "同意，请分管领导审批"),
        (office.leader.pk, "approve", "同意"),
        (office.principal.pk, "approve", "同意立项"),
    ]
    assert all(s.decided_at and s.on_behalf_of_id is None for s in steps)
    assert services.approved_request_for(request.subject, KIND) == request
    refused(lambda: decide(office.principal, request), code="approval.not_pending")


def test_the_submitter_cannot_approve(office):
    # the department head submits an item whose first step is the department head's
    request = office.submit("100000", actor=office.head)
    error = sod_refused(lambda: decide(office.head, request), actor=office.head, code="approval.own_submission")
    assert "不能审批自己提交的事项" in error.message


def test_without_the_role_is_permission_denied(world, office):
    request = office.submit("100000")
    for actor in (office.leader, office.deputy, world.leader, world.no_role):
        refused(lambda actor=actor: decide(actor, request), PermissionDenied, contains=("科室负责人",))


def test_returning_needs_a_reason(office):
    request = office.submit("100000")
    refused(lambda: decide(office.head, request, approve=False, opinion="  "), code="approval.return_reason")
    request = decide(office.head, request, approve=False, opinion="估算依据不足，请补充造价咨询意见")
    assert request.status == ApprovalRequest.Status.RETURNED
    step = request.steps.get(index=0)
    assert (step.decision, step.opinion) == ("return", "估算依据不足，请补充造价咨询意见")
    refused(lambda: decide(office.leader, request), code="approval.not_pending")
    # a returned item may be submitted again
    again = office.submit("100000", subject=request.subject)
    assert again.status == ApprovalRequest.Status.PENDING


# ------------------------------------------------------------------------------------------ delegation


def test_delegate_decides_on_behalf_within_the_dates(office):
    request = office.submit("100000")
    decide(office.head, request)
    today = timezone.localdate()
    refused(lambda: decide(office.deputy, request), PermissionDenied)
    services.delegation_create(
        actor=office.leader, delegate=office.deputy, starts_on=today, ends_on=today + dt.timedelta(days=5), reason="出差"
    )
    request = decide(office.deputy, request, opinion="同意（代签）")
    step = request.steps.get(index=1)
    assert (step.decided_by_id, step.on_behalf_of_id) == (office.deputy.pk, office.leader.pk)
    assert request.status == ApprovalRequest.Status.APPROVED


def test_delegation_outside_its_dates_does_not_count(office):
    request = office.submit("100000")
    decide(office.head, request)
    today = timezone.localdate()
    services.delegation_create(
        actor=office.leader,
        delegate=office.deputy,
        starts_on=today + dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=5),
        reason="休假",
    )
    Delegation.objects.create(  # an earlier one, already over (test setup: the service refuses past dates)
        agency=office.world.sub,
        delegator=office.leader,
        delegate=office.deputy,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today - dt.timedelta(days=1),
        reason="上次出差",
    )
    refused(lambda: decide(office.deputy, request), PermissionDenied, contains=("分管领导",))


def let_leader_submit(office: Any) -> None:
    """Starting a project's approval needs the project action (工程管理岗); give the leader that post too."""
    from govworks.org.permissions import forget_cached_scope
    from govworks.org.tests.factories import RoleGrantFactory

    RoleGrantFactory(user=office.leader, agency=office.world.sub, role="project_manager")
    forget_cached_scope(office.leader)


def test_delegate_cannot_approve_what_the_delegator_submitted(office):
    let_leader_submit(office)
    request = office.submit("100000", actor=office.leader)  # the leader submits
    decide(office.head, request)
    today = timezone.localdate()
    services.delegation_create(actor=office.leader, delegate=office.deputy, starts_on=today, ends_on=today, reason="出差")
    refused(lambda: decide(office.deputy, request), PermissionDenied)
    assert services.deciding_capacity(user=office.deputy, request=request, step=request.steps.get(index=1)) is None


def test_delegation_refusals(world, office):
    today = timezone.localdate()
    refused(
        lambda: services.delegation_create(
            actor=office.leader, delegate=office.leader, starts_on=today, ends_on=today, reason="x"
        ),
        code="delegation.self",
    )
    refused(
        lambda: services.delegation_create(actor=office.leader, delegate=world.pm, starts_on=today, ends_on=today, reason="x"),
        code="delegation.agency",
    )
    refused(
        lambda: services.delegation_create(
            actor=office.leader, delegate=office.deputy, starts_on=today, ends_on=today - dt.timedelta(days=1), reason="x"
        ),
        code="delegation.dates",
    )
    refused(
        lambda: services.delegation_create(
            actor=office.leader, delegate=office.deputy, starts_on=today - dt.timedelta(days=1), ends_on=today, reason="x"
        ),
        code="delegation.past",
    )
    refused(
        lambda: services.delegation_create(
            actor=office.leader, delegate=office.deputy, starts_on=today, ends_on=today, reason=" "
        ),
        code="delegation.reason",
    )


# ------------------------------------------------------------------------------------------ pages


def detail_url(request: ApprovalRequest) -> str:
    return reverse("projects:approval_detail", args=[request.pk])


def sub_actors(world: Any, with_role: Any) -> dict[str, Any]:
    return world.actors(with_role=with_role, superior=world.leader, other=world.other_pm)


def test_approval_detail_role_matrix(client, world, office):
    request = office.submit("800000")
    responses = assert_role_matrix(
        client,
        "get",
        detail_url(request),
        expected={
            "anonymous": 302,
            "other_agency": 404,
            "no_role": 404,
            "with_role": 200,
            "superior": 200,
            "external": 404,
            "submitter": 200,
        },
        actors={**sub_actors(world, office.head), "submitter": office.submitter},
        snapshot=state,
    )
    assert 'data-testid="decide-form"' in text(responses["with_role"])
    assert 'data-testid="decide-form"' not in text(responses["superior"])
    page = text(responses["submitter"])
    assert 'data-testid="decide-form"' not in page
    assert "这是您提交的事项，您不能审批" in page
    assert reverse("projects:project_detail", args=[request.subject_id]) in page


def test_approval_decide_role_matrix(client, world, office):
    request = office.submit("800000")
    url = reverse("projects:approval_decide", args=[request.pk])
    responses = assert_role_matrix(
        client,
        "post",
        url,
        data={"decision": "approve", "opinion": "同意"},
        expected={
            "anonymous": 302,
            "other_agency": 404,
            "no_role": 404,
            "external": 404,
            "superior": 403,
            "leader": 403,
            "submitter": 400,
            "with_role": 302,
        },
        actors={**sub_actors(world, office.head), "leader": office.leader, "submitter": office.submitter},
        snapshot=business_state,
    )
    assert "本环节须由“科室负责人”审批，您不是该角色，也未受其委托" in text(responses["superior"])
    assert "不能审批自己提交的事项" in text(responses["submitter"])
    request.refresh_from_db()
    assert request.current_index == 1
    assert request.steps.get(index=0).decided_by_id == office.head.pk


def test_return_without_reason_is_shown_on_the_page(client, office):
    request = office.submit("100000")
    client.force_login(office.head)
    before = state()
    response = client.post(reverse("projects:approval_decide", args=[request.pk]), {"decision": "return", "opinion": ""})
    assert response.status_code == 400
    assert "退回须填写理由" in text(response)
    assert state() == before
    response = client.post(
        reverse("projects:approval_decide", args=[request.pk]), {"decision": "return", "opinion": "请补充造价依据"}
    )
    assert response.status_code == 302
    client.force_login(office.submitter)
    page = text(client.get(detail_url(request)))
    assert "请补充造价依据" in page
    assert "已退回" in page


def test_timeline_shows_who_decided_on_whose_behalf(client, office):
    request = office.submit("100000")
    decide(office.head, request)
    today = timezone.localdate()
    services.delegation_create(actor=office.leader, delegate=office.deputy, starts_on=today, ends_on=today, reason="出差")
    client.force_login(office.deputy)
    page = text(client.get(detail_url(request)))
    assert "您受 后勤中心分管副主任 委托代为审批" in page
    response = client.post(reverse("projects:approval_decide", args=[request.pk]), {"decision": "approve", "opinion": "同意"})
    assert response.status_code == 302
    page = text(client.get(detail_url(request)))
    assert "后勤中心副主任" in page
    assert "（代后勤中心分管副主任）" in page
    assert "已批准" in page


def test_overdue_steps_are_marked(client, office):
    request = office.submit("100000")
    ApprovalStep.objects.filter(request=request, index=0).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(office.head)
    page = text(client.get(detail_url(request)))
    assert 'data-testid="overdue"' in page
    assert "已超期" in page


def test_inbox_tabs(client, world, office):
    mine = office.submit("100000")
    let_leader_submit(office)
    led = office.submit("100000", actor=office.leader, subject=office.project(name="后勤中心锅炉房改造"))
    url = reverse("projects:approval_inbox")
    # 待我审批: the head sees both at the first step
    client.force_login(office.head)
    page = text(client.get(url))
    assert mine.title in page and led.title in page
    decide(office.head, mine)
    decide(office.head, led)
    assert mine.title in text(client.get(url, {"tab": "done"}))
    assert mine.title not in text(client.get(url))
    # the leader sees the one they did not submit; the deputy, by delegation, only that one too
    client.force_login(office.leader)
    page = text(client.get(url))
    assert mine.title in page and led.title not in page
    today = timezone.localdate()
    services.delegation_create(actor=office.leader, delegate=office.deputy, starts_on=today, ends_on=today, reason="出差")
    client.force_login(office.deputy)
    page = text(client.get(url))
    assert mine.title in page and led.title not in page
    assert "受 后勤中心分管副主任 委托" in page
    # 我提交的
    client.force_login(office.submitter)
    assert "没有待您审批的事项" in text(client.get(url))
    page = text(client.get(url, {"tab": "mine"}))
    assert mine.title in page and "分管领导" in page


def test_inbox_access(client, world, office):
    office.submit("100000")
    url = reverse("projects:approval_inbox")
    assert_role_matrix(
        client,
        "get",
        url,
        expected={"anonymous": 302, "other_agency": 200, "no_role": 403, "with_role": 200, "superior": 200, "external": 403},
        actors=sub_actors(world, office.head),
        snapshot=state,
    )


def test_delegation_pages(client, world, office):
    client.force_login(office.leader)
    url = reverse("projects:delegation_create")
    page = text(client.get(url))
    assert office.deputy.full_name in page
    assert world.pm.full_name not in page  # only people of the own agency
    today = timezone.localdate()
    before = state()
    response = client.post(
        url, {"delegate": world.pm.pk, "starts_on": today.isoformat(), "ends_on": today.isoformat(), "reason": "出差"}
    )
    assert response.status_code == 400
    response = client.post(
        url,
        {
            "delegate": office.deputy.pk,
            "starts_on": today.isoformat(),
            "ends_on": (today - dt.timedelta(days=1)).isoformat(),
            "reason": "出差",
        },
    )
    assert response.status_code == 400
    assert "结束日期不能早于开始日期" in text(response)
    assert state() == before
    response = client.post(
        url,
        {
            "delegate": office.deputy.pk,
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=3)).isoformat(),
            "reason": "赴省厅学习培训",
        },
    )
    assert response.status_code == 302, text(response)
    delegation = Delegation.objects.get()
    assert (delegation.delegator, delegation.delegate, delegation.agency_id) == (office.leader, office.deputy, world.sub.pk)
    page = text(client.get(reverse("projects:delegation_list")))
    assert "赴省厅学习培训" in page and "生效中" in page
    client.force_login(office.deputy)
    received = text(client.get(reverse("projects:delegation_list")))
    assert "后勤中心分管副主任" in received
    response = call_as(client, world.contractor, "get", reverse("projects:delegation_list"))
    assert response.status_code == 403


# ------------------------------------------------------------------------------------------ query counts


def _grow_requests(office: Office, start: int, n: int) -> None:
    for i in range(start, start + n):
        subject = DepartmentFactory(agency=office.world.sub, name=f"审批对象{i:02d}")
        request = services.approval_submit(
            actor=office.submitter,
            agency=office.world.sub,
            kind=KIND,
            subject=subject,
            title=f"审批事项{i:02d}",
            amount=Decimal("100000"),
        )
        if i % 2:
            decide(office.head, request)


@pytest.mark.parametrize(("who", "tab"), [("head", "todo"), ("leader", "todo"), ("submitter", "mine"), ("head", "done")])
def test_inbox_query_count_is_constant(client, office, count_queries, who, tab):
    _grow_requests(office, 0, 2)
    today = timezone.localdate()
    services.delegation_create(actor=office.principal, delegate=office.leader, starts_on=today, ends_on=today, reason="出差")
    client.force_login(getattr(office, who))
    url = reverse("projects:approval_inbox") + f"?tab={tab}"
    assert client.get(url).status_code == 200
    small = count_queries(lambda: client.get(url))
    _grow_requests(office, 2, 20)
    response = client.get(url)
    assert "审批事项2" in text(response)
    large = count_queries(lambda: client.get(url))
    assert large == small, f"{small} queries with 2 requests, {large} with 22"
    assert small <= 20, f"{small} queries"


def test_approval_detail_query_count_is_constant(client, office, count_queries):
    ApprovalChainRule.objects.create(
        kind="test.long", name="短流程", min_amount=0, steps=["department_head", "leader_in_charge", "principal_leader"]
    )
    ApprovalChainRule.objects.create(
        kind="test.long",
        name="长流程",
        min_amount=1000000,
        steps=["department_head"] + ["leader_in_charge", "principal_leader"] * 10,
    )
    short = office.submit("100000", kind="test.long")
    long = office.submit("2000000", kind="test.long")
    for request in (short, long):
        request = decide(office.head, request)
        decide(office.leader, request)
    assert long.steps.count() == 21
    client.force_login(office.principal)
    for request in (short, long):
        assert client.get(detail_url(request)).status_code == 200
    counts = [count_queries(lambda request=request: client.get(detail_url(request))) for request in (short, long)]
    assert counts[0] == counts[1], f"{counts[0]} queries with 3 steps, {counts[1]} with 21"
    assert counts[0] <= 20, f"{counts[0]} queries"


# ------------------------------------------------------------------------------------------ 职责分离 (issue 11 item 7)


def grant(user: Any, agency: Any, role: str) -> None:
    """A second post for ``user`` (small agencies: one person may hold two roles of a chain)."""
    from govworks.org.permissions import forget_cached_scope
    from govworks.org.tests.factories import RoleGrantFactory

    RoleGrantFactory(user=user, agency=agency, role=role)
    forget_cached_scope(user)


def drafted_by(office: Office, drafter: Any, amount: str = "100000") -> ApprovalRequest:
    """``drafter`` drafts the project (it records 创建人); the 工程管理岗 submits it for approval."""
    today = timezone.localdate()
    project = project_create_outside_plan(
        actor=drafter,
        agency=office.world.sub,
        manager=office.submitter,
        department=office.department,
        reason="食堂设施老化存在安全隐患，需计划外立项改造",
        name="后勤中心配电房改造",
        project_type="repair",
        location="后勤中心配电房",
        estimate_amount=Decimal(amount),
        funding_source="fiscal",
        planned_start=today,
        planned_end=today + dt.timedelta(days=90),
    )
    return office.submit(amount, subject=project)


def test_the_drafter_cannot_approve_a_later_step(office):
    # given the department head drafted the item and the 工程管理岗 submitted it
    request = drafted_by(office, office.head)
    assert (request.drafted_by_id, request.submitted_by_id) == (office.head.pk, office.submitter.pk)
    # when the head decides step 1 (their own role) then it is refused, naming the rule and what they did
    error = sod_refused(lambda: decide(office.head, request), actor=office.head, code="approval.own_draft")
    assert error.message == (
        "职责分离：您起草了本事项，不能再办理后续的第1环节（科室负责人）审批（起草、提交或审批过前一环节的人不得审批后续环节）"
    )
    # and another department head passes
    other_head = person("sub_head2", "后勤基建科副科长", office.world.sub, "department_head")
    request = decide(other_head, request)
    assert (request.current_index, request.steps.get(index=0).decided_by_id) == (1, other_head.pk)


def test_an_earlier_approver_cannot_approve_a_later_step(office):
    # given the head also holds the 分管领导 post and approved step 1
    grant(office.head, office.world.sub, "leader_in_charge")
    request = decide(office.head, office.submit("100000"))
    assert request.current_index == 1
    # when they decide step 2 then it is refused: nothing changed, the attempt recorded
    error = sod_refused(lambda: decide(office.head, request), actor=office.head, code="approval.earlier_step")
    assert error.message == (
        "职责分离：您审批了本事项第1环节（科室负责人），不能再办理后续的第2环节（分管领导）审批"
        "（起草、提交或审批过前一环节的人不得审批后续环节）"
    )
    # and returning it is refused the same way (a decision of a later step either way)
    sod_refused(
        lambda: decide(office.head, request, approve=False, opinion="退回重做"), actor=office.head, code="approval.earlier_step"
    )
    # the 分管领导 who had no part passes
    request = decide(office.leader, request)
    assert request.status == ApprovalRequest.Status.APPROVED


def test_the_submitter_cannot_approve_a_later_step_either(office):
    # given the 工程管理岗 also holds the 分管领导 post and submitted the item
    grant(office.submitter, office.world.sub, "leader_in_charge")
    request = decide(office.head, office.submit("100000"))
    error = sod_refused(lambda: decide(office.submitter, request), actor=office.submitter, code="approval.own_submission")
    assert "第2环节（分管领导）审批须由他人办理" in error.message


def test_a_delegate_cannot_act_for_someone_who_had_a_part(office):
    # given the leader drafted the project, the 工程管理岗 submitted it and the head approved step 1
    let_leader_submit(office)
    request = decide(office.head, drafted_by(office, office.leader))
    today = timezone.localdate()
    services.delegation_create(actor=office.leader, delegate=office.deputy, starts_on=today, ends_on=today, reason="出差")
    # when the deputy decides step 2 on the leader's behalf then it is refused naming the delegator
    error = sod_refused(lambda: decide(office.deputy, request), actor=office.deputy, code="approval.own_draft")
    assert error.message.startswith(
        "职责分离：委托人后勤中心分管副主任起草了本事项，受托人不能代其办理后续的第2环节（分管领导）审批"
    )
    # and the head, who approved step 1, may not decide step 2 as the leader's delegate either
    services.delegation_create(actor=office.leader, delegate=office.head, starts_on=today, ends_on=today, reason="出差")
    sod_refused(lambda: decide(office.head, request), actor=office.head, code="approval.earlier_step")


def test_a_later_approver_after_delegated_earlier_step(office):
    """Whoever approved step 1 through a delegate (the delegator) may not decide step 2 in person."""
    grant(office.head, office.world.sub, "leader_in_charge")
    request = office.submit("100000")
    today = timezone.localdate()
    services.delegation_create(actor=office.head, delegate=office.deputy, starts_on=today, ends_on=today, reason="休假")
    request = decide(office.deputy, request)  # step 1 in the head's name
    assert request.steps.get(index=0).on_behalf_of_id == office.head.pk
    for who in (office.head, office.deputy):
        sod_refused(lambda who=who: decide(who, request), actor=who, code="approval.earlier_step")


def test_inbox_leaves_out_what_the_user_had_a_part_in(client, office):
    grant(office.head, office.world.sub, "leader_in_charge")
    request = decide(office.head, office.submit("100000"))
    drafted = drafted_by(office, office.head)
    client.force_login(office.head)
    page = text(client.get(reverse("projects:approval_inbox")))
    assert request.title not in page and drafted.title not in page
    client.force_login(office.leader)
    assert request.title in text(client.get(reverse("projects:approval_inbox")))


def test_separation_of_duties_walked_through_the_pages(client, office):
    """The 工程管理岗 submits on the project page; the head (who also holds 分管领导) approves step 1, is
    refused step 2 on the page with the rule named and nothing changed; 纪检监察 sees the attempt on the
    workbench; the 分管领导 approves it."""
    from govworks.core.models import AuditEvent

    grant(office.head, office.world.sub, "leader_in_charge")
    discipline = person("sub_jiw", "后勤中心纪检员", office.world.sub, "discipline")
    project = office.project("100000")
    # the 工程管理岗 submits through the project page
    client.force_login(office.submitter)
    response = client.post(reverse("projects:approval_submit", args=[project.pk, KIND]))
    assert response.status_code == 302
    request = ApprovalRequest.objects.get(subject_id=project.pk, kind=KIND)
    decide_url = reverse("projects:approval_decide", args=[request.pk])
    # the head decides step 1
    client.force_login(office.head)
    assert 'data-testid="decide-form"' in text(client.get(detail_url(request)))
    assert client.post(decide_url, {"decision": "approve", "opinion": "同意"}).status_code == 302
    # step 2: the page shows no decide form but the rule; a POST is refused with nothing changed
    page = text(client.get(detail_url(request)))
    assert 'data-testid="decide-form"' not in page
    assert "职责分离：您审批了本事项第1环节（科室负责人）" in page
    before = business_state()
    response = client.post(decide_url, {"decision": "approve", "opinion": "同意"})
    assert response.status_code == 400
    assert "职责分离：您审批了本事项第1环节（科室负责人），不能再办理后续的第2环节（分管领导）审批" in text(response)
    assert business_state() == before
    event = AuditEvent.objects.get(action=SOD)
    assert (event.actor_id, event.agency_id, event.object_id) == (office.head.pk, office.world.sub.pk, str(request.pk))
    # 纪检监察 of the agency sees it on the workbench; the 工程管理岗 does not
    client.force_login(discipline)
    home = text(client.get(reverse("home")))
    assert "违反职责分离的审批尝试" in home and request.title in home and detail_url(request) in home
    client.force_login(office.submitter)
    assert "违反职责分离的审批尝试" not in text(client.get(reverse("home")))
    # the 分管领导, who had no part, approves
    client.force_login(office.leader)
    assert client.post(decide_url, {"decision": "approve", "opinion": "同意立项"}).status_code == 302
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.APPROVED
    assert list(request.steps.order_by("index").values_list("decided_by_id", flat=True)) == [office.head.pk, office.leader.pk]
