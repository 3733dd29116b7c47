"""The acceptance demo runs through the services on top of the organisation, project and procurement demos: one
project accepted and awaiting its 备案, one past 竣工验收 in its defect period with a defect reported."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_demo_acceptance() -> None:
    from govworks.closeout.demo_acceptance import ACCEPTING, IN_DEFECT_PERIOD, seed_acceptance
    from govworks.closeout.models import Acceptance, DefectPeriod, DefectReport
    from govworks.core.rule_parameters import rule_parameters_seed
    from govworks.org.demo import seed_organisation
    from govworks.procurement.demo import seed_contracts, seed_lots, seed_suppliers
    from govworks.projects.demo import seed_projects
    from govworks.projects.models import Project
    from govworks.projects.services.projects import gate_conditions

    rule_parameters_seed()
    seed_organisation()
    seed_projects()
    seed_suppliers()
    seed_lots()
    seed_contracts()
    summary = seed_acceptance()
    accepting = Project.objects.get(name=ACCEPTING)
    a = Acceptance.objects.get(project=accepting)
    assert a.status == "passed" and a.filed_on is None and a.report is not None, summary
    assert {c.code for c in gate_conditions(accepting) if not c.ok} == {"acceptance.filed", "doc:acceptance_filing"}
    kindergarten = Project.objects.get(name=IN_DEFECT_PERIOD)
    assert kindergarten.stage == "settlement"
    assert [c for c in gate_conditions(kindergarten, stage="acceptance") if not c.ok] == []
    assert DefectPeriod.objects.get(project=kindergarten).status == "running"
    assert DefectReport.objects.filter(period__project=kindergarten, notice__status="open").count() == 1
    assert seed_acceptance() == "已存在，跳过"
