# ruff: noqa: F811  (fixtures imported from archives_fixtures are redefined as test arguments)
"""复盘 and lessons: the review report written by the project manager and approved by the department head (never
by its writer), lessons tagged by stage and category, the knowledge base searched across the agency and its
subordinates, the lessons panel of an initiation page, the fact ``review.finished_on`` and the role matrix."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from govworks.closeout.models import Lesson, ReviewReport
from govworks.closeout.selectors.lessons import lesson_search
from govworks.closeout.services import lessons as services
from govworks.closeout.tests.archives_fixtures import at_stage, aw, lifecycle, make_project  # noqa: F401  (fixtures)
from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent
from govworks.core.testing.role_matrix import assert_role_matrix

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
REPORT = {
    "went_well": "分区施工，未发生安全事故，资金按进度拨付。",
    "went_badly": "前期勘察不足，设计变更三次，工期延误。",
    "root_causes": "对既有管线现状调查不够，合同未约定竣工资料时限。",
}


def _snapshot() -> Any:
    return (
        list(ReviewReport.objects.values_list("status", "went_well", "approved_by_id")),
        list(Lesson.objects.values_list("title", flat=True)),
        AuditEvent.objects.count(),
    )


def _lesson(world: Any, project: Any, **kw: Any) -> Lesson:
    fields = {
        "stage": "design_review",
        "category": "design_change",
        "title": "管线探测缺失导致设计变更",
        "content": "原设计依据旧竣工图，开挖后发现管线走向不符，三次变更。",
        "advice": "修缮项目初设前做管线探测",
        **kw,
    }
    return services.lesson_add(actor=world.pm, project=project, **fields)


def test_report_written_submitted_and_approved_finishes_the_review(aw: Any, at_stage: Any) -> None:
    from govworks.closeout.selectors.facts import project_fact

    project = at_stage("evaluation")
    report = services.review_report_save(actor=aw.pm, project=project, **REPORT)
    _lesson(aw, project)
    report = services.review_report_submit(actor=aw.pm, report=report)
    assert report.status == "submitted"
    assert project_fact("review.finished_on", project) is None
    report = services.review_report_approve(actor=aw.head, report=report, comment="同意")
    assert (report.status, report.approved_by, report.approved_on) == ("approved", aw.head, TODAY)
    assert project_fact("review.finished_on", project) == TODAY
    assert list(
        AuditEvent.objects.filter(context_id=project.pk, action__startswith="closeout.")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == [
        "closeout.review.save",
        "closeout.lesson.add",
        "closeout.review.submit",
        "closeout.review.approve",
    ]


def test_the_writer_does_not_approve_their_own_report(aw: Any, at_stage: Any) -> None:
    project = at_stage("evaluation")
    report = services.review_report_save(actor=aw.head, project=project, **REPORT)
    _lesson(aw, project)
    report = services.review_report_submit(actor=aw.head, report=report)
    before = _snapshot()
    with pytest.raises(DomainError) as err:
        services.review_report_approve(actor=aw.head, report=report)
    assert err.value.code == "review.self" and "职责分离" in err.value.message
    with pytest.raises(PermissionDenied):
        services.review_report_approve(actor=aw.pm, report=report)
    assert _snapshot() == before


def test_refusals_change_nothing(aw: Any, at_stage: Any) -> None:
    early = at_stage("construction")
    project = at_stage("evaluation")
    before = _snapshot()
    with pytest.raises(DomainError) as err:
        services.review_report_save(actor=aw.pm, project=early, **REPORT)
    assert "竣工验收后才能复盘" in err.value.message
    with pytest.raises(DomainError) as err:
        services.review_report_save(actor=aw.pm, project=project, **{**REPORT, "root_causes": "不清楚"})
    assert (err.value.field, err.value.message) == ("root_causes", "请写明根本原因（不少于10个字）")
    with pytest.raises(DomainError) as err:
        _lesson(aw, project, category="weather")
    assert err.value.field == "category"
    with pytest.raises(PermissionDenied):
        services.lesson_add(
            actor=aw.archivist,
            project=project,
            stage="construction",
            category="safety",
            title="临边防护",
            content="临边防护不到位险些坠落。",
        )
    assert _snapshot() == before
    report = services.review_report_save(actor=aw.pm, project=project, **REPORT)
    before = _snapshot()
    with pytest.raises(DomainError) as err:
        services.review_report_submit(actor=aw.pm, report=report)
    assert err.value.code == "review.no_lesson"
    assert _snapshot() == before


def test_knowledge_base_search_by_text_category_and_type_across_the_agency_tree(aw: Any, at_stage: Any) -> None:
    from govworks.projects.services.projects import project_create_outside_plan, project_import_at_stage

    repair = at_stage("closed", name="食堂修缮")
    it = at_stage("closed", name="机房建设")
    it.project_type = "it"
    it.save(update_fields=["project_type"])
    _lesson(aw, repair)
    _lesson(aw, it, category="procurement", title="设备参数偏向单一品牌", content="技术参数照抄品牌样本，被投诉后重新采购。")
    # a subordinate's project (the city reads it; the other city does not)
    sub_project = project_create_outside_plan(
        actor=aw.sub_pm, agency=aw.sub, manager=aw.sub_pm, department=aw.sub_pm.department or _sub_department(aw),
        name="后勤仓库屋面修缮", project_type="repair", location="后勤仓库", estimate_amount="300000",
        funding_source="fiscal", planned_start=TODAY, planned_end=TODAY + dt.timedelta(days=30), reason="屋面渗漏严重，须尽快处置。",
    )  # fmt: skip
    sub_project = project_import_at_stage(
        actor=aw.sub_pm, project=sub_project, stage="closed", note="前期至竣工已线下办理，文号后勤〔2026〕5号"
    )
    services.lesson_add(
        actor=aw.sub_pm, project=sub_project, stage="construction", category="safety", title="屋面作业未设安全网",
        content="屋面防水施工时临边未设安全网，监理发现后停工整改。",
    )  # fmt: skip
    assert [lesson.title for lesson in lesson_search(user=aw.pm, q="品牌")] == ["设备参数偏向单一品牌"]
    assert [lesson.title for lesson in lesson_search(user=aw.pm, category="design_change")] == ["管线探测缺失导致设计变更"]
    assert {lesson.title for lesson in lesson_search(user=aw.pm, project_type="repair")} == {
        "管线探测缺失导致设计变更",
        "屋面作业未设安全网",
    }
    assert {lesson.title for lesson in lesson_search(user=aw.sub_pm)} == {"屋面作业未设安全网"}
    assert list(lesson_search(user=aw.other_pm)) == []
    assert list(lesson_search(user=aw.sysadmin)) == []


def _sub_department(world: Any) -> Any:
    from govworks.org.tests.factories import DepartmentFactory

    return DepartmentFactory(agency=world.sub, name="工程维修科", is_construction=True)


def test_initiation_page_shows_lessons_of_projects_of_the_same_kind(
    client: Client, aw: Any, at_stage: Any, make_project: Any
) -> None:
    from govworks.projects.services.projects import project_advance

    done = at_stage("closed", name="老干部活动中心屋面防水修缮")
    _lesson(aw, done)
    _lesson(aw, done, category="safety", title="高处作业安全带佩戴", content="屋面作业人员未系安全带，巡查发现后整改。")
    new = make_project(name="机关食堂修缮")  # repair, in 计划
    project_advance(actor=aw.pm, project=new)  # 立项
    client.force_login(aw.pm)
    page = client.get(f"/projects/{new.pk}/").content.decode()
    assert page.count('data-testid="similar-lesson"') == 2
    assert "管线探测缺失导致设计变更" in page and "老干部活动中心屋面防水修缮" in page
    # a project of another kind sees none
    other = make_project(name="办公区网络改造")
    other.project_type = "it"
    other.save(update_fields=["project_type"])
    page = client.get(f"/projects/{other.pk}/").content.decode()
    assert 'data-testid="similar-lesson"' not in page and "暂无同类项目的经验教训" in page


def test_workbench_items_for_the_writer_and_the_head(aw: Any, at_stage: Any) -> None:
    from govworks.core.registry import work_items_for

    project = at_stage("evaluation")
    (item,) = [i for i in work_items_for(aw.pm) if i.kind == "复盘"]
    assert (item.title, item.due) == (f"撰写项目复盘报告：{project.code} {project.name}", TODAY + dt.timedelta(days=30))
    report = services.review_report_save(actor=aw.pm, project=project, **REPORT)
    _lesson(aw, project)
    services.review_report_submit(actor=aw.pm, report=report)
    assert [i for i in work_items_for(aw.pm) if i.kind == "复盘"] == []
    (item,) = [i for i in work_items_for(aw.head) if i.kind == "复盘"]
    assert (item.url, item.due) == (f"/closeout/reviews/{project.pk}/", TODAY + dt.timedelta(days=10))


def test_role_matrix_of_the_review_pages(client: Client, aw: Any, at_stage: Any) -> None:
    project = at_stage("evaluation")
    report = services.review_report_save(actor=aw.pm, project=project, **REPORT)
    _lesson(aw, project)
    services.review_report_submit(actor=aw.pm, report=report)
    url = f"/closeout/reviews/{project.pk}/"
    actors = aw.actors(with_role=aw.head)
    assert_role_matrix(
        client, "get", url, expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "with_role": 200, "external": 404},
        actors=actors,
    )  # fmt: skip
    approve = f"/closeout/reviews/{project.pk}/approve/"
    assert_role_matrix(
        client, "post", approve, data={"decision": "approve", "comment": "同意"},
        expected={"anonymous": 302, "other_agency": 404, "no_role": 403, "external": 404, "with_role": 302},
        actors={**actors, "no_role": aw.pm}, snapshot=lambda: _snapshot()[:2],
    )  # fmt: skip
    assert ReviewReport.objects.get().status == "approved"
    client.force_login(aw.pm)
    lessons = client.get("/closeout/lessons/?q=管线").content.decode()
    assert lessons.count('data-testid="lesson-row"') == 1


def test_lesson_pages_take_the_same_queries_for_more_lessons(
    client: Client, aw: Any, at_stage: Any, django_assert_max_num_queries: Any
) -> None:
    project = at_stage("closed")
    _lesson(aw, project)
    client.force_login(aw.pm)
    client.get("/closeout/lessons/")
    with django_assert_max_num_queries(30) as one:
        client.get("/closeout/lessons/")
    for n in range(8):
        _lesson(aw, at_stage("closed", name=f"项目{n}"), title=f"教训第{n}条")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/closeout/lessons/").content.decode()
    assert page.count('data-testid="lesson-row"') == 9


def test_submit_page_refusals_are_shown_and_change_nothing(client: Client, aw: Any, at_stage: Any) -> None:
    project = at_stage("evaluation")
    client.force_login(aw.pm)
    before = _snapshot()
    response = client.post(f"/closeout/reviews/{project.pk}/submit/")
    assert response.status_code == 400 and "请先撰写并保存复盘报告" in response.content.decode()
    services.review_report_save(actor=aw.pm, project=project, **REPORT)
    before = _snapshot()
    response = client.post(f"/closeout/reviews/{project.pk}/submit/")
    assert response.status_code == 400 and "请至少记录一条经验教训后再提交复盘报告" in response.content.decode()
    assert _snapshot()[:2] == before[:2]
