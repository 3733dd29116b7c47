from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "govworks.procurement"
    label = "procurement"
    verbose_name = "招标采购与合同"

    def ready(self) -> None:
        from govworks.procurement import demo, navigation, panels, permissions  # noqa: F401  (registers actions, menus, panels, exports, demo)
        from govworks.procurement.services import contracts, tenders  # noqa: F401  (register the 合同 and 招标采购 gate conditions)
