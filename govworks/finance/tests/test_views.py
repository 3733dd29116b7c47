"""Finance pages: the dashboard, the cost centre and the request register keep a constant query count as
rows grow; refusals render with 400 and change nothing; the instruction prints as PDF and Excel; the role
matrix of the request page; the workbench and the periodic wage job; the demo seeders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govworks.construction.models import PaymentFreeze
from govworks.finance import rules
from govworks.finance.models import DayLabour, FundingSource, PaymentRequest, WageAlert
from govworks.finance.services import funds, labour, payments, treasury
from govworks.finance.tests.conftest import TODAY, make_contract, milestone
from govworks.finance.tests.test_payments import approve_chain, confirm_value, draft, state


def _paid(fin: Any, kind: str, gross: str, day: dt.date) -> PaymentRequest:
    request = payments.payment_request_submit(actor=fin.pm, request=draft(fin, kind, gross))
    approve_chain(fin, request)
    instruction = payments.payment_request_finalize(actor=fin.finance, request=request)
    treasury.instruction_confirm(
        actor=fin.finance, instruction=instruction, paid=True, voucher_number=f"V{request.pk}", paid_on=day
    )
    return request


def _grow(fin: Any, n: int) -> None:
    """Add ``n`` paid progress payments, a cost item, day labour and another source."""
    base = PaymentRequest.objects.count()
    for i in range(n):
        confirm_value(fin, str(100000 * (base + i + 1)), days_ago=40 - base - i)
        _paid(fin, "progress", "20000", TODAY - dt.timedelta(days=30 - i))
    funds.cost_item_create(
        actor=fin.pm, project=fin.project, code=f"0{base + 1}", name=f"科目{base}", estimate_amount=Decimal("100000")
    )
    row = labour.day_labour_record(
        actor=fin.pm,
        project=fin.project,
        team=f"班组{base}",
        trade="普工",
        work_date=TODAY,
        people=2,
        workdays=Decimal(2),
        unit_price=Decimal(300),
        content="清理",
    )
    labour.day_labour_confirm(actor=fin.head, record=row)


def test_dashboard_cost_centre_and_register_keep_constant_queries(client: Client, fin: Any, count_queries: Any) -> None:
    client.force_login(fin.finance)
    pages = [
        reverse("finance:dashboard"),
        reverse("finance:dashboard") + f"?project={fin.project.pk}",
        reverse("finance:costs", args=[fin.project.pk]),
        reverse("finance:project", args=[fin.project.pk]),
        reverse("finance:request_list"),
        reverse("finance:instruction_list"),
    ]
    _grow(fin, 1)
    for url in pages:
        assert client.get(url).status_code == 200, url
    before = {url: count_queries(lambda u=url: client.get(u)) for url in pages}
    _grow(fin, 4)
    make_contract(fin, fin.project, amount="200000", title="附属工程合同", is_main_construction=False)
    after = {url: count_queries(lambda u=url: client.get(u)) for url in pages}
    assert after == before
    assert before[reverse("finance:costs", args=[fin.project.pk])] <= 17


def test_cost_centre_numbers(fin: Any) -> None:
    from govworks.finance.selectors.costs import cost_centre

    item = funds.cost_item_create(
        actor=fin.pm, project=fin.project, code="01", name="建安工程费", estimate_amount=Decimal("1200000")
    )
    funds.cost_item_create(actor=fin.pm, project=fin.project, code="02", name="其他费用", estimate_amount=Decimal("300000"))
    funds.contract_allocate(actor=fin.pm, contract=fin.contract, cost_item=item)
    _paid(fin, "advance", "200000", TODAY)
    row = labour.day_labour_record(
        actor=fin.pm,
        project=fin.project,
        team="王班组",
        trade="电工",
        work_date=TODAY,
        people=2,
        workdays=Decimal(2),
        unit_price=Decimal(400),
        content="配合",
        cost_item=item,
    )
    labour.day_labour_confirm(actor=fin.head, record=row)
    centre = cost_centre(fin.project)
    first = centre.rows[0].line
    assert (first.estimate, first.contracted, first.day_labour, first.paid) == (
        Decimal(1200000),
        Decimal(1000000),
        Decimal(800),
        Decimal(200000),
    )
    assert first.forecast == Decimal("1000800") and first.remaining == Decimal("800800")
    assert centre.rows[1].line.forecast == Decimal(300000)  # not contracted: forecast at its estimate
    assert centre.total.forecast == Decimal("1300800")
    # the project's approved estimate (none recorded here) falls back to the items' total 1,500,000
    assert centre.deviation == rules.deviation_rate(Decimal("1300800"), Decimal("1500000")) == Decimal("-0.1328")


def test_dashboard_totals_and_execution_rate(client: Client, fin: Any) -> None:
    from govworks.finance.selectors.dashboard import fund_dashboard

    funds.fund_receipt_record(
        actor=fin.finance, source=fin.source, received_on=TODAY, amount=Decimal(500000), document_number="拨-1"
    )
    _paid(fin, "advance", "200000", TODAY)
    d = fund_dashboard(user=fin.finance)
    assert (d.totals.budget, d.totals.received, d.totals.paid) == (Decimal(2000000), Decimal(500000), Decimal(200000))
    assert d.totals.rate_text == "10%"
    assert d.months[TODAY.month - 1][1] == Decimal(200000)
    client.force_login(fin.finance)
    page = client.get(reverse("finance:dashboard") + f"?project={fin.project.pk}")
    assert "payment-drilldown" in page.content.decode() and "FK-" in page.content.decode()
    # drill-down to one source narrows the figures; others' agencies see nothing
    funds.funding_source_create(
        actor=fin.finance,
        project=fin.project,
        kind="self",
        name="自筹",
        budget_year=TODAY.year,
        indicator_number="自-1",
        functional_class="2010350",
        economic_class="31001",
        amount=Decimal(100000),
    )
    assert fund_dashboard(user=fin.finance, project=fin.project.pk).totals.budget == Decimal(2100000)
    assert fund_dashboard(user=fin.finance, project=fin.project.pk, source=fin.source.pk).totals.budget == Decimal(2000000)
    assert fund_dashboard(user=fin.other_pm).totals.budget == 0


def test_refused_submission_in_the_browser_path_answers_400_and_changes_nothing(client: Client, fin: Any) -> None:
    confirm_value(fin, "500000")
    request = draft(fin, "progress", "450000")
    client.force_login(fin.pm)
    before = state()
    response = client.post(reverse("finance:request_submit", args=[request.pk]))
    assert response.status_code == 400
    assert "进度款比例" in response.content.decode()
    assert state() == before


def test_request_create_form_and_freeze_refusal(client: Client, fin: Any) -> None:
    client.force_login(fin.pm)
    url = reverse("finance:request_create", args=[fin.project.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "milestone": milestone(fin.contract, "advance").pk,
            "source": fin.source.pk,
            "gross_amount": "100000",
            "purpose": "预付款",
        },
    )
    assert response.status_code == 302
    row = PaymentRequest.objects.get()
    PaymentFreeze.objects.create(project=fin.project, cause="red_light", reason="滞后", frozen_at=timezone.now())
    response = client.post(reverse("finance:request_submit", args=[row.pk]))
    assert response.status_code == 400 and "暂停拨款" in response.content.decode()
    detail = client.get(reverse("finance:request_detail", args=[row.pk])).content.decode()
    assert "系统拒绝记录" in detail


def test_request_page_role_matrix(client: Client, fin: Any) -> None:
    row = draft(fin, "advance", "100000")
    url = reverse("finance:request_detail", args=[row.pk])
    expected = {
        None: 302,
        fin.other_pm: 404,
        fin.no_role: 404,
        fin.contractor: 404,
        fin.pm: 200,
        fin.finance: 200,
        fin.discipline: 200,
    }
    for user, code in expected.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        assert client.get(url).status_code == code, user
    client.force_login(fin.other_pm)
    before = state()
    assert client.post(reverse("finance:request_submit", args=[row.pk])).status_code == 404
    assert state() == before


def test_instruction_pdf_and_excel(client: Client, fin: Any) -> None:
    from openpyxl import load_workbook

    request = payments.payment_request_submit(actor=fin.pm, request=draft(fin, "advance", "200000"))
    approve_chain(fin, request)
    instruction = payments.payment_request_finalize(actor=fin.finance, request=request)
    client.force_login(fin.finance)
    pdf = client.get(reverse("finance:instruction_pdf", args=[instruction.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("finance:instruction_xlsx", args=[instruction.pk]))
    book = load_workbook(BytesIO(xlsx.content))
    header, values = list(book["支付指令"].iter_rows(values_only=True))
    row = dict(zip(header, values, strict=True))
    assert row["金额大写"] == "贰拾万元整" and row["预算指标文号"] == fin.source.indicator_number
    assert len(list(book["审批记录"].iter_rows())) == 1 + 3  # three chain steps


def test_treasury_import_page_twice(client: Client, fin: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    request = payments.payment_request_submit(actor=fin.pm, request=draft(fin, "advance", "200000"))
    approve_chain(fin, request)
    instruction = payments.payment_request_finalize(actor=fin.finance, request=request)
    content = ("\n".join([",".join(treasury.HEADERS), f"{instruction.number},成功,GK1,{TODAY.isoformat()},200000,"])).encode()
    client.force_login(fin.finance)
    url = reverse("finance:treasury_import")
    first = client.post(url, {"file": SimpleUploadedFile("回单.csv", content)})
    assert "已登记 1 笔" in first.content.decode()
    after = state()
    second = client.post(url, {"file": SimpleUploadedFile("回单.csv", content)})
    assert "已导入过" in second.content.decode()
    assert state() == after
    assert FundingSource.objects.get(pk=fin.source.pk).paid == Decimal(200000)


def test_wage_alert_job_and_workbench(fin: Any) -> None:
    from govworks.core.registry import registry, work_items_for

    opened = rules.add_months(rules.month_start(TODAY), -3)
    account = labour.wage_account_open(
        actor=fin.pm,
        contract=fin.contract,
        bank_name="农行",
        account_name="专用户",
        account_number="19-01",
        labour_cost_ratio=Decimal("0.2"),
        opened_on=opened,
    )
    labour.wage_transfer_record(
        actor=fin.finance, account=account, month=opened, amount=Decimal(50000), transferred_on=TODAY, voucher_number="R1"
    )
    job = registry.periodic["finance.wage_alerts"]
    assert job(TODAY) == "欠薪预警：新增 2 条"
    assert job(TODAY) == "欠薪预警：新增 0 条"  # idempotent
    assert any("欠薪预警" in item.title for item in work_items_for(fin.discipline))
    assert any("欠薪预警" in item.title for item in work_items_for(fin.pm))  # the project's manager
    assert not any("欠薪预警" in item.title for item in work_items_for(fin.other_pm))
    month = rules.add_months(opened, 1)
    labour.wage_transfer_record(
        actor=fin.finance, account=account, month=month, amount=Decimal(50000), transferred_on=TODAY, voucher_number="R2"
    )
    assert WageAlert.objects.filter(resolved_at__isnull=True).count() == 1


def test_day_labour_confirmation_rules(fin: Any) -> None:
    from govworks.core.errors import DomainError

    row = labour.day_labour_record(
        actor=fin.pm,
        project=fin.project,
        team="李班组",
        trade="普工",
        work_date=TODAY,
        people=3,
        workdays=Decimal(3),
        unit_price=Decimal("260"),
        content="清运",
    )
    assert row.amount == Decimal("780.00")
    with pytest.raises(DomainError):
        labour.day_labour_confirm(actor=fin.pm, record=row)  # not the recorder
    assert labour.day_labour_confirm(actor=fin.head, record=row).status == DayLabour.Status.CONFIRMED


def test_workspace_panel_renders(client: Client, fin: Any) -> None:
    client.force_login(fin.pm)
    page = client.get(reverse("projects:project_detail", args=[fin.project.pk]))
    assert page.status_code == 200
    assert "finance-panel" in page.content.decode()


@pytest.mark.django_db
def test_demo_seeders() -> None:
    from django.core.management import call_command

    call_command("seed_demo", stdout=__import__("io").StringIO())
    from govworks.finance.models import PaymentInstruction

    # finance's own demo: the projects in construction (close-out's seeders pay on their projects too)
    in_construction = PaymentRequest.objects.filter(project__stage="construction")
    assert in_construction.filter(status=PaymentRequest.Status.PAID).count() == 2
    assert in_construction.filter(status=PaymentRequest.Status.SUBMITTED).count() == 1
    assert PaymentInstruction.objects.count() == PaymentRequest.objects.filter(status=PaymentRequest.Status.PAID).count()
    refused = PaymentRequest.objects.filter(project__name="市民中心空调主机及冷却塔更换").get()
    assert refused.status == PaymentRequest.Status.DRAFT
    from govworks.core.models import AuditEvent

    assert AuditEvent.objects.filter(action=payments.REFUSED_ACTION, object_id=str(refused.pk)).exists()
    assert DayLabour.objects.filter(status=DayLabour.Status.CONFIRMED).count() == 4
    from govworks.finance.models import CompletedValue

    # the demo's 监理 company holds the supervision contract, so its engineer confirms
    assert CompletedValue.objects.filter(confirmed_as="supervisor", confirmed_by__username="yangfan").exists()
    assert WageAlert.objects.filter(resolved_at__isnull=True).exists()


def test_settlement_gate_condition(fin: Any, settled: Any) -> None:
    """Adapted (issue 11 item 3): the gate reads the approved settlement it names, not a settlement payment;
    the settlement payment of 970,000.00 is still raised and approved, now after the settlement."""
    from govworks.finance.gates import _settlement_gate
    from govworks.finance.tests.conftest import pass_decision

    [condition] = _settlement_gate(fin.project)
    assert not condition.ok and "结算审计尚未完成" in condition.detail
    settled(fin.contract, "1000000")
    [condition] = _settlement_gate(fin.project)
    assert condition.ok and "1,000,000.00 元" in condition.detail
    request = payments.payment_request_submit(actor=fin.pm, request=draft(fin, "settlement", "970000"))
    approve_chain(fin, request)
    pass_decision(fin, request)
    payments.payment_request_finalize(actor=fin.finance, request=request)
    [condition] = _settlement_gate(fin.project)
    assert condition.ok and "1,000,000.00 元" in condition.detail


def test_payments_export_rows_follow_the_scope(client: Client, fin: Any) -> None:
    from govworks.core.exports import export_kind
    from govworks.core.models import ExportJob

    _paid(fin, "advance", "200000", TODAY)
    spec = export_kind("finance.payments")
    rows = list(spec.rows(fin.finance, {"year": str(TODAY.year), "project": str(fin.project.pk)}))
    assert len(rows) == 1 and rows[0][-1] == 200000.0 and rows[0][2].startswith("ZF-")
    assert list(spec.rows(fin.other_pm, {"year": str(TODAY.year)})) == []
    client.force_login(fin.finance)
    response = client.post(reverse("finance:payments_export"), {"year": str(TODAY.year)})
    assert response.status_code == 302 and ExportJob.objects.filter(kind="finance.payments").exists()


def test_role_matrix_of_the_writing_endpoints(client: Client, fin: Any) -> None:
    """Each write as anonymous, another agency, staff without the role, the role, the superior (here: a
    city 工程管理岗 who may not finalize or keep funds) and an external user; every refusal changes nothing."""
    from govworks.core.testing.role_matrix import assert_role_matrix

    request = payments.payment_request_submit(actor=fin.pm, request=draft(fin, "advance", "100000"))
    approve_chain(fin, request)
    actors = fin.actors(with_role=fin.finance)
    # finalize: 财务 only, never the drafter (李明 is the "superior" actor here)
    assert_role_matrix(
        client,
        "post",
        reverse("finance:request_finalize", args=[request.pk]),
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "external": 404, "superior": 403, "with_role": 302},
        actors=actors,
        snapshot=state,
    )
    # a funding source: 财务 of the project's agency
    data = {
        "kind": "special",
        "name": "专项",
        "budget_year": TODAY.year,
        "indicator_number": "专-1",
        "functional_class": "2010350",
        "economic_class": "31001",
        "amount": "100000",
    }
    assert_role_matrix(
        client,
        "post",
        reverse("finance:source_create", args=[fin.project.pk]),
        data=data,
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "external": 404, "superior": 403, "with_role": 302},
        actors=actors,
        snapshot=lambda: list(FundingSource.objects.values_list("pk", "amount")),
    )
    # reading pages: internal readers of the project only
    for url in (reverse("finance:project", args=[fin.project.pk]), reverse("finance:costs", args=[fin.project.pk])):
        assert_role_matrix(
            client,
            "get",
            url,
            expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "external": 404, "with_role": 200},
            actors=actors,
        )


def test_supervising_engineer_confirms_value_and_day_labour_through_the_pages(client: Client, fin: Any) -> None:
    from govworks.finance.models import CompletedValue
    from govworks.org.tests.factories import ExternalOrganizationFactory, UserFactory
    from govworks.procurement.tests.factories import SupplierFactory

    org = ExternalOrganizationFactory(name="浙临工程监理咨询有限公司", kind="supervisor", registered_by=fin.city)
    engineer = UserFactory(username="yangfan", full_name="杨帆", agency=None, external_org=org)
    url = reverse("finance:value_confirm", args=[fin.project.pk])
    client.force_login(engineer)
    assert client.get(url).status_code == 404  # not (yet) the project's supervisor
    make_contract(
        fin,
        fin.project,
        amount="60000",
        supplier=SupplierFactory(registered_by=fin.city, external_org=org),
        title="监理服务合同",
        is_main_construction=False,
    )
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"contract": fin.contract.pk, "period_end": TODAY.isoformat(), "cumulative_value": "320000", "note": "第1期"}
    )
    assert response.status_code == 302
    assert CompletedValue.objects.get().confirmed_as == CompletedValue.ConfirmedAs.SUPERVISOR
    row = labour.day_labour_record(
        actor=fin.pm,
        project=fin.project,
        team="王班组",
        trade="电工",
        work_date=TODAY,
        people=1,
        workdays=Decimal(1),
        unit_price=Decimal(380),
        content="配合",
    )
    from govworks.core.registry import work_items_for

    assert any("点工待确认" in item.title for item in work_items_for(engineer))
    desk = client.get(reverse("finance:supervision", args=[fin.project.pk]))
    assert desk.status_code == 200 and "王班组" in desk.content.decode()
    assert client.post(reverse("finance:labour_confirm", args=[row.pk])).status_code == 302
    row.refresh_from_db()
    assert row.status == DayLabour.Status.CONFIRMED and row.confirmed_as == "监理工程师"


def test_workspace_panel_keeps_constant_queries(rf: Any, fin: Any, count_queries: Any) -> None:
    from govworks.finance.panels import render_finance_panel

    request = rf.get("/")
    request.user = fin.pm
    _grow(fin, 1)
    render_finance_panel(request, fin.project)  # warm the per-process caches (content types, scopes)
    one = count_queries(lambda: render_finance_panel(request, fin.project))
    _grow(fin, 3)
    assert count_queries(lambda: render_finance_panel(request, fin.project)) == one


def test_payment_separation_of_duties_through_the_pages(client: Client, fin: Any) -> None:
    """职责分离 (issue 11 item 7): the 工程管理岗 drafts and submits; 科室负责人 and 财务(会计) approve
    their steps on the approval page; the 会计 who approved step 2 is refused the 办结 (nothing changed, the
    attempt recorded for 纪检监察 and shown on their workbench); another 财务 finalizes."""
    from govworks.core.models import AuditEvent
    from govworks.projects.models import ApprovalRequest

    request = payments.payment_request_submit(actor=fin.pm, request=draft(fin, "advance", "100000"))
    approval = ApprovalRequest.objects.get(kind=payments.PAYMENT_KIND, subject_id=request.pk)
    decide = reverse("projects:approval_decide", args=[approval.pk])
    for who in (fin.head, fin.finance2, fin.leader):  # 科室负责人 → 财务 → 分管领导
        client.force_login(who)
        assert client.post(decide, {"decision": "approve", "opinion": "同意"}).status_code == 302
    approval.refresh_from_db()
    assert approval.status == ApprovalRequest.Status.APPROVED
    # the 会计 who approved the 财务 step may not also finalize: the page says why instead of the button
    client.force_login(fin.finance2)
    detail = client.get(reverse("finance:request_detail", args=[request.pk])).content.decode()
    assert 'data-testid="request-finalize"' not in detail
    assert 'data-testid="finalize-sod"' in detail and "职责分离：您审批了本事项第2环节（财务）" in detail
    before = state()
    response = client.post(reverse("finance:request_finalize", args=[request.pk]))
    assert response.status_code == 400
    assert (
        "职责分离：您审批了本事项第2环节（财务），不能再办理后续的付款办结（开具国库支付指令）"
        "（起草、提交或审批过前一环节的人不得审批后续环节）"
    ) in response.content.decode()
    assert state() == before
    event = AuditEvent.objects.get(action="projects.approval.sod_refused")
    assert (event.actor_id, event.object_id, event.context_id) == (fin.finance2.pk, str(approval.pk), str(fin.project.pk))
    client.force_login(fin.discipline)
    assert "违反职责分离的审批尝试" in client.get(reverse("home")).content.decode()
    # the other 财务, who had no part, finalizes
    client.force_login(fin.finance)
    assert 'data-testid="request-finalize"' in client.get(reverse("finance:request_detail", args=[request.pk])).content.decode()
    assert client.post(reverse("finance:request_finalize", args=[request.pk])).status_code == 302
    request.refresh_from_db()
    assert request.status == PaymentRequest.Status.APPROVED


def test_the_day_labour_recorder_refused_is_recorded(fin: Any) -> None:
    """A recorder confirming their own day labour is refused (职责分离) and the attempt kept for 纪检监察."""
    from govworks.core.errors import DomainError
    from govworks.core.models import AuditEvent

    row = labour.day_labour_record(
        actor=fin.pm,
        project=fin.project,
        team="李班组",
        trade="普工",
        work_date=TODAY,
        people=1,
        workdays=Decimal(1),
        unit_price=Decimal("260"),
        content="清运",
    )
    with pytest.raises(DomainError) as info:
        labour.day_labour_confirm(actor=fin.pm, record=row)
    assert (info.value.code, info.value.message) == (
        "finance.labour_own",
        "职责分离：您记录了该点工，不能再确认（记录与确认须由不同的人办理）",
    )
    row.refresh_from_db()
    assert (row.status, row.confirmed_by_id) == (DayLabour.Status.RECORDED, None)
    event = AuditEvent.objects.get(action="projects.approval.sod_refused")
    assert (event.actor_id, event.object_type, event.object_id) == (fin.pm.pk, "finance.daylabour", str(row.pk))


def test_a_frozen_request_page_offers_no_submission_and_shows_the_release_path(client: Client, fin: Any) -> None:
    """Given a draft request: the page offers 提交审批; once the project is frozen it offers none and shows
    the three steps of the release path with their state instead (the workspace panel too)."""
    row = draft(fin, "advance", "100000")
    client.force_login(fin.pm)
    url = reverse("finance:request_detail", args=[row.pk])
    assert 'data-testid="request-submit"' in client.get(url).content.decode()
    PaymentFreeze.objects.create(project=fin.project, cause="red_light", reason="进度滞后31个百分点", frozen_at=timezone.now())
    page = client.get(url).content.decode()
    assert 'data-testid="request-submit"' not in page and "提交审批" not in page
    assert 'data-testid="request-freeze"' in page
    assert page.count('data-testid="freeze-step" data-done="0"') == 3
    for step in ("提交赶工计划 — ", "约谈责任人 — ", "分管领导或主要领导解除暂停拨款 — "):
        assert step in page
    assert "集体决策" not in page.split('data-testid="request-freeze"')[1].split("</ol>")[0]
    panel = client.get(reverse("projects:project_detail", args=[fin.project.pk])).content.decode()
    assert panel.count('data-testid="panel-freeze"') == 2  # the 施工监管 and the 资金 panels, the same path


@pytest.mark.django_db
def test_contract_page_shows_what_was_paid_and_every_request(client: Client, fin: Any, count_queries: Any) -> None:
    """Given paid progress payments on a contract, when its page is opened, then the 付款情况 section (registered by
    finance on procurement's page) shows the paid-to-date total and links each request, in constant queries."""
    url = reverse("procurement:contract_detail", args=[fin.contract.pk])
    _grow(fin, 1)
    client.force_login(fin.pm)
    client.get(url)
    first = count_queries(lambda: client.get(url))
    _grow(fin, 2)
    page = client.get(url).content.decode()
    paid = sum(r.amount for r in PaymentRequest.objects.filter(contract=fin.contract, status=PaymentRequest.Status.PAID))
    assert 'data-testid="contract-payments"' in page and f'data-testid="paid-to-date">{paid:,.2f}</strong> 元' in page
    for request in PaymentRequest.objects.filter(contract=fin.contract):
        assert reverse("finance:request_detail", args=[request.pk]) in page
    assert count_queries(lambda: client.get(url)) == first
