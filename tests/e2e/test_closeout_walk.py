"""One project walked from 施工 to 关闭 in a real browser, by the people of each role, only by clicking and filling
forms (issue 13: "Browser test: one project walked from 施工 to 关闭").

Set up through the services (like the other e2e tests): a project of 临江市机关事务管理局 in 施工 whose works are
finished (its one task reported 100 % by 临江建工 and confirmed by 浙临监理), with its signed construction and
supervision contracts and its budget received. Then, in the browser:

1. 马超 (施工单位) declares completion; 李明 files the 工程竣工报告 and leaves 施工.
2. 李明 records the written notice to the quality supervision body, organises the acceptance with the five
   parties; 马超 and 杨帆 sign for their companies, 李明 for the others; 合格; the 备案; 竣工验收 left.
3. 马超 submits the 结算书; 内审 郑丽 draws the audit firm and records its result; 马超 confirms; 科室负责人 陈志强
   approves; 结算审计 left.
4. 财务 刘静 prepares the final accounts with the 报送资料; 郑丽 → 赵立新 → 孙国平 approve; 刘静 records the
   surplus returned and files the report; 竣工决算 left.
5. 档案员 何敏 uploads what is missing, verifies every item and records the transfer; 档案移交 left.
6. 刘静 builds the 交付使用资产清单 for 办公室; 何敏 of 办公室 confirms receipt (not the preparer); 刘静 files the
   list; 资产移交 left.
7. 李明's self-evaluation, 郑丽's review (not the one who filled it); 李明 writes the 复盘 and 陈志强 approves it;
   李明 closes the project, whose workspace then shows the close-out summary.

No page asks for anything not served by GovWorks and no console error appears. The database is only read (to
find URLs and assert what the pages did)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.test_construction import Desks, save, submit
from tests.e2e.test_foundation import clear_forced_change
from tests.e2e.test_lifecycle import advance, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = ("liming", "machao", "yangfan", "zhengli", "chenzq", "liujing", "zhangli", "zhaolx", "sungp", "hemin")
NAME = "机关报告厅照明及音响改造"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _file(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def _works_finished() -> Any:
    """The project in 施工 (services), its one task reported done by the contractor and confirmed by the supervisor."""
    from govworks.closeout.demo_walk import project_in_construction
    from govworks.construction.models import ScheduleTask
    from govworks.construction.services.schedule import progress_confirm, progress_report
    from govworks.org.models import User

    people = {u.username: u for u in User.objects.filter(username__in=PEOPLE)}
    project = project_in_construction(people, name=NAME)
    for task in ScheduleTask.objects.filter(project=project):
        report = progress_report(actor=people["machao"], task=task, as_of=timezone.localdate(), percent=Decimal(100))
        progress_confirm(actor=people["yangfan"], report=report, opinion="现场核实，已全部完成")
    return project


def _sign(page: Any, role: str, text: str) -> None:
    submit(page, page.locator(f"[data-testid=sign-{role}]"))
    page.check("#id_opinion_0")
    page.fill("#id_text", text)
    save(page)


def _post(page: Any, testid: str) -> None:
    submit(page, page.locator(f"[data-testid={testid}]"))


def test_one_project_walked_from_construction_to_closed_by_clicking(demo: Any, open_page: Any, live_server: Any) -> None:
    from govworks.closeout.models import (
        Acceptance,
        ArchiveTransfer,
        AssetHandover,
        Evaluation,
        FinalAccounts,
        ReviewReport,
        Settlement,
    )
    from govworks.closeout.selectors import final_accounts as fa_selectors
    from govworks.procurement.models import Contract
    from govworks.projects.models import Project

    clear_forced_change(*PEOPLE)
    project = _works_finished()
    pk = project.pk
    base = live_server.url
    desks = Desks(open_page, base)
    workspace = f"{base}/projects/{pk}/"
    today = timezone.localdate()

    # 1. 施工 → 竣工验收 ----------------------------------------------------------------------------------------
    page = desks("machao")
    page.goto(f"{base}/closeout/projects/{pk}/acceptance/")
    _post(page, "declare")
    page.fill("#id_note", "会议厅灯具、智能照明控制及音响系统已全部安装调试完毕，自检合格。")
    save(page)
    assert page.locator("[data-testid=acceptance-status]").inner_text() == "施工单位已申报竣工"

    page = desks("liming")
    page.goto(workspace)
    upload(page, project.code, "工程竣工报告")
    advance(page, "施工内容全部完成并经监理确认", "竣工验收")

    # 2. 竣工验收: the notice to the quality supervision body, the five parties, 合格, 备案 ------------------------
    page.goto(f"{base}/closeout/projects/{pk}/acceptance/")
    assert page.locator("[data-testid=supervision-missing]").is_visible()
    _post(page, "supervision")
    page.fill("#id_notified_on", (today - dt.timedelta(days=21)).isoformat())
    page.fill("#id_body", "临江市建设工程质量监督站")
    page.set_input_files("#id_file", files=[_file("竣工验收通知书.pdf")])
    save(page)
    assert "临江市建设工程质量监督站" in page.locator("[data-testid=supervision-notice]").inner_text()
    _post(page, "organise")
    page.fill("#id_survey", "临江市勘察测绘研究院")
    page.fill("#id_design", "临江市建筑设计研究院有限公司")
    save(page)
    assert page.locator("[data-testid=acceptance-status]").inner_text() == "验收组织中"
    for username, role, text in (
        ("machao", "contractor", "工程已按合同完成，同意验收。"),
        ("yangfan", "supervisor", "质量评估合格，同意验收。"),
    ):
        p = desks(username)
        p.goto(f"{base}/closeout/projects/{pk}/acceptance/")
        _sign(p, role, text)
    page.goto(f"{base}/closeout/projects/{pk}/acceptance/")
    for role in ("owner", "survey", "design"):
        _sign(page, role, "同意验收（依签字的纸质意见登记）。")
    _post(page, "conclude")
    page.check("#id_passed_0")
    page.fill("#id_note", "工程质量符合设计和规范要求，验收组一致同意验收合格。")
    save(page)
    assert page.locator("[data-testid=acceptance-status]").inner_text() == "验收合格"
    _post(page, "filing")
    page.fill("#id_filed_on", today.isoformat())
    page.fill("#id_number", f"临建竣备〔{today.year}〕77号")
    page.fill("#id_authority", "临江市住房和城乡建设局")
    page.set_input_files("#id_file", files=[_file("备案表.pdf")])
    save(page)
    page.goto(workspace)
    advance(page, "竣工验收合格并已备案", "结算审计")

    # 3. 结算审计 --------------------------------------------------------------------------------------------------
    contract = Contract.objects.get(project=project, is_main_construction=True)
    settlement_url = f"{base}/closeout/settlements/contract/{contract.pk}/"
    page = desks("machao")
    page.goto(settlement_url)
    page.fill("[data-testid=submit-amount]", "268000")
    page.set_input_files("[data-testid=submit-files]", files=[_file("结算书.pdf")])
    _post(page, "settlement-submit")
    page = desks("zhengli")
    page.goto(settlement_url)
    _post(page, "settlement-draw")
    page.fill("[data-testid=result-report]", f"临审结〔{today.year}〕12号")
    page.fill("[data-testid=line-name-0]", "灯具及安装")
    page.fill("[data-testid=line-submitted-0]", "200000")
    page.fill("[data-testid=line-approved-0]", "191200")
    page.fill("[data-testid=line-reason-0]", "灯具数量按竣工图核减")
    page.fill("[data-testid=line-name-1]", "音响及控制系统")
    page.fill("[data-testid=line-submitted-1]", "68000")
    page.fill("[data-testid=line-approved-1]", "68000")
    _post(page, "result-save")
    assert page.locator("[data-testid=settlement-approved]").inner_text().startswith("259,200.00")
    page = desks("machao")
    page.goto(settlement_url)
    _post(page, "settlement-confirm")
    page = desks("chenzq")
    page.goto(settlement_url)
    _post(page, "settlement-approve")
    assert page.locator("[data-testid=settlement-status]").inner_text() == "已审定批准"
    page = desks("liming")
    page.goto(workspace)
    advance(page, "结算审定", "竣工决算")

    # 4. 竣工决算 --------------------------------------------------------------------------------------------------
    fa_url = f"{base}/closeout/final-accounts/{pk}/"
    page = desks("liujing")
    page.goto(fa_url)
    _post(page, "fa-start")
    for code in ("initiation", "feasibility", "prelim_design", "estimate_adjustment", "investment_plans", "audit_opinions",
                 "settlement_reports", "other"):  # fmt: skip
        page.goto(fa_url)
        _post(page, f"fa-doc-{code}")
        if code == "estimate_adjustment":
            page.fill("#id_missing_reason", "本项目未调整概算")
        else:
            page.set_input_files("#id_file", files=[_file(f"{code}.pdf")])
        save(page)
    page.goto(fa_url)
    _post(page, "fa-submit")
    assert page.locator("[data-testid=fa-state]").inner_text() == "审批中"
    approval_url = page.locator("[data-testid=fa-approval-link]").get_attribute("href")
    for username in ("zhengli", "zhaolx", "sungp"):
        p = desks(username)
        p.goto(f"{base}{approval_url}")
        form = p.locator("[data-testid=decide-form]")
        form.locator("input[name=decision][value=approve]").check()
        form.locator("textarea").fill("同意")
        submit(p, form.locator("button[type=submit]"))
    page.goto(fa_url)
    assert page.locator("[data-testid=fa-state]").inner_text() == "已批准"
    surplus = fa_selectors.sheet_of(project).surplus
    assert surplus > 0
    _post(page, "fa-add-surplus")
    page.select_option("#id_source", index=1)
    page.fill("#id_amount", f"{surplus:.2f}")
    page.fill("#id_returned_on", today.isoformat())
    page.fill("#id_document_number", "非税缴款书 3301-0421")
    save(page)
    page.goto(fa_url)
    _post(page, "fa-file")
    page = desks("liming")
    page.goto(workspace)
    advance(page, "竣工财务决算已批复", "档案移交")

    # 5. 档案移交 --------------------------------------------------------------------------------------------------
    archive_url = f"{base}/closeout/archives/{pk}/"
    page = desks("hemin")
    page.goto(archive_url)
    while page.locator("[data-testid=archive-item][data-state=missing]").count():
        row = page.locator("[data-testid=archive-item][data-state=missing]").first
        code = row.get_attribute("data-code")
        row.locator("[data-testid=upload-form] input[type=file]").set_input_files(files=[_file(f"{code}.pdf")])
        submit(page, row.locator("[data-testid=upload-form] button"))
    while page.locator("[data-testid=archive-item][data-state=unverified]").count():
        row = page.locator("[data-testid=archive-item][data-state=unverified]").first
        row.locator("[data-testid=verify-form] input[name=pages]").fill("3")
        row.locator("[data-testid=verify-form] input[name=note]").fill("原件，签章齐全")
        submit(page, row.locator("[data-testid=verify-form] button"))
    assert page.locator("[data-testid=archive-missing]").inner_text() == "0 项"
    page.fill("#id_receipt_number", f"LJCJ-{today.year}-0421")
    page.fill("#id_transferred_on", today.isoformat())
    page.set_input_files("#id_receipt_file", files=[_file("回执.pdf")])
    _post(page, "transfer-submit")
    assert "LJCJ" in page.locator("[data-testid=archive-transfer]").inner_text()
    page = desks("liming")
    page.goto(workspace)
    advance(page, "工程档案已移交城建档案馆", "资产移交")

    # 6. 资产移交 --------------------------------------------------------------------------------------------------
    asset_url = f"{base}/closeout/assets/{pk}/"
    page = desks("liujing")
    page.goto(asset_url)
    _post(page, "asset-start")
    page.select_option("#id_using_department", label="办公室")
    save(page)
    assert page.locator("[data-testid=asset-reconciled]").is_visible()
    _post(page, "asset-submit")
    assert page.locator("[data-testid=asset-status]").inner_text() == "待使用单位确认"
    page = desks("hemin")
    page.goto(asset_url)
    _post(page, "asset-confirm")
    assert page.locator("[data-testid=asset-status]").inner_text() == "已确认接收"
    page = desks("liujing")
    page.goto(asset_url)
    _post(page, "asset-file")
    page = desks("liming")
    page.goto(workspace)
    advance(page, "交付使用资产已移交办公室", "绩效评价")

    # 7. 绩效评价, 复盘, 关闭 ----------------------------------------------------------------------------------------
    evaluation_url = f"{base}/closeout/projects/{pk}/evaluation/"
    page.goto(evaluation_url)
    _post(page, "evaluation-start")
    while page.locator("[data-testid=indicator-fill]", has_text="评分").count():
        submit(page, page.locator("[data-testid=indicator-fill]", has_text="评分").first)
        points = page.locator("[data-testid=form]").inner_text()
        page.fill("#id_score", "3" if "分值 3 分" not in points and "分值 4 分" not in points else "2.5")
        page.fill("#id_comment", "依据项目资料和现场核查评分")
        page.set_input_files("#id_evidence", files=[_file("佐证材料.pdf")])
        save(page)
    page.fill("#id_summary", "项目按批复内容完成，年节电约12万千瓦时，达到预期绩效目标。")
    _post(page, "evaluation-submit")
    assert page.locator("[data-testid=evaluation-status]").inner_text() == "待部门评价"
    p = desks("zhengli")
    p.goto(evaluation_url)
    p.fill("#id_opinion", "自评依据充分，评分客观，同意评定。")
    _post(p, "evaluation-approve")
    assert p.locator("[data-testid=evaluation-status]").inner_text() == "已评定"

    review_url = f"{base}/closeout/reviews/{pk}/"
    page.goto(review_url)
    form = page.locator("[data-testid=review-form]")
    form.locator("textarea[name=went_well]").fill("分区夜间施工，不影响会议使用；结算、决算按期完成。")
    form.locator("textarea[name=went_badly]").fill("隐蔽部位检查不到位。")
    form.locator("textarea[name=root_causes]").fill("吊顶封板前未安排专项检查。")
    submit(page, form.locator("button"))
    lesson = page.locator("[data-testid=lesson-form]")
    lesson.locator("select[name=stage]").select_option("construction")
    lesson.locator("select[name=category]").select_option("quality")
    lesson.locator("input[name=title]").fill("吊顶内灯具接线盒须在封板前逐个检查")
    lesson.locator("textarea[name=content]").fill("竣工验收前发现检修口处接线盒未封盖，返工一次。")
    lesson.locator("textarea[name=advice]").fill("吊顶封板前由监理逐个检查接线盒并拍照留存。")
    submit(page, lesson.locator("button"))
    _post(page, "review-submit")
    p = desks("chenzq")
    p.goto(review_url)
    approve = p.locator("[data-testid=approve-form]")
    approve.locator("select[name=decision]").select_option("approve")
    approve.locator("input[name=comment]").fill("同意，纳入基建科管理手册。")
    submit(p, approve.locator("button"))

    page.goto(f"{base}/closeout/projects/{pk}/close/")
    assert not page.locator("[data-testid=close-blocked]").count()
    page.fill("#id_note", "收尾记录齐全，项目关闭")
    _post(page, "close-submit")
    assert page.locator("[data-testid=project-closed]").is_visible()
    page.goto(workspace)
    assert page.locator("[data-testid=closeout-panel]").is_visible()
    desks.shot("liming", "closeout-walk-closed")
    desks.assert_clean()

    project = Project.objects.get(pk=pk)
    assert project.stage == "closed"
    a = Acceptance.objects.get(project=project)
    assert a.status == "passed" and a.filed_on == today and a.supervision_body == "临江市建设工程质量监督站"
    settlement = Settlement.objects.get(contract=contract)
    assert settlement.status == Settlement.Status.APPROVED and settlement.approved_by.username == "chenzq"
    assert FinalAccounts.objects.get(project=project).report_filed_at is not None
    assert ArchiveTransfer.objects.get(project=project).recorded_by.username == "hemin"
    assert AssetHandover.objects.get(project=project).confirmed_by.username == "hemin"
    evaluation = Evaluation.objects.get(project=project)
    assert evaluation.status == "approved" and evaluation.reviewed_by.username == "zhengli"
    assert ReviewReport.objects.get(project=project).approved_by.username == "chenzq"
