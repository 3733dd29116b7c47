from importlib import import_module

from django.apps import AppConfig

#: the modules that register this app's menus, workbench items, gates, panels, audit labels, jobs and demo seeders
#: (one line per area; each imports only for its registrations)
REGISTERING_MODULES: tuple[str, ...] = (
    "govworks.closeout.navigation",
    "govworks.closeout.registrations_final",
    "govworks.closeout.registrations_archives",
    "govworks.closeout.registrations_settlement",
    "govworks.closeout.registrations_acceptance",
    "govworks.closeout.registrations_evaluation",
    "govworks.closeout.demo_walk",
)


class CloseoutConfig(AppConfig):
    name = "govworks.closeout"
    label = "closeout"
    verbose_name = "竣工收尾"

    def ready(self) -> None:
        for module in REGISTERING_MODULES:
            import_module(module)
