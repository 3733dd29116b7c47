"""Who is on site: the parties of the project's signed contracts. The contractor (施工单位) is the supplier
of the signed main construction contract (主体施工合同); the supervisor (监理单位) is the supplier of the
signed supervision contract — a signed contract whose supplier's main category is 监理. A supplier acts
through the external organisation (people with accounts) its record is linked to. When several are
signed, the latest signed counts. Nothing else — no hand-picked company on the site — makes a party."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from govworks.org.models import ExternalOrganization
from govworks.procurement.models import Contract, SupplierCategory
from govworks.projects.models import Project

CONTRACTOR = "施工单位"
SUPERVISOR = "监理单位"


def _main_q() -> Q:
    return Q(is_main_construction=True)


def _supervision_q() -> Q:
    return Q(supplier__category=SupplierCategory.SUPERVISION) & Q(is_main_construction=False)


@dataclass(frozen=True)
class SiteParties:
    """The signed main construction contract and the signed supervision contract of a project (or None)."""

    contractor: Contract | None
    supervisor: Contract | None

    @property
    def contractor_org(self) -> ExternalOrganization | None:
        return self.contractor.supplier.external_org if self.contractor is not None else None

    @property
    def supervisor_org(self) -> ExternalOrganization | None:
        return self.supervisor.supplier.external_org if self.supervisor is not None else None

    @property
    def contractor_org_id(self) -> int | None:
        return self.contractor.supplier.external_org_id if self.contractor is not None else None

    @property
    def supervisor_org_id(self) -> int | None:
        return self.supervisor.supplier.external_org_id if self.supervisor is not None else None

    def refusal(self, *, role: str, org: ExternalOrganization | None) -> str:
        """Why ``org`` may not act as the project's ``role`` (施工单位 / 监理单位), naming the contract and
        its supplier — for the refusal of a report by a company that is not the party."""
        contract = self.contractor if role == CONTRACTOR else self.supervisor
        kind = "主体施工合同" if role == CONTRACTOR else "监理合同"
        who = f"“{org.name}”" if org is not None else "您所在单位"
        if contract is None:
            return f"本项目尚无已签订的{kind}，{who}不是本项目的{role}"
        return f"本项目{role}为已签订的{kind}{contract}的乙方“{contract.supplier.name}”，{who}不是该合同的当事方"


def site_parties(project: Project) -> SiteParties:
    """The project's contractor and supervisor from its signed contracts (one query, cached on the
    project instance for the rest of the request or service call)."""
    cached: SiteParties | None = getattr(project, "_site_parties", None)
    if cached is not None:
        return cached
    contractor = supervisor = None
    rows = (
        Contract.objects.filter(project_id=project.pk, status=Contract.Status.SIGNED)
        .filter(_main_q() | _supervision_q())
        .select_related("supplier", "supplier__external_org")
        .order_by("signed_on", "pk")
    )
    for row in rows:
        if row.is_main_construction:
            contractor = row
        else:
            supervisor = row
    parties = SiteParties(contractor, supervisor)
    project._site_parties = parties  # type: ignore[attr-defined]
    return parties


def site_parties_forget(project: Project) -> None:
    """Drop the parties cached on ``project`` (after signing a contract with the same instance in hand)."""
    project.__dict__.pop("_site_parties", None)


def _signed(org_id: int, role_q: Q) -> Any:
    return Contract.objects.filter(
        role_q, project_id=OuterRef("pk"), status=Contract.Status.SIGNED, supplier__external_org_id=org_id
    )


def projects_of_party(org_id: int) -> QuerySet[Project]:
    """Projects where the external organisation is the contractor or the supervisor by a signed contract."""
    return Project.objects.filter(Exists(_signed(org_id, _main_q())) | Exists(_signed(org_id, _supervision_q())))


def projects_supervised_by(org_id: int) -> QuerySet[Project]:
    """Projects whose signed supervision contract's supplier is the external organisation."""
    return Project.objects.filter(Exists(_signed(org_id, _supervision_q())))


def projects_with_supervisor() -> QuerySet[Project]:
    """Projects that have a signed supervision contract (their progress is confirmed by the supervisor)."""
    return Project.objects.filter(
        Exists(Contract.objects.filter(_supervision_q(), project_id=OuterRef("pk"), status=Contract.Status.SIGNED))
    )
