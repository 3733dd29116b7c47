"""Chinese names of the plans-and-projects module's audit actions, for the audit log viewer."""

from govworks.core.audit_labels import register_audit_actions

register_audit_actions(
    {
        "projects.approval.sod_refused": "违反职责分离的审批尝试被拒",
        "projects.expert_review.redraw": "重新抽取论证专家",
        "projects.agenda.add": "添加会议议题",
        "projects.agenda.opinion": "发表议题意见",
        "projects.approval.submit": "提交审批",
        "projects.delegation.create": "设置审批委托",
        "projects.document.upload": "上传项目文件",
        "projects.expert.create": "登记专家",
        "projects.expert_review.conclude": "专家论证结论",
        "projects.expert_review.draw": "随机抽取专家",
        "projects.expert_review.opinion": "专家发表意见",
        "projects.higher_review.record": "登记上级审议",
        "projects.joint_review.conclude": "联审结论",
        "projects.joint_review.opinion": "联审部门意见",
        "projects.joint_review.request": "发起联审",
        "projects.meeting.attendance": "登记会议出席",
        "projects.meeting.create": "新建集体决策会议",
        "projects.meeting.minutes": "登记会议纪要",
        "projects.plan.create": "新建年度计划",
        "projects.plan.decided": "年度计划会议决定",
        "projects.plan.file": "年度计划报上级备案",
        "projects.plan.import": "导入年度计划",
        "projects.plan.item_add": "添加计划项目",
        "projects.plan.item_remove": "删除计划项目",
        "projects.plan.return": "退回年度计划",
        "projects.plan.revise": "修订年度计划",
        "projects.plan.submit": "提交年度计划",
        "projects.project.advance": "项目进入下一阶段",
        "projects.project.amounts": "修改项目金额",
        "projects.project.create": "由计划新建项目",
        "projects.project.create_outside_plan": "计划外新建项目",
        "projects.project.import_at_stage": "按阶段导入存量项目",
        "projects.project.resume": "恢复项目",
        "projects.project.suspend": "暂停项目",
        "projects.responsibility.assign": "指定阶段责任人",
    }
)
