"""What the completion acceptance and the defect period register with the lower modules: the 竣工验收 stage gate,
the facts ``acceptance.passed_on`` / ``acceptance.quality_ok``, finance's defect-period hook, the workspace panel,
the workbench items and the demo."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govworks.closeout import audit_labels_acceptance, demo_acceptance  # noqa: F401  (labels, demo seeder)
from govworks.closeout import permissions_acceptance as perms
from govworks.closeout import rules_acceptance as rules
from govworks.closeout.models import Acceptance
from govworks.closeout.navigation import SECTION
from govworks.closeout.selectors import acceptance as sel
from govworks.closeout.selectors.facts import register_project_fact
from govworks.core.registry import (
    GateCondition,
    NavItem,
    WorkItem,
    WorkspacePanel,
    register_gate_conditions,
    register_nav,
    register_workbench_provider,
    register_workspace_panel,
)
from govworks.core.rule_parameters import rule_value
from govworks.finance.selectors.defect_periods import register_defect_period_provider
from govworks.org import permissions as org_perms
from govworks.projects.models import Stage

PANEL_ORDER = 60


def acceptance_url(project_id: int) -> str:
    return reverse("closeout:acceptance", args=[project_id])


def defects_url(project_id: int) -> str:
    return reverse("closeout:defects", args=[project_id])


def acceptance_gate(project: Any) -> list[GateCondition]:
    """To leave 竣工验收: the latest round concluded 合格, every problem found verified, the 备案 recorded (2 queries)."""
    latest, open_problems = sel.gate_facts(project)
    url = acceptance_url(project.pk)
    passed = latest is not None and latest.status == Acceptance.Status.PASSED
    if latest is None:
        detail = "施工单位尚未申报竣工"
    else:
        detail = latest.get_status_display() + (f"（{latest.concluded_on:%Y-%m-%d}）" if latest.concluded_on else "")
    filed_detail = "验收合格后办理"
    if latest is not None and latest.filed_on is not None:
        filed_detail = f"{latest.filed_on:%Y-%m-%d} {latest.filing_authority} {latest.filing_number}"
    elif passed and latest is not None and latest.filing_due_on is not None:
        filed_detail = f"尚未备案，期限{latest.filing_due_on:%Y-%m-%d}"
    return [
        GateCondition("acceptance.passed", "竣工验收结论为合格", passed, detail, url),
        GateCondition(
            "acceptance.problems_closed",
            "验收发现的问题全部整改并复查合格",
            latest is not None and open_problems == 0,
            f"未销项{open_problems}项" if latest is not None else "尚未验收",
            url,
        ),
        GateCondition(
            "acceptance.filed", "竣工验收备案已登记", latest is not None and latest.filed_on is not None, filed_detail, url
        ),
    ]


register_gate_conditions(Stage.ACCEPTANCE, acceptance_gate)
register_nav(NavItem(SECTION, _("竣工验收台账"), "closeout:acceptance_list", "ti-clipboard-check", perms.may_read_register, 60))
register_project_fact("acceptance.passed_on", sel.passed_on)
register_project_fact("acceptance.quality_ok", sel.quality_ok)
register_defect_period_provider(sel.period_for_contract)


#: the stages whose workspace shows the acceptance's state (earlier ones show the panel's explanation, no query)
SHOWN_FROM = (
    Stage.CONSTRUCTION,
    Stage.ACCEPTANCE,
    Stage.SETTLEMENT,
    Stage.FINAL_ACCOUNTS,
    Stage.ARCHIVING,
    Stage.ASSET_HANDOVER,
    Stage.EVALUATION,
    Stage.CLOSED,
)


def render_panel(request: Any, project: Any) -> str:
    view = sel.acceptance_view(project) if project.stage in SHOWN_FROM else sel.AcceptanceView(None, [])
    return render_to_string(
        "closeout/acceptance/panel.html",
        {"project": project, "view": view, "periods": sel.periods_view(project) if view.acceptance else []},
        request=request,
    )


register_workspace_panel(WorkspacePanel(PANEL_ORDER, "closeout.acceptance", "竣工验收与缺陷责任期", render_panel))


def work_items(user: Any) -> list[WorkItem]:
    """Acceptances to organise, opinions due, filings due or overdue, defects overdue, deposits due for return."""
    if not org_perms.is_signed_in(user):
        return []
    today = timezone.localdate()
    items: list[WorkItem] = []
    org_id = perms.external_org_id(user)
    if org_id is not None:
        for party in sel.opinions_due_for_org(org_id):
            a = party.acceptance
            items.append(
                WorkItem(f"竣工验收待签署意见：{a.project}", acceptance_url(a.project_id), "竣工验收", a.scheduled_on,
                         f"{party.get_role_display()}：{party.name}")
            )  # fmt: skip
        return items
    agencies = org_perms.agency_ids_where(user, perms.ACCEPTANCE_MANAGE)
    if not agencies or not Acceptance.objects.filter(project__manager=user, project__agency_id__in=agencies).exists():
        return items  # every item below is of a project the user manages that has an acceptance (one query when none)
    mine = {"project__manager": user}
    for a in sel.declared_to_organise(agencies).filter(**mine):
        items.append(
            WorkItem(f"施工单位已申报竣工，请组织竣工验收：{a.project}", acceptance_url(a.project_id), "竣工验收", None,
                     f"{a.declared_on:%Y-%m-%d}申报")
        )  # fmt: skip
    for a in sel.opinions_due_for_managers(agencies).filter(**mine):
        items.append(
            WorkItem(f"竣工验收进行中（各方意见、问题整改、结论）：{a.project}", acceptance_url(a.project_id), "竣工验收",
                     a.scheduled_on, a.location)
        )  # fmt: skip
    missing = list(sel.supervision_notices_missing(agencies).filter(**mine))
    days_of: dict[int, int] = {}  # each agency's own rule value (one read per agency, not per acceptance)
    for a in missing:
        if a.project.agency_id not in days_of:
            days_of[a.project.agency_id] = int(rule_value(sel.SUPERVISION_NOTICE_KEY, agency=a.project.agency))
    due = sel.notice_due_dates([(a.scheduled_on, days_of[a.project.agency_id]) for a in missing if a.scheduled_on])
    for a in missing:
        assert a.scheduled_on is not None
        days = days_of[a.project.agency_id]
        items.append(
            WorkItem(f"竣工验收前请书面通知质量监督机构：{a.project}", acceptance_url(a.project_id), "竣工验收",
                     due[(a.scheduled_on, days)], f"验收{a.scheduled_on:%Y-%m-%d}，须提前{days}个工作日书面通知")
        )  # fmt: skip
    for a in sel.filings_due(agencies).filter(**mine):
        late = rules.filing_overdue(a.filing_due_on, a.filed_on, today)
        items.append(
            WorkItem(("竣工验收备案已逾期：" if late else "竣工验收待备案：") + str(a.project), acceptance_url(a.project_id),
                     "验收备案", a.filing_due_on, f"验收合格{a.concluded_on:%Y-%m-%d}，竣工验收备案期限至{a.filing_due_on:%Y-%m-%d}")
        )  # fmt: skip
    for d in sel.defects_overdue(agencies, today).filter(period__project__manager=user):
        items.append(
            WorkItem(f"缺陷逾期未修复：{d.notice}（{d.period.project}）", defects_url(d.period.project_id), "缺陷责任期",
                     d.notice.deadline, d.notice.finding[:120])
        )  # fmt: skip
    for p in sel.deposits_due(agencies, today).filter(project__manager=user):
        items.append(
            WorkItem(f"缺陷责任期已满，请核定返还质量保证金：{p.project}", defects_url(p.project_id), "质保金返还", p.ends_on,
                     f"合同{p.contract.number}，{p.ends_on:%Y-%m-%d}期满")
        )  # fmt: skip
    for w in sel.wage_returns_due(agencies).filter(period__project__manager=user):
        items.append(
            WorkItem(f"工资保证金返还：{w.period.project}", defects_url(w.period.project_id), "工资保证金",
                     rules.publicity_ends_on(w.publicity_from, w.publicity_days), f"{w.deposit}，公示期满后登记返还")
        )  # fmt: skip
    return items


register_workbench_provider(work_items)
