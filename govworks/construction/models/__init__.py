"""Models of construction supervision, one module per aggregate."""

from govworks.construction.models.freezes import PaymentFreeze

__all__ = ["PaymentFreeze"]
