"""Chinese names of the funds-and-payments module's audit actions, for the audit log viewer."""

from govworks.core.audit_labels import register_audit_actions

register_audit_actions(
    {
        "finance.completed_value.confirm": "确认完成产值",
        "finance.contract.allocate": "合同资金安排",
        "finance.cost_item.create": "新建成本科目",
        "finance.day_labour.confirm": "确认零星用工",
        "finance.day_labour.record": "登记零星用工",
        "finance.instruction.issue": "生成支付指令",
        "finance.instruction.paid": "国库支付成功",
        "finance.instruction.rejected": "国库退回支付指令",
        "finance.payment.approve": "审批付款申请",
        "finance.payment.create": "新建付款申请",
        "finance.payment.refused": "付款申请被拒绝",
        "finance.payment.submit": "提交付款申请",
        "finance.payment.withdraw": "撤回付款申请",
        "finance.receipt.record": "登记资金到位",
        "finance.source.create": "登记资金来源",
        "finance.treasury.import": "导入国库回单",
        "finance.wage_account.open": "开设农民工工资专户",
        "finance.wage_alert.raise": "工资支付预警",
        "finance.wage_deposit.record": "登记工资保证金",
        "finance.wage_transfer.record": "登记工资代发",
    }
)
