"""逾期升级 (issue 15 item 4) on the demo organisation with a fixed clock: an item overdue by N working days
reaches the responsible person's leader (by post in the department tree), after M more the next one up, up
to the head (孙国平); people without a post fall back on their department's head. The reported bug: the two
overdue items of the 分管领导 赵立新 never reached the head although the page said “逾期事项上级可见”."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from govworks.core.registry import WorkItem, registry, work_items_for
from govworks.org.rules_escalation import AgencyChart, PostNode, escalation_level, leader_chain

TODAY = dt.date(2026, 12, 16)  # a Wednesday; no holiday in December 2026


def wd_before(n: int) -> dt.date:
    """The day that is ``n`` working days before TODAY (Mon–Fri, December 2026 has no 法定节假日)."""
    day, left = TODAY, n
    while left:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


# ------------------------------------------------------------------------------------------ pure rules


def test_escalation_level_steps_up_every_m_working_days_and_stops_at_the_head() -> None:
    levels = [escalation_level(d, first=2, step=3, levels=3) for d in range(0, 13)]
    assert levels == [0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3]
    assert escalation_level(50, first=2, step=3, levels=0) == 0  # the head has nobody above
    assert escalation_level(5, first=2, step=0, levels=9) == 4  # a zero step counts as one day


def test_leader_chain_by_post_skips_vacant_posts_and_falls_back_on_the_department_head() -> None:
    chart = AgencyChart(
        posts={
            1: PostNode(1, 100, None),  # 局长
            2: PostNode(2, 101, 1),  # 分管副局长
            3: PostNode(3, None, 2),  # 科长 (vacant)
            4: PostNode(4, 103, 3),  # 工程管理岗
        },
        post_of={100: 1, 101: 2, 103: 4},
        department_of={100: 1, 101: 1, 102: 9, 103: 9, 104: 9, 105: 8},
        department_heads={9: [102]},
        leaders_in_charge=[101],
        principals=[100],
    )
    assert leader_chain(chart, 103) == [(101,), (100,)]  # the vacant 科长 post is skipped
    assert leader_chain(chart, 104) == [(102,), (101,), (100,)]  # no post: 科室负责人 → 分管领导 → 主要领导
    assert leader_chain(chart, 102) == [(101,), (100,)]  # a department head without a post
    assert leader_chain(chart, 105) == [(101,), (100,)]  # a department without a head
    assert leader_chain(chart, 100) == []  # the head


# ------------------------------------------------------------------------------------------ the demo org


@pytest.fixture
def demo_org(db: Any) -> dict[str, Any]:
    from govworks.core.rule_parameters import rule_parameters_seed
    from govworks.org.demo import seed_organisation
    from govworks.org.models import User

    rule_parameters_seed()
    seed_organisation()
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def overdue_items() -> Iterator[dict[str, list[WorkItem]]]:
    """A workbench provider returning, per username, the items a test puts there."""
    by_user: dict[str, list[WorkItem]] = {}

    def provider(user: Any) -> list[WorkItem]:
        return list(by_user.get(getattr(user, "username", ""), []))

    registry.workbench.append(provider)
    yield by_user
    registry.workbench.remove(provider)


def item(title: str, due: dt.date, **kw: Any) -> WorkItem:
    return WorkItem(title=title, url=f"/projects/{abs(hash(title)) % 1000}/", kind="整改督办", due=due, detail="说明", **kw)


def escalated(user: Any) -> dict[str, WorkItem]:
    return {i.title: i for i in work_items_for(user, TODAY) if i.is_escalated}


def run(today: dt.date = TODAY) -> str:
    from govworks.org.escalation import escalate_overdue

    return escalate_overdue(today)


def test_the_two_overdue_items_of_the_leader_in_charge_reach_the_head(demo_org, overdue_items) -> None:
    sungp, zhaolx = demo_org["sungp"], demo_org["zhaolx"]
    overdue_items["zhaolx"] = [item("整改逾期升级：ZG-0001", wd_before(3)), item("红灯约谈：LJJG-2026-0010", wd_before(2))]
    # before the fix: the head's workbench showed nothing of them
    assert escalated(sungp) == {}
    run()
    shown = escalated(sungp)
    assert set(shown) == {"整改逾期升级：ZG-0001", "红灯约谈：LJJG-2026-0010"}
    assert {(i.owner, i.overdue_days, i.level) for i in shown.values()} == {("赵立新", 3, 1), ("赵立新", 2, 1)}
    assert all(i.url.startswith("/projects/") for i in shown.values())
    assert escalated(zhaolx) == {}  # never on the owner's own workbench as someone else's


def test_an_item_moves_up_three_levels_by_post(demo_org, overdue_items) -> None:
    chenzq, zhaolx, sungp = demo_org["chenzq"], demo_org["zhaolx"], demo_org["sungp"]
    # 李明 (工程管理岗) → 基建科科长 陈志强 → 分管副局长 赵立新 → 局长 孙国平; N = 2, M = 3
    overdue_items["liming"] = [
        item("一级", wd_before(2)),
        item("未到一级", wd_before(1)),
        item("二级", wd_before(5)),
        item("三级", wd_before(8)),
        item("三级以上", wd_before(20)),
    ]
    run()
    assert set(escalated(chenzq)) == {"一级", "二级", "三级", "三级以上"}
    assert set(escalated(zhaolx)) == {"二级", "三级", "三级以上"}
    assert set(escalated(sungp)) == {"三级", "三级以上"}
    assert escalated(sungp)["三级"].overdue_days == 8
    assert escalated(sungp)["三级"].level == 3
    # a day later, "二级" is one day short of the head still; "一级" is not yet at the 分管领导
    run(TODAY + dt.timedelta(days=1))
    assert "一级" not in escalated(zhaolx)


def test_people_without_a_post_fall_back_on_their_department_head(demo_org, overdue_items) -> None:
    # 周涛 holds no post: his department's head 陈志强 first, then on up by 陈志强's post
    overdue_items["zhoutao"] = [item("周涛的事项", wd_before(5))]
    # 蔡芸 (后勤服务中心, no posts there): 工程维修科科长 许海兵 → 分管 王东 → 主任 罗志伟
    overdue_items["caiyun"] = [item("蔡芸的事项", wd_before(8))]
    run()
    assert escalated(demo_org["chenzq"])["周涛的事项"].owner == "周涛"
    assert "周涛的事项" in escalated(demo_org["zhaolx"])
    assert "周涛的事项" not in escalated(demo_org["sungp"])
    for leader in ("xuhb", "wangdong", "luozhw"):
        assert escalated(demo_org[leader])["蔡芸的事项"].owner == "蔡芸"
    assert "蔡芸的事项" not in escalated(demo_org["sungp"])  # the head of another agency's chain


def test_a_leader_sees_only_what_they_may_read(demo_org, overdue_items) -> None:
    from govworks.org import permissions as perms
    from govworks.org.models import OverdueEscalation, RoleGrant

    sungp = demo_org["sungp"]
    overdue_items["zhaolx"] = [item("赵立新的事项", wd_before(4))]
    # the head's grant is revoked: he may read no business record, so nothing reaches him
    RoleGrant.objects.filter(user=sungp).update(revoked_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    perms.forget_cached_scope(sungp)
    run()
    assert not OverdueEscalation.objects.filter(leader=sungp).exists()
    # and a row for an agency he may not read is never shown (the provider filters by scope)
    RoleGrant.objects.filter(user=sungp).update(revoked_at=None)
    perms.forget_cached_scope(sungp)
    run()
    assert "赵立新的事项" in escalated(sungp)
    OverdueEscalation.objects.filter(leader=sungp).update(agency=demo_org["caiyun"].agency_id)
    other = demo_org["hanxue"]  # 公务用车中心 主任: reads only their own agency
    OverdueEscalation.objects.filter(leader=sungp).update(leader=other)
    assert escalated(other) == {}


def test_confidential_items_discipline_staff_and_the_leaders_own_items_do_not_move_up(demo_org, overdue_items) -> None:
    from govworks.org.models import OverdueEscalation

    overdue_items["liming"] = [item("机密", wd_before(9), escalate=False), item("共有", wd_before(9))]
    overdue_items["chenzq"] = [item("共有", wd_before(9))]  # the same item is 陈志强's own
    overdue_items["wuhy"] = [item("纪检事项", wd_before(9))]
    run()
    titles = set(OverdueEscalation.objects.values_list("title", flat=True))
    assert "机密" not in titles and "纪检事项" not in titles
    assert "共有" not in escalated(demo_org["chenzq"])  # he has it as his own already
    assert [i.title for i in work_items_for(demo_org["chenzq"], TODAY)].count("共有") == 1
    assert "共有" in escalated(demo_org["sungp"])  # 陈志强's own copy escalates as his (level 2 from 李明 or 1 from him)


def test_the_rule_parameters_set_the_thresholds(demo_org, overdue_items) -> None:
    from govworks.core.models import RuleParameter

    overdue_items["liming"] = [item("两天", wd_before(2))]
    RuleParameter.objects.filter(key="escalation.first_level_working_days").update(value="3")
    run()
    assert "两天" not in escalated(demo_org["chenzq"])


def test_holidays_do_not_count_as_overdue_working_days(demo_org, overdue_items) -> None:
    from govworks.core.models import WorkingCalendarDay

    overdue_items["zhaolx"] = [item("节前到期", wd_before(2))]
    WorkingCalendarDay.objects.update_or_create(
        date=wd_before(1), defaults={"kind": WorkingCalendarDay.Kind.HOLIDAY, "name": "测试假日", "source": "测试"}
    )
    run()
    assert "节前到期" not in escalated(demo_org["sungp"])  # only one working day overdue


def test_the_daily_job_is_registered_and_replaces_yesterdays_rows(demo_org, overdue_items) -> None:
    from govworks.org.models import OverdueEscalation

    assert "org.escalate_overdue" in registry.periodic
    overdue_items["zhaolx"] = [item("已办结", wd_before(3))]
    run()
    assert OverdueEscalation.objects.filter(title="已办结").count() == 1
    overdue_items["zhaolx"] = []  # done since
    run(TODAY + dt.timedelta(days=1))
    assert not OverdueEscalation.objects.exists()
