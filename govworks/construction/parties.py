"""The companies on a project's site (施工单位, 监理单位), told to the expert draw so their employees are
left out of every panel of the project (:mod:`govworks.projects.services.expert_draws`)."""

from __future__ import annotations

from govworks.construction.models import ProjectSite
from govworks.projects.models import Project
from govworks.projects.rules import Party
from govworks.projects.services.expert_draws import register_project_parties


def project_parties_on_site(project: Project) -> list[Party]:
    """The site's contractor and supervisor, when set (one query)."""
    site = ProjectSite.objects.filter(project=project).select_related("contractor_org", "supervisor_org").first()
    if site is None:
        return []
    return [
        Party(role, org.name, org.credit_code, org.pk)
        for role, org in (("施工单位", site.contractor_org), ("监理单位", site.supervisor_org))
        if org is not None
    ]


register_project_parties(project_parties_on_site)
