"""Issue 11, procurement items, walked as people do them:

* item 4 — the procurement method binds the contract: an amount the lot's method does not allow is refused
  naming the method and its limit; an amount above the lot's estimate by more than
  ``contract.lot_estimate_overrun_ratio`` waits for the 重大变更审批 and is shown to 纪检监察;
* item 5 — unticking "可合并" needs a written reason, kept on the lot and shown to 纪检监察;
* item 13 — an advance of 0 % is allowed, and the 缺陷责任期 starts from its rule parameter;
* item 14 — the 化整为零 signal is stored once per group and updated as contracts join it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from govworks.core.models import AuditEvent, RuleParameter
from govworks.core.registry import work_items_for
from govworks.procurement.models import Contract, IntegritySignal, ProcurementLot
from govworks.procurement.rules_contracts import contract_terms_problems, lot_estimate_overrun
from govworks.procurement.selectors.contracts import contract_params
from govworks.procurement.services import contracts as services
from govworks.procurement.services import lots as lot_services
from govworks.procurement.services.integrity import integrity_signals_scan
from govworks.procurement.tests import test_contracts
from govworks.procurement.tests.factories import SupplierFactory
from govworks.procurement.tests.test_contracts import cw, lot, make, refused, state, terms  # noqa: F401  (fixtures)
from govworks.projects.models import ApprovalRequest, Stage

D = Decimal
TODAY = dt.date.today()
NOTE = "前期手续已线下办理，批复文号临机事〔2026〕9号"


def _project(cw: Any, estimate: str = "20000000", name: str = "市政务服务中心改造") -> Any:  # noqa: F811
    """A city project funded by 财政拨款 (in the 16号令 scope) imported at the 合同 stage."""
    from govworks.projects.services.projects import project_create_outside_plan, project_import_at_stage

    project = project_create_outside_plan(
        actor=cw.pm,
        agency=cw.city,
        manager=cw.pm,
        department=cw.construction,
        reason="十一月巡查发现安全隐患，须尽快处置。",
        name=name,
        project_type="repair",
        location="市政务服务中心",
        estimate_amount=D(estimate),
        funding_source="fiscal",
        planned_start=TODAY,
        planned_end=TODAY + dt.timedelta(days=180),
    )
    return project_import_at_stage(actor=cw.pm, project=project, stage=Stage.CONTRACT, note=NOTE)


def _lot(cw: Any, project: Any, amount: str, method: str = "competitive_consultation", **kw: Any) -> ProcurementLot:  # noqa: F811
    row = lot_services.lot_create(
        actor=cw.pm, project=project, name=kw.pop("name", "主体施工"), category="works", estimated_amount=D(amount), **kw
    )
    return lot_services.lot_choose_method(actor=cw.pm, lot=row, method=method)


def _form(lot: ProcurementLot, supplier: Any, amount: str, **kw: Any) -> dict[str, str]:  # noqa: F811
    data = {
        "lot": str(lot.pk),
        "supplier": str(supplier.pk),
        "title": "政务服务中心改造施工合同",
        "is_main_construction": "on",
        "amount": amount,
        "pricing_type": "lump_sum",
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + dt.timedelta(days=100)).isoformat(),
        "award_notice_on": TODAY.isoformat(),
        "performance_bond": "0",
        "advance_pct": "10",
        "progress_pct": "85",
        "quality_deposit_pct": "3",
        "defect_period_months": "12",
    }
    data.update(kw)
    return data


# ------------------------------------------------------------------------------------------ item 4


def test_a_ten_million_contract_on_a_two_million_competitive_consultation_lot_is_refused(cw: Any) -> None:  # noqa: F811
    # given a 2,000,000.00 works lot bought by 竞争性磋商 (below the 4,000,000.00 tendering threshold)
    project = _project(cw)
    bought = _lot(cw, project, "2000000")
    # when a 10,000,000.00 contract is drafted on it, then it is refused naming the method and its limit
    err = refused(
        lambda: make(cw, bought, amount=D("10000000"), performance_bond=D(0), title="政务服务中心改造施工合同"),
        "procurement.contract_over_method",
        "合同金额 10,000,000.00 元超过采购方式“竞争性磋商”允许的金额（标段估算 2,000,000.00 元）",
        "竞争性磋商只适用于低于施工单项合同必须招标金额 4,000,000.00 元的采购",
        "须采用公开招标、邀请招标",
    )
    assert err.field == "amount"
    assert Contract.objects.count() == 0 and IntegritySignal.objects.count() == 0


def test_the_contract_page_refuses_the_amount_the_method_does_not_allow(client: Client, cw: Any) -> None:  # noqa: F811
    project = _project(cw)
    bought = _lot(cw, project, "2000000")
    supplier = SupplierFactory(registered_by=cw.city)
    client.force_login(cw.pm)
    url = reverse("procurement:contract_create", args=[project.pk])
    before = state()
    response = client.post(url, _form(bought, supplier, "10000000.00"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "竞争性磋商只适用于低于施工单项合同必须招标金额 4,000,000.00 元的采购" in body
    assert state() == before
    # just below the threshold the method still holds (and within 10 % of the estimate no approval is needed)
    assert client.post(url, _form(bought, supplier, "2200000.00")).status_code == 302


def test_lot_estimate_overrun_rule_is_strictly_above_the_ratio() -> None:
    ratio = D("0.10")
    assert lot_estimate_overrun(contract_amount=D("220000"), lot_estimate=D("200000"), max_ratio=ratio) is None
    text = lot_estimate_overrun(contract_amount=D("220000.01"), lot_estimate=D("200000"), max_ratio=ratio)
    assert text == (
        "合同金额 220,000.01 元超出标段估算 200,000.00 元，超出 20,000.01 元（10.00001%），超过合同金额超出标段估算需报批比例 10%"
    )


def test_a_contract_above_the_lot_estimate_waits_for_the_higher_approval_and_is_a_signal(
    client: Client,
    cw: Any,  # noqa: F811
) -> None:
    # given a 200,000.00 bought (below the collective-decision amount) and a contract of 230,000.00 (+15 %)
    project = _project(cw, estimate="1000000", name="档案室改造")
    bought = _lot(cw, project, "200000")
    supplier = SupplierFactory(registered_by=cw.city)
    client.force_login(cw.pm)
    assert (
        client.post(reverse("procurement:contract_create", args=[project.pk]), _form(bought, supplier, "230000")).status_code
        == 302
    )
    contract = Contract.objects.get()
    # then 纪检监察 sees it: the signal is stored with the numbers and the rule
    signal = IntegritySignal.objects.get(kind=IntegritySignal.Kind.OVER_LOT_ESTIMATE)
    assert list(signal.contracts.all()) == [contract]
    assert "合同金额 230,000.00 元超出标段估算 200,000.00 元，超出 30,000.00 元（15%）" in signal.detail
    assert [i.title for i in work_items_for(cw.discipline) if i.title.startswith("合同金额超出标段估算")]
    # when the clerk signs it, then it is refused naming the approval it waits for, and nothing changes
    sign_url = reverse("procurement:contract_sign", args=[contract.pk])
    before = state()
    response = client.post(sign_url, {"signed_on": TODAY.isoformat()})
    assert (
        response.status_code == 400
        and "须经“重大变更审批”（科室负责人→分管领导→主要领导）批准后方可签订" in response.content.decode()
    )
    assert state() == before
    # the contract page names what signing waits for and offers the approval
    page = client.get(reverse("procurement:contract_detail", args=[contract.pk])).content.decode()
    assert 'data-testid="contract-sign-pending"' in page and 'data-testid="overrun-submit"' in page
    # when the clerk submits it and the three approvers approve on their approval pages
    client.post(reverse("procurement:contract_overrun_submit", args=[contract.pk]))
    approval = ApprovalRequest.objects.get(kind="procurement.change")
    assert approval.title.endswith("金额超出标段估算报批（" + supplier.name + "）") and approval.amount == D(30000)
    for approver in (cw.head, cw.leader, cw.principal):
        client.force_login(approver)
        response = client.post(
            reverse("projects:approval_decide", args=[approval.pk]), {"decision": "approve", "opinion": "同意，按审定金额签订"}
        )
        assert response.status_code == 302
    approval.refresh_from_db()
    assert approval.status == ApprovalRequest.Status.APPROVED
    # then the clerk signs it
    client.force_login(cw.pm)
    assert client.post(sign_url, {"signed_on": TODAY.isoformat()}).status_code == 302
    contract.refresh_from_db()
    assert contract.status == Contract.Status.SIGNED
    # and the signal is stored once
    integrity_signals_scan(project)
    assert IntegritySignal.objects.filter(kind=IntegritySignal.Kind.OVER_LOT_ESTIMATE).count() == 1


def test_new_rule_parameter_is_seeded_with_its_chinese_name_and_source(cw: Any) -> None:  # noqa: F811
    row = RuleParameter.objects.get(key="contract.lot_estimate_overrun_ratio", scope="deployment")
    assert (row.name, row.value, row.value_type) == ("合同金额超出标段估算需报批比例", "10", "percent")
    assert "财政部令第87号" in row.source
    assert contract_params(cw.city).lot_estimate_overrun_ratio == D("0.10")


# ------------------------------------------------------------------------------------------ item 5


def _lot_state() -> Any:
    return (
        list(ProcurementLot.objects.order_by("pk").values_list("pk", "combinable", "not_combinable_reason", "estimated_amount")),
        list(IntegritySignal.objects.order_by("pk").values_list("pk", "kind", "detail")),
    )


def test_unticking_combinable_needs_a_written_reason_kept_and_shown_to_discipline(cw: Any) -> None:  # noqa: F811
    project = _project(cw)
    first = _lot(cw, project, "2100000", method="open_tender", name="一期主体施工")
    # when a lot is added as not combinable without a reason, then it is refused and nothing changes
    before = _lot_state()
    with pytest.raises(Exception) as info:
        lot_services.lot_create(
            actor=cw.pm, project=project, name="园林绿化施工", category="works", estimated_amount=D("2100000"), combinable=False
        )
    assert getattr(info.value, "code", "") == "procurement.lot_not_combinable_reason"
    assert "须写明不能与同类标段合并采购的理由" in str(info.value)
    assert _lot_state() == before
    # and unticking an existing lot without a reason is refused too
    with pytest.raises(Exception) as info:
        lot_services.lot_update(actor=cw.pm, lot=first, combinable=False, not_combinable_reason="  ")
    assert getattr(info.value, "code", "") == "procurement.lot_not_combinable_reason"
    assert _lot_state() == before
    # when the reason is written, then it is kept on the lot and shown to 纪检监察 as a signal
    second = lot_services.lot_create(
        actor=cw.pm,
        project=project,
        name="园林绿化施工",
        category="works",
        estimated_amount=D("2100000"),
        combinable=False,
        not_combinable_reason="不同专业、不同地块，分属两个年度实施",
    )
    assert second.not_combinable_reason == "不同专业、不同地块，分属两个年度实施"
    signal = IntegritySignal.objects.get(kind=IntegritySignal.Kind.SPLIT_CHECK_SKIPPED)
    assert signal.detail == (
        f"{second}（工程，估算 2,100,000.00 元）标为不与同类标段合并采购，未参与化整为零检查。"
        "理由：不同专业、不同地块，分属两个年度实施"
    )
    items = [i for i in work_items_for(cw.discipline) if i.title.startswith("标段不合并采购")]
    assert len(items) == 1 and "分属两个年度实施" in items[0].detail
    # a new reason updates the same signal; the audit trail keeps both
    lot_services.lot_update(actor=cw.pm, lot=second, not_combinable_reason="地块不同，施工单位资质要求不同")
    signal.refresh_from_db()
    assert signal.detail.endswith("理由：地块不同，施工单位资质要求不同")
    assert IntegritySignal.objects.filter(kind=IntegritySignal.Kind.SPLIT_CHECK_SKIPPED).count() == 1
    assert AuditEvent.objects.filter(action="procurement.integrity_signal.update").count() == 1


def test_the_lot_form_refuses_unticking_without_a_reason(client: Client, cw: Any) -> None:  # noqa: F811
    project = _project(cw)
    client.force_login(cw.pm)
    url = reverse("procurement:lot_create", args=[project.pk])
    data = {"name": "园林绿化施工", "category": "works", "estimated_amount": "2100000", "is_government_procurement": "on"}
    before = _lot_state()
    response = client.post(url, data)
    assert response.status_code == 400 and "须写明不能与同类标段合并采购的理由" in response.content.decode()
    assert _lot_state() == before
    response = client.post(url, {**data, "not_combinable_reason": "不同地块"})
    assert response.status_code == 302
    assert ProcurementLot.objects.get().not_combinable_reason == "不同地块"
    panel = client.get(reverse("projects:project_detail", args=[project.pk]))
    assert panel.status_code == 200


# ------------------------------------------------------------------------------------------ item 13


def test_an_advance_of_zero_is_allowed_and_the_defect_period_starts_from_its_parameter(
    client: Client,
    cw: Any,  # noqa: F811
    lot: Any,  # noqa: F811
) -> None:
    params = contract_params(cw.city)
    base = test_contracts.ContractTerms(
        amount=D(1000000),
        advance_ratio=D(0),
        progress_ratio=D("0.85"),
        quality_deposit_ratio=D("0.03"),
        defect_period_months=12,
        performance_bond=D(0),
        award_notice_on=TODAY,
    )
    assert contract_terms_problems(base, params) == []  # 0 %: no advance
    from dataclasses import replace

    [low] = contract_terms_problems(replace(base, advance_ratio=D("0.05")), params)
    assert low.startswith("预付款比例 5% 低于") and low.endswith("；不支付预付款的填 0")
    # the form starts from the rule parameter (12 months), not a hard-coded 24
    client.force_login(cw.pm)
    url = reverse("procurement:contract_create", args=[lot.project.pk])
    page = client.get(url).content.decode()
    assert 'name="defect_period_months" value="12"' in page
    RuleParameter.objects.filter(key="qdep.defect_period_default_months", scope="deployment").update(value="18")
    assert 'name="defect_period_months" value="18"' in client.get(url).content.decode()
    # a contract with a 0 % advance is drafted through the page, without an advance milestone
    supplier = SupplierFactory(registered_by=cw.city)
    response = client.post(url, _form(lot, supplier, "1000000", advance_pct="0", defect_period_months="18"))
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert contract.advance_ratio == 0 and contract.defect_period_months == 18
    assert sorted(contract.milestones.values_list("kind", flat=True)) == ["progress", "retention_return", "settlement"]
    # and a service call without a defect period takes the parameter
    t = terms(amount=D(500000), performance_bond=D(0), title="附属工程合同", is_main_construction=False)
    t.pop("defect_period_months")
    other = services.contract_create(actor=cw.pm, lot=lot, supplier=supplier, **t)
    assert other.defect_period_months == 18


# ------------------------------------------------------------------------------------------ item 14


def test_the_splitting_signal_is_stored_once_per_group_and_updated_as_contracts_join(cw: Any) -> None:  # noqa: F811
    project = _project(cw, estimate="9000000")
    supplier = SupplierFactory(registered_by=cw.city)
    made = []
    for name, amount in (("一期装修", "2100000"), ("二期装修", "2100000"), ("三期装修", "1500000")):
        row = _lot(cw, project, amount, method="open_tender", name=name, combinable=False, not_combinable_reason="分期实施")
        made.append(
            make(cw, row, supplier=supplier, amount=D(amount), is_main_construction=False, title=name, performance_bond=D(0))
        )
        clusters = IntegritySignal.objects.filter(kind=IntegritySignal.Kind.BELOW_THRESHOLD_CLUSTER)
        assert clusters.count() == (0 if len(made) == 1 else 1)
    signal = IntegritySignal.objects.get(kind=IntegritySignal.Kind.BELOW_THRESHOLD_CLUSTER)
    assert set(signal.contracts.all()) == set(made)
    assert "合计 5,700,000.00 元达到该标准" in signal.detail and made[2].number in signal.detail
    assert AuditEvent.objects.filter(action="procurement.integrity_signal", object_id=str(signal.pk)).count() == 1
    assert AuditEvent.objects.filter(action="procurement.integrity_signal.update", object_id=str(signal.pk)).count() == 1
    # scanning again changes nothing
    assert integrity_signals_scan(project) == []
    assert IntegritySignal.objects.filter(kind=IntegritySignal.Kind.BELOW_THRESHOLD_CLUSTER).count() == 1


def test_a_signal_stored_under_the_old_per_contract_fingerprint_is_updated_not_repeated(cw: Any) -> None:  # noqa: F811
    project = _project(cw, estimate="9000000")
    supplier = SupplierFactory(registered_by=cw.city)
    first, second = (
        make(
            cw,
            _lot(cw, project, "2100000", method="open_tender", name=name, combinable=False, not_combinable_reason="分期实施"),
            supplier=supplier,
            amount=D("2100000"),
            is_main_construction=False,
            title=name,
            performance_bond=D(0),
        )
        for name in ("一期装修", "二期装修")
    )
    # given the signal as the old code stored it (keyed by its contract numbers too)
    signal = IntegritySignal.objects.get(kind=IntegritySignal.Kind.BELOW_THRESHOLD_CLUSTER)
    IntegritySignal.objects.filter(pk=signal.pk).update(fingerprint=f"{signal.fingerprint}:{first.number},{second.number}")
    third = make(
        cw,
        _lot(cw, project, "1500000", method="open_tender", name="三期装修", combinable=False, not_combinable_reason="分期实施"),
        supplier=supplier,
        amount=D("1500000"),
        is_main_construction=False,
        title="三期装修",
        performance_bond=D(0),
    )
    assert IntegritySignal.objects.filter(kind=IntegritySignal.Kind.BELOW_THRESHOLD_CLUSTER).count() == 1
    signal.refresh_from_db()
    assert set(signal.contracts.all()) == {first, second, third}
    assert ":" + first.number not in signal.fingerprint
