"""What must be true to leave 施工 (CONSTRUCTION): every task 100% and confirmed, no open rectification
notice, no active payment freeze. Registered with the lifecycle; read in three queries."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from govworks.construction.models import PaymentFreeze, ProgressReport, RectificationNotice, ScheduleTask
from govworks.construction.selectors.freezes import freeze_release_path
from govworks.core.registry import GateCondition, register_gate_conditions
from govworks.projects.models import Stage


def construction_gate(project: Any) -> list[GateCondition]:
    def url(tab: str) -> str:
        return reverse("construction:project_tab", args=[project.pk, tab])

    tasks = list(ScheduleTask.objects.filter(project=project).values_list("progress", flat=True))
    pending = ProgressReport.objects.filter(project=project, status=ProgressReport.Status.PENDING).count()
    unfinished = sum(1 for p in tasks if p < 100)
    open_notices = (
        RectificationNotice.objects.filter(project=project, source=RectificationNotice.Source.SITE)
        .exclude(status=RectificationNotice.Status.CLOSED)
        .count()
    )
    freeze = PaymentFreeze.objects.filter(project=project, released_at__isnull=True).first()
    return [
        GateCondition(
            "construction.tasks_done",
            "进度计划全部完成并经监理确认",
            bool(tasks) and unfinished == 0 and pending == 0,
            "尚无进度计划" if not tasks else f"{len(tasks)}项工作，未完成{unfinished}项，待确认填报{pending}份",
            url("progress"),
        ),
        GateCondition(
            "construction.no_open_notice", "整改通知全部销项", open_notices == 0, f"未销项{open_notices}份", url("inspections")
        ),
        GateCondition(
            "construction.no_freeze",
            "无生效的暂停拨款",
            freeze is None,
            f"{freeze.get_cause_display()}：{freeze.reason[:60]}。{freeze_release_path(freeze).text}" if freeze else "",
            url("light"),
        ),
    ]


register_gate_conditions(Stage.CONSTRUCTION, construction_gate)
