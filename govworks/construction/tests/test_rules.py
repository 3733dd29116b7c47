"""The pure rules: planned/actual progress, the light at every boundary (hypothesis), photo flags,
escalation and missing reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from govworks.construction import rules

P = rules.LightParams(yellow_lag_points=Decimal(10), red_lag_points=Decimal(30), yellow_overdue_days=1, red_overdue_days=15)
D0 = dt.date(2026, 11, 1)
lags = st.decimals(min_value=-100, max_value=100, places=2, allow_nan=False, allow_infinity=False)
overdues = st.integers(min_value=0, max_value=400)


def expected(lag: Decimal, overdue: int) -> str:
    if lag >= 30 or overdue >= 15:
        return rules.RED
    if lag >= 10 or overdue >= 1:
        return rules.YELLOW
    return rules.GREEN


@given(lag=lags, overdue=overdues)
def test_light_matches_the_thresholds_everywhere(lag: Decimal, overdue: int) -> None:
    assert rules.light_decide(P, lag=lag, overdue_days=overdue).light == expected(lag, overdue)


def test_light_boundaries_include_the_number() -> None:
    """Given 10/30 points and 1/15 days: exactly the number lights the colour, one cent or day less does not."""
    cases = [
        (Decimal("9.99"), 0, "green"), (Decimal("10"), 0, "yellow"), (Decimal("29.99"), 0, "yellow"), (Decimal("30"), 0, "red"),
        (Decimal("31"), 0, "red"), (Decimal(0), 1, "yellow"), (Decimal(0), 14, "yellow"), (Decimal(0), 15, "red"),
        (Decimal(-40), 0, "green"),
    ]  # fmt: skip
    for lag, overdue, light in cases:
        assert rules.light_decide(P, lag=lag, overdue_days=overdue).light == light, (lag, overdue)


@given(lag=lags, overdue=overdues)
def test_major_incident_and_active_freeze_are_always_red(lag: Decimal, overdue: int) -> None:
    assert rules.light_decide(P, lag=lag, overdue_days=overdue, major_incident=True).light == rules.RED
    assert rules.light_decide(P, lag=lag, overdue_days=overdue, freeze_active=True).light == rules.RED


@given(lag=lags, overdue=overdues, offset=st.integers(min_value=-30, max_value=30))
def test_recovery_plan_caps_a_schedule_red_at_yellow_until_its_date(lag: Decimal, overdue: int, offset: int) -> None:
    until = D0 + dt.timedelta(days=offset)
    got = rules.light_decide(P, lag=lag, overdue_days=overdue, recovery_until=until, today=D0).light
    plain = expected(lag, overdue)
    if plain == rules.RED and until >= D0:
        assert got == rules.YELLOW
    else:
        assert got == plain


def test_red_reason_names_the_rule_key_and_number() -> None:
    d = rules.light_decide(P, lag=Decimal("31"), overdue_days=0)
    assert d.reason_text == "进度滞后31.00个百分点，达到红灯标准30个百分点（“红灯：进度滞后百分点”）"


def test_planned_progress_is_weighted_and_linear() -> None:
    """Given a 10-day task (weight 3) half-way and a finished 1-day task (weight 1): (3×50 + 1×100)/4."""
    tasks = [
        rules.TaskFacts(D0, D0 + dt.timedelta(days=9), Decimal(3), Decimal(0)),
        rules.TaskFacts(D0 - dt.timedelta(days=5), D0 - dt.timedelta(days=5), Decimal(1), Decimal(100)),
    ]
    assert rules.planned_progress(tasks, D0 + dt.timedelta(days=4)) == Decimal("62.50")
    assert rules.planned_progress(tasks, D0 - dt.timedelta(days=6)) == Decimal("0.00")
    assert rules.planned_progress(tasks, D0 + dt.timedelta(days=9)) == Decimal("100.00")
    assert rules.actual_progress(tasks) == Decimal("25.00")
    assert rules.planned_progress([], D0) == Decimal(0)


@given(
    start=st.integers(min_value=-50, max_value=50),
    length=st.integers(min_value=0, max_value=60),
    a=st.integers(min_value=-100, max_value=100),
    b=st.integers(min_value=-100, max_value=100),
)
def test_planned_percent_never_decreases_and_stays_within_0_100(start: int, length: int, a: int, b: int) -> None:
    task = rules.TaskFacts(D0 + dt.timedelta(days=start), D0 + dt.timedelta(days=start + length), Decimal(1), Decimal(0))
    early, late = sorted((a, b))
    p1 = rules.task_planned_percent(task, D0 + dt.timedelta(days=early))
    p2 = rules.task_planned_percent(task, D0 + dt.timedelta(days=late))
    assert 0 <= p1 <= p2 <= 100


def test_milestone_overdue_counts_only_unfinished_milestones() -> None:
    m = rules.TaskFacts(D0, D0, Decimal(1), Decimal(0), is_milestone=True)
    done = rules.TaskFacts(D0 - dt.timedelta(days=30), D0 - dt.timedelta(days=30), Decimal(1), Decimal(100), is_milestone=True)
    task = rules.TaskFacts(D0 - dt.timedelta(days=30), D0 - dt.timedelta(days=30), Decimal(1), Decimal(0))
    assert rules.milestone_overdue_days([m, done, task], D0) == 0
    assert rules.milestone_overdue_days([m, done, task], D0 + dt.timedelta(days=15)) == 15


def test_photo_flags_time_gap_and_distance() -> None:
    site = (30.245120, 120.171230)
    taken = dt.datetime(2026, 11, 1, 9, 0)
    ok, distance = rules.photo_flags(
        report_date=dt.date(2026, 11, 2), taken_at=taken, photo_position=site, site_position=site, radius_m=500
    )
    assert ok == [] and distance == 0
    flags, _ = rules.photo_flags(
        report_date=dt.date(2026, 11, 3), taken_at=taken, photo_position=None, site_position=site, radius_m=500
    )
    assert flags == ["拍摄时间2026-11-01 09:00与日报日期相差2天（超过1天）"]
    far = (site[0] + 0.027, site[1])  # about 3 km north
    flags, distance = rules.photo_flags(
        report_date=dt.date(2026, 11, 1), taken_at=taken, photo_position=far, site_position=site, radius_m=500
    )
    assert distance is not None and 2900 < distance < 3100
    assert flags == [f"拍摄位置距项目现场{distance}米（超过500米）"]
    flags, _ = rules.photo_flags(
        report_date=dt.date(2026, 11, 1), taken_at=None, photo_position=None, site_position=None, radius_m=500
    )
    assert flags == ["照片无拍摄时间（EXIF），无法核验"]


@given(overdue=st.integers(min_value=-10, max_value=30), after=st.integers(min_value=0, max_value=10))
def test_escalation_at_the_parameter_days_past_deadline(overdue: int, after: int) -> None:
    deadline = D0
    today = D0 + dt.timedelta(days=overdue)
    assert rules.rectification_should_escalate(
        deadline=deadline, today=today, escalate_after_days=after, severity_major=False
    ) == (overdue >= after)
    assert rules.rectification_should_escalate(deadline=deadline, today=today, escalate_after_days=after, severity_major=True)


def test_missing_daily_reports() -> None:
    assert rules.daily_report_missing_days(last_report=D0, since=D0, today=D0 + dt.timedelta(days=1)) == 0
    assert rules.daily_report_missing_days(last_report=D0, since=D0, today=D0 + dt.timedelta(days=3)) == 2
    assert rules.daily_report_missing_days(last_report=None, since=D0, today=D0 + dt.timedelta(days=2)) == 2
    assert rules.daily_report_alert(missing_days=2, alert_days=2)
    assert not rules.daily_report_alert(missing_days=1, alert_days=2)
