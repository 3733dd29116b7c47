"""The demo could have been reached by people (issue 11, item 9): every stage a demo project has passed
through the gates still has its conditions met, stages brought in by 历史项目录入 are shown as done
offline (never as passed through the gates), and a tendered lot with a signed contract has its tender."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _passed_through_gates(project: Any) -> list[tuple[str, Any]]:
    """(stage, transition) for every stage ``project`` left through ``project_advance``: not the creation,
    not a stage skipped by a recorded rule, not a 历史项目录入, not a suspension or its resumption."""
    from govworks.projects.models import Stage
    from govworks.projects.rules import STAGE_ORDER
    from govworks.projects.services.projects import IMPORT_NOTE_PREFIX

    out = []
    for t in project.transitions.order_by("id"):
        if not t.from_stage or t.from_stage not in STAGE_ORDER or t.to_stage == Stage.SUSPENDED:
            continue
        if t.skipped:
            assert t.rule, f"{project.code} 跳过“{t.to_stage}”却没有记录依据"
            continue
        if t.note.startswith(IMPORT_NOTE_PREFIX):
            continue
        out.append((t.from_stage, t))
    return out


def test_demo_every_passed_stage_has_its_conditions_met_and_every_tendered_contract_its_tender(client: Any) -> None:
    from govworks.org.models import User
    from govworks.procurement.models import Contract, ProcurementLot, Tender
    from govworks.procurement.selectors.tenders import TENDER_METHODS
    from govworks.projects.models import Project, Stage
    from govworks.projects.services.projects import IMPORT_NOTE_PREFIX, gate_conditions

    # given: the demo, loaded as ./run loads it
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    # when: every stage each demo project left through its gate is evaluated again
    unmet: list[str] = []
    checked = 0
    for project in Project.objects.select_related("agency").order_by("id"):
        for stage, _t in _passed_through_gates(project):
            checked += 1
            for c in gate_conditions(project, stage=stage):
                if not c.ok:
                    unmet.append(f"{project.code} {project.name}“{Stage(stage).label}”：{c.label}（{c.detail}）")

    # then: every condition of every passed stage holds, and the walked projects were really checked
    assert unmet == []
    assert checked >= 4  # 计划 and 立项 of the big project, 计划 of the canteen and of the outside-plan project
    imported = Project.objects.filter(transitions__note__startswith=IMPORT_NOTE_PREFIX).distinct().count()
    assert imported >= 4  # the historical projects are there, and accepted only as 历史项目录入

    # and: a lot bought by 公开招标/邀请招标 that has a signed contract has an awarded tender
    tendered = ProcurementLot.objects.filter(method__in=TENDER_METHODS, contracts__status=Contract.Status.SIGNED).distinct()
    without_tender = [
        f"{lot.project.code} {lot.name}（{lot.get_method_display()}）"
        for lot in tendered.select_related("project")
        if not Tender.objects.filter(lot=lot, status=Tender.Status.AWARDED).exists()
    ]
    assert without_tender == []
    assert Contract.objects.filter(status=Contract.Status.SIGNED).count() >= 5

    # and: the project page shows the stages of a 历史项目录入 as done offline, not as passed
    User.objects.update(must_change_password=False)
    client.force_login(User.objects.get(username="liming"))
    archive = Project.objects.get(name="档案库房消防系统改造")
    assert archive.stage == Stage.CONSTRUCTION
    page = client.get(f"/projects/{archive.pk}/").content.decode()
    assert page.count('data-testid="stage-offline"') == 6  # 立项 可研 初设概算 施工图审查 招标采购 合同签订
    assert 'data-testid="stage-passed"' not in page
    assert "线下办理（历史项目录入）" in page
