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
    from govworks.procurement.demo import seed_contracts, seed_lots, seed_suppliers
    from govworks.projects.demo import seed_projects

    rule_parameters_seed()
    seed_organisation()
    seed_projects()
    seed_suppliers()
    seed_lots()
    seed_contracts()
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
    assert_parties_are_the_contracts_parties()


def assert_parties_are_the_contracts_parties() -> None:
    """Every progress report, confirmation and daily-report entry by a company's person on a demo project
    is by the supplier of the project's signed contract: the main construction contract for progress, the
    supervision contract for confirmations."""
    from govworks.construction.models import DailyReportEntry, ProgressReport
    from govworks.construction.selectors.parties import site_parties

    checked = 0
    for r in ProgressReport.objects.select_related("project", "reported_by", "confirmed_by"):
        parties = site_parties(r.project)
        assert parties.contractor is not None, f"{r.project} has no signed main construction contract"
        if r.reported_by.external_org_id is not None:
            assert r.reported_by.external_org_id == parties.contractor_org_id, (r.project.code, r.reported_by)
            checked += 1
        if r.confirmed_by is not None and r.confirmed_by.external_org_id is not None:
            assert r.confirmed_by.external_org_id == parties.supervisor_org_id, (r.project.code, r.confirmed_by)
    for e in DailyReportEntry.objects.select_related("report__project", "author"):
        if e.author.external_org_id is not None:
            parties = site_parties(e.report.project)
            assert e.author.external_org_id in (parties.contractor_org_id, parties.supervisor_org_id)
    assert checked >= 19


@pytest.mark.django_db
def test_progress_on_the_main_contract_project_is_reported_by_its_supplier(settings: Any) -> None:
    """The demo project whose main construction contract the procurement demo signs (档案库房消防系统改造):
    its progress is reported by that contract's supplier's people (it was another company before)."""
    from govworks.construction.demo import GREEN, seed_construction
    from govworks.construction.models import ProgressReport
    from govworks.construction.selectors.parties import site_parties
    from govworks.core.rule_parameters import rule_parameters_seed
    from govworks.org.demo import seed_organisation
    from govworks.procurement.demo import seed_contracts, seed_lots, seed_suppliers
    from govworks.procurement.models import Contract
    from govworks.projects.demo import seed_projects

    rule_parameters_seed()
    seed_organisation()
    seed_projects()
    seed_suppliers()
    seed_lots()
    seed_contracts()
    seed_construction()
    main = Contract.objects.get(project__name=GREEN, is_main_construction=True, status="signed")
    parties = site_parties(main.project)
    assert parties.contractor == main and parties.supervisor is not None
    reporters = set(ProgressReport.objects.filter(project=main.project).values_list("reported_by__external_org_id", flat=True))
    assert reporters == {main.supplier.external_org_id} and None not in reporters
    assert_parties_are_the_contracts_parties()
