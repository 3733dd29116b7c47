"""The contract register's Excel export and the printable contract summary (issue 4 item 7): the export
runs through the job with the requester's view and the page's filters; the PDF is rendered offline and
refused (404) to another agency like the contract page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from govworks.core.models import ExportJob
from govworks.core.pdf import offline_url_fetcher
from govworks.procurement.models import Contract, ProcurementLot
from govworks.procurement.services import contracts as services
from govworks.procurement.services import lots as lot_services
from govworks.procurement.tests import test_contracts
from govworks.procurement.tests.factories import SupplierFactory
from govworks.procurement.tests.test_contracts import make, terms
from govworks.projects.models import Stage
from govworks.projects.services.projects import project_create_outside_plan, project_import_at_stage

cw = test_contracts.cw  # the contract tests' fixtures: world + 科室负责人/主要领导, a lot in the 合同 stage
lot = test_contracts.lot
TODAY = dt.date.today()
NOTE = "前期手续已线下办理，批复文号临机事〔2026〕9号"


def other_contract(cw: Any) -> Contract:
    """A contract of the other agency (邻江市), drafted by its 工程管理岗."""
    from govworks.org.tests.factories import DepartmentFactory

    project = project_create_outside_plan(
        actor=cw.other_pm,
        agency=cw.other,
        manager=cw.other_pm,
        department=DepartmentFactory(agency=cw.other, name="邻市基建科", is_construction=True),
        reason="十一月巡查发现安全隐患，须尽快处置。",
        name="邻市办公楼屋面修缮",
        project_type="repair",
        location="邻市办公楼",
        estimate_amount=Decimal("3000000"),
        funding_source="fiscal",
        planned_start=TODAY,
        planned_end=TODAY + dt.timedelta(days=180),
    )
    project = project_import_at_stage(actor=cw.other_pm, project=project, stage=Stage.CONTRACT, note=NOTE)
    row = lot_services.lot_create(
        actor=cw.other_pm, project=project, name="屋面施工", category="works", estimated_amount=Decimal("900000")
    )
    row = lot_services.lot_choose_method(actor=cw.other_pm, lot=row, method="open_tender")
    return services.contract_create(
        actor=cw.other_pm,
        lot=row,
        supplier=SupplierFactory(registered_by=cw.other),
        milestones=[{"kind": "advance", "ratio": Decimal("0.20"), "condition": "合同签订后"}],
        **terms(title="邻市办公楼屋面修缮施工合同", amount=Decimal("900000")),
    )


def export(client: Client, user: Any, data: dict[str, str], capture: Any) -> tuple[ExportJob, list[tuple[Any, ...]]]:
    client.force_login(user)
    with capture(execute=True):
        response = client.post(reverse("procurement:contract_export"), data)
    job = ExportJob.objects.filter(requested_by=user).latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:export_detail", args=[job.pk])
    assert job.kind == "procurement.contracts"
    assert job.status == ExportJob.Status.DONE
    rows = list(load_workbook(job.file.path).active.iter_rows(values_only=True))
    return job, rows


def test_export_has_the_requesters_contracts_with_the_filters(
    client: Client, cw: Any, lot: ProcurementLot, django_capture_on_commit_callbacks: Any
) -> None:
    first = make(cw, lot, title="市民中心综合改造主体施工合同")
    second = make(
        cw,
        lot,
        title="市民中心综合改造监理合同",
        is_main_construction=False,
        amount=Decimal("80000"),
        performance_bond=Decimal("8000"),
    )
    theirs = other_contract(cw)

    job, rows = export(client, cw.pm, {"q": "", "status": ""}, django_capture_on_commit_callbacks)
    assert rows[0][:7] == ("合同编号", "合同名称", "项目编号", "项目名称", "标段", "乙方", "合同金额（元）")
    assert {r[0] for r in rows[1:]} == {first.number, second.number}  # not the other agency's
    assert (job.rows_total, job.rows_done) == (2, 2)
    line = next(r for r in rows[1:] if r[0] == second.number)
    assert (line[1], line[3], line[5], Decimal(str(line[6])), line[8], line[9]) == (
        "市民中心综合改造监理合同",
        "市民中心综合改造",
        second.supplier.name,
        Decimal("80000"),
        "否",
        "起草中",
    )

    job, rows = export(client, cw.pm, {"q": "监理", "status": "draft"}, django_capture_on_commit_callbacks)
    assert job.params == {"q": "监理", "status": "draft"}
    assert [r[0] for r in rows[1:]] == [second.number]

    # the other agency's user exports only their own contract, never the city's
    job, rows = export(client, cw.other_pm, {}, django_capture_on_commit_callbacks)
    assert [r[0] for r in rows[1:]] == [theirs.number]
    job, rows = export(client, cw.other_pm, {"project": str(lot.project_id)}, django_capture_on_commit_callbacks)
    assert rows[1:] == [] and job.rows_total == 0


def test_export_refused_without_a_business_role(client: Client, cw: Any) -> None:
    for user in (cw.no_role, cw.contractor):
        client.force_login(user)
        assert client.post(reverse("procurement:contract_export"), {}).status_code == 403
    assert ExportJob.objects.count() == 0


def test_register_page_has_the_export_button(client: Client, cw: Any, lot: ProcurementLot) -> None:
    make(cw, lot)
    client.force_login(cw.pm)
    page = client.get(reverse("procurement:contract_list")).content.decode()
    assert reverse("procurement:contract_export") in page and "导出Excel" in page


def test_summary_pdf(client: Client, cw: Any, lot: ProcurementLot) -> None:
    contract = make(cw, lot, amount=Decimal("1580000"))
    url = reverse("procurement:contract_pdf", args=[contract.pk])
    assert url == f"/procurement/contracts/{contract.pk}/summary.pdf"
    client.force_login(cw.pm)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert url in client.get(reverse("procurement:contract_detail", args=[contract.pk])).content.decode()
    client.force_login(cw.other_pm)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_summary_template_has_the_amount_in_capitals(client: Client, cw: Any, lot: ProcurementLot) -> None:
    from django.template.loader import render_to_string

    from govworks.procurement.selectors.contracts import contract_trail, contract_view

    contract = make(cw, lot, amount=Decimal("1580000"))
    view = contract_view(contract)
    html = render_to_string(
        "procurement/contracts/summary_pdf.html",
        {"c": contract, "view": view, "amount_words": "壹佰伍拾捌万元整", "trail": contract_trail(contract, [])},
    )
    assert "壹佰伍拾捌万元整" in html and "Noto Sans CJK SC" in html and "http" not in html


@pytest.mark.parametrize("url", ["http://example.com/a.css", "https://x/y.png", "ftp://h/f"])
def test_pdf_fetcher_refuses_the_network(url: str) -> None:
    with pytest.raises(ValueError):
        offline_url_fetcher(url)
