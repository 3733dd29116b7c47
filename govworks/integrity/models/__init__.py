"""The records of supervision, one module per area; re-exported here so ``govworks.integrity.models.X`` works."""

from govworks.integrity.models.alerts import RiskAlert, RiskAlertChange, RiskAlertPerson  # noqa: F401  (risk centre)
