"""Chinese names of the audit actions of 双随机一公开, for the audit log viewer."""

from govworks.core.audit_labels import register_audit_actions

register_audit_actions(
    {
        "integrity.inspection_item.create": "新增随机抽查事项",
        "integrity.inspection_item.toggle": "启用/停用随机抽查事项",
        "integrity.inspector.add": "执法检查人员入库",
        "integrity.inspector.toggle": "执法检查人员出库/恢复入库",
        "integrity.inspection_plan.create": "制定抽查计划",
        "integrity.inspection.draw": "双随机抽取",
        "integrity.inspection.redraw": "双随机重新抽取",
        "integrity.inspection_result.enter": "录入并公示抽查结果",
    }
)
