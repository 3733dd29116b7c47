"""REST API (/api/…, config/api_urls.py): the organisation endpoints and the audit log.

Lists are scoped by ``*_visible_to``; a by-id read of a record the caller may not see is 404; POST
/api/org/role-grants/ goes through ``services.role_grant`` and answers refusals as JSON with a Chinese
``detail`` (403 forbidden, 404 not visible, 422 a rule, 400 bad input). Nothing changes on a refusal.
"""

from __future__ import annotations

from typing import Any

import pytest

from govworks.core.audit import audit_event_record
from govworks.core.models import AuditEvent
from govworks.core.testing.role_matrix import assert_role_matrix, call_as
from govworks.org import permissions as perms
from govworks.org.models import RoleGrant
from govworks.org.tests.factories import (
    AgencyFactory,
    DepartmentFactory,
    ExternalOrganizationFactory,
    PositionFactory,
    RoleGrantFactory,
    UserFactory,
)
from govworks.org.tests.test_services import db_state

GRANTS = "/api/org/role-grants/"


@pytest.fixture
def rec(world: Any) -> Any:
    class Records:
        sub_department = DepartmentFactory(agency=world.sub, name="综合科")
        other_department = DepartmentFactory(agency=world.other, name="邻市财务科")
        sub_position = PositionFactory(agency=world.sub, title="主任")
        other_position = PositionFactory(agency=world.other, title="邻市主任")
        clerk = UserFactory(username="subclerk", full_name="后勤科员", agency=world.sub)
        other_company = ExternalOrganizationFactory(name="邻江监理公司", registered_by=world.other)

    return Records


def get_json(client: Any, user: Any, url: str, status: int = 200) -> Any:
    response = call_as(client, user, "get", url)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    return response.json()


def ids(client: Any, user: Any, url: str) -> set[int]:
    body = get_json(client, user, url)
    assert body["count"] == len(body["results"])  # everything on one page in these tests
    return {row["id"] for row in body["results"]}


# ------------------------------------------------------------------------------------------ anonymous


@pytest.mark.parametrize(
    "url",
    [
        "/api/",
        "/api/org/agencies/",
        "/api/org/departments/",
        "/api/org/positions/",
        "/api/org/users/",
        "/api/org/external-organizations/",
        GRANTS,
        "/api/core/audit-events/",
        "/api/org/agencies/1/",
    ],
)
def test_anonymous_is_refused_in_chinese(client, world, url):
    response = client.get(url)
    assert response.status_code == 403
    assert response.json() == {"detail": "身份认证信息未提供。"}


def test_anonymous_post_changes_nothing(client, world, rec):
    before = db_state()
    response = client.post(
        GRANTS, {"user": rec.clerk.pk, "agency": world.sub.pk, "role": "liaison"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert db_state() == before


def test_account_that_must_change_its_password_is_refused(client, world):
    world.pm.must_change_password = True
    world.pm.save(update_fields=["must_change_password"])
    client.force_login(world.pm)
    response = client.get("/api/org/agencies/")
    assert response.status_code == 403
    assert response.json() == {"detail": "请先修改初始密码"}


# ------------------------------------------------------------------------------------------ list scoping


def test_agencies_are_scoped(client, world):
    city, sub, other = world.city.pk, world.sub.pk, world.other.pk
    assert ids(client, world.pm, "/api/org/agencies/") == {city, sub}  # superior reads its subordinate
    assert ids(client, world.sub_pm, "/api/org/agencies/") == {sub}  # not up the tree
    assert ids(client, world.other_pm, "/api/org/agencies/") == {other}  # not across
    assert ids(client, world.no_role, "/api/org/agencies/") == set()
    assert ids(client, world.contractor, "/api/org/agencies/") == set()


def test_agency_fields(client, world):
    body = get_json(client, world.pm, f"/api/org/agencies/{world.sub.pk}/")
    assert body == {
        "id": world.sub.pk,
        "name": "临江市市级机关后勤服务中心",
        "short_name": "后勤中心",
        "code": "LJHQ",
        "credit_code": world.sub.credit_code,
        "parent": world.city.pk,
        "level": "city",
        "region_code": "331000",
        "is_active": True,
    }


def test_departments_are_scoped(client, world, rec):
    assert ids(client, world.pm, "/api/org/departments/") == {world.construction.pk, rec.sub_department.pk}
    assert ids(client, world.sub_pm, "/api/org/departments/") == {rec.sub_department.pk}
    assert ids(client, world.other_pm, "/api/org/departments/") == {rec.other_department.pk}
    assert ids(client, world.contractor, "/api/org/departments/") == set()


def test_positions_are_scoped(client, world, rec):
    assert ids(client, world.pm, "/api/org/positions/") == {rec.sub_position.pk}
    assert ids(client, world.other_pm, "/api/org/positions/") == {rec.other_position.pk}
    assert ids(client, world.no_role, "/api/org/positions/") == set()


def test_users_are_scoped(client, world, rec):
    city_people = {
        world.sysadmin.pk,
        world.secadmin.pk,
        world.auditadmin.pk,
        world.pm.pk,
        world.leader.pk,
        world.discipline.pk,
        world.no_role.pk,
        world.contractor.pk,
    }  # the contractor's company was registered by the city
    sub_people = {world.sub_pm.pk, world.sub_sysadmin.pk, rec.clerk.pk}
    assert ids(client, world.pm, "/api/org/users/") == city_people | sub_people
    assert ids(client, world.sub_pm, "/api/org/users/") == sub_people
    assert ids(client, world.other_pm, "/api/org/users/") == {
        world.other_pm.pk,
        world.other_sysadmin.pk,
        world.other_auditadmin.pk,
    }
    assert ids(client, world.contractor, "/api/org/users/") == set()


def test_external_organizations_register_is_shared_but_a_company_sees_itself(client, world, rec):
    both = {world.contractor_org.pk, rec.other_company.pk}
    assert ids(client, world.pm, "/api/org/external-organizations/") == both
    assert ids(client, world.other_pm, "/api/org/external-organizations/") == both
    assert ids(client, world.contractor, "/api/org/external-organizations/") == {world.contractor_org.pk}
    assert ids(client, world.no_role, "/api/org/external-organizations/") == set()
    get_json(client, world.contractor, f"/api/org/external-organizations/{rec.other_company.pk}/", status=404)


def test_role_grants_are_scoped_and_active_only(client, world):
    revoked = RoleGrant.objects.get(user=world.leader)
    from govworks.org import services

    services.role_revoke(actor=world.secadmin, grant=revoked, reason="调离")
    city_and_sub = set(RoleGrant.objects.active().filter(agency__in=[world.city, world.sub]).values_list("pk", flat=True))
    assert revoked.pk not in city_and_sub
    assert ids(client, world.pm, GRANTS) == city_and_sub
    assert ids(client, world.other_pm, GRANTS) == set(RoleGrant.objects.filter(agency=world.other).values_list("pk", flat=True))
    assert ids(client, world.contractor, GRANTS) == set()


def test_role_grant_fields(client, world):
    grant = RoleGrant.objects.get(user=world.sub_pm)
    body = get_json(client, world.secadmin, f"{GRANTS}{grant.pk}/")
    assert {k: v for k, v in body.items() if k != "granted_at"} == {
        "id": grant.pk,
        "user": world.sub_pm.pk,
        "agency": world.sub.pk,
        "role": "project_manager",
        "granted_by": None,
        "revoked_at": None,
        "note": "",
    }


def by_id_urls(world: Any, rec: Any) -> list[str]:
    grant = RoleGrant.objects.get(user=world.sub_pm)
    return [
        f"/api/org/agencies/{world.sub.pk}/",
        f"/api/org/departments/{rec.sub_department.pk}/",
        f"/api/org/positions/{rec.sub_position.pk}/",
        f"/api/org/users/{world.sub_pm.pk}/",
        f"{GRANTS}{grant.pk}/",
    ]


def test_by_id_of_a_subordinates_record_matrix(client, world, rec):
    # superior and the agency itself read it; a sibling agency, a roleless person and an external user get 404
    for url in by_id_urls(world, rec):
        assert_role_matrix(
            client,
            "get",
            url,
            actors=world.actors(with_role=world.sub_pm),
            expected={"anonymous": 403, "other_agency": 404, "no_role": 404, "with_role": 200, "superior": 200, "external": 404},
            snapshot=db_state,
        )


def test_by_id_404_is_the_same_as_for_a_missing_record(client, world, rec):
    client.force_login(world.other_pm)
    forbidden = client.get(f"/api/org/users/{world.sub_pm.pk}/")
    missing = client.get("/api/org/users/999999/")
    assert (forbidden.status_code, missing.status_code) == (404, 404)
    assert forbidden.json() == missing.json()


@pytest.mark.parametrize("path", ["agencies", "departments", "positions", "users", "role-grants", "external-organizations"])
def test_by_id_404_detail_is_chinese(client, world, path):
    client.force_login(world.other_pm)
    response = client.get(f"/api/org/{path}/999999/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "记录不存在或您无权查看"}


def test_read_only_endpoints_refuse_writes(client, world, rec):
    client.force_login(world.sysadmin)
    before = db_state()
    for url, data in [
        ("/api/org/agencies/", {"name": "x"}),
        ("/api/org/departments/", {"name": "x"}),
        (f"/api/org/departments/{rec.sub_department.pk}/", {"name": "x"}),
    ]:
        method = client.post if url.endswith("s/") else client.put
        response = method(url, data, content_type="application/json")
        assert response.status_code == 405
        assert response.json()["detail"].startswith("方法 “")
    assert client.delete(f"/api/org/users/{world.sub_pm.pk}/").status_code == 405
    assert client.delete(f"{GRANTS}{RoleGrant.objects.get(user=world.sub_pm).pk}/").status_code == 405
    assert db_state() == before


# ------------------------------------------------------------------------------------------ POST /api/org/role-grants/


def test_role_grant_post_matrix(client, world, rec):
    data = {"user": rec.clerk.pk, "agency": world.sub.pk, "role": "liaison", "note": "后勤〔2026〕5号"}
    actors = {
        **world.actors(with_role=world.secadmin, other=world.other_sysadmin),
        "system_admin": world.sysadmin,
        "sub_system_admin": world.sub_sysadmin,
        "audit_admin": world.auditadmin,
    }
    responses = assert_role_matrix(
        client,
        "post",
        GRANTS,
        data=data,
        content_type="application/json",
        actors=actors,
        snapshot=db_state,
        expected={
            "anonymous": 403,
            "other_agency": 404,
            "no_role": 404,
            "superior": 403,
            "external": 404,
            "system_admin": 403,
            "sub_system_admin": 403,
            "audit_admin": 403,
            "with_role": 201,
        },
    )
    for name in ("superior", "system_admin", "sub_system_admin", "audit_admin"):
        assert responses[name].json() == {"code": "forbidden", "detail": "您在该单位没有“角色授权”的权限"}, name
    for name in ("other_agency", "no_role", "external"):
        assert responses[name].json() == {"code": "not_found", "detail": "记录不存在或您无权查看"}, name
    body = responses["with_role"].json()
    grant = RoleGrant.objects.active().get(user=rec.clerk)
    assert body["id"] == grant.pk
    assert (body["user"], body["agency"], body["role"], body["granted_by"], body["revoked_at"], body["note"]) == (
        rec.clerk.pk,
        world.sub.pk,
        "liaison",
        world.secadmin.pk,
        None,
        "后勤〔2026〕5号",
    )
    event = AuditEvent.objects.get(action="org.role.grant", object_id=str(grant.pk))
    assert (event.actor_id, event.agency_id, event.reason) == (world.secadmin.pk, world.sub.pk, "后勤〔2026〕5号")


@pytest.mark.parametrize(
    ("target", "role", "code", "detail"),
    [
        ("secadmin", "audit_admin", "org.grant_self", "不能为自己授予角色（三员分立、不得自我授权）"),
        ("pm", "system_admin", "org.separation_of_duties", "三员分立：管理员角色不能与其他任何角色兼任"),
        ("sysadmin", "finance", "org.separation_of_duties", "三员分立：系统管理员、安全管理员、安全审计员不能承担业务角色"),
        ("pm", "project_manager", "org.grant_duplicate", "该人员在本单位已具有“工程管理岗”角色"),
        ("contractor", "liaison", "org.grant_external", "外部单位人员不能被授予机关内部角色，请通过项目分配其参与范围"),
    ],
)
def test_role_grant_post_refused_by_a_rule_is_422(client, world, target, role, code, detail):
    client.force_login(world.secadmin)
    before = db_state()
    response = client.post(
        GRANTS, {"user": getattr(world, target).pk, "agency": world.city.pk, "role": role}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json() == {
        "code": code,
        "detail": detail,
        "field": "user" if code in ("org.grant_self", "org.grant_external") else "role",
    }
    assert db_state() == before


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"user": "abc", "agency": 1, "role": "liaison"}, {"user": ["人员编号须为整数"]}),
        ({"agency": 1, "role": "liaison"}, {"user": ["请指定人员"]}),
        ({"user": 1, "role": "liaison"}, {"agency": ["请指定单位"]}),
        ({"user": 1, "agency": "x", "role": "liaison"}, {"agency": ["单位编号须为整数"]}),
        ({"user": 1, "agency": 1, "role": "god"}, {"role": ["角色“god”不存在"]}),
        ({"user": 1, "agency": 1, "role": "liaison", "note": "依" * 201}, {"note": ["授权依据不能超过200字"]}),
    ],
)
def test_role_grant_post_bad_input_is_400(client, world, data, errors):
    client.force_login(world.secadmin)
    before = db_state()
    response = client.post(GRANTS, data, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == errors
    assert db_state() == before


def test_role_grant_post_without_role_is_400(client, world):
    client.force_login(world.secadmin)
    before = db_state()
    response = client.post(GRANTS, {"user": world.no_role.pk, "agency": world.city.pk}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"role": ["该字段是必填项。"]}
    assert db_state() == before


def test_role_grant_post_malformed_json_is_400(client, world):
    client.force_login(world.secadmin)
    before = db_state()
    response = client.post(GRANTS, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")
    assert db_state() == before


def test_role_grant_post_for_a_user_the_admin_cannot_see_is_404(client, world):
    client.force_login(world.secadmin)
    before = db_state()
    response = client.post(
        GRANTS, {"user": world.other_pm.pk, "agency": world.city.pk, "role": "liaison"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert db_state() == before


def test_role_grant_post_takes_effect_on_the_next_request(client, world):
    client.force_login(world.secadmin)
    assert (
        client.post(
            GRANTS, {"user": world.no_role.pk, "agency": world.city.pk, "role": "finance"}, content_type="application/json"
        ).status_code
        == 201
    )
    perms.forget_cached_scope(world.no_role)
    assert ids(client, world.no_role, "/api/org/agencies/") == {world.city.pk, world.sub.pk}


# ------------------------------------------------------------------------------------------ audit events


def test_audit_events_only_for_audit_admins_and_scoped(client, world):
    mine = audit_event_record(actor=world.sysadmin, action="org.test", summary="临江市的事件", agency=world.sub)
    theirs = audit_event_record(actor=world.other_sysadmin, action="org.test", summary="邻江市的事件", agency=world.other)
    anonymous_failure = audit_event_record(actor=None, action="auth.login_failed", summary="账号 nobody 登录失败")
    city_view = {row["seq"] for row in get_json(client, world.auditadmin, "/api/core/audit-events/")["results"]}
    other_view = {row["seq"] for row in get_json(client, world.other_auditadmin, "/api/core/audit-events/")["results"]}
    assert mine.seq in city_view and theirs.seq not in city_view
    assert theirs.seq in other_view and mine.seq not in other_view
    assert (
        anonymous_failure.seq in city_view and anonymous_failure.seq in other_view
    )  # top agencies' auditors see agency-less events
    get_json(client, world.other_auditadmin, f"/api/core/audit-events/{mine.seq}/", status=404)
    body = get_json(client, world.auditadmin, f"/api/core/audit-events/{mine.seq}/")
    assert (body["seq"], body["action"], body["summary"], body["agency"], body["actor"], body["hash"]) == (
        mine.seq,
        "org.test",
        "临江市的事件",
        world.sub.pk,
        world.sysadmin.pk,
        mine.hash,
    )


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "pm", "no_role", "contractor", "other_pm"])
def test_audit_events_refused_to_everyone_else(client, world, who):
    response = call_as(client, getattr(world, who), "get", "/api/core/audit-events/")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有安全审计员可以查看审计日志"


def test_audit_events_are_read_only(client, world):
    event = audit_event_record(actor=world.sysadmin, action="org.test", summary="事件", agency=world.city)
    client.force_login(world.auditadmin)
    before = db_state()
    assert client.delete(f"/api/core/audit-events/{event.seq}/").status_code == 405
    assert client.post("/api/core/audit-events/", {}, content_type="application/json").status_code == 405
    assert db_state() == before


def test_a_sibling_citys_auditor_does_not_read_events_about_our_external_accounts(client, world):
    from govworks.org import services

    services.user_password_reset(actor=world.sysadmin, user=world.contractor)
    event = AuditEvent.objects.get(action="org.user.password_reset")
    get_json(client, world.auditadmin, f"/api/core/audit-events/{event.seq}/")
    get_json(client, world.other_auditadmin, f"/api/core/audit-events/{event.seq}/", status=404)


def test_newest_audit_event_first(client, world):
    for i in range(3):
        audit_event_record(actor=world.sysadmin, action="org.test", summary=f"事件{i}", agency=world.city)
    seqs = [row["seq"] for row in get_json(client, world.auditadmin, "/api/core/audit-events/")["results"]]
    assert seqs == sorted(seqs, reverse=True)


# ------------------------------------------------------------------------------------------ query counts


def _grow(world: Any, url: str, start: int, n: int) -> None:
    for i in range(start, start + n):
        if url == "/api/org/agencies/":
            AgencyFactory(parent=world.sub)
        elif url == "/api/org/departments/":
            DepartmentFactory(agency=world.sub)
        elif url == "/api/org/positions/":
            holder = UserFactory(agency=world.sub)
            PositionFactory(agency=world.sub, department=DepartmentFactory(agency=world.sub), holder=holder)
        elif url == "/api/org/users/":
            UserFactory(agency=world.sub, department=DepartmentFactory(agency=world.sub))
        elif url == "/api/org/external-organizations/":
            ExternalOrganizationFactory(registered_by=world.sub)
        elif url == GRANTS:
            RoleGrantFactory(user=UserFactory(agency=world.sub), agency=world.sub, role="finance", granted_by=world.secadmin)
        elif url == "/api/core/audit-events/":
            audit_event_record(actor=world.sysadmin, action="org.test", summary=f"增量{i}", agency=world.sub)
        else:  # pragma: no cover
            raise AssertionError(url)


API_LISTS = [
    ("/api/org/agencies/", "sysadmin"),
    ("/api/org/departments/", "sysadmin"),
    ("/api/org/positions/", "sysadmin"),
    ("/api/org/users/", "sysadmin"),
    ("/api/org/external-organizations/", "sysadmin"),
    (GRANTS, "secadmin"),
    ("/api/core/audit-events/", "auditadmin"),
]


@pytest.mark.parametrize(("url", "who"), API_LISTS)
def test_list_endpoint_query_count_is_constant(client, world, count_queries, url, who, capsys):
    _grow(world, url, 0, 1)
    client.force_login(getattr(world, who))
    assert client.get(url).status_code == 200  # warm-up

    def load() -> None:
        response = client.get(url)
        assert response.status_code == 200
        load.count = response.json()["count"]  # type: ignore[attr-defined]

    load()  # and one more: the idle-timeout parameter is read (then remembered) from the second request on
    small = count_queries(load)
    count_small = load.count  # type: ignore[attr-defined]
    _grow(world, url, 1, 20)
    load()  # warm-up again: new agencies change the tree stamp, so the first request reads the scope anew
    large = count_queries(load)
    assert load.count == count_small + 20  # type: ignore[attr-defined]
    assert large == small, f"{url}: {small} queries with 1 added row, {large} with 21"
    with capsys.disabled():
        print(f"\n[query-count] {url}: {small}")


# ------------------------------------------------------------------------------------------ schema, root


def test_schema_needs_sign_in(client, world):
    assert client.get("/api/schema/").status_code == 403


def test_schema_for_a_signed_in_user(client, world):
    client.force_login(world.pm)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith("openapi: 3.0.3")
    for path in ("/api/org/agencies/", "/api/org/role-grants/", "/api/core/audit-events/", "/api/org/users/{id}/"):
        assert f"  {path}:" in body, path
    assert "title: GovWorks API" in body


def test_schema_as_json(client, world):
    client.force_login(world.pm)
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"] == {"title": "GovWorks API", "version": "0.1.0", "description": "机关工程管理平台 REST API"}
    assert "post" in schema["paths"]["/api/org/role-grants/"]
    assert "post" not in schema["paths"]["/api/org/agencies/"]


def test_api_root_lists_the_endpoints(client, world):
    body = get_json(client, world.pm, "/api/")
    assert set(body) >= {  # later modules add theirs
        "org/agencies",
        "org/departments",
        "org/positions",
        "org/users",
        "org/external-organizations",
        "org/role-grants",
        "core/audit-events",
    }
