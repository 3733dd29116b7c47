"""Pages, exports and the API of the final accounts and the asset handover: who may open and act (role matrix,
refusals change nothing), constant query counts as the records grow, the fixed-asset import Excel's columns and
the API scoped to what the caller may read."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from govworks.closeout.models import AssetCard, FinalAccounts, FinalCostLine
from govworks.closeout.reports_final import ASSET_COLUMNS
from govworks.closeout.services import assets as asset_services
from govworks.closeout.services import final_accounts as services
from govworks.closeout.tests import final_fixtures as ff
from govworks.closeout.tests.final_fixtures import approved_final_accounts, pdf
from govworks.core.testing.role_matrix import assert_role_matrix

pytestmark = pytest.mark.django_db
# the shared fixtures, bound here so pytest finds them
lifecycle, make_project, fw, fin, settled, fa_world = ff.lifecycle, ff.make_project, ff.fw, ff.fin, ff.settled, ff.fa_world
D = Decimal


def actors(w: Any, with_role: Any) -> dict[str, Any]:
    return w.actors(with_role=with_role, superior=w.pm)


def test_role_matrix_of_the_pages_and_the_start(client: Client, fa_world: Any) -> None:
    w = fa_world
    detail = reverse("closeout:fa_detail", args=[w.project.pk])
    assert_role_matrix(
        client,
        "get",
        detail,
        expected={"anonymous": 302, "other_agency": 403, "no_role": 403, "with_role": 200, "superior": 200, "external": 403},
        actors=actors(w, w.finance),
    )
    assert_role_matrix(
        client,
        "post",
        reverse("closeout:fa_start", args=[w.project.pk]),
        expected={"anonymous": 302, "other_agency": 403, "no_role": 403, "superior": 403, "external": 403, "with_role": 302},
        actors=actors(w, w.finance),
        snapshot=lambda: list(FinalAccounts.objects.values_list("id", flat=True)),
    )
    assert FinalAccounts.objects.filter(project=w.project).exists()
    # another agency's business person: the project is not found
    client.force_login(w.other_pm)
    assert client.get(detail).status_code == 404


def test_refusal_page_names_the_rule_and_changes_nothing(client: Client, fa_world: Any) -> None:
    w = fa_world
    services.final_accounts_start(actor=w.finance, project=w.project)
    client.force_login(w.finance)
    response = client.post(reverse("closeout:fa_submit", args=[w.project.pk]))
    assert response.status_code == 400
    assert "报送资料未齐" in response.content.decode()
    assert FinalAccounts.objects.get(project=w.project).submitted_at is None


def test_other_cost_form_and_detail_query_count_constant(
    client: Client, fa_world: Any, django_assert_max_num_queries: Any
) -> None:
    w = fa_world
    services.final_accounts_start(actor=w.finance, project=w.project)
    client.force_login(w.finance)
    url = reverse("closeout:fa_other_cost", args=[w.project.pk])
    response = client.post(
        url, {"category": "supervision", "label": "监理费", "amount": "12000", "basis": "发票1", "evidence": pdf("i")}
    )
    assert response.status_code == 302
    detail = reverse("closeout:fa_detail", args=[w.project.pk])
    client.get(detail)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert client.get(detail).status_code == 200
    for i in range(5):
        services.other_cost_add(
            actor=w.finance, fa=FinalAccounts.objects.get(project=w.project), category="other", label=f"费用{i}",
            amount=D("100"), basis="b", evidence=pdf(f"e{i}"),
        )  # fmt: skip
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get(detail)
    assert page.status_code == 200 and "费用4" in page.content.decode()
    assert "项目责任人锁定" in page.content.decode()


def test_asset_pages_export_and_api(client: Client, fa_world: Any, django_assert_max_num_queries: Any) -> None:
    from openpyxl import load_workbook

    w = fa_world
    approved_final_accounts(w)
    handover = asset_services.asset_handover_start(actor=w.finance, project=w.project, using_department=w.office)
    client.force_login(w.finance)
    detail = reverse("closeout:asset_detail", args=[w.project.pk])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(detail)
    with CaptureQueriesContext(connection) as first:
        assert client.get(detail).status_code == 200
    card = AssetCard.objects.get(handover=handover, seq=1)
    asset_services.asset_card_split(
        actor=w.finance,
        card=card,
        parts=[{"name": f"部件{i}", "class_code": "1020000", "value": D("190000")} for i in range(5)],
    )
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get(detail)
    assert "资产价值与批复决算核对一致" in page.content.decode()

    xlsx = client.get(reverse("closeout:asset_xlsx", args=[w.project.pk]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(ASSET_COLUMNS)
    assert len(rows) == 1 + 6 and rows[1][0] == f"{w.project.code}-001" and rows[1][2] == "1020000"

    api = client.get("/api/closeout/asset-cards/", {"project": w.project.pk}).json()
    assert api["count"] == 6 and {r["class_code"] for r in api["results"]} == {"1020000"}
    one = api["results"][0]["id"]
    client.force_login(w.other_pm)
    assert client.get("/api/closeout/asset-cards/").json()["count"] == 0
    assert client.get(f"/api/closeout/asset-cards/{one}/").status_code == 404

    # the using department's clerk confirms by the page; the preparer is not offered the button
    client.force_login(w.finance)
    asset_services.asset_handover_submit(actor=w.finance, handover=handover)
    assert 'data-testid="asset-confirm"' not in client.get(detail).content.decode()
    client.force_login(w.clerk)
    assert 'data-testid="asset-confirm"' in client.get(detail).content.decode()
    assert client.post(reverse("closeout:asset_confirm", args=[w.project.pk]), {"accept": "1"}).status_code == 302
    handover.refresh_from_db()
    assert handover.status == "confirmed"


def test_report_pdf_and_sheet_excel(client: Client, fa_world: Any) -> None:
    from openpyxl import load_workbook

    w = fa_world
    approved_final_accounts(w)
    client.force_login(w.auditor)
    response = client.get(reverse("closeout:fa_pdf", args=[w.project.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    book = load_workbook(io.BytesIO(client.get(reverse("closeout:fa_xlsx", args=[w.project.pk])).content))
    values = [c for row in book["竣工财务决算表"].iter_rows(values_only=True) for c in row if c is not None]
    assert "决算总投资" in values and 1000000 in values
    assert FinalCostLine.objects.filter(final_accounts__project=w.project).count() == 2
