"""Demo data of construction supervision (manage.py seed_demo, after procurement): four projects of
临江市机关事务管理局 under construction, built by 临江建工 (马超) and supervised by 浙临监理 (杨帆) — the
suppliers of each project's signed main construction contract and supervision contract, signed here
through the procurement services where the procurement demo has not:

* 档案库房消防系统改造 — green: on plan;
* 机关一号楼外墙及屋面修缮 — yellow: about 15 points behind, and its daily reports stopped three days ago;
* 市民中心空调主机及冷却塔更换 — red: far behind, payments frozen, an open interview for 赵立新 that is
  overdue, rectification notices open, overdue (escalated) and closed after a failed verification;
* 机关二号楼卫生间改造 — just started, site set up, no schedule yet (the browser test builds one).

History is made the way it happens: progress is reported and confirmed week by week and the light
evaluated as of each week (the daily job's runs), all through the services. Daily reports carry
generated photos with EXIF time and GPS — one taken a month before its report, one 3 km away — so the
flags show. The one thing set directly is the issue date of two notices (to have one overdue)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govworks.construction.models import ProjectSite, RectificationNotice, ScheduleTask
from govworks.construction.photos import demo_photo
from govworks.construction.reference import checklist
from govworks.core.registry import register_demo_seeder
from govworks.org.models import Agency, Department, User
from govworks.procurement.models import Supplier
from govworks.projects.models import Project, Stage

CONTRACTOR = "临江建工集团有限公司"
SUPERVISOR = "浙临工程监理咨询有限公司"
GREEN = "档案库房消防系统改造"
YELLOW = "机关一号楼外墙及屋面修缮"
RED = "市民中心空调主机及冷却塔更换"
FRESH = "机关二号楼卫生间改造"

# task code, name, start offset, end offset (days from today), weight, milestone
SCHEDULES: dict[str, list[tuple[str, str, int, int, int, bool]]] = {
    GREEN: [
        ("T1", "施工准备及临时设施", -45, -38, 5, False),
        ("T2", "原有管网拆除及改线", -37, -12, 30, False),
        ("T3", "七氟丙烷灭火装置安装", -15, 15, 35, False),
        ("T4", "火灾报警系统安装调试", 10, 30, 20, False),
        ("M1", "消防检测及专项验收", 35, 35, 10, True),
    ],
    YELLOW: [
        ("T1", "脚手架搭设", -50, -40, 10, False),
        ("T2", "外墙空鼓饰面砖铲除", -40, -15, 25, False),
        ("M1", "屋面防水层完成", -6, -6, 5, True),
        ("T3", "屋面防水层翻新", -30, -6, 20, False),
        ("T4", "外墙保温及涂料", -14, 25, 30, False),
        ("T5", "脚手架拆除及清理", 26, 35, 10, False),
    ],
    RED: [
        ("T1", "旧主机及冷却塔拆除", -56, -42, 15, False),
        ("T2", "设备基础及管道改造", -42, -14, 30, False),
        ("M1", "新主机到场", -20, -20, 5, True),
        ("T3", "新主机及冷却塔吊装", -18, 0, 25, False),
        ("T4", "系统调试及试运行", 1, 20, 25, False),
    ],
}
# project, task code, as_of offset, percent (reported by the contractor, confirmed by the supervisor)
REPORTS: dict[str, list[tuple[str, int, int]]] = {
    GREEN: [("T1", -38, 100), ("T2", -30, 30), ("T2", -21, 70), ("T2", -12, 100), ("T3", -7, 25), ("T3", -1, 50)],
    YELLOW: [
        ("T1", -40, 100),
        ("T2", -28, 40),
        ("T2", -14, 80),
        ("T3", -14, 40),
        ("T2", -7, 100),
        ("T3", -3, 60),
        ("T4", -3, 20),
    ],
    RED: [("T1", -42, 100), ("T2", -35, 20), ("T2", -21, 45), ("T2", -7, 60), ("T3", -2, 10)],
}
SITE_POSITIONS = {
    GREEN: (30.245120, 120.171230),
    YELLOW: (30.251840, 120.164570),
    RED: (30.238710, 120.182460),
    FRESH: (30.249300, 120.170100),
}
NEW_PROJECTS = [
    (YELLOW, "repair", "临江市解放路66号机关一号楼", "980000"),
    (RED, "energy", "临江市市民中心B座屋顶", "1650000"),
    (FRESH, "repair", "临江市解放路66号机关二号楼", "420000"),
]


def _project(name: str, *, root: Agency, liming: User, dept: Department) -> Project | None:
    from govworks.projects.services import projects as project_services

    existing = Project.objects.filter(agency=root, name=name).first()
    if existing is not None:
        return existing if existing.stage == Stage.CONSTRUCTION else None
    spec = next((p for p in NEW_PROJECTS if p[0] == name), None)
    if spec is None:
        return None
    today = timezone.localdate()
    project = project_services.project_create_outside_plan(
        actor=liming,
        agency=root,
        manager=liming,
        department=dept,
        name=name,
        project_type=spec[1],
        location=spec[2],
        estimate_amount=Decimal(spec[3]),
        funding_source="fiscal",
        planned_start=today - dt.timedelta(days=60),
        planned_end=today + dt.timedelta(days=40),
        reason="上年度结转项目，前期手续已于上年度办结，本年度继续实施。",
    )
    return project_services.project_import_at_stage(
        actor=liming,
        project=project,
        stage=Stage.CONSTRUCTION,
        note=f"前期手续已线下办理：临机事〔{today.year - 1}〕{len(name)}号批复",
    )


# project -> amount of its main construction contract with 临江建工 (GREEN's is the procurement demo's)
MAIN_CONTRACTS = {YELLOW: "860000", RED: "268000", FRESH: "398000"}
SUPERVISION_AMOUNT = "36000"


def _lot(*, actor: User, project: Project, name: str, category: str, amount: Decimal) -> Any:
    """A lot with its method chosen, through the procurement services (the first method the rules allow)."""
    from govworks.core.errors import DomainError
    from govworks.procurement.services import lots as lot_services

    lot = lot_services.lot_create(actor=actor, project=project, name=name, category=category, estimated_amount=amount)
    for method in ("competitive_consultation", "open_tender"):
        try:
            return lot_services.lot_choose_method(actor=actor, lot=lot, method=method)
        except DomainError:
            continue
    return lot_services.lot_choose_method(actor=actor, lot=lot, method="open_tender")


def _site_contracts(project: Project, *, people: dict[str, User], contractor: Any, supervisor: Any) -> None:
    """The parties on site come from the project's signed contracts: sign, through the procurement services
    (and a collective decision at or above its amount), the main construction contract with 临江建工 when
    the project has none, and the supervision contract with 浙临监理."""
    from govworks.construction.selectors.parties import site_parties, site_parties_forget
    from govworks.procurement.services import contracts as contract_services
    from govworks.procurement.services.contracts import contract_params
    from govworks.projects.demo import _decide

    today = timezone.localdate()
    liming = people["liming"]
    parties = site_parties(project)
    wanted = []
    if parties.contractor is None and project.name in MAIN_CONTRACTS:
        wanted.append((True, contractor, f"{project.name}施工合同", "works", Decimal(MAIN_CONTRACTS[project.name])))
    if parties.supervisor is None:
        wanted.append((False, supervisor, f"{project.name}施工监理服务合同", "services", Decimal(SUPERVISION_AMOUNT)))
    for main, supplier, title, category, amount in wanted:
        lot = _lot(actor=liming, project=project, name=title.removesuffix("合同"), category=category, amount=amount)
        contract = contract_services.contract_create(
            actor=liming, lot=lot, supplier=supplier, title=title, is_main_construction=main, amount=amount,
            pricing_type="lump_sum", starts_on=today - dt.timedelta(days=62), ends_on=today + dt.timedelta(days=45),
            award_notice_on=today - dt.timedelta(days=70), advance_ratio=Decimal("0.10"), progress_ratio=Decimal("0.80"),
            quality_deposit_ratio=Decimal("0.03") if main else Decimal(0), defect_period_months=12 if main else 0,
            award_reference="竞争性磋商成交通知书" if main else "监理服务成交通知书",
            milestones=[
                {"kind": "advance", "ratio": Decimal("0.10"), "condition": "合同签订后"},
                {"kind": "progress", "ratio": Decimal("0.80"), "condition": "按月计量"},
                {"kind": "settlement", "condition": "结算审计后"},
                {"kind": "retention_return", "ratio": Decimal("0.03"), "condition": "缺陷责任期满"},
            ] if main else [],
        )  # fmt: skip
        if amount >= contract_params(project.agency).large_fund_min_amount:
            _decide(
                agency=project.agency, organizer=liming, chair=people["sungp"],
                members=[people["zhaolx"], people["chenzq"], people["liujing"], people["wuhy"]], subject=contract,
                title=f"审议{contract.title}签订", category="large_fund", amount=amount,
                held_on=today - dt.timedelta(days=66), meeting_title="局党组会议（合同审议）",
            )  # fmt: skip
        contract_services.contract_sign(actor=liming, contract=contract, signed_on=today - dt.timedelta(days=64))
    site_parties_forget(project)


def _photo(
    name: str, text: str, taken: dt.datetime | None, position: tuple[float, float] | None, colour: tuple[int, int, int]
) -> Any:
    return SimpleUploadedFile(name, demo_photo(text, taken_at=taken, position=position, colour=colour), content_type="image/jpeg")


def seed_construction() -> str:
    from govworks.construction.services import inspections, lights, meetings, schedule, site_reports
    from govworks.construction.services.incidents import incident_register

    if ProjectSite.objects.filter(baseline_set_on__isnull=False).exists() or ScheduleTask.objects.exists():
        return "已存在，跳过"
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=["liming", "huangwei", "zhaolx", "chenzq", "machao", "yangfan", "lisong", "sungp", "liujing", "wuhy"]
        )
    }
    contractor = Supplier.objects.filter(name=CONTRACTOR, external_org__isnull=False).first()
    supervisor = Supplier.objects.filter(name=SUPERVISOR, external_org__isnull=False).first()
    liming = people.get("liming")
    needed = {"liming", "zhaolx", "chenzq", "machao", "yangfan", "sungp", "liujing", "wuhy"}
    if liming is None or contractor is None or supervisor is None or not needed <= set(people):
        return "无演示组织或供应商，跳过"
    root = liming.agency
    if root is None:
        return "无演示组织，跳过"
    dept = Department.objects.get(agency=root, name="基建科")
    machao, yangfan, huangwei, zhaolx = people["machao"], people["yangfan"], people.get("huangwei"), people.get("zhaolx")
    today = timezone.localdate()
    projects: dict[str, Project] = {}
    for name in (GREEN, YELLOW, RED, FRESH):
        p = _project(name, root=root, liming=liming, dept=dept)
        if p is None:
            continue
        projects[name] = p
        _site_contracts(p, people=people, contractor=contractor, supervisor=supervisor)
        lat, lon = SITE_POSITIONS[name]
        schedule.site_configure(
            actor=liming, project=p, latitude=Decimal(str(lat)), longitude=Decimal(str(lon)), radius_m=500,
            liaison=huangwei, leader=zhaolx,
        )  # fmt: skip

    # schedules, and progress week by week with the light evaluated as of each week
    for name, rows in SCHEDULES.items():
        if name not in projects:
            continue
        p = projects[name]
        tasks: dict[str, ScheduleTask] = {}
        for code, title, start, end, weight, milestone in rows:
            tasks[code] = schedule.task_create(
                actor=liming, project=p, code=code, name=title, planned_start=today + dt.timedelta(days=start),
                planned_end=today + dt.timedelta(days=end), weight=Decimal(weight), is_milestone=milestone,
                predecessors=[tasks[c] for c in list(tasks)[-1:]],
            )  # fmt: skip
        schedule.baseline_set(actor=liming, project=p)
        pending = sorted(REPORTS[name], key=lambda r: r[1])
        for offset in range(-49, 1, 7):
            day = today + dt.timedelta(days=offset)
            while pending and pending[0][1] <= offset:
                code, as_of, percent = pending.pop(0)
                report = schedule.progress_report(
                    actor=machao,
                    task=tasks[code],
                    as_of=today + dt.timedelta(days=as_of),
                    percent=Decimal(percent),
                    note="按实测工程量填报",
                )
                schedule.progress_confirm(actor=yangfan, report=report, opinion="经现场核实，同意", evaluate=False)
            lights.project_light_evaluate(project=p, trigger="每日评价", on=day)
        if name == RED:  # the plan was revised after the baseline: the commissioning slipped a week
            schedule.task_revise(
                actor=liming, task=tasks["T4"], planned_start=today + dt.timedelta(days=1), planned_end=today + dt.timedelta(days=27),
                weight=Decimal(25), reason="冷却塔供货延期，经监理同意顺延调试",
            )  # fmt: skip
    if YELLOW in projects:  # a report waiting for the supervisor
        t4 = ScheduleTask.objects.get(project=projects[YELLOW], code="T4")
        schedule.progress_report(actor=machao, task=t4, as_of=today, percent=Decimal(28), note="外墙涂料完成北立面")

    # daily site reports with photos (the red project's include a stale and a distant photo)
    reporter = huangwei or liming
    colours = [(120, 144, 156), (141, 110, 99), (96, 125, 139), (158, 158, 158)]
    photos = 0
    for name, days in ((GREEN, 5), (RED, 6), (YELLOW, 0)):
        if name not in projects:
            continue
        p = projects[name]
        lat, lon = SITE_POSITIONS[name]
        for back in range(days + (4 if name == YELLOW else 0), 0 if name != YELLOW else 3, -1):
            day = today - dt.timedelta(days=back - 1)
            taken = dt.datetime.combine(day, dt.time(9, 20))
            shots = [
                _photo(f"IMG_{day:%m%d}_01.jpg", f"{name} {day:%Y-%m-%d} morning", taken, (lat + 0.0004, lon - 0.0003), colours[back % 4]),
                _photo(f"IMG_{day:%m%d}_02.jpg", f"{name} {day:%Y-%m-%d} afternoon", taken + dt.timedelta(hours=6), (lat - 0.0002, lon + 0.0005), colours[(back + 1) % 4]),
            ]  # fmt: skip
            if name == RED and back == 2:
                shots.append(_photo("IMG_OLD.jpg", "an old photo", taken - dt.timedelta(days=30), (lat, lon), (189, 189, 189)))
                shots.append(_photo("IMG_FAR.jpg", "somewhere else", taken, (lat + 0.027, lon), (97, 97, 97)))
            site_reports.daily_report_submit(
                actor=reporter, project=p, report_date=day, weather=["sunny", "cloudy", "overcast", "rain"][back % 4], temperature="12~19℃",
                manpower={"木工": 4 + back % 3, "电工": 3, "管道工": 5, "普工": 8 + back % 4},
                work_done="按计划推进：" + ("设备安装、管道连接" if name != YELLOW else "外墙基层处理、涂料施工"),
                problems="" if back % 3 else "材料进场滞后半天，已协调供应商", photos=shots,
                captions=["作业面全景", "细部做法"],
            )  # fmt: skip
            photos += len(shots)
            site_reports.diary_record(
                actor=yangfan, project=p, diary_date=day, content="旁站监督关键工序，检查进场材料合格证及复试报告。",
                issues="" if back % 2 else "发现个别作业人员未系安全带，已当场纠正。",
            )  # fmt: skip

    # patrols and the rectification loop on the red project
    notices = 0
    if RED in projects:
        p = projects[RED]
        items = checklist(p.project_type, "safety")
        results = [{"item": i, "ok": True, "note": ""} for i in items]
        results[2] = {"item": items[2], "ok": False, "note": "屋面临时配电箱未设漏电保护器"}
        results[4] = {"item": items[4], "ok": False, "note": "冷却塔基础周边临边防护缺失"}
        results[-1] = {"item": items[-1], "ok": False, "note": "吊装作业区未设警戒区，无持证指挥"}
        inspection = inspections.inspection_record(
            actor=liming, project=p, kind="safety", inspected_on=today - dt.timedelta(days=12), results=results,
            summary="屋面作业安全管理薄弱，三项须限期整改", severities={items[-1]: "serious"},
        )  # fmt: skip
        first, second, third = list(RectificationNotice.objects.filter(inspection=inspection).order_by("pk"))
        # the first was issued twelve days ago with a seven-day deadline: overdue, escalated by the daily job
        RectificationNotice.objects.filter(pk=first.pk).update(
            issued_on=today - dt.timedelta(days=12), deadline=today - dt.timedelta(days=5)
        )
        inspections.notices_escalate(today)
        # the second: replied, failed verification, reopened, replied again and passed
        inspections.notice_reply(actor=machao, notice=second, text="已增设防护栏杆1.2米高并挂安全网")
        inspections.notice_verify(
            actor=yangfan,
            notice=second,
            passed=False,
            opinion="栏杆未设挡脚板，不合格",
            new_deadline=today + dt.timedelta(days=3),
        )
        inspections.notice_reply(actor=machao, notice=second, text="已补设18cm挡脚板，照片见附件")
        inspections.notice_verify(actor=yangfan, notice=second, passed=True, opinion="复查合格，同意销项")
        # the third: replied, waiting for verification
        inspections.notice_reply(actor=machao, notice=third, text="已设置警戒区并安排持证信号工")
        inspections.notice_issue(
            actor=liming, project=p, finding="冷却塔填料堆放于消防通道", severity="general", requirement="立即清理，保持通道畅通"
        )
        notices = RectificationNotice.objects.filter(project=p).count()
    if GREEN in projects:
        p = projects[GREEN]
        inspections.inspection_record(
            actor=yangfan, project=p, kind="quality", inspected_on=today - dt.timedelta(days=4),
            results=[{"item": i, "ok": True, "note": ""} for i in checklist(p.project_type, "quality")], summary="质量受控",
        )  # fmt: skip
        incident_register(
            actor=liming, project=p, occurred_on=today - dt.timedelta(days=18), severity="minor", injuries=1,
            description="管道切割时一名工人手部轻微划伤", cause="未佩戴防割手套", measures="现场包扎处置，全员安全交底",
        )  # fmt: skip

    # site meetings with action items on the owners' workbenches
    for name in (GREEN, RED):
        if name not in projects:
            continue
        p = projects[name]
        m = meetings.meeting_record(
            actor=liming, project=p, kind="regular" if name == GREEN else "dispatch", held_on=today - dt.timedelta(days=3),
            agenda="本周进度、安全文明施工、下周计划" if name == GREEN else "进度严重滞后专题调度",
            attendees="建设单位：李明；施工单位：马超；监理单位：杨帆",
            minutes="施工单位汇报本周完成情况，监理通报质量安全检查情况。",
            decisions="施工单位增加作业人员，确保节点工期" if name == RED else "按计划推进",
            actions=[
                {"text": "编制赶工措施并报监理审核" if name == RED else "提交报警系统深化设计图", "owner": machao, "due_on": today + dt.timedelta(days=2)},
                {"text": "组织设备进场验收", "owner": yangfan, "due_on": today - dt.timedelta(days=1)},
                {"text": "协调配电增容手续", "owner": liming, "due_on": today + dt.timedelta(days=5)},
            ],
        )  # fmt: skip
        done = m.actions.get(owner=liming)
        if name == GREEN:
            meetings.action_done(actor=liming, item=done, note="已与供电公司确认增容方案")

    summary = lights.lights_evaluate_all(today)
    states = ", ".join(f"{n}:{ProjectSite.objects.get(project=p).light}" for n, p in projects.items())
    return f"{len(projects)} 个在建项目（{states}），{photos} 张现场照片，{notices} 份整改通知；{summary}"


register_demo_seeder(40, "施工监管", seed_construction)

__all__ = ["FRESH", "GREEN", "RED", "YELLOW", "seed_construction"]
