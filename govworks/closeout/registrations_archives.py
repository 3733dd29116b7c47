"""What the archive (档案) and the review (复盘) plug into the rest of GovWorks: the 档案移交 gate, the facts
``archive.transferred_on`` and ``review.finished_on``, menu entries, workbench items with due dates, the lessons
panel of an initiation page, the audit labels and the demo seeder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govworks.closeout import audit_labels_archives  # noqa: F401  (registers the labels)
from govworks.closeout import permissions_archives as perms
from govworks.closeout.navigation import SECTION
from govworks.closeout.selectors import archives as sel
from govworks.closeout.selectors import lessons as lesson_sel
from govworks.closeout.selectors.facts import register_project_fact
from govworks.core.registry import (
    GateCondition,
    NavItem,
    WorkItem,
    WorkspacePanel,
    register_demo_seeder,
    register_gate_conditions,
    register_nav,
    register_workbench_provider,
    register_workspace_panel,
)
from govworks.core.rule_parameters import rule_value
from govworks.finance.rules import add_months
from govworks.org import permissions as org_perms
from govworks.projects.models import Stage
from govworks.projects.stage_listeners import register_stage_listener

# ---------------------------------------------------------------------------------------- gate


def archiving_gate(project: Any) -> list[GateCondition]:
    """To leave 档案移交: every required catalogue item there, each verified by the 档案员, the receipt recorded."""
    state = sel.archive_state(project)
    url = reverse("closeout:archive_detail", args=[project.pk])
    missing, unverified = state.missing, state.unverified
    deadline = f"期限 {state.deadline:%Y-%m-%d}（竣工验收后{state.months}个月）" if state.deadline else ""
    return [
        GateCondition(
            "archive.complete",
            "必须归档的文件齐全（GB/T 50328）",
            not missing,
            f"缺{len(missing)}项：" + "、".join(r.entry.title for r in missing[:5])
            if missing
            else f"{len(state.required)}项齐全",
            url,
        ),
        GateCondition(
            "archive.verified",
            "档案员逐项核验",
            not unverified and not missing,
            f"已核验{state.verified_count}/{len(state.required)}项",
            url,
        ),
        GateCondition(
            "archive.transferred",
            "档案移交城建档案馆并登记接收回执",
            state.transfer is not None,
            f"{state.transfer.transferred_on:%Y-%m-%d} 回执 {state.transfer.receipt_number}"
            if state.transfer
            else f"尚未移交；{deadline}",
            url,
        ),
    ]


register_gate_conditions(Stage.ARCHIVING, archiving_gate)
register_project_fact("archive.transferred_on", sel.transferred_on)
register_project_fact("review.finished_on", lesson_sel.review_finished_on)

# ---------------------------------------------------------------------------------------- navigation


register_nav(NavItem(SECTION, _("工程档案"), "closeout:archive_list", "ti-archive", perms.may_read_archives, 64))
register_nav(NavItem(SECTION, _("经验教训库"), "closeout:lesson_list", "ti-bulb", perms.may_read_archives, 69))

# ---------------------------------------------------------------------------------------- workbench


def work_items(user: Any) -> list[WorkItem]:
    """The archivist's transfers due (overdue shows by date), the head's reports to review, the manager's reviews
    to write. A fixed number of queries per agency the user keeps archives for (usually one)."""
    if not org_perms.is_signed_in(user) or getattr(user, "is_external", False):
        return []
    items: list[WorkItem] = []
    archive_agencies = org_perms.agency_ids_where(user, perms.ARCHIVE_MANAGE)
    if archive_agencies:
        months: dict[int, int] = {}
        for p in sel.archives_due_for(archive_agencies):
            completed = p.completed_on or p.stage_entered_on
            if p.agency_id not in months:
                months[p.agency_id] = int(rule_value("archive.transfer_deadline_months", agency=p.agency, on=completed))
            due = add_months(completed, months[p.agency_id])
            items.append(
                WorkItem(
                    f"档案移交城建档案馆：{p.code} {p.name}",
                    reverse("closeout:archive_detail", args=[p.pk]),
                    "档案移交",
                    due,
                    f"竣工验收 {completed:%Y-%m-%d}，竣工验收后档案移交期限{months[p.agency_id]}个月",
                )
            )
    approve_agencies = org_perms.agency_ids_where(user, perms.REVIEW_APPROVE)
    if approve_agencies:
        for r in lesson_sel.reviews_awaiting(user=user, agency_ids=approve_agencies):
            submitted = timezone.localdate(r.submitted_at) if r.submitted_at else timezone.localdate()
            items.append(
                WorkItem(
                    f"复盘报告待审阅：{r.project.code} {r.project.name}",
                    reverse("closeout:review_detail", args=[r.project_id]),
                    "复盘",
                    submitted + dt.timedelta(days=10),
                    "项目负责人已提交复盘报告",
                )
            )
    write_agencies = org_perms.agency_ids_where(user, perms.REVIEW_WRITE)
    if write_agencies:
        for p in lesson_sel.reviews_to_write(user=user, agency_ids=write_agencies):
            items.append(
                WorkItem(
                    f"撰写项目复盘报告：{p.code} {p.name}",
                    reverse("closeout:review_detail", args=[p.pk]),
                    "复盘",
                    p.stage_entered_on + dt.timedelta(days=30),
                    "总结做得好的、做得不好的和根本原因，记录经验教训",
                )
            )
    return items


register_workbench_provider(work_items)

# ---------------------------------------------------------------------------------------- initiation panel

LESSON_PANEL_STAGES = (Stage.PLANNED, Stage.INITIATION, Stage.FEASIBILITY)


def render_lessons_panel(request: Any, project: Any) -> str:
    """Lessons of finished projects of the same kind, shown while the project is being initiated. One query."""
    shown = project.stage in LESSON_PANEL_STAGES
    lessons = lesson_sel.lessons_for_similar(user=request.user, project=project) if shown else []
    return render_to_string(
        "closeout/lessons/panel.html", {"project": project, "lessons": lessons, "shown": shown}, request=request
    )


register_workspace_panel(WorkspacePanel(15, "closeout.lessons", "同类项目经验教训", render_lessons_panel))

# ---------------------------------------------------------------------------------------- demo


def _seed(*args: Any, **kwargs: Any) -> str:
    from govworks.closeout.demo_archives import seed_archives_and_lessons

    return seed_archives_and_lessons()


register_demo_seeder(63, "工程档案与复盘", _seed)


# ---------------------------------------------------------------------------------------- the archive register


# the rows the archive list sorts on follow the project's stage (this explicit stage listener, called by the projects
# services that change it) and the transfer (``archive_transfer_record`` calls ``register_sync`` itself); no signals
def _register_follows_stage(project: Any, from_stage: str, to_stage: str) -> None:
    from govworks.closeout.services.archive_register import REGISTER_STAGES, register_sync

    if from_stage in REGISTER_STAGES or to_stage in REGISTER_STAGES:
        register_sync([project.pk])


register_stage_listener(_register_follows_stage)
