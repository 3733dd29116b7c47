"""Pure decisions of construction supervision: planned (序时) and actual progress, the traffic light,
photo checks, rectification escalation and missing daily reports. Parameters in, decision out; no Django.

The light (红黄绿灯进度管理法, DOMAIN.md §5):

* red    — lag ≥ ``light.red_lag_points`` points, or a milestone ≥ ``light.red_overdue_days`` days overdue,
           or a major safety incident (not yet answered by a release);
* yellow — lag ≥ ``light.yellow_lag_points`` points, or a milestone ≥ ``light.yellow_overdue_days`` days overdue;
* green  — otherwise.

While a recovery plan (赶工计划) released by a leader is in force (until its target date) a schedule red
shows yellow: the catch-up is being worked; after the target date the red comes back.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from govworks.core.rule_seed import rule_name

GREEN, YELLOW, RED = "green", "yellow", "red"
HUNDRED = Decimal(100)
ZERO = Decimal(0)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class TaskFacts:
    """What the progress computation needs of one task."""

    planned_start: dt.date
    planned_end: dt.date
    weight: Decimal
    progress: Decimal  # confirmed percent 0..100
    is_milestone: bool = False
    actual_end: dt.date | None = None


@dataclass(frozen=True)
class LightParams:
    yellow_lag_points: Decimal
    red_lag_points: Decimal
    yellow_overdue_days: int
    red_overdue_days: int


@dataclass(frozen=True)
class LightDecision:
    light: str
    reasons: tuple[str, ...]

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons) if self.reasons else "按计划推进"


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def task_planned_percent(task: TaskFacts, on: dt.date) -> Decimal:
    """How much of ``task`` the plan expects done by the end of ``on``: 0 before its start, 100 from its
    end, linear by calendar days between (a one-day task is 100 on its day)."""
    if on < task.planned_start:
        return ZERO
    if on >= task.planned_end:
        return HUNDRED
    days = (task.planned_end - task.planned_start).days + 1
    done = (on - task.planned_start).days + 1
    return HUNDRED * Decimal(done) / Decimal(days)


def _planned_exact(tasks: Sequence[TaskFacts], on: dt.date) -> Decimal:
    total = sum((t.weight for t in tasks), ZERO)
    if total <= 0:
        return ZERO
    return sum((t.weight * task_planned_percent(t, on) for t in tasks), ZERO) / total


def _actual_exact(tasks: Sequence[TaskFacts]) -> Decimal:
    total = sum((t.weight for t in tasks), ZERO)
    if total <= 0:
        return ZERO
    return sum((t.weight * t.progress for t in tasks), ZERO) / total


def planned_progress(tasks: Sequence[TaskFacts], on: dt.date) -> Decimal:
    """序时进度: the weighted planned percent of all tasks on ``on``, two decimals (for display and storage;
    the light compares the unrounded value); 0 without weight."""
    return _q(_planned_exact(tasks, on))


def actual_progress(tasks: Sequence[TaskFacts]) -> Decimal:
    """实际进度: the weighted confirmed percent of all tasks, two decimals (for display and storage; the
    light compares the unrounded value); 0 without weight."""
    return _q(_actual_exact(tasks))


def milestone_overdue_days(tasks: Iterable[TaskFacts], on: dt.date) -> int:
    """The longest overdue of a milestone not yet complete (100%) on ``on``; 0 when none is overdue."""
    worst = 0
    for t in tasks:
        if t.is_milestone and t.progress < HUNDRED and on > t.planned_end:
            worst = max(worst, (on - t.planned_end).days)
    return worst


def light_decide(
    params: LightParams,
    *,
    lag: Decimal,
    overdue_days: int,
    major_incident: bool = False,
    recovery_until: dt.date | None = None,
    today: dt.date | None = None,
    freeze_active: bool = False,
) -> LightDecision:
    """The light for a lag (planned − actual, points), the worst milestone overdue in days, and whether a
    major incident stands unanswered. Boundaries include the number: a lag of exactly 30 points is red.
    A payment freeze not yet released keeps the light red whatever the numbers: leaving red takes a
    recovery plan and an authorised release."""
    red: list[str] = []
    yellow: list[str] = []
    if lag >= params.red_lag_points:
        red.append(
            f"进度滞后{_q(lag)}个百分点，达到红灯标准{params.red_lag_points}个百分点（“{rule_name('light.red_lag_points')}”）"
        )
    elif lag >= params.yellow_lag_points:
        yellow.append(
            f"进度滞后{_q(lag)}个百分点，达到黄灯标准{params.yellow_lag_points}个百分点（“{rule_name('light.yellow_lag_points')}”）"
        )
    if overdue_days >= params.red_overdue_days:
        red.append(
            f"里程碑节点逾期{overdue_days}天，达到红灯标准{params.red_overdue_days}天（“{rule_name('light.red_overdue_days')}”）"
        )
    elif overdue_days >= params.yellow_overdue_days:
        yellow.append(
            f"里程碑节点逾期{overdue_days}天，达到黄灯标准{params.yellow_overdue_days}天（“{rule_name('light.yellow_overdue_days')}”）"
        )
    if major_incident:
        return LightDecision(RED, ("发生较大及以上安全事故", *red, *yellow))
    if freeze_active:
        return LightDecision(RED, ("暂停拨款尚未解除（须赶工计划并经领导解除）", *red, *yellow))
    if red and recovery_until is not None and today is not None and today <= recovery_until:
        return LightDecision(YELLOW, (f"赶工计划执行中（{recovery_until:%Y-%m-%d}前追回）", *red, *yellow))
    if red:
        return LightDecision(RED, (*red, *yellow))
    if yellow:
        return LightDecision(YELLOW, tuple(yellow))
    return LightDecision(GREEN, ())


def light_for_tasks(
    params: LightParams,
    tasks: Sequence[TaskFacts],
    on: dt.date,
    *,
    major_incident: bool = False,
    recovery_until: dt.date | None = None,
    freeze_active: bool = False,
) -> tuple[Decimal, Decimal, int, LightDecision]:
    """Planned, actual (both rounded for display), worst overdue and the decision for one project on ``on``;
    the decision compares the exact lag, never one rounded onto its threshold."""
    planned = planned_progress(tasks, on)
    actual = actual_progress(tasks)
    overdue = milestone_overdue_days(tasks, on)
    decision = light_decide(
        params,
        lag=_planned_exact(tasks, on) - _actual_exact(tasks),
        overdue_days=overdue,
        major_incident=major_incident,
        recovery_until=recovery_until,
        today=on,
        freeze_active=freeze_active,
    )
    return planned, actual, overdue, decision


def s_curve(tasks: Sequence[TaskFacts], days: Sequence[dt.date]) -> list[Decimal]:
    """The planned curve (序时进度) over ``days``."""
    return [planned_progress(tasks, d) for d in days]


EARTH_RADIUS_M = 6_371_000.0


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def photo_flags(
    *,
    report_date: dt.date,
    taken_at: dt.datetime | None,
    photo_position: tuple[float, float] | None,
    site_position: tuple[float, float] | None,
    radius_m: int,
    max_days: int = 1,
) -> tuple[list[str], int | None]:
    """Why a photo is doubtful, and its distance from the site. A photo taken more than ``max_days`` days
    away from the report date, or farther than ``radius_m`` from the site, is flagged; a photo without
    EXIF time is flagged too (it cannot be checked). ``taken_at`` is local wall-clock time."""
    flags: list[str] = []
    if taken_at is None:
        flags.append("照片无拍摄时间（EXIF），无法核验")
    else:
        gap = abs((taken_at.date() - report_date).days)
        if gap > max_days:
            flags.append(f"拍摄时间{taken_at:%Y-%m-%d %H:%M}与日报日期相差{gap}天（超过{max_days}天）")
    distance: int | None = None
    if photo_position is not None and site_position is not None:
        distance = round(distance_m(*photo_position, *site_position))
        if distance > radius_m:
            flags.append(f"拍摄位置距项目现场{distance}米（超过{radius_m}米）")
    return flags, distance


def rectification_should_escalate(*, deadline: dt.date, today: dt.date, escalate_after_days: int, severity_major: bool) -> bool:
    """A 重大隐患 escalates at once; any other notice once it is ``escalate_after_days`` days past its
    deadline (rectification.escalate_after_overdue_days; 3 days past means escalate on deadline + 3)."""
    if severity_major:
        return True
    return (today - deadline).days >= escalate_after_days


def daily_report_missing_days(*, last_report: dt.date | None, since: dt.date, today: dt.date) -> int:
    """Days without a daily report up to yesterday (today's may still come): counted from the day after
    the last report, or — before the first one — from the day the site started (``since``)."""
    start = last_report + dt.timedelta(days=1) if last_report else since
    return max(0, (today - start).days)


def daily_report_alert(*, missing_days: int, alert_days: int) -> bool:
    """daily_report.missing_alert_days: an alert once that many days are without a report."""
    return missing_days >= alert_days
