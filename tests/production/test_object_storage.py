"""Uploaded files on S3-compatible object storage (django-storages' S3Storage) against moto's S3 server."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse

from .conftest import S3Target


def s3_storages(s3: S3Target) -> dict[str, Any]:
    from django.conf import settings

    return {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3.storage_options()},
    }


def test_save_read_list_and_delete_through_the_storage_api(s3: S3Target) -> None:
    from django.core.files.storage import default_storage, storages

    with override_settings(STORAGES=s3_storages(s3)):
        storage = storages["default"]
        assert type(storage).__name__ == "S3Storage" and default_storage.__class__.__name__ == "S3Storage"
        body = "项目建议书 第1版\n".encode() * 1000
        name = storage.save("projects/2026/建议书.pdf", ContentFile(body))
        assert name.startswith("projects/2026/")
        assert s3.object_keys() == [f"media/{name}"]  # under the configured prefix
        assert storage.exists(name) and storage.size(name) == len(body)
        with storage.open(name, "rb") as fh:
            assert fh.read() == body
        # saving the same name again keeps the first file (file_overwrite=False): versions are never overwritten
        second = storage.save("projects/2026/建议书.pdf", ContentFile(b"v2"))
        assert second != name and len(s3.object_keys()) == 2
        assert storage.listdir("projects/2026")[1] == sorted([name.rsplit("/", 1)[1], second.rsplit("/", 1)[1]])
        url = storage.url(name)
        assert url.startswith(s3.endpoint) and "X-Amz-Signature" in url  # private objects: signed, expiring URLs
        storage.delete(name)
        storage.delete(second)
        assert not storage.exists(name) and s3.object_keys() == []


@pytest.mark.django_db
def test_a_document_uploaded_through_the_page_lands_in_the_bucket_and_downloads(
    client: Any, s3: S3Target, lifecycle: Any, make_project: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from govworks.projects.models import DocumentType, DocumentVersion

    project = make_project()
    body = b"%PDF-1.4\n% GovWorks object storage test\n" + bytes(range(256)) * 64
    with override_settings(STORAGES=s3_storages(s3), MEDIA_ROOT=str(tmp_path / "must-stay-empty")):
        client.force_login(lifecycle.pm)
        response = client.post(
            reverse("projects:document_upload", args=[project.pk]),
            {
                "doc_type": DocumentType.objects.get(code="proposal").pk,
                "file": SimpleUploadedFile("项目建议书.pdf", body, content_type="application/pdf"),
                "note": "对象存储",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        version = DocumentVersion.objects.get(document__project=project)
        assert version.file.storage.__class__.__name__ == "S3Storage"  # the lazy default storage
        assert s3.object_keys() == [f"media/{version.file.name}"]
        assert s3.read(f"media/{version.file.name}") == body
        assert not (tmp_path / "must-stay-empty").exists()

        download = client.get(reverse("projects:document_download", args=[version.pk]))
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == body
