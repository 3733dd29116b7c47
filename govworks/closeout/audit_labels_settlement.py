"""Chinese names of the settlement audit's actions, for the audit log viewer."""

from govworks.core.audit_labels import register_audit_actions

register_audit_actions(
    {
        "closeout.audit_firm.activate": "审计机构恢复入库",
        "closeout.audit_firm.create": "审计机构入库",
        "closeout.audit_firm.deactivate": "审计机构出库",
        "closeout.settlement.approve": "审批结算",
        "closeout.settlement.confirm": "施工单位确认结算审定结果",
        "closeout.settlement.dispute": "施工单位对结算审定结果提出异议",
        "closeout.settlement.draw": "随机抽取结算审计机构",
        "closeout.settlement.result": "登记结算审定结果",
        "closeout.settlement.submit": "提交结算书",
    }
)
