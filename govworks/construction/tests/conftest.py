"""Fixtures of the construction tests: the lifecycle world plus a contractor and a supervisor company
with one person each, the agency's liaison, and a project under construction with its site set up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from govworks.projects.tests.conftest import lifecycle, make_project  # noqa: F401  (fixtures)

SITE = (Decimal("30.245120"), Decimal("120.171230"))


@pytest.fixture
def cw(lifecycle: Any) -> Any:  # noqa: F811
    """lifecycle + supervisor company (杨帆), a second contractor person, the liaison 黄伟, another agency's
    construction contractor (not assigned)."""
    from govworks.org.roles import ExternalKind
    from govworks.org.tests.factories import ExternalOrganizationFactory, RoleGrantFactory, UserFactory

    w = lifecycle
    w.supervisor_org = ExternalOrganizationFactory(
        name="浙临工程监理咨询有限公司", kind=ExternalKind.SUPERVISOR, registered_by=w.city
    )
    w.supervisor = UserFactory(username="yangfan", full_name="杨帆", agency=None, external_org=w.supervisor_org)
    w.liaison = UserFactory(username="huangwei", full_name="黄伟", agency=w.city, department=w.construction)
    RoleGrantFactory(user=w.liaison, agency=w.city, role="liaison")
    w.stranger_org = ExternalOrganizationFactory(name="外地建设有限公司", kind=ExternalKind.CONTRACTOR, registered_by=w.city)
    w.stranger = UserFactory(username="stranger", full_name="外单位人员", agency=None, external_org=w.stranger_org)
    return w


@pytest.fixture
def site_project(cw: Any, make_project: Any) -> Any:  # noqa: F811
    """A city project in 施工, its site set up (contractor 马超's company, supervisor 杨帆's)."""
    from govworks.construction.services.schedule import site_configure
    from govworks.projects.services.projects import project_import_at_stage

    project = make_project(amount="1200000", name="档案库房消防系统改造")
    project = project_import_at_stage(
        actor=cw.pm, project=project, stage="construction", note="前期手续已线下办理：临机事〔2025〕8号批复"
    )
    site_configure(
        actor=cw.pm, project=project, latitude=SITE[0], longitude=SITE[1], radius_m=500,
        contractor_org=cw.contractor_org, supervisor_org=cw.supervisor_org, liaison=cw.liaison, leader=cw.leader,
    )  # fmt: skip
    return project


def days(n: int) -> dt.date:
    from django.utils import timezone

    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def one_task(cw: Any, site_project: Any) -> Any:
    """One task of weight 1 planned from 10 days ago to yesterday: its planned progress today is 100%."""
    from govworks.construction.services.schedule import task_create

    return task_create(
        actor=cw.pm,
        project=site_project,
        code="T1",
        name="管网拆改",
        planned_start=days(-10),
        planned_end=days(-1),
        weight=Decimal(1),
    )


def confirm_progress(cw: Any, task: Any, percent: str) -> Any:
    """The contractor reports ``percent`` and the supervisor confirms it (the light re-evaluates)."""
    from govworks.construction.services.schedule import progress_confirm, progress_report

    report = progress_report(actor=cw.contractor, task=task, as_of=days(0), percent=Decimal(percent))
    return progress_confirm(actor=cw.supervisor, report=report, opinion="核实无误")
