from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "govworks.finance"
    label = "finance"
    verbose_name = "资金管理"

    def ready(self) -> None:
        import govworks.finance.signals  # noqa: F401  (registers the risk-signal kinds: 付款超进度, 冻结期间申请付款被拒, 红灯期间付款)
        from govworks.finance import audit_labels, decision_subjects, demo, gates, navigation, panels, permissions  # noqa: F401  (registers actions, menus, panels, exports, jobs, demo, the 结算 gate, audit labels)
        from govworks.finance.services import payments  # noqa: F401  (registers the 付款审批 kind and its submit action)

        decision_subjects.register()  # the objects its services demand a 三重一大 decision on
