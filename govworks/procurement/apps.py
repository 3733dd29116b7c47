from importlib import import_module

from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "govworks.procurement"
    label = "procurement"
    verbose_name = "招标采购与合同"

    def ready(self) -> None:
        from govworks.procurement import audit_labels, decision_subjects, demo, navigation, panels, permissions  # noqa: F401  (registers actions, menus, panels, exports, demo, audit labels)
        from govworks.procurement.services import contracts, integrity, tenders  # noqa: F401  (gate conditions of 合同 and 招标采购; the daily integrity scan)

        import_module("govworks.procurement.signals")  # risk-signal kinds for the risk centre (core.risk)
        decision_subjects.register()  # the objects its services demand a 三重一大 decision on
