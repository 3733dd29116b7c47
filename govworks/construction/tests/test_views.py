"""Pages: the role matrix of the main endpoints (refusals change nothing), constant query counts of the
portfolio, the project tabs, the project page panel and the workbench as data grows, and the done-when
flow through the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from govworks.construction.models import PaymentFreeze, ProgressReport, ScheduleTask
from govworks.construction.services import inspections, lights, meetings, schedule, site_reports
from govworks.construction.tests.conftest import SITE, confirm_progress, days, sign_site_contracts
from govworks.construction.tests.test_site_reports import jpeg
from govworks.core.testing.role_matrix import assert_role_matrix

pytestmark = pytest.mark.django_db


def actors(cw: Any) -> dict[str, Any]:
    return {
        "anonymous": None,
        "other_agency": cw.other_pm,
        "no_role": cw.no_role,
        "with_role": cw.pm,
        "leader": cw.leader,
        "external": cw.stranger,
        "contractor": cw.contractor,
        "supervisor": cw.supervisor,
    }


def test_role_matrix_reading_a_tab(client: Client, cw: Any, site_project: Any) -> None:
    url = reverse("construction:project_tab", args=[site_project.pk, "light"])
    assert_role_matrix(
        client, "get", url, actors=actors(cw),
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "with_role": 200, "leader": 200, "external": 404,
                  "contractor": 200, "supervisor": 200},
    )  # fmt: skip


def test_role_matrix_adding_a_task(client: Client, cw: Any, site_project: Any) -> None:
    url = reverse("construction:task_create", args=[site_project.pk])
    data = {"code": "T9", "name": "拆除", "planned_start": days(0).isoformat(), "planned_end": days(5).isoformat(), "weight": "1"}
    assert_role_matrix(
        client, "post", url, data=data, actors=actors(cw), snapshot=lambda: list(ScheduleTask.objects.values_list("code", flat=True)),
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "external": 404, "contractor": 403, "supervisor": 403,
                  "leader": 403, "with_role": 302},
    )  # fmt: skip
    assert list(ScheduleTask.objects.values_list("code", flat=True)) == ["T9"]


def test_role_matrix_confirming_progress(client: Client, cw: Any, site_project: Any, one_task: Any) -> None:
    report = schedule.progress_report(actor=cw.contractor, task=one_task, as_of=days(0), percent=Decimal(100))
    url = reverse("construction:progress_decide", args=[report.pk])
    assert_role_matrix(
        client, "post", url, data={"decision": "confirm", "opinion": "属实"}, actors=actors(cw),
        snapshot=lambda: list(ProgressReport.objects.values_list("status", flat=True)),
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "external": 404, "contractor": 403, "with_role": 403,
                  "leader": 403, "supervisor": 302},
    )  # fmt: skip
    assert ProgressReport.objects.get().status == "confirmed"


def test_role_matrix_releasing_a_freeze(client: Client, cw: Any, site_project: Any, one_task: Any) -> None:
    confirm_progress(cw, one_task, "50")
    lights.recovery_plan_submit(actor=cw.pm, project=site_project, measures="增加两个班组夜间施工", target_on=days(10))
    freeze = PaymentFreeze.objects.get()
    lights.interview_hold(
        actor=cw.leader, interview=freeze.interviews.get(), held_on=days(0), interviewees="施工单位项目经理",
        minutes="要求增加班组，每日报送进度。",
    )  # fmt: skip
    url = reverse("construction:freeze_release", args=[freeze.pk])
    assert_role_matrix(
        client, "post", url, data={"reason": "已约谈，同意恢复拨款"}, actors=actors(cw),
        snapshot=lambda: list(PaymentFreeze.objects.values_list("released_at", flat=True)),
        expected={"anonymous": 302, "other_agency": 404, "no_role": 404, "external": 404, "contractor": 403, "supervisor": 403,
                  "with_role": 403, "leader": 302},
    )  # fmt: skip
    assert PaymentFreeze.objects.get().released_by == cw.leader


def _more_construction_projects(cw: Any, make_project: Any, n: int, start: int) -> None:
    from govworks.projects.services.projects import project_import_at_stage

    for i in range(n):
        p = make_project(name=f"在建项目{start + i}")
        p = project_import_at_stage(actor=cw.pm, project=p, stage="construction", note="前期手续已线下办理：临机事〔2025〕1号")
        sign_site_contracts(cw, p)
        schedule.site_configure(actor=cw.pm, project=p, latitude=SITE[0], longitude=SITE[1])
        t = schedule.task_create(actor=cw.pm, project=p, code="T1", name="施工", planned_start=days(-10), planned_end=days(-1))
        confirm_progress(cw, t, str(50 + i * 10))


def _grow(cw: Any, project: Any, k: int) -> None:
    """More of everything on the project's tabs."""
    prev = list(ScheduleTask.objects.filter(project=project))[-1:]
    for i in range(3):
        t = schedule.task_create(
            actor=cw.pm,
            project=project,
            code=f"G{k}{i}",
            name=f"工作{k}{i}",
            planned_start=days(i),
            planned_end=days(i + 5),
            predecessors=prev,
        )
        prev = [t]
        schedule.progress_confirm(
            actor=cw.supervisor, report=schedule.progress_report(actor=cw.contractor, task=t, as_of=days(0), percent=Decimal(10))
        )
        schedule.progress_report(actor=cw.contractor, task=t, as_of=days(0), percent=Decimal(20))
    day = days(-k - 1)
    site_reports.daily_report_submit(
        actor=cw.liaison, project=project, report_date=day, weather="sunny", work_done="施工内容若干", manpower={"木工": 3},
        photos=[jpeg(f"p{k}a.jpg", dt.datetime.combine(day, dt.time(9))), jpeg(f"p{k}b.jpg", None)],
    )  # fmt: skip
    site_reports.diary_record(actor=cw.supervisor, project=project, diary_date=day, content="旁站监督")
    inspections.notice_issue(actor=cw.pm, project=project, finding=f"现场问题第{k}项", severity="general")
    meetings.meeting_record(
        actor=cw.pm, project=project, kind="regular", held_on=days(0), agenda="进度", attendees="各方", minutes="纪要",
        actions=[{"text": f"事项{k}", "owner": cw.contractor, "due_on": days(3)}, {"text": f"事项{k}b", "owner": cw.pm, "due_on": days(4)}],
    )  # fmt: skip
    from govworks.construction.services.incidents import incident_register

    incident_register(
        actor=cw.pm, project=project, occurred_on=days(0), severity="minor", description="轻微", cause="疏忽", measures="教育"
    )


TABS = ["schedule", "progress", "light", "daily", "inspections", "meetings", "incidents"]


def test_pages_keep_a_constant_query_count(
    client: Client, cw: Any, site_project: Any, make_project: Any, count_queries: Any
) -> None:
    client.force_login(cw.pm)
    _grow(cw, site_project, 1)
    _more_construction_projects(cw, make_project, 2, 0)
    urls = [reverse("construction:portfolio"), reverse("projects:project_detail", args=[site_project.pk]), reverse("home")]
    urls += [reverse("construction:project_tab", args=[site_project.pk, t]) for t in TABS]
    for url in urls:
        assert client.get(url).status_code == 200, url
    small = {url: count_queries(lambda u=url: client.get(u)) for url in urls}
    _grow(cw, site_project, 2)
    _grow(cw, site_project, 3)
    _more_construction_projects(cw, make_project, 4, 10)
    confirm_progress(cw, ScheduleTask.objects.filter(project=site_project).first(), "30")  # red: a freeze and an interview
    large = {url: count_queries(lambda u=url: client.get(u)) for url in urls}
    assert large == small
    # recorded for the report: the numbers asserted constant
    print({url.split("/")[-2] or url: n for url, n in small.items()})


def test_done_when_through_the_pages(client: Client, cw: Any, site_project: Any, one_task: Any) -> None:
    """31 points behind → red, frozen; the interview on the leader's home page; recovery + release lift it."""
    client.force_login(cw.contractor)
    client.post(
        reverse("construction:progress_report", args=[site_project.pk]),
        {"task": one_task.pk, "as_of": days(0).isoformat(), "percent": "69"},
    )
    client.force_login(cw.supervisor)
    client.post(
        reverse("construction:progress_decide", args=[ProgressReport.objects.get().pk]),
        {"decision": "confirm", "opinion": "属实"},
    )
    client.force_login(cw.leader)
    home = client.get(reverse("home")).content.decode()
    assert f"红灯约谈：{site_project}" in home
    client.force_login(cw.pm)
    page = client.get(reverse("construction:project_tab", args=[site_project.pk, "light"])).content.decode()
    assert 'data-light="red"' in page and "暂停拨款中" in page
    r = client.post(
        reverse("construction:recovery_submit", args=[site_project.pk]),
        {"measures": "增加两个班组并夜间施工", "target_on": days(10).isoformat()},
    )
    assert r.status_code == 302
    client.force_login(cw.leader)
    r = client.post(
        reverse("construction:interview_hold", args=[PaymentFreeze.objects.get().interviews.get().pk]),
        {"held_on": days(0).isoformat(), "interviewees": "施工单位项目经理", "minutes": "要求增加两个班组并夜间施工。"},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("construction:freeze_release", args=[PaymentFreeze.objects.get().pk]), {"reason": "已约谈，赶工计划可行"}
    )
    assert r.status_code == 302
    page = client.get(reverse("construction:project_tab", args=[site_project.pk, "light"])).content.decode()
    assert 'data-light="yellow"' in page and "暂停拨款中" not in page


def test_refused_form_answers_400_and_changes_nothing(client: Client, cw: Any, site_project: Any) -> None:
    client.force_login(cw.pm)
    url = reverse("construction:task_create", args=[site_project.pk])
    r = client.post(
        url,
        {"code": "T1", "name": "拆除", "planned_start": days(5).isoformat(), "planned_end": days(1).isoformat(), "weight": "1"},
    )
    assert r.status_code == 400 and "早于计划开始日期" in r.content.decode()
    assert not ScheduleTask.objects.exists()


def test_portfolio_filters_by_light(client: Client, cw: Any, site_project: Any, make_project: Any) -> None:
    _more_construction_projects(cw, make_project, 3, 0)  # 50%, 60%, 70% of a plan due by yesterday: 30+ points behind, red
    client.force_login(cw.leader)
    page = client.get(reverse("construction:portfolio")).content.decode()
    assert page.count('data-testid="portfolio-row"') == 4
    assert '<strong class="ms-auto" data-testid="count-red">3</strong>' in page
    assert '<strong class="ms-auto" data-testid="count-green">1</strong>' in page
    red = client.get(reverse("construction:portfolio") + "?light=red").content.decode()
    assert red.count('data-testid="portfolio-row"') == 3 and site_project.name not in red
    assert "共 3 条" in red
    assert (
        client.get(reverse("construction:portfolio") + "?q=在建项目2").content.decode().count('data-testid="portfolio-row"') == 1
    )
    client.force_login(cw.contractor)  # assigned to the four sites
    assert client.get(reverse("construction:portfolio")).content.decode().count('data-testid="portfolio-row"') == 4
    client.force_login(cw.stranger)  # assigned to none
    assert client.get(reverse("construction:portfolio")).content.decode().count('data-testid="portfolio-row"') == 0
    client.force_login(cw.sysadmin)
    assert client.get(reverse("construction:portfolio")).status_code == 403


def test_planned_progress_for_any_date(client: Client, cw: Any, site_project: Any, one_task: Any) -> None:
    """A 10-day task from 10 days ago: half-way (5 of 10 days) is 50.00%."""
    client.force_login(cw.pm)
    url = reverse("construction:project_tab", args=[site_project.pk, "progress"])
    page = client.get(url + f"?on={days(-6).isoformat()}").content.decode()
    assert '<strong class="text-nowrap" data-testid="planned-on-value">50.00%</strong>' in page
    assert client.get(url + "?on=not-a-date").status_code == 200


def test_role_matrix_filing_a_daily_report_with_a_photo(client: Client, cw: Any, site_project: Any) -> None:
    from govworks.construction.models import DailyReport, StagedPhoto

    url = reverse("construction:daily_create", args=[site_project.pk])

    def data() -> dict[str, Any]:
        photo = jpeg("site.jpg", dt.datetime.combine(days(0), dt.time(9)))
        return {
            "report_date": days(0).isoformat(),
            "weather": "sunny",
            "manpower": "木工 4\n普工 6",
            "work_done": "二层管网拆改",
            "photos": [photo],
        }

    expected = {"anonymous": 302, "other_agency": 404, "no_role": 404, "external": 404, "leader": 403}
    for name, status in expected.items():
        assert_role_matrix(
            client, "post", url, data=data(), actors=actors(cw), expected={name: status},
            snapshot=lambda: (DailyReport.objects.count(), StagedPhoto.objects.count()),
        )  # fmt: skip
    assert_role_matrix(client, "post", url, data=data(), actors=actors(cw), expected={"contractor": 302})
    assert_role_matrix(client, "post", url, data=data(), actors=actors(cw), expected={"supervisor": 302})
    report = DailyReport.objects.get()
    contractor, supervisor = report.entries.order_by("id")
    assert (contractor.author, contractor.party, contractor.manpower, contractor.photos.count()) == (
        cw.contractor, "contractor", {"木工": 4, "普工": 6}, 1,
    )  # fmt: skip
    assert (supervisor.author, supervisor.party, supervisor.photos.count()) == (cw.supervisor, "supervisor", 1)
    assert StagedPhoto.objects.count() == 0
