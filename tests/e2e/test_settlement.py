"""The settlement audit in a real browser, by clicking (issue 13 item 2): on a project past its completion
acceptance, the contractor 马超 submits the 结算书 (1,000,000 元 with its PDF); 内审 郑丽 draws the audit firm
from the register (the firm tied to the contractor is left out) and enters the firm's result line by line
(审定 940,000 元, 审减率 6.00%); the contractor confirms; 科室负责人 陈志强 approves. The 结算审计 gate then
names the approved amount."""

from __future__ import annotations

from typing import Any

import pytest

from govworks.closeout.tests.test_settlement import st  # noqa: F401
from govworks.finance.tests.conftest import _forget_workbench_cache, fin, fw  # noqa: F401
from govworks.org.tests.factories import PASSWORD
from govworks.projects.tests.conftest import lifecycle, make_project  # noqa: F401
from tests.e2e.test_foundation import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(open_page: Any, base: str, username: str) -> Any:
    watch = open_page()
    sign_in(watch, base, username, PASSWORD)
    assert "/accounts/" not in watch.page.url, f"{username} could not sign in"
    return watch


def test_contractor_submits_firm_drawn_result_confirmed_approved(
    st: Any,  # noqa: F811
    open_page: Any,
    live_server: Any,
    tmp_path: Any,
) -> None:
    from govworks.closeout.models import Settlement
    from govworks.finance.gates import _settlement_gate

    base = live_server.url
    url = f"{base}/closeout/settlements/contract/{st.contract.pk}/"
    book = tmp_path / "结算书.pdf"
    book.write_bytes(b"%PDF-1.4 settlement book")

    contractor = _as(open_page, base, st.contractor.username)
    page = contractor.page
    page.goto(url)
    page.fill("[data-testid=submit-amount]", "1000000")
    page.set_input_files("[data-testid=submit-files]", str(book))
    with page.expect_navigation():
        page.locator("[data-testid=settlement-submit]").click()
    assert page.locator("[data-testid=settlement-submitted]").inner_text().startswith("1,000,000.00")
    contractor.screenshot("settlement-submitted")

    auditor = _as(open_page, base, st.auditor.username)
    page = auditor.page
    page.goto(url)
    with page.expect_navigation():
        page.locator("[data-testid=settlement-draw]").click()
    assert st.firm.name in page.locator("[data-testid=settlement-firm]").inner_text()
    assert st.tied.name in page.locator("[data-testid=settlement-exclusions]").inner_text()
    page.fill("[data-testid=result-report]", "临审结〔2026〕3号")
    page.fill("[data-testid=line-name-0]", "建筑工程")
    page.fill("[data-testid=line-submitted-0]", "900000")
    page.fill("[data-testid=line-approved-0]", "840000")
    page.fill("[data-testid=line-reason-0]", "工程量按竣工图核减")
    page.fill("[data-testid=line-name-1]", "安装工程")
    page.fill("[data-testid=line-submitted-1]", "100000")
    page.fill("[data-testid=line-approved-1]", "100000")
    with page.expect_navigation():
        page.locator("[data-testid=result-save]").click()
    assert page.locator("[data-testid=settlement-approved]").inner_text().startswith("940,000.00")
    assert "6.00%" in page.locator("[data-testid=settlement-rate]").inner_text()
    auditor.screenshot("settlement-result")

    page = contractor.page
    page.goto(url)
    with page.expect_navigation():
        page.locator("[data-testid=settlement-confirm]").click()

    head = _as(open_page, base, st.head.username)
    page = head.page
    page.goto(url)
    with page.expect_navigation():
        page.locator("[data-testid=settlement-approve]").click()
    assert page.locator("[data-testid=settlement-status]").inner_text() == "已审定批准"
    head.screenshot("settlement-approved")
    for watch in (contractor, auditor, head):
        watch.assert_clean()

    assert Settlement.objects.get().status == Settlement.Status.APPROVED
    [condition] = _settlement_gate(st.project)
    assert condition.ok and "940,000.00 元" in condition.detail
