"""Payments in a real browser, through the pages only (issue 6's done-when):

On the demo project 档案库房消防系统改造 (contract 1,580,000 元, progress paid at 85% of the completed value
confirmed at 900,000 元, 350,000 元 of progress already paid), 工程管理岗 李明 drafts a progress request of
500,000 元: on submission the system refuses it naming the rule (进度款比例) and the numbers, and nothing
changes. He then drafts 100,000 元 (20,000 元 of the advance taken back), submits it; 科室负责人 陈志强,
财务 刘静 and 分管领导 赵立新 approve it in turn; 刘静 finalizes it and it becomes a numbered treasury
payment instruction with the amount in Chinese capitals, printable as PDF. Screenshots of the refusal,
the request, the instructions, the cost centre and the fund dashboard. The database is only read."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.test_foundation import DEMO_PASSWORD, clear_forced_change, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "档案库房消防系统改造"


def _open(open_page: Any, base: str, username: str) -> Any:
    watch = open_page()
    watch.page.on("dialog", lambda dialog: dialog.accept())
    sign_in(watch, base, username, DEMO_PASSWORD)
    assert "/accounts/" not in watch.page.url, f"{username} could not sign in"
    return watch


def _draft(page: Any, base: str, project_pk: int, milestone: int, source: int, gross: str) -> str:
    page.goto(f"{base}/finance/projects/{project_pk}/requests/new/")
    page.select_option("#id_milestone", str(milestone))
    page.select_option("#id_source", str(source))
    page.fill("#id_gross_amount", gross)
    page.fill("#id_purpose", "第3期进度款")
    with page.expect_navigation():
        page.locator("[data-testid=form] button[type=submit]").click()
    assert "/finance/requests/" in page.url, page.url
    return str(page.url)


def test_over_ratio_progress_refused_and_approved_one_becomes_treasury_instruction(
    demo: Any, open_page: Any, live_server: Any
) -> None:
    from govworks.finance.models import FundingSource, PaymentInstruction, PaymentRequest
    from govworks.finance.services.payments import PAYMENT_KIND
    from govworks.procurement.models import PaymentMilestone
    from govworks.projects.models import ApprovalRequest, Project

    base = live_server.url
    clear_forced_change("liming", "chenzq", "zhangli", "liujing", "zhaolx")
    project = Project.objects.get(name=PROJECT)
    milestone = PaymentMilestone.objects.get(
        contract__project=project, contract__is_main_construction=True, kind="progress", seq__lt=90
    )
    source = FundingSource.objects.get(project=project, kind="fiscal")
    before = (PaymentRequest.objects.exclude(status="draft").count(), source.committed, PaymentInstruction.objects.count())

    pm = _open(open_page, base, "liming")
    page = pm.page
    # the money page of the project, with the cost centre and its chart
    page.goto(f"{base}/finance/projects/{project.pk}/")
    assert page.locator("[data-testid=cost-table]").is_visible()
    page.locator("[data-testid=cost-chart] svg").first.wait_for()
    pm.screenshot("finance-project")

    # 500,000 元 would bring progress to 850,000 元 > 85% × 900,000 = 765,000 元: refused on submission
    _draft(page, base, project.pk, milestone.pk, source.pk, "500000")
    with page.expect_navigation():
        page.locator("[data-testid=request-submit]").click()
    refusal = page.locator("[data-testid=refusal]").inner_text()
    assert "进度款比例" in refusal and "765,000.00 元" in refusal and "900,000.00 元" in refusal, refusal
    pm.screenshot("finance-refused")
    # the refusal page answers 400 (as every refusal does); Chromium logs that one expected status
    assert pm.console_errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    pm.console_errors.clear()
    assert (PaymentRequest.objects.exclude(status="draft").count(), FundingSource.objects.get(pk=source.pk).committed) == before[
        :2
    ]

    # 100,000 元 passes: the advance is taken back at the contract's 20%
    url = _draft(page, base, project.pk, milestone.pk, source.pk, "100000")
    assert page.locator("[data-testid=request-amount]").inner_text().startswith("80,000.00")
    with page.expect_navigation():
        page.locator("[data-testid=request-submit]").click()
    assert page.locator("[data-testid=request-status]").inner_text() == "审批中"
    request = PaymentRequest.objects.get(pk=int(url.rstrip("/").split("/")[-1]))
    approval = ApprovalRequest.objects.get(kind=PAYMENT_KIND, subject_id=request.pk)

    # 职责分离: the 会计 (张莉) decides the 财务 step, the 财务科长 (刘静), who had no part, finalizes
    for username in ("chenzq", "zhangli", "zhaolx"):
        watch = _open(open_page, base, username)
        p = watch.page
        p.goto(f"{base}/projects/approvals/{approval.pk}/")
        form = p.locator("[data-testid=decide-form]")
        form.locator("input[name=decision][value=approve]").check()
        form.locator("textarea").fill("同意，按合同约定支付")
        with p.expect_navigation():
            form.locator("button[type=submit]").click()
        watch.assert_clean()

    finance = _open(open_page, base, "liujing")
    fp = finance.page
    fp.goto(f"{base}/finance/requests/{request.pk}/")
    with fp.expect_navigation():
        fp.locator("[data-testid=request-finalize]").click()
    assert fp.locator("[data-testid=request-status]").inner_text().startswith("已批准")
    card = fp.locator("[data-testid=request-instruction]").inner_text()
    assert "捌万元整" in card and "ZF-" in card
    finance.screenshot("finance-request")
    instruction = PaymentInstruction.objects.get(request=request)
    response = fp.request.get(f"{base}/finance/instructions/{instruction.pk}/pdf/")
    assert response.status == 200 and response.body().startswith(b"%PDF")
    fp.goto(f"{base}/finance/instructions/")
    assert fp.locator("[data-testid=instruction-row]", has_text=instruction.number).is_visible()
    finance.screenshot("finance-instructions")
    fp.goto(f"{base}/finance/")
    fp.locator("[data-testid=chart-monthly] svg").first.wait_for()
    finance.screenshot("finance-dashboard")
    fp.goto(f"{base}/finance/?project={project.pk}")
    assert fp.locator("[data-testid=payment-drilldown]").is_visible()
    finance.screenshot("finance-dashboard-project")
    fp.goto(f"{base}/finance/projects/{project.pk}/costs/")
    fp.locator("[data-testid=cost-chart] svg").first.wait_for()
    finance.screenshot("finance-costs")
    page.goto(f"{base}/projects/{project.pk}/")
    assert page.locator("[data-testid=finance-panel]").is_visible()
    pm.screenshot("finance-workspace-panel")
    assert FundingSource.objects.get(pk=source.pk).committed == before[1] + instruction.amount
    for watch in (pm, finance):
        watch.assert_clean()
