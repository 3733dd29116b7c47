"""Reads of the completion acceptance and the defect-liability period: a project's acceptance with its parties
and problems, its periods with defects and deposit returns, the facts other areas ask for, and the lists the
workbench shows — each a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from govworks.closeout.models import (
    Acceptance,
    AcceptanceParty,
    AcceptanceProblem,
    DefectPeriod,
    DefectReport,
    DepositReturn,
    WageDepositReturn,
)
from govworks.construction.models import RectificationNotice
from govworks.core.rule_parameters import rule_value
from govworks.core.workdays import add_working_days, add_working_days_in, calendar_exceptions

CLOSED = RectificationNotice.Status.CLOSED


def latest_acceptance(project: Any) -> Acceptance | None:
    """The project's latest acceptance round (one query)."""
    return Acceptance.objects.filter(project_id=project.pk).order_by("-round").first()


def passed_acceptance(project: Any) -> Acceptance | None:
    return Acceptance.objects.filter(project_id=project.pk, status=Acceptance.Status.PASSED).order_by("-round").first()


def passed_on(project: Any) -> dt.date | None:
    """The day of the 合格 conclusion (fact ``acceptance.passed_on``)."""
    row = passed_acceptance(project)
    return row.concluded_on if row else None


def quality_ok(project: Any) -> bool | None:
    """Fact ``acceptance.quality_ok``: passed at the first round and no defect of the period left unrepaired past
    its deadline; None while the acceptance has not passed."""
    rows = list(Acceptance.objects.filter(project_id=project.pk).values_list("round", "status"))
    passed = [r for r, s in rows if s == Acceptance.Status.PASSED]
    if not passed:
        return None
    if min(passed) != 1:
        return False
    today = timezone.localdate()
    overdue = (
        DefectReport.objects.filter(period__project_id=project.pk, notice__deadline__lt=today)
        .exclude(notice__status=CLOSED)
        .exists()
    )
    return not overdue


@dataclass
class AcceptanceView:
    acceptance: Acceptance | None
    rounds: list[Acceptance]
    parties: list[AcceptanceParty] = field(default_factory=list)
    problems: list[AcceptanceProblem] = field(default_factory=list)

    @property
    def open_problems(self) -> int:
        return sum(1 for p in self.problems if p.notice.status != CLOSED)

    @property
    def opinions_pending(self) -> int:
        return sum(1 for p in self.parties if not p.opinion)


def acceptance_view(project: Any) -> AcceptanceView:
    """The acceptance page's data: every round, and the latest with its parties and problems (4 queries)."""
    rounds = list(
        Acceptance.objects.filter(project_id=project.pk)
        .select_related("declared_by", "organised_by", "concluded_by", "filed_by", "report", "filing")
        .order_by("-round")
    )
    if not rounds:
        return AcceptanceView(None, [])
    latest = rounds[0]
    parties = list(latest.parties.select_related("recorded_by").order_by("id"))
    problems = list(latest.problems.select_related("notice", "notice__responsible_org").order_by("id"))
    return AcceptanceView(latest, rounds, parties, problems)


def gate_facts(project: Any) -> tuple[Acceptance | None, int]:
    """The latest round and its problems not yet verified (2 queries)."""
    latest = latest_acceptance(project)
    if latest is None:
        return None, 0
    open_count = AcceptanceProblem.objects.filter(acceptance=latest).exclude(notice__status=CLOSED).count()
    return latest, open_count


@dataclass
class PeriodView:
    period: DefectPeriod
    defects: list[DefectReport]
    deposit_return: DepositReturn | None
    wage_returns: list[WageDepositReturn]


def periods_view(project: Any) -> list[PeriodView]:
    """The project's defect periods with their defects, deposit return and wage returns (5 queries)."""
    periods = list(
        DefectPeriod.objects.filter(project_id=project.pk)
        .select_related("contract", "contract__supplier")
        .prefetch_related(
            Prefetch("defects", queryset=DefectReport.objects.select_related("notice").order_by("id")),
            Prefetch("wage_returns", queryset=WageDepositReturn.objects.select_related("deposit").order_by("id")),
        )
        .order_by("id")
    )
    returns = {
        r.period_id: r
        for r in DepositReturn.objects.filter(period__in=periods).select_related("payment_request").prefetch_related("deductions")
    }
    return [PeriodView(p, list(p.defects.all()), returns.get(p.pk), list(p.wage_returns.all())) for p in periods]


def period_for_contract(contract: Any) -> tuple[bool, dt.date | None] | None:
    """Finance's hook: the end of the contract's period from the passed acceptance; (True, None) while its project's
    acceptance is recorded here but has not passed; None for a contract whose project has no acceptance here."""
    row = DefectPeriod.objects.filter(contract_id=contract.pk).values_list("ends_on", flat=True).first()
    if row is not None:
        return True, row
    if Acceptance.objects.filter(project_id=contract.project_id).exclude(status=Acceptance.Status.PASSED).exists():
        return True, None
    return None


def defects_for_export(project: Any) -> QuerySet[DefectReport]:
    return (
        DefectReport.objects.filter(period__project_id=project.pk)
        .select_related("notice", "period", "period__contract")
        .order_by("notice__issued_on", "id")
    )


# ------------------------------------------------------------------------------------------- workbench


def declared_to_organise(agency_ids: set[int]) -> QuerySet[Acceptance]:
    return Acceptance.objects.filter(project__agency_id__in=agency_ids, status=Acceptance.Status.DECLARED).select_related(
        "project"
    )


def opinions_due_for_managers(agency_ids: set[int]) -> QuerySet[Acceptance]:
    return Acceptance.objects.filter(project__agency_id__in=agency_ids, status=Acceptance.Status.ORGANISED).select_related(
        "project"
    )


def opinions_due_for_org(org_id: int) -> QuerySet[AcceptanceParty]:
    return AcceptanceParty.objects.filter(
        external_org_id=org_id, opinion="", acceptance__status=Acceptance.Status.ORGANISED
    ).select_related("acceptance", "acceptance__project")


def filings_due(agency_ids: set[int]) -> QuerySet[Acceptance]:
    return Acceptance.objects.filter(
        project__agency_id__in=agency_ids, status=Acceptance.Status.PASSED, filed_on__isnull=True
    ).select_related("project")


def defects_overdue(agency_ids: set[int], today: dt.date) -> QuerySet[DefectReport]:
    return (
        DefectReport.objects.filter(period__project__agency_id__in=agency_ids, notice__deadline__lt=today)
        .exclude(notice__status=CLOSED)
        .select_related("notice", "period__project")
    )


def deposits_due(agency_ids: set[int], today: dt.date) -> QuerySet[DefectPeriod]:
    return DefectPeriod.objects.filter(
        project__agency_id__in=agency_ids,
        ends_on__lte=today,
        status__in=(DefectPeriod.Status.RUNNING, DefectPeriod.Status.RETURN_PREPARED),
    ).select_related("project", "contract")


def wage_returns_due(agency_ids: set[int]) -> QuerySet[WageDepositReturn]:
    return WageDepositReturn.objects.filter(period__project__agency_id__in=agency_ids, returned_on__isnull=True).select_related(
        "period__project", "deposit"
    )


SUPERVISION_NOTICE_KEY = "acceptance.supervision_notice_working_days"


def supervision_earliest(acceptance: Acceptance) -> tuple[int, dt.date | None]:
    """The rule's working days (``acceptance.supervision_notice_working_days``) and the earliest acceptance date
    the recorded notice to the quality supervision body allows (None without a notice). Two queries."""
    days = int(rule_value(SUPERVISION_NOTICE_KEY, agency=acceptance.project.agency))
    notified = acceptance.supervision_notified_on
    return days, (add_working_days(notified, days) if notified is not None else None)


def supervision_notices_missing(agency_ids: set[int]) -> QuerySet[Acceptance]:
    """Scheduled acceptances (组织中, with a date) whose notice to the quality supervision body is not recorded."""
    return Acceptance.objects.filter(
        project__agency_id__in=agency_ids,
        status=Acceptance.Status.ORGANISED,
        scheduled_on__isnull=False,
        supervision_notified_on__isnull=True,
    ).select_related("project", "project__agency")


def notice_due_dates(scheduled: list[tuple[dt.date, int]]) -> dict[tuple[dt.date, int], dt.date]:
    """For each (acceptance date, the agency's working days), the last day the notice may be given (that many
    working days before the acceptance). One query."""
    if not scheduled:
        return {}
    margin = dt.timedelta(days=max(days for _, days in scheduled) * 3 + 30)
    exceptions = calendar_exceptions(min(d for d, _ in scheduled) - margin, max(d for d, _ in scheduled))
    return {(d, days): add_working_days_in(d, -days, exceptions=exceptions) for d, days in set(scheduled)}


@dataclass(frozen=True)
class RegisterRow:
    project: Any
    acceptance: Acceptance | None

    @property
    def notice_missing(self) -> bool:
        a = self.acceptance
        return a is not None and a.is_open and a.scheduled_on is not None and a.supervision_notified_on is None


def register_rows(projects: list[Any]) -> list[RegisterRow]:
    """The register's rows for one page of projects: each with its latest acceptance round (one query)."""
    latest: dict[int, Acceptance] = {}
    for a in Acceptance.objects.filter(project_id__in=[p.pk for p in projects]).order_by("project_id", "-round"):
        latest.setdefault(a.project_id, a)
    return [RegisterRow(p, latest.get(p.pk)) for p in projects]
