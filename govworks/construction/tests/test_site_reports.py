"""Daily site reports with photos: EXIF time and GPS read, stale and distant photos flagged, the exported
copy without EXIF; the 监理日志; missing reports on the workbench; refusals change nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from govworks.construction.models import DailyReport, SitePhoto
from govworks.construction.photos import demo_photo, has_exif, read_photo
from govworks.construction.services.site_reports import daily_report_submit, diary_record
from govworks.construction.tests.conftest import SITE, days
from govworks.core.errors import DomainError
from govworks.core.registry import work_items_for

pytestmark = pytest.mark.django_db
HERE = (float(SITE[0]), float(SITE[1]))


def jpeg(name: str, taken: dt.datetime | None, where: tuple[float, float] | None = HERE) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, demo_photo(name, taken_at=taken, position=where), content_type="image/jpeg")


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0))


def submit(cw: Any, project: Any, day: dt.date, photos: list[Any]) -> DailyReport:
    return daily_report_submit(
        actor=cw.liaison, project=project, report_date=day, weather="sunny", work_done="管网拆改完成二层",
        manpower={"管道工": 5, "普工": "8"}, photos=photos,
    )  # fmt: skip


def test_photo_taken_30_days_before_is_flagged_and_export_has_no_exif(cw: Any, site_project: Any, client: Client) -> None:
    today = days(0)
    report = submit(cw, site_project, today, [jpeg("ok.jpg", at(today)), jpeg("old.jpg", at(today - dt.timedelta(days=30)))])
    ok, old = report.photos.order_by("id")
    assert (ok.flagged, ok.distance_m) == (False, 0)
    assert old.flagged and old.flags == f"拍摄时间{today - dt.timedelta(days=30):%Y-%m-%d} 10:00与日报日期相差30天（超过1天）"
    assert report.headcount == 13
    with old.original.open("rb") as fh:
        original = fh.read()
    assert has_exif(original) and read_photo(original).taken_at == at(today - dt.timedelta(days=30)), (
        "the original keeps its EXIF"
    )
    with old.thumbnail.open("rb") as fh:
        assert not has_exif(fh.read())
    client.force_login(cw.pm)
    exported = client.get(reverse("construction:photo_export", args=[old.pk]))
    assert exported.status_code == 200 and exported["Content-Disposition"].startswith("attachment")
    body = exported.content
    assert not has_exif(body)
    assert read_photo(body) == type(read_photo(body))(None, None, None, 800, 600)
    page = client.get(reverse("construction:project_tab", args=[site_project.pk, "daily"]))
    assert page.content.decode().count('data-flagged="1"') == 1


def test_photo_far_from_the_site_is_flagged(cw: Any, site_project: Any) -> None:
    report = submit(cw, site_project, days(0), [jpeg("far.jpg", at(days(0)), (HERE[0] + 0.027, HERE[1]))])
    photo = report.photos.get()
    assert photo.flagged and "米（超过500米）" in photo.flags and photo.distance_m and photo.distance_m > 2900


def test_refusals_change_nothing(cw: Any, site_project: Any) -> None:
    submit(cw, site_project, days(0), [])
    before = (DailyReport.objects.count(), SitePhoto.objects.count())
    with pytest.raises(DomainError) as err:
        submit(cw, site_project, days(0), [jpeg("again.jpg", at(days(0)))])
    assert err.value.code == "construction.daily_exists"
    with pytest.raises(DomainError) as err:
        submit(cw, site_project, days(-1), [SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")])
    assert err.value.code == "construction.photo_invalid"
    with pytest.raises(DomainError):
        submit(cw, site_project, days(1), [])
    with pytest.raises(PermissionDenied):
        daily_report_submit(
            actor=cw.stranger, project=site_project, report_date=days(-1), weather="sunny", work_done="冒名填报内容", manpower={}
        )
    assert (DailyReport.objects.count(), SitePhoto.objects.count()) == before


def test_missing_reports_alert_the_liaison_and_the_manager(cw: Any, site_project: Any) -> None:
    submit(cw, site_project, days(-3), [])
    for who in (cw.liaison, cw.pm):
        items = [i for i in work_items_for(who) if i.kind == "现场日报"]
        assert [i.title for i in items] == [f"现场日报缺报2天：{site_project}"]
    submit(cw, site_project, days(-1), [])
    assert not [i for i in work_items_for(cw.liaison) if i.kind == "现场日报"]


def test_supervisor_keeps_the_diary_and_contractor_cannot(cw: Any, site_project: Any) -> None:
    diary_record(actor=cw.supervisor, project=site_project, diary_date=days(0), content="旁站监督管道焊接")
    with pytest.raises(PermissionDenied):
        diary_record(actor=cw.contractor, project=site_project, diary_date=days(0), content="施工单位冒填")
    with pytest.raises(DomainError):
        diary_record(actor=cw.supervisor, project=site_project, diary_date=days(0), content="同一天再记一次")
