"""Chinese names of the performance evaluation's audit actions, for the audit log viewer."""

from govworks.core.audit_labels import register_audit_actions

register_audit_actions(
    {
        "closeout.evaluation.approve": "绩效评价评定",
        "closeout.evaluation.fill": "绩效自评指标评分",
        "closeout.evaluation.refresh": "绩效评价重新取数",
        "closeout.evaluation.return": "绩效评价退回修改",
        "closeout.evaluation.start": "发起绩效评价",
        "closeout.evaluation.submit": "提交绩效自评",
        "closeout.evaluation_template.copy": "复制绩效评价模板",
        "closeout.evaluation_template.update": "修改绩效评价模板",
    }
)
