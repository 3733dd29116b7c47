from importlib import import_module

from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "govworks.org"
    label = "org"
    verbose_name = "组织与权限"

    def ready(self) -> None:
        from govworks.core.access import register_access_policy
        from govworks.org import audit_labels, demo, escalation, navigation, permissions, security  # noqa: F401  (registers receivers, menus, demo)

        import_module("govworks.org.signals")  # risk-signal kinds for the risk centre (core.risk)
        register_access_policy(permissions)  # type: ignore[arg-type]
