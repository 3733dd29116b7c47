from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "govworks.org"
    label = "org"
    verbose_name = "组织与权限"

    def ready(self) -> None:
        from govworks.core.access import register_access_policy
        from govworks.org import audit_labels, demo, navigation, permissions, security  # noqa: F401  (registers receivers, menus, demo)

        from govworks.org import signals  # noqa: F401  (risk-signal kinds for the risk centre)

        register_access_policy(permissions)  # type: ignore[arg-type]
