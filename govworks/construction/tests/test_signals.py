"""Risk signals of construction (issue 14 item 1): 整改逾期, 施工日志缺报, 照片时间/地点异常 — each raised by its
situation and not by the one just below it (exact boundaries), read from the kind's daily scan or, at the
moment of action, from a sink registered in the real registry; every scan in a constant number of queries
(3 projects vs 30)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govworks.construction import signals
from govworks.construction.models import DailyReportEntry, ProjectSite, RectificationNotice, SitePhoto
from govworks.construction.photos import demo_photo, read_photo
from govworks.construction.rules import distance_m
from govworks.construction.services.inspections import notice_issue, notice_reply, notice_verify
from govworks.construction.services.site_reports import daily_report_submit
from govworks.construction.tests.conftest import SITE, days
from govworks.core import risk
from govworks.core.risk import Finding, signal_kind
from govworks.core.workdays import add_working_days
from govworks.projects.models import Project

pytestmark = pytest.mark.django_db
HERE = (float(SITE[0]), float(SITE[1]))


@pytest.fixture
def reported() -> Iterator[list[Finding]]:
    """The findings reported at the moment of action, caught by a sink in the real registry (removed after)."""
    found: list[Finding] = []
    sink = found.append
    risk.register_signal_sink(sink)
    yield found
    risk.unregister_signal_sink(sink)


def scan(key: str, today: dt.date) -> list[Finding]:
    kind = signal_kind(key)
    assert kind is not None and kind.scan is not None
    return list(kind.scan(today))


def test_the_three_kinds_are_registered_with_chinese_labels() -> None:
    labels = {k.key: k.label for k in risk.signal_kinds()}
    assert labels[signals.RECTIFICATION_OVERDUE] == "整改逾期"
    assert labels[signals.DAILY_REPORT_MISSING] == "施工日志缺报"
    assert labels[signals.PHOTO_ANOMALY] == "照片时间/地点异常"
    assert signal_kind(signals.DAILY_REPORT_MISSING).rule_key == "daily_report.missing_signal_working_days"  # type: ignore[union-attr]


# ------------------------------------------------------------------------------------------ 整改逾期


def test_overdue_rectification_is_raised_the_day_after_its_deadline_not_on_it(cw: Any, site_project: Any) -> None:
    deadline = days(5)
    notice = notice_issue(
        actor=cw.pm, project=site_project, finding="消防管道支架松动", deadline=deadline, responsible_party="临江建工集团"
    )
    assert scan(signals.RECTIFICATION_OVERDUE, deadline) == []
    (found,) = scan(signals.RECTIFICATION_OVERDUE, deadline + dt.timedelta(days=1))
    assert found.fingerprint == f"notice:{notice.pk}:deadline:{deadline:%Y-%m-%d}"
    assert found.project_id == site_project.pk and found.agency_id == site_project.agency_id
    facts = dict(found.facts)
    assert facts["逾期天数"] == "1 天" and facts["整改期限"] == f"{deadline:%Y-%m-%d}" and facts["当前状态"] == "待整改"
    assert found.object_url == f"/construction/notices/{notice.pk}/"
    assert set(found.involved_user_ids) == {cw.pm.pk, cw.liaison.pk}
    assert found.severity is None  # 一般: the kind's severity (中)

    # replied but not verified: still overdue; verified (销项): no longer
    notice_reply(actor=cw.contractor, notice=notice, text="已加固支架并复测")
    assert dict(scan(signals.RECTIFICATION_OVERDUE, deadline + dt.timedelta(days=3))[0].facts)["当前状态"] == "待复查"
    notice_verify(actor=cw.pm, notice=RectificationNotice.objects.get(pk=notice.pk), passed=True, opinion="复查合格")
    assert scan(signals.RECTIFICATION_OVERDUE, deadline + dt.timedelta(days=30)) == []


def test_a_major_hazard_overdue_is_high(cw: Any, site_project: Any) -> None:
    notice_issue(actor=cw.pm, project=site_project, finding="深基坑支护开裂", severity="major", deadline=days(1))
    (found,) = scan(signals.RECTIFICATION_OVERDUE, days(2))
    assert found.severity == risk.Severity.HIGH


# ------------------------------------------------------------------------------------------ 施工日志缺报


def submit(cw: Any, project: Any, day: dt.date, photos: list[Any] = ()) -> DailyReportEntry:  # type: ignore[assignment]
    return daily_report_submit(
        actor=cw.liaison, project=project, report_date=day, weather="sunny", work_done="管网拆改完成二层",
        manpower={"管道工": 5}, photos=photos,
    )  # fmt: skip


def test_missing_daily_reports_counted_in_working_days_from_the_threshold_not_one_below(cw: Any, site_project: Any) -> None:
    """The threshold (3 工作日) reached up to yesterday raises the signal; one working day fewer does not."""
    Project.objects.filter(pk=site_project.pk).update(stage_entered_on=days(-60))
    last = days(-40)
    submit(cw, site_project, last)
    third = add_working_days(last, 3)  # the 3rd working day after the last report
    assert scan(signals.DAILY_REPORT_MISSING, third) == []  # up to yesterday: 2 working days missing
    (found,) = scan(signals.DAILY_REPORT_MISSING, third + dt.timedelta(days=1))
    start = last + dt.timedelta(days=1)
    assert found.fingerprint == f"project:{site_project.pk}:from:{start:%Y-%m-%d}"
    facts = dict(found.facts)
    assert facts["最近一份日报"] == f"{last:%Y-%m-%d}"
    assert facts["连续缺报"].startswith("3 个工作日")
    assert facts["“施工日志缺报风险提示工作日数”"] == "3 个工作日"
    assert set(found.involved_user_ids) == {cw.pm.pk, cw.liaison.pk}
    assert found.object_url == f"/construction/projects/{site_project.pk}/daily/"

    # a report in the gap closes it; a later gap is a new finding
    submit(cw, site_project, third)
    assert scan(signals.DAILY_REPORT_MISSING, third + dt.timedelta(days=1)) == []


def test_before_the_first_report_the_count_starts_when_construction_began(cw: Any, site_project: Any) -> None:
    began = days(-30)
    Project.objects.filter(pk=site_project.pk).update(stage_entered_on=began)
    third = add_working_days(began - dt.timedelta(days=1), 3)  # the day construction began counts
    assert scan(signals.DAILY_REPORT_MISSING, third) == []
    (found,) = scan(signals.DAILY_REPORT_MISSING, third + dt.timedelta(days=1))
    assert dict(found.facts)["最近一份日报"] == f"无（{began:%Y-%m-%d} 进入施工阶段）"


def test_a_suspension_is_no_gap_the_count_starts_again_when_construction_resumed(cw: Any, site_project: Any) -> None:
    """Last report 40 days ago, construction resumed 10 days ago (停工 in between): counted from the resumption."""
    submit(cw, site_project, days(-40))
    resumed = days(-10)
    Project.objects.filter(pk=site_project.pk).update(stage_entered_on=resumed)
    third = add_working_days(resumed - dt.timedelta(days=1), 3)  # the resumption day counts
    assert scan(signals.DAILY_REPORT_MISSING, third) == []
    (found,) = scan(signals.DAILY_REPORT_MISSING, third + dt.timedelta(days=1))
    assert found.fingerprint == f"project:{site_project.pk}:from:{resumed:%Y-%m-%d}"
    assert dict(found.facts)["最近一份日报"] == f"{days(-40):%Y-%m-%d}"


def test_an_agency_may_set_its_own_threshold(cw: Any, site_project: Any) -> None:
    """The agency's own value (5 工作日) applies to its projects: 4 missing is below it, 5 reach it."""
    from govworks.core.models import RuleParameter

    row = RuleParameter.objects.get(key=signals.MISSING_RULE, scope="deployment")
    clone(row, scope=RuleParameter.Scope.AGENCY, agency=cw.city, value="5", effective_from=days(-400))
    Project.objects.filter(pk=site_project.pk).update(stage_entered_on=days(-60))
    last = days(-40)
    submit(cw, site_project, last)
    fifth = add_working_days(last, 5)
    assert scan(signals.DAILY_REPORT_MISSING, fifth) == []
    (found,) = scan(signals.DAILY_REPORT_MISSING, fifth + dt.timedelta(days=1))
    assert dict(found.facts)["“施工日志缺报风险提示工作日数”"] == "5 个工作日"


# ------------------------------------------------------------------------------------------ 照片时间/地点异常


def jpeg(name: str, taken: dt.datetime | None, where: tuple[float, float] | None = HERE) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, demo_photo(name, taken_at=taken, position=where), content_type="image/jpeg")


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0))


def test_photo_one_day_off_is_no_signal_two_days_off_is_one_at_the_moment_and_in_the_scan(
    cw: Any, site_project: Any, reported: list[Finding], django_capture_on_commit_callbacks: Any
) -> None:
    day = days(-1)
    with django_capture_on_commit_callbacks(execute=True):
        submit(cw, site_project, day, [jpeg("a.jpg", at(day - dt.timedelta(days=1), 23))])
    assert reported == [] and scan(signals.PHOTO_ANOMALY, days(0)) == []
    with django_capture_on_commit_callbacks(execute=True):
        entry = submit(cw, site_project, day, [jpeg("b.jpg", at(day - dt.timedelta(days=2), 9)), jpeg("c.jpg", at(day))])
    (found,) = reported
    assert found.kind == signals.PHOTO_ANOMALY and found.fingerprint == f"entry:{entry.pk}"
    facts = dict(found.facts)
    assert facts["拍摄时间异常"] == "1 张，最多相差 2 天（允许 1 天）" and facts["本条记录照片"] == "2 张"
    assert "拍摄位置异常" not in facts
    assert found.involved_user_ids == (cw.liaison.pk,)
    assert found.title.endswith("现场日报有1张照片拍摄时间异常")
    assert scan(signals.PHOTO_ANOMALY, days(0)) == [found]
    # older than the scan window: found then, not scanned again
    assert scan(signals.PHOTO_ANOMALY, day + dt.timedelta(days=signals.PHOTO_SCAN_DAYS + 1)) == []


def test_photo_at_the_site_radius_is_no_signal_one_metre_beyond_is(
    cw: Any, site_project: Any, reported: list[Finding], django_capture_on_commit_callbacks: Any
) -> None:
    where = (HERE[0] + 0.004, HERE[1])
    info = read_photo(demo_photo("probe", taken_at=None, position=where))
    assert info.latitude is not None and info.longitude is not None
    metres = round(distance_m(float(info.latitude), float(info.longitude), *HERE))
    ProjectSite.objects.filter(project=site_project).update(radius_m=metres)
    with django_capture_on_commit_callbacks(execute=True):
        submit(cw, site_project, days(0), [jpeg("edge.jpg", at(days(0)), where)])
    assert reported == [] and scan(signals.PHOTO_ANOMALY, days(0)) == []

    ProjectSite.objects.filter(project=site_project).update(radius_m=metres - 1)
    with django_capture_on_commit_callbacks(execute=True):
        entry = submit(cw, site_project, days(0), [jpeg("beyond.jpg", at(days(0)), where)])
    (found,) = reported
    assert found.fingerprint == f"entry:{entry.pk}"
    assert dict(found.facts)["拍摄位置异常"] == f"1 张，最远距现场 {metres} 米（现场范围 {metres - 1} 米）"


def test_a_photo_without_exif_time_is_flagged_on_upload_but_is_not_this_signal(
    cw: Any, site_project: Any, reported: list[Finding], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        entry = submit(cw, site_project, days(0), [jpeg("noexif.jpg", None)])
    assert entry.photos.get().flagged
    assert reported == [] and scan(signals.PHOTO_ANOMALY, days(0)) == []


# ------------------------------------------------------------------------------------------ constant queries


def clone(obj: Any, **changes: Any) -> Any:
    """A copy of ``obj`` saved as a new row with ``changes``."""
    new = copy.copy(obj)
    new.pk = None
    new.id = None
    new._state = copy.copy(obj._state)
    new._state.adding = True
    for name, value in changes.items():
        setattr(new, name, value)
    new.save()
    return new


def grow(cw: Any, project: Any, n: int) -> None:
    """``n`` more projects in construction like ``project``, each with an overdue notice, a gap in its daily
    reports and an entry with a photo out of time."""
    site = ProjectSite.objects.get(project=project)
    notice = RectificationNotice.objects.filter(project=project).first()
    entry = DailyReportEntry.objects.filter(report__project=project).select_related("report").first()
    photo = SitePhoto.objects.filter(entry=entry).first()
    for i in range(n):
        p = clone(project, code=f"{project.code}-{i}-{n}")
        clone(site, project=p)
        clone(notice, project=p, inspection=None)
        report = clone(entry.report, project=p)
        e = clone(entry, report=report)
        clone(photo, report=report, entry=e)


@pytest.mark.parametrize("key", [signals.RECTIFICATION_OVERDUE, signals.DAILY_REPORT_MISSING, signals.PHOTO_ANOMALY])
def test_each_scan_keeps_a_constant_number_of_queries_3_vs_30_projects(
    key: str, cw: Any, site_project: Any, django_assert_max_num_queries: Any
) -> None:
    day = days(-5)
    notice_issue(actor=cw.pm, project=site_project, finding="消防管道支架松动", deadline=days(1))
    submit(cw, site_project, day, [jpeg("old.jpg", at(day - dt.timedelta(days=3)))])
    today = days(10)
    grow(cw, site_project, 2)
    with django_assert_max_num_queries(5):
        assert len(scan(key, today)) == 3
    grow(cw, site_project, 27)
    with django_assert_max_num_queries(5):
        assert len(scan(key, today)) == 30
