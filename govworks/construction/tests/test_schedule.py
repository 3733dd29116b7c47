"""The schedule: baseline kept when the plan is revised, dependencies without cycles, progress reporting
and confirmation rights, Excel export and all-or-nothing import; meetings' action items."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from govworks.construction.models import ProgressReport, ScheduleTask
from govworks.construction.schedule_excel import schedule_export, schedule_import
from govworks.construction.services import meetings, schedule
from govworks.construction.tests.conftest import days
from govworks.core.errors import DomainError
from govworks.core.registry import work_items_for

pytestmark = pytest.mark.django_db


def test_baseline_is_kept_when_the_plan_is_revised(cw: Any, site_project: Any) -> None:
    t1 = schedule.task_create(
        actor=cw.pm, project=site_project, code="T1", name="拆除", planned_start=days(0), planned_end=days(9)
    )
    schedule.baseline_set(actor=cw.pm, project=site_project)
    schedule.task_revise(
        actor=cw.pm, task=t1, planned_start=days(2), planned_end=days(20), weight=Decimal(2), reason="业主要求延后开工"
    )
    t1.refresh_from_db()
    assert (t1.baseline_start, t1.baseline_end, t1.planned_start, t1.planned_end) == (days(0), days(9), days(2), days(20))
    with pytest.raises(DomainError) as err:
        schedule.baseline_set(actor=cw.pm, project=site_project)
    assert err.value.code == "construction.baseline_set"


def test_dependencies_refuse_a_cycle(cw: Any, site_project: Any) -> None:
    a = schedule.task_create(actor=cw.pm, project=site_project, code="A", name="甲", planned_start=days(0), planned_end=days(3))
    b = schedule.task_create(
        actor=cw.pm, project=site_project, code="B", name="乙", planned_start=days(4), planned_end=days(6), predecessors=[a]
    )
    with pytest.raises(DomainError) as err:
        schedule.task_revise(
            actor=cw.pm,
            task=a,
            planned_start=days(0),
            planned_end=days(3),
            weight=Decimal(1),
            reason="加前置工作",
            predecessors=[b],
        )
    assert err.value.code == "construction.task_dep_cycle"
    assert list(a.predecessors.all()) == []


def test_progress_rights_and_no_self_confirmation(cw: Any, site_project: Any, one_task: Any) -> None:
    with pytest.raises(PermissionDenied):
        schedule.progress_report(actor=cw.stranger, task=one_task, as_of=days(0), percent=Decimal(10))
    report = schedule.progress_report(actor=cw.liaison, task=one_task, as_of=days(0), percent=Decimal(95))
    with pytest.raises(PermissionDenied):
        schedule.progress_confirm(actor=cw.head, report=report)  # a supervisor is assigned: only the supervisor confirms
    with pytest.raises(DomainError):
        schedule.progress_report(actor=cw.contractor, task=one_task, as_of=days(1), percent=Decimal(10))
    assert [i.kind for i in work_items_for(cw.supervisor)] == ["进度确认"]
    schedule.progress_confirm(actor=cw.supervisor, report=report, opinion="属实")
    one_task.refresh_from_db()
    assert (one_task.progress, one_task.actual_start) == (Decimal(95), days(0))
    with pytest.raises(DomainError) as err:
        schedule.progress_report(actor=cw.contractor, task=one_task, as_of=days(0), percent=Decimal(90))
    assert err.value.code == "construction.progress_back"
    assert ProgressReport.objects.count() == 1


def test_excel_round_trip_and_refused_import_changes_nothing(cw: Any, site_project: Any) -> None:
    a = schedule.task_create(
        actor=cw.pm, project=site_project, code="A", name="=危险公式", planned_start=days(0), planned_end=days(3)
    )
    schedule.task_create(
        actor=cw.pm,
        project=site_project,
        code="B",
        name="安装",
        planned_start=days(4),
        planned_end=days(9),
        predecessors=[a],
        weight=Decimal(3),
    )
    data = schedule_export(site_project)
    ws = load_workbook(BytesIO(data)).active
    assert ws is not None
    assert ws.cell(row=3, column=2).value == "'=危险公式" and ws.cell(row=4, column=7).value == "A"
    ws.cell(row=4, column=5).value = days(12)  # B ends later
    ws.append(["C", "调试", "是", days(13), days(13), 1, "B"])
    out = BytesIO()
    ws.parent.save(out)
    assert schedule_import(actor=cw.pm, project=site_project, data=out.getvalue()) == 3
    rows = {t.code: t for t in ScheduleTask.objects.filter(project=site_project)}
    assert rows["B"].planned_end == days(12) and rows["C"].is_milestone
    assert [p.code for p in rows["C"].predecessors.all()] == ["B"]
    ws.append(["D", "", "否", "不是日期", days(1), -1, "X"])
    bad = BytesIO()
    ws.parent.save(bad)
    before = list(ScheduleTask.objects.values_list("code", "planned_start", "planned_end"))
    with pytest.raises(DomainError) as err:
        schedule_import(actor=cw.pm, project=site_project, data=bad.getvalue())
    assert "第6行“工作名称”：不能为空" in err.value.message and "第6行“计划开始”：不是日期" in err.value.message
    assert list(ScheduleTask.objects.values_list("code", "planned_start", "planned_end")) == before


def test_meeting_action_items_sit_on_the_owners_workbench_until_done(cw: Any, site_project: Any) -> None:
    m = meetings.meeting_record(
        actor=cw.pm, project=site_project, kind="regular", held_on=days(0), agenda="进度", attendees="李明、马超", minutes="通报进度",
        actions=[{"text": "提交深化设计", "owner": cw.contractor, "due_on": days(3)}],
    )  # fmt: skip
    assert [(i.kind, i.due) for i in work_items_for(cw.contractor) if i.kind == "督办事项"] == [("督办事项", days(3))]
    with pytest.raises(DomainError):
        meetings.meeting_record(
            actor=cw.pm, project=site_project, kind="regular", held_on=days(0), agenda="进度", attendees="某某", minutes="纪要",
            actions=[{"text": "外单位人员", "owner": cw.stranger, "due_on": days(3)}],
        )  # fmt: skip
    item = m.actions.get()
    with pytest.raises(PermissionDenied):
        meetings.action_done(actor=cw.supervisor, item=item, note="代办")
    meetings.action_done(actor=cw.contractor, item=item, note="已提交")
    assert not [i for i in work_items_for(cw.contractor) if i.kind == "督办事项"]


def test_supervision_refused_outside_the_construction_stages(cw: Any, make_project: Any) -> None:
    early = make_project(name="尚在立项的项目")
    with pytest.raises(DomainError) as err:
        schedule.task_create(actor=cw.pm, project=early, code="T1", name="拆除", planned_start=days(0), planned_end=days(3))
    assert err.value.code == "construction.stage" and "“计划”阶段" in err.value.message
    assert not ScheduleTask.objects.exists()


def test_the_party_on_site_is_the_party_of_the_signed_contract(cw: Any, site_project: Any, one_task: Any) -> None:
    """Given the main construction contract with 马超's company and the supervision contract with 杨帆's: a
    report by another company is refused naming the contract and its supplier, and changes nothing; once a
    later main contract is signed with that company, it is the contractor and the former one is refused."""
    from govworks.construction.models import DailyReport
    from govworks.construction.permissions import ContractPartyRefused, construction_projects_visible_to
    from govworks.construction.services.site_reports import daily_report_submit
    from govworks.construction.tests.conftest import sign_contract, supplier_of
    from govworks.core.models import AuditEvent
    from govworks.procurement.models import Contract

    main = Contract.objects.get(project=site_project, is_main_construction=True)

    def snapshot() -> tuple[int, int, int]:
        return ProgressReport.objects.count(), DailyReport.objects.count(), AuditEvent.objects.count()

    before = snapshot()
    with pytest.raises(ContractPartyRefused) as err:
        schedule.progress_report(actor=cw.supervisor, task=one_task, as_of=days(0), percent=Decimal(10))
    assert err.value.code == "construction.not_contract_party"
    assert err.value.message == (
        f"形象进度须由本项目施工单位填报：本项目施工单位为已签订的主体施工合同{main}的乙方“临江建工集团有限公司”，"
        "“浙临工程监理咨询有限公司”不是该合同的当事方"
    )
    with pytest.raises(ContractPartyRefused) as err:
        daily_report_submit(
            actor=cw.stranger, project=site_project, report_date=days(0), weather="sunny", work_done="冒名填报内容", manpower={}
        )
    assert "“外地建设有限公司”不是该合同的当事方" in err.value.message and str(main) in err.value.message
    assert "监理合同" in err.value.message
    assert snapshot() == before
    assert site_project not in construction_projects_visible_to(cw.stranger)

    # a later main construction contract with 外地建设: the site's contractor follows the contracts
    sign_contract(
        cw, site_project, supplier_of(cw, cw.stranger_org, category="general_contracting"), title="续建施工合同", main=True
    )
    task = ScheduleTask.objects.select_related("project").get(pk=one_task.pk)  # as the next request reads it
    assert schedule.progress_report(actor=cw.stranger, task=task, as_of=days(0), percent=Decimal(10)).reported_by == cw.stranger
    assert site_project in construction_projects_visible_to(cw.stranger)
    with pytest.raises(ContractPartyRefused) as err:
        schedule.progress_report(actor=cw.contractor, task=task, as_of=days(0), percent=Decimal(20))
    assert "“外地建设有限公司”" in err.value.message and "“临江建工集团有限公司”不是该合同的当事方" in err.value.message


def test_a_project_without_a_signed_main_contract_has_no_contractor(cw: Any, make_project: Any) -> None:
    from govworks.construction.permissions import ContractPartyRefused
    from govworks.construction.services.schedule import task_create
    from govworks.projects.services.projects import project_import_at_stage

    project = project_import_at_stage(
        actor=cw.pm, project=make_project(name="礼堂屋面修缮"), stage="construction", note="前期手续已线下办理：临机事〔2025〕9号"
    )
    task = task_create(actor=cw.pm, project=project, code="T1", name="屋面", planned_start=days(-3), planned_end=days(3))
    with pytest.raises(ContractPartyRefused) as err:
        schedule.progress_report(actor=cw.contractor, task=task, as_of=days(0), percent=Decimal(10))
    assert err.value.message == (
        "形象进度须由本项目施工单位填报：本项目尚无已签订的主体施工合同，“临江建工集团有限公司”不是本项目的施工单位"
    )


def test_site_page_names_the_contract_parties_and_the_site_form_picks_no_company(client: Any, cw: Any, site_project: Any) -> None:
    from django.urls import reverse

    from govworks.procurement.models import Contract

    main = Contract.objects.get(project=site_project, is_main_construction=True)
    supervision = Contract.objects.get(project=site_project, is_main_construction=False)
    client.force_login(cw.pm)
    page = client.get(reverse("construction:project_tab", args=[site_project.pk, "schedule"])).content.decode()
    assert f"施工单位：临江建工集团有限公司（{main.number}）" in page
    assert f"监理单位：浙临工程监理咨询有限公司（{supervision.number}）" in page
    form = client.get(reverse("construction:site_edit", args=[site_project.pk])).content.decode()
    assert 'name="contractor_org"' not in form and 'name="supervisor_org"' not in form
