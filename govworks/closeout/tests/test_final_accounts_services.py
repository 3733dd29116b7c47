"""Final accounts services: building the final cost from the records, other costs with evidence, the 报送资料
checklist, the deadline and its extensions, surplus returns, submission and approval through the chain (职责分离),
the report filed, the facts, the 竣工决算 gate and the lock on the responsible people (财建〔2016〕503号第三条).
Every refusal is checked to have changed nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from govworks.closeout.models import FinalAccounts, FinalAccountsExtension, FinalCostLine, SurplusReturn
from govworks.closeout.registrations_final import _fa_gate
from govworks.closeout.selectors import final_accounts as selectors
from govworks.closeout.selectors.facts import project_fact
from govworks.closeout.services import final_accounts as services
from govworks.closeout.tests import final_fixtures as ff
from govworks.closeout.tests.final_fixtures import approve_chain, approved_final_accounts, complete_documents, move_to, pdf
from govworks.core.errors import DomainError
from govworks.projects.models import ApprovalRequest, Project, ProjectDocument, ProjectResponsibility, Stage, StageTransition

pytestmark = pytest.mark.django_db
# the shared fixtures, bound here so pytest finds them
lifecycle, make_project, fw, fin, settled, fa_world = ff.lifecycle, ff.make_project, ff.fw, ff.fin, ff.settled, ff.fa_world
D = Decimal


def snapshot(project: Any) -> Any:
    return (
        list(FinalAccounts.objects.filter(project=project).values()),
        list(FinalCostLine.objects.filter(final_accounts__project=project).values_list("id", "amount")),
        list(SurplusReturn.objects.values_list("id", "amount")),
        list(FinalAccountsExtension.objects.values_list("id", "status", "months")),
        ApprovalRequest.objects.filter(kind=selectors.APPROVAL_KIND).count(),
    )


def refused(call: Any, project: Any, *fragments: str, exc: type[Exception] = DomainError) -> str:
    before = snapshot(project)
    with pytest.raises(exc) as err:
        call()
    assert snapshot(project) == before
    message = str(err.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_start_builds_contract_lines_from_settlement_or_payments(fa_world: Any) -> None:
    w = fa_world
    fa = services.final_accounts_start(actor=w.finance, project=w.project)
    [line] = FinalCostLine.objects.filter(final_accounts=fa)
    assert (line.kind, line.contract_id, line.amount) == ("contract", w.contract.pk, D("950000"))
    assert line.basis.startswith("结算审定金额")
    # a settlement not (yet) approved: the line falls back to what was paid on the contract (nothing here)
    w.settled(w.contract, "0")
    services.final_accounts_refresh(actor=w.finance, fa=fa)
    assert FinalCostLine.objects.get(final_accounts=fa).amount == 0


def test_start_refusals_change_nothing(fa_world: Any) -> None:
    w = fa_world
    refused(
        lambda: services.final_accounts_start(actor=w.pm, project=w.project), w.project, "编制竣工财务决算", exc=PermissionDenied
    )
    Project.objects.filter(pk=w.project.pk).update(stage=Stage.SETTLEMENT)
    w.project.refresh_from_db()
    refused(lambda: services.final_accounts_start(actor=w.finance, project=w.project), w.project, "竣工决算阶段方可编制决算")
    Project.objects.filter(pk=w.project.pk).update(stage=Stage.FINAL_ACCOUNTS)
    services.final_accounts_start(actor=w.finance, project=w.project)
    refused(lambda: services.final_accounts_start(actor=w.finance, project=w.project), w.project, "已有竣工财务决算")


def test_other_costs_need_evidence_and_a_positive_amount(fa_world: Any) -> None:
    w = fa_world
    fa = services.final_accounts_start(actor=w.finance, project=w.project)
    kw = {"actor": w.finance, "fa": fa, "category": "supervision", "label": "监理费", "basis": "发票001"}
    refused(lambda: services.other_cost_add(**kw, amount=D("100"), evidence=None), w.project, "须附凭证")
    refused(lambda: services.other_cost_add(**kw, amount=D("0"), evidence=pdf()), w.project, "须大于0", "0.00 元")
    line = services.other_cost_add(**kw, amount=D("50000"), evidence=pdf("invoice"))
    assert line.kind == "other" and line.evidence.name
    sheet = selectors.sheet_of(w.project)
    assert (sheet.contract_cost, sheet.other_cost, sheet.final_cost) == (D("950000"), D("50000"), D("1000000"))
    assert sheet.execution_rate == D("1000000") / D("1200000")
    assert sheet.over_estimate == 0


def test_submit_refused_until_the_checklist_is_complete(fa_world: Any) -> None:
    w = fa_world
    fa = services.final_accounts_start(actor=w.finance, project=w.project)
    refused(
        lambda: services.final_accounts_submit(actor=w.finance, fa=fa),
        w.project,
        "报送资料未齐",
        "项目立项批复文件",
        "其他有关资料",
    )
    refused(lambda: services.document_record(actor=w.finance, fa=fa, code="initiation"), w.project, "请上传文件，或说明缺失原因")
    complete_documents(w, fa)
    request = services.final_accounts_submit(actor=w.finance, fa=fa)
    fa.refresh_from_db()
    assert fa.final_cost == D("950000") and fa.estimate == D("1200000") and fa.received == D("1100000")
    assert request.status == "pending" and request.chain_name == "竣工决算审批流" and request.drafted_by_id == w.finance.pk
    # frozen: no more changes while in approval
    refused(
        lambda: services.other_cost_add(
            actor=w.finance, fa=fa, category="other", label="x", amount=D("1"), basis="b", evidence=pdf()
        ),
        w.project,
        "审批中",
        "不能再修改",
    )


def test_over_estimate_is_flagged_in_the_approval(fa_world: Any) -> None:
    w = fa_world
    fa = services.final_accounts_start(actor=w.finance, project=w.project)
    services.other_cost_add(
        actor=w.finance, fa=fa, category="other", label="室外工程", amount=D("250000.01"), basis="合同SW-1", evidence=pdf()
    )
    complete_documents(w, fa)
    request = services.final_accounts_submit(actor=w.finance, fa=fa)
    assert "超概算 0.01 元" in request.title


def test_separation_of_duties_and_return_reopens(fa_world: Any) -> None:
    from govworks.org.tests.factories import RoleGrantFactory
    from govworks.projects.services.approvals import SeparationOfDutiesError, approval_decide

    w = fa_world
    RoleGrantFactory(user=w.finance, agency=w.city, role="internal_audit")  # the drafter also holds the first step's role
    fa = services.final_accounts_start(actor=w.finance, project=w.project)
    complete_documents(w, fa)
    request = services.final_accounts_submit(actor=w.finance, fa=fa)
    with pytest.raises(SeparationOfDutiesError):
        approval_decide(actor=w.finance, request=request, approve=True, opinion="同意")
    approval_decide(actor=w.auditor, request=request, approve=False, opinion="其他费用缺监理费")
    assert selectors.sheet_of(w.project).state == "returned"
    services.other_cost_add(
        actor=w.finance, fa=fa, category="supervision", label="监理费", amount=D("1"), basis="b", evidence=pdf()
    )
    request = services.final_accounts_submit(actor=w.finance, fa=fa)
    approve_chain(w, request)
    assert selectors.sheet_of(w.project).state == "approved"
    assert project_fact("final_accounts.final_cost", w.project) == D("950001")


def test_deadline_is_three_months_from_completion_plus_extensions(fa_world: Any) -> None:
    w = fa_world
    StageTransition.objects.filter(project=w.project, to_stage="settlement").update(
        at=timezone.make_aware(dt.datetime(2026, 1, 31, 10, 0))
    )
    fa = services.final_accounts_start(actor=w.finance, project=w.project)
    assert selectors.deadline_of(w.project, fa).due == dt.date(2026, 4, 30)
    refused(
        lambda: services.extension_request(actor=w.finance, fa=fa, months=3, reason="审计延期"),
        w.project,
        "决算延长上限（中小型项目）2个月",
        "合计 3 个月",
    )
    ext = services.extension_request(actor=w.finance, fa=fa, months=2, reason="审计延期")
    refused(
        lambda: services.extension_request(actor=w.finance, fa=fa, months=1, reason="再延"), w.project, "已有待审批的延期申请"
    )
    refused(
        lambda: services.extension_decide(actor=w.finance, extension=ext, grant=True, opinion=""),
        w.project,
        "审批决算延期申请",
        exc=PermissionDenied,
    )
    services.extension_decide(actor=w.leader, extension=ext, grant=True, opinion="同意")
    fa.refresh_from_db()
    assert fa.extension_months == 2
    assert selectors.deadline_of(w.project, fa).due == dt.date(2026, 6, 30)
    refused(
        lambda: services.extension_request(actor=w.finance, fa=fa, months=1, reason="再延"),
        w.project,
        "已批准延期 2 个月",
        "合计 3 个月",
    )


def test_large_project_may_extend_six_months_boundary_included(fa_world: Any) -> None:
    w = fa_world
    Project.objects.filter(pk=w.project.pk).update(approved_estimate=D("50000000.00"))
    w.project.refresh_from_db()
    fa = services.final_accounts_start(actor=w.finance, project=w.project)
    ext = services.extension_request(actor=w.finance, fa=fa, months=6, reason="大型项目审计")
    services.extension_decide(actor=w.principal, extension=ext, grant=True, opinion="")
    Project.objects.filter(pk=w.project.pk).update(approved_estimate=D("49999999.99"))
    fa.refresh_from_db()
    refused(lambda: services.extension_request(actor=w.finance, fa=fa, months=1, reason="再延"), w.project, "中小型项目）2个月")


def test_extension_refusal_needs_a_reason_and_not_the_requester(fa_world: Any) -> None:
    w = fa_world
    from govworks.org import permissions as org_perms
    from govworks.org.tests.factories import RoleGrantFactory

    RoleGrantFactory(user=w.finance, agency=w.city, role="leader_in_charge")
    org_perms.forget_cached_scope(w.finance)
    fa = services.final_accounts_start(actor=w.finance, project=w.project)
    ext = services.extension_request(actor=w.finance, fa=fa, months=1, reason="x")
    refused(lambda: services.extension_decide(actor=w.finance, extension=ext, grant=True, opinion=""), w.project, "职责分离")
    refused(
        lambda: services.extension_decide(actor=w.leader, extension=ext, grant=False, opinion=""), w.project, "不批准须填写理由"
    )
    services.extension_decide(actor=w.leader, extension=ext, grant=False, opinion="理由不充分")
    fa.refresh_from_db()
    assert fa.extension_months == 0


def test_surplus_returns_up_to_the_surplus_exactly(fa_world: Any) -> None:
    w = fa_world
    fa = approved_final_accounts(w)  # final cost 1,000,000; received 1,100,000 → surplus 100,000
    kw = {"actor": w.finance, "fa": fa, "source": w.source, "returned_on": dt.date.today(), "document_number": "缴库-1"}
    refused(
        lambda: services.surplus_return_record(**kw, amount=D("100000.01")),
        w.project,
        "结余 100,000.00 元",
        "超出 0.01 元",
    )
    gate = {c.code: c for c in _fa_gate(w.project)}
    assert not gate["closeout:fa_surplus"].ok
    services.surplus_return_record(**kw, amount=D("100000"))
    gate = {c.code: c for c in _fa_gate(w.project)}
    assert gate["closeout:fa_surplus"].ok and gate["closeout:fa_approved"].ok and not gate["closeout:fa_report"].ok


def test_report_filed_as_stage_documents_and_gate_passes(fa_world: Any) -> None:
    from govworks.projects.services.projects import gate_conditions

    w = fa_world
    fa = approved_final_accounts(w)
    services.surplus_return_record(
        actor=w.finance, fa=fa, source=w.source, amount=D("100000"), returned_on=dt.date.today(), document_number="缴库-1"
    )
    services.final_accounts_report_file(actor=w.finance, fa=fa)
    docs = set(ProjectDocument.objects.filter(project=w.project, latest_number__gt=0).values_list("doc_type__code", flat=True))
    assert {"final_accounts_report", "final_accounts_approval"} <= docs
    unmet = [c for c in gate_conditions(w.project) if not c.ok]
    assert unmet == []
    assert project_fact("final_accounts.approved_on", w.project) == timezone.localdate()
    assert project_fact("final_accounts.final_cost", w.project) == D("1000000")


def test_report_refused_before_approval(fa_world: Any) -> None:
    w = fa_world
    fa = services.final_accounts_start(actor=w.finance, project=w.project)
    refused(lambda: services.final_accounts_report_file(actor=w.finance, fa=fa), w.project, "审批通过后方可归档")
    assert project_fact("final_accounts.final_cost", w.project) is None


def test_responsible_people_locked_until_approved(fa_world: Any) -> None:
    from govworks.projects.services.projects import responsibility_assign

    w = fa_world
    row = ProjectResponsibility.objects.get(project=w.project, stage=Stage.FINAL_ACCOUNTS)
    holder = row.responsible
    other = w.finance2 if holder.pk != w.finance2.pk else w.finance
    before = list(ProjectResponsibility.objects.filter(project=w.project).values_list("stage", "responsible_id"))
    with pytest.raises(DomainError) as err:
        responsibility_assign(actor=w.head, project=w.project, stage=Stage.FINAL_ACCOUNTS, responsible=other, department=None)
    assert "财建〔2016〕503号第三条" in err.value.message and holder.display_name in err.value.message
    assert err.value.field == "responsible"
    assert list(ProjectResponsibility.objects.filter(project=w.project).values_list("stage", "responsible_id")) == before
    # keeping the same person (changing the department only) is not a removal
    responsibility_assign(
        actor=w.head, project=w.project, stage=Stage.FINAL_ACCOUNTS, responsible=holder, department=w.construction
    )
    approved_final_accounts(w)
    responsibility_assign(actor=w.head, project=w.project, stage=Stage.FINAL_ACCOUNTS, responsible=other, department=None)
    assert ProjectResponsibility.objects.get(pk=row.pk).responsible_id == other.pk


def test_no_lock_before_completion(fa_world: Any, make_project: Any) -> None:
    from govworks.closeout.registrations_final import final_accounts_lock

    w = fa_world
    fresh = make_project("300000", name="未竣工项目")
    assert final_accounts_lock(fresh, w.pm) is None
    assert final_accounts_lock(w.project, w.pm) is not None
    move_to(fresh, Stage.SETTLEMENT, actor=w.pm)
    assert final_accounts_lock(fresh, w.pm) is not None


def test_workbench_names_the_due_date_and_overdue(fa_world: Any) -> None:
    from govworks.closeout.registrations_final import _extension_items, _fa_items

    w = fa_world
    responsible = ProjectResponsibility.objects.get(project=w.project, stage=Stage.FINAL_ACCOUNTS).responsible
    StageTransition.objects.filter(project=w.project, to_stage="settlement").update(
        at=timezone.make_aware(dt.datetime(2026, 1, 31, 10, 0))
    )
    [item] = _fa_items(responsible)
    assert item.due == dt.date(2026, 4, 30) and item.kind == "竣工决算"
    assert ("已逾期" in item.title) == (dt.date.today() > dt.date(2026, 4, 30))
    fa = services.final_accounts_start(actor=w.finance, project=w.project)
    services.extension_request(actor=w.finance, fa=fa, months=2, reason="审计未完")
    assert [i.kind for i in _extension_items(w.leader)] == ["竣工决算"]
    assert _extension_items(w.finance) == [] and _fa_items(w.other_pm) == []
