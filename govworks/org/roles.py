"""The role vocabulary (DOMAIN.md §3). One place; every module refers to these codes."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    PROJECT_MANAGER = "project_manager", "工程管理岗"
    DEPARTMENT_HEAD = "department_head", "科室负责人"
    LEADER_IN_CHARGE = "leader_in_charge", "分管领导"
    PRINCIPAL_LEADER = "principal_leader", "主要领导"
    FINANCE = "finance", "财务"
    DISCIPLINE = "discipline", "纪检监察"
    INTERNAL_AUDIT = "internal_audit", "内审"
    LIAISON = "liaison", "项目联络员"
    ARCHIVIST = "archivist", "档案员"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "安全审计员"


#: 三员分立: the platform administrators. They manage accounts, grants and logs, never business.
ADMIN_ROLES: frozenset[str] = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
BUSINESS_ROLES: frozenset[str] = frozenset(r.value for r in Role) - ADMIN_ROLES


class ExternalKind(models.TextChoices):
    """External parties, identified by their organisation; assigned per project by later modules."""

    CONTRACTOR = "contractor", "施工单位"
    SUPERVISOR = "supervisor", "监理单位"
    DESIGNER = "designer", "设计单位"
    COST_CONSULTANT = "cost_consultant", "造价咨询"
    OTHER = "other", "其他"
