"""The records of the public portal, one module per area; re-exported here so ``govworks.portal.models.X`` works."""
