"""REST API of the project lifecycle (govworks/projects/api.py, routes in config/api_urls.py).

* Lists start from ``*_visible_to`` and by-id reads from ``access_*``: a record the caller may not see
  is 404 (the same body as a missing one), the 三员 read no business records, a superior agency reads a
  subordinate's projects but may not advance them (403), anonymous callers get 403.
* POST advance/decide go through the services; a rule that refuses is 422 ``{code, detail[, field]}``
  naming what is missing; bad input is 400 with Chinese messages. Every refusal changes nothing.
* List endpoints cost a fixed number of queries however many rows there are; /api/schema/ still builds.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from govworks.core.models import AuditEvent
from govworks.core.testing.role_matrix import assert_role_matrix, call_as
from govworks.org.tests.factories import DepartmentFactory
from govworks.projects.models import AnnualPlan, ApprovalRequest, Project, Stage, StageTransition
from govworks.projects.services import approvals as approval_services
from govworks.projects.services import plans as plan_services
from govworks.projects.services import projects as project_services
from govworks.projects.tests.test_plans import decide as decide_plan
from govworks.projects.tests.test_plans import make_plan

PROJECTS = "/api/projects/projects/"
PLANS = "/api/projects/plans/"
APPROVALS = "/api/projects/approvals/"
NOT_FOUND = {"code": "not_found", "detail": "记录不存在或您无权查看"}
ANONYMOUS = {"detail": "身份认证信息未提供。"}


# ------------------------------------------------------------------------------------------ helpers


@pytest.fixture
def sub_project(lifecycle: Any) -> Project:
    """A project of the subordinate agency (后勤中心), managed by its 工程管理岗."""
    today = dt.date.today()
    return project_services.project_create_outside_plan(
        actor=lifecycle.sub_pm,
        agency=lifecycle.sub,
        manager=lifecycle.sub_pm,
        department=DepartmentFactory(agency=lifecycle.sub, name="工程维修科"),
        reason="十一月巡查发现安全隐患，须尽快处置。",
        name="后勤中心锅炉房改造",
        project_type="repair",
        location="后勤中心",
        estimate_amount=Decimal("200000"),
        funding_source="fiscal",
        planned_start=today,
        planned_end=today + dt.timedelta(days=60),
    )


def snapshot(project: Project) -> tuple[Any, ...]:
    """What a refused advance must leave untouched (sign-in events of the test client aside)."""
    project.refresh_from_db()
    return (
        project.stage,
        project.stage_entered_on,
        StageTransition.objects.filter(project=project).count(),
        list(AuditEvent.objects.exclude(action__startswith="auth.").order_by("seq").values_list("seq", "action")),
    )


def approval_snapshot() -> tuple[Any, ...]:
    return (
        list(ApprovalRequest.objects.order_by("pk").values_list("pk", "status", "current_index", "finished_at")),
        list(ApprovalRequest.objects.order_by("pk").values_list("steps__decided_by", "steps__decision", "steps__opinion")),
        # a refused 职责分离 attempt is rightly recorded for 纪检监察 (asserted where it happens)
        list(
            AuditEvent.objects.exclude(action__startswith="auth.")
            .exclude(action="projects.approval.sod_refused")
            .order_by("seq")
            .values_list("seq", "action")
        ),
    )


def get_json(client: Any, user: Any, url: str, status: int = 200) -> Any:
    response = call_as(client, user, "get", url)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    return response.json()


def ids(client: Any, user: Any, url: str) -> set[int]:
    body = get_json(client, user, url)
    assert body["count"] == len(body["results"])  # everything on one page in these tests
    return {row["id"] for row in body["results"]}


def post(client: Any, user: Any, url: str, data: Any) -> Any:
    return call_as(client, user, "post", url, data, content_type="application/json")


def submit_initiation(project: Project, actor: Any) -> ApprovalRequest:
    return approval_services.approval_submit(
        actor=actor,
        agency=project.agency,
        kind="project.initiation",
        subject=project,
        project=project,
        title=f"{project.code} 立项审批",
        amount=project.controlling_amount,
    )


def admins(world: Any) -> dict[str, Any]:
    """The 三员 of the city and of the subordinate: they manage the platform and read no business records."""
    return {
        "sysadmin": world.sysadmin,
        "secadmin": world.secadmin,
        "auditadmin": world.auditadmin,
        "sub_sysadmin": world.sub_sysadmin,
    }


# ------------------------------------------------------------------------------------------ anonymous


@pytest.mark.parametrize(
    "path",
    [PROJECTS, f"{PROJECTS}{{project}}/", PLANS, f"{PLANS}1/", APPROVALS, f"{APPROVALS}1/"],
)
def test_anonymous_get_is_refused_in_chinese(client, sub_project, path):
    response = client.get(path.format(project=sub_project.pk))
    assert response.status_code == 403
    assert response.json() == ANONYMOUS


def test_anonymous_posts_change_nothing(client, lifecycle, sub_project):
    request = submit_initiation(sub_project, lifecycle.sub_pm)
    before, approvals_before = snapshot(sub_project), approval_snapshot()
    for url, data in [
        (f"{PROJECTS}{sub_project.pk}/advance/", {"note": ""}),
        (f"{APPROVALS}{request.pk}/decide/", {"approve": True}),
    ]:
        response = client.post(url, data, content_type="application/json")
        assert response.status_code == 403
        assert response.json() == ANONYMOUS
    assert snapshot(sub_project) == before
    assert approval_snapshot() == approvals_before


# ------------------------------------------------------------------------------------------ projects: reads


def test_project_by_id_role_matrix(client, lifecycle, sub_project):
    url = f"{PROJECTS}{sub_project.pk}/"
    responses = assert_role_matrix(
        client,
        "get",
        url,
        actors={
            **lifecycle.actors(with_role=lifecycle.sub_pm, superior=lifecycle.pm, other=lifecycle.other_pm),
            **admins(lifecycle),
            "superior_leader": lifecycle.leader,
        },
        expected={
            "anonymous": 403,
            "other_agency": 404,
            "no_role": 404,
            "external": 404,
            "sysadmin": 404,
            "secadmin": 404,
            "auditadmin": 404,
            "sub_sysadmin": 404,
            "with_role": 200,
            "superior": 200,
            "superior_leader": 200,
        },
        snapshot=lambda: snapshot(sub_project),
    )
    for name in ("other_agency", "no_role", "external", "sysadmin", "sub_sysadmin"):
        assert responses[name].json() == NOT_FOUND, name
    assert responses["superior"].json()["id"] == sub_project.pk


def test_project_404_is_the_same_as_for_a_missing_record(client, lifecycle, sub_project):
    client.force_login(lifecycle.other_pm)
    forbidden = client.get(f"{PROJECTS}{sub_project.pk}/")
    missing = client.get(f"{PROJECTS}999999/")
    assert (forbidden.status_code, missing.status_code) == (404, 404)
    assert forbidden.json() == missing.json() == NOT_FOUND


def test_project_list_is_scoped(client, lifecycle, sub_project, make_project):
    city_project = make_project()
    assert ids(client, lifecycle.pm, PROJECTS) == {city_project.pk, sub_project.pk}  # superior reads its subordinate
    assert ids(client, lifecycle.leader, PROJECTS) == {city_project.pk, sub_project.pk}
    assert ids(client, lifecycle.sub_pm, PROJECTS) == {sub_project.pk}  # not up the tree
    for who in ("other_pm", "no_role", "contractor", "sysadmin", "secadmin", "auditadmin", "sub_sysadmin"):
        assert ids(client, getattr(lifecycle, who), PROJECTS) == set(), who


def test_project_list_newest_first_with_labels(client, lifecycle, make_project):
    first = make_project(name="机关食堂修缮")
    second = make_project(name="办公楼节能改造")
    body = get_json(client, lifecycle.pm, PROJECTS)
    assert [row["id"] for row in body["results"]] == [second.pk, first.pk]
    row = body["results"][1]
    assert row == {
        "id": first.pk,
        "code": first.code,
        "name": "机关食堂修缮",
        "agency": lifecycle.city.pk,
        "agency_name": "临江市机关事务管理局",
        "project_type": "repair",
        "project_type_label": "修缮",
        "stage": "planned",
        "stage_label": "计划",
        "stage_entered_on": dt.date.today().isoformat(),
        "estimate_amount": "380000.00",
        "approved_estimate": None,
        "budget_amount": None,
        "manager": lifecycle.pm.pk,
        "manager_name": "李明",
        "department": lifecycle.construction.pk,
        "department_name": "基建科",
        "outside_plan": True,
        "planned_start": first.planned_start.isoformat(),
        "planned_end": first.planned_end.isoformat(),
    }


def test_project_detail_has_amounts_as_strings_and_the_gate(client, lifecycle, make_project):
    project = make_project("380000.5")
    body = get_json(client, lifecycle.pm, f"{PROJECTS}{project.pk}/")
    assert (body["stage"], body["stage_label"], body["manager_name"]) == ("planned", "计划", "李明")
    assert (body["estimate_amount"], body["controlling_amount"], body["approved_estimate"]) == ("380000.50", "380000.50", None)
    assert (body["funding_source"], body["funding_source_label"], body["location"]) == ("fiscal", "财政拨款", "市级机关大院")
    assert body["outside_plan_reason"] == "十一月巡查发现安全隐患，须尽快处置。"
    assert body["gate"] == [
        {
            "code": "plan",
            "label": "列入年度计划，或记录计划外立项理由",
            "ok": True,
            "detail": "计划外项目（已记录理由，纪检监察可见）",
        }
    ]
    project_services.project_advance(actor=lifecycle.pm, project=project)
    gate = {c["code"]: c for c in get_json(client, lifecycle.pm, f"{PROJECTS}{project.pk}/")["gate"]}
    assert gate["doc:proposal"] == {"code": "doc:proposal", "label": "上传《项目建议书》", "ok": False, "detail": "尚未上传"}
    assert gate["approval:project.initiation"]["ok"] is False
    assert gate["tzyd"]["ok"] is False  # 380,000.50 ≥ tzyd.large_fund_min_amount 300,000
    assert set(gate["tzyd"]) == {"code", "label", "ok", "detail"}


def test_project_list_filters_mean_what_the_register_page_means(client, lifecycle, sub_project, make_project):
    canteen = make_project(name="机关食堂修缮")
    energy = make_project(name="办公楼节能改造")
    project_services.project_advance(actor=lifecycle.pm, project=energy)
    everything = {canteen.pk, energy.pk, sub_project.pk}
    assert ids(client, lifecycle.pm, f"{PROJECTS}?stage=initiation") == {energy.pk}
    assert ids(client, lifecycle.pm, f"{PROJECTS}?stage=planned") == {canteen.pk, sub_project.pk}
    assert ids(client, lifecycle.pm, f"{PROJECTS}?agency={lifecycle.sub.pk}") == {sub_project.pk}
    assert ids(client, lifecycle.pm, f"{PROJECTS}?agency={lifecycle.other.pk}") == set()  # not a way round the scope
    assert ids(client, lifecycle.pm, f"{PROJECTS}?q=食堂") == {canteen.pk}
    assert ids(client, lifecycle.pm, f"{PROJECTS}?q={energy.code.lower()}") == {energy.pk}  # codes case-insensitively
    assert ids(client, lifecycle.pm, f"{PROJECTS}?q=%20后勤中心%20") == {sub_project.pk}  # location, trimmed
    assert ids(client, lifecycle.pm, f"{PROJECTS}?project_type=repair") == everything
    assert ids(client, lifecycle.pm, f"{PROJECTS}?project_type=it") == set()
    assert ids(client, lifecycle.pm, f"{PROJECTS}?outside_plan=true") == everything
    assert ids(client, lifecycle.pm, f"{PROJECTS}?outside_plan=false&stage=&q=") == everything
    assert ids(client, lifecycle.sub_pm, f"{PROJECTS}?agency={lifecycle.city.pk}") == set()


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("stage=nowhere", {"stage": ["阶段“nowhere”不存在"]}),
        ("project_type=castle", {"project_type": ["项目类型“castle”不存在"]}),
        ("agency=abc", {"agency": ["单位编号须为整数"]}),
        ("agency=0", {"agency": ["单位编号须为正整数"]}),
        ("q=" + "字" * 51, {"q": ["查询文字不能超过50字"]}),
        ("outside_plan=maybe", {"outside_plan": ["“仅计划外”须为 true 或 false"]}),
    ],
)
def test_project_list_bad_filters_are_400_in_chinese(client, lifecycle, query, errors):
    response = call_as(client, lifecycle.pm, "get", f"{PROJECTS}?{query}")
    assert response.status_code == 400
    assert response.json() == errors


# ------------------------------------------------------------------------------------------ projects: advance


def test_advance_role_matrix(client, lifecycle, sub_project):
    url = f"{PROJECTS}{sub_project.pk}/advance/"
    responses = assert_role_matrix(
        client,
        "post",
        url,
        data={"note": "立项准备就绪"},
        content_type="application/json",
        actors={
            **lifecycle.actors(with_role=lifecycle.sub_pm, superior=lifecycle.pm, other=lifecycle.other_pm),
            **admins(lifecycle),
            "superior_leader": lifecycle.leader,
        },
        expected={
            "anonymous": 403,
            "other_agency": 404,
            "no_role": 404,
            "external": 404,
            "sysadmin": 404,
            "secadmin": 404,
            "auditadmin": 404,
            "sub_sysadmin": 404,
            "superior": 403,
            "superior_leader": 403,
            "with_role": 200,  # last: it changes the project
        },
        snapshot=lambda: snapshot(sub_project),
    )
    for name in ("superior", "superior_leader"):
        assert responses[name].json() == {"code": "forbidden", "detail": "您在该单位没有“推进项目阶段”的权限"}, name
    for name in ("other_agency", "no_role", "external", "sysadmin", "secadmin", "auditadmin", "sub_sysadmin"):
        assert responses[name].json() == NOT_FOUND, name
    body = responses["with_role"].json()
    assert (body["id"], body["stage"], body["stage_label"]) == (sub_project.pk, "initiation", "立项")
    assert any(c["code"] == "doc:proposal" and not c["ok"] for c in body["gate"])  # the new stage's gate
    sub_project.refresh_from_db()
    assert sub_project.stage == Stage.INITIATION
    transition = StageTransition.objects.filter(project=sub_project).latest("id")
    assert (transition.from_stage, transition.to_stage, transition.actor_id, transition.note) == (
        "planned",
        "initiation",
        lifecycle.sub_pm.pk,
        "立项准备就绪",
    )
    event = AuditEvent.objects.get(action="projects.project.advance")
    assert (event.actor_id, event.object_id, event.reason) == (lifecycle.sub_pm.pk, str(sub_project.pk), "立项准备就绪")


def test_advance_refused_by_the_gate_is_422_naming_what_is_missing_and_changes_nothing(client, lifecycle, make_project):
    project = make_project("600000")
    assert post(client, lifecycle.pm, f"{PROJECTS}{project.pk}/advance/", {}).status_code == 200
    before = snapshot(project)
    assert before[0] == Stage.INITIATION
    response = post(client, lifecycle.pm, f"{PROJECTS}{project.pk}/advance/", {"note": "再试一次"})
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"code", "detail"}
    assert body["code"] == "project.gate"
    assert body["detail"].startswith("“立项”阶段尚不能办结，还缺：")
    assert "上传《项目建议书》（尚未上传）" in body["detail"]
    assert "完成本阶段审批（尚未提交）" in body["detail"]
    assert "三重一大集体决策通过（金额 600,000.00 元 ≥“三重一大大额资金起点”300,000.00 元）" in body["detail"]
    assert snapshot(project) == before


def test_advance_from_the_last_stage_is_422(client, lifecycle, make_project):
    project = make_project()
    Project.objects.filter(pk=project.pk).update(stage=Stage.CLOSED)
    before = snapshot(project)
    response = post(client, lifecycle.pm, f"{PROJECTS}{project.pk}/advance/", {})
    assert response.status_code == 422
    assert response.json() == {"code": "project.last_stage", "detail": "项目已在最后阶段"}
    assert snapshot(project) == before


def test_advance_bad_input_is_400_and_changes_nothing(client, lifecycle, make_project):
    project = make_project()
    before = snapshot(project)
    response = post(client, lifecycle.pm, f"{PROJECTS}{project.pk}/advance/", {"note": "说" * 501})
    assert response.status_code == 400
    assert response.json() == {"note": ["办结说明不能超过500字"]}
    assert snapshot(project) == before


def test_advance_of_a_missing_project_is_404(client, lifecycle):
    response = post(client, lifecycle.pm, f"{PROJECTS}999999/advance/", {})
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_project_endpoints_are_read_only_otherwise(client, lifecycle, make_project):
    project = make_project()
    before = snapshot(project)
    client.force_login(lifecycle.pm)
    assert client.post(PROJECTS, {"name": "x"}, content_type="application/json").status_code == 405
    assert client.put(f"{PROJECTS}{project.pk}/", {"name": "x"}, content_type="application/json").status_code == 405
    assert client.delete(f"{PROJECTS}{project.pk}/").status_code == 405
    assert client.get(f"{PROJECTS}{project.pk}/advance/").status_code == 405
    assert snapshot(project) == before


# ------------------------------------------------------------------------------------------ plans


@pytest.fixture
def sub_plan(lifecycle: Any) -> AnnualPlan:
    """A draft plan of the subordinate agency with two items."""
    return make_plan(lifecycle.sub_pm, lifecycle.sub, DepartmentFactory(agency=lifecycle.sub, name="综合科"))


def test_plan_by_id_role_matrix_draft_and_filed(client, lifecycle, sub_plan):
    url = f"{PLANS}{sub_plan.pk}/"
    actors = {
        **lifecycle.actors(with_role=lifecycle.sub_pm, superior=lifecycle.pm, other=lifecycle.other_pm),
        **admins(lifecycle),
    }
    refused = {
        "anonymous": 403,
        "other_agency": 404,
        "no_role": 404,
        "external": 404,
        "sysadmin": 404,
        "secadmin": 404,
        "auditadmin": 404,
        "sub_sysadmin": 404,
    }
    # a draft is the subordinate's own business
    assert_role_matrix(client, "get", url, actors=actors, expected={**refused, "with_role": 200, "superior": 404})
    assert ids(client, lifecycle.pm, PLANS) == set()
    # once filed, the superior reads it too
    plan_services.annual_plan_submit(actor=lifecycle.sub_pm, plan=sub_plan)
    decide_plan(sub_plan, organizer=lifecycle.sub_pm)
    plan_services.annual_plan_file(actor=lifecycle.sub_pm, plan=sub_plan)
    assert_role_matrix(client, "get", url, actors=actors, expected={**refused, "with_role": 200, "superior": 200})
    assert ids(client, lifecycle.pm, PLANS) == {sub_plan.pk}
    assert ids(client, lifecycle.pm, f"{PLANS}?status=filed&agency={lifecycle.sub.pk}") == {sub_plan.pk}
    assert ids(client, lifecycle.pm, f"{PLANS}?status=draft") == set()
    for who in ("other_pm", "contractor", "sysadmin", "auditadmin"):
        assert ids(client, getattr(lifecycle, who), PLANS) == set(), who


def test_plan_list_and_detail_fields(client, lifecycle, sub_plan):
    row = get_json(client, lifecycle.sub_pm, PLANS)["results"][0]
    assert (row["id"], row["status"], row["status_label"], row["item_count"], row["total"]) == (
        sub_plan.pk,
        "draft",
        "起草中",
        2,
        "2400000.00",
    )
    assert (row["agency_name"], row["drafted_by_name"], row["year"], row["revision"]) == (
        "临江市市级机关后勤服务中心",
        "蔡芸",
        sub_plan.year,
        1,
    )
    body = get_json(client, lifecycle.sub_pm, f"{PLANS}{sub_plan.pk}/")
    assert (body["id"], body["title"], body["total"], body["status_label"]) == (
        sub_plan.pk,
        sub_plan.title,
        "2400000.00",
        "起草中",
    )
    assert [i["seq"] for i in body["items"]] == [1, 2]
    item = body["items"][0]
    assert (item["name"], item["estimated_amount"], item["department_name"], item["responsible_name"], item["project"]) == (
        "办公楼维修工程1",
        "1200000.00",
        "综合科",
        "蔡芸",
        None,
    )
    assert (item["project_type_label"], item["funding_source_label"]) == ("修缮", "财政拨款")


def test_empty_plan_total_is_zero(client, lifecycle):
    year = dt.date.today().year
    plan = plan_services.annual_plan_create(actor=lifecycle.pm, agency=lifecycle.city, year=year, title=f"{year}年度工程建设计划")
    assert get_json(client, lifecycle.pm, PLANS)["results"][0]["total"] == "0.00"
    body = get_json(client, lifecycle.pm, f"{PLANS}{plan.pk}/")
    assert (body["total"], body["items"]) == ("0.00", [])


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("status=lost", {"status": ["计划状态“lost”不存在"]}),
        ("year=abc", {"year": ["年度须为整数"]}),
        ("agency=x", {"agency": ["单位编号须为整数"]}),
    ],
)
def test_plan_list_bad_filters_are_400_in_chinese(client, lifecycle, query, errors):
    response = call_as(client, lifecycle.pm, "get", f"{PLANS}?{query}")
    assert response.status_code == 400
    assert response.json() == errors


# ------------------------------------------------------------------------------------------ approvals


@pytest.fixture
def city_request(lifecycle: Any, make_project: Any) -> ApprovalRequest:
    """立项审批 of a 380,000 yuan city project (chain: 科室负责人 → 分管领导), submitted by the 工程管理岗."""
    return submit_initiation(make_project(), lifecycle.pm)


def test_inbox_lists_what_the_caller_may_decide_now(client, lifecycle, city_request):
    assert ids(client, lifecycle.head, APPROVALS) == {city_request.pk}
    for who in ("leader", "pm", "finance", "principal", "no_role", "other_pm", "contractor", "sysadmin", "auditadmin"):
        assert ids(client, getattr(lifecycle, who), APPROVALS) == set(), who  # later step, submitter, wrong role …
    row = get_json(client, lifecycle.head, APPROVALS)["results"][0]
    assert row == {
        "id": city_request.pk,
        "kind": "project.initiation",
        "kind_label": "立项审批",
        "title": city_request.title,
        "amount": "380000.00",
        "agency": lifecycle.city.pk,
        "agency_name": "临江市机关事务管理局",
        "project": city_request.project_id,
        "project_code": city_request.project.code,
        "chain_name": city_request.chain_name,
        "submitted_by": lifecycle.pm.pk,
        "submitted_by_name": "李明",
        "submitted_at": row["submitted_at"],
        "status": "pending",
        "status_label": "审批中",
        "current_index": 0,
        "current_role": "department_head",
        "current_role_label": "科室负责人",
        "current_due": row["current_due"],
        "on_behalf_of": None,
    }
    assert row["current_due"] is not None


def test_inbox_names_the_delegator(client, lifecycle, city_request):
    approval_services.delegation_create(
        actor=lifecycle.head,
        delegate=lifecycle.finance,
        starts_on=dt.date.today(),
        ends_on=dt.date.today() + dt.timedelta(days=3),
        reason="出差",
    )
    row = get_json(client, lifecycle.finance, APPROVALS)["results"][0]
    assert (row["id"], row["on_behalf_of"]) == (city_request.pk, "chenzq")


def test_decide_role_matrix(client, lifecycle, city_request):
    url = f"{APPROVALS}{city_request.pk}/decide/"
    responses = assert_role_matrix(
        client,
        "post",
        url,
        data={"approve": True, "opinion": "同意立项"},
        content_type="application/json",
        actors={
            **lifecycle.actors(with_role=lifecycle.head, superior=lifecycle.sub_pm, other=lifecycle.other_pm),
            **admins(lifecycle),
            "submitter": lifecycle.pm,
            "later_step": lifecycle.leader,
            "wrong_role": lifecycle.finance,
        },
        expected={
            "anonymous": 403,
            "other_agency": 404,
            "no_role": 404,
            "external": 404,
            "superior": 404,  # a subordinate's staff do not read up the tree
            "sysadmin": 404,
            "secadmin": 404,
            "auditadmin": 404,
            "sub_sysadmin": 404,
            "submitter": 422,
            "later_step": 403,
            "wrong_role": 403,
            "with_role": 200,
        },
        snapshot=approval_snapshot,
    )
    assert responses["submitter"].json() == {
        "code": "approval.own_submission",
        "detail": "职责分离：本事项由您提交，不能审批自己提交的事项（审批与提交须由不同的人办理），第1环节（科室负责人）审批须由他人办理",
    }
    assert AuditEvent.objects.filter(action="projects.approval.sod_refused", actor=lifecycle.pm).count() == 1
    for name in ("later_step", "wrong_role"):
        assert responses[name].json() == {
            "code": "forbidden",
            "detail": "本环节须由“科室负责人”审批，您不是该角色，也未受其委托",
        }, name
    body = responses["with_role"].json()
    assert (body["status"], body["current_index"]) == ("pending", 1)
    first, second = body["steps"]
    assert (first["role"], first["role_label"], first["decision"], first["decision_label"], first["opinion"]) == (
        "department_head",
        "科室负责人",
        "approve",
        "同意",
        "同意立项",
    )
    assert (first["decided_by"], first["decided_by_name"], first["on_behalf_of_name"]) == (lifecycle.head.pk, "chenzq", None)
    assert (second["role"], second["decision"], second["decided_by_name"]) == ("leader_in_charge", "", None)
    # the next step reaches the 分管领导's inbox; a plain approval is recorded as “同意”
    assert ids(client, lifecycle.leader, APPROVALS) == {city_request.pk}
    response = post(client, lifecycle.leader, url, {"approve": True})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["status_label"]) == ("approved", "已批准")
    assert response.json()["steps"][1]["opinion"] == "同意"
    assert ids(client, lifecycle.leader, APPROVALS) == set()


def test_decide_on_a_finished_request_is_422(client, lifecycle, city_request):
    assert (
        post(
            client, lifecycle.head, f"{APPROVALS}{city_request.pk}/decide/", {"approve": False, "opinion": "缺少估算依据"}
        ).status_code
        == 200
    )
    before = approval_snapshot()
    response = post(client, lifecycle.leader, f"{APPROVALS}{city_request.pk}/decide/", {"approve": True})
    assert response.status_code == 422
    assert response.json()["code"] == "approval.not_pending"
    assert "不能再审批" in response.json()["detail"]
    assert approval_snapshot() == before


def test_return_without_a_reason_is_422_on_the_field(client, lifecycle, city_request):
    before = approval_snapshot()
    response = post(client, lifecycle.head, f"{APPROVALS}{city_request.pk}/decide/", {"approve": False, "opinion": "  "})
    assert response.status_code == 422
    assert response.json() == {"code": "approval.return_reason", "detail": "退回须填写理由", "field": "opinion"}
    assert approval_snapshot() == before


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"opinion": "同意"}, {"approve": ["请选择同意或退回"]}),
        ({"approve": None}, {"approve": ["请选择同意或退回"]}),
        ({"approve": "perhaps"}, {"approve": ["“同意”须为 true 或 false"]}),
        ({"approve": True, "opinion": "意" * 2001}, {"opinion": ["审批意见不能超过2000字"]}),
    ],
)
def test_decide_bad_input_is_400_in_chinese(client, lifecycle, city_request, data, errors):
    before = approval_snapshot()
    response = post(client, lifecycle.head, f"{APPROVALS}{city_request.pk}/decide/", data)
    assert response.status_code == 400
    assert response.json() == errors
    assert approval_snapshot() == before


def test_decide_approve_is_required_in_a_form_post_too(client, lifecycle, city_request):
    before = approval_snapshot()
    client.force_login(lifecycle.head)
    response = client.post(f"{APPROVALS}{city_request.pk}/decide/", {"opinion": "同意"})  # multipart, no box
    assert response.status_code == 400
    assert response.json() == {"approve": ["请选择同意或退回"]}
    assert approval_snapshot() == before


def test_approval_by_id_is_scoped(client, lifecycle, city_request):
    url = f"{APPROVALS}{city_request.pk}/"
    body = get_json(client, lifecycle.finance, url)  # readable in the agency, though not theirs to decide
    assert (body["id"], body["kind_label"], [s["role"] for s in body["steps"]]) == (
        city_request.pk,
        "立项审批",
        ["department_head", "leader_in_charge"],
    )
    for who in ("other_pm", "sub_pm", "contractor", "sysadmin", "no_role"):
        assert get_json(client, getattr(lifecycle, who), url, status=404) == NOT_FOUND, who


# ------------------------------------------------------------------------------------------ query counts


def _constant(client: Any, count_queries: Any, url: str, grow: Any) -> int:
    assert client.get(url).status_code == 200  # warm-up

    def load() -> None:
        response = client.get(url)
        assert response.status_code == 200
        load.count = response.json()["count"]  # type: ignore[attr-defined]

    small = count_queries(load)
    count_small = load.count  # type: ignore[attr-defined]
    added = grow()
    large = count_queries(load)
    assert load.count == count_small + added  # type: ignore[attr-defined]
    assert large == small, f"{url}: {small} queries before, {large} with {added} more rows"
    return small


def test_project_list_query_count_is_constant(client, lifecycle, make_project, count_queries):
    make_project()
    client.force_login(lifecycle.pm)

    def grow() -> int:
        for i in range(20):
            project = make_project(name=f"项目{i}")
            if i % 2:
                project_services.project_advance(actor=lifecycle.pm, project=project)
        return 20

    _constant(client, count_queries, PROJECTS, grow)

    def grow_filtered() -> int:
        for i in range(5):
            project_services.project_advance(actor=lifecycle.pm, project=make_project(name=f"筛选{i}"))
        make_project(name="仍在计划阶段")  # filtered out
        return 5

    project_services.project_advance(actor=lifecycle.pm, project=make_project(name="筛选起点"))  # a non-empty page
    _constant(client, count_queries, f"{PROJECTS}?stage=initiation&outside_plan=true&q=筛选", grow_filtered)


def test_plan_list_query_count_is_constant(client, lifecycle, count_queries):
    this_year = dt.date.today().year  # plans may be drafted from last year to two years ahead, one per year
    make_plan(lifecycle.pm, lifecycle.city, lifecycle.construction, items=1, year=this_year - 1)
    client.force_login(lifecycle.pm)

    def grow() -> int:
        for year in range(this_year, this_year + 3):
            make_plan(lifecycle.pm, lifecycle.city, lifecycle.construction, items=4, year=year)
        return 3

    _constant(client, count_queries, PLANS, grow)


def test_approval_inbox_query_count_is_constant(client, lifecycle, make_project, count_queries):
    submit_initiation(make_project(), lifecycle.pm)
    client.force_login(lifecycle.head)

    def grow() -> int:
        for i in range(10):
            submit_initiation(make_project(name=f"项目{i}"), lifecycle.pm)
        return 10

    _constant(client, count_queries, APPROVALS, grow)


# ------------------------------------------------------------------------------------------ schema, root


def test_schema_still_builds_and_lists_the_project_endpoints(client, lifecycle):
    client.force_login(lifecycle.pm)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    body = response.content.decode()
    for path in (
        "/api/projects/projects/",
        "/api/projects/projects/{id}/",
        "/api/projects/projects/{id}/advance/",
        "/api/projects/plans/",
        "/api/projects/plans/{id}/",
        "/api/projects/approvals/",
        "/api/projects/approvals/{id}/decide/",
    ):
        assert f"  {path}:" in body, path


def test_schema_documents_inputs_and_refusals(client, lifecycle):
    client.force_login(lifecycle.pm)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    advance = schema["paths"]["/api/projects/projects/{id}/advance/"]["post"]
    assert set(advance["responses"]) == {"200", "403", "404", "422"}
    params = {p["name"] for p in schema["paths"]["/api/projects/projects/"]["get"]["parameters"]}
    assert params == {"page", "stage", "project_type", "agency", "q", "outside_plan"}
    decide = schema["components"]["schemas"]["DecideInput"]
    assert decide["required"] == ["approve"]
    assert "get" not in schema["paths"]["/api/projects/approvals/{id}/decide/"]


def test_api_root_lists_the_project_endpoints(client, lifecycle):
    body = get_json(client, lifecycle.pm, "/api/")
    assert {"projects/projects", "projects/plans", "projects/approvals"} <= set(body)
