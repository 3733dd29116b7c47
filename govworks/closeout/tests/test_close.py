# ruff: noqa: F811
"""The close (关闭): the last stage's gate reads every close-out record (a missing provider counts as not
complete; a record of a stage a 历史项目录入 brought the project past counts as done offline), the close page
and the close-out summary panel of the workspace."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from govworks.closeout.models import Evaluation
from govworks.closeout.selectors.evaluation import close_conditions
from govworks.closeout.services import evaluation as services
from govworks.closeout.tests.conftest_evaluation import ev, facts, fill_all, lifecycle, make_project, pdf  # noqa: F401
from govworks.core.errors import DomainError
from govworks.core.testing.role_matrix import assert_role_matrix
from govworks.projects.models import Project, Stage, StageTransition
from govworks.projects.services.projects import gate_conditions, project_advance, project_import_at_stage

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _approve(ev: Any) -> Evaluation:
    e = services.evaluation_start(actor=ev.pm, project=ev.project)
    fill_all(ev.pm, e)
    e = services.evaluation_submit(
        actor=ev.pm, evaluation=Evaluation.objects.get(pk=e.pk), summary="项目达到预期绩效目标，资金使用规范。"
    )
    return services.evaluation_review(actor=ev.finance, evaluation=e, approve=True, opinion="同意评定")


def _state(project: Project) -> Any:
    p = Project.objects.get(pk=project.pk)
    return p.stage, StageTransition.objects.filter(project=project).count()


def test_close_blocked_until_every_record_is_complete(ev: Any, facts: Any) -> None:
    # given: a project entered at 绩效评价 (acceptance … asset handover done offline), nothing else done
    conditions = {c.code: c for c in gate_conditions(ev.project)}
    assert (
        conditions["close:acceptance.passed_on"].ok
        and conditions["close:acceptance.passed_on"].detail == "线下办理（历史项目录入）"
    )
    assert conditions["close:assets.confirmed_on"].ok
    assert not conditions["close:evaluation.approved_on"].ok and conditions["close:evaluation.approved_on"].detail == "尚未完成"
    assert not conditions["close:review.finished_on"].ok
    assert conditions["close:evaluation.approved_on"].url == f"/closeout/projects/{ev.project.pk}/evaluation/"
    before = _state(ev.project)
    with pytest.raises(DomainError) as err:
        project_advance(actor=ev.pm, project=ev.project)
    assert "绩效评价已评定（尚未完成）" in err.value.message and "项目复盘报告已完成（尚未完成）" in err.value.message
    assert _state(ev.project) == before

    # when: the evaluation is approved — the 复盘 still missing
    _approve(ev)
    with pytest.raises(DomainError) as err:
        project_advance(actor=ev.pm, project=ev.project)
    assert "绩效评价已评定" not in err.value.message and "项目复盘报告已完成（尚未完成）" in err.value.message
    assert _state(ev.project) == before

    # then: with the 复盘 finished the project closes
    facts(ev.project, review__finished_on=TODAY)
    project = project_advance(actor=ev.pm, project=ev.project)
    assert project.stage == Stage.CLOSED


def test_each_record_is_read_from_its_provider_and_a_missing_one_blocks(ev: Any, make_project: Any, facts: Any) -> None:
    # a project entered at 施工: every close-out stage is ahead of the import, nothing offline
    p = project_import_at_stage(
        actor=ev.pm,
        project=make_project("900000", name="礼堂改造"),
        stage=Stage.CONSTRUCTION,
        note="前期手续已线下办理，临机事〔2026〕9号",
    )
    by_code = {c.code: c for c in close_conditions(p)}
    assert len(by_code) == 7 and not any(c.ok for c in by_code.values())
    assert {c.label for c in by_code.values()} == {
        "竣工验收合格",
        "结算审计已审定",
        "竣工财务决算已批复",
        "档案已移交城建档案馆",
        "资产移交已经使用部门确认",
        "绩效评价已评定",
        "项目复盘报告已完成",
    }
    facts(
        p,
        acceptance__passed_on=TODAY,
        settlement__approved_total=Decimal("850000"),
        final_accounts__approved_on=TODAY,
        archive__transferred_on=TODAY,
        assets__confirmed_on=TODAY,
        review__finished_on=TODAY,
    )
    by_code = {c.code: c for c in close_conditions(p)}
    assert (
        by_code["close:settlement.approved_total"].ok
        and by_code["close:settlement.approved_total"].detail == "已完成：850,000.00 元"
    )
    assert by_code["close:acceptance.passed_on"].detail == f"已完成：{TODAY:%Y-%m-%d}"
    assert [c.code for c in by_code.values() if not c.ok] == ["close:evaluation.approved_on"]


def test_close_page_blocked_then_done_and_the_panel_tells_the_story(client: Any, ev: Any, facts: Any) -> None:
    url = f"/closeout/projects/{ev.project.pk}/close/"
    client.force_login(ev.pm)
    page = client.get(url).content.decode()
    assert 'data-testid="close-blocked"' in page and page.count('data-testid="close-condition"') == 7
    response = client.post(url, {"note": "收尾完成"})
    assert response.status_code == 400 and "尚不能办结" in response.content.decode()
    assert Project.objects.get(pk=ev.project.pk).stage == Stage.EVALUATION

    _approve(ev)
    facts(
        ev.project,
        review__finished_on=TODAY,
        settlement__submitted_total=Decimal("1000000"),
        settlement__approved_total=Decimal("920000"),
        settlement__reduction_rate=Decimal("0.08"),
        final_accounts__final_cost=Decimal("1900000"),
    )
    actors = {"anonymous": None, "other": ev.other_pm, "finance": ev.finance, "external": ev.contractor, "pm": ev.pm}
    assert_role_matrix(
        client,
        "post",
        url,
        data={"note": "收尾完成"},
        expected={"anonymous": 302, "other": 404, "finance": 403, "external": 404, "pm": 302},
        actors=actors,
        snapshot=lambda: _state(ev.project),
    )
    assert Project.objects.get(pk=ev.project.pk).stage == Stage.CLOSED
    client.force_login(ev.pm)
    assert 'data-testid="project-closed"' in client.get(url).content.decode()

    # the workspace of the closed project: the summary panel with the key numbers and the stage timeline
    page = client.get(f"/projects/{ev.project.pk}/").content.decode()
    assert "竣工收尾总览" in page and 'data-testid="closeout-panel"' in page
    assert "920,000.00" in page
    assert 'data-testid="summary-reduction">8%<' in page
    assert "1,900,000.00" in page
    grade = Evaluation.objects.get(project=ev.project)
    assert f"{grade.get_grade_display()}（{grade.score} 分）" in page
    assert "线下办理（历史项目录入）" in page


def test_close_refused_to_those_without_the_right(ev: Any) -> None:
    with pytest.raises(PermissionDenied):
        project_advance(actor=ev.finance, project=ev.project)
