"""投诉举报 in a real browser, by clicking (issue 14 item 4): an anonymous citizen opens /jubao/, picks the agency
and its project, writes the complaint (实名), solves the CAPTCHA and gets the tracking code and query password;
queries the progress (待受理). 纪检监察 吴海燕 signs in, opens the complaint from the list, accepts it as its
handler, reads the reporter's identity (audited) and replies. The citizen queries again and reads the reply.

The CAPTCHA is solved the way the server checks it: the test reads the answer from the browser's own session
(its session cookie → Django's session store) — no test-only hook exists in the application."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.conf import settings

from govworks.integrity.tests.test_complaints import cw  # noqa: F401
from govworks.org.tests.factories import PASSWORD
from govworks.portal import captcha
from govworks.projects.tests.conftest import lifecycle, make_project  # noqa: F401
from tests.e2e.test_foundation import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _captcha_answer(page: Any) -> str:
    """The answer the server keeps in this browser's session for the image it just drew."""
    page.wait_for_load_state("networkidle")
    key = next(c["value"] for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    answer = captcha.current_answer(store)
    assert answer, "the CAPTCHA image was not drawn for this session"
    return answer


def _query(page: Any, base: str, code: str, password: str) -> None:
    page.goto(f"{base}/jubao/query/")
    page.fill("[data-testid=jubao-query-code]", code)
    page.fill("[data-testid=jubao-query-password]", password)
    with page.expect_navigation():
        page.locator("[data-testid=jubao-query-submit]").click()


def test_citizen_reports_handler_accepts_and_replies_citizen_reads_reply(
    cw: Any,  # noqa: F811
    open_page: Any,
    live_server: Any,
) -> None:
    from govworks.core.models import AuditEvent
    from govworks.integrity.models import Complaint

    base = live_server.url
    citizen = open_page()
    page = citizen.page
    page.goto(f"{base}/jubao/")
    page.select_option("[data-testid=jubao-agency]", str(cw.city.pk))
    with page.expect_navigation():
        page.locator("[data-testid=jubao-agency-pick]").click()
    page.select_option("[data-testid=jubao-project]", str(cw.project.pk))
    page.fill("[data-testid=jubao-subject]", "食堂修缮项目围标")
    page.fill("[data-testid=jubao-content]", "三家投标单位的报价文件由同一人编制，联系电话相同，疑似围标串标。")
    page.locator("[data-testid=jubao-mode-named]").check()
    page.fill("[data-testid=jubao-name]", "王小明")
    page.fill("[data-testid=jubao-phone]", "13800001111")
    # a wrong CAPTCHA first: refused, nothing stored, a new image drawn
    page.fill("[data-testid=jubao-captcha]", "XXXXX")
    with page.expect_navigation():
        page.locator("[data-testid=jubao-submit]").click()
    assert "验证码不正确" in page.locator("[data-testid=jubao-error-captcha]").inner_text()
    assert Complaint.objects.count() == 0
    citizen.console_errors.clear()  # the refusal answered 400 on purpose
    page.fill("[data-testid=jubao-captcha]", _captcha_answer(page))
    citizen.screenshot("complaints_form")
    with page.expect_navigation():
        page.locator("[data-testid=jubao-submit]").click()
    code = page.locator("[data-testid=jubao-code]").inner_text().strip()
    password = page.locator("[data-testid=jubao-password]").inner_text().strip()
    assert len(code) == 16 and len(password) == 10
    citizen.screenshot("complaints_submitted")
    _query(page, base, code, password)
    assert page.locator("[data-testid=jubao-status]").inner_text() == "待受理"
    citizen.assert_clean()

    handler = open_page()
    sign_in(handler, base, cw.discipline.username, PASSWORD)
    hp = handler.page
    hp.goto(f"{base}/integrity/complaints/")
    assert "王小明" not in hp.content()
    handler.screenshot("complaints_list")
    with hp.expect_navigation():
        hp.locator("[data-testid=complaint-row] a").first.click()
    with hp.expect_navigation():
        hp.locator("[data-testid=complaint-accept]").click()
    assert cw.discipline.full_name in hp.locator("[data-testid=complaint-handler]").inner_text()
    with hp.expect_navigation():
        hp.locator("[data-testid=complaint-identity-read]").click()
    assert "王小明" in hp.locator("[data-testid=complaint-identity]").inner_text()
    assert AuditEvent.objects.filter(action="integrity.complaint.identity_read", actor_id=cw.discipline.pk).count() == 1
    reply = "经核查，三家单位的投标文件确由同一人编制，已移交调查，相关投标无效。"
    hp.fill("[data-testid=complaint-reply-text]", reply)
    with hp.expect_navigation():
        hp.locator("[data-testid=complaint-reply-submit]").click()
    assert reply in hp.locator("[data-testid=complaint-reply]").inner_text()
    handler.screenshot("complaints_handled")
    handler.assert_clean()

    _query(page, base, code, password)
    assert page.locator("[data-testid=jubao-status]").inner_text() == "已答复"
    assert reply in page.locator("[data-testid=jubao-reply]").inner_text()
    citizen.screenshot("complaints_reply_read")
    citizen.assert_clean()
