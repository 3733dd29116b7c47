"""The archive and the review in a real browser, by clicking (issue 13, items 4 and 8):

档案员 何敏 opens the demo project in 档案移交: the transfer is refused while the 竣工图 and the 质量保修书 are missing;
she uploads each, verifies them with their page counts, and records the transfer to the 城建档案馆 with the receipt;
the gate's archive conditions are then met. 工程管理岗 李明 records a lesson on a project after 竣工验收, and it shows
on the initiation page of another 修缮 project."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.e2e.test_foundation import DEMO_PASSWORD, clear_forced_change, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARCHIVE_PROJECT = "机关办公楼卫生间及给排水管网改造"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _open(open_page: Any, base: str, username: str) -> Any:
    watch = open_page()
    sign_in(watch, base, username, DEMO_PASSWORD)
    assert "/accounts/" not in watch.page.url, f"{username} could not sign in"
    return watch


def test_archivist_completes_verifies_and_transfers_and_a_lesson_reaches_an_initiation_page(
    demo: Any, open_page: Any, live_server: Any
) -> None:
    from govworks.closeout.models import ArchiveTransfer, Lesson
    from govworks.projects.models import Project, Stage

    base = live_server.url
    clear_forced_change("hemin", "liming")
    project = Project.objects.get(name=ARCHIVE_PROJECT)
    assert project.stage == Stage.ARCHIVING

    hemin = _open(open_page, base, "hemin")
    page = hemin.page
    # the workbench names the transfer with its deadline; the archive list leads to the project
    page.goto(f"{base}/closeout/archives/")
    page.get_by_role("link", name=f"{project.code} {project.name}").click()
    assert page.locator("[data-testid=archive-missing]").inner_text() == "2 项"
    # blocked: the transfer is refused while items are missing, and nothing is recorded
    page.fill("#id_receipt_number", "LJCJ-2026-0031")
    page.set_input_files("#id_receipt_file", files=[{"name": "回执.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    with page.expect_navigation():
        page.locator("[data-testid=transfer-submit]").click()
    assert "必须归档的文件尚未齐全，不能移交" in page.locator("[data-testid=archive-error]").inner_text()
    assert not ArchiveTransfer.objects.filter(project=project).exists()
    hemin.console_errors.clear()  # the refusal answers 400, which Chromium logs
    hemin.screenshot("archive-blocked")
    # she uploads each missing item and verifies it with its page count
    for code, pages in (("D-01", "36"), ("E1-03", "4")):
        page.goto(f"{base}/closeout/archives/{project.pk}/")
        row = page.locator(f"[data-testid=archive-item][data-code='{code}']")
        assert row.get_attribute("data-state") == "missing"
        row.locator("[data-testid=upload-form] input[type=file]").set_input_files(
            files=[{"name": f"{code}.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        with page.expect_navigation():
            row.locator("[data-testid=upload-form] button").click()
        row = page.locator(f"[data-testid=archive-item][data-code='{code}']")
        assert row.get_attribute("data-state") == "unverified"
        row.locator("[data-testid=verify-form] input[name=pages]").fill(pages)
        row.locator("[data-testid=verify-form] input[name=note]").fill("原件，签章齐全")
        with page.expect_navigation():
            row.locator("[data-testid=verify-form] button").click()
        assert page.locator(f"[data-testid=archive-item][data-code='{code}']").get_attribute("data-state") == "verified"
    assert page.locator("[data-testid=archive-missing]").inner_text() == "0 项"
    # now the transfer with the receipt
    page.fill("#id_receipt_number", "LJCJ-2026-0031")
    page.fill("#id_transferred_on", dt.date.today().isoformat())
    page.set_input_files("#id_receipt_file", files=[{"name": "回执.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    with page.expect_navigation():
        page.locator("[data-testid=transfer-submit]").click()
    assert "回执编号 LJCJ-2026-0031" in page.locator("[data-testid=archive-transfer]").inner_text()
    hemin.screenshot("archive-transferred")
    hemin.assert_clean()
    transfer = ArchiveTransfer.objects.get(project=project)
    assert (transfer.receipt_number, transfer.transferred_on) == ("LJCJ-2026-0031", dt.date.today())
    # the project's gate: the archive conditions are met
    page.goto(f"{base}/projects/{project.pk}/")
    from govworks.projects.services.projects import gate_conditions

    assert [c.code for c in gate_conditions(project) if not c.ok and c.code.startswith("archive.")] == []

    # 李明 records a lesson on a project after 竣工验收; it shows on another 修缮 project's initiation page
    done = Project.objects.filter(
        agency=project.agency, project_type="repair", stage__in=[Stage.ACCEPTANCE, Stage.SETTLEMENT]
    ).first()
    done = done or Project.objects.get(name="老干部活动中心屋面防水修缮")
    starting = Project.objects.filter(
        agency=project.agency, project_type="repair", stage__in=[Stage.INITIATION, Stage.FEASIBILITY]
    ).first()
    assert starting is not None
    liming = _open(open_page, base, "liming")
    page = liming.page
    page.goto(f"{base}/closeout/reviews/{done.pk}/")
    form = page.locator("[data-testid=lesson-form]")
    form.locator("select[name=stage]").select_option("construction")
    form.locator("select[name=category]").select_option("quality")
    form.locator("input[name=title]").fill("屋面闭水试验须在保护层施工前完成")
    form.locator("textarea[name=content]").fill("保护层完工后才做闭水试验，渗漏点难以查找，返工两次。")
    form.locator("textarea[name=advice]").fill("防水层完成后先做48小时闭水试验并由监理签认。")
    with page.expect_navigation():
        form.locator("button").click()
    assert "屋面闭水试验须在保护层施工前完成" in page.locator("[data-testid=project-lessons]").inner_text()
    assert Lesson.objects.filter(project=done, title="屋面闭水试验须在保护层施工前完成").exists()
    page.goto(f"{base}/projects/{starting.pk}/")
    panel = page.locator("[data-testid=lessons-panel]")
    assert "屋面闭水试验须在保护层施工前完成" in panel.inner_text()
    liming.screenshot("lessons-on-initiation")
    liming.assert_clean()
