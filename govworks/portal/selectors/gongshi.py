"""What 阳光公示 publishes, read from the other modules: each kind of record is public only once its approval
state says so (an approved plan, an approved initiation, a signed contract, an approved change above the
re-approval ratio, a passed acceptance, an approved settlement, an approved evaluation). A record withdrawn by its
agency (``PortalWithdrawal``) stays in the lists with its reason and date; its content is not shown.

Every list is one query whatever its length (withdrawals and dates come as subqueries); no field of a private
person (names, phones, ID numbers, bank accounts, internal notes) is ever selected for display."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DecimalField, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from govworks.closeout.models import Acceptance, Evaluation, Settlement
from govworks.construction.models import ProjectSite
from govworks.core.money import percent_text
from govworks.core.rule_parameters import rule_value
from govworks.core.rule_seed import rule_name
from govworks.org.models import Agency
from govworks.portal.models import PortalWithdrawal, RecordType
from govworks.procurement.models import ChangeOrder, Contract
from govworks.projects.models import AnnualPlan, ApprovalRequest, PlanItem, Project, Stage, StageTransition
from govworks.projects.services.projects import IMPORT_NOTE_PREFIX

CHANGE_RATIO_KEY = "change.reapproval_cumulative_ratio"
DEFAULT_CHANGE_RATIO = Decimal("0.10")
INITIATION_KIND = "project.initiation"
PUBLIC_PLAN_STATES = (AnnualPlan.Status.DECIDED, AnnualPlan.Status.FILED)
CONSTRUCTION_STAGES = (Stage.CONSTRUCTION, Stage.SUSPENDED)


def change_ratio() -> Decimal:
    """The cumulative change ratio above which a change is published (the deployment's value of the rule
    “change.reapproval_cumulative_ratio”; 10 % when the rule is not configured)."""
    try:
        return Decimal(str(rule_value(CHANGE_RATIO_KEY)))
    except Exception:
        return DEFAULT_CHANGE_RATIO


def change_rule_label() -> str:
    return f"{rule_name(CHANGE_RATIO_KEY)}（{percent_text(change_ratio())}）"


def _imported_past_initiation() -> QuerySet[Any]:
    """The 历史项目录入 transitions that brought a project past 立项: their note cites the approval document
    of the initiation handled offline (the import refuses to skip 立项 without it)."""
    return StageTransition.objects.filter(note__startswith=IMPORT_NOTE_PREFIX).exclude(
        to_stage__in=[Stage.PLANNED, Stage.INITIATION]
    )


def _initiation_requests() -> QuerySet[Any]:
    ct = ContentType.objects.get_for_model(Project)
    return ApprovalRequest.objects.filter(kind=INITIATION_KIND, status=ApprovalRequest.Status.APPROVED, subject_type=ct)


def _initiation_approved(project_ref: str = "pk") -> Q:
    """The project's initiation is approved: an approved 立项审批 in the system, or a 历史项目录入 past 立项.
    Uncorrelated ``IN`` subqueries: the database hashes each once (a correlated EXISTS per row was 10× slower
    over 200,000 contracts)."""
    return Q(**{f"{project_ref}__in": _initiation_requests().values("subject_id")}) | Q(
        **{f"{project_ref}__in": _imported_past_initiation().values("project_id")}
    )


def _initiation_approved_at(project_ref: str = "pk") -> Coalesce:
    return Coalesce(
        Subquery(
            _initiation_requests().filter(subject_id=OuterRef(project_ref)).order_by("-finished_at").values("finished_at")[:1]
        ),
        Subquery(_imported_past_initiation().filter(project_id=OuterRef(project_ref)).order_by("id").values("at")[:1]),
    )


def with_withdrawals(record_type: str, rows: Any) -> list[Any]:
    """``rows`` as a list, each with ``withdrawn_reason``/``withdrawn_at`` (None when not withdrawn): one query
    for the rows shown, not a subquery per published row (the lists sort 200,000 contracts)."""
    rows = list(rows)
    found = {
        w.record_id: w
        for w in PortalWithdrawal.objects.filter(record_type=record_type, record_id__in=[r.pk for r in rows]).only(
            "record_id", "reason", "withdrawn_at"
        )
    }
    for r in rows:
        w = found.get(r.pk)
        r.withdrawn_reason = w.reason if w else None
        r.withdrawn_at = w.withdrawn_at if w else None
    return rows


@dataclass(frozen=True)
class Kind:
    """One kind of publication: its records, how the filters apply, and how it sorts."""

    key: str
    label: str
    base: Callable[[], QuerySet[Any]]
    agency: str  # path to the agency id
    year: str  # path of the date whose year the year filter reads
    stage: str | None  # path to the project's stage, when the record belongs to a project
    search: tuple[str, ...]
    order: tuple[str, ...]
    date_attr: str  # attribute read as the publication date
    note: str = ""


def _plans() -> QuerySet[Any]:
    return AnnualPlan.objects.filter(status__in=PUBLIC_PLAN_STATES).select_related("agency")


def _projects() -> QuerySet[Any]:
    return (
        Project.objects.filter(_initiation_approved())
        .annotate(published_on=_initiation_approved_at())
        .select_related("agency")
        .only(
            "id",
            "code",
            "name",
            "project_type",
            "location",
            "estimate_amount",
            "approved_estimate",
            "funding_source",
            "planned_start",
            "planned_end",
            "stage",
            "agency__id",
            "agency__name",
            "agency__short_name",
            "created_at",
        )
    )


def _contracts() -> QuerySet[Any]:
    return (
        Contract.objects.filter(status=Contract.Status.SIGNED)
        .filter(_initiation_approved("project_id"))
        .select_related("project__agency", "supplier", "lot")
        .only(
            "id",
            "number",
            "title",
            "amount",
            "signed_on",
            "award_notice_on",
            "project__id",
            "project__name",
            "project__code",
            "project__agency__id",
            "project__agency__name",
            "supplier__id",
            "supplier__name",
            "lot__id",
            "lot__method",
            "lot__name",
            "lot__seq",
        )
    )


RATIO_PLACES = Decimal("0.0001")  # ChangeOrder.cumulative_ratio_after is kept rounded half-up to four places


def _change_above_ratio() -> Q:
    """The change's cumulative ratio is strictly above the rule, compared exactly. The kept ratio is rounded, so
    a kept ratio above the rounded rule is above the rule; one equal to it (10.00004 % is kept as 10.00 %) is
    decided on the amounts — the approved changes of the contract up to this one against the rule × the
    contract price — for those few rows only (an uncorrelated IN, hashed once)."""
    ratio = change_ratio()
    bound = ratio.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)
    cumulative = Subquery(
        ChangeOrder.objects.filter(
            contract_id=OuterRef("contract_id"), status=ChangeOrder.Status.APPROVED, seq__lte=OuterRef("seq")
        )
        .values("contract_id")
        .annotate(total=Sum("amount"))
        .values("total")[:1],
        output_field=DecimalField(max_digits=20, decimal_places=2),
    )
    limit = ExpressionWrapper(F("contract__amount") * ratio, output_field=DecimalField(max_digits=24, decimal_places=8))
    at_bound_above = (
        ChangeOrder.objects.filter(status=ChangeOrder.Status.APPROVED, cumulative_ratio_after=bound)
        .annotate(cumulative=cumulative, limit=limit)
        .filter(cumulative__gt=F("limit"))
        .values("pk")
    )
    return Q(cumulative_ratio_after__gt=bound) | Q(pk__in=at_bound_above)


def _changes() -> QuerySet[Any]:
    return (
        ChangeOrder.objects.filter(status=ChangeOrder.Status.APPROVED)
        .filter(_change_above_ratio())
        .filter(_initiation_approved("contract__project_id"))
        .select_related("contract__project__agency", "contract__supplier")
        .only(
            "id",
            "seq",
            "category",
            "amount",
            "cumulative_ratio_after",
            "created_at",
            "contract__id",
            "contract__number",
            "contract__title",
            "contract__amount",
            "contract__project__id",
            "contract__project__name",
            "contract__project__agency__id",
            "contract__project__agency__name",
            "contract__supplier__id",
            "contract__supplier__name",
        )
    )


def _construction() -> QuerySet[Any]:
    return (
        ProjectSite.objects.filter(project__stage__in=CONSTRUCTION_STAGES)
        .filter(_initiation_approved("project_id"))
        .select_related("project__agency")
        .only(
            "id",
            "light",
            "light_since",
            "planned_progress",
            "actual_progress",
            "evaluated_on",
            "project__id",
            "project__name",
            "project__code",
            "project__stage",
            "project__planned_start",
            "project__planned_end",
            "project__agency__id",
            "project__agency__name",
        )
    )


def _acceptances() -> QuerySet[Any]:
    return (
        Acceptance.objects.filter(status=Acceptance.Status.PASSED, concluded_on__isnull=False)
        .filter(_initiation_approved("project_id"))
        .select_related("project__agency")
        .only(
            "id",
            "round",
            "status",
            "concluded_on",
            "project__id",
            "project__name",
            "project__code",
            "project__agency__id",
            "project__agency__name",
        )
    )


def _settlements() -> QuerySet[Any]:
    return (
        Settlement.objects.filter(status=Settlement.Status.APPROVED)
        .filter(_initiation_approved("project_id"))
        .select_related("project__agency", "contract__supplier", "firm")
        .only(
            "id",
            "number",
            "status",
            "submitted_amount",
            "approved_amount",
            "approved_at",
            "project__id",
            "project__name",
            "project__code",
            "project__agency__id",
            "project__agency__name",
            "contract__id",
            "contract__supplier__id",
            "contract__supplier__name",
            "firm__id",
            "firm__name",
        )
    )


def _evaluations() -> QuerySet[Any]:
    return (
        Evaluation.objects.filter(status=Evaluation.Status.APPROVED)
        .filter(_initiation_approved("project_id"))
        .select_related("project__agency")
        .only(
            "id",
            "status",
            "score",
            "grade",
            "approved_on",
            "project__id",
            "project__name",
            "project__code",
            "project__agency__id",
            "project__agency__name",
        )
    )


KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind(
            RecordType.PLAN,
            "年度建设计划",
            _plans,
            "agency_id",
            "year",
            None,
            ("title",),
            ("-year", "agency_id", "-id"),
            "decided_at",
        ),
        Kind(
            RecordType.PROJECT,
            "项目立项",
            _projects,
            "agency_id",
            "planned_start",
            "stage",
            ("name", "code"),
            ("-planned_start", "-id"),
            "published_on",
        ),
        Kind(
            RecordType.CONTRACT,
            "采购结果与合同授予",
            _contracts,
            "project__agency_id",
            "signed_on",
            "project__stage",
            ("title", "project__name", "supplier__name"),
            ("-signed_on", "-id"),
            "signed_on",
        ),
        Kind(
            RecordType.CHANGE,
            "重大变更",
            _changes,
            "contract__project__agency_id",
            "created_at",
            "contract__project__stage",
            ("contract__title", "contract__project__name"),
            ("-created_at", "-id"),
            "created_at",
        ),
        Kind(
            RecordType.CONSTRUCTION,
            "在建项目进度",
            _construction,
            "project__agency_id",
            "project__planned_start",
            "project__stage",
            ("project__name", "project__code"),
            ("project__agency_id", "-id"),
            "evaluated_on",
        ),
        Kind(
            RecordType.ACCEPTANCE,
            "竣工验收",
            _acceptances,
            "project__agency_id",
            "concluded_on",
            "project__stage",
            ("project__name", "project__code"),
            ("-concluded_on", "-id"),
            "concluded_on",
        ),
        Kind(
            RecordType.SETTLEMENT,
            "结算审计结果",
            _settlements,
            "project__agency_id",
            "approved_at",
            "project__stage",
            ("project__name", "project__code", "number"),
            ("-approved_at", "-id"),
            "approved_at",
        ),
        Kind(
            RecordType.EVALUATION,
            "绩效评价",
            _evaluations,
            "project__agency_id",
            "approved_on",
            "project__stage",
            ("project__name", "project__code"),
            ("-approved_on", "-id"),
            "approved_on",
        ),
    )
}


@dataclass(frozen=True)
class Filters:
    agency: int | None = None
    year: int | None = None
    stage: str | None = None
    q: str = ""

    @classmethod
    def from_query(cls, params: Any) -> Filters:
        """Read the filters from a query dict; anything malformed is ignored (the public form never errs)."""

        def as_int(name: str, lo: int, hi: int) -> int | None:
            raw = (params.get(name) or "").strip()
            if raw.isdigit() and lo <= int(raw) <= hi:
                return int(raw)
            return None

        stage = (params.get("stage") or "").strip()
        return cls(
            agency=as_int("agency", 1, 2**62),
            year=as_int("year", 1990, 2100),
            stage=stage if stage in Stage.values else None,
            q=(params.get("q") or "").strip()[:60],
        )


def published(kind: Kind, filters: Filters | None = None) -> QuerySet[Any]:
    """The published records of ``kind`` (withdrawn ones included: see :func:`with_withdrawals` for the rows
    shown), filtered and ordered; one query."""
    qs = kind.base()
    f = filters or Filters()
    if f.agency:
        qs = qs.filter(**{kind.agency: f.agency})
    if f.year:
        qs = qs.filter(**({kind.year: f.year} if kind.year == "year" else {f"{kind.year}__year": f.year}))
    if f.stage and kind.stage:
        qs = qs.filter(**{kind.stage: f.stage})
    if f.q:
        cond = Q()
        for path in kind.search:
            cond |= Q(**{f"{path}__icontains": f.q})
        qs = qs.filter(cond)
    return qs.order_by(*kind.order)


def plan_items(plan_id: int) -> list[PlanItem]:
    """The items of a published plan, public fields only (one query)."""
    return list(
        PlanItem.objects.filter(plan_id=plan_id).only(
            "id",
            "seq",
            "name",
            "project_type",
            "location",
            "estimated_amount",
            "funding_source",
            "planned_start",
            "planned_end",
            "plan_id",
        )
    )


def published_record(kind: Kind, record_id: int) -> Any | None:
    rows = with_withdrawals(kind.key, published(kind).filter(pk=record_id)[:1])
    return rows[0] if rows else None


def record_agency_id(record_type: str, record_id: int) -> int | None:
    kind = KINDS[record_type]
    row = kind.base().filter(pk=record_id).values_list(kind.agency, flat=True).first()
    return int(row) if row is not None else None


# ------------------------------------------------------------------------------- overview, project, feed


def public_agencies() -> list[Agency]:
    """Agencies with at least one published project or plan, for the filter (one query)."""
    ids = Project.objects.filter(_initiation_approved()).values("agency_id")
    plan_ids = AnnualPlan.objects.filter(status__in=PUBLIC_PLAN_STATES).values("agency_id")
    return list(Agency.objects.filter(Q(pk__in=ids) | Q(pk__in=plan_ids)).only("id", "name", "short_name").order_by("code", "id"))


def agency_counts() -> list[dict[str, Any]]:
    """Per agency: published projects, those in construction, accepted and closed (one query)."""
    rows = (
        Project.objects.filter(_initiation_approved())
        .values("agency_id", "agency__name")
        .annotate(
            projects=Count("id"),
            building=Count("id", filter=Q(stage__in=CONSTRUCTION_STAGES)),
            done=Count(
                "id",
                filter=Q(
                    stage__in=[
                        Stage.SETTLEMENT,
                        Stage.FINAL_ACCOUNTS,
                        Stage.ARCHIVING,
                        Stage.ASSET_HANDOVER,
                        Stage.EVALUATION,
                        Stage.CLOSED,
                    ]
                ),
            ),
        )
        .order_by("agency__name")
    )
    return [dict(r) for r in rows]


@dataclass(frozen=True)
class Publication:
    """One entry of the latest publications and the feed."""

    kind: str
    kind_label: str
    record_id: int
    title: str
    agency: str
    on: dt.date | None
    project_id: int | None
    withdrawn_reason: str | None
    withdrawn_at: dt.datetime | None

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.record_id}"


def title_of(kind: str, r: Any) -> tuple[str, str, int | None]:
    """(title, agency name, project id) of record ``r`` of ``kind`` — public fields only."""
    if kind == RecordType.PLAN:
        return str(r), r.agency.name, None
    if kind == RecordType.PROJECT:
        return f"{r.name}（立项）", r.agency.name, r.pk
    if kind == RecordType.CHANGE:
        p = r.contract.project
        return f"{p.name}：{r.contract.title} 第{r.seq}号{r.get_category_display()}", p.agency.name, p.pk
    p = r.project
    label = {
        RecordType.CONTRACT: lambda: f"{p.name}：{r.title} 授予 {r.supplier.name}",
        RecordType.CONSTRUCTION: lambda: f"{p.name}：{r.get_light_display()}，实际进度 {r.actual_progress}%",
        RecordType.ACCEPTANCE: lambda: f"{p.name}：竣工验收合格",
        RecordType.SETTLEMENT: lambda: f"{p.name}：结算审定 {r.number}",
        RecordType.EVALUATION: lambda: f"{p.name}：绩效评价 {r.get_grade_display()}",
    }[RecordType(kind)]()
    return label, p.agency.name, p.pk


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def latest_publications(limit: int = 12) -> list[Publication]:
    """The newest ``limit`` publications across every kind (one query per kind, whatever the data)."""
    out: list[Publication] = []
    for kind in KINDS.values():
        if kind.key == RecordType.CONSTRUCTION:
            continue  # a light is a state, not a publication
        for r in with_withdrawals(kind.key, published(kind)[:limit]):
            title, agency, project_id = title_of(kind.key, r)
            out.append(
                Publication(
                    kind.key,
                    kind.label,
                    r.pk,
                    title,
                    agency,
                    _as_date(getattr(r, kind.date_attr, None)),
                    project_id,
                    r.withdrawn_reason,
                    r.withdrawn_at,
                )
            )
    out.sort(key=lambda p: (p.on or dt.date.min, p.record_id), reverse=True)
    return out[:limit]


def public_project(project_id: int) -> Any | None:
    """The project when its initiation is published (withdrawal annotated), else None."""
    return published_record(KINDS[RecordType.PROJECT], project_id)


def project_publications(project_id: int) -> dict[str, list[Any]]:
    """Every published record of the project, by kind (one query per kind)."""
    out: dict[str, list[Any]] = {}
    for kind in KINDS.values():
        if kind.key in (RecordType.PLAN, RecordType.PROJECT):
            continue
        path = "contract__project_id" if kind.key == RecordType.CHANGE else "project_id"
        out[kind.key] = with_withdrawals(kind.key, published(kind).filter(**{path: project_id}))
    return out
