# ruff: noqa: F811
"""Pages of the performance evaluation: who may do what (role matrix, nothing changes on a refusal), what the
page shows (the measured indicators with source and numbers, the chart or 暂无数据), the register with filters
and Excel, the template page refusing an invalid edit with the numbers, the workbench items, and constant query
counts as the data grows."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govworks.closeout.models import Evaluation, EvaluationIndicator, EvaluationTemplate, TemplateIndicator
from govworks.closeout.services import evaluation as services
from govworks.closeout.tests.conftest_evaluation import ev, facts, fill_all, lifecycle, make_project, pdf  # noqa: F401
from govworks.core.testing.role_matrix import assert_role_matrix

pytestmark = pytest.mark.django_db


def _snapshot() -> Any:
    return (
        list(Evaluation.objects.values_list("id", "status", "score", "reviewed_by_id")),
        list(EvaluationIndicator.objects.values_list("id", "score", "filled_by_id")),
        list(TemplateIndicator.objects.values_list("id", "points")),
        EvaluationTemplate.objects.count(),
    )


def _actors(ev: Any, with_role: Any) -> dict[str, Any]:
    return {
        "anonymous": None,
        "other_agency": ev.other_pm,
        "no_role": ev.no_role,
        "with_role": with_role,
        "discipline": ev.discipline,
        "finance": ev.finance,
        "pm": ev.pm,
        "external": ev.contractor,
        "sysadmin": ev.sysadmin,
    }


def test_start_page_and_role_matrix(client: Any, ev: Any) -> None:
    url = f"/closeout/projects/{ev.project.pk}/evaluation/"
    assert_role_matrix(
        client,
        "get",
        url,
        expected={"anonymous": 302, "other_agency": 404, "external": 404, "sysadmin": 404, "discipline": 200, "pm": 200},
        actors=_actors(ev, ev.pm),
    )
    client.force_login(ev.discipline)
    assert 'data-testid="evaluation-start"' not in client.get(url).content.decode()
    client.force_login(ev.pm)
    page = client.get(url).content.decode()
    assert 'data-testid="evaluation-start"' in page
    assert_role_matrix(
        client,
        "post",
        url + "start/",
        expected={
            "anonymous": 302,
            "other_agency": 404,
            "no_role": 404,
            "discipline": 403,
            "finance": 403,
            "external": 404,
            "pm": 302,
        },
        actors=_actors(ev, ev.pm),
        snapshot=_snapshot,
    )
    assert Evaluation.objects.filter(project=ev.project).count() == 1
    client.force_login(ev.pm)
    page = client.get(url).content.decode()
    assert "实际到位 1,800,000.00 元 ÷ 预算指标 2,000,000.00 元 = 90%" in page
    assert page.count('data-testid="indicator-row"') == 22
    assert 'data-testid="evaluation-chart"' in page and 'id="chart-dims-data"' in page  # measured scores exist


def test_chart_says_no_data_when_nothing_is_scored(client: Any, ev: Any) -> None:
    from govworks.finance.models import FundingSource

    # no funds: 到位率 and 执行率 unknown; no facts: only 安全 and 及时性 measured — clear those by hand-less state
    e = services.evaluation_start(actor=ev.pm, project=ev.project)
    EvaluationIndicator.objects.filter(evaluation=e).update(score=None)
    client.force_login(ev.pm)
    page = client.get(f"/closeout/projects/{ev.project.pk}/evaluation/").content.decode()
    assert "暂无数据" in page and 'data-testid="evaluation-chart"' not in page
    assert FundingSource.objects.filter(project=ev.project).exists()


def test_fill_form_submit_and_review_through_the_pages(client: Any, ev: Any) -> None:
    e = services.evaluation_start(actor=ev.pm, project=ev.project)
    row = EvaluationIndicator.objects.get(evaluation=e, name="社会效益")
    url = f"/closeout/evaluations/indicators/{row.pk}/"
    data = {"score": "7.5", "comment": "改善办公条件明显"}
    # refusals: no evidence → 400 with the reason; out of range → 400 with the numbers
    client.force_login(ev.pm)
    response = client.post(url, data)
    assert response.status_code == 400 and "请上传“社会效益”的佐证材料" in response.content.decode()
    response = client.post(url, {**data, "score": "9", "evidence": pdf()})
    assert response.status_code == 400 and "得分须在 0 至 8 分之间" in response.content.decode()
    assert_role_matrix(
        client,
        "post",
        url,
        data={**data, "evidence": pdf()},
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "finance": 403, "external": 404},
        actors=_actors(ev, ev.pm),
        snapshot=_snapshot,
    )
    client.force_login(ev.pm)
    response = client.post(url, {**data, "evidence": pdf("满意度问卷")})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.score == Decimal("7.5") and row.evidence_name == "满意度问卷.pdf"
    assert client.get(f"/closeout/evaluations/indicators/{row.pk}/evidence/").status_code == 200

    # submit refused while indicators are open: 400 with the list
    response = client.post(
        f"/closeout/projects/{ev.project.pk}/evaluation/submit/", {"summary": "项目达到预期绩效目标，资金使用规范。"}
    )
    assert response.status_code == 400 and "项指标未评分" in response.content.decode()
    fill_all(ev.pm, e)
    response = client.post(
        f"/closeout/projects/{ev.project.pk}/evaluation/submit/", {"summary": "项目达到预期绩效目标，资金使用规范。"}
    )
    assert response.status_code == 302
    # the self-evaluator may not review; 财务 may
    review = f"/closeout/projects/{ev.project.pk}/evaluation/review/"
    assert_role_matrix(
        client,
        "post",
        review,
        data={"opinion": "同意评定", "decision": "approve"},
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "pm": 403, "discipline": 403, "external": 404},
        actors=_actors(ev, ev.finance),
        snapshot=_snapshot,
    )
    client.force_login(ev.finance)
    assert client.post(review, {"opinion": "同意评定", "decision": "approve"}).status_code == 302
    e.refresh_from_db()
    assert e.status == Evaluation.Status.APPROVED
    page = client.get(f"/closeout/projects/{ev.project.pk}/evaluation/").content.decode()
    assert 'data-testid="evaluation-report"' in page and "《绩效评价报告》第1版" in page
    assert f'data-testid="evaluation-grade">{dict(Evaluation._meta.get_field("grade").choices)[e.grade]}<' in page
    response = client.get(f"/closeout/projects/{ev.project.pk}/evaluation/pdf/")
    assert response.status_code == 200 and response.content[:4] == b"%PDF"


def test_register_filters_and_excel(client: Any, ev: Any) -> None:
    from openpyxl import load_workbook

    e = services.evaluation_start(actor=ev.pm, project=ev.project)
    fill_all(ev.pm, e)
    services.evaluation_submit(
        actor=ev.pm, evaluation=Evaluation.objects.get(pk=e.pk), summary="项目达到预期绩效目标，资金使用规范。"
    )
    client.force_login(ev.finance)
    page = client.get("/closeout/evaluations/").content.decode()
    assert page.count('data-testid="evaluation-row"') == 1
    assert client.get("/closeout/evaluations/?grade=poor").content.decode().count('data-testid="evaluation-row"') == 0
    assert client.get("/closeout/evaluations/?status=submitted").content.decode().count('data-testid="evaluation-row"') == 1
    response = client.get("/closeout/evaluations/export/?status=submitted")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert (
        rows[0][:3] == ("项目编号", "项目名称", "建设单位") and rows[1][1] == "机关办公楼节能改造" and rows[1][3] == "待部门评价"
    )
    # another agency sees none of it; external users and administrators are refused
    client.force_login(ev.other_pm)
    assert client.get("/closeout/evaluations/").content.decode().count('data-testid="evaluation-row"') == 0
    for user in (ev.contractor, ev.sysadmin):
        client.force_login(user)
        assert client.get("/closeout/evaluations/").status_code == 403


def test_template_page_refuses_an_invalid_edit_with_the_numbers(client: Any, ev: Any) -> None:
    assert_role_matrix(
        client,
        "get",
        "/closeout/evaluations/templates/",
        expected={"anonymous": 302, "pm": 403, "discipline": 403, "sysadmin": 403, "external": 403, "finance": 200},
        actors=_actors(ev, ev.finance),
    )
    assert_role_matrix(
        client,
        "post",
        "/closeout/evaluations/templates/copy/",
        expected={"anonymous": 302, "pm": 403, "other_agency": 403, "finance": 302},
        actors=_actors(ev, ev.finance),
        snapshot=_snapshot,
    )
    mine = EvaluationTemplate.objects.get(agency=ev.city)
    client.force_login(ev.finance)
    page = client.get(f"/closeout/evaluations/templates/?t={mine.pk}").content.decode()
    assert 'data-testid="template-save"' in page
    before = _snapshot()
    response = client.post(
        f"/closeout/evaluations/templates/{mine.pk}/",
        {"weight_decision": "20", "weight_process": "30", "weight_output": "25", "weight_effect": "25"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "产出、效益指标权重合计不低于60分（财预〔2020〕10号）：现为 产出 25 + 效益 25 = 50 分" in text
    assert _snapshot() == before
    # another agency's 财务 does not see it; a 工程管理岗 may not edit templates at all
    from govworks.org.tests.factories import RoleGrantFactory, UserFactory

    other_finance = UserFactory(username="otherfin", full_name="邻市财务", agency=ev.other)
    RoleGrantFactory(user=other_finance, agency=ev.other, role="finance")
    client.force_login(other_finance)
    assert client.post(f"/closeout/evaluations/templates/{mine.pk}/", {"weight_decision": "20"}).status_code == 404
    client.force_login(ev.other_pm)
    assert client.post(f"/closeout/evaluations/templates/{mine.pk}/", {"weight_decision": "20"}).status_code == 403
    assert _snapshot() == before


def test_workbench_items_with_due_dates(ev: Any) -> None:
    from govworks.core.registry import work_items_for

    mine = [i for i in work_items_for(ev.pm) if i.kind == "绩效评价"]
    assert len(mine) == 1 and mine[0].due is not None and "绩效自评" in mine[0].title
    e = services.evaluation_start(actor=ev.pm, project=ev.project)
    fill_all(ev.pm, e)
    services.evaluation_submit(
        actor=ev.pm, evaluation=Evaluation.objects.get(pk=e.pk), summary="项目达到预期绩效目标，资金使用规范。"
    )
    assert not [i for i in work_items_for(ev.pm) if i.kind == "绩效评价"]
    review = [i for i in work_items_for(ev.finance) if i.kind == "绩效评价"]
    assert len(review) == 1 and review[0].due is not None and "待审核" in review[0].title
    services.evaluation_review(actor=ev.finance, evaluation=Evaluation.objects.get(pk=e.pk), approve=True, opinion="同意评定")
    close = [i for i in work_items_for(ev.pm) if i.kind == "项目关闭"]
    assert len(close) == 1 and close[0].due is not None


def _grow(ev: Any, make_project: Any, n: int) -> None:
    from govworks.projects.services.projects import project_import_at_stage

    for i in range(n):
        p = make_project("500000", name=f"增长项目{Evaluation.objects.count()}-{i}")
        p = project_import_at_stage(actor=ev.pm, project=p, stage="evaluation", note="前期手续已线下办理，临机事〔2026〕9号")
        e = services.evaluation_start(actor=ev.pm, project=p)
        fill_all(ev.pm, e)
        services.evaluation_submit(
            actor=ev.pm, evaluation=Evaluation.objects.get(pk=e.pk), summary="项目达到预期绩效目标，资金使用规范。"
        )


def test_query_counts_do_not_grow_with_the_data(client: Any, ev: Any, make_project: Any) -> None:
    def count(user: Any) -> list[int]:
        client.force_login(user)
        client.get("/closeout/evaluations/")  # the first request of a session builds its cached scope
        out = []
        for url in ("/closeout/evaluations/", f"/closeout/projects/{ev.project.pk}/evaluation/", "/closeout/evaluations/export/"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        from govworks.core.registry import registry

        for provider in registry.workbench:
            if provider.__module__ != "govworks.closeout.registrations_evaluation":
                continue
            with CaptureQueriesContext(connection) as ctx:
                provider(user)
            out.append(len(ctx.captured_queries))
        return out

    services.evaluation_start(actor=ev.pm, project=ev.project)
    _grow(ev, make_project, 1)
    first = count(ev.finance), count(ev.pm)
    _grow(ev, make_project, 3)
    assert (count(ev.finance), count(ev.pm)) == first
