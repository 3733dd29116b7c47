"""The demo seeder runs through the services on top of the organisation, project and procurement demos
and leaves a green, a yellow and a red project with history, flagged photos and open, overdue and
closed rectification notices."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.django_db
def test_demo_construction(settings: Any) -> None:
    from govworks.construction.demo import FRESH, GREEN, RED, YELLOW, seed_construction
    from govworks.construction.models import Interview, LightEvaluation, ProjectSite, RectificationNotice, SitePhoto
    from govworks.construction.selectors.freezes import active_payment_freeze
    from govworks.core.rule_parameters import rule_parameters_seed
    from govworks.org.demo import seed_organisation
    from govworks.projects.demo import seed_projects

    rule_parameters_seed()
    seed_organisation()
    seed_projects()
    summary = seed_construction()
    lights = {s.project.name: s.light for s in ProjectSite.objects.select_related("project")}
    assert {GREEN: "green", YELLOW: "yellow", RED: "red", FRESH: "green"}.items() <= lights.items(), summary
    red = ProjectSite.objects.get(project__name=RED).project
    assert active_payment_freeze(red.pk) is not None
    assert Interview.objects.get(project=red).status == "open"
    assert list(LightEvaluation.objects.filter(project=red).order_by("evaluated_on").values_list("light", flat=True)) == [
        "green",
        "yellow",
        "red",
    ]
    assert SitePhoto.objects.filter(report__project=red, flagged=True).count() == 2
    statuses = sorted(RectificationNotice.objects.filter(project=red).values_list("status", flat=True))
    assert statuses == ["closed", "open", "open", "replied"]
    assert RectificationNotice.objects.filter(project=red, escalated_to__isnull=False, status="open").count() == 1
    assert seed_construction() == "已存在，跳过"
