"""The project lifecycle: creation, numbering, stage gates with thresholds, skips, suspension, documents.

Each refusal must say which rule and which number, and change nothing."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent
from govworks.org.tests.factories import DepartmentFactory
from govworks.projects.models import AgendaItem, DocumentType, HigherReview, Project, Stage, StageTransition
from govworks.projects.services import approvals, decisions, documents, projects, reviews
from govworks.projects.services.projects import gate_conditions
from govworks.projects.tests.conftest import pdf


def state(project: Project) -> tuple[Any, ...]:
    project.refresh_from_db()
    return (
        project.stage,
        project.stage_entered_on,
        StageTransition.objects.filter(project=project).count(),
        AuditEvent.objects.count(),
    )


def refused(call: Any, project: Project, code: str) -> DomainError:
    before = state(project)
    with pytest.raises(DomainError) as info:
        call()
    assert info.value.code == code
    assert state(project) == before, "a refused action changed something"
    return info.value


def to_initiation(project: Project, world: Any) -> Project:
    return projects.project_advance(actor=world.pm, project=project)


def upload(project: Project, world: Any, *codes: str) -> None:
    for code in codes:
        documents.document_upload(actor=world.pm, project=project, doc_type=DocumentType.objects.get(code=code), file=pdf(code))


def approve_stage(project: Project, world: Any, kind: str) -> None:
    request = approvals.approval_submit(
        actor=world.pm,
        agency=project.agency,
        kind=kind,
        subject=project,
        project=project,
        title=f"{project.code} {kind}",
        amount=project.controlling_amount,
    )
    chain = {0: world.head, 1: world.leader, 2: world.principal}
    for i in range(request.steps.count()):
        approvals.approval_decide(actor=chain[i], request=request, approve=True, opinion="同意")


def decide(project: Project, world: Any) -> AgendaItem:
    meeting = decisions.meeting_create(
        actor=world.pm,
        agency=world.city,
        kind="party_group",
        title="党组会议",
        held_on=dt.date.today(),
        chair=world.principal,
        members=[world.leader, world.head, world.finance],
    )
    decisions.meeting_record_attendance(
        actor=world.pm, meeting=meeting, present=[world.principal.pk, world.leader.pk, world.head.pk, world.finance.pk]
    )
    item = decisions.agenda_item_add(
        actor=world.pm,
        meeting=meeting,
        subject=project,
        category="large_fund",
        title=project.name,
        amount=project.controlling_amount,
    )
    for m in (world.leader, world.head, world.finance):
        decisions.opinion_record(actor=world.pm, item=item, member=m, choice="agree")
    return decisions.agenda_conclude(actor=world.principal, item=item, passed=True, conclusion="同意")


def joint_review(project: Project, world: Any) -> None:
    review = reviews.joint_review_request(
        actor=world.pm,
        project=project,
        stage=project.stage,
        subject="立项联审",
        due_on=dt.date.today(),
        seats=[("财务科", world.finance), ("内审科", world.auditor)],
    )
    for seat in review.seats.all():
        reviews.joint_review_opinion(actor=seat.reviewer, seat=seat, opinion="agree", comment="")
    reviews.joint_review_conclude(actor=world.pm, review=review)


# ------------------------------------------------------------------------------------------ creation


def test_projects_are_numbered_per_agency_and_year_without_gaps(make_project):
    year = dt.date.today().year
    codes = [make_project(name=f"项目{i}").code for i in range(3)]
    assert codes == [f"LJJG-{year}-0001", f"LJJG-{year}-0002", f"LJJG-{year}-0003"]


def test_two_agencies_first_projects_have_different_codes(lifecycle, make_project):
    # given the city and its subordinate (the 后勤中心 has its own 工程管理岗 and 科室)
    year = dt.date.today().year
    sub_department = DepartmentFactory(agency=lifecycle.sub, name="工程维修科", is_construction=True)
    # when each creates its first project of the year
    city_code = make_project(name="市局项目").code
    sub_project = projects.project_create_outside_plan(
        actor=lifecycle.sub_pm,
        agency=lifecycle.sub,
        manager=lifecycle.sub_pm,
        department=sub_department,
        reason="十一月巡查发现安全隐患，须尽快处置。",
        name="后勤中心项目",
        project_type="repair",
        location="后勤中心",
        estimate_amount=Decimal(100000),
        funding_source="fiscal",
        planned_start=dt.date.today(),
        planned_end=dt.date.today(),
    )
    # then both are number 0001 of the year, told apart by the agency's code
    assert (city_code, sub_project.code) == (f"LJJG-{year}-0001", f"LJHQ-{year}-0001")


def test_the_database_refuses_a_project_code_used_by_another_agency(lifecycle, make_project):
    # given a project of the city
    project = make_project()
    # when a row of another agency is written with the same code (bypassing the numbering)
    clone = Project(
        agency=lifecycle.sub,
        code=project.code,
        name="重复编号",
        project_type="repair",
        location="x",
        estimate_amount=Decimal(1000),
        funding_source="fiscal",
        planned_start=project.planned_start,
        planned_end=project.planned_end,
        department=project.department,
        manager=project.manager,
        created_by=project.created_by,
    )
    # then the database refuses it and only the first row exists
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()
    assert list(Project.objects.values_list("code", flat=True)) == [project.code]


def test_outside_plan_needs_a_reason_and_is_flagged(lifecycle):
    before = (Project.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as info:
        projects.project_create_outside_plan(
            actor=lifecycle.pm,
            agency=lifecycle.city,
            manager=lifecycle.pm,
            department=lifecycle.construction,
            reason="急需",
            name="x",
            project_type="repair",
            location="y",
            estimate_amount=Decimal(1000),
            funding_source="fiscal",
            planned_start=dt.date.today(),
            planned_end=dt.date.today(),
        )
    assert "不少于10个字" in info.value.message
    assert (Project.objects.count(), AuditEvent.objects.count()) == before


def test_outside_plan_project_is_recorded_for_discipline_inspection(make_project):
    project = make_project()
    assert project.is_outside_plan and project.stage == Stage.PLANNED
    event = AuditEvent.objects.get(action="projects.project.create_outside_plan")
    assert event.reason == "十一月巡查发现安全隐患，须尽快处置。"


def test_someone_from_another_agency_cannot_create_a_project_here(lifecycle):
    with pytest.raises(PermissionDenied):
        projects.project_create_outside_plan(
            actor=lifecycle.other_pm,
            agency=lifecycle.city,
            manager=lifecycle.pm,
            department=lifecycle.construction,
            reason="十一月巡查发现安全隐患，须尽快处置。",
            name="x",
            project_type="repair",
            location="y",
            estimate_amount=Decimal(1000),
            funding_source="fiscal",
            planned_start=dt.date.today(),
            planned_end=dt.date.today(),
        )
    assert not Project.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_creations_never_share_a_number(lifecycle_tx):
    """Ten threads create projects at once: ten distinct, consecutive numbers."""
    _world, make = lifecycle_tx
    codes: list[str] = []
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            codes.append(make(name=f"并发项目{i}").code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    year = dt.date.today().year
    assert sorted(codes) == [f"LJJG-{year}-{n:04d}" for n in range(1, 11)]


@pytest.fixture
def lifecycle_tx(transactional_db: Any, request: Any) -> Any:
    world = request.getfixturevalue("lifecycle")
    return world, request.getfixturevalue("make_project")


# ------------------------------------------------------------------------------------------ gates and thresholds


def test_planned_project_moves_to_initiation(make_project, lifecycle):
    project = make_project()
    project = to_initiation(project, lifecycle)
    assert project.stage == Stage.INITIATION


def test_initiation_refusal_lists_every_missing_condition_and_changes_nothing(make_project, lifecycle):
    project = to_initiation(make_project("600000"), lifecycle)
    err = refused(lambda: projects.project_advance(actor=lifecycle.pm, project=project), project, "project.gate")
    assert "上传《项目建议书》" in err.message
    assert "三重一大集体决策通过（金额 600,000.00 元 ≥“三重一大大额资金起点”300,000.00 元）" in err.message
    assert "政府常务会议或人大审议同意（金额 600,000.00 元 ≥“政府常务会议/人大审议起点金额”500,000.00 元）" in err.message
    assert "联审通过" in err.message
    assert "完成本阶段审批" in err.message


@pytest.mark.parametrize(("amount", "needs_higher_review"), [("500000.00", True), ("499999.99", False), ("6800000", True)])
def test_higher_review_starts_at_the_threshold_inclusive(make_project, lifecycle, amount, needs_higher_review):
    project = to_initiation(make_project(amount), lifecycle)
    codes = {c.code for c in gate_conditions(project)}
    assert ("higher_review" in codes) is needs_higher_review
    assert "tzyd" in codes  # both are at or above the 300,000 三重一大 amount


def test_project_at_the_threshold_cannot_leave_initiation_without_higher_review_and_decision(make_project, lifecycle):
    project = to_initiation(make_project("500000"), lifecycle)
    upload(project, lifecycle, "proposal", "initiation_approval")
    joint_review(project, lifecycle)
    approve_stage(project, lifecycle, "project.initiation")
    err = refused(lambda: projects.project_advance(actor=lifecycle.pm, project=project), project, "project.gate")
    assert "三重一大" in err.message and "政府常务会议或人大审议" in err.message
    decide(project, lifecycle)
    err = refused(lambda: projects.project_advance(actor=lifecycle.pm, project=project), project, "project.gate")
    assert "三重一大" not in err.message and "500,000.00 元" in err.message
    decisions.higher_review_record(
        actor=lifecycle.pm,
        project=project,
        body=HigherReview.Body.GOVERNMENT_EXECUTIVE,
        meeting_date=dt.date.today(),
        document_number="临政常〔2026〕1号",
        conclusion="approved",
        file=pdf("纪要"),
    )
    project = projects.project_advance(actor=lifecycle.pm, project=project)
    assert project.stage == Stage.PRELIM_DESIGN  # 500,000 < 1,000,000: feasibility skipped; prelim design (≥ 500,000) is not


def test_project_just_below_the_threshold_needs_no_higher_review(make_project, lifecycle):
    project = to_initiation(make_project("499999.99"), lifecycle)
    upload(project, lifecycle, "proposal", "initiation_approval")
    joint_review(project, lifecycle)
    approve_stage(project, lifecycle, "project.initiation")
    decide(project, lifecycle)
    project = projects.project_advance(actor=lifecycle.pm, project=project)
    assert project.stage == Stage.DESIGN_REVIEW
    skips = list(StageTransition.objects.filter(project=project, skipped=True).values_list("to_stage", "rule"))
    assert [s for s, _ in skips] == [Stage.FEASIBILITY, Stage.PRELIM_DESIGN]
    assert "“单独编制可研的起点金额”" in skips[0][1] and "1,000,000.00 元" in skips[0][1]
    assert "“单独初步设计概算的起点金额”" in skips[1][1] and "500,000.00 元" in skips[1][1]


def test_a_rejected_decision_does_not_open_the_gate(make_project, lifecycle):
    project = to_initiation(make_project("400000"), lifecycle)
    meeting = decisions.meeting_create(
        actor=lifecycle.pm,
        agency=lifecycle.city,
        kind="party_group",
        title="党组会议",
        held_on=dt.date.today(),
        chair=lifecycle.principal,
        members=[lifecycle.leader, lifecycle.head, lifecycle.finance],
    )
    decisions.meeting_record_attendance(
        actor=lifecycle.pm,
        meeting=meeting,
        present=[lifecycle.principal.pk, lifecycle.leader.pk, lifecycle.head.pk, lifecycle.finance.pk],
    )
    item = decisions.agenda_item_add(
        actor=lifecycle.pm, meeting=meeting, subject=project, category="large_fund", title="x", amount=None
    )
    for m in (lifecycle.leader, lifecycle.head, lifecycle.finance):
        decisions.opinion_record(actor=lifecycle.pm, item=item, member=m, choice="disagree")
    decisions.agenda_conclude(actor=lifecycle.principal, item=item, passed=False, conclusion="暂缓")
    assert next(c for c in gate_conditions(project) if c.code == "tzyd").ok is False


def test_procurement_cannot_be_closed_until_every_lot_is_awarded(make_project, lifecycle):
    project = make_project()
    projects.project_import_at_stage(
        actor=lifecycle.pm, project=project, stage=Stage.PROCUREMENT, note="前期手续已线下办理，批复文号临机事〔2026〕9号"
    )
    upload(project, lifecycle, "tender_documents", "award_notice")
    err = refused(lambda: projects.project_advance(actor=lifecycle.pm, project=project), project, "project.gate")
    assert "所有标段已定标" in err.message and "尚未编制采购计划（标段）" in err.message  # the procurement module's condition


def test_someone_without_the_action_cannot_advance(make_project, lifecycle):
    project = make_project()
    for actor in (lifecycle.finance, lifecycle.sub_pm, lifecycle.sysadmin):
        before = state(project)
        with pytest.raises(PermissionDenied):
            projects.project_advance(actor=actor, project=project)
        assert state(project) == before


# ------------------------------------------------------------------------------------------ suspension, import, documents


def test_suspend_and_resume_return_to_construction(make_project, lifecycle):
    project = make_project()
    projects.project_import_at_stage(
        actor=lifecycle.pm, project=project, stage=Stage.CONSTRUCTION, note="前期手续已线下办理，批复文号临机事〔2026〕9号"
    )
    refused(lambda: projects.project_suspend(actor=lifecycle.pm, project=project, reason=" "), project, "project.suspend_reason")
    project = projects.project_suspend(actor=lifecycle.pm, project=project, reason="发现结构裂缝")
    assert project.stage == Stage.SUSPENDED
    refused(lambda: projects.project_advance(actor=lifecycle.pm, project=project), project, "project.gate")
    project = projects.project_resume(actor=lifecycle.pm, project=project, note="复工令 FG-01")
    assert project.stage == Stage.CONSTRUCTION


def test_import_at_stage_only_for_a_fresh_record(make_project, lifecycle):
    project = to_initiation(make_project(), lifecycle)
    refused(
        lambda: projects.project_import_at_stage(
            actor=lifecycle.pm, project=project, stage=Stage.CONSTRUCTION, note="前期手续已线下办理，批复文号临机事〔2026〕9号"
        ),
        project,
        "project.import_state",
    )


def test_a_new_document_version_supersedes_and_keeps_the_old_one(make_project, lifecycle):
    project = to_initiation(make_project(), lifecycle)
    t = DocumentType.objects.get(code="proposal")
    first = documents.document_upload(actor=lifecycle.pm, project=project, doc_type=t, file=pdf("v1"))
    second = documents.document_upload(actor=lifecycle.pm, project=project, doc_type=t, file=pdf("v2"), note="修改稿")
    assert (first.number, second.number) == (1, 2)
    assert first.sha256 != second.sha256
    assert project.documents.get(doc_type=t).versions.count() == 2


def test_document_upload_refuses_wrong_types(make_project, lifecycle):
    from django.core.files.uploadedfile import SimpleUploadedFile

    project = make_project()
    before = (AuditEvent.objects.count(), project.documents.count())
    with pytest.raises(DomainError) as info:
        documents.document_upload(
            actor=lifecycle.pm,
            project=project,
            doc_type=DocumentType.objects.get(code="proposal"),
            file=SimpleUploadedFile("x.exe", b"MZ"),
        )
    assert info.value.code == "file.type" and "PDF" in info.value.message
    assert (AuditEvent.objects.count(), project.documents.count()) == before


def test_timeline_collects_everything_about_the_project(make_project, lifecycle):
    from govworks.projects.selectors.projects import project_timeline

    project = to_initiation(make_project(), lifecycle)
    upload(project, lifecycle, "proposal")
    actions = [e.action for e in project_timeline(project=project)]
    assert actions[:3] == ["projects.document.upload", "projects.project.advance", "projects.project.create_outside_plan"]


def test_responsibility_is_assigned_from_the_template(make_project, lifecycle):
    project = make_project()
    rows = {r.stage: r for r in project.responsibilities.all()}
    assert rows[Stage.INITIATION].responsible == lifecycle.pm
    assert rows[Stage.PROCUREMENT].responsible == lifecycle.head  # 科室负责人 by the template
    assert rows[Stage.SETTLEMENT].responsible == lifecycle.finance


def test_the_workbench_names_the_responsible_person(make_project, lifecycle):
    from govworks.core.registry import work_items_for

    project = to_initiation(make_project(), lifecycle)
    titles = [i.title for i in work_items_for(lifecycle.pm)]
    assert any(project.code in t and "立项" in t for t in titles)


def test_migration_gives_existing_gw_codes_their_agency_code(lifecycle, make_project):
    # given a project numbered the old way (GW-…) and one already numbered the new way
    import importlib

    from django.apps import apps

    migration = importlib.import_module("govworks.projects.migrations.0005_project_code_unique_everywhere")
    old, new = make_project(name="旧编号项目"), make_project(name="新编号项目")
    year = dt.date.today().year
    Project.objects.filter(pk=old.pk).update(code=f"GW-{year}-0009")
    # when the data migration runs
    migration.prefix_with_agency_code(apps, None)
    # then the old code keeps its year and serial behind the agency's code; the new one is untouched
    assert Project.objects.get(pk=old.pk).code == f"LJJG-{year}-0009"
    assert Project.objects.get(pk=new.pk).code == new.code == f"LJJG-{year}-0002"
