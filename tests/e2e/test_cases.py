"""Case handling in a real browser, by clicking (issue 14 item 2): 纪检监察 吴海燕 opens a case 直接立案 and assigns
王建军; he writes an investigation note, records a 约谈 and demands 整改; 吴海燕 (who assigned him, not the one who
demanded) verifies it; 王建军 concludes 提醒谈话 and closes the case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from govworks.org.tests.factories import PASSWORD
from tests.e2e.test_foundation import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")


def _as(open_page: Any, base: str, username: str) -> Any:
    watch = open_page()
    sign_in(watch, base, username, PASSWORD)
    assert "/accounts/" not in watch.page.url, f"{username} could not sign in"
    return watch


def _save(page: Any) -> None:
    with page.expect_navigation():
        page.click("[data-testid=form] button[type=submit]")


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"cases_{name}.png"), full_page=True)


def test_discipline_opens_assigns_handler_investigates_interviews_rectifies_verifies_concludes(
    world: Any, open_page: Any, live_server: Any
) -> None:
    from govworks.integrity.models import Case, CaseStatus
    from govworks.integrity.tests.test_cases import discipline

    handler = discipline("wangjj", world.city, "王建军")
    base = live_server.url

    head = _as(open_page, base, world.discipline.username)
    page = head.page
    page.goto(f"{base}/integrity/cases/")
    page.click("[data-testid=case-manual-new]")
    page.fill("#id_title", "来信反映工程款拨付问题")
    page.fill("#id_summary", "群众来信反映某维修工程款拨付时有人索要好处费，需核查。")
    _save(page)
    assert "来信反映工程款拨付问题" in page.locator("[data-testid=case-source]").inner_text()
    with page.expect_navigation():
        page.click("[data-testid=case-open-submit]")
    case = Case.objects.get()
    assert page.locator("[data-testid=case-number]").inner_text() == case.number
    page.click("[data-testid=case-assign]")
    page.get_by_label("王建军").check()
    _save(page)
    assert "王建军" in page.locator("[data-testid=case-handlers]").inner_text()
    head.assert_clean()

    work = _as(open_page, base, handler.username)
    page = work.page
    page.goto(f"{base}/")
    assert f"案件 {case.number} 待调查" in page.content()
    page.goto(f"{base}/integrity/cases/{case.pk}/")
    page.click("[data-testid=case-note-add]")
    page.fill("#id_text", "调取付款凭证三份，约见项目联络员，初步了解拨付经过。")
    _save(page)
    assert "调取付款凭证" in page.locator("[data-testid=case-notes]").inner_text()
    page.click("[data-testid=case-interview-add]")
    page.fill("#id_place", "三楼纪检谈话室")
    page.fill("#id_interviewees", "项目联络员黄伟")
    page.fill("#id_interviewers", "王建军、吴海燕")
    page.fill("#id_minutes", "黄伟说明了拨付延迟的原因，否认索要好处费。")
    page.fill("#id_commitments", "三个工作日内补交拨付审批记录")
    _save(page)
    assert "三楼纪检谈话室" in page.locator("[data-testid=case-interviews]").inner_text()
    page.click("[data-testid=case-rectify]")
    page.fill("#id_demand", "完善工程款拨付台账，补齐审批签字记录。")
    _save(page)  # the deadline comes filled from the rule (案件整改默认期限)
    assert "整改中" in page.locator("[data-testid=case-rectifications]").inner_text()
    assert page.locator("[data-testid=case-verify]").count() == 0  # who demanded does not verify
    _shot(page, "rectification")
    work.assert_clean()

    page = head.page
    page.goto(f"{base}/integrity/cases/{case.pk}/")
    page.click("[data-testid=case-verify]")
    page.get_by_label("整改到位，验证通过").check()
    page.fill("#id_verification", "台账已完善，审批记录齐全。")
    _save(page)
    assert "验证通过" in page.locator("[data-testid=case-rectifications]").inner_text()

    page = work.page
    page.goto(f"{base}/integrity/cases/{case.pk}/")
    page.click("[data-testid=case-conclude]")
    page.get_by_label("提醒谈话").check()
    page.fill("#id_conclusion", "未发现索要好处费的证据；拨付台账不规范，对经办人提醒谈话。")
    _save(page)
    assert "提醒谈话" in page.locator("[data-testid=case-conclusion]").inner_text()
    page.click("[data-testid=case-close]")
    page.get_by_label("确认本案已按结论处理完毕，予以办结").check()
    _save(page)
    assert page.locator("[data-testid=case-status]").inner_text() == "办结"
    _shot(page, "closed")
    work.assert_clean()
    assert Case.objects.get().status == CaseStatus.CLOSED
