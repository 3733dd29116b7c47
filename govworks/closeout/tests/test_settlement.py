"""Settlement audit (issue 13 item 2): the rules at their exact boundaries, the services' successes and
refusals (nothing changed), the firm draw (conflicts excluded, replayable), the collective decision above the
contract ceiling, 低价高结, finance's settlement payment cap through the provider, the gate, the facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govworks.closeout import rules_settlement as rules
from govworks.closeout.models import Settlement, SettlementDispute
from govworks.closeout.selectors import settlement as selectors
from govworks.closeout.selectors.facts import project_fact
from govworks.closeout.services import settlement as services
from govworks.core.audit import AuditEvent
from govworks.core.errors import DomainError
from govworks.finance.tests.conftest import _forget_workbench_cache, fin, fw  # noqa: F401
from govworks.projects.tests.conftest import decide_through_meeting, lifecycle, make_project  # noqa: F401

D = Decimal
L = rules.Line


# ------------------------------------------------------------------------------------------ rules


def test_review_tiers_are_half_open_at_each_boundary() -> None:
    # the boundary amount belongs to the higher tier ([lower, upper))
    assert rules.review_tier(D("4999999.99")).key == "settle.review_days.below_5m"
    assert rules.review_tier(D("5000000.00")).key == "settle.review_days.below_20m"
    assert rules.review_tier(D("19999999.99")).key == "settle.review_days.below_20m"
    assert rules.review_tier(D("20000000.00")).key == "settle.review_days.below_50m"
    assert rules.review_tier(D("49999999.99")).key == "settle.review_days.below_50m"
    assert rules.review_tier(D("50000000.00")).key == "settle.review_days.from_50m"
    assert rules.review_tier(D("0.01")).key == "settle.review_days.below_5m"
    assert rules.review_due(dt.date(2026, 12, 1), 20) == dt.date(2026, 12, 21)


def test_reduction_rate_is_exact_and_rounded_only_for_display() -> None:
    assert rules.reduction_rate(D(1000000), D(940000)) == D("0.06")
    assert rules.reduction_rate(D(3), D(2)) == D(1) / D(3)
    assert rules.percent(rules.reduction_rate(D(3), D(2))) == "33.33%"
    assert rules.reduction_rate(D(100), D(110)) == D("-0.1")
    assert rules.reduction_rate(D(0), D(0)) is None


def test_low_bid_high_settlement_is_strictly_above_the_ratio() -> None:
    assert rules.low_bid_high_settlement(approved=D(1200000), winning_bid=D(1000000), ratio=D("0.20")) is None
    detail = rules.low_bid_high_settlement(approved=D("1200000.01"), winning_bid=D(1000000), ratio=D("0.20"))
    assert detail is not None and "低价中标高价结算预警比例 20%" in detail and "1,200,000.01 元" in detail


def test_over_ceiling_needs_a_decision_only_strictly_above() -> None:
    assert rules.over_ceiling_problem(approved=D(1050000), contract_amount=D(1000000), approved_changes=D(50000)) is None
    text = rules.over_ceiling_problem(approved=D("1050000.01"), contract_amount=D(1000000), approved_changes=D(50000))
    assert text == (
        "结算超合同价款须集体决策：结算审定金额 1,050,000.01 元 超过合同金额 1,000,000.00 元 与已批准变更 50,000.00 元 "
        "之和 1,050,000.00 元，超出 0.01 元"
    )


def test_lines_must_add_up_and_explain_differences() -> None:
    assert rules.lines_problem([], submitted_total=D(1)) == "审定结果须至少列明一项审定明细"
    assert "须写明审增减原因" in (rules.lines_problem([L("土建", D(100), D(90))], submitted_total=D(100)) or "")
    assert "不一致" in (rules.lines_problem([L("土建", D(100), D(90), "核减")], submitted_total=D(101)) or "")
    assert rules.lines_problem([L("土建", D(100), D(90), "核减")], submitted_total=D(100)) is None
    assert "两位小数" in (rules.lines_problem([L("土建", D("100.001"), D(90), "核减")], submitted_total=D("100.001")) or "")


# ------------------------------------------------------------------------------------------ world


def pdf(name: str = "结算书") -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4 settlement " + name.encode(), content_type="application/pdf")


def accept(project: Any, actor: Any) -> None:
    """Given: the project passed its completion acceptance (left 竣工验收 for 结算审计)."""
    from govworks.projects.models import Project, Stage, StageTransition

    StageTransition.objects.create(project=project, from_stage=Stage.ACCEPTANCE, to_stage=Stage.SETTLEMENT, actor=actor)
    Project.objects.filter(pk=project.pk).update(stage=Stage.SETTLEMENT)
    project.refresh_from_db()


@pytest.fixture
def st(fin: Any) -> Any:  # noqa: F811
    """fin + the contract's supplier acting through the contractor's company, the project accepted, two audit
    firms on the city's register (one tied to the contractor, so never drawn)."""
    from govworks.procurement.models import Supplier

    Supplier.objects.filter(pk=fin.contract.supplier_id).update(external_org=fin.contractor_org)
    fin.contract.refresh_from_db()
    accept(fin.project, fin.pm)
    fin.contract.project.refresh_from_db()
    until = timezone.localdate() + dt.timedelta(days=365)
    fin.firm = services.audit_firm_create(
        actor=fin.auditor,
        agency=fin.city,
        name="临江正信工程造价咨询有限公司",
        credit_code="91331000MA2TEST01X",
        qualification="工程造价咨询甲级",
        qualification_valid_until=until,
    )
    fin.tied = services.audit_firm_create(
        actor=fin.auditor,
        agency=fin.city,
        name="临江建工造价咨询有限公司",
        credit_code="91331000MA2TEST02X",
        qualification="工程造价咨询乙级",
        qualification_valid_until=until,
        conflict_orgs=[fin.contractor_org],
    )
    return fin


def submit(w: Any, amount: str = "1000000") -> Settlement:
    return services.settlement_submit(actor=w.contractor, contract=w.contract, amount=D(amount), files=[pdf()])


def through_result(w: Any, approved: str = "940000", submitted: str = "1000000") -> Settlement:
    s = services.settlement_firm_draw(actor=w.auditor, settlement=submit(w, submitted))
    sub = D(submitted)
    return services.settlement_result_record(
        actor=w.auditor,
        settlement=s,
        lines=[L("建筑工程", sub - D(100000), D(approved) - D(100000), "工程量核减"), L("安装工程", D(100000), D(100000))],
        report_number="临审结〔2026〕3号",
    )


def refused(call: Any, code: str, *parts: str) -> DomainError:
    with pytest.raises(DomainError) as info:
        call()
    assert info.value.code == code, info.value.message
    for part in parts:
        assert part in info.value.message
    return info.value


def snapshot() -> tuple[Any, ...]:
    return (
        list(Settlement.objects.values()),
        SettlementDispute.objects.count(),
        AuditEvent.objects.filter(action__startswith="closeout.settlement").count(),
    )


# ------------------------------------------------------------------------------------------ services


def test_the_contractor_submits_with_the_deadline_of_its_tier(st: Any) -> None:
    s = submit(st, "5000000")
    assert s.status == Settlement.Status.SUBMITTED
    assert s.review_days == 30  # exactly 500万 is in the 500万–2000万 tier
    assert s.due_on == timezone.localdate() + dt.timedelta(days=30)
    assert s.documents.count() == 1
    assert AuditEvent.objects.filter(action="closeout.settlement.submit").count() == 1


def test_submission_refusals_change_nothing(st: Any) -> None:
    before = snapshot()
    refused(
        lambda: services.settlement_submit(actor=st.pm, contract=st.contract, amount=D(1), files=[pdf()]),
        "closeout.not_contractor",
        st.contract.number,
    )
    refused(
        lambda: services.settlement_submit(actor=st.contractor, contract=st.contract, amount=D(1), files=[]),
        "closeout.files",
    )
    fake = SimpleUploadedFile("结算书.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(DomainError):
        services.settlement_submit(actor=st.contractor, contract=st.contract, amount=D(1), files=[fake])
    assert snapshot() == before
    submit(st)
    before = snapshot()
    refused(lambda: submit(st), "closeout.already_submitted")
    assert snapshot() == before


def test_submission_waits_for_the_acceptance(fin: Any) -> None:  # noqa: F811
    from govworks.procurement.models import Supplier

    Supplier.objects.filter(pk=fin.contract.supplier_id).update(external_org=fin.contractor_org)
    fin.contract.refresh_from_db()
    refused(lambda: submit(fin), "closeout.not_accepted", "竣工验收")
    assert Settlement.objects.count() == 0


def test_the_draw_excludes_conflicted_firms_and_replays(st: Any) -> None:
    for _ in range(3):
        Settlement.objects.all().delete()
        s = services.settlement_firm_draw(actor=st.auditor, settlement=submit(st))
        assert s.firm_id == st.firm.pk  # the firm tied to the contractor is never drawn
        assert s.draw_excluded == [st.tied.pk]
        assert selectors.draw_replay(s) == st.firm.pk
        assert selectors.draw_exclusions(s) == [(st.tied.name, "与参建企业存在利害关系")]
    # when the only eligible firm leaves the register, the draw is refused and nothing changes
    Settlement.objects.all().delete()
    s = submit(st)
    services.audit_firm_set_active(actor=st.auditor, firm=st.firm, active=False, reason="资质降级")
    before = snapshot()
    refused(lambda: services.settlement_firm_draw(actor=st.auditor, settlement=s), "closeout.draw_pool", "已回避 1 家")
    assert snapshot() == before


def test_result_dispute_re_review_confirm_approve(st: Any) -> None:
    s = through_result(st, "940000")
    assert s.status == Settlement.Status.AUDITED
    assert s.approved_amount == D(940000)
    assert s.reduction_rate == D("0.06")
    s = services.settlement_dispute(actor=st.contractor, settlement=s, reason="签证工程量未计入，申请复核")
    assert s.status == Settlement.Status.REVIEW and s.review_round == 2 and s.approved_amount is None
    dispute = SettlementDispute.objects.get()
    assert dispute.approved_amount_before == D(940000) and len(dispute.lines_before) == 2
    s = services.settlement_result_record(
        actor=st.auditor,
        settlement=s,
        lines=[L("建筑工程", D(900000), D(860000), "复审核增签证"), L("安装工程", D(100000), D(100000))],
        report_number="临审结〔2026〕3号（复审）",
    )
    assert s.approved_amount == D(960000)
    s = services.settlement_confirm(actor=st.contractor, settlement=s)
    # the department head approves (never the one who drew or recorded: see test_the_recorder_may_not_approve)
    s = services.settlement_approve(actor=st.head, settlement=s)
    assert s.status == Settlement.Status.APPROVED
    from govworks.projects.models import ProjectDocument

    assert ProjectDocument.objects.filter(project=st.project, doc_type__code="settlement_audit_report").get().latest_number == 1
    assert ProjectDocument.objects.filter(project=st.project, doc_type__code="settlement_report").get().latest_number == 1
    # facts
    assert project_fact("settlement.submitted_total", st.project) == D(1000000)
    assert project_fact("settlement.approved_total", st.project) == D(960000)
    assert project_fact("settlement.reduction_rate", st.project) == D("0.04")


def test_refusals_out_of_order_change_nothing(st: Any) -> None:
    s = submit(st)
    before = snapshot()
    refused(lambda: services.settlement_confirm(actor=st.contractor, settlement=s), "closeout.confirm_state")
    refused(lambda: services.settlement_approve(actor=st.head, settlement=s), "closeout.approve_state")
    refused(
        lambda: services.settlement_result_record(actor=st.auditor, settlement=s, lines=[L("a", D(1), D(1))], report_number="x"),
        "closeout.result_state",
    )
    refused(
        lambda: services.settlement_dispute(actor=st.contractor, settlement=s, reason="短"), "closeout.dispute_reason", "5 个字"
    )
    assert snapshot() == before
    s = services.settlement_firm_draw(actor=st.auditor, settlement=s)
    before = snapshot()
    refused(
        lambda: services.settlement_result_record(
            actor=st.auditor, settlement=s, lines=[L("建筑工程", D(999999), D(900000), "核减")], report_number="临审结"
        ),
        "closeout.lines",
        "999,999.00 元",
        "1,000,000.00 元",
    )
    refused(
        lambda: services.settlement_result_record(
            actor=st.contractor, settlement=s, lines=[L("建筑工程", D(1000000), D(900000), "核减")], report_number="临审结"
        ),
        "closeout.not_firm",
    )
    assert snapshot() == before


def test_the_recorder_may_not_approve(st: Any) -> None:
    from govworks.org.tests.factories import RoleGrantFactory

    RoleGrantFactory(user=st.auditor, agency=st.city, role="department_head")
    from govworks.org.permissions import forget_cached_scope

    forget_cached_scope(st.auditor)
    s = services.settlement_confirm(actor=st.contractor, settlement=through_result(st))
    before = snapshot()
    refused(lambda: services.settlement_approve(actor=st.auditor, settlement=s), "closeout.approve_sod", "职责分离")
    assert snapshot() == before


def test_above_the_contract_ceiling_needs_the_collective_decision(st: Any) -> None:
    s = through_result(st, approved="1000000.01", submitted="1100000")
    assert s.requires_decision
    s = services.settlement_confirm(actor=st.contractor, settlement=s)
    before = snapshot()
    refused(
        lambda: services.settlement_approve(actor=st.head, settlement=s),
        "closeout.approve_decision",
        "结算审定金额 1,000,000.01 元 超过合同金额 1,000,000.00 元 与已批准变更 0.00 元 之和 1,000,000.00 元",
        "三重一大",
    )
    assert snapshot() == before
    decide_through_meeting(recorder=st.pm, chair=st.principal, members=[st.leader, st.head, st.finance], subject=s)
    assert services.settlement_approve(actor=st.head, settlement=s).status == Settlement.Status.APPROVED


def test_low_bid_high_settlement_raises_the_integrity_signal(st: Any) -> None:
    from govworks.procurement.models import IntegritySignal

    through_result(st, approved="1200000", submitted="1300000")  # exactly +20 %: no signal
    assert not IntegritySignal.objects.filter(kind=IntegritySignal.Kind.HIGH_SETTLEMENT).exists()
    Settlement.objects.all().delete()
    through_result(st, approved="1200000.01", submitted="1300000")
    signal = IntegritySignal.objects.get(kind=IntegritySignal.Kind.HIGH_SETTLEMENT)
    assert "1,200,000.01 元" in signal.detail and list(signal.contracts.all()) == [st.contract]


# ------------------------------------------------------------------------------------------ finance and the gate


def test_settlement_payment_only_after_approval_and_capped(st: Any) -> None:
    from govworks.finance.models import PaymentRequest
    from govworks.finance.services import payments
    from govworks.finance.tests.test_payments import draft

    refused(lambda: draft(st, "settlement", "500000"), "finance.settlement_not_ready", "结算审计尚未完成")
    submit(st)
    refused(lambda: draft(st, "settlement", "500000"), "finance.settlement_not_ready", "结算金额尚未审定")
    Settlement.objects.all().delete()
    s = services.settlement_confirm(actor=st.contractor, settlement=through_result(st, "900000"))
    services.settlement_approve(actor=st.head, settlement=s)
    over = draft(st, "settlement", "873000.01")
    refused(lambda: payments.payment_request_submit(actor=st.pm, request=over), "finance.payment_refused", "873,000.00 元")
    ok = payments.payment_request_submit(actor=st.pm, request=draft(st, "settlement", "873000"))
    assert ok.status == PaymentRequest.Status.SUBMITTED


def test_the_gate_reads_every_construction_contract(st: Any) -> None:
    from govworks.finance.gates import _settlement_gate

    [c] = _settlement_gate(st.project)
    assert not c.ok and "结算审计尚未完成" in c.detail
    s = services.settlement_confirm(actor=st.contractor, settlement=through_result(st, "960000"))
    services.settlement_approve(actor=st.head, settlement=s)
    [c] = _settlement_gate(st.project)
    assert c.ok and c.detail == f"合同{st.contract.number}结算审定金额 960,000.00 元（临审结〔2026〕3号）"


# ------------------------------------------------------------------------------------------ demo


def test_demo_seeder_walks_an_accepted_project_through_the_services(st: Any) -> None:
    from govworks.closeout.demo_settlement import seed_settlement_demo
    from govworks.projects.services.projects import gate_conditions

    assert seed_settlement_demo() == "审计机构入库 3 家，结算审计 1 份"
    s = Settlement.objects.get()
    assert s.status == Settlement.Status.APPROVED and s.reduction_rate == D("0.06")
    assert AuditEvent.objects.filter(action="closeout.settlement.approve").count() == 1
    settled = [c for c in gate_conditions(st.project, stage="settlement") if c.code == "finance:settlement_approved"]
    assert [c.ok for c in settled] == [True]
    # run again: nothing new
    assert seed_settlement_demo() == "审计机构入库 0 家，结算审计 0 份"
