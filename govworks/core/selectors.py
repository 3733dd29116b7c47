"""Reads of the kernel: audit events and export jobs, always scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from govworks.core.access import access_policy
from govworks.core.audit_labels import ChangeLine, audit_action_label, audit_change_lines, audit_object_type_label
from govworks.core.models import AuditArchive, AuditCheckpoint, AuditEvent, ExportJob

AUDIT_VIEW = "core.view_audit_log"
#: archive and prune the audit log (the 安全审计员 of a top agency: the chain spans every agency)
AUDIT_PRUNE = "core.prune_audit_log"


def audit_events_visible_to(*, user: Any) -> QuerySet[AuditEvent]:
    """Events of the agencies where the user is 安全审计员, and their subordinates. Auditors of a top
    agency also see events that belong to no agency (e.g. a failed sign-in with an unknown name)."""
    own = access_policy().agency_ids_where(user, AUDIT_VIEW)
    if not own:
        return AuditEvent.objects.none()
    agency_model = apps.get_model("org", "Agency")
    own_paths = list(agency_model.objects.filter(id__in=own).values_list("path", flat=True))
    subtree = Q()
    for path in own_paths:
        subtree |= Q(path__startswith=path)
    condition = Q(agency_id__in=agency_model.objects.filter(subtree).values("id"))
    if any(path.count("/") == 2 for path in own_paths):  # "/7/" is a top agency
        condition |= Q(agency__isnull=True)
    return AuditEvent.objects.filter(condition)


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    text: str = ""


def audit_event_search(*, user: Any, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """Visible events matching the filters, newest first."""
    qs = audit_events_visible_to(user=user)
    if filters.actor:
        qs = qs.filter(Q(actor__username=filters.actor) | Q(actor_name__contains=filters.actor))
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    tz = timezone.get_current_timezone()
    if filters.date_from:
        qs = qs.filter(occurred_at__gte=dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=tz))
    if filters.date_to:
        qs = qs.filter(occurred_at__lt=dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    if filters.text:
        qs = qs.filter(summary__contains=filters.text)
    return qs.order_by("-seq")


def audit_event_page(*, user: Any, filters: AuditFilter, before_seq: int | None, size: int = 50) -> list[AuditEvent]:
    """One page by keyset (``seq < before_seq``): constant cost however long the log grows."""
    qs = audit_event_search(user=user, filters=filters).select_related("agency")
    if before_seq is not None:
        qs = qs.filter(seq__lt=before_seq)
    return list(qs[: size + 1])


@dataclass(frozen=True)
class AuditRow:
    """One event as the log viewer shows it: the event, its action and object type in Chinese, the unit
    (“—” for events of no agency, such as an anonymous failed sign-in or the chain alarm) and the changes."""

    event: AuditEvent
    action_label: str
    object_label: str
    agency_label: str
    changes: list[ChangeLine]


def audit_rows(*, events: list[AuditEvent]) -> list[AuditRow]:
    """The events in words (no query: the agency is select_related by ``audit_event_page``)."""
    rows = []
    for e in events:
        agency = e.agency if e.agency_id else None
        rows.append(
            AuditRow(
                event=e,
                action_label=audit_action_label(e.action),
                object_label=audit_object_type_label(e.object_type) if e.object_type else "",
                agency_label=(agency.short_name or agency.name) if agency is not None else "—",
                changes=audit_change_lines(object_type=e.object_type, changes=e.changes),
            )
        )
    return rows


def duties_record_of(*, user: Any, limit: int = 10) -> list[AuditEvent]:
    """The person's own latest actions (履职记录), newest first."""
    return list(AuditEvent.objects.filter(actor=user).order_by("-seq")[:limit])


def duties_per_day_of(*, user: Any, days: int = 30) -> list[tuple[dt.date, int]]:
    """How many recorded actions the person did on each of the last ``days`` days (one query)."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=days - 1)
    tz = timezone.get_current_timezone()
    rows = (
        AuditEvent.objects.filter(actor=user, occurred_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz))
        .annotate(day=TruncDate("occurred_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("seq"))
    )
    counts = {r["day"]: r["n"] for r in rows}
    return [(start + dt.timedelta(days=i), counts.get(start + dt.timedelta(days=i), 0)) for i in range(days)]


def access_export_job(*, user: Any, pk: Any) -> ExportJob:
    """An export is visible to the person who asked for it only."""
    try:
        return ExportJob.objects.get(pk=pk, requested_by=user)
    except (ExportJob.DoesNotExist, ValueError):
        raise Http404("导出任务不存在") from None


def is_chain_auditor(*, user: Any, action: str = AUDIT_PRUNE) -> bool:
    """True for a 安全审计员 whose audit scope covers every agency of the deployment (the top of the tree; where
    there are several top agencies, an appointment in each): the chain's archives hold every agency's events, so
    only such an auditor archives, downloads and prunes them."""
    own = access_policy().agency_ids_where(user, action)
    if not own:
        return False
    agency_model = apps.get_model("org", "Agency")
    return not agency_model.objects.exclude(id__in=own).exists()


def may_read_checkpoints(*, user: Any) -> bool:
    """Any 安全审计员 may list and export the signed checkpoints (sequence numbers and hashes, no business data):
    every copy kept off the server makes a silent rewrite harder."""
    return access_policy().can_anywhere(user, AUDIT_VIEW)


def audit_checkpoints_for(*, user: Any) -> QuerySet[AuditCheckpoint]:
    """Every signed checkpoint, newest first, for a 安全审计员 (none for anyone else)."""
    if not may_read_checkpoints(user=user):
        return AuditCheckpoint.objects.none()
    return AuditCheckpoint.objects.order_by("-last_seq", "-id")


def audit_archives_for(*, user: Any) -> QuerySet[AuditArchive]:
    """The audit log's archives, newest first, for the 安全审计员 who covers every agency (none for anyone else)."""
    if not is_chain_auditor(user=user):
        return AuditArchive.objects.none()
    return AuditArchive.objects.select_related("created_by", "pruned_by").order_by("-last_seq")


def access_audit_archive(*, user: Any, pk: Any) -> AuditArchive:
    """One archive the user may handle; 404 for forbidden like missing."""
    archive = audit_archives_for(user=user).filter(pk=pk).first()
    if archive is None:
        raise Http404("没有该归档")
    return archive
