"""The dates close-out deadlines run from.

The completion date (竣工验收合格之日) starts the 备案 period, the defect-liability period, the three months for the
final accounts (财建〔2016〕503号) and for the archive transfer. Read from the passed acceptance record where the
project has one; a project entered at a later stage (历史项目录入, 线下办理) has none, and the date it left
竣工验收 stands in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from govworks.closeout.selectors.acceptance import passed_on
from govworks.projects.models import Stage, StageTransition

#: the stages a project reaches only after its completion acceptance passed
AFTER_ACCEPTANCE: tuple[str, ...] = (
    Stage.SETTLEMENT,
    Stage.FINAL_ACCOUNTS,
    Stage.ARCHIVING,
    Stage.ASSET_HANDOVER,
    Stage.EVALUATION,
    Stage.CLOSED,
)


def completion_date(project: Any) -> dt.date | None:
    """The day ``project`` passed its completion acceptance, or None while it has not: the 合格 conclusion's date
    where the project has an acceptance record, else the day it left 竣工验收."""
    passed = passed_on(project)
    if passed is not None:
        return passed
    left = (
        StageTransition.objects.filter(project=project, to_stage__in=AFTER_ACCEPTANCE)
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )
    return timezone.localdate(left) if left else None
