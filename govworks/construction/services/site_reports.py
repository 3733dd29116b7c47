"""现场日报 with photos, and the 监理日志. One report per project and day, to which each party on site
appends its entries. Photos may be put in a pending area first (so a refused form keeps them). Each photo
keeps its original (Django storage), gets a thumbnail, and has its EXIF time and GPS read; one taken more
than a day from the report date or farther from the site than the site's radius is flagged, with the
reason."""

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
from govworks.construction.models import (
    DailyReport,
    DailyReportEntry,
    Party,
    SitePhoto,
    StagedPhoto,
    SupervisionDiary,
)
from govworks.construction.models.site_reports import Weather
from govworks.construction.selectors.parties import CONTRACTOR, SUPERVISOR
from govworks.construction.services.lights import site_locked
from govworks.construction.services.schedule import check_stage
from govworks.construction.signals import photo_anomaly_report
from govworks.core.audit import audit_event_record
from govworks.core.errors import DomainError
from govworks.org.models import User
from govworks.projects.models import Project

MAX_PHOTOS = 12
#: photos left in the pending area longer than this are purged by the daily job
STAGED_KEEP_DAYS = 3
DAILY_DENIED = "只有本项目的项目联络员、工程管理岗、施工单位或监理单位可以填报现场日报"
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


def _party(actor: User, project: Project) -> str:
    if perms.is_contractor(actor, project):
        return Party.CONTRACTOR
    if perms.is_supervisor(actor, project):
        return Party.SUPERVISOR
    return Party.OWNER


def _may_file(actor: User, project: Project) -> None:
    """The agency's liaison/工程管理岗, or the contractor's or the supervisor's people of the signed
    contracts; another company is refused naming the contracts and their suppliers."""
    refusal = perms.party_refusal(actor, project, roles=(CONTRACTOR, SUPERVISOR))
    if refusal:
        raise perms.ContractPartyRefused("construction.not_contract_party", f"现场日报须由本项目的参建单位填报：{refusal}")
    if not perms.may_file_daily_report(actor, project):
        raise PermissionDenied(DAILY_DENIED)


def daily_photos_stage(*, actor: User, project: Project, uploads: Sequence[Any]) -> list[StagedPhoto]:
    """Put photos chosen for a daily-report entry in the pending area (待提交照片) before the entry is
    saved, so a refused form keeps them. Every file must be a photo (all or nothing); at most
    ``MAX_PHOTOS`` wait per person and project. Only the uploader sees and uses them."""
    _may_file(actor, project)
    check_stage(project)
    waiting = StagedPhoto.objects.filter(project=project, uploader=actor).count()
    if waiting + len(uploads) > MAX_PHOTOS:
        raise DomainError(
            "construction.daily_photos",
            f"每份日报记录最多{MAX_PHOTOS}张照片，已有待提交照片{waiting}张，本次又选了{len(uploads)}张",
            field="photos",
        )
    contents = []
    for upload in uploads:
        data = upload.read() if hasattr(upload, "read") else bytes(upload)
        name = str(getattr(upload, "name", "photo.jpg"))
        try:
            photo_tools.read_photo(data)
        except DomainError as err:
            raise DomainError(err.code, f"“{name[-60:]}”：{err.message}", field="photos") from None
        contents.append((name, data))
    staged = []
    with transaction.atomic():
        for name, data in contents:
            digest = hashlib.sha256(data).hexdigest()[:16]
            photo = StagedPhoto(project=project, uploader=actor, original_name=name[-200:])
            photo.original.save(f"{digest}-{_safe_name(name)}", ContentFile(data), save=False)
            photo.thumbnail.save(f"{digest}-thumb.jpg", ContentFile(photo_tools.thumbnail(data)), save=False)
            photo.save()
            staged.append(photo)
        if staged:
            audit_event_record(
                actor=actor,
                action="construction.daily.photos_stage",
                obj=staged[0],
                agency=project.agency,
                context=project,
                summary=f"{project.code} 上传待提交的现场照片{len(staged)}张",
            )
    return staged


def _safe_name(name: str) -> str:
    tail = "".join(c for c in name[-40:] if c.isalnum() or c in "._-")
    return tail or "photo.jpg"


def staged_photos_of(*, actor: User, project: Project) -> list[StagedPhoto]:
    """The photos ``actor`` has waiting in the pending area for ``project`` (oldest first)."""
    return list(StagedPhoto.objects.filter(project=project, uploader=actor).order_by("uploaded_at", "id"))


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
    staged: Sequence[StagedPhoto] = (),
) -> DailyReportEntry:
    """Append the actor's entry to the day's site report of the project — the report is opened by the
    first entry of the day, and every party on site (the agency's liaison or 工程管理岗, the contractor of
    the main construction contract, the supervisor of the supervision contract) adds its own — with up to
    12 photos: uploaded now (``photos``) or waiting in the actor's pending area (``staged``, which leave it).
    Each photo's EXIF time and GPS are checked against the date and the site."""
    _may_file(actor, project)
    check_stage(project)
    today = timezone.localdate()
    if report_date > today:
        raise DomainError("construction.daily_future", "日报日期不能晚于今天", field="report_date")
    if weather not in Weather.values:
        raise DomainError("construction.daily_weather", "请选择天气", field="weather")
    if len(work_done.strip()) < 4:
        raise DomainError("construction.daily_work", "请填写当日完成工作（不少于4个字）", field="work_done")
    if len(photos) + len(staged) > MAX_PHOTOS:
        raise DomainError(
            "construction.daily_photos",
            f"每份日报记录最多{MAX_PHOTOS}张照片，上传了{len(photos) + len(staged)}张",
            field="photos",
        )
    for s in staged:
        if s.uploader_id != actor.pk or s.project_id != project.pk:
            raise PermissionDenied("只能使用本人为本项目上传的待提交照片")
    crew = _manpower(manpower)
    contents = []
    for upload in photos:
        data = upload.read() if hasattr(upload, "read") else bytes(upload)
        contents.append((str(getattr(upload, "name", "photo.jpg")), data, photo_tools.read_photo(data)))
    for s in staged:
        with s.original.open("rb") as fh:
            data = fh.read()
        contents.append((s.original_name, data, photo_tools.read_photo(data)))
    with transaction.atomic():
        site = site_locked(project)
        if staged and StagedPhoto.objects.select_for_update().filter(pk__in=[s.pk for s in staged]).count() != len(staged):
            raise DomainError("construction.daily_staged", "所选的待提交照片已被使用或清理，请重新选择照片", field="photos")
        report, opened = DailyReport.objects.get_or_create(project=project, report_date=report_date)
        entry = DailyReportEntry.objects.create(
            report=report,
            party=_party(actor, project),
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
                entry=entry,
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
                f"{digest}.jpg" if name.lower().endswith((".jpg", ".jpeg")) else f"{digest}-{_safe_name(name)}",
                ContentFile(data),
                save=False,
            )
            photo.thumbnail.save(f"{digest}-thumb.jpg", ContentFile(photo_tools.thumbnail(data)), save=False)
            photo.save()
            flagged += bool(flags)
        if staged:
            files = [(s.original.name, s.thumbnail.name) for s in staged]
            StagedPhoto.objects.filter(pk__in=[s.pk for s in staged]).delete()
            transaction.on_commit(lambda: _delete_files(files))
        audit_event_record(
            actor=actor,
            action="construction.daily.submit",
            obj=entry,
            agency=project.agency,
            context=project,
            summary=f"{project.code} {report_date:%Y-%m-%d} 现场日报{'' if opened else '追加'}{entry.get_party_display()}记录："
            f"{entry.headcount}人，照片{len(contents)}张" + (f"（{flagged}张存疑）" if flagged else ""),
        )
    if flagged:  # 照片时间/地点异常 for 纪检监察, once the entry is committed
        entry_id = entry.pk
        transaction.on_commit(lambda: photo_anomaly_report(entry_id))
    return entry


def _delete_files(names: Sequence[tuple[str | None, str | None]]) -> None:
    from django.core.files.storage import default_storage

    for pair in names:
        for name in pair:
            if name:
                default_storage.delete(name)


def staged_photos_purge(*, today: dt.date) -> int:
    """Remove photos left in the pending area for more than ``STAGED_KEEP_DAYS`` days (never submitted);
    run by the daily job. Returns how many were removed."""
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=STAGED_KEEP_DAYS), dt.time.min))
    old = list(StagedPhoto.objects.filter(uploaded_at__lt=cutoff))
    if not old:
        return 0
    files = [(s.original.name, s.thumbnail.name) for s in old]
    with transaction.atomic():
        StagedPhoto.objects.filter(pk__in=[s.pk for s in old]).delete()
        transaction.on_commit(lambda: _delete_files(files))
    return len(old)


def diary_record(*, actor: User, project: Project, diary_date: dt.date, content: str, issues: str = "") -> SupervisionDiary:
    """监理日志 of the supervising engineer for a day (one per engineer and day)."""
    if not perms.may_keep_diary(actor, project):
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
