"""Chinese names of 阳光公示's audit actions."""

from govworks.core.audit_labels import register_audit_actions

register_audit_actions({"portal.withdraw": "撤回阳光公示"})
