"""The move of each day's report content into its first entry (migrations 0003–0005)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_existing_reports_become_the_day_with_its_first_entry(cw: Any, site_project: Any) -> None:
    """Given a day's report of the old shape with a photo: after the migrations the day has one entry
    with the author's content (party by the author's company) and the photo belongs to that entry."""
    before, after = [("construction", "0002_supervision")], [("construction", "0006_site_parties_from_contracts")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    report = old.get_model("construction", "DailyReport").objects.create(
        project_id=site_project.pk, report_date=dt.date(2026, 11, 2), weather="rain", temperature="8~12℃",
        manpower={"木工": 3}, work_done="屋面防水层施工", problems="雨天停工半日", author_id=cw.contractor.pk,
    )  # fmt: skip
    old.get_model("construction", "SitePhoto").objects.create(
        report_id=report.pk, original="a.jpg", thumbnail="b.jpg", original_name="a.jpg"
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    entry = new.get_model("construction", "DailyReportEntry").objects.get(report_id=report.pk)
    assert (entry.party, entry.weather, entry.manpower, entry.work_done, entry.problems, entry.author_id) == (
        "contractor", "rain", {"木工": 3}, "屋面防水层施工", "雨天停工半日", cw.contractor.pk,
    )  # fmt: skip
    assert new.get_model("construction", "SitePhoto").objects.get(report_id=report.pk).entry_id == entry.pk
    # leave the database at the latest migration of every app, as the tests after this one expect
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
