from importlib import import_module

from django.apps import AppConfig

#: the modules that register this app's menus, workbench items, signal sink, audit labels, jobs and demo seeders
#: (one line per area; each imports only for its registrations)
REGISTERING_MODULES: tuple[str, ...] = (
    "govworks.integrity.navigation",
    "govworks.integrity.registrations_inspections",
    "govworks.integrity.registrations_cases",
    "govworks.integrity.registrations_alerts",
    "govworks.integrity.registrations_complaints",
)


class IntegrityConfig(AppConfig):
    name = "govworks.integrity"
    label = "integrity"
    verbose_name = "廉政监督"

    def ready(self) -> None:
        for module in REGISTERING_MODULES:
            import_module(module)
