"""Contracts and change orders (issue 4 items 4 and 5): terms outside the rules refused with the rule and
number, signing with the collective decision, the 合同 gate, change orders with the cumulative ratio and the
higher approval, the pages."""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent
from govworks.core.testing.role_matrix import assert_role_matrix
from govworks.procurement.models import ChangeOrder, Contract, PaymentMilestone, ProcurementLot
from govworks.procurement.rules_contracts import (
    ContractParams,
    ContractTerms,
    change_review,
    contract_ceiling,
    contract_terms_problems,
)
from govworks.procurement.selectors.contracts import contract_params
from govworks.procurement.services import contracts as services
from govworks.procurement.services import lots as lot_services
from govworks.procurement.services.suppliers import AWARD_REFUSED_ACTION
from govworks.procurement.tests.factories import ListingFactory, SupplierFactory
from govworks.projects.models import AgendaItem, ApprovalRequest, Stage
from govworks.projects.services.approvals import approval_decide
from govworks.projects.services.projects import gate_conditions

NOTE = "前期手续已线下办理，批复文号临机事〔2026〕9号"
TODAY = dt.date.today()


@pytest.fixture
def cw(world: Any) -> Any:
    """world + city 科室负责人 ``head`` and 主要领导 ``principal``; reference data seeded."""
    from govworks.org.tests.factories import RoleGrantFactory, UserFactory
    from govworks.projects.models import ApprovalChainRule, DocumentType, ResponsibilityTemplate
    from govworks.projects.reference import seed_reference

    seed_reference(document_type=DocumentType, chain_rule=ApprovalChainRule, responsibility_template=ResponsibilityTemplate)
    for kind, name, steps in (
        ("procurement.change", "重大变更审批流", ["department_head", "leader_in_charge", "principal_leader"]),
        ("procurement.change_minor", "变更审批流", ["department_head", "leader_in_charge"]),
    ):
        ApprovalChainRule.objects.get_or_create(agency=None, kind=kind, min_amount=0, defaults={"name": name, "steps": steps})
    world.head = UserFactory(username="chenzq", full_name="陈志强", agency=world.city, department=world.construction)
    RoleGrantFactory(user=world.head, agency=world.city, role="department_head")
    world.principal = UserFactory(username="sunjz", full_name="孙局长", agency=world.city)
    RoleGrantFactory(user=world.principal, agency=world.city, role="principal_leader")
    return world


@pytest.fixture
def lot(cw: Any) -> ProcurementLot:
    """A city project in the 合同 stage with one works lot whose method (open tendering) is chosen."""
    from govworks.projects.services.projects import project_create_outside_plan, project_import_at_stage

    project = project_create_outside_plan(
        actor=cw.pm,
        agency=cw.city,
        manager=cw.pm,
        department=cw.construction,
        reason="十一月巡查发现安全隐患，须尽快处置。",
        name="市民中心综合改造",
        project_type="repair",
        location="市民中心",
        estimate_amount=Decimal("5000000"),
        funding_source="fiscal",
        planned_start=TODAY,
        planned_end=TODAY + dt.timedelta(days=180),
    )
    project = project_import_at_stage(actor=cw.pm, project=project, stage=Stage.CONTRACT, note=NOTE)
    row = lot_services.lot_create(
        actor=cw.pm, project=project, name="主体施工", category="works", estimated_amount=Decimal("1000000")
    )
    return lot_services.lot_choose_method(actor=cw.pm, lot=row, method="open_tender")


def terms(**kw: Any) -> dict[str, Any]:
    base = {
        "title": "市民中心综合改造主体施工合同",
        "amount": Decimal("1000000"),
        "pricing_type": "unit_price",
        "starts_on": TODAY,
        "ends_on": TODAY + dt.timedelta(days=150),
        "advance_ratio": Decimal("0.20"),
        "progress_ratio": Decimal("0.85"),
        "quality_deposit_ratio": Decimal("0.03"),
        "defect_period_months": 24,
        "performance_bond": Decimal("50000"),
        "award_notice_on": TODAY - dt.timedelta(days=5),
        "is_main_construction": True,
    }
    base.update(kw)
    return base


def make(cw: Any, lot: ProcurementLot, supplier: Any = None, **kw: Any) -> Contract:
    supplier = supplier or SupplierFactory(registered_by=cw.city)
    t = terms(**kw)
    milestones = [
        {"kind": "advance", "ratio": t["advance_ratio"], "condition": "合同签订后"},
        {"kind": "progress", "ratio": t["progress_ratio"], "condition": "按月计量"},
    ]
    return services.contract_create(actor=cw.pm, lot=lot, supplier=supplier, milestones=milestones, **t)


def pass_decision(cw: Any, subject: Any) -> AgendaItem:
    """The leadership decides ``subject`` at a meeting, through the same services as the meeting pages."""
    from govworks.projects.tests.conftest import decide_through_meeting

    # the leadership of the city: its 主要领导 chairs when the test world has one, else its 分管领导
    chair = getattr(cw, "principal", None) or cw.leader
    members = [m for m in (cw.leader, cw.head, cw.discipline) if m != chair]
    return decide_through_meeting(recorder=cw.pm, chair=chair, members=members, subject=subject)


def signed(cw: Any, lot: ProcurementLot, **kw: Any) -> Contract:
    contract = make(cw, lot, **kw)
    pass_decision(cw, contract)
    return services.contract_sign(actor=cw.pm, contract=contract, signed_on=TODAY)


def state() -> Any:
    return (
        list(Contract.objects.order_by("pk").values_list("pk", "status", "amount", "signed_on")),
        list(PaymentMilestone.objects.order_by("pk").values_list("pk")),
        list(ChangeOrder.objects.order_by("pk").values_list("pk", "status", "amount", "cumulative_ratio_after")),
        ApprovalRequest.objects.count(),
    )


def refused(call: Any, code: str, *contains: str) -> DomainError:
    before = state()
    with pytest.raises(DomainError) as info:
        call()
    assert info.value.code == code, info.value.message
    for text in contains:
        assert text in info.value.message, info.value.message
    assert state() == before
    return info.value


# ------------------------------------------------------------------------------------------ rules (pure)


def test_rules_module_is_pure() -> None:
    tree = ast.parse((Path(__file__).parent.parent / "rules_contracts.py").read_text())
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    assert not {m for m in imported if m.split(".")[0] in {"django", "rest_framework"}}
    assert {m for m in imported if m.startswith("govworks")} <= {"govworks.procurement.rules_methods", "govworks.core.rule_seed"}


def _params(cw: Any) -> ContractParams:
    return contract_params(cw.city)


def _t(**kw: Any) -> ContractTerms:
    base = {
        "amount": Decimal("1000000"),
        "advance_ratio": Decimal("0.10"),
        "progress_ratio": Decimal("0.80"),
        "quality_deposit_ratio": Decimal("0.03"),
        "defect_period_months": 24,
        "performance_bond": Decimal("100000"),
        "award_notice_on": dt.date(2026, 3, 1),
        "signed_on": dt.date(2026, 3, 31),
    }
    base.update(kw)
    return ContractTerms(**base)


def test_terms_boundaries_and_every_problem_named(cw: Any) -> None:
    params = _params(cw)
    assert contract_terms_problems(_t(), params) == []  # 10% advance, 3% deposit, 10% bond, day 30, 24 months
    assert contract_terms_problems(_t(advance_ratio=Decimal("0.30"), progress_ratio=Decimal("0.97")), params) == []
    problems = contract_terms_problems(
        _t(
            advance_ratio=Decimal("0.40"),
            progress_ratio=Decimal("0.98"),
            quality_deposit_ratio=Decimal("0.05"),
            defect_period_months=25,
            performance_bond=Decimal("100001"),
            signed_on=dt.date(2026, 4, 1),
        ),
        params,
    )
    text = "；".join(problems)
    assert len(problems) == 6
    for expected in (
        "“预付款比例上限”30%",
        "“结算前进度款支付比例上限”97%",
        "“质量保证金预留比例上限”3%",
        "“缺陷责任期（最长）”24",
        "“履约保证金上限”",
        "“中标通知书发出后签订合同最长天数”30",
    ):
        assert expected in text
    low = contract_terms_problems(_t(advance_ratio=Decimal("0.099"), progress_ratio=Decimal("0.79")), params)
    assert "“预付款比例下限”10%" in low[0] and "“进度款支付比例下限（已完工程价款）”80%" in low[1]


def test_change_review_threshold_is_strictly_above_ten_percent(cw: Any) -> None:
    params = _params(cw)
    amount = Decimal("1000000")
    at = change_review(Decimal("50000"), Decimal("50000"), amount, None, Decimal("1100000"), params)
    assert at.ratio_after == Decimal("0.1") and at.requires_higher_approval is False
    above = change_review(Decimal("50000"), Decimal("70000"), amount, None, Decimal("1120000"), params)
    assert above.ratio_after == Decimal("0.12") and above.requires_higher_approval is True
    assert "“累计变更需重新审批比例”10%" in above.reasons[0]
    estimate = change_review(Decimal(0), Decimal("10000"), amount, Decimal("1005000"), Decimal("1010000"), params)
    assert estimate.requires_higher_approval is True and "批复概算" in estimate.reasons[0]
    assert contract_ceiling(amount, [Decimal("30000"), Decimal("-5000")]) == Decimal("1025000")


# ------------------------------------------------------------------------------------------ contracts


def test_done_when_five_percent_deposit_and_forty_percent_advance_are_refused_with_the_rule(cw: Any, lot: Any) -> None:
    supplier = SupplierFactory(registered_by=cw.city)
    refused(
        lambda: make(cw, lot, supplier, quality_deposit_ratio=Decimal("0.05")),
        "procurement.contract_terms",
        "“质量保证金预留比例上限”",
        "3%",
    )
    refused(
        lambda: make(cw, lot, supplier, advance_ratio=Decimal("0.40")),
        "procurement.contract_terms",
        "“预付款比例上限”",
        "30%",
    )
    contract = make(cw, lot, supplier, quality_deposit_ratio=Decimal("0.03"), advance_ratio=Decimal("0.30"))
    assert contract.status == Contract.Status.DRAFT
    assert contract.number.startswith("HT-LJJG-")
    assert contract.milestones.count() == 2
    assert AuditEvent.objects.filter(action="procurement.contract.create").count() == 1


def test_contract_needs_a_lot_with_a_chosen_method_and_a_role(cw: Any, lot: Any) -> None:
    from django.core.exceptions import PermissionDenied

    bare = lot_services.lot_create(
        actor=cw.pm, project=lot.project, name="监理", category="services", estimated_amount=Decimal("50000")
    )
    refused(lambda: make(cw, bare), "procurement.contract_lot_method")
    before = state()
    with pytest.raises(PermissionDenied):
        services.contract_create(actor=cw.leader, lot=lot, supplier=SupplierFactory(registered_by=cw.city), **terms())
    assert state() == before


def test_blacklisted_supplier_is_refused_and_the_refusal_recorded(cw: Any, lot: Any) -> None:
    supplier = SupplierFactory(registered_by=cw.city)
    ListingFactory(supplier=supplier, kind="black", starts_on=TODAY - dt.timedelta(days=10), ends_on=None)
    refused(lambda: make(cw, lot, supplier), "procurement.award_refused", "黑名单")
    event = AuditEvent.objects.get(action=AWARD_REFUSED_ACTION)
    assert event.object_id == str(supplier.pk) and "黑名单" in event.reason


def test_signing_at_the_large_fund_threshold_needs_a_passed_decision(cw: Any, lot: Any) -> None:
    contract = make(cw, lot, amount=Decimal("300000"), performance_bond=Decimal("30000"))
    refused(
        lambda: services.contract_sign(actor=cw.pm, contract=contract, signed_on=TODAY),
        "procurement.contract_decision",
        "“三重一大大额资金起点”",
        "300,000.00",
    )
    pass_decision(cw, contract)
    services.contract_sign(actor=cw.pm, contract=contract, signed_on=TODAY)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.SIGNED and contract.signed_on == TODAY


def test_signing_below_the_threshold_needs_no_decision_but_re_checks_the_days(cw: Any, lot: Any) -> None:
    late = make(cw, lot, amount=Decimal("299999"), performance_bond=Decimal(0), award_notice_on=TODAY - dt.timedelta(days=31))
    refused(
        lambda: services.contract_sign(actor=cw.pm, contract=late, signed_on=TODAY),
        "procurement.contract_terms",
        "“中标通知书发出后签订合同最长天数”30",
    )
    ok = make(cw, lot, amount=Decimal("299999"), performance_bond=Decimal(0))
    assert services.contract_sign(actor=cw.pm, contract=ok, signed_on=TODAY).status == Contract.Status.SIGNED


def test_the_contract_gate_flips_when_the_main_construction_contract_is_signed(cw: Any, lot: Any) -> None:
    project = lot.project
    codes = {c.code: c for c in gate_conditions(project)}
    assert "module:contract" not in codes
    assert codes["contract:main_signed"].ok is False
    make(cw, lot, is_main_construction=False, amount=Decimal("100000"), performance_bond=Decimal(0))
    other = Contract.objects.get()
    services.contract_sign(actor=cw.pm, contract=other, signed_on=TODAY)
    assert {c.code: c for c in gate_conditions(project)}["contract:main_signed"].ok is False
    signed(cw, lot)
    assert {c.code: c for c in gate_conditions(project)}["contract:main_signed"].ok is True


# ------------------------------------------------------------------------------------------ change orders


def change(cw: Any, contract: Contract, amount: str, **kw: Any) -> ChangeOrder:
    return services.change_create(
        actor=cw.pm,
        contract=contract,
        category=kw.pop("category", "design"),
        reason=kw.pop("reason", "地下管线与图纸不符，调整基础"),
        responsibility=kw.pop("responsibility", "designer"),
        amount=Decimal(amount),
        supervisor_opinion="情况属实",
        designer_opinion="同意调整",
        **kw,
    )


def approve_all(request: ApprovalRequest, *actors: Any) -> ApprovalRequest:
    for actor in actors:
        request = approval_decide(actor=actor, request=request, approve=True, opinion="同意")
    return request


def test_done_when_change_to_twelve_percent_waits_for_higher_approval_and_decision(cw: Any, lot: Any) -> None:
    contract = signed(cw, lot)
    first = services.change_submit(actor=cw.pm, change=change(cw, contract, "50000"))
    assert first.requires_higher_approval is False and first.cumulative_ratio_after == Decimal("0.05")
    minor = ApprovalRequest.objects.get(kind="procurement.change_minor")
    approve_all(minor, cw.head, cw.leader)
    assert services.change_approve_finalize(actor=cw.pm, change=first).status == ChangeOrder.Status.APPROVED

    big = services.change_submit(actor=cw.pm, change=change(cw, contract, "70000"))
    assert big.requires_higher_approval is True and big.cumulative_ratio_after == Decimal("0.12")
    request = ApprovalRequest.objects.get(kind="procurement.change")
    refused(
        lambda: services.change_approve_finalize(actor=cw.pm, change=big),
        "procurement.change_waiting",
        "重大变更审批",
        "集体决策",
    )
    approve_all(request, cw.head, cw.leader, cw.principal)
    refused(lambda: services.change_approve_finalize(actor=cw.pm, change=big), "procurement.change_waiting", "集体决策")
    big.refresh_from_db()
    assert big.status == ChangeOrder.Status.SUBMITTED
    pass_decision(cw, big)
    assert services.change_approve_finalize(actor=cw.pm, change=big).status == ChangeOrder.Status.APPROVED
    from govworks.procurement.selectors.contracts import contract_view

    view = contract_view(contract)
    assert view.ceiling == Decimal("1120000")
    assert [line.percent for line in view.changes] == ["5%", "12%"]


def test_decision_before_approval_still_waits_for_the_approval(cw: Any, lot: Any) -> None:
    contract = signed(cw, lot)
    big = services.change_submit(actor=cw.pm, change=change(cw, contract, "120000"))
    pass_decision(cw, big)
    refused(lambda: services.change_approve_finalize(actor=cw.pm, change=big), "procurement.change_waiting", "重大变更审批")


def test_change_refusals_change_nothing(cw: Any, lot: Any) -> None:
    draft = make(cw, lot)
    refused(lambda: change(cw, draft, "1000"), "procurement.change_unsigned")
    contract = signed(cw, lot)
    refused(lambda: change(cw, contract, "1000", category="x"), "procurement.change_category")
    refused(lambda: change(cw, contract, "1000", reason=" "), "procurement.change_reason")
    submitted = services.change_submit(actor=cw.pm, change=change(cw, contract, "1000"))
    refused(lambda: services.change_submit(actor=cw.pm, change=submitted), "procurement.change_state")


def test_a_100000_character_change_reason_is_refused_naming_the_field_and_the_limit(client: Client, cw: Any, lot: Any) -> None:
    """Issue 12 item 9: such a reason once made the change's PDF render past the worker's timeout."""
    contract = signed(cw, lot)
    reason = "地" * 100_000
    client.force_login(cw.pm)
    before = (state(), AuditEvent.objects.count())
    # when the clerk submits the change form with it
    response = client.post(
        reverse("procurement:change_create", args=[contract.pk]),
        {"category": "design", "reason": reason, "responsibility": "designer", "amount": "1000"},
    )
    # then the form answers 400 naming the field's label, the limit and the length, and nothing changed
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["“变更原因”不能超过 5,000 字（当前 100,000 字）"]
    assert 'maxlength="5000"' in response.content.decode()
    assert (state(), AuditEvent.objects.count()) == before
    # and the service refuses it the same way when the text arrives without a form (API, import, code)
    error = refused(lambda: change(cw, contract, "1000", reason=reason), "text.too_long")
    assert (error.message, error.field) == ("“变更原因”不能超过 5,000 字（当前 100,000 字）", "reason")
    # a reason of exactly the limit is accepted
    assert change(cw, contract, "1000", reason="地" * 5000).reason == "地" * 5000


def test_single_source_addon_is_limited_to_ten_percent(cw: Any, lot: Any) -> None:
    ProcurementLot.objects.filter(pk=lot.pk).update(method="single_source")  # setup: the lot was procured by 单一来源
    lot.refresh_from_db()
    contract = signed(cw, lot)
    services.change_submit(actor=cw.pm, change=change(cw, contract, "60000"))
    services.change_submit(actor=cw.pm, change=change(cw, contract, "-20000"))  # a reduction is not an addition
    over = change(cw, contract, "40001")
    refused(
        lambda: services.change_submit(actor=cw.pm, change=over),
        "procurement.single_source_addon",
        "“单一来源添购上限（占原合同）”",
    )
    ok = services.change_submit(actor=cw.pm, change=change(cw, contract, "40000"))
    assert ok.status == ChangeOrder.Status.SUBMITTED


# ------------------------------------------------------------------------------------------ pages


def test_contract_page_role_matrix(client: Client, cw: Any, lot: Any) -> None:
    contract = signed(cw, lot)
    assert_role_matrix(
        client,
        "get",
        reverse("procurement:contract_detail", args=[contract.pk]),
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "superior": 200, "external": 404, "with_role": 200},
        actors=cw.actors(with_role=cw.pm, superior=cw.leader),
    )
    assert_role_matrix(
        client,
        "post",
        reverse("procurement:contract_sign", args=[make(cw, lot).pk]),
        data={"signed_on": TODAY.isoformat()},
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "superior": 403, "external": 404, "with_role": 400},
        actors=cw.actors(with_role=cw.pm, superior=cw.leader),
        snapshot=state,
    )


def test_contract_form_refusal_answers_400_naming_the_rule(client: Client, cw: Any, lot: Any) -> None:
    supplier = SupplierFactory(registered_by=cw.city)
    client.force_login(cw.pm)
    url = reverse("procurement:contract_create", args=[lot.project.pk])
    assert client.get(url).status_code == 200
    data = {
        "lot": lot.pk,
        "supplier": supplier.pk,
        "title": "主体施工合同",
        "is_main_construction": "on",
        "amount": "1000000",
        "pricing_type": "lump_sum",
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + dt.timedelta(days=100)).isoformat(),
        "award_notice_on": TODAY.isoformat(),
        "performance_bond": "0",
        "advance_pct": "40",
        "progress_pct": "85",
        "quality_deposit_pct": "3",
        "defect_period_months": "24",
    }
    before = state()
    response = client.post(url, data)
    assert response.status_code == 400 and "“预付款比例上限”" in response.content.decode()
    assert state() == before
    data["advance_pct"] = "30"
    response = client.post(url, data)
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert contract.advance_ratio == Decimal("0.3") and contract.milestones.count() == 4


def test_register_and_contract_page_cost_constant_queries(client: Client, cw: Any, lot: Any, count_queries: Any) -> None:
    contract = signed(cw, lot)
    client.force_login(cw.pm)
    register = reverse("procurement:contract_list")
    page = reverse("procurement:contract_detail", args=[contract.pk])
    client.get(register)
    client.get(page)
    one_list, one_page = count_queries(lambda: client.get(register)), count_queries(lambda: client.get(page))
    for i in range(3):
        make(cw, lot, title=f"附属合同{i}", amount=Decimal("100000"), performance_bond=Decimal(0), is_main_construction=False)
        change(cw, contract, "1000")
    services.change_submit(actor=cw.pm, change=ChangeOrder.objects.order_by("seq").first())
    assert count_queries(lambda: client.get(register)) == one_list
    assert count_queries(lambda: client.get(page)) == one_page
    body = client.get(page).content.decode()
    assert body.count('data-testid="change-row"') == 3 and "0.1%" in body
    listing = client.get(register + "?status=signed&q=主体").content.decode()
    assert listing.count('data-testid="contract-row"') == 1


def test_workspace_panel_lists_the_project_contracts(client: Client, cw: Any, lot: Any) -> None:
    contract = signed(cw, lot)
    client.force_login(cw.pm)
    body = client.get(reverse("projects:project_detail", args=[lot.project.pk])).content.decode()
    assert contract.number in body and "起草合同" in body


@pytest.mark.django_db
def test_demo_contract_with_a_change_waiting_for_the_higher_approval() -> None:
    from govworks.core.rule_parameters import rule_parameters_seed
    from govworks.org.demo import seed_organisation
    from govworks.procurement.demo import seed_contracts, seed_lots, seed_suppliers
    from govworks.projects.demo import seed_projects

    rule_parameters_seed()
    seed_organisation()
    seed_projects()
    seed_suppliers()
    seed_lots()
    assert seed_contracts().startswith("1 份主体施工合同")
    contract = Contract.objects.get()
    assert contract.status == Contract.Status.SIGNED and contract.is_main_construction
    assert contract.milestones.count() == 4
    minor, major = contract.changes.order_by("seq")
    assert minor.status == ChangeOrder.Status.APPROVED and minor.cumulative_ratio_after == Decimal("0.05")
    assert major.status == ChangeOrder.Status.SUBMITTED and major.requires_higher_approval
    assert major.cumulative_ratio_after == Decimal("0.12")
    assert ApprovalRequest.objects.get(kind="procurement.change").status == ApprovalRequest.Status.PENDING
    assert seed_contracts() == "已存在，跳过"


def test_the_change_approval_is_decided_on_the_ordinary_approval_pages(client: Client, cw: Any, lot: Any) -> None:
    contract = signed(cw, lot)
    services.change_submit(actor=cw.pm, change=change(cw, contract, "120000"))
    request = ApprovalRequest.objects.get(kind="procurement.change")
    client.force_login(cw.head)
    inbox = client.get(reverse("projects:approval_inbox"))
    assert inbox.status_code == 200 and "重大变更审批" in inbox.content.decode()
    assert client.get(reverse("projects:approval_detail", args=[request.pk])).status_code == 200
    client.force_login(cw.pm)
    body = client.get(reverse("procurement:contract_detail", args=[contract.pk])).content.decode()
    assert "12%" in body and "需重大变更审批及集体决策" in body


# ------------------------------------------------------------------------------------------ milestones


def test_milestone_rules_against_the_terms() -> None:
    from govworks.procurement.rules_contracts import MilestoneTerm, milestone_problems

    t = ContractTerms(
        amount=Decimal("1000000"),
        advance_ratio=Decimal("0.20"),
        progress_ratio=Decimal("0.80"),
        quality_deposit_ratio=Decimal("0.03"),
        defect_period_months=24,
        performance_bond=Decimal(0),
        award_notice_on=TODAY,
    )
    good = [
        MilestoneTerm("advance", Decimal("0.10"), None, "签订后"),
        MilestoneTerm("advance", None, Decimal("100000"), "进场后"),
        MilestoneTerm("progress", Decimal("0.80"), None, "按月计量"),
        MilestoneTerm("settlement", None, None, "结算审计后"),
        MilestoneTerm("retention_return", Decimal("0.03"), None, "缺陷责任期满"),
    ]
    assert milestone_problems(good, t) == []
    bad = [
        MilestoneTerm("advance", Decimal("0.25"), None, "签订后"),
        MilestoneTerm("progress", Decimal("0.85"), None, "按月计量"),
        MilestoneTerm("retention_return", Decimal("0.05"), None, ""),
        MilestoneTerm("progress", Decimal("0.5"), Decimal("1"), "两项都填"),
        MilestoneTerm("bonus", None, None, "奖励"),
    ]
    problems = "；".join(milestone_problems(bad, t))
    assert "预付款节点合计 25% 与合同约定的预付款比例 20% 不一致" in problems
    assert "第2个付款节点（进度款）比例 85% 超过合同约定的进度款支付比例 80%" in problems
    assert "第3个付款节点（质保金返还）须写明支付条件" in problems
    assert "质保金返还）比例 5% 与合同约定的质量保证金比例 3% 不一致" in problems
    assert "第4个付款节点（进度款）比例和金额只能填写一项" in problems
    assert "第5个付款节点的类型“bonus”无效" in problems


def test_milestones_edited_on_a_draft_only_and_refusal_changes_nothing(client: Client, cw: Any, lot: ProcurementLot) -> None:
    contract = make(cw, lot)
    url = reverse("procurement:contract_milestones", args=[contract.pk])
    client.force_login(cw.pm)
    page = client.get(url)
    assert page.status_code == 200 and 'name="kind_1"' in page.content.decode()
    assert url in client.get(reverse("procurement:contract_detail", args=[contract.pk])).content.decode()
    before = list(PaymentMilestone.objects.filter(contract=contract).values_list("seq", "kind", "ratio", "condition"))
    events = AuditEvent.objects.count()
    refused = client.post(url, {"kind_1": "advance", "pct_1": "40", "condition_1": "签订后"})
    assert refused.status_code == 400
    assert "预付款节点合计 40% 与合同约定的预付款比例 20% 不一致" in refused.content.decode()
    assert list(PaymentMilestone.objects.filter(contract=contract).values_list("seq", "kind", "ratio", "condition")) == before
    assert AuditEvent.objects.count() == events
    data = {
        "kind_1": "advance",
        "pct_1": "10",
        "condition_1": "合同签订后",
        "kind_2": "advance",
        "amount_2": "100000",
        "condition_2": "进场后",
        "kind_3": "progress",
        "pct_3": "85",
        "condition_3": "按月计量",
        "kind_4": "settlement",
        "condition_4": "结算审计后",
    }
    assert client.post(url, data).status_code == 302
    rows = list(PaymentMilestone.objects.filter(contract=contract).values_list("seq", "kind", "ratio", "amount"))
    assert rows == [
        (1, "advance", Decimal("0.1000"), None),
        (2, "advance", None, Decimal("100000.00")),
        (3, "progress", Decimal("0.8500"), None),
        (4, "settlement", None, None),
    ]
    assert AuditEvent.objects.filter(action="procurement.contract.milestones").count() == 1
    pass_decision(cw, contract)
    services.contract_sign(actor=cw.pm, contract=contract, signed_on=TODAY)
    with pytest.raises(DomainError, match="已签订，付款节点不能再修改"):
        services.contract_milestones_replace(actor=cw.pm, contract=contract, milestones=[])
    client.force_login(cw.other_pm)
    assert client.get(url).status_code == 404
