"""Services of the completion acceptance: each success, each refusal with nothing changed, the gate, the facts
and the completion date."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from govworks.closeout.models import Acceptance, AcceptanceParty, DefectPeriod
from govworks.closeout.services import acceptance as s
from govworks.closeout.tests import acceptance_fixtures as fx
from govworks.closeout.tests.acceptance_fixtures import all_agree, days, organised, passed, pdf
from govworks.construction.models import RectificationNotice
from govworks.construction.services.inspections import notice_reply, notice_verify
from govworks.core.audit import AuditEvent
from govworks.core.errors import DomainError

pytestmark = pytest.mark.django_db
acc, cw, lifecycle, make_project = fx.acc, fx.cw, fx.lifecycle, fx.make_project  # the fixtures


def snapshot() -> Any:
    return (
        list(Acceptance.objects.values()),
        list(AcceptanceParty.objects.values()),
        list(RectificationNotice.objects.values_list("id", "status")),
        AuditEvent.objects.count(),
    )


def refused(call: Any, code: str | None = None, text: str = "") -> DomainError | PermissionDenied:
    before = snapshot()
    with pytest.raises((DomainError, PermissionDenied)) as err:
        call()
    if code is not None:
        assert isinstance(err.value, DomainError) and err.value.code == code, err.value
    if text:
        assert text in str(getattr(err.value, "message", err.value))
    assert snapshot() == before
    return err.value


def test_the_contractor_declares_and_the_five_parties_come_from_the_contracts(acc: Any) -> None:
    a = s.acceptance_declare(actor=acc.contractor, project=acc.project, note="工程已按合同全部完成，自检合格")
    parties = {p.role: p for p in a.parties.all()}
    assert a.status == "declared" and not a.declared_on_behalf and a.round == 1
    assert parties["owner"].name == acc.city.name
    assert parties["contractor"].contract == acc.main and parties["contractor"].external_org == acc.contractor_org
    assert parties["supervisor"].contract == acc.supervision
    assert parties["survey"].name == "" and parties["design"].name == ""
    assert AuditEvent.objects.filter(action="closeout.acceptance.declare").count() == 1


def test_declaration_refusals_change_nothing(acc: Any) -> None:
    refused(lambda: s.acceptance_declare(actor=acc.stranger, project=acc.project, note="工程完工了"))
    refused(lambda: s.acceptance_declare(actor=acc.leader, project=acc.project, note="工程完工了"))
    refused(lambda: s.acceptance_declare(actor=acc.contractor, project=acc.project, note="完"), "closeout.declare_note")
    s.acceptance_declare(actor=acc.pm, project=acc.project, note="代施工单位登记竣工报告")
    refused(lambda: s.acceptance_declare(actor=acc.contractor, project=acc.project, note="再次申报竣工"), "closeout.declare_open")


def test_organise_names_missing_parties_and_needs_the_acceptance_stage(acc: Any) -> None:
    a = s.acceptance_declare(actor=acc.contractor, project=acc.project, note="工程已按合同全部完成，自检合格")
    refused(
        lambda: s.acceptance_organise(actor=acc.pm, acceptance=a, scheduled_on=days(0), location="会议室"),
        "closeout.organise_party",
        "勘察单位、设计单位",
    )
    refused(
        lambda: s.acceptance_organise(
            actor=acc.contractor,
            acceptance=a,
            scheduled_on=days(0),
            location="会议室",
            party_names={"survey": "甲", "design": "乙"},
        )
    )
    a = s.acceptance_organise(
        actor=acc.pm,
        acceptance=a,
        scheduled_on=days(1),
        location="会议室",
        party_names={"survey": "临江勘察院", "design": "临江设计院"},
    )
    assert a.status == "organised"
    assert {p.role: p.name for p in a.parties.all()}["design"] == "临江设计院"


def test_opinions_are_signed_by_each_party_or_entered_by_the_pm(acc: Any) -> None:
    a = organised(acc)
    parties = {p.role: p for p in a.parties.all()}
    refused(lambda: s.acceptance_opinion_record(actor=acc.contractor, party=parties["supervisor"], opinion="agree"))
    refused(lambda: s.acceptance_opinion_record(actor=acc.stranger, party=parties["contractor"], opinion="agree"))
    refused(
        lambda: s.acceptance_opinion_record(actor=acc.supervisor, party=parties["supervisor"], opinion="disagree", text=""),
        "closeout.opinion_reason",
    )
    p = s.acceptance_opinion_record(actor=acc.supervisor, party=parties["supervisor"], opinion="agree", text="质量评估合格")
    assert p.opinion == "agree" and p.recorded_by == acc.supervisor
    p = s.acceptance_opinion_record(actor=acc.pm, party=parties["design"], opinion="agree", representative="王工")
    assert p.representative == "王工"


def test_a_problem_blocks_the_conclusion_until_verified_through_the_construction_loop(acc: Any) -> None:
    a = organised(acc)
    problem = s.acceptance_problem_raise(
        actor=acc.pm, acceptance=a, finding="屋面女儿墙泛水收口开裂", deadline=days(7), raised_by_role="supervisor"
    )
    notice = problem.notice
    assert notice.source == "acceptance" and notice.responsible_org == acc.contractor_org
    all_agree(acc, a)
    refused(
        lambda: s.acceptance_conclude(actor=acc.pm, acceptance=a, passed=True, note="同意验收合格"),
        "closeout.conclude_refused",
        "尚有1项未销项",
    )
    notice = notice_reply(actor=acc.contractor, notice=notice, text="已重新做泛水收口并闭水试验")
    notice_verify(actor=acc.supervisor, notice=notice, passed=True, opinion="复查合格")
    a = s.acceptance_conclude(actor=acc.pm, acceptance=a, passed=True, note="工程质量符合要求，同意验收")
    assert a.status == "passed" and a.report is not None and a.report.document.doc_type.code == "acceptance_report"
    assert a.report.file.read(4) == b"%PDF"
    assert a.filing_due_on == days(15)


def test_conclusion_refusals_pending_opinion_disagreement_archive(acc: Any) -> None:
    a = organised(acc, archive=True)
    refused(
        lambda: s.acceptance_conclude(actor=acc.pm, acceptance=a, passed=False, note="不合格理由"),
        "closeout.conclude_refused",
        "尚缺",
    )
    all_agree(acc, a)
    refused(
        lambda: s.acceptance_conclude(actor=acc.pm, acceptance=a, passed=True, note="同意验收合格"),
        "closeout.conclude_refused",
        "城建档案预验收",
    )
    s.acceptance_archive_pre_record(actor=acc.pm, acceptance=a, on=days(0), reference="临档预〔2026〕3号")
    supervisor = a.parties.get(role="supervisor")
    s.acceptance_opinion_record(actor=acc.supervisor, party=supervisor, opinion="disagree", text="资料不全，不同意")
    refused(
        lambda: s.acceptance_conclude(actor=acc.pm, acceptance=a, passed=True, note="同意验收合格"), text="监理单位不同意验收"
    )
    refused(lambda: s.acceptance_conclude(actor=acc.contractor, acceptance=a, passed=True, note="同意验收合格"))
    failed = s.acceptance_conclude(actor=acc.pm, acceptance=a, passed=False, note="资料不全，限期补齐后重新验收")
    assert failed.status == "failed" and not DefectPeriod.objects.exists()
    again = s.acceptance_declare(actor=acc.contractor, project=acc.project, note="资料已补齐，再次申报竣工")
    assert again.round == 2


def test_pass_starts_the_defect_period_and_finance_reads_it(acc: Any) -> None:
    from govworks.finance.services.payments import defect_period_ends

    acc.main.refresh_from_db()
    assert defect_period_ends(acc.main) is None  # acceptance recorded here, not passed yet: the period has not started
    a = passed(acc)
    period = DefectPeriod.objects.get(contract=acc.main)
    assert period.starts_on == a.concluded_on and period.months == 12
    assert defect_period_ends(acc.main) == period.ends_on


def test_filing_within_the_rule_and_the_gate(acc: Any) -> None:
    from govworks.projects.services.projects import gate_conditions, project_advance

    def unmet() -> set[str]:
        return {c.code for c in gate_conditions(acc.project) if not c.ok}

    assert {"acceptance.passed", "acceptance.problems_closed", "acceptance.filed"} <= unmet()
    a = passed(acc)
    refused(
        lambda: s.acceptance_filing_record(
            actor=acc.pm, acceptance=a, filed_on=days(1), number="BA-1", authority="临江市住建局", file=pdf()
        ),
        "closeout.filing_date",
    )
    refused(
        lambda: s.acceptance_filing_record(
            actor=acc.pm, acceptance=a, filed_on=days(0), number="", authority="临江市住建局", file=pdf()
        ),
        "closeout.filing_number",
    )
    assert unmet() == {"acceptance.filed", "doc:acceptance_filing"}
    s.acceptance_filing_record(
        actor=acc.pm, acceptance=a, filed_on=days(0), number="临建竣备〔2026〕12号", authority="临江市住建局", file=pdf("ba")
    )
    assert unmet() == set()
    project = project_advance(actor=acc.pm, project=acc.project)
    assert project.stage == "settlement"


def test_facts_and_completion_date(acc: Any) -> None:
    from govworks.closeout.selectors.facts import project_fact
    from govworks.closeout.selectors.milestones import completion_date

    assert project_fact("acceptance.passed_on", acc.project) is None
    assert completion_date(acc.project) is None
    a = passed(acc)
    assert project_fact("acceptance.passed_on", acc.project) == a.concluded_on
    assert project_fact("acceptance.quality_ok", acc.project) is True
    assert completion_date(acc.project) == a.concluded_on
