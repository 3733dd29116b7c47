"""Reads of the project archive (工程档案): the catalogue in force for an agency, each project's items with where
GovWorks already holds them, the completeness the transfer gate reads, and the archive list across projects.

Costs are fixed: a project's archive is read in six queries whatever it holds (catalogue, the item rows, the latest
document versions, the document type names, one row of record counts, the transfer) plus the completion date and the deadline parameter; the
list across projects is one query for the page of projects (counts and dates are annotated) and one for the catalogue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from govworks.closeout.models import ArchiveCatalogueItem, ArchiveCategory, ArchiveItem, ArchiveTransfer
from govworks.closeout.permissions_archives import archive_projects_visible_to
from govworks.closeout.selectors.milestones import completion_date
from govworks.construction.models import DailyReport, Inspection, RectificationNotice, SitePhoto, SupervisionDiary
from govworks.core.rule_parameters import rule_value
from govworks.finance.rules import add_months
from govworks.procurement.models import ChangeOrder, Contract, TenderOpening
from govworks.projects.models import DocumentType, DocumentVersion, ExpertReview, HigherReview, Project, Stage

#: stages in which a project's archive is assembled and shown in the archive list
ARCHIVE_STAGES: tuple[str, ...] = (
    Stage.ACCEPTANCE,
    Stage.SETTLEMENT,
    Stage.FINAL_ACCOUNTS,
    Stage.ARCHIVING,
    Stage.ASSET_HANDOVER,
    Stage.EVALUATION,
    Stage.CLOSED,
)


@dataclass(frozen=True)
class RecordSource:
    """Records GovWorks keeps for a project that stand for a catalogue item: ``queryset()`` of the model, the path
    from a record to its project, and what one record is called."""

    label: str
    unit: str
    model: Any
    project_path: str
    condition: Q = field(default_factory=Q)


RECORD_SOURCES: dict[str, RecordSource] = {
    "photos": RecordSource("施工现场照片", "张", SitePhoto, "report__project"),
    "daily_reports": RecordSource("现场日报", "天", DailyReport, "project"),
    "supervision_diaries": RecordSource("监理日志", "篇", SupervisionDiary, "project"),
    "inspections": RecordSource("质量安全巡查", "次", Inspection, "project"),
    "rectifications": RecordSource("整改通知单", "份", RectificationNotice, "project"),
    "change_orders": RecordSource("变更签证", "项", ChangeOrder, "contract__project", ~Q(status="draft")),
    "contracts": RecordSource("已签合同", "份", Contract, "project", Q(status="signed")),
    "expert_reviews": RecordSource("专家论证", "次", ExpertReview, "project", ~Q(conclusion="")),
    "higher_reviews": RecordSource("上级审议纪要", "份", HigherReview, "project"),
    "tender_openings": RecordSource("开标记录", "份", TenderOpening, "tender__lot__project", ~Q(record_file="")),
}


def source_label(source: str, doc_names: dict[str, str] | None = None) -> str:
    """Where an item comes from, in words ("项目文件《施工合同》", "现场日报")."""
    if source.startswith("doc:"):
        code = source[4:]
        return f"项目文件《{(doc_names or {}).get(code, code)}》"
    spec = RECORD_SOURCES.get(source)
    return spec.label if spec else "须补充上传"


def source_choices() -> list[tuple[str, str]]:
    """The sources a catalogue row may name (for the catalogue form): project documents by type and the records."""
    docs = [(f"doc:{code}", f"项目文件《{name}》") for code, name in DocumentType.objects.values_list("code", "name")]
    return [("", "无（须补充上传）"), *docs, *((key, spec.label) for key, spec in RECORD_SOURCES.items())]


# ---------------------------------------------------------------------------------------- catalogue


def catalogue_for(agency: Any) -> list[ArchiveCatalogueItem]:
    """The catalogue in force for ``agency``: the deployment's rows, overridden by code by a superior agency's and
    then the agency's own rows; retired rows left out. One query."""
    chain = [agency.pk, *agency.ancestor_ids()]  # nearest first
    rank = {aid: i for i, aid in enumerate(chain)}
    best: dict[str, tuple[int, ArchiveCatalogueItem]] = {}
    for row in ArchiveCatalogueItem.objects.filter(Q(agency__isnull=True) | Q(agency_id__in=chain)):
        r = len(chain) if row.agency_id is None else rank[row.agency_id]
        if row.code not in best or r < best[row.code][0]:
            best[row.code] = (r, row)
    rows = [row for _r, row in best.values() if row.active]
    return sorted(rows, key=lambda row: (row.category, row.order, row.code))


def catalogues_for(agencies: Iterable[Any]) -> dict[int, list[ArchiveCatalogueItem]]:
    """The catalogue of each agency in ``agencies`` (already loaded), in one query for all of them."""
    agencies = list({a.pk: a for a in agencies}.values())
    chain_ids = {aid for a in agencies for aid in (a.pk, *a.ancestor_ids())}
    rows = list(ArchiveCatalogueItem.objects.filter(Q(agency__isnull=True) | Q(agency_id__in=chain_ids)))
    out: dict[int, list[ArchiveCatalogueItem]] = {}
    for agency in agencies:
        chain = [agency.pk, *agency.ancestor_ids()]
        rank = {aid: i for i, aid in enumerate(chain)}
        best: dict[str, tuple[int, ArchiveCatalogueItem]] = {}
        for row in rows:
            if row.agency_id is not None and row.agency_id not in rank:
                continue
            r = len(chain) if row.agency_id is None else rank[row.agency_id]
            if row.code not in best or r < best[row.code][0]:
                best[row.code] = (r, row)
        out[agency.pk] = sorted((row for _r, row in best.values() if row.active), key=lambda x: (x.category, x.order, x.code))
    return out


def catalogue_rows_of_agency(agency: Any) -> list[tuple[ArchiveCatalogueItem, bool]]:
    """Every row in force for ``agency`` with whether it is the agency's own (for the catalogue page), retired
    own rows included so they can be re-activated."""
    chain = [agency.pk, *agency.ancestor_ids()]
    rank = {aid: i for i, aid in enumerate(chain)}
    best: dict[str, tuple[int, ArchiveCatalogueItem]] = {}
    for row in ArchiveCatalogueItem.objects.filter(Q(agency__isnull=True) | Q(agency_id__in=chain)):
        r = len(chain) if row.agency_id is None else rank[row.agency_id]
        if row.code not in best or r < best[row.code][0]:
            best[row.code] = (r, row)
    rows = sorted((row for _r, row in best.values()), key=lambda x: (x.category, x.order, x.code))
    return [(row, row.agency_id == agency.pk) for row in rows]


# ---------------------------------------------------------------------------------------- one project


def _count_subquery(spec: RecordSource) -> Any:
    inner = (
        spec.model.objects.filter(spec.condition, **{spec.project_path: OuterRef("pk")})
        .order_by()
        .values(spec.project_path)
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(inner, output_field=IntegerField()), Value(0))


def record_counts(project: Any, sources: Iterable[str] | None = None) -> dict[str, int]:
    """How many records of each source ``project`` has, in one query."""
    keys = [k for k in (sources if sources is not None else RECORD_SOURCES) if k in RECORD_SOURCES]
    if not keys:
        return {}
    row = Project.objects.filter(pk=project.pk).values(**{f"n_{k}": _count_subquery(RECORD_SOURCES[k]) for k in keys}).first()
    values: dict[str, Any] = dict(row) if row else {}
    return {k: int(values.get(f"n_{k}") or 0) for k in keys}


def latest_versions(project: Any) -> dict[str, DocumentVersion]:
    """The latest version of each of ``project``'s documents, by document type code. One query."""
    versions = DocumentVersion.objects.filter(document__project=project, number=F("document__latest_number")).select_related(
        "document__doc_type"
    )
    return {v.document.doc_type.code: v for v in versions}


@dataclass
class ArchiveRow:
    """One catalogue item of a project as it stands now."""

    entry: ArchiveCatalogueItem
    source_text: str
    present: bool
    detail: str
    document_date: dt.date | None
    version: DocumentVersion | None
    record: ArchiveItem | None
    count: int = 0

    @property
    def uploaded(self) -> bool:
        return bool(self.record and self.record.file)

    @property
    def verified(self) -> bool:
        return bool(self.record and self.record.verified)

    @property
    def pages(self) -> int | None:
        return self.record.pages if self.record else None

    @property
    def state(self) -> str:
        """missing / unverified / verified / optional (not required and not there)."""
        if not self.present:
            return "missing" if self.entry.required else "optional"
        return "verified" if self.verified else "unverified"


@dataclass
class ArchiveState:
    project: Any
    rows: list[ArchiveRow]
    transfer: ArchiveTransfer | None
    completed_on: dt.date | None
    deadline: dt.date | None
    months: int

    @property
    def required(self) -> list[ArchiveRow]:
        return [r for r in self.rows if r.entry.required]

    @property
    def missing(self) -> list[ArchiveRow]:
        return [r for r in self.rows if r.entry.required and not r.present]

    @property
    def unverified(self) -> list[ArchiveRow]:
        return [r for r in self.rows if r.entry.required and r.present and not r.verified]

    @property
    def verified_count(self) -> int:
        return sum(1 for r in self.required if r.verified)

    @property
    def complete(self) -> bool:
        """Every required item is there and verified: the archive may be transferred."""
        return not self.missing and not self.unverified

    @property
    def pages_total(self) -> int:
        return sum(r.pages or 0 for r in self.rows if r.verified)

    def overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.transfer is None and self.deadline is not None and self.deadline < today

    def by_category(self) -> list[tuple[str, str, list[ArchiveRow]]]:
        out = []
        for code, label in ArchiveCategory.choices:
            rows = [r for r in self.rows if r.entry.category == code]
            if rows:
                out.append((code, label, rows))
        return out


def transfer_deadline(project: Any, completed_on: dt.date | None) -> tuple[dt.date | None, int]:
    """The last day of the transfer (completion date + ``archive.transfer_deadline_months``) and the months."""
    months = int(rule_value("archive.transfer_deadline_months", agency=project.agency, on=completed_on or timezone.localdate()))
    return (add_months(completed_on, months) if completed_on else None), months


def archive_state(project: Any) -> ArchiveState:
    """The archive of ``project``: each catalogue item with its source, state and verification; the transfer and
    its deadline. A fixed number of queries."""
    catalogue = catalogue_for(project.agency)
    records = {i.code: i for i in ArchiveItem.objects.filter(project=project).select_related("verified_by", "uploaded_by")}
    versions = latest_versions(project)
    doc_names = dict(
        DocumentType.objects.filter(code__in=[c.source[4:] for c in catalogue if c.source.startswith("doc:")]).values_list(
            "code", "name"
        )
    )
    counts = record_counts(project, {c.source for c in catalogue})
    rows: list[ArchiveRow] = []
    for entry in catalogue:
        record = records.get(entry.code)
        version = versions.get(entry.source[4:]) if entry.source.startswith("doc:") else None
        count = counts.get(entry.source, 0)
        detail, day = "", None
        if record and record.file:
            detail = f"补充上传：{record.original_name}"
            day = record.document_date or (timezone.localdate(record.uploaded_at) if record.uploaded_at else None)
        elif version is not None:
            detail = f"第{version.number}版：{version.original_name}"
            day = timezone.localdate(version.uploaded_at)
        elif count:
            detail = f"{RECORD_SOURCES[entry.source].label} {count} {RECORD_SOURCES[entry.source].unit}"
        if record and record.document_date:
            day = record.document_date
        present = bool(record and record.file) or version is not None or count > 0
        rows.append(ArchiveRow(entry, source_label(entry.source, doc_names), present, detail, day, version, record, count))
    transfer = ArchiveTransfer.objects.filter(project=project).select_related("recorded_by").first()
    completed_on = completion_date(project)
    deadline, months = transfer_deadline(project, completed_on)
    return ArchiveState(project, rows, transfer, completed_on, deadline, months)


def archive_row(state: ArchiveState, code: str) -> ArchiveRow | None:
    return next((r for r in state.rows if r.entry.code == code), None)


# ---------------------------------------------------------------------------------------- across projects


def archive_list_visible_to(*, user: Any, stage: str = "", overdue_only: bool = False, q: str = "") -> QuerySet[Project]:
    """Projects from 竣工验收 on that ``user`` may read, each annotated with the date it left 竣工验收
    (``completed_on``) and its transfer: the archive list without a query per row (see :func:`archive_list_rows`).

    Untransferred projects come first, then by completion date (NULLs first on SQLite and PostgreSQL alike), then
    by id — the order of the archive register's index (``closeout_archive_register_order``, migration 0010), so at
    province scale PostgreSQL reads the page from the index and checks each row's project by primary key."""
    # the register holds a row for exactly the projects from 竣工验收 on (services.archive_register): filtering on
    # the project's stage as well would make PostgreSQL misjudge how many rows match and sort them all for a deep page
    qs = archive_projects_visible_to(user).filter(archive_register__isnull=False)
    if stage:
        qs = qs.filter(stage=stage)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    qs = qs.annotate(
        completed_on=F("archive_register__completed_on"),
        transferred_on=F("archive_register__transferred_on"),
        receipt_number=F("archive_transfer__receipt_number"),
    ).select_related("agency")
    if overdue_only:
        qs = qs.filter(archive_register__transferred_on__isnull=True, stage=Stage.ARCHIVING)
    return qs.order_by(
        F("archive_register__transferred_on").asc(nulls_first=True),
        F("archive_register__completed_on").asc(nulls_first=True),
        "archive_register__project_id",
    )


@dataclass(frozen=True)
class ArchiveListRow:
    project: Any
    required: int
    verified: int
    completed_on: dt.date | None
    deadline: dt.date | None
    transferred_on: dt.date | None
    receipt_number: str

    @property
    def complete(self) -> bool:
        return self.verified >= self.required

    def overdue(self, today: dt.date) -> bool:
        return self.transferred_on is None and self.deadline is not None and self.deadline < today


def archive_list_rows(projects: Sequence[Any], *, months: int) -> list[ArchiveListRow]:
    """Rows of the archive list for a page of annotated projects: two queries whatever the page holds (the
    catalogues of the agencies, the verified items of the page's projects). ``verified`` counts verified items the
    project's catalogue requires."""
    catalogues = catalogues_for(p.agency for p in projects)
    verified_codes: dict[int, set[str]] = {}
    for pid, code in ArchiveItem.objects.filter(project_id__in=[p.pk for p in projects], verified=True).values_list(
        "project_id", "code"
    ):
        verified_codes.setdefault(pid, set()).add(code)
    out = []
    for p in projects:
        required_codes = {c.code for c in catalogues.get(p.agency_id, []) if c.required}
        required = len(required_codes)
        completed_on = p.completed_on
        out.append(
            ArchiveListRow(
                p,
                required,
                len(required_codes & verified_codes.get(p.pk, set())),
                completed_on,
                add_months(completed_on, months) if completed_on else None,
                p.transferred_on,
                p.receipt_number or "",
            )
        )
    return out


def archives_due_for(agency_ids: Iterable[int]) -> list[Any]:
    """Projects in 档案移交 of ``agency_ids`` not yet transferred, with ``completed_on`` annotated from the archive
    register (the workbench). One query."""
    return list(
        Project.objects.filter(agency_id__in=list(agency_ids), stage=Stage.ARCHIVING, archive_transfer__isnull=True)
        .annotate(completed_on=F("archive_register__completed_on"))
        .select_related("agency")
        .order_by("id")[:200]
    )


def transferred_on(project: Any) -> dt.date | None:
    """The fact ``archive.transferred_on``: the date on the 城建档案馆's receipt, or None."""
    return ArchiveTransfer.objects.filter(project=project).values_list("transferred_on", flat=True).first()
