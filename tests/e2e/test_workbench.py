"""The workbench in a real browser (issue 15 items 4 and 6), on the demo data: the head of the agency 孙国平
signs in and sees the overdue 整改 item of the 分管领导 赵立新 escalated to him, with whose it is and its
working days overdue, and opens the notice from there; 李明's workbench starts with the payment freeze,
dated, naming the missing recovery plan; both charts draw. Screenshots at 1366×768 and 390×844."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.test_foundation import DEMO_PASSWORD, clear_forced_change, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open(open_page: Any, base: str, username: str, width: int = 1366, height: int = 768) -> Any:
    watch = open_page(width, height)
    sign_in(watch, base, username, DEMO_PASSWORD)
    assert "/accounts/" not in watch.page.url, f"{username} could not sign in"
    return watch


def test_head_sees_the_escalated_items_of_the_leader_in_charge_and_the_ranked_workbench(
    demo: Any, open_page: Any, live_server: Any
) -> None:
    from django.utils import timezone

    from govworks.org.escalation import escalate_overdue

    base = live_server.url
    clear_forced_change("sungp", "liming")
    escalate_overdue(timezone.localdate())  # the daily job, as run_periodic runs it each morning

    head = _open(open_page, base, "sungp")
    page = head.page
    page.goto(f"{base}/")
    section = page.locator("[data-testid=escalated-items]")
    assert section.is_visible()
    row = section.locator("[data-testid=escalated-item]", has_text="整改逾期升级").first
    assert "赵立新 的事项" in row.inner_text()
    days = row.locator("[data-testid=escalated-days]").inner_text()
    assert re.fullmatch(r"逾期\d+个工作日", days), days
    assert int(re.sub(r"\D", "", days)) >= 2
    assert "逾期满2个工作日报上级" in page.locator("[data-testid=escalation-note]").inner_text()
    page.wait_for_selector("[data-testid=chart-trend] svg, [data-testid=chart-trend] [data-testid=chart-empty]")
    page.wait_for_selector("[data-testid=chart-stage] svg, [data-testid=chart-stage] [data-testid=chart-empty]")
    head.screenshot("workbench_head_1366", full_page=False)
    head.screenshot("workbench_head_1366_full")
    # the escalated item leads to the object, which the head may read
    with page.expect_navigation():
        row.click()
    assert "/construction/notices/" in page.url
    assert page.locator("h2, .page-title").first.inner_text()
    head.assert_clean()

    phone = _open(open_page, base, "sungp", 390, 844)
    phone.page.goto(f"{base}/")
    assert phone.page.locator("[data-testid=escalated-item]").first.is_visible()
    phone.screenshot("workbench_head_390", full_page=False)
    phone.screenshot("workbench_head_390_full")
    phone.assert_clean()

    pm = _open(open_page, base, "liming")
    page = pm.page
    page.goto(f"{base}/")
    first = page.locator("[data-testid=work-item]").first
    text = first.inner_text()
    assert "红灯暂停拨款" in text and "缺：" in text and "赶工计划" in text
    assert first.locator("[data-testid=item-due]").inner_text().strip() != "无期限"
    conditions = page.locator("[data-testid=item-condition]").all_inner_texts()
    assert any("上传《" in c for c in conditions)
    assert "请按办结条件推进" not in page.content()
    page.wait_for_selector("[data-testid=chart-stage] svg")
    pm.screenshot("workbench_pm_1366", full_page=False)
    pm.assert_clean()
