from importlib import import_module

from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "govworks.projects"
    label = "projects"
    verbose_name = "项目全生命周期"

    def ready(self) -> None:
        from govworks.projects import audit_labels, decision_subjects, demo, navigation, permissions  # noqa: F401  (registers actions, menus, work items, demo, audit labels)

        import_module("govworks.projects.signals")  # risk-signal kinds for the risk centre (core.risk)
        decision_subjects.register()  # the objects its services demand a 三重一大 decision on
