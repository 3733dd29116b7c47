"""现场日报: one report per project and day, to which every party on site — the agency's liaison, the
contractor, the supervising engineer — appends its entries (weather, manpower by trade, work done,
problems, photos); photos waiting for an entry in the pending area; and the supervising engineer's 监理日志."""

from __future__ import annotations

from django.conf import settings
from django.db import models


def photo_upload_to(instance: SitePhoto, filename: str) -> str:
    return f"construction/photos/{instance.report.project_id}/{instance.report.report_date:%Y%m}/{filename}"


def thumb_upload_to(instance: SitePhoto, filename: str) -> str:
    return f"construction/thumbs/{instance.report.project_id}/{instance.report.report_date:%Y%m}/{filename}"


class Weather(models.TextChoices):
    SUNNY = "sunny", "晴"
    CLOUDY = "cloudy", "多云"
    OVERCAST = "overcast", "阴"
    RAIN = "rain", "雨"
    SNOW = "snow", "雪"


class Party(models.TextChoices):
    """Who wrote an entry of the day's report: the agency's own people, the contractor, the supervisor."""

    OWNER = "owner", "建设单位"
    CONTRACTOR = "contractor", "施工单位"
    SUPERVISOR = "supervisor", "监理单位"


class DailyReport(models.Model):
    """The day's site report of a project (one per project and day); every party appends its entries."""

    Weather = Weather

    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="daily_reports")
    report_date = models.DateField("日期")

    class Meta:
        verbose_name = "现场日报"
        verbose_name_plural = "现场日报"
        ordering = ["-report_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["project", "report_date"], name="construction_daily_one_per_day")]

    def __str__(self) -> str:
        return f"{self.report_date:%Y-%m-%d} 现场日报"


class DailyReportEntry(models.Model):
    """One party's entry in the day's report: weather, manpower by trade, work done, problems, photos."""

    Weather = Weather

    report = models.ForeignKey(DailyReport, verbose_name="现场日报", on_delete=models.PROTECT, related_name="entries")
    party = models.CharField("填报方", max_length=12, choices=Party.choices)
    weather = models.CharField("天气", max_length=10, choices=Weather.choices)
    temperature = models.CharField("气温", max_length=20, blank=True)
    manpower = models.JSONField("分工种人数", default=dict, blank=True)
    work_done = models.TextField("当日完成工作")
    problems = models.TextField("存在问题", blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "现场日报记录"
        verbose_name_plural = "现场日报记录"
        ordering = ["report_id", "submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_party_display()} {self.submitted_at:%H:%M} 记录"

    @property
    def headcount(self) -> int:
        return sum(int(v) for v in (self.manpower or {}).values())


class SitePhoto(models.Model):
    report = models.ForeignKey(DailyReport, verbose_name="日报", on_delete=models.PROTECT, related_name="photos")
    entry = models.ForeignKey(
        DailyReportEntry, verbose_name="日报记录", null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    original = models.FileField("原图", upload_to=photo_upload_to)
    thumbnail = models.FileField("缩略图", upload_to=thumb_upload_to)
    original_name = models.CharField("文件名", max_length=200)
    caption = models.CharField("说明", max_length=200, blank=True)
    taken_at = models.DateTimeField("拍摄时间（EXIF）", null=True, blank=True)
    latitude = models.DecimalField("纬度（EXIF）", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度（EXIF）", max_digits=9, decimal_places=6, null=True, blank=True)
    distance_m = models.PositiveIntegerField("距现场（米）", null=True, blank=True)
    flagged = models.BooleanField("存疑", default=False, db_index=True)
    flags = models.CharField("存疑原因", max_length=300, blank=True)

    class Meta:
        verbose_name = "现场照片"
        verbose_name_plural = "现场照片"
        ordering = ["report_id", "id"]

    def __str__(self) -> str:
        return self.original_name


def staged_upload_to(instance: StagedPhoto, filename: str) -> str:
    return f"construction/staged/{instance.project_id}/{instance.uploader_id}/{filename}"


class StagedPhoto(models.Model):
    """A photo uploaded for a daily-report entry not yet saved (the pending area): kept when the form is
    refused so the person does not pick it again; becomes a SitePhoto when the entry is saved, and is
    purged by the daily job after ``STAGED_KEEP_DAYS``. Only its uploader sees it."""

    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="+")
    uploader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.CASCADE, related_name="+")
    original = models.FileField("原图", upload_to=staged_upload_to)
    thumbnail = models.FileField("缩略图", upload_to=staged_upload_to)
    original_name = models.CharField("文件名", max_length=200)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "待提交照片"
        verbose_name_plural = "待提交照片"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class SupervisionDiary(models.Model):
    """监理日志: the supervising engineer's own record of the day."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="supervision_diaries"
    )
    diary_date = models.DateField("日期")
    content = models.TextField("监理工作情况")
    issues = models.TextField("发现问题及处理", blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="监理工程师", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "监理日志"
        verbose_name_plural = "监理日志"
        ordering = ["-diary_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["project", "diary_date", "author"], name="construction_diary_one_per_day")]

    def __str__(self) -> str:
        return f"{self.diary_date:%Y-%m-%d} 监理日志"
