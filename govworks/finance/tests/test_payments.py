"""Payment requests (issue 6 point 3–5): every hard guard refused at submission and again at final approval
with the rule and the numbers, changing nothing; the approval chain and the collective decision; the
treasury instruction with 大写; confirmations recorded once; a rejection releases the amount; and ten
simultaneous approvals that can never pass the cap (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from govworks.construction.models import PaymentFreeze
from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent
from govworks.finance.models import CompletedValue, FundingSource, PaymentInstruction, PaymentRequest, SourceMonth, TreasuryImport
from govworks.finance.services import payments, treasury
from govworks.finance.tests.conftest import TODAY, milestone, pass_decision
from govworks.procurement.models import SupplierBankAccount
from govworks.procurement.tests.factories import ListingFactory
from govworks.projects.models import ApprovalRequest
from govworks.projects.services.approvals import approval_decide


def state() -> Any:
    return (
        list(
            PaymentRequest.objects.order_by("pk").values_list("pk", "status", "amount", "requires_decision", "completed_value_id")
        ),
        list(FundingSource.objects.order_by("pk").values_list("pk", "committed", "paid")),
        list(PaymentInstruction.objects.order_by("pk").values_list("pk", "status", "voucher_number")),
        ApprovalRequest.objects.count(),
        list(SourceMonth.objects.order_by("pk").values_list("pk", "paid")),
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


def draft(fin: Any, kind: str, gross: str, **kw: Any) -> PaymentRequest:
    return payments.payment_request_create(
        actor=fin.pm,
        milestone=milestone(fin.contract, kind),
        source=kw.pop("source", fin.source),
        gross_amount=Decimal(gross),
        purpose=kw.pop("purpose", "按合同支付"),
        **kw,
    )


def approve_chain(fin: Any, request: PaymentRequest) -> None:
    people = {
        "department_head": fin.head,
        "finance": fin.finance2,
        "leader_in_charge": fin.leader,
        "principal_leader": fin.principal,
    }
    approval = ApprovalRequest.objects.filter(kind=payments.PAYMENT_KIND, subject_id=request.pk).order_by("-id").first()
    assert approval is not None
    while approval.status == ApprovalRequest.Status.PENDING:
        step = approval.steps.get(index=approval.current_index)
        approval = approval_decide(actor=people[step.role], request=approval, approve=True, opinion="同意")


def confirm_value(fin: Any, value: str, days_ago: int = 1) -> CompletedValue:
    return payments.completed_value_confirm(
        actor=fin.head, contract=fin.contract, period_end=TODAY - dt.timedelta(days=days_ago), cumulative_value=Decimal(value)
    )


def paid_through(fin: Any, kind: str, gross: str) -> PaymentRequest:
    request = payments.payment_request_submit(actor=fin.pm, request=draft(fin, kind, gross))
    approve_chain(fin, request)
    if request.requires_decision:
        pass_decision(fin, request)
    payments.payment_request_finalize(actor=fin.finance, request=request)
    request.refresh_from_db()
    return request


# ------------------------------------------------------------------------------------------ the three refusals of "Done when"


def test_progress_above_the_contract_ratio_of_confirmed_value_is_refused_and_changes_nothing(fin: Any) -> None:
    """Given the contract pays 80% and the supervisor confirmed 500,000 元, a progress request of 450,000 元
    is refused at submission naming the ratio and both numbers; 400,000 元 passes."""
    confirm_value(fin, "500000")
    request = draft(fin, "progress", "450000")
    err = refused(
        lambda: payments.payment_request_submit(actor=fin.pm, request=request),
        "finance.payment_refused",
        "进度款比例",
        "累计进度款 450,000.00 元",
        "已完工程价款 500,000.00 元",
        "80%即 400,000.00 元",
    )
    assert "“结算前进度款支付比例上限”97%" in err.message
    ok = payments.payment_request_submit(actor=fin.pm, request=draft(fin, "progress", "400000"))
    assert ok.status == PaymentRequest.Status.SUBMITTED and ok.completed_value is not None
    event = AuditEvent.objects.get(action=payments.REFUSED_ACTION)
    assert "进度款比例" in event.reason  # the refused attempt is kept for 纪检监察


def test_a_request_that_would_pass_the_contract_ceiling_is_refused(fin: Any, settled: Any) -> None:
    # setup adapted (issue 11 item 3): a settlement request needs an approved settlement, here of the full
    # contract amount, so the final-payment cap is 审定金额 1,000,000.00 less the 3% deposit
    settled(fin.contract, "1000000")
    request = draft(fin, "settlement", "1000000.01")
    refused(
        lambda: payments.payment_request_submit(actor=fin.pm, request=request),
        "finance.payment_refused",
        "累计付款上限：累计付款 1,000,000.01 元",
        "合同价款加已批准变更 1,000,000.00 元",
        "质量保证金预留",
        "970,000.00 元",
    )


def test_a_request_on_a_red_project_is_refused_naming_the_one_release_path(fin: Any) -> None:
    """Given a red freeze: the refusal names the one path (赶工计划 → 约谈 → 领导解除) with each step's
    state, never 集体决策; a passed collective decision on the request no longer lifts the freeze."""
    request = draft(fin, "advance", "200000")
    PaymentFreeze.objects.create(project=fin.project, cause="red_light", reason="进度滞后32个百分点", frozen_at=timezone.now())
    err = refused(
        lambda: payments.payment_request_submit(actor=fin.pm, request=request),
        "finance.payment_refused",
        "暂停拨款：项目自 ",
        "进度滞后32个百分点",
        "解除暂停拨款后方可办理；解除须依次完成“提交赶工计划 → 约谈责任人 → 分管领导或主要领导解除暂停拨款”："
        "1. 提交赶工计划（未提交）；2. 约谈责任人（尚未发起约谈）；3. 分管领导或主要领导解除暂停拨款（未解除）",
    )
    assert "集体决策" not in err.message
    pass_decision(fin, request)  # a decision on the payment is not a way around the freeze
    refused(lambda: payments.payment_request_submit(actor=fin.pm, request=request), "finance.payment_refused", "暂停拨款")


def test_a_freeze_imposed_after_submission_stops_the_final_approval(fin: Any) -> None:
    request = payments.payment_request_submit(actor=fin.pm, request=draft(fin, "advance", "200000"))
    approve_chain(fin, request)
    PaymentFreeze.objects.create(project=fin.project, cause="major_hazard", reason="脚手架重大隐患", frozen_at=timezone.now())
    refused(lambda: payments.payment_request_finalize(actor=fin.finance, request=request), "finance.payment_refused", "暂停拨款")


# ------------------------------------------------------------------------------------------ the other guards


def test_advance_within_the_contract_ratio_and_before_progress(fin: Any) -> None:
    request = draft(fin, "advance", "200000.01")
    refused(
        lambda: payments.payment_request_submit(actor=fin.pm, request=request),
        "finance.payment_refused",
        "预付款比例：累计预付款 200,000.01 元",
        "20%",
        "200,000.00 元",
    )


def test_progress_offsets_the_advance_as_the_contract_says(fin: Any) -> None:
    paid_through(fin, "advance", "200000")
    confirm_value(fin, "500000")
    request = draft(fin, "progress", "300000")
    assert request.advance_offset == Decimal("60000.00")  # 20% of the gross, per the contract
    assert request.amount == Decimal("240000.00")
    short = draft(fin, "progress", "300000", advance_offset=Decimal("10000"))
    refused(
        lambda: payments.payment_request_submit(actor=fin.pm, request=short),
        "finance.payment_refused",
        "预付款抵扣：本期应扣回预付款 60,000.00 元",
        "申请只扣回 10,000.00 元",
    )
    assert payments.payment_request_submit(actor=fin.pm, request=request).status == PaymentRequest.Status.SUBMITTED


def test_source_balance_is_a_hard_limit(fin: Any) -> None:
    from govworks.finance.services.funds import funding_source_create

    small = funding_source_create(
        actor=fin.finance,
        project=fin.project,
        kind="self",
        name="单位自筹",
        budget_year=TODAY.year,
        indicator_number="自筹-2026-01",
        functional_class="2010350",
        economic_class="31001",
        amount=Decimal("150000"),
    )
    request = draft(fin, "advance", "200000", source=small)
    refused(
        lambda: payments.payment_request_submit(actor=fin.pm, request=request),
        "finance.payment_refused",
        "资金来源余额：本次 200,000.00 元 超过“单位自筹”可用余额 150,000.00 元",
    )


def test_blacklisted_supplier_and_foreign_account_are_refused(fin: Any) -> None:
    other = SupplierBankAccount.objects.create(
        supplier=fin.contract.supplier, bank_name="农业银行", account_name="某某", account_number="6228000000001"
    )
    wrong = draft(fin, "advance", "100000", payee_account=other)
    refused(
        lambda: payments.payment_request_submit(actor=fin.pm, request=wrong), "finance.payment_refused", "收款账户：只能付往合同"
    )
    request = draft(fin, "advance", "100000")
    ListingFactory(supplier=fin.contract.supplier, kind="black", starts_on=TODAY - dt.timedelta(days=1), reason="围标串标")
    refused(lambda: payments.payment_request_submit(actor=fin.pm, request=request), "finance.payment_refused", "收款人限制")


def test_retention_return_waits_for_the_defect_period(fin: Any) -> None:
    request = draft(fin, "retention_return", "30000")
    refused(
        lambda: payments.payment_request_submit(actor=fin.pm, request=request),
        "finance.payment_refused",
        "质量保证金返还须在结算款批准之后",
        "缺陷责任期未满",
    )


def test_guards_are_checked_again_at_final_approval(fin: Any) -> None:
    """Two advances of 120,000 元 each pass alone at submission; the second cannot be finalized."""
    first = payments.payment_request_submit(actor=fin.pm, request=draft(fin, "advance", "120000"))
    second = payments.payment_request_submit(actor=fin.pm, request=draft(fin, "advance", "120000"))
    for r in (first, second):
        approve_chain(fin, r)
    payments.payment_request_finalize(actor=fin.finance, request=first)
    refused(
        lambda: payments.payment_request_finalize(actor=fin.finance, request=second),
        "finance.payment_refused",
        "累计预付款 240,000.00 元",
    )


def test_finalize_waits_for_the_chain_and_the_decision_and_refuses_the_drafter(fin: Any) -> None:
    request = payments.payment_request_submit(actor=fin.pm, request=draft(fin, "advance", "200000"))
    refused(lambda: payments.payment_request_finalize(actor=fin.finance, request=request), "finance.request_waiting", "付款审批")
    approve_chain(fin, request)
    with pytest.raises(PermissionDenied):
        payments.payment_request_finalize(actor=fin.pm, request=request)
    instruction = payments.payment_request_finalize(actor=fin.finance, request=request)
    assert instruction.amount_words == "贰拾万元整"


def test_large_payment_needs_the_large_chain_and_a_collective_decision(fin: Any) -> None:
    confirm_value(fin, "600000")
    request = payments.payment_request_submit(actor=fin.pm, request=draft(fin, "progress", "450000"))
    assert request.requires_decision  # 450,000 ≥ tzyd.large_fund_min_amount 300,000
    approval = ApprovalRequest.objects.get(kind=payments.PAYMENT_KIND, subject_id=request.pk)
    assert approval.steps.count() == 4  # 科室负责人→财务→分管领导→主要领导
    approve_chain(fin, request)
    refused(lambda: payments.payment_request_finalize(actor=fin.finance, request=request), "finance.request_waiting", "集体决策")
    pass_decision(fin, request)
    payments.payment_request_finalize(actor=fin.finance, request=request)


# ------------------------------------------------------------------------------------------ treasury


def _file(*rows: tuple[str, ...]) -> bytes:
    lines = [",".join(treasury.HEADERS)] + [",".join(r) for r in rows]
    return ("\ufeff" + "\n".join(lines)).encode()


def test_instruction_fields_and_the_same_confirmation_twice_leaves_one_payment(fin: Any) -> None:
    request = payments.payment_request_submit(actor=fin.pm, request=draft(fin, "advance", "200000"))
    approve_chain(fin, request)
    instruction = payments.payment_request_finalize(actor=fin.finance, request=request)
    assert instruction.number == f"ZF-LJJG-{TODAY.year}-0001"
    assert instruction.indicator_number == "临财预〔2026〕15号"
    assert instruction.functional_class.startswith("2010350") and instruction.economic_class.startswith("31001")
    assert instruction.payee_account == fin.contract.payee_account.account_number
    assert FundingSource.objects.get(pk=fin.source.pk).committed == Decimal("200000")
    content = _file((instruction.number, "成功", "GK2026110001", TODAY.isoformat(), "200000.00", ""))
    first = treasury.treasury_import(actor=fin.finance, agency=fin.city, file_name="回单.csv", content=content)
    assert first.applied == 1 and not first.repeated
    after_first = state()
    second = treasury.treasury_import(actor=fin.finance, agency=fin.city, file_name="回单.csv", content=content)
    assert second.repeated and second.applied == 0
    assert state() == after_first
    assert TreasuryImport.objects.count() == 1
    # the same confirmation in another file is recognised row by row
    again = treasury.treasury_import(actor=fin.finance, agency=fin.city, file_name="回单2.csv", content=content + b"\n")
    assert again.applied == 0 and "已登记过" in again.lines[0]
    source = FundingSource.objects.get(pk=fin.source.pk)
    assert (source.committed, source.paid) == (Decimal(0), Decimal("200000"))
    assert PaymentRequest.objects.get(pk=request.pk).status == PaymentRequest.Status.PAID
    assert SourceMonth.objects.get().paid == Decimal("200000")
    refused(
        lambda: treasury.instruction_confirm(
            actor=fin.finance, instruction=instruction, paid=True, voucher_number="OTHER-1", paid_on=TODAY
        ),
        "finance.instruction_paid_once",
        "只能支付一次",
    )


def test_a_rejected_payment_releases_its_amount(fin: Any) -> None:
    request = payments.payment_request_submit(actor=fin.pm, request=draft(fin, "advance", "200000"))
    approve_chain(fin, request)
    instruction = payments.payment_request_finalize(actor=fin.finance, request=request)
    content = _file((instruction.number, "退回", "", "", "200000.00", "收款账户户名不符"))
    result = treasury.treasury_import(actor=fin.finance, agency=fin.city, file_name="退回.csv", content=content)
    assert result.applied == 1
    source = FundingSource.objects.get(pk=fin.source.pk)
    assert (source.committed, source.paid) == (Decimal(0), Decimal(0))
    assert PaymentRequest.objects.get(pk=request.pk).status == PaymentRequest.Status.TREASURY_REJECTED
    # the released amount may be requested again
    assert payments.payment_request_submit(actor=fin.pm, request=draft(fin, "advance", "200000")).status == "submitted"


def test_import_rows_with_wrong_amount_or_unknown_number_are_skipped(fin: Any) -> None:
    request = payments.payment_request_submit(actor=fin.pm, request=draft(fin, "advance", "100000"))
    approve_chain(fin, request)
    instruction = payments.payment_request_finalize(actor=fin.finance, request=request)
    content = _file(
        (instruction.number, "成功", "V1", TODAY.isoformat(), "100000.01", ""),
        ("ZF-1999-0001", "成功", "V2", TODAY.isoformat(), "1", ""),
    )
    before = state()
    result = treasury.treasury_import(actor=fin.finance, agency=fin.city, file_name="x.csv", content=content)
    assert result.applied == 0 and "不符" in result.lines[0] and "没有支付指令" in result.lines[1]
    assert state() == before


# ------------------------------------------------------------------------------------------ completed value


def test_completed_value_only_by_the_supervisor_or_owner_and_never_decreasing(fin: Any) -> None:
    with pytest.raises(PermissionDenied):
        payments.completed_value_confirm(
            actor=fin.contractor, contract=fin.contract, period_end=TODAY, cumulative_value=Decimal(1)
        )
    confirm_value(fin, "300000", days_ago=10)
    with pytest.raises(DomainError) as info:
        confirm_value(fin, "200000", days_ago=1)
    assert info.value.code == "finance.value_order"
    with pytest.raises(DomainError) as info:
        confirm_value(fin, "1000000.01", days_ago=1)
    assert "1,000,000.00 元" in info.value.message


def test_supervising_engineer_of_a_contract_holder_confirms(fin: Any) -> None:
    from govworks.org.tests.factories import ExternalOrganizationFactory, UserFactory
    from govworks.procurement.tests.factories import SupplierFactory

    from .conftest import make_contract

    org = ExternalOrganizationFactory(name="浙临工程监理咨询有限公司", kind="supervisor", registered_by=fin.city)
    engineer = UserFactory(username="yangfan", full_name="杨帆", agency=None, external_org=org)
    with pytest.raises(PermissionDenied):
        payments.completed_value_confirm(actor=engineer, contract=fin.contract, period_end=TODAY, cumulative_value=Decimal(1))
    make_contract(
        fin,
        fin.project,
        amount="60000",
        supplier=SupplierFactory(registered_by=fin.city, external_org=org),
        title="监理服务合同",
        is_main_construction=False,
    )
    row = payments.completed_value_confirm(
        actor=engineer, contract=fin.contract, period_end=TODAY, cumulative_value=Decimal("250000")
    )
    assert row.confirmed_as == CompletedValue.ConfirmedAs.SUPERVISOR


# ------------------------------------------------------------------------------------------ concurrency (PostgreSQL)


@pytest.fixture
def fin_tx(transactional_db: Any, request: Any) -> Any:
    return request.getfixturevalue("fin")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_approvals_of_20_percent_never_exceed_the_cap(fin_tx: Any) -> None:
    """Ten progress requests of 200,000 元 (20% of the contract) each pass alone; the confirmed value is the
    whole contract, so the cap is 80% of it: 800,000 元. Ten threads finalize at once: exactly four win."""
    fin = fin_tx
    payments.completed_value_confirm(actor=fin.head, contract=fin.contract, period_end=TODAY, cumulative_value=Decimal("1000000"))
    requests = [payments.payment_request_submit(actor=fin.pm, request=draft(fin, "progress", "200000")) for _ in range(10)]
    for r in requests:
        approve_chain(fin, r)
    barrier = threading.Barrier(10)
    won: list[str] = []
    lost: list[str] = []
    errors: list[BaseException] = []

    def work(r: PaymentRequest) -> None:
        try:
            barrier.wait()
            won.append(payments.payment_request_finalize(actor=fin.finance, request=r).number)
        except DomainError as err:
            lost.append(err.message)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(r,)) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(won) == 4 and len(lost) == 6
    assert all("进度款比例" in m for m in lost)
    approved = PaymentRequest.objects.filter(status=PaymentRequest.Status.APPROVED)
    assert sum(r.amount for r in approved) == Decimal("800000")
    assert FundingSource.objects.get(pk=fin.source.pk).committed == Decimal("800000")
    assert PaymentInstruction.objects.count() == 4


def test_a_request_returned_by_the_chain_may_be_submitted_again(fin: Any) -> None:
    request = payments.payment_request_submit(actor=fin.pm, request=draft(fin, "advance", "100000"))
    approval = ApprovalRequest.objects.get(kind=payments.PAYMENT_KIND, subject_id=request.pk)
    approval_decide(actor=fin.head, request=approval, approve=False, opinion="支撑材料不全")
    assert payments.payment_request_pending(request) == ["审批流程已退回：请修改后重新提交或撤回"]
    again = payments.payment_request_submit(actor=fin.pm, request=request)
    assert again.status == PaymentRequest.Status.SUBMITTED
    assert ApprovalRequest.objects.filter(kind=payments.PAYMENT_KIND, subject_id=request.pk).count() == 2
    approve_chain(fin, again)
    payments.payment_request_finalize(actor=fin.finance, request=again)


def test_the_release_path_walked_through_the_pages_unfreezes_the_payment(client: Any, fin: Any) -> None:
    """Given a request refused because the leader froze payments: 李明 submits the recovery plan, the leader
    holds the interview and releases the freeze — all through the pages — and the request goes through."""
    from django.urls import reverse

    from govworks.construction.models import Interview
    from govworks.construction.selectors.freezes import active_payment_freeze

    request = draft(fin, "advance", "200000")
    client.force_login(fin.leader)
    response = client.post(reverse("construction:freeze_manual", args=[fin.project.pk]), {"reason": "审计发现计量不实"})
    assert response.status_code == 302
    freeze = active_payment_freeze(fin.project.pk)
    assert freeze is not None
    refused(lambda: payments.payment_request_submit(actor=fin.pm, request=request), "finance.payment_refused", "暂停拨款")

    client.force_login(fin.pm)
    response = client.post(
        reverse("construction:recovery_submit", args=[fin.project.pk]),
        {"measures": "核减不实计量，重新编制计量报审资料", "target_on": (TODAY + dt.timedelta(days=10)).isoformat()},
    )
    assert response.status_code == 302
    client.force_login(fin.leader)
    release = reverse("construction:freeze_release", args=[freeze.pk])
    response = client.post(release, {"reason": "同意恢复拨款"})
    assert response.status_code == 400 and "尚未约谈责任人" in response.content.decode()
    assert active_payment_freeze(fin.project.pk) is not None
    interview = Interview.objects.get(freeze=freeze)
    response = client.post(
        reverse("construction:interview_hold", args=[interview.pk]),
        {"held_on": TODAY.isoformat(), "interviewees": "施工单位项目经理", "minutes": "要求核减不实计量并完善计量审核程序。"},
    )
    assert response.status_code == 302
    assert client.post(release, {"reason": "计量已核减，同意恢复拨款"}).status_code == 302
    assert active_payment_freeze(fin.project.pk) is None
    assert payments.payment_request_submit(actor=fin.pm, request=request).status == PaymentRequest.Status.SUBMITTED


def test_import_file_that_is_not_what_its_name_says_is_refused_and_changes_nothing(fin: Any) -> None:
    # given a web page saved as 回单.csv and a program saved as 回单.xlsx (issue 12 item 8)
    before = state()
    for name, content, message in (
        (
            "回单.csv",
            b"<!DOCTYPE html><html><script>alert(1)</script></html>",
            "文件内容为 HTML，不是 CSV 文本，请上传真实的文件",
        ),
        ("回单.xlsx", b"MZ\x90\x00", "文件内容为 可执行程序，不是 Excel 表格（.xlsx），请上传真实的文件"),
    ):
        # when the finance officer imports it, then it is refused naming the content
        with pytest.raises(DomainError) as err:
            treasury.treasury_import(actor=fin.finance, agency=fin.city, file_name=name, content=content)
        assert (err.value.code, err.value.message) == ("file.content", message)
    assert state() == before


# ------------------------------------------------------------------------------------------ numbers per agency


def _second_agency_world(fin: Any) -> Any:
    """The unrelated agency ``other`` (LNJG) with its own 工程管理岗, leaders and finance, a project in 合同
    stage, a signed contract and a funding source: everything a first payment instruction of the year needs."""
    from types import SimpleNamespace

    from govworks.finance.services.funds import funding_source_create
    from govworks.finance.tests.conftest import NOTE, make_contract
    from govworks.org.tests.factories import DepartmentFactory, RoleGrantFactory, UserFactory
    from govworks.projects.models import Stage
    from govworks.projects.services.projects import project_create_outside_plan, project_import_at_stage

    other = fin.other
    department = DepartmentFactory(agency=other, name="基建科", is_construction=True)

    def person(username: str, role: str) -> Any:
        user = UserFactory(username=username, full_name=username, agency=other, department=department)
        RoleGrantFactory(user=user, agency=other, role=role)
        return user

    world = SimpleNamespace(
        city=other,
        pm=fin.other_pm,
        head=person("ln_head", "department_head"),
        leader=person("ln_leader", "leader_in_charge"),
        principal=person("ln_principal", "principal_leader"),
        finance=person("ln_finance", "finance"),
        finance2=person("ln_finance2", "finance"),
    )
    fin.other_pm.department = department
    fin.other_pm.save(update_fields=["department"])
    project = project_create_outside_plan(
        actor=world.pm,
        agency=other,
        manager=world.pm,
        department=department,
        reason="十一月巡查发现安全隐患，须尽快处置。",
        name="邻市办公楼修缮",
        project_type="repair",
        location="邻市机关大院",
        estimate_amount=Decimal("5000000"),
        funding_source="fiscal",
        planned_start=TODAY,
        planned_end=TODAY + dt.timedelta(days=90),
    )
    world.project = project_import_at_stage(actor=world.pm, project=project, stage=Stage.CONTRACT, note=NOTE)
    world.contract = make_contract(world, world.project)
    world.source = funding_source_create(
        actor=world.finance,
        project=world.project,
        kind="fiscal",
        name="2026年邻市办公用房维修资金",
        budget_year=TODAY.year,
        indicator_number="邻财预〔2026〕3号",
        functional_class="2010350 事业运行",
        economic_class="31001 房屋建筑物购建",
        amount=Decimal("2000000"),
    )
    return world


def test_two_agencies_first_payment_instructions_of_the_year_get_distinct_numbers(fin: Any) -> None:
    """Given two unrelated agencies (LJJG, LNJG) each with a signed contract, when each finalizes its first payment
    request of the year, then both instructions exist with their own agency code in the number, no collision."""
    second = _second_agency_world(fin)
    numbers = []
    for world in (fin, second):
        request = payments.payment_request_submit(actor=world.pm, request=draft(world, "advance", "200000"))
        approve_chain(world, request)
        instruction = payments.payment_request_finalize(actor=world.finance, request=request)
        numbers.append((request.number, instruction.number))
    year = TODAY.year
    assert numbers == [
        (f"FK-LJJG-{year}-0001", f"ZF-LJJG-{year}-0001"),
        (f"FK-LNJG-{year}-0001", f"ZF-LNJG-{year}-0001"),
    ]
    assert PaymentInstruction.objects.count() == 2
    assert (fin.contract.number, second.contract.number) == (f"HT-LJJG-{year}-0001", f"HT-LNJG-{year}-0001")


def test_migration_gives_existing_payment_numbers_their_agency_code(fin: Any) -> None:
    """Given a payment request and instruction numbered in the old format, when the data migration runs,
    then they carry the paying agency's code (FK-LJJG-…, ZF-LJJG-…), and a second run changes nothing."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("govworks.finance.migrations.0006_document_numbers_agency_code")
    request = payments.payment_request_submit(actor=fin.pm, request=draft(fin, "advance", "200000"))
    approve_chain(fin, request)
    instruction = payments.payment_request_finalize(actor=fin.finance, request=request)
    PaymentRequest.objects.filter(pk=request.pk).update(number="FK-2026-0007")
    PaymentInstruction.objects.filter(pk=instruction.pk).update(number="ZF-2026-0007")
    migration.forwards(apps, None)
    migration.forwards(apps, None)
    assert PaymentRequest.objects.get(pk=request.pk).number == "FK-LJJG-2026-0007"
    assert PaymentInstruction.objects.get(pk=instruction.pk).number == "ZF-LJJG-2026-0007"
