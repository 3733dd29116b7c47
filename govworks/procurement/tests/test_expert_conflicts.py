"""Expert conflicts that really exclude (issue 11 item 8), through the pages: the expert form names any
supplier of the register as 工作单位, and the 专家论证 draw leaves out the employees of the project's
contract supplier — a supplier with no external-organisation account, matched by credit code and by name."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from govworks.procurement.models import ProcurementLot
from govworks.procurement.tests.factories import SupplierFactory
from govworks.procurement.tests.test_contracts import cw, lot, make  # noqa: F401  (fixtures and the contract helper)
from govworks.projects.models import Expert, ExpertReview

pytestmark = pytest.mark.django_db


def test_contractor_employees_are_excluded_from_the_expert_review(client: Client, cw: Any, lot: ProcurementLot) -> None:  # noqa: F811
    # given the project's contract with a supplier that has no external-organisation account
    supplier = SupplierFactory(name="临江三建有限公司", registered_by=cw.city)
    assert supplier.external_org_id is None
    make(cw, lot, supplier=supplier)
    project = lot.project
    # when the 科室负责人 adds two of its people to the pool through the expert form:
    # one picked from the supplier register, one typed by name with other brackets and spacing
    client.force_login(cw.head)
    form = {"speciality": "structure", "title": "高级工程师", "employer_credit_code": "", "phone": ""}
    picked = client.post(reverse("projects:expert_create"), {**form, "name": "三建总工", "employer_pick": supplier.credit_code})
    typed = client.post(
        reverse("projects:expert_create"),
        {**form, "name": "三建技术员", "employer_pick": "", "employer": "临江三建（有限 公司）"},
    )
    assert (picked.status_code, typed.status_code) == (302, 302)
    chief = Expert.objects.get(name="三建总工")
    tech = Expert.objects.get(name="三建技术员")
    assert (chief.employer, chief.employer_credit_code) == ("临江三建有限公司", supplier.credit_code)
    free = [
        Expert.objects.create(name=f"库内专家{i}", speciality="structure", title="高级工程师", employer="临江大学")
        for i in range(3)
    ]
    # and the 工程管理岗 draws the 专家论证 panel through the page, as large as the eligible pool
    client.force_login(cw.pm)
    response = client.post(
        reverse("projects:expert_review_draw", args=[project.pk]),
        {"subject": "施工组织设计论证", "speciality": "structure", "panel_size": 3},
    )
    # then neither of the contractor's people is drawn; both are shown as excluded with the reason
    review = ExpertReview.objects.get(project=project)
    assert response.status_code == 302
    assert set(review.panel) == {e.pk for e in free}
    assert review.excluded_snapshot == [chief.pk, tech.pk]
    body = client.get(reverse("projects:expert_review_detail", args=[review.pk])).content.decode()
    assert body.count("合同相对人“临江三建有限公司”的人员") == 2


def test_expert_form_asks_for_an_employer_picked_or_typed(client: Client, cw: Any) -> None:  # noqa: F811
    client.force_login(cw.head)
    response = client.post(
        reverse("projects:expert_create"),
        {"name": "无单位专家", "speciality": "structure", "title": "高级工程师", "employer_pick": "", "employer": " "},
    )
    assert response.status_code == 400
    assert "请从供应商库选择工作单位，或填写工作单位全称" in response.content.decode()
    assert not Expert.objects.filter(name="无单位专家").exists()
