"""The risk centre's project text filter after the province-scale benchmark's rewrite (projects matched first,
ordered NULLS LAST): it still finds alerts by the project's code or name and by the object's label, case
insensitive, newest first, and never an alert the reader may not see."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from govworks.integrity.models import RiskAlert
from govworks.integrity.selectors.alerts import alert_filters_from, alerts_for
from govworks.integrity.tests.alert_fixtures import report


def _project(world: Any, code: str, name: str) -> Any:
    from govworks.org.models import Department
    from govworks.projects.models import Project

    today = dt.date.today()
    return Project.objects.create(
        agency=world.city,
        code=code,
        name=name,
        project_type="repair",
        location="临江市",
        estimate_amount=Decimal("380000"),
        funding_source="fiscal",
        planned_start=today,
        planned_end=today + dt.timedelta(days=90),
        stage_entered_on=today,
        department=Department.objects.filter(agency=world.city).first(),
        manager=world.pm,
        created_by=world.pm,
    )


def test_the_text_filter_matches_code_name_and_object_newest_first(world: Any) -> None:
    canteen = _project(world, "GW-2026-Q0101", "机关食堂修缮")
    roof = _project(world, "GW-2026-Q0202", "屋面防水")
    older = report(world.city, 1, project_id=canteen.pk, object_label="付款申请 FK-7")
    newer = report(world.city, 2, project_id=canteen.pk, object_label="整改通知单 ZG-9")
    by_label = report(world.city, 3, object_label="付款申请 fk-88（外单位）")
    report(world.city, 4, project_id=roof.pk, object_label="屋面现场日报")
    now = timezone.now()
    RiskAlert.objects.filter(pk=older.pk).update(detected_at=now - dt.timedelta(days=3))
    RiskAlert.objects.filter(pk=newer.pk).update(detected_at=now - dt.timedelta(days=1))
    RiskAlert.objects.filter(pk=by_label.pk).update(detected_at=now - dt.timedelta(days=2))

    def found(text: str, **more: str) -> list[int]:
        return [a.pk for a in alerts_for(world.discipline, alert_filters_from({"project": text, **more}))]

    assert found("q0101") == [newer.pk, older.pk]  # the project's code, any case, newest first
    assert found("食堂") == [newer.pk, older.pk]  # the project's name
    assert found("fk-") == [by_label.pk, older.pk]  # the object's label, any case, newest first
    assert found("ZG-9") == [newer.pk]
    assert found("食堂", severity="high") == []  # combined with the other filters
    assert found("不存在的项目") == []


def test_the_text_filter_leaves_out_what_the_reader_may_not_see(world: Any) -> None:
    canteen = _project(world, "GW-2026-Q0303", "机关食堂修缮")
    report(world.city, 1, project_id=canteen.pk, involved_user_ids=(world.discipline.pk,))
    seen = report(world.city, 2, project_id=canteen.pk)
    assert [a.pk for a in alerts_for(world.discipline, alert_filters_from({"project": "食堂"}))] == [seen.pk]
    assert list(alerts_for(world.sysadmin, alert_filters_from({"project": "食堂"}))) == []
