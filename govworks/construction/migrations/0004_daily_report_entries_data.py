"""Every existing day's report becomes the day plus its first entry (the author's), and its photos that
entry's photos. Reversible: the first entry's content goes back onto the day."""

from django.db import migrations


def forwards(apps, schema_editor):
    DailyReport = apps.get_model("construction", "DailyReport")
    DailyReportEntry = apps.get_model("construction", "DailyReportEntry")
    SitePhoto = apps.get_model("construction", "SitePhoto")
    for report in DailyReport.objects.select_related("author").iterator():
        entry = DailyReportEntry.objects.create(
            report=report,
            party="contractor" if report.author.external_org_id else "owner",
            weather=report.weather,
            temperature=report.temperature,
            manpower=report.manpower,
            work_done=report.work_done,
            problems=report.problems,
            author_id=report.author_id,
        )
        DailyReportEntry.objects.filter(pk=entry.pk).update(submitted_at=report.submitted_at)
        SitePhoto.objects.filter(report=report).update(entry=entry)


def backwards(apps, schema_editor):
    DailyReport = apps.get_model("construction", "DailyReport")
    DailyReportEntry = apps.get_model("construction", "DailyReportEntry")
    for report in DailyReport.objects.iterator():
        first = DailyReportEntry.objects.filter(report=report).order_by("submitted_at", "id").first()
        if first is not None:
            DailyReport.objects.filter(pk=report.pk).update(
                weather=first.weather,
                temperature=first.temperature,
                manpower=first.manpower,
                work_done=first.work_done,
                problems=first.problems,
                author_id=first.author_id,
                submitted_at=first.submitted_at,
            )


class Migration(migrations.Migration):
    dependencies = [("construction", "0003_daily_report_entries")]

    operations = [migrations.RunPython(forwards, backwards)]
