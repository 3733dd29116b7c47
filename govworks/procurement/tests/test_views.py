"""Pages of the supplier register: role matrix per endpoint (nothing changes on a denial), refusals
answered 400 in Chinese, and query counts that stay constant as rows grow."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govworks.core.models import AuditEvent
from govworks.core.testing.role_matrix import assert_role_matrix
from govworks.org.tests.factories import make_credit_code
from govworks.procurement.models import PerformanceEvaluation, Qualification, Supplier, SupplierListing
from govworks.procurement.tests.factories import (
    ContactFactory,
    EvaluationFactory,
    ListingFactory,
    QualificationFactory,
    SupplierFactory,
)


def snapshot() -> Any:
    return (
        list(Supplier.objects.order_by("pk").values_list("pk", "name", "credit_code")),
        Qualification.objects.count(),
        PerformanceEvaluation.objects.count(),
        list(SupplierListing.objects.order_by("pk").values_list("pk", "lifted_at")),
        AuditEvent.objects.filter(action__startswith="procurement.").count(),
    )


def supplier_data(**kw: Any) -> dict[str, Any]:
    data = {
        "name": "浙江宏宇建设有限公司",
        "credit_code": make_credit_code(4321, prefix="91"),
        "category": "general_contracting",
        "legal_representative": "周宏宇",
        "phone": "0571-86902210",
    }
    data.update(kw)
    return data


def test_register_list_role_matrix(client: Client, sw: Any) -> None:
    SupplierFactory(registered_by=sw.city, name="临江华安机电安装工程有限公司")
    responses = assert_role_matrix(
        client,
        "get",
        reverse("procurement:supplier_list"),
        expected={"anonymous": 302, "other_agency": 403, "no_role": 403, "with_role": 200, "superior": 200, "external": 403},
        actors=sw.actors(with_role=sw.pm, superior=sw.other_pm),
    )
    assert "临江华安机电安装工程有限公司" in responses["superior"].content.decode()  # shared with other agencies


def test_create_role_matrix(client: Client, sw: Any) -> None:
    assert_role_matrix(
        client,
        "post",
        reverse("procurement:supplier_create"),
        data=supplier_data(),
        expected={"anonymous": 302, "other_agency": 403, "no_role": 403, "superior": 403, "external": 403, "with_role": 302},
        actors=sw.actors(with_role=sw.pm, superior=sw.discipline),
        snapshot=snapshot,
    )
    supplier = Supplier.objects.get()
    assert (supplier.registered_by, supplier.name) == (sw.city, "浙江宏宇建设有限公司")


def test_bad_credit_code_answers_400_in_chinese_and_changes_nothing(client: Client, sw: Any) -> None:
    code = make_credit_code(4321, prefix="91")
    bad = code[:17] + ("0" if code[17] != "0" else "1")
    before = snapshot()
    client.force_login(sw.pm)
    response = client.post(reverse("procurement:supplier_create"), supplier_data(credit_code=bad))
    assert response.status_code == 400
    assert f"统一社会信用代码校验位错误：第18位应为 {code[17]}，实为 {bad[17]}" in response.content.decode()
    assert snapshot() == before


def test_duplicate_credit_code_answers_400(client: Client, sw: Any) -> None:
    existing = SupplierFactory(registered_by=sw.other, name="临江恒达建设工程有限公司")
    before = snapshot()
    client.force_login(sw.pm)
    response = client.post(reverse("procurement:supplier_create"), supplier_data(credit_code=existing.credit_code))
    assert response.status_code == 400
    assert "已登记为供应商“临江恒达建设工程有限公司”" in response.content.decode()
    assert snapshot() == before


def test_detail_role_matrix(client: Client, sw: Any) -> None:
    supplier = SupplierFactory(registered_by=sw.sub)
    assert_role_matrix(
        client,
        "get",
        reverse("procurement:supplier_detail", args=[supplier.pk]),
        expected={"anonymous": 302, "other_agency": 200, "no_role": 404, "with_role": 200, "superior": 200, "external": 404},
        actors=sw.actors(with_role=sw.sub_pm, other=sw.other_pm),
    )
    client.force_login(sw.pm)
    assert client.get(reverse("procurement:supplier_detail", args=[999999])).status_code == 404


def test_update_role_matrix_only_registering_agency(client: Client, sw: Any) -> None:
    supplier = SupplierFactory(registered_by=sw.sub, name="旧名称有限公司")
    data = supplier_data(credit_code=supplier.credit_code, name="新名称有限公司")
    assert_role_matrix(
        client,
        "post",
        reverse("procurement:supplier_update", args=[supplier.pk]),
        data=data,
        expected={"anonymous": 302, "other_agency": 403, "no_role": 404, "superior": 403, "external": 404, "with_role": 302},
        actors=sw.actors(with_role=sw.sub_pm, other=sw.other_pm),
        snapshot=snapshot,
    )
    supplier.refresh_from_db()
    assert supplier.name == "新名称有限公司"


def test_qualification_form_refusal_400(client: Client, sw: Any) -> None:
    supplier = SupplierFactory(registered_by=sw.city)
    client.force_login(sw.pm)
    before = snapshot()
    response = client.post(
        reverse("procurement:supplier_qualification_add", args=[supplier.pk]),
        {
            "kind": "建筑工程施工总承包",
            "category": "general_contracting",
            "grade": "二级",
            "certificate_number": "D1",
            "issued_on": "2026-05-01",
            "expires_on": "2026-04-30",
        },
    )
    assert response.status_code == 400
    assert "有效期至 2026-04-30 须晚于发证日期 2026-05-01" in response.content.decode()
    assert snapshot() == before


def listing_data(**kw: Any) -> dict[str, Any]:
    data = {
        "kind": "black",
        "reason": "违法分包",
        "starts_on": "2026-03-01",
        "ends_on": "2026-03-31",
        "deciding_authority": "临江市住房和城乡建设局",
        "deciding_document": "临建罚〔2026〕17号",
    }
    data.update(kw)
    return data


def test_listing_role_matrix_and_missing_document(client: Client, sw: Any) -> None:
    supplier = SupplierFactory(registered_by=sw.city)
    url = reverse("procurement:supplier_listing_add", args=[supplier.pk])
    client.force_login(sw.discipline)
    before = snapshot()
    response = client.post(url, listing_data(deciding_document=""))
    assert response.status_code == 400
    assert "列入灰名单、黑名单须有决定文书（文号）" in response.content.decode()
    assert snapshot() == before
    assert_role_matrix(
        client,
        "post",
        url,
        data=listing_data(),
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "superior": 403, "external": 404, "with_role": 302},
        actors=sw.actors(with_role=sw.discipline, superior=sw.pm),
        snapshot=snapshot,
    )
    listing = SupplierListing.objects.get()
    assert (listing.decided_by, listing.recorded_by, listing.kind) == (sw.city, sw.discipline, "black")


def test_lift_role_matrix(client: Client, sw: Any) -> None:
    supplier = SupplierFactory(registered_by=sw.city)
    listing = ListingFactory(supplier=supplier, kind="black", decided_by=sw.city, starts_on=timezone.localdate(), ends_on=None)
    assert_role_matrix(
        client,
        "post",
        reverse("procurement:supplier_listing_lift", args=[listing.pk]),
        data={"reason": "行政复议撤销", "document": "临政复决〔2026〕3号"},
        expected={"anonymous": 302, "other_agency": 403, "no_role": 404, "superior": 403, "external": 404, "with_role": 302},
        actors=sw.actors(with_role=sw.head, superior=sw.pm, other=sw.other_discipline),
        snapshot=snapshot,
    )
    listing.refresh_from_db()
    assert (listing.lifted_by, listing.lifted_document) == (sw.head, "临政复决〔2026〕3号")


def test_evaluate_page(client: Client, sw: Any, project: Any) -> None:
    supplier = SupplierFactory(registered_by=sw.other)
    client.force_login(sw.pm)
    response = client.post(
        reverse("procurement:supplier_evaluate", args=[supplier.pk]),
        {
            "contract_name": "空调改造施工合同",
            "project": project.pk,
            "score": 88,
            "comment": "按期完工",
            "evaluated_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    e = PerformanceEvaluation.objects.get()
    assert (e.agency, e.project, e.score, e.evaluated_by) == (sw.city, project, 88, sw.pm)
    client.force_login(sw.discipline)
    assert client.get(reverse("procurement:supplier_evaluate", args=[supplier.pk])).status_code == 403


def _populate(n: int, agency: Any, user: Any) -> Supplier:
    last = None
    for _ in range(n):
        s = SupplierFactory(registered_by=agency)
        QualificationFactory(supplier=s)
        QualificationFactory(
            supplier=s, expires_on=dt.date(2020, 1, 1), issued_on=dt.date(2015, 1, 1), kind="消防设施工程专业承包"
        )
        ListingFactory(supplier=s, recorded_by=user, decided_by=agency)
        EvaluationFactory(supplier=s, agency=agency, evaluated_by=user)
        EvaluationFactory(supplier=s, agency=agency, evaluated_by=user, score=60)
        ContactFactory(supplier=s)
        last = s
    assert last is not None
    return last


@pytest.mark.parametrize("query", ["", "?status=grey", "?expiry=expired", "?q=测试"])
def test_list_query_count_constant(client: Client, sw: Any, count_queries: Any, query: str) -> None:
    url = reverse("procurement:supplier_list") + query
    _populate(2, sw.city, sw.pm)
    client.force_login(sw.pm)
    client.get(url)
    small = count_queries(lambda: client.get(url))
    _populate(12, sw.city, sw.pm)
    response = client.get(url)
    assert response.status_code == 200
    assert count_queries(lambda: client.get(url)) == small


def test_profile_query_count_constant_and_content(client: Client, sw: Any, count_queries: Any) -> None:
    supplier = _populate(1, sw.city, sw.pm)
    url = reverse("procurement:supplier_detail", args=[supplier.pk])
    client.force_login(sw.discipline)
    client.get(url)
    small = count_queries(lambda: client.get(url))
    for i in range(8):
        QualificationFactory(supplier=supplier, kind=f"资质{i}")
        ListingFactory(supplier=supplier, recorded_by=sw.pm, decided_by=sw.city)
        EvaluationFactory(supplier=supplier, agency=sw.city, evaluated_by=sw.pm, score=70 + i)
        ContactFactory(supplier=supplier)
    response = client.get(url)
    assert count_queries(lambda: client.get(url)) == small
    html = response.content.decode()
    assert 'id="chart-evaluations-data"' in html
    assert "资质“消防设施工程专业承包二级”" in html  # the expired one blocks awards, shown on top
    assert 'data-testid="credit-score"' in html


def test_profile_shows_evaluation_details_only_to_those_who_may_read_the_project(client: Client, sw: Any, project: Any) -> None:
    """Given a shared supplier evaluated by the city (LJJG) on its project, when the city's 工程管理岗 and an
    unrelated agency's 工程管理岗 open the supplier page, then the city sees project, contract and comment; the
    other agency sees only date, score and the evaluating agency, no project or contract name."""
    supplier = SupplierFactory(registered_by=sw.other, name="临江华安机电安装工程有限公司")
    EvaluationFactory(
        supplier=supplier,
        agency=sw.city,
        project=project,
        contract_name="市民中心空调改造施工合同",
        comment="工期延误十五天",
        score=73,
        evaluated_on=dt.date(2026, 3, 9),
        evaluated_by=sw.pm,
    )
    url = reverse("procurement:supplier_detail", args=[supplier.pk])
    secret = ("市民中心空调改造施工合同", "市民中心空调改造", project.code, "工期延误十五天", "李明")

    client.force_login(sw.pm)
    own = client.get(url).content.decode()
    client.force_login(sw.other_pm)
    response = client.get(url)
    foreign = response.content.decode()

    for text in secret:
        assert text in own, text
        assert text not in foreign, text
    assert response.status_code == 200
    table = foreign.split('data-testid="supplier-evaluations"')[1].split("</table>")[0]
    assert "2026-03-09" in table and ">73<" in table and "市机关事务局" in table
    assert 'data-testid="evaluation-other-agency"' in table and "其他单位的合同（不对外显示）" in table
