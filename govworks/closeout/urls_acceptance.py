"""Routes of the completion acceptance and the defect period (mounted under the close-out prefix)."""

from govworks.closeout.views.acceptance import urlpatterns  # noqa: F401
