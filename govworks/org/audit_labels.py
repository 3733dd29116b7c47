"""Chinese names of the organisation module's audit actions, for the audit log viewer."""

from govworks.core.audit_labels import register_audit_actions

register_audit_actions(
    {
        "org.agency.create": "新建单位",
        "org.agency.update": "修改单位",
        "org.department.create": "新建科室",
        "org.department.update": "修改科室",
        "org.external_org.create": "登记外部单位",
        "org.external_org.update": "修改外部单位",
        "org.pledge.record": "登记廉政承诺书",
        "org.position.create": "新建岗位",
        "org.position.update": "修改岗位",
        "org.role.grant": "授予角色",
        "org.role.revoke": "撤销角色",
        "org.user.create": "新建账号",
        "org.user.update": "修改账号",
        "org.user.password_reset": "重置密码",
    }
)
