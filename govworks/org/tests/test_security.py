"""Issue 12 (等保 2.0 三级), the organisation's part: no administrator can act as anyone (item 1), two-factor
sign-in (item 2), rate limits and lockouts that never disable the 安全管理员 for good (item 6), security
parameters with bounds and an owner (item 7), passwords without the user name (item 12)."""

from __future__ import annotations

import datetime as dt
import io
import time
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent, RuleParameter
from govworks.org import services
from govworks.org.models import AccountCode, RecoveryCode, RoleGrant, SecurityNotice, User
from govworks.org.rules import password_problems
from govworks.org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
HOME = reverse("home")
ACTIVATE = reverse("account_activate")
NEW_PASSWORD = "Lj#Safe2026x"


def login(client: Client, username: str, password: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


def signed_in_id(client: Client) -> Any:
    return client.session.get("_auth_user_id")


def actions(**filters: Any) -> list[str]:
    return list(AuditEvent.objects.filter(**filters).order_by("seq").values_list("action", flat=True))


def totp_now(device: TOTPDevice, *, step: int = 0) -> str:
    """The code an authenticator app shows (``step`` 30-second steps later)."""
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    totp.time = time.time() + step * device.step
    return f"{totp.token():0{device.digits}d}"


def _unthrottle(device: TOTPDevice) -> None:
    """django-otp delays the next try after a wrong code (1 s, then doubling); a test does not wait."""
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)


def state() -> tuple[Any, ...]:
    return (
        list(User.objects.order_by("pk").values_list("pk", "password", "must_change_password", "is_active")),
        list(AccountCode.objects.order_by("pk").values_list("pk", "used_at", "revoked_at")),
        list(RoleGrant.objects.order_by("pk").values_list("pk", "revoked_at")),
        list(RuleParameter.objects.order_by("pk").values_list("pk", "value", "effective_to")),
    )


def slip_from(response: Any) -> Any:
    assert response.status_code == 200
    return response.context["slip"]


# ================================================================= item 1: nobody acts as anyone else


def test_takeover_fails_at_the_first_step_the_sysadmin_cannot_reset_another_administrator(client, world):
    """Given the 系统管理员 钱晓东, when he tries to reset the 安全管理员's account (the first step of the takeover
    in issue 12), then he is refused (403) and nothing changed: no code, no password, no notice."""
    client.force_login(world.sysadmin)
    before = state()
    response = client.post(reverse("org:user_password_reset", args=[world.secadmin.pk]))
    assert response.status_code == 403
    assert state() == before
    assert not SecurityNotice.objects.exists()
    with pytest.raises(PermissionDenied, match="管理员账号（系统管理员、安全管理员、安全审计员）只能由安全管理员重置"):
        services.user_password_reset(actor=world.sysadmin, user=world.auditadmin)
    assert state() == before


def test_resetting_a_business_user_gives_the_sysadmin_no_password_and_no_way_in(client, world):
    """Given 赵立新 (分管领导) with his own password, when the 系统管理员 resets his account, then the page shows
    no password and no code on screen (the code is only on the print-only sealed slip), 赵立新's password
    is unchanged, and nothing on the page signs anyone in as him."""
    client.force_login(world.sysadmin)
    old = User.objects.get(pk=world.leader.pk).password
    response = client.post(reverse("org:user_password_reset", args=[world.leader.pk]))
    slip = slip_from(response)
    html = response.content.decode()
    assert "初始密码" not in html and "临时密码" not in html
    assert User.objects.get(pk=world.leader.pk).password == old
    # the code is inside the block that only a printer shows
    sealed = html.split('data-testid="sealed-code"', 1)[1].split("</div>\n        <div", 1)[0]
    assert slip.code in sealed and html.count(slip.code) == 1
    assert 'class="d-none d-print-block text-center mt-3" data-testid="sealed-code"' in html
    # and the code is no password: it signs nobody in
    other = Client()
    for guess in (slip.code, slip.code.replace("-", "")):
        assert login(other, "zhaolx", guess).status_code == 200
        assert signed_in_id(other) is None


def test_only_the_security_admin_resets_an_administrator_and_the_auditor_is_told(client, world):
    """Given the 安全管理员, when he resets the 系统管理员's account, then a reset code is issued, the audit
    event names him, and the 系统管理员's and the 安全审计员's workbenches show it."""
    client.force_login(world.secadmin)
    response = client.post(reverse("org:user_password_reset", args=[world.sysadmin.pk]))
    slip = slip_from(response)
    assert (slip.purpose, slip.issued_by) == ("reset", world.secadmin)
    event = AuditEvent.objects.get(action="org.user.password_reset")
    assert (event.actor_id, event.object_id) == (world.secadmin.pk, str(world.sysadmin.pk))
    assert event.summary.startswith("为管理员账号 sysadmin 开具并显示密码重置码密封单")
    title = "冯磊 为管理员账号 sysadmin（钱晓东）开具了密码重置码"
    assert set(SecurityNotice.objects.filter(title=title).values_list("recipient__username", flat=True)) == {
        "sysadmin",
        "auditadmin",
    }
    for who in (world.auditadmin, world.sysadmin):
        c = Client()
        c.force_login(who)
        assert title in c.get(HOME).content.decode()


def test_new_account_activation_code_chooses_the_holders_own_password(client, world):
    """Given the 系统管理员 opens 张三's account (a sealed slip, no password), when 张三 enters his user name and
    the code on the public page and chooses a password, then he signs in with it; the code works once; every
    step is on his and the auditor's workbench and in the audit trail."""
    client.force_login(world.sysadmin)
    response = client.post(
        reverse("org:user_create", args=[world.city.pk]), {"username": "zhangsan", "full_name": "张三", "phone": ""}
    )
    slip = slip_from(response)
    assert User.objects.get(username="zhangsan").has_usable_password() is False
    [row] = AccountCode.objects.filter(user__username="zhangsan")
    assert row.code_hash != slip.code and slip.code.replace("-", "") not in row.code_hash  # stored hashed
    assert abs(row.expires_at - row.issued_at - dt.timedelta(hours=24)) < dt.timedelta(seconds=5)  # security.account_code_hours

    holder = Client()
    form = {"username": "zhangsan", "code": slip.code.lower(), "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = holder.post(ACTIVATE, form)
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert login(holder, "zhangsan", NEW_PASSWORD).status_code == 302
    person = User.objects.get(username="zhangsan")
    assert signed_in_id(holder) == str(person.pk)
    assert person.must_change_password is False
    # the code is spent: a second use changes nothing
    before = state()
    again = Client().post(ACTIVATE, {**form, "new_password1": "Other#Pass2026", "new_password2": "Other#Pass2026"})
    assert again.status_code == 400
    assert "用户名或激活码不正确，或激活码已使用、已作废、已过期" in again.content.decode()
    assert state() == before
    assert actions(action__startswith="auth.account_code") == ["auth.account_code_redeem", "auth.account_code_failed"]
    titles = set(SecurityNotice.objects.filter(recipient=world.auditadmin).values_list("title", flat=True))
    assert titles == {
        "钱晓东 开设了账号 zhangsan（张三），已开具激活码密封单",
        "账号 zhangsan（张三）已使用激活码设置本人密码",
    }


def test_reset_code_keeps_the_old_password_until_used_then_replaces_it(world):
    slip = services.user_password_reset(actor=world.sysadmin, user=world.pm)
    assert User.objects.get(pk=world.pm.pk).check_password(PASSWORD)
    services.account_code_redeem(username="liming", code=slip.code, new_password=NEW_PASSWORD)
    person = User.objects.get(pk=world.pm.pk)
    assert person.check_password(NEW_PASSWORD) and not person.check_password(PASSWORD)


@pytest.mark.parametrize("case", ["expired", "voided_by_a_newer_code", "wrong_user", "wrong_code"])
def test_activation_refusals_change_nothing(world, case):
    slip = services.user_password_reset(actor=world.sysadmin, user=world.pm)
    username, code = "liming", slip.code
    if case == "expired":
        AccountCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    elif case == "voided_by_a_newer_code":
        services.user_password_reset(actor=world.sysadmin, user=world.pm)
    elif case == "wrong_user":
        username = "zhaolx"
    else:
        code = "AAAA-BBBB-CCCC"
    before = state()
    with pytest.raises(DomainError) as info:
        services.account_code_redeem(username=username, code=code, new_password=NEW_PASSWORD)
    assert (info.value.code, info.value.message) == (
        "org.account_code_invalid",
        "用户名或激活码不正确，或激活码已使用、已作废、已过期",
    )
    assert state() == before


def test_activation_follows_the_password_policy_and_refuses_the_user_name_inside(world):
    slip = services.user_password_reset(actor=world.sysadmin, user=world.pm)
    before = state()
    with pytest.raises(Exception) as info:
        services.account_code_redeem(username="liming", code=slip.code, new_password="Liming#2026")
    assert "密码不能包含用户名“liming”（含倒序）" in info.value.messages  # type: ignore[attr-defined]
    assert state() == before


def test_activation_of_an_account_with_two_factor_needs_its_dynamic_code(world):
    """A reset restores the password, never the second factor: whoever holds the slip also needs the phone."""
    device = TOTPDevice.objects.create(user=world.pm, name="手机", confirmed=True)
    slip = services.user_password_reset(actor=world.sysadmin, user=world.pm)
    before = state()
    with pytest.raises(DomainError) as info:
        services.account_code_redeem(username="liming", code=slip.code, new_password=NEW_PASSWORD, otp_token="000000")
    assert info.value.code == "org.account_code_otp"
    assert state() == before
    _unthrottle(device)
    services.account_code_redeem(username="liming", code=slip.code, new_password=NEW_PASSWORD, otp_token=totp_now(device))
    assert User.objects.get(pk=world.pm.pk).check_password(NEW_PASSWORD)


def test_grants_are_on_the_holders_and_the_auditors_workbench(client, world):
    services.role_grant(actor=world.secadmin, user=world.no_role, agency=world.city, role="finance", note="任职通知")
    title = "冯磊 授予 无角色 临江市机关事务管理局“财务”角色"
    assert set(SecurityNotice.objects.filter(title=title).values_list("recipient__username", flat=True)) == {
        "norole",
        "auditadmin",
    }
    client.force_login(world.auditadmin)
    assert title in client.get(HOME).content.decode()
    # reading them clears the workbench
    assert client.post(reverse("org:notice_list")).status_code == 302
    assert title not in client.get(HOME).content.decode()


def test_notice_list_shows_only_ones_own_notices(client, world):
    services.role_grant(actor=world.secadmin, user=world.no_role, agency=world.city, role="finance", note="任职通知")
    for who, expected in ((world.no_role, 1), (world.pm, 0), (world.other_auditadmin, 0)):
        client.force_login(who)
        response = client.get(reverse("org:notice_list"))
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == expected
    client.logout()
    assert client.get(reverse("org:notice_list")).status_code == 302


# ================================================================= item 2: two-factor sign-in


def test_administrator_can_do_nothing_but_enrol_then_signs_in_with_a_real_totp(world):
    """Given the 系统管理员 with only his password, when he signs in, then every page leads to the enrolment;
    when he types the code his app computes from the shown secret, then he gets ten recovery codes (stored
    hashed) and the workbench; next time he needs a fresh TOTP code after the password."""
    c = Client()
    assert login(c, "sysadmin", PASSWORD).status_code == 302
    for path in (HOME, reverse("org:user_list"), reverse("org:parameter_list")):
        response = c.get(path)
        assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_verify"))
    assert c.get(reverse("two_factor_verify"))["Location"] == reverse("two_factor_enrol")
    api = c.get("/api/org/users/")
    assert api.status_code == 403
    page = c.get(reverse("two_factor_enrol"))
    secret = page.context["secret"].replace(" ", "")
    device = TOTPDevice.objects.get(user=world.sysadmin, confirmed=False)
    import base64

    assert base64.b32decode(secret) == device.bin_key
    # the QR code is drawn on the server, as a data URI (nothing is fetched from elsewhere)
    assert page.context["qr"].startswith("data:image/svg+xml") and 'data-testid="totp-qr"' in page.content.decode()
    bad = c.post(reverse("two_factor_enrol"), {"token": "000000"})
    assert bad.status_code == 400 and not TOTPDevice.objects.filter(confirmed=True).exists()
    _unthrottle(device)
    done = c.post(reverse("two_factor_enrol"), {"token": totp_now(device)})
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = list(RecoveryCode.objects.filter(user=world.sysadmin).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not any(code.replace("-", "") in h for code in codes for h in stored)
    assert c.get(HOME).status_code == 200
    assert actions(action="auth.two_factor_enrol") == ["auth.two_factor_enrol"]

    # next sign-in: password, then the dynamic code
    c2 = Client()
    login(c2, "sysadmin", PASSWORD)
    assert c2.get(HOME)["Location"].startswith(reverse("two_factor_verify"))
    assert c2.post(reverse("two_factor_verify"), {"token": "123456"}).status_code == 400
    _unthrottle(device)
    response = c2.post(reverse("two_factor_verify"), {"token": totp_now(device.__class__.objects.get(pk=device.pk), step=1)})
    assert response.status_code == 302 and response["Location"] == HOME
    assert c2.get(HOME).status_code == 200
    # a recovery code works once
    c3 = Client()
    login(c3, "sysadmin", PASSWORD)
    assert c3.post(reverse("two_factor_verify"), {"token": codes[0]}).status_code == 302
    c4 = Client()
    login(c4, "sysadmin", PASSWORD)
    assert c4.post(reverse("two_factor_verify"), {"token": codes[0]}).status_code == 400
    assert RecoveryCode.objects.filter(user=world.sysadmin, used_at__isnull=False).count() == 1


def test_business_user_signs_in_without_a_second_factor_unless_the_parameter_says_so(world):
    c = Client()
    login(c, "liming", PASSWORD)
    assert c.get(HOME).status_code == 200
    services.rule_parameter_set(
        actor=world.secadmin,
        key="security.mfa_required_business",
        value="true",
        effective_from=timezone.localdate(),
        agency=None,
        reason="等保三级整改：全员双因素",
    )
    c = Client()
    login(c, "liming", PASSWORD)
    assert c.get(HOME)["Location"].startswith(reverse("two_factor_verify"))


def test_only_the_security_admin_resets_two_factor_and_it_is_recorded(client, world):
    TOTPDevice.objects.create(user=world.sysadmin, name="手机", confirmed=True)
    RecoveryCode.objects.create(user=world.sysadmin, code_hash="x")
    # the 系统管理员 may not reset anyone's second factor (nor his own)
    with pytest.raises(PermissionDenied):
        services.two_factor_reset(actor=world.sysadmin, user=world.auditadmin, reason="手机遗失")
    with pytest.raises(DomainError):
        services.two_factor_reset(actor=world.sysadmin, user=world.sysadmin, reason="手机遗失")
    assert TOTPDevice.objects.filter(user=world.sysadmin).count() == 1
    # the 安全管理员 does, through the page
    client.force_login(world.secadmin)
    response = client.post(reverse("org:two_factor_reset", args=[world.sysadmin.pk]), {"reason": "手机遗失，已核实本人"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.sysadmin).exists()
    assert not RecoveryCode.objects.filter(user=world.sysadmin).exists()
    event = AuditEvent.objects.get(action="auth.two_factor_reset")
    assert (event.actor_id, event.reason) == (world.secadmin.pk, "手机遗失，已核实本人")
    assert SecurityNotice.objects.filter(recipient=world.auditadmin, title__contains="重置了账号 sysadmin").exists()


# ================================================================= item 6: rate limits and lockouts


def test_sign_in_is_rate_limited_per_account(world):
    """Given security.signin_limit_per_account = 10 per 10 minutes, when one account is tried 11 times (from
    addresses that vary), then the 11th is refused with 429 before any password is checked, and recorded."""
    statuses = [
        Client(REMOTE_ADDR=f"10.0.0.{i}").post(LOGIN, {"username": "nosuchuser", "password": "x"}).status_code for i in range(11)
    ]
    assert 429 not in statuses[:10] and statuses[10] == 429  # (the 5th wrong password already locks: 403)
    last = Client(REMOTE_ADDR="10.0.1.1").post(LOGIN, {"username": "nosuchuser", "password": "x"})
    assert "登录尝试过于频繁：同一账号10分钟内超过10次，请稍后再试" in last.content.decode()
    assert actions(action="auth.throttled") == ["auth.throttled", "auth.throttled"]  # once per address and window


def test_sign_in_is_rate_limited_per_address(world):
    c = Client(REMOTE_ADDR="10.9.9.9")
    statuses = [c.post(LOGIN, {"username": f"user{i}", "password": "x"}).status_code for i in range(61)]
    assert statuses == [200] * 60 + [429]
    assert "同一地址10分钟内超过60次" in c.post(LOGIN, {"username": "liming", "password": PASSWORD}).content.decode()
    assert signed_in_id(c) is None
    # another address is not affected
    other = Client(REMOTE_ADDR="10.9.9.10")
    assert login(other, "liming", PASSWORD).status_code == 302


def test_activation_page_is_rate_limited(world):
    c = Client(REMOTE_ADDR="10.7.7.7")
    form = {"username": "liming", "code": "AAAA-BBBB-CCCC", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    statuses = [c.post(ACTIVATE, form).status_code for _ in range(11)]
    assert statuses == [400] * 10 + [429]


def test_a_locked_security_admin_is_unlocked_by_time_a_business_user_is_not(world):
    """Given the 安全管理员 and 李明 both locked out by 5 wrong passwords, when security.lockout_minutes (30)
    have passed, then the 安全管理员 signs in again (auth.unlock_by_time) and 李明 stays locked."""
    for name in ("secadmin", "liming"):
        for _ in range(5):
            login(Client(), name, "wrong-Pass1")
    assert login(Client(), "secadmin", PASSWORD).status_code == 403
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=29))
    assert login(Client(), "secadmin", PASSWORD).status_code == 403
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))
    c = Client()
    assert login(c, "secadmin", PASSWORD).status_code == 302
    assert signed_in_id(c) == str(world.secadmin.pk)
    assert actions(action="auth.unlock_by_time") == ["auth.unlock_by_time"]
    assert login(Client(), "liming", PASSWORD).status_code == 403


def test_unlock_account_command_on_the_server_is_audited(world):
    for _ in range(5):
        login(Client(), "secadmin", "wrong-Pass1")
    with pytest.raises(CommandError, match="--reason"):
        call_command("unlock_account", "secadmin")
    out = io.StringIO()
    call_command("unlock_account", "secadmin", "--reason", "安全管理员本人被锁定，经分管领导批准", stdout=out)
    assert "已解锁账号 secadmin" in out.getvalue()
    event = AuditEvent.objects.get(action="auth.unlock_on_server")
    assert event.reason == "安全管理员本人被锁定，经分管领导批准"
    assert login(Client(), "secadmin", PASSWORD).status_code == 302


# ================================================================= item 7: bounded security parameters


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("security.lockout_failures", "0", "“连续登录失败锁定次数”须在 3 到 5 之间（等保2.0三级基线），填写的是 0"),
        ("security.lockout_failures", "1000000", "“连续登录失败锁定次数”须在 3 到 5 之间（等保2.0三级基线），填写的是 1000000"),
        ("security.idle_timeout_minutes", "0", "“会话空闲超时”须在 5 到 30 之间（等保2.0三级基线），填写的是 0"),
        ("security.idle_timeout_minutes", "1000000", "“会话空闲超时”须在 5 到 30 之间（等保2.0三级基线），填写的是 1000000"),
        ("security.password_min_length", "0", "“密码最小长度”须在 8 到 64 之间（等保2.0三级基线），填写的是 0"),
        ("security.password_min_length", "1000000", "“密码最小长度”须在 8 到 64 之间（等保2.0三级基线），填写的是 1000000"),
        ("security.account_code_hours", "0", "“激活码/重置码有效期”须在 1 到 72 之间（等保2.0三级基线），填写的是 0"),
        ("security.account_code_hours", "1000000", "“激活码/重置码有效期”须在 1 到 72 之间（等保2.0三级基线），填写的是 1000000"),
    ],
)
def test_security_parameters_outside_the_baseline_are_refused(world, key, value, message):
    before = state()
    with pytest.raises(DomainError) as info:
        services.rule_parameter_set(
            actor=world.secadmin, key=key, value=value, effective_from=timezone.localdate(), agency=None, reason="x"
        )
    assert (info.value.code, info.value.message) == ("org.security_parameter_bounds", message)
    assert state() == before


def test_security_parameters_belong_to_the_security_admin_not_the_sysadmin(client, world):
    before = state()
    with pytest.raises(PermissionDenied, match="只有顶级单位的安全管理员可以修改全平台安全参数"):
        services.rule_parameter_set(
            actor=world.sysadmin,
            key="security.lockout_failures",
            value="4",
            effective_from=timezone.localdate(),
            agency=None,
            reason="x",
        )
    client.force_login(world.sysadmin)
    url = reverse("org:parameter_edit", args=["security.lockout_failures"])
    assert client.get(url).status_code == 403
    data = {"value": "4", "effective_from": timezone.localdate().isoformat(), "agency": "", "reason": "x"}
    assert client.post(url, data).status_code == 403
    assert state() == before
    # the 安全管理员 may, within the bounds, through the page
    client.force_login(world.secadmin)
    response = client.post(url, {**data, "reason": "等保测评整改"})
    assert response.status_code == 302
    assert RuleParameter.objects.filter(key="security.lockout_failures", value="4").exists()
    # and may not touch a business rule
    assert client.get(reverse("org:parameter_edit", args=["tender.mandatory.construction"])).status_code == 403


# ================================================================= item 12: passwords and files


def test_password_may_not_contain_the_user_name_or_its_reverse():
    assert password_problems("Xliming#2026", username="liming", min_length=8, min_classes=3) == [
        "密码不能包含用户名“liming”（含倒序）"
    ]
    assert password_problems("Gnimil#2026", username="liming", min_length=8, min_classes=3) == [
        "密码不能包含用户名“liming”（含倒序）"
    ]
    assert password_problems("Jiangbin#2027", username="liming", min_length=8, min_classes=3) == []


def test_uploads_are_private(world, settings, tmp_path):
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path / "media")
    pledge = services.pledge_record(
        actor=world.pm,
        user=world.pm,
        year=timezone.localdate().year,
        signed_on=timezone.localdate() - datetime.timedelta(days=1),
        file=SimpleUploadedFile("p.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
    )
    import os
    import stat

    path = pledge.file.path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700


def test_sqlite_file_is_created_private(tmp_path):
    import os
    import stat

    from govworks.core.db.sqlite3.base import private_database_file

    path = tmp_path / "var" / "govworks.sqlite3"
    private_database_file(str(path))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    os.chmod(path, 0o644)
    private_database_file(str(path))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
