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

from govworks.construction.models import DailyReport, DailyReportEntry, SitePhoto, StagedPhoto
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


def submit(cw: Any, project: Any, day: dt.date, photos: list[Any]) -> DailyReportEntry:
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
    before = (DailyReport.objects.count(), DailyReportEntry.objects.count(), SitePhoto.objects.count())
    with pytest.raises(DomainError) as err:
        submit(cw, site_project, days(-1), [SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")])
    assert err.value.code == "construction.photo_invalid"
    with pytest.raises(DomainError):
        submit(cw, site_project, days(1), [])
    with pytest.raises(PermissionDenied):
        daily_report_submit(
            actor=cw.stranger, project=site_project, report_date=days(-1), weather="sunny", work_done="冒名填报内容", manpower={}
        )
    assert (DailyReport.objects.count(), DailyReportEntry.objects.count(), SitePhoto.objects.count()) == before


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


# ------------------------------------------------------------------- one report per day, every party appends


def entry_data(day: dt.date, work: str, **extra: Any) -> dict[str, Any]:
    return {"report_date": day.isoformat(), "weather": "cloudy", "manpower": "", "work_done": work, **extra}


def test_supervisor_and_contractor_append_to_the_same_days_report(client: Client, cw: Any, site_project: Any) -> None:
    """Given the contractor's entry of today with a photo, when the supervising engineer files his own with
    a photo through the page: one report for the day, two entries by author and party, each with its photo,
    shown in one card."""
    url = reverse("construction:daily_create", args=[site_project.pk])
    today = days(0)
    client.force_login(cw.contractor)
    form = client.get(url).content.decode()
    assert 'type="file" name="photos" class="form-control" accept="image/*" multiple id="id_photos"' in form
    assert "capture" not in form, "no forced camera: the phone offers the gallery and the camera"
    response = client.post(url, entry_data(today, "二层管网拆改完成", manpower="管道工 5", photos=[jpeg("c.jpg", at(today))]))
    assert response.status_code == 302
    client.force_login(cw.supervisor)
    response = client.post(url, entry_data(today, "旁站监督二层管网焊接，抽检焊缝3处合格", photos=[jpeg("s.jpg", at(today, 15))]))
    assert response.status_code == 302
    report = DailyReport.objects.get()
    entries = list(report.entries.order_by("id"))
    assert [(e.author, e.party, e.headcount, [p.original_name for p in e.photos.all()]) for e in entries] == [
        (cw.contractor, "contractor", 5, ["c.jpg"]),
        (cw.supervisor, "supervisor", 0, ["s.jpg"]),
    ]
    assert [p.flagged for p in SitePhoto.objects.filter(report=report)] == [False, False]
    client.force_login(cw.pm)
    page = client.get(reverse("construction:project_tab", args=[site_project.pk, "daily"])).content.decode()
    assert page.count('data-testid="daily-report"') == 1
    assert page.count('data-testid="daily-entry" data-party="contractor"') == 1
    assert page.count('data-testid="daily-entry" data-party="supervisor"') == 1
    assert page.count('data-testid="photo"') == 2


def test_a_form_error_keeps_the_chosen_photos(client: Client, cw: Any, site_project: Any) -> None:
    """Given the supervisor picks two photos and forgets the work done: the form is refused (400, no
    report), the photos wait in his pending area, listed and ticked on the page; he fills the work done,
    unticks one and saves without picking them again — the entry has the ticked photo, its EXIF read."""
    url = reverse("construction:daily_create", args=[site_project.pk])
    today = days(0)
    client.force_login(cw.supervisor)
    photos = [jpeg("keep.jpg", at(today)), jpeg("drop.jpg", at(today - dt.timedelta(days=30)))]
    response = client.post(url, entry_data(today, "", photos=photos))
    assert response.status_code == 400
    assert DailyReport.objects.count() == 0 and SitePhoto.objects.count() == 0
    keep, drop = StagedPhoto.objects.order_by("id")
    assert (keep.uploader, keep.original_name, drop.original_name) == (cw.supervisor, "keep.jpg", "drop.jpg")
    page = response.content.decode()
    assert "已选的照片已保留，无需重新选择" in page
    assert page.count('data-testid="staged-photo" checked') == 2
    thumb = reverse("construction:staged_thumb", args=[keep.pk])
    assert thumb in page and client.get(thumb).status_code == 200
    client.force_login(cw.contractor)
    assert client.get(thumb).status_code == 404, "only the uploader sees the pending photo"
    client.force_login(cw.supervisor)
    response = client.post(url, entry_data(today, "旁站监督二层管网焊接", staged=[str(keep.pk)]))
    assert response.status_code == 302
    entry = DailyReportEntry.objects.get()
    photo = entry.photos.get()
    assert (photo.original_name, photo.flagged, photo.taken_at is not None) == ("keep.jpg", False, True)
    assert list(StagedPhoto.objects.values_list("original_name", flat=True)) == ["drop.jpg"]


def test_a_file_that_is_not_a_photo_is_not_staged(client: Client, cw: Any, site_project: Any) -> None:
    url = reverse("construction:daily_create", args=[site_project.pk])
    client.force_login(cw.contractor)
    bad = SimpleUploadedFile("notes.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(url, entry_data(days(0), "管网拆改", photos=[jpeg("ok.jpg", at(days(0))), bad]))
    assert response.status_code == 400
    assert "“notes.jpg”：文件不是有效的照片" in response.content.decode()
    assert (DailyReport.objects.count(), StagedPhoto.objects.count(), SitePhoto.objects.count()) == (0, 0, 0)


def test_pending_photos_are_purged_after_three_days(cw: Any, site_project: Any) -> None:
    from govworks.construction.services.site_reports import daily_photos_stage, staged_photos_purge

    daily_photos_stage(actor=cw.contractor, project=site_project, uploads=[jpeg("late.jpg", at(days(0)))])
    assert staged_photos_purge(today=days(3)) == 0
    assert staged_photos_purge(today=days(4)) == 1
    assert StagedPhoto.objects.count() == 0
