# ruff: noqa: F811  (fixtures imported from archives_fixtures are redefined as test arguments)
"""The archive register (档案台账): the dates the archive list sorts on, kept on one row per close-out project by the
writes that change them, and the list's order read from it (issue 13, province-scale close-out lists)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from govworks.closeout.models import ArchiveRegisterEntry
from govworks.closeout.selectors.archives import archive_list_visible_to
from govworks.closeout.services import archive_register
from govworks.closeout.services import archives as services
from govworks.closeout.tests.archives_fixtures import (  # noqa: F401  (fixtures)
    archiving,
    at_stage,
    aw,
    complete_archive,
    lifecycle,
    make_project,
    pdf,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _row(project: Any) -> tuple[Any, Any]:
    entry = ArchiveRegisterEntry.objects.get(project=project)
    return entry.completed_on, entry.transferred_on


def test_a_project_entering_close_out_gets_its_row_with_the_day_it_left_acceptance(aw: Any, at_stage: Any) -> None:
    # when: one project stands in 竣工验收, one was brought past it today, one is still being built
    accepting = at_stage("acceptance", name="验收中")
    settling = at_stage("settlement", name="结算中")
    building = at_stage("construction", name="施工中")
    # then
    assert _row(accepting) == (None, None)
    assert _row(settling) == (TODAY, None)
    assert not ArchiveRegisterEntry.objects.filter(project=building).exists()


def test_the_transfer_sets_the_transfer_date_on_the_row(aw: Any, archiving: Any) -> None:
    complete_archive(aw, archiving)
    assert _row(archiving) == (TODAY, None)
    # when
    services.archive_transfer_record(
        actor=aw.archivist,
        project=archiving,
        receiver="临江市城市建设档案馆",
        transferred_on=TODAY,
        receipt_number="LJCJ-2026-0032",
        receipt_file=pdf("receipt"),
    )
    # then
    assert _row(archiving) == (TODAY, TODAY)


def test_backfill_rebuilds_the_same_rows_from_the_records(aw: Any, at_stage: Any) -> None:
    projects = [at_stage(stage, name=f"项目{i}") for i, stage in enumerate(["acceptance", "settlement", "archiving"])]
    before = sorted(ArchiveRegisterEntry.objects.values_list("project_id", "completed_on", "transferred_on"))
    ArchiveRegisterEntry.objects.all().delete()
    # when
    n = archive_register.register_backfill()
    # then
    assert n == len(projects)
    assert sorted(ArchiveRegisterEntry.objects.values_list("project_id", "completed_on", "transferred_on")) == before


def test_the_list_shows_untransferred_projects_first_by_completion_date(client: Client, aw: Any, at_stage: Any) -> None:
    from govworks.projects.models import StageTransition

    late = at_stage("archiving", name="后竣工")
    early = at_stage("archiving", name="先竣工")
    accepting = at_stage("acceptance", name="未竣工")
    done = at_stage("archiving", name="已移交")
    complete_archive(aw, done)
    services.archive_transfer_record(
        actor=aw.archivist,
        project=done,
        receiver="临江市城市建设档案馆",
        transferred_on=TODAY,
        receipt_number="LJCJ-2026-0033",
        receipt_file=pdf("receipt"),
    )
    # given: 先竣工 left 竣工验收 forty days ago (the records say so; the register follows them)
    StageTransition.objects.filter(project=early).update(at=timezone.now() - dt.timedelta(days=40))
    archive_register.register_sync([early.pk])
    # when
    names = [p.name for p in archive_list_visible_to(user=aw.archivist)]
    # then: not yet completed first, then by completion date, the transferred last
    assert names == ["未竣工", "先竣工", "后竣工", "已移交"]
    assert accepting.pk and late.pk
    assert [p.name for p in archive_list_visible_to(user=aw.archivist, overdue_only=True)] == ["先竣工", "后竣工"]
    client.force_login(aw.archivist)
    page = client.get("/closeout/archives/").content.decode()
    assert page.index("先竣工") < page.index("后竣工") < page.index("已移交")
