"""Fixtures of the archive and review tests (imported by those test modules, not a conftest, so other close-out
areas keep their own): the lifecycle world with a 档案员, and a project brought to 档案移交 as a historical project."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govworks.projects.tests.conftest import lifecycle, make_project  # noqa: F401  (fixtures)

NOTE = "前期至竣工决算已线下办理，批复文号临机事〔2026〕9号"


def pdf(name: str = "doc") -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4 test " + name.encode(), content_type="application/pdf")


@pytest.fixture
def aw(lifecycle: Any) -> Any:  # noqa: F811
    """lifecycle + the city's 档案员 (hemin) and the archive catalogue."""
    from govworks.closeout.models import ArchiveCatalogueItem
    from govworks.closeout.reference_archives import seed_archive_catalogue
    from govworks.org.tests.factories import RoleGrantFactory, UserFactory

    seed_archive_catalogue(ArchiveCatalogueItem)
    lifecycle.archivist = UserFactory(username="hemin", full_name="何敏", agency=lifecycle.city)
    RoleGrantFactory(user=lifecycle.archivist, agency=lifecycle.city, role="archivist")
    return lifecycle


@pytest.fixture
def at_stage(aw: Any, make_project: Any) -> Any:  # noqa: F811
    """``at_stage(stage, **project fields)``: a project of the city imported at ``stage``."""
    from govworks.projects.models import Project
    from govworks.projects.services.projects import project_import_at_stage

    def make(stage: str = "archiving", **kw: Any) -> Any:
        project = make_project(**kw)
        project_import_at_stage(actor=aw.pm, project=project, stage=stage, note=NOTE)
        return Project.objects.select_related("agency").get(pk=project.pk)

    return make


@pytest.fixture
def archiving(at_stage: Any) -> Any:
    return at_stage("archiving")


def upload_documents(world: Any, project: Any) -> None:
    """Upload every project document the catalogue requires (as the project manager did at each stage)."""
    from govworks.closeout.selectors.archives import catalogue_for
    from govworks.projects.models import DocumentType
    from govworks.projects.services.documents import document_upload

    for entry in catalogue_for(project.agency):
        if entry.required and entry.source.startswith("doc:"):
            doc_type = DocumentType.objects.get(code=entry.source[4:])
            document_upload(actor=world.pm, project=project, doc_type=doc_type, file=pdf(doc_type.code))


def complete_archive(world: Any, project: Any, *, verify: bool = True) -> None:
    """Documents uploaded, the rest uploaded by the archivist, every item there verified."""
    from govworks.closeout.selectors.archives import archive_state
    from govworks.closeout.services.archives import archive_item_upload, archive_item_verify

    upload_documents(world, project)
    for row in archive_state(project).rows:
        if row.entry.required and not row.present:
            archive_item_upload(actor=world.archivist, project=project, code=row.entry.code, file=pdf(row.entry.code))
    if verify:
        for row in archive_state(project).rows:
            if row.present:
                archive_item_verify(actor=world.archivist, project=project, code=row.entry.code, pages=3, note="齐全")
