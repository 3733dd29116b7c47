"""The one expert draw used by every panel: 专家论证 (projects) and the 评标委员会 (procurement).

An expert is left out when they work for, or are tied to, the project's agency or one of its superiors,
or when they work for any party of the project — the suppliers of its contracts, the bidders of its
tenders, the contractor and supervisor on site — matched by 统一社会信用代码, by external-organisation
account and by normalised name (:func:`govworks.projects.rules.employer_party`). Later modules tell
the draw who the parties are through :func:`register_project_parties` (``projects`` imports none of
them). The seed, the pool and the parties are stored with the result, so the draw can be replayed
exactly, whatever changes afterwards.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from govworks.core.errors import DomainError
from govworks.projects.models import Expert, Project, Speciality
from govworks.projects.rules import Candidate, Party, conflict_reason, draw_panel, eligible

#: who the parties of a project are, one provider per module that knows some: provider(project) -> parties
project_party_providers: list[Callable[[Project], Sequence[Party]]] = []


def register_project_parties(provider: Callable[[Project], Sequence[Party]]) -> None:
    """Add a provider of a project's parties (called in the providing app's ``AppConfig.ready``)."""
    if provider not in project_party_providers:
        project_party_providers.append(provider)


def project_parties(project: Project) -> list[Party]:
    """Every party of ``project`` the registered providers know, each company once per role."""
    seen: set[tuple[str, str, str, int | None]] = set()
    parties: list[Party] = []
    for provider in project_party_providers:
        for party in provider(project):
            key = (party.role, party.name, party.credit_code, party.org_id)
            if key not in seen:
                seen.add(key)
                parties.append(party)
    return parties


#: registers of companies an expert may work for (procurement adds its supplier register): provider() -> (name, credit code)
employer_directory_providers: list[Callable[[], Sequence[tuple[str, str]]]] = []


def register_employer_directory(provider: Callable[[], Sequence[tuple[str, str]]]) -> None:
    """Add a register of companies the expert form offers as 工作单位 (called in ``AppConfig.ready``)."""
    if provider not in employer_directory_providers:
        employer_directory_providers.append(provider)


def employer_directory() -> list[tuple[str, str]]:
    """(name, 统一社会信用代码) of every company the registered registers know, by name, each code once."""
    seen: dict[str, str] = {}
    for provider in employer_directory_providers:
        for name, code in provider():
            seen.setdefault(code, name)
    return sorted(((name, code) for code, name in seen.items()), key=lambda row: (row[0], row[1]))


@dataclass(frozen=True)
class PanelDraw:
    """A drawn panel with everything needed to store and replay it."""

    seed: str
    pool_snapshot: dict[str, Any]
    excluded: list[int]
    panel: list[int]
    eligible_count: int
    names: dict[int, str]

    def panel_names(self) -> str:
        return "、".join(self.names[i] for i in self.panel)


def _expert_row(expert: Expert) -> dict[str, Any]:
    return {
        "id": expert.pk,
        "speciality": expert.speciality,
        "employer_agency": expert.employer_agency_id,
        "employer_org": expert.employer_org_id,
        "employer_name": expert.employer,
        "employer_credit_code": expert.employer_credit_code,
        "conflict_agencies": sorted(a.pk for a in expert.conflict_agencies.all()),
        "conflict_orgs": sorted(o.pk for o in expert.conflict_orgs.all()),
    }


def candidates_from_snapshot(snapshot: Sequence[dict[str, Any]]) -> list[Candidate]:
    """The stored pool as rule candidates (snapshots from before employer names were kept match by ids only)."""
    return [
        Candidate(
            expert_id=row["id"],
            speciality=row["speciality"],
            employer_agency_id=row["employer_agency"],
            employer_org_id=row["employer_org"],
            conflict_agency_ids=frozenset(row["conflict_agencies"]),
            conflict_org_ids=frozenset(row["conflict_orgs"]),
            employer_name=row.get("employer_name", ""),
            employer_credit_code=row.get("employer_credit_code", ""),
        )
        for row in snapshot
    ]


def _parties_from_snapshot(snapshot: dict[str, Any]) -> list[Party]:
    return [Party(**row) for row in snapshot.get("parties", [])]


def expert_panel_draw(
    *,
    project: Project,
    speciality: str,
    panel_size: int,
    refusal_code: str,
    pool_label: str,
) -> PanelDraw:
    """Draw ``panel_size`` experts of ``speciality`` at random, leaving out every conflicted expert.

    Runs inside the caller's transaction (the caller stores the result and writes the audit event).
    Refuses with ``refusal_code`` when fewer eligible experts than ``panel_size`` remain, naming both
    numbers and how many were left out; ``pool_label`` names the pool in that message.
    """
    pool = list(
        Expert.objects.filter(is_active=True, speciality=speciality)
        .prefetch_related("conflict_agencies", "conflict_orgs")
        .order_by("pk")
    )
    experts = [_expert_row(e) for e in pool]
    agency_ids = frozenset({project.agency_id, *project.agency.ancestor_ids()})  # its superiors file and approve it too
    parties = project_parties(project)  # once: the snapshot must hold exactly the parties the draw excluded by
    org_ids = frozenset(p.org_id for p in parties if p.org_id is not None)
    ok, excluded = eligible(
        candidates_from_snapshot(experts), speciality=speciality, agency_ids=agency_ids, org_ids=org_ids, parties=parties
    )
    if len(ok) < panel_size:
        raise DomainError(
            refusal_code,
            f"{pool_label}符合回避要求的在库专家只有 {len(ok)} 名，不足抽取 {panel_size} 名（已回避 {len(excluded)} 名）",
            field="panel_size",
        )
    seed = secrets.token_hex(16)
    return PanelDraw(
        seed=seed,
        pool_snapshot={
            "agency_ids": sorted(agency_ids),
            "org_ids": sorted(org_ids),
            "parties": [asdict(p) for p in parties],
            "experts": experts,
        },
        excluded=excluded,
        panel=draw_panel(ok, size=panel_size, seed=seed),
        eligible_count=len(ok),
        names={e.pk: e.name for e in pool},
    )


def expert_panel_replay(*, pool_snapshot: dict[str, Any], speciality: str, panel_size: int, seed: str) -> list[int]:
    """Re-run a stored draw: the same seed, pool and parties give the same panel."""
    ok, _ = eligible(
        candidates_from_snapshot(pool_snapshot.get("experts", [])),
        speciality=speciality,
        agency_ids=frozenset(pool_snapshot.get("agency_ids", [])),
        org_ids=frozenset(pool_snapshot.get("org_ids", [])),
        parties=_parties_from_snapshot(pool_snapshot),
    )
    return draw_panel(ok, size=panel_size, seed=seed)


def expert_panel_exclusions(*, pool_snapshot: dict[str, Any], speciality: str) -> dict[int, str | None]:
    """For each stored candidate of ``speciality``: why they were left out, or None (computed afresh)."""
    agency_ids = frozenset(pool_snapshot.get("agency_ids", []))
    org_ids = frozenset(pool_snapshot.get("org_ids", []))
    parties = _parties_from_snapshot(pool_snapshot)
    return {
        c.expert_id: conflict_reason(c, agency_ids=agency_ids, org_ids=org_ids, parties=parties)
        for c in candidates_from_snapshot(pool_snapshot.get("experts", []))
        if c.speciality == speciality
    }


def speciality_label(speciality: str) -> str:
    """The Chinese name of a speciality (the code itself when unknown)."""
    return Speciality(speciality).label if speciality in Speciality.values else speciality
