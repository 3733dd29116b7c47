"""The day's report keeps only the project and the date; its content lives in the entries."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("construction", "0004_daily_report_entries_data")]

    operations = [
        migrations.RemoveField(
            model_name='dailyreport',
            name='author',
        ),
        migrations.RemoveField(
            model_name='dailyreport',
            name='manpower',
        ),
        migrations.RemoveField(
            model_name='dailyreport',
            name='problems',
        ),
        migrations.RemoveField(
            model_name='dailyreport',
            name='submitted_at',
        ),
        migrations.RemoveField(
            model_name='dailyreport',
            name='temperature',
        ),
        migrations.RemoveField(
            model_name='dailyreport',
            name='weather',
        ),
        migrations.RemoveField(
            model_name='dailyreport',
            name='work_done',
        ),
    ]
