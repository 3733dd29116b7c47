from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "govworks.projects"
    label = "projects"
    verbose_name = "项目全生命周期"

    def ready(self) -> None:
        from govworks.projects import audit_labels, demo, navigation, permissions  # noqa: F401  (registers actions, menus, work items, demo)
