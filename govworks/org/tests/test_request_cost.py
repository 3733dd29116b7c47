"""What a signed-in request costs before the view (issue 20 item 1), and that what is remembered between
requests — the person's grants and readable agencies, the menu, the idle timeout — is never stale and
never crosses people or agencies.

The signed-in user is loaded with stamps of their grants, the agency tree and the rule parameters
(``permissions.access_stamps``); what a process computed for an earlier request is reused only while
those stamps are the same. Writes made "in another process" are simulated here by plain ORM updates,
which clear no cache of this process: only the stamps can make the next request see them."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from govworks.core.models import RuleParameter
from govworks.org import permissions as perms
from govworks.org.models import RoleGrant
from govworks.org.roles import Role
from govworks.org.services import role_grant, role_revoke, rule_parameter_set

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    c.get("/healthz")  # the first request stamps the session (last seen) once
    return c


def queries_of(c: Client, path: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = c.get(path)
    return response.status_code, [q["sql"] for q in ctx.captured_queries]


def test_signed_in_healthz_reads_the_session_and_the_user_and_writes_nothing(world):
    """Given 李明 signed in, when he requests /healthz again and again within the minute, then each request
    runs two queries (the session, the user with the stamps of his grants, the tree and the rule
    parameters) — the idle timeout's rule parameter is not read again — and none of them writes."""
    c = signed_in(world.pm)
    c.get("/healthz")  # reads and remembers the idle timeout of his agency
    for _ in range(3):
        status, sql = queries_of(c, "/healthz")
        assert status == 200
        assert len(sql) == 2, sql
        assert not [q for q in sql if q.lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]


def test_a_simple_page_reuses_the_scope_and_menu_of_the_earlier_request(world):
    """Given 李明 has opened the agency list once, when he opens it again, then his grants and readable
    agencies are not read again: the page costs fewer queries, and the same number every time."""
    c = signed_in(world.pm)
    path = reverse("org:agency_list")
    first_status, first = queries_of(c, path)
    counts = [len(queries_of(c, path)[1]) for _ in range(3)]
    assert first_status == 200
    assert counts == [counts[0]] * 3
    assert counts[0] < len(first)
    assert counts[0] <= 4, counts
    grant_reads = [q for q in queries_of(c, path)[1] if q.startswith('SELECT "org_rolegrant"')]
    assert not grant_reads


def test_revoking_a_grant_refuses_the_very_next_request(world):
    """Security: given 李明 reads the agency list (his role carries 查看组织机构), when the 安全管理员 revokes his
    role, then his next request is refused — the remembered scope is not used."""
    c = signed_in(world.pm)
    path = reverse("org:agency_list")
    assert c.get(path).status_code == 200
    assert c.get(path).status_code == 200
    for grant in RoleGrant.objects.active().filter(user=world.pm):
        role_revoke(actor=world.secadmin, grant=grant, reason="调离")
    assert c.get(path).status_code == 403


def test_a_revoke_made_by_another_process_is_seen_by_the_next_request(world):
    """Security: the same when the revoke happened in another worker process (here: a plain UPDATE that clears
    nothing in this process) — the grants stamp read with the user has changed."""
    c = signed_in(world.pm)
    path = reverse("org:agency_list")
    assert c.get(path).status_code == 200
    assert c.get(path).status_code == 200
    RoleGrant.objects.filter(user=world.pm).update(revoked_at=timezone.now())
    assert c.get(path).status_code == 403


def test_a_grant_given_in_another_process_is_seen_by_the_next_request(world):
    """Given a person without any role is refused the agency list, when a role is granted (plain INSERT, as
    from another worker), then the next request opens it."""
    c = signed_in(world.no_role)
    path = reverse("org:agency_list")
    assert c.get(path).status_code == 403
    assert c.get(path).status_code == 403
    RoleGrant.objects.create(user=world.no_role, agency=world.city, role=Role.PROJECT_MANAGER, granted_by=world.secadmin)
    assert c.get(path).status_code == 200


def test_a_grant_given_through_the_service_changes_the_menu(world):
    """Given a person without a role sees no 组织机构 entry in the menu, when the 安全管理员 grants a role,
    then the next page shows it (the remembered menu is not reused)."""
    c = signed_in(world.no_role)
    assert "岗位与岗位说明书" not in c.get("/").content.decode()
    role_grant(actor=world.secadmin, user=world.no_role, agency=world.city, role=Role.PROJECT_MANAGER)
    assert "岗位与岗位说明书" in c.get("/").content.decode()


def idle_for(c: Client, seconds: float) -> None:
    session = c.session
    session["gw_last_seen"] = time.time() - seconds
    session.save()


def test_a_changed_idle_timeout_applies_to_the_next_request(world):
    """Given 李明's idle timeout (30 minutes) is remembered, when the city's parameter is lowered to 10
    through the service, then 11 idle minutes sign him out on the next request."""
    c = signed_in(world.pm)
    idle_for(c, 11 * 60)
    assert c.get("/healthz").status_code == 200
    rule_parameter_set(
        actor=world.secadmin,
        key="security.idle_timeout_minutes",
        value="10",
        effective_from=timezone.localdate(),
        agency=world.city,
        reason="收紧",
    )
    idle_for(c, 11 * 60)
    assert c.get("/healthz").status_code == 302


def test_an_idle_timeout_changed_in_another_process_applies_to_the_next_request(world):
    """The same when the parameter row was written by another process (a plain ORM write that clears no
    memo here): the rule-parameter stamp read with the user has changed."""
    c = signed_in(world.pm)
    idle_for(c, 11 * 60)
    assert c.get("/healthz").status_code == 200
    template = RuleParameter.objects.filter(key="security.idle_timeout_minutes", scope=RuleParameter.Scope.DEPLOYMENT).first()
    assert template is not None
    RuleParameter.objects.create(
        key=template.key,
        name=template.name,
        category=template.category,
        value="10",
        value_type=template.value_type,
        unit=template.unit,
        scope=RuleParameter.Scope.AGENCY,
        agency=world.city,
        effective_from=timezone.localdate(),
        source=template.source,
        status=template.status,
    )
    idle_for(c, 11 * 60)
    assert c.get("/healthz").status_code == 302


def test_nothing_remembered_crosses_people_or_agencies(world):
    """Given two 工程管理岗 of different agencies and an administrator use the same process in turn, each sees
    his own agencies and his own menu, whatever the other opened before."""
    path = reverse("org:agency_list")
    clients = {who: signed_in(getattr(world, who)) for who in ("pm", "other_pm", "secadmin")}
    for _ in range(2):
        for who, c in clients.items():
            page = c.get(path).content.decode()
            if who == "pm":
                assert world.city.name in page and world.other.name not in page
            if who == "other_pm":
                assert world.other.name in page and world.city.name not in page
            menu = c.get("/").content.decode()
            assert ("角色授权" in menu) == (who == "secadmin")
    scopes = {key[0]: scope for key, scope in perms._SHARED_SCOPES.items()}
    assert scopes[world.pm.pk] is not scopes[world.other_pm.pk]
    assert scopes[world.pm.pk].readable_agency_ids != scopes[world.other_pm.pk].readable_agency_ids
