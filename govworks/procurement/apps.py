from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "govworks.procurement"
    label = "procurement"
    verbose_name = "招标采购与合同"

    def ready(self) -> None:
        import importlib

        for module in ("permissions", "navigation", "demo"):  # registered as they are written
            try:
                importlib.import_module(f"govworks.procurement.{module}")
            except ModuleNotFoundError as exc:
                if exc.name != f"govworks.procurement.{module}":
                    raise
