"""Project-wide fixtures: a small organisation world with every kind of actor the role matrix needs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class World:
    """Two sibling top agencies (city, other) and city's subordinate (sub), with people in each role."""

    city: Any
    sub: Any
    other: Any
    construction: Any  # city's 基建科
    sysadmin: Any
    secadmin: Any
    auditadmin: Any
    pm: Any  # city 工程管理岗
    leader: Any  # city 分管领导
    discipline: Any
    no_role: Any  # city staff without any grant
    sub_pm: Any
    sub_sysadmin: Any
    other_pm: Any
    other_sysadmin: Any
    other_auditadmin: Any
    contractor_org: Any
    contractor: Any  # external user

    def actors(self, *, with_role: Any, superior: Any | None = None, other: Any | None = None) -> dict[str, Any]:
        """The standard actor set for a record of ``sub`` (superior = a city user) or of ``city``."""
        return {
            "anonymous": None,
            "other_agency": other or self.other_sysadmin,
            "no_role": self.no_role,
            "with_role": with_role,
            "superior": superior or self.pm,
            "external": self.contractor,
        }


@pytest.fixture
def world(db: Any) -> World:
    from govworks.core.rule_parameters import rule_parameters_seed
    from govworks.org.tests.factories import (
        AgencyFactory,
        DepartmentFactory,
        ExternalOrganizationFactory,
        RoleGrantFactory,
        UserFactory,
    )

    rule_parameters_seed()
    city = AgencyFactory(name="临江市机关事务管理局", short_name="市机关事务局", code="LJJG")
    sub = AgencyFactory(name="临江市市级机关后勤服务中心", short_name="后勤中心", parent=city, code="LJHQ")
    other = AgencyFactory(name="邻江市机关事务管理局", short_name="邻市机关事务局", code="LNJG")
    construction = DepartmentFactory(agency=city, name="基建科", is_construction=True)

    def person(username: str, agency: Any, role: str | None, **kw: Any) -> Any:
        user = UserFactory(username=username, full_name=kw.pop("full_name", username), agency=agency, **kw)
        if role:
            RoleGrantFactory(user=user, agency=agency, role=role)
        return user

    contractor_org = ExternalOrganizationFactory(name="临江建工集团有限公司", registered_by=city)
    return World(
        city=city,
        sub=sub,
        other=other,
        construction=construction,
        sysadmin=person("sysadmin", city, "system_admin", full_name="钱晓东"),
        secadmin=person("secadmin", city, "security_admin", full_name="冯磊"),
        auditadmin=person("auditadmin", city, "audit_admin", full_name="蒋红"),
        pm=person("liming", city, "project_manager", full_name="李明", department=construction),
        leader=person("zhaolx", city, "leader_in_charge", full_name="赵立新"),
        discipline=person("wuhy", city, "discipline", full_name="吴海燕"),
        no_role=person("norole", city, None, full_name="无角色"),
        sub_pm=person("caiyun", sub, "project_manager", full_name="蔡芸"),
        sub_sysadmin=person("subadmin", sub, "system_admin", full_name="后勤管理员"),
        other_pm=person("otherpm", other, "project_manager", full_name="邻市工程管理岗"),
        other_sysadmin=person("othersys", other, "system_admin", full_name="邻市系统管理员"),
        other_auditadmin=person("otheraudit", other, "audit_admin", full_name="邻市审计员"),
        contractor_org=contractor_org,
        contractor=UserFactory(username="machao", full_name="马超", agency=None, external_org=contractor_org),
    )


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch: Any) -> None:
    """``Client.force_login`` skips authentication altogether (no password), so here it also stands for the
    second factor: an administrator signed in this way gets a confirmed TOTP device and a verified session.
    The real two-step sign-in (password, then a TOTP code) is tested in govworks/org/tests/test_security.py."""
    from django.test import Client

    original = Client.force_login

    def force_login(self: Any, user: Any, backend: Any = None) -> None:
        original(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from govworks.org.permissions import is_administrator

        if not is_administrator(user):
            return
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="测试设备", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: sign-in rate limits (org.security) count in it."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def count_queries() -> Any:
    """count_queries(fn) -> number of SQL queries fn() ran."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run(fn: Any) -> int:
        with CaptureQueriesContext(connection) as ctx:
            fn()
        return len(ctx.captured_queries)

    return run


@pytest.fixture(autouse=True)
def _skip_postgres_only(request: Any) -> None:
    """Tests marked ``postgres_only`` (row locks, concurrent writers) run only against PostgreSQL."""
    if request.node.get_closest_marker("postgres_only") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(f"needs PostgreSQL (this run uses {connection.vendor})")
