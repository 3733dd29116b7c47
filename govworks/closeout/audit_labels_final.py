"""Chinese names of the final-accounts and asset-handover audit actions, for the audit log viewer."""

from govworks.core.audit_labels import register_audit_actions

register_audit_actions(
    {
        "closeout.final_accounts.start": "开始编制竣工财务决算",
        "closeout.final_accounts.refresh": "重算决算合同费用",
        "closeout.final_accounts.other_cost": "登记工程建设其他费用",
        "closeout.final_accounts.other_cost_remove": "删除工程建设其他费用",
        "closeout.final_accounts.document": "登记决算报送资料",
        "closeout.final_accounts.surplus_return": "登记结余资金缴回",
        "closeout.final_accounts.extension_request": "申请竣工决算延期",
        "closeout.final_accounts.extension_grant": "批准竣工决算延期",
        "closeout.final_accounts.extension_refuse": "不批准竣工决算延期",
        "closeout.final_accounts.submit": "提交竣工财务决算审批",
        "closeout.final_accounts.file_report": "归档竣工财务决算报告",
        "closeout.asset.start": "编制交付使用资产清单",
        "closeout.asset.card_update": "修改资产卡片",
        "closeout.asset.card_split": "拆分资产卡片",
        "closeout.asset.submit": "提交交付使用资产清单",
        "closeout.asset.confirm": "使用部门确认接收资产",
        "closeout.asset.return": "使用部门退回资产清单",
        "closeout.asset.file_list": "归档交付使用资产清单",
    }
)
