"""The rule parameters every agency starts with (DOMAIN.md §5): key, Chinese name, category, default, type,
unit, source and status. Plain data, importable by the pure ``rules`` modules, which name a rule to people by
:func:`rule_name` — never by its key (the key shows only on the rule-parameter pages and in tooltips).
``govworks.core.rule_parameters`` seeds the table from :data:`SEED` and reads values."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SeedParameter:
    key: str
    name: str
    category: str
    value: str
    value_type: str
    unit: str
    source: str
    status: str


AMT, PCT, INT, BOOL = "amount", "percent", "integer", "boolean"
_S16 = "国家发展改革委令第16号《必须招标的工程项目规定》(2018)"
_GP = "国办发〔2019〕55号《中央预算单位政府集中采购目录及标准（2020年版）》"
_BIDLAW = "《招标投标法》及其实施条例"
_PAY = "财建〔2004〕369号《建设工程价款结算暂行办法》"
_PAY22 = "财建〔2022〕183号《关于完善建设工程价款结算有关办法的通知》"
_QDEP = "建质〔2017〕138号《建设工程质量保证金管理办法》"
_DJBH = "等保2.0（GB/T 22239-2019）第三级测评实践"

SEED: list[SeedParameter] = [
    SeedParameter(
        "initiation.higher_review_min_amount",
        "政府常务会议/人大审议起点金额",
        "立项",
        "500000",
        AMT,
        "元",
        "种子文章：50万元以上项目须经政府常务会议或人大审议",
        "S",
    ),
    SeedParameter(
        "initiation.public_consultation_required",
        "重大民生项目征求公众意见",
        "立项",
        "true",
        BOOL,
        "",
        "种子文章：重大民生项目须征求公众意见",
        "S",
    ),
    SeedParameter(
        "tzyd.large_fund_min_amount",
        "三重一大大额资金起点",
        "三重一大",
        "300000",
        AMT,
        "元",
        "本单位三重一大制度实施办法（默认值，可按单位调整）",
        "D",
    ),
    SeedParameter(
        "tzyd.quorum_ratio",
        "决策会议法定到会比例",
        "三重一大",
        "66.67",
        PCT,
        "%",
        "各地三重一大实施办法通行做法：应到会成员三分之二以上",
        "M",
    ),
    SeedParameter(
        "initiation.joint_review_min_amount",
        "立项须联审的起点金额",
        "立项",
        "300000",
        AMT,
        "元",
        "本平台设计取值：财政、审计、纪检等部门联审",
        "D",
    ),
    SeedParameter(
        "lifecycle.feasibility_min_amount",
        "单独编制可研的起点金额",
        "立项",
        "1000000",
        AMT,
        "元",
        "参照各地政府投资项目审批简化规定（小额项目可研代建议书）",
        "D",
    ),
    SeedParameter(
        "lifecycle.prelim_design_min_amount",
        "单独初步设计概算的起点金额",
        "立项",
        "500000",
        AMT,
        "元",
        "参照各地政府投资项目审批简化规定（小额项目直接审核概算）",
        "D",
    ),
    SeedParameter(
        "expert_review.panel_min_size",
        "专家论证最少人数",
        "立项",
        "3",
        INT,
        "人",
        "参照住建部令第37号专家论证不少于5名的做法，小型项目取3名",
        "D",
    ),
    SeedParameter("approval.step_due_days", "审批环节办理时限", "审批", "3", INT, "个工作日", "本平台设计取值", "D"),
    SeedParameter(
        "tender.mandatory.construction", "施工单项合同必须招标金额", "招标采购", "4000000", AMT, "元", _S16 + "第五条", "V"
    ),
    SeedParameter(
        "tender.mandatory.goods", "重要设备材料单项合同必须招标金额", "招标采购", "2000000", AMT, "元", _S16 + "第五条", "V"
    ),
    SeedParameter(
        "tender.mandatory.services",
        "勘察设计监理等服务单项合同必须招标金额",
        "招标采购",
        "1000000",
        AMT,
        "元",
        _S16 + "第五条",
        "V",
    ),
    SeedParameter(
        "tender.mandatory.state_funds", "使用预算资金必须招标的资金额", "招标采购", "2000000", AMT, "元", _S16 + "第二条", "V"
    ),
    SeedParameter(
        "tender.mandatory.state_funds_ratio", "使用预算资金必须招标的资金占比", "招标采购", "10", PCT, "%", _S16 + "第二条", "V"
    ),
    SeedParameter("gp.decentralized_limit.goods_services", "货物服务分散采购限额", "招标采购", "1000000", AMT, "元", _GP, "V"),
    SeedParameter("gp.decentralized_limit.works", "工程分散采购限额", "招标采购", "1200000", AMT, "元", _GP, "V"),
    SeedParameter("gp.open_tender.goods_services", "货物服务公开招标数额标准", "招标采购", "2000000", AMT, "元", _GP, "V"),
    SeedParameter(
        "bid.tender_period_min_days",
        "招标文件发出至投标截止最短天数",
        "招标采购",
        "20",
        INT,
        "天",
        "《招标投标法》第二十四条",
        "M",
    ),
    SeedParameter("bid.candidate_publicity_min_days", "中标候选人公示最短天数", "招标采购", "3", INT, "天", _BIDLAW, "V"),
    SeedParameter(
        "bid.contract_sign_max_days",
        "中标通知书发出后签订合同最长天数",
        "招标采购",
        "30",
        INT,
        "天",
        "《招标投标法》第四十六条",
        "M",
    ),
    SeedParameter("bid.bid_bond_max_ratio", "投标保证金上限", "招标采购", "2", PCT, "%", _BIDLAW + "第二十六条", "V"),
    SeedParameter("bid.performance_bond_max_ratio", "履约保证金上限", "招标采购", "10", PCT, "%", _BIDLAW + "第五十八条", "V"),
    SeedParameter(
        "single_source.addon_max_ratio",
        "单一来源添购上限（占原合同）",
        "招标采购",
        "10",
        PCT,
        "%",
        "《政府采购法》第三十一条",
        "V",
    ),
    SeedParameter("pay.advance_min_ratio", "预付款比例下限", "价款支付", "10", PCT, "%", _PAY + "第十二条", "V"),
    SeedParameter("pay.advance_max_ratio", "预付款比例上限", "价款支付", "30", PCT, "%", _PAY + "第十二条", "V"),
    SeedParameter("pay.progress_min_ratio", "进度款支付比例下限（已完工程价款）", "价款支付", "80", PCT, "%", _PAY22, "V"),
    SeedParameter(
        "pay.progress_max_ratio", "结算前进度款支付比例上限", "价款支付", "97", PCT, "%", _PAY22 + "（扣留不超过3%质保金）", "V"
    ),
    SeedParameter("qdep.max_ratio", "质量保证金预留比例上限", "价款支付", "3", PCT, "%", _QDEP + "第七条", "V"),
    SeedParameter("qdep.defect_period_default_months", "缺陷责任期（默认）", "价款支付", "12", INT, "月", _QDEP + "第二条", "V"),
    SeedParameter("qdep.defect_period_max_months", "缺陷责任期（最长）", "价款支付", "24", INT, "月", _QDEP + "第二条", "V"),
    SeedParameter(
        "change.reapproval_cumulative_ratio",
        "累计变更需重新审批比例",
        "变更",
        "10",
        PCT,
        "%",
        "地方政府投资项目变更管理办法（通行做法）",
        "V",
    ),
    SeedParameter(
        "change.estimate_overrun_ratio", "超概算需重新报批比例", "变更", "10", PCT, "%", "《政府投资条例》及概算管理规定", "V"
    ),
    SeedParameter(
        "contract.lot_estimate_overrun_ratio",
        "合同金额超出标段估算需报批比例",
        "合同",
        "10",
        PCT,
        "%",
        "《政府采购法实施条例》第十一条（按采购预算执行）、财政部令第87号第六十三条（报价超过采购预算的投标无效）；"
        "比例为单位内控通行做法，与累计变更需重新审批比例一致",
        "D",
    ),
    SeedParameter("settle.review_days.below_5m", "结算审查时限（500万元以下）", "结算", "20", INT, "天", _PAY + "第十四条", "V"),
    SeedParameter(
        "settle.review_days.below_20m", "结算审查时限（500万–2000万元）", "结算", "30", INT, "天", _PAY + "第十四条", "V"
    ),
    SeedParameter(
        "settle.review_days.below_50m", "结算审查时限（2000万–5000万元）", "结算", "45", INT, "天", _PAY + "第十四条", "V"
    ),
    SeedParameter("settle.review_days.from_50m", "结算审查时限（5000万元以上）", "结算", "60", INT, "天", _PAY + "第十四条", "V"),
    SeedParameter(
        "final_accounts.deadline_months", "竣工财务决算编报期限", "决算", "3", INT, "月", "财建〔2016〕503号 第二条", "V"
    ),
    SeedParameter(
        "final_accounts.extension_small_months",
        "决算延长上限（中小型项目）",
        "决算",
        "2",
        INT,
        "月",
        "财建〔2016〕503号 第二条",
        "V",
    ),
    SeedParameter(
        "final_accounts.extension_large_months",
        "决算延长上限（大型项目）",
        "决算",
        "6",
        INT,
        "月",
        "财建〔2016〕503号 第二条",
        "V",
    ),
    SeedParameter(
        "archive.transfer_deadline_months",
        "竣工验收后档案移交期限",
        "档案",
        "3",
        INT,
        "月",
        "GB/T 50328-2014 及地方城建档案管理规定",
        "V",
    ),
    SeedParameter(
        "wage.labour_cost_transfer_cycle_days",
        "人工费用拨付周期上限",
        "农民工工资",
        "31",
        INT,
        "天",
        "《保障农民工工资支付条例》第二十四条（按月拨付）",
        "V",
    ),
    SeedParameter(
        "light.yellow_lag_points",
        "黄灯：进度滞后百分点",
        "红黄绿灯",
        "10",
        INT,
        "个百分点",
        "种子文章：红黄绿灯进度管理法（地方通行做法）",
        "V",
    ),
    SeedParameter(
        "light.red_lag_points",
        "红灯：进度滞后百分点",
        "红黄绿灯",
        "30",
        INT,
        "个百分点",
        "种子文章：红黄绿灯进度管理法（地方通行做法）",
        "V",
    ),
    SeedParameter("light.yellow_overdue_days", "黄灯：节点逾期天数", "红黄绿灯", "1", INT, "天", "地方通行做法", "V"),
    SeedParameter("light.red_overdue_days", "红灯：节点逾期天数", "红黄绿灯", "15", INT, "天", "地方通行做法", "V"),
    SeedParameter("daily_report.missing_alert_days", "现场日报缺报预警天数", "现场管理", "2", INT, "天", "设计取值", "D"),
    SeedParameter("rectification.default_deadline_days", "整改默认期限", "现场管理", "7", INT, "天", "设计取值", "D"),
    SeedParameter("rectification.escalate_after_overdue_days", "整改逾期升级天数", "现场管理", "3", INT, "天", "设计取值", "D"),
    SeedParameter(
        "random_inspection.inspectors_per_draw",
        "双随机每次抽取检查人员数（不少于）",
        "监督",
        "2",
        INT,
        "人",
        "国办发〔2015〕58号 双随机一公开",
        "V",
    ),
    SeedParameter(
        "random_inspection.publish_within_days",
        "抽查结果公示期限",
        "监督",
        "20",
        INT,
        "个工作日",
        "国办发〔2015〕58号 双随机一公开",
        "V",
    ),
    SeedParameter("perf.grade_excellent_min", "绩效等级“优”最低分", "绩效评价", "90", INT, "分", "财预〔2020〕10号", "S"),
    SeedParameter("perf.grade_good_min", "绩效等级“良”最低分", "绩效评价", "80", INT, "分", "财预〔2020〕10号", "S"),
    SeedParameter("perf.grade_fair_min", "绩效等级“中”最低分", "绩效评价", "60", INT, "分", "财预〔2020〕10号", "S"),
    SeedParameter(
        "perf.weight_decision", "绩效权重：决策", "绩效评价", "20", INT, "分", "财预〔2020〕10号（产出+效益不低于60）", "D"
    ),
    SeedParameter("perf.weight_process", "绩效权重：过程", "绩效评价", "20", INT, "分", "财预〔2020〕10号", "D"),
    SeedParameter("perf.weight_output", "绩效权重：产出", "绩效评价", "30", INT, "分", "财预〔2020〕10号", "D"),
    SeedParameter("perf.weight_effect", "绩效权重：效益", "绩效评价", "30", INT, "分", "财预〔2020〕10号", "D"),
    SeedParameter("security.password_min_length", "密码最小长度", "安全", "8", INT, "位", _DJBH, "S"),
    SeedParameter("security.password_min_classes", "密码最少字符类别", "安全", "3", INT, "类", _DJBH, "S"),
    SeedParameter("security.lockout_failures", "连续登录失败锁定次数", "安全", "5", INT, "次", _DJBH, "S"),
    SeedParameter("security.idle_timeout_minutes", "会话空闲超时", "安全", "30", INT, "分钟", _DJBH, "S"),
    SeedParameter(
        "security.log_retention_days",
        "日志保存期限（不少于）",
        "安全",
        "180",
        INT,
        "天",
        "《网络安全法》第二十一条（不少于六个月）",
        "S",
    ),
    SeedParameter(
        "security.lockout_minutes", "管理员账号锁定自动解除时间", "安全", "30", INT, "分钟", _DJBH + "（锁定10–30分钟）", "S"
    ),
    SeedParameter(
        "security.account_code_hours", "激活码/重置码有效期", "安全", "24", INT, "小时", "本平台设计值（密封单当面交付）", "D"
    ),
    SeedParameter(
        "security.signin_limit_per_ip", "同一地址10分钟内登录尝试上限", "安全", "60", INT, "次", "本平台设计值（应用内限流）", "D"
    ),
    SeedParameter(
        "security.signin_limit_per_account",
        "同一账号10分钟内登录尝试上限",
        "安全",
        "10",
        INT,
        "次",
        "本平台设计值（应用内限流）",
        "D",
    ),
    SeedParameter(
        "security.mfa_required_business",
        "业务人员须启用双因素认证",
        "安全",
        "false",
        BOOL,
        "",
        "GB/T 22239-2019 L3-CES1-04（三员始终强制；业务人员按本参数）",
        "V",
    ),
    SeedParameter(
        "final_accounts.large_project_min_amount",
        "决算延期：大型项目起点（批复概算）",
        "决算",
        "50000000",
        AMT,
        "元",
        "财建〔2016〕503号第二条区分大型与中小型项目但未给出金额；按基本建设大中型项目5000万元划分，含本数为大型",
        "D",
    ),
    SeedParameter(
        "settle.low_bid_high_settlement_ratio",
        "低价中标高价结算预警比例",
        "结算",
        "20",
        PCT,
        "%",
        "结算审定金额高出中标价超过该比例即向纪检监察提示“低价中标、高价结算”风险（地方审计通行做法）",
        "D",
    ),
    SeedParameter(
        "acceptance.filing_deadline_days",
        "竣工验收备案期限",
        "竣工验收",
        "15",
        INT,
        "天",
        "《房屋建筑和市政基础设施工程竣工验收备案管理办法》第四条（自竣工验收合格之日起15日内）",
        "V",
    ),
    SeedParameter(
        "wage.deposit_return_publicity_days",
        "工资保证金返还前公示期",
        "农民工工资",
        "30",
        INT,
        "天",
        "《工资保证金管理暂行办法》（人社部发〔2021〕65号）：工程完工、承诺无拖欠并公示30日后可申请返还",
        "S",
    ),
    SeedParameter(
        "complaint.accept_working_days",
        "投诉举报受理期限",
        "投诉举报",
        "5",
        INT,
        "工作日",
        "《纪检监察机关处理检举控告工作规则》（2020）：收到检举控告后及时登记、分流（本部署取5个工作日）",
        "D",
    ),
    SeedParameter(
        "complaint.reply_working_days",
        "投诉举报答复期限",
        "投诉举报",
        "30",
        INT,
        "工作日",
        "《信访工作条例》（2022）第三十二条：自受理之日起60日内办结（本部署对实名举报答复取30个工作日）",
        "D",
    ),
    SeedParameter(
        "complaint.hourly_limit_per_source",
        "同一来源每小时提交举报上限",
        "投诉举报",
        "5",
        INT,
        "件",
        "防止滥用的访问频率限制（本部署默认）",
        "D",
    ),
    SeedParameter("perf.output_effect_min", "产出、效益指标权重合计下限", "绩效评价", "60", INT, "分", "财预〔2020〕10号", "M"),
    # detect (issue 14: risk signals of construction and finance)
    SeedParameter(
        "daily_report.missing_signal_working_days",
        "施工日志缺报风险提示工作日数",
        "现场管理",
        "3",
        INT,
        "工作日",
        "设计取值：施工阶段项目连续缺报现场日报达到该工作日数即向纪检监察提示（现场管理的缺报预警按自然日先提醒项目负责人）",
        "D",
    ),
    # 双随机一公开 (draws): the cap on the ratio of a 一般检查事项 (重点事项 are not capped)
    SeedParameter(
        "random_inspection.general_ratio_max",
        "双随机一般检查事项抽查比例上限",
        "监督",
        "20",
        PCT,
        "%",
        "市场监管总局 全面推进双随机一公开：一般检查事项抽查比例严格限制，重点事项不设上限（本部署取20%）",
        "D",
    ),
    # ---- 案件办理 (integrity cases)
    SeedParameter(
        "case.rectification_working_days",
        "案件整改默认期限",
        "案件办理",
        "15",
        INT,
        "工作日",
        "纪检监察建议整改一般限期办理（本部署默认15个工作日，承办人可另定期限）",
        "D",
    ),
    SeedParameter(
        "case.rectification_max_working_days",
        "案件整改最长期限",
        "案件办理",
        "60",
        INT,
        "工作日",
        "整改期限不宜过长（本部署默认最长60个工作日）",
        "D",
    ),
    SeedParameter(
        "case.due_soon_working_days",
        "案件整改临期提醒",
        "案件办理",
        "3",
        INT,
        "工作日",
        "整改期限前若干个工作日在工作台提醒承办人（本部署默认）",
        "D",
    ),
    # --- escalation (issue 15 item 4): overdue items move up the leader chain
    SeedParameter(
        "escalation.first_level_working_days",
        "逾期升级：报直接上级的逾期工作日",
        "督办",
        "2",
        INT,
        "个工作日",
        "本平台设计取值：逾期满此数的事项出现在责任人上级（科室负责人）的工作台",
        "D",
    ),
    SeedParameter(
        "escalation.next_level_working_days",
        "逾期升级：再报上一级的间隔工作日",
        "督办",
        "3",
        INT,
        "个工作日",
        "本平台设计取值：此后每再逾期此数，升级至再上一级（分管领导、主要领导）",
        "D",
    ),
    # 竣工收尾（issue 13 close-out leftovers）: the notice to the quality supervision body before the acceptance
    SeedParameter(
        "acceptance.supervision_notice_working_days",
        "竣工验收提前书面通知质量监督机构",
        "竣工验收",
        "7",
        INT,
        "工作日",
        "《房屋建筑和市政基础设施工程竣工验收规定》（建质〔2013〕171号）第六条（三）：建设单位应当在工程竣工验收"
        "7个工作日前将验收的时间、地点及验收组名单书面通知负责监督该工程的工程质量监督机构",
        "V",
    ),
    # 投诉举报 (review): the reporter's progress query, limited per source like the submission
    SeedParameter(
        "complaint.query_hourly_limit_per_source",
        "同一来源每小时查询举报进度上限",
        "投诉举报",
        "20",
        INT,
        "次",
        "防止猜测查询码和查询密码的访问频率限制（本部署默认）",
        "D",
    ),
]


_NAMES: dict[str, str] = {p.key: p.name for p in SEED}


def rule_name(key: str) -> str:
    """The Chinese name of rule parameter ``key`` (“红灯：进度滞后百分点”); the key itself when it is unknown."""
    return _NAMES.get(key, key)
