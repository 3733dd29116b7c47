"""The working-day calendar (issue 11 item 11): ``govworks.core.workdays`` on the real 2026 arrangement of
the State Council (国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04), seeded by migration
core 0006 from ``core/data/working_calendar.csv``; the 工作日历 page of the 系统管理员 (list by year, add
and remove a day, audited, top agency's 系统管理员 only); and deadlines in 工作日 (approval due dates).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from govworks.core.models import AuditEvent, WorkingCalendarDay
from govworks.core.workdays import (
    add_working_days,
    add_working_days_in,
    calendar_years_missing,
    deadline_from_rule,
    is_working_day_on,
    working_calendar_rows,
    working_days_between,
    working_days_between_in,
)

D = dt.date


# ------------------------------------------------------------------------------------------ the data file


def test_the_data_file_holds_the_2026_notice() -> None:
    rows = working_calendar_rows()
    holidays = [r["date"] for r in rows if r["kind"] == "holiday" and r["date"].year == 2026]
    workdays = [r["date"] for r in rows if r["kind"] == "workday" and r["date"].year == 2026]
    # 元旦 3 + 春节 9 + 清明 3 + 劳动节 5 + 端午 3 + 中秋 3 + 国庆 7 days off
    assert len(holidays) == 33
    assert workdays == [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)]
    assert all(d.weekday() >= 5 for d in workdays)  # 调休上班 days are Saturdays and Sundays
    assert {r["date"] for r in rows if r["name"] == "国庆节"} == {D(2026, 10, d) for d in range(1, 8)}


@pytest.mark.django_db
def test_the_migration_seeded_the_calendar() -> None:
    assert WorkingCalendarDay.objects.filter(date__year=2026).count() == 39
    assert WorkingCalendarDay.objects.get(date=D(2026, 10, 10)).get_kind_display() == "调休上班"
    assert calendar_years_missing([2026, 2027]) == [2027]


# ------------------------------------------------------------------------------------------ counting


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # across the National Day week: 9-30 is the 1st, 10-1..10-7 off, 10-8 the 2nd, 10-9 the 3rd
        (D(2026, 9, 29), 3, D(2026, 10, 9)),
        # across the 调休 Saturday 10-10: it counts
        (D(2026, 10, 9), 1, D(2026, 10, 10)),
        (D(2026, 9, 29), 6, D(2026, 10, 13)),
        # the 调休 Sunday 9-20 counts; the 中秋 Friday 9-25 does not
        (D(2026, 9, 18), 1, D(2026, 9, 20)),
        (D(2026, 9, 24), 1, D(2026, 9, 28)),
        # 春节: 2-14 (Saturday) is worked, 2-15..2-23 are off
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 14), 1, D(2026, 2, 24)),
        (D(2026, 2, 27), 1, D(2026, 2, 28)),
        # an ordinary week and a plain weekend
        (D(2026, 12, 4), 3, D(2026, 12, 9)),
        (D(2026, 12, 7), 0, D(2026, 12, 7)),
        # backwards across 劳动节
        (D(2026, 5, 6), -1, D(2026, 4, 30)),
    ],
)
def test_add_working_days_on_the_2026_calendar(start: dt.date, n: int, expected: dt.date) -> None:
    assert add_working_days(start, n) == expected


@pytest.mark.django_db
def test_working_days_between_and_single_days() -> None:
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3  # 10-8, 10-9, 10-10
    assert working_days_between(D(2026, 10, 10), D(2026, 9, 30)) == -3
    assert working_days_between(D(2026, 2, 13), D(2026, 3, 2)) == 7  # 2-14, 2-24..2-27, 2-28, 3-2
    assert working_days_between(D(2026, 12, 7), D(2026, 12, 7)) == 0
    assert [is_working_day_on(D(2026, 10, d)) for d in (1, 8, 10, 11)] == [False, True, True, False]


@given(
    start=st.dates(min_value=D(2025, 12, 1), max_value=D(2027, 1, 31)),
    n=st.integers(min_value=0, max_value=60),
)
def test_counting_forward_then_between_gives_n_back(start: dt.date, n: int) -> None:
    """For any start and n (pure, on the file's exceptions): the n-th working day after start is a working
    day (or start when n = 0) and exactly n working days lie after start up to it."""
    exceptions = {r["date"]: r["kind"] for r in working_calendar_rows()}
    end = add_working_days_in(start, n, exceptions=exceptions)
    assert working_days_between_in(start, end, exceptions=exceptions) == n
    if n:
        assert working_days_between_in(start, end - dt.timedelta(days=1), exceptions=exceptions) == n - 1


@pytest.mark.django_db
def test_a_year_without_the_notice_counts_monday_to_friday() -> None:
    assert add_working_days(D(2027, 9, 30), 1) == D(2027, 10, 1)  # no 2027 rows yet: a plain Friday


@pytest.mark.django_db
def test_deadline_from_rule_reads_the_unit(world: Any) -> None:
    """approval.step_due_days is 3 个工作日; rectification.default_deadline_days is in 天."""
    assert deadline_from_rule("approval.step_due_days", agency=world.city, start=D(2026, 9, 29)) == D(2026, 10, 9)
    assert deadline_from_rule("approval.step_due_days", agency=world.city, start=D(2026, 9, 29), times=2) == D(2026, 10, 13)
    assert deadline_from_rule("rectification.default_deadline_days", agency=world.city, start=D(2026, 9, 29)) == D(2026, 10, 6)


# ------------------------------------------------------------------------------------------ the page


def calendar_state() -> Any:
    return (
        list(WorkingCalendarDay.objects.order_by("pk").values_list("date", "kind", "name", "source")),
        list(AuditEvent.objects.filter(action__startswith="core.working_calendar").values_list("seq", "action")),
    )


def test_calendar_page_role_matrix(client: Any, world: Any) -> None:
    from govworks.core.testing.role_matrix import assert_role_matrix

    url = reverse("org:working_calendar") + "?year=2026"
    responses = assert_role_matrix(
        client,
        "get",
        url,
        expected={
            "anonymous": 302,
            "other_agency": 200,  # another top agency's 系统管理员: the calendar is the platform's
            "no_role": 403,
            "with_role": 200,
            "superior": 403,  # a business user (工程管理岗)
            "external": 403,
            "sub_sysadmin": 200,
            "auditadmin": 403,
        },
        actors={
            **world.actors(with_role=world.sysadmin),
            "sub_sysadmin": world.sub_sysadmin,
            "auditadmin": world.auditadmin,
        },
    )
    page = responses["with_role"].content.decode()
    assert page.count('data-testid="calendar-day"') == 39
    assert 'data-date="2026-10-10"' in page and "国庆节调休上班" in page
    assert 'data-testid="calendar-form"' in page
    assert 'data-testid="calendar-form"' not in responses["sub_sysadmin"].content.decode()  # reads, may not change
    assert "2027 年尚未录入放假安排" in page


def test_sysadmin_adds_and_removes_a_day_and_deadlines_follow(client: Any, world: Any) -> None:
    """Given no 2027 notice yet, when the 系统管理员 enters 2027-01-01 as 元旦 on the page, then a deadline
    counted across it moves by one working day; removing it moves it back; both are audited."""
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 1)
    url = reverse("org:working_calendar")
    data = {"date": "2027-01-01", "kind": "holiday", "name": "元旦", "reason": "国务院办公厅关于2027年部分节假日安排的通知"}
    # a business user and a subordinate agency's 系统管理员 are refused, nothing changed
    from govworks.core.testing.role_matrix import assert_role_matrix

    assert_role_matrix(
        client,
        "post",
        url,
        data=data,
        expected={"anonymous": 302, "superior": 403, "sub_sysadmin": 403, "with_role": 302},
        actors={"anonymous": None, "superior": world.pm, "sub_sysadmin": world.sub_sysadmin, "with_role": world.sysadmin},
        snapshot=calendar_state,
    )
    row = WorkingCalendarDay.objects.get(date=D(2027, 1, 1))
    assert (row.kind, row.name, row.source) == ("holiday", "元旦", "国务院办公厅关于2027年部分节假日安排的通知")
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    event = AuditEvent.objects.get(action="core.working_calendar.add")
    assert (event.actor_id, event.summary) == (world.sysadmin.pk, "工作日历：登记 2027-01-01（星期五）为法定节假日（元旦）")
    # a 调休上班 day on a weekday and a date already entered are refused on the page, nothing changed
    client.force_login(world.sysadmin)
    before = calendar_state()
    response = client.post(url, {**data, "date": "2027-01-05", "kind": "workday", "name": "调休"})
    assert response.status_code == 400
    assert "2027-01-05 是星期二，本就是工作日；调休上班日须为星期六或星期日" in response.content.decode()
    response = client.post(url, data)
    assert response.status_code == 400 and "2027-01-01 已登记为“法定节假日（元旦）”" in response.content.decode()
    assert calendar_state() == before
    # removal needs a reason; then the day counts Monday–Friday again
    remove = reverse("org:working_day_remove", args=[row.pk])
    assert client.post(remove, {"reason": ""}).status_code == 302 and calendar_state() == before
    client.force_login(world.pm)
    assert client.post(remove, {"reason": "录入有误"}).status_code == 403 and calendar_state() == before
    client.force_login(world.sysadmin)
    assert client.post(remove, {"reason": "录入有误"}).status_code == 302
    assert not WorkingCalendarDay.objects.filter(date=D(2027, 1, 1)).exists()
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 1)
    event = AuditEvent.objects.get(action="core.working_calendar.remove")
    assert (event.actor_id, event.reason) == (world.sysadmin.pk, "录入有误")


def test_remove_role_matrix(client: Any, world: Any) -> None:
    from govworks.core.testing.role_matrix import assert_role_matrix

    row = WorkingCalendarDay.objects.get(date=D(2026, 10, 10))
    assert_role_matrix(
        client,
        "post",
        reverse("org:working_day_remove", args=[row.pk]),
        data={"reason": "测试"},
        expected={
            "anonymous": 302,
            "no_role": 403,
            "superior": 403,
            "external": 403,
            "sub_sysadmin": 403,
            "auditadmin": 403,
            "with_role": 302,
        },
        actors={
            **world.actors(with_role=world.sysadmin),
            "sub_sysadmin": world.sub_sysadmin,
            "auditadmin": world.auditadmin,
        },
        snapshot=calendar_state,
    )
    assert not WorkingCalendarDay.objects.filter(date=D(2026, 10, 10)).exists()
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 12)  # the Saturday no longer counts
