"""The project lifecycle in a real browser, through the pages only (the issue's done-when):

后勤服务中心's 工程管理岗 蔡芸 drafts next year's plan, the 主任办公会议 decides it (罗志伟 concludes last,
from his workbench), she files it with 临江市机关事务管理局, whose 分管领导 赵立新 then sees it (and did
not before). A project is built from the first plan item (1,200,000 元, so every gate applies) and walked
out of 计划 into 立项: documents, 联审 (许海兵 and 唐磊 answer from their workbenches), the 政府常务会议
record, a second meeting's 三重一大 decision, and the 立项审批 chain 科室负责人 → 分管领导 → 主要领导,
each approver finding it on their own workbench. The approved project leaves 立项 for 可研, where three
experts are drawn, scored and concluded (专家论证 通过); with the 可研审批 it leaves 可研 for 初设概算.
The workspace's stage bar and timeline show every step, with who did it.

The demo's 后勤服务中心 has nobody in the 分管领导 role, so no 立项审批 of its can finish; the test has the
安全管理员 appoint one through 角色授权 (a page, like everything else). The database is only read, to
assert what the pages did."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.test_foundation import DEMO_PASSWORD, clear_forced_change, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = ("caiyun", "luozhw", "xuhb", "tanglei", "zhaolx", "secadmin")
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%GovWorks e2e\n%%EOF\n"
)
BIG_ITEM = "综合楼中央空调系统节能改造"
SMALL_ITEM = "职工食堂油烟净化设施更新"


def _pdf(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


class Desks:
    """One signed-in browser context per person, opened on first use; every confirm() is accepted."""

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
    errors = page.locator(".alert-danger, .invalid-feedback.d-block, [data-testid=error]")
    assert errors.count() == 0, f"{page.url}: {errors.all_inner_texts()}"


def submit(page: Any, target: Any) -> None:
    """Click something that navigates (a link, a submit button, a form behind a confirm()) and wait."""
    with page.expect_navigation():
        target.click()
    no_error(page)


def save(page: Any) -> None:
    """The 保存 button of the shared form page (core/form.html)."""
    submit(page, page.locator("[data-testid=form] button[type=submit]"))


def success(page: Any, text: str) -> None:
    alert = page.locator(".alert-success")
    assert text in " ".join(alert.all_inner_texts()), f"{page.url}: expected “{text}”, got {alert.all_inner_texts()}"


def plan_status(page: Any) -> str:
    """The status badge next to the plan's title (the revision list repeats it)."""
    return page.locator(".page-title [data-testid=plan-status]").inner_text()


def work_item(desks: Desks, username: str, text: str) -> Any:
    """Open the person's workbench (我的工作台) and return the one pending item containing ``text``."""
    page = desks(username)
    page.goto(desks.base + "/")
    items = page.locator("[data-testid=work-items] a", has_text=text)
    assert items.count() == 1, f"{username}'s workbench: {page.locator('[data-testid=work-items]').inner_text()}"
    return items


def open_from_workbench(desks: Desks, username: str, text: str) -> Any:
    page = desks(username)
    submit(page, work_item(desks, username, text))
    return page


def not_on_workbench(desks: Desks, username: str, text: str) -> None:
    page = desks(username)
    page.goto(desks.base + "/")
    assert text not in page.locator("[data-testid=work-items]").inner_text(), f"{username} still has “{text}”"


# ------------------------------------------------------------------------------------------ meetings


def schedule_meeting(desks: Desks, title: str) -> Any:
    """蔡芸 (recorder) schedules a 主任办公会议 chaired by 罗志伟 with 许海兵 and 唐磊, and records attendance."""
    page = desks("caiyun")
    page.goto(desks.base + "/projects/meetings/new/")
    page.select_option("#id_kind", label="主任办公会议")
    page.fill("#id_title", title)
    page.fill("#id_held_on", timezone.localdate().isoformat())
    page.select_option("#id_chair", label="罗志伟（主任）")
    page.get_by_label("许海兵（工程维修科科长）").check()
    page.get_by_label("唐磊（会计）").check()
    save(page)
    success(page, title)
    submit(page, page.locator("a.btn[title=登记出席]"))
    for box in page.locator("input[name=present]").all():
        box.check()
    save(page)
    success(page, "出席情况已登记")
    assert "达到法定人数" in page.locator("[data-testid=quorum]").inner_text()
    return page


def put_on_agenda(page: Any, *, subject: str, title: str, category: str) -> Any:
    submit(page, page.locator("a.btn[title=增加议题]"))
    option = page.locator("#id_subject option", has_text=subject)
    assert option.count() == 1, page.locator("#id_subject").inner_text()
    page.select_option("#id_subject", value=option.get_attribute("value"))
    page.select_option("#id_category", label=category)
    page.fill("#id_title", title)
    save(page)
    success(page, title)
    return page.locator("[data-testid=agenda-item]", has_text=title)


def record_opinions(page: Any, item: Any, members: list[str]) -> None:
    """The recorder enters each non-chair member's 同意; the chair speaks last."""
    for name in members:
        form = item.locator("[data-testid=opinion-form]")
        form.locator("select[name=member]").select_option(label=name)
        form.locator("input[name=choice][value=agree]").check()
        form.locator("textarea[name=comment]").fill(f"{name}：同意，按程序推进。")
        submit(page, form.locator("button[type=submit]"))
        success(page, f"已记录 {name} 的表态：同意")
    assert "出席成员均已表态" in item.locator("[data-testid=tally]").inner_text()


def chair_concludes(desks: Desks, agenda_title: str, conclusion: str) -> Any:
    """罗志伟 finds the item on his workbench and concludes it 通过, last."""
    page = open_from_workbench(desks, "luozhw", f"主持人结论：{agenda_title}")
    item = page.locator("[data-testid=agenda-item]", has_text=agenda_title)
    form = item.locator("[data-testid=conclude-form]")
    form.locator("input[name=verdict][value=pass]").check()
    form.locator("textarea[name=conclusion]").fill(conclusion)
    submit(page, form.locator("button[type=submit]"))
    success(page, "已作出结论：通过")
    item = page.locator("[data-testid=agenda-item]", has_text=agenda_title)
    assert item.locator("[data-testid=item-status]").inner_text().strip() == "通过"
    assert conclusion in item.locator("[data-testid=chair-conclusion]").inner_text()
    not_on_workbench(desks, "luozhw", f"主持人结论：{agenda_title}")
    return item


CHAIN = (("xuhb", "科室负责人", "转下一环节"), ("zhaolx", "分管领导", "转下一环节"), ("luozhw", "主要领导", "审批通过"))


def approve_in_turn(desks: Desks, title: str, opinion: str) -> str:
    """科室负责人 → 分管领导 → 主要领导 (the chain above 500,000 元): each finds the request on their own
    workbench, agrees, and no longer has it there. Returns the request's page."""
    url = ""
    for username, role, outcome in CHAIN:
        page = open_from_workbench(desks, username, f"审批：{title}")
        assert f"审批：{role}" in page.locator("#decide").inner_text()
        form = page.locator("[data-testid=decide-form]")
        form.locator("input[name=decision][value=approve]").check()
        form.locator("textarea[name=opinion]").fill(f"{opinion}（{role}）")
        submit(page, form.locator("button[type=submit]"))
        success(page, outcome)
        url = page.url
        not_on_workbench(desks, username, f"审批：{title}")
    return url


def advance(page: Any, note: str, to: str) -> None:
    """The workspace's 办结 button, once every gate condition is met."""
    gate = page.locator("[data-testid=gate]")
    assert gate.locator(".ti-circle-dashed").count() == 0, gate.inner_text()
    submit(page, page.locator("[data-testid=advance]"))
    page.fill("#id_note", note)
    save(page)
    success(page, "已办结本阶段")
    assert page.locator("[data-testid=stage-bar] .step-item.active").inner_text().strip() == to


def upload(page: Any, code: str, doc: str) -> None:
    submit(page, page.locator("#documents").get_by_role("link", name="上传"))
    page.select_option("#id_doc_type", label=doc)
    page.set_input_files("#id_file", _pdf(f"{code}-{doc}.pdf"))
    page.fill("#id_note", "正式版")
    save(page)
    success(page, f"已上传《{doc}》第1版")


# ------------------------------------------------------------------------------------------ segments


def plan_is_drafted_decided_and_filed(desks: Desks, year: int) -> str:
    page = desks("caiyun")
    title = f"后勤服务中心{year}年度工程建设计划"
    page.goto(desks.base + "/projects/plans/")
    submit(page, page.get_by_role("link", name="编制年度计划"))
    page.fill("#id_year", str(year))
    page.fill("#id_title", title)
    save(page)
    success(page, title)
    for name, kind, amount, months, outcome in (
        (BIG_ITEM, "节能改造", "1200000", 8, "年节电约15%，消除冷机老化隐患"),
        (SMALL_ITEM, "修缮", "260000", 2, "油烟排放达标"),
    ):
        submit(page, page.locator("[data-testid=plan-item-add]"))
        page.fill("#id_name", name)
        page.select_option("#id_project_type", label=kind)
        page.fill("#id_location", "临江市市民中心后勤服务中心综合楼")
        page.fill("#id_estimated_amount", amount)
        page.select_option("#id_funding_source", label="财政拨款")
        page.fill("#id_planned_start", dt.date(year, 3, 1).isoformat())
        page.fill("#id_planned_end", dt.date(year, 3 + months, 1).isoformat())
        page.select_option("#id_department", label="工程维修科")
        page.select_option("#id_responsible", label="蔡芸（caiyun）")
        page.fill("#id_expected_outcome", outcome)
        save(page)
        success(page, f"已增列项目“{name}”")
    assert "1,460,000.00" in page.locator("[data-testid=plan-total]").inner_text()
    desks.shot("caiyun", "20-plan-draft")
    submit(page, page.locator("[data-testid=plan-submit]"))
    success(page, "计划已提交会议审议")
    assert plan_status(page) == "已提交会议审议"
    plan_url = page.url

    # the 主任办公会议 decides it
    agenda_title = f"审议{year}年度工程建设计划"
    meeting = schedule_meeting(desks, f"{year - 1}年第8次主任办公会议")
    item = put_on_agenda(meeting, subject=title, title=agenda_title, category="重大项目安排")
    record_opinions(meeting, item, ["许海兵", "唐磊"])
    item = chair_concludes(desks, agenda_title, "经集体讨论，同意下年度工程建设计划，报市机关事务局备案。")
    desks.shot("luozhw", "21-plan-meeting-decided")

    # 已集体决策通过, then filed with the superior agency
    page.goto(plan_url)
    assert plan_status(page) == "已集体决策通过"
    assert "通过" in page.locator("[data-testid=plan-decision]").inner_text()
    superior_list = desks("zhaolx")
    superior_list.goto(desks.base + "/projects/plans/")
    assert title not in superior_list.locator("[data-testid=plan-table]").inner_text(), "the superior saw an unfiled plan"
    submit(page, page.locator("[data-testid=plan-file]"))
    success(page, "计划已报临江市机关事务管理局备案")
    assert plan_status(page) == "已报上级备案"
    assert "已于" in page.locator("[data-testid=plan-filing]").inner_text()
    desks.shot("caiyun", "22-plan-filed")

    # the superior's 分管领导 sees it among the filed plans
    superior_list.goto(desks.base + "/projects/plans/")
    row = superior_list.locator("[data-testid=plan-table] tbody tr", has_text=title)
    assert row.count() == 1
    assert "后勤服务中心" in row.inner_text() and "已报上级备案" in row.inner_text() and "146.00" in row.inner_text()
    submit(superior_list, row.get_by_role("link", name=title))
    assert superior_list.locator("[data-testid=plan-return-form]").is_visible()  # and may return it
    desks.shot("zhaolx", "23-superior-sees-filed-plan")
    return plan_url


def project_is_built_and_initiated(desks: Desks, plan_url: str) -> tuple[str, str]:
    from govworks.projects.models import Project

    page = desks("caiyun")
    page.goto(plan_url)
    row = page.locator("[data-testid=plan-items] tbody tr", has_text=BIG_ITEM)
    submit(page, row.locator("[data-testid=item-build]"))
    assert page.locator("#id_manager option:checked").inner_text() == "蔡芸（caiyun）"
    save(page)
    success(page, "已依据年度计划建立项目")
    code, url = page.locator(".page-pretitle").inner_text().split("·")[-1].strip(), page.url
    project = Project.objects.get(plan_item__name=BIG_ITEM)
    assert project.code == code and project.stage == "planned" and f"/projects/{project.pk}/" in url
    page.goto(plan_url)
    assert code in page.locator("[data-testid=plan-items]").inner_text()  # the plan item now links to it

    page.goto(url)
    advance(page, "已列入年度计划，开始立项", to="立项")
    assert "（立项）" in work_item(desks, "caiyun", f"推进{code}").inner_text()  # 蔡芸 is the stage's 责任人
    page.goto(url)

    advance_button = page.locator("[data-testid=advance]")
    assert advance_button.get_attribute("aria-disabled") == "true"  # 立项 has conditions to meet first
    for doc in ("项目建议书", "立项批复"):
        upload(page, code, doc)

    # 联审: two departments answer in parallel from their own workbenches
    subject = "综合楼空调节能改造立项联审"
    submit(page, page.get_by_role("link", name="发起联审"))
    page.fill("#id_subject", subject)
    page.fill("#id_unit_1", "工程维修科")
    page.select_option("#id_reviewer_1", label="许海兵（后勤服务中心）")
    page.fill("#id_unit_2", "财务科")
    page.select_option("#id_reviewer_2", label="唐磊（后勤服务中心）")
    submit(page, page.locator("[data-testid=form] button[type=submit]"))
    success(page, "联审已发起")
    review_url = page.url
    for username, unit, opinion, comment in (
        ("xuhb", "工程维修科", "agree", "技术方案可行"),
        ("tanglei", "财务科", "conditional", "资金须在下年度部门预算中落实"),
    ):
        reviewer = open_from_workbench(desks, username, f"联审意见：{subject}（{unit}）")
        form = reviewer.locator("[data-testid=opinion-form]")
        form.locator(f"input[name=opinion][value={opinion}]").check()
        form.locator("textarea[name=comment]").fill(comment)
        submit(reviewer, form.locator("button[type=submit]"))
        success(reviewer, f"{unit}的联审意见已提交")
        not_on_workbench(desks, username, f"联审意见：{subject}")
    page.goto(review_url)
    assert page.locator("[data-testid=progress]").inner_text().strip() == "2 / 2"
    submit(page, page.locator("[data-testid=conclude] button[type=submit]"))
    success(page, "联审综合结论：有条件通过")
    assert "资金须在下年度部门预算中落实" in page.locator("[data-testid=consolidated]").inner_text()
    desks.shot("caiyun", "24-joint-review")

    # 1,200,000 元 ≥ 500,000: the 政府常务会议 review is recorded with its minutes
    page.goto(url)
    submit(page, page.get_by_role("link", name="登记上级审议"))
    page.select_option("#id_body", label="政府常务会议")
    page.fill("#id_meeting_date", (timezone.localdate() - dt.timedelta(days=3)).isoformat())
    page.fill("#id_document_number", f"临政常〔{timezone.localdate().year}〕31号")
    page.select_option("#id_conclusion", label="同意")
    page.set_input_files("#id_file", _pdf("市政府常务会议纪要.pdf"))
    save(page)
    success(page, "已登记上级审议结果")

    # ≥ 300,000: 三重一大 — a second meeting decides the project
    agenda_title = f"{BIG_ITEM}立项"
    meeting = schedule_meeting(desks, f"{timezone.localdate().year}年第9次主任办公会议")
    item = put_on_agenda(meeting, subject=code, title=agenda_title, category="大额度资金使用")
    assert "1200000.00 元" in item.inner_text().replace(",", "")  # 大额度资金: the amount defaults to the project's
    record_opinions(meeting, item, ["许海兵", "唐磊"])
    chair_concludes(desks, agenda_title, "同意立项，严格控制投资规模。")
    desks.shot("luozhw", "25-project-meeting-decided")
    return code, url


def initiation_is_approved(desks: Desks, code: str, url: str) -> None:
    from govworks.projects.models import ApprovalRequest

    page = desks("caiyun")
    page.goto(url)
    submit(page, page.locator("#gate").get_by_role("button", name="提交立项审批"))
    success(page, "已提交立项审批（立项审批（50万元以上））")
    title = f"{code} {BIG_ITEM} 立项审批"
    not_on_workbench(desks, "caiyun", f"审批：{title}")  # nobody approves what they submitted

    # the 安全管理员 also appoints the bureau's 分管基建 副局长 as 分管领导 of 后勤服务中心 (grants are pages too)
    admin = desks("secadmin")
    admin.goto(desks.base + "/org/grants/")
    admin.get_by_role("button", name="新增授权").click()
    submit(admin, admin.get_by_role("link", name="临江市市级机关后勤服务中心"))
    admin.select_option("#id_user", label="赵立新（zhaolx）")
    admin.select_option("#id_role", label="分管领导")
    admin.fill("#id_note", f"临机事〔{timezone.localdate().year}〕12号：分管后勤服务中心基建工作")
    save(admin)
    success(admin, "已授予 赵立新“分管领导”")

    approval_url = approve_in_turn(desks, title, "同意立项")
    approver = desks("luozhw")
    approver.goto(approval_url)
    assert approver.locator("[data-testid=approval-status]").inner_text() == "已批准"
    assert approver.locator("[data-testid=approval-timeline] .ti-check").count() == 3
    desks.shot("luozhw", "26-approval-approved")
    request = ApprovalRequest.objects.get(title=title)
    assert request.status == "approved"
    assert list(request.steps.order_by("index").values_list("decided_by__username", flat=True)) == ["xuhb", "zhaolx", "luozhw"]

    # every gate condition of 立项 is now met, and the project leaves 立项 for 可研
    page.goto(url)
    assert page.locator("#gate .badge", has_text="条件已齐备").is_visible()
    desks.shot("caiyun", "27-workspace-initiation-ready")
    advance(page, "立项批复已下达", to="可研")


def feasibility_passes_the_expert_review(desks: Desks, code: str, url: str) -> None:
    page = desks("caiyun")
    page.goto(url)
    bar = page.locator("[data-testid=stage-bar]")
    assert bar.locator(".step-item.active").inner_text().strip() == "可研"
    assert bar.locator(".text-success", has_text="立项").count() == 1
    expert_condition = page.locator("[data-testid=gate] .list-group-item", has_text="专家论证通过或修改后通过")
    assert "尚未组织" in expert_condition.inner_text() and expert_condition.locator(".ti-circle-dashed").count() == 1
    submit(page, page.get_by_role("link", name="抽取专家论证"))
    page.fill("#id_subject", "可行性研究报告论证")
    page.select_option("#id_speciality", label="暖通")
    page.fill("#id_panel_size", "3")
    save(page)
    success(page, "已随机抽取 3 名专家")
    assert page.locator("[data-testid=replay-ok]").is_visible()
    for score in (88, 85, 90):
        form = page.locator("[data-testid=opinion-form]").first
        form.locator("input[name=score]").fill(str(score))
        form.locator("textarea[name=opinion]").fill("方案可行，冷水机组选型合理，建议补充分期实施方案。")
        submit(page, form.locator("button[type=submit]"))
        success(page, "已录入专家")
    assert page.locator("[data-testid=opinion-form]").count() == 0
    assert "87.7" in page.locator("[data-testid=average]").inner_text()
    form = page.locator("[data-testid=conclude-form]")
    form.locator("input[name=conclusion][value=pass]").check()
    form.locator("textarea[name=note]").fill("三名专家一致认为方案可行，同意通过。")
    submit(page, form.locator("button[type=submit]"))
    success(page, "专家论证结论：通过")
    assert page.locator("[data-testid=conclusion-badge]").inner_text().strip() == "通过"
    desks.shot("caiyun", "28-expert-review")

    # with the experts' 通过, the 可研 documents and the 可研审批 (above 1,000,000 元: three steps), 可研 is done
    page.goto(url)
    assert "通过" in page.locator("[data-testid=gate] .list-group-item", has_text="专家论证通过或修改后通过").inner_text()
    for doc in ("可行性研究报告", "可研批复"):
        upload(page, code, doc)
    page.goto(url)
    submit(page, page.locator("#gate").get_by_role("button", name="提交可研审批"))
    success(page, "已提交可研审批（可研审批（100万元以上））")
    approve_in_turn(desks, f"{code} {BIG_ITEM} 可研审批", "同意可研")
    page.goto(url)
    advance(page, "可研批复已下达", to="初设概算")


def workspace_shows_the_whole_story(desks: Desks, code: str, url: str) -> None:
    page = desks("caiyun")
    page.goto(url)
    assert page.locator("[data-testid=current-responsible]").inner_text().startswith("蔡芸")
    bar = page.locator("[data-testid=stage-bar]")
    assert bar.locator(".step-item.active").inner_text().strip() == "初设概算"
    assert [t.strip() for t in bar.locator(".text-success").all_inner_texts()] == ["立项", "可研"]
    reviews = page.locator("#reviews").inner_text()
    assert "专家论证" in reviews and "通过" in reviews and "有条件通过" in reviews
    approvals = page.locator("#approvals").inner_text()
    assert "立项审批" in approvals and "可研审批" in approvals and "审批中" not in approvals
    assert "政府常务会议" in page.locator("#decisions").inner_text()
    timeline = page.locator("[data-testid=timeline]")
    while timeline.get_by_role("button", name="更早的记录").count():
        before = timeline.locator(".list-group-item").count()
        timeline.get_by_role("button", name="更早的记录").click()
        page.wait_for_function("n => document.querySelectorAll('[data-testid=timeline] .list-group-item').length > n", arg=before)
    text = timeline.inner_text()
    for step in (
        f"依据后勤服务中心{timezone.localdate().year + 1}年度工程建设计划建立项目 {code}",
        f"{code} 由“计划”进入“立项”",
        "上传《项目建议书》第1版",
        "上传《立项批复》第1版",
        "发起联审“综合楼空调节能改造立项联审”",
        "联审意见：工程维修科 同意",
        "联审意见：财务科 有条件同意",
        "综合结论：有条件通过",
        "登记政府常务会议审议",
        f"议题1：{BIG_ITEM}立项",
        "许海兵 同意",
        f"集体决策“{BIG_ITEM}立项”：通过",
        "提交立项审批",
        "科室负责人同意",
        "分管领导同意",
        "主要领导同意",
        "（审批通过）",
        f"{code} 由“立项”进入“可研”",
        "随机抽取暖通专家 3 名",
        "论证意见（88 分）",
        "专家论证“可行性研究报告论证”结论：通过",
        "上传《可研批复》第1版",
        "提交可研审批",
        f"{code} 由“可研”进入“初设概算”",
    ):
        assert step in text, f"timeline lacks “{step}”:\n{text}"
    for actor in ("蔡芸", "许海兵", "唐磊", "罗志伟", "赵立新"):
        assert actor in text
    desks.shot("caiyun", "29-workspace-timeline")


@pytest.mark.usefixtures("demo")
def test_plan_to_approved_project_through_the_pages(open_page: Any, live_server: Any) -> None:
    clear_forced_change(*PEOPLE)
    desks = Desks(open_page, live_server.url)
    year = timezone.localdate().year + 1

    plan_url = plan_is_drafted_decided_and_filed(desks, year)
    code, url = project_is_built_and_initiated(desks, plan_url)
    initiation_is_approved(desks, code, url)
    feasibility_passes_the_expert_review(desks, code, url)
    workspace_shows_the_whole_story(desks, code, url)

    from govworks.projects.models import AnnualPlan, Project

    plan = AnnualPlan.objects.get(title=f"后勤服务中心{year}年度工程建设计划")
    assert plan.status == "filed" and plan.drafted_by.username == "caiyun"
    project = Project.objects.get(code=code, agency=plan.agency)
    assert project.stage == "prelim_design" and project.plan_item is not None and project.plan_item.plan_id == plan.pk
    stages = [t.to_stage for t in project.transitions.order_by("id")]
    assert stages == ["planned", "initiation", "feasibility", "prelim_design"]
    desks.assert_clean()
