"""The records of supervision, one module per area; re-exported here so ``govworks.integrity.models.X`` works."""
