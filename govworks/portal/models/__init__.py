"""The records of the public portal, one module per area; re-exported here so ``govworks.portal.models.X`` works."""

from govworks.portal.models.withdrawals import PortalWithdrawal, RecordType  # noqa: F401  (阳光公示)
