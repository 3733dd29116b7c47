"""Chinese names of the construction-supervision module's audit actions, for the audit log viewer."""

from govworks.core.audit_labels import register_audit_actions

register_audit_actions(
    {
        "construction.daily.photos_stage": "暂存现场照片",
        "construction.action.done": "完成督办事项",
        "construction.baseline.set": "锁定进度基线",
        "construction.daily.submit": "提交施工日报",
        "construction.diary.record": "登记监理日志",
        "construction.freeze.impose": "冻结付款",
        "construction.freeze.release": "解除付款冻结",
        "construction.incident.register": "登记安全质量事件",
        "construction.inspection.record": "登记检查",
        "construction.interview.hold": "进行约谈",
        "construction.interview.open": "发起约谈",
        "construction.light.change": "红黄绿灯变化",
        "construction.meeting.record": "登记工地例会",
        "construction.notice.escalate": "整改通知升级",
        "construction.notice.issue": "下发整改通知",
        "construction.notice.reply": "回复整改通知",
        "construction.notice.verify": "复查整改",
        "construction.progress.confirm": "确认进度",
        "construction.progress.report": "上报进度",
        "construction.progress.reject": "退回进度",
        "construction.recovery.submit": "提交赶工计划",
        "construction.site.configure": "设置工地",
        "construction.task.create": "新建进度任务",
        "construction.task.revise": "修改进度任务",
    }
)
