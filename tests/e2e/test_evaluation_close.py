"""Performance evaluation and close in a real browser, by clicking (issue 13 items 7 and 9).

On the demo project 机关车库屋面防水维修 (entered at 绩效评价; acceptance … asset handover done offline), 工程管理岗
李明 starts the evaluation: the indicators GovWorks measures (资金到位率 from the funds…) arrive filled with their
source and numbers; he scores every other indicator with a comment and an evidence file and submits the
self-evaluation. 内审 郑丽 approves it in the 部门评价: the page shows the score and the grade, the report is filed
as the stage's document. 李明 then tries to close: the close page shows the 复盘 missing and the button is
disabled; once the 复盘 is recorded (its provider plugged in here) he closes the project, and its workspace shows
the close-out summary."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.e2e.test_foundation import DEMO_PASSWORD, clear_forced_change, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "机关车库屋面防水维修"
EVIDENCE = {"name": "佐证材料.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 evidence of the self-evaluation"}


def _open(open_page: Any, base: str, username: str) -> Any:
    watch = open_page()
    sign_in(watch, base, username, DEMO_PASSWORD)
    assert "/accounts/" not in watch.page.url, f"{username} could not sign in"
    return watch


def test_self_evaluation_review_grade_then_close_blocked_and_done(demo: Any, open_page: Any, live_server: Any) -> None:
    from govworks.closeout.models import Evaluation
    from govworks.closeout.selectors import facts
    from govworks.projects.models import Project

    base = live_server.url
    clear_forced_change("liming", "zhengli")
    project = Project.objects.get(name=PROJECT)
    assert project.stage == "evaluation" and not Evaluation.objects.filter(project=project).exists()

    pm = _open(open_page, base, "liming")
    page = pm.page
    # the workbench names the self-evaluation with its due date
    page.goto(f"{base}/")
    page.get_by_text(f"绩效自评：{project.code}").first.click()
    page.wait_for_load_state("networkidle")
    assert f"/closeout/projects/{project.pk}/evaluation/" in page.url
    with page.expect_navigation():
        page.locator("[data-testid=evaluation-start]").click()
    sources = page.locator("[data-testid=indicator-source]").all_inner_texts()
    assert any("实际到位" in s and "÷ 预算指标" in s for s in sources), sources
    page.locator("[data-testid=evaluation-chart] canvas, [data-testid=evaluation-chart] svg").first.wait_for()

    # every indicator GovWorks does not measure, scored by hand with a comment and evidence
    while page.locator("[data-testid=indicator-fill]", has_text="评分").count():
        with page.expect_navigation():
            page.locator("[data-testid=indicator-fill]", has_text="评分").first.click()
        points = page.locator("[data-testid=form]").inner_text()
        page.fill("#id_score", "3" if "分值 3 分" not in points and "分值 4 分" not in points else "2.5")
        page.fill("#id_comment", "依据项目资料和现场核查评分")
        page.set_input_files("#id_evidence", files=[EVIDENCE])
        with page.expect_navigation():
            page.locator("[data-testid=form] button[type=submit]").click()
        assert "/evaluation/" in page.url, page.locator("body").inner_text()[:500]
    page.fill("#id_summary", "项目按批复内容完成建设，资金使用规范，达到预期绩效目标。")
    with page.expect_navigation():
        page.locator("[data-testid=evaluation-submit]").click()
    assert page.locator("[data-testid=evaluation-status]").inner_text() == "待部门评价"
    pm.screenshot("evaluation-self")
    pm.assert_clean()

    # 内审 郑丽 approves in the 部门评价: score, grade and the filed report are shown
    auditor = _open(open_page, base, "zhengli")
    ap = auditor.page
    ap.goto(f"{base}/closeout/evaluations/?status=submitted")
    with ap.expect_navigation():
        ap.locator("[data-testid=evaluation-row] a", has_text=project.name).click()
    ap.fill("#id_opinion", "自评依据充分，评分客观，同意评定。")
    with ap.expect_navigation():
        ap.locator("[data-testid=evaluation-approve]").click()
    assert ap.locator("[data-testid=evaluation-status]").inner_text() == "已评定"
    evaluation = Evaluation.objects.get(project=project)
    assert ap.locator("[data-testid=evaluation-grade]").inner_text() == evaluation.get_grade_display()
    assert ap.locator("[data-testid=evaluation-score]").inner_text() == str(evaluation.score)
    assert ap.locator("[data-testid=evaluation-report]").is_visible()
    auditor.screenshot("evaluation-approved")
    auditor.assert_clean()

    # 李明 tries to close: blocked while the 复盘 is missing
    page.goto(f"{base}/closeout/projects/{project.pk}/close/")
    assert page.locator("[data-testid=close-blocked]").is_visible()
    assert page.locator("[data-testid=close-submit]").is_disabled()
    blocked = page.locator("[data-testid=close-condition][data-ok='0']").all_inner_texts()
    assert len(blocked) == 1 and "项目复盘报告已完成" in blocked[0], blocked
    pm.screenshot("close-blocked")

    # the 复盘 is finished (its area's provider, plugged in for this walk); now the project closes
    saved = facts._providers.get("review.finished_on")
    facts.unregister_project_fact("review.finished_on")
    facts.register_project_fact("review.finished_on", lambda p: dt.date.today() if p.pk == project.pk else None)
    try:
        page.reload()
        assert not page.locator("[data-testid=close-blocked]").count()
        page.fill("#id_note", "收尾记录齐全，项目关闭")
        with page.expect_navigation():
            page.locator("[data-testid=close-submit]").click()
        assert page.locator("[data-testid=project-closed]").is_visible()
        assert Project.objects.get(pk=project.pk).stage == "closed"
        page.goto(f"{base}/projects/{project.pk}/")
        panel = page.locator("[data-testid=closeout-panel]")
        assert panel.is_visible() and evaluation.get_grade_display() in panel.locator("[data-testid=summary-grade]").inner_text()
        pm.screenshot("closed-project")
        pm.assert_clean()
    finally:
        facts.unregister_project_fact("review.finished_on")
        if saved is not None:
            facts.register_project_fact("review.finished_on", saved)
