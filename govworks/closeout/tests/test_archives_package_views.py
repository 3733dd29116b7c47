# ruff: noqa: F811  (fixtures imported from archives_fixtures are redefined as test arguments)
"""The archive package (ZIP: folder per category, Excel index, the files; inert cells; the worker for a large
project), the archive pages with their role matrix, and query counts that do not grow with the data."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from govworks.closeout.models import ArchiveItem, ArchiveTransfer
from govworks.closeout.services import archives as services
from govworks.closeout.tests.archives_fixtures import (  # noqa: F401  (fixtures)
    archiving,
    at_stage,
    aw,
    complete_archive,
    lifecycle,
    make_project,
    pdf,
    upload_documents,
)
from govworks.core.models import AuditEvent, ExportJob
from govworks.core.testing.role_matrix import assert_role_matrix

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _zip(response: Any) -> zipfile.ZipFile:
    data = b"".join(response.streaming_content)
    return zipfile.ZipFile(io.BytesIO(data))


def _index(archive: zipfile.ZipFile) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(archive.read("档案目录.xlsx"))).active
    return [tuple(c.value for c in row) for row in sheet.iter_rows()]


def test_package_has_a_folder_per_category_the_index_and_the_files(client: Client, aw: Any, archiving: Any) -> None:
    from govworks.construction.models import DailyReport

    # given: a complete, verified archive; two daily reports stand for the 施工日志
    DailyReport.objects.create(project=archiving, report_date=TODAY)
    DailyReport.objects.create(project=archiving, report_date=TODAY - dt.timedelta(days=1))
    complete_archive(aw, archiving)
    # when: the archivist exports the package
    client.force_login(aw.archivist)
    response = client.post(f"/closeout/archives/{archiving.pk}/package/")
    # then: a ZIP with the index first and a folder per category
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = _zip(response)
    names = archive.namelist()
    assert names[0] == "档案目录.xlsx"
    assert {n.split("/")[0] for n in names[1:]} == {
        "A 工程准备阶段文件",
        "B 监理文件",
        "C 施工文件",
        "D 竣工图",
        "E 竣工验收文件",
    }
    assert "A 工程准备阶段文件/A1-01 项目建议书.pdf" in names
    assert archive.read("A 工程准备阶段文件/A1-01 项目建议书.pdf") == b"%PDF-1.4 test proposal"
    assert "D 竣工图/D-01 竣工图（建筑、结构、给排水、电气等）.pdf" in names
    assert "C 施工文件/C1-01 施工日志（现场日报）.xlsx" in names
    rows = _index(archive)
    assert rows[0] == ("序号", "文件编号", "题名", "类别", "日期", "页数", "保管期限", "核验", "包内文件")
    first = rows[1]
    assert first[1:4] == (f"{archiving.code}-A1-01", "项目建议书", "工程准备阶段文件")
    assert (first[5], first[6], first[7], first[8]) == (3, "永久", "已核验", "A 工程准备阶段文件/A1-01 项目建议书.pdf")
    assert len(rows) - 1 == ArchiveItem.objects.filter(project=archiving, verified=True).count()
    assert AuditEvent.objects.filter(action="closeout.archive.export", context_id=archiving.pk).count() == 1


def test_package_cells_are_inert_and_names_cannot_leave_their_folder(client: Client, aw: Any, archiving: Any) -> None:
    # given: an agency row whose title starts like a formula and carries a path, with a file uploaded for it
    services.catalogue_item_save(
        actor=aw.archivist, agency=aw.city, code="E1-09", title='=HYPERLINK("http://x","y")/../../etc', category="E",
        retention="long", required=False, to_city_archive=False,
    )  # fmt: skip
    services.archive_item_upload(actor=aw.archivist, project=archiving, code="E1-09", file=pdf("x"))
    client.force_login(aw.archivist)
    archive = _zip(client.post(f"/closeout/archives/{archiving.pk}/package/"))
    # then: the index cell is text, not a formula, and the file stays inside its category folder
    rows = _index(archive)
    titles = [r[2] for r in rows[1:]]
    assert titles == ['\'=HYPERLINK("http://x","y")/../../etc']
    (path,) = [n for n in archive.namelist() if n.startswith("E ")]
    assert path.startswith("E 竣工验收文件/E1-09 ") and ".." not in path.split("/", 1)[1].split("/")[0][:3]
    assert path.count("/") == 1


def test_a_large_package_is_built_by_the_worker_with_progress(
    client: Client, aw: Any, archiving: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(services, "INLINE_MAX_FILES", 0)
    upload_documents(aw, archiving)
    client.force_login(aw.pm)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/closeout/archives/{archiving.pk}/package/")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/core/exports/{job.pk}/"
    assert (job.status, job.kind, job.rows_done) == ("done", services.PACKAGE_KIND, job.rows_total)
    download = client.get(f"/core/exports/{job.pk}/download/")
    archive = _zip(download)
    assert "A 工程准备阶段文件/A1-01 项目建议书.pdf" in archive.namelist()


# ---------------------------------------------------------------------------------------- role matrix


def _snapshot() -> Any:
    return (
        list(ArchiveItem.objects.values_list("code", "verified", "pages")),
        list(ArchiveTransfer.objects.values_list("pk", flat=True)),
        ExportJob.objects.count(),
    )


def test_role_matrix_of_the_archive_pages(client: Client, aw: Any, archiving: Any) -> None:
    services.archive_item_upload(actor=aw.archivist, project=archiving, code="D-01", file=pdf("jgt"))
    actors = aw.actors(with_role=aw.archivist, superior=None)
    actors["superior"] = None
    url = f"/closeout/archives/{archiving.pk}/"
    # the city's project: the sub's people do not read it; the city's staff without a role neither
    readers = {"anonymous": 302, "other_agency": 404, "no_role": 404, "with_role": 200, "external": 404}
    assert_role_matrix(client, "get", url, expected=readers, actors=actors)
    for reader in (aw.pm, aw.discipline, aw.auditor):
        client.force_login(reader)
        assert client.get(url).status_code == 200
    verify = f"/closeout/archives/{archiving.pk}/items/D-01/verify/"
    actors_verify = {**actors, "no_role": aw.pm}  # the project manager reads the archive but does not verify it
    assert_role_matrix(
        client, "post", verify, data={"pages": "12", "note": "齐全"},
        expected={"anonymous": 302, "other_agency": 404, "no_role": 403, "external": 404, "with_role": 302},
        actors=actors_verify, snapshot=_snapshot,
    )  # fmt: skip
    assert ArchiveItem.objects.get(project=archiving, code="D-01").pages == 12
    package = f"/closeout/archives/{archiving.pk}/package/"
    client.force_login(aw.leader)  # 分管领导 reads the archive, exports nothing
    before = _snapshot()
    assert client.post(package).status_code == 403
    assert _snapshot() == before
    client.force_login(aw.discipline)
    assert client.post(package).status_code == 200


def test_archive_list_and_catalogue_pages(client: Client, aw: Any, archiving: Any) -> None:
    client.force_login(aw.archivist)
    page = client.get("/closeout/archives/").content.decode()
    assert archiving.name in page and "0/" in page
    catalogue = client.get("/closeout/archives/catalogue/")
    assert catalogue.status_code == 200 and "项目建议书" in catalogue.content.decode()
    response = client.post(
        "/closeout/archives/catalogue/",
        {
            "code": "A3-01",
            "title": "工程地质勘察报告",
            "category": "A",
            "retention": "permanent",
            "required": "on",
            "active": "on",
        },
    )
    assert response.status_code == 302
    refused = client.post(
        "/closeout/archives/catalogue/", {"code": "Q-1", "title": "某文件", "category": "A", "retention": "long", "active": "on"}
    )
    assert refused.status_code == 400 and "编号格式" in refused.content.decode()
    client.force_login(aw.pm)
    assert client.post("/closeout/archives/catalogue/", {"code": "A3-02"}).status_code == 403
    client.force_login(aw.sysadmin)
    assert client.get("/closeout/archives/").status_code == 403


def test_transfer_page_refusal_shows_what_is_missing(client: Client, aw: Any, archiving: Any) -> None:
    client.force_login(aw.archivist)
    response = client.post(
        f"/closeout/archives/{archiving.pk}/transfer/",
        {
            "receiver": "临江市城市建设档案馆",
            "transferred_on": TODAY.isoformat(),
            "receipt_number": "R-1",
            "receipt_file": pdf("r"),
        },
    )
    assert response.status_code == 400
    assert "必须归档的文件尚未齐全，不能移交" in response.content.decode()
    assert not ArchiveTransfer.objects.exists()


# ---------------------------------------------------------------------------------------- query counts


def test_archive_page_and_gate_take_the_same_queries_however_much_the_project_holds(
    client: Client, aw: Any, archiving: Any, django_assert_max_num_queries: Any
) -> None:
    from govworks.construction.models import DailyReport
    from govworks.projects.services.projects import gate_conditions

    client.force_login(aw.archivist)
    client.get(f"/closeout/archives/{archiving.pk}/")
    with django_assert_max_num_queries(30) as small:
        client.get(f"/closeout/archives/{archiving.pk}/")
    complete_archive(aw, archiving)
    for n in range(15):
        DailyReport.objects.create(project=archiving, report_date=TODAY - dt.timedelta(days=n))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"/closeout/archives/{archiving.pk}/")
    with django_assert_max_num_queries(14):
        gate_conditions(archiving)


def test_archive_list_takes_the_same_queries_for_more_projects(
    client: Client, aw: Any, at_stage: Any, django_assert_max_num_queries: Any
) -> None:
    first = at_stage("archiving", name="项目一")
    complete_archive(aw, first)
    client.force_login(aw.archivist)
    client.get("/closeout/archives/")
    with django_assert_max_num_queries(30) as one:
        client.get("/closeout/archives/")
    for n in range(6):
        p = at_stage("settlement" if n % 2 else "archiving", name=f"项目{n + 2}")
        services.archive_item_upload(actor=aw.archivist, project=p, code="D-01", file=pdf("d"))
        services.archive_item_verify(actor=aw.archivist, project=p, code="D-01", pages=2)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/closeout/archives/").content.decode()
    assert page.count('data-testid="archive-row"') == 7
