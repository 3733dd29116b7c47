"""阳光公示 in a real browser (issue 14 item 5): an anonymous visitor opens /gongshi/, filters the projects by
agency, opens a project and prints it (print media: no navigation, no filters); then the agency's 工程管理岗
withdraws a contract award with a reason by clicking, and the visitor sees “已撤回：原因, 日期” in its place."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.test_foundation import DEMO_PASSWORD, clear_forced_change, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "档案库房消防系统改造"


def test_anonymous_visitor_browses_filters_opens_prints_and_sees_a_withdrawal(
    demo: Any, open_page: Any, live_server: Any
) -> None:
    from django.core.cache import cache

    from govworks.org.models import Agency
    from govworks.portal.models import PortalWithdrawal
    from govworks.projects.models import Project

    cache.clear()
    base = live_server.url
    project = Project.objects.get(name=PROJECT)
    agency = Agency.objects.get(pk=project.agency_id)
    other = Project.objects.exclude(agency_id=agency.pk).filter(name__startswith="后勤服务中心").first()
    assert other is not None

    visitor = open_page()
    page = visitor.page
    page.goto(f"{base}/gongshi/")
    assert "/accounts/" not in page.url
    assert page.locator("[data-testid=agency-counts] tbody tr").count() >= 2
    assert page.locator("[data-testid=latest] .list-group-item").count() >= 5
    visitor.screenshot("portal_overview")

    # the projects at initiation, filtered by agency
    page.click("[data-testid=gongshi-kinds] >> text=项目立项")
    page.select_option("#f-agency", str(agency.pk))
    with page.expect_navigation():
        page.click("[data-testid=gongshi-filter-submit]")
    rows = page.locator("[data-testid=gongshi-table-project] [data-testid=gongshi-row]")
    assert rows.count() >= 3
    body = page.locator("[data-testid=gongshi-table-project]").inner_text()
    assert PROJECT in body and other.name not in body
    visitor.screenshot("portal_filtered")

    # open the project
    with page.expect_navigation():
        page.click(f"[data-testid=project-link] >> text={PROJECT}")
    assert page.locator("[data-testid=project-title]").inner_text() == PROJECT
    assert page.locator("[data-testid=gongshi-table-contract]").count() == 1
    assert page.locator("[data-testid=gongshi-table-construction]").count() == 1
    assert page.locator("[data-testid=public-nav]").is_visible()
    visitor.screenshot("portal_project")

    # printed: no navigation, no kinds, the facts stay
    page.emulate_media(media="print")
    assert not page.locator("[data-testid=public-nav]").is_visible()
    assert not page.locator("[data-testid=gongshi-kinds]").is_visible()
    assert page.locator("[data-testid=project-facts]").is_visible()
    visitor.screenshot("portal_print")
    page.emulate_media(media="screen")
    visitor.assert_clean()

    # the agency's 工程管理岗 withdraws the contract award with a reason
    clear_forced_change("liming")
    manager = open_page()
    sign_in(manager, base, "liming", DEMO_PASSWORD)
    assert "/accounts/" not in manager.page.url
    mp = manager.page
    mp.goto(f"{base}/gongshi/manage/?kind=contract")
    row = mp.locator("[data-testid=gongshi-row]", has_text=PROJECT).first
    with mp.expect_navigation():
        row.locator("[data-testid=withdraw-link]").click()
    assert mp.locator("#id_reason").get_attribute("required") is not None  # an empty reason is not sent
    mp.fill("#id_reason", "合同编号登记有误，核实后重新公示")
    with mp.expect_navigation():
        mp.click("[data-testid=withdraw-submit]")
    assert PortalWithdrawal.objects.filter(record_type="contract").count() == 1
    manager.screenshot("portal_withdrawn_manage")

    page.goto(f"{base}/gongshi/projects/{project.pk}/")
    table = page.locator("[data-testid=gongshi-table-contract]").inner_text()
    assert "已撤回：合同编号登记有误，核实后重新公示" in table
    visitor.screenshot("portal_withdrawn_public")
    visitor.assert_clean()
