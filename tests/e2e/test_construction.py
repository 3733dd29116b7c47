"""Construction supervision in a real browser, through the pages only (issue 5's done-when):

李明 builds the schedule of the demo's freshly started 机关二号楼卫生间改造 (one task planned to be done by
yesterday); 马超 of 临江建工 reports 69% and 杨帆 of 浙临监理 confirms it from his workbench — 31 points
behind: the light turns red and payments are frozen. 赵立新 finds the 约谈 on his home page and records it;
李明 submits the 赶工计划; 赵立新 releases the freeze, and the light comes back to yellow (the plan is in
force). Along the way the Gantt, the S-curve, the photo wall with its flagged photos and the portfolio
are opened and photographed; no page asks for anything not served by GovWorks and no console error
(CSP) appears. The database is only read, to assert what the pages did."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.test_foundation import DEMO_PASSWORD, clear_forced_change, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = ("liming", "machao", "yangfan", "zhaolx")


class Desks:
    """One signed-in browser context per person; every confirm() is accepted."""

    def __init__(self, open_page: Any, base: str) -> None:
        self.open_page = open_page
        self.base = base
        self.watches: dict[str, Any] = {}

    def __call__(self, username: str) -> Any:
        if username not in self.watches:
            watch = self.open_page()
            watch.page.on("dialog", lambda dialog: dialog.accept())
            sign_in(watch, self.base, username, DEMO_PASSWORD)
            assert "/accounts/" not in watch.page.url, f"{username} could not sign in"
            self.watches[username] = watch
        return self.watches[username].page

    def shot(self, username: str, name: str) -> None:
        self.watches[username].screenshot(name)

    def assert_clean(self) -> None:
        for watch in self.watches.values():
            watch.assert_clean()


def no_error(page: Any) -> None:
    errors = page.locator(".alert-danger:not([data-testid=freeze-alert]), .invalid-feedback.d-block")
    assert errors.count() == 0, f"{page.url}: {errors.all_inner_texts()}"


def submit(page: Any, target: Any) -> None:
    with page.expect_navigation():
        target.click()
    no_error(page)


def save(page: Any) -> None:
    submit(page, page.locator("[data-testid=form] button[type=submit]"))


def work_item(page: Any, base: str, text: str) -> Any:
    page.goto(base + "/")
    items = page.locator("[data-testid=work-items] a", has_text=text)
    assert items.count() == 1, page.locator("[data-testid=work-items]").inner_text()
    return items


def test_falling_31_points_behind_freezes_payments_until_recovery_and_release(
    demo: Any, open_page: Any, live_server: Any
) -> None:
    from govworks.construction.demo import FRESH, RED
    from govworks.construction.models import Interview, ProjectSite
    from govworks.construction.photos import has_exif
    from govworks.construction.selectors.freezes import active_payment_freeze
    from govworks.projects.models import Project

    clear_forced_change(*PEOPLE)
    base = live_server.url
    desks = Desks(open_page, base)
    today = timezone.localdate()
    project = Project.objects.get(name=FRESH)

    # 李明 opens the project's workspace, goes to 施工监管 and adds the task
    page = desks("liming")
    page.goto(f"{base}/projects/{project.pk}/")
    submit(page, page.locator("[data-testid=open-supervision]"))
    submit(page, page.locator("[data-testid=task-new]"))
    page.fill("#id_code", "T1")
    page.fill("#id_name", "卫生间拆除及防水层施工")
    page.fill("#id_planned_start", (today - dt.timedelta(days=10)).isoformat())
    page.fill("#id_planned_end", (today - dt.timedelta(days=1)).isoformat())
    page.fill("#id_weight", "1")
    save(page)
    page.locator("[data-testid=gantt] .gantt_task_line").first.wait_for()
    assert "卫生间拆除及防水层施工" in page.locator("[data-testid=gantt]").inner_text()
    desks.shot("liming", "construction-schedule-gantt")

    # 马超 (施工单位) reports 69%
    page = desks("machao")
    page.goto(f"{base}/construction/projects/{project.pk}/progress/")
    submit(page, page.locator("[data-testid=progress-new]"))
    page.select_option("#id_task", label="T1 卫生间拆除及防水层施工")
    page.fill("#id_percent", "69")
    save(page)

    # 杨帆 (监理) confirms it from his workbench: 100 planned, 69 actual → red, frozen
    page = desks("yangfan")
    submit(page, work_item(page, base, "进度待确认：T1 卫生间拆除及防水层施工"))
    submit(page, page.locator("[data-testid=pending-reports] [data-testid=confirm]"))
    assert page.locator(".page-title [data-testid=light]").get_attribute("data-light") == "red"
    assert "进度滞后31.00个百分点" in page.locator("[data-testid=light-reason]").inner_text()
    page.locator("[data-testid=s-curve] svg").wait_for()
    desks.shot("yangfan", "construction-progress-s-curve")
    freeze = active_payment_freeze(project.pk)
    assert freeze is not None and freeze.cause == "red_light", "the freeze finance reads"

    # 赵立新 finds the interview on his home page and records it
    page = desks("zhaolx")
    item = work_item(page, base, f"红灯约谈：{project}")
    desks.shot("zhaolx", "construction-leader-workbench")
    submit(page, item)
    assert page.locator("[data-testid=freeze-alert]").is_visible()
    submit(page, page.locator("[data-testid=interview-hold]").first)
    page.fill("#id_interviewees", "临江建工项目经理马超、浙临监理总监杨帆")
    page.fill("#id_minutes", "要求施工单位三日内增加一个防水班组，每日报送进度，监理加强旁站。")
    save(page)
    assert Interview.objects.get(project=project).status == "held"

    # 李明 submits the recovery plan
    page = desks("liming")
    page.goto(f"{base}/construction/projects/{project.pk}/light/")
    submit(page, page.locator("[data-testid=recovery-new]"))
    page.fill("#id_measures", "增加一个防水班组，延长每日作业时间两小时，周末连续施工")
    page.fill("#id_target_on", (today + dt.timedelta(days=10)).isoformat())
    save(page)

    # 赵立新 releases the freeze: no freeze, the light back to yellow
    page = desks("zhaolx")
    submit(page, work_item(page, base, f"赶工计划待审定、解除暂停拨款：{project}"))
    submit(page, page.locator("[data-testid=release]"))
    page.fill("#id_reason", "已约谈责任人，赶工计划可行，同意恢复拨款")
    save(page)
    assert page.locator(".page-title [data-testid=light]").get_attribute("data-light") == "yellow"
    assert page.locator("[data-testid=freeze-alert]").count() == 0
    desks.shot("zhaolx", "construction-light-history")
    assert active_payment_freeze(project.pk) is None
    assert ProjectSite.objects.get(project=project).light == "yellow"

    # the demo's red project: photo wall with flagged photos, notices; the portfolio
    red = Project.objects.get(name=RED)
    page = desks("liming")
    page.goto(f"{base}/construction/projects/{red.pk}/daily/")
    assert page.locator("[data-testid=photo][data-flagged]").count() == 2
    assert "相差30天（超过1天）" in page.locator("[data-testid=daily-report]").nth(1).inner_text()
    stale = page.locator("[data-testid=photo][data-flagged]").first.locator("xpath=..")
    exported = page.request.get(base + stale.locator("[data-testid=photo-export]").get_attribute("href"))
    assert exported.ok and exported.headers["content-type"] == "image/jpeg"
    assert not has_exif(exported.body()), "the exported copy carries no EXIF"
    original = page.request.get(base + page.locator("[data-testid=photo][data-flagged]").first.get_attribute("href"))
    assert has_exif(original.body()), "the original keeps its EXIF as evidence"
    desks.shot("liming", "construction-daily-photo-wall")
    page.goto(f"{base}/construction/projects/{red.pk}/inspections/")
    desks.shot("liming", "construction-inspections")
    page.goto(f"{base}/construction/")
    page.locator("[data-testid=portfolio-map] svg").wait_for()
    assert page.locator("[data-testid=count-red]").inner_text() == "1"
    desks.shot("liming", "construction-portfolio")
    desks.assert_clean()


def test_supervising_engineer_files_the_days_report_with_a_photo_by_clicking(
    demo: Any, open_page: Any, live_server: Any, tmp_path: Any
) -> None:
    """杨帆 of 浙临监理 (the supervision contract's supplier) opens the green project from the portfolio,
    goes to 现场日报, picks a photo and saves with too short a work note: the form is refused and the photo
    stays listed and ticked; he writes the work done and saves — his entry, with the photo, joins the
    contractor's and the liaison's in the same day's report, without picking the photo again."""
    from govworks.construction.demo import GREEN
    from govworks.construction.models import DailyReport, DailyReportEntry, StagedPhoto
    from govworks.construction.photos import demo_photo
    from govworks.projects.models import Project

    clear_forced_change("yangfan")
    base = live_server.url
    desks = Desks(open_page, base)
    today = timezone.localdate()
    project = Project.objects.get(name=GREEN)
    site = (30.245120, 120.171230)
    shot = tmp_path / "IMG_SUPERVISION.jpg"
    shot.write_bytes(demo_photo("supervision", taken_at=dt.datetime.combine(today, dt.time(10, 5)), position=site))

    page = desks("yangfan")
    page.goto(f"{base}/construction/")
    submit(page, page.locator("[data-testid=portfolio-row] a", has_text=GREEN))
    submit(page, page.locator("[data-testid=tabs] a", has_text="现场日报"))
    submit(page, page.locator("[data-testid=daily-new]"))
    photos = page.locator("#id_photos")
    assert photos.get_attribute("accept") == "image/*" and photos.get_attribute("capture") is None
    photos.set_input_files(str(shot))
    page.fill("#id_work_done", "巡查")  # too short: the service refuses it (不少于4个字)
    with page.expect_navigation():
        page.locator("[data-testid=daily-save]").click()
    assert "已选的照片已保留" in page.locator(".alert-danger").first.inner_text()
    assert "不少于4个字" in page.locator("[data-testid=form]").inner_text()
    watch = desks.watches["yangfan"]  # the refused form answers 400 on purpose: Chromium logs that status, nothing else
    assert watch.console_errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    watch.console_errors.clear()
    staged = page.locator("[data-testid=staged-photo]")
    assert staged.count() == 1 and staged.is_checked()
    assert StagedPhoto.objects.filter(uploader__username="yangfan").count() == 1
    page.fill("#id_work_done", "旁站监督七氟丙烷灭火装置安装，抽查支吊架间距符合要求")
    save(page)
    day = page.locator("[data-testid=daily-report]").first
    mine = day.locator("[data-testid=daily-entry][data-party=supervisor]")
    assert mine.count() == 1 and "杨帆" in mine.inner_text()
    assert mine.locator("[data-testid=photo]").count() == 1
    desks.shot("yangfan", "construction-daily-supervisor-entry")
    report = DailyReport.objects.get(project=project, report_date=today)
    assert sorted(report.entries.values_list("party", flat=True)) == ["owner", "supervisor"]
    entry = DailyReportEntry.objects.get(report=report, party="supervisor")
    assert (entry.author.username, entry.photos.count(), entry.photos.get().flagged) == ("yangfan", 1, False)
    assert StagedPhoto.objects.count() == 0
    desks.assert_clean()
