"""现场日报 by the project liaison (weather, manpower by trade, work done, problems, photos) and the
supervising engineer's 监理日志."""

from __future__ import annotations

from django.conf import settings
from django.db import models


def photo_upload_to(instance: SitePhoto, filename: str) -> str:
    return f"construction/photos/{instance.report.project_id}/{instance.report.report_date:%Y%m}/{filename}"


def thumb_upload_to(instance: SitePhoto, filename: str) -> str:
    return f"construction/thumbs/{instance.report.project_id}/{instance.report.report_date:%Y%m}/{filename}"


class DailyReport(models.Model):
    class Weather(models.TextChoices):
        SUNNY = "sunny", "晴"
        CLOUDY = "cloudy", "多云"
        OVERCAST = "overcast", "阴"
        RAIN = "rain", "雨"
        SNOW = "snow", "雪"

    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="daily_reports")
    report_date = models.DateField("日期")
    weather = models.CharField("天气", max_length=10, choices=Weather.choices)
    temperature = models.CharField("气温", max_length=20, blank=True)
    manpower = models.JSONField("分工种人数", default=dict, blank=True)
    work_done = models.TextField("当日完成工作")
    problems = models.TextField("存在问题", blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "现场日报"
        verbose_name_plural = "现场日报"
        ordering = ["-report_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["project", "report_date"], name="construction_daily_one_per_day")]

    def __str__(self) -> str:
        return f"{self.report_date:%Y-%m-%d} 现场日报"

    @property
    def headcount(self) -> int:
        return sum(int(v) for v in (self.manpower or {}).values())


class SitePhoto(models.Model):
    report = models.ForeignKey(DailyReport, verbose_name="日报", on_delete=models.PROTECT, related_name="photos")
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
