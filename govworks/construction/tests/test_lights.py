"""Red → payment freeze → interview on the leader's workbench → recovery plan + release lifts it; the
daily job; a major incident; refusals change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from govworks.construction.models import Interview, LightEvaluation, PaymentFreeze, ProjectSite, RecoveryPlan
from govworks.construction.selectors.freezes import active_payment_freeze
from govworks.construction.services import lights
from govworks.construction.tests.conftest import confirm_progress, days
from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent
from govworks.core.registry import work_items_for

pytestmark = pytest.mark.django_db


def hold_interview(cw: Any, project: Any) -> Interview:
    """The leader records the open interview of the project's active freeze as held."""
    return lights.interview_hold(
        actor=cw.leader,
        interview=Interview.objects.get(project=project, status="open"),
        held_on=days(0),
        interviewees="施工单位项目经理马超",
        minutes="要求一周内增加两个作业班组，每日报送进度。",
    )


def state(project: Any) -> tuple[Any, ...]:
    site = ProjectSite.objects.get(project=project)
    return (
        site.light,
        list(PaymentFreeze.objects.filter(project=project).values_list("id", "released_at")),
        list(Interview.objects.filter(project=project).values_list("id", "status")),
        RecoveryPlan.objects.filter(project=project).count(),
        AuditEvent.objects.count(),
    )


def test_31_points_behind_turns_red_freezes_and_opens_the_interview(cw: Any, site_project: Any, one_task: Any) -> None:
    """Given a task planned 100% by today, when 69% is confirmed (31 points behind): red, frozen, 约谈."""
    confirm_progress(cw, one_task, "69")
    site = ProjectSite.objects.get(project=site_project)
    assert (site.light, site.planned_progress, site.actual_progress) == ("red", Decimal("100.00"), Decimal("69.00"))
    freeze = active_payment_freeze(site_project.pk)
    assert freeze is not None and freeze.cause == "red_light"
    assert "进度滞后31.00个百分点，达到红灯标准30个百分点（“红灯：进度滞后百分点”）" in freeze.reason
    interview = Interview.objects.get(project=site_project)
    assert (interview.leader, interview.status, interview.due_on) == (cw.leader, "open", days(lights.INTERVIEW_DUE_DAYS))
    items = [i for i in work_items_for(cw.leader) if i.kind == "约谈"]
    assert [i.title for i in items] == [f"红灯约谈：{site_project}"]
    for owner in (cw.pm, cw.head):  # the project manager and the 科室负责人 are alerted to the red light
        assert [i.title for i in work_items_for(owner) if i.kind == "暂停拨款"] == [
            f"红灯暂停拨款，请提交赶工计划：{site_project}"
        ]
    actions = set(AuditEvent.objects.filter(context_id=str(site_project.pk)).values_list("action", flat=True))
    assert {"construction.freeze.impose", "construction.interview.open", "construction.light.change"} <= actions


def test_30_points_is_red_and_29_99_is_yellow(cw: Any, site_project: Any, one_task: Any) -> None:
    confirm_progress(cw, one_task, "70.01")
    assert ProjectSite.objects.get(project=site_project).light == "yellow"
    assert active_payment_freeze(site_project.pk) is None
    confirm_progress(cw, one_task, "70.01")  # same value again: nothing changes
    assert LightEvaluation.objects.filter(project=site_project).count() == 1


def test_recovery_plan_and_release_lift_the_freeze_and_turn_it_back(cw: Any, site_project: Any, one_task: Any) -> None:
    confirm_progress(cw, one_task, "60")
    freeze = active_payment_freeze(site_project.pk)
    assert freeze is not None
    interview = Interview.objects.get(project=site_project)
    lights.interview_hold(
        actor=cw.leader,
        interview=interview,
        held_on=days(0),
        interviewees="施工单位项目经理马超",
        minutes="要求一周内增加两个作业班组，每日报送进度。",
    )
    before = state(site_project)
    with pytest.raises(DomainError) as err:
        lights.freeze_release(actor=cw.leader, freeze=freeze, reason="已约谈责任人")
    assert err.value.code == "construction.release_no_plan"
    assert state(site_project) == before
    plan = lights.recovery_plan_submit(
        actor=cw.pm, project=site_project, measures="增加两个班组，夜间加班，周末不休", target_on=days(14)
    )
    assert [i.kind for i in work_items_for(cw.leader) if i.kind == "暂停拨款"] == ["暂停拨款"]
    lights.freeze_release(actor=cw.leader, freeze=freeze, reason="已约谈并审定赶工计划，同意恢复拨款")
    assert active_payment_freeze(site_project.pk) is None
    site = ProjectSite.objects.get(project=site_project)
    assert site.light == "yellow"
    assert site.light_reason.startswith(f"赶工计划执行中（{plan.target_on:%Y-%m-%d}前追回）")
    assert [e.light for e in LightEvaluation.objects.filter(project=site_project).order_by("id")] == ["red", "yellow"]
    assert not [i for i in work_items_for(cw.leader) if i.kind in ("约谈", "暂停拨款")]


def test_release_refusals_change_nothing(cw: Any, site_project: Any, one_task: Any) -> None:
    confirm_progress(cw, one_task, "50")
    freeze = active_payment_freeze(site_project.pk)
    assert freeze is not None
    before = state(site_project)
    with pytest.raises(PermissionDenied):
        lights.freeze_release(actor=cw.pm, freeze=freeze, reason="项目负责人自行解除")
    with pytest.raises(PermissionDenied):
        lights.recovery_plan_submit(
            actor=cw.contractor, project=site_project, measures="增加两个班组并加班加点赶工", target_on=days(5)
        )
    with pytest.raises(DomainError) as err:
        lights.recovery_plan_submit(actor=cw.pm, project=site_project, measures="增加两个班组并加班加点赶工", target_on=days(0))
    assert err.value.code == "construction.recovery_target"
    with pytest.raises(PermissionDenied):
        lights.interview_hold(
            actor=cw.pm,
            interview=Interview.objects.get(),
            held_on=days(0),
            interviewees="某某",
            minutes="约谈记录约谈记录约谈记录",
        )
    assert state(site_project) == before


def test_major_incident_turns_red_at_once(cw: Any, site_project: Any, one_task: Any) -> None:
    from govworks.construction.services.incidents import incident_register

    confirm_progress(cw, one_task, "100")
    assert ProjectSite.objects.get(project=site_project).light == "green"
    incident_register(
        actor=cw.pm,
        project=site_project,
        occurred_on=days(0),
        severity="minor",
        description="手部划伤",
        cause="未戴手套",
        measures="包扎",
    )
    assert ProjectSite.objects.get(project=site_project).light == "green"
    incident_register(
        actor=cw.pm, project=site_project, occurred_on=days(0), severity="larger", injuries=3, description="脚手架局部坍塌",
        cause="连墙件缺失", measures="停工整顿",
    )  # fmt: skip
    site = ProjectSite.objects.get(project=site_project)
    assert site.light == "red" and site.light_reason.startswith("发生较大及以上安全事故")
    assert active_payment_freeze(site_project.pk).cause == "major_incident"  # type: ignore[union-attr]


def test_daily_job_evaluates_every_project_and_turns_new_reds(cw: Any, site_project: Any, make_project: Any) -> None:
    """Given one green project and one whose milestone is 15 days overdue: the daily run records both."""
    from govworks.construction.services.schedule import task_create
    from govworks.projects.services.projects import project_import_at_stage

    other = project_import_at_stage(
        actor=cw.pm, project=make_project(name="礼堂屋面修缮"), stage="construction", note="前期手续已线下办理：临机事〔2025〕9号"
    )
    task_create(
        actor=cw.pm, project=other, code="M1", name="屋面完工", planned_start=days(-15), planned_end=days(-15), is_milestone=True
    )
    task_create(actor=cw.pm, project=site_project, code="T1", name="准备", planned_start=days(1), planned_end=days(10))
    summary = lights.lights_evaluate_all(days(0))
    assert summary == "评价 2 个在建项目：绿灯 1，黄灯 0，红灯 1（新红灯 1）"
    assert ProjectSite.objects.get(project=other).light == "red"
    assert "里程碑节点逾期15天，达到红灯标准15天（“红灯：节点逾期天数”）" in active_payment_freeze(other.pk).reason  # type: ignore[union-attr]
    assert ProjectSite.objects.get(project=site_project).light == "green"
    again = lights.lights_evaluate_all(days(0))
    assert again.endswith("（新红灯 0）")
    assert PaymentFreeze.objects.filter(project=other).count() == 1


def test_manual_freeze_keeps_the_light_red_until_released(cw: Any, site_project: Any, one_task: Any) -> None:
    confirm_progress(cw, one_task, "100")
    freeze = lights.freeze_impose_manual(actor=cw.leader, project=site_project, reason="审计发现计量不实")
    lights.project_light_evaluate(project=site_project, trigger="测试")
    assert ProjectSite.objects.get(project=site_project).light == "red"
    with pytest.raises(DomainError):
        lights.freeze_impose_manual(actor=cw.leader, project=site_project, reason="重复冻结")
    # the same one path as a red light: recovery plan, interview held, release
    lights.recovery_plan_submit(actor=cw.pm, project=site_project, measures="核减不实计量并重新报审", target_on=days(7))
    hold_interview(cw, site_project)
    lights.freeze_release(actor=cw.leader, freeze=freeze, reason="计量已核减")
    assert ProjectSite.objects.get(project=site_project).light == "green"


def test_gate_of_construction(cw: Any, site_project: Any, one_task: Any) -> None:
    from govworks.construction.gates import construction_gate

    confirm_progress(cw, one_task, "60")
    gate = {c.code: c.ok for c in construction_gate(site_project)}
    assert gate == {"construction.tasks_done": False, "construction.no_open_notice": True, "construction.no_freeze": False}
    lights.recovery_plan_submit(actor=cw.pm, project=site_project, measures="增加班组夜间施工确保进度", target_on=days(7))
    hold_interview(cw, site_project)
    lights.freeze_release(actor=cw.leader, freeze=active_payment_freeze(site_project.pk), reason="同意恢复拨款")  # type: ignore[arg-type]
    confirm_progress(cw, one_task, "100")
    assert all(c.ok for c in construction_gate(site_project))
    _ = dt


def test_release_needs_the_held_interview_and_names_the_one_path(cw: Any, site_project: Any, one_task: Any) -> None:
    """Given a red freeze with its recovery plan submitted but the interview not held: the release is
    refused naming the path with each step's state, and changes nothing; once held, it is released."""
    confirm_progress(cw, one_task, "60")
    freeze = active_payment_freeze(site_project.pk)
    assert freeze is not None
    lights.recovery_plan_submit(
        actor=cw.pm, project=site_project, measures="增加两个班组，夜间加班，周末不休", target_on=days(14)
    )
    before = state(site_project)
    with pytest.raises(DomainError) as err:
        lights.freeze_release(actor=cw.leader, freeze=freeze, reason="同意恢复拨款")
    assert err.value.code == "construction.release_no_interview"
    assert err.value.message == (
        "尚未约谈责任人，不能解除暂停拨款。解除须依次完成“提交赶工计划 → 约谈责任人 → 分管领导或主要领导解除暂停拨款”："
        f"1. 提交赶工计划（李四已提交，{days(14):%Y-%m-%d}前追回进度）；"
        f"2. 约谈责任人（待约谈（{cw.leader.display_name}，{days(5):%Y-%m-%d}前））；"
        "3. 分管领导或主要领导解除暂停拨款（未解除）"
    ).replace("李四", cw.pm.display_name)
    assert "集体决策" not in err.value.message
    assert state(site_project) == before
    hold_interview(cw, site_project)
    lights.freeze_release(actor=cw.leader, freeze=freeze, reason="已约谈并审定赶工计划")
    assert active_payment_freeze(site_project.pk) is None


def test_manual_freeze_opens_the_interview_of_the_same_path(cw: Any, site_project: Any) -> None:
    freeze = lights.freeze_impose_manual(actor=cw.leader, project=site_project, reason="审计发现计量不实")
    interview = Interview.objects.get(freeze=freeze)
    assert (interview.status, interview.leader) == ("open", cw.leader)
    before = state(site_project)
    with pytest.raises(DomainError) as err:
        lights.freeze_release(actor=cw.leader, freeze=freeze, reason="计量已核减")
    assert err.value.code == "construction.release_no_plan"
    assert "1. 提交赶工计划（未提交）" in err.value.message
    assert state(site_project) == before
