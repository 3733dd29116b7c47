"""Settlement-audit pages: the role matrix of every action (refusals change nothing), the contractor seeing only
its own, the walk through the pages, the Excel export, the workbench items, and the register's constant query
count as data grows."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from govworks.closeout.models import Settlement
from govworks.closeout.registrations_settlement import settlement_work_items
from govworks.closeout.services import settlement as services
from govworks.closeout.tests.test_settlement import L, pdf, st, submit, through_result  # noqa: F401
from govworks.core.testing.role_matrix import assert_role_matrix
from govworks.finance.tests.conftest import _forget_workbench_cache, fin, fw  # noqa: F401
from govworks.projects.tests.conftest import lifecycle, make_project  # noqa: F401

D = Decimal


def rows() -> list[Any]:
    return list(Settlement.objects.values())


def test_submit_role_matrix(client: Client, st: Any) -> None:  # noqa: F811
    url = reverse("closeout:settlement_submit", args=[st.contract.pk])
    # the contractor of another company, an internal person and a stranger are refused; nothing changes
    assert_role_matrix(
        client,
        "post",
        url,
        data={"amount": "1000000", "files": pdf()},
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "with_role": 400, "superior": 400},
        actors={
            "anonymous": None,
            "other_agency": st.other_pm,
            "no_role": st.no_role,
            "with_role": st.auditor,
            "superior": st.pm,
        },
        snapshot=rows,
    )
    client.force_login(st.contractor)
    response = client.post(url, {"amount": "1000000", "files": pdf()})
    assert response.status_code == 302
    assert Settlement.objects.get().submitted_amount == D(1000000)


def test_action_role_matrix(client: Client, st: Any) -> None:  # noqa: F811
    submit(st)
    draw = reverse("closeout:settlement_draw", args=[st.contract.pk])
    assert_role_matrix(
        client,
        "post",
        draw,
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "external": 403, "head": 403, "with_role": 302},
        actors={
            "anonymous": None,
            "other_agency": st.other_pm,
            "no_role": st.no_role,
            "external": st.contractor,
            "head": st.head,
            "with_role": st.auditor,
        },
        snapshot=rows,
    )
    assert Settlement.objects.get().status == Settlement.Status.REVIEW


def test_the_contractor_sees_only_its_own(client: Client, st: Any) -> None:  # noqa: F811
    from govworks.org.tests.factories import ExternalOrganizationFactory, UserFactory

    submit(st)
    stranger = UserFactory(username="wangwu", agency=None, external_org=ExternalOrganizationFactory(registered_by=st.city))
    detail = reverse("closeout:settlement_detail", args=[st.contract.pk])
    client.force_login(stranger)
    assert client.get(detail).status_code == 404
    assert st.contract.number not in client.get(reverse("closeout:settlement_list")).content.decode()
    client.force_login(st.contractor)
    assert client.get(detail).status_code == 200
    assert st.contract.number in client.get(reverse("closeout:settlement_list")).content.decode()
    for admin in (st.sysadmin, st.auditadmin):
        client.force_login(admin)
        assert client.get(detail).status_code == 404


def test_walk_through_the_pages(client: Client, st: Any) -> None:  # noqa: F811
    detail = reverse("closeout:settlement_detail", args=[st.contract.pk])
    client.force_login(st.contractor)
    assert "提交结算书" in client.get(detail).content.decode()
    client.post(reverse("closeout:settlement_submit", args=[st.contract.pk]), {"amount": "1000000", "files": pdf()})
    client.force_login(st.auditor)
    client.post(reverse("closeout:settlement_draw", args=[st.contract.pk]))
    # a result whose lines do not add up is refused on the page with the numbers
    bad = client.post(
        reverse("closeout:settlement_result", args=[st.contract.pk]),
        {
            "report_number": "临审结〔2026〕3号",
            "line_name": ["建筑工程"],
            "line_submitted": ["900000"],
            "line_approved": ["850000"],
            "line_reason": ["核减"],
        },
    )
    assert bad.status_code == 400 and "900,000.00 元" in bad.content.decode()
    client.post(
        reverse("closeout:settlement_result", args=[st.contract.pk]),
        {
            "report_number": "临审结〔2026〕3号",
            "line_name": ["建筑工程", "安装工程", ""],
            "line_submitted": ["900000", "100000", ""],
            "line_approved": ["840000", "100000", ""],
            "line_reason": ["工程量核减", "", ""],
        },
    )
    s = Settlement.objects.get()
    assert s.approved_amount == D(940000)
    client.force_login(st.contractor)
    assert client.post(reverse("closeout:settlement_dispute", args=[st.contract.pk]), {"reason": "短"}).status_code == 400
    client.post(reverse("closeout:settlement_confirm", args=[st.contract.pk]))
    client.force_login(st.head)
    page = client.get(detail).content.decode()
    assert "6.00%" in page and "审批结算" in page
    client.post(reverse("closeout:settlement_approve", args=[st.contract.pk]))
    assert Settlement.objects.get().status == Settlement.Status.APPROVED
    report = client.get(reverse("closeout:settlement_report", args=[st.contract.pk]))
    assert report.status_code == 200 and report.content.startswith(b"%PDF")
    doc = s.documents.get()
    assert client.get(reverse("closeout:settlement_document", args=[st.contract.pk, doc.pk])).status_code == 200


def test_export_and_filters(client: Client, st: Any) -> None:  # noqa: F811
    through_result(st)
    client.force_login(st.finance)
    response = client.get(reverse("closeout:settlement_export") + "?status=audited")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet is not None
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][0] == "结算编号" and values[1][7] == "6.00%"
    assert st.contract.number not in client.get(reverse("closeout:settlement_list") + "?status=approved").content.decode()
    assert st.contract.number not in client.get(reverse("closeout:settlement_list") + "?overdue=1").content.decode()
    Settlement.objects.update(due_on="2020-01-01")
    assert "逾期" in client.get(reverse("closeout:settlement_list") + "?overdue=1").content.decode()


def test_workbench_items_with_due_dates(st: Any) -> None:  # noqa: F811
    s = submit(st)
    [item] = settlement_work_items(st.finance)  # no one named for the stage: 财务 of the agency
    assert item.due == s.due_on and "待抽取审计机构" in item.title
    assert settlement_work_items(st.contractor) == []
    services.settlement_result_record(
        actor=st.auditor,
        settlement=services.settlement_firm_draw(actor=st.auditor, settlement=s),
        lines=[L("建筑工程", D(1000000), D(950000), "核减")],
        report_number="临审结",
    )
    [item] = settlement_work_items(st.contractor)
    assert "审定结果待确认" in item.title
    services.settlement_confirm(actor=st.contractor, settlement=s)
    assert any("待审批" in i.title for i in settlement_work_items(st.head))


def test_firm_register_pages(client: Client, st: Any) -> None:  # noqa: F811
    client.force_login(st.auditor)
    assert st.firm.name in client.get(reverse("closeout:audit_firm_list")).content.decode()
    response = client.post(
        reverse("closeout:audit_firm_create"),
        {
            "name": "临江新审计师事务所",
            "credit_code": "91331000MA2TEST09X",
            "qualification": "甲级",
            "qualification_valid_until": "2099-01-01",
        },
    )
    assert response.status_code == 302
    client.force_login(st.pm)
    assert client.get(reverse("closeout:audit_firm_create")).status_code == 403
    client.force_login(st.contractor)
    assert client.get(reverse("closeout:audit_firm_list")).status_code == 403


def test_register_query_count_is_constant(client: Client, st: Any, django_assert_max_num_queries: Any) -> None:  # noqa: F811
    from govworks.finance.tests.conftest import make_contract

    url = reverse("closeout:settlement_list")
    client.force_login(st.finance)
    submit(st)
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for i in range(3):
        contract = make_contract(
            st, st.project, amount="500000", title=f"附属工程{i}", is_main_construction=False, supplier=st.contract.supplier
        )
        services.settlement_submit(actor=st.contractor, contract=contract, amount=D(500000), files=[pdf()])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
