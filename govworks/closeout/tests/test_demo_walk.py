"""The close-out demo walk: one project goes from 施工 to 关闭 through the services, each stage left through its
gate by the people of each role (issue 13, the demo reaches 关闭)."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_demo_walk_reaches_closed_through_every_gate() -> None:
    from govworks.closeout.demo_settlement import seed_settlement_demo
    from govworks.closeout.demo_walk import WALKED, seed_walk
    from govworks.closeout.models import Acceptance, ArchiveTransfer, AssetHandover, Evaluation, ReviewReport, Settlement
    from govworks.closeout.selectors import evaluation as evaluation_selectors
    from govworks.core.rule_parameters import rule_parameters_seed
    from govworks.org.demo import seed_organisation
    from govworks.procurement.demo import seed_contracts, seed_lots, seed_suppliers
    from govworks.projects.demo import seed_projects
    from govworks.projects.models import Project, StageTransition
    from govworks.projects.services.projects import gate_conditions

    rule_parameters_seed()
    seed_organisation()
    seed_projects()
    seed_suppliers()
    seed_lots()
    seed_contracts()
    seed_settlement_demo()  # the register of audit firms
    summary = seed_walk()
    project = Project.objects.get(name=WALKED)
    assert project.stage == "closed", summary
    moves = list(StageTransition.objects.filter(project=project, skipped=False).order_by("id").values_list("to_stage", flat=True))
    assert moves[-7:] == [
        "acceptance", "settlement", "final_accounts", "archiving", "asset_handover", "evaluation", "closed",
    ]  # fmt: skip
    assert not StageTransition.objects.filter(project=project, skipped=True, from_stage__in=moves).exists()
    for stage in ("construction", "acceptance", "settlement", "final_accounts", "archiving", "asset_handover", "evaluation"):
        assert [c.label for c in gate_conditions(project, stage=stage) if not c.ok] == [], stage
    a = Acceptance.objects.get(project=project)
    assert a.status == "passed" and a.filed_on and a.supervision_notified_on and a.supervision_body
    assert Settlement.objects.filter(contract__project=project, status="approved").exists()
    assert ArchiveTransfer.objects.filter(project=project).exists()
    assert AssetHandover.objects.get(project=project).status == "confirmed"
    assert Evaluation.objects.get(project=project).status == "approved"
    assert ReviewReport.objects.filter(project=project).exists()
    assert all(c.ok for c in evaluation_selectors.closeout_summary(project).conditions)
    assert seed_walk() == "已存在，跳过"
