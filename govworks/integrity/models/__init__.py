"""The records of supervision, one module per area; re-exported here so ``govworks.integrity.models.X`` works."""

from govworks.integrity.models.complaints import Complaint, ComplaintAttachment, ComplaintStatus  # noqa: F401
