from govworks.finance.models.funds import ContractAllocation, CostItem, FundingSource, FundKind, FundReceipt, SourceMonth
from govworks.finance.models.labour import DayLabour, WageAccount, WageAlert, WageDeposit, WageTransfer
from govworks.finance.models.payments import CompletedValue, PaymentInstruction, PaymentRequest, TreasuryImport

__all__ = [
    "CompletedValue",
    "ContractAllocation",
    "CostItem",
    "DayLabour",
    "FundKind",
    "FundReceipt",
    "FundingSource",
    "PaymentInstruction",
    "PaymentRequest",
    "SourceMonth",
    "TreasuryImport",
    "WageAccount",
    "WageAlert",
    "WageDeposit",
    "WageTransfer",
]
