# ruff: noqa: F811  (fixtures imported from archives_fixtures are redefined as test arguments)
"""The archive (档案, GB/T 50328): the catalogue as data and an agency's rows, each project's archive read from
the documents and records of every stage, the archivist's verification and uploads, the completeness gate, the
transfer with its receipt, the facts, the workbench, and the refusals that change nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from govworks.closeout.models import ArchiveCatalogueItem, ArchiveItem, ArchiveTransfer
from govworks.closeout.reference_archives import CATALOGUE
from govworks.closeout.selectors.archives import archive_state, catalogue_for
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
from govworks.core.errors import DomainError
from govworks.core.models import AuditEvent

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _snapshot() -> Any:
    return (
        list(ArchiveItem.objects.values_list("code", "verified", "pages", "original_name")),
        list(ArchiveTransfer.objects.values_list("pk", flat=True)),
        list(ArchiveCatalogueItem.objects.values_list("agency_id", "code", "title", "required", "active")),
        AuditEvent.objects.count(),
    )


# ---------------------------------------------------------------------------------------- catalogue


def test_catalogue_is_seeded_by_the_migration_with_categories_and_retention(aw: Any) -> None:
    # given: the migration's catalogue (the fixture's seed adds nothing more)
    rows = list(ArchiveCatalogueItem.objects.filter(agency__isnull=True))
    # then: one row per reference row, the five categories, the three retention periods
    assert len(rows) == len(CATALOGUE)
    assert {r.category for r in rows} == {"A", "B", "C", "D", "E"}
    assert {r.retention for r in rows} == {"permanent", "long", "short"}
    proposal = next(r for r in rows if r.code == "A1-01")
    assert (proposal.title, proposal.retention, proposal.required, proposal.source) == (
        "项目建议书",
        "permanent",
        True,
        "doc:proposal",
    )


def test_an_agency_archivist_overrides_a_row_for_the_agency_and_its_subordinates_only(aw: Any) -> None:
    # when: the city's archivist makes the geological survey required and adds a row of its own
    services.catalogue_item_save(
        actor=aw.archivist, agency=aw.city, code="A3-01", title="工程地质勘察报告", category="A",
        retention="permanent", required=True, to_city_archive=True,
    )  # fmt: skip
    services.catalogue_item_save(
        actor=aw.archivist, agency=aw.city, code="E4-01", title="节能检测报告", category="E",
        retention="long", required=False, to_city_archive=False,
    )  # fmt: skip
    # then: the city and its subordinate read the override, another agency the default
    city = {e.code: e for e in catalogue_for(aw.city)}
    sub = {e.code: e for e in catalogue_for(aw.sub)}
    other = {e.code: e for e in catalogue_for(aw.other)}
    assert city["A3-01"].required and sub["A3-01"].required and not other["A3-01"].required
    assert "E4-01" in city and "E4-01" not in other
    assert AuditEvent.objects.filter(action="closeout.archive_catalogue.save").count() == 2


@pytest.mark.parametrize(
    ("code", "category", "retention", "message"),
    [
        ("X1-01", "A", "long", "编号格式"),
        ("B1-09", "A", "long", "首字母须与类别一致"),
        ("A1-09", "A", "forever", "保管期限"),
    ],
)
def test_catalogue_refusals_change_nothing(aw: Any, code: str, category: str, retention: str, message: str) -> None:
    before = _snapshot()
    with pytest.raises(DomainError) as err:
        services.catalogue_item_save(
            actor=aw.archivist, agency=aw.city, code=code, title="某文件", category=category,
            retention=retention, required=True, to_city_archive=False,
        )  # fmt: skip
    assert message in err.value.message
    assert _snapshot() == before


def test_only_the_archivist_edits_the_catalogue(aw: Any) -> None:
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        services.catalogue_item_save(
            actor=aw.pm, agency=aw.city, code="A1-09", title="某文件", category="A",
            retention="long", required=True, to_city_archive=False,
        )  # fmt: skip
    assert _snapshot() == before


def test_a_retired_row_leaves_the_catalogue_of_the_agency(aw: Any) -> None:
    services.catalogue_item_save(
        actor=aw.archivist, agency=aw.city, code="B3-01", title="质量安全巡查记录", category="B",
        retention="long", required=True, to_city_archive=True, source="inspections", active=False,
    )  # fmt: skip
    assert "B3-01" not in {e.code for e in catalogue_for(aw.city)}
    assert "B3-01" in {e.code for e in catalogue_for(aw.other)}


# ---------------------------------------------------------------------------------------- sources and completeness


def test_the_archive_is_read_from_the_documents_and_records_of_every_stage(aw: Any, archiving: Any) -> None:
    from govworks.projects.models import DocumentType
    from govworks.projects.services.documents import document_upload

    # given: nothing uploaded: every required item is missing
    state = archive_state(archiving)
    assert len(state.missing) == len(state.required) == sum(1 for r in CATALOGUE if r[5])
    # when: the project manager uploads the 项目建议书 and its second version
    doc_type = DocumentType.objects.get(code="proposal")
    document_upload(actor=aw.pm, project=archiving, doc_type=doc_type, file=pdf("v1"))
    document_upload(actor=aw.pm, project=archiving, doc_type=doc_type, file=pdf("v2"))
    # then: the item is there from its source, with the latest version, waiting for verification
    row = next(r for r in archive_state(archiving).rows if r.entry.code == "A1-01")
    assert (row.present, row.state, row.version.number) == (True, "unverified", 2)
    assert row.detail == "第2版：v2.pdf"
    assert row.source_text == "项目文件《项目建议书》"


def test_site_records_stand_for_their_catalogue_items(aw: Any, archiving: Any) -> None:
    from govworks.construction.models import DailyReport, Inspection

    # given: two daily reports and a patrol of the project (records written on site)
    DailyReport.objects.create(project=archiving, report_date=TODAY)
    DailyReport.objects.create(project=archiving, report_date=TODAY - dt.timedelta(days=1))
    Inspection.objects.create(project=archiving, kind="quality", inspected_on=TODAY, inspector=aw.pm)
    rows = {r.entry.code: r for r in archive_state(archiving).rows}
    # then
    assert (rows["C1-01"].present, rows["C1-01"].detail) == (True, "现场日报 2 天")
    assert (rows["B3-01"].present, rows["B3-01"].detail) == (True, "质量安全巡查 1 次")
    assert rows["E3-01"].state == "missing"


def test_verify_refuses_an_item_not_there_and_pages_below_one(aw: Any, archiving: Any) -> None:
    before = _snapshot()
    with pytest.raises(DomainError) as err:
        services.archive_item_verify(actor=aw.archivist, project=archiving, code="D-01", pages=3)
    assert err.value.code == "archive.missing"
    assert "《竣工图（建筑、结构、给排水、电气等）》尚未归集" in err.value.message
    services.archive_item_upload(actor=aw.archivist, project=archiving, code="D-01", file=pdf("jgt"))
    before = _snapshot()
    with pytest.raises(DomainError) as err:
        services.archive_item_verify(actor=aw.archivist, project=archiving, code="D-01", pages=0)
    assert "页数须为正整数" in err.value.message
    assert _snapshot() == before


def test_verify_and_upload_are_the_archivists(aw: Any, archiving: Any) -> None:
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        services.archive_item_upload(actor=aw.pm, project=archiving, code="D-01", file=pdf("x"))
    with pytest.raises(PermissionDenied):
        services.archive_item_verify(actor=aw.head, project=archiving, code="D-01", pages=1)
    assert _snapshot() == before


def test_upload_then_verify_then_a_new_upload_waits_for_verification_again(aw: Any, archiving: Any) -> None:
    services.archive_item_upload(actor=aw.archivist, project=archiving, code="D-01", file=pdf("jgt"))
    item = services.archive_item_verify(actor=aw.archivist, project=archiving, code="D-01", pages=24, note="竣工图章齐全")
    assert (item.verified, item.pages, item.verified_by) == (True, 24, aw.archivist)
    services.archive_item_upload(actor=aw.archivist, project=archiving, code="D-01", file=pdf("jgt2"))
    item.refresh_from_db()
    assert (item.verified, item.original_name) == (False, "jgt2.pdf")
    assert AuditEvent.objects.filter(action="closeout.archive_item.upload", context_id=archiving.pk).count() == 2


def test_upload_refuses_a_file_that_is_not_what_it_claims(aw: Any, archiving: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = _snapshot()
    with pytest.raises(DomainError) as err:
        services.archive_item_upload(
            actor=aw.archivist, project=archiving, code="D-01", file=SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf")
        )
    assert err.value.field == "file"
    assert _snapshot() == before


def test_the_archive_is_not_touched_before_acceptance(aw: Any, at_stage: Any) -> None:
    project = at_stage("construction")
    before = _snapshot()
    with pytest.raises(DomainError) as err:
        services.archive_item_upload(actor=aw.archivist, project=project, code="D-01", file=pdf("x"))
    assert "竣工验收至档案移交阶段" in err.value.message
    assert _snapshot() == before


# ---------------------------------------------------------------------------------------- transfer and gate


def _transfer(world: Any, project: Any, **kw: Any) -> ArchiveTransfer:
    fields = {
        "receiver": "临江市城市建设档案馆",
        "transferred_on": TODAY,
        "receipt_number": "LJCJ-2026-0031",
        "receipt_file": pdf("receipt"),
        **kw,
    }
    return services.archive_transfer_record(actor=world.archivist, project=project, **fields)


def test_transfer_is_refused_while_a_required_item_is_missing_and_names_it(aw: Any, archiving: Any) -> None:
    complete_archive(aw, archiving)
    item = ArchiveItem.objects.get(project=archiving, code="D-01")
    item.delete()  # the archivist's scan of the 竣工图 is not there (test set-up)
    before = _snapshot()
    with pytest.raises(DomainError) as err:
        _transfer(aw, archiving)
    assert err.value.code == "archive.incomplete"
    assert "缺 D-01《竣工图（建筑、结构、给排水、电气等）》（共1项）" in err.value.message
    assert _snapshot() == before


def test_transfer_is_refused_while_an_item_is_not_verified(aw: Any, archiving: Any) -> None:
    complete_archive(aw, archiving, verify=False)
    before = _snapshot()
    with pytest.raises(DomainError) as err:
        _transfer(aw, archiving)
    assert err.value.code == "archive.unverified"
    assert _snapshot() == before


def test_transfer_records_the_receipt_the_proof_document_and_opens_the_gate(aw: Any, archiving: Any) -> None:
    from govworks.closeout.selectors.facts import project_fact
    from govworks.projects.models import ProjectDocument
    from govworks.projects.services.projects import gate_conditions

    complete_archive(aw, archiving)
    unmet = [c.code for c in gate_conditions(archiving) if not c.ok]
    assert unmet == ["doc:archive_transfer", "archive.transferred"]
    # when
    transfer = _transfer(aw, archiving)
    # then
    assert (transfer.receipt_number, transfer.items_count, transfer.deadline) == (
        "LJCJ-2026-0031",
        sum(1 for r in CATALOGUE if r[5]),
        archive_state(archiving).deadline,
    )
    assert transfer.pages_total == 3 * transfer.items_count
    assert ProjectDocument.objects.get(project=archiving, doc_type__code="archive_transfer").latest_number == 1
    assert [c.code for c in gate_conditions(archiving) if not c.ok] == []
    assert project_fact("archive.transferred_on", archiving) == TODAY
    event = AuditEvent.objects.get(action="closeout.archive.transfer")
    assert "回执 LJCJ-2026-0031" in event.summary
    # and: nothing may change afterwards, nor be transferred twice
    before = _snapshot()
    with pytest.raises(DomainError) as err:
        _transfer(aw, archiving)
    assert err.value.code == "archive.transferred"
    with pytest.raises(DomainError):
        services.archive_item_upload(actor=aw.archivist, project=archiving, code="D-01", file=pdf("late"))
    assert _snapshot() == before


def test_transfer_refuses_a_future_date_and_another_stage(aw: Any, at_stage: Any) -> None:
    project = at_stage("final_accounts")
    before = _snapshot()
    with pytest.raises(DomainError) as err:
        _transfer(aw, project)
    assert "档案移交阶段才能登记移交" in err.value.message
    with pytest.raises(DomainError) as err:
        _transfer(aw, project, transferred_on=TODAY + dt.timedelta(days=1))
    assert err.value.field == "transferred_on"
    assert _snapshot() == before


def test_deadline_is_three_months_after_completion(aw: Any, archiving: Any) -> None:
    from govworks.finance.rules import add_months

    state = archive_state(archiving)
    assert state.completed_on == TODAY  # imported today: it left 竣工验收 today
    assert (state.months, state.deadline) == (3, add_months(TODAY, 3))


def test_the_archivist_workbench_shows_the_transfer_due(aw: Any, archiving: Any) -> None:
    from govworks.core.registry import work_items_for
    from govworks.finance.rules import add_months

    items = [i for i in work_items_for(aw.archivist) if i.kind == "档案移交"]
    assert [(i.title, i.due) for i in items] == [(f"档案移交城建档案馆：{archiving.code} {archiving.name}", add_months(TODAY, 3))]
    assert [i for i in work_items_for(aw.pm) if i.kind == "档案移交"] == []
