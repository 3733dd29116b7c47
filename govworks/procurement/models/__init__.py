"""Models of procurement, one module per aggregate."""

from govworks.procurement.models.contracts import (
    ChangeCategory,
    ChangeOrder,
    Contract,
    PaymentMilestone,
    PricingType,
    Responsibility,
)
from govworks.procurement.models.integrity import IntegritySignal
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
from govworks.procurement.models.tenders import (
    Award,
    Bid,
    EvaluationMethod,
    EvaluationPanel,
    EvaluationScore,
    Tender,
    TenderOpening,
    bid_amount_seal,
    bid_amount_unseal,
)

__all__ = [
    "Award",
    "Bid",
    "ChangeCategory",
    "ChangeOrder",
    "Contract",
    "EvaluationMethod",
    "EvaluationPanel",
    "EvaluationScore",
    "IntegritySignal",
    "LegalException",
    "LotCategory",
    "PaymentMilestone",
    "PerformanceEvaluation",
    "PricingType",
    "ProcurementLot",
    "Qualification",
    "Responsibility",
    "Supplier",
    "SupplierBankAccount",
    "SupplierCategory",
    "SupplierContact",
    "SupplierListing",
    "Tender",
    "TenderOpening",
    "bid_amount_seal",
    "bid_amount_unseal",
]
