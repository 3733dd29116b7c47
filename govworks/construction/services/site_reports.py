"""现场日报 with photos, and the 监理日志. Each photo keeps its original (Django storage), gets a
thumbnail, and has its EXIF time and GPS read; one taken more than a day from the report date or
farther from the site than the site's radius is flagged, with the reason."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from govworks.construction import permissions as perms
from govworks.construction import photos as photo_tools
from govworks.construction import rules
from govworks.construction.models import DailyReport, ProjectSite, SitePhoto, SupervisionDiary
from govworks.construction.services.lights import site_locked
from govworks.construction.services.schedule import check_stage
from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.org.models import User
from govworks.projects.models import Project

MAX_PHOTOS = 12
#: a photo more than this many days from the report date is flagged (the issue: "more than a day away")
PHOTO_MAX_DAYS = 1


def _manpower(raw: Mapping[str, Any]) -> dict[str, int]:
    clean: dict[str, int] = {}
    for trade, count in raw.items():
        name = str(trade).strip()[:20]
        try:
            n = int(count)
        except (TypeError, ValueError):
            raise DomainError("construction.manpower", f"“{name}”的人数须为整数", field="manpower") from None
        if n < 0 or n > 5000:
            raise DomainError("construction.manpower", f"“{name}”的人数{n}不合理", field="manpower")
        if name and n:
            clean[name] = n
    return clean


def daily_report_submit(
    *,
    actor: User,
    project: Project,
    report_date: dt.date,
    weather: str,
    work_done: str,
    manpower: Mapping[str, Any],
    problems: str = "",
    temperature: str = "",
    photos: Sequence[Any] = (),
    captions: Sequence[str] = (),
) -> DailyReport:
    """File the day's site report (one per project and day) with up to 12 photos."""
    site = ProjectSite.objects.filter(project=project).first()
    if not perms.may_file_daily_report(actor, project, site):
        raise PermissionDenied("只有本项目的项目联络员、工程管理岗或施工单位可以填报现场日报")
    check_stage(project)
    today = timezone.localdate()
    if report_date > today:
        raise DomainError("construction.daily_future", "日报日期不能晚于今天", field="report_date")
    if weather not in DailyReport.Weather.values:
        raise DomainError("construction.daily_weather", "请选择天气", field="weather")
    if len(work_done.strip()) < 4:
        raise DomainError("construction.daily_work", "请填写当日完成工作", field="work_done")
    if len(photos) > MAX_PHOTOS:
        raise DomainError("construction.daily_photos", f"每份日报最多{MAX_PHOTOS}张照片，上传了{len(photos)}张", field="photos")
    crew = _manpower(manpower)
    contents = []
    for upload in photos:
        data = upload.read() if hasattr(upload, "read") else bytes(upload)
        contents.append((getattr(upload, "name", "photo.jpg"), data, photo_tools.read_photo(data)))
    with transaction.atomic():
        site = site_locked(project)
        if DailyReport.objects.filter(project=project, report_date=report_date).exists():
            raise DomainError("construction.daily_exists", f"{report_date:%Y-%m-%d}的现场日报已填报", field="report_date")
        report = DailyReport.objects.create(
            project=project,
            report_date=report_date,
            weather=weather,
            temperature=temperature.strip()[:20],
            manpower=crew,
            work_done=work_done.strip(),
            problems=problems.strip(),
            author=actor,
        )
        flagged = 0
        site_pos = (
            (float(site.latitude), float(site.longitude)) if site.latitude is not None and site.longitude is not None else None
        )
        for i, (name, data, info) in enumerate(contents):
            photo_pos = (
                (float(info.latitude), float(info.longitude))
                if info.latitude is not None and info.longitude is not None
                else None
            )
            flags, distance = rules.photo_flags(
                report_date=report_date,
                taken_at=info.taken_at,
                photo_position=photo_pos,
                site_position=site_pos,
                radius_m=site.radius_m,
                max_days=PHOTO_MAX_DAYS,
            )
            digest = hashlib.sha256(data).hexdigest()[:16]
            photo = SitePhoto(
                report=report,
                original_name=str(name)[-200:],
                caption=(captions[i] if i < len(captions) else "")[:200],
                taken_at=timezone.make_aware(info.taken_at) if info.taken_at else None,
                latitude=info.latitude,
                longitude=info.longitude,
                distance_m=distance,
                flagged=bool(flags),
                flags="；".join(flags)[:300],
            )
            photo.original.save(
                f"{digest}.jpg" if name.lower().endswith((".jpg", ".jpeg")) else f"{digest}-{name[-40:]}",
                ContentFile(data),
                save=False,
            )
            photo.thumbnail.save(f"{digest}-thumb.jpg", ContentFile(photo_tools.thumbnail(data)), save=False)
            photo.save()
            flagged += bool(flags)
        audit_event_record(
            actor=actor,
            action="construction.daily.submit",
            obj=report,
            agency=project.agency,
            context=project,
            summary=f"{project.code} {report_date:%Y-%m-%d} 现场日报：{report.headcount}人，照片{len(contents)}张"
            + (f"（{flagged}张存疑）" if flagged else ""),
        )
    return report


def diary_record(*, actor: User, project: Project, diary_date: dt.date, content: str, issues: str = "") -> SupervisionDiary:
    """监理日志 of the supervising engineer for a day (one per engineer and day)."""
    site = ProjectSite.objects.filter(project=project).first()
    if not perms.may_keep_diary(actor, project, site):
        raise PermissionDenied("只有本项目监理单位可以记录监理日志")
    if diary_date > timezone.localdate():
        raise DomainError("construction.diary_future", "日志日期不能晚于今天", field="diary_date")
    if len(content.strip()) < 4:
        raise DomainError("construction.diary_content", "请填写监理工作情况", field="content")
    with transaction.atomic():
        if SupervisionDiary.objects.filter(project=project, diary_date=diary_date, author=actor).exists():
            raise DomainError("construction.diary_exists", f"您{diary_date:%Y-%m-%d}的监理日志已记录", field="diary_date")
        diary = SupervisionDiary.objects.create(
            project=project, diary_date=diary_date, content=content.strip(), issues=issues.strip(), author=actor
        )
        audit_event_record(
            actor=actor,
            action="construction.diary.record",
            obj=diary,
            agency=project.agency,
            context=project,
            summary=f"{project.code} {diary_date:%Y-%m-%d} 监理日志",
        )
    return diary
