"""The records of close-out, one module per area; re-exported here so ``govworks.closeout.models.X`` works."""

from govworks.closeout.models.settlement import AuditFirm, Settlement, SettlementDispute, SettlementDocument, SettlementLine  # noqa: F401
