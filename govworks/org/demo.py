"""Demo organisation (manage.py seed_demo): 临江市机关事务管理局 and three subordinate agencies, their
departments, posts with real descriptions, a person for every role, the three administrators, external
companies and this year's integrity pledges. Built through the services, so the audit trail is real."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govworks.core.registry import register_demo_seeder
from govworks.org import services
from govworks.org.models import Agency, Department, ExternalOrganization, User
from govworks.org.roles import ExternalKind, Role
from govworks.org.rules import credit_code_check_char

#: every demo account signs in with this password first, then must choose its own
DEMO_PASSWORD = "Demo@2026"  # noqa: S105  (published demo password; every account must change it at first sign-in)
ROOT_NAME = "临江市机关事务管理局"


def credit_code(prefix: str, region: str, serial: str) -> str:
    """A well-formed 统一社会信用代码: 2-char registration type, 6-digit region, 9-char org code, check char."""
    first17 = f"{prefix}{region}{serial}"
    return first17 + credit_code_check_char(first17)


def _pledge_pdf(name: str, year: int) -> SimpleUploadedFile:
    body = f"{year} integrity pledge - {name}".encode()
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%" + body + b"\n%%EOF\n"
    )
    return SimpleUploadedFile(f"廉政承诺书-{name}-{year}.pdf", pdf, content_type="application/pdf")


ROOT_DEPARTMENTS = [
    ("办公室", False, "0571-8801 2001"),
    ("基建科", True, "0571-8801 2016"),
    ("财务科", False, "0571-8801 2023"),
    ("资产管理科", False, "0571-8801 2030"),
    ("派驻纪检监察组", False, "0571-8801 2099"),
    ("内审科", False, "0571-8801 2041"),
    ("信息中心", False, "0571-8801 2055"),
]

# (username, full name, department, title, role, phone)
ROOT_PEOPLE = [
    ("sungp", "孙国平", "办公室", "局长", Role.PRINCIPAL_LEADER, "13905710001"),
    ("zhaolx", "赵立新", "办公室", "副局长（分管基建）", Role.LEADER_IN_CHARGE, "13905710002"),
    ("chenzq", "陈志强", "基建科", "基建科科长", Role.DEPARTMENT_HEAD, "13905710003"),
    ("liming", "李明", "基建科", "工程管理岗", Role.PROJECT_MANAGER, "13905710004"),
    ("zhoutao", "周涛", "基建科", "工程管理岗", Role.PROJECT_MANAGER, "13905710005"),
    ("huangwei", "黄伟", "基建科", "项目联络员", Role.LIAISON, "13905710006"),
    ("liujing", "刘静", "财务科", "财务科科长", Role.FINANCE, "13905710007"),
    ("zhangli", "张莉", "财务科", "会计", Role.FINANCE, "13905710011"),
    ("wuhy", "吴海燕", "派驻纪检监察组", "纪检监察员", Role.DISCIPLINE, "13905710008"),
    ("zhengli", "郑丽", "内审科", "内审科科长", Role.INTERNAL_AUDIT, "13905710009"),
    ("hemin", "何敏", "办公室", "档案管理员", Role.ARCHIVIST, "13905710010"),
]

ROOT_ADMINS = [
    (Role.SYSTEM_ADMIN, "sysadmin", "钱晓东"),
    (Role.SECURITY_ADMIN, "secadmin", "冯磊"),
    (Role.AUDIT_ADMIN, "auditadmin", "蒋红"),
]

SUBORDINATE_CODES = {"后勤服务中心": "LJHQ", "公务用车中心": "LJGC", "会议中心": "LJHY"}  # 项目编号前缀
SUBORDINATES = [
    # (name, short, serial, prefix, people [(username, name, dept, title, role)])
    (
        "临江市市级机关后勤服务中心",
        "后勤服务中心",
        "MB1A23457",
        "12",
        [
            ("xuhb", "许海兵", "工程维修科", "工程维修科科长", Role.DEPARTMENT_HEAD),
            ("caiyun", "蔡芸", "工程维修科", "工程管理岗", Role.PROJECT_MANAGER),
            ("tanglei", "唐磊", "财务科", "会计", Role.FINANCE),
            ("luozhw", "罗志伟", "综合科", "主任", Role.PRINCIPAL_LEADER),
            ("wangdong", "王东", "综合科", "副主任", Role.LEADER_IN_CHARGE),
        ],
    ),
    (
        "临江市公务用车服务中心",
        "公务用车中心",
        "MB1C55604",
        "12",
        [
            ("songjie", "宋杰", "综合科", "工程管理岗", Role.PROJECT_MANAGER),
            ("hanxue", "韩雪", "综合科", "主任", Role.PRINCIPAL_LEADER),
            ("zhangjun", "张军", "综合科", "副主任", Role.LEADER_IN_CHARGE),
            ("lvfang", "吕芳", "财务科", "会计", Role.FINANCE),
            ("dengke", "邓珂", "综合科", "综合科科长", Role.DEPARTMENT_HEAD),
        ],
    ),
    (
        "临江市市级机关会议中心",
        "会议中心",
        "MB1E70218",
        "12",
        [
            ("fengyu", "冯宇", "工程维修科", "工程管理岗", Role.PROJECT_MANAGER),
            ("qiuming", "邱明", "综合科", "副主任", Role.LEADER_IN_CHARGE),
            ("yangli", "杨丽", "综合科", "主任", Role.PRINCIPAL_LEADER),
            ("linan", "李楠", "工程维修科", "工程维修科科长", Role.DEPARTMENT_HEAD),
        ],
    ),
]

EXTERNALS = [
    (
        "临江建工集团有限公司",
        "91",
        "MA2B3C4D5",
        ExternalKind.CONTRACTOR,
        "沈建华",
        "0571-8655 3301",
        "临江市滨江区江南大道1288号",
        [("machao", "马超", "项目经理"), ("lisong", "李松", "施工员")],
    ),
    (
        "浙临工程监理咨询有限公司",
        "91",
        "MA2D7E8F9",
        ExternalKind.SUPERVISOR,
        "严卫东",
        "0571-8712 4406",
        "临江市上城区解放路66号",
        [("yangfan", "杨帆", "总监理工程师")],
    ),
    (
        "临江市建筑设计研究院有限公司",
        "91",
        "7123456X8",
        ExternalKind.DESIGNER,
        "范文杰",
        "0571-8706 1122",
        "临江市西湖区文三路90号",
        [("liuyang", "刘洋", "项目负责人")],
    ),
    (
        "信达工程造价咨询有限公司",
        "91",
        "MA27L9Q3X",
        ExternalKind.COST_CONSULTANT,
        "林茂",
        "0571-8833 0809",
        "临江市拱墅区湖墅南路188号",
        [("chenyu", "陈宇", "造价工程师")],
    ),
]

POSITIONS = [
    (
        "局长",
        "办公室",
        None,
        "sungp",
        "主持局全面工作，对本局工程建设负主体责任；主持党组会议、局务会议，按“三重一大”制度组织集体决策；审定年度工程建设计划。",
        "年度计划完成率；重大事项集体决策率100%；无重大廉政、安全事件",
    ),
    (
        "分管副局长（基建）",
        "办公室",
        "局长",
        "zhaolx",
        "分管基建科工作，对所分管工程项目的进度、质量、安全和资金使用负领导责任；审核立项、招标、合同、变更、付款事项；红灯项目约谈责任人。",
        "按时完工率≥90%；成本控制偏差率≤5%；整改按期完成率100%",
    ),
    (
        "基建科科长",
        "基建科",
        "分管副局长（基建）",
        "chenzq",
        "组织编制年度工程建设计划；落实项目全过程管理；分配工程管理岗职责；审核各阶段资料、进度款申请；组织例会和质量安全巡查。",
        "计划按期上报；资料完整率100%；巡查每月不少于2次",
    ),
    (
        "工程管理岗",
        "基建科",
        "基建科科长",
        "liming",
        "负责所管项目的立项申报、招标采购配合、合同履约、现场进度质量安全管理、变更签证初审、进度款计量审核、竣工验收与资料归档。",
        "所管项目按时完工；日报、周报按时提交；整改闭环率100%",
    ),
    (
        "项目联络员",
        "基建科",
        "工程管理岗",
        "huangwei",
        "每日到现场核实施工情况，提交现场日报和照片；跟踪整改落实；记录点工与现场签证。",
        "日报按日提交；照片真实可核验",
    ),
    (
        "财务科科长",
        "财务科",
        "局长",
        "liujing",
        "管理工程资金来源与预算指标；审核付款申请是否符合合同、进度和资金规定；办理国库集中支付；编制竣工财务决算。",
        "预算执行率；付款差错为零；决算按期完成",
    ),
    (
        "纪检监察员",
        "派驻纪检监察组",
        None,
        "wuhy",
        "对工程建设全过程实施监督，查看预警信息，受理投诉举报，参与双随机抽查和约谈。",
        "预警处置及时率100%",
    ),
    (
        "档案管理员",
        "办公室",
        "局长",
        "hemin",
        "按GB/T 50328收集、整理、移交工程档案；审核归档完整性。",
        "竣工后3个月内完成档案移交",
    ),
]


def _demo_password(user: User) -> None:
    """Demo data only: give the account the published demo password (to be changed at first sign-in)
    instead of the activation code a real opening issues; the unused code is voided."""
    from govworks.org.models import AccountCode

    user.set_password(DEMO_PASSWORD)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    AccountCode.objects.filter(user=user, used_at__isnull=True).update(revoked_at=timezone.now())


def seed_organisation() -> str:
    """Idempotent: does nothing when the demo root agency exists."""
    if Agency.objects.filter(name=ROOT_NAME).exists():
        return "已存在，跳过"
    root = services.agency_root_create(
        name=ROOT_NAME,
        credit_code=credit_code("11", "331000", "002487361"),
        short_name="市机关事务局",
        code="LJJG",
        level=Agency.Level.CITY,
        region_code="331000",
        address="临江市市民中心C座8楼",
    )
    admins = {u.username: u for u, _ in services.platform_bootstrap(agency=root, admins=ROOT_ADMINS, password=DEMO_PASSWORD)}
    sysadmin, secadmin = admins["sysadmin"], admins["secadmin"]

    departments: dict[tuple[int, str], Department] = {}
    for name, construction, phone in ROOT_DEPARTMENTS:
        departments[(root.pk, name)] = services.department_create(
            actor=sysadmin, agency=root, name=name, is_construction=construction, phone=phone
        )
    people: dict[str, User] = {}
    for username, full_name, dept, title, role, phone in ROOT_PEOPLE:
        user, _ = services.user_create(
            actor=sysadmin,
            agency=root,
            username=username,
            full_name=full_name,
            department=departments[(root.pk, dept)],
            title=title,
            phone=phone,
        )
        _demo_password(user)
        services.role_grant(actor=secadmin, user=user, agency=root, role=role, note="临机事〔2026〕3号 任职通知")
        people[username] = user
    for sub_name, short, serial, prefix, sub_people in SUBORDINATES:
        sub = services.agency_create(
            actor=sysadmin,
            parent=root,
            name=sub_name,
            short_name=short,
            code=SUBORDINATE_CODES[short],
            credit_code=credit_code(prefix, "331000", serial),
            level=Agency.Level.CITY,
            region_code="331000",
            address="临江市市民中心",
        )
        for dept in sorted({p[2] for p in sub_people} | {"财务科"}):
            departments[(sub.pk, dept)] = services.department_create(
                actor=sysadmin, agency=sub, name=dept, is_construction=dept == "工程维修科"
            )
        for username, full_name, dept, title, role in sub_people:
            user, _ = services.user_create(
                actor=sysadmin,
                agency=sub,
                username=username,
                full_name=full_name,
                department=departments[(sub.pk, dept)],
                title=title,
            )
            _demo_password(user)
            services.role_grant(actor=secadmin, user=user, agency=sub, role=role, note="任职通知")
            people[username] = user
    positions: dict[str, Any] = {}
    year = timezone.localdate().year
    for title, dept, superior, holder, duties, kpis in POSITIONS:
        positions[title] = services.position_create(
            actor=sysadmin,
            agency=root,
            title=title,
            department=departments[(root.pk, dept)],
            superior=positions.get(superior) if superior else None,
            holder=people[holder],
            duties=duties,
            kpis=kpis,
            key_tasks_year=year,
            key_tasks="完成年度工程建设计划项目；推进全流程线上留痕；落实红黄绿灯进度管理。",
        )
    for name, prefix, serial, kind, legal, phone, address, staff in EXTERNALS:
        org: ExternalOrganization = services.external_org_create(
            actor=sysadmin,
            registered_by=root,
            name=name,
            credit_code=credit_code(prefix, "331000", serial),
            kind=kind,
            legal_representative=legal,
            phone=phone,
            address=address,
        )
        for username, full_name, title in staff:
            external_user, _ = services.user_create(
                actor=sysadmin, external_org=org, username=username, full_name=full_name, title=title
            )
            _demo_password(external_user)
    signed_on = dt.date(year, 1, 8) if timezone.localdate() >= dt.date(year, 1, 8) else timezone.localdate()
    # everyone signs this year's pledge except 周涛, whose missing pledge is a red flag for 纪检监察
    for username, user in people.items():
        if username == "zhoutao":
            continue
        services.pledge_record(actor=sysadmin, user=user, year=year, signed_on=signed_on, file=_pledge_pdf(user.full_name, year))
    return f"{Agency.objects.count()} 个单位，{User.objects.count()} 个账号，密码 {DEMO_PASSWORD}（首次登录须修改）"


register_demo_seeder(10, "组织机构", seed_organisation)
