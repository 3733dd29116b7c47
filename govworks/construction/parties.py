"""The companies on a project's site (施工单位, 监理单位) — the parties of its signed main construction and
supervision contracts (:mod:`govworks.construction.selectors.parties`) — told to the expert draw, through
the external organisations their people sign in with, so their employees are left out of every panel of
the project (:mod:`govworks.projects.services.expert_draws`)."""

from __future__ import annotations

from govworks.construction.selectors.parties import CONTRACTOR, SUPERVISOR, site_parties
from govworks.projects.models import Project
from govworks.projects.rules import Party
from govworks.projects.services.expert_draws import register_project_parties


def project_parties_on_site(project: Project) -> list[Party]:
    """The site's contractor and supervisor organisations, when their contracts are signed (one query)."""
    parties = site_parties(project)
    return [
        Party(role, org.name, org.credit_code, org.pk)
        for role, org in ((CONTRACTOR, parties.contractor_org), (SUPERVISOR, parties.supervisor_org))
        if org is not None
    ]


register_project_parties(project_parties_on_site)
