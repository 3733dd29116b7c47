"""govworks/org/services.py: every write. Success writes the row and an AuditEvent with the right action;
every refusal (PermissionDenied, DomainError with its code, ValidationError) changes nothing."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govworks.core.audit import audit_chain_verify
from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent, RuleParameter
from govworks.core.numbering import next_number
from govworks.org import permissions as perms
from govworks.org import services
from govworks.org.models import Agency, Department, ExternalOrganization, IntegrityPledge, Position, RoleGrant, User
from govworks.org.roles import ADMIN_ROLES, BUSINESS_ROLES, Role
from govworks.org.rules import credit_code_check_char, password_problems
from govworks.org.tests.factories import (
    PASSWORD,
    AgencyFactory,
    DepartmentFactory,
    IntegrityPledgeFactory,
    PositionFactory,
    RoleGrantFactory,
    UserFactory,
    make_credit_code,
)

SIGN_IN_ACTIONS = ("auth.login", "auth.logout")  # written by Client.force_login/logout in view tests


# ------------------------------------------------------------------------------------------ helpers


def _media_files() -> list[str]:
    root = settings.MEDIA_ROOT
    found = []
    for base, _dirs, files in os.walk(root):
        found.extend(os.path.relpath(os.path.join(base, f), root) for f in files)
    return sorted(found)


def db_state() -> dict[str, Any]:
    """Everything the organisation module writes, plus the audit trail (sign-in events aside) and the
    uploaded files: equal before and after a refusal, or something changed."""
    return {
        "agencies": list(Agency.objects.order_by("pk").values_list()),
        "departments": list(Department.objects.order_by("pk").values_list()),
        "external_orgs": list(ExternalOrganization.objects.order_by("pk").values_list()),
        "users": list(
            User.objects.order_by("pk").values_list(*[f.attname for f in User._meta.concrete_fields if f.name != "last_login"])
        ),
        "positions": list(Position.objects.order_by("pk").values_list()),
        "grants": list(RoleGrant.objects.order_by("pk").values_list()),
        "pledges": list(IntegrityPledge.objects.order_by("pk").values_list()),
        "parameters": list(RuleParameter.objects.order_by("pk").values_list()),
        "lockouts": list(AccessAttempt.objects.order_by("pk").values_list("username", "failures_since_start")),
        "audit": list(AuditEvent.objects.exclude(action__in=SIGN_IN_ACTIONS).order_by("seq").values_list("seq", "action")),
        "files": _media_files(),
    }


def refused(call: Any, exc: type[Exception] = DomainError, *, code: str | None = None, message: str | None = None) -> Any:
    """Run ``call``, expect ``exc``; assert that nothing at all changed. Returns the exception."""
    before = db_state()
    with pytest.raises(exc) as info:
        call()
    assert db_state() == before, "a refused call changed data"
    if code is not None:
        assert info.value.code == code  # type: ignore[attr-defined]
    if message is not None:
        assert str(info.value) == message
    return info.value


def denied(call: Any, label: str) -> None:
    refused(call, PermissionDenied, message=f"您在该单位没有“{label}”的权限")


MANAGE = "管理组织机构与账号"
GRANT = "角色授权"
UNLOCK = "解锁账号"
PLEDGE = "登记廉政承诺书"
PARAM = "修改规则参数"


def new_events(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=since).order_by("seq"))


def last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def pdf(name: str = "承诺书.pdf", size: int | None = None) -> SimpleUploadedFile:
    """A scan whose content matches its extension (uploads are checked by content since issue 12 item 8)."""
    heads = {".jpg": b"\xff\xd8\xff\xe0", ".jpeg": b"\xff\xd8\xff\xe0", ".png": b"\x89PNG\r\n\x1a\n"}
    head = heads.get(name[name.rfind(".") :].lower(), b"%PDF-1.4 ")
    data = head + b"signed pledge" if size is None else (head + b"0" * size)[:size]
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def agency_fields(n: int, **kw: Any) -> dict[str, Any]:
    fields = {
        "name": f"临江市某某局{n}",
        "short_name": f"某某局{n}",
        "credit_code": make_credit_code(9000 + n, prefix="11"),
        "level": Agency.Level.COUNTY,
        "region_code": "331002",
        "address": "临江市江滨路1号",
        "is_active": True,
    }
    fields.update(kw)
    return fields


# ------------------------------------------------------------------------------------------ agencies


def test_agency_create_by_parents_system_admin(world):
    # given the city's 系统管理员  # when creating a subordinate of the subordinate
    seq = last_seq()
    agency = services.agency_create(actor=world.sysadmin, parent=world.sub, **agency_fields(1))
    # then the row is there with its tree path
    agency.refresh_from_db()
    assert (agency.name, agency.parent_id, agency.path) == (
        "临江市某某局1",
        world.sub.pk,
        f"/{world.city.pk}/{world.sub.pk}/{agency.pk}/",
    )
    assert agency.ancestor_ids() == [world.sub.pk, world.city.pk]
    # and one event, recorded in the parent's name, with every field in the diff
    [event] = new_events(seq)
    assert (event.action, event.actor_id, event.agency_id, event.object_type, event.object_id) == (
        "org.agency.create",
        world.sysadmin.pk,
        world.sub.pk,
        "org.agency",
        str(agency.pk),
    )
    assert event.summary == "新建下级单位“临江市某某局1”"
    assert event.changes["credit_code"] == {"before": None, "after": make_credit_code(9001, prefix="11")}
    assert event.changes["name"] == {"before": None, "after": "临江市某某局1"}
    # and the new agency is immediately within reach of the administrators above it
    assert perms.can(world.sysadmin, perms.ORG_MANAGE, agency.pk)
    assert agency.pk in perms.readable_agency_ids(world.pm)
    assert audit_chain_verify().ok


@pytest.mark.parametrize("who", ["pm", "sub_sysadmin", "other_sysadmin", "secadmin", "auditadmin", "no_role", "contractor"])
def test_agency_create_under_city_refused_for_everyone_but_its_system_admin(world, who):
    denied(lambda: services.agency_create(actor=getattr(world, who), parent=world.city, **agency_fields(2)), MANAGE)


def test_agency_create_with_invalid_credit_code_changes_nothing(world):
    bad = make_credit_code(9003)[:17] + ("0" if make_credit_code(9003)[17] != "0" else "1")
    err = refused(
        lambda: services.agency_create(actor=world.sysadmin, parent=world.city, **agency_fields(3, credit_code=bad)),
        ValidationError,
    )
    assert err.message_dict["credit_code"][0].startswith("统一社会信用代码校验位错误：第18位应为 ")


def test_agency_create_with_duplicate_name_changes_nothing(world):
    err = refused(
        lambda: services.agency_create(actor=world.sysadmin, parent=world.city, **agency_fields(4, name=world.other.name)),
        ValidationError,
    )
    assert err.message_dict["name"] == ["具有 单位名称 的 机关单位 已存在。"]


def test_agency_root_create_records_a_system_event(db):
    seq = last_seq()
    agency = services.agency_root_create(name="临海市机关事务管理局", credit_code=make_credit_code(9100), level=Agency.Level.CITY)
    assert (agency.parent_id, agency.path) == (None, f"/{agency.pk}/")
    [event] = new_events(seq)
    assert (event.action, event.actor_id, event.agency_id, event.summary) == (
        "org.agency.create",
        None,
        agency.pk,
        "建立顶级单位“临海市机关事务管理局”",
    )


def test_agency_root_create_with_bad_code_changes_nothing(db):
    err = refused(lambda: services.agency_root_create(name="临海市", credit_code="12345"), ValidationError)
    assert err.message_dict["credit_code"] == ["统一社会信用代码应为18位，当前为5位"]


def test_agency_update_by_own_system_admin(world):
    seq = last_seq()
    agency = services.agency_update(actor=world.sub_sysadmin, agency=world.sub, address="临江市府前路8号", short_name="后勤")
    agency.refresh_from_db()
    assert (agency.address, agency.short_name) == ("临江市府前路8号", "后勤")
    [event] = new_events(seq)
    assert (event.action, event.actor_id, event.agency_id) == ("org.agency.update", world.sub_sysadmin.pk, world.sub.pk)
    assert event.changes == {
        "address": {"before": "", "after": "临江市府前路8号"},
        "short_name": {"before": "后勤中心", "after": "后勤"},
    }


def test_agency_update_reaches_down_from_the_city_system_admin(world):
    services.agency_update(actor=world.sysadmin, agency=world.sub, address="新地址")
    assert Agency.objects.get(pk=world.sub.pk).address == "新地址"


@pytest.mark.parametrize("who", ["pm", "sub_pm", "other_sysadmin", "secadmin", "auditadmin", "contractor"])
def test_agency_update_of_sub_refused(world, who):
    denied(lambda: services.agency_update(actor=getattr(world, who), agency=world.sub, address="x"), MANAGE)


def test_agency_update_does_not_reach_up(world):
    # a subordinate's 系统管理员 may not edit the superior agency
    denied(lambda: services.agency_update(actor=world.sub_sysadmin, agency=world.city, address="x"), MANAGE)


def test_agency_update_invalid_region_length_changes_nothing(world):
    err = refused(lambda: services.agency_update(actor=world.sysadmin, agency=world.city, region_code="1234567"), ValidationError)
    assert err.message_dict["region_code"] == ["确保该变量包含不超过 6 字符 (目前字符数 7)。"]


def test_agency_update_cannot_reparent_an_agency(world):
    # moving an agency in the tree would need its path (and its subtree's) redone: not an update
    refused(
        lambda: services.agency_update(actor=world.sysadmin, agency=world.sub, parent=world.other),
        code="core.field_not_editable",
        message="“上级主管部门”不能在此修改",
    )
    refused(
        lambda: services.agency_update(actor=world.sysadmin, agency=world.sub, path="/x/"),
        code="core.field_not_editable",
        message="“树路径”不能在此修改",
    )


# ------------------------------------------------------------------------------------------ departments


def test_department_create_and_update(world):
    seq = last_seq()
    dept = services.department_create(actor=world.sub_sysadmin, agency=world.sub, name="财务科", phone="0571-1234")
    dept.refresh_from_db()
    assert (dept.agency_id, dept.name, dept.phone, dept.is_construction) == (world.sub.pk, "财务科", "0571-1234", False)
    services.department_update(actor=world.sysadmin, department=dept, name="计划财务科", is_construction=True)
    dept.refresh_from_db()
    assert (dept.name, dept.is_construction) == ("计划财务科", True)
    created, updated = new_events(seq)
    assert (created.action, created.actor_id, created.agency_id, created.summary) == (
        "org.department.create",
        world.sub_sysadmin.pk,
        world.sub.pk,
        "新建科室“财务科”",
    )
    assert (updated.action, updated.actor_id, updated.agency_id) == ("org.department.update", world.sysadmin.pk, world.sub.pk)
    assert updated.changes == {
        "is_construction": {"before": False, "after": True},
        "name": {"before": "财务科", "after": "计划财务科"},
    }


def test_department_duplicate_name_in_agency_changes_nothing(world):
    err = refused(lambda: services.department_create(actor=world.sysadmin, agency=world.city, name="基建科"), ValidationError)
    assert err.messages == ["包含 所属单位 和 科室名称 的 科室 已经存在。"]


def test_department_same_name_in_another_agency_is_fine(world):
    assert services.department_create(actor=world.sub_sysadmin, agency=world.sub, name="基建科").agency_id == world.sub.pk


@pytest.mark.parametrize("who", ["pm", "sub_pm", "other_sysadmin", "secadmin", "contractor"])
def test_department_write_in_sub_refused(world, who):
    dept = DepartmentFactory(agency=world.sub, name="综合科")
    actor = getattr(world, who)
    denied(lambda: services.department_create(actor=actor, agency=world.sub, name="新科室"), MANAGE)
    denied(lambda: services.department_update(actor=actor, department=dept, name="改名"), MANAGE)


def test_superior_business_user_cannot_change_subordinate_department(world):
    # given world.pm (工程管理岗 of the superior city), who can READ sub's departments
    dept = DepartmentFactory(agency=world.sub, name="综合科")
    assert perms.departments_visible_to(world.pm).filter(pk=dept.pk).exists()
    # when changing it  # then PermissionDenied and nothing changed
    denied(lambda: services.department_update(actor=world.pm, department=dept, phone="110"), MANAGE)


def test_department_update_cannot_move_a_department_to_another_agency(world):
    dept = DepartmentFactory(agency=world.city, name="综合科")
    refused(
        lambda: services.department_update(actor=world.sysadmin, department=dept, agency=world.other),
        code="core.field_not_editable",
        message="“所属单位”不能在此修改",
    )


# ------------------------------------------------------------------------------------------ external organisations


def test_external_org_create_and_update(world):
    seq = last_seq()
    code = make_credit_code(9200, prefix="91")
    org = services.external_org_create(
        actor=world.sysadmin,
        registered_by=world.city,
        name="临江监理有限公司",
        credit_code=code,
        kind="supervisor",
        legal_representative="王五",
        phone="13800000000",
    )
    org.refresh_from_db()
    assert (org.name, org.credit_code, org.kind, org.registered_by_id) == ("临江监理有限公司", code, "supervisor", world.city.pk)
    services.external_org_update(actor=world.sysadmin, org=org, phone="13900000000")
    assert ExternalOrganization.objects.get(pk=org.pk).phone == "13900000000"
    created, updated = new_events(seq)
    assert (created.action, created.agency_id, created.summary) == (
        "org.external_org.create",
        world.city.pk,
        "登记外部单位“临江监理有限公司”（监理单位）",
    )
    assert (updated.action, updated.agency_id, updated.changes) == (
        "org.external_org.update",
        world.city.pk,
        {"phone": {"before": "13800000000", "after": "13900000000"}},
    )


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91331000MA2ABCDE1", "统一社会信用代码应为18位，当前为17位"),
        ("91331000ma2abcde1x", "统一社会信用代码含有不允许的字符：a、b、c、d、e、m、x（不使用 I、O、Z、S、V 及小写字母）"),
        ("91350100M000100Y44", "统一社会信用代码校验位错误：第18位应为 3，实为 4"),
    ],
)
def test_external_org_create_with_invalid_credit_code(world, code, message):
    refused(
        lambda: services.external_org_create(
            actor=world.sysadmin, registered_by=world.city, name="某公司", credit_code=code, kind="contractor"
        ),
        code="org.credit_code_invalid",
        message=message,
    )


def test_external_org_duplicate_credit_code_changes_nothing(world):
    err = refused(
        lambda: services.external_org_create(
            actor=world.sysadmin,
            registered_by=world.city,
            name="另一公司",
            credit_code=world.contractor_org.credit_code,
            kind="contractor",
        ),
        ValidationError,
    )
    assert err.message_dict["credit_code"] == ["具有 统一社会信用代码 的 外部单位 已存在。"]


@pytest.mark.parametrize("who", ["pm", "sub_sysadmin", "other_sysadmin", "secadmin", "contractor"])
def test_external_org_write_refused(world, who):
    actor = getattr(world, who)
    denied(
        lambda: services.external_org_create(
            actor=actor, registered_by=world.city, name="某公司", credit_code=make_credit_code(9201, "91"), kind="contractor"
        ),
        MANAGE,
    )
    denied(lambda: services.external_org_update(actor=actor, org=world.contractor_org, phone="1"), MANAGE)


def test_external_org_update_with_invalid_code_changes_nothing(world):
    err = refused(
        lambda: services.external_org_update(actor=world.sysadmin, org=world.contractor_org, credit_code="91350100M000100Y44"),
        ValidationError,
    )
    assert err.message_dict["credit_code"] == ["统一社会信用代码校验位错误：第18位应为 3，实为 4"]


# ------------------------------------------------------------------------------------------ users


def test_temporary_passwords_meet_the_policy(world):
    for _ in range(50):
        password = services.temporary_password()
        assert password_problems(password, username="x", min_length=8, min_classes=3) == []
        validate_password(password, world.no_role)


def test_user_create_for_an_agency(world):
    dept = DepartmentFactory(agency=world.sub, name="综合科")
    seq = last_seq()
    user, slip = services.user_create(
        actor=world.sysadmin,
        agency=world.sub,
        username="zhangsan",
        full_name="张三",
        department=dept,
        title="科员",
        phone="13812345678",
    )
    user.refresh_from_db()
    assert (user.agency_id, user.department_id, user.external_org_id, user.full_name, user.title) == (
        world.sub.pk,
        dept.pk,
        None,
        "张三",
        "科员",
    )
    # nobody knows a password: the account has none until its holder uses the activation code
    assert user.must_change_password is True
    assert user.has_usable_password() is False
    assert (slip.purpose, len(slip.code), slip.issued_by) == ("activate", 14, world.sysadmin)
    [event] = new_events(seq)
    assert (event.action, event.actor_id, event.agency_id) == ("org.user.create", world.sysadmin.pk, world.sub.pk)
    assert event.summary.startswith("开设账号 zhangsan（张三），开具并显示激活码密封单，有效至 ")
    assert event.changes["department"] == {"before": None, "after": dept.pk}  # foreign keys as ids
    assert slip.code not in str(event.changes) and slip.code not in event.summary  # the code is never written to the log


def test_user_create_for_an_external_company(world):
    seq = last_seq()
    user, _ = services.user_create(actor=world.sysadmin, external_org=world.contractor_org, username="wangwu", full_name="王五")
    assert (user.agency_id, user.external_org_id, user.is_external) == (None, world.contractor_org.pk, True)
    [event] = new_events(seq)
    assert (event.action, event.agency_id) == ("org.user.create", world.city.pk)


def test_user_create_takes_no_password_from_the_administrator(world):
    """Given the 系统管理员, when he tries to open an account with a password of his choosing, then the service
    has no such parameter (an administrator never knows another person's password) and nothing is created."""
    with pytest.raises(TypeError):
        services.user_create(  # type: ignore[call-arg]
            actor=world.sysadmin, agency=world.city, username="lisi", full_name="李四", password="Linjiang#2026"
        )
    assert not User.objects.filter(username="lisi").exists()


def test_user_create_with_department_of_another_agency(world):
    # given a department of the city  # when opening an account in sub with it
    refused(
        lambda: services.user_create(
            actor=world.sysadmin, agency=world.sub, username="lisi", full_name="李四", department=world.construction
        ),
        code="org.user_department",
        message="所选科室不属于该单位",
    )


def test_user_create_external_with_a_department(world):
    refused(
        lambda: services.user_create(
            actor=world.sysadmin,
            external_org=world.contractor_org,
            username="lisi",
            full_name="李四",
            department=world.construction,
        ),
        code="org.user_department",
        message="所选科室不属于该单位",
    )


def test_user_create_both_agency_and_company_refused(world):
    refused(
        lambda: services.user_create(
            actor=world.sysadmin, agency=world.city, external_org=world.contractor_org, username="lisi", full_name="李四"
        ),
        code="org.user_owner",
        message="账号须属于一个机关单位或一个外部单位（二选一）",
    )


def test_user_create_neither_agency_nor_company_refused(world):
    denied(lambda: services.user_create(actor=world.sysadmin, username="lisi", full_name="李四"), MANAGE)


def test_user_create_duplicate_username_changes_nothing(world):
    err = refused(
        lambda: services.user_create(actor=world.sysadmin, agency=world.city, username="liming", full_name="另一个李明"),
        ValidationError,
    )
    assert err.message_dict["username"] == ["已存在一位使用该名字的用户。"]


@pytest.mark.parametrize("who", ["pm", "sub_sysadmin", "other_sysadmin", "secadmin", "auditadmin", "contractor"])
def test_user_create_in_city_refused(world, who):
    denied(lambda: services.user_create(actor=getattr(world, who), agency=world.city, username="lisi", full_name="李四"), MANAGE)


def test_user_update_profile(world):
    dept = DepartmentFactory(agency=world.sub, name="综合科")
    seq = last_seq()
    services.user_update(actor=world.sub_sysadmin, user=world.sub_pm, department=dept, title="副科长", phone="13900001111")
    person = User.objects.get(pk=world.sub_pm.pk)
    assert (person.department_id, person.title, person.phone) == (dept.pk, "副科长", "13900001111")
    [event] = new_events(seq)
    assert (event.action, event.actor_id, event.agency_id, event.summary) == (
        "org.user.update",
        world.sub_sysadmin.pk,
        world.sub.pk,
        "修改账号 caiyun",
    )
    assert event.changes == {
        "department": {"before": None, "after": dept.pk},
        "phone": {"before": "", "after": "13900001111"},
        "title": {"before": "", "after": "副科长"},
    }


def test_user_update_reaches_down_from_the_city_system_admin(world):
    services.user_update(actor=world.sysadmin, user=world.sub_pm, title="工程师")
    assert User.objects.get(pk=world.sub_pm.pk).title == "工程师"


def test_superior_business_user_cannot_change_a_subordinates_user(world):
    assert perms.users_visible_to(world.pm).filter(pk=world.sub_pm.pk).exists()
    denied(lambda: services.user_update(actor=world.pm, user=world.sub_pm, title="工程师"), MANAGE)


@pytest.mark.parametrize("who", ["sub_pm", "other_sysadmin", "secadmin", "auditadmin", "contractor", "no_role"])
def test_user_update_of_sub_refused(world, who):
    denied(lambda: services.user_update(actor=getattr(world, who), user=world.sub_pm, title="x"), MANAGE)


def test_user_update_external_user_by_registering_agency(world):
    services.user_update(actor=world.sysadmin, user=world.contractor, phone="13700000000")
    assert User.objects.get(pk=world.contractor.pk).phone == "13700000000"
    denied(lambda: services.user_update(actor=world.other_sysadmin, user=world.contractor, phone="1"), MANAGE)


def test_user_update_department_of_another_agency_refused(world):
    refused(
        lambda: services.user_update(actor=world.sysadmin, user=world.sub_pm, department=world.construction),
        code="org.user_department",
        message="所选科室不属于该单位",
    )


def test_user_cannot_disable_themself(world):
    refused(
        lambda: services.user_update(actor=world.sysadmin, user=world.sysadmin, is_active=False),
        code="org.user_self_disable",
        message="不能停用自己的账号",
    )


def test_disable_another_user(world):
    services.user_update(actor=world.sysadmin, user=world.pm, is_active=False)
    assert User.objects.get(pk=world.pm.pk).is_active is False


def test_user_update_cannot_move_a_person_to_another_agency(world):
    refused(
        lambda: services.user_update(actor=world.sysadmin, user=world.no_role, agency=world.other),
        code="core.field_not_editable",
        message="“所属单位”不能在此修改",
    )
    refused(
        lambda: services.user_update(actor=world.sysadmin, user=world.no_role, external_org=world.contractor_org),
        code="core.field_not_editable",
        message="“外部单位”不能在此修改",
    )
    refused(
        lambda: services.user_update(actor=world.sysadmin, user=world.no_role, is_superuser=True), code="core.field_not_editable"
    )


def test_position_update_cannot_move_a_position_to_another_agency(world):
    position = PositionFactory(agency=world.sub, title="主任")
    refused(
        lambda: services.position_update(actor=world.sysadmin, position=position, agency=world.city),
        code="core.field_not_editable",
        message="“单位”不能在此修改",
    )


def test_external_org_update_cannot_change_the_registering_agency(world):
    refused(
        lambda: services.external_org_update(actor=world.sysadmin, org=world.contractor_org, registered_by=world.sub),
        code="core.field_not_editable",
        message="“登记单位”不能在此修改",
    )


def test_user_password_reset(world):
    """Given 蔡芸's account, when the 系统管理员 resets it, then he gets a sealed reset code (not a password), her
    password is untouched until she uses the code, and the event names him."""
    old_hash = User.objects.get(pk=world.sub_pm.pk).password
    seq = last_seq()
    slip = services.user_password_reset(actor=world.sysadmin, user=world.sub_pm)
    person = User.objects.get(pk=world.sub_pm.pk)
    assert person.password == old_hash and person.check_password(PASSWORD)
    assert (slip.purpose, slip.user.pk) == ("reset", world.sub_pm.pk)
    [event] = new_events(seq)
    assert (event.action, event.actor_id, event.agency_id) == ("org.user.password_reset", world.sysadmin.pk, world.sub.pk)
    assert event.summary.startswith("为账号 caiyun 开具并显示密码重置码密封单，有效至 ")
    assert slip.code not in str(event.changes) and slip.code not in event.summary


def test_user_password_reset_of_oneself_refused(world):
    refused(
        lambda: services.user_password_reset(actor=world.sysadmin, user=world.sysadmin),
        code="org.password_self_reset",
        message="不能重置自己的密码，请使用“修改密码”",
    )


@pytest.mark.parametrize("who", ["pm", "secadmin", "other_sysadmin", "sub_sysadmin"])
def test_user_password_reset_refused(world, who):
    denied(lambda: services.user_password_reset(actor=getattr(world, who), user=world.leader), MANAGE)


def test_user_password_change(world):
    seq = last_seq()
    services.user_password_change(user=world.pm, old_password=PASSWORD, new_password="Jiangbin#2027")
    person = User.objects.get(pk=world.pm.pk)
    assert person.check_password("Jiangbin#2027")
    assert person.must_change_password is False
    assert person.password_changed_at is not None
    assert abs((timezone.now() - person.password_changed_at).total_seconds()) < 60
    [event] = new_events(seq)
    assert (event.action, event.actor_id, event.agency_id, event.summary) == (
        "auth.password_change",
        world.pm.pk,
        world.city.pk,
        "修改本人密码",
    )


def test_user_password_change_wrong_old_password(world):
    refused(
        lambda: services.user_password_change(user=world.pm, old_password="Wrong@2026", new_password="Jiangbin#2027"),
        code="org.password_wrong",
        message="原密码不正确",
    )


def test_user_password_change_same_password(world):
    refused(
        lambda: services.user_password_change(user=world.pm, old_password=PASSWORD, new_password=PASSWORD),
        code="org.password_same",
        message="新密码不能与原密码相同",
    )


def test_user_password_change_weak_password(world):
    err = refused(
        lambda: services.user_password_change(user=world.pm, old_password=PASSWORD, new_password="liming"), ValidationError
    )
    assert err.messages == [
        "密码长度不少于8位（当前6位）",
        "密码须包含大写字母、小写字母、数字、特殊字符中的至少3类（当前1类）",
        "密码不能与用户名相同",
    ]


# ------------------------------------------------------------------------------------------ account unlock


def lock(username: str, failures: int = 5) -> None:
    AccessAttempt.objects.create(
        username=username,
        ip_address="10.0.0.9",
        user_agent="pytest",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=failures,
    )


def test_account_unlock_by_security_admin(world):
    lock("caiyun")
    lock("liming")
    seq = last_seq()
    assert services.account_unlock(actor=world.secadmin, user=world.sub_pm) == 1
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["liming"]
    [event] = new_events(seq)
    assert (event.action, event.actor_id, event.agency_id, event.summary, event.changes) == (
        "auth.unlock",
        world.secadmin.pk,
        world.sub.pk,
        "解锁账号 caiyun",
        {"cleared_attempts": 1},
    )


@pytest.mark.parametrize("who", ["sysadmin", "auditadmin", "pm", "other_sysadmin", "sub_sysadmin"])
def test_account_unlock_refused(world, who):
    lock("liming")
    denied(lambda: services.account_unlock(actor=getattr(world, who), user=world.pm), UNLOCK)


EXTERNAL_ACCOUNT_WRITES = {
    "user_update": lambda w: services.user_update(actor=w.sysadmin, user=w.contractor, phone="13700000000"),
    "user_password_reset": lambda w: services.user_password_reset(actor=w.sysadmin, user=w.contractor),
    "account_unlock": lambda w: services.account_unlock(actor=w.secadmin, user=w.contractor),
}


@pytest.mark.parametrize("write", sorted(EXTERNAL_ACCOUNT_WRITES))
def test_events_about_an_external_account_belong_to_the_registering_agency(world, write):
    # given the contractor's account, registered by the city
    seq = last_seq()
    # when the city's administrators change, reset or unlock it
    EXTERNAL_ACCOUNT_WRITES[write](world)
    # then the event is the city's (its auditors see it; a sibling city's do not)
    [event] = new_events(seq)
    assert event.agency_id == world.city.pk


# ------------------------------------------------------------------------------------------ positions


def test_position_create_and_update(world):
    dept = DepartmentFactory(agency=world.sub, name="综合科")
    seq = last_seq()
    head = services.position_create(
        actor=world.sub_sysadmin,
        agency=world.sub,
        title="科长",
        duties="主持科室全面工作。",
        department=dept,
        holder=world.sub_pm,
    )
    clerk = services.position_create(
        actor=world.sysadmin,
        agency=world.sub,
        title="工程管理员",
        duties="负责项目日常管理。",
        superior=head,
        kpis="按期完成率",
        key_tasks_year=2026,
        key_tasks="办公楼节能改造",
    )
    clerk.refresh_from_db()
    assert (clerk.agency_id, clerk.superior_id, clerk.kpis, clerk.key_tasks_year) == (world.sub.pk, head.pk, "按期完成率", 2026)
    services.position_update(actor=world.sub_sysadmin, position=clerk, holder=world.sub_pm, duties="负责项目全过程管理。")
    clerk.refresh_from_db()
    assert (clerk.holder_id, clerk.duties) == (world.sub_pm.pk, "负责项目全过程管理。")
    e1, e2, e3 = new_events(seq)
    assert (e1.action, e1.actor_id, e1.agency_id, e1.summary) == (
        "org.position.create",
        world.sub_sysadmin.pk,
        world.sub.pk,
        "新建岗位“科长”",
    )
    assert e1.changes["holder"] == {"before": None, "after": world.sub_pm.pk}
    assert (e2.action, e2.actor_id) == ("org.position.create", world.sysadmin.pk)
    assert (e3.action, e3.summary) == ("org.position.update", "修改岗位“工程管理员”")
    assert e3.changes == {
        "duties": {"before": "负责项目日常管理。", "after": "负责项目全过程管理。"},
        "holder": {"before": None, "after": world.sub_pm.pk},
    }


def test_position_superior_cycle_refused(world):
    # given a chain a → b → c (c's superior is b, b's superior is a)
    a = PositionFactory(agency=world.sub, title="主任")
    b = PositionFactory(agency=world.sub, title="副主任", superior=a)
    c = PositionFactory(agency=world.sub, title="科员", superior=b)
    # when a is put under c  # then refused, nothing changed
    refused(
        lambda: services.position_update(actor=world.sub_sysadmin, position=a, superior=c),
        code="org.position_cycle",
        message="上级岗位不能形成循环",
    )
    assert Position.objects.get(pk=a.pk).superior_id is None


def test_position_cannot_be_its_own_superior(world):
    a = PositionFactory(agency=world.sub, title="主任")
    refused(
        lambda: services.position_update(actor=world.sub_sysadmin, position=a, superior=a),
        code="org.position_cycle",
        message="上级岗位不能形成循环",
    )


def test_position_superior_of_another_agency_refused(world):
    boss = PositionFactory(agency=world.city, title="局长")
    refused(
        lambda: services.position_create(actor=world.sysadmin, agency=world.sub, title="主任", duties="x", superior=boss),
        code="org.position_superior",
        message="上级岗位须属于同一单位",
    )


def test_position_department_of_another_agency_refused(world):
    refused(
        lambda: services.position_create(
            actor=world.sysadmin, agency=world.sub, title="主任", duties="x", department=world.construction
        ),
        code="org.position_department",
        message="所选科室不属于该单位",
    )


def test_position_holder_of_another_agency_refused(world):
    refused(
        lambda: services.position_create(actor=world.sysadmin, agency=world.sub, title="主任", duties="x", holder=world.pm),
        code="org.position_holder",
        message="在岗人员须为本单位人员",
    )


def test_position_duplicate_title_changes_nothing(world):
    PositionFactory(agency=world.sub, title="主任")
    err = refused(
        lambda: services.position_create(actor=world.sub_sysadmin, agency=world.sub, title="主任", duties="x"), ValidationError
    )
    assert err.messages == ["包含 单位 和 岗位名称 的 岗位 已经存在。"]


def test_position_without_duties_changes_nothing(world):
    err = refused(
        lambda: services.position_create(actor=world.sub_sysadmin, agency=world.sub, title="主任", duties=""), ValidationError
    )
    assert err.message_dict == {"duties": ["此字段不能为空。"]}


def test_superior_business_user_cannot_change_subordinate_position(world):
    position = PositionFactory(agency=world.sub, title="主任")
    assert perms.positions_visible_to(world.pm).filter(pk=position.pk).exists()
    denied(lambda: services.position_update(actor=world.pm, position=position, duties="改"), MANAGE)
    denied(lambda: services.position_create(actor=world.pm, agency=world.sub, title="新岗", duties="x"), MANAGE)


@pytest.mark.parametrize("who", ["other_sysadmin", "sub_pm", "secadmin", "contractor"])
def test_position_write_in_sub_refused(world, who):
    position = PositionFactory(agency=world.sub, title="主任")
    denied(lambda: services.position_update(actor=getattr(world, who), position=position, duties="改"), MANAGE)


# ------------------------------------------------------------------------------------------ role grants


def test_role_grant_by_security_admin(world):
    seq = last_seq()
    grant = services.role_grant(
        actor=world.secadmin, user=world.no_role, agency=world.city, role=Role.FINANCE, note="任职文件〔2026〕3号"
    )
    grant.refresh_from_db()
    assert (grant.user_id, grant.agency_id, grant.role, grant.granted_by_id, grant.revoked_at, grant.note) == (
        world.no_role.pk,
        world.city.pk,
        "finance",
        world.secadmin.pk,
        None,
        "任职文件〔2026〕3号",
    )
    [event] = new_events(seq)
    assert (event.action, event.actor_id, event.agency_id, event.object_type, event.object_id) == (
        "org.role.grant",
        world.secadmin.pk,
        world.city.pk,
        "org.rolegrant",
        str(grant.pk),
    )
    assert (event.summary, event.changes, event.reason) == (
        "授予 无角色“财务”角色",
        {"role": {"before": None, "after": "finance"}},
        "任职文件〔2026〕3号",
    )
    # and the grant takes effect at once
    assert perms.roles_in(world.no_role, world.city.pk) == {"finance"}


def test_role_grant_in_a_subordinate_agency(world):
    # administration reaches down: the city's 安全管理员 grants in sub, to sub's staff and to the city's
    services.role_grant(actor=world.secadmin, user=world.sub_pm, agency=world.sub, role=Role.LIAISON)
    services.role_grant(actor=world.secadmin, user=world.pm, agency=world.sub, role=Role.LIAISON)
    assert set(RoleGrant.objects.active().filter(agency=world.sub, role="liaison").values_list("user__username", flat=True)) == {
        "caiyun",
        "liming",
    }


def test_role_grant_to_oneself_refused(world):
    refused(
        lambda: services.role_grant(actor=world.secadmin, user=world.secadmin, agency=world.city, role=Role.SECURITY_ADMIN),
        code="org.grant_self",
        message="不能为自己授予角色（三员分立、不得自我授权）",
    )


@pytest.mark.parametrize("role", sorted(Role.values))
def test_role_grant_to_oneself_refused_for_every_role(world, role):
    refused(
        lambda: services.role_grant(actor=world.secadmin, user=world.secadmin, agency=world.sub, role=role), code="org.grant_self"
    )


@pytest.mark.parametrize("role", sorted(ADMIN_ROLES))
def test_admin_role_for_a_business_user_refused(world, role):
    # given world.pm holds 工程管理岗  # when an administrator role is added  # then 三员分立 refuses
    refused(
        lambda: services.role_grant(actor=world.secadmin, user=world.pm, agency=world.city, role=role),
        code="org.separation_of_duties",
        message="三员分立：管理员角色不能与其他任何角色兼任",
    )


@pytest.mark.parametrize("role", sorted(BUSINESS_ROLES))
def test_business_role_for_an_administrator_refused(world, role):
    refused(
        lambda: services.role_grant(actor=world.secadmin, user=world.sysadmin, agency=world.city, role=role),
        code="org.separation_of_duties",
        message="三员分立：系统管理员、安全管理员、安全审计员不能承担业务角色",
    )


def test_second_admin_role_refused(world):
    refused(
        lambda: services.role_grant(actor=world.secadmin, user=world.auditadmin, agency=world.city, role=Role.SYSTEM_ADMIN),
        code="org.separation_of_duties",
        message="三员分立：管理员角色不能与其他任何角色兼任",
    )


def test_separation_counts_roles_held_in_other_agencies(world):
    # given sub_pm is 工程管理岗 in sub  # when made 系统管理员 of the city  # then refused
    refused(
        lambda: services.role_grant(actor=world.secadmin, user=world.sub_pm, agency=world.city, role=Role.SYSTEM_ADMIN),
        code="org.separation_of_duties",
    )


def test_same_admin_role_in_a_subordinate_is_allowed(world):
    grant = services.role_grant(actor=world.secadmin, user=world.sysadmin, agency=world.sub, role=Role.SYSTEM_ADMIN)
    assert (grant.agency_id, grant.role) == (world.sub.pk, "system_admin")


def test_external_user_cannot_get_an_agency_role(world):
    refused(
        lambda: services.role_grant(actor=world.secadmin, user=world.contractor, agency=world.city, role=Role.LIAISON),
        code="org.grant_external",
        message="外部单位人员不能被授予机关内部角色，请通过项目分配其参与范围",
    )


def test_duplicate_grant_refused(world):
    refused(
        lambda: services.role_grant(actor=world.secadmin, user=world.pm, agency=world.city, role=Role.PROJECT_MANAGER),
        code="org.grant_duplicate",
        message="该人员在本单位已具有“工程管理岗”角色",
    )


def test_same_role_again_after_revoke_is_allowed(world):
    grant = RoleGrant.objects.get(user=world.pm, role="project_manager")
    services.role_revoke(actor=world.secadmin, grant=grant, reason="岗位调整")
    again = services.role_grant(actor=world.secadmin, user=world.pm, agency=world.city, role=Role.PROJECT_MANAGER)
    assert again.pk != grant.pk
    assert RoleGrant.objects.filter(user=world.pm, role="project_manager").count() == 2
    assert RoleGrant.objects.active().filter(user=world.pm, role="project_manager").get().pk == again.pk


def test_grant_to_a_person_of_an_unrelated_agency_refused(world):
    refused(
        lambda: services.role_grant(actor=world.secadmin, user=world.other_pm, agency=world.city, role=Role.LIAISON),
        code="org.grant_foreign_user",
        message="只能向本单位或上下级单位的人员授予该单位的角色",
    )


def test_unknown_role_refused(world):
    refused(
        lambda: services.role_grant(actor=world.secadmin, user=world.no_role, agency=world.city, role="god"),
        code="org.role_unknown",
        message="未知角色 god",
    )


@pytest.mark.parametrize(
    "who", ["sysadmin", "auditadmin", "pm", "leader", "sub_sysadmin", "other_sysadmin", "no_role", "contractor"]
)
def test_role_grant_by_a_non_security_admin_refused(world, who):
    denied(
        lambda: services.role_grant(actor=getattr(world, who), user=world.discipline, agency=world.city, role=Role.LIAISON), GRANT
    )


def test_role_grant_does_not_reach_up(world):
    # given a 安全管理员 of sub  # when granting in the city  # then refused
    sub_sec = UserFactory(username="subsec", agency=world.sub)
    RoleGrantFactory(user=sub_sec, agency=world.sub, role="security_admin")
    denied(lambda: services.role_grant(actor=sub_sec, user=world.no_role, agency=world.city, role=Role.LIAISON), GRANT)


def test_role_revoke_keeps_the_row(world):
    grant = RoleGrant.objects.get(user=world.sub_pm, role="project_manager")
    seq = last_seq()
    services.role_revoke(actor=world.secadmin, grant=grant, reason="调离工作岗位")
    grant.refresh_from_db()
    assert grant.revoked_by_id == world.secadmin.pk
    assert grant.revoked_at is not None and abs((timezone.now() - grant.revoked_at).total_seconds()) < 60
    assert (grant.user_id, grant.agency_id, grant.role) == (world.sub_pm.pk, world.sub.pk, "project_manager")
    [event] = new_events(seq)
    assert (event.action, event.actor_id, event.agency_id, event.summary, event.changes, event.reason) == (
        "org.role.revoke",
        world.secadmin.pk,
        world.sub.pk,
        "撤销 蔡芸 的“工程管理岗”角色",
        {"role": {"before": "project_manager", "after": None}},
        "调离工作岗位",
    )
    # and the person lost the role at once
    assert perms.roles_in(world.sub_pm, world.sub.pk) == set()


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_role_revoke_needs_a_reason(world, reason):
    grant = RoleGrant.objects.get(user=world.sub_pm)
    refused(
        lambda: services.role_revoke(actor=world.secadmin, grant=grant, reason=reason),
        code="org.revoke_reason",
        message="请填写撤销原因",
    )


def test_role_revoke_of_own_grant_refused(world):
    grant = RoleGrant.objects.get(user=world.secadmin)
    refused(
        lambda: services.role_revoke(actor=world.secadmin, grant=grant, reason="离职"),
        code="org.revoke_self",
        message="不能撤销自己的角色，请由其他安全管理员办理",
    )


def test_role_revoke_twice_refused(world):
    grant = RoleGrant.objects.get(user=world.sub_pm)
    services.role_revoke(actor=world.secadmin, grant=grant, reason="调离")
    refused(
        lambda: services.role_revoke(actor=world.secadmin, grant=grant, reason="再次"),
        code="org.revoke_twice",
        message="该授权已撤销",
    )


@pytest.mark.parametrize("who", ["sysadmin", "auditadmin", "pm", "sub_sysadmin", "other_sysadmin", "contractor"])
def test_role_revoke_refused(world, who):
    grant = RoleGrant.objects.get(user=world.sub_pm)
    denied(lambda: services.role_revoke(actor=getattr(world, who), grant=grant, reason="调离"), GRANT)


# ------------------------------------------------------------------------------------------ integrity pledges


def test_pledge_recorded_by_the_person(world):
    today = timezone.localdate()
    seq = last_seq()
    pledge = services.pledge_record(actor=world.pm, user=world.pm, year=today.year, signed_on=today, file=pdf())
    pledge.refresh_from_db()
    assert (pledge.user_id, pledge.agency_id, pledge.year, pledge.signed_on, pledge.recorded_by_id) == (
        world.pm.pk,
        world.city.pk,
        today.year,
        today,
        world.pm.pk,
    )
    assert pledge.file.name.startswith(f"pledges/{today.year}/{world.pm.pk}/")
    with pledge.file.open("rb") as fh:
        assert fh.read() == b"%PDF-1.4 signed pledge"
    [event] = new_events(seq)
    assert (event.action, event.actor_id, event.agency_id, event.summary, event.changes) == (
        "org.pledge.record",
        world.pm.pk,
        world.city.pk,
        f"登记 李明 {today.year}年度廉政承诺书",
        {"signed_on": {"before": None, "after": today.isoformat()}},
    )


def test_pledge_recorded_by_the_system_admin_for_a_subordinates_staff(world):
    today = timezone.localdate()
    pledge = services.pledge_record(
        actor=world.sysadmin, user=world.sub_pm, year=today.year, signed_on=today, file=pdf("scan.PNG")
    )
    assert (pledge.user_id, pledge.agency_id, pledge.recorded_by_id) == (world.sub_pm.pk, world.sub.pk, world.sysadmin.pk)


def test_pledge_for_next_year_signed_this_year_is_allowed(world):
    today = timezone.localdate()
    pledge = services.pledge_record(actor=world.pm, user=world.pm, year=today.year + 1, signed_on=today, file=pdf())
    assert pledge.year == today.year + 1


@pytest.mark.parametrize("who", ["pm", "secadmin", "other_sysadmin", "sub_sysadmin"])
def test_pledge_for_someone_else_refused(world, who):
    today = timezone.localdate()
    denied(
        lambda: services.pledge_record(
            actor=getattr(world, who), user=world.leader, year=today.year, signed_on=today, file=pdf()
        ),
        PLEDGE,
    )


def test_pledge_signed_in_the_future_refused(world):
    today = timezone.localdate()
    refused(
        lambda: services.pledge_record(
            actor=world.pm, user=world.pm, year=today.year, signed_on=today + dt.timedelta(days=1), file=pdf()
        ),
        code="org.pledge_future",
        message=f"签订日期不能晚于今天（{today:%Y-%m-%d}）",
    )


def test_pledge_signed_in_a_wrong_year_refused(world):
    today = timezone.localdate()
    year = today.year
    refused(
        lambda: services.pledge_record(actor=world.pm, user=world.pm, year=year, signed_on=dt.date(year - 2, 12, 31), file=pdf()),
        code="org.pledge_year",
        message=f"{year}年度承诺书的签订日期应在{year - 1}年或{year}年内",
    )


def test_pledge_for_an_earlier_year_signed_this_year_refused(world):
    today = timezone.localdate()
    year = today.year - 2
    refused(
        lambda: services.pledge_record(actor=world.pm, user=world.pm, year=year, signed_on=today, file=pdf()),
        code="org.pledge_year",
        message=f"{year}年度承诺书的签订日期应在{year - 1}年或{year}年内",
    )


@pytest.mark.parametrize("name", ["承诺书.docx", "承诺书.exe", "承诺书", "pdf", "承诺书.pdf.zip"])
def test_pledge_file_type_refused(world, name):
    today = timezone.localdate()
    refused(
        lambda: services.pledge_record(actor=world.pm, user=world.pm, year=today.year, signed_on=today, file=pdf(name)),
        code="org.pledge_file_type",
        message="承诺书扫描件只接受 PDF、JPG、PNG 文件",
    )


@pytest.mark.parametrize("name", ["a.pdf", "b.JPG", "c.jpeg", "d.Png"])
def test_pledge_file_types_accepted(world, name):
    today = timezone.localdate()
    assert services.pledge_record(actor=world.pm, user=world.pm, year=today.year, signed_on=today, file=pdf(name)).pk


def test_pledge_file_that_is_html_named_pdf_is_refused_and_nothing_changes(world):
    # given an HTML page renamed .pdf (issue 12 item 8)
    today = timezone.localdate()
    fake = SimpleUploadedFile("承诺书.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>")
    before = (IntegrityPledge.objects.count(), AuditEvent.objects.count())
    # when it is recorded as the pledge, then it is refused naming what the content is
    refused(
        lambda: services.pledge_record(actor=world.pm, user=world.pm, year=today.year, signed_on=today, file=fake),
        code="file.content",
        message="文件内容为 HTML，不是 PDF，请上传真实的文件",
    )
    assert (IntegrityPledge.objects.count(), AuditEvent.objects.count()) == before


def test_pledge_file_of_exactly_10mb_is_accepted(world):
    today = timezone.localdate()
    pledge = services.pledge_record(
        actor=world.pm, user=world.pm, year=today.year, signed_on=today, file=pdf(size=10 * 1024 * 1024)
    )
    assert pledge.file.size == 10 * 1024 * 1024


def test_pledge_file_over_10mb_refused(world):
    today = timezone.localdate()
    refused(
        lambda: services.pledge_record(
            actor=world.pm, user=world.pm, year=today.year, signed_on=today, file=pdf(size=11 * 1024 * 1024 + 1)
        ),
        code="org.pledge_file_size",
        message="承诺书扫描件不能超过10MB（当前11.01MB）",
    )


def test_pledge_file_size_message_does_not_contradict_itself(world):
    today = timezone.localdate()
    refused(
        lambda: services.pledge_record(
            actor=world.pm, user=world.pm, year=today.year, signed_on=today, file=pdf(size=10 * 1024 * 1024 + 1)
        ),
        code="org.pledge_file_size",
        message="承诺书扫描件不能超过10MB（当前10.01MB）",
    )


def test_pledge_file_one_byte_over_10mb_refused(world):
    today = timezone.localdate()
    refused(
        lambda: services.pledge_record(
            actor=world.pm, user=world.pm, year=today.year, signed_on=today, file=pdf(size=10 * 1024 * 1024 + 1)
        ),
        code="org.pledge_file_size",
    )


def test_second_pledge_for_the_same_year_refused(world):
    today = timezone.localdate()
    IntegrityPledgeFactory(user=world.pm, year=today.year)
    refused(
        lambda: services.pledge_record(actor=world.sysadmin, user=world.pm, year=today.year, signed_on=today, file=pdf()),
        code="org.pledge_duplicate",
        message=f"李明 的{today.year}年度廉政承诺书已登记",
    )


# ------------------------------------------------------------------------------------------ rule parameters


def param_rows(key: str) -> list[tuple[Any, ...]]:
    return list(
        RuleParameter.objects.filter(key=key)
        .order_by("scope", "effective_from")
        .values_list("scope", "agency_id", "value", "effective_from", "effective_to")
    )


def test_rule_parameter_set_for_an_agency_closes_nothing_and_keeps_deployment(world):
    key = "perf.grade_excellent_min"
    seq = last_seq()
    start = timezone.localdate()
    row = services.rule_parameter_set(
        actor=world.sysadmin, key=key, value="92", effective_from=start, agency=world.sub, reason="市局文件〔2026〕1号"
    )
    assert (row.scope, row.agency_id, row.value, row.status, row.name) == (
        "agency",
        world.sub.pk,
        "92",
        "D",
        "绩效等级“优”最低分",
    )
    assert param_rows(key) == [("agency", world.sub.pk, "92", start, None), ("deployment", None, "90", dt.date(2000, 1, 1), None)]
    [event] = new_events(seq)
    assert (event.action, event.actor_id, event.agency_id, event.reason) == (
        "core.rule_parameter.set",
        world.sysadmin.pk,
        world.sub.pk,
        "市局文件〔2026〕1号",
    )
    assert event.changes == {
        "value": {"before": None, "after": "92"},
        "effective_from": {"before": None, "after": start.isoformat()},
    }


def test_rule_parameter_set_for_the_deployment_closes_the_previous_value(world):
    key = "perf.grade_excellent_min"
    start = timezone.localdate()
    services.rule_parameter_set(actor=world.sysadmin, key=key, value="88", effective_from=start, agency=None, reason="等保整改")
    assert param_rows(key) == [
        ("deployment", None, "90", dt.date(2000, 1, 1), start - dt.timedelta(days=1)),
        ("deployment", None, "88", start, None),
    ]
    # the same day again updates the row in place
    services.rule_parameter_set(actor=world.sysadmin, key=key, value="85", effective_from=start, agency=None, reason="再调整")
    assert param_rows(key)[-1] == ("deployment", None, "85", start, None)
    assert [e.changes["value"] for e in AuditEvent.objects.filter(action="core.rule_parameter.set").order_by("seq")] == [
        {"before": "90", "after": "88"},
        {"before": "88", "after": "85"},
    ]


def test_rule_parameter_deployment_value_by_a_subordinate_admin_refused(world):
    refused(
        lambda: services.rule_parameter_set(
            actor=world.sub_sysadmin,
            key="perf.grade_excellent_min",
            value="92",
            effective_from=timezone.localdate(),
            agency=None,
            reason="x",
        ),
        PermissionDenied,
        message="只有顶级单位的系统管理员可以修改全平台规则参数",
    )


@pytest.mark.parametrize("who", ["pm", "secadmin", "auditadmin", "other_sysadmin", "sub_sysadmin"])
def test_rule_parameter_for_the_city_refused(world, who):
    denied(
        lambda: services.rule_parameter_set(
            actor=getattr(world, who),
            key="perf.grade_excellent_min",
            value="92",
            effective_from=timezone.localdate(),
            agency=world.city,
            reason="x",
        ),
        PARAM,
    )


def test_rule_parameter_needs_a_reason(world):
    refused(
        lambda: services.rule_parameter_set(
            actor=world.sysadmin,
            key="perf.grade_excellent_min",
            value="92",
            effective_from=timezone.localdate(),
            agency=world.city,
            reason=" ",
        ),
        code="core.rule_parameter_reason",
        message="请填写调整依据或原因",
    )


def test_rule_parameter_unknown_key(world):
    refused(
        lambda: services.rule_parameter_set(
            actor=world.sysadmin,
            key="no.such.key",
            value="92",
            effective_from=timezone.localdate(),
            agency=world.city,
            reason="x",
        ),
        code="core.rule_parameter_unknown",
        message="没有规则参数 no.such.key",
    )


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("perf.grade_excellent_min", "五", "“绩效等级“优”最低分”的取值“五”不是有效的整数"),
        ("perf.grade_excellent_min", "-1", "“绩效等级“优”最低分”不能为负数（填写的是 -1）"),
        ("qdep.max_ratio", "120", "“质量保证金预留比例上限”须在 0% 到 100% 之间（填写的是 120%）"),
        ("tender.mandatory.construction", "-5", "“施工单项合同必须招标金额”不能为负数（填写的是 -5）"),
    ],
)
def test_rule_parameter_bad_values(world, key, value, message):
    refused(
        lambda: services.rule_parameter_set(
            actor=world.sysadmin, key=key, value=value, effective_from=timezone.localdate(), agency=world.city, reason="x"
        ),
        code="core.rule_parameter_value",
        message=message,
    )


def test_rule_parameter_earlier_than_a_later_value_refused(world):
    key = "perf.grade_excellent_min"
    today = timezone.localdate()
    services.rule_parameter_set(
        actor=world.sysadmin, key=key, value="92", effective_from=today + dt.timedelta(days=10), agency=world.city, reason="x"
    )
    refused(
        lambda: services.rule_parameter_set(
            actor=world.sysadmin, key=key, value="93", effective_from=today, agency=world.city, reason="y"
        ),
        code="core.rule_parameter_future",
        message=f"该参数已有晚于 {today:%Y-%m-%d} 生效的取值，请先处理后续取值",
    )


# ------------------------------------------------------------------------------------------ misc


def test_model_validation_message():
    assert (
        services.model_validation_message(ValidationError({"name": ["不能为空", "太短"], "code": ["无效"]}))
        == "name：不能为空，太短；code：无效"
    )
    assert services.model_validation_message(ValidationError(["甲", "乙"])) == "甲；乙"


# ------------------------------------------------------------------------------------------ installation


def bootstrap_admins() -> list[tuple[str, str, str]]:
    return [
        ("system_admin", "xtgly", "系统管理员"),
        ("security_admin", "aqgly", "安全管理员"),
        ("audit_admin", "sjy", "安全审计员"),
    ]


def test_platform_bootstrap_opens_the_three_administrators(db):
    top = AgencyFactory(name="临海市机关事务管理局")
    seq = last_seq()
    result = services.platform_bootstrap(agency=top, admins=bootstrap_admins())
    assert [u.username for u, _ in result] == ["xtgly", "aqgly", "sjy"]
    for user, initial in result:
        user.refresh_from_db()
        assert user.check_password(initial)
        assert (user.agency_id, user.must_change_password) == (top.pk, True)
    assert sorted(RoleGrant.objects.filter(agency=top).values_list("user__username", "role", "granted_by", "note")) == [
        ("aqgly", "security_admin", None, "系统安装时开设"),
        ("sjy", "audit_admin", None, "系统安装时开设"),
        ("xtgly", "system_admin", None, "系统安装时开设"),
    ]
    events = new_events(seq)
    assert [(e.action, e.actor_id, e.agency_id) for e in events] == [("org.role.grant", None, top.pk)] * 3
    assert events[0].summary == "安装：开设系统管理员账号 xtgly（系统管理员）"
    # and the three can do their jobs, and only those
    sysadmin, secadmin, auditor = (u for u, _ in result)
    assert perms.can(sysadmin, perms.ORG_MANAGE, top.pk) and not perms.can(sysadmin, perms.ROLE_GRANT, top.pk)
    assert perms.can(secadmin, perms.ROLE_GRANT, top.pk) and not perms.can(secadmin, perms.ORG_MANAGE, top.pk)
    assert perms.can(auditor, perms.AUDIT_VIEW, top.pk) and not perms.can(auditor, perms.ORG_MANAGE, top.pk)


def test_platform_bootstrap_with_given_password(db):
    top = AgencyFactory()
    result = services.platform_bootstrap(agency=top, admins=bootstrap_admins(), password="Install#2026")
    assert [p for _, p in result] == ["Install#2026"] * 3


@pytest.mark.parametrize(
    "admins",
    [
        [("system_admin", "a", "甲"), ("security_admin", "b", "乙")],
        [("system_admin", "a", "甲"), ("security_admin", "b", "乙"), ("audit_admin", "c", "丙"), ("audit_admin", "d", "丁")],
        [("system_admin", "a", "甲"), ("system_admin", "b", "乙"), ("audit_admin", "c", "丙")],
        [("system_admin", "a", "甲"), ("security_admin", "b", "乙"), ("project_manager", "c", "丙")],
        [],
    ],
)
def test_platform_bootstrap_needs_exactly_the_three(db, admins):
    top = AgencyFactory()
    refused(
        lambda: services.platform_bootstrap(agency=top, admins=admins),
        code="org.bootstrap_roles",
        message="须且只须开设系统管理员、安全管理员、安全审计员各一名",
    )


def test_platform_bootstrap_only_for_a_top_agency(world):
    refused(
        lambda: services.platform_bootstrap(agency=world.sub, admins=bootstrap_admins()),
        code="org.bootstrap_top",
        message="只能为顶级单位开设三员账号",
    )


def test_platform_bootstrap_weak_password_changes_nothing(db):
    top = AgencyFactory()
    err = refused(lambda: services.platform_bootstrap(agency=top, admins=bootstrap_admins(), password="short"), ValidationError)
    assert "密码长度不少于8位（当前5位）" in err.messages


def test_platform_bootstrap_duplicate_username_changes_nothing(world):
    # the third account collides with an existing one: the first two must roll back too
    admins = [("system_admin", "xtgly", "甲"), ("security_admin", "aqgly", "乙"), ("audit_admin", "liming", "丙")]
    top = AgencyFactory()
    err = refused(lambda: services.platform_bootstrap(agency=top, admins=admins, password="Install#2026"), Exception)
    # (installation-time only; the database's unique index is what refuses: no Chinese message here)
    assert type(err).__name__ == "IntegrityError"


def test_every_write_keeps_the_audit_chain_valid(world):
    services.department_create(actor=world.sysadmin, agency=world.city, name="办公室")
    services.role_grant(actor=world.secadmin, user=world.no_role, agency=world.city, role=Role.ARCHIVIST)
    result = audit_chain_verify()
    assert result.ok, result.problem
    assert result.checked == AuditEvent.objects.count()


# ------------------------------------------------------------------------------------------ agency code (项目编号前缀)


def test_agency_code_is_upper_cased_or_defaults_to_the_organisation_code(world):
    # given two new subordinates, one with a chosen code in lower case and one without
    chosen = services.agency_create(actor=world.sysadmin, parent=world.city, **agency_fields(11, code=" ljgc "))
    defaulted = services.agency_create(actor=world.sysadmin, parent=world.city, **agency_fields(12))
    # then the first keeps its code upper-cased; the second takes the 组织机构代码 (characters 9–17 of its credit code)
    assert chosen.code == "LJGC"
    assert defaulted.code == make_credit_code(9012, prefix="11")[8:17] == "000009012"


def test_agency_code_already_taken_or_malformed_is_refused(world):
    err = refused(
        lambda: services.agency_create(actor=world.sysadmin, parent=world.city, **agency_fields(13, code="LJJG")),
        ValidationError,
    )
    assert err.message_dict["code"] == ["具有 单位代码 的 机关单位 已存在。"]
    err = refused(
        lambda: services.agency_create(actor=world.sysadmin, parent=world.city, **agency_fields(14, code="临江-1")),
        ValidationError,
    )
    assert err.message_dict["code"] == ["单位代码应为 2–10 位大写英文字母或数字（填写的是“临江-1”），如 LJJG"]


def test_agency_code_can_change_until_something_is_numbered(world):
    # given the subordinate without any number issued yet: its code can change
    agency = services.agency_update(actor=world.sub_sysadmin, agency=world.sub, code="ljhq2")
    assert agency.code == "LJHQ2"
    # when a number has been issued with it
    assert next_number(agency=agency, key="project", year=2026, prefix=agency.code) == "LJHQ2-2026-0001"
    # then changing the code is refused with the number it already prefixes, and nothing changed
    refused(
        lambda: services.agency_update(actor=world.sub_sysadmin, agency=agency, code="LJHQ"),
        code="org.agency_code_in_use",
        message="单位代码 LJHQ2 已用于本单位的项目编号（最近为 LJHQ2-2026-0001），不能改为 LJHQ",
    )
    # and a blank code in the edit form leaves it as it is
    assert services.agency_update(actor=world.sub_sysadmin, agency=agency, code="", address="临江市府前路8号").code == "LJHQ2"


def test_migration_gives_every_agency_a_distinct_code(world):
    # given agencies whose codes are to be filled, two of them sharing the 组织机构代码 part of the credit code
    import importlib

    from django.apps import apps

    migration = importlib.import_module("govworks.org.migrations.0002_agency_code")
    twin_code = "12" + world.other.credit_code[2:8] + world.city.credit_code[8:17]
    twin_code += credit_code_check_char(twin_code[:17])
    Agency.objects.filter(pk=world.other.pk).update(credit_code=twin_code)
    # when the data migration runs
    migration.fill_codes(apps, None)
    # then each agency has the organisation code of its credit code, the later twin with a digit appended
    codes = dict(Agency.objects.values_list("pk", "code"))
    assert codes[world.city.pk] == world.city.credit_code[8:17]
    assert codes[world.sub.pk] == world.sub.credit_code[8:17]
    assert codes[world.other.pk] == world.city.credit_code[8:17] + "1"
    assert len(set(codes.values())) == len(codes)
