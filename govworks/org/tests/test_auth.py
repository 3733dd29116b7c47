"""Sign-in security (等保 practice): Chinese login page, login/logout/failure events in the audit trail, lockout
after repeated failures and unlock by the 安全管理员, forced first password change with the password policy,
and the idle timeout — each driven by its rule parameter."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govworks.core.models import AuditEvent
from govworks.org.models import User
from govworks.org.services import rule_parameter_set
from govworks.org.tests.factories import PASSWORD, UserFactory

LOGIN = reverse("login")
HOME = reverse("home")
CHANGE = reverse("password_change")
NEW_PASSWORD = "Neu#Pass2026"


def actions(**filters: Any) -> list[str]:
    return list(AuditEvent.objects.filter(**filters).order_by("seq").values_list("action", flat=True))


def attempts() -> list[tuple[Any, ...]]:
    return list(AccessAttempt.objects.order_by("pk").values_list("username", "ip_address", "failures_since_start"))


def user_row(user: User) -> tuple[Any, ...]:
    return (
        User.objects.filter(pk=user.pk).values_list("password", "must_change_password", "password_changed_at", "is_active").get()
    )


def login(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def signed_in_user_id(client: Client) -> Any:
    return client.session.get("_auth_user_id")


def lock(client: Client, username: str, times: int = 6) -> list[int]:
    return [login(client, username, "wrong-Pass1").status_code for _ in range(times)]


def signed_in(user: User) -> Client:
    """A browser session of ``user`` (force_login records an auth.login event like a real sign-in)."""
    c = Client()
    c.force_login(user)
    return c


# ---------------------------------------------------------------------------------------- login page and login


@pytest.mark.django_db
def test_login_page_is_in_chinese(client):
    """Given an anonymous visitor, when the login page is opened, then it is the Chinese sign-in form."""
    response = client.get(LOGIN)

    assert response.status_code == 200
    html = response.content.decode()
    assert "账号登录" in html
    assert "用户名" in html
    assert "密码" in html
    assert "机关工程管理平台" in html
    assert response["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_home_requires_sign_in(client):
    """Given an anonymous visitor, when the home page is opened, then it redirects to the login page."""
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={HOME}"


def test_successful_login_goes_home_and_is_recorded(client, world):
    """Given 李明 with his password, when he signs in, then he is redirected home, signed in, and an auth.login
    event names him, his agency, the request id and his IP."""
    before = AuditEvent.objects.count()

    response = login(client, "liming", PASSWORD, HTTP_X_REQUEST_ID="req-login-1")

    assert response.status_code == 302
    assert response["Location"] == HOME
    assert signed_in_user_id(client) == str(world.pm.pk)
    assert client.get(HOME).status_code == 200
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(action="auth.login")
    assert (event.actor_id, event.agency_id, event.object_type, event.object_id) == (
        world.pm.pk,
        world.city.pk,
        "org.user",
        str(world.pm.pk),
    )
    assert event.summary == "李明 登录"
    assert (event.request_id, event.ip) == ("req-login-1", "127.0.0.1")


def test_wrong_password_is_refused_in_chinese_and_recorded(client, world):
    """Given 李明, when he types a wrong password, then the page says 用户名或密码不正确, he is not signed in,
    and an auth.login_failed event names his account (no actor: nobody was authenticated)."""
    response = login(client, "liming", "wrong-Pass1")

    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert actions() == ["auth.login_failed"]
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert (event.actor_id, event.agency_id, event.object_id) == (None, world.city.pk, str(world.pm.pk))
    assert event.summary == "账号 liming 登录失败（密码错误或账号不存在）"
    assert attempts() == [("liming", "127.0.0.1", 1)]


def test_unknown_account_gets_the_same_message(client, world):
    """Given no account 'nobody', when someone tries it, then the same message as a wrong password (no account
    enumeration) and a login_failed event with no object."""
    response = login(client, "nobody", "wrong-Pass1")

    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert (event.actor_id, event.agency_id, event.object_id) == (None, None, "")


def test_successful_login_resets_the_failure_count(client, world):
    """Given four failures, when the right password is used, then the count restarts: four more failures do not lock."""
    assert lock(client, "liming", times=4) == [200] * 4
    assert login(client, "liming", PASSWORD).status_code == 302
    client.post(reverse("logout"))

    assert lock(client, "liming", times=4) == [200] * 4
    assert "auth.lockout" not in actions()


# ---------------------------------------------------------------------------------------- lockout and unlock


def test_repeated_failures_lock_the_account_even_against_the_right_password(client, world):
    """Given security.lockout_failures = 5, when 李明 types a wrong password six times in a row, then the first four
    show the login error, the fifth and sixth answer 403 '账号已锁定' naming 5 failures, an auth.lockout event exists,
    and afterwards even the CORRECT password is refused and nothing is signed in."""
    statuses = []
    pages = []
    for _ in range(6):
        response = login(client, "liming", "wrong-Pass1")
        statuses.append(response.status_code)
        pages.append(response.content.decode())

    assert statuses == [200, 200, 200, 200, 403, 403]
    assert all("用户名或密码不正确" in p for p in pages[:4])
    assert "账号已锁定" not in pages[3]
    for page in pages[4:]:
        assert "账号已锁定" in page
        assert "该账号连续 5 次密码错误，已被锁定" in page
        assert "请联系本单位安全管理员核实身份后解锁" in page
    # failures 1-5 are wrong passwords, the 5th locks the account; the 6th is refused without checking the password
    assert actions() == ["auth.login_failed"] * 4 + ["auth.lockout", "auth.login_failed", "auth.login_refused_locked"]
    first = AuditEvent.objects.filter(action="auth.lockout").order_by("seq").first()
    assert (first.actor_id, first.agency_id, first.object_id) == (None, world.city.pk, str(world.pm.pk))
    assert first.summary == "账号 liming 连续登录失败，已被锁定"
    events_before = AuditEvent.objects.count()

    response = login(client, "liming", PASSWORD)

    assert response.status_code == 403
    assert "账号已锁定" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert actions(seq__gt=events_before) == ["auth.login_refused_locked"]
    assert "auth.login" not in actions()


def test_lockout_is_per_account_not_per_address(client, world):
    """Given 李明 locked out from 127.0.0.1, when a colleague signs in from the same address (one NAT for the whole
    building), then the colleague gets in (ADR 0003: lock by user name)."""
    lock(client, "liming")

    response = login(Client(), "zhaolx", PASSWORD)

    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.login", actor=world.leader).count() == 1


def test_lockout_threshold_follows_the_rule_parameter(client, world):
    """Given the city sets security.lockout_failures = 3, when 李明 fails three times, then the third answer is
    already the lockout page naming 3."""
    rule_parameter_set(
        actor=world.secadmin,
        key="security.lockout_failures",
        value="3",
        effective_from=timezone.localdate(),
        agency=world.city,
        reason="安全策略调整",
    )
    statuses = []
    for _ in range(3):
        response = login(client, "liming", "wrong-Pass1")
        statuses.append(response.status_code)

    assert statuses == [200, 200, 403]
    assert "该账号连续 3 次密码错误，已被锁定" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.lockout", object_id=str(world.pm.pk)).exists()


def test_security_admin_unlocks_and_the_account_signs_in_again(client, world):
    """Given 李明 locked out, when the security administrator sees him on the lockout list and unlocks him (POST),
    then an auth.unlock event records the cleared attempts, and 李明 signs in with his password."""
    lock(client, "liming")
    assert attempts() == [("liming", "127.0.0.1", 6)]
    admin = signed_in(world.secadmin)
    assert "liming" in admin.get(reverse("org:lockout_list")).content.decode()

    response = admin.post(reverse("org:account_unlock", args=[world.pm.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("org:lockout_list")
    assert attempts() == []
    event = AuditEvent.objects.get(action="auth.unlock")
    assert (event.actor_id, event.agency_id, event.object_id) == (world.secadmin.pk, world.city.pk, str(world.pm.pk))
    assert event.summary == "解锁账号 liming"
    assert event.changes == {"cleared_attempts": 1}

    response = login(client, "liming", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == HOME
    assert signed_in_user_id(client) == str(world.pm.pk)
    assert AuditEvent.objects.filter(action="auth.login", actor=world.pm).count() == 1


@pytest.mark.parametrize("who", ["pm", "sysadmin", "auditadmin", "other_sysadmin"])
def test_only_the_security_admin_may_unlock(client, world, who):
    """Given 无角色 (norole) locked out, when a project manager of the same agency (or the system or audit
    administrator — 三员分立 — or another agency's administrator) POSTs the unlock, then 403 (404 for the other
    agency, which may not even see the account), the lockout stays, no auth.unlock event is written, and the
    correct password is still refused."""
    lock(client, "norole")
    intruder = signed_in(getattr(world, who))
    before_attempts, before_events = attempts(), AuditEvent.objects.count()
    assert before_attempts == [("norole", "127.0.0.1", 6)]

    response = intruder.post(reverse("org:account_unlock", args=[world.no_role.pk]))

    assert response.status_code == (404 if who == "other_sysadmin" else 403)
    assert attempts() == before_attempts
    assert AuditEvent.objects.count() == before_events
    assert "auth.unlock" not in actions()
    assert login(client, "norole", PASSWORD).status_code == 403


def test_unlock_needs_post(client, world):
    """Given 李明 locked out, when the security admin merely GETs the unlock address, then 405 and nothing changes."""
    lock(client, "liming")
    admin = signed_in(world.secadmin)
    before_attempts, before_events = attempts(), AuditEvent.objects.count()

    assert admin.get(reverse("org:account_unlock", args=[world.pm.pk])).status_code == 405

    assert attempts() == before_attempts
    assert AuditEvent.objects.count() == before_events


# ---------------------------------------------------------------------------------------- password change


@pytest.fixture
def newcomer(world):
    """An account with an initial password that must be changed at first sign-in."""
    return UserFactory(username="xinren", full_name="新人", agency=world.city, must_change_password=True)


def test_initial_password_forces_the_change_page(newcomer):
    """Given an account that must change its password, when it opens any page, then it is sent to the change form
    (the API answers 403 in JSON); the change form itself and logout stay reachable."""
    c = signed_in(newcomer)

    response = c.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == CHANGE
    assert c.get(reverse("org:user_list")).status_code == 302
    api = c.get("/api/")
    assert api.status_code == 403
    assert "请先修改初始密码" in api.content.decode()
    page = c.get(CHANGE)
    assert page.status_code == 200
    assert "请先设置您自己的密码" in page.content.decode()
    assert c.post(reverse("logout")).status_code == 302


@pytest.mark.parametrize(
    ("new_password", "messages"),
    [
        ("abc", ["密码长度不少于8位（当前3位）", "密码须包含大写字母、小写字母、数字、特殊字符中的至少3类（当前1类）"]),
        ("abcdefgh1", ["密码须包含大写字母、小写字母、数字、特殊字符中的至少3类（当前2类）"]),
    ],
)
def test_password_policy_refuses_weak_passwords(newcomer, new_password, messages):
    """Given the first-login change form, when the new password is too short / has too few character classes,
    then the form shows the Chinese policy message(s) and nothing changed (password, flag, no event)."""
    c = signed_in(newcomer)
    before_user, before_events = user_row(newcomer), AuditEvent.objects.count()

    response = c.post(CHANGE, {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password})

    assert response.status_code == 200
    html = response.content.decode()
    for message in messages:
        assert message in html
    assert user_row(newcomer) == before_user
    assert AuditEvent.objects.count() == before_events
    assert "auth.password_change" not in actions()


def test_password_equal_to_the_user_name_is_refused(world):
    """Given an account whose user name would itself satisfy length and classes (Wang.Fang2026), when it picks its
    user name as password, then '密码不能与用户名相同' and nothing changed."""
    user = UserFactory(username="Wang.Fang2026", full_name="王芳", agency=world.city, must_change_password=True)
    c = signed_in(user)
    before_user, before_events = user_row(user), AuditEvent.objects.count()

    response = c.post(CHANGE, {"old_password": PASSWORD, "new_password1": "Wang.Fang2026", "new_password2": "Wang.Fang2026"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "密码不能与用户名相同" in html
    assert "密码长度不少于8位（当前" not in html
    assert "至少3类（当前" not in html
    assert user_row(user) == before_user
    assert AuditEvent.objects.count() == before_events


@pytest.mark.parametrize(
    ("old", "new1", "new2", "message"),
    [
        ("wrong-Old1", NEW_PASSWORD, NEW_PASSWORD, "原密码不正确"),
        (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "两次输入的新密码不一致"),
        (PASSWORD, PASSWORD, PASSWORD, "新密码不能与原密码相同"),
    ],
)
def test_password_change_other_refusals(newcomer, old, new1, new2, message):
    """Wrong old password, mismatched repetition or an unchanged password are refused in Chinese; nothing changed."""
    c = signed_in(newcomer)
    before_user, before_events = user_row(newcomer), AuditEvent.objects.count()

    response = c.post(CHANGE, {"old_password": old, "new_password1": new1, "new_password2": new2})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert user_row(newcomer) == before_user
    assert AuditEvent.objects.count() == before_events


def test_password_change_clears_the_flag_and_is_recorded(newcomer):
    """Given the first-login change form, when a policy-compliant new password is saved, then the user goes home,
    stays signed in, must_change_password is cleared, the time is stamped, and auth.password_change is recorded."""
    c = signed_in(newcomer)

    response = c.post(CHANGE, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == HOME
    newcomer.refresh_from_db()
    assert newcomer.must_change_password is False
    assert newcomer.check_password(NEW_PASSWORD)
    assert not newcomer.check_password(PASSWORD)
    assert newcomer.password_changed_at is not None
    assert abs(newcomer.password_changed_at - timezone.now()) < dt.timedelta(minutes=1)
    event = AuditEvent.objects.get(action="auth.password_change")
    assert (event.actor_id, event.object_id, event.summary) == (newcomer.pk, str(newcomer.pk), "修改本人密码")
    assert c.get(HOME).status_code == 200
    assert login(Client(), "xinren", NEW_PASSWORD).status_code == 302


# ---------------------------------------------------------------------------------------- idle timeout and logout


def idle_for(c: Client, seconds: float) -> None:
    session = c.session
    session["gw_last_seen"] = time.time() - seconds
    session.save()


def test_idle_session_is_signed_out(world):
    """Given 李明 signed in and idle for 31 minutes (limit 30), when he clicks, then he is sent to the login page,
    signed out, and auth.idle_timeout is recorded."""
    c = signed_in(world.pm)
    assert c.get(HOME).status_code == 200
    idle_for(c, 31 * 60)

    response = c.get(HOME)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={HOME}"
    assert signed_in_user_id(c) is None
    event = AuditEvent.objects.get(action="auth.idle_timeout")
    assert (event.actor_id, event.agency_id, event.summary) == (world.pm.pk, world.city.pk, "会话空闲超时，自动退出")
    assert c.get(HOME)["Location"] == f"{LOGIN}?next={HOME}"


def test_activity_within_the_limit_keeps_the_session(world):
    """Given 李明 idle for 29 minutes, when he clicks, then the page opens and no timeout is recorded."""
    c = signed_in(world.pm)
    idle_for(c, 29 * 60)

    assert c.get(HOME).status_code == 200
    assert signed_in_user_id(c) == str(world.pm.pk)
    assert "auth.idle_timeout" not in actions()
    assert abs(c.session["gw_last_seen"] - time.time()) < 60


def test_idle_timeout_on_an_htmx_request_redirects_the_page(world):
    """Given an idle session, when an HTMX request arrives, then 204 with HX-Redirect to the login page."""
    c = signed_in(world.pm)
    idle_for(c, 31 * 60)

    response = c.get(HOME, HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Redirect"] == LOGIN
    assert actions(action="auth.idle_timeout") == ["auth.idle_timeout"]


def test_idle_timeout_follows_the_rule_parameter(world):
    """Given the city's 安全管理员 sets security.idle_timeout_minutes to 20 (the 等保 bound is 30), when 李明 is idle
    19 minutes, then he stays signed in; after 21 minutes he is signed out. Given the city lowers it to 10, then
    11 minutes already sign him out."""
    rule_parameter_set(
        actor=world.secadmin,
        key="security.idle_timeout_minutes",
        value="20",
        effective_from=timezone.localdate(),
        agency=world.city,
        reason="内网办公区",
    )
    c = signed_in(world.pm)
    idle_for(c, 19 * 60)
    assert c.get(HOME).status_code == 200
    assert "auth.idle_timeout" not in actions()

    idle_for(c, 21 * 60)
    assert c.get(HOME).status_code == 302
    assert actions(action="auth.idle_timeout") == ["auth.idle_timeout"]

    rule_parameter_set(
        actor=world.secadmin,
        key="security.idle_timeout_minutes",
        value="10",
        effective_from=timezone.localdate(),
        agency=world.city,
        reason="收紧",
    )
    c = signed_in(world.pm)
    idle_for(c, 11 * 60)
    assert c.get(HOME).status_code == 302
    assert actions(action="auth.idle_timeout") == ["auth.idle_timeout", "auth.idle_timeout"]


def test_logout_is_recorded(world):
    """Given 李明 signed in, when he logs out (POST), then he goes to the login page, is signed out, and auth.logout is recorded."""
    c = signed_in(world.pm)

    response = c.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert signed_in_user_id(c) is None
    event = AuditEvent.objects.get(action="auth.logout")
    assert (event.actor_id, event.agency_id, event.summary) == (world.pm.pk, world.city.pk, "李明 退出")


def test_logout_by_get_is_refused(world):
    """Given 李明 signed in, when a GET hits the logout address (e.g. an <img> on a hostile page), then 405 and he stays in."""
    c = signed_in(world.pm)
    before = AuditEvent.objects.count()

    assert c.get(reverse("logout")).status_code == 405

    assert signed_in_user_id(c) == str(world.pm.pk)
    assert AuditEvent.objects.count() == before


def test_login_page_states_the_configured_limits(client, world):
    """Given the deployment-wide security.lockout_failures = 3 and security.idle_timeout_minutes = 15 (rules are data,
    DOMAIN.md §5: never hard-coded), when the login page is opened, then its hint states 3 failures and 15 minutes,
    not the defaults 5 and 30."""
    today = timezone.localdate()
    rule_parameter_set(
        actor=world.secadmin, key="security.lockout_failures", value="3", effective_from=today, agency=None, reason="收紧"
    )
    rule_parameter_set(
        actor=world.secadmin, key="security.idle_timeout_minutes", value="15", effective_from=today, agency=None, reason="收紧"
    )

    html = client.get(LOGIN).content.decode()

    assert "连续5次密码错误将锁定账号" not in html
    assert "30分钟无操作自动退出" not in html
    assert "3次" in html
    assert "15分钟" in html
