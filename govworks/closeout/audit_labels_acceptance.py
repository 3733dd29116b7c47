"""Chinese names of the acceptance and defect-period audit actions, for the audit log viewer."""

from govworks.core.audit_labels import register_audit_actions

register_audit_actions(
    {
        "closeout.acceptance.archive_pre": "登记城建档案预验收",
        "closeout.acceptance.conclude": "登记竣工验收结论",
        "closeout.acceptance.declare": "施工单位申报竣工",
        "closeout.acceptance.file": "登记竣工验收备案",
        "closeout.acceptance.opinion": "签署竣工验收意见",
        "closeout.acceptance.organise": "组织竣工验收",
        "closeout.acceptance.problem": "竣工验收发现问题",
        "closeout.acceptance.supervision_notice": "登记通知质量监督机构",
        "closeout.defect.report": "缺陷责任期报修",
        "closeout.defect_period.start": "缺陷责任期起算",
        "closeout.deposit.prepare": "核定质量保证金返还",
        "closeout.deposit.request": "质量保证金返还申请付款",
        "closeout.wage_deposit.publicise": "工资保证金返还公示",
        "closeout.wage_deposit.return": "工资保证金返还",
    }
)
