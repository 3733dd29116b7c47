"""Pages of the audit chain for the 安全审计员: signed checkpoints (list, export to keep off the server) and the
log's retention (archive, download, prune). Views parse and call services; refusals come back as messages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from govworks.core.errors import DomainError
from govworks.core.models import AuditChainHead
from govworks.core.rule_parameters import rule_value
from govworks.core.rules import AUDIT_RETENTION_MIN_DAYS
from govworks.core.selectors import (
    access_audit_archive,
    audit_archives_for,
    audit_checkpoints_for,
    is_chain_auditor,
    may_read_checkpoints,
)
from govworks.core.services import (
    audit_archive_create,
    audit_archive_download,
    audit_checkpoints_export,
    audit_events_prune,
)


def _require_auditor(request: HttpRequest) -> None:
    if not may_read_checkpoints(user=request.user):
        raise PermissionDenied("只有安全审计员可以查看审计检查点")


def _require_chain_auditor(request: HttpRequest) -> None:
    if not is_chain_auditor(user=request.user):
        raise PermissionDenied("只有审计范围覆盖全部单位的安全审计员可以归档和清理审计日志")


@login_required
def audit_checkpoints(request: HttpRequest) -> HttpResponse:
    """Checkpoints (daily, archive, prune anchors) and archives of the audit log, with export, archive and prune."""
    _require_auditor(request)
    head = AuditChainHead.objects.filter(pk=1).first()
    context = {
        "checkpoints": list(audit_checkpoints_for(user=request.user)[:200]),
        "archives": list(audit_archives_for(user=request.user)[:50]),
        "head": head,
        "retention_days": rule_value("security.log_retention_days"),
        "retention_min": AUDIT_RETENTION_MIN_DAYS,
        "can_prune": is_chain_auditor(user=request.user),
    }
    return render(request, "core/audit_checkpoints.html", context)


@login_required
@require_POST
def audit_checkpoints_download(request: HttpRequest) -> HttpResponse:
    """The signed JSON file of every checkpoint, as an attachment."""
    _require_auditor(request)
    try:
        name, content = audit_checkpoints_export(actor=request.user)
    except DomainError as err:
        raise PermissionDenied(err.message) from err
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def audit_archive_new(request: HttpRequest) -> HttpResponse:
    _require_chain_auditor(request)
    try:
        archive = audit_archive_create(actor=request.user)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(
            request, f"已归档序号 {archive.first_seq}–{archive.last_seq} 的事件。请下载归档文件并保存到服务器之外，然后才能清理。"
        )
    return redirect("core:audit_checkpoints")


@login_required
@require_POST
def audit_archive_file(request: HttpRequest, pk: int) -> FileResponse:
    archive = access_audit_archive(user=request.user, pk=pk)
    try:
        handle = audit_archive_download(actor=request.user, archive=archive)
    except DomainError as err:
        raise PermissionDenied(err.message) from err
    return FileResponse(handle, as_attachment=True, filename=(archive.file.name or "audit-archive.jsonl").rsplit("/", 1)[-1])


@login_required
@require_POST
def audit_archive_prune(request: HttpRequest, pk: int) -> HttpResponse:
    archive = access_audit_archive(user=request.user, pk=pk)
    try:
        count = audit_events_prune(actor=request.user, archive=archive)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(
            request, f"已清理在线日志中序号 {archive.first_seq}–{archive.last_seq} 的 {count} 条事件；清理锚点已签署。"
        )
    return redirect("core:audit_checkpoints")
