# ruff: noqa: F811  (fixtures imported from other test modules are redefined as test arguments)
"""The signal kinds of procurement, projects and org (registered in each app's ``signals.py``): each is raised
by its situation and NOT by the situation just below its threshold (exact Decimal boundaries), either at the
moment of action (the stored alert) or by its daily scan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from govworks.core.errors import DomainError
from govworks.core.risk import signal_kind
from govworks.core.rule_parameters import rule_value
from govworks.integrity.models import RiskAlert
from govworks.integrity.services.alerts import alerts_scan_daily
from govworks.procurement.models import Contract, IntegritySignal
from govworks.procurement.tests.factories import ListingFactory, SupplierFactory
from govworks.procurement.tests.test_contract_binding import _lot, _project
from govworks.procurement.tests.test_contracts import cw, lot, make  # noqa: F401  (fixtures)
from govworks.projects.tests.conftest import lifecycle, make_project  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = dt.date.today()


def scan(key: str) -> list[Any]:
    kind = signal_kind(key)
    assert kind is not None and kind.scan is not None
    return list(kind.scan(TODAY))


def alerts(key: str) -> list[RiskAlert]:
    return list(RiskAlert.objects.filter(kind=key).order_by("id"))


def facts(alert: Any) -> dict[str, str]:
    return dict(alert.facts)


def test_every_kind_has_a_chinese_label_a_severity_and_a_module() -> None:
    keys = [
        "procurement.shared_bidder_trait",
        "procurement.over_winning_bid",
        "procurement.below_threshold_cluster",
        "procurement.split_check_skipped",
        "procurement.over_lot_estimate",
        "procurement.high_settlement",
        "procurement.contract_over_method",
        "procurement.award_refused",
        "projects.large_item_without_decision",
        "projects.outside_plan",
        "projects.sod_refused",
        "org.pledge_missing",
    ]
    for key in keys:
        kind = signal_kind(key)
        assert kind is not None, key
        assert kind.label and not kind.label.isascii() and kind.severity in ("high", "medium", "low"), key


# ------------------------------------------------------------------------------------------ procurement


def test_over_lot_estimate_is_raised_one_fen_above_the_ratio_and_not_at_it(
    cw: Any, django_capture_on_commit_callbacks: Any
) -> None:
    project = _project(cw)
    ratio = D(str(rule_value("contract.lot_estimate_overrun_ratio", agency=cw.city)))
    at = _lot(cw, project, "1000000", method="open_tender", name="一标段")
    above = _lot(cw, project, "1000000", method="open_tender", name="二标段")
    with django_capture_on_commit_callbacks(execute=True):
        make(cw, at, amount=D("1000000") * (1 + ratio), performance_bond=D(0))
    assert alerts("procurement.over_lot_estimate") == []
    with django_capture_on_commit_callbacks(execute=True):
        contract = make(cw, above, amount=D("1000000") * (1 + ratio) + D("0.01"), performance_bond=D(0))
    (alert,) = alerts("procurement.over_lot_estimate")
    assert alert.severity == "medium" and alert.rule_key == "contract.lot_estimate_overrun_ratio"
    assert contract.number in facts(alert)["相关合同"] and "超出标段估算" in facts(alert)["事实"]
    assert alert.involved_user_ids == [cw.pm.pk] and alert.object_url.endswith(f"/{contract.pk}/")
    # the daily scan finds the same signal and stores nothing more
    assert [f.fingerprint for f in scan("procurement.over_lot_estimate")] == [alert.fingerprint]
    alerts_scan_daily(TODAY)
    assert len(alerts("procurement.over_lot_estimate")) == 1


def test_a_lot_kept_out_of_the_splitting_check_is_raised_a_combinable_one_is_not(
    cw: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from govworks.procurement.services import lots as lot_services

    project = _project(cw)
    with django_capture_on_commit_callbacks(execute=True):
        lot_services.lot_create(actor=cw.pm, project=project, name="合并标段", category="works", estimated_amount=D("500000"))
    assert alerts("procurement.split_check_skipped") == []
    with django_capture_on_commit_callbacks(execute=True):
        lot_services.lot_create(
            actor=cw.pm,
            project=project,
            name="独立标段",
            category="works",
            estimated_amount=D("500000"),
            combinable=False,
            not_combinable_reason="专业工程，须由具备专项资质的单位施工",
        )
    (alert,) = alerts("procurement.split_check_skipped")
    assert "专项资质" in facts(alert)["事实"] and alert.severity == "low"


def test_every_stored_integrity_signal_kind_becomes_an_alert_and_a_sealed_tender_waits(cw: Any) -> None:
    from govworks.procurement.signals import finding_of_signal, integrity_signal_reported

    project = _project(cw)
    for kind in IntegritySignal.Kind.values:
        signal = IntegritySignal.objects.create(
            kind=kind, fingerprint=f"t:{kind}", agency=cw.city, project=project, detail=f"事实 {kind} 1,000.00 元"
        )
        integrity_signal_reported(signal.pk)
        (alert,) = alerts(f"procurement.{kind}")
        assert alert.title.startswith(project.code) and facts(alert)["事实"] == f"事实 {kind} 1,000.00 元"
        assert finding_of_signal(signal).fingerprint == alert.fingerprint
    assert len(scan("procurement.shared_bidder_trait")) == 1


def test_a_contract_above_its_lots_method_is_raised_when_refused_and_not_one_fen_below(cw: Any) -> None:
    project = _project(cw)
    bought = _lot(cw, project, "2000000")  # 竞争性磋商: below the 4,000,000.00 works threshold
    make(cw, bought, amount=D("3999999.99"), performance_bond=D(0))
    assert alerts("procurement.contract_over_method") == []
    count = Contract.objects.count()
    with pytest.raises(DomainError) as err:
        make(cw, bought, amount=D("4000000.00"), performance_bond=D(0))
    assert err.value.code == "procurement.contract_over_method"
    assert Contract.objects.count() == count  # refused: no contract, only the finding
    (alert,) = alerts("procurement.contract_over_method")
    assert facts(alert)["拟订合同金额"] == "4,000,000.00 元" and "竞争性磋商" in facts(alert)["拒绝理由"]
    assert alert.severity == "high" and alert.involved_user_ids == [cw.pm.pk]


def test_an_award_to_a_blacklisted_supplier_is_raised_and_one_whose_listing_ended_is_not(
    cw: Any, lot: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ended = SupplierFactory(registered_by=cw.city)
    ListingFactory(supplier=ended, kind="black", starts_on=TODAY - dt.timedelta(days=100), ends_on=TODAY - dt.timedelta(days=1))
    make(cw, lot, ended)
    assert alerts("procurement.award_refused") == [] and scan("procurement.award_refused") == []
    black = SupplierFactory(registered_by=cw.city)
    ListingFactory(supplier=black, kind="black", starts_on=TODAY - dt.timedelta(days=10), ends_on=None)
    count = Contract.objects.count()
    with pytest.raises(DomainError), django_capture_on_commit_callbacks(execute=True):
        make(cw, lot, black)
    assert Contract.objects.count() == count
    (alert,) = alerts("procurement.award_refused")
    assert black.name in alert.title and "黑名单" in facts(alert)["拒绝理由"] and alert.involved_user_ids == [cw.pm.pk]
    assert [f.fingerprint for f in scan("procurement.award_refused")] == [alert.fingerprint]


# ------------------------------------------------------------------------------------------ projects


def _past_initiation(project: Any, approved: Decimal) -> Any:
    """The situation the gate does not catch: 概算 approved above the threshold after an initiation below it."""
    from govworks.projects.models import Project

    Project.objects.filter(pk=project.pk).update(stage="prelim_design", approved_estimate=approved)
    return Project.objects.get(pk=project.pk)


def test_a_large_item_without_a_decision_is_raised_at_the_threshold_and_not_one_fen_below(
    lifecycle: Any, make_project: Any
) -> None:
    threshold = D(str(rule_value("tzyd.large_fund_min_amount", agency=lifecycle.city)))
    below = _past_initiation(make_project("100000", name="门卫室修缮"), threshold - D("0.01"))
    at = _past_initiation(make_project("100000", name="食堂修缮"), threshold)
    (finding,) = scan("projects.large_item_without_decision")
    assert finding.project_id == at.pk and below.pk != at.pk
    assert dict(finding.facts)["批复概算"] == f"{threshold:,.2f} 元" and dict(finding.facts)["超出"] == "0.00 元"
    assert set(finding.involved_user_ids) == {lifecycle.pm.pk}


def test_a_decided_or_imported_project_is_not_raised(lifecycle: Any, make_project: Any) -> None:
    from govworks.projects.models import Project
    from govworks.projects.services.projects import project_import_at_stage
    from govworks.projects.tests.conftest import decide_through_meeting

    threshold = D(str(rule_value("tzyd.large_fund_min_amount", agency=lifecycle.city)))
    imported = make_project(str(threshold * 2), name="历史项目")
    project_import_at_stage(
        actor=lifecycle.pm, project=imported, stage="construction", note="前期手续线下办理，批复文号临机事〔2026〕9号"
    )
    decided = make_project(str(threshold), name="已决策项目")
    Project.objects.filter(pk=decided.pk).update(stage="initiation")  # 立项: where the decision is made
    decide_through_meeting(
        recorder=lifecycle.pm, chair=lifecycle.principal, members=[lifecycle.leader, lifecycle.head], subject=decided
    )
    _past_initiation(decided, threshold)
    assert scan("projects.large_item_without_decision") == []


def test_a_project_outside_the_plan_is_raised_one_from_the_approved_plan_is_not(lifecycle: Any, make_project: Any) -> None:
    from govworks.projects.services import plans
    from govworks.projects.services.projects import project_create_from_plan
    from govworks.projects.tests.test_plans import decide, make_plan

    plan = make_plan(lifecycle.pm, lifecycle.city, lifecycle.construction, items=1, year=TODAY.year)
    plans.annual_plan_submit(actor=lifecycle.pm, plan=plan)
    decide(plan, organizer=lifecycle.pm)
    project_create_from_plan(actor=lifecycle.pm, item=plan.items.get(seq=1), manager=lifecycle.pm)
    assert scan("projects.outside_plan") == []
    outside = make_project("380000")
    (finding,) = scan("projects.outside_plan")
    assert finding.project_id == outside.pk and "安全隐患" in dict(finding.facts)["计划外立项理由"]


def test_a_refused_self_approval_is_raised_an_approval_by_someone_else_is_not(
    lifecycle: Any, make_project: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from govworks.projects.services.approvals import SeparationOfDutiesError, approval_sod_refused_record

    project = make_project()
    assert scan("projects.sod_refused") == []
    error = SeparationOfDutiesError(
        "approval.own_submission",
        "职责分离：本事项由您提交，不能审批自己提交的事项",
        obj=project,
        agency=lifecycle.city,
        project=project,
        title="立项审批",
        step_label="第1环节（科室负责人）审批",
    )
    with django_capture_on_commit_callbacks(execute=True):
        approval_sod_refused_record(actor=lifecycle.head, error=error)
    (alert,) = alerts("projects.sod_refused")
    assert alert.involved_user_ids == [lifecycle.head.pk] and "不能审批自己提交的事项" in facts(alert)["拒绝依据"]
    assert [f.fingerprint for f in scan("projects.sod_refused")] == [alert.fingerprint]


# ------------------------------------------------------------------------------------------ org


def test_a_project_role_without_this_years_pledge_is_raised_with_it_is_not(lifecycle: Any) -> None:
    from govworks.org.tests.factories import IntegrityPledgeFactory

    IntegrityPledgeFactory(user=lifecycle.head, year=TODAY.year)
    IntegrityPledgeFactory(user=lifecycle.finance, year=TODAY.year - 1, signed_on=dt.date(TODAY.year - 1, 1, 5))
    people = {f.involved_user_ids[0]: f for f in scan("org.pledge_missing")}
    assert lifecycle.head.pk not in people  # signed this year
    assert lifecycle.finance.pk in people  # last year's pledge only
    assert lifecycle.pm.pk in people and "工程管理岗" in dict(people[lifecycle.pm.pk].facts)["担任角色"]
    for not_a_project_role in (lifecycle.discipline, lifecycle.leader, lifecycle.sysadmin, lifecycle.auditor):
        assert not_a_project_role.pk not in people
