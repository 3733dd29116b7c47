"""Typed project documents: each upload is a new version; nothing is overwritten or deleted."""

from __future__ import annotations

import hashlib

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.org import permissions as org_perms
from govworks.org.models import User
from govworks.projects import permissions as perms
from govworks.projects.models import DocumentType, DocumentVersion, Project, ProjectDocument
from govworks.projects.services.decisions import check_upload

DOCUMENT_TYPES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".dwg", ".zip")
MAX_DOCUMENT_BYTES = 100 * 1024 * 1024


def document_upload(
    *, actor: User, project: Project, doc_type: DocumentType, file: UploadedFile, note: str = ""
) -> DocumentVersion:
    """Add a version of ``doc_type`` to ``project`` (the previous version stays, superseded)."""
    org_perms.require(actor, perms.DOCUMENT_UPLOAD, project.agency_id)
    check_upload(file, field="file", types=DOCUMENT_TYPES, max_bytes=MAX_DOCUMENT_BYTES)
    if project.stage == "closed":
        raise DomainError("document.closed", "项目已关闭，不能再上传文件")
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    with transaction.atomic():
        document, _ = ProjectDocument.objects.get_or_create(project=project, doc_type=doc_type)
        document = ProjectDocument.objects.select_for_update().get(pk=document.pk)
        document.latest_number += 1
        document.save(update_fields=["latest_number"])
        version = DocumentVersion(
            document=document,
            number=document.latest_number,
            original_name=(file.name or "file")[:200],
            size=file.size or 0,
            sha256=digest.hexdigest(),
            note=note[:200],
            uploaded_by=actor,
        )
        version.file.save(file.name or "file", file, save=False)
        version.save()
        audit_event_record(
            actor=actor,
            action="projects.document.upload",
            obj=version,
            agency=project.agency,
            context=project,
            summary=f"上传《{doc_type.name}》第{version.number}版：{version.original_name}",
            changes={"sha256": {"before": None, "after": version.sha256}},
        )
    return version
