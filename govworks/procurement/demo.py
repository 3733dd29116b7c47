"""Demo supplier register (manage.py seed_demo, after the projects): twelve companies of 临江市 — 施工总承包,
机电安装, 消防, 智能化, 造价咨询, 监理 — with contacts, bank accounts, qualifications and 履约评价. The four
external companies of the organisation demo are registered as suppliers under their own credit codes
and linked to their accounts. One supplier's qualification has expired, one is on the black list by a
decision of 临江市住房和城乡建设局, one on the grey list. Two projects past 立项 get a procurement plan (标段)
with methods chosen. Everything goes through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from govworks.core.registry import register_demo_seeder
from govworks.org.demo import credit_code
from govworks.org.models import Agency, ExternalOrganization, User
from govworks.procurement.models import Supplier, SupplierCategory
from govworks.procurement.services import suppliers as services
from govworks.projects.models import Project

C = SupplierCategory

# name, credit-code serial (None: the organisation demo's company of that name), category, legal rep,
# capital (万元), phone, address, contact, bank, qualification (kind, grade, issuer), evaluation scores
SUPPLIERS: list[tuple[Any, ...]] = [
    (
        "临江建工集团有限公司",
        None,
        C.GENERAL_CONTRACTING,
        "沈建华",
        30000,
        "0571-8655 3301",
        "临江市滨江区江南大道1288号",
        ("王建国", "经营部经理", "13806710101"),
        "中国建设银行临江滨江支行",
        ("建筑工程施工总承包", "一级", "浙江省住房和城乡建设厅"),
        [92, 88, 90],
    ),
    (
        "浙临工程监理咨询有限公司",
        None,
        C.SUPERVISION,
        "严卫东",
        1000,
        "0571-8712 4406",
        "临江市上城区解放路66号",
        ("杨帆", "总监理工程师", "13806710102"),
        "中国工商银行临江解放路支行",
        ("工程监理综合资质", "甲级", "中华人民共和国住房和城乡建设部"),
        [86, 90],
    ),
    (
        "临江市建筑设计研究院有限公司",
        None,
        C.DESIGN,
        "范文杰",
        2000,
        "0571-8706 1122",
        "临江市西湖区文三路90号",
        ("刘洋", "项目负责人", "13806710103"),
        "中国银行临江文三路支行",
        ("工程设计建筑行业（建筑工程）", "甲级", "浙江省住房和城乡建设厅"),
        [89],
    ),
    (
        "信达工程造价咨询有限公司",
        None,
        C.COST_CONSULTING,
        "林茂",
        500,
        "0571-8833 0809",
        "临江市拱墅区湖墅南路188号",
        ("陈宇", "造价工程师", "13806710104"),
        "杭州银行临江湖墅支行",
        ("工程造价咨询企业", "甲级", "浙江省住房和城乡建设厅"),
        [84, 87],
    ),
    (
        "浙江宏宇建设有限公司",
        "MA2H8K1N4",
        C.GENERAL_CONTRACTING,
        "周宏宇",
        12000,
        "0571-8690 2210",
        "临江市萧山区市心北路355号",
        ("吴斌", "项目经理", "13906712201"),
        "中国农业银行临江萧山支行",
        ("建筑工程施工总承包", "二级", "临江市住房和城乡建设局"),
        [81, 76, 85],
    ),
    (
        "临江恒达建设工程有限公司",
        "MA2J5P7R2",
        C.GENERAL_CONTRACTING,
        "郑恒达",
        5000,
        "0571-8621 7788",
        "临江市余杭区临平大道520号",
        ("郑小军", "副总经理", "13906712202"),
        "浙江农商银行临平支行",
        ("建筑工程施工总承包", "三级", "临江市住房和城乡建设局"),
        [58, 52],
    ),
    (
        "临江华安机电安装工程有限公司",
        "MA2K3L6M8",
        C.MEP,
        "陆华安",
        3000,
        "0571-8677 4512",
        "临江市滨江区长河路475号",
        ("陆明", "技术负责人", "13906712203"),
        "招商银行临江分行营业部",
        ("机电工程施工总承包", "二级", "临江市住房和城乡建设局"),
        [88, 91],
    ),
    (
        "浙江安泰消防工程有限公司",
        "MA2L9N2P5",
        C.FIRE,
        "钱安泰",
        2000,
        "0571-8718 9035",
        "临江市拱墅区莫干山路1418号",
        ("钱伟", "项目经理", "13906712204"),
        "中信银行临江分行",
        ("消防设施工程专业承包", "一级", "浙江省住房和城乡建设厅"),
        [83],
    ),
    (
        "临江智联信息系统工程有限公司",
        "MA2M4Q8T1",
        C.INTELLIGENT,
        "冯智",
        1500,
        "0571-8699 6620",
        "临江市西湖区西斗门路3号",
        ("冯晓东", "销售总监", "13906712205"),
        "上海浦东发展银行临江分行",
        ("电子与智能化工程专业承包", "二级", "临江市住房和城乡建设局"),
        [68, 63],
    ),
    (
        "浙江数智科技股份有限公司",
        "MA2N6R3U7",
        C.INTELLIGENT,
        "蒋一帆",
        8000,
        "0571-8802 3366",
        "临江市滨江区网商路699号",
        ("蒋涛", "交付经理", "13906712206"),
        "兴业银行临江分行",
        ("电子与智能化工程专业承包", "一级", "浙江省住房和城乡建设厅"),
        [90, 93],
    ),
    (
        "临江天衡工程造价事务所有限公司",
        "MA2P8T5W3",
        C.COST_CONSULTING,
        "孔天衡",
        300,
        "0571-8761 0518",
        "临江市上城区庆春路118号",
        ("孔丽", "造价工程师", "13906712207"),
        "宁波银行临江分行",
        ("工程造价咨询企业", "乙级", "临江市住房和城乡建设局"),
        [80],
    ),
    (
        "临江正诚工程监理有限公司",
        "MA2Q1U7X9",
        C.SUPERVISION,
        "韩正诚",
        600,
        "0571-8745 2233",
        "临江市余杭区文一西路998号",
        ("韩磊", "总监理工程师", "13906712208"),
        "交通银行临江余杭支行",
        ("房屋建筑工程监理", "甲级", "浙江省住房和城乡建设厅"),
        [78, 82],
    ),
]

EXPIRED = "临江天衡工程造价事务所有限公司"
EXPIRING = "浙江安泰消防工程有限公司"
BLACK = "临江恒达建设工程有限公司"
GREY = "临江智联信息系统工程有限公司"


def seed_suppliers() -> str:
    if Supplier.objects.exists():
        return "已存在，跳过"
    root = Agency.objects.get(name="临江市机关事务管理局")
    liming, chenzq, wuhy = (User.objects.get(username=n) for n in ("liming", "chenzq", "wuhy"))
    today = timezone.localdate()
    projects = list(Project.objects.filter(agency=root).order_by("id")[:6])
    externals = {o.name: o for o in ExternalOrganization.objects.all()}
    made: dict[str, Supplier] = {}
    for index, row in enumerate(SUPPLIERS):
        name, serial, category, legal, capital, phone, address, contact, bank, qual, scores = row
        org = externals.get(name) if serial is None else None
        code = org.credit_code if org is not None else credit_code("91", "331000", serial or f"MA2Z{index:05d}")
        supplier = services.supplier_create(
            actor=liming,
            agency=root,
            name=name,
            credit_code=code,
            category=category,
            legal_representative=legal,
            registered_capital=Decimal(capital) * 10000,
            phone=phone,
            address=address,
            external_org=org,
        )
        made[name] = supplier
        services.supplier_contact_add(
            actor=liming, supplier=supplier, name=contact[0], title=contact[1], phone=contact[2], is_primary=True
        )
        services.supplier_bank_account_add(
            actor=liming,
            supplier=supplier,
            bank_name=bank,
            account_name=name,
            account_number=f"3301{index + 1:02d}{supplier.pk:04d}88{index * 7919 % 100000:05d}",
            is_default=True,
        )
        if name == EXPIRED:
            issued, expires = today - dt.timedelta(days=5 * 365 + 20), today - dt.timedelta(days=20)
        elif name == EXPIRING:
            issued, expires = today - dt.timedelta(days=5 * 365 - 18), today + dt.timedelta(days=18)
        else:
            issued, expires = today - dt.timedelta(days=400 + 37 * index), today + dt.timedelta(days=900 + 41 * index)
        kind, grade, issuer = qual
        services.qualification_add(
            actor=liming,
            supplier=supplier,
            kind=kind,
            category=category,
            grade=grade,
            certificate_number=f"D{233000000 + 1731 * (index + 1)}",
            issued_by=issuer,
            issued_on=issued,
            expires_on=expires,
        )
        for n, score in enumerate(scores):
            project = projects[(index + n) % len(projects)] if projects and n == 0 else None
            services.supplier_evaluate(
                actor=liming,
                supplier=supplier,
                agency=root,
                project=project,
                contract_name=f"{project.name if project else '机关办公用房维修'}合同（{category.label}）",
                score=score,
                comment="按合同约定履约，现场管理规范，资料齐全。" if score >= 80 else "工期滞后，现场整改不及时，经约谈后改正。",
                evaluated_on=today - dt.timedelta(days=60 + 230 * (len(scores) - 1 - n) + index),
            )
    services.supplier_listing_add(
        actor=wuhy,
        supplier=made[BLACK],
        agency=root,
        kind="black",
        reason="在临江市老年活动中心改造工程中将主体工程违法分包给无资质的个人，并伪造项目管理人员考勤记录。",
        starts_on=today - dt.timedelta(days=45),
        ends_on=today - dt.timedelta(days=45) + dt.timedelta(days=730),
        deciding_authority="临江市住房和城乡建设局",
        deciding_document=f"临建罚〔{today.year}〕17号",
    )
    services.supplier_listing_add(
        actor=chenzq,
        supplier=made[GREY],
        agency=root,
        kind="grey",
        reason="市民中心智能化改造项目两次逾期未完成整改，且拖欠分包单位工程款被投诉。",
        starts_on=today - dt.timedelta(days=20),
        ends_on=today - dt.timedelta(days=20) + dt.timedelta(days=180),
        deciding_authority="临江市机关事务管理局",
        deciding_document=f"临机事〔{today.year}〕21号",
    )
    # a refused award attempt, so 纪检监察's workbench shows what it looks like
    if projects:
        reason = services.supplier_award_problem(made[BLACK], on=today)
        if reason:
            services.supplier_award_refused_record(actor=liming, supplier=made[BLACK], project=projects[0], reason=reason)
    return f"{Supplier.objects.count()} 家供应商（1 家黑名单、1 家灰名单、1 家资质过期）"


register_demo_seeder(30, "供应商库", seed_suppliers)


# project name -> lots (name, category, amount, combinable, method chosen or "")
LOTS: dict[str, list[tuple[str, str, str, bool, str]]] = {
    "办公区综合布线及机房升级": [
        ("综合布线及机房装修施工", "works", "1300000", True, "competitive_consultation"),
        ("核心交换机及服务器采购", "goods", "1050000", True, "open_tender"),
        ("机房等级保护测评服务", "services", "150000", True, ""),
    ],
    "档案库房消防系统改造": [
        ("气体灭火系统施工", "works", "1650000", True, "competitive_consultation"),
    ],
}


def seed_lots() -> str:
    """Procurement plans of two demo projects past 立项, through the services."""
    from govworks.procurement.models import ProcurementLot
    from govworks.procurement.services import lots as lot_services

    if ProcurementLot.objects.exists():
        return "已存在，跳过"
    liming = User.objects.filter(username="liming").first()
    if liming is None:
        return "无演示人员，跳过"
    made = 0
    for name, rows in LOTS.items():
        project = Project.objects.filter(name=name).first()
        if project is None:
            continue
        for lot_name, category, amount, combinable, method in rows:
            lot = lot_services.lot_create(
                actor=liming,
                project=project,
                name=lot_name,
                category=category,
                estimated_amount=Decimal(amount),
                combinable=combinable,
            )
            made += 1
            if method:
                lot_services.lot_choose_method(actor=liming, lot=lot, method=method)
    return f"{made} 个采购标段"


register_demo_seeder(31, "采购计划", seed_lots)


CONTRACT_PROJECT = "档案库房消防系统改造"
# the party on site is the party of the contract: the company whose people report progress (临江建工, 马超)
CONTRACT_SUPPLIER = "临江建工集团有限公司"


def seed_contracts() -> str:
    """The signed main construction contract of the demo project in 施工 (after its collective decision),
    with its payment milestones, one approved change below 10% and one that takes the changes to 12%,
    waiting for the 重大变更审批 and a collective decision. Through the services."""
    from govworks.procurement.models import Contract, ProcurementLot
    from govworks.procurement.reference import seed_change_chains
    from govworks.procurement.services import contracts as contract_services
    from govworks.projects.models import ApprovalChainRule

    seed_change_chains(ApprovalChainRule)  # the test runner's flush empties what migration 0003 seeded
    from govworks.projects.demo import _decide
    from govworks.projects.services.approvals import approval_decide

    if Contract.objects.exists():
        return "已存在，跳过"
    users = {u.username: u for u in User.objects.filter(username__in=["liming", "chenzq", "zhaolx", "sungp", "liujing", "wuhy"])}
    project = Project.objects.filter(name=CONTRACT_PROJECT).select_related("agency").first()
    supplier = Supplier.objects.filter(name=CONTRACT_SUPPLIER).first()
    lot = ProcurementLot.objects.filter(project=project).exclude(method="").first() if project else None
    if len(users) < 6 or project is None or supplier is None or lot is None:
        return "无演示项目或供应商，跳过"
    liming, chenzq, zhaolx, sungp = users["liming"], users["chenzq"], users["zhaolx"], users["sungp"]
    board = [zhaolx, chenzq, users["liujing"], users["wuhy"]]
    today = timezone.localdate()
    amount = Decimal("1580000")
    contract = contract_services.contract_create(
        actor=liming,
        lot=lot,
        supplier=supplier,
        title=f"{project.name}施工合同",
        is_main_construction=True,
        amount=amount,
        pricing_type="unit_price",
        starts_on=today - dt.timedelta(days=20),
        ends_on=today + dt.timedelta(days=120),
        award_notice_on=today - dt.timedelta(days=28),
        performance_bond=Decimal("158000"),
        advance_ratio=Decimal("0.20"),
        progress_ratio=Decimal("0.85"),
        quality_deposit_ratio=Decimal("0.03"),
        defect_period_months=24,
        award_reference="竞争性磋商成交通知书 临机采〔2026〕12号",
        milestones=[
            {"kind": "advance", "ratio": Decimal("0.20"), "condition": "合同签订并提交预付款保函后14日内"},
            {"kind": "progress", "ratio": Decimal("0.85"), "condition": "按月计量，经监理审核后按已完工程价款的85%支付"},
            {"kind": "settlement", "condition": "竣工验收、结算审计完成后，付至结算价的97%"},
            {"kind": "retention_return", "ratio": Decimal("0.03"), "condition": "缺陷责任期（24个月）满且无质量问题"},
        ],
    )
    _decide(
        agency=project.agency,
        organizer=liming,
        chair=sungp,
        members=board,
        subject=contract,
        title=f"审议{contract.title}签订",
        category="large_fund",
        amount=amount,
        held_on=today - dt.timedelta(days=22),
        meeting_title="局党组会议（合同审议）",
    )
    contract = contract_services.contract_sign(actor=liming, contract=contract, signed_on=today - dt.timedelta(days=21))
    minor = contract_services.change_create(
        actor=liming,
        contract=contract,
        category="site_visa",
        reason="库房吊顶内原有桥架与气体管网冲突，现场调整管网走向并增加支吊架",
        responsibility="owner",
        amount=Decimal("79000"),
        supervisor_opinion="情况属实，工程量已现场核实",
        designer_opinion="同意调整走向",
    )
    minor = contract_services.change_submit(actor=liming, change=minor)
    from govworks.projects.models import ApprovalRequest

    request = ApprovalRequest.objects.get(kind=contract_services.CHANGE_MINOR_KIND, subject_id=minor.pk)
    for approver in (chenzq, zhaolx):
        request = approval_decide(actor=approver, request=request, approve=True, opinion="同意")
    contract_services.change_approve_finalize(actor=liming, change=minor)
    major = contract_services.change_create(
        actor=liming,
        contract=contract,
        category="design",
        reason="档案库房新增密集架区域，防护区扩大，须增设一组七氟丙烷灭火装置",
        responsibility="owner",
        amount=Decimal("110600"),
        supervisor_opinion="建议按设计变更通知单实施",
        designer_opinion="已出具设计变更通知单 XF-03",
    )
    contract_services.change_submit(actor=liming, change=major)
    return "1 份主体施工合同（已签订），2 项变更（1 项待重大变更审批及集体决策）"


register_demo_seeder(32, "合同与变更", seed_contracts)


TENDER_LOT = "核心交换机及服务器采购"


def seed_tenders() -> str:
    """An announced open tender (综合评分法) of the demo goods lot with two bids, sealed until its opening
    time three weeks ahead. Through the services."""
    from govworks.procurement.models import ProcurementLot, SupplierListing, Tender
    from govworks.procurement.services import tenders as tender_services

    if Tender.objects.exists():
        return "已存在，跳过"
    liming = User.objects.filter(username="liming").first()
    lot = ProcurementLot.objects.filter(name=TENDER_LOT, method="open_tender").select_related("project__agency").first()
    if liming is None or lot is None:
        return "无演示标段，跳过"
    suppliers = list(Supplier.objects.exclude(pk__in=SupplierListing.objects.values("supplier_id")).order_by("pk")[:2])
    today = timezone.localdate()
    opening = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=21), dt.time(9, 30)))
    tender = tender_services.tender_announce(
        actor=liming,
        lot=lot,
        announced_on=today - dt.timedelta(days=2),
        documents_issued_on=today - dt.timedelta(days=1),
        bid_deadline=opening,
        opening_at=opening,
        evaluation_method="comprehensive",
        speciality="smart",
        criteria=[
            {"code": "price", "name": "价格", "weight": 30, "kind": "price"},
            {"code": "tech", "name": "技术方案", "weight": 50, "kind": "technical"},
            {"code": "biz", "name": "商务及售后服务", "weight": 20, "kind": "commercial"},
        ],
    )
    if suppliers:
        # a third bidder that shares the first one's phone: the 围标串标 signal 纪检监察 should look at
        suppliers.append(
            services.supplier_create(
                actor=liming,
                agency=lot.project.agency,
                name="临江瑞丰智能科技有限公司",
                credit_code=credit_code("91", "331000", "MA2BHD001"),
                category=SupplierCategory.GOODS,
                legal_representative="韩立新",
                phone=suppliers[0].phone,
                address="临江市滨江区创业路18号",
            )
        )
    for supplier, amount in zip(suppliers, ("998000", "1012500", "1003800"), strict=False):
        tender_services.bid_record(
            actor=liming, tender=tender, supplier=supplier, amount=Decimal(amount), bond_amount=Decimal("20000")
        )
    return f"1 个招标（{len(suppliers)} 份投标，开标前密封；其中两家联系电话相同）"


register_demo_seeder(33, "招标", seed_tenders)
