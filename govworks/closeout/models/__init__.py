"""The records of close-out, one module per area; re-exported here so ``govworks.closeout.models.X`` works."""
