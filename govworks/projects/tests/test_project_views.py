"""Pages of the project register and workspace: who may see and act, refusals that change nothing,
and a fixed number of queries however many projects, documents and events there are."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from govworks.core.models import AuditEvent
from govworks.core.testing.role_matrix import assert_role_matrix
from govworks.projects.models import DocumentType, Project, Stage, StageTransition
from govworks.projects.services import documents, projects
from govworks.projects.tests.conftest import pdf


@pytest.fixture
def sub_project(lifecycle: Any) -> Project:
    """A project of the subordinate agency, managed by its 工程管理岗."""
    from govworks.org.tests.factories import DepartmentFactory

    dept = DepartmentFactory(agency=lifecycle.sub, name="工程维修科")
    today = dt.date.today()
    return projects.project_create_outside_plan(
        actor=lifecycle.sub_pm,
        agency=lifecycle.sub,
        manager=lifecycle.sub_pm,
        department=dept,
        reason="十一月巡查发现安全隐患，须尽快处置。",
        name="后勤中心锅炉房改造",
        project_type="repair",
        location="后勤中心",
        estimate_amount=Decimal("200000"),
        funding_source="fiscal",
        planned_start=today,
        planned_end=today + dt.timedelta(days=60),
    )


def snapshot(project: Project) -> tuple[Any, ...]:
    project.refresh_from_db()
    return (
        project.stage,
        StageTransition.objects.filter(project=project).count(),
        AuditEvent.objects.exclude(action__startswith="auth.").count(),
    )


def test_workspace_role_matrix(client, lifecycle, sub_project):
    url = reverse("projects:project_detail", args=[sub_project.pk])
    assert_role_matrix(
        client,
        "get",
        url,
        actors=lifecycle.actors(with_role=lifecycle.sub_pm, superior=lifecycle.pm),
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "with_role": 200, "superior": 200, "external": 404},
    )
    # the three administrators read no business records
    assert_role_matrix(
        client,
        "get",
        url,
        actors={"sub_admin": lifecycle.sub_sysadmin, "city_auditor": lifecycle.auditadmin},
        expected={"sub_admin": 404, "city_auditor": 404},
    )


def test_advance_role_matrix_and_nothing_changes_on_refusal(client, lifecycle, sub_project):
    url = reverse("projects:project_advance", args=[sub_project.pk])
    assert_role_matrix(
        client,
        "post",
        url,
        data={"note": ""},
        actors=lifecycle.actors(with_role=lifecycle.sub_pm, superior=lifecycle.pm),
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "superior": 403, "external": 404, "with_role": 302},
        snapshot=lambda: snapshot(sub_project),
    )
    sub_project.refresh_from_db()
    assert sub_project.stage == Stage.INITIATION  # the project manager's post went through


def test_a_refused_advance_shows_every_missing_condition(client, lifecycle, sub_project):
    projects.project_advance(actor=lifecycle.sub_pm, project=sub_project)
    client.force_login(lifecycle.sub_pm)
    before = snapshot(sub_project)
    response = client.post(reverse("projects:project_advance", args=[sub_project.pk]), {"note": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "“立项”阶段尚不能办结" in body and "上传《项目建议书》" in body and "完成本阶段审批" in body
    assert snapshot(sub_project) == before


def test_document_upload_page_rejects_a_wrong_file_and_changes_nothing(client, lifecycle, sub_project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(lifecycle.sub_pm)
    before = (snapshot(sub_project), sub_project.documents.count())
    response = client.post(
        reverse("projects:document_upload", args=[sub_project.pk]),
        {"doc_type": DocumentType.objects.get(code="proposal").pk, "file": SimpleUploadedFile("a.exe", b"MZ")},
    )
    assert response.status_code == 400
    assert "文件类型不支持" in response.content.decode()
    assert (snapshot(sub_project), sub_project.documents.count()) == before


def test_document_upload_page_refuses_html_renamed_pdf_naming_the_content(client, lifecycle, sub_project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # given a web page with a script, renamed 项目建议书.pdf (issue 12 item 8)
    fake = SimpleUploadedFile("项目建议书.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>")
    client.force_login(lifecycle.sub_pm)
    before = (snapshot(sub_project), sub_project.documents.count())
    # when it is uploaded as the project's proposal
    response = client.post(
        reverse("projects:document_upload", args=[sub_project.pk]),
        {"doc_type": DocumentType.objects.get(code="proposal").pk, "file": fake},
    )
    # then the page says what the content is and nothing was stored
    assert response.status_code == 400
    assert "文件内容为 HTML，不是 PDF" in response.content.decode()
    assert (snapshot(sub_project), sub_project.documents.count()) == before


def test_outside_plan_form_names_the_field_and_the_limit(client, lifecycle):
    client.force_login(lifecycle.pm)
    before = Project.objects.count()
    response = client.post(
        reverse("projects:project_create_outside_plan"),
        {
            "name": "x",
            "project_type": "repair",
            "location": "y",
            "estimate_amount": "abc",
            "funding_source": "fiscal",
            "planned_start": "2026-12-01",
            "planned_end": "2026-11-01",
            "department": lifecycle.construction.pk,
            "manager": lifecycle.pm.pk,
            "outside_plan_reason": "太急",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "请填写数字金额（元）" in body
    assert "计划竣工日期不能早于计划开工日期" in body or "计划外立项理由不少于10个字" in body
    assert Project.objects.count() == before


def _grow(lifecycle: Any, n: int) -> None:
    today = dt.date.today()
    for i in range(n):
        p = projects.project_create_outside_plan(
            actor=lifecycle.pm,
            agency=lifecycle.city,
            manager=lifecycle.pm,
            department=lifecycle.construction,
            reason="十一月巡查发现安全隐患，须尽快处置。",
            name=f"批量项目{i}",
            project_type="repair",
            location="大院",
            estimate_amount=Decimal("100000"),
            funding_source="fiscal",
            planned_start=today,
            planned_end=today,
        )
        projects.project_advance(actor=lifecycle.pm, project=p)


def test_project_list_query_count_does_not_grow(client, lifecycle, count_queries):
    _grow(lifecycle, 2)
    client.force_login(lifecycle.pm)
    url = reverse("projects:project_list") + "?stage=initiation"
    client.get(url)
    first = count_queries(lambda: client.get(url))
    _grow(lifecycle, 20)
    response = client.get(url)
    assert "批量项目19" in response.content.decode()
    assert count_queries(lambda: client.get(url)) == first


def test_workspace_query_count_does_not_grow_with_documents_and_events(client, lifecycle, make_project, count_queries):
    project = make_project()
    projects.project_advance(actor=lifecycle.pm, project=project)
    documents.document_upload(
        actor=lifecycle.pm, project=project, doc_type=DocumentType.objects.get(code="proposal"), file=pdf("v1")
    )
    client.force_login(lifecycle.pm)
    url = reverse("projects:project_detail", args=[project.pk])
    client.get(url)
    first = count_queries(lambda: client.get(url))
    for i in range(15):
        documents.document_upload(
            actor=lifecycle.pm, project=project, doc_type=DocumentType.objects.get(code="proposal"), file=pdf(f"v{i + 2}")
        )
    documents.document_upload(
        actor=lifecycle.pm, project=project, doc_type=DocumentType.objects.get(code="initiation_approval"), file=pdf("批复")
    )
    response = client.get(url)
    assert "v16" in response.content.decode() and "共16版" in response.content.decode()
    assert count_queries(lambda: client.get(url)) == first


def test_timeline_pages_older_events_with_htmx(client, lifecycle, make_project):
    project = make_project()
    projects.project_advance(actor=lifecycle.pm, project=project)
    for i in range(35):
        documents.document_upload(
            actor=lifecycle.pm, project=project, doc_type=DocumentType.objects.get(code="proposal"), file=pdf(f"v{i}")
        )
    client.force_login(lifecycle.pm)
    page = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert "更早的记录" in page
    newest_shown = min(e.seq for e in AuditEvent.objects.filter(context_id=str(project.pk)).order_by("-seq")[:30])
    older = client.get(
        reverse("projects:project_timeline", args=[project.pk]) + f"?before={newest_shown}", HTTP_HX_REQUEST="true"
    )
    assert older.status_code == 200
    assert "项目建档" in older.content.decode() or "计划外立项" in older.content.decode()
    # opened directly (a shared link), the fragment leads to the workspace's timeline instead of a bare list
    direct = client.get(reverse("projects:project_timeline", args=[project.pk]))
    assert direct.status_code == 302 and direct["Location"] == reverse("projects:project_detail", args=[project.pk]) + "#timeline"


def test_stages_of_a_historical_project_show_as_done_offline_not_as_passed(client, lifecycle, sub_project):
    # given: a project brought in at 招标采购 by 历史项目录入, and one walked through the 计划 gate by a person
    projects.project_import_at_stage(
        actor=lifecycle.sub_pm, project=sub_project, stage=Stage.PROCUREMENT, note="前期手续已线下办理，批复文号后勤〔2026〕5号"
    )
    client.force_login(lifecycle.sub_pm)

    # when: its workspace is opened
    page = client.get(reverse("projects:project_detail", args=[sub_project.pk])).content.decode()

    # then: 立项, 可研, 初设概算 and 施工图审查 are marked as done offline, none as passed through a gate,
    # and their documents say 线下办理 instead of 未上传
    bar = page.split('data-testid="stage-bar"', 1)[1].split("</ul>", 1)[0]
    assert bar.count('data-testid="stage-offline"') == 4
    assert 'data-testid="stage-passed"' not in bar
    assert bar.count("线下办理（历史项目录入）") == 8  # the title and the caption of each of the four stages
    assert (
        page.count('<span class="text-secondary small">线下办理（历史项目录入）</span>')
        == DocumentType.objects.filter(
            stage__in=[Stage.PLANNED, Stage.INITIATION, Stage.FEASIBILITY, Stage.PRELIM_DESIGN, Stage.DESIGN_REVIEW]
        ).count()
    )


def test_a_stage_passed_through_its_gate_after_the_import_shows_as_passed(client, lifecycle, sub_project):
    # given: a project brought in at 施工图审查, whose documents a person then uploads and whose gate he passes
    # (绩效评价's gate now reads the close-out records, so a documents-only stage is walked here)
    projects.project_import_at_stage(
        actor=lifecycle.sub_pm, project=sub_project, stage=Stage.DESIGN_REVIEW, note="前期手续已线下办理，批复文号后勤〔2026〕5号"
    )
    for code in ("construction_drawings", "drawing_review_cert"):
        documents.document_upload(
            actor=lifecycle.sub_pm, project=sub_project, doc_type=DocumentType.objects.get(code=code), file=pdf(code)
        )
    projects.project_advance(actor=lifecycle.sub_pm, project=sub_project)
    client.force_login(lifecycle.sub_pm)

    # when: its workspace is opened
    page = client.get(reverse("projects:project_detail", args=[sub_project.pk])).content.decode()

    # then: 施工图审查 is the one stage passed through a gate; the three before it were done offline
    bar = page.split('data-testid="stage-bar"', 1)[1].split("</ul>", 1)[0]
    assert bar.count('data-testid="stage-passed"') == 1
    assert 'title="施工图审查" data-testid="stage-passed"' in bar
    assert bar.count('data-testid="stage-offline"') == 3


def test_the_workbench_asks_for_each_stage_item_s_missing_conditions_after_the_page_loaded(client, lifecycle, sub_project):
    """The home page links each stage item to its gate line (constant queries); the line itself is read fresh."""
    projects.project_advance(actor=lifecycle.sub_pm, project=sub_project)
    client.force_login(lifecycle.sub_pm)
    url = reverse("projects:project_gate_missing", args=[sub_project.pk])
    assert f'hx-get="{url}"' in client.get(reverse("home")).content.decode()
    line = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert line.startswith('<span class="text-danger">缺：</span>') and "上传《项目建议书》" in line
    assert client.get(url)["Location"].endswith(f"/projects/{sub_project.pk}/#gate")
    client.force_login(lifecycle.other_pm)
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404
