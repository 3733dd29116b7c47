"""The register as a background Excel export: filters carried over, what the requester may see, the
progress page, and the workbook's rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from govworks.core.models import ExportJob
from govworks.procurement.tests.factories import EvaluationFactory, ListingFactory, QualificationFactory, SupplierFactory


def test_export_runs_with_filters_and_progress(client: Client, sw: Any, django_capture_on_commit_callbacks: Any) -> None:
    today = timezone.localdate()
    black = SupplierFactory(registered_by=sw.city, name="临江恒达建设工程有限公司", legal_representative="郑恒达")
    ListingFactory(supplier=black, kind="black", starts_on=today, ends_on=None, recorded_by=sw.pm, decided_by=sw.city)
    QualificationFactory(supplier=black, grade="三级", expires_on=today - dt.timedelta(days=1), issued_on=dt.date(2020, 1, 1))
    EvaluationFactory(supplier=black, agency=sw.city, evaluated_by=sw.pm, score=52, evaluated_on=today)
    SupplierFactory(registered_by=sw.city, name="浙江宏宇建设有限公司")
    client.force_login(sw.other_pm)  # the register is shared: another agency exports it too
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("procurement:supplier_export"), {"status": "black", "q": ""})
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:export_detail", args=[job.pk])
    assert (job.kind, job.params, job.status, job.rows_total, job.rows_done) == (
        "procurement.suppliers",
        {"status": "black"},
        ExportJob.Status.DONE,
        1,
        1,
    )
    page = client.get(reverse("core:export_detail", args=[job.pk]))
    assert page.status_code == 200
    sheet = load_workbook(job.file.path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("单位名称", "统一社会信用代码", "主营类别", "法定代表人", "联系电话", "状态", "信用分")
    assert len(rows) == 2
    row = rows[1]
    assert (row[0], row[1], row[2], row[3], row[5], row[6]) == (
        "临江恒达建设工程有限公司",
        black.credit_code,
        "施工总承包",
        "郑恒达",
        "黑名单",
        0,
    )
    assert row[9] == f"建筑工程施工总承包三级（{(today - dt.timedelta(days=1)).isoformat()}到期）"
    assert row[10] == "临江市机关事务管理局"


def test_export_refused_for_those_who_cannot_read(client: Client, sw: Any) -> None:
    for user in (sw.no_role, sw.contractor, sw.sysadmin):
        client.force_login(user)
        assert client.post(reverse("procurement:supplier_export"), {}).status_code == 403
    assert ExportJob.objects.count() == 0


def test_supplier_names_that_look_like_formulas_are_exported_as_text(
    client: Client, sw: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given suppliers registered with injection payloads as their names (issue 12 item 3)
    payloads = ['=HYPERLINK("http://x","y")', "=1+1", "<img src=x onerror=alert(1)>", '"><script>alert(1)</script>']
    for name in payloads:
        SupplierFactory(registered_by=sw.city, name=name, legal_representative="@张三")
    # when the register is exported
    client.force_login(sw.pm)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("procurement:supplier_export"), {"q": ""})
    job = ExportJob.objects.get()
    sheet = load_workbook(job.file.path).active
    assert sheet is not None
    # then the workbook read back holds the names as text, the formula-like ones behind a single quote
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(cells) == {'\'=HYPERLINK("http://x","y")', "'=1+1", payloads[2], payloads[3]}
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert {row[3].value for row in cells.values()} == {"'@张三"}
