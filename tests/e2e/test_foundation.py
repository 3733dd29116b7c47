"""What a person sees: sign-in with the forced password change, the workbench, the administration
pages, the lockout message, the audit log export and a phone-sized screen. No page may request
anything from outside the server, and no page may log a console error (CSP violations included)."""

from __future__ import annotations

import io
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "Demo@2026"
NEW_PASSWORD = "Lj#2026-newpass"


def sign_in(watch: Any, base: str, username: str, password: str) -> None:
    page = watch.page
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click(".page-body button[type=submit]")
    page.wait_for_load_state("networkidle")
    if "/accounts/2fa/" in page.url:
        pass_second_factor(watch, username)


def pass_second_factor(watch: Any, username: str) -> None:
    """The three administrators enrol in (first time) or pass two-factor sign-in with a real TOTP code."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page = watch.page
    device = TOTPDevice.objects.filter(user__username=username).order_by("-id").first()
    assert device is not None, f"{username}: no TOTP device"
    enrolling = "/enrol/" in page.url
    page.fill("#id_token", f"{TOTP(device.bin_key).token():06d}")
    page.click(".page-body button[type=submit]")
    page.wait_for_load_state("networkidle")
    if enrolling:
        assert page.locator("[data-testid=recovery-codes] li").count() == 10
        page.click("text=我已妥善保存，进入工作台")
        page.wait_for_load_state("networkidle")


def clear_forced_change(*usernames: str) -> None:
    from govworks.org.models import User

    User.objects.filter(username__in=usernames).update(must_change_password=False)


def test_demo_user_signs_in_changes_password_and_sees_workbench(demo: Any, open_page: Any, live_server: Any) -> None:
    # given a fresh demo account that still has the published password
    watch = open_page()
    page = watch.page
    # when 李明 opens GovWorks, he is sent to the Chinese sign-in page
    page.goto(live_server.url + "/")
    assert page.locator("h2", has_text="账号登录").is_visible()
    watch.screenshot("01-login")
    sign_in(watch, live_server.url, "liming", DEMO_PASSWORD)
    # then he must choose his own password first
    assert "/accounts/password/change/" in page.url
    assert page.get_by_text("请先设置您自己的密码").is_visible()
    page.fill("#id_old_password", DEMO_PASSWORD)
    page.fill("#id_new_password1", "abc")
    page.fill("#id_new_password2", "abc")
    page.click(".page-body button[type=submit]")
    assert page.get_by_text("密码长度不少于8位").is_visible()
    page.fill("#id_old_password", DEMO_PASSWORD)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click(".page-body button[type=submit]")
    page.wait_for_load_state("networkidle")
    # and lands on his workbench, with his role and his record of duties
    assert page.locator(".page-title", has_text="李明，您好").is_visible()
    assert page.get_by_text("市机关事务局 · 工程管理岗").is_visible()
    assert page.get_by_text("修改本人密码").is_visible()
    page.wait_for_selector("[data-echarts-done]")
    watch.screenshot("02-home-liming")
    watch.assert_clean()


def test_workbench_asks_for_the_missing_integrity_pledge(demo: Any, open_page: Any, live_server: Any) -> None:
    # given 周涛 has not signed this year's pledge (a red flag in the demo data)
    clear_forced_change("zhoutao")
    watch = open_page()
    sign_in(watch, live_server.url, "zhoutao", DEMO_PASSWORD)
    # then his workbench lists it as a pending action
    items = watch.page.locator("[data-testid=work-items]")
    assert "廉政承诺书" in items.inner_text()
    watch.assert_clean()


ADMIN_PAGES = {
    "sysadmin": [
        "/org/agencies/",
        "/org/departments/",
        "/org/positions/",
        "/org/users/",
        "/org/external/",
        "/org/pledges/",
        "/org/parameters/",
        "/org/parameters/tender.mandatory.construction/",
    ],
    "secadmin": ["/org/grants/", "/org/lockouts/", "/org/users/"],
    "auditadmin": ["/core/audit/", "/core/audit/verify/", "/core/audit/checkpoints/"],
}


@pytest.mark.parametrize("username", sorted(ADMIN_PAGES))
def test_administration_pages_render_cleanly(username: str, demo: Any, open_page: Any, live_server: Any) -> None:
    clear_forced_change(username)
    watch = open_page()
    sign_in(watch, live_server.url, username, DEMO_PASSWORD)
    for path in ADMIN_PAGES[username]:
        response = watch.page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        watch.page.wait_for_load_state("networkidle")
        watch.screenshot(f"10-{username}-{path.strip('/').replace('/', '-')}")
    watch.assert_clean()


def test_six_wrong_passwords_lock_the_account_with_a_chinese_message(demo: Any, open_page: Any, live_server: Any) -> None:
    watch = open_page()
    for _ in range(6):
        sign_in(watch, live_server.url, "chenzq", "wrong-Password1")
    alert = watch.page.locator("[data-testid=lockout]")
    assert alert.is_visible()
    assert "账号已锁定" in alert.inner_text()
    assert "5 次" in alert.inner_text()
    watch.screenshot("03-lockout")
    # and even the right password no longer gets in
    sign_in(watch, live_server.url, "chenzq", DEMO_PASSWORD)
    assert watch.page.locator("[data-testid=lockout]").is_visible()
    from govworks.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="auth.lockout", object_repr__contains="陈志强").exists()


def test_auditor_filters_the_log_and_exports_it_to_excel(demo: Any, open_page: Any, live_server: Any) -> None:
    clear_forced_change("auditadmin")
    watch = open_page()
    page = watch.page
    sign_in(watch, live_server.url, "auditadmin", DEMO_PASSWORD)
    page.goto(live_server.url + "/core/audit/?action=org.role")
    rows = page.locator("[data-testid=audit-table] tbody tr")
    assert rows.count() > 5
    assert "授予" in rows.first.inner_text()
    watch.screenshot("11-audit-log")
    page.click("text=导出Excel")
    page.wait_for_selector("[data-testid=export-download]")
    with page.expect_download() as info:
        page.click("[data-testid=export-download]")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(download.path().read_bytes())).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[:3] == ["序号", "时间", "操作人"]
    assert sheet.max_row > 5
    watch.assert_clean()


def test_phone_width_shows_collapsed_navigation(demo: Any, open_page: Any, live_server: Any) -> None:
    clear_forced_change("sysadmin")
    watch = open_page(width=390, height=844)
    sign_in(watch, live_server.url, "sysadmin", DEMO_PASSWORD)
    page = watch.page
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    assert not page.locator("#gw-nav").is_visible()
    toggler.click()
    page.wait_for_selector("#gw-nav.show")
    assert page.get_by_text("组织机构").first.is_visible()
    watch.screenshot("04-phone-home")
    page.goto(live_server.url + "/org/users/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"page is wider than the phone: {width}px"
    watch.screenshot("05-phone-users")
    watch.assert_clean()
