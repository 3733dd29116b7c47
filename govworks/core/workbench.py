"""我的工作台 (issue 15 item 6): the charts a person acts on, computed from the ranked items already on the
page (no query): 我的逾期趋势 (how many of my open items are overdue on each day, looking back and ahead)
and 我的待办按阶段 (my open items by project stage, overdue ones apart)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from govworks.core.registry import SEVERITY_LABELS, WorkItem

OTHER_STAGE = "其他事项"
TREND_BACK = 21
TREND_AHEAD = 7
RED, BLUE = "#d63939", "#1d4f91"


def overdue_trend_chart(items: list[WorkItem], today: dt.date) -> dict[str, Any]:
    """ECharts option: for each day from three weeks back to one week ahead, how many of the items were
    (or will be, if nothing is done) overdue that day. No series data when nothing has a due date."""
    dated = [i.due for i in items if i.due is not None]
    days = [today + dt.timedelta(days=n) for n in range(-TREND_BACK, TREND_AHEAD + 1)]
    data = [sum(1 for due in dated if due < day) for day in days] if dated else []
    return {
        "grid": {"left": 30, "right": 12, "top": 24, "bottom": 30},
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": [d.strftime("%m-%d") for d in days]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "type": "line",
                "name": "逾期事项",
                "data": data,
                "itemStyle": {"color": RED},
                "areaStyle": {"opacity": 0.12},
                "markLine": {"symbol": "none", "label": {"formatter": "今天"}, "data": [{"xAxis": today.strftime("%m-%d")}]},
            }
        ],
    }


def stage_counts(items: list[WorkItem], today: dt.date) -> list[tuple[str, int, int]]:
    """(stage, overdue, not overdue) per stage, most items first; an item without a project stage counts
    under its kind (竣工决算, 审批 …), one without either under 其他事项."""
    overdue: Counter[str] = Counter()
    pending: Counter[str] = Counter()
    for item in items:
        stage = item.stage or item.kind or OTHER_STAGE
        (overdue if item.is_overdue(today) else pending)[stage] += 1
    stages = sorted(set(overdue) | set(pending), key=lambda s: (s == OTHER_STAGE, -(overdue[s] + pending[s]), s))
    return [(s, overdue[s], pending[s]) for s in stages]


def stage_chart(items: list[WorkItem], today: dt.date) -> dict[str, Any]:
    """ECharts option: a horizontal stacked bar per stage (overdue in red). No data when there is no item."""
    rows = stage_counts(items, today)
    return {
        "grid": {"left": 80, "right": 16, "top": 28, "bottom": 20},
        "animation": False,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0, "data": ["已逾期", "未逾期"]},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "inverse": True, "data": [s for s, _, _ in rows]},
        "series": [
            {
                "type": "bar",
                "stack": "n",
                "name": "已逾期",
                "data": [o for _, o, _ in rows],
                "itemStyle": {"color": RED},
                "barMaxWidth": 22,
            },
            {
                "type": "bar",
                "stack": "n",
                "name": "未逾期",
                "data": [p for _, _, p in rows],
                "itemStyle": {"color": BLUE},
                "barMaxWidth": 22,
            },
        ],
    }


def severity_label(item: WorkItem) -> str:
    return SEVERITY_LABELS.get(item.severity, "")
