"""Risk signals (廉政风险信号) of construction supervision, declared in the kernel registry
(``govworks.core.risk``) for 纪检监察 and 内审:

* ``construction.rectification_overdue`` 整改逾期 — a rectification notice past its deadline and not yet
  verified (待整改 or 待复查 the day after the deadline); one finding per notice and deadline, so a notice
  reopened with a new deadline that runs over again is a new finding;
* ``construction.daily_report_missing`` 施工日志缺报 — a project in 施工 without a daily report for
  ``daily_report.missing_signal_working_days`` working days (by the working-day calendar) up to yesterday;
  one finding per gap (keyed by the first missing day);
* ``construction.photo_anomaly`` 照片时间/地点异常 — a daily-report entry with photos taken more than
  ``site_reports.PHOTO_MAX_DAYS`` days from the report date or farther from the site than its radius (the
  thresholds the upload check in ``rules.photo_flags`` uses); one finding per entry; reported at the moment the
  entry is saved and found again by the daily scan (photos of the last ``PHOTO_SCAN_DAYS`` days).

Payments requested or made while a project is frozen (红灯暂停拨款) are finance's signals
(``govworks.finance.signals``): construction sits below finance and cannot read payments.

Every scan runs a constant number of queries whatever the number of projects (the daily job runs at province
scale): rule values are read once for every agency concerned, the working-day calendar once for the whole span.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from govworks.construction.models import DailyReport, RectificationNotice, SitePhoto
from govworks.core.errors import DomainError
from govworks.core.models import RuleParameter
from govworks.core.risk import Finding, Severity, SignalKind, register_signal_kind, signal_report
from govworks.core.rule_parameters import parse_value, rule_parameter_pick
from govworks.core.rule_seed import rule_name
from govworks.core.workdays import calendar_exceptions, is_working_day
from govworks.projects.models import Project, Stage

RECTIFICATION_OVERDUE = "construction.rectification_overdue"
DAILY_REPORT_MISSING = "construction.daily_report_missing"
PHOTO_ANOMALY = "construction.photo_anomaly"

MISSING_RULE = "daily_report.missing_signal_working_days"
#: the daily scan looks at the photos of daily reports dated within this many days (older ones were found then)
PHOTO_SCAN_DAYS = 31


def rule_values_by_agency(key: str, agency_ids: Iterable[int], *, on: dt.date) -> dict[int, Any]:
    """The value of rule ``key`` in force on ``on`` for each agency, picked as ``rule_value`` picks it: two
    queries whatever the number of agencies. A missing parameter is refused, never assumed."""
    from govworks.org.models import Agency

    ids = set(agency_ids)
    if not ids:
        return {}
    rows = list(RuleParameter.objects.filter(key=key, effective_from__lte=on).exclude(effective_to__lt=on))
    values: dict[int, Any] = {}
    for agency in Agency.objects.filter(pk__in=ids).only("pk", "path", "region_code"):
        best = rule_parameter_pick(rows, agency)
        if best is None:
            raise DomainError("rule_parameter.missing", f"未配置规则参数“{rule_name(key)}”（{on:%Y-%m-%d}），请系统管理员设置")
        values[agency.pk] = parse_value(best.value_type, best.value)
    return values


def _ids(*user_ids: int | None) -> tuple[int, ...]:
    return tuple(sorted({u for u in user_ids if u is not None}))


def _project_label(code: str, name: str) -> str:
    return f"{code} {name}"


# ------------------------------------------------------------------------------------------ 整改逾期


def rectification_overdue_scan(today: dt.date) -> Iterator[Finding]:
    """Every notice not closed whose deadline is before ``today`` (due on the deadline itself is not late).
    One query."""
    rows = (
        RectificationNotice.objects.filter(deadline__lt=today)
        .exclude(status=RectificationNotice.Status.CLOSED)
        .values_list(
            "pk",
            "number",
            "deadline",
            "status",
            "severity",
            "responsible_party",
            "issued_on",
            "reopen_count",
            "project_id",
            "project__agency_id",
            "project__code",
            "project__name",
            "project__manager_id",
            "project__site__liaison_id",
        )
        .order_by("pk")
    )
    statuses = dict(RectificationNotice.Status.choices)
    severities = dict(RectificationNotice.Severity.choices)
    for (
        pk,
        number,
        deadline,
        status,
        severity,
        party,
        issued_on,
        reopened,
        pid,
        agency_id,
        code,
        name,
        manager,
        liaison,
    ) in list(rows):  # read at once: the sink writes between findings
        late = (today - deadline).days
        facts = [
            ("整改通知单", str(number)),
            ("严重程度", str(severities.get(severity, severity))),
            ("责任方", str(party)),
            ("签发日期", f"{issued_on:%Y-%m-%d}"),
            ("整改期限", f"{deadline:%Y-%m-%d}"),
            ("逾期天数", f"{late} 天"),
            ("当前状态", str(statuses.get(status, status))),
        ]
        if reopened:
            facts.append(("复查不合格次数", f"{reopened} 次"))
        yield Finding(
            kind=RECTIFICATION_OVERDUE,
            fingerprint=f"notice:{pk}:deadline:{deadline:%Y-%m-%d}",
            agency_id=agency_id,
            project_id=pid,
            title=f"整改通知单{number}逾期{late}天未销项（{code}）",
            occurred_on=deadline + dt.timedelta(days=1),
            facts=tuple(facts),
            object_url=reverse("construction:notice_detail", args=[pk]),
            object_label=f"整改通知单 {number}（{_project_label(code, name)}）",
            involved_user_ids=_ids(manager, liaison),
            severity=Severity.HIGH if severity == RectificationNotice.Severity.MAJOR else None,
        )


# ------------------------------------------------------------------------------------------ 施工日志缺报


def _working_day_counter(first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """For every day from ``first`` to ``last``: how many working days lie from ``first`` up to it
    (inclusive). One query for the calendar."""
    exceptions = calendar_exceptions(first, last)
    running, counts, day = 0, {}, first
    while day <= last:
        if is_working_day(day, exceptions=exceptions):
            running += 1
        counts[day] = running
        day += dt.timedelta(days=1)
    return counts


def daily_report_missing_scan(today: dt.date) -> Iterator[Finding]:
    """Every project in 施工 whose working days without a daily report — from the day after its last report
    (or, before the first one or after a suspension, from the day construction (re)began) up to yesterday — reach
    ``daily_report.missing_signal_working_days`` for its agency (today's report may still come). Four queries."""
    last = DailyReport.objects.filter(project=OuterRef("pk")).order_by("-report_date").values("report_date")[:1]
    rows = list(
        Project.objects.filter(stage=Stage.CONSTRUCTION)
        .annotate(last=Subquery(last))
        .values_list("pk", "agency_id", "code", "name", "stage_entered_on", "manager_id", "site__liaison_id", "last")
        .order_by("pk")
    )
    yesterday = today - dt.timedelta(days=1)
    # from the day after the last report, never before construction (re)began (a suspension is no gap)
    starts = {pk: (max(lr + dt.timedelta(days=1), since) if lr else since) for pk, _a, _c, _n, since, _m, _l, lr in rows}
    open_gaps = [s for s in starts.values() if s <= yesterday]
    if not open_gaps:
        return
    thresholds = rule_values_by_agency(MISSING_RULE, {r[1] for r in rows}, on=today)
    first = min(open_gaps)
    counted = _working_day_counter(first - dt.timedelta(days=1), yesterday)
    for pk, agency_id, code, name, since, manager, liaison, last_report in rows:
        start = starts[pk]
        if start > yesterday:
            continue
        missing = counted[yesterday] - counted[start - dt.timedelta(days=1)]
        threshold = int(thresholds[agency_id])
        if missing < threshold:
            continue
        yield Finding(
            kind=DAILY_REPORT_MISSING,
            fingerprint=f"project:{pk}:from:{start:%Y-%m-%d}",
            agency_id=agency_id,
            project_id=pk,
            title=f"{code} 现场日报连续{missing}个工作日未报",
            occurred_on=today,
            facts=(
                ("最近一份日报", f"{last_report:%Y-%m-%d}" if last_report else f"无（{since:%Y-%m-%d} 进入施工阶段）"),
                ("缺报起始日", f"{start:%Y-%m-%d}"),
                ("连续缺报", f"{missing} 个工作日（{(today - start).days} 天）"),
                (f"“{rule_name(MISSING_RULE)}”", f"{threshold} 个工作日"),
            ),
            object_url=reverse("construction:project_tab", args=[pk, "daily"]),
            object_label=f"{_project_label(code, name)} · 现场日报",
            involved_user_ids=_ids(manager, liaison),
        )


# ------------------------------------------------------------------------------------------ 照片时间/地点异常


def _photo_findings(photos: Iterable[SitePhoto]) -> Iterator[Finding]:
    """Group ``photos`` (with report, entry, project and site read) by entry; one finding per entry that holds
    a photo taken too far from the report date or from the site — the thresholds of the upload check."""
    from govworks.construction.services.site_reports import PHOTO_MAX_DAYS

    by_entry: dict[int, list[SitePhoto]] = defaultdict(list)
    for photo in photos:
        if photo.entry_id is not None:
            by_entry[photo.entry_id].append(photo)
    for entry_id, group in sorted(by_entry.items()):
        report = group[0].report
        project = report.project
        site = getattr(project, "site", None)
        radius = site.radius_m if site is not None else None
        gaps: list[int] = []
        far: list[int] = []
        odd = 0
        for photo in group:
            gap, metres = _gap_days(photo, report.report_date), photo.distance_m
            late = gap is not None and gap > PHOTO_MAX_DAYS
            away = metres is not None and radius is not None and metres > radius
            if gap is not None and late:
                gaps.append(gap)
            if metres is not None and away:
                far.append(metres)
            odd += late or away
        if not odd:
            continue
        entry = group[0].entry
        assert entry is not None
        facts = [
            ("日报日期", f"{report.report_date:%Y-%m-%d}"),
            ("填报方", f"{entry.get_party_display()}（{entry.author.display_name}）"),
            ("本条记录照片", f"{len(group)} 张"),
        ]
        if gaps:
            facts.append(("拍摄时间异常", f"{len(gaps)} 张，最多相差 {max(gaps)} 天（允许 {PHOTO_MAX_DAYS} 天）"))
        if far:
            facts.append(("拍摄位置异常", f"{len(far)} 张，最远距现场 {max(far)} 米（现场范围 {radius} 米）"))
        what = "、".join(w for w, hit in (("时间", gaps), ("地点", far)) if hit)
        yield Finding(
            kind=PHOTO_ANOMALY,
            fingerprint=f"entry:{entry_id}",
            agency_id=project.agency_id,
            project_id=project.pk,
            title=f"{project.code} {report.report_date:%Y-%m-%d} 现场日报有{odd}张照片拍摄{what}异常",
            occurred_on=report.report_date,
            facts=tuple(facts),
            object_url=reverse("construction:project_tab", args=[project.pk, "daily"]),
            object_label=f"{_project_label(project.code, project.name)} · {report.report_date:%Y-%m-%d} 现场日报",
            involved_user_ids=_ids(entry.author_id),
        )


def _gap_days(photo: SitePhoto, report_date: dt.date) -> int | None:
    """Days between the photo's EXIF time (local wall clock) and the report date; None without EXIF time."""
    if photo.taken_at is None:
        return None
    return abs((timezone.localtime(photo.taken_at).date() - report_date).days)


def _photos() -> Any:
    return SitePhoto.objects.select_related(
        "report", "report__project", "report__project__site", "entry", "entry__author"
    ).order_by("entry_id", "id")


def photo_anomaly_scan(today: dt.date) -> Iterator[Finding]:
    """Entries of daily reports dated in the last ``PHOTO_SCAN_DAYS`` days with a photo out of time or place
    (looked at: the entries with a photo the upload check flagged). One query."""
    since = today - dt.timedelta(days=PHOTO_SCAN_DAYS)
    entries = SitePhoto.objects.filter(flagged=True, report__report_date__gte=since, entry__isnull=False).values("entry_id")
    yield from _photo_findings(_photos().filter(entry_id__in=entries))


def photo_anomaly_report(entry_id: int) -> None:
    """At the moment an entry is saved (after its transaction committed): report its photos out of time or
    place, if any."""
    for finding in _photo_findings(_photos().filter(entry_id=entry_id)):
        signal_report(finding)


register_signal_kind(
    SignalKind(
        key=RECTIFICATION_OVERDUE,
        label="整改逾期",
        severity=Severity.MEDIUM,
        module="施工监管",
        description="整改通知单过了整改期限仍未复查销项（重大隐患为高风险）",
        scan=rectification_overdue_scan,
        order=60,
    )
)
register_signal_kind(
    SignalKind(
        key=DAILY_REPORT_MISSING,
        label="施工日志缺报",
        severity=Severity.LOW,
        module="施工监管",
        rule_key=MISSING_RULE,
        description="施工阶段的项目连续多个工作日没有现场日报",
        scan=daily_report_missing_scan,
        order=61,
    )
)
register_signal_kind(
    SignalKind(
        key=PHOTO_ANOMALY,
        label="照片时间/地点异常",
        severity=Severity.MEDIUM,
        module="施工监管",
        description=f"现场日报照片的拍摄时间与日报日期相差超过允许天数，或拍摄位置超出现场范围（扫描近{PHOTO_SCAN_DAYS}天的日报）",
        scan=photo_anomaly_scan,
        order=62,
    )
)
