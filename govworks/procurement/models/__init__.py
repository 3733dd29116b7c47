"""Models of procurement, one module per aggregate."""

from govworks.procurement.models.lots import LegalException, LotCategory, ProcurementLot
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
    "LegalException",
    "LotCategory",
    "PerformanceEvaluation",
    "ProcurementLot",
    "Qualification",
    "Supplier",
    "SupplierBankAccount",
    "SupplierCategory",
    "SupplierContact",
    "SupplierListing",
]
