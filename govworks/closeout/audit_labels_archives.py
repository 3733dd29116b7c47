"""Chinese names of the archive and review actions, for the audit log viewer."""

from govworks.core.audit_labels import register_audit_actions

register_audit_actions(
    {
        "closeout.archive_catalogue.save": "维护档案归档目录",
        "closeout.archive_item.verify": "核验工程档案条目",
        "closeout.archive_item.upload": "补充上传工程档案",
        "closeout.archive.transfer": "档案移交城建档案馆",
        "closeout.archive.export": "导出工程档案包",
        "closeout.review.save": "撰写复盘报告",
        "closeout.review.submit": "提交复盘报告",
        "closeout.review.approve": "审阅复盘报告",
        "closeout.review.return": "退回复盘报告",
        "closeout.lesson.add": "记录经验教训",
    }
)
