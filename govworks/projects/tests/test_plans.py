"""年度工程建设计划: services/plans.py, the Excel module and the plan pages (views/plans.py).

The flow: a subordinate agency (world.sub) drafts a plan, submits it, its leadership meeting decides it
(三重一大, services/decisions.py), it is filed with the superior (world.city), which sees it and may
return it with comments; an approved plan is amended only by a new revision. Every refusal changes
nothing. Done when an Excel plan with one bad row imports nothing and reports that row.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent
from govworks.core.testing.role_matrix import assert_role_matrix
from govworks.org.tests.factories import DepartmentFactory, RoleGrantFactory, UserFactory
from govworks.projects.models import AgendaItem, AnnualPlan, Meeting, Opinion, PlanItem
from govworks.projects.plan_excel import (
    HEADERS,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    SHEET,
    XLSX_CONTENT_TYPE,
    RowError,
    parse_plan_rows,
    plan_export_workbook,
    plan_template_workbook,
)
from govworks.projects.services import decisions
from govworks.projects.services import plans as services
from govworks.projects.services.plans import PlanItemData
from govworks.projects.services.projects import project_create_from_plan

YEAR = timezone.localdate().year
S = AnnualPlan.Status


# ------------------------------------------------------------------------------------------ helpers


@pytest.fixture
def sub_dept(world: Any) -> Any:
    return DepartmentFactory(agency=world.sub, name="综合科")


def item_data(department: Any, person: Any, n: int = 1, **kw: Any) -> PlanItemData:
    values: dict[str, Any] = {
        "name": f"办公楼维修工程{n}",
        "project_type": "repair",
        "location": "市府大院3号楼",
        "estimated_amount": Decimal("1200000.00"),
        "funding_source": "fiscal",
        "planned_start": dt.date(YEAR, 3, 1),
        "planned_end": dt.date(YEAR, 10, 31),
        "department": department,
        "responsible": person,
        "expected_outcome": "消除安全隐患，改善办公条件",
    }
    values.update(kw)
    return PlanItemData(**values)


def make_plan(actor: Any, agency: Any, department: Any, *, items: int = 2, year: int = YEAR) -> AnnualPlan:
    plan = services.annual_plan_create(actor=actor, agency=agency, year=year, title=f"{year}年度工程建设计划")
    for n in range(1, items + 1):
        services.plan_item_add(actor=actor, plan=plan, data=item_data(department, actor, n))
    return plan


def decide(plan: AnnualPlan, *, organizer: Any, passed: bool = True) -> AgendaItem:
    """A leadership meeting of the plan's agency (chair + 2 members, all present) decides the plan."""
    agency = plan.agency
    chair = UserFactory(agency=agency, full_name="主要领导")
    RoleGrantFactory(user=chair, agency=agency, role="principal_leader")
    members = [UserFactory(agency=agency), UserFactory(agency=agency)]
    meeting = decisions.meeting_create(
        actor=organizer, agency=agency, kind=Meeting.Kind.PARTY_GROUP, title="党组会议",
        held_on=timezone.localdate(), chair=chair, members=members,
    )  # fmt: skip
    decisions.meeting_record_attendance(actor=organizer, meeting=meeting, present=[chair.pk, *(m.pk for m in members)])
    item = decisions.agenda_item_add(
        actor=organizer, meeting=meeting, subject=plan, category=AgendaItem.Category.MAJOR_PROJECT,
        title=f"审议{plan}", amount=None,
    )  # fmt: skip
    choice = Opinion.Choice.AGREE if passed else Opinion.Choice.DISAGREE
    for m in members:
        decisions.opinion_record(actor=organizer, item=item, member=m, choice=choice)
    decisions.agenda_conclude(actor=chair, item=item, passed=passed, conclusion="同意" if passed else "不同意，退回修改")
    plan.refresh_from_db()
    return item


def state() -> Any:
    """What a refusal must leave untouched."""
    return (
        list(AnnualPlan.objects.order_by("pk").values_list("pk", "status", "revision", "return_comment", "previous_id")),
        list(PlanItem.objects.order_by("pk").values_list("pk", "plan_id", "seq", "name", "estimated_amount")),
        AuditEvent.objects.filter(action__startswith="projects.").count(),
    )


def url(name: str, *args: Any) -> str:
    return reverse(f"projects:{name}", args=args)


def good_row(n: int, department: str, username: str) -> list[Any]:
    return [
        n, f"办公楼维修工程{n}", "修缮", "市府大院", "1,200,000.00", "财政拨款", dt.date(YEAR, 3, 1), f"{YEAR}-10-31",
        department, username, "消除安全隐患",
    ]  # fmt: skip


def xlsx(rows: list[list[Any]], *, name: str = "年度计划.xlsx", start: int = 2) -> SimpleUploadedFile:
    """The downloaded template with ``rows`` filled in from row ``start`` by openpyxl."""
    wb = load_workbook(io.BytesIO(plan_template_workbook()))
    ws = wb[SHEET]
    for r, row in enumerate(rows, start=start):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=XLSX_CONTENT_TYPE)


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# ------------------------------------------------------------------------------------------ services


def test_create_refuses_duplicate_year_bad_year_and_people_without_the_role(world, sub_dept):
    plan = make_plan(world.sub_pm, world.sub, sub_dept)
    before = state()
    with pytest.raises(DomainError) as err:
        services.annual_plan_create(actor=world.sub_pm, agency=world.sub, year=YEAR, title="又一份")
    assert err.value.code == "plan.exists"
    with pytest.raises(DomainError) as err:
        services.annual_plan_create(actor=world.sub_pm, agency=world.sub, year=YEAR + 5, title="远期")
    assert err.value.code == "plan.year"
    for outsider in (world.pm, world.sub_sysadmin, world.no_role, world.contractor):  # superior, admin, no role, external
        with pytest.raises(PermissionDenied):
            services.annual_plan_create(actor=outsider, agency=world.sub, year=YEAR + 1, title="越权")
    assert state() == before
    assert plan.status == S.DRAFT


def test_item_checks(world, sub_dept):
    plan = make_plan(world.sub_pm, world.sub, sub_dept, items=0)
    before = state()
    cases = [
        (item_data(sub_dept, world.sub_pm, planned_end=dt.date(YEAR, 1, 1)), "plan.item_dates"),
        (item_data(sub_dept, world.sub_pm, estimated_amount=Decimal(0)), "plan.item_amount"),
        (item_data(world.construction, world.sub_pm), "plan.item_department"),
        (item_data(sub_dept, world.pm), "plan.item_responsible"),
    ]
    for data, code in cases:
        with pytest.raises(DomainError) as err:
            services.plan_item_add(actor=world.sub_pm, plan=plan, data=data)
        assert err.value.code == code
    with pytest.raises(DomainError) as err:
        services.plan_items_replace(actor=world.sub_pm, plan=plan, items=[])
    assert err.value.code == "plan.import_empty"
    with pytest.raises(DomainError) as err:
        services.annual_plan_submit(actor=world.sub_pm, plan=plan)
    assert err.value.code == "plan.empty"
    assert state() == before


def test_items_are_numbered_and_replaced_in_one_go(world, sub_dept):
    plan = make_plan(world.sub_pm, world.sub, sub_dept, items=3)
    assert list(plan.items.values_list("seq", flat=True)) == [1, 2, 3]
    services.plan_item_remove(actor=world.sub_pm, item=plan.items.get(seq=2))
    assert services.plan_item_add(actor=world.sub_pm, plan=plan, data=item_data(sub_dept, world.sub_pm, 9)).seq == 4
    count = services.plan_items_replace(
        actor=world.sub_pm, plan=plan, items=[item_data(sub_dept, world.sub_pm, n) for n in (7, 8)]
    )
    assert count == 2
    assert list(plan.items.values_list("seq", "name")) == [(1, "办公楼维修工程7"), (2, "办公楼维修工程8")]
    assert AuditEvent.objects.filter(action="projects.plan.import").count() == 1


def test_rejected_decision_sends_the_plan_back_to_draft(world):
    plan = make_plan(world.pm, world.city, world.construction)
    services.annual_plan_submit(actor=world.pm, plan=plan)
    decide(plan, organizer=world.pm, passed=False)
    assert plan.status == S.DRAFT
    services.plan_item_add(actor=world.pm, plan=plan, data=item_data(world.construction, world.pm, 3))
    services.annual_plan_submit(actor=world.pm, plan=plan)
    decide(plan, organizer=world.pm)
    assert plan.status == S.DECIDED


def test_refusals_change_nothing(world, sub_dept):
    # editing a submitted plan
    plan = make_plan(world.sub_pm, world.sub, sub_dept)
    services.annual_plan_submit(actor=world.sub_pm, plan=plan)
    before = state()
    for call in (
        lambda: services.plan_item_add(actor=world.sub_pm, plan=plan, data=item_data(sub_dept, world.sub_pm, 5)),
        lambda: services.plan_item_remove(actor=world.sub_pm, item=plan.items.first()),
        lambda: services.plan_items_replace(actor=world.sub_pm, plan=plan, items=[item_data(sub_dept, world.sub_pm)]),
        lambda: services.annual_plan_submit(actor=world.sub_pm, plan=plan),
    ):
        with pytest.raises(DomainError) as err:
            call()
        assert err.value.code == "plan.not_editable"
    # filing an undecided plan; revising an unapproved one
    with pytest.raises(DomainError) as err:
        services.annual_plan_file(actor=world.sub_pm, plan=plan)
    assert err.value.code == "plan.file_state"
    with pytest.raises(DomainError) as err:
        services.annual_plan_revise(actor=world.sub_pm, plan=plan, reason="调整")
    assert err.value.code == "plan.revise_state"
    # returning a plan that was not filed
    with pytest.raises(DomainError) as err:
        services.annual_plan_return(actor=world.leader, plan=plan, comment="请修改")
    assert err.value.code == "plan.return_state"
    assert state() == before

    # filing a top-level agency's plan
    city_plan = make_plan(world.pm, world.city, world.construction)
    services.annual_plan_submit(actor=world.pm, plan=city_plan)
    decide(city_plan, organizer=world.pm)
    before = state()
    with pytest.raises(DomainError) as err:
        services.annual_plan_file(actor=world.pm, plan=city_plan)
    assert err.value.code == "plan.no_superior"
    assert state() == before

    # returning without comment; returning by someone who isn't in the superior agency
    decide(plan, organizer=world.sub_pm)
    services.annual_plan_file(actor=world.sub_pm, plan=plan)
    sub_leader = UserFactory(agency=world.sub)
    RoleGrantFactory(user=sub_leader, agency=world.sub, role="leader_in_charge")
    other_leader = UserFactory(agency=world.other)
    RoleGrantFactory(user=other_leader, agency=world.other, role="leader_in_charge")
    before = state()
    with pytest.raises(DomainError) as err:
        services.annual_plan_return(actor=world.leader, plan=plan, comment="  ")
    assert err.value.code == "plan.return_comment"
    for stranger in (sub_leader, other_leader, world.pm, world.sub_pm):
        with pytest.raises(PermissionDenied):
            services.annual_plan_return(actor=stranger, plan=plan, comment="请修改")
    # the revision needs a reason
    with pytest.raises(DomainError) as err:
        services.annual_plan_revise(actor=world.sub_pm, plan=plan, reason=" ")
    assert err.value.code == "plan.revise_reason"
    assert state() == before


def test_revision_copies_items_and_supersedes_the_old_plan_once_decided(world, sub_dept):
    plan = make_plan(world.sub_pm, world.sub, sub_dept, items=3)
    services.annual_plan_submit(actor=world.sub_pm, plan=plan)
    decide(plan, organizer=world.sub_pm)
    services.annual_plan_file(actor=world.sub_pm, plan=plan)

    revision = services.annual_plan_revise(actor=world.sub_pm, plan=plan, reason="新增消防改造项目")
    assert (revision.revision, revision.previous_id, revision.status) == (2, plan.pk, S.DRAFT)
    fields = ["seq", "name", "estimated_amount", "department_id", "responsible_id", "planned_start"]
    assert list(revision.items.values_list(*fields)) == list(plan.items.values_list(*fields))
    plan.refresh_from_db()
    assert plan.status == S.FILED  # stays in force until the revision is decided
    with pytest.raises(DomainError) as err:
        services.annual_plan_revise(actor=world.sub_pm, plan=plan, reason="再修订")
    assert err.value.code == "plan.revise_twice"

    services.plan_item_add(actor=world.sub_pm, plan=revision, data=item_data(sub_dept, world.sub_pm, 4, name="消防改造"))
    services.annual_plan_submit(actor=world.sub_pm, plan=revision)
    plan.refresh_from_db()
    assert plan.status == S.FILED
    decide(revision, organizer=world.sub_pm)
    plan.refresh_from_db()
    assert (revision.status, plan.status) == (S.DECIDED, S.SUPERSEDED)
    assert plan.items.count() == 3 and revision.items.count() == 4
    # a new plan for the year is refused: amendments are revisions
    with pytest.raises(DomainError):
        services.annual_plan_create(actor=world.sub_pm, agency=world.sub, year=YEAR, title="重新编制")


# ------------------------------------------------------------------------------------------ the whole flow, through the pages


def test_whole_flow_through_the_pages(client, world, sub_dept):
    client.force_login(world.sub_pm)
    # create
    response = client.post(url("plan_create"), {"agency": world.sub.pk, "year": YEAR, "title": f"{YEAR}年度后勤工程计划"})
    plan = AnnualPlan.objects.get(agency=world.sub, year=YEAR)
    assert response.status_code == 302 and response["Location"] == url("plan_detail", plan.pk)
    # add items
    for n in (1, 2):
        response = client.post(
            url("plan_item_add", plan.pk),
            {
                "name": f"食堂改造{n}", "project_type": "expansion", "location": "后勤中心", "estimated_amount": "850000.50",
                "funding_source": "fiscal", "planned_start": f"{YEAR}-04-01", "planned_end": f"{YEAR}-09-30",
                "department": sub_dept.pk, "responsible": world.sub_pm.pk, "expected_outcome": "满足就餐需求",
            },
        )  # fmt: skip
        assert response.status_code == 302
    assert plan.items.count() == 2
    response = client.get(url("plan_detail", plan.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "食堂改造1" in body
    assert "1,700,001.00" in body
    assert "170.00" in body
    assert 'data-testid="plan-submit"' in body and 'data-testid="plan-file"' not in body

    # submit → not editable any more
    assert client.post(url("plan_submit", plan.pk)).status_code == 302
    plan.refresh_from_db()
    assert plan.status == S.SUBMITTED
    before = state()
    response = client.post(url("plan_item_add", plan.pk), {"name": "偷偷加的"}, follow=True)
    assert "不能增加项目" in response.content.decode()
    response = client.post(url("plan_item_remove", plan.pk, plan.items.first().pk), follow=True)
    assert "不能修改" in response.content.decode()
    # filing an undecided plan
    response = client.post(url("plan_file", plan.pk), follow=True)
    assert "只有集体决策通过的计划才能报备" in response.content.decode()
    assert state() == before

    # the superior does not see the plan before it is filed
    client.force_login(world.pm)
    assert client.get(url("plan_detail", plan.pk)).status_code == 404
    assert plan.title not in client.get(url("plan_list")).content.decode()

    # decided at the leadership meeting
    agenda = decide(plan, organizer=world.sub_pm)
    assert plan.status == S.DECIDED
    client.force_login(world.sub_pm)
    body = client.get(url("plan_detail", plan.pk)).content.decode()
    assert url("meeting_detail", agenda.meeting_id) in body and "主持人结论" in body
    assert 'data-testid="plan-file"' in body and 'data-testid="plan-submit"' not in body
    assert url("project_create_from_plan", plan.items.first().pk) in body  # 工程管理岗 may build projects

    # filed with the superior
    response = client.post(url("plan_file", plan.pk))
    plan.refresh_from_db()
    assert plan.status == S.FILED and plan.filed_at is not None

    # the superior's users see it; a sibling agency's user gets 404
    client.force_login(world.pm)
    assert plan.title in client.get(url("plan_list")).content.decode()
    body = client.get(url("plan_detail", plan.pk)).content.decode()
    assert 'data-testid="plan-return-form"' not in body  # 工程管理岗 of the city may not return
    assert url("project_create_from_plan", plan.items.first().pk) not in body  # nor build the sub's projects
    client.force_login(world.leader)
    body = client.get(url("plan_detail", plan.pk)).content.decode()
    assert 'data-testid="plan-return-form"' in body
    client.force_login(world.other_pm)
    assert client.get(url("plan_detail", plan.pk)).status_code == 404
    assert client.get(url("plan_export", plan.pk)).status_code == 404
    assert plan.title not in client.get(url("plan_list")).content.decode()

    # returns: without comment refused; by the city's 工程管理岗 refused; by the 分管领导 with comments
    before = state()
    client.force_login(world.leader)
    response = client.post(url("plan_return", plan.pk), {"comment": "  "})
    assert response.status_code == 400
    client.force_login(world.pm)
    assert client.post(url("plan_return", plan.pk), {"comment": "请修改"}).status_code == 403
    client.force_login(world.sub_pm)
    assert client.post(url("plan_return", plan.pk), {"comment": "自己退回"}).status_code == 403
    assert state() == before
    client.force_login(world.leader)
    response = client.post(url("plan_return", plan.pk), {"comment": "食堂改造估算偏高，请核减后重报"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.returned_by_id) == (S.RETURNED, world.leader.pk)

    # editable again, the comment is shown to the drafter
    client.force_login(world.sub_pm)
    body = client.get(url("plan_detail", plan.pk)).content.decode()
    assert "食堂改造估算偏高" in body and 'data-testid="plan-item-add"' in body
    item = plan.items.get(seq=1)
    assert client.post(url("plan_item_remove", plan.pk, item.pk)).status_code == 302
    assert plan.items.count() == 1

    # back through the meeting and filing, then revised
    client.post(url("plan_submit", plan.pk))
    plan.refresh_from_db()
    second = decide(plan, organizer=world.sub_pm)
    assert client.get(url("plan_detail", plan.pk)).context["page"].decision == second  # the latest decision
    client.post(url("plan_file", plan.pk))
    plan.refresh_from_db()
    assert plan.status == S.FILED
    assert client.get(url("plan_revise", plan.pk)).status_code == 200
    response = client.post(url("plan_revise", plan.pk), {"reason": "增加节能改造项目"})
    revision = AnnualPlan.objects.get(previous=plan)
    assert response["Location"] == url("plan_detail", revision.pk)
    assert (revision.revision, revision.status, revision.items.count()) == (2, S.DRAFT, 1)
    body = client.get(url("plan_detail", plan.pk)).content.decode()
    assert 'data-testid="plan-revision-pending"' in body and 'data-testid="plan-revise"' not in body
    plan.refresh_from_db()
    assert plan.status == S.FILED
    client.post(url("plan_submit", revision.pk))
    revision.refresh_from_db()
    decide(revision, organizer=world.sub_pm)
    plan.refresh_from_db()
    assert plan.status == S.SUPERSEDED
    body = client.get(url("plan_detail", revision.pk)).content.decode()
    assert url("plan_detail", plan.pk) in body  # link to the previous revision
    body = client.get(url("plan_detail", plan.pk)).content.decode()
    assert "已被新修订版替代" in body and url("plan_detail", revision.pk) in body


def test_top_level_agency_plan_cannot_be_filed_through_the_page(client, lifecycle):
    world = lifecycle
    plan = make_plan(world.pm, world.city, world.construction)
    services.annual_plan_submit(actor=world.pm, plan=plan)
    decide(plan, organizer=world.pm)
    project = project_create_from_plan(actor=world.pm, item=plan.items.get(seq=1), manager=world.pm)
    client.force_login(world.pm)
    body = client.get(url("plan_detail", plan.pk)).content.decode()
    assert 'data-testid="plan-file"' not in body and "免备案" in body
    # the item that became a project links to it; the other can still become one
    assert url("project_detail", project.pk) in body and project.code in body
    assert url("project_create_from_plan", plan.items.get(seq=1).pk) not in body
    assert url("project_create_from_plan", plan.items.get(seq=2).pk) in body
    before = state()
    response = client.post(url("plan_file", plan.pk), follow=True)
    assert "没有上级主管部门" in response.content.decode()
    assert state() == before


def test_state_changes_are_post_only(client, world, sub_dept):
    plan = make_plan(world.sub_pm, world.sub, sub_dept)
    client.force_login(world.sub_pm)
    before = state()
    for name, args in [
        ("plan_submit", [plan.pk]), ("plan_file", [plan.pk]), ("plan_item_remove", [plan.pk, plan.items.first().pk]),
    ]:  # fmt: skip
        assert client.get(url(name, *args)).status_code == 405
    assert state() == before


def test_item_form_errors_are_400_and_change_nothing(client, world, sub_dept):
    plan = make_plan(world.sub_pm, world.sub, sub_dept, items=0)
    client.force_login(world.sub_pm)
    before = state()
    response = client.post(
        url("plan_item_add", plan.pk),
        {
            "name": "围墙", "project_type": "repair", "location": "院内", "estimated_amount": "1.234",
            "funding_source": "fiscal", "planned_start": f"{YEAR}-05-01", "planned_end": f"{YEAR}-04-01",
            "department": world.construction.pk, "responsible": world.pm.pk, "expected_outcome": "安全",
        },
    )  # fmt: skip
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"estimated_amount", "planned_end", "department", "responsible"}
    assert state() == before


# ------------------------------------------------------------------------------------------ role matrices


def test_role_matrix_plan_detail(client, world, sub_dept):
    plan = make_plan(world.sub_pm, world.sub, sub_dept)
    actors = {**world.actors(with_role=world.sub_pm), "same_agency_admin": world.sub_sysadmin}
    # a draft is the subordinate's own business: the superior does not see it yet
    assert_role_matrix(
        client, "get", url("plan_detail", plan.pk), actors=actors, snapshot=state,
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "with_role": 200, "superior": 404,
                  "external": 404, "same_agency_admin": 404},
    )  # fmt: skip
    services.annual_plan_submit(actor=world.sub_pm, plan=plan)
    decide(plan, organizer=world.sub_pm)
    services.annual_plan_file(actor=world.sub_pm, plan=plan)
    responses = assert_role_matrix(
        client, "get", url("plan_detail", plan.pk), actors=actors, snapshot=state,
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "with_role": 200, "superior": 200,
                  "external": 404, "same_agency_admin": 404},
    )  # fmt: skip
    assert "/accounts/login/" in responses["anonymous"]["Location"]
    assert 'data-testid="plan-revise"' in responses["with_role"].content.decode()
    for name in ("superior",):  # read-only: no action buttons (the 三员 read no business records: 404)
        body = responses[name].content.decode()
        assert 'data-testid="plan-revise"' not in body and 'data-testid="plan-item-add"' not in body


def test_role_matrix_plan_submit(client, world, sub_dept):
    plan = make_plan(world.sub_pm, world.sub, sub_dept)
    actors = {**world.actors(with_role=world.sub_pm), "same_agency_admin": world.sub_sysadmin}
    assert_role_matrix(
        client, "post", url("plan_submit", plan.pk), actors=actors, snapshot=state,
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "superior": 404, "external": 404,
                  "same_agency_admin": 404, "with_role": 302},
    )  # fmt: skip
    plan.refresh_from_db()
    assert plan.status == S.SUBMITTED


def test_role_matrix_plan_return_and_import(client, world, sub_dept):
    plan = make_plan(world.sub_pm, world.sub, sub_dept)
    services.annual_plan_submit(actor=world.sub_pm, plan=plan)
    decide(plan, organizer=world.sub_pm)
    services.annual_plan_file(actor=world.sub_pm, plan=plan)
    actors = {**world.actors(with_role=world.leader, superior=world.pm), "subordinate": world.sub_pm}
    assert_role_matrix(
        client, "post", url("plan_return", plan.pk), data={"comment": "请补充资金来源说明"}, actors=actors, snapshot=state,
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "superior": 403, "external": 404,
                  "subordinate": 403, "with_role": 302},
    )  # fmt: skip
    plan.refresh_from_db()
    assert plan.status == S.RETURNED
    actors = {**world.actors(with_role=world.sub_pm), "same_agency_admin": world.sub_sysadmin}
    assert_role_matrix(
        client, "get", url("plan_import", plan.pk), actors=actors, snapshot=state,
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "superior": 403, "external": 404,
                  "same_agency_admin": 404, "with_role": 200},
    )  # fmt: skip


# ------------------------------------------------------------------------------------------ Excel


def test_template_downloads_and_round_trips_through_parse(client, world, sub_dept):
    client.force_login(world.sub_pm)
    response = client.get(url("plan_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert f"filename*=UTF-8''{quote('年度工程建设计划导入模板.xlsx')}" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [SHEET, "说明"]
    ws = wb[SHEET]
    assert [c.value for c in ws[1]] == HEADERS
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert '"新建,改扩建,修缮,节能改造,信息化,其他"' in lists.values()
    assert '"财政拨款,专项资金,自筹,其他"' in lists.values()
    guide = "\n".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert "综合科" in guide and world.sub_pm.username in guide  # the sub's departments and usernames to copy

    for r, row in enumerate([good_row(n, "综合科", world.sub_pm.username) for n in (1, 2)], start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    ws.cell(row=3, column=5, value=950000.5)  # a number, not text
    out = io.BytesIO()
    wb.save(out)
    out.name = "计划.xlsx"
    out.seek(0)
    items, errors = parse_plan_rows(out, agency=world.sub)
    assert errors == []
    assert [i.name for i in items] == ["办公楼维修工程1", "办公楼维修工程2"]
    first = items[0]
    assert (first.project_type, first.funding_source, first.estimated_amount) == ("repair", "fiscal", Decimal("1200000.00"))
    assert (first.planned_start, first.planned_end) == (dt.date(YEAR, 3, 1), dt.date(YEAR, 10, 31))
    assert (first.department, first.responsible) == (sub_dept, world.sub_pm)
    assert items[1].estimated_amount == Decimal("950000.50")


def test_one_bad_row_imports_nothing_and_reports_that_row(client, world, sub_dept):
    """Done when: an Excel plan with one bad row imports nothing and reports that row."""
    plan = make_plan(world.sub_pm, world.sub, sub_dept, items=1)
    rows = [good_row(n, "综合科", world.sub_pm.username) for n in (1, 2, 3, 4)]
    rows[2][4] = "一百万"  # Excel row 4
    before = state()
    client.force_login(world.sub_pm)
    response = client.post(url("plan_import", plan.pk), {"file": xlsx(rows)})
    assert response.status_code == 400
    assert response.context["errors"] == [
        RowError(4, "估算金额（元）", "“一百万”不是有效的金额，请填写数字（元），如 1200000 或 1,200,000.00")
    ]
    body = response.content.decode()
    assert 'data-testid="import-errors"' in body and "估算金额（元）" in body and "一百万" in body
    assert ">4</td>" in body
    assert state() == before  # nothing imported, the existing item is still there

    rows[2][4] = "1200000"
    response = client.post(url("plan_import", plan.pk), {"file": xlsx(rows)})
    assert response.status_code == 302
    assert list(plan.items.values_list("name", flat=True)) == [f"办公楼维修工程{n}" for n in (1, 2, 3, 4)]


def test_every_error_is_listed(world, sub_dept):
    other_person = UserFactory(agency=world.other, username="stranger")
    gone = UserFactory(agency=world.sub, username="retired", is_active=False)
    DepartmentFactory(agency=world.sub, name="旧科室", is_active=False)
    rows = [
        good_row(1, "综合科", world.sub_pm.username),
        [2, "", "新建筑", "", "-5", "银行贷款", "明年", f"{YEAR}-02-30", "基建科", "nobody", ""],
        good_row(3, "综合科", world.sub_pm.username),
        [None, None, None, None, None, None, None, None, None, None, None],  # empty rows are skipped
        [
            5,
            "x" * 121,
            "修缮",
            "院内",
            1.234,
            "自筹",
            dt.date(YEAR, 5, 1),
            dt.date(YEAR, 4, 1),
            "旧科室",
            other_person.username,
            "好",
        ],
        [6, "车棚", "修缮", "院内", "12,000", "自筹", f"{YEAR}/05/01", f"{YEAR}-06-01", "综合科", gone.username, "好"],
    ]
    items, errors = parse_plan_rows(xlsx(rows), agency=world.sub)
    found = {(e.row, e.column) for e in errors}
    assert found == {
        (3, "项目名称"), (3, "项目类型"), (3, "建设地点"), (3, "估算金额（元）"), (3, "资金来源"), (3, "计划开工"),
        (3, "计划竣工"), (3, "责任科室"), (3, "责任人（用户名）"), (3, "预期成效"),
        (6, "项目名称"), (6, "估算金额（元）"), (6, "计划竣工"), (6, "责任科室"), (6, "责任人（用户名）"),
        (7, "责任人（用户名）"),
    }  # fmt: skip
    reasons = {(e.row, e.column): e.reason for e in errors}
    assert reasons[(3, "项目名称")] == "必填，不能为空"
    assert "新建、改扩建、修缮" in reasons[(3, "项目类型")]
    assert reasons[(3, "估算金额（元）")] == "估算金额须大于0"
    assert "“银行贷款”不是有效的资金来源" in reasons[(3, "资金来源")]
    assert "不是有效的日期" in reasons[(3, "计划竣工")]
    assert "不是临江市市级机关后勤服务中心的科室" in reasons[(3, "责任科室")]
    assert "没有用户名为“nobody”的人员" in reasons[(3, "责任人（用户名）")]
    assert "不能超过120个字" in reasons[(6, "项目名称")]
    assert "超过两位小数" in reasons[(6, "估算金额（元）")]
    assert "早于计划开工日期" in reasons[(6, "计划竣工")]
    assert "已停用" in reasons[(6, "责任科室")]
    assert "不是临江市市级机关后勤服务中心的人员" in reasons[(6, "责任人（用户名）")]
    assert "已停用" in reasons[(7, "责任人（用户名）")]
    assert len(items) == 2  # the good rows; the caller imports nothing because there are errors


def test_import_page_lists_multiple_errors(client, world, sub_dept):
    plan = make_plan(world.sub_pm, world.sub, sub_dept, items=0)
    rows = [good_row(n, "综合科", world.sub_pm.username) for n in (1, 2, 3)]
    rows[0][2] = "装修"
    rows[2][8] = "不存在的科"
    client.force_login(world.sub_pm)
    response = client.post(url("plan_import", plan.pk), {"file": xlsx(rows)})
    assert response.status_code == 400
    assert [(e.row, e.column) for e in response.context["errors"]] == [(2, "项目类型"), (4, "责任科室")]
    assert plan.items.count() == 0


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("plan.csv", b"a,b\n1,2\n", content_type="text/csv"), "只接受 Excel 2007 及以上格式"),
        (SimpleUploadedFile("plan.xlsx", b"not a zip at all", content_type=XLSX_CONTENT_TYPE), "文件无法读取"),
    ],
)
def test_non_xlsx_refused(client, world, sub_dept, upload, message):
    plan = make_plan(world.sub_pm, world.sub, sub_dept, items=1)
    before = state()
    client.force_login(world.sub_pm)
    response = client.post(url("plan_import", plan.pk), {"file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert state() == before


def test_file_level_refusals(world, sub_dept):
    with pytest.raises(DomainError) as err:
        parse_plan_rows(xlsx([]), agency=world.sub)
    assert err.value.code == "plan.import_empty"
    with pytest.raises(DomainError) as err:
        parse_plan_rows(xlsx([[n] for n in range(1, 50)]), agency=world.sub)  # 序号 only: still empty
    assert err.value.code == "plan.import_empty"
    too_many = [good_row(n, "综合科", world.sub_pm.username) for n in range(MAX_ROWS + 1)]
    with pytest.raises(DomainError) as err:
        parse_plan_rows(xlsx(too_many), agency=world.sub)
    assert err.value.code == "plan.import_too_many" and "500" in err.value.message
    items, errors = parse_plan_rows(xlsx(too_many[:MAX_ROWS]), agency=world.sub)
    assert (len(items), errors) == (MAX_ROWS, [])
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "项目名称", "类别"])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(DomainError) as err:
        parse_plan_rows(io.BytesIO(out.getvalue()), agency=world.sub)
    assert err.value.code == "plan.import_header" and "C列应为“项目类型”" in err.value.message
    with pytest.raises(DomainError) as err:
        parse_plan_rows(io.BytesIO(b"PK\x03\x04junk"), agency=world.sub)
    assert err.value.code == "plan.import_unreadable"
    for members in ({"readme.txt": b"hello"}, {"[Content_Types].xml": b"<not xml"}):  # a zip, but no workbook
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as z:
            for member, content in members.items():
                z.writestr(member, content)
        with pytest.raises(DomainError) as err:
            parse_plan_rows(io.BytesIO(archive.getvalue()), agency=world.sub)
        assert err.value.code == "plan.import_unreadable"
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", b"\0" * (MAX_UNPACKED_BYTES + 1))
    assert len(bomb.getvalue()) < 1024 * 1024
    with pytest.raises(DomainError) as err:
        parse_plan_rows(io.BytesIO(bomb.getvalue()), agency=world.sub)
    assert err.value.code == "plan.import_too_large"


def test_import_refused_on_an_approved_plan(client, world, sub_dept):
    plan = make_plan(world.sub_pm, world.sub, sub_dept, items=1)
    services.annual_plan_submit(actor=world.sub_pm, plan=plan)
    before = state()
    client.force_login(world.sub_pm)
    response = client.post(url("plan_import", plan.pk), {"file": xlsx([good_row(1, "综合科", world.sub_pm.username)])})
    assert response.status_code == 400
    assert "不能修改" in response.content.decode()
    assert state() == before


def test_export_contains_the_items_and_imports_again(client, world, sub_dept):
    plan = make_plan(world.sub_pm, world.sub, sub_dept, items=3)
    services.plan_item_add(actor=world.sub_pm, plan=plan, data=item_data(sub_dept, world.sub_pm, 4, name="=HYPERLINK(1)"))
    client.force_login(world.sub_pm)
    response = client.get(url("plan_export", plan.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert quote(f"{YEAR}年度工程建设计划") in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb[SHEET]
    assert ws["A1"].value == plan.title
    assert "起草中" in ws["A2"].value and "4,800,000.00" in ws["A2"].value
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    assert values[0] == HEADERS
    assert [v[1] for v in values[1:]] == ["办公楼维修工程1", "办公楼维修工程2", "办公楼维修工程3", "'=HYPERLINK(1)"]
    assert ws["B9"].data_type == "s"  # text behind a single quote, never a formula (issue 12 item 3)
    assert values[1][2:10] == [
        "修缮", "市府大院3号楼", 1200000, "财政拨款", dt.datetime(YEAR, 3, 1), dt.datetime(YEAR, 10, 31), "综合科",
        world.sub_pm.username,
    ]  # fmt: skip
    items, errors = parse_plan_rows(io.BytesIO(plan_export_workbook(plan)), agency=world.sub)
    assert errors == [] and len(items) == 4
    assert items[3].name == "=HYPERLINK(1)"  # the importer drops the quote the export added


# ------------------------------------------------------------------------------------------ query counts


def test_plan_list_queries_constant(client, world, sub_dept, count_queries):
    client.force_login(world.pm)

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            plan = AnnualPlan.objects.create(agency=world.city, year=1900 + i, title=f"计划{i}", drafted_by=world.pm)
            PlanItem.objects.bulk_create(
                [PlanItem(plan=plan, seq=s, **item_data(world.construction, world.pm, s).__dict__) for s in (1, 2)]
            )

    add(2, 0)
    client.get(url("plan_list"))  # warm up the session
    first = count_queries(lambda: client.get(url("plan_list")))
    add(20, 10)
    response = client.get(url("plan_list"))
    assert response.status_code == 200 and "计划29" in response.content.decode()
    assert count_queries(lambda: client.get(url("plan_list"))) == first
    assert count_queries(lambda: client.get(url("plan_list") + "?status=draft&year=1901")) == first


def test_plan_detail_queries_constant(client, world, sub_dept, count_queries):
    plan = make_plan(world.pm, world.city, world.construction, items=1)
    services.annual_plan_submit(actor=world.pm, plan=plan)
    decide(plan, organizer=world.pm)
    client.force_login(world.pm)
    client.get(url("plan_detail", plan.pk))  # warm up the session
    first = count_queries(lambda: client.get(url("plan_detail", plan.pk)))
    PlanItem.objects.bulk_create(
        [PlanItem(plan=plan, seq=s, **item_data(world.construction, world.pm, s).__dict__) for s in range(2, 22)]
    )
    response = client.get(url("plan_detail", plan.pk))
    assert response.content.decode().count('data-testid="item-build"') == 21
    assert count_queries(lambda: client.get(url("plan_detail", plan.pk))) == first
