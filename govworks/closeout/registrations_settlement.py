"""What the settlement audit plugs in (imported from ``CloseoutConfig.ready``): menus, workbench items with
their due dates, finance's settlement provider (the 结算款 and the 结算审计 gate read the approved settlement
through it), the facts other areas read, the 三重一大 subject kind ``settlement`` (a settlement above the
contract amount plus approved changes), audit labels and the demo seeder."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from govworks.closeout import audit_labels_settlement  # noqa: F401  (registers the audit labels)
from govworks.closeout import permissions_settlement as perms
from govworks.closeout import rules_settlement as rules
from govworks.closeout.demo_settlement import seed_settlement_demo
from govworks.closeout.models import Settlement
from govworks.closeout.navigation import SECTION
from govworks.closeout.selectors import settlement as selectors
from govworks.closeout.selectors.facts import register_project_fact
from govworks.core.money import yuan_text
from govworks.core.registry import (
    DecisionFact,
    DecisionSubjectFacts,
    DecisionSubjectKind,
    NavItem,
    WorkItem,
    register_decision_subject,
    register_demo_seeder,
    register_nav,
    register_workbench_provider,
)
from govworks.finance.selectors.settlements import register_settlement_provider
from govworks.org import permissions as org_perms
from govworks.org.roles import Role
from govworks.projects.models import AgendaItem, ProjectResponsibility, Stage

register_nav(NavItem(SECTION, _("结算审计"), "closeout:settlement_list", "ti-calculator", perms.may_read_settlements, 61))
register_nav(
    NavItem(
        SECTION,
        _("审计机构库"),
        "closeout:audit_firm_list",
        "ti-building-community",
        lambda u: bool(org_perms.business_readable_agency_ids(u)) and not perms.is_external(u),
        62,
    )
)

register_settlement_provider(selectors.settlement_state)
register_project_fact("settlement.submitted_total", selectors.submitted_total)
register_project_fact("settlement.approved_total", selectors.approved_total)
register_project_fact("settlement.reduction_rate", selectors.reduction_rate)


# ------------------------------------------------------------------------------------------ workbench


def _item(s: Settlement, title: str, kind: str = "结算审计") -> WorkItem:
    return WorkItem(
        title=f"{title}：{s.number}",
        url=reverse("closeout:settlement_detail", args=[s.contract_id]),
        kind=kind,
        due=s.due_on,
        detail=f"{s.project.code} {s.project.name} · 合同{s.contract.number} · 送审 {yuan_text(Decimal(s.submitted_amount))}",
    )


def _open(qs: QuerySet[Settlement]) -> QuerySet[Settlement]:
    return qs.exclude(status=Settlement.Status.APPROVED).select_related("project", "contract").order_by("due_on", "id")[:30]


#: who has an open settlement item, cached (cleared by the settlement services; at most 5 minutes stale), so the
#: home page asks the database for these items only when the user does have one
OWNERS_KEY = selectors.WORK_OWNERS_KEY


def _owners() -> dict[str, set[int]]:
    found = cache.get(OWNERS_KEY)
    if found is None:
        open_rows = list(
            Settlement.objects.exclude(status=Settlement.Status.APPROVED).values_list(
                "project_id", "project__agency_id", "status", "contract__supplier__external_org_id", "firm__external_org_id"
            )
        )
        projects = {r[0] for r in open_rows}
        found = {
            "users": set(
                ProjectResponsibility.objects.filter(stage=Stage.SETTLEMENT, project_id__in=projects).values_list(
                    "responsible_id", flat=True
                )
            )
            if projects
            else set(),
            "agencies": {r[1] for r in open_rows},
            "confirmed": {r[1] for r in open_rows if r[2] == Settlement.Status.CONFIRMED},
            "orgs": {r[3] for r in open_rows if r[2] == Settlement.Status.AUDITED and r[3]}
            | {r[4] for r in open_rows if r[2] == Settlement.Status.REVIEW and r[4]},
        }
        cache.set(OWNERS_KEY, found, 300)
    return found  # type: ignore[no-any-return]


def settlement_work_items(user: Any) -> list[WorkItem]:
    """The contractor: results to confirm; the firm: settlements to review; the finance person responsible for
    the 结算审计 stage (or, without one named, 财务 of the agency): every open settlement with its deadline
    (overdue shows so); 科室负责人: confirmed settlements to approve."""
    if not org_perms.is_signed_in(user):
        return []
    if getattr(user, "is_external", False):
        org = getattr(user, "external_org_id", None)
        if org is None or org not in _owners()["orgs"]:
            return []
        rows = _open(
            Settlement.objects.filter(
                Q(contract__supplier__external_org_id=org, status=Settlement.Status.AUDITED)
                | Q(firm__external_org_id=org, status=Settlement.Status.REVIEW)
            )
        )
        return [_item(s, "审定结果待确认" if s.status == Settlement.Status.AUDITED else "结算待审核") for s in rows]
    owners = _owners()
    items: list[WorkItem] = []
    finance_agencies = {
        a for a in org_perms.agency_ids_where(user, perms.SETTLEMENT_MANAGE) if Role.FINANCE in org_perms.roles_in(user, a)
    }
    mine = Q(project__responsibilities__stage=Stage.SETTLEMENT, project__responsibilities__responsible=user)
    if finance_agencies:
        named = ProjectResponsibility.objects.filter(
            stage=Stage.SETTLEMENT, project_id__in=Settlement.objects.values("project_id")
        )
        mine |= Q(project__agency_id__in=finance_agencies) & ~Q(project_id__in=named.values("project_id"))
    labels: dict[str, str] = {
        Settlement.Status.SUBMITTED: "结算待抽取审计机构",
        Settlement.Status.REVIEW: "结算审核中",
        Settlement.Status.AUDITED: "结算待施工单位确认",
        Settlement.Status.CONFIRMED: "结算待审批",
    }
    if user.pk in owners["users"] or finance_agencies & owners["agencies"]:
        items += [_item(s, labels.get(s.status, "结算审计")) for s in _open(Settlement.objects.filter(mine).distinct())]
    approve = set(org_perms.agency_ids_where(user, perms.SETTLEMENT_APPROVE)) & owners["confirmed"]
    if approve:
        rows = _open(
            Settlement.objects.filter(project__agency_id__in=approve, status=Settlement.Status.CONFIRMED)
            .exclude(drawn_by=user)
            .exclude(result_by=user)
        )
        seen = {i.url for i in items}
        items += [i for i in (_item(s, "结算待审批") for s in rows) if i.url not in seen]
    return items


register_workbench_provider(settlement_work_items)


# ------------------------------------------------------------------------------------------ 三重一大


def _settlements(qs: QuerySet[Settlement]) -> QuerySet[Settlement]:
    return qs.select_related("project", "project__agency", "contract", "contract__supplier")


def settlement_candidates(user: Any, agency: Any) -> QuerySet[Settlement]:
    """The agency's confirmed settlements above the contract amount plus approved changes ``user`` may see."""
    qs = perms.settlements_visible_to(user).filter(
        project__agency_id=agency.pk, status=Settlement.Status.CONFIRMED, requires_decision=True
    )
    return _settlements(qs).order_by("project__code", "number")


def settlement_problem(settlement: Settlement) -> str:
    """A settlement awaits the decision once confirmed by the contractor, when above the contract amount plus
    approved changes."""
    if settlement.status != Settlement.Status.CONFIRMED:
        return f"结算{settlement.number}当前为“{settlement.get_status_display()}”；施工单位确认审定结果后方可列入议题"
    if not settlement.requires_decision:
        return f"结算{settlement.number}审定金额未超过合同金额与已批准变更之和，无须集体决策（{rules.CEILING_RULE}）"
    return ""


def settlement_facts(settlement: Settlement) -> DecisionSubjectFacts:
    contract = settlement.contract
    approved = Decimal(settlement.approved_amount or 0)
    return DecisionSubjectFacts(
        title=f"结算{settlement.number}（合同{contract.number}）",
        amount=approved,
        facts=(
            DecisionFact("项目", f"{settlement.project.code} {settlement.project.name}"),
            DecisionFact("合同", f"{contract.number}《{contract.title}》，合同金额 {yuan_text(Decimal(contract.amount))}"),
            DecisionFact("施工单位", contract.supplier.name),
            DecisionFact("送审金额", yuan_text(Decimal(settlement.submitted_amount))),
            DecisionFact("审定金额", yuan_text(approved)),
            DecisionFact("审减率", settlement.reduction_text),
            DecisionFact("审计报告", settlement.report_number),
        ),
        url=reverse("closeout:settlement_detail", args=[contract.pk]),
    )


SETTLEMENT_SUBJECT = DecisionSubjectKind(
    key="settlement",
    label="超合同价款结算",
    model=Settlement,
    category=AgendaItem.Category.LARGE_FUND,
    candidates=settlement_candidates,
    problem=settlement_problem,
    facts=settlement_facts,
    queryset=lambda: _settlements(Settlement.objects.all()),
    visible_to=perms.settlements_visible_to,
    agency_id=lambda s: int(s.project.agency_id),
    project=lambda s: s.project,
    order=60,
)
register_decision_subject(SETTLEMENT_SUBJECT)
register_demo_seeder(61, "结算审计", seed_settlement_demo)
