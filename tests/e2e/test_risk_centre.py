"""The risk centre in a real browser, by clicking (issue 14 item 1): the daily scan stored the alerts of a
project initiated outside the annual plan and of people holding project roles without this year's pledge;
纪检监察 吴海燕 opens 风险预警 from the menu, filters by kind, opens an alert (facts with numbers, the object
link), marks it 已阅, then excludes another with a reason — which stays visible in its history."""

from __future__ import annotations

from typing import Any

import pytest

from govworks.org.tests.factories import PASSWORD
from govworks.projects.tests.conftest import lifecycle, make_project  # noqa: F401
from tests.e2e.test_foundation import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_discipline_filters_opens_reads_and_excludes_alerts(
    lifecycle: Any,  # noqa: F811
    make_project: Any,  # noqa: F811
    open_page: Any,
    live_server: Any,
) -> None:
    from django.utils import timezone

    from govworks.integrity.models import RiskAlert
    from govworks.integrity.services.alerts import alerts_scan_daily

    project = make_project("380000", name="机关食堂修缮")
    alerts_scan_daily(timezone.localdate())
    assert RiskAlert.objects.filter(kind="projects.outside_plan").count() == 1
    base = live_server.url
    watch = open_page()
    sign_in(watch, base, lifecycle.discipline.username, PASSWORD)
    page = watch.page
    page.goto(f"{base}/")
    page.get_by_role("link", name="风险预警").first.click()
    page.wait_for_load_state("networkidle")
    assert "/integrity/alerts/" in page.url
    assert page.locator("[data-testid=alert-row]").count() >= 2
    page.wait_for_selector("[data-testid=alert-trend] svg")
    page.select_option("#f-kind", "projects.outside_plan")
    with page.expect_navigation():
        page.locator("[data-testid=alert-filter-submit]").click()
    rows = page.locator("[data-testid=alert-row]")
    assert rows.count() == 1 and "计划外立项" in rows.first.inner_text()
    watch.screenshot("risk_list")

    with page.expect_navigation():
        rows.first.locator("[data-testid=alert-link]").click()
    facts = page.locator("[data-testid=alert-facts]").inner_text()
    assert "380,000.00 元" in facts and "安全隐患" in facts
    assert project.code in page.locator("[data-testid=alert-object]").inner_text()
    assert "source=alert" in (page.locator("[data-testid=alert-open-case]").get_attribute("href") or "")
    with page.expect_navigation():
        page.locator("[data-testid=alert-mark-read]").click()
    assert page.locator("[data-testid=alert-detail-status]").inner_text() == "已阅"
    watch.screenshot("risk_detail")

    page.goto(f"{base}/integrity/alerts/?kind=org.pledge_missing")
    with page.expect_navigation():
        page.locator("[data-testid=alert-link]").first.click()
    page.fill("[data-testid=alert-exclude-reason]", "短")
    with page.expect_navigation():
        page.locator("[data-testid=alert-exclude]").click()
    assert "至少4个字" in page.content()
    # the refusal answers 400 (the browser logs it); nothing else may have gone wrong so far
    assert all("status of 400" in e for e in watch.console_errors)
    watch.console_errors.clear()
    page.fill("[data-testid=alert-exclude-reason]", "承诺书已线下签订，补录中")
    with page.expect_navigation():
        page.locator("[data-testid=alert-exclude]").click()
    assert page.locator("[data-testid=alert-detail-status]").inner_text() == "已排除"
    assert "承诺书已线下签订，补录中" in page.locator("[data-testid=alert-history]").inner_text()
    watch.screenshot("risk_excluded")
    assert RiskAlert.objects.filter(status="excluded", status_by=lifecycle.discipline).count() == 1
    watch.assert_clean()
