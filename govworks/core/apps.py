from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "govworks.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from govworks.core import audit_exports, periodic  # noqa: F401  (registers the kernel's jobs and exports)
