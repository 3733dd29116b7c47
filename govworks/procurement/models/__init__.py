"""Models of procurement, one module per aggregate."""

from govworks.procurement.models.suppliers import (
    PerformanceEvaluation,
    Qualification,
    Supplier,
    SupplierBankAccount,
    SupplierCategory,
    SupplierContact,
    SupplierListing,
)

__all__ = [
    "PerformanceEvaluation",
    "Qualification",
    "Supplier",
    "SupplierBankAccount",
    "SupplierCategory",
    "SupplierContact",
    "SupplierListing",
]
