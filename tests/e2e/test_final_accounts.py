"""竣工财务决算 → 审批 → 资产卡片 → 使用部门确认, in a real browser, by clicking (issue 13 items 3 and 5).

On the demo project 机关食堂节能改造 (in 竣工决算, final accounts being prepared): 财务 刘静 sees the lock on the
project's responsible people; 提交审批 is refused while 报送资料 are missing (the missing ones named, nothing
changed); she uploads one and names the others missing with reasons, submits; 内审 郑丽, 分管领导 赵立新 and 主要领导
孙国平 approve in turn on the approval page; 刘静 files the report (the lock is gone), builds the 交付使用资产清单 for
办公室, splits the contract card in two and submits; 何敏 of 办公室 confirms receipt. The gate of 竣工决算 is then met."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.test_foundation import DEMO_PASSWORD, clear_forced_change, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "机关食堂节能改造"


def _open(open_page: Any, base: str, username: str) -> Any:
    watch = open_page()
    watch.page.on("dialog", lambda dialog: dialog.accept())
    sign_in(watch, base, username, DEMO_PASSWORD)
    assert "/accounts/" not in watch.page.url, f"{username} could not sign in"
    return watch


def _submit_form(page: Any) -> None:
    with page.expect_navigation():
        page.locator("[data-testid=form] button[type=submit]").click()


def test_final_accounts_approval_asset_cards_and_confirmation(demo: Any, open_page: Any, live_server: Any, tmp_path: Any) -> None:
    from govworks.closeout.models import AssetHandover, FinalAccounts
    from govworks.closeout.registrations_final import _fa_gate
    from govworks.projects.models import Project

    base = live_server.url
    clear_forced_change("liujing", "zhengli", "zhaolx", "sungp", "hemin")
    project = Project.objects.get(name=PROJECT)
    detail = f"{base}/closeout/final-accounts/{project.pk}/"

    fin = _open(open_page, base, "liujing")
    page = fin.page
    page.goto(detail)
    assert "不得调离" in page.locator("[data-testid=fa-lock]").inner_text()
    assert page.locator("[data-testid=fa-state]").inner_text() == "编制中"
    fin.screenshot("final-accounts-draft")

    # submitting with 报送资料 missing is refused, naming them; nothing changes
    with page.expect_navigation():
        page.locator("[data-testid=fa-submit]").click()
    refusal = page.locator("[data-testid=refusal]").inner_text()
    assert "报送资料未齐" in refusal and "审计、检查意见或报告" in refusal, refusal
    assert FinalAccounts.objects.get(project=project).submitted_at is None
    fin.console_errors.clear()  # the refusal answers 400, which Chromium logs

    evidence = tmp_path / "结算审核报告.pdf"
    evidence.write_bytes(b"%PDF-1.4 settlement report")
    for code in ("investment_plans", "audit_opinions", "settlement_reports", "other"):
        page.goto(detail)
        page.locator(f"[data-testid=fa-doc-{code}]").click()
        if code == "settlement_reports":
            page.set_input_files("#id_file", str(evidence))
        else:
            page.fill("#id_missing_reason", "本项目无此项资料（已说明）")
        _submit_form(page)
        assert "/closeout/final-accounts/" in page.url and "documents" in page.url
    page.goto(detail)
    with page.expect_navigation():
        page.locator("[data-testid=fa-submit]").click()
    assert page.locator("[data-testid=fa-state]").inner_text() == "审批中"
    approval_url = page.locator("[data-testid=fa-approval-link]").get_attribute("href")

    for username in ("zhengli", "zhaolx", "sungp"):
        watch = _open(open_page, base, username)
        p = watch.page
        p.goto(f"{base}{approval_url}")
        form = p.locator("[data-testid=decide-form]")
        form.locator("input[name=decision][value=approve]").check()
        form.locator("textarea").fill("同意")
        with p.expect_navigation():
            form.locator("button[type=submit]").click()
        watch.assert_clean()

    page.goto(detail)
    assert page.locator("[data-testid=fa-state]").inner_text() == "已批准"
    with page.expect_navigation():
        page.locator("[data-testid=fa-file]").click()
    assert page.locator("[data-testid=fa-lock]").count() == 0
    fin.screenshot("final-accounts-approved")

    # the 交付使用资产清单 from the approved cost
    page.goto(f"{base}/closeout/assets/{project.pk}/")
    page.locator("[data-testid=asset-start]").click()
    page.select_option("#id_using_department", label="办公室")
    _submit_form(page)
    assert page.locator("[data-testid=asset-card]").count() == 3
    page.locator("[data-testid=asset-split-1]").click()
    page.fill("#id_name_1", "食堂厨房设备")
    page.select_option("#id_class_code_1", "2100000")
    page.fill("#id_name_2", "食堂装修")
    page.select_option("#id_class_code_2", "1020000")
    total = AssetHandover.objects.get(project=project).cards.get(seq=1).value
    page.fill("#id_value_1", "10000.00")
    page.fill("#id_value_2", f"{total - 10000:.2f}")
    _submit_form(page)
    assert page.locator("[data-testid=asset-card]").count() == 4
    assert page.locator("[data-testid=asset-reconciled]").is_visible()
    with page.expect_navigation():
        page.locator("[data-testid=asset-submit]").click()
    assert page.locator("[data-testid=asset-status]").inner_text() == "待使用单位确认"
    fin.assert_clean()

    office = _open(open_page, base, "hemin")
    op = office.page
    op.goto(f"{base}/closeout/assets/{project.pk}/")
    with op.expect_navigation():
        op.locator("[data-testid=asset-confirm]").click()
    assert op.locator("[data-testid=asset-status]").inner_text() == "已确认接收"
    office.screenshot("asset-handover-confirmed")
    office.assert_clean()
    assert AssetHandover.objects.get(project=project).confirmed_by.username == "hemin"
    assert {c.code for c in _fa_gate(project) if c.ok} >= {"closeout:fa_approved", "closeout:fa_report"}
