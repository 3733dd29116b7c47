"""双随机一公开 in a real browser, by clicking: 纪检监察 吴海燕 makes a plan over the projects in construction (the
item list and the inspector register set up), draws (the conflicted inspectors shown left out with their reason),
a drawn inspector enters the result, and an anonymous citizen finds it on /gongshi/inspections/ with the replay
saying 一致. Screenshots go to /tmp/shots/draws_*.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from govworks.construction.tests.conftest import cw, site_project  # noqa: F401
from govworks.integrity.tests.test_inspections import iw  # noqa: F401
from govworks.org.tests.factories import PASSWORD
from govworks.projects.tests.conftest import lifecycle, make_project  # noqa: F401
from tests.e2e.test_foundation import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")


def _shot(watch: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    watch.page.screenshot(path=str(SHOTS / f"draws_{name}.png"), full_page=True)


def _as(open_page: Any, base: str, username: str) -> Any:
    watch = open_page()
    sign_in(watch, base, username, PASSWORD)
    assert "/accounts/" not in watch.page.url, f"{username} could not sign in"
    return watch


def test_plan_draw_result_published_for_anonymous(iw: Any, open_page: Any, live_server: Any) -> None:  # noqa: F811
    from govworks.integrity.models import InspectionDraw, InspectionPlan
    from govworks.org.models import User

    base = live_server.url
    discipline = _as(open_page, base, iw.discipline.username)
    page = discipline.page
    page.goto(f"{base}/integrity/inspections/")
    with page.expect_navigation():
        page.locator("[data-testid=plan-new]").click()
    page.fill("[name=title]", "第四季度在建项目质量安全抽查")
    page.check(f"input[name=items][value='{iw.key_item.pk}']")
    page.select_option("[name=object_kind]", "project")
    page.fill("[name=ratio]", "100")
    page.fill("[name=inspectors_per_object]", "1")  # below the rule: refused with the rule's name and number
    page.fill("[name=period_start]", "2026-11-02")
    page.fill("[name=period_end]", "2026-11-27")
    page.fill("[name=rules_text]", "公开摇号，全程留痕；有利害关系的回避；结束后 20 个工作日内录入并公示。")
    with page.expect_navigation():
        page.locator("[data-testid=form] button[type=submit]").click()
    assert "不少于 2 名" in page.content() and "双随机每次抽取检查人员数" in page.content()
    assert not InspectionPlan.objects.exists()
    discipline.console_errors.remove("Failed to load resource: the server responded with a status of 400 (Bad Request)")
    page.fill("[name=inspectors_per_object]", "2")
    page.check(f"input[name=items][value='{iw.key_item.pk}']")
    with page.expect_navigation():
        page.locator("[data-testid=form] button[type=submit]").click()
    _shot(discipline, "plan")
    with page.expect_navigation():
        page.locator("[data-testid=draw-button]").click()
    excluded = page.locator("[data-testid=excluded]").first.inner_text()
    assert "为检查对象项目的负责人或责任人" in excluded and "施工单位" in excluded
    _shot(discipline, "drawn")
    with page.expect_navigation():
        page.locator("[data-testid=replay-link]").click()
    assert page.locator("[data-testid=replay-verdict]").inner_text().startswith("一致")
    _shot(discipline, "replay")
    discipline.assert_clean()

    draw = InspectionDraw.objects.get()
    by_id = {i["id"]: i["user"] for i in draw.snapshot["inspectors"]}
    inspector = User.objects.get(pk=by_id[draw.result["objects"][0]["inspectors"][0]])
    checker = _as(open_page, base, inspector.username)
    page = checker.page
    page.goto(f"{base}/integrity/inspections/plans/{draw.plan_id}/")
    page.select_option("[data-testid=result-outcome-select]", "rectify")
    page.fill("[data-testid=result-findings]", "现场临边防护不到位，已责令施工单位限期整改并复查。")
    with page.expect_navigation():
        page.locator("[data-testid=result-submit]").click()
    assert "发现问题，责令整改" in page.locator("[data-testid=result-outcome]").first.inner_text()
    _shot(checker, "result")
    checker.assert_clean()

    citizen = open_page()
    page = citizen.page
    page.goto(f"{base}/gongshi/inspections/")
    assert "第四季度在建项目质量安全抽查" in page.locator("[data-testid=public-inspection-table]").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="第四季度在建项目质量安全抽查").click()
    assert "现场临边防护不到位" in page.locator("[data-testid=public-result-table]").inner_text()
    assert page.locator("[data-testid=replay-verdict]").inner_text().startswith("一致")
    assert "/accounts/" not in page.url
    _shot(citizen, "portal")
    citizen.assert_clean()
