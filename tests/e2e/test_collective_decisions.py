"""三重一大 for every object a service demands a decision on, in a real browser (issue 11, item 1):

On the demo project 档案库房消防系统改造 of 临江市机关事务管理局, three things are blocked until the
leadership decides them collectively:

* a 480,000 元 draft contract (at least 三重一大大额资金起点 300,000 元): 李明 tries to sign it and is refused;
* the demo's change order that takes the contract's changes to 12 % (above 10 %): 陈志强, 赵立新 and 孙国平
  approve its 重大变更审批 from their pages, 李明 tries to finalise it and is refused;
* a progress payment of 320,000 元 net: 李明 submits it, 陈志强, 刘静, 赵立新 and 孙国平 approve it, 刘静 tries
  to finalise it and is refused.

Then 李明 organises a 党组会议 chaired by 孙国平, records that everyone is present, puts the three objects on
the agenda from the agenda page (grouped by kind, each with its facts), records the four members' opinions;
孙国平 concludes each item last. Afterwards the contract is signed, the change finalised and the payment
finalised into a treasury instruction — each by a click. The world (the draft contract and the payment
draft) is built with the services; every decision and approval is made by clicking. The database is only
read to find ids and assert what the pages did."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.test_foundation import clear_forced_change
from tests.e2e.test_lifecycle import Desks, save, submit, success

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "档案库房消防系统改造"
PEOPLE = ("liming", "chenzq", "zhaolx", "sungp", "liujing", "zhangli", "wuhy")
MEMBERS = ("赵立新", "陈志强", "刘静", "吴海燕")


def build_world() -> tuple[Any, Any, Any]:
    """The draft 480,000 元 contract, the demo's 12 % change and a drafted 400,000 元 progress request."""
    from govworks.finance.models import FundingSource
    from govworks.finance.services import payments
    from govworks.org.models import User
    from govworks.procurement.models import ChangeOrder, Contract
    from govworks.procurement.services import contracts as contract_services
    from govworks.procurement.services import lots as lot_services
    from govworks.projects.models import Project

    liming = User.objects.get(username="liming")
    project = Project.objects.get(name=PROJECT)
    main = Contract.objects.get(project=project, is_main_construction=True)
    today = timezone.localdate()
    lot = lot_services.lot_create(
        actor=liming, project=project, name="档案库房恒温恒湿系统", category="goods", estimated_amount=Decimal("480000")
    )
    lot = lot_services.lot_choose_method(actor=liming, lot=lot, method="open_tender")
    contract = contract_services.contract_create(
        actor=liming,
        lot=lot,
        supplier=main.supplier,
        title="档案库房恒温恒湿系统采购安装合同",
        amount=Decimal("480000"),
        pricing_type="lump_sum",
        starts_on=today,
        ends_on=today + dt.timedelta(days=90),
        award_notice_on=today - dt.timedelta(days=3),
        performance_bond=Decimal(0),
        advance_ratio=Decimal("0.20"),
        progress_ratio=Decimal("0.80"),
        quality_deposit_ratio=Decimal("0.03"),
        defect_period_months=24,
        is_main_construction=False,
        milestones=[
            {"kind": "advance", "ratio": Decimal("0.20"), "condition": "合同签订后"},
            {"kind": "progress", "ratio": Decimal("0.80"), "condition": "到货安装后"},
        ],
    )
    change = ChangeOrder.objects.get(contract=main, requires_higher_approval=True, status=ChangeOrder.Status.SUBMITTED)
    request = payments.payment_request_create(
        actor=liming,
        milestone=main.milestones.get(kind="progress", seq__lt=90),
        source=FundingSource.objects.get(project=project, kind="fiscal"),
        gross_amount=Decimal("400000"),
        purpose="第4期进度款",
    )
    return contract, change, request


def refusal_logged(desks: Desks, username: str) -> None:
    """A refusal page answers 400 (as every refusal does); Chromium logs that one expected status."""
    watch = desks.watches[username]
    assert watch.console_errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    watch.console_errors.clear()


def approve(desks: Desks, username: str, approval_pk: int, opinion: str) -> None:
    page = desks(username)
    page.goto(f"{desks.base}/projects/approvals/{approval_pk}/")
    form = page.locator("[data-testid=decide-form]")
    form.locator("input[name=decision][value=approve]").check()
    form.locator("textarea[name=opinion]").fill(opinion)
    submit(page, form.locator("button[type=submit]"))


def test_contract_change_and_payment_go_from_blocked_to_done_through_a_meeting(
    demo: Any, open_page: Any, live_server: Any
) -> None:
    from govworks.finance.models import PaymentInstruction, PaymentRequest
    from govworks.finance.services.payments import PAYMENT_KIND
    from govworks.org.models import User
    from govworks.procurement.models import ChangeOrder, Contract
    from govworks.procurement.services.contracts import CHANGE_KIND
    from govworks.projects.models import AgendaItem, ApprovalRequest

    clear_forced_change(*PEOPLE)
    desks = Desks(open_page, live_server.url)
    base = live_server.url
    contract, change, request = build_world()
    people = {u.username: u for u in User.objects.filter(username__in=PEOPLE)}

    # --- blocked: the contract cannot be signed
    pm = desks("liming")
    pm.goto(f"{base}/procurement/contracts/{contract.pk}/")
    with pm.expect_navigation():
        pm.get_by_role("link", name="签订合同").click()
    with pm.expect_navigation():
        pm.locator("[data-testid=form] button[type=submit]").click()
    assert "须经集体决策通过后方可签订" in " ".join(pm.locator(".alert-danger").all_inner_texts())
    refusal_logged(desks, "liming")
    assert Contract.objects.get(pk=contract.pk).status == Contract.Status.DRAFT

    # --- blocked: the 12 % change, approved by its chain, still waits for the decision
    approval = ApprovalRequest.objects.get(kind=CHANGE_KIND, subject_id=change.pk)
    for username in ("chenzq", "zhaolx", "sungp"):
        approve(desks, username, approval.pk, "同意变更，报集体决策")
    assert ApprovalRequest.objects.get(pk=approval.pk).status == ApprovalRequest.Status.APPROVED
    pm.goto(f"{base}/procurement/contracts/{change.contract_id}/")
    row = pm.locator("[data-testid=change-row]", has_text="12%")
    with pm.expect_navigation():
        row.get_by_role("button", name="办结").click()
    assert "集体决策（三重一大）通过" in " ".join(pm.locator(".alert-danger").all_inner_texts())
    assert ChangeOrder.objects.get(pk=change.pk).status == ChangeOrder.Status.SUBMITTED

    # --- blocked: the 320,000 元 payment, approved by its chain, still waits for the decision
    pm.goto(f"{base}/finance/requests/{request.pk}/")
    submit(pm, pm.locator("[data-testid=request-submit]"))
    assert pm.locator("[data-testid=request-amount]").inner_text().startswith("320,000.00")
    payment_approval = ApprovalRequest.objects.get(kind=PAYMENT_KIND, subject_id=request.pk)
    # the chain's 财务 step by the 会计 (张莉): 刘静, who issues the instruction, may have no earlier part (职责分离)
    for username in ("chenzq", "zhangli", "zhaolx", "sungp"):
        approve(desks, username, payment_approval.pk, "同意，按合同约定支付")
    fin = desks("liujing")
    fin.goto(f"{base}/finance/requests/{request.pk}/")
    assert "集体决策（三重一大）通过" in fin.locator("[data-testid=request-waiting]").inner_text()
    with fin.expect_navigation():
        fin.locator("[data-testid=request-finalize]").click()
    assert "集体决策（三重一大）通过" in fin.locator("[data-testid=refusal]").inner_text()
    refusal_logged(desks, "liujing")
    assert PaymentRequest.objects.get(pk=request.pk).status == PaymentRequest.Status.SUBMITTED

    # --- the meeting: scheduled and attended through the pages
    title = f"{timezone.localdate().year}年第12次局党组会议"
    pm.goto(f"{base}/projects/meetings/new/")
    pm.select_option("#id_kind", label="党组会议")
    pm.fill("#id_title", title)
    pm.fill("#id_held_on", timezone.localdate().isoformat())
    pm.select_option("#id_chair", value=str(people["sungp"].pk))
    for username in ("zhaolx", "chenzq", "liujing", "wuhy"):
        pm.locator(f"input[name=members][value='{people[username].pk}']").check()
    save(pm)
    success(pm, title)
    meeting_url = pm.url.split("#")[0]
    submit(pm, pm.locator("a.btn[title=登记出席]"))
    for box in pm.locator("input[name=present]").all():
        box.check()
    save(pm)
    success(pm, "出席情况已登记")
    assert "达到法定人数" in pm.locator("[data-testid=quorum]").inner_text()

    # --- the agenda page offers the three objects, each in its kind's group with its facts
    submit(pm, pm.locator("a.btn[title=增加议题]"))
    groups = pm.locator("[data-testid=subject-group]")
    contract_group = groups.filter(has_text="合同签订")
    assert contract_group.locator(f"[data-value='contract:{contract.pk}']").count() == 1
    facts = contract_group.locator(f"[data-value='contract:{contract.pk}']").inner_text()
    assert "480,000.00 元" in facts and contract.supplier.name in facts and "公开招标" in facts
    change_facts = groups.filter(has_text="重大变更").locator(f"[data-value='change:{change.pk}']").inner_text()
    assert "12%" in change_facts and "110,600.00 元" in change_facts
    payment_facts = groups.filter(has_text="大额付款").locator(f"[data-value='payment:{request.pk}']").inner_text()
    assert "320,000.00 元" in payment_facts and contract.supplier.name in payment_facts
    desks.shot("liming", "tzyd-agenda-subjects")
    agenda_url = pm.url
    titles = {}
    for value, agenda_title in (
        (f"contract:{contract.pk}", "审议恒温恒湿系统合同签订"),
        (f"change:{change.pk}", "审议气体灭火系统重大设计变更"),
        (f"payment:{request.pk}", "审议第4期进度款（大额资金使用）"),
    ):
        pm.goto(agenda_url)
        submit(pm, pm.locator(f"[data-value='{value}'] [data-testid=pick-subject]"))  # 选择: preselects the subject
        assert pm.locator("#id_subject").input_value() == value
        pm.fill("#id_title", agenda_title)
        save(pm)
        success(pm, agenda_title)
        titles[value] = agenda_title
    # each item shows its facts on the meeting page
    item = pm.locator("[data-testid=agenda-item]", has_text=titles[f"change:{change.pk}"])
    assert "累计变更比例（含本次）" in item.locator("[data-testid=subject-facts]").inner_text()
    assert "12%" in item.locator("[data-testid=subject-facts]").inner_text()

    # --- opinions of the four members, recorded by 李明
    for agenda_title in titles.values():
        for name in MEMBERS:
            item = pm.locator("[data-testid=agenda-item]", has_text=agenda_title)
            form = item.locator("[data-testid=opinion-form]")
            form.locator("select[name=member]").select_option(label=name)
            form.locator("input[name=choice][value=agree]").check()
            form.locator("textarea[name=comment]").fill(f"{name}：同意。")
            submit(pm, form.locator("button[type=submit]"))
            success(pm, f"已记录 {name} 的表态：同意")
    desks.shot("liming", "tzyd-meeting-opinions")

    # --- 孙国平 concludes each item last
    chair = desks("sungp")
    for agenda_title in titles.values():
        chair.goto(meeting_url)
        item = chair.locator("[data-testid=agenda-item]", has_text=agenda_title)
        form = item.locator("[data-testid=conclude-form]")
        form.locator("input[name=verdict][value=pass]").check()
        form.locator("textarea[name=conclusion]").fill("经集体讨论，同意。")
        submit(chair, form.locator("button[type=submit]"))
        success(chair, "已作出结论：通过")
    desks.shot("sungp", "tzyd-meeting-concluded")
    assert AgendaItem.objects.filter(meeting__title=title, status=AgendaItem.Status.PASSED).count() == 3

    # --- done: signed, finalised, finalised — each by a click
    pm.goto(f"{base}/procurement/contracts/{contract.pk}/")
    with pm.expect_navigation():
        pm.get_by_role("link", name="签订合同").click()
    save(pm)
    success(pm, "已签订")
    assert Contract.objects.get(pk=contract.pk).status == Contract.Status.SIGNED

    pm.goto(f"{base}/procurement/contracts/{change.contract_id}/")
    row = pm.locator("[data-testid=change-row]", has_text="12%")
    submit(pm, row.get_by_role("button", name="办结"))
    success(pm, "已批准")
    assert ChangeOrder.objects.get(pk=change.pk).status == ChangeOrder.Status.APPROVED

    fin.goto(f"{base}/finance/requests/{request.pk}/")
    submit(fin, fin.locator("[data-testid=request-finalize]"))
    assert fin.locator("[data-testid=request-status]").inner_text().startswith("已批准")
    assert PaymentInstruction.objects.filter(request_id=request.pk).count() == 1
    desks.assert_clean()
