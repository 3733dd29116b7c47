"""Chinese names of the procurement-and-contracts module's audit actions, for the audit log viewer."""

from govworks.core.audit_labels import register_audit_actions

register_audit_actions(
    {
        "procurement.contract.overrun_submit": "合同金额超出标段估算报批",
        "procurement.integrity_signal.update": "更新廉政风险信号",
        "procurement.change.approve": "审批合同变更",
        "procurement.change.create": "登记合同变更",
        "procurement.change.submit": "提交合同变更",
        "procurement.contract.create": "起草合同",
        "procurement.contract.milestones": "设置付款节点",
        "procurement.contract.sign": "签订合同",
        "procurement.integrity_signal": "廉政风险信号",
        "procurement.legal_exception.record": "登记法定例外",
        "procurement.lot.create": "新建标段",
        "procurement.lot.method": "确定采购方式",
        "procurement.lot.update": "修改标段",
        "procurement.supplier.bank_account_add": "登记供应商银行账户",
        "procurement.supplier.contact_add": "登记供应商联系人",
        "procurement.supplier.create": "登记供应商",
        "procurement.supplier.evaluate": "履约评价",
        "procurement.supplier.list": "列入灰名单或黑名单",
        "procurement.supplier.qualification_add": "登记供应商资质",
        "procurement.supplier.unlist": "移出灰名单或黑名单",
        "procurement.supplier.update": "修改供应商",
        "procurement.supplier.award_refused": "授予被拒（黑名单或资质过期）",
        "procurement.tender.announce": "发布招标公告",
        "procurement.tender.award": "确定中标人",
        "procurement.tender.bid": "登记投标",
        "procurement.tender.evaluate": "评标",
        "procurement.tender.open": "开标",
        "procurement.tender.publicity": "中标候选人公示",
        "procurement.tender.score": "评标打分",
    }
)
