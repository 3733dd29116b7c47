"""Reading payment freezes: the one question finance asks before it commits or pays money."""

from __future__ import annotations

from govworks.construction.models import PaymentFreeze


def active_payment_freeze(project_id: int) -> PaymentFreeze | None:
    """The project's payment freeze that is still in force, or None. Call it inside the transaction that
    moves the money (after locking the rows the payment counts against) so a freeze imposed meanwhile is seen."""
    return PaymentFreeze.objects.filter(project_id=project_id, released_at__isnull=True).first()
