"""The archive register (档案台账): one :class:`ArchiveRegisterEntry` per project from 竣工验收 on with the dates the
archive list sorts on (the day the project left 竣工验收, the day its archive was transferred), so the list at
province scale reads its page from an index instead of computing every project's completion date.

The rows follow the records they copy, by explicit calls (no signals): :func:`register_sync` is called by the
stage listener ``registrations_archives`` registers with ``projects.stage_listeners`` (every service that changes a
project's stage calls it inside its transaction: entering 竣工验收 or a later stage, by advance or historical import)
and by ``services.archives.archive_transfer_record`` (the only write of an :class:`ArchiveTransfer`); any future
service that changes or deletes a transfer must call it too. :func:`register_backfill` rebuilds every row (the
migration, and bulk loads that bypass the services, e.g. the benchmark fixture). Both derive the dates from the records alone, so running them again
changes nothing."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from govworks.closeout.models import ArchiveRegisterEntry, ArchiveTransfer
from govworks.closeout.selectors.archives import ARCHIVE_STAGES
from govworks.closeout.selectors.milestones import AFTER_ACCEPTANCE
from govworks.projects.models import Project, StageTransition

#: the stages whose projects have a row (the archive list's stages)
REGISTER_STAGES: tuple[str, ...] = ARCHIVE_STAGES


def _rows(project_ids: Iterable[int] | None) -> list[ArchiveRegisterEntry]:
    projects = Project.objects.filter(stage__in=REGISTER_STAGES)
    if project_ids is not None:
        projects = projects.filter(pk__in=list(project_ids))
    ids = list(projects.values_list("pk", flat=True))
    left = dict(
        StageTransition.objects.filter(project_id__in=ids, to_stage__in=AFTER_ACCEPTANCE)
        .order_by()
        .values("project_id")
        .annotate(first=Min("at"))
        .values_list("project_id", "first")
    )
    transferred = dict(ArchiveTransfer.objects.filter(project_id__in=ids).values_list("project_id", "transferred_on"))
    return [
        ArchiveRegisterEntry(
            project_id=pk,
            completed_on=timezone.localdate(left[pk]) if left.get(pk) else None,
            transferred_on=transferred.get(pk),
        )
        for pk in ids
    ]


@transaction.atomic
def register_sync(project_ids: Iterable[int]) -> None:
    """Bring the register rows of ``project_ids`` in line with their records: a row for each of them in a
    close-out stage (dates recomputed), none for the others. Three queries and one write whatever the number."""
    ids = list(project_ids)
    rows = _rows(ids)
    ArchiveRegisterEntry.objects.filter(project_id__in=ids).exclude(project_id__in=[r.project_id for r in rows]).delete()
    ArchiveRegisterEntry.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["project"], update_fields=["completed_on", "transferred_on"]
    )


@transaction.atomic
def register_backfill() -> int:
    """Rebuild the whole register from the records (after a bulk load); returns the number of rows."""
    rows = _rows(None)
    ArchiveRegisterEntry.objects.all().delete()
    ArchiveRegisterEntry.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
