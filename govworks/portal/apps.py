from importlib import import_module

from django.apps import AppConfig

#: the modules that register this app's audit labels, jobs and demo seeders
REGISTERING_MODULES: tuple[str, ...] = ("govworks.portal.registrations_gongshi",)


class PortalConfig(AppConfig):
    name = "govworks.portal"
    label = "portal"
    verbose_name = "阳光公示"

    def ready(self) -> None:
        for module in REGISTERING_MODULES:
            import_module(module)
