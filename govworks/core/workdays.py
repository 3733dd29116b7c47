"""The working-day calendar (工作日): Monday to Friday, minus the 法定节假日 and plus the 调休上班 days that
the State Council announces each year. The exceptions are data (``WorkingCalendarDay``, seeded from
``core/data/working_calendar.csv`` and kept by the 系统管理员 on the 工作日历 page), never code.

Every deadline that a rule parameter expresses in 工作日 goes through :func:`deadline_from_rule` (or
:func:`add_working_days` directly); :func:`working_days_between` counts them. A year without any row is
counted Monday–Friday (the page shows which years are still missing their notice).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from govworks.core.models import WorkingCalendarDay
from govworks.core.rule_parameters import AgencyLike, parse_value, rule_parameter_effective

DATA_FILE = Path(__file__).resolve().parent / "data" / "working_calendar.csv"
HOLIDAY = WorkingCalendarDay.Kind.HOLIDAY.value
WORKDAY = WorkingCalendarDay.Kind.WORKDAY.value
WORKING_DAY_UNIT = "工作日"

# the longest run of days off in a Chinese calendar is 9 (春节 2026); a margin keeps one query enough
_SPAN_PER_DAY = 2
_SPAN_MARGIN = 21


# ------------------------------------------------------------------------------------------ pure


def is_working_day(day: dt.date, *, exceptions: Mapping[dt.date, str]) -> bool:
    """True on a working day: a 调休上班 day, or a Monday–Friday that is not a 法定节假日."""
    kind = exceptions.get(day)
    if kind == WORKDAY:
        return True
    if kind == HOLIDAY:
        return False
    return day.weekday() < 5


def add_working_days_in(start: dt.date, n: int, *, exceptions: Mapping[dt.date, str]) -> dt.date:
    """The ``n``-th working day after ``start`` (``start`` itself is never counted; n = 0 → ``start``;
    a negative ``n`` counts backwards)."""
    day, left = start, abs(n)
    step = dt.timedelta(days=1 if n >= 0 else -1)
    while left:
        day += step
        if is_working_day(day, exceptions=exceptions):
            left -= 1
    return day


def working_days_between_in(start: dt.date, end: dt.date, *, exceptions: Mapping[dt.date, str]) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is before ``start``)."""
    if end < start:
        return -working_days_between_in(end, start, exceptions=exceptions)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day, exceptions=exceptions):
            count += 1
    return count


# ------------------------------------------------------------------------------------------ with the calendar


def calendar_exceptions(first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """The calendar's exceptions from ``first`` to ``last`` (inclusive): date → kind. One query."""
    rows = WorkingCalendarDay.objects.filter(date__gte=first, date__lte=last).values_list("date", "kind")
    return dict(rows)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start`` by the working-day calendar (法定节假日 skipped, 调休上班
    counted). One query (two for a very long span)."""
    span = dt.timedelta(days=abs(n) * _SPAN_PER_DAY + _SPAN_MARGIN)
    first, last = (start, start + span) if n >= 0 else (start - span, start)
    exceptions = calendar_exceptions(first, last)
    result = add_working_days_in(start, n, exceptions=exceptions)
    if not first <= result <= last:  # more days off than the margin assumed: read the whole span
        exceptions = calendar_exceptions(min(first, result), max(last, result))
        result = add_working_days_in(start, n, exceptions=exceptions)
    return result


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` by the calendar. One query."""
    exceptions = calendar_exceptions(min(start, end), max(start, end))
    return working_days_between_in(start, end, exceptions=exceptions)


def is_working_day_on(day: dt.date) -> bool:
    """Whether ``day`` is a working day by the calendar. One query."""
    return is_working_day(day, exceptions=calendar_exceptions(day, day))


def deadline_from_rule(key: str, *, agency: AgencyLike | None, start: dt.date, times: int = 1) -> dt.date:
    """The deadline ``times`` × the parameter ``key`` after ``start``: in working days when the parameter's
    unit is 工作日 (e.g. ``approval.step_due_days`` = 3 个工作日), in calendar days otherwise."""
    row = rule_parameter_effective(key, agency=agency, on=start)
    amount = int(parse_value(row.value_type, row.value)) * times
    if WORKING_DAY_UNIT in row.unit:
        return add_working_days(start, amount)
    return start + dt.timedelta(days=amount)


def calendar_years_missing(years: list[int]) -> list[int]:
    """Which of ``years`` have no exception at all (their notice is not entered yet). One query."""
    present = set(WorkingCalendarDay.objects.filter(date__year__in=years).values_list("date__year", flat=True))
    return [y for y in years if y not in present]


# ------------------------------------------------------------------------------------------ seed


def working_calendar_rows(path: Path = DATA_FILE) -> list[dict[str, Any]]:
    """The rows of the data file: ``date, kind, name, source``."""
    with path.open(encoding="utf-8") as handle:
        return [
            {"date": dt.date.fromisoformat(r["date"]), "kind": r["kind"], "name": r["name"], "source": r["source"]}
            for r in csv.DictReader(handle)
        ]


def working_calendar_seed(model: Any = WorkingCalendarDay) -> int:
    """Load the data file's years that have no row yet (a year the 系统管理员 already keeps is never
    overwritten). ``model`` lets a migration pass its historical model. Returns how many rows were made."""
    rows = working_calendar_rows()
    present = set(model.objects.values_list("date__year", flat=True).distinct())
    new = [model(**r) for r in rows if r["date"].year not in present]
    model.objects.bulk_create(new)
    return len(new)
