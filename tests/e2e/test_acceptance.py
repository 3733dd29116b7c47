"""The completion acceptance in a real browser, through the pages only (issue 13, item 1):

A project whose works are finished (in 竣工验收, with 临江建工's signed main construction contract and 浙临监理's
supervision contract) is walked from blocked to done: the gate of 竣工验收 is closed; 马超 of 临江建工 declares
completion; 李明 finds it on his workbench and organises the acceptance, naming the survey and design units, and records
the written notice to the quality supervision body;
a problem found at the acceptance goes to 马超 as a rectification notice, he replies, 杨帆 of 浙临监理 verifies
it; every party signs (马超, 杨帆 for themselves, 李明 from the signed paper for the others); 李明 records
the conclusion 合格 (the record PDF is downloadable) and the 备案 with its stamped form; the gate opens and
李明 leaves the stage. No page asks for anything not served by GovWorks and no console error appears. The
project is set up through the services; the database is only read afterwards to assert what the pages did."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.test_construction import Desks, save, submit, work_item
from tests.e2e.test_foundation import clear_forced_change

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = ("liming", "machao", "yangfan")


def _finished_project() -> Any:
    from govworks.closeout.demo_acceptance import CONTRACTOR, SUPERVISOR, _sign
    from govworks.org.models import Department, User
    from govworks.procurement.models import Supplier
    from govworks.projects.services import projects as project_services

    liming = User.objects.get(username="liming")
    today = timezone.localdate()
    project = project_services.project_create_outside_plan(
        actor=liming, agency=liming.agency, manager=liming, department=Department.objects.get(agency=liming.agency, name="基建科"),
        name="机关食堂后厨排烟系统改造", project_type="repair", location="市级机关食堂", estimate_amount=Decimal("290000"),
        funding_source="fiscal", planned_start=today - dt.timedelta(days=120), planned_end=today - dt.timedelta(days=5),
        reason="上年度结转项目，本年度完工验收。",
    )  # fmt: skip
    project = project_services.project_import_at_stage(
        actor=liming, project=project, stage="acceptance", note="前期手续及施工已线下办理：临机事〔2025〕31号批复"
    )
    _sign(
        project,
        liming=liming,
        supplier=Supplier.objects.get(name=CONTRACTOR, external_org__isnull=False),
        main=True,
        amount=Decimal("256000"),
    )
    _sign(
        project,
        liming=liming,
        supplier=Supplier.objects.get(name=SUPERVISOR, external_org__isnull=False),
        main=False,
        amount=Decimal("12000"),
    )
    return project


def sign(page: Any, role: str, text: str) -> None:
    submit(page, page.locator(f"[data-testid=sign-{role}]"))
    page.check("#id_opinion_0")
    page.fill("#id_text", text)
    save(page)


def test_a_finished_project_is_accepted_filed_and_leaves_the_stage_by_clicking(
    demo: Any, open_page: Any, live_server: Any
) -> None:
    from govworks.closeout.models import Acceptance, DefectPeriod

    clear_forced_change(*PEOPLE)
    project = _finished_project()
    base = live_server.url
    desks = Desks(open_page, base)
    acceptance_url = f"{base}/closeout/projects/{project.pk}/acceptance/"

    # the stage's gate is closed: nothing recorded yet
    page = desks("liming")
    page.goto(f"{base}/projects/{project.pk}/")
    assert page.locator("[data-testid=advance]").get_attribute("aria-disabled") == "true"

    # 马超 (施工单位) declares completion
    page = desks("machao")
    page.goto(acceptance_url)
    submit(page, page.locator("[data-testid=declare]"))
    page.fill("#id_note", "排烟管道、风机及油烟净化设备已全部安装调试完毕，自检合格。")
    save(page)
    assert page.locator("[data-testid=acceptance-status]").inner_text() == "施工单位已申报竣工"

    # 李明 finds it on his workbench and organises the acceptance
    page = desks("liming")
    submit(page, work_item(page, base, "请组织竣工验收：" + project.code))
    submit(page, page.locator("[data-testid=organise]"))
    page.fill("#id_survey", "临江市勘察测绘研究院")
    page.fill("#id_design", "临江市建筑设计研究院有限公司")
    save(page)
    assert page.locator("[data-testid=acceptance-status]").inner_text() == "验收组织中"

    # the written notice to the quality supervision body, 7 working days before (here: three weeks before)
    assert page.locator("[data-testid=supervision-missing]").is_visible()
    submit(page, page.locator("[data-testid=supervision]"))
    page.fill("#id_notified_on", (timezone.localdate() - dt.timedelta(days=21)).isoformat())
    page.fill("#id_body", "临江市建设工程质量监督站")
    page.set_input_files(
        "#id_file", files=[{"name": "验收通知书.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 notice"}]
    )
    save(page)
    assert "临江市建设工程质量监督站" in page.locator("[data-testid=supervision-notice]").inner_text()

    # a problem is found at the acceptance: a rectification notice to 马超
    submit(page, page.locator("[data-testid=problem-new]"))
    page.fill("#id_finding", "排烟风机减振支架螺栓未紧固，运行噪声偏大")
    page.select_option("#id_raised_by_role", "supervisor")
    save(page)
    assert "待整改" in page.locator("[data-testid=problems]").inner_text()

    # 马超 replies through the construction loop, 杨帆 verifies it
    page = desks("machao")
    page.goto(acceptance_url)
    submit(page, page.locator("[data-testid=problems] a").first)
    submit(page, page.locator("[data-testid=notice-reply]"))
    page.fill("#id_text", "已紧固全部减振支架螺栓并复测噪声，符合要求。")
    save(page)
    page = desks("yangfan")
    page.goto(acceptance_url)
    submit(page, page.locator("[data-testid=problems] a").first)
    submit(page, page.locator("[data-testid=notice-verify]"))
    page.check("#id_passed_0")
    page.fill("#id_opinion", "复查合格，同意销项。")
    save(page)
    assert page.locator("[data-testid=notice-status]").inner_text() == "已销项"

    # every party signs its opinion
    page = desks("machao")
    page.goto(acceptance_url)
    sign(page, "contractor", "工程已按合同完成，同意验收。")
    page = desks("yangfan")
    page.goto(acceptance_url)
    sign(page, "supervisor", "质量评估合格，同意验收。")
    page = desks("liming")
    page.goto(acceptance_url)
    for role in ("owner", "survey", "design"):
        sign(page, role, "同意验收（依签字的纸质意见登记）。")

    # the conclusion 合格, with the record PDF
    submit(page, page.locator("[data-testid=conclude]"))
    page.check("#id_passed_0")
    page.fill("#id_note", "工程质量符合设计和规范要求，验收组一致同意验收合格。")
    save(page)
    assert page.locator("[data-testid=acceptance-status]").inner_text() == "验收合格"
    assert "待备案" in page.locator("[data-testid=filing-due]").inner_text()
    with page.expect_download() as download:
        page.locator("[data-testid=report-pdf]").click()
    assert download.value.suggested_filename.endswith(".pdf")

    # the 备案 with the stamped form
    submit(page, page.locator("[data-testid=filing]"))
    page.fill("#id_number", "临建竣备〔2026〕58号")
    page.fill("#id_authority", "临江市住房和城乡建设局")
    page.set_input_files("#id_file", files=[{"name": "备案表.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 filing"}])
    save(page)
    assert "临建竣备〔2026〕58号" in page.locator("[data-testid=filed]").inner_text()
    desks.shot("liming", "closeout-acceptance")

    # the gate is open: 李明 leaves 竣工验收
    page.goto(f"{base}/projects/{project.pk}/")
    submit(page, page.locator("[data-testid=advance]"))
    save(page)
    desks.assert_clean()

    a = Acceptance.objects.get(project=project)
    assert a.status == "passed" and a.filed_on is not None
    assert DefectPeriod.objects.get(project=project).starts_on == a.concluded_on
    project.refresh_from_db()
    assert project.stage == "settlement"
