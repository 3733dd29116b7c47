from django.apps import AppConfig


class ConstructionConfig(AppConfig):
    name = "govworks.construction"
    label = "construction"
    verbose_name = "施工监管"

    def ready(self) -> None:
        import govworks.construction.signals  # noqa: F401  (registers the risk-signal kinds: 整改逾期, 施工日志缺报, 照片时间/地点异常)
        from govworks.construction import audit_labels, demo, gates, navigation, panels, parties, periodic, permissions  # noqa: F401  (registers actions, menus, workbench, panels, gate, jobs, demo, audit labels, the parties the expert draw avoids)
