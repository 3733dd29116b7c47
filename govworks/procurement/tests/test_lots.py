"""Procurement plan of a project: lots (标段), the method allowed for each by the rule parameters, legal
exceptions, the splitting check (化整为零), 先立项、后实施, the pages and the workspace panel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent
from govworks.core.testing.role_matrix import assert_role_matrix
from govworks.procurement.models import LegalException, ProcurementLot
from govworks.procurement.services import lots as services
from govworks.projects.models import Stage

NOTE = "前期手续已线下办理，批复文号临机事〔2026〕9号"


def pdf(name: str = "approval") -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4 test " + name.encode(), content_type="application/pdf")


@pytest.fixture
def lw(world: Any) -> Any:
    """world + city 科室负责人 ``head``; project reference data seeded."""
    from govworks.org.tests.factories import RoleGrantFactory, UserFactory
    from govworks.projects.models import ApprovalChainRule, DocumentType, ResponsibilityTemplate
    from govworks.projects.reference import seed_reference

    seed_reference(document_type=DocumentType, chain_rule=ApprovalChainRule, responsibility_template=ResponsibilityTemplate)
    world.head = UserFactory(username="chenzq", full_name="陈志强", agency=world.city, department=world.construction)
    RoleGrantFactory(user=world.head, agency=world.city, role="department_head")
    return world


@pytest.fixture
def make_project(lw: Any) -> Any:
    """make_project(amount, stage=..., funding_source=...) -> a city project at ``stage`` (None: 计划)."""
    from govworks.projects.services.projects import project_create_outside_plan, project_import_at_stage

    def make(amount: str = "5000000", *, stage: str | None = Stage.PROCUREMENT, funding_source: str = "fiscal", **kw: Any) -> Any:
        today = dt.date.today()
        project = project_create_outside_plan(
            actor=lw.pm,
            agency=lw.city,
            manager=lw.pm,
            department=lw.construction,
            reason="十一月巡查发现安全隐患，须尽快处置。",
            name=kw.pop("name", "市民中心综合改造"),
            project_type="repair",
            location="市民中心",
            estimate_amount=Decimal(amount),
            funding_source=funding_source,
            planned_start=today,
            planned_end=today + dt.timedelta(days=180),
        )
        if stage is not None:
            project = project_import_at_stage(actor=lw.pm, project=project, stage=stage, note=NOTE)
        return project

    return make


def add_lot(lw: Any, project: Any, amount: str, name: str = "主体施工", category: str = "works", **kw: Any) -> ProcurementLot:
    return services.lot_create(actor=lw.pm, project=project, name=name, category=category, estimated_amount=Decimal(amount), **kw)


def state() -> Any:
    return (
        list(
            ProcurementLot.objects.order_by("pk").values_list(
                "pk", "name", "category", "estimated_amount", "combinable", "method"
            )
        ),
        LegalException.objects.count(),
        AuditEvent.objects.filter(action__startswith="procurement.").count(),
    )


def refused(call: Any, code: str) -> DomainError:
    before = state()
    with pytest.raises(DomainError) as info:
        call()
    assert info.value.code == code, info.value.message
    assert state() == before
    return info.value


def record_exception(lw: Any, project: Any, kind: str = "patent_proprietary", **kw: Any) -> LegalException:
    return services.legal_exception_record(
        actor=lw.pm,
        project=project,
        kind=kind,
        approval_reference=kw.pop("approval_reference", "临发改招〔2026〕7号"),
        approving_body="临江市发展和改革委员会",
        approved_on=dt.date.today(),
        file=kw.pop("file", pdf()),
    )


# ------------------------------------------------------------------------------------------ done-when


def test_works_lot_of_4_2m_cannot_use_competitive_consultation_without_an_exception(lw: Any, make_project: Any) -> None:
    project = make_project("5000000")
    lot = add_lot(lw, project, "4200000")
    err = refused(
        lambda: services.lot_choose_method(actor=lw.pm, lot=lot, method="competitive_consultation"),
        "procurement.method_not_allowed",
    )
    assert "竞争性磋商不可用" in err.message
    assert "“施工单项合同必须招标金额”" in err.message
    assert "4,000,000.00" in err.message
    assert "4,200,000.00" in err.message
    assert err.field == "method"


def test_an_approved_legal_exception_of_the_right_kind_allows_competitive_consultation(lw: Any, make_project: Any) -> None:
    project = make_project("5000000")
    lot = add_lot(lw, project, "4200000")
    wrong = record_exception(lw, project, kind="gp_non_open_approval", approval_reference="临财采〔2026〕3号")
    err = refused(
        lambda: services.lot_choose_method(actor=lw.pm, lot=lot, method="competitive_consultation", exception=wrong),
        "procurement.method_not_allowed",
    )
    assert "“施工单项合同必须招标金额”" in err.message
    exception = record_exception(lw, project)
    lot = services.lot_choose_method(actor=lw.pm, lot=lot, method="competitive_consultation", exception=exception)
    lot.refresh_from_db()
    assert (lot.method, lot.legal_exception, lot.method_decided_by) == ("competitive_consultation", exception, lw.pm)
    event = AuditEvent.objects.get(action="procurement.lot.method")
    assert (event.context_type, event.context_id) == ("projects.project", str(project.pk))
    assert "临发改招〔2026〕7号" in event.summary


def test_open_tender_of_the_works_lot_is_allowed_without_exception(lw: Any, make_project: Any) -> None:
    project = make_project("5000000")
    lot = services.lot_choose_method(actor=lw.head, lot=add_lot(lw, project, "4200000"), method="open_tender")
    assert lot.method == "open_tender"


def test_two_works_lots_of_2_1m_are_refused_as_a_split_naming_both(lw: Any, make_project: Any) -> None:
    project = make_project("5000000")
    add_lot(lw, project, "2100000", name="一期主体施工")
    err = refused(lambda: add_lot(lw, project, "2100000", name="二期主体施工"), "procurement.split")
    assert "一期主体施工" in err.message
    assert "二期主体施工" in err.message
    assert "4,200,000.00 元" in err.message
    assert "“施工单项合同必须招标金额”" in err.message


def test_non_combinable_lots_and_other_categories_are_not_a_split(lw: Any, make_project: Any) -> None:
    project = make_project("5000000")
    add_lot(lw, project, "2100000", name="一期主体施工")
    # setup adapted (issue 11 item 5): a lot kept out of the splitting check now needs a written reason
    add_lot(lw, project, "2100000", name="园林绿化施工", combinable=False, not_combinable_reason="不同专业、不同地块，不能合并")
    add_lot(lw, project, "1500000", name="空调设备", category="goods")
    assert ProcurementLot.objects.filter(project=project).count() == 3


def test_an_update_that_makes_a_split_is_refused(lw: Any, make_project: Any) -> None:
    project = make_project("5000000")
    add_lot(lw, project, "2100000", name="一期主体施工")
    second = add_lot(lw, project, "2100000", name="园林绿化施工", combinable=False, not_combinable_reason="不同专业、不同地块")
    err = refused(lambda: services.lot_update(actor=lw.pm, lot=second, combinable=True), "procurement.split")
    assert "一期主体施工" in err.message and "园林绿化施工" in err.message


def test_an_update_that_no_longer_allows_the_chosen_method_is_refused(lw: Any, make_project: Any) -> None:
    project = make_project("5000000")
    lot = add_lot(lw, project, "3000000")
    services.lot_choose_method(actor=lw.pm, lot=lot, method="competitive_consultation")
    err = refused(
        lambda: services.lot_update(actor=lw.pm, lot=lot, estimated_amount=Decimal("4200000")),
        "procurement.method_invalidated",
    )
    assert "竞争性磋商" in err.message and "4,000,000.00" in err.message


# ------------------------------------------------------------------------------------------ other refusals


@pytest.mark.parametrize("stage,label", [(None, "计划"), (Stage.INITIATION, "立项")])
def test_no_plan_before_initiation_is_done(lw: Any, make_project: Any, stage: Any, label: str) -> None:
    project = make_project("5000000", stage=stage)
    err = refused(lambda: add_lot(lw, project, "300000"), "procurement.before_initiation")
    assert f"“{label}”阶段" in err.message and "先立项、后实施" in err.message


def test_choosing_a_method_before_initiation_is_refused(lw: Any, make_project: Any) -> None:
    project = make_project("5000000")
    lot = add_lot(lw, project, "300000")
    project.stage = Stage.INITIATION  # e.g. a record corrected back to 立项
    project.save(update_fields=["stage"])
    refused(lambda: services.lot_choose_method(actor=lw.pm, lot=lot, method="open_tender"), "procurement.before_initiation")


def test_ground_must_belong_to_the_method_and_exception_to_the_project(lw: Any, make_project: Any) -> None:
    project = make_project("5000000")
    other = make_project("5000000", name="另一个项目")
    lot = add_lot(lw, project, "300000")
    refused(
        lambda: services.lot_choose_method(actor=lw.pm, lot=lot, method="inquiry", ground="sole_supplier"),
        "procurement.ground_mismatch",
    )
    foreign = record_exception(lw, other)
    refused(
        lambda: services.lot_choose_method(actor=lw.pm, lot=lot, method="single_source", exception=foreign),
        "procurement.exception_project",
    )
    refused(lambda: services.lot_choose_method(actor=lw.pm, lot=lot, method="teleport"), "procurement.method_unknown")


def test_legal_exception_needs_reference_and_a_pdf_or_image(lw: Any, make_project: Any) -> None:
    project = make_project("5000000")
    refused(lambda: record_exception(lw, project, approval_reference="  "), "procurement.exception_reference")
    exe = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    refused(lambda: record_exception(lw, project, file=exe), "file.type")
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (20 * 1024 * 1024 + 1), content_type="application/pdf")
    refused(lambda: record_exception(lw, project, file=big), "file.size")
    assert record_exception(lw, project, file=SimpleUploadedFile("scan.jpg", b"\xff\xd8\xff", content_type="image/jpeg")).pk


def test_only_keepers_of_the_projects_agency_manage_the_plan(lw: Any, make_project: Any) -> None:
    project = make_project("5000000")
    for actor in (lw.leader, lw.no_role, lw.sub_pm, lw.other_pm, lw.sysadmin, lw.discipline):
        before = state()
        with pytest.raises(PermissionDenied):
            services.lot_create(actor=actor, project=project, name="x", category="works", estimated_amount=Decimal(1))
        assert state() == before


# ------------------------------------------------------------------------------------------ pages


def test_method_view_role_matrix(client: Client, lw: Any, make_project: Any) -> None:
    project = make_project("5000000")
    lot = add_lot(lw, project, "300000")
    assert_role_matrix(
        client,
        "post",
        reverse("procurement:lot_method", args=[lot.pk]),
        data={"method": "open_tender", "ground": "", "exception": ""},
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "superior": 403, "external": 404, "with_role": 302},
        actors=lw.actors(with_role=lw.pm, superior=lw.leader),
        snapshot=state,
    )
    lot.refresh_from_db()
    assert lot.method == "open_tender"


def test_method_view_refusal_answers_400_in_chinese_and_changes_nothing(client: Client, lw: Any, make_project: Any) -> None:
    project = make_project("5000000")
    lot = add_lot(lw, project, "4200000")
    client.force_login(lw.pm)
    page = client.get(reverse("procurement:lot_method", args=[lot.pk]))
    assert page.status_code == 200
    assert "登记法定例外" in page.content.decode()
    before = state()
    response = client.post(reverse("procurement:lot_method", args=[lot.pk]), {"method": "competitive_consultation"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "“施工单项合同必须招标金额”" in body and "4,000,000.00" in body
    assert state() == before


def test_lot_and_exception_forms(client: Client, lw: Any, make_project: Any) -> None:
    project = make_project("5000000")
    client.force_login(lw.pm)
    url = reverse("procurement:lot_create", args=[project.pk])
    data = {"name": "一期主体施工", "category": "works", "estimated_amount": "2100000", "combinable": "on"}
    assert client.post(url, data).status_code == 302
    before = state()
    response = client.post(url, {**data, "name": "二期主体施工"})
    assert response.status_code == 400
    assert "化整为零" in response.content.decode() and "4,200,000.00 元" in response.content.decode()
    assert state() == before
    lot = ProcurementLot.objects.get()
    exc_url = reverse("procurement:legal_exception_create", args=[project.pk]) + f"?lot={lot.pk}"
    response = client.post(
        exc_url,
        {
            "kind": "patent_proprietary",
            "approval_reference": "临发改招〔2026〕7号",
            "approving_body": "临江市发展和改革委员会",
            "approved_on": dt.date.today().isoformat(),
            "file": pdf(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("procurement:lot_method", args=[lot.pk])
    assert LegalException.objects.get().file.name.endswith(".pdf")
    update = client.post(reverse("procurement:lot_update", args=[lot.pk]), {**data, "estimated_amount": "2000000"})
    assert update.status_code == 302


def test_lot_create_page_before_initiation_answers_400(client: Client, lw: Any, make_project: Any) -> None:
    project = make_project("5000000", stage=Stage.INITIATION)
    client.force_login(lw.pm)
    before = state()
    response = client.post(
        reverse("procurement:lot_create", args=[project.pk]), {"name": "施工", "category": "works", "estimated_amount": "1"}
    )
    assert response.status_code == 400
    assert "先立项、后实施" in response.content.decode()
    assert state() == before


def test_workspace_panel_shows_lots_and_costs_constant_queries(
    client: Client, lw: Any, make_project: Any, count_queries: Any
) -> None:
    project = make_project("50000000")
    add_lot(lw, project, "4200000", name="主体施工")
    client.force_login(lw.pm)
    url = reverse("projects:project_detail", args=[project.pk])
    response = client.get(url)
    body = response.content.decode()
    assert "采购计划" in body and "主体施工" in body and "新增标段" in body and "选择采购方式" in body
    assert "须采用" in body
    one = count_queries(lambda: client.get(url))
    for i in range(4):
        add_lot(lw, project, "100000", name=f"货物{i}", category="goods")
    add_lot(lw, project, "100000", name="监理", category="services")
    assert count_queries(lambda: client.get(url)) == one
    client.force_login(lw.leader)  # reads the project, may not keep the plan
    body = client.get(url).content.decode()
    assert "主体施工" in body and "新增标段" not in body and "选择采购方式" not in body


@pytest.mark.django_db
def test_demo_lots() -> None:
    from govworks.core.rule_parameters import rule_parameters_seed
    from govworks.org.demo import seed_organisation
    from govworks.procurement.demo import seed_lots
    from govworks.projects.demo import seed_projects

    rule_parameters_seed()
    seed_organisation()
    seed_projects()
    assert seed_lots() == "4 个采购标段"
    assert ProcurementLot.objects.exclude(method="").count() == 3
    assert AuditEvent.objects.filter(action="procurement.lot.method").count() == 3
    assert seed_lots() == "已存在，跳过"
