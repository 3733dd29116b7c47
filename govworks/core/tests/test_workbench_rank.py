"""我的工作台 ranks (issue 15 item 6): blocking items (the payment freeze) first and dated, then overdue, then
by due date, then by severity; each item names the condition missing and its due date; the 30-day clicks
chart is replaced by 我的逾期趋势 and 我的待办按阶段 (escaped, 暂无数据 when empty); escalated items say whose
they are and how long overdue; WorkItem stays backward compatible."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from govworks.core.registry import (
    SEVERITY_BLOCKING,
    SEVERITY_HIGH,
    WorkItem,
    register_escalation_provider,
    registry,
    work_items_for,
)
from govworks.core.workbench import overdue_trend_chart, stage_chart, stage_counts

TODAY = dt.date(2026, 12, 16)


def d(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def test_a_provider_written_for_the_old_signature_still_works() -> None:
    old = WorkItem("审批：某事项", "/projects/approvals/1/", "审批", d(1), "说明")
    assert (old.severity, old.condition, old.stage, old.escalate, old.owner, old.overdue_days) == (0, "", "", True, "", None)
    assert not old.is_escalated


def test_rank_blocking_first_then_overdue_then_due_then_severity() -> None:
    items = [
        WorkItem("无期限", "/a/", "计划"),
        WorkItem("明天到期·一般", "/b/", "审批", d(1)),
        WorkItem("明天到期·重要", "/c/", "整改", d(1), severity=SEVERITY_HIGH),
        WorkItem("逾期两天", "/d/", "整改", d(-2)),
        WorkItem("逾期五天", "/e/", "约谈", d(-5)),
        WorkItem("暂停拨款", "/f/", "暂停拨款", TODAY, severity=SEVERITY_BLOCKING),
        WorkItem("下周到期", "/g/", "项目", d(7), condition="上传《可研批复》"),
    ]
    ranked = [i.title for i in sorted(items, key=lambda i: i.rank(TODAY))]
    assert ranked == ["暂停拨款", "逾期五天", "逾期两天", "明天到期·重要", "明天到期·一般", "下周到期", "无期限"]


@pytest.fixture
def provide() -> Iterator[dict[str, list[WorkItem]]]:
    """Register a workbench provider and an escalation provider for the test's items."""
    box: dict[str, list[WorkItem]] = {"own": [], "escalated": []}

    def own(user: Any) -> list[WorkItem]:
        return list(box["own"])

    def up(user: Any) -> list[WorkItem]:
        return list(box["escalated"])

    registry.workbench.append(own)
    register_escalation_provider(up)
    yield box
    registry.workbench.remove(own)
    registry.workbench.remove(up)
    registry.escalation.remove(up)


def test_work_items_for_ranks_and_drops_escalated_copies_of_own_items(world: Any, provide: Any) -> None:
    provide["own"] = [WorkItem("共有", "/x/", "整改", d(-3)), WorkItem("晚", "/y/", "审批", d(3))]
    provide["escalated"] = [
        WorkItem("共有", "/x/", "整改", d(-3), owner="李明", overdue_days=3, level=1),
        WorkItem("下属的", "/z/", "整改", d(-4), owner="李明", overdue_days=4, level=1),
    ]
    items = [i for i in work_items_for(world.no_role, TODAY) if i.url in ("/x/", "/y/", "/z/")]
    assert [(i.title, i.owner) for i in items] == [("下属的", "李明"), ("共有", ""), ("晚", "")]
    from govworks.core.registry import own_work_items_for

    assert [i.title for i in own_work_items_for(world.no_role) if i.url in ("/x/", "/y/", "/z/")] == [
        "共有",
        "晚",
    ]  # what escalates never escalates again


def test_charts_count_current_items_and_are_empty_without_data() -> None:
    items = [
        WorkItem("a", "/a/", "整改", d(-3), stage="施工"),
        WorkItem("b", "/b/", "审批", d(2), stage="施工"),
        WorkItem("c", "/c/", "项目", d(-1), stage="可研"),
        WorkItem("d", "/d/", "计划"),
        WorkItem("e", "/e/", ""),
    ]
    trend = overdue_trend_chart(items, TODAY)
    labels, data = trend["xAxis"]["data"], trend["series"][0]["data"]
    assert data[labels.index(TODAY.strftime("%m-%d"))] == 2  # a and c are overdue today
    assert data[-1] == 3  # a week ahead b is overdue too, if nothing is done
    assert data[0] == 0
    assert stage_counts(items, TODAY) == [("施工", 1, 1), ("可研", 1, 0), ("计划", 0, 1), ("其他事项", 0, 1)]
    empty_trend, empty_stage = overdue_trend_chart([], TODAY), stage_chart([], TODAY)
    assert empty_trend["series"][0]["data"] == [] and empty_stage["series"][0]["data"] == []


# ------------------------------------------------------------------------------------------ the page


def _items(html: str) -> list[str]:
    return re.findall(r'data-testid="work-item".*?</a>', html, flags=re.S)


def test_home_shows_ranked_items_with_condition_due_and_the_escalated_section(client, world, provide) -> None:
    today = timezone.localdate()
    provide["own"] = [
        WorkItem("晚些到期", "/later/", "审批", today + dt.timedelta(days=5)),
        WorkItem(
            "推进项目", "/p/1/", "项目", today + dt.timedelta(days=2), condition="上传《可研批复》（尚未上传）", stage="可研"
        ),
        WorkItem("红灯暂停拨款", "/freeze/", "暂停拨款", today, severity=SEVERITY_BLOCKING, condition="赶工计划"),
        WorkItem("逾期整改", "/late/", "整改", today - dt.timedelta(days=4)),
    ]
    provide["escalated"] = [
        WorkItem(
            "赵立新的约谈",
            "/construction/projects/9/light/",
            "约谈",
            today - dt.timedelta(days=6),
            owner="赵立新",
            overdue_days=4,
            level=1,
        )
    ]
    client.force_login(world.leader)
    response = client.get("/")
    html = response.content.decode()
    rows = _items(html)
    mine = ("红灯暂停拨款", "逾期整改", "推进项目", "晚些到期")
    order = [t for r in rows for t in mine if t in r]
    assert order == ["红灯暂停拨款", "逾期整改", "推进项目", "晚些到期"]
    assert "上传《可研批复》（尚未上传）" in next(r for r in rows if "推进项目" in r)
    assert "已逾期4天" in html and "期限" in html
    section = html[html.index('data-testid="escalated-items"') : html.index('data-testid="work-items"')]
    assert "赵立新 的事项" in section and "逾期4个工作日" in section and 'href="/construction/projects/9/light/"' in section
    assert "逾期满2个工作日报上级" in html
    assert "近30天办理事项" not in html and "我的逾期趋势" in html and "我的待办按阶段" in html


def test_home_escapes_item_text_and_chart_labels(client, world, provide) -> None:
    today = timezone.localdate()
    evil = "<img src=x onerror=alert(1)>"
    provide["own"] = [WorkItem(evil, "/x/", "整改", today - dt.timedelta(days=1), condition=evil, stage=evil)]
    provide["escalated"] = [
        WorkItem("升级" + evil, "/y/", "整改", today - dt.timedelta(days=3), owner=evil, overdue_days=3, level=1)
    ]
    client.force_login(world.pm)
    html = client.get("/").content.decode()
    assert evil not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    data = re.search(r'<script id="chart-stage-data" type="application/json">(.*?)</script>', html, flags=re.S)
    assert data is not None and "<img" not in data.group(1)
    assert evil in json.loads(data.group(1))["yAxis"]["data"]


def test_home_without_items_has_empty_charts(client, world) -> None:
    client.force_login(world.no_role)
    html = client.get("/").content.decode()
    data = re.search(r'<script id="chart-trend-data" type="application/json">(.*?)</script>', html, flags=re.S)
    assert data is not None and json.loads(data.group(1))["series"][0]["data"] == []
