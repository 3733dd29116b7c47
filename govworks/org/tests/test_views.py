"""Pages of the organisation module (govworks/org/urls.py), the kernel pages (govworks/core/urls.py) and home.

* One role-matrix test per URL (DESIGN.md §4): anonymous → 302 to the sign-in page; a user of a sibling
  agency or without any role → 404 on by-id pages of records they cannot see; a user who can see the
  record but lacks the action → 403; the right role → 200/302. Every refusal leaves the data unchanged.
* Bad input → 400 with the Chinese message naming the problem, nothing changed.
* Query counts of every list page stay the same when 20 more rows are listed.

The records protected by the by-id pages belong to ``world.sub`` (the city's subordinate), so that
``superior`` (world.pm, a business user of the city) can read but not change them, and the city's
administrators reach them from above.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from govworks.core.audit import audit_event_record
from govworks.core.exports import export_job_request
from govworks.core.models import AuditEvent, ExportJob, RuleParameter
from govworks.core.testing.role_matrix import assert_role_matrix, call_as
from govworks.org import permissions as perms
from govworks.org.models import Agency, Department, ExternalOrganization, IntegrityPledge, Position, RoleGrant, User
from govworks.org.tests.factories import (
    AgencyFactory,
    DepartmentFactory,
    ExternalOrganizationFactory,
    IntegrityPledgeFactory,
    PositionFactory,
    RoleGrantFactory,
    UserFactory,
    make_credit_code,
)
from govworks.org.tests.test_services import db_state

# ------------------------------------------------------------------------------------------ helpers


def snapshot() -> dict[str, Any]:
    state = db_state()
    state["exports"] = list(ExportJob.objects.order_by("pk").values_list("pk", "kind", "status", "requested_by_id"))
    return state


class Upload(io.BytesIO):
    """A file for multipart POSTs that can be sent again and again (the role matrix re-posts the same data)."""

    def __init__(self, name: str, data: bytes = b"%PDF-1.4 pledge", content_type: str = "application/pdf") -> None:
        super().__init__(data)
        self.name = name
        self.content_type = content_type

    def read(self, *args: Any) -> bytes:
        self.seek(0)
        return super().read(*args)


def text(response: Any) -> str:
    return response.content.decode()


def login_redirect(response: Any, path: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


@pytest.fixture
def rec(world: Any) -> Any:
    """Records of ``world.sub`` for the by-id pages."""

    class Records:
        department = DepartmentFactory(agency=world.sub, name="综合科")
        position = PositionFactory(agency=world.sub, title="主任", duties="主持中心全面工作。")
        pledge = IntegrityPledgeFactory(user=world.sub_pm, file__filename="caiyun.pdf", file__data=b"%PDF-1.4 caiyun")
        grant = RoleGrant.objects.get(user=world.sub_pm, role="project_manager")
        clerk = UserFactory(username="subclerk", full_name="后勤科员", agency=world.sub)

    return Records


def manage_actors(world: Any, admin: str = "sub_sysadmin") -> dict[str, Any]:
    """Actors for pages that need 系统管理员 (org.manage) on a record of ``sub``."""
    return {
        **world.actors(with_role=getattr(world, admin), superior=world.pm, other=world.other_sysadmin),
        "same_agency_business": world.sub_pm,
        "security_admin": world.secadmin,
        "audit_admin": world.auditadmin,
    }


MANAGE_REFUSALS = {
    "anonymous": 302,
    "other_agency": 404,
    "no_role": 404,
    "same_agency_business": 403,
    "superior": 403,
    "security_admin": 403,
    "audit_admin": 403,
    "external": 404,
}

READ_BY_ID = {"anonymous": 302, "other_agency": 404, "no_role": 404, "with_role": 200, "superior": 200, "external": 404}

ORG_LIST = {"anonymous": 302, "other_agency": 200, "no_role": 403, "with_role": 200, "superior": 200, "external": 403}


def matrix(
    client: Any, method: str, url: str, *, expected: dict[str, int], actors: dict[str, Any], data: Any = None
) -> dict[str, Any]:
    responses = assert_role_matrix(client, method, url, expected=expected, actors=actors, data=data, snapshot=snapshot)
    if "anonymous" in expected:
        login_redirect(responses["anonymous"], url)
    return responses


# ------------------------------------------------------------------------------------------ home


def test_home(client, world):
    actors = world.actors(with_role=world.pm)
    responses = matrix(
        client, "get", "/", expected={name: (302 if name == "anonymous" else 200) for name in actors}, actors=actors
    )
    assert "李明" in text(responses["with_role"])


def test_home_shows_the_pledge_to_sign_for_business_staff_only(client, world):
    client.force_login(world.pm)
    assert f"签订{timezone.localdate().year}年度廉政承诺书" in text(client.get("/"))
    client.force_login(world.sysadmin)
    assert "年度廉政承诺书" not in text(client.get("/"))


# ------------------------------------------------------------------------------------------ agencies


@pytest.mark.parametrize(
    "url",
    ["/org/agencies/", "/org/departments/", "/org/positions/", "/org/users/"],
)
def test_org_list_pages(client, world, url):
    matrix(client, "get", url, expected=ORG_LIST, actors=world.actors(with_role=world.sub_pm))


@pytest.mark.parametrize(
    ("url", "shown"),
    [("/org/departments/", "综合科"), ("/org/positions/", "主任"), ("/org/users/", "后勤科员")],
)
def test_org_lists_are_scoped(client, world, rec, url, shown):
    # given records of sub  # then the superior and sub itself list them; a sibling agency does not
    for user, visible in [(world.pm, True), (world.sub_pm, True), (world.other_sysadmin, False), (world.other_pm, False)]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert (shown in text(response)) is visible, (url, user.username)


def test_agency_list_shows_only_readable_agencies(client, world):
    responses = matrix(client, "get", "/org/agencies/", expected=ORG_LIST, actors=world.actors(with_role=world.sub_pm))
    sub_page, city_page, other_page = (text(responses[n]) for n in ("with_role", "superior", "other_agency"))
    assert world.sub.name in sub_page and world.city.name not in sub_page and world.other.name not in sub_page
    assert world.sub.name in city_page and world.city.name in city_page and world.other.name not in city_page
    assert world.other.name in other_page and world.city.name not in other_page


def test_agency_detail(client, world):
    responses = matrix(
        client, "get", f"/org/agencies/{world.sub.pk}/", expected=READ_BY_ID, actors=world.actors(with_role=world.sub_pm)
    )
    assert world.sub.name in text(responses["superior"])


def test_agency_detail_of_missing_agency_is_404(client, world):
    client.force_login(world.sysadmin)
    assert client.get("/org/agencies/999999/").status_code == 404


def test_refusal_pages_explain_in_chinese(client, world):
    client.force_login(world.pm)
    forbidden = client.get(f"/org/agencies/{world.sub.pk}/edit/")
    assert forbidden.status_code == 403
    assert "您在该单位没有“管理组织机构与账号”的权限" in text(forbidden)
    missing = client.get(f"/org/agencies/{world.other.pk}/")
    assert missing.status_code == 404
    assert "记录不存在或您无权查看" in text(missing)


def agency_post(n: int, **kw: Any) -> dict[str, Any]:
    data = {
        "name": f"临江市后勤服务分中心{n}",
        "short_name": f"分中心{n}",
        "credit_code": make_credit_code(7000 + n),
        "level": "county",
        "region_code": "331002",
        "address": "江滨路8号",
        "is_active": "on",
    }
    data.update(kw)
    return data


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("admin", ["sub_sysadmin", "sysadmin"])
def test_agency_create_matrix(client, world, method, admin):
    url = f"/org/agencies/{world.sub.pk}/children/new/"
    data = agency_post(1) if method == "post" else None
    responses = matrix(
        client,
        method,
        url,
        data=data,
        expected={**MANAGE_REFUSALS, "with_role": 302 if data else 200},
        actors=manage_actors(world, admin),
    )
    if method == "post":
        created = Agency.objects.get(name="临江市后勤服务分中心1")
        assert (created.parent_id, created.path, created.credit_code) == (
            world.sub.pk,
            f"{world.sub.path}{created.pk}/",
            make_credit_code(7001),
        )
        assert responses["with_role"]["Location"] == f"/org/agencies/{created.pk}/"
        assert (
            AuditEvent.objects.filter(action="org.agency.create", object_id=str(created.pk), actor=getattr(world, admin)).count()
            == 1
        )


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("admin", ["sub_sysadmin", "sysadmin"])
def test_agency_edit_matrix(client, world, method, admin):
    url = f"/org/agencies/{world.sub.pk}/edit/"
    data = (
        agency_post(0, name=world.sub.name, credit_code=world.sub.credit_code, address="府前路1号", level="city")
        if method == "post"
        else None
    )
    responses = matrix(
        client,
        method,
        url,
        data=data,
        expected={**MANAGE_REFUSALS, "with_role": 302 if data else 200},
        actors=manage_actors(world, admin),
    )
    if method == "post":
        assert Agency.objects.get(pk=world.sub.pk).address == "府前路1号"
        assert responses["with_role"]["Location"] == f"/org/agencies/{world.sub.pk}/"


def test_agency_edit_does_not_reach_up(client, world):
    # a subordinate's 系统管理员 reads the city (its superior? no: it holds no role there) → 404
    client.force_login(world.sub_sysadmin)
    before = snapshot()
    assert (
        client.post(
            f"/org/agencies/{world.city.pk}/edit/", agency_post(0, name=world.city.name, credit_code=world.city.credit_code)
        ).status_code
        == 404
    )
    assert snapshot() == before


def test_agency_create_with_invalid_credit_code_is_400(client, world):
    client.force_login(world.sysadmin)
    good = make_credit_code(7002)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    before = snapshot()
    response = client.post(f"/org/agencies/{world.city.pk}/children/new/", agency_post(2, credit_code=bad))
    assert response.status_code == 400
    assert f"统一社会信用代码校验位错误：第18位应为 {good[17]}，实为 {bad[17]}" in text(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9135010", "统一社会信用代码应为18位，当前为7位"),
        ("91350100I000100Y43", "统一社会信用代码含有不允许的字符：I（不使用 I、O、Z、S、V 及小写字母）"),
    ],
)
def test_agency_create_with_malformed_credit_code_is_400(client, world, code, message):
    client.force_login(world.sysadmin)
    before = snapshot()
    response = client.post(f"/org/agencies/{world.city.pk}/children/new/", agency_post(3, credit_code=code))
    assert response.status_code == 400
    assert message in text(response)
    assert snapshot() == before


def test_agency_create_lower_case_code_is_normalised(client, world):
    # the form upper-cases what a clerk typed; the service and model then see a valid code
    client.force_login(world.sysadmin)
    response = client.post(f"/org/agencies/{world.city.pk}/children/new/", agency_post(4, credit_code="91350100m000100y43"))
    assert response.status_code == 302
    assert Agency.objects.get(name="临江市后勤服务分中心4").credit_code == "91350100M000100Y43"


def test_agency_create_with_empty_name_is_400(client, world):
    client.force_login(world.sysadmin)
    before = snapshot()
    response = client.post(f"/org/agencies/{world.city.pk}/children/new/", agency_post(5, name=""))
    assert response.status_code == 400
    assert "该字段是必填项。" in text(response)
    assert response.context["form"].errors["name"] == ["该字段是必填项。"]
    assert snapshot() == before


def test_agency_edit_with_bad_region_code_is_400(client, world):
    client.force_login(world.sysadmin)
    before = snapshot()
    response = client.post(
        f"/org/agencies/{world.sub.pk}/edit/",
        agency_post(0, name=world.sub.name, credit_code=world.sub.credit_code, region_code="33100A"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["region_code"] == ["行政区划代码应为6位数字"]
    assert "行政区划代码应为6位数字" in text(response)
    assert snapshot() == before


def test_agency_create_with_duplicate_credit_code_is_400(client, world):
    client.force_login(world.sysadmin)
    before = snapshot()
    response = client.post(f"/org/agencies/{world.city.pk}/children/new/", agency_post(6, credit_code=world.other.credit_code))
    assert response.status_code == 400
    assert "具有 统一社会信用代码 的 机关单位 已存在。" in text(response)
    assert snapshot() == before


# ------------------------------------------------------------------------------------------ departments


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("admin", ["sub_sysadmin", "sysadmin"])
def test_department_create_matrix(client, world, method, admin):
    url = f"/org/agencies/{world.sub.pk}/departments/new/"
    data = {"name": "财务科", "phone": "0571-87000000", "is_active": "on"} if method == "post" else None
    responses = matrix(
        client,
        method,
        url,
        data=data,
        expected={**MANAGE_REFUSALS, "with_role": 302 if data else 200},
        actors=manage_actors(world, admin),
    )
    if data:
        dept = Department.objects.get(agency=world.sub, name="财务科")
        assert (dept.phone, dept.is_construction, dept.is_active) == ("0571-87000000", False, True)
        assert responses["with_role"]["Location"] == f"/org/agencies/{world.sub.pk}/"


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("admin", ["sub_sysadmin", "sysadmin"])
def test_department_edit_matrix(client, world, rec, method, admin):
    url = f"/org/departments/{rec.department.pk}/edit/"
    data = {"name": "综合办公室", "is_construction": "on", "is_active": "on"} if method == "post" else None
    matrix(
        client,
        method,
        url,
        data=data,
        expected={**MANAGE_REFUSALS, "with_role": 302 if data else 200},
        actors=manage_actors(world, admin),
    )
    if data:
        dept = Department.objects.get(pk=rec.department.pk)
        assert (dept.name, dept.is_construction) == ("综合办公室", True)


def test_department_create_with_empty_name_is_400(client, world):
    client.force_login(world.sub_sysadmin)
    before = snapshot()
    response = client.post(f"/org/agencies/{world.sub.pk}/departments/new/", {"name": "", "is_active": "on"})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["该字段是必填项。"]
    assert snapshot() == before


def test_department_create_with_duplicate_name_is_400(client, world, rec):
    client.force_login(world.sub_sysadmin)
    before = snapshot()
    response = client.post(f"/org/agencies/{world.sub.pk}/departments/new/", {"name": "综合科", "is_active": "on"})
    assert response.status_code == 400
    assert "包含 所属单位 和 科室名称 的 科室 已经存在。" in text(response)
    assert snapshot() == before


# ------------------------------------------------------------------------------------------ positions


def test_position_detail(client, world, rec):
    responses = matrix(
        client, "get", f"/org/positions/{rec.position.pk}/", expected=READ_BY_ID, actors=world.actors(with_role=world.sub_pm)
    )
    assert "主持中心全面工作。" in text(responses["superior"])


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("admin", ["sub_sysadmin", "sysadmin"])
def test_position_create_matrix(client, world, rec, method, admin):
    url = f"/org/agencies/{world.sub.pk}/positions/new/"
    data = (
        {
            "title": "工程管理员",
            "department": rec.department.pk,
            "superior": rec.position.pk,
            "holder": world.sub_pm.pk,
            "duties": "负责项目全过程管理。",
            "kpis": "",
            "key_tasks_year": "",
            "key_tasks": "",
        }
        if method == "post"
        else None
    )
    responses = matrix(
        client,
        method,
        url,
        data=data,
        expected={**MANAGE_REFUSALS, "with_role": 302 if data else 200},
        actors=manage_actors(world, admin),
    )
    if data:
        position = Position.objects.get(agency=world.sub, title="工程管理员")
        assert (position.department_id, position.superior_id, position.holder_id) == (
            rec.department.pk,
            rec.position.pk,
            world.sub_pm.pk,
        )
        assert responses["with_role"]["Location"] == f"/org/positions/{position.pk}/"


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("admin", ["sub_sysadmin", "sysadmin"])
def test_position_edit_matrix(client, world, rec, method, admin):
    url = f"/org/positions/{rec.position.pk}/edit/"
    data = {"title": "中心主任", "duties": "主持全面工作，分管工程建设。"} if method == "post" else None
    matrix(
        client,
        method,
        url,
        data=data,
        expected={**MANAGE_REFUSALS, "with_role": 302 if data else 200},
        actors=manage_actors(world, admin),
    )
    if data:
        assert Position.objects.filter(pk=rec.position.pk).values_list("title", "duties").get() == (
            "中心主任",
            "主持全面工作，分管工程建设。",
        )


def test_position_superior_cycle_is_400(client, world, rec):
    # given 主任 → 副主任 (副主任's superior is 主任)  # when 主任 is put under 副主任
    deputy = PositionFactory(agency=world.sub, title="副主任", superior=rec.position)
    client.force_login(world.sub_sysadmin)
    before = snapshot()
    response = client.post(f"/org/positions/{rec.position.pk}/edit/", {"title": "主任", "duties": "x", "superior": deputy.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["superior"] == ["上级岗位不能形成循环"]
    assert "上级岗位不能形成循环" in text(response)
    assert snapshot() == before


def test_position_form_offers_only_the_agencys_people(client, world, rec):
    # a holder from the city is not a choice in sub's form → 400 with Django's Chinese message
    client.force_login(world.sysadmin)
    before = snapshot()
    response = client.post(
        f"/org/agencies/{world.sub.pk}/positions/new/", {"title": "新岗位", "duties": "x", "holder": world.pm.pk}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["holder"] == ["选择一个有效的选项： 该选择不在可用的选项中。"]
    assert snapshot() == before


def test_position_create_without_duties_is_400(client, world):
    client.force_login(world.sub_sysadmin)
    before = snapshot()
    response = client.post(f"/org/agencies/{world.sub.pk}/positions/new/", {"title": "新岗位", "duties": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["duties"] == ["该字段是必填项。"]
    assert snapshot() == before


def test_position_key_tasks_year_out_of_range_is_400(client, world):
    client.force_login(world.sub_sysadmin)
    before = snapshot()
    response = client.post(
        f"/org/agencies/{world.sub.pk}/positions/new/", {"title": "新岗位", "duties": "x", "key_tasks_year": "1999"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["key_tasks_year"] == [f"年度应在2000至{timezone.localdate().year + 1}之间"]
    assert snapshot() == before


# ------------------------------------------------------------------------------------------ people


def test_user_detail(client, world):
    responses = matrix(
        client, "get", f"/org/users/{world.sub_pm.pk}/", expected=READ_BY_ID, actors=world.actors(with_role=world.sub_sysadmin)
    )
    assert "蔡芸" in text(responses["superior"])


def test_user_detail_of_an_external_user(client, world):
    # the company's people are read by the registering agency's staff; another agency sees none
    url = f"/org/users/{world.contractor.pk}/"
    matrix(
        client,
        "get",
        url,
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "with_role": 200, "sub": 404},
        actors={**world.actors(with_role=world.pm), "sub": world.sub_pm},
    )


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("admin", ["sub_sysadmin", "sysadmin"])
def test_user_create_matrix(client, world, rec, method, admin):
    url = f"/org/agencies/{world.sub.pk}/users/new/"
    data = (
        {
            "username": "zhangsan",
            "full_name": "张三",
            "department": rec.department.pk,
            "title": "科员",
            "phone": "13812345678",
            "email": "",
        }
        if method == "post"
        else None
    )
    responses = matrix(
        client, method, url, data=data, expected={**MANAGE_REFUSALS, "with_role": 200}, actors=manage_actors(world, admin)
    )
    if data:
        person = User.objects.get(username="zhangsan")
        assert (person.agency_id, person.department_id, person.must_change_password) == (world.sub.pk, rec.department.pk, True)
        # no password exists: the sealed slip carries a one-time code, printed only (never on screen)
        assert person.has_usable_password() is False
        slip = responses["with_role"].context["slip"]
        html = responses["with_role"].content.decode()
        assert html.count(slip.code) == 1
        assert 'class="d-none d-print-block text-center mt-3" data-testid="sealed-code"' in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12345", "手机号应为以1开头的11位数字"),
        ("full_name", "", "该字段是必填项。"),
        ("username", "liming", "已存在一位使用该名字的用户。"),
        ("username", "", "该字段是必填项。"),
    ],
)
def test_user_create_bad_input_is_400(client, world, field, value, message):
    client.force_login(world.sysadmin)
    data = {"username": "zhangsan", "full_name": "张三", "phone": ""}
    data[field] = value
    before = snapshot()
    response = client.post(f"/org/agencies/{world.city.pk}/users/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert message in text(response)
    assert snapshot() == before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("admin", ["sub_sysadmin", "sysadmin"])
def test_user_edit_matrix(client, world, rec, method, admin):
    url = f"/org/users/{rec.clerk.pk}/edit/"
    data = (
        {"full_name": "后勤科员甲", "department": rec.department.pk, "title": "科员", "phone": "", "email": "", "is_active": "on"}
        if method == "post"
        else None
    )
    responses = matrix(
        client,
        method,
        url,
        data=data,
        expected={**MANAGE_REFUSALS, "with_role": 302 if data else 200},
        actors=manage_actors(world, admin),
    )
    if data:
        person = User.objects.get(pk=rec.clerk.pk)
        assert (person.full_name, person.department_id, person.is_active) == ("后勤科员甲", rec.department.pk, True)
        assert responses["with_role"]["Location"] == f"/org/users/{rec.clerk.pk}/"


def test_user_edit_cannot_disable_oneself(client, world):
    client.force_login(world.sysadmin)
    before = snapshot()
    response = client.post(
        f"/org/users/{world.sysadmin.pk}/edit/", {"full_name": "钱晓东", "title": "", "phone": "", "email": ""}
    )
    assert response.status_code == 400
    assert "不能停用自己的账号" in text(response)
    assert snapshot() == before


@pytest.mark.parametrize("admin", ["sub_sysadmin", "sysadmin"])
def test_user_password_reset_matrix(client, world, rec, admin):
    url = f"/org/users/{rec.clerk.pk}/reset-password/"
    old = User.objects.get(pk=rec.clerk.pk).password
    responses = matrix(
        client, "post", url, data={}, expected={**MANAGE_REFUSALS, "with_role": 200}, actors=manage_actors(world, admin)
    )
    # the password is untouched and none is shown: a reset code on a sealed slip instead
    person = User.objects.get(pk=rec.clerk.pk)
    assert person.password == old
    assert responses["with_role"].context["slip"].purpose == "reset"


def test_user_password_reset_needs_post(client, world, rec):
    url = f"/org/users/{rec.clerk.pk}/reset-password/"
    login_redirect(call_as(client, None, "get", url), url)
    before = snapshot()
    assert call_as(client, world.sysadmin, "get", url).status_code == 405
    assert snapshot() == before


def test_user_password_reset_of_oneself_is_refused_in_chinese(client, world):
    client.force_login(world.sysadmin)
    before = snapshot()
    response = client.post(f"/org/users/{world.sysadmin.pk}/reset-password/", follow=True)
    assert response.redirect_chain == [(f"/org/users/{world.sysadmin.pk}/", 302)]
    assert "不能重置自己的密码" in text(response)
    assert snapshot() == before


def lock(username: str) -> None:
    AccessAttempt.objects.create(
        username=username,
        ip_address="10.0.0.9",
        user_agent="pytest",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=5,
    )


def test_two_factor_reset_matrix(client, world, rec):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=rec.clerk, name="手机", confirmed=True)
    url = f"/org/users/{rec.clerk.pk}/reset-two-factor/"
    actors = {
        **world.actors(with_role=world.secadmin, other=world.other_sysadmin),
        "system_admin": world.sysadmin,
        "sub_system_admin": world.sub_sysadmin,
        "audit_admin": world.auditadmin,
    }
    expected = {
        "anonymous": 302,
        "other_agency": 404,
        "no_role": 404,
        "superior": 403,
        "system_admin": 403,
        "sub_system_admin": 403,
        "audit_admin": 403,
        "external": 404,
        "with_role": 302,
    }
    responses = matrix(client, "post", url, data={"reason": "手机遗失"}, expected=expected, actors=actors)
    assert responses["with_role"]["Location"] == f"/org/users/{rec.clerk.pk}/"
    assert not TOTPDevice.objects.filter(user=rec.clerk).exists()
    assert AuditEvent.objects.filter(action="auth.two_factor_reset", actor=world.secadmin).count() == 1


def test_account_unlock_matrix(client, world, rec):
    lock(rec.clerk.username)
    url = f"/org/users/{rec.clerk.pk}/unlock/"
    actors = {
        **world.actors(with_role=world.secadmin, other=world.other_sysadmin),
        "system_admin": world.sysadmin,
        "sub_system_admin": world.sub_sysadmin,
        "sub_colleague_without_role": UserFactory(username="sub2", agency=world.sub),
    }
    expected = {
        "anonymous": 302,
        "other_agency": 404,
        "no_role": 404,
        "superior": 403,
        "system_admin": 403,
        "sub_system_admin": 403,
        "sub_colleague_without_role": 404,
        "external": 404,
        "with_role": 302,
    }
    responses = matrix(client, "post", url, data={}, expected=expected, actors=actors)
    assert responses["with_role"]["Location"] == "/org/lockouts/"
    assert not AccessAttempt.objects.filter(username=rec.clerk.username).exists()
    assert AuditEvent.objects.filter(action="auth.unlock", actor=world.secadmin, object_id=str(rec.clerk.pk)).count() == 1


# ------------------------------------------------------------------------------------------ external organisations


def test_external_org_list(client, world):
    other_company = ExternalOrganizationFactory(name="邻江监理公司", registered_by=world.other)
    responses = matrix(
        client,
        "get",
        "/org/external/",
        actors=world.actors(with_role=world.pm),
        expected={"anonymous": 302, "other_agency": 200, "no_role": 403, "with_role": 200, "superior": 200, "external": 200},
    )
    # the register is shared by agencies; a company's own people see only their company
    assert other_company.name in text(responses["with_role"]) and world.contractor_org.name in text(responses["with_role"])
    assert world.contractor_org.name in text(responses["external"]) and other_company.name not in text(responses["external"])


def test_external_org_detail(client, world):
    other_company = ExternalOrganizationFactory(name="邻江监理公司", registered_by=world.other)
    stranger = UserFactory(username="stranger", agency=None, external_org=other_company)
    url = f"/org/external/{world.contractor_org.pk}/"
    matrix(
        client,
        "get",
        url,
        actors={**world.actors(with_role=world.pm), "other_company": stranger},
        expected={
            "anonymous": 302,
            "other_agency": 200,
            "no_role": 404,
            "with_role": 200,
            "superior": 200,
            "external": 200,
            "other_company": 404,
        },
    )


def external_actors(world: Any) -> dict[str, Any]:
    """Actors for writes on world.contractor_org (registered by the city)."""
    return {
        **world.actors(with_role=world.sysadmin, other=world.other_sysadmin),
        "sub_system_admin": world.sub_sysadmin,
        "security_admin": world.secadmin,
    }


EXTERNAL_WRITE_REFUSALS = {
    "anonymous": 302,
    "other_agency": 403,
    "no_role": 404,
    "superior": 403,
    "external": 403,
    "sub_system_admin": 403,
    "security_admin": 403,
}


@pytest.mark.parametrize("method", ["get", "post"])
def test_external_org_create_matrix(client, world, method):
    data = (
        {
            "name": "临江设计院有限公司",
            "credit_code": make_credit_code(7100, "91"),
            "kind": "designer",
            "legal_representative": "周六",
            "phone": "",
            "address": "",
            "is_active": "on",
        }
        if method == "post"
        else None
    )
    actors = {**world.actors(with_role=world.sysadmin, other=world.other_pm), "security_admin": world.secadmin}
    expected = {
        "anonymous": 302,
        "other_agency": 403,
        "no_role": 403,
        "superior": 403,
        "external": 403,
        "security_admin": 403,
        "with_role": 302 if data else 200,
    }
    responses = matrix(client, method, "/org/external/new/", data=data, expected=expected, actors=actors)
    if data:
        org = ExternalOrganization.objects.get(name="临江设计院有限公司")
        assert (org.registered_by_id, org.kind, org.credit_code) == (world.city.pk, "designer", make_credit_code(7100, "91"))
        assert responses["with_role"]["Location"] == f"/org/external/{org.pk}/"


def test_external_org_registered_by_a_sibling_agency_admin_belongs_to_that_agency(client, world):
    client.force_login(world.other_sysadmin)
    response = client.post(
        "/org/external/new/",
        {"name": "邻江建工", "credit_code": make_credit_code(7101, "91"), "kind": "contractor", "is_active": "on"},
    )
    assert response.status_code == 302
    assert ExternalOrganization.objects.get(name="邻江建工").registered_by_id == world.other.pk


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y44", "统一社会信用代码校验位错误：第18位应为 3，实为 4"),
        ("91350100Z000100Y43", "统一社会信用代码含有不允许的字符：Z（不使用 I、O、Z、S、V 及小写字母）"),
        ("", "该字段是必填项。"),
    ],
)
def test_external_org_create_with_bad_credit_code_is_400(client, world, code, message):
    client.force_login(world.sysadmin)
    before = snapshot()
    response = client.post("/org/external/new/", {"name": "某公司", "credit_code": code, "kind": "contractor", "is_active": "on"})
    assert response.status_code == 400
    assert response.context["form"].errors["credit_code"] == [message]
    assert message in text(response)
    assert snapshot() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_external_org_edit_matrix(client, world, method):
    org = world.contractor_org
    data = (
        {
            "name": org.name,
            "credit_code": org.credit_code,
            "kind": "contractor",
            "legal_representative": "马云飞",
            "phone": "0571-88888888",
            "address": "",
            "is_active": "on",
        }
        if method == "post"
        else None
    )
    matrix(
        client,
        method,
        f"/org/external/{org.pk}/edit/",
        data=data,
        expected={**EXTERNAL_WRITE_REFUSALS, "with_role": 302 if data else 200},
        actors=external_actors(world),
    )
    if data:
        assert ExternalOrganization.objects.filter(pk=org.pk).values_list("legal_representative", "phone").get() == (
            "马云飞",
            "0571-88888888",
        )


@pytest.mark.parametrize("method", ["get", "post"])
def test_external_user_create_matrix(client, world, method):
    org = world.contractor_org
    data = (
        {"username": "wangwu", "full_name": "王五", "title": "项目经理", "phone": "13900000000", "email": ""}
        if method == "post"
        else None
    )
    responses = matrix(
        client,
        method,
        f"/org/external/{org.pk}/users/new/",
        data=data,
        expected={**EXTERNAL_WRITE_REFUSALS, "with_role": 200},
        actors=external_actors(world),
    )
    if data:
        person = User.objects.get(username="wangwu")
        assert (person.agency_id, person.external_org_id, person.title) == (None, org.pk, "项目经理")
        assert person.has_usable_password() is False
        assert responses["with_role"].context["slip"].purpose == "activate"


# ------------------------------------------------------------------------------------------ role grants


def test_grant_list_matrix(client, world):
    responses = matrix(
        client,
        "get",
        "/org/grants/",
        actors={**world.actors(with_role=world.secadmin), "system_admin": world.sysadmin},
        expected={
            "anonymous": 302,
            "other_agency": 403,
            "no_role": 403,
            "with_role": 200,
            "superior": 403,
            "external": 403,
            "system_admin": 403,
        },
    )
    assert "蔡芸" in text(responses["with_role"])  # sub's grants are listed for the city's 安全管理员


@pytest.mark.parametrize("method", ["get", "post"])
def test_grant_create_matrix(client, world, rec, method):
    url = f"/org/agencies/{world.sub.pk}/grants/new/"
    data = {"user": rec.clerk.pk, "role": "liaison", "note": "后勤〔2026〕5号"} if method == "post" else None
    actors = {
        **world.actors(with_role=world.secadmin, other=world.other_sysadmin),
        "system_admin": world.sysadmin,
        "sub_system_admin": world.sub_sysadmin,
        "same_agency_business": world.sub_pm,
    }
    expected = {
        "anonymous": 302,
        "other_agency": 404,
        "no_role": 404,
        "superior": 403,
        "system_admin": 403,
        "sub_system_admin": 403,
        "same_agency_business": 403,
        "external": 404,
        "with_role": 302 if data else 200,
    }
    responses = matrix(client, method, url, data=data, expected=expected, actors=actors)
    if data:
        grant = RoleGrant.objects.active().get(user=rec.clerk)
        assert (grant.agency_id, grant.role, grant.granted_by_id, grant.note) == (
            world.sub.pk,
            "liaison",
            world.secadmin.pk,
            "后勤〔2026〕5号",
        )
        assert responses["with_role"]["Location"] == f"/org/grants/?agency={world.sub.pk}"


def test_grant_create_offers_neither_oneself_nor_external_people(client, world):
    client.force_login(world.secadmin)
    choices = client.get(f"/org/agencies/{world.city.pk}/grants/new/").context["form"].fields["user"].queryset
    usernames = set(choices.values_list("username", flat=True))
    assert "secadmin" not in usernames and "machao" not in usernames and "otherpm" not in usernames
    assert {"norole", "liming", "caiyun"} <= usernames


@pytest.mark.parametrize(
    ("user", "role", "message"),
    [
        ("pm", "system_admin", "三员分立：管理员角色不能与其他任何角色兼任"),
        ("sysadmin", "finance", "三员分立：系统管理员、安全管理员、安全审计员不能承担业务角色"),
        ("pm", "project_manager", "该人员在本单位已具有“工程管理岗”角色"),
    ],
)
def test_grant_create_refused_by_the_rules_is_400(client, world, user, role, message):
    client.force_login(world.secadmin)
    before = snapshot()
    response = client.post(f"/org/agencies/{world.city.pk}/grants/new/", {"user": getattr(world, user).pk, "role": role})
    assert response.status_code == 400
    assert response.context["form"].errors.get("role") == [message]
    assert message in text(response)
    assert snapshot() == before


def test_grant_create_to_oneself_is_not_even_offered(client, world):
    client.force_login(world.secadmin)
    before = snapshot()
    response = client.post(f"/org/agencies/{world.city.pk}/grants/new/", {"user": world.secadmin.pk, "role": "audit_admin"})
    assert response.status_code == 400
    assert response.context["form"].errors["user"] == ["选择一个有效的选项： 该选择不在可用的选项中。"]
    assert snapshot() == before


def test_grant_create_unknown_role_is_400(client, world):
    client.force_login(world.secadmin)
    before = snapshot()
    response = client.post(f"/org/agencies/{world.city.pk}/grants/new/", {"user": world.no_role.pk, "role": "god"})
    assert response.status_code == 400
    assert response.context["form"].errors["role"] == ["选择一个有效的选项。 god 不在可用的选项中。"]
    assert snapshot() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_grant_revoke_matrix(client, world, rec, method):
    url = f"/org/grants/{rec.grant.pk}/revoke/"
    data = {"reason": "调离工作岗位"} if method == "post" else None
    actors = {
        **world.actors(with_role=world.secadmin, other=world.other_sysadmin),
        "system_admin": world.sysadmin,
        "sub_system_admin": world.sub_sysadmin,
        "grantee": world.sub_pm,
    }
    expected = {
        "anonymous": 302,
        "other_agency": 404,
        "no_role": 404,
        "superior": 403,
        "system_admin": 403,
        "sub_system_admin": 403,
        "grantee": 403,
        "external": 404,
        "with_role": 302 if data else 200,
    }
    responses = matrix(client, method, url, data=data, expected=expected, actors=actors)
    if data:
        grant = RoleGrant.objects.get(pk=rec.grant.pk)
        assert grant.revoked_by_id == world.secadmin.pk and grant.revoked_at is not None
        assert responses["with_role"]["Location"] == "/org/grants/"
        assert AuditEvent.objects.get(action="org.role.revoke").reason == "调离工作岗位"


def test_grant_revoke_without_reason_is_400(client, world, rec):
    client.force_login(world.secadmin)
    before = snapshot()
    response = client.post(f"/org/grants/{rec.grant.pk}/revoke/", {"reason": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["该字段是必填项。"]
    assert snapshot() == before


def test_grant_revoke_of_own_grant_is_400(client, world):
    own = RoleGrant.objects.get(user=world.secadmin)
    client.force_login(world.secadmin)
    before = snapshot()
    response = client.post(f"/org/grants/{own.pk}/revoke/", {"reason": "离任"})
    assert response.status_code == 400
    assert "不能撤销自己的角色，请由其他安全管理员办理" in text(response)
    assert snapshot() == before


def test_grant_revoke_twice_is_400(client, world, rec):
    client.force_login(world.secadmin)
    assert client.post(f"/org/grants/{rec.grant.pk}/revoke/", {"reason": "调离"}).status_code == 302
    before = snapshot()
    response = client.post(f"/org/grants/{rec.grant.pk}/revoke/", {"reason": "再次"})
    assert response.status_code == 400
    assert "该授权已撤销" in text(response)
    assert snapshot() == before


# ------------------------------------------------------------------------------------------ integrity pledges


def test_pledge_list_matrix(client, world, rec):
    responses = matrix(
        client,
        "get",
        "/org/pledges/",
        actors=world.actors(with_role=world.sub_pm),
        expected={"anonymous": 302, "other_agency": 200, "no_role": 200, "with_role": 200, "superior": 200, "external": 403},
    )
    assert "蔡芸" in text(responses["superior"])  # the superior reads sub's pledges
    assert "蔡芸" not in text(responses["other_agency"])


def pledge_data(**kw: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data = {"year": today.year, "signed_on": today.isoformat(), "file": Upload("承诺书.pdf")}
    data.update(kw)
    return data


def test_pledge_create_matrix_for_oneself(client, world):
    # every internal person records their own pledge; an external person may not use the page
    actors = world.actors(with_role=world.sub_pm, other=world.other_pm)
    expected = {"anonymous": 302, "external": 403, "other_agency": 302, "no_role": 302, "with_role": 302, "superior": 302}
    responses = matrix(client, "post", "/org/pledges/new/", data=pledge_data(), expected=expected, actors=actors)
    assert responses["with_role"]["Location"] == "/org/pledges/"
    year = timezone.localdate().year
    assert sorted(IntegrityPledge.objects.filter(year=year).values_list("user__username", "recorded_by__username")) == sorted(
        [("caiyun", "caiyun"), ("liming", "liming"), ("norole", "norole"), ("otherpm", "otherpm")]
    )


def test_pledge_create_get(client, world):
    matrix(
        client,
        "get",
        "/org/pledges/new/",
        actors=world.actors(with_role=world.sysadmin),
        expected={"anonymous": 302, "other_agency": 200, "no_role": 200, "with_role": 200, "superior": 200, "external": 403},
    )


def test_pledge_create_by_the_system_admin_for_a_subordinates_person(client, world, rec):
    client.force_login(world.sysadmin)
    response = client.post("/org/pledges/new/", pledge_data(user=rec.clerk.pk))
    assert response.status_code == 302
    assert IntegrityPledge.objects.filter(user=rec.clerk, recorded_by=world.sysadmin).count() == 1


def test_pledge_create_for_a_person_of_another_agency_is_400(client, world):
    client.force_login(world.sysadmin)
    before = snapshot()
    response = client.post("/org/pledges/new/", pledge_data(user=world.other_pm.pk))
    assert response.status_code == 400
    assert response.context["form"].errors["user"] == ["选择一个有效的选项： 该选择不在可用的选项中。"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"file": Upload("承诺书.docx")}, "file", "承诺书扫描件只接受 PDF、JPG、PNG 文件"),
        (
            {"signed_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat()},
            "signed_on",
            f"签订日期不能晚于今天（{timezone.localdate():%Y-%m-%d}）",
        ),
        (
            {"signed_on": dt.date(timezone.localdate().year - 3, 5, 1).isoformat()},
            "signed_on",
            f"{timezone.localdate().year}年度承诺书的签订日期应在{timezone.localdate().year - 1}年或{timezone.localdate().year}年内",
        ),
        ({"year": timezone.localdate().year + 2}, "year", f"年度不能晚于{timezone.localdate().year + 1}年"),
        ({"file": Upload("承诺书.pdf", data=b"")}, "file", "提交的是空文件。"),
        ({"signed_on": ""}, "signed_on", "该字段是必填项。"),
    ],
)
def test_pledge_create_bad_input_is_400(client, world, change, field, message):
    client.force_login(world.pm)
    before = snapshot()
    response = client.post("/org/pledges/new/", pledge_data(**change))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert message in text(response)
    assert snapshot() == before


def test_pledge_create_duplicate_is_400(client, world):
    IntegrityPledgeFactory(user=world.pm)
    client.force_login(world.pm)
    before = snapshot()
    response = client.post("/org/pledges/new/", pledge_data())
    assert response.status_code == 400
    assert f"李明 的{timezone.localdate().year}年度廉政承诺书已登记" in text(response)
    assert snapshot() == before


def test_pledge_download_matrix(client, world, rec):
    other_person = UserFactory(username="sub2", agency=world.sub)
    responses = matrix(
        client,
        "get",
        f"/org/pledges/{rec.pledge.pk}/file/",
        actors={**world.actors(with_role=world.sub_pm), "sub_colleague_without_role": other_person},
        expected={**READ_BY_ID, "sub_colleague_without_role": 404},
    )
    for name in ("with_role", "superior"):
        assert b"".join(responses[name].streaming_content) == b"%PDF-1.4 caiyun"
        assert responses[name]["Content-Disposition"].startswith("inline")


# ------------------------------------------------------------------------------------------ lockouts, parameters


def test_lockout_list_matrix(client, world, rec):
    lock(rec.clerk.username)
    lock(world.other_pm.username)
    responses = matrix(
        client,
        "get",
        "/org/lockouts/",
        actors={**world.actors(with_role=world.secadmin), "system_admin": world.sysadmin},
        expected={
            "anonymous": 302,
            "other_agency": 403,
            "no_role": 403,
            "with_role": 200,
            "superior": 403,
            "external": 403,
            "system_admin": 403,
        },
    )
    page = text(responses["with_role"])
    assert "subclerk" in page and "otherpm" not in page


def test_parameter_list_matrix(client, world):
    actors = {**world.actors(with_role=world.sysadmin), "security_admin": world.secadmin, "audit_admin": world.auditadmin}
    responses = matrix(
        client,
        "get",
        "/org/parameters/",
        actors=actors,
        expected={
            "anonymous": 302,
            "other_agency": 200,
            "no_role": 403,
            "with_role": 200,
            "superior": 200,
            "external": 403,
            "security_admin": 200,  # reads every parameter, edits the security ones (issue 12 item 7)
            "audit_admin": 403,
        },
    )
    assert "连续登录失败锁定次数" in text(responses["superior"])


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("admin", ["sub_sysadmin", "sysadmin"])
def test_parameter_edit_matrix(client, world, method, admin):
    url = "/org/parameters/perf.grade_excellent_min/"
    data = (
        {"value": "92", "effective_from": timezone.localdate().isoformat(), "agency": world.sub.pk, "reason": "后勤〔2026〕6号"}
        if method == "post"
        else None
    )
    actors = {
        **world.actors(with_role=getattr(world, admin), other=world.other_sysadmin),
        "security_admin": world.secadmin,
        "same_agency_business": world.sub_pm,
    }
    # a sibling agency's 系统管理员 may edit parameters, but only for their own agencies: sub is not a choice
    expected = {
        "anonymous": 302,
        "other_agency": 400 if data else 200,
        "no_role": 403,
        "superior": 403,
        "external": 403,
        "security_admin": 403,
        "same_agency_business": 403,
        "with_role": 302 if data else 200,
    }
    responses = matrix(client, method, url, data=data, expected=expected, actors=actors)
    if data:
        assert responses["other_agency"].context["form"].errors["agency"] == ["选择一个有效的选项： 该选择不在可用的选项中。"]
        row = RuleParameter.objects.get(key="perf.grade_excellent_min", scope="agency")
        assert (row.agency_id, row.value) == (world.sub.pk, "92")
        assert responses["with_role"]["Location"] == "/org/parameters/"


def test_parameter_edit_bad_value_is_400(client, world):
    client.force_login(world.sysadmin)
    before = snapshot()
    response = client.post(
        "/org/parameters/perf.grade_excellent_min/",
        {"value": "五", "effective_from": timezone.localdate().isoformat(), "agency": world.city.pk, "reason": "x"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["value"] == ["“绩效等级“优”最低分”的取值“五”不是有效的整数"]
    assert "“绩效等级“优”最低分”的取值“五”不是有效的整数" in text(response)
    assert snapshot() == before


def test_parameter_edit_without_reason_is_400(client, world):
    client.force_login(world.sysadmin)
    before = snapshot()
    response = client.post(
        "/org/parameters/perf.grade_excellent_min/",
        {"value": "92", "effective_from": timezone.localdate().isoformat(), "agency": world.city.pk, "reason": ""},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["该字段是必填项。"]
    assert snapshot() == before


def test_parameter_edit_deployment_value_needs_a_top_agency_admin(client, world):
    # the sub's 系统管理员 must pick one of their agencies; the deployment value is not offered
    client.force_login(world.sub_sysadmin)
    before = snapshot()
    response = client.post(
        "/org/parameters/perf.grade_excellent_min/",
        {"value": "92", "effective_from": timezone.localdate().isoformat(), "agency": "", "reason": "x"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["agency"] == ["该字段是必填项。"]
    assert snapshot() == before


# ------------------------------------------------------------------------------------------ core: audit log, exports


def audit_actors(world: Any) -> dict[str, Any]:
    return {
        **world.actors(with_role=world.auditadmin, other=world.other_auditadmin),
        "system_admin": world.sysadmin,
        "security_admin": world.secadmin,
    }


AUDIT_EXPECTED = {
    "anonymous": 302,
    "other_agency": 200,
    "no_role": 403,
    "with_role": 200,
    "superior": 403,
    "external": 403,
    "system_admin": 403,
    "security_admin": 403,
}


def test_audit_list_matrix(client, world):
    audit_event_record(actor=world.sysadmin, action="org.test", summary="临江市的事件", agency=world.city)
    audit_event_record(actor=world.other_sysadmin, action="org.test", summary="邻江市的事件", agency=world.other)
    responses = matrix(client, "get", "/core/audit/", expected=AUDIT_EXPECTED, actors=audit_actors(world))
    assert "临江市的事件" in text(responses["with_role"]) and "邻江市的事件" not in text(responses["with_role"])
    assert "邻江市的事件" in text(responses["other_agency"]) and "临江市的事件" not in text(responses["other_agency"])


def test_audit_list_bad_filter_is_shown_in_chinese(client, world):
    client.force_login(world.auditadmin)
    response = client.get("/core/audit/", {"date_from": "2026-03-01", "date_to": "2026-02-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"] == ["截止日期不能早于起始日期"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_audit_verify_matrix(client, world, method):
    responses = matrix(
        client,
        method,
        "/core/audit/verify/",
        data={} if method == "post" else None,
        expected=AUDIT_EXPECTED,
        actors=audit_actors(world),
    )
    if method == "post":
        result = responses["with_role"].context["result"]
        assert result.ok is True


def test_audit_export_matrix(client, world):
    expected = {**AUDIT_EXPECTED, "with_role": 302, "other_agency": 302}
    responses = matrix(
        client, "post", "/core/audit/export/", data={"action": "org."}, expected=expected, actors=audit_actors(world)
    )
    job = ExportJob.objects.get(requested_by=world.auditadmin)
    assert (job.kind, job.params) == ("core.audit_events", {"action": "org."})
    assert responses["with_role"]["Location"] == f"/core/exports/{job.pk}/"


def test_audit_checkpoints_matrix(client, world):
    from govworks.core.periodic import write_audit_checkpoint

    audit_event_record(actor=world.sysadmin, action="org.test", summary="临江市的事件", agency=world.city)
    write_audit_checkpoint(timezone.localdate())
    responses = matrix(client, "get", "/core/audit/checkpoints/", expected=AUDIT_EXPECTED, actors=audit_actors(world))
    assert "每日检查点" in text(responses["with_role"])
    assert "日志归档与清理" not in text(responses["with_role"])  # city's auditor does not cover the other top agency


def test_audit_checkpoints_export_matrix(client, world):
    responses = matrix(
        client, "post", "/core/audit/checkpoints/export/", data={}, expected=AUDIT_EXPECTED, actors=audit_actors(world)
    )
    assert responses["with_role"]["Content-Type"] == "application/json; charset=utf-8"
    assert AuditEvent.objects.filter(action="audit.checkpoints_exported", actor=world.auditadmin).count() == 1


def _old_events(world: Any) -> None:
    from unittest import mock

    moment = timezone.now() - dt.timedelta(days=200)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        for i in range(3):
            audit_event_record(actor=world.sysadmin, action="org.test", summary=f"旧事件{i}", agency=world.city)


def test_audit_archive_and_prune_matrix(client, world):
    """Only an auditor whose scope covers every agency (here: city's auditor, also appointed in the other top agency)
    archives, downloads and prunes; others get 403 (archive) or 404 (an archive they may not see)."""
    from govworks.core.models import AuditArchive

    RoleGrantFactory(user=world.auditadmin, agency=world.other, role="audit_admin")
    _old_events(world)
    expected = {**AUDIT_EXPECTED, "other_agency": 403, "with_role": 302}
    matrix(client, "post", "/core/audit/archives/new/", data={}, expected=expected, actors=audit_actors(world))
    archive = AuditArchive.objects.get()
    assert (archive.first_seq, archive.last_seq, archive.created_by_id) == (1, 3, world.auditadmin.pk)

    hidden = {**AUDIT_EXPECTED, "other_agency": 404, "no_role": 404, "superior": 404, "external": 404}
    hidden |= {"system_admin": 404, "security_admin": 404}
    url = f"/core/audit/archives/{archive.pk}/download/"
    matrix(client, "post", url, data={}, expected={**hidden, "with_role": 200}, actors=audit_actors(world))
    url = f"/core/audit/archives/{archive.pk}/prune/"
    matrix(client, "post", url, data={}, expected={**hidden, "with_role": 302}, actors=audit_actors(world))
    archive.refresh_from_db()
    assert archive.pruned_by_id == world.auditadmin.pk
    assert not AuditEvent.objects.filter(seq__lte=3).exists()


def test_audit_export_needs_post(client, world):
    client.force_login(world.auditadmin)
    before = snapshot()
    assert client.get("/core/audit/export/").status_code == 405
    assert snapshot() == before


def test_audit_export_bad_filter_is_400(client, world):
    client.force_login(world.auditadmin)
    before = snapshot()
    response = client.post("/core/audit/export/", {"date_from": "2026-03-01", "date_to": "2026-02-01"})
    assert response.status_code == 400
    assert "截止日期不能早于起始日期" in text(response)
    assert snapshot() == before


@pytest.fixture
def export_job(world: Any, django_capture_on_commit_callbacks: Any) -> ExportJob:
    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_request(actor=world.auditadmin, kind="core.audit_events", params={})
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    return job


def test_export_detail_matrix(client, world, export_job):
    actors = audit_actors(world)
    expected = {
        "anonymous": 302,
        "other_agency": 404,
        "no_role": 404,
        "with_role": 200,
        "superior": 404,
        "external": 404,
        "system_admin": 404,
        "security_admin": 404,
    }
    matrix(client, "get", f"/core/exports/{export_job.pk}/", expected=expected, actors=actors)
    matrix(client, "get", f"/core/exports/{export_job.pk}/download/", expected=expected, actors=actors)


def test_export_download_is_an_excel_file(client, world, export_job):
    client.force_login(world.auditadmin)
    response = client.get(f"/core/exports/{export_job.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content)[:2] == b"PK"  # xlsx is a zip


# ------------------------------------------------------------------------------------------ coverage guard

MATRIX_COVERED = {
    "org:agency_list", "org:agency_detail", "org:agency_edit", "org:agency_create", "org:department_create", "org:position_create",
    "org:user_create", "org:grant_create", "org:department_list", "org:department_edit", "org:position_list", "org:position_detail",
    "org:position_edit", "org:user_list", "org:user_detail", "org:user_edit", "org:user_password_reset", "org:account_unlock",
    "org:external_org_list", "org:external_org_create", "org:external_org_detail", "org:external_org_edit",
    "org:external_user_create", "org:grant_list", "org:grant_revoke", "org:pledge_list", "org:pledge_create",
    "org:pledge_download", "org:lockout_list", "org:parameter_list", "org:parameter_edit", "org:notice_list",
    "org:two_factor_reset",
    "org:working_calendar", "org:working_day_remove",  # govworks/core/tests/test_workdays.py
    "core:audit_list", "core:audit_export", "core:audit_verify", "core:export_detail", "core:export_download",
    "core:audit_checkpoints", "core:audit_checkpoints_export", "core:audit_archive_new", "core:audit_archive_download",
    "core:audit_archive_prune",
}  # fmt: skip


def test_every_page_has_a_role_matrix_test():
    # a new URL in either module must get its role-matrix test (and be listed here)
    from govworks.core import urls as core_urls
    from govworks.org import urls as org_urls

    names = {f"{module.app_name}:{p.name}" for module in (org_urls, core_urls) for p in module.urlpatterns}
    assert names == MATRIX_COVERED


# ------------------------------------------------------------------------------------------ query counts


def _grow_agencies(world: Any, start: int, n: int) -> None:
    for i in range(start, start + n):
        agency = AgencyFactory(name=f"增量单位{i:02d}", parent=world.sub)
        DepartmentFactory(agency=agency)
        UserFactory(agency=agency)


def _grow_departments(world: Any, start: int, n: int) -> None:
    for i in range(start, start + n):
        dept = DepartmentFactory(agency=world.sub, name=f"增量科室{i:02d}")
        UserFactory(agency=world.sub, department=dept)


def _grow_positions(world: Any, start: int, n: int) -> None:
    boss = PositionFactory(agency=world.sub, title=f"增量主任{start:02d}")
    for i in range(start, start + n):
        dept = DepartmentFactory(agency=world.sub)
        holder = UserFactory(agency=world.sub, department=dept)
        PositionFactory(agency=world.sub, title=f"增量岗位{i:02d}", department=dept, superior=boss, holder=holder)


def _grow_users(world: Any, start: int, n: int) -> None:
    for i in range(start, start + n):
        dept = DepartmentFactory(agency=world.sub)
        person = UserFactory(agency=world.sub, department=dept, full_name=f"增量人员{i:02d}")
        RoleGrantFactory(user=person, agency=world.sub, role="liaison")
        RoleGrantFactory(user=person, agency=world.sub, role="archivist")
        IntegrityPledgeFactory(user=person)


def _grow_external(world: Any, start: int, n: int) -> None:
    for i in range(start, start + n):
        org = ExternalOrganizationFactory(name=f"增量公司{i:02d}", registered_by=world.sub)
        UserFactory(agency=None, external_org=org)


def _grow_grants(world: Any, start: int, n: int) -> None:
    for i in range(start, start + n):
        person = UserFactory(agency=world.sub, full_name=f"增量授权{i:02d}")
        RoleGrantFactory(user=person, agency=world.sub, role="finance", granted_by=world.secadmin)


def _grow_pledges(world: Any, start: int, n: int) -> None:
    for i in range(start, start + n):
        person = UserFactory(agency=world.sub, full_name=f"增量承诺{i:02d}")
        RoleGrantFactory(user=person, agency=world.sub, role="liaison")
        IntegrityPledgeFactory(user=person, recorded_by=world.sysadmin)
        missing = UserFactory(agency=world.sub, full_name=f"增量未签{i:02d}")
        RoleGrantFactory(user=missing, agency=world.sub, role="liaison")


def _grow_lockouts(world: Any, start: int, n: int) -> None:
    for i in range(start, start + n):
        person = UserFactory(agency=world.sub, username=f"locked{i:02d}", department=DepartmentFactory(agency=world.sub))
        lock(person.username)


def _grow_parameters(world: Any, start: int, n: int) -> None:
    keys = list(
        RuleParameter.objects.filter(scope="deployment")
        .order_by("key")
        .values_list("key", "name", "category", "value_type", "unit")
    )
    assert len(keys) >= start + n
    for key, name, category, value_type, unit in keys[start : start + n]:
        RuleParameter.objects.create(
            key=key,
            name=name,
            category=category,
            value=f"{start + 7}",
            value_type=value_type,
            unit=unit,
            scope="agency",
            agency=world.city,
            effective_from=dt.date(2020, 1, 1),
        )


def _grow_audit(world: Any, start: int, n: int) -> None:
    for i in range(start, start + n):
        audit_event_record(actor=world.sysadmin, action="org.test", summary=f"增量事件{i:02d}", agency=world.sub)


def _grow_home(world: Any, start: int, n: int) -> None:
    for i in range(start, start + n):
        agency = AgencyFactory(name=f"增量单位{i:02d}", parent=world.sub)
        RoleGrantFactory(user=world.pm, agency=agency, role="liaison")
        audit_event_record(actor=world.pm, action="org.test", summary=f"增量事件{i:02d}", agency=world.city)
    perms.forget_cached_scope(world.pm)


#: page, url, viewer, how to add rows, text of the newest row (shown on the page once it exists)
QUERY_PAGES = [
    ("agency_list", "/org/agencies/", "sysadmin", _grow_agencies, "增量单位20"),
    ("department_list", "/org/departments/", "sysadmin", _grow_departments, "增量科室20"),
    ("position_list", "/org/positions/", "sysadmin", _grow_positions, "增量岗位20"),
    ("user_list", "/org/users/", "sysadmin", _grow_users, "增量人员20"),
    ("external_org_list", "/org/external/", "sysadmin", _grow_external, "增量公司20"),
    ("grant_list", "/org/grants/", "secadmin", _grow_grants, "增量授权20"),
    ("pledge_list", "/org/pledges/", "sysadmin", _grow_pledges, "增量承诺20"),
    ("lockout_list", "/org/lockouts/", "secadmin", _grow_lockouts, "locked20"),
    (
        "parameter_list",
        "/org/parameters/",
        "sysadmin",
        _grow_parameters,
        lambda r: sum(current.scope == "agency" for rows in r.context["categories"].values() for _, current in rows) == 21,
    ),
    ("audit_list", "/core/audit/", "auditadmin", _grow_audit, "增量事件20"),
    ("home", "/", "pm", _grow_home, "增量单位20"),
]


@pytest.mark.parametrize(("name", "url", "who", "grow", "newest"), QUERY_PAGES, ids=[p[0] for p in QUERY_PAGES])
def test_list_page_query_count_is_constant(client, world, count_queries, name, url, who, grow, newest, capsys):
    # given the page with one row of what it lists (an empty list skips its queries, which proves nothing),
    # after one warm-up request for the session
    grow(world, 0, 1)
    client.force_login(getattr(world, who))
    assert client.get(url).status_code == 200

    def load() -> Any:
        response = client.get(url)
        assert response.status_code == 200
        load.response = response  # type: ignore[attr-defined]

    load()  # and one more: the idle-timeout parameter is read (then remembered) from the second request on
    small = count_queries(load)
    # when 20 more of what the page lists exist
    grow(world, 1, 20)
    load()  # warm-up again: new agencies change the tree stamp, so the first request reads the scope anew
    large = count_queries(load)
    # then the page shows them, with the same number of queries
    shown = newest(load.response) if callable(newest) else newest in text(load.response)  # type: ignore[attr-defined]
    assert shown, f"{name}: the added rows are not on the page"
    assert large == small, f"{name}: {small} queries with 1 row, {large} with 21"
    # the workbench asks every module (close-out added six areas, one query each when the user has nothing there;
    # integrity one more: anyone on the inspector register may be drawn for a 双随机 check)
    assert small <= (28 if name == "home" else 25), f"{name}: {small} queries"
    with capsys.disabled():
        print(f"\n[query-count] {name}: {small}")


def test_list_pages_paginate_at_50(client, world):
    for i in range(55):
        DepartmentFactory(agency=world.sub, name=f"分页科室{i:02d}")
    client.force_login(world.sysadmin)
    first = client.get("/org/departments/")
    second = client.get("/org/departments/", {"page": 2})
    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == Department.objects.count() - 50
