from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "govworks.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, pre_save

        from govworks.core import audit_exports, audit_keys, encryption, periodic  # noqa: F401  (registers jobs, exports, checks)
        from govworks.core.text_limits import text_lengths_guard

        post_migrate.connect(_guard_audit_table, sender=self)
        # every free-text field has a length limit, whichever way the text arrives (issue 12 item 9)
        pre_save.connect(text_lengths_guard, dispatch_uid="govworks.core.text_lengths")


def _guard_audit_table(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """After every migrate: the audit table's append-only triggers exist (see core.db.triggers)."""
    from django.db import connections

    from govworks.core.db.triggers import ensure_audit_guards

    ensure_audit_guards(connections[using])
