"""Excel exports in the background with progress (导出). Modules register a kind: its headers and a row
generator that starts from what the requester may see. The worker writes the workbook through the shared writer (``core.xlsx``: no cell is a formula) in
openpyxl's write-only mode, so memory stays flat however many rows there are."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.core.models import ExportJob
from govworks.core.xlsx import sheet_append, workbook_new, workbook_save


@dataclass(frozen=True)
class ExportKind:
    """``rows(user, params)`` yields row tuples; ``count(user, params)`` gives the total for the progress bar."""

    key: str
    title: str
    headers: Sequence[str]
    rows: Callable[[Any, dict[str, Any]], Iterator[Sequence[Any]]]
    count: Callable[[Any, dict[str, Any]], int]
    allowed: Callable[[Any], bool]
    column_widths: Sequence[int] = ()


_kinds: dict[str, ExportKind] = {}


def register_export(kind: ExportKind) -> None:
    _kinds[kind.key] = kind


def export_kind(key: str) -> ExportKind:
    if key not in _kinds:
        raise DomainError("export.unknown", f"没有这种导出：{key}")
    return _kinds[key]


def export_job_request(*, actor: Any, kind: str, params: dict[str, Any]) -> ExportJob:
    """Queue an export for ``actor``. Refused when the actor may not use this export at all."""
    spec = export_kind(kind)
    if not spec.allowed(actor):
        raise DomainError("export.forbidden", f"您没有“{spec.title}”的导出权限")
    with transaction.atomic():
        job = ExportJob.objects.create(kind=kind, title=spec.title, params=params, requested_by=actor)
        audit_event_record(
            actor=actor,
            action="export.request",
            obj=job,
            agency=getattr(actor, "agency", None),
            summary=f"申请导出“{spec.title}”",
            changes={"params": {"before": None, "after": params}},
        )
        transaction.on_commit(lambda: export_job_run.enqueue(job.pk))
    return job


PROGRESS_EVERY = 500


@task()
def export_job_run(job_id: int) -> str:
    """Worker side: write the workbook row by row, saving progress every few hundred rows."""
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    spec = export_kind(job.kind)
    user = job.requested_by
    user_model = apps.get_model("org", "User")
    user = user_model.objects.select_related("agency").get(pk=user.pk)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, rows_total=spec.count(user, job.params))
    try:
        workbook = workbook_new(write_only=True)
        sheet = workbook.create_sheet(spec.title[:31])
        for index, width in enumerate(spec.column_widths):
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        from openpyxl.cell import WriteOnlyCell

        header = []
        for title in spec.headers:
            cell = WriteOnlyCell(sheet, value=title)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet_append(sheet, header)
        done = 0
        for row in spec.rows(user, job.params):
            sheet_append(sheet, row)
            done += 1
            if done % PROGRESS_EVERY == 0:
                ExportJob.objects.filter(pk=job.pk).update(rows_done=done)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "export.xlsx"
            workbook_save(workbook, path)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            with path.open("rb") as handle:
                job.file.save(f"{spec.title}-{stamp}.xlsx", File(handle), save=False)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.DONE, rows_done=done, file=job.file.name, finished_at=timezone.now()
        )
        return f"{done} rows"
    except Exception as exc:  # recorded for the requester, then re-raised for the worker log
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
