"""Kernel pages: the personal workbench, the audit log viewer, exports, health check."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from govworks.core.access import access_policy
from govworks.core.audit import audit_chain_verify
from govworks.core.audit_exports import audit_filter_from_params
from govworks.core.errors import DomainError
from govworks.core.exports import export_job_request
from govworks.core.forms import AuditFilterForm
from govworks.core.models import PeriodicJobRun
from govworks.core.registry import SEVERITY_BLOCKING, work_items_for
from govworks.core.rule_parameters import rule_value_memo
from govworks.core.selectors import (
    AUDIT_VIEW,
    AuditFilter,
    access_export_job,
    audit_event_page,
    audit_rows,
    duties_record_of,
)
from govworks.core.workbench import overdue_trend_chart, severity_label, stage_chart


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """我的工作台: pending actions from every module ranked by urgency (blocking first, then overdue, then by
    due date and severity), the overdue items of the people below that reached this person, the person's
    roles, two charts to act on (我的逾期趋势, 我的待办按阶段) and their record of duties."""
    user = request.user
    today = timezone.localdate()
    items = work_items_for(user, today)
    rows = [
        {
            "item": item,
            "overdue": item.is_overdue(today),
            "overdue_days": (today - item.due).days if item.due is not None and item.due < today else 0,
            "blocking": item.severity >= SEVERITY_BLOCKING,
            "severity": severity_label(item),
        }
        for item in items
    ]
    own = [r for r, item in zip(rows, items, strict=True) if not item.is_escalated]
    escalated = [r for r, item in zip(rows, items, strict=True) if item.is_escalated]
    own_items = [item for item in items if not item.is_escalated]
    grants = access_policy().role_labels(user)
    context = {
        "rows": own,
        "escalated": escalated,
        "items": own_items,
        "overdue": [i for i in own_items if i.is_overdue(today)],
        "today": today,
        "grants": grants,
        "recent": duties_record_of(user=user),
        "trend_chart": overdue_trend_chart(own_items, today),
        "stage_chart": stage_chart(own_items, today),
        # remembered while the rule-parameter stamp read with the user stays the same: no query per request
        "first_level_days": rule_value_memo(
            "escalation.first_level_working_days",
            agency=getattr(user, "agency", None),
            stamp=getattr(user, "gw_rules_stamp", None),
        )
        if getattr(user, "agency_id", None)
        else None,
    }
    return render(request, "core/home.html", context)


def _require_auditor(request: HttpRequest) -> None:
    if not access_policy().can_anywhere(request.user, AUDIT_VIEW):
        raise PermissionDenied("只有安全审计员可以查看审计日志")


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """The 安全审计员's log viewer: filters, keyset pages, Excel export."""
    _require_auditor(request)
    form = AuditFilterForm(request.GET or None)
    filters = AuditFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = AuditFilter(
            actor=data["actor"],
            action=data["action"],
            object_type=data["object_type"],
            object_id=data["object_id"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            text=data["text"],
        )
    before = request.GET.get("before")
    before_seq = int(before) if before and before.isdigit() else None
    page_size = 50
    rows = audit_event_page(user=request.user, filters=filters, before_seq=before_seq, size=page_size)
    has_more = len(rows) > page_size
    rows = rows[:page_size]
    query = request.GET.copy()
    query.pop("before", None)
    context = {
        "form": form,
        "events": audit_rows(events=rows),
        "has_more": has_more,
        "next_before": rows[-1].seq if rows and has_more else None,
        "query": query.urlencode(),
    }
    template = "core/partials/audit_rows.html" if request.htmx and before_seq else "core/audit_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@require_POST
def audit_export(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    form = AuditFilterForm(request.POST)
    if not form.is_valid():
        return render(request, "core/audit_list.html", {"form": form, "events": [], "has_more": False}, status=400)
    params = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in form.cleaned_data.items() if v}
    audit_filter_from_params(params)  # validates before queueing
    try:
        job = export_job_request(actor=request.user, kind="core.audit_events", params=params)
    except DomainError as err:
        raise PermissionDenied(err.message) from err
    return redirect("core:export_detail", pk=job.pk)


@login_required
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of one export; the partial is polled by htmx until the file is ready."""
    job = access_export_job(user=request.user, pk=pk)
    template = "core/partials/export_progress.html" if request.htmx else "core/export_detail.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job})


@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = access_export_job(user=request.user, pk=pk)
    if job.status != job.Status.DONE or not job.file:
        raise Http404("文件尚未生成")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=(job.file.name or "export.xlsx").rsplit("/", 1)[-1])


@login_required
def audit_verify(request: HttpRequest) -> HttpResponse:
    """Chain check on demand (POST) and the nightly results."""
    _require_auditor(request)
    result: Any = None
    if request.method == "POST":
        result = audit_chain_verify()
    runs = list(PeriodicJobRun.objects.filter(name="core.verify_audit_chain").order_by("-run_on")[:14])
    return render(request, "core/audit_verify.html", {"result": result, "runs": runs})
