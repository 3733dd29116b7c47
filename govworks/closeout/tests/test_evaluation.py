# ruff: noqa: F811
"""Services of the performance evaluation: start from the template with the measured indicators filled from
finance, construction and the close-out facts; hand scores with evidence; submit; the review with 职责分离;
the report filed as the stage's document; template edits refused with the rule and the numbers. Every refusal
changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from govworks.closeout.models import Evaluation, EvaluationIndicator, EvaluationTemplate, TemplateIndicator
from govworks.closeout.selectors import evaluation as selectors
from govworks.closeout.selectors.facts import project_fact
from govworks.closeout.services import evaluation as services
from govworks.closeout.tests.conftest_evaluation import ev, facts, fill_all, lifecycle, make_project, pdf  # noqa: F401
from govworks.core.audit import AuditEvent
from govworks.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _state() -> Any:
    return (
        list(Evaluation.objects.values_list("id", "status", "score", "grade", "submitted_by_id", "reviewed_by_id", "report_id")),
        list(EvaluationIndicator.objects.values_list("id", "score", "comment", "filled_by_id", "value")),
        list(EvaluationTemplate.objects.values_list("id", "weight_decision", "weight_process", "weight_output", "weight_effect")),
        list(TemplateIndicator.objects.values_list("id", "points")),
        AuditEvent.objects.exclude(action="projects.approval.sod_refused").count(),
    )


def _by_name(evaluation: Evaluation) -> dict[str, EvaluationIndicator]:
    return {r.name: r for r in EvaluationIndicator.objects.filter(evaluation=evaluation)}


def test_measured_indicators_come_from_funds_incidents_and_facts(ev: Any, facts: Any) -> None:
    from govworks.construction.models import SafetyIncident
    from govworks.projects.models import Project

    # given: funds 2,000,000 with 1,800,000 received, nothing paid; an incident; the facts of the other areas
    SafetyIncident.objects.create(
        project=ev.project,
        occurred_on=dt.date.today(),
        severity="minor",
        description="划伤",
        cause="未戴手套",
        measures="教育",
        reported_by=ev.pm,
    )
    facts(
        ev.project,
        final_accounts__final_cost=Decimal("1900000"),
        acceptance__quality_ok=True,
        settlement__reduction_rate=Decimal("0.08"),
        settlement__submitted_total=Decimal("1000000"),
        settlement__approved_total=Decimal("920000"),
    )
    # and: the acceptance passed 30 days after the planned end (the date the project left 竣工验收 counts)
    Project.objects.filter(pk=ev.project.pk).update(
        planned_start=dt.date.today() - dt.timedelta(days=200), planned_end=dt.date.today() - dt.timedelta(days=30)
    )
    project = Project.objects.get(pk=ev.project.pk)

    # when
    e = services.evaluation_start(actor=ev.pm, project=project)

    # then: each measured indicator has its value, source with the numbers, and its linear score
    rows = _by_name(e)
    assert rows["资金到位率"].value == Decimal("0.9") and rows["资金到位率"].score == Decimal("4.50")
    assert "1,800,000.00 元 ÷ 预算指标 2,000,000.00 元 = 90%" in rows["资金到位率"].source_text
    assert rows["预算执行率"].value == Decimal(0) and rows["预算执行率"].score == Decimal("0.00")
    assert rows["完成及时性"].value == Decimal(30) and rows["完成及时性"].score == Decimal("4.00")  # 6 × (1 − 30/90)
    assert "延期 30 天" in rows["完成及时性"].source_text
    assert rows["成本节约率"].value == Decimal("0.05") and rows["成本节约率"].score == Decimal("6.00")
    assert "决算总投资 1,900,000.00 元" in rows["成本节约率"].source_text
    assert rows["质量达标率"].value == Decimal(1) and rows["质量达标率"].score == Decimal("6.00")
    assert rows["结算审减率"].score == Decimal("2.10")  # 3 × (0.15 − 0.08) / 0.10
    assert "（送审 1,000,000.00 元 − 审定 920,000.00 元）÷ 送审 = 8%" in rows["结算审减率"].source_text
    assert rows["安全生产"].value == Decimal(1) and rows["安全生产"].score == Decimal("1.50")
    assert "轻微 1 起" in rows["安全生产"].source_text
    assert all(r.score is None for r in rows.values() if not r.auto_key)
    assert AuditEvent.objects.filter(action="closeout.evaluation.start").count() == 1


def test_unknown_facts_leave_the_indicator_to_be_scored_by_hand(ev: Any) -> None:
    e = services.evaluation_start(actor=ev.pm, project=ev.project)
    rows = _by_name(e)
    for name in ("成本节约率", "质量达标率", "结算审减率"):
        assert rows[name].value is None and rows[name].score is None
        assert "请手工填写" in rows[name].source_text
    # the project left 竣工验收 offline (历史项目录入 from 计划): the date it reached a later stage stands in
    assert rows["完成及时性"].value is not None
    # and a hand score is then accepted on it
    services.evaluation_indicator_fill(
        actor=ev.pm, indicator=rows["质量达标率"], score="5", comment="验收记录线下", evidence=pdf()
    )
    assert EvaluationIndicator.objects.get(pk=rows["质量达标率"].pk).score == Decimal(5)


def test_hand_score_refusals_change_nothing(ev: Any) -> None:
    e = services.evaluation_start(actor=ev.pm, project=ev.project)
    rows = _by_name(e)
    manual, measured = rows["立项依据充分性"], rows["资金到位率"]
    before = _state()
    cases = [
        (
            {"indicator": manual, "score": "4.01", "comment": "依据充分", "evidence": pdf()},
            "得分须在 0 至 4 分之间（最多两位小数）：填写为 4.01 分",
        ),
        ({"indicator": manual, "score": "-1", "comment": "依据充分", "evidence": pdf()}, "得分须在 0 至 4 分之间"),
        ({"indicator": manual, "score": "3", "comment": "好", "evidence": pdf()}, "请填写“立项依据充分性”的评分说明"),
        ({"indicator": manual, "score": "3", "comment": "依据充分", "evidence": None}, "请上传“立项依据充分性”的佐证材料"),
        ({"indicator": measured, "score": "5", "comment": "依据充分", "evidence": pdf()}, "由系统取数计分"),
    ]
    for kwargs, message in cases:
        with pytest.raises(DomainError) as err:
            services.evaluation_indicator_fill(actor=ev.pm, **kwargs)
        assert message in err.value.message
    # an HTML page named .pdf is refused by the upload check
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    with pytest.raises(DomainError):
        services.evaluation_indicator_fill(actor=ev.pm, indicator=manual, score="3", comment="依据充分", evidence=fake)
    assert _state() == before


def test_only_the_projects_department_starts_and_fills(ev: Any) -> None:
    from govworks.org.tests.factories import DepartmentFactory, RoleGrantFactory, UserFactory

    other_dept = DepartmentFactory(agency=ev.city, name="办公室")
    outsider = UserFactory(username="outpm", full_name="外科室", agency=ev.city, department=other_dept)
    RoleGrantFactory(user=outsider, agency=ev.city, role="project_manager")
    before = _state()
    for actor in (outsider, ev.finance, ev.other_pm, ev.contractor):
        with pytest.raises(PermissionDenied):
            services.evaluation_start(actor=actor, project=ev.project)
    assert _state() == before
    # the department head of the project's department may
    assert services.evaluation_start(actor=ev.head, project=ev.project).status == Evaluation.Status.DRAFT


def test_start_refused_outside_the_stage_and_twice(ev: Any, make_project: Any) -> None:
    fresh = make_project("380000", name="礼堂修缮")
    before = _state()
    with pytest.raises(DomainError) as err:
        services.evaluation_start(actor=ev.pm, project=fresh)
    assert "项目当前为“计划”阶段" in err.value.message
    assert _state() == before
    services.evaluation_start(actor=ev.pm, project=ev.project)
    before = _state()
    with pytest.raises(DomainError, match="已发起"):
        services.evaluation_start(actor=ev.pm, project=ev.project)
    assert _state() == before


def test_submit_needs_every_indicator_scored_then_review_approves_and_files_the_report(ev: Any, facts: Any) -> None:
    from govworks.projects.models import ProjectDocument

    facts(
        ev.project,
        final_accounts__final_cost=Decimal("1900000"),
        acceptance__quality_ok=True,
        settlement__reduction_rate=Decimal("0.05"),
    )
    e = services.evaluation_start(actor=ev.pm, project=ev.project)
    before = _state()
    with pytest.raises(DomainError) as err:
        services.evaluation_submit(actor=ev.pm, evaluation=e, summary="项目达到预期绩效目标，资金使用规范。")
    assert "还有 15 项指标未评分：立项依据充分性、" in err.value.message
    with pytest.raises(DomainError, match="自评结论"):
        services.evaluation_submit(actor=ev.pm, evaluation=e, summary="短")
    assert _state() == before

    fill_all(ev.pm, e)
    e = services.evaluation_submit(
        actor=ev.pm, evaluation=Evaluation.objects.get(pk=e.pk), summary="项目达到预期绩效目标，资金使用规范。"
    )
    assert e.status == Evaluation.Status.SUBMITTED
    # measured: 到位 4.5 + 执行 0 + 及时 6 (import today, planned end in 90 days) + 节约 6 + 质量 6 + 审减 3 + 安全 3; hand: the rest in full
    assert e.score == Decimal("100") - Decimal("0.5") - Decimal("5")
    assert e.grade == "excellent"  # 94.50

    # when: 财务 approves
    e = services.evaluation_review(actor=ev.finance, evaluation=e, approve=True, opinion="同意评定")
    e.refresh_from_db()
    assert e.status == Evaluation.Status.APPROVED and e.approved_on == dt.date.today() and e.grade == "excellent"
    doc = ProjectDocument.objects.get(project=ev.project, doc_type__code="performance_report")
    assert doc.latest_number == 1 and e.report is not None and e.report.file.read(4) == b"%PDF"
    assert project_fact("evaluation.approved_on", ev.project) == dt.date.today()
    assert AuditEvent.objects.filter(action="closeout.evaluation.approve").count() == 1
    # and: nothing can be changed any more
    before = _state()
    with pytest.raises(DomainError, match="已评定"):
        services.evaluation_refresh(actor=ev.pm, evaluation=e)
    with pytest.raises(DomainError, match="不能审核"):
        services.evaluation_review(actor=ev.finance2, evaluation=e, approve=True, opinion="再次评定")
    assert _state() == before


def test_review_separation_of_duties_and_return(ev: Any) -> None:
    # given: the department head filled one indicator, the manager the rest and submitted
    e = services.evaluation_start(actor=ev.pm, project=ev.project)
    rows = _by_name(e)
    services.evaluation_indicator_fill(actor=ev.head, indicator=rows["社会效益"], score="7", comment="改善明显", evidence=pdf())
    fill_all(ev.pm, e)
    services.evaluation_indicator_fill(actor=ev.head, indicator=rows["社会效益"], score="7", comment="改善明显", evidence=None)
    e = services.evaluation_submit(
        actor=ev.pm, evaluation=Evaluation.objects.get(pk=e.pk), summary="项目达到预期绩效目标，资金使用规范。"
    )

    # when: the reviewers' rights are checked: no review right, or a filler who also holds 财务
    from govworks.org import permissions as org_perms
    from govworks.org.tests.factories import RoleGrantFactory

    RoleGrantFactory(user=ev.head, agency=ev.city, role="finance")
    org_perms.forget_cached_scope(ev.head)
    before = _state()
    with pytest.raises(DomainError) as err:
        services.evaluation_review(actor=ev.head, evaluation=e, approve=True, opinion="同意评定")
    assert err.value.code == "evaluation.sod" and "填报了自评指标" in err.value.message
    with pytest.raises(PermissionDenied):
        services.evaluation_review(actor=ev.pm, evaluation=e, approve=True, opinion="同意评定")
    with pytest.raises(DomainError, match="评价意见"):
        services.evaluation_review(actor=ev.finance, evaluation=e, approve=True, opinion="")
    assert _state() == before
    # the refused 职责分离 attempt is kept for 纪检监察
    assert AuditEvent.objects.filter(action="projects.approval.sod_refused").count() == 1

    # then: 内审 returns it; it is editable again and resubmitted
    e = services.evaluation_review(actor=ev.auditor, evaluation=e, approve=False, opinion="满意度缺少调查问卷")
    assert e.status == Evaluation.Status.RETURNED
    services.evaluation_indicator_fill(
        actor=ev.pm, indicator=rows["服务对象满意度"], score="6", comment="补充问卷", evidence=pdf()
    )
    e = services.evaluation_submit(
        actor=ev.pm, evaluation=Evaluation.objects.get(pk=e.pk), summary="已补充满意度调查问卷，重新提交。"
    )
    assert e.status == Evaluation.Status.SUBMITTED


def test_template_copy_and_edit_refused_with_the_rule_and_numbers(ev: Any) -> None:
    default = services.default_template()
    before = _state()
    with pytest.raises(DomainError, match="默认模板为参考数据"):
        services.evaluation_template_update(actor=ev.finance, template=default, weights={}, points={})
    with pytest.raises(PermissionDenied):
        services.evaluation_template_copy(actor=ev.pm, agency=ev.city)
    assert _state() == before

    mine = services.evaluation_template_copy(actor=ev.finance, agency=ev.city)
    rows = {r.name: r for r in mine.indicators.all()}
    assert len(rows) == default.indicators.count()
    before = _state()
    # 产出 25 + 效益 30 = 55 < 60, Σ = 95
    with pytest.raises(DomainError) as err:
        services.evaluation_template_update(
            actor=ev.finance, template=mine, weights={"output": "25"}, points={rows["实际完成率"].pk: "1"}
        )
    assert (
        "一级指标权重合计须为100分（财预〔2020〕10号）：现为 决策 20 + 过程 20 + 产出 25 + 效益 30 = 95 分" in err.value.message
    )
    assert "产出、效益指标权重合计不低于60分（财预〔2020〕10号）：现为 产出 25 + 效益 30 = 55 分" in err.value.message
    with pytest.raises(DomainError, match="数字"):
        services.evaluation_template_update(actor=ev.finance, template=mine, weights={"output": "三十"}, points={})
    assert _state() == before

    # a valid edit: 决策 15 (立项依据 4 → 2, 立项程序 4 → 1), 产出 35 (实际完成率 6 → 11)
    services.evaluation_template_update(
        actor=ev.finance,
        template=mine,
        weights={"decision": "15", "output": "35"},
        points={rows["立项依据充分性"].pk: "2", rows["立项程序规范性"].pk: "1", rows["实际完成率"].pk: "11"},
    )
    mine.refresh_from_db()
    assert (mine.weight_decision, mine.weight_output) == (Decimal(15), Decimal(35))
    # and: the agency's next evaluation uses it
    e = services.evaluation_start(actor=ev.pm, project=ev.project)
    assert e.template_id == mine.pk and _by_name(e)["实际完成率"].points == Decimal(11)


def test_refresh_follows_the_facts(ev: Any, facts: Any) -> None:
    e = services.evaluation_start(actor=ev.pm, project=ev.project)
    assert _by_name(e)["质量达标率"].score is None
    facts(ev.project, acceptance__quality_ok=False)
    services.evaluation_refresh(actor=ev.pm, evaluation=e)
    row = _by_name(e)["质量达标率"]
    assert row.value == Decimal(0) and row.score == Decimal("0.00") and "未一次合格" in row.source_text


def test_grade_uses_the_rule_parameters_at_the_boundary(ev: Any) -> None:
    """A total of exactly 90.00 is 优; one cent less is 良 (perf.grade_excellent_min = 90)."""
    e = services.evaluation_start(actor=ev.pm, project=ev.project)
    fill_all(ev.pm, e)
    # measured now: 到位 4.50, 执行 0.00 and the unknown facts filled in full by fill_all: 94.50. Lower by 4.50
    rows = _by_name(e)
    services.evaluation_indicator_fill(actor=ev.pm, indicator=rows["社会效益"], score="3.5", comment="效益一般", evidence=None)
    e = services.evaluation_submit(
        actor=ev.pm, evaluation=Evaluation.objects.get(pk=e.pk), summary="项目达到预期绩效目标，资金使用规范。"
    )
    assert e.score == Decimal("90.00") and e.grade == "excellent"
    e = services.evaluation_review(actor=ev.finance, evaluation=e, approve=False, opinion="复核社会效益")
    services.evaluation_indicator_fill(actor=ev.pm, indicator=rows["社会效益"], score="3.49", comment="效益一般", evidence=None)
    e = services.evaluation_submit(
        actor=ev.pm, evaluation=Evaluation.objects.get(pk=e.pk), summary="项目达到预期绩效目标，资金使用规范。"
    )
    assert e.score == Decimal("89.99") and e.grade == "good"
    assert selectors.grade_bounds(ev.city).excellent_min == Decimal(90)
